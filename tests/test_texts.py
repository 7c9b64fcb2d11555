"""The Dutch vocabulary (core.texts), unit scaling (core.fmt) and building facts.

Expected strings are written by hand from the rules in the module docstrings
of :mod:`kansenkaart.core.fmt` and :mod:`kansenkaart.core.texts`, not copied
from the code's output.
"""

from __future__ import annotations

import ast
import io
import math
import re
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path

import pandas as pd
import pypdf
import pytest
from babel.numbers import format_decimal
from hypothesis import assume, given
from hypothesis import strategies as st

from kansenkaart.core import fmt, texts
from kansenkaart.engine import whatif
from kansenkaart.engine.opportunities import analyse
from kansenkaart.views import facts, overview, report_pdf
from kansenkaart.views.tables import BUILDING_FIELDS, dutch_table
from tests.engine_fixtures import rect, terrain

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kansenkaart"
VOCABULARY = PACKAGE / "core" / "texts.py"
MISSING = (None, math.nan, pd.NA)


# --- the words -----------------------------------------------------------------


def test_verdicts_are_three_valued_and_an_estimate_is_probable():
    assert texts.verdict(True) == "ja"
    assert texts.verdict(True, "gemeten") == "ja"
    assert texts.verdict(True, "enquête") == "ja"
    assert texts.verdict(True, "geschat") == "waarschijnlijk ja"
    assert texts.verdict(False, "geschat") == "nee"
    for value in MISSING:
        assert texts.verdict(value) == "onbekend"
        assert texts.yes_no(value) == "onbekend"
    assert (texts.yes_no(True), texts.yes_no(False)) == ("ja", "nee")


def test_grid_status_has_number_meaning_and_colour_name():
    assert texts.grid_status(0) == "0 · capaciteit beschikbaar (groen)"
    assert texts.grid_status(1) == "1 · beperkte capaciteit (geel)"
    assert texts.grid_status(2.0) == "2 · in onderzoek / wachtrij (oranje)"
    assert texts.grid_status(pd.array([3], dtype="Int64")[0]) == "3 · tekort (rood)"
    assert texts.grid_status(7) == "onbekend"
    for value in MISSING:
        assert texts.grid_status(value) == "onbekend"
    outside = texts.grid_status(None, texts.GRID_NO_AREA)
    assert outside == "onbekend (buiten de capaciteitsgebieden)"
    words = texts.grid_words(pd.Series([1, None], dtype="Int64"))
    assert words.tolist() == ["beperkte capaciteit", "onbekend"]


def test_a_figure_reads_with_its_basis():
    assert texts.with_basis("2,0 GWh per jaar", "enquête") == (
        "2,0 GWh per jaar (enquête)"
    )
    assert texts.with_basis("2,0 GWh per jaar", None) == "2,0 GWh per jaar"
    assert texts.with_basis("onbekend", "geschat") == "onbekend"


def test_traffic_lights_keep_their_public_names():
    from kansenkaart.engine import grid

    assert grid.TRAFFIC_LIGHTS == (
        "Op planning",
        "Risico op vertraging",
        "Vertraagd",
        "Onbekend",
    )
    assert grid.traffic_light("2030-01-01", "2031-01-01", "2033-12-31") == (
        "Op planning"
    )


# --- sensible scaling ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwh", "expected"),
    [
        (0, "0 kWh"),
        (999, "999 kWh"),
        (999.4, "999 kWh"),
        (999.5, "1,0 MWh"),  # rounds to 1.000 kWh: the next unit
        (1_000, "1,0 MWh"),
        (1_049, "1,0 MWh"),
        (9_940, "9,9 MWh"),
        (9_960, "10 MWh"),  # 9,96 rounds to 10,0: whole from 10 MWh
        (12_345, "12 MWh"),
        (999_499, "999 MWh"),
        (999_500, "1,0 GWh"),
        (12_345_678, "12,3 GWh"),
        (1_234_567_890, "1.234,6 GWh"),
        (-1_500, "-1,5 MWh"),
        (-12_345_678, "-12,3 GWh"),
    ],
)
def test_energy_scales_from_kwh_to_mwh_to_gwh(kwh, expected):
    assert fmt.energy(kwh) == expected


def test_power_co2_area_and_euro():
    assert fmt.power(4.44) == "4,4 kWp"
    assert fmt.power(9.96) == "10 kWp"
    assert fmt.power(122.67) == "123 kWp"
    assert fmt.power(999.6) == "1,0 MWp"
    assert fmt.power(1_234) == "1,2 MWp"
    assert fmt.co2(450) == "450 kg CO₂"
    assert fmt.co2(999.6) == "1,0 t CO₂"
    assert fmt.co2(12_345, " per jaar") == "12,3 t CO₂ per jaar"
    assert fmt.co2(-2_500) == "-2,5 t CO₂"
    assert fmt.area(1_234.4) == "1.234 m²"
    assert fmt.area(0) == "0 m²"
    assert fmt.euro(12_345.4) == "€ 12.345"
    assert fmt.euro(-1_234) == "€ -1.234"
    assert fmt.euro_range(1_000, 2_500) == "€ 1.000 – 2.500"
    assert fmt.energy(2_000, " per jaar") == "2,0 MWh per jaar"


def test_every_unit_reads_onbekend_when_missing():
    for value in MISSING:
        for format_ in (fmt.energy, fmt.power, fmt.co2, fmt.area, fmt.euro):
            assert format_(value) == "onbekend"
        assert fmt.euro_range(value, 2_000) == "onbekend"


@given(
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    st.integers(min_value=0, max_value=3),
)
def test_numbers_agree_with_the_cldr_dutch_locale(value, decimals):
    # Python rounds the stored binary value, Babel its shortest decimal text;
    # they differ only on ties such as 2.675, which are left out here.
    step = Decimal(1).scaleb(-decimals)
    python = f"{value:.{decimals}f}"
    assume(Decimal(python) == Decimal(repr(value)).quantize(step, ROUND_HALF_EVEN))
    assume(not re.fullmatch(r"-0[.,]?0*", python))  # Babel drops the sign of -0
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    expected = format_decimal(value, pattern, locale="nl_NL")
    assert fmt.number(value, decimals) == expected


# --- no second copy of a status text ----------------------------------------------

STATUS_TEXTS = (
    texts.UNKNOWN,
    texts.YES,
    texts.NO,
    texts.MAYBE,
    texts.PROBABLY_YES,
    texts.HIDDEN,
    *texts.BASES,
    texts.OWN_INPUT,
    *texts.GRID_STATUS.values(),
    *texts.GRID_COLOURS.values(),
    texts.GRID_NO_AREA,
    *texts.GRID_STATUS_TEXTS.values(),
    *texts.TRAFFIC_LIGHTS,
)
_EDGES = re.compile(r"^[\s(\[:;,.·-]+|[\s)\]:;,.]+$")


def status_literals(path: Path) -> list[tuple[int, str]]:
    """(line, literal) of every string constant in ``path`` that is a status text.

    Case does not count, nor spaces, brackets and punctuation around it, so
    ``" (geschat)"`` and ``"op planning"`` are copies too.
    """
    words = {t.lower() for t in STATUS_TEXTS}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and _EDGES.sub("", node.value).lower() in words:
            found.append((node.lineno, node.value))
    return found


def test_status_texts_are_written_only_in_the_vocabulary():
    copies = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != VOCABULARY
        for line, text in status_literals(path)
    ]
    assert copies == [], "use kansenkaart.core.texts instead of:\n" + "\n".join(copies)


def test_the_check_finds_a_copied_status_text(tmp_path):
    copy = tmp_path / "copy.py"
    copy.write_text(
        'LABEL = "Op planning"\n'
        'NOTE = f"{x} (Geschat)."\n'
        'def f():\n    """Not a status: capaciteit beschikbaar."""\n'
    )
    assert [line for line, _ in status_literals(copy)] == [1, 2]
    assert status_literals(VOCABULARY)  # the vocabulary itself holds them


# --- one building, the same facts everywhere ----------------------------------------

HALL = "0000000000000001"


@pytest.fixture(scope="module")
def hall_analysis():
    hall = {
        "footprint_m2": 1000.0,
        "floor_area_m2": 900.0,
        "roof_type": "flat",
        "construction_year": 1985,
        "energy_label": "D",
        "grid_connection": "grootverbruik",
        "ownership": "eigenaar-gebruiker",
        "address": "Industrieweg 3, Roden",
        "elec_kwh_yr": 81_234.0,
        "elec_source": "gemeten",
    }
    area = {
        "area_id": "A1",
        "name": "Roden-Oost",
        "afname_status": 1,
        "invoeding_status": 2,
        "geometry": rect(234_900, 569_900, 500, 500),
    }
    return analyse(terrain([hall], grid=[area]))


def _pdf(data: bytes) -> str:
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    return " ".join(page.extract_text().split())


def test_map_panel_overview_pdf_and_export_show_the_same_facts(hall_analysis):
    expected = {  # by hand: label D, 81.234 kWh -> 81 MWh, statuses 1 and 2
        "Energielabel": "D",
        "Bouwjaar": "1985",
        "Stroomverbruik": "81 MWh per jaar",
        "Netcapaciteit invoeding": "2 · in onderzoek / wachtrij (oranje)",
        "Netcapaciteit afname": "1 · beperkte capaciteit (geel)",
    }
    panel = facts.facts_table(hall_analysis, 0).set_index("gegeven")["waarde"]
    shown = overview.building_overview(hall_analysis, HALL)
    by_label = {f.label: f for f in shown.facts}
    for label, value in expected.items():
        assert by_label[label].value == value, label
        basis = " (gemeten)" if label == "Stroomverbruik" else ""
        assert panel[label] == value + basis, label
    assert by_label["Stroomverbruik"].source == "gemeten"

    text = _pdf(report_pdf.building_report(hall_analysis, HALL))
    for short, key in (
        ("Energielabel", "energy_label"),
        ("Bouwjaar", "construction_year"),
        ("Stroomverbruik", "elec"),
        ("Net invoeding", "grid_invoeding"),
    ):
        value = next(f.value for f in shown.facts if f.key == key)
        assert f"{short} {value}" in text, short
    assert "81 MWh per jaar gemeten" in text

    sheet = dutch_table(hall_analysis.buildings, BUILDING_FIELDS).iloc[0]
    assert sheet["Energielabel"] == expected["Energielabel"]
    assert sheet["Netcapaciteit invoeding"] == expected["Netcapaciteit invoeding"]
    assert sheet["Netcapaciteit afname"] == expected["Netcapaciteit afname"]
    assert sheet["Bron elektriciteitsverbruik"] == by_label["Stroomverbruik"].source


def test_facts_by_position_id_or_row_are_the_same(hall_analysis):
    rows = hall_analysis.buildings
    assert (
        facts.building_facts(hall_analysis, 0)
        == facts.building_facts(hall_analysis, HALL)
        == facts.building_facts(rows, 0)
        == facts.building_facts(rows.iloc[0])
    )


def test_hidden_facts_and_own_input(hall_analysis):
    hidden = {f.key: f for f in facts.building_facts(hall_analysis, 0, hidden=True)}
    assert hidden["elec"].text == "niet getoond"
    assert hidden["besparingsplicht"].value == "niet getoond"
    assert hidden["energy_label"].value == "D"  # public (EP-online)
    out = whatif.apply(
        hall_analysis.terrain,
        HALL,
        whatif.Corrections(elec_kwh_yr=60_000),
        hall_analysis.assumptions,
    )
    elec = next(f for f in facts.building_facts(out, HALL) if f.key == "elec")
    assert elec.text == "60 MWh per jaar (eigen opgave)"
