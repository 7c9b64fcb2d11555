"""The binary data of the WebGL map (views/deckdata.py) on tiny hand-made terrains."""

from __future__ import annotations

import gzip

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import MultiPolygon, Polygon, box

from kansenkaart.core import texts
from kansenkaart.core.geo import RD
from kansenkaart.views import colors, deckdata, legend, mapdata

X, Y = 233_000.0, 557_000.0  # RD New, north of Assen
SQUARE = box(X, Y, X + 20, Y + 20)
L_CORNERS = [(40, 0), (80, 0), (80, 10), (50, 10), (50, 40), (40, 40)]
L_SHAPE = Polygon([(X + dx, Y + dy) for dx, dy in L_CORNERS])
COURTYARD = Polygon(
    box(X + 100, Y, X + 160, Y + 60).exterior.coords,
    [box(X + 120, Y + 20, X + 140, Y + 40).exterior.coords],
)
TWO_HALLS = MultiPolygon(
    [box(X, Y + 100, X + 30, Y + 120), box(X + 50, Y + 100, X + 80, Y + 130)]
)


def frame(shapes, **columns) -> gpd.GeoDataFrame:
    n = len(shapes)
    data = {
        "building_id": [f"b{i}" for i in range(n)],
        "address": [f"Industrieweg {i + 1}, Assen" for i in range(n)],
        "company": [f"Bedrijf {i}" for i in range(n)],
    }
    data.update(columns)
    return gpd.GeoDataFrame(data, geometry=list(shapes), crs=RD)


def unpack(geom: deckdata.DeckGeometry) -> dict[str, np.ndarray]:
    """The packed arrays read back as the browser reads them."""
    arrays = geom.arrays
    ring_starts = np.frombuffer(arrays["ring_starts"], "<u4")
    polygon_starts = (
        np.frombuffer(arrays["polygon_starts"], "<u4")
        if "polygon_starts" in arrays
        else ring_starts
    )
    counts = np.frombuffer(arrays["triangle_counts"], "<u4")
    width = len(arrays["triangles"]) // (3 * int(counts.sum()))
    local = np.frombuffer(arrays["triangles"], f"<u{width}").astype(np.int64)
    n_polygons = len(polygon_starts) - 1
    building = (
        np.frombuffer(arrays["polygon_building"], "<u4")
        if "polygon_building" in arrays
        else np.arange(n_polygons)
    )
    return {
        "positions": np.frombuffer(arrays["positions"], "<f4").reshape(-1, 2),
        "polygon_starts": polygon_starts,
        "ring_starts": ring_starts,
        "indices": local + np.repeat(polygon_starts[:-1], 3 * counts),
        "polygon_building": building,
        "width": width,
    }


def triangle_area(positions: np.ndarray, indices: np.ndarray) -> float:
    a, b, c = (positions[indices[k::3]].astype(float) for k in range(3))
    cross = (b[:, 0] - a[:, 0]) * (c[:, 1] - a[:, 1]) - (b[:, 1] - a[:, 1]) * (
        c[:, 0] - a[:, 0]
    )
    return float(np.abs(cross).sum() / 2)


def test_vertices_are_the_reprojected_outline_as_offsets_from_the_origin():
    a = frame([SQUARE, L_SHAPE])
    geom = deckdata.geometry(a)
    got = unpack(geom)
    wgs = a.to_crs("EPSG:4326").geometry
    expected = np.vstack([np.asarray(g.exterior.coords)[:-1] for g in wgs])
    absolute = got["positions"].astype(float) + np.asarray(geom.origin)
    # float32 offsets keep about 1e-7 degree (1 cm): well within the 0,5 m
    # the folium maps simplify with.
    np.testing.assert_allclose(absolute, expected, atol=2e-7)
    assert got["ring_starts"].tolist() == [0, 4, 10]
    assert geom.n_buildings == 2


def test_triangles_cover_each_polygon_exactly_holes_and_concave_corners_included():
    a = frame([L_SHAPE, COURTYARD])
    geom = deckdata.geometry(a)
    got = unpack(geom)
    for position, shape in enumerate(a.to_crs("EPSG:4326").geometry):
        start, stop = got["polygon_starts"][position : position + 2]
        counts = np.frombuffer(geom.arrays["triangle_counts"], "<u4")
        first = 3 * int(counts[:position].sum())
        own = got["indices"][first : first + 3 * int(counts[position])]
        assert ((own >= start) & (own < stop)).all(), "a polygon's own vertices"
        assert triangle_area(got["positions"], own) == pytest.approx(shape.area, 1e-5)
    # The courtyard (a hole) has two rings: the layout sends polygon starts.
    assert "polygon_starts" in geom.arrays
    assert got["polygon_starts"].tolist() == [0, 6, 14]
    assert got["ring_starts"].tolist() == [0, 6, 10, 14]


def test_a_multipolygon_gives_two_polygons_of_the_same_building():
    a = frame([SQUARE, TWO_HALLS])
    got = unpack(deckdata.geometry(a))
    assert got["polygon_building"].tolist() == [0, 1, 1]


def test_simple_terrains_leave_out_what_the_browser_can_derive():
    geom = deckdata.geometry(frame([SQUARE, L_SHAPE]))
    assert not {"polygon_starts", "polygon_building", "ring_building"} & set(
        geom.arrays
    )
    assert unpack(geom)["width"] == 1  # corner numbers under 256: one byte each


def test_an_empty_geometry_is_not_drawn_and_keeps_the_row_numbers():
    a = frame([SQUARE, Polygon(), L_SHAPE])
    got = unpack(deckdata.geometry(a))
    assert got["polygon_building"].tolist() == [0, 2]


def test_texts_round_trip_as_plain_text_for_textcontent():
    hostile = ['<script>alert("x")</script>', "Café & Zn. {{ 7*7 }}", ""]
    block = deckdata.text_column(hostile)
    assert deckdata.read_text_column(block) == hostile
    missing = deckdata.text_column(["a", None, float("nan"), pd.NA, "b"])
    assert deckdata.read_text_column(missing) == ["a", "", "", "", "b"]
    a = frame([SQUARE, L_SHAPE, COURTYARD], company=hostile)
    geom = deckdata.geometry(a)
    companies = gzip.decompress(geom.arrays["companies.gz"])
    assert deckdata.read_text_column(companies) == hostile  # not HTML-escaped


def test_tooltip_lines_are_the_plain_lines_the_folium_tooltip_escapes():
    lines = ["<b>Bron</b> & co", '<img src=x onerror="alert(1)">', "{{ 7*7 }}"]
    tip = mapdata.tip(*lines)
    assert "<img" not in tip  # folium gets it escaped ...
    assert deckdata.tip_lines(tip) == lines  # ... the WebGL map as plain text


def test_layer_colours_and_counts_are_those_of_the_legend():
    labels = ["A", "C", "G", None, "B"]
    a = frame(
        [box(X + 30 * i, Y, X + 30 * i + 20, Y + 20) for i in range(5)],
        energy_label=pd.array(labels, dtype="string"),
    )
    spec = legend.theme_spec(a, "energy_label")
    meta, arrays = deckdata.layer("thema", spec)
    codes = np.frombuffer(arrays["codes:thema"], "<i2")
    table = legend.legend_table(spec)
    for row in table.itertuples(index=False):
        klass = meta["labels"].index(row.klasse)
        assert int((codes == klass).sum()) == row.aantal
        r, g, b, alpha = meta["fill"][klass]
        assert f"#{r:02x}{g:02x}{b:02x}" == row.kleur
        assert alpha == round(255 * deckdata.FILL_ALPHA)
    # The energy label colours of the RVO label (colors.ENERGY_LABEL).
    g_class = meta["labels"].index("G")
    assert meta["fill"][g_class][:3] == [0xE2, 0x00, 0x1A]
    assert meta["labels"][codes[3]] == texts.UNKNOWN


def test_an_outline_layer_draws_only_its_buildings_in_its_own_colour():
    n = 4
    codes = np.array([-1, 0, -1, 0])
    spec = legend.LayerSpec(
        "Binnen bereik van een koppelbron",
        ("binnen bereik",),
        (colors.REACH,),
        codes,
        estimated=np.zeros(n, dtype=bool),
        outline=True,
        weight=2,
    )
    meta, arrays = deckdata.layer("bereik", spec)
    assert np.frombuffer(arrays["codes:bereik"], "<i2").tolist() == [-1, 0, -1, 0]
    assert meta["fill"] == [[0, 0, 0, 0]]
    assert meta["line"] == [[0x00, 0xA6, 0xD6, 255]]
    assert meta["width"] == 2 and meta["outline"]


def test_presentation_mode_hides_the_energy_use_of_companies_without_consent():
    a = frame(
        [SQUARE, L_SHAPE],
        demand_kwh_yr=[1_200_000.0, 80_000.0],
        consent_werksessie=[False, True],
    )
    hidden = legend.hidden_mask(a, True)
    meta, arrays = deckdata.layer("thema", legend.theme_spec(a, "energy_total", hidden))
    codes = np.frombuffer(arrays["codes:thema"], "<i2")
    assert meta["labels"][codes[0]] == legend.HIDDEN_LABEL
    values = deckdata.read_text_column(gzip.decompress(arrays["values:thema.gz"]))
    assert values[0] == legend.HIDDEN_VALUE
    assert "1.200" not in values[0] and "1200" not in "".join(values[:1])
    assert values[1].startswith("80 MWh")
    # Without presentation mode the same building shows its figure.
    meta, arrays = deckdata.layer("thema", legend.theme_spec(a, "energy_total"))
    values = deckdata.read_text_column(gzip.decompress(arrays["values:thema.gz"]))
    assert values[0].startswith("1.200 MWh")


def test_the_same_layers_give_the_same_bytes_at_every_run():
    """The map recolours when its digest of the layer bytes changes: the
    gzipped texts carry no time stamp (gzip header bytes 4-7, RFC 1952),
    so a rerun with the same data does not redraw the whole map."""
    a = frame([SQUARE, L_SHAPE], demand_kwh_yr=[1_200_000.0, 80_000.0])
    _, arrays = deckdata.layer("thema", legend.theme_spec(a, "energy_total"))
    geom = deckdata.geometry(a)
    for block in (arrays["values:thema.gz"], geom.arrays["addresses.gz"]):
        assert block[4:8] == b"\0\0\0\0"


def test_view_sends_the_geometry_once_and_every_layer():
    a = frame([SQUARE, L_SHAPE])
    geom = deckdata.geometry(a)
    spec = legend.theme_spec(a, "energy_label")
    data = mapdata.MapData(
        buildings_js="",
        n_buildings=2,
        bounds=[[52.9, 6.5], [53.1, 6.7]],
        centers=np.zeros((2, 2)),
        boundary=None,
        grid=None,
        rings=None,
        source_areas=None,
        source_points=[],
        reach=spec,
        solar=spec,
        grid_counts=pd.DataFrame(),
        reach_counts=pd.DataFrame(),
    )
    meta, arrays = deckdata.view(
        geom, [("thema", spec)], deckdata.overlays(data), optional=[("zon", spec)]
    )
    assert [(m["key"], m["off"]) for m in meta["layers"]] == [
        ("thema", False),
        ("zon", True),
    ]
    assert meta["bounds"] == [[6.5, 52.9], [6.7, 53.1]]  # west-south, east-north
    assert {"positions", "codes:thema", "codes:zon", "addresses.gz"} <= set(arrays)
    assert meta["grid"] is None and meta["points"] == []


@pytest.mark.parametrize(
    ("choice", "n", "webgl"),
    [
        ("auto", deckdata.WEBGL_FROM_BUILDINGS - 1, False),
        ("auto", deckdata.WEBGL_FROM_BUILDINGS, True),
        ("standaard", 100_000, False),
        ("snel", 35, True),
    ],
)
def test_the_map_choice(choice, n, webgl):
    assert deckdata.use_webgl(choice, n) is webgl


def test_geometry_does_not_change_its_input():
    a = frame([SQUARE, COURTYARD])
    before = shapely.to_wkb(a.geometry.to_numpy())
    deckdata.geometry(a)
    assert (shapely.to_wkb(a.geometry.to_numpy()) == before).all()
    assert a.crs == RD
