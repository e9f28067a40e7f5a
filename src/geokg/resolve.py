"""Names as a person means them: a value typed for a country, commodity, person or any entity
becomes the entity's display label (``gk:displayLabel``), the value the stored queries bind.

A value matches, best first (the first kind of match that finds anything decides):

1. an entity IRI, or a name of the entity (display or preferred label), ignoring case, accents,
   apostrophes, dashes and a leading "the" (:func:`geokg.names.normalize`);
2. an ISO 3166-1 code of a country, alpha-2 or alpha-3 ("CN", "CHN"), in any case;
3. another name (``skos:altLabel``: "PRC", "USA", "UK", demonyms, metonyms such as "the Kremlin");
4. a commodity name in the other number ("soybean" for "Soybeans");
5. the surname (the last words of the name) of a person ("Putin").

When the best matches are several entities with different labels, the one the articles mention
(``gk:mentions``) wins if it is the only one; otherwise the value is ambiguous
(:class:`~geokg.errors.AmbiguousNameError` lists the candidates). When nothing matches,
:class:`~geokg.errors.NameNotFoundError` suggests up to three close labels. A commodity's broader
and narrower terms are left to the stored query: those that say so follow ``skos:broader*`` from
the commodity bound.

The names come from the store itself (reference graph, article graphs and the cross-document
display labels) by small portable SPARQL queries, run on the local store or sent to a remote
endpoint (:class:`Resolver`): first for the value as typed in a few spellings of case (index
lookups, cheap), then, unless that found a label or a code, for every name of the entity type (a
scan that grows with the number of entities of that type, so it runs only when needed).

Example:
    >>> rows = [Candidate("https://w3id.org/geokg/id/country/CN", "Country", "China", "CHN", "code", True)]
    >>> choose("chn", "Country", rows).label
    'China'
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from geokg.errors import AmbiguousNameError, NameNotFoundError, QueryParameterError
from geokg.names import normalize, singular
from geokg.queries import ENTITY_KINDS, QueryResult, StoredQuery, not_utf8, run_sparql
from geokg.sparql_text import term_text
from geokg.store import Store

if TYPE_CHECKING:
    from geokg.remote import HttpClient

__all__ = ["ENTITY_KINDS", "Candidate", "Resolution", "Resolver", "choose", "resolve_params"]

# The classes each type covers: an organisation may be typed by one of its subclasses.
_CLASSES = {
    "Country": ("Country",),
    "Person": ("Person",),
    "Company": ("Company",),
    "Media": ("Media",),
    "Organization": ("Organization", "Company", "Media", "Exchange"),
    "Commodity": ("Commodity",),
    "Place": ("Place", "Facility"),
    "Facility": ("Facility",),
    "Entity": ("Country", "Person", "Organization", "Company", "Media", "Exchange", "Commodity", "Place", "Facility"),
}
_WORDS = {
    "Entity": "entity",
    "Country": "country",
    "Person": "person",
    "Organization": "organisation",
    "Company": "company",
    "Media": "media outlet",
    "Commodity": "commodity",
    "Place": "place",
    "Facility": "facility",
}
# How a value matched, best first (module docstring).
_LABEL, _CODE, _OTHER, _NUMBER, _SURNAME = "name", "ISO code", "other name", "name in the other number", "surname"

_PREFIXES = """PREFIX gk: <https://w3id.org/geokg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
_NAMES = """{ ?entity gk:displayLabel ?name . BIND("label" AS ?how) }
    UNION { ?entity skos:prefLabel ?name . BIND("label" AS ?how) }
    UNION { ?entity skos:altLabel ?name . BIND("alt" AS ?how) }
    UNION { ?entity gk:iso3166Alpha2 ?name . BIND("code" AS ?how) }
    UNION { ?entity gk:iso3166Alpha3 ?name . BIND("code" AS ?how) }"""
# A few names or one entity (%s: a VALUES block): index lookups, so one flat pattern.
_FEW = (
    _PREFIXES
    + """SELECT DISTINCT ?entity ?type ?label ?name ?how ?mentioned WHERE {
  %s
  """
    + _NAMES
    + """
  VALUES ?class { %s }
  ?entity a ?class ;
          gk:displayLabel ?label .
  BIND(STRAFTER(STR(?class), STR(gk:)) AS ?type)
  BIND(EXISTS { ?article gk:mentions ?entity } AS ?mentioned)
}"""
)
# Every name of a type: names and types read apart and joined, which the store answers sooner
# than the flat pattern; whether the articles mention an entity is asked only on a tie (_MENTIONED).
_EVERY = (
    _PREFIXES
    + """SELECT DISTINCT ?entity ?type ?label ?name ?how WHERE {
  { SELECT ?entity ?name ?how WHERE {
    """
    + _NAMES
    + """
  } }
  { SELECT ?entity ?type ?label WHERE {
    VALUES ?class { %s }
    ?entity a ?class ;
            gk:displayLabel ?label .
    BIND(STRAFTER(STR(?class), STR(gk:)) AS ?type)
  } }
}"""
)
_MENTIONED = (
    _PREFIXES
    + """SELECT DISTINCT ?entity WHERE {
  VALUES ?entity { %s }
  ?article gk:mentions ?entity .
}"""
)
_IRI = re.compile(r"^<?(https?://[^<>\"{}|^`\\\s]+)>?$")
# Kept out of query text: SPARQL reads \u escapes before parsing, and a lone surrogate (a byte
# that is not UTF-8 on the command line) cannot be sent; such values are compared in Python only.
_UNSAFE = re.compile(r"[\\\x00-\x1f\x7f\ud800-\udfff]")


@dataclass(frozen=True)
class Candidate:
    """One name of one entity in the store: ``how`` is "label", "alt" or "code"."""

    iri: str
    type: str
    label: str
    name: str
    how: str
    mentioned: bool = False


@dataclass(frozen=True)
class Resolution:
    """What a value was taken to mean: the display ``label`` to bind and the entities it names."""

    value: str
    type: str
    label: str
    how: str
    iris: tuple[str, ...]

    @property
    def note(self) -> str:
        """One line for a person, e.g. ``CHN means China (ISO code)``; empty when the value is the label."""
        if self.value == self.label:
            return ""
        return f"{self.value} means {self.label} ({self.how})"


def choose(
    value: str,
    type: str,
    candidates: Iterable[Candidate],
    *,
    where: str = "",
    mentioned: Callable[[set[str]], set[str]] | None = None,
) -> Resolution:
    """The entity ``value`` names among ``candidates`` (the rules of the module docstring).

    Args:
        mentioned: which of these IRIs the articles mention, asked only on a tie;
            by default the candidates' own ``mentioned`` flags say.

    Raises:
        NameNotFoundError: nothing matches; up to three close labels are suggested.
        AmbiguousNameError: the best matches have different labels and the articles mention
            none of them, or more than one.

    Example:
        >>> people = [Candidate("p/1", "Person", "Anna Kessler", "Anna Kessler", "label"),
        ...           Candidate("p/2", "Person", "Markus Kessler", "Markus Kessler", "label")]
        >>> choose("anna KESSLER", "Person", people).how
        'name'
        >>> choose("Kessler", "Person", people)  # doctest: +NORMALIZE_WHITESPACE
        Traceback (most recent call last):
        ...
        geokg.errors.AmbiguousNameError: [GK508] 'Kessler' names more than one person in the store:
        Anna Kessler, Markus Kessler. Give one of these names
    """
    candidates = [c for c in candidates if c.type in _CLASSES[type]]
    best: dict[int, list[Candidate]] = {}
    for candidate in candidates:
        rank = _rank(value, candidate)
        if rank is not None:
            best.setdefault(rank, []).append(candidate)
    if not best:
        raise NameNotFoundError(_WORDS[type], value, _suggestions(value, candidates), where=where)
    rank = min(best)
    matches = best[rank]
    how = (_LABEL, _CODE, _OTHER, _NUMBER, _SURNAME)[rank]
    labels = sorted({c.label for c in matches})
    if len(labels) > 1:
        spoken = mentioned({c.iri for c in matches}) if mentioned else {c.iri for c in matches if c.mentioned}
        in_articles = sorted({c.label for c in matches if c.iri in spoken})
        if len(in_articles) != 1:
            what, shown = _described(type, [c for c in matches if c.label in (in_articles or labels)])
            raise AmbiguousNameError(what, value, shown, where=where)
        labels, how = in_articles, f"{how}; the only one the articles mention"
    label = labels[0]
    iris = tuple(sorted({c.iri for c in candidates if c.label == label}))
    return Resolution(value, type, label, how, iris)


def _described(type: str, matches: list[Candidate]) -> tuple[str, list[str]]:
    """What the matches are ("person") and their labels, each with its type when they differ."""
    types = {c.type for c in matches}
    if len(types) == 1:
        return _WORDS.get(next(iter(types)), _WORDS[type]), sorted({c.label for c in matches})
    return _WORDS[type], sorted({f"{c.label} ({_WORDS.get(c.type, c.type.lower())})" for c in matches})


def _rank(value: str, candidate: Candidate) -> int | None:
    """How well ``value`` matches ``candidate``: 0 best; None for no match."""
    key, name = normalize(value), normalize(candidate.name)
    if candidate.how == "label" and name == key:
        return 0
    if candidate.how == "code":
        return 1 if candidate.name.upper() == value.strip().upper() else None
    if name == key:
        return 2
    if candidate.type == "Commodity" and singular(name) == singular(key):
        return 3
    if candidate.type == "Person" and candidate.how == "label" and key and name.endswith(" " + key):
        return 4
    return None


def _suggestions(value: str, candidates: list[Candidate]) -> list[str]:
    """Up to three labels whose names read closest to ``value``, the closest first; only those
    nearly as close as the best, so "Chinaa" suggests China alone. A person's surname counts
    alone too, so that a misspelt one ("Orlovski") finds the person."""
    key = normalize(value)
    words = len(key.split())
    scores: dict[str, float] = {}
    for candidate in candidates:
        if candidate.how == "code":
            continue
        name = normalize(candidate.name)
        surname = " ".join(name.split()[-words:]) if candidate.type == "Person" else name
        for text in {name, surname}:
            matcher = difflib.SequenceMatcher(None, key, text)
            if matcher.real_quick_ratio() >= 0.6 and matcher.quick_ratio() >= 0.6:
                score = matcher.ratio()
                if score >= 0.6 and score > scores.get(candidate.label, 0.0):
                    scores[candidate.label] = score
    if not scores:
        return []
    top = max(scores.values())
    ranked = sorted((-score, label) for label, score in scores.items() if score >= top - 0.1)
    return [label for _, label in ranked[:3]]


class Resolver:
    """Resolves values against one store through ``run``, which answers a SPARQL SELECT.

    Args:
        run: runs a query text on the store and returns its rows (:meth:`local` and
            :meth:`remote` make one for an open store and for an endpoint).
    """

    def __init__(self, run: Callable[[str], QueryResult]) -> None:
        self.run = run

    @classmethod
    def local(cls, store: Store) -> Resolver:
        """Resolve against an open store."""

        def run(text: str) -> QueryResult:
            result = run_sparql(store, text, "geokg.resolve")
            assert isinstance(result, QueryResult)  # the lookup is a SELECT
            return result

        return cls(run)

    @classmethod
    def remote(cls, endpoint: str, client: HttpClient) -> Resolver:
        """Resolve against a SPARQL endpoint, with the session and credentials of ``client``."""
        from geokg.remote import run_remote

        def run(text: str) -> QueryResult:
            result = run_remote(endpoint, text, client=client, source="geokg.resolve")
            assert isinstance(result, QueryResult)  # the lookup is a SELECT
            return result

        return cls(run)

    def resolve(self, value: str, type: str = "Entity", *, where: str = "") -> Resolution:
        """The entity ``value`` names (see the module docstring).

        Raises:
            NameNotFoundError, AmbiguousNameError: as :func:`choose` raises them.
            ValueError: ``type`` is not one of :data:`~geokg.queries.ENTITY_KINDS` ("Entity": any).
        """
        if type not in _CLASSES:
            raise ValueError(f"type {type!r} is not one of {', '.join(ENTITY_KINDS)}")
        value = value.strip()
        iri = _IRI.match(value)
        if iri:
            named = self._few(f"VALUES ?entity {{ <{iri.group(1)}> }}", type)
            if not named:
                raise NameNotFoundError(_WORDS[type], value, [], where=where)
            return Resolution(value, type, named[0].label, "IRI", (iri.group(1),))
        # First the value as typed, in a few spellings of case: a label or a code found so is the best
        # match there can be. Other names, folded accents, surnames and typos need every name of the type.
        spellings = {value, value.lower(), value.upper(), value.title(), value[:1].upper() + value[1:]}
        safe = sorted(s for s in spellings if s and not _UNSAFE.search(s))
        names = " ".join(term_text(ox.Literal(s)) for s in safe)
        exact = self._few(f"VALUES ?name {{ {names} }}", "Entity") if safe else []
        try:
            found = choose(value, type, exact, where=where)
            if found.how in (_LABEL, _CODE):
                return found
        except (NameNotFoundError, AmbiguousNameError):
            pass  # every name of the type decides below
        classes = " ".join(f"gk:{name}" for name in _CLASSES[type])
        every = [
            Candidate(str(entity), str(kind), str(label), str(name), str(how))
            for entity, kind, label, name, how in self.run(_EVERY % classes).rows
        ]
        try:
            return choose(value, type, every, where=where, mentioned=self._mentioned)
        except NameNotFoundError as error:
            other = [c for c in exact if c.type not in _CLASSES[type] and _rank(value, c) is not None]
            if other:
                error.add_hint(f"it names the {_WORDS.get(other[0].type, other[0].type.lower())} {other[0].label}")
            raise

    def _few(self, values: str, type: str) -> list[Candidate]:
        classes = " ".join(f"gk:{name}" for name in _CLASSES[type])
        return [
            Candidate(str(entity), str(kind), str(label), str(name), str(how), mentioned is True)
            for entity, kind, label, name, how, mentioned in self.run(_FEW % (values, classes)).rows
        ]

    def _mentioned(self, iris: set[str]) -> set[str]:
        rows = self.run(_MENTIONED % " ".join(f"<{iri}>" for iri in sorted(iris))).rows
        return {str(entity) for (entity,) in rows}


def resolve_params(
    query: StoredQuery, values: Mapping[str, object] | None, resolver: Resolver
) -> tuple[dict[str, object], dict[str, Resolution]]:
    """Replace the value of each parameter that names an entity by the label it resolves to.

    Parameters of other kinds (article ids, dates) pass unchanged; an empty value stays unbound.

    Returns:
        The values to bind, and the resolution of each parameter resolved, by name.

    Raises:
        QueryParameterError: an unknown parameter name, or a value that is not UTF-8.
        NameNotFoundError, AmbiguousNameError: a value that names nothing, or several things.
    """
    bound: dict[str, object] = {}
    resolutions: dict[str, Resolution] = {}
    for name, value in (values or {}).items():
        param = query.param(name)
        if param.kind in _CLASSES and value is not None and str(value).strip():
            text = str(value)
            if problem := not_utf8(text):
                raise QueryParameterError(query.name, name, f"the value is not valid UTF-8 ({problem})")
            resolution = resolver.resolve(text, param.kind, where=f"query {query.name!r}, parameter {name!r}")
            resolutions[name] = resolution
            value = resolution.label
        bound[name] = value
    return bound, resolutions
