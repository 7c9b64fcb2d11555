"""AppTest of Mijn pand: search, detail, what-if in the session, tenant text."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import kansenkaart as kk

ROOT = Path(__file__).resolve().parents[1]
APP = str(ROOT / "app.py")
TERRAIN = "demo:de-punt"
QUERY = f"mp_query|{TERRAIN}"
JANSEN = "0999100000000003"  # Vennweg 7, Logistiek Jansen: huurder, 28.5 kWp


@pytest.fixture(scope="module")
def demo():
    return kk.load_terrain(TERRAIN)


def open_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["terrain_key"] = TERRAIN
    at.run()
    at.switch_page("pages/3_mijn_pand.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def search(at: AppTest, query: str) -> AppTest:
    at.text_input(key=QUERY).input(query).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def widget(at: AppTest, kind: str, field: str, building: str = JANSEN):
    return getattr(at, kind)(key=f"mp|{TERRAIN}|{building}|{field}|0")


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def texts(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown) + " ".join(
        c.value for c in at.caption
    )


def test_page_opens_in_dutch_without_a_building():
    at = open_page()
    assert at.title[0].value == "Mijn pand"
    assert any("Nog geen pand gekozen" in i.value for i in at.info)
    assert at.text_input(key=QUERY).label == "Zoek uw pand"


def test_address_with_a_typo_shows_the_building():
    at = search(open_page(), "Venweg 7")
    assert at.subheader[-1].value == "Logistiek Jansen"
    assert at.session_state["mp_selected"] == {TERRAIN: JANSEN}
    figures = metrics(at)
    # Kleinverbruik: 55,2 kW connection − 28,5 kWp already there leaves room
    # for floor(26,7 kW / 435 Wp) = 61 panels = 26,5 kWp (the roof takes 91).
    assert figures["Vermogen (kWp)"] == "26,5"
    assert figures["Extra zonnepanelen"] == "61"
    assert "Verplichtingen" in texts(at)
    assert {b.label for b in at.get("download_button")} == {
        "Download mijn gegevens (Excel)",
        "Download mijn kansenoverzicht (PDF)",
    }


def test_postcode_and_number_find_the_building():
    at = search(open_page(), "9495be 7")
    assert at.subheader[-1].value == "Logistiek Jansen"


def test_unknown_address_gets_the_nearest_matches_in_dutch():
    at = search(open_page(), "Nietbestaandeweg 99")
    warning = next(w.value for w in at.warning if "Geen pand gevonden" in w.value)
    assert "Bedoelt u" in warning
    pick = at.selectbox(key=f"mp_pick|{TERRAIN}|Nietbestaandeweg 99|None")
    assert len(pick.options) == 3 and pick.value is None
    assert any("Nog geen pand gekozen" in i.value for i in at.info)


def test_several_matches_are_a_choice():
    at = search(open_page(), "Vennweg")
    assert any("Kies het uwe" in i.value for i in at.info)
    pick = at.selectbox(key=f"mp_pick|{TERRAIN}|Vennweg|None")
    pick.select(JANSEN).run()
    assert at.subheader[-1].value == "Logistiek Jansen"


def test_tenant_sees_owner_measures_and_a_message_for_the_landlord():
    at = search(open_page(), "Vennweg 7")
    assert "U huurt: dit loopt via uw verhuurder" in texts(at)
    message = at.code[0].value
    assert message.startswith("Beste verhuurder,")
    assert "Vennweg 7, De Punt" in message and "Logistiek Jansen" in message


def test_corrections_update_every_number_and_stay_in_the_session():
    at = search(open_page(), "Vennweg 7")
    before = metrics(at)["Besparing per jaar (€)"]
    widget(at, "text_input", "elec_kwh_yr").input("80.000").run()
    assert not at.exception
    assert at.session_state["mp_corrections"][(TERRAIN, JANSEN)] == {
        "elec_kwh_yr": 80_000.0
    }
    assert metrics(at)["Besparing per jaar (€)"] != before
    assert any("U rekent met uw eigen gegevens" in i.value for i in at.info)
    obligations = texts(at)
    assert "Energiebesparingsplicht: ja." in obligations  # 80 000 ≥ 50 000 kWh
    # 100 panels × 435 Wp = 43.5 kWp; at most 91 fit, so 50 is a real choice
    widget(at, "slider", "pv_panels").set_value(50).run()
    assert metrics(at)["Vermogen (kWp)"] == "21,8"  # 50 × 435 Wp = 21.75 kWp
    assert metrics(at)["Opwek per jaar (kWh)"] == "19.031"  # 21.75 × 875


def test_owner_instead_of_tenant_removes_the_landlord_message():
    at = search(open_page(), "Vennweg 7")
    widget(at, "selectbox", "ownership").select("eigenaar-gebruiker").run()
    assert not at.exception
    assert not at.code
    assert "U huurt" not in texts(at)


def test_reset_brings_back_the_data():
    at = search(open_page(), "Vennweg 7")
    widget(at, "text_input", "elec_kwh_yr").input("80.000").run()
    at.button[0].click().run()
    assert at.session_state["mp_corrections"][(TERRAIN, JANSEN)] == {}
    assert metrics(at)["Vermogen (kWp)"] == "26,5"  # capped by the connection
    assert not any("U rekent met uw eigen gegevens" in i.value for i in at.info)


def test_corrections_are_kept_per_building():
    at = search(open_page(), "Vennweg 7")
    widget(at, "text_input", "elec_kwh_yr").input("80.000").run()
    search(at, "Vennweg 9")
    assert at.subheader[-1].value == "Kramer Koeriers B.V."
    assert not any("U rekent met uw eigen gegevens" in i.value for i in at.info)
    search(at, "Vennweg 7")
    assert any("U rekent met uw eigen gegevens" in i.value for i in at.info)


def test_a_label_for_a_building_without_one():
    at = search(open_page(), "Vennweg 9")  # Kramer Koeriers: no label registered
    kramer = at.session_state["mp_selected"][TERRAIN]
    label = widget(at, "selectbox", "energy_label", kramer)
    assert label.value is None
    label.select("B").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["mp_corrections"][(TERRAIN, kramer)] == {
        "energy_label": "B"
    }
