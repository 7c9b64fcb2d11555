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
from kansenkaart.core.errors import DataError, Problem, listed_problems
from kansenkaart.core.geo import RD, check_geometries, ensure_rd
from kansenkaart.core.limits import (
    FORBIDDEN_CHARACTERS,
    ID_CHARS,
    MAX_BUILDINGS,
    MAX_CELL_CHARS,
    MAX_FILE_BYTES,
    MAX_TERRAIN_JSON_BYTES,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_TOTAL_BYTES,
    TERRAIN_ID_CHARS,
    forbidden_character,
)
from kansenkaart.core.model import Terrain
from kansenkaart.core.paths import data_dir
from kansenkaart.io.survey import link_survey

DEMO_DIR = data_dir() / "demo"

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
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DataError.single(
            file,
            "het bestand bevat een NUL-teken (byte 0), dat geen tekst is.",
            "open het bestand in een teksteditor, verwijder het teken en sla het "
            "opnieuw op als CSV.",
            row=data.count(b"\n", 0, nul) + 1,
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
            df = pd.read_excel(path, dtype=str, engine="calamine")
        except Exception as exc:  # the reader raises many types for broken files
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


def _read_vector(
    path: Path, layer_name: str, max_rows: int | None = None
) -> gpd.GeoDataFrame:
    """Read a GeoJSON or the layer ``layer_name`` of a GeoPackage.

    A GeoPackage without that layer is refused with the layers it has (never
    its first layer silently); more than ``max_rows`` features are refused
    from the file's header, before any geometry is read.
    """
    import pyogrio

    _check_size(path)
    kwargs = {}
    kind = "GeoPackage" if path.suffix.lower() == ".gpkg" else "GeoJSON"
    if kind == "GeoPackage":
        layers = [str(name) for name, _ in _list_layers(path)]
        if layer_name not in layers:
            shown = ", ".join(f"'{name[:60]}'" for name in layers[:20]) or "geen"
            raise DataError.single(
                path.name,
                f"de GeoPackage heeft geen laag '{layer_name}'; lagen: {shown}.",
                f"geef de laag met de gegevens de naam '{layer_name}' (in QGIS: "
                "Laag exporteren, Laagnaam) of lever één laag per bestand aan.",
            )
        kwargs["layer"] = layer_name
    try:
        if max_rows is not None:
            rows = pyogrio.read_info(path, force_feature_count=True, **kwargs)
            if rows["features"] > max_rows:
                raise DataError.single(
                    path.name,
                    f"het bestand heeft {rows['features']:,} objecten; de grens is "
                    f"{max_rows:,}.".replace(",", "."),
                    "lever alleen de panden van één bedrijventerrein aan.",
                )
        return gpd.read_file(path, **kwargs)
    except DataError:
        raise
    except Exception as exc:  # pyogrio/GDAL raise DataSourceError and friends
        raise DataError.single(
            path.name,
            f"het bestand is geen leesbaar {kind}-bestand.",
            f"exporteer het opnieuw als {kind} uit QGIS of ArcGIS.",
        ) from exc


def _check_rows(table: pd.DataFrame, file: str, max_rows: int | None) -> None:
    if max_rows is not None and len(table) > max_rows:
        raise DataError.single(
            file,
            f"het bestand heeft {len(table):,} rijen; de grens is "
            f"{max_rows:,}.".replace(",", "."),
            "lever alleen de panden van één bedrijventerrein aan.",
        )


def check_texts(table: pd.DataFrame, file: str, row_offset: int = 2) -> None:
    """Refuse text cells that no database or report can hold.

    A cell longer than :data:`~kansenkaart.core.limits.MAX_CELL_CHARS`, a
    control character or NUL in any text, and a ``building_id`` longer than
    :data:`~kansenkaart.core.limits.ID_CHARS` (the length the werksessie
    records keep). Geometry columns are not checked (a WKT may be long).

    Raises
    ------
    DataError
        Per column the first rows with the problem (row, column, what to do).
    """
    problems = []
    for column in table.columns:
        values = table[column]
        if column == "geometry" or not (
            pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)
        ):
            continue
        text = values.dropna()
        text = text[text.map(lambda v: isinstance(v, str))].astype("string")
        if text.empty:
            continue
        limit = ID_CHARS if column == "building_id" else MAX_CELL_CHARS
        lengths = text.str.len()
        rows = [table.index.get_loc(i) + row_offset for i in text.index]
        too_long = (lengths > limit).to_numpy()
        problems += listed_problems(
            file,
            [r for r, bad in zip(rows, too_long, strict=True) if bad],
            lengths[too_long],
            str(column),
            f"de tekst is {{value}} tekens lang; de grens is {limit}.",
            "kort de tekst in.",
        )
        control = text.str.contains(FORBIDDEN_CHARACTERS.pattern, regex=True)
        control = control.fillna(False).to_numpy(dtype=bool)
        problems += listed_problems(
            file,
            [r for r, bad in zip(rows, control, strict=True) if bad],
            [forbidden_character(t) for t in text[control]],
            str(column),
            "de tekst bevat een ongeldig {value}.",
            "verwijder het stuurteken (typ de tekst zo nodig opnieuw).",
        )
    if problems:
        raise DataError(problems)


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
    max_rows = MAX_BUILDINGS if schema is sch.BUILDINGS else None
    if suffix in GEO_SUFFIXES:
        raw, offset = _read_vector(path, schema.name, max_rows), 1
    else:
        table = read_table(path)
        _check_rows(table, path.name, max_rows)
        raw, offset = _table_to_geo(table, path.name), 2
    check_texts(raw, path.name, offset)
    present = sch.match_columns(list(raw.columns), schema).values()
    missing = {k: v for k, v in (defaults or {}).items() if k not in present}
    raw = raw.assign(**missing) if missing else raw
    table = sch.validate(raw, schema, path.name, row_offset=offset)
    check_texts(table, path.name, offset)  # ids may be numbers in the file
    gdf = gpd.GeoDataFrame(table, geometry="geometry", crs=raw.crs)
    gdf, warnings = check_geometries(gdf, schema.geometry, path.name, offset)
    gdf, crs_warnings = ensure_rd(gdf, path.name, offset)
    return gdf, warnings + crs_warnings


def read_plain(path: Path, schema: sch.Schema) -> pd.DataFrame:
    """Read and validate a table without geometry (survey, projects)."""
    path = Path(path)
    table = read_table(path)
    check_texts(table, path.name)
    return sch.validate(table, schema, path.name)


def _find(folder: Path, stem: str, suffixes: tuple[str, ...]) -> Path | None:
    """The one file ``<stem>.<suffix>`` in ``folder`` (any case), or None.

    Two of them (``buildings.geojson`` and ``buildings.csv``) are refused:
    reading one silently would ignore the other.
    """
    found = sorted(
        p
        for p in folder.iterdir()
        if p.is_file() and p.stem.lower() == stem and p.suffix.lower() in suffixes
    )
    if len(found) > 1:
        raise DataError.single(
            folder.name or str(folder),
            f"er zijn {len(found)} bestanden voor '{stem}': "
            f"{', '.join(p.name for p in found)}.",
            "laat er één over, zodat duidelijk is welke gelezen wordt.",
        )
    return found[0] if found else None


def _empty_geo(schema: sch.Schema) -> gpd.GeoDataFrame:
    cols = {c.name: sch.empty_column(c, pd.RangeIndex(0)) for c in schema.columns}
    return gpd.GeoDataFrame(cols, geometry=gpd.GeoSeries([], crs=RD), crs=RD)


def _empty_plain(schema: sch.Schema) -> pd.DataFrame:
    return pd.DataFrame(
        {c.name: sch.empty_column(c, pd.RangeIndex(0)) for c in schema.columns}
    )


_META_TYPES = {
    "id": str,
    "name": str,
    "demo": bool,
    "municipality": str,
    "cluster": str,
    "notes": str,
    "disclaimer": str,
    "imported": str,
    "seed": int,
}
"""The fields of ``terrain.json`` this app reads, and their JSON type."""
_JSON_TYPES = {str: "tekst", bool: "true of false", int: "een geheel getal"}


def read_meta(path: Path) -> dict:
    """Read and check ``terrain.json``: an object whose known fields have their type.

    ``"demo": "nee"`` is refused rather than read as true; unknown fields are
    kept. An empty or absent value counts as not given.

    Raises
    ------
    DataError
        Too large, not UTF-8 JSON, nested too deep, not an object, a field of
        the wrong type, or an ``id`` that is too long or holds control
        characters.
    """
    fix = "controleer komma's en aanhalingstekens of verwijder het bestand."
    if path.stat().st_size > MAX_TERRAIN_JSON_BYTES:
        raise DataError.single(
            path.name,
            f"het bestand is groter dan {MAX_TERRAIN_JSON_BYTES // 1000} kB.",
            "houd alleen id, name, municipality, demo en notes over.",
        )
    try:
        meta = json.loads(path.read_text(encoding="utf-8-sig"))
    except RecursionError as exc:
        raise DataError.single(path.name, "te diep genest.", fix) from exc
    except (ValueError, UnicodeDecodeError) as exc:  # JSONDecodeError is one
        raise DataError.single(
            path.name, f"geen geldige JSON ({str(exc)[:200]}).", fix
        ) from exc
    if not isinstance(meta, dict):
        raise DataError.single(
            path.name,
            'verwacht een JSON-object, zoals {"name": "De Punt"}.',
            fix,
        )
    problems = []
    for key, kind in _META_TYPES.items():
        value = meta.get(key)
        wrong = not isinstance(value, kind) or (kind is int and isinstance(value, bool))
        if value is not None and wrong:
            fix = (
                f'schrijf "{key}": true of "{key}": false, zonder aanhalingstekens.'
                if kind is bool
                else f"geef '{key}' als {_JSON_TYPES[kind]} of laat het weg."
            )
            shown = json.dumps(value, ensure_ascii=False)[:40]
            problems.append(
                Problem(
                    path.name,
                    f"het veld '{key}' moet {_JSON_TYPES[kind]} zijn, niet {shown}.",
                    fix,
                )
            )
    for key in ("id", "name"):
        text = meta.get(key)
        limit = TERRAIN_ID_CHARS if key == "id" else MAX_CELL_CHARS
        if isinstance(text, str) and (len(text) > limit or forbidden_character(text)):
            problems.append(
                Problem(
                    path.name,
                    f"het veld '{key}' is langer dan {limit} tekens of bevat "
                    "stuurtekens.",
                    f"geef een korte '{key}' zonder stuurtekens.",
                )
            )
    if problems:
        raise DataError(problems)
    return meta


def _terrain_id(meta: dict, default_id: str | None, folder: Path, shown: str) -> str:
    """The id from ``terrain.json``, else ``default_id``, else the folder name."""
    tid = meta.get("id") or default_id or folder.name
    if len(tid) > TERRAIN_ID_CHARS or forbidden_character(tid):
        raise DataError.single(
            shown,
            f"de naam '{tid[:40]}…' is te lang als terreincode (meer dan "
            f"{TERRAIN_ID_CHARS} tekens) of bevat stuurtekens.",
            "geef het bestand een kortere naam, of zet een korte 'id' in terrain.json.",
        )
    return tid


def read_terrain_folder(
    folder: Path, default_id: str | None = None, shown: str | None = None
) -> Terrain:
    """Load a terrain folder (DESIGN.md section 3); only ``buildings.*`` is required.

    The terrain id comes from ``terrain.json``, else ``default_id``, else the
    folder name. ``shown`` names the folder in messages (the zip it was
    unpacked from).
    """
    folder = Path(folder)
    shown = shown or folder.name or str(folder)
    meta_path = folder / "terrain.json"
    meta = read_meta(meta_path) if meta_path.is_file() else {}
    tid = _terrain_id(meta, default_id, folder, shown)
    warnings: list[str] = []
    buildings_path = _find(folder, "buildings", GEO_SUFFIXES + TABLE_SUFFIXES)
    if buildings_path is None:
        raise DataError.single(
            shown,
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
    seen: dict[tuple[str, ...], str] = {}
    for member in members:
        name = Path(member.filename)
        shown = member.filename[:80]
        if name.is_absolute() or ".." in name.parts:
            raise DataError.single(
                file,
                f"onveilig pad in het zipbestand: '{shown}'.",
                "pak het zipbestand uit en maak het opnieuw.",
            )
        same = tuple(part.casefold() for part in name.parts)
        if same in seen:
            raise DataError.single(
                file,
                f"het zipbestand bevat '{shown}' twee keer (ook als '{seen[same]}').",
                "maak het zipbestand opnieuw, met elk bestand één keer.",
            )
        seen[same] = shown
        if member.file_size > MAX_FILE_BYTES:
            raise DataError.single(
                file,
                f"'{shown}' is uitgepakt groter dan {MAX_FILE_BYTES // 1024**2} MB.",
                "splits het bestand.",
            )
    for member in members:
        try:
            dest = target / member.filename
            dest.parent.mkdir(parents=True, exist_ok=True)
            # zipfile reads no more than the declared size and checks the CRC,
            # so a header that lies about the size fails here.
            with archive.open(member) as src, open(dest, "wb") as out:
                out.write(src.read(member.file_size))
        except Exception as exc:  # zipfile, zlib, lzma and the OS raise many types
            raise DataError.single(
                file,
                f"'{member.filename[:80]}' kan niet worden uitgepakt: het zipbestand "
                f"is beschadigd, versleuteld of onvolledig ({type(exc).__name__}).",
                "maak het zipbestand opnieuw, zonder wachtwoord, en upload het "
                "helemaal.",
            ) from exc


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
    except Exception as exc:  # BadZipFile, and others for a damaged directory
        raise DataError.single(
            name,
            "dit is geen geldig zipbestand (of het is niet helemaal geüpload).",
            "maak het zipbestand opnieuw en upload het nog eens.",
        ) from exc
    with archive, tempfile.TemporaryDirectory(prefix="kansenkaart-") as tmp:
        root = Path(tmp)
        _safe_extract(archive, root, name)
        candidates = sorted(
            p.parent
            for p in root.rglob("*")
            if p.is_file()
            and p.stem.lower() == "buildings"
            and p.suffix.lower() in GEO_SUFFIXES + TABLE_SUFFIXES
        )
        if not candidates:
            inner = sorted(p.name for p in root.rglob("*.zip"))
            if inner:
                raise DataError.single(
                    name,
                    f"het zipbestand bevat een ander zipbestand ('{inner[0][:80]}') "
                    "en geen gebouwenbestand.",
                    "pak het binnenste zipbestand uit en upload dat.",
                )
        depth = min((len(p.parts) for p in candidates), default=0)
        top = sorted({p for p in candidates if len(p.parts) == depth})
        if len(top) > 1:
            raise DataError.single(
                name,
                "het zipbestand bevat meer dan één terrein: "
                + ", ".join(f"'{p.relative_to(root)}'" for p in top[:5])
                + ".",
                "maak per terrein een eigen zipbestand.",
            )
        folder = top[0] if top else root
        return read_terrain_folder(folder, default_id=Path(name).stem, shown=name)


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
