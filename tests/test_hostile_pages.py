"""No exception reaches a user: every page with hostile values in every input.

Issue 18: typing ``0,30`` on *Aannames* gave 30 €/kWh and then an English
``StreamlitValueAboveMaxError`` on *Mijn pand*. Every page is run with the
menu of the app (``app.py``); each hostile value goes into every text field
at once, every form is submitted, and the page must show neither an
exception nor an English error text, and the page guard (appui/guard.py)
must not have caught anything (``tests/conftest.py`` also fails a test on
that). The guard itself is tested with small scripts.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from appui import guard, state
from kansenkaart.core import assumptions as asm
from kansenkaart.records import forms

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
PAGES = sorted(p.name for p in (ROOT / "pages").glob("*.py"))
TERRAIN = "demo:de-punt"
JANSEN = "0999100000000003"  # Vennweg 7, Logistiek Jansen: kleinverbruik
HOSTILE = (
    "0,30",
    "75.000",
    "1.234,5",
    "abc",
    "1e309",
    "-0",
    "NaN",
    "∞",
    "9" * 400,
    "",
)
# What Python and Streamlit write when something breaks; never Dutch.
ENGLISH_ERROR = re.compile(
    r"Traceback|most recent call|Exception|\w+Error\b|Streamlit[A-Z]\w+|"
    r"is not a valid|must be",
)


def open_page(page: str, **state) -> AppTest:
    """``page`` in the app on De Punt, with a user name, Jansen chosen on
    *Mijn pand* and the solar werkgroep open, so every form is shown."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["terrain_key"] = TERRAIN
    at.session_state[forms.USER_KEY] = "Anna"
    at.session_state["mp_selected"] = {TERRAIN: JANSEN}
    at.session_state["wg_measure"] = "zon_eigen_dak"
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    if page != "home.py":
        at.switch_page(f"pages/{page}").run()
    return at


def shown_text(at: AppTest) -> str:
    """Every text element a user reads on the page."""
    kinds = ("markdown", "caption", "error", "warning", "info", "success", "text")
    parts = [str(e.value) for kind in kinds for e in at.get(kind)]
    parts += [str(e.value) for e in at.exception]
    return "\n".join(parts)


def assert_nothing_broke(at: AppTest, caplog, what: str) -> None:
    assert not at.exception, (what, [e.value for e in at.exception])
    caught = [r for r in caplog.records if r.name == guard.LOGGER_NAME]
    assert not caught, (what, caught[0].getMessage(), caught[0].exc_text)
    english = ENGLISH_ERROR.search(shown_text(at))
    assert english is None, (what, english)


LAZY_TABS = {
    "1_beginsituatie.py": state.BS_TAB_KEY,
    "2_netcapaciteit.py": state.NC_TAB_KEY,
    "3_kansenlijsten.py": state.KL_TAB_KEY,
    "4_werksessie.py": state.WS_TAB_KEY,
    "4_werkgroepen.py": state.WG_TAB_KEY,
}
"""Pages whose tabs build only the open tab (issue 18), with the tabs' key:
the test opens every tab, so the fields of hidden tabs are typed into too."""


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.removesuffix(".py"))
def test_hostile_values_in_every_input_raise_nothing(page, caplog):
    at = open_page(page)
    assert_nothing_broke(at, caplog, page)
    assert not at.number_input, "every number field is ui.dutch_number_input"
    tabs = [t.label for t in at.tabs] if page in LAZY_TABS else [None]
    assert tabs, f"{page} shows its tabs"
    for tab in tabs:
        if tab is not None:
            at.session_state[LAZY_TABS[page]] = tab
            at.run()
            assert_nothing_broke(at, caplog, f"{page}, tab {tab}")
        for value in HOSTILE:
            # Typed and submitted in one run: AppTest drops what was typed in a
            # form when a run passes without its submit button.
            for field in at.text_input:
                field.input(value)
            for button in at.button:
                if button.proto.is_form_submitter:
                    button.click()
            at.run()
            assert_nothing_broke(at, caplog, f"{page} ({tab}) with {value[:12]!r}")


@pytest.mark.parametrize("end", [0, 1], ids=["lowest", "highest"])
def test_every_page_runs_at_the_ends_of_the_allowed_ranges(end, caplog):
    """What Aannames accepts (asm.INPUT_RANGES) no page may choke on: all
    adjustable assumptions at their lowest (prices, CO₂ and radii 0), or all
    at their highest allowed value."""
    extremes = {name: ends[end] for name, ends in asm.INPUT_RANGES.items()}
    at = open_page("home.py", assumption_overrides=extremes)
    for page in PAGES:
        at.switch_page(f"pages/{page}").run()
        assert at.title, page
        assert_nothing_broke(at, caplog, f"{page} at {extremes}")


# --- the path: Aannames -> Mijn pand -------------------------------------


def price_field(at: AppTest):
    return at.text_input(key="assumption_elec_price_small_eur_per_kwh")


def apply(at: AppTest) -> AppTest:
    next(b for b in at.button if b.label == "Toepassen").click().run()
    return at


def test_a_dutch_price_is_applied_and_reaches_mijn_pand(caplog):
    at = open_page("aannames.py")
    assert price_field(at).value == "0,25"  # the set's value, Dutch notation
    price_field(at).input("0,30")
    apply(at)
    assert at.session_state["assumption_overrides"] == {
        "elec_price_small_eur_per_kwh": 0.30
    }
    at.switch_page("pages/3_mijn_pand.py").run()
    assert_nothing_broke(at, caplog, "mijn pand")
    own_price = at.text_input(key=f"mp|{TERRAIN}|{JANSEN}|elec_price_eur_per_kwh|0")
    assert own_price.value == "0,30"


def test_a_slipped_price_is_refused_in_dutch_and_the_old_one_kept(caplog):
    at = open_page("aannames.py")
    price_field(at).input("30")
    apply(at)
    assert_nothing_broke(at, caplog, "aannames")
    assert at.session_state["assumption_overrides"] == {}
    errors = [e.value for e in at.error]
    assert errors == [
        "Stroomprijs kleinverbruik (incl. energiebelasting, excl. btw): '30' "
        "(gelezen als 30) ligt buiten het toegestane bereik. Typ een getal "
        "tussen 0 en 5 €/kWh, met een komma voor decimalen, bijvoorbeeld 2,50."
    ]


def test_an_english_price_is_read_and_its_reading_shown(caplog):
    at = open_page("aannames.py")
    price_field(at).input("0.3")
    apply(at)
    assert at.session_state["assumption_overrides"] == {
        "elec_price_small_eur_per_kwh": 0.3
    }
    assert "Gelezen als 0,30 €/kWh" in [c.value for c in at.caption]


def test_a_share_is_typed_as_a_percentage():
    at = open_page("aannames.py")
    field = at.text_input(key="assumption_flat_usable_fraction")
    assert field.label == "Bruikbaar deel van een plat dak (%)"
    assert field.value == "55"
    field.input("40%")
    apply(at)
    assert at.session_state["assumption_overrides"] == {"flat_usable_fraction": 0.4}


def test_an_out_of_range_assumption_on_mijn_pand_gives_a_message(caplog):
    """The issue's crash: 30 €/kWh in the assumptions, Mijn pand's price
    field allows 0–5. Now a Dutch message under the field, no exception."""
    at = open_page(
        "3_mijn_pand.py", assumption_overrides={"elec_price_small_eur_per_kwh": 30.0}
    )
    assert_nothing_broke(at, caplog, "mijn pand")
    assert any(
        e.value.startswith("Uw stroomprijs: '30,00' (gelezen als 30) ligt buiten")
        for e in at.error
    )


def test_own_usage_typed_with_a_thousands_dot_is_used(caplog):
    at = open_page("3_mijn_pand.py")
    usage = at.text_input(key=f"mp|{TERRAIN}|{JANSEN}|elec_kwh_yr|0")
    usage.input("75.000").run()
    assert_nothing_broke(at, caplog, "mijn pand")
    corrections = at.session_state["mp_corrections"][(TERRAIN, JANSEN)]
    assert corrections == {"elec_kwh_yr": 75_000.0}
    usage.input("abc").run()
    assert at.session_state["mp_corrections"][(TERRAIN, JANSEN)] == corrections
    assert any(
        e.value.startswith("Stroomverbruik: 'abc' is geen getal") for e in at.error
    )


# --- the guard ---------------------------------------------------------------------


def broken_page():
    import streamlit as st

    from appui import guard

    st.title("Voor")
    with guard.page_guard("Testpagina"):
        st.write("begin")
        raise ZeroDivisionError("kapot")
    st.write("na de pagina")


def test_an_error_in_a_page_shows_dutch_and_is_logged(caplog):
    at = AppTest.from_function(broken_page).run()
    assert not at.exception
    (message,) = [e.value for e in at.error]
    assert message.startswith("**Er ging iets mis op deze pagina (Testpagina).**")
    assert "Wat u kunt doen" in message and "foutcode" in message
    assert ENGLISH_ERROR.search(shown_text(at)) is None
    assert "na de pagina" in shown_text(at), "the app goes on after the page"
    (record,) = [r for r in caplog.records if r.name == guard.LOGGER_NAME]
    assert "Testpagina" in record.getMessage()
    assert "ZeroDivisionError: kapot" in record.exc_text
    caplog.clear()  # provoked on purpose (see tests/conftest.py)


def rerunning_page():
    import streamlit as st

    from appui import guard

    with guard.page_guard("Testpagina"):
        st.session_state["runs"] = st.session_state.get("runs", 0) + 1
        if st.session_state["runs"] == 1:
            st.rerun()
        if st.session_state["runs"] == 2:
            st.stop()
        st.write("niet bereikt")


def test_rerun_and_stop_pass_the_guard(caplog):
    at = AppTest.from_function(rerunning_page).run()
    assert at.session_state["runs"] == 2, "st.rerun ran the script again"
    assert not at.error and not at.exception
    assert "niet bereikt" not in shown_text(at), "st.stop ended the run"
    assert not [r for r in caplog.records if r.name == guard.LOGGER_NAME]


def test_the_shell_runs_every_page_inside_the_guard(monkeypatch, caplog):
    from appui import state

    def broken(*args, **kwargs):
        raise RuntimeError("kapotte analyse")

    monkeypatch.setattr(state, "analysis", broken)
    at = open_page("3_mijn_pand.py")
    assert not at.exception
    assert [t.value for t in at.title] == [], "the page stopped at the error"
    (message,) = [e.value for e in at.error]
    assert message.startswith("**Er ging iets mis op deze pagina (Mijn pand).**")
    assert at.sidebar.selectbox, "the sidebar (terrain picker) is still there"
    (record,) = [r for r in caplog.records if r.name == guard.LOGGER_NAME]
    assert "RuntimeError: kapotte analyse" in record.exc_text
    caplog.clear()  # provoked on purpose (see tests/conftest.py)


def test_no_streamlit_number_input_in_the_app():
    """Every typed number goes through ui.dutch_number_input (issue 18)."""
    files = [
        ROOT / "app.py",
        *(ROOT / "pages").glob("*.py"),
        *(ROOT / "appui").glob("*.py"),
    ]
    calls = [
        f"{path.name}:{node.lineno}"
        for path in files
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute) and node.attr == "number_input"
    ]
    assert calls == []
