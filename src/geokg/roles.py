"""Argument roles of event triggers: the trained role model and how to ask it.

For each trigger the model reads the trigger's sentence, as the host pipeline parsed it, and
scores every span of one to six tokens for each role of the annotation format
(``geokg.training.ROLE_NAMES``: agent, theme, recipient, place, change, level, before, date,
source). It needs no second parse: the example doc is built from the host's tokens, parts of
speech, dependencies, lemmas and entities, with one feature written for the trigger at hand
(:func:`trigger_path`: how each token hangs from the trigger in the parse). Train it with
``geokg train --roles`` (``geokg.training.roles``).

Usage (``GEOKG_ROLE_MODEL=none`` makes ``role_model()`` None)::

    model = role_model()                      # the packaged weights, loaded once
    doc = nlp("Chile cut copper exports to Japan by 5% in May.")  # the host pipeline
    for p in model.predict(doc, [1])[1]:      # the roles of the trigger "cut"
        print(p.role, p.text(doc), p.probability)   # agent Chile 0.99, theme copper 0.99, ...
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, cast

from geokg.errors import ConfigError

if TYPE_CHECKING:  # spaCy loads with the model, not with this module
    import numpy
    from spacy.language import Language
    from spacy.pipeline import SpanCategorizer
    from spacy.tokens import Doc, Span, Token
    from spacy.vocab import Vocab

__all__ = [
    "MENTIONS_KEY",
    "PACKAGED_ROLE_MODEL",
    "ROLES_KEY",
    "RoleModel",
    "RolePrediction",
    "role_doc",
    "role_model",
    "trigger_path",
]

#: The span group the role model's examples carry their gold roles in (and its component's name).
ROLES_KEY = "geokg_roles"
# The gazetteer's span group (geokg.extract.gazetteer.SPAN_KEY, which a test checks): named here,
# not imported, so that extraction can call this module without a cycle.
MENTIONS_KEY = "geokg_mentions"
# The shipped role model (geokg.training.roles; reproduce it with `make model`).
PACKAGED_ROLE_MODEL = Path(str(files("geokg") / "models" / "event-roles"))
_UP, _DOWN = 4, 3  # the most arcs a path counts up from the trigger and spells out down to the token


@dataclass(frozen=True, slots=True)
class RolePrediction:
    """A span of the original doc (tokens ``start`` to ``end``, end exclusive) in a role of a
    trigger, with the model's probability."""

    role: str
    start: int
    end: int
    probability: float

    def text(self, doc: Doc) -> str:
        return doc[self.start : self.end].text


def trigger_path(token: Token, trigger: Token) -> str:
    """How ``token`` hangs from ``trigger`` in the parse: the side it is on; the trigger's own arc
    and how many arcs lead up from it to their common head ("sanctions" in "adopted a package of
    sanctions" is ``pobj^3`` below "adopted"); the arcs down from there to the token (a
    preposition with its word: "to Japan" is ``prep:to>pobj``).

    Example:
        >>> from spacy.tokens import Doc; from spacy.vocab import Vocab
        >>> doc = Doc(Vocab(), words=["Chile", "cut", "copper", "exports", "to", "Japan"],
        ...           heads=[1, 1, 3, 1, 3, 4], deps=["nsubj", "ROOT", "compound", "dobj", "prep", "pobj"])
        >>> [trigger_path(t, doc[1]) for t in doc]
        ['<|nsubj', 'T', '>|dobj>compound', '>|dobj', '>|dobj>prep:to', '>|dobj>prep:to>pobj']
        >>> trigger_path(doc[0], doc[3])  # from the noun "exports": one arc up, then to the subject
        '<dobj^1|nsubj'"""
    sent = trigger.sent
    return _Sentence(sent).paths(trigger.i - sent.start)[token.i - sent.start]


def role_doc(vocab: Vocab, sent: Span, trigger: int) -> Doc:
    """The example the role model reads for the trigger at token ``trigger`` of ``sent``'s doc:
    the sentence's tokens with the host's annotation, and :func:`trigger_path` as the tag."""
    return _Sentence(sent).doc(vocab, trigger - sent.start)


class _Sentence:
    """A sentence's annotation as plain lists, read from the host doc once for all its triggers."""

    def __init__(self, sent: Span) -> None:
        tokens = list(sent)
        start, end = sent.start, sent.end
        self.words = [t.text for t in tokens]
        self.spaces = [bool(t.whitespace_) for t in tokens]
        self.pos = [t.pos_ for t in tokens]
        self.lemmas = [t.lemma_ for t in tokens]
        self.deps = [t.dep_ for t in tokens]
        self.heads = [t.head.i - start if start <= t.head.i < end else t.i - start for t in tokens]
        self.arcs = [
            f"{dep}:{word.lower()}" if dep in ("prep", "agent") else dep
            for dep, word in zip(self.deps, self.words, strict=True)
        ]
        self.chains = [self._chain(i) for i in range(len(tokens))]
        self.ents = _entity_tags(sent)

    def _chain(self, i: int) -> list[int]:
        """Token ``i`` and its heads up to the root."""
        chain = [i]
        while self.heads[chain[-1]] != chain[-1] and len(chain) <= len(self.heads):
            chain.append(self.heads[chain[-1]])
        return chain

    def paths(self, trigger: int) -> list[str]:
        """:func:`trigger_path` of every token for the trigger at (sentence) index ``trigger``."""
        above = self.chains[trigger]
        rank = {node: n for n, node in enumerate(above)}
        paths = []
        for i, chain in enumerate(self.chains):
            side = "<" if i < trigger else ">"
            meet = next((n for n, node in enumerate(chain) if node in rank), None)
            if i == trigger:
                paths.append("T")
            elif meet is None:  # separate trees: a broken parse
                paths.append(side + "|?")
            else:
                up = [self.deps[node] for node in above[: rank[chain[meet]]]]
                down = [self.arcs[node] for node in reversed(chain[:meet])]
                paths.append(
                    side
                    + (f"{up[0]}^{min(len(up), _UP)}" if up else "")
                    + "|"
                    + ">".join(down[:_DOWN])
                    + ("+" if len(down) > _DOWN else "")
                )
        return paths

    def doc(self, vocab: Vocab, trigger: int) -> Doc:
        from spacy.tokens import Doc

        return Doc(
            vocab,
            words=self.words,
            spaces=self.spaces,
            tags=self.paths(trigger),
            pos=self.pos,
            lemmas=self.lemmas,
            deps=[dep or "dep" for dep in self.deps],
            heads=self.heads,
            ents=self.ents,
        )


def _entity_tags(sent: Span) -> list[str]:
    """IOB entity tags of the sentence: geokg's gazetteer kinds (Country, Commodity, …) where it
    matched, else the host's entity labels (GPE, MONEY, DATE, …)."""
    labels = [(t.ent_type_, t.ent_iob_ == "B") if t.ent_type_ else ("", False) for t in sent]
    for span in sent.doc.spans.get(MENTIONS_KEY, ()) if sent.doc.spans else ():
        if sent.start <= span.start and span.end <= sent.end:
            for n in range(span.start, span.end):
                labels[n - sent.start] = (span.label_, n == span.start)
    tags, previous = [], ""
    for label, begins in labels:
        tags.append("O" if not label else f"{'B' if begins or label != previous else 'I'}-{label}")
        previous = label
    return tags


class RoleModel:
    """The trained role model. ``RoleModel.load(folder)``, then :meth:`predict` per doc."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self.component = cast("SpanCategorizer", nlp.get_pipe(ROLES_KEY))  # spancat_singlelabel (roles.cfg)
        self.labels: tuple[str, ...] = tuple(self.component.labels)

    @classmethod
    def load(cls, path: str | Path) -> RoleModel:
        """Load a folder written by ``geokg train --roles``.

        Raises:
            ConfigError: the folder does not hold a role model; the message says why.
        """
        import spacy

        try:
            nlp = spacy.load(path)
            nlp.get_pipe(ROLES_KEY)
        except (OSError, ValueError, KeyError) as error:
            raise ConfigError(
                "GEOKG_ROLE_MODEL",
                str(path),
                f"It is not a trained role model ({error}). Run `geokg train --roles` or use none",
            ) from error
        return cls(nlp)

    def predict(
        self, doc: Doc, triggers: Iterable[int], *, threshold: float = 0.5, batch_size: int = 64
    ) -> dict[int, list[RolePrediction]]:
        """The role spans of each trigger (a token index of ``doc``), most probable first.

        Per trigger and role, spans at ``threshold`` or above that do not overlap a more
        probable span of the same role; token indices are ``doc``'s. ``doc`` must come from the
        host pipeline the model was trained on (its sentences, tags, parse and entities).

        Raises:
            ValueError: a trigger is not a token index of ``doc``, or ``doc`` has no sentences.
        """
        wanted = sorted(set(triggers))
        if wanted and not 0 <= wanted[0] <= wanted[-1] < len(doc):
            bad = wanted[0] if wanted[0] < 0 else wanted[-1]
            raise ValueError(f"trigger {bad} is not a token of the doc (it has {len(doc)} tokens)")
        if wanted and not doc.has_annotation("SENT_START"):
            raise ValueError("the doc has no sentence boundaries: parse it with the host pipeline first")
        found: dict[int, list[RolePrediction]] = {}
        for first in range(0, len(wanted), batch_size):
            batch = wanted[first : first + batch_size]
            sents = [doc[t].sent for t in batch]
            read: dict[int, _Sentence] = {}  # triggers of one sentence share its reading
            examples = [
                read.setdefault(sent.start, _Sentence(sent)).doc(self.nlp.vocab, t - sent.start)
                for sent, t in zip(sents, batch, strict=True)
            ]
            indices, scores = self.component.predict(examples)
            ops = self.component.model.ops
            starts = ops.to_numpy(indices.dataXd)
            scores = ops.to_numpy(scores)
            offset = 0
            for trigger, sent, length in zip(batch, sents, ops.to_numpy(indices.lengths), strict=True):
                end = offset + int(length)
                found[trigger] = self._decode(starts[offset:end], scores[offset:end], sent.start, threshold)
                offset = end
        return found

    def _decode(
        self, spans: numpy.ndarray, scores: numpy.ndarray, shift: int, threshold: float
    ) -> list[RolePrediction]:
        """Per role, the spans at ``threshold`` or above, most probable first, each overlapping
        no more probable span of its role."""
        import numpy

        predictions: list[RolePrediction] = []
        for column, role in enumerate(self.labels):  # a softmax model's last column, "none", is left out
            rows = numpy.flatnonzero(scores[:, column] >= threshold)
            rows = rows[(-scores[rows, column]).argsort(kind="stable")]
            taken: list[tuple[int, int]] = []
            for r in rows:
                start, end = int(spans[r][0]), int(spans[r][1])
                if all(end <= s or start >= e for s, e in taken):
                    taken.append((start, end))
                    predictions.append(RolePrediction(role, start + shift, end + shift, float(scores[r, column])))
        return sorted(predictions, key=lambda p: -p.probability)


def role_model_setting() -> str:
    """``GEOKG_ROLE_MODEL``: a trained role model's folder, ``default`` or ``none``."""
    return os.environ.get("GEOKG_ROLE_MODEL") or "default"


def role_model(setting: str | None = None) -> RoleModel | None:
    """The role model ``setting`` (default: ``GEOKG_ROLE_MODEL``) names, loaded once: ``default``
    is the packaged weights when present, ``none`` no model, anything else a folder."""
    return _load(setting or role_model_setting())


@lru_cache(maxsize=4)
def _load(setting: str) -> RoleModel | None:
    if setting == "none":
        return None
    if setting == "default":
        if not (PACKAGED_ROLE_MODEL / "meta.json").is_file():
            return None
        return RoleModel.load(PACKAGED_ROLE_MODEL)
    return RoleModel.load(setting)
