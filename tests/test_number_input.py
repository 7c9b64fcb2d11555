"""Typed Dutch numbers: kansenkaart.core.fmt.parse_number and input_text.

Expected values are the issue's examples (issue 18) and the rules in the
module docstring of :mod:`kansenkaart.core.fmt`, written by hand; the round
trips check against what Babel's CLDR ``nl_NL`` data writes.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from babel import Locale
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from hypothesis import given
from hypothesis import strategies as st

from kansenkaart.core import assumptions as asm
from kansenkaart.core import fmt

PRICE = fmt.NumberField("Stroomprijs", "€/kWh", 0, 5, 2)
USAGE = fmt.NumberField("Stroomverbruik", "kWh per jaar", 0, 1e9)
AMOUNT = fmt.NumberField("Investering", "€", -1e6, 1e6)
PERCENT = fmt.NumberField("Korting", "%", 0, 100)
SHARE = fmt.NumberField("Bruikbaar deel van een plat dak", "-", 0, 100, share=True)
COUNT = fmt.NumberField("Deelnemende bedrijven", "", 0, 10_000, whole=True)
CHANGE = fmt.NumberField("Verandering", "kWh", -1000, 1000)
NBSP, NARROW_NBSP, THIN = "\u00a0", "\u202f", "\u2009"


def read(text, field=USAGE):
    return fmt.parse_number(text, field)


def refusal(text, field=USAGE) -> str:
    with pytest.raises(fmt.NumberError) as caught:
        fmt.parse_number(text, field)
    return str(caught.value)


# --- what a Dutch user types (issue 18) ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "field", "expected"),
    [
        ("0,30", PRICE, 0.30),
        ("0.30", PRICE, 0.30),
        ("75.000", USAGE, 75_000.0),
        ("1.234,5", USAGE, 1234.5),
        ("1 234,5", USAGE, 1234.5),
        (f"1{NBSP}234,5", USAGE, 1234.5),
        (f"1{NARROW_NBSP}234,5", USAGE, 1234.5),
        (f"1{THIN}234{THIN}567", USAGE, 1_234_567.0),
        ("€ 1.200", AMOUNT, 1200.0),
        ("1.200 €", AMOUNT, 1200.0),
        ("€ 0,30", PRICE, 0.30),
        ("30%", PERCENT, 30.0),
        ("30 %", PERCENT, 30.0),
        ("30%", SHARE, 0.30),
        ("30", SHARE, 0.30),
        ("-5", CHANGE, -5.0),
        ("\u22125", CHANGE, -5.0),  # the typographic minus sign
        ("  120,5  ", USAGE, 120.5),  # issue 18: 120,5 became 1205
        ("75.000 kWh per jaar", USAGE, 75_000.0),
        ("1.000.000", USAGE, 1_000_000.0),
        (",5", USAGE, 0.5),
        ("+5", CHANGE, 5.0),
    ],
)
def test_dutch_habits_read_as_meant(text, field, expected):
    assert read(text, field) == pytest.approx(expected, rel=0, abs=1e-12)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12.5", 12.5),  # one digit after the dot: a decimal point
        ("0.3", 0.3),
        ("1.2345", 1.2345),  # four digits: no thousands group
        ("0.300", 0.3),  # three digits after a lone 0: no thousands group
        ("75.000", 75_000.0),  # exactly three digits: thousands
        ("1.250", 1250.0),
    ],
)
def test_the_dot_rule(text, expected):
    assert read(text) == expected


def test_minus_zero_reads_zero():
    value = read("-0", PRICE)
    assert value == 0 and math.copysign(1, value) == 1


def test_an_empty_optional_field_is_no_value():
    optional = fmt.NumberField("Stroomverbruik", "kWh per jaar", 0, 1e9, optional=True)
    assert read("", optional) is None
    assert read("   ", optional) is None
    assert read(None, optional) is None


def test_a_count_is_whole():
    assert read("12", COUNT) == 12.0
    message = refusal("2,5", COUNT)
    assert "geen geheel getal" in message and "Deelnemende bedrijven" in message


# --- refusals: a Dutch message with the field, its range and what to type ----------


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "1e309",
        "1E3",
        "NaN",
        "nan",
        "Infinity",
        "∞",
        "1,234.5",  # English notation: refused, not misread as 1,2345
        "1.23,4",  # a broken thousands group
        "12 34",  # a space that is no thousands separator
        "1.000,",
        "5-",
        "0x10",
        "€ 1.200",  # euros in a kWh field
        "30%",  # a percentage in a kWh field
    ],
)
def test_unreadable_text_is_refused_in_dutch(text):
    message = refusal(text)
    assert message.startswith("Stroomverbruik: ")
    assert "is geen getal" in message
    assert "tussen 0 en 1.000.000.000 kWh per jaar" in message
    assert "Typ een getal" in message and "komma voor decimalen" in message


def test_an_empty_required_field_says_to_fill_it_in():
    message = refusal("", PRICE)
    assert message.startswith("Stroomprijs: vul een getal in.")
    assert "tussen 0 en 5 €/kWh" in message


@pytest.mark.parametrize(
    ("text", "read_as"),
    [
        ("30", "30"),  # issue 18: 0,30 typed as 30 €/kWh
        ("75.000", "75.000"),
        ("12.5", "12,5"),
        ("-0,01", "-0,01"),
    ],
)
def test_out_of_range_names_field_range_unit_and_reading(text, read_as):
    message = refusal(text, PRICE)
    assert message == (
        f"Stroomprijs: '{text}' (gelezen als {read_as}) ligt buiten het "
        "toegestane bereik. Typ een getal tussen 0 en 5 €/kWh, met een komma "
        "voor decimalen, bijvoorbeeld 2,50."
    )


def test_a_share_states_its_range_in_percent():
    message = refusal("150", SHARE)
    assert "tussen 0 en 100 %" in message and "bijvoorbeeld 50" in message


def test_endless_digits_are_refused_with_a_short_quote():
    message = refusal("9" * 5000, PRICE)
    assert "buiten het toegestane bereik" in message
    assert "'" + "9" * 30 + "…'" in message
    assert len(message) < 300


def test_both_ends_of_the_range_are_allowed():
    assert read("0", PRICE) == 0.0
    assert read("5,00", PRICE) == 5.0
    refusal("5,01", PRICE)


# --- against Babel's CLDR nl_NL data -------------------------------------------------


def test_separators_are_those_of_cldr_nl_nl():
    assert (get_group_symbol("nl_NL"), get_decimal_symbol("nl_NL")) == (".", ",")
    assert Locale.parse("nl_NL").decimal_formats[None].grouping == (3, 3)
    assert fmt.LOCALE == "nl_NL"
    assert fmt.number(1_234_567.891, 2) == format_decimal(
        1_234_567.891, "#,##0.00", locale="nl_NL"
    )


@given(
    st.decimals(
        min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False
    ),
    st.integers(min_value=0, max_value=3),
)
def test_what_babel_writes_in_nl_nl_reads_back(value, decimals):
    """Every number as CLDR nl_NL writes it (grouped, decimal comma) reads as
    that number, including ``1.234`` (a thousands group, not 1,234)."""
    rounded = value.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_EVEN)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(rounded, pattern, locale="nl_NL")
    field = fmt.NumberField("Waarde", "", -(10**9) - 1, 10**9 + 1)
    assert read(text, field) == float(rounded)


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(0, 6))
def test_input_text_reads_back_exactly(units, scale):
    """What a field shows for a value reads back as that value."""
    value = float(Decimal(units).scaleb(-scale))
    field = fmt.NumberField("Waarde", "", -(10**12), 10**12, 2)
    assert read(fmt.input_text(value, field), field) == value


@pytest.mark.parametrize(
    ("value", "field", "text"),
    [
        (0.3, PRICE, "0,30"),
        (0.25, PRICE, "0,25"),
        (0.123, PRICE, "0,123"),  # more decimals than the minimum are kept
        (75_000.0, USAGE, "75.000"),
        (1234.5, USAGE, "1.234,5"),
        (0.55, SHARE, "55"),
        (0.555, SHARE, "55,5"),
        (-0.0, PRICE, "0,00"),
        (12.0, COUNT, "12"),
        (None, PRICE, ""),
        (math.nan, PRICE, ""),
    ],
)
def test_a_value_is_shown_in_its_field_the_dutch_way(value, field, text):
    assert fmt.input_text(value, field) == text


# --- the ranges of the Aannames page --------------------------------------------------


def test_every_adjustable_assumption_has_a_range_around_its_sourced_values():
    assert set(asm.INPUT_RANGES) == set(asm.ADJUSTABLE)
    for name, (low, high) in asm.INPUT_RANGES.items():
        assert low < high
        for assumptions in asm.SETS.values():
            assert low <= getattr(assumptions, name).value <= high, name


def test_the_issue_slip_is_out_of_range_on_aannames():
    """0,30 €/kWh typed as 30 (issue 18) is refused, 0,30 is accepted."""
    low, high = asm.INPUT_RANGES["elec_price_small_eur_per_kwh"]
    field = fmt.NumberField("Stroomprijs kleinverbruik", "€/kWh", low, high, 2)
    assert read("0,30", field) == 0.30
    assert "buiten het toegestane bereik" in refusal("30", field)
