"""A clause's event assembled: type, roles, amounts, status, date, confidence (hand-parsed, no pipeline)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from rules_docs import ref, sentence

from geokg.extract.events import sentence_events
from geokg.model import Event, EventType

T = EventType


def test_a_planned_cut_of_exports_is_a_trade_change_down_with_its_size_and_recipient() -> None:
    # "Kazakhstan will cut wheat exports to Turkey by 300,000 tonnes ."
    sent, ctx = sentence(["Kazakhstan 2 nsubj PROPN", "will 2 aux AUX", "cut 2 ROOT VERB cut VB",
                          "wheat 4 compound NOUN", "exports 2 dobj NOUN export NNS", "to 2 prep ADP",
                          "Turkey 5 pobj PROPN", "by 2 prep ADP", "300,000 9 nummod NUM", "tonnes 7 pobj NOUN tonne",
                          ". 2 punct PUNCT"], linked={0: "Country:KZ", 3: "Commodity:wheat", 6: "Country:TR"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.agent, event.themes, event.recipients) == \
        (T.TRADE_CHANGE, ref("Country:KZ"), (ref("Commodity:wheat"),), (ref("Country:TR"),))
    assert (event.direction, event.change.value, event.change.unit, event.status) == \
        ("down", Decimal("300000"), "tonne", "planned")
    assert event.date is None and event.confidence == 0.7  # a plan is not dated by the article


def test_a_negated_act_is_no_event() -> None:
    # "Egypt did not buy Russian wheat ."
    sent, ctx = sentence(["Egypt 3 nsubj PROPN", "did 3 aux AUX do VBD", "not 3 neg PART", "buy 3 ROOT VERB buy VB",
                          "Russian 5 amod ADJ", "wheat 3 dobj NOUN", ". 3 punct PUNCT"],
                         linked={0: "Country:EG", 4: "Country:RU", 5: "Commodity:wheat"})
    assert sentence_events(sent, ctx) == []


def test_a_deal_signed_on_a_weekday_is_dated_to_the_last_one() -> None:
    # "India signed an oil deal with Russia on Monday ." in an article of Thursday 14 March 2024
    sent, ctx = sentence(["India 1 nsubj PROPN", "signed 1 ROOT VERB sign VBD", "an 4 det DET",
                          "oil 4 compound NOUN", "deal 1 dobj NOUN", "with 4 prep ADP", "Russia 5 pobj PROPN",
                          "on 1 prep ADP", "Monday 7 pobj PROPN", ". 1 punct PUNCT"],
                         linked={0: "Country:IN", 3: "Commodity:crude-oil", 6: "Country:RU"}, ents={(8, 9): "DATE"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.agent, event.counterparties, event.themes) == \
        (T.AGREEMENT, ref("Country:IN"), (ref("Country:RU"),), (ref("Commodity:crude-oil"),))
    assert (event.status, event.date, event.confidence) == ("signed", dt.date(2024, 3, 11), 0.8)


def test_a_meeting_ahead_is_proposed_and_dated_to_the_next_weekday() -> None:
    # "Oman will meet Iran on Monday ."
    sent, ctx = sentence(["Oman 2 nsubj PROPN", "will 2 aux AUX", "meet 2 ROOT VERB meet VB", "Iran 2 dobj PROPN",
                          "on 2 prep ADP", "Monday 4 pobj PROPN", ". 2 punct PUNCT"],
                         linked={0: "Country:OM", 3: "Country:IR"}, ents={(5, 6): "DATE"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.status, event.date) == (T.MEETING, "proposed", dt.date(2024, 3, 18))


def test_sanctions_to_be_lifted_target_the_country_of_the_goods() -> None:
    # "The EU will lift sanctions on Iranian oil ."
    sent, ctx = sentence(["The 1 det DET", "EU 3 nsubj PROPN", "will 3 aux AUX", "lift 3 ROOT VERB lift VB",
                          "sanctions 3 dobj NOUN sanction NNS", "on 4 prep ADP", "Iranian 7 amod ADJ",
                          "oil 5 pobj NOUN", ". 3 punct PUNCT"],
                         linked={1: "Organization:eu", 6: "Country:IR", 7: "Commodity:crude-oil"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.agent, event.recipients, event.status) == \
        (T.SANCTION, ref("Organization:eu"), (ref("Country:IR"),), "to be lifted")
    assert ctx.last_measure == event  # "the sanctions" in a later sentence refer to it


def test_a_ministry_issues_the_measure_its_state_imposes() -> None:
    # "MOFCOM banned graphite exports ."
    rows = ["MOFCOM 1 nsubj PROPN", "banned 1 ROOT VERB ban VBD", "graphite 3 compound NOUN",
            "exports 1 dobj NOUN export NNS", ". 1 punct PUNCT"]
    sent, ctx = sentence(rows, linked={0: "Organization:mofcom", 2: "Commodity:graphite"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.agent, event.on_behalf_of, event.status) == \
        (T.EXPORT_RESTRICTION, ref("Organization:mofcom"), None, "imposed")
    sent, ctx = sentence(rows, linked={0: "Organization:mofcom", 2: "Commodity:graphite"})
    ctx.person_countries = {ref("Organization:mofcom"): ref("Country:CN")}
    [event] = sentence_events(sent, ctx)
    assert (event.agent, event.on_behalf_of) == (ref("Country:CN"), None)


def test_an_agent_from_an_earlier_sentence_costs_confidence() -> None:
    # "It banned cobalt exports ." after a sentence whose subject was the DRC
    sent, ctx = sentence(["It 1 nsubj PRON", "banned 1 ROOT VERB ban VBD", "cobalt 3 compound NOUN",
                          "exports 1 dobj NOUN export NNS", ". 1 punct PUNCT"], linked={2: "Commodity:cobalt"})
    ctx.last_subject = ref("Country:CD")
    [event] = sentence_events(sent, ctx)
    assert (event.agent, event.confidence) == (ref("Country:CD"), 0.6)
    # With no one to refer to, a measure has no agent and is dropped.
    sent, ctx = sentence(["It 1 nsubj PRON", "banned 1 ROOT VERB ban VBD", "cobalt 3 compound NOUN",
                          "exports 1 dobj NOUN export NNS", ". 1 punct PUNCT"], linked={2: "Commodity:cobalt"})
    assert sentence_events(sent, ctx) == []


def test_a_clause_states_the_first_kind_whose_roles_it_finds() -> None:
    # "Supply worries drive a rise in oil prices ." : nobody supplies anything; prices rise.
    sent, ctx = sentence(["Supply 1 compound NOUN", "worries 2 nsubj NOUN worry",
                          "drive 2 ROOT VERB drive VBP", "a 4 det DET", "rise 2 dobj NOUN",
                          "in 4 prep ADP", "oil 7 compound NOUN", "prices 5 pobj NOUN price", ". 2 punct PUNCT"],
                         linked={6: "Commodity:crude-oil"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.themes, event.direction) == (T.PRICE_CHANGE, (ref("Commodity:crude-oil"),), "up")


def test_a_move_inside_a_prepositional_phrase_is_an_event_of_its_own() -> None:
    # "Shale drillers cut output amid the slump in oil prices ."
    sent, ctx = sentence(["Shale 1 compound NOUN", "drillers 2 nsubj NOUN driller", "cut 2 ROOT VERB cut VBD",
                          "output 2 dobj NOUN", "amid 2 prep ADP", "the 6 det DET", "slump 4 pobj NOUN",
                          "in 6 prep ADP", "oil 9 compound NOUN", "prices 7 pobj NOUN price", ". 2 punct PUNCT"],
                         linked={8: "Commodity:crude-oil"})
    moves = {(e.type, e.direction, e.agent) for e in sentence_events(sent, ctx)}
    assert moves == {(T.PRODUCTION, "down", None), (T.PRICE_CHANGE, "down", None)}


def test_a_speech_verb_with_an_amount_for_object_moves_it() -> None:
    from geokg.extract.attribution import Attribution
    from geokg.extract.events.clause import clause_event
    from geokg.extract.events.context import evidence_of

    # "Gold added 1% ." is a price move; "The minister added that output would rise ." is speech.
    sent, ctx = sentence(["Gold 1 nsubj PROPN", "added 1 ROOT VERB add VBD", "1 3 nummod NUM", "% 1 dobj NOUN",
                          ". 1 punct PUNCT"], linked={0: "Commodity:gold"})
    event = clause_event(sent, sent[1], [(sent[1], T.PRICE_CHANGE)], ctx, Attribution(), evidence_of(sent))
    assert event is not None and (event.type, event.direction) == (T.PRICE_CHANGE, "up")
    sent, ctx = sentence(["The 1 det DET", "minister 2 nsubj NOUN", "added 2 ROOT VERB add VBD", "that 6 mark SCONJ",
                          "output 6 nsubj NOUN", "would 6 aux AUX", "rise 2 ccomp VERB", ". 2 punct PUNCT"])
    assert clause_event(sent, sent[2], [(sent[2], T.PRICE_CHANGE)], ctx, Attribution(), evidence_of(sent)) is None


def test_a_trade_move_without_a_word_for_trade_is_a_price_move_of_its_commodity_or_nothing() -> None:
    from geokg.extract.attribution import Attribution
    from geokg.extract.events.clause import clause_event
    from geokg.extract.events.context import evidence_of

    def read(rows: list[str], trigger: int, linked: dict[int | tuple[int, int], str]) -> Event | None:
        sent, ctx = sentence(rows, linked=linked)
        return clause_event(sent, sent[1], [(sent[trigger], T.TRADE_CHANGE)], ctx, Attribution(), evidence_of(sent))

    loss = read(["Brent 1 nsubj PROPN", "suffered 1 ROOT VERB suffer VBD", "a 3 det DET", "loss 1 dobj NOUN",
                 ". 1 punct PUNCT"], 3, {0: "Commodity:brent"})
    assert loss is not None and loss.type is T.PRICE_CHANGE
    reserves = read(["Bank 1 nsubj PROPN", "increased 1 ROOT VERB increase VBD", "its 3 poss PRON",
                     "reserves 1 dobj NOUN reserve", ". 1 punct PUNCT"], 1, {0: "Organization:bank"})
    assert reserves is None
    exports = read(["Chile 1 nsubj PROPN", "cut 1 ROOT VERB cut VBD", "copper 3 compound NOUN",
                    "exports 1 dobj NOUN export", ". 1 punct PUNCT"], 3, {0: "Country:CL", 2: "Commodity:copper"})
    assert exports is not None and exports.type is T.TRADE_CHANGE


def test_a_result_phrase_moves_the_verbs_object_not_its_subject() -> None:
    from geokg.extract.moves import moved_kind

    # "Demand pushed copper prices higher ." : prices move, pushed by demand.
    sent, _ = sentence(["Demand 1 nsubj NOUN", "pushed 1 ROOT VERB push VBD", "copper 3 compound NOUN",
                        "prices 1 dobj NOUN price", "higher 1 advmod ADV high", ". 1 punct PUNCT"])
    assert moved_kind(sent[4], lambda token: token.lower_ == "copper") is T.PRICE_CHANGE


def test_a_move_qualifying_the_subject_is_an_event_of_its_own() -> None:
    # "Stronger demand should boost copper prices ."
    sent, ctx = sentence(["Stronger 1 amod ADJ strong", "demand 3 nsubj NOUN", "should 3 aux AUX",
                          "boost 3 ROOT VERB boost VB", "copper 5 compound NOUN", "prices 3 dobj NOUN price",
                          ". 3 punct PUNCT"], linked={4: "Commodity:copper"})
    moves = {(e.type, e.direction) for e in sentence_events(sent, ctx)}
    assert moves == {(T.DEMAND_CHANGE, "up"), (T.PRICE_CHANGE, "up")}


def test_production_with_no_producer_is_news_only_as_a_move() -> None:
    # "Smelters struggle producing nickel ." : no producer, no move; "Nickel output fell ." moves.
    sent, ctx = sentence(["Smelters 1 nsubj NOUN smelter", "struggle 1 ROOT VERB struggle VBP",
                          "producing 1 xcomp VERB produce VBG", "nickel 2 dobj NOUN", ". 1 punct PUNCT"],
                         linked={3: "Commodity:nickel"})
    assert [e for e in sentence_events(sent, ctx) if e.type is T.PRODUCTION] == []
    sent, ctx = sentence(["Nickel 1 compound NOUN", "output 2 nsubj NOUN", "fell 2 ROOT VERB fall VBD",
                          ". 2 punct PUNCT"], linked={0: "Commodity:nickel"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.agent, event.direction) == (T.PRODUCTION, None, "down")


def test_words_that_only_say_which_goods_are_no_event_of_their_own() -> None:
    # "Peru curbed imports of zinc smelted in Bolivia ." : the participle describes the zinc.
    sent, ctx = sentence(["Peru 1 nsubj PROPN", "curbed 1 ROOT VERB curb VBD", "imports 1 dobj NOUN import NNS",
                          "of 2 prep ADP", "zinc 3 pobj NOUN", "smelted 4 acl VERB smelt VBN", "in 5 prep ADP",
                          "Bolivia 6 pobj PROPN", ". 1 punct PUNCT"],
                         linked={0: "Country:PE", 4: "Commodity:zinc", 7: "Country:BO"})
    assert T.PRODUCTION not in {e.type for e in sentence_events(sent, ctx)}
    # "A ban on Cuban sugar sales is planned ." : the sales are what the ban is on.
    sent, ctx = sentence(["A 1 det DET", "ban 7 nsubjpass NOUN", "on 1 prep ADP", "Cuban 5 amod ADJ",
                          "sugar 5 compound NOUN", "sales 2 pobj NOUN sale NNS", "is 7 auxpass AUX be",
                          "planned 7 ROOT VERB plan VBN", ". 7 punct PUNCT"],
                         linked={3: "Country:CU", 4: "Commodity:sugar"})
    assert T.SALE_OR_SUPPLY not in {e.type for e in sentence_events(sent, ctx)}


def test_the_country_of_sanctioned_goods_is_the_target_even_with_no_one_named_to_impose_it() -> None:
    # "Sanctions on Syrian phosphate were tightened ."
    sent, ctx = sentence(["Sanctions 4 nsubjpass NOUN sanction NNS", "on 0 prep ADP", "Syrian 3 amod ADJ",
                          "phosphate 1 pobj NOUN", "were 4 auxpass AUX be", "tightened 4 ROOT VERB tighten VBN",
                          ". 4 punct PUNCT"], linked={2: "Country:SY", 3: "Commodity:phosphate"})
    [event] = [e for e in sentence_events(sent, ctx) if e.type is T.SANCTION]
    assert (event.agent, event.recipients) == (None, (ref("Country:SY"),))


def test_a_result_phrase_moves_the_commodity_the_verb_sends() -> None:
    # "Rains sent cocoa higher ." and "Fears pushed Brent to its lowest ."
    sent, ctx = sentence(["Rains 1 nsubj NOUN rain", "sent 1 ROOT VERB send VBD", "cocoa 1 dobj NOUN",
                          "higher 1 advmod ADV high", ". 1 punct PUNCT"], linked={2: "Commodity:cocoa"})
    assert {(e.type, e.direction) for e in sentence_events(sent, ctx)} == {(T.PRICE_CHANGE, "up")}
    sent, ctx = sentence(["Fears 1 nsubj NOUN fear", "pushed 1 ROOT VERB push VBD", "Brent 1 dobj PROPN",
                          "to 1 prep ADP", "its 5 poss PRON", "lowest 3 pobj ADJ low", ". 1 punct PUNCT"],
                         linked={2: "Commodity:brent"})
    assert {(e.type, e.direction) for e in sentence_events(sent, ctx)} == {(T.PRICE_CHANGE, "down")}


def test_a_contract_month_is_no_delivery() -> None:
    # "Brent for May delivery on ICE rose ."
    sent, ctx = sentence(["Brent 6 nsubj PROPN", "for 0 prep ADP", "May 3 compound PROPN", "delivery 1 pobj NOUN",
                          "on 3 prep ADP", "ICE 4 pobj PROPN", "rose 6 ROOT VERB rise VBD", ". 6 punct PUNCT"],
                         linked={0: "Commodity:brent", 5: "Organization:ice"}, ents={(2, 3): "DATE"})
    assert [e.type for e in sentence_events(sent, ctx)] == [T.PRICE_CHANGE]


def test_a_price_that_jumps_by_a_percentage_moves_by_it() -> None:
    # "Coal prices jumped 12% to $140 ."
    sent, ctx = sentence(["Coal 1 compound NOUN", "prices 2 nsubj NOUN price", "jumped 2 ROOT VERB jump VBD",
                          "12 4 nummod NUM", "% 2 npadvmod NOUN", "to 2 prep ADP", "$ 7 nmod SYM", "140 5 pobj NUM",
                          ". 2 punct PUNCT"], linked={0: "Commodity:coal"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.direction, event.change.value, event.change.unit) == \
        (T.PRICE_CHANGE, "up", Decimal("12"), "percent")
    assert event.quantity is not None and event.quantity.value == Decimal("140")


def test_a_move_an_act_aims_at_is_planned() -> None:
    # "Ghana cut exports to lift cocoa prices ."
    sent, ctx = sentence(["Ghana 1 nsubj PROPN", "cut 1 ROOT VERB cut VBD", "exports 1 dobj NOUN export NNS",
                          "to 4 aux PART", "lift 1 advcl VERB lift VB", "cocoa 6 compound NOUN",
                          "prices 4 dobj NOUN price", ". 1 punct PUNCT"], linked={0: "Country:GH", 5: "Commodity:cocoa"})
    [price] = [e for e in sentence_events(sent, ctx) if e.type is T.PRICE_CHANGE]
    assert (price.direction, price.status) == ("up", "planned")


def test_a_percentage_in_another_clause_is_not_the_amount() -> None:
    from geokg.extract.events.amounts import quantity_of

    # "Exports fell 9% as Peru shipped copper ." : the sale has no amount.
    sent, _ = sentence(["Exports 1 nsubj NOUN export NNS", "fell 1 ROOT VERB fall VBD", "9 3 nummod NUM",
                        "% 1 npadvmod NOUN", "as 5 mark SCONJ", "Peru 6 nsubj PROPN", "shipped 1 advcl VERB ship VBD",
                        "copper 6 dobj NOUN", ". 1 punct PUNCT"])
    assert quantity_of(sent, sent[6], T.SALE_OR_SUPPLY, (4, 8)) is None
    assert quantity_of(sent, sent[1], T.TRADE_CHANGE, (0, 9)) is not None


def test_exports_of_a_countrys_goods_are_that_countrys_sale() -> None:
    # "Exports of Peruvian copper resumed ."
    sent, ctx = sentence(["Exports 4 nsubj NOUN export NNS", "of 0 prep ADP", "Peruvian 3 amod ADJ",
                          "copper 1 pobj NOUN", "resumed 4 ROOT VERB resume VBD", ". 4 punct PUNCT"],
                         linked={2: "Country:PE", 3: "Commodity:copper"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.agent, event.themes) == (T.SALE_OR_SUPPLY, ref("Country:PE"), (ref("Commodity:copper"),))


def test_output_cuts_of_an_amount_are_a_change_of_that_size() -> None:
    # "OPEC extended output cuts of 2 million barrels per day ."
    sent, ctx = sentence(["OPEC 1 nsubj PROPN", "extended 1 ROOT VERB extend VBD", "output 3 compound NOUN",
                          "cuts 1 dobj NOUN cut NNS", "of 3 prep ADP", "2 6 compound NUM", "million 7 nummod NUM",
                          "barrels 4 pobj NOUN barrel", "per 7 prep ADP", "day 8 pobj NOUN", ". 1 punct PUNCT"],
                         linked={0: "Organization:opec"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.direction, event.quantity) == (T.PRODUCTION, "down", None)
    assert event.change is not None and event.change.value == Decimal("2000000")


def test_shutting_a_refinery_stops_its_output() -> None:
    # "An attack shut the Kirishi refinery in Russia ."
    sent, ctx = sentence(["An 1 det DET", "attack 2 nsubj NOUN", "shut 2 ROOT VERB shut VBD", "the 5 det DET",
                          "Kirishi 5 compound PROPN", "refinery 2 dobj NOUN", "in 5 prep ADP", "Russia 6 pobj PROPN",
                          ". 2 punct PUNCT"], linked={7: "Country:RU"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.agent, event.direction) == (T.PRODUCTION, ref("Country:RU"), "down")


def test_a_purchase_of_a_countrys_goods_is_from_that_country() -> None:
    # "Japan bought U.S. wheat ."
    sent, ctx = sentence(["Japan 1 nsubj PROPN", "bought 1 ROOT VERB buy VBD", "U.S. 3 compound PROPN",
                          "wheat 1 dobj NOUN", ". 1 punct PUNCT"],
                         linked={0: "Country:JP", 2: "Country:US", 3: "Commodity:wheat"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.agent, event.counterparties) == \
        (T.PURCHASE_OR_IMPORT, ref("Country:JP"), (ref("Country:US"),))


def test_an_act_the_sentence_places_in_another_period_is_not_dated_by_the_article() -> None:
    # "Oman announced its output rose in 2023 ." in an article of 2024
    sent, ctx = sentence(["Oman 1 nsubj PROPN", "announced 1 ROOT VERB announce VBD", "its 3 poss PRON",
                          "output 4 nsubj NOUN", "rose 1 ccomp VERB rise VBD", "in 4 prep ADP", "2023 5 pobj NUM",
                          ". 1 punct PUNCT"], linked={0: "Country:OM"}, ents={(6, 7): "DATE"})
    ctx.last_commodity = ref("Commodity:crude-oil")
    [event] = [e for e in sentence_events(sent, ctx) if e.type is T.PRODUCTION]
    assert event.date is None


def test_output_at_a_companys_own_field_is_the_companys() -> None:
    # "Tullow said output at its Jubilee field in Ghana fell ."
    sent, ctx = sentence(["Tullow 1 nsubj PROPN", "said 1 ROOT VERB say VBD", "output 8 nsubj NOUN",
                          "at 2 prep ADP", "its 6 poss PRON", "Jubilee 6 compound PROPN", "field 3 pobj NOUN",
                          "in 6 prep ADP", "fell 1 ccomp VERB fall VBD", ". 1 punct PUNCT"],
                         linked={0: "Company:tullow"})
    ctx.last_commodity = ref("Commodity:crude-oil")
    [event] = [e for e in sentence_events(sent, ctx) if e.type is T.PRODUCTION]
    assert event.agent == ref("Company:tullow")


def test_halting_work_at_a_refinery_stops_output_and_is_no_measure() -> None:
    # "Vedanta halted work at its refinery ."
    sent, ctx = sentence(["Vedanta 1 nsubj PROPN", "halted 1 ROOT VERB halt VBD", "work 1 dobj NOUN",
                          "at 1 prep ADP", "its 5 poss PRON", "refinery 3 pobj NOUN", ". 1 punct PUNCT"],
                         linked={0: "Company:vedanta"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.agent, event.direction) == (T.PRODUCTION, ref("Company:vedanta"), "down")
    from geokg.extract.events.triggers import classify

    assert classify(sent[1]) is None  # the halt is of work, not a measure a model may read into it


def test_two_sides_agreeing_on_something_that_is_no_act_of_its_own_is_an_agreement() -> None:
    # "Sinopec and Aramco agreed to build a refinery ." (but "Chile agreed to sell copper" is a sale)
    sent, ctx = sentence(["Sinopec 3 nsubj PROPN", "and 0 cc CCONJ", "Aramco 0 conj PROPN",
                          "agreed 3 ROOT VERB agree VBD", "to 5 aux PART", "build 3 xcomp VERB build VB",
                          "a 7 det DET", "refinery 5 dobj NOUN", ". 3 punct PUNCT"],
                         linked={0: "Company:sinopec", 2: "Company:saudi-aramco"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.agent, event.counterparties) == \
        (T.AGREEMENT, ref("Company:sinopec"), (ref("Company:saudi-aramco"),))
    sent, ctx = sentence(["Chile 1 nsubj PROPN", "agreed 1 ROOT VERB agree VBD", "with 1 prep ADP",
                          "India 2 pobj PROPN", "to 5 aux PART", "sell 1 xcomp VERB sell VB", "copper 5 dobj NOUN",
                          ". 1 punct PUNCT"], linked={0: "Country:CL", 3: "Country:IN", 6: "Commodity:copper"})
    assert [e.type for e in sentence_events(sent, ctx)] == [T.SALE_OR_SUPPLY]


def test_denying_entry_is_a_sanction_on_the_visitors_country() -> None:
    # "Latvia denied entry to a Belarusian official ."
    sent, ctx = sentence(["Latvia 1 nsubj PROPN", "denied 1 ROOT VERB deny VBD", "entry 1 dobj NOUN",
                          "to 1 prep ADP", "a 6 det DET", "Belarusian 6 amod ADJ", "official 3 pobj NOUN",
                          ". 1 punct PUNCT"], linked={0: "Country:LV", 5: "Country:BY"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.agent, event.recipients) == (T.SANCTION, ref("Country:LV"), (ref("Country:BY"),))


def test_a_host_meets_its_guest_and_the_topic_of_talks_is_no_event() -> None:
    # "Lula hosted Ramaphosa to discuss ethanol exports ."
    sent, ctx = sentence(["Lula 1 nsubj PROPN", "hosted 1 ROOT VERB host VBD", "Ramaphosa 1 dobj PROPN",
                          "to 4 aux PART", "discuss 1 advcl VERB discuss VB", "ethanol 6 compound NOUN",
                          "exports 4 dobj NOUN export NNS", ". 1 punct PUNCT"],
                         linked={0: "Person:lula", 2: "Person:cyril-ramaphosa", 5: "Commodity:ethanol"},
                         ents={(2, 3): "PERSON"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.agent, event.counterparties) == \
        (T.MEETING, ref("Person:lula"), (ref("Person:cyril-ramaphosa"),))


def test_a_threatened_measure_is_proposed() -> None:
    # "Canada threatened to impose tariffs on Chinese steel ."
    sent, ctx = sentence(["Canada 1 nsubj PROPN", "threatened 1 ROOT VERB threaten VBD", "to 3 aux PART",
                          "impose 1 xcomp VERB impose VB", "tariffs 3 dobj NOUN tariff NNS", "on 4 prep ADP",
                          "Chinese 7 amod ADJ", "steel 5 pobj NOUN", ". 1 punct PUNCT"],
                         linked={0: "Country:CA", 6: "Country:CN", 7: "Commodity:steel"})
    [event] = [e for e in sentence_events(sent, ctx) if e.type is T.TARIFF]
    assert (event.agent, event.recipients, event.status) == (ref("Country:CA"), (ref("Country:CN"),), "proposed")


def test_a_measure_the_sentence_only_wonders_about_is_no_fact_but_a_feared_move_is() -> None:
    # "It is unclear when the ban on Canadian canola will end ."
    sent, ctx = sentence(["It 1 nsubj PRON", "is 1 ROOT AUX be", "unclear 1 acomp ADJ", "when 10 advmod SCONJ",
                          "the 5 det DET", "ban 10 nsubj NOUN", "on 5 prep ADP", "Canadian 8 amod ADJ",
                          "canola 6 pobj NOUN", "will 10 aux AUX", "end 1 advcl VERB end VB", ". 1 punct PUNCT"],
                         linked={7: "Country:CA", 8: "Commodity:rapeseed"}, ents={(7, 8): "NORP"})
    assert [e for e in sentence_events(sent, ctx) if e.type is T.SANCTION] == []
    # "It is unclear whether copper prices fell ." : prices are still news.
    sent, ctx = sentence(["It 1 nsubj PRON", "is 1 ROOT AUX be", "unclear 1 acomp ADJ", "whether 6 mark SCONJ",
                          "copper 5 compound NOUN", "prices 6 nsubj NOUN price", "fell 1 ccomp VERB fall VBD",
                          ". 1 punct PUNCT"], linked={4: "Commodity:copper"})
    assert [e.type for e in sentence_events(sent, ctx)] == [T.PRICE_CHANGE]


def test_supplies_an_act_aims_at_are_no_delivery_but_a_delivery_it_commits_to_is_planned() -> None:
    # "Ghana banned exports to keep supplies of cocoa ."
    sent, ctx = sentence(["Ghana 1 nsubj PROPN", "banned 1 ROOT VERB ban VBD", "exports 1 dobj NOUN export NNS",
                          "to 4 aux PART", "keep 1 advcl VERB keep VB", "supplies 4 dobj NOUN supply NNS",
                          "of 5 prep ADP", "cocoa 6 pobj NOUN", ". 1 punct PUNCT"],
                         linked={0: "Country:GH", 7: "Commodity:cocoa"})
    assert T.SALE_OR_SUPPLY not in {e.type for e in sentence_events(sent, ctx)}
    # "Qatar signed a pact to deliver LNG ."
    sent, ctx = sentence(["Qatar 1 nsubj PROPN", "signed 1 ROOT VERB sign VBD", "a 3 det DET", "pact 1 dobj NOUN",
                          "to 5 aux PART", "deliver 1 advcl VERB deliver VB", "LNG 5 dobj PROPN", ". 1 punct PUNCT"],
                         linked={0: "Country:QA", 6: "Commodity:lng"})
    [supply] = [e for e in sentence_events(sent, ctx) if e.type is T.SALE_OR_SUPPLY]
    assert supply.status == "planned"


def test_what_a_company_is_is_no_event() -> None:
    # "Zeiss is a big optics firm , producing lithography lenses ."
    sent, ctx = sentence(["Zeiss 1 nsubj PROPN", "is 1 ROOT AUX be", "a 4 det DET", "big 4 amod ADJ",
                          "firm 1 attr NOUN", ", 1 punct PUNCT", "producing 1 advcl VERB produce VBG",
                          "lithography 8 compound NOUN", "lenses 6 dobj NOUN lens", ". 1 punct PUNCT"],
                         linked={0: "Company:zeiss", 7: "Commodity:duv-lithography"})
    assert T.PRODUCTION not in {e.type for e in sentence_events(sent, ctx)}


def test_accepting_a_bid_is_a_sale_to_the_bidder() -> None:
    # "Canada accepted a bid from Peru for barley ."
    sent, ctx = sentence(["Canada 1 nsubj PROPN", "accepted 1 ROOT VERB accept VBD", "a 3 det DET",
                          "bid 1 dobj NOUN", "from 3 prep ADP", "Peru 4 pobj PROPN", "for 3 prep ADP",
                          "barley 6 pobj NOUN", ". 1 punct PUNCT"],
                         linked={0: "Country:CA", 5: "Country:PE", 7: "Commodity:barley"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.agent, event.recipients) == (T.SALE_OR_SUPPLY, ref("Country:CA"), (ref("Country:PE"),))


def test_cocoa_grindings_are_demand() -> None:
    # "Cocoa grindings fell 11% ."
    sent, ctx = sentence(["Cocoa 1 compound NOUN", "grindings 2 nsubj NOUN grinding", "fell 2 ROOT VERB fall VBD",
                          "11 4 nummod NUM", "% 2 npadvmod NOUN", ". 2 punct PUNCT"], linked={0: "Commodity:cocoa"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.direction) == (T.DEMAND_CHANGE, "down")
