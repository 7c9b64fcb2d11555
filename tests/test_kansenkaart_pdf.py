"""The kansenkaart as a document: an A3 PDF per demo terrain, read back with pypdf.

The Leidraad's kansenkaart (praktijkvoorbeeld De Wieken) has the current
situation and the kansen en uitdagingen side by side, then a page per kans
and uitdaging, with the note that the figures are indicatief. These tests
open each demo terrain's PDF as a reader would and look for that.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pypdf
import pytest

import kansenkaart as kk
from kansenkaart.engine import measures, privacy
from kansenkaart.views import kansenkaart_pdf, legend, ranking
from kansenkaart.views.report_pdf import pdf_text

TODAY = dt.date(2026, 3, 2)
A3_LANDSCAPE_PT = (1190.55, 841.89)
"""ISO 216 A3, 420 × 297 mm, in PDF points (1 pt = 1/72 inch)."""


def _one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=kk.list_demo_terrains())
def document(request):
    analysis = kk.analyse(kk.load_terrain(f"demo:{request.param}"))
    opportunities = kk.opportunity_list(analysis)
    data = kansenkaart_pdf.kansenkaart_pdf(
        analysis, opportunities, opportunity="uitdagingen", today=TODAY
    )
    reader = pypdf.PdfReader(io.BytesIO(data))
    pages = [_one_line(p.extract_text()) for p in reader.pages]
    return analysis, opportunities, reader, pages


def test_the_pdf_opens_as_a3_landscape(document):
    _, _, reader, pages = document
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(
        A3_LANDSCAPE_PT, abs=0.5
    )
    assert len(pages) >= 2


def test_first_page_has_both_maps_with_their_legends_and_counts(document):
    analysis, opportunities, reader, pages = document
    first = pages[0]
    hidden = privacy.hidden_rows(analysis.buildings, privacy.OPENBAAR)
    current = legend.theme_spec(analysis.buildings, "energy_label", hidden)
    chances = ranking.ranking_spec(analysis, "uitdagingen", opportunities, hidden)
    n = len(analysis.buildings)
    for spec in (current, chances):
        assert pdf_text(spec.title) in first
        table = legend.legend_table(spec)
        assert table["aantal"].sum() == n
        for label, count in table[["klasse", "aantal"]].itertuples(index=False):
            assert f"{pdf_text(label)} {count}" in first, (spec.title, label)
    # Two map images side by side on the first page.
    assert len(reader.pages[0].images) == 2
    assert "indicatieve gegevens" in first
    assert "Bronnen:" in first and "2 maart 2026" in first


def test_a_page_per_kans_and_per_uitdaging(document):
    analysis, _, reader, pages = document
    shown = privacy.redact_buildings(analysis.buildings, privacy.OPENBAAR)
    kansen = [m for m in measures.CATALOGUE if legend.has_measure(shown, m.id).any()]
    for m in kansen:
        title = pdf_text(f"Kans: {m.name}")
        assert sum(p.startswith(title) for p in pages[1:]) == 1, m.id
    # Grid congestion (Capaciteitskaart status 2 or 3 in either direction)
    # has its page on the terrains whose recipe has it; De Punt's has room
    # (afname 0, invoeding 1) and gets none.
    b = analysis.buildings
    congested = (
        (b["grid_afname_status"] >= 2) | (b["grid_invoeding_status"] >= 2)
    ).any()
    assert congested == (analysis.terrain.id != "de-punt")
    congestion = [p for p in pages if p.startswith("Uitdaging: Netcongestie")]
    assert len(congestion) == int(congested)
    assert len(pages) == 1 + len(kansen) + sum(
        ranking.challenges(
            analysis.buildings,
            privacy.hidden_rows(analysis.buildings, privacy.OPENBAAR),
        )
        .fillna(False)
        .any()
    )
    assert all(len(page.images) == 1 for page in reader.pages[1:])


def test_public_variant_hides_figures_of_companies_without_consent():
    analysis = kk.analyse(kk.load_terrain("demo:de-punt"))
    opportunities = kk.opportunity_list(analysis)
    a = analysis.buildings
    solar = legend.has_measure(a, "zon_eigen_dak")
    refused = a[~privacy.consented(a) & solar].iloc[0]
    texts = {}
    for variant in privacy.VARIANTS:
        data = kansenkaart_pdf.kansenkaart_pdf(
            analysis, opportunities, variant=variant, today=TODAY
        )
        reader = pypdf.PdfReader(io.BytesIO(data))
        texts[variant] = _one_line(reader.pages[1].extract_text())
    assert texts[privacy.OPENBAAR].startswith("Kans: Zonnepanelen op eigen dak")
    address = pdf_text(refused["address"])
    public_row = texts[privacy.OPENBAAR].split(address, 1)[1][:160]
    internal_row = texts[privacy.INTERN].split(address, 1)[1][:160]
    assert privacy.HIDDEN_TEXT in public_row
    assert privacy.HIDDEN_TEXT not in internal_row


def test_slides_are_two_16_by_9_pngs():
    analysis = kk.analyse(kk.load_terrain("demo:de-punt"))
    data = kansenkaart_pdf.slides_zip(analysis, kk.opportunity_list(analysis))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names == ["1-huidige-situatie.png", "2-kansen.png"]
        for name in names:
            png = archive.read(name)
            assert png[:8] == b"\x89PNG\r\n\x1a\n"
            width = int.from_bytes(png[16:20], "big")
            height = int.from_bytes(png[20:24], "big")
            assert width / height == pytest.approx(16 / 9, rel=0.01)


def test_unknown_variant_is_refused_in_dutch():
    analysis = kk.analyse(kk.load_terrain("demo:de-punt"))
    with pytest.raises(ValueError, match="onbekende variant"):
        kansenkaart_pdf.kansenkaart_pdf(
            analysis, kk.opportunity_list(analysis), variant="x"
        )
