"""The Dutch vocabulary: every status word a user reads, worded once.

Every layer may use it (the engine writes Dutch reasons too); no other module
writes these words as a string literal (``tests/test_texts.py`` checks). Number
and unit formats are in :mod:`kansenkaart.core.fmt`.

- *onbekend*, *ja*, *nee*: missing values and yes/no answers everywhere
  (DESIGN.md section 4.1: "missing values stay NA and are shown as onbekend").
- Verdicts of an obligation: ``ja``, ``waarschijnlijk ja`` (the figure it
  rests on is an estimate), ``nee``, ``onbekend`` (:func:`verdict`).
- The basis of a figure (``*_source`` columns): ``gemeten``, ``enquête``,
  ``geschat``, and ``eigen opgave`` for a figure the entrepreneur corrected.
- Capaciteitskaart status 0–3 of the netbeheerders (DESIGN.md section 4.4) and
  its colour name, so the map can be read without colour (:func:`grid_status`).
- The pMIEK traffic light (Uitvoeringsagenda pMIEK §4.2, figuur 8).
"""

from __future__ import annotations

import pandas as pd

UNKNOWN = "onbekend"
"""Shown for every missing value."""
YES = "ja"
NO = "nee"
MAYBE = "misschien"
"""Survey answers (interest per measure, kopgroep): ja / misschien / nee."""
PROBABLY_YES = "waarschijnlijk ja"
"""Verdict that rests on an estimated figure."""
HIDDEN = "niet getoond"
"""A company's figure left out in presentation mode or the public variant."""

# --- basis of a figure ---------------------------------------------------------

MEASURED = "gemeten"
SURVEY = "enquête"
ESTIMATED = "geschat"
BASES = (MEASURED, SURVEY, ESTIMATED)
"""Values of the ``*_source`` columns, most reliable first."""
BASIS_RANK = {basis: rank for rank, basis in enumerate(reversed(BASES))}
"""Reliability of a basis: 0 geschat, 1 enquête, 2 gemeten."""
OWN_INPUT = "eigen opgave"
"""Basis of a figure the entrepreneur corrected (Mijn pand, what-if)."""

# --- Capaciteitskaart ----------------------------------------------------------

GRID_STATUS = {
    0: "capaciteit beschikbaar",
    1: "beperkte capaciteit",
    2: "in onderzoek / wachtrij",
    3: "tekort",
}
"""Dutch meaning of the Capaciteitskaart statuses 0–3."""
GRID_COLOURS = {0: "groen", 1: "geel", 2: "oranje", 3: "rood"}
"""Colour name per status, as the netbeheerders' colour code names it."""
GRID_NO_AREA = f"{UNKNOWN} (buiten de capaciteitsgebieden)"
"""Status of a building that lies in no capacity area."""

# --- solar advice ------------------------------------------------------------------

PV_LIMIT_ROOF = "begrensd door dak"
PV_LIMIT_CONNECTION = "begrensd door aansluiting"
PV_LIMIT_GRID = (
    "netcongestie invoeding: afgestemd op eigen verbruik; overweeg batterij of "
    "collectief"
)
PV_LIMIT_FULL = "dak al vol"
PV_LIMITS = (PV_LIMIT_ROOF, PV_LIMIT_CONNECTION, PV_LIMIT_GRID, PV_LIMIT_FULL)
"""Values of ``pv_limit``: what limits the advised solar
(:func:`kansenkaart.engine.solar.advised_panels`)."""

# --- measures ----------------------------------------------------------------------

POSSIBLE = "mogelijk (gegevens ontbreken)"
"""A measure whose rule cannot be decided because data are missing."""

# --- pMIEK traffic light -----------------------------------------------------------

ON_SCHEDULE = "Op planning"
AT_RISK = "Risico op vertraging"
DELAYED = "Vertraagd"
LIGHT_UNKNOWN = UNKNOWN.capitalize()
"""The dates do not decide the light (no planned IBN, or a bound missing)."""
TRAFFIC_LIGHTS = (ON_SCHEDULE, AT_RISK, DELAYED, LIGHT_UNKNOWN)


def missing(value) -> bool:
    """True for None, NaN, NaT and pd.NA (a scalar), False otherwise."""
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def text(value, default: str = UNKNOWN) -> str:
    """``value`` as text; ``default`` (``onbekend``) when missing or empty."""
    if missing(value) or str(value) == "":
        return default
    return str(value)


def yes_no(value) -> str:
    """``ja``, ``nee`` or ``onbekend`` for a nullable boolean."""
    if missing(value):
        return UNKNOWN
    return YES if bool(value) else NO


def verdict(value, basis=None) -> str:
    """Three-valued verdict of an obligation.

    Parameters
    ----------
    value : bool, pd.NA or None
        The rule's outcome (NA where the data do not decide it).
    basis : str, optional
        What the outcome rests on (:data:`BASES`); an estimate turns *ja* into
        *waarschijnlijk ja*.

    Returns
    -------
    str
        ``ja``, ``waarschijnlijk ja``, ``nee`` or ``onbekend``.
    """
    if missing(value):
        return UNKNOWN
    if bool(value):
        return PROBABLY_YES if basis == ESTIMATED else YES
    return NO


def with_basis(value: str, basis) -> str:
    """``"2,0 GWh per jaar (enquête)"``: a figure followed by its basis.

    Nothing is added when the basis is missing or the figure is unknown.
    """
    if missing(basis) or basis == "" or value == UNKNOWN:
        return value
    return f"{value} ({basis})"


def grid_code(status) -> int | None:
    """A Capaciteitskaart status as int 0–3; None when missing or outside 0–3."""
    if missing(status):
        return None
    code = int(status)
    return code if code in GRID_STATUS else None


def grid_status(status, unknown: str = UNKNOWN) -> str:
    """Dutch text of a Capaciteitskaart status: ``"3 · tekort (rood)"``.

    Number, meaning and colour name. ``unknown`` when the status is missing
    or outside 0–3 (:data:`GRID_NO_AREA` for a building outside every area).
    """
    code = grid_code(status)
    if code is None:
        return unknown
    return f"{code} · {GRID_STATUS[code]} ({GRID_COLOURS[code]})"


def grid_words(values: pd.Series) -> pd.Series:
    """The meaning alone (``beperkte capaciteit``) per status, for sentences.

    Vectorised; ``onbekend`` where missing.
    """
    words = values.astype("Int64").map(GRID_STATUS, na_action="ignore")
    return words.astype("string").fillna(UNKNOWN)


GRID_STATUS_TEXTS = {code: grid_status(code) for code in GRID_STATUS}
"""Status -> :func:`grid_status` text, for legends and table columns."""
