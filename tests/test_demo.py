import filecmp

import numpy as np
import pytest
import shapely
from pyproj import Transformer

import kansenkaart as kk
from kansenkaart.io import demo, demo_specs

TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
# Approximate real locations of the pilots (lon, lat), checked on a map.
PILOT_LOCATIONS = {
    "bitseveld-westerd": (6.44, 53.135),  # Roden
    "de-punt": (6.575, 53.107),  # De Punt, Tynaarlo
    "peelerpark-messchenveld": (6.57, 53.015),  # Assen-Noord
    "de-wieken": (6.50, 52.735),  # Hoogeveen
}


@pytest.fixture(scope="module")
def terrains():
    return {tid: kk.load_terrain(f"demo:{tid}") for tid in kk.list_demo_terrains()}


def test_same_seed_gives_identical_files(tmp_path):
    spec = demo_specs.pilot_spec("de-punt")
    a = demo.write_terrain(demo.generate_terrain(spec), tmp_path / "a")
    b = demo.write_terrain(demo.generate_terrain(spec), tmp_path / "b")
    names = sorted(p.name for p in a.iterdir())
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert mismatch == [] and errors == []
    assert len(match) == 7


def test_committed_demo_files_are_what_the_generator_makes(tmp_path):
    demo.write_all(tmp_path)
    for tid in demo_specs.PILOT_IDS:
        names = sorted(p.name for p in (demo.DATA_DIR / "demo" / tid).iterdir())
        _, mismatch, errors = filecmp.cmpfiles(
            demo.DATA_DIR / "demo" / tid, tmp_path / tid, names, shallow=False
        )
        assert mismatch == [] and errors == [], (tid, mismatch)


def test_sizes_match_the_pilots(terrains):
    sizes = {tid: len(t.buildings) for tid, t in terrains.items()}
    assert 140 <= sizes["bitseveld-westerd"] <= 160  # "circa 150 ondernemers"
    assert 30 <= sizes["de-punt"] <= 40  # "circa 35 ondernemers"
    assert sizes["peelerpark-messchenveld"] > 100
    assert 50 <= sizes["de-wieken"] <= 120


def test_terrains_lie_at_the_pilot_locations(terrains):
    for tid, (lon, lat) in PILOT_LOCATIONS.items():
        x, y = TO_RD.transform(lon, lat)
        centre = terrains[tid].boundary.union_all().centroid
        assert centre.distance(shapely.Point(x, y)) < 4_000, tid


def test_buildings_do_not_overlap_and_lie_inside_the_boundary(terrains):
    for tid, t in terrains.items():
        geoms = t.buildings.geometry
        left, right = geoms.sindex.query(geoms, predicate="intersects")
        assert (left == right).all(), f"overlapping buildings in {tid}"
        inside = geoms.within(t.boundary.union_all())
        assert inside.all(), tid


def test_de_punt_has_large_firm_beside_rwzi_and_airport_outside(terrains):
    t = terrains["de-punt"]
    largest = t.buildings.loc[t.buildings["floor_area_m2"].idxmax()]
    assert 4_500 <= largest["floor_area_m2"] <= 5_500  # "pand van 5000m2"
    rwzi = t.sources[t.sources["kind"] == "rwzi"].geometry.iloc[0]
    assert largest.geometry.distance(rwzi) < 300
    airport = t.sources[t.sources["kind"] == "luchthaven"]
    assert airport["name"].iloc[0] == "Groningen Airport Eelde"
    terrain = t.boundary.union_all()
    distance = terrain.distance(airport.geometry.iloc[0])
    assert 0 < distance < 3_000  # just outside the pilot area


def test_de_wieken_is_old_and_uses_more(terrains):
    wieken = terrains["de-wieken"].buildings
    others = terrains["peelerpark-messchenveld"].buildings
    assert wieken["construction_year"].median() < 1985
    per_m2 = lambda b: (b["elec_kwh_yr"] / b["floor_area_m2"]).median()  # noqa: E731
    assert per_m2(wieken) > per_m2(others)


def test_data_has_realistic_gaps_and_variety(terrains):
    b = terrains["bitseveld-westerd"].buildings
    assert 0.3 < b["energy_label"].notna().mean() < 0.8
    assert 0.25 < b["elec_kwh_yr"].notna().mean() < 0.7
    assert set(b["ownership"].dropna()) == {
        "eigenaar-gebruiker",
        "huurder",
        "belegger",
        "onbekend",
    }
    assert set(b["roof_type"]) == {"flat", "pitched"}
    assert (b["pv_kwp_existing"] > 0).sum() > 10
    assert b["energy_label"].nunique() >= 6


def test_survey_covers_about_half_with_consent_flags(terrains):
    for tid, t in terrains.items():
        share = t.survey["building_id"].notna().sum() / len(t.buildings)
        assert 0.3 < share < 0.7, tid
        assert set(t.survey["consent_werksessie"].dropna()) == {True, False}


def test_projects_are_the_real_pmiek_projects(terrains):
    names = set(terrains["de-punt"].projects["name"])
    assert any("Zeijerveen" in n for n in names)
    assert any("Emmen Noord" in n for n in names)
    assert any("Bargermeer" in n for n in names)
    assert any("waterstofbackbone" in n.lower() for n in names)


def test_grid_statuses_are_capaciteitskaart_codes(terrains):
    for t in terrains.values():
        assert t.grid["afname_status"].between(0, 3).all()
        assert t.grid["invoeding_status"].between(0, 3).all()
        assert t.grid.union_all().covers(t.buildings.union_all().buffer(-0.5))


def test_demo_terrains_say_they_are_fictitious(terrains):
    for t in terrains.values():
        assert t.is_demo
        assert "Fictieve demodata" in t.meta["disclaimer"]


def test_synthetic_terrain_of_any_size_is_fast_and_valid(tmp_path):
    import time

    start = time.perf_counter()
    tables = demo.generate_terrain(demo_specs.synthetic_spec(10_000))
    elapsed = time.perf_counter() - start
    assert len(tables["buildings"]) == 10_000
    assert elapsed < 20  # "10,000+ buildings in seconds"; generous for CI
    geoms = tables["buildings"].geometry.to_numpy()
    assert shapely.is_valid(geoms).all()
    left, right = tables["buildings"].sindex.query(geoms, predicate="intersects")
    assert (left == right).all()
    assert np.unique(tables["buildings"]["building_id"]).size == 10_000


def test_synthetic_terrain_is_loaded_and_validated():
    t = demo.synthetic_terrain(300, seed=3)
    assert len(t.buildings) == 300
    assert t.buildings.crs.to_epsg() == 28992
    assert t.is_demo
    assert str(t.buildings["floor_area_m2"].dtype) == "Float64"


def test_addresses_are_unique_within_a_terrain(terrains):
    for tid, t in terrains.items():
        keys = t.buildings["postcode"] + " " + t.buildings["house_number"]
        assert keys.is_unique, tid
        assert t.buildings["address"].is_unique, tid
