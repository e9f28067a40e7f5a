"""spaCy component ``geokg_gazetteer``: reference-data names → ``doc.spans["geokg_mentions"]``.

Each span's label is an ``EntityKind`` value (or ``"Office"``) and its ``kb_id_`` the
IRI path of the entity (``"country/RU"``, ``"office/president-of-russia"``). Names,
demonyms and metonyms all come from ``ontology/reference`` through ``geokg.reference``:
the same source of truth as the reference named graph.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.attrs import IS_SPACE, ORTH
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from geokg.iri_space import KIND_SEGMENT
from geokg.model import EntityKind
from geokg.reference import ReferenceIndex, load_reference

SPAN_KEY = "geokg_mentions"
CANDIDATES_KEY = "geokg_candidates"  # every match, for ties between kinds ("Moscow": country or city)
OFFICE = "Office"


@Language.factory("geokg_gazetteer", requires=["token.text", "token.pos"], assigns=["doc.spans"])
def make_gazetteer(nlp: Language, name: str) -> Gazetteer:
    return Gazetteer(nlp, load_reference())


class Gazetteer:
    """Match every reference name in a text; longest match wins.

    Proper names (countries, people, organisations, places, demonyms, offices)
    match case-sensitively, as written, in title case or in upper case (Reuters
    headlines); commodity names match case-insensitively because news writes them
    in lower case, but a capitalised one-word commodity inside a sentence ("Rice
    said") is a name, not the commodity.
    """

    def __init__(self, nlp: Language, reference: ReferenceIndex) -> None:
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.folded = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.ambiguous: set[str] = set()
        exact: dict[str, set[str]] = {}
        folded: dict[str, set[str]] = {}
        for entity in reference.entities.values():
            key = f"{KIND_SEGMENT[entity.ref.kind]}/{entity.ref.key}"
            names = set(entity.names) | set(entity.demonyms) | set(entity.metonyms)
            if entity.ref.kind is EntityKind.COMMODITY:
                folded.setdefault(f"{entity.ref.kind.value}|{key}", set()).update(names)
                if entity.ambiguous:
                    self.ambiguous.add(key)
            else:
                exact.setdefault(f"{entity.ref.kind.value}|{key}", set()).update(_case_variants(names))
        for office in reference.offices.values():
            exact.setdefault(f"{OFFICE}|office/{office.key}", set()).update(_case_variants(office.names))
        for match_id, names in exact.items():
            self.exact.add(match_id, [nlp.tokenizer(name) for name in sorted(names)])
        for match_id, names in folded.items():
            self.folded.add(match_id, [nlp.tokenizer(name) for name in sorted(names)])

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        unwrapped = _without_line_breaks(doc)  # built once for both matchers
        for matcher, folded in ((self.exact, False), (self.folded, True)):
            for match_id, start, end in [*matcher(doc), *_across_line_breaks(matcher, unwrapped)]:
                label, key = doc.vocab.strings[match_id].split("|", 1)
                span = Span(doc, start, end, label=label, kb_id=key)
                if folded and not self._is_commodity_use(span, key):
                    continue
                spans.append(span)
        doc.spans[CANDIDATES_KEY] = spans
        doc.spans[SPAN_KEY] = filter_spans(spans)
        return doc

    def _is_commodity_use(self, span: Span, key: str) -> bool:
        first = span[0]
        if len(span) == 1 and first.is_title and not first.is_sent_start and not _in_title_case_line(first):
            return False
        if key in self.ambiguous and all(token.pos_ not in ("NOUN", "PROPN", "ADJ") for token in span):
            return False
        return True


def _without_line_breaks(doc: Doc) -> tuple[Doc, list[int]] | None:
    """The doc's tokens without its whitespace tokens, and where each came from (None: it has none)."""
    attrs = doc.to_array([ORTH, IS_SPACE])  # arrays, not a Token object per token
    if not attrs[:, 1].any():
        return None
    strings = doc.vocab.strings
    keep, words = [], []
    for i, (orth, space) in enumerate(attrs.tolist()):
        if not space:
            keep.append(i)
            words.append(strings[orth])
    return Doc(doc.vocab, words=words, spaces=[True] * len(words)), keep


def _across_line_breaks(matcher: PhraseMatcher, unwrapped: tuple[Doc, list[int]] | None) -> list[tuple[int, int, int]]:
    """Matches of names that wire copy wraps over two lines ("New\nJersey"): the line break is
    a whitespace token of its own, so the name is matched on the tokens without it
    (``unwrapped``, from :func:`_without_line_breaks`)."""
    if unwrapped is None:
        return []
    compact, keep = unwrapped
    found = []
    for match_id, start, end in matcher(compact):
        first, last = keep[start], keep[end - 1]
        if last - first + 1 != end - start:  # only what the plain match could not see
            found.append((match_id, first, last + 1))
    return found


def _case_variants(names: Iterable[str]) -> set[str]:
    variants: set[str] = set()
    for name in names:
        name = name.strip()
        if not name:
            continue
        variants.update((name, name.upper()))
        if _acronym(name):
            variants.add(name.title())  # "Opec", "Nato", "Iea": house styles write acronyms so
        if name.islower():
            variants.add(name.title())
        elif name[0].islower():
            variants.add(name[0].upper() + name[1:])  # sentence-initial "the Kremlin"
    return variants


def _acronym(name: str) -> bool:
    """An upper-case name whose title case is no English word: four letters or more, or three
    that are not consonant-vowel-consonant ("CAR" would match "Car")."""
    if not (name.isalpha() and name.isupper() and len(name) >= 3):
        return False
    vowels = [c in "AEIOU" for c in name]
    return len(name) >= 4 or vowels != [False, True, False]


def _in_title_case_line(token: Token) -> bool:
    """Headlines are often in title or upper case: there capitals say nothing."""
    line_start = token.i
    doc = token.doc
    while line_start > 0 and "\n" not in doc[line_start - 1].text_with_ws:
        line_start -= 1
    line = [t for t in doc[line_start : token.i + 4] if t.is_alpha]
    return bool(line) and sum(t.is_title or t.is_upper for t in line) >= 0.7 * len(line)
