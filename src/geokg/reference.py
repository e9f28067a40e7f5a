"""Reference data (``ontology/reference/*.ttl``) as a lookup index.

The single source of truth for the gazetteer's patterns, the linker's names,
demonyms, metonyms and dated offices, and the reference named graph in the
store. Files are parsed with pyoxigraph (much faster than rdflib's Turtle
parser) and nothing here imports rdflib, so extraction runs without it;
:func:`geokg.rdf.reference_graph` builds the rdflib graph the store loads.

Example:
    >>> ref = load_reference()
    >>> [e.ref.key for e in ref.lookup("the Kremlin")]
    ['RU']
    >>> ref.get(EntityRef(EntityKind.COUNTRY, "RU")).wikidata
    'Q159'
    >>> ref.holder("president-of-the-united-states", dt.date(1987, 4, 8)).key
    'ronald-reagan'
    >>> EntityRef(EntityKind.COMMODITY, "grain") in ref.ancestors(EntityRef(EntityKind.COMMODITY, "wheat"))
    True
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from geokg.errors import GeokgError
from geokg.iri_space import ID, SEGMENT_KIND
from geokg.model import EntityKind, EntityRef
from geokg.names import normalize, singular
from geokg.resources import reference_files

_GK = "https://w3id.org/geokg/ontology#"
_SKOS = "http://www.w3.org/2004/02/skos/core#"
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SAME_AS = "http://www.w3.org/2002/07/owl#sameAs"
_WIKIDATA = "http://www.wikidata.org/entity/"
_PREF, _ALT, _BROADER = _SKOS + "prefLabel", _SKOS + "altLabel", _SKOS + "broader"

# A term of the reference data: objects may be IRIs, blank nodes or literals.
_Term = ox.NamedNode | ox.BlankNode | ox.Literal
# The most specific class decides the kind; an exchange is reported as an organisation.
_TYPE_KIND = {
    _GK + "Person": EntityKind.PERSON,
    _GK + "Country": EntityKind.COUNTRY,
    _GK + "Organization": EntityKind.ORGANIZATION,
    _GK + "Exchange": EntityKind.ORGANIZATION,
    _GK + "Company": EntityKind.COMPANY,
    _GK + "Media": EntityKind.MEDIA,
    _GK + "Commodity": EntityKind.COMMODITY,
    _GK + "Place": EntityKind.PLACE,
    _GK + "Facility": EntityKind.FACILITY,
}
# Sub-properties of skos:altLabel that stated() materialises for plain SKOS clients.
_ALT_SUBPROPERTIES = (_GK + "demonym", _GK + "metonym", _GK + "ambiguous")


class ReferenceDataError(GeokgError):
    """The reference Turtle parses but breaks a rule of ``ontology/MAPPING.md``."""

    code = "GK903"

    def __init__(self, subject: str, problem: str) -> None:
        self.subject = subject
        super().__init__(f"reference data, <{subject}>: {problem}. Fix it in ontology/reference/")


@dataclass(frozen=True, slots=True)
class RefEntity:
    """One entity of the reference data.

    ``names`` holds the prefLabel first, then every altLabel (ambiguous names
    included); ``ambiguous_names`` repeats those that also name other things
    (Georgia, lead, gas) and need context before a match is trusted.
    """

    ref: EntityRef
    label: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...] = ()
    metonyms: tuple[str, ...] = ()
    iso: str | None = None
    wikidata: str | None = None
    country: str | None = None
    broader: tuple[EntityRef, ...] = ()
    valid_until: dt.date | None = None
    ambiguous: bool = False
    ambiguous_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Tenure:
    """A person holding an office from ``start`` up to, not including, ``end``."""

    holder: EntityRef
    start: dt.date
    end: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        # The end day belongs to the successor: a hand-over day has one holder.
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class Office:
    """A public position ("President of Russia") and who held it when."""

    key: str
    label: str
    names: tuple[str, ...]
    country: str | None = None
    tenures: tuple[Tenure, ...] = ()


@dataclass
class ReferenceIndex:
    """Entities and offices of the reference data, indexed by every name."""

    entities: dict[EntityRef, RefEntity]
    offices: dict[str, Office]
    _triples: list[ox.Triple] = field(default_factory=list, repr=False)
    _names: dict[str, list[tuple[int, EntityRef]]] = field(default_factory=dict, repr=False)
    _folded: dict[str, list[EntityRef]] = field(default_factory=dict, repr=False)
    _office_names: dict[str, list[str]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for entity in self.entities.values():
            ambiguous = {normalize(n) for n in entity.ambiguous_names}
            # Lower rank sorts first: proper names, then demonyms, metonyms, ambiguous names.
            ranked = [(0, n) for n in entity.names] + [(1, n) for n in entity.demonyms]
            ranked += [(2, n) for n in entity.metonyms]
            for rank, name in ranked:
                key = normalize(name)
                self._add(self._names, key, (3 if key in ambiguous else rank, entity.ref))
                if entity.ref.kind is EntityKind.COMMODITY:
                    self._add(self._folded, singular(key), entity.ref)
        for office in self.offices.values():
            for name in office.names:
                self._add(self._office_names, normalize(name), office.key)

    @staticmethod
    def _add(index: dict, key: str, value: object) -> None:
        bucket = index.setdefault(key, [])
        if value not in bucket:
            bucket.append(value)

    def get(self, ref: EntityRef) -> RefEntity | None:
        """The entity behind ``ref``, or None when the reference data lacks it."""
        return self.entities.get(ref)

    def lookup(self, surface: str) -> list[RefEntity]:
        """Entities named ``surface`` by a name, demonym or metonym, best match first.

        Example:
            >>> ref = load_reference()
            >>> "US" in [e.ref.key for e in ref.lookup("Washington")]
            True
            >>> [e.label for e in ref.lookup("rare earths")]
            ['Rare-earth elements']
        """
        key = normalize(surface)
        found: list[EntityRef] = []
        for _, ref in sorted(self._names.get(key, ()), key=lambda hit: hit[0]):
            if ref not in found:
                found.append(ref)
        # Commodity names also match in the other number: "soybean" finds "Soybeans".
        for ref in self._folded.get(singular(key), ()):
            if ref not in found:
                found.append(ref)
        return [self.entities[ref] for ref in found]

    def office_lookup(self, surface: str) -> list[Office]:
        """Offices named ``surface`` ("Kremlin leader" → President of Russia, Soviet leader).

        Example:
            >>> [o.key for o in load_reference().office_lookup("U.S. president")]
            ['president-of-the-united-states']
        """
        return [self.offices[k] for k in self._office_names.get(normalize(surface), ())]

    def holder(self, office_key: str, on: dt.date) -> EntityRef | None:
        """Who held the office on that day (None if vacant, unknown or not an office)."""
        office = self.offices.get(office_key)
        if office is None:
            return None
        holders = [t for t in office.tenures if t.covers(on)]
        return max(holders, key=lambda t: t.start).holder if holders else None

    def ancestors(self, ref: EntityRef) -> set[EntityRef]:
        """Every concept above ``ref`` by transitive ``skos:broader`` (``ref`` excluded)."""
        seen: set[EntityRef] = set()
        todo = list(self.entities[ref].broader) if ref in self.entities else []
        while todo:
            parent = todo.pop()
            if parent not in seen:
                seen.add(parent)
                todo.extend(self.entities[parent].broader if parent in self.entities else ())
        return seen

    def stated(self) -> Iterator[ox.Triple]:
        """Every triple of the reference data, as the reference named graph holds it.

        Every ``gk:demonym``, ``gk:metonym`` and ``gk:ambiguous`` name is also
        stated as ``skos:altLabel``, so plain SKOS clients see every name.
        """
        alt = ox.NamedNode(_ALT)
        for triple in self._triples:
            yield triple
            if triple.predicate.value in _ALT_SUBPROPERTIES:
                yield ox.Triple(triple.subject, alt, triple.object)


def load_reference(override_files: Sequence[str | os.PathLike[str]] | None = None) -> ReferenceIndex:
    """Load the reference index; the default set of files is loaded once and cached.

    Args:
        override_files: Turtle files to load instead of ``ontology/reference/*.ttl``.

    Raises:
        SyntaxError: a file is not valid Turtle (pyoxigraph names file, line and column).
        ReferenceDataError: an entity breaks a rule of ``ontology/MAPPING.md``.
    """
    if override_files is None:
        return _default()
    return _build(_parse(override_files))


@lru_cache(maxsize=1)
def _default() -> ReferenceIndex:
    return _build(_parse(reference_files()))


def _parse(paths: Iterable[str | os.PathLike[str]]) -> list[ox.Triple]:
    return [quad.triple for path in paths for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE)]


def _build(triples: list[ox.Triple]) -> ReferenceIndex:
    props: dict[str, dict[str, list[_Term]]] = {}
    for triple in triples:
        node, value = triple.subject, triple.object
        if isinstance(node, ox.Triple) or isinstance(value, ox.Triple):
            continue  # an RDF-star triple term: no reference statement is one
        props.setdefault(node.value, {}).setdefault(triple.predicate.value, []).append(value)
    kinds = {s: _kind_of(s, p) for s, p in props.items()}
    entities = {}
    for subject, p in props.items():
        kind = kinds[subject]
        if kind is not None:
            entity = _entity(subject, kind, p, kinds)
            entities[entity.ref] = entity
    tenures: dict[str, list[Tenure]] = {}
    for subject, p in props.items():
        if _GK + "Tenure" in _strs(p.get(_RDF_TYPE)):
            office = _one(subject, p, _GK + "office")
            holder = _ref(_one(subject, p, _GK + "holder"), kinds)
            end = p.get(_GK + "end")
            tenures.setdefault(office, []).append(
                Tenure(holder, _date(_one(subject, p, _GK + "start")), _date(end[0]) if end else None)
            )
    offices = {}
    for subject, p in props.items():
        if _GK + "Office" in _strs(p.get(_RDF_TYPE)):
            key = subject.rsplit("/", 1)[1]
            label = _one(subject, p, _PREF)
            offices[key] = Office(
                key,
                label,
                (label, *_strs(p.get(_ALT))),
                _iso_of(p),
                tuple(sorted(tenures.get(subject, ()), key=lambda t: t.start)),
            )
    return ReferenceIndex(entities, offices, triples)


def _kind_of(subject: str, p: dict[str, list[_Term]]) -> EntityKind | None:
    types = [t for t in _strs(p.get(_RDF_TYPE)) if t in _TYPE_KIND]
    if not types:
        return None
    if len(types) > 1:
        raise ReferenceDataError(subject, f"has {len(types)} entity types, MAPPING.md allows one")
    return _TYPE_KIND[types[0]]


def _entity(
    subject: str, kind: EntityKind, p: dict[str, list[_Term]], kinds: dict[str, EntityKind | None]
) -> RefEntity:
    ref = _ref(subject, kinds, kind)
    label = _one(subject, p, _PREF)
    ambiguous = _strs(p.get(_GK + "ambiguous"))
    names = [label] + [n for n in _strs(p.get(_ALT)) + ambiguous if n != label]
    same_as = [s for s in _strs(p.get(_SAME_AS)) if s.startswith(_WIKIDATA)]
    until = p.get(_GK + "validUntil")
    return RefEntity(
        ref=ref,
        label=label,
        names=tuple(dict.fromkeys(names)),
        demonyms=tuple(_strs(p.get(_GK + "demonym"))),
        metonyms=tuple(_strs(p.get(_GK + "metonym"))),
        iso=next(iter(_strs(p.get(_GK + "iso3166Alpha2"))), None),
        wikidata=same_as[0][len(_WIKIDATA) :] if same_as else None,
        country=_iso_of(p),
        broader=tuple(_ref(b.value, kinds) for b in p.get(_BROADER, ())),
        valid_until=_date(until[0]) if until else None,
        ambiguous=bool(ambiguous),
        ambiguous_names=tuple(ambiguous),
    )


def _ref(iri: str, kinds: dict[str, EntityKind | None], kind: EntityKind | None = None) -> EntityRef:
    segment, _, key = iri[len(ID) :].partition("/") if iri.startswith(ID) else ("", "", "")
    kind = kind or kinds.get(iri) or SEGMENT_KIND.get(segment)
    # The segment must be the kind's, or iris.entity_iri would mint a different IRI.
    if not key or kind is None or SEGMENT_KIND.get(segment) is not kind:
        raise ReferenceDataError(iri, f"IRI must be {ID}{{kind}}/{{key}} with the segment of its type")
    return EntityRef(kind, key)


def _iso_of(p: dict[str, list[_Term]]) -> str | None:
    # gk:country points at country/{ISO}: the key is the code.
    country = p.get(_GK + "country")
    return country[0].value.rsplit("/", 1)[1] if country else None


def _one(subject: str, p: dict[str, list[_Term]], prop: str) -> str:
    values = p.get(prop, [])
    if len(values) != 1:
        raise ReferenceDataError(subject, f"needs exactly one <{prop}>, has {len(values)}")
    return values[0].value


def _strs(values: Iterable[_Term] | None) -> list[str]:
    return [v.value for v in values or ()]


def _date(value: _Term | str) -> dt.date:
    return dt.date.fromisoformat(value if isinstance(value, str) else value.value)
