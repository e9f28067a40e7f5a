"""Score a build against hand-annotated gold (the schema of news-dev's ``gold.jsonl``).

CrudeOilNews gold (one annotated event a line) is scored by :mod:`geokg.crudeoilnews`;
:func:`detect_format` tells the two apart, and both share :func:`sentences_overlap` and
:func:`render_confusion` from here.

Predictions come from the stored queries ``mentions`` and ``events``, so what is scored is
what users query. Entities match by type and canonical identity (ISO code, Wikidata QID or
a normalised name, the reference data's alternative names included); a fact matches when
its type, agent and commodity match (among several such predictions, the one from the same
sentence and agreeing on quantity and date). Roles (agent, commodity, recipient, quantity, date,
attribution) are scored on facts found in their sentence: a prediction of the fact's type on an
overlapping sentence, whatever its agent and commodity, so a wrong agent counts as a wrong role
rather than only as a missed fact.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from geokg.errors import IngestError
from geokg.iri_space import ID, SEGMENT_KIND
from geokg.model import EntityRef
from geokg.names import normalize
from geokg.queries import QueryResult, Value
from geokg.reference import ReferenceIndex, load_reference


@dataclass
class Score:
    """Counts for precision, recall and F1."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Evaluation:
    """Entity and fact scores, role accuracies on matched facts, and the errors behind them."""

    entities: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    facts: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))
    roles: dict[str, Score] = field(default_factory=lambda: defaultdict(Score))  # tp = right, fn = wrong
    errors: list[str] = field(default_factory=list)
    # (gold fact type, predicted event type) per gold fact and each type predicted on an overlapping
    # sentence ("-" when none); ("-", type) per predicted event on a sentence that holds no gold fact
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    # predicted events of types the gold schema does not annotate: listed, never scored
    unscored: Counter[str] = field(default_factory=Counter)

    @staticmethod
    def total(scores: Mapping[str, Score]) -> Score:
        return Score(
            sum(s.tp for s in scores.values()), sum(s.fp for s in scores.values()), sum(s.fn for s in scores.values())
        )

    def table(self) -> str:
        lines = ["kind      type               gold  found   tp      P      R     F1"]
        for name, scores in (("entities", self.entities), ("facts", self.facts)):
            for key in [*sorted(scores), "ALL"]:
                s = self.total(scores) if key == "ALL" else scores[key]
                lines.append(
                    f"{name:9} {key:17} {s.tp + s.fn:5} {s.tp + s.fp:6} {s.tp:4} "
                    f"{s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}"
                )
        lines.append(
            "role accuracy on facts found in their sentence (a prediction of the fact's type on an "
            "overlapping sentence; roles the gold fact has):"
        )
        for key in [k for k in ROLES if k in self.roles]:
            s = self.roles[key]
            lines.append(f"  {key:12} {s.tp}/{s.tp + s.fn} = {s.recall:.3f}")
        if self.unscored:
            lines.append(
                "not scored (types the gold schema does not annotate): "
                + ", ".join(f"{kind} {n}" for kind, n in sorted(self.unscored.items()))
            )
        if self.confusion:
            lines.append(
                "confusion: gold fact type (rows) x predicted event type on an overlapping sentence "
                "(columns; '-' = no prediction there; row '-' = predicted events on sentences with no "
                "gold fact):"
            )
            lines.append(render_confusion(self.confusion))
        return "\n".join(lines)


FORMATS = ("news-dev", "crudeoilnews")

# The closed list of fact types of the news-dev gold format (../shared/data/news-dev/README.md).
# Its annotators marked no other type, so an event of another type is neither right nor wrong.
NEWS_DEV_TYPES = frozenset(
    {
        "Offer",
        "SaleOrSupply",
        "PurchaseOrImport",
        "ExportRestriction",
        "Sanction",
        "Tariff",
        "Agreement",
        "Meeting",
        "Production",
        "ReservesRank",
        "PriceChange",
        "Statement",
    }
)


def detect_format(path: str | Path) -> str:
    """``news-dev`` (one document a line, with ``facts``) or ``crudeoilnews`` (one annotated event
    a line: ``doc``, ``sentence``, ``type``, ``arguments``), from the first record's fields."""
    for n, record in json_lines(path):
        if isinstance(record, dict) and {"doc", "facts"} <= set(record):
            return "news-dev"
        if isinstance(record, dict) and {"doc", "sentence", "type", "arguments"} <= set(record):
            return "crudeoilnews"
        raise IngestError(
            path,
            "unknown gold format: expected news-dev records (doc, entities, facts) or "
            "CrudeOilNews events (doc, sentence, type, arguments); or pass --format",
            line=n,
        )
    raise IngestError(path, "empty gold file")


def json_lines(path: str | Path) -> Iterator[tuple[int, object]]:
    """(line number, value) of each non-blank line of a JSON Lines gold file.

    Raises:
        IngestError: the file is not UTF-8, or a line is not JSON (or nests past Python's stack).
    """
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise IngestError(path, f"not UTF-8 (byte 0x{error.object[error.start]:02x})") from None
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as error:
            raise IngestError(path, f"not JSON: {error.msg}", line=n) from error
        except RecursionError:
            raise IngestError(path, "not JSON geokg reads: nested deeper than Python's stack", line=n) from None


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def sentences_overlap(a: str, b: str, threshold: float = 0.6) -> bool:
    """Whether two sentences are the same up to segmentation: the shorter one's word tokens are
    at least ``threshold`` contained in the other's.

    >>> sentences_overlap("Oil rose 2% on Monday.", "Oil rose 2% on Monday, traders said.")
    True
    >>> sentences_overlap("Oil rose.", "Gold fell sharply on Friday.")
    False
    """
    ta, tb = _tokens(a), _tokens(b)
    return bool(ta and tb) and len(ta & tb) / min(len(ta), len(tb)) >= threshold


def render_confusion(counts: Mapping[tuple[str, str], int], rows: Iterable[str] | None = None) -> str:
    """A gold x predicted count matrix as text: rows in the given order (else sorted), columns
    sorted; ``-`` (no gold event, no prediction) comes last on both; empty cells are dots.

    >>> print(render_confusion({("A", "X"): 2, ("A", "-"): 1, ("-", "X"): 3}))
    gold/predicted   X   -
    A                2   1
    -                3   .
    """
    row_names = list(rows) if rows is not None else sorted({r for r, _ in counts if r != "-"})
    if rows is None and any(r == "-" for r, _ in counts):
        row_names.append("-")
    columns = sorted({c for _, c in counts if c != "-"}) + (["-"] if any(c == "-" for _, c in counts) else [])
    corner = "gold/predicted"
    first = max([len(corner), *(len(r) for r in row_names)])
    header = f"{corner:{first}}" + "".join(f" {c:>{max(len(c), 3)}}" for c in columns)
    lines = [header]
    for r in row_names:
        cells = "".join(f" {counts.get((r, c), 0) or '.':>{max(len(c), 3)}}" for c in columns)
        lines.append(f"{r:{first}}{cells}")
    return "\n".join(lines)


def read_gold(path: str | Path) -> dict[str, dict]:
    """Gold records by document id.

    Raises:
        IngestError: the file is not UTF-8, a line is not JSON (or nests past Python's
            stack), or a record lacks what scoring reads; with the line.
    """
    gold: dict[str, dict] = {}
    for n, record in json_lines(path):
        problem = _gold_problem(record)
        if problem:
            raise IngestError(path, f"not a gold record: {problem}", line=n)
        assert isinstance(record, dict)  # _gold_problem checked it
        gold[str(record["doc"])] = record
    return gold


def _gold_problem(record: object) -> str | None:
    """What a gold record lacks of the news-dev schema that scoring reads, or None.

    Example:
        >>> _gold_problem({}), _gold_problem({"doc": "01", "entities": [], "facts": [{"type": "Offer"}]})
        ('a JSON object with "doc", "entities" and "facts" expected', 'facts[0] needs a string "source_sentence"')
    """
    if not isinstance(record, dict) or not {"doc", "entities", "facts"} <= record.keys():
        return 'a JSON object with "doc", "entities" and "facts" expected'
    if not isinstance(record["doc"], (str, int)) or isinstance(record["doc"], bool):
        return '"doc" must be a string'
    for key, needs in (("entities", ("name", "type")), ("facts", ("type", "source_sentence"))):
        if not isinstance(record[key], list):
            return f'"{key}" must be a list'
        for i, item in enumerate(record[key]):
            if not isinstance(item, dict):
                return f"{key}[{i}] must be an object"
            for field_ in needs:
                if not isinstance(item.get(field_), str):
                    return f'{key}[{i}] needs a string "{field_}"'
    return None


def score(
    gold: Mapping[str, dict], mentions: QueryResult, events: QueryResult, reference: ReferenceIndex | None = None
) -> Evaluation:
    """Compare gold records with the rows of the ``mentions`` and ``events`` queries."""
    reference = reference or load_reference()
    result = Evaluation()
    predicted_entities: dict[str, list[tuple[str, frozenset[str], str]]] = defaultdict(list)
    keys_by_label: dict[str, frozenset[str]] = {}
    for row in mentions.as_dicts():
        keys = _entity_keys(str(row["entity"]), str(row["label"]), row["iso"], row["wikidata"], reference)
        keys_by_label[str(row["label"])] = keys
        predicted_entities[str(row["article"])].append((str(row["type"]), keys, str(row["label"])))
    predicted_events = _events_by_article(events)
    for doc, record in sorted(gold.items()):
        gold_keys = {e["name"]: _gold_keys(e) for e in record["entities"]}
        _score_entities(doc, record["entities"], gold_keys, predicted_entities.get(doc, []), result)
        predicted = predicted_events.get(doc, [])
        result.unscored.update(e.type for e in predicted if e.type not in NEWS_DEV_TYPES)
        scored = [e for e in predicted if e.type in NEWS_DEV_TYPES]
        _score_facts(doc, record["facts"], gold_keys, keys_by_label, scored, result)
        for fact in record["facts"]:
            _score_roles(fact, scored, gold_keys, keys_by_label, result)
        _confuse(record["facts"], predicted, result)
    return result


def _on_sentence_of(fact: dict, event: _Event) -> bool:
    """Whether ``event`` was read from the fact's sentence (or one of its ``also_in`` sentences)."""
    return any(sentences_overlap(event.sentence, s) for s in [fact["source_sentence"], *fact.get("also_in", [])])


def _confuse(facts: list[dict], predicted: list[_Event], result: Evaluation) -> None:
    for fact in facts:
        kinds = {e.type for e in predicted if _on_sentence_of(fact, e)}
        for kind in kinds or {"-"}:
            result.confusion[(fact["type"], kind)] += 1
    for event in predicted:
        if not any(_on_sentence_of(fact, event) for fact in facts):
            result.confusion[("-", event.type)] += 1


def _entity_keys(iri: str, label: str, iso: object, wikidata: object, reference: ReferenceIndex) -> frozenset[str]:
    keys = {f"name:{normalize(label)}"}
    if wikidata:
        keys.add(f"qid:{wikidata}")
    segment, _, key = iri.removeprefix(ID).partition("/")
    if segment == "country" and iso:
        keys.add(f"iso:{iso}")
    if segment in SEGMENT_KIND:
        known = reference.get(EntityRef(SEGMENT_KIND[segment], key))
        if known is not None:
            keys |= {f"name:{normalize(name)}" for name in known.names}
    return frozenset(keys)


def _gold_keys(entity: dict) -> frozenset[str]:
    keys = {f"name:{normalize(entity['name'])}"}
    if entity.get("wikidata"):
        keys.add(f"qid:{entity['wikidata']}")
    if entity.get("iso3166"):
        keys.add(f"iso:{entity['iso3166']}")
    return frozenset(keys)


def _score_entities(
    doc: str,
    gold: list[dict],
    gold_keys: Mapping[str, frozenset[str]],
    predicted: list[tuple[str, frozenset[str], str]],
    result: Evaluation,
) -> None:
    unmatched = list(predicted)
    for entity in gold:
        hit = next((p for p in unmatched if p[0] == entity["type"] and p[1] & gold_keys[entity["name"]]), None)
        if hit is None:
            result.entities[entity["type"]].fn += 1
            result.errors.append(f"{doc} entity miss: {entity['type']} {entity['name']}")
        else:
            unmatched.remove(hit)
            result.entities[entity["type"]].tp += 1
    for kind, _, label in unmatched:
        result.entities[kind].fp += 1
        result.errors.append(f"{doc} entity false: {kind} {label}")


@dataclass
class _Event:
    type: str
    agent: str | None
    themes: set[str] = field(default_factory=set)
    recipients: set[str] = field(default_factory=set)
    value: Decimal | None = None
    unit: str | None = None
    date: str | None = None
    attributed: str | None = None
    sentence: str = ""


def _text(value: Value) -> str | None:
    return None if value is None else str(value)


def _events_by_article(events: QueryResult) -> dict[str, list[_Event]]:
    by_iri: dict[str, _Event] = {}
    article_of: dict[str, str] = {}
    for row in events.as_dicts():
        iri = str(row["event"])
        event = by_iri.setdefault(iri, _Event(str(row["type"]), _text(row["agent"])))
        article_of[iri] = str(row["article"])
        if row["theme"]:
            event.themes.add(str(row["theme"]))
        if row["recipient"]:
            event.recipients.add(str(row["recipient"]))
        event.value = event.value if row["value"] is None else Decimal(str(row["value"]))
        event.unit = event.unit or _text(row["unit"])
        event.date = event.date or _text(row["date"])
        event.attributed = event.attributed or _text(row["attributedTo"])
        event.sentence = str(row["sentence"] or "")
    grouped: dict[str, list[_Event]] = defaultdict(list)
    for iri, event in by_iri.items():
        grouped[article_of[iri]].append(event)
    return grouped


def _names(value: object) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _same(
    gold_names: Iterable[str],
    predicted: Iterable[str | None],
    gold_keys: Mapping[str, frozenset[str]],
    keys_by_label: Mapping[str, frozenset[str]],
) -> bool:
    wanted = [gold_keys.get(n, frozenset({f"name:{normalize(n)}"})) for n in gold_names]
    found = [keys_by_label.get(p, frozenset({f"name:{normalize(p)}"})) for p in predicted if p]
    return any(w & f for w in wanted for f in found)


def _score_facts(
    doc: str,
    gold: list[dict],
    gold_keys: Mapping[str, frozenset[str]],
    keys_by_label: Mapping[str, frozenset[str]],
    predicted: list[_Event],
    result: Evaluation,
) -> None:
    unmatched = list(predicted)
    for fact in gold:
        kind = fact["type"]
        agents = _names(fact.get("speaker") if kind == "Statement" else fact.get("agent"))
        commodities = _names(fact.get("commodity"))
        candidates = [e for e in unmatched if _matches(e, kind, agents, commodities, gold_keys, keys_by_label)]
        hit = max(candidates, key=lambda e: _closeness(fact, e), default=None)
        if hit is None:
            result.facts[kind].fn += 1
            result.errors.append(
                f"{doc} fact miss: {kind} agent={agents} commodity={commodities} | {fact['source_sentence'][:100]}"
            )
            continue
        unmatched.remove(hit)
        result.facts[kind].tp += 1
    for event in unmatched:
        result.facts[event.type].fp += 1
        result.errors.append(
            f"{doc} fact false: {event.type} agent={event.agent} themes={sorted(event.themes)} | {event.sentence[:100]}"
        )


def _matches(
    event: _Event,
    kind: str,
    agents: list[str],
    commodities: list[str],
    gold_keys: Mapping[str, frozenset[str]],
    keys_by_label: Mapping[str, frozenset[str]],
) -> bool:
    """Whether a prediction is of the gold fact's type, with its agent and commodity."""
    if event.type != kind:
        return False
    # A fact with no agent in gold ("the copper price rose") matches an agentless prediction.
    if agents or event.agent is not None:
        if not _same(agents, [event.agent], gold_keys, keys_by_label):
            return False
    if kind == "Statement" or not commodities:
        return True
    return _same(commodities, event.themes, gold_keys, keys_by_label)


def _closeness(fact: dict, event: _Event) -> int:
    """Among predictions of the right type, agent and commodity, the one a reader would pair
    with the gold fact: from its sentence (else one of its ``also_in`` sentences), then agreeing
    on quantity and date. Ties keep text order (``max`` returns the first)."""

    def said_in(sentence: str) -> bool:
        return bool(event.sentence.strip()) and (event.sentence in sentence or sentence in event.sentence)

    score = 0
    if said_in(fact["source_sentence"]):
        score = 4
    elif any(said_in(s) for s in fact.get("also_in", [])):
        score = 2
    quantity = fact.get("quantity")
    if quantity and event.value is not None and Decimal(str(quantity["value"])) == event.value:
        score += 1
    if fact.get("date") and event.date == fact["date"]:
        score += 1
    return score


ROLES = ("agent", "commodity", "recipient", "quantity", "date", "attribution")


def _roles(
    fact: dict, event: _Event, gold_keys: Mapping[str, frozenset[str]], keys_by_label: Mapping[str, frozenset[str]]
) -> dict[str, tuple[bool, object, object]]:
    """Each role the gold fact has: (right, gold value, predicted value) for ``event``."""

    def same(gold: object, found: Iterable[str | None]) -> bool:
        return _same(_names(gold), found, gold_keys, keys_by_label)

    out: dict[str, tuple[bool, object, object]] = {}
    agent = fact.get("speaker") if fact["type"] == "Statement" else fact.get("agent")
    if agent:
        out["agent"] = (same(agent, [event.agent]), agent, event.agent)
    if fact.get("commodity") and fact["type"] != "Statement":
        out["commodity"] = (same(fact["commodity"], event.themes), fact["commodity"], sorted(event.themes))
    if fact.get("recipient"):
        out["recipient"] = (same(fact["recipient"], event.recipients), fact["recipient"], sorted(event.recipients))
    quantity = fact.get("quantity")
    if quantity:
        ok = (
            event.value is not None
            and Decimal(str(quantity["value"])) == event.value
            and quantity["unit"] == event.unit
        )
        out["quantity"] = (ok, quantity, (event.value, event.unit))
    if fact.get("date") and len(fact["date"]) == 10:
        out["date"] = (event.date == fact["date"], fact["date"], event.date)
    source = fact.get("attributed_to") or fact.get("reported_by")
    if source:
        out["attribution"] = (same(source, [event.attributed]), source, event.attributed)
    return out


def _score_roles(
    fact: dict,
    predicted: list[_Event],
    gold_keys: Mapping[str, frozenset[str]],
    keys_by_label: Mapping[str, frozenset[str]],
    result: Evaluation,
) -> None:
    """Role accuracy of a gold fact found in its sentence, against the prediction of its type
    there that gets most of its roles right (none counted when no such prediction exists)."""
    found = [
        _roles(fact, e, gold_keys, keys_by_label)
        for e in predicted
        if e.type == fact["type"] and _on_sentence_of(fact, e)
    ]
    if not found:
        return
    best = max(found, key=lambda roles: sum(ok for ok, _, _ in roles.values()))
    for role, (ok, gold, got) in best.items():
        if ok:
            result.roles[role].tp += 1
        else:
            result.roles[role].fn += 1
            result.errors.append(
                f"role wrong: {fact['type']} {role}: gold {gold!r}, found {got!r} | {fact['source_sentence'][:80]}"
            )
