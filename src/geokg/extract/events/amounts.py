"""Amounts: which of a sentence's quantities is the quantity of an event.

"Chile exported 1.2 million tonnes of copper, up 4%": the tonnes, nearest the trigger and in its
clause; a percentage is rarely the amount of a trade; "from X" names the level before and "by X"
the size of a move (:mod:`geokg.extract.moves` reads those for moves).
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Span, Token

from geokg.extract.event_members import T
from geokg.extract.events.triggers import MOVES
from geokg.extract.quantities import iter_quantities
from geokg.extract.text import span_text
from geokg.model import EventType, Quantity

_AMOUNT_UNITS_PENALTY = 200  # a percentage is rarely the amount of a trade or production fact
_FROM_PENALTY = 1000  # "from 8.1 bcm to 12 bcm": the earlier level
_BY_PENALTY = 300  # "raised by 20% to 1,800 francs": the size of the move, not the new level
_OUT_OF_CLAUSE_PENALTY = 150  # a figure of another clause, unless the clause has none that fits


def quantity_of(
    sent: Span, trigger: Token, kind: EventType | None = None, scope: tuple[int, int] | None = None
) -> Quantity | None:
    """The quantity of the fact: in its clause if one is there, nearest the trigger, preferring
    the level reached ("to X") over the starting level ("from X") and the size of a move ("by X")."""
    offset = sent.start_char
    doc = sent.doc
    lo = doc[scope[0]].idx - offset if scope else 0
    hi = doc[scope[1] - 1].idx + len(doc[scope[1] - 1]) - offset if scope else len(span_text(sent))
    candidates = list(iter_quantities(span_text(sent)))
    best: tuple[int, Quantity] | None = None
    for start, _end, quantity in candidates:
        cost = abs(offset + start - trigger.idx)
        if not lo <= start < hi:
            if quantity.unit == "percent" or kind in MOVES and scope is not None:
                # "exports dropped 15% as India resumed shipments": the size of another move;
                # "copper fell to $8,900 as demand weakened": the level of another move.
                continue
            cost += _OUT_OF_CLAUSE_PENALTY
        before = span_text(sent)[:start].rstrip().lower()
        last_word = before.rsplit(None, 1)[-1] if before else ""
        if last_word == "from":
            cost += _FROM_PENALTY
        elif last_word == "by" and len(candidates) > 1:
            cost += _BY_PENALTY
        if quantity.unit == "percent" and kind in (
            T.SALE_OR_SUPPLY,
            T.PURCHASE_OR_IMPORT,
            T.PRODUCTION,
            T.PRICE_CHANGE,
        ):
            cost += _AMOUNT_UNITS_PENALTY
        if best is None or cost < best[0]:
            best = (cost, quantity)
    return best[1] if best else None


def inherit_price_unit(sent: Span, quantity: Quantity | None) -> Quantity | None:
    """ "hit $11,000 per ton … fallen to $7,700": a bare sum after a price takes the price's unit."""
    if quantity is None or " per " in quantity.unit:
        return quantity
    for _start, _end, other in iter_quantities(span_text(sent)):
        if other.unit.startswith(quantity.unit + " per "):
            return replace(quantity, unit=other.unit)
    return quantity
