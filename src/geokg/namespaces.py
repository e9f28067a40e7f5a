"""Vocabulary terms as Python names, so a typo fails at import time, not in a query.

``GK`` mirrors ``ontology/geokg.ttl`` term for term (``tests/test_ontology.py``
checks both directions; the event classes come from :mod:`geokg.event_types`); with
``_fail = True`` an undeclared name raises ``AttributeError`` (the rdflib
``namespace/_SH.py`` pattern). The other
namespaces are the reused vocabularies of ``ontology/MAPPING.md``, and
``PREFIXES`` (plain strings in :mod:`geokg.iri_space`, which the namespaces here are built
from) binds them all on a graph.

Example:
    >>> GK.ReservesRank
    rdflib.term.URIRef('https://w3id.org/geokg/ontology#ReservesRank')
    >>> GK.rnak
    Traceback (most recent call last):
    ...
    AttributeError: term 'rnak' not in namespace 'https://w3id.org/geokg/ontology#'
    >>> from rdflib import Graph
    >>> g = bind_prefixes(Graph())
    >>> g.namespace_manager.curie(GK.rank)
    'gk:rank'
"""

# No ``from __future__ import annotations`` here: DefinedNamespace reads the
# class annotations as types (``as_jsonld_context`` calls ``issubclass`` on them).
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD, DefinedNamespace

from geokg.event_types import EVENT_TYPES
from geokg.iri_space import PREFIXES

__all__ = [
    "DCTERMS",
    "GK",
    "GKID",
    "GKSH",
    "OA",
    "OWL",
    "PREFIXES",
    "PROV",
    "QUDT",
    "RDF",
    "RDFS",
    "REPORT",
    "SCHEMA",
    "SEM",
    "SKOS",
    "UNIT",
    "CURRENCY",
    "WD",
    "XSD",
    "bind_prefixes",
]


class GK(DefinedNamespace):
    """geokg ontology: ``https://w3id.org/geokg/ontology#`` (declared in ``ontology/geokg.ttl``)."""

    _fail = True
    _NS = Namespace(PREFIXES["gk"])

    # Entities
    Entity: URIRef  # A canonical real-world thing that news names.
    Person: URIRef  # A human being named in the news.
    Country: URIRef  # A sovereign state, present or historical, with an ISO 3166-1 alpha-2 code.
    Organization: URIRef  # A government body, international organisation, agency or group.
    Company: URIRef  # A business (subclass of Organization).
    Media: URIRef  # A news outlet (subclass of Organization).
    Exchange: URIRef  # A commodity or stock exchange (subclass of Organization).
    Commodity: URIRef  # A traded good or resource; a skos:Concept of the commodity scheme.
    Place: URIRef  # A location that is not a country.
    Facility: URIRef  # A mine, oilfield, refinery, port, pipeline... (subclass of Place).
    Office: URIRef  # A public position independent of its holder.
    Tenure: URIRef  # A person holding an office between two dates.

    # Articles, events and evidence
    Article: URIRef  # One news article: metadata, full text, mentions.
    Event: URIRef  # An n-ary fact reported by an article.
    # ... and one subclass per event type, added below from the registry.
    Quantity: URIRef  # A qudt:numericValue with a qudt:unit.
    Evidence: URIRef  # A span of the article text (oa:start, oa:end, oa:exact).

    # Event roles and attributes
    agent: URIRef  # Who does it (≤ 1).
    onBehalfOf: URIRef  # Whom the agent acts for (≤ 1).
    theme: URIRef  # What it is about in trade terms, usually a commodity.
    recipient: URIRef  # Who receives or is targeted.
    change: URIRef  # The size of a move (≤ 1).
    previousQuantity: URIRef  # The level before a move (≤ 1).
    direction: URIRef  # up, down or unchanged (≤ 1).
    counterparty: URIRef  # The other side.
    place: URIRef  # Where it happens (≤ 1).
    quantity: URIRef  # The amount involved (≤ 1).
    date: URIRef  # The day, an xsd:date (≤ 1).
    status: URIRef  # How far it got, a plain string (≤ 1).
    confidence: URIRef  # How far the producing rule is trusted, xsd:decimal in [0, 1] (≤ 1).
    attributedTo: URIRef  # Who the fact is attributed to (≤ 1).
    reportedBy: URIRef  # The outlet relaying a statement (≤ 1).
    rank: URIRef  # Position in a ranking, an xsd:integer ≥ 1 (exactly 1 on ReservesRank).
    rankedAfter: URIRef  # Entities ranked ahead.
    measure: URIRef  # Form of a measure or what is ranked (≤ 1).
    quote: URIRef  # What a speaker said (exactly 1 on Statement).
    about: URIRef  # What a statement is about.
    evidence: URIRef  # The supporting span (exactly 1).
    restatedIn: URIRef  # Other spans of the article stating the same event (0..n).

    # Articles
    mentions: URIRef  # An entity the article names.
    salientMention: URIRef  # A mentioned entity the article is about (sub-property of mentions).
    text: URIRef  # The full text evidence offsets point into (exactly 1).
    contentHash: URIRef  # SHA-256 of the article as read; incremental builds compare it.

    # Reference data
    iso3166Alpha2: URIRef  # Two upper-case letters.
    iso3166Alpha3: URIRef  # Three upper-case letters.
    country: URIRef  # The country of a place, organisation, office or person.
    demonym: URIRef  # Sub-property of skos:altLabel: "Russian".
    metonym: URIRef  # Sub-property of skos:altLabel: "the Kremlin".
    ambiguous: URIRef  # Sub-property of skos:altLabel: a name shared with other things.
    validUntil: URIRef  # Last day of a historical state.
    office: URIRef  # The office of a tenure.
    holder: URIRef  # The person of a tenure.
    start: URIRef  # First day of a tenure.
    end: URIRef  # Last day of a tenure.

    # Across articles (geokg.crossdoc)
    CanonicalEvent: URIRef  # One happening as several articles report it.
    canonicalEvent: URIRef  # Article event -> its canonical event.
    eventType: URIRef  # The event class of a canonical event.
    currentStatus: URIRef  # Status given by the latest report of a canonical event.
    disputedField: URIRef  # What reports of a canonical event from different articles differ on.
    follows: URIRef  # Previous canonical event of the same type between the same participants.
    canonical: URIRef  # Minted entity -> the minted entity it is an alias of.
    linked: URIRef  # False for entities the reference data lacks.
    displayLabel: URIRef  # The one name queries show for an entity (cross-document entities graph).


class REPORT(DefinedNamespace):
    """Display values the cross-document pass caches on each canonical event: ``https://w3id.org/geokg/report#``.

    Not ontology: each is computed from the member events' ``prov:wasDerivedFrom``, ``gk:theme``
    and outlets, so that queries listing thousands of canonical events need not group their
    reports; lists are sorted and joined by ", ". The values reports of a disputed canonical event
    give, each with its article, outlets and sentence, are cached the same way, for ``disagreements``.
    """

    _fail = True
    _NS = Namespace(PREFIXES["report"])

    articleCount: URIRef  # How many articles report the canonical event.
    articles: URIRef  # The ids of those articles.
    outlets: URIRef  # The display labels of the media behind its reports (absent when none).
    commodities: URIRef  # The display labels of its reports' commodities (absent when none).
    # What the disagreements query lists of a disputed canonical event: one node per value a report gives.
    reportedValue: URIRef  # Disputed canonical event -> a value one of its reports gives for a disputed field.
    field: URIRef  # The field of that value: "quantity", "rank", "date" or "status".
    event: URIRef  # The article event giving it.
    value: URIRef  # The value as shown ("2 million tonnes", "5", "2025-03-03", "signed").
    differsFrom: URIRef  # A value -> a different value another article's report gives (IRI order of the events).
    commodity: URIRef  # Disputed canonical event -> the label of its reports' commodities or a broader one.
    article: URIRef  # The id of the event's article.
    outlet: URIRef  # An outlet of the report: its article's publisher, else who relays it, else its source.
    sentence: URIRef  # The sentence of the article the event was extracted from.


# The event classes are the registry's (geokg.event_types), as in the ontology's generated block:
# a new type needs no edit here. DefinedNamespace reads its terms from the annotations.
GK.__annotations__.update(dict.fromkeys((spec.name for spec in EVENT_TYPES), URIRef))


# Reused vocabularies (rdflib ships PROV, SKOS, DCTERMS, OWL, XSD, RDFS; schema.org as SDO).
SCHEMA = SDO
OA = Namespace(PREFIXES["oa"])
QUDT = Namespace(PREFIXES["qudt"])
UNIT = Namespace(PREFIXES["unit"])
CURRENCY = Namespace(PREFIXES["currency"])
SEM = Namespace(PREFIXES["sem"])
WD = Namespace(PREFIXES["wd"])
GKID = Namespace(PREFIXES["gkid"])
GKSH = Namespace(PREFIXES["gksh"])


def bind_prefixes(graph: Graph) -> Graph:
    """Bind every prefix of :data:`PREFIXES` on ``graph`` (replacing rdflib's defaults) and return it."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    return graph
