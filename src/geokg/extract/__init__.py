"""Extraction: an article and its spaCy Doc in, ``ArticleFacts`` out.

``extract`` is the only public entry. The rules live in the modules beside it:
``gazetteer`` (reference names), ``linking`` (canonical entities), ``events``
(typed n-ary events), ``attribution``, ``dates`` and ``quantities``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from geokg.extract.text import DOC_TEXT, span_text
from geokg.model import Article, ArticleFacts, EntityKind, EntityRef, Event, EventType

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
    doc.user_data[DOC_TEXT] = doc.text  # joined once; sentence texts are slices of it (span_text)
    linked = link(doc, reference, article.date)
    publisher = link_name(article.source, reference, EntityKind.MEDIA) if article.source else None
    # Facts with no source of their own rest on the article's declared source, else its publisher.
    default_source = _article_source(doc, linked) or (publisher.ref if publisher else None)
    ctx = SentenceContext(linked=linked, anchor=article.date, default_source=default_source,
                          person_countries=_person_countries(linked, reference))
    events: list[Event] = []
    headline: list[Event] = []
    headline_end = _headline_end(doc.user_data[DOC_TEXT])
    for sent in doc.sents:
        if sent.start_char < headline_end:
            headline += sentence_events(sent, ctx)
        elif not _is_source_line(sent):
            events.extend(sentence_events(sent, ctx))
        _remember(sent, ctx)
    # A headline announces what the body tells in full: its facts count only where the body
    # has none of that type.
    told = {event.type for event in events}
    events = _merge_restatements([e for e in headline if e.type not in told] + events)
    return ArticleFacts(article=article, publisher=publisher, entities=tuple(linked.entities.values()),
                        mentions=tuple(linked.mentions), events=tuple(events),
                        about=salient(doc, linked, events, headline_end, ctx.person_countries or {}))


LEAD_SENTENCES = 2  # the dateline and the first two sentences of the body tell what a story is about
EARLY = 0.6  # share of the body before which a first mention is not a passing one (set on Reuters train)


def salient(doc: Doc, linked: LinkedDoc, events: list[Event], headline_end: int,
            countries: dict[EntityRef, EntityRef]) -> tuple[EntityRef, ...]:
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
    group = {ref: countries.get(ref, ref) if ref.kind in (EntityKind.PLACE, EntityKind.FACILITY) else ref
             for ref in linked.entities}
    roles = {ref for event in events for ref in (event.agent, event.on_behalf_of, event.place, *event.themes,
                                                  *event.recipients, *event.counterparties) if ref is not None}
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
    about = [ref for ref in sorted(linked.entities, key=lambda r: first.get(r, text_end))
             if first.get(ref, text_end) < early_end or count.get(group.get(ref, ref), 0) >= 2 or ref in roles]
    return tuple(about)


def _headline_end(text: str) -> int:
    """End of a headline: a first line, followed by more text, that does not end like a sentence."""
    first = text.lstrip()
    offset = len(text) - len(first)
    end = first.find("\n")
    line = first[:end].strip() if end > 0 else ""
    if not line or line[-1] in ".!?\"”’:" or not first[end:].strip():
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
        if ref.kind in (EntityKind.PERSON, EntityKind.PLACE, EntityKind.ORGANIZATION) and known is not None \
                and known.country:
            countries[ref] = EntityRef(EntityKind.COUNTRY, known.country)
    return countries


def _remember(sent: Span, ctx: SentenceContext) -> None:
    """Keep the last person, actor, subject and commodity named, for "he said", "it exported",
    "the company said" and "output rose"."""
    for ref in ctx.linked.in_span(sent.start, sent.end):
        ctx.mention_counts[ref] = ctx.mention_counts.get(ref, 0) + 1
        ctx.last_of_kind[ref.kind] = ref
        if ref.kind is EntityKind.PERSON:
            ctx.last_person = ref
        elif ref.kind in ACTOR_KINDS:
            ctx.last_actor = ref
        elif ref.kind is EntityKind.COMMODITY:
            ctx.last_commodity = ref
    subject = next((t for t in sent.root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None:
        found = ctx.linked.in_span(subject.left_edge.i, subject.right_edge.i + 1, ACTOR_KINDS)
        if found:
            ctx.last_subject = found[0]


def _merge_restatements(events: list[Event]) -> list[Event]:
    """One fact per event: a headline and its lead, or a lead and a later sentence that adds a
    date, state the same act (same type, agent and commodities). The later mention fills the
    earlier one's gaps; two figures or two dates that disagree mean two facts."""
    merged: list[Event] = []
    for event in events:
        same = next((m for m in merged if _restates(m, event)), None)
        if same is None:
            merged.append(event)
            continue
        index = merged.index(same)
        merged[index] = replace(
            same, date=same.date or event.date, quantity=same.quantity or event.quantity,
            recipients=same.recipients or event.recipients, counterparties=same.counterparties or event.counterparties,
            place=same.place or event.place, status=same.status or event.status,
            confidence=max(same.confidence, event.confidence))
    return merged


def _restates(first: Event, second: Event) -> bool:
    if first.type is not second.type or first.type in (EventType.STATEMENT, EventType.RESERVES_RANK):
        return False
    if first.agent != second.agent or set(first.themes) != set(second.themes):
        return False
    if first.quantity and second.quantity and first.quantity.value != second.quantity.value:
        return False
    if first.status and second.status and first.status != second.status:
        return False  # imposing a ban and lifting it are two acts
    return not (first.date and second.date and first.date != second.date)
