"""Readers for terrain files: GeoJSON, GeoPackage, CSV (``;`` or ``,``) and XLSX.

Every failure becomes a :class:`~kansenkaart.core.errors.DataError` with a Dutch
message; nothing here keeps state, so a failed load cannot damage a terrain
that was loaded before.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from kansenkaart.core import schema as sch
from kansenkaart.core import texts
from kansenkaart.core.errors import DataError
from kansenkaart.core.geo import RD, check_geometries, ensure_rd
from kansenkaart.core.model import Terrain
from kansenkaart.core.paths import data_dir
from kansenkaart.io.survey import link_survey

DEMO_DIR = data_dir() / "demo"
MAX_FILE_BYTES = 200 * 1024**2
MAX_ZIP_MEMBERS = 50
MAX_ZIP_TOTAL_BYTES = 500 * 1024**2

GEO_SUFFIXES = (".geojson", ".json", ".gpkg")
TABLE_SUFFIXES = (".csv", ".txt", ".xlsx")
_SEPARATORS = (";", ",", "\t", "|")
_GEOMETRY_COLUMNS = ("geometry", "wkt", "geometrie", "geom")


def _check_size(path: Path) -> None:
    size = path.stat().st_size
    if size == 0:
        raise DataError.single(
            path.name, "het bestand is leeg (0 bytes).", "kies het bestand opnieuw."
        )
    if size > MAX_FILE_BYTES:
        raise DataError.single(
            path.name,
            f"het bestand is {size / 1024**2:.0f} MB; de grens is "
            f"{MAX_FILE_BYTES // 1024**2} MB.",
            "splits het bestand of laat overbodige kolommen weg.",
        )


def decode_text(data: bytes, file: str) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), else Windows-1252.

    Raises
    ------
    DataError
        Binary content (e.g. an Excel or zip file renamed to .csv).
    """
    if b"\x00" in data[:4096] or data[:2] == b"PK":
        raise DataError.single(
            file,
            "dit is geen tekstbestand (CSV); het lijkt een Excel- of zipbestand "
            "met een andere extensie.",
            "sla het op als CSV of geef het de juiste extensie (.xlsx).",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Dutch Windows saves "CSV" as cp1252; latin-1 never fails.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def sniff_separator(text: str) -> str:
    """The separator that splits the header line into most fields."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {sep: header.count(sep) for sep in _SEPARATORS}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else ","


def read_csv_text(text: str, file: str, skip_lines: int = 0) -> pd.DataFrame:
    """Parse CSV text with a sniffed separator into an all-text DataFrame.

    Parameters
    ----------
    text : str
        Decoded file content.
    file : str
        File name for messages.
    skip_lines : int
        Preamble lines before the header (EP-online exports have two); they
        are skipped before sniffing, and row numbers in messages count them.
    """
    start = 0
    for _ in range(skip_lines):
        start = text.find("\n", start) + 1 or len(text)
    text = text[start:] if start else text
    if not text.strip():
        raise DataError.single(file, "het bestand is leeg.", "kies het juiste bestand.")
    sep = sniff_separator(text)
    try:
        df = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skipinitialspace=True,
        )
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+), saw (\d+)", str(exc))
        row = int(match.group(1)) + skip_lines if match else None
        detail = (
            f"rij {row} heeft {match.group(2)} velden, meer dan de kopregel"
            if match
            else "de rijen hebben niet allemaal evenveel velden"
        )
        raise DataError.single(
            file,
            f"{detail} (scheidingsteken '{sep}').",
            "gebruik in het hele bestand één scheidingsteken (; of ,) en zet tekst "
            "met dat teken tussen aanhalingstekens.",
            row=row,
        ) from exc
    df.columns = [str(c).strip() for c in df.columns]
    return df


def read_table(path: Path) -> pd.DataFrame:
    """Read a CSV or XLSX file as text columns.

    Parameters
    ----------
    path : Path
        ``.csv``/``.txt`` (separator and encoding detected) or ``.xlsx``.

    Returns
    -------
    DataFrame of str (NA for empty cells)
    """
    path = Path(path)
    _check_size(path)
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt"):
        return read_csv_text(decode_text(path.read_bytes(), path.name), path.name)
    if suffix == ".xlsx":
        with open(path, "rb") as fh:
            magic = fh.read(2)
        if magic != b"PK":
            raise DataError.single(
                path.name,
                "dit is geen geldig Excel-bestand (.xlsx).",
                "open het in Excel en sla het op als 'Excel-werkmap (.xlsx)'.",
            )
        try:
            df = pd.read_excel(path, dtype=str, engine="openpyxl")
        except Exception as exc:  # openpyxl raises many types for broken files
            raise DataError.single(
                path.name,
                f"het Excel-bestand kan niet worden gelezen ({type(exc).__name__}).",
                "open het in Excel en sla het opnieuw op als .xlsx.",
            ) from exc
        df.columns = [str(c).strip() for c in df.columns]
        return df.dropna(how="all")
    if suffix == ".xls":
        raise DataError.single(
            path.name,
            "het oude Excel-formaat (.xls) wordt niet gelezen.",
            "sla het bestand op als .xlsx of CSV.",
        )
    raise DataError.single(
        path.name,
        f"onbekend bestandstype '{suffix}'.",
        "gebruik GeoJSON, GeoPackage (.gpkg), CSV of Excel (.xlsx).",
    )


def _read_vector(path: Path, layer_name: str) -> gpd.GeoDataFrame:
    _check_size(path)
    kwargs = {}
    if path.suffix.lower() == ".gpkg":
        layers = [name for name, _ in _list_layers(path)]
        if layer_name in layers:
            kwargs["layer"] = layer_name
    try:
        return gpd.read_file(path, **kwargs)
    except Exception as exc:  # pyogrio/GDAL raise DataSourceError and friends
        kind = "GeoPackage" if path.suffix.lower() == ".gpkg" else "GeoJSON"
        raise DataError.single(
            path.name,
            f"het bestand is geen leesbaar {kind}-bestand.",
            f"exporteer het opnieuw als {kind} uit QGIS of ArcGIS.",
        ) from exc


def _list_layers(path: Path) -> list:
    import pyogrio

    try:
        return list(pyogrio.list_layers(path))
    except Exception as exc:
        raise DataError.single(
            path.name,
            "het bestand is geen leesbaar GeoPackage-bestand.",
            "exporteer het opnieuw als GeoPackage uit QGIS of ArcGIS.",
        ) from exc


def _table_to_geo(df: pd.DataFrame, file: str) -> gpd.GeoDataFrame:
    """Geometry from a WKT column, or points from x/y or lon/lat columns."""
    lower = {c.lower(): c for c in df.columns}
    for name in _GEOMETRY_COLUMNS:
        if name in lower:
            col = lower[name]
            text = df[col].fillna("")
            geoms = shapely.from_wkt(text.to_numpy(), on_invalid="ignore")
            bad = [
                i
                for i, (t, g) in enumerate(zip(text, geoms, strict=True))
                if t and not g
            ]
            if bad:
                raise DataError.single(
                    file,
                    f"'{str(text.iloc[bad[0]])[:40]}' is geen geldige WKT-geometrie.",
                    "gebruik WKT zoals 'POLYGON((x y, ...))'.",
                    row=bad[0] + 2,
                    column=col,
                )
            return gpd.GeoDataFrame(df.drop(columns=col), geometry=geoms, crs=None)
    for xs, ys in (("x", "y"), ("lon", "lat"), ("longitude", "latitude")):
        if xs in lower and ys in lower:
            x = sch.parse_number(df[lower[xs]])
            y = sch.parse_number(df[lower[ys]])
            geoms = gpd.points_from_xy(x.astype(float), y.astype(float))
            return gpd.GeoDataFrame(
                df.drop(columns=[lower[xs], lower[ys]]), geometry=geoms, crs=None
            )
    raise DataError.single(
        file,
        "er is geen geometrie: geen kolom 'wkt'/'geometry' en geen x/y of lon/lat.",
        "voeg een WKT-kolom toe, lever GeoJSON/GeoPackage aan, of bouw het "
        "terrein met de import uit BAG.",
    )


def read_layer(
    path: Path, schema: sch.Schema, defaults: dict[str, str] | None = None
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read, validate and reproject one spatial table to RD New.

    Parameters
    ----------
    path : Path
        GeoJSON, GeoPackage, or CSV/XLSX with WKT or x/y columns.
    schema : Schema
        Schema with a ``geometry`` kind.
    defaults : dict, optional
        Values for columns the file lacks entirely (e.g. the ``name`` of a
        terrain boundary drawn in a GIS without attributes).

    Returns
    -------
    GeoDataFrame in EPSG:28992, list of str warnings
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in GEO_SUFFIXES:
        raw, offset = _read_vector(path, schema.name), 1
    else:
        raw, offset = _table_to_geo(read_table(path), path.name), 2
    present = sch.match_columns(list(raw.columns), schema).values()
    missing = {k: v for k, v in (defaults or {}).items() if k not in present}
    raw = raw.assign(**missing) if missing else raw
    table = sch.validate(raw, schema, path.name, row_offset=offset)
    gdf = gpd.GeoDataFrame(table, geometry="geometry", crs=raw.crs)
    gdf, warnings = check_geometries(gdf, schema.geometry, path.name, offset)
    gdf, crs_warnings = ensure_rd(gdf, path.name)
    return gdf, warnings + crs_warnings


def read_plain(path: Path, schema: sch.Schema) -> pd.DataFrame:
    """Read and validate a table without geometry (survey, projects)."""
    path = Path(path)
    return sch.validate(read_table(path), schema, path.name)


def _find(folder: Path, stem: str, suffixes: tuple[str, ...]) -> Path | None:
    for suffix in suffixes:
        candidate = folder / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    return None


def _empty_geo(schema: sch.Schema) -> gpd.GeoDataFrame:
    cols = {c.name: sch.empty_column(c, pd.RangeIndex(0)) for c in schema.columns}
    return gpd.GeoDataFrame(cols, geometry=gpd.GeoSeries([], crs=RD), crs=RD)


def _empty_plain(schema: sch.Schema) -> pd.DataFrame:
    return pd.DataFrame(
        {c.name: sch.empty_column(c, pd.RangeIndex(0)) for c in schema.columns}
    )


def read_terrain_folder(folder: Path, default_id: str | None = None) -> Terrain:
    """Load a terrain folder (DESIGN.md section 3); only ``buildings.*`` is required.

    The terrain id comes from ``terrain.json``, else ``default_id``, else the
    folder name.
    """
    folder = Path(folder)
    warnings: list[str] = []
    buildings_path = _find(folder, "buildings", GEO_SUFFIXES + TABLE_SUFFIXES)
    if buildings_path is None:
        raise DataError.single(
            folder.name or str(folder),
            "er is geen gebouwenbestand (buildings.geojson, .gpkg, .csv of .xlsx).",
            "zet het gebouwenbestand met die naam in de map of het zipbestand.",
        )
    buildings, found = read_layer(buildings_path, sch.BUILDINGS)
    warnings += found
    area = buildings.geometry.area.round(1).astype("Float64")
    buildings["footprint_m2"] = buildings["footprint_m2"].fillna(area)

    layers = {}
    for schema in (sch.SOURCES, sch.GRID, sch.BOUNDARY):
        path = _find(folder, schema.name, GEO_SUFFIXES + TABLE_SUFFIXES)
        if path is None:
            layers[schema.name] = _empty_geo(schema)
        else:
            layers[schema.name], found = read_layer(path, schema)
            warnings += found
    tables = {}
    for schema in (sch.SURVEY, sch.PROJECTS):
        path = _find(folder, schema.name, TABLE_SUFFIXES)
        tables[schema.name] = (
            _empty_plain(schema) if path is None else read_plain(path, schema)
        )
    survey_path = _find(folder, "survey", TABLE_SUFFIXES)
    survey, found = link_survey(
        buildings, tables["survey"], survey_path.name if survey_path else texts.SURVEY
    )
    warnings += found

    meta_path = folder / "terrain.json"
    meta = {}
    if meta_path.exists():
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8-sig"))
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise DataError.single(
                "terrain.json",
                f"geen geldige JSON ({exc}).",
                "controleer komma's en aanhalingstekens of verwijder het bestand.",
            ) from exc
    tid = meta.get("id") or default_id or folder.name
    name = meta.get("name") or (
        layers["boundary"]["name"].dropna().iloc[0]
        if layers["boundary"]["name"].notna().any()
        else tid
    )
    return Terrain(
        id=tid,
        name=name,
        buildings=buildings,
        survey=survey,
        sources=layers["sources"],
        grid=layers["grid"],
        projects=tables["projects"],
        boundary=layers["boundary"],
        meta=meta,
        warnings=tuple(warnings),
    )


def _safe_extract(archive: zipfile.ZipFile, target: Path, file: str) -> None:
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > MAX_ZIP_MEMBERS:
        raise DataError.single(
            file,
            f"het zipbestand bevat {len(members)} bestanden; de grens is "
            f"{MAX_ZIP_MEMBERS}.",
            "zet alleen de bestanden van één terrein in het zipbestand.",
        )
    total = sum(m.file_size for m in members)
    if total > MAX_ZIP_TOTAL_BYTES:
        raise DataError.single(
            file,
            f"uitgepakt is het zipbestand {total / 1024**2:.0f} MB; de grens is "
            f"{MAX_ZIP_TOTAL_BYTES // 1024**2} MB.",
            "laat overbodige bestanden weg.",
        )
    for member in members:
        name = Path(member.filename)
        if name.is_absolute() or ".." in name.parts:
            raise DataError.single(
                file,
                f"onveilig pad in het zipbestand: '{member.filename}'.",
                "pak het zipbestand uit en maak het opnieuw.",
            )
        if member.file_size > MAX_FILE_BYTES:
            raise DataError.single(
                file,
                f"'{member.filename}' is uitgepakt groter dan "
                f"{MAX_FILE_BYTES // 1024**2} MB.",
                "splits het bestand.",
            )
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        with archive.open(member) as src, open(dest, "wb") as out:
            # Read at most the declared size + 1 to catch lying headers.
            data = src.read(member.file_size + 1)
            if len(data) > member.file_size:
                raise DataError.single(
                    file, "het zipbestand is beschadigd.", "maak het opnieuw."
                )
            out.write(data)


def read_terrain_zip(source: Path | bytes, name: str = "terrein.zip") -> Terrain:
    """Load a terrain from a .zip (path or bytes of an upload).

    The zip may hold the files at its root or in one folder.
    """
    data = Path(source).read_bytes() if not isinstance(source, bytes) else source
    if not isinstance(source, bytes):
        name = Path(source).name
    if len(data) > MAX_FILE_BYTES:
        raise DataError.single(
            name,
            f"het bestand is groter dan {MAX_FILE_BYTES // 1024**2} MB.",
            "laat overbodige bestanden weg.",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise DataError.single(
            name, "dit is geen geldig zipbestand.", "maak het zipbestand opnieuw."
        ) from exc
    with archive, tempfile.TemporaryDirectory(prefix="kansenkaart-") as tmp:
        root = Path(tmp)
        _safe_extract(archive, root, name)
        candidates = [
            p.parent
            for p in root.rglob("buildings.*")
            if p.suffix.lower() in GEO_SUFFIXES + TABLE_SUFFIXES
        ]
        folder = min(candidates, key=lambda p: len(p.parts)) if candidates else root
        return read_terrain_folder(folder, default_id=Path(name).stem)


def list_demo_terrains() -> list[str]:
    """Ids of the demo terrains shipped in ``data/demo`` (fictitious data)."""
    return sorted(
        p.name
        for p in DEMO_DIR.iterdir()
        if p.is_dir() and (p / "terrain.json").exists()
    )


def demo_digest(demo_id: str) -> str:
    """Digest of a demo terrain's files (16 hex digits of a SHA-256).

    Together with the id it names the content, so a cache keyed by both
    never serves a terrain whose files were regenerated since.
    """
    digest = hashlib.sha256()
    for path in sorted((DEMO_DIR / demo_id).iterdir()):
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def demo_terrain_names() -> dict[str, str]:
    """Demo terrain id -> display name, read from each ``terrain.json``."""
    return {
        tid: json.loads((DEMO_DIR / tid / "terrain.json").read_text("utf-8"))["name"]
        for tid in list_demo_terrains()
    }


def load_terrain(source: str | Path | bytes) -> Terrain:
    """Load a terrain from ``demo:<id>``, a terrain folder, or a .zip.

    Parameters
    ----------
    source : str, Path or bytes
        ``"demo:de-punt"``, a folder path, a ``.zip`` path, or the bytes of an
        uploaded zip.

    Returns
    -------
    Terrain

    Raises
    ------
    DataError
        Unknown demo id, missing path, or invalid content (Dutch message).
    """
    if isinstance(source, bytes):
        return read_terrain_zip(source)
    text = str(source)
    if text.startswith("demo:"):
        demo_id = text.removeprefix("demo:")
        available = list_demo_terrains()
        if demo_id not in available:
            raise DataError.single(
                text,
                f"onbekend demoterrein '{demo_id}'.",
                f"kies een van: {', '.join(available)}.",
            )
        return read_terrain_folder(DEMO_DIR / demo_id, default_id=demo_id)
    path = Path(source)
    if path.is_dir():
        return read_terrain_folder(path)
    if path.is_file() and path.suffix.lower() == ".zip":
        return read_terrain_zip(path)
    if path.is_file() and path.suffix.lower() in GEO_SUFFIXES + TABLE_SUFFIXES:
        raise DataError.single(
            path.name,
            "dit is één bestand, geen terrein.",
            "zet het als buildings.geojson (of .gpkg/.csv/.xlsx) in een map of "
            "zipbestand, eventueel met survey, sources, grid, projects en boundary.",
        )
    raise DataError.single(
        text,
        "dit pad bestaat niet of is geen map of zipbestand.",
        "geef 'demo:<naam>', een terreinmap of een .zip.",
    )
