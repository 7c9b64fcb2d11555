"""Hostile terrain files: tables, GeoPackages, terrain.json, places abroad."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import kansenkaart as kk
from kansenkaart.core.limits import ID_CHARS, MAX_BUILDINGS, MAX_CELL_CHARS
from tests.conftest import RD_CSV, geojson, square
from tests.hostile.conftest import finished, refused

HEADER, FIRST, *REST = RD_CSV.strip().splitlines()


def write_csv(folder, first_row: str = FIRST, extra: str = "") -> None:
    text = "\n".join([HEADER, first_row, *REST]) + "\n" + extra
    (folder / "buildings.csv").write_text(text, encoding="utf-8")


# --- CSV cells -----------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "1e309",
        "-1e309",
        "inf",
        "-inf",
        "Infinity",
        "nan",
        "NaN",
        "9" * 400,
        "1" + "0" * 4400,
        "twaalf",
        "0x1F",
        "1,2,3",
        "--5",
        "١٢٣",
    ],
)
def test_a_number_cell_that_is_no_number_in_range_is_refused(csv_terrain, value):
    write_csv(csv_terrain, FIRST.replace("180,5", value))
    error = refused(lambda: kk.load_terrain(csv_terrain), "buildings.csv")
    assert error.problems[0].column == "floor_area_m2"
    assert error.problems[0].row == 2


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x1b", "\x7f\x00"])
def test_a_control_character_late_in_a_csv_is_refused(csv_terrain, char):
    # Past the first 4 kB, where the binary check looks: line 155.
    padding = "".join(
        f"{r};Weg;9403 AB;{r};Firma;1;POINT(233000 557000)\n" for r in range(100, 250)
    )
    write_csv(csv_terrain, extra=padding + f"9;Weg;9403 AB;9;Bak{char}ker;1;\n")
    error = refused(lambda: kk.load_terrain(csv_terrain), "buildings.csv")
    assert error.problems[0].row == 155


@pytest.mark.parametrize("length", [MAX_CELL_CHARS + 1, 100_000])
def test_an_over_long_text_cell_is_refused(csv_terrain, length):
    write_csv(csv_terrain, FIRST.replace("Bakker Metaal", "B" * length))
    error = refused(lambda: kk.load_terrain(csv_terrain), "buildings.csv", "de grens")
    assert error.problems[0].column == "company"


def test_an_id_longer_than_the_records_keep_is_refused(csv_terrain):
    write_csv(csv_terrain, FIRST.replace("0106100000000001", "1" * (ID_CHARS + 1)))
    error = refused(lambda: kk.load_terrain(csv_terrain), "buildings.csv")
    assert error.problems[0].column == "building_id"
    assert f"de grens is {ID_CHARS}" in str(error)


def test_a_geojson_with_hostile_property_types_is_refused(tmp_path):
    features = [
        square(233000, 557000, 10, {"building_id": "a", "floor_area_m2": [1, 2]}),
        square(233020, 557000, 10, {"building_id": {"x": 1}, "floor_area_m2": 1e308}),
        square(233040, 557000, 10, {"building_id": "c\u0000", "company": "x" * 5000}),
    ]
    (tmp_path / "buildings.geojson").write_text(geojson(features), "utf-8")
    refused(lambda: kk.load_terrain(tmp_path), "buildings.geojson")


def test_a_geojson_with_deep_nesting_is_refused(tmp_path):
    (tmp_path / "buildings.geojson").write_text("[" * 100_000 + "]" * 100_000)
    refused(lambda: kk.load_terrain(tmp_path), "buildings.geojson")


@pytest.mark.parametrize(
    "content", [b"PK\x03\x04" + b"\0" * 200, b"<html>geen excel</html>", b"PK"]
)
def test_a_broken_xlsx_is_refused(tmp_path, content):
    (tmp_path / "buildings.xlsx").write_bytes(content)
    refused(lambda: kk.load_terrain(tmp_path), "buildings.xlsx")


def test_an_xlsx_with_wrong_types_and_huge_numbers_is_refused(tmp_path):
    pd.DataFrame(
        {
            "building_id": ["1", "2"],
            "floor_area_m2": [float("inf"), 1e300],
            "wkt": ["POINT(233000 557000)"] * 2,
        }
    ).to_excel(tmp_path / "buildings.xlsx", index=False)
    refused(lambda: kk.load_terrain(tmp_path), "buildings.xlsx")


# --- size -------------------------------------------------------------------------


def test_more_buildings_than_the_limit_in_a_geojson_are_refused_unread(tmp_path):
    features = [
        square(
            233000 + 3 * (i % 500), 557000 + 3 * (i // 500), 2, {"building_id": str(i)}
        )
        for i in range(MAX_BUILDINGS + 1)
    ]
    (tmp_path / "buildings.geojson").write_text(geojson(features), "utf-8")
    error = refused(lambda: kk.load_terrain(tmp_path), "buildings.geojson", limit_s=5)
    assert "100.001 objecten; de grens is 100.000" in str(error)


def test_more_buildings_than_the_limit_in_a_csv_are_refused(csv_terrain):
    rows = "".join(
        f"{i};Weg;9403 AB;1;F;1;POINT({233000 + i % 900} {557000 + i // 900})\n"
        for i in range(MAX_BUILDINGS)
    )
    write_csv(csv_terrain, extra=rows)
    refused(
        lambda: kk.load_terrain(csv_terrain), "buildings.csv", "de grens is 100.000"
    )


# --- GeoPackage ------------------------------------------------------------------


def test_a_geopackage_without_the_buildings_layer_lists_its_layers(demo_copy, tmp_path):
    buildings = kk.load_terrain(demo_copy).buildings
    folder = tmp_path / "gpkg"
    folder.mkdir()
    path = folder / "buildings.gpkg"
    buildings.to_file(path, layer="panden", driver="GPKG")
    buildings.head(1).to_file(path, layer="wegen", driver="GPKG")
    error = refused(lambda: kk.load_terrain(folder), "buildings.gpkg")
    assert "geen laag 'buildings'; lagen: 'panden', 'wegen'" in str(error)


@pytest.mark.parametrize("content", [b"SQLite format 3\0" + b"\0" * 500, b"{}"])
def test_a_geopackage_that_is_none_is_refused(tmp_path, content):
    (tmp_path / "buildings.gpkg").write_bytes(content)
    refused(lambda: kk.load_terrain(tmp_path), "buildings.gpkg")


# --- terrain.json ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"demo": "nee"}, "'demo' moet true of false zijn"),
        ({"demo": 0}, "'demo' moet true of false zijn"),
        ({"id": 5}, "'id' moet tekst zijn"),
        ({"name": ["De Punt"]}, "'name' moet tekst zijn"),
        ({"seed": True}, "'seed' moet een geheel getal zijn"),
        ({"id": "x" * 101}, "langer dan 100 tekens"),
        ({"id": "de-punt\u0000"}, "stuurtekens"),
        (["geen", "object"], "verwacht een JSON-object"),
    ],
)
def test_terrain_json_with_wrong_types_is_refused(csv_terrain, meta, expected):
    (csv_terrain / "terrain.json").write_text(json.dumps(meta), "utf-8")
    refused(lambda: kk.load_terrain(csv_terrain), "terrain.json", expected)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000,
        '{"a": ' * 50_000,
        '{"id": NaN, "x": 1e999',
        "\udcff",
        " " * 200_000,
    ],
)
def test_terrain_json_that_is_no_json_object_is_refused(csv_terrain, text):
    (csv_terrain / "terrain.json").write_bytes(text.encode("utf-8", "surrogateescape"))
    refused(lambda: kk.load_terrain(csv_terrain), "terrain.json")


def test_demo_false_is_not_read_as_demo(csv_terrain):
    (csv_terrain / "terrain.json").write_text('{"demo": false, "id": "eigen"}')
    result, error, _ = finished(lambda: kk.load_terrain(csv_terrain))
    assert error is None and result.is_demo is False and result.id == "eigen"


# --- places ---------------------------------------------------------------------

# (name, lon, lat): town centres rounded to 0.01° as listed on Wikipedia.
ABROAD = [
    ("Brussel", 4.35, 50.85),
    ("Antwerpen", 4.40, 51.22),
    ("Emden", 7.21, 53.37),
    ("Aken", 6.08, 50.78),
    ("Kleef", 6.14, 51.79),
]
BORDER_NL = [
    ("Eemshaven", 6.83, 53.44),
    ("Delfzijl", 6.92, 53.33),
    ("Nieuweschans", 7.21, 53.18),
    ("Kerkrade", 6.06, 50.87),
    ("Vaals", 6.02, 50.77),
    ("Sluis", 3.39, 51.31),
    ("Venlo", 6.17, 51.37),
    ("Baarle-Nassau", 4.93, 51.44),
    ("West-Terschelling", 5.22, 53.36),
]


def _terrain_at(folder, lon, lat, rd: bool):
    centre = gpd.GeoSeries([shapely.Point(lon, lat)], crs="EPSG:4326")
    if rd:
        x, y = centre.to_crs("EPSG:28992").iloc[0].coords[0]
        feature, crs = square(x, y, 20, {"building_id": "1"}), "EPSG:28992"
    else:
        feature, crs = square(lon, lat, 0.0003, {"building_id": "1"}), None
    (folder / "buildings.geojson").write_text(geojson([feature], crs), "utf-8")


@pytest.mark.parametrize("rd", [True, False], ids=["rd", "lonlat"])
@pytest.mark.parametrize(("place", "lon", "lat"), ABROAD, ids=[p[0] for p in ABROAD])
def test_a_terrain_abroad_is_refused_naming_the_place(tmp_path, place, lon, lat, rd):
    _terrain_at(tmp_path, lon, lat, rd)
    error = refused(lambda: kk.load_terrain(tmp_path), "buildings.geojson")
    assert "niet in Nederland" in str(error)
    if place in ("Brussel", "Antwerpen", "Emden", "Aken"):  # a place of geo.PLACES
        assert f"bij {place}" in str(error)


@pytest.mark.parametrize(
    ("place", "lon", "lat"), BORDER_NL, ids=[p[0] for p in BORDER_NL]
)
def test_a_terrain_on_the_dutch_border_is_read(tmp_path, place, lon, lat):
    _terrain_at(tmp_path, lon, lat, rd=True)
    result, error, _ = finished(lambda: kk.load_terrain(tmp_path))
    assert error is None, f"{place}: {error}"
    assert len(result.buildings) == 1


def test_one_building_abroad_among_dutch_ones_is_refused_with_its_row(tmp_path):
    features = [
        square(233000, 557000, 10, {"building_id": "1"}),
        square(153000, 318000, 10, {"building_id": "2"}),
    ]  # RD of Brussel
    (tmp_path / "buildings.geojson").write_text(geojson(features, "EPSG:28992"))
    error = refused(
        lambda: kk.load_terrain(tmp_path), "buildings.geojson", "1 van de 2"
    )
    assert error.problems[0].row == 2
