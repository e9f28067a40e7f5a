"""Moves: which way a price, output, trade volume, demand, stock or economy goes, and by how much.

A move's quantities are told apart by the word before them: "by 500,000 bpd" is the change,
"from 8.1 bcm" the level before, "to $78" or "at 9.8 million bpd" the level after; a bare
figure next to a move verb ("rose 3%") is the change when it is a percentage or follows the
verb, else the level. The direction comes from the trigger's lemma (a lexicon: "cut", "slump",
"rebound"), else from the words around it ("a 3% rise", "record high").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from geokg.extract.event_members import T
from geokg.extract.quantities import iter_quantities
from geokg.extract.text import span_text
from geokg.model import EventType, Quantity

__all__ = [
    "DIRECTION_WORDS",
    "Move",
    "direction_of",
    "names_a_measure",
    "move_quantities",
    "moved_kind",
    "moves_securities",
    "kept_going",
]

_UP = """rise rose risen climb jump surge soar gain increase raise boost expand grow rally advance
build hike lift recover rebound spike strengthen accelerate up higher high record top peak double
triple exceed beat outpace improve firm add pick swell balloon ramp strong stronger robust buoyant
healthy brisk""".split()
_DOWN = """fall fell fallen drop decline slip slide plunge tumble cut reduce lower slash shrink
contract ease dip sink lose draw curb weaken slow slump crash retreat shed trim halve decrease
down low lower bottom plummet sag fade deplete deepen dwindle erode suspend halt stop shut
cripple disrupt weak weaker sluggish tepid soft softer subdued""".split()
_FLAT = """steady flat unchanged stable hold maintain keep stagnate stall plateau freeze
unmoved""".split()
DIRECTION_WORDS: dict[str, str] = {
    **dict.fromkeys(_FLAT, "unchanged"),
    **dict.fromkeys(_DOWN, "down"),
    **dict.fromkeys(_UP, "up"),
}
# What moved decides the kind of move: "prices fell" is a price change, "output fell" production,
# "stockpiles fell" an inventory change. Modifiers first ("demand growth" is demand).
_MOVED: dict[str, EventType] = {
    **dict.fromkeys(["price", "futures", "benchmark"], T.PRICE_CHANGE),
    **dict.fromkeys(["output", "production", "pumping", "supply", "supplies", "harvest", "crop"], T.PRODUCTION),
    **dict.fromkeys(["demand", "consumption", "appetite", "grinding", "grindings"], T.DEMAND_CHANGE),
    **dict.fromkeys(["inventory", "inventories", "stockpile", "stockpiles", "stock", "stocks"], T.INVENTORY_CHANGE),
    **dict.fromkeys(["export", "exports", "import", "imports", "shipment", "shipments"], T.TRADE_CHANGE),
    **dict.fromkeys(["economy", "economic", "gdp", "inflation"], T.ECONOMIC_TREND),
}
# "consumer prices" move with the economy; share and house prices are no commodity's.
_NOT_COMMODITY_PRICES = {
    "consumer": T.ECONOMIC_TREND,
    "share": None,
    "stock": None,
    "house": None,
    "home": None,
    "property": None,
    "asset": None,
    "producer": T.ECONOMIC_TREND,
}
# Words between "to"/"at" and the level a move reached: "to a record $2,450", "a high of $90".
_RECORDS = {"a", "an", "the", "record", "fresh", "new", "high", "low", "peak", "all-time"}
_SECURITIES = {"share", "equity", "index", "bond", "yield", "stockmarket", "bourse"}
_LEVEL_WORDS = {"to", "at", "of", "near", "around", "about", "reach", "hit", "settle", "total"}


@dataclass(frozen=True, slots=True)
class Move:
    """The quantities of a move: ``level`` after it, ``change`` (its size), ``previous`` level."""

    level: Quantity | None = None
    change: Quantity | None = None
    previous: Quantity | None = None


def direction_of(trigger: Token, verb: Token) -> str | None:
    """ "up", "down" or "unchanged" from the trigger, its clause verb, then their modifiers."""
    for token in (kept_going(trigger), kept_going(verb)):
        found = DIRECTION_WORDS.get(token.lemma_.lower()) or DIRECTION_WORDS.get(token.lower_)
        if found:
            return found
    for token in (*trigger.children, *verb.children):
        if token.dep_ in ("amod", "advmod", "acomp", "prt", "compound", "dobj", "attr", "npadvmod", "xcomp"):
            found = DIRECTION_WORDS.get(token.lemma_.lower())
            if found:
                return found
    return None


_HEDGES = {
    "about",
    "around",
    "nearly",
    "almost",
    "roughly",
    "some",
    "approximately",
    "over",
    "under",
    "more",
    "less",
    "than",
    "as",
    "much",
    "many",
    "just",
    "only",
    "an",
    "estimated",
    "a",
    "further",
    "another",
    "least",
    "most",
}


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
        words = text[:start].lower().split()
        while len(words) > 1 and (words[-1] in _HEDGES or words[-1] in _RECORDS):
            words.pop()  # "by about 170,000 bpd", "to as much as $90", "to a record $2,450"
        last_word = words[-1] if words else ""
        if last_word == "of" and len(words) > 1 and words[-2] in _RECORDS:
            role = "level"  # "hit a high of $11,000"
        elif last_word == "by" or last_word == "of" and len(words) > 1 and _move_noun(words[-2]):
            role = "change"  # "cut by 500,000 bpd", "output cuts of 2 million bpd", "a rise of 3%"
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


def _move_noun(word: str) -> bool:
    singular = word[:-1] if word.endswith("s") else word
    return DIRECTION_WORDS.get(singular) not in (None, "unchanged") or DIRECTION_WORDS.get(word) not in (
        None,
        "unchanged",
    )


def kept_going(verb: Token) -> Token:
    """ "prices keep falling": the verb a "keep" or "continue" carries on; any other is itself."""
    if verb.lemma_ in ("keep", "continue"):
        return next((c for c in verb.children if c.dep_ == "xcomp"), verb)
    return verb


def names_a_measure(token: Token) -> bool:
    """Whether a word names a market measure that moves: a price, output, demand, stocks, trade."""
    return token.lemma_.lower() in _MOVED or token.lower_ in _MOVED


def moves_securities(trigger: Token, is_commodity: Callable[[Token], bool]) -> bool:
    """ "Shares of BHP fell 3%", "stocks slid": securities move, no commodity does."""
    noun = _moving_noun(trigger)
    if noun is None:
        return False
    word = noun.lemma_.lower()
    if word == "stock":  # "copper stocks rose" are inventories
        return not any(is_commodity(c) for c in noun.children if c.dep_ in ("compound", "amod", "nmod"))
    return word in _SECURITIES


def moved_kind(trigger: Token, is_commodity: Callable[[Token], bool]) -> EventType | None:
    """The kind of move a direction word reports, from what moves ("Brent was up", "lower oil
    prices", "a rise in demand", "OPEC cut output"); None when nothing says.

    A commodity that moves by itself moves in price ("gold fell 2%"). "Stocks" count as
    inventories only with a commodity beside them: bare, they are shares.
    """
    noun = _moving_noun(trigger)
    if noun is None:
        return None
    modifiers = [c for c in noun.children if c.dep_ in ("compound", "amod", "nmod")]
    lemma = noun.lemma_.lower()
    if lemma == "price":
        for modifier in modifiers:
            if modifier.lemma_.lower() in _NOT_COMMODITY_PRICES:
                return _NOT_COMMODITY_PRICES[modifier.lemma_.lower()]
    for token in (*modifiers, noun):
        kind = _MOVED.get(token.lemma_.lower()) or _MOVED.get(token.lower_)
        if (
            kind is T.INVENTORY_CHANGE
            and token.lemma_.lower() == "stock"
            and not any(is_commodity(m) for m in modifiers)
        ):
            continue
        if kind is not None:
            return kind
    # "Gold fell": the commodity itself moves; "high-grade ore" is a kind, not a move.
    moves_itself = noun.dep_ in ("nsubj", "nsubjpass") or _causing_verb(trigger) is not None  # "sent gold lower"
    return T.PRICE_CHANGE if is_commodity(noun) and moves_itself else None


def _causing_verb(trigger: Token) -> Token | None:
    """The verb whose object a result phrase moves, or None."""
    head = trigger.head
    if trigger.dep_ in ("oprd", "xcomp", "advmod", "acomp", "prt") and head.pos_ == "VERB":
        return head
    if trigger.dep_ == "dobj" and trigger.pos_ == "VERB" and head.pos_ == "VERB":
        return head  # "sent copper plummeting", parsed as a second object
    if trigger.dep_ == "pobj" and trigger.pos_ == "ADJ" and head.lower_ == "to" and head.head.pos_ == "VERB":
        return head.head
    return None


def _measured(noun: Token) -> Token:
    """What a measure of something measures: "cut 4 million tonnes of coal consumption" cuts
    consumption; any other noun is itself."""
    if not any(c.like_num for c in noun.children):
        return noun
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    moved = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
    return noun if moved is None else moved


def _moving_noun(trigger: Token) -> Token | None:
    """The noun a direction word says moves: its noun ("lower prices"), the object of a verb
    that moves something ("cut output"), else the subject of its clause ("prices are down")."""
    if trigger.pos_ == "NOUN":
        # "a rise in prices", "the price rise"; "a record high" takes its clause's subject.
        for child in trigger.children:
            if child.dep_ == "prep" and child.lower_ in ("in", "of"):
                moved = next((c for c in child.children if c.dep_ == "pobj"), None)
                if moved is None or not any(t.like_num for t in (moved, *moved.children)):  # not "cuts of 2 mb/d"
                    return moved
        compound = next((c for c in trigger.children if c.dep_ == "compound"), None)
        if compound is not None:
            return compound
        if trigger.dep_ not in ("dobj", "attr", "pobj"):
            return None
    elif trigger.dep_ in ("amod", "compound") and trigger.head.pos_ in ("NOUN", "PROPN"):
        # "lower prices hurt producers"; inside a phrase about something else ("exposed to
        # lower prices", "to deal with surging prices") the move is background, not news.
        return trigger.head if trigger.head.dep_ in ("nsubj", "nsubjpass", "dobj") else None
    causer = _causing_verb(trigger)
    if causer is not None:
        # "demand pushed prices higher", "kept output steady", "sent copper plummeting", "pushed
        # Brent to its lowest": the verb's object ends up there.
        result = next((c for c in causer.children if c.dep_ == "dobj" and c.i != trigger.i), None)
        if result is not None:
            return None if result.pos_ == "PRON" else result
    verb = trigger
    while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
        verb = verb.head
    for _ in range(4):
        objects = [_measured(c) for c in verb.children if c.dep_ == "dobj" and c.i != trigger.i]
        if objects and trigger.i == verb.i and (objects[0].lemma_.lower() in _MOVED or objects[0].lower_ in _MOVED):
            return objects[0]
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None:
            return None if subject.pos_ == "PRON" else subject
        if verb.dep_ == "relcl":
            return verb.head
        if verb.dep_ not in ("xcomp", "conj") or verb.head.i == verb.i:
            return None
        if verb.dep_ == "xcomp":
            # "expects demand to rise": the object of the verb above is what moves.
            controller = next((c for c in verb.head.children if c.dep_ == "dobj"), None)
            if controller is not None:
                return None if controller.pos_ == "PRON" else controller
        verb = verb.head
    return None
