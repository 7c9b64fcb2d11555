"""Browser: reload (F5) returns the same screen on every page.

Per page: open it, choose another terrain in the sidebar, change the page's
view, theme or filter and choose a building where the page has one; read what
is visible; reload; read again and compare. Also: the menu keeps the terrain
in the URL and a page's place (away and back through the menu), and a broken
link gives a Dutch notice, no traceback.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

import kansenkaart as kk
from tests.e2e.conftest import assert_no_exception, open_app, wait_idle

TERRAIN = "demo:de-wieken"
NAME = "De Wieken, deelgebied (Hoogeveen)"
BUILDING = kk.load_terrain(TERRAIN).buildings.iloc[3]  # Schuurman Bouwmarkt
ADDRESS = BUILDING["address"].split(",")[0]
MAIN = '[data-testid="stMain"]'
# The chosen button of a segmented control (Streamlit 1.5x: a radio button).
ACTIVE = '[data-testid="stButtonGroup"] button[aria-checked="true"]'
PICKER = '[data-testid="stSidebar"] [data-testid="stSelectbox"]'


def choose_terrain(page) -> None:
    page.locator(PICKER).filter(has_text="Bedrijventerrein").click()
    page.get_by_role("option", name=f"{NAME} — demo").click()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"terrein=de-wieken"))
    # the URL is written before the page runs: wait for the page itself
    expect(page.locator(MAIN).get_by_text(NAME).first).to_be_visible()


def pick(page, label: str, option: str, typed: str | None = None) -> None:
    """Choose ``option`` in the main-area selectbox labelled ``label``."""
    box = page.locator(MAIN).locator('[data-testid="stSelectbox"]')
    box = box.filter(has_text=label).first
    box.click()
    if typed:
        page.keyboard.type(typed)
    page.get_by_role("option", name=option).first.click()
    wait_idle(page)


def search(page, label: str, text: str) -> None:
    """Type ``text`` in the search box ``label``; a confident match is chosen."""
    box = page.get_by_role("searchbox", name=label)
    expect(box).to_have_count(1)  # the box of the terrain just chosen
    box.fill(text)
    box.press("Enter")
    wait_idle(page)


def segment(page, label: str) -> None:
    page.locator('[data-testid="stButtonGroup"]').get_by_text(label, exact=True).click()
    wait_idle(page)


def selectbox_value(page, label: str) -> str:
    box = page.locator(MAIN).locator('[data-testid="stSelectbox"]')
    return box.filter(has_text=label).first.inner_text()


def active_segments(page) -> list[str]:
    chosen = page.locator(ACTIVE)
    expect(chosen.first).to_be_visible()  # never an empty list by accident
    return chosen.all_inner_texts()


def seen(page, extra) -> dict:
    """What a person sees: the terrain (page header and sidebar picker, when
    the sidebar shows) and the page's own state."""
    sidebar = page.locator(PICKER).filter(has_text="Bedrijventerrein")
    if page.locator('[data-testid="stSidebar"]').is_visible():
        expect(sidebar).to_have_count(1)  # not while a rerun redraws it
        expect(sidebar.locator("input")).to_have_value(f"{NAME} — demo")
    return {
        "terrein": NAME in page.locator(MAIN).inner_text(),
        "zijbalk": page.locator('[data-testid="stSidebar"]').is_visible(),
        **extra(page),
    }


def huidige_situatie(page):
    pick(page, "Thema", "Bouwjaar")
    search(page, "Zoek adres of bedrijf", BUILDING["company"])
    return lambda p: {
        "thema": selectbox_value(p, "Thema"),
        "pand": p.locator(MAIN).locator('[data-testid="stTable"]').last.inner_text(),
    }


def kansenkaart(page):
    segment(page, "Naast elkaar")
    segment(page, "Individueel")
    search(page, "Zoek adres of bedrijf", BUILDING["company"])
    return lambda p: {
        "segmenten": active_segments(p),
        "huidig": selectbox_value(p, "Thema huidige situatie"),
        "pand": p.locator(MAIN)
        .locator('[data-testid="stTable"]')
        .filter(has_text=ADDRESS)
        .first.inner_text(),
    }


def mijn_pand(page):
    search(page, "Zoek uw pand", BUILDING["company"])
    expect(page.get_by_role("heading", name=BUILDING["company"])).to_be_visible()
    return lambda p: {
        "pand": p.locator(MAIN).locator("h3").first.inner_text(),
    }


def netcapaciteit(page):
    segment(page, "Afname (stroom gebruiken)")
    return lambda p: {"richting": active_segments(p)}


def kansenlijsten(page):
    segment(page, "Individueel")
    segment(page, "Openbaar / werksessie")
    return lambda p: {"segmenten": active_segments(p)}


def werksessie(page):
    # Presentatiemodus hides the sidebar; switch it off to reach the picker.
    page.locator('[data-testid="stCheckbox"]').filter(
        has_text="Presentatiemodus"
    ).locator("label").click()
    wait_idle(page)
    choose_terrain(page)
    for _ in range(2):
        page.get_by_role("button", name="Volgende ▶").click()
        wait_idle(page)
    pick(page, "Bedrijf of pand", BUILDING["company"], ADDRESS)
    return lambda p: {
        "beeld": active_segments(p),
        "titel": p.locator(MAIN).locator("h3").first.inner_text(),
        "pand": selectbox_value(p, "Bedrijf of pand"),
        "presentatie": p.locator('[data-testid="stCheckbox"]')
        .filter(has_text="Presentatiemodus")
        .locator("input")
        .is_checked(),
    }


def terrain_only(page):
    return lambda p: {}


PAGES = {
    "": terrain_only,
    "beginsituatie": terrain_only,
    "huidige_situatie": huidige_situatie,
    "netcapaciteit": netcapaciteit,
    "data_laden": terrain_only,
    "kansenkaart": kansenkaart,
    "mijn_pand": mijn_pand,
    "energiebalans": terrain_only,
    "energiehub": terrain_only,
    "kansenlijsten": kansenlijsten,
    "werksessie": werksessie,
    "werkgroepen": terrain_only,
    "aannames": terrain_only,
}


@pytest.mark.parametrize("path", list(PAGES), ids=lambda p: p or "start")
def test_reload_returns_the_same_screen(page, app_url, path):
    open_app(page, app_url, path)
    if path != "werksessie":
        choose_terrain(page)
    extra = PAGES[path](page)
    before = seen(page, extra)
    assert before["terrein"]
    url = page.url
    page.reload()
    wait_idle(page)
    page.locator(MAIN).locator("h1").first.wait_for()
    if before["zijbalk"]:
        page.locator(PICKER).first.wait_for()
    # the page draws in parts: read until it shows the same (or time is up)
    deadline = time.monotonic() + 15
    while (after := seen(page, extra)) != before and time.monotonic() < deadline:
        page.wait_for_timeout(250)
    assert after == before
    assert page.url == url
    assert_no_exception(page)


def test_the_menu_keeps_the_terrain(page, app_url):
    open_app(page, app_url, "?terrein=de-wieken")
    expect(page.locator(MAIN).get_by_text(NAME).first).to_be_visible()
    page.locator('[data-testid="stSidebarNav"]').get_by_text("Kansenlijsten").click()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"/kansenlijsten\?terrein=de-wieken(&|$)"))
    expect(page.locator(MAIN).get_by_text(NAME).first).to_be_visible()


def test_a_page_opened_again_through_the_menu_looks_as_it_was_left(page, app_url):
    open_app(page, app_url, "kansenkaart")
    choose_terrain(page)
    extra = kansenkaart(page)
    before = seen(page, extra)
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_text("Kansenlijsten").click()
    wait_idle(page)
    expect(page.locator(MAIN).locator("h1").first).to_have_text("Kansenlijsten")
    nav.get_by_text("Kansenkaart").click()
    wait_idle(page)
    page.locator(MAIN).locator("h1").first.wait_for()
    assert seen(page, extra) == before
    expect(page).to_have_url(re.compile(r"weergave=naast"))
    assert_no_exception(page)


def test_back_and_forward_go_from_page_to_page_as_each_was_left(page, app_url):
    open_app(page, app_url, "kansenkaart?terrein=de-wieken")
    segment(page, "Naast elkaar")
    nav = page.locator('[data-testid="stSidebarNav"]')
    nav.get_by_text("Kansenlijsten").click()
    wait_idle(page)
    segment(page, "Collectief")
    lijsten = page.url
    nav.get_by_text("Huidige situatie").click()
    wait_idle(page)
    pick(page, "Thema", "Bouwjaar")
    huidig = page.url
    assert "thema=construction_year" in huidig and "soort=collective" in lijsten
    page.go_back()
    wait_idle(page)
    expect(page.locator(MAIN).locator("h1").first).to_have_text("Kansenlijsten")
    assert page.url == lijsten
    expect(page.locator(ACTIVE).filter(has_text="Collectief")).to_have_count(1)
    page.go_back()
    wait_idle(page)
    expect(page.locator(MAIN).locator("h1").first).to_have_text("Kansenkaart")
    assert "weergave=naast" in page.url
    expect(page.locator(ACTIVE).filter(has_text="Naast elkaar")).to_have_count(1)
    page.go_forward()
    wait_idle(page)
    expect(page.locator(MAIN).locator("h1").first).to_have_text("Kansenlijsten")
    page.go_forward()
    wait_idle(page)
    expect(page.locator(MAIN).locator("h1").first).to_have_text("Huidige situatie")
    assert page.url == huidig
    assert_no_exception(page)


def test_a_broken_link_gives_a_dutch_notice(page, app_url):
    open_app(page, app_url, "kansenkaart?terrein=bestaat-niet&weergave=%3Cb%3Ex")
    alerts = page.locator('[data-testid="stAlert"]').filter(has_text="link")
    expect(alerts).to_have_count(2)
    expect(alerts.first).to_contain_text("bestaat niet")
    expect(page.locator(MAIN).get_by_text("De Punt").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/kansenkaart\?terrein=de-punt"))
    assert_no_exception(page)
