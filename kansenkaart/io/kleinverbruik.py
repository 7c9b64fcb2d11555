"""Kleinverbruik per postcode range: the netbeheerder's average, apportioned to panden.

Sources
-------
Open data *kleinverbruiksgegevens* of the Dutch distribution system operators
(Enexis, Liander, Stedin, Rendo, Coteq, Westland Infra), published yearly per
street and postcode range of at least 10 connections: NETBEHEERDER,
STRAATNAAM, POSTCODE_VAN, POSTCODE_TOT, WOONPLAATS, PRODUCTSOORT (ELK/GAS),
AANSLUITINGEN_AANTAL and SJV_GEMIDDELD, the average *standaardjaarverbruik*
per connection in kWh (ELK) or m³ (GAS); some operators write SJA_GEMIDDELD
(*standaardjaarafname*). Separator ``;`` or ``,`` depending on the operator.
Grootverbruik connections (> 3×80 A) are not in these files.

The figures are averages, never a company's own use: every value this module
returns is an estimate and must be marked ``geschat``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kansenkaart.core import schema as sch
from kansenkaart.core.address import normalise_postcode
from kansenkaart.core.errors import Problem
from kansenkaart.io.readers import read_table

KLEINVERBRUIK = sch.Schema(
    "kleinverbruik",
    "kleinverbruik per postcodereeks",
    (
        sch.Column("POSTCODE_VAN", "text", "postcode van", required=True),
        sch.Column("POSTCODE_TOT", "text", "postcode tot", required=True),
        sch.Column("PRODUCTSOORT", "text", "productsoort (ELK/GAS)", required=True),
        sch.Column(
            "AANSLUITINGEN_AANTAL", "text", "aantal aansluitingen", required=True
        ),
        sch.Column(
            "SJV_GEMIDDELD",
            "text",
            "gemiddeld standaardjaarverbruik",
            "kWh of m³ per aansluiting",
            required=True,
            aliases=("SJA_GEMIDDELD",),
        ),
        sch.Column("STRAATNAAM", "text", "straat"),
        sch.Column("NETBEHEERDER", "text", "netbeheerder"),
    ),
)
_PRODUCTS = {
    "elk": "elec",
    "elektriciteit": "elec",
    "e": "elec",
    "gas": "gas",
    "g": "gas",
}
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
        year), ``street`` (may be NA).
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


def read_kleinverbruik(path: Path) -> Kleinverbruik:
    """Read a netbeheerder's kleinverbruik file (CSV with ``;`` or ``,``, or XLSX).

    Rows with an unknown product, a malformed postcode or no number are
    skipped and reported.

    Raises
    ------
    DataError
        Unreadable or empty file, or one of the required columns missing.
    """
    path = Path(path)
    table = sch.validate(read_table(path), KLEINVERBRUIK, path.name)
    rows = np.arange(len(table)) + 2
    ranges = pd.DataFrame(
        {
            "postcode_from": normalise_postcode(table["POSTCODE_VAN"]),
            "postcode_to": normalise_postcode(table["POSTCODE_TOT"]),
            "product": table["PRODUCTSOORT"]
            .str.strip()
            .str.lower()
            .map(_PRODUCTS)
            .astype("string"),
            "connections": sch.parse_number(table["AANSLUITINGEN_AANTAL"]),
            "average": sch.parse_number(table["SJV_GEMIDDELD"]),
            "street": table["STRAATNAAM"].str.strip(),
        }
    )
    checks = (
        ("PRODUCTSOORT", ranges["product"].isna(), "gebruik ELK of GAS."),
        (
            "POSTCODE_VAN",
            ranges["postcode_from"].isna() | ranges["postcode_to"].isna(),
            "schrijf postcodes als 1234AB in POSTCODE_VAN en POSTCODE_TOT.",
        ),
        (
            "SJV_GEMIDDELD",
            (ranges["average"].isna() | ~(ranges["connections"] > 0)).fillna(True),
            "vul een getal in bij SJV_GEMIDDELD en een aantal groter dan 0 bij "
            "AANSLUITINGEN_AANTAL.",
        ),
    )
    problems: list[Problem] = []
    skipped = np.zeros(len(ranges), dtype=bool)
    for column, bad, fix in checks:
        bad = bad.to_numpy(dtype=bool) & ~skipped
        problems += [
            Problem(
                path.name,
                f"'{str(table[column].iloc[pos])[:40]}' is onbruikbaar; rij "
                "overgeslagen.",
                fix,
                int(rows[pos]),
                column,
            )
            for pos in np.flatnonzero(bad)[:5]
        ]
        if bad.sum() > 5:
            problems.append(
                Problem(path.name, f"nog {bad.sum() - 5} rijen met dezelfde fout.", fix)
            )
        skipped |= bad
    operators = tuple(sorted(table["NETBEHEERDER"].dropna().str.strip().unique()))
    kept = ranges[~skipped].reset_index(drop=True)
    notes = (
        f"Postcodereeksen gelezen: {len(kept)}"
        + (f" van {', '.join(operators)}" if operators else "")
        + f" ({int((kept['product'] == 'elec').sum())} elektriciteit, "
        f"{int((kept['product'] == 'gas').sum())} gas).",
    )
    return Kleinverbruik(kept, path.name, operators, notes, tuple(problems))


def _covering_ranges(ranges: pd.DataFrame, postcodes: pd.Series) -> pd.DataFrame:
    """Pairs (postcode, range) with ``postcode_from ≤ postcode ≤ postcode_to``.

    Postcodes ``1234AB`` sort as text in postcode order, so for each range
    the postcodes it covers are a slice of the sorted unique postcodes found
    with a binary search; only real matches are ever built, however many
    ranges or objects there are.
    """
    codes = np.sort(postcodes.dropna().unique().astype(str))
    start = np.searchsorted(codes, ranges["postcode_from"].to_numpy(str), "left")
    stop = np.searchsorted(codes, ranges["postcode_to"].to_numpy(str), "right")
    counts = np.maximum(stop - start, 0)
    which = np.repeat(np.arange(len(ranges)), counts)
    offset = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    covered = ranges.iloc[which].reset_index(drop=True)
    return covered.assign(postcode=codes[np.repeat(start, counts) + offset])


def apportion(ranges: pd.DataFrame, vbo: pd.DataFrame) -> pd.DataFrame:
    """Yearly use per pand from the postcode-range averages.

    Each verblijfsobject counts as one connection and gets the average of the
    range its postcode falls in (``POSTCODE_VAN ≤ postcode ≤ POSTCODE_TOT``).
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
