"""Rankings: "Chile holds the world's largest copper reserves", "Indonesia is the second-largest
nickel producer after the Philippines, according to the USGS".

A rank phrase, the measure noun after it (reserves, production, exports…), the country or
company ranked, those ranked ahead of it ("after A, B and C") and the source the rank rests on.
"""

from __future__ import annotations

import re

from spacy.tokens import Span, Token

from geokg.extract.attribution import Attribution
from geokg.extract.event_members import T
from geokg.extract.events.agents import agent_of
from geokg.extract.events.context import CONFIDENCE, SentenceContext
from geokg.extract.lexicon import mapping
from geokg.extract.text import span_text
from geokg.model import EntityKind, EntityRef, Event, Evidence

ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
}
_RANK = re.compile(
    # "one of the world's largest", "among the world's top": a group, no rank.
    r"(?<!one of the )(?<!among the )\b(?:world|globe|planet|continent|country|region|europe|africa|asia)[’']s\s+"
    r"(?:(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"\d{1,2}(?:st|nd|rd|th))[-\s])?(?:largest|biggest|top|leading|dominant|main|greatest|no\.\s*1)\b"
    r"|\b(?:no\.|number)\s*(?P<num>\d{1,2})\b"
    r"|\branks?\s+(?P<ord2>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th)?)\b"
    # "Chile, the top copper producer", "the second-largest exporter of wheat"; not "one of the largest"
    r"|(?<!of )\bthe\s+(?:(?P<ord3>second|third|fourth|fifth)[-\s])?(?:largest|biggest|top|leading)\s+"
    r"(?=(?:[\w-]+\s+){0,2}(?:producer|exporter|importer|consumer|supplier|holder|miner)s?\b)",
    re.IGNORECASE,
)
# The noun after a rank names what is ranked: "producer" ranks production, "holder" reserves.
RANK_MEASURES = mapping("rank_measures")
_RANKED = {EntityKind.COUNTRY, EntityKind.COMPANY}


def ranking_event(
    sent: Span, ctx: SentenceContext, attribution: Attribution, evidence: Evidence
) -> tuple[Event, set[int]] | None:
    """The sentence's ranking and the tokens its phrase covers (no other rule reads them), or None."""
    found = _rank_phrase(sent)
    if found is None:
        return None
    start_token, rank, after_match = found
    head_noun = _measure_noun(after_match)
    measure = RANK_MEASURES.get(head_noun.lemma_.lower()) if head_noun is not None else None
    agent = _ranked_agent(sent, head_noun, start_token, ctx)
    if agent is None:
        return None
    linked = ctx.linked
    themes = tuple(linked.in_span(start_token.i, sent.end, {EntityKind.COMMODITY})) or tuple(
        linked.in_span(sent.start, sent.end, {EntityKind.COMMODITY})
    )
    covered = set(range(start_token.i, (head_noun.i + 1) if head_noun is not None else start_token.i + 1))
    source = attribution.source or attribution.outlet or ctx.default_source
    if source is None:
        return None  # the shapes require a ranking's source; an unsourced rank is not a fact we can keep
    event = Event(
        type=T.RESERVES_RANK,
        evidence=evidence,
        agent=agent,
        themes=themes[:1] if themes else (),
        rank=rank,
        ranked_after=_ranked_after(sent, after_match, agent, ctx),
        measure=measure,
        attributed_to=source,
        reported_by=attribution.outlet,
        date=None,
        confidence=CONFIDENCE["ranking"],
    )
    return event, covered


def _rank_phrase(sent: Span) -> tuple[Token, int, list[Token]] | None:
    """The first token of the rank phrase, the rank, and the tokens after the phrase."""
    match = _RANK.search(span_text(sent))
    if match is None:
        return None
    char = sent.start_char + match.start()
    start_token = next((t for t in sent if t.idx >= char), None)
    if start_token is None:
        return None
    raw = match.group("ord") or match.group("num") or match.group("ord2") or match.group("ord3")
    rank = _ordinal(raw) if raw else 1
    if rank is None or rank < 1:
        return None
    end_char = sent.start_char + match.end()
    return start_token, rank, [t for t in sent if t.idx >= end_char]


def _measure_noun(after_match: list[Token]) -> Token | None:
    """The noun the rank qualifies: a measure noun ("producer", "reserves"), else the first noun."""
    found = next((t for t in after_match if t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in RANK_MEASURES), None)
    if found is None and after_match:
        found = next((t for t in after_match if t.pos_ == "NOUN"), None)
    return found


def _ranked_agent(sent: Span, head_noun: Token | None, start_token: Token, ctx: SentenceContext) -> EntityRef | None:
    """Who is ranked: the agent of the verb the rank hangs on, else the last country or company before it."""
    verb = head_noun.head if head_noun is not None else sent.root
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    agent = agent_of(verb, verb, ctx) if verb.pos_ in ("VERB", "AUX") else None
    if agent is None:
        before = ctx.linked.in_span(sent.start, start_token.i, _RANKED)
        agent = before[-1] if before else None
    return agent


def _ranked_after(
    sent: Span, after_match: list[Token], agent: EntityRef, ctx: SentenceContext
) -> tuple[EntityRef, ...]:
    """ "after China, Brazil, India and Australia": those ranked ahead, up to the end of the list."""
    after_word = next((t for t in after_match if t.lower_ == "after"), None)
    if after_word is None:
        return ()
    stop = sent.end
    for token in sent.doc[after_word.i + 1 : sent.end]:
        if token.text in (";", ":") or (token.text == "," and not _continues_list(token)) or token.pos_ == "VERB":
            stop = token.i
            break
    return tuple(r for r in ctx.linked.in_span(after_word.i + 1, stop, _RANKED) if r != agent)


def _continues_list(comma: Token) -> bool:
    """A comma inside "after China, Brazil, India and Australia" continues the list."""
    nxt = comma.doc[comma.i + 1] if comma.i + 1 < len(comma.doc) else None
    return nxt is not None and nxt.ent_type_ in ("GPE", "NORP", "ORG", "LOC") and nxt.lower_ not in ("according",)


def _ordinal(raw: str) -> int | None:
    raw = raw.lower()
    if raw in ORDINALS:
        return ORDINALS[raw]
    digits = re.match(r"\d+", raw)
    return int(digits.group()) if digits else None
