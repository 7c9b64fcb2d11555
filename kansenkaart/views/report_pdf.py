"""*Mijn kansenoverzicht*: the building overview on one A4 page (PDF).

:func:`building_report` prints :func:`kansenkaart.views.overview.building_overview`
with the building's outline among its neighbours. Content that does not fit
is left out with a pointer to the app, so the report is always one page.

The PDF uses the PDF core fonts (Helvetica, WinAnsi encoding), so it needs
no font files and works offline; :func:`pdf_text` brings any text within
that character set (ë, é, ï, €, ² stay; CO₂ becomes CO2, emoji and control
characters go). Text is never read as markup.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import numpy as np
import pandas as pd
import shapely
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from kansenkaart.core import fmt
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.limits import PDF_NAME_CHARS
from kansenkaart.core.model import Analysis
from kansenkaart.engine import privacy, whatif
from kansenkaart.views.overview import (
    DEMO_NOTE,
    INTEREST_NOTE,
    BuildingOverview,
    MeasureLine,
    building_overview,
    first_sentences,
)

MAX_MEASURES_PDF = 6
MAX_COLLECTIVE_PDF = 5
MIN_COLLECTIVE_PDF = 1
"""Collective initiatives the PDF always has room for (when there are any)."""

_ENCODING = "cp1252"
"""The PDF core fonts' WinAnsi encoding, as Python names it."""
_REPLACE = {
    "≥": "minimaal",
    "≤": "maximaal",
    "→": "->",
    "←": "<-",
    "✓": "v",
    "\t": " ",
    "\u00a0": " ",
}
PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 12.0
_GREEN = (31, 95, 63)
_LIGHT_GREEN = (221, 236, 226)
_GREY = (110, 110, 110)
_LIGHT_GREY = (225, 225, 225)
_RED = (156, 0, 6)
_LIGHT_RED = (253, 231, 233)
_PAPER = (248, 248, 248)


def pdf_text(text, max_chars: int | None = None) -> str:
    """Text the PDF core fonts can show.

    Unicode is composed (NFC); characters outside WinAnsi (cp1252) are
    replaced by a plain equivalent (≥ → "minimaal", CO₂ → CO2, ő → o) or
    dropped (emoji, control characters); runs of spaces collapse. Newlines
    stay. ``max_chars`` cuts long text with an ellipsis.
    """
    text = unicodedata.normalize("NFC", str(text))
    out = []
    for char in text:
        char = _REPLACE.get(char, char)
        if char == "\n":
            out.append(char)
            continue
        if len(char) == 1 and unicodedata.category(char)[0] == "C":
            continue
        try:
            char.encode(_ENCODING)
            out.append(char)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", char)
            out.append(
                "".join(
                    c
                    for c in plain
                    if not unicodedata.combining(c) and c.isprintable() and _fits(c)
                )
            )
    clean = "\n".join(" ".join(line.split()) for line in "".join(out).split("\n"))
    if max_chars is not None and len(clean) > max_chars:
        clean = clean[: max_chars - 1].rstrip() + "…"
    return clean


def _fits(char: str) -> bool:
    try:
        char.encode(_ENCODING)
    except UnicodeEncodeError:
        return False
    return True


_HEADING_H = 2 + 5.5 + 1.2
"""Height (mm) of a section heading."""


class _Page:
    """One A4 page written top-down; nothing is drawn below ``bottom``."""

    def __init__(self, bottom: float):
        pdf = FPDF(orientation="P", unit="mm", format="A4")
        pdf.core_fonts_encoding = _ENCODING
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.add_page()
        self.pdf = pdf
        self.bottom = bottom

    @property
    def width(self) -> float:
        return PAGE_W - 2 * MARGIN

    def font(self, size: float, style: str = "", colour=(0, 0, 0)) -> None:
        self.pdf.set_font("helvetica", style, size)
        self.pdf.set_text_color(*colour)

    def fit(self, text: str, width: float) -> str:
        """``text`` cut with an ellipsis to one line of ``width`` mm (current font).

        Text beyond :data:`~kansenkaart.core.limits.PDF_NAME_CHARS` never fits
        a line, so it is cut first; the longest part that fits is then found
        by halving, so a 100,000-character name costs milliseconds.
        """
        text = pdf_text(str(text)[: 2 * PDF_NAME_CHARS], PDF_NAME_CHARS)
        if self.pdf.get_string_width(text) <= width:
            return text
        short, long = 0, len(text)  # text[:short] + "…" fits, text[:long] not
        while long - short > 1:
            middle = (short + long) // 2
            if self.pdf.get_string_width(text[:middle] + "…") <= width:
                short = middle
            else:
                long = middle
        return text[:short].rstrip() + "…"

    def room(self, needed: float) -> bool:
        return self.pdf.get_y() + needed <= self.bottom

    def row_height(self, cells, line_h: float = 3.5, gap: float = 1.0) -> float:
        """Height (mm) of :meth:`row` with these cells."""
        heights = []
        for width, text, size, style, _ in cells:
            self.font(size, style)
            lines = self.pdf.multi_cell(
                width - 1.5, line_h, pdf_text(text), dry_run=True, output="LINES"
            )
            heights.append(len(lines) * line_h)
        return max(heights) + gap

    def row(
        self, cells, line_h: float = 3.5, gap: float = 1.0, keep: float = 0.0
    ) -> bool:
        """Table row of wrapped cells ``(width, text, size, style, colour)``.

        False, and nothing drawn, when the row and ``keep`` mm below it do not
        fit above ``bottom``.
        """
        height = self.row_height(cells, line_h, gap)
        if not self.room(height + keep):
            return False
        y, x = self.pdf.get_y(), MARGIN
        for width, text, size, style, colour in cells:
            self.font(size, style, colour)
            self.pdf.set_xy(x, y)
            self.pdf.multi_cell(width - 1.5, line_h, pdf_text(text), align="L")
            x += width
        self.pdf.set_y(y + height)
        return True

    def text(
        self,
        text: str,
        size: float = 8.0,
        style: str = "",
        colour=(0, 0, 0),
        line_h: float = 3.6,
    ) -> bool:
        """A wrapped paragraph over the full width; False when it does not fit."""
        return self.row([(self.width + 1.5, text, size, style, colour)], line_h, 0.4)

    def text_height(self, text: str, size: float = 8.0, line_h: float = 3.6) -> float:
        """Height (mm) of :meth:`text`."""
        return self.row_height([(self.width + 1.5, text, size, "", None)], line_h, 0.4)

    def heading(self, title: str) -> bool:
        if not self.room(_HEADING_H + 4):
            return False
        self.pdf.ln(2)
        self.font(11, "B", _GREEN)
        self.pdf.cell(0, 5.5, pdf_text(title), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.pdf.set_draw_color(*_GREEN)
        self.pdf.set_line_width(0.3)
        y = self.pdf.get_y()
        self.pdf.line(MARGIN, y, PAGE_W - MARGIN, y)
        self.pdf.ln(1.2)
        return True

    def more(self, shown: int, total: int, what: str) -> None:
        if shown < total:
            self.text(
                f"... en nog {total - shown} {what}: zie de pagina Mijn pand.",
                7,
                "I",
                _GREY,
            )


def nice_length(metres: float) -> float:
    """A round scale-bar length (1, 2, 5 × 10^k m) at most ``metres``."""
    power = 10 ** np.floor(np.log10(max(metres, 1)))
    return max(s * power for s in (1, 2, 5) if s * power <= max(metres, 1))


def _draw_outline(
    page: _Page,
    analysed: pd.DataFrame,
    at: int,
    box_mm: tuple[float, float, float, float],
) -> None:
    """The building (green) among its neighbours (grey), north up, with scale.

    ``box_mm`` is ``(x, y, w, h)`` on the page; the geometry is RD New (m).
    """
    pdf = page.pdf
    x, y, w, h = box_mm
    pdf.set_draw_color(*_GREY)
    pdf.set_line_width(0.2)
    pdf.set_fill_color(*_PAPER)
    pdf.rect(x, y, w, h, style="DF")
    geometry = analysed.geometry
    shape = geometry.iloc[at]
    if shape is None or shape.is_empty:
        page.font(8, "I", _GREY)
        pdf.set_xy(x, y + h / 2 - 2)
        pdf.cell(w, 4, "Geen pandcontour bekend", align="C")
        return
    minx, miny, maxx, maxy = shape.bounds
    margin = max(0.35 * max(maxx - minx, maxy - miny), 15.0)
    box = (minx - margin, miny - margin, maxx + margin, maxy + margin)
    pad = 3.0
    scale = min((w - 2 * pad) / (box[2] - box[0]), (h - 2 * pad) / (box[3] - box[1]))
    ox = x + (w - (box[2] - box[0]) * scale) / 2
    oy = y + (h - (box[3] - box[1]) * scale) / 2

    def points(ring) -> list[tuple[float, float]]:
        return [
            (ox + (px - box[0]) * scale, oy + (box[3] - py) * scale)
            for px, py in np.asarray(ring.coords)[:, :2]
        ]

    def draw(geom, fill, line, width) -> None:
        pdf.set_draw_color(*line)
        pdf.set_line_width(width)
        for part in getattr(geom, "geoms", [geom]):
            if part.geom_type != "Polygon" or part.is_empty:
                continue
            pdf.set_fill_color(*fill)
            pdf.polygon(points(part.exterior), style="DF")
            pdf.set_fill_color(*_PAPER)
            for hole in part.interiors:
                pdf.polygon(points(hole), style="DF")

    for pos in geometry.sindex.query(shapely.box(*box)):
        other = geometry.iloc[pos]
        if pos != at and other is not None:
            clipped = shapely.clip_by_rect(other, *box)
            if not clipped.is_empty:
                draw(clipped, _LIGHT_GREY, (160, 160, 160), 0.15)
    draw(shape, (76, 153, 106), _GREEN, 0.5)
    metres = nice_length((box[2] - box[0]) / 4)
    bar, bx, by = metres * scale, x + 3, y + h - 4
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.5)
    pdf.line(bx, by, bx + bar, by)
    page.font(6.5)
    pdf.set_xy(bx, by - 3.4)
    pdf.cell(bar, 3, f"{fmt.number(metres, 0)} m", align="C")
    nx, ny = x + w - 6, y + 3
    pdf.set_fill_color(0, 0, 0)
    pdf.polygon([(nx, ny), (nx - 1.6, ny + 4), (nx + 1.6, ny + 4)], style="F")
    page.font(6.5, "B")
    pdf.set_xy(nx - 2, ny + 4.2)
    pdf.cell(4, 3, "N", align="C")


def _header(page: _Page, o: BuildingOverview) -> None:
    pdf = page.pdf
    page.font(17, "B", _GREEN)
    pdf.set_xy(MARGIN, MARGIN)
    pdf.cell(120, 8, "Mijn kansenoverzicht")
    page.font(8, "", _GREY)
    for i, line in enumerate((fmt.long_date(o.date), "Kansenkaart bedrijventerreinen")):
        pdf.set_xy(PAGE_W - MARGIN - 60, MARGIN + 1 + 4 * i)
        pdf.cell(60, 4, line, align="R")
    pdf.set_y(MARGIN + 10)
    page.font(12.5, "B")
    pdf.cell(0, 6, page.fit(o.company or o.address, page.width))
    pdf.ln(6)
    page.font(9, "", _GREY)
    pdf.cell(0, 4.5, page.fit(f"{o.address} · bedrijventerrein {o.terrain_name}", 186))
    pdf.ln(5.5)
    if o.is_demo:
        y = pdf.get_y()
        pdf.set_fill_color(*_LIGHT_RED)
        pdf.set_draw_color(*_RED)
        pdf.rect(MARGIN, y, page.width, 7, style="DF")
        page.font(8.5, "B", _RED)
        pdf.set_xy(MARGIN + 2, y + 1.5)
        pdf.cell(page.width - 4, 4, page.fit(DEMO_NOTE, page.width - 4))
        pdf.set_y(y + 8)


_FACT_H = 3.9
"""Row height (mm) of the facts beside the outline."""
_OUTLINE_H = 46.0
"""Height (mm) of the outline drawing."""
PDF_FACTS = (
    ("construction_year", "Bouwjaar"),
    ("floor_area", "Oppervlakte"),
    ("roof_area", "Dakoppervlak"),
    ("energy_label", "Energielabel"),
    ("ownership", "Eigendom"),
    ("elec", "Stroomverbruik"),
    ("gas", "Gasverbruik"),
    ("pv_existing", "Zonnepanelen nu"),
    ("grid_connection", "Netaansluiting"),
    ("grid_afname", "Net afname"),
    ("grid_invoeding", "Net invoeding"),
)
"""Facts on the PDF: key of the overview's fact -> shorter label on paper."""


def _facts_block(page: _Page, o: BuildingOverview, x: float, w: float) -> None:
    pdf = page.pdf
    by_key = {f.key: f for f in o.facts}
    page.font(10, "B", _GREEN)
    pdf.set_x(x)
    pdf.cell(w, 5, "Wat we weten van uw pand", new_x=XPos.LEFT, new_y=YPos.NEXT)
    label_w, source_w = 26.0, 32.0
    value_w = w - label_w - source_w
    for key, short in PDF_FACTS:
        fact = by_key[key]
        pdf.set_x(x)
        page.font(7.8, "B")
        pdf.cell(label_w, _FACT_H, short)
        page.font(7.8)
        pdf.cell(value_w, _FACT_H, page.fit(fact.value, value_w - 1))
        page.font(6.8, "I", _GREY)
        pdf.cell(source_w, _FACT_H, page.fit(fact.source, source_w), align="R")
        pdf.ln(_FACT_H)


def _figures_block(page: _Page, o: BuildingOverview) -> None:
    pdf = page.pdf
    per_row, gap, box_h = 4, 1.5, 12.0
    box_w = (page.width - gap * (per_row - 1)) / per_row
    top = pdf.get_y()
    for i, figure in enumerate(o.solar):
        x = MARGIN + (i % per_row) * (box_w + gap)
        y = top + (i // per_row) * (box_h + gap)
        pdf.set_fill_color(*_LIGHT_GREEN)
        pdf.set_draw_color(*_LIGHT_GREEN)
        pdf.rect(x, y, box_w, box_h, style="DF")
        for size, style, colour, dy, text in (
            (7, "", _GREY, 1.2, figure.label),
            (10.5, "B", (0, 0, 0), 4.4, figure.text),
            (6, "", _GREY, 8.4, figure.note),
        ):
            page.font(size, style, colour)
            pdf.set_xy(x + 2, y + dy)
            pdf.cell(box_w - 4, 3.5, page.fit(text, box_w - 4))
    rows = -(-len(o.solar) // per_row)
    pdf.set_y(top + rows * (box_h + gap))
    if o.solar_notes:
        page.text(" ".join(o.solar_notes))


_NAME_W = 46.0


def _obligations_block(page: _Page, o: BuildingOverview) -> None:
    for item in o.obligations:
        if not page.row(
            [
                (_NAME_W, f"{item.name}: {item.status}", 8, "B", (0, 0, 0)),
                (page.width - _NAME_W + 1.5, item.meaning, 8, "", (0, 0, 0)),
            ],
            line_h=3.6,
        ):
            return


def _impact_line(line: MeasureLine) -> str:
    """The yearly figures, the scheme and the basis of a measure in one line."""
    yearly = f"Per jaar: {' · '.join(line.per_year)}" if line.per_year else ""
    return " · ".join(p for p in (yearly, line.scheme_note) if p)


def _measures_block(page: _Page, o: BuildingOverview) -> None:
    widths = (_NAME_W, 24.0, 20.0)
    rest = page.width - sum(widths) + 1.5
    titles = ("Maatregel", "Terugverdientijd", "Investering", "Waarom voor u")
    page.row(
        [(w, t, 7, "B", _GREY) for w, t in zip((*widths, rest), titles, strict=True)]
    )
    shown, black = 0, (0, 0, 0)
    more_h = page.text_height("...", 7)
    for n, line in enumerate(o.measures[:MAX_MEASURES_PDF], start=1):
        name = line.name + (" (via verhuurder)" if line.via_verhuurder else "")
        # The figures go under the reason, from the payback column on, so the
        # measure keeps the height of its reason plus one short line.
        impact = _impact_line(line)
        below = [
            (widths[0], "", 7, "", black),
            (page.width - widths[0] + 1.5, impact, 7, "", _GREY),
        ]
        below_h = page.row_height(below, 3.2) if impact else 0.0
        if not page.row(
            [
                (widths[0], name, 7.5, "B", black),
                (widths[1], line.payback, 7.5, "", black),
                (widths[2], line.invest or "-", 7.5, "", black),
                (rest, first_sentences(line.reason), 7.5, "", black),
            ],
            gap=0.3 if impact else 1.0,
            keep=below_h + (more_h if n < len(o.measures) else 0.0),
        ):
            break
        if impact:
            page.row(below, 3.2)
        shown += 1
    page.more(shown, len(o.measures), "maatregel(en)")
    if not o.measures:
        page.text("Geen individuele maatregelen gevonden voor dit pand.")


def _collective_cells(page: _Page, line: MeasureLine) -> list:
    detail = line.interest or first_sentences(line.reason)
    return [
        (_NAME_W, line.name, 8, "B", (0, 0, 0)),
        (page.width - _NAME_W + 1.5, detail, 8, "", (0, 0, 0)),
    ]


def _collective_reserve(page: _Page, o: BuildingOverview) -> float:
    """Height (mm) kept free for the first collective initiatives."""
    rows = o.collective[:MIN_COLLECTIVE_PDF]
    return (
        _HEADING_H
        + sum(page.row_height(_collective_cells(page, line), 3.6) for line in rows)
        + 2 * page.text_height(INTEREST_NOTE, 7)
    )


def _collective_block(page: _Page, o: BuildingOverview, a: Assumptions) -> None:
    shown, more_h = 0, page.text_height("...", 7)
    for n, line in enumerate(o.collective[:MAX_COLLECTIVE_PDF], start=1):
        keep = more_h if n < len(o.collective) else 0.0
        if not page.row(_collective_cells(page, line), line_h=3.6, keep=keep):
            break
        shown += 1
    page.more(shown, len(o.collective), "initiatief(en)")
    if o.collective:
        page.text(INTEREST_NOTE.format(limit=privacy.min_group(a)), 7, "I", _GREY)
    else:
        page.text("Geen collectieve initiatieven gevonden voor dit pand.")


def _footer(page: _Page, o: BuildingOverview, top: float) -> None:
    pdf = page.pdf
    pdf.set_draw_color(*_GREY)
    pdf.set_line_width(0.2)
    pdf.line(MARGIN, top, PAGE_W - MARGIN, top)
    pdf.set_y(top + 1)
    page.bottom = PAGE_H - 5
    for i, line in enumerate(o.sources):
        demo = o.is_demo and i == 0
        page.text(line, 6.8, "B" if demo else "", _RED if demo else _GREY, 3.1)


def render_pdf(
    o: BuildingOverview, analysed: pd.DataFrame, at: int, a: Assumptions
) -> bytes:
    """The overview on one A4 page (see :func:`building_report`)."""
    footer_h = 3.1 * (len(o.sources) + 2) + 3
    footer_top = PAGE_H - 5 - footer_h
    page = _Page(bottom=footer_top - 2)
    pdf = page.pdf
    name = pdf_text(str(o.company or o.address)[: 2 * PDF_NAME_CHARS], PDF_NAME_CHARS)
    pdf.set_title(f"Mijn kansenoverzicht - {name}")
    pdf.set_author("Kansenkaart bedrijventerreinen")
    pdf.set_creation_date(
        dt.datetime(o.date.year, o.date.month, o.date.day, tzinfo=dt.UTC)
    )
    _header(page, o)
    top = pdf.get_y() + 2
    _draw_outline(page, analysed, at, (MARGIN, top, 64, _OUTLINE_H))
    pdf.set_y(top)
    _facts_block(page, o, MARGIN + 68, page.width - 68)
    pdf.set_y(max(pdf.get_y(), top + _OUTLINE_H) + 1)
    if page.heading("Zon op uw dak"):
        _figures_block(page, o)
    # Fill top-down, but keep room for the first collective initiatives and
    # for every next step, whatever the measures take.
    steps = [f"{i}. {step}" for i, step in enumerate(o.next_steps, start=1)]
    steps_top = footer_top - 2 - _HEADING_H - sum(map(page.text_height, steps))
    page.bottom = steps_top - _collective_reserve(page, o)
    if page.heading("Verplichtingen"):
        _obligations_block(page, o)
    if page.heading("Maatregelen voor uw pand, kortste terugverdientijd eerst"):
        _measures_block(page, o)
    page.bottom = steps_top
    if page.heading("Samen met andere bedrijven op het terrein"):
        _collective_block(page, o, a)
    page.bottom = footer_top - 2
    if page.heading("Volgende stappen"):
        for step in steps:
            if not page.text(step):
                break
    _footer(page, o, footer_top)
    return bytes(pdf.output())


def building_report(
    analysis: Analysis,
    building_id: str,
    *,
    opportunities: pd.DataFrame | None = None,
    today: dt.date | None = None,
) -> bytes:
    """*Mijn kansenoverzicht*: a one-page A4 PDF for one building.

    The building's outline drawn among its neighbours (north up, with a
    scale bar), the key facts with their sources, the solar figures, the
    obligations, the measures ranked by payback, the collective initiatives,
    next steps, the date and the data sources; demo data is marked as
    fictitious. Content that does not fit is left out with a pointer to the
    app, so the report is always one page.

    Parameters
    ----------
    analysis : Analysis
        The whole analysed terrain (:func:`kansenkaart.analyse`, or
        :func:`kansenkaart.engine.whatif.apply` to print the entrepreneur's what-if);
        not modified. Its terrain gives the name, municipality and demo notice.
    building_id : str
    opportunities : DataFrame, optional
        ``opportunity_list(analysis)`` when already computed.
    today : date, optional
        Date printed; default today.

    Returns
    -------
    bytes
        The PDF file.

    Raises
    ------
    KeyError
        When the building is not in ``analysed``.
    """
    overview = building_overview(analysis, building_id, opportunities, today)
    analysed = analysis.buildings
    return render_pdf(
        overview,
        analysed,
        whatif.position(analysed, building_id),
        analysis.assumptions,
    )
