"""Browser: filter the Kansenlijsten, download, open the files."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import expect

import kansenkaart as kk
from kansenkaart.views import selection
from tests.e2e.conftest import (
    SCREENSHOTS,
    assert_no_exception,
    open_app,
    screenshot,
    wait_idle,
)

SLOW = 60_000  # ms; the first run of a page analyses the terrain


@pytest.fixture(scope="module")
def rows():
    return kk.opportunity_list(kk.analyse(kk.load_terrain("demo:de-punt")))


def metric(page, label: str):
    return (
        page.locator('[data-testid="stMetric"]')
        .filter(has_text=label)
        .locator('[data-testid="stMetricValue"]')
    )


def choose(page, label: str, option: str) -> None:
    """Pick ``option`` in the multiselect labelled ``label``."""
    box = page.locator('[data-testid="stMultiSelect"]').filter(has_text=label)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    page.keyboard.press("Escape")
    wait_idle(page)


def download(page, label: str, target):
    with page.expect_download() as info:
        page.get_by_role("button", name=label, exact=True).click()
    info.value.save_as(target)
    return target


def test_filtered_excel_download_holds_only_the_filtered_rows(
    page, app_url, rows, tmp_path
):
    open_app(page, app_url, "kansenlijsten")
    page.get_by_role("heading", name="Kansenlijsten").wait_for()
    expect(metric(page, "Kansen")).to_have_text(str(len(rows)), timeout=SLOW)
    screenshot(page, "kansenlijsten")

    choose(page, "Maatregel", "Isolatie en kierdichting")
    choose(page, "Energielabel", "E")
    wanted = rows[rows["measure_id"].eq("isolatie")]
    analysed = kk.analyse(kk.load_terrain("demo:de-punt")).buildings
    label_e = set(analysed.loc[analysed["energy_label"].eq("E"), "building_id"])
    wanted = wanted[wanted["building_id"].isin(label_e)]
    assert 0 < len(wanted) < len(rows[rows["measure_id"].eq("isolatie")])
    expect(metric(page, "Kansen")).to_have_text(str(len(wanted)), timeout=SLOW)

    path = download(page, "Excel", tmp_path / "kansen.xlsx")
    sheet = openpyxl.load_workbook(path)["Kansen per bedrijf"]
    values = list(sheet.iter_rows(values_only=True))
    table = pd.DataFrame(values[1:], columns=values[0])
    assert table["BAG-pand-id"].tolist() == wanted["building_id"].tolist()
    assert set(table["Maatregel"]) == {"Isolatie en kierdichting"}
    summary = [r for r in openpyxl.load_workbook(path)["Samenvatting"].values]
    assert ("Selectie", "Maatregel: Isolatie en kierdichting; Energielabel: E") in (
        summary
    )
    assert_no_exception(page)
    screenshot(page, "kansenlijsten_gefilterd")


def test_public_csv_and_charts(page, app_url, tmp_path):
    open_app(page, app_url, "kansenlijsten")
    page.get_by_role("heading", name="Kansenlijsten").wait_for()
    page.locator('[data-testid="stButtonGroup"]').get_by_text(
        "Openbaar / werksessie"
    ).click()
    wait_idle(page)
    page.get_by_text("Voor een werksessie: geen energiecijfers").wait_for(timeout=SLOW)
    path = download(page, "CSV voor Excel (;)", tmp_path / "kansen.csv")
    assert path.name == "kansen.csv"
    table = pd.read_csv(path, sep=";", encoding="utf-8-sig", dtype=str)
    hidden = table["Toestemming tonen in werksessie"] != "ja"
    assert hidden.any()
    for column in (
        "Stroom opgewekt of bespaard (kWh/jaar)",
        "Lagere energiekosten (€/jaar)",
        "Regeling voor dit pand",
    ):
        assert (table.loc[hidden, column] == "niet getoond").all()

    page.get_by_role("tab", name="Grafieken").click()
    wait_idle(page)
    charts = page.locator('[data-testid="stPlotlyChart"]')
    expect(charts).to_have_count(2)
    expect(charts.first).to_contain_text("Aantal bedrijven per maatregel")
    assert_no_exception(page)
    for number, chart in enumerate(charts.all(), start=1):
        chart.screenshot(path=str(SCREENSHOTS / f"kansenlijsten_grafiek_{number}.png"))


def test_html_report_works_offline_with_both_maps(page, app_url, tmp_path):
    open_app(page, app_url, "kansenlijsten")
    page.get_by_role("heading", name="Kansenlijsten").wait_for()
    path = download(page, "HTML-rapport", tmp_path / "rapport.html")
    report = page.context.new_page()
    report.route("http*://**", lambda route: route.abort())  # no network at all
    report.goto(path.as_uri())
    report.get_by_role("heading", name="Kansenkaart – De Punt (Tynaarlo)").wait_for()
    expect(report.locator("iframe")).to_have_count(2)
    layers = {"Huidige situatie: energielabels": "thema", "Kansenkaart": "kansen"}
    for title, key in layers.items():
        frame = report.frame_locator(f'iframe[title="{title}"]')
        expect(frame.locator(".leaflet-container")).to_be_visible()
        handle = report.locator(f'iframe[title="{title}"]').element_handle()
        count = handle.content_frame().wait_for_function(
            f"() => window.kkLayers && window.kkLayers.{key} && "
            f"window.kkLayers.{key}.getLayers().length"
        )
        assert count.json_value() == 35
    rows_shown = report.locator("table").nth(1).locator("tbody tr")
    expect(rows_shown).to_have_count(len(selection.select(_punt()).opportunities))
    report.screenshot(path=str(SCREENSHOTS / "kansenlijsten_rapport.png"))
    report.get_by_role(
        "heading", name="Kansen per maatregel"
    ).scroll_into_view_if_needed()
    report.screenshot(path=str(SCREENSHOTS / "kansenlijsten_rapport_tabellen.png"))


def _punt() -> kk.Analysis:
    return kk.analyse(kk.load_terrain("demo:de-punt"))
