"""The only place geokg mints IRIs. Pure functions over keys and ids.

Example:
    >>> entity_iri(EntityRef(EntityKind.COUNTRY, "RU"))
    rdflib.term.URIRef('https://w3id.org/geokg/id/country/RU')
    >>> event_iri("a1", 3)
    rdflib.term.URIRef('https://w3id.org/geokg/id/event/a1-3')
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable

from anyascii import anyascii
from rdflib import URIRef

from geokg import iri_space
from geokg.extract.model import EntityKind, EntityRef
from geokg.iri_space import KIND_SEGMENT

# The IRI space as strings lives in geokg.iri_space (no rdflib); here as rdflib terms.
BASE, ID, GRAPH, ARTICLE_GRAPH = iri_space.BASE, iri_space.ID, iri_space.GRAPH, iri_space.ARTICLE_GRAPH
REFERENCE_GRAPH = URIRef(iri_space.REFERENCE_GRAPH)
ONTOLOGY_GRAPH = URIRef(iri_space.ONTOLOGY_GRAPH)
#: The graphs every build loads from the packaged files (``geokg validate`` checks them).
BUILT_IN_GRAPHS = (REFERENCE_GRAPH, ONTOLOGY_GRAPH)
DERIVED_STALE_GRAPH = URIRef(iri_space.DERIVED_STALE_GRAPH)
article_id_from_graph = iri_space.article_id_from_graph
is_legacy_article_graph = iri_space.is_legacy_article_graph
# Graphs derived across articles (geokg.crossdoc).
CROSSDOC_ENTITIES_GRAPH = URIRef(GRAPH + "crossdoc/entities")
CROSSDOC_EVENTS_GRAPH = URIRef(GRAPH + "crossdoc/events")
COMMODITY_SCHEME = URIRef(ID + "scheme/commodities")

SEGMENT_KIND = {segment: kind for kind, segment in KIND_SEGMENT.items()}

_QUDT_UNIT = "http://qudt.org/vocab/unit/"
_QUDT_CURRENCY = "http://qudt.org/vocab/currency/"
# Unit keys the extractor emits → QUDT IRIs where QUDT has the unit; other keys
# get gkid:unit/{slug}. Labels for all of them live in ontology/reference/units.ttl.
UNIT_IRIS = {
    "tonne": _QUDT_UNIT + "TONNE",
    "kilogram": _QUDT_UNIT + "KiloGM",
    "percent": _QUDT_UNIT + "PERCENT",
    "barrel": _QUDT_UNIT + "BBL",
    "cubic metre": _QUDT_UNIT + "M3",
    "troy ounce": _QUDT_UNIT + "OZ_TROY",
    "megawatt": _QUDT_UNIT + "MegaW",
    "USD": _QUDT_CURRENCY + "USD",
    "EUR": _QUDT_CURRENCY + "EUR",
    "GBP": _QUDT_CURRENCY + "GBP",
    "JPY": _QUDT_CURRENCY + "JPY",
    "CNY": _QUDT_CURRENCY + "CNY",
    "AUD": _QUDT_CURRENCY + "AUD",
    "CAD": _QUDT_CURRENCY + "CAD",
    "INR": _QUDT_CURRENCY + "INR",
    "RUB": _QUDT_CURRENCY + "RUB",
}


def slugify(text: str) -> str:
    """Lower-case ASCII slug: the key of entities minted from a label.

    A name in Latin script (accents dropped) keeps the plain slug. A name with
    letters or digits of any other script is transliterated (anyascii) and gets
    an 8-hex hash of its case-folded text, since dropping those characters made
    "Интерфакс" and "新华社" the same "x", and a romanisation alone can still
    merge two names ("ljzyrh" is all anyascii makes of Arabic).

    Example:
        >>> slugify("Nicolás  Maduro")
        'nicolas-maduro'
        >>> slugify("JW&JI Mcdonald & Sons")
        'jw-ji-mcdonald-sons'
        >>> slugify("Сергей Лавров"), slugify("王毅")
        ('sergey-lavrov-11d6473b', 'wangyi-e066c147')
    """
    folded = unicodedata.normalize("NFKD", text)
    if any(_foreign(char) for char in folded):
        readable = _ascii_slug(anyascii(unicodedata.normalize("NFC", text)))
        # The hash is of what the name says, not how it is cased or spaced, so the key stays stable.
        said = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
        digest = hashlib.sha256(said.encode("utf-8")).hexdigest()[:8]
        return f"{readable}-{digest}" if readable else digest
    return _ascii_slug(folded.encode("ascii", "ignore").decode("ascii")) or "x"


def _ascii_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _foreign(char: str) -> bool:
    """A letter or digit outside ASCII and the Latin script (after NFKD: accents are marks, not letters)."""
    return (not char.isascii() and unicodedata.category(char)[0] in "LN"
            and not unicodedata.name(char, "").startswith("LATIN"))


# Legal-form words dropped from the end of organisation names before keying them,
# so "Rosatom State Corporation", "Rosatom Corp." and "Rosatom" share one key.
_LEGAL_SUFFIXES = (
    ("state", "corporation"), ("state", "corp"), ("and", "co"), ("&", "co"),
    ("inc",), ("incorporated",), ("corp",), ("corporation",), ("co",), ("company",), ("ltd",),
    ("limited",), ("llc",), ("plc",), ("ag",), ("sa",), ("nv",), ("gmbh",), ("pjsc",), ("ojsc",),
    ("jsc",), ("pty",), ("bhd",),
)
# Romanisation variants at the end of a name word: Zelenskyy / Zelenskiy / Zelenskii -> Zelensky,
# Dmitriy / Dmitrii -> Dmitry. Kept to endings English names do not have (not -ski, -ei).
_TRANSLIT_ENDINGS = (("yy", "y"), ("iy", "y"), ("ii", "y"), ("ij", "y"))


def entity_name(kind: EntityKind, name: str) -> str:
    """The preferred label of an entity the reference data lacks, normalised from a surface form.

    Whitespace is collapsed; an organisation or company loses a trailing legal
    form; a person's name words get one spelling for common romanisation
    variants. Two surface forms with the same normalised name get the same
    :func:`entity_key`, hence the same IRI in every article.

    Example:
        >>> entity_name(EntityKind.COMPANY, "Rosatom State  Corporation")
        'Rosatom'
        >>> entity_name(EntityKind.COMPANY, "Acme Lithium, Inc.")
        'Acme Lithium'
        >>> entity_name(EntityKind.PERSON, "Volodymyr Zelenskyy"), entity_name(EntityKind.PERSON, "Zelenskiy")
        ('Volodymyr Zelensky', 'Zelensky')
        >>> entity_name(EntityKind.COMPANY, "Inc")
        'Inc'
    """
    words = name.split()
    if kind in (EntityKind.ORGANIZATION, EntityKind.COMPANY):
        stripped = True
        while stripped:
            stripped = False
            bare = [w.lower().strip(".,") for w in words]
            for suffix in _LEGAL_SUFFIXES:
                n = len(suffix)
                if len(words) > n and tuple(bare[-n:]) == suffix:
                    words = words[:-n]
                    stripped = True
                    break
        if words:
            words[-1] = words[-1].rstrip(",")
    elif kind is EntityKind.PERSON:
        words = [_romanised(word) for word in words]
    return " ".join(words) or name.strip()


def _romanised(word: str) -> str:
    lower = word.lower()
    for ending, replacement in _TRANSLIT_ENDINGS:
        if lower.endswith(ending) and len(word) > len(ending) + 1:
            return word[: len(word) - len(ending)] + replacement
    return word


def entity_key(kind: EntityKind, name: str) -> str:
    """The key of an entity the reference data lacks: the slug of its normalised name.

    Example:
        >>> entity_key(EntityKind.PERSON, "Zelenskyy") == entity_key(EntityKind.PERSON, "ZELENSKY")
        True
        >>> entity_key(EntityKind.COMPANY, "Rosatom State Corporation")
        'rosatom'
    """
    return slugify(entity_name(kind, name))


def minted_ref(kind: EntityKind, name: str) -> EntityRef:
    """The EntityRef of a name the reference data does not know (see :func:`entity_name`)."""
    return EntityRef(kind, entity_key(kind, name))


def entity_iri(ref: EntityRef) -> URIRef:
    return URIRef(f"{ID}{KIND_SEGMENT[ref.kind]}/{ref.key}")


def article_iri(article_id: str) -> URIRef:
    return URIRef(f"{ID}article/{article_id}")


def graph_iri(article_id: str) -> URIRef:
    """The named graph of an article, in the article graph space.

    Example:
        >>> graph_iri("reference")
        rdflib.term.URIRef('https://w3id.org/geokg/graph/article/reference')
    """
    return URIRef(f"{ARTICLE_GRAPH}{article_id}")


def event_iri(article_id: str, n: int) -> URIRef:
    return URIRef(f"{ID}event/{article_id}-{n}")


def quantity_iri(article_id: str, n: int, role: str = "") -> URIRef:
    """The quantity of event ``n``; ``role`` tells a change or previous level from the amount.

    Example:
        >>> str(quantity_iri("a1", 2)), str(quantity_iri("a1", 2, "change"))
        ('https://w3id.org/geokg/id/quantity/a1-2', 'https://w3id.org/geokg/id/quantity/a1-2-change')
    """
    return URIRef(f"{ID}quantity/{article_id}-{n}" + (f"-{role}" if role else ""))


def evidence_iri(article_id: str, n: int) -> URIRef:
    return URIRef(f"{ID}evidence/{article_id}-{n}")


def unit_iri(key: str) -> URIRef:
    """QUDT IRI of a unit key, else ``gkid:unit/{slug}``.

    Example:
        >>> unit_iri("tonne")
        rdflib.term.URIRef('http://qudt.org/vocab/unit/TONNE')
        >>> unit_iri("USD per tonne")
        rdflib.term.URIRef('https://w3id.org/geokg/id/unit/usd-per-tonne')
    """
    return URIRef(UNIT_IRIS.get(key) or f"{ID}unit/{slugify(key)}")


def canonical_event_iri(members: Iterable[str]) -> URIRef:
    """IRI of the canonical event that groups article events: a hash of their sorted IRIs.

    The same set of reports gives the same IRI whatever order articles were built in.

    Example:
        >>> canonical_event_iri(["https://w3id.org/geokg/id/event/b-1", "https://w3id.org/geokg/id/event/a-2"]) \\
        ...     == canonical_event_iri(["https://w3id.org/geokg/id/event/a-2", "https://w3id.org/geokg/id/event/b-1"])
        True
    """
    digest = hashlib.sha256("\n".join(sorted(set(members))).encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{ID}canonical-event/{digest}")
