"""Extraction: an article and its spaCy Doc in, ``ArticleFacts`` out.

``extract`` is the only public entry. The rules live in the modules beside it:
``gazetteer`` (reference names), ``linking`` (canonical entities), ``events``
(typed n-ary events), ``attribution``, ``dates`` and ``quantities``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from geokg.articles import Article
from geokg.extract.model import ArticleFacts, EntityKind, EntityRef, Event

if TYPE_CHECKING:  # spaCy loads only when extraction runs, not when the facts model is imported
    from spacy.tokens import Doc, Span

    from geokg.extract.events import SentenceContext
    from geokg.extract.linking import LinkedDoc
    from geokg.reference import ReferenceIndex

__all__ = ["extract"]

ACTOR_KINDS = {EntityKind.COUNTRY, EntityKind.ORGANIZATION, EntityKind.COMPANY}


def extract(article: Article, doc: Doc, reference: ReferenceIndex | None = None) -> ArticleFacts:
    """Extract entities and events from one parsed article."""
    from geokg.extract.events import SentenceContext, sentence_events
    from geokg.extract.linking import link, link_name
    from geokg.reference import load_reference

    reference = reference or load_reference()
    linked = link(doc, reference, article.date)
    publisher = link_name(article.source, reference, EntityKind.MEDIA) if article.source else None
    # Facts with no source of their own rest on the article's declared source, else its publisher.
    default_source = _article_source(doc, linked) or (publisher.ref if publisher else None)
    ctx = SentenceContext(linked=linked, anchor=article.date, default_source=default_source,
                          person_countries=_person_countries(linked, reference))
    events: list[Event] = []
    for sent in doc.sents:
        if not _is_source_line(sent):
            events.extend(sentence_events(sent, ctx))
        _remember(sent, ctx)
    return ArticleFacts(article=article, publisher=publisher, entities=tuple(linked.entities.values()),
                        mentions=tuple(linked.mentions), events=tuple(events))


def _is_source_line(sent: Span) -> bool:
    return sent.text.lstrip().lower().startswith(("source:", "sources:"))


def _article_source(doc: Doc, linked: LinkedDoc) -> EntityRef | None:
    """A "Source: X; …, as quoted by Y" line names who the whole article relies on."""
    for sent in doc.sents:
        if not _is_source_line(sent):
            continue
        media = linked.in_span(sent.start, sent.end, {EntityKind.MEDIA})
        quoted = next((t for t in sent if t.lower_ == "quoted"), None)
        if quoted is not None:
            after = linked.in_span(quoted.i, sent.end, {EntityKind.MEDIA, EntityKind.ORGANIZATION})
            if after:
                return after[0]
        if media:
            return media[-1]
    return None


def _person_countries(linked: LinkedDoc, reference: ReferenceIndex) -> dict[EntityRef, EntityRef]:
    """Leaders act for their state: Putin's offers are made on behalf of Russia."""
    countries = {}
    for ref in linked.entities:
        known = reference.get(ref)
        if ref.kind is EntityKind.PERSON and known is not None and known.country:
            countries[ref] = EntityRef(EntityKind.COUNTRY, known.country)
    return countries


def _remember(sent: Span, ctx: SentenceContext) -> None:
    """Keep the last person and actor named, for "he said" and "it exported"."""
    for ref in ctx.linked.in_span(sent.start, sent.end):
        if ref.kind is EntityKind.PERSON:
            ctx.last_person = ref
        elif ref.kind in ACTOR_KINDS:
            ctx.last_actor = ref
