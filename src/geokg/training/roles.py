"""Train the argument-role model (``geokg.roles``) from the team-written data in ``training/data``.

One example per event: the trigger's sentence as the host pipeline parsed it
(:func:`geokg.roles.role_doc`), with the event's role strings as spans labelled with their role
(``doc.spans["geokg_roles"]``). ``spacy train`` fits ``roles.cfg`` with a fixed seed on the same
train/dev split as the trigger model (:func:`geokg.training.split`).

A role string is placed at its occurrence nearest the trigger (:meth:`Record.role_offsets`).
Strings whose ends fall inside a token ("Ecuador" in "Ecuadorean") or outside the trigger's
sentence cannot be learned: they are skipped and counted (:class:`Alignment`).
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import spacy

from geokg.roles import ROLES_KEY, role_doc
from geokg.training import DATA, Record, _finish, fit, read_records, split
from geokg.training import corpus as _corpus  # noqa: F401  (registers the reader roles.cfg names)

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

__all__ = ["ROLES_CONFIG", "Alignment", "GoldEvent", "RoleTraining", "gold_events", "role_examples", "train_roles"]

ROLES_CONFIG = Path(str(files("geokg.training") / "roles.cfg"))
_ATTRS = ["ORTH", "LEMMA", "POS", "DEP", "HEAD", "TAG", "ENT_TYPE", "ENT_IOB", "SENT_START"]


@dataclass
class Alignment:
    """What became of the annotation: examples made, role strings placed on tokens (by role),
    and what was skipped."""

    examples: int = 0
    roles: Counter = field(default_factory=Counter)
    inside_tokens: Counter = field(default_factory=Counter)  # an end falls inside a token
    other_sentence: Counter = field(default_factory=Counter)  # not in the trigger's sentence
    triggers_skipped: int = 0  # a trigger inside a token, or a second event on the same token


@dataclass(frozen=True)
class RoleTraining:
    """The result of :func:`train_roles`: development scores and the alignment of the data."""

    scores: dict[str, float]
    alignment: Alignment


@dataclass(frozen=True)
class GoldEvent:
    """An annotated event on a parsed text: its type, trigger token and role spans
    (role, start token, end token; end exclusive)."""

    kind: str
    trigger: int
    roles: tuple[tuple[str, int, int], ...]


def gold_events(record: Record, doc: Doc, alignment: Alignment | None = None) -> list[GoldEvent]:
    """The record's events placed on the tokens of ``doc`` (the record's text, parsed); what
    cannot be placed is left out and counted in ``alignment`` when given."""
    counts = alignment if alignment is not None else Alignment()
    events, taken = [], set()
    # Not strict: role_offsets has one entry per event only when the record has role annotation
    # (read_records gives every event its roles); a record made without roles (``roles`` left
    # at ``()``) has no role offsets, so no gold events.
    for (start, end, kind), roles in zip(record.trigger_offsets(), record.role_offsets(), strict=False):
        trigger = doc.char_span(start, end, alignment_mode="expand")
        if trigger is None or len(trigger) != 1 or trigger.start in taken:
            counts.triggers_skipped += 1  # as for the trigger model: the first event of a token
            continue
        taken.add(trigger.start)
        sent = trigger.sent
        placed: dict[tuple[str, int, int], None] = {}  # an ordered set
        for role_start, role_end, role in roles:
            span = doc.char_span(role_start, role_end)
            if span is None:
                counts.inside_tokens[role] += 1
            elif span.start < sent.start or span.end > sent.end:
                counts.other_sentence[role] += 1
            else:
                placed[(role, span.start, span.end)] = None
                counts.roles[role] += 1
        events.append(GoldEvent(kind, trigger.start, tuple(placed)))
    return events


def role_examples(
    records: Iterable[Record], host: str, vocab: Vocab, alignment: Alignment | None = None
) -> Iterator[Doc]:
    """Parse each record with the host pipeline and yield one example per event (in ``vocab``),
    its roles in ``doc.spans["geokg_roles"]``; counts go to ``alignment`` when given."""
    from spacy.tokens import Span

    from geokg.nlp import get_pipeline

    counts = alignment if alignment is not None else Alignment()
    nlp = get_pipeline(host, event_model="none")
    for doc, record in nlp.pipe(((r.text, r) for r in records), as_tuples=True, batch_size=64):
        for event in gold_events(record, doc, counts):
            sent = doc[event.trigger].sent
            example = role_doc(vocab, sent, event.trigger)
            example.spans[ROLES_KEY] = [
                Span(example, start - sent.start, end - sent.start, label=role) for role, start, end in event.roles
            ]
            counts.examples += 1
            yield example


def train_roles(
    output: Path, *, host: str, data: Path = DATA, max_steps: int | None = None, seed: int = 0
) -> RoleTraining:
    """Train on ``data/*.jsonl`` and write the best weights on the development split to ``output``."""
    from spacy.tokens import DocBin

    train_part, dev_part = split(read_records(data.glob("*.jsonl")))
    alignment = Alignment()
    vocab = spacy.blank("en").vocab
    with tempfile.TemporaryDirectory(prefix="geokg-roles-") as tmp:
        work = Path(tmp)
        for name, part in (("train", train_part), ("dev", dev_part)):
            DocBin(attrs=_ATTRS, docs=role_examples(part, host, vocab, alignment)).to_disk(work / f"{name}.spacy")
        meta = fit(ROLES_CONFIG, work, output, seed=seed, max_steps=max_steps)
    _finish(
        output,
        name="geokg_event_roles",
        description="Argument roles (agent, theme, recipient, place, change, level, before, date, source) "
        "of event triggers in geopolitics and commodity news; trained from scratch on "
        "team-written data (docs/model-card.md).",
    )
    scores = {
        k: v
        for k, v in (meta.get("performance") or {}).items()
        if isinstance(v, float) and not k.startswith("spans_sc_")
    }
    return RoleTraining(scores, alignment)
