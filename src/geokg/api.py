"""The verbs: build, query, sparql, validate, export, push. The CLI calls these."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import signal
import tempfile
import threading
import warnings
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pyoxigraph as ox

from geokg import queries as _queries
from geokg import resolve as _resolve
from geokg.articles import SUFFIXES, iter_articles
from geokg.errors import ConfigError, GeokgError, GeokgWarning, IngestError, QuerySyntaxError, StoreError
from geokg.iri_space import DECLARED_PREFIXES, ONTOLOGY_GRAPH, REFERENCE_GRAPH
from geokg.model import Article
from geokg.resources import ontology_files
from geokg.settings import DEFAULT_BIND, Settings
from geokg.store import Store

# Each verb imports the stages it needs (spaCy, rdflib, pySHACL, networkx, requests) when it
# runs: `geokg query` then starts without them, and `import geokg` stays cheap.
if TYPE_CHECKING:
    import networkx as nx
    from rdflib import Dataset, Graph

    import geokg.crossdoc as _crossdoc
    import geokg.evaluate as _evaluate
    import geokg.load as _load
    import geokg.push as _push
    import geokg.remote as _remote
    import geokg.serve as _serve
    import geokg.validate as _validate
    from geokg.crossdoc_incremental import Changes
    from geokg.crudeoilnews import CrudeOilNewsEvaluation
    from geokg.pipeline import Extractor, Failure, Outcome


@dataclass
class BuildSummary:
    """What a build did: counters, plus the articles that failed or were quarantined.

    Nothing here grows with the number of articles loaded, so a build streams.
    """

    articles: int = 0
    skipped: int = 0
    #: triples of the article graphs this build loaded (counting a store's quads takes a pass over it)
    triples: int = 0
    events: Counter[str] = field(default_factory=Counter)
    violations: list[_validate.Violation] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    #: one GK302 Failure per quarantined article, for :meth:`not_loaded`
    quarantine_failures: list[Failure] = field(default_factory=list)
    crossdoc: _crossdoc.CrossDocSummary | None = None
    #: articles whose graphs are committed to the store (``articles`` counts them when processed)
    stored: int = 0
    #: article graphs of an older geokg's layout moved to ``…/graph/article/{id}``
    migrated: int = 0

    @property
    def quarantined(self) -> list[str]:
        """Ids of the articles whose graph violated the shapes (in the quarantine folder)."""
        return [failure.article_id or "" for failure in self.quarantine_failures]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.quarantined

    def not_loaded(self) -> list[Failure]:
        """Every input that did not end up in the store, and why (failed or quarantined)."""
        return self.failures + self.quarantine_failures


class BuildInterrupted(KeyboardInterrupt):
    """Ctrl-C during :func:`build`: still an interrupt, carrying what was done before it.

    The store keeps every article graph committed so far (``summary.stored``) and stays
    marked stale: its cross-document graphs were not refreshed (:meth:`Store.warnings`).
    """

    def __init__(self, summary: BuildSummary, store: Path) -> None:
        super().__init__(f"build interrupted after {summary.stored} article(s) were loaded")
        self.summary, self.store = summary, store


def build(
    paths: Iterable[str | Path],
    settings: Settings | None = None,
    *,
    on_article: Callable[[Article], None] | None = None,
    rebuild: bool = False,
    dask: str | None = None,
    follow_links: bool = False,
    force: bool = False,
    recompute_crossdoc: bool = False,
) -> BuildSummary:
    """Ingest, extract, validate and load articles into the store, streaming.

    Each article replaces its own named graph, so building the same input twice
    leaves the store unchanged. An article whose graph violates the shapes is
    written to the quarantine folder (``Settings.quarantine``) instead. Articles
    are read lazily and loaded ``batch_size`` graphs per transaction; no article
    is held after it is loaded.

    Incremental: an article whose graph is in the store with the same content
    hash (``gk:contentHash``: text and metadata) is skipped, unless ``rebuild``. The
    cross-document graphs are then updated for the articles written or removed only
    (:mod:`geokg.crossdoc_incremental`); a build that writes nothing leaves them as they are.
    They are recomputed whole (:func:`geokg.crossdoc.refresh`) on the first build, after an
    interrupted one, when the reference data changed, when the build changed more than a
    quarter of a store of over 1,000 articles, or with ``recompute_crossdoc``.

    Args:
        paths: files or folders (walked) to read.
        settings: store, spaCy pipeline, extractor, batch size, worker processes.
        on_article: called once per article read (for progress bars).
        rebuild: process every article, even those already in the store unchanged.
        dask: a Dask scheduler address (``tcp://host:8786``) or ``"local"`` for a
            LocalCluster: extraction runs there and the graphs are bulk-loaded
            (see :mod:`geokg.cluster`).
        follow_links: read symbolic links in the folders walked that lead out of them
            (by default they are reported, GK105, and not read).
        force: build even while a read-only or in-memory ``geokg serve`` answers from the
            store (a GeokgWarning says it keeps answering from the old data).
        recompute_crossdoc: recompute the cross-document graphs from the whole store (a repair).

    Raises:
        IngestError: a path does not exist (:func:`check_paths`); nothing is created.
        StoreError: a ``geokg serve`` runs on the store (:func:`check_not_served`).
        ConfigError: no extractor has the name ``settings.extractor``; nothing is created.
    """
    from geokg._kept_keys import KeptKeys
    from geokg.crossdoc_incremental import Changes
    from geokg.iri_space import CROSSDOC_ENTITIES_GRAPH
    from geokg.pipeline import get_extractor

    settings = settings or Settings.from_env()
    paths = list(paths)
    check_paths(paths)
    get_extractor(settings.extractor)
    for server in check_not_served(settings.store, force=force):
        warnings.warn(
            f"store {settings.store}: {_serving(server)} keeps answering from the data it opened until it is restarted",
            GeokgWarning,
            stacklevel=2,
        )
    if not _pipeline_installed(settings.model):
        from geokg.nlp import get_pipeline

        get_pipeline(settings.model)  # raises the coded error listing the installed pipelines
    summary = BuildSummary()
    reference, ontology = _built_in_texts()
    kept = KeptKeys(settings.store)  # the saved listing keys valid before the build
    with Store.open(settings.store) as store:
        # A store another geokg version wrote has another reference graph, and may hold article
        # graphs under old names (docs/reliability.md). Finding them means reading every graph's
        # name, so it is done once: after it the store records its layout as current, and only
        # a changed reference graph (another geokg wrote here since) makes a build look again.
        reference_changed = not store.holds(REFERENCE_GRAPH, reference)
        if reference_changed or not store.layout_current:
            summary.migrated = store.migrate_legacy_graphs(check=reference_changed)
            if summary.migrated:
                kept.drop()  # article graphs renamed: not what `changes` records
        if reference_changed:  # after the move: interrupted, the next build moves the rest
            store.replace_graphs({REFERENCE_GRAPH: reference})
        # Labels and hierarchies may have changed with the reference data; store.derived_stale: a
        # build or load stopped before its cross-document pass; derived_outdated: an older geokg wrote it.
        whole = recompute_crossdoc or reference_changed or store.derived_stale or store.derived_outdated
        store.ensure_graph(ONTOLOGY_GRAPH, ontology)
        # The first write marks the derived graphs stale, and records what they said of the old graphs.
        changes = Changes(store, track=not whole and store.has_graph(CROSSDOC_ENTITIES_GRAPH))
        try:
            _load_articles(paths, settings, store, summary, on_article, rebuild, dask, follow_links, changes)
            summary.crossdoc = _cross_document_pass(store, changes, whole)
        except KeyboardInterrupt as interrupt:
            raise BuildInterrupted(summary, settings.store) from interrupt
        if store.derived_stale:
            store.clear_derived_stale()
        # Compacting makes queries on disk faster but rewrites the whole store: worth it after a
        # first build or a large one, or once the derived graphs were written whole (on a store
        # of ten million quads left as that pass wrote it, first pages took twice as long), not
        # after a few new articles.
        rewritten = summary.crossdoc is not None and not summary.crossdoc.incremental
        if rewritten or (
            summary.articles and store.count_article_graphs(stop_after=summary.articles * 10) <= summary.articles * 10
        ):
            store.optimize()
        kept.update(store, changes.replaced)
    kept.save()
    return summary


def _cross_document_pass(store: Store, changes: Changes, whole: bool) -> _crossdoc.CrossDocSummary | None:
    """Update the derived graphs for what the build changed, recompute them whole, or (nothing
    written, nothing to repair) leave them untouched and return None."""
    from geokg import crossdoc, crossdoc_incremental

    if not whole and not changes.written:
        return None
    # Past a quarter of a store of some size, reading the whole store once is the cheaper way.
    if (
        whole
        or not changes.track
        or (
            len(changes.graphs) > 1000
            and store.count_article_graphs(stop_after=4 * len(changes.graphs)) <= 4 * len(changes.graphs)
        )
    ):
        if not changes.written:
            store.mark_derived_stale()
        return crossdoc.refresh(store)
    return crossdoc_incremental.update(store, changes)


def check_not_served(store: Path, *, force: bool = False) -> list[_serve.Serving]:
    """Refuse to write a store that a ``geokg serve`` answers from, unless ``force``; returns
    the servers running on it.

    A read-only server does not see the writes (it answers from the data it opened, and
    Oxigraph leaves a write under it undefined); an in-memory one answers from its copy. A
    read-write server holds the store's lock, so ``force`` cannot help there.

    Raises:
        StoreError: a server runs on ``store`` (read-write; or any, without ``force``).
    """
    from geokg import serve as _serve

    running = _serve.servers(store)
    for server in running:
        if server.mode == "read-write":
            raise StoreError(
                store,
                f"{_serving(server)} has the store open for writing; stop it before "
                "building, or build into another store and `geokg push` to the server",
            )
        if not force:
            raise StoreError(
                store,
                f"{_serving(server)} answers from this store and would go on answering "
                "from the data it opened, not from this build. Stop it (Ctrl-C), build, "
                "and start it again; or pass --force to build anyway",
            )
    return running


def _serving(server: _serve.Serving) -> str:
    return f"geokg serve ({server.mode}, pid {server.pid}, http://{server.bind}/, since {server.started})"


def check_paths(paths: Iterable[str | Path]) -> None:
    """Refuse a build that names a file or folder that does not exist, before anything is
    read or created: a mistyped path used to create an empty store and summarise nothing.

    Raises:
        IngestError: GK105, naming the missing paths.
    """
    missing = [str(path) for path in paths if not os.path.exists(path)]
    if missing:
        others = f" (also missing: {', '.join(missing[1:])})" if missing[1:] else ""
        raise IngestError(
            missing[0],
            f"no such file or folder{others}; nothing was read and no store was written: check the path",
            code="GK105",
        )


def _load_articles(
    paths: Iterable[str | Path],
    settings: Settings,
    store: Store,
    summary: BuildSummary,
    on_article: Callable[[Article], None] | None,
    rebuild: bool,
    dask: str | None,
    follow_links: bool,
    changes: Changes,
) -> None:
    from geokg.parallel import iter_outcomes
    from geokg.pipeline import get_extractor

    # A store (or its quarantine) inside an input folder is geokg's output, never its input.
    articles = _readable(
        iter_articles(paths, follow_links=follow_links, skip=(settings.store, settings.quarantine)), summary, on_article
    )
    if not rebuild:
        articles = _changed(articles, store, summary)
    articles = _pipeline_checked(articles, settings.model, get_extractor(settings.extractor))
    if dask is not None:
        from geokg import cluster  # dask is an optional extra

        outcomes = cluster.build_on_dask(articles, settings, dask, store, changes)
        _record(outcomes, summary, settings, store=None, changes=changes)
        summary.stored = summary.articles  # bulk-loaded at the end, all at once
    else:
        outcomes = iter_outcomes(
            articles,
            settings.model,
            batch_size=settings.batch_size,
            workers=settings.workers,
            extractor=settings.extractor,
        )
        _record(outcomes, summary, settings, store=store, changes=changes)


def _pipeline_installed(model: str) -> bool:
    """Whether ``spacy.load(model)`` finds a pipeline (a package, a folder, ``blank:xx``), checked
    without importing spaCy, so that a missing one fails before the store is touched."""
    if model.startswith("blank:") or Path(model).exists():
        return True
    try:
        return importlib.util.find_spec(model) is not None
    except (ImportError, ValueError):  # a dotted name whose parent is missing, an empty name
        return False


def _pipeline_checked(articles: Iterable[Article], model: str, extractor: Extractor) -> Iterator[Article]:
    """``articles``, once the extractor's spaCy pipeline has loaded: it fails fast on a missing
    pipeline before the first article is parsed, and a build with nothing new never pays for loading
    spaCy."""
    checked = False
    for article in articles:
        if not checked:
            extractor.nlp(model)  # imports spaCy: only once there is an article to parse
            checked = True
        yield article


def check_report_path(report: str | Path, paths: Iterable[str | Path]) -> None:
    """Refuse a build report that would overwrite an input of the build, or be read as one.

    Opening the report for writing empties it, and that happens before any input is
    read: ``--report articles.jsonl`` used to empty the articles it was meant to report on.

    Raises:
        ConfigError: the report is one of ``paths``, or a file walking one of them would read.
    """
    target = Path(os.path.realpath(report))
    for path in paths:
        real = Path(os.path.realpath(path))
        if target == real or (target.exists() and real.exists() and os.path.samefile(target, real)):
            raise ConfigError(
                "--report",
                str(report),
                f"It is an input of this build ({path}): writing the "
                "report would empty it before it is read. Write the report to another file",
            )
        if (
            real.is_dir()
            and real in target.parents
            and target.suffix.lower() in SUFFIXES
            and not target.name.startswith(".")
        ):
            raise ConfigError(
                "--report",
                str(report),
                f"It lies in the input folder {path}, so it would be read "
                "as articles (by this build or the next). Write the report outside the folder",
            )


def _changed(articles: Iterable[Article], store: Store, summary: BuildSummary) -> Iterator[Article]:
    """Articles whose graph is missing from the store or was built from other content."""
    from geokg.model import content_hash

    for article in articles:
        if store.article_hash(article.id) == content_hash(article):
            summary.skipped += 1
            continue
        yield article


def _record(
    outcomes: Iterable[Outcome], summary: BuildSummary, settings: Settings, *, store: Store | None, changes: Changes
) -> None:
    """Count outcomes, quarantine what violates the shapes and, given a store, load the
    graphs ``batch_size`` per transaction (a quarantined article's old graph goes too)."""
    from geokg.iri_space import graph_iri
    from geokg.pipeline import Failure
    from geokg.validate import write_quarantine

    batch: dict[str, str] = {}  # graph IRI -> N-Triples; ids are unique in a build (iter_articles: GK104)
    loading = 0  # conforming articles in the batch
    for outcome in outcomes:
        if outcome.failure is not None:
            summary.failures.append(outcome.failure)
            continue
        if outcome.quarantine is not None:
            graph, report = outcome.quarantine
            summary.violations.extend(report.violations)
            write_quarantine(settings.quarantine, outcome.article_id, graph, report)
            summary.quarantine_failures.append(
                Failure(
                    outcome.path,
                    outcome.article_id,
                    "GK302",
                    f"the graph violates the shapes ({len(report.violations)} violation(s)); "
                    f"quarantined in {settings.quarantine}",
                    outcome.line,
                )
            )
            text = ""  # its old graph goes
        else:
            summary.articles += 1
            summary.events.update(outcome.events)
            text = outcome.ntriples or ""
            summary.triples += outcome.triples
            loading += 1
        if store is None:  # the Dask path loads the graphs itself: keep nothing here
            continue
        batch[str(graph_iri(outcome.article_id))] = text
        if len(batch) >= settings.batch_size:
            changes.before_writing(batch)
            with _ctrl_c_deferred():
                store.replace_graphs(batch)
                summary.stored += loading
            batch, loading = {}, 0
    if store is not None:
        changes.before_writing(batch)
        with _ctrl_c_deferred():
            store.replace_graphs(batch)
            summary.stored += loading


@contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Hold Ctrl-C back while a batch is committed and counted, so that the count an interrupted
    build reports is exact (an interrupt landing between Oxigraph's commit and the count made
    it one batch short). The held interrupt is raised as the block ends.

    A Python-level handler, not a blocked signal: the kernel hands a signal the main thread
    blocks to another thread (RocksDB's, tqdm's), and CPython raises it in the main thread anyway.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if caught and callable(previous):
            previous(signal.SIGINT, None)  # Python's default handler raises KeyboardInterrupt


def query(
    name: str,
    params: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    *,
    endpoint: str | None = None,
    credentials: _remote.Credentials | None = None,
    store: Store | None = None,
    limit: int | None = None,
    offset: int = 0,
    cursor: str | None = None,
) -> _queries.QueryResult:
    """Run a stored query (``queries/NAME.rq``) against the store, or at a remote SPARQL ``endpoint``.

    ``limit`` and ``offset`` ask for one page of the rows (``result.more`` says whether more
    follow); ``cursor=result.cursor`` asks for the page after ``result``, which on the store
    costs about the page, where an offset reads the rows it skips. :func:`query_rows` reads the
    rows one at a time instead.

    A parameter that names an entity (a country, commodity, person...) is read as a person
    means it, against the store queried: case and accents ignored, other names, ISO codes,
    a surname (:mod:`geokg.resolve`); ``result.notes`` say what a value was taken to mean.
    Parameters are bound as terms by a leading ``VALUES`` block, the same text locally and
    at an endpoint (:func:`geokg.queries.with_values`); the rows come back in the same form.
    ``store`` is an open store to ask instead of opening ``settings.store`` for
    this one query: a :func:`replica` answers many queries fastest.

    Raises:
        NameNotFoundError: a value names nothing in the store (close labels are suggested).
        AmbiguousNameError: a value names several entities (they are listed).
    """
    stored = _queries.get_query(name)
    if endpoint is not None:
        from geokg.remote import HttpClient, run_remote_query

        with HttpClient(credentials) as client:
            values, resolutions = _resolve.resolve_params(stored, params, _resolve.Resolver.remote(endpoint, client))
            if cursor is not None:
                offset = _queries.cursor_offset(stored, offset, cursor)
            result = run_remote_query(endpoint, stored, values, client=client, limit=limit, offset=offset)
            if result.more:
                result = dataclasses.replace(result, cursor=_queries.offset_cursor(stored, offset + len(result.rows)))
    elif store is not None:
        result, resolutions = _run_resolved(store, stored, params, limit, offset, cursor)
    else:
        settings = settings or Settings.from_env()
        with _reading(settings.store, read_only=True) as opened:
            result, resolutions = _run_resolved(opened, stored, params, limit, offset, cursor)
    notes = tuple(f"{name}={r.note}" for name, r in resolutions.items() if r.note)
    return dataclasses.replace(result, notes=notes) if notes else result


def _run_resolved(
    store: Store,
    stored: _queries.StoredQuery,
    params: Mapping[str, object] | None,
    limit: int | None = None,
    offset: int = 0,
    cursor: str | None = None,
) -> tuple[_queries.QueryResult, dict[str, _resolve.Resolution]]:
    values, resolutions = _resolve.resolve_params(stored, params, _resolve.Resolver.local(store))
    return _queries.run_query(store, stored, values, limit=limit, offset=offset, cursor=cursor), resolutions


def query_rows(
    name: str,
    params: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    *,
    store: Store | None = None,
    limit: int | None = None,
    offset: int = 0,
    cursor: str | None = None,
) -> Iterator[dict[str, _queries.Value]]:
    """The rows of a stored query on the store, one dict (column -> value) at a time, read from
    the store as they are consumed: a listing of millions of rows never sits in memory whole.
    Parameters resolve as for :func:`query` (what they were taken to mean is not reported).

    Example::

        for row in geokg.api.query_rows("mentions", settings=settings):
            ...
    """
    stored = _queries.get_query(name)
    if store is not None:
        values, _ = _resolve.resolve_params(stored, params, _resolve.Resolver.local(store))
        columns, rows = _queries.iter_query(store, stored, values, limit=limit, offset=offset, cursor=cursor)
        yield from (dict(zip(columns, row, strict=True)) for row in rows)
        return
    settings = settings or Settings.from_env()
    with _reading(settings.store, read_only=True) as opened:
        yield from query_rows(name, params, store=opened, limit=limit, offset=offset, cursor=cursor)


def resolve(
    value: str,
    type: str = "Entity",
    settings: Settings | None = None,
    *,
    endpoint: str | None = None,
    credentials: _remote.Credentials | None = None,
) -> _resolve.Resolution:
    """What ``value`` names in the store (or at ``endpoint``): the entity's display label and IRIs.

    ``type`` is one of :data:`geokg.queries.ENTITY_KINDS` ("Country", "Commodity", "Person"...;
    "Entity" for any). The rules are those of query parameters (:mod:`geokg.resolve`).

    Example::

        geokg.api.resolve("CHN", "Country").label       # 'China'

    Raises:
        NameNotFoundError, AmbiguousNameError: as for :func:`query`.
    """
    if endpoint is not None:
        from geokg.remote import HttpClient

        with HttpClient(credentials) as client:
            return _resolve.Resolver.remote(endpoint, client).resolve(value, type)
    settings = settings or Settings.from_env()
    with _reading(settings.store, read_only=True) as opened:
        return _resolve.Resolver.local(opened).resolve(value, type)


def query_all(
    settings: Settings | None = None,
    *,
    endpoint: str | None = None,
    credentials: _remote.Credentials | None = None,
    limit: int | None = None,
) -> Iterator[tuple[str, _queries.QueryResult]]:
    """Every stored query in name order, without parameters: ``(name, result)`` pairs, one
    query at a time, on the store (opened once) or at a remote SPARQL ``endpoint``; with
    ``limit``, the first rows of each."""
    names = [stored.name for stored in _queries.list_queries()]  # all parsed before any runs
    if endpoint is not None:
        from geokg.remote import HttpClient, run_remote_query

        with HttpClient(credentials) as client:
            for name in names:
                yield name, run_remote_query(endpoint, name, {}, client=client, limit=limit)
        return
    settings = settings or Settings.from_env()
    with _reading(settings.store, read_only=True) as store:
        for name in names:
            yield name, _queries.run_query(store, name, {}, limit=limit)


def replica(settings: Settings | None = None) -> Store:
    """The store copied into memory, read-only (:meth:`Store.replica`): for many queries, pass it
    as ``store=`` to :func:`query`; they run faster than on disk (docs/performance.md).

    Example::

        with geokg.replica() as store:
            offers = geokg.query("offers", store=store)
            japan = geokg.query("entity-articles", {"entity": "Japan"}, store=store)
    """
    settings = settings or Settings.from_env()
    copy = Store.replica(settings.store)
    for message in copy.warnings():
        warnings.warn(message, GeokgWarning, stacklevel=2)
    return copy


def entities(
    settings: Settings | None = None, *, unlinked: bool = False, type: str | None = None, name: str | None = None
) -> _queries.QueryResult:
    """Entities across articles, merged over aliases (the ``entities`` stored query).

    Args:
        unlinked: keep only entities the reference data lacks (``gk:linked false``),
            the ones to curate.
        type: keep one type (Person, Country, Organization, Company, Media, Commodity, Place).
        name: keep the entity this name means, read as query parameters are (any case, other
            names, ISO codes, a surname: :mod:`geokg.resolve`), of ``type`` when given;
            ``result.notes`` say what it was taken to mean.

    Raises:
        NameNotFoundError, AmbiguousNameError: ``name`` names nothing, or several things.
    """
    settings = settings or Settings.from_env()
    with _reading(settings.store, read_only=True) as store:
        resolution = _resolve.Resolver.local(store).resolve(name, type or "Entity") if name else None
        result = _queries.run_query(store, "entities", {})
    linked, kind = result.columns.index("linked"), result.columns.index("type")
    entity, variants = result.columns.index("entity"), result.columns.index("variants")
    rows = [
        row
        for row in result.rows
        if (not unlinked or row[linked] is False)
        and (type is None or row[kind] == type)
        and (
            resolution is None
            or row[entity] in resolution.iris
            or bool(set(str(row[variants] or "").split(", ")) & set(resolution.iris))
        )
    ]
    notes = (resolution.note,) if resolution is not None and resolution.note else ()
    return _queries.QueryResult(result.columns, rows, result.title, notes)


def sparql(
    text: str,
    settings: Settings | None = None,
    *,
    source: str = "<sparql>",
    allow_update: bool = False,
    allow_service: bool = False,
    endpoint: str | None = None,
    credentials: _remote.Credentials | None = None,
) -> _queries.QueryResult | bool | _queries.UpdateResult:
    """Run an ad-hoc SPARQL query against the store (read-only unless ``allow_update``:
    then the store is opened for writing and a SPARQL Update runs as one transaction),
    or a read-only query at a remote SPARQL ``endpoint``.

    SERVICE is refused unless ``allow_service``, here and at an endpoint alike: it makes
    the store (or the endpoint) send requests to whatever address the query names.

    The prefixes of :data:`geokg.iri_space.DECLARED_PREFIXES` (gk, rdf, skos, one per
    kind of id such as country) need no PREFIX line; a PREFIX in the text wins. An
    endpoint is sent PREFIX lines for the ones the text uses.
    """
    if problem := _queries.not_utf8(text):
        raise QuerySyntaxError(source, f"the query text is not valid UTF-8 ({problem})")
    if not allow_service:
        _queries.refuse_service(text, source)
    if endpoint is not None:
        if allow_update:
            raise ConfigError(
                "allow_update",
                True,
                "Updates are only run on the local store; send them to a remote store with its own tools",
            )
        from geokg.remote import HttpClient, run_remote

        with HttpClient(credentials) as client:
            return run_remote(endpoint, text, client=client, source=source, prefixes=DECLARED_PREFIXES)
    settings = settings or Settings.from_env()
    with _reading(settings.store, read_only=not allow_update) as store:
        return _queries.run_sparql(store, text, source=source, allow_update=allow_update, allow_service=allow_service)


def validate(target: str | Path | None = None, settings: Settings | None = None) -> _validate.ValidationReport:
    """Validate every article graph of the store, or an RDF file, against the shapes."""
    from rdflib import Dataset

    from geokg.load import format_of, read_quads
    from geokg.validate import format_violation
    from geokg.validate import validate as shacl_validate

    if target is not None:
        path = Path(target)
        if not path.is_file():
            raise IngestError(path, "no such file to validate")
        # Oxigraph parses under geokg load's rule (load.read_quads: no network, no other file, no
        # DTD entities, bounded depth and literals) and fails in one line where rdflib printed pages.
        quads = read_quads(path, format_of(path))
        dataset = Dataset()
        with warnings.catch_warnings():
            # rdflib 7.6 warns about its own ConjunctiveGraph internals when parsing into a Dataset.
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset.parse(data=ox.serialize(quads, format=ox.RdfFormat.N_QUADS), format="nquads")
        return shacl_validate(dataset)
    settings = settings or Settings.from_env()
    with _reading(settings.store, read_only=True) as store:
        report = shacl_validate(_article_dataset(store))
        damaged = _built_in_damage(store)
    if not damaged:
        return report
    return dataclasses.replace(
        report,
        conforms=False,
        violations=report.violations + tuple(damaged),
        text="\n".join([report.text] + [format_violation(v) for v in damaged]),
    )


def _built_in_damage(store: Store) -> list[_validate.Violation]:
    """The built-in graphs (reference, ontology) that differ from what the packaged files give.

    Queries resolve names, types and commodity hierarchies through them, so a replaced
    reference graph (an article id "reference" did that before issue 18, ``geokg load``
    or a SPARQL Update still can) makes answers wrong while every article conforms.
    """
    from rdflib.compare import isomorphic

    from geokg.rdf import reference_graph
    from geokg.rdf.iris import ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from geokg.validate import Violation

    expected = {REFERENCE_GRAPH: reference_graph(), ONTOLOGY_GRAPH: _ontology_graph()}
    damaged = []
    for iri, packaged in expected.items():
        stored = store.rdflib_graph(iri)
        if len(stored) == len(packaged) and isomorphic(stored, packaged):
            continue
        what = (
            "is missing"
            if not len(stored)
            else (
                f"holds {len(stored)} triples where the packaged files give {len(packaged)}"
                if len(stored) != len(packaged)
                else f"differs from the packaged files ({len(stored)} triples each)"
            )
        )
        damaged.append(
            Violation(
                focus_node=str(iri),
                path=None,
                severity="Violation",
                component="BuiltInGraph",
                article=None,
                message=f"the built-in graph {iri} {what}: it was replaced or changed, so queries "
                "resolve names and types wrongly; run `geokg build` on this store (no paths needed) "
                "to restore it",
            )
        )
    return damaged


def export(path: str | Path | IO[bytes], format: str | None = None, settings: Settings | None = None) -> Path | None:
    """Write the store to ``path`` (format from the extension unless given), or to a binary
    stream such as ``sys.stdout.buffer`` (format required); return the path, None for a stream."""
    from geokg.export import export as export_store

    settings = settings or Settings.from_env()
    with _reading(settings.store, read_only=True) as store:
        return export_store(store, path, format)


def push(
    graph_store: str,
    settings: Settings | None = None,
    *,
    graphs: Iterable[str] | None = None,
    credentials: _remote.Credentials | None = None,
    use_gzip: bool = True,
    retries: int = 3,
    backoff: float = 0.5,
    timeout: float = 60.0,
    on_graph: Callable[[str, GeokgError | None], None] | None = None,
) -> _push.PushReport:
    """Send every named graph (or ``graphs``) to a SPARQL 1.1 Graph Store endpoint, one PUT each.

    Returns a PushReport: the graphs sent, and one PushError per graph that
    failed (the others are still sent). See :func:`geokg.push.push`.
    """
    from geokg.push import push as push_graphs

    settings = settings or Settings.from_env()
    with _reading(settings.store, read_only=True) as store:
        return push_graphs(
            store,
            graph_store,
            graphs=graphs,
            credentials=credentials,
            use_gzip=use_gzip,
            retries=retries,
            backoff=backoff,
            timeout=timeout,
            on_graph=on_graph,
        )


def push_plan(
    graph_store: str, settings: Settings | None = None, graphs: Iterable[str] | None = None
) -> list[_push.PlannedGraph]:
    """What :func:`push` would send: graph, URL, triples and bytes of each PUT (nothing is sent)."""
    from geokg.push import plan

    settings = settings or Settings.from_env()
    with _reading(settings.store, read_only=True) as store:
        return plan(store, graph_store, graphs)


def load(
    paths: Iterable[str | Path],
    settings: Settings | None = None,
    *,
    graph: str | None = None,
    format: str | None = None,
    keep_invalid: bool = False,
) -> _load.LoadSummary:
    """Load RDF files into the store (quads keep their graphs; triples go to ``graph``); a graph
    that violates the shapes is dropped unless ``keep_invalid``. See :mod:`geokg.load`.

    The cross-document graphs are then updated for the graphs the load replaced, as a build
    updates them (:mod:`geokg.crossdoc_incremental`), or recomputed whole on the same terms."""
    from geokg._kept_keys import KeptKeys
    from geokg.crossdoc_incremental import Changes
    from geokg.load import load_files
    from geokg.rdf.iris import CROSSDOC_ENTITIES_GRAPH

    settings = settings or Settings.from_env()
    reference, ontology = _built_in_texts()
    kept = KeptKeys(settings.store)  # the saved listing keys valid before the build
    with Store.open(settings.store) as store:
        whole = store.derived_stale or store.derived_outdated
        # geokg's own graphs come from the packaged files, as in a build (a load never writes them).
        if not store.holds(REFERENCE_GRAPH, reference):
            whole = True  # labels and hierarchies may have changed
            store.mark_derived_stale()  # so that an interrupted load still recomputes them
            store.replace_graphs({REFERENCE_GRAPH: reference})
        store.ensure_graph(ONTOLOGY_GRAPH, ontology)
        changes = Changes(store, track=not whole and store.has_graph(CROSSDOC_ENTITIES_GRAPH))
        summary = load_files(
            store, paths, graph=graph, format=format, keep_invalid=keep_invalid, before_writing=changes.before_writing
        )
        summary.crossdoc = _cross_document_pass(store, changes, whole)
        if store.derived_stale:
            store.clear_derived_stale()
        kept.update(store, changes.replaced)
    kept.save()
    return summary


def serve(
    settings: Settings | None = None,
    *,
    bind: str = DEFAULT_BIND,
    allow_update: bool = False,
    in_memory: bool = False,
    allow_service: bool = False,
    hosts: Iterable[str] = (),
) -> _serve.Server:
    """Start Oxigraph's SPARQL server on the store (read-only unless ``allow_update``) behind the
    gate that checks Host, the origin of writes and SERVICE (see :mod:`geokg.serve`).

    With ``in_memory`` the server answers from a copy of the store in memory, loaded
    before this returns (faster queries; writes sent to it are lost when it stops).
    ``hosts`` are names besides the bind address that the server answers to;
    ``allow_service`` lets queries use SERVICE. The caller stops it (``server.terminate()``).
    """
    from geokg import serve as _serve

    settings = settings or Settings.from_env()
    _serve.parse_bind(bind)
    upstream = _serve.private_bind()
    process = _serve.start_server(
        _serve.server_command(settings.store, upstream, allow_update=allow_update, in_memory=in_memory)
    )
    with _serve.stopped_on_failure(process):
        _serve.wait_until_up(process, upstream)
        if in_memory:
            _serve.load_copy(settings.store, upstream)
        gate = _serve.Gate(bind, upstream, hosts=hosts, allow_service=allow_service)
    gate.start()
    mode = "in memory" if in_memory else "read-write" if allow_update else "read-only"
    return _serve.Server(process, gate, _serve.mark_serving(settings.store, bind=bind, mode=mode))


def viz(
    output: str | Path,
    settings: Settings | None = None,
    *,
    view: str = "events",
    query: str | None = None,
    params: Mapping[str, str] | None = None,
    entity: str | None = None,
    hops: int = 1,
    title: str | None = None,
) -> nx.MultiDiGraph:
    """Write the store (or the part a query or an entity selects) as a self-contained HTML page.

    Selection and view work as in :func:`geokg.viz.to_networkx`; returns the graph drawn.
    """
    from geokg.viz import to_networkx, write_html

    settings = settings or Settings.from_env()
    _reading(settings.store).close()  # to_networkx opens the store itself; warn first
    graph = to_networkx(settings.store, view=view, query=query, params=params, entity=entity, hops=hops)
    if query is not None:
        shown = f"query {query}" + "".join(f" {k}={v}" for k, v in (params or {}).items())
    elif entity is not None:
        shown = f"{hops} event hop{'s' if hops > 1 else ''} around {entity}"
    else:
        shown = "every event"
    write_html(graph, output, title=title or f"geokg: {Path(settings.store).name}", subtitle=f"{shown}, {view} view")
    return graph


def evaluate(
    gold: str | Path,
    docs: Iterable[str | Path],
    settings: Settings | None = None,
    *,
    format: str | None = None,
    name: str | None = None,
    split: str | None = None,
) -> _evaluate.Evaluation | CrudeOilNewsEvaluation:
    """Build ``docs`` into the store and score the stored queries against ``gold``.

    Two gold formats: news-dev (one document a line with ``entities`` and ``facts``; entities and
    facts scored from the ``mentions`` and ``events`` queries) and CrudeOilNews (one annotated
    event a line; sentence-level event scores from the ``events`` query, see
    :mod:`geokg.crudeoilnews`). ``format`` is ``news-dev`` or ``crudeoilnews``; by default it is
    detected from the gold file's fields. ``name`` labels CrudeOilNews figures (default: the split's).

    ``split`` (CrudeOilNews only: ``dev``, ``test`` or ``all``) builds and scores only the articles
    of that fixed split of ``docs``, the articles' JSON Lines (:func:`geokg.crudeoilnews.split_docs`).
    The test split is held out: its evaluation keeps no per-sentence errors.

    Returns the scores; the build summary's failures are recorded as errors of the evaluation.
    """
    from geokg import crudeoilnews as _crudeoilnews
    from geokg import evaluate as _evaluate

    settings = settings or Settings.from_env()
    format = format or _evaluate.detect_format(gold)
    if format not in _evaluate.FORMATS:
        raise ConfigError("format", format, f"Expected one of {', '.join(_evaluate.FORMATS)}")
    if split is not None and format != "crudeoilnews":
        raise ConfigError(
            "split", split, "The dev/test split is defined for CrudeOilNews gold only; leave it out for news-dev gold"
        )
    if split is not None and split not in _crudeoilnews.SPLITS:
        raise ConfigError("split", split, _crudeoilnews.SPLITS)
    gold_records = _evaluate.read_gold(gold) if format == "news-dev" else None
    with tempfile.TemporaryDirectory(prefix="geokg-split-") as tmp:
        kept = None
        if split is not None:
            kept, lines = _crudeoilnews.split_articles(docs, split)
            split_docs = Path(tmp) / f"crudeoilnews-{split}.jsonl"
            split_docs.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
            docs = [split_docs]
            name = name or _crudeoilnews.split_name(split)
        gold_events = _crudeoilnews.read_gold(gold, kept) if format == "crudeoilnews" else []
        summary = build(docs, settings)
    with Store.open(settings.store, read_only=True) as store:
        mentions = _queries.run_query(store, "mentions", {}) if gold_records is not None else None
        events = _queries.run_query(store, "events", {})
        restatements = (
            _queries.run_sparql(store, _crudeoilnews.RESTATEMENTS, "crudeoilnews.RESTATEMENTS")
            if gold_records is None
            else None
        )
    if gold_records is not None and mentions is not None:
        evaluation: _evaluate.Evaluation | CrudeOilNewsEvaluation = _evaluate.score(gold_records, mentions, events)
    else:
        assert isinstance(restatements, _queries.QueryResult)
        evaluation = _crudeoilnews.score(
            gold_events,
            _crudeoilnews.predicted_from_result(events, restatements),
            name=name or "crudeoilnews",
            direction_column="direction" in events.columns,
        )
        if split == "test":
            evaluation.errors.clear()  # held out: scored, never error-analysed
    evaluation.errors += [f"build failure: {f.path or f.article_id}: {f.message}" for f in summary.failures]
    evaluation.errors += [f"quarantined: {article}" for article in summary.quarantined]
    return evaluation


def _reading(path: Path, *, read_only: bool = True) -> Store:
    """Open the store for a reading command, warning (GeokgWarning) about what makes its answers
    incomplete: derived graphs left stale by an interrupted build, graphs of an older layout."""
    store = Store.open(path, read_only=read_only)
    for message in store.warnings():
        warnings.warn(message, GeokgWarning, stacklevel=3)
    return store


def _readable(
    items: Iterator[Article | IngestError], summary: BuildSummary, on_article: Callable[[Article], None] | None
) -> Iterator[Article]:
    from geokg.pipeline import Failure

    for item in items:
        if isinstance(item, IngestError):
            summary.failures.append(Failure(item.path, item.article_id, item.code, item.message, item.line))
            continue
        if on_article is not None:
            on_article(item)
        yield item


def _ontology_graph() -> Graph:
    from rdflib import Graph

    graph = Graph()
    for path in ontology_files():
        graph.parse(path)
    return graph


@lru_cache(maxsize=1)
def _built_in_texts() -> tuple[str, str]:
    """The reference data and the ontology as N-Triples text, made once per process: a build
    compares the store's copies with them and writes only a graph that differs, so a build
    with nothing new writes nothing (and leaves saved listings valid)."""
    from geokg.rdf import reference_graph
    from geokg.rdf.terms import to_ntriples

    return to_ntriples(reference_graph()), to_ntriples(_ontology_graph())


def _article_dataset(store: Store) -> Dataset:
    """The article graphs of the store as an rdflib Dataset, for pyshacl."""
    from rdflib import Dataset

    dataset = Dataset()
    for iri in store.article_graphs():
        dataset.graph(iri).__iadd__(store.rdflib_graph(iri))
    return dataset
