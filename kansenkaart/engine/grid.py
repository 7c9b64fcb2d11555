"""Grid capacity per building and the pMIEK projects of the terrain's cluster.

Capacity areas follow the *Capaciteitskaart* model (DESIGN.md section 4.4):
``afname_status`` / ``invoeding_status`` 0 = capaciteit beschikbaar,
1 = beperkt, 2 = in onderzoek / wachtrij, 3 = tekort.

The pMIEK traffic light (Uitvoeringsagenda pMIEK): *Op planning* when the
planned in-service date (IBN) is at or before the lower bound of the agreed
range, *Risico op vertraging* when it lies after the lower and at or before
the upper bound, *Vertraagd* after the upper bound. *Onbekend* when the
dates do not decide it: no planned IBN, or a planned IBN on the side of a
bound that is missing (e.g. after the lower bound with no upper bound).
Dates given as a year only are read as 1 January (lower, planned) and
31 December (upper) of that year by the loader.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import shapely

from kansenkaart.core import pmiek, texts
from kansenkaart.core.model import Terrain

# The words live in the vocabulary (kansenkaart.core.texts); the names stay here.
OP_PLANNING = texts.ON_SCHEDULE
RISICO = texts.AT_RISK
VERTRAAGD = texts.DELAYED
ONBEKEND = texts.LIGHT_UNKNOWN
TRAFFIC_LIGHTS = texts.TRAFFIC_LIGHTS


def terrain_cluster(terrain: Terrain) -> str | None:
    """The terrain's cluster (A–D): from terrain.json, else its municipality's."""
    return terrain.cluster or pmiek.cluster_of(terrain.municipality)


def traffic_lights(
    ibn_planned: pd.Series, ibn_lower: pd.Series, ibn_upper: pd.Series
) -> pd.Series:
    """Vectorised pMIEK traffic light (see the module docstring).

    Parameters
    ----------
    ibn_planned, ibn_lower, ibn_upper : Series of dates
        Anything :func:`pandas.to_datetime` reads; missing allowed.

    Returns
    -------
    Series (string) of :data:`TRAFFIC_LIGHTS`.
    """
    # An IBN is a day (ingebruiknamedatum); a time of day must not move it.
    planned, lower, upper = (
        pd.to_datetime(pd.Series(v), errors="coerce").dt.normalize()
        for v in (ibn_planned, ibn_lower, ibn_upper)
    )
    on_time = (planned <= lower).to_numpy()
    late = (planned > upper).to_numpy()
    between = ((planned > lower) & (planned <= upper)).to_numpy()
    light = np.select(
        [on_time, late, between], [OP_PLANNING, VERTRAAGD, RISICO], ONBEKEND
    )
    return pd.Series(light, index=planned.index, dtype="string")


def traffic_light(ibn_planned, ibn_lower, ibn_upper) -> str:
    """pMIEK traffic light of one project.

    Parameters
    ----------
    ibn_planned, ibn_lower, ibn_upper : date, str, Timestamp or None
        Planned in-service date and the agreed range.

    Returns
    -------
    str
        ``"Op planning"``, ``"Risico op vertraging"``, ``"Vertraagd"`` or
        ``"Onbekend"``.

    Examples
    --------
    >>> traffic_light("2032-06-01", "2031-01-01", "2033-12-31")
    'Risico op vertraging'
    """
    return str(
        traffic_lights(
            pd.Series([ibn_planned]), pd.Series([ibn_lower]), pd.Series([ibn_upper])
        ).iloc[0]
    )


def cluster_projects(
    projects: pd.DataFrame, cluster: str | None, municipality: str | None = None
) -> pd.DataFrame:
    """Projects of an energy cluster, with their traffic light.

    A project belongs to the terrain when its ``cluster`` matches, or when its
    ``municipality`` list (``;``-separated, for projects spanning clusters)
    names the terrain's municipality.

    Parameters
    ----------
    projects : DataFrame
        Schema PROJECTS; not modified.
    cluster : str or None
        ``A``–``D``.
    municipality : str, optional

    Returns
    -------
    DataFrame
        The matching rows plus ``traffic_light`` (string).
    """
    in_cluster = projects["cluster"].astype("string").eq(cluster or "")
    keep = in_cluster.to_numpy(bool, na_value=False)
    if municipality:
        pattern = rf"(?:^|;)\s*{re.escape(municipality.strip())}\s*(?:;|$)"
        named = (
            projects["municipality"]
            .astype("string")
            .str.contains(pattern, case=False, regex=True)
        )
        keep |= named.to_numpy(bool, na_value=False)
    out = projects.loc[keep].copy()
    out["traffic_light"] = traffic_lights(
        out["ibn_planned"], out["ibn_lower"], out["ibn_upper"]
    )
    return out


def terrain_projects(terrain: Terrain) -> pd.DataFrame:
    """:func:`cluster_projects` for a terrain (cluster from :func:`terrain_cluster`)."""
    return cluster_projects(
        terrain.projects, terrain_cluster(terrain), terrain.municipality
    )


def capacity(buildings, grid, points: np.ndarray | None = None) -> pd.DataFrame:
    """Capacity status of the area each building lies in.

    A building is in an area when its representative point (a point inside
    the polygon, in RD metres) is; where areas overlap the worst status
    counts.

    Parameters
    ----------
    buildings : GeoDataFrame
        EPSG:28992; not modified.
    grid : GeoDataFrame
        Schema GRID, EPSG:28992.
    points : ndarray of shapely Points, optional
        The buildings' representative points when already known
        (``shapely.point_on_surface``).

    Returns
    -------
    DataFrame
        ``grid_area_id`` (string), ``grid_afname_status`` and
        ``grid_invoeding_status`` (Int64 0–3); NA outside every area.
    """
    n = len(buildings)
    out = pd.DataFrame(
        {
            "grid_area_id": pd.Series(pd.NA, index=buildings.index, dtype="string"),
            "grid_afname_status": pd.Series(
                pd.NA, index=buildings.index, dtype="Int64"
            ),
            "grid_invoeding_status": pd.Series(
                pd.NA, index=buildings.index, dtype="Int64"
            ),
        }
    )
    if n == 0 or len(grid) == 0:
        return out
    if points is None:
        points = shapely.point_on_surface(buildings.geometry.to_numpy())
    # candidates by bounding box, then the point-in-area test on prepared
    # copies of the areas (the layer's own geometries are left as they are):
    # the same pairs as ``query(points, predicate="within")``, 100,000
    # buildings in about 18 ms instead of 50 ms
    areas = grid.geometry.to_numpy()
    b_idx, g_idx = shapely.STRtree(areas).query(points)
    areas = shapely.transform(areas, lambda xy: xy)
    shapely.prepare(areas)
    inside = shapely.contains_xy(
        areas[g_idx], shapely.get_x(points)[b_idx], shapely.get_y(points)[b_idx]
    )
    b_idx, g_idx = b_idx[inside], g_idx[inside]
    for column, target in (
        ("afname_status", "grid_afname_status"),
        ("invoeding_status", "grid_invoeding_status"),
    ):
        status = grid[column].to_numpy(dtype=float, na_value=np.nan)[g_idx]
        worst = np.full(n, -1.0)
        np.fmax.at(worst, b_idx, np.nan_to_num(status, nan=-1.0))
        out[target] = pd.array(np.where(worst >= 0, worst, np.nan)).astype("Int64")
    area_ids = grid["area_id"].astype("string").to_numpy()
    first = pd.Series(area_ids[g_idx]).groupby(b_idx).first()
    ids = np.full(n, None, dtype=object)
    ids[first.index.to_numpy()] = first.to_numpy()
    out["grid_area_id"] = pd.array(ids, dtype="string")
    return out


def congested(afname_status: pd.Series, invoeding_status: pd.Series) -> np.ndarray:
    """Buildings where either direction is at least *beperkt* (status ≥ 1)."""
    return (afname_status >= 1).to_numpy(bool, na_value=False) | (
        invoeding_status >= 1
    ).to_numpy(bool, na_value=False)
