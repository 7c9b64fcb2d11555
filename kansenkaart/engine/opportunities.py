"""Combine the topic modules into one analysed building table.

:func:`analyse` is the engine's entry point (DESIGN.md section 3): buildings in,
buildings plus computed columns out. :func:`opportunity_list` turns it into one
row per building × measure with a Dutch reason, :func:`measure_totals` sums
per measure and :func:`terrain_balance` gives the energy balance toward
energieneutraal 2035.

:func:`analyse` returns an :class:`~kansenkaart.core.model.Analysis` that
carries the assumptions used, so the list, totals and balance always use the
same set as the computed columns.
"""

from __future__ import annotations

import contextlib
import gc
import threading

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import shapely

from kansenkaart.core.assumptions import DEFAULT, Assumptions
from kansenkaart.core.geo import RD
from kansenkaart.core.model import Analysis, Terrain
from kansenkaart.core.schema import BUILDINGS, SURVEY, empty_column
from kansenkaart.engine import (
    coupling,
    energy,
    grid,
    groups,
    kopgroep,
    measure_rules,
    measures,
    obligations,
    solar,
)

SURVEY_COLUMNS = tuple(
    c.name
    for c in SURVEY.columns
    if c.name not in ("building_id", "postcode", "house_number", "company")
)
"""Survey answers carried into the analysed table (one answer per building)."""

SCOPES = ("all", measures.INDIVIDUAL, measures.COLLECTIVE)
LIST_COLUMNS = (
    "building_id",
    "company",
    "address",
    "measure_id",
    "measure_name",
    "scope",
    "reason",
    "via_verhuurder",
    *measure_rules.DETAIL_COLUMNS[1:],
    "leidraad_step",
    "financing",
    "interest",
    "consent_werksessie",
)
_VIA_VERHUURDER = " Dit loopt via de verhuurder (pandeigenaar)."
_MAYBE_VERHUURDER = " Bent u huurder, dan loopt dit via de verhuurder."


def _in_rd(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The layer in EPSG:28992 (a layer without CRS is taken to be RD)."""
    if gdf.crs is None:
        return gdf.set_crs(RD)
    return gdf if gdf.crs.to_epsg() == 28992 else gdf.to_crs(RD)


def _complete(buildings: pd.DataFrame) -> pd.DataFrame:
    """Buildings with every schema column (missing optional ones all NA)."""
    missing = [c for c in BUILDINGS.columns if c.name not in buildings.columns]
    if not missing:
        return buildings
    extra = pd.DataFrame(
        {c.name: empty_column(c, buildings.index) for c in missing},
        index=buildings.index,
    )
    return pd.concat([buildings, extra], axis=1)


def survey_answers(buildings: pd.DataFrame, survey: pd.DataFrame) -> pd.DataFrame:
    """The survey answer of each building (first linked row), or NA.

    Parameters
    ----------
    buildings : DataFrame
        With ``building_id``.
    survey : DataFrame
        Schema SURVEY with ``building_id`` linked (may be empty).

    Returns
    -------
    DataFrame
        :data:`SURVEY_COLUMNS` plus ``survey_answered`` (boolean: a survey row
        is linked to the building).
    """
    columns = [c for c in SURVEY.columns if c.name in SURVEY_COLUMNS]
    linked = survey.dropna(subset=["building_id"]).drop_duplicates("building_id")
    keys = buildings["building_id"].astype("string")
    # the linked row of each building (-1: none), looked up by pyarrow's hash
    # table (100,000 buildings: 3 ms instead of 20 ms with an Index)
    found = pc.index_in(
        pa.array(keys.array),
        value_set=pa.array(linked["building_id"].astype("string").array),
    )
    found = found.fill_null(-1).to_numpy().astype(np.int64)
    if linked.empty:
        answers = pd.DataFrame(
            {c.name: empty_column(c, keys.index) for c in columns}, index=keys.index
        )
    else:
        answers = linked[list(SURVEY_COLUMNS)].reset_index(drop=True).reindex(found)
        answers.index = keys.index
    answers["survey_answered"] = pd.array(found >= 0, dtype="boolean")
    return answers


_PAUSE_LOCK = threading.Lock()
_pauses = 0  # analyses running with the collector paused
_was_enabled = False


@contextlib.contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector (:mod:`gc`) inside the block.

    :func:`analyse` keeps nearly all it allocates (per building lists of
    groups and measures, texts, arrays) and makes no reference cycles of its
    own; each automatic full collection walks every object of the process
    and finds next to nothing (at 100,000 buildings five of them, about
    0,3 s). Paused, the objects are looked at once, after the analysis.
    The collector is process-wide: analyses in several threads (Streamlit
    sessions) share one pause, counted under a lock, and the last one to
    finish restores the state found by the first.
    """
    global _pauses, _was_enabled
    with _PAUSE_LOCK:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _PAUSE_LOCK:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()


@_collector_paused()
def analyse(terrain: Terrain, assumptions: Assumptions | None = None) -> Analysis:
    """Analyse a terrain: the buildings plus every computed column.

    Parameters
    ----------
    terrain : Terrain
        Not modified.
    assumptions : Assumptions, optional
        Default :data:`kansenkaart.core.assumptions.DEFAULT`.

    Returns
    -------
    Analysis
        ``.terrain``, ``.assumptions``, ``.groups`` (the collective groups
        with members and combined figures, :func:`kansenkaart.engine.groups.table`)
        and ``.buildings``: a GeoDataFrame
        (EPSG:28992) with the buildings' columns unchanged and in order, then
        the computed columns below, in this order (units in names; nullable
        dtypes, NA where unknown). Their dtype, unit, meaning and allowed
        values are the contract :data:`kansenkaart.core.columns.COLUMNS`
        (rendered in ``docs/COLUMNS.md``; ``tests/test_columns.py`` fails
        when this function drifts from it):

        - energy: ``demand_category``, ``elec_kwh_yr_est``,
          ``elec_source_used``, ``gas_m3_yr_est``, ``gas_source_used``,
          ``demand_kwh_yr`` (electricity + gas as kWh-eq), ``demand_source``
          (gemeten / enquête / geschat), ``heat_demand_kwh_yr``, ``co2_kg_yr``
          (:func:`kansenkaart.engine.energy.demand`);
        - solar: ``roof_area_m2``, ``roof_basis``, ``roof_type_assumed``,
          ``usable_roof_m2``,
          ``pv_panels_roof``, ``pv_kwp_roof``, ``pv_panels``,
          ``pv_kwp_potential``, ``pv_limit``, ``pv_kwh_yr_potential``,
          ``pv_kwh_yr_existing``, ``pv_invest_eur_low``, ``pv_invest_eur_high``,
          ``pv_self_use_share``, ``pv_savings_eur_yr``,
          ``pv_payback_yr``, ``pv_co2_avoided_kg_yr``, ``pv_share_of_demand``,
          ``sde_eligible`` (:func:`kansenkaart.engine.solar.potential`);
        - obligations: ``besparingsplicht``, ``besparingsplicht_basis``,
          ``informatieplicht``, ``onderzoeksplicht``, ``label_c_required``,
          ``label_c_ok`` (:func:`kansenkaart.engine.obligations.obligations`);
        - grid: ``grid_area_id``, ``grid_afname_status``,
          ``grid_invoeding_status`` (0–3);
        - coupling: ``nearest_source_id``, ``nearest_source_m``,
          ``heat_source_id``, ``heat_source_name``, ``heat_source_m``,
          ``heat_source_in_range``, ``airport_name``, ``airport_m``,
          ``airport_in_range``, ``coupling_source_id``, ``coupling_score``
          (0–1), ``hub_cluster``, ``hub_cluster_size``;
        - survey: :data:`SURVEY_COLUMNS` and ``survey_answered``;
        - ``collective_groups`` (list of the ids of the collective groups the
          building is a member of; :mod:`kansenkaart.engine.groups`);
        - ``measures`` (list of measure ids; a collective measure only for
          the members of one of its groups) and ``n_measures``;
        - kopgroep: ``kopgroep_score``, ``kopgroep_rank``,
          ``kopgroep_selected``, ``kopgroep_reason``.

        A computed column replaces a buildings column of the same name.
    """
    a = assumptions or DEFAULT
    buildings = _in_rd(terrain.buildings)
    work = _complete(buildings)
    demand = energy.demand(work, a)
    points = shapely.point_on_surface(buildings.geometry.to_numpy())
    capacity = grid.capacity(buildings, _in_rd(terrain.grid), points)
    congested = grid.congested(
        capacity["grid_afname_status"], capacity["grid_invoeding_status"]
    )
    # The hub chains, within a grid area (groups) and across (clusters): one search.
    by_area, chains = coupling.linked_levels(
        buildings.geometry.to_numpy()[congested],
        a.hub_neighbour_m.value,
        capacity["grid_area_id"]
        .astype("string")
        .fillna("")
        .to_numpy(object)[congested],
    )
    sources = _in_rd(terrain.sources)
    # one distance matrix for the coupling columns and the groups around sources
    distances = (
        coupling.distance_matrix(buildings, sources).to_numpy(float)
        if len(buildings) and len(sources)
        else None
    )
    pv = solar.potential(
        work,
        buildings.geometry.area,
        demand["elec_kwh_yr_est"],
        a,
        invoeding_status=capacity["grid_invoeding_status"],
    )
    parts = [
        demand,
        pv,
        obligations.obligations(work, demand, a),
        capacity,
        coupling.coupling(
            buildings,
            sources,
            demand["heat_demand_kwh_yr"],
            demand["elec_kwh_yr_est"],
            a,
            distances,
        ),
        coupling.neighbour_clusters(
            buildings.geometry, congested, a.hub_neighbour_m.value, chains
        ),
        survey_answers(buildings, terrain.survey),
    ]
    computed = pd.concat(parts, axis=1)
    scratch = pd.concat(
        [work.drop(columns=computed.columns, errors="ignore"), computed], axis=1
    )
    area = groups.deelgebieden(buildings.geometry, _in_rd(terrain.boundary), points)
    candidates = groups.candidates(
        scratch,
        buildings.geometry,
        area,
        sources,
        measures.BY_ID["zon_eigen_dak"].relevant(scratch, a),
        a,
        by_area,
        distances,
    )
    relevant = measures.relevance(scratch, a)
    members = groups.settle(candidates, relevant, area, a)
    relevant = groups.restrict(relevant, members)
    ids = np.array(relevant.columns)
    computed[groups.COLUMN] = groups.membership(members, computed.index)
    fits = relevant.to_numpy(bool)
    # each row of measures as one value of packed bits, to find the distinct rows
    packed = np.ascontiguousarray(np.packbits(fits, axis=1))
    _, first, pattern = np.unique(
        packed.view(f"V{packed.shape[1]}").ravel(),
        return_index=True,
        return_inverse=True,
    )
    lists = [ids[fits[k]].tolist() for k in first]  # a few hundred distinct
    computed["measures"] = list(  # each building its own list (a copy)
        map(list.copy, map(lists.__getitem__, pattern.ravel().tolist()))
    )
    computed["n_measures"] = pd.Series(
        fits.sum(axis=1), index=relevant.index, dtype="Int64"
    )
    scratch[groups.COLUMN] = computed[groups.COLUMN]
    scratch["measures"] = computed["measures"]
    counts = dict(zip(ids.tolist(), fits.sum(axis=0).tolist(), strict=True))
    group_table = groups.table(members, scratch, a, counts)
    computed = pd.concat([computed, kopgroep.rank(scratch, a, group_table)], axis=1)
    kept = buildings.drop(columns=computed.columns, errors="ignore")
    out = gpd.GeoDataFrame(
        pd.concat([pd.DataFrame(kept), computed], axis=1),
        geometry=buildings.geometry.name,
        crs=RD,
        copy=False,  # a new frame already; copy-on-write keeps the inputs apart
    )
    return Analysis(
        terrain=terrain,
        assumptions=a,
        buildings=out,
        groups=group_table,
    )


def _empty_list() -> pd.DataFrame:
    dtypes = {c: "string" for c in LIST_COLUMNS}
    dtypes.update({c: "Float64" for c in measure_rules.DETAIL_COLUMNS[1:-2]})
    dtypes.update(
        {
            "via_verhuurder": "boolean",
            "leidraad_step": "Int64",
            "consent_werksessie": "boolean",
        }
    )
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in dtypes.items()})


def via_verhuurder(ownership: pd.Series, building_measure: bool) -> pd.Series:
    """Whether a measure goes through the verhuurder.

    A measure on the building (roof, insulation, installations) is the
    owner's: for a ``huurder`` or a building owned by a ``belegger`` it goes
    through the verhuurder (True); for an ``eigenaar-gebruiker`` not (False);
    unknown ownership gives NA. Measures that are not on the building: False.
    """
    if not building_measure:
        return pd.Series(False, index=ownership.index, dtype="boolean")
    owner = ownership.astype("string")
    out = pd.Series(pd.NA, index=ownership.index, dtype="boolean")
    out[owner.isin(["huurder", "belegger"]).to_numpy(bool)] = True
    out[owner.eq("eigenaar-gebruiker").to_numpy(bool, na_value=False)] = False
    return out


def opportunity_list(analysis: Analysis, scope: str = "all") -> pd.DataFrame:
    """One row per building × applicable measure.

    Pass the whole analysed terrain (collective reasons count the companies
    taking part) and filter the result, e.g. on ``building_id``.

    Parameters
    ----------
    analysis : Analysis
        Output of :func:`analyse` (its buildings and assumptions).
    scope : {"all", "individual", "collective"}

    Returns
    -------
    DataFrame
        :data:`LIST_COLUMNS`: building and company; ``measure_id``,
        ``measure_name``, ``scope`` (individual / collective); ``reason``
        (Dutch); ``via_verhuurder``; the impact of the measure on this
        building (:data:`kansenkaart.engine.measure_rules.DETAIL_COLUMNS`:
        ``kwp``, ``elec_kwh_yr``, ``gas_m3_yr``, ``kwh_yr``, ``co2_kg_yr``,
        ``savings_eur_yr``, ``invest_eur``, ``payback_yr`` where the model can
        say; ``subsidy``, the scheme that fits this building, "" if none;
        ``basis``, gemeten / enquête / geschat); ``leidraad_step``;
        ``financing`` (the measure's general financing hints);
        ``interest`` (survey answer for this measure) and
        ``consent_werksessie``. Sorted by building, then catalogue order.

    Raises
    ------
    ValueError
        For an unknown scope.
    """
    if scope not in SCOPES:
        raise ValueError(f"onbekende schaal '{scope}'; kies uit {', '.join(SCOPES)}")
    a, analysed = analysis.assumptions, analysis.buildings
    pairs = pd.Series(analysed["measures"].to_numpy(), index=np.arange(len(analysed)))
    pairs = pairs.explode().dropna()
    counts = pairs.value_counts()
    frames = []
    for order, m in enumerate(measures.CATALOGUE):
        if scope != "all" and m.scope != scope:
            continue
        positions = pairs.index[pairs.to_numpy() == m.id].to_numpy()
        if not len(positions):
            continue
        rows = pd.DataFrame(analysed.iloc[positions])
        detail = m.detail(rows, a, int(counts[m.id]))
        via = via_verhuurder(rows["ownership"], m.building_measure)
        suffix = np.where(
            via.to_numpy(bool, na_value=False),
            _VIA_VERHUURDER,
            np.where(via.isna().to_numpy(), _MAYBE_VERHUURDER, ""),
        )
        interest = (
            rows[m.survey_column].astype("string")
            if m.survey_column
            else pd.Series(pd.NA, index=rows.index, dtype="string")
        )
        frames.append(
            pd.DataFrame(
                {
                    "building_id": rows["building_id"].astype("string"),
                    "company": rows["company"].astype("string"),
                    "address": rows["address"].astype("string"),
                    "measure_id": m.id,
                    "measure_name": m.name,
                    "scope": m.scope,
                    "reason": detail["reason"] + suffix,
                    "via_verhuurder": via,
                    **{c: detail[c] for c in measure_rules.DETAIL_COLUMNS[1:]},
                    "leidraad_step": m.leidraad_step,
                    "financing": "; ".join(m.financing),
                    "interest": interest,
                    "consent_werksessie": rows["consent_werksessie"].astype("boolean"),
                    "_position": positions,
                    "_order": order,
                }
            )
        )
    if not frames:
        return _empty_list()
    out = pd.concat(frames).sort_values(["_position", "_order"], kind="stable")
    out = out.drop(columns=["_position", "_order"]).reset_index(drop=True)
    return out.astype(_empty_list().dtypes.to_dict())


def measure_totals(analysis: Analysis) -> pd.DataFrame:
    """Totals per measure over the terrain.

    Parameters
    ----------
    analysis : Analysis
        Output of :func:`analyse` (the whole terrain).

    Returns
    -------
    DataFrame
        One row per catalogue measure (also those that apply nowhere):
        ``measure_id``, ``measure_name``, ``scope``, ``n_companies``,
        ``kwp``, ``kwh_yr``, ``co2_kg_yr``, ``invest_eur`` (sums; NA where the
        measure has no such figure) and ``privacy_ok`` (at least
        ``privacy_min_connections`` companies, so the total may be shown).
    """
    a = analysis.assumptions
    rows = opportunity_list(analysis, "all")
    sums = rows.groupby("measure_id")[["kwp", "kwh_yr", "co2_kg_yr", "invest_eur"]].sum(
        min_count=1
    )
    count = rows.groupby("measure_id").size()
    ids = [m.id for m in measures.CATALOGUE]
    out = pd.DataFrame(
        {
            "measure_id": ids,
            "measure_name": [m.name for m in measures.CATALOGUE],
            "scope": [m.scope for m in measures.CATALOGUE],
        }
    ).astype("string")
    out["n_companies"] = count.reindex(ids, fill_value=0).to_numpy()
    out["n_companies"] = out["n_companies"].astype("Int64")
    for column in ("kwp", "kwh_yr", "co2_kg_yr", "invest_eur"):
        out[column] = sums[column].reindex(ids).astype("Float64").to_numpy()
    out["privacy_ok"] = (out["n_companies"] >= a.privacy_min_connections.value).astype(
        "boolean"
    )
    return out


def terrain_balance(analysis: Analysis) -> energy.EnergyBalance:
    """Energy balance of the terrain toward energieneutraal 2035.

    See :class:`kansenkaart.engine.energy.EnergyBalance`; ``.sentences()`` gives it in
    Dutch ("Voor energieneutraal in 2035 is nog 3,2 MWp zon nodig.").
    """
    analysed = analysis.buildings
    return energy.balance(
        analysed["demand_kwh_yr"],
        analysed["demand_source"],
        analysed["elec_kwh_yr_est"],
        analysed["gas_m3_yr_est"],
        analysed["pv_kwh_yr_existing"],
        analysed["pv_kwh_yr_potential"],
        analysis.assumptions,
    )
