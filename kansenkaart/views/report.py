"""*Mijn pand*: one building in plain Dutch, on the page and as a one-page PDF.

The content is :func:`~kansenkaart.views.overview.building_overview` (module
:mod:`kansenkaart.views.overview`), its facts come from
:func:`~kansenkaart.views.facts.building_facts` like the map's detail panel,
and :func:`~kansenkaart.views.report_pdf.building_report` prints it on one A4
page (module :mod:`kansenkaart.views.report_pdf`). This module gathers the
names the app and the tests use.
"""

from __future__ import annotations

from kansenkaart.core.texts import NO, OWN_INPUT, PROBABLY_YES, YES
from kansenkaart.views.facts import Fact
from kansenkaart.views.overview import (
    DEMO_NOTE,
    INTEREST_NOTE,
    BuildingOverview,
    Figure,
    MeasureLine,
    Obligation,
    building_overview,
    interest_text,
    landlord_message,
)
from kansenkaart.views.report_pdf import (
    MAX_COLLECTIVE_PDF,
    MAX_MEASURES_PDF,
    MIN_COLLECTIVE_PDF,
    PDF_FACTS,
    building_report,
    pdf_text,
    render_pdf,
)

__all__ = [
    "DEMO_NOTE",
    "INTEREST_NOTE",
    "MAX_COLLECTIVE_PDF",
    "MAX_MEASURES_PDF",
    "MIN_COLLECTIVE_PDF",
    "NO",
    "OWN_INPUT",
    "PDF_FACTS",
    "PROBABLY_YES",
    "YES",
    "BuildingOverview",
    "Fact",
    "Figure",
    "MeasureLine",
    "Obligation",
    "building_overview",
    "building_report",
    "interest_text",
    "landlord_message",
    "pdf_text",
    "render_pdf",
]
