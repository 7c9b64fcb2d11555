"""Opportunity lists and exports for gemeente staff (Leidraad steps 3–5).

One selection, many files. :func:`kansenkaart.views.selection.select` applies
filters and a privacy variant to an analysed terrain; every writer here turns
that :class:`~kansenkaart.views.selection.Selection` into the bytes of one
file, with the tables of :mod:`kansenkaart.views.tables`, so the page
(``st.download_button``) and the CLI (``python -m kansenkaart export``) hand
out the same files:

========== =================================================================
format     contents
========== =================================================================
xlsx       Samenvatting, Kansen per bedrijf, Kansen per maatregel,
           Collectieve groepen, Energiehub, Gebouwen, Aannames, Databronnen
           (:func:`to_xlsx`)
csv        the opportunities for Dutch Excel: ``;``, decimal comma, UTF-8
           with BOM, formula-safe; BAG-pand-ids as ``NL.IMBAG.Pand.<id>``
           so no program reads them as numbers (:func:`to_csv`)
csv-plain  the same with ``,`` and decimal point, UTF-8, values as they are
geojson    the selected buildings in WGS84, Dutch field names (:func:`gis_frame`)
gpkg       the same in RD New (EPSG:28992), plus the opportunities and the
           field descriptions as tables
geoparquet the buildings layer of gpkg as GeoParquet (RD New), for 100,000
           buildings and more (:func:`to_geoparquet`)
velden     the field descriptions of the GIS files as CSV (:func:`field_table`)
html       one self-contained report with maps, key figures and the tables
========== =================================================================

Spreadsheet text is neutralised against formula injection (DESIGN.md
section 6, :mod:`kansenkaart.core.safety`) and every text in the HTML report
is escaped. :func:`survey_row_xlsx` writes the one-building file of the page
Mijn pand.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import io
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from kansenkaart.core import fmt, schema, texts
from kansenkaart.core.columns import COLUMNS as COMPUTED_COLUMNS
from kansenkaart.core.model import Analysis
from kansenkaart.core.safety import safe_texts, sheet_title
from kansenkaart.engine import groups as engine_groups
from kansenkaart.engine import privacy, whatif
from kansenkaart.engine.summary import key_figures
from kansenkaart.views import hubfigures, maps
from kansenkaart.views.selection import Selection
from kansenkaart.views.tables import (
    BUILDING_FIELDS,
    BUILDING_SHEET,
    DEMO_TEXT,
    LIST_FIELDS,
    LIST_SHEET,
    MEASURE_SHEET,
    Field,
    Sheet,
    assumptions_table,
    balance_sentences,
    dutch_table,
    sources_table,
    summary_rows,
    variant_note,
)

# --- collective groups -------------------------------------------------------

GROUP_FIELDS = (
    Field("name", "groep"),
    Field("measure_name", "maatregel"),
    Field("n_companies", "aantal bedrijven", kind="int"),
    Field("members_text", "leden"),
    Field("kwp", "zonvermogen", "kWp", "number", 1),
    Field("mwh_yr", "energie", "MWh/jaar", "number", 1),
    Field("co2_t_yr", "CO₂-reductie", "ton/jaar", "number", 1),
    Field("invest_eur", "investering", "€", "number"),
    Field("n_interest_yes", "interesse ja (enquête)", kind="int"),
    Field("n_interest_maybe", "interesse misschien (enquête)", kind="int"),
    Field("basis", "hoe de groep is gevormd"),
    Field("figures_basis", "wat de cijfers zijn"),
    Field("note", "opmerking"),
)
"""Columns of the sheet "Collectieve groepen"."""


def group_frame(sel: Selection) -> pd.DataFrame:
    """The collective groups with a member among the selected buildings.

    As the variant may show them (:func:`privacy.redact_groups`): in the
    public variant only members that consented are named and counted where
    that tells nothing private, and the figures and interest counts follow
    the rules for totals. ``members_text`` names the members (company, else
    address; both public).
    """
    table = privacy.redact_groups(
        engine_groups.of_measure(sel.analysis.groups, None),
        [*engine_groups.FIGURES, *engine_groups.INTEREST],
        sel.analysed,
        sel.variant,
        sel.assumptions,
        sel.buildings["building_id"] if sel.filters.used() else None,
    )
    return _with_members_text(table, sel.analysed)


def _with_members_text(table: pd.DataFrame, a: pd.DataFrame) -> pd.DataFrame:
    """``table`` (redacted groups) with ``members_text``: the named members
    (company, else address; both public) and the others as the variant counts
    them (:func:`privacy.members_text`)."""
    names = a["company"].astype("string").fillna(a["address"].astype("string"))
    names = pd.Series(names.fillna("").to_numpy(), index=a["building_id"].astype(str))
    members = [
        privacy.members_text([names.get(str(i), str(i)) for i in ids], others)
        for ids, others in zip(
            table[engine_groups.MEMBERS], table[privacy.OTHERS_COLUMN], strict=True
        )
    ]
    return table.assign(members_text=pd.array(members, dtype="string"))


GROUP_SHEET = Sheet("Collectieve groepen", GROUP_FIELDS, group_frame)

HUB_FIELDS = (
    Field("name", "groep"),
    Field("measure_name", "maatregel"),
    Field("n_companies", "aantal bedrijven", kind="int"),
    Field("members_text", "leden"),
    Field("sum_of_peaks_kw", "som van de eigen pieken", "kW", "number"),
    Field("group_peak_kw", "gezamenlijke piek", "kW", "number"),
    Field("sharing_gain_kw", "deelwinst piek", "kW", "number"),
    Field("limit_kw", "grens groepscontract", "kW", "number"),
    Field("hours_above_limit", "uren boven de grens", "uur/jaar", "number"),
    Field("battery_kwh", "batterij opslag", "kWh", "number"),
    Field("battery_kw", "batterij vermogen", "kW", "number"),
    Field(
        "hours_above_after", "uren boven de grens met batterij", "uur/jaar", "number"
    ),
    Field("peak_after_kw", "piek met batterij", "kW", "number"),
    Field("battery_invest_eur", "investering batterij", "€", "number"),
    Field("battery_savings_eur_yr", "besparing batterij", "€/jaar", "number"),
    Field("battery_payback_yr", "terugverdientijd batterij", "jaar", "number", 1),
    Field(
        "sharing_savings_eur_yr",
        "besparing transporttarief groepscontract",
        "€/jaar",
        "number",
    ),
    Field("self_use_gain_kwh", "extra zon binnen de groep", "kWh/jaar", "number"),
    Field("feed_in_kwh", "teruglevering", "kWh/jaar", "number"),
    Field("n_measured", "leden met eigen meetdata", kind="int"),
    Field("hub_basis", "basis (indicatief)"),
    Field("note", "opmerking"),
)
"""Columns of the sheet "Energiehub"."""


def hub_frame(sel: Selection) -> pd.DataFrame:
    """The energy-hub figures of the groups with a member among the selected
    buildings, as the variant may show them (:func:`hubfigures.redacted`)."""
    table = hubfigures.redacted(
        sel.hub,
        sel.analysed,
        sel.variant,
        sel.assumptions,
        sel.buildings["building_id"] if sel.filters.used() else None,
    )
    return _with_members_text(table, sel.analysed)


HUB_SHEET = Sheet("Energiehub", HUB_FIELDS, hub_frame)

# --- Excel -------------------------------------------------------------------

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F5F3F")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="top")
_HEADER_BORDER = Border(bottom=Side(style="thin", color="000000"))
_TITLE_FONT = Font(bold=True, size=14)
_BOLD = Font(bold=True)
_WARN_FONT = Font(bold=True, color="9C0006")
_MIN_WIDTH, _MAX_WIDTH, _WIDTH_SAMPLE = 8, 60, 500


def _number_format(field: Field | None) -> str:
    """Excel number format: ``#,##0.0``, ``"€" #,##0``, ``0`` for years."""
    if field is None:
        return "General"
    if field.kind == "int":
        return "0"
    if field.unit == "€":
        return '"€" #,##0'
    return "#,##0" + ("." + "0" * field.decimals if field.decimals else "")


def _widths(frame: pd.DataFrame) -> list[float]:
    """Column widths from the header and a sample of the values."""
    sample = frame.head(_WIDTH_SAMPLE)
    widths = []
    for name in frame.columns:
        longest = sample[name].astype("string").str.len().max()
        longest = 0 if pd.isna(longest) else int(longest)
        header = max(len(word) for word in str(name).split())
        widths.append(min(_MAX_WIDTH, max(_MIN_WIDTH, header + 2, longest + 2)))
    return widths


def _styled(ws, value, **style) -> Cell:
    cell = Cell(ws, row=1, column=1, value=value)  # write-only moves it
    for key, item in style.items():
        setattr(cell, key, item)
    return cell


def _write_table(
    wb: Workbook,
    title: str,
    frame: pd.DataFrame,
    table_fields: tuple[Field, ...] = (),
) -> tuple:
    """One sheet: styled header, frozen, autofilter, widths, number formats.

    openpyxl writes the header; the data rows come back as sheet XML
    (:func:`_rows_xml`) for :func:`_spliced`, as ``(worksheet, xml)``:
    openpyxl spends some 10 µs per cell, which is 15 s for the 1,5 million
    cells of a terrain of 10,000 buildings.
    """
    ws = wb.create_sheet(sheet_title(title))
    by_header = {f.header: f for f in table_fields}
    for i, width in enumerate(_widths(frame), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    last = get_column_letter(max(1, frame.shape[1]))
    ws.auto_filter.ref = f"A1:{last}{len(frame) + 1}"
    ws.append(
        [
            _styled(
                ws,
                str(name),
                font=_HEADER_FONT,
                fill=_HEADER_FILL,
                alignment=_HEADER_ALIGN,
                border=_HEADER_BORDER,
            )
            for name in frame.columns
        ]
    )
    columns = [
        _cells(ws, frame[name], by_header.get(name), get_column_letter(k))
        for k, name in enumerate(frame.columns, start=1)
    ]
    rows = (
        f'<row r="{r}">{"".join(cells)}</row>'
        for r, cells in enumerate(zip(*columns, strict=True), start=2)
    )
    return ws, "".join(rows)


def _text_xml(text: str, ref: str) -> str:
    """An inline-string cell at ``ref`` (``B12``), the text XML-escaped."""
    body = html.escape(text, quote=False)
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{body}</t></is></c>'


def _cells(ws, values: pd.Series, field: Field | None, letter: str) -> list[str]:
    """One column (``letter``) as the XML of its cells from row 2: numbers
    with the field's number format, texts formula-safe, missing values
    empty."""
    numeric = (
        field.kind in ("number", "int")
        if field is not None
        else pd.api.types.is_numeric_dtype(values.dtype)
    )
    rows = range(2, len(values) + 2)
    if not numeric:
        text = safe_texts(values).astype(object).where(lambda t: t.notna(), None)
        return [
            "" if v is None else _text_xml(v, f"{letter}{r}")
            for r, v in zip(rows, text.tolist(), strict=True)
        ]
    number = int if field is not None and field.kind == "int" else float
    template = _styled(ws, None, number_format=_number_format(field))
    style = template.style_id  # registers the format with the workbook
    return [
        _text_xml(v, f"{letter}{r}")  # privacy.HIDDEN_TEXT in a blanked cell
        if isinstance(v, str)
        else ""
        if pd.isna(v) or not np.isfinite(v)
        else f'<c r="{letter}{r}" s="{style}"><v>{number(v)!r}</v></c>'
        for r, v in zip(rows, values.to_numpy(dtype=object).tolist(), strict=True)
    ]


def _spliced(xlsx: bytes, sheets: list[tuple]) -> bytes:
    """``xlsx`` with the data rows of :func:`_write_table` after each header."""
    rows = {ws.path.lstrip("/"): xml for ws, xml in sheets if xml}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in rows:
                head, tail = data.decode("utf-8").split("</sheetData>", 1)
                data = f"{head}{rows[item.filename]}</sheetData>{tail}".encode()
            target.writestr(item.filename, data)
    return out.getvalue()


def _write_pairs(wb: Workbook, title: str, rows: list[tuple[str, str]]) -> None:
    """The Samenvatting: labels in column A, texts in B; blocks in bold."""
    ws = wb.create_sheet(sheet_title(title))
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 110
    labels, values = (
        safe_texts(pd.Series(column, dtype="string")).tolist()
        for column in zip(*rows, strict=True)
    )
    wrap = Alignment(wrap_text=True)
    for index, (label, text) in enumerate(zip(labels, values, strict=True)):
        font = (
            _TITLE_FONT
            if index == 0
            else _WARN_FONT
            if label == "Let op"
            else _BOLD
            if label.endswith(":")
            else None
        )
        first = _styled(ws, label, font=font) if font else label
        ws.append([first, _styled(ws, text, alignment=wrap)])


def to_xlsx(sel: Selection) -> bytes:
    """The Excel workbook of a selection.

    Sheets: Samenvatting, Kansen per bedrijf, Kansen per maatregel,
    Collectieve groepen, Energiehub (when the selection carries
    :attr:`Selection.hub`), Gebouwen, Aannames, Databronnen. Every table has a
    styled, frozen header row with an autofilter, column widths from its contents and
    number formats; units are in the Dutch headers. Texts are
    formula-safe (:func:`kansenkaart.core.safety.safe_texts`).

    Parameters
    ----------
    sel : Selection

    Returns
    -------
    bytes
        The ``.xlsx`` file.
    """
    wb = Workbook(write_only=True)
    _write_pairs(wb, "Samenvatting", summary_rows(sel))
    sheets = (LIST_SHEET, MEASURE_SHEET, GROUP_SHEET, BUILDING_SHEET)
    if sel.hub is not None:
        sheets = (LIST_SHEET, MEASURE_SHEET, GROUP_SHEET, HUB_SHEET, BUILDING_SHEET)
    tables = [_write_table(wb, t.title, t.frame(sel), t.fields) for t in sheets]
    tables.append(_write_table(wb, "Aannames", assumptions_table(sel.assumptions)))
    tables.append(_write_table(wb, "Databronnen", sources_table(sel)))
    buffer = io.BytesIO()
    wb.save(buffer)
    return _spliced(buffer.getvalue(), tables)


# --- CSV -----------------------------------------------------------------------

CSV_DIALECTS = {
    "excel-nl": dict(sep=";", decimal=",", encoding="utf-8-sig", safe=True),
    "plain": dict(sep=",", decimal=".", encoding="utf-8", safe=False),
}


def to_csv(sel: Selection, dialect: str = "excel-nl") -> bytes:
    """The selected opportunities (sheet "Kansen per bedrijf") as CSV.

    Parameters
    ----------
    sel : Selection
    dialect : {"excel-nl", "plain"}
        ``excel-nl``: ``;``, decimal comma, UTF-8 with BOM, formula-safe
        texts, for Dutch Excel. ``plain``: ``,``, decimal point, UTF-8,
        texts as they are, for other tools.

    Returns
    -------
    bytes
    """
    if dialect not in CSV_DIALECTS:
        raise ValueError(
            f"onbekend CSV-dialect '{dialect}'; kies uit {', '.join(CSV_DIALECTS)}"
        )
    spec = CSV_DIALECTS[dialect]
    frame = LIST_SHEET.frame(sel)
    by_header = {f.header: f for f in LIST_SHEET.fields}
    out = {}
    for name in frame.columns:
        field = by_header[name]
        values = frame[name]
        if field.kind in ("number", "int"):
            out[name] = [
                v
                if isinstance(v, str) or pd.isna(v)
                else f"{float(v):.{field.decimals}f}".replace(".", spec["decimal"])
                for v in values.to_numpy(dtype=object)
            ]
        elif field.name == "building_id":
            out[name] = bag_pand_texts(values)
        else:
            out[name] = safe_texts(values) if spec["safe"] else values
    text = pd.DataFrame(out).to_csv(sep=spec["sep"], index=False, lineterminator="\n")
    return text.encode(spec["encoding"])


def bag_pand_texts(ids: pd.Series) -> pd.Series:
    """BAG-pand-ids as a CSV keeps them: ``NL.IMBAG.Pand.0363100012345678``.

    A 16-digit BAG id in a CSV is read as a number by Excel (which drops the
    leading zero and, beyond 15 digits, changes the last one) and by pandas,
    quoted or not. The full BAG identifier with its IMBAG namespace is text
    everywhere and still names the same pand. Other ids stay as they are.
    """
    text = ids.astype("string")
    bag = text.str.fullmatch(r"\d{16}").fillna(False)
    return text.mask(bag, BAG_PAND_PREFIX + text)


# --- GIS -------------------------------------------------------------------------

BAG_PAND_PREFIX = "NL.IMBAG.Pand."
"""Namespace of a BAG pand in its full identifier (IMBAG), as the CSV writes it."""
_GIS_KINDS = {"float": "number", "int": "int", "bool": "bool"}
_GIS_TYPES = {
    "number": "getal",
    "int": "geheel getal",
    "bool": "ja/nee",
    "text": "tekst",
    "list": "tekst",
}
INPUT_SUFFIX = "_invoer"
"""Added to an input column whose Dutch name equals that of a computed field
(``elektriciteitsverbruik_kwh_jaar_invoer``: the value as delivered)."""


def gis_name(field: Field) -> str:
    """A GIS field name from the Dutch label and unit: lower case, ``a-z0-9_``.

    ``Zonpotentie (kWp)`` -> ``zonpotentie_kwp``, ``CO₂-uitstoot (kg/jaar)`` ->
    ``co2_uitstoot_kg_jaar``, ``€`` -> ``eur``; QGIS, ArcGIS and SQL take
    such names without quoting.
    """
    text = unicodedata.normalize("NFKD", f"{field.label} {field.unit}")
    text = text.replace("€", "eur").replace("–", " ")
    text = text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


@dataclass(frozen=True)
class GisField:
    """One field of a GIS layer: its Dutch name and the :class:`Field` behind it
    (None for an extra column of an uploaded file, which keeps its own name)."""

    name: str
    column: str
    field: Field | None


def gis_fields(
    columns, table_fields: tuple[Field, ...], extras: bool = True
) -> list[GisField]:
    """The fields of a GIS layer with Dutch names, in a table's ``columns``.

    First ``table_fields`` (the Dutch labels of :mod:`kansenkaart.views.tables`),
    then the other input columns with their label in
    :mod:`kansenkaart.core.schema` (``_invoer`` when that name is taken), then
    (``extras``) extra columns of an uploaded file under their own name.
    Computed columns without a Dutch label (intermediate results of the
    engine) are left out.
    """
    present = set(columns)
    chosen = [f for f in table_fields if f.name in present]
    out = [GisField(gis_name(f), f.name, f) for f in chosen]
    taken, used = {g.name for g in out}, {f.name for f in chosen}
    for table_schema in (schema.BUILDINGS, schema.SURVEY):
        for c in table_schema.columns:
            if c.name not in present or c.name in used:
                continue
            f = Field(c.name, c.label, c.unit, _GIS_KINDS.get(c.dtype, "text"))
            name = gis_name(f)
            name = name + INPUT_SUFFIX if name in taken else name
            out.append(GisField(name, c.name, f))
            taken.add(name)
            used.add(c.name)
    computed = {c.name for c in COMPUTED_COLUMNS} | {privacy.HIDDEN_COLUMN}
    for column in columns if extras else ():
        if column not in used and column not in computed and column != "geometry":
            out.append(GisField(str(column), column, None))
    return out


def _gis_values(frame: pd.DataFrame, spec: GisField) -> pd.Series:
    """One GIS field: numbers and yes/no typed, texts Dutch, ids as text."""
    values, field = frame[spec.column], spec.field
    if field is None:
        return _table_for_gis(frame[[spec.column]])[spec.column]
    if field.kind == "number":
        return values.astype("Float64")
    if field.kind == "int":
        numbers = values.astype("Float64")
        whole = (numbers.dropna() % 1 == 0).all()
        return numbers.astype("Int64") if whole else numbers
    if field.kind == "bool":
        return values.astype("boolean")
    # Missing stays null (not "onbekend"): GIS tools filter on null.
    text = dutch_table(frame, (dataclasses.replace(field, missing=""),))[field.header]
    return pd.Series(text.array, index=frame.index).astype("string")


def _gis_table(frame: pd.DataFrame, fields: list[GisField]) -> pd.DataFrame:
    out = pd.DataFrame(
        {g.name: _gis_values(frame, g) for g in fields}, index=frame.index
    )
    if isinstance(frame, gpd.GeoDataFrame):
        return gpd.GeoDataFrame(out, geometry=frame.geometry.to_numpy(), crs=frame.crs)
    return out


def gis_frame(sel: Selection) -> gpd.GeoDataFrame:
    """The selected buildings as a GIS layer with Dutch field names.

    The fields of the sheet "Gebouwen" (``tables.BUILDING_FIELDS``) and the
    other labelled input columns (:func:`gis_fields`): numbers and
    yes/no stay typed (null where missing or not shown), codes and lists are
    Dutch text, and ids (BAG-pand-id, postcode, huisnummer) are text so their
    leading zeros stay. Geometry in RD New. :func:`field_table` describes
    every field.
    """
    a = sel.buildings
    return _gis_table(a, gis_fields(a.columns, BUILDING_FIELDS))


def _opportunity_layer(sel: Selection) -> pd.DataFrame:
    """The selected opportunities with Dutch field names (join on ``bag_pand_id``)."""
    o = sel.opportunities
    return _gis_table(o, gis_fields(o.columns, LIST_FIELDS, extras=False))


def field_table(sel: Selection) -> pd.DataFrame:
    """Description of every field of the GIS files: layer, name, meaning, unit.

    Returns
    -------
    DataFrame
        ``laag`` (gebouwen, kansen), ``veld``, ``betekenis``, ``eenheid`` and
        ``soort`` (tekst, getal, geheel getal, ja/nee).
    """
    rows = []
    for layer, frame, table_fields, extras in (
        ("gebouwen", sel.buildings, BUILDING_FIELDS, True),
        ("kansen", sel.opportunities, LIST_FIELDS, False),
    ):
        for g in gis_fields(frame.columns, table_fields, extras):
            f = g.field
            if f is None:
                rows.append(
                    (layer, g.name, "kolom uit het geladen bestand", "", "tekst")
                )
                continue
            meaning = f.label[:1].upper() + f.label[1:]
            if g.name.endswith(INPUT_SUFFIX):
                meaning += " (zoals aangeleverd)"
            rows.append((layer, g.name, meaning, f.unit, _GIS_TYPES[f.kind]))
    return pd.DataFrame(rows, columns=["laag", "veld", "betekenis", "eenheid", "soort"])


def to_field_csv(sel: Selection) -> bytes:
    """:func:`field_table` as CSV for Dutch Excel (``;``, UTF-8 with BOM)."""
    text = field_table(sel).to_csv(sep=";", index=False, lineterminator="\n")
    return text.encode("utf-8-sig")


def _table_for_gis(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its object columns as text: lists comma-joined."""
    out = frame.copy()
    for name in out.columns:
        if out[name].dtype != object:
            continue
        out[name] = pd.array(
            [
                ",".join(map(str, v))
                if isinstance(v, list)
                else None
                if v is None or (np.isscalar(v) and pd.isna(v))
                else str(v)
                for v in out[name]
            ],
            dtype="string",
        )
    return out


def to_geojson(sel: Selection) -> bytes:
    """The selected buildings as GeoJSON (RFC 7946: WGS84, lon/lat).

    Returns
    -------
    bytes
        One FeatureCollection ``gebouwen``; see :func:`gis_frame`.
    """
    buffer = io.BytesIO()
    pyogrio.write_dataframe(
        gis_frame(sel).to_crs(4326),
        buffer,
        driver="GeoJSON",
        layer="gebouwen",
        layer_options={"RFC7946": "YES", "WRITE_BBOX": "NO"},
    )
    return buffer.getvalue()


def to_gpkg(sel: Selection) -> bytes:
    """The selection as a GeoPackage in RD New (EPSG:28992).

    Returns
    -------
    bytes
        Layer ``gebouwen`` (polygons, see :func:`gis_frame`), table
        ``kansen`` (the selected opportunities, one row per building ×
        measure, join on ``bag_pand_id``) and table ``velden`` (every field
        described, :func:`field_table`); Dutch field names.
    """
    # GDAL writes a second layer only to a file, not to a memory buffer.
    with tempfile.TemporaryDirectory(prefix="kansenkaart-") as folder:
        path = Path(folder) / "kansen.gpkg"
        for layer, table in (
            ("gebouwen", gis_frame(sel)),
            ("kansen", _opportunity_layer(sel)),
            ("velden", field_table(sel)),
        ):  # through Arrow: a quarter of the time of row by row
            pyogrio.write_dataframe(
                table, path, driver="GPKG", layer=layer, use_arrow=True
            )
        return path.read_bytes()


def to_geoparquet(sel: Selection) -> bytes:
    """The selected buildings as GeoParquet in RD New (EPSG:28992).

    The layer ``gebouwen`` of :func:`to_gpkg` (:func:`gis_frame`), columnar:
    a province of 100,000 buildings is written in about a second and read by
    QGIS, DuckDB and geopandas. The opportunities are in the GeoPackage and
    the CSV.
    """
    buffer = io.BytesIO()
    gis_frame(sel).to_parquet(buffer, index=False)
    return buffer.getvalue()


# --- HTML report -----------------------------------------------------------------

_CSS = """
body{font-family:system-ui,Segoe UI,Arial,sans-serif;margin:2rem auto;max-width:1280px;
padding:0 1rem;color:#1f1f1f}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #1f5f3f;padding-bottom:.2rem;
margin-top:2rem}
.meta{color:#555}.demo{background:#fff3cd;border:1px solid #e0c060;padding:.6rem 1rem;
border-radius:6px;font-weight:600}
.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:.8rem}
.figure{border:1px solid #ccc;border-radius:6px;padding:.6rem .8rem}
.figure .v{font-size:1.6rem;font-weight:700}.figure .h{color:#555;font-size:.85rem}
iframe{width:100%;height:560px;border:1px solid #ccc;border-radius:6px}
table{border-collapse:collapse;font-size:.85rem;width:100%}
th{background:#1f5f3f;color:#fff;text-align:left;position:sticky;top:0}
th,td{border:1px solid #ddd;padding:.25rem .4rem;vertical-align:top}
td.n{text-align:right;white-space:nowrap}tr:nth-child(even) td{background:#f6f8f6}
@media print{iframe{height:420px}th{position:static}}
"""


def _html_table(frame: pd.DataFrame, table_fields: tuple[Field, ...]) -> str:
    """A Dutch-formatted, escaped HTML table."""
    by_header = {f.header: f for f in table_fields}
    head = "".join(f"<th>{html.escape(str(name))}</th>" for name in frame.columns)
    columns = []
    for name in frame.columns:
        field = by_header.get(name)
        values = frame[name].to_numpy(dtype=object)
        if field is not None and field.kind in ("number", "int"):
            cells = [
                v
                if isinstance(v, str)
                else ""
                if pd.isna(v)
                else fmt.number(v, field.decimals)
                if field.kind == "number"
                else str(int(v))
                for v in values
            ]
            columns.append([f'<td class="n">{html.escape(c)}</td>' for c in cells])
        else:
            columns.append(
                [
                    f"<td>{'' if pd.isna(v) else html.escape(str(v))}</td>"
                    for v in values
                ]
            )
    body = "".join(f"<tr>{''.join(row)}</tr>" for row in zip(*columns, strict=True))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def report_maps(sel: Selection) -> list[tuple[str, str]]:
    """The two maps of the report: (title, standalone map HTML).

    Both draw the whole terrain as the variant may show it (the public
    variant hides sensitive figures); the opportunity map follows the
    selection's measure and scope.
    """
    private = sel.variant == privacy.OPENBAAR
    shown = sel.analysis.with_buildings(
        privacy.redact_buildings(sel.analysed, sel.variant, assumptions=sel.assumptions)
    )
    f = sel.filters
    current = maps.current_state_map(shown, "energy_label", private=private)
    chances = maps.opportunity_map(shown, f.scope, list(f.measures) or None)
    return [
        ("Huidige situatie: energielabels", maps.to_html(current)),
        ("Kansenkaart", maps.to_html(chances)),
    ]


def opportunity_map_html(
    analysis: Analysis, variant: str, scope: str, measures: Sequence[str]
) -> bytes:
    """The opportunity map of a filter as one HTML file ("Download kaart"),
    as the variant may show it: in the public variant the buildings of
    companies without consent carry only the measures that follow from
    public data (:func:`kansenkaart.engine.privacy.redact_buildings`), as in
    the report's map.

    Parameters
    ----------
    analysis : Analysis
    variant : {"openbaar", "intern"}
    scope : {"all", "individual", "collective"}
    measures : sequence of str
        Measure ids; empty shows every measure of ``scope``.
    """
    shown = analysis.with_buildings(
        privacy.redact_buildings(
            analysis.buildings, variant, assumptions=analysis.assumptions
        )
    )
    chances = maps.opportunity_map(shown, scope, list(measures) or None)
    return maps.to_html(chances).encode()


REPORT_MAX_BUILDINGS = 2_000
"""Above this many buildings on the terrain the HTML report summarises: key
figures, balance and the totals per measure, without the maps and the list
per company (at 100,000 buildings those would be some 100 MB of HTML that no
browser opens fluently); the Excel and CSV hold every row."""


def _report_summary_note(n_buildings: int) -> str:
    return (
        f"Dit terrein telt {fmt.number(n_buildings)} panden, meer dan "
        f"{fmt.number(REPORT_MAX_BUILDINGS)}: dit rapport vat daarom samen, zonder "
        "kaarten en zonder de lijst per bedrijf. Bekijk de kaart in de app en "
        "download de Excel of de CSV voor elke kans per bedrijf."
    )


def to_html(sel: Selection) -> bytes:
    """The offline report: one self-contained HTML file (UTF-8).

    Maps (Leaflet inlined; the background tiles need internet, the buildings
    do not), key figures, the energy balance and the opportunity tables of
    the selection. Every text from the data is escaped. A terrain of more
    than :data:`REPORT_MAX_BUILDINGS` buildings gets a summary: no maps and
    no list per company, with a note where to find them.

    Parameters
    ----------
    sel : Selection

    Returns
    -------
    bytes
    """
    t = sel.terrain
    e = html.escape
    parts = [
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Kansenkaart – {e(t.name)}</title><style>{_CSS}</style></head><body>",
        f"<h1>Kansenkaart – {e(t.name)}</h1>",
        f'<p class="meta">{e(privacy.VARIANTS[sel.variant])} · '
        f"{e('; '.join(sel.filters.describe()) or 'alle kansen')}</p>",
    ]
    if t.is_demo:
        parts.append(f'<p class="demo">{e(DEMO_TEXT)}</p>')
    parts.append(f"<p>{e(variant_note(sel))}</p>")
    parts.append('<h2>Kerncijfers</h2><div class="figures">')
    parts += [
        f'<div class="figure"><div>{e(f.label)}</div><div class="v">{e(f.text)}</div>'
        f'<div class="h">{e(f.help)}</div></div>'
        for f in key_figures(t)
    ]
    parts.append("</div><h2>Energiebalans 2035</h2><ul>")
    parts += [f"<li>{e(line)}</li>" for line in balance_sentences(sel)]
    parts.append("</ul><h2>Kaarten</h2>")
    large = len(t.buildings) > REPORT_MAX_BUILDINGS
    if large:
        parts.append(f"<p>{e(_report_summary_note(len(t.buildings)))}</p>")
    else:
        parts.append(
            "<p>De kaarten tonen alle panden van het terrein; de kansenkaart volgt "
            "de gekozen maatregelen en soort.</p>"
        )
    for title, page in [] if large else report_maps(sel):
        parts.append(
            f'<h3>{e(title)}</h3><iframe title="{e(title)}" srcdoc="{e(page)}">'
            "</iframe>"
        )
    for sheet in (MEASURE_SHEET,) if large else (MEASURE_SHEET, LIST_SHEET):
        parts.append(f"<h2>{e(sheet.title)}</h2>")
        parts.append(_html_table(sheet.frame(sel), sheet.fields))
    parts.append(
        '<p class="meta">Gemaakt met de Kansenkaart bedrijventerreinen (Leidraad '
        "Drenthe). Alle cijfers zijn indicatief.</p></body></html>"
    )
    return "".join(parts).encode("utf-8")


# --- Mijn pand ---------------------------------------------------------------


def survey_row_xlsx(
    analysis: Analysis,
    building_id: str,
    terrain_name: str = "",
    today: dt.date | None = None,
) -> bytes:
    """:func:`kansenkaart.engine.whatif.survey_row` as an Excel file.

    Sheet "Mijn pand" with the row, plus a sheet "Toelichting".

    Text cells are neutralised against formula injection and stripped of
    characters Excel refuses (:func:`kansenkaart.core.safety.safe_texts`); numbers
    stay numbers, the BAG id stays text (leading zeros).
    """
    frame = whatif.survey_row(analysis, building_id, today)
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title("Mijn pand")
    ws.append(list(frame.columns))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    values = []
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column):
            value = column.iloc[0]
            values.append(None if pd.isna(value) else float(value))
        else:
            value = safe_texts(column).iloc[0]
            values.append(None if pd.isna(value) else str(value))
    ws.append(values)
    for i, header in enumerate(frame.columns, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(
            12, min(45, len(str(header)) + 2)
        )
    note = wb.create_sheet(sheet_title("Toelichting"))
    date = (today or dt.date.today()).isoformat()
    lines = [
        "Gegevens van mijn pand, ingevuld in de Kansenkaart (pagina Mijn pand).",
        f"Terrein: {terrain_name or texts.UNKNOWN}. Datum: {date}.",
        "Verbruik dat de ondernemer zelf invult, staat als bron 'enquête'.",
        f"De kolom '{whatif.CORRECTED_HEADER}' noemt wat de ondernemer heeft "
        "veranderd.",
        "Stuur dit bestand naar de gemeente om de gegevens van het terrein bij te "
        "werken.",
    ]
    for line in safe_texts(pd.Series(lines)):
        note.append([line])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- formats -----------------------------------------------------------------


@dataclass(frozen=True)
class Format:
    """A download: Dutch label, file extension, MIME type and writer."""

    label: str
    extension: str
    mime: str
    write: Callable[[Selection], bytes]


FORMATS = {
    "xlsx": Format(
        "Excel",
        ".xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        to_xlsx,
    ),
    "csv": Format("CSV voor Excel (;)", ".csv", "text/csv", to_csv),
    "csv-plain": Format(
        "CSV (,)", ".csv", "text/csv", partial(to_csv, dialect="plain")
    ),
    "geojson": Format("GeoJSON", ".geojson", "application/geo+json", to_geojson),
    "gpkg": Format("GeoPackage", ".gpkg", "application/geopackage+sqlite3", to_gpkg),
    "geoparquet": Format(
        "GeoParquet", ".parquet", "application/vnd.apache.parquet", to_geoparquet
    ),
    "velden": Format("Veldbeschrijving GIS (CSV)", ".csv", "text/csv", to_field_csv),
    "html": Format("HTML-rapport", ".html", "text/html", to_html),
}
"""Format id -> :class:`Format`; the page and the CLI use the same writers."""


def export(sel: Selection, format_id: str) -> bytes:
    """The file of ``sel`` in ``format_id`` (a key of :data:`FORMATS`)."""
    if format_id not in FORMATS:
        raise ValueError(
            f"onbekend formaat '{format_id}'; kies uit {', '.join(FORMATS)}"
        )
    return FORMATS[format_id].write(sel)


def file_name(sel: Selection, format_id: str) -> str:
    """A descriptive file name: ``kansenlijst-de-punt-intern.xlsx``."""
    suffix = {"csv-plain": "-komma", "velden": "-velden"}.get(format_id, "")
    return (
        f"kansenlijst-{sel.terrain.id}-{sel.variant}{suffix}"
        f"{FORMATS[format_id].extension}"
    )
