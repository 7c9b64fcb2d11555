"""Netcapaciteit & infrastructuur: statuses, advice, pMIEK projects, imports.

Expected values are written by hand from DESIGN.md §4.4/§4.5, the seed
*Uitvoeringsagenda pMIEK* (004_d152812a7379867c.txt) and the hand-made
fixtures in tests/fixtures, not taken from the code's own output.
"""

from __future__ import annotations

import colorsys
import io
import json
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

import kansenkaart as kk
from kansenkaart.core import pmiek
from kansenkaart.core import schema as sch
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.core.model import Analysis
from kansenkaart.engine import grid, measures
from kansenkaart.io import infra_files
from kansenkaart.views import capacity, pmiek_projects
from tests.engine_fixtures import X0, Y0, buildings, layer, rect, table

FIXTURES = Path(__file__).parent / "fixtures"
PMIEK = Path(__file__).resolve().parents[1] / "data" / "pmiek_projects.csv"


def _pmiek() -> pd.DataFrame:
    raw = pd.read_csv(PMIEK, dtype=str, keep_default_na=False)
    return sch.validate(raw, sch.PROJECTS, "pmiek_projects.csv")


def _hue(hex_colour: str) -> float:
    """Hue in degrees 0–360."""
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    return colorsys.rgb_to_hsv(*rgb)[0] * 360


# --- status mapping (DESIGN.md §4.4) ------------------------------------------

HUES = {
    "groen": (90, 150),
    "geel": (45, 65),
    "oranje": (20, 40),
}


@pytest.mark.parametrize(
    ("status", "words", "colour_name"),
    [
        (0, "capaciteit beschikbaar", "groen"),
        (1, "beperkt", "geel"),
        (2, "in onderzoek / wachtrij", "oranje"),
        (3, "tekort", "rood"),
    ],
)
def test_status_has_dutch_text_and_its_familiar_colour(status, words, colour_name):
    text = capacity.status_text(status)
    assert text.startswith(f"{status} · ")
    assert words in text and f"({colour_name})" in text
    hue = _hue(capacity.status_colour(status))
    if colour_name == "rood":
        assert hue >= 340 or hue <= 10
    else:
        low, high = HUES[colour_name]
        assert low <= hue <= high


def test_status_accepts_numpy_and_nullable_ints():
    assert capacity.status_text(np.int64(3)) == capacity.status_text(3)
    assert capacity.status_text(pd.array([2], dtype="Int64")[0]).startswith("2 · ")


@pytest.mark.parametrize("missing", [None, pd.NA, np.nan, 7])
def test_missing_or_invalid_status_is_unknown_and_grey(missing):
    assert capacity.status_text(missing).startswith("onbekend")
    assert capacity.status_colour(missing) == "#b4b4b4"


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError, match="onbekende richting"):
        capacity.capacity_spec(pd.DataFrame(), "teruglevering")


# --- buildings on the capacity map ------------------------------------------------


def _analysed(statuses: list[tuple], connections=None, measure_lists=None):
    """Analysed-like buildings with (afname, invoeding) per building."""
    n = len(statuses)
    a = buildings([{} for _ in range(n)])
    a["grid_afname_status"] = pd.array([s[0] for s in statuses], dtype="Int64")
    a["grid_invoeding_status"] = pd.array([s[1] for s in statuses], dtype="Int64")
    a["grid_connection"] = pd.array(connections or [pd.NA] * n, dtype="string")
    a["measures"] = measure_lists or [[] for _ in range(n)]
    return a


AREAS = layer(
    [
        {
            "area_id": "west",
            "afname_status": 0,
            "invoeding_status": 3,
            "geometry": rect(X0, Y0, 100, 100),
        },
        {
            "area_id": "oost",
            "afname_status": 2,
            "invoeding_status": 3,
            "geometry": rect(X0 + 100, Y0, 100, 100),
        },
    ],
    sch.GRID,
)


def test_capacity_spec_colours_buildings_by_their_area_status():
    a = _analysed([(0, 3), (2, 3), (None, None)])
    spec = capacity.capacity_spec(a, "afname")
    labels = [spec.labels[c] for c in spec.codes]
    assert labels[0].startswith("0 · ") and labels[1].startswith("2 · ")
    assert labels[2].startswith("onbekend")
    assert [spec.colours[c] for c in spec.codes][2] == "#b4b4b4"


def test_capacity_legend_lists_every_status_with_buildings_and_areas():
    a = _analysed([(0, 3), (2, 3), (2, 3)])
    table = capacity.capacity_legend(a, AREAS, "afname")
    assert table["klasse"].str[:1].tolist() == ["0", "1", "2", "3"]
    assert table["aantal"].tolist() == [1, 0, 2, 0]
    assert table["gebieden"].tolist() == [1, 0, 1, 0]
    invoeding = capacity.capacity_legend(a, AREAS, "invoeding")
    assert invoeding["aantal"].tolist() == [0, 0, 0, 3]
    assert invoeding["gebieden"].tolist() == [0, 0, 0, 2]


def test_capacity_legend_adds_unknown_only_when_buildings_lie_outside():
    a = _analysed([(0, 3), (None, None)])
    table = capacity.capacity_legend(a, AREAS, "invoeding")
    assert table["klasse"].iloc[-1].startswith("onbekend")
    assert table["aantal"].iloc[-1] == 1


def test_area_layer_is_wgs84_with_escaped_tooltips():
    areas = AREAS.copy()
    areas["name"] = pd.array(["<script>alert(1)</script>", "Oost & zo"], "string")
    group = capacity.capacity_area_layer(areas, "invoeding")
    html_text = group.add_to(folium.Map()).get_root().render()
    assert "<script>alert(1)" not in html_text
    (geojson,) = [c for c in group._children.values() if isinstance(c, folium.GeoJson)]
    tips = [f["properties"]["tip"] for f in geojson.data["features"]]
    assert tips[0].startswith("<b>&lt;script&gt;alert(1)&lt;/script&gt;</b><br>")
    assert tips[1].startswith("<b>Oost &amp; zo</b><br>afname: 2 · ")
    coords = np.array(geojson.data["features"][0]["geometry"]["coordinates"][0])
    # X0, Y0 (RD 235000, 570000) lies near Eelde: about 6.6 E, 53.1 N.
    assert np.allclose(coords.mean(axis=0), [6.6, 53.1], atol=0.1)
    colours = [f["properties"]["colour"] for f in geojson.data["features"]]
    assert colours == [capacity.status_colour(3)] * 2
    assert AREAS.crs.to_epsg() == 28992  # input untouched


def test_area_layer_of_an_empty_grid_is_empty():
    group = capacity.capacity_area_layer(layer([], sch.GRID), "afname")
    assert not group._children


# --- meaning for the opportunities ----------------------------------------------------


def test_every_direction_and_status_has_advice_with_catalogue_measures():
    assert set(capacity.ADVICE) == {
        (d, s) for d in ("afname", "invoeding") for s in range(4)
    }
    for advice in capacity.ADVICE.values():
        assert set(advice.measure_ids) <= set(measures.BY_ID)


def test_feed_in_shortage_means_own_use_battery_cable_pooling_or_hub():
    advice = capacity.ADVICE[("invoeding", 3)]
    for words in ("eigen verbruik", "batterij", "cable pooling", "energy hub"):
        assert words in advice.options
    assert {"collectieve_batterij", "energy_hub", "zon_eigen_dak"} <= set(
        advice.measure_ids
    )


def test_capacity_advice_counts_buildings_per_direction_and_status():
    a = _analysed(
        [(0, 3), (2, 3), (2, 3), (None, None)],
        connections=["grootverbruik", "kleinverbruik", "grootverbruik", pd.NA],
    )
    advice = capacity.capacity_advice(a)
    rows = {(r.direction, r.status): r for r in advice.itertuples()}
    assert set(rows) == {("afname", 2), ("afname", 0), ("invoeding", 3)}
    assert (rows[("afname", 2)].n_buildings, rows[("afname", 2)].n_large) == (2, 1)
    assert (rows[("invoeding", 3)].n_buildings, rows[("invoeding", 3)].n_large) == (
        3,
        2,
    )
    # Worst status first within a direction.
    assert advice["status"].tolist() == [2, 0, 3]


def test_no_grid_gives_no_advice():
    assert capacity.capacity_advice(_analysed([(None, None)])).empty


def test_measure_counts_names_measures_and_counts_buildings():
    a = _analysed(
        [(0, 3)] * 3,
        measure_lists=[
            ["energy_hub", "led"],
            ["energy_hub"],
            [],
        ],
    )
    t = kk.load_terrain("demo:de-punt")
    counts = capacity.measure_counts(
        Analysis(terrain=t, assumptions=DEFAULT, buildings=a),
        ["energy_hub", "collectieve_batterij"],
    )
    assert counts["maatregel"].tolist() == [
        "Gezamenlijk energienetwerk (energy hub)",
        "Collectieve batterij",
    ]
    assert counts["panden met deze kans"].tolist() == [2, 0]
    assert counts["schaal"].tolist() == ["collectief", "collectief"]


def test_advice_on_a_demo_terrain_links_to_measures_found_by_the_engine():
    t = kk.load_terrain("demo:de-punt")
    analysis = kk.analyse(t)
    a = analysis.buildings
    advice = capacity.capacity_advice(a)
    assert set(advice["direction"]) == {"afname", "invoeding"}
    for ids in advice["measure_ids"]:
        counts = capacity.measure_counts(analysis, ids)
        expected = [sum(m in found for found in a["measures"]) for m in ids]
        assert counts["panden met deze kans"].tolist() == expected


# --- energy clusters (DESIGN.md §4.5, seed) ------------------------------------------

SEED_CLUSTERS = {
    "Tynaarlo": "A",
    "Assen": "A",
    "Noordenveld": "A",
    "Midden-Drenthe": "A",
    "Borger-Odoorn": "B",
    "Aa en Hunze": "B",
    "Emmen": "C",
    "Coevorden": "C",
    "Meppel": "D",
    "Hoogeveen": "D",
    "De Wolden": "D",
    "Westerveld": "D",
}


def _projects(rows: list[dict]) -> pd.DataFrame:
    return table(
        [{"name": f"Project {i}", **r} for i, r in enumerate(rows)], sch.PROJECTS
    )


@pytest.mark.parametrize(("municipality", "cluster"), SEED_CLUSTERS.items())
def test_project_in_a_municipality_is_in_its_cluster(municipality, cluster):
    clusters = pmiek_projects.project_clusters(
        _projects([{"municipality": municipality}])
    )
    assert clusters.iloc[0] == (cluster,)


def test_project_spanning_municipalities_is_in_each_cluster():
    projects = _projects(
        [{"municipality": "Assen;Midden-Drenthe;Hoogeveen"}, {"cluster": "B"}, {}]
    )
    assert pmiek_projects.project_clusters(projects).tolist() == [
        ("A", "D"),
        ("B",),
        (),
    ]


def test_filter_keeps_own_cluster_and_optionally_provincewide():
    projects = _pmiek()
    a_only = pmiek_projects.filter_projects(projects, ["A"], provincewide=False)
    # Seed: Zeijerveen 2 (Assen) and restwarmte Attero (Assen, Beilen, Hoogeveen).
    assert set(a_only["project_id"]) == {"assen-zeijerveen-2", "restwarmte-attero"}
    with_wide = pmiek_projects.filter_projects(projects, ["A"])
    assert set(with_wide["project_id"]) - set(a_only["project_id"]) == {
        "onderzoek-lokale-elektrolyse",
        "groen-gas-productie",
        "regionaal-warmtebedrijf",
    }
    assert len(pmiek_projects.filter_projects(projects)) == len(projects) == 11
    assert len(projects) == 11  # input not modified
    assert "traffic_light" not in projects.columns


def test_filter_per_municipality():
    projects = _pmiek()
    emmen = pmiek_projects.filter_projects(projects, [], ["Emmen"], provincewide=False)
    assert set(emmen["project_id"]) == {
        "emmen-noord-110-20kv",
        "emmen-bargermeer-110-20kv",
        "emmen-waterstofbackbone-aftakking",
    }
    coevorden = pmiek_projects.filter_projects(
        projects, ["C"], ["coevorden"], provincewide=False
    )
    assert coevorden["project_id"].tolist() == ["waterstof-coevorden"]


def test_filter_contains_what_the_engine_gives_the_terrain():
    projects = _pmiek()
    engine = grid.cluster_projects(projects, "D", "Hoogeveen")
    mine = pmiek_projects.filter_projects(projects, ["D"], provincewide=False)
    assert set(engine["project_id"]) <= set(mine["project_id"])


# --- traffic light explained (seed §4.2, Figuur 8) ------------------------------------


@pytest.mark.parametrize(
    ("planned", "lower", "upper", "words"),
    [
        ("2030-12-31", "2031-01-01", "2033-12-31", "op of vóór de ondergrens"),
        ("2032-01-01", "2031-01-01", "2033-12-31", "tussen ondergrens"),
        ("2034-01-01", "2031-01-01", "2033-12-31", "na de bovengrens"),
        (None, "2031-01-01", "2033-12-31", "geen geplande IBN"),
        (None, None, None, "geen onder- of bovengrens"),
        ("2032-01-01", "2031-01-01", None, "de bovengrens ontbreekt"),
        ("2032-01-01", None, "2033-12-31", "de ondergrens ontbreekt"),
        ("2032-01-01", None, None, "onder- en bovengrens ontbreken"),
    ],
)
def test_traffic_light_reason(planned, lower, upper, words):
    reason = pmiek_projects.traffic_light_reasons(
        pd.Series([planned]), pd.Series([lower]), pd.Series([upper])
    ).iloc[0]
    assert words in reason


def test_reason_shows_dutch_dates():
    reason = pmiek_projects.traffic_light_reasons(
        pd.Series(["2034-01-01"]), pd.Series(["2031-01-01"]), pd.Series(["2033-12-31"])
    ).iloc[0]
    assert reason == "Geplande IBN 01-01-2034 ligt na de bovengrens 31-12-2033."


def test_project_table_has_dutch_headers_and_keeps_dates():
    out = pmiek_projects.project_table(pmiek_projects.filter_projects(_pmiek(), ["C"]))
    for column in (
        "project",
        "omschrijving",
        "locatie",
        "soort infrastructuur",
        "bevoegd gezag",
        "betrokken partijen",
        "fase",
        "stoplicht",
        *pmiek_projects.DATE_COLUMNS,
    ):
        assert column in out.columns
    noord = out[out["project"].str.contains("Emmen Noord")].iloc[0]
    assert noord["IBN ondergrens"] == pd.Timestamp("2031-01-01")
    assert noord["IBN bovengrens"] == pd.Timestamp("2033-12-31")
    assert noord["fase"] == "Verkenningsfase"
    assert noord["stoplicht"] == "Onbekend"  # the seed gives no planned IBN
    assert (
        noord["betrokken partijen"]
        == "Enexis, TenneT, Gemeente Emmen, Provincie Drenthe"
    )


def test_traffic_light_cell_colours_are_readable():
    assert pmiek_projects.traffic_light_css("Op planning").startswith(
        f"background-color: {capacity.status_colour(0)}"
    )
    assert "color: #000000" in pmiek_projects.traffic_light_css("Risico op vertraging")
    assert "color: #ffffff" in pmiek_projects.traffic_light_css("Vertraagd")


# --- projectfiche (seed Bijlage, lines 850-975) ---------------------------------------

CONCRETE_FIELDS = [
    "Projectnaam",
    "Omschrijving",
    "Rede opname/afweging",
    "Locatie",
    "Type infrastructuur",
    "Bevoegd gezag",
    "Wel of niet pMIEK 2.0",
    "Planning",
    "Betrokken partijen",
    "Investeringsplannen",
    "Projectfase",
    "Afhankelijkheden van ander infrastructuurproject",
    "Afhankelijkheden van sectorale gebiedsontwikkelingen",
    "Afhankelijkheden buiten provincie",
    "Uitvoeringsafspraken",
]
EXPLORATION_FIELDS = [
    "Projectnaam",
    "Planning",
    "Uitvoerende partij",
    "Locatie",
    "Type infrastructuur",
    "Omschrijving",
    "Onderzoeksvraag",
    "IP wel of niet",
    "Afhankelijkheden (andere infra, sectorale ontwikkelingen, buiten provincie)",
    "Uitvoeringsafspraken",
    "Betrokken partijen",
]


def test_concrete_project_gets_the_seed_fiche_fields_in_order():
    projects = infra_files.read_project_list(
        (FIXTURES / "projecten.csv").read_bytes(), "projecten.csv"
    )
    sheet = pmiek_projects.project_sheet(projects.iloc[0]).set_index("veld")["waarde"]
    assert list(sheet.index[: len(CONCRETE_FIELDS)]) == CONCRETE_FIELDS
    assert sheet["Rede opname/afweging"] == "congestie op het terrein"
    assert sheet["Type infrastructuur"] == "elektriciteit: nieuw station 110/20 kV"
    assert sheet["Bevoegd gezag"] == "Gemeente Tynaarlo"
    assert sheet["Betrokken partijen"] == "Enexis, TenneT, Gemeente Tynaarlo"
    assert sheet["Projectfase"].startswith("Planuitwerkfase")
    assert sheet["Planning"] == (
        "IBN tussen 01-01-2031 en 31-12-2033; geplande IBN: 01-06-2033. "
        "Stoplicht: Risico op vertraging."
    )
    assert sheet["Afhankelijkheden buiten provincie"] == "niet ingevuld"
    assert sheet["Energiecluster"] == "A"


def test_exploration_project_gets_the_verkenning_fiche():
    projects = _pmiek().set_index("project_id")
    sheet = pmiek_projects.project_sheet(projects.loc["waterstof-hoogeveen"])
    fields = sheet.set_index("veld")["waarde"]
    assert list(fields.index[: len(EXPLORATION_FIELDS)]) == EXPLORATION_FIELDS
    assert fields["Planning"].startswith("geen IBN-bandbreedte bekend")
    assert fields["Planning"].endswith("Stoplicht: Onbekend.")
    assert fields["Energiecluster"] == "D"
    assert fields["Bron"].startswith("Uitvoeringsagenda pMIEK (Provincie Drenthe")


def test_provincewide_project_says_so():
    projects = _pmiek().set_index("project_id")
    sheet = pmiek_projects.project_sheet(projects.loc["groen-gas-productie"])
    assert sheet.set_index("veld")["waarde"]["Energiecluster"] == "provinciebreed"


# --- imports ---------------------------------------------------------------------


def _read_grid(name: str):
    return infra_files.read_capacity_map((FIXTURES / name).read_bytes(), name)


def test_capacity_map_import_in_rd():
    grid_layer, warnings = _read_grid("capaciteitskaart.geojson")
    assert grid_layer.crs.to_epsg() == 28992
    assert grid_layer["area_id"].tolist() == ["import-west", "import-oost"]
    assert grid_layer["afname_status"].tolist() == [0, 1]
    assert grid_layer["invoeding_status"].tolist() == [1, 2]
    assert grid_layer.geometry.area.round().tolist() == [300 * 650, 300 * 650]
    assert warnings == []


def test_capacity_map_in_wgs84_is_reprojected_to_rd():
    grid_layer, _ = _read_grid("capaciteitskaart_wgs84.geojson")
    assert grid_layer.crs.to_epsg() == 28992
    # The fixture's corners are RD (234200, 569300)–(234500, 569950) in lon/lat.
    assert np.allclose(
        grid_layer.total_bounds, [234200, 569300, 234500, 569950], atol=1
    )


def test_wrong_status_values_are_refused_in_dutch():
    with pytest.raises(kk.DataError) as caught:
        _read_grid("capaciteitskaart_foute_status.geojson")
    problems = {p.column: p.message for p in caught.value.problems}
    assert "'tekort' is geen getal" in problems["afname_status"]
    assert "'4' ligt buiten het bereik 0–3" in problems["invoeding_status"]
    assert "capaciteitskaart_foute_status.geojson" in str(caught.value)


def test_missing_status_column_is_named():
    with pytest.raises(kk.DataError, match="verplichte kolom 'invoeding_status'"):
        _read_grid("capaciteitskaart_zonder_invoeding.geojson")


def test_capacity_map_of_another_type_is_refused():
    with pytest.raises(kk.DataError, match="wordt hier niet gelezen"):
        infra_files.read_capacity_map(b"x", "netkaart.shp")
    with pytest.raises(kk.DataError, match="geen leesbaar GeoJSON"):
        infra_files.read_capacity_map(b"{dit is geen json", "kapot.geojson")


def test_capacity_map_outside_the_netherlands_is_refused():
    doc = json.loads((FIXTURES / "capaciteitskaart_wgs84.geojson").read_text())
    ring = doc["features"][0]["geometry"]["coordinates"][0]
    for point in ring:
        point[0] += 20  # somewhere in Ukraine
    with pytest.raises(kk.DataError, match="niet in Nederland"):
        infra_files.read_capacity_map(json.dumps(doc).encode(), "verschoven.geojson")


def test_project_list_with_fiche_headings():
    projects = infra_files.read_project_list(
        (FIXTURES / "projecten.csv").read_bytes(), "projecten.csv"
    )
    assert projects["name"].tolist() == [
        "Station Testdorp",
        "Kabel Voorbeeldweg",
        "Warmtenet Proefpark",
    ]
    assert projects["phase"].tolist() == ["planuitwerking", "realisatie", "project"]
    assert projects["infra_type"].tolist() == [
        "elektriciteit",
        "elektriciteit",
        "warmte",
    ]
    assert projects["agreements"].iloc[0] == "maandelijks overleg in de WKI"


def test_year_only_bounds_cover_whole_years():
    # data/pmiek_projects.md: lower bound = 1 January, upper bound = 31 December.
    projects = infra_files.read_project_list(
        (FIXTURES / "projecten.csv").read_bytes(), "projecten.csv"
    )
    assert projects["ibn_lower"].tolist() == [
        pd.Timestamp("2031-01-01"),
        pd.Timestamp("2027-01-01"),
        pd.Timestamp("2030-01-01"),
    ]
    assert projects["ibn_upper"].tolist() == [
        pd.Timestamp("2033-12-31"),
        pd.Timestamp("2028-12-31"),
        pd.Timestamp("2031-12-31"),
    ]
    lights = pmiek_projects.filter_projects(projects)["traffic_light"].tolist()
    # 2033-06-01 within 2031–2033; 2029-03-01 after 2028; 2029-12-31 before 2030.
    assert lights == ["Risico op vertraging", "Vertraagd", "Op planning"]


def test_wrong_phase_and_date_are_reported_per_row():
    with pytest.raises(kk.DataError) as caught:
        infra_files.read_project_list(
            (FIXTURES / "projecten_foute_fase.csv").read_bytes(),
            "projecten_foute_fase.csv",
        )
    problems = {(p.row, p.column): p.message for p in caught.value.problems}
    assert "'uitvoering' is geen toegestane waarde" in problems[(2, "phase")]
    assert "'volgend jaar' is geen datum" in problems[(3, "ibn_lower")]


def test_project_list_without_name_is_refused():
    with pytest.raises(kk.DataError, match="verplichte kolom 'name'"):
        infra_files.read_project_list(b"gemeente;fase\nAssen;verkenning\n", "lijst.csv")


def test_project_list_from_excel(tmp_path):
    buffer = io.BytesIO()
    pd.DataFrame(
        {
            "Projectnaam": ["Station Excel"],
            "Projectfase": ["project"],
            "Energiecluster": ["B"],
        }
    ).to_excel(buffer, index=False)
    projects = infra_files.read_project_list(buffer.getvalue(), "lijst.xlsx")
    assert projects[["name", "phase", "cluster"]].iloc[0].tolist() == [
        "Station Excel",
        "project",
        "B",
    ]


def test_project_list_of_another_type_is_refused():
    with pytest.raises(kk.DataError, match="wordt hier niet gelezen"):
        infra_files.read_project_list(b"x", "projecten.pdf")


def test_template_reads_back_without_errors():
    projects = infra_files.read_project_list(
        infra_files.project_template(), "sjabloon.csv"
    )
    assert len(projects) == 1
    assert set(c.name for c in pmiek.PROJECT_IMPORT.columns) <= set(projects.columns)


def test_project_labels_are_numbered_like_the_timeline():
    selection = pmiek_projects.filter_projects(_pmiek(), ["D"], provincewide=False)
    assert pmiek_projects.project_labels(selection) == [
        "1. Waterstof in Hoogeveen — Onbekend",
        "2. Waterstof in Meppel — Onbekend",
        "3. Toepassing restwarmte Attero — Onbekend",
    ]


def test_area_tooltips_neutralise_template_braces():
    # folium renders scripts once more as a Jinja template: "{{ 7*7 }}" -> 49.
    areas = gpd.GeoDataFrame(
        {
            "area_id": ["a"],
            "name": ["{{ 7*7 }} <b>net</b>"],
            "afname_status": [1],
            "invoeding_status": [3],
            "station": ["s"],
            "netbeheerder": ["n"],
        },
        geometry=[shapely.box(233000, 557000, 233100, 557100)],
        crs="EPSG:28992",
    )
    m = folium.Map()
    capacity.capacity_area_layer(areas, "invoeding").add_to(m)
    html_text = m.get_root().render()
    # The tooltip sits JSON-encoded in the GeoJSON ("&" as \u0026).
    assert "7*7" in html_text
    assert "49 \\u0026lt;b" not in html_text and "49 &lt;b" not in html_text
    assert "\\u0026lt;b\\u0026gt;net" in html_text
