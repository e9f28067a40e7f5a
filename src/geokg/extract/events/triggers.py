"""Triggers: which words of a sentence name an event, of which type, grouped by their clause.

A word names an event when the lexicon lists its lemma for a type (``lexicon/triggers.json``)
and the parse around it agrees: "China banned exports" (a ban on exports: an export
restriction), "the cargo arrived in Karachi" (an import), "the mine stopped operations"
(production). The trained model's triggers (``doc.spans["geokg_triggers"]``) join those of the
rules, clause by clause (:func:`clauses`).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from geokg.event_types import SPECS
from geokg.extract.event_members import T
from geokg.extract.events.context import SentenceContext, is_commodity, lemma
from geokg.extract.lexicon import TRIGGERS, mapping, triggers_of, words
from geokg.extract.linking import FACILITY_NOUNS
from geokg.extract.moves import DIRECTION_WORDS, moved_kind, moves_securities
from geokg.extract.text import SPANS_KEY
from geokg.model import EventType

Triggers = list[tuple[Token, EventType]]

# The trained model's triggers count from this probability of their label on: below it the
# label is too often wrong (set on the CrudeOilNews dev split, a tuning set).
TRIGGER_THRESHOLD = 0.7

# Words of restriction: an export restriction's own triggers ("ban", "quota", "cap").
RESTRICTIVE = triggers_of(T.EXPORT_RESTRICTION)
# Measures an article can refer back to ("the ban", "the duties").
MEASURES = RESTRICTIVE | words("other_measures")
# "ready to supply", "willing to meet": readiness names the act it is ready for.
READY = words("ready")
OFFERABLE = words("offerable")
# "aiming to stabilize rising prices": a move someone aims at, not one that happened.
GOALS = words("goals")
# "a cargo … arrived in Karachi": an import by the country where it arrives.
CONSIGNMENTS = words("consignments")
ARRIVALS = words("arrivals")
# "stopped operations", "resumed work": a mine or plant's production.
WORK_NOUNS = words("work_nouns")
# Verbs that stop or start a mine, refinery or field, and with it its output.
_FACILITY_SWITCHES = RESTRICTIVE | {"shut", "close", "idle", "resume", "restart", "reopen"}
# "world copper supply", "the fuel supply", "supply chain": a market aggregate, not a delivery.
AGGREGATES = words("aggregates")
# Triggers that name an event in one part of speech only: "a deal" (not "to deal with"), "mined
# copper" (not "the mine"), "talks" (not "talked about").
REQUIRED_POS = mapping("required_pos")
# Only modifiers make an aggregate: "imports, which totalled $8 billion" are a trade flow.
_MODIFIERS = {"amod", "compound", "nmod", "npadvmod", "poss"}
# Words that turn a nominal trigger into a reference to an event told elsewhere ("following the meeting").
# "will supply copper under a deal signed on Monday": the deal frames the supply, which is the event.
FRAMEWORK_PREPS = {"under", "per", "within"}
TEMPORAL_PREPS = {"following", "after", "before", "since", "during", "ahead"}
TEMPORAL_MARKS = {"after", "before", "since", "once", "until", "when", "as"}
_FLOWS = {"export", "import", "sale", "supply", "shipment", "purchase", "delivery"}
# A measure put off or refused is not taken; one avoided is not the avoider's.
_NOT_TAKEN = {"postpone", "delay", "defer", "shelve", "reject", "veto", "avoid", "escape", "evade", "dodge"}

# Nouns of agreements, whose relative clauses tell their terms.
DEALS = triggers_of(T.AGREEMENT) & {"deal", "agreement", "pact", "accord", "memorandum", "treaty", "contract", "mou"}
_MEASURE_KINDS = {T.EXPORT_RESTRICTION, T.SANCTION, T.TARIFF}
# Types that are a quantity moving: what moves decides which ("a disruption" or "a forecast" stays one).
MOVES = {T.PRICE_CHANGE, T.PRODUCTION, T.DEMAND_CHANGE, T.INVENTORY_CHANGE, T.TRADE_CHANGE, T.ECONOMIC_TREND}
TRADE = {T.OFFER, T.SALE_OR_SUPPLY, T.PURCHASE_OR_IMPORT}
_TOPIC_VERBS = {"discuss", "review", "debate", "consider", "examine"}
_SUBJECTS = {"nsubj", "nsubjpass", "aux", "auxpass"}
_GOODS_KINDS = {T.SALE_OR_SUPPLY, T.PURCHASE_OR_IMPORT, T.PRODUCTION, T.TRADE_CHANGE}


def clauses(sent: Span, covered: set[int], ctx: SentenceContext) -> dict[Token, list[Triggers]]:
    """Triggers of the sentence grouped by the verb of their clause, as alternatives to try in turn.

    Triggers come from the rules and from the trained model (``doc.spans["geokg_triggers"]``),
    each only for the types the registry gives it (``EventTypeSpec.source``). Where the rules
    name a clause they are tried first (they are the more precise: measured on CrudeOilNews dev
    and news-dev); the model's triggers are the fallback there and the only ones elsewhere. A
    direction word takes its type from what moves ("prices are down" is a price change whatever
    the model's label; see :func:`geokg.extract.moves.moved_kind`).
    """
    model = _model_triggers(sent, covered, ctx)
    rules = _rule_triggers(sent, covered, ctx)
    for verb in [v for v in model if v not in rules]:
        # "agreed to sell copper": the sale the rules found is the act agreed on, not a second event.
        if any(r.head == verb and r.dep_ == "xcomp" and {k for _, k in rules[r]} & TRADE for r in rules):
            del model[verb]
    ctx.model_clauses.update(verb.i for verb in model if verb not in rules)
    alternatives = {verb: [triggers] for verb, triggers in rules.items()}
    for verb, triggers in model.items():
        alternatives.setdefault(verb, []).append(triggers)
    return dict(sorted(alternatives.items(), key=lambda item: min(t.i for t, _ in item[1][0])))


def _model_triggers(sent: Span, covered: set[int], ctx: SentenceContext) -> dict[Token, Triggers]:
    """The trained model's triggers of the types it may name, by clause verb; their scores go to ``ctx``."""
    found: dict[Token, Triggers] = {}
    for token, kind, score in _trained_triggers(sent):
        if (
            token.i in covered
            or SPECS[kind.value].source == "rules"
            or not score >= TRIGGER_THRESHOLD
            or lemma(token) in READY  # "ready to work with partners": the rules read readiness
            or _describes_goods(token, kind)
            or _builds_something(token, kind)
            or _deal_terms(token, kind)
            or _eases_no_measure(token, kind)
            or _told_before(token)
            or _not_taken(token)
            or token.pos_ == "NOUN"
            and _in_time_phrase(token)
        ):
            continue
        if kind in MOVES and is_direction(token):
            if in_goal(token) or moves_securities(token, lambda t: is_commodity(t, ctx.linked)):
                continue
            kind = moved_kind(token, lambda t: is_commodity(t, ctx.linked)) or kind
        found.setdefault(_clause_verb(token), []).append((token, kind))
        ctx.trigger_scores[token.i] = score
    return found


def _rule_triggers(sent: Span, covered: set[int], ctx: SentenceContext) -> dict[Token, Triggers]:
    """The rules' triggers of the types they may name, by clause verb."""
    found: dict[Token, Triggers] = {}
    for token in sent:
        if token.i in covered or token.pos_ not in ("VERB", "NOUN", "PROPN", "ADJ", "ADV"):
            continue
        kind = _rule_kind(token, ctx)
        if kind is not None and not _describes_goods(token, kind) and not _deal_terms(token, kind):
            found.setdefault(_clause_verb(token), []).append((token, kind))
    return found


def _rule_kind(token: Token, ctx: SentenceContext) -> EventType | None:
    """The type a word names by the rules: a trigger, a measure named before ("the ban"), or a move."""
    kind = classify(token) if token.pos_ != "ADV" else None
    if kind is None and anaphoric_measure(token, ctx) and not (_told_before(token) or _not_taken(token)):
        kind = ctx.last_measure.type  # type: ignore[union-attr]
    if kind is None:
        if is_direction(token) and not in_goal(token):
            return moved_kind(token, lambda t: is_commodity(t, ctx.linked))  # a move rule serves every type it names
        return None
    return None if SPECS[kind.value].source == "model" else kind


def _describes_goods(token: Token, kind: EventType) -> bool:
    """A flow or an output word that only says which goods: "steel made in China" (a participle
    of the goods), "a ban on Iranian oil sales" (what a measure is on). The measure, if any, is
    the event."""
    if kind not in _GOODS_KINDS:
        return False
    while token.dep_ == "conj" and token.head.i != token.i:
        token = token.head
    if token.dep_ == "dobj" and lemma(token.head) in _TOPIC_VERBS:
        return True  # "hosted Aliyev to discuss gas exports": the topic of talks
    if token.dep_ == "acl" and token.tag_ in ("VBN", "VBG"):
        return True  # not "efforts to cut supply"
    if token.dep_ == "advcl" and token.tag_ == "VBN" and not any(c.dep_ in _SUBJECTS for c in token.children):
        return True  # "restrictions on diamonds, mined or cut in Russia", parsed as a clause of its own
    if token.dep_ == "advcl" and token.tag_ == "VBG" and token.head.lemma_ == "be":
        return not any(t.like_num for t in token.subtree)  # "X is a big optics firm, producing lenses": what X is
    while token.dep_ in ("compound", "amod", "conj", "acl") and token.head.i != token.i:
        token = token.head
    return token.dep_ == "pobj" and token.head.lower_ in ("on", "against") and lemma(token.head.head) in MEASURES


def _deal_terms(token: Token, kind: EventType) -> bool:
    """ "The pact, which may contain a cap on urea exports, was signed": a measure a
    deal includes is one of its terms, not an act of its own. (A move it sets, "the accord, which
    calls for curbing output", is still news of output.)"""
    if kind not in _MEASURE_KINDS:
        return False
    for ancestor in (token, *token.ancestors):
        if ancestor.dep_ == "relcl" and lemma(ancestor.head) in DEALS:
            return True
    return False


def _eases_no_measure(token: Token, kind: EventType) -> bool:
    """ "to ease shortages": lifting is a measure's only when a measure is what is lifted."""
    return (
        kind in _MEASURE_KINDS
        and lemma(token) in ("ease", "lift", "remove", "relax", "loosen")
        and not any(c.dep_ in ("dobj", "nsubjpass") and lemma(c) in MEASURES for c in token.children)
    )


def _builds_something(token: Token, kind: EventType) -> bool:
    """ "agreed to build a refinery": building a plant is no stock build."""
    return kind is T.INVENTORY_CHANGE and token.pos_ == "VERB" and any(c.dep_ == "dobj" for c in token.children)


def in_goal(token: Token) -> bool:
    """ "aiming to stabilize rising prices", "seeks to boost output": a move someone aims at."""
    return any(a.dep_ == "xcomp" and lemma(a.head) in GOALS for a in (token, *token.ancestors))


def is_direction(token: Token) -> bool:
    return lemma(token) in DIRECTION_WORDS or token.lower_ in DIRECTION_WORDS


def _trained_triggers(sent: Span) -> list[tuple[Token, EventType, float]]:
    """The model's triggers in the sentence, with the probability of their label."""
    spans = sent.doc.spans.get(SPANS_KEY) if sent.doc.spans else None
    if not spans:
        return []
    scores = spans.attrs.get("scores")
    return [
        (span.root, EventType(span.label_), float(scores[n][0]) if scores is not None else 1.0)
        for n, span in enumerate(spans)
        if sent.start <= span.start < sent.end and span.label_ in SPECS
    ]


def classify(token: Token) -> EventType | None:
    """The event type a word names where it stands, or None.

    "China banned gallium exports" (ban: an export restriction), "Japan placed an order for
    Russian crude" (an import), "output rose" is not a sale; "following the meeting" refers to a
    meeting told elsewhere and names none.
    """
    word = lemma(token)
    if word in READY:
        return _readiness_kind(token)
    kind = _kind_in_frame(token, word)
    if kind is not None or word not in TRIGGERS:
        return kind
    if token.pos_ in ("NOUN", "PROPN") and _reference_only(token):
        return None
    if word == "cap" and not any(c.lemma_ == "price" for c in token.children):
        return None  # "market cap"; "a price cap on Russian oil" is a measure
    if word in RESTRICTIVE and any(
        c.dep_ == "dobj" and lemma(c) in WORK_NOUNS | FACILITY_NOUNS for c in token.children
    ):
        return None  # "halted work at its refinery": the work stopped names the event (production)
    if word in MEASURES and _not_taken(token):
        return None
    if word in RESTRICTIVE:
        return _restriction_kind(token)
    if word in ("export", "import") and _restricted(token):
        return None  # the restriction verb or noun carries the event
    moved = _moving_volume(token, word)
    if moved is not None:
        return moved
    kind = TRIGGERS[word]
    return None if _not_an_act(token, word, kind) else kind


def _readiness_kind(token: Token) -> EventType | None:
    """ "ready to supply", "willing to meet": readiness names the act it is ready for, or none."""
    complement = [c for c in token.children if c.dep_ == "xcomp"]
    if complement and complement[0].lemma_ in OFFERABLE:
        return T.OFFER
    if complement and complement[0].lemma_ in ("meet", "talk"):
        return T.MEETING
    return None


def _kind_in_frame(token: Token, word: str) -> EventType | None:
    """Words that name an event only in a certain frame: "an order for crude", "the cargo
    arrived", "stopped operations" (None: the word is read as itself)."""
    if word == "order" and token.pos_ == "NOUN" and any(c.lower_ == "for" for c in token.children):
        return T.PURCHASE_OR_IMPORT  # "placed an order for Russian crude"
    if word in CONSIGNMENTS and token.dep_ == "nsubj" and lemma(token.head) in ARRIVALS:
        return T.PURCHASE_OR_IMPORT  # "the first cargo of Russian crude has arrived in Karachi"
    if (
        word in WORK_NOUNS
        and token.dep_ == "dobj"
        and lemma(token.head) in RESTRICTIVE | {"resume", "restart", "end", "start"}
    ):
        return T.PRODUCTION  # "the mine stopped operations"
    if word in ("place", "put", "bring") and token.pos_ == "VERB" and _to_market(token):
        return T.OFFER  # "placing gold onto the world market": up for sale
    if word in ("bid", "tender") and token.dep_ == "dobj" and lemma(token.head) == "accept":
        return T.SALE_OR_SUPPLY  # "USDA accepted a bid from Algeria for wheat": the seller accepts
    if word in ("deny", "refuse", "bar") and any(c.dep_ == "dobj" and c.lower_ == "entry" for c in token.children):
        return T.SANCTION  # "denied entry to a Croatian minister"
    if (
        word == "host"
        and token.pos_ == "VERB"
        and any(c.dep_ == "dobj" and c.ent_type_ in ("PERSON", "GPE", "NORP", "ORG") for c in token.children)
    ):
        return T.MEETING  # "Erdogan hosted Aliyev in Ankara"
    if word in ("discuss", "confer") and token.pos_ == "VERB" and _two_sides(token):
        return T.MEETING  # "Putin and Erdogan discussed the grain corridor by telephone"
    if word == "agree" and token.pos_ == "VERB" and _parties_agree(token):
        return T.AGREEMENT  # "Sinopec and Aramco agreed to build a refinery"; not "agreed to sell"
    if word in FACILITY_NOUNS and token.dep_ == "dobj" and lemma(token.head) in _FACILITY_SWITCHES:
        return T.PRODUCTION  # "a drone attack shut the Kirishi refinery", "Vale restarted the mine"
    return None


def _to_market(verb: Token) -> bool:
    """ "placed gold onto the market": the phrase on the verb, or on a participle of its object
    (the small parser attaches it to "uranium produced by the mine")."""
    for prep in (t for t in verb.subtree if t.dep_ == "prep" and t.lower_ in ("on", "onto", "to")):
        on_verb = prep.head == verb or prep.head.dep_ == "acl" and prep.head.head.head == verb
        if on_verb and any(g.dep_ == "pobj" and g.lemma_ == "market" for g in prep.children):
            return True
    return False


def _two_sides(verb: Token) -> bool:
    """ "X and Y agreed", "X agreed with Y": the verb has two sides."""
    return any(c.dep_ == "nsubj" and any(g.dep_ == "conj" for g in c.children) for c in verb.children) or any(
        c.dep_ == "prep" and c.lower_ == "with" for c in verb.children
    )


def _parties_agree(verb: Token) -> bool:
    """Two named sides agree on something that is no act of its own: "X and Y agreed to build",
    "X agreed with Y on a framework"."""
    sides = _two_sides(verb)
    acts = any(c.dep_ in ("xcomp", "ccomp") and lemma(c) in TRIGGERS for c in verb.children)
    return sides and not acts


def _moving_volume(token: Token, word: str) -> EventType | None:
    """ "cut crude exports", "imports rose", "higher supply from Libya": a volume moves, nothing
    is sold. A cut in supply is a cut in output, never a supply; supply to someone, by a route,
    or cut off, stays a flow between parties (None: the word is read as a trigger)."""
    if word not in ("export", "import", "supply", "shipment") or token.pos_ != "NOUN":
        return None
    head = token.head
    moves = lemma(head) in DIRECTION_WORDS or any(  # "exports are expected to rise"
        c.dep_ == "xcomp" and lemma(c) in DIRECTION_WORDS for c in head.children if token.dep_ in ("nsubj", "nsubjpass")
    )
    if not moves and not any(c.dep_ == "amod" and lemma(c) in DIRECTION_WORDS for c in token.children):
        return None
    if word != "supply":
        return T.TRADE_CHANGE
    if in_goal(token) or any(
        c.lower_ in ("to", "via", "through", "off") for c in (*token.children, *token.head.children)
    ):
        return None
    return T.PRODUCTION


def _not_an_act(token: Token, word: str, kind: EventType) -> bool:
    """A trigger word that names no act here: a promise of nothing to supply, a part of speech the
    word names no event in, "according to", a market aggregate."""
    if word in ("propose", "promise", "pledge") and not any(
        c.dep_ in ("xcomp", "dobj") and c.lemma_ in OFFERABLE | {"supply", "deliver"} for c in token.children
    ):
        return True
    if REQUIRED_POS.get(word, token.pos_) != token.pos_:
        return True  # "to deal with prices", "the economy contracted"
    if word == "accord" and token.lower_ == "according":
        return True
    if word == "delivery" and token.head.lower_ == "for" and any(c.ent_type_ == "DATE" for c in token.children):
        return True  # "Brent for March delivery": a contract month
    return _is_aggregate(token, word)


def _is_aggregate(token: Token, word: str) -> bool:
    """ "world copper supply", "global output": a market's total, not an act."""
    if word not in ("supply", "export", "import", "output", "production") or token.pos_ != "NOUN":
        return False
    return any(
        (c.dep_ in _MODIFIERS and c.lemma_.lower() in AGGREGATES)
        or (c.dep_ == "poss" and c.lower_ in ("world", "world's"))
        for c in token.children
    )


def _restriction_kind(token: Token) -> EventType | None:
    """ "banned exports" is an export restriction; "banned imports" a sanction."""
    window = [t.lemma_.lower() for t in token.subtree] + [t.lemma_.lower() for t in token.head.subtree]
    near = [t.lemma_.lower() for t in token.children] + [token.head.lemma_.lower()]
    if any(w in ("export", "exporter", "shipment", "sale") for w in near) or token.head.lemma_ == "export":
        return T.EXPORT_RESTRICTION
    if any(w in ("import", "purchase") for w in near):
        return T.SANCTION
    if "export" in window or "sale" in window:
        return T.EXPORT_RESTRICTION
    if "import" in window:
        return T.SANCTION
    # "banning Australian coal", "a ban on Russian diamonds": goods named by their origin are
    # kept out, a sanction on that country.
    targets = (
        token.subtree if token.pos_ != "VERB" else (t for c in token.children if c.dep_ == "dobj" for t in c.subtree)
    )
    if any(t.ent_type_ in ("NORP", "GPE") and t.dep_ in ("amod", "compound") for t in targets):
        return T.SANCTION
    return None


def anaphoric_measure(token: Token, ctx: SentenceContext) -> bool:
    """ "the ban", "the restrictions": the measure the article told of before."""
    return (
        ctx.last_measure is not None
        and token.pos_ == "NOUN"
        and lemma(token) in MEASURES
        and any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children)
    )


def _reference_only(token: Token) -> bool:
    """A nominal trigger that only refers to an event: "following the meeting", "the arrival of
    the cargo", "a market for Angolan exports" (not "a record for output"), "Russia's gas export
    losses" (a trigger inside a noun phrase about something else)."""
    head = token.head
    if token.dep_ == "pobj" and head.lower_ in TEMPORAL_PREPS | FRAMEWORK_PREPS:
        return True
    if _told_before(token):
        return True
    if _in_time_phrase(token):
        return True
    if (
        token.dep_ == "compound"
        and head.pos_ == "NOUN"
        and TRIGGERS.get(lemma(head)) is None
        and lemma(head) not in MEASURES
    ):
        return True
    if (
        token.dep_ == "pobj"
        and head.head.pos_ == "NOUN"
        and (head.lower_ == "of" or head.lower_ == "for" and lemma(token) in _FLOWS)
    ):
        owner = head.head
        return TRIGGERS.get(lemma(owner)) is None and lemma(owner) not in MEASURES | {"order"}
    return False


def _told_before(token: Token) -> bool:
    """A definite measure or deal the sentence only refers to, told of before (whoever found the
    trigger): the subject of a time clause ("prices climbed once the ban took effect") or a
    framing phrase ("With the agreement, Ghana will ship …")."""
    head = token.head
    if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in token.children):
        return False
    if token.dep_ == "pobj" and head.lower_ == "with" and head.head.pos_ in ("VERB", "AUX") and head.i < head.head.i:
        return True
    return (
        token.dep_ in ("nsubj", "nsubjpass")
        and head.dep_ == "advcl"
        and any(c.dep_ == "mark" and c.lower_ in TEMPORAL_MARKS for c in head.children)
    )


def _in_time_phrase(token: Token) -> bool:
    """ "after Beijing's decision on fresh duties": a noun inside a phrase of time names
    an event told elsewhere."""
    for ancestor in token.ancestors:
        if ancestor.pos_ in ("VERB", "AUX"):
            return False
        if ancestor.dep_ == "prep" and ancestor.lower_ in TEMPORAL_PREPS:
            return True
    return False


def _not_taken(token: Token) -> bool:
    """ "put off a ban", "shelved the tariffs", "rejected a price cap": a measure not taken;
    "to escape the duties": not the escaper's."""
    verb = token.head if token.dep_ in ("dobj", "nsubjpass") else None
    if verb is None or verb.pos_ != "VERB":
        return False
    word = lemma(verb)
    return word in _NOT_TAKEN or (
        word in ("put", "hold") and any(c.dep_ == "prt" and c.lower_ == "off" for c in verb.children)
    )


def _restricted(token: Token) -> bool:
    """ "a ban on exports", "duties totalling 80 percent on barley imports": the trade flow is
    what a measure targets, not an event of its own. Walks up within the noun phrase."""
    if any(t.lemma_.lower() in RESTRICTIVE for t in token.children):
        return True
    for ancestor in token.ancestors:
        if ancestor.lemma_.lower() in MEASURES:
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
