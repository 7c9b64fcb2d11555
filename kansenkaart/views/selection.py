"""Which opportunities and buildings an export holds: filters and the selection.

:func:`select` applies a :class:`Filters` and a privacy variant
(:mod:`kansenkaart.engine.privacy`) to an analysed terrain; the result, a
:class:`Selection`, is what every table (:mod:`kansenkaart.views.tables`) and
every file writer (:mod:`kansenkaart.views.export`) works from, so the page and
the CLI hand out the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import geopandas as gpd
import numpy as np
import pandas as pd

from kansenkaart.core import schema, texts
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.model import Analysis, Terrain
from kansenkaart.core.values import mask
from kansenkaart.engine import measures, privacy
from kansenkaart.engine.opportunities import opportunity_list

# --- filters ----------------------------------------------------------------

OBLIGATIONS = {
    "besparingsplicht": "energiebesparingsplicht",
    "informatieplicht": "informatieplicht",
    "onderzoeksplicht": "onderzoeksplicht",
    "label_c_required": "label C-plicht kantoor",
}
"""Obligation column -> Dutch name (filter choices)."""
INTEREST_CHOICES = (*schema.INTEREST, texts.UNKNOWN)
OWNERSHIP_CHOICES = schema.OWNERSHIP
LABEL_CHOICES = (*schema.ENERGY_LABELS, texts.UNKNOWN)
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


def _in(values: pd.Series, chosen, missing: str = texts.UNKNOWN) -> np.ndarray:
    """``values`` (missing as ``missing``) is one of ``chosen``."""
    return values.astype("string").fillna(missing).isin(chosen).to_numpy(dtype=bool)


def building_mask(analysed: pd.DataFrame, filters: Filters) -> np.ndarray:
    """Buildings that pass the building criteria (ownership, label, ...)."""
    keep = np.ones(len(analysed), dtype=bool)
    if filters.ownership:
        keep &= _in(analysed["ownership"], filters.ownership)
    if filters.labels:
        keep &= _in(analysed["energy_label"], filters.labels)
    if filters.obligations:
        keep &= np.logical_or.reduce([mask(analysed[o]) for o in filters.obligations])
    if filters.kopgroep_only:
        keep &= mask(analysed["kopgroep_selected"])
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
    hub : DataFrame, optional
        :func:`kansenkaart.engine.hub.group_summaries` of the terrain, not
        redacted (the exports redact it); None: no energy-hub sheet.
    """

    analysis: Analysis
    filters: Filters
    variant: str
    opportunities: pd.DataFrame
    buildings: gpd.GeoDataFrame
    totals: pd.DataFrame
    hub: pd.DataFrame | None = None

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
    grouping_predefined: bool = True,
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
    grouping_predefined : bool
        The rows are whole measures of the terrain
        (:func:`kansenkaart.engine.privacy.predefined`); otherwise the public
        variant shows no totals.

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
    shares = privacy.largest_shares(opportunities, "measure_id", FIGURES).reindex(ids)
    return privacy.redact_totals(
        out,
        FIGURES,
        variant,
        assumptions,
        disclosing,
        grouping_predefined=grouping_predefined,
        shares=shares.reset_index(drop=True),
    )


def select(
    analysis: Analysis,
    filters: Filters | None = None,
    variant: str = privacy.INTERN,
    opportunities: pd.DataFrame | None = None,
    hub: pd.DataFrame | None = None,
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
    hub : DataFrame, optional
        The terrain's energy-hub figures (:attr:`Selection.hub`).

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
    disclosing = privacy.selection_discloses(filters.used(), filters.obligations)
    # The list as the variant shows it is filtered, so a measure criterion
    # never picks a company by a verdict the variant does not show.
    listed = privacy.redact_opportunities(full, variant, a, disclosing, analysed)
    rows = listed[
        row_mask(listed, filters) & listed["building_id"].isin(ids[keep]).to_numpy()
    ]
    counted = full[
        row_mask(full, filters) & full["building_id"].isin(ids[keep]).to_numpy()
    ]
    if filters.used() & _ROW_CRITERIA:
        keep &= ids.isin(rows["building_id"]).to_numpy()
    return Selection(
        analysis=analysis,
        filters=filters,
        variant=variant,
        opportunities=rows.reset_index(drop=True),
        buildings=privacy.redact_buildings(analysed[keep], variant, disclosing, a),
        totals=measure_summary(
            counted, a, variant, disclosing, privacy.predefined(filters.used())
        ),
        hub=hub,
    )
