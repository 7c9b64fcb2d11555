"""What the public (werksessie) variant may show: the privacy rules in one place.

Two variants of every export and list (DESIGN.md sections 5 and 6):

``intern``
    Everything, for gemeente and omgevingsdienst staff.
``openbaar``
    For a werksessie or anything that leaves the gemeente. A company that did
    not consent (survey ``consent_werksessie`` is not *ja*; no answer counts
    as no) keeps its identity, its building and the public facts about it
    (BAG, EP-online label, the roof and its room for panels, distances), but
    loses (the solar advice too, see :data:`SOLAR_ADVICE`):

    - its energy figures and everything derived from them (use, CO2,
      savings, payback, obligations, kopgroep score) and its survey answers:
      every column outside :data:`PUBLIC_BUILDING_COLUMNS` /
      :data:`PUBLIC_LIST_COLUMNS` is blanked, so a column the engine adds
      later is private until it is listed here;
    - the personal reason of an opportunity, which quotes its use; the
      measure's general rule is shown instead;
    - the engine's verdict on every measure whose rule reads its private
      data (a threshold on its use, its survey answers): such a measure is
      shown only as *mogelijk*, where the public part of its rule holds
      (:data:`POSSIBLE_HINTS`), or not at all (:func:`public_measures`);
      only :data:`PUBLIC_RULE_MEASURES` keep the engine's verdict.

    A selection made with a private attribute (obligation, survey interest,
    kopgroep; see :func:`selection_discloses`) would disclose that attribute
    by who is in it, so such a selection keeps only consenting companies.

    Totals are shown only over predefined groupings (:func:`predefined`:
    a measure over the whole terrain, never a user-chosen filter whose
    totals can be differenced), over at least ``privacy_min_connections``
    companies (10, Klimaatmonitor practice), when no company makes up more
    than :func:`dominance_share` of the total, and rounded to
    :data:`ROUND_DIGITS` significant digits (:func:`redact_totals`). The
    number of companies is shown, except in a selection made with a private
    criterion.

What a viewer of one role may see of a building (*Mijn pand*, its PDF) is
decided by :func:`building_access` and applied by :func:`for_viewer`.

Blanked cells are missing values; the ``figures_hidden`` column says which
rows were blanked, so a writer can print :data:`HIDDEN_TEXT` there instead of
"onbekend".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kansenkaart.core import fmt, schema, texts
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.values import mask
from kansenkaart.engine import measures, solar
from kansenkaart.engine import opportunities as engine_opportunities

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
        # the roof and its room for panels (from the footprint, not from use);
        # the advice (SOLAR_ADVICE) follows use on a congested grid
        "roof_area_m2",
        "roof_type_assumed",
        "usable_roof_m2",
        "pv_panels_roof",
        "pv_kwp_roof",
        "pv_kwh_yr_existing",
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

SOLAR_ADVICE = (
    "pv_panels",
    "pv_kwp_potential",
    "pv_kwh_yr_potential",
    "pv_invest_eur_low",
    "pv_invest_eur_high",
    "sde_eligible",
)
"""The solar advice: sized to the company's own use on a congested grid
(:func:`kansenkaart.engine.solar.advised_panels`), so private; the public
variant shows :func:`kansenkaart.engine.solar.public_advice` instead."""

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

PUBLIC_RULE_MEASURES = frozenset(
    {"label_c", "collectieve_inkoop_stroom_led", "kennisdelen"}
)
"""Measures whose rule reads public data only (label, office area, connection,
the number of companies): shown as the engine decides for every company."""


def _roof_can_carry_panels(b: pd.DataFrame) -> np.ndarray:
    # pv_kwp_roof: roof area and existing panels only, before the caps that
    # size the advice to the company's use.
    return mask(b["pv_kwp_roof"] > 0)


_LABELS_A_OR_BETTER = schema.ENERGY_LABELS[: schema.ENERGY_LABELS.index("A") + 1]


POSSIBLE_HINTS: dict[str, Callable[[pd.DataFrame], np.ndarray]] = {
    "zon_eigen_dak": _roof_can_carry_panels,
    "collectieve_inkoop_zon": _roof_can_carry_panels,
    "energiecooperatie": _roof_can_carry_panels,
    "led": lambda b: (
        ~mask(b["energy_label"].astype("string").isin(_LABELS_A_OR_BETTER))
    ),
    "warmtenet_rwzi": lambda b: mask(b["heat_source_in_range"]),
    "koppelkansen_luchthaven": lambda b: mask(b["airport_in_range"]),
    "energy_hub": lambda b: (
        ~mask(b["grid_connection"].astype("string").eq("kleinverbruik"))
        & mask(b["hub_cluster_size"] >= 2)
    ),
}
"""Measure id -> the public part of its rule (a necessary condition that
reads public columns only). For a company without consent the measure is
*mogelijk* where this holds, whatever its private data say."""

PRIVATE_MEASURES = frozenset(
    m.id
    for m in measures.CATALOGUE
    if m.id not in PUBLIC_RULE_MEASURES and m.id not in POSSIBLE_HINTS
)
"""Measures not shown at all for a company without consent: their rule has
no public part that says anything (the energiebesparingsplicht, the
MKB-energiescan, insulation, heat pump, the shared battery)."""

_COUNTED_ON_TERRAIN = frozenset({"collectieve_inkoop_zon"})
"""Hinted measures the engine offers only when enough companies on the
terrain qualify: *mogelijk* only where the engine offers it at all."""

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
    """Smallest number of companies a shown total may cover (10 by default):
    the minimum cell size (threshold rule) of statistical disclosure control."""
    return int(assumptions.privacy_min_connections.value)


def dominance_share(assumptions: Assumptions) -> float:
    """Largest share of a shown total one company may have (0.5 by default).

    A (1, k)-dominance rule with k = 50 % (CBS / Eurostat, *Handbook on
    Statistical Disclosure Control*, chapter 4, section 4.2): above it the
    total is close to that company's own figure.
    """
    return float(assumptions.privacy_dominance_share.value)


def consented(table: pd.DataFrame) -> np.ndarray:
    """Per row: the company agreed to show its data (``consent_werksessie``).

    A missing answer counts as no consent.
    """
    return (
        table["consent_werksessie"]
        .astype("boolean")
        .to_numpy(dtype=bool, na_value=False)
    )


def with_recorded_consent(
    buildings: pd.DataFrame, recorded: Mapping[str, bool] | None
) -> pd.DataFrame:
    """``buildings`` with the consent a company recorded itself (R1).

    A consent given or withdrawn on *Mijn pand* (``recorded``: building id ->
    given, the newest per building) replaces the survey answer in
    ``consent_werksessie``; other buildings keep their answer. ``None`` means
    the records could not be read: then nobody counts as consenting, since a
    withdrawal that cannot be read must not leave the survey's *ja* standing.
    The input is not changed.
    """
    out = buildings.copy()
    if recorded is None:
        out["consent_werksessie"] = pd.array([False] * len(out), dtype="boolean")
        return out
    if not recorded:
        return out
    given = out["building_id"].astype(str).map(recorded)
    out["consent_werksessie"] = (
        given.astype("boolean")
        .fillna(out["consent_werksessie"].astype("boolean"))
        .to_numpy()
    )
    return out


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


def public_measures(buildings: pd.DataFrame, hidden: np.ndarray) -> pd.Series:
    """The measures of each building as they may be shown.

    For a building in ``hidden`` (no consent) the list is rebuilt from public
    data only, so it says nothing about the company's use or answers:
    :data:`PUBLIC_RULE_MEASURES` as the engine decided, plus each measure of
    :data:`POSSIBLE_HINTS` whose public part holds (*mogelijk*); the
    :data:`PRIVATE_MEASURES` never. Other rows keep the engine's list.

    Parameters
    ----------
    buildings : DataFrame
        Analysed buildings (``measures`` and the public columns); not modified.
    hidden : ndarray of bool
        Buildings whose private data are hidden (:func:`hidden_rows`).

    Returns
    -------
    Series of list of str, index of ``buildings``, catalogue order.
    """
    lists = buildings["measures"]
    offered = {m for ids in lists for m in ids}
    hints = {
        m: hint(buildings)
        for m, hint in POSSIBLE_HINTS.items()
        if m not in _COUNTED_ON_TERRAIN or m in offered
    }
    out = []
    for pos, (ids, h) in enumerate(zip(lists, hidden, strict=True)):
        if not h:
            out.append(list(ids))
            continue
        out.append(
            [
                m.id
                for m in measures.CATALOGUE
                if (m.id in PUBLIC_RULE_MEASURES and m.id in ids)
                or (m.id in hints and hints[m.id][pos])
            ]
        )
    return pd.Series(out, index=buildings.index, dtype=object)


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
    buildings: pd.DataFrame,
    variant: str,
    disclosing: bool = False,
    assumptions: Assumptions | None = None,
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
    assumptions : Assumptions, optional
        For the solar advice from public data (:func:`with_public_solar`);
        without them the :data:`SOLAR_ADVICE` of non-consenting companies is
        missing.

    Returns
    -------
    DataFrame
        Same columns plus ``figures_hidden``; in the public variant the
        private cells of non-consenting companies are missing,
        :data:`PRIVATE_MEASURES` are taken out of their ``measures`` and
        their solar advice is the roof's (:func:`with_public_solar`).
    """
    hidden = hidden_rows(buildings, variant)
    if disclosing and hidden.any():
        return redact_buildings(buildings[~hidden], variant, assumptions=assumptions)
    return _redact(buildings, hidden, assumptions)


def _redact(
    buildings: pd.DataFrame, hidden: np.ndarray, assumptions: Assumptions | None
) -> pd.DataFrame:
    """``buildings`` with the private cells, measures and solar advice of
    ``hidden`` rows as the public may see them."""
    out = _blank(buildings, hidden, PUBLIC_BUILDING_COLUMNS)
    if hidden.any() and "measures" in out.columns:
        out = with_public_measures(out, hidden)
    if hidden.any() and assumptions is not None:
        out = with_public_solar(out, hidden, assumptions)
    return out


def with_public_solar(
    buildings: pd.DataFrame, hidden: np.ndarray, assumptions: Assumptions
) -> pd.DataFrame:
    """Copy of ``buildings`` whose ``hidden`` rows have the solar advice from
    public data (:func:`kansenkaart.engine.solar.public_advice`).

    On a congested grid the engine sizes a grootverbruiker's panels to its
    own use; for a company without consent the public sees the roof's room
    instead, capped by the connection only, and the yield, investment and
    SDE++ verdict that follow from it. Other rows are unchanged.
    """
    out = buildings.copy()
    hidden = np.asarray(hidden, dtype=bool)
    if not hidden.any():
        return out
    public = solar.public_advice(buildings[hidden], assumptions)
    for name in SOLAR_ADVICE:
        if name in out.columns:
            column = out[name].astype(public[name].dtype)
            column[hidden] = public[name].to_numpy()
            out[name] = column
    return out


_GROUPS_COLUMN = "collective_groups"
"""The analysed column with a building's group ids
(:data:`kansenkaart.engine.groups.COLUMN`)."""


def with_public_measures(buildings: pd.DataFrame, hidden: np.ndarray) -> pd.DataFrame:
    """Copy of ``buildings`` with ``measures`` and ``n_measures`` as shown.

    See :func:`public_measures`; for a map of the opportunities (the wall)
    that otherwise shows the buildings as they are. The ``hidden`` rows are
    in no collective group (``collective_groups`` empty): who is in a group
    follows from private data (:func:`public_membership`), so a map never
    outlines them as a group's members.
    """
    out = buildings.copy()
    hidden = np.asarray(hidden, dtype=bool)
    if not hidden.any():
        return out
    if _GROUPS_COLUMN in out.columns:
        out[_GROUPS_COLUMN] = [
            [] if h and isinstance(ids, list) else ids  # blanked (None) stays
            for ids, h in zip(out[_GROUPS_COLUMN], hidden, strict=True)
        ]
    kept = public_measures(buildings, hidden)
    out["measures"] = kept
    if "n_measures" in out.columns:
        counts = pd.Series([len(ids) for ids in kept], index=out.index, dtype="Int64")
        out["n_measures"] = counts.mask(buildings["n_measures"].isna())
    return out


def redact_opportunities(
    opportunities: pd.DataFrame,
    variant: str,
    assumptions: Assumptions,
    disclosing: bool = False,
    buildings: pd.DataFrame | None = None,
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
    buildings : DataFrame, optional
        The analysed buildings the list was made from: then a company without
        consent gets a *mogelijk* row for every measure of
        :func:`public_measures`. Without it only its rows of
        :data:`PUBLIC_RULE_MEASURES` stay (never fewer rules kept than shown).

    Returns
    -------
    DataFrame
        Same columns plus ``figures_hidden``. In the public variant, for
        companies without consent: private cells missing, ``reason`` the
        measure's general rule (*mogelijk* for the measures of
        :data:`POSSIBLE_HINTS`), and only the measures of
        :func:`public_measures`, so the list does not tell which of them the
        engine found from the company's private data.
    """
    hidden = hidden_rows(opportunities, variant)
    public_rule = opportunities["measure_id"].isin(PUBLIC_RULE_MEASURES).to_numpy()
    kept = opportunities[~hidden | (public_rule & (not disclosing))]
    if not disclosing and buildings is not None and hidden.any():
        kept = pd.concat([kept, _possible_rows(buildings, variant, opportunities)])
        order = {m.id: i for i, m in enumerate(measures.CATALOGUE)}
        place = {b: i for i, b in enumerate(buildings["building_id"].astype(str))}
        key = pd.DataFrame(
            {
                "b": kept["building_id"].astype(str).map(place).to_numpy(),
                "m": kept["measure_id"].map(order).to_numpy(),
            }
        )
        kept = kept.iloc[np.lexsort((key["m"], key["b"]))]
    hidden = hidden_rows(kept, variant)
    out = _blank(kept, hidden, PUBLIC_LIST_COLUMNS).reset_index(drop=True)
    if hidden.any():
        possible = out["measure_id"].isin(POSSIBLE_HINTS).to_numpy()
        rules = {
            m.id: (
                "Mogelijk (gegevens niet openbaar). " if m.id in POSSIBLE_HINTS else ""
            )
            + f"Algemene regel: {m.text('rule', assumptions)}"
            for m in measures.CATALOGUE
        }
        general = out["measure_id"].map(rules).astype("string")
        out["reason"] = out["reason"].mask(hidden, general)
        out["kwp"] = out["kwp"].mask(hidden & possible)
    return out


def _possible_rows(
    buildings: pd.DataFrame, variant: str, like: pd.DataFrame
) -> pd.DataFrame:
    """Rows (columns of ``like``) of the *mogelijk* measures of companies
    without consent; only the public columns are filled."""
    hidden = hidden_rows(buildings, variant)
    chosen = buildings[hidden]
    lists = public_measures(buildings, hidden)[hidden]
    frames = []
    for m in measures.CATALOGUE:
        if m.id not in POSSIBLE_HINTS:
            continue
        rows = chosen[lists.map(lambda ids, m=m: m.id in ids).to_numpy(dtype=bool)]
        if rows.empty:
            continue
        frames.append(
            pd.DataFrame(
                {
                    "building_id": rows["building_id"].astype("string"),
                    "company": rows["company"].astype("string"),
                    "address": rows["address"].astype("string"),
                    "measure_id": m.id,
                    "measure_name": m.name,
                    "scope": m.scope,
                    "via_verhuurder": engine_opportunities.via_verhuurder(
                        rows["ownership"], m.building_measure
                    ),
                    "leidraad_step": m.leidraad_step,
                    "financing": "; ".join(m.financing),
                    "consent_werksessie": rows["consent_werksessie"].astype("boolean"),
                }
            )
        )
    if not frames:
        return like.iloc[:0]
    out = pd.concat(frames, ignore_index=True).reindex(columns=like.columns)
    return out.astype(like.dtypes.to_dict())


ROUND_DIGITS = 2
"""Significant digits of a total shown in the public variant."""
PREDEFINED_CRITERIA = frozenset({"measures", "scope"})
"""Filter criteria that keep a measure's total the whole terrain's: they pick
whole measures, never companies."""


def predefined(used) -> bool:
    """Whether totals under these criteria are over predefined groupings.

    Only a choice of measures (or their scope) is: each measure's total stays
    the whole terrain's. A choice of companies (label, ownership,
    obligation, interest, kopgroep) is not: two such selections that differ
    in one company would give that company's figure as the difference of
    their totals.
    """
    return set(used) <= PREDEFINED_CRITERIA


def largest_shares(rows: pd.DataFrame, by: str, figures) -> pd.DataFrame:
    """Per group the largest share one row has of each figure's total.

    ``max |x| / Σ |x|`` (0 for a total of 0, NA without values); compare
    with :func:`dominance_share`. One row per company (a measure's
    opportunity list, a group's members).

    Returns
    -------
    DataFrame indexed by the values of ``by``, one column per figure.
    """
    size = rows[list(figures)].astype("Float64").abs()
    grouped = size.groupby(rows[by].to_numpy(), sort=False)
    total = grouped.sum(min_count=1)
    sums = total.to_numpy(dtype=float, na_value=np.nan)
    largest = grouped.max().to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(sums == 0, 0.0, largest / sums)  # NaN: no values
    return pd.DataFrame(
        share, index=total.index, columns=total.columns, dtype="Float64"
    )


def round_significant(values, digits: int = ROUND_DIGITS):
    """``values`` rounded to ``digits`` significant digits (NA stays NA).

    >>> round_significant(pd.array([270946.3, 10359.0, 0.0], dtype="Float64")).tolist()
    [270000.0, 10000.0, 0.0]
    """
    x = pd.array(values, dtype="Float64")
    data = x.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        magnitude = np.floor(np.log10(np.abs(data)))
    step = np.where(np.isfinite(magnitude), 10.0 ** (magnitude - digits + 1), 1.0)
    return pd.array(np.round(data / step) * step, dtype="Float64")


def redact_totals(
    totals: pd.DataFrame,
    figures,
    variant: str,
    assumptions: Assumptions,
    disclosing: bool = False,
    *,
    grouping_predefined: bool = True,
    shares: pd.DataFrame | None = None,
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
    grouping_predefined : bool
        The groups are predefined (:func:`predefined`); otherwise the public
        variant shows no figure at all.
    shares : DataFrame, optional
        Rows aligned with ``totals``: the largest share of one company per
        figure (:func:`largest_shares`); a figure above
        :func:`dominance_share` is not shown.

    Returns
    -------
    DataFrame
        Copy; in the public variant the figures of groups under
        :func:`min_group` or not predefined are missing (and, when
        disclosing, ``n_companies`` of the small ones), dominated figures are
        missing and the rest are rounded (:func:`round_significant`); plus
        ``totals_shown`` and ``note`` (Dutch: why not shown).
    """
    n = totals["n_companies"].to_numpy(int)
    large = total_shown(n, variant, assumptions)
    public = check_variant(variant) == OPENBAAR
    shown = large & (grouping_predefined or not public)
    out = totals.copy()
    if disclosing:
        out["n_companies"] = out["n_companies"].mask(~large)
    dominated = np.zeros(len(out), dtype=bool)
    for name in figures:
        cell = shown.copy()
        if public and shares is not None:
            over = mask(
                pd.array(shares[name].to_numpy(), dtype="Float64")
                > dominance_share(assumptions)
            )
            dominated |= shown & over & out[name].notna().to_numpy()
            cell &= ~over
        values = out[name].mask(~cell)
        out[name] = round_significant(values) if public else values
        if public:
            out[name] = out[name].astype(totals[name].dtype)
    out["totals_shown"] = pd.array(shown, dtype="boolean")
    notes = np.where(
        ~large,
        f"totalen niet getoond: minder dan {min_group(assumptions)} bedrijven",
        np.where(
            ~shown,
            "totalen niet getoond: alleen per maatregel over het hele terrein, "
            "niet voor een eigen selectie van bedrijven",
            np.where(
                dominated,
                "een cijfer niet getoond: één bedrijf is meer dan de helft van "
                "het totaal",
                "",
            ),
        ),
    )
    out["note"] = pd.array(notes, dtype="string")
    return out


def total_shown(n_companies, variant: str, assumptions: Assumptions) -> np.ndarray:
    """Whether a total over ``n_companies`` companies may be shown (elementwise)."""
    limit = 0 if check_variant(variant) == INTERN else min_group(assumptions)
    return np.asarray(n_companies) >= limit


# --- collective groups --------------------------------------------------------

GROUP_MEMBERS = "member_ids"
"""Column of a group table (:func:`kansenkaart.engine.groups.table`) with the
member building ids (tuple)."""
SHARE_PREFIX = "share_"
"""A group table's ``share_<figure>``: the largest share one member has of
the group's ``<figure>`` (:func:`largest_shares`)."""
OTHERS_COLUMN = "n_others"
"""Added by :func:`redact_groups`: members not named (NA: not counted)."""


def public_membership(measure_id: str) -> bool:
    """Whether who is in a group of this measure follows from public data.

    Only for the measures of :data:`PUBLIC_RULE_MEASURES`: their groups are
    the companies of a deelgebied the measure applies to, both public. Who is
    in a group of any other measure follows from use or answers (a heat
    network: heat demand above a threshold; the airport, a hub, a battery:
    electricity use or surplus; a solar purchase group: the solar rule).
    """
    return measure_id in PUBLIC_RULE_MEASURES


def redact_groups(
    groups: pd.DataFrame,
    figures,
    buildings: pd.DataFrame,
    variant: str,
    assumptions: Assumptions,
    chosen=None,
) -> pd.DataFrame:
    """Collective groups as the variant may show them.

    In the public variant:

    - only members that consented are named (:data:`GROUP_MEMBERS` keeps
      them); the others are counted in :data:`OTHERS_COLUMN` only where
      membership is public (:func:`public_membership`), else that count and
      ``n_companies`` are missing, since either would count companies over a
      private threshold;
    - the figures follow the rules for totals (:func:`redact_totals`: at
      least :func:`min_group` members, no member above
      :func:`dominance_share`, rounded), and a figure is shown for every
      group of a measure or for none: the measure's terrain total minus the
      shown groups would otherwise give a suppressed group's figure;
    - a group whose membership is private is listed only when a named
      member is among ``chosen``, or, for the whole terrain, when its
      figures are shown: a group of unnamed members would tell that one of
      them passed the threshold.

    Parameters
    ----------
    groups : DataFrame
        :func:`kansenkaart.engine.groups.table` (``measure_id``,
        ``n_companies``, :data:`GROUP_MEMBERS`, the ``figures`` and their
        ``share_<figure>`` where dominance applies); not modified.
    figures : sequence of str
        The summed columns (figures and survey counts).
    buildings : DataFrame
        Analysed buildings (``building_id``, ``consent_werksessie``).
    variant : {"intern", "openbaar"}
    assumptions : Assumptions
    chosen : iterable of str, optional
        Building ids of a selection: only groups with a (shown) member among
        them are kept. None: the whole terrain.

    Returns
    -------
    DataFrame
        The listed groups, columns of ``groups`` plus :data:`OTHERS_COLUMN`,
        ``totals_shown`` and ``note``.
    """
    shares = pd.DataFrame(
        {
            f: groups[SHARE_PREFIX + f]
            if SHARE_PREFIX + f in groups.columns
            else pd.Series(pd.NA, index=groups.index, dtype="Float64")
            for f in figures
        }
    ).reset_index(drop=True)
    out = redact_totals(
        groups.reset_index(drop=True), figures, variant, assumptions, shares=shares
    )
    everyone = out[GROUP_MEMBERS]
    out[OTHERS_COLUMN] = pd.array(np.zeros(len(out), dtype=int), dtype="Int64")
    visible = everyone
    if check_variant(variant) == OPENBAAR:
        out = _suppress_per_measure(out, groups.reset_index(drop=True), figures)
        ids = buildings["building_id"].astype(str)
        agreed = set(ids[consented(buildings)])
        named = everyone.map(lambda m: tuple(b for b in m if str(b) in agreed))
        open_ = out["measure_id"].astype(str).map(public_membership).to_numpy(bool)
        others = out["n_companies"].to_numpy(int) - named.map(len).to_numpy(int)
        out[GROUP_MEMBERS] = named
        out[OTHERS_COLUMN] = pd.array(others, dtype="Int64")
        out[OTHERS_COLUMN] = out[OTHERS_COLUMN].mask(~open_)
        out["n_companies"] = out["n_companies"].mask(~open_)
        visible = everyone.where(open_, named)
        whole = (chosen is None) & out["totals_shown"].to_numpy(bool) & ~open_
    else:
        whole = np.zeros(len(out), dtype=bool)
    within = set(map(str, buildings["building_id"] if chosen is None else chosen))
    listed = visible.map(lambda m: any(str(b) in within for b in m))
    return out[listed.to_numpy(bool) | whole].reset_index(drop=True)


def _suppress_per_measure(
    out: pd.DataFrame, groups: pd.DataFrame, figures
) -> pd.DataFrame:
    """``out`` with a figure left out of every group of a measure where it is
    left out of one (secondary suppression)."""
    out = out.copy()
    measure = out["measure_id"].astype(str).to_numpy()
    secondary = np.zeros(len(out), dtype=bool)
    for name in figures:
        gone = out[name].isna().to_numpy() & groups[name].notna().to_numpy()
        spread = pd.Series(gone).groupby(measure).transform("any").to_numpy(bool)
        secondary |= spread & ~gone & out[name].notna().to_numpy()
        out[name] = out[name].mask(spread)
    out["totals_shown"] = out["totals_shown"] & pd.array(~secondary, dtype="boolean")
    note = (
        "een cijfer niet getoond: het is van een andere groep van deze "
        "maatregel niet getoond, en het verschil met het terreintotaal zou het "
        "geven"
    )
    blank = out["note"].fillna("").eq("").to_numpy(bool)
    out["note"] = out["note"].mask(secondary & blank, note)
    return out


def members_text(names, n_others) -> str:
    """The members of a group in Dutch: the named ones, then the others.

    ``n_others`` missing (membership private): the others are not counted
    and the sentence is the same whether there are any.

    >>> members_text(["Bakkerij Jansen", "Garage Smit"], 4)
    'Bakkerij Jansen; Garage Smit en 4 andere bedrijven'
    >>> members_text([], pd.NA)
    'leden zonder toestemming worden niet genoemd'
    """
    named = "; ".join(names)
    if pd.isna(n_others):
        hidden = "leden zonder toestemming worden niet genoemd"
        return f"{named} ({hidden})" if named else hidden
    if not n_others:
        return named
    others = (
        "1 ander bedrijf"
        if n_others == 1
        else f"{fmt.number(n_others)} andere bedrijven"
    )
    return f"{named} en {others}" if named else others


# --- who sees what of one building (Mijn pand, its PDF) ----------------------

BEHEERDER = "beheerder"
BEGELEIDER = "begeleider"
ONDERNEMER = "ondernemer"
PUBLIEK = "publiek"
ROLES = {
    BEHEERDER: "Beheerder (gemeente, parkmanagement): alle gegevens",
    BEGELEIDER: "Begeleider (werksessie): totalen en gegevens met toestemming",
    ONDERNEMER: "Ondernemer: het eigen pand; van andere bedrijven wat openbaar is",
    PUBLIEK: "Publiek: alleen wat openbaar mag",
}
"""Role id -> Dutch description (DESIGN.md section 6)."""


@dataclass(frozen=True)
class Access:
    """What a viewer may see of one building.

    Attributes
    ----------
    figures : bool
        Its private data: energy use and everything derived from it
        (savings, CO₂, obligations, the engine's verdict on every measure),
        its survey answers, and its building report (PDF).
    variant : {"intern", "openbaar"}
        The variant to show the building in.
    reason : str
        Dutch: why.
    """

    figures: bool
    variant: str
    reason: str


def check_role(role: str) -> str:
    """``role`` itself, or a Dutch ValueError naming the valid roles."""
    if role not in ROLES:
        raise ValueError(f"onbekende rol '{role}'; kies uit {', '.join(ROLES)}")
    return role


def building_access(
    role: str,
    building_id: str,
    consented: bool,
    own_building_id: str | None = None,
) -> Access:
    """What a viewer with ``role`` may see of building ``building_id``.

    Parameters
    ----------
    role : {"beheerder", "begeleider", "ondernemer", "publiek"}
    building_id : str
        The building asked for.
    consented : bool
        Its company consented to show its data (missing counts as no).
    own_building_id : str, optional
        For an *ondernemer*: the building of the personal link.

    Returns
    -------
    Access
        The beheerder sees everything; an ondernemer everything of the own
        building; everybody else the private data only with consent.
    """
    check_role(role)
    if role == BEHEERDER:
        return Access(True, INTERN, "beheerder: alle gegevens")
    if (
        role == ONDERNEMER
        and own_building_id is not None
        and str(building_id) == str(own_building_id)
    ):
        return Access(True, INTERN, "uw eigen pand")
    if consented:
        return Access(True, OPENBAAR, "het bedrijf gaf toestemming")
    return Access(False, OPENBAAR, "het bedrijf gaf geen toestemming")


def for_viewer(
    buildings: pd.DataFrame,
    role: str,
    own_building_id: str | None = None,
    assumptions: Assumptions | None = None,
) -> pd.DataFrame:
    """The analysed buildings as a viewer with ``role`` may see them.

    Rows of :func:`building_access` without ``figures`` are redacted as in
    :func:`redact_buildings` (public variant, ``assumptions`` for the solar
    advice); the beheerder's and the ondernemer's own building stay
    complete. ``figures_hidden`` says which.
    """
    hidden = np.array(
        [
            not building_access(role, b, c, own_building_id).figures
            for b, c in zip(buildings["building_id"], consented(buildings), strict=True)
        ],
        dtype=bool,
    )
    return _redact(buildings, hidden, assumptions)
