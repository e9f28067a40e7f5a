"""Merging: one fact per act when two triggers or two sentences state the same one."""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from geokg.model import Event, EventType

T = EventType


def merge_offers(clause_events: list[tuple[Token, Event]]) -> list[Event]:
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
