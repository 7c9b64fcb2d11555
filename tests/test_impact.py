"""Impact per measure per building: energy, CO₂, €, payback, scheme and basis.

Hand-made buildings (tests/engine_fixtures.py: a 20 × 20 m square unless a
footprint is given). The constants are the defaults of
kansenkaart/core/assumptions.py, each checked here against its source first:

- LED: 20 % of electricity is lighting, LED saves 50 % of it (indicative),
  € 12 per m² floor; electricity € 0,25 (kleinverbruik) / € 0,15 per kWh;
- insulation saves 25 % of the gas, € 60 per m² roof; gas € 1,00 per m³;
- CO₂: 0,48 kg/kWh grey electricity (ISSO 82), 1,78 kg/m³ natural gas
  (CO2emissiefactoren.nl), 8,79 kWh per m³ (31,65 MJ/m³);
- heat pump: boiler 90 %, SCOP 3,5, 1.500 full-load hours, € 1.500 per kW;
- schemes (RVO): SDE++ for solar from 15 kWp on a grootverbruik connection
  (> 3×80 A); EIA for solar on a kleinverbruik connection up to 55 kWp
  (Energielijst 2024, code 251102); EIA needs at least € 2.500 per
  investment; ISDE zakelijk for a heat pump up to 70 kW.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pypdf
import pytest

from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine.opportunities import analyse, opportunity_list
from kansenkaart.views import impact, maps, overview, report_pdf
from tests.engine_fixtures import terrain

ONE = "0000000000000001"


def _rows(t, measure_id: str) -> pd.DataFrame:
    listed = opportunity_list(analyse(t))
    return listed[listed["measure_id"] == measure_id].set_index("building_id")


def test_the_constants_are_the_sourced_ones():
    a = DEFAULT
    assert (a.co2_gas_kg_per_m3.value, a.co2_gas_kg_per_m3.unit) == (1.78, "kg/m³")
    assert "CO2emissiefactoren" in a.co2_gas_kg_per_m3.source
    assert (a.co2_elec_kg_per_kwh.value, a.gas_kwh_per_m3.value) == (0.48, 8.79)
    assert (a.sde_min_kwp.value, a.sde_min_kwp.unit) == (15, "kWp")
    assert (a.eia_pv_max_kwp.value, a.eia_min_invest_eur.value) == (55, 2_500)
    assert a.isde_heat_pump_max_kw.value == 70
    for key in ("eia_pv_max_kwp", "eia_min_invest_eur", "isde_heat_pump_max_kw"):
        assert "RVO" in getattr(a, key).source and "20" in getattr(a, key).source


def test_led_on_measured_use_by_hand():
    # 100.000 kWh × 20 % lighting × 50 % = 10.000 kWh/yr; × € 0,25 = € 2.500;
    # 1.000 m² × € 12 = € 12.000 ≥ € 2.500, so EIA; payback 12.000 / 2.500.
    t = terrain(
        [
            {
                "elec_kwh_yr": 100_000,
                "elec_source": "gemeten",
                "floor_area_m2": 1_000,
                "grid_connection": "kleinverbruik",
                "energy_label": "D",
            }
        ]
    )
    row = _rows(t, "led").loc[ONE]
    assert row["elec_kwh_yr"] == pytest.approx(100_000 * 0.20 * 0.50)
    assert pd.isna(row["gas_m3_yr"])
    assert row["kwh_yr"] == pytest.approx(10_000)
    assert row["co2_kg_yr"] == pytest.approx(10_000 * 0.48)
    assert row["savings_eur_yr"] == pytest.approx(10_000 * 0.25)
    assert row["invest_eur"] == pytest.approx(12_000)
    assert row["payback_yr"] == pytest.approx(12_000 / 2_500)
    assert row["subsidy"].startswith("EIA") and "LED" in row["subsidy"]
    assert row["basis"] == "gemeten"


def test_a_small_led_investment_gets_no_eia():
    # 150 m² × € 12 = € 1.800, under the EIA minimum of € 2.500.
    t = terrain([{"elec_kwh_yr": 30_000, "floor_area_m2": 150, "energy_label": "D"}])
    row = _rows(t, "led").loc[ONE]
    assert row["invest_eur"] == pytest.approx(1_800)
    assert row["subsidy"] == ""


def test_insulation_gives_cubic_metres_and_co2_of_gas():
    # 10.000 m³ × 25 % = 2.500 m³/yr; × 1,78 kg = 4.450 kg CO₂; × € 1 = € 2.500.
    t = terrain([{"gas_m3_yr": 10_000, "gas_source": "gemeten", "energy_label": "E"}])
    row = _rows(t, "isolatie").loc[ONE]
    assert row["gas_m3_yr"] == pytest.approx(2_500)
    assert pd.isna(row["elec_kwh_yr"])
    assert row["co2_kg_yr"] == pytest.approx(2_500 * 1.78)
    assert row["kwh_yr"] == pytest.approx(2_500 * 8.79)
    assert row["savings_eur_yr"] == pytest.approx(2_500 * 1.00)
    # roof 20 × 20 m = 400 m² × € 60 = € 24.000
    assert row["payback_yr"] == pytest.approx(24_000 / 2_500)
    assert "EIA" in row["subsidy"]
    assert row["basis"] == "gemeten"


def test_heat_pump_saves_gas_uses_power_and_fits_isde_up_to_70_kw():
    # 10.000 m³ × 8,79 × 0,9 = 79.110 kWh heat / 1.500 h = 52,7 kW ≤ 70 kW.
    heat = 10_000 * 8.79 * 0.9
    t = terrain(
        [
            {
                "gas_m3_yr": 10_000,
                "gas_source": "enquête",
                "energy_label": "B",
                "grid_connection": "kleinverbruik",
            },
            {"gas_m3_yr": 20_000, "energy_label": "B"},  # 105 kW: EIA only
        ]
    )
    rows = _rows(t, "warmtepomp")
    small = rows.loc[ONE]
    assert small["gas_m3_yr"] == pytest.approx(10_000)
    assert small["elec_kwh_yr"] == pytest.approx(-heat / 3.5)  # extra power
    assert small["co2_kg_yr"] == pytest.approx(10_000 * 1.78 - heat / 3.5 * 0.48)
    assert small["savings_eur_yr"] == pytest.approx(10_000 * 1.00 - heat / 3.5 * 0.25)
    assert small["subsidy"].startswith("ISDE zakelijk") and "EIA" in small["subsidy"]
    assert small["basis"] == "enquête"  # the figures rest on the gas use
    large = rows.loc["0000000000000002"]
    assert "ISDE" not in large["subsidy"] and large["subsidy"].startswith("EIA")
    assert large["basis"] == "gemeten"  # a use without source is measured


def _solar(connection: str | None, footprint_m2: float = 400.0, **extra) -> dict:
    return {
        "footprint_m2": footprint_m2,
        "roof_type": "flat",
        "grid_connection": connection,
        "pv_kwp_existing": 0.0,
        **extra,
    }


def test_sde_only_for_15_kwp_on_a_grootverbruik_connection():
    # 400 m² × 55 % / 1,9436 m² = 113 panels × 435 Wp = 49,2 kWp;
    # 100 m²: 28 panels = 12,2 kWp, under the SDE++ minimum of 15 kWp.
    t = terrain(
        [
            _solar("grootverbruik"),
            _solar("kleinverbruik", building_use="winkelfunctie"),
            _solar("grootverbruik", footprint_m2=100.0),
            _solar(None),
        ]
    )
    rows = _rows(t, "zon_eigen_dak")
    assert rows["kwp"].round(1).tolist() == [49.2, 49.2, 12.2, 49.2]
    large, shop, small_roof, unknown = rows["subsidy"].tolist()
    assert large.startswith("SDE++") and "EIA" not in large
    assert shop.startswith("EIA") and "SDE++" not in shop  # ≤ 3×80 A, ≤ 55 kWp
    assert small_roof == ""
    assert unknown.startswith("Aansluiting onbekend: SDE++") and "EIA" in unknown
    # A grootverbruiker's roof beyond 55 kWp does not make EIA appear.
    big = _rows(
        terrain([_solar("grootverbruik", footprint_m2=1_000.0)]), "zon_eigen_dak"
    )
    assert big["kwp"].iloc[0] > 55 and "EIA" not in big["subsidy"].iloc[0]


def test_solar_figures_are_generation_and_the_own_savings():
    t = terrain([_solar("grootverbruik", elec_kwh_yr=200_000)])
    analysed = analyse(t).buildings.iloc[0]
    row = _rows(t, "zon_eigen_dak").loc[ONE]
    assert row["elec_kwh_yr"] == pytest.approx(row["kwp"] * 875)
    assert row["co2_kg_yr"] == pytest.approx(row["kwp"] * 875 * 0.48)
    assert row["savings_eur_yr"] == pytest.approx(analysed["pv_savings_eur_yr"])
    # € 0,85–1,30 per Wp: the middle, € 1.075 per kWp
    assert row["invest_eur"] == pytest.approx(row["kwp"] * 1_075)
    assert row["payback_yr"] == pytest.approx(row["invest_eur"] / row["savings_eur_yr"])
    assert row["basis"] == "gemeten"


@pytest.mark.parametrize(
    ("building", "basis"),
    [
        ({"elec_kwh_yr": 100_000, "elec_source": "gemeten"}, "gemeten"),
        ({"elec_kwh_yr": 100_000, "elec_source": "enquête"}, "enquête"),
        ({"floor_area_m2": 2_000, "building_use": "kantoorfunctie"}, "geschat"),
    ],
)
def test_basis_follows_the_source_of_the_use(building, basis):
    # 2.000 m² office × 66,3 kWh/m² = 132.600 kWh estimated (CBS kentallen)
    t = terrain([{"energy_label": "D", "floor_area_m2": 1_000, **building}])
    analysed = analyse(t).buildings.iloc[0]
    row = _rows(t, "led").loc[ONE]
    assert analysed["elec_source_used"] == basis
    assert row["basis"] == basis
    assert row["elec_kwh_yr"] == pytest.approx(analysed["elec_kwh_yr_est"] * 0.1)


def test_measures_without_figures_have_no_scheme_or_basis():
    t = terrain([{"floor_area_m2": 500}])  # estimated use: MKB-energiescan
    row = _rows(t, "mkb_energiescan").loc[ONE]
    assert (
        row[["elec_kwh_yr", "gas_m3_yr", "savings_eur_yr", "payback_yr"]].isna().all()
    )
    assert row["subsidy"] == "" and pd.isna(row["basis"])


# --- in words: Mijn pand, the PDF, the map panel ----------------------------


def test_phrases_word_the_figures():
    row = {
        "kwp": pd.NA,
        "elec_kwh_yr": -11_543.9,
        "gas_m3_yr": 5_107.3,
        "co2_kg_yr": 3_549.9,
        "savings_eur_yr": 3_375.7,
        "invest_eur": 40_403.9,
        "payback_yr": 11.97,
        "subsidy": "EIA (x)",
        "basis": "geschat",
    }
    assert impact.phrases(row) == (
        "Ca. 5.110 m³ gas minder en 11.500 kWh stroom extra per jaar",
        "3,5 t CO₂ minder per jaar",
        "Energiekosten € 3.376 per jaar minder",
        "Regeling: EIA (x)",
        "Op basis van geschat verbruik",
    )
    assert impact.summary(row).endswith(
        "Investering € 40.404; Terugverdientijd ca. 12 jaar"
    )
    solar = {"kwp": 49.2, "elec_kwh_yr": 43_080.0, "savings_eur_yr": -5.0}
    assert impact.energy_text(solar) == "ca. 43.100 kWh stroom opgewekt per jaar"
    assert impact.savings_text(solar) == "€ 5 per jaar meer"
    assert impact.phrases({"subsidy": "", "basis": pd.NA}) == ()


@pytest.fixture(scope="module")
def led_park():
    return analyse(
        terrain(
            [
                {
                    "elec_kwh_yr": 100_000,
                    "elec_source": "gemeten",
                    "floor_area_m2": 1_000,
                    "grid_connection": "kleinverbruik",
                    "energy_label": "D",
                    "company": "Hal BV",
                    "consent_werksessie": False,
                }
            ]
        )
    )


def test_mijn_pand_and_the_pdf_show_the_impact(led_park):
    o = overview.building_overview(led_park, ONE)
    led = next(line for line in o.measures if line.measure_id == "led")
    assert led.yearly == "ca. 10.000 kWh stroom bespaard per jaar"
    assert "4,8 t CO₂ minder per jaar" in led.impact
    assert "Energiekosten € 2.500 per jaar minder" in led.impact
    assert any(p.startswith("Regeling: EIA") for p in led.impact)
    assert "Op basis van gemeten verbruik" in led.impact
    data = report_pdf.building_report(led_park, ONE, today=dt.date(2026, 3, 5))
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert len(reader.pages) == 1
    assert led.per_year == ("€ 2.500", "10.000 kWh stroom bespaard", "4,8 t CO₂ minder")
    assert led.scheme_note == "Regeling: EIA · basis: gemeten"
    # one line under the reason; the PDF core fonts write CO₂ as CO2
    assert (
        "Per jaar: € 2.500 · 10.000 kWh stroom bespaard · 4,8 t CO2 minder · "
        "Regeling: EIA · basis: gemeten"
    ) in text


def test_the_map_panel_shows_the_impact_and_hides_it_without_consent(led_park):
    olist = opportunity_list(led_park)
    shown = maps.building_opportunities(olist, ONE).set_index("maatregel")
    effect = shown.loc["LED-verlichting", "effect"]
    assert effect.startswith("Ca. 10.000 kWh stroom bespaard per jaar; 4,8 t CO₂")
    assert "Regeling: EIA" in effect and "Investering € 12.000" in effect
    hidden = maps.building_opportunities(olist, ONE, hidden=True)
    assert not hidden["effect"].str.contains("kWh").any()
