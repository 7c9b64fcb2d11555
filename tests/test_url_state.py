"""State in the URL: a link (or a reload, which is a new session with the same
link) restores terrain, view, theme, filters, presentation mode and building.

AppTest runs the real app.py. Setting ``at.query_params`` before the first
run is opening a link; ``at.query_params`` after a run is the URL the browser
shows. Expected names come from the demo terrain's own files and from the
library's catalogues, never from the page.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import kansenkaart as kk
from appui import shell, state
from kansenkaart.views import kansenkaart_pdf, legend, projector, selection
from tests.conftest import zip_folder

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
JANSEN = "0999100000000003"  # De Punt, Vennweg 7, Logistiek Jansen


def open_link(page: str | None, **params: str) -> AppTest:
    """Open ``/<page>?<params>`` in a new session, as a reload or a shared
    link does (``page`` None: the start page)."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(params)
    if page:
        at.switch_page(f"pages/{page}")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def terrain_shown(at: AppTest) -> str:
    """The header lines that name the terrain (caption; subheader on Start)."""
    return " ".join([c.value for c in at.caption] + [s.value for s in at.subheader])


def notices(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "link" in w.value]


def test_kansenkaart_link_restores_terrain_theme_view_and_mode():
    at = open_link(
        "3_kansenkaart.py",
        terrein="de-wieken",
        thema="co2",
        soort="individual",
        maatregelen="zon_eigen_dak,led",
        weergave="naast",
        huidig="ownership",
        presentatie="uit",
        variant="openbaar",
    )
    assert kk.load_terrain("demo:de-wieken").name in terrain_shown(at)
    assert at.selectbox(key="kk_colouring").value == "co2"
    assert at.segmented_control(key="kk_scope").value == "individual"
    assert at.multiselect(key="kk_measures_individual").value == [
        "zon_eigen_dak",
        "led",
    ]
    assert at.segmented_control(key="kk_view").value == "naast"
    assert at.selectbox(key="kk_theme").value == "ownership"
    assert at.toggle(key="kk_private").value is False
    assert at.selectbox(key="kk_variant").value == "openbaar"
    assert not notices(at)
    # The URL the browser keeps shows the same screen.
    assert at.query_params["terrein"] == "de-wieken"
    assert at.query_params["maatregelen"] == "zon_eigen_dak,led"
    assert at.query_params["weergave"] == "naast"


@pytest.mark.parametrize(
    "page", ["2_huidige_situatie.py", "3_kansenkaart.py", "3_mijn_pand.py"]
)
def test_link_restores_the_chosen_building(page):
    row = kk.load_terrain("demo:de-punt").buildings.set_index("building_id").loc[JANSEN]
    at = open_link(page, terrein="de-punt", pand=JANSEN)
    shown = " ".join(
        [s.value for s in at.subheader]
        + [c.value for c in at.caption]
        + [str(t.value.to_dict()) for t in at.table]
    )
    assert row["company"] in shown
    assert row["address"].split(",")[0] in shown
    assert at.query_params["pand"] == JANSEN


def test_werksessie_link_restores_view_measure_building_and_mode():
    view = projector.VIEWS[2]  # Koppelkansen RWZI en luchthaven
    at = open_link(
        "4_werksessie.py",
        terrein="de-punt",
        weergave=view.id,
        maatregel="warmtenet_rwzi",
        pand=JANSEN,
        presentatie="uit",
    )
    assert at.segmented_control(key="ws_view").value == view.id
    assert view.title in [s.value for s in at.subheader]
    assert at.selectbox(key="ws_measure").value == "warmtenet_rwzi"
    assert at.selectbox(key="ws_building").value == JANSEN
    assert at.toggle(key="ws_private").value is False
    assert dict(at.query_params) == {
        "terrein": "de-punt",
        "weergave": view.id,
        "maatregel": "warmtenet_rwzi",
        "pand": JANSEN,
        "presentatie": "uit",
    }


def test_kansenlijsten_link_restores_the_filters():
    at = open_link(
        "3_kansenlijsten.py",
        soort="individual",
        maatregelen="zon_eigen_dak",
        verplichting="informatieplicht",
        eigendom="huurder,eigenaar-gebruiker",
        interesse="ja",
        label="A,onbekend",
        kopgroep="aan",
        variant="openbaar",
    )
    assert at.segmented_control(key="kl_scope").value == "individual"
    assert at.multiselect(key="kl_measures_individual").value == ["zon_eigen_dak"]
    assert at.multiselect(key="kl_obligations").value == ["informatieplicht"]
    assert at.multiselect(key="kl_ownership").value == ["huurder", "eigenaar-gebruiker"]
    assert at.multiselect(key="kl_interest").value == ["ja"]
    assert at.multiselect(key="kl_labels").value == ["A", "onbekend"]
    assert at.toggle(key="kl_kopgroep").value is True
    assert at.segmented_control(key="kl_variant").value == "openbaar"
    assert not notices(at)


def test_netcapaciteit_and_huidige_situatie_restore_their_layer():
    at = open_link("2_netcapaciteit.py", terrein="bitseveld-westerd", richting="afname")
    assert at.segmented_control(key="nc_direction").value == "afname"
    assert "Bitseveld" in terrain_shown(at)
    at = open_link("2_huidige_situatie.py", thema="solar_existing")
    assert at.selectbox(key="hs_theme").value == "solar_existing"


@pytest.mark.parametrize(
    ("page", "name", "widget", "options"),
    [
        ("2_huidige_situatie.py", "thema", "hs_theme", list(legend.theme_names())),
        (
            "3_kansenkaart.py",
            "thema",
            "kk_colouring",
            list(kansenkaart_pdf.OPPORTUNITY_CHOICES),
        ),
        ("3_kansenkaart.py", "soort", "kk_scope", list(selection.SCOPE_CHOICES)),
        ("3_kansenkaart.py", "weergave", "kk_view", ["kansen", "naast"]),
        ("4_werksessie.py", "weergave", "ws_view", [v.id for v in projector.VIEWS]),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_every_value_a_link_may_carry_is_one_the_widget_shows(
    page, name, widget, options
):
    # Back/forward within one session: each new URL text is read again.
    at = open_link(page)
    find = at.selectbox if widget in ("hs_theme", "kk_colouring") else None
    for option in options:
        at.query_params[name] = option
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        shown = (find or at.segmented_control)(key=widget).value
        assert shown == option, (name, option)
        assert not notices(at)


HOSTILE = [
    ("terrein", "../../etc/passwd"),
    ("terrein", "<script>alert('x')</script>"),
    ("terrein", "demo:de-wieken"),
    ("thema", "'; DROP TABLE buildings; --"),
    ("thema", "**vet** [link](https://example.org)"),
    ("weergave", "x" * 5000),
    ("presentatie", "misschien"),
    ("maatregelen", "zon_eigen_dak,bestaat_niet"),
    ("pand", "0999100000009999"),
    ("pand", '=HYPERLINK("http://x")'),
    ("onbekend_onderdeel", "1"),
]


@pytest.mark.parametrize(("name", "value"), HOSTILE)
def test_unknown_or_hostile_link_values_are_ignored_with_a_dutch_notice(name, value):
    at = open_link("3_kansenkaart.py", **{name: value})
    said = notices(at)
    assert len(said) == 1, said
    assert "genegeerd" in said[0] or "bestaat niet" in said[0]
    assert "<script>" not in said[0] and len(said[0]) < 400
    # The default screen, and the URL now says what is shown.
    assert "De Punt" in terrain_shown(at)
    assert at.query_params.get(name) != value
    assert at.query_params["terrein"] == "de-punt"
    assert at.segmented_control(key="kk_view").value == "kansen"


def test_uploaded_terrain_is_named_in_the_url_by_its_content(demo_copy, tmp_path):
    data = zip_folder(demo_copy, tmp_path / "eigen.zip").read_bytes()
    at = open_link(None)
    at.file_uploader(key="terrain_upload").upload(
        "eigen.zip", data, "application/zip"
    ).run()
    digest = hashlib.sha256(data).hexdigest()[:16]
    assert at.query_params["terrein"] == f"eigen-{digest}"


def test_uploaded_terrain_in_a_link_asks_to_load_it_again():
    at = open_link(None, terrein="eigen-0123456789abcdef")
    (said,) = notices(at)
    assert "Laad het zip-bestand opnieuw" in said
    assert "De Punt" in terrain_shown(at)


def test_a_change_on_the_page_is_written_and_not_undone_by_the_old_url():
    at = open_link("3_kansenkaart.py", thema="co2")
    at.selectbox(key="kk_colouring").select("euro").run()
    assert at.selectbox(key="kk_colouring").value == "euro"
    assert at.query_params["thema"] == "euro"
    at.toggle(key="kk_private").set_value(False).run()
    assert at.query_params["presentatie"] == "uit"
    at.toggle(key="kk_private").set_value(True).run()
    assert "presentatie" not in at.query_params, "the default is left out"


def test_switching_page_keeps_the_terrain_in_the_url():
    at = open_link(None, terrein="de-wieken")
    at.sidebar.selectbox(key="terrain_picker").select("demo:peelerpark-messchenveld")
    at.run()
    assert at.query_params["terrein"] == "peelerpark-messchenveld"
    # The menu sends no query string to the next page (Streamlit drops
    # parameters no widget is bound to); the session's terrain is written back.
    at.query_params.clear()
    at.switch_page("pages/3_mijn_pand.py").run()
    assert not at.exception
    assert "Peelerpark" in terrain_shown(at)
    assert at.query_params == {"terrein": "peelerpark-messchenveld"}


def menu(at: AppTest, page: str) -> AppTest:
    """Go to ``page`` through the menu: no query string reaches it."""
    at.query_params.clear()
    at.switch_page(f"pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_page_opened_again_through_the_menu_looks_as_it_was_left():
    at = open_link("3_kansenkaart.py", terrein="de-punt")
    at.selectbox(key="kk_colouring").select("euro").run()
    at.selectbox(key="kk" + state.MAP_KIND_SUFFIX).select("snel").run()
    at.toggle(key="kk_private").set_value(False).run()
    at.selectbox(key="kk_colouring").select("co2").run()  # the last choice counts
    menu(at, "2_huidige_situatie.py")
    theme = at.selectbox(key=state.HS_THEME_KEY)
    other = next(t for t in legend.theme_names() if t != theme.value)
    theme.select(other).run()
    menu(at, "3_kansenkaart.py")
    assert at.selectbox(key="kk_colouring").value == "co2"
    assert at.selectbox(key="kk" + state.MAP_KIND_SUFFIX).value == "snel"
    assert at.toggle(key="kk_private").value is False
    assert at.query_params["kaart"] == "snel" and at.query_params["thema"] == "co2"
    assert not notices(at)
    menu(at, "2_huidige_situatie.py")  # each page keeps its own place
    assert at.selectbox(key=state.HS_THEME_KEY).value == other


def test_another_terrain_keeps_the_view_but_not_the_chosen_building():
    """The demo terrains share building ids: a building chosen on one is not
    chosen on the other, neither on the page nor when it opens again."""
    at = open_link("2_huidige_situatie.py", terrein="de-punt", pand=JANSEN)
    at.selectbox(key=state.HS_THEME_KEY).select("construction_year").run()
    assert at.query_params["pand"] == JANSEN
    wieken = kk.load_terrain("demo:de-wieken").buildings["building_id"]
    assert JANSEN in set(wieken)  # the same id names another building there
    at.sidebar.selectbox(key="terrain_picker").select("demo:de-wieken").run()
    assert "pand" not in at.query_params
    assert at.query_params["thema"] == "construction_year"
    menu(at, "3_kansenkaart.py")
    menu(at, "2_huidige_situatie.py")
    assert "pand" not in at.query_params and not notices(at)
    assert at.selectbox(key=state.HS_THEME_KEY).value == "construction_year"
    # Back on De Punt the building chosen there is chosen again.
    at.sidebar.selectbox(key="terrain_picker").select("demo:de-punt").run()
    assert at.query_params["pand"] == JANSEN


def test_the_province_overview_keeps_its_colour_after_opening_a_park():
    at = open_link("1_provincie.py")
    at.selectbox(key=state.PV_INDICATOR_KEY).select("invoeding").run()
    at.query_params.clear()
    at.session_state[state.TERRAIN_KEY] = "provincie:fictief-exloo-oost"
    at.switch_page("pages/3_kansenkaart.py").run()  # as a click on a park does
    menu(at, "1_provincie.py")
    assert at.selectbox(key=state.PV_INDICATOR_KEY).value == "invoeding"
    assert at.query_params["kleur"] == "invoeding"


def test_every_url_parameter_belongs_to_a_page_or_to_all():
    pages = {"", *(e.file.split("_", 1)[-1].removesuffix(".py") for e in shell.PAGES)}
    names = [(p.page, p.name) for p in state.URL_PARAMS]
    assert len(names) == len(set(names)), "a parameter twice on one page"
    assert {p.page for p in state.URL_PARAMS} <= pages
