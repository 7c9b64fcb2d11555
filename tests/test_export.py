"""Exports: each file opened with its own reader and compared with the engine."""

import html
import io
import json
import re

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest

import kansenkaart as kk
from kansenkaart.cli import main
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine.opportunities import opportunity_list
from kansenkaart.views import export, selection
from tests.test_privacy import (
    MALICIOUS,
    SECRET_COMPANY,
    SECRET_ELEC_KWH,
    SECRET_GAS_M3,
    SECRET_TEXTS,
    tiny_terrain,
)

SHEETS = [
    "Samenvatting",
    "Kansen per bedrijf",
    "Kansen per maatregel",
    "Collectieve groepen",
    "Gebouwen",
    "Aannames",
    "Databronnen",
]


@pytest.fixture(scope="module")
def punt():
    return kk.analyse(kk.load_terrain("demo:de-punt"))


@pytest.fixture(scope="module")
def punt_list(punt):
    return opportunity_list(punt)


@pytest.fixture(scope="module")
def tiny():
    return kk.analyse(tiny_terrain())


@pytest.fixture(scope="module")
def punt_xlsx(punt):
    return openpyxl.load_workbook(io.BytesIO(export.to_xlsx(selection.select(punt))))


def table_of(ws) -> pd.DataFrame:
    rows = list(ws.iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def all_cell_values(wb) -> list:
    return [v for ws in wb for row in ws.iter_rows(values_only=True) for v in row]


# --- filters and selection ---------------------------------------------------


def test_no_filter_selects_every_opportunity_and_building(punt, punt_list):
    sel = selection.select(punt)
    assert len(sel.opportunities) == len(punt_list)
    assert (
        sel.opportunities["building_id"].tolist() == punt_list["building_id"].tolist()
    )
    assert len(sel.buildings) == 35


def test_measure_filter_keeps_that_measure_and_its_buildings(punt, punt_list):
    sel = selection.select(punt, selection.Filters(measures=("label_c",)))
    expected = punt_list[punt_list["measure_id"] == "label_c"]
    assert set(sel.opportunities["measure_id"]) == {"label_c"}
    assert sel.opportunities["building_id"].tolist() == expected["building_id"].tolist()
    assert sorted(sel.buildings["building_id"]) == sorted(expected["building_id"])


def test_building_filters_combine(tiny):
    an = tiny
    by_label = selection.select(an, selection.Filters(labels=("E", "onbekend")))
    assert by_label.buildings["company"].tolist() == [SECRET_COMPANY, "Zonder Enquête"]
    # ownership: building 3 has none, which counts as "onbekend"
    owner = selection.select(an, selection.Filters(ownership=("onbekend",)))
    assert owner.buildings["company"].tolist() == ["Zonder Enquête"]
    # besparingsplicht: buildings 1 (81,234 kWh) and 2 (123,457 kWh), not 3
    plicht = selection.select(an, selection.Filters(obligations=("besparingsplicht",)))
    assert plicht.buildings["building_id"].tolist() == [
        "0000000000000001",
        "0000000000000002",
    ]
    both = selection.select(
        an, selection.Filters(obligations=("besparingsplicht",), labels=("E",))
    )
    assert set(both.opportunities["company"]) == {SECRET_COMPANY}


def test_interest_and_scope_filters_act_on_the_rows(tiny):
    an = tiny
    sel = selection.select(an, selection.Filters(interest=("ja",), scope="individual"))
    # both surveyed companies answered "ja" for LED, nobody for anything else
    assert sel.opportunities[["building_id", "measure_id"]].values.tolist() == [
        ["0000000000000001", "led"],
        ["0000000000000002", "led"],
    ]
    assert len(sel.buildings) == 2
    collective = selection.select(an, selection.Filters(scope="collective"))
    assert set(collective.opportunities["scope"]) == {"collective"}


def test_kopgroep_filter(punt):
    an = punt
    a = an.buildings
    sel = selection.select(an, selection.Filters(kopgroep_only=True))
    expected = a.loc[a["kopgroep_selected"].fillna(False), "building_id"]
    assert sorted(sel.buildings["building_id"]) == sorted(expected)
    assert set(sel.opportunities["building_id"]) <= set(expected)


def test_filters_refuse_unknown_values_in_dutch():
    with pytest.raises(ValueError, match="onbekende maatregel: zon"):
        selection.Filters(measures=("zon",))
    with pytest.raises(ValueError, match="onbekende energielabel: H"):
        selection.Filters(labels=("H",))
    with pytest.raises(ValueError, match="onbekende soort"):
        selection.Filters(scope="alles")


def test_filters_describe_themselves_in_dutch():
    assert selection.Filters().describe() == []
    f = selection.Filters(
        measures=("led",), labels=("C", "onbekend"), kopgroep_only=True
    )
    assert f.describe() == [
        "Maatregel: LED-verlichting",
        "Kopgroep: alleen de kopgroep",
        "Energielabel: C, onbekend",
    ]


def test_measure_summary_sums_per_measure_and_counts_companies():
    rows = pd.DataFrame(
        {
            "building_id": ["1", "2", "2", "3"],
            "measure_id": ["led", "led", "zon_eigen_dak", "led"],
            "kwp": pd.array([None, None, 30.0, None], dtype="Float64"),
            "kwh_yr": pd.array([100.0, 250.0, 26250.0, None], dtype="Float64"),
            "co2_kg_yr": pd.array([48.0, 120.0, 12600.0, None], dtype="Float64"),
            "invest_eur": pd.array([500.0, 700.0, 33000.0, 100.0], dtype="Float64"),
        }
    )
    out = selection.measure_summary(rows, DEFAULT).set_index("measure_id")
    assert out.index.tolist() == ["zon_eigen_dak", "led"]  # catalogue order
    assert out.loc["led", "n_companies"] == 3
    assert out.loc["led", "kwh_yr"] == 350.0
    assert pd.isna(out.loc["led", "kwp"])
    assert out.loc["led", "invest_eur"] == 1300.0
    assert out.loc["zon_eigen_dak", "kwp"] == 30.0
    public = selection.measure_summary(rows, DEFAULT, "openbaar").set_index(
        "measure_id"
    )
    assert pd.isna(public.loc["led", "kwh_yr"])
    assert public.loc["led", "n_companies"] == 3
    assert public.loc["led", "note"] == "totalen niet getoond: minder dan 10 bedrijven"


def test_public_totals_over_ten_companies_are_shown(punt):
    sel = selection.select(punt, variant="openbaar")
    totals = sel.totals.set_index("measure_id")
    # Zon is listed only where the rule holds (roof, connection, payback).
    solar = punt.buildings["measures"].apply(lambda m: "zon_eigen_dak" in m)
    assert 10 <= solar.sum() < len(punt.buildings)
    assert totals.loc["zon_eigen_dak", "n_companies"] == solar.sum()
    # rounded to two significant digits (docs/PRIVACY.md): within 5 %
    assert totals.loc["zon_eigen_dak", "kwp"] == pytest.approx(
        punt.buildings.loc[solar, "pv_kwp_potential"].sum(), rel=0.05
    )
    small = totals[totals["n_companies"] < 10]
    assert len(small) and small["kwh_yr"].isna().all()


# --- Excel -----------------------------------------------------------------------


def test_workbook_has_the_six_sheets_with_frozen_filtered_headers(punt_xlsx):
    assert punt_xlsx.sheetnames == SHEETS
    for name in SHEETS[1:]:
        ws = punt_xlsx[name]
        assert ws.freeze_panes == "A2", name
        last = ws.cell(1, ws.max_column).column_letter
        assert ws.auto_filter.ref == f"A1:{last}{ws.max_row}", name
        assert ws.cell(1, 1).font.bold, name
        assert ws.column_dimensions["A"].width >= 8, name


def test_opportunity_sheet_equals_the_opportunity_list(punt_xlsx, punt_list):
    sheet = table_of(punt_xlsx["Kansen per bedrijf"])
    assert len(sheet) == len(punt_list)
    assert sheet["BAG-pand-id"].tolist() == punt_list["building_id"].tolist()
    assert sheet["Maatregel"].tolist() == punt_list["measure_name"].tolist()
    first_solar = punt_list.index[punt_list["measure_id"] == "zon_eigen_dak"][0]
    assert sheet["Zonvermogen (kWp)"][first_solar] == pytest.approx(
        punt_list["kwp"][first_solar]
    )
    assert sheet["Soort"].isin(["individueel", "collectief"]).all()
    assert sheet["Via verhuurder"].isin(["ja", "nee", "onbekend"]).all()


def test_numbers_are_numbers_with_formats(punt_xlsx):
    ws = punt_xlsx["Kansen per bedrijf"]
    headers = [c.value for c in ws[1]]
    kwp_col = headers.index("Zonvermogen (kWp)") + 1
    kwp = next(
        ws.cell(r, kwp_col)
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, kwp_col).value is not None
    )
    assert isinstance(kwp.value, float) and kwp.number_format == "#,##0.0"
    euro = ws.cell(2, headers.index("Investering (€)") + 1)
    assert euro.number_format == '"€" #,##0'
    gebouwen = punt_xlsx["Gebouwen"]
    year = gebouwen.cell(2, [c.value for c in gebouwen[1]].index("Bouwjaar") + 1)
    assert isinstance(year.value, int) and year.number_format == "0"


def test_measure_and_building_sheets(punt_xlsx, punt):
    measures_sheet = table_of(punt_xlsx["Kansen per maatregel"]).set_index("Maatregel")
    led = measures_sheet.loc["LED-verlichting"]
    with_led = punt.buildings["measures"].apply(lambda m: "led" in m).sum()
    assert 0 < with_led < len(punt.buildings)  # LED is not advised everywhere
    assert led["Aantal bedrijven"] == with_led
    buildings = table_of(punt_xlsx["Gebouwen"])
    assert buildings["BAG-pand-id"].tolist() == punt.buildings["building_id"].tolist()
    assert buildings["Zonpotentie (kWp)"].astype(float).to_numpy() == pytest.approx(
        punt.buildings["pv_kwp_potential"].to_numpy(dtype=float)
    )


def test_assumptions_and_sources_sheets(punt_xlsx):
    aannames = table_of(punt_xlsx["Aannames"])
    assert len(aannames) == len(list(DEFAULT))
    panel = aannames.set_index("Sleutel").loc["panel_wp"]
    assert (panel["Waarde"], panel["Eenheid"]) == (435, "Wp")
    assert "Datasheets" in panel["Bron"]
    bronnen = table_of(punt_xlsx["Databronnen"]).set_index("Gegeven")
    assert bronnen.loc["Gebouwen", "Aantal rijen"] == 35
    assert "Fictieve demodata" in bronnen.loc["Let op", "Bron"]


def test_summary_says_demo_data_is_fictitious(punt_xlsx):
    texts = " ".join(
        str(v)
        for row in punt_xlsx["Samenvatting"].iter_rows(values_only=True)
        for v in row
        if v
    )
    assert "Demodata – fictief" in texts
    assert "De Punt (Tynaarlo)" in texts
    assert "energieneutraal in 2035" in texts


def test_a_real_terrain_is_not_called_fictitious(tiny):
    wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(selection.select(tiny))))
    assert not any("fictie" in str(v) for v in all_cell_values(wb) if v)


def test_formula_injection_stays_text(tiny):
    wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(selection.select(tiny))))
    cell = wb["Kansen per bedrijf"]["A2"]
    assert cell.value == "'" + MALICIOUS
    assert cell.data_type == "s"
    assert not any(c.data_type == "f" for ws in wb for row in ws for c in row)
    # the bell character of "Geheimweg 2\x07" is stripped
    assert "Geheimweg 2" in all_cell_values(wb)


# --- CSV ----------------------------------------------------------------------------


def test_csv_for_dutch_excel(punt, punt_list):
    data = export.to_csv(selection.select(punt))
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Bedrijf;Adres;BAG-pand-id;Maatregel")
    # Read back as a program does, without saying which columns are text.
    table = pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    assert len(table) == len(punt_list)
    assert table["BAG-pand-id"].tolist() == [
        "NL.IMBAG.Pand." + b for b in punt_list["building_id"]
    ]
    kwp = table["Zonvermogen (kWp)"].to_numpy(dtype=float)
    expected = punt_list["kwp"].to_numpy(dtype=float, na_value=np.nan).round(1)
    np.testing.assert_allclose(kwp, expected)
    assert re.search(r";\d+,\d;", text), "decimal comma"


def test_plain_csv(punt, punt_list):
    data = export.to_csv(selection.select(punt), "plain")
    assert not data.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(io.BytesIO(data), dtype={"BAG-pand-id": str})
    assert len(table) == len(punt_list)
    np.testing.assert_allclose(
        table["Terugverdientijd (jaar)"].to_numpy(dtype=float),
        punt_list["payback_yr"].to_numpy(dtype=float, na_value=np.nan).round(1),
    )


def test_csv_injection(tiny):
    sel = selection.select(tiny)
    nl = pd.read_csv(io.BytesIO(export.to_csv(sel)), sep=";", encoding="utf-8-sig")
    assert nl["Bedrijf"][0] == "'" + MALICIOUS
    plain = pd.read_csv(io.BytesIO(export.to_csv(sel, "plain")))
    assert plain["Bedrijf"][0] == MALICIOUS


def test_csv_refuses_an_unknown_dialect(tiny):
    with pytest.raises(ValueError, match="onbekend CSV-dialect"):
        export.to_csv(selection.select(tiny), "tab")


# --- GIS ----------------------------------------------------------------------------


def test_geojson_in_wgs84_with_the_computed_columns(punt):
    an = punt
    a = an.buildings
    data = export.to_geojson(selection.select(an))
    read = gpd.read_file(io.BytesIO(data))
    assert read.crs.to_epsg() == 4326
    assert read["bag_pand_id"].tolist() == a["building_id"].tolist()  # zeros kept
    names = selection.MEASURE_NAMES
    assert read["kansen"].tolist() == [
        ", ".join(names[m] for m in ms) if ms else None for ms in a["measures"]
    ]
    np.testing.assert_allclose(
        read["zonpotentie_kwp"], a["pv_kwp_potential"].to_numpy(dtype=float)
    )
    back = read.to_crs(28992).geometry.centroid
    assert back.distance(a.geometry.centroid.reset_index(drop=True)).max() < 0.05
    west, south, east, north = read.total_bounds
    assert 6.5 < west < east < 6.7 and 53.0 < south < north < 53.2  # near Eelde


def test_geojson_writes_missing_values_as_null(punt):
    an = punt
    a = an.buildings
    doc = json.loads(export.to_geojson(selection.select(an)))
    first_unlabelled = int(np.flatnonzero(a["energy_label"].isna())[0])
    props = doc["features"][first_unlabelled]["properties"]
    assert props["energielabel"] is None
    assert isinstance(props["energiebesparingsplicht"], bool)
    assert props["bouwjaar"] == a["construction_year"][first_unlabelled]


def gpkg_file(folder, data: bytes):
    """The GeoPackage bytes as a file, the way a user opens it in QGIS."""
    path = folder / "export.gpkg"
    path.write_bytes(data)
    return path


def test_geopackage_in_rd_new_with_buildings_and_opportunities(
    punt, punt_list, tmp_path
):
    an = punt
    a = an.buildings
    data = export.to_gpkg(selection.select(an, selection.Filters(scope="collective")))
    path = gpkg_file(tmp_path, data)
    layers = dict(pyogrio.list_layers(path))
    assert set(layers) == {"gebouwen", "kansen", "velden"}
    read = gpd.read_file(path, layer="gebouwen")
    assert read.crs.to_epsg() == 28992
    assert read["bag_pand_id"].tolist() == a["building_id"].tolist()
    np.testing.assert_allclose(read.geometry.area, a.geometry.area, rtol=1e-6)
    rows = pyogrio.read_dataframe(path, layer="kansen")
    expected = punt_list[punt_list["scope"] == "collective"]
    assert len(rows) == len(expected)
    assert rows["maatregel"].tolist() == expected["measure_name"].tolist()
    assert set(rows["bag_pand_id"]) <= set(read["bag_pand_id"])  # the join key


def map_layer_counts(page: bytes, key: str) -> dict[str, int]:
    """Buildings per class of the folium map layer ``key`` in a map file."""
    text = html.unescape(page.decode("utf-8"))
    for found in re.finditer(r"kkLayer\((\{.*?\})\)\.addTo", text):
        layer = json.loads(found.group(1))
        if layer["k"] == key:
            labels = layer["l"]
            return {labels[c]: layer["c"].count(c) for c in set(layer["c"])}
    raise AssertionError(f"no layer {key}")


def test_downloaded_map_of_the_public_variant_leaves_out_private_measures(punt):
    """'Download kaart' in the public variant: insulation follows from the
    company's own energy use, so it is shown only for companies that
    consented (PRIVACY.md, the public variant)."""
    a = punt.buildings
    has = a["measures"].map(lambda ids: "isolatie" in ids)
    consent = a["consent_werksessie"].fillna(False).astype(bool)
    assert has.sum() > (has & consent).sum() > 0  # the demo has both
    label = "kans: Isolatie en kierdichting"
    for variant, expected in (("intern", has), ("openbaar", has & consent)):
        page = export.opportunity_map_html(punt, variant, "all", ["isolatie"])
        assert map_layer_counts(page, "kansen")[label] == expected.sum(), variant


# --- HTML report ----------------------------------------------------------------------


def test_html_report_is_self_contained(punt, punt_list):
    page = export.to_html(selection.select(punt)).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.count("<iframe") == 2
    assert "De Punt (Tynaarlo)" in page and "Demodata – fictief" in page
    assert "Energielabel bekend" in page  # a key figure
    assert "energieneutraal in 2035" in page
    # no external script or stylesheet outside the maps' background tiles
    assert not re.search(r"<script[^>]+src=\"http", page)
    assert "<h2>Kansen per bedrijf</h2>" in page
    body = page.split("<h2>Kansen per bedrijf</h2>")[1]
    assert body.count("<tr>") == len(punt_list) + 1


def test_html_report_escapes_every_text(tiny):
    page = export.to_html(selection.select(tiny)).decode("utf-8")
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Geheim B.V." in page


# --- openbaar: nothing of a company without consent leaks -------------------------


def _texts_of(format_id: str, data: bytes, folder) -> str:
    """Every value of the file as one text (numbers as Python prints them)."""
    if format_id == "xlsx":
        wb = openpyxl.load_workbook(io.BytesIO(data))
        return " ".join(map(str, all_cell_values(wb)))
    if format_id == "gpkg":
        path = gpkg_file(folder, data)
        layers = [
            pyogrio.read_dataframe(path, layer=name)
            for name, _ in pyogrio.list_layers(path)
        ]
        return " ".join(
            layer.drop(columns="geometry", errors="ignore").to_csv() for layer in layers
        )
    if format_id == "geoparquet":
        layer = gpd.read_parquet(io.BytesIO(data))
        return layer.drop(columns="geometry").to_csv()
    return data.decode("utf-8-sig")


# "velden" describes the fields of the GIS files and holds no company data.
@pytest.mark.parametrize("format_id", [f for f in export.FORMATS if f != "velden"])
def test_openbaar_files_hold_no_figures_of_a_company_without_consent(
    tiny, format_id, tmp_path
):
    an = tiny
    a = an.buildings
    secrets = [*SECRET_TEXTS]
    for column in ("demand_kwh_yr", "co2_kg_yr", "heat_demand_kwh_yr"):
        value = float(a[column][1])
        secrets += [repr(value), export.fmt.number(value), f"{value:.0f}"]
    public = export.export(selection.select(an, variant="openbaar"), format_id)
    text = _texts_of(format_id, public, tmp_path)
    assert "Geheim B.V." in html.unescape(text)  # the company itself is shown
    leaked = [s for s in secrets if s in text]
    assert leaked == []
    # the same file in the intern variant does hold them (the check can fail)
    intern = export.export(selection.select(an), format_id)
    intern = _texts_of(format_id, intern, tmp_path)
    assert any(s in intern for s in secrets)


def test_openbaar_marks_hidden_cells(tiny):
    wb = openpyxl.load_workbook(
        io.BytesIO(export.to_xlsx(selection.select(tiny, variant="openbaar")))
    )
    buildings = table_of(wb["Gebouwen"]).set_index("BAG-pand-id")
    assert buildings.loc["0000000000000002", "Elektriciteitsverbruik (kWh/jaar)"] == (
        "niet getoond"
    )
    assert buildings.loc["0000000000000001", "Elektriciteitsverbruik (kWh/jaar)"] == (
        81234
    )
    totals = table_of(wb["Kansen per maatregel"])
    assert totals["Opwek of besparing (kWh/jaar)"].isna().all()  # 3 companies < 10


def test_secret_numbers_are_really_in_the_tiny_terrain(tiny):
    assert tiny.buildings["elec_kwh_yr"][1] == SECRET_ELEC_KWH
    assert tiny.buildings["gas_m3_yr"][1] == SECRET_GAS_M3


# --- formats ----------------------------------------------------------------------


def test_formats_and_file_names(punt):
    sel = selection.select(punt, variant="openbaar")
    assert export.file_name(sel, "xlsx") == "kansenlijst-de-punt-openbaar.xlsx"
    assert (
        export.file_name(sel, "csv-plain") == "kansenlijst-de-punt-openbaar-komma.csv"
    )
    with pytest.raises(ValueError, match="onbekend formaat 'pdf'"):
        export.export(sel, "pdf")


def test_writers_do_not_modify_their_input(tiny):
    an = tiny
    a = an.buildings
    before = a.copy()
    sel = selection.select(an, variant="openbaar")
    for format_id in export.FORMATS:
        export.export(sel, format_id)
    pd.testing.assert_frame_equal(a, before)


# --- CLI: python -m kansenkaart export ---------------------------------------------


@pytest.mark.parametrize("format_id", ["csv", "csv-plain", "geojson", "html"])
def test_cli_writes_the_same_bytes_as_the_library(punt, format_id, tmp_path, capsys):
    target = tmp_path / f"uit{export.FORMATS[format_id].extension}"
    argv = ["export", "--terrain", "demo:de-punt", "--format", format_id]
    assert main([*argv, "--variant", "openbaar", "-o", str(target)]) == 0
    sel = selection.select(punt, variant="openbaar")
    # folium names map elements with random ids
    ids = re.compile(rb"_[0-9a-f]{32}")
    written = ids.sub(b"_id", target.read_bytes())
    assert written == ids.sub(b"_id", export.export(sel, format_id))
    out = capsys.readouterr().out
    assert f"Geschreven: {target}" in out and "fictief" in out


def test_cli_excel_with_measure_filter(punt, tmp_path):
    target = tmp_path / "led.xlsx"
    argv = ["export", "--terrain", "demo:de-punt", "--format", "xlsx"]
    assert (
        main([*argv, "--measure", "led", "--measure", "isolatie", "-o", str(target)])
        == 0
    )
    sheet = table_of(openpyxl.load_workbook(target)["Kansen per bedrijf"])
    assert set(sheet["Maatregel"]) == {"LED-verlichting", "Isolatie en kierdichting"}
    expected = selection.select(punt, selection.Filters(measures=("led", "isolatie")))
    assert (
        sheet["BAG-pand-id"].tolist() == expected.opportunities["building_id"].tolist()
    )


def test_cli_gpkg_is_a_geopackage(tmp_path):
    target = tmp_path / "punt.gpkg"
    argv = ["export", "--terrain", "demo:de-punt", "--format", "gpkg"]
    assert main([*argv, "--scope", "individual", "-o", str(target)]) == 0
    assert gpd.read_file(target, layer="gebouwen").crs.to_epsg() == 28992


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--format", "pdf"], "onbekend formaat 'pdf'"),
        (["--format", "csv", "--variant", "geheim"], "onbekende variant 'geheim'"),
        (["--format", "csv", "--scope", "alles"], "onbekende soort: alles"),
        (["--format", "csv", "--measure", "zon"], "onbekende maatregel: zon"),
        (["--format", "csv", "--terrain", "demo:nergens"], "onbekend demoterrein"),
    ],
)
def test_cli_refuses_invalid_input_in_dutch(extra, message, tmp_path, capsys):
    target = tmp_path / "x"
    argv = ["export", "--terrain", "demo:de-punt", *extra, "-o", str(target)]
    assert main(argv) == 1
    assert message in capsys.readouterr().err
    assert not target.exists()


def test_cli_names_missing_options_and_folders(tmp_path, capsys):
    assert main(["export", "--format", "csv"]) == 1
    assert "geef ook --terrain, -o op" in capsys.readouterr().err
    missing = tmp_path / "bestaat-niet" / "x.csv"
    argv = ["export", "--terrain", "demo:de-punt", "--format", "csv"]
    assert main([*argv, "-o", str(missing)]) == 1
    assert "bestaat niet" in capsys.readouterr().err


@pytest.mark.parametrize("variant", ["intern", "openbaar"])
def test_an_empty_selection_gives_empty_but_valid_files(punt, variant, tmp_path):
    an = punt
    a = an.buildings
    assert not a["onderzoeksplicht"].fillna(False).any()  # so nothing is selected
    sel = selection.select(
        an, selection.Filters(obligations=("onderzoeksplicht",)), variant
    )
    wb = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(sel)))
    assert wb["Kansen per bedrijf"].max_row == 1  # the header only
    assert table_of(wb["Aannames"]).shape[0] == len(list(DEFAULT))
    assert len(pd.read_csv(io.BytesIO(export.to_csv(sel)), sep=";")) == 0
    assert json.loads(export.to_geojson(sel))["features"] == []
    path = gpkg_file(tmp_path, export.to_gpkg(sel))
    assert len(gpd.read_file(path, layer="gebouwen")) == 0
    assert "<h2>Kansen per bedrijf</h2>" in export.to_html(sel).decode()


def test_extra_columns_of_an_upload_reach_the_gis_files(tiny, tmp_path):
    an = tiny
    a = an.buildings
    extra = a.assign(
        kadaster_nr=pd.Series(["K1", None, 17], dtype=object, index=a.index)
    )
    sel = selection.select(an.with_buildings(extra))
    read = gpd.read_file(gpkg_file(tmp_path, export.to_gpkg(sel)), layer="gebouwen")
    assert read["kadaster_nr"].tolist()[0] == "K1"
    assert read["kadaster_nr"].tolist()[2] == "17"
    assert pd.isna(read["kadaster_nr"][1])
    assert read["kansen"][0].split(", ")[0] == selection.MEASURE_NAMES["zon_eigen_dak"]
