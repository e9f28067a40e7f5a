"""Find and normalise quantities: "2 million tonnes" → ``Quantity(2000000, "tonne")``.

Pure and regex based, so the extractor can find quantities in a sentence without
relying on NER. Values are plain :class:`~decimal.Decimal` numbers (scales such as
"million", "mln", "bn", "crore", "lakh" multiplied out); units are the keys of
:data:`UNIT_KEYS` (QUDT-backed ones in ``geokg.rdf.iris.UNIT_IRIS``).

Decisions:

* A range ("25,000 to 50,000 tonnes", "between 7 and 12 pct", "$2-3 billion")
  gives its upper bound as the value, the quoted "up to" figure news leads with;
  :func:`quantity_min` recovers the lower bound from ``Quantity.text``.
* A bare number, or a number with a unit outside the list ("155,221 bags"), is
  not a quantity.
* Prices are ``"<currency> per <unit>"`` ("$80 a barrel" → ``USD per barrel``,
  "15 cts/lb" → 0.15 ``USD per pound``) and yearly sums ``"<currency> per year"``.
  Yearly gas flows are ``cubic metre per year``; other yearly amounts ("2 million
  tonnes a year") keep the plain unit, as the news-dev annotation does.
* "a fifth of", "a quarter of", "a tenth of" are shares in percent (20, 25, 10).
* Gas volumes followed by "in <year>" ("12 bcm in 2022") are yearly flows.
* "pounds" is sterling unless followed by "of" ("5,000 pounds of copper"); "lb" is
  weight. "Mt" is a megatonne, "mt"/"MT" a metric ton. "¥" is yen. "CFA francs"
  are West African (XOF), the currency of the cocoa belt.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation, localcontext

from geokg.model import Quantity

_CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CNY", "AUD", "CAD", "INR", "RUB", "XOF")
_DENOMINATORS = {  # surface of a price's "per …" unit → unit key
    r"short\s+tons?": "short ton",
    r"(?:metric\s+)?(?:tonnes?|tons?)|mt|t": "tonne",
    r"barrels?|bbls?": "barrel",
    r"(?:troy\s+)?(?:ounces?|oz)": "troy ounce",
    r"kilogrammes?|kilograms?|kilos?|kgs?": "kilogram",
    r"pounds?|lbs?": "pound",
    r"bushels?|bu": "bushel",
    r"year|yr|annum": "year",
}
# fmt: off
_UNITS: list[tuple[str, str, int | Decimal]] = [  # (surface pattern, unit key, factor); longer forms first
    (r"per\s?cent|pct|%", "percent", 1),
    # "barrels of crude oil per day", "barrels of gasoline daily" count too.
    (r"barrels?\s+(?:of\s+(?:[a-z]+\s+){1,3})?(?:(?:per|a|each)\s+day|daily)|barrels?/d(?:ay)?|bbls?/d"
     r"|bpd|b/d|bopd", "barrel per day", 1),
    (r"mb/d|mbpd|mmbpd|mmb/d", "barrel per day", 10**6),
    (r"kb/d|kbpd", "barrel per day", 10**3),
    (r"barrels?|bbls?", "barrel", 1),
    (r"short\s+tons?", "short ton", 1),
    (r"mmt", "tonne", 10**6),
    (r"kt", "tonne", 10**3),
    (r"metric\s+tonnes?|metric\s+tons?|tonnes?|tons?|mt|t", "tonne", 1),
    (r"kilogrammes?|kilograms?|kilos?|kgs?", "kilogram", 1),
    (r"troy\s+ounces?|ounces?|troy\s+oz|ozt|oz", "troy ounce", 1),
    (r"lbs?|pounds?(?=\s+of\b)", "pound", 1),
    (r"bushels?|bu", "bushel", 1),
    (r"bcma", "cubic metre per year", 10**9),
    # "50 billion cubic meters of gas per year": a yearly flow, like barrels of oil a day.
    (r"bcm\s+of\s+(?:[a-z]+\s+){1,3}(?:per|a|each)\s+(?:year|annum)", "cubic metre per year", 10**9),
    (r"cubic\s+met(?:re|er)s?\s+of\s+(?:[a-z]+\s+){1,3}(?:per|a|each)\s+(?:year|annum)", "cubic metre per year", 1),
    (r"bcm", "cubic metre", 10**9),
    (r"tcm", "cubic metre", 10**12),
    (r"cubic\s+met(?:re|er)s?|cu\.?\s?m|m3|m³", "cubic metre", 1),
    (r"megawatts?|mw", "megawatt", 1),
    (r"gigawatts?|gw", "megawatt", 10**3),
    (r"(?:u\.?s\.?|us)\s+(?:dollars?|dlrs)", "USD", 1),
    (r"australian\s+(?:dollars?|dlrs)|aud", "AUD", 1),
    (r"canadian\s+(?:dollars?|dlrs)|cad", "CAD", 1),
    (r"dollars?|dlrs|usd", "USD", 1),
    (r"(?:u\.?s\.?\s+)?cents?|cts", "USD", Decimal("0.01")),
    (r"euros?|eur", "EUR", 1),
    (r"pounds?\s+sterling|sterling|stg|pounds?|gbp", "GBP", 1),
    (r"yen|jpy", "JPY", 1),
    (r"yuan|renminbi|cny|rmb", "CNY", 1),
    (r"rupees?|inr", "INR", 1),
    (r"roubles?|rubles?|rub", "RUB", 1),
    (r"cfa\s+francs?|francs?\s+cfa|fcfa|xof", "XOF", 1),
]
_PREFIXES = [  # currency written before the number
    (r"(?:US\$|U\.S\.\s?\$|USD)\s?", "USD"), (r"(?:A\$|AU\$|AUD)\s?", "AUD"), (r"(?:C\$|CA\$|CAD)\s?", "CAD"),
    (r"€\s?|EUR\s?", "EUR"), (r"£\s?|GBP\s?", "GBP"), (r"¥\s?|JPY\s?", "JPY"), (r"CNY\s?|RMB\s?", "CNY"),
    (r"₹\s?|Rs\.?\s?|INR\s?", "INR"), (r"₽\s?|RUB\s?", "RUB"), (r"FCFA\s?|XOF\s?", "XOF"), (r"\$\s?", "USD"),
]
_SCALES = {
    "hundred": 100, "thousand": 10**3, "k": 10**3, "lakh": 10**5, "lakhs": 10**5, "lac": 10**5,
    "lacs": 10**5, "million": 10**6, "mln": 10**6, "mn": 10**6, "m": 10**6, "crore": 10**7,
    "crores": 10**7, "billion": 10**9, "bln": 10**9, "bn": 10**9, "b": 10**9,
    "trillion": 10**12, "trln": 10**12, "tn": 10**12, "dozen": 12,
}
_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}
# fmt: on

UNIT_KEYS = frozenset(
    {key for _, key, _ in _UNITS}
    | set(_DENOMINATORS.values()) - {"year"}
    | {f"{c} per {d}" for c in _CURRENCIES for d in _DENOMINATORS.values()}
)
"""Every unit key this module can emit (for the unit labels in the reference data)."""


def _alternation(patterns: list[str] | tuple[str, ...]) -> str:
    return "|".join(f"(?:{p})" for p in patterns)


_SCALE_WORDS = r"hundred|thousand|lakhs?|lacs?|million|mln|mn|crores?|billion|bln|bn|trillion|trln|tn|dozen"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?|\d+(?:\.\d+)?"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_ONES = "one|two|three|four|five|six|seven|eight|nine"
_TEENS = "ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
_WORD_NUMBER = (
    rf"(?:\b(?:(?:{_TENS})(?:[\s-](?:{_ONES}))?|{_TEENS}|{_ONES})\b(?:\s+and\s+a\s+half)?"
    rf"|\b(?:half\s+an?|an?)(?=(?:\s+|-)(?:{_SCALE_WORDS})\b))"
)
_AMOUNT = (
    rf"(?:(?:{_DIGITS})(?!\d|[.,]\d)(?:(?:k|m|mn|mln|b|bn|bln|tn)(?![\w$]))?|{_WORD_NUMBER})"
    rf"(?:(?:\s+|-)(?:{_SCALE_WORDS})\b)*"
)
_PREFIX = _alternation([p for p, _ in _PREFIXES])
_PER = (
    # An aside may sit before the rate: "1,800 CFA francs ($3.06) per kilogram",
    # "20 billion cubic meters (bcm) a year", "$1.3 billion worth a year".
    r"(?:\s*\([^()\n]{1,40}\))?(?:\s+worth)?"
    r"(?:\s*(?:per|a|an|each|/)\s*(?P<denom>" + _alternation(list(_DENOMINATORS)) + r")"
    r"|(?P<annual>\s+annually|\s+per\s+annum|\s+yearly|\s*/\s*y))(?!\w)"
)
_START = r"(?<![\w.,$€£¥₹₽])(?<!\w-)(?P<between>between\s+)?"
_RANGE = rf"(?:(?(between)\s+and\s+|\s*(?:to|-|–|—)\s*)(?:{_PREFIX})?(?P<hi>{_AMOUNT}))?"
# Money with the currency in front: "$3 billion", "US$5m", "€2bn", "$3,060 per ton".
_MONEY = re.compile(
    rf"{_START}(?P<prefix>{_PREFIX})(?P<lo>{_AMOUNT}){_RANGE}(?P<after>)(?!\w)(?:{_PER})?", re.IGNORECASE
)
# A number with its unit after it: "2 million tonnes", "80.5%", "300 mln dlrs".
_MEASURE = re.compile(
    rf"{_START}(?P<lo>{_AMOUNT}){_RANGE}(?:\s*|-)(?P<unit>{_alternation([u for u, _, _ in _UNITS])})"
    rf"(?P<after>)(?!\w)(?:{_PER})?",
    re.IGNORECASE,
)
_IN_YEAR = re.compile(r"\s+in\s+(?:19|20)\d\d\b")
# "around a fifth of the world's potash": a share, in percent.
_FRACTIONS = {"fifth": Decimal(20), "quarter": Decimal(25), "tenth": Decimal(10)}
_FRACTION = re.compile(
    r"\b(?:a|one)[\s-](?P<share>fifth|quarter|tenth)(?=\s+of\b)"
    r"(?!\s+of\s+(?:an?\s+)?(?:hour|century|mile|point)s?\b)",
    re.IGNORECASE,
)
_UNIT_TABLE = [(re.compile(p, re.IGNORECASE), key, Decimal(f)) for p, key, f in _UNITS]
_PREFIX_TABLE = [(re.compile(p, re.IGNORECASE), key) for p, key in _PREFIXES]
_DENOM_TABLE = [(re.compile(p, re.IGNORECASE), key) for p, key in _DENOMINATORS.items()]


def parse_quantity(text: str) -> Quantity | None:
    """Parse the first quantity expression in ``text``.

    Args:
        text: an expression such as NER's QUANTITY/MONEY/PERCENT span.

    Returns:
        The quantity with its value multiplied out and a unit key, or None when
        there is no number with a known unit.

    Example:
        >>> parse_quantity("2 million tonnes")
        Quantity(value=Decimal('2000000'), unit='tonne', text='2 million tonnes')
        >>> parse_quantity("about 1.2 mln bpd").value
        Decimal('1200000')
        >>> parse_quantity("$3,060 per ton").unit, parse_quantity("€2bn").value
        ('USD per tonne', Decimal('2000000000'))
        >>> parse_quantity("up to 25,000 to 50,000 tonnes").value
        Decimal('50000')
        >>> parse_quantity("50 bcm a year").unit, parse_quantity("one crore rupees").value
        ('cubic metre per year', Decimal('10000000'))
        >>> parse_quantity("2025") is None
        True
    """
    for _, _, quantity in iter_quantities(text):
        return quantity
    return None


def iter_quantities(text: str) -> Iterator[tuple[int, int, Quantity]]:
    """Find quantity expressions in a longer text, left to right, without overlaps.

    Args:
        text: a sentence or a whole article.

    Yields:
        ``(start, end, quantity)`` with ``text[start:end] == quantity.text``.

    Example:
        >>> s = "Exports rose 12% to 1.5 mln tonnes, worth $300 million, at $200 a tonne."
        >>> [(q.value, q.unit) for _, _, q in iter_quantities(s)]  # doctest: +NORMALIZE_WHITESPACE
        [(Decimal('12'), 'percent'), (Decimal('1500000'), 'tonne'),
         (Decimal('300000000'), 'USD'), (Decimal('200'), 'USD per tonne')]
    """
    if not isinstance(text, str):
        return
    found = []
    for pattern in (_MONEY, _MEASURE):
        for match in pattern.finditer(text):
            result = _from_match(match)
            if result:
                found.append(result)
    for match in _FRACTION.finditer(text):
        found.append((match.start(), match.end("share"), (None, _FRACTIONS[match["share"].lower()], "percent")))
    # Earliest first; at the same start the longer reading wins ("$5 million"
    # over a stray "5 million" inside it).
    found.sort(key=lambda r: (r[0], -r[1]))
    last_end = -1
    for start, end, values in found:
        if start >= last_end:
            last_end = end
            yield start, end, Quantity(values[1], values[2], text[start:end])


def quantity_min(quantity: Quantity) -> Decimal | None:
    """The lower bound of a range quantity, from its surface text (None for a single value).

    Example:
        >>> quantity_min(parse_quantity("25,000 to 50,000 tonnes"))
        Decimal('25000')
        >>> quantity_min(parse_quantity("between two and 3 million barrels"))
        Decimal('2000000')
        >>> quantity_min(parse_quantity("50,000 tonnes")) is None
        True
    """
    found = _first(quantity.text)
    return found[2][0] if found else None


def _first(text: str) -> tuple[int, int, tuple[Decimal | None, Decimal, str]] | None:
    results = [r for p in (_MONEY, _MEASURE) for m in p.finditer(text) if (r := _from_match(m))]
    return min(results, key=lambda r: (r[0], -r[1])) if results else None


def _from_match(match: re.Match[str]) -> tuple[int, int, tuple[Decimal | None, Decimal, str]] | None:
    """Values of one match: (start, end, (low or None, value, unit key))."""
    factor = Decimal(1)
    if match.re is _MONEY:
        unit = _lookup(_PREFIX_TABLE, match["prefix"].strip())
    else:
        surface, at, stop = match["unit"], match.start("unit"), match.end("unit")
        # match() at the unit's place, not fullmatch(): some forms look ahead ("pounds of").
        unit, factor = next(
            (key, f) for p, key, f in _UNIT_TABLE if (m := p.match(match.string, at)) and m.end() == stop
        )
        if surface == "Mt":  # megatonne, unlike "mt"/"MT" for a metric ton
            factor = Decimal(10**6)
    end = match.end("after")
    if match["denom"] or match["annual"]:
        denom = _lookup(_DENOM_TABLE, match["denom"]) if match["denom"] else "year"
        if unit in _CURRENCIES:
            unit, end = f"{unit} per {denom}", match.end()
        elif unit == "cubic metre" and denom == "year":
            unit, end = "cubic metre per year", match.end()
    elif unit == "cubic metre" and _IN_YEAR.match(match.string, end):
        unit = "cubic metre per year"  # "12 bcm in 2022": a year's gas flow
    try:
        with localcontext() as context:
            context.prec = 50
            high, high_scaled = _amount(match["hi"] or match["lo"])
            low = None
            if match["hi"]:
                low, low_scaled = _amount(match["lo"])
                scale = high / _amount(match["hi"], scaled=False)[0] if high else Decimal(1)
                # "2 to 3 million": the scale of the upper bound applies to both.
                if not low_scaled and high_scaled and low * scale <= high:
                    low *= scale
                low = _tidy(low * factor)
            value = _tidy(high * factor)
    except (InvalidOperation, ValueError, ZeroDivisionError):
        return None
    return match.start(), end, (low, value, unit)


def _lookup(table: list[tuple[re.Pattern[str], str]], surface: str) -> str:
    return next(key for pattern, key in table if pattern.fullmatch(surface))


_NUMBER_HEAD = re.compile(rf"\s*(?:(?P<digits>{_DIGITS})|(?P<words>{_WORD_NUMBER}))", re.IGNORECASE)
_SCALE_TOKEN = re.compile(rf"(?:k|m|mn|mln|b|bn|bln|tn)(?![\w$])|(?:\s+|-)(?:{_SCALE_WORDS})\b", re.IGNORECASE)


def _amount(text: str, scaled: bool = True) -> tuple[Decimal, bool]:
    """Value of an amount such as "1.5 mln", "two hundred thousand", "half a million"."""
    head = _NUMBER_HEAD.match(text)
    if head is None:
        raise ValueError(text)
    if head["digits"]:
        value = Decimal(head["digits"].replace(",", ""))
    else:
        value = _word_value(head["words"].lower())
    has_scale = False
    if scaled:
        for token in _SCALE_TOKEN.findall(text, head.end()):
            value *= _SCALES[token.strip().lstrip("-").lower()]
            has_scale = True
    return value, has_scale


def _word_value(words: str) -> Decimal:
    words = " ".join(words.split())
    if words.startswith("half"):
        return Decimal("0.5")
    if words in ("a", "an"):
        return Decimal(1)
    half = words.endswith("and a half")
    parts = re.split(r"[\s-]", words.removesuffix("and a half").strip())
    return Decimal(sum(_WORDS[p] for p in parts if p in _WORDS)) + (Decimal("0.5") if half else 0)


def _tidy(value: Decimal) -> Decimal:
    # Decimal('1.5') * 10**6 prints as 1500000.0; store whole numbers as integers
    # and drop trailing zeros elsewhere, so equal values look the same in RDF.
    try:
        if value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value.normalize()
    except InvalidOperation:
        return value
