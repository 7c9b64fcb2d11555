"""Ranking themes of the kansenkaart: where to start, and what holds back.

The Leidraad's kansenkaart shows "kansen en uitdagingen" (Leidraad
bedrijventerreinen Drenthe, praktijkvoorbeeld Kansenkaart De Wieken). Each
theme of :data:`RANKINGS` colours every building of a terrain in classes that
split the terrain, with a one-line Dutch explanation of the ranking:

- *Grootste kans*, *CO₂*, *€ per jaar* and *terugverdientijd* rank the
  buildings by the figures of their individual measures
  (:func:`building_impact`);
- *Koppelscore* ranks them by the coupling score of the engine
  (``coupling_score``: distance decay × matching demand);
- *Collectieve groepen* counts the collective groups a building is a member
  of (``Analysis.groups``; "nog geen groepen" while there are none);
- *Uitdagingen* counts what holds a building back (:func:`challenges`):
  grid congestion, a tenant who depends on the landlord, the label C
  obligation for offices, a monument, missing data.

Amounts are split at quantiles (:func:`quantile_edges`): equal numbers of
buildings per class, edges rounded to two significant digits for a readable
legend, so no class holds more than :data:`MAX_SHARE` of the buildings unless
that many buildings share one value; then the legend says so. Every theme is
a :class:`~kansenkaart.views.legend.LayerSpec`, so the Leaflet maps, the
werksessie and the PDF (:mod:`kansenkaart.views.kansenkaart_pdf`) draw it
and :func:`~kansenkaart.views.legend.legend_table` counts it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from kansenkaart.core import fmt, texts
from kansenkaart.core.model import Analysis
from kansenkaart.engine import groups as engine_groups
from kansenkaart.engine import measures, privacy
from kansenkaart.engine.opportunities import via_verhuurder
from kansenkaart.views import colors, legend
from kansenkaart.views.legend import LayerSpec

N_CLASSES = 5
"""Classes of an amount theme."""
MAX_SHARE = 0.6
"""Largest share of the buildings one class may hold (issue 17)."""
KANS_COLOURS = ("#edf8e9", "#bae4b3", "#74c476", "#31a354", "#006d2c")
"""ColorBrewer Greens (5): light is a small chance, dark the largest."""
CHALLENGE_COLOURS = ("#e8f1fa", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15")
"""Pale blue for none, then ColorBrewer Reds: more challenges is darker."""
NO_GROUP = "nog geen groepen"
IMPACT_NOTE = (
    "Som van de individuele maatregelen van het pand; besparingen kunnen "
    "overlappen (isolatie en warmtepomp op hetzelfde gas): een bovengrens."
)


# --- classes -------------------------------------------------------------------


def _two_digits(value: float) -> float:
    """``value`` rounded to two significant digits (1234 -> 1200, 0.456 -> 0.46)."""
    if value == 0 or not np.isfinite(value):
        return float(value)
    return float(np.round(value, 1 - int(np.floor(np.log10(abs(value))))))


def _largest_share(values: np.ndarray, edges: np.ndarray) -> float:
    counts = np.bincount(np.digitize(values, edges), minlength=len(edges) + 1)
    return counts.max() / len(values)


def quantile_edges(
    values: Sequence[float], n_classes: int = N_CLASSES, max_share: float = MAX_SHARE
) -> np.ndarray:
    """Inner class edges that split ``values`` into (nearly) equal classes.

    Class *k* holds ``edges[k-1] <= value < edges[k]`` (``np.digitize``).
    The edges are the quantiles at 1/n … (n-1)/n, rounded to two significant
    digits for the legend; when rounding would let one class hold more than
    ``max_share`` of the values, the exact quantiles are kept. An edge at the
    smallest value moves up to the next distinct value, so a large group of
    equal lowest values (a coupling score of 0) forms a class of its own;
    other repeated edges merge classes, so fewer classes may come out.

    Parameters
    ----------
    values : sequence of float
        Known values (no NaN).
    n_classes : int
    max_share : float
        Largest share (0–1) one class should hold.

    Returns
    -------
    ndarray of float
        Sorted, unique, every edge above the smallest value (so no class is
        empty by construction); empty for fewer than two distinct values.
    """
    known = np.asarray(values, dtype=float)
    distinct = np.unique(known)
    if len(distinct) < 2:
        return np.zeros(0)
    exact = np.quantile(known, np.arange(1, n_classes) / n_classes)
    exact = np.where(exact <= distinct[0], distinct[1], exact)
    candidates = []
    for edges in ([_two_digits(e) for e in exact], exact):
        kept = np.unique([e for e in edges if e > distinct[0]])
        candidates.append(kept)
        if _largest_share(known, kept) <= max_share:
            return kept
    return min(candidates, key=lambda e: _largest_share(known, e))


def edge_text(value: float) -> str:
    """A class edge the Dutch way with two significant digits: 1.200, 9,2, 0,35."""
    size = abs(value)
    decimals = 0 if size >= 10 or size == 0 else (1 if size >= 1 else 2)
    return fmt.number(value, decimals)


def _range_labels(edges: np.ndarray, text: Callable[[float], str]) -> list[str]:
    """``minder dan a``, ``a – b``, …, ``z of meer`` for the classes of ``edges``."""
    if not len(edges):
        return ["alle panden"]
    labels = [f"minder dan {text(edges[0])}"]
    labels += [f"{text(lo)} – {text(hi)}" for lo, hi in itertools.pairwise(edges)]
    return [*labels, f"{text(edges[-1])} of meer"]


def _share_note(codes: np.ndarray, known: np.ndarray, labels: Sequence[str]) -> str:
    """Why one class holds more than MAX_SHARE of the known buildings, or ''."""
    if not known.any():
        return ""
    counts = np.bincount(codes[known], minlength=len(labels))
    largest = int(counts.argmax())
    share = counts[largest] / known.sum()
    if share <= MAX_SHARE:
        return ""
    return (
        f"De klasse '{labels[largest]}' bevat {fmt.percent(share)} van de panden "
        "met een waarde: zoveel panden hebben dezelfde waarde, dus fijner "
        "indelen kan niet."
    )


def amount_spec(
    title: str,
    values: pd.Series,
    explanation: str,
    *,
    unit: str = "",
    scale: float = 1.0,
    decimals: int = 0,
    higher_is_better: bool = True,
    labels: Sequence[str] | None = None,
) -> LayerSpec:
    """Buildings in quantile classes of ``values`` (NA: ``onbekend``).

    Parameters
    ----------
    title : str
        Dutch layer title; ``unit`` is added in brackets.
    values : Series
        One value per building (row order); NA is unknown.
    explanation : str
        One Dutch line on how the ranking is made (the legend note).
    unit : str
        Unit of ``values / scale`` (``t CO₂ per jaar``).
    scale : float
        Divisor from the values to the unit shown (1000 for kg -> t).
    decimals : int
        Decimals of a building's value in the tooltip.
    higher_is_better : bool
        Darkest green for the highest values; False for the lowest
        (payback).
    labels : sequence of str, optional
        Class names instead of value ranges (as many as the classes made).
    """
    amounts = legend.numbers(values) / scale
    known = amounts.notna().to_numpy()
    plain = amounts.to_numpy(dtype=float, na_value=np.nan)
    edges = quantile_edges(plain[known])
    codes = np.digitize(np.nan_to_num(plain), edges)
    names = list(labels) if labels is not None else _range_labels(edges, edge_text)
    palette = _spread(KANS_COLOURS, len(names))
    if not higher_is_better:
        palette = palette[::-1]
    note = " ".join(
        part for part in (explanation, _share_note(codes, known, names)) if part
    )
    shown = fmt.numbers(amounts, decimals, unit)
    spec = legend.with_unknown(
        f"{title} ({unit})" if unit else title,
        names,
        palette,
        codes,
        known,
        values=tuple(shown),
        estimated=np.zeros(len(values), dtype=bool),
    )
    return _with_note(spec, note)


def _spread(palette: Sequence[str], n: int) -> tuple[str, ...]:
    """``n`` colours of ``palette`` spread from light to dark."""
    if n >= len(palette):
        return tuple(palette[:n])
    picks = np.linspace(0, len(palette) - 1, n).round().astype(int)
    return tuple(palette[i] for i in picks)


def _with_note(spec: LayerSpec, note: str) -> LayerSpec:
    """``spec`` whose note starts with ``note`` (keeps the spec's own note)."""
    parts = [p for p in (note, spec.note) if p]
    return replace(spec, note=" ".join(parts))


# --- per-building figures ------------------------------------------------------


def building_impact(analysis: Analysis, opportunities: pd.DataFrame) -> pd.DataFrame:
    """Figures of the individual measures of every building, summed.

    Collective measures are left out: collective solar purchase counts the
    same panels as solar on the own roof. Yearly savings and investment come
    from the list (:func:`kansenkaart.engine.opportunities.opportunity_list`);
    the payback is recomputed from the sums.

    Parameters
    ----------
    analysis : Analysis
        The analysed terrain (row order of its buildings is kept).
    opportunities : DataFrame
        ``opportunity_list(analysis)``.

    Returns
    -------
    DataFrame
        Indexed like ``analysis.buildings``: ``co2_kg_yr`` (kg CO₂/jaar
        avoided), ``savings_eur_yr`` (€/jaar), ``invest_eur`` (€),
        ``payback_yr`` (jaar, total investment / total savings); NA where no
        measure of the building has the figure.
    """
    rows = opportunities[opportunities["scope"] == measures.INDIVIDUAL]
    invest = legend.numbers(rows["invest_eur"])
    savings = legend.numbers(rows["savings_eur_yr"])
    figures = pd.DataFrame(
        {
            "building_id": rows["building_id"].astype(str),
            "co2_kg_yr": legend.numbers(rows["co2_kg_yr"]),
            "savings_eur_yr": savings,
            "invest_eur": invest.where(savings.notna()),
        }
    )
    sums = figures.groupby("building_id").sum(min_count=1)
    ids = analysis.buildings["building_id"].astype(str)
    out = sums.reindex(ids.to_numpy()).astype("Float64")
    out.index = analysis.buildings.index
    positive = out["savings_eur_yr"].where(out["savings_eur_yr"] > 0)
    out["payback_yr"] = (out["invest_eur"] / positive).astype("Float64")
    return out


def chance_score(impact: pd.DataFrame) -> pd.Series:
    """*Grootste kans*: mean percentile rank of CO₂, € per year and payback.

    Each figure is ranked over the terrain (0–1, ties share a rank; a short
    payback ranks high); the score is the mean of the known ranks, NA where
    all three are unknown. A relative score: it says where on *this* terrain
    the most can be gained soonest.
    """
    ranks = pd.DataFrame(
        {
            "co2": impact["co2_kg_yr"].rank(pct=True),
            "eur": impact["savings_eur_yr"].rank(pct=True),
            "payback": (-impact["payback_yr"]).rank(pct=True),
        }
    )
    return ranks.mean(axis=1, skipna=True).astype("Float64")


# --- challenges ----------------------------------------------------------------


@dataclass(frozen=True)
class Challenge:
    """One uitdaging of the kansenkaart."""

    id: str
    name: str
    explanation: str
    test: Callable[[pd.DataFrame], pd.Series] = field(repr=False, compare=False)
    private: bool = False
    """Rests on a company's own data (survey, measured use): the public
    variant does not show it for companies without consent."""


def _congestion(a: pd.DataFrame) -> pd.Series:
    statuses = [
        legend.numbers(legend.column(a, c, "Int64"))
        for c in ("grid_afname_status", "grid_invoeding_status")
    ]
    worst = pd.concat(statuses, axis=1).max(axis=1, skipna=True)
    return (worst >= 2).astype("boolean")


def _tenant(a: pd.DataFrame) -> pd.Series:
    return via_verhuurder(legend.column(a, "ownership", "string"), True)


def _label_c(a: pd.DataFrame) -> pd.Series:
    required = legend.column(a, "label_c_required", "boolean").astype("boolean")
    ok = legend.column(a, "label_c_ok", "boolean").astype("boolean")
    return (required & ~ok.fillna(False)).astype("boolean")


def _monument(a: pd.DataFrame) -> pd.Series:
    return legend.column(a, "is_monument", "boolean").astype("boolean")


def _missing_data(a: pd.DataFrame) -> pd.Series:
    source = legend.column(a, "demand_source", "string").astype("string")
    return source.eq(texts.ESTIMATED).fillna(True).astype("boolean")


CHALLENGES: tuple[Challenge, ...] = (
    Challenge(
        "netcongestie",
        "Netcongestie",
        "Het net is vol: afname of invoeding staat op de Capaciteitskaart op "
        "wachtrij of tekort (status 2 of 3). Zon en elektrificatie vragen dan "
        "een batterij, slim schakelen of een collectief contract.",
        _congestion,
    ),
    Challenge(
        "huurder",
        "Huurder afhankelijk van verhuurder",
        "Huurder of pand van een belegger: maatregelen aan dak en gebouw "
        "lopen via de verhuurder (pandeigenaar).",
        _tenant,
    ),
    Challenge(
        "label_c",
        "Label C-plicht kantoor",
        "Kantoor met label C-plicht (sinds 1-1-2023) zonder geregistreerd "
        "label C of beter.",
        _label_c,
    ),
    Challenge(
        "monument",
        "Monument",
        "Rijks- of gemeentelijk monument: zon en isolatie vragen overleg over "
        "vergunning en uitvoering.",
        _monument,
    ),
    Challenge(
        "gegevens",
        "Gegevens ontbreken",
        "Geen gemeten verbruik en geen enquête: het energiegebruik is "
        "geschat, dus de kansen zijn onzeker.",
        _missing_data,
        private=True,
    ),
)
"""The uitdagingen, in the order of the legend and the PDF."""
CHALLENGES_BY_ID = {c.id: c for c in CHALLENGES}


def _lower_first(name: str) -> str:
    """``Label C-plicht kantoor`` -> ``label C-plicht kantoor``."""
    return name[:1].lower() + name[1:]


def challenges(a: pd.DataFrame, hidden: np.ndarray | None = None) -> pd.DataFrame:
    """Per building (rows of ``a``) which uitdaging applies.

    Parameters
    ----------
    a : DataFrame
        Analysed buildings; not modified.
    hidden : ndarray of bool, optional
        Companies whose own data are not shown: their private uitdagingen
        (:attr:`Challenge.private`) become NA.

    Returns
    -------
    DataFrame
        One nullable boolean column per :data:`CHALLENGES` id; NA where the
        data do not say (unknown ownership, no label C verdict) or are hidden.
    """
    table = pd.DataFrame(
        {c.id: c.test(a).astype("boolean").to_numpy() for c in CHALLENGES},
        index=a.index,
    )
    if hidden is not None and hidden.any():
        for c in CHALLENGES:
            if c.private:
                table[c.id] = table[c.id].mask(hidden)
    return table


def challenge_spec(
    a: pd.DataFrame, challenge_id: str, hidden: np.ndarray | None = None
) -> LayerSpec:
    """The buildings an uitdaging applies to (for its page in the PDF).

    Companies in ``hidden`` show ``niet getoond`` for a private uitdaging.
    """
    challenge = CHALLENGES_BY_ID[challenge_id]
    applies = challenge.test(a).astype("boolean")
    known = applies.notna().to_numpy()
    spec = legend.with_unknown(
        challenge.name,
        ("niet van toepassing", f"uitdaging: {_lower_first(challenge.name)}"),
        (CHALLENGE_COLOURS[0], CHALLENGE_COLOURS[3]),
        applies.fillna(False).to_numpy(dtype=int),
        known,
        estimated=np.zeros(len(a), dtype=bool),
    )
    if challenge.private and hidden is not None and hidden.any():
        return legend.hide(spec, hidden)
    return spec


def challenges_spec(a: pd.DataFrame, hidden: np.ndarray | None = None) -> LayerSpec:
    """*Uitdagingen*: how many uitdagingen hold each building back (0 … 4+).

    For companies in ``hidden`` the private uitdagingen are not counted.
    """
    table = challenges(a, hidden)
    count = table.fillna(False).astype(int).sum(axis=1).to_numpy()
    codes = np.minimum(count, 4)
    labels = (
        "geen uitdaging",
        "1 uitdaging",
        "2 uitdagingen",
        "3 uitdagingen",
        "4 of meer uitdagingen",
    )
    per = ", ".join(
        f"{_lower_first(c.name)} {fmt.number(int(table[c.id].sum()))}"
        for c in CHALLENGES
        if table[c.id].any()
    )
    explanation = (
        "Aantal uitdagingen per pand (netcongestie, huurder, label C-plicht, "
        f"monument, ontbrekende gegevens). Panden per uitdaging: {per or 'geen'}."
    )
    note = " ".join(
        p for p in (explanation, _share_note(codes, np.ones(len(a), bool), labels)) if p
    )
    return LayerSpec(
        "Uitdagingen",
        labels,
        CHALLENGE_COLOURS,
        codes,
        estimated=np.zeros(len(a), dtype=bool),
        note=note,
    )


# --- collective groups ---------------------------------------------------------


def group_counts(a: pd.DataFrame, groups: pd.DataFrame | None) -> pd.Series:
    """Per building the number of collective groups it is a member of.

    ``groups`` is ``Analysis.groups`` (:func:`kansenkaart.engine.groups.table`):
    one row per group with its member building ids. Only groups whose members
    are chosen (:data:`kansenkaart.engine.groups.GROUPED`: purchase group,
    energy hub, battery, heat network, airport) count; the terrain-wide
    groups (kennisdelen, energiecoöperatie) hold nearly everyone.
    """
    counts = pd.Series(0, index=a.index, dtype="Int64")
    if groups is None or groups.empty:
        return counts
    chosen = groups[groups["measure_id"].isin(engine_groups.GROUPED)]
    members = chosen[engine_groups.MEMBERS].dropna().explode().astype(str)
    per = members.value_counts()
    ids = a["building_id"].astype(str)
    return pd.Series(
        ids.map(per).fillna(0).astype(int).to_numpy(), index=a.index, dtype="Int64"
    )


def groups_spec(analysis: Analysis, hidden: np.ndarray | None = None) -> LayerSpec:
    """*Collectieve groepen*: in how many collective groups a building takes part.

    With ``hidden`` (presentation mode) the note counts only the groups the
    public variant lists (:func:`kansenkaart.engine.privacy.redact_groups`);
    :func:`ranking_spec` then hides the hidden buildings, since who is in a
    group follows from private data.
    """
    a, groups = analysis.buildings, analysis.groups
    estimated = np.zeros(len(a), dtype=bool)
    if groups is None or groups.empty:
        return LayerSpec(
            "Collectieve groepen",
            (NO_GROUP,),
            (colors.UNKNOWN,),
            np.zeros(len(a), dtype=int),
            estimated=estimated,
            note="Nog geen groepen: de analyse van dit terrein heeft (nog) geen "
            "collectieve groepen met vaste leden gevormd.",
        )
    count = group_counts(a, groups).to_numpy(dtype=int)
    labels = ("in geen groep", "in 1 groep", "in 2 groepen", "in 3 of meer groepen")
    codes = np.minimum(count, 3)
    listed = groups
    if hidden is not None and hidden.any():
        listed = privacy.redact_groups(
            groups,
            engine_groups.FIGURES,
            a,
            privacy.OPENBAAR,
            analysis.assumptions,
        )
    n_groups = int(listed["measure_id"].isin(engine_groups.GROUPED).sum())
    explanation = (
        f"In hoeveel van de {fmt.number(n_groups)} collectieve groepen met "
        "gekozen leden (samen zon inkopen, energy hub, batterij, warmtenet, "
        "luchthaven) een pand lid is; terreinbrede groepen tellen niet mee."
    )
    note = " ".join(
        p for p in (explanation, _share_note(codes, ~estimated, labels)) if p
    )
    return LayerSpec(
        "Collectieve groepen",
        labels,
        (KANS_COLOURS[0], KANS_COLOURS[2], KANS_COLOURS[3], KANS_COLOURS[4]),
        codes,
        estimated=estimated,
        note=note,
    )


# --- the themes ----------------------------------------------------------------


@dataclass(frozen=True)
class Ranking:
    """A ranking theme of the kansenkaart.

    ``sensitive`` themes rest on a company's energy use (or, for the groups,
    on membership that follows from it): presentation mode hides them for
    companies that did not consent. ``build(analysis,
    opportunities, hidden)`` makes the layer; only a theme that mixes public
    and private facts (*Uitdagingen*) uses ``hidden`` itself.
    """

    id: str
    name: str
    sensitive: bool
    build: Callable[[Analysis, pd.DataFrame, np.ndarray | None], LayerSpec] = field(
        repr=False, compare=False
    )


def _largest(analysis: Analysis, opportunities: pd.DataFrame, _hidden) -> LayerSpec:
    score = chance_score(building_impact(analysis, opportunities))
    return amount_spec(
        "Grootste kans",
        score,
        "Gemiddelde rangplaats op dit terrein van CO₂-besparing, besparing in € "
        "per jaar en korte terugverdientijd van de eigen maatregelen.",
        labels=_score_labels(score),
    )


def _score_labels(score: pd.Series) -> list[str]:
    known = score.dropna().to_numpy(dtype=float)
    n = len(quantile_edges(known)) + 1 if len(known) else 1
    names = {
        1: ["alle panden"],
        2: ["kleinere kans", "grotere kans"],
        3: ["kleinste kans", "middelgrote kans", "grootste kans"],
        4: ["kleinste kans", "kleine kans", "grote kans", "grootste kans"],
        5: [
            "kleinste kans",
            "kleine kans",
            "middelgrote kans",
            "grote kans",
            "grootste kans",
        ],
    }
    return names[n]


def _co2(analysis: Analysis, opportunities: pd.DataFrame, _hidden) -> LayerSpec:
    impact = building_impact(analysis, opportunities)
    return amount_spec(
        "CO₂-besparing",
        impact["co2_kg_yr"],
        f"CO₂ die de eigen maatregelen per jaar vermijden. {IMPACT_NOTE}",
        unit="t CO₂ per jaar",
        scale=1000.0,
    )


def _euro(analysis: Analysis, opportunities: pd.DataFrame, _hidden) -> LayerSpec:
    impact = building_impact(analysis, opportunities)
    return amount_spec(
        "Besparing",
        impact["savings_eur_yr"],
        f"Besparing op de energierekening per jaar (excl. btw). {IMPACT_NOTE}",
        unit="€ per jaar",
    )


def _payback(analysis: Analysis, opportunities: pd.DataFrame, _hidden) -> LayerSpec:
    impact = building_impact(analysis, opportunities)
    return amount_spec(
        "Terugverdientijd",
        impact["payback_yr"],
        "Totale investering gedeeld door de totale besparing per jaar van de "
        "eigen maatregelen: hoe korter, hoe donkerder.",
        unit="jaar",
        decimals=1,
        higher_is_better=False,
    )


def _coupling(analysis: Analysis, opportunities: pd.DataFrame, _hidden) -> LayerSpec:
    score = legend.column(analysis.buildings, "coupling_score")
    return amount_spec(
        "Koppelscore",
        score,
        "Kans op koppeling met een bron (RWZI-warmte, luchthaven): hoe dichter "
        "bij de bron en hoe beter de vraag past, hoe hoger (0–1).",
        decimals=2,
    )


def _groups(analysis: Analysis, opportunities: pd.DataFrame, hidden) -> LayerSpec:
    return groups_spec(analysis, hidden)


def _challenges(analysis: Analysis, opportunities: pd.DataFrame, hidden) -> LayerSpec:
    return challenges_spec(analysis.buildings, hidden)


RANKINGS: dict[str, Ranking] = {
    r.id: r
    for r in (
        Ranking("grootste_kans", "Grootste kans", True, _largest),
        Ranking("co2", "CO₂-besparing", True, _co2),
        Ranking("euro", "Besparing € per jaar", True, _euro),
        Ranking("terugverdientijd", "Terugverdientijd", True, _payback),
        Ranking("groepen", "Collectieve groepen", True, _groups),
        Ranking("koppelscore", "Koppelscore", True, _coupling),
        Ranking("uitdagingen", "Uitdagingen", False, _challenges),
    )
}
"""Ranking themes of the kansenkaart, in menu order."""


def ranking_names() -> dict[str, str]:
    """Ranking id -> Dutch name, for a menu."""
    return {r.id: r.name for r in RANKINGS.values()}


def ranking_spec(
    analysis: Analysis,
    ranking: str,
    opportunities: pd.DataFrame,
    hidden: np.ndarray | None = None,
) -> LayerSpec:
    """The layer of a ranking theme.

    Parameters
    ----------
    analysis : Analysis
        The analysed terrain; not modified.
    ranking : str
        Key of :data:`RANKINGS`.
    opportunities : DataFrame
        ``opportunity_list(analysis)``.
    hidden : ndarray of bool, optional
        Buildings whose figures presentation mode hides
        (:func:`kansenkaart.views.legend.hidden_mask`); applies to sensitive
        themes only.

    Raises
    ------
    KeyError
        For an unknown ranking.
    """
    chosen = RANKINGS[ranking]
    spec = chosen.build(analysis, opportunities, hidden)
    if not chosen.sensitive or hidden is None or not hidden.any():
        return spec
    return legend.hide(spec, hidden)
