"""Extraction: an article and its spaCy Doc in, ``ArticleFacts`` out.

``extract`` is the only public entry. The rules live in the modules beside it:
``gazetteer`` (reference names), ``linking`` (canonical entities), ``events``
(typed n-ary events, one module per rule family), ``lexicon`` (the rules' words, as data),
``attribution``, ``dates``, ``moves`` and ``quantities``.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from geokg.extract.text import DOC_TEXT, span_text
from geokg.model import Article, ArticleFacts, EntityKind, EntityRef, Event

if TYPE_CHECKING:  # spaCy loads only when extraction runs, not when the facts model is imported
    from spacy.tokens import Doc, Span

    from geokg.extract.linking import LinkedDoc
    from geokg.reference import ReferenceIndex

__all__ = ["extract"]


def extract(article: Article, doc: Doc, reference: ReferenceIndex | None = None) -> ArticleFacts:
    """Extract entities and events from one parsed article."""
    from geokg.extract.events import SentenceContext, sentence_events
    from geokg.extract.events.merge import merge_headline
    from geokg.extract.linking import link, link_name
    from geokg.reference import load_reference

    reference = reference or load_reference()
    _common_nouns_opening_sentences(doc)
    doc.user_data[DOC_TEXT] = doc.text  # joined once; sentence texts are slices of it (span_text)
    linked = link(doc, reference, article.date)
    publisher = link_name(article.source, reference, EntityKind.MEDIA) if article.source else None
    # Facts with no source of their own rest on the article's declared source, else its publisher.
    default_source = _article_source(doc, linked) or (publisher.ref if publisher else None)
    ctx = SentenceContext(
        linked=linked,
        anchor=article.date,
        default_source=default_source,
        person_countries=_person_countries(linked, reference),
    )
    events: list[Event] = []
    headline: list[Event] = []
    headline_end = _headline_end(doc.user_data[DOC_TEXT])
    for sent in doc.sents:
        if sent.start_char < headline_end:
            headline += sentence_events(sent, ctx)
        elif not _is_source_line(sent):
            events.extend(sentence_events(sent, ctx))
        ctx.remember(sent)
    events = merge_headline(headline, events)
    return ArticleFacts(
        article=article,
        publisher=publisher,
        entities=tuple(linked.entities.values()),
        mentions=tuple(linked.mentions),
        events=tuple(events),
        about=salient(doc, linked, events, headline_end, ctx.person_countries or {}),
    )


# Market nouns the rules read besides the trigger words.
_MARKET_NOUNS = {"price", "output", "production", "demand", "stock", "inventory", "supply", "shipment"}


@cache
def _known_nouns() -> frozenset[str]:
    from geokg.extract.lexicon import TRIGGERS, words

    return frozenset(TRIGGERS.keys() | words("trade_nouns") | _MARKET_NOUNS)


def _common_nouns_opening_sentences(doc: Doc) -> None:
    """ "Sanctions were imposed", "Shipments rose": the small tagger takes a capitalised plural
    opening a sentence for a name. A word the rules know, and no entity, is read as the noun."""
    known = _known_nouns()
    for token in doc:
        if not (token.is_sent_start and token.pos_ == "PROPN" and not token.ent_type_):
            continue
        word = token.lower_
        singular = word[:-3] + "y" if word.endswith("ies") else word[:-1] if word.endswith("s") else word
        if singular in known:
            token.pos_, token.tag_, token.lemma_ = "NOUN", "NNS" if singular != word else "NN", singular


LEAD_SENTENCES = 2  # the dateline and the first two sentences of the body tell what a story is about
EARLY = 0.6  # share of the body before which a first mention is not a passing one (set on Reuters train)


def salient(
    doc: Doc, linked: LinkedDoc, events: list[Event], headline_end: int, countries: dict[EntityRef, EntityRef]
) -> tuple[EntityRef, ...]:
    """The entities an article is about, in order of first mention: named in the headline, the
    dateline or the first two sentences, first named in the first three fifths of the body, named
    twice or more, or taking a role in a fact. What is left was named once, late and in passing
    ("talks in London", a list of other buyers at the end). A country counts its places: "Moscow"
    early, or "Moscow" and "Russia" once each, make Russia salient."""
    body = [s for s in doc.sents if s.end_char > headline_end and span_text(s).strip()]
    lead_end = body[min(LEAD_SENTENCES, len(body)) - 1].end_char if body else headline_end
    # len(doc.text), without joining every token again (spaCy builds doc.text on each use)
    text_end = doc[-1].idx + len(doc[-1].text_with_ws) if len(doc) else 0
    early_end = max(lead_end, headline_end + EARLY * (text_end - headline_end))
    group = {
        ref: countries.get(ref, ref) if ref.kind in (EntityKind.PLACE, EntityKind.FACILITY) else ref
        for ref in linked.entities
    }
    roles = {
        ref
        for event in events
        for ref in (
            event.agent,
            event.on_behalf_of,
            event.place,
            *event.themes,
            *event.recipients,
            *event.counterparties,
        )
        if ref is not None
    }
    count: dict[EntityRef, int] = {}
    first: dict[EntityRef, int] = {}
    for mention in linked.mentions:
        ref, start = mention.entity, mention.evidence.start
        first[ref] = min(first.get(ref, start), start)
        country = group.get(ref, ref)
        count[country] = count.get(country, 0) + 1
        if country != ref:  # a place speaks for its country too
            first[country] = min(first.get(country, start), start)
            if ref in roles:
                roles.add(country)
    about = [
        ref
        for ref in sorted(linked.entities, key=lambda r: first.get(r, text_end))
        if first.get(ref, text_end) < early_end or count.get(group.get(ref, ref), 0) >= 2 or ref in roles
    ]
    return tuple(about)


def _headline_end(text: str) -> int:
    """End of a headline: a first line, followed by more text, that does not end like a sentence."""
    first = text.lstrip()
    offset = len(text) - len(first)
    end = first.find("\n")
    line = first[:end].strip() if end > 0 else ""
    if not line or line[-1] in '.!?"”’:' or not first[end:].strip():
        return 0
    return offset + end


def _is_source_line(sent: Span) -> bool:
    return span_text(sent).lstrip().lower().startswith(("source:", "sources:"))


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
    """Leaders and national bodies act for their state: Putin's offers are made on behalf of
    Russia, the NDRC's bans are China's. Places lie in theirs: a cargo that reaches Karachi is
    imported by Pakistan."""
    countries = {}
    for ref, entity in linked.entities.items():
        if entity.located_in is not None:
            countries[ref] = entity.located_in
            continue
        known = reference.get(ref)
        if (
            ref.kind in (EntityKind.PERSON, EntityKind.PLACE, EntityKind.ORGANIZATION)
            and known is not None
            and known.country
        ):
            countries[ref] = EntityRef(EntityKind.COUNTRY, known.country)
    return countries
