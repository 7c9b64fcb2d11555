"""analyse(), opportunity_list(), measure_totals(), terrain_balance(), kopgroep."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
import shapely

import kansenkaart as kk
from kansenkaart.core.assumptions import DEFAULT, LEIDRAAD
from kansenkaart.engine import measures
from kansenkaart.engine.opportunities import (
    LIST_COLUMNS,
    analyse,
    measure_totals,
    opportunity_list,
    terrain_balance,
)
from tests.engine_fixtures import X0, Y0, rect, terrain

REQUIRED = {
    "pv_panels": "Int64",
    "pv_kwp_potential": "Float64",
    "pv_kwh_yr_potential": "Float64",
    "demand_kwh_yr": "Float64",
    "demand_source": "string",
    "co2_kg_yr": "Float64",
    "besparingsplicht": "boolean",
    "onderzoeksplicht": "boolean",
    "label_c_required": "boolean",
    "grid_afname_status": "Int64",
    "grid_invoeding_status": "Int64",
    "nearest_source_id": "string",
    "nearest_source_m": "Float64",
    "n_measures": "Int64",
    "usable_roof_m2": "Float64",
    "pv_invest_eur_low": "Float64",
    "pv_invest_eur_high": "Float64",
    "pv_payback_yr": "Float64",
    "pv_co2_avoided_kg_yr": "Float64",
    "pv_share_of_demand": "Float64",
    "sde_eligible": "boolean",
    "gas_m3_yr_est": "Float64",
    "kopgroep_rank": "Int64",
}

SURVEY = [
    {
        "building_id": "0000000000000001",
        "interest_zon_eigen_dak": "ja",
        "interest_led": "misschien",
        "kopgroep_interest": "ja",
        "collective_willingness": 5,
        "consent_werksessie": True,
    },
    {
        "building_id": "0000000000000002",
        "kopgroep_interest": "nee",
        "collective_willingness": 1,
    },
]


def _terrain(**kwargs):
    rows = [
        {
            "footprint_m2": 755,
            "roof_type": "flat",
            "pv_kwp_existing": 0,
            "elec_kwh_yr": 60_000,
            "elec_source": "gemeten",
            "gas_m3_yr": 5_000,
            "gas_source": "gemeten",
            "ownership": "huurder",
            "address": "Punterweg 1",
        },
        {"footprint_m2": 300, "floor_area_m2": 300, "construction_year": 1980},
        {},  # nothing known but the polygon
    ]
    return terrain(rows, survey=SURVEY, **kwargs)


@pytest.fixture(scope="module")
def analysis():
    return analyse(_terrain())


@pytest.fixture(scope="module")
def analysed(analysis):
    return analysis.buildings


def test_kk_analyse_is_the_engine():
    assert kk.analyse is analyse


def test_buildings_columns_come_first_unchanged(analysed):
    t = _terrain()
    n = len(t.buildings.columns)
    assert list(analysed.columns[:n]) == list(t.buildings.columns)
    pd.testing.assert_frame_equal(
        pd.DataFrame(analysed.iloc[:, :n]), pd.DataFrame(t.buildings)
    )
    assert analysed.crs.to_epsg() == 28992
    assert isinstance(analysed, t.buildings.__class__)


def test_required_columns_and_dtypes(analysed):
    for column, dtype in REQUIRED.items():
        assert str(analysed[column].dtype) == dtype, column
    assert all(isinstance(ids, list) for ids in analysed["measures"])
    assert analysed["n_measures"].tolist() == [len(m) for m in analysed["measures"]]


def test_inputs_are_not_mutated():
    t = _terrain()
    before = {name: getattr(t, name).copy() for name in ("buildings", "survey")}
    analyse(t)
    pd.testing.assert_frame_equal(t.buildings, before["buildings"])
    pd.testing.assert_frame_equal(t.survey, before["survey"])


def test_unknown_data_gives_na_never_false(analysed):
    empty = analysed.iloc[2]
    for column in (
        "demand_kwh_yr",
        "demand_source",
        "besparingsplicht",
        "onderzoeksplicht",
        "label_c_required",
        "grid_afname_status",
        "nearest_source_id",
        "pv_payback_yr",
        "sde_eligible",
    ):
        assert pd.isna(empty[column]), column
    # The roof is known from the polygon (20 × 20 m), so solar is computed.
    assert empty["pv_panels"] == 113  # 400 × 0.55 / 1.9436 = 113.2


def test_figures_of_a_measured_building(analysed):
    first = analysed.iloc[0]
    assert first["demand_kwh_yr"] == pytest.approx(60_000 + 5_000 * 8.79)
    assert first["demand_source"] == "gemeten"
    assert bool(first["besparingsplicht"])
    assert first["besparingsplicht_basis"] == "gemeten"
    assert not bool(first["onderzoeksplicht"])


def test_survey_answers_are_carried(analysed):
    assert analysed["survey_answered"].tolist() == [True, True, False]
    assert analysed["interest_zon_eigen_dak"].tolist() == ["ja", pd.NA, pd.NA]
    assert analysed["consent_werksessie"].tolist() == [True, pd.NA, pd.NA]


def test_assumptions_are_used_and_remembered():
    t = _terrain()
    a = analyse(t, LEIDRAAD)
    assert a.assumptions is LEIDRAAD and a.terrain is t
    assert a.buildings["pv_panels"].iloc[0] == 189  # Leidraad: 755 m² → 189 panels
    assert analyse(t).assumptions is DEFAULT


def test_the_analysis_is_frozen_and_carries_no_attrs():
    a = analyse(_terrain())
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.assumptions = LEIDRAAD
    assert a.buildings.attrs == {}


def test_buildings_in_wgs84_are_analysed_in_rd():
    t = _terrain()
    wgs = t.__class__(**{**t.__dict__, "buildings": t.buildings.to_crs(4326)})
    a = analyse(wgs).buildings
    assert a.crs.to_epsg() == 28992
    assert a["roof_area_m2"].iloc[2] == pytest.approx(400, rel=1e-3)


def test_missing_optional_columns_are_no_problem():
    t = _terrain()
    slim = t.buildings[["building_id", "footprint_m2", "geometry"]]
    a = analyse(t.__class__(**{**t.__dict__, "buildings": slim})).buildings
    assert list(a.columns[:3]) == ["building_id", "footprint_m2", "geometry"]
    assert "roof_type" not in a.columns
    assert a["pv_panels"].iloc[0] == 213  # 755 × 0.55 / 1.9436 = 213.6


def test_opportunity_list_shape_and_order(analysis, analysed):
    listed = opportunity_list(analysis)
    assert tuple(listed.columns) == LIST_COLUMNS
    assert len(listed) == analysed["n_measures"].sum()
    order = {m.id: i for i, m in enumerate(measures.CATALOGUE)}
    first = listed[listed["building_id"] == "0000000000000001"]
    assert first["measure_id"].map(order).is_monotonic_increasing
    assert listed["building_id"].is_monotonic_increasing
    zon = first.set_index("measure_id").loc["zon_eigen_dak"]
    assert zon["interest"] == "ja"
    assert bool(zon["consent_werksessie"])
    assert bool(zon["via_verhuurder"])
    assert zon["address"] == "Punterweg 1"
    assert str(listed["kwp"].dtype) == "Float64"


def test_opportunity_list_by_scope(analysis):
    individual = opportunity_list(analysis, "individual")
    collective = opportunity_list(analysis, "collective")
    assert set(individual["scope"]) == {"individual"}
    assert set(collective["scope"]) == {"collective"}
    assert len(individual) + len(collective) == len(opportunity_list(analysis))
    with pytest.raises(ValueError, match="onbekende schaal"):
        opportunity_list(analysis, "alles")


def test_empty_opportunity_list_keeps_its_columns():
    t = terrain([{"footprint_m2": 1}])
    listed = opportunity_list(analyse(t))
    assert listed.empty
    assert tuple(listed.columns) == LIST_COLUMNS


def test_measure_totals_sum_the_list(analysis):
    totals = measure_totals(analysis).set_index("measure_id")
    listed = opportunity_list(analysis)
    assert list(totals.index) == [m.id for m in measures.CATALOGUE]
    zon = listed[listed["measure_id"] == "zon_eigen_dak"]
    assert totals.loc["zon_eigen_dak", "n_companies"] == len(zon)
    assert totals.loc["zon_eigen_dak", "kwp"] == pytest.approx(zon["kwp"].sum())
    assert totals.loc["zon_eigen_dak", "invest_eur"] == pytest.approx(
        zon["invest_eur"].sum()
    )
    assert totals.loc["koppelkansen_luchthaven", "n_companies"] == 0
    assert pd.isna(totals.loc["kennisdelen", "kwp"])
    assert not totals["privacy_ok"].any()  # 3 buildings: fewer than 10


def test_privacy_threshold_is_an_assumption():
    stricter = DEFAULT.replace(privacy_min_connections=2)
    totals = measure_totals(analyse(_terrain(), stricter))
    assert totals.set_index("measure_id").loc["zon_eigen_dak", "privacy_ok"]


def test_terrain_balance(analysis, analysed):
    balance = terrain_balance(analysis)
    assert balance.demand_kwh_yr == pytest.approx(analysed["demand_kwh_yr"].sum())
    assert balance.generation_kwh_yr_potential == pytest.approx(
        analysed["pv_kwh_yr_potential"].sum()
    )
    assert balance.n_demand_known == 2
    assert any("2035" in s for s in balance.sentences())


def test_kopgroep_ranks_interest_and_potential(analysed):
    ranked = analysed.set_index("building_id")
    first = ranked.loc["0000000000000001"]
    assert first["kopgroep_rank"] == 1
    assert bool(first["kopgroep_selected"])  # ceil(20 % of 3) = 1 place
    assert first["kopgroep_reason"].startswith("Plek 1 van 3 (voorgesteld): wil in")
    assert "bereid tot samenwerken: 5 van 5" in first["kopgroep_reason"]
    refuser = ranked.loc["0000000000000002"]
    assert "wil niet in de kopgroep" in refuser["kopgroep_reason"]
    assert not bool(refuser["kopgroep_selected"])
    assert "geen enquête" in ranked.loc["0000000000000003"]["kopgroep_reason"]


def test_kopgroep_never_selects_a_company_that_said_no():
    rows = [{"footprint_m2": 5_000}] + [{}] * 4
    survey = [{"building_id": "0000000000000001", "kopgroep_interest": "nee"}]
    a = analyse(terrain(rows, survey=survey)).buildings
    assert a["kopgroep_rank"].iloc[0] == 1  # biggest potential ...
    assert not bool(a["kopgroep_selected"].iloc[0])  # ... but it said no


def test_a_terrain_with_sources_grid_and_everything():
    t = terrain(
        [{"gas_m3_yr": 20_000, "geometry": rect(X0, Y0, 40, 40)}, {}, {}],
        sources=[
            {
                "source_id": "rwzi",
                "kind": "rwzi",
                "name": "RWZI",
                "geometry": shapely.Point(X0 + 300, Y0),
            }
        ],
        grid=[
            {
                "area_id": "net",
                "afname_status": 1,
                "invoeding_status": 3,
                "geometry": rect(X0 - 100, Y0 - 100, 1_000, 300),
            }
        ],
    )
    a = analyse(t).buildings
    assert a["nearest_source_id"].tolist() == ["rwzi"] * 3
    assert a["grid_invoeding_status"].tolist() == [3, 3, 3]
    assert a["hub_cluster_size"].tolist() == [3, 3, 3]
    assert "warmtenet_rwzi" in a["measures"].iloc[0]
    assert "energy_hub" in a["measures"].iloc[0]


@pytest.mark.parametrize("terrain_id", kk.list_demo_terrains())
def test_demo_terrains_are_analysed(terrain_id):
    analysis = analyse(kk.load_terrain(f"demo:{terrain_id}"))
    a = analysis.buildings
    assert a["demand_kwh_yr"].notna().all()
    assert a["n_measures"].min() >= 1
    listed = opportunity_list(analysis)
    assert listed["reason"].notna().all()
    # No figure in a reason is rendered as unknown ("onbekend kWh").
    assert not listed["reason"].str.contains(r"onbekend (?:m|k|M|jaar)").any()


def test_analyses_in_several_threads_share_one_pause_of_the_collector():
    """``analyse`` pauses the process-wide garbage collector. Two analyses
    that overlap (Streamlit sessions): the collector stays paused until the
    last one ends and is then on again, as found."""
    import gc
    import threading

    from kansenkaart.engine import opportunities

    a_inside, b_inside, a_done, b_may_end = (threading.Event() for _ in range(4))

    def first():
        with opportunities._collector_paused():
            a_inside.set()
            b_inside.wait()
        a_done.set()

    def second():
        a_inside.wait()
        with opportunities._collector_paused():
            b_inside.set()
            b_may_end.wait()

    assert gc.isenabled()
    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    a_done.wait()
    assert not gc.isenabled()  # the second analysis is still running
    b_may_end.set()
    for t in threads:
        t.join()
    assert gc.isenabled()
    gc.disable()  # a program that keeps it off finds it off afterwards
    try:
        kk.analyse(terrain([{"footprint_m2": 400}]))
        assert not gc.isenabled()
    finally:
        gc.enable()
