"""Statements and price changes: speakers, quotes, reported speech, price moves (hand-parsed, no pipeline)."""

from __future__ import annotations

from rules_docs import ANCHOR, ref, sentence

from geokg.extract.attribution import Attribution
from geokg.extract.events.context import evidence_of
from geokg.extract.events.prices import price_event
from geokg.extract.events.statements import statement_event
from geokg.model import EventType

T = EventType


def test_a_quote_after_a_name_and_a_colon_is_that_persons_statement() -> None:
    # 'Lula: "Brazil will not take sides."'
    sent, ctx = sentence(["Lula 6 npadvmod PROPN", "+: 6 punct PUNCT", '" 6 punct PUNCT', "+Brazil 6 nsubj PROPN",
                          "will 6 aux AUX", "not 6 neg PART", "take 6 ROOT VERB", "sides 6 dobj NOUN side",
                          "+. 6 punct PUNCT", '+" 6 punct PUNCT'], linked={0: "Person:lula", 3: "Country:BR"})
    event = statement_event(sent, ctx, Attribution(), evidence_of(sent), has_events=False)
    assert (event.type, event.agent, event.quote, event.about) == \
        (T.STATEMENT, ref("Person:lula"), "Brazil will not take sides", (ref("Country:BR"),))
    assert (event.date, event.confidence) == (ANCHOR, 0.9)  # made when reported


def test_he_said_after_a_quote_is_the_person_named_before() -> None:
    # '"Supply is tight," he said.'
    sent, ctx = sentence(['" 7 punct PUNCT', "+Supply 2 nsubj NOUN", "is 7 ccomp AUX be VBZ", "tight 2 acomp ADJ",
                          "+, 7 punct PUNCT", '+" 7 punct PUNCT', "he 7 nsubj PRON", "said 7 ROOT VERB say VBD",
                          "+. 7 punct PUNCT"])
    assert statement_event(sent, ctx, Attribution(), evidence_of(sent), has_events=False) is None
    ctx.last_person = ref("Person:abdulaziz-bin-salman")
    event = statement_event(sent, ctx, Attribution(), evidence_of(sent), has_events=False)
    assert (event.agent, event.quote) == (ref("Person:abdulaziz-bin-salman"), "Supply is tight")


def test_reported_speech_is_a_statement_only_when_it_states_no_event() -> None:
    # "The minister said that Chile would resume copper exports."
    sent, ctx = sentence(["The 1 det DET", "minister 2 nsubj NOUN", "said 2 ROOT VERB say VBD", "that 6 mark SCONJ",
                          "Chile 6 nsubj PROPN", "would 6 aux AUX", "resume 2 ccomp VERB resume VB",
                          "copper 8 compound NOUN", "exports 6 dobj NOUN export", "+. 2 punct PUNCT"],
                         linked={4: "Country:CL", 7: "Commodity:copper"})
    said = Attribution(speaker=ref("Person:aurora-williams"), speech_verb=sent[2])
    event = statement_event(sent, ctx, said, evidence_of(sent), has_events=False)
    assert (event.agent, event.quote, event.confidence) == \
        (ref("Person:aurora-williams"), "Chile would resume copper exports", 0.75)
    assert statement_event(sent, ctx, said, evidence_of(sent), has_events=True) is None


def test_a_quoted_word_on_the_event_verb_is_no_statement_but_a_quoted_clause_is() -> None:
    # 'Equinor said it had "temporarily" suspended gas deliveries.'
    sent, ctx = sentence(["Equinor 1 nsubj PROPN", "said 1 ROOT VERB say VBD", "it 7 nsubj PRON", "had 7 aux AUX have VBD",
                          '" 5 punct PUNCT', "+temporarily 7 advmod ADV", '+" 5 punct PUNCT',
                          "suspended 1 ccomp VERB suspend VBD", "gas 9 compound NOUN", "deliveries 7 dobj NOUN delivery",
                          "+. 1 punct PUNCT"], linked={0: "Company:equinor", 8: "Commodity:natural-gas"})
    said = Attribution(speaker=ref("Company:equinor"), speech_verb=sent[1])
    assert statement_event(sent, ctx, said, evidence_of(sent), has_events=True, event_verbs={7}) is None
    assert statement_event(sent, ctx, said, evidence_of(sent), has_events=True).quote == "temporarily"
    # 'Equinor said "deliveries will resume soon."'
    sent, ctx = sentence(["Equinor 1 nsubj PROPN", "said 1 ROOT VERB say VBD", '" 5 punct PUNCT',
                          "+deliveries 5 nsubj NOUN delivery", "will 5 aux AUX", "resume 1 ccomp VERB resume VB",
                          "soon 5 advmod ADV", "+. 1 punct PUNCT", '+" 1 punct PUNCT'], linked={0: "Company:equinor"})
    said = Attribution(speaker=ref("Company:equinor"), speech_verb=sent[1])
    event = statement_event(sent, ctx, said, evidence_of(sent), has_events=True, event_verbs={5})
    assert event.quote == "deliveries will resume soon"


def test_a_price_that_rose_is_a_price_change_up_dated_to_the_article() -> None:
    # "Cocoa prices rose 4% to $8,000 a tonne."
    sent, ctx = sentence(["Cocoa 1 compound NOUN", "prices 2 nsubj NOUN price", "rose 2 ROOT VERB rise VBD",
                          "4 4 nummod NUM", "+% 2 dobj NOUN", "to 2 prep ADP", "$ 7 nmod SYM", "+8,000 5 pobj NUM",
                          "a 9 det DET", "tonne 7 npadvmod NOUN", "+. 2 punct PUNCT"], linked={0: "Commodity:cocoa"})
    event = price_event(sent, ctx, evidence_of(sent), Attribution())
    assert (event.type, event.themes, event.direction, event.date, event.confidence) == \
        (T.PRICE_CHANGE, (ref("Commodity:cocoa"),), "up", ANCHOR, 0.7)
    assert (str(event.quantity.value), event.quantity.unit) == ("8000", "USD per tonne")


def test_a_price_without_a_commodity_takes_the_storys_at_a_cost() -> None:
    # "Prices fell." in a story about nickel; and in a story about nothing yet
    rows = ["Prices 1 nsubj NOUN price", "fell 1 ROOT VERB fall VBD", "+. 1 punct PUNCT"]
    sent, ctx = sentence(rows)
    assert price_event(sent, ctx, evidence_of(sent), Attribution()) is None
    ctx.last_commodity = ref("Commodity:nickel")
    event = price_event(sent, ctx, evidence_of(sent), Attribution())
    assert (event.themes, event.direction, event.confidence) == ((ref("Commodity:nickel"),), "down", 0.6)


def _statement(rows: list[str], linked: dict[int | tuple[int, int], str]):
    from geokg.extract.attribution import attribution_of

    sent, ctx = sentence(rows, linked=linked)
    return statement_event(sent, ctx, attribution_of(sent, ctx.linked), evidence_of(sent), has_events=False)


def test_what_was_announced_by_someone_or_expressed_is_their_statement() -> None:
    # "The plan was announced by Ishaq Dar ."
    event = _statement(["The 1 det DET", "plan 3 nsubjpass NOUN", "was 3 auxpass AUX be",
                        "announced 3 ROOT VERB announce VBN", "by 3 agent ADP", "Ishaq 6 compound PROPN",
                        "Dar 4 pobj PROPN", ". 3 punct PUNCT"], {(5, 7): "Person:ishaq-dar"})
    assert (event.agent, event.quote) == (ref("Person:ishaq-dar"), "The plan")
    # "Chile expressed interest in lithium ."
    event = _statement(["Chile 1 nsubj PROPN", "expressed 1 ROOT VERB express VBD", "interest 1 dobj NOUN",
                        "in 2 prep ADP", "lithium 3 pobj NOUN", ". 1 punct PUNCT"],
                       {0: "Country:CL", 4: "Commodity:lithium"})
    assert (event.agent, event.quote) == (ref("Country:CL"), "interest in lithium")


def test_the_one_an_outlet_quotes_as_saying_something_speaks() -> None:
    # "Xinhua quotes Vale managers as saying output will rise ."
    event = _statement(["Xinhua 1 nsubj PROPN", "quotes 1 ROOT VERB quote VBZ", "Vale 3 compound PROPN",
                        "managers 1 dobj NOUN manager", "as 1 prep ADP", "saying 4 pcomp VERB say VBG",
                        "output 8 nsubj NOUN", "will 8 aux AUX", "rise 5 ccomp VERB rise VB", ". 1 punct PUNCT"],
                       {0: "Media:xinhua", 2: "Company:vale"})
    assert (event.agent, event.quote, event.reported_by) == \
        (ref("Company:vale"), "output will rise", ref("Media:xinhua"))
