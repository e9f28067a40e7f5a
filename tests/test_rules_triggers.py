"""Triggers: which word names which event type, on hand-parsed sentences (no pipeline)."""

from __future__ import annotations

import pytest
from rules_docs import sentence

from geokg.extract.events.triggers import classify, clauses
from geokg.extract.lexicon import TRIGGERS, parse_triggers
from geokg.model import Event, EventType, Evidence

T = EventType


def kinds(rows: list[str], **entities) -> list[tuple[str, EventType | None]]:
    sent, _ = sentence(rows, **entities)
    return [(t.text, classify(t)) for t in sent if classify(t) is not None]


def test_a_ban_on_exports_is_a_restriction_and_the_exports_no_sale() -> None:
    # "Indonesia banned nickel ore exports ."
    assert kinds(["Indonesia 1 nsubj PROPN", "banned 1 ROOT VERB ban VBD", "nickel 3 compound NOUN",
                  "ore 4 compound NOUN", "exports 1 dobj NOUN export NNS", ". 1 punct PUNCT"]) \
        == [("banned", T.EXPORT_RESTRICTION)]


def test_a_ban_on_goods_named_by_their_origin_is_a_sanction() -> None:
    # "Lithuania banned Belarusian potash ."
    assert kinds(["Lithuania 1 nsubj PROPN", "banned 1 ROOT VERB ban VBD", "Belarusian 3 amod ADJ",
                  "potash 1 dobj NOUN", ". 1 punct PUNCT"], ents={(2, 3): "NORP"}) == [("banned", T.SANCTION)]


def test_words_that_name_an_event_only_in_their_frame() -> None:
    # "Japan placed an order for Qatari gas ."
    assert kinds(["Japan 1 nsubj PROPN", "placed 1 ROOT VERB place VBD", "an 3 det DET", "order 1 dobj NOUN",
                  "for 3 prep ADP", "Qatari 6 amod ADJ", "gas 4 pobj NOUN", ". 1 punct PUNCT"]) \
        == [("order", T.PURCHASE_OR_IMPORT)]
    # "The cargo of Nigerian crude arrived in Mumbai ."
    assert kinds(["The 1 det DET", "cargo 5 nsubj NOUN", "of 1 prep ADP", "Nigerian 4 amod ADJ",
                  "crude 2 pobj NOUN", "arrived 5 ROOT VERB arrive VBD", "in 5 prep ADP", "Mumbai 6 pobj PROPN",
                  ". 5 punct PUNCT"]) == [("cargo", T.PURCHASE_OR_IMPORT)]
    # "Vale stopped operations ." : the mine's production, not a restriction
    assert kinds(["Vale 1 nsubj PROPN", "stopped 1 ROOT VERB stop VBD", "operations 1 dobj NOUN operation NNS",
                  ". 1 punct PUNCT"]) == [("operations", T.PRODUCTION)]


def test_readiness_names_the_act_it_is_ready_for() -> None:
    # "Qatar is ready to supply LNG ." / "Oman is willing to meet Iran ."
    ready = ["Qatar 1 nsubj PROPN", "is 1 ROOT AUX be VBZ", "ready 1 acomp ADJ", "to 4 aux PART",
             "supply 2 xcomp VERB supply VB", "LNG 4 dobj PROPN", ". 1 punct PUNCT"]
    assert kinds(ready)[0] == ("ready", T.OFFER)
    willing = ["Oman 1 nsubj PROPN", "is 1 ROOT AUX be VBZ", "willing 1 acomp ADJ", "to 4 aux PART",
               "meet 2 xcomp VERB meet VB", "Iran 4 dobj PROPN", ". 1 punct PUNCT"]
    assert kinds(willing)[0] == ("willing", T.MEETING)
    # The readiness names the clause of the act: one clause, "supply", tried with both triggers.
    sent, ctx = sentence(ready)
    assert list(clauses(sent, set(), ctx)) == [sent[4]]


def test_a_trigger_word_in_the_wrong_part_of_speech_names_nothing() -> None:
    # "The economy contracted ." (not a contract) / "Officials talked ." (not talks)
    assert kinds(["The 1 det DET", "economy 2 nsubj NOUN", "contracted 2 ROOT VERB contract VBD",
                  ". 2 punct PUNCT"]) == []
    assert kinds(["Officials 1 nsubj NOUN official", "talked 1 ROOT VERB talk VBD", ". 1 punct PUNCT"]) == []
    # "Chile and Peru held talks ."
    assert kinds(["Chile 3 nsubj PROPN", "and 0 cc CCONJ", "Peru 0 conj PROPN", "held 3 ROOT VERB hold VBD",
                  "talks 3 dobj NOUN talk NNS", ". 3 punct PUNCT"]) == [("talks", T.MEETING)]


def test_a_moving_volume_is_a_trade_change_and_a_market_total_no_event() -> None:
    # "Ghana 's cocoa exports fell ."
    assert kinds(["Ghana 3 poss PROPN", "'s 0 case PART", "cocoa 3 compound NOUN", "exports 4 nsubj NOUN export",
                  "fell 4 ROOT VERB fall VBD", ". 4 punct PUNCT"]) == [("exports", T.TRADE_CHANGE)]
    # "Global copper supply tightened ." : the world's supply, no act
    assert kinds(["Global 2 amod ADJ", "copper 2 compound NOUN", "supply 3 nsubj NOUN",
                  "tightened 3 ROOT VERB tighten VBD", ". 3 punct PUNCT"]) == []


def test_a_nominal_trigger_that_refers_to_an_event_told_elsewhere_names_none() -> None:
    # "Prices eased following the summit ." / "Exports grew , according to Reuters ."
    assert kinds(["Prices 1 nsubj NOUN price", "eased 1 ROOT VERB ease VBD", "following 1 prep VERB follow",
                  "the 4 det DET", "summit 2 pobj NOUN", ". 1 punct PUNCT"]) == []
    assert kinds(["according 0 prep VERB accord VBG", "to 0 prep ADP", "Reuters 1 pobj PROPN"]) == []


def test_the_price_cap_is_a_measure_the_market_cap_is_not() -> None:
    # "a price cap on Russian oil" / "the market cap of Glencore"
    assert kinds(["a 2 det DET", "price 2 compound NOUN", "cap 2 ROOT NOUN", "on 2 prep ADP",
                  "Russian 5 amod ADJ", "oil 3 pobj NOUN"], ents={(4, 5): "NORP"}) == [("cap", T.SANCTION)]
    assert kinds(["the 2 det DET", "market 2 compound NOUN", "cap 2 ROOT NOUN", "of 2 prep ADP",
                  "Glencore 3 pobj PROPN"]) == []


def test_the_measure_named_before_is_the_one_the_ban_refers_to() -> None:
    # "The embargo hurt Cuba ." after a sentence on a sanction
    sent, ctx = sentence(["The 1 det DET", "embargo 2 nsubj NOUN", "hurt 2 ROOT VERB hurt VBD",
                          "Cuba 2 dobj PROPN", ". 2 punct PUNCT"])
    assert clauses(sent, set(), ctx)[sent[2]] == [[(sent[1], T.SANCTION)]]
    ctx.last_measure = Event(T.TARIFF, Evidence(0, 1, "x"))
    assert clauses(sent, set(), ctx)[sent[2]] == [[(sent[1], T.SANCTION)]]  # its own word first
    sent, ctx = sentence(["The 1 det DET", "restrictions 2 nsubj NOUN restriction", "hurt 2 ROOT VERB hurt VBD",
                          "Cuba 2 dobj PROPN", ". 2 punct PUNCT"])
    ctx.last_measure = Event(T.TARIFF, Evidence(0, 1, "x"))
    assert clauses(sent, set(), ctx)[sent[2]] == [[(sent[1], T.TARIFF)]]


def test_the_lexicon_lists_each_lemma_for_one_registered_type() -> None:
    assert TRIGGERS["embargo"] is T.SANCTION and TRIGGERS["summit"] is T.MEETING
    assert parse_triggers({"Tariff": ["duty"], "Offer": ["pledge"]}) == {"duty": T.TARIFF, "pledge": T.OFFER}
    with pytest.raises(ValueError, match="'Tarif' is not an event type. It must be in: Offer, "):
        parse_triggers({"Tarif": ["duty"]})
    with pytest.raises(ValueError, match="'duty' is listed for Tariff and Sanction"):
        parse_triggers({"Tariff": ["duty"], "Sanction": ["duty"]})


def test_building_a_plant_is_no_stock_build() -> None:
    from geokg.extract.events.triggers import _builds_something

    sent, _ = sentence(["Aramco 1 nsubj PROPN", "will 2 aux AUX", "build 2 ROOT VERB build VB", "a 4 det DET",
                        "refinery 2 dobj NOUN", ". 2 punct PUNCT"])
    assert _builds_something(sent[2], T.INVENTORY_CHANGE)
    sent, _ = sentence(["Stocks 1 nsubj NOUN stock", "built 1 ROOT VERB build VBD", ". 1 punct PUNCT"])
    assert not _builds_something(sent[1], T.INVENTORY_CHANGE)
