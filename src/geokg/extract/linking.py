"""Mentions → canonical entities.

Gazetteer spans carry reference keys; NER entities the reference data lacks get
keys minted from their text. Metonyms ("the Kremlin", "Washington") resolve to
their state, offices ("the Kremlin leader", "the US president") to whoever held
the office on the article's date, and a lone surname to the full name the
article used before.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from geokg.extract.gazetteer import CANDIDATES_KEY, OFFICE, SPAN_KEY
from geokg.iri_space import SEGMENT_KIND
from geokg.keys import entity_key, entity_name, minted_ref
from geokg.model import Entity, EntityKind, EntityRef, Evidence, Mention
from geokg.reference import ReferenceIndex

# Words before a city that make it a location rather than its government.
_LOCATIVE = {"in", "at", "near", "outside", "inside", "around", "from", "to", "via"}
_COMPANY_WORDS = {
    "inc",
    "corp",
    "corporation",
    "co",
    "company",
    "ltd",
    "limited",
    "llc",
    "plc",
    "ag",
    "sa",
    "nv",
    "group",
    "holdings",
    "holding",
    "resources",
    "mining",
    "minerals",
    "energy",
    "oil",
    "petroleum",
    "steel",
    "metals",
    "motors",
    "airlines",
    "pty",
    "gmbh",
    "bhd",
    "spa",
    "trust",
    "enterprises",
    "industries",
    "partners",
    "capital",
    "bank",
    "chemicals",
    "shipping",
    "gas",
}
_MEDIA_WORDS = {
    "news",
    "times",
    "post",
    "agency",
    "tv",
    "television",
    "radio",
    "press",
    "journal",
    "herald",
    "gazette",
    "tribune",
    "telegraph",
    "daily",
    "broadcasting",
    "newspaper",
}
# Words of earnings tables and wire shorthand the tagger takes for names ("Avg", "Revs",
# "N.Z. Dlrs"), and common nouns that name no one on their own ("Bank", "Finance").
_TABLE_WORDS = {
    "avg",
    "revs",
    "rev",
    "shr",
    "shrs",
    "div",
    "dividend",
    "dividends",
    "qtr",
    "qtly",
    "mths",
    "oper",
    "dlrs",
    "dlr",
    "cts",
    "pct",
    "mln",
    "bln",
    "vs",
}
_GENERIC_WORDS = {
    "bank",
    "co",
    "corp",
    "inc",
    "ltd",
    "finance",
    "commission",
    "treasury",
    "ministry",
    "government",
    "council",
    "company",
    "group",
    "exchange",
    "agency",
    "board",
    "department",
    "international",
    "world",
    "national",
    "net",
    "loss",
    "profit",
    "record",
    "senate",
    "congress",
    "parliament",
    "cabinet",
    "producer",
    "producers",
    "central",
    "reserve",
}
_NER_KIND = {
    "PERSON": EntityKind.PERSON,
    "GPE": EntityKind.PLACE,
    "LOC": EntityKind.PLACE,
    "FAC": EntityKind.PLACE,
    "ORG": EntityKind.ORGANIZATION,
    "NORP": None,
}


@dataclass
class LinkedDoc:
    """The entities of one Doc: each mention, and which token belongs to which entity."""

    mentions: list[Mention] = field(default_factory=list)
    entities: dict[EntityRef, Entity] = field(default_factory=dict)
    by_token: dict[int, EntityRef] = field(default_factory=dict)
    spans: list[tuple[Span, EntityRef]] = field(default_factory=list)

    def add(self, span: Span, entity: Entity) -> None:
        known = self.entities.setdefault(entity.ref, entity)
        if known.located_in is None and entity.located_in is not None:
            self.entities[entity.ref] = entity  # a later mention that says where it lies
        self.mentions.append(Mention(entity.ref, Evidence(span.start_char, span.end_char, span.text)))
        self.spans.append((span, entity.ref))
        for token in span:
            self.by_token.setdefault(token.i, entity.ref)

    def label(self, ref: EntityRef) -> str:
        return self.entities[ref].label

    def in_span(self, start: int, end: int, kinds: set[EntityKind] | None = None) -> list[EntityRef]:
        """Entities whose mentions lie inside tokens ``start:end``, in text order, without repeats."""
        found: list[EntityRef] = []
        for span, ref in sorted(self.spans, key=lambda pair: pair[0].start):
            if span.start >= start and span.end <= end and ref not in found and (kinds is None or ref.kind in kinds):
                found.append(ref)
        return found


def link(doc: Doc, reference: ReferenceIndex, date: dt.date | None) -> LinkedDoc:
    """Resolve every gazetteer span and NER entity of ``doc`` to a canonical entity."""
    linked = LinkedDoc()
    candidates: dict[tuple[int, int], list[Span]] = {}
    for span in doc.spans.get(CANDIDATES_KEY, []):
        candidates.setdefault((span.start, span.end), []).append(span)
    taken: set[int] = set()
    organisations = [ent for ent in doc.ents if ent.label_ == "ORG"]
    names = [ent for ent in doc.ents if ent.label_ in ("ORG", "PERSON")]
    for span in doc.spans.get(SPAN_KEY, []):
        if span.label_ in (EntityKind.COUNTRY.value, EntityKind.PLACE.value) and _part_of_other_name(
            span, organisations
        ):
            if not any(org.start <= span.start and span.end <= org.end for org in organisations):
                taken.update(range(span.start, span.end))  # no name of the tagger's to link instead
            continue
        if span.label_ == EntityKind.COMMODITY.value and _commodity_in_a_name(span, names):
            continue  # "Tullow Oil", "Indian Oil Corp": a company, not oil
        alternatives = candidates.get((span.start, span.end), [span])
        for entity in _resolve_gazetteer(span, alternatives, reference, date):
            linked.add(span, entity)
        taken.update(range(span.start, span.end))

    for span, entity in _facilities(doc, linked, taken, reference):
        linked.add(span, entity)
        taken.update(range(span.start, span.end))

    persons: list[Entity] = [e for e in linked.entities.values() if e.ref.kind is EntityKind.PERSON]
    for ent in doc.ents:
        if any(i in taken for i in range(ent.start, ent.end)):
            continue
        span = _trim(ent)
        if span is None:
            continue
        resolved = _resolve_ner(span, reference, persons, date)
        if resolved is not None:
            linked.add(span, resolved)
            if resolved.ref.kind is EntityKind.PERSON and resolved not in persons:
                persons.append(resolved)
    return linked


# Words that end a company's name: "Whitehall Corp", "China Steel Corp" name the company.
_COMPANY_SUFFIXES = {
    "corp",
    "corporation",
    "co",
    "inc",
    "ltd",
    "limited",
    "plc",
    "ag",
    "sa",
    "nv",
    "llc",
    "group",
    "holdings",
    "bank",
    "trust",
}
# "Latin American", "North American": a region's people, not a country's.
_REGION_WORDS = {"latin", "north", "south", "central"}


# Modifiers between a facility's name and its noun: "the Cerro Lindo zinc mine", "the Soyuz
# Vostok transit gas pipeline", "the Portovaya compressor station".
_MODIFIER_DEPS = {"compound", "amod", "nmod", "nummod"}
_COUNTRY_PREPOSITIONS = {"in", "of", "off", "near"}


def _facilities(doc: Doc, linked: LinkedDoc, taken: set[int], reference: ReferenceIndex) -> list[tuple[Span, Entity]]:
    """Named facilities: proper names before a facility noun ("the Rumaila oilfield"), with the
    country the text puts them in ("Iraq's Rumaila oilfield", "the Grasberg mine in Indonesia").
    A name the gazetteer took (a country, a company: "the Exxon refinery") is not a facility."""
    found = []
    for noun in doc:
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in FACILITY_NOUNS:
            continue
        i = noun.i - 1
        while (
            i >= 0
            and doc[i].head.i >= i
            and doc[i].dep_ in _MODIFIER_DEPS
            and doc[i].pos_ != "PROPN"
            and doc[i].is_lower
        ):
            i -= 1  # "zinc", "transit gas": common-noun modifiers between name and noun
        end = i + 1
        while (
            i >= 0
            and (doc[i].pos_ == "PROPN" or doc[i].text in ("-", "–") and i > 0)
            and doc[i].dep_ in _MODIFIER_DEPS | {"punct"}
            and doc[i].head.i > i
            and i not in taken
        ):
            i -= 1
        start = i + 1
        while start < end and not doc[start].is_alpha:
            start += 1
        if start >= end or not doc[start].is_title and not doc[start].is_upper:
            continue
        span = Span(doc, start, end)
        if any(candidate.ref.kind is not EntityKind.PLACE for candidate in reference.lookup(span.text)):
            continue  # "the Chevron refinery": a company's, not a facility's name
        entity = minted(EntityKind.FACILITY, span.text)
        found.append((span, Entity(entity.ref, entity.label, known=False, located_in=_country_of(noun, linked))))
    return found


def _country_of(noun: Token, linked: LinkedDoc) -> EntityRef | None:
    """The country a facility noun is put in: its possessor ("Iraq's ... oilfield"), or the
    object of "in"/"off"/"near" after it or after the verb it is the object of ("the Grasberg
    mine in Indonesia", "restarted the Pernis refinery in the Netherlands")."""
    heads = [noun, noun.head] if noun.dep_ == "dobj" else [noun]
    for child in (c for head in heads for c in head.children):
        if child.dep_ == "poss":
            ref = linked.by_token.get(child.i)
            if ref is not None and ref.kind is EntityKind.COUNTRY:
                return ref
        if child.dep_ == "prep" and child.lower_ in _COUNTRY_PREPOSITIONS:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    ref = linked.by_token.get(obj.i)
                    if ref is not None and ref.kind is EntityKind.COUNTRY:
                        return ref
    return None


def _commodity_in_a_name(span: Span, names: list[Span]) -> bool:
    """A capitalised commodity word inside a longer name the tagger found, after its first word."""
    return span[0].is_title and any(name.start < span.start and span.end <= name.end for name in names)


def _part_of_other_name(span: Span, organisations: list[Span]) -> bool:
    """A country or place name that is a word of another name: "Bank of Tokyo International",
    "Nippon Lace Co", "Whitehall Corp", "Latin American". (A currency, "Canadian dlrs", still
    names its country: newswire labels count it.)"""
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    before = doc[span.start - 1] if span.start > 0 else None
    if after is not None and (after.is_title or after.is_upper) and after.lower_.strip(".") in _COMPANY_SUFFIXES:
        return True
    if before is not None and before.is_title and before.lower_ in _REGION_WORDS and span.text.endswith("American"):
        return True
    for org in organisations:
        outside = [t for t in org if not span.start <= t.i < span.end and t.is_alpha and t.dep_ != "det"]
        if org.start <= span.start and span.end <= org.end and outside:
            # A city in a firm's name is the firm's ("Bank of Tokyo International"); a country
            # only in a company's ("Nippon Lace Co Ltd"): "the U.S. Embassy" speaks for its state.
            last = org[-1].lower_.strip(".>")
            return span.label_ == EntityKind.PLACE.value or last in _COMPANY_SUFFIXES
    return False


def link_name(name: str, reference: ReferenceIndex, kind: EntityKind) -> Entity:
    """Resolve a bare name (an article's publisher, say) to a reference entity or mint one."""
    for candidate in reference.lookup(name):
        if candidate.ref.kind is kind:
            return Entity(candidate.ref, candidate.label)
    return minted(kind, name)


def _resolve_gazetteer(
    span: Span, alternatives: list[Span], reference: ReferenceIndex, date: dt.date | None
) -> list[Entity]:
    if span.label_ == OFFICE:
        return _resolve_office(span, reference, date)
    by_kind = {alt.label_: alt for alt in alternatives}
    chosen = span
    previous = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    if "Place" in by_kind and "Country" in by_kind:
        # A capital after "in"/"at" is a location; elsewhere it speaks for its state.
        chosen = by_kind["Place"] if previous in _LOCATIVE else by_kind["Country"]
    elif "Person" in by_kind and len(by_kind) > 1 and span.doc[span.start].is_title:
        chosen = by_kind["Person"]
    segment, key = chosen.kb_id_.split("/", 1)
    ref = EntityRef(SEGMENT_KIND[segment], key)
    if ref == _CONGO and span.text == "Congo" and _about_the_drc(span.doc):
        ref = _DRC
    if ref.kind is EntityKind.PERSON and date is not None and _not_yet_public(ref, reference, date):
        return []  # "Miller" in 1987 is not the Gazprom chief who took office in 2001
    known = reference.get(ref)
    return [Entity(ref, known.label if known else span.text)]


_BEFORE_OFFICE = dt.timedelta(days=10 * 365)
# A bare "Congo" names the Republic of the Congo, unless the story is about the larger
# Democratic Republic: its mining (cobalt, coltan, the Copperbelt towns), capital or leaders.
_CONGO, _DRC = EntityRef(EntityKind.COUNTRY, "CG"), EntityRef(EntityKind.COUNTRY, "CD")
_DRC_CUES = re.compile(
    r"\b(?:Kinshasa|Katanga|Lubumbashi|Kolwezi|Goma|Kivu|Gecamines|Tshisekedi|Kabila|M23|cobalt|coltan|Congolese)\b"
)
_CONGO_CUES = re.compile(r"\b(?:Brazzaville|Pointe-Noire|Sassou)\b")


def _about_the_drc(doc: Doc) -> bool:
    return bool(_DRC_CUES.search(doc.text)) and not _CONGO_CUES.search(doc.text)


def _not_yet_public(person: EntityRef, reference: ReferenceIndex, date: dt.date) -> bool:
    """A known person whose first office starts long after the article: a namesake."""
    starts = [t.start for office in reference.offices.values() for t in office.tenures if t.holder == person]
    return bool(starts) and min(starts) - date > _BEFORE_OFFICE


def _resolve_office(span: Span, reference: ReferenceIndex, date: dt.date | None) -> list[Entity]:
    office = reference.offices[span.kb_id_.split("/", 1)[1]]
    found: list[Entity] = []
    if office.country:
        country = reference.get(EntityRef(EntityKind.COUNTRY, office.country))
        if country is not None:
            found.append(Entity(country.ref, country.label))
    holder = reference.holder(office.key, date) if date else None
    if holder is not None:
        person = reference.get(holder)
        found.insert(0, Entity(holder, person.label if person else holder.key))
    return found


def _trim(ent: Span) -> Span | None:
    """Cut an entity at a line break or a verb ("Goldman Sachs expect Brent"), drop a leading
    "the" and a trailing "'s"."""
    start, end = ent.start, ent.end
    for token in ent:
        if "\n" in token.text or (token.i > start and "\n" in ent.doc[token.i - 1].whitespace_):
            end = token.i
            break
        if token.i > start and token.pos_ in ("VERB", "AUX") and token.is_lower:
            end = token.i
            break
    while start < end and (ent.doc[start].lower_ in ("the", "a", "an") or not ent.doc[start].text.strip()):
        start += 1
    label = ent.label_
    if end - start > 1 and ent.doc[start].lower_ in COMPANY_NOUNS and label in ("ORG", "PERSON"):
        start, label = start + 1, "ORG"  # "Miner Hindalco": a descriptor opening a sentence, no part of the name
    while end > start and ent.doc[end - 1].text in ("'s", "’s", "'", "’", ".", ",", "-"):
        end -= 1
    if start >= end:
        return None
    span = Span(ent.doc, start, end, label=label)
    if not any(c.isalpha() for c in span.text) or span.text[0].islower():
        return None
    return span


def _resolve_ner(
    span: Span, reference: ReferenceIndex, persons: list[Entity], date: dt.date | None = None
) -> Entity | None:
    label = span.label_
    if label not in _NER_KIND:
        return None
    text = re.sub(r"\s+", " ", span.text).strip()
    for candidate in reference.lookup(text):
        if (
            candidate.ref.kind is EntityKind.PERSON
            and date is not None
            and _not_yet_public(candidate.ref, reference, date)
        ):
            continue
        if label != "PERSON" or candidate.ref.kind is EntityKind.PERSON or _traded(span, candidate.ref):
            return Entity(candidate.ref, candidate.label)
    kind = _kind_from_context(span) or _NER_KIND[label]
    if kind is None:  # a nationality the reference data does not know
        return None
    words = [w.lower().strip(".,") for w in text.split()]
    if set(words) & _TABLE_WORDS or all(w in _GENERIC_WORDS for w in words):
        return None
    if kind is EntityKind.PERSON and words[-1] in _COMPANY_WORDS and len(words) > 1:
        kind = EntityKind.COMPANY  # "Tullow Oil", "Kosmos Energy" the tagger took for a person
    if kind is EntityKind.PERSON:
        if any(c.isdigit() for c in text):
            return None  # "License 41A", "Brent 2024": no person's name has figures
        return _resolve_person(span, text, persons)
    if kind is EntityKind.ORGANIZATION:
        word_set = {w.lower().strip(".,") for w in text.split()}
        if word_set & _MEDIA_WORDS:
            kind = EntityKind.MEDIA
        elif word_set & _COMPANY_WORDS:
            kind = EntityKind.COMPANY
    if span.doc[span.start : span.end].text.isupper() and len(span) == 1 and kind is not EntityKind.ORGANIZATION:
        return None  # stray capitals in a headline are not places
    return minted(kind, text)


# Words of a market report: "Brent" the tagger took for a person is the benchmark there.
_MARKET_WORDS = {"price", "futures", "barrel", "benchmark", "contract", "crude", "oil", "trade", "low", "high"}


def _traded(span: Span, ref: EntityRef) -> bool:
    return ref.kind is EntityKind.COMMODITY and any(t.lemma_.lower() in _MARKET_WORDS for t in span.sent)


# Nouns that say what an unknown name is, whatever the tagger guessed: "the Rumaila oilfield",
# "the Kamoa-Kakula mine" are facilities, "the Permian basin" a place; "oil firm Tullow",
# "Tullow, the oil explorer" companies.
FACILITY_NOUNS = {
    "oilfield",
    "field",
    "mine",
    "refinery",
    "port",
    "terminal",
    "pipeline",
    "smelter",
    "plant",
    "facility",
    "complex",
    "well",
    "platform",
    "station",
    "mill",
    "depot",
    "reactor",
    "dam",
    "gasfield",
    "shipyard",
    "hub",
}
_REGION_NOUNS = {"basin", "deposit", "block", "region", "province", "belt"}
COMPANY_NOUNS = {
    "firm",
    "company",
    "miner",
    "producer",
    "explorer",
    "refiner",
    "trader",
    "group",
    "operator",
    "supplier",
    "major",
    "conglomerate",
    "utility",
    "shipper",
    "maker",
}


def _kind_from_context(span: Span) -> EntityKind | None:
    doc = span.doc
    after = doc[span.end] if span.end < len(doc) else None
    if after is not None and after.pos_ == "NOUN" and after.lemma_.lower() in FACILITY_NOUNS:
        return EntityKind.FACILITY
    if after is not None and after.pos_ == "NOUN" and after.lemma_.lower() in _REGION_NOUNS:
        return EntityKind.PLACE
    before = doc[span.start - 1] if span.start > 0 else None
    if (
        before is not None
        and {before.lemma_.lower(), before.lower_} & COMPANY_NOUNS
        and before.pos_ in ("NOUN", "PROPN")
    ):
        return EntityKind.COMPANY
    for token in (span.root, *span.root.children):
        if token.dep_ == "appos" and token.lemma_.lower() in COMPANY_NOUNS:
            return EntityKind.COMPANY
    if span.root.dep_ == "appos" and span.root.head.lemma_.lower() in COMPANY_NOUNS:
        return EntityKind.COMPANY
    return None


def _resolve_person(span: Span, text: str, persons: list[Entity]) -> Entity | None:
    line = span.doc[span.start : span.end]
    if len(span) == 1 and _alone_on_line(line):
        return None  # "Background:" and other section labels the tagger takes for names
    if len(span) == 1:
        for person in persons:
            if entity_key(EntityKind.PERSON, person.label.split()[-1]) == entity_key(EntityKind.PERSON, text):
                return person
    return minted(EntityKind.PERSON, text)


def minted(kind: EntityKind, name: str) -> Entity:
    """An entity the reference data lacks: key and label from its normalised name (geokg.rdf.iris)."""
    name = " ".join(name.split())
    return Entity(minted_ref(kind, name), entity_name(kind, name), known=False)


def _alone_on_line(span: Span) -> bool:
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    starts_line = before is None or "\n" in before.text_with_ws or before.is_space
    ends_line = (
        after is None
        or after.is_punct
        and (after.i + 1 >= len(doc) or "\n" in after.text_with_ws or doc[after.i + 1].is_space)
    )
    return starts_line and ends_line
