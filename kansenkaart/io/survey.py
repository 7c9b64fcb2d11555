"""The enquête: reading form exports as the Leidraad asks them, and linking rows.

The Leidraad (step 2.3/2.4, "Voorbeeld Enquête Inventarisatie Energie") asks
the companies on a park for consent to share their data, willingness to join
the kopgroep, interest per measure, consumption per year (electricity kWh,
gas m³), ownership (eigenaar/huurder) and plans. Gemeenten collect those
answers with Microsoft Forms, Google Forms or SurveyMonkey, or type them into
Excel. :func:`read_survey` reads such an export as the tool writes it:

- **Microsoft Forms** (xlsx): ``ID``, ``Begintijd``/``Start time``, ``Tijd van
  voltooien``/``Completion time``, ``E-mail``, ``Naam`` (and ``Tijd van
  laatste wijziging``), then one column per question with the full question
  text; a multiple-answer question as ``a;b;`` in one cell.
- **Google Forms** (csv/xlsx): ``Tijdstempel``/``Timestamp`` then the question
  texts; a checkbox question as ``a, b`` in one cell, a grid question as one
  column ``Vraag [rij]`` per row.
- **SurveyMonkey** (xlsx/csv): two header rows: the question in row 1 (blank
  over the further columns of the same question), ``Response`` /
  ``Open-Ended Response`` or the answer option in row 2; metadata ``Respondent
  ID``, ``Collector ID``, ``Start Date``, ...
- **Excel** with the project's own column names (schema SURVEY).

Questions are recognised by their header text: the words of each Leidraad
question (``toestemming``, ``kopgroep``, ``interesse`` + a measure, ...)
matched word by word with RapidFuzz, so a typo still matches. Answers become
*ja*/*misschien*/*nee*; consent is never assumed: an empty or unclear consent
answer counts as no consent. Numbers are read in Dutch notation (``12.500``,
``1.234,5``) with Babel's ``nl_NL`` rules. Every column that is not used is
listed with the reason, and every answer that cannot be read with file, row,
column, value and what to do.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from rapidfuzz import fuzz

from kansenkaart.core import fmt, texts
from kansenkaart.core import schema as sch
from kansenkaart.core.address import address_key
from kansenkaart.core.errors import DataError, Problem

# ------------------------------------------------------------------ meanings

INTEREST_LIST = "interest_list"
"""A question whose answer lists the measures a company is interested in."""

EXTRA_COLUMNS = tuple(
    sch.BUILDINGS.column(name) for name in ("elec_kwh_yr", "gas_m3_yr", "ownership")
)
"""Leidraad questions kept in the survey table beyond schema SURVEY: consumption
per year and ownership, with the BUILDINGS column's unit, range and values."""

MEANINGS: dict[str, str] = {
    **{c.name: c.label for c in sch.SURVEY.columns},
    INTEREST_LIST: "interesse per maatregel (lijst van maatregelen)",
    **{c.name: f"{c.label} ({c.unit})" if c.unit else c.label for c in EXTRA_COLUMNS},
}
"""Meaning key -> Dutch label: what a column of the file can mean."""

METADATA_REASON = "metadata van het formulier"
UNKNOWN_REASON = "vraag niet herkend"
CHOSEN_REASON = "op 'niet gebruiken' gezet"
OPTION_REASON = "antwoordoptie hoort bij geen maatregel van de kaart"
NO_HEADER_REASON = "kolom zonder kop"

# Headers the form tools add themselves (normalised: lower case, no accents).
_METADATA = {
    # Microsoft Forms (Dutch and English export)
    "id", "begintijd", "tijd van voltooien", "e-mail", "naam",
    "tijd van laatste wijziging", "totaal aantal punten", "feedback voor quiz",
    "start time", "completion time", "email", "name", "last modified time",
    "total points", "quiz feedback",
    # Google Forms
    "tijdstempel", "timestamp", "e-mailadres", "email address", "score",
    # SurveyMonkey (English and Dutch export)
    "respondent id", "collector id", "start date", "end date", "ip address",
    "first name", "last name", "custom data 1", "respondent-id", "collector-id",
    "begindatum", "einddatum", "ip-adres", "voornaam", "achternaam",
    "aangepaste gegevens 1",
}  # fmt: skip

# Rules per meaning, in priority order: a header means the first meaning one
# of whose rules it satisfies; a rule is a tuple of words that must all occur.
_QUESTIONS: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("consent_werksessie", (
        ("toestemming",), ("akkoord",), ("consent",), ("delen", "gegevens"),
        ("tonen", "werksessie"),
    )),
    ("kopgroep_interest", (("kopgroep",), ("koploper",), ("voorloper",))),
    ("collective_willingness", (
        ("bereid", "collectie"), ("bereid", "samen"), ("bereid", "gezamenlijk"),
        ("bereidheid",),
    )),
    (INTEREST_LIST, (
        ("interesse", "maatregel"), ("geinteresseerd", "maatregel"),
        ("interesse", "welke"), ("geinteresseerd", "welke"),
    )),
    ("planned_investments", (
        ("plannen",), ("van", "plan"), ("investering",), ("investeren",),
    )),
    ("elec_kwh_yr", (
        ("elektriciteitsverbruik",), ("stroomverbruik",), ("elektriciteit", "verbruik"),
        ("stroom", "verbruik"), ("kwh",),
    )),
    ("gas_m3_yr", (("gasverbruik",), ("gas", "verbruik"), ("m3",), ("kuub",))),
    ("ownership", (("eigenaar",), ("huurder",), ("huurt",), ("eigendom",), ("huur",))),
    ("respondent_role", (("functie",), ("rol",))),
    ("company", (
        ("bedrijfsnaam",), ("naam", "bedrijf"), ("naam", "organisatie"),
        ("naam", "onderneming"),
    )),
    ("postcode", (("postcode",),)),
    ("house_number", (("huisnummer",), ("huisnr",))),
    ("building_id", (("pand", "id"), ("bag", "id"))),
)  # fmt: skip

# Words that name a measure of SURVEY_MEASURES, in priority order (collective
# purchase of solar panels before solar panels on the own roof).
_MEASURES: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = (
    ("collectieve_inkoop_zon", (("inkoop",), ("gezamenlijk", "zonnepanelen"))),
    ("zon_eigen_dak", (("zonnepanelen",), ("zon", "dak"), ("zonne",), ("pv",))),
    ("led", (("led",), ("verlichting",))),
    ("isolatie", (("isolatie",), ("isoleren",), ("kierdichting",))),
    ("warmtepomp", (("warmtepomp",),)),
    ("energiecooperatie", (("cooperatie",),)),
    ("energy_hub", (
        ("energy", "hub"), ("energyhub",), ("energiehub",), ("energienetwerk",),
        ("uitwisselen",),
    )),
    ("collectieve_batterij", (("batterij",), ("opslag",))),
    ("warmtenet_rwzi", (("warmtenet",), ("rwzi",), ("restwarmte",), ("riothermie",))),
)  # fmt: skip

_INTEREST_WORDS = ("interesse", "geinteresseerd")
_NONE_OF_THEM = ("geen", "geen van deze", "geen interesse", "geen van allen", texts.NO)
_SM_PLAIN = {"response", "open-ended response", "antwoord", "open antwoord"}
_FUZZY_MIN = 85
"""RapidFuzz ratio (0–100) for a header word to count as a rule word of 6+
letters: "toestemmnig" matches "toestemming" (91), "kopgoep" "kopgroep" (93)."""


def _plain(text: str) -> str:
    """Lower case without accents and with single spaces."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return " ".join(text.lower().split())


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", _plain(text).replace("³", "3"))


def _has(words: Sequence[str], term: str) -> bool:
    """A header word is ``term``, contains it (4+ letters), or is a typo of it."""
    for word in words:
        if word == term or (len(term) >= 4 and term in word):
            return True
        if len(term) >= 6 and fuzz.ratio(word, term) >= _FUZZY_MIN:
            return True
    return False


def _first_rule(words: Sequence[str], rules) -> str | None:
    for key, alternatives in rules:
        if any(all(_has(words, t) for t in rule) for rule in alternatives):
            return key
    return None


def measure_of(text: str) -> str | None:
    """The measure of SURVEY_MEASURES that ``text`` names, or None.

    >>> measure_of("Zonnepanelen op eigen dak"), measure_of("LED-verlichting")
    ('zon_eigen_dak', 'led')
    """
    return _first_rule(_words(text), _MEASURES)


def _is_metadata(header: str) -> bool:
    plain = _plain(header)
    return plain in _METADATA or any(
        fuzz.ratio(plain, m) >= 90 for m in _METADATA if len(m) >= 8
    )


def _own_name(header: str) -> str | None:
    """Meaning of a header that is the project's own column name or alias."""
    schema = sch.Schema("s", "s", (*sch.SURVEY.columns, *EXTRA_COLUMNS))
    return sch.match_columns([header], schema).get(header)


def meaning_of(question: str, option: str | None = None) -> str | None:
    """What a column means, from its header (and SurveyMonkey's answer option).

    Parameters
    ----------
    question : str
        The header, or SurveyMonkey's question (row 1).
    option : str, optional
        SurveyMonkey's answer option (row 2) or a Google Forms grid row
        (``Vraag [rij]``), when the column holds one option of a question.

    Returns
    -------
    str or None
        A key of :data:`MEANINGS` (``interest_<measure>`` for one measure), or
        None when the header is no Leidraad question.
    """
    if option is None:
        grid = re.fullmatch(r"(.*)\[([^\]]+)\]\s*", str(question), flags=re.S)
        if grid:
            question, option = grid.group(1), grid.group(2)
    if option is None:
        own = _own_name(question)
        if own:
            return own
    words = _words(question)
    asked = _first_rule(words, _QUESTIONS)
    if option is not None:
        measure = measure_of(option)
        if asked == INTEREST_LIST or (measure and _mentions_interest(words)):
            return f"interest_{measure}" if measure else None
        return _own_name(option) or _first_rule(_words(option), _QUESTIONS) or asked
    if asked in (None, INTEREST_LIST, "planned_investments") and _mentions_interest(
        words
    ):
        measure = measure_of(question)
        if measure:
            return f"interest_{measure}"
    return asked


def _mentions_interest(words: Sequence[str]) -> bool:
    return any(_has(words, w) for w in _INTEREST_WORDS)


# ------------------------------------------------------------------- answers


def interest_answer(value: str) -> str | None:
    """*ja*, *misschien* or *nee* for a free answer, None when unclear.

    >>> [interest_answer(v) for v in ("Ja, graag", "Yes", "Weet ik nog niet", "nee")]
    ['ja', 'ja', 'misschien', 'nee']
    """
    plain = _plain(value).strip(" .!;")
    words = _words(plain)
    if not words:
        return None
    maybe = (texts.MAYBE, "mogelijk", "weet", "twijfel", "maybe", "eventueel",
             "wellicht", "neutraal", texts.UNKNOWN, "nog niet")  # fmt: skip
    if any(m in plain for m in maybe):
        return texts.MAYBE
    if words[0] in (texts.NO, "no", "n", "niet", "geen", "false", "onwaar", "0") or (
        plain.startswith("liever niet")
    ):
        return texts.NO
    if words[0] in (
        texts.YES,
        "yes",
        "j",
        "y",
        "zeker",
        "graag",
        "true",
        "waar",
        "x",
        "1",
    ):
        return texts.YES
    return None


def consent_answer(value: str) -> bool | None:
    """True for a clear yes, False for a clear no, None when unclear.

    >>> [consent_answer(v) for v in ("Ja", "Nee", "Weet ik nog niet", "Ik ga akkoord")]
    [True, False, None, True]

    A ticked box that repeats the consent sentence ("Ik geef toestemming ...",
    "Ik ga akkoord") is a yes; any negation makes it a no.
    """
    words = _words(value)
    answer = interest_answer(value)
    if answer == texts.MAYBE:
        return None
    if answer == texts.NO or any(w in ("geen", "niet", "not") for w in words):
        return False
    if answer == texts.YES or any(_has(words, w) for w in ("toestemming", "akkoord")):
        return True
    return None


_NUMBER_FIELDS = {
    c.name: fmt.NumberField(c.label, c.unit.split("/")[0], c.min, c.max, optional=True)
    for c in EXTRA_COLUMNS
    if c.dtype == "float"
}
"""Consumption answers as :func:`kansenkaart.core.fmt.parse_number` reads them:
unit kWh or m³ (per year), range of the BUILDINGS column."""


def read_amount(value, meaning: str) -> float:
    """A consumption answer (``elec_kwh_yr``, ``gas_m3_yr``) as a number.

    Text is read the Dutch way by :func:`kansenkaart.core.fmt.parse_number`
    (Babel ``nl_NL``: ``12.500`` is 12 500, ``1.234,5`` is 1 234,5) after
    "ca." and "per jaar" are dropped; a number from an Excel number cell is
    taken as it is.

    Raises
    ------
    kansenkaart.core.fmt.NumberError
        With the Dutch message, when the text is no number or out of range.
    """
    field = _NUMBER_FIELDS[meaning]
    if isinstance(value, (int, float, np.integer, np.floating)):
        value = fmt.input_text(value, field)
    text = re.sub(r"(?i)^\s*(ca\.?|circa|ongeveer|±|~)\s*", "", str(value))
    text = re.sub(r"(?i)\s*(per\s+jaar|/\s*jaar|p/j)\.?\s*$", "", text)
    return fmt.parse_number(re.sub(r"(?i)m3$", "m³", text.strip()), field)


def _willingness(value) -> float | None:
    """Score 1–5 from "4", "4 - bereid" or an Excel number; None otherwise."""
    if isinstance(value, (int, float, np.integer, np.floating)):
        return float(value)
    match = re.fullmatch(r"\s*([1-5])(\s*[-–:.)].*)?\s*", str(value), flags=re.S)
    return float(match.group(1)) if match else None


_OWNERSHIP_WORDS = (
    ("belegger", (("verhuur",), ("belegger",), ("investeerder",))),
    ("huurder", (("huur",), ("huurder",), ("huren",))),
    ("eigenaar-gebruiker", (("eigenaar",), ("eigen", "pand"), ("eigendom",))),
    (texts.UNKNOWN, (("weet",), (texts.UNKNOWN,))),
)


def ownership_answer(value: str) -> str | None:
    """eigenaar-gebruiker / huurder / belegger / onbekend, None when unclear."""
    return _first_rule(_words(value), _OWNERSHIP_WORDS)


# --------------------------------------------------------------------- reading


@dataclass(frozen=True)
class SurveyColumn:
    """One column of the file and what became of it.

    Attributes
    ----------
    key : str
        Column name as read (the header; SurveyMonkey: ``Unnamed: n`` for the
        further columns of a question).
    header : str
        Header as the user sees it (SurveyMonkey: ``vraag – optie``).
    meaning : str or None
        Key of :data:`MEANINGS` when used.
    reason : str
        Why it was not used (empty when used).
    """

    key: str
    header: str
    meaning: str | None
    reason: str = ""


@dataclass(frozen=True)
class SurveyImport:
    """A survey export read by :func:`read_survey`.

    Attributes
    ----------
    table : DataFrame
        Schema SURVEY (validated, canonical values), then ``elec_kwh_yr``,
        ``gas_m3_yr``, ``ownership`` and ``row`` (row in the file).
    raw : DataFrame
        The answers as read, one column per header (for the unmatched rows).
    layout : str
        "Microsoft Forms", "Google Forms", "SurveyMonkey" or "Excel".
    columns : tuple of SurveyColumn
    problems : tuple of Problem
        Answers that could not be read: file, row, column, value, what to do.
    notes : tuple of str
        Dutch sentences for the import report.
    """

    table: pd.DataFrame
    raw: pd.DataFrame
    layout: str
    columns: tuple[SurveyColumn, ...]
    problems: tuple[Problem, ...]
    notes: tuple[str, ...]

    @property
    def unused(self) -> tuple[SurveyColumn, ...]:
        """The columns that were not used, with their reason."""
        return tuple(c for c in self.columns if c.meaning is None)

    def unused_notes(self) -> list[str]:
        """One Dutch sentence per unused column."""
        return [f"Kolom '{c.header}' niet gebruikt: {c.reason}." for c in self.unused]


def _blank_header(name) -> bool:
    return bool(re.fullmatch(r"Unnamed: \d+", str(name))) or not str(name).strip()


def _layout(headers: Sequence[str]) -> str:
    plain = {_plain(h) for h in headers}
    if {"respondent id", "collector id"} <= plain:
        return "SurveyMonkey"
    if "id" in plain and plain & {"begintijd", "start time"}:
        return "Microsoft Forms"
    if plain & {"tijdstempel", "timestamp"}:
        return "Google Forms"
    return "Excel"


def _cells(path: Path, table: pd.DataFrame) -> pd.DataFrame:
    """The cells of ``table``, with Excel number cells kept as numbers."""
    if path.suffix.lower() != ".xlsx":
        return table
    grid = pd.read_excel(path, header=None, dtype=object, engine="calamine")
    grid = grid.iloc[1:].set_axis(range(len(grid) - 1))
    return grid.loc[table.index].set_axis(table.columns, axis=1)


def suggest_mapping(headers: Sequence[str]) -> dict[str, str | None]:
    """Header -> key of :data:`MEANINGS` (None: not used), from the headers only.

    SurveyMonkey's further columns (blank header) get the meaning of their
    question when it is a single one; the answer options of row 2 are read by
    :func:`read_survey`, which also applies a changed suggestion.
    """
    out: dict[str, str | None] = {}
    used: set[str] = set()
    question = ""
    for header in headers:
        if not _blank_header(header):
            question = str(header)
        meaning = (
            None
            if _blank_header(header) or _is_metadata(header)
            else meaning_of(question)
        )
        if meaning in used and meaning != INTEREST_LIST:
            meaning = None
        if meaning:
            used.add(meaning)
        out[header] = meaning
    return out


def _short(header: str, width: int = 80) -> str:
    text = " ".join(str(header).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _columns(
    keys: Sequence[str],
    options: Mapping[str, str | None],
    layout: str,
    mapping: Mapping[str, str | None] | None,
) -> list[SurveyColumn]:
    """Meaning or reason of every column, duplicates after the first refused."""
    suggested = suggest_mapping(keys)
    chosen = {
        k: v for k, v in (mapping or {}).items() if k in suggested and v != suggested[k]
    }
    out, taken, question = [], {}, ""
    for key in keys:
        blank = _blank_header(key)
        if not blank:
            question = str(key)
        option = options.get(key)
        header = _short(f"{question} – {option}" if option else question)
        if blank and layout != "SurveyMonkey":
            meaning, reason = None, NO_HEADER_REASON
        elif not blank and _is_metadata(key):
            meaning, reason = None, METADATA_REASON
        else:
            meaning = meaning_of(question, option)
            asked = meaning_of(question) if option else None
            if meaning is None and asked == INTEREST_LIST:
                none_of_them = _plain(option).strip(" .") in _NONE_OF_THEM
                meaning = INTEREST_LIST if none_of_them else None
                reason = "" if none_of_them else OPTION_REASON
            else:
                reason = "" if meaning else UNKNOWN_REASON
        if key in chosen:
            meaning, reason = chosen[key], "" if chosen[key] else CHOSEN_REASON
        if meaning and meaning != INTEREST_LIST and meaning in taken:
            first = taken[meaning]
            meaning, reason = (
                None,
                f"dubbel: al gebruikt voor '{MEANINGS[first[1]]}' (kolom '{first[0]}')",
            )
        if meaning:
            taken.setdefault(meaning, (header, meaning))
        out.append(SurveyColumn(key, header, meaning, reason))
    return out


@dataclass
class _Answers:
    """Collects converted answers and the ones that could not be read."""

    file: str
    rows: np.ndarray
    problems: list[Problem]

    def bad(self, pos: int, column: SurveyColumn, message: str, fix: str):
        """Note an answer that cannot be read, at its row and column."""
        row = int(self.rows[pos])
        self.problems.append(Problem(self.file, message, fix, row, column.header))


_FIX_INTEREST = (
    "vul ja, misschien of nee in en laad de enquête opnieuw; tot dan telt dit "
    "antwoord niet mee."
)
_UNCLEAR_CONSENT = (
    "is geen duidelijk ja of nee op de toestemmingsvraag: telt als geen toestemming."
)
_FIX_SCORE = "vul een geheel getal van 1 (niet bereid) tot 5 (zeer bereid) in."
_FIX_NUMBER = (
    "verbeter het antwoord in het bestand en laad de enquête opnieuw; tot dan telt "
    "het niet mee."
)
_FIX_OWNER = (
    "kies eigenaar-gebruiker, huurder of belegger, of laat de cel leeg als het "
    "onbekend is."
)
_FIX_CONSENT = (
    "vraag de ondernemer om toestemming en zet 'ja' in de cel als die gegeven "
    "wordt; tot dan telt het als geen toestemming."
)


def _convert(column: SurveyColumn, values: pd.Series, answers: _Answers, option):
    """The column's answers in canonical form (text, float or NA)."""
    meaning = column.meaning
    out = pd.Series(pd.NA, index=values.index, dtype=object)
    for pos, (index, value) in enumerate(values.items()):
        if pd.isna(value) or not str(value).strip():
            continue
        text = str(value).strip()
        said = f"'{_short(text, 60)}'"
        if meaning == "consent_werksessie":
            agreed = consent_answer(option or text)
            if agreed is None:
                answers.bad(pos, column, f"{said} {_UNCLEAR_CONSENT}", _FIX_CONSENT)
            out[index] = texts.YES if agreed else texts.NO
        elif meaning == "kopgroep_interest" or meaning.startswith("interest_"):
            answer = interest_answer(text) or (texts.YES if option else None)
            if answer is None:
                answers.bad(
                    pos, column, f"{said} is geen ja, misschien of nee.", _FIX_INTEREST
                )
            out[index] = answer if answer else pd.NA
        elif meaning == "collective_willingness":
            score = _willingness(value)
            if score not in (1, 2, 3, 4, 5):
                answers.bad(
                    pos, column, f"{said} is geen score van 1 tot en met 5.", _FIX_SCORE
                )
                score = None
            out[index] = score if score is not None else pd.NA
        elif meaning in _NUMBER_FIELDS:
            try:
                out[index] = read_amount(value, meaning)
            except fmt.NumberError as error:
                answers.bad(pos, column, str(error), _FIX_NUMBER)
        elif meaning == "ownership":
            owner = ownership_answer(text)
            if owner is None:
                answers.bad(
                    pos, column, f"{said} is geen eigenaar of huurder.", _FIX_OWNER
                )
            out[index] = owner if owner else pd.NA
        else:
            out[index] = "; ".join(p.strip() for p in text.split(";") if p.strip())
    return out


def _measures_in(text: str) -> tuple[set[str], bool, list[str]]:
    """Measures named in a list answer, whether it says "none", other items."""
    items = [i.strip() for i in re.split(r"[;,\n]", str(text)) if i.strip()]
    named, other = set(), []
    none = False
    for item in items:
        measure = measure_of(item)
        if measure:
            named.add(measure)
        elif _plain(item).strip(" .") in _NONE_OF_THEM:
            none = True
        else:
            other.append(item)
    return named, none, other


def _list_interest(lists: Sequence[pd.Series], index: pd.Index):
    """interest_<measure> from list answers: named ja, "geen" nee, else NA."""
    out = pd.DataFrame(pd.NA, index=index, columns=list(sch.SURVEY_MEASURES))
    other: list[str] = []
    for values in lists:
        for index_value, cell in values.dropna().items():
            named, none, rest = _measures_in(cell)
            other += rest
            for measure in named:
                out.loc[index_value, measure] = texts.YES
            if none:
                row = out.loc[index_value]
                out.loc[index_value] = row.where(row.notna(), texts.NO)
    return out, other


def read_survey(
    path: Path,
    mapping: Mapping[str, str | None] | None = None,
    file: str | None = None,
) -> SurveyImport:
    """Read a survey export (Microsoft Forms, Google Forms, SurveyMonkey, Excel).

    Parameters
    ----------
    path : Path
        ``.xlsx`` or ``.csv``.
    mapping : dict, optional
        Header -> key of :data:`MEANINGS` (None: do not use). Only where it
        differs from :func:`suggest_mapping` does it override the recognition,
        so a page can show the suggestion and pass back what the user changed.
    file : str, optional
        File name for messages (default: the name of ``path``).

    Returns
    -------
    SurveyImport

    Raises
    ------
    DataError
        The file cannot be read or holds no answers.
    """
    # readers imports link_survey from this module, hence the late import.
    from kansenkaart.io.readers import read_table

    path = Path(path)
    file = file or path.name
    table = read_table(path)
    cells = _cells(path, table)
    keys = [str(k) for k in table.columns]
    table.columns, cells.columns = keys, keys
    layout = _layout(keys)
    options: dict[str, str | None] = {}
    first_key = next((k for k in keys if _plain(k) == "respondent id"), None)
    if layout == "SurveyMonkey" and len(table) and pd.isna(table[first_key].iloc[0]):
        row2 = table.iloc[0]
        options = {
            k: str(row2[k]).strip()
            for k in keys
            if pd.notna(row2[k]) and _plain(row2[k]) not in _SM_PLAIN
        }
        table, cells = table.iloc[1:], cells.iloc[1:]
    if table.empty:
        raise DataError.single(
            file,
            "het bestand bevat geen antwoorden.",
            "exporteer de antwoorden opnieuw uit het formulier en kies dat bestand.",
        )
    columns = _columns(keys, options, layout, mapping)
    answers = _Answers(file, table.index.to_numpy() + 2, [])
    converted: dict[str, pd.Series] = {}
    lists: list[pd.Series] = []
    for column in columns:
        if column.meaning == INTEREST_LIST:
            option = options.get(column.key)
            values = cells[column.key]
            lists.append(values.where(values.isna(), option) if option else values)
        elif column.meaning:
            converted[column.meaning] = _convert(
                column, cells[column.key], answers, options.get(column.key)
            )
    listed, other = _list_interest(lists, table.index)
    for measure in sch.SURVEY_MEASURES:
        own = converted.get(f"interest_{measure}")
        from_list = listed[measure]
        if lists:
            converted[f"interest_{measure}"] = (
                from_list if own is None else own.where(own.notna(), from_list)
            )
    consent = converted.get("consent_werksessie")
    if consent is not None:
        converted["consent_werksessie"] = consent.where(consent.notna(), texts.NO)
    survey_names = [c.name for c in sch.SURVEY.columns]
    frame = pd.DataFrame(
        {k: v for k, v in converted.items() if k in survey_names}, index=table.index
    )
    valid = sch.validate(frame.astype("string"), sch.SURVEY, file)
    for spec in EXTRA_COLUMNS:
        values = converted.get(spec.name, pd.Series(pd.NA, index=table.index))
        dtype = "Float64" if spec.dtype == "float" else "string"
        valid[spec.name] = values.astype(dtype).to_numpy()
    valid["row"] = answers.rows
    raw = table.rename(columns={c.key: c.header for c in columns})
    notes = _notes(layout, columns, valid, consent is not None, other)
    return SurveyImport(
        valid.reset_index(drop=True),
        raw.reset_index(drop=True),
        layout,
        tuple(columns),
        tuple(answers.problems),
        tuple(notes),
    )


def _notes(layout, columns, table, asked_consent: bool, other) -> list[str]:
    used = [c for c in columns if c.meaning]
    kind = "Excel-bestand" if layout == "Excel" else f"export van {layout}"
    notes = [
        f"Herkend als {kind}: {len(used)} kolommen gebruikt, "
        f"{len(columns) - len(used)} niet gebruikt.",
        *(
            f"Kolom '{c.header}' gelezen als '{MEANINGS[c.meaning]}'."
            for c in used
            if c.key != c.meaning
        ),
    ]
    if asked_consent:
        agreed = int(table["consent_werksessie"].fillna(False).sum())
        notes.append(
            f"Toestemming om gegevens te tonen in de werksessie: {agreed} van "
            f"{len(table)} antwoorden; een leeg of onduidelijk antwoord telt als "
            "geen toestemming."
        )
    else:
        notes.append(
            "De enquête vraagt geen toestemming om gegevens te tonen in de "
            "werksessie: niemand heeft toestemming gegeven."
        )
    if other:
        counts = pd.Series(other).value_counts()
        shown = ", ".join(
            f"'{_short(k, 40)}' ({n}×)" for k, n in counts.head(8).items()
        )
        notes.append(
            "Genoemd in de lijst van maatregelen maar geen maatregel van de kaart "
            f"(niet meegeteld): {shown}."
        )
    extra = [c for c in EXTRA_COLUMNS if table[c.name].notna().any()]
    if extra:
        notes.append(
            "Uit de enquête bewaard in de enquêtetabel: "
            + ", ".join(c.label for c in extra)
            + ". Het verbruik en eigendom van de gebouwen blijven zoals ze uit de "
            "andere bronnen komen."
        )
    return notes


def link_survey(
    buildings: pd.DataFrame, survey: pd.DataFrame, file: str = texts.SURVEY
) -> tuple[pd.DataFrame, list[str]]:
    """Fill ``building_id`` of survey rows from the buildings' addresses.

    Rows that already carry a known ``building_id`` keep it; the others are
    matched on postcode + house number (+ letter/addition).

    Parameters
    ----------
    buildings, survey : DataFrame
        Validated tables (schemas BUILDINGS and SURVEY); not modified.
    file : str
        Survey file name for messages.

    Returns
    -------
    DataFrame
        Survey copy with ``building_id`` filled where a match was found.
    list of str
        Dutch warnings naming the rows that could not be linked.
    """
    out = survey.copy()
    if out.empty:
        return out, []
    known = out["building_id"].isin(buildings["building_id"])
    by_address = pd.Series(
        buildings["building_id"].to_numpy(),
        index=address_key(buildings["postcode"], buildings["house_number"]),
    )
    by_address = by_address[by_address.index.notna()]
    by_address = by_address[~by_address.index.duplicated()]
    keys = address_key(out["postcode"], out["house_number"])
    matched = keys.map(by_address).astype("string")
    out["building_id"] = out["building_id"].where(known, matched)
    unmatched = out["building_id"].isna().to_numpy()
    warnings = []
    if unmatched.any():
        rows = [str(i + 2) for i in range(len(out)) if unmatched[i]]
        shown = ", ".join(rows[:15]) + (" ..." if len(rows) > 15 else "")
        warnings.append(
            f"{file}: {len(rows)} van {len(out)} enquêterijen niet gekoppeld aan een "
            f"gebouw (rijen {shown}). Controleer postcode en huisnummer of vul "
            "building_id (BAG pand-id) in."
        )
    return out, warnings
