"""GIS exports in Dutch (issue 18): field names, field descriptions, ids as text.

Every export is read back the way a user's program reads it (geopandas for
GeoJSON and GeoPackage, pandas with its default types for CSV) and must keep
the BAG-pand-id ``0363100012345678`` (Amsterdam, leading zero), the postcode
and a house number with a letter as text.
"""

from __future__ import annotations

import io
import json

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

import kansenkaart as kk
from kansenkaart.views import export, selection

BAG_ID = "0363100012345678"
HOUSE_NUMBER = "12a"
POSTCODE = "1012 AB"


@pytest.fixture(scope="module")
def sel():
    """De Punt with the first building given an Amsterdam BAG id and house letter."""
    an = kk.analyse(kk.load_terrain("demo:de-punt"))
    a = an.buildings.copy()
    old = a["building_id"].iloc[0]
    a.loc[a.index[0], ["building_id", "house_number", "postcode"]] = [
        BAG_ID,
        HOUSE_NUMBER,
        POSTCODE,
    ]
    chosen = selection.select(an.with_buildings(a))
    assert old not in set(chosen.buildings["building_id"])
    assert (chosen.opportunities["building_id"] == BAG_ID).any()
    return chosen


@pytest.fixture(scope="module")
def english(sel):
    """The column identifiers of the analysed tables (what the files had before)."""
    return set(sel.buildings.columns) | set(sel.opportunities.columns)


def gpkg(tmp_path, sel, layer: str) -> pd.DataFrame:
    path = tmp_path / "export.gpkg"
    path.write_bytes(export.to_gpkg(sel))
    return pyogrio.read_dataframe(path, layer=layer)


# Identifiers that already are the Dutch word (the obligations are Dutch law).
SAME_IN_DUTCH = {
    "via_verhuurder",
    "postcode",
    "sector",
    "sbi_code",
    "informatieplicht",
    "onderzoeksplicht",
}


def test_geojson_fields_are_dutch_and_described(sel, english):
    read = gpd.read_file(io.BytesIO(export.to_geojson(sel)))
    names = set(read.columns) - {"geometry"}
    assert names & english <= SAME_IN_DUTCH
    fields = export.field_table(sel)
    described = set(fields.loc[fields["laag"] == "gebouwen", "veld"])
    assert names == described
    for expected in ("bag_pand_id", "bouwjaar", "energielabel", "zonpotentie_kwp"):
        assert expected in names


def test_geopackage_layers_are_dutch_and_hold_the_descriptions(sel, english, tmp_path):
    path = tmp_path / "export.gpkg"
    path.write_bytes(export.to_gpkg(sel))
    assert {name for name, _ in pyogrio.list_layers(path)} == {
        "gebouwen",
        "kansen",
        "velden",
    }
    fields = pyogrio.read_dataframe(path, layer="velden")
    assert list(fields.columns) == ["laag", "veld", "betekenis", "eenheid", "soort"]
    for layer in ("gebouwen", "kansen"):
        table = pyogrio.read_dataframe(path, layer=layer)
        names = set(table.columns) - {"geometry"}
        assert names & english <= SAME_IN_DUTCH, layer
        assert names == set(fields.loc[fields["laag"] == layer, "veld"])


def test_field_description_gives_meaning_unit_and_kind(sel):
    fields = export.field_table(sel).set_index(["laag", "veld"])
    # Units as the app's Dutch labels give them (views.tables BUILDING_FIELDS).
    assert fields.loc[("gebouwen", "zonpotentie_kwp"), "eenheid"] == "kWp"
    assert fields.loc[("gebouwen", "zonpotentie_kwp"), "betekenis"] == "Zonpotentie"
    assert fields.loc[("gebouwen", "gasverbruik_m3_jaar"), "eenheid"] == "m³/jaar"
    assert fields.loc[("gebouwen", "bag_pand_id"), "soort"] == "tekst"
    assert fields.loc[("gebouwen", "bouwjaar"), "soort"] == "geheel getal"
    assert fields.loc[("gebouwen", "energiebesparingsplicht"), "soort"] == "ja/nee"
    # The input consumption beside the estimate used: both kept, told apart.
    assert (
        fields.loc[("gebouwen", "elektriciteitsverbruik_kwh_jaar_invoer"), "betekenis"]
        == "Elektriciteitsverbruik (zoals aangeleverd)"
    )
    assert fields["betekenis"].str.len().min() > 0
    csv = pd.read_csv(
        io.BytesIO(export.to_field_csv(sel)), sep=";", encoding="utf-8-sig"
    )
    assert len(csv) == len(fields)
    assert export.file_name(sel, "velden").endswith("-velden.csv")


def test_ids_keep_leading_zeros_in_geojson(sel):
    data = export.to_geojson(sel)
    props = json.loads(data)["features"][0]["properties"]
    assert props["bag_pand_id"] == BAG_ID  # a JSON string, not a number
    assert props["huisnummer"] == HOUSE_NUMBER and props["postcode"] == POSTCODE
    read = gpd.read_file(io.BytesIO(data))
    assert read["bag_pand_id"][0] == BAG_ID


def test_ids_keep_leading_zeros_in_geopackage(sel, tmp_path):
    buildings = gpkg(tmp_path, sel, "gebouwen")
    assert buildings["bag_pand_id"][0] == BAG_ID
    assert buildings["huisnummer"][0] == HOUSE_NUMBER
    chances = gpkg(tmp_path, sel, "kansen")
    assert BAG_ID in set(chances["bag_pand_id"])


@pytest.mark.parametrize(
    "dialect, options",
    [("excel-nl", dict(sep=";", encoding="utf-8-sig")), ("plain", {})],
)
def test_ids_stay_text_in_csv_read_with_default_types(sel, dialect, options):
    table = pd.read_csv(io.BytesIO(export.to_csv(sel, dialect)), **options)
    ids = table["BAG-pand-id"]
    assert pd.api.types.is_string_dtype(ids)  # text, not int64
    assert f"NL.IMBAG.Pand.{BAG_ID}" in set(ids)
    assert set(ids.str.removeprefix("NL.IMBAG.Pand.")) == set(
        sel.opportunities["building_id"]
    )


def test_only_sixteen_digit_bag_ids_get_the_namespace():
    ids = pd.Series([BAG_ID, "P-17", None], dtype="string")
    out = export.bag_pand_texts(ids)
    assert out[0] == f"NL.IMBAG.Pand.{BAG_ID}"
    assert out[1] == "P-17" and pd.isna(out[2])
