"""The Capaciteitskaart data product (dp-capaciteitskaart JSON) of the netbeheerders.

Figures are checked against the real TenneT delivery in
``tests/fixtures/real/capaciteitskaart/`` (provenance in
``tests/fixtures/real/README.md``), not against the code's own output.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import kansenkaart as kk
from kansenkaart.cli import main
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.core.errors import DataError
from kansenkaart.core.model import Analysis
from kansenkaart.engine import grid_context
from kansenkaart.io import infra_files
from kansenkaart.io.capaciteitskaart import read_capaciteitskaart
from kansenkaart.views import capacity, pmiek_projects

ROOT = Path(__file__).resolve().parents[1]
REAL = ROOT / "tests" / "fixtures" / "real" / "capaciteitskaart"
TENNET = REAL / "TenneT_20260423_v21_update-subset.json"


@pytest.fixture(scope="module")
def product():
    return read_capaciteitskaart(TENNET)


@pytest.fixture(scope="module")
def de_wieken():
    return kk.load_terrain("demo:de-wieken")


# --- reader, on the real TenneT file ------------------------------------------------


def test_reader_reads_the_real_tennet_file(product):
    assert product.publisher == "TenneT CCC"
    assert product.version == "2.1.0"
    assert product.updated == "2026-04-23"
    assert list(product.areas["short_code"]) == [
        "Crayestein",
        "Drenthe",
        "Eemshaven Midden",
        "Station Hoogeveen 110 kV",
    ]
    areas = product.areas.set_index("short_code")
    # "generation_alleviation_year": 2034 for Drenthe; 2033/2037 for Eemshaven.
    assert areas.loc["Drenthe", "generation_alleviation_year"] == 2034
    assert pd.isna(areas.loc["Drenthe", "demand_alleviation_year"])
    assert areas.loc["Eemshaven Midden", "demand_alleviation_year"] == 2033
    assert areas.loc["Eemshaven Midden", "generation_alleviation_year"] == 2037
    assert areas.loc[
        "Station Hoogeveen 110 kV", "generation_energy_area_short_code"
    ] == ("Drenthe")
    assert product.warnings == ()


def test_capacity_per_year_as_in_the_file(product):
    drenthe = product.capacity[product.capacity["short_code"] == "Drenthe"]
    assert list(drenthe["year"]) == [2026, 2027, 2028, 2029, 2030]
    assert list(drenthe["generation_available_capacity"]) == [509, 361, 361, 361, 1025]
    assert list(drenthe["generation_quoted_capacity"]) == [778, 782, 687, 693, 712]
    assert set(drenthe["generation_capacity_in_queue"]) == {1990}
    assert drenthe["demand_available_capacity"].isna().all()
    eems = product.capacity[product.capacity["short_code"] == "Eemshaven Midden"]
    row_2033 = eems[eems["year"] == 2033].iloc[0]
    assert row_2033["demand_available_capacity"] == 740
    assert row_2033["demand_quoted_capacity"] == 375
    # Crayestein publishes "area_capacity": [] -> no rows.
    assert not (product.capacity["short_code"] == "Crayestein").any()


def test_traffic_light_maps_rag_colours_to_statuses(product):
    # Station Hoogeveen 110 kV, 2025: demand "yellow", generation "red".
    now = grid_context.current_status(product)
    assert now.loc["Station Hoogeveen 110 kV", "demand_status"] == 1
    assert now.loc["Station Hoogeveen 110 kV", "generation_status"] == 3
    assert now.loc["Station Hoogeveen 110 kV", "generation_year"] == 2025
    # TenneT gives no colour for its congestion areas.
    assert pd.isna(now.loc["Drenthe", "generation_status"])


def test_works_with_planning(product):
    drenthe = product.works[product.works["short_code"] == "Drenthe"]
    assert len(drenthe) == 9
    deelnet = drenthe[drenthe["project_name"] == "Deelnet Emmen"].iloc[0]
    assert (deelnet["start"], deelnet["end"]) == ("2031-01-01", "2033-12-31")
    assert deelnet["status_kind"] == "scheduled"
    assert capacity.work_planning(deelnet) == "2031–2033"
    first = drenthe.iloc[0]
    assert first["project_name"] == "Musselkanaal 380/110 kV realiseren station"
    assert capacity.work_planning(first) == "2026"


def test_version_1_layout_with_postcode_areas(tmp_path):
    # Layout of im-capaciteitskaart v1.3.0 (its published DSO example).
    doc = {
        "conforms_to": "http://data.netbeheernederland.nl/capaciteitskaart/v1.3.0",
        "creator": "netbeheerder",
        "identifier": "test",
        "issued": "2025-01-10",
        "energy_areas": [
            {
                "short_code": "OS A",
                "demand_available_capacity": 47,
                "generation_available_capacity": 47,
                "demand_alleviation_year": 2030,
                "works": [
                    {
                        "project_name": "Vervanging transformator",
                        "time_schedules": [
                            {"schedule_interval": {"quarter": 3, "year": 2026}}
                        ],
                    }
                ],
                "postcode_areas": [
                    {
                        "postcode": "7903 jd",
                        "demand_constraint": "amber",
                        "generation_constraint": "transparant",
                    }
                ],
            }
        ],
    }
    path = tmp_path / "dso.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    product = read_capaciteitskaart(path)
    assert product.capacity.loc[0, "year"] == 2025
    assert product.capacity.loc[0, "demand_available_capacity"] == 47
    assert list(product.postcodes["postcode"]) == ["7903JD"]
    assert product.postcodes.loc[0, "demand_status"] == 2  # amber: in onderzoek
    assert product.postcodes.loc[0, "generation_status"] == 0  # transparant
    assert capacity.work_planning(product.works.iloc[0]) == "Q3 2026"


def test_unknown_colour_is_reported_not_guessed(tmp_path):
    doc = {
        "energy_areas": [
            {
                "short_code": "X",
                "area_capacity": [
                    {"capacity_interval": {"year": 2026}, "demand_constraint": "paars"}
                ],
            }
        ]
    }
    path = tmp_path / "kleur.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    product = read_capaciteitskaart(path)
    assert pd.isna(product.capacity.loc[0, "demand_status"])
    assert "kleur.json" in product.warnings[0]
    assert "'paars'" in product.warnings[0]


def test_area_without_short_code_names_file_and_area(tmp_path):
    path = tmp_path / "kapot.json"
    path.write_text(json.dumps({"energy_areas": [{"short_code": "A"}, {}]}))
    with pytest.raises(DataError) as info:
        read_capaciteitskaart(path)
    text = str(info.value)
    assert "kapot.json" in text and "rij 2" in text and "short_code" in text


def test_other_json_gets_a_dutch_error_without_qgis_advice():
    with pytest.raises(DataError) as info:
        infra_files.read_capacity_upload(b'{"foo": [1, 2]}', "iets.json")
    text = str(info.value)
    assert "iets.json" in text
    assert "geen GeoJSON met capaciteitsgebieden en geen Capaciteitskaart" in text
    assert "QGIS" not in text
    with pytest.raises(DataError, match="geen geldig JSON"):
        infra_files.read_capacity_upload(b"{kapot", "kapot.json")


def test_upload_tells_data_product_from_geojson():
    kind, table, warnings = infra_files.read_capacity_upload(
        TENNET.read_bytes(), TENNET.name
    )
    assert kind == "capaciteitskaart" and len(table.areas) == 4 and warnings == []
    grid = ROOT / "data" / "demo" / "de-punt" / "grid.geojson"
    kind, table, _ = infra_files.read_capacity_upload(grid.read_bytes(), "grid.geojson")
    assert kind == "grid" and len(table) == 2


# --- areas covering a terrain ---------------------------------------------------------


def test_demo_terrain_in_drenthe_gets_the_drenthe_congestion_area(product, de_wieken):
    context = grid_context.covering_areas(de_wieken, product)
    assert list(context.areas["short_code"]) == ["Drenthe"]
    assert "Drenthe" in context.areas.loc[0, "reason"]
    overview = capacity.area_overview(context).iloc[0]
    assert overview["invoeding: tekort opgelost in"] == "2034"
    assert overview["afname: tekort opgelost in"] == capacity.NOT_IN_FILE


def test_fictitious_demo_station_is_not_linked_to_a_real_station(product, de_wieken):
    # De Wieken's capacity map names "Onderstation Hoogeveen (fictief)".
    elsewhere = dataclasses.replace(
        de_wieken, meta={**de_wieken.meta, "municipality": "Utrecht"}
    )
    context = grid_context.covering_areas(elsewhere, product)
    assert context.areas.empty
    assert context.note.startswith("Geen energiegebied in ")
    assert "Onderstation Hoogeveen (fictief)" in context.note
    assert "fictieve demostations worden niet gekoppeld" in context.note
    assert "7903JD" in context.note


def test_station_of_the_capacity_map_links_area_and_congestion_area(product, de_wieken):
    grid = de_wieken.grid.assign(station="Hoogeveen 110 kV")
    terrain = dataclasses.replace(de_wieken, grid=grid)
    context = grid_context.covering_areas(terrain, product)
    assert list(context.areas["short_code"]) == ["Station Hoogeveen 110 kV", "Drenthe"]
    overview = capacity.area_overview(context).set_index("energiegebied")
    station = overview.loc["Station Hoogeveen 110 kV"]
    assert station["afname nu"].startswith("1 · beperkte capaciteit (geel)")
    assert station["invoeding nu"].startswith("3 · tekort (rood)")


def test_postcode_of_the_terrain_selects_the_area(de_wieken, tmp_path):
    doc = {
        "energy_areas": [
            {"short_code": "Elders", "postcode_areas": [{"postcode": "1234AB"}]},
            {
                "short_code": "OS Hoogeveen",
                "postcode_areas": [
                    {"postcode": "7903JD", "demand_constraint": "red"},
                    {"postcode": "7903JH", "demand_constraint": "red"},
                ],
            },
        ]
    }
    path = tmp_path / "dso.json"
    path.write_text(json.dumps(doc))
    context = grid_context.covering_areas(de_wieken, read_capaciteitskaart(path))
    assert list(context.areas["short_code"]) == ["OS Hoogeveen"]
    assert "7903JD, 7903JH" in context.areas.loc[0, "reason"]


def test_works_linked_to_pmiek_projects_by_whole_name(product, de_wieken):
    analysis = Analysis(de_wieken, DEFAULT, de_wieken.buildings)
    context = grid_context.attach(analysis, product, ("Drenthe",)).grid_context
    works = capacity.works_table(context, de_wieken.projects).set_index("werk")
    # TenneT's "Deelnet Emmen" (2031–2033) is the pMIEK project Deelnet Emmen
    # (both verkenningen, IBN bandbreedte 2031–2033 in the Uitvoeringsagenda).
    linked = works.loc["Deelnet Emmen", "pMIEK-project"]
    assert "Emmen Noord 110/20 kV" in linked and "Emmen Bargermeer" in linked
    # A shared place name is not enough (rule in WORK_LINK_RULE).
    assert pd.isna(
        works.loc[
            "Zeyerveen 220 kV plaatsen en vervangen transformatoren", "pMIEK-project"
        ]
    )
    assert pd.isna(
        works.loc["Bargermeer-Meeden 110 kV verzwaren verbinding", "pMIEK-project"]
    )
    assert works["pMIEK-project"].notna().sum() == 1
    assert "Zeijerveen" in pmiek_projects.WORK_LINK_RULE


# --- CLI ------------------------------------------------------------------------------


def test_cli_import_capaciteitskaart(capsys):
    code = main(
        ["import", "--capaciteitskaart", str(TENNET), "--terrain", "demo:de-wieken"]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "4 energiegebieden" in out
    assert "Drenthe" in out and "2034" in out
    assert "Deelnet Emmen" in out


def test_cli_import_capaciteitskaart_bad_json_is_dutch(tmp_path, capsys):
    bad = tmp_path / "fout.json"
    bad.write_text('{"type": "Something"}')
    assert main(["import", "--capaciteitskaart", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "fout.json" in err and "Capaciteitskaart-dataproduct" in err


# --- the page -----------------------------------------------------------------


def test_netcapaciteit_shows_area_relief_year_and_works():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["terrain_key"] = "demo:de-wieken"
    at.run()
    at.switch_page("pages/2_netcapaciteit.py").run()
    at.file_uploader(key="nc_upload_grid").upload(
        TENNET.name, TENNET.read_bytes(), "application/json"
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Energiegebied van het terrein (dataproduct Capaciteitskaart)" in [
        s.value for s in at.subheader
    ]
    tables = [getattr(d.value, "data", d.value) for d in at.dataframe]
    (overview,) = [t for t in tables if "Drenthe" in t]
    rows = dict(zip(overview["energiegebied"], overview["Drenthe"], strict=True))
    assert rows["invoeding: tekort opgelost in"] == "2034"
    assert rows["soort"] == "congestiegebied (TenneT)"
    (by_year,) = [t for t in tables if "capaciteit" in t]
    available = by_year.set_index("capaciteit").loc["invoeding beschikbaar (MW)"]
    assert list(available) == [509, 361, 361, 361, 1025]  # 2026–2030, as published
    (works,) = [t for t in tables if "pMIEK-project" in t]
    assert len(works) == 9 and "Deelnet Emmen" in list(works["werk"])
    # The capacity-map layer of the terrain is kept (GeoJSON/GPKG upload).
    assert "Netcapaciteit op het terrein" in [s.value for s in at.subheader]
