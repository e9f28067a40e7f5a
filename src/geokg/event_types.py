"""The event-type registry: every event type geokg knows, declared once.

Each :class:`EventTypeSpec` says what the type means (its ontology class, label and comment),
how it is grouped (family), which roles it takes, which status values it may carry, whether it
carries a direction (up, down, unchanged), how reports of it in different articles are merged
into one happening (``grouping``), where events of the type come from (``source``: the rules,
the trained trigger model or both), and its colour on the graph page.

The ontology, the shapes, the extractor's ``EventType``, the cross-document rules and the graph
page read this table or are checked against it (``tests/test_event_types.py``): adding a type
is one entry here, its class in ``ontology/geokg.ttl``, and its rules or training data.

No rdflib and no spaCy here: this is the kernel every stage may import.

Example:
    >>> SPECS["PriceChange"].family, SPECS["PriceChange"].directional
    ('market', True)
    >>> [s.name for s in EVENT_TYPES if s.grouping == "symmetric"]
    ['Agreement', 'Meeting', 'Tension']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["EVENT_TYPES", "FAMILIES", "ROLES", "SPECS", "EventTypeSpec", "trained_labels"]

# What each family groups, in the order the graph page and documentation list them.
FAMILIES = {
    "trade": "who offers, sells, buys or ships which commodity to whom, and trade volumes",
    "measures": "export restrictions, sanctions and tariffs: measures a state or bloc imposes",
    "diplomacy": "agreements, meetings, tensions and statements between states and organisations",
    "market": "production, prices, demand, stocks, disruptions, forecasts, balances, the economy",
    "rankings": "a country's rank for reserves or production of a commodity, by a source",
}

# Role name -> what fills it. Events keep these on ``geokg.extract.model.Event``.
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

_CORE = ("agent", "theme", "recipient", "counterparty", "place", "quantity", "date", "attributedTo")
_MOVE = _CORE + ("change", "previous", "direction")
_MEASURE_STATUSES = ("imposed", "proposed", "lifted", "to be lifted")

Grouping = Literal["directed", "symmetric", "ranking", "standalone"]
Source = Literal["rules", "model", "both"]


@dataclass(frozen=True, slots=True)
class EventTypeSpec:
    """One event type. ``name`` is the ontology class's local name and the ``?type`` of ``events``.

    ``member`` is the ``EventType`` enum member's name; ``grouping`` is how crossdoc merges
    reports: ``directed`` (same agent, compatible recipients), ``symmetric`` (parties in any
    order), ``ranking`` (same commodity and measure) or ``standalone`` (never merged);
    ``source`` is where the extractor takes triggers of the type from; ``trained`` whether the
    trigger model learns the type (it may learn a type whose triggers the extractor takes from
    the rules alone: knowing deals and meetings helps it tell them from other events);
    ``needs_agent`` whether an event without an actor is dropped (the commodity alone does not
    say who acts).
    """

    name: str
    member: str
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

    @property
    def directional(self) -> bool:
        return "direction" in self.roles


# Order matters: when one clause holds triggers of several types, the first type listed wins
# ("offered to sell" is an Offer, "signed a supply deal" an Agreement).
EVENT_TYPES: tuple[EventTypeSpec, ...] = (
    EventTypeSpec("Offer", "OFFER", "offer",
                  "An actor offers or proposes to supply, share or develop a commodity or resource.",
                  "trade", "#edc948", statuses=("offered",)),
    EventTypeSpec("ExportRestriction", "EXPORT_RESTRICTION", "export restriction",
                  "An actor bans, limits, licenses or taxes its own exports of a commodity.",
                  "measures", "#d37295", statuses=_MEASURE_STATUSES),
    EventTypeSpec("Sanction", "SANCTION", "sanction",
                  "An actor imposes, extends or lifts a punitive measure on a recipient: economic "
                  "sanctions or an embargo, and also aid halted, links suspended, diplomats expelled "
                  "or entry denied.",
                  "measures", "#a0cbe8", statuses=_MEASURE_STATUSES),
    EventTypeSpec("Tariff", "TARIFF", "tariff",
                  "An actor imposes, raises, lowers or removes an import tariff or duty.",
                  "measures", "#ffbe7d", statuses=_MEASURE_STATUSES),
    EventTypeSpec("Agreement", "AGREEMENT", "agreement",
                  "Two or more parties sign, agree or negotiate a deal, treaty or memorandum, on any matter.",
                  "diplomacy", "#86bcb6", statuses=("signed", "agreed", "negotiating", "proposed"),
                  # The extractor reads deals and meetings with the rules alone: on news-dev the
                  # model's added more false hits than hits (both types; a tuning set).
                  grouping="symmetric", source="rules"),
    EventTypeSpec("Meeting", "MEETING", "meeting",
                  "Two or more parties meet, hold talks or hold a call.",
                  "diplomacy", "#fabfd2", statuses=("held", "proposed"), grouping="symmetric",
                  source="rules"),
    EventTypeSpec("PurchaseOrImport", "PURCHASE_OR_IMPORT", "purchase or import",
                  "An actor buys or imports a commodity, possibly from a counterparty.",
                  "trade", "#bab0ac"),
    EventTypeSpec("SaleOrSupply", "SALE_OR_SUPPLY", "sale or supply",
                  "An actor sells, supplies, exports or delivers a commodity to a recipient.",
                  "trade", "#ff9da7"),
    EventTypeSpec("Production", "PRODUCTION", "production",
                  "An actor produces, mines or extracts a quantity of a commodity, or changes its "
                  "output or capacity (a cut is a change down).",
                  "market", "#d4a6c8", roles=_MOVE),
    EventTypeSpec("PriceChange", "PRICE_CHANGE", "price change",
                  "The price of a commodity, benchmark, share or currency rises, falls or reaches a level.",
                  "market", "#f1ce63", roles=_MOVE, needs_agent=False),
    EventTypeSpec("TradeChange", "TRADE_CHANGE", "trade volume change",
                  "A country's or company's export or import volumes of a commodity rise, fall or stand "
                  "at a level, without a specific deal (a cut in exports is a change down, never a supply).",
                  "trade", "#e8a87c", roles=_MOVE, needs_agent=False),
    EventTypeSpec("DemandChange", "DEMAND_CHANGE", "demand change",
                  "Demand for or consumption of a commodity rises, falls or is described as weak or strong.",
                  "market", "#c9b3e6", roles=_MOVE, source="model", needs_agent=False),
    EventTypeSpec("InventoryChange", "INVENTORY_CHANGE", "inventory change",
                  "Stocks, inventories or stockpiles of a commodity build, draw or stand at a level.",
                  "market", "#9edae5", roles=_MOVE, source="model", needs_agent=False),
    EventTypeSpec("SupplyDisruption", "SUPPLY_DISRUPTION", "supply disruption",
                  "An outage, strike, attack, unrest, accident or weather hits output or shipping of a "
                  "commodity.",
                  "market", "#ff7f0e", source="model", needs_agent=False),
    EventTypeSpec("Forecast", "FORECAST", "forecast",
                  "An agency, bank, ministry or analyst forecasts, projects or revises an estimate.",
                  "market", "#aec7e8", roles=_MOVE, source="model"),
    EventTypeSpec("MarketBalance", "MARKET_BALANCE", "market balance",
                  "A market is in surplus or deficit: oversupply, a glut, a shortage, tightness.",
                  "market", "#98df8a", source="model", needs_agent=False),
    EventTypeSpec("EconomicTrend", "ECONOMIC_TREND", "economic trend",
                  "An economy, its growth or its activity strengthens or weakens: growth, slowdown, "
                  "recession, recovery.",
                  "market", "#c49c94", roles=_MOVE, source="model"),
    EventTypeSpec("Tension", "TENSION", "tension",
                  "A state or bloc threatens, warns, accuses, condemns or protests against another, or "
                  "shows force: a dispute that is not (yet) a measure.",
                  "diplomacy", "#f7b6d2", grouping="symmetric", source="model"),
    EventTypeSpec("ReservesRank", "RESERVES_RANK", "reserves rank",
                  "A country ranks at a position for reserves or production of a commodity, according to a source.",
                  "rankings", "#79706e", grouping="ranking", source="rules", trained=False),
    EventTypeSpec("Statement", "STATEMENT", "statement",
                  "A speaker says something, quoted or paraphrased, possibly relayed by an outlet.",
                  "diplomacy", "#bcbd22", grouping="standalone", source="rules", trained=False),
)

SPECS: dict[str, EventTypeSpec] = {spec.name: spec for spec in EVENT_TYPES}


def trained_labels() -> list[str]:
    """The labels the trained trigger model predicts."""
    return [spec.name for spec in EVENT_TYPES if spec.trained]
