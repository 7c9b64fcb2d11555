"""The terrain: every table of one bedrijventerrein, validated and in RD New."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import pandas as pd

if TYPE_CHECKING:
    from kansenkaart.core.assumptions import Assumptions


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


@dataclass(frozen=True)
class Analysis:
    """The analysed terrain: what :func:`kansenkaart.analyse` returns.

    Everything downstream (maps, lists, the report, exports) reads the
    assumptions from here, so figures and texts always come from the same set.

    Attributes
    ----------
    terrain : Terrain
        The terrain analysed (not modified).
    assumptions : Assumptions
        The set every computed column was made with.
    buildings : GeoDataFrame
        The buildings (EPSG:28992) plus the computed columns of
        :data:`kansenkaart.core.columns.COLUMNS`.
    what_if : tuple (building id, Corrections) or None
        Set by :func:`kansenkaart.engine.whatif.apply` when one building was
        recomputed with its owner's own figures.
    grid_context : GridContext, optional
        The energy areas of a Capaciteitskaart data product that cover the
        terrain (set by :func:`kansenkaart.engine.grid_context.attach`).
    groups : optional
        Room for the collective groups.
    """

    terrain: Terrain
    assumptions: Assumptions
    buildings: gpd.GeoDataFrame
    what_if: tuple[str, Any] | None = None
    grid_context: Any = None
    groups: pd.DataFrame | None = None

    def with_buildings(self, buildings: gpd.GeoDataFrame) -> Analysis:
        """The same analysis over other rows (e.g. a selection); not a copy."""
        return dataclasses.replace(self, buildings=buildings)


@dataclass(frozen=True)
class CapacityProduct:
    """A Capaciteitskaart data product (Netbeheer Nederland ``dp-capaciteitskaart``).

    Read by :func:`kansenkaart.io.capaciteitskaart.read_capaciteitskaart`.
    Statuses are the Capaciteitskaart codes 0–3 (DESIGN.md section 4.4);
    capacities in MW as published.

    Attributes
    ----------
    name : str
        File name as the user knows it.
    publisher : str
        Who delivered it (``contact_point``, ``creator`` or the region).
    version : str
        Data-product version (``version`` or ``conforms_to``).
    updated : str
        Date of the data (``updated``/``issued``, ``JJJJ-MM-DD``); may be "".
    areas : DataFrame
        One row per energy area: ``short_code``, ``type``, ``description``,
        ``region`` (the region of the file it is listed under),
        ``demand_alleviation_year``, ``generation_alleviation_year`` (Int64),
        ``demand_energy_area_short_code``, ``generation_energy_area_short_code``.
    capacity : DataFrame
        Per area and year: ``short_code``, ``year``, ``demand_status``,
        ``generation_status`` (Int64 0–3) and the ``demand_*``/``generation_*``
        capacities (``available_capacity``, ``quoted_capacity``,
        ``capacity_in_queue`` in MW; ``requests_in_queue``).
    works : DataFrame
        Planned works: ``short_code``, ``project_name``, ``status_kind``,
        ``source``, ``description``, ``start``, ``end`` (date text), ``year``,
        ``quarter`` (Int64).
    postcodes : DataFrame
        Postcode areas: ``short_code``, ``postcode`` (``1234AB``),
        ``substation_short_code``, ``demand_status``, ``generation_status``.
    warnings : tuple of str
        Dutch notes about values that were not read.
    """

    name: str
    publisher: str
    version: str
    updated: str
    areas: pd.DataFrame
    capacity: pd.DataFrame
    works: pd.DataFrame
    postcodes: pd.DataFrame
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class GridContext:
    """The energy areas of a data product that cover a terrain, and why.

    Attributes
    ----------
    product : CapacityProduct
        The data product the areas come from.
    areas : DataFrame
        ``short_code`` and ``reason`` (Dutch: the rule that chose it), in the
        order found; empty when no area covers the terrain.
    note : str
        Dutch: how the areas were chosen, or why none covers the terrain.
    """

    product: CapacityProduct
    areas: pd.DataFrame
    note: str
