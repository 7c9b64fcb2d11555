"""Kleinverbruik per postcode range: the netbeheerder's average, apportioned to panden.

Sources
-------
Open data *kleinverbruiksgegevens* of the Dutch distribution system operators
(Enexis, Liander, Stedin, Rendo, Coteq, Westland Infra), published yearly per
street and postcode range of at least 10 connections. The files are read as
published:

- the current columns NETBEHEERDER, STRAATNAAM, POSTCODE_VAN, POSTCODE_TOT,
  PRODUCTSOORT (ELK/GAS), AANSLUITINGEN_AANTAL, LEVERINGSRICHTING_PERC and
  SJV_GEMIDDELD, the average *standaardjaarverbruik* per connection in kWh
  (ELK) or m³ (GAS) (Liander, *Beschrijving Verbruiksbestand Kleinverbruik*
  v1.2); some operators write SJA_GEMIDDELD (*standaardjaarafname*);
- the older headers (the real samples: Liander 2009–2010, Westland Infra
  2011–2024): ``Aantal Aansluitingen``, ``SJV``, ``%Leveringsrichting``;
- Liander from 2026: POSTCODE, POSTCODE_EIND, SJA_GEMIDDELD;
- separator ``;``, ``,`` or tab, decimal comma, quoted text, UTF-8 with or
  without BOM or Windows-1252; XLSX where an operator publishes that.

Grootverbruik connections (> 3×80 A) are not in these files. POSTCODE_TOT is
the upper end of postcodes merged to reach 10 connections; when the
operator's next postcode lies in another postcode area (PC4), the range spans
areas the operator does not serve (real example, Liander 2009: *Zijl*
4214 LG–5301 AA, Vuren), so a range counts only for postcodes in the PC4 of
its first or last postcode.

The figures are averages, never a company's own use: every value this module
returns is an estimate and must be marked ``geschat``.
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kansenkaart.core import fmt
from kansenkaart.core import schema as sch
from kansenkaart.core.address import normalise_postcode
from kansenkaart.core.errors import (
    MAX_ROWS_LISTED,
    DataError,
    Problem,
    masked_problems,
)
from kansenkaart.io.readers import _check_size, decode_text, read_table, sniff_separator

KLEINVERBRUIK = sch.Schema(
    "kleinverbruik",
    "kleinverbruik per postcodereeks",
    (
        sch.Column("POSTCODE_VAN", "text", "postcode van", aliases=("POSTCODE",)),
        sch.Column("POSTCODE_TOT", "text", "postcode tot", aliases=("POSTCODE_EIND",)),
        sch.Column("PRODUCTSOORT", "text", "productsoort (ELK/GAS)"),
        sch.Column(
            "AANSLUITINGEN_AANTAL",
            "text",
            "aantal aansluitingen",
            aliases=("Aantal Aansluitingen",),
        ),
        sch.Column(
            "SJV_GEMIDDELD",
            "text",
            "gemiddeld standaardjaarverbruik",
            "kWh of m³ per aansluiting",
            aliases=("SJA_GEMIDDELD", "SJV"),
        ),
        sch.Column(
            "LEVERINGSRICHTING_PERC",
            "text",
            "aandeel aansluitingen met netto afname",
            "%",
            aliases=("%Leveringsrichting",),
        ),
        sch.Column("STRAATNAAM", "text", "straat"),
        sch.Column("NETBEHEERDER", "text", "netbeheerder"),
    ),
)
"""All columns are read as text and parsed here, so that a bad value skips
its row instead of refusing the file; the required ones are :data:`_HINTS`."""

_HINTS = {
    "POSTCODE_VAN": (("postcode", "van"), ("pc", "van"), ("postcode",)),
    "POSTCODE_TOT": (("postcode", "tot"), ("postcode", "eind"), ("pc", "tot")),
    "PRODUCTSOORT": (("product",), ("energiesoort",)),
    "AANSLUITINGEN_AANTAL": (("aantal", "aansl"), ("aansl",)),
    "SJV_GEMIDDELD": (("sjv",), ("sja",), ("jaarverbruik",)),
}
"""Required columns and, best first, the words of a header that may mean it."""

_PRODUCTS = {
    "elk": "elec",
    "elektriciteit": "elec",
    "e": "elec",
    "gas": "gas",
    "g": "gas",
}
_BAD_LINE = re.compile(r"Skipping line (\d+): expected (\d+) fields, saw (\d+)")
"""Rows listed per kind of problem; the rest are counted."""

BASIS = "postcodegemiddelde kleinverbruik"
"""Text for the ``consumption_basis`` column of panden with these estimates."""


@dataclass(frozen=True)
class Kleinverbruik:
    """Usable postcode ranges.

    Attributes
    ----------
    ranges : DataFrame
        ``postcode_from``, ``postcode_to`` (``1234AB``), ``product`` ("elec" or
        "gas"), ``connections``, ``average`` (kWh or m³ per connection per
        year), ``delivery_share`` (fraction 0–1 of the connections with net
        take-off, NA when not published), ``street`` (may be NA).
    file : str
    operators : tuple of str
        Netbeheerders named in the file.
    notes : tuple of str
    problems : tuple of Problem
    """

    ranges: pd.DataFrame
    file: str
    operators: tuple[str, ...]
    notes: tuple[str, ...]
    problems: tuple[Problem, ...]


def _read_csv(path: Path) -> tuple[pd.DataFrame, np.ndarray, list[Problem]]:
    """A CSV as text columns, its line numbers, and the lines skipped.

    Unlike :func:`kansenkaart.io.readers.read_csv_text`, a line with more
    fields than the header is skipped and reported instead of refusing the
    file (published files are not always regular).
    """
    _check_size(path)
    text = decode_text(path.read_bytes(), path.name)
    if not text.strip():
        raise DataError.single(
            path.name, "het bestand is leeg.", "kies het juiste bestand."
        )
    sep = sniff_separator(text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.ParserWarning)
        try:
            table = pd.read_csv(
                io.StringIO(text),
                sep=sep,
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                skipinitialspace=True,
                on_bad_lines="warn",
            )
        except pd.errors.ParserError as exc:
            raise DataError.single(
                path.name,
                f"het bestand is geen leesbare tabel (scheidingsteken '{sep}').",
                "sla het op als CSV met één scheidingsteken en zet tekst met dat "
                "teken tussen aanhalingstekens.",
            ) from exc
    bad = [m for w in caught for m in _BAD_LINE.finditer(str(w.message))]
    skipped = [int(m.group(1)) for m in bad]
    lines = np.setdiff1d(np.arange(2, 2 + len(table) + len(skipped)), skipped)
    fix = f"zet tekst met het scheidingsteken '{sep}' tussen aanhalingstekens."
    problems = [
        Problem(
            path.name,
            f"de regel heeft {m.group(3)} velden, de kopregel {m.group(2)}; rij "
            "overgeslagen.",
            fix,
            int(m.group(1)),
        )
        for m in bad[:MAX_ROWS_LISTED]
    ]
    if len(bad) > MAX_ROWS_LISTED:
        problems.append(
            Problem(
                path.name,
                f"nog {len(bad) - MAX_ROWS_LISTED} regels met te veel velden.",
                fix,
            )
        )
    table.columns = [str(c).strip() for c in table.columns]
    return table, lines, problems


def _read_rows(path: Path) -> tuple[pd.DataFrame, np.ndarray, list[Problem]]:
    """The file's rows as text, their row numbers as users see them, problems."""
    if path.suffix.lower() in (".csv", ".txt"):
        return _read_csv(path)
    table = read_table(path)
    return table, table.index.to_numpy() + 2, []


def _header_problems(columns: list[str], file: str) -> list[Problem]:
    """One problem per required column that is missing, naming the header to map.

    The advice names the file's own header that looks like the column (by the
    words in :data:`_HINTS`); when none does, it lists the file's headers.
    """
    found = sch.match_columns(columns, KLEINVERBRUIK)
    free = [c for c in columns if c not in found]
    plain = {c: sch._norm_header(c) for c in free}
    problems = []
    for name, hints in _HINTS.items():
        if name in found.values():
            continue
        label = KLEINVERBRUIK.column(name).label
        guess = next(
            (
                c
                for words in hints
                for c in free
                if all(word in plain[c] for word in words)
            ),
            None,
        )
        if guess is not None:
            free.remove(guess)
            fix = f"hernoem kolom '{guess}' naar '{name}'."
        else:
            shown = ", ".join(f"'{c}'" for c in columns[:12])
            more = " …" if len(columns) > 12 else ""
            fix = (
                f"het bestand heeft de kolommen {shown}{more}; hernoem de kolom "
                f"met het {label} naar '{name}', of kies het kleinverbruikbestand "
                "van de netbeheerder."
            )
        problems.append(
            Problem(file, f"de kolom '{name}' ({label}) ontbreekt.", fix, column=name)
        )
    return problems


def _listed(
    bad: np.ndarray,
    values: pd.Series,
    rows: np.ndarray,
    file: str,
    column: str,
    message: str,
    fix: str,
) -> list[Problem]:
    """The bad rows of one column as problems (:func:`masked_problems`)."""
    return masked_problems(file, bad, rows, values, column, message, fix, _shown)


def _shown(value) -> str:
    """A cell as quoted in a message: ``'2150,4'``, or ``(leeg)``."""
    return "(leeg)" if pd.isna(value) else f"'{str(value)[:40]}'"


def _pretty(postcode: str) -> str:
    """``1011AA`` as written on letters: ``1011 AA``."""
    return f"{postcode[:4]} {postcode[4:]}"


def _span(ranges: pd.DataFrame) -> str:
    """Lowest and highest postcode of the ranges: ``1011 AA–1099 ZZ``."""
    low, high = ranges["postcode_from"].min(), ranges["postcode_to"].max()
    return f"{_pretty(low)}–{_pretty(high)}"


def read_kleinverbruik(path: Path) -> Kleinverbruik:
    """Read a netbeheerder's kleinverbruik file as published (CSV or XLSX).

    A row with an unknown product, a malformed or reversed postcode range, no
    number of connections or no average is skipped and reported with its
    row, the file's own column name, the value and what to do; a line with
    too many fields likewise. An unreadable LEVERINGSRICHTING_PERC is
    reported and left empty; the row is kept. Percentages are read as
    fractions (``96,55`` -> 0.9655).

    Raises
    ------
    DataError
        Unreadable or empty file, or a required column missing (the advice
        names the file's header to rename).
    """
    path = Path(path)
    raw, rows, problems = _read_rows(path)
    missing = _header_problems(list(raw.columns), path.name)
    if missing:
        raise DataError(missing)
    own = {c: h for h, c in sch.match_columns(list(raw.columns), KLEINVERBRUIK).items()}
    table = sch.validate(raw, KLEINVERBRUIK, path.name)
    start = normalise_postcode(table["POSTCODE_VAN"])
    end = normalise_postcode(table["POSTCODE_TOT"])
    connections = sch.parse_number(table["AANSLUITINGEN_AANTAL"])
    average = sch.parse_number(table["SJV_GEMIDDELD"])
    delivery = sch.parse_number(table["LEVERINGSRICHTING_PERC"]) / 100
    ranges = pd.DataFrame(
        {
            "postcode_from": start,
            "postcode_to": end,
            "product": table["PRODUCTSOORT"]
            .str.strip()
            .str.lower()
            .map(_PRODUCTS)
            .astype("string"),
            "connections": connections,
            "average": average,
            "delivery_share": delivery.where((delivery >= 0) & (delivery <= 1)),
            "street": table["STRAATNAAM"].str.strip(),
        }
    )
    van, tot = own["POSTCODE_VAN"], own["POSTCODE_TOT"]
    checks = (
        (
            "PRODUCTSOORT",
            ranges["product"].isna(),
            "{value} is geen productsoort; rij overgeslagen.",
            "gebruik ELK of GAS.",
        ),
        (
            "POSTCODE_VAN",
            start.isna(),
            "{value} is geen postcode; rij overgeslagen.",
            "schrijf de postcode als 1234AB.",
        ),
        (
            "POSTCODE_TOT",
            end.isna(),
            "{value} is geen postcode; rij overgeslagen.",
            "schrijf de postcode als 1234AB.",
        ),
        (
            "POSTCODE_TOT",
            end < start,
            f"{{value}} ligt vóór {van}; rij overgeslagen.",
            f"zet de laagste postcode van de reeks in {van} en de hoogste in {tot}.",
        ),
        (
            "AANSLUITINGEN_AANTAL",
            ~(connections > 0),
            "{value} is geen aantal groter dan 0; rij overgeslagen.",
            "vul het aantal aansluitingen in als getal, bijvoorbeeld 12.",
        ),
        (
            "SJV_GEMIDDELD",
            ~(average >= 0),
            "{value} is geen jaarverbruik (een getal van 0 of meer); rij overgeslagen.",
            "vul het gemiddelde jaarverbruik per aansluiting in als getal, met "
            "komma of punt als decimaalteken (bijvoorbeeld 2150,4).",
        ),
    )
    skipped = np.zeros(len(ranges), dtype=bool)
    for column, bad, message, fix in checks:
        bad = bad.fillna(True).to_numpy(dtype=bool) & ~skipped
        problems += _listed(
            bad, table[column], rows, path.name, own[column], message, fix
        )
        skipped |= bad
    if "LEVERINGSRICHTING_PERC" in own:
        unread = (
            table["LEVERINGSRICHTING_PERC"].notna() & ranges["delivery_share"].isna()
        ).to_numpy(dtype=bool) & ~skipped
        problems += _listed(
            unread,
            table["LEVERINGSRICHTING_PERC"],
            rows,
            path.name,
            own["LEVERINGSRICHTING_PERC"],
            "{value} is geen percentage van 0 tot 100; het aandeel netto afname "
            "van deze reeks blijft leeg.",
            "vul een percentage in, bijvoorbeeld 96,55.",
        )
    names = table["NETBEHEERDER"].dropna().str.strip().unique()
    operators = tuple(sorted(n for n in names if n))
    kept = ranges[~skipped].reset_index(drop=True)
    notes = [
        f"Postcodereeksen gelezen: {len(kept)}"
        + (f" van {', '.join(operators[:3])}" if operators else "")
        + ("…" if len(operators) > 3 else "")
        + f" ({int((kept['product'] == 'elec').sum())} elektriciteit, "
        f"{int((kept['product'] == 'gas').sum())} gas"
        + (f", postcodes {_span(kept)})." if len(kept) else ").")
    ]
    renamed = [f"'{h}' als {c}" for c, h in own.items() if h != c]
    if renamed:
        notes.append(f"Kolommen gelezen: {', '.join(renamed)}.")
    return Kleinverbruik(kept, path.name, operators, tuple(notes), tuple(problems))


def _covering_ranges(ranges: pd.DataFrame, postcodes: pd.Series) -> pd.DataFrame:
    """Pairs (postcode, range) with ``postcode_from ≤ postcode ≤ postcode_to``.

    Postcodes ``1234AB`` sort as text in postcode order, so for each range
    the postcodes it covers are a slice of the sorted unique postcodes found
    with a binary search; only real matches are ever built, however many
    ranges or objects there are. A range counts only in the PC4 areas of its
    two ends (see the module notes: the PC4 areas between belong to other
    operators). ``range_pos`` is the range's position in ``ranges``.
    """
    codes = np.sort(postcodes.dropna().unique().astype(str))
    start = np.searchsorted(codes, ranges["postcode_from"].to_numpy(str), "left")
    stop = np.searchsorted(codes, ranges["postcode_to"].to_numpy(str), "right")
    counts = np.maximum(stop - start, 0)
    which = np.repeat(np.arange(len(ranges)), counts)
    offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    covered = ranges.iloc[which].reset_index(drop=True)
    covered = covered.assign(
        postcode=codes[np.repeat(start, counts) + offset], range_pos=which
    )
    area = covered["postcode"].str[:4]
    own_area = (area == covered["postcode_from"].str[:4]) | (
        area == covered["postcode_to"].str[:4]
    )
    return covered[own_area.to_numpy(dtype=bool)].reset_index(drop=True)


def terrain_notes(kv: Kleinverbruik, postcodes: pd.Series) -> tuple[str, ...]:
    """What the file means for the terrain, in Dutch.

    Parameters
    ----------
    kv : Kleinverbruik
    postcodes : Series
        Postcodes (``1234AB``) of the verblijfsobjecten on the terrain.

    Returns
    -------
    tuple of str
        When no range covers a postcode of the terrain, one line naming the
        file's postcodes (lowest–highest) and the terrain's PC4 areas.
        Otherwise, when some electricity ranges used have connections with
        net feed-in (LEVERINGSRICHTING_PERC below 100 %), a note that their
        average is netted (take-off minus feed-in; Liander, *Beschrijving
        Verbruiksbestand Kleinverbruik* v1.2) and so understates take-off.
    """
    codes = postcodes.dropna().astype(str)
    used = _covering_ranges(kv.ranges, codes)
    if used.empty:
        return (_no_overlap(kv, codes),)
    elec = used[used["product"] == "elec"].drop_duplicates("range_pos")
    netted = elec["delivery_share"].astype("Float64") < 1
    if not netted.fillna(False).any():
        return ()
    return (
        f"In {int(netted.sum())} van de {len(elec)} gebruikte postcodereeksen voor "
        "elektriciteit levert een deel van de aansluitingen netto terug (laagste "
        "aandeel met netto afname: "
        f"{fmt.percent(elec['delivery_share'].min())}); daar is het gemiddelde "
        "gesaldeerd (afname min teruglevering) en onderschat het de afname.",
    )


def _no_overlap(kv: Kleinverbruik, codes: pd.Series) -> str:
    """The line saying the file covers no postcode of the terrain."""
    if kv.ranges.empty:
        return (
            f"bestand '{kv.file}' heeft geen bruikbare postcodereeks: geen overlap "
            "met het terrein — zie de overgeslagen rijen."
        )
    covers = f"bestand '{kv.file}' dekt postcodes {_span(kv.ranges)}"
    if codes.empty:
        return (
            f"{covers}; de objecten op het terrein hebben geen postcode: geen "
            "overlap — lever de BAG met adressen (nummeraanduidingen) aan."
        )
    area = codes.str[:4]
    where = area.min() if area.min() == area.max() else f"{area.min()}–{area.max()}"
    return (
        f"{covers}; het terrein ligt in {where}: geen overlap — kies het bestand "
        "van de netbeheerder van dit terrein."
    )


def apportion(ranges: pd.DataFrame, vbo: pd.DataFrame) -> pd.DataFrame:
    """Yearly use per pand from the postcode-range averages.

    Each verblijfsobject counts as one connection and gets the average of the
    range its postcode falls in (``POSTCODE_VAN ≤ postcode ≤ POSTCODE_TOT``,
    in the PC4 area of either end: see :func:`_covering_ranges`).
    When several ranges hold the postcode (one per street), those of the
    object's own street are used if any, and their averages are weighted by
    their number of connections. A pand gets the sum over its objects; an
    object in *k* panden counts for 1/*k* in each::

        use(pand) = Σ_objects avg(range of object) / k(object)

    Parameters
    ----------
    ranges : DataFrame
        ``Kleinverbruik.ranges``.
    vbo : DataFrame
        ``Bag.vbo`` rows to apportion to (``vbo_id``, ``pand_id``,
        ``postcode``, ``street``).

    Returns
    -------
    DataFrame
        ``pand_id``, ``elec_kwh_yr`` (kWh/yr), ``gas_m3_yr`` (m³/yr), rounded
        to whole units, NA where no range matched.
    """
    objects = vbo.dropna(subset=["postcode"])
    objects = objects.assign(
        share=1 / objects.groupby("vbo_id")["pand_id"].transform("size")
    )
    pairs = objects.merge(
        _covering_ranges(ranges, objects["postcode"]),
        on="postcode",
        suffixes=("", "_range"),
    )
    same_street = (
        pairs["street"].str.lower() == pairs["street_range"].str.lower()
    ).fillna(False)
    keys = ["vbo_id", "pand_id", "product"]
    pairs = pairs[
        same_street | ~same_street.groupby([pairs[k] for k in keys]).transform("any")
    ]
    pairs = pairs.assign(weighted=pairs["average"] * pairs["connections"])
    per_object = pairs.groupby(keys, as_index=False).agg(
        weighted=("weighted", "sum"),
        connections=("connections", "sum"),
        share=("share", "first"),
    )
    per_object["use"] = (
        per_object["weighted"] / per_object["connections"] * per_object["share"]
    )
    per_pand = per_object.pivot_table(
        index="pand_id", columns="product", values="use", aggfunc="sum"
    ).reindex(columns=["elec", "gas"])
    return pd.DataFrame(
        {
            "pand_id": per_pand.index.astype("string"),
            "elec_kwh_yr": per_pand["elec"].round().astype("Float64").to_numpy(),
            "gas_m3_yr": per_pand["gas"].round().astype("Float64").to_numpy(),
        }
    )
