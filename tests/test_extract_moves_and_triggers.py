"""Moves and the combination of rule and trained triggers, on hand-built Docs (no pipeline)."""

from __future__ import annotations

from decimal import Decimal

import numpy
import pytest
import spacy
from spacy.tokens import Doc, Span

from geokg.extract.events.agents import country_of_move
from geokg.extract.events.context import SentenceContext
from geokg.extract.events.triggers import TRIGGER_THRESHOLD, clauses
from geokg.extract.linking import LinkedDoc
from geokg.extract.moves import direction_of, move_quantities, moved_kind
from geokg.model import Entity, EntityKind, EntityRef, EventType
from geokg.extract.text import SPANS_KEY

T = EventType


@pytest.fixture(scope="module")
def vocab():
    return spacy.blank("en").vocab


def make(vocab, words, heads, deps, pos, lemmas=None, triggers=()) -> Doc:
    doc = Doc(vocab, words=words, heads=heads, deps=deps, pos=pos, lemmas=lemmas or [w.lower() for w in words],
              sent_starts=[True] + [False] * (len(words) - 1))
    doc.spans[SPANS_KEY] = [Span(doc, i, i + 1, label=label) for i, label in triggers]
    return doc


def context() -> SentenceContext:
    return SentenceContext(LinkedDoc(), None, None)  # nothing linked: no token is a commodity


def cut_exports(vocab, triggers=()) -> Doc:
    # "Kazakhstan will cut wheat exports by 300,000 tonnes to 1.2 million tonnes ."
    words = ["Kazakhstan", "will", "cut", "wheat", "exports", "by", "300,000", "tonnes", "to", "1.2", "million",
             "tonnes", "."]
    heads = [2, 2, 2, 4, 2, 2, 7, 5, 2, 10, 11, 8, 2]
    deps = ["nsubj", "aux", "ROOT", "compound", "dobj", "prep", "nummod", "pobj", "prep", "compound", "nummod",
            "pobj", "punct"]
    pos = ["PROPN", "AUX", "VERB", "NOUN", "NOUN", "ADP", "NUM", "NOUN", "ADP", "NUM", "NUM", "NOUN", "PUNCT"]
    lemmas = ["Kazakhstan", "will", "cut", "wheat", "export", "by", "300,000", "tonne", "to", "1.2", "million",
              "tonne", "."]
    return make(vocab, words, heads, deps, pos, lemmas, triggers)


def test_a_cut_is_a_change_down_with_its_level_after(vocab) -> None:
    doc = cut_exports(vocab)
    cut = doc[2]
    assert direction_of(cut, cut) == "down"
    move = move_quantities(doc[:], cut, (0, len(doc)))
    assert (move.change.value, move.change.unit) == (Decimal("300000"), "tonne")
    assert (move.level.value, move.level.unit) == (Decimal("1200000"), "tonne")
    assert move.previous is None


def test_a_percentage_after_the_verb_is_the_change_and_from_names_the_previous_level(vocab) -> None:
    # "Copper rose 3 % from $ 8,000 ."  /  "Stocks held steady ."
    doc = make(vocab, ["Copper", "rose", "3", "%", "from", "$", "8,000", "."], [1, 1, 3, 1, 1, 6, 4, 1],
               ["nsubj", "ROOT", "nummod", "npadvmod", "prep", "nmod", "pobj", "punct"],
               ["NOUN", "VERB", "NUM", "NOUN", "ADP", "SYM", "NUM", "PUNCT"],
               ["copper", "rise", "3", "%", "from", "$", "8,000", "."])
    move = move_quantities(doc[:], doc[1], (0, len(doc)))
    assert direction_of(doc[1], doc[1]) == "up"
    assert (move.change.value, move.change.unit) == (Decimal("3"), "percent")
    assert move.previous is not None and move.previous.value == Decimal("8000") and move.level is None
    steady = make(vocab, ["Stocks", "held", "steady", "."], [1, 1, 1, 1], ["nsubj", "ROOT", "acomp", "punct"],
                  ["NOUN", "VERB", "ADJ", "PUNCT"], ["stock", "hold", "steady", "."])
    assert direction_of(steady[1], steady[1]) == "unchanged"


def test_without_the_model_the_rules_read_a_cut_in_exports_as_a_trade_volume_move(vocab) -> None:
    doc = cut_exports(vocab)  # "exports" under "cut" is a volume that moves, never a sale
    assert clauses(doc[:], set(), context()) == {doc[2]: [[(doc[2], T.TRADE_CHANGE), (doc[4], T.TRADE_CHANGE)]]}


def test_a_model_trigger_names_a_clause_the_rules_find_nothing_in(vocab) -> None:
    # "Copper rose 3 % ." : no rule trigger; the model's "rose" names the clause.
    doc = make(vocab, ["Copper", "rose", "3", "%", "."], [1, 1, 3, 1, 1],
               ["nsubj", "ROOT", "nummod", "npadvmod", "punct"], ["NOUN", "VERB", "NUM", "NOUN", "PUNCT"],
               ["copper", "rise", "3", "%", "."], triggers=[(1, "PriceChange")])
    assert clauses(doc[:], set(), context()) == {doc[1]: [[(doc[1], T.PRICE_CHANGE)]]}


def test_rule_triggers_keep_their_clauses_and_model_triggers_add_the_others(vocab) -> None:
    # "Chile sold copper and Peru banned exports ; zinc slumped ."  rules: sold -> SaleOrSupply,
    # banned -> ExportRestriction, nothing on "slumped"; the model marks "banned" as a Sanction and
    # "slumped" as a PriceChange: the rules keep "banned", the model adds "slumped".
    words = ["Chile", "sold", "copper", "and", "Peru", "banned", "exports", ";", "zinc", "slumped", "."]
    doc = make(vocab, words, [1, 1, 1, 1, 5, 1, 5, 1, 9, 1, 1],
               ["nsubj", "ROOT", "dobj", "cc", "nsubj", "conj", "dobj", "punct", "nsubj", "conj", "punct"],
               ["PROPN", "VERB", "NOUN", "CCONJ", "PROPN", "VERB", "NOUN", "PUNCT", "NOUN", "VERB", "PUNCT"],
               ["Chile", "sell", "copper", "and", "Peru", "ban", "export", ";", "zinc", "slump", "."],
               triggers=[(5, "Sanction"), (9, "PriceChange")])
    found = clauses(doc[:], set(), context())
    assert found == {doc[1]: [[(doc[1], T.SALE_OR_SUPPLY)]],
                     doc[5]: [[(doc[5], T.EXPORT_RESTRICTION)], [(doc[5], T.SANCTION)]],
                     doc[9]: [[(doc[9], T.PRICE_CHANGE)]]}
    assert list(found) == [doc[1], doc[5], doc[9]]  # in text order


def test_a_model_trigger_on_a_measure_told_before_names_no_event(vocab) -> None:
    # "Prices rose once the ban took effect ." : the model marks "ban"; it is an earlier event.
    doc = make(vocab, ["Prices", "rose", "once", "the", "ban", "took", "effect", "."], [1, 1, 5, 4, 5, 1, 5, 1],
               ["nsubj", "ROOT", "mark", "det", "nsubj", "advcl", "dobj", "punct"],
               ["NOUN", "VERB", "SCONJ", "DET", "NOUN", "VERB", "NOUN", "PUNCT"],
               ["price", "rise", "once", "the", "ban", "take", "effect", "."], triggers=[(4, "Sanction")])
    assert clauses(doc[:], set(), context()) == {doc[1]: [[(doc[1], T.PRICE_CHANGE)]]}


def test_a_model_trigger_in_a_phrase_of_time_or_called_off_names_no_event(vocab) -> None:
    # "Prices fell since the announcement of tariffs ."
    doc = make(vocab, ["Prices", "fell", "since", "the", "announcement", "of", "tariffs", "."], [1, 1, 1, 4, 2, 4, 5, 1],
               ["nsubj", "ROOT", "prep", "det", "pobj", "prep", "pobj", "punct"],
               ["NOUN", "VERB", "ADP", "DET", "NOUN", "ADP", "NOUN", "PUNCT"],
               ["price", "fall", "since", "the", "announcement", "of", "tariff", "."], triggers=[(6, "Tariff")])
    assert clauses(doc[:], set(), context()) == {doc[1]: [[(doc[1], T.PRICE_CHANGE)]]}
    # "Peru shelved a ban ."
    doc = make(vocab, ["Peru", "shelved", "a", "ban", "."], [1, 1, 3, 1, 1], ["nsubj", "ROOT", "det", "dobj", "punct"],
               ["PROPN", "VERB", "DET", "NOUN", "PUNCT"], ["Peru", "shelve", "a", "ban", "."], triggers=[(3, "Sanction")])
    assert clauses(doc[:], set(), context()) == {}


def test_a_measure_a_deal_includes_is_one_of_its_terms(vocab) -> None:
    # "The deal , which includes a ban , was signed ." : the model marks "ban".
    doc = make(vocab, ["The", "deal", ",", "which", "includes", "a", "ban", ",", "was", "signed", "."],
               [1, 9, 1, 4, 1, 6, 4, 1, 9, 9, 9],
               ["det", "nsubjpass", "punct", "nsubj", "relcl", "det", "dobj", "punct", "auxpass", "ROOT", "punct"],
               ["DET", "NOUN", "PUNCT", "PRON", "VERB", "DET", "NOUN", "PUNCT", "AUX", "VERB", "PUNCT"],
               ["the", "deal", ",", "which", "include", "a", "ban", ",", "be", "sign", "."], triggers=[(6, "Sanction")])
    found = clauses(doc[:], set(), context())
    assert {kind for alternatives in found.values() for triggers in alternatives for _, kind in triggers} == \
        {T.AGREEMENT}


def test_a_model_measure_on_easing_something_else_is_no_measure(vocab) -> None:
    # "Imports will ease shortages ." : the model marks "ease" as a Tariff (being lifted).
    doc = make(vocab, ["Imports", "will", "ease", "shortages", "."], [2, 2, 2, 2, 2],
               ["nsubj", "aux", "ROOT", "dobj", "punct"], ["NOUN", "AUX", "VERB", "NOUN", "PUNCT"],
               ["import", "will", "ease", "shortage", "."], triggers=[(2, "Tariff")])
    assert T.TARIFF not in {kind for alts in clauses(doc[:], set(), context()).values() for ts in alts for _, kind in ts}
    doc = make(vocab, ["Canada", "will", "ease", "tariffs", "."], [2, 2, 2, 2, 2],
               ["nsubj", "aux", "ROOT", "dobj", "punct"], ["PROPN", "AUX", "VERB", "NOUN", "PUNCT"],
               ["Canada", "will", "ease", "tariff", "."], triggers=[(2, "Tariff")])
    assert T.TARIFF in {kind for alts in clauses(doc[:], set(), context()).values() for ts in alts for _, kind in ts}


def test_a_model_move_of_shares_or_bare_stocks_is_no_event(vocab) -> None:
    # "Shares fell 3 % ." : the model marks "fell" as a price change.
    doc = make(vocab, ["Shares", "fell", "3", "%", "."], [1, 1, 3, 1, 1], ["nsubj", "ROOT", "nummod", "npadvmod", "punct"],
               ["NOUN", "VERB", "NUM", "NOUN", "PUNCT"], ["share", "fall", "3", "%", "."], triggers=[(1, "PriceChange")])
    assert clauses(doc[:], set(), context()) == {}
    doc = make(vocab, ["Stocks", "fell", "."], [1, 1, 1], ["nsubj", "ROOT", "punct"], ["NOUN", "VERB", "PUNCT"],
               ["stock", "fall", "."], triggers=[(1, "PriceChange")])
    assert clauses(doc[:], set(), context()) == {}


def test_model_triggers_below_the_threshold_are_ignored(vocab) -> None:
    doc = make(vocab, ["Copper", "rose", "."], [1, 1, 1], ["nsubj", "ROOT", "punct"], ["NOUN", "VERB", "PUNCT"],
               ["copper", "rise", "."], triggers=[(1, "PriceChange")])
    doc.spans[SPANS_KEY].attrs["scores"] = numpy.array([[TRIGGER_THRESHOLD - 0.01]])
    assert clauses(doc[:], set(), context()) == {}


def test_model_labels_of_rule_only_types_are_ignored(vocab) -> None:
    doc = cut_exports(vocab, triggers=[(2, "Statement")])  # statements are the rules' alone
    assert clauses(doc[:], set(), context()) == {doc[2]: [[(doc[2], T.TRADE_CHANGE), (doc[4], T.TRADE_CHANGE)]]}


def test_agreeing_to_sell_is_the_sale_not_a_second_agreement(vocab) -> None:
    # "Russia agreed to sell aluminium ."  rules: sell -> SaleOrSupply; the model marks "agreed".
    doc = make(vocab, ["Russia", "agreed", "to", "sell", "aluminium", "."], [1, 1, 3, 1, 3, 1],
               ["nsubj", "ROOT", "aux", "xcomp", "dobj", "punct"], ["PROPN", "VERB", "PART", "VERB", "NOUN", "PUNCT"],
               ["Russia", "agree", "to", "sell", "aluminium", "."], triggers=[(1, "Agreement")])
    assert clauses(doc[:], set(), context()) == {doc[3]: [[(doc[3], T.SALE_OR_SUPPLY)]]}


def prices_are_down(vocab, triggers=()) -> Doc:
    # "Nickel prices are down 8 % ."
    return make(vocab, ["Nickel", "prices", "are", "down", "8", "%", "."], [1, 2, 2, 2, 5, 3, 2],
                ["compound", "nsubj", "ROOT", "advmod", "nummod", "npadvmod", "punct"],
                ["NOUN", "NOUN", "AUX", "ADV", "NUM", "NOUN", "PUNCT"],
                ["nickel", "price", "be", "down", "8", "%", "."], triggers)


def test_what_moves_decides_the_type_of_a_move_the_model_mislabels(vocab) -> None:
    doc = prices_are_down(vocab, triggers=[(3, "Production")])  # the model reads "down" as output
    assert clauses(doc[:], set(), context()) == {doc[2]: [[(doc[3], T.PRICE_CHANGE)], [(doc[3], T.PRICE_CHANGE)]]}


def test_a_model_label_that_is_no_move_is_kept(vocab) -> None:
    doc = prices_are_down(vocab, triggers=[(3, "SupplyDisruption")])
    assert clauses(doc[:], set(), context())[doc[2]][1] == [(doc[3], T.SUPPLY_DISRUPTION)]


def test_the_rules_type_a_direction_word_by_its_subject_object_or_noun(vocab) -> None:
    never = lambda token: False  # noqa: E731 - nothing is a commodity here
    assert moved_kind(prices_are_down(vocab)[3], never) is T.PRICE_CHANGE
    # "OPEC will cut output ."
    cut = make(vocab, ["OPEC", "will", "cut", "output", "."], [2, 2, 2, 2, 2],
               ["nsubj", "aux", "ROOT", "dobj", "punct"], ["PROPN", "AUX", "VERB", "NOUN", "PUNCT"],
               ["OPEC", "will", "cut", "output", "."])
    assert moved_kind(cut[2], never) is T.PRODUCTION
    # "Analysts expect demand to rise ."  the object of the verb above moves
    rise = make(vocab, ["Analysts", "expect", "demand", "to", "rise", "."], [1, 1, 1, 4, 1, 1],
                ["nsubj", "ROOT", "dobj", "aux", "xcomp", "punct"], ["NOUN", "VERB", "NOUN", "PART", "VERB", "PUNCT"],
                ["analyst", "expect", "demand", "to", "rise", "."])
    assert moved_kind(rise[4], never) is T.DEMAND_CHANGE
    # "Higher consumer prices hurt shoppers ."  consumer prices move with the economy
    consumer = make(vocab, ["Higher", "consumer", "prices", "hurt", "shoppers", "."], [2, 2, 3, 3, 3, 3],
                    ["amod", "compound", "nsubj", "ROOT", "dobj", "punct"],
                    ["ADJ", "NOUN", "NOUN", "VERB", "NOUN", "PUNCT"], ["high", "consumer", "price", "hurt", "shopper", "."])
    assert moved_kind(consumer[0], never) is T.ECONOMIC_TREND


def test_a_move_in_the_background_or_of_shares_is_no_event(vocab) -> None:
    never = lambda token: False  # noqa: E731
    # "Growers are exposed to lower prices ."  a move inside a phrase about something else
    exposed = make(vocab, ["Growers", "are", "exposed", "to", "lower", "prices", "."], [2, 2, 2, 2, 5, 3, 2],
                   ["nsubjpass", "auxpass", "ROOT", "prep", "amod", "pobj", "punct"],
                   ["NOUN", "AUX", "VERB", "ADP", "ADJ", "NOUN", "PUNCT"],
                   ["grower", "be", "expose", "to", "low", "price", "."])
    assert moved_kind(exposed[4], never) is None
    # "Stocks fell ." : shares, unless a commodity stands beside them ("crude stocks fell")
    stocks = make(vocab, ["Stocks", "fell", "."], [1, 1, 1], ["nsubj", "ROOT", "punct"], ["NOUN", "VERB", "PUNCT"],
                  ["stock", "fall", "."])
    assert moved_kind(stocks[1], never) is None
    crude = make(vocab, ["Crude", "stocks", "fell", "."], [1, 2, 2, 2], ["compound", "nsubj", "ROOT", "punct"],
                 ["NOUN", "NOUN", "VERB", "PUNCT"], ["crude", "stock", "fall", "."])
    assert moved_kind(crude[2], lambda token: token.i == 0) is T.INVENTORY_CHANGE


def test_a_commodity_that_moves_by_itself_moves_in_price(vocab) -> None:
    # "Zinc fell 2 % ."
    doc = make(vocab, ["Zinc", "fell", "2", "%", "."], [1, 1, 3, 1, 1], ["nsubj", "ROOT", "nummod", "npadvmod", "punct"],
               ["NOUN", "VERB", "NUM", "NOUN", "PUNCT"], ["zinc", "fall", "2", "%", "."])
    assert moved_kind(doc[1], lambda token: token.i == 0) is T.PRICE_CHANGE
    assert moved_kind(doc[1], lambda token: False) is None


def test_hedges_between_by_from_and_the_figure_keep_its_role(vocab) -> None:
    # "Output fell by about 170,000 bpd from nearly 2 million bpd ."
    words = ["Output", "fell", "by", "about", "170,000", "bpd", "from", "nearly", "2", "million", "bpd", "."]
    doc = make(vocab, words, heads=[1, 1, 1, 4, 5, 2, 1, 9, 9, 10, 6, 1],
               deps=["nsubj", "ROOT", "prep", "advmod", "nummod", "pobj", "prep", "advmod", "compound", "nummod",
                     "pobj", "punct"],
               pos=["NOUN", "VERB", "ADP", "ADV", "NUM", "NOUN", "ADP", "ADV", "NUM", "NUM", "NOUN", "PUNCT"])
    move = move_quantities(doc[:], doc[1], (0, len(doc)))
    assert (move.change.value, move.change.unit) == (Decimal("170000"), "barrel per day")
    assert move.previous.value == Decimal("2000000") and move.level is None


def _linked_countries(doc: Doc, countries: dict[int, str]) -> SentenceContext:
    linked = LinkedDoc()
    for i, code in countries.items():
        linked.add(doc[i:i + 1], Entity(EntityRef(EntityKind.COUNTRY, code), doc[i].text))
    return SentenceContext(linked, None, None)


def test_a_national_move_belongs_to_the_country_that_qualifies_it_or_where_it_happens(vocab) -> None:
    # "Saudi output rose ." / "Production fell in Iraq ." / "Saudi analysts said prices rose ."
    saudi = make(vocab, ["Saudi", "output", "rose", "."], heads=[1, 2, 2, 2], deps=["amod", "nsubj", "ROOT", "punct"],
                 pos=["ADJ", "NOUN", "VERB", "PUNCT"])
    assert country_of_move(saudi[2], (0, 4), _linked_countries(saudi, {0: "SA"})) == EntityRef(EntityKind.COUNTRY, "SA")
    iraq = make(vocab, ["Production", "fell", "in", "Iraq", "."], heads=[1, 1, 1, 2, 1],
                deps=["nsubj", "ROOT", "prep", "pobj", "punct"], pos=["NOUN", "VERB", "ADP", "PROPN", "PUNCT"])
    assert country_of_move(iraq[1], (0, 5), _linked_countries(iraq, {3: "IQ"})) == EntityRef(EntityKind.COUNTRY, "IQ")
    analysts = make(vocab, ["Saudi", "analysts", "expect", "growth", "."], heads=[1, 2, 2, 2, 2],
                    deps=["amod", "nsubj", "ROOT", "dobj", "punct"], pos=["ADJ", "NOUN", "VERB", "NOUN", "PUNCT"])
    assert country_of_move(analysts[2], (0, 5), _linked_countries(analysts, {0: "SA"})) is None
