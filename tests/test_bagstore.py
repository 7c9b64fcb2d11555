"""The national BAG store: exact cuts, GeoParquet 1.1, ids, Dutch errors."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import shapely

from kansenkaart.core.errors import DataError
from kansenkaart.core.geo import RD, RD_BOUNDS
from kansenkaart.io import bagstore
from kansenkaart.io.bag import read_bag

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "data" / "demo" / "de-punt" / "boundary.geojson"
REAL = ROOT / "tests" / "fixtures" / "real" / "bag"
N = 200_000


def generated_panden(
    n: int, centre: tuple[float, float], seed: int = 7, spread_m: float = 12_000
) -> gpd.GeoDataFrame:
    """Rotated rectangles (5–60 m) within ``spread_m`` of ``centre``, generated.

    Rotation makes a pand's bbox larger than the pand, so a bbox overlap
    alone is not a hit; ids have leading zeros (gemeente 0003).
    """
    rng = np.random.default_rng(seed)
    cx = centre[0] + rng.uniform(-spread_m, spread_m, n)
    cy = centre[1] + rng.uniform(-spread_m, spread_m, n)
    w, h = rng.uniform(5, 60, n), rng.uniform(5, 60, n)
    angle = rng.uniform(0, np.pi / 2, n)
    corners = np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]]) / 2
    dx = corners[None, :, 0] * w[:, None]
    dy = corners[None, :, 1] * h[:, None]
    cos, sin = np.cos(angle)[:, None], np.sin(angle)[:, None]
    coords = np.stack(
        [cx[:, None] + dx * cos - dy * sin, cy[:, None] + dx * sin + dy * cos], axis=-1
    )
    geom = shapely.polygons(coords)
    year = pd.array(rng.integers(1900, 2024, n), dtype="Int64")
    year[::17] = pd.NA
    return gpd.GeoDataFrame(
        {
            "pand_id": [f"0003100{i:09d}" for i in range(n)],
            "construction_year": year,
            "pand_use": np.where(
                np.arange(n) % 3 == 0, "industriefunctie", "kantoorfunctie"
            ),
            "footprint_m2": shapely.area(geom).round(1),
        },
        geometry=geom,
        crs=RD,
    )


@pytest.fixture(scope="module")
def demo_outline() -> gpd.GeoDataFrame:
    return gpd.read_file(DEMO).to_crs(RD)


@pytest.fixture(scope="module")
def store(tmp_path_factory, demo_outline) -> tuple[Path, gpd.GeoDataFrame]:
    c = demo_outline.union_all().centroid
    panden = generated_panden(N, (c.x, c.y))
    path = tmp_path_factory.mktemp("store") / "bag.parquet"
    # Two chunks, as a national build writes them; small row groups.
    half = N // 2
    written = bagstore.write_store(
        [panden.iloc[:half], panden.iloc[half:]], path, row_group_rows=2_048
    )
    assert written == N
    return path, panden


def brute_force(panden: gpd.GeoDataFrame, area) -> set[str]:
    return set(panden.loc[shapely.intersects(panden.geometry.array, area), "pand_id"])


def test_hilbert_index_visits_every_cell_once_in_neighbour_steps():
    n = 16
    i, j = (a.ravel() for a in np.meshgrid(np.arange(n), np.arange(n)))
    x0, y0, x1, y1 = RD_BOUNDS
    d = bagstore.hilbert_index(
        x0 + (i + 0.5) / n * (x1 - x0), y0 + (j + 0.5) / n * (y1 - y0), order=4
    )
    assert sorted(d.tolist()) == list(range(n * n))
    step = np.argsort(d)
    assert (np.abs(np.diff(i[step])) + np.abs(np.diff(j[step])) == 1).all()


def test_cut_returns_exactly_the_panden_that_intersect_the_outline(store, demo_outline):
    path, panden = store
    c = demo_outline.union_all().centroid
    square = shapely.box(c.x + 3_000, c.y - 4_000, c.x + 4_000, c.y - 3_000)
    ring = (
        shapely.Point(c.x - 5_000, c.y + 5_000)
        .buffer(800)
        .difference(shapely.Point(c.x - 5_000, c.y + 5_000).buffer(500))
    )
    for outline in (demo_outline, square, ring):
        area = outline.union_all() if isinstance(outline, gpd.GeoDataFrame) else outline
        got = bagstore.cut(path, outline)
        expected = brute_force(panden, area)
        assert len(expected) > 20
        assert set(got["pand_id"]) == expected
        assert len(got) == len(expected)
        # Pruning works: a 1 km² outline reads a small part of the row groups.
        groups = bagstore.candidate_row_groups(path, shapely.bounds(area))
        total = pq.ParquetFile(path).metadata.num_row_groups
        assert len(groups) < total / 10


def test_cut_takes_an_outline_in_wgs84(store, demo_outline):
    path, panden = store
    got = bagstore.cut(path, demo_outline.to_crs("EPSG:4326"))
    area = demo_outline.union_all()
    # Reprojection moves the edge by well under a millimetre: compare with
    # the brute-force set, allowing only panden touching the edge to differ.
    expected = brute_force(panden, area)
    edge = brute_force(panden, area.boundary.buffer(0.01))
    assert set(got["pand_id"]) ^ expected <= edge


def test_ids_stay_16_digit_text_with_leading_zeros(store, demo_outline):
    path, _ = store
    got = bagstore.cut(path, demo_outline)
    assert got["pand_id"].dtype == "string"
    assert got["pand_id"].str.fullmatch(r"0003\d{12}").all()


def test_store_round_trips_the_columns_the_importer_needs(store):
    path, panden = store
    x0, y0, x1, y1 = panden.total_bounds
    quarter = shapely.box(x0, y0, (x0 + x1) / 2, (y0 + y1) / 2)
    got = bagstore.cut(path, quarter).set_index("pand_id").sort_index()
    want = panden[shapely.intersects(panden.geometry.array, quarter)]
    want = want.set_index("pand_id").sort_index()
    assert list(got.columns) == [
        "construction_year",
        "pand_use",
        "footprint_m2",
        "geometry",
    ]
    assert (got.index == want.index).all()
    pd.testing.assert_series_equal(
        got["construction_year"], want["construction_year"], check_index_type=False
    )
    assert got["construction_year"].isna().sum() > 0
    assert (got["pand_use"] == want["pand_use"]).all()
    assert np.array_equal(got["footprint_m2"], want["footprint_m2"])
    assert shapely.equals_exact(got.geometry.array, want.geometry.array, 0).all()
    assert got.crs.to_epsg() == 28992


def test_store_is_geoparquet_1_1_with_a_bbox_covering(store):
    path, panden = store
    geo = json.loads(pq.ParquetFile(path).metadata.metadata[b"geo"])
    column = geo["columns"]["geometry"]
    assert geo["version"] == "1.1.0"
    assert column["covering"]["bbox"]["xmin"] == ["bbox", "xmin"]
    assert np.allclose(column["bbox"], panden.total_bounds)
    # geopandas reads it as GeoParquet and uses the covering for its bbox filter.
    x, y = panden.total_bounds[:2]
    box = (x, y, x + 4_000, y + 4_000)
    read = gpd.read_parquet(path, bbox=box)
    assert read.crs.to_epsg() == 28992
    # It keeps every pand that intersects and nothing whose bbox misses the box.
    b = shapely.bounds(panden.geometry.array)
    near = (b[:, 0] <= box[2]) & (b[:, 2] >= box[0]) & (b[:, 1] <= box[3])
    near &= b[:, 3] >= box[1]
    assert brute_force(panden, shapely.box(*box)) <= set(read["pand_id"])
    assert set(read["pand_id"]) <= set(panden.loc[near, "pand_id"])


def test_built_from_the_real_lvbag_geopackage_the_cut_holds_the_terrain(tmp_path):
    path = tmp_path / "bag.parquet"
    n = bagstore.build_store([REAL / "lvbag_denhaag.gpkg"], path)
    boundary = gpd.read_file(REAL / "terreingrens_denhaag.geojson").to_crs(RD)
    everything = read_bag([REAL / "lvbag_denhaag.gpkg"]).panden
    assert n == len(everything)
    got = bagstore.cut(path, boundary)
    assert set(got["pand_id"]) == brute_force(everything, boundary.union_all())
    # read_bag keeps a pand when its representative point is inside: a subset.
    inside = read_bag([REAL / "lvbag_denhaag.gpkg"], boundary).panden
    assert set(inside["pand_id"]) <= set(got["pand_id"])
    assert got["pand_id"].str.fullmatch(r"\d{16}").all()


def test_missing_store_is_a_dutch_data_error(tmp_path):
    with pytest.raises(DataError, match="bestaat niet") as err:
        bagstore.cut(tmp_path / "weg.parquet", shapely.box(0, 300_000, 1, 300_001))
    assert "bagstore bouw" in str(err.value)


def test_damaged_store_is_a_dutch_data_error(tmp_path, store):
    path, _ = store
    broken = tmp_path / "kapot.parquet"
    broken.write_bytes(path.read_bytes()[:10_000])
    with pytest.raises(DataError, match="beschadigd"):
        bagstore.cut(broken, shapely.box(0, 300_000, 1, 300_001))
    plain = tmp_path / "gewoon.parquet"
    pq.write_table(pa.table({"pand_id": ["0003100000000001"]}), plain)
    with pytest.raises(DataError, match="beschadigd"):
        bagstore.cut(plain, shapely.box(0, 300_000, 1, 300_001))


def test_outline_outside_the_store_is_a_dutch_data_error(store):
    path, _ = store
    far = shapely.box(10_000, 300_000, 11_000, 301_000)  # Zeeuws-Vlaanderen
    with pytest.raises(DataError, match="buiten het gebied van de BAG-opslag"):
        bagstore.cut(path, far)


def test_cli_builds_a_store_and_cuts_the_terrain(tmp_path, capsys):
    from kansenkaart.cli import main

    store = tmp_path / "bag.parquet"
    out = tmp_path / "panden.gpkg"
    assert main(["bagstore", "bouw", str(REAL / "lvbag_denhaag.gpkg"), str(store)]) == 0
    boundary = REAL / "terreingrens_denhaag.geojson"
    assert main(["bagstore", "knip", str(store), str(boundary), "-o", str(out)]) == 0
    assert len(gpd.read_file(out)) == len(bagstore.cut(store, gpd.read_file(boundary)))
    assert main(["bagstore", "knip", str(tmp_path / "weg.parquet"), str(boundary)]) == 1
    assert "bestaat niet" in capsys.readouterr().err
