"""3D BAG roof data: the real tile-997 surface table, formats, solar basis.

The real sample (tests/fixtures/real/bag3d/, see README.md there) is 28 rows
of the 3D BAG surface table of tile 997 (Steenbergen/Halderberge): per
building part ``area_roof_flat`` and ``area_roof_sloped`` in m². Expected
figures below are read off that file, not computed by the code under test.
"""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

import kansenkaart as kk
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine import solar
from kansenkaart.io.bag3d import apply_roofs, pand_ids, read_bag3d
from kansenkaart.io.importer import import_terrain, write_terrain
from tests.engine_fixtures import terrain
from tests.fixtures.importer.bag_fixture import pand_id, write_gpkg

REAL = Path(__file__).parent / "fixtures" / "real" / "bag3d"
SURFACES = REAL / "3dbag_tegel997_oppervlakken.csv"
IMPORTER = Path(__file__).parent / "fixtures" / "importer"

# From the file: (pand, area_roof_flat, area_roof_sloped)
HALL_FLAT = ("1655100000488773", 2249.65, 0.0)  # flat hall, 2005
HALL_MIXED = ("1655100000488775", 23.33, 1841.28)  # mostly sloped, 2006
HOUSE_SLOPED = ("0851100000000564", 0.0, 77.22)  # sloped only, 1920
# Pand 1655100000506008 has three parts in the file (-0, -1, -2):
# flat 9.71 + 5.22 + 0.0, sloped 0.0 + 0.0 + 56.35.
THREE_PARTS = ("1655100000506008", 9.71 + 5.22, 56.35)

F_FLAT = DEFAULT.flat_usable_fraction.value  # 0.55
F_SOUTH = DEFAULT.pitched_south_fraction.value  # 0.5
F_COVER = DEFAULT.pitched_coverage_fraction.value  # 0.8


@pytest.fixture(scope="module")
def real():
    return read_bag3d(SURFACES)


def test_real_surface_table_gives_one_row_per_pand(real):
    assert len(real.roofs) == 26  # 28 rows, one pand in three parts
    assert real.roofs["pand_id"].str.fullmatch(r"\d{16}").all()
    assert real.problems == ()
    by_pand = real.roofs.set_index("pand_id")
    for pand, flat, sloped in (HALL_FLAT, HALL_MIXED, HOUSE_SLOPED, THREE_PARTS):
        assert by_pand.loc[pand, "roof_flat_m2"] == pytest.approx(flat)
        assert by_pand.loc[pand, "roof_sloped_m2"] == pytest.approx(sloped)
    assert "panden met dakoppervlakken: 26" in real.notes[0]


def test_roof_type_follows_the_larger_area_without_a_roof_kind(real):
    kind = real.roofs.set_index("pand_id")["roof_type"]
    assert kind[HALL_FLAT[0]] == "flat"
    assert kind[HALL_MIXED[0]] == "pitched"
    assert kind[HOUSE_SLOPED[0]] == "pitched"


def test_ids_lose_the_prefix_and_the_part_number():
    ids = pd.Series(["NL.IMBAG.Pand.0851100000000564-0", "851100000000564", "x"])
    assert pand_ids(ids).tolist()[:2] == ["0851100000000564"] * 2
    assert pand_ids(ids).iloc[2] == "x"  # not an id: left for the row check


def test_usable_area_takes_the_published_areas_as_they_are():
    # 23.33 m² flat × 0.55 + 1841.28 m² sloped × 0.5 (south half) × 0.8;
    # the sloped area is the surface of the planes: no division by cos(30°).
    usable = solar.usable_roof_area(
        pd.Series([1685.56], dtype="Float64"),  # area_ground of that pand
        pd.Series(["pitched"], dtype="string"),
        DEFAULT,
        pd.Series([23.33]),
        pd.Series([1841.28]),
    )
    assert usable.iloc[0] == pytest.approx(23.33 * 0.55 + 1841.28 * 0.5 * 0.8)
    footprint_rule = 1685.56 * 0.5 / math.cos(math.radians(30)) * 0.8
    assert usable.iloc[0] != pytest.approx(footprint_rule, rel=0.01)
    assert (F_FLAT, F_SOUTH, F_COVER) == (0.55, 0.5, 0.8)


def test_roof_basis_and_area_fall_back_per_building():
    flat = pd.Series([100.0, None, None, None])
    sloped = pd.Series([0.0, None, None, None])
    footprint = pd.Series([400.0, 300.0, None, None], dtype="Float64")
    polygon = pd.Series([999.0, 999.0, 250.0, 0.0])
    area = solar.roof_area(footprint, polygon, flat, sloped)
    basis = solar.roof_basis(footprint, polygon, flat, sloped)
    assert area.iloc[:3].tolist() == [100.0, 300.0, 250.0]
    assert pd.isna(area.iloc[3])
    assert basis.iloc[:3].tolist() == ["3D BAG", "footprint", "polygoon"]
    assert pd.isna(basis.iloc[3])


def _terrain_of(real_ids: list[str]):
    """Three panden of the real file plus one that is not in it (100 m² each)."""
    rows = [{"building_id": b} for b in [*real_ids, "0363100012345678"]]
    return terrain(rows)


def test_analyse_uses_3d_bag_for_matched_panden_and_footprint_for_the_rest(real):
    ids = [HALL_FLAT[0], HALL_MIXED[0], HOUSE_SLOPED[0]]
    t = _terrain_of(ids)
    before = kk.analyse(t).buildings
    with_roofs = apply_roofs(t.buildings, real.roofs)
    after = kk.analyse(t.__class__(**{**t.__dict__, "buildings": with_roofs}))
    b = after.buildings.set_index("building_id")
    assert b.loc[ids, "roof_basis"].tolist() == ["3D BAG"] * 3
    assert b.loc["0363100012345678", "roof_basis"] == "polygoon"
    assert b.loc[HALL_FLAT[0], "roof_area_m2"] == pytest.approx(2249.65)
    assert b.loc[HALL_MIXED[0], "roof_area_m2"] == pytest.approx(23.33 + 1841.28)
    assert b.loc[HALL_FLAT[0], "usable_roof_m2"] == pytest.approx(2249.65 * 0.55)
    assert b.loc[HOUSE_SLOPED[0], "usable_roof_m2"] == pytest.approx(77.22 * 0.5 * 0.8)
    # 2249.65 × 0.55 = 1237.3 m² / 1.9436 m² per panel = 636 panels.
    assert b.loc[HALL_FLAT[0], "pv_panels_roof"] == 636
    # The building not in the file keeps its 20 × 20 m polygon estimate.
    assert b.loc["0363100012345678", "usable_roof_m2"] == pytest.approx(400 * 0.55)
    assert before["roof_basis"].eq("polygoon").all()
    assert b.loc[HALL_FLAT[0], "roof_type"] == "flat"
    assert t.buildings["roof_flat_m2"].isna().all()  # input not modified


def test_a_bad_row_is_reported_and_skipped(tmp_path):
    lines = SURFACES.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace('"22.02","22.02"', '"22.02","twintig"')
    path = tmp_path / "oppervlakken.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = read_bag3d(path)
    assert len(read.roofs) == 25
    [problem] = read.problems
    assert (problem.row, problem.column) == (4, "area_roof_flat")
    assert "'twintig' is geen oppervlakte" in problem.message
    assert problem.file == "oppervlakken.csv"


def test_a_file_without_roof_areas_names_the_columns(tmp_path):
    path = tmp_path / "bag.csv"
    path.write_text("identificatie;bouwjaar\nNL.IMBAG.Pand.0851100000000564;1920\n")
    with pytest.raises(kk.DataError) as err:
        read_bag3d(path)
    assert {p.column for p in err.value.problems} == {
        "b3_opp_dak_plat",
        "b3_opp_dak_schuin",
    }
    assert "bag.csv" in str(err.value)


def _gpkg(path: Path, ids: list[str]) -> Path:
    """A GeoPackage with the layout of a 3D BAG tile (layers pand, lod22_2d).

    Format test: the attribute names and layers are those of the 3D BAG
    GeoPackage (docs.3dbag.nl); the two panden are fixture panden and their
    values are the real ones of pand 1655100000488775 and 0851100000000564
    of tile 997; the elevations are made up for the test.
    """
    square = shapely.box(225_610, 572_410, 225_650, 572_430)
    pand = gpd.GeoDataFrame(
        {
            "identificatie": [f"NL.IMBAG.Pand.{i}" for i in ids],
            "b3_opp_dak_plat": [23.33, 0.0],
            "b3_opp_dak_schuin": [1841.28, 77.22],
            "b3_dak_type": ["slanted", "slanted"],
            "b3_h_maaiveld": [1.5, -0.3],
        },
        geometry=[square, square],
        crs="EPSG:28992",
    )
    parts = gpd.GeoDataFrame(
        {
            "identificatie": [f"NL.IMBAG.Pand.{ids[0]}"] * 2
            + [f"NL.IMBAG.Pand.{ids[1]}"],
            "b3_h_dak_70p": [9.0, 11.5, 7.7],
            "b3_h_dak_max": [10.0, 12.0, 8.0],
        },
        geometry=[square] * 3,
        crs="EPSG:28992",
    )
    pand.to_file(path, layer="pand", driver="GPKG")
    parts.to_file(path, layer="lod22_2d", driver="GPKG")
    return path


def test_geopackage_reads_pand_layer_and_roof_heights(tmp_path):
    read = read_bag3d(_gpkg(tmp_path / "tegel.gpkg", [pand_id(1), pand_id(3)]))
    roofs = read.roofs.set_index("pand_id")
    assert read.file == "tegel.gpkg (pand)"
    assert roofs.loc[pand_id(1), "roof_sloped_m2"] == pytest.approx(1841.28)
    assert roofs.loc[pand_id(1), "roof_type"] == "pitched"
    # Highest part's 70th percentile (11.5 m NAP) − ground (1.5 m NAP).
    assert roofs.loc[pand_id(1), "height_m"] == pytest.approx(10.0)
    assert roofs.loc[pand_id(3), "height_m"] == pytest.approx(8.0)


def test_importer_applies_3d_bag_and_reports_the_match(tmp_path):
    bag = write_gpkg(tmp_path / "bag.gpkg")
    roofs = _gpkg(tmp_path / "3dbag.gpkg", [pand_id(1), pand_id(3)])
    result = import_terrain(IMPORTER / "adressenlijst.csv", [bag], bag3d=roofs)
    b = result.buildings.set_index("building_id")
    assert b.loc[pand_id(1), "roof_sloped_m2"] == pytest.approx(1841.28)
    assert b.loc[pand_id(1), "height_m"] == pytest.approx(10.0)
    assert pd.isna(b.loc[pand_id(2), "roof_flat_m2"])
    section = result.report.section("bag3d")
    assert section.title == "3D BAG"
    assert section.figures[0].text.startswith(f"2 van {len(b)} panden")
    assert "== 3D BAG: 3dbag.gpkg (pand) ==" in result.report.to_text()
    folder = tmp_path / "terrein"
    write_terrain(result, folder)
    analysed = kk.analyse(kk.load_terrain(folder)).buildings.set_index("building_id")
    assert analysed.loc[pand_id(1), "roof_basis"] == "3D BAG"
    assert analysed.loc[pand_id(1), "usable_roof_m2"] == pytest.approx(
        23.33 * 0.55 + 1841.28 * 0.5 * 0.8
    )
    assert analysed.loc[pand_id(2), "roof_basis"] == "footprint"


def test_importer_says_when_no_pand_is_in_the_3d_bag_file(tmp_path):
    bag = write_gpkg(tmp_path / "bag.gpkg")
    result = import_terrain(IMPORTER / "adressenlijst.csv", [bag], bag3d=SURFACES)
    section = result.report.section("bag3d")
    assert section.figures[0].matched == 0
    assert any("Geen enkel pand" in note for note in section.notes)
