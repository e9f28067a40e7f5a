"""Merging: one fact per act, within a sentence (offers) and across sentences (restatements)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from rules_docs import ref, sentence

from geokg.extract.events import sentence_events
from geokg.extract.events.merge import merge_headline, merge_restatements
from geokg.model import Event, EventType, Evidence, Quantity

T = EventType


def test_a_sale_offered_is_the_offers_content_and_fills_its_recipient() -> None:
    # "Qatar offered to sell LNG to Japan ."
    sent, ctx = sentence(["Qatar 1 nsubj PROPN", "offered 1 ROOT VERB offer VBD", "to 3 aux PART",
                          "sell 1 xcomp VERB sell VB", "LNG 3 dobj PROPN", "to 3 prep ADP", "Japan 5 pobj PROPN",
                          ". 1 punct PUNCT"], linked={0: "Country:QA", 4: "Commodity:lng", 6: "Country:JP"})
    [offer] = sentence_events(sent, ctx)
    assert (offer.type, offer.agent, offer.themes, offer.recipients, offer.status) == \
        (T.OFFER, ref("Country:QA"), (ref("Commodity:lng"),), (ref("Country:JP"),), "offered")


def event(type_: EventType = T.TARIFF, **roles) -> Event:
    return Event(type_, Evidence(0, 10, "a sentence"), agent=ref("Country:US"), themes=(ref("Commodity:steel"),),
                 **roles)


def test_a_restatement_fills_the_first_reports_gaps() -> None:
    headline = event(confidence=0.7)
    lead = event(date=dt.date(2024, 3, 12), recipients=(ref("Country:CA"),), confidence=0.8)
    [merged] = merge_restatements([headline, lead])
    assert (merged.date, merged.recipients, merged.confidence) == (dt.date(2024, 3, 12), (ref("Country:CA"),), 0.8)


def test_acts_that_disagree_stay_apart() -> None:
    imposed, lifted = event(status="imposed"), event(status="lifted")
    assert merge_restatements([imposed, lifted]) == [imposed, lifted]
    small = event(quantity=Quantity(Decimal("10"), "percent"))
    large = event(quantity=Quantity(Decimal("25"), "percent"))
    assert merge_restatements([small, large]) == [small, large]
    monday, friday = event(date=dt.date(2024, 3, 11)), event(date=dt.date(2024, 3, 15))
    assert merge_restatements([monday, friday]) == [monday, friday]
    other_agent = Event(T.TARIFF, Evidence(0, 10, "a sentence"), agent=ref("Country:MX"),
                        themes=(ref("Commodity:steel"),))
    assert merge_restatements([event(), other_agent]) == [event(), other_agent]
    # Statements and rankings are never merged: each report stands alone.
    said = Event(T.STATEMENT, Evidence(0, 10, "a sentence"), agent=ref("Person:lula"), quote="no")
    assert merge_restatements([said, said]) == [said, said]


def test_a_merged_fact_keeps_every_sentence_that_states_it() -> None:
    first = Event(T.TARIFF, Evidence(0, 9, "Sentence1"), agent=ref("Country:US"))
    again = Event(T.TARIFF, Evidence(20, 29, "Sentence2"), agent=ref("Country:US"), date=dt.date(2024, 3, 12))
    [merged] = merge_restatements([first, again])
    assert (merged.evidence, merged.restated) == (first.evidence, (again.evidence,))


def test_a_headline_restates_the_body_event_it_announces_and_stands_alone_otherwise() -> None:
    title = Event(T.TARIFF, Evidence(0, 5, "Title"), agent=ref("Country:US"))
    other_title = Event(T.SANCTION, Evidence(0, 5, "Title"), agent=ref("Country:US"))
    body = Event(T.TARIFF, Evidence(10, 14, "Body"), agent=ref("Country:US"), date=dt.date(2024, 3, 12))
    [told] = merge_headline([title], [body])
    assert (told.evidence, told.restated) == (body.evidence, (title.evidence,))
    assert merge_headline([other_title], [body]) == [other_title, body]


def test_a_measure_told_again_without_who_imposed_it_restates_it() -> None:
    imposed = event(T.SANCTION, recipients=(ref("Country:RU"),))
    again = replace(imposed, agent=None, evidence=Evidence(20, 30, "later"))
    other_target = replace(again, recipients=(ref("Country:IR"),))
    assert merge_restatements([imposed, again]) == [replace(imposed, restated=(again.evidence,))]
    assert len(merge_restatements([imposed, other_target])) == 2


def test_the_same_act_with_other_parties_is_another_act() -> None:
    bilateral = event(T.MEETING, counterparties=(ref("Person:putin"),))
    trilateral = replace(bilateral, counterparties=(ref("Person:putin"), ref("Person:khurelsukh")))
    assert merge_restatements([bilateral, trilateral]) == [bilateral, trilateral]
    assert len(merge_restatements([bilateral, replace(bilateral, counterparties=())])) == 1


def test_a_measure_told_again_with_more_of_its_goods_named_restates_it() -> None:
    on_steel = event()
    on_metals = replace(event(), themes=(ref("Commodity:metals"), ref("Commodity:steel")))
    assert len(merge_restatements([on_steel, on_metals])) == 1
    # A measure on no named goods may be any measure; a sale of more goods is another sale.
    assert len(merge_restatements([on_steel, replace(event(), themes=())])) == 2
    sale = event(T.SALE_OR_SUPPLY)
    assert len(merge_restatements([sale, replace(sale, themes=(*sale.themes, ref("Commodity:iron-ore")))])) == 2
