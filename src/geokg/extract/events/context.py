"""What every event rule shares: the context of the sentence being read, which kinds of entity
play which part, how much each rule is trusted, and the few token helpers all families use."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from geokg.extract.attribution import SPEECH_VERBS
from geokg.extract.lexicon import mapping
from geokg.extract.linking import LinkedDoc
from geokg.extract.text import span_text
from geokg.model import EntityKind, EntityRef, Event, Evidence

ACTORS = {EntityKind.COUNTRY, EntityKind.PERSON, EntityKind.ORGANIZATION, EntityKind.COMPANY, EntityKind.MEDIA}
PARTIES = ACTORS | {EntityKind.PLACE}
PLACES = {EntityKind.PLACE, EntityKind.FACILITY}
# "it", "they": the states, bodies and companies a later pronoun can refer back to.
_SUBJECT_KINDS = {EntityKind.COUNTRY, EntityKind.ORGANIZATION, EntityKind.COMPANY}

# Confidence of each rule (gk:confidence), set by hand from how reliable each rule proved in
# error analysis on news-dev: a relative figure, not a calibrated probability. Penalties stack;
# the floor is 0.1.
# fmt: off
CONFIDENCE = {
    "verb": 0.8,            # a trigger verb with its own subject: "China banned exports of gallium"
    "noun": 0.7,            # a nominal trigger: "a ban on", "exports of", "output rose"
    "ranking": 0.85,        # "the world's second-largest producer … according to X"
    "price": 0.7,           # "the copper price rose"
    "quote": 0.9,           # a quoted statement with its speaker
    "reported": 0.75,       # "X said that …" without quotes
}
PENALTY = {
    "coreference": 0.2,     # the agent is named in an earlier sentence ("it", "the company")
    "implicit": 0.3,        # the agent is inferred (the state announcing a passive measure)
    "context_theme": 0.1,   # the commodity comes from an earlier sentence
}
# fmt: on

# Gerunds the tagger leaves unlemmatised map to their verb.
_GERUNDS = mapping("gerunds")


@dataclass
class SentenceContext:
    """What the rules know about the text around a sentence."""

    linked: LinkedDoc
    anchor: dt.date | None
    default_source: EntityRef | None
    last_person: EntityRef | None = None
    last_actor: EntityRef | None = None
    person_countries: dict[EntityRef, EntityRef] | None = None
    # For coreference across sentences: the last non-person subject ("it", "they"), the last
    # entity of each kind ("the country", "the company", "the minister") and commodity.
    last_subject: EntityRef | None = None
    mention_counts: dict[EntityRef, int] = field(default_factory=dict)  # in order of first mention
    last_of_kind: dict[EntityKind, EntityRef] = field(default_factory=dict)
    last_commodity: EntityRef | None = None
    last_measure: Event | None = None  # the last restriction, sanction or tariff, for "the ban"
    trigger_scores: dict[int, float] = field(default_factory=dict)  # the model's, by token index
    model_clauses: set[int] = field(default_factory=set)  # clause verbs only the model has a trigger in

    def remember(self, sent: Span) -> None:
        """Keep the last person, actor, subject and commodity named, for "he said", "it exported",
        "the company said" and "output rose"."""
        for ref in self.linked.in_span(sent.start, sent.end):
            self.mention_counts[ref] = self.mention_counts.get(ref, 0) + 1
            self.last_of_kind[ref.kind] = ref
            if ref.kind is EntityKind.PERSON:
                self.last_person = ref
            elif ref.kind in _SUBJECT_KINDS:
                self.last_actor = ref
            elif ref.kind is EntityKind.COMMODITY:
                self.last_commodity = ref
        # What the sentence tells is about its subject; in reported speech ("Algeria will increase
        # gas sales, the Commission said") the subject of what was said, not the speaker.
        root = sent.root
        if root.lemma_ in SPEECH_VERBS:
            root = next((c for c in root.children if c.dep_ == "ccomp"), root)
        subject = next((t for t in root.children if t.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            found = self.linked.in_span(subject.left_edge.i, subject.right_edge.i + 1, _SUBJECT_KINDS)
            if found:
                self.last_subject = found[0]


def lemma(token: Token) -> str:
    """The token's lower-case lemma, a gerund's verb for gerunds ("purchasing" → "purchase")."""
    found = token.lemma_.lower()
    return _GERUNDS.get(found, found)


def evidence_of(sent: Span) -> Evidence:
    """The sentence without the line breaks and spaces around it."""
    text = span_text(sent)
    stripped = text.strip()
    start = sent.start_char + (len(text) - len(text.lstrip()))
    return Evidence(start, start + len(stripped), stripped)


def is_commodity(token: Token, linked: LinkedDoc) -> bool:
    ref = linked.by_token.get(token.i)
    return ref is not None and ref.kind is EntityKind.COMMODITY


def salient_commodity(ctx: SentenceContext, last: EntityRef) -> EntityRef:
    """The commodity the story is about so far: the most mentioned, the latest (``last``, the
    story's ``ctx.last_commodity``) on a tie."""
    seen = [ref for ref in ctx.mention_counts if ref.kind is EntityKind.COMMODITY]
    if not seen:
        return last
    top = max(ctx.mention_counts[ref] for ref in seen)
    if ctx.mention_counts.get(last) == top:
        return last
    return next(ref for ref in reversed(seen) if ctx.mention_counts[ref] == top)


def owning_verb(token: Token) -> Token:
    """The nearest verb above a token (the root when there is none)."""
    current = token.head
    while current.pos_ not in ("VERB", "AUX") and current.head.i != current.i:
        current = current.head
    return current


def aimed_at(verb: Token) -> bool:
    """ "(halted exports) to curb prices": an infinitive of purpose, a move an act aims at."""
    return (
        verb.dep_ == "advcl" and verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)
    )
