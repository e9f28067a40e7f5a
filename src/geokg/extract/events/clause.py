"""One clause, one event: the triggers of a clause (:mod:`.triggers`) with its roles, amounts,
date and status assembled into an :class:`~geokg.model.Event`.

"Kazakhstan will cut wheat exports to Turkey by 300,000 tonnes" is one TradeChange: the
subject is the agent, "to Turkey" the recipient, the commodity in the clause the theme, "by …"
the change, "will" makes it planned.
"""

from __future__ import annotations

from collections.abc import Callable

from spacy.tokens import Span, Token

from geokg.event_types import SPECS
from geokg.extract.attribution import SPEECH_VERBS, Attribution
from geokg.extract.event_members import T
from geokg.extract.events.agents import NATIONAL_MOVES, agent_of, implicit_agent
from geokg.extract.events.amounts import quantity_of
from geokg.extract.events.context import (
    CONFIDENCE,
    PENALTY,
    SentenceContext,
    aimed_at,
    lemma,
    salient_commodity,
)
from geokg.extract.events.dating import date_of, reported_today
from geokg.extract.events.parties import demonym_targets, origin_targets, parties, place_of
from geokg.extract.events.triggers import ARRIVALS, MOVES, READY, Triggers, anaphoric_measure, is_direction
from geokg.extract.lexicon import words
from geokg.extract.moves import direction_of, move_quantities, names_a_measure
from geokg.model import EntityKind, EntityRef, Event, EventType, Evidence, Quantity

# Words that put what they govern in doubt.
_DOUBTS = {"unclear", "uncertain", "unlikely", "doubtful"}
# Words that make an act of the speaker's own a plan ("wants to sell", "commits to double").
_PLANNING = {"plan", "intend", "propose", "commit", "pledge", "want", "seek", "aim", "hope"}
# Verbs that ask an act of someone else ("urged the government to ban imports").
_ASKING = {"want", "urge", "ask", "call", "press", "demand", "push", "pressure", "request", "invite"}
# Nouns whose "that" clause is only feared or rumoured.
_SPECULATIONS = {
    *("fear", "concern", "worry", "speculation", "rumour", "rumor", "possibility", "prospect", "risk"),
    *("report", "claim", "allegation", "suggestion"),  # "denied reports that it had halted shipments"
}
# Which trigger names a clause when several share it ("signed a supply deal" is an Agreement).
PRIORITY = list(EventType)  # the registry's order (geokg.event_types)
# "plans to", "proposed", "invited": an act not done yet.
PROSPECTIVE = words("prospective")
_MEASURE_TYPES = (T.EXPORT_RESTRICTION, T.SANCTION, T.TARIFF)
# "output rose" in a story about copper is about copper.
_COMMODITY_FROM_CONTEXT = {
    T.PRODUCTION,
    T.SALE_OR_SUPPLY,
    T.PURCHASE_OR_IMPORT,
    T.TARIFF,
    T.PRICE_CHANGE,
    T.TRADE_CHANGE,
    T.DEMAND_CHANGE,
    T.INVENTORY_CHANGE,
    T.SUPPLY_DISRUPTION,
    T.MARKET_BALANCE,
    T.FORECAST,
}


# Words that name a flow of goods: a trade volume moves only where one of them is said.
_TRADE_WORDS = {*words("trade_nouns"), "trade", "sell", "buy", "ship", "cargo", "flow", "exporter", "importer"}
# Words that name a price: with one of them in the clause, what moves is a price.
_PRICE_WORDS = {"price", "futures", "benchmark", "contract"}


def _names_trade(token: Token) -> bool:
    return token.lemma_.lower() in _TRADE_WORDS or token.lower_.rstrip("s") in _TRADE_WORDS


def _price_moves(verb: Token, scope: tuple[int, int], ctx: SentenceContext) -> bool:
    """A price is said to move: a price noun in the clause, or a commodity as its subject ("Brent fell")."""
    if any(t.lemma_.lower() in _PRICE_WORDS for t in verb.doc[scope[0] : scope[1]]):
        return True
    subjects = (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass"))
    return any((ref := ctx.linked.by_token.get(s.i)) is not None and ref.kind is EntityKind.COMMODITY for s in subjects)


def _moves_an_amount(verb: Token) -> bool:
    """ "WTI added 40 cents", "gold added 1%": a speech verb with an amount for object moves it."""
    return any(
        c.dep_ in ("dobj", "npadvmod") and (c.like_num or any(g.like_num for g in c.children)) for c in verb.children
    )


def clause_event(
    sent: Span, verb: Token, triggers: Triggers, ctx: SentenceContext, attribution: Attribution, evidence: Evidence
) -> Event | None:
    """The event a clause states through its triggers, or None when it states none (negated,
    only said, or no one to attribute it to)."""
    kind = min((k for _, k in triggers), key=PRIORITY.index)
    # "cut Japanese imports": the noun that names the flow carries its modifiers, not the move word.
    trigger = min((t for t, k in triggers if k is kind), key=is_direction)
    spec = SPECS[kind.value]
    if verb.lemma_ in SPEECH_VERBS and trigger.i == verb.i and not _moves_an_amount(verb):
        return None
    if _negated(verb, trigger, kind):
        return None  # "failed to reach an agreement", "did not provide deliveries"
    if kind not in MOVES and (_in_doubt(verb) or _asked_of_others(verb)) or _only_needed(verb):
        return None  # "unclear when the embargo ends", "whether the duties take effect"
    if kind in (T.SALE_OR_SUPPLY, T.PURCHASE_OR_IMPORT) and aimed_at(verb) and trigger.i != verb.i:
        return None  # "banned exports to keep supplies": supplies aimed at, no delivery ("to deliver" is a plan)
    scope = _scope(verb, trigger)
    if kind is T.TRADE_CHANGE and not any(_names_trade(t) for t in verb.doc[scope[0] : scope[1]]):
        # "Brent suffered a weekly loss": nothing traded moves in the clause; a price may.
        if not _price_moves(verb, scope, ctx):
            return None
        kind, spec = T.PRICE_CHANGE, SPECS[T.PRICE_CHANGE.value]
    in_sent = ctx.linked.in_span(sent.start, sent.end)
    agent, themes = _agent_and_themes(verb, trigger, kind, scope, in_sent, ctx)
    if kind in (T.SANCTION, T.TARIFF) and agent is not None and agent in demonym_targets(trigger, ctx.linked):
        # "the ban on Iranian caviar is part of the measures": the country of the goods is the target.
        agent = ctx.last_measure.agent if ctx.last_measure and anaphoric_measure(trigger, ctx) else None
    confidence = _confidence(trigger, themes, in_sent, ctx)
    if agent is None and (spec.needs_agent or kind in NATIONAL_MOVES):
        agent = implicit_agent(kind, verb, scope, attribution, ctx)
        confidence -= PENALTY["implicit"]
    elif agent not in in_sent:
        confidence -= PENALTY["coreference"]
    recipients, counterparties = parties(verb, trigger, kind, ctx, agent)
    if kind is T.PURCHASE_OR_IMPORT and not counterparties:
        counterparties = _goods_origins(verb, verb, agent, ctx)  # "Japan bought U.S. wheat": from the United States
    kind = _measure_kind(kind, trigger, agent, ctx)
    if kind in (T.SANCTION, T.TARIFF) and not recipients:
        recipients = _goods_origins(verb, trigger, agent, ctx)
    targeted = kind in (T.SANCTION, T.TARIFF) and bool(recipients)  # "sanctions on Iran", whoever imposed them
    if agent is None and not targeted and (spec.needs_agent or not (themes or recipients)):
        return None  # "there would be deals": no one to attribute the act to
    if kind is T.FORECAST and not _forecasts_something(trigger):
        return None  # "BHP expects to thrive", "plans to announce them this year": no figure foreseen
    place = place_of(verb, trigger, ctx.linked)
    quantity, direction, change, previous = _amounts(sent, verb, trigger, kind, scope, spec.directional)
    if kind is T.PRODUCTION and agent is None and direction is None and quantity is None and change is None:
        return None  # "challenges producing advanced chips": with no one acting, only a move is news
    agent, on_behalf_of = _issuer(agent, kind, ctx)
    return Event(
        type=kind,
        evidence=evidence,
        agent=agent,
        on_behalf_of=on_behalf_of,
        themes=themes,
        recipients=recipients,
        counterparties=counterparties,
        place=place,
        quantity=quantity,
        direction=direction,
        change=change,
        previous=previous,
        date=date_of(sent, ctx.anchor, scope, verb=verb) or reported_today(verb, ctx.anchor),
        status=_status(verb, trigger, kind),
        # The speaker before the outlet, even when the speaker is the actor ("Gazprom announced
        # it halted supplies"); the article's source only when the sentence names neither.
        attributed_to=attribution.source or attribution.outlet or ctx.default_source,
        reported_by=attribution.outlet,
        confidence=max(0.1, round(confidence, 2)),
    )


def _agent_and_themes(
    verb: Token, trigger: Token, kind: EventType, scope: tuple[int, int], in_sent: list[EntityRef], ctx: SentenceContext
) -> tuple[EntityRef | None, tuple[EntityRef, ...]]:
    """Who acts and on which commodities: from the clause, else from the measure "the ban" refers
    to, else (for the commodity) from the story so far."""
    agent = agent_of(verb, trigger, ctx)
    if agent is not None and agent.kind is EntityKind.MEDIA:
        agent = None  # an outlet reports acts, it does not do them
    if kind is T.PURCHASE_OR_IMPORT and lemma(verb) in ARRIVALS:
        agent = None  # the cargo's subject phrase names its origin; where it arrives names the buyer
    themes = tuple(ctx.linked.in_span(scope[0], scope[1], {EntityKind.COMMODITY})) or tuple(
        ref for ref in in_sent if ref.kind is EntityKind.COMMODITY
    )
    if ctx.last_measure is not None and anaphoric_measure(trigger, ctx):
        themes = themes or ctx.last_measure.themes
        if agent is None or agent not in in_sent:
            agent = ctx.last_measure.agent  # "the country imposed the ban": the ban's owner
    if not themes and kind in _COMMODITY_FROM_CONTEXT and ctx.last_commodity:
        themes = (salient_commodity(ctx, ctx.last_commodity),)  # "output rose" in a story about the commodity
    return agent, themes


def _confidence(trigger: Token, themes: tuple[EntityRef, ...], in_sent: list[EntityRef], ctx: SentenceContext) -> float:
    """The model's score for its trigger, else the rule's confidence; less for a commodity taken
    from an earlier sentence."""
    confidence = ctx.trigger_scores.get(trigger.i) or CONFIDENCE["verb" if trigger.pos_ == "VERB" else "noun"]
    if themes and themes[0] not in in_sent:
        confidence -= PENALTY["context_theme"]
    return confidence


def _goods_origins(verb: Token, trigger: Token, agent: EntityRef | None, ctx: SentenceContext) -> tuple[EntityRef, ...]:
    """A sanction or tariff with no named target targets the countries its goods come from."""
    found = demonym_targets(trigger, ctx.linked) + origin_targets(verb, trigger, ctx.linked)
    return tuple(r for r in found if r != agent)


def _measure_kind(kind: EventType, trigger: Token, agent: EntityRef | None, ctx: SentenceContext) -> EventType:
    """ "a price cap on Russian oil exports" by the G7: not its own exports, a sanction on Russia."""
    if kind is not T.EXPORT_RESTRICTION or agent is None:
        return kind
    foreign = [r for r in demonym_targets(trigger, ctx.linked, ("amod", "compound", "poss")) if r != agent]
    if foreign and agent.kind in (EntityKind.COUNTRY, EntityKind.ORGANIZATION):
        return T.SANCTION
    return kind


def _amounts(
    sent: Span, verb: Token, trigger: Token, kind: EventType, scope: tuple[int, int], directional: bool
) -> tuple[Quantity | None, str | None, Quantity | None, Quantity | None]:
    """The quantity, and for a move its direction, change and previous level."""
    quantity = quantity_of(sent, trigger, kind, scope)
    if not directional:
        return quantity, None, None, None
    move = move_quantities(sent, trigger, scope)
    if move.change is not None or move.previous is not None:
        quantity = move.level  # "cut by 500,000 bpd" is a change; the level, if any, is "to X"
    return quantity, direction_of(trigger, verb), move.change, move.previous


def _issuer(
    agent: EntityRef | None, kind: EventType, ctx: SentenceContext
) -> tuple[EntityRef | None, EntityRef | None]:
    """The agent and the state it acts for. A ministry or commission issues a measure; the state
    imposes it (news-dev's "issuer")."""
    on_behalf_of = (ctx.person_countries or {}).get(agent) if agent is not None else None
    if (
        kind in _MEASURE_TYPES
        and agent is not None
        and agent.kind is EntityKind.ORGANIZATION
        and on_behalf_of is not None
    ):
        return on_behalf_of, None
    return agent, on_behalf_of


def _forecasts_something(trigger: Token) -> bool:
    """A forecast names what it foresees: a figure, a market measure or a move of one."""
    scope = trigger.subtree if trigger.pos_ == "NOUN" else trigger.head.subtree  # a verb: its whole clause
    return any(
        t.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "CARDINAL") or names_a_measure(t) or is_direction(t)
        for t in scope
        if t.i != trigger.i
    )


def _negated(verb: Token, trigger: Token, kind: EventType) -> bool:
    if trigger.dep_ == "pobj" and trigger.head.lower_ == "without":
        return True  # "talks ended without an agreement"
    for token in (verb, *verb.ancestors):
        # "refused to sell" negates; "denied entry" is itself the measure
        negating = token.lemma_ in ("fail", "refuse", "deny") and not (token.i == trigger.i and kind is T.SANCTION)
        if any(c.dep_ == "neg" for c in token.children) or negating:
            return True
        if token.dep_ == "acl" and token.head.lemma_.lower() in _SPECULATIONS:
            # "Tehran denied reports that it had halted shipments"
            return token.head.head.lemma_ in ("deny", "dismiss", "reject", "refute")
        if token.dep_ not in ("xcomp", "ccomp", "conj"):
            return False
    return False


def _in_doubt(verb: Token) -> bool:
    """An act the sentence only wonders about: under "whether", in a clause that is "unclear",
    "uncertain" or "unlikely", or one a fear, rumour or unconfirmed report is of. Market moves
    are kept: a feared fall in prices is still news of prices."""
    for token in (verb, *verb.ancestors):
        if any(c.dep_ == "mark" and c.lower_ == "whether" for c in token.children):
            return True
        if token.lemma_ in _DOUBTS or any(c.dep_ == "acomp" and c.lemma_ in _DOUBTS for c in token.children):
            return True
        if token.dep_ == "acl" and token.head.lemma_.lower() in _SPECULATIONS:
            return True  # "the risk that Jakarta will stop exports"
        if token.dep_ not in ("xcomp", "ccomp", "csubj", "advcl", "conj", "acomp", "pcomp"):
            return False
    return False


def _only_needed(verb: Token) -> bool:
    """An act only needed, not done: "the drills that miners need to produce gold"."""
    return _under(verb, lambda token: token.dep_ == "xcomp" and token.head.lemma_.lower() in ("need", "require"))


def _asked_of_others(verb: Token) -> bool:
    """An act asked of someone else: "unions want the smelter to supply power", "urged Delhi
    to ban imports"."""

    def asked(token: Token) -> bool:
        of_someone = (
            token.dep_ == "ccomp"
            and any(c.dep_ == "nsubj" for c in token.children)
            or (token.dep_ == "xcomp" and any(c.dep_ == "dobj" for c in token.head.children))
        )
        return of_someone and token.head.lemma_.lower() in _ASKING

    return _under(verb, asked)


def _under(verb: Token, frame: Callable[[Token], bool]) -> bool:
    """Whether ``frame`` holds of the verb or of a clause it is the complement of."""
    for token in (verb, *verb.ancestors):
        if frame(token):
            return True
        if token.dep_ not in ("xcomp", "conj"):
            return False
    return False


def _scope(verb: Token, trigger: Token) -> tuple[int, int]:
    """The clause's tokens, up to a coordinated clause after the trigger ("exports of diesel are
    estimated at X and it exported Y of gasoline" is two clauses)."""
    tokens = list(verb.subtree) if trigger in verb.subtree else list(trigger.subtree)
    start, end = tokens[0].i, tokens[-1].i + 1
    for child in verb.children:
        if child.dep_ == "conj" and child.pos_ in ("VERB", "AUX") and child.i > trigger.i:
            cc = [c for c in verb.children if c.dep_ == "cc" and trigger.i < c.i < child.i]
            end = min(end, cc[0].i if cc else child.left_edge.i)
    return start, end


def _status(verb: Token, trigger: Token, kind: EventType) -> str | None:
    """offered, signed, agreed, held, imposed, lifted, proposed, planned…: from the words of the
    clause and the tense and wishes above it."""
    if kind is T.OFFER:
        return "offered"
    lemmas = {t.lemma_.lower() for t in (verb, trigger, *verb.children, *trigger.children)}
    # "ready to meet … to sign an agreement": a wish or plan above the verb makes it prospective.
    lemmas |= {
        t.lemma_.lower()
        for a in verb.ancestors
        for t in (a, *a.children)
        if t.dep_ in ("ROOT", "ccomp", "xcomp", "acomp") or t is a
    } & (READY | PROSPECTIVE)
    future = any(
        c.lemma_ in ("will", "would", "shall") and c.dep_ == "aux" for t in (verb, *verb.ancestors) for c in t.children
    )
    if kind is T.AGREEMENT:
        return _agreement_status(lemmas, future)
    if kind is T.MEETING:
        return "proposed" if future or lemmas & (READY | PROSPECTIVE) else "held"
    if kind in _MEASURE_TYPES:
        return _measure_status(lemmas, future)
    # A plan or wish above the act ("planned to reduce coal use", "commits to double deliveries"),
    # not a forecast ("expects output to rise") nor a clause beside it ("rose as investors sought havens").
    planned = any(a.lemma_.lower() in _PLANNING for a in (verb, *verb.ancestors))
    return "planned" if future or aimed_at(verb) or planned else None


def _agreement_status(lemmas: set[str], future: bool) -> str:
    if lemmas & {"sign", "ink"} and not future and not (lemmas & (READY | PROSPECTIVE)):
        return "signed"
    if lemmas & {"agree", "reach", "strike", "seal", "conclude"} and not future:
        return "agreed"
    if lemmas & {"negotiate", "discuss", "talk"}:
        return "negotiating"
    return "proposed"


def _measure_status(lemmas: set[str], future: bool) -> str:
    if lemmas & {"lift", "remove", "end", "ease"}:
        return "lifted" if not future else "to be lifted"
    if lemmas & (PROSPECTIVE | {"threaten"}) or future:
        return "proposed"
    return "imposed"
