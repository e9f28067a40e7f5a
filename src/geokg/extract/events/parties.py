"""Parties and place: who receives an act or is its target, who is on the other side, and where.

"China banned exports of gallium to the United States" has the United States as recipient;
"India signed a deal with Russia" Russia as counterparty; "output at the Rumaila oilfield in
Iraq fell" happens at the oilfield. Measures also target the country their goods come from
("duties on Australian barley", "tariffs on panels from Vietnam").
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Token

from geokg.extract.event_members import T
from geokg.extract.events.context import ACTORS, PARTIES, PLACES, SentenceContext, owning_verb
from geokg.extract.linking import LinkedDoc
from geokg.model import EntityKind, EntityRef, EventType

Refs = tuple[EntityRef, ...]


def parties(
    verb: Token, trigger: Token, kind: EventType, ctx: SentenceContext, agent: EntityRef | None
) -> tuple[Refs, Refs]:
    """Recipients ("to X", "X" as dative, "on X") and counterparties ("with X", "from X")."""
    linked = ctx.linked
    recipients = _direct_recipients(verb, trigger, kind, linked)
    counterparties: list[EntityRef] = []
    # Prepositions anywhere in the clause, not inside a nested clause: "banned exports of gallium
    # and germanium to the United States" attaches "to" to a commodity, not to the verb.
    clause = [t for t in verb.subtree if t.dep_ == "prep" and owning_verb(t) in (verb, trigger)]
    if trigger not in verb.subtree:
        clause += [t for t in trigger.subtree if t.dep_ == "prep"]
    for child in clause:
        role = _role_of(child, kind)
        if role == "recipient":
            recipients += _entities_under(child, linked)
        elif role == "counterparty":
            counterparties += _entities_under(child, linked)
    if kind in (T.MEETING, T.AGREEMENT):
        # "talks between the two sides in Cairo": where they meet is no side.
        counterparties = [c for c in counterparties if c.kind not in PLACES] + _co_subjects(verb, linked)
    return _unique(r for r in recipients if r != agent), _unique(c for c in counterparties if c != agent)


def _co_subjects(verb: Token, linked: LinkedDoc) -> list[EntityRef]:
    """ "Xi and Putin held talks": the other subjects of a meeting or a deal are its other side;
    so is the one met or received ("Erdogan hosted Aliyev", "Lula met Premier Li Qiang")."""
    if verb.lemma_ in ("host", "meet", "receive"):
        # the one met, not the demonym before the name ("Chinese Premier Li Qiang")
        guests = (
            linked.by_token.get(t.i) for c in verb.children if c.dep_ == "dobj" for t in c.subtree if t.dep_ != "amod"
        )
        return list(dict.fromkeys(r for r in guests if r is not None and r.kind in ACTORS))
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    found = (linked.by_token.get(c.i) for s in subjects for c in s.conjuncts)
    return [ref for ref in found if ref is not None and ref.kind in ACTORS]


def _direct_recipients(verb: Token, trigger: Token, kind: EventType, linked: LinkedDoc) -> list[EntityRef]:
    """ "offered India oil", "offered Europe a deal": a dative, or an offer's party object."""
    found: list[EntityRef] = []
    heads = {verb, trigger} | {
        t for t in verb.subtree if t.dep_ in ("xcomp", "dobj", "advcl") and t.head in (verb, trigger)
    }
    for head in heads:
        supplied_with = any(c.dep_ == "prep" and c.lower_ == "with" for c in head.children)
        for child in head.children:
            party_object = child.dep_ == "dobj" and _is_party(child, linked)
            # "offered India oil", "will supply Germany with gas": the party object receives
            if child.dep_ == "dative" or party_object and (kind is T.OFFER or supplied_with):
                found += _entities_under(child, linked)
    return found


def _role_of(prep: Token, kind: EventType) -> str | None:
    """The role a preposition's object takes in an event of the kind."""
    preposition = prep.lower_
    if preposition == "from" and kind is T.SALE_OR_SUPPLY and prep.head.lemma_ in ("bid", "tender"):
        return "recipient"  # "accepted a bid from Algeria": the bidder buys
    if preposition in ("to", "for", "into") and kind is not T.PURCHASE_OR_IMPORT:
        return "recipient"
    if preposition == "on" and kind in (T.SANCTION, T.TARIFF, T.EXPORT_RESTRICTION):
        return "recipient"
    if preposition == "against" and kind in (T.SANCTION, T.TARIFF):
        return "recipient"
    if preposition in ("with", "between") or (preposition == "from" and kind is T.PURCHASE_OR_IMPORT):
        return "counterparty"
    return None


def _is_party(token: Token, linked: LinkedDoc) -> bool:
    ref = linked.by_token.get(token.i)
    return ref is not None and ref.kind in ACTORS


def _entities_under(token: Token, linked: LinkedDoc) -> list[EntityRef]:
    """Party entities (actors and places) in the phrase a token heads."""
    return linked.in_span(token.left_edge.i, token.right_edge.i + 1, PARTIES)


def demonym_targets(
    trigger: Token, linked: LinkedDoc, deps: tuple[str, ...] = ("amod", "compound", "poss", "pobj")
) -> list[EntityRef]:
    """ "duties on Australian barley", "sanctions on Russian diamonds": the country of the goods."""
    found = []
    for token in trigger.subtree:
        ref = linked.by_token.get(token.i)
        if (
            ref is not None
            and ref.kind is EntityKind.COUNTRY
            and token.dep_ in deps
            and linked.by_token.get(token.head.i) != ref
            and not (token.dep_ != "pobj" and token.head.dep_ == "nsubj")
        ):
            found.append(ref)
    return found


def origin_targets(verb: Token, trigger: Token, linked: LinkedDoc) -> list[EntityRef]:
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


def place_of(verb: Token, trigger: Token, linked: LinkedDoc) -> EntityRef | None:
    """Where: "in", "at" or "near" a place or facility after the trigger, its verb or the verb's
    subject ("output at the Rumaila oilfield fell"); a facility before a place in its phrase."""
    subjects = [child for child in verb.children if child.dep_ in ("nsubj", "nsubjpass")]
    for head in (trigger, verb, *subjects):
        for child in head.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "at", "near"):
                found = linked.in_span(child.left_edge.i, child.right_edge.i + 1, PLACES)
                if found:
                    return next((ref for ref in found if ref.kind is EntityKind.FACILITY), found[0])
    return None


def _unique(refs: Iterable[EntityRef]) -> Refs:
    out: list[EntityRef] = []
    for ref in refs:
        if ref not in out:
            out.append(ref)
    return tuple(out)
