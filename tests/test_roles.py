"""The argument-role model: its data placed on tokens, its trigger feature, its inference API on
the shipped weights, and a tiny model trained end to end, reproducibly. Every sentence here was
written for these tests."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import Doc

from geokg.errors import ConfigError, TrainingDataError
from geokg.roles import (
    MENTIONS_KEY,
    PACKAGED_ROLE_MODEL,
    RoleModel,
    RolePrediction,
    role_doc,
    role_model,
    trigger_path,
)
from geokg.settings import DEFAULT_MODEL
from geokg.training import ROLE_NAMES, Record, read_records
from geokg.training.roles import (
    Alignment,
    GoldEvent,
    gold_events,
    role_examples,
    train_roles,
)


def parsed(words: list[str], heads: list[int], deps: list[str], sent_starts: list[int] | None = None) -> Doc:
    spaces = [n + 1 < len(words) and words[n + 1] not in ".," for n in range(len(words))]
    return Doc(spacy.blank("en").vocab, words=words, spaces=spaces, heads=heads, deps=deps,
               sent_starts=sent_starts)


# "Chile cut copper exports to Japan." with its parse
CHILE = parsed(["Chile", "cut", "copper", "exports", "to", "Japan", "."], [1, 1, 3, 1, 3, 4, 1],
               ["nsubj", "ROOT", "compound", "dobj", "prep", "pobj", "punct"])


def test_the_trigger_path_says_how_each_token_hangs_from_the_trigger() -> None:
    assert [trigger_path(t, CHILE[1]) for t in CHILE] == [
        "<|nsubj", "T", ">|dobj>compound", ">|dobj", ">|dobj>prep:to", ">|dobj>prep:to>pobj", ">|punct"]
    # a nominal trigger: up one arc to the verb, then down to its subject
    assert [trigger_path(t, CHILE[3]) for t in CHILE][:3] == ["<dobj^1|nsubj", "<dobj^1|", "<|compound"]


def test_a_role_example_is_the_trigger_sentence_with_its_paths_as_tags() -> None:
    doc = parsed(["Prices", "fell", ".", "Chile", "cut", "copper", "exports", "to", "Japan", "."],
                 [1, 1, 1, 4, 4, 6, 4, 6, 7, 4],
                 ["nsubj", "ROOT", "punct", "nsubj", "ROOT", "compound", "dobj", "prep", "pobj", "punct"])
    second = list(doc.sents)[1]
    example = role_doc(spacy.blank("en").vocab, second, 4)
    assert example.text == "Chile cut copper exports to Japan."
    assert [t.tag_ for t in example][:2] == ["<|nsubj", "T"]
    assert [t.head.i for t in example] == [1, 1, 3, 1, 3, 4, 1]  # heads moved with the sentence


def test_the_role_features_read_the_gazetteers_span_group() -> None:
    from geokg.extract.gazetteer import SPAN_KEY

    assert MENTIONS_KEY == SPAN_KEY


def test_a_role_string_is_placed_at_the_whole_word_occurrence_nearest_the_trigger() -> None:
    text = "Ghana sold gold to India and Ghanaian traders bought cocoa from Ghana."
    record = Record("x.jsonl", 1, text, (("PurchaseOrImport", "bought", 0),),
                    ((("agent", "Ghanaian traders"), ("theme", "cocoa"), ("place", "Ghana")),))
    [[agent, _, place]] = record.role_offsets()
    assert text[agent[0]:agent[1]] == "Ghanaian traders"
    assert place == (text.rindex("Ghana"), text.rindex("Ghana") + 5, "place")  # not "Ghana" at 0 nor "Ghana|ian"


def test_role_strings_that_do_not_fall_on_tokens_or_lie_in_another_sentence_are_skipped_and_counted() -> None:
    words = ["Ecuadorean", "traders", "sold", "cocoa", "to", "Chile", ".", "The", "ministry", "said", "so", "."]
    doc = parsed(words, [1, 2, 2, 2, 2, 4, 2, 8, 9, 9, 9, 9],
                 ["amod", "nsubj", "ROOT", "dobj", "prep", "pobj", "punct", "det", "nsubj", "ROOT", "advmod", "punct"])
    record = Record("x.jsonl", 1, doc.text, (("SaleOrSupply", "sold", 0),),
                    ((("agent", "Ecuador"), ("theme", "cocoa"), ("recipient", "Chile"), ("source", "The ministry")),))
    alignment = Alignment()
    assert gold_events(record, doc, alignment) == [
        GoldEvent("SaleOrSupply", 2, (("theme", 3, 4), ("recipient", 5, 6)))]
    assert (alignment.inside_tokens, alignment.other_sentence) == ({"agent": 1}, {"source": 1})
    assert alignment.roles == {"theme": 1, "recipient": 1}


@pytest.mark.parametrize("event, problem", [
    ({"type": "Tariff", "trigger": "raised", "agent": "Ottawa"}, "agent 'Ottawa' is not a substring"),
    ({"type": "Tariff", "trigger": "raised", "target": "Seoul"}, "unknown key 'target'"),
    ({"type": "Tariff", "trigger": "raised", "level": 25}, "level must be a string or a list of strings"),
])
def test_bad_role_annotation_names_file_and_line(tmp_path: Path, event: dict, problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "Seoul raised duties on steel to 25%.", "events": [event]}) + "\n",
                    encoding="utf-8")
    with pytest.raises(TrainingDataError, match=rf"bad.jsonl:1: {problem}"):
        read_records([path])


def test_no_role_model_when_disabled_and_a_readable_error_for_a_folder_without_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEOKG_ROLE_MODEL", "none")
    assert role_model() is None
    with pytest.raises(ConfigError, match=r"GEOKG_ROLE_MODEL=.*empty.*not a trained role model.*--roles"):
        RoleModel.load(tmp_path / "empty")


# --- the shipped weights on the host pipeline ----------------------------------------------------

@pytest.fixture(scope="module")
def host():
    from geokg.nlp import get_pipeline

    return get_pipeline(DEFAULT_MODEL, event_model="none")


@pytest.fixture(scope="module")
def shipped() -> RoleModel:
    if not (PACKAGED_ROLE_MODEL / "meta.json").is_file():
        pytest.fail("no shipped role model: run `make model`")
    return RoleModel.load(PACKAGED_ROLE_MODEL)


def roles_of(doc: Doc, found: list[RolePrediction]) -> dict[str, str]:
    """The most probable span of each role, as text."""
    best: dict[str, str] = {}
    for prediction in found:
        best.setdefault(prediction.role, prediction.text(doc))
    return best


@pytest.mark.slow
def test_the_shipped_model_fills_the_roles_of_a_move(host, shipped: RoleModel) -> None:
    doc = host("Kazakhstan raised uranium output by 8% to 21,000 tonnes in 2023, Kazatomprom said.")
    found = shipped.predict(doc, [1])
    assert list(found) == [1]
    assert all(p.role in ROLE_NAMES and 0.5 <= p.probability <= 1 for p in found[1])
    assert [p.probability for p in found[1]] == sorted((p.probability for p in found[1]), reverse=True)
    roles = roles_of(doc, found[1])
    assert (roles.get("agent"), roles.get("theme"), roles.get("change")) == ("Kazakhstan", "uranium", "8%")


@pytest.mark.slow
def test_predictions_use_the_original_docs_token_indices_for_each_trigger(host, shipped: RoleModel) -> None:
    doc = host("Markets were quiet on Monday. Vietnam banned rice exports to the Philippines, "
               "and Manila signed a supply deal with Thailand.")
    banned, signed = (next(t.i for t in doc if t.text == word) for word in ("banned", "signed"))
    found = shipped.predict(doc, [signed, banned, banned])
    assert sorted(found) == sorted({banned, signed})
    assert roles_of(doc, found[banned])["agent"] == "Vietnam"
    assert roles_of(doc, found[signed])["agent"] == "Manila"
    second = doc[banned].sent
    assert all(second.start <= p.start < p.end <= second.end for ps in found.values() for p in ps)
    assert shipped.predict(doc, []) == {}
    with pytest.raises(ValueError, match=rf"trigger {len(doc)} is not a token of the doc \(it has {len(doc)} tokens\)"):
        shipped.predict(doc, [banned, len(doc)])
    with pytest.raises(ValueError, match="no sentence boundaries"):
        shipped.predict(Doc(doc.vocab, words=["Oil", "rose"]), [1])


def test_the_shipped_model_is_small_and_named() -> None:
    size = sum(p.stat().st_size for p in PACKAGED_ROLE_MODEL.rglob("*") if p.is_file())
    assert size < 3 * 2 ** 20
    meta = json.loads((PACKAGED_ROLE_MODEL / "meta.json").read_text(encoding="utf-8"))
    assert meta["name"] == "geokg_event_roles" and set(meta["labels"]["geokg_roles"]) == set(ROLE_NAMES)


# --- training end to end -------------------------------------------------------------------------

TEXTS = [
    ("Peru raised zinc output by 4% in May.", "raised",
     {"agent": "Peru", "theme": "zinc", "change": "4%", "date": "in May"}),
    ("Norway sold 2 million barrels of crude to Poland on Friday.", "sold",
     {"agent": "Norway", "theme": "crude", "level": "2 million barrels", "recipient": "Poland", "date": "on Friday"}),
    ("Kenya banned tea exports to Egypt, the ministry said.", "banned",
     {"agent": "Kenya", "theme": "tea", "recipient": "Egypt", "source": "the ministry"}),
    ("Cocoa prices fell 3% to $2,100 a tonne from $2,160 in London.", "fell",
     {"theme": "Cocoa", "change": "3%", "level": "$2,100 a tonne", "before": "$2,160", "place": "London"}),
    ("Chile and Bolivia signed a lithium accord in La Paz.", "signed",
     {"agent": "Chile", "recipient": "Bolivia", "theme": "lithium", "place": "La Paz"}),
    ("Oman offered urea to Sri Lanka on credit.", "offered",
     {"agent": "Oman", "theme": "urea", "recipient": "Sri Lanka"}),
]


def write_data(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    kinds = {"raised": "Production", "sold": "SaleOrSupply", "banned": "ExportRestriction", "fell": "PriceChange",
             "signed": "Agreement", "offered": "Offer"}
    with open(folder / "tiny.jsonl", "w", encoding="utf-8") as out:
        for copy in range(4):  # a few copies, told apart so the hash split sends some to dev
            for text, trigger, roles in TEXTS:
                event = {"type": kinds[trigger], "trigger": trigger, **roles}
                out.write(json.dumps({"text": text + " " * copy, "events": [event]}) + "\n")
    return folder


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "meta.json":
            sha.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return sha.hexdigest()


@pytest.mark.slow
def test_a_tiny_role_model_trains_reproducibly_and_answers_through_the_api(tmp_path: Path, host) -> None:
    data = write_data(tmp_path / "data")
    first = train_roles(tmp_path / "a", host=DEFAULT_MODEL, data=data, max_steps=20)
    train_roles(tmp_path / "b", host=DEFAULT_MODEL, data=data, max_steps=20)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")  # same data, same seed: the same weights
    assert "spans_geokg_roles_f" in first.scores
    assert first.alignment.examples == 24 and first.alignment.roles["agent"] == 20
    assert not first.alignment.inside_tokens and not first.alignment.other_sentence
    config = (tmp_path / "a" / "config.cfg").read_text(encoding="utf-8")
    assert str(tmp_path) not in config  # no path to the temporary corpora
    model = RoleModel.load(tmp_path / "a")
    assert set(model.labels) == set(ROLE_NAMES)
    doc = host("Ghana raised gold output by 6% in June.")
    found = model.predict(doc, [1], threshold=0.0)
    assert {p.role for p in found[1]} == set(ROLE_NAMES)  # every role scored, at threshold 0


@pytest.mark.slow
def test_role_examples_carry_the_host_annotation(host) -> None:
    record = Record("x.jsonl", 1, "Chile cut copper exports to Japan.", (("TradeChange", "cut", 0),),
                    ((("agent", "Chile"), ("recipient", "Japan")),))
    [example] = role_examples([record], DEFAULT_MODEL, spacy.blank("en").vocab)
    assert [(s.text, s.label_) for s in example.spans["geokg_roles"]] == [("Chile", "agent"), ("Japan", "recipient")]
    assert example[0].pos_ == "PROPN" and example[0].ent_type_ == "Country" and example[1].tag_ == "T"


@pytest.mark.slow
def test_geokg_train_roles_says_what_it_learned_and_skipped(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from geokg.cli import cli

    result = CliRunner().invoke(cli, ["train", "--roles", "--data", str(write_data(tmp_path / "data")),
                                      "--output", str(tmp_path / "roles"), "--max-steps", "5"])
    assert result.exit_code == 0, result.output
    assert "24 events, 100 role strings learned; skipped: 0 not on token boundaries" in result.output
    assert "role F1 on the development split: " in result.output
    assert RoleModel.load(tmp_path / "roles").labels
