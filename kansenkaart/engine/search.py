"""Find a building by address, postcode + house number or company name.

An entrepreneur types what they know: "Industrieweg 3", "9301zz 12-a",
"bakker metaal". :func:`search` splits the query into a Dutch postcode, a
house number (with letter) and the remaining text, and scores every
building from 0 to 100:

- text: the best typo-tolerant match (``rapidfuzz`` WRatio; case, accents
  and punctuation ignored, see :func:`fold`) against street, company and
  full address;
- postcode: 100 when equal after :func:`kansenkaart.core.address.normalise_postcode`
  ("9301 ZZ" = "9301zz"), else a damped similarity;
- house number: 100 when equal after
  :func:`kansenkaart.core.address.normalise_house_number` ("12a" = "12 A" =
  "12-A"), 85 for the same number with another letter, less the further the
  number is off.

The parts the query has are averaged with weights :data:`WEIGHTS` (a street
typo weighs less than a wrong number). A match is *confident* when it scores
at least :data:`CONFIDENT_SCORE` and clearly beats the next one; below
:data:`MATCH_SCORE` nothing matches and the message names the nearest
buildings instead.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process, utils

from kansenkaart.core.address import normalise_house_number, normalise_postcode

MATCH_SCORE = 75.0
"""Lowest score (0–100) that counts as a match."""
CONFIDENT_SCORE = 90.0
"""Lowest score of a match that is taken without asking."""
CONFIDENT_MARGIN = 3.0
"""Points a confident match must lead the next building by."""
WEIGHTS = {"text": 2.0, "postcode": 2.0, "number": 1.0}
"""Weight of each query part in the score."""
SAME_NUMBER_OTHER_LETTER = 85.0
"""House-number score of 12 for 12A (or the other way round)."""
OTHER_NUMBER = 60.0
"""House-number score of a different number, minus the distance (at least 30)."""
POSTCODE_DAMPING = 0.7
"""Factor on the string similarity of two different postcodes."""
NEAREST = 3
"""Buildings named in the message when nothing matches."""

_POSTCODE = re.compile(r"(?<!\d)(\d{4})\s*([a-z]{2})(?![a-z])", re.IGNORECASE)
# A number, then optionally a single letter ("12a", "12 A", "12-A"); a letter
# followed by more letters is a word ("3 Roden"), not a huisletter.
_NUMBER = re.compile(r"(?<![\w])(\d{1,5})(?:\s*-?\s*([a-z])(?![a-z]))?(?!\w)", re.I)
_STREET_END = re.compile(r"\s+\d")


@dataclass(frozen=True)
class Query:
    """A search text split into its parts (each empty when absent).

    Attributes
    ----------
    text : str
        What remains after taking out postcode and house number.
    postcode : str
        Normalised ``1234AB``.
    house_number : str
        Normalised ``12A``.
    """

    text: str
    postcode: str
    house_number: str


def parse_query(query: str) -> Query:
    """Split a search text into text, postcode and house number.

    The last number that is not part of the postcode is the house number:
    "Industrieweg 12 a, 9301 ZZ" gives street text "Industrieweg",
    postcode ``9301ZZ`` and house number ``12A``.
    """
    rest = " " + str(query) + " "
    postcode = ""
    found = _POSTCODE.search(rest)
    if found:
        postcode = (found.group(1) + found.group(2)).upper()
        rest = rest[: found.start()] + " " + rest[found.end() :]
    house_number = ""
    numbers = list(_NUMBER.finditer(rest))
    if numbers:
        last = numbers[-1]
        house_number = last.group(1).lstrip("0") + (last.group(2) or "").upper()
        rest = rest[: last.start()] + " " + rest[last.end() :]
    text = " ".join(re.sub(r"[,;/]+", " ", rest).split())
    return Query(text, postcode, house_number)


@dataclass(frozen=True, eq=False)
class SearchIndex:
    """The buildings of a terrain prepared for searching (build once).

    Attributes
    ----------
    building_id, label : ndarray of str
        Id and "address — company" of every building, in table order.
    street, company, address : ndarray of str
        The texts the query text is matched against, folded (:func:`fold`;
        "" where missing).
    postcode, house_number : ndarray of str
        Normalised keys ("" where missing).
    number : ndarray of float
        Numeric part of the house number (NaN where missing).
    """

    building_id: np.ndarray
    label: np.ndarray
    street: np.ndarray
    company: np.ndarray
    address: np.ndarray
    postcode: np.ndarray
    house_number: np.ndarray
    number: np.ndarray


def _text_column(buildings: pd.DataFrame, name: str) -> pd.Series:
    if name not in buildings.columns:
        return pd.Series("", index=buildings.index, dtype="string")
    return buildings[name].astype("string").fillna("")


def search_options(a: pd.DataFrame) -> dict[str, str]:
    """Building id -> "address — company" for a search box (plain text)."""
    address = _text_column(a, "address")
    company = _text_column(a, "company")
    text = (address + " — " + company).str.strip(" —")
    text = text.where(text != "", "pand " + a["building_id"].astype("string"))
    return dict(zip(a["building_id"].astype(str), text, strict=True))


def build_index(buildings: pd.DataFrame) -> SearchIndex:
    """Prepare ``buildings`` (schema BUILDINGS or analysed) for :func:`search`.

    The street is the address up to the first word that starts with a digit
    ("Vennweg 1, De Punt" → "Vennweg"); a missing ``house_number`` is read
    from there.
    Not modified.
    """
    address = _text_column(buildings, "address")
    street = address.str.split(_STREET_END.pattern, n=1, regex=True).str[0]
    from_address = address.str.extract(r"\s(\d[^,]*)", expand=False)
    number_text = _text_column(buildings, "house_number").mask(
        lambda s: s.str.strip() == "", from_address
    )
    house_number = normalise_house_number(number_text).fillna("")
    numeric = house_number.str.extract(r"^(\d+)", expand=False)
    labels = search_options(buildings)
    ids = buildings["building_id"].astype(str)
    return SearchIndex(
        building_id=ids.to_numpy(dtype=object),
        label=np.array([labels[i] for i in ids], dtype=object),
        street=_folded(street),
        company=_folded(_text_column(buildings, "company")),
        address=_folded(address),
        postcode=normalise_postcode(_text_column(buildings, "postcode"))
        .fillna("")
        .to_numpy(dtype=object),
        house_number=house_number.to_numpy(dtype=object),
        number=pd.to_numeric(numeric, errors="coerce").to_numpy(dtype=float),
    )


def fold(text: str) -> str:
    """Text as compared: lower case, no accents or punctuation ("Café Één" →
    "cafe een")."""
    plain = unicodedata.normalize("NFKD", str(text))
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return utils.default_process(plain)


def _folded(values: pd.Series) -> np.ndarray:
    return np.array([fold(v) for v in values], dtype=object)


def _similarity(folded: str, choices: np.ndarray) -> np.ndarray:
    """WRatio (0–100) of a folded text against folded choices, each distinct
    choice scored once."""
    distinct, inverse = np.unique(choices.astype(str), return_inverse=True)
    return process.cdist([folded], distinct, scorer=fuzz.WRatio)[0][inverse].astype(
        float
    )


def _similarity_ratio(text: str, choices: np.ndarray) -> np.ndarray:
    """Plain string similarity (0–100), each distinct choice scored once."""
    distinct, inverse = np.unique(choices.astype(str), return_inverse=True)
    return process.cdist([text], distinct, scorer=fuzz.ratio)[0][inverse].astype(float)


def scores(index: SearchIndex, query: Query) -> np.ndarray:
    """Score (0–100) of every building for ``query``; NaN for an empty query."""
    parts, weights = [], []
    text = fold(query.text)
    if text:
        parts.append(
            np.maximum.reduce(
                [
                    _similarity(text, index.street),
                    _similarity(text, index.company),
                    _similarity(text, index.address),
                ]
            )
        )
        weights.append(WEIGHTS["text"])
    if query.postcode:
        similar = _similarity_ratio(query.postcode, index.postcode)
        parts.append(
            np.where(
                index.postcode == query.postcode, 100.0, similar * POSTCODE_DAMPING
            )
        )
        weights.append(WEIGHTS["postcode"])
    if query.house_number:
        wanted = float(re.match(r"\d+", query.house_number).group())
        distance = np.abs(np.nan_to_num(index.number, nan=1e6) - wanted)
        parts.append(
            np.select(
                [index.house_number == query.house_number, distance == 0],
                [100.0, SAME_NUMBER_OTHER_LETTER],
                np.maximum(OTHER_NUMBER - np.minimum(distance, 30), 30.0),
            )
        )
        weights.append(WEIGHTS["number"])
    if not parts:
        return np.full(len(index.building_id), np.nan)
    return np.average(np.vstack(parts), axis=0, weights=weights)


@dataclass(frozen=True)
class SearchResult:
    """Outcome of :func:`search`.

    Attributes
    ----------
    query : str
        The text searched for.
    matches : DataFrame
        ``building_id``, ``label`` ("address — company"), ``score`` (0–100):
        the matches best first, or, when nothing matches, the nearest
        buildings; empty for an empty query.
    found : bool
        At least one building scores :data:`MATCH_SCORE` or more.
    confident : bool
        The first match is clearly the building meant.
    message : str
        Dutch: what was found, or the nearest matches; "" when confident or
        the query is empty.
    """

    query: str
    matches: pd.DataFrame
    found: bool
    confident: bool
    message: str

    @property
    def best(self) -> str | None:
        """Id of the confident match, else None."""
        return str(self.matches["building_id"].iloc[0]) if self.confident else None


def _example(index: SearchIndex) -> str:
    """A postcode + house number of the terrain, as a user would type it."""
    known = (index.postcode != "") & (index.house_number != "")
    if not known.any():
        return "9301 ZZ 12"
    at = int(np.argmax(known))
    postcode = index.postcode[at]
    return f"{postcode[:4]} {postcode[4:]} {index.house_number[at]}"


def _named(labels) -> str:
    """'A', 'A of B', 'A, B of C' (labels quoted)."""
    quoted = [f"'{label}'" for label in labels]
    return (
        ", ".join(quoted[:-1]) + " of " + quoted[-1] if len(quoted) > 1 else quoted[0]
    )


def search(index: SearchIndex, query: str, limit: int = 8) -> SearchResult:
    """Rank the buildings for a search text.

    Parameters
    ----------
    index : SearchIndex
        From :func:`build_index`.
    query : str
        Address, postcode + house number and/or company name, typos allowed.
    limit : int
        Most matches returned.

    Returns
    -------
    SearchResult
        Ties are ordered by street, then house number.
    """
    empty = pd.DataFrame(
        {
            "building_id": pd.Series(dtype="string"),
            "label": pd.Series(dtype="string"),
            "score": pd.Series(dtype="float"),
        }
    )
    parsed = parse_query(query)
    score = scores(index, parsed)
    if np.isnan(score).all():
        return SearchResult(str(query), empty, False, False, "")
    score = np.round(score, 1)
    # only the best buildings (and all that tie with the last of them) are sorted
    size = min(len(score), max(limit, NEAREST, 2))
    cut = np.partition(score, len(score) - size)[len(score) - size]
    at = np.flatnonzero(score >= cut)
    table = pd.DataFrame(
        {
            "building_id": index.building_id[at],
            "label": index.label[at],
            "score": score[at],
            "street": index.street[at],
            "number": index.number[at],
            "house_number": index.house_number[at],
        }
    ).sort_values(
        ["score", "street", "number", "house_number"],
        ascending=[False, True, True, True],
        kind="stable",
    )
    count = int((score >= MATCH_SCORE).sum())
    found = count > 0
    keep = table[table["score"] >= MATCH_SCORE] if found else table.head(NEAREST)
    matches = keep.head(limit)[["building_id", "label", "score"]].reset_index(drop=True)
    matches = matches.astype({"building_id": "string", "label": "string"})
    top = table["score"].to_numpy()
    confident = bool(
        top[0] >= CONFIDENT_SCORE
        and (len(top) == 1 or top[0] - top[1] >= CONFIDENT_MARGIN)
    )
    number_missing = (
        bool(parsed.house_number)
        and not (table["house_number"].head(len(matches)) == parsed.house_number).any()
    )
    if confident:
        message = ""
    elif found and number_missing:
        message = (
            f"Geen pand gevonden met huisnummer {parsed.house_number} bij "
            f"'{query}'. Dichtstbij: {_named(matches['label'].head(NEAREST))}. "
            "Kies uw pand uit de lijst of controleer het huisnummer."
        )
    elif found:
        message = (
            f"Er passen {count} panden bij '{query}'. Kies het uwe uit de lijst."
            if count > 1
            else f"Het pand dat het best past bij '{query}' is "
            f"{_named(matches['label'])}. Klopt dat? Kies het uit de lijst."
        )
    else:
        message = (
            f"Geen pand gevonden bij '{query}'. Bedoelt u "
            f"{_named(matches['label'])}? Controleer de spelling, of zoek op "
            f"postcode en huisnummer (bijvoorbeeld {_example(index)}) of op "
            "bedrijfsnaam."
        )
    return SearchResult(str(query), matches, found, confident, message)
