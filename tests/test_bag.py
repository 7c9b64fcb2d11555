"""BAG reading, clipping and address matching (kansenkaart.io.bag)."""

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import kansenkaart as kk
from kansenkaart.core.schema import BOUNDARY
from kansenkaart.io.bag import (
    match_addresses,
    normalise_bag_id,
    read_bag,
    split_address,
)
from kansenkaart.io.readers import read_layer
from tests.fixtures.importer.bag_fixture import (
    X0,
    Y0,
    pand_id,
    panden,
    vbo_id,
    verblijfsobjecten,
    write_gpkg,
    write_wfs_geojson,
)

FIXTURES = Path(__file__).parent / "fixtures" / "importer"


@pytest.fixture
def gpkg(tmp_path) -> Path:
    return write_gpkg(tmp_path / "bag.gpkg")


@pytest.fixture
def boundary() -> gpd.GeoDataFrame:
    return read_layer(FIXTURES / "terreingrens.geojson", BOUNDARY)[0]


def test_gpkg_clipped_to_boundary_keeps_the_terrain_panden(gpkg, boundary):
    bag = read_bag([gpkg], boundary)
    # 6 outside, 7 demolished, 9 without geometry.
    assert sorted(bag.panden["pand_id"]) == [pand_id(n) for n in (1, 2, 3, 4, 5, 8)]
    assert bag.panden.crs.to_epsg() == 28992
    by_id = bag.panden.set_index("pand_id")
    footprint = by_id["footprint_m2"]
    assert footprint[pand_id(1)] == 800.0  # 40 × 20 m
    assert footprint[pand_id(8)] == 200.0  # bow tie: two triangles 20 × 10 / 2
    years = by_id["construction_year"]
    assert pd.isna(years[pand_id(2)])  # 1005 is the BAG placeholder
    assert years[pand_id(1)] == 1990


def test_bag_notes_and_problems_say_what_was_left_out(gpkg):
    bag = read_bag([gpkg])
    notes = " ".join(bag.notes)
    assert "gesloopt" in notes and "gerepareerd: 1" in notes
    assert "onwaarschijnlijk bouwjaar" in notes
    assert "ingetrokken" in notes  # Industrieweg 11
    (problem,) = bag.problems  # pand 9, the 9th feature of the layer
    assert problem.row == 9 and problem.column == "geometry"
    assert problem.message.startswith(f"pand {pand_id(9)}: ")
    assert "ontbreekt of is leeg" in problem.message


def test_verblijfsobjecten_normalised_and_flagged_in_terrain(gpkg, boundary):
    vbo = read_bag([gpkg], boundary).vbo.set_index("vbo_id")
    assert vbo.loc[vbo_id(4), "house_number"] == "5-2"
    assert vbo.loc[vbo_id(4), "number_key"] == "52"
    assert vbo.loc[vbo_id(4), "house_base"] == "5"
    assert vbo.loc[vbo_id(2), "address"] == "Industrieweg 1A, Roden"
    assert vbo.loc[vbo_id(1), "postcode"] == "9301ZZ"
    assert not vbo.loc[vbo_id(6), "in_terrain"]
    assert vbo.loc[vbo_id(5), "in_terrain"]
    assert vbo_id(7) not in vbo.index  # ingetrokken


def test_wfs_geojson_in_wgs84_gives_the_same_panden(tmp_path, gpkg, boundary):
    from_gpkg = read_bag([gpkg], boundary)
    from_wfs = read_bag(list(write_wfs_geojson(tmp_path)), boundary)
    a = from_gpkg.panden.set_index("pand_id").sort_index()
    b = from_wfs.panden.set_index("pand_id").sort_index()
    assert list(a.index) == list(b.index)
    assert (abs(a["footprint_m2"] - b["footprint_m2"]) < 0.5).all()
    assert set(from_wfs.vbo["street"].dropna()) == {"Industrieweg", "Ambachtsweg"}


def test_without_boundary_every_pand_is_kept(gpkg):
    bag = read_bag([gpkg])
    assert pand_id(6) in set(bag.panden["pand_id"])
    assert any("zonder terreingrens" in n for n in bag.notes)


def test_duplicate_panden_from_overlapping_wfs_tiles_counted_once(tmp_path):
    pand, vbo = write_wfs_geojson(tmp_path)
    twice = pd.concat([gpd.read_file(pand)] * 2, ignore_index=True)
    twice.to_file(tmp_path / "tegels.geojson", driver="GeoJSON")
    bag = read_bag([tmp_path / "tegels.geojson", vbo])
    assert bag.panden["pand_id"].is_unique
    # 9 features twice; per copy 7 remain (one demolished, one without geometry).
    assert any("Dubbele panden" in n and ": 7." in n for n in bag.notes)
    assert [p.row for p in bag.problems] == [9, 18]


def test_missing_layer_is_named(tmp_path):
    path = tmp_path / "alleen_pand.gpkg"
    panden().to_file(path, layer="pand", driver="GPKG")
    with pytest.raises(kk.DataError, match="'verblijfsobject' ontbreekt"):
        read_bag([path])


def test_only_verblijfsobjecten_is_refused(tmp_path):
    _, vbo = write_wfs_geojson(tmp_path)
    with pytest.raises(kk.DataError, match="geen BAG-panden"):
        read_bag([vbo])


def test_text_renamed_to_gpkg_is_refused(tmp_path):
    path = tmp_path / "bag.gpkg"
    path.write_text("identificatie;bouwjaar\n1;1990\n")
    with pytest.raises(kk.DataError, match="geen leesbaar GeoPackage"):
        read_bag([path])


def test_empty_bag_file_is_refused(tmp_path):
    path = tmp_path / "bag.gpkg"
    path.write_bytes(b"")
    with pytest.raises(kk.DataError, match="leeg"):
        read_bag([path])


def test_pand_layer_of_points_is_refused(tmp_path):
    path = tmp_path / "punten.gpkg"
    points = panden().dropna(subset=["geometry"])
    points.set_geometry(points.centroid).to_file(path, layer="pand", driver="GPKG")
    verblijfsobjecten().to_file(path, layer="verblijfsobject", driver="GPKG")
    with pytest.raises(kk.DataError, match="geen vlakken maar geometrieën van het "):
        read_bag([path])


def test_pand_layer_in_rd_declared_as_wgs84_is_refused(tmp_path):
    path = tmp_path / "fout.gpkg"
    panden().set_crs("EPSG:4326", allow_override=True).to_file(
        path, layer="pand", driver="GPKG"
    )
    verblijfsobjecten().to_file(path, layer="verblijfsobject", driver="GPKG")
    with pytest.raises(kk.DataError, match="RD-meters"):
        read_bag([path])


def test_boundary_elsewhere_leaves_no_panden(gpkg):
    far = gpd.GeoDataFrame(
        {"name": ["elders"]},
        geometry=[shapely.box(X0 + 5000, Y0, X0 + 5100, Y0 + 100)],
        crs="EPSG:28992",
    )
    with pytest.raises(kk.DataError, match="geen BAG-panden binnen de terreingrens"):
        read_bag([gpkg], far)


def test_object_in_two_panden_is_listed_for_both(tmp_path):
    vbo = verblijfsobjecten()
    vbo.loc[0, "pand_identificatie"] = f"{pand_id(1)},{pand_id(2)}"
    path = tmp_path / "bag.gpkg"
    panden().to_file(path, layer="pand", driver="GPKG")
    vbo.to_file(path, layer="verblijfsobject", driver="GPKG")
    rows = read_bag([path]).vbo
    assert sorted(rows.loc[rows["vbo_id"] == vbo_id(1), "pand_id"]) == [
        pand_id(1),
        pand_id(2),
    ]


def test_bag_ids_get_their_leading_zero_back():
    ids = normalise_bag_id(pd.Series(["150100000000001", "150100000000001.0", None]))
    assert ids.tolist()[:2] == ["0150100000000001", "0150100000000001"]
    assert pd.isna(ids.iloc[2])


def test_split_address_reads_street_number_postcode_and_town():
    parts = split_address(
        pd.Series(
            [
                "Industrieweg 12A, 9301 ZZ Roden",
                "1e Industrieweg 3-1, Roden",
                "Weg 1940-1945 12",
                "Kanaalweg 7 bis",
                "geen nummer",
            ]
        )
    )
    assert parts.iloc[0].tolist() == ["Industrieweg", "12A", "9301 ZZ", "Roden"]
    assert parts.iloc[1, :2].tolist() == ["1e Industrieweg", "3-1"]
    assert parts.iloc[1, 3] == "Roden"
    assert parts.iloc[2, :2].tolist() == ["Weg 1940-1945", "12"]
    assert parts.iloc[3, 1] == "7 bis"
    assert parts.iloc[4].isna().all()


def test_match_addresses_tries_postcode_street_then_number_without_addition(
    gpkg, boundary
):
    vbo = read_bag([gpkg], boundary).vbo
    found = match_addresses(
        vbo,
        postcode=pd.Series(["9301 zz", None, "9301ZZ", "9301ZZ", "93O1ZZ", "9301ZZ"]),
        house_number=pd.Series(["1-a", "5-2", "5", "123", "1", None]),
        street=pd.Series([None, "industrieweg", None, None, None, None]),
        town=pd.Series([None, "RODEN", None, None, None, None]),
    )
    assert found["vbo_id"].tolist()[:3] == [vbo_id(2), vbo_id(4), vbo_id(4)]
    assert found["method"].tolist()[:3] == [
        "postcode en huisnummer",
        "straat, huisnummer en plaats",
        "huisnummer zonder toevoeging",
    ]
    assert found["reason"].tolist()[3:] == [
        "adres niet gevonden in het BAG-bestand",
        "postcode is ongeldig (verwacht 1234 AB)",
        "huisnummer ontbreekt of is ongeldig",
    ]
    assert found["reason"].iloc[:3].isna().all()


def test_number_without_addition_is_not_guessed_when_ambiguous():
    vbo = pd.DataFrame(
        {
            "vbo_id": ["a", "b"],
            "pand_id": ["p", "p"],
            "street": ["Weg", "Weg"],
            "number_key": ["12A", "12B"],
            "house_base": ["12", "12"],
            "postcode": ["9301AA", "9301AA"],
            "town": ["Roden", "Roden"],
        }
    )
    found = match_addresses(vbo, pd.Series(["9301AA"]), pd.Series(["12"]))
    assert pd.isna(found["vbo_id"].iloc[0])
    assert found["reason"].iloc[0].startswith("meerdere adressen met dit huisnummer")
