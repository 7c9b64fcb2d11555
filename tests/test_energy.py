"""Demand estimates, CO2 and the energy-neutral balance, checked by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine import energy
from tests.engine_fixtures import buildings


def _demand(rows):
    return energy.demand(buildings(rows), DEFAULT)


def test_category_from_sector_text_then_bag_use():
    category = energy.demand_category(
        pd.Series(
            [
                "Autoreparatie en -handel",
                "Zakelijke dienstverlening",
                None,
                None,
                "Bouw",
            ],
            dtype="string",
        ),
        pd.Series(
            ["industriefunctie", None, "winkelfunctie", None, "kantoorfunctie"],
            dtype="string",
        ),
    )
    assert category.tolist() == ["autobedrijf", "kantoor", "winkel", "hal", "kantoor"]


def test_sector_words_are_matched_as_words():
    category = energy.demand_category(
        pd.Series(
            ["Automatisering en ICT", "Garage Jansen", "Architect"], dtype="string"
        ),
        pd.Series([None, None, "industriefunctie"], dtype="string"),
    )
    assert category.tolist() == ["kantoor", "autobedrijf", "hal"]


def test_office_estimate_uses_the_cbs_office_intensity():
    # CBS 83374NED kantoor overig 1.000–2.500 m²: 66,3 kWh/m² and 10,9 m³/m².
    out = _demand([{"building_use": "kantoorfunctie", "floor_area_m2": 1000}]).iloc[0]
    assert out["elec_kwh_yr_est"] == pytest.approx(66_300)
    assert out["gas_m3_yr_est"] == pytest.approx(10_900)
    assert out["demand_source"] == "geschat"


def test_mixed_building_splits_office_and_hall():
    # 200 m² office × 66.3 + 800 m² hall × 47.3 = 51,100 kWh;
    # 200 × 10.9 + 800 × 7.3 = 8,020 m³.
    out = _demand(
        [
            {
                "building_use": "industriefunctie,kantoorfunctie",
                "floor_area_m2": 1000,
                "office_area_m2": 200,
            }
        ]
    ).iloc[0]
    assert out["demand_category"] == "hal"
    assert out["elec_kwh_yr_est"] == pytest.approx(51_100)
    assert out["gas_m3_yr_est"] == pytest.approx(8_020)


def test_measured_values_win_and_keep_their_source():
    out = _demand(
        [
            {
                "floor_area_m2": 1000,
                "elec_kwh_yr": 60_000,
                "elec_source": "enquête",
                "gas_m3_yr": 2_000,
            }
        ]
    ).iloc[0]
    assert out["elec_kwh_yr_est"] == 60_000
    assert out["elec_source_used"] == "enquête"
    assert out["gas_m3_yr_est"] == 2_000
    assert out["gas_source_used"] == "gemeten"  # a value without source
    assert out["demand_source"] == "enquête"


def test_partly_estimated_demand_is_geschat():
    out = _demand([{"floor_area_m2": 1000, "elec_kwh_yr": 60_000}]).iloc[0]
    assert out["elec_source_used"] == "gemeten"
    assert out["gas_source_used"] == "geschat"
    assert out["demand_source"] == "geschat"


def test_no_floor_area_and_no_measurement_stays_unknown():
    out = _demand([{"sector": "Bouw"}]).iloc[0]
    for column in ("elec_kwh_yr_est", "gas_m3_yr_est", "demand_kwh_yr", "co2_kg_yr"):
        assert pd.isna(out[column]), column
    assert pd.isna(out["demand_source"])


def test_demand_co2_and_heat_by_hand():
    out = _demand([{"elec_kwh_yr": 10_000, "gas_m3_yr": 1_000}]).iloc[0]
    assert out["demand_kwh_yr"] == pytest.approx(10_000 + 1_000 * 8.79)
    assert out["co2_kg_yr"] == pytest.approx(10_000 * 0.48 + 1_000 * 1.78)
    assert out["heat_demand_kwh_yr"] == pytest.approx(1_000 * 8.79 * 0.9)


def test_co2_factor_for_electricity_is_a_setting():
    green = DEFAULT.replace(co2_elec_kg_per_kwh=0.0)
    co2 = energy.co2_kg(
        pd.Series([10_000.0], dtype="Float64"), pd.Series([0.0], dtype="Float64"), green
    )
    assert co2.iloc[0] == 0


def _balance(demand, present, potential, source=None):
    n = len(demand)
    return energy.balance(
        pd.Series(demand, dtype="Float64"),
        pd.Series(source or ["gemeten"] * n, dtype="string"),
        pd.Series(demand, dtype="Float64"),
        pd.Series([0.0] * n, dtype="Float64"),
        pd.Series(present, dtype="Float64"),
        pd.Series(potential, dtype="Float64"),
        DEFAULT,
    )


def test_balance_by_hand():
    b = _balance([100_000, 50_000], [10_000, 0], [30_000, 20_000])
    assert b.demand_kwh_yr == 150_000
    assert b.gap_kwh_yr_present == 140_000
    assert b.gap_kwh_yr_after_roofs == 90_000
    assert b.kwp_needed == pytest.approx(140_000 / 875)
    assert b.kwp_needed_beyond_roofs == pytest.approx(90_000 / 875)
    assert b.share_present == pytest.approx(10_000 / 150_000)
    assert b.share_with_roofs == pytest.approx(60_000 / 150_000)
    assert not b.energy_neutral_on_roofs


def test_balance_says_what_closing_the_gap_takes_in_dutch():
    # 2.8 GWh / 875 kWh per kWp = 3,200 kWp
    b = _balance([2_800_000], [0], [0])
    assert "Voor energieneutraal in 2035 is nog 3,2 MWp zon nodig." in b.sentences()
    assert b.as_dict()["kwp_needed"] == pytest.approx(3_200)


def test_balance_when_the_roofs_suffice_or_there_is_a_surplus():
    enough = _balance([100_000], [0], [200_000])
    assert enough.energy_neutral_on_roofs
    assert "Dat past op de daken van het terrein." in enough.sentences()
    surplus = _balance([100_000], [150_000], [0])
    assert surplus.kwp_needed == 0
    assert "Het terrein wekt nu al meer op dan het verbruikt." in surplus.sentences()


def test_balance_counts_estimated_and_unknown_buildings():
    b = _balance(
        [100_000, 50_000, None], [0, 0, 0], [0, 0, 0], ["geschat", "gemeten", None]
    )
    assert (b.n_buildings, b.n_demand_known, b.n_demand_estimated) == (3, 2, 1)
    text = " ".join(b.sentences())
    assert "bij 1 pand is het verbruik (deels) geschat" in text
    assert "Van 1 pand is het verbruik onbekend." in text


def test_balance_without_any_demand_figure_says_so():
    b = _balance([None], [0], [1_000])
    assert b.sentences() == [
        "Van geen enkel pand is het verbruik bekend of te schatten; de "
        "energiebalans kan nog niet worden opgemaakt."
    ]
