"""The article and facts model: what is read, and what an extractor says about it.

Part of the kernel (see ``tests/test_architecture.py``): frozen dataclasses with no
rdflib, no spaCy and no geokg module above the kernel. Facts carry ``EntityRef`` keys
(``EntityRef(EntityKind.COUNTRY, "RU")``), never IRIs: :mod:`geokg.iri_space` mints
those. Another extractor (a bigger model, an LLM) can produce the same ``ArticleFacts``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from geokg.event_types import EVENT_TYPES


@dataclass(frozen=True, slots=True)
class Article:
    """One news article. ``text`` is what extraction reads: the title, then the body."""

    id: str
    text: str
    date: dt.date | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    line: int | None = None  # the JSON Lines line the article came from


def content_hash(article: Article) -> str:
    """SHA-256 (hex) of what an article's graph is made from: text, title, date, source, URL.

    Stored as ``gk:contentHash`` in the article graph; an incremental build skips
    an article whose stored hash equals this one.

    Example:
        >>> a = Article(id="a1", text="Oil rose.")
        >>> content_hash(a) == content_hash(Article(id="a1", text="Oil rose.", path="x.txt"))
        True
        >>> content_hash(a) == content_hash(Article(id="a1", text="Oil fell."))
        False
    """
    parts = (article.text, article.title or "", str(article.date or ""), article.source or "", article.url or "")
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


class EntityKind(str, Enum):
    """Entity types; the value is the ontology class's local name."""

    PERSON = "Person"
    COUNTRY = "Country"
    ORGANIZATION = "Organization"
    COMPANY = "Company"
    MEDIA = "Media"
    COMMODITY = "Commodity"
    PLACE = "Place"
    # A mine, oilfield, refinery, port, pipeline...: a place events happen at (gk:Facility ⊑ gk:Place).
    FACILITY = "Facility"


# The closed set of event classes, one member per registry entry (``geokg.event_types``); the
# value is the ontology class's local name: ``EventType.PRICE_CHANGE.value == "PriceChange"``.
EventType = Enum("EventType", [(spec.member, spec.name) for spec in EVENT_TYPES], type=str)  # type: ignore[misc]


@dataclass(frozen=True, slots=True)
class EntityRef:
    """A canonical entity: its kind and key (ISO code for countries, else a slug)."""

    kind: EntityKind
    key: str

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("EntityRef.key must not be empty")


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity the article mentions. ``known`` is True when it comes from reference data."""

    ref: EntityRef
    label: str
    known: bool = True
    # The country a facility lies in, when the text says so ("Peru's Antamina mine").
    located_in: EntityRef | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A span of the article text: ``text == article.text[start:end]``."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad evidence offsets {self.start}..{self.end}")


@dataclass(frozen=True, slots=True)
class Mention:
    """One surface form in the text that refers to a canonical entity."""

    entity: EntityRef
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with a unit key (``"tonne"``, ``"barrel per day"``, ``"USD"``, ``"percent"``)."""

    value: Decimal
    unit: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """One n-ary fact. Statements and rankings are events too (``type`` says which).

    Roles follow the news-dev annotation: ``agent`` does it (offerer, supplier,
    importer, the state imposing a measure, the speaker of a statement, the
    ranked country); ``recipients`` receive it or are targeted; ``counterparties``
    are the other side; ``themes`` are commodities. ``attributed_to`` is who
    the fact is attributed to (an outlet that quotes it, a body whose data shows
    it); ``reported_by`` is the outlet relaying a statement.
    """

    type: EventType
    evidence: Evidence
    agent: EntityRef | None = None
    on_behalf_of: EntityRef | None = None
    themes: tuple[EntityRef, ...] = ()
    recipients: tuple[EntityRef, ...] = ()
    counterparties: tuple[EntityRef, ...] = ()
    place: EntityRef | None = None
    quantity: Quantity | None = None
    # Moves (prices, output, trade volumes, demand, stocks): which way, by how much, from what.
    direction: str | None = None
    change: Quantity | None = None
    previous: Quantity | None = None
    date: dt.date | None = None
    status: str | None = None
    attributed_to: EntityRef | None = None
    reported_by: EntityRef | None = None
    rank: int | None = None
    ranked_after: tuple[EntityRef, ...] = ()
    measure: str | None = None
    quote: str | None = None
    about: tuple[EntityRef, ...] = ()
    # Other sentences of the article that state the same event (a headline and its lead): the
    # fact is kept once, every sentence that reports it stays citable.
    restated: tuple[Evidence, ...] = ()
    # How far the rule that produced the fact is trusted, in [0, 1] (see events.CONFIDENCE).
    confidence: float = 0.5


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """Everything extracted from one article."""

    article: Article
    publisher: Entity | None = None
    entities: tuple[Entity, ...] = ()
    mentions: tuple[Mention, ...] = ()
    events: tuple[Event, ...] = ()
    # The entities the article is about (``extract.salient``): a subset of ``entities``.
    about: tuple[EntityRef, ...] = ()
