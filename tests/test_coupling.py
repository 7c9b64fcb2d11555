"""Coupling chances: distances in RD metres, chance score, neighbour clusters."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from kansenkaart.core import schema as sch
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine import coupling
from tests.engine_fixtures import X0, Y0, buildings, layer, rect


def _sources(rows):
    return layer(rows, sch.SOURCES)


def _f(values):
    return pd.Series(values, dtype="Float64")


def test_distance_from_polygon_edge_to_source():
    # Building x 235000–235020; a point at x = 235120 is 100 m from its edge.
    b = buildings([{"geometry": rect(X0, Y0, 20, 20)}])
    s = _sources(
        [
            {
                "source_id": "p",
                "kind": "rwzi",
                "name": "RWZI",
                "geometry": shapely.Point(X0 + 120, Y0 + 10),
            },
            {
                "source_id": "q",
                "kind": "restwarmte",
                "name": "Fabriek",
                "geometry": rect(X0 + 10, Y0 + 10, 50, 50),  # overlaps: 0 m
            },
        ]
    )
    d = coupling.distance_matrix(b, s)
    assert list(d.columns) == ["p", "q"]
    assert d.iloc[0].tolist() == pytest.approx([100.0, 0.0])


def test_chance_score_by_hand():
    # Heat source, radius 1,500 m, building at 750 m: closeness 0.5; heat
    # demand 100,000 kWh at the 100,000 kWh reference: 100/(100+100) = 0.5 →
    # score 0.25. Electricity 100,000 kWh at the 50,000 kWh reference:
    # 100/(100+50) = 2/3 → 1/3. At 2,000 m (beyond the radius): 0.
    score = coupling.chance_score(
        np.array([[750.0, 750.0, 2_000.0]]),
        np.array([1_500.0, 1_500.0, 1_500.0]),
        np.array([True, False, True]),
        np.array([100_000.0]),
        np.array([100_000.0]),
        DEFAULT,
    )
    assert score[0].tolist() == pytest.approx([0.25, 1 / 3, 0.0])


def test_unknown_demand_gives_no_score():
    score = coupling.chance_score(
        np.array([[0.0]]),
        np.array([1_500.0]),
        np.array([True]),
        np.array([np.nan]),
        np.array([np.nan]),
        DEFAULT,
    )
    assert np.isnan(score[0, 0])


def test_radius_per_kind():
    kinds = pd.Series(
        ["rwzi", "restwarmte", "luchthaven", "biogas", None], dtype="string"
    )
    assert coupling.radius_m(kinds, DEFAULT).tolist() == [1500, 1500, 2500, 1000, 1000]


def _coupled(distance_x, kind="rwzi", a=DEFAULT, heat=100_000.0):
    b = buildings([{"geometry": rect(X0, Y0, 20, 20)}])
    s = _sources(
        [
            {
                "source_id": "bron",
                "kind": kind,
                "name": "Bron",
                "geometry": shapely.Point(X0 + 20 + distance_x, Y0 + 10),
            }
        ]
    )
    return coupling.coupling(b, s, _f([heat]), _f([10_000.0]), a).iloc[0]


def test_rwzi_within_the_default_radius():
    out = _coupled(1_000)
    assert out["nearest_source_id"] == "bron"
    assert out["nearest_source_m"] == pytest.approx(1_000)
    assert out["heat_source_name"] == "Bron"
    assert bool(out["heat_source_in_range"])
    assert out["coupling_score"] == pytest.approx((1 - 1_000 / 1_500) * 0.5)


def test_rwzi_radius_is_configurable():
    out = _coupled(1_000, a=DEFAULT.replace(coupling_radius_rwzi_m=800))
    assert not bool(out["heat_source_in_range"])
    assert out["coupling_score"] == 0


def test_airport_is_no_heat_source():
    out = _coupled(2_000, kind="luchthaven")
    assert pd.isna(out["heat_source_id"])
    assert not bool(out["heat_source_in_range"])
    assert out["airport_name"] == "Bron"
    assert out["airport_m"] == pytest.approx(2_000)
    assert bool(out["airport_in_range"])


def test_without_sources_everything_is_unknown_and_nothing_in_range():
    b = buildings([{}, {}])
    out = coupling.coupling(b, _sources([]), _f([1.0, 2.0]), _f([1.0, 2.0]), DEFAULT)
    assert out["nearest_source_id"].isna().all()
    assert out["coupling_score"].isna().all()
    assert not out["heat_source_in_range"].any()
    assert str(out["nearest_source_m"].dtype) == "Float64"


def test_best_chance_picks_the_highest_score():
    b = buildings([{"geometry": rect(X0, Y0, 20, 20)}])
    s = _sources(
        [
            {
                "source_id": "ver",
                "kind": "rwzi",
                "name": "Ver",
                "geometry": shapely.Point(X0 + 1_220, Y0),
            },
            {
                "source_id": "dicht",
                "kind": "restwarmte",
                "name": "Dicht",
                "geometry": shapely.Point(X0 + 320, Y0),
            },
        ]
    )
    out = coupling.coupling(b, s, _f([400_000.0]), _f([0.0]), DEFAULT).iloc[0]
    assert out["coupling_source_id"] == "dicht"
    # 300 m of 1,500: 0.8; 400 MWh against the 100 MWh reference: 400/500.
    assert out["coupling_score"] == pytest.approx((1 - 300 / 1_500) * 400 / 500)


def test_a_larger_user_scores_higher_at_the_same_distance():
    # The demand factor does not cap: 3 GWh beats 300 MWh beside the source.
    b = buildings(
        [{"geometry": rect(X0, Y0, 20, 20)}, {"geometry": rect(X0, Y0, 20, 20)}]
    )
    s = _sources(
        [
            {
                "source_id": "rwzi",
                "kind": "rwzi",
                "name": "RWZI",
                "geometry": shapely.Point(X0 + 320, Y0 + 10),
            }
        ]
    )
    out = coupling.coupling(b, s, _f([300_000.0, 3_000_000.0]), _f([0.0, 0.0]), DEFAULT)
    small, large = out["coupling_score"].tolist()
    assert small == pytest.approx(0.8 * 300 / 400)
    assert large == pytest.approx(0.8 * 3_000 / 3_100)
    assert large > small


def test_neighbour_clusters_chain_buildings_within_reach():
    # A, B, C 50 m apart in a row (A–C 110 m: linked through B); D far away.
    geoms = [
        rect(X0, Y0, 10, 10),
        rect(X0 + 60, Y0, 10, 10),
        rect(X0 + 120, Y0, 10, 10),
        rect(X0 + 1_000, Y0, 10, 10),
        rect(X0 + 30, Y0 + 30, 10, 10),  # near A, but not eligible
    ]
    b = buildings([{"geometry": g} for g in geoms])
    eligible = np.array([True, True, True, True, False])
    out = coupling.neighbour_clusters(b.geometry, eligible, 100.0)
    assert out["hub_cluster"].tolist() == [1, 1, 1, pd.NA, pd.NA]
    assert out["hub_cluster_size"].tolist() == [3, 3, 3, pd.NA, pd.NA]


def test_largest_cluster_gets_number_one():
    geoms = [rect(X0 + 1_000, Y0, 10, 10), rect(X0 + 1_050, Y0, 10, 10)] + [
        rect(X0 + 50 * i, Y0 + 500, 10, 10) for i in range(3)
    ]
    b = buildings([{"geometry": g} for g in geoms])
    out = coupling.neighbour_clusters(b.geometry, np.ones(5, dtype=bool), 100.0)
    assert out["hub_cluster"].tolist() == [2, 2, 1, 1, 1]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 1_000), st.floats(0, 1_000)), min_size=1, max_size=25
    )
)
def test_buildings_within_reach_share_a_cluster(corners):
    geoms = [rect(X0 + x, Y0 + y, 10, 10) for x, y in corners]
    b = buildings([{"geometry": g} for g in geoms])
    out = coupling.neighbour_clusters(b.geometry, np.ones(len(geoms), bool), 100.0)
    cluster = out["hub_cluster"].to_numpy(dtype=float, na_value=np.nan)
    size = out["hub_cluster_size"].to_numpy(dtype=float, na_value=np.nan)
    d = shapely.distance(np.array(geoms)[:, None], np.array(geoms)[None, :])
    for i in range(len(geoms)):
        for j in range(len(geoms)):
            if i != j and d[i, j] <= 100.0:
                assert cluster[i] == cluster[j]
    for c in np.unique(cluster[~np.isnan(cluster)]):
        members = cluster == c
        assert (size[members] == members.sum()).all()


@pytest.fixture(scope="module")
def demo():
    import kansenkaart as kk

    return {
        t: kk.analyse(kk.load_terrain(f"demo:{t}"))
        for t in ("de-punt", "peelerpark-messchenveld")
    }


def test_de_punt_top_three_are_heat_users_beside_the_rwzi(demo):
    # Leidraad, pilot De Punt: "koppelkansen met de naastgelegen RWZI" for
    # the large heat user (Royal FloraHolland). The score must put heat users
    # close to the RWZI first, not every building in one ring.
    analysis = demo["de-punt"]
    b = analysis.buildings
    sources = analysis.terrain.sources.set_index("source_id")
    top = b.sort_values("coupling_score", ascending=False).head(3)
    kinds = sources.loc[top["coupling_source_id"].astype(str), "kind"].tolist()
    assert kinds == ["rwzi"] * 3
    assert (top["heat_source_m"] < 500).all()
    minimum = DEFAULT.warmtenet_min_heat_kwh.value
    assert (top["heat_demand_kwh_yr"] >= minimum).all()
    # buildings differ: no single colour
    assert b["coupling_score"].round(2).nunique() >= len(b) // 2


def test_coupling_note_says_why_peelerpark_has_no_heat_or_airport(demo):
    analysis = demo["peelerpark-messchenveld"]
    note = coupling.coupling_note(
        analysis.terrain.sources, analysis.buildings["coupling_score"]
    )
    assert "Geen warmtebron" in note and "zonneveld" in note
    # the score there is about the solar park: not empty
    assert (analysis.buildings["coupling_score"] > 0).sum() > 0
    punt = demo["de-punt"]
    assert (
        coupling.coupling_note(punt.terrain.sources, punt.buildings["coupling_score"])
        == ""
    )


def test_coupling_note_without_sources():
    note = coupling.coupling_note(_sources([]), _f([]))
    assert "Geen koppelbronnen" in note
