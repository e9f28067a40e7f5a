"""Agents: who does what a clause states.

The subject of the clause verb or of a verb above it ("China said it would ban …"), a passive's
"by" phrase, a nominal trigger's possessor ("Russia's exports"), a pronoun or title resolved
against what came before ("it", "the company"), and, where the clause names no one, the actor
the context implies (a measure announced by a state's ministry is that state's).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from geokg.extract.attribution import Attribution
from geokg.extract.event_members import T
from geokg.extract.events.context import ACTORS, PLACES, SentenceContext, is_commodity, lemma
from geokg.extract.events.triggers import ARRIVALS
from geokg.extract.lexicon import TITLE_NOUNS, TRIGGERS, words
from geokg.extract.linking import FACILITY_NOUNS, LinkedDoc
from geokg.extract.moves import names_a_measure
from geokg.model import EntityKind, EntityRef, EventType

# Moves of a country's aggregate: its output, exports, imports, demand, stocks or economy.
NATIONAL_MOVES = {T.PRODUCTION, T.TRADE_CHANGE, T.DEMAND_CHANGE, T.INVENTORY_CHANGE, T.ECONOMIC_TREND}
# Nominal triggers whose modifier names the trader: "US imports", "Chinese purchases".
TRADE_NOUNS = words("trade_nouns")
_STATES = ACTORS - {EntityKind.PERSON, EntityKind.MEDIA}
# Nouns whose owner does what follows ("its plan to curb exports"); not "its right to sell".
_PLANS = {
    "plan",
    "decision",
    "intention",
    "move",
    "bid",
    "effort",
    "attempt",
    "proposal",
    "commitment",
    "pledge",
    "threat",
    "promise",
    "push",
    "drive",
    "campaign",
    "offer",
    "readiness",
}


def agent_of(verb: Token, trigger: Token, ctx: SentenceContext) -> EntityRef | None:
    """Who acts: the nominal trigger's own agent ("Russia's exports"), else the clause's subject
    or passive agent, looking up through clauses that have none ("agreed to sell")."""
    if trigger.pos_ == "NOUN":
        found = _nominal_agent(trigger, ctx.linked)
        if found is not None:
            return found
    return _clausal_agent(verb, ctx)


def _nominal_agent(trigger: Token, linked: LinkedDoc) -> EntityRef | None:
    """ "Russia's exports", "its purchases", "US imports from India", "the sale of wheat to Egypt
    by Romania"."""
    goods = [c.i for c in trigger.children if is_commodity(c, linked)]
    for child in trigger.children:
        if child.dep_ == "poss" and child.lower_ == "its":
            found = _its_referent(child, linked)
            if found is not None:
                return found
        if child.dep_ in ("poss", "amod", "compound", "nmod"):
            found = _modifier_agent(child, trigger, goods, linked)
            if found is not None:
                return found
        if child.dep_ == "prep" and child.lower_ == "by":
            # "the sale of wheat to Egypt by Romania": the nominal act's own agent phrase
            by_phrase = linked.in_span(child.i + 1, child.right_edge.i + 1, ACTORS)
            if by_phrase:
                return by_phrase[0]
    return None


def _modifier_agent(child: Token, trigger: Token, goods: list[int], linked: LinkedDoc) -> EntityRef | None:
    """A possessor before the trigger acts; so does a modifier of a trade noun ("US imports from
    India"), unless a commodity stands between ("Australian barley imports": the goods' origin)."""
    ref = linked.by_token.get(child.i)
    if ref is None or ref.kind not in ACTORS or child.i > trigger.i:
        return None
    if child.dep_ == "poss":
        return ref
    if lemma(trigger) in TRADE_NOUNS and not any(child.i < g < trigger.i for g in goods):
        return ref
    return None


def _clausal_agent(verb: Token, ctx: SentenceContext) -> EntityRef | None:
    current = verb
    for _ in range(6):
        for by in (c for c in current.children if c.dep_ == "agent"):
            found = ctx.linked.in_span(by.left_edge.i, by.right_edge.i + 1, ACTORS)
            if found:
                return found[0]
        subject = [c for c in current.children if c.dep_ in ("nsubj", "csubj")]
        if subject:
            return _resolve_subject(subject[0], ctx)
        if current.dep_ == "acl" and lemma(current.head) in _PLANS:
            owner = _possessor(current.head, ctx.linked)
            if owner is not None:
                return owner  # "outlined its plan to curb exports": whose plan
        if (
            current.dep_ not in ("xcomp", "acomp", "advcl", "conj", "relcl", "acl", "pcomp", "prep")
            or current.head.i == current.i
        ):
            break
        current = current.head
    return None


def _possessor(noun: Token, linked: LinkedDoc) -> EntityRef | None:
    """ "Japan's plans", "its plans": who the noun belongs to, when a state, body or company."""
    for child in (c for c in noun.children if c.dep_ == "poss"):
        ref = _its_referent(child, linked) if child.lower_ in ("its", "their") else linked.by_token.get(child.i)
        if ref is not None and ref.kind in ACTORS:
            return ref
    return None


def _its_referent(pronoun: Token, linked: LinkedDoc) -> EntityRef | None:
    """ "Australia … half its exports": the subject of a clause above, when a state or company names
    it; else the nearest one before ("threats to India over its purchases")."""
    for ancestor in pronoun.ancestors:
        for subject in (c for c in ancestor.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < pronoun.i):
            ref = linked.by_token.get(subject.i)
            if ref is not None and ref.kind in _STATES:
                return ref
    before = linked.in_span(pronoun.sent.start, pronoun.i, _STATES)
    return before[-1] if before else None


def _resolve_subject(subject: Token, ctx: SentenceContext) -> EntityRef | None:
    """The actor a subject phrase names or refers back to."""
    linked = ctx.linked
    named = _named_subject(subject, ctx)
    if named is not None:
        return named
    if subject.lower_ in ("he", "she", "it", "they", "we"):
        return _pronoun_referent(subject, ctx)
    owner = next(
        (
            t
            for t in subject.subtree
            if t.dep_ == "poss" and t.lower_ in ("its", "their") and t.head.lemma_.lower() in FACILITY_NOUNS
        ),
        None,
    )
    referent = _its_referent(owner, linked) if owner is not None else None
    if referent is not None and referent.kind is EntityKind.COMPANY:
        return referent  # "Tullow said output at its Jubilee field in Ghana fell": the field's owner
    found = [
        linked.by_token[t.i]
        for t in subject.subtree
        if t.i in linked.by_token and linked.by_token[t.i].kind in ACTORS and not _origin_modifier(t, linked)
    ]
    if found:
        return _acting_for(subject, found[0], ctx)
    return _title_referent(subject, ctx)


def _named_subject(subject: Token, ctx: SentenceContext) -> EntityRef | None:
    """An actor that heads the subject, or stands beside its head: "Russia's state-owned energy
    corporation Gazprom" is Gazprom, not its owner; "Russian crude imports": a demonym on goods
    is their origin, not who acts."""
    ref = ctx.linked.by_token.get(subject.i)
    if ref is not None and ref.kind in ACTORS:
        return _acting_for(subject, ref, ctx)
    for token in subject.subtree:
        ref = ctx.linked.by_token.get(token.i)
        if (
            ref is not None
            and ref.kind in ACTORS
            and token.dep_ in ("appos", "compound")
            and token.head.i == subject.i
            and token.ent_type_ not in ("NORP",)
        ):
            return _acting_for(subject, ref, ctx)
    return None


def _pronoun_referent(subject: Token, ctx: SentenceContext) -> EntityRef | None:
    """ "he", "she": the person named before; "it", "they", "we": the subject of the clause above
    ("China said it would…"), else the last sentence's subject."""
    linked = ctx.linked
    if subject.lower_ in ("he", "she"):
        earlier = linked.in_span(subject.sent.start, subject.i, {EntityKind.PERSON})
        return earlier[0] if earlier else ctx.last_person
    for ancestor in subject.head.ancestors:
        above = [c for c in ancestor.children if c.dep_ == "nsubj" and c.i < subject.i]
        # "Mali's ruling council said it …": the state or body the subject names
        ref = _resolve_subject(above[0], ctx) if above and above[0].pos_ != "PRON" else None
        if ref is not None and ref.kind in _STATES:
            return ref
    return ctx.last_subject or ctx.last_actor


def _origin_modifier(token: Token, linked: LinkedDoc) -> bool:
    """ "Russian" in "the import of Russian crude": where the goods come from; "Egypt" in
    "shipments of wheat to Egypt": where they go."""
    if token.dep_ == "pobj" and token.head.lower_ in ("to", "into") and TRIGGERS.get(lemma(token.head.head)):
        return True
    if token.dep_ not in ("amod", "compound", "nmod"):
        return False
    head = linked.by_token.get(token.head.i)
    return (head is not None and head.kind is EntityKind.COMMODITY) or TRIGGERS.get(lemma(token.head)) is not None


def _acting_for(subject: Token, ref: EntityRef, ctx: SentenceContext) -> EntityRef:
    """ "the Biden administration", "the Morrison government": the leader's state acts."""
    if ref.kind is EntityKind.PERSON and subject.lemma_.lower() in ("administration", "government", "cabinet"):
        return (ctx.person_countries or {}).get(ref, ref)
    return ref


def _title_referent(subject: Token, ctx: SentenceContext) -> EntityRef | None:
    """ "the country", "the company", "the minister": the last entity of that kind named before."""
    kind = TITLE_NOUNS.get(subject.lemma_.lower())
    determiners = {c.lower_ for c in subject.children if c.dep_ == "det"}
    if kind is None or not determiners & {"the", "these", "those", "this"}:
        return None
    earlier = ctx.linked.in_span(subject.sent.start, subject.i, {kind})
    if earlier:
        return earlier[-1]
    if subject.tag_ == "NNS":  # "these companies": the ones just listed
        return ctx.last_of_kind.get(kind)
    if ctx.last_subject is not None and ctx.last_subject.kind is kind:
        return ctx.last_subject
    # Else the most mentioned of that kind so far: what the story is about, not a passing mention.
    seen = [ref for ref in ctx.mention_counts if ref.kind is kind]
    return max(reversed(seen), key=ctx.mention_counts.__getitem__) if seen else None


def implicit_agent(
    kind: EventType, verb: Token, scope: tuple[int, int], attribution: Attribution, ctx: SentenceContext
) -> EntityRef | None:
    """Agentless clauses whose actor the context names: a measure in the passive reported by a
    state ("the ministry said duties would be levied") is that state's; production "at the X
    plant" is the company's."""
    if kind is T.PURCHASE_OR_IMPORT and lemma(verb) in ARRIVALS:
        found = _destination_country(verb, scope, ctx)
        if found is not None:
            return found
    if kind in (T.TARIFF, T.SANCTION, T.EXPORT_RESTRICTION) and attribution.speaker is not None:
        # A state, the state of a minister or national body, or a union of states ("EU trade
        # ministers announced plans to impose a ban").
        speaker = attribution.speaker
        if speaker.kind is EntityKind.COUNTRY:
            return speaker
        state = (ctx.person_countries or {}).get(speaker)
        return state if state is not None or speaker.kind is not EntityKind.ORGANIZATION else speaker
    if kind is T.AGREEMENT and any(c.dep_ == "auxpass" for c in verb.children):
        # "The deal was reached with the US": the other side is the one the story is about.
        withs = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == "with"]
        sides = {r for w in withs for r in ctx.linked.in_span(w.i, w.right_edge.i + 1)}
        if ctx.last_subject is not None and sides and ctx.last_subject not in sides:
            return ctx.last_subject
    if kind is T.PRODUCTION:
        companies = ctx.linked.in_span(scope[0], scope[1], {EntityKind.COMPANY})
        if companies:
            return companies[0]
    if kind in NATIONAL_MOVES and (country := country_of_move(verb, scope, ctx)) is not None:
        return country
    if kind is T.PRODUCTION:
        return _operator(verb, scope, ctx)
    if kind is T.SALE_OR_SUPPLY and verb.tag_ == "VBN":
        return _goods_country(verb, ctx)
    clause = verb.doc[scope[0] : scope[1]]
    if (
        kind is T.SALE_OR_SUPPLY
        or kind is T.TRADE_CHANGE
        and not any(lemma(t) in ("import", "purchase") for t in clause)
    ):
        return _exporting_country(clause, ctx)  # "shipments of Russian wheat rose": Russia's
    return None


def _exporting_country(clause: Span, ctx: SentenceContext) -> EntityRef | None:
    """ "Exports of Ukrainian grain resumed": the country of the goods shipped is the seller."""
    for token in clause:
        ref = ctx.linked.by_token.get(token.i)
        goods = ctx.linked.by_token.get(token.head.i)
        if (
            ref is not None
            and ref.kind is EntityKind.COUNTRY
            and token.dep_ in ("amod", "compound", "poss")
            and goods is not None
            and goods.kind is EntityKind.COMMODITY
        ):
            return ref
    return None


def _own_facility(clause: Span) -> bool:
    return any(
        t.lemma_.lower() in FACILITY_NOUNS
        and any(c.dep_ == "poss" and c.lower_ in ("its", "their") for c in t.children)
        for t in clause
    )


def _operator(verb: Token, scope: tuple[int, int], ctx: SentenceContext) -> EntityRef | None:
    """ "The plant will end production", "the complex set a record for output": an unnamed
    facility is the one of the company the story last named."""
    facility = any(t.lemma_.lower() in FACILITY_NOUNS and t.ent_type_ == "" for t in verb.doc[scope[0] : scope[1]])
    return ctx.last_of_kind.get(EntityKind.COMPANY) if facility else None


def _destination_country(verb: Token, scope: tuple[int, int], ctx: SentenceContext) -> EntityRef | None:
    """ "the cargo arrived in Karachi": the country where a consignment arrives buys it. Where
    the verb says ("in", "at", "to", "reached Mombasa"), not the goods' origin ("a tanker carrying
    Iraqi oil arrived in Mombasa")."""
    doc = verb.doc
    for token in doc[scope[0] : scope[1]]:
        ref = ctx.linked.by_token.get(token.i)
        if ref is None or ref.kind not in (EntityKind.PLACE, EntityKind.COUNTRY):
            continue
        where = token.dep_ == "pobj" and token.head.lower_ in ("in", "at", "to", "into") and token.head.head == verb
        if where or token.dep_ == "dobj" and token.head == verb:
            return ref if ref.kind is EntityKind.COUNTRY else (ctx.person_countries or {}).get(ref)
    for place in ctx.linked.in_span(scope[0], scope[1], {EntityKind.PLACE, EntityKind.COUNTRY}):
        country = place if place.kind is EntityKind.COUNTRY else (ctx.person_countries or {}).get(place)
        if country is not None and not _after_from(verb.doc, ctx.linked, place, scope):
            return country
    return None


def _goods_country(verb: Token, ctx: SentenceContext) -> EntityRef | None:
    """ "Most Belarusian potash is exported to Brazil": the goods' country is the seller."""
    for subject in (c for c in verb.children if c.dep_ == "nsubjpass"):
        for token in subject.subtree:
            ref = ctx.linked.by_token.get(token.i)
            if ref is not None and ref.kind is EntityKind.COUNTRY and token.dep_ in ("amod", "compound", "poss"):
                return ref
    return None


def country_of_move(verb: Token, scope: tuple[int, int], ctx: SentenceContext) -> EntityRef | None:
    """Whose aggregate moves: the country that qualifies the moving noun ("Saudi output",
    "Iraq's production") or where it moves ("production fell by 170,000 bpd in Iraq", "output
    at the Rumaila oilfield in Iraq"); a place or facility stands for its country."""
    for token in (*verb.doc[scope[0] : scope[1]], *_raised_subjects(verb)):
        if (
            token.dep_ in ("amod", "compound", "poss")
            and _qualifies_a_measure(token)
            or token.dep_ == "pobj"
            and token.head.lower_ in ("in", "at")
        ):
            ref = ctx.linked.by_token.get(token.i)
            if ref is not None and ref.kind is not EntityKind.COUNTRY:
                ref = (ctx.person_countries or {}).get(ref) if ref.kind in PLACES else None
            if ref is not None:
                return ref
    return None


def _qualifies_a_measure(token: Token) -> bool:
    """ "Iraq's production", "U.S. crude inventories": a modifier of a measure noun, directly or
    through the nouns between."""
    head = token.head
    while head.pos_ in ("NOUN", "PROPN"):
        if names_a_measure(head):
            return True
        if head.dep_ not in ("compound", "amod") or head.head.i == head.i:
            return False
        head = head.head
    return False


def _raised_subjects(verb: Token) -> list[Token]:
    """ "Kazakhstan's harvest is expected to fall": the subject of the verb a move depends on."""
    found: list[Token] = []
    while verb.dep_ == "xcomp" and verb.head.i != verb.i:
        verb = verb.head
        for subject in (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")):
            found += list(subject.subtree)
    return found


def _after_from(doc: Doc, linked: LinkedDoc, ref: EntityRef, scope: tuple[int, int]) -> bool:
    """Whether ``ref`` is the origin ("from Russia") rather than the destination."""
    return any(linked.by_token.get(t.i) == ref and t.head.lower_ == "from" for t in doc[scope[0] : scope[1]])
