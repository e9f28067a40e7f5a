"""Merging: one fact per act when two triggers or two sentences state the same one."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from geokg.extract.event_members import T
from geokg.model import EntityRef, Event


def merge_offers(clause_events: list[tuple[Token, Event]]) -> list[Event]:
    """ "offered to sell copper", "ready to resume supplies, selling 2 million tonnes": the sale
    inside an offer is the offer's content, not a second event; its roles fill the offer's gaps."""
    absorbed = _offered(clause_events)
    merged: list[Event] = []
    for index, (_verb, event) in enumerate(clause_events):
        if index in absorbed:
            continue
        if event.type is T.OFFER:
            for other_index in absorbed:
                other = clause_events[other_index][1]
                event = replace(
                    event,
                    quantity=event.quantity or other.quantity,
                    recipients=event.recipients or other.recipients,
                    themes=event.themes or other.themes,
                    agent=event.agent or other.agent,
                )
        merged.append(event)
    return merged


def _offered(clause_events: list[tuple[Token, Event]]) -> set[int]:
    """The indices of the sales and purchases that an offer in the sentence is about: nested in
    its clause, or by the same agent or of the same commodity."""
    offers = [(verb, event) for verb, event in clause_events if event.type is T.OFFER]
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
    return absorbed


def merge_headline(headline: list[Event], body: list[Event]) -> list[Event]:
    """The article's events. A headline announces what the body tells in full: its facts count
    only where the body has none of that type; otherwise it restates the body's event, if one
    matches."""
    told = {event.type for event in body}
    events = merge_restatements([e for e in headline if e.type not in told] + body)
    for announced in (e for e in headline if e.type in told):
        n = next((n for n, event in enumerate(events) if _restates(event, announced)), None)
        if n is not None:
            events[n] = replace(events[n], restated=(*events[n].restated, announced.evidence))
    return events


def merge_restatements(events: list[Event]) -> list[Event]:
    """One fact per event: a headline and its lead, or a lead and a later sentence that adds a
    date, state the same act (same type, agent and commodities). The later mention fills the
    earlier one's gaps and its sentence is kept as a restatement; two figures or two dates that
    disagree mean two facts."""
    merged: list[Event] = []
    for event in events:
        same = next((m for m in merged if _restates(m, event)), None)
        if same is None:
            merged.append(event)
            continue
        index = merged.index(same)
        merged[index] = replace(
            same,
            date=same.date or event.date,
            quantity=same.quantity or event.quantity,
            recipients=same.recipients or event.recipients,
            counterparties=same.counterparties or event.counterparties,
            place=same.place or event.place,
            status=same.status or event.status,
            restated=(*same.restated, event.evidence, *event.restated),
            confidence=max(same.confidence, event.confidence),
        )
    return merged


def _restates(first: Event, second: Event) -> bool:
    if first.type is not second.type or first.type in (T.STATEMENT, T.RESERVES_RANK):
        return False
    if set(first.themes) != set(second.themes) and not _measure_on_fewer_goods(first, second):
        return False
    if first.agent != second.agent and not _same_measure_unattributed(first, second):
        return False
    if _other_parties(first.recipients, second.recipients) or _other_parties(
        first.counterparties, second.counterparties
    ):
        return False  # "met Putin", then "held talks with Putin and Khurelsukh": another meeting
    if first.quantity and second.quantity and first.quantity.value != second.quantity.value:
        return False
    if first.status and second.status and first.status != second.status:
        return False  # imposing a ban and lifting it are two acts
    return not (first.date and second.date and first.date != second.date)


def _other_parties(first: tuple[EntityRef, ...], second: tuple[EntityRef, ...]) -> bool:
    return bool(first) and bool(second) and set(first) != set(second)


def _same_measure_unattributed(first: Event, second: Event) -> bool:
    """ "The ban on Iranian caviar is part of the new measures" after "Canada banned Iranian
    caviar": a measure on the same goods and targets, told again without who imposes it."""
    return (
        first.type in (T.SANCTION, T.TARIFF, T.EXPORT_RESTRICTION)
        and None in (first.agent, second.agent)
        and set(first.recipients) >= set(second.recipients)
    )


def _measure_on_fewer_goods(first: Event, second: Event) -> bool:
    """ "Mexico raised tariffs on steel", then "the tariffs on steel and other metals took
    effect": a measure told again with more or fewer of its goods named (a measure on no named
    goods may be any)."""
    one, other = set(first.themes), set(second.themes)
    measure = first.type in (T.SANCTION, T.TARIFF, T.EXPORT_RESTRICTION)
    return measure and bool(one and other) and (one <= other or other <= one)
