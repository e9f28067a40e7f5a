"""The trigger model trains end to end on a handful of our own sentences, reproducibly, and
bad training data is refused with its file and line."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy
import pytest

from geokg.errors import TrainingDataError
from geokg.nlp import get_pipeline
from geokg.settings import DEFAULT_MODEL
from geokg.extract.text import SPANS_KEY
from geokg.training import read_records, split, train

pytestmark = pytest.mark.issue(16)

TEXTS = [
    ("Peru raised copper output by 4% in May.", [("Production", "raised")]),
    ("Gold rose 1% to $2,400 an ounce on Friday.", [("PriceChange", "rose")]),
    ("Chile cut lithium exports to China by a fifth.", [("TradeChange", "cut")]),
    ("A strike shut the Escondida mine on Tuesday.", [("SupplyDisruption", "strike")]),
    ("U.S. crude inventories fell by 3 million barrels last week.", [("InventoryChange", "fell")]),
    ("The IEA raised its forecast for oil demand growth.", [("Forecast", "raised")]),
    ("The sugar market will swing to a surplus next season.", [("MarketBalance", "surplus")]),
    ("Brazil's economy grew 2.9% last year.", [("EconomicTrend", "grew")]),
    ("Indonesia and Japan signed a nickel agreement.", [("Agreement", "signed")]),
    ("The ministers met in Jakarta on Monday.", [("Meeting", "met")]),
    ("Coffee farmers in the highlands are mostly smallholders.", []),
    ("Nigeria threatened to retaliate against the tariffs.", [("Tension", "threatened")]),
]


def write_data(folder: Path, texts=TEXTS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "tiny.jsonl", "w", encoding="utf-8") as out:
        for text, events in texts:
            out.write(json.dumps({"text": text, "events": [{"type": t, "trigger": w} for t, w in events]}) + "\n")
    return folder


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.name != "meta.json":
            sha.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return sha.hexdigest()


def test_read_records_finds_trigger_offsets_and_splits_stably(tmp_path: Path) -> None:
    records = read_records([write_data(tmp_path) / "tiny.jsonl"])
    assert len(records) == len(TEXTS)
    assert records[1].trigger_offsets() == [(5, 9, "PriceChange")]
    train_part, dev_part = split(records)
    assert len(train_part) + len(dev_part) == len(TEXTS) and split(records) == (train_part, dev_part)


@pytest.mark.parametrize("line, problem", [
    ('{"text": "Oil rose.", "events": [{"type": "PriceMove", "trigger": "rose"}]}', "unknown event type"),
    ('{"text": "Oil rose.", "events": [{"type": "PriceChange", "trigger": "fell"}]}', "not a whole word"),
    ('{"text": "Oil rose.", "events": [{"type": "PriceChange", "trigger": "oil rose"}]}', "one word"),
    ('{"events": []}', "not a training record"),
])
def test_bad_training_data_names_file_and_line(tmp_path: Path, line: str, problem: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "Fine.", "events": []}\n' + line + "\n", encoding="utf-8")
    with pytest.raises(TrainingDataError, match=rf"bad.jsonl:2: .*{problem}"):
        read_records([path])


@pytest.mark.slow
def test_a_tiny_model_trains_reproducibly_and_plugs_into_the_pipeline(tmp_path: Path) -> None:
    data = write_data(tmp_path / "data", TEXTS * 3)
    scores = train(tmp_path / "a", host=DEFAULT_MODEL, data=data, max_steps=30)
    train(tmp_path / "b", host=DEFAULT_MODEL, data=data, max_steps=30)
    assert "spans_geokg_triggers_f" in scores
    assert digest(tmp_path / "a") == digest(tmp_path / "b")  # same data, same seed: the same weights
    nlp = get_pipeline(DEFAULT_MODEL, event_model=str(tmp_path / "a"))
    assert nlp.pipe_names.index("geokg_triggers") > nlp.pipe_names.index("parser")
    assert nlp.pipe_names.index("geokg_trigger_lexicon") == nlp.pipe_names.index("geokg_triggers") + 1
    doc = nlp("Zinc prices fell 2% on Tuesday.")
    assert SPANS_KEY in doc.spans and all(span.label_ for span in doc.spans[SPANS_KEY])
    lexicon = nlp.get_pipe("geokg_trigger_lexicon").words
    train_part, _ = split(read_records(data.glob("*.jsonl")))
    assert {word.lower() for r in train_part for _, word, _ in r.events} <= lexicon
    assert not {"coffee", "smallholders", "the"} & lexicon


def test_the_lexicon_drops_triggers_on_words_never_seen_as_triggers_and_keeps_scores_aligned() -> None:
    from spacy.tokens import Doc, SpanGroup
    from spacy.vocab import Vocab

    from geokg.nlp import TriggerLexicon

    words = ["The", "minister", "stated", "that", "exports", "fell"]
    doc = Doc(Vocab(), words=words, lemmas=["the", "minister", "state", "that", "export", "fall"])
    group = SpanGroup(doc, name=SPANS_KEY, spans=[doc[2:3], doc[5:6]])
    group.attrs["scores"] = numpy.array([[0.99], [0.93]], dtype="float32")
    doc.spans[SPANS_KEY] = group
    TriggerLexicon(["fall", "rise"])(doc)
    assert [span.text for span in doc.spans[SPANS_KEY]] == ["fell"]
    assert doc.spans[SPANS_KEY].attrs["scores"].tolist() == [[pytest.approx(0.93)]]
