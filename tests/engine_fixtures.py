"""Tiny hand-made terrains for the engine tests (RD New, near Assen).

``buildings([...])`` takes one dict per building with any schema columns and
an optional ``geometry`` (default: a 20 × 20 m square per building, 100 m
apart along x from x = 235000, y = 570000); every other schema column is NA
with its schema dtype, as after loading.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from kansenkaart.core import schema as sch
from kansenkaart.core.geo import RD
from kansenkaart.core.model import Terrain

X0, Y0 = 235_000.0, 570_000.0


def rect(x: float, y: float, width: float, depth: float) -> shapely.Polygon:
    """Axis-aligned rectangle with its lower-left corner at (x, y), RD metres."""
    return shapely.box(x, y, x + width, y + depth)


def _table(rows: list[dict], schema: sch.Schema) -> pd.DataFrame:
    index = pd.RangeIndex(len(rows))
    data = {}
    for col in schema.columns:
        empty = sch.empty_column(col, index)
        values = [row.get(col.name) for row in rows]
        data[col.name] = (
            pd.Series(
                [pd.NA if v is None else v for v in values],
                index=index,
                dtype=empty.dtype,
            )
            if any(v is not None for v in values)
            else empty
        )
    return pd.DataFrame(data, index=index)


def buildings(rows: list[dict]) -> gpd.GeoDataFrame:
    """Buildings table with schema dtypes; see the module docstring."""
    rows = [
        {"building_id": f"{i + 1:016d}", "company": f"Bedrijf {i + 1}", **row}
        for i, row in enumerate(rows)
    ]
    geoms = [
        row.get("geometry") or rect(X0 + 100.0 * i, Y0, 20.0, 20.0)
        for i, row in enumerate(rows)
    ]
    return gpd.GeoDataFrame(_table(rows, sch.BUILDINGS), geometry=geoms, crs=RD)


def layer(rows: list[dict], schema: sch.Schema) -> gpd.GeoDataFrame:
    """A geometric layer (sources, grid) from dicts with a ``geometry`` key."""
    return gpd.GeoDataFrame(
        _table(rows, schema), geometry=[r["geometry"] for r in rows], crs=RD
    )


def table(rows: list[dict], schema: sch.Schema) -> pd.DataFrame:
    """A plain table (survey, projects) with schema dtypes."""
    return _table(rows, schema)


def terrain(
    building_rows: list[dict],
    sources: list[dict] = (),
    grid: list[dict] = (),
    survey: list[dict] = (),
    projects: list[dict] = (),
    meta: dict | None = None,
) -> Terrain:
    """A :class:`Terrain` from dicts; empty tables where nothing is given."""
    return Terrain(
        id="test",
        name="Testterrein",
        buildings=buildings(building_rows),
        survey=table(list(survey), sch.SURVEY),
        sources=layer(list(sources), sch.SOURCES),
        grid=layer(list(grid), sch.GRID),
        projects=table(list(projects), sch.PROJECTS),
        boundary=layer([], sch.BOUNDARY),
        meta={"municipality": "Assen", "cluster": "A"} if meta is None else meta,
    )
