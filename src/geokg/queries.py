"""Stored SPARQL queries (``queries/*.rq``): discovery, headers, parameters, results.

Each file starts with a comment header in a fixed form::

    # title: Offers of commodities
    # description: Who offered which commodity to whom, and when.
    # param: commodity (Commodity) - e.g. "Wheat"

A parameter's kind is how its value is bound: ``IRI``, ``literal``, ``date``, ``integer``, or
the type of entity it names (``Country``, ``Commodity``, ``Person``, ``Entity`` for any...):
such a value is bound as a literal, the entity's display label, which ``geokg.query`` finds
first from whatever name the user gave (:mod:`geokg.resolve`); :func:`run_query` binds values as given.
A parameter is optional unless its text starts with "required".

The query reads parameter ``name`` as the variable ``?_name``. A bound value is given to it as
an RDF term by a ``VALUES`` block put at the head of the query's WHERE clause
(:func:`with_values`, what rdflib's ``initBindings`` does for a remote store), never pasted
into the query; an unbound parameter is left out of the block, so ``?_name`` is unbound and
the query reads that as "all". The same text runs on the local store and at any endpoint.

Where the plain text is far slower on one engine, ``queries/plans/ENGINE/NAME.rq`` holds a form
of it that engine evaluates faster, with the same parameters and rows (``tests/test_queries.py``
checks them); :func:`run_query` runs the form for the store's engine (``Store.engine``). A form
for one set of bound parameters, ``plans/ENGINE/NAME.P.rq`` (``NAME.P+Q.rq`` for several, sorted),
is run when exactly those are bound: one text for every case must read an unbound ``?_name`` as
"all", while a text that may assume the value can start from it, as an engine without a cost
model for ``VALUES`` needs (docs/performance.md).

A whole-graph listing with ``plans/ENGINE/NAME.keys.rq`` is read a few keys at a time
(:mod:`geokg.listings`), or computed from streamed rows (:mod:`geokg.aggregates`): the same
rows, at a cost that follows the page asked for rather than the store. A page of a bound value is
read by ``plans/ENGINE/NAME.P.keys.rq`` (``NAME.P+Q.keys.rq``) when exactly those parameters are
bound, else by the whole listing's keys text if it names them on its ``# read by keys with:`` line.

Example:
    >>> q = get_query("offers")
    >>> q.title, [p.name for p in q.params], q.columns[:5]
    ('Offers of commodities', ['commodity', 'article'], ('article', 'agent', 'commodity', 'recipient', 'date'))
    >>> bind_params(q, {"commodity": "Wheat"})
    {'commodity': <Literal value=Wheat datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>}
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from geokg import aggregates, listings
from geokg.errors import (
    ConfigError,
    QueryNotFoundError,
    QueryParameterError,
    QueryRefusedError,
    QueryRunError,
    QuerySyntaxError,
)
from geokg.iri_space import DECLARED_PREFIXES
from geokg.listings import with_rows
from geokg.resources import query_files
from geokg.sparql_text import NOT_KEYWORDS, syntax_error, term_text, where_brace
from geokg.store import OxTerm, Store

__all__ = [
    "ENTITY_KINDS",
    "PARAM_KINDS",
    "Param",
    "StoredQuery",
    "QueryResult",
    "list_queries",
    "get_query",
    "load_query",
    "bind_params",
    "with_values",
    "with_rows",
    "check_page",
    "paged",
    "run_query",
    "iter_query",
    "run_sparql",
    "uses_service",
    "refuse_service",
    "not_utf8",
    "to_python",
    "rows_from_tsv",
    "UpdateResult",
]

#: Kinds of a parameter whose value names an entity: resolved by geokg.resolve (any case, other
#: names, ISO codes, a surname) to its display label, which is bound as a literal.
ENTITY_KINDS = ("Entity", "Country", "Person", "Organization", "Company", "Media", "Commodity", "Place", "Facility")
PARAM_KINDS = ("IRI", "literal", "date", "integer") + ENTITY_KINDS
Value = str | int | float | bool | Decimal | dt.date | None

_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {
    _XSD + t
    for t in (
        "integer",
        "int",
        "long",
        "short",
        "byte",
        "nonNegativeInteger",
        "positiveInteger",
        "nonPositiveInteger",
        "negativeInteger",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
    )
}
_HEADER = re.compile(r"^#\s*(title|description|param)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*\((?P<kind>[A-Za-z]+)\)\s*[-–—]\s*(?P<doc>.*)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_VARIABLE = re.compile(r"[?$](\w+)")
_UPDATE_KEYWORDS = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
_EXAMPLE = {
    "IRI": "an IRI such as https://w3id.org/geokg/id/country/RU",
    "literal": "any string",
    "date": "a date YYYY-MM-DD such as 2024-03-03",
    "integer": "an integer such as 3",
    **{kind: "a name" for kind in ENTITY_KINDS},
}


@dataclass(frozen=True)
class Param:
    """A declared query parameter, read by the query as the variable ``?_name``."""

    name: str
    kind: str
    doc: str
    optional: bool = True

    @property
    def variable(self) -> str:
        """The variable the query reads the value from (without ``?``): the name with a leading ``_``."""
        return "_" + self.name


@dataclass(frozen=True)
class StoredQuery:
    """A parsed ``queries/NAME.rq``; ``columns`` are its projected variables."""

    name: str
    title: str
    description: str
    params: tuple[Param, ...]
    text: str
    path: Path
    columns: tuple[str, ...] = ()
    #: (engine, text) of the engine-specific forms in ``queries/plans/ENGINE/NAME.rq``
    plans: tuple[tuple[str, str], ...] = ()
    #: (engine, bound parameter names, sorted, text) of the forms in ``plans/ENGINE/NAME.P+Q.rq``
    bound_plans: tuple[tuple[str, tuple[str, ...], str], ...] = ()
    #: (engine, bound parameter names, sorted, text) of ``plans/ENGINE/NAME.keys.rq`` (no names):
    #: the keys its whole listing is paged by (:mod:`geokg.listings`), and of ``NAME.P+Q.keys.rq``:
    #: the keys of the values of those parameters
    key_plans: tuple[tuple[str, tuple[str, ...], str], ...] = ()

    def keys_for(self, engine: str, bound: Iterable[str] = ()) -> str | None:
        """The text listing the keys a page of this listing is read by on ``engine`` with the
        parameters ``bound`` given a value: its keys text for exactly those, else the whole
        listing's if it is read by keys with them (``# read by keys with:``), else None."""
        names = tuple(sorted(bound))
        texts = {plan_names: text for plan_engine, plan_names, text in self.key_plans if plan_engine == engine}
        if names in texts:
            return texts[names]
        whole = texts.get(())
        return whole if whole is not None and set(names) <= listings.keyed_with(whole) else None

    def text_for(self, engine: str, bound: Iterable[str] = ()) -> str:
        """The text to run on ``engine`` (e.g. ``"oxigraph"``) with the parameters ``bound`` given a
        value: its form for exactly those if one exists, else its plan, else the contract."""
        names = tuple(sorted(bound))
        for plan_engine, plan_names, text in self.bound_plans:
            if plan_engine == engine and plan_names == names:
                return text
        return dict(self.plans).get(engine, self.text)

    def param(self, name: str) -> Param:
        """Return the parameter called ``name`` or raise QueryParameterError listing them."""
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise QueryParameterError(self.name, name, f"unknown parameter. Parameters of {self.name}: {known}")


@dataclass(frozen=True)
class QueryResult:
    """Rows of Python values (str, int, Decimal, float, bool, date or None) under ``columns``."""

    columns: tuple[str, ...]
    rows: list[tuple[Value, ...]] = field(default_factory=list)
    title: str = ""
    #: how parameter values were read, for a person ("'CHN' means China (ISO code)")
    notes: tuple[str, ...] = ()
    #: rows skipped before these (a page of a listing: ``offset``)
    offset: int = 0
    #: whether rows follow these (a page asked with ``limit`` that did not hold them all)
    more: bool = False
    #: where the next page starts, when ``more``: pass it as ``cursor`` (cheaper than an offset)
    cursor: str | None = None

    def as_dicts(self) -> list[dict[str, Value]]:
        """One dict per row, keyed by column."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def __len__(self) -> int:
        return len(self.rows)


# -- discovery -------------------------------------------------------------
def list_queries() -> list[StoredQuery]:
    """Every stored query, sorted by name, each parsed and syntax-checked (once per file version).

    Raises:
        QuerySyntaxError: a file has an incomplete header or does not parse.
    """
    return [load_query(path) for path in query_files()]


def get_query(name: str) -> StoredQuery:
    """Return the stored query ``name`` (file stem, e.g. ``reserves-rank``).

    Raises:
        QueryNotFoundError: no such file; the message lists the available names.
    """
    files = {path.stem: path for path in query_files()}
    if name not in files:
        raise QueryNotFoundError(name, files)
    return load_query(files[name])


def load_query(path: str | Path) -> StoredQuery:
    """Parse one ``.rq`` file: header, then a dry run on an empty store to check syntax; the same
    for its engine-specific forms (``plans/ENGINE/NAME.rq`` beside it), which must project the same columns."""
    path = Path(path)
    plans = tuple((p.parent.name, p.name, p.stat().st_mtime_ns) for p in _plan_files(path))
    return _load_query(str(path), path.stat().st_mtime_ns, plans)


def _plan_files(path: Path) -> list[Path]:
    """The engine-specific forms of a query: ``plans/ENGINE/NAME.rq`` and ``plans/ENGINE/NAME.P+Q.rq``."""
    found = [*path.parent.glob(f"plans/*/{path.name}"), *path.parent.glob(f"plans/*/{path.stem}.*{path.suffix}")]
    return sorted(p for p in found if p.is_file())


@lru_cache(maxsize=256)
def _load_query(path_str: str, _mtime: int, _plans: tuple[tuple[str, str, int], ...]) -> StoredQuery:
    path = Path(path_str)
    text = path.read_text(encoding="utf-8")
    header: dict[str, str] = {}
    params: list[Param] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.groups()
        if key == "param":
            params.append(_parse_param(path_str, lineno, value))
        elif key in header:
            raise QuerySyntaxError(path_str, f"second '# {key}:' line", lineno, 1)
        else:
            header[key] = value
    for key in ("title", "description"):
        if not header.get(key):
            raise QuerySyntaxError(
                path_str,
                f"the header lacks '# {key}: …' (expected form: "
                "'# title:', '# description:', '# param: name (kind) - doc')",
                1,
                1,
            )
    columns = _dry_run(path_str, text)
    read = set(_VARIABLE.findall(NOT_KEYWORDS.sub(" ", text)))
    for p in params:
        if p.variable not in read:
            raise QuerySyntaxError(
                path_str,
                f"parameter {p.name!r} is never read: the query must use "
                f"?{p.variable}, the variable its value is bound to",
                1,
                1,
            )
    plans, bound_plans, key_plans = [], [], []
    for plan in _plan_files(path):
        plan_text = plan.read_text(encoding="utf-8")
        if plan.name.endswith(f".keys{path.suffix}"):
            names = _plan_names(plan, path, params, ".keys")
            key_plans.append((plan.parent.name, names, plan_text))
            continue
        if _dry_run(str(plan), plan_text) != columns:
            raise QuerySyntaxError(
                str(plan),
                f"an engine-specific form must project the columns of {path.name}: "
                f"{' '.join('?' + c for c in columns)}",
                1,
                1,
            )
        if plan.name == path.name:
            plans.append((plan.parent.name, plan_text))
            continue
        bound_plans.append((plan.parent.name, _plan_names(plan, path, params), plan_text))
    for engine, names, keys_text in key_plans:
        forms = {n: t for e, n, t in bound_plans if e == engine} | {(): dict(plans).get(engine, text)}
        _check_keys(path, engine, keys_text, forms, params, names)
    return StoredQuery(
        path.stem,
        header["title"],
        header["description"],
        tuple(params),
        text,
        path,
        columns,
        tuple(plans),
        tuple(bound_plans),
        tuple(key_plans),
    )


def _plan_names(plan: Path, path: Path, params: list[Param], kind: str = "") -> tuple[str, ...]:
    """The bound parameters a plan file's name gives: ``NAME.P+Q{kind}.rq``, () for ``NAME{kind}.rq``."""
    middle = plan.name[len(path.stem) : len(plan.name) - len(kind) - len(path.suffix)]
    if not middle:
        return ()
    names = tuple(middle[1:].split("+"))
    unknown = sorted(set(names) - {p.name for p in params})
    if not middle.startswith(".") or unknown or names != tuple(sorted(set(names))):
        raise QuerySyntaxError(
            str(plan),
            f"a plan for bound parameters is named {path.stem}.P+Q{kind}{path.suffix}, with parameters of "
            f"{path.name} ({', '.join(p.name for p in params) or 'none'}) in sorted order",
            1,
            1,
        )
    return names


def order_columns(text: str) -> list[str]:
    """The variables a query's ``ORDER BY`` starts with, as long as a key can give their order
    (:func:`geokg.listings.order_keys`).

    Example:
        >>> order_columns("SELECT * { } ORDER BY ?a DESC(?b) (!BOUND(?c)) ?c ?d STR(?e) ?f")
        ['a', 'b', 'c', 'd']
    """
    return [name for name, _ in listings.order_keys(text)]


def _check_keys(
    path: Path,
    engine: str,
    keys_text: str,
    forms: Mapping[tuple[str, ...], str],
    params: list[Param],
    names: tuple[str, ...] = (),
) -> None:
    """A keys text projects the columns the ORDER BY of the listing starts with, then the variables
    that give their rows; the listing runs in its form for the parameters among them (``forms``, by
    sorted names; () for every case). The keys text of bound parameters ``names`` reads them."""
    stem = ".".join([path.stem, "+".join(names)] if names else [path.stem])
    source = str(path.parent / "plans" / engine / f"{stem}.keys{path.suffix}")
    projected = _dry_run(source, keys_text)
    keys = [n for n in projected if not n.startswith("_")]
    bound = [n for n in projected if n.startswith("_")]
    variables = {p.variable for p in params}
    listing = forms.get(tuple(sorted(v[1:] for v in bound if v in variables)), forms[()])
    # ?_x binds the parameter x, or else the listing's own ?x (read in a required pattern).
    readable = variables | {"_" + v for v in _VARIABLE.findall(NOT_KEYWORDS.sub(" ", listing))}
    leading = order_columns(listing)
    with_bound = {"_" + name for name in listings.keyed_with(keys_text)}
    if (
        not keys
        or keys != leading[: len(keys)]
        or not bound
        or not set(bound) <= readable
        or not with_bound <= {p.variable for p in params if p.variable in bound}
        or not {"_" + name for name in names} <= set(_VARIABLE.findall(NOT_KEYWORDS.sub(" ", keys_text)))
    ):
        raise QuerySyntaxError(
            source,
            f"a keys text projects the columns the ORDER BY of {path.name} starts with "
            f"({' '.join('?' + c for c in leading) or 'none'}), in that order, then the variables "
            f"that give their rows: parameter variables ({' '.join('?' + v for v in sorted(variables)) or 'none'}) "
            "or ?_x for a variable ?x of the listing; it projects the parameters '# read by keys with:' "
            "names, and reads those its name gives",
            1,
            1,
        )
    kept = listings.kept_by_builds(keys_text)
    if kept is not None and (kept not in listings.KEPT_BY or "_article" not in bound):
        raise QuerySyntaxError(
            source,
            f"'# keys kept by builds: {kept}': a keys text whose every key row comes from one article's "
            f"named graph says '# keys kept by builds: {' | '.join(listings.KEPT_BY)}' and projects "
            "?_article, that article's id",
            1,
            1,
        )


def _parse_param(path: str, lineno: int, value: str) -> Param:
    match = _PARAM.match(value)
    if not match:
        raise QuerySyntaxError(
            path,
            f"cannot read '# param: {value}'; expected "
            f"'# param: name (KIND) - doc' with KIND one of {', '.join(PARAM_KINDS)}",
            lineno,
            1,
        )
    kind = match["kind"]
    if kind not in PARAM_KINDS:
        raise QuerySyntaxError(path, f"parameter kind {kind!r} is not one of {', '.join(PARAM_KINDS)}", lineno, 1)
    doc = match["doc"]
    return Param(match["name"], kind, doc, optional=not doc.lower().startswith("required"))


def parse_read_only(
    source: str, text: str, refusal: str, prefixes: Mapping[str, str] | None = None
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Run ``text`` on an empty store to check it parses; an update is refused, never run.

    Args:
        refusal: what follows "KEYWORD is SPARQL Update; " in the error.
        prefixes: prefix -> namespace known without a PREFIX line.
    """
    try:
        return ox.Store().query(text, prefixes=dict(prefixes) if prefixes else None)
    except SyntaxError as exc:
        update = _UPDATE_KEYWORDS.match(_strip_comments(text))
        if update:
            raise QuerySyntaxError(source, f"{update.group(1).upper()} is SPARQL Update; {refusal}") from None
        raise syntax_error(source, exc, text, prefixes) from exc


def _dry_run(source: str, text: str) -> tuple[str, ...]:
    result = parse_read_only(source, text, "a stored query must be a SELECT query")
    if not isinstance(result, ox.QuerySolutions):
        raise QuerySyntaxError(source, "a stored query must be a SELECT query", 1, 1)
    return tuple(v.value for v in result.variables)


# -- parameters ------------------------------------------------------------
def bind_params(query: StoredQuery, values: Mapping[str, object] | None) -> dict[str, OxTerm]:
    """Turn ``{param: value}`` into RDF terms to bind, checking names and kinds.

    Values are strings (as typed on the command line), or already Python ints and
    dates. None or an empty string leaves the parameter unbound ("all").

    Raises:
        QueryParameterError: unknown name (lists the query's parameters), a value
            of the wrong kind (names the expected kind), or a missing required one.

    Example:
        >>> bind_params(get_query("commodity-timeline"), {"since": "2024-01-01"})["since"]
        <Literal value=2024-01-01 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>
    """
    bound: dict[str, OxTerm] = {}
    for name, value in (values or {}).items():
        param = query.param(name)
        if value is None or value == "":
            continue
        if isinstance(value, str) and (problem := not_utf8(value)):
            raise QueryParameterError(query.name, name, f"the value is not valid UTF-8 ({problem})")
        bound[name] = _to_term(query.name, param, value)
    for param in query.params:
        if not param.optional and param.name not in bound:
            raise QueryParameterError(query.name, param.name, f"is required: {param.doc}")
    return bound


def not_utf8(text: str) -> str | None:
    """What makes ``text`` unencodable as UTF-8, or None: command-line bytes that are not UTF-8
    reach Python as lone surrogates (U+DC80-U+DCFF for the byte 0x80-0xff).

    Example:
        >>> not_utf8("Wheat"), not_utf8(b"Wh\\xffeat".decode("utf-8", "surrogateescape"))
        (None, 'byte 0xff at character 3')
    """
    for i, char in enumerate(text, start=1):
        if "\ud800" <= char <= "\udfff":
            if "\udc80" <= char <= "\udcff":
                return f"byte 0x{ord(char) - 0xDC00:02x} at character {i}"
            return f"a lone surrogate U+{ord(char):04X} at character {i}"
    return None


def _to_term(query: str, param: Param, value: object) -> OxTerm:
    def bad() -> QueryParameterError:
        return QueryParameterError(query, param.name, f"expected {_EXAMPLE[param.kind]}, got {value!r}")

    if param.kind == "literal" or param.kind in ENTITY_KINDS:
        return ox.Literal(str(value))
    if param.kind == "IRI":
        try:
            return ox.NamedNode(str(value).strip().strip("<>"))
        except ValueError:
            raise bad() from None
    if param.kind == "date":
        if isinstance(value, dt.date):
            value = value.isoformat()[:10]
        text = str(value).strip()
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise bad() from None
        if not _DATE.match(text):
            raise bad()
        return ox.Literal(text, datatype=ox.NamedNode(_XSD + "date"))
    try:  # integer
        if isinstance(value, bool):
            raise ValueError
        number = value if isinstance(value, int) else int(str(value).strip())
    except ValueError:
        raise bad() from None
    return ox.Literal(str(number), datatype=ox.NamedNode(_XSD + "integer"))


def with_values(text: str, bindings: Mapping[str, OxTerm]) -> str:
    """``text`` with a ``VALUES`` block at the head of its WHERE clause giving ``?_name`` its term,
    for each parameter bound; unchanged when none is.

    Example:
        >>> print(with_values('SELECT ?x WHERE { ?x ?p ?_label }', {"label": ox.Literal('say "hi"')}))
        SELECT ?x WHERE { VALUES (?_label) { ("say \\"hi\\"") } ?x ?p ?_label }
    """
    if not bindings:
        return text
    at = where_brace(text)
    names = " ".join(f"?_{name}" for name in bindings)
    terms = " ".join(term_text(term) for term in bindings.values())
    return f"{text[: at + 1]} VALUES ({names}) {{ ({terms}) }}{text[at + 1 :]}"


def check_page(limit: int | None, offset: int) -> None:
    """Raise ConfigError for a negative ``limit`` or ``offset``."""
    for option, value in (("limit", limit), ("offset", offset)):
        if value is not None and value < 0:
            raise ConfigError(option, value, "It must be 0 or more.")


def paged(text: str, limit: int | None = None, offset: int = 0) -> str:
    """``text`` with ``LIMIT``/``OFFSET`` appended: one page of its rows, in the order its
    ``ORDER BY`` gives (every stored query orders its rows totally, so pages never overlap).

    Raises:
        ConfigError: a negative ``limit`` or ``offset``.

    Example:
        >>> paged("SELECT ?x WHERE { } ORDER BY ?x", 10, 20)
        'SELECT ?x WHERE { } ORDER BY ?x\\nLIMIT 10 OFFSET 20'
    """
    check_page(limit, offset)
    clauses = ([f"LIMIT {limit}"] if limit is not None else []) + ([f"OFFSET {offset}"] if offset else [])
    return f"{text.rstrip()}\n{' '.join(clauses)}" if clauses else text


# -- running ---------------------------------------------------------------
def run_query(
    store: Store,
    query: str | StoredQuery,
    params: Mapping[str, object] | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
    cursor: str | None = None,
) -> QueryResult:
    """Run a stored query (by name or object) with parameters bound as terms (:func:`with_values`):
    its text for the store's engine (:meth:`StoredQuery.text_for`). A whole-graph listing with a
    keys text is read a few keys at a time (:mod:`geokg.listings`), so a page costs about its rows.

    Args:
        limit: at most this many rows (None: all); ``result.more`` says whether others follow,
            and ``result.cursor`` where they start.
        offset: skip this many rows first.
        cursor: start where the page that gave this ``result.cursor`` ended (instead of ``offset``).

    Raises:
        QueryNotFoundError, QueryParameterError, QuerySyntaxError, StoreError, ConfigError.
    """
    stored = get_query(query) if isinstance(query, str) else query
    check_page(limit, offset)
    bindings = bind_params(stored, params)
    start = _start(stored, offset, cursor)
    computed = _computed(store, stored, bindings, start)
    if computed is not None:
        page = computed[start.skip :] if limit is None else computed[start.skip : start.skip + limit + 1]
        more = limit is not None and len(page) > limit
        return QueryResult(
            stored.columns,
            page[:limit] if more else page,
            stored.title,
            offset=offset,
            more=more,
            cursor=offset_cursor(stored, start.skip + len(page) - 1) if more else None,
        )
    keyed = _keyed(store, stored, bindings, start, None if limit is None else start.skip + limit + 1)
    if keyed is not None:
        rows: list[tuple[Value, ...]] = []
        for n, (row, key, index) in enumerate(keyed):
            if n < start.skip:
                continue
            if limit is not None and len(rows) == limit:
                next_page = listings.encode_cursor(stored.name, listings.Position(index, key))
                return QueryResult(stored.columns, rows, stored.title, offset=offset, more=True, cursor=next_page)
            rows.append(row)
        return QueryResult(stored.columns, rows, stored.title, offset=offset)
    text = with_values(stored.text_for(store.engine, bindings), bindings)
    # One row more than asked says whether the listing goes on, without counting it.
    columns, tsv = store.select_tsv(
        paged(text, None if limit is None else limit + 1, start.skip), source=str(stored.path)
    )
    rows = rows_from_tsv(tsv)
    more = limit is not None and len(rows) > limit
    following = listings.encode_cursor(stored.name, listings.Position(start.skip + (limit or 0))) if more else None
    return QueryResult(
        tuple(columns), rows[:limit] if more else rows, stored.title, offset=offset, more=more, cursor=following
    )


def _start(stored: StoredQuery, offset: int, cursor: str | None) -> listings.Position:
    if cursor is None:
        return listings.Position(offset)
    if offset:
        raise ConfigError("offset", offset, "Give an offset or a cursor, not both.")
    return listings.read_cursor(stored.name, cursor)


def cursor_offset(stored: StoredQuery, offset: int, cursor: str) -> int:
    """The row offset a cursor names, for a store that reads no keys (a remote endpoint).

    Raises:
        ConfigError: the cursor names a key (it came from a page of the local store), or is not one.
    """
    start = _start(stored, offset, cursor)
    if start.key is not None:
        raise ConfigError("cursor", cursor, "It came from a page of the local store; use it there, or --offset here.")
    return start.skip


def offset_cursor(stored: StoredQuery, offset: int) -> str:
    """The cursor of the page that starts ``offset`` rows into the listing."""
    return listings.encode_cursor(stored.name, listings.Position(offset))


def _computed(
    store: Store, stored: StoredQuery, bindings: Mapping[str, OxTerm], start: listings.Position
) -> list[tuple[Value, ...]] | None:
    """The rows of a listing computed in Python on this engine (:data:`geokg.aggregates.COMPUTED`,
    :data:`geokg.aggregates.BOUND` with parameters bound), or read whole once
    (:data:`geokg.aggregates.WHOLE`), or None."""
    if store.engine != "oxigraph" or start.key is not None:
        return None
    if bindings:
        names, bound = aggregates.BOUND.get(stored.name, (frozenset(), None))
        return bound(store, bindings) if bound is not None and set(bindings) == names else None  # type: ignore[return-value]
    if stored.name in aggregates.WHOLE:
        text = stored.text_for(store.engine)
        return aggregates.whole(
            store, stored.name, lambda: rows_from_tsv(store.select_tsv(text, source=str(stored.path))[1])
        )
    compute = aggregates.COMPUTED.get(stored.name)
    return None if compute is None else compute(store)  # type: ignore[return-value]


def _keyed(
    store: Store, stored: StoredQuery, bindings: Mapping[str, OxTerm], start: listings.Position, want: int | None
) -> Iterator[tuple[tuple[Value, ...], tuple[str, ...], int]] | None:
    """The rows of a whole-graph listing, or of the values bound, read by keys, or None when they
    are not read that way."""
    keys_text = stored.keys_for(store.engine, bindings)
    source = str(stored.path)
    # All the rows of a bound value come faster from one query than from its keys.
    whole_value = bool(bindings) and want is None and start.key is None
    if keys_text is None or whole_value:
        if start.key is not None:
            raise ConfigError("cursor", start.key, f"It names a key, but {stored.name} is not read by keys here.")
        return None
    keys_text = with_values(keys_text, bindings)  # the keys of the values bound
    order = listings.key_order(store, keys_text, source, listings.order_keys(stored.text_for(store.engine)))
    if order is None:
        if start.key is not None:
            raise ConfigError("cursor", start.key, "The store's keys can no longer be read in order.")
        return None
    params = {p.variable for p in stored.params}
    names = [name[1:] for name in order.bind if name in params]
    variables = [name if name in params else name[1:] for name in order.bind]
    # The form for the parameters the keys give; a value they do not give is bound apart.
    apart = {name: term for name, term in bindings.items() if "_" + name not in order.bind}
    text = with_values(stored.text_for(store.engine, names), apart)
    select = listings.joined_select(store, stored.name) if stored.name in listings.JOINED else None
    if select is not None:
        text = listings.JOINED[stored.name]
    else:
        select = lambda page: store.select_tsv(page, source=source)[1]  # noqa: E731

    def read(page: str) -> list[tuple[Value, ...]]:
        return rows_from_tsv(select(page))

    return listings.keyed_rows(order, text, stored.columns, read, start, want=want, variables=variables)  # type: ignore[return-value]


def iter_query(
    store: Store,
    query: str | StoredQuery,
    params: Mapping[str, object] | None = None,
    *,
    limit: int | None = None,
    offset: int = 0,
    cursor: str | None = None,
) -> tuple[tuple[str, ...], Iterator[tuple[Value, ...]]]:
    """The columns of a stored query and an iterator over its rows, read from the store as they are
    consumed (:func:`run_query` reads them all first): for listings too long to hold in memory.
    A listing with keys is read a few keys at a time, so the first rows come before the last are read.

    Raises:
        As :func:`run_query`; a store error while reading is raised by the iterator.
    """
    stored = get_query(query) if isinstance(query, str) else query
    check_page(limit, offset)
    bindings = bind_params(stored, params)
    start = _start(stored, offset, cursor)
    computed = _computed(store, stored, bindings, start)
    if computed is not None:
        return stored.columns, iter(
            computed[start.skip :] if limit is None else computed[start.skip : start.skip + limit]
        )
    keyed = _keyed(store, stored, bindings, start, None if limit is None else start.skip + limit)
    if keyed is not None:
        stop = None if limit is None else start.skip + limit
        return stored.columns, (row for row, _, _ in itertools.islice(keyed, start.skip, stop))
    text = paged(with_values(stored.text_for(store.engine, bindings), bindings), limit, start.skip)
    columns, solutions = store.select(text, source=str(stored.path))
    cache: dict[Any, Value] = {}

    def convert(term: Any) -> Value:
        if term is None:
            return None
        try:
            return cache[term]
        except KeyError:
            value = cache[term] = to_python(term)
            if len(cache) > 100_000:  # repeated terms (labels, types, dates) are most of a listing
                cache.clear()
            return value

    return tuple(columns), (tuple(convert(term) for term in row) for row in solutions)


def rows_from_tsv(tsv: bytes) -> list[tuple[Value, ...]]:
    r"""SPARQL TSV results (Oxigraph's) as rows of the values :func:`to_python` gives.

    Each distinct cell is converted once: results repeat few distinct terms (labels,
    types, dates, article ids). Reading TSV instead of pyoxigraph's solutions saves
    the Python object pyoxigraph makes per term, which dominates a large result.

    Example:
        >>> rows_from_tsv(b'?a\t?b\n<http://e.org/a>\t\n"x\\ty"@en\t3\n')
        [('http://e.org/a', None), ('x\ty', 3)]
    """
    lines = tsv.decode("utf-8").split("\n")
    cache: dict[str, Value] = {"": None}
    out = []
    for line in lines[1:]:
        if not line:
            continue  # the final newline
        cells = line.split("\t")
        try:
            out.append(tuple([cache[cell] for cell in cells]))
        except KeyError:
            for cell in cells:
                if cell not in cache:
                    cache[cell] = _tsv_value(cell)
            out.append(tuple([cache[cell] for cell in cells]))
    return out


_ECHAR = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    return _ECHAR.sub(lambda m: chr(int(m[1] or m[2], 16)) if (m[1] or m[2]) else _ECHARS.get(m[3], m[3]), text)


def _tsv_value(cell: str) -> Value:
    """One TSV term (N-Triples syntax, or Turtle's bare numbers and booleans) as a Python value."""
    first = cell[0]
    if first == "<" and not cell.startswith("<<"):
        return _unescape(cell[1:-1]) if "\\" in cell else cell[1:-1]
    if first == '"':
        end = cell.rindex('"')
        lexical = cell[1:end]
        if "\\" in lexical:
            lexical = _unescape(lexical)
        suffix = cell[end + 1 :]
        if suffix.startswith("^^<"):
            return to_python(ox.Literal(lexical, datatype=ox.NamedNode(suffix[3:-1])))
        return lexical  # a string, with or without a language tag
    if cell.startswith("_:"):
        return cell
    if cell in ("true", "false"):
        return cell == "true"
    try:
        if "e" in cell or "E" in cell:
            return float(cell)
        if "." in cell:
            return Decimal(cell)
        return int(cell)
    except (ValueError, InvalidOperation):
        return cell  # e.g. an RDF-star triple term: shown as written


@dataclass(frozen=True)
class UpdateResult:
    """What a SPARQL Update did to the store: its size in quads before and after."""

    quads_before: int
    quads_after: int


def run_sparql(
    store: Store, text: str, source: str = "<ad-hoc>", *, allow_update: bool = False, allow_service: bool = False
) -> QueryResult | bool | UpdateResult:
    """Run an ad-hoc query: SELECT → rows, ASK → bool, CONSTRUCT/DESCRIBE → triples as rows.

    The prefixes of :data:`~geokg.iri_space.DECLARED_PREFIXES` need no PREFIX line
    (one in the text wins). A SPARQL Update is refused unless ``allow_update`` (and the store is open for
    writing); then it runs as one transaction and an :class:`UpdateResult` is returned.
    A query with SERVICE is refused unless ``allow_service`` (:func:`refuse_service`).

    Raises:
        QuerySyntaxError: the text does not parse, or it is a SPARQL Update
            and ``allow_update`` is false.
        QueryRefusedError: SERVICE without ``allow_service``.
        QueryRunError: the query failed while running (a SERVICE answer that does not parse).
    """
    if problem := not_utf8(text):
        raise QuerySyntaxError(source, f"the query text is not valid UTF-8 ({problem})")
    if not allow_service:
        refuse_service(text, source)
    try:
        return _run_sparql(store, text, source, allow_update)
    except (OSError, RuntimeError, SyntaxError) as exc:  # raised while results stream, after parsing
        if isinstance(exc, QuerySyntaxError):
            raise
        raise QueryRunError(source, str(exc)) from exc


def _run_sparql(store: Store, text: str, source: str, allow_update: bool) -> QueryResult | bool | UpdateResult:
    try:
        result = store.execute(text, source=source, prefixes=DECLARED_PREFIXES)
    except QuerySyntaxError as as_query:
        update = _UPDATE_KEYWORDS.match(_strip_comments(text))
        if update and not allow_update:
            raise QuerySyntaxError(
                source,
                f"{update.group(1).upper()} is SPARQL Update; geokg runs "
                "read-only queries (SELECT, ASK, CONSTRUCT, DESCRIBE) unless "
                "--allow-update is given",
                None,
                None,
            ) from None
        if not allow_update:
            raise
        before = len(store)
        try:
            store.update(text, source=source, prefixes=DECLARED_PREFIXES)
        except QuerySyntaxError:
            if update:
                raise
            raise QuerySyntaxError(
                source,
                f"neither a SPARQL query nor a SPARQL Update (as a query: {as_query.problem})",
                as_query.lineno,
                as_query.offset,
            ) from None
        return UpdateResult(before, len(store))
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        names = tuple(v.value for v in result.variables)
        tsv = result.serialize(format=ox.QueryResultsFormat.TSV)
        assert tsv is not None  # given no output, serialize returns the bytes
        return QueryResult(names, rows_from_tsv(tsv))
    triples: list[tuple[Value, ...]] = [
        (to_python(t.subject), to_python(t.predicate), to_python(t.object)) for t in result
    ]
    return QueryResult(("subject", "predicate", "object"), triples)


_SERVICE = re.compile(r"(?<![\w:?$@-])SERVICE(?![\w:])", re.IGNORECASE)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def uses_service(text: str) -> bool:
    """Whether a SPARQL text has the SERVICE keyword (federation: requests to another address).

    Example:
        >>> uses_service('SELECT * { SERVICE <http://10.0.0.1/> { ?s ?p ?o } }')
        True
        >>> uses_service('SELECT * { ?service <http://ex/SERVICE> "SERVICE" } # SERVICE')
        False
        >>> uses_service('SELECT * { \\u0053ERVICE <http://10.0.0.1/> { ?s ?p ?o } }')  # escapes count
        True
    """
    # SPARQL reads \uXXXX escapes anywhere in the text before parsing, so they are decoded first.
    decoded = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    return bool(_SERVICE.search(NOT_KEYWORDS.sub(" ", decoded)))


def refuse_service(text: str, source: str) -> None:
    """Raise QueryRefusedError when ``text`` uses SERVICE: a query would make geokg (or its server)
    send requests to any address it names, inside the network geokg runs in."""
    if uses_service(text):
        raise QueryRefusedError(
            source,
            "SERVICE makes this machine send requests to the address the query "
            "names; geokg refuses it unless --allow-service is given",
        )


def _strip_comments(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))


def to_python(term: Any) -> Value:
    """A pyoxigraph term as a Python value for rendering.

    IRIs become strings; numbers become int, Decimal or float; ``xsd:date`` a
    ``datetime.date``; other literals their lexical form; None stays None.

    Example:
        >>> to_python(ox.Literal("300000.0", datatype=ox.NamedNode(_XSD + "decimal")))
        Decimal('300000.0')
        >>> to_python(ox.Literal("2024-03-03", datatype=ox.NamedNode(_XSD + "date")))
        datetime.date(2024, 3, 3)
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if not isinstance(term, ox.Literal):
        return str(term)
    lexical, datatype = term.value, term.datatype.value
    try:
        if datatype in _INTEGER_TYPES:
            return int(lexical)
        if datatype == _XSD + "decimal":
            return Decimal(lexical)
        if datatype in (_XSD + "double", _XSD + "float"):
            return float(lexical)
        if datatype == _XSD + "boolean":
            return lexical in ("true", "1")
        if datatype == _XSD + "date" and _DATE.match(lexical):
            return dt.date.fromisoformat(lexical)
    except (ValueError, InvalidOperation):
        pass  # ill-typed literal: show its lexical form
    return lexical
