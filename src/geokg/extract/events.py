"""Dependency rules that turn sentences into typed, n-ary events.

A sentence yields events from *triggers* (lemmas such as "offer", "ban",
"tariff", "deal"), grouped by the clause they belong to so that "offered to
sell" is one Offer and "signed a supply deal" one Agreement; roles come from the
parse around the clause verb (subject → agent, "to X" → recipient, "with X" →
counterparty, commodities in the clause → themes). Rankings ("the world's
fifth-largest reserves of X after A, B and C") and statements (quotes, "X said
that …") have rules of their own.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from geokg.extract.text import SPANS_KEY, span_text
from geokg.extract.attribution import SPEECH_VERBS, Attribution, attribution_of, subject_entity
from geokg.extract.dates import resolve_date
from geokg.extract.linking import LinkedDoc
from geokg.event_types import SPECS
from geokg.model import EntityKind, EntityRef, Event, EventType, Evidence, Quantity
from geokg.extract.moves import DIRECTION_WORDS, direction_of, move_quantities, moved_kind, names_a_measure
from geokg.extract.quantities import iter_quantities

T = EventType
# lemma → event type. Nouns and verbs alike; restrictions are decided in _classify.
TRIGGERS: dict[str, EventType] = {
    **dict.fromkeys(["offer", "propose", "promise", "pledge"], T.OFFER),
    **dict.fromkeys(["sell", "supply", "export", "deliver", "delivery", "ship",
                     "shipment", "provide", "send", "sale", "flow", "cargo"], T.SALE_OR_SUPPLY),
    **dict.fromkeys(["buy", "purchase", "import", "acquire", "procure"], T.PURCHASE_OR_IMPORT),
    **dict.fromkeys(["ban", "halt", "suspend", "restrict", "restriction", "curb", "prohibit", "block",
                     "control", "stop", "quota", "moratorium", "cap"], T.EXPORT_RESTRICTION),
    **dict.fromkeys(["sanction", "embargo", "blacklist"], T.SANCTION),
    **dict.fromkeys(["tariff", "duty", "levy"], T.TARIFF),
    **dict.fromkeys(["agreement", "deal", "pact", "accord", "memorandum", "contract", "treaty", "mou",
                     "sign", "ink"], T.AGREEMENT),
    **dict.fromkeys(["meet", "meeting", "talk", "summit", "discussion"], T.MEETING),
    **dict.fromkeys(["produce", "production", "output", "mine", "pump"], T.PRODUCTION),
}
# Agent nouns ("the biggest supplier", "key producers") name a role, not an act: rankings read
# them, event rules do not. Gerunds the tagger leaves unlemmatised map to their verb.
_LEMMA_FIX = {"purchasing": "purchase", "buying": "buy", "selling": "sell", "exporting": "export",
              "importing": "import", "producing": "produce", "supplying": "supply", "signing": "sign"}
# "world copper supply", "the fuel supply", "supply chain": a market aggregate, not a delivery.
AGGREGATE = {"world", "global", "domestic", "energy", "fuel", "food", "market", "chain", "security",
             "international", "total", "worldwide"}
# Only modifiers make an aggregate: "imports, which totalled $8 billion" are a trade flow.
_MODIFIERS = {"amod", "compound", "nmod", "npadvmod", "poss"}
# Words that turn a nominal trigger into a reference to an event told elsewhere ("following the meeting").
# "will supply copper under a deal signed on Monday": the deal frames the supply, which is the event.
FRAMEWORK_PREPS = {"under", "per", "within"}
TEMPORAL_PREPS = {"following", "after", "before", "since", "during", "ahead"}
# "a cargo … arrived in Karachi": an import by the country where it arrives.
CONSIGNMENTS = {"cargo", "shipment", "consignment", "delivery", "tanker", "vessel"}
ARRIVALS = {"arrive", "reach", "dock", "land"}
# "stopped operations", "resumed work": a mine or plant's production.
WORK_NOUNS = {"operation", "work", "mining", "activity"}
# Which trigger names a clause when several share it ("signed a supply deal" is an Agreement).
PRIORITY = list(EventType)  # the registry's order (geokg.event_types)
PROSPECTIVE = {"plan", "propose", "want", "hope", "seek", "expect", "aim", "intend", "consider", "invite"}
RESTRICTIVE = {"ban", "halt", "suspend", "restrict", "restriction", "curb", "prohibit", "block",
               "control", "stop", "quota", "moratorium", "cap"}
GOALS = {"aim", "seek", "try", "hope", "want", "strive", "help", "attempt"}
READY = {"ready", "willing", "prepared", "eager", "open"}
OFFERABLE = {"sell", "supply", "export", "deliver", "provide", "ship", "send", "resume", "offer", "give"}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12}
_RANK = re.compile(
    r"\b(?:world|globe|planet|continent|country|region|europe|africa|asia)[’']s\s+"
    r"(?:(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"\d{1,2}(?:st|nd|rd|th))[-\s])?(?:largest|biggest|top|leading|dominant|main|greatest|no\.\s*1)\b"
    r"|\b(?:no\.|number)\s*(?P<num>\d{1,2})\b"
    r"|\branks?\s+(?P<ord2>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d{1,2}(?:st|nd|rd|th)?)\b",
    re.IGNORECASE)
_RANK_MEASURES = {"reserve": "reserves", "producer": "production", "production": "production",
                  "exporter": "exports", "export": "exports", "importer": "imports", "import": "imports",
                  "supplier": "supply", "consumer": "consumption", "miner": "production",
                  "buyer": "imports", "holder": "reserves", "output": "production"}
_HAS_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{4}-\d{2}", re.I)
_QUOTE = re.compile(r"[\"“”]([^\"“”]{3,})[\"“”]")
ACTORS = {EntityKind.COUNTRY, EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.COMPANY,
          EntityKind.MEDIA}
PARTIES = ACTORS | {EntityKind.PLACE}
_PLACES = {EntityKind.PLACE, EntityKind.FACILITY}

# The trained model's triggers count from this probability of their label on: below it the
# label is too often wrong (set on the CrudeOilNews dev split, a tuning set).
TRIGGER_THRESHOLD = 0.7

# Confidence of each rule (gk:confidence), set by hand from how reliable each rule proved in
# error analysis on news-dev: a relative figure, not a calibrated probability. Penalties stack;
# the floor is 0.1.
CONFIDENCE = {
    "verb": 0.8,            # a trigger verb with its own subject: "China banned exports of gallium"
    "noun": 0.7,            # a nominal trigger: "a ban on", "exports of", "output rose"
    "ranking": 0.85,        # "the world's second-largest producer … according to X"
    "price": 0.7,           # "the copper price rose"
    "quote": 0.9,           # a quoted statement with its speaker
    "reported": 0.75,       # "X said that …" without quotes
}
PENALTY = {
    "coreference": 0.2,     # the agent is named in an earlier sentence ("it", "the company")
    "implicit": 0.3,        # the agent is inferred (the state announcing a passive measure)
    "context_theme": 0.1,   # the commodity comes from an earlier sentence
}


@dataclass
class SentenceContext:
    """What the rules know about the text around a sentence."""

    linked: LinkedDoc
    anchor: dt.date | None
    default_source: EntityRef | None
    last_person: EntityRef | None = None
    last_actor: EntityRef | None = None
    person_countries: dict[EntityRef, EntityRef] | None = None
    # For coreference across sentences: the last non-person subject ("it", "they"), the last
    # entity of each kind ("the country", "the company", "the minister") and commodity.
    last_subject: EntityRef | None = None
    mention_counts: dict[EntityRef, int] = field(default_factory=dict)  # in order of first mention
    last_of_kind: dict[EntityKind, EntityRef] = field(default_factory=dict)
    last_commodity: EntityRef | None = None
    last_measure: Event | None = None  # the last restriction, sanction or tariff, for "the ban"
    trigger_scores: dict[int, float] = field(default_factory=dict)  # the model's, by token index
    model_clauses: set[int] = field(default_factory=set)  # clause verbs only the model has a trigger in


def sentence_events(sent: Span, ctx: SentenceContext) -> list[Event]:
    """All events a sentence states, in text order."""
    attribution = attribution_of(sent, ctx.linked)
    evidence = _evidence(sent)
    events: list[Event] = []
    rank = _ranking(sent, ctx, attribution, evidence)
    covered: set[int] = set()
    if rank is not None:
        events.append(rank[0])
        covered = rank[1]
    clause_events = []
    ruled = False  # an event the rules found: reported speech then states it, not a Statement
    for clause_verb, alternatives in _clauses(sent, covered, ctx).items():
        for n, triggers in enumerate(alternatives):
            event = _clause_event(sent, clause_verb, triggers, ctx, attribution, evidence)
            if event is not None:
                clause_events.append((clause_verb, event))
                # The model's triggers come second where the rules name a clause.
                ruled = ruled or (n == 0 and clause_verb.i not in ctx.model_clauses)
                break
    events += _merge_offers(clause_events)
    for event in events:
        if event.type in (T.EXPORT_RESTRICTION, T.SANCTION, T.TARIFF):
            ctx.last_measure = event
    # The price reader knows price sentences best (the level a conjoined verb reached, the unit of
    # the earlier price, a past-tense market report dated to the article): its event replaces
    # the clause rules' price moves.
    price = _price_change(sent, ctx, evidence, attribution)
    if price is not None:
        events = [e for e in events if e.type is not T.PRICE_CHANGE] + [price]
    # The model's events do not silence a statement: "X stressed that the milestone marks growth"
    # is first of all what X said.
    statement = _statement(sent, ctx, attribution, evidence,
                           has_events=ruled or rank is not None or price is not None)
    if statement is not None:
        events.append(statement)
    return events


def _evidence(sent: Span) -> Evidence:
    """The sentence without the line breaks and spaces around it."""
    text = span_text(sent)
    stripped = text.strip()
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return Evidence(start, start + len(stripped), stripped)


def _merge_offers(clause_events: list[tuple[Token, Event]]) -> list[Event]:
    """ "offered to sell copper", "ready to resume supplies, selling 2 million tonnes": the sale
    inside an offer is the offer's content, not a second event; its roles fill the offer's gaps."""
    offers = [(verb, event) for verb, event in clause_events if event.type is T.OFFER]
    merged: list[Event] = []
    absorbed: set[int] = set()
    for index, (verb, event) in enumerate(clause_events):
        if event.type not in (T.SALE_OR_SUPPLY, T.PURCHASE_OR_IMPORT):
            continue
        for offer_verb, offer in offers:
            nested = verb in offer_verb.subtree or offer_verb in verb.subtree
            same = event.agent in (None, offer.agent) or bool(set(event.themes) & set(offer.themes))
            if verb.i != offer_verb.i and (nested or same):
                absorbed.add(index)
                break
    for index, (verb, event) in enumerate(clause_events):
        if index in absorbed:
            continue
        if event.type is T.OFFER:
            for other_index in absorbed:
                other = clause_events[other_index][1]
                event = replace(event, quantity=event.quantity or other.quantity,
                                recipients=event.recipients or other.recipients,
                                themes=event.themes or other.themes,
                                agent=event.agent or other.agent)
        merged.append(event)
    return merged


# --- clause events -------------------------------------------------------------------------

def _clauses(sent: Span, covered: set[int], ctx: SentenceContext) -> dict[Token, list[list[tuple[Token, EventType]]]]:
    """Triggers of the sentence grouped by the verb of their clause, as alternatives to try in turn.

    Triggers come from the rules and from the trained model (``doc.spans["geokg_triggers"]``),
    each only for the types the registry gives it (``EventTypeSpec.source``). Where the rules
    name a clause they are tried first (they are the more precise: measured on CrudeOilNews dev
    and news-dev); the model's triggers are the fallback there and the only ones elsewhere. A
    direction word takes its type from what moves ("prices are down" is a price change whatever
    the model's label; see :func:`geokg.extract.moves.moved_kind`).
    """
    rules: dict[Token, list[tuple[Token, EventType]]] = {}
    model: dict[Token, list[tuple[Token, EventType]]] = {}
    def is_commodity(token: Token) -> bool:
        return _is_commodity(token, ctx.linked)
    for token, kind, score in _trained_triggers(sent):
        if token.i not in covered and SPECS[kind.value].source != "rules" and score >= TRIGGER_THRESHOLD \
                and _lemma(token) not in READY:  # "ready to work with partners": the rules read readiness
            if kind in _MOVES and _is_direction(token):
                if _in_goal(token):
                    continue
                kind = moved_kind(token, is_commodity) or kind
            model.setdefault(_clause_verb(token), []).append((token, kind))
            ctx.trigger_scores[token.i] = score
    for token in sent:
        if token.i in covered or token.pos_ not in ("VERB", "NOUN", "PROPN", "ADJ", "ADV"):
            continue
        kind = _classify(token) if token.pos_ != "ADV" else None
        if kind is None and _anaphoric_measure(token, ctx):
            kind = ctx.last_measure.type  # type: ignore[union-attr]
        if kind is None and _is_direction(token) and not _in_goal(token):
            kind = moved_kind(token, is_commodity)  # a move rule serves every type it names
        elif kind is not None and SPECS[kind.value].source == "model":
            kind = None
        if kind is not None:
            rules.setdefault(_clause_verb(token), []).append((token, kind))
    for verb in [v for v in model if v not in rules]:
        # "agreed to sell copper": the sale the rules found is the act agreed on, not a second event.
        if any(r.head == verb and r.dep_ == "xcomp" and {k for _, k in rules[r]} & _TRADE for r in rules):
            del model[verb]
    ctx.model_clauses.update(verb.i for verb in model if verb not in rules)
    alternatives = {verb: [triggers] for verb, triggers in rules.items()}
    for verb, triggers in model.items():
        alternatives.setdefault(verb, []).append(triggers)
    return dict(sorted(alternatives.items(), key=lambda item: min(t.i for t, _ in item[1][0])))


def _in_goal(token: Token) -> bool:
    """ "aiming to stabilize rising prices", "seeks to boost output": a move someone aims at."""
    return any(a.dep_ == "xcomp" and _lemma(a.head) in GOALS for a in (token, *token.ancestors))


def _is_direction(token: Token) -> bool:
    return _lemma(token) in DIRECTION_WORDS or token.lower_ in DIRECTION_WORDS


# Types that are a quantity moving: what moves decides which ("a disruption" or "a forecast" stays one).
_MOVES = {T.PRICE_CHANGE, T.PRODUCTION, T.DEMAND_CHANGE, T.INVENTORY_CHANGE, T.TRADE_CHANGE, T.ECONOMIC_TREND}
_TRADE = {T.OFFER, T.SALE_OR_SUPPLY, T.PURCHASE_OR_IMPORT}


def _trained_triggers(sent: Span) -> list[tuple[Token, EventType, float]]:
    """The model's triggers in the sentence, with the probability of their label."""
    spans = sent.doc.spans.get(SPANS_KEY) if sent.doc.spans else None
    if not spans:
        return []
    scores = spans.attrs.get("scores")
    return [(span.root, EventType(span.label_), float(scores[n][0]) if scores is not None else 1.0)
            for n, span in enumerate(spans) if sent.start <= span.start < sent.end and span.label_ in SPECS]


def _lemma(token: Token) -> str:
    lemma = token.lemma_.lower()
    return _LEMMA_FIX.get(lemma, lemma)


def _classify(token: Token) -> EventType | None:
    lemma = _lemma(token)
    if lemma in READY:
        complement = [c for c in token.children if c.dep_ == "xcomp"]
        if complement and complement[0].lemma_ in OFFERABLE:
            return T.OFFER
        if complement and complement[0].lemma_ in ("meet", "talk"):
            return T.MEETING
        return None
    if lemma == "order" and token.pos_ == "NOUN" and any(c.lower_ == "for" for c in token.children):
        return T.PURCHASE_OR_IMPORT  # "placed an order for Russian crude"
    if lemma in CONSIGNMENTS and token.dep_ == "nsubj" and _lemma(token.head) in ARRIVALS:
        return T.PURCHASE_OR_IMPORT  # "the first cargo of Russian crude has arrived in Karachi"
    if lemma in WORK_NOUNS and token.dep_ == "dobj" and \
            _lemma(token.head) in RESTRICTIVE | {"resume", "restart", "end", "start"}:
        return T.PRODUCTION  # "the mine stopped operations"
    kind = TRIGGERS.get(lemma)
    if kind is None:
        return None
    if token.pos_ in ("NOUN", "PROPN") and _reference_only(token):
        return None
    if lemma == "cap" and not any(c.lemma_ == "price" for c in token.children):
        return None  # "market cap"; "a price cap on Russian oil" is a measure
    if lemma in RESTRICTIVE:
        return _restriction_kind(token)
    if lemma in ("export", "import") and _restricted(token):
        return None  # the restriction verb or noun carries the event
    if lemma in ("export", "import", "supply") and token.pos_ == "NOUN" and (
            _lemma(token.head) in DIRECTION_WORDS
            or any(c.dep_ == "amod" and _lemma(c) in DIRECTION_WORDS for c in token.children)):
        # "cut crude exports", "imports rose", "higher supply from Libya": a volume moves, nothing
        # is sold. A cut in supply is a cut in output, never a supply; supply to someone, by a
        # route, or cut off, stays a flow between parties.
        if lemma != "supply":
            return T.TRADE_CHANGE
        if not _in_goal(token) and not any(c.lower_ in ("to", "via", "through", "off") for c in (*token.children, *token.head.children)):
            return T.PRODUCTION
    if lemma in ("propose", "promise", "pledge") and not any(c.dep_ in ("xcomp", "dobj") and c.lemma_ in OFFERABLE | {"supply", "deliver"} for c in token.children):
        return None
    if lemma in ("control", "stop", "block") and token.pos_ != "VERB":
        return None
    if lemma == "accord" and token.lower_ == "according":
        return None
    if lemma in ("deal", "contract", "sign") and token.pos_ != ("VERB" if lemma == "sign" else "NOUN"):
        return None  # "to deal with prices", "the economy contracted"
    if lemma in ("supply", "export", "import", "output", "production") and token.pos_ == "NOUN" and any(
            (c.dep_ in _MODIFIERS and c.lemma_.lower() in AGGREGATE) or (c.dep_ == "poss" and c.lower_ in ("world", "world's"))
            for c in token.children):
        return None
    if kind in (T.PRODUCTION, T.SALE_OR_SUPPLY, T.PURCHASE_OR_IMPORT) and token.dep_ == "acl":
        return None  # "diamonds produced in Russia", "uranium mined by X": a description
    if lemma == "talk" and token.pos_ != "NOUN":
        return None
    if lemma == "mine" and token.pos_ != "VERB":
        return None
    if lemma == "flow" and token.pos_ != "NOUN":
        return None
    return kind


def _restriction_kind(token: Token) -> EventType | None:
    """ "banned exports" is an export restriction; "banned imports" a sanction."""
    window = [t.lemma_.lower() for t in token.subtree] + [t.lemma_.lower() for t in token.head.subtree]
    near = [t.lemma_.lower() for t in token.children] + [token.head.lemma_.lower()]
    if any(w in ("export", "exporter", "shipment", "sale") for w in near) or token.head.lemma_ == "export":
        return T.EXPORT_RESTRICTION
    if any(w in ("import", "purchase") for w in near):
        return T.SANCTION
    if "export" in window:
        return T.EXPORT_RESTRICTION
    if "import" in window:
        return T.SANCTION
    # "banning Australian coal", "a ban on Russian diamonds": goods named by their origin are
    # kept out, a sanction on that country.
    targets = token.subtree if token.pos_ != "VERB" else (t for c in token.children if c.dep_ == "dobj"
                                                            for t in c.subtree)
    if any(t.ent_type_ in ("NORP", "GPE") and t.dep_ in ("amod", "compound") for t in targets):
        return T.SANCTION
    return None


def _anaphoric_measure(token: Token, ctx: SentenceContext) -> bool:
    """ "the ban", "the restrictions": the measure the article told of before."""
    return (ctx.last_measure is not None and token.pos_ == "NOUN" and _lemma(token) in _MEASURES
            and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children))


def _reference_only(token: Token) -> bool:
    """A nominal trigger that only refers to an event: "following the meeting", "the arrival of
    the cargo", "Russia's gas export losses" (a trigger inside a noun phrase about something else)."""
    head = token.head
    if token.dep_ == "pobj" and head.lower_ in TEMPORAL_PREPS | FRAMEWORK_PREPS:
        return True
    if token.dep_ == "compound" and head.pos_ == "NOUN" and TRIGGERS.get(_lemma(head)) is None \
            and _lemma(head) not in _MEASURES:
        return True
    if token.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ == "NOUN":
        owner = head.head
        return TRIGGERS.get(_lemma(owner)) is None and _lemma(owner) not in _MEASURES | {"order"}
    return False


_MEASURES = RESTRICTIVE | {"tariff", "duty", "levy", "sanction", "embargo"}


def _restricted(token: Token) -> bool:
    """ "a ban on exports", "duties totalling 80 percent on barley imports": the trade flow is
    what a measure targets, not an event of its own. Walks up within the noun phrase."""
    if any(t.lemma_.lower() in RESTRICTIVE for t in token.children):
        return True
    for ancestor in token.ancestors:
        if ancestor.lemma_.lower() in _MEASURES:
            return True
        if ancestor.pos_ in ("VERB", "AUX") and ancestor.dep_ != "acl":
            return ancestor.lemma_.lower() in RESTRICTIVE
    return False


def _clause_verb(token: Token) -> Token:
    """The verb whose clause a trigger names: a trigger verb is its own clause ("offered",
    "sell"), "ready to X" belongs to X, and a noun to the verb that governs it ("signed a deal")."""
    if token.lemma_.lower() in READY:
        complement = [c for c in token.children if c.dep_ == "xcomp"]
        return complement[0] if complement else token
    current = token
    for _ in range(8):
        if current.pos_ in ("VERB", "AUX") or current.head.i == current.i:
            return current
        current = current.head
    return current


# "output rose" in a story about copper is about copper.
_COMMODITY_FROM_CONTEXT = {T.PRODUCTION, T.SALE_OR_SUPPLY, T.PURCHASE_OR_IMPORT, T.TARIFF, T.PRICE_CHANGE,
                           T.TRADE_CHANGE, T.DEMAND_CHANGE, T.INVENTORY_CHANGE, T.SUPPLY_DISRUPTION,
                           T.MARKET_BALANCE, T.FORECAST}


def _clause_event(sent: Span, verb: Token, triggers: list[tuple[Token, EventType]], ctx: SentenceContext,
                  attribution: Attribution, evidence: Evidence) -> Event | None:
    kind = min((k for _, k in triggers), key=PRIORITY.index)
    # "cut Japanese imports": the noun that names the flow carries its modifiers, not the move word.
    trigger = min((t for t, k in triggers if k is kind), key=_is_direction)
    spec = SPECS[kind.value]
    if verb.lemma_ in SPEECH_VERBS and trigger.i == verb.i:
        return None
    if _negated(verb):
        return None  # "failed to reach an agreement", "did not provide deliveries"
    linked = ctx.linked
    scope = _scope(verb, trigger)
    agent = _agent(verb, trigger, ctx)
    if agent is not None and agent.kind is EntityKind.MEDIA:
        agent = None  # an outlet reports acts, it does not do them
    if kind is T.PURCHASE_OR_IMPORT and _lemma(verb) in ARRIVALS:
        agent = None  # the cargo's subject phrase names its origin; where it arrives names the buyer
    in_sent = linked.in_span(sent.start, sent.end)
    themes = tuple(linked.in_span(scope[0], scope[1], {EntityKind.COMMODITY})) or \
        tuple(ref for ref in in_sent if ref.kind is EntityKind.COMMODITY)
    if ctx.last_measure is not None and _anaphoric_measure(trigger, ctx):
        themes = themes or ctx.last_measure.themes
        if agent is None or agent not in in_sent:
            agent = ctx.last_measure.agent  # "the country imposed the ban": the ban's owner
    if not themes and kind in _COMMODITY_FROM_CONTEXT and ctx.last_commodity:
        themes = (_salient_commodity(ctx),)  # "output rose" in a story about the commodity
    confidence = ctx.trigger_scores.get(trigger.i) or CONFIDENCE["verb" if trigger.pos_ == "VERB" else "noun"]
    if themes and themes[0] not in in_sent:
        confidence -= PENALTY["context_theme"]
    if agent is None and (spec.needs_agent or kind in _NATIONAL_MOVES):
        agent = _implicit_agent(kind, verb, scope, attribution, ctx)
        confidence -= PENALTY["implicit"]
    elif agent not in in_sent:
        confidence -= PENALTY["coreference"]
    recipients, counterparties = _parties(verb, trigger, kind, ctx, agent)
    if kind is T.EXPORT_RESTRICTION and agent is not None:
        # "a price cap on Russian oil exports" by the G7: not its own exports, a sanction on Russia.
        foreign = [r for r in _demonym_targets(trigger, linked, ("amod", "compound", "poss")) if r != agent]
        if foreign and agent.kind in (EntityKind.COUNTRY, EntityKind.ORGANIZATION):
            kind = T.SANCTION
    if kind in (T.SANCTION, T.TARIFF) and not recipients:
        recipients = tuple(r for r in _demonym_targets(trigger, linked) + _origin_targets(verb, trigger, linked)
                           if r != agent)
    if agent is None and (spec.needs_agent or not (themes or recipients)):
        return None  # "there would be deals": no one to attribute the act to
    if kind is T.FORECAST and not _forecasts_something(trigger):
        return None  # "BHP expects to thrive", "plans to announce them this year": no figure foreseen
    place = _place(verb, trigger, linked)
    quantity = _quantity(sent, trigger, kind, scope)
    direction = change = previous = None
    if spec.directional:
        direction = direction_of(trigger, verb)
        move = move_quantities(sent, trigger, scope)
        change, previous = move.change, move.previous
        if change is not None or previous is not None:
            quantity = move.level  # "cut by 500,000 bpd" is a change; the level, if any, is "to X"
    on_behalf_of = (ctx.person_countries or {}).get(agent) if agent is not None else None
    if kind in (T.SANCTION, T.TARIFF, T.EXPORT_RESTRICTION) and agent is not None \
            and agent.kind is EntityKind.ORGANIZATION and on_behalf_of is not None:
        # A ministry or commission issues the measure; the state imposes it (news-dev's "issuer").
        agent, on_behalf_of = on_behalf_of, None
    return Event(
        type=kind, evidence=evidence, agent=agent, on_behalf_of=on_behalf_of, themes=themes,
        recipients=recipients, counterparties=counterparties, place=place, quantity=quantity,
        direction=direction, change=change, previous=previous,
        date=_date(sent, ctx.anchor, scope, verb=verb) or _reported_today(verb, ctx.anchor),
        status=_status(verb, trigger, kind),
        # The speaker before the outlet, even when the speaker is the actor ("Gazprom announced
        # it halted supplies"); the article's source only when the sentence names neither.
        attributed_to=attribution.source or attribution.outlet or ctx.default_source,
        reported_by=attribution.outlet, confidence=max(0.1, round(confidence, 2)),
    )


def _forecasts_something(trigger: Token) -> bool:
    """A forecast names what it foresees: a figure, a market measure or a move of one."""
    scope = trigger.subtree if trigger.pos_ == "NOUN" else trigger.head.subtree  # a verb: its whole clause
    return any(t.ent_type_ in ("MONEY", "PERCENT", "QUANTITY", "CARDINAL") or names_a_measure(t)
               or _is_direction(t) for t in scope if t.i != trigger.i)


def _after_from(doc: Doc, linked: LinkedDoc, ref: EntityRef, scope: tuple[int, int]) -> bool:
    """Whether ``ref`` is the origin ("from Russia") rather than the destination."""
    return any(linked.by_token.get(t.i) == ref and t.head.lower_ == "from" for t in doc[scope[0]:scope[1]])


def _negated(verb: Token) -> bool:
    for token in (verb, *verb.ancestors):
        if any(c.dep_ == "neg" for c in token.children) or token.lemma_ in ("fail", "refuse", "deny"):
            return True
        if token.dep_ not in ("xcomp", "ccomp", "conj"):
            return False
    return False


def _salient_commodity(ctx: SentenceContext) -> EntityRef | None:
    """The commodity the story is about so far: the most mentioned, the latest on a tie."""
    seen = [ref for ref in ctx.mention_counts if ref.kind is EntityKind.COMMODITY]
    if not seen:
        return ctx.last_commodity
    top = max(ctx.mention_counts[ref] for ref in seen)
    if ctx.last_commodity is not None and ctx.mention_counts.get(ctx.last_commodity) == top:
        return ctx.last_commodity
    return next(ref for ref in reversed(seen) if ctx.mention_counts[ref] == top)


# Moves of a country's aggregate: its output, exports, imports, demand or stocks.
_NATIONAL_MOVES = {T.PRODUCTION, T.TRADE_CHANGE, T.DEMAND_CHANGE, T.INVENTORY_CHANGE}


def _country_of_move(verb: Token, scope: tuple[int, int], ctx: SentenceContext) -> EntityRef | None:
    """Whose aggregate moves: the country that qualifies the moving noun ("Saudi output",
    "Iraq's production") or where it moves ("production fell by 170,000 bpd in Iraq", "output
    at the Rumaila oilfield in Iraq"); a place or facility stands for its country."""
    for token in verb.doc[scope[0]:scope[1]]:
        if token.dep_ in ("amod", "compound", "poss") and token.head.pos_ == "NOUN" and names_a_measure(token.head) \
                or token.dep_ == "pobj" and token.head.lower_ in ("in", "at"):
            ref = ctx.linked.by_token.get(token.i)
            if ref is not None and ref.kind is not EntityKind.COUNTRY:
                ref = (ctx.person_countries or {}).get(ref) if ref.kind in _PLACES else None
            if ref is not None:
                return ref
    return None


def _implicit_agent(kind: EventType, verb: Token, scope: tuple[int, int], attribution: Attribution,
                    ctx: SentenceContext) -> EntityRef | None:
    """Agentless clauses whose actor the context names: a measure in the passive reported by a
    state ("the ministry said duties would be levied") is that state's; production "at the X
    plant" is the company's."""
    if kind is T.PURCHASE_OR_IMPORT and _lemma(verb) in ARRIVALS:
        places = ctx.linked.in_span(scope[0], scope[1], {EntityKind.PLACE, EntityKind.COUNTRY})
        for place in places:
            country = place if place.kind is EntityKind.COUNTRY else (ctx.person_countries or {}).get(place)
            if country is not None and not _after_from(verb.doc, ctx.linked, place, scope):
                return country
    if kind in (T.TARIFF, T.SANCTION, T.EXPORT_RESTRICTION) and attribution.speaker is not None:
        speaker = attribution.speaker
        if speaker.kind is EntityKind.COUNTRY:
            return speaker
        return (ctx.person_countries or {}).get(speaker)
    if kind is T.PRODUCTION:
        companies = ctx.linked.in_span(scope[0], scope[1], {EntityKind.COMPANY})
        if companies:
            return companies[0]
    if kind in _NATIONAL_MOVES:
        return _country_of_move(verb, scope, ctx)
    if kind in (T.SALE_OR_SUPPLY, T.PRODUCTION) and verb.tag_ == "VBN":
        # "Most Belarusian potash is exported to Brazil": the goods' country is the seller.
        for subject in (c for c in verb.children if c.dep_ == "nsubjpass"):
            for token in subject.subtree:
                ref = ctx.linked.by_token.get(token.i)
                if ref is not None and ref.kind is EntityKind.COUNTRY and token.dep_ in ("amod", "compound", "poss"):
                    return ref
    return None


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


def _agent(verb: Token, trigger: Token, ctx: SentenceContext) -> EntityRef | None:
    linked = ctx.linked
    if trigger.pos_ == "NOUN":
        goods = [c.i for c in trigger.children if _is_commodity(c, linked)]
        for child in trigger.children:
            if child.dep_ == "poss" and child.lower_ == "its":
                found = _its_referent(child, linked)
                if found is not None:
                    return found
            if child.dep_ in ("poss", "amod", "compound", "nmod"):
                ref = linked.by_token.get(child.i)
                if ref is None or ref.kind not in ACTORS or child.i > trigger.i:
                    continue
                if child.dep_ == "poss":
                    return ref
                # "US imports from India": the country trading; "Australian barley imports": the
                # goods' origin, when a commodity stands between.
                if _lemma(trigger) in TRADE_NOUNS and not any(child.i < g < trigger.i for g in goods):
                    return ref
            if child.dep_ == "prep" and child.lower_ == "by":
                # "the sale of wheat to Egypt by Romania": the nominal act's own agent phrase
                found = linked.in_span(child.i + 1, child.right_edge.i + 1, ACTORS)
                if found:
                    return found[0]
    current = verb
    for _ in range(6):
        passive_agent = [c for c in current.children if c.dep_ == "agent"]
        for by in passive_agent:
            found = linked.in_span(by.left_edge.i, by.right_edge.i + 1, ACTORS)
            if found:
                return found[0]
        subject = [c for c in current.children if c.dep_ in ("nsubj", "csubj")]
        if subject:
            return _resolve_subject(subject[0], ctx)
        if current.dep_ in ("xcomp", "acomp", "advcl", "conj", "relcl", "acl", "pcomp", "prep") \
                and current.head.i != current.i:
            current = current.head
            continue
        break
    return None


def _its_referent(pronoun: Token, linked: LinkedDoc) -> EntityRef | None:
    """ "Australia … half its exports": the subject of a clause above, when a state or company names
    it; else the nearest one before ("threats to India over its purchases")."""
    kinds = ACTORS - {EntityKind.PERSON, EntityKind.MEDIA}
    for ancestor in pronoun.ancestors:
        for subject in (c for c in ancestor.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < pronoun.i):
            ref = linked.by_token.get(subject.i)
            if ref is not None and ref.kind in kinds:
                return ref
    before = linked.in_span(pronoun.sent.start, pronoun.i, kinds)
    return before[-1] if before else None


TRADE_NOUNS = {"import", "export", "purchase", "sale", "shipment", "delivery"}


def _is_commodity(token: Token, linked: LinkedDoc) -> bool:
    ref = linked.by_token.get(token.i)
    return ref is not None and ref.kind is EntityKind.COMMODITY


def _resolve_subject(subject: Token, ctx: SentenceContext) -> EntityRef | None:
    linked = ctx.linked
    ref = linked.by_token.get(subject.i)
    if ref is not None and ref.kind in ACTORS:
        return _acting_for(subject, ref, ctx)
    # "Russia's state-owned energy corporation Gazprom": the named head, not its owner; "Russian
    # crude imports": a demonym on goods is their origin, not who acts.
    for token in subject.subtree:
        ref = linked.by_token.get(token.i)
        if ref is not None and ref.kind in ACTORS and token.dep_ in ("appos", "compound") \
                and token.head.i == subject.i and token.ent_type_ not in ("NORP",):
            return _acting_for(subject, ref, ctx)
    lower = subject.lower_
    sent = subject.sent
    if lower in ("he", "she"):
        earlier = linked.in_span(sent.start, subject.i, {EntityKind.PERSON})
        return earlier[0] if earlier else ctx.last_person
    if lower in ("it", "they", "we"):
        # "China said it would…": the subject of the clause above; else the last sentence's subject.
        for ancestor in subject.head.ancestors:
            above = [c for c in ancestor.children if c.dep_ == "nsubj" and c.i < subject.i]
            ref = linked.by_token.get(above[0].i) if above else None
            if ref is not None and ref.kind in ACTORS - {EntityKind.PERSON, EntityKind.MEDIA}:
                return ref
        return ctx.last_subject or ctx.last_actor
    found = [linked.by_token[t.i] for t in subject.subtree if t.i in linked.by_token
             and linked.by_token[t.i].kind in ACTORS and not _origin_modifier(t, linked)]
    if found:
        return _acting_for(subject, found[0], ctx)
    return _title_referent(subject, ctx)


def _origin_modifier(token: Token, linked: LinkedDoc) -> bool:
    """ "Russian" in "the import of Russian crude": where the goods come from."""
    if token.dep_ not in ("amod", "compound", "nmod"):
        return False
    head = linked.by_token.get(token.head.i)
    return (head is not None and head.kind is EntityKind.COMMODITY) or TRIGGERS.get(_lemma(token.head)) is not None


def _acting_for(subject: Token, ref: EntityRef, ctx: SentenceContext) -> EntityRef:
    """ "the Biden administration", "the Morrison government": the leader's state acts."""
    if ref.kind is EntityKind.PERSON and subject.lemma_.lower() in ("administration", "government", "cabinet"):
        return (ctx.person_countries or {}).get(ref, ref)
    return ref


# "the country", "the company", "the minister": the last entity of that kind named before.
TITLE_NOUNS = {
    "country": EntityKind.COUNTRY, "nation": EntityKind.COUNTRY, "state": EntityKind.COUNTRY,
    "kingdom": EntityKind.COUNTRY, "republic": EntityKind.COUNTRY,
    "company": EntityKind.COMPANY, "firm": EntityKind.COMPANY, "miner": EntityKind.COMPANY,
    "producer": EntityKind.COMPANY, "group": EntityKind.COMPANY, "giant": EntityKind.COMPANY,
    "bloc": EntityKind.ORGANIZATION, "cartel": EntityKind.ORGANIZATION, "organisation": EntityKind.ORGANIZATION,
    "organization": EntityKind.ORGANIZATION,
    "minister": EntityKind.PERSON, "president": EntityKind.PERSON, "leader": EntityKind.PERSON,
    "premier": EntityKind.PERSON, "chancellor": EntityKind.PERSON, "official": EntityKind.PERSON,
    "executive": EntityKind.PERSON,
}


def _title_referent(subject: Token, ctx: SentenceContext) -> EntityRef | None:
    kind = TITLE_NOUNS.get(subject.lemma_.lower())
    determiners = {c.lower_ for c in subject.children if c.dep_ == "det"}
    if kind is None or not determiners & {"the", "these", "those", "this"}:
        return None
    sent = subject.sent
    earlier = ctx.linked.in_span(sent.start, subject.i, {kind})
    if earlier:
        return earlier[-1]
    if subject.tag_ == "NNS":  # "these companies": the ones just listed
        return ctx.last_of_kind.get(kind)
    if ctx.last_subject is not None and ctx.last_subject.kind is kind:
        return ctx.last_subject
    # Else the most mentioned of that kind so far: what the story is about, not a passing mention.
    seen = [ref for ref in ctx.mention_counts if ref.kind is kind]
    return max(reversed(seen), key=ctx.mention_counts.__getitem__) if seen else None


def _parties(verb: Token, trigger: Token, kind: EventType, ctx: SentenceContext,
             agent: EntityRef | None) -> tuple[tuple[EntityRef, ...], tuple[EntityRef, ...]]:
    """Recipients ("to X", "X" as dative, "on X") and counterparties ("with X", "from X")."""
    linked = ctx.linked
    recipients: list[EntityRef] = []
    counterparties: list[EntityRef] = []
    heads = {verb, trigger} | {t for t in verb.subtree if t.dep_ in ("xcomp", "dobj", "advcl") and t.head in (verb, trigger)}
    for head in heads:
        for child in head.children:
            if child.dep_ == "dative" or (child.dep_ == "dobj" and kind is T.OFFER and _is_party(child, linked)):
                recipients += _entities_under(child, linked)
    # Prepositions anywhere in the clause, not inside a nested clause: "banned exports of gallium
    # and germanium to the United States" attaches "to" to a commodity, not to the verb.
    clause = [t for t in verb.subtree if t.dep_ == "prep" and _owning_verb(t) in (verb, trigger)]
    if trigger not in verb.subtree:
        clause += [t for t in trigger.subtree if t.dep_ == "prep"]
    for child in clause:
        prep = child.lower_
        targets = _entities_under(child, linked)
        if prep in ("to", "for", "into") and kind is not T.PURCHASE_OR_IMPORT:
            recipients += targets
        elif prep == "on" and kind in (T.SANCTION, T.TARIFF, T.EXPORT_RESTRICTION):
            recipients += targets
        elif prep == "against" and kind in (T.SANCTION, T.TARIFF):
            recipients += targets
        elif prep in ("with", "between"):
            counterparties += targets
        elif prep == "from" and kind is T.PURCHASE_OR_IMPORT:
            counterparties += targets
    drop = {agent}
    return _unique(r for r in recipients if r not in drop), _unique(c for c in counterparties if c not in drop)


def _owning_verb(token: Token) -> Token:
    current = token.head
    while current.pos_ not in ("VERB", "AUX") and current.head.i != current.i:
        current = current.head
    return current


def _is_party(token: Token, linked: LinkedDoc) -> bool:
    ref = linked.by_token.get(token.i)
    return ref is not None and ref.kind in ACTORS


def _entities_under(token: Token, linked: LinkedDoc) -> list[EntityRef]:
    """Party entities (actors and places) in the phrase a token heads."""
    return linked.in_span(token.left_edge.i, token.right_edge.i + 1, PARTIES)


def _demonym_targets(trigger: Token, linked: LinkedDoc,
                     deps: tuple[str, ...] = ("amod", "compound", "poss", "pobj")) -> list[EntityRef]:
    """ "duties on Australian barley", "sanctions on Russian diamonds": the country of the goods."""
    found = []
    for token in trigger.subtree:
        ref = linked.by_token.get(token.i)
        if ref is not None and ref.kind is EntityKind.COUNTRY and token.dep_ in deps and \
                linked.by_token.get(token.head.i) != ref and \
                not (token.dep_ != "pobj" and token.head.dep_ == "nsubj"):
            found.append(ref)
    return found


def _origin_targets(verb: Token, trigger: Token, linked: LinkedDoc) -> list[EntityRef]:
    """ "tariffs on solar panels from Vietnam", "duties on steel imports from China and India":
    the countries the taxed or banned goods come from ("from" on the goods, or on the verb
    whose object the measure is)."""
    froms = [t for t in trigger.subtree if t.lower_ == "from" and t.head.pos_ == "NOUN" and t.head.i != trigger.i]
    if trigger.dep_ == "dobj" and trigger.head.i == verb.i:
        froms += [c for c in verb.children if c.lower_ == "from" and c.dep_ == "prep"]
    found = []
    for preposition in froms:
        for obj in (c for c in preposition.children if c.dep_ == "pobj"):
            for token in (obj, *(c for c in obj.children if c.dep_ == "conj")):
                ref = linked.by_token.get(token.i)
                if ref is not None and ref.kind is EntityKind.COUNTRY and ref not in found:
                    found.append(ref)
    return found


def _place(verb: Token, trigger: Token, linked: LinkedDoc) -> EntityRef | None:
    """Where: "in", "at" or "near" a place or facility after the trigger, its verb or the verb's
    subject ("output at the Rumaila oilfield fell"); a facility before a place in its phrase."""
    subjects = [child for child in verb.children if child.dep_ in ("nsubj", "nsubjpass")]
    for head in (trigger, verb, *subjects):
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "at", "near"):
                found = linked.in_span(child.left_edge.i, child.right_edge.i + 1, _PLACES)
                if found:
                    return next((ref for ref in found if ref.kind is EntityKind.FACILITY), found[0])
    return None


_AMOUNT_UNITS_PENALTY = 200  # a percentage is rarely the amount of a trade or production fact
_FROM_PENALTY = 1000  # "from 8.1 bcm to 12 bcm": the earlier level
_BY_PENALTY = 300  # "raised by 20% to 1,800 francs": the size of the move, not the new level
_OUT_OF_CLAUSE_PENALTY = 150  # a figure of another clause, unless the clause has none that fits


def _quantity(sent: Span, trigger: Token, kind: EventType | None = None,
              scope: tuple[int, int] | None = None) -> Quantity | None:
    """The quantity of the fact: in its clause if one is there, nearest the trigger, preferring
    the level reached ("to X") over the starting level ("from X") and the size of a move ("by X")."""
    offset = sent.start_char
    doc = sent.doc
    lo = doc[scope[0]].idx - offset if scope else 0
    hi = doc[scope[1] - 1].idx + len(doc[scope[1] - 1]) - offset if scope else len(span_text(sent))
    candidates = list(iter_quantities(span_text(sent)))
    best: tuple[int, Quantity] | None = None
    for start, _end, quantity in candidates:
        cost = abs(offset + start - trigger.idx)
        if not lo <= start < hi:
            cost += _OUT_OF_CLAUSE_PENALTY
        before = span_text(sent)[:start].rstrip().lower()
        last_word = before.rsplit(None, 1)[-1] if before else ""
        if last_word == "from":
            cost += _FROM_PENALTY
        elif last_word == "by" and len(candidates) > 1:
            cost += _BY_PENALTY
        if quantity.unit == "percent" and kind in (T.SALE_OR_SUPPLY, T.PURCHASE_OR_IMPORT, T.PRODUCTION,
                                                   T.PRICE_CHANGE):
            cost += _AMOUNT_UNITS_PENALTY
        if best is None or cost < best[0]:
            best = (cost, quantity)
    return best[1] if best else None


def _date(sent: Span, anchor: dt.date | None, scope: tuple[int, int] | None = None,
          outside_quotes: bool = False, verb: Token | None = None) -> dt.date | None:
    """The first resolvable date of the clause, else of the sentence. News reports what
    happened: a bare weekday is the last one, unless the sentence looks ahead ("will"); a day
    with its month is whichever year is nearest. A statement's date is not one it quotes."""
    future = any(t.lower_ in ("will", "shall") for t in sent)
    ents = [e for e in sent.ents if e.label_ == "DATE"]
    if outside_quotes:
        ents = [e for e in ents if not _quoted(sent, e.start_char)]
    if verb is not None:
        ents.sort(key=lambda e: _date_rank(e, verb))
    elif scope is not None:
        ents.sort(key=lambda e: not scope[0] <= e.start < scope[1])
    for ent in ents:
        tense = _tense(_owning_verb(ent.root))
        prefer = "nearest" if _HAS_MONTH.search(ent.text) else tense or ("future" if future else "past")
        # "on Thursday and Friday", "Dec. 6-7": a span of days starts on its first.
        for text in (ent.text, re.split(r"\s+(?:and|to|through)\s+|\s*[-–]\s*(?=\w)", ent.text)[0]):
            resolved = resolve_date(text, anchor, prefer=prefer)
            if resolved is not None:
                return resolved
    return None


def _tense(verb: Token) -> str | None:
    """ "past" or "future" when the verb a date hangs on says ("a deal signed on Monday" is past
    even in a sentence about what will happen; "will meet on Monday" is ahead), else None: an
    infinitive ("offered to sell … on Monday") takes its time from the sentence."""
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    if any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll") for c in verb.children):
        return "future"
    if verb.tag_ == "VBD" or verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl", "advcl"):
        return "past"
    return None


def _date_rank(ent: Span, verb: Token) -> int:
    """Which date dates a clause: one on its verb ("banned … on Tuesday"), then one on a verb above
    it ("announced on Sunday that the cargo has arrived"), then one further down ("with unloading
    starting tomorrow"), then any other."""
    owner = _owning_verb(ent.root)
    if owner == verb:
        return 0
    if owner in verb.ancestors:
        return 1
    if verb in owner.ancestors:
        return 2
    return 3


def _quoted(sent: Span, char: int) -> bool:
    before = span_text(sent)[:char - sent.start_char]
    return before.count('"') % 2 == 1 or before.rfind("\u201c") > before.rfind("\u201d")


def _inherit_price_unit(sent: Span, quantity: Quantity | None) -> Quantity | None:
    """ "hit $11,000 per ton … fallen to $7,700": a bare sum after a price takes the price's unit."""
    if quantity is None or " per " in quantity.unit:
        return quantity
    for _start, _end, other in iter_quantities(span_text(sent)):
        if other.unit.startswith(quantity.unit + " per "):
            return replace(quantity, unit=other.unit)
    return quantity


def _reported_today(verb: Token, anchor: dt.date | None, past_tense: bool = False) -> dt.date | None:
    """An undated act the article announces ("X announced that…", "X has promised…") is dated by
    the article: news reports the day's events. Plans ("will", "would") are not."""
    for token in (verb, *verb.ancestors):
        aux = {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}
        if aux & {"will", "would", "shall", "could", "may", "might", "to"}:
            return None
        if token.lemma_ in ("announce", "say", "tell", "confirm", "declare") and token.tag_ in ("VBD", "VBZ"):
            return anchor
        if token.tag_ == "VBN" and aux & {"has", "have"}:
            return anchor
        if token.tag_ == "VBG" and aux & {"is", "are", "am"}:
            return anchor  # "is hosting": happening as the article is written
        if past_tense and token.tag_ == "VBD":
            return anchor  # "the copper price rose": a market report is about the day it is written
    return None


def _status(verb: Token, trigger: Token, kind: EventType) -> str | None:
    lemmas = {t.lemma_.lower() for t in (verb, trigger, *verb.children, *trigger.children)}
    # "ready to meet … to sign an agreement": a wish or plan above the verb makes it prospective.
    above = list(verb.ancestors)
    lemmas |= {t.lemma_.lower() for a in above for t in (a, *a.children) if t.dep_ in ("ROOT", "ccomp", "xcomp", "acomp")
               or t is a} & (READY | PROSPECTIVE)
    future = any(c.lemma_ in ("will", "would", "shall") and c.dep_ == "aux"
                 for t in (verb, *verb.ancestors) for c in t.children)
    if kind is T.OFFER:
        return "offered"
    if kind is T.AGREEMENT:
        if lemmas & {"sign", "ink"} and not future and not (lemmas & (READY | PROSPECTIVE)):
            return "signed"
        if lemmas & {"agree", "reach", "strike", "seal", "conclude"} and not future:
            return "agreed"
        if lemmas & {"negotiate", "discuss", "talk"}:
            return "negotiating"
        return "proposed"
    if kind is T.MEETING:
        return "proposed" if future or lemmas & (READY | PROSPECTIVE) else "held"
    if kind in (T.EXPORT_RESTRICTION, T.SANCTION, T.TARIFF):
        if lemmas & {"lift", "remove", "end", "ease"}:
            return "lifted" if not future else "to be lifted"
        if lemmas & (PROSPECTIVE | {"threaten"}) or future:
            return "proposed"
        return "imposed"
    if future:
        return "planned"
    return None


# --- rankings ---------------------------------------------------------------------------------

def _ranking(sent: Span, ctx: SentenceContext, attribution: Attribution,
             evidence: Evidence) -> tuple[Event, set[int]] | None:
    match = _RANK.search(span_text(sent))
    if match is None:
        return None
    doc = sent.doc
    char = sent.start_char + match.start()
    start_token = next((t for t in sent if t.idx >= char), None)
    if start_token is None:
        return None
    raw = match.group("ord") or match.group("num") or match.group("ord2")
    rank = _ordinal(raw) if raw else 1
    if rank is None or rank < 1:
        return None
    end_char = sent.start_char + match.end()
    after_match = [t for t in sent if t.idx >= end_char]
    head_noun = next((t for t in after_match if t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() in _RANK_MEASURES), None)
    if head_noun is None and after_match:
        head_noun = next((t for t in after_match if t.pos_ == "NOUN"), None)
    measure = _RANK_MEASURES.get(head_noun.lemma_.lower()) if head_noun is not None else None
    linked = ctx.linked
    verb = head_noun.head if head_noun is not None else sent.root
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    agent = _agent(verb, verb, ctx) if verb.pos_ in ("VERB", "AUX") else None
    if agent is None:
        before = linked.in_span(sent.start, start_token.i, {EntityKind.COUNTRY, EntityKind.COMPANY})
        agent = before[-1] if before else None
    if agent is None:
        return None
    after_word = next((t for t in after_match if t.lower_ == "after"), None)
    ranked_after: tuple[EntityRef, ...] = ()
    stop = sent.end
    if after_word is not None:
        for token in doc[after_word.i + 1:sent.end]:
            if token.text in (";", ":") or (token.text == "," and not _continues_list(token)) or token.pos_ == "VERB":
                stop = token.i
                break
        ranked_after = tuple(r for r in linked.in_span(after_word.i + 1, stop, {EntityKind.COUNTRY, EntityKind.COMPANY})
                             if r != agent)
    themes = tuple(linked.in_span(start_token.i, sent.end, {EntityKind.COMMODITY})) or \
        tuple(linked.in_span(sent.start, sent.end, {EntityKind.COMMODITY}))
    covered = set(range(start_token.i, (head_noun.i + 1) if head_noun is not None else start_token.i + 1))
    source = attribution.source or attribution.outlet or ctx.default_source
    if source is None:
        return None  # the shapes require a ranking's source; an unsourced rank is not a fact we can keep
    event = Event(type=T.RESERVES_RANK, evidence=evidence, agent=agent, themes=themes[:1] if themes else (),
                  rank=rank, ranked_after=ranked_after, measure=measure,
                  attributed_to=source, reported_by=attribution.outlet, date=None,
                  confidence=CONFIDENCE["ranking"])
    return event, covered


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


# --- price changes ------------------------------------------------------------------------------

def _price_change(sent: Span, ctx: SentenceContext, evidence: Evidence,
                  attribution: Attribution) -> Event | None:
    for token in sent:
        if token.lower_ not in ("futures",) and token.lemma_.lower() not in ("price", "benchmark", "rate") \
                or token.pos_ != "NOUN" or _in_goal(token):
            continue
        # "prices rose", "futures hit a high … but have since fallen to $7,700"
        verbs = [token.head, *(c for c in token.head.children if c.dep_ == "conj")]
        moves = [(v, DIRECTION_WORDS.get(v.lemma_.lower())) for v in verbs if v.pos_ == "VERB"]
        moves = [(v, d) for v, d in moves if d is not None]
        if not moves:
            continue
        verb, direction = moves[-1]
        confidence = CONFIDENCE["price"]
        themes = tuple(ctx.linked.in_span(sent.start, sent.end, {EntityKind.COMMODITY}))
        if not themes and ctx.last_commodity is not None and token.lemma_.lower() == "price":
            themes = (_salient_commodity(ctx),)  # "domestic fuel prices dropped" after a sentence on diesel
            confidence -= PENALTY["context_theme"]
        if not themes:
            return None
        agent = None
        if token.dep_ in ("dobj",):
            agent = _agent(verb, verb, ctx)
        return Event(type=T.PRICE_CHANGE, evidence=evidence, agent=agent, themes=themes,
                     quantity=_inherit_price_unit(sent, _quantity(sent, verb, T.PRICE_CHANGE)),
                     date=_date(sent, ctx.anchor) or _reported_today(verb, ctx.anchor, past_tense=True),
                     direction=direction,
                     attributed_to=attribution.source or attribution.outlet, reported_by=attribution.outlet,
                     confidence=confidence)
    return None


# --- statements -------------------------------------------------------------------------------

def _statement(sent: Span, ctx: SentenceContext, attribution: Attribution, evidence: Evidence,
               has_events: bool) -> Event | None:
    quotes = _QUOTE.findall(span_text(sent))
    speaker = attribution.speaker
    verb = attribution.speech_verb
    if speaker is None:
        speaker = _colon_speaker(sent, ctx.linked)
    if speaker is None and quotes and verb is None:
        for token in sent:
            if token.lemma_ in SPEECH_VERBS and token.pos_ == "VERB":
                speaker = _pronoun_speaker(token, ctx)
                verb = token
                break
    if speaker is None:
        return None
    if quotes:
        text = " ".join(q.strip(" ,.") for q in quotes)
    elif verb is not None and not has_events:
        complement = [c for c in verb.children if c.dep_ == "ccomp"]
        if not complement:
            return None
        span = sent.doc[complement[0].left_edge.i:complement[0].right_edge.i + 1]
        text = re.sub(r"^(that)\s+", "", span.text)
    else:
        return None
    about = tuple(r for r in ctx.linked.in_span(sent.start, sent.end) if r != speaker and r.kind is not EntityKind.MEDIA)
    # A statement quoted in the news was made when reported unless the text dates it.
    date = _date(sent, ctx.anchor, outside_quotes=True) or ctx.anchor
    return Event(type=T.STATEMENT, evidence=evidence, agent=speaker, quote=text, about=about,
                 date=date, reported_by=attribution.outlet or ctx.default_source,
                 confidence=CONFIDENCE["quote" if quotes else "reported"],
                 attributed_to=attribution.outlet or ctx.default_source)


def _colon_speaker(sent: Span, linked: LinkedDoc) -> EntityRef | None:
    """ 'Putin: "…"' and 'Quote from Putin: "…"' name the speaker before a colon."""
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


def _unique(refs) -> tuple[EntityRef, ...]:
    out: list[EntityRef] = []
    for ref in refs:
        if ref not in out:
            out.append(ref)
    return tuple(out)
