"""Own quarter-hour meter data of a company, read as the exporter publishes it.

Reads the CSV/XLSX exports of a meetbedrijf, energy supplier or grid
operator portal and lays them on the model year of
:mod:`kansenkaart.core.quarters` (:data:`~quarters.N_QUARTERS` quarter hours
of 2015, Dutch winter time, as :mod:`kansenkaart.engine.profiles` uses), with
a Dutch report of what was found and done.

Layouts (recognised from the header, the first of the first
:data:`HEADER_SEARCH_LINES` lines that names a date or time):

- **one row per quarter hour, one timestamp** — e.g. Slimme Meter Portal
  ``datum_tijd;levering_normaal;levering_laag;teruglevering_normaal;…``
  (``01-01-2023 00:15:00 +0100``) or ISO 8601 ``2022-10-30T02:00:00+01:00``
  (Engie ``Datum,EAN,Verbruik,Type``);
- **date and time columns** — ``Datum;Tijd;Levering;Teruglevering`` or
  ``Van datum;Van tijdstip;Tot datum;Tot tijdstip`` (Fluvius);
- **one row per register** — a column ``Register``/``Richting`` with
  ``Afname …``/``Levering`` or ``Injectie …``/``Teruglevering`` and one value
  column (``Volume``, ``Verbruik``), as Fluvius writes it;
- **one row per day** — ``Datum`` and 92–100 columns headed by a time
  (``00:15`` or ``00:00-00:15``) or a number 1–100.

Several meters in one file are told apart by an ``EAN`` column or a building
column (``building_id``, ``pand``). A ``Type`` column keeps only electricity.

Rules (all in the report):

Numbers
    Per column: with a comma anywhere, the Dutch notation (comma decimal,
    dot thousands); otherwise the dot is the decimal point (a meter value
    with a thousands dot and no comma does not occur). ``fmt.parse_number``
    is not used: it decides per cell and would read ``1.040`` as 1040.
Unit
    From a unit column (``Eenheid``/``Unit``) or the value header: ``kWh``
    (energy per interval), ``kW`` (mean power), ``Wh``/``W``; without one,
    kWh (meetbedrijven deliver quarter-hour energy in kWh; Meterbeheer, Kenter
    channels 10180/10280).
Time
    An explicit offset (``+0100``) or a ``UTC`` header is exact. Otherwise
    Dutch clock time: the autumn hour that occurs twice is read first as
    summer, then as winter time; the spring hour that does not exist is no
    gap. A single timestamp column marks the start of the interval, unless
    its header says ``tot``/``eind`` or the first stamp is at 00:15 (ends, as
    Slimme Meter Portal writes them); ``Van``/``Tot`` pairs use ``Van``.
Interval
    The median step. 15 minutes as expected; a multiple of it (an hour) is
    spread evenly over its quarter hours (peaks within it are lost); a
    divisor (5 minutes) is summed per quarter hour; anything else is refused.
Values
    Empty cells are missing, except with status ``Geen verbruik`` (Fluvius):
    0 kWh. Negative use and values above :data:`SPIKE_FACTOR` × the 99th
    percentile of the column are left out as implausible. A feed-in column
    written negative (every value ≤ 0) is read as its size.
Duplicates
    A timestamp that occurs again (outside the autumn hour) keeps its first
    row.
Year
    Each calendar year of the data is laid on 2015 shifted by at most three
    days so that weekdays agree (holidays then fall elsewhere); where years
    overlap, the latest wins.
Gaps
    A missing quarter hour takes the value of the same quarter hour one week
    earlier or later (the nearest week with a value), and failing that the
    nearest day with a value. The share filled is reported.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from kansenkaart.core import fmt
from kansenkaart.core.errors import DataError, Problem, listed_problems
from kansenkaart.core.quarters import DT_H, MODEL_YEAR, N_QUARTERS
from kansenkaart.io.readers import decode_text, sniff_separator

HEADER_SEARCH_LINES = 30
"""Lines searched for the header (exports put a title or EAN above it)."""
SPIKE_FACTOR = 10.0
"""A value above this many times the column's 99th percentile is implausible."""
MIN_SHARE_WARNED = 0.9
"""Below this share of measured quarter hours the report warns loudly."""
MAX_BYTES = 50 * 1024**2
"""Largest file read (a year of quarter hours for 20 meters fits easily)."""

_Q = pd.Timedelta(minutes=15)
_WINTER = pd.Timedelta(hours=1)  # Dutch winter time = UTC + 1 h
_TIME_WORDS = ("datum", "tijd", "date", "time", "moment", "van", "vanaf", "tot")
_USE_WORDS = ("levering", "afname", "verbruik", "consumption", "import", "usage")
_FEED_WORDS = ("terug", "injectie", "productie", "export", "opwek", "invoeding")
_SKIP_WORDS = (
    "stand",
    "temperatuur",
    "kosten",
    "prijs",
    "cost",
    "price",
    "schat",  # geschat? (estimated flag)
    "status",
    "tarief ",
)
_UNIT_FACTORS = {"kwh": (1.0, True), "kw": (1.0, False), "wh": (1e-3, True)}
_UNIT_FACTORS["w"] = (1e-3, False)
_DAY_COLUMN = re.compile(r"^(\d{1,2}:\d{2})(?::00)?(?:\s*-\s*(\d{1,2}:\d{2}))?$")
_ISO_FORMATS = (
    "%d-%m-%Y %H:%M:%S %z",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "ISO8601",
)


@dataclass(frozen=True)
class MeterSeries:
    """One meter laid on the model year.

    ``take_kw`` and ``feed_in_kw``: float32 arrays of :data:`N_QUARTERS` mean
    kW (take-up from and feed-in into the grid at the connection);
    ``report``: Dutch findings (file, row, what to do); ``summary``: one Dutch
    sentence with the period, the unit, the yearly totals and the share
    measured.
    """

    key: str
    take_kw: np.ndarray
    feed_in_kw: np.ndarray
    measured_share: float
    report: tuple[Problem, ...]
    summary: str

    @property
    def take_kwh(self) -> float:
        """Yearly take-up after filling, kWh."""
        return float(self.take_kw.sum() * DT_H)


@dataclass(frozen=True)
class MeterFile:
    """What one file held: its layout (Dutch) and one series per meter."""

    file: str
    layout: str
    series: dict[str, MeterSeries]


# --- reading the table -----------------------------------------------------------


def _refuse(file: str, message: str, fix: str, row=None, column=None) -> DataError:
    return DataError.single(file, message, fix, row=row, column=column)


_NOT_METER_FIX = (
    "lever een export van kwartierwaarden elektriciteit van uw meetbedrijf, "
    "energieleverancier of netbeheerder (CSV of Excel) met een kolom voor datum/"
    "tijd en een kolom met de levering (afname) in kWh of kW."
)


def _is_header(cells: list[str]) -> bool:
    words = [c.strip().lower() for c in cells if c and c.strip()]
    return len(words) >= 2 and any(any(w in c for w in _TIME_WORDS) for c in words)


def _raw_table(data: bytes, file: str) -> tuple[pd.DataFrame, int]:
    """All cells as text and the 1-based file line of the header."""
    if not data:
        raise _refuse(file, "het bestand is leeg.", "kies het bestand opnieuw.")
    if len(data) > MAX_BYTES:
        raise _refuse(
            file,
            f"het bestand is {len(data) / 1024**2:.0f} MB; de grens is "
            f"{MAX_BYTES // 1024**2} MB.",
            "lever één jaar per bestand aan.",
        )
    if data[:2] == b"PK":
        try:
            grid = pd.read_excel(
                io.BytesIO(data), header=None, dtype=str, engine="calamine"
            )
        except Exception as exc:  # the reader raises many types for broken files
            raise _refuse(
                file,
                "het Excel-bestand kan niet worden gelezen.",
                "open het in Excel en sla het opnieuw op als .xlsx.",
            ) from exc
        lines = grid.head(HEADER_SEARCH_LINES).fillna("").astype(str).values.tolist()
        start = next((k for k, cells in enumerate(lines) if _is_header(cells)), None)
        if start is None:
            raise _refuse(
                file, "geen kopregel met datum/tijd gevonden.", _NOT_METER_FIX
            )
        table = grid.iloc[start + 1 :].copy()
        table.columns = [str(c).strip() if c == c else "" for c in grid.iloc[start]]
        return table.dropna(how="all").reset_index(drop=True).assign(
            _line=lambda t: t.index + start + 2
        ), start + 1
    text = decode_text(data, file)
    lines = text.splitlines()
    start = next(
        (
            k
            for k, line in enumerate(lines[:HEADER_SEARCH_LINES])
            if _is_header(re.split(r"[;,\t|]", line))
        ),
        None,
    )
    if start is None:
        raise _refuse(file, "geen kopregel met datum/tijd gevonden.", _NOT_METER_FIX)
    body = "\n".join(lines[start:])
    try:
        table = pd.read_csv(
            io.StringIO(body),
            sep=sniff_separator(body),
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            skip_blank_lines=False,
            index_col=False,
        )
    except pd.errors.ParserError as exc:
        raise _refuse(
            file,
            "de rijen hebben niet allemaal evenveel velden.",
            "gebruik in het hele bestand één scheidingsteken.",
        ) from exc
    table.columns = [str(c).strip().strip('"') for c in table.columns]
    table["_line"] = np.arange(len(table)) + start + 2
    return table.dropna(how="all", subset=table.columns[:-1]), start + 1


def _numbers(column: pd.Series) -> pd.Series:
    """Numbers of one column (see *Numbers* in the module docstring)."""
    text = column.astype("string").str.strip().str.replace("\u2212", "-")
    if text.str.contains(",", regex=False).fillna(False).any():
        text = text.str.replace(".", "", regex=False).str.replace(",", ".")
    return pd.to_numeric(text, errors="coerce")


def _find(columns, *words, exclude=()) -> list[str]:
    low = {c: c.lower() for c in columns if not c.startswith("_")}
    return [
        c
        for c, name in low.items()
        if any(w in name for w in words) and not any(x in name for x in exclude)
    ]


def _unit(table: pd.DataFrame, header: str) -> tuple[str, float, bool]:
    """Unit text, factor to kWh or kW, and whether it is energy."""
    unit_cols = [c for c in table.columns if c.lower() in ("eenheid", "unit")]
    if unit_cols:
        seen = table[unit_cols[0]].dropna().astype(str).str.strip().str.lower()
        if len(seen):
            unit = seen.mode().iloc[0]
            if unit in _UNIT_FACTORS:
                factor, energy = _UNIT_FACTORS[unit]
                return f"{unit_cols[0]} = {seen.mode().iloc[0]}", factor, energy
            raise _refuse(
                "",
                f"eenheid '{unit}' is geen elektriciteit (kWh of kW).",
                "lever de kwartierwaarden elektriciteit.",
                column=unit_cols[0],
            )
    found = re.findall(r"(?<![a-z])(kwh|kw|wh|w)(?![a-z])", header.lower())
    if found:
        factor, energy = _UNIT_FACTORS[found[-1]]
        return f"kop '{header}'", factor, energy
    return "", 1.0, True


# --- layouts -> long rows (line, key, channel, clock, kwh) --------------------------


def _stamps(text: pd.Series, file: str, column: str, lines: pd.Series) -> pd.Series:
    """Parse timestamps with the first format that reads (almost) every cell."""
    text = text.astype("string").str.strip()
    best, best_ok = None, -1
    offset = bool(text.str.contains(r"(?:[+-]\d{2}:?\d{2}|Z)$").fillna(False).any())
    for form in _ISO_FORMATS:
        try:
            parsed = pd.to_datetime(text, format=form, errors="coerce", utc=offset)
        except (ValueError, TypeError):
            continue
        ok = int(parsed.notna().sum())
        if ok > best_ok:
            best, best_ok = parsed, ok
        if ok == int(text.notna().sum()):
            break
    if best is None or best_ok < 0.95 * max(int(text.notna().sum()), 1):
        bad = text[best.isna()] if best is not None else text
        raise DataError(
            listed_problems(
                file,
                lines[bad.index],
                bad,
                column,
                "'{value}' is geen datum/tijd.",
                "gebruik dd-mm-jjjj uu:mm of jjjj-mm-dd uu:mm.",
            )
        )
    if isinstance(best.dtype, pd.DatetimeTZDtype):
        best = (best.dt.tz_convert("UTC") + _WINTER).dt.tz_localize(None)
        return best.rename("winter")
    return best.rename("clock")


def _day_start(k: int, column: str, first: str) -> pd.Timedelta:
    """Start of the quarter hour of a day-row column: ``00:00-00:15`` and
    numbers (1 = 00:00–00:15) name it; plain times are starts, or ends when
    the first column is ``00:15``."""
    m = _DAY_COLUMN.match(column)
    if m is None:
        return k * _Q
    h, mi = (int(x) for x in m.group(1).split(":"))
    ends = m.group(2) is None and first.startswith(("00:15", "0:15"))
    return pd.Timedelta(hours=h, minutes=mi) - (_Q if ends else pd.Timedelta(0))


def _long(table: pd.DataFrame, file: str):
    """Long rows ``_line, key, channel, register, clock|winter, value, status``.

    Returns the rows, the layout (Dutch), notes, the factor to kWh or kW and
    whether the values are energy (kWh) rather than mean power (kW).
    """
    cols = list(table.columns)
    notes: list[str] = []
    key_col = next(
        (c for c in cols if c.lower() in ("building_id", "pand", "pand_id", "gebouw")),
        None,
    ) or next(iter(_find(cols, "ean")), None)
    keys = (
        table[key_col].astype("string").str.replace(r'^="?|"$', "", regex=True)
        if key_col
        else pd.Series("", index=table.index, dtype="string")
    )
    type_col = next(
        (c for c in cols if c.lower() in ("type", "product", "soort")), None
    )
    if type_col:
        kind = table[type_col].astype("string").str.lower()
        elec = kind.str.contains("elektr|electr|stroom", regex=True).fillna(False)
        if not elec.any():
            raise _refuse(
                file, "geen rijen met elektriciteit.", _NOT_METER_FIX, column=type_col
            )
        if (~elec).any():
            notes.append(
                f"{fmt.number(int((~elec).sum()))} rijen met een ander type dan "
                f"elektriciteit (kolom '{type_col}') overgeslagen."
            )
        table, keys = table[elec], keys[elec]
    low = {c.lower(): c for c in cols}
    status_col = next((low[c] for c in ("validatiestatus", "status") if c in low), None)
    status = (
        table[status_col].astype("string").str.lower()
        if status_col
        else pd.Series(pd.NA, index=table.index, dtype="string")
    )

    day_cols = [c for c in cols if _DAY_COLUMN.match(c) or re.fullmatch(r"\d{1,3}", c)]
    if len(day_cols) >= 92:
        date_col = next(iter(_find(cols, "datum", "date")), None)
        if date_col is None:
            raise _refuse(
                file, "geen kolom Datum bij de kwartierkolommen.", _NOT_METER_FIX
            )
        date = pd.to_datetime(
            table[date_col].astype("string").str.strip(), dayfirst=True, errors="coerce"
        )
        starts = [_day_start(k, c, day_cols[0]) for k, c in enumerate(day_cols)]
        unit_text, factor, energy = _unit(table, date_col)
        frames = []
        for c, offset in zip(day_cols, starts, strict=True):
            frames.append(
                pd.DataFrame(
                    {
                        "_line": table["_line"],
                        "key": keys,
                        "channel": "take",
                        "register": "take",
                        "clock": date + offset,
                        "value": _numbers(table[c]),
                        "status": status,
                    }
                )
            )
        long = pd.concat(frames, ignore_index=True)
        return (
            long,
            "één rij per dag met kwartierkolommen",
            [
                *notes,
                _unit_note(unit_text, energy),
            ],
            factor,
            energy,
        )

    readings = _find(cols, "stand")
    if readings and not _find(cols, *_USE_WORDS, "volume", exclude=_SKIP_WORDS):
        raise _refuse(
            file,
            "het bestand bevat meterstanden, geen verbruik per kwartier.",
            "exporteer het verbruik per kwartier (kwartierwaarden), niet de "
            "meterstanden.",
            column=readings[0],
        )
    # time: van/tot pairs, date + time, or one timestamp column
    time_cols = _find(cols, *_TIME_WORDS, exclude=("tot", "eind", "end", "until"))
    end_cols = _find(cols, "tot", "eind", "end", "until")
    date_cols = [c for c in time_cols if "dat" in c.lower() or "date" in c.lower()]
    clock_cols = [
        c
        for c in time_cols
        if c not in date_cols and ("tijd" in c.lower() or "time" in c.lower())
    ]
    end_stamp = False
    if date_cols and clock_cols and date_cols[0] != clock_cols[0]:
        joined = (
            table[date_cols[0]].astype("string").str.strip()
            + " "
            + table[clock_cols[0]]
            .astype("string")
            .str.strip()
            .str.replace(r"^(\d):", r"0\1:", regex=True)
        )
        stamp = _stamps(
            joined, file, f"{date_cols[0]} + {clock_cols[0]}", table["_line"]
        )
        layout = f"kolommen '{date_cols[0]}' en '{clock_cols[0]}'"
    else:
        single = time_cols or end_cols
        if not single:
            raise _refuse(file, "geen kolom met datum/tijd.", _NOT_METER_FIX)
        col = single[0]
        end_stamp = col in end_cols
        stamp = _stamps(table[col], file, col, table["_line"])
        layout = f"kolom '{col}'"
        if not end_stamp:
            first = stamp.dropna().min()
            end_stamp = first is not pd.NaT and (first.hour, first.minute) == (0, 15)
    if "utc" in layout.lower() and stamp.name == "clock":
        stamp = (stamp + _WINTER).rename("winter")
    if end_stamp:
        stamp = stamp - _Q
        notes.append("Tijdstempels gelezen als einde van het kwartier.")

    reg_col = next(
        (
            low[c]
            for c in ("register", "richting", "direction", "meetrichting")
            if c in low
        ),
        None,
    )
    if reg_col:
        value_col = next(
            iter(
                [
                    low[c]
                    for c in ("volume", "verbruik", "waarde", "usage", "value")
                    if c in low
                ]
                + _find(cols, "kwh", "kw")
            ),
            None,
        )
        if value_col is None:
            raise _refuse(
                file, "geen kolom met waarden naast het register.", _NOT_METER_FIX
            )
        reg = table[reg_col].astype("string").str.strip()
        low_reg = reg.str.lower()
        feed = low_reg.str.contains("|".join(_FEED_WORDS)).fillna(False)
        take = low_reg.str.contains("|".join(_USE_WORDS)).fillna(False) & ~feed
        unit_text, factor, energy = _unit(table, value_col)
        long = pd.DataFrame(
            {
                "_line": table["_line"],
                "key": keys,
                "channel": np.where(feed, "feed", np.where(take, "take", "")),
                "register": reg,
                stamp.name: stamp,
                "value": _numbers(table[value_col]),
                "status": status,
            }
        )
        long = long[long["channel"] != ""]
        layout = f"één rij per register (kolom '{reg_col}'), tijd uit {layout}"
    else:
        take_cols = _find(cols, *_USE_WORDS, exclude=_FEED_WORDS + _SKIP_WORDS)
        feed_cols = _find(cols, *_FEED_WORDS, exclude=_SKIP_WORDS)
        if not take_cols:
            raise _refuse(file, "geen kolom met levering of afname.", _NOT_METER_FIX)
        unit_text, factor, energy = _unit(table, take_cols[0])
        frames = []
        for channel, group in (("take", take_cols), ("feed", feed_cols)):
            if not group:
                continue
            values = pd.concat([_numbers(table[c]) for c in group], axis=1)
            frames.append(
                pd.DataFrame(
                    {
                        "_line": table["_line"],
                        "key": keys,
                        "channel": channel,
                        "register": channel,
                        stamp.name: stamp,
                        "value": values.sum(axis=1, min_count=1),
                        "status": status,
                    }
                )
            )
        long = pd.concat(frames, ignore_index=True)
        layout = (
            f"één rij per tijdstap, tijd uit {layout}; levering uit "
            f"{', '.join(repr(c) for c in take_cols)}"
            + (
                f", teruglevering uit {', '.join(repr(c) for c in feed_cols)}"
                if feed_cols
                else ""
            )
        )
    return long, layout, [*notes, _unit_note(unit_text, energy)], factor, energy


def _unit_note(unit_text: str, energy: bool) -> str:
    if not unit_text:
        return "Eenheid niet genoemd: gelezen als kWh per interval."
    what = "kWh per interval (energie)" if energy else "kW (gemiddeld vermogen)"
    return f"Eenheid {what}, uit {unit_text}."


# --- clock time, checks, year and gaps ---------------------------------------------


def _winter_time(long: pd.DataFrame, file: str, found: list[Problem]) -> pd.Series:
    """Dutch clock time to winter time (see *Time*); reports the autumn hour."""
    clock = pd.DatetimeIndex(long["clock"])
    again = long.groupby(["key", "register", "clock"], dropna=False).cumcount()
    first = (again == 0).to_numpy()
    tz = "Europe/Amsterdam"
    summer = clock.tz_localize(
        tz, ambiguous=np.ones(len(clock), bool), nonexistent="NaT"
    )
    either = clock.tz_localize(tz, ambiguous="NaT", nonexistent="NaT")
    known = ~clock.isna()
    missing_hour = known & summer.isna()
    doubled = known & either.isna() & ~missing_hour
    local = clock.tz_localize(tz, ambiguous=first, nonexistent="NaT")
    lines = long["_line"].to_numpy()
    for day in sorted({d.date() for d in clock[doubled & ~first]}):
        on_day = doubled & (clock.date == day)
        found.append(
            Problem(
                file,
                f"het uur 02:00–03:00 van {day:%d-%m-%Y} staat twee keer in het "
                f"bestand (vanaf rij {int(lines[on_day & first].min())} en rij "
                f"{int(lines[on_day & ~first].min())}; overgang van zomer- naar "
                "wintertijd): de eerste keer gelezen als zomertijd, de tweede als "
                "wintertijd; beide gebruikt.",
                "niets te doen.",
                int(lines[on_day].min()),
            )
        )
    bad = missing_hour & long["value"].fillna(0).ne(0).to_numpy()
    if bad.any():
        found.extend(
            listed_problems(
                file,
                lines[bad],
                clock[bad].strftime("%d-%m-%Y %H:%M"),
                None,
                "tijdstip {value} bestaat niet (de klok gaat dan naar zomertijd); "
                "de waarde is weggelaten.",
                "controleer of de export zomertijd goed verwerkt.",
            )
        )
    winter = (local.tz_convert("UTC") + _WINTER).tz_localize(None)
    return pd.Series(winter, index=long.index)


def _interval_minutes(stamps: pd.Series) -> int:
    unique = np.sort(stamps.dropna().unique())
    if len(unique) < 2:
        return 15
    return round(float(np.median(np.diff(unique)) / np.timedelta64(1, "m")))


def _to_quarters(frame: pd.DataFrame, minutes: int, file: str, notes: list[str]):
    """Energy per quarter hour (kWh) from energy per interval (see *Interval*)."""
    if minutes == 15:
        return frame
    if minutes % 15 == 0:
        parts = minutes // 15
        spread = pd.concat(
            [frame.assign(winter=frame["winter"] + k * _Q) for k in range(parts)],
            ignore_index=True,
        )
        spread["kwh"] = spread["kwh"] / parts
        notes.append(
            f"Interval {minutes} minuten, geen kwartier: elke waarde gelijk over "
            f"{parts} kwartieren verdeeld. Pieken binnen het interval ontbreken, "
            "de piek is dus een ondergrens."
        )
        return spread
    if 15 % minutes == 0:
        notes.append(f"Interval {minutes} minuten: per kwartier opgeteld.")
        return frame.assign(winter=frame["winter"].dt.floor("15min"))
    raise _refuse(
        file,
        f"de tijdstappen zijn {minutes} minuten; dat past niet op kwartieren.",
        "exporteer kwartierwaarden (15 minuten) of uurwaarden.",
    )


def _model_positions(winter: pd.Series) -> tuple[np.ndarray, dict[int, int]]:
    """Model-year quarter index of each stamp (see *Year*); -1 outside."""
    years = winter.dt.year.to_numpy()
    shift = {
        int(y): (3 - dt.date(int(y), 1, 1).weekday() + 3) % 7 - 3
        for y in np.unique(years)
    }
    day = winter.dt.day_of_year.to_numpy() - 1 - np.vectorize(shift.get)(years)
    minutes = winter.dt.hour.to_numpy() * 60 + winter.dt.minute.to_numpy()
    pos = day * 96 + minutes // 15
    return np.where((pos >= 0) & (pos < N_QUARTERS), pos, -1), shift


def fill_gaps(values: np.ndarray) -> np.ndarray:
    """Fill NaN quarter hours (see *Gaps*): same quarter hour of the nearest
    week with a value, else of the nearest day with a value.

    Parameters
    ----------
    values : ndarray, shape (N_QUARTERS,)
        kWh per quarter hour, NaN where missing; not modified.
    """
    out = np.array(values, np.float64)
    for step in (7 * 96, 96):
        for k in range(1, N_QUARTERS // step + 1):
            hole = np.isnan(out)
            if not hole.any():
                return out
            for sign in (-1, 1):
                src = np.arange(N_QUARTERS) + sign * k * step
                ok = hole & (src >= 0) & (src < N_QUARTERS)
                ok[ok] &= ~np.isnan(out[src[ok]])
                out[ok] = out[src[ok]]
                hole &= ~ok
    return out


def _gaps(quarters: pd.Series, lines: pd.Series, file: str) -> list[Problem]:
    """Missing quarter hours between the first and last stamp of the data."""
    have = pd.DatetimeIndex(np.sort(quarters.unique()))
    if len(have) < 2:
        return []
    step = np.rint(np.diff(have.to_numpy()) / np.timedelta64(15, "m")).astype(int)
    jumps = np.flatnonzero(step > 1)
    if not len(jumps):
        return []
    sizes = step[jumps] - 1
    k = jumps[np.argmax(sizes)]
    start, end = have[k] + _Q, have[k + 1]
    where = lines.groupby(quarters).min()
    return [
        Problem(
            file,
            f"{fmt.number(int(sizes.sum()))} kwartieren ontbreken tussen de eerste en "
            f"de laatste meting, in {fmt.number(len(jumps))} gat(en); het langste: "
            f"{fmt.number(int(sizes.max()))} kwartieren, van "
            f"{_local(start)} tot {_local(end)} "
            f"(tussen rij {int(where[have[k]])} en rij {int(where[have[k + 1]])}). "
            "Aangevuld met hetzelfde kwartier van de dichtstbijzijnde week met een "
            "meting.",
            "vraag de ontbrekende periode na bij het meetbedrijf als het gat groot is.",
            int(where[have[k + 1]]),
        )
    ]


def _checked(long: pd.DataFrame, file: str, found: list[Problem], notes: list[str]):
    """Drop duplicates, negative and implausible values (see *Values*)."""
    lines = long["_line"]
    dup = long.duplicated(["register", "winter"], keep="first") & long["winter"].notna()
    if dup.any():
        found.extend(
            listed_problems(
                file,
                lines[dup],
                long.loc[dup, "winter"].dt.strftime("%d-%m-%Y %H:%M"),
                None,
                "kwartier {value} (wintertijd) staat nogmaals in het bestand; de "
                "eerste rij is gebruikt.",
                "verwijder dubbele rijen of exporteer opnieuw.",
            )
        )
    long = long[~dup].copy()
    feed = long["channel"].eq("feed")
    written = long.loc[feed, "kwh"].fillna(0)
    if written.lt(0).any() and written.le(0).all():
        long.loc[feed, "kwh"] = long.loc[feed, "kwh"].abs()
        notes.append(
            "Teruglevering staat negatief in het bestand: als grootte gelezen."
        )
    neg = long["kwh"].lt(0).fillna(False)
    if neg.any():
        found.extend(
            listed_problems(
                file,
                long.loc[neg, "_line"],
                long.loc[neg, "kwh"].map(lambda v: fmt.number(v, 3)),
                None,
                "negatieve waarde {value}; weggelaten en aangevuld als gat.",
                "controleer of levering en teruglevering goed gescheiden zijn.",
            )
        )
        long.loc[neg, "kwh"] = np.nan
    for _, rows in long.groupby("channel"):
        positive = rows["kwh"][rows["kwh"] > 0]
        if len(positive) < 10:
            continue
        limit = SPIKE_FACTOR * positive.quantile(0.99)
        spike = rows["kwh"].gt(limit).fillna(False)
        if spike.any():
            found.extend(
                listed_problems(
                    file,
                    rows.loc[spike, "_line"],
                    rows.loc[spike, "kwh"].map(lambda v: fmt.number(v, 3)),
                    None,
                    "onwaarschijnlijke waarde {value} kWh (meer dan "
                    f"{fmt.number(SPIKE_FACTOR)} × het 99e percentiel, "
                    f"{fmt.number(limit / SPIKE_FACTOR, 3)} kWh); weggelaten en "
                    "aangevuld als gat.",
                    "controleer of hier een meterstand in plaats van verbruik staat.",
                )
            )
            long.loc[spike[spike].index, "kwh"] = np.nan
    return long


def _series(
    long: pd.DataFrame, key: str, file: str, factor: float, energy: bool, notes
):
    found: list[Problem] = []
    notes = list(notes)
    if "clock" in long.columns:
        long = long.assign(winter=_winter_time(long, file, found))
    long = long[long["winter"].notna()]
    minutes = _interval_minutes(long.loc[long["channel"] == "take", "winter"])
    empty_zero = long["value"].isna() & long["status"].str.contains(
        "geen verbruik", regex=False
    ).fillna(False)
    if empty_zero.any():
        notes.append(
            f"{fmt.number(int(empty_zero.sum()))} lege waarden met status 'Geen "
            "verbruik' gelezen als 0 kWh."
        )
    value = long["value"].mask(empty_zero, 0.0) * factor
    long = long.assign(kwh=value if energy else value * minutes / 60)
    long = _checked(long, file, found, notes)
    long = _to_quarters(long, minutes, file, notes)
    per = long.groupby(["channel", "winter"])["kwh"].sum(min_count=1).unstack(0)
    if "take" not in per.columns or per["take"].notna().sum() == 0:
        raise _refuse(
            file, f"geen enkele meting van de levering{_for(key)}.", _NOT_METER_FIX
        )
    take = per["take"].dropna()
    found.extend(
        _gaps(
            pd.Series(take.index),
            long.groupby("winter")["_line"]
            .min()
            .reindex(take.index)
            .reset_index(drop=True),
            file,
        )
    )
    pos, shift = _model_positions(pd.Series(per.index))
    grid = {}
    for channel in ("take", "feed"):
        arr = np.full(N_QUARTERS, np.nan)
        if channel in per.columns:
            order = np.argsort(per.index.year, kind="stable")  # latest year wins
            ok = pos[order] >= 0
            arr[pos[order][ok]] = per[channel].to_numpy()[order][ok]
            if channel == "feed":
                arr = np.where(np.isnan(arr) & ~np.isnan(grid["take"]), 0.0, arr)
        grid[channel] = arr
    measured = float(np.mean(~np.isnan(grid["take"])))
    moved = {y: s for y, s in shift.items() if y != MODEL_YEAR}
    if moved:
        notes.append(
            "Op het modeljaar "
            f"{MODEL_YEAR} gelegd met dezelfde weekdag: "
            + ", ".join(
                f"{y} {'ongewijzigd' if s == 0 else f'{abs(s)} dag(en) verschoven'}"
                for y, s in sorted(moved.items())
            )
            + "; feestdagen vallen daardoor op een andere dag."
        )
    take_kwh = fill_gaps(grid["take"])
    feed_kwh = (
        fill_gaps(grid["feed"])
        if not np.isnan(grid["feed"]).all()
        else np.zeros(N_QUARTERS)
    )
    if measured < MIN_SHARE_WARNED:
        found.append(
            Problem(
                file,
                f"slechts {fmt.percent(measured)} van de kwartieren van het jaar is "
                f"gemeten{_for(key)}; de rest is aangevuld met dezelfde kwartieren van "
                "nabije weken. Jaarverbruik en piek zijn daardoor onzeker.",
                "lever een heel jaar kwartierwaarden aan.",
            )
        )
    summary = (
        f"Eigen meetdata{_for(key)}: {_local(per.index.min())} t/m "
        f"{_local(per.index.max() + _Q)}, "
        f"{fmt.percent(measured)} van het jaar gemeten"
        f"{', de rest aangevuld' if measured < 1 else ''}; "
        f"levering {fmt.energy(take_kwh.sum())} per jaar, teruglevering "
        f"{fmt.energy(feed_kwh.sum())}. " + " ".join(notes)
    )
    return MeterSeries(
        key=key,
        take_kw=(take_kwh / DT_H).astype(np.float32),
        feed_in_kw=(feed_kwh / DT_H).astype(np.float32),
        measured_share=measured,
        report=tuple(found),
        summary=summary,
    )


def _local(winter) -> str:
    """A winter-time stamp as Dutch clock time, ``dd-mm-jjjj uu:mm``."""
    utc = pd.Timestamp(winter - _WINTER).tz_localize("UTC")
    return f"{utc.tz_convert('Europe/Amsterdam'):%d-%m-%Y %H:%M}"


def _for(key: str) -> str:
    return f" (EAN/pand {key})" if key else ""


def read_meterdata(data: bytes, file: str) -> MeterFile:
    """Read a quarter-hour meter export and lay it on the model year.

    Parameters
    ----------
    data : bytes
        The file as uploaded (CSV in UTF-8 with or without BOM or in
        Windows-1252, any of ``; , tab |``; or XLSX).
    file : str
        File name for the report.

    Returns
    -------
    MeterFile
        One :class:`MeterSeries` per meter (EAN or building column), key
        ``""`` when the file names none.

    Raises
    ------
    DataError
        When the file cannot be a meter export (no date/time header, no take-up
        column, meter readings instead of use, an interval that does not fit
        quarter hours), with a Dutch message naming file, row and column.
    """
    try:
        table, _ = _raw_table(data, file)
        long, layout, notes, factor, energy = _long(table, file)
    except DataError as exc:
        raise DataError(
            [
                Problem(file, p.message, p.fix, p.row, p.column) if not p.file else p
                for p in exc.problems
            ]
        ) from None
    series = {
        str(key): _series(rows, str(key), file, factor, energy, notes)
        for key, rows in long.groupby(long["key"].fillna(""), sort=True)
    }
    return MeterFile(file=file, layout=layout, series=series)
