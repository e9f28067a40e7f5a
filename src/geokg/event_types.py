"""The event-type registry: every event type geokg knows, declared once.

Each :class:`EventTypeSpec` says what the type means (its ontology class, label and comment),
how it is grouped (family), which roles it takes, which status values it may carry, whether it
carries a direction (up, down, unchanged), how reports of it in different articles are merged
into one happening (``grouping``), where events of the type come from (``source``: the rules,
the trained trigger model or both), and its colour on the graph page.

Everything else follows this table. The extractor's ``EventType``, the ``GK`` namespace, the
cross-document rules and the graph page read it when imported; the event classes of
``ontology/geokg.ttl``, the event-type shapes of ``shapes/geokg-shapes.ttl`` and the table in
``ontology/MAPPING.md`` are blocks generated from it (``python -m geokg.event_types_files
--write``; ``tests/test_event_types.py`` fails while they are stale, as it does when the shipped
trigger model, the annotation guide or a stored query disagrees with it). Adding a type is one
entry here, that command, and its rules or training data. An entry that is incomplete or
contradicts itself fails here, at import, naming the type and the field.

No rdflib and no spaCy here: this is the kernel every stage may import.

Example:
    >>> SPECS["PriceChange"].family, SPECS["PriceChange"].directional, SPECS["PriceChange"].member
    ('market', True, 'PRICE_CHANGE')
    >>> [s.name for s in EVENT_TYPES if s.grouping == "symmetric"]
    ['Agreement', 'Meeting', 'Tension']
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

__all__ = ["EVENT_TYPES", "FAMILIES", "GROUPINGS", "ROLES", "SPECS", "EventTypeSpec", "trained_labels"]

# What each family groups, in the order the graph page and documentation list them.
FAMILIES = {
    "trade": "who offers, sells, buys or ships which commodity to whom, and trade volumes",
    "measures": "export restrictions, sanctions and tariffs: measures a state or bloc imposes",
    "diplomacy": "agreements, meetings, tensions and statements between states and organisations",
    "market": "production, prices, demand, stocks, disruptions, forecasts, balances, the economy",
    "rankings": "a country's rank for reserves or production of a commodity, by a source",
}

# Role name -> what fills it. Events keep these on ``geokg.model.Event``.
ROLES = {
    "agent": "who does it: producer, seller, buyer, the state imposing a measure, forecaster, speaker",
    "theme": "the commodity (or, for an economic trend, what moves: the economy, growth)",
    "recipient": "who receives it or is targeted: buyer of a sale, target of a sanction or tariff",
    "counterparty": "the other side of an agreement, meeting or tension",
    "place": "where: a country, region or facility (mine, oilfield, refinery, port, pipeline)",
    "quantity": "the amount or level: 2 million tonnes, $78 a barrel, 9.8 million bpd",
    "change": "the size of a change: cut by 500,000 bpd, rose 3%",
    "previous": "the level before a change, when given: from 8.1 bcm",
    "direction": "up, down or unchanged, for moves of prices, volumes, demand, stocks, the economy",
    "date": "when it happened or will happen",
    "status": "offered, signed, imposed, lifted, proposed, held, planned…",
    "attributedTo": "who the fact is attributed to: the speaker or the outlet",
}

Grouping = Literal["directed", "symmetric", "ranking", "standalone"]
Source = Literal["rules", "model", "both"]

# When crossdoc takes reports of one type in different articles for one happening (within its
# date window); the words are what ontology/MAPPING.md shows.
GROUPINGS: dict[Grouping, str] = {
    "directed": "same agent, compatible recipients and commodities",
    "symmetric": "shared parties, in any order, and compatible commodities",
    "ranking": "same commodity and measure, within a longer window",
    "standalone": "never: each report stands alone",
}

_CORE = ("agent", "theme", "recipient", "counterparty", "place", "quantity", "date", "attributedTo")
_MOVE = _CORE + ("change", "previous", "direction")
_MEASURE_STATUSES = ("imposed", "proposed", "lifted", "to be lifted")
# A Turtle local name, a Python identifier and an enum member name all at once.
_NAME = re.compile(r"[A-Z][A-Za-z0-9]*\Z")
_COLOUR = re.compile(r"#[0-9a-f]{6}\Z")


@dataclass(frozen=True, slots=True)
class EventTypeSpec:
    """One event type. ``name`` is the ontology class's local name and the ``?type`` of ``events``.

    ``grouping`` is how crossdoc merges reports (:data:`GROUPINGS`); ``source`` is where the
    extractor takes triggers of the type from; ``trained`` whether the trigger model learns the
    type (it may learn a type whose triggers the extractor takes from the rules alone: knowing
    deals and meetings helps it tell them from other events); ``needs_agent`` whether an event
    without an actor is dropped (the commodity alone does not say who acts); ``statuses`` the
    values ``gk:status`` may take on the type (the shapes hold events to them; none: the type
    never has a status).

    Raises:
        ValueError: a field is missing or not valid, naming the type and the field.
    """

    name: str
    label: str
    comment: str
    family: str
    colour: str
    roles: tuple[str, ...] = _CORE
    statuses: tuple[str, ...] = ("planned",)
    grouping: Grouping = "directed"
    source: Source = "both"
    trained: bool = True
    # A market move may have no actor ("Brent rose 3%"): its commodity is enough.
    needs_agent: bool = True

    def __post_init__(self) -> None:
        problems = list(_problems(self))
        if problems:
            raise ValueError(f"event type {self.name!r} (geokg.event_types): " + "; ".join(problems))

    @property
    def member(self) -> str:
        """The ``EventType`` member's name: ``PriceChange`` -> ``PRICE_CHANGE``."""
        return re.sub(r"(?<!^)(?=[A-Z])", "_", self.name).upper()

    @property
    def directional(self) -> bool:
        return "direction" in self.roles


def _problems(spec: EventTypeSpec) -> Iterable[str]:
    def invalid(field: str, value: object, valid: Iterable[str]) -> str:
        return f"`{field}` value {value!r} is not valid. It must be in: {', '.join(valid)}"

    if not _NAME.match(spec.name):
        yield "`name` must be UpperCamelCase letters and digits, such as 'PriceChange'"
    if not spec.label or spec.label != spec.label.lower():
        yield f"`label` {spec.label!r} must be a non-empty lower-case phrase, such as 'price change'"
    if not spec.comment.endswith("."):
        yield "`comment` must be a sentence ending with a full stop"
    if spec.family not in FAMILIES:
        yield invalid("family", spec.family, FAMILIES)
    if not _COLOUR.match(spec.colour):
        yield f"`colour` {spec.colour!r} must be lower-case hex '#rrggbb'"
    for role in spec.roles:
        if role not in ROLES:
            yield invalid("roles", role, ROLES)
    if len(set(spec.statuses)) != len(spec.statuses) or not all(s and s == s.strip().lower() for s in spec.statuses):
        yield f"`statuses` {spec.statuses!r} must be distinct non-empty lower-case strings"
    if spec.grouping not in GROUPINGS:
        yield invalid("grouping", spec.grouping, GROUPINGS)
    if spec.source not in get_args(Source):
        yield invalid("source", spec.source, get_args(Source))
    elif spec.source != "rules" and not spec.trained:
        yield f"`source` {spec.source!r} takes the trigger model's triggers, but `trained` is False"


def _check_table(specs: tuple[EventTypeSpec, ...]) -> None:
    """Fail at import when two entries share what must tell them apart."""
    for field in ("name", "label", "colour"):
        twice = sorted(value for value, n in Counter(getattr(s, field) for s in specs).items() if n > 1)
        if twice:
            raise ValueError(
                f"geokg.event_types: two event types share the {field} {', '.join(twice)}; each type needs its own"
            )


# Order matters: when one clause holds triggers of several types, the first type listed wins
# ("offered to sell" is an Offer, "signed a supply deal" an Agreement).
# fmt: off
EVENT_TYPES: tuple[EventTypeSpec, ...] = (
    EventTypeSpec("Offer", "offer",
                  "An actor offers or proposes to supply, share or develop a commodity or resource.",
                  "trade", "#edc948", statuses=("offered",)),
    EventTypeSpec("ExportRestriction", "export restriction",
                  "An actor bans, limits, licenses or taxes its own exports of a commodity.",
                  "measures", "#d37295", statuses=_MEASURE_STATUSES),
    EventTypeSpec("Sanction", "sanction",
                  "An actor imposes, extends or lifts a punitive measure on a recipient: economic "
                  "sanctions or an embargo, and also aid halted, links suspended, diplomats expelled "
                  "or entry denied.",
                  "measures", "#a0cbe8", statuses=_MEASURE_STATUSES),
    EventTypeSpec("Tariff", "tariff",
                  "An actor imposes, raises, lowers or removes an import tariff or duty.",
                  "measures", "#ffbe7d", statuses=_MEASURE_STATUSES),
    EventTypeSpec("Agreement", "agreement",
                  "Two or more parties sign, agree or negotiate a deal, treaty or memorandum, on any matter.",
                  "diplomacy", "#86bcb6", statuses=("signed", "agreed", "negotiating", "proposed"),
                  # The extractor reads deals and meetings with the rules alone: on news-dev the
                  # model's added more false hits than hits (both types; a tuning set).
                  grouping="symmetric", source="rules"),
    EventTypeSpec("Meeting", "meeting",
                  "Two or more parties meet, hold talks or hold a call.",
                  "diplomacy", "#fabfd2", statuses=("held", "proposed"), grouping="symmetric",
                  source="rules"),
    EventTypeSpec("PurchaseOrImport", "purchase or import",
                  "An actor buys or imports a commodity, possibly from a counterparty.",
                  "trade", "#bab0ac"),
    EventTypeSpec("SaleOrSupply", "sale or supply",
                  "An actor sells, supplies, exports or delivers a commodity to a recipient.",
                  "trade", "#ff9da7"),
    EventTypeSpec("Production", "production",
                  "An actor produces, mines or extracts a quantity of a commodity, or changes its "
                  "output or capacity (a cut is a change down); the producer may go unnamed "
                  "(\"global copper output will fall\").",
                  "market", "#d4a6c8", roles=_MOVE, needs_agent=False),
    EventTypeSpec("PriceChange", "price change",
                  "The price of a commodity, benchmark, share or currency rises, falls or reaches a level.",
                  "market", "#f1ce63", roles=_MOVE, needs_agent=False),
    EventTypeSpec("TradeChange", "trade volume change",
                  "A country's or company's export or import volumes of a commodity rise, fall or stand "
                  "at a level, without a specific deal (a cut in exports is a change down, never a supply).",
                  "trade", "#e8a87c", roles=_MOVE, needs_agent=False),
    EventTypeSpec("DemandChange", "demand change",
                  "Demand for or consumption of a commodity rises, falls or is described as weak or strong.",
                  "market", "#c9b3e6", roles=_MOVE, source="model", needs_agent=False),
    EventTypeSpec("InventoryChange", "inventory change",
                  "Stocks, inventories or stockpiles of a commodity build, draw or stand at a level.",
                  "market", "#9edae5", roles=_MOVE, source="model", needs_agent=False),
    EventTypeSpec("SupplyDisruption", "supply disruption",
                  "An outage, strike, attack, unrest, accident or weather hits output or shipping of a "
                  "commodity.",
                  "market", "#ff7f0e", source="model", needs_agent=False),
    EventTypeSpec("Forecast", "forecast",
                  "An agency, bank, ministry or analyst forecasts, projects or revises an estimate.",
                  "market", "#aec7e8", roles=_MOVE, source="model"),
    EventTypeSpec("MarketBalance", "market balance",
                  "A market is in surplus or deficit: oversupply, a glut, a shortage, tightness.",
                  "market", "#98df8a", source="model", needs_agent=False),
    EventTypeSpec("EconomicTrend", "economic trend",
                  "An economy, its growth or its activity strengthens or weakens: growth, slowdown, "
                  "recession, recovery.",
                  "market", "#c49c94", roles=_MOVE, source="model"),
    EventTypeSpec("Tension", "tension",
                  "A state or bloc threatens, warns, accuses, condemns or protests against another, or "
                  "shows force: a dispute that is not (yet) a measure.",
                  "diplomacy", "#f7b6d2", grouping="symmetric", source="model"),
    EventTypeSpec("ReservesRank", "reserves rank",
                  "A country ranks at a position for reserves or production of a commodity, according to a source.",
                  "rankings", "#79706e", statuses=(), grouping="ranking", source="rules", trained=False),
    EventTypeSpec("Statement", "statement",
                  "A speaker says something, quoted or paraphrased, possibly relayed by an outlet.",
                  "diplomacy", "#bcbd22", statuses=(), grouping="standalone", source="rules", trained=False),
)

_check_table(EVENT_TYPES)
# fmt: on

SPECS: dict[str, EventTypeSpec] = {spec.name: spec for spec in EVENT_TYPES}


def trained_labels() -> list[str]:
    """The labels the trained trigger model predicts."""
    return [spec.name for spec in EVENT_TYPES if spec.trained]
