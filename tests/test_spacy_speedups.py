"""geokg's table-driven attribute ruler and lemmatizer give every token spaCy's own annotations."""

from __future__ import annotations

import pytest
import spacy
from spacy.tokens import Doc

from geokg import _spacy_speedups
from geokg.nlp import get_pipeline
from geokg.settings import DEFAULT_MODEL

# Sentences written for this test: each reaches rules of the ruler's several kinds (tag map,
# words with a tag, dependency labels, several-token patterns, whitespace) and the lemmatizer.
TEXTS = [
    "Kazakhstan's energy minister said on Tuesday that the country isn't going to cut uranium output.",
    "There are no talks with Chile, but officials say they're gonna meet again; let's see, y'all.",
    "I told you it was sold: the cargo gets shipped and it got there, whereas copper prices fell.",
    "Ghana  offered\n\ncocoa to India   and Peru  while Norway's fund has had doubts; it ain't so.",
    "Did Egypt buy wheat? The ministry does not say, though traders have said it did buy 60,000 tonnes.",
    "Whether Bolivia will export lithium depends on the law, which the senate passed, and got ta wait.",
    "",
    "   ",
]


def annotations(doc: spacy.tokens.Doc) -> list[tuple[object, ...]]:
    return [(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_) for t in doc]


@pytest.fixture(scope="module")
def pipelines() -> tuple[spacy.language.Language, spacy.language.Language]:
    stock = spacy.load(DEFAULT_MODEL)
    fast = spacy.load(DEFAULT_MODEL)
    assert _spacy_speedups.install(fast)
    return stock, fast


def test_every_token_has_spacys_annotations(pipelines) -> None:
    stock, fast = pipelines
    assert "attribute_ruler" not in fast.pipe_names and "lemmatizer" not in fast.pipe_names
    assert fast.pipe_names.index(_spacy_speedups.NAME) == stock.pipe_names.index("attribute_ruler")
    for _ in range(2):  # the second time from the memos
        for ours, theirs in zip(fast.pipe(TEXTS), stock.pipe(TEXTS), strict=True):
            assert annotations(ours) == annotations(theirs)


def test_the_rules_of_several_tokens_and_of_dependencies_apply(pipelines) -> None:
    _, fast = pipelines
    doc = fast("They're gonna sell it. There are buyers.")
    lemmas = {t.text: t.lemma_ for t in doc}
    assert (lemmas["gon"], lemmas["na"]) == ("go", "to")  # the ruler's "gon na" rule, two tokens
    assert [t.pos_ for t in doc if t.text == "are"] == ["VERB"]  # expletive "there" + "are"
    assert doc[0].lemma_ == "they" and doc[1].lemma_ == "be"


def test_a_lemma_depends_on_the_morphology_as_well_as_the_form_and_part_of_speech(pipelines) -> None:
    stock, fast = pipelines
    words, tags = ["means", "means", "saw", "saw", "better", "better"], ["NN", "NNS", "VBD", "VB", "JJR", "JJ"]
    ours, theirs = Doc(fast.vocab, words=words, tags=tags), Doc(stock.vocab, words=words, tags=tags)
    fast.get_pipe(_spacy_speedups.NAME)(ours)
    stock.get_pipe("lemmatizer")(stock.get_pipe("attribute_ruler")(theirs))
    assert [t.lemma_ for t in ours] == [t.lemma_ for t in theirs] == ["means", "mean", "see", "saw", "well", "better"]


def test_lemmas_met_in_an_earlier_memory_zone_are_still_strings(pipelines) -> None:
    # A memory zone frees the strings its batch added: a remembered lemma must be added again.
    stock, fast = pipelines
    text = "Vondoria's ministers flurbonated the grelkites they had zarnished."
    for _ in range(2):
        with fast.memory_zone(), stock.memory_zone():
            assert annotations(fast(text)) == annotations(stock(text))


def test_a_rule_of_another_form_keeps_spacys_components() -> None:
    nlp = spacy.load(DEFAULT_MODEL)
    nlp.get_pipe("attribute_ruler").add([[{"LOWER": "oil", "OP": "+"}]], {"LEMMA": "petroleum"})
    assert not _spacy_speedups.install(nlp)
    assert "attribute_ruler" in nlp.pipe_names and "lemmatizer" in nlp.pipe_names
    assert [t.lemma_ for t in nlp("oil oil")] == ["petroleum", "petroleum"]


def test_geokg_parses_with_it() -> None:
    nlp = get_pipeline(DEFAULT_MODEL, event_model="none")
    assert _spacy_speedups.NAME in nlp.pipe_names
    assert [t.lemma_ for t in nlp("Argentina offered soybeans.")][:2] == ["Argentina", "offer"]
