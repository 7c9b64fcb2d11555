"""BAG files in every common published form, read into tables with known columns.

Forms (each read as the publisher writes it; which table is which is decided
by the layer name or, for single-table files, by the BAG object type inside
the identifiers: ``....10..........`` is a pand, ``01`` a verblijfsobject,
``20`` a nummeraanduiding, ``30`` an openbare ruimte — Kadaster, *Catalogus
BAG 2018*, section 5, Identificatie):

- **LVBAG** — Kadaster's XML extract as GDAL's LVBAG driver reads it, usually
  converted with ``ogr2ogr`` to a GeoPackage with layers ``Pand``,
  ``Verblijfsobject``, ``Nummeraanduiding`` (any case; the 3D BAG pipeline
  names them ``pandactueelbestaand`` etc.). Identifiers carry the prefix
  ``NL.IMBAG.Pand.``; the construction year is ``oorspronkelijkBouwjaar``;
  ``gebruiksdoel``, ``pandRef`` are lists (a GeoPackage stores them as JSON
  arrays); the address is in the nummeraanduiding that
  ``hoofdadresNummeraanduidingRef`` points to; every *voorkomen* (version)
  of an object is a row. LVBAG ``.xml`` files are read directly too.
- **bag-light** — PDOK's BAG GeoPackage: layers ``pand`` and
  ``verblijfsobject`` with ``pand_identificatie`` and the address on the
  verblijfsobject.
- **PDOK BAG WFS** GeoJSON (``bag:pand``, ``bag:verblijfsobject``) and
  **OGC API Features** GeoJSON (``api.pdok.nl/kadaster/bag/ogc/v2``,
  collections ``pand`` and ``verblijfsobject``, CRS84 or RD New): a
  FeatureCollection whose feature ``id`` is a UUID; a verblijfsobject links
  to its pand with ``pand.href``, URLs ending in that pand's feature id.
- **CSV** with a WKT geometry column (``geometry``, ``wkt``, ``geom``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from kansenkaart.core import schema as sch
from kansenkaart.core.errors import DataError, Problem
from kansenkaart.io.readers import _GEOMETRY_COLUMNS, _check_size, _list_layers
from kansenkaart.io.readers import read_table as _read_table

PAND, VBO, NUM, OPR = "pand", "verblijfsobject", "nummeraanduiding", "openbareruimte"
TYPE_CODES = {"10": PAND, "01": VBO, "20": NUM, "30": OPR}
"""BAG object type code (digits 5–6 of an identifier) -> table role."""
_HISTORY = (
    sch.Column("eindgeldigheid", "text", "einde geldigheid"),
    sch.Column("voorkomenidentificatie", "text", "voorkomen", aliases=("voorkomen",)),
    sch.Column("feature_id", "text", "feature-id", aliases=("id",)),
)
_ADDRESS = (
    sch.Column("huisnummer", "text", "huisnummer"),
    sch.Column("huisletter", "text", "huisletter"),
    sch.Column("toevoeging", "text", "toevoeging", aliases=("huisnummertoevoeging",)),
    sch.Column("postcode", "text", "postcode"),
    sch.Column(
        "woonplaats_naam",
        "text",
        "woonplaats",
        aliases=("woonplaats", "woonplaatsnaam"),
    ),
)
SCHEMAS = {
    PAND: sch.Schema(
        PAND,
        "BAG-panden",
        (
            sch.Column("identificatie", "text", "pand-identificatie", required=True),
            sch.Column(
                "bouwjaar",
                "text",
                "bouwjaar",
                "jaar",
                aliases=("oorspronkelijkbouwjaar", "oorspronkelijk_bouwjaar"),
            ),
            sch.Column("status", "text", "status", aliases=("pandstatus",)),
            sch.Column("gebruiksdoel", "text", "gebruiksdoel"),
            *_HISTORY,
        ),
        geometry="polygon",
    ),
    VBO: sch.Schema(
        VBO,
        "BAG-verblijfsobjecten",
        (
            sch.Column("identificatie", "text", "verblijfsobject-id", required=True),
            sch.Column(
                "pand_identificatie",
                "text",
                "pand-identificatie",
                required=True,
                aliases=(
                    "pandidentificatie",
                    "pandid",
                    "pand_id",
                    "pandidentificaties",
                    "pandref",
                    "pand.href",
                    "maaktdeeluitvan",
                ),
            ),
            sch.Column("oppervlakte", "text", "gebruiksoppervlakte", "m²"),
            sch.Column("gebruiksdoel", "text", "gebruiksdoel"),
            sch.Column(
                "openbare_ruimte_naam",
                "text",
                "straat",
                aliases=("openbare_ruimte", "openbareruimte", "straatnaam"),
            ),
            *_ADDRESS,
            sch.Column("status", "text", "status"),
            sch.Column(
                "hoofdadres",
                "text",
                "hoofdadres",
                aliases=(
                    "hoofdadresnummeraanduidingref",
                    "nummeraanduiding_hoofdadres_identificatie",
                    "heeftalshoofdadres",
                ),
            ),
            *_HISTORY,
        ),
    ),
    NUM: sch.Schema(
        NUM,
        "BAG-nummeraanduidingen",
        (
            sch.Column("identificatie", "text", "nummeraanduiding-id", required=True),
            *_ADDRESS,
            sch.Column("openbareruimteref", "text", "openbare ruimte"),
            sch.Column("status", "text", "status"),
            *_HISTORY,
        ),
    ),
    OPR: sch.Schema(
        OPR,
        "BAG-openbare ruimten",
        (
            sch.Column("identificatie", "text", "openbare-ruimte-id", required=True),
            sch.Column(
                "naam", "text", "straat", aliases=("openbareruimtenaam", "straatnaam")
            ),
            *_HISTORY,
        ),
    ),
}
_LAYER_PREFIXES = (
    (PAND, ("pand",)),
    (VBO, ("verblijfsobject",)),
    (NUM, ("nummeraanduiding",)),
    (OPR, ("openbareruimte", "openbare_ruimte")),
)
_PREFIX = re.compile(r"^NL\.IMBAG\.[A-Za-z]+\.", re.IGNORECASE)
_MISSING_HINT = {
    "identificatie": "de BAG-identificatie van het object",
    "pand_identificatie": "de verwijzing naar het pand (LVBAG: 'pandRef', "
    "bag-light: 'pand_identificatie', OGC API: 'pand.href')",
}


@dataclass(frozen=True)
class Table:
    """One BAG table as read: its role, file and canonical columns.

    ``frame`` holds the columns of :data:`SCHEMAS` ``[role]`` (missing ones NA,
    values as published: text, numbers or lists), ``row`` (feature or line
    number users see in their file) and, for panden, ``geometry``.
    """

    role: str
    file: str
    frame: pd.DataFrame
    crs: object = None


def strip_id(values: pd.Series) -> pd.Series:
    """BAG ids without ``NL.IMBAG.<Type>.`` prefix, URL path or Excel's ``.0``.

    ``https://…/items/<id>`` gives ``<id>`` (the OGC API links by URL).
    """
    text = values.astype("string").str.strip()
    text = text.str.replace(r"^https?://\S*/", "", regex=True)
    text = text.str.replace(r"[?#].*$", "", regex=True)
    return text.str.replace(_PREFIX, "", regex=True).str.replace(
        r"\.0$", "", regex=True
    )


def as_list(value) -> list[str]:
    """A published list cell as a list of texts.

    Accepts a list (GDAL StringList, GeoJSON array), a JSON array text (how
    a GeoPackage stores a list: ``[ "woonfunctie" ]``; single quotes too), a
    PostgreSQL array text (``{woonfunctie,"overige gebruiksfunctie"}``) or
    comma-separated text. Empty and missing values give ``[]``.
    """
    if isinstance(value, list | tuple | np.ndarray):
        items = list(value)
    elif value is None or (isinstance(value, float) and np.isnan(value)):
        items = []
    else:
        text = str(value).strip()
        if text.startswith("[") and text.endswith("]"):
            try:
                items = json.loads(text)
            except ValueError:
                items = text.strip("[]").split(",")
        else:
            items = text.strip("{}").split(",")
    out = [str(item).strip().strip("\"'").strip() for item in items if item is not None]
    return [item for item in out if item]


def _role_of_layer(name: str) -> str | None:
    low = name.lower()
    return next(
        (role for role, prefixes in _LAYER_PREFIXES if low.startswith(prefixes)), None
    )


def _role_of_ids(frame: pd.DataFrame) -> str | None:
    """The role most identifiers of a table point to, from their type code."""
    mapping = sch.match_columns(list(frame.columns), SCHEMAS[PAND])
    column = next((raw for raw, c in mapping.items() if c == "identificatie"), None)
    if column is None:
        return None
    ids = strip_id(frame[column].dropna().head(200))
    codes = ids[ids.str.fullmatch(r"\d{16}").fillna(False)].str[4:6]
    if codes.empty:
        return None
    return TYPE_CODES.get(codes.value_counts().index[0])


def _advice(frame: pd.DataFrame, column: str, role: str) -> str:
    """Which real column to rename: one whose values are ids of the needed type."""
    code = {v: k for k, v in TYPE_CODES.items()}[
        PAND if column == "pand_identificatie" else role
    ]
    for name in frame.columns:
        if name == "geometry" or name == "row":
            continue
        sample = frame[name].dropna().head(50)
        if sample.empty:
            continue
        flat = pd.Series([x for v in sample for x in as_list(v)], dtype="string")
        ids = strip_id(flat)
        hits = ids.str.fullmatch(rf"\d{{4}}{code}\d{{10}}").fillna(False)
        if len(ids) and hits.mean() >= 0.8:
            return f"hernoem kolom '{name}' naar '{column}'."
    return (
        f"voeg een kolom '{column}' toe met {_MISSING_HINT[column]}, of lever het "
        "BAG-bestand zoals PDOK of Kadaster het publiceert."
    )


def canonical(frame: pd.DataFrame, role: str, file: str) -> pd.DataFrame:
    """Rename the published headers to the canonical columns of ``role``.

    Raises
    ------
    DataError
        A required column is missing; the fix names the file's column that
        holds the right kind of BAG id, when there is one.
    """
    schema = SCHEMAS[role]
    columns = [c for c in frame.columns if c not in ("geometry", "row")]
    mapping = sch.match_columns(columns, schema)
    missing = [c.name for c in schema.columns if c.required]
    missing = [name for name in missing if name not in mapping.values()]
    if missing:
        raise DataError(
            [
                Problem(
                    file,
                    f"de verplichte kolom '{name}' ({schema.column(name).label}) "
                    f"ontbreekt in de {schema.label}.",
                    _advice(frame, name, role),
                    column=name,
                )
                for name in missing
            ]
        )
    renamed = frame.rename(columns=mapping)
    out = pd.DataFrame(index=frame.index)
    for col in schema.columns:
        out[col.name] = renamed.get(col.name, pd.NA)
    out["row"] = frame["row"].to_numpy()
    if isinstance(frame, gpd.GeoDataFrame):
        return gpd.GeoDataFrame(out, geometry=frame.geometry.array, crs=frame.crs)
    return out


def _read_geo(
    path: Path, layer: str | None = None, bbox: tuple | None = None
) -> gpd.GeoDataFrame:
    try:
        return gpd.read_file(path, layer=layer, bbox=bbox, fid_as_index=True)
    except Exception as exc:  # pyogrio/GDAL raise DataSourceError and friends
        kind = {".gpkg": "GeoPackage", ".xml": "LVBAG-XML"}.get(
            path.suffix.lower(), "GeoJSON"
        )
        raise DataError.single(
            path.name,
            f"het bestand is geen leesbaar {kind}-bestand.",
            "download het BAG-extract opnieuw (PDOK: BAG GeoPackage, BAG-WFS of "
            "OGC API als GeoJSON; Kadaster: LVBAG-extract).",
        ) from exc


def _with_rows(frame: pd.DataFrame, first: int) -> pd.DataFrame:
    """Add ``row``: the feature number users see (GeoPackage fid, else count)."""
    out = frame.copy()
    out["row"] = (
        out.index.to_numpy()
        if first == 0
        else np.arange(first, first + len(out), dtype=int)
    )
    return out


def _gpkg_bbox(path: Path, layer: str, boundary: gpd.GeoDataFrame | None):
    """Bounding box of the boundary in the layer's CRS, to read only that area."""
    import pyogrio

    if boundary is None or boundary.empty:
        return None
    crs = pyogrio.read_info(path, layer=layer).get("crs")
    return tuple(boundary.to_crs(crs).total_bounds) if crs else None


def _read_gpkg(path: Path, boundary: gpd.GeoDataFrame | None) -> list[Table]:
    layers = [name for name, _ in _list_layers(path)]
    roles = {}
    for name in layers:
        role = _role_of_layer(name)
        if role and role not in roles:
            roles[role] = name
    missing = [role for role in (PAND, VBO) if role not in roles]
    if missing:
        raise DataError.single(
            path.name,
            f"de laag {' en '.join(repr(m) for m in missing)} ontbreekt; het "
            f"bestand heeft de lagen {', '.join(layers) or '(geen)'}.",
            "gebruik de BAG GeoPackage (bag-light) van PDOK met de lagen 'pand' en "
            "'verblijfsobject', of een LVBAG-extract omgezet met GDAL (lagen Pand, "
            "Verblijfsobject en Nummeraanduiding).",
        )
    tables = []
    for role, layer in roles.items():
        bbox = _gpkg_bbox(path, layer, boundary) if role == PAND else None
        frame = _with_rows(_read_geo(path, layer, bbox), 0)
        if role == PAND and bbox is not None and frame.empty:
            raise DataError.single(
                path.name,
                "er liggen geen BAG-panden binnen de terreingrens.",
                "controleer of het BAG-bestand en de terreingrens hetzelfde "
                "gebied beslaan.",
            )
        tables.append(_table(frame, role, path.name))
    return tables


def _table(frame: pd.DataFrame, role: str, file: str) -> Table:
    crs = frame.crs if isinstance(frame, gpd.GeoDataFrame) else None
    if role != PAND and isinstance(frame, gpd.GeoDataFrame):
        frame = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    return Table(role, file, canonical(frame, role, file), crs)


def _read_csv(path: Path) -> pd.DataFrame:
    """A CSV table; a WKT column becomes the geometry (bad WKT: empty)."""
    raw = _with_rows(_read_table(path), 2)
    lower = {str(c).lower(): c for c in raw.columns}
    column = next((lower[n] for n in _GEOMETRY_COLUMNS if n in lower), None)
    if column is None:
        return raw
    text = raw[column].fillna("")
    geoms = shapely.from_wkt(text.to_numpy(dtype=object), on_invalid="ignore")
    out = gpd.GeoDataFrame(raw.drop(columns=column), geometry=geoms, crs=None)
    out["wkt_text"] = text.to_numpy()
    return out


def _role(frame: pd.DataFrame, file: str) -> str:
    role = _role_of_ids(frame)
    if role is None:
        mapped = set(sch.match_columns(list(frame.columns), SCHEMAS[VBO]).values())
        if "pand_identificatie" in mapped:
            role = VBO
        elif "identificatie" in mapped and isinstance(frame, gpd.GeoDataFrame):
            role = PAND
    if role is None:
        raise DataError.single(
            file,
            "dit lijkt geen BAG-bestand: er is geen kolom 'identificatie' met "
            "BAG-nummers.",
            "download panden en verblijfsobjecten uit de BAG (PDOK-WFS of OGC API "
            "als GeoJSON, de BAG GeoPackage, of een LVBAG-extract).",
        )
    return role


def read_bag_file(path: Path, boundary: gpd.GeoDataFrame | None) -> list[Table]:
    """The BAG tables in one file, with canonical columns.

    Raises
    ------
    DataError
        Unreadable or empty file, unknown type, missing layer or column.
    """
    path = Path(path)
    _check_size(path)
    suffix = path.suffix.lower()
    if suffix == ".gpkg":
        return _read_gpkg(path, boundary)
    if suffix in (".geojson", ".json", ".xml"):
        frame = _with_rows(_read_geo(path), 1)
    elif suffix in (".csv", ".txt"):
        frame = _read_csv(path)
    else:
        raise DataError.single(
            path.name,
            f"onbekend bestandstype '{suffix}' voor BAG.",
            "gebruik de BAG GeoPackage (.gpkg), GeoJSON uit de BAG-WFS of OGC API, "
            "een LVBAG-extract (.xml of omgezet naar .gpkg) of CSV met WKT.",
        )
    role = _role(frame, path.name)
    table = _table(frame, role, path.name)
    if "wkt_text" in frame.columns and role == PAND:
        table.frame["wkt_text"] = frame["wkt_text"].to_numpy()
    return [table]
