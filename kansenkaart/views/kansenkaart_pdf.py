"""The kansenkaart as a document: an A3 PDF and PNGs for slides.

As the Leidraad's pilots made it by hand (praktijkvoorbeeld *Kansenkaart De
Wieken*): first two maps side by side — the current situation and the
kansen en uitdagingen — each with its legend (counts per class), scale bar,
north arrow, date, sources and the note that the figures are partly based on
indicatieve gegevens; then one page per kans (measure) and per uitdaging with
its figures and the buildings or groups involved.

The maps are drawn here with matplotlib (Agg, no pyplot, no basemap: the
document works offline) from the same :class:`~kansenkaart.views.legend.LayerSpec`
as the Leaflet maps, so paper and screen agree. Legends are PDF text, so a
reader can search and copy them. The publishable variant
(:data:`kansenkaart.engine.privacy.OPENBAAR`, the default) hides the figures of
companies without consent exactly as the exports do.
"""

from __future__ import annotations

import datetime as dt
import io
import textwrap
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely
from fpdf import FPDF
from PIL import Image

from kansenkaart.core import fmt, texts
from kansenkaart.core.model import Analysis
from kansenkaart.engine import groups as engine_groups
from kansenkaart.engine import measures, privacy
from kansenkaart.engine.opportunities import measure_totals
from kansenkaart.views import colors, legend, ranking
from kansenkaart.views.legend import LayerSpec
from kansenkaart.views.report_pdf import nice_length, pdf_text

if TYPE_CHECKING:  # matplotlib is imported when a document is made, not with the app
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure

PAGE_W, PAGE_H, MARGIN = 420.0, 297.0, 12.0
"""A3 landscape (mm)."""
INDICATIVE_NOTE = (
    "Let op: berekeningen met betrekking tot energiegebruik, -opwek en "
    "-besparing zijn (gedeeltelijk) gebaseerd op indicatieve gegevens. "
    "Werkelijke cijfers kunnen afwijken."
)
"""The Leidraad's note on its kansenkaart (praktijkvoorbeeld De Wieken)."""
SOURCES = (
    "Bronnen: BAG (pandcontouren, bouwjaar, oppervlakte), EP-online "
    "(energielabels), enquête onder ondernemers, netbeheerder "
    "(Capaciteitskaart, aansluitingen), gemeente (adressen, koppelbronnen)."
)
OPPORTUNITY_CHOICES = {"kansen": "Aantal kansen", **ranking.ranking_names()}
"""What the opportunity map shows: all measures counted, or a ranking."""
MAX_ROWS = 38
"""Buildings listed on a kans or uitdaging page; more are counted."""
_GREEN = (31, 95, 63)
_GREY = (110, 110, 110)
_RED = (156, 0, 6)
_MAP_H = 178.0
_PAGE_MAP = (MARGIN, 40.0, 196.0, 150.0)
"""Map of a kans or uitdaging page: x, y, width, height (mm)."""


# --- static maps ---------------------------------------------------------------


def _rings(geometry) -> tuple[list[np.ndarray], np.ndarray]:
    """Exterior rings of every building part and the building row of each."""
    parts, owner = shapely.get_parts(np.asarray(geometry), return_index=True)
    rings = shapely.get_exterior_ring(parts)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    cuts = np.flatnonzero(np.diff(ring_of)) + 1
    return np.split(coords, cuts), owner[np.unique(ring_of)]


@dataclass
class MapCanvas:
    """A matplotlib map of one terrain, recoloured per layer and saved as PNG.

    The buildings are one ``PolyCollection`` in RD New metres (north up,
    equal scale); :meth:`png` only swaps the colours, so every page's map
    costs one PNG encode. Scale bar, north arrow, terrain boundary and the
    coupling sources inside the frame are drawn once.
    """

    figure: Figure
    buildings: PolyCollection
    owner: np.ndarray

    @classmethod
    def create(cls, analysis: Analysis, width_mm: float, height_mm: float):
        """A canvas of ``width_mm`` × ``height_mm`` around the terrain."""
        from matplotlib.collections import PolyCollection
        from matplotlib.figure import Figure

        a, terrain = analysis.buildings, analysis.terrain
        figure = Figure(figsize=(width_mm / 25.4, height_mm / 25.4))
        ax = figure.add_axes((0, 0, 1, 1))
        ax.set_axis_off()
        ax.set_aspect("equal")
        verts, owner = _rings(a.geometry)
        collection = PolyCollection(verts, linewidths=0.3, edgecolors="#3c3c3c")
        ax.add_collection(collection)
        frames = [a.geometry]
        if terrain.boundary is not None and not terrain.boundary.empty:
            frames.append(terrain.boundary.geometry)
            for ring, _ in zip(*_rings(terrain.boundary.geometry), strict=True):
                ax.plot(ring[:, 0], ring[:, 1], "--", color="#1f1f1f", lw=1)
        near = _near_sources(terrain.sources, a.geometry.total_bounds)
        if near is not None:
            frames.append(near)
        minx, miny, maxx, maxy = np.array([f.total_bounds for f in frames]).T
        box = [minx.min(), miny.min(), maxx.max(), maxy.max()]
        box = _fit(box, width_mm / height_mm)
        ax.set_xlim(box[0], box[2])
        ax.set_ylim(box[1], box[3])
        _sources(ax, terrain.sources, box)
        _scale_bar(ax, box)
        _north_arrow(ax)
        return cls(figure, collection, owner)

    def image(self, spec: LayerSpec, dpi: float = 150) -> Image.Image:
        """The map with the buildings coloured by ``spec`` (RGB image).

        Handed to the PDF without a PNG round trip (encoding and decoding a
        PNG per page took half the time of the document).
        """
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        palette = np.array([*spec.colours, "#ffffff"], dtype=object)
        codes = np.asarray(spec.codes)[self.owner]
        self.buildings.set_facecolor(list(palette[np.where(codes >= 0, codes, -1)]))
        self.figure.set_dpi(dpi)
        canvas = FigureCanvasAgg(self.figure)
        canvas.draw()
        return Image.fromarray(np.asarray(canvas.buffer_rgba())[..., :3])

    def png(self, spec: LayerSpec, dpi: float = 150) -> bytes:
        """The map with the buildings coloured by ``spec`` (PNG)."""
        out = io.BytesIO()
        self.image(spec, dpi).save(out, format="png")
        return out.getvalue()


NEAR_SOURCE_M = 1000.0
"""Coupling sources this close (m) to the buildings are drawn inside the map."""


def _near_sources(sources, bounds):
    """Geometries of the sources within :data:`NEAR_SOURCE_M` of ``bounds``."""
    if sources is None or sources.empty:
        return None
    near = sources.geometry[sources.distance(shapely.box(*bounds)) <= NEAR_SOURCE_M]
    return near if len(near) else None


def _fit(box: list[float], aspect: float, margin: float = 0.04) -> list[float]:
    """``box`` widened to the ``aspect`` (width / height) with a margin."""
    w, h = box[2] - box[0], box[3] - box[1]
    w, h = max(w, h * aspect), max(h, w / aspect)
    w, h = w * (1 + 2 * margin), h * (1 + 2 * margin)
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    return [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]


def _sources(ax, sources, box: Sequence[float]) -> None:
    """Coupling sources inside the frame: a coloured star or area, named."""
    if sources is None or sources.empty:
        return
    frame = shapely.box(*box)
    for row in sources.itertuples():
        shape = row.geometry
        if shape is None or not shape.intersects(frame):
            continue
        colour = colors.SOURCE_KIND.get(row.kind, colors.SOURCE_KIND["overig"])
        point = shape.representative_point()
        if shape.geom_type != "Point":
            for ring in _rings([shape])[0]:
                ax.fill(ring[:, 0], ring[:, 1], color=colour, alpha=0.45, lw=1)
        else:
            ax.plot(point.x, point.y, "*", ms=16, color=colour, mec="white", mew=1)
        ax.annotate(
            row.name,
            (point.x, point.y),
            xytext=(8, 6),
            textcoords="offset points",
            fontsize=7,
            bbox={"fc": "white", "ec": colour, "alpha": 0.85, "pad": 1.5},
        )


def _scale_bar(ax, box: Sequence[float]) -> None:
    metres = nice_length((box[2] - box[0]) / 5)
    x = box[0] + 0.04 * (box[2] - box[0])
    y = box[1] + 0.04 * (box[3] - box[1])
    ax.plot([x, x + metres], [y, y], color="black", lw=3, solid_capstyle="butt")
    ax.text(
        x + metres / 2,
        y + 0.015 * (box[3] - box[1]),
        f"{fmt.number(metres)} m",
        ha="center",
        va="bottom",
        fontsize=8,
        bbox={"fc": "white", "ec": "none", "alpha": 0.8, "pad": 1},
    )


def _north_arrow(ax) -> None:
    """North arrow (RD New grid north is within 2° of true north in NL)."""
    ax.annotate(
        "N",
        xy=(0.96, 0.95),
        xytext=(0.96, 0.86),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=11,
        fontweight="bold",
        arrowprops={"facecolor": "black", "width": 3, "headwidth": 10},
    )


# --- what the document shows ---------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """A map with its legend: the spec, its legend table and a Dutch title."""

    title: str
    spec: LayerSpec

    @property
    def table(self) -> pd.DataFrame:
        return legend.legend_table(self.spec)


def _hidden(analysis: Analysis, variant: str) -> np.ndarray:
    return privacy.hidden_rows(analysis.buildings, variant)


def main_layers(
    analysis: Analysis,
    opportunities: pd.DataFrame,
    current_theme: str,
    opportunity: str,
    variant: str,
) -> tuple[Layer, Layer]:
    """The current-state and the opportunity layer of the first page."""
    hidden = _hidden(analysis, variant)
    current = legend.theme_spec(analysis.buildings, current_theme, hidden)
    if opportunity == "kansen":
        shown = privacy.redact_buildings(
            analysis.buildings, variant, assumptions=analysis.assumptions
        )
        chances = legend.opportunity_spec(shown, legend.selected_measures())
    else:
        chances = ranking.ranking_spec(analysis, opportunity, opportunities, hidden)
    return (
        Layer(f"Huidige situatie: {current.title}", current),
        Layer(f"Kansen en uitdagingen: {chances.title}", chances),
    )


# --- the PDF -------------------------------------------------------------------


class _Document:
    """The A3 pages, with a common header and footer."""

    def __init__(self, analysis: Analysis, variant: str, today: dt.date):
        pdf = FPDF(orientation="L", unit="mm", format="A3")
        pdf.core_fonts_encoding = "cp1252"
        pdf.set_auto_page_break(False)
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        terrain = analysis.terrain
        pdf.set_title(pdf_text(f"Kansenkaart {terrain.name}"))
        pdf.set_author("Kansenkaart bedrijventerreinen")
        pdf.set_creation_date(
            dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
        )
        self.pdf, self.terrain, self.today = pdf, terrain, today
        self.variant = privacy.VARIANTS[variant]

    def font(self, size: float, style: str = "", colour=(0, 0, 0)) -> None:
        self.pdf.set_font("helvetica", style, size)
        self.pdf.set_text_color(*colour)

    def page(self, title: str, subtitle: str = "") -> None:
        pdf = self.pdf
        pdf.add_page()
        self.font(20, "B", _GREEN)
        pdf.set_xy(MARGIN, MARGIN)
        pdf.cell(300, 9, pdf_text(title))
        self.font(9, "", _GREY)
        for i, line in enumerate(
            (
                fmt.long_date(self.today),
                f"Bedrijventerrein {self.terrain.name}",
                f"Variant: {self.variant}",
            )
        ):
            pdf.set_xy(PAGE_W - MARGIN - 110, MARGIN + 4.2 * i)
            pdf.cell(110, 4, pdf_text(line), align="R")
        if subtitle:
            self.font(10.5, "", (0, 0, 0))
            pdf.set_xy(MARGIN, MARGIN + 10)
            pdf.multi_cell(290, 4.6, pdf_text(subtitle))
        self._footer()

    def _footer(self) -> None:
        pdf = self.pdf
        lines = [INDICATIVE_NOTE, SOURCES]
        if self.terrain.is_demo:
            lines.insert(0, self.terrain.meta.get("disclaimer", "Demodata – fictief."))
        top = PAGE_H - MARGIN - 4 * len(lines)
        pdf.set_draw_color(*_GREY)
        pdf.set_line_width(0.2)
        pdf.line(MARGIN, top - 1, PAGE_W - MARGIN, top - 1)
        for i, line in enumerate(lines):
            demo = self.terrain.is_demo and i == 0
            self.font(7.5, "B" if demo else "", _RED if demo else _GREY)
            pdf.set_xy(MARGIN, top + 4 * i)
            pdf.cell(PAGE_W - 2 * MARGIN - 20, 4, pdf_text(line))
        self.font(7.5, "", _GREY)
        pdf.set_xy(PAGE_W - MARGIN - 20, top + 4 * (len(lines) - 1))
        pdf.cell(20, 4, f"pagina {pdf.page_no()}", align="R")

    def legend(self, layer: Layer, x: float, y: float, width: float) -> float:
        """The legend of ``layer`` at (x, y): title, class, count; bottom y."""
        pdf = self.pdf
        self.font(10, "B")
        pdf.set_xy(x, y)
        pdf.cell(width, 5, pdf_text(layer.spec.title))
        y += 5.5
        for colour, label, count in layer.table.itertuples(index=False):
            if colour:
                pdf.set_fill_color(*_rgb(colour))
                pdf.set_draw_color(60, 60, 60)
                pdf.rect(x, y + 0.6, 6, 3.4, style="DF")
            self.font(8.5)
            pdf.set_xy(x + 8, y)
            pdf.cell(width - 30, 4.5, pdf_text(label))
            pdf.cell(22, 4.5, fmt.number(count), align="R")
            y += 4.6
        if layer.spec.note:
            self.font(7.5, "I", _GREY)
            pdf.set_xy(x, y + 0.6)
            pdf.multi_cell(width, 3.5, pdf_text(layer.spec.note))
            y = pdf.get_y()
        return y

    def text(self, text: str, x: float, width: float, size: float = 9, style=""):
        self.font(size, style)
        self.pdf.set_x(x)
        self.pdf.multi_cell(width, size * 0.45, pdf_text(text))

    def rows(self, header: Sequence[str], rows: list, x: float, widths) -> None:
        """A simple table of one-line cells (cut to fit)."""
        pdf = self.pdf
        for i, cells in enumerate([header, *rows]):
            self.font(8, "B" if i == 0 else "", _GREY if i == 0 else (0, 0, 0))
            pdf.set_x(x)
            for w, cell in zip(widths, cells, strict=True):
                text = pdf_text(cell)
                while text and pdf.get_string_width(text) > w - 1.5:
                    text = text[:-2] + "…"
                pdf.cell(w, 4.4, text)
            pdf.ln(4.4)


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _first_page(doc: _Document, canvas: MapCanvas, layers: Sequence[Layer]) -> None:
    doc.page(
        f"Kansenkaart {doc.terrain.name}",
        "Links de huidige stand van zaken, rechts de kansen en uitdagingen voor "
        "een gebiedsgericht verduurzamingstraject. Op de volgende pagina's staan "
        "de kansen en de uitdagingen één voor één.",
    )
    width = (PAGE_W - 2 * MARGIN - 10) / 2
    for i, layer in enumerate(layers):
        x = MARGIN + i * (width + 10)
        doc.font(12, "B", _GREEN)
        doc.pdf.set_xy(x, 34)
        doc.pdf.cell(width, 6, pdf_text(layer.title))
        doc.pdf.image(canvas.image(layer.spec), x, 41, width, _MAP_H)
        doc.pdf.set_draw_color(*_GREY)
        doc.pdf.rect(x, 41, width, _MAP_H)
        doc.legend(layer, x, 41 + _MAP_H + 3, width)


def _figure_lines(total: pd.Series) -> list[str]:
    """Dutch lines with the totals of a measure (a row of measure_totals)."""
    lines = [f"Bedrijven met deze kans: {fmt.number(total['n_companies'])}"]
    for column, text in (
        ("kwp", lambda v: f"Vermogen: {fmt.power(v)}"),
        ("kwh_yr", lambda v: f"Energie: {fmt.energy(v, ' per jaar')}"),
        ("co2_kg_yr", lambda v: f"CO2: {fmt.co2(v, ' per jaar')}"),
        ("invest_eur", lambda v: f"Investering: {fmt.euro(v)}"),
    ):
        if not texts.missing(total[column]):
            lines.append(text(total[column]))
    if total.get("note"):
        lines.append(str(total["note"]))
    return lines


def _measure_rows(rows: pd.DataFrame) -> list[list[str]]:
    hidden = rows[privacy.HIDDEN_COLUMN].astype("boolean").fillna(False).to_numpy()
    out = []
    for row, h in zip(rows.itertuples(), hidden, strict=True):
        figures = [
            fmt.power(row.kwp) if not texts.missing(row.kwp) else "",
            fmt.energy(row.kwh_yr) if not texts.missing(row.kwh_yr) else "",
            fmt.co2(row.co2_kg_yr) if not texts.missing(row.co2_kg_yr) else "",
            fmt.euro(row.invest_eur) if not texts.missing(row.invest_eur) else "",
            fmt.number(row.payback_yr, 1, "jaar")
            if not texts.missing(row.payback_yr)
            else "",
        ]
        if h:
            figures = [figures[0], *[privacy.HIDDEN_TEXT] * 4]
        out.append([texts.text(row.address), texts.text(row.company, "-"), *figures])
    return out


def _groups_text(analysis: Analysis, measure_id: str, variant: str) -> list[str]:
    """One line per collective group of the measure: figures and members.

    As the variant may show them (:func:`privacy.redact_groups`): in the
    public variant only members that consented are named, and the combined
    figures follow the rules for totals.
    """
    groups = engine_groups.of_measure(analysis.groups, measure_id)
    if groups.empty:
        return []
    shown = privacy.redact_groups(
        groups,
        engine_groups.FIGURES,
        analysis.buildings,
        variant,
        analysis.assumptions,
    )
    names = dict(
        zip(
            analysis.buildings["building_id"].astype(str),
            analysis.buildings["address"].astype("string").fillna(texts.UNKNOWN),
            strict=True,
        )
    )
    lines = []
    for row in shown.itertuples():
        ids = [str(b) for b in getattr(row, engine_groups.MEMBERS)]
        line = row.name
        if not texts.missing(row.n_companies):
            line += f" ({fmt.number(row.n_companies)} bedrijven)"
        figures = _figure_lines(
            pd.Series(
                {
                    "n_companies": row.n_companies,
                    "kwp": row.kwp,
                    "kwh_yr": row.mwh_yr * 1000,
                    "co2_kg_yr": row.co2_t_yr * 1000,
                    "invest_eur": row.invest_eur,
                    "note": row.note,
                }
            )
        )[1:]
        if figures:
            line += ": " + ", ".join(figures)
        members = privacy.members_text(
            [names.get(b, b) for b in ids], getattr(row, privacy.OTHERS_COLUMN)
        )
        lines.append(f"{line}. Leden: {members}")
    return lines


def _measure_page(
    doc: _Document,
    canvas: MapCanvas,
    analysis: Analysis,
    measure,
    shown: pd.DataFrame,
    listed: pd.DataFrame,
    total: pd.Series,
    variant: str,
) -> None:
    a = analysis.assumptions
    scope = measures.SCOPE_LABELS[measure.scope]
    doc.page(f"Kans: {measure.name}", f"{measure.explanation} ({scope})")
    layer = Layer(measure.name, legend.opportunity_spec(shown, [measure]))
    _page_map(doc, canvas, layer)
    x, width = MARGIN + _PAGE_MAP[2] + 10, PAGE_W - 3 * MARGIN - _PAGE_MAP[2]
    doc.pdf.set_y(40)
    doc.text(f"Wanneer: {measure.text('rule', a)}", x, width)
    doc.text(f"Besparing: {measure.text('savings', a)}", x, width)
    doc.text(f"Financiering: {'; '.join(measure.financing)}", x, width)
    doc.pdf.ln(1.5)
    doc.text(" · ".join(_figure_lines(total)), x, width, 10, "B")
    for line in _groups_text(analysis, measure.id, variant):
        doc.text(line, x, width, 8.5)
    doc.pdf.ln(2)
    rows = listed[listed["measure_id"] == measure.id]
    rows = rows.sort_values("co2_kg_yr", ascending=False, na_position="last")
    widths = (62, 48, 18, 22, 22, 22, 16)
    doc.rows(
        ("Adres", "Bedrijf", "kWp", "Energie/jaar", "CO2/jaar", "Investering", "Tvt"),
        _measure_rows(rows.head(MAX_ROWS)),
        x,
        [w * width / sum(widths) for w in widths],
    )
    if len(rows) > MAX_ROWS:
        doc.text(
            f"... en nog {len(rows) - MAX_ROWS} panden: zie Kansenlijsten.", x, 200
        )


def _page_map(doc: _Document, canvas: MapCanvas, layer: Layer) -> None:
    x, y, w, h = _PAGE_MAP
    doc.pdf.image(canvas.image(layer.spec, dpi=110), x, y, w, h)
    doc.pdf.set_draw_color(*_GREY)
    doc.pdf.rect(x, y, w, h)
    doc.legend(layer, x, y + h + 3, w)


def _challenge_page(
    doc: _Document, canvas: MapCanvas, analysis: Analysis, challenge, hidden
) -> None:
    a = analysis.buildings
    doc.page(f"Uitdaging: {challenge.name}", challenge.explanation)
    spec = ranking.challenge_spec(a, challenge.id, hidden)
    _page_map(doc, canvas, Layer(challenge.name, spec))
    x, width = MARGIN + _PAGE_MAP[2] + 10, PAGE_W - 3 * MARGIN - _PAGE_MAP[2]
    involved = a[spec.codes == 1]
    doc.pdf.set_y(40)
    doc.text(
        f"Panden met deze uitdaging: {fmt.number(len(involved))}", x, width, 10, "B"
    )
    if challenge.private and hidden.any():
        doc.text(
            "Bedrijven die geen toestemming gaven, staan hier niet bij.", x, width, 8
        )
    doc.pdf.ln(2)
    rows = [
        [
            texts.text(r.address),
            texts.text(r.company, "-"),
            texts.text(r.ownership),
            texts.text(r.energy_label),
            texts.grid_status(r.grid_afname_status),
        ]
        for r in involved.head(MAX_ROWS).itertuples()
    ]
    widths = (62, 48, 28, 16, 40)
    doc.rows(
        ("Adres", "Bedrijf", "Eigendom", "Label", "Net afname"),
        rows,
        x,
        [w * width / sum(widths) for w in widths],
    )
    if len(involved) > MAX_ROWS:
        doc.text(f"... en nog {len(involved) - MAX_ROWS} panden.", x, width)


def kansenkaart_pdf(
    analysis: Analysis,
    opportunities: pd.DataFrame,
    *,
    current_theme: str = "energy_label",
    opportunity: str = "grootste_kans",
    variant: str = privacy.OPENBAAR,
    today: dt.date | None = None,
) -> bytes:
    """The kansenkaart of a terrain as an A3 landscape PDF.

    Page 1: the current-state map and the opportunity map side by side,
    each with legend (counts), scale bar and north arrow; date, sources and
    the indicatieve-gegevens note on every page. Then a page per measure
    that applies somewhere (its rule, figures, financing, the buildings and
    groups involved) and per uitdaging that applies somewhere.

    Parameters
    ----------
    analysis : Analysis
        The analysed terrain; not modified.
    opportunities : DataFrame
        ``opportunity_list(analysis)``.
    current_theme : str
        Theme of the current-state map (:data:`kansenkaart.views.legend.THEMES`).
    opportunity : str
        ``kansen`` (all measures counted) or a
        :data:`kansenkaart.views.ranking.RANKINGS` id.
    variant : {"openbaar", "intern"}
        ``openbaar`` (default) hides figures of companies without consent.
    today : date, optional
        Date printed; default today.

    Returns
    -------
    bytes
        The PDF file.
    """
    privacy.check_variant(variant)
    today = today or dt.date.today()
    doc = _Document(analysis, variant, today)
    layers = main_layers(analysis, opportunities, current_theme, opportunity, variant)
    width = (PAGE_W - 2 * MARGIN - 10) / 2
    _first_page(doc, MapCanvas.create(analysis, width, _MAP_H), layers)
    canvas = MapCanvas.create(analysis, _PAGE_MAP[2], _PAGE_MAP[3])
    shown = privacy.redact_buildings(
        analysis.buildings, variant, assumptions=analysis.assumptions
    )
    listed = privacy.redact_opportunities(
        opportunities, variant, analysis.assumptions, buildings=analysis.buildings
    )
    figures = ["kwp", "kwh_yr", "co2_kg_yr", "invest_eur"]
    everything = measure_totals(analysis)
    shares = privacy.largest_shares(opportunities, "measure_id", figures)
    totals = privacy.redact_totals(
        everything,
        figures,
        variant,
        analysis.assumptions,
        shares=shares.reindex(everything["measure_id"]).reset_index(drop=True),
    ).set_index("measure_id")
    for measure in measures.CATALOGUE:
        if legend.has_measure(shown, measure.id).any():
            total = totals.loc[measure.id]
            _measure_page(doc, canvas, analysis, measure, shown, listed, total, variant)
    hidden = _hidden(analysis, variant)
    table = ranking.challenges(analysis.buildings, hidden)
    for challenge in ranking.CHALLENGES:
        if table[challenge.id].fillna(False).any():
            _challenge_page(doc, canvas, analysis, challenge, hidden)
    return bytes(doc.pdf.output())


# --- slides --------------------------------------------------------------------


def slide_png(analysis: Analysis, layer: Layer, dpi: float = 120) -> bytes:
    """One 16:9 slide: the map with its legend, scale bar, north arrow, notes."""
    from matplotlib.patches import Rectangle

    canvas = MapCanvas.create(analysis, 230, 190.5)
    figure = canvas.figure
    figure.set_size_inches(338.7 / 25.4, 190.5 / 25.4)
    figure.axes[0].set_position((0, 0.06, 0.68, 0.86))
    figure.text(0.01, 0.955, layer.title, fontsize=15, fontweight="bold")
    y = 0.88
    figure.text(0.7, y, layer.spec.title, fontsize=11, fontweight="bold")
    for colour, label, count in layer.table.itertuples(index=False):
        y -= 0.045
        if colour:
            figure.patches.append(
                Rectangle(
                    (0.7, y - 0.005),
                    0.022,
                    0.03,
                    transform=figure.transFigure,
                    facecolor=colour,
                    edgecolor="#3c3c3c",
                )
            )
        figure.text(0.73, y, f"{label}", fontsize=9.5)
        figure.text(0.985, y, fmt.number(count), fontsize=9.5, ha="right")
    if layer.spec.note:
        figure.text(0.7, y - 0.05, _wrap(layer.spec.note, 58), fontsize=8, va="top")
    footer = f"{fmt.long_date(dt.date.today())} · {INDICATIVE_NOTE} {SOURCES}"
    figure.text(0.01, 0.012, _wrap(footer, 230), fontsize=6.5, color="#555555")
    return canvas.png(layer.spec, dpi=dpi)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))


def slides_zip(
    analysis: Analysis,
    opportunities: pd.DataFrame,
    *,
    current_theme: str = "energy_label",
    opportunity: str = "grootste_kans",
    variant: str = privacy.OPENBAAR,
) -> bytes:
    """PNGs for slides in a zip: the two maps of :func:`kansenkaart_pdf`."""
    privacy.check_variant(variant)
    layers = main_layers(analysis, opportunities, current_theme, opportunity, variant)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, layer in zip(("1-huidige-situatie", "2-kansen"), layers, strict=True):
            archive.writestr(f"{name}.png", slide_png(analysis, layer))
    return out.getvalue()
