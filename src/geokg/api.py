"""The verbs: build, query, sparql, validate, export, push. The CLI calls these."""

from __future__ import annotations

import logging
import warnings
import traceback
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Dataset, Graph
from rdflib.util import guess_format

from geokg import crossdoc as _crossdoc
from geokg import evaluate as _evaluate
from geokg import export as _export
from geokg import push as _push
from geokg import queries as _queries
from geokg import validate as _validate
from geokg.articles import Article, iter_articles
from geokg.errors import GeokgError, IngestError
from geokg.extract import extract
from geokg.extract.model import ArticleFacts
from geokg.rdf import to_graph
from geokg.rdf.iris import graph_iri
from geokg.reference import load_reference
from geokg.resources import ontology_files
from geokg.settings import Settings
from geokg.store import Store

log = logging.getLogger("geokg.api")


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be turned into a loaded article, and why."""

    path: str | None
    article_id: str | None
    code: str
    message: str


@dataclass
class BuildSummary:
    """What a build did. Failures and violations are data: the batch goes on."""

    articles: int = 0
    triples: int = 0
    events: Counter[str] = field(default_factory=Counter)
    violations: list[_validate.Violation] = field(default_factory=list)
    quarantined: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    crossdoc: _crossdoc.CrossDocSummary | None = None

    @property
    def ok(self) -> bool:
        return not self.failures and not self.quarantined


def build(paths: Iterable[str | Path], settings: Settings | None = None, *,
          on_article: Callable[[Article], None] | None = None) -> BuildSummary:
    """Ingest, extract, validate and load articles into the store.

    Each article replaces its own named graph, so building the same input twice
    leaves the store unchanged. An article whose graph violates the shapes is
    written to the quarantine folder (``Settings.quarantine``) instead.

    Args:
        paths: files or folders (walked) to read.
        settings: store, spaCy pipeline, batch size, processes.
        on_article: called once per article read (for progress bars).
    """
    from geokg.nlp import get_pipeline, parse  # spaCy loads only for verbs that parse text

    settings = settings or Settings.from_env()
    summary = BuildSummary()
    reference = load_reference()
    get_pipeline(settings.model)  # fail fast on a missing pipeline, before reading anything
    with Store.open(settings.store) as store:
        store.load_reference(reference.graph())
        store.load_ontology(_ontology_graph())
        articles = _readable(iter_articles(paths), summary, on_article)
        for article, doc in parse(articles, settings.model, batch_size=settings.batch_size,
                                  processes=settings.processes):
            try:
                facts = extract(article, doc, reference)
                graph = to_graph(facts)
                report = _validate.validate(graph, article=article.id)
            except GeokgError as error:
                summary.failures.append(Failure(article.path, article.id, error.code, error.message))
                continue
            except Exception as error:  # a bug: record it with its traceback, never drop the article
                log.debug("extraction of %s failed:\n%s", article.id, traceback.format_exc())
                summary.failures.append(Failure(article.path, article.id, "GK200",
                                                f"unexpected {type(error).__name__}: {error} (please report this)"))
                continue
            if not report.conforms:
                summary.violations.extend(report.violations)
                _validate.write_quarantine(settings.quarantine, article.id, graph, report)
                summary.quarantined.append(article.id)
                store.remove_graph(graph_iri(article.id))
                continue
            store.replace_graph(graph_iri(article.id), graph)
            summary.articles += 1
            summary.events.update(_event_types(facts))
        # Cross-document graphs follow whatever is in the store now, whichever articles this build touched.
        summary.crossdoc = _crossdoc.refresh(store)
        summary.triples = len(store)
    return summary


def query(name: str, params: Mapping[str, str] | None = None,
          settings: Settings | None = None) -> _queries.QueryResult:
    """Run a stored query (``queries/NAME.rq``) against the store."""
    settings = settings or Settings.from_env()
    with Store.open(settings.store, read_only=True) as store:
        return _queries.run_query(store, name, params or {})


def entities(settings: Settings | None = None, *, unlinked: bool = False,
             type: str | None = None) -> _queries.QueryResult:
    """Entities across articles, merged over aliases (the ``entities`` stored query).

    Args:
        unlinked: keep only entities the reference data lacks (``gk:linked false``),
            the ones to curate.
        type: keep one type (Person, Country, Organization, Company, Media, Commodity, Place).
    """
    result = query("entities", {"type": type}, settings)
    if not unlinked:
        return result
    linked = result.columns.index("linked")
    return _queries.QueryResult(result.columns, [row for row in result.rows if row[linked] is False], result.title)


def sparql(text: str, settings: Settings | None = None, *, source: str = "<sparql>") -> _queries.QueryResult:
    """Run an ad-hoc read-only SPARQL query against the store."""
    settings = settings or Settings.from_env()
    with Store.open(settings.store, read_only=True) as store:
        return _queries.run_sparql(store, text, source=source)


def validate(target: str | Path | None = None, settings: Settings | None = None) -> _validate.ValidationReport:
    """Validate every article graph of the store, or an RDF file, against the shapes."""
    if target is not None:
        dataset = Dataset()
        path = Path(target)
        if not path.is_file():
            raise IngestError(path, "no such file to validate")
        with warnings.catch_warnings():
            # rdflib 7.6 warns about its own ConjunctiveGraph internals when parsing into a Dataset.
            warnings.simplefilter("ignore", DeprecationWarning)
            try:
                dataset.parse(data=path.read_bytes(), format=guess_format(path.name) or "turtle")
            except Exception as error:  # rdflib raises many kinds of syntax errors
                raise IngestError(path, f"cannot parse as RDF: {error}") from error
        return _validate.validate(dataset)
    settings = settings or Settings.from_env()
    with Store.open(settings.store, read_only=True) as store:
        return _validate.validate(_article_dataset(store))


def export(path: str | Path, format: str | None = None, settings: Settings | None = None) -> Path:
    """Write the store to ``path`` (format from the extension unless given)."""
    settings = settings or Settings.from_env()
    with Store.open(settings.store, read_only=True) as store:
        return _export.export(store, path, format)


def push(endpoint: str, settings: Settings | None = None) -> int:
    """Send every named graph to a SPARQL 1.1 Graph Store endpoint; returns the number of graphs."""
    settings = settings or Settings.from_env()
    with Store.open(settings.store, read_only=True) as store:
        return _push.push(store, endpoint)


def evaluate(gold: str | Path, docs: Iterable[str | Path], settings: Settings | None = None) -> _evaluate.Evaluation:
    """Build ``docs`` into the store and score the ``mentions`` and ``events`` queries against ``gold``.

    Returns the scores; the build summary's failures are recorded as errors of the evaluation.
    """
    settings = settings or Settings.from_env()
    gold_records = _evaluate.read_gold(gold)
    summary = build(docs, settings)
    with Store.open(settings.store, read_only=True) as store:
        mentions = _queries.run_query(store, "mentions", {})
        events = _queries.run_query(store, "events", {})
    evaluation = _evaluate.score(gold_records, mentions, events)
    evaluation.errors += [f"build failure: {f.path or f.article_id}: {f.message}" for f in summary.failures]
    evaluation.errors += [f"quarantined: {article}" for article in summary.quarantined]
    return evaluation


def _readable(items: Iterator[Article | IngestError], summary: BuildSummary,
              on_article: Callable[[Article], None] | None) -> Iterator[Article]:
    for item in items:
        if isinstance(item, IngestError):
            summary.failures.append(Failure(item.path, None, item.code, item.message))
            continue
        if on_article is not None:
            on_article(item)
        yield item


def _event_types(facts: ArticleFacts) -> Counter[str]:
    return Counter(event.type.value for event in facts.events)


def _ontology_graph() -> Graph:
    graph = Graph()
    for path in ontology_files():
        graph.parse(path)
    return graph


def _article_dataset(store: Store) -> Dataset:
    """The article graphs of the store as an rdflib Dataset, for pyshacl."""
    dataset = Dataset()
    for iri in store.article_graphs():
        dataset.graph(iri).__iadd__(store.rdflib_graph(iri))
    return dataset
