"""The contract of every column that :func:`kansenkaart.analyse` adds.

``kk.analyse(terrain).buildings`` is the terrain's buildings table with its
columns unchanged and in order, followed by the computed columns of
:data:`COLUMNS` in that order. After :func:`kansenkaart.load_terrain` the input
columns are those of :data:`kansenkaart.core.schema.BUILDINGS` (DESIGN.md
section 4.1), then any extra columns of the file, then ``geometry``
(:data:`INPUT_COLUMNS` without the extras). A computed column replaces an
input column of the same name.

Per computed column the contract gives the pandas dtype as it comes out of
``analyse`` (nullable dtypes; NA where unknown, never a guessed False), the
unit, the meaning, the function that computes it and, for categorical
columns, the values it may hold. Dutch labels are not repeated here:
``label_ref`` says where a column's label lives (the survey schema, whose
label is also in ``label``, or ``views.tables.BUILDING_FIELDS``).

``tests/test_columns.py`` analyses every demo terrain against :func:`check`;
``docs/COLUMNS.md`` is generated from :func:`contract_markdown` by running
``python -m kansenkaart.core.columns > docs/COLUMNS.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from kansenkaart.core import texts
from kansenkaart.core.schema import BUILDINGS, DATA_SOURCES, SURVEY, empty_column


@dataclass(frozen=True)
class ComputedColumn:
    """One computed column of the analysed buildings table.

    ``dtype`` is ``str(series.dtype)`` as ``analyse`` returns it (``object``:
    a list per row); ``unit`` is ``-`` for none; ``meaning`` is one English
    line for developers; ``producer`` is the function that computes it,
    relative to the package. ``values`` are the allowed values of a
    categorical column (NA is always allowed), ``values_note`` says what they
    mean. ``label_ref`` says where the Dutch label lives (empty: none yet) and
    ``label`` holds it when it lives in :mod:`kansenkaart.core.schema`.
    """

    name: str
    dtype: str
    unit: str
    meaning: str
    producer: str
    values: tuple = ()
    values_note: str = ""
    label_ref: str = ""
    label: str = ""


C = ComputedColumn
EXPORT = "views.tables.BUILDING_FIELDS"
"""``label_ref`` of the columns labelled in the export's "Gebouwen" sheet."""
SURVEY_REF = "core.schema.SURVEY"
"""``label_ref`` of the survey answers."""

INPUT_COLUMNS = (*(c.name for c in BUILDINGS.columns), "geometry")
"""Input columns that pass through unchanged (schema BUILDINGS + geometry)."""

DEMAND_CATEGORIES = ("kantoor", "winkel", "hal", "autobedrijf")
"""Values of ``demand_category``: the building categories with their own
intensity (``elec_kwh_m2_<category>`` in the assumptions); the engine uses
this tuple (``engine.energy``)."""
ROOF_BASES = ("3D BAG", "footprint", "polygoon")
"""Values of ``roof_basis``: what the roof area rests on (``engine.solar``)."""
GRID_STATUSES = tuple(texts.GRID_STATUS)
"""Capaciteitskaart statuses 0–3 (DESIGN.md 4.4); Dutch: ``core.texts.GRID_STATUS``."""

_SOURCE_NOTE = "gemeten = measured, enquête = from the survey, geschat = estimated"
_STATUS_NOTE = (
    "0 capacity available, 1 limited, 2 under study / queue, 3 shortage; "
    "Dutch in core.texts.GRID_STATUS"
)
_DEMAND = "engine.energy.demand"
_SOLAR = "engine.solar.potential"
_OBLIGATIONS = "engine.obligations.obligations"
_GRID = "engine.grid.capacity"
_COUPLING = "engine.coupling.coupling"
_HUB = "engine.coupling.neighbour_clusters"
_SURVEY = "engine.opportunities.survey_answers"
_MEASURES = "engine.measures.relevance"
_KOPGROEP = "engine.kopgroep.rank"


def _source(name: str, what: str, label_ref: str = "") -> ComputedColumn:
    return C(name, "string", "-", what, _DEMAND, DATA_SOURCES, _SOURCE_NOTE, label_ref)


def _status(name: str, direction: str) -> ComputedColumn:
    return C(
        name,
        "Int64",
        "-",
        f"Capaciteitskaart {direction} status of the grid area the building is "
        "in (worst where areas overlap); NA outside every area",
        _GRID,
        GRID_STATUSES,
        _STATUS_NOTE,
        EXPORT,
    )


_SURVEY_KEYS = ("building_id", "postcode", "house_number", "company")
_SURVEY_MEANING = {
    "respondent_role": "role of the respondent (free text)",
    "collective_willingness": "willingness for collective action, 1–5",
    "planned_investments": "planned investments (free text)",
    "kopgroep_interest": "interest in joining the kopgroep",
    "consent_werksessie": "consent to show the company's data in a werksessie",
}


def _survey_column(column) -> ComputedColumn:
    """The contract of a survey answer, taken from schema SURVEY."""
    measure = column.name.removeprefix("interest_")
    what = _SURVEY_MEANING.get(column.name, f"interest in measure {measure}")
    if column.allowed:
        values, note = column.allowed, ""
    elif column.min is not None and column.max is not None:
        values = tuple(range(int(column.min), int(column.max) + 1))
        note = "higher is more willing"
    else:
        values, note = (), ""
    return C(
        column.name,
        str(empty_column(column, pd.RangeIndex(0)).dtype),
        column.unit or "-",
        f"Survey answer (first linked survey row): {what}; NA without one",
        _SURVEY,
        values,
        note,
        SURVEY_REF,
        column.label,
    )


COLUMNS: tuple[ComputedColumn, ...] = (
    # energy (engine/energy.py)
    C("demand_category", "string", "-", "Intensity category of the demand "
      "estimate: sector text first, else first BAG use, else hal", _DEMAND,
      DEMAND_CATEGORIES, "CBS Energiekentallen categories"),
    C("elec_kwh_yr_est", "Float64", "kWh/jaar", "Electricity demand used: "
      "elec_kwh_yr where given, else floor area × intensity per category; NA "
      "without either", _DEMAND, label_ref=EXPORT),
    _source("elec_source_used", "Source of elec_kwh_yr_est: the input "
            "elec_source (gemeten when blank), geschat for an estimate", EXPORT),
    C("gas_m3_yr_est", "Float64", "m³/jaar", "Gas demand used: gas_m3_yr "
      "where given, else floor area × intensity per category; NA without "
      "either", _DEMAND, label_ref=EXPORT),
    _source("gas_source_used", "Source of gas_m3_yr_est, as elec_source_used",
            EXPORT),
    C("demand_kwh_yr", "Float64", "kWh/jaar", "Total demand: electricity + gas "
      "as kWh-equivalent (gas_kwh_per_m3, lower heating value)", _DEMAND,
      label_ref=EXPORT),
    _source("demand_source", "Weakest source of the two parts: geschat when "
            "any part is estimated, else enquête when any is from the survey, "
            "else gemeten"),
    C("heat_demand_kwh_yr", "Float64", "kWh/jaar", "Useful heat delivered by "
      "the gas: m³ × gas_kwh_per_m3 × boiler_efficiency", _DEMAND),
    C("co2_kg_yr", "Float64", "kg CO2/jaar", "CO2 of the demand: kWh × "
      "co2_elec_kg_per_kwh + m³ × co2_gas_kg_per_m3 (ISSO 82 / "
      "CO2emissiefactoren)", _DEMAND, label_ref=EXPORT),
    # solar (engine/solar.py)
    C("roof_area_m2", "Float64", "m²", "Roof area: 3D BAG roof_flat_m2 + "
      "roof_sloped_m2 (sloped planes as measured) where given, else "
      "footprint_m2, else the area of the RD polygon", _SOLAR, label_ref=EXPORT),
    C("roof_basis", "string", "-", "What roof_area_m2 rests on", _SOLAR,
      ROOF_BASES, "3D BAG roof areas, the footprint_m2 input, or the polygon"),
    C("roof_type_assumed", "boolean", "-", "roof_type is missing in the input, "
      "so the roof was computed as flat", _SOLAR),
    C("usable_roof_m2", "Float64", "m²", "Roof area that can carry panels: "
      "flat × flat_usable_fraction, pitched: south half of the sloped surface "
      "(3D BAG: roof_sloped_m2 as published, no cos(pitch)) "
      "× pitched_coverage_fraction", _SOLAR, label_ref=EXPORT),
    C("pv_panels_roof", "Int64", "stuks", "Whole panels that fit on the usable "
      "roof area", _SOLAR),
    C("pv_kwp_roof", "Float64", "kWp", "Peak capacity of the new panels the "
      "roof can carry beside the existing ones (pv_panels_roof − panels of "
      "pv_kwp_existing, at least 0), before the connection and grid caps",
      _SOLAR),
    C("pv_panels", "Int64", "stuks", "Advised new panels: those on the roof "
      "beside the existing ones, capped by the connection (kleinverbruik ≤ "
      "kleinverbruik_max_kw incl. existing) and, for grootverbruik where feed-in "
      "status ≥ pv_feed_in_congested_status, sized to own use", _SOLAR,
      label_ref=EXPORT),
    C("pv_kwp_potential", "Float64", "kWp", "Peak capacity of the advised new "
      "panels (pv_panels × panel_wp / 1000); unknown existing capacity counts "
      "as none", _SOLAR, label_ref=EXPORT),
    C("pv_limit", "string", "-", "What limits the advised solar (Dutch)",
      _SOLAR, texts.PV_LIMITS, "roof, connection (kleinverbruik), feed-in "
      "congestion (sized to own use), or no room left on the roof"),
    C("pv_kwh_yr_potential", "Float64", "kWh/jaar", "Yearly generation of the "
      "advised new panels (kWp × yield_kwh_per_kwp)", _SOLAR, label_ref=EXPORT),
    C("pv_kwh_yr_existing", "Float64", "kWh/jaar", "Yearly generation of the "
      "existing panels (pv_kwp_existing × yield_kwh_per_kwp)", _SOLAR),
    C("pv_invest_eur_low", "Float64", "€", "Investment in pv_kwp_potential at "
      "pv_cost_low_eur_per_wp (excl. btw)", _SOLAR, label_ref=EXPORT),
    C("pv_invest_eur_high", "Float64", "€", "Investment in pv_kwp_potential at "
      "pv_cost_high_eur_per_wp (excl. btw)", _SOLAR, label_ref=EXPORT),
    C("pv_self_use_share", "Float64", "-", "Share of the new generation used on "
      "site: own use of existing + new minus that of the existing panels, own "
      "use = min(pv_self_use_max_fraction × generation, pv_daytime_demand_share "
      "× demand); NA without generation", _SOLAR),
    C("pv_savings_eur_yr", "Float64", "€/jaar", "Yearly savings after the end "
      "of saldering (1 January 2027): self-used kWh at the connection's price, "
      "the rest at feed_in_eur_per_kwh", _SOLAR),
    C("pv_payback_yr", "Float64", "jaar", "Simple payback: mean investment / "
      "yearly savings; NA without savings", _SOLAR, label_ref=EXPORT),
    C("pv_co2_avoided_kg_yr", "Float64", "kg CO2/jaar", "CO2 avoided by the new "
      "generation (kWh × co2_elec_kg_per_kwh)", _SOLAR),
    C("pv_share_of_demand", "Float64", "-", "New generation / electricity "
      "demand (may exceed 1); NA when the demand is 0 or unknown", _SOLAR),
    C("sde_eligible", "boolean", "-", "SDE++: pv_kwp_potential ≥ sde_min_kwp on "
      "a grootverbruik connection (RVO); NA when one is unknown and the other "
      "holds",
      _SOLAR, label_ref=EXPORT),
    # obligations (engine/obligations.py); estimated demand counts
    C("besparingsplicht", "boolean", "-", "Energiebesparingsplicht: electricity "
      "≥ besparingsplicht_kwh or gas ≥ besparingsplicht_gas_m3 a year; NA when "
      "undecidable", _OBLIGATIONS, label_ref=EXPORT),
    C("besparingsplicht_basis", "string", "-", "Data the besparingsplicht "
      "verdict rests on (gemeten > enquête > geschat); NA with the verdict",
      _OBLIGATIONS, DATA_SOURCES, _SOURCE_NOTE),
    C("informatieplicht", "boolean", "-", "Informatieplicht (report every 4 "
      "years): the same companies as besparingsplicht", _OBLIGATIONS,
      label_ref=EXPORT),
    C("onderzoeksplicht", "boolean", "-", "Onderzoeksplicht: electricity ≥ "
      "onderzoeksplicht_kwh or gas ≥ onderzoeksplicht_gas_m3 a year",
      _OBLIGATIONS, label_ref=EXPORT),
    C("label_c_required", "boolean", "-", "Label C for offices applies: office "
      "area ≥ label_c_min_office_m2 and ≥ label_c_min_office_share of the floor "
      "area, not a monument (NA read as no); NA where uses or areas are "
      "unknown", _OBLIGATIONS, label_ref=EXPORT),
    C("label_c_ok", "boolean", "-", "Registered energy label is C or better; "
      "NA without a label", _OBLIGATIONS, label_ref=EXPORT),
    # grid (engine/grid.py)
    C("grid_area_id", "string", "-", "area_id of the grid capacity area holding "
      "the building's representative point; NA outside every area", _GRID),
    _status("grid_afname_status", "offtake (afname)"),
    _status("grid_invoeding_status", "feed-in (invoeding)"),
    # coupling (engine/coupling.py); distances in RD metres, 0 when touching
    C("nearest_source_id", "string", "-", "source_id of the nearest coupling "
      "source of any kind; NA without sources", _COUPLING),
    C("nearest_source_m", "Float64", "m", "Distance from the building to that "
      "source", _COUPLING),
    C("heat_source_id", "string", "-", "source_id of the nearest heat source "
      "(rwzi, restwarmte, biogas)", _COUPLING),
    C("heat_source_name", "string", "-", "Name of that heat source", _COUPLING,
      label_ref=EXPORT),
    C("heat_source_m", "Float64", "m", "Distance to that heat source",
      _COUPLING, label_ref=EXPORT),
    C("heat_source_in_range", "boolean", "-", "That heat source is within its "
      "kind's radius (coupling_radius_*); False without a heat source",
      _COUPLING),
    C("airport_name", "string", "-", "Name of the nearest luchthaven source",
      _COUPLING),
    C("airport_m", "Float64", "m", "Distance to that airport", _COUPLING,
      label_ref=EXPORT),
    C("airport_in_range", "boolean", "-", "That airport is within "
      "coupling_radius_luchthaven_m; False without an airport", _COUPLING),
    C("coupling_source_id", "string", "-", "source_id with the best chance "
      "score", _COUPLING),
    C("coupling_score", "Float64", "-", "Koppelscore 0–1, best over the sources: "
      "distance decay max(0, 1 − d/r) × matching demand D / (D + "
      "coupling_ref_*); heat demand for heat sources, electricity for the "
      "others; NA where the demand is unknown", _COUPLING),
    C("hub_cluster", "Int64", "-", "Cluster (1 = largest) of buildings on a "
      "congested grid (status ≥ 1) within hub_neighbour_m of each other; NA "
      "when in none", _HUB, label_ref=EXPORT),
    C("hub_cluster_size", "Int64", "-", "Buildings in that cluster", _HUB),
    # survey answers (schema SURVEY), then whether a survey row is linked
    *(_survey_column(c) for c in SURVEY.columns if c.name not in _SURVEY_KEYS),
    C("survey_answered", "boolean", "-", "A survey row is linked to the "
      "building", _SURVEY, label_ref=EXPORT),
    # collective groups (engine/groups.py)
    C("collective_groups", "object", "-", "List of the ids of the collective "
      "groups the building is a member of (<measure id>-<n>, rows of "
      "Analysis.groups); empty list for none", "engine.groups.membership",
      values_note="group ids of Analysis.groups"),
    # measures (engine/measures.py, via engine.opportunities.analyse)
    C("measures", "object", "-", "List of the ids of the measures that apply, "
      "in catalogue order (empty list for none)", _MEASURES,
      values_note="ids of engine.measures.CATALOGUE", label_ref=EXPORT),
    C("n_measures", "Int64", "-", "Number of measures that apply", _MEASURES,
      label_ref=EXPORT),
    # kopgroep (engine/kopgroep.py)
    C("kopgroep_score", "Float64", "punten", "Weighted kopgroep answer, measure "
      "interest, interest in an own collective group, willingness and "
      "potential (weights kopgroep_weight_*)",
      _KOPGROEP),
    C("kopgroep_rank", "Int64", "-", "Place by kopgroep_score (1 = first)",
      _KOPGROEP),
    C("kopgroep_selected", "boolean", "-", "Proposed for the kopgroep: in the "
      "top kopgroep_share and did not answer nee", _KOPGROEP, label_ref=EXPORT),
    C("kopgroep_reason", "string", "-", "Why, in Dutch (place, answers, the "
      "own groups of interest, potential, use)", _KOPGROEP, label_ref=EXPORT),
)  # fmt: skip
"""Every computed column, in the order ``analyse`` returns them."""

NAMES = tuple(c.name for c in COLUMNS)
BY_NAME = {c.name: c for c in COLUMNS}


def expected_columns(input_columns: Iterable[str] = INPUT_COLUMNS) -> list[str]:
    """Column names of ``analyse(...).buildings``, in order, for these inputs."""
    return [c for c in input_columns if c not in BY_NAME] + list(NAMES)


def _outside(values: pd.Series, allowed) -> list:
    """The distinct non-missing values (list elements too) not in ``allowed``."""
    present = values.dropna()
    if values.dtype == object:
        lists = [v for v in present if isinstance(v, list | tuple)]
        present = pd.Series([x for v in lists for x in v], dtype=object)
    wrong = present[~present.isin(list(allowed))]
    return sorted(set(map(str, wrong)))


def check(
    frame: pd.DataFrame,
    input_columns: Iterable[str] = INPUT_COLUMNS,
    allowed: Mapping[str, Iterable] | None = None,
) -> list[str]:
    """Every way ``frame`` (``analyse(terrain).buildings``) breaks the contract.

    ``input_columns`` are the terrain's buildings columns (default: what
    ``load_terrain`` gives); ``allowed`` adds allowed values the core cannot
    know, e.g. ``{"measures": catalogue ids}``. Returns one English sentence
    per problem, naming the column; empty when the contract holds.
    """
    allowed = {**{c.name: c.values for c in COLUMNS if c.values}, **(allowed or {})}
    expected = expected_columns(input_columns)
    have = [str(c) for c in frame.columns]
    twice = {n for n in have if have.count(n) > 1}
    problems = [f"column '{n}' is missing" for n in expected if n not in have]
    problems += [
        f"column '{n}' is not in the contract" for n in have if n not in expected
    ]
    problems += [f"column '{n}' appears more than once" for n in sorted(twice)]
    if not problems and have != expected:
        pairs = enumerate(zip(have, expected, strict=False))
        at = next(i for i, (x, y) in pairs if x != y)
        problems.append(f"column '{have[at]}' is at the place of '{expected[at]}'")
    for column in (c for c in COLUMNS if c.name in have and c.name not in twice):
        values, name = frame[column.name], column.name
        if str(values.dtype) != column.dtype:
            problems.append(f"column '{name}' is {values.dtype}, not {column.dtype}")
        if column.dtype == "object" and not all(isinstance(v, list) for v in values):
            problems.append(f"column '{name}' does not hold a list in every row")
        wrong = _outside(values, allowed[name]) if name in allowed else []
        if wrong:
            problems.append(
                f"column '{name}' holds {', '.join(wrong[:5])}: not allowed"
            )
    return problems


def _cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _values_cell(column: ComputedColumn) -> str:
    listed = ", ".join(f"`{v}`" for v in column.values)
    return "; ".join(p for p in (listed, column.values_note) if p) or "–"


def _label_cell(column: ComputedColumn) -> str:
    if column.label:
        return column.label
    return f"in `{column.label_ref}`" if column.label_ref else "–"


def contract_markdown() -> str:
    """The contract as Markdown: the text of ``docs/COLUMNS.md``."""
    lines = [
        "_Generated from `kansenkaart/core/columns.py` by "
        "`python -m kansenkaart.core.columns > docs/COLUMNS.md`; "
        "do not edit by hand._",
        "",
        "# Output columns of `analyse`",
        "",
        "`kk.analyse(terrain).buildings` is the terrain's buildings table, its "
        "columns unchanged and in order, followed by the computed columns below "
        "in this order. After `kk.load_terrain` the input columns are those of "
        "the schema `kansenkaart.core.schema.BUILDINGS` (DESIGN.md 4.1), any "
        "extra columns of the file, and `geometry` (EPSG:28992):",
        "",
        ", ".join(f"`{name}`" for name in INPUT_COLUMNS) + ".",
        "",
        "A computed column replaces an input column of the same name. Computed "
        "columns use nullable dtypes and are NA where unknown, never a guessed "
        "False. Names in the meanings such as `yield_kwh_per_kwp` are settings "
        "of `kansenkaart.core.assumptions` (value, unit and source there). "
        "Dutch labels live where the column says; `tests/test_columns.py` "
        "checks this contract against every demo terrain.",
        "",
        f"## Computed columns ({len(COLUMNS)})",
    ]
    header = "| column | dtype | unit | meaning | values | Dutch label |"
    for producer in dict.fromkeys(c.producer for c in COLUMNS):
        lines += ["", f"### `{producer}`", "", header, "|---" * 6 + "|"]
        lines += [
            f"| `{c.name}` | {c.dtype} | {c.unit} | {_cell(c.meaning)} | "
            f"{_cell(_values_cell(c))} | {_cell(_label_cell(c))} |"
            for c in COLUMNS
            if c.producer == producer
        ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(contract_markdown(), end="")
