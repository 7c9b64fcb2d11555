"""Yearly quarter-hour profiles per building: electricity use and solar.

Every profile has :data:`N_QUARTERS` values, one per quarter hour of the model
year (:mod:`kansenkaart.core.quarters`: 2015, 365 days × 96). Values are mean
power in kW over the quarter hour, so energy in kWh is ``kw * DT_H``. A leap
year does not occur: the standard profiles are those of 2015 and the weather
year is mapped onto it day by day (both 365 days).

Use
    The published NEDU standard profiles 2015 (fractions of the yearly use per
    quarter hour, :func:`standard_profiles`), scaled to the building's yearly
    kWh (``elec_kwh_yr_est``). The category follows the connection
    (:func:`category`).
Solar
    pvlib with real KNMI hourly global radiation (:func:`read_knmi_hourly`):
    Erbs decomposition, isotropic transposition to the panel plane, PVWatts
    DC model with 14 % system losses and a 96 % inverter (the PVWatts
    defaults, NREL), :func:`pv_kw_per_kwp`. Times: KNMI gives hours in UT,
    NEDU quarter hours in Dutch winter time; the solar profile is shifted by
    one hour (UT → CET); summer time is not applied (at most one hour of
    shift between use and solar in summer).

Sources and the trimming of both files: ``data/profiles/README.md``.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from kansenkaart.core.errors import DataError
from kansenkaart.core.paths import data_dir
from kansenkaart.core.quarters import DT_H, N_QUARTERS  # the grid

CATEGORIES = ("E1A", "E2A", "E3A", "E3B", "E3D")
"""NEDU categories shipped (E3C is not: see :func:`category`)."""
PROFILE_SOURCE = "NEDU standaardprofielen elektriciteit 2015"
WEATHER_SOURCE = "KNMI uurstraling station 260 De Bilt, 1997"
STATION = {"name": "De Bilt", "stn": 260, "lat": 52.100, "lon": 5.180}
"""KNMI station of the shipped weather year (coordinates as KNMI lists them)."""
PVWATTS_LOSSES = 0.14
"""PVWatts default system losses (soiling, wiring, mismatch …), NREL."""
INVERTER_EFFICIENCY = 0.96
"""PVWatts default nominal inverter efficiency, NREL."""


def _folder() -> Path:
    return data_dir() / "profiles"


# --- use ----------------------------------------------------------------------


@lru_cache(maxsize=1)
def standard_profiles() -> pd.DataFrame:
    """The NEDU standard profiles 2015, one column per category.

    Returns
    -------
    DataFrame
        :data:`N_QUARTERS` rows (quarter hour 0 = 1 January 2015 00:00),
        columns :data:`CATEGORIES`; each value is the fraction of the yearly
        use in that quarter hour (-), as published (8 decimals, so a column
        sums to 1 within 1.8e-4).
    """
    table = pd.read_csv(_folder() / "nedu_2015_elektriciteit.csv.gz")
    return table.set_index("kwartier")[list(CATEGORIES)]


def category(
    grid_connection: pd.Series,
    elec_kwh_yr: pd.Series | None = None,
    contracted_kw: pd.Series | None = None,
) -> pd.Series:
    """NEDU profile category per building from its connection.

    Rule (NEDU categories, deenergiemanager.nl "Standaard verbruiksprofielen
    elektriciteit"): ``kleinverbruik`` (≤ 3×80 A) → E2A, the category for
    > 3×25 A without switching times (a business connection; the data do not
    tell a ≤ 3×25 A connection, E1A, apart). ``grootverbruik`` (> 3×80 A) →
    by operating hours ``elec_kwh_yr / contracted_kw``: ≤ 2,000 h E3A,
    ≤ 5,000 h E3B, above E3D; E3C (3,000–5,000 h) is not in the shipped source
    and E3B stands in for it. Without a contracted power, and for an unknown
    connection, E3A: the category the Energy Transition Model uses for
    utility buildings.

    Returns
    -------
    Series of str
        One of :data:`CATEGORIES`, index of ``grid_connection``.
    """
    kind = grid_connection.astype("string")
    out = pd.Series("E3A", index=grid_connection.index, dtype="string")
    out[kind.eq("kleinverbruik").fillna(False).to_numpy()] = "E2A"
    if elec_kwh_yr is not None and contracted_kw is not None:
        hours = pd.to_numeric(elec_kwh_yr, errors="coerce") / pd.to_numeric(
            contracted_kw, errors="coerce"
        )
        large = kind.eq("grootverbruik").fillna(False).to_numpy()
        known = large & hours.notna().to_numpy()
        h = hours.to_numpy(float)
        out[known & (h > 2_000)] = "E3B"
        out[known & (h > 5_000)] = "E3D"
    return out


def category_note(code: str) -> str:
    """Dutch note on a category, naming the stand-in for E3C."""
    if code == "E3B":
        return "E3B (ook voor 3.000–5.000 bedrijfsuren: E3C ontbreekt in de bron)"
    return code


def electricity_kw(elec_kwh_yr, categories) -> np.ndarray:
    """Use per quarter hour: the standard profile scaled to the yearly use.

    Parameters
    ----------
    elec_kwh_yr : array-like of float, shape (N,)
        Yearly use in kWh; missing counts as 0.
    categories : array-like of str, shape (N,)
        One of :data:`CATEGORIES` per building (:func:`category`).

    Returns
    -------
    ndarray of float32, shape (N, N_QUARTERS)
        Mean power in kW per quarter hour: ``fraction * kWh / 0.25 h``.
    """
    table = standard_profiles()
    fractions = table.to_numpy(np.float32).T  # (categories, T)
    column = {c: k for k, c in enumerate(table.columns)}
    rows = np.array([column[str(c)] for c in categories], dtype=int)
    kwh = np.nan_to_num(np.asarray(elec_kwh_yr, dtype=np.float32))
    return fractions[rows] * (kwh / DT_H)[:, None]


# --- solar --------------------------------------------------------------------


def read_knmi_hourly(source) -> pd.DataFrame:
    """KNMI hourly data as published: station, date, hour (UT) and Q.

    Reads the KNMI "uurgegevens" layout (comment lines with ``#``, a header
    ``STN,YYYYMMDD,   HH, …`` with or without ``#``, padded columns).

    Parameters
    ----------
    source : path or str
        File path, or the text itself.

    Returns
    -------
    DataFrame
        Index: end of the hour (UTC). Column ``ghi_w_m2``: mean global
        horizontal irradiance over the hour, W/m² (Q in J/cm² × 10⁴ / 3600).

    Raises
    ------
    DataError
        Without a header naming STN, YYYYMMDD, HH and Q, or with a Q that is
        not a number.
    """
    name = str(source) if isinstance(source, Path) else "KNMI-bestand"
    text = (
        Path(source).read_text(encoding="utf-8", errors="replace")
        if isinstance(source, Path)
        else str(source)
    )
    lines = text.splitlines()
    start = next(
        (k for k, line in enumerate(lines) if "YYYYMMDD" in line and "STN" in line),
        None,
    )
    if start is None:
        raise DataError.single(
            name,
            "geen kopregel 'STN,YYYYMMDD,HH,…' gevonden.",
            "Gebruik een uurbestand van het KNMI (uurgegevens).",
        )
    header = [c.strip().lstrip("#").strip() for c in lines[start].split(",")]
    missing = {"STN", "YYYYMMDD", "HH", "Q"} - set(header)
    if missing:
        raise DataError.single(
            name,
            f"kolom(men) {', '.join(sorted(missing))} ontbreken in de kopregel.",
            "Vraag bij het KNMI ook de globale straling (Q) op.",
        )
    body = "\n".join(
        line for line in lines[start + 1 :] if line.strip() and not line.startswith("#")
    )
    table = pd.read_csv(
        io.StringIO(body), names=header, skipinitialspace=True, dtype=str
    )
    q = pd.to_numeric(table["Q"].str.strip(), errors="coerce")
    bad = q.isna()
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
        raise DataError.single(
            name,
            "geen getal.",
            "Vul de ontbrekende straling aan of kies een jaar zonder gaten.",
            row=row,
            column="Q",
        )
    end = pd.to_datetime(table["YYYYMMDD"].str.strip(), format="%Y%m%d") + (
        pd.to_timedelta(table["HH"].astype(int), unit="h")
    )
    return pd.DataFrame(
        {"ghi_w_m2": q.to_numpy(float) * 1e4 / 3600.0},
        index=pd.DatetimeIndex(end).tz_localize("UTC"),
    )


@lru_cache(maxsize=1)
def reference_weather() -> pd.DataFrame:
    """The shipped weather year (:data:`WEATHER_SOURCE`).

    See :func:`read_knmi_hourly`.
    """
    return read_knmi_hourly(_folder() / "knmi_260_1997_q.csv")


def pv_hourly_kw_per_kwp(
    weather: pd.DataFrame, tilt_deg: float, azimuth_deg: float, lat: float, lon: float
) -> pd.Series:
    """AC output of 1 kWp per hour with pvlib (kW per kWp = kWh per kWp per hour).

    Erbs decomposition of GHI into DNI and DHI at the solar position of the
    middle of each hour (pvlib ``solarposition``, ``irradiance.erbs``),
    isotropic sky (``irradiance.get_total_irradiance``), PVWatts DC at 25 °C
    cell temperature with :data:`PVWATTS_LOSSES` and :data:`INVERTER_EFFICIENCY`.
    No temperature derating: KNMI Q alone has no cell temperature; in the
    Dutch climate this overestimates by a few per cent (summer noon).

    Parameters
    ----------
    weather : DataFrame
        :func:`read_knmi_hourly`.
    tilt_deg, azimuth_deg : float
        Panel tilt from horizontal and azimuth (180 = south), degrees.
    lat, lon : float
        Station position, degrees.
    """
    import pvlib  # heavy import, only where solar is computed

    middle = weather.index - pd.Timedelta(minutes=30)
    position = pvlib.solarposition.get_solarposition(middle, lat, lon)
    ghi = weather["ghi_w_m2"].to_numpy(float)
    split = pvlib.irradiance.erbs(
        ghi, position["zenith"].to_numpy(), middle.day_of_year.to_numpy()
    )
    poa = pvlib.irradiance.get_total_irradiance(
        tilt_deg,
        azimuth_deg,
        position["apparent_zenith"].to_numpy(),
        position["azimuth"].to_numpy(),
        np.nan_to_num(np.asarray(split["dni"], float)),
        ghi,
        np.nan_to_num(np.asarray(split["dhi"], float)),
        model="isotropic",
    )
    dc = pvlib.pvsystem.pvwatts_dc(
        np.nan_to_num(np.asarray(poa["poa_global"], float)),
        temp_cell=25.0,
        pdc0=1.0,
        gamma_pdc=-0.004,
    )
    ac = np.clip(dc * (1 - PVWATTS_LOSSES) * INVERTER_EFFICIENCY, 0, None)
    return pd.Series(ac, index=weather.index, name="kw_per_kwp")


@lru_cache(maxsize=32)
def pv_kw_per_kwp(tilt_deg: float = 35.0, azimuth_deg: float = 180.0) -> np.ndarray:
    """Solar output of 1 kWp per quarter hour of the model year, kW/kWp.

    The hourly pvlib output (:func:`pv_hourly_kw_per_kwp`) of the reference
    weather year, shifted one hour (UT → CET) and held for the four quarter
    hours of each hour.

    Returns
    -------
    ndarray of float32, shape (N_QUARTERS,)
        Sums × 0.25 h to the yearly yield in kWh/kWp.
    """
    hourly = pv_hourly_kw_per_kwp(
        reference_weather(), tilt_deg, azimuth_deg, STATION["lat"], STATION["lon"]
    ).to_numpy(float)
    if len(hourly) != N_QUARTERS // 4:
        raise DataError.single(
            "knmi_260_1997_q.csv",
            f"het weerjaar heeft {len(hourly)} uren, niet {N_QUARTERS // 4}.",
            "Kies een jaar zonder schrikkeldag.",
        )
    shifted = np.roll(hourly, 1)  # hour ending 01 UT is 01-02 CET
    return np.repeat(shifted, 4).astype(np.float32)


# --- per building -------------------------------------------------------------


BASIS_STANDARD = "standaardprofiel"
BASIS_MEASURED = "eigen meetdata"


@dataclass(frozen=True)
class Measured:
    """A building's own meter data on the model year (``kansenkaart.io.meterdata``).

    ``take_kw`` and ``feed_in_kw``: float32 arrays (N_QUARTERS,) of mean kW
    taken from and fed into the grid at the connection (its own solar is
    behind the meter, so already in both); ``source`` names the file.
    """

    take_kw: np.ndarray
    feed_in_kw: np.ndarray
    source: str


@dataclass(frozen=True)
class Profiles:
    """Quarter-hour profiles of a set of buildings (row order of ``ids``).

    ``use_kw`` and ``pv_kw`` are float32 arrays (N, N_QUARTERS) of mean kW;
    ``categories`` the NEDU category per building; ``basis`` a Dutch sentence
    naming the sources; ``bases`` per building :data:`BASIS_STANDARD` or
    :data:`BASIS_MEASURED`.
    """

    ids: tuple
    use_kw: np.ndarray
    pv_kw: np.ndarray
    categories: tuple
    basis: str
    bases: tuple = ()


def building_profiles(
    buildings: pd.DataFrame,
    tilt_deg: float = 35.0,
    azimuth_deg: float = 180.0,
    with_roof_potential: bool = False,
    measured: Mapping[str, Measured] | None = None,
) -> Profiles:
    """Use and solar profiles of analysed buildings.

    Parameters
    ----------
    buildings : DataFrame
        ``building_id``, ``elec_kwh_yr_est`` (kWh/yr), ``grid_connection``,
        ``pv_kwp_existing`` (kWp) and, for ``with_roof_potential``,
        ``pv_kwp_roof``; not modified.
    tilt_deg, azimuth_deg : float
        Orientation of every array (the data hold no orientation per roof).
    with_roof_potential : bool
        Add the roof room ``pv_kwp_roof`` to the existing solar.
    measured : mapping of building id to Measured, optional
        Own meter data: replaces that building's use by its take-up and its
        solar by its feed-in (existing solar is behind the meter), plus the
        roof room with ``with_roof_potential``.
    """
    roof = (
        pd.to_numeric(buildings["pv_kwp_roof"], errors="coerce").fillna(0).to_numpy()
        if with_roof_potential and "pv_kwp_roof" in buildings.columns
        else np.zeros(len(buildings))
    )
    existing = pd.to_numeric(buildings["pv_kwp_existing"], errors="coerce").fillna(0)
    kwp = existing.to_numpy() + roof
    codes = category(buildings["grid_connection"])
    use = electricity_kw(buildings["elec_kwh_yr_est"].astype("Float64"), codes)
    curve = pv_kw_per_kwp(tilt_deg, azimuth_deg)
    pv = kwp.astype(np.float32)[:, None] * curve
    ids = tuple(buildings["building_id"].astype(str))
    own = {str(k): v for k, v in (measured or {}).items()}
    for row, building in enumerate(ids):
        if building in own:
            use[row] = own[building].take_kw
            pv[row] = own[building].feed_in_kw + np.float32(roof[row]) * curve
    return Profiles(
        ids=ids,
        use_kw=use,
        pv_kw=pv,
        categories=tuple(codes),
        bases=tuple(BASIS_MEASURED if b in own else BASIS_STANDARD for b in ids),
        basis=(
            f"Standaardprofiel ({PROFILE_SOURCE}, categorie per aansluiting) "
            f"geschaald naar het geschatte jaarverbruik; zon met pvlib uit "
            f"{WEATHER_SOURCE}, {tilt_deg:.0f}° helling, azimut {azimuth_deg:.0f}°."
        ),
    )
