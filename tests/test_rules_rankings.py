"""Rankings: rank, measure, ranked agent, those ahead and the source (hand-parsed, no pipeline)."""

from __future__ import annotations

from rules_docs import ref, sentence

from geokg.extract.attribution import Attribution
from geokg.extract.events.context import evidence_of
from geokg.extract.events.rankings import _ordinal, ranking_event
from geokg.model import EventType

LARGEST_RESERVES = ["Chile 1 nsubj PROPN", "has 1 ROOT VERB have VBZ", "the 3 det DET", "world 7 poss NOUN",
                    "+'s 3 case PART", "largest 7 amod ADJ large JJS", "copper 7 compound NOUN",
                    "reserves 1 dobj NOUN reserve NNS", "+. 1 punct PUNCT"]


def test_the_worlds_largest_reserves_rank_first_on_the_articles_source() -> None:
    sent, ctx = sentence(LARGEST_RESERVES, linked={0: "Country:CL", 6: "Commodity:copper"})
    ctx.default_source = ref("Organization:usgs")
    event, covered = ranking_event(sent, ctx, Attribution(), evidence_of(sent))
    assert (event.type, event.agent, event.rank, event.measure, event.themes, event.attributed_to) == \
        (EventType.RESERVES_RANK, ref("Country:CL"), 1, "reserves", (ref("Commodity:copper"),),
         ref("Organization:usgs"))
    assert covered == set(range(3, 8))  # "world's largest copper reserves": no trigger of another rule
    assert event.evidence.text == "Chile has the world's largest copper reserves."


def test_a_ranking_without_a_source_is_no_fact() -> None:
    sent, ctx = sentence(LARGEST_RESERVES, linked={0: "Country:CL", 6: "Commodity:copper"})
    assert ranking_event(sent, ctx, Attribution(), evidence_of(sent)) is None
    sent, ctx = sentence(LARGEST_RESERVES, linked={0: "Country:CL", 6: "Commodity:copper"})
    according = Attribution(source=ref("Organization:iea"), outlet=ref("Media:bloomberg"))
    event, _ = ranking_event(sent, ctx, according, evidence_of(sent))
    assert (event.attributed_to, event.reported_by) == (ref("Organization:iea"), ref("Media:bloomberg"))


def test_an_ordinal_rank_with_those_ranked_ahead() -> None:
    # "Indonesia is the world's second-largest nickel producer after the Philippines and Russia."
    sent, ctx = sentence(["Indonesia 1 nsubj PROPN", "is 1 ROOT AUX be VBZ", "the 9 det DET", "world 9 poss NOUN",
                          "+'s 3 case PART", "second 7 amod ADJ", "+- 7 punct PUNCT", "+largest 9 amod ADJ large",
                          "nickel 9 compound NOUN", "producer 1 attr NOUN", "after 9 prep ADP", "the 12 det DET",
                          "Philippines 10 pobj PROPN", "and 12 cc CCONJ", "Russia 12 conj PROPN", "+. 1 punct PUNCT"],
                         linked={0: "Country:ID", 8: "Commodity:nickel", 12: "Country:PH", 14: "Country:RU"})
    ctx.default_source = ref("Organization:usgs")
    event, _ = ranking_event(sent, ctx, Attribution(), evidence_of(sent))
    assert (event.agent, event.rank, event.measure, event.ranked_after) == \
        (ref("Country:ID"), 2, "production", (ref("Country:PH"), ref("Country:RU")))


def test_ordinals_in_words_and_digits() -> None:
    assert [_ordinal(raw) for raw in ("fifth", "Twelfth", "3rd", "21st", "none")] == [5, 12, 3, 21, None]


def test_the_top_producer_ranks_first_and_one_of_the_largest_ranks_nothing() -> None:
    # "Peru is the second-largest silver producer ." / "Peru is one of the largest silver producers ."
    sent, ctx = sentence(["Peru 1 nsubj PROPN", "is 1 ROOT AUX be", "the 6 det DET", "second 5 advmod ADJ",
                          "+- 5 punct PUNCT", "+largest 6 amod ADJ", "silver 6 compound NOUN", "producer 1 attr NOUN",
                          "+. 1 punct PUNCT"], linked={0: "Country:PE", 6: "Commodity:silver"})
    ctx.default_source = ref("Media:reuters")
    event, _ = ranking_event(sent, ctx, Attribution(), evidence_of(sent))
    assert (event.agent, event.rank, event.measure) == (ref("Country:PE"), 2, "production")
    sent, ctx = sentence(["Peru 1 nsubj PROPN", "is 1 ROOT AUX be", "one 1 attr NUM", "of 2 prep ADP",
                          "the 7 det DET", "largest 7 amod ADJ", "silver 7 compound NOUN",
                          "producers 3 pobj NOUN producer", "+. 1 punct PUNCT"],
                         linked={0: "Country:PE", 6: "Commodity:silver"})
    ctx.default_source = ref("Media:reuters")
    assert ranking_event(sent, ctx, Attribution(), evidence_of(sent)) is None


def test_one_of_the_worlds_largest_ranks_nothing() -> None:
    # "Peru is one of the world's largest silver producers ."
    sent, ctx = sentence(["Peru 1 nsubj PROPN", "is 1 ROOT AUX be", "one 1 attr NUM", "of 2 prep ADP",
                          "the 5 det DET", "world 9 poss NOUN", "+'s 5 case PART", "largest 9 amod ADJ",
                          "silver 9 compound NOUN", "producers 3 pobj NOUN producer", "+. 1 punct PUNCT"],
                         linked={0: "Country:PE", 8: "Commodity:silver"})
    ctx.default_source = ref("Media:reuters")
    assert ranking_event(sent, ctx, Attribution(), evidence_of(sent)) is None
