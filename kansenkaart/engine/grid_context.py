"""Which energy areas of a Capaciteitskaart data product cover a terrain.

The data product (:class:`kansenkaart.core.model.CapacityProduct`) has no
geometry: the netbeheerders tie an energy area to places through postcodes
(``postcode_areas``) and through the station that feeds it. The rules, in
this order, each with the reason shown to the user:

1. **postcode** – the area lists a 6-character postcode (``1234AB``) of a
   building on the terrain;
2. **station** – a building's representative point lies (RD New) inside an
   area of the terrain's capacity map (schema GRID) whose ``station`` has the
   same name as the energy area, compared without the words *station* /
   *onderstation*, voltages (``110 kV``) and parts in brackets; stations
   marked *fictief* (demo data) are never linked to real areas;
3. **congestiegebied** – the congestion area an area found by 1 or 2 refers
   to (``demand_``/``generation_energy_area_short_code``);
4. **naam** – only when 1–3 find nothing: an area named exactly after the
   terrain's municipality or province (Drenthe for the municipalities of the
   pMIEK energy clusters).

The current traffic light of an area is that of its newest year up to the
year of the data (``updated``), else of its first year.
"""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import pandas as pd
import shapely

from kansenkaart.core import pmiek, texts
from kansenkaart.core.address import normalise_postcode
from kansenkaart.core.model import Analysis, CapacityProduct, GridContext, Terrain

PROVINCE_OF_CLUSTERS = "Drenthe"
"""Province of the municipalities of the pMIEK energy clusters
(:data:`kansenkaart.core.pmiek.CLUSTER_MUNICIPALITIES`; Uitvoeringsagenda
pMIEK, provincie Drenthe)."""

_STATION_WORDS = re.compile(r"\b(onder|schakel)?station\b|\b\d+(/\d+)*\s*(kv)?\b")


def name_key(text) -> str:
    """A name compared loosely: lower case, *ij* = *y*, punctuation as spaces."""
    if text is None or pd.isna(text):
        return ""
    words = re.sub(r"[^a-z0-9]+", " ", str(text).lower().replace("ij", "y"))
    return " ".join(words.split())


def station_key(text) -> str:
    """A station name without *station*, voltages and bracketed parts."""
    if text is None or pd.isna(text):
        return ""
    plain = re.sub(r"\([^)]*\)", " ", str(text))
    return " ".join(_STATION_WORDS.sub(" ", name_key(plain)).split())


def current_status(product: CapacityProduct) -> pd.DataFrame:
    """Traffic light per area for afname and invoeding, now.

    Per direction the newest year with a status up to the year of the data
    (``product.updated``), else the first year with one.

    Returns
    -------
    DataFrame
        Index ``short_code``; ``demand_status``, ``generation_status``
        (Int64 0–3, NA when the file gives none) and ``demand_year``,
        ``generation_year`` (Int64: the year the status is of).
    """
    now = int(product.updated[:4]) if product.updated[:4].isdigit() else None
    out = pd.DataFrame(index=pd.Index(product.areas["short_code"], name="short_code"))
    for direction in ("demand", "generation"):
        rows = product.capacity.dropna(subset=[f"{direction}_status"])
        rows = rows.assign(
            late=rows["year"].gt(now).fillna(False) if now else False
        ).sort_values(["short_code", "late", "year"])
        past = rows[~rows["late"]].groupby("short_code").last()
        first = rows.groupby("short_code").first()
        pick = past.combine_first(first)
        out[f"{direction}_status"] = (
            pick[f"{direction}_status"].reindex(out.index).astype("Int64")
        )
        out[f"{direction}_year"] = pick["year"].reindex(out.index).astype("Int64")
    return out


def _stations(terrain: Terrain) -> list[str]:
    """Stations of the capacity areas the terrain's buildings lie in (RD New)."""
    grid, buildings = terrain.grid, terrain.buildings
    if grid.empty or buildings.empty or "station" not in grid:
        return []
    points = shapely.point_on_surface(buildings.geometry.to_numpy())
    _, g_idx = shapely.STRtree(grid.geometry.to_numpy()).query(
        points, predicate="within"
    )
    names = grid["station"].astype("string").to_numpy()[np.unique(g_idx)]
    return sorted({str(n) for n in names if not pd.isna(n) and str(n).strip()})


def covering_areas(terrain: Terrain, product: CapacityProduct) -> GridContext:
    """The energy areas of ``product`` that cover ``terrain`` (module docstring).

    Parameters
    ----------
    terrain : Terrain
        Buildings (``postcode``, geometry) and capacity map (``station``), RD
        New; not modified.
    product : CapacityProduct

    Returns
    -------
    GridContext
        The areas with the Dutch reason each was chosen for, and a note; when
        none is found, the note says what was tried, in Dutch.
    """
    found: dict[str, str] = {}
    areas = product.areas
    postcodes = set(normalise_postcode(terrain.buildings["postcode"]).dropna())
    hits = product.postcodes[product.postcodes["postcode"].isin(postcodes)]
    for code, rows in hits.groupby("short_code", sort=False):
        listed = ", ".join(sorted(rows["postcode"].unique())[:5])
        found.setdefault(str(code), f"postcode van panden op het terrein ({listed})")
    stations = _stations(terrain)
    fictitious = [s for s in stations if "fictief" in s.lower()]
    by_station = {station_key(c): c for c in areas["short_code"]}
    for station in stations:
        code = by_station.get(station_key(station))
        if station not in fictitious and code:
            found.setdefault(code, f"station '{station}' van de capaciteitskaart")
    for code in list(found):
        row = areas[areas["short_code"] == code].iloc[0]
        for direction in ("demand", "generation"):
            ref = row[f"{direction}_energy_area_short_code"]
            if not pd.isna(ref) and (areas["short_code"] == ref).any():
                found.setdefault(str(ref), f"congestiegebied van '{code}'")
    if not found:
        names = [
            n
            for n in (
                terrain.municipality,
                PROVINCE_OF_CLUSTERS
                if pmiek.cluster_of(terrain.municipality)
                else None,
            )
            if n
        ]
        for name in names:
            for code in areas["short_code"]:
                if name_key(code) == name_key(name):
                    found.setdefault(str(code), f"naam gelijk aan '{name}'")
    table = pd.DataFrame(
        {"short_code": list(found), "reason": list(found.values())}, dtype="string"
    )
    if found:
        note = (
            f"Energiegebieden uit '{product.name}' die het terrein dekken, gevonden "
            "op postcode, station, congestiegebied of naam (in die volgorde)."
        )
    else:
        shown = ", ".join(sorted(postcodes)[:6]) or "geen"
        note = (
            f"Geen energiegebied in '{product.name}' dekt het terrein: geen "
            f"postcodegebied met een postcode van het terrein ({shown}), geen "
            "energiegebied met de naam van een station uit de capaciteitskaart "
            f"van het terrein ({', '.join(stations) or 'geen stations'}"
            + ("; fictieve demostations worden niet gekoppeld" if fictitious else "")
            + ") en geen gebied met de naam van de gemeente of provincie "
            f"({', '.join(names) or texts.UNKNOWN}). Kies hieronder zelf een "
            "energiegebied."
        )
    return GridContext(product=product, areas=table, note=note)


def attach(
    analysis: Analysis, product: CapacityProduct, chosen: tuple[str, ...] = ()
) -> Analysis:
    """The analysis with its :class:`~kansenkaart.core.model.GridContext` set.

    Parameters
    ----------
    analysis : Analysis
        Not modified (a new frozen Analysis is returned).
    product : CapacityProduct
    chosen : tuple of str
        Areas the user picked; they replace the ones found, with reason
        *zelf gekozen*. Unknown names are ignored.
    """
    context = covering_areas(analysis.terrain, product)
    known = set(product.areas["short_code"])
    picked = [c for c in chosen if c in known]
    if picked:
        reasons = dict(
            zip(context.areas["short_code"], context.areas["reason"], strict=True)
        )
        table = pd.DataFrame(
            {
                "short_code": picked,
                "reason": [reasons.get(c, "zelf gekozen") for c in picked],
            },
            dtype="string",
        )
        context = dataclasses.replace(context, areas=table)
    return dataclasses.replace(analysis, grid_context=context)
