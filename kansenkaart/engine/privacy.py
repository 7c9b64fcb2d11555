"""What the public (werksessie) variant may show: the privacy rules in one place.

Two variants of every export and list (DESIGN.md sections 5 and 6):

``intern``
    Everything, for gemeente and omgevingsdienst staff.
``openbaar``
    For a werksessie or anything that leaves the gemeente. A company that did
    not consent (survey ``consent_werksessie`` is not *ja*; no answer counts
    as no) keeps its identity, its building and the public facts about it
    (BAG, EP-online label, roof and solar potential, distances), but loses:

    - its energy figures and everything derived from them (use, CO2,
      savings, payback, obligations, kopgroep score) and its survey answers:
      every column outside :data:`PUBLIC_BUILDING_COLUMNS` /
      :data:`PUBLIC_LIST_COLUMNS` is blanked, so a column the engine adds
      later is private until it is listed here;
    - the personal reason of an opportunity, which quotes its use; the
      measure's general rule is shown instead;
    - opportunities whose mere presence discloses a legal threshold of its
      use (:data:`PRIVATE_MEASURES`: the energiebesparingsplicht).

    A selection made with a private attribute (obligation, survey interest,
    kopgroep; see :func:`selection_discloses`) would disclose that attribute
    by who is in it, so such a selection keeps only consenting companies.

    Totals over fewer than ``privacy_min_connections`` companies (10,
    Klimaatmonitor practice) are not shown; the number of companies is, except
    in a selection made with a private criterion (:func:`redact_totals`).

Blanked cells are missing values; the ``figures_hidden`` column says which
rows were blanked, so a writer can print :data:`HIDDEN_TEXT` there instead of
"onbekend".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kansenkaart.core import texts
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.engine import measures

INTERN = "intern"
OPENBAAR = "openbaar"
VARIANTS = {
    INTERN: "Intern (alle gegevens)",
    OPENBAAR: "Openbaar / werksessie",
}
"""Variant id -> Dutch name."""

HIDDEN_TEXT = texts.HIDDEN
"""Shown in a blanked cell."""
HIDDEN_COLUMN = "figures_hidden"
"""Boolean column added by the redact functions: this row was blanked."""

PUBLIC_BUILDING_COLUMNS = frozenset(
    {
        # identity and BAG / KvK / EP-online facts
        "building_id",
        "address",
        "postcode",
        "house_number",
        "company",
        "sbi_code",
        "sector",
        "building_use",
        "office_area_m2",
        "construction_year",
        "footprint_m2",
        "floor_area_m2",
        "height_m",
        "volume_m3",
        "roof_type",
        "ownership",
        "energy_label",
        "pv_kwp_existing",
        "grid_connection",
        "is_monument",
        "geometry",
        "demand_category",
        # roof and solar potential (from the footprint, not from use)
        "roof_area_m2",
        "roof_type_assumed",
        "usable_roof_m2",
        "pv_panels_roof",
        "pv_panels",
        "pv_kwp_potential",
        "pv_kwh_yr_potential",
        "pv_kwh_yr_existing",
        "pv_invest_eur_low",
        "pv_invest_eur_high",
        "sde_eligible",
        # label C rule: office area and label, both public
        "label_c_required",
        "label_c_ok",
        # location: grid area, distances, neighbour groups
        "grid_area_id",
        "grid_afname_status",
        "grid_invoeding_status",
        "nearest_source_id",
        "nearest_source_m",
        "heat_source_id",
        "heat_source_name",
        "heat_source_m",
        "heat_source_in_range",
        "airport_name",
        "airport_m",
        "airport_in_range",
        "hub_cluster",
        "hub_cluster_size",
        # opportunities (PRIVATE_MEASURES taken out) and the consent itself
        "measures",
        "n_measures",
        "consent_werksessie",
        HIDDEN_COLUMN,
    }
)
"""Building columns shown for every company in the public variant."""

PUBLIC_LIST_COLUMNS = frozenset(
    {
        "building_id",
        "company",
        "address",
        "measure_id",
        "measure_name",
        "scope",
        "reason",  # replaced by the measure's general rule
        "via_verhuurder",
        "kwp",  # only ever the roof's solar potential
        "leidraad_step",
        "financing",
        "consent_werksessie",
        HIDDEN_COLUMN,
    }
)
"""Opportunity-list columns shown for every company in the public variant."""

PRIVATE_MEASURES = frozenset({"eml_maatregelen"})
"""Measures whose presence discloses a legal threshold of a company's use."""

PRIVATE_FILTERS = frozenset({"obligations", "interest", "kopgroep_only"})
"""Selection criteria that rest on energy use or survey answers."""

_PRIVATE_OBLIGATIONS = frozenset(
    {"besparingsplicht", "informatieplicht", "onderzoeksplicht"}
)


def check_variant(variant: str) -> str:
    """``variant`` itself, or a Dutch ValueError naming the valid choices."""
    if variant not in VARIANTS:
        raise ValueError(
            f"onbekende variant '{variant}'; kies uit {', '.join(VARIANTS)}"
        )
    return variant


def min_group(assumptions: Assumptions) -> int:
    """Smallest number of companies a shown total may cover (10 by default)."""
    return int(assumptions.privacy_min_connections.value)


def consented(table: pd.DataFrame) -> np.ndarray:
    """Per row: the company agreed to show its data (``consent_werksessie``).

    A missing answer counts as no consent.
    """
    return (
        table["consent_werksessie"]
        .astype("boolean")
        .to_numpy(dtype=bool, na_value=False)
    )


def hidden_rows(table: pd.DataFrame, variant: str) -> np.ndarray:
    """Rows whose private figures the variant blanks."""
    if check_variant(variant) == INTERN:
        return np.zeros(len(table), dtype=bool)
    return ~consented(table)


def obligation_is_private(obligation: str) -> bool:
    """Whether an obligation derives from a company's own energy use."""
    return obligation in _PRIVATE_OBLIGATIONS


def selection_discloses(used: set[str], obligations=()) -> bool:
    """Whether a selection made with these criteria discloses private facts.

    Parameters
    ----------
    used : set of str
        Names of the criteria in use (fields of the selection filter).
    obligations : iterable of str
        The obligations selected on; label C rests on public data.
    """
    private = used & PRIVATE_FILTERS
    if private == {"obligations"}:
        return any(obligation_is_private(o) for o in obligations)
    return bool(private)


def _blank(table: pd.DataFrame, rows: np.ndarray, public: frozenset) -> pd.DataFrame:
    """Copy of ``table`` with the non-public cells of ``rows`` missing."""
    out = table.copy()
    out[HIDDEN_COLUMN] = pd.array(rows, dtype="boolean")
    if not rows.any():
        return out
    for name in out.columns:
        if name in public:
            continue
        column = out[name]
        if isinstance(column.dtype, pd.api.extensions.ExtensionDtype):
            out[name] = column.mask(rows)
        else:
            out[name] = column.astype(object).mask(rows, None)
    return out


def redact_buildings(
    buildings: pd.DataFrame, variant: str, disclosing: bool = False
) -> pd.DataFrame:
    """The analysed buildings as the variant may show them.

    Parameters
    ----------
    buildings : DataFrame
        Rows of :func:`kansenkaart.analyse`; not modified.
    variant : {"intern", "openbaar"}
    disclosing : bool
        The rows were selected with a private criterion
        (:func:`selection_discloses`): the public variant keeps only
        consenting companies.

    Returns
    -------
    DataFrame
        Same columns plus ``figures_hidden``; in the public variant the
        private cells of non-consenting companies are missing and
        :data:`PRIVATE_MEASURES` are taken out of their ``measures``.
    """
    hidden = hidden_rows(buildings, variant)
    if disclosing and hidden.any():
        return redact_buildings(buildings[~hidden], variant)
    out = _blank(buildings, hidden, PUBLIC_BUILDING_COLUMNS)
    if hidden.any() and "measures" in out.columns:
        kept = [
            [m for m in ids if m not in PRIVATE_MEASURES] if h else ids
            for ids, h in zip(out["measures"], hidden, strict=True)
        ]
        out["measures"] = kept
        if "n_measures" in out.columns:
            out["n_measures"] = pd.array([len(ids) for ids in kept], dtype="Int64")
    return out


def redact_opportunities(
    opportunities: pd.DataFrame,
    variant: str,
    assumptions: Assumptions,
    disclosing: bool = False,
) -> pd.DataFrame:
    """An opportunity list as the variant may show it.

    Parameters
    ----------
    opportunities : DataFrame
        Rows of :func:`kansenkaart.engine.opportunities.opportunity_list`; not
        modified.
    variant : {"intern", "openbaar"}
    assumptions : Assumptions
        For the numbers in the general rules.
    disclosing : bool
        See :func:`redact_buildings`.

    Returns
    -------
    DataFrame
        Same columns plus ``figures_hidden``. In the public variant, for
        companies without consent: private cells missing, ``reason`` the
        measure's general rule, rows of :data:`PRIVATE_MEASURES` dropped.
    """
    hidden = hidden_rows(opportunities, variant)
    drop = hidden & (
        np.ones(len(hidden), dtype=bool)
        if disclosing
        else opportunities["measure_id"].isin(PRIVATE_MEASURES).to_numpy()
    )
    kept = opportunities[~drop]
    hidden = hidden[~drop]
    out = _blank(kept, hidden, PUBLIC_LIST_COLUMNS).reset_index(drop=True)
    if hidden.any():
        rules = {
            m.id: f"Algemene regel: {m.text('rule', assumptions)}"
            for m in measures.CATALOGUE
        }
        general = out["measure_id"].map(rules).astype("string")
        out["reason"] = out["reason"].mask(hidden, general)
    return out


def redact_totals(
    totals: pd.DataFrame,
    figures,
    variant: str,
    assumptions: Assumptions,
    disclosing: bool = False,
) -> pd.DataFrame:
    """Totals per group as the variant may show them.

    Parameters
    ----------
    totals : DataFrame
        One row per group with ``n_companies`` and the ``figures`` columns
        (sums); not modified.
    figures : sequence of str
        The summed columns.
    variant : {"intern", "openbaar"}
    assumptions : Assumptions
        For the smallest group (:func:`min_group`).
    disclosing : bool
        The companies were selected with a private criterion: then a small
        group's count is not shown either (it would count survey answers or
        obligations of a few companies).

    Returns
    -------
    DataFrame
        Copy with the figures (and, when disclosing, ``n_companies``) of
        groups under :func:`min_group` missing in the public variant, plus
        ``totals_shown`` and ``note`` (Dutch: why not shown).
    """
    shown = total_shown(totals["n_companies"].to_numpy(int), variant, assumptions)
    out = totals.copy()
    hidden = [*figures, "n_companies"] if disclosing else list(figures)
    for name in hidden:
        out[name] = out[name].mask(~shown)
    out["totals_shown"] = pd.array(shown, dtype="boolean")
    note = f"totalen niet getoond: minder dan {min_group(assumptions)} bedrijven"
    out["note"] = pd.array(np.where(shown, "", note), dtype="string")
    return out


def total_shown(n_companies, variant: str, assumptions: Assumptions) -> np.ndarray:
    """Whether a total over ``n_companies`` companies may be shown (elementwise)."""
    limit = 0 if check_variant(variant) == INTERN else min_group(assumptions)
    return np.asarray(n_companies) >= limit
