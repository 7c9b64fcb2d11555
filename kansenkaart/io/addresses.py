"""The gemeente's adressenlijst, linked to the BAG panden of the terrain.

:func:`read_addresses` reads the list (XLSX or CSV, Dutch headers, schema
:data:`ADDRESSES`), :func:`link_to_panden` links each row to the panden on
the terrain (address -> verblijfsobject -> pand, or the row's own BAG id) and
:func:`build_buildings` makes one building per pand (schema BUILDINGS) from
those links, the EP-online labels and the kleinverbruik estimates.
:func:`kansenkaart.io.importer.import_terrain` runs them in order and reports
the result.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from kansenkaart.core import schema as sch
from kansenkaart.core import texts
from kansenkaart.core.errors import DataError, Problem
from kansenkaart.io.bag import (
    MATCH_FIXES,
    Bag,
    among,
    match_addresses,
    normalise_bag_id,
    split_address,
)
from kansenkaart.io.kleinverbruik import BASIS
from kansenkaart.io.readers import read_table

ADDRESSES = sch.Schema(
    "adressenlijst",
    "adressenlijst",
    (
        sch.Column(
            "company",
            "text",
            "bedrijf",
            aliases=(
                "bedrijf",
                "bedrijfsnaam",
                "naam",
                "handelsnaam",
                "onderneming",
                "organisatie",
                "naam_onderneming",
            ),
        ),
        sch.Column(
            "address",
            "text",
            "adres",
            aliases=("adres", "bezoekadres", "vestigingsadres", "straat_huisnummer"),
        ),
        sch.Column("street", "text", "straat", aliases=("straat", "straatnaam")),
        sch.Column(
            "house_number", "text", "huisnummer", aliases=("huisnummer", "huisnr", "nr")
        ),
        sch.Column("house_letter", "text", "huisletter", aliases=("huisletter",)),
        sch.Column(
            "addition",
            "text",
            "toevoeging",
            aliases=("toevoeging", "huisnummertoevoeging"),
        ),
        sch.Column(
            "postcode", "text", "postcode", aliases=("pc", "postcode_vestiging")
        ),
        sch.Column(
            "town",
            "text",
            "plaats",
            aliases=("plaats", "woonplaats", "vestigingsplaats"),
        ),
        sch.Column(
            "kvk_number",
            "text",
            "KvK-nummer",
            aliases=("kvk", "kvknummer", "kvk_nummer"),
        ),
        sch.Column("sbi_code", "text", "SBI-code", aliases=("sbi", "sbicode")),
        sch.Column("sector", "text", "sector", aliases=("branche", "activiteit")),
        sch.Column(
            "building_id", "text", "BAG-pand-id", aliases=("pand_id", "bag_pand_id")
        ),
        sch.Column(
            "vbo_id",
            "text",
            "BAG-verblijfsobject-id",
            aliases=(
                "verblijfsobject_id",
                "verblijfsobjectid",
                "adresseerbaarobject_id",
            ),
        ),
    ),
)
_SEP = "; "


def _digits_id(values: pd.Series, width: int) -> pd.Series:
    """Numbers Excel shortened (leading zeros, ``.0``) back to ``width`` digits."""
    text = values.astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    digits = text.str.fullmatch(rf"\d{{1,{width}}}").fillna(False)
    return text.mask(digits, text.str.zfill(width))


def _missing_column(file: str, columns: Sequence[str], wanted: str) -> Problem:
    """A Dutch problem for a missing column, suggesting a similar header."""
    close = difflib.get_close_matches(wanted, [str(c).lower() for c in columns], 1, 0.6)
    fix = (
        f"hernoem kolom '{close[0]}' naar '{wanted}'."
        if close
        else f"voeg een kolom '{wanted}' toe."
    )
    return Problem(file, f"de kolom '{wanted}' ontbreekt.", fix, column=wanted)


def read_addresses(
    path: Path,
) -> tuple[pd.DataFrame, pd.DataFrame, list[str], list[Problem]]:
    """Read the gemeente's adressenlijst (XLSX or CSV).

    Accepted columns (Dutch headers, case-insensitive): bedrijf(snaam),
    adres ("Industrieweg 12A, 9301 ZZ Roden") or straat + huisnummer (+
    huisletter, toevoeging) and/or postcode, plaats, KvK, SBI, branche, and
    optionally BAG pand- or verblijfsobject-id.

    Returns
    -------
    table : DataFrame
        Canonical columns (``company``, ``street``, ``house_number`` with
        letter/addition, ``postcode``, ``town``, ``kvk_number``, ``sbi_code``,
        ``sector``, ``building_id``, ``vbo_id``) plus ``row`` (row in the
        file); exact duplicate rows removed.
    raw : DataFrame
        The rows as in the file (same order as ``table``), for the download
        of unmatched rows.
    notes : list of str
    problems : list of Problem

    Raises
    ------
    DataError
        Unreadable or empty file, no company column, or no address columns.
    """
    path = Path(path)
    raw = read_table(path)
    rows = raw.index.to_numpy() + 2
    table = sch.validate(raw, ADDRESSES, path.name)
    mapped = set(sch.match_columns(list(raw.columns), ADDRESSES).values())
    fatal = []
    if "company" not in mapped:
        fatal.append(_missing_column(path.name, raw.columns, "bedrijf"))
    if not mapped & {"address", "house_number", "vbo_id", "building_id"}:
        fatal.append(
            Problem(
                path.name,
                "er is geen adres: geen kolom 'adres' en geen 'huisnummer'.",
                "voeg de kolommen 'postcode' en 'huisnummer' toe (of 'adres' met "
                "straat en huisnummer).",
            )
        )
    if fatal:
        raise DataError(fatal)
    parsed = split_address(table["address"])
    number = (
        table["house_number"].fillna("")
        + table["house_letter"].fillna("")
        + ("-" + table["addition"]).fillna("")
    ).replace("", pd.NA)
    out = pd.DataFrame(
        {
            "company": table["company"].str.strip().replace("", pd.NA),
            "street": table["street"].fillna(parsed["street"]),
            "house_number": number.fillna(parsed["house_number"]),
            "postcode": table["postcode"].fillna(parsed["postcode"]),
            "town": table["town"].fillna(parsed["town"]),
            "kvk_number": _digits_id(table["kvk_number"], 8),
            "sbi_code": table["sbi_code"].str.strip(),
            "sector": table["sector"].str.strip(),
            "building_id": normalise_bag_id(table["building_id"]),
            "vbo_id": normalise_bag_id(table["vbo_id"]),
            "row": rows,
        }
    )
    problems = [
        Problem(
            path.name,
            "de bedrijfsnaam ontbreekt; het adres is wel gekoppeld.",
            "vul de naam van het bedrijf in.",
            int(row),
            "bedrijf",
        )
        for row in out.loc[out["company"].isna(), "row"].head(5)
    ]
    key_cols = ["company", "street", "house_number", "postcode", "town", "vbo_id"]
    dup = out[key_cols].apply(lambda c: c.str.lower()).duplicated().to_numpy()
    problems += [
        Problem(
            path.name,
            "deze rij staat er dubbel in (zelfde bedrijf en adres); één keer "
            "meegenomen.",
            "verwijder de dubbele rij.",
            int(row),
        )
        for row in out.loc[dup, "row"].head(5)
    ]
    notes = [
        f"Rijen gelezen: {len(out)}"
        + (f", waarvan dubbel: {int(dup.sum())}." if dup.any() else ".")
    ]
    return (
        out[~dup].reset_index(drop=True),
        raw[~dup].reset_index(drop=True),
        notes,
        problems,
    )


OUTSIDE = "het pand ligt buiten de terreingrens"
UNKNOWN_ID = "BAG-id niet gevonden in het BAG-bestand"
_FIXES = {
    **MATCH_FIXES,
    OUTSIDE: "controleer of het bedrijf op het terrein zit; anders de "
    "terreingrens ruimer maken.",
    UNKNOWN_ID: "controleer de BAG-id of laat de kolom leeg; dan wordt op adres "
    "gekoppeld.",
}


def link_to_panden(table: pd.DataFrame, bag: Bag) -> pd.DataFrame:
    """Link address rows to the panden of the terrain: address → object → pand.

    A row's own BAG pand id or verblijfsobject id is used first; otherwise
    :func:`kansenkaart.io.bag.match_addresses`. An object in several panden
    links the row to each of them.

    Parameters
    ----------
    table : DataFrame
        With ``postcode``, ``house_number`` and optionally ``street``,
        ``town``, ``vbo_id``, ``building_id``; not modified.
    bag : Bag

    Returns
    -------
    DataFrame
        One row per (input row, pand on the terrain): ``pos`` (position in
        ``table``), ``pand_id``, ``vbo_id``, ``method``; plus rows with NA
        ``pand_id`` and a Dutch ``reason`` for input rows that did not link.
    """
    pos = pd.Series(np.arange(len(table)), index=table.index)
    none = pd.Series(pd.NA, index=table.index, dtype="string")
    found = match_addresses(
        bag.vbo,
        table["postcode"],
        table["house_number"],
        table.get("street", none),
        table.get("town", none),
    )
    own_vbo = table.get("vbo_id", none)
    known_vbo = among(own_vbo, bag.vbo["vbo_id"]).to_numpy()
    found.loc[known_vbo, "vbo_id"] = own_vbo[known_vbo]
    found.loc[known_vbo, "method"] = "BAG-verblijfsobject-id"
    found.loc[known_vbo, "reason"] = pd.NA
    pairs = found.assign(pos=pos).merge(
        bag.vbo[["vbo_id", "pand_id", "in_terrain"]], on="vbo_id", how="left"
    )
    pairs["pand_id"] = pairs["pand_id"].where(
        pairs["in_terrain"].fillna(False).astype(bool)
    )
    own_pand = table.get("building_id", none)
    direct = among(own_pand, bag.panden["pand_id"]).to_numpy()
    direct_rows = pd.DataFrame(
        {
            "pos": pos[direct].to_numpy(),
            "pand_id": own_pand[direct].to_numpy(),
            "vbo_id": pd.NA,
            "method": "BAG-pand-id",
        }
    )
    pairs = pairs[~np.isin(pairs["pos"], direct_rows["pos"])]
    linked = pairs.dropna(subset=["pand_id"]).drop_duplicates(["pos", "pand_id"])
    open_pos = ~pairs["pos"].isin(linked["pos"])
    unlinked = pairs[open_pos].drop_duplicates("pos").assign(pand_id=pd.NA)
    outside = unlinked["vbo_id"].notna() & unlinked["reason"].isna()
    unlinked.loc[outside.to_numpy(), "reason"] = OUTSIDE
    bad_id = (own_vbo.notna() & ~among(own_vbo, bag.vbo["vbo_id"])) | (
        own_pand.notna() & ~among(own_pand, bag.panden["pand_id"])
    )
    bad_pos = pos[bad_id.to_numpy()]
    unlinked.loc[unlinked["pos"].isin(bad_pos).to_numpy(), "reason"] = UNKNOWN_ID
    columns = ["pos", "pand_id", "vbo_id", "method", "reason"]
    return pd.concat(
        [
            linked.reindex(columns=columns),
            direct_rows.reindex(columns=columns),
            unlinked[columns],
        ],
        ignore_index=True,
    ).sort_values("pos", kind="stable", ignore_index=True)


def unmatched_rows(
    raw: pd.DataFrame, table: pd.DataFrame, links: pd.DataFrame
) -> pd.DataFrame:
    """Unlinked rows as in the file, with row number, reason and fix (Dutch)."""
    open_rows = links[links["pand_id"].isna()]
    positions = open_rows["pos"].to_numpy(dtype=int)
    out = raw.iloc[positions].reset_index(drop=True)
    out.insert(0, "rij", table["row"].to_numpy()[positions], allow_duplicates=True)
    out["reden"] = open_rows["reason"].to_numpy()
    out["oplossing"] = open_rows["reason"].map(_FIXES).to_numpy()
    return out


# --- buildings ------------------------------------------------------------------


def _joined(keys: pd.Series, values: pd.Series, sep: str = _SEP) -> pd.Series:
    """Distinct non-empty texts per key, in order of appearance, joined by ``sep``.

    Keys without any text are absent from the result.
    """
    frame = pd.DataFrame(
        {
            "key": keys.to_numpy(),
            "value": values.astype("string").str.strip().to_numpy(),
        }
    )
    frame = frame[frame["value"].fillna("") != ""].drop_duplicates()
    # A stable sort on the key keeps the texts of a key in file order.
    frame = frame.sort_values("key", kind="stable")
    keys = frame["key"].to_numpy(dtype=object)
    values = frame["value"].to_numpy(dtype=object)
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    starts = np.flatnonzero(first)
    ends = np.r_[starts[1:], len(keys)][: len(starts)]
    joined = [sep.join(values[a:b]) for a, b in zip(starts, ends, strict=True)]
    return pd.Series(joined, index=keys[starts], dtype="string")


def _building_uses(vbo: pd.DataFrame) -> pd.DataFrame:
    """Per pand: BAG gebruiksdoelen, floor area and office area of its objects.

    An object in *k* panden counts for 1/*k* of its area in each. The office
    area is the area of objects whose only gebruiksdoel is
    ``kantoorfunctie``; it is unknown (NA) for a pand with an object that
    mixes kantoorfunctie with another function, since BAG does not split
    that object's area.
    """
    share = 1 / vbo.groupby("vbo_id")["pand_id"].transform("size")
    use = vbo["building_use"].fillna("")
    only_office = (use == "kantoorfunctie").to_numpy()
    mixed = use.str.contains("kantoorfunctie") & use.str.contains(",")
    area = vbo["floor_area_m2"].astype("Float64") * share
    frame = pd.DataFrame(
        {
            "pand_id": vbo["pand_id"],
            "area": area,
            "office": area.where(only_office, 0.0),
            "mixed": mixed,
        }
    )
    groups = frame.groupby("pand_id")
    per = pd.DataFrame(
        {
            "floor_area_m2": groups["area"].sum(min_count=1),
            "office_area_m2": groups["office"].sum(),
            "n_addresses": groups.size(),
        }
    )
    per["office_area_m2"] = per["office_area_m2"].mask(groups["mixed"].any())
    per["building_use"] = _uses_by_area(vbo["pand_id"], use, area)
    return per.round({"floor_area_m2": 1, "office_area_m2": 1})


def _uses_by_area(pand_id: pd.Series, use: pd.Series, area: pd.Series) -> pd.Series:
    """Per pand all gebruiksdoelen as published, the largest by area first.

    An object with *n* gebruiksdoelen counts for 1/*n* of its area in each,
    since BAG does not split an object's area by use; the pand's main use
    (listed first, which :func:`kansenkaart.engine.energy.demand_category`
    reads) is the one with the largest summed area; ties and unknown areas
    go alphabetically.
    """
    uses = use.str.split(",")
    frame = pd.DataFrame(
        {
            "pand_id": pand_id.to_numpy(),
            "use": uses.to_numpy(),
            "area": (area.fillna(0.0) / uses.str.len()).to_numpy(),
        }
    ).explode("use")
    frame["use"] = frame["use"].astype("string").str.strip()
    frame = frame[frame["use"].fillna("") != ""]
    summed = frame.groupby(["pand_id", "use"], as_index=False)["area"].sum()
    summed = summed.sort_values(
        ["pand_id", "area", "use"], ascending=[True, False, True], kind="stable"
    )
    return _joined(summed["pand_id"], summed["use"], sep=",")


def build_buildings(
    bag: Bag,
    companies: pd.DataFrame,
    links: pd.DataFrame,
    labels: pd.DataFrame | None = None,
    use: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """One row per pand on the terrain (schema BUILDINGS).

    Parameters
    ----------
    bag : Bag
    companies : DataFrame
        Address list rows (:func:`read_addresses`).
    links : DataFrame
        :func:`link_to_panden` of ``companies``.
    labels : DataFrame, optional
        :func:`kansenkaart.io.eponline.labels_per_pand`.
    use : DataFrame, optional
        :func:`kansenkaart.io.kleinverbruik.apportion`.

    Returns
    -------
    GeoDataFrame
        Validated against schema BUILDINGS, EPSG:28992. Several companies in
        one pand are joined with "; " in ``company`` (``n_companies`` counts
        them); a pand without a company from the list keeps ``company`` NA
        ("onbekend") and its BAG address. Postcode averages from kleinverbruik
        fill ``elec_kwh_yr``/``gas_m3_yr`` with source ``geschat``.
    """
    vbo = bag.vbo[bag.vbo["in_terrain"]]
    panden = bag.panden.set_index("pand_id")
    linked = links.dropna(subset=["pand_id"])
    rows = companies.iloc[linked["pos"].to_numpy(dtype=int)].reset_index(drop=True)
    objects = vbo.drop_duplicates("vbo_id").set_index("vbo_id")
    rows = rows.assign(
        pand_id=linked["pand_id"].to_numpy(),
        bag_address=linked["vbo_id"].map(objects["address"]).to_numpy(),
        bag_postcode=linked["vbo_id"].map(objects["postcode"]).to_numpy(),
        bag_number=linked["vbo_id"].map(objects["house_number"]).to_numpy(),
    )
    groups = rows.groupby("pand_id")
    per_company = pd.DataFrame(
        {
            "n_companies": groups["row"].nunique(),
            "postcode": groups["bag_postcode"].first(),
            "house_number": groups["bag_number"].first(),
        }
    )
    for column, source in (
        ("company", "company"),
        ("kvk_number", "kvk_number"),
        ("sbi_code", "sbi_code"),
        ("sector", "sector"),
        ("address", "bag_address"),
    ):
        per_company[column] = _joined(rows["pand_id"], rows[source])
    first_vbo = (
        vbo.sort_values(["postcode", "house_number"])
        .groupby("pand_id")
        .agg(
            address=("address", "first"),
            postcode=("postcode", "first"),
            house_number=("house_number", "first"),
        )
    )
    uses = _building_uses(vbo)
    out = pd.DataFrame(index=panden.index)
    out = out.join(per_company).join(uses)
    for column in ("address", "postcode", "house_number"):
        out[column] = out[column].fillna(first_vbo[column])
    out["building_use"] = out["building_use"].fillna(panden["pand_use"])
    out["n_companies"] = out["n_companies"].fillna(0).astype(int)
    out["n_addresses"] = out["n_addresses"].fillna(0).astype(int)
    out["construction_year"] = panden["construction_year"]
    out["footprint_m2"] = panden["footprint_m2"]
    if labels is not None:
        by_pand = labels.set_index("pand_id")
        out["energy_label"] = by_pand["energy_label"]
        out["energy_label_date"] = by_pand["energy_label_date"].dt.strftime("%Y-%m-%d")
    if use is not None:
        by_pand = use.set_index("pand_id")
        for column, source in (
            ("elec_kwh_yr", "elec_source"),
            ("gas_m3_yr", "gas_source"),
        ):
            out[column] = by_pand[column]
            out[source] = pd.Series(texts.ESTIMATED, index=out.index).where(
                out[column].notna()
            )
        estimated = out["elec_kwh_yr"].notna() | out["gas_m3_yr"].notna()
        out["consumption_basis"] = pd.Series(BASIS, index=out.index).where(estimated)
    table = out.reset_index(names="building_id").assign(
        geometry=panden.geometry.to_numpy()
    )
    typed = sch.validate(table, sch.BUILDINGS, "buildings", row_offset=1)
    return gpd.GeoDataFrame(typed, geometry="geometry", crs=bag.panden.crs)
