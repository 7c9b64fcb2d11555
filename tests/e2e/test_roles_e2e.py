"""Browser: a company's personal link opens its own building only, survives a
reload, and stops after revocation with a Dutch message."""

from __future__ import annotations

import os

from playwright.sync_api import expect

from kansenkaart.records import access, store
from tests.e2e.conftest import assert_no_exception, open_app, screenshot, wait_idle

TERRAIN = "demo:de-punt"
JANSEN = "0999100000000003"  # Vennweg 7, Logistiek Jansen
OTHER = "Bloemen Distributiecentrum Noord"  # Vennweg 1, no consent


def test_personal_link_own_building_reload_and_revocation(page, app_url):
    db = store.Store(os.environ["DATABASE_URL"])  # the server's database
    token, link = access.create_link(db, TERRAIN, JANSEN, user="e2e", company="Jansen")
    try:
        open_app(page, app_url, f"mijn_pand?sleutel={token}&pand=0999100000000000")
        jansen = page.get_by_role("heading", name="Logistiek Jansen")
        expect(jansen).to_be_visible()
        expect(page.get_by_label("Zoek uw pand", exact=True)).to_have_count(0)
        expect(page.get_by_text("Toestemming om uw cijfers te delen")).to_be_visible()
        body = page.inner_text("body")
        assert OTHER not in body and "Vennweg 1," not in body
        nav = page.locator('[data-testid="stSidebarNav"]')
        expect(nav.get_by_text("Kansenkaart", exact=True)).to_have_count(0)
        assert_no_exception(page)
        screenshot(page, "roles_link")

        page.reload()
        wait_idle(page)
        expect(jansen).to_be_visible()
        assert f"sleutel={token}" in page.url

        open_app(page, app_url, f"kansenkaart?sleutel={token}")
        expect(page.get_by_text("niet beschikbaar voor uw rol")).to_be_visible()

        access.revoke_link(db, link.id, user="e2e")
        open_app(page, app_url, f"mijn_pand?sleutel={token}")
        expect(
            page.get_by_text("Deze persoonlijke link is ingetrokken")
        ).to_be_visible()
        expect(page.get_by_role("heading", name="Logistiek Jansen")).to_have_count(0)
        assert_no_exception(page)
    finally:
        db.close()
