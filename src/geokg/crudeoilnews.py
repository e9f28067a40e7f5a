"""Score geokg's ``events`` against CrudeOilNews gold: the type mapping, the fixed split, the scorer.

CrudeOilNews (Lee et al., LREC 2022) annotates crude-oil market news with 18 event types and
argument roles (``Attribute``, ``Item``, ``Supplier_consumer``, ``Imposer``, ``Difference``…).
The corpus is research-use only: it is read at run time from outside the repository
(``../shared/data/crudeoilnews/``), never copied into it. The gold file holds one annotated
event a line: ``doc``, ``sentence``, ``type``, ``trigger``, ``arguments`` (role -> texts).

Three things live here, shared by ``geokg evaluate`` and ``bench/crudeoilnews.py``:

* :func:`map_type`: each corpus event -> the geokg types that would be right for it (empty when
  the schema has no place for it), decided by its type and then its Attribute / Item argument;
  :data:`RULES` is the same mapping as a table (``ontology/MAPPING.md``, "CrudeOilNews types").
* :func:`split_docs`: the fixed dev/test split of the gold-standard articles (sorted by id, the
  last third is ``crudeoilnews-test``, scored only, never error-analysed or tuned on).
* :func:`score`: sentence-level scoring. A gold event is found when geokg has an event of an
  accepted type in the same document one of whose sentences (the first, or one that restates it,
  ``gk:restatedIn``) overlaps the gold sentence (token containment >= 0.6,
  :func:`geokg.evaluate.sentences_overlap`); a predicted event of a scored type is right when one
  of its sentences holds a gold event that accepts its type. A CSV of the ``events`` query
  (``--events``) carries first sentences only, so restated events score lower from it. Per-type and micro
  precision, recall and F1, role accuracy on found events, and a confusion of gold corpus type
  x predicted geokg type over overlapping sentences (with a row for predictions on sentences
  that hold no gold event).

Example:
    >>> map_type("Movement-down-loss", {"attribute": ["inventories"]}).label
    'InventoryChange'
    >>> sorted(map_type("Embargo", {}).accepts)
    ['ExportRestriction', 'Sanction']
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from geokg.errors import IngestError
from geokg.evaluate import json_lines, render_confusion, sentences_overlap
from geokg.queries import QueryResult

# -- the corpus' types -----------------------------------------------------------------------
# fmt: off
CORPUS_TYPES = (
    "Movement-up-gain", "Movement-down-loss", "Movement-flat",
    "Cause-movement-up-gain", "Cause-movement-down-loss",
    "Position-high", "Position-low", "Grow-strong", "Slow-weak",
    "Embargo", "Prohibiting", "Oversupply", "Shortage", "Civil-unrest",
    "Geopolitical-tension", "trade-financial-tension", "Crisis", "Negative_sentiment",
)
# fmt: on
_CANONICAL = {re.sub(r"[^a-z]", "", t.lower()): t for t in CORPUS_TYPES}
_CANONICAL["causedmovementupgain"] = "Cause-movement-up-gain"
_CANONICAL["causedmovementdownloss"] = "Cause-movement-down-loss"


def corpus_type(name: str) -> str:
    """The corpus type in one spelling (the active-learning set writes ``MOVEMENT-UP-GAIN``).

    >>> corpus_type("MOVEMENT-UP-GAIN")
    'Movement-up-gain'
    """
    return _CANONICAL.get(re.sub(r"[^a-z]", "", name.lower()), name)


# -- the mapping -----------------------------------------------------------------------------
# What moved, read from the Attribute argument (then Item). Classes are tried in this order, so
# "demand growth" is demand, "supply growth" supply and "futures prices" a price.
# fmt: off
_WORDS: dict[str, tuple[str, ...]] = {
    "InventoryChange": ("stock", "stocks", "stockpile", "stockpiles", "stockpiling", "inventory",
                        "inventories", "storage", "reserves"),
    "TradeChange": ("export", "exports", "import", "imports", "shipment", "shipments", "deliveries",
                    "flows", "purchases"),
    "DemandChange": ("demand", "consumption", "use", "usage", "need", "appetite"),
    "Production": ("production", "output", "supply", "supplies", "capacity", "rig", "rigs", "drilling",
                   "pumping", "produce", "throughput", "throughputs", "processing", "utilisation",
                   "utilization", "refining", "shale"),
    "PriceChange": ("price", "prices", "futures", "contract", "contracts", "benchmark", "shares", "index",
                    "indexes", "indices", "currency", "dollar", "greenback", "yen", "euro", "sterling",
                    "rouble", "ruble", "yuan", "usd", "spread", "nikkei"),
    "EconomicTrend": ("economy", "economies", "economic", "growth", "gdp", "activity", "employment",
                      "payrolls", "jobs", "inflation", "manufacturing", "factory", "services", "labor",
                      "labour", "sales", "expansion"),
    # Company results and money costs: no geokg type (out of scope, see MAPPING.md).
    "": ("profit", "profits", "earnings", "revenue", "revenues", "income", "cost", "costs", "spending",
         "investment", "interest", "borrowing", "valuations", "yields", "yield", "rates"),
}
# An Item naming a traded commodity or a market, with no Attribute: its price moved ("Brent fell").
_PRICED_ITEMS = ("oil", "crude", "brent", "wti", "intermediate", "gasoline", "diesel", "gasoil", "fuel",
                 "distillates", "gold", "zinc", "copper", "metal", "commodity", "stocks", "s&p", "bonds")
_INVENTORY_TRIGGERS = ("build", "builds", "draw", "draws", "drawdown")
_CUT_TRIGGERS = ("cut", "cuts", "cutting", "cutback", "cutbacks", "curb", "curbs", "curtail", "trim",
                 "trimmed", "slashed", "reduce", "reduced", "reducing", "reduction", "restrain")
_DISRUPTION_TRIGGERS = ("disrupt", "disrupted", "disruption", "disruptions", "outage", "outages", "halt",
                        "halted", "shut", "shutdown", "shutdowns", "stoppage")
_MOVEMENTS = ("Movement-up-gain", "Movement-down-loss", "Movement-flat",
              "Cause-movement-up-gain", "Cause-movement-down-loss")
_POSITIONS = ("Position-high", "Position-low")
_TRENDS = ("Grow-strong", "Slow-weak")
# fmt: on
_FIXED = {
    "Embargo": ("Sanction|ExportRestriction", ("Sanction", "ExportRestriction")),
    "Prohibiting": ("Sanction|ExportRestriction", ("Sanction", "ExportRestriction")),
    "Oversupply": ("MarketBalance", ("MarketBalance",)),
    "Shortage": ("MarketBalance", ("MarketBalance",)),
    "Civil-unrest": ("SupplyDisruption", ("SupplyDisruption",)),
    "Geopolitical-tension": ("Tension", ("Tension",)),
    "trade-financial-tension": ("Tension", ("Tension",)),
    "Crisis": ("Tension", ("Tension",)),
    "Negative_sentiment": ("", ()),
}
DIRECTION = {
    "Movement-up-gain": "up",
    "Cause-movement-up-gain": "up",
    "Grow-strong": "up",
    "Movement-down-loss": "down",
    "Cause-movement-down-loss": "down",
    "Slow-weak": "down",
    "Movement-flat": "unchanged",
}

# The mapping as a table (printed by the bench, copied into ontology/MAPPING.md): rule -> type.
RULES: tuple[tuple[str, str, str], ...] = (
    (
        "Movement-*, Cause-movement-*, Position-high/low, Grow-strong, Slow-weak",
        "Attribute (else Item): " + ", ".join(_WORDS["InventoryChange"]),
        "InventoryChange",
    ),
    ("", "Attribute (else Item): " + ", ".join(_WORDS["TradeChange"]), "TradeChange"),
    ("", "Attribute (else Item): " + ", ".join(_WORDS["DemandChange"]), "DemandChange"),
    ("", "Attribute (else Item): " + ", ".join(_WORDS["Production"]), "Production"),
    ("", "Attribute (else Item): " + ", ".join(_WORDS["PriceChange"]), "PriceChange"),
    ("", "Attribute (else Item): " + ", ".join(_WORDS["EconomicTrend"]), "EconomicTrend"),
    ("", "Attribute (else Item): " + ", ".join(_WORDS[""]) + " (company results, money costs)", "—"),
    ("", "no such Attribute; Item a commodity, benchmark or market: " + ", ".join(_PRICED_ITEMS), "PriceChange"),
    ("", "no Attribute or Item; trigger " + ", ".join(_INVENTORY_TRIGGERS), "InventoryChange"),
    (
        "Cause-movement-down-loss",
        "no Attribute or Item; trigger a cut (" + ", ".join(_CUT_TRIGGERS[:4]) + "…)",
        "Production",
    ),
    ("", "no Attribute or Item; Difference / Final_value a price ($, cents, a barrel; not $ millions)", "PriceChange"),
    ("", "no Attribute or Item; Difference / Final_value in barrels (in bpd: Production)", "InventoryChange"),
    ("Position-high/low", "nothing else decides (a high or low in oil news is a price level)", "PriceChange"),
    ("Grow-strong, Slow-weak", "nothing else decides (the economy strengthening or weakening)", "EconomicTrend"),
    ("Movement-*, Cause-movement-*", "nothing else decides (what moved is not said)", "—"),
    (
        "Cause-movement-down-loss on supply",
        "trigger a disruption, outage, halt or shutdown",
        "Production or SupplyDisruption",
    ),
    ("any movement or trend", "with a Forecaster argument", "its type or Forecast"),
    ("Embargo, Prohibiting", "", "Sanction or ExportRestriction"),
    ("Oversupply, Shortage", "", "MarketBalance"),
    ("Civil-unrest", "", "SupplyDisruption"),
    ("Geopolitical-tension, trade-financial-tension, Crisis", "", "Tension"),
    ("Negative_sentiment", "", "— (out of scope)"),
)


@dataclass(frozen=True)
class Mapped:
    """What a corpus event maps to: its row ``label`` (empty when out of scope), the geokg types
    that are right for it, and the rule that decided."""

    label: str
    accepts: frozenset[str]
    rule: str


def _words(texts: Iterable[str]) -> list[str]:
    return re.findall(r"[a-z&]+", " ".join(texts).lower())


def _class_of(words: Sequence[str]) -> str | None:
    for kind, vocabulary in _WORDS.items():
        if any(w in vocabulary for w in words):
            return kind
    return None


def _by_value(arguments: Mapping[str, Sequence[str]]) -> str | None:
    text = " ".join(v for role in ("difference", "final_value", "initial_value") for v in arguments.get(role, []))
    low = text.lower()
    if re.search(r"\b(bpd|b/d|barrels per day|barrels a day)\b", low):
        return "Production"
    if re.search(r"\b(cents?|pence|per barrel|a barrel)\b|/bbl", low):
        return "PriceChange"
    if re.search(r"\bbarrels?\b", low):
        return "InventoryChange"
    if re.search(r"\b(million|billion|trillion|mln|bln|bn)\b", low):
        return None  # a sum of money, not a price ("net cash fell by $45 million")
    if "$" in text or re.search(r"\busd\b|usd\d", low):
        return "PriceChange"
    return None


def map_type(kind: str, arguments: Mapping[str, Sequence[str]], trigger: str = "") -> Mapped:
    """The geokg types right for a corpus event of type ``kind`` with these arguments.

    >>> map_type("Cause-movement-down-loss", {"attribute": ["supply"]}, "disruption").accepts == {
    ...     "Production", "SupplyDisruption"}
    True
    >>> map_type("Negative_sentiment", {}).label
    ''
    """
    kind = corpus_type(kind)
    if kind in _FIXED:
        fixed, accepted = _FIXED[kind]
        return Mapped(fixed, frozenset(accepted), kind)
    if kind not in _MOVEMENTS + _POSITIONS + _TRENDS:
        return Mapped("", frozenset(), f"unknown type {kind}")
    attribute = _words(arguments.get("attribute", []))
    item = _words(arguments.get("item", []))
    trig = _words([trigger])
    label, rule = _class_of(attribute), "attribute"
    if label is None and any(w in _INVENTORY_TRIGGERS for w in trig):
        label, rule = "InventoryChange", "trigger"
    if label is None and any(w in _WORDS["PriceChange"] or w in ("stock", "stocks") for w in item):
        label, rule = "PriceChange", "item"  # "stocks", "shares", "the dollar index": a market
    if label is None:
        label, rule = _class_of(item), "item"
    if label is None and any(w in _PRICED_ITEMS for w in item):
        label, rule = "PriceChange", "priced item"
    if label is None and kind == "Cause-movement-down-loss" and any(w in _CUT_TRIGGERS for w in trig):
        label, rule = "Production", "cut trigger"
    if label is None:
        label, rule = _by_value(arguments), "value"
    if label is None:
        label, rule = (
            {**dict.fromkeys(_POSITIONS, "PriceChange"), **dict.fromkeys(_TRENDS, "EconomicTrend")}.get(kind, ""),
            "default",
        )
    if not label:
        return Mapped("", frozenset(), f"{kind} {rule}")
    accepts = {label}
    if label == "Production" and kind == "Cause-movement-down-loss" and any(w in _DISRUPTION_TRIGGERS for w in trig):
        accepts.add("SupplyDisruption")
    if arguments.get("forecaster"):
        accepts.add("Forecast")
    return Mapped(label, frozenset(accepts), f"{kind} {rule}")


SCORED_TYPES = frozenset(
    {
        "PriceChange",
        "Production",
        "TradeChange",
        "DemandChange",
        "InventoryChange",
        "EconomicTrend",
        "Sanction",
        "ExportRestriction",
        "MarketBalance",
        "SupplyDisruption",
        "Tension",
        "Forecast",
    }
)
"""geokg types the mapping can assign: predictions of these types are scored, others are not."""


def row_of(geokg_type: str) -> str:
    """The table row a predicted type is counted in (sanctions and export restrictions share one)."""
    return "Sanction|ExportRestriction" if geokg_type in ("Sanction", "ExportRestriction") else geokg_type


# -- the split -------------------------------------------------------------------------------
SPLITS = ("dev", "test", "all")


def split_name(split: str, gold_set: str = "gold-standard") -> str:
    """The name printed with every figure: ``crudeoilnews-dev``, ``crudeoilnews-test``, …"""
    return f"crudeoilnews-{split}" if gold_set == "gold-standard" else f"crudeoilnews-{gold_set}"


def split_docs(doc_ids: Iterable[str], split: str) -> list[str]:
    """The fixed split of the gold-standard articles: sorted by id, the last third is ``test``.

    ``crudeoilnews-test`` (50 of the 150 articles) is held out: scored only, never error-analysed,
    never used for training or tuning. The first two thirds are ``dev``; ``all`` is both.

    >>> split_docs(["c", "a", "b", "f", "e", "d"], "test")
    ['e', 'f']
    """
    ids = sorted(set(doc_ids))
    cut = len(ids) - len(ids) // 3
    if split == "dev":
        return ids[:cut]
    if split == "test":
        return ids[cut:]
    if split == "all":
        return ids
    raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")


def split_articles(paths: Iterable[str | Path], split: str) -> tuple[list[str], list[str]]:
    """The ids of the articles of ``split`` (:func:`split_docs`) in JSON Lines article files, and
    their lines as written, to build only those.

    Raises:
        IngestError: a path is not a ``.jsonl`` file of JSON objects with an ``id``; with the line.
    """
    lines: dict[str, str] = {}
    for path in paths:
        if Path(path).suffix != ".jsonl" or not Path(path).is_file():
            raise IngestError(
                path,
                "a CrudeOilNews split is chosen from the articles' JSON Lines file "
                '(one object with an "id" a line); give that .jsonl as DOCS',
            )
        text = Path(path).read_text(encoding="utf-8").splitlines()
        for (n, record), line in zip(json_lines(path), [t for t in text if t.strip()], strict=True):
            if not isinstance(record, dict) or not isinstance(record.get("id"), (str, int)):
                raise IngestError(path, 'not a CrudeOilNews article: expected a JSON object with an "id"', line=n)
            lines[str(record["id"])] = line
    ids = split_docs(lines, split)
    return ids, [lines[i] for i in ids]


# -- gold and predictions --------------------------------------------------------------------
@dataclass(frozen=True)
class GoldEvent:
    """One annotated corpus event and what it maps to."""

    doc: str
    sentence: str
    type: str
    trigger: str
    arguments: Mapping[str, Sequence[str]]
    mapped: Mapped


@dataclass
class Predicted:
    """One geokg event (the rows of one ``?event`` of the ``events`` query, merged)."""

    doc: str
    type: str
    sentence: str = ""
    # Other sentences of the article that state the event (``gk:restatedIn``): it was found there too.
    restatements: set[str] = field(default_factory=set)
    agents: set[str] = field(default_factory=set)
    themes: set[str] = field(default_factory=set)
    recipients: set[str] = field(default_factory=set)
    values: set[Decimal] = field(default_factory=set)
    direction: str | None = None

    def states(self, sentence: str) -> bool:
        """Whether one of the event's sentences is ``sentence`` (token containment, see the module)."""
        return any(sentences_overlap(own, sentence) for own in (self.sentence, *self.restatements))


#: The sentences that restate each event: the ``events`` query lists only the first.
RESTATEMENTS = """PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?event ?sentence WHERE { ?event gk:restatedIn/oa:exact ?sentence }"""


def is_crudeoilnews(record: Mapping[str, object]) -> bool:
    """Whether a gold record is a CrudeOilNews event (``doc``, ``sentence``, ``type``, ``arguments``)."""
    return {"doc", "sentence", "type", "arguments"} <= set(record)


def read_gold(path: str | Path, docs: Iterable[str] | None = None) -> list[GoldEvent]:
    """Gold events of a ``*.events.jsonl`` file, only those of ``docs`` when given."""
    keep = None if docs is None else set(docs)
    events = []
    for n, record in json_lines(path):
        if not isinstance(record, dict) or not is_crudeoilnews(record):
            raise IngestError(
                path, "not a CrudeOilNews event: expected the fields doc, sentence, type, arguments", line=n
            )
        if keep is not None and record["doc"] not in keep:
            continue
        arguments = {str(k).lower(): [str(v) for v in vs] for k, vs in record["arguments"].items()}
        kind = corpus_type(str(record["type"]))
        trigger = str(record.get("trigger") or "")
        events.append(
            GoldEvent(
                str(record["doc"]),
                str(record["sentence"]),
                kind,
                trigger,
                arguments,
                map_type(kind, arguments, trigger),
            )
        )
    return events


def predicted_from_rows(
    rows: Iterable[Mapping[str, object]], restatements: Iterable[Mapping[str, object]] = ()
) -> list[Predicted]:
    """Merge the rows of the ``events`` query (one per theme x recipient) into one event each,
    with the sentences that restate them (rows of :data:`RESTATEMENTS`).

    Works on query rows (:meth:`QueryResult.as_dicts`) and on ``csv.DictReader`` rows alike;
    the ``direction`` and ``change`` columns are read when the query has them.
    """
    by_iri: dict[str, Predicted] = {}
    for row in rows:
        iri = str(row["event"])
        event = by_iri.get(iri)
        if event is None:
            event = by_iri[iri] = Predicted(str(row["article"]), str(row["type"]))
        event.sentence = str(row.get("sentence") or event.sentence)
        for column, bucket in (("agent", event.agents), ("theme", event.themes), ("recipient", event.recipients)):
            if row.get(column):
                bucket.add(str(row[column]))
        for column in ("value", "change"):  # a level or the size of the change: the gold may state either
            if row.get(column) not in (None, ""):
                try:
                    event.values.add(Decimal(str(row[column])))
                except InvalidOperation:
                    pass
        event.direction = event.direction or (str(row["direction"]) if row.get("direction") else None)
    for row in restatements:
        if (restated := by_iri.get(str(row["event"]))) is not None:
            restated.restatements.add(str(row["sentence"]))
    return list(by_iri.values())


def predicted_from_result(result: QueryResult, restatements: QueryResult | None = None) -> list[Predicted]:
    return predicted_from_rows(result.as_dicts(), restatements.as_dicts() if restatements is not None else ())


def read_events_csv(path: str | Path) -> tuple[list[Predicted], bool]:
    """Predictions from a CSV of the ``events`` query (``geokg query events --format csv``), and
    whether it has a ``direction`` column."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [{k.lstrip("?"): v for k, v in row.items()} for row in reader]
        columns = {c.lstrip("?") for c in reader.fieldnames or ()}
    missing = {"article", "event", "type", "sentence"} - columns
    if missing:
        raise IngestError(path, f"not a CSV of the events query: missing column(s) {', '.join(sorted(missing))}")
    return predicted_from_rows(rows), "direction" in columns


# -- scoring ---------------------------------------------------------------------------------
@dataclass
class TypeScore:
    """Sentence-level counts of one row: gold events and how many were found; predictions and
    how many were right."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    right: int = 0

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __iadd__(self, other: TypeScore) -> TypeScore:
        self.gold += other.gold
        self.found += other.found
        self.predicted += other.predicted
        self.right += other.right
        return self


@dataclass
class RoleScore:
    right: int = 0
    total: int = 0


@dataclass
class CrudeOilNewsEvaluation:
    """Per-type and micro scores, role accuracy on found events, the confusion of types."""

    name: str = "crudeoilnews"
    events: int = 0  # every gold event, mapped or not
    types: dict[str, TypeScore] = field(default_factory=lambda: defaultdict(TypeScore))
    roles: dict[str, RoleScore] = field(default_factory=lambda: defaultdict(RoleScore))
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    by_rule: Counter[tuple[str, str]] = field(default_factory=Counter)  # (corpus type, label) -> events
    direction_column: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def total(self) -> TypeScore:
        total = TypeScore()
        for score in self.types.values():
            total += score
        return total

    @property
    def coverage(self) -> float:
        """Share of the gold events that have a geokg type."""
        return self.total.gold / self.events if self.events else 0.0

    def table(self) -> str:
        total = self.total
        lines = [
            f"[{self.name}] schema coverage: {total.gold}/{self.events} = {self.coverage:.3f} of gold events "
            "have a geokg type",
            f"[{self.name}] sentence-level scores (token containment >= 0.6)",
            f"{'type':28} {'gold':>5} {'found':>6} {'pred':>5} {'right':>6} {'P':>6} {'R':>6} {'F1':>6}",
        ]
        for key in [*sorted(self.types), "ALL (micro)"]:
            s = total if key == "ALL (micro)" else self.types[key]
            lines.append(
                f"{key:28} {s.gold:5} {s.found:6} {s.predicted:5} {s.right:6} "
                f"{s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}"
            )
        lines.append(f"[{self.name}] role accuracy on found events (where the gold event has the role):")
        for key in ROLES:
            if key == "direction" and not self.direction_column:
                lines.append("  direction    not scored: the events query has no ?direction column")
                continue
            r = self.roles[key]
            lines.append(f"  {key:12} {r.right}/{r.total} = {r.right / r.total if r.total else 0.0:.3f}")
        lines.append(
            f"[{self.name}] confusion: gold corpus type (rows) x predicted geokg type on an overlapping "
            "sentence (columns; '-' = no prediction there; row '-' = predicted events on sentences with "
            "no gold event)"
        )
        rows = [t for t in (*CORPUS_TYPES, "-") if any(k[0] == t for k in self.confusion)]
        lines.append(render_confusion(self.confusion, rows=rows))
        return "\n".join(lines)

    def mapping_table(self) -> str:
        """The mapping rules, then how many gold events each corpus type sends to each geokg type."""
        lines = ["| corpus type | argument or trigger | geokg type |", "| --- | --- | --- |"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in RULES]
        lines += [
            "",
            f"Gold events by corpus type and the geokg type they map to ({self.name}):",
            "",
            "| corpus type | geokg type | events |",
            "| --- | --- | ---: |",
        ]
        for (kind, label), n in sorted(
            self.by_rule.items(),
            key=lambda kv: (CORPUS_TYPES.index(kv[0][0]) if kv[0][0] in CORPUS_TYPES else 99, -kv[1]),
        ):
            lines.append(f"| {kind} | {label or '— (no geokg type)'} | {n} |")
        return "\n".join(lines)


ROLES = ("agent", "theme", "recipient", "value", "direction")
_AGENT_ROLES = ("supplier_consumer", "imposer", "forecaster")
_STOP = frozenset({"the", "of", "and", "a", "an", "s", "inc", "co", "corp", "ltd", "plc", "group"})


def _name_match(gold: Iterable[str], predicted: Iterable[str]) -> bool:
    """A predicted label matches a gold argument text when they share a content word, or an
    initialism ("U.S." / "United States")."""

    def keys(text: str) -> set[str]:
        words = [w for w in re.findall(r"[a-z0-9]+", text.lower().replace(".", "")) if w not in _STOP]
        initials = "".join(w[0] for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP)
        return set(words) | ({initials} if len(initials) > 1 else set())

    wanted = [keys(g) for g in gold]
    return any(w & keys(p) for w in wanted for p in predicted)


_SCALE = {
    "thousand": 1000,
    "k": 1000,
    "million": 10**6,
    "mln": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bln": 10**9,
    "bn": 10**9,
    "b": 10**9,
}


def numbers(texts: Iterable[str]) -> set[Decimal]:
    """Numbers a gold argument states, as written and scaled ("1.1 million" -> 1.1 and 1100000).

    >>> sorted(numbers(["4.278-million-barrel", "$1.46"]))
    [Decimal('1.46'), Decimal('4.278'), Decimal('4278000.000')]
    """
    found: set[Decimal] = set()
    for text in texts:
        for value, scale in re.findall(
            r"(\d[\d,]*(?:\.\d+)?)[\s-]*(thousand|million|billion|mln|bln|bn|m|k|b)?\b", text.lower()
        ):
            number = Decimal(value.replace(",", ""))
            found.add(number)
            if scale:
                found.add(number * _SCALE[scale])
    return found


def _roles(gold: GoldEvent, event: Predicted, direction: bool) -> dict[str, bool]:
    """Which roles of a gold event the paired prediction got right (only roles the gold has)."""
    args = gold.arguments
    out: dict[str, bool] = {}
    agents = [t for role, texts in args.items() if role.rstrip("0123456789") in _AGENT_ROLES for t in texts]
    if agents:
        out["agent"] = _name_match(agents, event.agents)
    if args.get("item"):
        out["theme"] = _name_match(args["item"], event.themes)
    recipients = [t for role, texts in args.items() if role.rstrip("0123456789") == "imposee" for t in texts]
    if recipients:
        out["recipient"] = _name_match(recipients, event.recipients)
    stated = numbers(t for role in ("difference", "final_value", "initial_value") for t in args.get(role, []))
    if stated:
        out["value"] = bool(
            stated & {v.normalize() for v in event.values}
            or {s.normalize() for s in stated} & {v.normalize() for v in event.values}
        )
    if direction and gold.type in DIRECTION:
        out["direction"] = event.direction == DIRECTION[gold.type]
    return out


def score(
    gold: Sequence[GoldEvent],
    predicted: Sequence[Predicted],
    *,
    name: str = "crudeoilnews",
    direction_column: bool = False,
) -> CrudeOilNewsEvaluation:
    """Sentence-level scores of ``predicted`` against ``gold`` (see the module docstring).

    Only predictions of documents that have gold events count: a CSV of a larger build scores
    against the documents of the split.
    """
    result = CrudeOilNewsEvaluation(name=name, events=len(gold), direction_column=direction_column)
    docs = {g.doc for g in gold}
    by_doc: dict[str, list[Predicted]] = defaultdict(list)
    for event in predicted:
        if event.doc in docs:
            by_doc[event.doc].append(event)
    gold_by_doc: dict[str, list[GoldEvent]] = defaultdict(list)
    for g in gold:
        gold_by_doc[g.doc].append(g)
        result.by_rule[(g.type, g.mapped.label)] += 1
        overlapping = [p for p in by_doc[g.doc] if p.states(g.sentence)]
        for kind in {p.type for p in overlapping} or {"-"}:
            result.confusion[(g.type, kind)] += 1
        if not g.mapped.label:
            continue
        row = result.types[g.mapped.label]
        row.gold += 1
        hits = [p for p in overlapping if p.type in g.mapped.accepts]
        if not hits:
            result.errors.append(
                f"{g.doc} miss: {g.mapped.label} ({g.type} '{g.trigger}' {dict(g.arguments)}) | {g.sentence[:120]}"
            )
            continue
        row.found += 1
        roles = max((_roles(g, p, direction_column) for p in hits), key=lambda r: sum(r.values()))
        for role, ok in roles.items():
            result.roles[role].total += 1
            result.roles[role].right += ok
    for doc, events in sorted(by_doc.items()):
        for p in events:
            if not any(p.states(g.sentence) for g in gold_by_doc[doc]):
                result.confusion[("-", p.type)] += 1
            if p.type not in SCORED_TYPES:
                continue
            row = result.types[row_of(p.type)]
            row.predicted += 1
            if any(p.type in g.mapped.accepts and p.states(g.sentence) for g in gold_by_doc[doc]):
                row.right += 1
            else:
                result.errors.append(
                    f"{doc} false: {p.type} agent={sorted(p.agents)} themes={sorted(p.themes)} | {p.sentence[:120]}"
                )
    return result
