"""3D BAG roof data: flat and sloped roof areas and height per BAG pand.

Sources
-------
3DBAG (TU Delft / 3DGI, https://3dbag.nl, CC BY 4.0), *Data attributes*
(https://docs.3dbag.nl/en/schema/attributes/):

- ``b3_opp_dak_plat`` — total area of the flat parts of the roof (m²);
- ``b3_opp_dak_schuin`` — total area of the sloped parts of the roof (m²),
  measured on the roof planes of the LoD2.2 model (so already the sloped
  surface, not its horizontal projection);
- ``b3_dak_type`` — ``slanted``, ``multiple horizontal``, ``single horizontal``
  (older releases: ``horizontal``), ``no points``, ``could not detect``;
- ``b3_h_dak_70p`` / ``b3_h_dak_max`` and ``b3_h_maaiveld`` — roof and ground
  elevation above NAP (m); the height above ground is their difference;
- ``identificatie`` — ``NL.IMBAG.Pand.<16 digits>``.

The GeoPackage (one per tile, or the whole country) holds these in layer
``pand``; the roof-part layers ``lod12_2d``/``lod13_2d``/``lod22_2d`` hold the
roof elevations per part. Earlier exports and the 3D BAG API's surface table
name the areas ``area_roof_flat`` and ``area_roof_sloped`` per building part
(``id`` = ``NL.IMBAG.Pand.<id>-0``); parts of one pand are added up.
:data:`COLUMNS` maps the publisher's names to ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio

from kansenkaart.core import fmt
from kansenkaart.core import schema as sch
from kansenkaart.core.errors import DataError, Problem, masked_problems
from kansenkaart.io.bag import among, normalise_bag_id
from kansenkaart.io.readers import _check_size, read_table

COLUMNS = {
    "pand_id": ("identificatie", "pand_identificatie", "bag_pand_id"),
    "roof_flat_m2": ("b3_opp_dak_plat", "opp_dak_plat", "area_roof_flat"),
    "roof_sloped_m2": ("b3_opp_dak_schuin", "opp_dak_schuin", "area_roof_sloped"),
    "roof_kind": ("b3_dak_type", "dak_type", "roof_type"),
    "roof_70p": ("b3_h_dak_70p", "b3_h_70p", "h_dak_70p"),
    "roof_max": ("b3_h_dak_max", "b3_h_max", "h_dak_max"),
    "ground": ("b3_h_maaiveld", "h_maaiveld"),
}
"""Our name -> the publisher's names, newest release first."""

ROOF_KINDS = {
    "slanted": "pitched",
    "horizontal": "flat",
    "single horizontal": "flat",
    "multiple horizontal": "flat",
}
"""``b3_dak_type`` -> ``roof_type``; ``no points`` and ``could not detect`` stay NA."""

_PART = r"-\d+$"
_NUMBERS = ("roof_flat_m2", "roof_sloped_m2", "roof_70p", "roof_max", "ground")
_HEIGHT_LAYERS = ("lod22_2d", "lod13_2d", "lod12_2d")


@dataclass(frozen=True)
class Bag3d:
    """Roof data per pand as read from a 3D BAG file.

    Attributes
    ----------
    roofs : DataFrame
        One row per pand: ``pand_id`` (16 digits), ``roof_flat_m2``,
        ``roof_sloped_m2`` (m², Float64), ``roof_type`` (flat/pitched/NA) and
        ``height_m`` (m above ground, NA when the file has no elevations).
    file : str
    notes : tuple of str
        Dutch sentences on what was read.
    problems : tuple of Problem
        Rows that were skipped, with row, column and fix.
    """

    roofs: pd.DataFrame
    file: str
    notes: tuple[str, ...]
    problems: tuple[Problem, ...]


def pand_ids(values: pd.Series) -> pd.Series:
    """16-digit pand ids from ``NL.IMBAG.Pand.<id>`` or ``NL.IMBAG.Pand.<id>-0``."""
    return normalise_bag_id(
        values.astype("string").str.strip().str.replace(_PART, "", regex=True)
    )


def roof_type(dak_type: pd.Series, flat_m2: pd.Series, sloped_m2: pd.Series):
    """``roof_type`` from ``b3_dak_type``, else from the larger of the two areas.

    ``slanted`` (at least one sloped plane) is ``pitched``; the horizontal kinds
    are ``flat``. Without a roof kind (the surface table has none) the roof is
    ``pitched`` when the sloped area exceeds the flat area, else ``flat``.
    """
    kind = dak_type.astype("string").str.strip().str.lower().map(ROOF_KINDS)
    by_area = pd.Series(
        np.where(sloped_m2.fillna(0) > flat_m2.fillna(0), "pitched", "flat"),
        index=flat_m2.index,
    )
    known = flat_m2.notna() | sloped_m2.notna()
    return kind.astype("string").fillna(by_area.where(known)).astype("string")


def height_above_ground(roof_m: pd.Series, ground_m: pd.Series) -> pd.Series:
    """Height (m) = roof elevation − ground elevation, both above NAP (3D BAG)."""
    height = (roof_m - ground_m).astype("Float64")
    return height.where(height >= 0)


def _pick(raw: pd.DataFrame) -> dict[str, str]:
    """Our name -> the file's column, by the names of :data:`COLUMNS`."""
    lower = {str(c).strip().lower(): c for c in raw.columns}
    out = {}
    for ours, names in COLUMNS.items():
        found = next((lower[n] for n in names if n in lower), None)
        if found is not None:
            out[ours] = found
    return out


def _read_gpkg(path: Path) -> tuple[pd.DataFrame, str]:
    """Attribute table of the 3D BAG GeoPackage (layer ``pand``), with heights.

    Elevations missing from ``pand`` are taken from the first roof-part
    layer (``lod22_2d``, ``lod13_2d``, ``lod12_2d``): the highest
    ``b3_h_dak_70p``/``b3_h_dak_max`` of a pand's parts.
    """
    try:
        layers = [str(name) for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # GDAL raises DataSourceError and friends
        raise DataError.single(
            path.name,
            "dit GeoPackage kan niet worden gelezen.",
            "download de 3D BAG-tegel (.gpkg) opnieuw.",
        ) from exc
    name = "pand" if "pand" in layers else None
    if name is None:
        name = next(
            (
                layer
                for layer in layers
                if "roof_flat_m2"
                in _pick(
                    pyogrio.read_dataframe(
                        path, layer=layer, read_geometry=False, max_features=1
                    )
                )
            ),
            None,
        )
    if name is None:
        raise DataError.single(
            path.name,
            f"geen laag met dakoppervlakken (b3_opp_dak_plat); lagen: "
            f"{', '.join(layers) or 'geen'}.",
            "kies het 3D BAG-GeoPackage met de laag 'pand'.",
            column="b3_opp_dak_plat",
        )
    table = pyogrio.read_dataframe(path, layer=name, read_geometry=False)
    picked = _pick(table)
    part_layer = next((layer for layer in _HEIGHT_LAYERS if layer in layers), None)
    if (
        "pand_id" in picked
        and part_layer
        and not {"roof_70p", "roof_max"} & set(picked)
    ):
        parts = pyogrio.read_dataframe(path, layer=part_layer, read_geometry=False)
        part_cols = _pick(parts)
        heights = [c for c in ("roof_70p", "roof_max") if c in part_cols]
        if "pand_id" in part_cols and heights:
            top = parts.groupby(part_cols["pand_id"])[[part_cols[c] for c in heights]]
            top = top.max()
            table = table.merge(
                top, left_on=picked["pand_id"], right_index=True, how="left"
            )
    return table.astype(object).where(table.notna(), None), f"{path.name} ({name})"


def read_bag3d(path: Path) -> Bag3d:
    """Read 3D BAG roof areas (GeoPackage or attribute CSV) per pand.

    Parameters
    ----------
    path : Path
        ``.gpkg`` (3D BAG tile or country file), or ``.csv``/``.xlsx`` with
        the 3D BAG attributes (at least ``identificatie`` and the two roof
        areas).

    Returns
    -------
    Bag3d

    Raises
    ------
    DataError
        Unreadable file, or no pand id or roof-area columns. Rows with an
        unreadable id or area are reported and skipped.
    """
    path = Path(path)
    _check_size(path)
    if path.suffix.lower() == ".gpkg":
        raw, name = _read_gpkg(path)
        first_row = 1
    else:
        raw, name, first_row = read_table(path), path.name, 2
    picked = _pick(raw)
    missing = [
        c for c in ("pand_id", "roof_flat_m2", "roof_sloped_m2") if c not in picked
    ]
    if missing:
        raise DataError(
            [
                Problem(
                    name,
                    f"kolom '{COLUMNS[c][0]}' ontbreekt; dit is geen 3D BAG-bestand.",
                    f"kies het 3D BAG-bestand met '{COLUMNS[c][0]}' (of "
                    f"'{COLUMNS[c][-1]}').",
                    column=COLUMNS[c][0],
                )
                for c in missing
            ]
        )
    rows = np.arange(len(raw)) + first_row
    ids = pand_ids(raw[picked["pand_id"]])
    values = {
        c: sch.parse_number(raw[picked[c]].astype("string"))
        if c in picked
        else pd.Series(pd.NA, index=raw.index, dtype="Float64")
        for c in _NUMBERS
    }
    problems: list[Problem] = []
    bad_id = ~ids.str.fullmatch(r"\d{16}").fillna(False).to_numpy(dtype=bool)
    skip = bad_id.copy()
    _report(
        problems,
        name,
        bad_id,
        rows,
        picked["pand_id"],
        raw[picked["pand_id"]],
        "'{value}' is geen BAG-pand-id; rij overgeslagen.",
        "schrijf het id als NL.IMBAG.Pand.<16 cijfers> of als 16 cijfers.",
    )
    for column in ("roof_flat_m2", "roof_sloped_m2"):
        text = raw[picked[column]].astype("string")
        area = values[column]
        bad = (
            (area.isna() & text.str.strip().fillna("").ne("")) | (area < 0)
        ).to_numpy(dtype=bool, na_value=False) & ~skip
        _report(
            problems,
            name,
            bad,
            rows,
            picked[column],
            text,
            "'{value}' is geen oppervlakte in m²; rij overgeslagen.",
            "vul een getal van 0 of meer in.",
        )
        skip |= bad
    top = values["roof_70p"].fillna(values["roof_max"])
    table = pd.DataFrame(
        {
            "pand_id": ids,
            "roof_flat_m2": values["roof_flat_m2"],
            "roof_sloped_m2": values["roof_sloped_m2"],
            "kind": raw[picked["roof_kind"]].astype("string")
            if "roof_kind" in picked
            else pd.Series(pd.NA, index=raw.index, dtype="string"),
            "height_m": height_above_ground(top, values["ground"]),
        }
    )[~skip]
    roofs = _per_pand(table)
    notes = [
        f"3D BAG-rijen gelezen: {len(raw)}; panden met dakoppervlakken: "
        f"{len(roofs)}"
        + (f"; overgeslagen rijen: {int(skip.sum())}." if skip.any() else "."),
        f"Dakoppervlak samen {fmt.number(float(roofs['roof_flat_m2'].sum()), 0, 'm²')}"
        f" plat en {fmt.number(float(roofs['roof_sloped_m2'].sum()), 0, 'm²')} schuin.",
    ]
    return Bag3d(roofs, name, tuple(notes), tuple(problems))


def _report(problems, name, bad, rows, column, values, message, fix) -> None:
    """Add the bad rows of one column to ``problems`` (:func:`masked_problems`)."""
    problems += masked_problems(name, bad, rows, values, column, message, fix)


def _per_pand(table: pd.DataFrame) -> pd.DataFrame:
    """One row per pand: building parts added up, the highest part's height."""
    grouped = table.groupby("pand_id", sort=True)
    areas = grouped[["roof_flat_m2", "roof_sloped_m2"]].sum(min_count=1)
    out = pd.DataFrame(
        {
            "pand_id": pd.array(areas.index, dtype="string"),
            "roof_flat_m2": pd.array(areas["roof_flat_m2"], dtype="Float64"),
            "roof_sloped_m2": pd.array(areas["roof_sloped_m2"], dtype="Float64"),
        }
    )
    kind = grouped["kind"].first().reindex(areas.index)
    out["roof_type"] = roof_type(
        pd.Series(kind.to_numpy(), index=out.index, dtype="string"),
        out["roof_flat_m2"],
        out["roof_sloped_m2"],
    )
    height = grouped["height_m"].max().reindex(areas.index)
    out["height_m"] = pd.Series(height.to_numpy(), index=out.index, dtype="Float64")
    return out


def apply_roofs(buildings: pd.DataFrame, roofs: pd.DataFrame) -> pd.DataFrame:
    """Buildings with the 3D BAG roof data of their pand (a copy).

    For every building whose ``building_id`` is in ``roofs``:
    ``roof_flat_m2`` and ``roof_sloped_m2`` are set (the solar calculation
    then uses them instead of the footprint, see
    :func:`kansenkaart.engine.solar.usable_roof_area`), ``roof_type`` is set
    where the 3D BAG knows it and ``height_m`` where it has elevations. Other
    buildings are left as they are.
    """
    out = buildings.copy()
    by_pand = roofs.set_index("pand_id")
    matched = among(out["building_id"], roofs["pand_id"]).to_numpy()
    ids = out.loc[matched, "building_id"]
    for column in ("roof_flat_m2", "roof_sloped_m2", "roof_type", "height_m"):
        if column not in out.columns:
            dtype = "string" if column == "roof_type" else "Float64"
            out[column] = pd.Series(pd.NA, index=out.index, dtype=dtype)
        new = ids.map(by_pand[column])
        out.loc[matched, column] = new.fillna(out.loc[matched, column])
    return out
