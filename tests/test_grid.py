"""Grid capacity per building, energy clusters and the pMIEK traffic light."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kansenkaart.core import pmiek
from kansenkaart.core import schema as sch
from kansenkaart.engine import grid
from tests.engine_fixtures import X0, Y0, buildings, layer, rect, terrain

PMIEK = Path(__file__).resolve().parents[1] / "data" / "pmiek_projects.csv"


@pytest.mark.parametrize(
    ("planned", "lower", "upper", "light"),
    [
        ("2030-06-01", "2031-01-01", "2033-12-31", "Op planning"),
        ("2031-01-01", "2031-01-01", "2033-12-31", "Op planning"),  # at lower bound
        ("2031-01-02", "2031-01-01", "2033-12-31", "Risico op vertraging"),
        ("2033-12-31", "2031-01-01", "2033-12-31", "Risico op vertraging"),
        ("2034-01-01", "2031-01-01", "2033-12-31", "Vertraagd"),
        (None, "2031-01-01", "2033-12-31", "Onbekend"),  # no planned IBN
        ("2032-01-01", "2031-01-01", None, "Onbekend"),  # after lower, no upper
        ("2030-01-01", "2031-01-01", None, "Op planning"),
        ("2035-01-01", None, "2033-12-31", "Vertraagd"),
        ("2032-01-01", None, "2033-12-31", "Onbekend"),  # before upper, no lower
        ("2035-01-01", None, None, "Onbekend"),
        ("2031", "2031", "2033", "Op planning"),  # years read as 1 January
    ],
)
def test_traffic_light(planned, lower, upper, light):
    assert grid.traffic_light(planned, lower, upper) == light


def test_traffic_light_takes_timestamps_and_na():
    assert (
        grid.traffic_light(
            pd.Timestamp("2034-06-01"), pd.NaT, pd.Timestamp("2033-12-31")
        )
        == "Vertraagd"
    )
    assert grid.traffic_light(pd.NA, None, None) == "Onbekend"


def test_vectorised_traffic_lights_match_the_scalar_version():
    planned = pd.Series(["2030-01-01", "2032-01-01", "2035-01-01", None])
    lower = pd.Series(["2031-01-01"] * 4)
    upper = pd.Series(["2033-12-31"] * 4)
    lights = grid.traffic_lights(planned, lower, upper)
    assert lights.tolist() == [
        grid.traffic_light(p, lo, up)
        for p, lo, up in zip(planned, lower, upper, strict=True)
    ]
    assert str(lights.dtype) == "string"


def _pmiek() -> pd.DataFrame:
    raw = pd.read_csv(PMIEK, dtype=str, keep_default_na=False)
    return sch.validate(raw, sch.PROJECTS, "pmiek_projects.csv")


def test_real_pmiek_projects_of_cluster_c():
    projects = grid.cluster_projects(_pmiek(), "C")
    assert {"emmen-noord-110-20kv", "emmen-waterstofbackbone-aftakking"} <= set(
        projects["project_id"]
    )
    assert set(projects["cluster"]) == {"C"}
    # Emmen Noord has a range (TenneT 2031–2033) but no planned IBN in the seed.
    noord = projects.set_index("project_id").loc["emmen-noord-110-20kv"]
    assert noord["traffic_light"] == "Onbekend"


def test_projects_listing_the_municipality_join_the_terrain():
    # Restwarmte Attero spans Assen, Midden-Drenthe and Hoogeveen (no cluster).
    projects = grid.cluster_projects(_pmiek(), "D", "Hoogeveen")
    assert "restwarmte-attero" in set(projects["project_id"])
    assert "restwarmte-attero" not in set(
        grid.cluster_projects(_pmiek(), "D")["project_id"]
    )


@pytest.mark.parametrize(
    ("municipality", "cluster"),
    [
        ("Tynaarlo", "A"),
        ("Assen", "A"),
        ("Noordenveld", "A"),
        ("Midden-Drenthe", "A"),
        ("Borger-Odoorn", "B"),
        ("Aa en Hunze", "B"),
        ("Emmen", "C"),
        ("Coevorden", "C"),
        ("Meppel", "D"),
        ("Hoogeveen", "D"),
        ("De Wolden", "D"),
        ("Westerveld", "D"),
        (" hoogeveen ", "D"),
        ("Groningen", None),
        (None, None),
    ],
)
def test_cluster_of_municipality(municipality, cluster):
    assert pmiek.cluster_of(municipality) == cluster


def test_terrain_cluster_from_meta_or_municipality():
    assert grid.terrain_cluster(terrain([{}], meta={"cluster": "B"})) == "B"
    assert grid.terrain_cluster(terrain([{}], meta={"municipality": "Emmen"})) == "C"
    assert grid.terrain_cluster(terrain([{}], meta={})) is None


def test_terrain_projects_uses_the_terrain_cluster():
    t = terrain([{}], meta={"municipality": "Coevorden"})
    t = dataclasses.replace(t, projects=_pmiek())
    assert set(grid.terrain_projects(t)["cluster"]) == {"C"}


def test_capacity_of_the_area_each_building_is_in():
    b = buildings(
        [
            {"geometry": rect(X0 + 10, Y0 + 10, 20, 20)},
            {"geometry": rect(X0 + 110, Y0 + 10, 20, 20)},
            {"geometry": rect(X0 + 510, Y0 + 10, 20, 20)},  # outside every area
        ]
    )
    areas = layer(
        [
            {
                "area_id": "west",
                "afname_status": 0,
                "invoeding_status": 1,
                "geometry": rect(X0, Y0, 100, 100),
            },
            {
                "area_id": "oost",
                "afname_status": 2,
                "invoeding_status": 3,
                "geometry": rect(X0 + 100, Y0, 100, 100),
            },
        ],
        sch.GRID,
    )
    out = grid.capacity(b, areas)
    assert out["grid_area_id"].tolist() == ["west", "oost", pd.NA]
    assert out["grid_afname_status"].tolist() == [0, 2, pd.NA]
    assert out["grid_invoeding_status"].tolist() == [1, 3, pd.NA]
    assert str(out["grid_afname_status"].dtype) == "Int64"


def test_overlapping_areas_give_the_worst_status():
    b = buildings([{"geometry": rect(X0 + 10, Y0 + 10, 20, 20)}])
    areas = layer(
        [
            {
                "area_id": "a",
                "afname_status": 1,
                "invoeding_status": 0,
                "geometry": rect(X0, Y0, 100, 100),
            },
            {
                "area_id": "b",
                "afname_status": 0,
                "invoeding_status": 2,
                "geometry": rect(X0, Y0, 50, 50),
            },
        ],
        sch.GRID,
    )
    out = grid.capacity(b, areas).iloc[0]
    assert (out["grid_afname_status"], out["grid_invoeding_status"]) == (1, 2)


def test_no_grid_layer_leaves_the_status_unknown():
    out = grid.capacity(buildings([{}]), layer([], sch.GRID))
    assert out.isna().all().all()


def test_congested_means_either_status_at_least_one():
    afname = pd.Series([0, 1, 0, None], dtype="Int64")
    invoeding = pd.Series([0, 0, 3, None], dtype="Int64")
    assert grid.congested(afname, invoeding).tolist() == [False, True, True, False]
    assert isinstance(grid.congested(afname, invoeding), np.ndarray)
