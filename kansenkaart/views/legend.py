"""Map themes: which class and colour every building gets, and the legend counts.

A :class:`LayerSpec` is the plain data behind one building layer of a map:
per building the class it falls in (or -1 when it is not drawn), the Dutch
class names and colours, an optional tooltip value and whether the value is
an estimate. :mod:`kansenkaart.views.maps` turns a spec into a Leaflet layer and
:func:`legend_table` into a legend with counts, so the map and the legend can
never disagree.

Missing values are never guessed: a building without data falls in the class
``onbekend``; in presentation mode (``hidden``) the sensitive themes show
``niet getoond`` for companies that did not consent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from kansenkaart.core import fmt, texts
from kansenkaart.core.values import mask
from kansenkaart.engine import groups as engine_groups
from kansenkaart.engine import measures
from kansenkaart.views import colors

UNKNOWN_LABEL = texts.UNKNOWN
HIDDEN_LABEL = "niet getoond (geen toestemming)"
HIDDEN_VALUE = texts.HIDDEN
ESTIMATED_LABEL = "waarvan geschat (lichter, gestippelde rand)"
SCOPE_NAMES = {"all": "beide", "individual": "individueel", "collective": "collectief"}
GROUP_COLUMNS = {"energy_hub": "hub_cluster", "collectieve_batterij": "hub_cluster"}
"""Collective measures whose participants form several groups, by column."""


@dataclass(frozen=True, eq=False)
class LayerSpec:
    """Classes of one building layer.

    Attributes
    ----------
    title : str
        Dutch name of the layer; also the label of the value in tooltips.
    labels, colours : tuple of str
        Dutch class names and their fill colours (same length).
    codes : ndarray of int
        Per building (in row order) the index into ``labels``; -1 when the
        building is not drawn in this layer.
    values : tuple of str, optional
        Per building the value for the tooltip (plain text, escaped by the
        map); ``None`` shows the class name.
    estimated : ndarray of bool
        Per building: the value is an estimate (drawn lighter, dashed).
    outline : bool
        Draw outlines only (groups, reach), no fill.
    weight : float
        Line width (px) of an outline layer.
    dash : str or None
        Dash pattern of an outline layer (``"7 5"``), None for a solid line.
    note : str
        Dutch remark shown with the legend (e.g. that data are missing).
    """

    title: str
    labels: tuple[str, ...]
    colours: tuple[str, ...]
    codes: np.ndarray
    values: tuple[str, ...] | None = None
    estimated: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    outline: bool = False
    weight: float = 3.5
    dash: str | None = "7 5"
    note: str = ""


@dataclass(frozen=True)
class Theme:
    """A theme of the current-state map.

    ``sensitive`` themes show company energy figures, which presentation
    mode hides for companies that did not consent.
    """

    id: str
    name: str
    sensitive: bool
    build: Callable[[pd.DataFrame], LayerSpec] = field(repr=False, compare=False)


def column(a: pd.DataFrame, name: str, dtype: str = "Float64") -> pd.Series:
    """Column ``name`` of ``a``, or all missing (of ``dtype``) when ``a`` lacks it."""
    if name in a.columns:
        return a[name]
    return pd.Series(pd.NA, index=a.index, dtype=dtype)


def numbers(values: pd.Series) -> pd.Series:
    """Values as nullable floats; text that is no number becomes NA."""
    return pd.to_numeric(values, errors="coerce").astype("Float64")


def with_unknown(
    title: str,
    labels: Sequence[str],
    colours: Sequence[str],
    codes: np.ndarray,
    known: np.ndarray,
    **extra,
) -> LayerSpec:
    """A spec whose unknown buildings fall in a last class ``onbekend``."""
    codes = np.where(known, codes, len(labels)).astype(int)
    note = ""
    if not known.any():
        note = (
            f"Voor '{title}' zijn (nog) geen gegevens beschikbaar: alle panden "
            "staan als onbekend op de kaart."
        )
    return LayerSpec(
        title,
        (*labels, UNKNOWN_LABEL),
        (*colours, colors.UNKNOWN),
        codes,
        note=note,
        **extra,
    )


def _binned(
    title: str,
    values: pd.Series,
    edges: Sequence[float],
    labels: Sequence[str],
    colours: Sequence[str],
    text: pd.Series | None = None,
    estimated: np.ndarray | None = None,
) -> LayerSpec:
    """Classes by value: class k holds ``edges[k-1] <= value < edges[k]``."""
    amounts = numbers(values)
    known = amounts.notna().to_numpy()
    codes = np.digitize(amounts.fillna(0).to_numpy(float), edges)
    est = np.zeros(len(values), dtype=bool) if estimated is None else estimated
    shown = None
    if text is not None:
        shown = tuple(text.where(pd.Series(known, index=text.index), UNKNOWN_LABEL))
    return with_unknown(
        title, labels, colours, codes, known, values=shown, estimated=est & known
    )


def _categories(
    title: str, values: pd.Series, colours_by_value: dict[str, str]
) -> LayerSpec:
    """Classes by category value; values outside the dict are unknown."""
    keys = list(colours_by_value)
    text = values.astype("string")
    codes = text.map({k: i for i, k in enumerate(keys)}).astype("Float64")
    known = codes.notna().to_numpy()
    return with_unknown(
        title,
        keys,
        list(colours_by_value.values()),
        codes.fillna(0).to_numpy(int),
        known,
        estimated=np.zeros(len(values), dtype=bool),
    )


def energy_label(a: pd.DataFrame) -> LayerSpec:
    """Energy label A+++++ … G (EP-online) in the label colours."""
    return _categories(
        "Energielabel", column(a, "energy_label", "string"), colors.ENERGY_LABEL
    )


def construction_year(a: pd.DataFrame) -> LayerSpec:
    """Construction year in classes that follow the Dutch building codes.

    Before 1965 buildings were hardly insulated; 1975 and 1992 (Bouwbesluit)
    brought insulation requirements; 2012 and 2021 (BENG) tightened them.
    """
    years = numbers(column(a, "construction_year", "Int64"))
    return _binned(
        "Bouwjaar",
        years,
        (1965, 1975, 1992, 2012, 2021),
        (
            "vóór 1965",
            "1965–1974",
            "1975–1991",
            "1992–2011",
            "2012–2020",
            "2021 of later",
        ),
        colors.AGE,
        text=years.map(lambda y: str(int(y)), na_action="ignore").astype("string"),
    )


def _demand(a: pd.DataFrame) -> tuple[pd.Series, np.ndarray]:
    """Total energy demand (kWh/yr, electricity + gas as kWh) and estimate flag."""
    demand = numbers(column(a, "demand_kwh_yr"))
    source = column(a, "demand_source", "string").astype("string")
    estimated = source.eq(texts.ESTIMATED)
    return demand, mask(estimated)


def _estimate_suffix(estimated: np.ndarray, index: pd.Index) -> pd.Series:
    return pd.Series(np.where(estimated, f" ({texts.ESTIMATED})", ""), index=index)


def energy_total(a: pd.DataFrame) -> LayerSpec:
    """Total energy use per year (MWh); estimates drawn lighter and dashed."""
    demand, estimated = _demand(a)
    mwh = demand / 1000
    text = _whole_numbers(mwh, "MWh per jaar")
    return _binned(
        "Energiegebruik",
        demand,
        (50_000, 150_000, 500_000, 1_500_000),
        (
            "minder dan 50 MWh",
            "50–150 MWh",
            "150–500 MWh",
            "500–1.500 MWh",
            "1.500 MWh of meer",
        ),
        colors.SEQUENTIAL,
        text=text.astype("string") + _estimate_suffix(estimated, a.index),
        estimated=estimated,
    )


def energy_intensity(a: pd.DataFrame) -> LayerSpec:
    """Energy use per m² floor area per year (kWh/m²)."""
    demand, estimated = _demand(a)
    floor = numbers(column(a, "floor_area_m2"))
    intensity = (demand / floor.where(floor > 0)).astype("Float64")
    text = _whole_numbers(intensity, "kWh/m² per jaar")
    return _binned(
        "Energiegebruik per m²",
        intensity,
        (100, 200, 350, 600),
        (
            "minder dan 100 kWh/m²",
            "100–200 kWh/m²",
            "200–350 kWh/m²",
            "350–600 kWh/m²",
            "600 kWh/m² of meer",
        ),
        colors.SEQUENTIAL,
        text=text.astype("string") + _estimate_suffix(estimated, a.index),
        estimated=estimated,
    )


def ownership(a: pd.DataFrame) -> LayerSpec:
    """Eigenaar-gebruiker, huurder or belegger (survey, gemeente)."""
    return _categories("Eigendom", column(a, "ownership", "string"), colors.OWNERSHIP)


def obligations(a: pd.DataFrame) -> LayerSpec:
    """Energiebesparingsplicht and onderzoeksplicht (Activiteitenbesluit)."""
    saving = column(a, "besparingsplicht", "boolean").astype("boolean")
    research = mask(column(a, "onderzoeksplicht", "boolean"))
    codes = np.where(research, 0, np.where(mask(saving), 1, 2))
    known = saving.notna().to_numpy() | research
    return with_unknown(
        "Energiebesparingsplicht",
        (
            "onderzoeksplicht (en besparingsplicht)",
            "energiebesparingsplicht",
            "geen besparingsplicht",
        ),
        tuple(colors.OBLIGATION.values()),
        codes,
        known,
        estimated=np.zeros(len(a), dtype=bool),
    )


def solar_existing(a: pd.DataFrame) -> LayerSpec:
    """Solar panels already on the roof (kWp); 0 means none."""
    kwp = numbers(column(a, "pv_kwp_existing"))
    text = _whole_numbers(kwp, "kWp")
    return _binned(
        "Bestaande zonnepanelen",
        kwp,
        (1e-9, 15, 100),
        ("geen zonnepanelen", "minder dan 15 kWp", "15–100 kWp", "100 kWp of meer"),
        (colors.NO_SOLAR, colors.SOLAR[1], colors.SOLAR[2], colors.SOLAR[4]),
        text=text.astype("string").where(kwp != 0, "geen"),
    )


def solar_potential(a: pd.DataFrame) -> LayerSpec:
    """Solar potential per roof (kWp); panels and yield are in the detail."""
    kwp = numbers(column(a, "pv_kwp_potential"))
    return _binned(
        "Zonnepotentieel",
        kwp,
        (15, 50, 100, 250),
        (
            "minder dan 15 kWp",
            "15–50 kWp",
            "50–100 kWp",
            "100–250 kWp",
            "250 kWp of meer",
        ),
        colors.SOLAR,
        text=_whole_numbers(kwp, "kWp"),
    )


def _whole_numbers(values: pd.Series, unit: str) -> pd.Series:
    """Rounded values with Dutch thousands dots and a unit (``1.234 kWp``).

    The same text as :func:`kansenkaart.core.fmt.number` with 0 decimals, written
    out for speed on large terrains; missing values stay missing.
    """
    rounded = values.round().to_numpy(dtype=float, na_value=np.nan)
    text = [
        None if np.isnan(v) else f"{int(v):,} {unit}".replace(",", ".") for v in rounded
    ]
    return pd.Series(text, index=values.index, dtype="string")


THEMES: dict[str, Theme] = {
    t.id: t
    for t in (
        Theme("energy_label", "Energielabel", False, energy_label),
        Theme("construction_year", "Bouwjaar", False, construction_year),
        Theme("energy_total", "Energiegebruik (totaal)", True, energy_total),
        Theme("energy_intensity", "Energiegebruik per m²", True, energy_intensity),
        Theme("ownership", "Eigendom", False, ownership),
        Theme("obligations", "Energiebesparingsplicht", True, obligations),
        Theme("solar_existing", "Bestaande zonnepanelen", False, solar_existing),
    )
}
"""Themes of the current-state map, in menu order."""


def theme_names() -> dict[str, str]:
    """Theme id -> Dutch name, for a menu."""
    return {t.id: t.name for t in THEMES.values()}


def consent(a: pd.DataFrame, survey: pd.DataFrame | None = None) -> np.ndarray:
    """Per building: the company agreed to show its data in a werksessie.

    Uses ``consent_werksessie`` of the analysed table, else the survey linked
    by ``building_id``. Unknown counts as no consent.
    """
    if "consent_werksessie" in a.columns:
        return mask(a["consent_werksessie"])
    if survey is None or survey.empty or "consent_werksessie" not in survey:
        return np.zeros(len(a), dtype=bool)
    agreed = survey.loc[mask(survey["consent_werksessie"]), "building_id"]
    return a["building_id"].isin(agreed.dropna()).to_numpy()


def hidden_mask(
    a: pd.DataFrame, private: bool, survey: pd.DataFrame | None = None
) -> np.ndarray:
    """Buildings whose energy figures presentation mode hides.

    Parameters
    ----------
    a : DataFrame
        Analysed buildings.
    private : bool
        Presentation mode: hide figures of companies without consent.
    survey : DataFrame, optional
        Used when ``a`` has no ``consent_werksessie`` column.
    """
    if not private:
        return np.zeros(len(a), dtype=bool)
    return ~consent(a, survey)


def theme_spec(
    a: pd.DataFrame, theme: str, hidden: np.ndarray | None = None
) -> LayerSpec:
    """The spec of a current-state theme.

    Parameters
    ----------
    a : DataFrame
        Analysed buildings; not modified.
    theme : str
        Key of :data:`THEMES`.
    hidden : ndarray of bool, optional
        Buildings whose values are hidden (see :func:`hidden_mask`); applies
        to sensitive themes only.

    Raises
    ------
    KeyError
        For an unknown theme.
    """
    chosen = THEMES[theme]
    spec = chosen.build(a)
    if not chosen.sensitive or hidden is None or not hidden.any():
        return spec
    return hide(spec, hidden)


def hide(spec: LayerSpec, hidden: np.ndarray) -> LayerSpec:
    """``spec`` with the ``hidden`` buildings in a class "niet getoond"."""
    codes = np.where(hidden, len(spec.labels), spec.codes)
    values = spec.values
    if values is not None:
        values = tuple(np.where(hidden, HIDDEN_VALUE, np.asarray(values, dtype=object)))
    return replace(
        spec,
        labels=(*spec.labels, HIDDEN_LABEL),
        colours=(*spec.colours, colors.HIDDEN),
        codes=codes,
        values=values,
        estimated=spec.estimated & ~hidden,
    )


def legend_table(spec: LayerSpec) -> pd.DataFrame:
    """Legend with counts: ``kleur``, ``klasse``, ``aantal`` (classes in use).

    Buildings not drawn (code -1) are not counted. When some values are
    estimates, a last row counts them (``kleur`` empty).
    """
    drawn = spec.codes[spec.codes >= 0]
    counts = np.bincount(drawn, minlength=len(spec.labels))
    table = pd.DataFrame(
        {"kleur": spec.colours, "klasse": spec.labels, "aantal": counts}
    )
    table = table[table["aantal"] > 0]
    n_estimated = int((spec.estimated & (spec.codes >= 0)).sum())
    if n_estimated:
        table = pd.concat(
            [
                table,
                pd.DataFrame(
                    {
                        "kleur": [""],
                        "klasse": [ESTIMATED_LABEL],
                        "aantal": [n_estimated],
                    }
                ),
            ]
        )
    return table.reset_index(drop=True)


# --- opportunities ---------------------------------------------------------


def selected_measures(scope: str = "all", measure_ids=None) -> list:
    """Catalogue measures in ``scope``, optionally only those in ``measure_ids``.

    Parameters
    ----------
    scope : {"all", "individual", "collective"}
    measure_ids : iterable of str, optional
        Ids to keep; ``None`` keeps every measure of the scope.

    Returns
    -------
    list of :class:`kansenkaart.engine.measures.Measure`, in catalogue order.
    """
    if scope not in SCOPE_NAMES:
        raise ValueError(
            f"onbekende schaal '{scope}'; kies uit {', '.join(SCOPE_NAMES)}"
        )
    keep = None if measure_ids is None else set(measure_ids)
    return [
        m
        for m in measures.CATALOGUE
        if (scope == "all" or m.scope == scope) and (keep is None or m.id in keep)
    ]


def measure_colour(measure_id: str) -> str:
    """Fixed colour of a measure (its place in the catalogue)."""
    ids = [m.id for m in measures.CATALOGUE]
    return colors.pick(ids.index(measure_id))


def _measure_lists(a: pd.DataFrame) -> pd.Series:
    """The ``measures`` column, empty lists where missing."""
    values = column(a, "measures", "object")
    return values.map(lambda v: v if isinstance(v, list | tuple) else [])


def has_measure(a: pd.DataFrame, measure_id: str) -> np.ndarray:
    """Per building: ``measure_id`` is one of its opportunities."""
    return _measure_lists(a).map(lambda ids: measure_id in ids).to_numpy(dtype=bool)


def opportunity_spec(a: pd.DataFrame, chosen: Sequence) -> LayerSpec:
    """Buildings coloured by their opportunities among the ``chosen`` measures.

    With one measure chosen the buildings for which it is an opportunity get
    the measure's colour; with more, the colour shows how many of the chosen
    measures apply (0, 1, 2, 3, 4 or more). Buildings the engine has not
    analysed (``n_measures`` missing) are ``onbekend``.
    """
    wanted = {m.id for m in chosen}
    count = _measure_lists(a).map(lambda ids: len(wanted.intersection(ids)))
    known = numbers(column(a, "n_measures", "Int64")).notna().to_numpy()
    estimated = np.zeros(len(a), dtype=bool)
    if len(chosen) == 1:
        (measure,) = chosen
        return with_unknown(
            f"Kans: {measure.name}",
            ("geen kans", f"kans: {measure.name}"),
            (colors.COUNT[0], measure_colour(measure.id)),
            count.to_numpy(int),
            known,
            estimated=estimated,
        )
    lows, highs = count_classes(len(chosen))
    labels = [
        f"{lo} {'kans' if hi == 1 else 'kansen'}" if lo == hi else f"{lo}–{hi} kansen"
        for lo, hi in zip(lows, highs, strict=True)
    ]
    return with_unknown(
        "Kansen in selectie",
        ("geen kans in deze selectie", *labels),
        colors.COUNT[: len(labels) + 1],
        np.digitize(count.to_numpy(int), lows),
        known,
        estimated=estimated,
    )


def count_classes(n_measures: int) -> tuple[list[int], list[int]]:
    """Classes of "number of opportunities" for ``n_measures`` chosen measures.

    One class per count up to four measures; beyond that four classes of
    (nearly) equal width over 1 … ``n_measures``.

    Returns
    -------
    lows, highs : list of int
        Inclusive bounds of the classes above zero.
    """
    if n_measures <= 4:
        counts = list(range(1, n_measures + 1))
        return counts, counts
    edges = np.linspace(0, n_measures, 5).round().astype(int)
    return (edges[:-1] + 1).tolist(), edges[1:].tolist()


def participants_spec(a: pd.DataFrame, measure) -> LayerSpec:
    """Outline of the buildings taking part in a collective ``measure``."""
    taking_part = has_measure(a, measure.id)
    return LayerSpec(
        f"Deelnemer {measure.name}",
        (measure.name,),
        (measure_colour(measure.id),),
        np.where(taking_part, 0, -1),
        estimated=np.zeros(len(a), dtype=bool),
        outline=True,
    )


def groups(a: pd.DataFrame, measure) -> pd.Series:
    """Group key per participant of a collective measure (NA: not taking part).

    The key is the id of the building's group of that measure in
    ``collective_groups`` (:mod:`kansenkaart.engine.groups`, the rows of
    ``Analysis.groups``). A table without that column (not made by
    ``kk.analyse``) groups an energy hub or a shared battery per neighbour
    cluster (``hub_cluster``) and other collectives as one group.
    """
    taking_part = pd.Series(has_measure(a, measure.id), index=a.index)
    if engine_groups.COLUMN in a.columns:
        key = pd.Series(
            [
                next(
                    (g for g in ids if engine_groups.measure_of(g) == measure.id),
                    None,
                )
                if isinstance(ids, list)
                else None
                for ids in a[engine_groups.COLUMN]
            ],
            index=a.index,
            dtype="string",
        )
        return key.where(taking_part)
    column = GROUP_COLUMNS.get(measure.id)
    if column in a.columns:
        key = a[column].astype("Int64")
    else:
        key = pd.Series(1, index=a.index, dtype="Int64")
    return key.where(taking_part)


def styled(table: pd.DataFrame):
    """A legend table for display: colour swatches, Dutch thousands.

    Returns a pandas ``Styler`` without index whose ``kleur`` column shows
    the colour (an empty colour shows a blank cell) and whose ``aantal`` is
    formatted the Dutch way.
    """
    return (
        table.style.hide(axis="index")
        .format({"kleur": lambda _: "", "aantal": lambda n: fmt.number(n)})
        .apply(
            lambda col: [f"background-color: {c}" if c else "" for c in col],
            subset=["kleur"],
        )
    )
