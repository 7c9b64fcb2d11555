"""AppTest of the map pages: themes, filters, search, presentation mode."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import kansenkaart as kk
from kansenkaart.views import legend

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")


def open_page(
    page: str, terrain: str = "demo:de-punt", timeout: float = 120, **state
) -> AppTest:
    """Open ``page`` on ``terrain`` with ``state`` set, as the menu does."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    at.session_state["terrain_key"] = terrain
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(f"pages/{page}").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tables(at: AppTest) -> list:
    return [t.value for t in at.table]


def legend_classes(at: AppTest, position: int = 0) -> dict[str, int]:
    table = tables(at)[position]
    return dict(zip(table["klasse"], table["aantal"].astype(int), strict=True))


@pytest.fixture(scope="module")
def de_punt():
    return kk.analyse(kk.load_terrain("demo:de-punt")).buildings


def test_current_state_offers_every_theme_in_dutch():
    at = open_page("2_huidige_situatie.py")
    assert at.title[0].value == "Huidige situatie"
    # AppTest shows the options as the user reads them
    assert at.selectbox(key="hs_theme").options == list(legend.theme_names().values())
    assert at.subheader[0].value == "Energielabel"
    assert "Klik op een pand" in at.caption[-1].value


@pytest.mark.parametrize("theme", list(legend.THEMES))
def test_every_theme_shows_a_legend_that_counts_all_buildings(theme, de_punt):
    at = open_page("2_huidige_situatie.py", hs_private=False)
    at.selectbox(key="hs_theme").select(theme).run()
    assert not at.exception
    counts = legend_classes(at)
    counts.pop(legend.ESTIMATED_LABEL, None)
    assert sum(counts.values()) == len(de_punt)


def test_presentation_mode_hides_energy_of_companies_without_consent(de_punt):
    at = open_page("2_huidige_situatie.py", hs_theme="energy_total")
    assert at.toggle(key="hs_private").value is True
    consent = int(de_punt["consent_werksessie"].fillna(False).sum())
    assert legend_classes(at)[legend.HIDDEN_LABEL] == len(de_punt) - consent
    at.toggle(key="hs_private").set_value(False).run()
    assert legend.HIDDEN_LABEL not in legend_classes(at)


def test_search_shows_the_facts_of_the_building(de_punt):
    at = open_page("2_huidige_situatie.py")
    building = de_punt.iloc[0]
    at.text_input(key="hs_query|demo:de-punt").input(building["address"]).run()
    assert not at.exception
    assert at.session_state["hs_selected"] == {"demo:de-punt": building["building_id"]}
    facts = tables(at)[1]["waarde"]
    assert facts["Adres"] == building["address"]
    assert facts["Bedrijf"] == building["company"]


def test_search_offers_only_the_matches(de_punt):
    """A street of several buildings is a choice among those buildings only:
    the page never sends every building of the terrain as an option."""
    at = open_page("3_kansenkaart.py")
    street = de_punt["address"].str.extract(r"^(\D+) \d", expand=False)
    name = street.value_counts().index[0]
    on_street = set(de_punt.loc[street == name, "building_id"])
    at.text_input(key="kk_query|demo:de-punt").input(name).run()
    pick = at.selectbox(key=f"kk_pick|demo:de-punt|{name}|None")
    assert len(pick.options) == min(len(on_street), 25)
    assert all(option.startswith(f"{name} ") for option in pick.options)
    assert all(len(box.options) < len(de_punt) for box in at.selectbox)
    chosen = sorted(on_street)[0]
    pick.select(chosen).run()
    assert not at.exception
    assert at.session_state["kk_selected"] == {"demo:de-punt": chosen}
    assert at.session_state["kk_center"] == {"demo:de-punt": chosen}


def test_opportunity_filter_by_scope_and_measure(de_punt):
    at = open_page("3_kansenkaart.py", kk_private=False)
    assert at.title[0].value == "Kansenkaart"
    both = at.multiselect(key="kk_measures_all")
    assert len(both.options) == len(legend.selected_measures("all"))
    at.segmented_control(key="kk_scope").set_value("collective").run()
    chosen = at.multiselect(key="kk_measures_collective")
    names = {m.name for m in legend.selected_measures("collective")}
    assert set(chosen.value) == {m.id for m in legend.selected_measures("collective")}
    assert set(chosen.options) == names
    at.multiselect(key="kk_measures_collective").set_value(["warmtenet_rwzi"]).run()
    assert not at.exception
    expected = int(legend.has_measure(de_punt, "warmtenet_rwzi").sum())
    shown = legend_classes(at)
    assert shown["kans: Warmtenet met restwarmte (RWZI)"] == expected
    outlined = legend_classes(at, 1)
    assert outlined == {"Warmtenet met restwarmte (RWZI)": expected}


def test_empty_selection_says_what_to_do():
    at = open_page("3_kansenkaart.py")
    at.multiselect(key="kk_measures_all").set_value([]).run()
    assert not at.exception
    assert any("Geen maatregelen in deze selectie" in i.value for i in at.info)


def test_side_by_side_view_and_building_detail(de_punt):
    at = open_page("3_kansenkaart.py", kk_view="naast")
    assert [s.value for s in at.subheader[:2]] == ["Huidige situatie", "Kansen"]
    building = de_punt.iloc[1]
    at.text_input(key="kk_query|demo:de-punt").input(building["address"]).run()
    assert not at.exception
    facts, chances = tables(at)[-2:]
    assert facts["waarde"]["Adres"] == building["address"]
    assert set(chances.index) == {
        legend.measures.BY_ID[m].name for m in building["measures"]
    }
