"""Opportunity lists and exports for gemeente staff (Leidraad steps 3–5).

One selection, many files. :func:`select` applies a :class:`Filters` and a
privacy variant (:mod:`kansenkaart.engine.privacy`) to an analysed terrain; every
writer turns that :class:`Selection` into the bytes of one file, so the page
(``st.download_button``) and the CLI (``python -m kansenkaart export``) hand
out the same files:

========== =================================================================
format     contents
========== =================================================================
xlsx       Samenvatting, Kansen per bedrijf, Kansen per maatregel, Gebouwen,
           Aannames, Databronnen (:func:`to_xlsx`)
csv        the opportunities for Dutch Excel: ``;``, decimal comma, UTF-8
           with BOM, formula-safe (:func:`to_csv`)
csv-plain  the same with ``,`` and decimal point, UTF-8, values as they are
geojson    the selected buildings in WGS84 with every computed column
gpkg       the same in RD New (EPSG:28992), plus the opportunities as a table
html       one self-contained report with maps, key figures and the tables
========== =================================================================

Spreadsheet text is neutralised against formula injection (DESIGN.md
section 6) and every text in the HTML report is escaped.
"""

from __future__ import annotations

import html
import io
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import partial
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from kansenkaart.core import fmt, schema
from kansenkaart.core.assumptions import Assumptions, table
from kansenkaart.core.model import Analysis, Terrain
from kansenkaart.engine import measures, privacy
from kansenkaart.engine.grid import STATUS_LABELS
from kansenkaart.engine.opportunities import opportunity_list, terrain_balance
from kansenkaart.engine.summary import key_figures
from kansenkaart.views import maps

# --- filters ----------------------------------------------------------------

OBLIGATIONS = {
    "besparingsplicht": "energiebesparingsplicht",
    "informatieplicht": "informatieplicht",
    "onderzoeksplicht": "onderzoeksplicht",
    "label_c_required": "label C-plicht kantoor",
}
"""Obligation column -> Dutch name (filter choices)."""
INTEREST_CHOICES = (*schema.INTEREST, fmt.UNKNOWN)
OWNERSHIP_CHOICES = schema.OWNERSHIP
LABEL_CHOICES = (*schema.ENERGY_LABELS, fmt.UNKNOWN)
SCOPE_CHOICES = {"all": "alle", **measures.SCOPE_LABELS}


def measure_choices(scope: str = "all") -> dict[str, str]:
    """Measure id -> Dutch name of the catalogue measures in ``scope``."""
    return {m.id: m.name for m in measures.CATALOGUE if scope in ("all", m.scope)}


MEASURE_NAMES = measure_choices()


def _check(values, allowed, what: str) -> None:
    wrong = [v for v in values if v not in allowed]
    if wrong:
        raise ValueError(
            f"onbekende {what}: {', '.join(map(str, wrong))}; kies uit "
            f"{', '.join(map(str, allowed))}"
        )


@dataclass(frozen=True)
class Filters:
    """What to keep of the opportunity list; an empty choice keeps everything.

    Attributes
    ----------
    measures : tuple of str
        Measure ids (:data:`kansenkaart.engine.measures.CATALOGUE`).
    scope : {"all", "individual", "collective"}
    obligations : tuple of str
        Keys of :data:`OBLIGATIONS`: buildings with at least one of them.
    ownership : tuple of str
        Values of :data:`kansenkaart.core.schema.OWNERSHIP`; missing counts as
        ``onbekend``.
    interest : tuple of str
        Survey interest in the measure itself: ``ja``, ``misschien``,
        ``nee`` or ``onbekend`` (no answer, or not asked).
    kopgroep_only : bool
        Only the buildings the kopgroep ranking selects.
    labels : tuple of str
        Energy labels, or ``onbekend`` for buildings without one.

    Raises
    ------
    ValueError
        In Dutch, for a value outside the choices.
    """

    measures: tuple[str, ...] = ()
    scope: str = "all"
    obligations: tuple[str, ...] = ()
    ownership: tuple[str, ...] = ()
    interest: tuple[str, ...] = ()
    kopgroep_only: bool = False
    labels: tuple[str, ...] = ()

    def __post_init__(self):
        _check(self.measures, MEASURE_NAMES, "maatregel")
        _check([self.scope], SCOPE_CHOICES, "soort")
        _check(self.obligations, OBLIGATIONS, "verplichting")
        _check(self.ownership, OWNERSHIP_CHOICES, "eigendomssituatie")
        _check(self.interest, INTEREST_CHOICES, "interesse")
        _check(self.labels, LABEL_CHOICES, "energielabel")

    def used(self) -> set[str]:
        """Names of the criteria that narrow the selection."""
        default = Filters()
        return {
            f.name
            for f in fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        }

    def describe(self) -> list[str]:
        """The criteria in use, one Dutch line each (empty: everything)."""
        parts = {
            "measures": (
                "Maatregel",
                ", ".join(MEASURE_NAMES[m] for m in self.measures),
            ),
            "scope": ("Soort", SCOPE_CHOICES[self.scope]),
            "obligations": (
                "Verplichting",
                ", ".join(OBLIGATIONS[o] for o in self.obligations),
            ),
            "ownership": ("Eigendom", ", ".join(self.ownership)),
            "interest": ("Interesse (enquête)", ", ".join(self.interest)),
            "kopgroep_only": ("Kopgroep", "alleen de kopgroep"),
            "labels": ("Energielabel", ", ".join(self.labels)),
        }
        return [f"{parts[n][0]}: {parts[n][1]}" for n in parts if n in self.used()]


def _in(values: pd.Series, chosen, missing: str = fmt.UNKNOWN) -> np.ndarray:
    """``values`` (missing as ``missing``) is one of ``chosen``."""
    return values.astype("string").fillna(missing).isin(chosen).to_numpy(dtype=bool)


def _true(values: pd.Series) -> np.ndarray:
    return values.astype("boolean").to_numpy(dtype=bool, na_value=False)


def building_mask(analysed: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Buildings that pass the building criteria (ownership, label, ...)."""
    keep = np.ones(len(analysed), dtype=bool)
    if filters.ownership:
        keep &= _in(analysed["ownership"], filters.ownership)
    if filters.labels:
        keep &= _in(analysed["energy_label"], filters.labels)
    if filters.obligations:
        keep &= np.logical_or.reduce([_true(analysed[o]) for o in filters.obligations])
    if filters.kopgroep_only:
        keep &= _true(analysed["kopgroep_selected"])
    return keep


_ROW_CRITERIA = {"measures", "scope", "interest"}


def row_mask(opportunities: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Opportunities that pass the measure criteria (measure, scope, interest)."""
    keep = np.ones(len(opportunities), dtype=bool)
    if filters.measures:
        keep &= opportunities["measure_id"].isin(filters.measures).to_numpy()
    if filters.scope != "all":
        keep &= opportunities["scope"].eq(filters.scope).to_numpy(dtype=bool)
    if filters.interest:
        keep &= _in(opportunities["interest"], filters.interest)
    return keep


# --- selection ------------------------------------------------------------

FIGURES = ("kwp", "kwh_yr", "co2_kg_yr", "invest_eur")


@dataclass(frozen=True, eq=False)
class Selection:
    """A filtered, privacy-checked view of one terrain, ready to write.

    Attributes
    ----------
    analysis : Analysis
        The whole analysed terrain (for the maps and terrain figures); its
        ``terrain``, ``buildings`` and ``assumptions`` are also reachable as
        :attr:`terrain`, :attr:`analysed` and :attr:`assumptions`.
    filters : Filters
    variant : {"intern", "openbaar"}
    opportunities : DataFrame
        The selected rows of ``opportunity_list``, redacted for the variant
        (plus ``figures_hidden``).
    buildings : GeoDataFrame
        The selected buildings, redacted likewise.
    totals : DataFrame
        Per measure over the selected opportunities (see
        :func:`measure_summary`).
    """

    analysis: Analysis
    filters: Filters
    variant: str
    opportunities: pd.DataFrame
    buildings: gpd.GeoDataFrame
    totals: pd.DataFrame

    @property
    def terrain(self) -> Terrain:
        return self.analysis.terrain

    @property
    def analysed(self) -> gpd.GeoDataFrame:
        return self.analysis.buildings

    @property
    def assumptions(self) -> Assumptions:
        return self.analysis.assumptions


def measure_summary(
    opportunities: pd.DataFrame,
    assumptions: Assumptions,
    variant: str = privacy.INTERN,
    disclosing: bool = False,
) -> pd.DataFrame:
    """Totals per measure of an opportunity list, in catalogue order.

    Parameters
    ----------
    opportunities : DataFrame
        Rows of ``opportunity_list`` (any subset); not modified.
    assumptions : Assumptions
        For the smallest group shown (:func:`kansenkaart.engine.privacy.min_group`).
    variant : {"intern", "openbaar"}
        The public variant leaves out small totals, see
        :func:`kansenkaart.engine.privacy.redact_totals`.
    disclosing : bool
        The rows were selected with a private criterion.

    Returns
    -------
    DataFrame
        ``measure_id``, ``measure_name``, ``scope``, ``n_companies``, sums
        of ``kwp``, ``kwh_yr``, ``co2_kg_yr``, ``invest_eur`` (NA where the
        measure has no such figure or it is not shown), ``leidraad_step``,
        ``financing``, ``totals_shown`` and ``note`` (Dutch, why not).
        Only measures with at least one opportunity.
    """
    grouped = opportunities.groupby("measure_id", sort=False)
    sums = grouped[list(FIGURES)].sum(min_count=1)
    counts = grouped["building_id"].nunique()
    chosen = [m for m in measures.CATALOGUE if m.id in counts.index]
    ids = [m.id for m in chosen]
    out = pd.DataFrame(
        {
            "measure_id": pd.array(ids, dtype="string"),
            "measure_name": pd.array([m.name for m in chosen], dtype="string"),
            "scope": pd.array([m.scope for m in chosen], dtype="string"),
            "n_companies": pd.array(counts.reindex(ids).to_numpy(), dtype="Int64"),
        }
    )
    for name in FIGURES:
        out[name] = pd.array(sums[name].reindex(ids).to_numpy(), dtype="Float64")
    out["leidraad_step"] = pd.array([m.leidraad_step for m in chosen], dtype="Int64")
    out["financing"] = pd.array(["; ".join(m.financing) for m in chosen], "string")
    return privacy.redact_totals(out, FIGURES, variant, assumptions, disclosing)


def select(
    analysis: Analysis,
    filters: Filters | None = None,
    variant: str = privacy.INTERN,
    opportunities: pd.DataFrame | None = None,
) -> Selection:
    """Apply filters and a privacy variant to an analysed terrain.

    A building is selected when it passes the building criteria and, when a
    measure criterion is used, has at least one selected opportunity.

    Parameters
    ----------
    analysis : Analysis
        ``kk.analyse(terrain, assumptions)``; not modified.
    filters : Filters, optional
        Default: everything.
    variant : {"intern", "openbaar"}
    opportunities : DataFrame, optional
        ``opportunity_list(analysis)`` when already computed (the page
        caches it); computed here otherwise.

    Returns
    -------
    Selection
    """
    filters = filters or Filters()
    privacy.check_variant(variant)
    a, analysed = analysis.assumptions, analysis.buildings
    full = opportunity_list(analysis) if opportunities is None else opportunities
    keep = building_mask(analysed, filters)
    ids = analysed["building_id"].astype("string")
    rows = full[
        row_mask(full, filters) & full["building_id"].isin(ids[keep]).to_numpy()
    ]
    if filters.used() & _ROW_CRITERIA:
        keep &= ids.isin(rows["building_id"]).to_numpy()
    disclosing = privacy.selection_discloses(filters.used(), filters.obligations)
    return Selection(
        analysis=analysis,
        filters=filters,
        variant=variant,
        opportunities=privacy.redact_opportunities(rows, variant, a, disclosing),
        buildings=privacy.redact_buildings(analysed[keep], variant, disclosing),
        totals=measure_summary(rows, a, variant, disclosing),
    )


# --- tables with Dutch headers -----------------------------------------------


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Field:
    """One exported column.

    Attributes
    ----------
    name : str
        Column of the source table.
    label : str
        Dutch name; the header adds the unit: ``Zonpotentie (kWp)``.
    unit : str
    kind : {"text", "number", "int", "bool", "list"}
        ``int`` is written without thousands separator (years, counts);
        ``list`` is a list of measure ids, written as measure names.
    decimals : int
        Shown decimals of a number.
    values : dict, optional
        Code -> Dutch text (scope, grid status).
    missing : str
        Text for a missing value (numbers stay empty).
    """

    name: str
    label: str
    unit: str = ""
    kind: str = "text"
    decimals: int = 0
    values: dict | None = None
    missing: str = ""

    @property
    def header(self) -> str:
        """Column header: the label with a capital, then the unit."""
        text = _capital(self.label)
        return f"{text} ({self.unit})" if self.unit else text


def _schema_field(name: str, kind: str = "text", **options) -> Field:
    """A field named and unit-labelled as in the input schemas."""
    table_ = (
        schema.BUILDINGS
        if name in {c.name for c in schema.BUILDINGS.columns}
        else schema.SURVEY
    )
    column = table_.column(name)
    options = {"unit": column.unit, **options}
    return Field(name, column.label, kind=kind, **options)


_SCOPE = dict(values=measures.SCOPE_LABELS)
_UNKNOWN = dict(missing=fmt.UNKNOWN)

_FIGURE_FIELDS = (
    Field("kwp", "zonvermogen", "kWp", "number", 1),
    Field("kwh_yr", "opwek of besparing", "kWh/jaar", "number"),
    Field("co2_kg_yr", "CO₂-reductie", "kg/jaar", "number"),
    Field("invest_eur", "investering", "€", "number"),
)
LIST_FIELDS = (
    _schema_field("company"),
    _schema_field("address"),
    _schema_field("building_id"),
    Field("measure_name", "maatregel"),
    Field("scope", "soort", **_SCOPE),
    Field("reason", "toelichting"),
    Field("via_verhuurder", "via verhuurder", kind="bool"),
    *_FIGURE_FIELDS,
    Field("payback_yr", "terugverdientijd", "jaar", "number", 1),
    Field("interest", "interesse (enquête)", **_UNKNOWN),
    _schema_field("consent_werksessie", "bool"),
)
"""Columns of the sheet "Kansen per bedrijf" and of the CSV."""

MEASURE_FIELDS = (
    Field("measure_name", "maatregel"),
    Field("scope", "soort", **_SCOPE),
    Field("n_companies", "aantal bedrijven", kind="int"),
    *_FIGURE_FIELDS,
    Field("leidraad_step", "Leidraad-stap werkgroep", kind="int"),
    Field("financing", "financiering"),
    Field("note", "opmerking"),
)
"""Columns of the sheet "Kansen per maatregel"."""

_STATUS = dict(values=STATUS_LABELS, **_UNKNOWN)

BUILDING_FIELDS = (
    _schema_field("building_id"),
    _schema_field("company"),
    _schema_field("address"),
    _schema_field("postcode"),
    _schema_field("sector"),
    _schema_field("sbi_code"),
    _schema_field("building_use"),
    _schema_field("construction_year", "int", unit=""),
    _schema_field("floor_area_m2", "number"),
    _schema_field("office_area_m2", "number"),
    _schema_field("footprint_m2", "number"),
    _schema_field("ownership", **_UNKNOWN),
    _schema_field("energy_label", **_UNKNOWN),
    _schema_field("grid_connection", **_UNKNOWN),
    _schema_field("is_monument", "bool"),
    Field("elec_kwh_yr_est", "elektriciteitsverbruik", "kWh/jaar", "number"),
    Field("elec_source_used", "bron elektriciteitsverbruik", **_UNKNOWN),
    Field("gas_m3_yr_est", "gasverbruik", "m³/jaar", "number"),
    Field("gas_source_used", "bron gasverbruik", **_UNKNOWN),
    Field("demand_kwh_yr", "energieverbruik totaal", "kWh/jaar", "number"),
    Field("co2_kg_yr", "CO₂-uitstoot", "kg/jaar", "number"),
    _schema_field("pv_kwp_existing", "number", decimals=1),
    Field("roof_area_m2", "dakoppervlak", "m²", "number"),
    Field("usable_roof_m2", "bruikbaar dakoppervlak", "m²", "number"),
    Field("pv_panels", "extra zonnepanelen", "stuks", "int"),
    Field("pv_kwp_potential", "zonpotentie", "kWp", "number", 1),
    Field("pv_kwh_yr_potential", "opwek zonpotentie", "kWh/jaar", "number"),
    Field("pv_invest_eur_low", "investering zon, laag", "€", "number"),
    Field("pv_invest_eur_high", "investering zon, hoog", "€", "number"),
    Field("pv_payback_yr", "terugverdientijd zon", "jaar", "number", 1),
    Field("sde_eligible", "SDE++ mogelijk", kind="bool"),
    Field("besparingsplicht", "energiebesparingsplicht", kind="bool"),
    Field("informatieplicht", "informatieplicht", kind="bool"),
    Field("onderzoeksplicht", "onderzoeksplicht", kind="bool"),
    Field("label_c_required", "label C-plicht kantoor", kind="bool"),
    Field("label_c_ok", "voldoet aan label C", kind="bool"),
    Field("grid_afname_status", "netcapaciteit afname", **_STATUS),
    Field("grid_invoeding_status", "netcapaciteit invoeding", **_STATUS),
    Field("heat_source_name", "warmtebron binnen bereik"),
    Field("heat_source_m", "afstand warmtebron", "m", "number"),
    Field("airport_m", "afstand luchthaven", "m", "number"),
    Field("hub_cluster", "energy-hub-groep", kind="int"),
    Field("survey_answered", "enquête ingevuld", kind="bool"),
    _schema_field("kopgroep_interest", **_UNKNOWN),
    _schema_field("collective_willingness", "int"),
    _schema_field("consent_werksessie", "bool"),
    Field("kopgroep_selected", "kopgroep", kind="bool"),
    Field("kopgroep_reason", "reden kopgroep"),
    Field("n_measures", "aantal kansen", kind="int"),
    Field("measures", "kansen", kind="list"),
)
"""Columns of the sheet "Gebouwen"."""

_BOOL_TEXT = {True: "ja", False: "nee"}


def _text_values(field: Field, values: pd.Series) -> pd.Series:
    """A non-number column as Dutch text (missing stays missing)."""
    if field.kind == "bool":
        text = values.astype("boolean").map(_BOOL_TEXT, na_action="ignore")
        return text.astype("string").fillna(fmt.UNKNOWN)
    if field.kind == "list":
        joined = [
            ", ".join(MEASURE_NAMES.get(m, m) for m in ids)
            if isinstance(ids, list)
            else None
            for ids in values
        ]
        return pd.Series(joined, index=values.index, dtype="string")
    if field.values is not None:
        values = values.map(field.values, na_action="ignore")
    text = values.astype("string")
    return text.fillna(field.missing) if field.missing else text


def dutch_table(
    source: pd.DataFrame,
    table_fields: tuple[Field, ...],
    public: frozenset | None = None,
    for_file: bool = True,
) -> pd.DataFrame:
    """``source`` with the fields' columns, Dutch headers and Dutch texts.

    Numbers stay numbers; yes/no, codes and lists become Dutch text. Cells
    blanked by :mod:`kansenkaart.engine.privacy` (rows with ``figures_hidden``,
    fields outside ``public``) read :data:`~kansenkaart.engine.privacy.HIDDEN_TEXT`.

    Parameters
    ----------
    source : DataFrame
        Not modified.
    table_fields : tuple of Field
    public : frozenset, optional
        Fields shown for every company (privacy); default all.
    for_file : bool
        True: numbers keep their full value (a file shows the decimals through
        its number format) and blanked number cells read "niet getoond" too.
        False, for the screen: numbers are rounded to the field's decimals and
        blanked ones stay empty, so every number column stays sortable.

    Returns
    -------
    DataFrame
    """
    hidden = (
        _true(source[privacy.HIDDEN_COLUMN])
        if privacy.HIDDEN_COLUMN in source.columns
        else np.zeros(len(source), dtype=bool)
    )
    out = {}
    for field in table_fields:
        values = source[field.name]
        private = public is not None and field.name not in public and hidden.any()
        if field.kind in ("number", "int"):
            numbers = values.astype("Float64" if field.kind == "number" else "Int64")
            if not for_file:
                numbers = numbers.round(field.decimals)
            elif private:
                numbers = numbers.astype(object).mask(hidden, privacy.HIDDEN_TEXT)
            out[field.header] = numbers
            continue
        text = _text_values(field, values)
        out[field.header] = text.mask(hidden, privacy.HIDDEN_TEXT) if private else text
    return pd.DataFrame(out, index=source.index).reset_index(drop=True)


@dataclass(frozen=True)
class Sheet:
    """A table of a selection: title, fields and what is public."""

    title: str
    fields: tuple[Field, ...]
    source: Callable[[Selection], pd.DataFrame]
    public: frozenset | None = None

    def frame(self, sel: Selection, for_file: bool = True) -> pd.DataFrame:
        """The Dutch table of ``sel``; see :func:`dutch_table`."""
        return dutch_table(self.source(sel), self.fields, self.public, for_file)


LIST_SHEET = Sheet(
    "Kansen per bedrijf",
    LIST_FIELDS,
    lambda sel: sel.opportunities,
    privacy.PUBLIC_LIST_COLUMNS,
)
MEASURE_SHEET = Sheet("Kansen per maatregel", MEASURE_FIELDS, lambda sel: sel.totals)
BUILDING_SHEET = Sheet(
    "Gebouwen",
    BUILDING_FIELDS,
    lambda sel: sel.buildings,
    privacy.PUBLIC_BUILDING_COLUMNS,
)


def assumptions_table(a: Assumptions) -> pd.DataFrame:
    """The assumptions with Dutch headers: name, value, unit, source."""
    out = table(a).rename(columns=str.capitalize)
    out["Indicatief"] = out["Indicatief"].map(_BOOL_TEXT)
    return out[["Aanname", "Waarde", "Eenheid", "Bron", "Indicatief", "Sleutel"]]


_ORIGIN = {
    "buildings": "BAG (panden en verblijfsobjecten), adressenlijst gemeente / KvK, "
    "EP-online (energielabels), netbeheerder of enquête (verbruik)",
    "survey": "Enquête onder de ondernemers",
    "sources": "Gemeente, waterschap en bedrijven (RWZI, luchthaven, restwarmte)",
    "grid": "Capaciteitskaart netbeheerder",
    "projects": "Uitvoeringsagenda pMIEK, provincie Drenthe",
    "boundary": "IBIS bedrijventerreinen / gemeente",
}


def sources_table(sel: Selection) -> pd.DataFrame:
    """Sheet "Databronnen": every input table, its origin and size."""
    t = sel.terrain
    linked = int(t.survey["building_id"].notna().sum())
    notes = {"survey": f"{linked} antwoorden gekoppeld aan een pand"}
    rows = [
        (
            _capital(s.label),
            _ORIGIN[s.name] + (" — fictieve demodata" if t.is_demo else ""),
            len(getattr(t, s.name)),
            notes.get(s.name, ""),
        )
        for s in schema.ALL
    ]
    source = sel.analysed["demand_source"].astype("string").fillna(fmt.UNKNOWN)
    counts = source.value_counts()
    rows.append(
        (
            "Verbruik per pand",
            "gemeten, enquête of geschat (vloeroppervlak × kental per sector)",
            len(source),
            ", ".join(f"{k}: {v}" for k, v in counts.items()),
        )
    )
    rows.append(("Aannames", f"set '{sel.assumptions.label}'", None, "zie Aannames"))
    rows += [("Opmerking bij het laden", w, None, "") for w in t.warnings]
    if t.is_demo:
        rows.append(("Let op", t.meta.get("disclaimer", DEMO_TEXT), None, ""))
    out = pd.DataFrame(rows, columns=["Gegeven", "Bron", "Aantal rijen", "Toelichting"])
    return out.astype({"Aantal rijen": "Int64"})


DEMO_TEXT = (
    "Demodata – fictief: gebouwen, bedrijven, verbruik en enquêteantwoorden "
    "bestaan niet echt."
)
_VARIANT_NOTE = {
    privacy.INTERN: "Alle gegevens, alleen voor intern gebruik (gemeente, "
    "omgevingsdienst).",
    privacy.OPENBAAR: "Voor een werksessie: geen energiecijfers, verplichtingen of "
    "enquêteantwoorden van bedrijven zonder toestemming ('{hidden}'); geen "
    "totalen over minder dan {limit} bedrijven.",
}


def variant_note(sel: Selection) -> str:
    """What the variant shows, in Dutch."""
    return _VARIANT_NOTE[sel.variant].format(
        hidden=privacy.HIDDEN_TEXT, limit=privacy.min_group(sel.assumptions)
    )


def summary_rows(sel: Selection) -> list[tuple[str, str]]:
    """Sheet "Samenvatting" as (label, text) rows; ``("", "")`` is a blank line.

    Rows whose label ends in ``:`` head a block.
    """
    t = sel.terrain
    rows = [(f"Kansenlijst {t.name}", "")]
    if t.is_demo:
        rows.append(("Let op", f"{DEMO_TEXT} {t.meta.get('disclaimer', '')}".strip()))
    rows += [
        ("Gemeente", t.municipality or fmt.UNKNOWN),
        ("Energiecluster (pMIEK)", t.cluster or fmt.UNKNOWN),
        ("Variant", privacy.VARIANTS[sel.variant]),
        ("", variant_note(sel)),
        ("Selectie", "; ".join(sel.filters.describe()) or "alle kansen"),
        ("Kansen in de selectie", fmt.number(len(sel.opportunities))),
        ("Panden in de selectie", fmt.number(len(sel.buildings))),
        ("", ""),
        ("Kerncijfers terrein:", ""),
    ]
    rows += [(f.label, f.text) for f in key_figures(t)]
    rows += [("", ""), ("Energiebalans 2035 (hele terrein):", "")]
    rows += [("", line) for line in balance_sentences(sel)]
    rows += [
        ("", ""),
        ("Leeswijzer:", ""),
        ("Lege cel", "niet van toepassing of onbekend"),
        (privacy.HIDDEN_TEXT, "geen toestemming van het bedrijf (openbare variant)"),
        ("Cijfers", "indicatief; aannames en bronnen staan in Aannames en Databronnen"),
    ]
    return rows


def balance_sentences(sel: Selection) -> list[str]:
    """The terrain's energy balance in Dutch, or why it is not shown."""
    balance = terrain_balance(sel.analysis)
    if privacy.total_shown(balance.n_demand_known, sel.variant, sel.assumptions):
        return balance.sentences()
    return [
        "Niet getoond: minder dan "
        f"{privacy.min_group(sel.assumptions)} panden met een verbruikscijfer."
    ]


# --- spreadsheet safety -------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""A cell text starting with one of these gets a leading ``'`` (DESIGN §6)."""
MAX_SHEET_TITLE = 31


def safe_texts(values: pd.Series) -> pd.Series:
    """Text that a spreadsheet shows as text: no XML-illegal characters, and a
    leading ``'`` before a formula start (``=``, ``+``, ``-``, ``@``, tab, CR).
    """
    text = values.astype("string").str.replace(
        ILLEGAL_CHARACTERS_RE.pattern, "", regex=True
    )
    return text.mask(text.str.startswith(FORMULA_START).fillna(False), "'" + text)


def sheet_title(title: str) -> str:
    """A valid sheet title: no ``[]:*?/\\``, at most 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "", title)[:MAX_SHEET_TITLE] or "Blad"


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
) -> None:
    """One sheet: styled header, frozen, autofilter, widths, number formats."""
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
    columns = [_cells(ws, frame[name], by_header.get(name)) for name in frame.columns]
    for row in zip(*columns, strict=True):
        ws.append(row)


def _cells(ws, values: pd.Series, field: Field | None) -> list:
    """One column as cell values: numbers with the field's number format,
    texts formula-safe, missing values empty."""
    numeric = (
        field.kind in ("number", "int")
        if field is not None
        else pd.api.types.is_numeric_dtype(values.dtype)
    )
    if not numeric:
        text = safe_texts(values)
        return text.astype(object).where(text.notna(), None).tolist()
    number = int if field is not None and field.kind == "int" else float
    template = _styled(ws, None, number_format=_number_format(field))._style
    return [
        v  # privacy.HIDDEN_TEXT in a blanked cell
        if isinstance(v, str)
        else None
        if pd.isna(v)
        else Cell(ws, 1, 1, number(v), template)
        for v in values.to_numpy(dtype=object)
    ]


def _write_pairs(wb: Workbook, title: str, rows: list[tuple[str, str]]) -> None:
    """The Samenvatting: labels in column A, texts in B; blocks in bold."""
    ws = wb.create_sheet(sheet_title(title))
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 110
    labels, texts = (
        safe_texts(pd.Series(column, dtype="string")).tolist()
        for column in zip(*rows, strict=True)
    )
    wrap = Alignment(wrap_text=True)
    for index, (label, text) in enumerate(zip(labels, texts, strict=True)):
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
    Gebouwen, Aannames, Databronnen. Every table has a styled, frozen
    header row with an autofilter, column widths from its contents and
    number formats; units are in the Dutch headers. Texts are
    formula-safe (:func:`safe_texts`).

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
    for sheet in (LIST_SHEET, MEASURE_SHEET, BUILDING_SHEET):
        _write_table(wb, sheet.title, sheet.frame(sel), sheet.fields)
    _write_table(wb, "Aannames", assumptions_table(sel.assumptions))
    _write_table(wb, "Databronnen", sources_table(sel))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


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
        else:
            out[name] = safe_texts(values) if spec["safe"] else values
    text = pd.DataFrame(out).to_csv(sep=spec["sep"], index=False, lineterminator="\n")
    return text.encode(spec["encoding"])


# --- GIS -------------------------------------------------------------------------


def gis_frame(sel: Selection) -> gpd.GeoDataFrame:
    """The selected buildings with every column, ready for a GIS file.

    Lists (``measures``) become comma-joined ids and other untyped columns
    (extra columns of an uploaded file) text; typed columns keep their
    nullable types, written as null where missing. Field names are the column
    identifiers, which QGIS and ArcGIS accept as they are (letters, digits,
    ``_``). Geometry in RD New.
    """
    return _table_for_gis(sel.buildings)


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
        Layer ``gebouwen`` (polygons, see :func:`gis_frame`) and table
        ``kansen`` (the selected opportunities, one row per building ×
        measure, join on ``building_id``).
    """
    # GDAL writes a second layer only to a file, not to a memory buffer.
    with tempfile.TemporaryDirectory(prefix="kansenkaart-") as folder:
        path = Path(folder) / "kansen.gpkg"
        pyogrio.write_dataframe(gis_frame(sel), path, driver="GPKG", layer="gebouwen")
        pyogrio.write_dataframe(
            _table_for_gis(sel.opportunities), path, driver="GPKG", layer="kansen"
        )
        return path.read_bytes()


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
        privacy.redact_buildings(sel.analysed, sel.variant)
    )
    f = sel.filters
    current = maps.current_state_map(shown, "energy_label", private=private)
    chances = maps.opportunity_map(shown, f.scope, list(f.measures) or None)
    return [
        ("Huidige situatie: energielabels", maps.to_html(current)),
        ("Kansenkaart", maps.to_html(chances)),
    ]


def to_html(sel: Selection) -> bytes:
    """The offline report: one self-contained HTML file (UTF-8).

    Maps (Leaflet inlined; the background tiles need internet, the buildings
    do not), key figures, the energy balance and the opportunity tables of
    the selection. Every text from the data is escaped.

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
    parts.append(
        "<p>De kaarten tonen alle panden van het terrein; de kansenkaart volgt de "
        "gekozen maatregelen en soort.</p>"
    )
    for title, page in report_maps(sel):
        parts.append(
            f'<h3>{e(title)}</h3><iframe title="{e(title)}" srcdoc="{e(page)}">'
            "</iframe>"
        )
    for sheet in (MEASURE_SHEET, LIST_SHEET):
        parts.append(f"<h2>{e(sheet.title)}</h2>")
        parts.append(_html_table(sheet.frame(sel), sheet.fields))
    parts.append(
        '<p class="meta">Gemaakt met de Kansenkaart bedrijventerreinen (Leidraad '
        "Drenthe). Alle cijfers zijn indicatief.</p></body></html>"
    )
    return "".join(parts).encode("utf-8")


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
    suffix = "-komma" if format_id == "csv-plain" else ""
    return (
        f"kansenlijst-{sel.terrain.id}-{sel.variant}{suffix}"
        f"{FORMATS[format_id].extension}"
    )
