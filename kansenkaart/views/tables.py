"""The tables of a selection with Dutch headers, units and texts.

:class:`Field` describes one exported column (Dutch label, unit, kind);
:func:`dutch_table` turns a source table into what a user reads, with the
privacy blanking of :mod:`kansenkaart.engine.privacy`. The :class:`Sheet`
constants are the tables of the Kansenlijsten page and of every export
(:mod:`kansenkaart.views.export`); the summary and source rows fill the
workbook's Samenvatting and Databronnen.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kansenkaart.core import fmt, schema, texts
from kansenkaart.core.assumptions import Assumptions, table
from kansenkaart.core.values import mask
from kansenkaart.engine import measures, privacy
from kansenkaart.engine.opportunities import terrain_balance
from kansenkaart.engine.summary import key_figures
from kansenkaart.views.selection import MEASURE_NAMES, Selection


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
_UNKNOWN = dict(missing=texts.UNKNOWN)

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
    Field("kwp", "zonvermogen", "kWp", "number", 1),
    Field("elec_kwh_yr", "stroom opgewekt of bespaard", "kWh/jaar", "number"),
    Field("gas_m3_yr", "gas bespaard of vervangen", "m³/jaar", "number"),
    Field("co2_kg_yr", "CO₂-reductie", "kg/jaar", "number"),
    Field("savings_eur_yr", "lagere energiekosten", "€/jaar", "number"),
    Field("invest_eur", "investering", "€", "number"),
    Field("payback_yr", "terugverdientijd", "jaar", "number", 1),
    Field("subsidy", "regeling voor dit pand"),
    Field("basis", "basis cijfers"),
    Field("interest", "interesse (enquête)", **_UNKNOWN),
    _schema_field("consent_werksessie", "bool"),
)
"""Columns of the sheet "Kansen per bedrijf" and of the CSV: per building and
measure the impact (electricity and gas, CO₂, € per year, investment, payback),
the scheme that fits the building and the basis of the figures."""

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

_STATUS = dict(values=texts.GRID_STATUS_TEXTS, **_UNKNOWN)

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

_BOOL_TEXT = {True: texts.YES, False: texts.NO}


def _text_values(field: Field, values: pd.Series) -> pd.Series:
    """A non-number column as Dutch text (missing stays missing)."""
    if field.kind == "bool":
        text = values.astype("boolean").map(_BOOL_TEXT, na_action="ignore")
        return text.astype("string").fillna(texts.UNKNOWN)
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
        mask(source[privacy.HIDDEN_COLUMN])
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
    source = sel.analysed["demand_source"].astype("string").fillna(texts.UNKNOWN)
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
        ("Gemeente", t.municipality or texts.UNKNOWN),
        ("Energiecluster (pMIEK)", t.cluster or texts.UNKNOWN),
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
