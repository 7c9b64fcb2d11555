"""EP-online energy labels: read the RVO export, keep the newest label per object.

Sources
-------
RVO, *EP-online* open data ("Energielabels bestand", https://www.ep-online.nl):
CSV in a ZIP, UTF-8 with BOM, ``;`` separator, decimal comma, two preamble
lines before the header. Current files use PascalCase columns (Postcode,
Huisnummer, Huisletter, Huisnummertoevoeging, BAGVerblijfsobjectID,
BAGPandIDs, Registratiedatum, Energieklasse, Gebouwklasse, SBICode,
Bouwjaar, ...); older files use ``Pand_*`` names (Pand_postcode,
Pand_huisnummer, Pand_huisnummer_toev, Pand_bagverblijfsobjectid,
Pand_bagpandid, Pand_registratiedatum, Pand_energieklasse, ...). A new
registration for an object replaces the older one, so the newest label per
object by Registratiedatum is the valid one.

A label is valid for at most ten years (RVO, *Energielabel utiliteitsbouw*:
"Het energielabel is maximaal 10 jaar geldig"). Current files
give the end in ``GeldigTot``, older ones in ``Meting_geldig_tot``; where it
is missing, registration + 10 years is taken. Only labels still valid on the
reference date count (:func:`labels_per_pand`). The ZIP (CSV inside) and the
XLSX download are both read; ids may carry the ``NL.IMBAG.…`` prefix and
``BAGPandIDs`` may list several panden.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from kansenkaart.core import schema as sch
from kansenkaart.core.address import normalise_house_number, normalise_postcode
from kansenkaart.core.errors import DataError, Problem, masked_problems
from kansenkaart.io.bag import among, normalise_bag_id
from kansenkaart.io.readers import (
    _check_size,
    _safe_extract,
    decode_text,
    read_csv_text,
    read_table,
)

EP_ONLINE = sch.Schema(
    "ep_online",
    "EP-online-labels",
    (
        sch.Column(
            "BAGVerblijfsobjectID",
            "text",
            "BAG-verblijfsobject-id",
            aliases=("Pand_bagverblijfsobjectid",),
        ),
        sch.Column(
            "BAGPandIDs",
            "text",
            "BAG-pand-id's",
            aliases=("BAGPandID", "Pand_bagpandid"),
        ),
        sch.Column("Postcode", "text", "postcode", aliases=("Pand_postcode",)),
        sch.Column("Huisnummer", "text", "huisnummer", aliases=("Pand_huisnummer",)),
        sch.Column("Huisletter", "text", "huisletter", aliases=("Pand_huisletter",)),
        sch.Column(
            "Huisnummertoevoeging",
            "text",
            "toevoeging",
            aliases=("Pand_huisnummer_toev", "Pand_huisnummertoevoeging"),
        ),
        sch.Column(
            "Registratiedatum",
            "text",
            "registratiedatum",
            required=True,
            aliases=("Pand_registratiedatum",),
        ),
        sch.Column(
            "Energieklasse",
            "text",
            "energieklasse",
            required=True,
            aliases=("Pand_energieklasse",),
        ),
        sch.Column(
            "GeldigTot",
            "text",
            "geldig tot",
            aliases=("Geldig_tot", "Meting_geldig_tot", "Pand_geldig_tot"),
        ),
        sch.Column(
            "Gebouwklasse", "text", "gebouwklasse", aliases=("Pand_gebouwklasse",)
        ),
    ),
)
_HEADER_WORDS = ("registratiedatum", "energieklasse")
_PREAMBLE_SCAN = 10
_DATE_FORMATS = ("%Y%m%d", "%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y")
_LABEL_RANK = {label: rank for rank, label in enumerate(sch.ENERGY_LABELS)}
"""A+++++ = 0 ... G = 11: a higher rank is a worse label."""
VALID_YEARS = 10
"""Validity of an energy label without a ``GeldigTot`` date (years after
registration; RVO: "maximaal 10 jaar geldig")."""
PAND_RULE = (
    "Per verblijfsobject telt de nieuwste registratie die op de peildatum nog "
    "geldig is (niet verlopen: 'GeldigTot', anders registratiedatum + 10 jaar). "
    "Een pand krijgt het slechtste geldige label van zijn verblijfsobjecten: de "
    "labelplicht (label C voor kantoren) en de energiebesparingsplicht gelden "
    "per gebruiker en object, dus één object onder C maakt het pand een kans."
)
"""The rule of :func:`labels_per_pand`, as the import report states it."""


@dataclass(frozen=True)
class EpOnline:
    """Label registrations as read (not yet reduced to the newest).

    Attributes
    ----------
    labels : DataFrame
        ``vbo_id``, ``pand_ids`` (comma-separated 16-digit ids), ``postcode``
        (``1234AB``), ``house_number`` (``12A``), ``registered`` (datetime),
        ``energy_label`` (A+++++ ... G), ``valid_until`` (datetime: GeldigTot,
        else registration + :data:`VALID_YEARS`), ``building_class`` (W/U),
        ``row`` (line in the file).
    file : str
        Name of the file read (the CSV inside a zip is named after it).
    notes : tuple of str
        Dutch sentences on what was read.
    problems : tuple of Problem
        Skipped rows with row, column and fix.
    """

    labels: pd.DataFrame
    file: str
    notes: tuple[str, ...]
    problems: tuple[Problem, ...]


def preamble_lines(text: str) -> int:
    """Number of lines before the header (the line naming the date and label).

    Zero when no such line is found in the first lines; the header check of
    the schema then names the missing columns.
    """
    for number, line in enumerate(text[:20_000].splitlines()[:_PREAMBLE_SCAN]):
        plain = re.sub(r"[^a-z]", "", line.lower())
        if all(word in plain for word in _HEADER_WORDS):
            return number
    return 0


def parse_dates(text: pd.Series) -> pd.Series:
    """Dates written ``20230514``, ``2023-05-14``, ``14-05-2023`` or ``14/05/2023``.

    A time after the date is ignored; anything else gives NaT.
    """
    day = text.astype("string").str.strip().str[:10]
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    for fmt in _DATE_FORMATS:
        missing = (out.isna() & day.notna()).to_numpy()
        if not missing.any():
            break
        out[missing] = pd.to_datetime(day[missing], format=fmt, errors="coerce")
    return out


def _csv_text(path: Path) -> tuple[str, str]:
    """Text of the CSV (inside a zip or not) and the name to report it by."""
    _check_size(path)
    if path.suffix.lower() != ".zip":
        return decode_text(path.read_bytes(), path.name), path.name
    try:
        archive = zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise DataError.single(
            path.name,
            "dit is geen geldig zipbestand.",
            "download het EP-online-bestand opnieuw.",
        ) from exc
    with archive, tempfile.TemporaryDirectory(prefix="kansenkaart-ep-") as tmp:
        _safe_extract(archive, Path(tmp), path.name)
        members = sorted(
            (p for p in Path(tmp).rglob("*") if p.suffix.lower() in (".csv", ".txt")),
            key=lambda p: p.stat().st_size,
        )
        if not members:
            raise DataError.single(
                path.name,
                "het zipbestand bevat geen CSV-bestand.",
                "kies het EP-online-bestand 'csv' (niet 'xml').",
            )
        csv = members[-1]
        name = f"{path.name}/{csv.name}"
        return decode_text(csv.read_bytes(), name), name


def _pand_ids(values: pd.Series) -> pd.Series:
    """``BAGPandIDs`` ("id1, id2", "[id1,id2]" or one id) as comma-joined ids."""
    text = values.astype("string").str.replace(r"[\s\[\]{}\"']", "", regex=True)
    out = normalise_bag_id(text)
    several = text.str.contains(",", regex=False).fillna(False).to_numpy()
    if several.any():
        ids = normalise_bag_id(text[several].str.split(",").explode()).dropna()
        out[several] = ids.groupby(level=0).agg(",".join).reindex(text.index[several])
    return out


def _xlsx_table(path: Path) -> tuple[pd.DataFrame, int]:
    """The EP-online XLSX as text columns, and the rows above its header.

    The header is the first row naming the registration date and the label
    (:func:`preamble_lines`); rows above it (title, peildatum) are skipped.
    """
    raw = read_table(path)
    header = [str(c) for c in raw.columns]
    lines = [";".join(header)] + [
        ";".join(raw.iloc[i].fillna("").astype(str)) for i in range(min(9, len(raw)))
    ]
    skip = preamble_lines("\n".join(lines))
    if skip == 0:
        return raw, 0
    table = raw.iloc[skip:].reset_index(drop=True)
    table.columns = [str(c).strip() for c in raw.iloc[skip - 1].fillna("")]
    return table, int(raw.index[skip - 1]) + 1  # empty rows were dropped


def valid_on(labels: pd.DataFrame, reference: date) -> pd.Series:
    """Registrations that are valid on ``reference``: registered, not expired."""
    day = pd.Timestamp(reference)
    return (labels["registered"] <= day) & (labels["valid_until"] >= day)


def read_ep_online(path: Path) -> EpOnline:
    """Read an EP-online export (CSV or ZIP with CSV), current or older format.

    Rows with an unknown energy class, an unreadable date or no object
    reference are skipped and reported; they do not stop the import.

    Parameters
    ----------
    path : Path
        ``.csv``, ``.zip`` (with the CSV) or ``.xlsx``.

    Returns
    -------
    EpOnline

    Raises
    ------
    DataError
        Unreadable or empty file, or no Registratiedatum/Energieklasse column.
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        raw, skip = _xlsx_table(path)
        name = path.name
    else:
        text, name = _csv_text(path)
        skip = preamble_lines(text)
        raw = read_csv_text(text, name, skip_lines=skip)
        del text
    table = sch.validate(raw, EP_ONLINE, name, row_offset=skip + 2)
    registered = parse_dates(table["Registratiedatum"])
    rows = np.arange(len(table)) + skip + 2
    number = (
        table["Huisnummer"].fillna("")
        + table["Huisletter"].fillna("")
        + ("-" + table["Huisnummertoevoeging"]).fillna("")
    )
    labels = pd.DataFrame(
        {
            "vbo_id": normalise_bag_id(table["BAGVerblijfsobjectID"]),
            "pand_ids": _pand_ids(table["BAGPandIDs"]),
            "postcode": normalise_postcode(table["Postcode"]),
            "house_number": normalise_house_number(number.replace("", pd.NA)),
            "registered": registered,
            "energy_label": table["Energieklasse"].str.strip().str.upper(),
            "valid_until": parse_dates(table["GeldigTot"]).fillna(
                registered + pd.DateOffset(years=VALID_YEARS)
            ),
            "building_class": table["Gebouwklasse"],
            "row": rows,
        }
    )
    checks = (
        (
            ~labels["energy_label"].isin(sch.ENERGY_LABELS).fillna(False),
            "Energieklasse",
            "'{value}' is geen energieklasse (A+++++ t/m G); rij overgeslagen.",
            "controleer de kolom Energieklasse.",
            table["Energieklasse"],
        ),
        (
            labels["registered"].isna(),
            "Registratiedatum",
            "'{value}' is geen datum; rij overgeslagen.",
            "schrijf de datum als JJJJMMDD of JJJJ-MM-DD.",
            table["Registratiedatum"],
        ),
        (
            labels["vbo_id"].isna()
            & (labels["postcode"].isna() | labels["house_number"].isna())
            & labels["pand_ids"].isna(),
            "BAGVerblijfsobjectID",
            "geen verblijfsobject-id, adres of pand-id; rij overgeslagen.",
            "vul BAGVerblijfsobjectID of postcode en huisnummer in.",
            table["BAGVerblijfsobjectID"],
        ),
    )
    problems: list[Problem] = []
    skipped = pd.Series(False, index=labels.index)
    for bad, column, message, fix, values in checks:
        bad = bad.to_numpy(dtype=bool) & ~skipped.to_numpy()
        problems += masked_problems(name, bad, rows, values, column, message, fix)
        skipped |= bad
    notes = [
        f"Labelregistraties gelezen: {len(labels)}"
        + (f" (na {skip} inleidende regels)" if skip else "")
        + (
            f"; onbruikbaar en overgeslagen: {int(skipped.sum())}."
            if skipped.any()
            else "."
        )
    ]
    return EpOnline(
        labels[~skipped.to_numpy()].reset_index(drop=True),
        name,
        tuple(notes),
        tuple(problems),
    )


def newest_labels(labels: pd.DataFrame, key: pd.Series) -> pd.DataFrame:
    """The newest registration per object, by Registratiedatum.

    Parameters
    ----------
    labels : DataFrame
        With a ``registered`` column; not modified.
    key : Series
        Object key per row (same index); rows with a missing key are dropped.

    Returns
    -------
    DataFrame
        One row per key with the latest ``registered`` (ties: the row further
        down the file, i.e. registered later), and the key in column ``key``.
    """
    keyed = labels.assign(key=key).dropna(subset=["key"])
    ordered = keyed.sort_values(["key", "registered"], kind="stable")
    return ordered.drop_duplicates("key", keep="last").reset_index(drop=True)


def labels_per_pand(
    labels: pd.DataFrame,
    vbo: pd.DataFrame,
    pand_ids: pd.Series,
    *,
    reference_date: date,
) -> tuple[pd.DataFrame, int]:
    """Energy label of each pand: the worst valid label of its objects.

    Registrations not valid on ``reference_date`` (:func:`valid_on`: expired
    or registered later) are left out. Each registration is tied to a
    verblijfsobject by its BAG id, else by postcode + house number, else to
    the panden in ``BAGPandIDs``; then the newest registration per object
    counts (:func:`newest_labels`). A pand shows the worst of its objects'
    labels (ties: the newest registration), not that of its largest object:
    the label-C obligation for offices (Bbl) and the energiebesparingsplicht
    fall on each user and object, so one office unit below C is a task for
    the pand even when a larger unit has label A (:data:`PAND_RULE`).

    Parameters
    ----------
    labels : DataFrame
        ``EpOnline.labels``.
    vbo : DataFrame
        ``Bag.vbo`` (``vbo_id``, ``pand_id``, ``postcode``, ``number_key``).
    pand_ids : Series
        Panden of the terrain; labels of other panden are left out.
    reference_date : date
        Peildatum: only labels valid on this day count.

    Returns
    -------
    DataFrame
        ``pand_id``, ``energy_label``, ``energy_label_date`` (registration
        date of that label).
    int
        Number of objects on the terrain with a label.
    """
    labels = labels[valid_on(labels, reference_date).to_numpy()]
    objects = vbo.drop_duplicates("vbo_id")
    known_vbo = labels["vbo_id"].where(among(labels["vbo_id"], objects["vbo_id"]))
    by_address = pd.Series(
        objects["vbo_id"].to_numpy(),
        index=(objects["postcode"] + "|" + objects["number_key"]).to_numpy(),
    )
    by_address = by_address[by_address.index.notna() & ~by_address.index.duplicated()]
    address = labels["postcode"] + "|" + labels["house_number"]
    vbo_key = known_vbo.fillna(address.map(by_address))
    key = ("vbo:" + vbo_key).fillna("pand:" + labels["pand_ids"])
    newest = newest_labels(labels, key)
    via_vbo = newest[newest["key"].str.startswith("vbo:")]
    linked_vbo = via_vbo.assign(vbo_id=via_vbo["key"].str[4:]).merge(
        vbo[["vbo_id", "pand_id"]], on="vbo_id"
    )
    via_pand = newest[newest["key"].str.startswith("pand:")]
    linked_pand = via_pand.assign(
        pand_id=via_pand["key"].str[5:].str.split(",")
    ).explode("pand_id")
    linked = pd.concat([linked_vbo, linked_pand], ignore_index=True)
    linked = linked[among(linked["pand_id"], pand_ids)]
    linked["rank"] = linked["energy_label"].map(_LABEL_RANK)
    worst = linked.sort_values(["pand_id", "rank", "registered"], kind="stable")
    worst = worst.drop_duplicates("pand_id", keep="last")
    out = pd.DataFrame(
        {
            "pand_id": worst["pand_id"].astype("string").to_numpy(),
            "energy_label": worst["energy_label"].astype("string").to_numpy(),
            "energy_label_date": worst["registered"].to_numpy(),
        }
    )
    return out, int(linked["key"].nunique())
