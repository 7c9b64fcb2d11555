"""BAG in its published forms, on real samples (tests/fixtures/real/README.md).

- ``bag/lvbag_denhaag.gpkg``: real LVBAG tables of Den Haag Bezuidenhout
  (Kadaster, via 3DGI/wijklabels) written as GDAL writes an LVBAG GeoPackage;
  ``adressenlijst_denhaag.csv``: its real non-residential addresses plus
  three unknown ones; ``terreingrens_denhaag.geojson``: the district.
- ``bag/lvbag_xml/``: real Kadaster LVBAG XML (gemeente Doesburg, via
  NLExtract), converted here to a GeoPackage by GDAL's LVBAG driver.
- ``pdok/``: real PDOK WFS responses (Hark 15, 's-Hertogenbosch).

OGC API GeoJSON and CSV with WKT are made here from the real Den Haag sample
(same objects, the publisher's field names), since no complete recorded
response was found.
"""

import json
import os
import uuid
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

import kansenkaart as kk
from kansenkaart.core.geo import check_geometries
from kansenkaart.io.bag import read_bag
from kansenkaart.io.importer import import_terrain, write_terrain
from kansenkaart.io.readers import read_terrain_folder

REAL = Path(__file__).parent / "fixtures" / "real"
BAG = REAL / "bag"
GPKG = BAG / "lvbag_denhaag.gpkg"
ADDRESSES = BAG / "adressenlijst_denhaag.csv"
BOUNDARY = BAG / "terreingrens_denhaag.geojson"
OGC = "https://api.pdok.nl/kadaster/bag/ogc/v2/collections"


@pytest.fixture(scope="module")
def imported():
    return import_terrain(ADDRESSES, [GPKG], boundary=BOUNDARY)


@pytest.fixture(scope="module")
def layers():
    return {
        name: gpd.read_file(GPKG, layer=name)
        for name in ("pand", "verblijfsobject", "nummeraanduiding")
    }


def _boundary():
    return gpd.read_file(BOUNDARY)


# --- done when: a real LVBAG district plus a real adressenlijst --------------


def test_lvbag_district_links_95_percent_with_years_and_16_digit_ids(imported):
    (figure,) = imported.report.section("addresses").figures
    assert figure.total == 123  # 120 real addresses + 3 unknown ones
    assert figure.matched / figure.total >= 0.95
    buildings = imported.buildings
    linked = buildings[buildings["n_companies"] > 0]
    assert linked["construction_year"].notna().mean() >= 0.95
    assert buildings["building_id"].str.fullmatch(r"\d{16}").all()
    assert buildings["building_id"].str.startswith("0518").all()  # 's-Gravenhage


def test_unmatched_addresses_are_listed_by_name_with_reason(imported):
    unmatched = imported.report.section("addresses").unmatched
    names = set(unmatched["bedrijf"])
    assert {
        "Onbekend adres A (proef)",
        "Onbekend adres B (proef)",
        "Onbekend adres C (proef)",
    } <= names
    # Two real BAG addresses have no postcode (nummeraanduiding without one).
    raw = pd.read_csv(ADDRESSES, sep=";", dtype=str)
    no_postcode = set(raw.loc[raw["postcode"].isna(), "bedrijf"])
    assert len(no_postcode) == 2 and no_postcode <= names
    assert len(unmatched) == 5
    assert unmatched["reden"].notna().all()


def test_lvbag_ids_prefixes_and_years_as_published(layers):
    bag = read_bag([GPKG], _boundary())
    pand = layers["pand"].set_index("identificatie")
    assert pand.index[0].startswith("NL.IMBAG.Pand.")
    by_id = bag.panden.set_index("pand_id")
    for pand_id, year in by_id["construction_year"].dropna().head(20).items():
        assert pand.loc[f"NL.IMBAG.Pand.{pand_id}", "oorspronkelijkBouwjaar"] == year
    assert bag.vbo["vbo_id"].str.fullmatch(r"\d{16}").all()


def test_gebruiksdoel_kept_as_published_and_largest_use_first(layers, imported):
    bag = read_bag([GPKG], _boundary())
    assert "overige gebruiksfunctie" in set(bag.vbo["building_use"])
    # Expected main use per pand straight from the GeoPackage: the use with
    # the largest summed oppervlakte of its current verblijfsobjecten.
    vbo = layers["verblijfsobject"]
    vbo = vbo[vbo["status"] != "Verblijfsobject ingetrokken"]
    # An object in k panden with n uses counts for 1/(k n) of its area in each.
    vbo = vbo.assign(k=vbo["pandRef"].str.len(), n=vbo["gebruiksdoel"].str.len())
    vbo = vbo.explode("pandRef").explode("gebruiksdoel")
    vbo["area"] = vbo["oppervlakte"] / vbo["k"] / vbo["n"]
    summed = vbo.groupby(["pandRef", "gebruiksdoel"])["area"].sum().reset_index()
    pand_id = summed["pandRef"].str.removeprefix("NL.IMBAG.Pand.")
    mixed = summed[pand_id.map(pand_id.value_counts()) > 1]
    assert len(mixed) > 0
    uses = imported.buildings.set_index("building_id")["building_use"]
    checked = 0
    for ref, group in mixed.groupby("pandRef"):
        building = ref.removeprefix("NL.IMBAG.Pand.")
        if building not in uses.index:
            continue
        top = group.sort_values(["area", "gebruiksdoel"], ascending=[False, True])
        listed = uses[building].split(",")
        assert listed[0] == top["gebruiksdoel"].iloc[0]
        assert sorted(listed) == sorted(group["gebruiksdoel"])
        checked += 1
    assert checked > 0


def test_every_geometry_passes_the_check_and_survives_writing(imported, tmp_path):
    _, warnings = check_geometries(imported.buildings, "polygon", "buildings")
    assert warnings == []
    folder = write_terrain(imported, tmp_path / "terrein")
    written = gpd.read_file(folder / "buildings.geojson")
    # Written with 2 decimals and read back: still valid, nothing to repair.
    _, warnings = check_geometries(written, "polygon", "buildings.geojson")
    assert warnings == []
    assert len(read_terrain_folder(folder).buildings) == len(imported.buildings)


# --- LVBAG XML as GDAL's LVBAG driver reads it ----------------------------------


def _lvbag_gpkg(tmp_path: Path) -> Path:
    """Convert the real LVBAG XML to a GeoPackage with GDAL (as ogr2ogr does)."""
    out = tmp_path / "lvbag.gpkg"
    for code in ("PND", "VBO", "NUM"):
        source = BAG / "lvbag_xml" / f"0221{code}15092020-000001.xml"
        meta, table = pyogrio.read_arrow(source)
        layer = pyogrio.list_layers(source)[0][0]
        # pyogrio names GDAL's geometry column; the Nummeraanduiding has none.
        names = table.schema.names
        geometry = "wkb_geometry" if "wkb_geometry" in names else None
        pyogrio.write_arrow(
            table,
            out,
            layer=layer,
            driver="GPKG",
            geometry_name=geometry,
            geometry_type=meta["geometry_type"] if geometry else None,
            crs=meta["crs"] if geometry else None,
            append=os.path.exists(out),
        )
    return out


def test_lvbag_xml_converted_by_gdal_keeps_current_versions_and_joins_addresses(
    tmp_path,
):
    path = _lvbag_gpkg(tmp_path)
    assert [name for name, _ in pyogrio.list_layers(path)] == [
        "Pand",
        "Verblijfsobject",
        "Nummeraanduiding",
    ]
    bag = read_bag([path])
    years = bag.panden.set_index("pand_id")["construction_year"]
    # Current voorkomens: 1585 (voorkomen 4) and 1992 (voorkomen 2); the first
    # voorkomens hold the placeholder 9999.
    assert years.to_dict() == {"0221100000312938": 1585, "0221100000311191": 1992}
    notes = " ".join(bag.notes)
    assert "Oude voorkomens (historie) van panden weggelaten: 4." in notes
    vbo = bag.vbo.set_index("vbo_id")
    assert vbo.loc["0221010000330226", "floor_area_m2"] == 223
    assert vbo.loc["0221010000330226", "postcode"] == "6981CH"
    assert vbo.loc["0221010000330226", "house_number"] == "4"
    assert vbo.loc["0221010000330999", "building_use"] == "overige gebruiksfunctie"
    assert vbo.loc["0221010000330999", "pand_id"] == "0221100000311191"


def test_lvbag_without_pand_reference_names_the_real_column(tmp_path):
    path = _lvbag_gpkg(tmp_path)
    vbo = gpd.read_file(path, layer="Verblijfsobject")
    vbo = vbo.rename(columns={"pandRef": "hoortBij"})
    broken = tmp_path / "hernoemd.gpkg"
    gpd.read_file(path, layer="Pand").to_file(broken, layer="Pand")
    vbo.to_file(broken, layer="Verblijfsobject")
    with pytest.raises(kk.DataError) as err:
        read_bag([broken])
    text = str(err.value)
    assert "hernoem kolom 'hoortBij' naar 'pand_identificatie'" in text
    assert "voorkomenidentificatie" not in text


# --- OGC API Features and CSV with WKT, made from the real sample ---------------


def _json(value):
    """A cell as JSON writes it: missing values as null."""
    return None if pd.isna(value) else value


def _ogc_files(tmp_path: Path, layers: dict) -> tuple[Path, Path]:
    """The Den Haag sample as PDOK's OGC API v2 publishes it (CRS84, UUIDs)."""
    pand = layers["pand"].to_crs("OGC:CRS84")
    feature_id = {
        ident: str(uuid.uuid5(uuid.NAMESPACE_URL, ident))
        for ident in pand["identificatie"]
    }
    pand_features = [
        {
            "type": "Feature",
            "id": feature_id[row.identificatie],
            "properties": {
                "identificatie": row.identificatie.removeprefix("NL.IMBAG.Pand."),
                "bouwjaar": int(row.oorspronkelijkBouwjaar),
                "status": row.status,
            },
            "geometry": shapely.geometry.mapping(row.geometry),
        }
        for row in pand.itertuples()
    ]
    num = layers["nummeraanduiding"].set_index("identificatie")
    vbo = layers["verblijfsobject"].to_crs("OGC:CRS84")
    vbo_features = []
    for row in vbo.itertuples():
        address = num.reindex([row.hoofdadresNummeraanduidingRef]).iloc[0]
        vbo_features.append(
            {
                "type": "Feature",
                "id": str(uuid.uuid5(uuid.NAMESPACE_URL, row.identificatie)),
                "properties": {
                    "identificatie": row.identificatie.removeprefix(
                        "NL.IMBAG.Verblijfsobject."
                    ),
                    "gebruiksdoel": ",".join(row.gebruiksdoel),
                    "oppervlakte": int(row.oppervlakte),
                    "status": row.status,
                    "postcode": _json(address["postcode"]),
                    "huisnummer": None
                    if pd.isna(address["huisnummer"])
                    else int(address["huisnummer"]),
                    "huisletter": _json(address["huisletter"]),
                    "toevoeging": _json(address["huisnummerToevoeging"]),
                    "pand.href": [
                        f"{OGC}/pand/items/{feature_id[ref]}"
                        for ref in row.pandRef
                        if ref in feature_id
                    ],
                },
                "geometry": shapely.geometry.mapping(row.geometry),
            }
        )
    paths = tmp_path / "pand.geojson", tmp_path / "verblijfsobject.geojson"
    for path, features in zip(paths, (pand_features, vbo_features), strict=True):
        path.write_text(
            json.dumps({"type": "FeatureCollection", "features": features}),
            encoding="utf-8",
        )
    return paths


def test_ogc_api_geojson_gives_the_same_panden_and_links(tmp_path, layers):
    from_gpkg = read_bag([GPKG], _boundary())
    from_ogc = read_bag(list(_ogc_files(tmp_path, layers)), _boundary())
    a = from_gpkg.panden.set_index("pand_id").sort_index()
    b = from_ogc.panden.set_index("pand_id").sort_index()
    assert list(a.index) == list(b.index)
    assert (abs(a["footprint_m2"] - b["footprint_m2"]) < 0.5).all()
    assert (a["construction_year"] == b["construction_year"]).all()
    links = ["vbo_id", "pand_id", "postcode", "house_number"]
    left = from_gpkg.vbo[from_gpkg.vbo["in_terrain"]][links]
    right = from_ogc.vbo[from_ogc.vbo["in_terrain"]][links]
    pd.testing.assert_frame_equal(
        left.sort_values(links).reset_index(drop=True),
        right.sort_values(links).reset_index(drop=True),
    )


def _csv_files(tmp_path: Path, layers: dict) -> tuple[Path, Path]:
    """The sample as CSV with a WKT column (panden) and a plain CSV (objects)."""
    pand = layers["pand"]
    table = pd.DataFrame(
        {
            "identificatie": pand["identificatie"],
            "oorspronkelijkbouwjaar": pand["oorspronkelijkBouwjaar"].astype(str),
            "status": pand["status"],
            "wkt": pand.geometry.to_wkt(),
        }
    )
    num = layers["nummeraanduiding"].set_index("identificatie")
    vbo = layers["verblijfsobject"]
    address = num.reindex(vbo["hoofdadresNummeraanduidingRef"]).reset_index(drop=True)
    objects = pd.DataFrame(
        {
            "identificatie": vbo["identificatie"],
            "pand_identificatie": [",".join(r) for r in vbo["pandRef"]],
            "gebruiksdoel": [",".join(g) for g in vbo["gebruiksdoel"]],
            "oppervlakte": vbo["oppervlakte"],
            "status": vbo["status"],
            "postcode": address["postcode"],
            "huisnummer": address["huisnummer"],
            "huisletter": address["huisletter"],
        }
    )
    paths = tmp_path / "panden.csv", tmp_path / "verblijfsobjecten.csv"
    table.to_csv(paths[0], sep=";", index=False)
    objects.to_csv(paths[1], sep=";", index=False)
    return paths


def test_csv_with_wkt_gives_the_same_panden(tmp_path, layers):
    from_gpkg = read_bag([GPKG], _boundary())
    from_csv = read_bag(list(_csv_files(tmp_path, layers)), _boundary())
    assert sorted(from_gpkg.panden["pand_id"]) == sorted(from_csv.panden["pand_id"])
    assert set(from_csv.vbo.loc[from_csv.vbo["in_terrain"], "vbo_id"]) == set(
        from_gpkg.vbo.loc[from_gpkg.vbo["in_terrain"], "vbo_id"]
    )


def test_bad_rows_are_reported_and_the_rest_imported(tmp_path, layers):
    panden, objects = _csv_files(tmp_path, layers)
    table = pd.read_csv(panden, sep=";", dtype=str)
    table.loc[0, "wkt"] = "POLYGON ((84000 455000, kapot"
    table.loc[1, "oorspronkelijkbouwjaar"] = "onbekend"
    table.loc[2, "identificatie"] = "NL.IMBAG.Pand.05181000ABC"
    table.to_csv(panden, sep=";", index=False)
    bag = read_bag([panden, objects])
    good = read_bag(list(_csv_files(tmp_path / "..", layers)))
    assert len(bag.panden) == len(good.panden) - 3
    found = {(p.row, p.column): p for p in bag.problems}
    # CSV rows count the header line: the first data row is row 2.
    assert "kapot" in found[(2, "geometry")].message
    assert "'onbekend' is geen bouwjaar" in found[(3, "bouwjaar")].message
    assert "geen BAG-identificatie" in found[(4, "identificatie")].message
    assert all(p.file == "panden.csv" and p.fix for p in bag.problems)


# --- coordinates outside the Netherlands ---------------------------------------


def _pdok_wfs(tmp_path: Path, shift=None) -> list[Path]:
    paths = []
    for name in ("wfs_pand_hark15.json", "wfs_verblijfsobject_hark15.json"):
        data = json.loads((REAL / "pdok" / name).read_text(encoding="utf-8"))
        if shift and "pand" in name:
            for feature in data["features"]:
                geom = shapely.geometry.shape(feature["geometry"])
                feature["geometry"] = shapely.geometry.mapping(shift(geom))
        path = tmp_path / name.replace(".json", ".geojson")
        path.write_text(json.dumps(data), encoding="utf-8")
        paths.append(path)
    return paths


def test_real_pdok_wfs_response_reads_with_leading_zero_restored(tmp_path):
    bag = read_bag(_pdok_wfs(tmp_path))
    assert bag.panden["pand_id"].tolist() == ["0796100000431787"]
    assert bag.panden["construction_year"].tolist() == [2010]
    (row,) = bag.vbo.itertuples()
    assert (row.vbo_id, row.pand_id, row.postcode) == (
        "0796010000431789",
        "0796100000431787",
        "5236PD",
    )


def test_panden_in_belgium_are_refused_with_the_place(tmp_path):
    # The real Hark 15 pand moved to Charleroi (RD New extrapolated there).
    to_charleroi = gpd.GeoSeries([shapely.Point(4.44, 50.41)], crs="EPSG:4326").to_crs(
        "EPSG:28992"
    )[0]

    def shift(geom):
        c = geom.centroid
        return shapely.affinity.translate(
            geom, to_charleroi.x - c.x, to_charleroi.y - c.y
        )

    with pytest.raises(kk.DataError, match=r"bij Charleroi \(België\)"):
        read_bag(_pdok_wfs(tmp_path, shift))


def test_one_pand_with_swapped_coordinates_is_skipped_and_named(tmp_path, layers):
    panden, objects = _csv_files(tmp_path, layers)
    table = pd.read_csv(panden, sep=";", dtype=str)
    geom = shapely.from_wkt(table.loc[5, "wkt"])
    swapped = shapely.transform(geom, lambda xy: xy[:, ::-1])
    table.loc[5, "wkt"] = swapped.wkt
    table.to_csv(panden, sep=";", index=False)
    bag = read_bag([panden, objects])
    (problem,) = [p for p in bag.problems if p.column == "geometry"]
    assert problem.row == 7
    assert "liggen niet in Nederland maar" in problem.message
    assert len(bag.panden) == len(layers["pand"]) - 1
