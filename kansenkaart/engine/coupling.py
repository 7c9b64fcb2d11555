"""Coupling chances as a score: distance decay × matching demand.

Everything is computed in RD New (EPSG:28992) metres: the distance from a
building polygon to a source geometry is the shortest distance between them
(0 when they touch).

Koppelscore of building *i* and source *j* (0–1)::

    score = max(0, 1 − d_ij / r_j) · D_i / (D_i + D_ref)

- distance decay: linear from 1 at the source to 0 at the radius ``r_j`` of
  the source's kind (RWZI and restwarmte 1,500 m, luchthaven 2,500 m, other
  1,000 m by default): the cost of a heat pipe or a cable grows with its
  length, and beyond the radius a connection is not worth exploring;
- matching demand: what the source can serve, against a reference demand
  ``D_ref`` that gives half the demand factor. Heat sources (rwzi,
  restwarmte, biogas) match the building's heat demand (kWh/yr,
  ``coupling_ref_heat_kwh``); the others match its electricity use
  (``coupling_ref_elec_kwh``). For an airport that is electricity: the
  Leidraad names Groningen Airport Eelde as a partner "aangehaakt bij deze
  gesprekken" over koppelkansen at De Punt without naming a carrier, and the
  terrain data hold no hydrogen demand, so shared generation, storage and
  charging (electricity) is what can be scored.

The demand factor keeps rising with demand (it does not cap), so at the same
distance a larger user always ranks higher: on De Punt the large heat users
beside the RWZI come first. A building's ``coupling_score`` is its best score
over all sources, ``coupling_source_id`` the source that gives it.

Neighbour clusters: where the grid is congested (afname or invoeding status
≥ 1), buildings within ``hub_neighbour_m`` of each other form a cluster
(connected components), the candidates for an energy hub or a shared battery.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely

from kansenkaart.core.assumptions import Assumptions

HEAT_KINDS = ("rwzi", "restwarmte", "biogas")
"""Source kinds that supply heat (or gas for heat)."""
AIRPORT = "luchthaven"


def radius_m(kind: pd.Series, a: Assumptions) -> np.ndarray:
    """Coupling radius (m) per source kind, from the assumptions."""
    radii = {
        "rwzi": a.coupling_radius_rwzi_m.value,
        "restwarmte": a.coupling_radius_restwarmte_m.value,
        AIRPORT: a.coupling_radius_luchthaven_m.value,
    }
    return (
        kind.astype("string")
        .map(radii)
        .astype("Float64")
        .fillna(a.coupling_radius_other_m.value)
        .to_numpy(float)
    )


def distance_matrix(
    buildings: gpd.GeoDataFrame, sources: gpd.GeoDataFrame
) -> pd.DataFrame:
    """Distance (m) from every building to every source, both in EPSG:28992.

    Returns
    -------
    DataFrame
        Index of ``buildings``, one column per ``source_id``.
    """
    d = shapely.distance(
        buildings.geometry.to_numpy()[:, None], sources.geometry.to_numpy()[None, :]
    )
    return pd.DataFrame(
        d, index=buildings.index, columns=sources["source_id"].astype(str).tolist()
    )


def decay(distance_m: np.ndarray, radius_m: np.ndarray) -> np.ndarray:
    """Distance decay: 1 at the source, linearly to 0 at the radius (m)."""
    return np.clip(1 - np.asarray(distance_m, float) / radius_m, 0, 1)


def demand_match(demand_kwh: np.ndarray, reference_kwh: float) -> np.ndarray:
    """Demand factor ``D / (D + D_ref)``: ½ at the reference, towards 1 above.

    Negative demand counts as none; unknown demand (NaN) stays NaN.
    """
    d = np.clip(np.asarray(demand_kwh, float), 0, None)
    return d / (d + reference_kwh)


def chance_score(
    distance_m: np.ndarray,
    radius: np.ndarray,
    heat_source: np.ndarray,
    heat_kwh: np.ndarray,
    elec_kwh: np.ndarray,
    a: Assumptions,
) -> np.ndarray:
    """Chance score (0–1) per building × source; see the module docstring.

    Parameters
    ----------
    distance_m : ndarray (n, m)
        Building–source distances (m).
    radius : ndarray (m,)
        Radius per source (m).
    heat_source : ndarray of bool (m,)
        True for heat sources.
    heat_kwh, elec_kwh : ndarray (n,)
        Heat and electricity demand (kWh/yr); NaN where unknown.
    a : Assumptions

    Returns
    -------
    ndarray (n, m); NaN where the demand is unknown.
    """
    closeness = decay(distance_m, radius[None, :])
    heat = demand_match(heat_kwh, a.coupling_ref_heat_kwh.value)
    elec = demand_match(elec_kwh, a.coupling_ref_elec_kwh.value)
    demand = np.where(heat_source[None, :], heat[:, None], elec[:, None])
    return closeness * demand


def _nearest(d: np.ndarray, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position and distance of the nearest allowed column per row (-1, NaN if none)."""
    if not columns.any():
        return np.full(len(d), -1), np.full(len(d), np.nan)
    masked = np.where(columns[None, :], d, np.inf)
    pos = np.argmin(masked, axis=1)
    dist = masked[np.arange(len(d)), pos]
    found = np.isfinite(dist)
    return np.where(found, pos, -1), np.where(found, dist, np.nan)


def _best(score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Position and value of the highest score per row (-1, NaN if none known)."""
    if score.shape[1] == 0:
        return np.full(len(score), -1), np.full(len(score), np.nan)
    filled = np.where(np.isnan(score), -1.0, score)
    pos = np.argmax(filled, axis=1)
    value = filled[np.arange(len(score)), pos]
    known = value >= 0
    return np.where(known, pos, -1), np.where(known, value, np.nan)


def _take(values: np.ndarray, pos: np.ndarray, missing=None) -> np.ndarray:
    """``values[pos]`` with ``missing`` where ``pos`` is -1."""
    return np.append(np.asarray(values, dtype=object), missing)[pos]


def _take_strings(values: np.ndarray, pos: np.ndarray) -> pd.arrays.ArrowStringArray:
    """``values[pos]`` as strings, NA where ``pos`` is -1 (taken by pyarrow)."""
    strings = pa.array(np.asarray(values, dtype=object), type=pa.large_string())
    return pd.array(strings.take(pa.array(pos, mask=pos < 0)), dtype="string")


def coupling(
    buildings: gpd.GeoDataFrame,
    sources: gpd.GeoDataFrame,
    heat_kwh: pd.Series,
    elec_kwh: pd.Series,
    a: Assumptions,
    distances: np.ndarray | None = None,
) -> pd.DataFrame:
    """Nearest sources and the best coupling chance per building.

    Parameters
    ----------
    buildings : GeoDataFrame
        EPSG:28992; not modified.
    sources : GeoDataFrame
        Schema SOURCES, EPSG:28992.
    heat_kwh, elec_kwh : Series of float
        Heat and electricity demand (kWh/yr).
    a : Assumptions
    distances : ndarray of float, optional
        :func:`distance_matrix` of the buildings and sources (m) when already
        known.

    Returns
    -------
    DataFrame
        ``nearest_source_id``, ``nearest_source_m`` (any kind);
        ``heat_source_id``, ``heat_source_name``, ``heat_source_m``,
        ``heat_source_in_range`` (nearest heat source and whether it is within
        its kind's radius); ``airport_name``, ``airport_m``,
        ``airport_in_range``; ``coupling_source_id`` and ``coupling_score``
        (best chance score, 0–1). Distances in m. Without sources the ids and
        distances are NA and the ``*_in_range`` flags False (no known source).
    """
    n, m = len(buildings), len(sources)
    idx = buildings.index
    kind = sources["kind"].astype("string")
    d = distances
    if d is None:
        d = (
            distance_matrix(buildings, sources).to_numpy()
            if m and n
            else np.empty((n, m))
        )
    ids = sources["source_id"].astype(str).to_numpy()
    names = sources["name"].astype(str).to_numpy()
    radius = radius_m(kind, a)
    is_heat = kind.isin(HEAT_KINDS).to_numpy(bool)
    is_airport = kind.eq(AIRPORT).to_numpy(bool, na_value=False)

    any_pos, any_d = _nearest(d, np.ones(m, dtype=bool))
    heat_pos, heat_d = _nearest(d, is_heat)
    air_pos, air_d = _nearest(d, is_airport)
    heat_radius = _take(radius, heat_pos, np.nan).astype(float)
    air_radius = _take(radius, air_pos, np.nan).astype(float)

    score = chance_score(
        d,
        radius,
        is_heat,
        heat_kwh.to_numpy(float, na_value=np.nan),
        elec_kwh.to_numpy(float, na_value=np.nan),
        a,
    )
    best_pos, best = _best(score)
    return pd.DataFrame(
        {
            "nearest_source_id": _take_strings(ids, any_pos),
            "nearest_source_m": pd.array(any_d, dtype="Float64"),
            "heat_source_id": _take_strings(ids, heat_pos),
            "heat_source_name": _take_strings(names, heat_pos),
            "heat_source_m": pd.array(heat_d, dtype="Float64"),
            "heat_source_in_range": pd.array(heat_d <= heat_radius, dtype="boolean"),
            "airport_name": _take_strings(names, air_pos),
            "airport_m": pd.array(air_d, dtype="Float64"),
            "airport_in_range": pd.array(air_d <= air_radius, dtype="boolean"),
            "coupling_source_id": _take_strings(ids, best_pos),
            "coupling_score": pd.array(best, dtype="Float64"),
        },
        index=idx,
    )


def coupling_note(sources: pd.DataFrame, score: pd.Series) -> str:
    """Why a terrain's coupling view shows little, in Dutch ("" when it is fine).

    Parameters
    ----------
    sources : DataFrame
        Schema SOURCES (``kind``, ``name``).
    score : Series of float
        ``coupling_score`` of the buildings.

    Returns
    -------
    str
        Empty when some building has a score above 0 for a heat source or an
        airport; otherwise what is missing and what the score then shows.
    """
    kind = sources["kind"].astype("string") if len(sources) else pd.Series()
    if not len(sources):
        return (
            "Geen koppelbronnen bekend voor dit terrein (RWZI, restwarmte, "
            "luchthaven): voeg ze toe in sources.geojson om koppelkansen te zien."
        )
    matched = kind.isin([*HEAT_KINDS, AIRPORT]).to_numpy(bool, na_value=False)
    scored = bool((score.astype("Float64").fillna(0) > 0).any())
    if not matched.any():
        names = ", ".join(
            f"{n} ({k})"
            for n, k in zip(
                sources["name"].astype(str), kind.fillna("overig"), strict=True
            )
        )
        return (
            "Geen warmtebron (RWZI, restwarmte) of luchthaven bij dit terrein. "
            f"De koppelscore gaat hier over {names}: stroom direct afnemen, "
            "naar afstand en stroomverbruik."
            + ("" if scored else " Geen pand ligt binnen het bereik.")
        )
    if not scored:
        return "Geen pand ligt binnen het bereik van een koppelbron."
    return ""


def components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Connected components of an undirected graph given as edge arrays.

    Hook and shortcut (Shiloach–Vishkin): per round every edge between two
    trees hooks the larger root under the smaller one, then all paths are
    compressed to their root; a few rounds of O(edges) array work, whatever
    the shape of the graph. Each node ends with the smallest node number of
    its component (a label only ever points to a smaller or equal number).
    """
    labels = np.arange(n)
    i, j = np.asarray(i, dtype=int), np.asarray(j, dtype=int)
    while True:
        li, lj = labels[i], labels[j]
        differ = li != lj
        if not differ.any():
            return labels
        li, lj = li[differ], lj[differ]
        np.minimum.at(labels, np.maximum(li, lj), np.minimum(li, lj))
        while not np.array_equal(jumped := labels[labels], labels):
            labels = jumped


def linked(
    geometry: np.ndarray, distance_m: float, key: np.ndarray | None = None
) -> np.ndarray:
    """Components of geometries chained within ``distance_m`` of each other.

    Two geometries are linked when their shortest distance is at most
    ``distance_m`` (and, with ``key``, their keys are equal); the result is
    :func:`components` of that graph, the same as from a full
    ``STRtree.query(predicate="dwithin")`` but linear in practice: candidate
    pairs come from the bounding boxes (a gap above ``distance_m`` is never a
    link); a pair whose first vertices lie within ``distance_m`` is certainly
    a link (the geometries are at least that close); only the remaining pairs
    that join two different components get the exact polygon distance.

    Parameters
    ----------
    geometry : ndarray of shapely geometries
        In metres (EPSG:28992).
    distance_m : float
    key : ndarray, optional
        Per geometry; only geometries with equal keys are linked (missing
        keys count as one key).

    Returns
    -------
    ndarray of int
        Per geometry the smallest position in its component.
    """
    if key is None:
        return linked_levels(geometry, distance_m, np.zeros(len(geometry)))[1]
    return linked_levels(geometry, distance_m, key)[0]


def box_pairs(box: np.ndarray, distance_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``i < j`` of boxes whose gap is at most ``distance_m``.

    ``box``: ``(xmin, ymin, xmax, ymax)`` per row (``shapely.bounds``; a row
    with NaN, an empty geometry, has no pairs). A pair is kept when box ``j``
    meets box ``i`` grown by ``distance_m`` on every side and the straight gap
    between the boxes (``hypot`` of the gaps along x and y) is at most
    ``distance_m``: the candidates of :func:`linked`, as a search tree of the
    boxes would give them. Found by a sweep instead of a tree: every box,
    grown by a little more than half the distance, is listed in the
    horizontal strips it covers (strips as high as the median grown box),
    sorted by its left side; per box the candidates are the boxes after it
    in the strip that start before its right side. Two boxes meet in the one
    strip that holds the lower side of the overlap of their grown boxes, so
    each pair is found once; the cost is about linear in the boxes.

    Returns
    -------
    i, j : ndarray of int
        Row positions, ``i < j``.
    """
    box = np.asarray(box, dtype=float).reshape(-1, 4)
    rows = np.flatnonzero(~np.isnan(box).any(axis=1))
    if len(rows) < 2:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    # a little more than half the distance: rounding never loses a pair
    reach = distance_m / 2 + 1e-6 * max(1.0, float(np.abs(box[rows]).max()))
    left, right = box[rows, 0] - reach, box[rows, 2] + reach
    low, high = box[rows, 1] - reach, box[rows, 3] + reach
    height_m = float(np.median(high - low))
    first = np.floor(low / height_m).astype(np.int64)
    count = np.floor(high / height_m).astype(np.int64) - first + 1
    n = len(rows)
    # one order of all left and right sides (a left side before an equal
    # right side, then by row): their ranks stand in for the sides
    rank = np.empty(2 * n, dtype=np.int64)
    rank[np.argsort(np.r_[left, right], kind="stable")] = np.arange(2 * n)
    owner = np.repeat(np.arange(n), count)
    strip = first[owner] + np.arange(len(owner))
    strip -= np.repeat(np.cumsum(count) - count, count)
    # entries sorted by strip, then left side: one integer key
    strip_key = (strip - strip.min()) * (2 * n)
    key = strip_key + rank[owner]
    order = np.argsort(key)
    key, owner, strip = key[order], owner[order], strip[order]
    # per entry the end of its candidates: entries of the strip starting
    # at or before its right side
    m = len(owner)
    end = np.searchsorted(key, strip_key[order] + rank[n + owner])
    partners = np.maximum(end - np.arange(m) - 1, 0)
    # candidates: per entry the ``partners`` entries after it
    c = np.arange(partners.sum()) + np.repeat(
        np.arange(1, m + 1) - (np.cumsum(partners) - partners), partners
    )
    # found once: in the strip of the lower side of the overlap of the
    # grown boxes, the first strip of one of the two
    is_first = first[owner] == strip
    once = np.repeat(is_first, partners) | is_first[c]
    p, q = np.repeat(owner, partners)[once], owner[c[once]]
    i, j = rows[np.minimum(p, q)], rows[np.maximum(p, q)]
    x0, y0, x1, y1 = (np.ascontiguousarray(v) for v in box.T)
    meets = (
        (x0[j] <= x1[i] + distance_m)
        & (x1[j] >= x0[i] - distance_m)
        & (y0[j] <= y1[i] + distance_m)
        & (y1[j] >= y0[i] - distance_m)
    )
    i, j = i[meets], j[meets]
    gap_x = np.maximum(x0[i] - x1[j], x0[j] - x1[i]).clip(min=0)
    gap_y = np.maximum(y0[i] - y1[j], y0[j] - y1[i]).clip(min=0)
    near = np.hypot(gap_x, gap_y) <= distance_m
    return i[near], j[near]


def linked_levels(
    geometry: np.ndarray, distance_m: float, key: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`linked` with and without ``key``, from one candidate search.

    The components within each key are joined by the links between keys
    into the components of the whole graph.

    Returns
    -------
    by_key, whole : ndarray of int
        Per geometry the smallest position in its component.
    """
    n = len(geometry)
    if not n:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    i, j = box_pairs(shapely.bounds(geometry), distance_m)
    xy, owner = shapely.get_coordinates(geometry, return_index=True)
    first = np.r_[True, owner[1:] != owner[:-1]]
    x, y = np.full(n, np.nan), np.full(n, np.nan)  # NaN for an empty geometry
    x[owner[first]], y[owner[first]] = xy[first].T
    sure = np.hypot(x[i] - x[j], y[i] - y[j]) <= distance_m
    # keys compared as integer codes: a pair reads two ints, not two objects
    codes = pd.factorize(np.asarray(key), use_na_sentinel=False)[0]
    same = codes[i] == codes[j]
    by_key = _joined(geometry, distance_m, np.arange(n), i[same], j[same], sure[same])
    whole = _joined(geometry, distance_m, by_key, i[~same], j[~same], sure[~same])
    return by_key, whole


def _joined(
    geometry: np.ndarray,
    distance_m: float,
    start: np.ndarray,
    i: np.ndarray,
    j: np.ndarray,
    sure: np.ndarray,
) -> np.ndarray:
    """Components ``start`` (labels) joined by the candidate pairs ``i``–``j``
    that are links: ``sure`` ones, and the others within ``distance_m`` (exact
    polygon distance).

    A pair inside one component changes nothing, so the exact distance is
    only taken for pairs between two components, in rounds: per pair of
    components its first 1, 2, 4, … unchecked pairs, then the components
    again. Where a chain is long, one link joins what many pairs would.
    """
    nodes = np.arange(len(start))
    labels = components(len(start), np.r_[nodes, i[sure]], np.r_[start, j[sure]])
    unchecked = ~sure
    take = 1
    while (between := np.flatnonzero(unchecked & (labels[i] != labels[j]))).size:
        low = np.minimum(labels[i[between]], labels[j[between]])
        high = np.maximum(labels[i[between]], labels[j[between]])
        order = np.lexsort((high, low))  # stable: pair order within each
        new = np.r_[
            True,
            (low[order][1:] != low[order][:-1]) | (high[order][1:] != high[order][:-1]),
        ]
        begin = np.maximum.accumulate(np.where(new, np.arange(len(order)), 0))
        checked = between[order[np.arange(len(order)) - begin < take]]
        unchecked[checked] = False
        link = checked[
            shapely.distance(geometry[i[checked]], geometry[j[checked]]) <= distance_m
        ]
        labels = components(len(start), np.r_[nodes, i[link]], np.r_[labels, j[link]])
        take *= 2
    return labels


def neighbour_clusters(
    geometry: gpd.GeoSeries,
    eligible: np.ndarray,
    distance_m: float,
    labels: np.ndarray | None = None,
) -> pd.DataFrame:
    """Clusters of eligible buildings within ``distance_m`` of each other.

    Parameters
    ----------
    geometry : GeoSeries
        Building polygons in EPSG:28992.
    eligible : ndarray of bool
        Buildings that may join a cluster (e.g. congested grid).
    distance_m : float
        Largest gap between two neighbours (m); chains link further buildings.
    labels : ndarray of int, optional
        :func:`linked` of the eligible buildings when already known.

    Returns
    -------
    DataFrame
        ``hub_cluster`` (Int64, 1 = largest cluster) and ``hub_cluster_size``
        (Int64, buildings in it); NA for buildings that are not eligible or
        have no eligible neighbour.
    """
    n = len(geometry)
    cluster = np.full(n, np.nan)
    size = np.full(n, np.nan)
    members = np.flatnonzero(eligible)
    if len(members):
        if labels is None:
            labels = linked(geometry.to_numpy()[members], distance_m)
        counts = np.bincount(labels, minlength=len(members))
        roots = np.flatnonzero(counts >= 2)
        order = roots[np.lexsort((roots, -counts[roots]))]
        number = np.full(len(members), np.nan)
        number[order] = np.arange(1, len(order) + 1)
        grouped = counts[labels] >= 2
        cluster[members[grouped]] = number[labels[grouped]]
        size[members[grouped]] = counts[labels[grouped]]
    return pd.DataFrame(
        {
            "hub_cluster": pd.array(cluster).astype("Int64"),
            "hub_cluster_size": pd.array(size).astype("Int64"),
        },
        index=geometry.index,
    )
