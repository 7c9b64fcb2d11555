"""Uploads of the Netcapaciteit page: a capacity map and a pMIEK project list.

A capacity map is either an export with areas (GeoJSON or GeoPackage, schema
GRID) or the Capaciteitskaart data product of the netbeheerders (JSON,
:mod:`kansenkaart.io.capaciteitskaart`); :func:`read_capacity_upload` tells
them apart. A project list
(CSV or XLSX, schema :data:`kansenkaart.core.pmiek.PROJECT_IMPORT`: PROJECTS
plus the projectfiche fields) are validated with the readers of
:mod:`kansenkaart.io.readers`; :func:`project_template` is the list to fill in.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd

from kansenkaart.core import schema as sch
from kansenkaart.core.errors import DataError
from kansenkaart.core.model import CapacityProduct
from kansenkaart.core.pmiek import PROJECT_IMPORT
from kansenkaart.io import capaciteitskaart
from kansenkaart.io import readers as kkio

GRID_SUFFIXES = (".geojson", ".json", ".gpkg")
PROJECT_SUFFIXES = (".csv", ".xlsx")


def _upload_path(folder: Path, name: str, suffixes: tuple[str, ...]) -> Path:
    """Where to write an upload: its own file name, refused for other types."""
    file = Path(name).name or "upload"
    if Path(file).suffix.lower() not in suffixes:
        raise DataError.single(
            file,
            f"bestandstype '{Path(file).suffix or 'zonder extensie'}' wordt hier "
            "niet gelezen.",
            f"kies een bestand met extensie {', '.join(suffixes)}.",
        )
    return folder / file


def read_capacity_map(data: bytes, name: str) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read and validate an uploaded capacity-map export (schema GRID).

    Parameters
    ----------
    data : bytes
        The file's content (GeoJSON or GeoPackage).
    name : str
        The file's name as the user knows it (for messages and the type).

    Returns
    -------
    GeoDataFrame in EPSG:28992 (WGS84 input is reprojected), list of str
    Dutch warnings.

    Raises
    ------
    DataError
        Wrong file type, unreadable file, missing columns, statuses outside
        0–3, coordinates outside the Netherlands (Dutch message).
    """
    with tempfile.TemporaryDirectory(prefix="kansenkaart-") as tmp:
        path = _upload_path(Path(tmp), name, GRID_SUFFIXES)
        path.write_bytes(data)
        return kkio.read_layer(path, sch.GRID)


def read_capacity_upload(
    data: bytes, name: str
) -> tuple[str, gpd.GeoDataFrame | CapacityProduct, list[str]]:
    """Read an uploaded capacity map in either accepted form.

    A ``.json``/``.geojson`` file that is a Capaciteitskaart data product
    (``energy_areas``) is read as such; a GeoJSON (``FeatureCollection``) or
    GeoPackage as capacity areas (:func:`read_capacity_map`). Other JSON is
    refused with a Dutch message that names both accepted forms.

    Returns
    -------
    tuple
        ``("capaciteitskaart", CapacityProduct, warnings)`` or
        ``("grid", GeoDataFrame, warnings)``.

    Raises
    ------
    DataError
        Wrong type, invalid JSON, JSON of another kind, or a bad file.
    """
    file = _upload_path(Path("."), name, GRID_SUFFIXES).name
    if Path(file).suffix.lower() == ".gpkg":
        return ("grid", *read_capacity_map(data, name))
    doc = capaciteitskaart.parse_json(data, file)
    if capaciteitskaart.is_capaciteitskaart(doc):
        product = capaciteitskaart.product_from_json(doc, file)
        return "capaciteitskaart", product, list(product.warnings)
    if isinstance(doc, dict) and doc.get("type") in ("FeatureCollection", "Feature"):
        return ("grid", *read_capacity_map(data, name))
    raise DataError.single(
        file,
        "dit JSON-bestand is geen GeoJSON met capaciteitsgebieden en geen "
        "Capaciteitskaart-dataproduct.",
        capaciteitskaart.WRONG_JSON_FIX,
    )


def read_project_list(data: bytes, name: str) -> pd.DataFrame:
    """Read and validate an uploaded project list with the projectfiche fields.

    Parameters
    ----------
    data : bytes
        CSV (``;`` or ``,``) or XLSX.
    name : str
        The file's name as the user knows it.

    Returns
    -------
    DataFrame
        Schema :data:`kansenkaart.core.pmiek.PROJECT_IMPORT` (PROJECTS plus
        the fiche fields).

    Raises
    ------
    DataError
        Wrong file type, missing ``name`` column, unknown phase, cluster or
        infrastructure type, unreadable dates (Dutch message).
    """
    with tempfile.TemporaryDirectory(prefix="kansenkaart-") as tmp:
        path = _upload_path(Path(tmp), name, PROJECT_SUFFIXES)
        path.write_bytes(data)
        raw = kkio.read_table(path)
    return sch.validate(raw, PROJECT_IMPORT, Path(name).name)


def project_template() -> bytes:
    """A project list to fill in (CSV, ``;``, UTF-8 with BOM for Excel).

    The header has every column of
    :data:`~kansenkaart.core.pmiek.PROJECT_IMPORT` by its Dutch label (accepted
    on import); one example row shows the values the schema accepts.
    """
    example = {
        "project_id": "voorbeeld-station",
        "name": "Verzwaring station (voorbeeld)",
        "municipality": "Assen",
        "infra_type": "elektriciteit",
        "cluster": "A",
        "phase": "planuitwerking",
        "ibn_lower": "2030",
        "ibn_upper": "2032",
        "ibn_planned": "2031-07-01",
    }
    columns = PROJECT_IMPORT.columns
    row = [example.get(c.name, "") for c in columns]
    buffer = io.StringIO()
    pd.DataFrame([row], columns=[c.label for c in columns]).to_csv(
        buffer, sep=";", index=False
    )
    return buffer.getvalue().encode("utf-8-sig")
