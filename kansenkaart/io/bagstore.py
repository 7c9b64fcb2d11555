"""National BAG store: build once, cut a park's panden out in well under a second.

The store is one GeoParquet 1.1 file of BAG panden in RD New (EPSG:28992):

- columns ``pand_id`` (16-digit text), ``construction_year`` (int16, null when
  unknown), ``pand_use`` (gebruiksdoelen as published), ``footprint_m2``
  (m²), ``geometry`` (WKB) and ``bbox``, a struct of ``xmin``/``ymin``/
  ``xmax``/``ymax`` per row: the GeoParquet 1.1 *covering* bounding box
  (https://geoparquet.org/releases/v1.1.0/, "Bounding Box Columns");
- rows sorted by the Hilbert index of their bounding-box centre on a
  2^16 × 2^16 grid over :data:`kansenkaart.core.geo.RD_BOUNDS`, and written
  in row groups of :data:`ROW_GROUP_ROWS` rows, so every row group covers a
  small compact area and its Parquet statistics of ``bbox.xmin`` …
  ``bbox.ymax`` are a spatial index.

Cutting a park (:func:`cut`) reads only the footer, keeps the row groups
whose bbox statistics overlap the outline's bounds, reads those, keeps the
rows whose own bbox overlaps, and finally tests ``shapely.intersects``
against the outline on those few candidates. DuckDB's spatial extension
was considered but is downloaded at run time from extensions.duckdb.org
(not reachable offline); pyarrow, already a dependency, does the same
row-group pruning. The PostGIS variant for a shared deployment, with the
same columns and cut, is :mod:`kansenkaart.io.bagstore_postgis`
(``docs/BAGSTORE.md``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from kansenkaart.core.errors import DataError
from kansenkaart.core.geo import RD, RD_BOUNDS

ROW_GROUP_ROWS = 8_192
"""Rows per Parquet row group: about 0,5–1 km² of a city, a few hundred kB."""
HILBERT_ORDER = 16
"""Bits per axis of the Hilbert grid: 2^16 cells over RD_BOUNDS, about 5 m."""
COLUMNS = ("pand_id", "construction_year", "pand_use", "footprint_m2")
"""Attribute columns kept in the store: those of :class:`kansenkaart.io.bag.Bag`
``panden`` that the importer uses."""
_BBOX = ("xmin", "ymin", "xmax", "ymax")
_SCHEMA = pa.schema(
    [
        ("pand_id", pa.string()),
        ("construction_year", pa.int16()),
        ("pand_use", pa.string()),
        ("footprint_m2", pa.float64()),
        ("geometry", pa.binary()),
        ("bbox", pa.struct([(name, pa.float64()) for name in _BBOX])),
    ]
)
_FIX_BUILD = (
    "bouw de BAG-opslag opnieuw met 'python -m kansenkaart bagstore bouw "
    "<LVBAG-bestand> <opslag.parquet>'."
)


def hilbert_index(x: np.ndarray, y: np.ndarray, order: int = HILBERT_ORDER):
    """Hilbert curve index of points on a 2^order grid over RD_BOUNDS.

    Vectorised form of the classic ``xy2d`` (Hamilton, *Compact Hilbert
    Indices*, 2006; Wikipedia "Hilbert curve"). Points outside RD_BOUNDS are
    clamped to its edge.

    Parameters
    ----------
    x, y : ndarray
        RD New coordinates (m).
    order : int
        Bits per axis.

    Returns
    -------
    ndarray of uint64
    """
    n = 1 << order
    x0, y0, x1, y1 = RD_BOUNDS
    xi = np.clip((np.asarray(x) - x0) / (x1 - x0) * n, 0, n - 1).astype(np.uint64)
    yi = np.clip((np.asarray(y) - y0) / (y1 - y0) * n, 0, n - 1).astype(np.uint64)
    d = np.zeros(xi.shape, dtype=np.uint64)
    s = np.uint64(n >> 1)
    while s > 0:
        rx = (xi & s) > 0
        ry = (yi & s) > 0
        d += s * s * ((3 * rx) ^ ry).astype(np.uint64)
        xi &= s - 1  # position within the quadrant
        yi &= s - 1
        flip = ~ry
        reflect = flip & rx
        xi = np.where(reflect, s - 1 - xi, xi)
        yi = np.where(reflect, s - 1 - yi, yi)
        xi, yi = np.where(flip, yi, xi), np.where(flip, xi, yi)
        s = np.uint64(int(s) >> 1)
    return d


def arrow_chunk(panden: gpd.GeoDataFrame) -> pa.Table:
    """One chunk of panden as an Arrow table in store order (Hilbert-sorted)."""
    geom = panden.geometry.array
    bounds = shapely.bounds(geom)
    key = hilbert_index(
        (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
    )
    order = np.argsort(key, kind="stable")
    bounds = bounds[order]
    year = panden["construction_year"].to_numpy(dtype="float64", na_value=np.nan)
    year = year[order]
    return pa.table(
        {
            "pand_id": pa.array(panden["pand_id"].to_numpy(dtype=object)[order]),
            "construction_year": pa.array(
                np.nan_to_num(year).astype(np.int16),
                mask=np.isnan(year),
                type=pa.int16(),
            ),
            "pand_use": pa.array(panden["pand_use"].to_numpy(dtype=object)[order]),
            "footprint_m2": pa.array(
                panden["footprint_m2"].to_numpy(dtype="float64")[order]
            ),
            "geometry": pa.array(shapely.to_wkb(geom[order]), type=pa.binary()),
            "bbox": pa.StructArray.from_arrays(
                [pa.array(bounds[:, i]) for i in range(4)], names=list(_BBOX)
            ),
        },
        schema=_SCHEMA,
    )


def _geo_metadata(extent: np.ndarray, types: set[str]) -> bytes:
    """The GeoParquet 1.1 ``geo`` file metadata with the bbox covering."""
    crs = json.loads(gpd.GeoSeries([], crs=RD).crs.to_json())
    return json.dumps(
        {
            "version": "1.1.0",
            "primary_column": "geometry",
            "columns": {
                "geometry": {
                    "encoding": "WKB",
                    "geometry_types": sorted(types),
                    "crs": crs,
                    "bbox": [float(v) for v in extent],
                    "covering": {
                        "bbox": {name: ["bbox", name] for name in _BBOX},
                    },
                }
            },
        }
    ).encode()


def write_store(
    chunks: Iterable[gpd.GeoDataFrame],
    path: Path,
    row_group_rows: int = ROW_GROUP_ROWS,
) -> int:
    """Write panden to a store file, chunk by chunk (bounded memory).

    Each chunk is sorted by Hilbert index before it is written, so a chunk
    should cover one compact area (one chunk for all: a global sort; for a
    national file, chunks of consecutive Hilbert ranges or tiles).

    Parameters
    ----------
    chunks : iterable of GeoDataFrame
        Panden in EPSG:28992 with the columns of :data:`COLUMNS` and polygons.
    path : Path
        Store file to write (``.parquet``); replaced when it exists.
    row_group_rows : int
        Rows per Parquet row group.

    Returns
    -------
    int
        Number of panden written.
    """
    path = Path(path)
    tmp = path.with_suffix(path.suffix + ".tmp")
    extent = np.array([np.inf, np.inf, -np.inf, -np.inf])
    types: set[str] = set()
    total = 0
    with pq.ParquetWriter(tmp, _SCHEMA, compression="zstd") as writer:
        for chunk in chunks:
            if chunk.empty:
                continue
            table = arrow_chunk(chunk)
            bounds = shapely.total_bounds(chunk.geometry.array)
            extent = np.r_[
                np.minimum(extent[:2], bounds[:2]), np.maximum(extent[2:], bounds[2:])
            ]
            types |= set(chunk.geometry.geom_type.unique())
            writer.write_table(table, row_group_size=row_group_rows)
            total += len(chunk)
        writer.add_key_value_metadata({"geo": _geo_metadata(extent, types)})
    tmp.replace(path)
    return total


def build_store(paths: Iterable[Path], store: Path) -> int:
    """Build the store from a national LVBAG extract (GeoPackage, XML, GeoJSON).

    Reads the panden with :func:`kansenkaart.io.bag.read_bag` (same id, year,
    status and geometry rules as a terrain import; without a boundary every
    pand is kept), then writes them sorted as one chunk. Reading the whole
    country needs memory for all panden at once (about 10 million); it is
    done once per BAG release.

    Returns
    -------
    int
        Number of panden in the store.
    """
    from kansenkaart.io.bag import read_bag

    return write_store([read_bag([Path(p) for p in paths]).panden], store)


def open_store(store: Path) -> tuple[pq.ParquetFile, list[float]]:
    """The store's Parquet file and extent; Dutch DataError when unusable."""
    store = Path(store)
    if not store.is_file():
        raise DataError.single(
            store.name, "de BAG-opslag bestaat niet (of is geen bestand).", _FIX_BUILD
        )
    try:
        handle = pq.ParquetFile(store)
        geo = json.loads(handle.metadata.metadata[b"geo"])
        extent = geo["columns"]["geometry"]["bbox"]
    except Exception as exc:  # ArrowInvalid, OSError, KeyError, JSON errors
        raise DataError.single(
            store.name,
            "de BAG-opslag is beschadigd of geen GeoParquet-bestand van Kansenkaart.",
            _FIX_BUILD,
        ) from exc
    missing = [n for n in _SCHEMA.names if n not in handle.schema_arrow.names]
    if missing:
        raise DataError.single(
            store.name,
            f"de BAG-opslag mist de kolom(men) {', '.join(missing)}.",
            _FIX_BUILD,
        )
    return handle, extent


def _bbox_leaves(meta: pq.FileMetaData) -> list[int]:
    """Column-chunk indices of bbox.xmin … bbox.ymax in the row groups."""
    paths = [meta.schema.column(i).path for i in range(meta.num_columns)]
    return [paths.index(f"bbox.{name}") for name in _BBOX]


def candidate_row_groups(store: Path, bounds) -> list[int]:
    """Row groups whose bbox statistics overlap ``bounds`` (xmin, ymin, xmax, ymax)."""
    handle, _ = open_store(store)
    return _groups(handle, bounds)


def _groups(handle: pq.ParquetFile, bounds) -> list[int]:
    meta = handle.metadata
    ix, iy, jx, jy = _bbox_leaves(meta)
    x0, y0, x1, y1 = bounds
    keep = []
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        stats = [group.column(i).statistics for i in (ix, iy, jx, jy)]
        if any(s is None or not s.has_min_max for s in stats):
            keep.append(g)  # no statistics: read it rather than miss panden
        elif (
            stats[0].min <= x1
            and stats[2].max >= x0
            and stats[1].min <= y1
            and stats[3].max >= y0
        ):
            keep.append(g)
    return keep


def cut(store: Path, outline) -> gpd.GeoDataFrame:
    """The panden of the store that intersect the outline.

    Parameters
    ----------
    store : Path
        Store file written by :func:`write_store`.
    outline : GeoDataFrame, GeoSeries or shapely geometry
        Park outline in EPSG:28992 (a GeoDataFrame/GeoSeries in another CRS
        is reprojected).

    Returns
    -------
    GeoDataFrame
        ``pand_id``, ``construction_year`` (Int64), ``pand_use``,
        ``footprint_m2`` and ``geometry``, EPSG:28992, in store order.

    Raises
    ------
    DataError
        Store missing or damaged, or the outline outside the store's extent.
    """
    handle, extent = open_store(store)
    area = outline_area(outline)
    check_inside(Path(store).name, area, extent)
    x0, y0, x1, y1 = shapely.bounds(area)
    groups = _groups(handle, (x0, y0, x1, y1))
    table = handle.read_row_groups(groups) if groups else _SCHEMA.empty_table()
    box = table.column("bbox").combine_chunks()
    near = (
        (box.field("xmin").to_numpy() <= x1)
        & (box.field("xmax").to_numpy() >= x0)
        & (box.field("ymin").to_numpy() <= y1)
        & (box.field("ymax").to_numpy() >= y0)
    )
    table = table.filter(pa.array(near))
    geom = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    shapely.prepare(area)
    hit = shapely.intersects(area, geom)
    table = table.filter(pa.array(hit))
    return panden_frame(table.select(list(COLUMNS)).to_pandas(), geom[hit])


def outline_area(outline) -> shapely.Geometry:
    """The outline as one shapely geometry in RD New.

    A GeoDataFrame or GeoSeries is reprojected to EPSG:28992 (when it has a
    CRS) and its parts united; a shapely geometry is taken as RD New.
    """
    if isinstance(outline, gpd.GeoDataFrame | gpd.GeoSeries):
        series = outline.geometry if isinstance(outline, gpd.GeoDataFrame) else outline
        if series.crs is not None:
            series = series.to_crs(RD)
        return shapely.union_all(series.array)
    return outline


def check_inside(name: str, area, extent) -> None:
    """Dutch DataError when ``area`` is empty or misses the store's extent.

    Parameters
    ----------
    name : str
        The store as messages name it (file name or database table).
    area : shapely geometry
        Outline in RD New.
    extent : sequence of float
        The store's xmin, ymin, xmax, ymax (m, RD New).
    """
    x0, y0, x1, y1 = shapely.bounds(area)
    if (
        shapely.is_empty(area)
        or x0 > extent[2]
        or x1 < extent[0]
        or y0 > extent[3]
        or y1 < extent[1]
    ):
        raise DataError.single(
            name,
            "de terreingrens ligt buiten het gebied van de BAG-opslag "
            f"(x {extent[0]:.0f}–{extent[2]:.0f} m, y {extent[1]:.0f}–"
            f"{extent[3]:.0f} m in RD New).",
            "controleer of de terreingrens in RD New (EPSG:28992) staat en of de "
            "opslag uit het landelijke BAG-extract is gebouwd.",
        )


def panden_frame(columns: pd.DataFrame, geometry: np.ndarray) -> gpd.GeoDataFrame:
    """The result of a cut: the :data:`COLUMNS` with their dtypes, in RD New.

    Parameters
    ----------
    columns : DataFrame
        ``pand_id``, ``construction_year``, ``pand_use``, ``footprint_m2``.
    geometry : ndarray of shapely geometries
        One per row.
    """
    out = columns[list(COLUMNS)].reset_index(drop=True)
    out["pand_id"] = out["pand_id"].astype("string")
    out["pand_use"] = out["pand_use"].astype("string")
    out["construction_year"] = out["construction_year"].astype("Int64")
    out["footprint_m2"] = out["footprint_m2"].astype("float64")
    return gpd.GeoDataFrame(out, geometry=geometry, crs=RD)
