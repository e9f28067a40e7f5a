"""Event rules: a sentence in, the typed n-ary events it states out.

A sentence yields events from *triggers* (lemmas such as "offer", "ban", "tariff", "deal"),
grouped by the clause they belong to so that "offered to sell" is one Offer and "signed a
supply deal" one Agreement; roles come from the parse around the clause verb (subject → agent,
"to X" → recipient, "with X" → counterparty, commodities in the clause → themes). Rankings,
price changes and statements have rules of their own. One module per family:

- ``context``: the sentence context the rules share, confidences, token helpers
- ``triggers``: which words name which event type, clause by clause (rules and trained model)
- ``clause``: one clause's triggers assembled into an event (status, amounts, date)
- ``agents``: who acts (subjects, possessors, pronouns and titles, implicit actors)
- ``parties``: recipients, counterparties, targets of measures, place
- ``amounts``, ``dating``: which quantity and which date belong to an event
- ``rankings``, ``prices``, ``statements``: the rules of those families
- ``merge``: one fact per act
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from geokg.extract.attribution import Attribution, attribution_of
from geokg.extract.event_members import T
from geokg.extract.events.clause import PRIORITY, clause_event
from geokg.extract.events.context import SentenceContext, evidence_of
from geokg.extract.events.merge import merge_offers
from geokg.extract.events.prices import price_event
from geokg.extract.events.rankings import ranking_event
from geokg.extract.events.statements import statement_event
from geokg.extract.events.triggers import TRIGGER_THRESHOLD, Triggers, clauses
from geokg.extract.lexicon import TRIGGERS
from geokg.model import Event, Evidence

__all__ = ["PRIORITY", "TRIGGERS", "TRIGGER_THRESHOLD", "SentenceContext", "sentence_events"]


def _first_event(
    sent: Span, verb: Token, triggers: Triggers, ctx: SentenceContext, attribution: Attribution, evidence: Evidence
) -> Event | None:
    """One event a clause, of the first kind (by PRIORITY) that finds its roles: "supply
    worries drive a rise in oil prices" is no supply, and so a price move."""
    for kind in sorted({k for _, k in triggers}, key=PRIORITY.index):
        event = clause_event(sent, verb, [(t, k) for t, k in triggers if k is kind], ctx, attribution, evidence)
        if event is not None:
            return event
    return None


def _adjunct_events(
    sent: Span,
    verb: Token,
    alternatives: list[Triggers],
    main: Event,
    ctx: SentenceContext,
    attribution: Attribution,
    evidence: Evidence,
) -> list[tuple[Token, Event]]:
    """Moves named inside a prepositional phrase of the clause, or qualifying its subject, are
    events of their own, of another kind than the clause's: "miners cut output amid a slide in
    copper prices", "stronger demand should boost prices". Each is read as its own small clause, so
    the main clause's subject is not its agent."""
    found: list[tuple[Token, Event]] = []
    kinds = {main.type}
    for trigger, kind in sorted({pair for triggers in alternatives for pair in triggers}, key=lambda p: p[0].i):
        if (
            kind in kinds
            or trigger.i == verb.i
            or trigger.pos_ not in ("NOUN", "ADJ")
            or not _in_adjunct(trigger, verb)
        ):
            continue
        event = clause_event(sent, trigger, [(trigger, kind)], ctx, attribution, evidence)
        if event is not None:
            found.append((trigger, event))
            kinds.add(kind)
    return found


def _in_adjunct(token: Token, verb: Token) -> bool:
    """Whether ``token`` lies inside a prepositional phrase of ``verb``'s clause, or qualifies its
    subject ("stronger demand should boost prices")."""
    if token.dep_ == "amod" and token.head.dep_ in ("nsubj", "nsubjpass") and token.head.head.i == verb.i:
        return True
    while token.i != verb.i and token.head.i != token.i:
        if token.dep_ in ("pobj", "pcomp"):
            return True
        token = token.head
    return False


def sentence_events(sent: Span, ctx: SentenceContext) -> list[Event]:
    """All events a sentence states, in text order."""
    attribution = attribution_of(sent, ctx.linked)
    evidence = evidence_of(sent)
    events: list[Event] = []
    rank = ranking_event(sent, ctx, attribution, evidence)
    covered: set[int] = set()
    if rank is not None:
        events.append(rank[0])
        covered = rank[1]
    clause_events = []
    ruled = False  # an event the rules found: reported speech then states it, not a Statement
    for clause_verb, alternatives in clauses(sent, covered, ctx).items():
        for n, triggers in enumerate(alternatives):
            event = _first_event(sent, clause_verb, triggers, ctx, attribution, evidence)
            if event is not None:
                clause_events.append((clause_verb, event))
                clause_events += _adjunct_events(sent, clause_verb, alternatives, event, ctx, attribution, evidence)
                # The model's triggers come second where the rules name a clause.
                ruled = ruled or (n == 0 and clause_verb.i not in ctx.model_clauses)
                break
    events += merge_offers(clause_events)
    for event in events:
        if event.type in (T.EXPORT_RESTRICTION, T.SANCTION, T.TARIFF):
            ctx.last_measure = event
    # The price reader knows price sentences best (the level a conjoined verb reached, the unit of
    # the earlier price, a past-tense market report dated to the article): its event replaces
    # the clause rules' price moves.
    price = price_event(sent, ctx, evidence, attribution)
    if price is not None:
        events = [e for e in events if e.type is not T.PRICE_CHANGE] + [price]
    # The model's events do not silence a statement: "X stressed that the milestone marks growth"
    # is first of all what X said.
    statement = statement_event(
        sent,
        ctx,
        attribution,
        evidence,
        has_events=ruled or rank is not None or price is not None,
        event_verbs={verb.i for verb, _ in clause_events},
    )
    if statement is not None:
        events.append(statement)
    return events
