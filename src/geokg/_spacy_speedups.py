"""spaCy's attribute ruler and rule lemmatizer as memoised table lookups: the same annotations, faster.

In a trained English pipeline these two components are plain Python over every token, about a
fifth of the parse: the attribute ruler runs a :class:`~spacy.matcher.Matcher` of some 180
patterns (the tag map, morph rules and exceptions) and the lemmatizer looks each token's lemma up
again. Both answers depend on a few attributes of the token alone, and news repeats tokens, so
:class:`TokenAttributes` computes each answer once per distinct token and reuses it:

- the ruler's one-token patterns are checked once per distinct (attributes they read) and the
  matching rules remembered; patterns of several tokens (``gon na``) still go through a Matcher,
  of only those; the rules then apply in the ruler's own order (a later rule wins), as
  :meth:`AttributeRuler.set_annotations` applies them;
- a lemma is remembered per (form, part of speech, morphology), the key of the lemmatizer's own
  cache (``Lemmatizer.rule_lemmatize``), and asked of the lemmatizer itself the first time.

The memos are bounded as the lemmatizer's cache is (:func:`geokg._spacy_memory.bound_lemma_cache`).

:func:`install` puts it in place of the two components when the pipeline has them side by side
and every pattern is of a form it reads (anything else keeps spaCy's components).
``tests/test_spacy_speedups.py`` checks that every token's annotations equal spaCy's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

__all__ = ["TokenAttributes", "install"]

NAME = "geokg_token_attributes"

#: The token attributes a one-token pattern may read here, by their Matcher names.
_READ = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "IS_SPACE": IS_SPACE, "ORTH": ORTH}
_STRING_ATTRS = {"TAG", "LOWER", "DEP", "ORTH"}

Test = Callable[[tuple[Any, ...]], bool]


def _required(token: dict[str, Any]) -> tuple[str | None, frozenset[str]]:
    """An attribute a one-token pattern requires to be one of a few values, and those values."""
    for name in ("TAG", "LOWER", "ORTH", "DEP"):
        spec = token.get(name)
        if isinstance(spec, str):
            return name, frozenset([spec])
        if isinstance(spec, dict) and isinstance(spec.get("IN"), list) and len(spec) == 1:
            return name, frozenset(spec["IN"])
    return None, frozenset()


def _value_test(at: int, name: str, spec: object) -> Test | None:
    """A test of the value at position ``at`` of a token's signature, or None for a spec this
    module does not read (the component then stays spaCy's)."""
    if name == "IS_SPACE":
        if not isinstance(spec, bool):
            return None
        return lambda sig: sig[at] == spec
    if isinstance(spec, str):
        return lambda sig: sig[at] == spec
    if not isinstance(spec, dict) or len(spec) != 1:
        return None
    ((op, arg),) = spec.items()
    if op == "IN" and isinstance(arg, list):
        members = frozenset(arg)
        return lambda sig: sig[at] in members
    if op == "NOT_IN" and isinstance(arg, list):
        outside = frozenset(arg)
        return lambda sig: sig[at] not in outside
    if op == "REGEX" and isinstance(arg, str):
        search = re.compile(arg).search  # the Matcher's _RegexPredicate searches too
        return lambda sig: search(sig[at]) is not None
    return None


class TokenAttributes:
    """The work of ``ruler`` then ``lemmatizer`` on a Doc, each distinct token's answer computed once.

    Build it with :func:`for_pipeline`, which says None when the rules are not all of a form read here.
    """

    def __init__(
        self,
        ruler: AttributeRuler,
        lemmatizer: Lemmatizer,
        signature: list[str],
        rules: list[tuple[int, list[Test], str | None, frozenset[str]]],
        residual: Matcher | None,
    ) -> None:
        self.ruler, self.lemmatizer = ruler, lemmatizer
        self.columns = [_READ[name] for name in signature]
        self.strings = [name in _STRING_ATTRS for name in signature]
        self.residual = residual
        # Each rule filed under the values of one attribute it requires, so that a token's rules
        # are looked for among a few; rules that require no value are tried on every token.
        self.anywhere: list[tuple[int, list[Test]]] = []
        self.indexed: dict[int, dict[str, list[tuple[int, list[Test]]]]] = {}
        for rule_id, tests, name, values in rules:
            if name is None:
                self.anywhere.append((rule_id, tests))
                continue
            by_value = self.indexed.setdefault(signature.index(name), {})
            for value in values:
                by_value.setdefault(value, []).append((rule_id, tests))
        self._matched: dict[tuple[int, ...], tuple[int, ...]] = {}
        self._merged: dict[tuple[int, ...], dict[int, Any]] = {}
        self._lemmas: dict[tuple[int, int, int], str] = {}

    @classmethod
    def for_pipeline(cls, ruler: AttributeRuler, lemmatizer: Lemmatizer) -> TokenAttributes | None:
        if lemmatizer.mode != "rule" or lemmatizer.overwrite:
            return None
        if not lemmatizer._validated:
            lemmatizer._validate_tables()  # what its first call would do: its tables are loaded
        one_token: list[tuple[int, dict[str, Any]]] = []
        residual = Matcher(ruler.vocab)
        has_residual = False
        for rule_id, entry in enumerate(ruler.patterns):
            patterns: list[list[dict[str, Any]]] = entry["patterns"]  # type: ignore[assignment]
            if all(len(pattern) == 1 for pattern in patterns):
                one_token.extend((rule_id, pattern[0]) for pattern in patterns)
            else:
                residual.add(str(rule_id), patterns)
                has_residual = True
        signature = sorted({name for _, token in one_token for name in token})
        if any(name not in _READ for name in signature):
            return None
        rules: list[tuple[int, list[Test], str | None, frozenset[str]]] = []
        for rule_id, token in one_token:
            tests = [_value_test(signature.index(name), name, spec) for name, spec in token.items()]
            if any(test is None for test in tests):
                return None
            name, values = _required(token)
            rules.append((rule_id, tests, name, values))  # type: ignore[arg-type]  # None ruled out above
        return cls(ruler, lemmatizer, signature, rules, residual if has_residual else None)

    def __call__(self, doc: Doc) -> Doc:
        self._apply_rules(doc)
        self._lemmatize(doc)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def _apply_rules(self, doc: Doc) -> None:
        sigs = [tuple(row) for row in doc.to_array(self.columns).tolist()] if len(doc) else []
        # Every match is found before any rule applies, as in AttributeRuler.__call__.
        extra: dict[int, list[int]] = {}
        if self.residual is not None:
            for match_id, start, end in self.residual(doc, allow_missing=True):
                rule_id = int(self.ruler.vocab.strings[match_id])
                index = self.ruler.indices[rule_id]
                at = (start if index >= 0 else end) + index
                if not start <= at < end:  # the ruler raises its own error for such a pattern
                    self.ruler.set_annotations(doc, [(rule_id, match_id, start, end)])
                extra.setdefault(at, []).append(rule_id)
        for i, sig in enumerate(sigs):
            if i in extra:
                attrs: dict[int, Any] = {}
                for rule_id in sorted([*self._matches(sig), *extra[i]]):
                    attrs.update(self.ruler.attrs[rule_id])
            else:
                attrs = self._merged_for(sig)
            if attrs:
                set_token_attrs(doc[i], attrs)

    def _matches(self, sig: tuple[int, ...]) -> tuple[int, ...]:
        found = self._matched.get(sig)
        if found is None:
            strings = self.ruler.vocab.strings
            values = tuple(
                (strings[value] if value else "") if is_string else bool(value)
                for value, is_string in zip(sig, self.strings, strict=True)
            )
            candidates = list(self.anywhere)
            for at, by_value in self.indexed.items():
                candidates.extend(by_value.get(values[at], ()))  # type: ignore[arg-type]  # a string there
            found = tuple(sorted({rule_id for rule_id, tests in candidates if all(test(values) for test in tests)}))
            self._matched[sig] = found
        return found

    def _merged_for(self, sig: tuple[int, ...]) -> dict[int, Any]:
        merged = self._merged.get(sig)
        if merged is None:
            merged = {}
            for rule_id in self._matches(sig):
                merged.update(self.ruler.attrs[rule_id])  # a later rule's value wins, as when applied in turn
            self._merged[sig] = merged
        return merged

    @property
    def remembered(self) -> int:
        """How many distinct tokens the memos hold (each a few hundred bytes)."""
        return max(len(self._matched), len(self._lemmas), len(self.lemmatizer.cache))

    def forget(self) -> None:
        """Empty the memos (and the lemmatizer's own, which grows with them): the same answers later."""
        self._matched.clear()
        self._merged.clear()
        self._lemmas.clear()
        self.lemmatizer.cache.clear()

    def _lemmatize(self, doc: Doc) -> None:
        if not len(doc):
            return
        lemmas = self._lemmas
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()):
            if lemma:
                continue
            key = (orth, pos, morph)
            found = lemmas.get(key)
            if found is None:
                found = lemmas[key] = self.lemmatizer.lemmatize(doc[i])[0]
            # Set as text: a memory zone frees the strings its batch added, a remembered one's too.
            doc[i].lemma_ = found


def _pair(nlp: Language) -> tuple[AttributeRuler, Lemmatizer] | None:
    """The pipeline's attribute ruler and rule lemmatizer when they run one after the other."""
    names = nlp.pipe_names
    if "attribute_ruler" not in names or names[names.index("attribute_ruler") + 1 :][:1] != ["lemmatizer"]:
        return None
    ruler, lemmatizer = nlp.get_pipe("attribute_ruler"), nlp.get_pipe("lemmatizer")
    if not isinstance(ruler, AttributeRuler) or not isinstance(lemmatizer, Lemmatizer):
        return None
    return ruler, lemmatizer


def _for(nlp: Language) -> TokenAttributes | None:
    pair = _pair(nlp)
    return None if pair is None else TokenAttributes.for_pipeline(*pair)


@Language.factory(NAME)
def _token_attributes(nlp: Language, name: str) -> TokenAttributes:
    fast = _for(nlp)
    if fast is None:
        raise ValueError(f"{NAME} replaces an attribute_ruler followed by a rule lemmatizer; {nlp.pipe_names} has none")
    return fast


def install(nlp: Language) -> bool:
    """Put a :class:`TokenAttributes` in place of ``attribute_ruler`` and ``lemmatizer`` when
    they run one after the other and their rules are of a form it reads; say whether it did."""
    if _for(nlp) is None:
        return False
    nlp.add_pipe(NAME, after="lemmatizer")
    nlp.remove_pipe("attribute_ruler")
    nlp.remove_pipe("lemmatizer")
    return True
