"""BAG panden and verblijfsobjecten: read, clip to the terrain, find addresses.

Sources
-------
- Kadaster, *Basisregistratie Adressen en Gebouwen* (BAG), via PDOK as the
  *BAG GeoPackage* ("bag-light", EPSG:28992) with layers ``pand``
  (identificatie, bouwjaar, status, gebruiksdoel, oppervlakte_min/max, geom)
  and ``verblijfsobject`` (identificatie, oppervlakte, gebruiksdoel,
  openbare_ruimte_naam, huisnummer, huisletter, toevoeging, postcode,
  woonplaats_naam, pand_identificatie). A verblijfsobject in several panden
  appears once per pand; a comma-separated ``pand_identificatie`` is accepted
  too.
- PDOK BAG WFS (``bag:pand``, ``bag:verblijfsobject``) saved as GeoJSON; its
  field names differ slightly (``pandidentificatie``, ``openbare_ruimte``,
  ``woonplaats``) and are read as aliases. Which file is which is decided by
  its fields: a layer with a pand reference holds verblijfsobjecten.
- BAG status values: *Catalogus BAG 2018*, section 7 (Statussen).

Everything returned is in RD New (EPSG:28992); inputs are never modified.
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

from kansenkaart.core import schema as sch
from kansenkaart.core.address import normalise_house_number, normalise_postcode
from kansenkaart.core.errors import DataError, Problem
from kansenkaart.core.geo import RD, _polygonal, ensure_rd
from kansenkaart.io.readers import _check_size, _list_layers

PAND_LAYER = "pand"
VBO_LAYER = "verblijfsobject"
MIN_YEAR, MAX_YEAR = 1500, 2035
"""Construction years outside this range are BAG placeholders (e.g. 1005)."""

PAND = sch.Schema(
    PAND_LAYER,
    "BAG-panden",
    (
        sch.Column("identificatie", "text", "pand-identificatie", required=True),
        sch.Column("bouwjaar", "int", "bouwjaar", "jaar"),
        sch.Column("status", "text", "status", aliases=("pandstatus",)),
        sch.Column("gebruiksdoel", "text", "gebruiksdoel"),
    ),
    geometry="polygon",
)
VBO = sch.Schema(
    VBO_LAYER,
    "BAG-verblijfsobjecten",
    (
        sch.Column("identificatie", "text", "verblijfsobject-id", required=True),
        sch.Column(
            "pand_identificatie",
            "text",
            "pand-identificatie",
            required=True,
            aliases=("pandidentificatie", "pandid", "pandidentificaties"),
        ),
        sch.Column("oppervlakte", "float", "gebruiksoppervlakte", "m²"),
        sch.Column("gebruiksdoel", "text", "gebruiksdoel"),
        sch.Column(
            "openbare_ruimte_naam",
            "text",
            "straat",
            aliases=("openbare_ruimte", "openbareruimte", "straatnaam"),
        ),
        sch.Column("huisnummer", "text", "huisnummer", required=True),
        sch.Column("huisletter", "text", "huisletter"),
        sch.Column(
            "toevoeging", "text", "toevoeging", aliases=("huisnummertoevoeging",)
        ),
        sch.Column("postcode", "text", "postcode"),
        sch.Column("woonplaats_naam", "text", "woonplaats", aliases=("woonplaats",)),
        sch.Column("status", "text", "status"),
    ),
)
_GONE_PAND = {"niet gerealiseerd pand", "pand gesloopt", "pand ten onrechte opgevoerd"}
_GONE_VBO = {
    "niet gerealiseerd verblijfsobject",
    "verblijfsobject ingetrokken",
    "verblijfsobject ten onrechte opgevoerd",
}
_MAX_LISTED = 5


@dataclass(frozen=True)
class Bag:
    """BAG data of a terrain.

    Attributes
    ----------
    panden : GeoDataFrame
        Panden inside the boundary, EPSG:28992: ``pand_id``,
        ``construction_year`` (NA for placeholders), ``pand_use``,
        ``footprint_m2`` (m², from the geometry), ``geometry``.
    vbo : DataFrame
        Every usable verblijfsobject read, one row per (verblijfsobject, pand):
        ``vbo_id``, ``pand_id``, ``floor_area_m2`` (m²), ``building_use``,
        ``street``, ``house_number`` (as written: ``12A``, ``5-2``),
        ``number_key`` (:func:`kansenkaart.core.address.normalise_house_number`),
        ``house_base`` (digits only), ``postcode`` (``1234AB``), ``town``,
        ``address`` (display text), ``in_terrain`` (its pand is among
        ``panden``).
    files : tuple of str
        Names of the files read.
    notes : tuple of str
        Dutch sentences on what was read and what was left out.
    problems : tuple of Problem
        Rows that were skipped, with row, column and fix.
    """

    panden: gpd.GeoDataFrame
    vbo: pd.DataFrame
    files: tuple[str, ...]
    notes: tuple[str, ...]
    problems: tuple[Problem, ...]


def normalise_bag_id(values: pd.Series) -> pd.Series:
    """BAG ids as 16-digit text: Excel/GDAL may drop the leading zero or add ``.0``."""
    text = values.astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
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


def _read(
    path: Path, layer: str | None, bbox: tuple | None, geometry: bool
) -> gpd.GeoDataFrame | pd.DataFrame:
    try:
        return gpd.read_file(
            path,
            layer=layer,
            bbox=bbox,
            ignore_geometry=not geometry,
            fid_as_index=True,
        )
    except Exception as exc:  # pyogrio/GDAL raise DataSourceError and friends
        kind = "GeoPackage" if path.suffix.lower() == ".gpkg" else "GeoJSON"
        raise DataError.single(
            path.name,
            f"het bestand is geen leesbaar {kind}-bestand.",
            "download het BAG-extract opnieuw (PDOK: BAG GeoPackage of de "
            "BAG-WFS als GeoJSON).",
        ) from exc


def _gpkg_bbox(path: Path, boundary: gpd.GeoDataFrame | None) -> tuple | None:
    """Bounding box of the boundary in the layer's CRS, to read only that area."""
    import pyogrio

    if boundary is None or boundary.empty:
        return None
    crs = pyogrio.read_info(path, layer=PAND_LAYER).get("crs")
    if not crs:
        return None
    minx, miny, maxx, maxy = boundary.to_crs(crs).total_bounds
    return (minx, miny, maxx, maxy)


def _read_file(
    path: Path, boundary: gpd.GeoDataFrame | None
) -> tuple[list[gpd.GeoDataFrame], list[pd.DataFrame]]:
    """The pand and verblijfsobject tables in one BAG file."""
    _check_size(path)
    suffix = path.suffix.lower()
    if suffix == ".gpkg":
        layers = [name for name, _ in _list_layers(path)]
        missing = [name for name in (PAND_LAYER, VBO_LAYER) if name not in layers]
        if missing:
            raise DataError.single(
                path.name,
                f"de laag {' en '.join(repr(m) for m in missing)} ontbreekt; het "
                f"bestand heeft de lagen {', '.join(layers) or '(geen)'}.",
                "gebruik de BAG GeoPackage (bag-light) van PDOK, met de lagen "
                "'pand' en 'verblijfsobject'.",
            )
        bbox = _gpkg_bbox(path, boundary)
        panden = _read(path, PAND_LAYER, bbox, geometry=True)
        if bbox is not None and panden.empty:
            raise DataError.single(
                path.name,
                "er liggen geen BAG-panden binnen de terreingrens.",
                "controleer of het BAG-bestand en de terreingrens hetzelfde "
                "gebied beslaan.",
            )
        return [panden], [_read(path, VBO_LAYER, None, geometry=False)]
    if suffix in (".geojson", ".json"):
        raw = _read(path, None, None, geometry=True)
        raw.index = raw.index + 1  # GeoJSON feature ids count from 0
        mapped = set(sch.match_columns(list(raw.columns), VBO).values())
        if "pand_identificatie" in mapped:
            return [], [pd.DataFrame(raw.drop(columns="geometry"))]
        if "identificatie" in mapped:
            return [raw], []
        raise DataError.single(
            path.name,
            "dit lijkt geen BAG-bestand: er is geen kolom 'identificatie'.",
            "download panden en verblijfsobjecten uit de BAG-WFS of gebruik de "
            "BAG GeoPackage van PDOK.",
        )
    raise DataError.single(
        path.name,
        f"onbekend bestandstype '{suffix}' voor BAG.",
        "gebruik de BAG GeoPackage (.gpkg) of GeoJSON uit de BAG-WFS.",
    )


def _row_problems(
    file: str, panden: pd.DataFrame, message: str, fix: str
) -> list[Problem]:
    """Problems naming the first panden (feature number and id), then a count."""
    head = panden.head(_MAX_LISTED)
    out = [
        Problem(file, f"pand {pand}: {message}", fix, int(row), "geometry")
        for row, pand in zip(head["row"], head["identificatie"], strict=True)
    ]
    if len(panden) > _MAX_LISTED:
        out.append(
            Problem(
                file, f"nog {len(panden) - _MAX_LISTED} panden met dezelfde fout.", fix
            )
        )
    return out


def _clean_polygons(
    gdf: gpd.GeoDataFrame, file: str
) -> tuple[gpd.GeoDataFrame, list[str], list[Problem]]:
    """Drop missing and non-polygonal geometries, repair invalid ones.

    Unlike :func:`kansenkaart.core.geo.check_geometries`, which refuses a whole
    file, one bad pand in a BAG extract only drops that pand (and says so).
    """
    geom = gdf.geometry.array
    notes: list[str] = []
    problems: list[Problem] = []
    missing = shapely.is_missing(geom) | shapely.is_empty(geom)
    problems += _row_problems(
        file,
        gdf[missing],
        "de geometrie ontbreekt of is leeg; dit pand is overgeslagen.",
        "geen actie nodig, of vraag een nieuw BAG-extract aan.",
    )
    kinds = shapely.get_type_id(geom)
    polygonal = np.isin(kinds, (3, 6))  # Polygon, MultiPolygon
    if not polygonal.any():
        kind = gdf.geometry[~missing].geom_type.iloc[0] if (~missing).any() else "geen"
        raise DataError.single(
            file,
            f"de panden hebben geen vlakken maar geometrieën van het type {kind}.",
            "kies de laag met pandomtrekken (BAG 'pand'), niet de adrespunten.",
        )
    wrong = ~polygonal & ~missing
    problems += _row_problems(
        file,
        gdf[wrong],
        "de geometrie is geen vlak; dit pand is overgeslagen.",
        "lever de pandomtrek als polygoon aan.",
    )
    keep = gdf[polygonal & ~missing]
    geom = shapely.force_2d(keep.geometry.array)
    invalid = ~shapely.is_valid(geom)
    if invalid.any():
        geom = geom.copy()
        geom[invalid] = [_polygonal(g) for g in shapely.make_valid(geom[invalid])]
        lost = shapely.is_empty(geom)
        problems += _row_problems(
            file,
            keep[lost],
            "de geometrie is ongeldig en kon niet worden gerepareerd (geen "
            "oppervlak); dit pand is overgeslagen.",
            "controleer de pandomtrek in de BAG.",
        )
        notes.append(
            "Ongeldige pandomtrekken automatisch gerepareerd: "
            f"{int(invalid.sum() - lost.sum())}."
        )
        keep, geom = keep[~lost], geom[~lost]
    return (
        keep.set_geometry(gpd.GeoSeries(geom, index=keep.index, crs=keep.crs)),
        notes,
        problems,
    )


def _prepare_panden(
    raw: gpd.GeoDataFrame, file: str
) -> tuple[gpd.GeoDataFrame, list[str], list[Problem]]:
    """Validate and clean one pand table (any CRS).

    ``raw`` is indexed by feature number (GeoPackage fid), which becomes the
    ``row`` of problems: a bbox read skips features, so positions would lie.
    """
    table = sch.validate(raw, PAND, file, row_offset=1)
    gdf = gpd.GeoDataFrame(table, geometry="geometry", crs=raw.crs)
    gdf["row"] = raw.index.to_numpy()
    notes: list[str] = []
    gone = gdf["status"].str.strip().str.lower().isin(_GONE_PAND).fillna(False)
    if gone.any():
        notes.append(
            "Panden met status 'gesloopt' of 'niet gerealiseerd' weggelaten: "
            f"{int(gone.sum())}."
        )
    gdf, geom_notes, problems = _clean_polygons(gdf[~gone.to_numpy()], file)
    return gdf, notes + geom_notes, problems


def _prepare_vbo(raw: pd.DataFrame, file: str) -> tuple[pd.DataFrame, list[str]]:
    """Validate one verblijfsobject table; one row per (vbo, pand) out."""
    table = sch.validate(raw, VBO, file, row_offset=1)
    gone = table["status"].str.strip().str.lower().isin(_GONE_VBO).fillna(False)
    notes = (
        [
            "Verblijfsobjecten met status 'ingetrokken' of 'niet gerealiseerd' "
            f"weggelaten: {int(gone.sum())}."
        ]
        if gone.any()
        else []
    )
    table = table[~gone.to_numpy()]
    number = (
        table["huisnummer"].fillna("")
        + table["huisletter"].fillna("")
        + ("-" + table["toevoeging"]).fillna("")
    )
    street = table["openbare_ruimte_naam"].str.strip()
    town = table["woonplaats_naam"].str.strip()
    display = (street.fillna("") + " " + number + (", " + town).fillna("")).str.strip()
    out = pd.DataFrame(
        {
            "vbo_id": normalise_bag_id(table["identificatie"]),
            "pand_id": table["pand_identificatie"].astype("string").str.split(","),
            "floor_area_m2": table["oppervlakte"],
            "building_use": table["gebruiksdoel"].str.replace(" ", "", regex=False),
            "street": street,
            "house_number": number.replace("", pd.NA),
            "number_key": normalise_house_number(number),
            "house_base": house_base(table["huisnummer"]),
            "postcode": normalise_postcode(table["postcode"]),
            "town": town,
            "address": display,
        }
    ).explode("pand_id")
    out["pand_id"] = normalise_bag_id(out["pand_id"])
    return out, notes


def house_base(values: pd.Series) -> pd.Series:
    """The digits of a house number without letter or addition: "5-2" -> "5"."""
    return values.astype("string").str.extract(r"^\s*0*(\d+)", expand=False)


def read_bag(paths: Sequence[Path], boundary: gpd.GeoDataFrame | None = None) -> Bag:
    """Read BAG panden and verblijfsobjecten and keep the panden of the terrain.

    A pand belongs to the terrain when its representative point (a point
    guaranteed inside the polygon) lies inside the boundary, so a neighbour
    that only touches the border is left out. Without a boundary every pand
    read is kept.

    Parameters
    ----------
    paths : sequence of Path
        One bag-light GeoPackage, or GeoJSON files (WFS extracts) with panden
        and with verblijfsobjecten; several files of one kind are combined.
    boundary : GeoDataFrame, optional
        Terrain polygon(s) in EPSG:28992.

    Returns
    -------
    Bag

    Raises
    ------
    DataError
        Unreadable file, missing layer or column, panden without polygons, or
        no panden inside the boundary.
    """
    pand_parts, vbo_parts, notes, problems = [], [], [], []
    files = tuple(Path(p).name for p in paths)
    for path in map(Path, paths):
        raw_panden, raw_vbo = _read_file(path, boundary)
        for raw in raw_panden:
            gdf, found_notes, found = _prepare_panden(raw, path.name)
            gdf, crs_notes = ensure_rd(gdf, path.name)
            pand_parts.append(gdf)
            notes += found_notes + crs_notes
            problems += found
        for raw in raw_vbo:
            table, found_notes = _prepare_vbo(raw, path.name)
            vbo_parts.append(table)
            notes += found_notes
    names = " en ".join(files)
    if not pand_parts or not vbo_parts:
        kind = "panden (vlakken)" if not pand_parts else "verblijfsobjecten (adressen)"
        raise DataError.single(
            names,
            f"er zijn geen BAG-{kind} aangeleverd.",
            "lever de BAG GeoPackage (lagen 'pand' en 'verblijfsobject') of twee "
            "GeoJSON-bestanden: panden en verblijfsobjecten.",
        )
    panden = pd.concat(pand_parts, ignore_index=True)
    panden["pand_id"] = normalise_bag_id(panden["identificatie"])
    dup = panden["pand_id"].duplicated().to_numpy()
    if dup.any():
        notes.append(
            "Dubbele panden (zelfde identificatie, bijvoorbeeld uit overlappende "
            f"WFS-tegels) één keer meegenomen: {int(dup.sum())}."
        )
    panden = panden[~dup]
    n_read = len(panden)
    if boundary is not None and not boundary.empty:
        area = shapely.union_all(boundary.geometry.array)
        inside = shapely.within(panden.geometry.representative_point().array, area)
        panden = panden[inside]
        outside = n_read - len(panden)
        notes.append(
            f"Panden binnen de terreingrens: {len(panden)}"
            + (f"; {outside} panden rond de grens liggen erbuiten." if outside else ".")
        )
        if panden.empty:
            raise DataError.single(
                names,
                "er liggen geen BAG-panden binnen de terreingrens.",
                "controleer of het BAG-bestand en de terreingrens hetzelfde "
                "gebied beslaan.",
            )
    else:
        notes.append(
            f"{n_read} panden gelezen; zonder terreingrens zijn ze allemaal meegenomen."
        )
    year = panden["bouwjaar"]
    implausible = ((year < MIN_YEAR) | (year > MAX_YEAR)).fillna(False).to_numpy()
    if implausible.any():
        notes.append(
            "Panden met een onwaarschijnlijk bouwjaar (bijvoorbeeld 1005, in de BAG "
            f"de code voor onbekend), nu 'onbekend': {int(implausible.sum())}."
        )
    out = gpd.GeoDataFrame(
        {
            "pand_id": panden["pand_id"].to_numpy(),
            "construction_year": year.mask(implausible).to_numpy(),
            "pand_use": panden["gebruiksdoel"].to_numpy(),
            "footprint_m2": shapely.area(panden.geometry.array).round(1),
        },
        geometry=panden.geometry.to_numpy(),
        crs=RD,
    )
    vbo = pd.concat(vbo_parts, ignore_index=True).drop_duplicates(["vbo_id", "pand_id"])
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
