"""AppTest of the page Netcapaciteit & infrastructuur."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
FIXTURES = ROOT / "tests" / "fixtures"
PAGE = "pages/2_netcapaciteit.py"


def open_page(terrain: str = "demo:de-punt") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["terrain_key"] = terrain
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, kind: str, name: str, mime: str) -> AppTest:
    data = (FIXTURES / name).read_bytes()
    at.file_uploader(key=f"nc_upload_{kind}").upload(name, data, mime).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def legend_counts(at: AppTest) -> dict[str, int]:
    """Status (first character) -> buildings, from the legend table."""
    table = at.table[0].value
    data = getattr(table, "data", table)
    return {
        str(k)[0]: int(n) for k, n in zip(data["klasse"], data["aantal"], strict=True)
    }


def advice_headings(at: AppTest) -> list[str]:
    return [
        m.value
        for m in at.markdown
        if m.value.startswith("**Afname") or m.value.startswith("**Invoeding")
    ]


def project_names(at: AppTest) -> list[str]:
    (projects,) = [
        df for df in at.dataframe if "stoplicht" in getattr(df.value, "data", df.value)
    ]
    value = projects.value
    return list(getattr(value, "data", value)["project"])


@pytest.fixture(scope="module")
def de_punt() -> AppTest:
    return open_page()


def test_page_shows_capacity_legend_and_advice(de_punt):
    at = de_punt
    assert at.title[0].value == "Netcapaciteit & infrastructuur"
    assert [s.value for s in at.subheader] == [
        "Netcapaciteit op het terrein",
        "Wat betekent dit voor de kansen?",
        "Infrastructuurprojecten (pMIEK)",
    ]
    # De Punt demo: its recipe (io/demo_specs.py) gives both capacity areas
    # invoeding status 1, so all 35 buildings are in feed-in 1 (beperkt).
    assert legend_counts(at) == {"0": 0, "1": 35, "2": 0, "3": 0}
    headings = advice_headings(at)
    assert any(
        "Invoeding" in h and "1 · beperkte capaciteit (geel)" in h for h in headings
    )
    # The advice names the catalogue measures with counts.
    names = [
        name
        for df in at.table
        if "maatregel" in getattr(df.value, "data", df.value)
        for name in getattr(df.value, "data", df.value)["maatregel"]
    ]
    assert "Collectieve batterij" in names
    assert "Gezamenlijk energienetwerk (energy hub)" in names


def test_terrain_cluster_is_preselected_and_filters_projects(de_punt):
    at = de_punt
    clusters = at.multiselect(key="nc_clusters_demo:de-punt")
    assert clusters.value == ["A"]  # De Punt lies in Tynaarlo, cluster A
    names = project_names(at)
    assert "Nieuwbouw station Assen Zeijerveen (Zeijerveen 2)" in names
    assert not any("Emmen" in n for n in names)


def test_switching_direction_shows_afname(de_punt):
    at = de_punt
    at.segmented_control(key="nc_direction").set_value("afname").run()
    assert not at.exception
    # Afname status 0 in both capacity areas of the De Punt recipe.
    assert legend_counts(at) == {"0": 35, "1": 0, "2": 0, "3": 0}
    at.segmented_control(key="nc_direction").set_value("invoeding").run()


def test_other_cluster_and_municipality_filter():
    at = open_page("demo:de-wieken")  # Hoogeveen, cluster D
    assert at.multiselect(key="nc_clusters_demo:de-wieken").value == ["D"]
    at.checkbox(key="nc_provincewide").uncheck().run()
    names = project_names(at)
    assert set(names) == {
        "Waterstof in Hoogeveen",
        "Waterstof in Meppel",
        "Toepassing restwarmte Attero",
    }
    at.multiselect(key="nc_municipalities_demo:de-wieken").select("Meppel").run()
    assert project_names(at) == ["Waterstof in Meppel"]


def test_projectfiche_of_the_chosen_project():
    at = open_page("demo:de-wieken")
    at.session_state["nc_tab"] = "Projectfiche"  # only the open tab is built
    at.run()
    picker = at.selectbox(key="nc_project_demo:de-wieken")
    hoogeveen = next(o for o in picker.options if "Waterstof in Hoogeveen" in o)
    picker.select(hoogeveen).run()
    sheet = at.table[-1].value
    sheet = getattr(sheet, "data", sheet).set_index("veld")["waarde"]
    assert sheet["Projectnaam"] == "Waterstof in Hoogeveen"
    assert "Onderzoeksvraag" in sheet.index  # verkenning format
    assert any("Projectfiche – in verkenningsfase" in m.value for m in at.markdown)


def test_imported_capacity_map_replaces_the_layer_for_this_terrain():
    at = open_page()
    upload(at, "grid", "capaciteitskaart.geojson", "application/geo+json")
    assert any("capaciteitskaart.geojson" in i.value for i in at.info)
    counts = legend_counts(at)
    # Fixture: west half invoeding 1, east half invoeding 2 (the demo recipe
    # has 1 everywhere, so 2 shows the imported map).
    assert counts["3"] == 0 and counts["1"] + counts["2"] == 35
    assert counts["1"] > 0 and counts["2"] > 0
    # Another terrain keeps its own capacity map.
    at.session_state["terrain_key"] = "demo:de-wieken"
    at.run()
    assert not any("capaciteitskaart.geojson" in i.value for i in at.info)


def test_failed_import_shows_dutch_error_and_keeps_what_was_shown():
    at = open_page()
    upload(at, "grid", "capaciteitskaart_foute_status.geojson", "application/geo+json")
    (error,) = at.error
    assert "'capaciteitskaart_foute_status.geojson' is niet geladen" in error.value
    assert "ligt buiten het bereik 0–3" in error.value
    assert legend_counts(at) == {"0": 0, "1": 35, "2": 0, "3": 0}
    assert "nc_imports" not in at.session_state or not at.session_state[
        "nc_imports"
    ].get("demo:de-punt")


def test_imported_project_list_replaces_the_projects():
    at = open_page()
    upload(at, "projects", "projecten.csv", "text/csv")
    assert any("projecten.csv" in i.value for i in at.info)
    at.checkbox(key="nc_provincewide").uncheck().run()
    # Cluster A preselected: of the three fixture projects only Tynaarlo and Assen.
    assert project_names(at) == ["Station Testdorp", "Kabel Voorbeeldweg"]
    at.multiselect(key="nc_clusters_demo:de-punt").set_value([]).run()
    assert len(project_names(at)) == 3
