"""One article's steps: parse → extract → map → validate, behind an extractor chosen by name.

An :class:`Extractor` says which spaCy pipeline parses an article and turns the parsed
article into :class:`~geokg.model.ArticleFacts`; everything after the facts (the RDF
mapping, the shapes, the store) is the same whichever extractor ran. :data:`EXTRACTORS`
holds them by name; ``geokg build --extractor NAME`` or ``GEOKG_EXTRACTOR`` picks one.

The unit of work is a batch (:func:`process_batch`): parsed together with ``nlp.pipe``,
then extracted and mapped one by one, validated together, and given back as one
:class:`Outcome` per article: small and picklable (a conforming graph travels as sorted
N-Triples text). How batches run (in this process, worker processes, a Dask cluster) is
:mod:`geokg.parallel` and :mod:`geokg.cluster`; how a long run keeps its memory flat is
:mod:`geokg._spacy_memory` and :mod:`geokg._gc`.
"""

from __future__ import annotations

import logging
import traceback
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from rdflib import Graph

from geokg import _gc, _spacy_memory
from geokg.errors import ConfigError, GeokgError
from geokg.model import Article, ArticleFacts, content_hash
from geokg.rdf import to_graph
from geokg.rdf.terms import to_ntriples
from geokg.reference import ReferenceIndex, load_reference
from geokg.settings import DEFAULT_EXTRACTOR
from geokg.validate import ValidationReport, validate, validate_graphs

if TYPE_CHECKING:  # spaCy loads when a batch is parsed, not when this module is imported
    from spacy.language import Language
    from spacy.tokens import Doc

__all__ = [
    "EXTRACTORS",
    "Extractor",
    "Failure",
    "Outcome",
    "get_extractor",
    "process",
    "process_batch",
    "process_parsed",
]

log = logging.getLogger("geokg.pipeline")


class Extractor(Protocol):
    """What turns one parsed article into facts.

    Attributes:
        name: the key in :data:`EXTRACTORS`, what ``--extractor`` takes.
        description: one line for ``--help`` and error messages.
    """

    # Read-only, so that a frozen dataclass satisfies the protocol.
    @property
    def name(self) -> str: ...

    @property
    def description(self) -> str: ...

    def nlp(self, model: str) -> Language:
        """The spaCy pipeline, built on the installed pipeline ``model``, whose Docs :meth:`extract` reads."""
        ...

    def extract(self, article: Article, doc: Doc, reference: ReferenceIndex) -> ArticleFacts:
        """The facts of ``article``, read from its parsed ``doc``."""
        ...


@dataclass(frozen=True)
class RuleExtractor:
    """geokg's dependency rules (:func:`geokg.extract.extract`), reading the trigger spans of the
    trained event model when the pipeline holds it.

    ``event_model`` is what :func:`geokg.nlp.get_pipeline` takes: ``"none"`` for the rules
    alone; None for ``GEOKG_EVENT_MODEL`` (the shipped model unless it says otherwise).
    """

    name: str
    description: str
    event_model: str | None

    def nlp(self, model: str) -> Language:
        from geokg.nlp import get_pipeline

        return get_pipeline(model, self.event_model)

    def extract(self, article: Article, doc: Doc, reference: ReferenceIndex) -> ArticleFacts:
        from geokg.extract import extract

        return extract(article, doc, reference)


#: The extractors by name. Another one (a bigger model, an LLM) is an object with the
#: :class:`Extractor` attributes, added here; worker processes look it up by name.
EXTRACTORS: dict[str, Extractor] = {
    e.name: e
    for e in (
        RuleExtractor("rules", "the dependency rules alone", event_model="none"),
        RuleExtractor(
            "trained",
            "the rules with the trained event-trigger model of GEOKG_EVENT_MODEL "
            "(the shipped one unless set; none leaves it out)",
            event_model=None,
        ),
    )
}


def get_extractor(name: str) -> Extractor:
    """The extractor called ``name``.

    Raises:
        ConfigError: no extractor has that name; the message lists those that do.

    Example:
        >>> get_extractor("rules").description
        'the dependency rules alone'
        >>> get_extractor("llm")
        Traceback (most recent call last):
        ...
        geokg.errors.ConfigError: [GK901] extractor='llm' is not valid. It must be in: rules, trained
    """
    try:
        return EXTRACTORS[name]
    except KeyError:
        raise ConfigError("extractor", name, EXTRACTORS) from None


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
        return {
            "path": self.path,
            "line": self.line,
            "article_id": self.article_id,
            "code": self.code,
            "message": self.message,
        }


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


def process_batch(
    articles: list[Article], model: str, batch_size: int = 32, extractor: str = DEFAULT_EXTRACTOR
) -> list[Outcome]:
    """Parse a batch with the extractor's pipeline on ``model`` and process each article (a worker's task).

    Raises:
        ConfigError: the extractor, the spaCy pipeline or the event model cannot be found.
    """
    from geokg.nlp import parse

    chosen = get_extractor(extractor)
    reference = load_reference()
    nlp = chosen.nlp(model)  # cached: loaded once per process
    with _spacy_memory.batch_zone(nlp):  # nothing that holds a Doc leaves the zone: outcomes carry text
        outcomes = process_parsed(parse(articles, nlp, batch_size=batch_size), reference, chosen)
    _spacy_memory.bound_lemma_cache(nlp)
    _gc.freeze_setup()
    return outcomes


def process(
    article: Article, doc: Doc, reference: ReferenceIndex, extractor: Extractor = EXTRACTORS[DEFAULT_EXTRACTOR]
) -> Outcome:
    """Extract, map and validate one parsed article; errors become a failed Outcome."""
    return process_parsed([(article, doc)], reference, extractor)[0]


def process_parsed(
    parsed: Iterable[tuple[Article, Doc]],
    reference: ReferenceIndex,
    extractor: Extractor = EXTRACTORS[DEFAULT_EXTRACTOR],
) -> list[Outcome]:
    """Extract and map each parsed article, validate their graphs together
    (:func:`~geokg.validate.validate_graphs`: each graph's own verdict, fewer pySHACL runs),
    and give one Outcome per article, in order; errors become failed Outcomes."""
    prepared: list[Outcome | tuple[Article, ArticleFacts, Graph]] = []
    for article, doc in parsed:
        try:
            facts = extractor.extract(article, doc, reference)
            prepared.append((article, facts, to_graph(facts, content_hash=content_hash(article))))
        except Exception as error:
            prepared.append(_failed(article, error))
    mapped = [item for item in prepared if not isinstance(item, Outcome)]
    try:
        reports: list[ValidationReport] | None = validate_graphs(
            [graph for _, _, graph in mapped], articles=[article.id for article, _, _ in mapped]
        )
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
        return Outcome(article.id, failure=Failure(article.path, article.id, error.code, error.message, article.line))
    # A bug: record it with its traceback, never drop the article.
    log.debug(
        "extraction of %s failed:\n%s",
        article.id,
        "".join(traceback.format_exception(type(error), error, error.__traceback__)),
    )
    return Outcome(
        article.id,
        failure=Failure(
            article.path,
            article.id,
            "GK200",
            f"unexpected {type(error).__name__}: {error} (please report this)",
            article.line,
        ),
    )
