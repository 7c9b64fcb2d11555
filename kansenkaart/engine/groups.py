"""Collective groups: which buildings together take up a collective measure.

A collective measure (Leidraad step 4) is carried by a group of companies
with names, not by "everyone on the terrain". This module forms those groups
from the analysed buildings, in RD New (EPSG:28992) metres, and sums their
figures. Rules per measure (thresholds in :mod:`kansenkaart.core.assumptions`):

``collectieve_inkoop_zon``
    One purchase group per deelgebied (polygon of the terrain boundary) of the
    buildings where *zon op eigen dak* applies (the individual rule: roof,
    connection, grid): one Programma van Eisen per terrain, as in the pilots
    Noordenveld and De Punt.
``energy_hub``
    Neighbours that share a grid bottleneck: buildings on a congested grid
    (afname or invoeding status ≥ 1) in the same grid area, chained within
    ``hub_neighbour_m``, split into compact parts of at most
    ``hub_max_companies``. Members are producers (solar the roof can hold,
    existing plus room before the connection and feed-in caps, of at least
    ``sde_min_kwp`` that yields more than the building uses) and large users
    (at least ``hub_min_elec_kwh``); a part is a hub only with both
    (complementary profiles). A building with such solar
    whose use is unknown may be either (not judged, not left out).
``collectieve_batterij``
    The same neighbourhoods where feeding in is limited (invoeding ≥ 1);
    members are producers (as above): their surplus is what the grid cannot
    take.
``warmtenet_rwzi``
    Per heat source (RWZI, restwarmte, biogas): the buildings within its
    radius with a heat demand of at least ``warmtenet_min_heat_kwh``, each
    with the source of its best koppelscore. When the source states its supply
    (``heat_mwh_yr``) members join by koppelscore until the supply is used.
``koppelkansen_luchthaven``
    Per airport: the buildings within its radius that use at least
    ``hub_min_elec_kwh`` electricity (the demand the koppelscore matches).
Other collective measures (:data:`TERRAIN_WIDE`)
    One group per deelgebied of the buildings where the measure applies.

A group needs at least ``collective_min_companies`` members, except a group
around a source (:data:`WITH_SOURCE`): one company and the source are already
a coupling (Leidraad, pilot De Punt: Royal FloraHolland and the RWZI). The
groups of
:data:`GROUPED` are formed before the measures' rules run;
:func:`settle` then keeps the members the measure applies to and forms the
terrain-wide groups, and :func:`restrict` takes a grouped measure away from a
building outside every group of it. :func:`table` gives the groups with their
combined figures: the sums over the members of the figures the measure's
detail gives each member (as in the opportunity list), so the group and the
list always agree.
"""

from __future__ import annotations

import collections
import itertools
from collections.abc import Mapping

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from kansenkaart.core import fmt, texts
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.values import mask
from kansenkaart.engine import coupling, grid, measures, privacy

GROUPED = (
    "collectieve_inkoop_zon",
    "energy_hub",
    "collectieve_batterij",
    "warmtenet_rwzi",
    "koppelkansen_luchthaven",
)
"""Collective measures whose groups are formed before the measure rules run."""
TERRAIN_WIDE = tuple(
    m.id
    for m in measures.CATALOGUE
    if m.scope == measures.COLLECTIVE and m.id not in GROUPED
)
"""Collective measures with one group per deelgebied of the buildings they fit."""
WITH_SOURCE = ("warmtenet_rwzi", "koppelkansen_luchthaven")
"""Measures whose group is formed around a coupling source (one member will do)."""
COLUMN = "collective_groups"
"""Analysed column: per building the list of its group ids."""
MEMBERS = privacy.GROUP_MEMBERS
"""Column of :func:`table` with the member building ids (tuple)."""
PAIRS = ("position", "measure_id", "key", "label", "basis")
"""Columns of a membership table: row position of the building, measure,
group key within the measure, Dutch group label and the rule it follows."""
FIGURES = ("kwp", "mwh_yr", "co2_t_yr", "invest_eur")
"""Combined figures of a group (sums over the members)."""
SHARES = tuple(privacy.SHARE_PREFIX + f for f in FIGURES)
"""Per figure the largest share one member has of the group's sum
(:func:`kansenkaart.engine.privacy.largest_shares`, for the dominance rule)."""
_MEMBER_FIGURES = ("kwp", "kwh_yr", "co2_kg_yr", "invest_eur")
"""Columns of :func:`member_figures`, in the order of :data:`FIGURES`."""
INTEREST = ("n_interest_yes", "n_interest_maybe")
"""Members who answered "ja" / "misschien" to the measure in the survey."""


# --- building blocks --------------------------------------------------------------


def deelgebieden(
    geometry: gpd.GeoSeries,
    boundary: gpd.GeoDataFrame,
    points: np.ndarray | None = None,
) -> pd.Series:
    """Name of the deelgebied (boundary polygon) of every building.

    A building belongs to the polygon that holds its representative point,
    else to the nearest polygon; without a boundary all are in ``""``.
    Both layers in EPSG:28992. ``points``: the representative points when
    already known (``shapely.point_on_surface`` of ``geometry``).
    """
    if boundary is None or boundary.empty:
        return pd.Series("", index=geometry.index, dtype="string")
    names = (
        boundary["name"].astype("string").fillna("")
        if "name" in boundary.columns
        else pd.Series("", index=boundary.index, dtype="string")
    )
    if points is None:
        points = shapely.point_on_surface(geometry.to_numpy())
    d = shapely.distance(points[:, None], boundary.geometry.to_numpy()[None, :])
    nearest = np.argmin(d, axis=1) if len(boundary) else np.zeros(len(points), int)
    return pd.Series(names.to_numpy()[nearest], index=geometry.index, dtype="string")


def split_compact(
    xy: np.ndarray, max_size: int, within: np.ndarray | None = None
) -> np.ndarray:
    """Labels that cut points into compact parts of at most ``max_size``.

    Recursive median bisection along the longer side of the bounding box
    (the first half gets the smaller coordinates; equal coordinates keep the
    order of the part being cut); parts are numbered by their first point,
    so the result is deterministic. With ``within`` (a label per point) each
    labelled set is cut on its own and the parts are numbered by label, then
    by first point. All parts of one depth are cut in one vectorised step
    (``np.lexsort`` is stable), so the cost is about ``n log n``.
    """
    n = len(xy)
    if not n:
        return np.zeros(0, dtype=int)
    limit = max(1, max_size)
    start_label = np.zeros(n, dtype=int) if within is None else np.asarray(within)
    seq = np.argsort(start_label, kind="stable")  # points, each part contiguous
    starts = np.flatnonzero(np.r_[True, start_label[seq][1:] != start_label[seq][:-1]])
    # the order of the coordinates as integers (equal ones equal, NaN last)
    rank = np.stack([np.unique(c, return_inverse=True)[1] for c in xy.T], axis=1)
    step = int(rank.max()) + 1
    while True:
        sizes = np.diff(np.r_[starts, n])
        cut = sizes > limit
        if not cut.any():
            break
        points = xy[seq]
        spread = np.maximum.reduceat(points, starts) - np.minimum.reduceat(
            points, starts
        )
        # np.argmax of (x, y): y only when it is larger (a NaN counts as largest)
        along_y = ~np.isnan(spread[:, 0]) & (
            np.isnan(spread[:, 1]) | (spread[:, 1] > spread[:, 0])
        )
        part = np.repeat(np.arange(len(starts)), sizes)
        key = np.where(cut[part], rank[seq, along_y[part].astype(int)], 0)
        seq = seq[np.argsort(part * step + key, kind="stable")]
        starts = np.sort(np.r_[starts, starts[cut] + sizes[cut] // 2])
    first = np.minimum.reduceat(seq, starts)
    owner = start_label[first]
    rank = np.empty(len(starts), dtype=int)
    rank[np.lexsort((first, owner))] = np.arange(len(starts))
    labels = np.empty(n, dtype=int)
    labels[seq] = np.repeat(rank, np.diff(np.r_[starts, n]))
    return labels


def neighbourhoods(
    geometry: gpd.GeoSeries,
    eligible: np.ndarray,
    area: pd.Series,
    distance_m: float,
    max_size: int,
    labels: np.ndarray | None = None,
) -> np.ndarray:
    """Neighbourhood number per building (-1: none) for hubs and batteries.

    Buildings with ``eligible`` (congested grid) in the same ``area`` (grid
    area) are chained within ``distance_m`` (connected components); each
    component is cut by :func:`split_compact` into parts of at most
    ``max_size`` eligible buildings. ``labels``: those components of the
    eligible buildings when already known (:func:`coupling.linked_levels`).
    """
    out = np.full(len(geometry), -1)
    members = np.flatnonzero(eligible)
    if not len(members):
        return out
    geoms = geometry.to_numpy()[members]
    if labels is None:
        key = area.astype("string").fillna("").to_numpy(dtype=object)[members]
        labels = coupling.linked(geoms, distance_m, key)
    centre = shapely.get_coordinates(shapely.centroid(geoms))
    out[members] = split_compact(centre, max_size, within=labels)
    return out


def _texts(value, n: int) -> pd.Categorical:
    """``n`` times one text, or a ``Categorical`` as it is."""
    if isinstance(value, pd.Categorical):
        return value
    return pd.Categorical.from_codes(
        np.zeros(n, dtype=np.int8), pd.Index([str(value)], dtype=object)
    )


def _pairs(positions, measure_id: str, key, label, basis: str) -> pd.DataFrame:
    """A membership table (:data:`PAIRS`). ``key``: integer group key (one
    or per row); ``label``: one text or a ``Categorical`` per row. The texts
    are categorical, so that filtering and sorting 100,000 rows moves small
    integer codes, and a text is worded once per distinct value."""
    positions = np.asarray(positions, dtype=int)
    n = len(positions)
    return pd.DataFrame(
        {
            "position": positions,
            "measure_id": _texts(measure_id, n),
            "key": np.broadcast_to(np.asarray(key, dtype=np.int64), (n,)).copy(),
            "label": _texts(label, n),
            "basis": _texts(basis, n),
        }
    )


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Membership tables one after the other, texts kept categorical."""
    if not frames:
        return _empty_pairs()
    return pd.DataFrame(
        {
            c: (
                np.concatenate([f[c].to_numpy() for f in frames])
                if c in ("position", "key")
                else _union([f[c].array for f in frames])
            )
            for c in PAIRS
        }
    )


def _union(parts: list[pd.Categorical]) -> pd.Categorical:
    """Categoricals one after the other; the texts in order of appearance."""
    texts: dict[str, int] = {}
    codes = []
    for part in parts:
        recode = np.array(
            [texts.setdefault(t, len(texts)) for t in part.categories] + [-1],
            dtype=np.int64,
        )
        codes.append(recode[part.codes])
    return pd.Categorical.from_codes(
        np.concatenate(codes), pd.Index(list(texts), dtype=object)
    )


def _empty_pairs() -> pd.DataFrame:
    return _pairs(np.zeros(0, dtype=int), "", 0, "", "").assign(
        **{
            c: pd.Categorical([], categories=pd.Index([], dtype=object))
            for c in ("measure_id", "label", "basis")
        }
    )


def _areas(area: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Code per building of its deelgebied name, and the names."""
    codes, names = pd.factorize(area)
    return codes, pd.Index(np.asarray(names, dtype=object).astype(str), dtype=object)


# --- the groups per measure ---------------------------------------------------------


def _per_area(fits: np.ndarray, areas, measure_id: str, basis: str):
    """One group per deelgebied (``areas``: :func:`_areas`) of the ``fits``."""
    codes, names = areas
    positions = np.flatnonzero(fits)
    key = codes[positions]
    return _pairs(
        positions, measure_id, key, pd.Categorical.from_codes(key, names), basis
    )


def _solar_kwp(df: pd.DataFrame) -> pd.Series:
    """Solar the roof can hold: existing plus room for new panels (kWp).

    ``pv_kwp_roof`` is the room before the connection and feed-in caps of the
    solar advice: where feeding in is congested the advice is sized to own
    use, and what the roof could give beyond that is what a shared battery
    or a hub can take.
    """
    return df["pv_kwp_existing"].astype("Float64").fillna(0) + df["pv_kwp_roof"].astype(
        "Float64"
    ).fillna(0)


def _surplus_kwh(df: pd.DataFrame, a: Assumptions) -> pd.Series:
    """Yearly generation of :func:`_solar_kwp` above own use, kWh/yr (≥ 0)."""
    generation = _solar_kwp(df) * a.yield_kwh_per_kwp.value
    return (generation - df["elec_kwh_yr_est"].astype("Float64")).clip(lower=0)


def _neighbour_groups(
    df: pd.DataFrame,
    geometry: gpd.GeoSeries,
    area: pd.Series,
    a: Assumptions,
    links: np.ndarray | None = None,
) -> pd.DataFrame:
    """Energy hub and collective battery members per neighbourhood."""
    afname, invoeding = df["grid_afname_status"], df["grid_invoeding_status"]
    block = neighbourhoods(
        geometry,
        grid.congested(afname, invoeding),
        df["grid_area_id"],
        a.hub_neighbour_m.value,
        int(a.hub_max_companies.value),
        links,
    )
    elec = df["elec_kwh_yr_est"].astype("Float64")
    solar = mask(_solar_kwp(df) >= a.sde_min_kwp.value)
    unknown = solar & elec.isna().to_numpy()  # could be either
    producer = solar & mask(_surplus_kwh(df, a) > 0) | unknown
    consumer = mask(elec >= a.hub_min_elec_kwh.value) & ~producer | unknown
    in_block = block >= 0
    hub = (producer | consumer) & in_block
    frame = pd.DataFrame({"block": block, "producer": producer, "consumer": consumer})
    mixed = frame[hub].groupby("block")[["producer", "consumer"]].any().all(axis=1)
    hub &= np.isin(block, mixed.index[mixed.to_numpy()])
    battery = producer & in_block & mask(invoeding >= 1)
    codes, names = _areas(area)
    n = fmt.number(a.hub_neighbour_m.value, 0, "m")
    return _concat(
        [
            _pairs(
                np.flatnonzero(hub),
                "energy_hub",
                block[hub],
                pd.Categorical.from_codes(codes[hub], names),
                f"Buren op een krap net (zelfde netgebied, onderling binnen {n}): "
                "bedrijven met meer zonnestroom dan eigen verbruik en grote "
                "stroomgebruikers samen.",
            ),
            _pairs(
                np.flatnonzero(battery),
                "collectieve_batterij",
                block[battery],
                pd.Categorical.from_codes(codes[battery], names),
                f"Buren binnen {n} waar teruglevering beperkt is, elk met "
                f"minstens {fmt.number(a.sde_min_kwp.value, 0, 'kWp')} zon die "
                "meer opwekt dan het bedrijf zelf verbruikt.",
            ),
        ]
    )


def _source_groups(
    df: pd.DataFrame,
    geometry: gpd.GeoSeries,
    sources: gpd.GeoDataFrame,
    a: Assumptions,
    distances: np.ndarray | None = None,
) -> pd.DataFrame:
    """Heat network members per heat source, airport members per airport."""
    if sources is None or sources.empty or not len(df):
        return _empty_pairs()
    kind = sources["kind"].astype("string")
    d = distances
    if d is None:
        d = coupling.distance_matrix(gpd.GeoDataFrame(geometry=geometry), sources)
        d = d.to_numpy(float)
    radius = coupling.radius_m(kind, a)
    heat_kwh = df["heat_demand_kwh_yr"].to_numpy(float, na_value=np.nan)
    elec_kwh = df["elec_kwh_yr_est"].to_numpy(float, na_value=np.nan)
    is_heat = kind.isin(coupling.HEAT_KINDS).to_numpy(bool, na_value=False)
    is_airport = kind.eq(coupling.AIRPORT).to_numpy(bool, na_value=False)
    score = coupling.chance_score(d, radius, is_heat, heat_kwh, elec_kwh, a)
    score = np.where(np.isnan(score), 0.0, score)
    names = sources["name"].astype("string").fillna("").to_numpy(dtype=object)
    ids = pd.factorize(sources["source_id"].astype(str).to_numpy())[0]
    supply = (
        pd.to_numeric(sources["heat_mwh_yr"], errors="coerce").to_numpy(float) * 1000
        if "heat_mwh_yr" in sources.columns
        else np.full(len(sources), np.nan)
    )
    frames = []
    if is_heat.any():
        heat_score = np.where(is_heat[None, :], score, -1.0)
        best = np.argmax(heat_score, axis=1)
        enough = np.nan_to_num(heat_kwh) >= a.warmtenet_min_heat_kwh.value
        for j in np.flatnonzero(is_heat):
            fits = np.flatnonzero((best == j) & (score[:, j] > 0) & enough)
            fits = fits[np.argsort(-score[fits, j], kind="stable")]
            if np.isfinite(supply[j]):
                fits = fits[np.cumsum(heat_kwh[fits]) <= supply[j]]
            frames.append(
                _pairs(
                    np.sort(fits),
                    "warmtenet_rwzi",
                    ids[j],
                    names[j],
                    f"Binnen {fmt.number(radius[j], 0, 'm')} van {names[j]} en "
                    "minstens "
                    f"{fmt.number(a.warmtenet_min_heat_kwh.value / 1000, 0, 'MWh')}"
                    " warmtevraag per jaar"
                    + (
                        f"; samen niet meer dan het aanbod van "
                        f"{fmt.number(supply[j] / 1000, 0, 'MWh')} per jaar."
                        if np.isfinite(supply[j])
                        else "."
                    ),
                )
            )
    large = np.nan_to_num(elec_kwh) >= a.hub_min_elec_kwh.value
    for j in np.flatnonzero(is_airport):
        fits = np.flatnonzero((d[:, j] <= radius[j]) & large)
        frames.append(
            _pairs(
                fits,
                "koppelkansen_luchthaven",
                ids[j],
                names[j],
                f"Binnen {fmt.number(radius[j], 0, 'm')} van {names[j]} en minstens "
                f"{fmt.number(a.hub_min_elec_kwh.value / 1000, 0, 'MWh')} "
                "stroomverbruik per jaar.",
            )
        )
    return _concat(frames)


def _number(pairs: pd.DataFrame, a: Assumptions) -> pd.DataFrame:
    """Groups large enough (see the module docstring), with ids ``<measure>-<k>``.

    Per measure the largest group gets 1 (ties: the group with the first
    building first). Rows sorted by group id (as text), then position;
    ``group_id`` categorical with the ids in that order.
    """
    if pairs.empty:
        return pairs.assign(group_id=_texts("", 0).remove_categories(""))
    # measures numbered in the order of their ids as text
    names = np.asarray(pairs["measure_id"].cat.categories, dtype=object)
    by_text = np.argsort(names.astype(str), kind="stable")
    rank = np.empty(len(names), dtype=int)
    rank[by_text] = np.arange(len(names))
    measure, measure_names = (
        rank[pairs["measure_id"].cat.codes.to_numpy()],
        names[by_text],
    )
    key = pairs["key"].to_numpy(np.int64)
    group = pd.factorize(measure * (key.max() + 1) + key)[0]
    size = np.bincount(group)[group]
    with_source = np.isin(measure_names, WITH_SOURCE)[measure]
    kept = size >= np.where(with_source, 1, a.collective_min_companies.value)
    if not kept.any():
        return pairs[kept].assign(group_id=_texts("", 0).remove_categories(""))
    position = pairs["position"].to_numpy(int)[kept]
    measure, group = measure[kept], pd.factorize(group[kept])[0]
    n_groups = group.max() + 1
    size = np.bincount(group, minlength=n_groups)
    first = np.full(n_groups, np.iinfo(int).max)
    np.minimum.at(first, group, position)
    of_group = np.zeros(n_groups, dtype=int)
    of_group[group] = measure
    order = np.lexsort((first, -size, of_group))  # by measure, largest first
    start = np.r_[True, of_group[order][1:] != of_group[order][:-1]]
    begin = np.maximum.accumulate(np.where(start, np.arange(len(order)), 0))
    k = np.empty(n_groups, dtype=int)
    k[order] = np.arange(len(order)) - begin + 1
    ids = np.array(
        [
            f"{m}-{n}"
            for m, n in zip(measure_names[of_group].tolist(), k.tolist(), strict=True)
        ],
        dtype=object,
    )
    by_id = np.argsort(ids.astype(str), kind="stable")
    rank = np.empty(n_groups, dtype=np.int64)
    rank[by_id] = np.arange(n_groups)
    # by group id, then position: one stable sort of one integer key
    rows = np.argsort(rank[group] * (position.max() + 1) + position, kind="stable")
    out = pairs.iloc[np.flatnonzero(kept)[rows]].reset_index(drop=True)
    out["group_id"] = pd.Categorical.from_codes(
        rank[group[rows]], pd.Index(ids[by_id], dtype=object)
    )
    return out


def candidates(
    df: pd.DataFrame,
    geometry: gpd.GeoSeries,
    area: pd.Series,
    sources: gpd.GeoDataFrame,
    solar_fits: np.ndarray,
    a: Assumptions,
    links: np.ndarray | None = None,
    distances: np.ndarray | None = None,
) -> pd.DataFrame:
    """The groups of :data:`GROUPED`, before the measure rules run.

    Parameters
    ----------
    df : DataFrame
        Buildings with the energy, solar, grid and coupling columns of
        :func:`kansenkaart.analyse`; not modified.
    geometry : GeoSeries
        Their polygons, EPSG:28992.
    area : Series of str
        Deelgebied per building (:func:`deelgebieden`).
    sources : GeoDataFrame
        Coupling sources (schema SOURCES), EPSG:28992.
    solar_fits : ndarray of bool
        Where *zon op eigen dak* applies.
    a : Assumptions
    links : ndarray of int, optional
        The chains of the congested buildings within each grid area when
        already known (:func:`neighbourhoods`).
    distances : ndarray of float, optional
        Distance (m) from every building to every source when already known
        (:func:`kansenkaart.engine.coupling.distance_matrix`).

    Returns
    -------
    DataFrame
        One row per building × group: :data:`PAIRS` plus ``group_id``.
    """
    pairs = _concat(
        [
            _per_area(
                np.asarray(solar_fits, bool),
                _areas(area),
                "collectieve_inkoop_zon",
                "Alle bedrijven in het deelgebied met een dak dat geschikt is "
                "voor zonnepanelen: samen één Programma van Eisen.",
            ),
            _neighbour_groups(df, geometry, area, a, links),
            _source_groups(df, geometry, sources, a, distances),
        ]
    )
    return _number(pairs, a)


def membership(pairs: pd.DataFrame, index: pd.Index) -> pd.Series:
    """Column :data:`COLUMN`: per building the list of its group ids."""
    positions = pairs["position"].to_numpy(int)
    by_building = np.argsort(positions, kind="stable")  # pair order kept
    group_ids = pairs["group_id"].to_numpy(dtype=object)[by_building].tolist()
    ends = np.cumsum(np.bincount(positions, minlength=len(index))).tolist()
    lists = [group_ids[b:e] for b, e in zip([0, *ends][:-1], ends, strict=True)]
    return pd.Series(lists, index=index, dtype=object, name=COLUMN)


def measure_of(group_id: str) -> str:
    """The measure id of a group id (``energy_hub-2`` → ``energy_hub``)."""
    return str(group_id).rsplit("-", 1)[0]


def _columns(pairs: pd.DataFrame, column: dict[str, int]) -> np.ndarray:
    """Per pair the column number of its measure (``column``: id → number)."""
    measure = pairs["measure_id"].astype("category")
    numbers = [column.get(m, -1) for m in measure.cat.categories]
    return np.array(numbers, dtype=int)[measure.cat.codes.to_numpy()]


def settle(
    pairs: pd.DataFrame, relevant: pd.DataFrame, area: pd.Series, a: Assumptions
) -> pd.DataFrame:
    """The final groups once the measure rules have run.

    Grouped measures keep the members the measure applies to; each measure
    of :data:`TERRAIN_WIDE` gets one group per deelgebied of the buildings it
    applies to. Groups that became too small are dropped and the groups
    renumbered.

    Parameters
    ----------
    pairs : DataFrame
        :func:`candidates`.
    relevant : DataFrame of bool
        :func:`kansenkaart.engine.measures.relevance` (row order of the
        buildings).
    area : Series of str
        Deelgebied per building.
    a : Assumptions
    """
    fits = relevant.to_numpy(bool)
    column = {m: k for k, m in enumerate(relevant.columns)}
    keep = fits[pairs["position"].to_numpy(int), _columns(pairs, column)]
    areas = _areas(area)
    wide = [
        _per_area(
            fits[:, column[m]],
            areas,
            m,
            "Alle bedrijven in het deelgebied waarvoor de maatregel geldt.",
        )
        for m in TERRAIN_WIDE
        if m in column
    ]
    kept = pairs[keep.astype(bool)][list(PAIRS)] if len(pairs) else _empty_pairs()
    return _number(_concat([kept, *wide]), a)


def restrict(relevant: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    """``relevant`` with every collective measure only for its group members."""
    out = relevant.copy()
    member = np.zeros(out.shape, dtype=bool)
    column = {m: k for k, m in enumerate(out.columns)}
    member[pairs["position"].to_numpy(int), _columns(pairs, column)] = True
    for m in measures.CATALOGUE:
        if m.scope == measures.COLLECTIVE and m.id in column:
            out[m.id] = out[m.id].to_numpy(bool) & member[:, column[m.id]]
    return out


# --- the table -------------------------------------------------------------------

_TABLE = {
    "group_id": "string",
    "measure_id": "string",
    "measure_name": "string",
    "name": "string",
    "basis": "string",
    "figures_basis": "string",
    MEMBERS: object,
    "n_companies": "Int64",
    **{f: "Float64" for f in FIGURES},
    **{f: "Int64" for f in INTEREST},
    **{f: "Float64" for f in SHARES},
}
"""Columns of :func:`table` and their dtypes."""


def _empty_table() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in _TABLE.items()})


_OWN_FIGURES = "Opgeteld uit de kansenlijst per bedrijf."
FIGURE_BASIS = {
    "energy_hub": "kWp: zon die op de daken van de leden past (bestaand + "
    "ruimte, vóór begrenzing door aansluiting en net); MWh: hun stroomverbruik "
    "per jaar.",
    "collectieve_batterij": "kWp: zon die op de daken van de leden past "
    "(bestaand + ruimte, vóór begrenzing door aansluiting en net); MWh: die "
    "zonnestroom boven het eigen verbruik per jaar.",
    "koppelkansen_luchthaven": "MWh: stroomverbruik van de leden per jaar.",
}
"""What a group's kWp and MWh mean where the measure's detail gives none
(Dutch); other groups sum the figures of the opportunity list."""


def member_figures(
    analysed: pd.DataFrame,
    positions: np.ndarray,
    measure,
    a: Assumptions,
    count: int,
    group: np.ndarray,
) -> pd.DataFrame:
    """Figures of each member of the groups of ``measure`` (``kwp``,
    ``kwh_yr``, ``co2_kg_yr``, ``invest_eur``), one row per member.

    ``positions`` are the members' row positions in ``analysed`` and
    ``group`` their group (any label). The measure's detail (as in the
    opportunity list, without its texts); in a group where it gives no kWp
    or kWh at all, the group's own quantity of :data:`FIGURE_BASIS`. One
    call per measure on the whole terrain, then the members' rows: the
    detail works row by row, so this equals the detail of the members alone
    without copying their rows first.
    """
    figures = measure.detail(analysed, a, count, wording=False)[list(_MEMBER_FIGURES)]
    detail = figures.iloc[positions].reset_index(drop=True)

    def elec():
        return analysed["elec_kwh_yr_est"].astype("Float64")

    own = {  # worked out only for the measure asked: each is a pass over the terrain
        "energy_hub": lambda: (_solar_kwp(analysed), elec()),
        "collectieve_batterij": lambda: (
            _solar_kwp(analysed),
            _surplus_kwh(analysed, a),
        ),
        "koppelkansen_luchthaven": lambda: (None, elec()),
    }.get(measure.id)
    if own is not None:
        for column, values in zip(("kwp", "kwh_yr"), own(), strict=True):
            if values is None:
                continue
            empty = detail[column].isna().groupby(group).transform("all").to_numpy()
            filled = values.astype("Float64").iloc[positions].reset_index(drop=True)
            detail[column] = detail[column].astype("Float64").mask(empty, filled)
    return detail


def _interest(
    analysed: pd.DataFrame, positions: np.ndarray, measure, group: np.ndarray
) -> pd.DataFrame:
    """Members per group who answered "ja" and "misschien" (NA: not asked).

    ``group``: per member its group number (0, 1, …, each number used).
    """
    groups = pd.unique(group)
    if not measure.survey_column or measure.survey_column not in analysed.columns:
        return pd.DataFrame({"yes": pd.NA, "maybe": pd.NA}, index=groups)
    answer = analysed[measure.survey_column].astype("string").iloc[positions]
    return pd.DataFrame(
        {
            key: np.bincount(
                group[answer.eq(word).to_numpy(bool, na_value=False)],
                minlength=len(groups),
            )
            for key, word in (("yes", texts.YES), ("maybe", texts.MAYBE))
        }
    )


def table(
    pairs: pd.DataFrame,
    analysed: pd.DataFrame,
    a: Assumptions,
    counts: Mapping[str, int] | None = None,
) -> pd.DataFrame:
    """The collective groups with their members and combined figures.

    Parameters
    ----------
    pairs : DataFrame
        :func:`settle`.
    analysed : DataFrame
        The analysed buildings (with ``measures`` and the survey answers).
    a : Assumptions
    counts : mapping of str to int, optional
        Buildings per measure id in ``measures`` when already known (else
        counted from the lists).

    Returns
    -------
    DataFrame
        One row per group, by measure (catalogue order) then group number:
        ``group_id``, ``measure_id``, ``measure_name``, ``name`` (Dutch),
        ``basis`` (the rule, Dutch), ``figures_basis`` (what kWp and MWh
        mean, Dutch), :data:`MEMBERS` (tuple of building ids),
        ``n_companies``; ``kwp``, ``mwh_yr`` (generated, saved or supplied),
        ``co2_t_yr`` (avoided) and ``invest_eur``: the sums over the members
        of :func:`member_figures` (NA when the measure has no such figure);
        ``n_interest_yes`` and
        ``n_interest_maybe``: members with that survey answer for the measure
        (NA when the survey does not ask about it); :data:`SHARES`: the
        largest share of one member in each figure.
    """
    if counts is None:
        counts = collections.Counter(
            itertools.chain.from_iterable(analysed["measures"])
        )
    ids = analysed["building_id"].astype(str).to_numpy()
    order = {m.id: k for k, m in enumerate(measures.CATALOGUE)}
    frames = []
    for measure_id, of_measure_ in pairs.groupby(
        "measure_id", sort=False, observed=True
    ):
        measure = measures.BY_ID[measure_id]
        positions = of_measure_["position"].to_numpy(int)
        # the groups numbered in the order of their ids as text (see _number)
        ids_of = of_measure_["group_id"]
        used, group = np.unique(ids_of.cat.codes.to_numpy(), return_inverse=True)
        group_ids = np.asarray(ids_of.cat.categories, dtype=object)[used]
        count = int(counts.get(measure.id, len(positions)))
        each = member_figures(analysed, positions, measure, a, count, group)
        sums = each.groupby(group).sum(min_count=1)
        shares = privacy.largest_shares(
            each.assign(group_id=group), "group_id", _MEMBER_FIGURES
        )
        interest = _interest(analysed, positions, measure, group)
        by_group = np.argsort(group, kind="stable")  # members in pair order
        starts = np.flatnonzero(np.r_[True, np.diff(group[by_group]) != 0])
        ends = np.r_[starts[1:], len(group)]
        first = of_measure_.iloc[by_group[starts]]
        per_group = pd.concat(
            [sums, shares.add_prefix(privacy.SHARE_PREFIX), interest], axis=1
        ).reindex(np.arange(len(group_ids)))
        label = first["label"].to_numpy(dtype=object).astype(str)
        number = np.array([g.rsplit("-", 1)[1] for g in group_ids])
        members = ids[positions[by_group]].tolist()
        frames.append(
            pd.DataFrame(
                {
                    "group_id": group_ids,
                    "measure_id": measure.id,
                    "measure_name": measure.name,
                    "name": [
                        f"{measure.name} – groep {k}" + (f" ({name})" if name else "")
                        for k, name in zip(number.tolist(), label.tolist(), strict=True)
                    ],
                    "basis": first["basis"].to_numpy(),
                    "figures_basis": FIGURE_BASIS.get(measure.id, _OWN_FIGURES),
                    MEMBERS: [
                        tuple(members[b:e])
                        for b, e in zip(starts.tolist(), ends.tolist(), strict=True)
                    ],
                    "n_companies": ends - starts,
                    "kwp": per_group["kwp"].to_numpy(),
                    "mwh_yr": (per_group["kwh_yr"] / 1000).to_numpy(),
                    "co2_t_yr": (per_group["co2_kg_yr"] / 1000).to_numpy(),
                    "invest_eur": per_group["invest_eur"].to_numpy(),
                    "n_interest_yes": per_group["yes"].to_numpy(),
                    "n_interest_maybe": per_group["maybe"].to_numpy(),
                    **{
                        share: per_group[privacy.SHARE_PREFIX + column].to_numpy()
                        for share, column in zip(SHARES, _MEMBER_FIGURES, strict=True)
                    },
                    "_measure": order[measure.id],
                    "_number": number.astype(int),
                }
            )
        )
    if not frames:
        return _empty_table()
    out = pd.concat(frames, ignore_index=True).sort_values(["_measure", "_number"])
    out = out.drop(columns=["_measure", "_number"])
    return out.astype(_TABLE).reset_index(drop=True)


def of_measure(groups: pd.DataFrame | None, measure_id: str | None) -> pd.DataFrame:
    """The groups of one measure, or all for None (columns of :func:`table`)."""
    if groups is None or groups.empty:
        return _empty_table()
    if measure_id is None:
        return groups
    return groups[groups["measure_id"].astype(str) == measure_id].reset_index(drop=True)


# --- survey interest (Werkgroepen, kopgroep) ----------------------------------------


def _answers(shown: pd.DataFrame, column: str) -> tuple[int, int]:
    answer = shown[column].astype("string") if column in shown.columns else None
    if answer is None:
        return 0, 0
    return int(answer.eq(texts.YES).sum()), int(answer.eq(texts.MAYBE).sum())


def survey_interest(buildings: pd.DataFrame, variant: str) -> pd.DataFrame:
    """Survey answers "ja" and "misschien" per measure the survey asks about.

    Parameters
    ----------
    buildings : DataFrame
        Analysed buildings with the ``interest_<measure>`` answers.
    variant : {"intern", "openbaar"}
        In ``openbaar`` only companies that consented count: the answers of
        the others are blanked first (:func:`privacy.redact_buildings`).

    Returns
    -------
    DataFrame
        ``measure_id``, ``n_interest_yes``, ``n_interest_maybe`` (Int64), one
        row per measure of the survey, in catalogue order.
    """
    shown = privacy.redact_buildings(buildings, variant)
    rows = [
        (m.id, *_answers(shown, m.survey_column))
        for m in measures.CATALOGUE
        if m.survey_column
    ]
    out = pd.DataFrame(rows, columns=["measure_id", *INTEREST])
    return out.astype({"measure_id": "string", **{c: "Int64" for c in INTEREST}})


def group_interest(
    groups: pd.DataFrame, buildings: pd.DataFrame, variant: str
) -> pd.DataFrame:
    """``groups`` with the interest counts of :func:`survey_interest` per group.

    Consent as in :func:`survey_interest`; NA where the survey does not ask
    about the group's measure.
    """
    shown = privacy.redact_buildings(buildings, variant)
    shown = shown.set_index(shown["building_id"].astype(str))
    out = groups.copy()
    for k, g in enumerate(groups.itertuples(index=False)):
        column = measures.BY_ID[g.measure_id].survey_column
        counts = (
            _answers(shown.loc[list(g.member_ids)], column)
            if column
            else (pd.NA, pd.NA)
        )
        for name, value in zip(INTEREST, counts, strict=True):
            out.iloc[k, out.columns.get_loc(name)] = value
    return out
