"""Train the event-trigger model from the team-written data in ``training/data``.

The data are JSON Lines, one text a line, each event with its type, its trigger word and its
role strings (``docs/annotation.md``; ``geokg.training.roles`` trains the role model from them).
Each text is parsed by the host spaCy pipeline (the model's features
include the host's lemmas, parts of speech and dependency labels), its triggers become
single-token spans in ``doc.spans["geokg_triggers"]``, and ``spacy train`` fits the
``config.cfg`` beside this file with a fixed seed. A fifth of the texts, chosen by a hash of the
text, is the development split that picks the best weights.

Example:
    >>> record = Record("x.jsonl", 1, "Brent rose 3% on Monday.", (("PriceChange", "rose", 0),))
    >>> record.trigger_offsets()
    [(6, 10, 'PriceChange')]
    >>> text = "Iran's oil output rose while Iraq's oil exports fell."
    >>> Record("x.jsonl", 1, text, (("TradeChange", "fell", 0),), ((("theme", "oil"),),)).role_offsets()
    [[(36, 39, 'theme')]]
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from geokg.errors import TrainingDataError
from geokg.event_types import SPECS, trained_labels
from geokg.extract.text import SPANS_KEY

__all__ = ["CONFIG", "DATA", "ROLE_NAMES", "Record", "docs", "read_records", "split", "train"]

CONFIG = Path(str(files("geokg.training") / "config.cfg"))
DATA = Path(str(files("geokg.training") / "data"))
_DIRECTIONS = {"up", "down", "unchanged"}
# The roles of the annotation format, in its order (docs/annotation.md). On ``Event`` they are
# agent, themes, recipients, place, change, quantity (level), previous (before), date and
# attributed_to (source).
ROLE_NAMES = ("agent", "theme", "recipient", "place", "change", "level", "before", "date", "source")
_EVENT_KEYS = {"type", "trigger", "trigger_at", "direction", *ROLE_NAMES}


@dataclass(frozen=True, slots=True)
class Record:
    """One annotated text: events as (type, trigger word, occurrence of the word) and, for each
    event in the same order, its roles as (role, string of the text) pairs."""

    path: str
    line: int
    text: str
    events: tuple[tuple[str, str, int], ...]
    roles: tuple[tuple[tuple[str, str], ...], ...] = ()

    def trigger_offsets(self) -> list[tuple[int, int, str]]:
        """Character offsets of each event's trigger, with its type."""
        offsets = []
        for kind, word, occurrence in self.events:
            hits = [m.start() for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", self.text)]
            if occurrence >= len(hits):
                raise TrainingDataError(
                    self.path, self.line, f"trigger {word!r} (occurrence {occurrence}) is not a whole word of the text"
                )
            offsets.append((hits[occurrence], hits[occurrence] + len(word), kind))
        return offsets

    def role_offsets(self) -> list[list[tuple[int, int, str]]]:
        """Character offsets of each event's role strings, with the role: where a string occurs
        more than once, the occurrence nearest the event's trigger (whole words first)."""
        offsets = []
        # Not strict: a record made without role annotation (``roles`` left at ``()``) has
        # events and no roles; read_records gives every event its (maybe empty) roles.
        for (trigger_start, _, _), roles in zip(self.trigger_offsets(), self.roles, strict=False):
            found = []
            for role, value in roles:
                hits = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(value)}(?!\w)", self.text)] or [
                    m.start() for m in re.finditer(re.escape(value), self.text)
                ]
                if not hits:
                    raise TrainingDataError(self.path, self.line, f"{role} {value!r} is not a substring of the text")
                start = min(hits, key=lambda hit: abs(hit - trigger_start))
                found.append((start, start + len(value), role))
            offsets.append(found)
        return offsets


def read_records(paths: Iterable[Path]) -> list[Record]:
    """Read and check training files (type known and trained, trigger one word of the text,
    roles known and substrings of the text).

    Raises:
        TrainingDataError: the first problem found, with its file and line.
    """
    labels = set(trained_labels())
    records = []
    for path in sorted(paths):
        with open(path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    raw = json.loads(line)
                    text, events = raw["text"], raw.get("events", [])
                except (ValueError, KeyError, TypeError) as error:
                    raise TrainingDataError(str(path), number, f"not a training record: {error}") from None
                parsed, roles = [], []
                for event in events:
                    kind, word = event.get("type"), str(event.get("trigger", "")).strip()
                    if kind not in SPECS:
                        raise TrainingDataError(str(path), number, f"unknown event type {kind!r}")
                    if kind not in labels:
                        continue  # a type left to the rules (geokg.event_types)
                    if not word or " " in word:
                        raise TrainingDataError(str(path), number, f"trigger must be one word: {word!r}")
                    if event.get("direction", "up") not in _DIRECTIONS:
                        raise TrainingDataError(
                            str(path), number, f"direction {event['direction']!r}: use up, down or unchanged"
                        )
                    unknown = sorted(set(event) - _EVENT_KEYS)
                    if unknown:
                        raise TrainingDataError(
                            str(path),
                            number,
                            f"unknown key {unknown[0]!r}: use one of " + ", ".join(sorted(_EVENT_KEYS)),
                        )
                    parsed.append((kind, word, int(event.get("trigger_at", 0))))
                    roles.append(tuple(_role_strings(str(path), number, event)))
                record = Record(str(path), number, text, tuple(parsed), tuple(roles))
                record.role_offsets()  # fail here, naming the line, not inside training
                records.append(record)
    return records


def _role_strings(path: str, line: int, event: dict) -> Iterator[tuple[str, str]]:
    for role in ROLE_NAMES:
        values = event.get(role, [])
        for value in values if isinstance(values, list) else [values]:
            if not isinstance(value, str) or not value.strip():
                raise TrainingDataError(path, line, f"{role} must be a string or a list of strings, not {value!r}")
            yield role, value


def split(records: Iterable[Record]) -> tuple[list[Record], list[Record]]:
    """(train, dev): a text is in dev when the first byte of its SHA-256 is below 52 (a fifth)."""
    train_part: list[Record] = []
    dev_part: list[Record] = []
    for record in records:
        digest = hashlib.sha256(record.text.encode("utf-8")).digest()
        (dev_part if digest[0] < 52 else train_part).append(record)
    return train_part, dev_part


def docs(records: Iterable[Record], host: str) -> Iterator:
    """Parse each record with the host pipeline and mark its triggers as labelled spans."""
    from geokg.nlp import get_pipeline

    nlp = get_pipeline(host, event_model="none")
    texts = ((r.text, r) for r in records)
    for doc, record in nlp.pipe(texts, as_tuples=True, batch_size=64):
        spans, taken = [], set()
        for start, end, kind in record.trigger_offsets():
            span = doc.char_span(start, end, label=kind, alignment_mode="expand")
            if span is None or len(span) != 1 or span.start in taken:
                continue  # a trigger inside a token, or a second type on one token: keep the first
            taken.add(span.start)
            spans.append(span)
        doc.spans[SPANS_KEY] = spans
        yield doc


def trigger_words(annotated: Iterable) -> set[str]:
    """The words and lemmas (lower case) of the triggers marked in ``annotated`` docs."""
    return {
        form
        for doc in annotated
        for span in doc.spans[SPANS_KEY]
        for form in (span.root.lower_, span.root.lemma_.lower())
    }


def add_lexicon(output: Path, words: Iterable[str]) -> None:
    """Add the trigger-lexicon component (``geokg.nlp.TriggerLexicon``) to the model in ``output``."""
    import spacy

    from geokg.nlp import TRIGGER_LEXICON

    nlp = spacy.load(output)
    nlp.add_pipe(TRIGGER_LEXICON, config={"words": sorted(words)})
    nlp.to_disk(output)


def _finish(
    output: Path,
    name: str = "geokg_event_triggers",
    description: str = "Event triggers of geopolitics and commodity news, labelled with geokg event "
    "types; trained from scratch on team-written data (docs/model-card.md).",
) -> None:
    """Name the model in its meta and leave no path to the temporary corpora in its config, so
    two runs on the same data write the same bytes."""
    config = output / "config.cfg"
    config.write_text(
        re.sub(r"^(train|dev) = .*$", r"\1 = null", config.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8"
    )
    meta_path = output / "meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    # spaCy also scores the default "sc" span key, which this component never writes.
    meta["performance"] = {k: v for k, v in meta.get("performance", {}).items() if not k.startswith("spans_sc_")}
    meta.update(name=name, license="Apache-2.0", author="geokg", description=description)
    meta_path.write_text(json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def fit(config: Path, work: Path, output: Path, *, seed: int, max_steps: int | None) -> dict:
    """``spacy train`` with ``config`` on ``work/{train,dev}.spacy``; copy the best weights on the
    dev split to ``output`` (replacing it) and return their meta."""
    from spacy.cli.train import train as spacy_train

    overrides: dict[str, object] = {
        "paths.train": str(work / "train.spacy"),
        "paths.dev": str(work / "dev.spacy"),
        "system.seed": seed,
        "training.seed": seed,
    }
    if max_steps is not None:
        overrides["training.max_steps"] = max_steps
    spacy_train(config, work / "out", overrides=overrides, use_gpu=-1)
    best = work / "out" / "model-best"
    meta: dict = json.loads((best / "meta.json").read_text(encoding="utf-8"))
    if output.exists():
        shutil.rmtree(output)
    shutil.copytree(best, output)
    return meta


def train(
    output: Path, *, host: str, data: Path = DATA, max_steps: int | None = None, seed: int = 0, fraction: float = 1.0
) -> dict[str, float]:
    """Train on ``data/*.jsonl`` and write the best weights to ``output``; return its dev scores.

    ``fraction`` keeps that share of the training split (the development split stays whole),
    for learning curves.
    """
    from spacy.tokens import DocBin

    records = read_records(data.glob("*.jsonl"))
    train_part, dev_part = split(records)
    train_part = train_part[: max(1, round(len(train_part) * fraction))]
    with tempfile.TemporaryDirectory(prefix="geokg-train-") as tmp:
        work = Path(tmp)
        train_docs = list(docs(train_part, host))
        for name, part_docs in (("train", train_docs), ("dev", docs(dev_part, host))):
            DocBin(attrs=["ORTH", "LEMMA", "POS", "DEP", "HEAD", "SENT_START", "NORM"], docs=part_docs).to_disk(
                work / f"{name}.spacy"
            )
        meta = fit(CONFIG, work, output, seed=seed, max_steps=max_steps)
    add_lexicon(output, trigger_words(train_docs))
    _finish(output)
    return {k: v for k, v in (meta.get("performance") or {}).items() if isinstance(v, float)}
