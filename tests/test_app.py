"""AppTest: every page runs without exception on every demo terrain."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import kansenkaart as kk
from tests.conftest import zip_folder

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
ABOUT_MANY = {"1_provincie.py"}  # a page about many terrains, not the current one


def run_page(page: str, terrain: str = "demo:de-punt") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["terrain_key"] = terrain
    at.run()
    if page != "home.py":
        at.switch_page(f"pages/{page}").run()
    return at


@pytest.mark.parametrize("terrain", kk.list_demo_terrains())
@pytest.mark.parametrize("page", PAGES)
def test_page_runs_on_every_demo_terrain(page, terrain):
    at = run_page(page, f"demo:{terrain}")
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, "every page has a title"
    if page in ABOUT_MANY:  # its own notice on what is made up, no terrain's
        assert any("Synthetische demodata" in i.value for i in at.info)
        assert not any("Demodata" in w.value for w in at.warning)
        return
    name = kk.load_terrain(f"demo:{terrain}").name
    shown = " ".join([c.value for c in at.caption] + [s.value for s in at.subheader])
    assert name in shown, "the page says which terrain it shows"
    assert any("Demodata" in w.value for w in at.warning), "demo banner"


def test_home_shows_key_figures_of_the_chosen_terrain():
    at = run_page("home.py", "demo:de-wieken")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Gebouwen"] == str(len(kk.load_terrain("demo:de-wieken").buildings))


def test_sidebar_switches_terrain():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.selectbox(key="terrain_picker").select("demo:de-wieken").run()
    assert not at.exception
    assert at.subheader[0].value == "De Wieken, deelgebied (Hoogeveen)"


def test_uploaded_terrain_zip_becomes_current(demo_copy, tmp_path):
    data = zip_folder(demo_copy, tmp_path / "mijn-terrein.zip").read_bytes()
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.file_uploader(key="terrain_upload").upload(
        "mijn-terrein.zip", data, "application/zip"
    ).run()
    assert not at.exception
    assert at.session_state["terrain_key"].startswith("upload:")
    # AppTest drops the sidebar tree on reruns; the browser test checks the
    # message itself, here its state.
    assert at.session_state["upload_feedback"] == ("mijn-terrein.zip", None)
    assert at.subheader[0].value == "De Punt (Tynaarlo)"


def test_failed_upload_keeps_the_previous_terrain(tmp_path):
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["terrain_key"] = "demo:de-wieken"
    at.run()
    at.file_uploader(key="terrain_upload").upload(
        "kapot.zip", b"geen zip", "application/zip"
    ).run()
    assert not at.exception
    assert at.session_state["terrain_key"] == "demo:de-wieken"
    name, error = at.session_state["upload_feedback"]
    assert name == "kapot.zip" and "geen geldig zipbestand" in error
    assert at.subheader[0].value == "De Wieken, deelgebied (Hoogeveen)"


@pytest.mark.parametrize(
    "page", [p for p in PAGES if p != "home.py"], ids=lambda p: p.removesuffix(".py")
)
def test_deep_link_before_any_navigation_runs_the_page_inside_the_shell(page):
    # Switching before the first run is how AppTest opens a URL: Streamlit's
    # legacy pages/ routing (active until st.navigation has run once in the
    # process) runs the page file on its own; its first statement puts it in
    # the shell, once, with the sidebar.
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["terrain_key"] = "demo:de-wieken"
    at.switch_page(f"pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.title) == 1, "the page ran once"
    assert at.sidebar.selectbox(key="terrain_picker").value == "demo:de-wieken"
    if page not in ABOUT_MANY:
        assert "De Wieken" in " ".join(c.value for c in at.caption)
