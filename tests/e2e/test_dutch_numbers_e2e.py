"""Browser: Dutch numbers typed on Aannames and Mijn pand are used as meant.

Issue 18: ``0,30`` for the electricity price became 30 €/kWh and *Mijn pand*
then showed an English ``StreamlitValueAboveMaxError``; ``75.000`` became 75.
Here a person types ``0,30`` on *Aannames*, then ``75.000`` and ``1.234,5``
on *Mijn pand* (same browser session), and the derived figures must be those
the library computes with 0,30 €/kWh, 75.000 kWh and 1.234,5 m³. An
out-of-range price gives a Dutch message, no traceback.
"""

from __future__ import annotations

from playwright.sync_api import expect

import kansenkaart as kk
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine import whatif
from kansenkaart.views import overview
from tests.e2e.conftest import assert_no_exception, open_app, screenshot, wait_idle

JANSEN = "0999100000000003"  # Vennweg 7, De Punt: kleinverbruik, tenant
PRICE = "Stroomprijs kleinverbruik (incl. energiebelasting, excl. btw) (€/kWh)"
SAVINGS = "Besparing per jaar (€)"


def solar_figures(price: float, corrections: whatif.Corrections) -> dict[str, str]:
    """The *Mijn pand* tiles of Jansen, computed by the library."""
    assumptions = DEFAULT.replace(elec_price_small_eur_per_kwh=price)
    terrain = kk.load_terrain("demo:de-punt")
    analysed = whatif.apply(terrain, JANSEN, corrections, assumptions)
    summary = overview.building_overview(
        analysed, JANSEN, kk.opportunity_list(analysed)
    )
    return {f.heading: f.value for f in summary.solar}


def type_in(page, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(text)
    box.press("Enter")
    wait_idle(page)


def tile(page, label: str):
    return page.locator('[data-testid="stMetric"]').filter(has_text=label)


def test_dutch_numbers_are_used_and_a_slip_gets_a_dutch_message(page, app_url):
    own = whatif.Corrections(elec_kwh_yr=75_000.0, gas_m3_yr=1234.5)
    expected = solar_figures(0.30, own)
    # The figure must tell the readings apart: 0,25 €/kWh (the set), 30 €/kWh
    # (the slip of the issue) and 75 kWh give other savings.
    assert expected[SAVINGS] == "3.359"
    assert solar_figures(0.25, own)[SAVINGS] != expected[SAVINGS]
    assert solar_figures(30.0, own)[SAVINGS] != expected[SAVINGS]
    fewer = whatif.Corrections(elec_kwh_yr=75.0, gas_m3_yr=1234.5)
    assert solar_figures(0.30, fewer)[SAVINGS] != expected[SAVINGS]

    # Jansen chosen by the link, then Aannames and back through the menu: one
    # browser session, so the changed assumption stays.
    open_app(page, app_url, f"mijn_pand?pand={JANSEN}")
    expect(page.get_by_role("heading", name="Logistiek Jansen")).to_be_visible()
    menu = page.locator('[data-testid="stSidebarNav"]')
    menu.get_by_role("link", name="Aannames").click()
    wait_idle(page)
    price = page.get_by_label(PRICE, exact=True)
    expect(price).to_have_value("0,25")
    price.fill("0,30")
    page.get_by_role("button", name="Toepassen").click()
    wait_idle(page)
    expect(page.get_by_text("Aangepast: Stroomprijs kleinverbruik")).to_be_visible()
    expect(page.get_by_label(PRICE, exact=True)).to_have_value("0,30")
    assert_no_exception(page)

    menu.get_by_role("link", name="Mijn pand").click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Logistiek Jansen")).to_be_visible()
    expect(page.get_by_label("Uw stroomprijs (€ per kWh)", exact=True)).to_have_value(
        "0,30"
    )
    type_in(page, "Stroomverbruik (kWh per jaar)", "75.000")
    type_in(page, "Gasverbruik (m³ per jaar)", "1.234,5")
    expect(tile(page, SAVINGS)).to_contain_text(expected[SAVINGS])
    for heading, value in expected.items():
        expect(tile(page, heading)).to_contain_text(value)
    expect(page.get_by_text("75 MWh per jaar").first).to_be_visible()
    expect(page.get_by_text("1.234 m³ per jaar").first).to_be_visible()
    assert_no_exception(page)

    type_in(page, "Uw stroomprijs (€ per kWh)", "30")
    message = page.get_by_text("Uw stroomprijs: '30' (gelezen als 30) ligt buiten")
    expect(message).to_be_visible()
    expect(message).to_contain_text("Typ een getal tussen 0 en 5 € per kWh")
    expect(tile(page, SAVINGS)).to_contain_text(expected[SAVINGS])  # 0,30 is kept
    assert_no_exception(page)
    message.scroll_into_view_if_needed()
    screenshot(page, "nederlandse_getallen")
