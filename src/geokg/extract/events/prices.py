"""Price changes: "copper prices rose 2% to $9,800 a tonne", "Brent futures hit a high … but
have since fallen to $78".

The price reader knows price sentences best (the level a conjoined verb reached, the unit of
the earlier price, a past-tense market report dated to the article): its event replaces the
clause rules' price moves in the sentence.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from geokg.extract.attribution import Attribution
from geokg.extract.event_members import T
from geokg.extract.events.agents import agent_of
from geokg.extract.events.amounts import inherit_price_unit, quantity_of
from geokg.extract.events.context import CONFIDENCE, PENALTY, SentenceContext, aimed_at, salient_commodity
from geokg.extract.events.dating import date_of, reported_today
from geokg.extract.events.triggers import in_goal
from geokg.extract.moves import DIRECTION_WORDS, kept_going, move_quantities
from geokg.model import EntityKind, Event, Evidence


def price_event(sent: Span, ctx: SentenceContext, evidence: Evidence, attribution: Attribution) -> Event | None:
    """The sentence's price change: the first price noun whose verb moves, or None."""
    for token in sent:
        if (
            token.lower_ not in ("futures",)
            and token.lemma_.lower() not in ("price", "benchmark", "rate")
            or token.pos_ != "NOUN"
            or in_goal(token)
        ):
            continue
        move = _price_move(token)
        if move is None:
            continue
        verb, direction = move
        confidence = CONFIDENCE["price"]
        themes = tuple(ctx.linked.in_span(sent.start, sent.end, {EntityKind.COMMODITY}))
        if not themes and ctx.last_commodity is not None and token.lemma_.lower() == "price":
            # "domestic fuel prices dropped" after a sentence on diesel
            themes = (salient_commodity(ctx, ctx.last_commodity),)
            confidence -= PENALTY["context_theme"]
        if not themes:
            return None
        agent = None
        if token.dep_ in ("dobj",):
            agent = agent_of(verb, verb, ctx)
        quantity = quantity_of(sent, verb, T.PRICE_CHANGE)
        # "prices jumped 12%" is the size of the move, "to $80" the level it reached.
        amounts = move_quantities(sent, verb, (verb.left_edge.i, verb.right_edge.i + 1))
        if amounts.change is not None or amounts.previous is not None:
            quantity = amounts.level
        future = any(c.dep_ == "aux" and c.lemma_ in ("will", "would", "shall") for c in verb.children)
        return Event(
            type=T.PRICE_CHANGE,
            evidence=evidence,
            agent=agent,
            themes=themes,
            quantity=inherit_price_unit(sent, quantity),
            change=amounts.change,
            previous=amounts.previous,
            status="planned" if future or aimed_at(verb) else None,
            date=date_of(sent, ctx.anchor) or reported_today(verb, ctx.anchor, past_tense=True),
            direction=direction,
            attributed_to=attribution.source or attribution.outlet,
            reported_by=attribution.outlet,
            confidence=confidence,
        )
    return None


def _price_move(price: Token) -> tuple[Token, str] | None:
    """The last verb of the price noun's head and its conjuncts that moves, with its direction:
    "prices rose", "futures hit a high … but have since fallen to $7,700"."""
    verbs = [kept_going(v) for v in (price.head, *(c for c in price.head.children if c.dep_ == "conj"))]
    moves = [(v, DIRECTION_WORDS.get(v.lemma_.lower())) for v in verbs if v.pos_ == "VERB"]
    moves = [(v, d) for v, d in moves if d is not None]
    return moves[-1] if moves else None  # type: ignore[return-value]
