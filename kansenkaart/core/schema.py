"""Explicit schemas of the terrain tables (DESIGN.md section 4) and their validation.

A :class:`Schema` lists every known column with its dtype, unit, whether it is
required and which values are allowed. :func:`validate` turns a raw table (all
text, as read from CSV/XLSX/GeoJSON) into typed columns and collects every
problem as a Dutch :class:`~kansenkaart.core.errors.Problem`; it raises one
:class:`~kansenkaart.core.errors.DataError` listing them all, so a user can fix a file
in one go instead of one error per upload.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kansenkaart.core import texts
from kansenkaart.core.errors import DataError, Problem, listed_problems

ENERGY_LABELS = (
    "A+++++",
    "A++++",
    "A+++",
    "A++",
    "A+",
    "A",
    "B",
    "C",
    "D",
    "E",
    "F",
    "G",
)
OWNERSHIP = ("eigenaar-gebruiker", "huurder", "belegger", texts.UNKNOWN)
ROOF_TYPES = ("flat", "pitched")
GRID_CONNECTIONS = ("kleinverbruik", "grootverbruik")
DATA_SOURCES = texts.BASES
SOURCE_KINDS = (
    "rwzi",
    "luchthaven",
    "restwarmte",
    "biogas",
    "zonneveld",
    "windpark",
    "overig",
)
INFRA_TYPES = ("elektriciteit", "waterstof", "warmte", "groen gas")
PHASES = ("verkenning", "planuitwerking", "project", "realisatie")
CLUSTERS = ("A", "B", "C", "D")
INTEREST = (texts.YES, texts.MAYBE, texts.NO)
# Measures the survey asks about; ids are those of the measure catalogue.
SURVEY_MEASURES = (
    "zon_eigen_dak",
    "led",
    "isolatie",
    "warmtepomp",
    "collectieve_inkoop_zon",
    "energiecooperatie",
    "energy_hub",
    "collectieve_batterij",
    "warmtenet_rwzi",
)

_TRUE = {texts.YES, "j", "yes", "y", "true", "waar", "1", "x"}
_FALSE = {texts.NO, "n", "no", "false", "onwaar", "0"}


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Parameters
    ----------
    name : str
        Canonical (English) column name.
    dtype : {"id", "text", "int", "float", "category", "bool", "date"}
        Kind of value; ``id`` is text that keeps leading zeros.
    label : str
        Dutch label for users (tables, messages).
    unit : str
        Unit of the value, empty when it has none.
    required : bool
        The table is refused when the column is missing.
    allowed : tuple of str
        Allowed values for ``category`` columns (canonical spelling).
    min, max : float or None
        Inclusive range for numbers.
    aliases : tuple of str
        Other header names accepted for this column (case-insensitive), e.g.
        the Dutch names in a gemeente's spreadsheet.
    unique : bool
        Values must not repeat (key columns).
    value_aliases : dict
        Other spellings of allowed values (``plat`` -> ``flat``).
    year_end : bool
        For dates: a bare year means 31 December of that year (an upper
        bound such as "IBN 2031–2033"), not 1 January.
    """

    name: str
    dtype: str
    label: str
    unit: str = ""
    required: bool = False
    allowed: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    aliases: tuple[str, ...] = ()
    unique: bool = False
    value_aliases: dict[str, str] = field(default_factory=dict)
    year_end: bool = False


@dataclass(frozen=True)
class Schema:
    """A table: its name (also the file stem), columns and geometry kind.

    ``geometry`` is ``"polygon"``, ``"point"``, ``"any"`` or ``None`` for a
    table without geometry.
    """

    name: str
    label: str
    columns: tuple[Column, ...]
    geometry: str | None = None

    def column(self, name: str) -> Column:
        """The column called ``name``."""
        return next(c for c in self.columns if c.name == name)

    @property
    def required(self) -> tuple[str, ...]:
        """Names of the required columns."""
        return tuple(c.name for c in self.columns if c.required)


_PANDAS_DTYPES = {
    "id": "string",
    "text": "string",
    "category": "string",
    "int": "Int64",
    "float": "Float64",
    "bool": "boolean",
    "date": "datetime64[ns]",
}


def empty_column(column: Column, index: pd.Index) -> pd.Series:
    """An all-missing column of the right dtype."""
    if column.dtype == "date":
        return pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    return pd.Series(pd.NA, index=index, dtype=_PANDAS_DTYPES[column.dtype])


def parse_number(values: pd.Series) -> pd.Series:
    """Parse numbers written the Dutch or the English way.

    ``"1.234,5"`` and ``"1234,5"`` (decimal comma) and ``"1234.5"`` all give
    1234.5. A value with only dots is read as a decimal point, since thousands
    separators without a decimal comma are rare in exported data. Unparseable
    text becomes NaN; the caller reports it.
    """
    if pd.api.types.is_numeric_dtype(values):
        return values.astype("Float64")
    text = values.astype("string").str.strip().str.replace("\u00a0", "", regex=False)
    text = text.str.replace(" ", "", regex=False)
    both = text.str.contains(",", regex=False) & text.str.contains(".", regex=False)
    comma_last = text.str.rfind(",") > text.str.rfind(".")
    dutch = both & comma_last
    text = text.mask(dutch, text.str.replace(".", "", regex=False))
    text = text.mask(both & ~comma_last, text.str.replace(",", "", regex=False))
    text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").astype("Float64")


def _norm_header(name: str) -> str:
    return re.sub(r"[\s\-_./()]+", "", str(name).strip().lower())


def match_columns(columns: list[str], schema: Schema) -> dict[str, str]:
    """Map the file's headers to canonical names via names and aliases."""
    lookup = {}
    for col in schema.columns:
        for alias in (col.name, *col.aliases):
            lookup.setdefault(_norm_header(alias), col.name)
    mapping = {}
    for raw in columns:
        canonical = lookup.get(_norm_header(raw))
        if canonical and canonical not in mapping.values():
            mapping[raw] = canonical
    return mapping


def _suggest(missing: str, columns: list[str], schema: Schema) -> str:
    candidates = [str(c) for c in columns]
    names = [missing, *schema.column(missing).aliases]
    for name in names:
        close = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        if close:
            return f"hernoem kolom '{close[0]}' naar '{missing}'"
    return f"voeg een kolom '{missing}' toe"


def _row_problems(
    bad: np.ndarray,
    raw: pd.Series,
    col: Column,
    file: str,
    row_offset: int,
    message: str,
    fix: str,
) -> list[Problem]:
    """The bad rows of one column as problems (:func:`listed_problems`)."""
    positions = np.flatnonzero(bad)
    return listed_problems(
        file,
        positions + row_offset,
        (str(raw.iloc[pos])[:60] for pos in positions),
        col.name,
        message,
        fix,
    )


def _parse_column(
    raw: pd.Series, col: Column, file: str, row_offset: int
) -> tuple[pd.Series, list[Problem]]:
    problems: list[Problem] = []
    if col.dtype in ("int", "float") and pd.api.types.is_numeric_dtype(raw):
        # Numbers from GeoPackage/GeoJSON/Excel need no text round trip.
        present = raw.notna()
        values = raw.astype("Float64")
    elif col.dtype in ("int", "float"):
        present = raw.notna() & (raw.astype("string").str.strip() != "")
        values = parse_number(raw.astype("string").str.strip().where(present))
    else:
        present = raw.notna() & (raw.astype("string").str.strip() != "")
        text = raw.astype("string").str.strip().where(present)
    if col.dtype in ("int", "float"):
        bad = (present & values.isna()).to_numpy(dtype=bool)
        problems += _row_problems(
            bad,
            raw,
            col,
            file,
            row_offset,
            "'{value}' is geen getal.",
            f"vul een getal{f' (in {col.unit})' if col.unit else ''} in of laat "
            "de cel leeg als het onbekend is.",
        )
        out_of_range = pd.Series(False, index=values.index)
        if col.min is not None:
            out_of_range |= (values < col.min).fillna(False)
        if col.max is not None:
            out_of_range |= (values > col.max).fillna(False)
        problems += (
            _row_problems(
                out_of_range.to_numpy(dtype=bool),
                raw,
                col,
                file,
                row_offset,
                "waarde '{value}' ligt buiten het bereik "
                f"{col.min:g}–{col.max:g}{f' {col.unit}' if col.unit else ''}.",
                "controleer de eenheid en de waarde.",
            )
            if (col.min is not None and col.max is not None)
            else []
        )
        if col.dtype == "int":
            fractional = (values.round() != values).fillna(False).to_numpy(dtype=bool)
            problems += _row_problems(
                fractional,
                raw,
                col,
                file,
                row_offset,
                "'{value}' is geen geheel getal.",
                "vul een geheel getal in.",
            )
            values = values.round().astype("Int64")
        return values, problems
    if col.dtype == "bool":
        low = text.str.lower()
        values = pd.Series(pd.NA, index=raw.index, dtype="boolean")
        values[low.isin(_TRUE).fillna(False)] = True
        values[low.isin(_FALSE).fillna(False)] = False
        bad = (present & values.isna()).to_numpy(dtype=bool)
        problems += _row_problems(
            bad,
            raw,
            col,
            file,
            row_offset,
            "'{value}' is geen ja of nee.",
            "vul 'ja' of 'nee' in, of laat de cel leeg.",
        )
        return values, problems
    if col.dtype == "category":
        canonical = {a.lower(): a for a in col.allowed}
        canonical.update({k.lower(): v for k, v in col.value_aliases.items()})
        values = text.str.lower().map(canonical).astype("string")
        bad = (present & values.isna()).to_numpy(dtype=bool)
        problems += _row_problems(
            bad,
            raw,
            col,
            file,
            row_offset,
            "'{value}' is geen toegestane waarde.",
            f"kies uit: {', '.join(col.allowed)}.",
        )
        return values, problems
    if col.dtype == "date":
        values = _parse_dates(text, col.year_end)
        bad = (present & values.isna()).to_numpy(dtype=bool)
        problems += _row_problems(
            bad,
            raw,
            col,
            file,
            row_offset,
            "'{value}' is geen datum.",
            "schrijf de datum als JJJJ-MM-DD (bijvoorbeeld 2027-07-01) of DD-MM-JJJJ.",
        )
        return values, problems
    if col.dtype == "id":
        # Excel drops the leading zero of BAG ids (gemeentecode 0xxx): restore it.
        digits = text.str.fullmatch(r"\d{13,15}").fillna(False)
        text = text.mask(digits, text.str.zfill(16))
        text = text.str.replace(r"\.0$", "", regex=True)
    return text, problems


def _parse_dates(text: pd.Series, year_end: bool = False) -> pd.Series:
    iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    dutch = pd.to_datetime(text, format="%d-%m-%Y", errors="coerce")
    bare_year = text.where(text.str.fullmatch(r"\d{4}").fillna(False))
    year = pd.to_datetime(
        bare_year + ("-12-31" if year_end else "-01-01"),
        format="%Y-%m-%d",
        errors="coerce",
    )
    stamp = pd.to_datetime(text, format="ISO8601", errors="coerce")
    return iso.fillna(dutch).fillna(year).fillna(stamp).astype("datetime64[ns]")


def validate(
    raw: pd.DataFrame, schema: Schema, file: str, row_offset: int = 2
) -> pd.DataFrame:
    """Check and type a raw table against its schema.

    Parameters
    ----------
    raw : DataFrame
        Table as read (mostly text). Not modified.
    schema : Schema
        What the table must look like.
    file : str
        File name for messages.
    row_offset : int
        Number added to the 0-based position to get the row number users see
        (2 for a CSV/XLSX with a header line, 1 for GeoJSON features).

    Returns
    -------
    DataFrame
        Every schema column in canonical name and dtype (missing optional
        columns all NA), followed by unknown columns unchanged, and the
        ``geometry`` column when present.

    Raises
    ------
    DataError
        Missing required columns, unparseable or out-of-range values, values
        outside the allowed set, duplicate keys, or no rows at all.
    """
    if len(raw) == 0:
        raise DataError.single(
            file,
            f"de tabel '{schema.label}' bevat geen rijen.",
            "controleer of u het juiste bestand of tabblad hebt gekozen.",
        )
    columns = [c for c in raw.columns if c != "geometry"]
    mapping = match_columns(columns, schema)
    table = raw.rename(columns=mapping)
    missing = [name for name in schema.required if name not in table.columns]
    if missing:
        raise DataError(
            [
                Problem(
                    file,
                    f"de verplichte kolom '{name}' "
                    f"({schema.column(name).label}) ontbreekt.",
                    _suggest(name, [c for c in columns if c not in mapping], schema)
                    + ".",
                    column=name,
                )
                for name in missing
            ]
        )
    problems: list[Problem] = []
    out = {}
    for col in schema.columns:
        if col.name not in table.columns:
            out[col.name] = empty_column(col, table.index)
            continue
        values, found = _parse_column(table[col.name], col, file, row_offset)
        problems += found
        if col.required:
            empty = values.isna().to_numpy(dtype=bool) & ~np.isin(
                np.arange(len(values)), [p.row - row_offset for p in found if p.row]
            )
            problems += _row_problems(
                empty,
                table[col.name],
                col,
                file,
                row_offset,
                "de waarde ontbreekt.",
                f"vul '{col.name}' ({col.label}) in voor elke rij.",
            )
        if col.unique:
            dup = (values.duplicated(keep="first") & values.notna()).to_numpy(
                dtype=bool
            )
            problems += _row_problems(
                dup,
                table[col.name],
                col,
                file,
                row_offset,
                "'{value}' komt vaker voor; deze kolom moet uniek zijn.",
                "geef elke rij een eigen waarde of voeg dubbele rijen samen.",
            )
        out[col.name] = values
    if problems:
        raise DataError(problems)
    result = pd.DataFrame(out, index=table.index)
    extra = [c for c in table.columns if c not in result.columns and c != "geometry"]
    for name in extra:
        result[name] = table[name]
    if "geometry" in table.columns:
        result["geometry"] = table["geometry"]
    return result.reset_index(drop=True)


BUILDINGS = Schema(
    "buildings",
    "gebouwen",
    (
        Column(
            "building_id",
            "id",
            "BAG-pand-id",
            required=True,
            unique=True,
            aliases=("pand_id", "identificatie", "bag_id", "pandid", "bag_pand_id"),
        ),
        Column("address", "text", "adres", aliases=("adres", "straat_huisnummer")),
        Column("postcode", "text", "postcode"),
        Column("house_number", "text", "huisnummer", aliases=("huisnummer", "nr")),
        Column("company", "text", "bedrijf", aliases=("bedrijf", "bedrijfsnaam")),
        Column("sbi_code", "text", "SBI-code", aliases=("sbi", "sbicode")),
        Column("sector", "text", "sector", aliases=("branche",)),
        Column(
            "building_use",
            "text",
            "gebruiksdoel (BAG)",
            aliases=("gebruiksdoel", "gebruiksdoelen"),
        ),
        Column(
            "office_area_m2",
            "float",
            "kantooroppervlakte",
            "m²",
            min=0,
            max=1e6,
            aliases=("kantooroppervlakte", "kantoor_m2"),
        ),
        Column(
            "construction_year",
            "int",
            "bouwjaar",
            "jaar",
            min=1500,
            max=2035,
            aliases=("bouwjaar",),
        ),
        Column(
            "footprint_m2",
            "float",
            "dakoppervlak (footprint)",
            "m²",
            min=0,
            max=1e6,
            aliases=("footprint", "grondoppervlakte"),
        ),
        Column(
            "floor_area_m2",
            "float",
            "gebruiksoppervlakte",
            "m²",
            min=0,
            max=2e6,
            aliases=("oppervlakte", "gebruiksoppervlakte", "vloeroppervlakte"),
        ),
        Column("height_m", "float", "hoogte", "m", min=0, max=300, aliases=("hoogte",)),
        Column(
            "volume_m3", "float", "inhoud", "m³", min=0, max=1e8, aliases=("inhoud",)
        ),
        Column(
            "roof_type",
            "category",
            "daktype",
            allowed=ROOF_TYPES,
            aliases=("daktype", "dakvorm"),
            value_aliases={
                "plat": "flat",
                "schuin": "pitched",
                "hellend": "pitched",
                "zadeldak": "pitched",
            },
        ),
        Column(
            "roof_flat_m2",
            "float",
            "plat dakoppervlak (3D BAG)",
            "m²",
            min=0,
            max=1e6,
            aliases=("b3_opp_dak_plat", "opp_dak_plat", "area_roof_flat"),
        ),
        Column(
            "roof_sloped_m2",
            "float",
            "schuin dakoppervlak (3D BAG)",
            "m²",
            min=0,
            max=1e6,
            aliases=("b3_opp_dak_schuin", "opp_dak_schuin", "area_roof_sloped"),
        ),
        Column(
            "ownership",
            "category",
            "eigendom",
            allowed=OWNERSHIP,
            aliases=("eigendom", "eigenaar_huurder"),
            value_aliases={
                "eigenaar": "eigenaar-gebruiker",
                "eigenaar gebruiker": "eigenaar-gebruiker",
                "huur": "huurder",
                "investeerder": "belegger",
            },
        ),
        Column(
            "energy_label",
            "category",
            "energielabel",
            allowed=ENERGY_LABELS,
            aliases=("energielabel", "label", "energieklasse"),
        ),
        Column(
            "elec_kwh_yr",
            "float",
            "elektriciteitsverbruik",
            "kWh/jaar",
            min=0,
            max=1e9,
            aliases=("elektriciteit_kwh", "stroomverbruik_kwh"),
        ),
        Column(
            "elec_source",
            "category",
            "bron elektriciteitsverbruik",
            allowed=DATA_SOURCES,
            value_aliases={"enquete": texts.SURVEY},
        ),
        Column(
            "gas_m3_yr",
            "float",
            "gasverbruik",
            "m³/jaar",
            min=0,
            max=1e8,
            aliases=("gas_m3", "gasverbruik_m3"),
        ),
        Column(
            "gas_source",
            "category",
            "bron gasverbruik",
            allowed=DATA_SOURCES,
            value_aliases={"enquete": texts.SURVEY},
        ),
        Column(
            "pv_kwp_existing",
            "float",
            "bestaande zonnepanelen",
            "kWp",
            min=0,
            max=1e5,
            aliases=("pv_kwp", "zonnepanelen_kwp"),
        ),
        Column(
            "grid_connection",
            "category",
            "netaansluiting",
            allowed=GRID_CONNECTIONS,
            aliases=("aansluiting", "netaansluiting"),
        ),
        Column("is_monument", "bool", "monument", aliases=("monument",)),
    ),
    geometry="polygon",
)

_INTEREST_COLUMNS = tuple(
    Column(
        f"interest_{measure}",
        "category",
        f"interesse {measure.replace('_', ' ')}",
        allowed=INTEREST,
        value_aliases={"j": texts.YES, "n": texts.NO, "mogelijk": texts.MAYBE},
    )
    for measure in SURVEY_MEASURES
)

SURVEY = Schema(
    "survey",
    texts.SURVEY,
    (
        Column("building_id", "id", "BAG-pand-id", aliases=("pand_id", "bag_id")),
        Column("postcode", "text", "postcode"),
        Column("house_number", "text", "huisnummer", aliases=("huisnummer",)),
        Column("company", "text", "bedrijf", aliases=("bedrijf", "bedrijfsnaam")),
        Column("respondent_role", "text", "rol respondent", aliases=("rol",)),
        *_INTEREST_COLUMNS,
        Column(
            "collective_willingness",
            "int",
            "bereidheid collectieve actie (1–5)",
            min=1,
            max=5,
            aliases=("bereidheid_collectief",),
        ),
        Column(
            "planned_investments",
            "text",
            "geplande investeringen",
            aliases=("geplande_investeringen",),
        ),
        Column(
            "kopgroep_interest",
            "category",
            "interesse kopgroep",
            allowed=INTEREST,
            aliases=("kopgroep",),
        ),
        Column(
            "consent_werksessie",
            "bool",
            "toestemming tonen in werksessie",
            aliases=("toestemming", "toestemming_werksessie"),
        ),
    ),
)

SOURCES = Schema(
    "sources",
    "koppelkansen (bronnen)",
    (
        Column("source_id", "id", "bron-id", required=True, unique=True),
        Column(
            "kind",
            "category",
            "soort bron",
            required=True,
            allowed=SOURCE_KINDS,
            aliases=("soort",),
            value_aliases={"luchthaven": "luchthaven", "vliegveld": "luchthaven"},
        ),
        Column("name", "text", "naam", required=True, aliases=("naam",)),
        Column("heat_mwh_yr", "float", "warmteaanbod", "MWh/jaar", min=0, max=1e7),
        Column("power_kw", "float", "vermogen", "kW", min=0, max=1e7),
        Column("gas_m3_yr", "float", "gasproductie", "m³/jaar", min=0, max=1e9),
        Column("description", "text", "toelichting", aliases=("omschrijving",)),
    ),
    geometry="any",
)

GRID = Schema(
    "grid",
    "netcapaciteit",
    (
        Column("area_id", "id", "gebied-id", required=True, unique=True),
        Column("name", "text", "naam", aliases=("naam",)),
        Column(
            "afname_status",
            "int",
            "status afname (0–3)",
            required=True,
            min=0,
            max=3,
        ),
        Column(
            "invoeding_status",
            "int",
            "status invoeding (0–3)",
            required=True,
            min=0,
            max=3,
        ),
        Column("station", "text", "station"),
        Column("netbeheerder", "text", "netbeheerder"),
    ),
    geometry="polygon",
)

PROJECTS = Schema(
    "projects",
    "infrastructuurprojecten (pMIEK)",
    (
        Column("project_id", "id", "project-id", unique=True),
        Column("name", "text", "naam", required=True, aliases=("naam", "projectnaam")),
        Column("description", "text", "omschrijving", aliases=("omschrijving",)),
        Column("location", "text", "locatie", aliases=("locatie",)),
        Column("municipality", "text", "gemeente", aliases=("gemeente",)),
        Column(
            "infra_type",
            "category",
            "soort infrastructuur",
            allowed=INFRA_TYPES,
            aliases=("infra", "type_infra"),
            value_aliases={"groengas": "groen gas"},
        ),
        Column(
            "competent_authority",
            "text",
            "bevoegd gezag",
            aliases=("bevoegd_gezag",),
        ),
        Column("parties", "text", "betrokken partijen", aliases=("partijen",)),
        Column("cluster", "category", "energiecluster", allowed=CLUSTERS),
        Column("phase", "category", "fase", allowed=PHASES, aliases=("fase",)),
        Column("ibn_lower", "date", "IBN ondergrens", aliases=("ibn_ondergrens",)),
        Column(
            "ibn_upper",
            "date",
            "IBN bovengrens",
            aliases=("ibn_bovengrens",),
            year_end=True,
        ),
        Column("ibn_planned", "date", "geplande IBN", aliases=("ibn_gepland",)),
        Column("source_note", "text", "bron", aliases=("bron",)),
    ),
)

BOUNDARY = Schema(
    "boundary",
    "terreingrens",
    (
        Column("name", "text", "naam", required=True, aliases=("naam", "plannaam")),
        Column("municipality", "text", "gemeente", aliases=("gemeente",)),
        Column("cluster", "category", "energiecluster", allowed=CLUSTERS),
        Column("ibis_id", "text", "IBIS-id", aliases=("rin_nummer",)),
        Column("ha_gross", "float", "bruto oppervlakte", "ha", aliases=("ha_bruto",)),
        Column("ha_net", "float", "netto oppervlakte", "ha", aliases=("ha_netto",)),
    ),
    geometry="polygon",
)


def dutch_headers(table: pd.DataFrame, schema: Schema) -> pd.DataFrame:
    """Copy of ``table`` with the schema's columns renamed to "label (unit)".

    Columns outside the schema keep their name; ``geometry`` is dropped since
    it is shown on a map, not in a table.
    """
    names = {
        c.name: f"{c.label} ({c.unit})" if c.unit else c.label for c in schema.columns
    }
    plain = table.drop(columns="geometry", errors="ignore")
    return pd.DataFrame(plain).rename(columns=names)


ALL = (BUILDINGS, SURVEY, SOURCES, GRID, PROJECTS, BOUNDARY)
