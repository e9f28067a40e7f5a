"""Quantities found and normalised (extract/quantities.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geokg.extract.quantities import UNIT_KEYS, iter_quantities, parse_quantity, quantity_min
from geokg.iri_space import UNIT_IRIS


@pytest.mark.parametrize("text, value, unit", [
    ("2 million tonnes", "2000000", "tonne"),
    ("500,000 tonnes", "500000", "tonne"),
    ("1.5 mln tonnes", "1500000", "tonne"),
    ("300,000 metric tons", "300000", "tonne"),
    ("300,000 tons", "300000", "tonne"),
    ("300,000 t", "300000", "tonne"),
    ("5 Mt", "5000000", "tonne"),
    ("5 MT", "5", "tonne"),
    ("40 kt", "40000", "tonne"),
    ("60 kilos", "60", "kilogram"),
    ("4 mln short tons", "4000000", "short ton"),
    ("20 mln bushels", "20000000", "bushel"),
    ("5,000 pounds of copper", "5000", "pound"),
    ("50 billion cubic meters", "50000000000", "cubic metre"),
    ("50 billion cubic metres", "50000000000", "cubic metre"),
    ("30 billion cubic metres of natural gas a year", "30000000000", "cubic metre per year"),
    ("8 bcm of gas per year", "8000000000", "cubic metre per year"),
    ("4.5 bcm in 2023", "4500000000", "cubic metre per year"),
    ("a quarter of global nickel output", "25", "percent"),
    ("one fifth of the country's wheat", "20", "percent"),
    ("50 bcm", "50000000000", "cubic metre"),
    ("12 bcm a year", "12000000000", "cubic metre per year"),
    ("12 bcm per year", "12000000000", "cubic metre per year"),
    ("12 bcm annually", "12000000000", "cubic metre per year"),
    ("20 billion cubic meters (bcm) a year", "20000000000", "cubic metre per year"),
    ("1.2 million barrels per day", "1200000", "barrel per day"),
    ("1.2 mln bpd", "1200000", "barrel per day"),
    ("500,000 b/d", "500000", "barrel per day"),
    ("90,000 barrels a day", "90000", "barrel per day"),
    ("90,000 barrels of light crude per day", "90000", "barrel per day"),
    ("10 mln barrels", "10000000", "barrel"),
    ("80.5 percent", "80.5", "percent"),
    ("80.5 per cent", "80.5", "percent"),
    ("80.5%", "80.5", "percent"),
    ("7 pct", "7", "percent"),
    ("$3 billion", "3000000000", "USD"),
    ("3 billion dollars", "3000000000", "USD"),
    ("300 mln dlrs", "300000000", "USD"),
    ("300 mln U.S. dlrs", "300000000", "USD"),
    ("US$5m", "5000000", "USD"),
    ("US$ 5 billion", "5000000000", "USD"),
    ("USD 5 billion", "5000000000", "USD"),
    ("€2bn", "2000000000", "EUR"),
    ("2 billion euros", "2000000000", "EUR"),
    ("£40m", "40000000", "GBP"),
    ("50 mln stg", "50000000", "GBP"),
    ("¥500 billion", "500000000000", "JPY"),
    ("200 yuan", "200", "CNY"),
    ("Rs 500 crore", "5000000000", "INR"),
    ("one crore rupees", "10000000", "INR"),
    ("90 billion roubles", "90000000000", "RUB"),
    ("A$1.5 billion", "1500000000", "AUD"),
    ("3.5 bln Australian dlrs", "3500000000", "AUD"),
    ("C$300 million", "300000000", "CAD"),
    ("$3,060 per ton", "3060", "USD per tonne"),
    ("3,060 dollars per tonne", "3060", "USD per tonne"),
    ("$80 a barrel", "80", "USD per barrel"),
    ("$2,000 an ounce", "2000", "USD per troy ounce"),
    ("$5 billion a year", "5000000000", "USD per year"),
    ("$1.3 billion worth a year", "1300000000", "USD per year"),
    ("15 cts/lb", "0.15", "USD per pound"),
    ("1,000 CFA francs per kilogram", "1000", "XOF per kilogram"),
    ("1,000 CFA francs ($1.70) per kilogram", "1000", "XOF per kilogram"),
    ("1,000 ounces", "1000", "troy ounce"),
    ("5 GW", "5000", "megawatt"),
    ("two lakh tonnes", "200000", "tonne"),
    ("10,00,000 tonnes", "1000000", "tonne"),
    ("two million tonnes", "2000000", "tonne"),
    ("a million tonnes", "1000000", "tonne"),
    ("half a million tonnes", "500000", "tonne"),
    ("one and a half million barrels", "1500000", "barrel"),
    ("twenty-five tonnes", "25", "tonne"),
    ("two hundred thousand tonnes", "200000", "tonne"),
    ("a dozen barrels", "12", "barrel"),
    ("a billion-dollar trade", "1000000000", "USD"),
    ("a 10-million-tonne deal", "10000000", "tonne"),
    ("about 1,000 tonnes", "1000", "tonne"),
    ("1.5\nmln tonnes", "1500000", "tonne"),
    ("two\thundred tonnes", "200", "tonne"),
])
def test_quantities_parse(text: str, value: str, unit: str) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None, text
    assert (quantity.value, quantity.unit) == (Decimal(value), unit)
    assert quantity.text in text


@pytest.mark.parametrize("text, value, low", [
    ("25,000 to 50,000 tonnes", "50000", "25000"),
    ("25,000-50,000 tonnes", "50000", "25000"),
    ("between 25,000 and 50,000 tonnes", "50000", "25000"),
    ("2 to 3 million tonnes", "3000000", "2000000"),
    ("500,000 to 1 million tonnes", "1000000", "500000"),
    ("$2-3 billion", "3000000000", "2000000000"),
    ("$980 million to $1.3 billion", "1300000000", "980000000"),
    ("between seven and 12 pct", "12", "7"),
])
def test_quantities_range_gives_upper_bound(text: str, value: str, low: str) -> None:
    quantity = parse_quantity(text)
    assert quantity is not None and quantity.text == text
    assert quantity.value == Decimal(value)
    assert quantity_min(quantity) == Decimal(low)


@pytest.mark.parametrize("text", [
    "2025", "155,221 bags", "May 19", "Feb. 24, 2025", "5m", "HK$5 million", "COVID-19 tonnes",
    "100 percentage points", "1,0000 tonnes", "a tonne of paperwork", "", "millions of tonnes",
    "the tonnes", "$", "three", "a million",
])
def test_quantities_none(text: str) -> None:
    assert parse_quantity(text) is None


def test_quantities_iter_offsets_in_a_sentence() -> None:
    sentence = ("The made-up state of Nowhere will ship 2 million tonnes of tin, worth $300 mln, "
                "at $150 a tonne, up 12%; exports were 25,000 to 50,000 t last year.")
    found = list(iter_quantities(sentence))
    assert [(q.text, q.unit) for _, _, q in found] == [
        ("2 million tonnes", "tonne"), ("$300 mln", "USD"), ("$150 a tonne", "USD per tonne"),
        ("12%", "percent"), ("25,000 to 50,000 t", "tonne")]
    for start, end, quantity in found:
        assert sentence[start:end] == quantity.text


def test_quantities_yearly_tonnes_keep_plain_unit() -> None:
    quantity = parse_quantity("it mines 5 million tonnes a year")
    assert quantity is not None and (quantity.unit, quantity.text) == ("tonne", "5 million tonnes")


def test_quantities_money_prefix_wins_over_inner_number() -> None:
    assert [q.text for _, _, q in iter_quantities("paid $5 million dollars")] == ["$5 million"]


def test_quantities_unit_keys_cover_qudt_table() -> None:
    assert set(UNIT_IRIS) <= UNIT_KEYS
    assert {"USD per tonne", "USD per barrel", "USD per troy ounce", "USD per year",
            "XOF per kilogram", "barrel per day", "cubic metre per year"} <= UNIT_KEYS


@given(st.text())
def test_quantities_never_crash(text: str) -> None:
    quantity = parse_quantity(text)
    assert quantity is None or quantity.unit in UNIT_KEYS
    last = 0
    for start, end, found in iter_quantities(text):
        assert last <= start < end and text[start:end] == found.text and found.unit in UNIT_KEYS
        assert quantity_min(found) is None or isinstance(quantity_min(found), Decimal)
        last = end


_NUMBERS = st.one_of(st.integers(0, 10**12).map(lambda n: f"{n:,}"),
                     st.decimals(0, 10**6, places=2).map(str),
                     st.sampled_from(["a", "half a", "two", "twenty-one", "one and a half"]))
_SCALES = st.sampled_from(["", " million", " mln", " billion", "bn", " crore", " lakh", " thousand"])
_UNITS = st.sampled_from([" tonnes", " t", " bpd", " barrels per day", " bcm a year", "%", " pct",
                          " dlrs", " dollars per tonne", " ounces", " CFA francs per kilogram"])
_PREFIXES = st.sampled_from(["", "$", "US$", "A$", "€", "£"])


@given(st.text(max_size=20), _PREFIXES, _NUMBERS, _SCALES, _UNITS, st.text(max_size=20))
def test_quantities_composed_never_crash(before: str, prefix: str, number: str, scale: str,
                                         unit: str, after: str) -> None:
    text = f"{before} {prefix}{number}{scale}{'' if prefix else unit} {after}"
    for start, end, found in iter_quantities(text):
        assert text[start:end] == found.text and found.unit in UNIT_KEYS


def test_quantities_fraction_of_time_is_no_share() -> None:
    assert list(iter_quantities("The talks lasted a quarter of an hour.")) == []
