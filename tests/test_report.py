"""Mijn pand: the building overview and its one-page PDF.

Hand-made terrain: a hall with a 1000 m² flat roof, 550 m² usable / 1.9436 m²
per panel = 282 panels × 435 Wp = 122.67 kWp × 875 = 107 336 kWh/yr.
"""

import datetime as dt
import io

import pypdf
import pytest

import kansenkaart as kk
from kansenkaart.core import texts
from kansenkaart.core.assumptions import DEFAULT
from kansenkaart.engine import whatif
from kansenkaart.engine.opportunities import analyse
from kansenkaart.views import overview, report_pdf
from tests.engine_fixtures import terrain

HALL, BARE = "0000000000000001", "0000000000000002"
TODAY = dt.date(2026, 3, 5)
COMPANY = "Café Één & Zonen <b>ë ï</b> 😀\x07"


def hall(**extra) -> dict:
    return {
        "footprint_m2": 1000.0,
        "floor_area_m2": 900.0,
        "roof_type": "flat",
        "building_use": "industriefunctie",
        "grid_connection": "kleinverbruik",
        "ownership": "eigenaar-gebruiker",
        "address": "Industrieweg 3, Roden",
        "company": COMPANY,
        **extra,
    }


@pytest.fixture(scope="module")
def park():
    # the second building has no use, area or consumption: everything unknown
    return terrain([hall(), {"address": "Esweg 8, Peize"}])


@pytest.fixture(scope="module")
def analysed(park):
    return analyse(park)


def pdf_text(data: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())  # lines wrap anywhere


def test_report_is_a_one_page_a4_pdf_with_address_and_kwp(park, analysed):
    data = report_pdf.building_report(analysed, HALL, today=TODAY)
    assert data.startswith(b"%PDF")
    reader, text = pdf_text(data)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    assert "Industrieweg 3, Roden" in text
    # The roof takes 282 panels, a kleinverbruik connection 55,2 kW:
    # floor(55.200 / 435) = 126 panels = 54,81 kWp
    assert "54,8 kWp" in text
    assert "Extra zonnepanelen 126" in text
    assert "Opwek per jaar 47.959 kWh" in text  # 54.81 kWp × 875
    assert "5 maart 2026" in text
    assert "Mijn kansenoverzicht" in text


def test_dutch_characters_survive_and_markup_is_plain_text(park, analysed):
    _, text = pdf_text(report_pdf.building_report(analysed, HALL, today=TODAY))
    assert "Café Één & Zonen <b>ë ï</b>" in text  # not read as markup
    assert "😀" not in text and "\x07" not in text
    assert "€" in text and "m²" in text and "m³" in text


def test_pdf_uses_core_fonts_only_so_it_works_offline(park, analysed):
    reader, _ = pdf_text(report_pdf.building_report(analysed, HALL, today=TODAY))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for font in fonts.values():
        font = font.get_object()
        assert font["/BaseFont"].startswith("/Helvetica")
        assert font["/Encoding"] == "/WinAnsiEncoding"
        assert "/FontDescriptor" not in font  # nothing embedded or fetched


def test_demo_data_is_called_fictitious_and_real_data_is_not():
    demo = kk.load_terrain("demo:de-punt")
    a = kk.analyse(demo)
    _, text = pdf_text(
        report_pdf.building_report(a, a.buildings["building_id"].iloc[0])
    )
    assert "Demodata – fictief" in text
    park = terrain([hall()])
    _, text = pdf_text(report_pdf.building_report(analyse(park), HALL))
    assert "Demodata" not in text and "fictief" not in text


def test_every_demo_building_fits_on_one_page():
    t = kk.load_terrain("demo:de-punt")
    a = kk.analyse(t)
    olist = kk.opportunity_list(a)
    for building_id in a.buildings["building_id"]:
        data = report_pdf.building_report(a, building_id, opportunities=olist)
        assert len(pypdf.PdfReader(io.BytesIO(data)).pages) == 1, building_id


def test_a_very_long_name_still_fits_on_one_page(park):
    long = terrain([hall(company="Zeer Lange Bedrijfsnaam " * 20)])
    data = report_pdf.building_report(analyse(long), HALL)
    reader, text = pdf_text(data)
    assert len(reader.pages) == 1
    assert "…" in text


def test_unknown_obligations_say_onbekend_never_nee(park, analysed):
    o = overview.building_overview(analysed, BARE, today=TODAY)
    status = {item.name: item.status for item in o.obligations}
    assert status["Energiebesparingsplicht"] == "onbekend"
    assert status["Informatieplicht"] == "onbekend"
    assert status["Label C voor kantoren"] == "onbekend"
    _, text = pdf_text(report_pdf.building_report(analysed, BARE, today=TODAY))
    assert "Energiebesparingsplicht: onbekend" in text


def test_estimated_obligation_is_probable_and_known_one_is_yes(park, analysed):
    # 900 m² hall × 47.3 kWh/m² = 42 570 kWh and × 7.3 m³/m² = 6 570 m³: under
    o = overview.building_overview(analysed, HALL)
    assert o.obligations[0].status == "nee"
    heavy = whatif.apply(park, HALL, whatif.Corrections(elec_kwh_yr=80_000), DEFAULT)
    o = overview.building_overview(heavy, HALL)
    assert o.obligations[0].status == "ja"
    big = terrain([hall(floor_area_m2=2_000.0)])  # 94 600 kWh estimated
    o = overview.building_overview(analyse(big), HALL)
    assert o.obligations[0].status == "waarschijnlijk ja"
    assert "geschat verbruik" in o.obligations[0].meaning


def test_measures_are_ranked_by_payback_unknown_last(park, analysed):
    o = overview.building_overview(analysed, HALL)
    years = [line.payback for line in o.measures]
    known = [float(y.split()[1].replace(",", ".")) for y in years if y != "n.v.t."]
    assert known == sorted(known)
    assert years[len(known) :] == ["n.v.t."] * (len(years) - len(known))
    assert all(line.reason for line in o.measures)


def test_facts_name_their_source_and_corrections_are_own_input(park):
    out = whatif.apply(park, HALL, whatif.Corrections(elec_kwh_yr=60_000), DEFAULT)
    o = overview.building_overview(out, HALL)
    sources = {f.label: f.source for f in o.facts}
    assert sources["Bouwjaar"] == "BAG"
    assert sources["Energielabel"] == "EP-online"
    assert sources["Stroomverbruik"] == texts.OWN_INPUT
    assert sources["Gasverbruik"] == "geschat"
    _, text = pdf_text(report_pdf.building_report(out, HALL))
    # 60.000 kWh: MWh, whole from 10 MWh (fmt.energy)
    assert "eigen opgave" in text and "60 MWh per jaar" in text


def test_tenant_gets_owner_measures_and_a_message_for_the_landlord(park):
    out = whatif.apply(park, HALL, whatif.Corrections(ownership="huurder"), DEFAULT)
    o = overview.building_overview(out, HALL)
    assert o.tenant
    assert "Zonnepanelen op eigen dak" in o.owner_measures
    assert "LED-verlichting" not in o.owner_measures  # the user's own business
    assert o.landlord_message.startswith("Beste verhuurder,")
    assert "Industrieweg 3, Roden" in o.landlord_message
    assert "126 panelen" in o.landlord_message  # capped by the connection
    owner = overview.building_overview(
        whatif.apply(park, HALL, whatif.Corrections(), DEFAULT), HALL
    )
    assert not owner.tenant and owner.landlord_message == ""


def _interest_park(yes: int):
    rows = [hall(company=f"Bedrijf {i}") for i in range(12)]
    survey = [
        {
            "building_id": f"{i + 1:016d}",
            "interest_collectieve_inkoop_zon": "ja" if i < yes else "nee",
        }
        for i in range(12)
    ]
    return terrain(rows, survey=survey)


def test_interest_is_counted_from_ten_companies_on():
    park = _interest_park(yes=10)
    o = overview.building_overview(analyse(park), HALL)
    inkoop = next(c for c in o.collective if c.measure_id == "collectieve_inkoop_zon")
    assert inkoop.interest == "10 bedrijven hebben in de enquête interesse getoond."


def test_small_interest_counts_are_not_shown():
    park = _interest_park(yes=3)
    o = overview.building_overview(analyse(park), HALL)
    inkoop = next(c for c in o.collective if c.measure_id == "collectieve_inkoop_zon")
    assert inkoop.interest.startswith("Minder dan 10 bedrijven")
    assert "3" not in inkoop.interest
    _, text = pdf_text(report_pdf.building_report(analyse(park), HALL))
    assert "Bedrijf 0" in text and "Bedrijf 2" not in text  # no other names


def test_pdf_text_keeps_winansi_and_replaces_the_rest():
    assert report_pdf.pdf_text("ë é ï € ² ³ – “x”") == "ë é ï € ² ³ – “x”"
    assert report_pdf.pdf_text("CO₂ ≥ 5 😀\x07 ő") == "CO2 minimaal 5 o"
    assert report_pdf.pdf_text("a\tb\n c") == "a b\nc"
    assert report_pdf.pdf_text("abcdef", max_chars=4) == "abc…"


def test_unknown_building_is_a_key_error(park, analysed):
    with pytest.raises(KeyError):
        report_pdf.building_report(analysed, "9999")
