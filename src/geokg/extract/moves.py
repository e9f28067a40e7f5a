"""Moves: which way a price, output, trade volume, demand, stock or economy goes, and by how much.

A move's quantities are told apart by the word before them: "by 500,000 bpd" is the change,
"from 8.1 bcm" the level before, "to $78" or "at 9.8 million bpd" the level after; a bare
figure next to a move verb ("rose 3%") is the change when it is a percentage or follows the
verb, else the level. The direction comes from the trigger's lemma (a lexicon: "cut", "slump",
"rebound"), else from the words around it ("a 3% rise", "record high").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from geokg.extract import span_text
from geokg.extract.model import Quantity
from geokg.extract.quantities import iter_quantities

__all__ = ["DIRECTION_WORDS", "Move", "direction_of", "move_quantities"]

_UP = """rise rose risen climb jump surge soar gain increase raise boost expand grow rally advance
build hike lift recover rebound spike strengthen accelerate up higher high record top peak double
triple exceed beat outpace improve firm add pick swell balloon ramp""".split()
_DOWN = """fall fell fallen drop decline slip slide plunge tumble cut reduce lower slash shrink
contract ease dip sink lose draw curb weaken slow slump crash retreat shed trim halve decrease
down low lower bottom plummet sag fade deplete deepen dwindle erode suspend halt stop shut
cripple disrupt""".split()
_FLAT = """steady flat unchanged stable hold maintain keep stagnate stall plateau freeze
unmoved""".split()
DIRECTION_WORDS: dict[str, str] = {**dict.fromkeys(_FLAT, "unchanged"), **dict.fromkeys(_DOWN, "down"),
                                   **dict.fromkeys(_UP, "up")}
_LEVEL_WORDS = {"to", "at", "of", "near", "around", "about", "reach", "hit", "settle", "total"}


@dataclass(frozen=True, slots=True)
class Move:
    """The quantities of a move: ``level`` after it, ``change`` (its size), ``previous`` level."""

    level: Quantity | None = None
    change: Quantity | None = None
    previous: Quantity | None = None


def direction_of(trigger: Token, verb: Token) -> str | None:
    """"up", "down" or "unchanged" from the trigger, its clause verb, then their modifiers."""
    for token in (trigger, verb):
        found = DIRECTION_WORDS.get(token.lemma_.lower()) or DIRECTION_WORDS.get(token.lower_)
        if found:
            return found
    for token in (*trigger.children, *verb.children):
        if token.dep_ in ("amod", "advmod", "acomp", "prt", "compound", "dobj", "attr", "npadvmod"):
            found = DIRECTION_WORDS.get(token.lemma_.lower())
            if found:
                return found
    return None


def move_quantities(sent: Span, trigger: Token, scope: tuple[int, int]) -> Move:
    """The level, change and previous level a move's clause gives, nearest the trigger first."""
    text = span_text(sent)
    doc = sent.doc
    lo = doc[scope[0]].idx - sent.start_char
    hi = doc[scope[1] - 1].idx + len(doc[scope[1] - 1]) - sent.start_char
    trigger_at = trigger.idx - sent.start_char
    found: dict[str, tuple[int, Quantity]] = {}
    for start, _end, quantity in iter_quantities(text):
        if not lo <= start < hi:
            continue
        before = text[:start].rstrip().lower()
        last_word = before.rsplit(None, 1)[-1] if before else ""
        if last_word == "by":
            role = "change"
        elif last_word == "from":
            role = "previous"
        elif last_word in _LEVEL_WORDS or quantity.unit != "percent" and start < trigger_at:
            role = "level"
        else:
            # "rose 3%", "cut 500,000 bpd": a figure right after a move verb is its size; after
            # any other verb ("produced 3 million tonnes") it is the amount.
            moving = DIRECTION_WORDS.get(trigger.lemma_.lower()) not in (None, "unchanged")
            role = "change" if quantity.unit == "percent" or moving and start > trigger_at else "level"
        distance = abs(start - trigger_at)
        if role not in found or distance < found[role][0]:
            found[role] = (distance, quantity)
    return Move(*(found[r][1] if r in found else None for r in ("level", "change", "previous")))
