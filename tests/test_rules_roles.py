"""Roles: agents, recipients, counterparties, targets and place, on hand-parsed sentences (no pipeline)."""

from __future__ import annotations

from rules_docs import ref, sentence

from geokg.extract.attribution import Attribution
from geokg.extract.events import sentence_events
from geokg.extract.events.agents import agent_of, implicit_agent
from geokg.extract.events.parties import demonym_targets, origin_targets, parties, place_of
from geokg.model import EventType

T = EventType

SOLD_TO_CHINA = ["Chile 1 nsubj PROPN", "sold 1 ROOT VERB sell VBD", "copper 1 dobj NOUN", "to 1 prep ADP",
                 "China 3 pobj PROPN", ". 1 punct PUNCT"]


def test_the_subject_acts_and_to_names_the_recipient() -> None:
    sent, ctx = sentence(SOLD_TO_CHINA, linked={0: "Country:CL", 2: "Commodity:copper", 4: "Country:CN"})
    sold = sent[1]
    assert agent_of(sold, sold, ctx) == ref("Country:CL")
    assert parties(sold, sold, T.SALE_OR_SUPPLY, ctx, ref("Country:CL")) == ((ref("Country:CN"),), ())
    # A buyer's "to" is no recipient.
    assert parties(sold, sold, T.PURCHASE_OR_IMPORT, ctx, ref("Country:CL")) == ((), ())


def test_a_passive_acts_through_its_by_phrase() -> None:
    # "Soybeans were bought by Egypt ."
    sent, ctx = sentence(["Soybeans 2 nsubjpass NOUN soybean", "were 2 auxpass AUX be", "bought 2 ROOT VERB buy VBN",
                          "by 2 agent ADP", "Egypt 3 pobj PROPN", ". 2 punct PUNCT"],
                         linked={0: "Commodity:soybeans", 4: "Country:EG"})
    assert agent_of(sent[2], sent[2], ctx) == ref("Country:EG")


def test_a_trade_noun_acts_through_its_modifier_unless_goods_stand_between() -> None:
    # "US imports from India rose ."
    sent, ctx = sentence(["US 1 compound PROPN", "imports 4 nsubj NOUN import", "from 1 prep ADP",
                          "India 2 pobj PROPN", "rose 4 ROOT VERB rise VBD", ". 4 punct PUNCT"],
                         linked={0: "Country:US", 3: "Country:IN"})
    assert agent_of(sent[4], sent[1], ctx) == ref("Country:US")
    # "Australian barley imports fell ." : the goods' origin, not the importer
    sent, ctx = sentence(["Australian 2 amod ADJ", "barley 2 compound NOUN", "imports 3 nsubj NOUN import",
                          "fell 3 ROOT VERB fall VBD", ". 3 punct PUNCT"],
                         linked={0: "Country:AU", 1: "Commodity:barley"})
    assert agent_of(sent[3], sent[2], ctx) is None


def test_pronouns_and_titles_refer_back() -> None:
    # "Peru said it would export zinc ." : "it" is the subject of the clause above
    sent, ctx = sentence(["Peru 1 nsubj PROPN", "said 1 ROOT VERB say VBD", "it 4 nsubj PRON", "would 4 aux AUX",
                          "export 1 ccomp VERB export VB", "zinc 4 dobj NOUN", ". 1 punct PUNCT"],
                         linked={0: "Country:PE", 5: "Commodity:zinc"})
    assert agent_of(sent[4], sent[4], ctx) == ref("Country:PE")
    # "The company cut output ." : the company the story has named most
    sent, ctx = sentence(["The 1 det DET", "company 2 nsubj NOUN", "cut 2 ROOT VERB cut VBD",
                          "output 2 dobj NOUN", ". 2 punct PUNCT"])
    ctx.mention_counts = {ref("Company:codelco"): 3, ref("Company:antofagasta"): 1, ref("Country:CL"): 5}
    assert agent_of(sent[2], sent[2], ctx) == ref("Company:codelco")
    ctx.last_subject = ref("Company:antofagasta")
    assert agent_of(sent[2], sent[2], ctx) == ref("Company:antofagasta")


def test_a_leaders_government_acts_for_the_state() -> None:
    # "The Lula government banned timber exports ."
    sent, ctx = sentence(["The 2 det DET", "Lula 2 compound PROPN", "government 3 nsubj NOUN",
                          "banned 3 ROOT VERB ban VBD", "timber 5 compound NOUN", "exports 3 dobj NOUN export",
                          ". 3 punct PUNCT"], linked={1: "Person:lula", 4: "Commodity:timber"})
    assert agent_of(sent[3], sent[3], ctx) == ref("Person:lula")
    ctx.person_countries = {ref("Person:lula"): ref("Country:BR")}
    assert agent_of(sent[3], sent[3], ctx) == ref("Country:BR")


def test_with_names_a_counterparty_and_from_a_seller() -> None:
    # "India signed a deal with Russia ."
    sent, ctx = sentence(["India 1 nsubj PROPN", "signed 1 ROOT VERB sign VBD", "a 3 det DET", "deal 1 dobj NOUN",
                          "with 3 prep ADP", "Russia 4 pobj PROPN", ". 1 punct PUNCT"],
                         linked={0: "Country:IN", 5: "Country:RU"})
    assert parties(sent[1], sent[3], T.AGREEMENT, ctx, ref("Country:IN")) == ((), (ref("Country:RU"),))
    # "Egypt bought wheat from Ukraine ."
    sent, ctx = sentence(["Egypt 1 nsubj PROPN", "bought 1 ROOT VERB buy VBD", "wheat 1 dobj NOUN",
                          "from 1 prep ADP", "Ukraine 3 pobj PROPN", ". 1 punct PUNCT"],
                         linked={0: "Country:EG", 2: "Commodity:wheat", 4: "Country:UA"})
    assert parties(sent[1], sent[1], T.PURCHASE_OR_IMPORT, ctx, ref("Country:EG")) == ((), (ref("Country:UA"),))
    assert parties(sent[1], sent[1], T.SALE_OR_SUPPLY, ctx, ref("Country:EG")) == ((), ())


def test_a_measure_targets_the_country_its_goods_come_from() -> None:
    # "China imposed duties on Australian barley ."
    sent, ctx = sentence(["China 1 nsubj PROPN", "imposed 1 ROOT VERB impose VBD", "duties 1 dobj NOUN duty",
                          "on 2 prep ADP", "Australian 5 amod ADJ", "barley 3 pobj NOUN", ". 1 punct PUNCT"],
                         linked={0: "Country:CN", 4: "Country:AU", 5: "Commodity:barley"})
    assert demonym_targets(sent[2], ctx.linked) == [ref("Country:AU")]
    # "Ankara set tariffs on solar panels from Vietnam and Malaysia ."
    sent, ctx = sentence(["Ankara 1 nsubj PROPN", "set 1 ROOT VERB set VBD", "tariffs 1 dobj NOUN tariff",
                          "on 2 prep ADP", "solar 5 amod ADJ", "panels 3 pobj NOUN panel", "from 5 prep ADP",
                          "Vietnam 6 pobj PROPN", "and 7 cc CCONJ", "Malaysia 7 conj PROPN", ". 1 punct PUNCT"],
                         linked={0: "Place:ankara", 7: "Country:VN", 9: "Country:MY"})
    assert origin_targets(sent[1], sent[2], ctx.linked) == [ref("Country:VN"), ref("Country:MY")]


def test_the_place_is_a_facility_before_the_region_it_lies_in() -> None:
    # "Output in Papua 's Grasberg mine fell ."
    sent, ctx = sentence(["Output 6 nsubj NOUN", "in 0 prep ADP", "Papua 5 poss PROPN", "'s 2 case PART",
                          "Grasberg 5 compound PROPN", "mine 1 pobj NOUN", "fell 6 ROOT VERB fall VBD",
                          ". 6 punct PUNCT"], linked={2: "Place:papua", 4: "Facility:grasberg"})
    assert place_of(sent[6], sent[0], ctx.linked) == ref("Facility:grasberg")


def test_an_implicit_agent_is_the_country_of_arrival_or_the_state_that_speaks() -> None:
    # "The tanker reached Karachi ." : Pakistan imports it
    sent, ctx = sentence(["The 1 det DET", "tanker 2 nsubj NOUN", "reached 2 ROOT VERB reach VBD",
                          "Karachi 2 dobj PROPN", ". 2 punct PUNCT"], linked={3: "Place:karachi"})
    ctx.person_countries = {ref("Place:karachi"): ref("Country:PK")}
    reached = sent[2]
    assert implicit_agent(T.PURCHASE_OR_IMPORT, reached, (0, 5), Attribution(), ctx) == ref("Country:PK")
    # A measure in the passive, announced by a state's minister, is that state's.
    minister = Attribution(speaker=ref("Person:piyush-goyal"))
    ctx.person_countries = {ref("Person:piyush-goyal"): ref("Country:IN")}
    assert implicit_agent(T.TARIFF, reached, (0, 5), minister, ctx) == ref("Country:IN")
    assert implicit_agent(T.TARIFF, reached, (0, 5), Attribution(), ctx) is None


def test_an_unnamed_plant_is_the_last_named_companys_and_an_economy_its_countrys() -> None:
    # "The smelter halted output ." in a story that named Norsk Hydro before
    sent, ctx = sentence(["The 1 det DET", "smelter 2 nsubj NOUN", "halted 2 ROOT VERB halt VBD",
                          "output 2 dobj NOUN", ". 2 punct PUNCT"])
    halted = sent[2]
    assert implicit_agent(T.PRODUCTION, halted, (0, 5), Attribution(), ctx) is None
    ctx.last_of_kind[ref("Company:norsk-hydro").kind] = ref("Company:norsk-hydro")
    assert implicit_agent(T.PRODUCTION, halted, (0, 5), Attribution(), ctx) == ref("Company:norsk-hydro")
    # "Output halted ." names no facility: nobody's in particular.
    sent, ctx = sentence(["Output 1 nsubj NOUN", "halted 1 ROOT VERB halt VBD", ". 1 punct PUNCT"])
    ctx.last_of_kind[ref("Company:norsk-hydro").kind] = ref("Company:norsk-hydro")
    assert implicit_agent(T.PRODUCTION, sent[1], (0, 3), Attribution(), ctx) is None
    # "Chile 's economy shrank ." : the country whose economy moves
    sent, ctx = sentence(["Chile 2 poss PROPN", "+'s 0 case PART", "economy 3 nsubj NOUN",
                          "shrank 3 ROOT VERB shrink VBD", ". 3 punct PUNCT"], linked={0: "Country:CL"})
    assert implicit_agent(T.ECONOMIC_TREND, sent[3], (0, 5), Attribution(), ctx) == ref("Country:CL")


def test_the_other_subjects_of_a_meeting_are_its_other_side() -> None:
    # "Lula and Modi held talks ."
    sent, ctx = sentence(["Lula 3 nsubj PROPN", "and 0 cc CCONJ", "Modi 0 conj PROPN", "held 3 ROOT VERB hold VBD",
                          "talks 3 dobj NOUN talk NNS", ". 3 punct PUNCT"],
                         linked={0: "Person:lula", 2: "Person:narendra-modi"})
    [event] = sentence_events(sent, ctx)
    assert (event.type, event.agent, event.counterparties) == \
        (T.MEETING, ref("Person:lula"), (ref("Person:narendra-modi"),))


def test_the_one_met_is_the_other_side_not_the_demonym_before_the_name() -> None:
    # "Lula met Chinese Premier Li ."
    sent, ctx = sentence(["Lula 1 nsubj PROPN", "met 1 ROOT VERB meet VBD", "Chinese 4 amod ADJ",
                          "Premier 4 compound PROPN", "Li 1 dobj PROPN", ". 1 punct PUNCT"],
                         linked={0: "Person:lula", 2: "Country:CN", 4: "Person:li-qiang"})
    assert parties(sent[1], sent[1], T.MEETING, ctx, ref("Person:lula")) == ((), (ref("Person:li-qiang"),))
