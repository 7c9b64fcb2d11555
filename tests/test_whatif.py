"""What-if of one building: corrections recomputed by the engine, by hand.

Default assumptions: 435 Wp panels of 1.72 × 1.13 m (1.9436 m²), 55 % of a
flat roof usable, 875 kWh/kWp/yr, € 0.85–1.30 per Wp, kleinverbruik
€ 0.25/kWh, feed-in € 0.05/kWh, 0.48 kg CO2/kWh.
"""

import io

import openpyxl
import pandas as pd
import pytest

from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine import whatif
from kansenkaart.engine.opportunities import opportunity_list
from kansenkaart.views import export
from tests.engine_fixtures import terrain

HALL, OFFICE = "0000000000000001", "0000000000000002"


@pytest.fixture(scope="module")
def park():
    return terrain(
        [
            {
                # 1000 m² flat roof: 550 m² usable / 1.9436 m² = 282.98 → 282 panels
                "footprint_m2": 1000.0,
                "floor_area_m2": 900.0,
                "roof_type": "flat",
                "building_use": "industriefunctie",
                "grid_connection": "kleinverbruik",
                "ownership": "eigenaar-gebruiker",
                "company": '=HYPERLINK("http://x")',
                "postcode": "9301 ZZ",
                "house_number": "3",
                "address": "Industrieweg 3, Roden",
            },
            {
                "footprint_m2": 300.0,
                "floor_area_m2": 500.0,
                "roof_type": "flat",
                "building_use": "kantoorfunctie",
                "energy_label": "E",
                "grid_connection": "grootverbruik",
            },
        ]
    )


def row(analysis, building_id):
    analysed = analysis.buildings
    return analysed.iloc[whatif.position(analysed, building_id)]


def test_hundred_panels_by_hand(park):
    c = whatif.Corrections(
        elec_kwh_yr=60_000, pv_panels=100, elec_price_eur_per_kwh=0.20
    )
    r = row(whatif.apply(park, HALL, c, DEFAULT), HALL)
    assert r["pv_panels"] == 100
    assert r["pv_kwp_potential"] == pytest.approx(43.5)  # 100 × 435 Wp
    assert r["pv_kwh_yr_potential"] == pytest.approx(38_062.5)  # 43.5 × 875
    assert r["pv_invest_eur_low"] == pytest.approx(36_975)  # 43 500 Wp × 0.85
    assert r["pv_invest_eur_high"] == pytest.approx(56_550)  # 43 500 Wp × 1.30
    # after 2027 only own use saves the price: min(70 % × 38 062.5, 35 % ×
    # 60 000) = 21 000 kWh × € 0.20 + 17 062.5 kWh × € 0.05 = € 5 053.13
    assert r["pv_savings_eur_yr"] == pytest.approx(5_053.125)
    assert r["pv_payback_yr"] == pytest.approx(46_762.5 / 5_053.125)  # 9.25 yr
    assert r["pv_co2_avoided_kg_yr"] == pytest.approx(18_270)  # × 0.48
    assert r["pv_share_of_demand"] == pytest.approx(38_062.5 / 60_000)
    assert not r["sde_eligible"]  # 43.5 kWp, but a kleinverbruik connection


def test_surplus_is_fed_in_at_the_feed_in_price(park):
    c = whatif.Corrections(elec_kwh_yr=20_000, pv_panels=100)
    r = row(whatif.apply(park, HALL, c, DEFAULT), HALL)
    # own use min(70 % × 38 062.5, 35 % × 20 000) = 7 000 kWh × € 0.25,
    # the other 31 062.5 kWh × € 0.05
    assert r["pv_savings_eur_yr"] == pytest.approx(1_750 + 1_553.125)


def test_existing_panels_take_roof_space(park):
    base = whatif.apply(park, HALL, whatif.Corrections(), DEFAULT)
    # advice: kleinverbruik takes 55.2 kW = 126 panels; the roof 282
    assert row(base, HALL)["pv_panels"] == 126
    assert whatif.room_for_panels(base, HALL) == 282
    # 10 kWp existing = ceil(10 000 / 435) = 23 panels → 282 − 23 = 259 left
    out = whatif.apply(park, HALL, whatif.Corrections(pv_kwp_existing=10), DEFAULT)
    assert whatif.room_for_panels(out, HALL) == 259
    # advice: 55.2 − 10 = 45.2 kW on the kleinverbruik connection = 103 panels
    assert row(out, HALL)["pv_panels"] == 103
    assert row(out, HALL)["pv_kwp_potential"] == pytest.approx(103 * 0.435)
    assert row(out, HALL)["pv_kwh_yr_existing"] == pytest.approx(10 * 875)


def test_more_panels_than_fit_are_clipped_to_the_roof(park):
    out = whatif.apply(park, HALL, whatif.Corrections(pv_panels=1_000), DEFAULT)
    assert row(out, HALL)["pv_panels"] == 282


def test_corrected_use_decides_the_besparingsplicht(park):
    # no use measured: the verdict rests on an estimate from the 900 m² floor
    base = row(whatif.apply(park, HALL, whatif.Corrections(), DEFAULT), HALL)
    assert base["besparingsplicht_basis"] == "geschat"
    over = row(
        whatif.apply(park, HALL, whatif.Corrections(elec_kwh_yr=60_000), DEFAULT), HALL
    )
    assert bool(over["besparingsplicht"])  # 60 000 kWh ≥ 50 000 kWh
    assert over["besparingsplicht_basis"] == "enquête"
    assert over["elec_source"] == "enquête"
    under = row(
        whatif.apply(
            park,
            HALL,
            whatif.Corrections(elec_kwh_yr=40_000, gas_m3_yr=10_000),
            DEFAULT,
        ),
        HALL,
    )
    assert not under["besparingsplicht"] and not under["informatieplicht"]


def test_label_correction_settles_label_c(park):
    base = whatif.apply(park, OFFICE, whatif.Corrections(), DEFAULT)
    assert bool(row(base, OFFICE)["label_c_required"])
    assert not row(base, OFFICE)["label_c_ok"]
    assert "label_c" in row(base, OFFICE)["measures"]
    fixed = whatif.apply(park, OFFICE, whatif.Corrections(energy_label="B"), DEFAULT)
    assert bool(row(fixed, OFFICE)["label_c_ok"])
    assert "label_c" not in row(fixed, OFFICE)["measures"]


def test_tenant_goes_through_the_verhuurder(park):
    out = whatif.apply(park, HALL, whatif.Corrections(ownership="huurder"), DEFAULT)
    rows = opportunity_list(out)
    solar = rows[
        (rows["building_id"] == HALL) & (rows["measure_id"] == "zon_eigen_dak")
    ]
    assert solar["via_verhuurder"].tolist() == [True]
    owner = opportunity_list(whatif.apply(park, HALL, whatif.Corrections(), DEFAULT))
    solar = owner[
        (owner["building_id"] == HALL) & (owner["measure_id"] == "zon_eigen_dak")
    ]
    assert solar["via_verhuurder"].tolist() == [False]


def test_own_price_is_used_by_every_measure(park):
    c = whatif.Corrections(elec_kwh_yr=60_000, elec_price_eur_per_kwh=0.20)
    rows = opportunity_list(whatif.apply(park, HALL, c, DEFAULT))
    led = rows[(rows["building_id"] == HALL) & (rows["measure_id"] == "led")].iloc[0]
    # 60 000 kWh × 20 % lighting × 50 % saving = 6 000 kWh × € 0.20 = € 1 200;
    # 900 m² × € 12 = € 10 800 → 9 years
    assert led["kwh_yr"] == pytest.approx(6_000)
    assert led["payback_yr"] == pytest.approx(9.0)
    assert whatif.assumptions_for(c, DEFAULT).elec_price_large_eur_per_kwh.value == 0.2


def test_other_buildings_and_inputs_stay_as_they_were(park):
    before = park.buildings.copy()
    base = whatif.apply(park, HALL, whatif.Corrections(), DEFAULT)
    out = whatif.apply(
        park, HALL, whatif.Corrections(elec_kwh_yr=1, pv_panels=3), DEFAULT
    )
    pd.testing.assert_frame_equal(park.buildings, before)
    assert row(out, OFFICE)["pv_kwp_potential"] == row(base, OFFICE)["pv_kwp_potential"]


def test_what_if_is_remembered(park):
    c = whatif.Corrections(elec_kwh_yr=60_000, ownership="huurder", pv_panels=5)
    out = whatif.apply(park, HALL, c, DEFAULT)
    assert out.what_if == (HALL, c)
    assert whatif.corrected_fields(out, HALL) == ("elec_kwh_yr", "ownership")
    assert whatif.corrected_fields(out, OFFICE) == ()
    assert not c.empty and whatif.Corrections().empty


@pytest.mark.parametrize(
    "bad",
    [
        {"elec_kwh_yr": -1},
        {"gas_m3_yr": float("nan")},
        {"pv_panels": True},
        {"energy_label": "Z"},
        {"ownership": "pachter"},
        {"elec_price_eur_per_kwh": "0,25"},
    ],
)
def test_impossible_corrections_are_refused_in_dutch(bad):
    with pytest.raises(ValueError, match=r"moet een getal|onbekend"):
        whatif.Corrections(**bad)


def test_unknown_building_is_a_dutch_key_error(park):
    with pytest.raises(KeyError, match="staat niet in dit terrein"):
        whatif.apply(park, "9999", whatif.Corrections(), DEFAULT)


def test_survey_row_has_dutch_headers_and_the_corrected_values(park):
    c = whatif.Corrections(elec_kwh_yr=60_000, ownership="huurder", pv_panels=5)
    table = whatif.survey_row(
        whatif.apply(park, HALL, c, DEFAULT),
        HALL,
        today=pd.Timestamp("2026-03-05").date(),
    )
    record = table.iloc[0]
    assert record["BAG-pand-id"] == HALL
    assert record["elektriciteitsverbruik (kWh/jaar)"] == 60_000
    assert record["bron elektriciteitsverbruik"] == "enquête"
    assert pd.isna(record["gasverbruik (m³/jaar)"])  # an estimate is not sent
    assert record["eigendom"] == "huurder"
    assert record[whatif.CORRECTED_HEADER] == "elektriciteitsverbruik, eigendom"
    assert record[whatif.DATE_HEADER] == "2026-03-05"


def test_survey_row_xlsx_is_injection_safe_and_keeps_types(park):
    c = whatif.Corrections(elec_kwh_yr=60_000)
    data = export.survey_row_xlsx(
        whatif.apply(park, HALL, c, DEFAULT), HALL, "Testterrein"
    )
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Mijn pand", "Toelichting"]
    sheet = book["Mijn pand"]
    values = dict(
        zip([c.value for c in sheet[1]], [c.value for c in sheet[2]], strict=True)
    )
    assert values["bedrijf"] == '\'=HYPERLINK("http://x")'
    assert values["BAG-pand-id"] == HALL  # text, leading zeros kept
    assert values["elektriciteitsverbruik (kWh/jaar)"] == 60_000
    assert all(
        not str(cell.value).startswith(("=", "+", "-", "@"))
        for line in sheet.iter_rows()
        for cell in line
        if cell.value is not None
    )
