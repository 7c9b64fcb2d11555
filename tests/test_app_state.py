"""A changed assumption reaches every page that shows a derived figure.

One browser session (AppTest, the real app.py): the user changes the panel
power and the electricity prices on *Aannames*, then visits every page with
a derived figure. The expected figures come from the library, computed here
with the changed assumptions; each must also differ from what the standard
assumptions give, so a page that kept a stale cache fails.
"""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

import kansenkaart as kk
from kansenkaart.core import fmt, texts
from kansenkaart.core.assumptions import SETS
from kansenkaart.engine import opportunities as engine
from kansenkaart.io import infra_files
from kansenkaart.views import (
    capacity,
    export,
    facts,
    legend,
    mapdata,
    maps,
    overview,
    report_pdf,
    selection,
)

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TERRAIN = "demo:de-punt"
JANSEN = "0999100000000003"  # Vennweg 7, Logistiek Jansen
GRID_FIXTURE = ROOT / "tests" / "fixtures" / "capaciteitskaart.geojson"
CHANGES = {
    "panel_wp": 300.0,
    "flat_usable_fraction": 0.3,
    "elec_price_small_eur_per_kwh": 0.40,
    "elec_price_large_eur_per_kwh": 0.35,
}
TYPED = {  # CHANGES as a Dutch user types them on Aannames
    "panel_wp": "300",
    "flat_usable_fraction": "30%",
    "elec_price_small_eur_per_kwh": "0,40",
    "elec_price_large_eur_per_kwh": "0.35",
}


@pytest.fixture(scope="module")
def terrain():
    return kk.load_terrain(TERRAIN)


@pytest.fixture(scope="module")
def before(terrain):
    return kk.analyse(terrain, SETS["standaard"])


@pytest.fixture(scope="module")
def after(terrain):
    return kk.analyse(terrain, SETS["standaard"].replace(**CHANGES))


@pytest.fixture
def downloads(monkeypatch) -> dict:
    """File name -> the callable a deferred download button would run."""
    made = {}
    original = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        made[file_name] = data_callable
        return original(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return made


def changed(expected, old):
    """The expected value, after checking the change is visible at all."""
    if isinstance(expected, pd.DataFrame):
        assert not expected.equals(old), "the change must show in this figure"
    else:
        assert expected != old, "the change must show in this figure"
    return expected


def frame(element) -> pd.DataFrame:
    value = element.value
    return getattr(value, "data", value)


def plain(text: str) -> str:
    return " ".join(text.split())


def apply_changes(at: AppTest) -> None:
    at.switch_page("pages/aannames.py").run()
    for name, text in TYPED.items():
        at.text_input(key=f"assumption_{name}").input(text)
    next(b for b in at.button if b.label == "Toepassen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["assumption_overrides"] == CHANGES


def visit(at: AppTest, page: str, **state) -> AppTest:
    for key, value in state.items():
        at.session_state[key] = value
    at.switch_page(f"pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_changed_assumption_reaches_every_page(terrain, before, after, downloads):
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["terrain_key"] = TERRAIN
    at.run()
    # Visit the pages once with the standard assumptions, so every cache holds
    # the old figures when the assumptions change.
    for page in ("3_kansenkaart.py", "3_mijn_pand.py", "3_energiebalans.py"):
        visit(at, page)
    visit(at, "2_netcapaciteit.py")
    visit(at, "3_kansenlijsten.py")
    visit(at, "4_werksessie.py", ws_user_name="Anna", ws_view="energieneutraal")
    apply_changes(at)
    position = after.buildings["building_id"].tolist().index(JANSEN)

    # Kansenkaart: the facts and opportunities of the chosen building.
    visit(at, "3_kansenkaart.py", kk_private=False)
    at.text_input(key=f"kk_query|{TERRAIN}").input("Vennweg 7").run()
    panel, chances = (frame(t) for t in at.table[-2:])
    expected = facts.facts_table(after.buildings, position).set_index("gegeven")
    old = facts.facts_table(before.buildings, position).set_index("gegeven")
    assert panel["waarde"].to_dict() == changed(expected, old)["waarde"].to_dict()
    measures = [m.id for m in legend.selected_measures("all")]
    expected = maps.building_opportunities(kk.opportunity_list(after), JANSEN, measures)
    old = maps.building_opportunities(kk.opportunity_list(before), JANSEN, measures)
    changed(expected, old)
    assert chances["toelichting"].tolist() == expected["toelichting"].tolist()

    # Mijn pand: solar figures, the map legend and the PDF.
    visit(at, "3_mijn_pand.py", mp_selected={TERRAIN: JANSEN})
    new = overview.building_overview(after, JANSEN)
    old = overview.building_overview(before, JANSEN)
    expected = changed(
        {f.heading: f.value for f in new.solar}, {f.heading: f.value for f in old.solar}
    )
    assert {m.label: m.value for m in at.metric} == expected
    solar_legend = legend.legend_table(mapdata.prepare(after).solar)
    changed(solar_legend, legend.legend_table(mapdata.prepare(before).solar))
    shown = frame(at.table[0])
    assert shown["aantal"].tolist() == solar_legend["aantal"].tolist()
    pdf = downloads[f"kansenoverzicht-{JANSEN}.pdf"]()
    text = plain(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    for heading, value in expected.items():
        if value != {f.heading: f.value for f in old.solar}[heading]:
            assert value in text, f"{heading} {value} not in the PDF"
    # Paybacks of Jansen's measures (zon itself is "nee" at these prices).
    paybacks = changed(
        {m.name: m.payback for m in new.measures},
        {m.name: m.payback for m in old.measures},
    )
    for payback in paybacks.values():
        assert plain(payback) in text

    # Energiebalans: key figures and the totals per measure.
    visit(at, "3_energiebalans.py")
    balance = engine.terrain_balance(after)
    roofs = changed(
        fmt.percent(balance.share_with_roofs),
        fmt.percent(engine.terrain_balance(before).share_with_roofs),
    )
    assert {m.label: m.value for m in at.metric}["Met alle daken vol"] == roofs
    totals = engine.measure_totals(after).set_index("measure_name")
    table = frame(at.dataframe[0]).set_index("Maatregel")
    kwp = fmt.numbers(totals["kwp"]).replace(texts.UNKNOWN, "–")
    assert table["Zon (kWp)"].tolist() == kwp.tolist()

    # Netcapaciteit: how many buildings have each measure the advice names,
    # with the terrain's capacity map and with one loaded on the page.
    visit(at, "2_netcapaciteit.py")
    assert counts_shown(at) == changed(counts(after), counts(before))
    data = GRID_FIXTURE.read_bytes()
    at.file_uploader(key="nc_upload_grid").upload(
        GRID_FIXTURE.name, data, "application/geo+json"
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    grid, _ = infra_files.read_capacity_map(data, GRID_FIXTURE.name)
    own = dataclasses.replace(terrain, grid=grid)
    expected = counts(kk.analyse(own, after.assumptions))
    assert counts_shown(at) == changed(expected, counts(kk.analyse(own)))

    # Kansenlijsten: the file the user downloads.
    visit(at, "3_kansenlijsten.py")
    sel = selection.select(after, selection.Filters())
    name = export.file_name(sel, "csv")
    expected = changed(
        export.export(sel, "csv"),
        export.export(selection.select(before, selection.Filters()), "csv"),
    )
    assert downloads[name]() == expected

    # Werksessie: the energy balance on the wall.
    visit(at, "4_werksessie.py", ws_view="energieneutraal")
    sentences = changed(balance.sentences(), engine.terrain_balance(before).sentences())
    shown = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert shown == [f"- {s}" for s in sentences]


def counts(analysis: kk.Analysis) -> list[list]:
    """Per advice row: the measures and how many buildings have them."""
    advice = capacity.capacity_advice(analysis.buildings)
    return [
        capacity.measure_counts(analysis, row.measure_ids)[
            ["maatregel", "panden met deze kans"]
        ].values.tolist()
        for row in advice.itertuples()
    ]


def counts_shown(at: AppTest) -> list[list]:
    return [
        frame(df)[["maatregel", "panden met deze kans"]].values.tolist()
        for df in at.table
        if "maatregel" in frame(df)
    ]


def test_the_check_reads_the_pdf_text():
    # Guard for the PDF check above: numbers survive text extraction.
    analysis = kk.analyse(kk.load_terrain(TERRAIN))
    pdf = report_pdf.building_report(analysis, JANSEN)
    text = plain(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    shown = overview.building_overview(analysis, JANSEN)
    assert all(f.value in text for f in shown.solar)
    assert re.search(r"\d", text)


def test_regenerated_demo_files_are_not_served_from_the_cache(tmp_path, monkeypatch):
    # The cache key of a demo terrain holds a digest of its files: rewrite
    # them while the "server" runs and the next run shows the new content.
    import json
    import shutil

    from kansenkaart.io import readers

    demo = tmp_path / "demo"
    shutil.copytree(readers.DEMO_DIR / "de-punt", demo / "de-punt")
    monkeypatch.setattr(readers, "DEMO_DIR", demo)
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["terrain_key"] = TERRAIN
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    first = readers.demo_digest("de-punt")
    assert at.subheader[0].value == "De Punt (Tynaarlo)"

    meta_file = demo / "de-punt" / "terrain.json"
    meta = json.loads(meta_file.read_text("utf-8"))
    meta_file.write_text(json.dumps({**meta, "name": "De Punt, opnieuw gemaakt"}))
    assert readers.demo_digest("de-punt") != first
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.subheader[0].value == "De Punt, opnieuw gemaakt"
