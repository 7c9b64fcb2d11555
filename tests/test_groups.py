"""Collective groups: explicit members, combined figures, map outline, export."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

import kansenkaart as kk
from kansenkaart.core import schema as sch
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine import groups, measures
from kansenkaart.engine.opportunities import analyse, opportunity_list
from tests.engine_fixtures import X0, Y0, buildings, layer, rect, terrain

DEMO = kk.list_demo_terrains()


@pytest.fixture(scope="module")
def demo():
    return {t: kk.analyse(kk.load_terrain(f"demo:{t}")) for t in DEMO}


@pytest.mark.parametrize("terrain_id", DEMO)
def test_combined_figures_equal_the_sum_of_the_members(demo, terrain_id):
    analysis = demo[terrain_id]
    b = analysis.buildings.set_index(analysis.buildings["building_id"].astype(str))
    listed = opportunity_list(analysis)
    assert len(analysis.groups) > 0
    for g in analysis.groups.itertuples():
        members = list(g.member_ids)
        assert g.n_companies == len(members) == len(set(members))
        rows = listed[
            listed["building_id"].isin(members) & listed["measure_id"].eq(g.measure_id)
        ]
        # every member takes part in the measure of its group
        assert sorted(rows["building_id"]) == sorted(members)
        if g.measure_id in groups.FIGURE_BASIS:
            own = b.loc[members]
            solar = own["pv_kwp_existing"].fillna(0) + own["pv_kwp_roof"].fillna(0)
            if g.measure_id != "koppelkansen_luchthaven":
                assert g.kwp == pytest.approx(float(solar.sum()))
            if g.measure_id in ("energy_hub", "koppelkansen_luchthaven"):
                assert g.mwh_yr == pytest.approx(own["elec_kwh_yr_est"].sum() / 1000)
            continue
        for figure, column, factor in (
            ("kwp", "kwp", 1),
            ("mwh_yr", "kwh_yr", 1000),
            ("co2_t_yr", "co2_kg_yr", 1000),
            ("invest_eur", "invest_eur", 1),
        ):
            expected = rows[column].sum(min_count=1)
            value = getattr(g, figure)
            if pd.isna(expected):
                assert pd.isna(value)
            else:
                assert value == pytest.approx(expected / factor)


@pytest.mark.parametrize("terrain_id", DEMO)
def test_every_collective_measure_belongs_to_a_group(demo, terrain_id):
    analysis = demo[terrain_id]
    b = analysis.buildings
    members = {
        (m, g.measure_id) for g in analysis.groups.itertuples() for m in g.member_ids
    }
    collective = {m.id for m in measures.CATALOGUE if m.scope == measures.COLLECTIVE}
    for building_id, ids in zip(
        b["building_id"].astype(str), b["measures"], strict=True
    ):
        for m in set(ids) & collective:
            assert (building_id, m) in members, (building_id, m)
    # the building column lists the same groups
    listed = b["collective_groups"].explode().dropna()
    assert set(listed) == set(analysis.groups["group_id"])


def test_zon_group_kwp_is_the_sum_of_the_roofs_by_hand(demo):
    analysis = demo["de-punt"]
    zon = groups.of_measure(analysis.groups, "collectieve_inkoop_zon").iloc[0]
    b = analysis.buildings.set_index("building_id")
    roofs = b.loc[list(zon["member_ids"]), "pv_kwp_potential"]
    assert zon["kwp"] == pytest.approx(float(roofs.sum()))
    # one purchase group: buildings with a suitable roof (zon op eigen dak)
    suitable = b["measures"].map(lambda ids: "zon_eigen_dak" in ids)
    assert set(zon["member_ids"]) <= set(b.index[suitable])
    buying = b["measures"].map(lambda ids: "collectieve_inkoop_zon" in ids)
    assert set(zon["member_ids"]) == set(b.index[buying])
    # interest: members who answered "ja" in the demo survey
    yes = b.loc[list(zon["member_ids"]), "interest_collectieve_inkoop_zon"].eq("ja")
    assert zon["n_interest_yes"] == int(yes.sum()) > 0


def test_de_punt_heat_network_is_the_heat_users_near_the_rwzi(demo):
    analysis = demo["de-punt"]
    heat = groups.of_measure(analysis.groups, "warmtenet_rwzi")
    assert len(heat) == 1
    b = analysis.buildings.set_index("building_id")
    inside = b.loc[list(heat.iloc[0]["member_ids"])]
    outside = b.drop(index=inside.index)
    assert (inside["heat_demand_kwh_yr"] >= DEFAULT.warmtenet_min_heat_kwh.value).all()
    assert (inside["heat_source_m"] <= DEFAULT.coupling_radius_rwzi_m.value).all()
    # everyone left out is a small heat user or said "nee" in the survey (all
    # of De Punt is within reach)
    small = outside["heat_demand_kwh_yr"] < DEFAULT.warmtenet_min_heat_kwh.value
    declined = outside["interest_warmtenet_rwzi"].eq("nee").fillna(False)
    assert (small | declined).all()
    assert 0 < len(inside) < len(b)


def _heat_terrain(supply_mwh=None):
    # Buildings 100 m apart along x; the RWZI 100 m west of the first one.
    rows = [
        {"gas_m3_yr": 20_000},  # ~158 MWh heat, 100 m from the RWZI
        {"gas_m3_yr": 20_000},  # 200 m
        {"gas_m3_yr": 1_000},  # small heat user
        {"gas_m3_yr": 20_000, "geometry": rect(X0 + 3_000, Y0, 20, 20)},  # too far
    ]
    source = {
        "source_id": "rwzi",
        "kind": "rwzi",
        "name": "RWZI",
        "heat_mwh_yr": supply_mwh,
        "geometry": shapely.Point(X0 - 100, Y0 + 10),
    }
    return terrain(rows, sources=[source])


def test_heat_network_members_are_within_reach_with_enough_demand():
    a = analyse(_heat_terrain())
    heat = groups.of_measure(a.groups, "warmtenet_rwzi")
    assert heat["member_ids"].tolist() == [("0000000000000001", "0000000000000002")]
    assert heat["name"].iloc[0].endswith("(RWZI)")
    heat_kwh = a.buildings["heat_demand_kwh_yr"].iloc[:2].sum()
    assert heat["mwh_yr"].iloc[0] == pytest.approx(heat_kwh / 1000)


def test_heat_network_stops_at_the_supply_of_the_source():
    # 200 MWh supply: the closest 158 MWh user fits, the second does not.
    a = analyse(_heat_terrain(supply_mwh=200))
    heat = groups.of_measure(a.groups, "warmtenet_rwzi")
    assert heat["member_ids"].tolist() == [("0000000000000001",)]
    assert "warmtenet_rwzi" not in a.buildings["measures"].iloc[1]


def test_energy_hub_needs_a_producer_and_a_user_on_a_congested_grid():
    grid = {
        "area_id": "krap",
        "afname_status": 2,
        "invoeding_status": 3,
        "geometry": rect(X0 - 100, Y0 - 100, 2_000, 300),
    }
    big_roof = {"geometry": None, "elec_kwh_yr": 5_000, "footprint_m2": 2_000}
    user = {"elec_kwh_yr": 400_000, "footprint_m2": 100}
    rows = [
        {**big_roof, "geometry": rect(X0, Y0, 45, 45)},
        {**user, "geometry": rect(X0 + 100, Y0, 10, 10)},
        {**user, "geometry": rect(X0 + 180, Y0, 10, 10)},
    ]
    a = analyse(terrain(rows, grid=[grid]))
    hub = groups.of_measure(a.groups, "energy_hub")
    assert len(hub) == 1 and hub["n_companies"].iloc[0] == 3
    # only users, no producer: no hub
    only_users = analyse(
        terrain([{**user, "geometry": r["geometry"]} for r in rows], grid=[grid])
    )
    assert groups.of_measure(only_users.groups, "energy_hub").empty
    members = only_users.buildings[groups.COLUMN].explode().dropna()
    assert "energy_hub" not in set(members.map(groups.measure_of))


def test_split_compact_cuts_a_street_in_halves():
    xy = np.column_stack([np.arange(24) * 50.0, np.zeros(24)])
    labels = groups.split_compact(xy, 12)
    assert labels.tolist() == [0] * 12 + [1] * 12
    assert (np.bincount(groups.split_compact(xy, 5)) <= 5).all()


def test_split_compact_cuts_each_set_on_its_own():
    # Two streets of 24 points (x 0..1150 m) as sets 7 and 3, interleaved;
    # each is halved on its own, parts numbered by set, then by first point.
    xy = np.column_stack([np.repeat(np.arange(24) * 50.0, 2), np.zeros(48)])
    within = np.tile([7, 3], 24)
    labels = groups.split_compact(xy, 12, within=within)
    assert labels[within == 3].tolist() == [0] * 12 + [1] * 12
    assert labels[within == 7].tolist() == [2] * 12 + [3] * 12
    # A set within the limit stays whole; a point per set is its own part.
    assert groups.split_compact(xy, 30, within=within).tolist() == [1, 0] * 24
    assert np.bincount(groups.split_compact(xy, 1, within=within)).max() == 1


def test_deelgebieden_by_boundary_polygon():
    b = buildings(
        [{"geometry": rect(X0, Y0, 10, 10)}, {"geometry": rect(X0 + 900, Y0, 10, 10)}]
    )
    boundary = layer(
        [
            {"name": "West", "geometry": rect(X0 - 50, Y0 - 50, 200, 200)},
            {"name": "Oost", "geometry": rect(X0 + 800, Y0 - 50, 200, 200)},
        ],
        sch.BOUNDARY,
    )
    assert groups.deelgebieden(b.geometry, boundary).tolist() == ["West", "Oost"]
    assert groups.deelgebieden(b.geometry, None).tolist() == ["", ""]


def test_measure_of():
    assert groups.measure_of("energy_hub-12") == "energy_hub"
    assert groups.measure_of("warmtenet_rwzi-1") == "warmtenet_rwzi"


def test_groups_are_outlined_on_the_map(demo):
    from kansenkaart.views import maps

    analysis = demo["de-punt"]
    outline = maps.group_outlines(analysis.buildings, "warmtenet_rwzi")
    heat = groups.of_measure(analysis.groups, "warmtenet_rwzi").iloc[0]
    assert len(outline["features"]) == 1
    feature = outline["features"][0]
    assert feature["geometry"]["type"] == "Polygon"
    # WGS84 at the boundary: Drenthe is near 6.5° E, 53° N
    lon, lat = feature["geometry"]["coordinates"][0][0]
    assert 6 < lon < 7 and 52.5 < lat < 53.5
    assert f"{heat['n_companies']} bedrijven" in feature["properties"]["tip"]
    # the outline holds every member
    hull = shapely.geometry.shape(feature["geometry"])
    members = analysis.buildings[
        analysis.buildings["building_id"].isin(heat["member_ids"])
    ]
    centres = members.geometry.centroid.to_crs(4326)  # computed in RD New
    assert all(hull.buffer(1e-6).contains(c) for c in centres)


def test_the_export_lists_the_groups(demo):
    import io

    from openpyxl import load_workbook

    from kansenkaart.views import export, selection

    analysis = demo["de-punt"]
    sel = selection.select(analysis, selection.Filters())
    wb = load_workbook(io.BytesIO(export.to_xlsx(sel)), read_only=True)
    rows = list(wb["Collectieve groepen"].values)
    assert len(rows) == len(analysis.groups) + 1
    header = rows[0]
    assert "Leden" in header and "Aantal bedrijven" in header
    first = dict(zip(header, rows[1], strict=True))
    assert first["Groep"] == analysis.groups["name"].iloc[0]
    assert first["Aantal bedrijven"] == analysis.groups["n_companies"].iloc[0]
    assert first["Leden"].count(";") == analysis.groups["n_companies"].iloc[0] - 1
