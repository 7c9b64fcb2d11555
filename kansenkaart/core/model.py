"""The terrain: every table of one bedrijventerrein, validated and in RD New."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd


@dataclass(frozen=True)
class Terrain:
    """One bedrijventerrein with its validated tables (DESIGN.md section 4).

    Attributes
    ----------
    id : str
        Short identifier (``de-punt``), also used as cache key.
    name : str
        Display name (``De Punt (Tynaarlo)``).
    buildings : GeoDataFrame
        Schema BUILDINGS, EPSG:28992.
    survey : DataFrame
        Schema SURVEY with ``building_id`` linked where possible; may be empty.
    sources, grid, boundary : GeoDataFrame
        Coupling sources, grid capacity areas, terrain polygon(s); EPSG:28992.
    projects : DataFrame
        Infrastructure projects (pMIEK).
    meta : dict
        Contents of ``terrain.json`` (municipality, cluster, notes, demo flag).
    warnings : tuple of str
        Dutch notes about assumptions made while loading (e.g. CRS assumed).
    """

    id: str
    name: str
    buildings: gpd.GeoDataFrame
    survey: pd.DataFrame
    sources: gpd.GeoDataFrame
    grid: gpd.GeoDataFrame
    projects: pd.DataFrame
    boundary: gpd.GeoDataFrame
    meta: dict = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def is_demo(self) -> bool:
        """True for synthetic (fictitious) data that must be labelled as such."""
        return bool(self.meta.get("demo", False))

    @property
    def municipality(self) -> str | None:
        return self.meta.get("municipality")

    @property
    def cluster(self) -> str | None:
        """Energy cluster (A–D) of the pMIEK the terrain's municipality is in."""
        return self.meta.get("cluster")
