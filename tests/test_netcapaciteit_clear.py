"""Netcapaciteit clear (issue 18): "Bron" is the source, no date is no year.

The source of the bundled projects is the *Uitvoeringsagenda pMIEK*
(provincie Drenthe, 6 mei 2025; cover of seed ``004_d152812a7379867c.txt``),
which links the province's pMIEK page (seed line 132).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import kansenkaart as kk
from kansenkaart.core import pmiek
from kansenkaart.io import demo
from kansenkaart.views import charts, pmiek_projects

ROOT = Path(__file__).resolve().parents[1]
URL = (
    "https://www.provincie.drenthe.nl/onderwerpen/natuur-milieu/energietransitie/"
    "drents-actieprogramma-netcongestie/pmiek/"
)
TRANSCRIPTION_WORDS = ("seed", "regel", "vermoedelijk", "onzeker", "extractie")


def bundled() -> pd.DataFrame:
    return kk.load_terrain("demo:de-punt").projects


def test_bron_of_every_bundled_project_names_document_date_and_link():
    projects = bundled()
    assert len(projects) == 11  # §2.2: 4 concrete projects and 7 verkenningen
    for _, project in projects.iterrows():
        bron = pmiek_projects.project_sheet(project).set_index("veld")["waarde"]["Bron"]
        assert bron.startswith(
            "Uitvoeringsagenda pMIEK (Provincie Drenthe, 6 mei 2025)"
        )
        assert "§2.2 Projectenoverzicht" in bron
        assert bron.endswith(URL)
        assert not any(word in bron.lower() for word in TRANSCRIPTION_WORDS), bron


def test_transcription_notes_moved_to_the_data_description():
    notes = (ROOT / "data" / "pmiek_projects.md").read_text(encoding="utf-8")
    # e.g. the Enexis year of Emmen Noord that is deliberately not a planned IBN
    assert "Enexis-jaar 2035 betreft een ander deel" in notes
    for project_id in bundled()["project_id"]:
        assert f"`{project_id}`" in notes


def test_demo_terrains_carry_the_same_project_list():
    source = (ROOT / "data" / "pmiek_projects.csv").read_text(encoding="utf-8")
    for terrain in kk.list_demo_terrains():
        copy = ROOT / "data" / "demo" / terrain / "projects.csv"
        assert copy.read_text(encoding="utf-8") == source
    assert demo.PMIEK_CSV == ROOT / "data" / "pmiek_projects.csv"


def test_source_citation_is_built_from_the_document():
    assert pmiek.source_citation("§4.2") == (
        f"Uitvoeringsagenda pMIEK (Provincie Drenthe, 6 mei 2025), §4.2. {URL}"
    )


def de_punt_selection() -> pd.DataFrame:
    """What the page shows for De Punt (Tynaarlo, cluster A, provincewide on)."""
    return pmiek_projects.filter_projects(bundled(), ["A"], provincewide=True)


def test_project_without_date_is_not_placed_on_a_year():
    selection = de_punt_selection()
    undated = selection[
        selection[["ibn_lower", "ibn_upper", "ibn_planned"]].isna().all(axis=1)
    ]
    # Zeijerveen 2 (2035) is dated; Attero and the provincewide ones are not.
    assert len(undated) == 4 and len(selection) == 5
    fig = charts.project_timeline(selection)
    rows = list(fig.layout.yaxis.categoryarray)
    undated_rows = {
        rows[i]
        for i, pid in enumerate(selection["project_id"])
        if pid in set(undated["project_id"])
    }
    for trace in fig.data:
        assert not undated_rows.intersection(y for y in trace.y if y), trace.name
    notes = {a.y: a for a in fig.layout.annotations}
    assert set(notes) == undated_rows
    for note in notes.values():
        assert note.text == "datum onbekend" and note.xref == "paper"
    (diamond,) = [t for t in fig.data if t.name.startswith("geplande IBN ·")]
    assert list(diamond.x) == [pd.Timestamp("2035-01-01")]


def test_missing_dates_read_datum_onbekend_in_fiche_and_hover():
    project = bundled().set_index("project_id").loc["regionaal-warmtebedrijf"]
    sheet = pmiek_projects.project_sheet(project).set_index("veld")["waarde"]
    assert sheet["Planning"] == (
        "geen IBN-bandbreedte bekend; geplande IBN: datum onbekend. "
        "Stoplicht: Onbekend."
    )
    table = pmiek_projects.project_table(de_punt_selection())
    assert table[list(pmiek_projects.DATE_COLUMNS)].isna().any().all()  # stay dates
    text = table.drop(columns=list(pmiek_projects.DATE_COLUMNS))
    assert not text.isna().any().any()  # missing text says "onbekend"
    assert (table["bevoegd gezag"] == "onbekend").all()  # not in the source


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["terrain_key"] = "demo:de-punt"
    at.run()
    at.switch_page("pages/2_netcapaciteit.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_shows_the_source_and_datum_onbekend(page):
    (frame,) = [d for d in page.dataframe if "stoplicht" in str(d.value)[:2000]]
    assert frame.proto.placeholder == "datum onbekend"
    page.session_state["nc_tab"] = "Projectfiche"  # only the open tab is built
    page.run()
    picker = page.selectbox(key="nc_project_demo:de-punt")
    regional = [o for o in picker.options if "regionaal warmtebedrijf" in o.lower()]
    picker.select(regional[0]).run()
    assert not page.exception
    sheet = page.table[-1].value
    fields = dict(zip(sheet["veld"], sheet["waarde"], strict=True))
    assert fields["Bron"].endswith(URL)
    assert "datum onbekend" in fields["Planning"]
