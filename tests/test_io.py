import csv
import io

import pytest

import kansenkaart as kk
from kansenkaart.io.readers import read_terrain_zip
from tests.conftest import RD_CSV, geojson, square, zip_folder


def test_list_demo_terrains_gives_the_four_pilots():
    assert kk.list_demo_terrains() == [
        "bitseveld-westerd",
        "de-punt",
        "de-wieken",
        "peelerpark-messchenveld",
    ]


def test_unknown_demo_names_the_choices():
    with pytest.raises(kk.DataError, match="kies een van: bitseveld-westerd"):
        kk.load_terrain("demo:bestaat-niet")


def test_csv_with_semicolon_and_decimal_comma(csv_terrain):
    t = kk.load_terrain(csv_terrain)
    b = t.buildings
    assert b.crs.to_epsg() == 28992
    assert b["floor_area_m2"].tolist() == [180.5, 1250.0, 200.0]
    assert b["footprint_m2"].tolist() == [200.0, 200.0, 200.0]  # 20 × 10 m
    assert b["company"].iloc[2] == "Café Één"
    assert any("RD New" in w and "aangenomen" not in w for w in t.warnings)


def test_comma_separated_cp1252_file_reads_the_same(csv_terrain):
    # Excel on Dutch Windows: cp1252; with ',' as separator, fields holding a
    # comma (decimal comma, WKT) are quoted.
    rows = [line.split(";") for line in RD_CSV.strip().splitlines()]
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (csv_terrain / "buildings.csv").write_bytes(buffer.getvalue().encode("cp1252"))
    b = kk.load_terrain(csv_terrain).buildings
    assert b["company"].iloc[2] == "Café Één"
    assert b["floor_area_m2"].tolist() == [180.5, 1250.0, 200.0]


def test_utf8_bom_header_is_recognised(csv_terrain):
    (csv_terrain / "buildings.csv").write_bytes(RD_CSV.encode("utf-8-sig"))
    assert len(kk.load_terrain(csv_terrain).buildings) == 3


def test_empty_file_gives_dutch_error(csv_terrain):
    (csv_terrain / "buildings.csv").write_bytes(b"")
    with pytest.raises(kk.DataError, match="leeg"):
        kk.load_terrain(csv_terrain)


def test_excel_renamed_to_csv_is_recognised(csv_terrain):
    (csv_terrain / "buildings.csv").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(kk.DataError, match="geen tekstbestand"):
        kk.load_terrain(csv_terrain)


def test_missing_required_column_in_file(csv_terrain):
    text = RD_CSV.replace("building_id", "gebouw")
    (csv_terrain / "buildings.csv").write_text(text, encoding="utf-8")
    with pytest.raises(kk.DataError) as err:
        kk.load_terrain(csv_terrain)
    assert "buildings.csv" in str(err.value)
    assert err.value.problems[0].column == "building_id"


def test_duplicate_building_ids_name_the_row(csv_terrain):
    text = RD_CSV.replace("0106100000000003", "0106100000000001")
    (csv_terrain / "buildings.csv").write_text(text, encoding="utf-8")
    with pytest.raises(kk.DataError, match="rij 4") as err:
        kk.load_terrain(csv_terrain)
    assert "komt vaker voor" in str(err.value)


def _write_geojson(folder, features, crs=None):
    (folder / "buildings.geojson").write_text(geojson(features, crs), "utf-8")


def test_wgs84_geojson_is_converted_to_rd(tmp_path):
    # ~Assen in lon/lat; a 0.0003° square is roughly 20 × 33 m.
    _write_geojson(tmp_path, [square(6.56, 53.0, 0.0003, {"building_id": "a"})])
    b = kk.load_terrain(tmp_path).buildings
    x, y = b.geometry.iloc[0].centroid.coords[0]
    assert 230_000 < x < 236_000 and 553_000 < y < 560_000
    assert 300 < b["footprint_m2"].iloc[0] < 900


def test_rd_coordinates_without_crs_are_assumed_rd_with_a_warning(tmp_path):
    # GeoJSON without crs means WGS84 by the RFC; RD numbers cannot be lon/lat.
    (tmp_path / "buildings.csv").write_text(
        "building_id,x,y\na,233000,557000\n", "utf-8"
    )
    with pytest.raises(kk.DataError, match="polygoon"):
        kk.load_terrain(tmp_path)  # points are not building outlines
    text = "building_id;wkt\na;POLYGON((233000 557000,233010 557000,233010 557010,233000 557000))\n"  # noqa: E501
    (tmp_path / "buildings.csv").write_text(text, "utf-8")
    t = kk.load_terrain(tmp_path)
    assert any("lijken RD New" in w for w in t.warnings)


def test_declared_rd_but_lonlat_numbers_is_refused(tmp_path):
    features = [square(6.56, 53.0, 0.0003, {"building_id": "a"})]
    _write_geojson(tmp_path, features, crs="urn:ogc:def:crs:EPSG::28992")
    with pytest.raises(kk.DataError, match="RD New"):
        kk.load_terrain(tmp_path)


def test_coordinates_outside_the_netherlands_are_refused(tmp_path):
    features = [square(13.4, 52.5, 0.001, {"building_id": "berlijn"})]
    _write_geojson(tmp_path, features)
    with pytest.raises(kk.DataError, match="Nederland"):
        kk.load_terrain(tmp_path)


def test_self_intersecting_polygon_is_repaired_with_warning(tmp_path):
    bowtie = {
        "type": "Feature",
        "properties": {"building_id": "strik"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [
                [[233000, 557000], [233020, 557010], [233020, 557000],
                 [233000, 557010], [233000, 557000]]
            ],
        },
    }  # fmt: skip
    _write_geojson(tmp_path, [bowtie], crs="urn:ogc:def:crs:EPSG::28992")
    t = kk.load_terrain(tmp_path)
    assert t.buildings.geometry.is_valid.all()
    assert t.buildings["footprint_m2"].iloc[0] == pytest.approx(100.0)
    assert any("gerepareerd" in w for w in t.warnings)


def test_missing_geometry_is_refused_with_row(tmp_path):
    features = [
        square(233000, 557000, 10, {"building_id": "a"}),
        {"type": "Feature", "properties": {"building_id": "b"}, "geometry": None},
    ]
    _write_geojson(tmp_path, features, crs="urn:ogc:def:crs:EPSG::28992")
    with pytest.raises(kk.DataError) as err:
        kk.load_terrain(tmp_path)
    assert err.value.problems[0].row == 2
    assert err.value.problems[0].column == "geometry"


def test_broken_geojson_is_a_dutch_error(tmp_path):
    (tmp_path / "buildings.geojson").write_text('{"type": "FeatureCollection", ')
    with pytest.raises(kk.DataError, match="geen leesbaar GeoJSON"):
        kk.load_terrain(tmp_path)


def test_zip_round_trip_equals_folder(demo_copy, tmp_path):
    archive = zip_folder(demo_copy, tmp_path / "de-punt.zip")
    from_zip = kk.load_terrain(archive)
    from_folder = kk.load_terrain(demo_copy)
    assert from_zip.buildings.equals(from_folder.buildings)
    assert from_zip.name == "De Punt (Tynaarlo)"
    assert read_terrain_zip(archive.read_bytes()).buildings.equals(
        from_folder.buildings
    )


def test_not_a_zip_is_refused():
    with pytest.raises(kk.DataError, match="geen geldig zipbestand"):
        read_terrain_zip(b"dit is geen zip", "terrein.zip")


def test_survey_rows_link_by_postcode_and_house_number(csv_terrain):
    (csv_terrain / "survey.csv").write_text(
        "postcode;huisnummer;toestemming;interest_zon_eigen_dak\n"
        "9403ab;3;ja;ja\n"
        "9999 ZZ;1;nee;nee\n",
        encoding="utf-8",
    )
    t = kk.load_terrain(csv_terrain)
    assert t.survey["building_id"].tolist()[0] == "0106100000000002"
    assert t.survey["building_id"].isna().tolist() == [False, True]
    assert any("1 van 2 enquêterijen niet gekoppeld" in w for w in t.warnings)
    assert t.survey["consent_werksessie"].tolist() == [True, False]


def test_a_single_file_is_not_a_terrain(csv_terrain):
    with pytest.raises(kk.DataError, match="geen terrein"):
        kk.load_terrain(csv_terrain / "buildings.csv")


def test_loading_never_modifies_the_files(demo_copy):
    before = {p.name: p.read_bytes() for p in demo_copy.iterdir()}
    kk.load_terrain(demo_copy)
    assert {p.name: p.read_bytes() for p in demo_copy.iterdir()} == before


def test_geopackage_layer_is_read(demo_copy, tmp_path):
    folder = tmp_path / "gpkg"
    folder.mkdir()
    buildings = kk.load_terrain(demo_copy).buildings
    buildings.to_file(folder / "buildings.gpkg", layer="buildings", driver="GPKG")
    loaded = kk.load_terrain(folder).buildings
    assert loaded["building_id"].tolist() == buildings["building_id"].tolist()
    assert loaded.crs.to_epsg() == 28992
    assert loaded.geometry.area.sum() == pytest.approx(buildings.geometry.area.sum())


def test_xlsx_with_dutch_headers_is_read(tmp_path):
    import pandas as pd

    pd.DataFrame(
        {
            "Pand_id": ["0106100000000001"],
            "Bedrijfsnaam": ["Bakker & Zonen <b>"],
            "Bouwjaar": [1978],
            "WKT": [
                "POLYGON((233000 557000,233010 557000,233010 557010,233000 557000))"
            ],
        }
    ).to_excel(tmp_path / "buildings.xlsx", index=False)
    b = kk.load_terrain(tmp_path).buildings
    assert b["building_id"].iloc[0] == "0106100000000001"
    assert b["construction_year"].iloc[0] == 1978
    assert b["company"].iloc[0] == "Bakker & Zonen <b>"


def test_file_over_the_size_limit_is_refused(csv_terrain, monkeypatch):
    from kansenkaart.io import readers as kio

    monkeypatch.setattr(kio, "MAX_FILE_BYTES", 100)
    with pytest.raises(kk.DataError, match="de grens is"):
        kk.load_terrain(csv_terrain)


def test_rd_geojson_without_crs_member_is_read_as_rd_with_warning(tmp_path):
    # QGIS and FME often write RD GeoJSON without the legacy "crs" member.
    _write_geojson(tmp_path, [square(233000, 557000, 10, {"building_id": "a"})])
    t = kk.load_terrain(tmp_path)
    assert t.buildings.crs.to_epsg() == 28992
    assert t.buildings.geometry.iloc[0].bounds == (233000, 557000, 233010, 557010)
    assert any("als RD New (EPSG:28992) gelezen" in w for w in t.warnings)


def test_numeric_columns_from_geojson_keep_their_values(tmp_path):
    props = {"building_id": "a", "floor_area_m2": 1250.5, "construction_year": 1987}
    feature = square(233000, 557000, 10, props)
    _write_geojson(tmp_path, [feature], crs="urn:ogc:def:crs:EPSG::28992")
    b = kk.load_terrain(tmp_path).buildings
    assert b["floor_area_m2"].iloc[0] == 1250.5
    assert b["construction_year"].iloc[0] == 1987
