"""Turn articles into loadable graphs in batches: in this process or in worker processes.

The unit of work is a batch of articles. :func:`process_batch` parses it with
``nlp.pipe``, then extracts, maps to RDF and validates each article, and gives back
one :class:`Outcome` per article: small and picklable (a conforming graph travels
as sorted N-Triples text), so the same function runs here, in worker processes of
our own (``--workers N``) and on a Dask cluster (:mod:`geokg.cluster`).

Own worker processes rather than ``nlp.pipe(n_process=N)``: spaCy's workers only
parse and send whole Docs back, leaving extraction, RDF and SHACL (a third of the
time) to the parent alone; ours do all of it and send back text.

Nothing here keeps articles after yielding their outcome, at most ``2 × workers``
batches are in flight, and once spaCy's vocabulary has grown by :data:`VOCAB_GROWTH_MAX`
strings each batch runs in a spaCy memory zone (the vocabulary entries it adds are freed after
it), so neither articles nor the vocabulary pile up.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import multiprocessing
import traceback
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

from rdflib import Graph, Literal

from geokg.articles import Article
from geokg.errors import GeokgError
from geokg.extract import extract
from geokg.model import ArticleFacts
from geokg.namespaces import GK
from geokg.rdf import to_graph
from geokg.rdf.iris import article_iri
from geokg.rdf.terms import to_ntriples
from geokg.reference import ReferenceIndex, load_reference
from geokg.validate import ValidationReport, validate, validate_graphs

if TYPE_CHECKING:  # spaCy loads in process_batch, not when this module is imported
    from spacy.language import Language

__all__ = ["Failure", "Outcome", "batched", "content_hash", "iter_outcomes", "process", "process_batch",
           "process_parsed"]

log = logging.getLogger("geokg.parallel")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Failure:
    """An input that could not be turned into a loaded article, and why."""

    path: str | None
    article_id: str | None
    code: str
    message: str
    line: int | None = None  # the JSON Lines line, when the input was one

    def as_record(self) -> dict[str, object]:
        """The failure as one JSON object of ``geokg build --report``."""
        return {"path": self.path, "line": self.line, "article_id": self.article_id,
                "code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one article: a graph to load, a quarantined graph, or a failure.

    Attributes:
        article_id: the article's id.
        ntriples: the conforming graph as N-Triples text (None unless it conforms).
        events: event type -> count, of a conforming graph.
        failure: why the article could not be processed.
        quarantine: the graph and its report, when it violates the shapes.
    """

    article_id: str
    ntriples: str | None = None
    events: Counter[str] = field(default_factory=Counter)
    triples: int = 0  # of the conforming graph (kept when ntriples is dropped, as the Dask path does)
    failure: Failure | None = None
    quarantine: tuple[Graph, ValidationReport] | None = None
    path: str | None = None  # where the article was read, for the failure report
    line: int | None = None


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


def process(article: Article, doc: object, reference: ReferenceIndex) -> Outcome:
    """Extract, map and validate one parsed article; errors become a failed Outcome."""
    return process_parsed([(article, doc)], reference)[0]


def process_parsed(parsed: Iterable[tuple[Article, object]], reference: ReferenceIndex) -> list[Outcome]:
    """Extract and map each parsed article, validate their graphs together
    (:func:`~geokg.validate.validate_graphs`: each graph's own verdict, fewer pySHACL runs),
    and give one Outcome per article, in order; errors become failed Outcomes."""
    prepared: list[Outcome | tuple[Article, ArticleFacts, Graph]] = []
    for article, doc in parsed:
        try:
            facts = extract(article, doc, reference)  # type: ignore[arg-type]
            graph = to_graph(facts)
            graph.add((article_iri(article.id), GK.contentHash, Literal(content_hash(article))))
            prepared.append((article, facts, graph))
        except Exception as error:
            prepared.append(_failed(article, error))
    mapped = [item for item in prepared if not isinstance(item, Outcome)]
    try:
        reports: list[ValidationReport] | None = validate_graphs(
            [graph for _, _, graph in mapped], articles=[article.id for article, _, _ in mapped])
    except Exception:  # noqa: BLE001  validated one by one below, so the error lands on its article
        reports = None
    outcomes = []
    in_order = iter(reports or ())
    for item in prepared:
        if isinstance(item, Outcome):
            outcomes.append(item)
            continue
        article, facts, graph = item
        try:
            report = next(in_order) if reports is not None else validate(graph, article=article.id)
        except Exception as error:
            outcomes.append(_failed(article, error))
            continue
        if not report.conforms:
            outcomes.append(Outcome(article.id, quarantine=(graph, report), path=article.path, line=article.line))
            continue
        try:
            ntriples = to_ntriples(graph)
        except ValueError as error:  # a term the store cannot hold fails its article, not the build
            outcomes.append(_failed(article, error))
            continue
        events = Counter(event.type.value for event in facts.events)
        triples = ntriples.count("\n") + 1 if ntriples else 0
        outcomes.append(Outcome(article.id, ntriples=ntriples, events=events, triples=triples))
    return outcomes


def _failed(article: Article, error: Exception) -> Outcome:
    if isinstance(error, GeokgError):
        return Outcome(article.id, failure=Failure(article.path, article.id, error.code, error.message,
                                                   article.line))
    # A bug: record it with its traceback, never drop the article.
    log.debug("extraction of %s failed:\n%s", article.id,
              "".join(traceback.format_exception(type(error), error, error.__traceback__)))
    return Outcome(article.id, failure=Failure(
        article.path, article.id, "GK200", f"unexpected {type(error).__name__}: {error} (please report this)",
        article.line))


def process_batch(articles: list[Article], model: str, batch_size: int = 32) -> list[Outcome]:
    """Parse a batch with ``nlp.pipe`` and process each article (a worker's task)."""
    from geokg.nlp import get_pipeline, parse  # spaCy loads in the worker, once (the pipeline is cached)

    reference = load_reference()
    nlp = get_pipeline(model)
    with _memory_zone(nlp):
        outcomes = process_parsed(parse(articles, model, batch_size=batch_size), reference)
    _bound_lemma_cache(nlp)
    _freeze_setup()
    return outcomes


#: Strings spaCy's vocabulary may gain for good before every batch runs in a memory zone:
#: enough for the common words of a corpus, small against the memory of a build.
VOCAB_GROWTH_MAX = 25_000
#: Entries of spaCy's lemmatizer cache kept between batches (a few hundred bytes each).
LEMMA_CACHE_MAX = 100_000
#: Allocations between two collections of the garbage collector's youngest generation once
#: the setup is frozen (see _freeze_setup).
GC_YOUNG_THRESHOLD = 20_000


def _memory_zone(nlp: Language) -> AbstractContextManager[object]:
    """spaCy's memory zone for a batch once the vocabulary has grown by VOCAB_GROWTH_MAX
    strings since the pipeline's first batch; no zone before that.

    In a zone the strings and lexemes a batch adds to the vocabulary are freed when it ends:
    without zones the vocabulary grows with every new word of the corpus. But spaCy's
    tokenizer caches nothing inside a zone, so every word is split afresh in every batch, a
    small part of the parsing time. Outside one the tokenizer keeps what it learnt, the first
    words met being the corpus's common ones; the growth stops at the bound. Nothing leaves a zone holding a Doc, Span or Token
    (outcomes carry text), as the zone requires.
    """
    if len(nlp.vocab.strings) - _first_vocab_size(nlp) < VOCAB_GROWTH_MAX:
        return nullcontext()
    return nlp.memory_zone()


@lru_cache(maxsize=4)
def _first_vocab_size(nlp: Language) -> int:
    return len(nlp.vocab.strings)


def _bound_lemma_cache(nlp: object) -> None:
    """spaCy's rule lemmatizer memoises the lemmas of every (word, tag, morphology) it meets,
    outside any memory zone, so over a large corpus the cache grows with the vocabulary; clear
    it when it passes LEMMA_CACHE_MAX entries (a memo of a pure function: the same lemmas)."""
    for _, pipe in nlp.pipeline:  # type: ignore[attr-defined]
        cache = getattr(pipe, "cache", None)
        if isinstance(cache, dict) and len(cache) > LEMMA_CACHE_MAX:
            cache.clear()


@lru_cache(maxsize=1)
def _freeze_setup() -> None:
    """Once per process, after the first batch: move what is alive now (the spaCy pipeline,
    reference index, harvested shapes) out of the garbage collector's sight.

    The build leaves cyclic garbage behind (rdflib's context-aware graphs that pySHACL
    needs refer to themselves), so full collections run every few hundred articles, and
    each one would scan every object of the pipeline.
    Frozen objects are still freed when no longer referenced; only a reference cycle
    among them would outlive its use, and these live as long as the process.

    Then the youngest generation is collected every GC_YOUNG_THRESHOLD allocations instead of
    Python's 700: a batch allocates millions of short-lived objects (spaCy tokens and spans,
    rdflib terms, pySHACL's constraints), and at 700 the collector runs hundreds of times per
    thousand articles, some of them full collections of what the build keeps (caches, the
    shapes graph's memo). Garbage cycles wait a little longer (a few megabytes at most). The
    process keeps the setting.
    """
    gc.collect()
    gc.freeze()
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, GC_YOUNG_THRESHOLD), middle, old)


def iter_outcomes(articles: Iterable[Article], model: str, *, batch_size: int = 32,
                  workers: int = 1) -> Iterator[Outcome]:
    """Process articles in input order, in this process or in ``workers`` processes."""
    if workers == 1:
        for batch in batched(articles, batch_size):
            yield from process_batch(batch, model, batch_size)
        return
    # spawn, not fork: the parent holds threads (progress bar, Oxigraph) that fork would copy mid-state.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        for batch in batched(articles, batch_size):
            pending.append(pool.submit(process_batch, batch, model, batch_size))
            if len(pending) >= 2 * workers:  # bounded: reading never runs far ahead
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last may be shorter); ``itertools.batched`` is 3.12+.

    Example:
        >>> list(batched(range(5), 2))
        [[0, 1], [2, 3], [4]]
    """
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
