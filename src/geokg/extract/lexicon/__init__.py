"""The words the rules know, as data: read once, when the rules are first imported.

``triggers.json`` maps each event type of the registry (``geokg.event_types``) to the lemmas
that name it, nouns and verbs alike ("ban" and "restriction" name an export restriction); the
rules decide in context whether a word is a trigger at all. ``words.json`` holds the other word
classes the rules consult (what names a consignment, a goal, a title such as "the company"),
each explained where the rules use it. Adding a trigger word is an edit here, not in code.

Example:
    >>> TRIGGERS["embargo"].value, sorted(triggers_of(EventType.TARIFF))
    ('Sanction', ['duty', 'levy', 'tariff'])
    >>> "tanker" in words("consignments"), TITLE_NOUNS["cartel"].value
    (True, 'Organization')
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from geokg.model import EntityKind, EventType

__all__ = ["TITLE_NOUNS", "TRIGGERS", "WORDS", "mapping", "parse_triggers", "triggers_of", "words"]


def _read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(files(__package__).joinpath(name).read_text(encoding="utf-8"))
    return data


def parse_triggers(data: dict[str, list[str]]) -> dict[str, EventType]:
    """lemma → event type from ``{type name: [lemma, …]}``, failing on a type the registry does
    not declare or a lemma listed twice."""
    triggers: dict[str, EventType] = {}
    for name, lemmas in data.items():
        if name not in EventType._value2member_map_:
            raise ValueError(
                f"geokg/extract/lexicon/triggers.json: {name!r} is not an event type. "
                f"It must be in: {', '.join(t.value for t in EventType)}"
            )
        for lemma in lemmas:
            if lemma in triggers:
                raise ValueError(
                    f"geokg/extract/lexicon/triggers.json: {lemma!r} is listed for "
                    f"{triggers[lemma].value} and {name}; a lemma names one type"
                )
            triggers[lemma] = EventType(name)
    return triggers


#: lemma → the event type it names.
TRIGGERS: dict[str, EventType] = parse_triggers(_read("triggers.json"))
WORDS: dict[str, Any] = _read("words.json")


def triggers_of(kind: EventType) -> frozenset[str]:
    """The trigger lemmas of one event type."""
    return frozenset(lemma for lemma, named in TRIGGERS.items() if named is kind)


def words(name: str) -> frozenset[str]:
    """A word class of ``words.json``, such as ``words("arrivals")``."""
    return frozenset(WORDS[name])


def mapping(name: str) -> dict[str, str]:
    """A word → value table of ``words.json``, such as ``mapping("rank_measures")``."""
    return dict(WORDS[name])


#: "the country", "the company", "the minister": the kind of entity a title noun refers back to.
TITLE_NOUNS: dict[str, EntityKind] = {word: EntityKind(kind) for word, kind in WORDS["title_nouns"].items()}
