"""BAG panden and verblijfsobjecten: read, join, clip to the terrain, find addresses.

Sources
-------
- Kadaster, *Basisregistratie Adressen en Gebouwen* (BAG), in every common
  published form (:mod:`kansenkaart.io.bag_read`): an LVBAG extract as GDAL's
  LVBAG driver writes it (pand → verblijfsobject via ``pandRef`` →
  nummeraanduiding via ``hoofdadresNummeraanduidingRef``), PDOK's bag-light
  GeoPackage, PDOK's BAG WFS and OGC API Features GeoJSON, and CSV with WKT.
- BAG status values: *Catalogus BAG 2018*, section 7 (Statussen); the
  gebruiksdoel values (section 8.2) are kept exactly as published
  (``overige gebruiksfunctie``, with its space).

Identifiers become the 16-digit BAG id (``NL.IMBAG.Pand.`` prefixes, URLs
and Excel's lost leading zero undone). A row that cannot be used (no or
unreadable geometry, a bad id, a construction year that is no year,
coordinates outside the Netherlands) is reported as a :class:`Problem` with
file, row, column and value, and skipped; the rest is imported. Everything
returned is in RD New (EPSG:28992), valid and on the centimetre grid of the
terrain files; inputs are never modified.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from kansenkaart.core.address import normalise_house_number, normalise_postcode
from kansenkaart.core.errors import DataError, Problem, listed_problems
from kansenkaart.core.geo import (
    GRID_M,
    NL_LONLAT_BOUNDS,
    RD,
    RD_BOUNDS,
    _polygonal,
    ensure_rd,
    where,
)
from kansenkaart.io.bag_read import (
    NUM,
    OPR,
    PAND,
    VBO,
    Table,
    as_list,
    read_bag_file,
    strip_id,
)

MIN_YEAR, MAX_YEAR = 1500, 2035
"""Construction years outside this range are BAG placeholders (e.g. 1005, 9999)."""
_GONE_PAND = {"niet gerealiseerd pand", "pand gesloopt", "pand ten onrechte opgevoerd"}
_GONE_VBO = {
    "niet gerealiseerd verblijfsobject",
    "verblijfsobject ingetrokken",
    "verblijfsobject ten onrechte opgevoerd",
}
_SKIPPED = "deze rij is overgeslagen."


@dataclass(frozen=True)
class Bag:
    """BAG data of a terrain.

    Attributes
    ----------
    panden : GeoDataFrame
        Panden inside the boundary, EPSG:28992: ``pand_id`` (16 digits),
        ``construction_year`` (NA for placeholders), ``pand_use`` (gebruiksdoelen
        as published, comma-separated), ``footprint_m2`` (m², from the
        geometry), ``geometry`` (valid, on the 1 cm grid).
    vbo : DataFrame
        Every usable verblijfsobject read, one row per (verblijfsobject, pand):
        ``vbo_id``, ``pand_id``, ``floor_area_m2`` (m²), ``building_use``
        (gebruiksdoelen as published, comma-separated), ``street``,
        ``house_number`` (as written: ``12A``, ``5-2``), ``number_key``
        (:func:`kansenkaart.core.address.normalise_house_number`),
        ``house_base`` (digits only), ``postcode`` (``1234AB``), ``town``,
        ``address`` (display text), ``in_terrain`` (its pand is among
        ``panden``).
    files : tuple of str
        Names of the files read.
    notes : tuple of str
        Dutch sentences on what was read, repaired and left out.
    problems : tuple of Problem
        Rows that were skipped, with row, column, value and fix.
    """

    panden: gpd.GeoDataFrame
    vbo: pd.DataFrame
    files: tuple[str, ...]
    notes: tuple[str, ...]
    problems: tuple[Problem, ...]


def normalise_bag_id(values: pd.Series) -> pd.Series:
    """BAG ids as 16-digit text.

    Undoes what publishers and tools add or drop: the ``NL.IMBAG.Pand.``
    prefix of LVBAG and 3D BAG, the URL of an OGC API link, Excel's lost
    leading zero and GDAL's ``.0``. Other text is returned stripped.
    """
    text = strip_id(values)
    digits = text.str.fullmatch(r"\d{1,16}").fillna(False)
    return text.mask(digits, text.str.zfill(16)).astype("string")


def among(values: pd.Series, lookup: pd.Series) -> pd.Series:
    """``values.isin(lookup)`` that stays fast for large lookups of ids.

    pandas' ``isin`` on pyarrow-backed strings converts the lookup value by
    value (about 20 µs each); a hash index of the unique values does the same
    in a fraction of that. Missing values are never "among".
    """
    index = pd.Index(pd.Series(lookup).dropna().unique())
    return pd.Series(index.get_indexer(values) >= 0, index=values.index)


def _text(values: pd.Series) -> pd.Series:
    """Cells as stripped text (NA when empty); whole numbers without ``.0``."""
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype("Float64").round().astype("Int64").astype("string")
    text = values.astype("string").str.strip()
    return text.mask(text == "")


def _row_problems(
    file: str,
    frame: pd.DataFrame,
    bad: np.ndarray,
    column: str,
    message: str,
    fix: str,
    values: pd.Series | None = None,
) -> list[Problem]:
    """The bad rows of ``frame`` as problems (:func:`listed_problems`).

    ``message`` may hold ``{value}`` (the cell as written) and ``{id}``.
    """
    rows = frame[bad]
    shown = (values if values is not None else frame.get(column))[bad]
    return listed_problems(
        file,
        rows["row"],
        (str(value)[:60] for value in shown),
        column,
        message,
        fix,
        ids=rows.get("identificatie", shown),
    )


def _current(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """The current *voorkomen* of each object, and how many old ones were left out.

    LVBAG extracts hold every version of an object; a version with an end of
    validity (``eindGeldigheid``) is history. Of the rest, the highest
    ``voorkomenidentificatie`` counts.
    """
    ended = _text(frame["eindgeldigheid"].astype("string")).notna().to_numpy()
    rest = frame[~ended]
    version = pd.to_numeric(rest["voorkomenidentificatie"], errors="coerce")
    if version.notna().any():
        order = version.fillna(-1).to_numpy().argsort(kind="stable")
        newest = ~rest["identificatie"].iloc[order].duplicated(keep="last")
        rest = rest.iloc[order][newest.to_numpy()].sort_index()
    return rest, len(frame) - len(rest)


def _valid_ids(
    frame: pd.DataFrame, file: str, what: str
) -> tuple[pd.DataFrame, pd.Series, list[Problem]]:
    """Rows with a usable BAG id, the ids (16 digits) and problems for the rest."""
    ids = normalise_bag_id(frame["identificatie"].astype("string"))
    bad = ~ids.str.fullmatch(r"\d{16}").fillna(False).to_numpy()
    problems = _row_problems(
        file,
        frame,
        bad,
        "identificatie",
        f"'{{value}}' is geen BAG-identificatie (16 cijfers); {what} is overgeslagen.",
        "controleer de identificatie op bagviewer.kadaster.nl of download het "
        "BAG-bestand opnieuw.",
    )
    return frame[~bad], ids[~bad], problems


def _uses(values: pd.Series) -> pd.Series:
    """Gebruiksdoelen exactly as published, comma-separated ("a,b")."""
    joined = [",".join(as_list(v)) for v in values]
    return pd.Series(joined, index=values.index, dtype="string").replace("", pd.NA)


def _gone(status: pd.Series, gone: set[str]) -> np.ndarray:
    low = status.astype("string").str.strip().str.lower()
    return low.isin(gone).fillna(False).to_numpy(dtype=bool)


def _outside(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Rows whose coordinates fit neither RD New nor lon/lat over the Netherlands.

    Which boxes count depends on the declared CRS (none: both); for other
    projected CRSs the rows are left to :func:`kansenkaart.core.geo.ensure_rd`.
    """
    b = shapely.bounds(gdf.geometry.array)

    def fits(box):
        return (
            (b[:, 0] >= box[0])
            & (b[:, 1] >= box[1])
            & (b[:, 2] <= box[2])
            & (b[:, 3] <= box[3])
        )

    crs = gdf.crs
    if crs is None:
        return ~(fits(RD_BOUNDS) | fits(NL_LONLAT_BOUNDS))
    if crs.is_geographic:
        return ~(fits(NL_LONLAT_BOUNDS) | fits(RD_BOUNDS))
    if crs.to_epsg() == 28992:
        return ~fits(RD_BOUNDS)
    return np.zeros(len(gdf), dtype=bool)


def _polygons(
    gdf: gpd.GeoDataFrame, file: str
) -> tuple[gpd.GeoDataFrame, list[str], list[Problem]]:
    """Pand outlines in RD New, valid and on the terrain files' centimetre grid.

    Missing, unreadable, non-polygonal and outside-the-Netherlands geometries
    drop only their pand (with a problem); invalid ones are repaired once
    here (``make_valid``, polygonal part kept), and every outline is snapped
    to :data:`kansenkaart.core.geo.GRID_M` so that writing the terrain with
    2 decimals keeps it valid.
    """
    geom = gdf.geometry.array
    problems: list[Problem] = []
    missing = shapely.is_missing(geom) | shapely.is_empty(geom)
    if "wkt_text" in gdf:
        unreadable = missing & gdf["wkt_text"].fillna("").ne("").to_numpy()
        problems += _row_problems(
            file,
            gdf,
            unreadable,
            "geometry",
            "'{value}' is geen leesbare geometrie (WKT); dit pand is overgeslagen.",
            "schrijf de omtrek als WKT, bijvoorbeeld 'POLYGON ((x y, ...))'.",
            gdf["wkt_text"],
        )
        missing = missing & ~unreadable
    problems += _row_problems(
        file,
        gdf,
        missing,
        "geometry",
        "pand {id}: de geometrie ontbreekt of is leeg; dit pand is overgeslagen.",
        "geen actie nodig, of vraag een nieuw BAG-extract aan.",
    )
    absent = shapely.is_missing(geom) | shapely.is_empty(geom)
    polygonal = np.isin(shapely.get_type_id(geom), (3, 6))  # Polygon, MultiPolygon
    if not polygonal.any():
        kind = gdf.geometry[~absent].geom_type.iloc[0] if (~absent).any() else "geen"
        raise DataError.single(
            file,
            f"de panden hebben geen vlakken maar geometrieën van het type {kind}.",
            "kies de laag met pandomtrekken (BAG 'pand'), niet de adrespunten.",
        )
    problems += _row_problems(
        file,
        gdf,
        ~polygonal & ~absent,
        "geometry",
        "pand {id}: de geometrie is geen vlak; dit pand is overgeslagen.",
        "lever de pandomtrek als polygoon aan.",
    )
    keep = gdf[polygonal]
    outside = _outside(keep)
    if outside.any() and not outside.all():
        centre = shapely.centroid(keep.geometry.array[outside])
        places = pd.Series(
            [where(p.x, p.y, keep.crs) for p in centre], index=keep.index[outside]
        )
        problems += _row_problems(
            file,
            keep,
            outside,
            "geometry",
            "pand {id}: de coördinaten liggen niet in Nederland maar {value}; dit "
            "pand is overgeslagen.",
            "controleer de coördinaten van dit pand (x en y verwisseld?).",
            places.reindex(keep.index),
        )
        keep = keep[~outside]
    keep, notes = ensure_rd(keep, file)
    geom = shapely.force_2d(keep.geometry.array)
    invalid = ~shapely.is_valid(geom)
    geom = geom.copy()
    geom[invalid] = [_polygonal(g) for g in shapely.make_valid(geom[invalid])]
    geom = np.array(
        [_polygonal(g) for g in shapely.set_precision(geom, GRID_M)], dtype=object
    )
    lost = shapely.is_empty(geom)
    problems += _row_problems(
        file,
        keep,
        lost,
        "geometry",
        "pand {id}: de geometrie is ongeldig of te klein en houdt geen oppervlak "
        "over; dit pand is overgeslagen.",
        "controleer de pandomtrek in de BAG.",
    )
    if invalid.any():
        notes.append(
            "Ongeldige pandomtrekken automatisch gerepareerd: "
            f"{int((invalid & ~lost).sum())}."
        )
    keep = keep[~lost]
    return (
        keep.set_geometry(gpd.GeoSeries(geom[~lost], index=keep.index, crs=RD)),
        notes,
        problems,
    )


def _prepare_panden(table: Table) -> tuple[gpd.GeoDataFrame, list[str], list[Problem]]:
    """Current, usable panden of one table, in RD New."""
    file, frame = table.file, table.frame
    frame, old = _current(frame)
    notes = [f"Oude voorkomens (historie) van panden weggelaten: {old}."] * bool(old)
    frame, ids, problems = _valid_ids(frame, file, "dit pand")
    year_text = _text(frame["bouwjaar"])
    year = pd.to_numeric(year_text, errors="coerce")
    bad_year = (year_text.notna() & (year.isna() | (year % 1 != 0))).to_numpy()
    problems += _row_problems(
        file,
        frame,
        bad_year,
        "bouwjaar",
        "'{value}' is geen bouwjaar; dit pand is overgeslagen.",
        "vul het bouwjaar in als jaartal (bijvoorbeeld 1975) of laat het leeg.",
        year_text,
    )
    gone = _gone(frame["status"], _GONE_PAND)
    if gone.any():
        notes.append(
            "Panden met status 'gesloopt' of 'niet gerealiseerd' weggelaten: "
            f"{int(gone.sum())}."
        )
    keep = ~bad_year & ~gone
    gdf = gpd.GeoDataFrame(
        {
            "pand_id": ids[keep].to_numpy(),
            "identificatie": ids[keep].to_numpy(),
            "bouwjaar": year[keep].astype("Float64").round().astype("Int64").to_numpy(),
            "pand_use": _uses(frame["gebruiksdoel"][keep]).to_numpy(),
            "feature_id": _text(frame["feature_id"][keep].astype("string")).to_numpy(),
            "row": frame["row"][keep].to_numpy(),
            **({"wkt_text": frame["wkt_text"][keep]} if "wkt_text" in frame else {}),
        },
        geometry=frame.geometry.array[keep],
        crs=table.crs,
    )
    gdf, geom_notes, found = _polygons(gdf, file)
    return gdf, notes + geom_notes, problems + found


def _prepare_objects(table: Table) -> tuple[pd.DataFrame, list[str], list[Problem]]:
    """Current, usable verblijfsobjecten, nummeraanduidingen or openbare ruimten."""
    file, frame, role = table.file, table.frame, table.role
    label = {
        VBO: "verblijfsobjecten",
        NUM: "nummeraanduidingen",
        OPR: "openbare ruimten",
    }[role]
    frame, old = _current(frame)
    notes = [f"Oude voorkomens (historie) van {label} weggelaten: {old}."] * bool(old)
    frame, ids, problems = _valid_ids(frame, file, "dit object")
    frame = frame.assign(identificatie=ids)
    if role == OPR:
        return frame[["identificatie", "naam"]], notes, problems
    if role == NUM:
        frame = frame.assign(
            openbareruimteref=normalise_bag_id(frame["openbareruimteref"])
        )
        return frame, notes, problems
    gone = _gone(frame["status"], _GONE_VBO)
    if gone.any():
        notes.append(
            "Verblijfsobjecten met status 'ingetrokken' of 'niet gerealiseerd' "
            f"weggelaten: {int(gone.sum())}."
        )
    area_text = _text(frame["oppervlakte"])
    area = pd.to_numeric(area_text, errors="coerce").astype("Float64")
    bad_area = (area_text.notna() & area.isna()).to_numpy()
    problems += _row_problems(
        file,
        frame,
        bad_area,
        "oppervlakte",
        "'{value}' is geen oppervlakte in m²; dit verblijfsobject is overgeslagen.",
        "vul de gebruiksoppervlakte in als getal (m²) of laat het leeg.",
        area_text,
    )
    keep = ~gone & ~bad_area
    frame = frame[keep].assign(
        oppervlakte=area[keep],
        gebruiksdoel=_uses(frame["gebruiksdoel"][keep]),
        pand_refs=[as_list(v) for v in frame["pand_identificatie"][keep]],
        hoofdadres=normalise_bag_id(frame["hoofdadres"][keep].astype("string")),
    )
    return frame, notes, problems


def _with_addresses(
    vbo: pd.DataFrame, nums: pd.DataFrame | None, oprs: pd.DataFrame | None
) -> tuple[pd.DataFrame, list[str]]:
    """Fill the address of LVBAG verblijfsobjecten from their hoofdadres.

    LVBAG keeps postcode, huisnummer, huisletter and toevoeging in the
    nummeraanduiding and the street name in the openbare ruimte; bag-light,
    WFS and OGC API put them on the verblijfsobject already.
    """
    columns = ("huisnummer", "huisletter", "toevoeging", "postcode", "woonplaats_naam")
    out = vbo.copy()
    for column in (*columns, "openbare_ruimte_naam"):
        out[column] = _text(out[column])
    needs = out["huisnummer"].isna() & out["hoofdadres"].notna()
    if not needs.any():
        return out, []
    if nums is None:
        return out, [
            f"Verblijfsobjecten zonder adres: {int(needs.sum())}; ze verwijzen naar "
            "een nummeraanduiding, maar die laag is niet meegeleverd. Lever de laag "
            "'nummeraanduiding' van het LVBAG-extract mee om op adres te koppelen."
        ]
    table = nums.drop_duplicates("identificatie").set_index("identificatie")
    for column in columns:
        found = out["hoofdadres"].map(_text(table[column]))
        out[column] = out[column].where(~needs, found)
    if oprs is not None:
        names = oprs.drop_duplicates("identificatie").set_index("identificatie")["naam"]
        street = out["hoofdadres"].map(table["openbareruimteref"]).map(_text(names))
        out["openbare_ruimte_naam"] = out["openbare_ruimte_naam"].where(~needs, street)
    filled = int((needs & out["huisnummer"].notna()).sum())
    return out, [
        f"Adressen van verblijfsobjecten uit de nummeraanduidingen gehaald: {filled} "
        f"van {int(needs.sum())}."
    ]


def _pand_ids(refs: pd.Series, panden: pd.DataFrame) -> pd.Series:
    """Pand references as 16-digit ids; OGC API feature ids via the panden read."""
    ids = normalise_bag_id(refs)
    by_feature = panden.dropna(subset=["feature_id"]).drop_duplicates("feature_id")
    lookup = pd.Series(by_feature["pand_id"].to_numpy(), index=by_feature["feature_id"])
    digits = ids.str.fullmatch(r"\d{16}").fillna(False)
    return ids.where(digits, strip_id(refs).map(lookup)).astype("string")


def _vbo_rows(vbo: pd.DataFrame, panden: pd.DataFrame) -> pd.DataFrame:
    """One row per (verblijfsobject, pand) with the address columns of :class:`Bag`."""
    number = (
        vbo["huisnummer"].fillna("")
        + vbo["huisletter"].fillna("")
        + ("-" + vbo["toevoeging"]).fillna("")
    )
    street = vbo["openbare_ruimte_naam"]
    town = vbo["woonplaats_naam"]
    display = (street.fillna("") + " " + number + (", " + town).fillna("")).str.strip()
    out = pd.DataFrame(
        {
            "vbo_id": vbo["identificatie"].to_numpy(),
            "pand_id": vbo["pand_refs"].to_numpy(),
            "floor_area_m2": vbo["oppervlakte"].to_numpy(),
            "building_use": vbo["gebruiksdoel"].to_numpy(),
            "street": street.to_numpy(),
            "house_number": number.replace("", pd.NA).to_numpy(),
            "number_key": normalise_house_number(number).to_numpy(),
            "house_base": house_base(vbo["huisnummer"]).to_numpy(),
            "postcode": normalise_postcode(vbo["postcode"]).to_numpy(),
            "town": town.to_numpy(),
            "address": display.replace("", pd.NA).to_numpy(),
        }
    ).explode("pand_id")
    out["pand_id"] = _pand_ids(out["pand_id"].astype("string"), panden)
    return out.astype({"vbo_id": "string", "building_use": "string"})


def house_base(values: pd.Series) -> pd.Series:
    """The digits of a house number without letter or addition: "5-2" -> "5"."""
    return values.astype("string").str.extract(r"^\s*0*(\d+)", expand=False)


def _clip(
    panden: gpd.GeoDataFrame, boundary: gpd.GeoDataFrame | None, names: str
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Panden whose representative point lies inside the boundary."""
    if boundary is None or boundary.empty:
        return panden, [
            f"{len(panden)} panden gelezen; zonder terreingrens zijn ze allemaal "
            "meegenomen."
        ]
    area = shapely.union_all(boundary.geometry.array)
    inside = shapely.within(panden.geometry.representative_point().array, area)
    outside = int((~inside).sum())
    if not inside.any():
        raise DataError.single(
            names,
            "er liggen geen BAG-panden binnen de terreingrens.",
            "controleer of het BAG-bestand en de terreingrens hetzelfde gebied "
            "beslaan.",
        )
    return panden[inside], [
        f"Panden binnen de terreingrens: {int(inside.sum())}"
        + (f"; {outside} panden rond de grens liggen erbuiten." if outside else ".")
    ]


def read_bag(paths: Sequence[Path], boundary: gpd.GeoDataFrame | None = None) -> Bag:
    """Read BAG panden and verblijfsobjecten and keep the panden of the terrain.

    A pand belongs to the terrain when its representative point (a point
    guaranteed inside the polygon) lies inside the boundary, so a neighbour
    that only touches the border is left out. Without a boundary every pand
    read is kept.

    Parameters
    ----------
    paths : sequence of Path
        An LVBAG GeoPackage (or its XML files), a bag-light GeoPackage, or
        GeoJSON (WFS, OGC API) / CSV-with-WKT files with panden and with
        verblijfsobjecten; several files of one kind are combined.
    boundary : GeoDataFrame, optional
        Terrain polygon(s) in EPSG:28992.

    Returns
    -------
    Bag

    Raises
    ------
    DataError
        Unreadable file, missing layer or column, panden without polygons,
        coordinates outside the Netherlands, or no panden inside the boundary.
        Problems in single rows are in :attr:`Bag.problems` instead.
    """
    files = tuple(Path(p).name for p in paths)
    names = " en ".join(files)
    parts: dict[str, list] = {PAND: [], VBO: [], NUM: [], OPR: []}
    notes: list[str] = []
    problems: list[Problem] = []
    for path in map(Path, paths):
        for table in read_bag_file(path, boundary):
            prepare = _prepare_panden if table.role == PAND else _prepare_objects
            frame, found_notes, found = prepare(table)
            parts[table.role].append(frame)
            notes += found_notes
            problems += found
    if not parts[PAND] or not parts[VBO]:
        kind = "panden (vlakken)" if not parts[PAND] else "verblijfsobjecten (adressen)"
        raise DataError.single(
            names,
            f"er zijn geen BAG-{kind} aangeleverd.",
            "lever de BAG GeoPackage (lagen 'pand' en 'verblijfsobject'), een "
            "LVBAG-extract, of twee GeoJSON-bestanden: panden en verblijfsobjecten.",
        )
    panden = pd.concat(parts[PAND], ignore_index=True)
    dup = panden["pand_id"].duplicated().to_numpy()
    if dup.any():
        notes.append(
            "Dubbele panden (zelfde identificatie, bijvoorbeeld uit overlappende "
            f"WFS-tegels) één keer meegenomen: {int(dup.sum())}."
        )
    panden = panden[~dup]
    inside, clip_notes = _clip(panden, boundary, names)
    notes += clip_notes
    year = inside["bouwjaar"]
    implausible = ((year < MIN_YEAR) | (year > MAX_YEAR)).fillna(False).to_numpy()
    if implausible.any():
        notes.append(
            "Panden met een onwaarschijnlijk bouwjaar (bijvoorbeeld 1005 of 9999, in "
            f"de BAG de code voor onbekend), nu 'onbekend': {int(implausible.sum())}."
        )
    out = gpd.GeoDataFrame(
        {
            "pand_id": inside["pand_id"].astype("string").to_numpy(),
            "construction_year": year.mask(implausible).to_numpy(),
            "pand_use": inside["pand_use"].astype("string").to_numpy(),
            "footprint_m2": shapely.area(inside.geometry.array).round(1),
        },
        geometry=inside.geometry.to_numpy(),
        crs=RD,
    )
    objects = pd.concat(parts[VBO], ignore_index=True)
    nums = pd.concat(parts[NUM], ignore_index=True) if parts[NUM] else None
    oprs = pd.concat(parts[OPR], ignore_index=True) if parts[OPR] else None
    objects, address_notes = _with_addresses(objects, nums, oprs)
    notes += address_notes
    vbo = _vbo_rows(objects, panden).drop_duplicates(["vbo_id", "pand_id"])
    vbo["in_terrain"] = among(vbo["pand_id"], out["pand_id"])
    notes.append(
        f"Verblijfsobjecten (adressen) gelezen: {vbo['vbo_id'].nunique()}, waarvan "
        f"{vbo.loc[vbo['in_terrain'], 'vbo_id'].nunique()} in panden op het terrein."
    )
    return Bag(
        out.reset_index(drop=True),
        vbo.reset_index(drop=True),
        files,
        tuple(notes),
        tuple(problems),
    )


NO_NUMBER = "huisnummer ontbreekt of is ongeldig"
BAD_POSTCODE = "postcode is ongeldig (verwacht 1234 AB)"
NO_ADDRESS = "geen postcode en geen straat"
AMBIGUOUS = (
    "meerdere adressen met dit huisnummer in de BAG (met huisletter of toevoeging)"
)
NOT_FOUND = "adres niet gevonden in het BAG-bestand"
MATCH_FIXES = {
    NO_NUMBER: "vul het huisnummer in, bijvoorbeeld 12 of 12A.",
    BAD_POSTCODE: "verbeter de postcode.",
    NO_ADDRESS: "vul postcode en huisnummer in.",
    AMBIGUOUS: "vul de huisletter of toevoeging aan zoals in de BAG.",
    NOT_FOUND: "controleer het adres op bagviewer.kadaster.nl; misschien is het "
    "bedrijf verhuisd of is het adres anders geschreven.",
}
"""Dutch reasons why :func:`match_addresses` found no address, and their fix."""

_STREET_NUMBER = re.compile(
    r"^\s*(?P<street>.+?)\s+(?P<house_number>\d+(?:\s*-?\s*[A-Za-z0-9]{1,4})?)\s*$"
)
_POSTCODE_TOWN = re.compile(
    r"^\s*(?P<postcode>\d{4}\s*[A-Za-z]{2}\b)?\s*(?P<town>.*?)\s*$"
)


def split_address(text: pd.Series) -> pd.DataFrame:
    """Split "Industrieweg 12A, 9301 ZZ Roden" into street, number, postcode, town.

    Postcode and town after the comma are optional. Text that does not look
    like "street number" gives NA for street and number.

    Returns
    -------
    DataFrame with string columns ``street``, ``house_number``, ``postcode``,
    ``town``; same index as ``text``.
    """
    halves = text.astype("string").str.split(",", n=1, expand=True)
    halves = halves.reindex(columns=[0, 1])
    left = halves[0].str.extract(_STREET_NUMBER)
    right = halves[1].astype("string").str.extract(_POSTCODE_TOWN)
    parts = pd.concat([left, right], axis=1).set_axis(text.index)
    return parts.replace("", pd.NA).astype("string")


def _street_key(street: pd.Series) -> pd.Series:
    return (
        street.astype("string").str.lower().str.replace(r"[^0-9a-zà-ÿ]", "", regex=True)
    )


def _unique_lookup(keys: pd.Series, values: pd.Series) -> pd.Series:
    """key -> value for keys that occur with exactly one value."""
    pairs = pd.DataFrame({"key": keys, "value": values}).dropna().drop_duplicates()
    counts = pairs["key"].value_counts()
    single = pairs[pairs["key"].map(counts) == 1]
    return pd.Series(single["value"].to_numpy(), index=single["key"].to_numpy())


def match_addresses(
    vbo: pd.DataFrame,
    postcode: pd.Series,
    house_number: pd.Series,
    street: pd.Series | None = None,
    town: pd.Series | None = None,
) -> pd.DataFrame:
    """Find the verblijfsobject of each address.

    Tried in order, each only for rows still unmatched:

    1. postcode + house number with letter/addition (``9301ZZ|12A``);
    2. street + house number (+ town when given), when that address is unique;
    3. postcode + the digits of the house number, when exactly one
       verblijfsobject has them: the letter or addition differs between the
       list and the BAG, so the row is flagged for checking.

    Parameters
    ----------
    vbo : DataFrame
        ``Bag.vbo``.
    postcode, house_number : Series
        As written in the list (any usual notation).
    street, town : Series, optional
        Street and place name, for rows without a usable postcode.

    Returns
    -------
    DataFrame
        Same index as ``postcode``: ``vbo_id`` (NA when unmatched),
        ``method`` (Dutch: "postcode en huisnummer", "straat en huisnummer",
        "huisnummer zonder toevoeging") and ``reason`` (Dutch, why unmatched).
    """
    index = postcode.index
    street = pd.Series(pd.NA, index=index, dtype="string") if street is None else street
    town = pd.Series(pd.NA, index=index, dtype="string") if town is None else town
    number = normalise_house_number(house_number)
    pc = normalise_postcode(postcode)
    result = pd.DataFrame(
        {
            "vbo_id": pd.Series(pd.NA, index=index, dtype="string"),
            "method": pd.Series(pd.NA, index=index, dtype="string"),
            "reason": pd.Series(pd.NA, index=index, dtype="string"),
        }
    )
    objects = vbo.drop_duplicates("vbo_id")
    base = house_base(house_number)
    st_key = _street_key(street) + "|" + number
    bag_st_key = _street_key(objects["street"]) + "|" + objects["number_key"]
    tiers = (
        (
            "postcode en huisnummer",
            pc + "|" + number,
            objects["postcode"] + "|" + objects["number_key"],
        ),
        (
            "straat, huisnummer en plaats",
            st_key + "|" + _street_key(town),
            bag_st_key + "|" + _street_key(objects["town"]),
        ),
        ("straat en huisnummer", st_key, bag_st_key),
        (
            "huisnummer zonder toevoeging",
            pc + "|" + base,
            objects["postcode"] + "|" + objects["house_base"],
        ),
    )
    for method, keys, bag_keys in tiers:
        open_rows = result["vbo_id"].isna()
        found = keys.where(open_rows).map(_unique_lookup(bag_keys, objects["vbo_id"]))
        hit = found.notna().to_numpy()
        result.loc[hit, "vbo_id"] = found[hit]
        result.loc[hit, "method"] = method
    unmatched = result["vbo_id"].isna()
    given_pc = postcode.astype("string").str.strip().fillna("") != ""
    several = (pc + "|" + base).map(
        (objects["postcode"] + "|" + objects["house_base"]).value_counts()
    )
    reasons = np.select(
        [
            number.isna().to_numpy(),
            (given_pc & pc.isna()).to_numpy(),
            (pc.isna() & street.isna()).to_numpy(),
            (several > 1).fillna(False).to_numpy(),
        ],
        [NO_NUMBER, BAD_POSTCODE, NO_ADDRESS, AMBIGUOUS],
        NOT_FOUND,
    )
    result["reason"] = pd.Series(reasons, index=index, dtype="string").where(unmatched)
    return result
