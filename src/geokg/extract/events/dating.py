"""Dates: which date dates an event, resolved against the article's date.

"Japan said on Tuesday it would halt LNG imports from Qatar": the date on the clause's verb or
a verb above it; an undated act the article announces happened the day it reports.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from spacy.tokens import Span, Token

from geokg.extract.dates import Prefer, resolve_date
from geokg.extract.events.context import owning_verb
from geokg.extract.text import span_text

_HAS_MONTH = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{4}-\d{2}", re.I)


def date_of(
    sent: Span,
    anchor: dt.date | None,
    scope: tuple[int, int] | None = None,
    outside_quotes: bool = False,
    verb: Token | None = None,
) -> dt.date | None:
    """The first resolvable date of the clause, else of the sentence. News reports what
    happened: a bare weekday is the last one, unless the sentence looks ahead ("will"); a day
    with its month is whichever year is nearest. A statement's date is not one it quotes."""
    future = any(t.lower_ in ("will", "shall") for t in sent)
    ents = [e for e in sent.ents if e.label_ == "DATE"]
    if outside_quotes:
        ents = [e for e in ents if not _quoted(sent, e.start_char)]
    if verb is not None:
        ents.sort(key=lambda e: _date_rank(e, verb))
    elif scope is not None:
        ents.sort(key=lambda e: not scope[0] <= e.start < scope[1])
    for ent in ents:
        tense = _tense(owning_verb(ent.root))
        prefer: Prefer = "nearest" if _HAS_MONTH.search(ent.text) else tense or ("future" if future else "past")
        # "on Thursday and Friday", "Dec. 6-7": a span of days starts on its first.
        for text in (ent.text, re.split(r"\s+(?:and|to|through)\s+|\s*[-–]\s*(?=\w)", ent.text)[0]):
            resolved = resolve_date(text, anchor, prefer=prefer)
            if resolved is not None:
                return resolved
    return None


def _tense(verb: Token) -> Literal["past", "future"] | None:
    """ "past" or "future" when the verb a date hangs on says ("a deal signed on Monday" is past
    even in a sentence about what will happen; "will meet on Monday" is ahead), else None: an
    infinitive ("offered to sell … on Monday") takes its time from the sentence."""
    if verb.pos_ not in ("VERB", "AUX"):
        return None
    if any(c.dep_ == "aux" and c.lower_ in ("will", "shall", "'ll") for c in verb.children):
        return "future"
    if verb.tag_ == "VBD" or verb.tag_ == "VBN" and verb.dep_ in ("acl", "relcl", "advcl"):
        return "past"
    return None


def _date_rank(ent: Span, verb: Token) -> int:
    """Which date dates a clause: one on its verb ("banned … on Tuesday"), then one on a verb above
    it ("announced on Sunday that the cargo has arrived"), then one further down ("with unloading
    starting tomorrow"), then any other."""
    owner = owning_verb(ent.root)
    if owner == verb:
        return 0
    if owner in verb.ancestors:
        return 1
    if verb in owner.ancestors:
        return 2
    return 3


def _quoted(sent: Span, char: int) -> bool:
    before = span_text(sent)[: char - sent.start_char]
    return before.count('"') % 2 == 1 or before.rfind("\u201c") > before.rfind("\u201d")


# "in 2023", "last year", "in the first quarter", "in October": not the day the article reports.
_OTHER_PERIOD = re.compile(
    r"\b(?:1[89]|20)\d\d\b|\b(?:last|next|previous|past|year|years|quarter|months?)\b|" + _HAS_MONTH.pattern, re.I
)


def reported_today(verb: Token, anchor: dt.date | None, past_tense: bool = False) -> dt.date | None:
    """An undated act the article announces ("X announced that…", "X has promised…") is dated by
    the article: news reports the day's events. Plans ("will", "would") are not, nor acts the
    sentence places in a period of their own ("output fell 8% in 2023")."""
    if any(ent.label_ == "DATE" and _OTHER_PERIOD.search(ent.text) for ent in verb.sent.ents):
        return None
    for token in (verb, *verb.ancestors):
        aux = {c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass")}
        if aux & {"will", "would", "shall", "could", "may", "might", "to"}:
            return None
        if token.lemma_ in ("announce", "say", "tell", "confirm", "declare") and token.tag_ in ("VBD", "VBZ"):
            return anchor
        if token.tag_ == "VBN" and aux & {"has", "have"}:
            return anchor
        if token.tag_ == "VBG" and aux & {"is", "are", "am"}:
            return anchor  # "is hosting": happening as the article is written
        if past_tense and token.tag_ == "VBD":
            return anchor  # "the copper price rose": a market report is about the day it is written
    return None
