"""Province overview (issue 21): key figures per park, the demo province of
30 fictitious parks in Drenthe, and the page *Provincie-overzicht*."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest
import shapely
from pyproj import Transformer
from streamlit.testing.v1 import AppTest

import kansenkaart as kk
from appui import access, shell, state
from kansenkaart import cli
from kansenkaart.core import schema as sch
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.core.errors import DataError
from kansenkaart.engine import privacy
from kansenkaart.io import demo_specs, provincie
from kansenkaart.views import colors
from kansenkaart.views import provincie as overview
from tests.conftest import zip_folder
from tests.engine_fixtures import X0, Y0, layer, rect, terrain
from tests.test_app import APP

TO_RD = Transformer.from_crs("EPSG:4326", "EPSG:28992", always_xy=True)
# Drenthe lies between 52°37' and 53°12' N and 6°07' and 7°06' E (its
# extremes: Schoonebeek in the south, Peize in the north, Havelte in the west,
# Barger-Compascuum in the east; topographic map).
DRENTHE = shapely.box(*TO_RD.transform(6.12, 52.62), *TO_RD.transform(7.10, 53.20))


# --- one park -------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny():
    """Four buildings on two grid areas: two above an obligation threshold."""
    base = {"elec_source": "gemeten", "gas_source": "gemeten", "floor_area_m2": 400.0}
    rows = [
        # 60.000 kWh ≥ 50.000 kWh: besparingsplicht.
        {**base, "company": "Metaal A", "elec_kwh_yr": 60_000.0, "gas_m3_yr": 2_000.0},
        # 30.000 m³ ≥ 25.000 m³ gas: besparingsplicht.
        {
            **base,
            "company": "Bakkerij B",
            "elec_kwh_yr": 10_000.0,
            "gas_m3_yr": 30_000.0,
        },
        # Below both thresholds.
        {**base, "company": "Kantoor C", "elec_kwh_yr": 10_000.0, "gas_m3_yr": 1_000.0},
        # No company; outside every capacity area.
        {**base, "company": None, "elec_kwh_yr": 1_000.0, "gas_m3_yr": 100.0},
    ]
    for i, row in enumerate(rows):
        row["geometry"] = rect(X0 + 100.0 * i + 10, Y0 + 10, 20.0, 20.0)
    grid = [
        {
            "area_id": "west",
            "afname_status": 0,
            "invoeding_status": 1,
            "geometry": rect(X0, Y0, 100, 100),
        },
        {
            "area_id": "oost",
            "afname_status": 2,
            "invoeding_status": 3,
            "geometry": rect(X0 + 100, Y0, 200, 100),
        },
    ]
    t = terrain(rows)
    t = dataclasses.replace(t, grid=layer(grid, sch.GRID))
    return kk.analyse(t, DEFAULT)


def test_park_figures_follow_their_definitions(tiny):
    row = overview.park_figures(tiny)
    assert row["n_buildings"] == 4
    assert row["n_companies"] == 3  # the fourth has no company name
    # Energiebesparingsplicht from 50.000 kWh or 25.000 m³ a year
    # (Activiteitenbesluit art. 2.15): Metaal A and Bakkerij B.
    assert row["eml_companies"] == 2
    # Worst Capaciteitskaart status of a building: two are in "oost" (2, 3).
    assert row["afname_status"] == 2
    assert row["invoeding_status"] == 3
    # The solar potential is the sum over the roofs (kWp), the public one
    # the roof's room capped by the connection only: never less.
    roofs = tiny.buildings["pv_kwp_potential"].astype(float)
    assert row["kwp_potential"] == pytest.approx(roofs.sum())
    assert row["kwp_potential"] > 0
    assert row["kwp_public"] >= row["kwp_potential"]


def test_a_park_outside_every_capacity_area_has_no_grid_status(tiny):
    buildings = tiny.buildings.assign(
        grid_afname_status=pd.array([pd.NA] * 4, dtype="Int64"),
        grid_invoeding_status=pd.array([pd.NA] * 4, dtype="Int64"),
    )
    row = overview.park_figures(dataclasses.replace(tiny, buildings=buildings))
    assert row["afname_status"] is pd.NA and row["invoeding_status"] is pd.NA


def test_workgroup_progress_is_the_furthest_status():
    plans = pd.DataFrame(
        {
            "measure_id": ["led", "zon", "warmte"],
            "status": ["idee", "besluit", "onderzoek"],
        }
    )
    assert overview.workgroup_progress(plans) == (2, 2)  # besluit; 2 past idee
    assert overview.workgroup_progress(plans.iloc[:1]) == (0, 0)
    assert overview.workgroup_progress(plans.iloc[:0]) == (-1, 0)


def _rows():
    return pd.DataFrame(
        {
            "n_companies": [8, 40, 120],
            "kwp_potential": [900.0, 10_215.975, 3_519.585],
            "kwp_public": [1_200.0, 13_107.42, 3_519.585],
            "eml_companies": [5, 9, 92],
        }
    )


def test_the_note_names_only_what_is_made_up():
    rows = pd.DataFrame({"is_demo": [True, False, True]})
    assert overview.synthetic_note(rows, demo_province=True) == overview.SYNTHETIC_NOTE
    assert "2 van de 3 terreinen hier zijn demoterreinen" in overview.synthetic_note(
        rows, demo_province=False
    )
    assert overview.synthetic_note(rows.iloc[[0, 2]], False).startswith(
        "**Synthetische demodata.** Alle terreinen hier zijn demoterreinen"
    )
    assert overview.synthetic_note(rows.iloc[[1]], False) is None
    assert overview.synthetic_note(rows.iloc[:0], False) is None


def test_the_table_shows_each_park_in_its_map_colour():
    rows = overview.shown(provincie.read_overview(), privacy.INTERN, DEFAULT)
    # progress as the records give it: one park in onderzoek, the rest nothing
    rows["progress"] = pd.array([2] + [pd.NA] * (len(rows) - 1), dtype="Int64")
    rows["n_workgroups"] = pd.array([1] + [pd.NA] * (len(rows) - 1), dtype="Int64")
    for indicator in overview.INDICATORS:
        spec = overview.indicator_spec(rows, indicator, DEFAULT)
        table = overview.overview_table(rows, spec)
        assert list(table.columns[:3]) == ["Terrein", "Kleur", f"Kleur: {spec.title}"]
        styles = overview.styled_table(table)._compute().ctx
        swatch = table.columns.get_loc(overview.SWATCH)
        # the cell's colour is the class colour of the park's label
        by_label = dict(zip(spec.labels, spec.colours, strict=True))
        for row, label in enumerate(table[f"Kleur: {spec.title}"]):
            assert styles[row, swatch] == [("background-color", by_label[label])]


def test_public_variant_follows_the_disclosure_rules():
    public = overview.shown(_rows(), privacy.OPENBAAR, DEFAULT)
    # R5: fewer than 10 companies, no figure at all.
    assert pd.isna(public.loc[0, "kwp"]) and pd.isna(public.loc[0, "eml"])
    assert "minder dan 10 bedrijven" in public.loc[0, "note"]
    # R9 and R7: the public solar advice, two significant digits.
    assert public.loc[1, "kwp"] == 13_000.0
    assert public.loc[2, "kwp"] == 3_500.0
    # A count of companies with an obligation (a private criterion): from 10.
    assert pd.isna(public.loc[1, "eml"]) and public.loc[2, "eml"] == 92
    internal = overview.shown(_rows(), privacy.INTERN, DEFAULT)
    assert internal["kwp"].tolist() == [900.0, 10_215.975, 3_519.585]
    assert internal["eml"].tolist() == [5, 9, 92]


def test_indicator_classes_and_colours():
    rows = overview.shown(_rows(), privacy.OPENBAAR, DEFAULT).assign(
        afname_status=pd.array([3, 0, pd.NA], dtype="Int64"),
        invoeding_status=[1, 1, 1],
        progress=pd.array([-1, 4, pd.NA], dtype="Int64"),
        n_workgroups=[0, 3, 0],
    )
    kwp = overview.indicator_spec(rows, "kwp", DEFAULT)
    assert [kwp.labels[c] for c in kwp.codes] == [
        "niet getoond (minder dan 10 bedrijven)",
        "10.000 kWp of meer",
        "2.000–5.000 kWp",
    ]
    grid = overview.indicator_spec(rows, "afname", DEFAULT)
    assert grid.labels[grid.codes[0]].startswith("3 · tekort")
    assert grid.colours[grid.codes[0]] == colors.GRID_STATUS[3]
    assert grid.labels[grid.codes[2]] == "onbekend"
    progress = overview.indicator_spec(rows, "voortgang", DEFAULT)
    assert [progress.labels[c] for c in progress.codes] == [
        "nog niets vastgelegd",
        "gerealiseerd",
        "onbekend",
    ]


# --- the demo province ------------------------------------------------------------


def test_thirty_fictitious_parks_inside_drenthe_each_their_own():
    parks = provincie.PARKS
    assert len(parks) == 30
    assert len(provincie.SET_IDS) == 34  # and the four pilots
    assert all(p.name.startswith("Fictief terrein ") for p in parks)
    assert all(p.id.startswith(provincie.PARK_PREFIX) for p in parks)
    assert len({p.id for p in parks}) == len({p.seed for p in parks}) == 30
    sizes = [p.areas[0].n_buildings for p in parks]
    assert min(sizes) < 40 and max(sizes) > 150  # small and large parks
    assert len({p.plot_p for p in parks}) == 3  # three plot-size mixes
    centres = [
        shapely.Point(TO_RD.transform(p.areas[0].lon, p.areas[0].lat)) for p in parks
    ]
    assert all(DRENTHE.contains(c) for c in centres)
    pilots = [
        shapely.Point(TO_RD.transform(a.lon, a.lat))
        for s in demo_specs.PILOTS
        for a in s.areas
    ]
    others = centres + pilots
    for i, c in enumerate(centres):  # no park on top of another or a pilot
        assert min(c.distance(o) for j, o in enumerate(others) if j != i) > 2_000
    # pMIEK energy clusters per municipality (DESIGN.md section 4.5).
    clusters = {p.municipality: p.cluster for p in parks}
    assert clusters["Emmen"] == clusters["Coevorden"] == "C"
    assert clusters["Meppel"] == clusters["Westerveld"] == "D"
    assert clusters["Borger-Odoorn"] == "B" and clusters["Tynaarlo"] == "A"


def test_a_generated_park_loads_as_a_fictitious_terrain():
    spec = provincie.PARKS[11]
    t = provincie.load_park(spec.id)
    assert t.is_demo and t.name == spec.name and t.id == spec.id
    assert len(t.buildings) == spec.areas[0].n_buildings
    assert DRENTHE.contains(t.boundary.union_all().centroid)
    assert provincie.load_park("de-punt").name == kk.load_terrain("demo:de-punt").name
    with pytest.raises(DataError, match="geen terrein van de demoprovincie"):
        provincie.load_park("fictief-bestaat-niet")


def test_regenerating_gives_the_shipped_figures(tmp_path):
    """``python -m kansenkaart provincie`` makes the shipped file again."""
    shipped = provincie.read_overview()
    assert cli.main(["provincie", "-o", str(tmp_path)]) == 0
    made = provincie.read_overview(tmp_path / provincie.OVERVIEW_FILE.name)
    assert made["id"].tolist() == shipped["id"].tolist() == list(provincie.SET_IDS)
    assert made["name"].tolist() == shipped["name"].tolist()
    for name in overview.FIGURES:
        assert made[name].astype(float).tolist() == pytest.approx(
            shipped[name].astype(float).tolist(), abs=0.01
        ), name
    moved = [
        a.hausdorff_distance(b)
        for a, b in zip(made.geometry, shipped.geometry, strict=True)
    ]
    assert max(moved) < 0.02  # written with 1 cm precision


# --- the page ------------------------------------------------------------------------


def open_overview(role: str = privacy.BEHEERDER) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    if role != privacy.BEHEERDER:
        at.session_state[state.LOGIN_KEY] = access.Viewer(role, "test", "lokaal")
    at.run()
    at.switch_page("pages/1_provincie.py").run()
    return at


def test_page_is_registered_for_beheerder_and_begeleider():
    entry = next(e for e in shell.PAGES if e.file == "1_provincie.py")
    assert entry.title == "Provincie-overzicht" and entry.steps == (1,)
    assert access.allowed(privacy.BEHEERDER, entry.file)
    assert access.allowed(privacy.BEGELEIDER, entry.file)
    assert not access.allowed(privacy.PUBLIEK, entry.file)
    assert not access.allowed(privacy.ONDERNEMER, entry.file)


def test_page_shows_every_park_and_switches_the_indicator():
    at = open_overview()
    assert not at.exception, [e.value for e in at.exception]
    # One notice on what is made up: the set's, not the current terrain's.
    assert [i.value for i in at.info if "demodata" in i.value.lower()] == [
        overview.SYNTHETIC_NOTE
    ]
    assert not any("Demodata" in w.value for w in at.warning)
    assert at.caption[0].value == "Stap 1 · Verkennen"
    table = at.dataframe[0].value
    assert len(table) == 34
    assert set(provincie.park(p).name for p in provincie.PARK_IDS) <= set(
        table["Terrein"]
    )
    wieken = table.set_index("Terrein").loc["De Wieken, deelgebied (Hoogeveen)"]
    assert wieken["Gebouwen"] == "84"  # data/README.md: 84 buildings
    at.selectbox(key=state.PV_INDICATOR_KEY).select("invoeding").run()
    colour = at.dataframe[0].value.columns[2]
    assert colour == "Kleur: Netcapaciteit invoeding"
    # Peelerpark en Messchenveld: invoeding tekort (status 3) everywhere.
    peeler = (
        at.dataframe[0]
        .value.set_index("Terrein")
        .loc["Peelerpark en Messchenveld (Assen)"]
    )
    assert peeler[colour].startswith("3 · tekort")


def test_a_table_row_opens_the_park_on_the_kansenkaart():
    at = open_overview()
    table = at.dataframe[0].value
    row = int(table.index[table["Terrein"] == "Fictief terrein Exloo-Oost"][0])
    at.session_state["pv_table"] = {"selection": {"rows": [row], "columns": []}}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state[state.TERRAIN_KEY] == "provincie:fictief-exloo-oost"
    assert [t.value for t in at.title] == ["Kansenkaart"]
    assert "Fictief terrein Exloo-Oost" in " ".join(c.value for c in at.caption)
    assert at.query_params["terrein"] == "fictief-exloo-oost"


def test_begeleider_sees_the_public_variant():
    at = open_overview(privacy.BEGELEIDER)
    assert not at.exception, [e.value for e in at.exception]
    assert any("openbare variant" in c.value for c in at.caption)
    table = at.dataframe[0].value.set_index("Terrein")
    # Norg-West: 22 companies, 13 with an obligation: shown; rounded kWp.
    shipped = provincie.read_overview().set_index("id").loc["fictief-norg-west"]
    kwp = privacy.round_significant(pd.array([shipped["kwp_public"]]))[0]
    assert table.loc["Fictief terrein Norg-West", "Zonpotentieel"] == (
        f"{kwp:,.0f} kWp".replace(",", ".")
    )


def test_publiek_may_not_open_the_overview():
    at = open_overview(privacy.PUBLIEK)
    assert at.error and "niet beschikbaar voor uw rol" in at.error[0].value
    assert not at.dataframe


def test_the_terrains_of_the_picker_are_a_set_too(demo_copy, tmp_path):
    meta = json.loads((demo_copy / "terrain.json").read_text("utf-8"))
    meta.update(id="mijn-terrein", name="Mijn terrein", demo=False)
    (demo_copy / "terrain.json").write_text(json.dumps(meta), "utf-8")
    data = zip_folder(demo_copy, tmp_path / "mijn-terrein.zip").read_bytes()
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.file_uploader(key="terrain_upload").upload(
        "mijn-terrein.zip", data, "application/zip"
    ).run()
    at.switch_page("pages/1_provincie.py").run()
    at.selectbox(key=state.PV_SET_KEY).select("beschikbaar").run()
    assert not at.exception, [e.value for e in at.exception]
    table = at.dataframe[0].value.set_index("Terrein")
    pilots = [kk.load_terrain(f"demo:{t}").name for t in demo_specs.PILOT_IDS]
    assert sorted(table.index) == sorted([*pilots, "Mijn terrein"])
    # Only the demo terrains are called made up, not the gemeente's own.
    notes = [i.value for i in at.info if "demodata" in i.value.lower()]
    assert (
        len(notes) == 1 and "4 van de 5 terreinen hier zijn demoterreinen" in notes[0]
    )
    # The upload is analysed on the spot: the figures of De Punt, whose data
    # it holds, as the shipped file has them (workgroups are records per
    # terrain id, not figures of its data).
    assert (
        (table.loc["Mijn terrein"] == table.loc["De Punt (Tynaarlo)"])
        .drop(["Gemeente", "Werkgroepen"])
        .all()
    )
    row = list(table.index).index("Mijn terrein")
    at.session_state["pv_table"] = {"selection": {"rows": [row], "columns": []}}
    at.run()
    assert at.session_state[state.TERRAIN_KEY].startswith("upload:")
    assert [t.value for t in at.title] == ["Kansenkaart"]


def test_a_link_opens_a_generated_park_and_keeps_the_indicator():
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"terrein": "fictief-exloo-oost"})
    at.switch_page("pages/3_kansenkaart.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state[state.TERRAIN_KEY] == "provincie:fictief-exloo-oost"
    assert "Fictief terrein Exloo-Oost" in " ".join(c.value for c in at.caption)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"kleur": "voortgang", "set": "beschikbaar"})
    at.switch_page("pages/1_provincie.py").run()
    assert at.selectbox(key=state.PV_INDICATOR_KEY).value == "voortgang"
    assert len(at.dataframe[0].value) == 4  # the four demo pilots of the picker
    at.query_params.update({"kleur": "<script>"})
    at.run()
    assert any("onbekende waarde voor 'kleur'" in w.value for w in at.warning)
    assert at.selectbox(key=state.PV_INDICATOR_KEY).value == "voortgang"


def test_workgroup_progress_comes_from_the_records(tmp_path, monkeypatch):
    from kansenkaart.records import store

    url = f"sqlite:///{tmp_path / 'ws.sqlite'}"
    monkeypatch.setenv("DATABASE_URL", url)
    db = store.Store(url)
    plan = {"trekker": "Anna"}
    for measure, status in (("led", "onderzoek"), ("zon_eigen_dak", "idee")):
        db.save(
            "plan",
            "fictief-dalen-west",
            {"measure_id": measure},
            {"status": status},
            user="test",
            expected_version=0,
        )
    db.save(
        "workgroup",
        "fictief-dalen-west",
        {"measure_id": "led"},
        plan,
        user="test",
        expected_version=0,
    )
    at = open_overview()
    at.selectbox(key=state.PV_INDICATOR_KEY).select("voortgang").run()
    table = at.dataframe[0].value.set_index("Terrein")
    dalen = table.loc["Fictief terrein Dalen-West"]
    assert dalen["Werkgroepen"] == "onderzoek (1 maatregel verder dan idee)"
    assert dalen["Kleur: Voortgang werkgroepen"] == "onderzoek"
    assert table.loc["Fictief terrein Exloo-Oost", "Werkgroepen"] == (
        "nog niets vastgelegd"
    )
