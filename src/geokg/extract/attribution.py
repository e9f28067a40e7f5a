"""Who a fact is attributed to: "according to OPEC", "as quoted by Interfax",
"RIA Novosti reports", "Data from the US Geological Survey shows", ", the trade
ministry said", "told Reuters".
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from geokg.extract.linking import LinkedDoc, minted
from geokg.model import EntityKind, EntityRef

SPEECH_VERBS = {
    "say",
    "tell",
    "declare",
    "add",
    "state",
    "announce",
    "warn",
    "claim",
    "note",
    "stress",
    "emphasise",
    "emphasize",
    "insist",
    "explain",
    "write",
    "tweet",
    "confirm",
    "report",
    "assert",
    "argue",
    "comment",
    "reiterate",
    "predict",
    "estimate",
    "quote",
    "acknowledge",
    "express",
}
REPORT_VERBS = {"report", "show", "say", "indicate", "suggest", "estimate", "quote", "find"}
_ATTRIBUTING_VERBS = SPEECH_VERBS | REPORT_VERBS
# Heads of noun phrases that name a body by its function ("the trade ministry").
BODY_NOUNS = {
    "ministry",
    "government",
    "department",
    "agency",
    "commission",
    "council",
    "regulator",
    "authority",
    "cabinet",
    "parliament",
    "customs",
    "office",
    "bureau",
    "administration",
    "secretariat",
    "committee",
    "directorate",
    "presidency",
    "treasury",
    "embassy",
}
_DOCUMENT_NOUNS = {"statement", "communique", "communiqué", "declaration", "letter", "text", "release", "notice"}
SOURCE_KINDS = {EntityKind.MEDIA, EntityKind.ORGANIZATION, EntityKind.COMPANY, EntityKind.PERSON, EntityKind.COUNTRY}


@dataclass(frozen=True, slots=True)
class Attribution:
    """The sources of one sentence: ``source`` claims it, ``outlet`` relays it."""

    source: EntityRef | None = None
    outlet: EntityRef | None = None
    speaker: EntityRef | None = None
    speech_verb: Token | None = None


def attribution_of(sent: Span, linked: LinkedDoc) -> Attribution:
    """Find the source, the relaying outlet and the speaker of a sentence."""
    source = outlet = speaker = None
    speech_verb = None
    for token in sent:
        lower = token.lower_
        if lower == "according" and token.i + 1 < sent.end and sent.doc[token.i + 1].lower_ == "to":
            found = _first_entity(linked, token.i + 2, _phrase_end(sent, token.i + 2))
            if found is not None:
                source = source or found
                if found.kind is EntityKind.MEDIA:
                    outlet = outlet or found
        elif lower in ("quoted", "cited") and token.i + 1 < sent.end and sent.doc[token.i + 1].lower_ == "by":
            found = _first_entity(linked, token.i + 2, _phrase_end(sent, token.i + 2))
            if found is not None:
                outlet = outlet or found
                source = source or found
        elif lower == "per" and token.dep_ == "prep":
            found = _first_entity(linked, token.i + 1, _phrase_end(sent, token.i + 1))
            if found is not None and found.kind is not EntityKind.COMMODITY:
                source = source or found
        elif token.pos_ == "VERB" and token.lemma_ in _ATTRIBUTING_VERBS or _document_reads(token):
            subject = subject_entity(token, linked) or _unnamed_body(token, sent, linked)
            saying = _as_saying(token) if token.lemma_ == "quote" else None
            if saying is not None:
                # "the agency quotes Petrobras managers as saying …": the quoted one speaks
                quoted = next((c for c in token.children if c.dep_ == "dobj"), None)
                named = _first_entity(linked, quoted.left_edge.i, quoted.right_edge.i + 1) if quoted else None
                if named is not None:
                    if subject is not None and subject.kind is EntityKind.MEDIA:
                        outlet = outlet or subject
                    if speaker is None:
                        speaker, speech_verb = named, saying
                    continue
            if token.lemma_ == "tell":
                told = [c for c in token.children if c.dep_ in ("dobj", "dative")]
                for child in told:
                    ref = _entity_at(linked, child)
                    if ref is not None and ref.kind is EntityKind.MEDIA:
                        outlet = outlet or ref
            if subject is None:
                continue
            if subject.kind is EntityKind.MEDIA:
                outlet = outlet or subject
                source = source or subject
            elif (token.lemma_ in SPEECH_VERBS or _document_reads(token)) and subject.kind in SOURCE_KINDS:
                if speaker is None:
                    speaker, speech_verb = subject, token
            elif token.lemma_ in ("show", "indicate", "suggest", "find") and subject.kind in SOURCE_KINDS:
                source = source or subject
    return Attribution(source=source or speaker, outlet=outlet, speaker=speaker, speech_verb=speech_verb)


def _document_reads(verb: Token) -> bool:
    """'"…," the G20 statement read': what a statement or letter reads its authors say
    (the small tagger often takes this "read" for a noun)."""
    return verb.lower_ == "read" and any(
        c.dep_ == "nsubj" and c.lemma_.lower() in _DOCUMENT_NOUNS for c in verb.children
    )


def _as_saying(verb: Token) -> Token | None:
    """The "saying" of "quotes X as saying …"."""
    return next(
        (g for c in verb.children if c.lower_ == "as" for g in c.subtree if g.lemma_ == "say" and g.pos_ == "VERB"),
        None,
    )


def _unnamed_body(verb: Token, sent: Span, linked: LinkedDoc) -> EntityRef | None:
    """ "…, the trade ministry said": a body named by its function becomes an organisation,
    qualified by the country the sentence is about ("Trade ministry of India")."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lemma_.lower() not in BODY_NOUNS:
        return None
    # "the commission said" after "the European Commission" earlier in the article: that body.
    head = subject.lemma_.lower()
    for ref, entity in linked.entities.items():
        if ref.kind is EntityKind.ORGANIZATION and head in entity.label.lower().split():
            linked.add(sent.doc[subject.i : subject.i + 1], entity)
            return ref
    words = [
        t
        for t in subject.subtree
        if t.dep_ not in ("det", "punct", "poss", "case") and linked.by_token.get(t.i) is None and t.i <= subject.i
    ]
    if not words or any(t.pos_ in ("PRON", "VERB") for t in words):
        return None
    countries = [r for r in linked.in_span(subject.left_edge.i, subject.right_edge.i + 1, {EntityKind.COUNTRY})]
    countries = countries or linked.in_span(sent.start, sent.end, {EntityKind.COUNTRY})
    name = " ".join(t.text for t in words)
    name = name[0].upper() + name[1:]
    if countries:
        name = f"{name} of {linked.label(countries[0])}"
    span = sent.doc[subject.left_edge.i : subject.i + 1]
    entity = minted(EntityKind.ORGANIZATION, name)
    linked.add(span, entity)
    return entity.ref


def subject_entity(verb: Token, linked: LinkedDoc) -> EntityRef | None:
    """The entity in the subject of ``verb``: "Data from the USGS shows" → USGS; in the passive
    the "by" phrase ("was announced by Finance Minister Ishaq Dar")."""
    for by in (c for c in verb.children if c.dep_ == "agent"):
        found = _first_entity(linked, by.i + 1, by.right_edge.i + 1)
        if found is not None:
            return found
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            ref = _entity_at(linked, child)
            if ref is not None:
                return ref
            subtree = list(child.subtree)
            found = _first_entity(linked, subtree[0].i, subtree[-1].i + 1)
            if found is not None:
                return found
    return None


def _entity_at(linked: LinkedDoc, token: Token) -> EntityRef | None:
    ref = linked.by_token.get(token.i)
    return ref if ref is not None and ref.kind is not EntityKind.COMMODITY else None


def _first_entity(linked: LinkedDoc, start: int, end: int) -> EntityRef | None:
    for ref in linked.in_span(start, end):
        if ref.kind in SOURCE_KINDS:
            return ref
    return None


def _phrase_end(sent: Span, start: int) -> int:
    """End of the noun phrase after a preposition: up to a comma, a verb or the sentence end."""
    for i in range(start, sent.end):
        token = sent.doc[i]
        if token.text in (",", ";", ".", ":") or (token.pos_ == "VERB" and i > start):
            return i
    return sent.end
