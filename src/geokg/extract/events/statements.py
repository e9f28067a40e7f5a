"""Statements: what a speaker said, quoted ('Lula said: "Brazil will not take sides"') or
reported ("the minister said that exports would resume"), by whom it was relayed, and when."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet

from spacy.tokens import Span, Token

from geokg.extract.attribution import SPEECH_VERBS, Attribution, subject_entity
from geokg.extract.event_members import T
from geokg.extract.events.context import CONFIDENCE, SentenceContext
from geokg.extract.events.dating import date_of
from geokg.extract.linking import LinkedDoc
from geokg.extract.text import span_text
from geokg.model import EntityKind, EntityRef, Event, Evidence

# Speech verbs whose object is what was said: "announced a plan", "expressed interest in mining".
_CONTENT_VERBS = {"announce", "express", "declare", "confirm", "reiterate", "state"}
_QUOTE = re.compile(r"[\"“”]([^\"“”]{3,})[\"“”]")


def statement_event(
    sent: Span,
    ctx: SentenceContext,
    attribution: Attribution,
    evidence: Evidence,
    has_events: bool,
    event_verbs: AbstractSet[int] = frozenset(),
) -> Event | None:
    """The sentence's statement, or None. Reported speech without quotes is a statement only
    when the rules found no event in the sentence (``has_events``): then it states that event.
    ``event_verbs``: the verbs (token indexes) of the clauses whose events the sentence tells."""
    quotes = _quotes(sent, event_verbs)
    speaker, verb = _speaker(sent, ctx, attribution, quoted=bool(quotes))
    if speaker is None:
        return None
    if quotes:
        text = " ".join(q.strip(" ,.") for q in quotes)
    elif verb is not None and not has_events:
        # What was said: "said that …"; else what was announced or expressed ("expressed interest
        # in …", "the plan was announced by …").
        complement = [c for c in verb.children if c.dep_ == "ccomp"] or [
            c for c in verb.children if c.dep_ in ("dobj", "nsubjpass") and verb.lemma_ in _CONTENT_VERBS
        ]
        if not complement:
            return None
        span = sent.doc[complement[0].left_edge.i : complement[0].right_edge.i + 1]
        text = re.sub(r"^(that)\s+", "", span.text)
    else:
        return None
    about = tuple(
        r for r in ctx.linked.in_span(sent.start, sent.end) if r != speaker and r.kind is not EntityKind.MEDIA
    )
    # A statement quoted in the news was made when reported unless the text dates it.
    date = date_of(sent, ctx.anchor, outside_quotes=True) or ctx.anchor
    return Event(
        type=T.STATEMENT,
        evidence=evidence,
        agent=speaker,
        quote=text,
        about=about,
        date=date,
        reported_by=attribution.outlet or ctx.default_source,
        confidence=CONFIDENCE["quote" if quotes else "reported"],
        attributed_to=attribution.outlet or ctx.default_source,
    )


def _quotes(sent: Span, event_verbs: AbstractSet[int]) -> list[str]:
    """The quoted texts of the sentence. A quoted word or phrase that modifies an event's own verb
    ('had "temporarily" suspended deliveries', 'is banning imports "in step with its allies"') marks
    the reporter's distance or borrows a phrase: the sentence states the event, not a statement.
    A quote that is a clause of its own is speech wherever it stands."""
    text = span_text(sent)
    found = []
    for match in _QUOTE.finditer(text):
        if event_verbs:
            start = sent.start_char + match.start(1)
            quoted = sent.doc.char_span(start, start + len(match.group(1)), alignment_mode="expand")
            if quoted is not None and _modifies_event(quoted, event_verbs):
                continue
        found.append(match.group(1))
    return found


def _modifies_event(quoted: Span, event_verbs: AbstractSet[int]) -> bool:
    words = [t for t in quoted if not t.is_punct]
    clause = len(words) >= 4 and any(t.pos_ in ("VERB", "AUX") for t in words)
    return not clause and quoted.root.head.i in event_verbs


def _speaker(
    sent: Span, ctx: SentenceContext, attribution: Attribution, quoted: bool
) -> tuple[EntityRef | None, Token | None]:
    """Who speaks and the speech verb: the attribution's, a name before a colon, or, for a quote,
    the subject of a speech verb ("he said")."""
    speaker, verb = attribution.speaker, attribution.speech_verb
    if speaker is None:
        speaker = _colon_speaker(sent, ctx.linked)
    if speaker is None and quoted and verb is None:
        for token in sent:
            if token.lemma_ in SPEECH_VERBS and token.pos_ == "VERB":
                return _pronoun_speaker(token, ctx), token
    return speaker, verb


def _colon_speaker(sent: Span, linked: LinkedDoc) -> EntityRef | None:
    """'Putin: "…"' and 'Quote from Putin: "…"' name the speaker before a colon."""
    if ":" not in span_text(sent):  # the text first: cheaper than a Token per word
        return None
    colon = next((t for t in sent if t.text == ":"), None)
    if colon is None or colon.i - sent.start > 6:
        return None
    found = linked.in_span(sent.start, colon.i, {EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.COUNTRY})
    return found[-1] if found else None


def _pronoun_speaker(verb: Token, ctx: SentenceContext) -> EntityRef | None:
    found = subject_entity(verb, ctx.linked)
    if found is not None:
        return found
    subject = [c for c in verb.children if c.dep_ == "nsubj"]
    if subject and subject[0].lower_ in ("he", "she"):
        return ctx.last_person
    return None
