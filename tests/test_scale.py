"""Province scale: the fast paths of the engine and the exports give what a
straightforward reference gives (brute-force distances, per-value formats,
the opportunity list), on the demo terrains and a 2,000-building terrain."""

from __future__ import annotations

import io
import itertools
import zipfile

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pytest
import shapely

import kansenkaart as kk
from kansenkaart.core import fmt
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine import coupling, grid, groups
from kansenkaart.engine.opportunities import opportunity_list
from kansenkaart.io import demo
from kansenkaart.io.demo_specs import PILOT_IDS
from kansenkaart.views import export, selection

DISTANCE_M = DEFAULT.hub_neighbour_m.value


@pytest.fixture(scope="module")
def large():
    return kk.analyse(demo.synthetic_terrain(export.REPORT_MAX_BUILDINGS + 1))


def brute_components(geoms, distance_m, key=None) -> np.ndarray:
    """Components by every pairwise distance and a breadth-first walk."""
    n = len(geoms)
    near = shapely.distance(geoms[:, None], geoms[None, :]) <= distance_m
    if key is not None:
        near &= key[:, None] == key[None, :]
    labels = np.full(n, -1)
    for start in range(n):
        if labels[start] >= 0:
            continue
        labels[start], todo = start, [start]
        while todo:
            for other in np.flatnonzero(near[todo.pop()] & (labels < 0)):
                labels[other] = start
                todo.append(other)
    return labels


@pytest.mark.parametrize("terrain_id", PILOT_IDS)
def test_neighbour_links_equal_brute_force_distances_on_the_demo_terrains(
    terrain_id,
):
    buildings = kk.load_terrain(f"demo:{terrain_id}").buildings
    geoms = buildings.geometry.to_numpy()
    for distance_m in (0.0, 25.0, DISTANCE_M, 400.0):
        expected = brute_components(geoms, distance_m)
        assert coupling.linked(geoms, distance_m).tolist() == expected.tolist()
    key = np.array(["a", "b"], dtype=object)[(np.arange(len(geoms)) % 3 == 0) * 1]
    assert (
        coupling.linked(geoms, DISTANCE_M, key).tolist()
        == brute_components(geoms, DISTANCE_M, key).tolist()
    )


def test_neighbour_links_equal_brute_force_on_2000_buildings_and_odd_shapes():
    terrain = demo.synthetic_terrain(2_000)
    geoms = terrain.buildings.geometry.to_numpy()
    # An L-shaped hall whose first vertex is far from its neighbour's: only
    # the exact distance links them (a vertex test alone would not).
    ell = shapely.Polygon([(0, 0), (300, 0), (300, 10), (10, 10), (10, 300), (0, 300)])
    odd = np.array([ell, shapely.box(290, 60, 320, 90), shapely.Polygon()], object)
    for shapes in (geoms, odd):
        for distance_m in (DISTANCE_M,) if shapes is geoms else (DISTANCE_M, 60.0):
            assert (
                coupling.linked(shapes, distance_m).tolist()
                == brute_components(shapes, distance_m).tolist()
            )
    assert coupling.linked(odd, 60.0).tolist() == [0, 0, 2]


def test_links_within_and_across_keys_from_one_search_equal_brute_force():
    # A (key a) – B (key b) – C (key a) in a row, 50 m apart; D (key a) far.
    # Within a key A and C are 110 m apart (no link); across keys B chains
    # all three. Then the 2,000-building terrain with keys in stripes.
    row = np.array(
        [shapely.box(x, 0, x + 10, 10) for x in (0, 60, 120, 900)], dtype=object
    )
    by_key, whole = coupling.linked_levels(
        row, DISTANCE_M, np.array(["a", "b", "a", "a"], object)
    )
    assert by_key.tolist() == [0, 1, 2, 3]
    assert whole.tolist() == [0, 0, 0, 3]
    geoms = demo.synthetic_terrain(2_000).buildings.geometry.to_numpy()
    key = np.array(["a", "b", "c"], dtype=object)[np.arange(len(geoms)) // 7 % 3]
    by_key, whole = coupling.linked_levels(geoms, DISTANCE_M, key)
    assert by_key.tolist() == brute_components(geoms, DISTANCE_M, key).tolist()
    assert whole.tolist() == brute_components(geoms, DISTANCE_M).tolist()
    assert len(set(by_key)) > len(set(whole))  # the keys do split chains


def test_components_give_the_smallest_node_of_each_component():
    rng = np.random.default_rng(3)
    i, j = rng.integers(0, 300, 250), rng.integers(0, 300, 250)
    # The same graph as points on a line: node k at x = 10 k, linked where
    # the graph has an edge, through an edge-only distance (0 or 1000 m).
    linked = np.full((300, 300), 1000.0)
    linked[i, j] = linked[j, i] = 0.0
    reference = np.full(300, -1)
    for start in range(300):
        if reference[start] < 0:
            todo, reference[start] = [start], start
            while todo:
                step = np.flatnonzero((linked[todo.pop()] == 0) & (reference < 0))
                reference[step] = start
                todo += step.tolist()
    assert coupling.components(300, i, j).tolist() == reference.tolist()
    chain = coupling.components(6, np.arange(5)[::-1], np.arange(1, 6)[::-1])
    assert chain.tolist() == [0] * 6


def test_hub_clusters_on_2001_buildings_match_brute_force(large):
    b = large.buildings
    eligible = grid.congested(b["grid_afname_status"], b["grid_invoeding_status"])
    members = np.flatnonzero(eligible)
    labels = brute_components(b.geometry.to_numpy()[members], DISTANCE_M)
    sizes = pd.Series(labels).map(pd.Series(labels).value_counts()).to_numpy()
    expected = np.full(len(b), 0)
    expected[members] = np.where(sizes >= 2, sizes, 0)
    got = b["hub_cluster_size"].fillna(0).to_numpy(int)
    assert got.tolist() == expected.tolist()
    assert eligible.sum() > 100 and (got >= 2).sum() > 100  # the check can fail


def test_column_numbers_read_as_one_number_at_a_time():
    values = pd.Series(
        [np.nan, np.inf, -0.3, -0.0, 0.5, 1.5, 2.5, 1234567.891, None, 12.345],
        dtype="Float64",
    )
    for decimals, unit in itertools.product((0, 1, 2), ("", "kWp", "m²")):
        expected = [fmt.number(v, decimals, unit) for v in values]
        assert fmt.numbers(values, decimals, unit).tolist() == expected
    assert fmt.numbers(pd.Series([1234.5]), 1, "kWh").tolist() == ["1.234,5 kWh"]
    assert fmt.numbers(pd.Series([], dtype=float)).tolist() == []


def test_group_figures_are_the_sums_of_the_opportunity_list(large):
    table = large.groups
    rows = opportunity_list(large)
    own = table[~table["measure_id"].isin(list(groups.FIGURE_BASIS))]
    assert len(own) >= 4
    for g in own.itertuples():
        mine = rows[
            rows["building_id"].isin(g.member_ids) & rows["measure_id"].eq(g.measure_id)
        ]
        assert len(mine) == g.n_companies == len(g.member_ids)
        expected = mine["kwp"].sum(min_count=1)
        assert (pd.isna(expected) and pd.isna(g.kwp)) or g.kwp == pytest.approx(
            expected
        )
    membership = large.buildings.set_index("building_id")[groups.COLUMN]
    for g in table.itertuples():
        inside = [b for b, ids in membership.items() if g.group_id in ids]
        assert sorted(inside) == sorted(g.member_ids)
        assert g.name.startswith(f"{g.measure_name} – groep ")


def test_excel_of_2001_buildings_holds_every_row(large):
    sel = selection.select(large)
    data = export.to_xlsx(sel)
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    gebouwen = list(wb["Gebouwen"].iter_rows(values_only=True))
    assert len(gebouwen) == len(sel.buildings) + 1
    header = gebouwen[0]
    ids = [r[header.index("BAG-pand-id")] for r in gebouwen[1:]]
    assert ids == sel.buildings["building_id"].astype(str).tolist()
    floor = [r[header.index("Gebruiksoppervlakte (m²)")] for r in gebouwen[1:]]
    assert floor == sel.buildings["floor_area_m2"].astype(float).tolist()
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        sheet = wb["Kansen per bedrijf"]._worksheet_path
        rows = package.read(sheet.lstrip("/")).count(b"<row ")
    assert rows == len(sel.opportunities) + 1 > 5_000


def test_geoparquet_holds_the_buildings_layer_of_the_geopackage(large):
    sel = selection.select(large)
    layer = gpd.read_parquet(io.BytesIO(export.to_geoparquet(sel)))
    expected = export.gis_frame(sel)
    assert layer.crs.to_epsg() == 28992
    assert list(layer.columns) == list(expected.columns)
    assert layer["bag_pand_id"].tolist() == expected["bag_pand_id"].tolist()
    assert layer["bag_pand_id"].str.len().eq(16).all()


def test_html_report_of_a_large_terrain_summarises(large):
    assert len(large.buildings) > export.REPORT_MAX_BUILDINGS
    page = export.to_html(selection.select(large)).decode("utf-8")
    assert "dit rapport vat daarom samen" in page
    assert "<iframe" not in page and "<h2>Kansen per bedrijf</h2>" not in page
    assert "<h2>Kansen per maatregel</h2>" in page
    assert len(page) < 500_000


def test_box_pairs_are_the_pairs_of_a_search_tree():
    """The sweep gives the pairs a search tree of the boxes gives, ties at
    exactly the distance included (a grid of 20 m squares 10 m apart)."""
    rng = np.random.default_rng(7)
    xs, ys = (np.arange(120) % 11) * 30.0, (np.arange(120) // 11) * 30.0
    grid_boxes = shapely.box(xs, ys, xs + 20, ys + 20)
    centres = shapely.points(rng.uniform(0, 1500, (300, 2)))
    shapes = shapely.buffer(centres, rng.lognormal(2.5, 1, 300), quad_segs=2)
    shapes[5] = shapely.Polygon()  # an empty geometry has no pairs
    for geoms, distance_m in ((grid_boxes, 10.0), (shapes, 50.0), (shapes, 0.0)):
        box = shapely.bounds(geoms)
        grown = shapely.box(
            *(np.nan_to_num(box) + np.array([-1, -1, 1, 1]) * distance_m).T
        )
        i, j = shapely.STRtree(geoms).query(grown)
        keep = i < j
        i, j = i[keep], j[keep]
        gap_x = np.maximum(box[i, 0] - box[j, 2], box[j, 0] - box[i, 2]).clip(min=0)
        gap_y = np.maximum(box[i, 1] - box[j, 3], box[j, 1] - box[i, 3]).clip(min=0)
        near = np.hypot(gap_x, gap_y) <= distance_m
        expected = set(zip(i[near].tolist(), j[near].tolist(), strict=True))
        found = coupling.box_pairs(box, distance_m)
        assert set(zip(*(p.tolist() for p in found), strict=True)) == expected
        assert len(found[0]) == len(expected)  # each pair once
        assert (found[0] < found[1]).all()
    assert len(expected) > 100  # the shapes do touch
