"""Rank companies for a first *kopgroep* (Leidraad step 3).

In the Noordenveld pilot a kopgroep of about 30 of 150 companies was chosen
"op basis van de uitgevoerde enquête en data-analyse". This module proposes
such a group: a score from the survey (wants to join the kopgroep, interest
in measures, interest in the collective groups it is a member of, willingness
for collective action) plus potential from the data (solar potential and
energy use), ranked, with a Dutch explanation.
The steering group decides; the ranking is a starting point.

Score (points, weights in :mod:`kansenkaart.core.assumptions`)::

    w_k · kopgroep answer (ja 1, misschien ½, nee 0)
  + w_i · share of survey measures answered "ja" (misschien ½)
  + w_g · best answer for a measure of a collective group it is in
          (:func:`group_interest`)
  + w_w · (willingness − 1) / 4
  + w_p · mean percentile rank of solar potential (kWp) and demand (kWh)

Missing answers add nothing. The top ``kopgroep_share`` of the buildings is
proposed, except companies that answered "nee" to the kopgroep question.

The score and the explanation rest on survey answers: they are private
(:mod:`kansenkaart.engine.privacy` blanks them in the public variant for a
company that did not consent).
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd

from kansenkaart.core import fmt, texts
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.schema import SURVEY_MEASURES
from kansenkaart.engine import groups as engine_groups
from kansenkaart.engine import measures as engine_measures

ANSWER_POINTS = {texts.YES: 1.0, texts.MAYBE: 0.5, texts.NO: 0.0}
_KOPGROEP_TEXT = {
    texts.YES: "wil in de kopgroep",
    texts.MAYBE: "misschien interesse in de kopgroep",
    texts.NO: "wil niet in de kopgroep",
}


def _points(answers: pd.Series) -> pd.Series:
    """Survey answers as points (:data:`ANSWER_POINTS`); NA when not answered."""
    codes, uniques = pd.factorize(answers.astype("string"))
    table = np.array([ANSWER_POINTS.get(u, np.nan) for u in uniques] + [np.nan])
    return pd.Series(table[codes], index=answers.index, dtype="Float64")


def _words(values: pd.Series) -> np.ndarray:
    """``values`` as text (as ``astype("string")``), object array; "" for NA.

    Formats each distinct value once (a few distinct answers or scores).
    """
    codes, uniques = pd.factorize(values)
    words = pd.Series(uniques).astype("string").fillna("").tolist()
    return np.array([*words, ""], dtype=object)[codes]


def _numbers(values: pd.Series, decimals: int, unit: str) -> np.ndarray:
    """:func:`kansenkaart.core.fmt.numbers` as an object array, each distinct
    value formatted once."""
    floats = values.to_numpy(dtype=float, na_value=np.nan)
    distinct, inverse = np.unique(floats, return_inverse=True)
    words = fmt.numbers(pd.Series(distinct), decimals, unit)
    return words.to_numpy(dtype=object)[inverse.ravel()]


def _when(condition: np.ndarray, *pieces) -> list[np.ndarray]:
    """Each piece (text or array of texts) where the condition holds, else ""."""
    return [np.where(condition, piece, "").astype(object) for piece in pieces]


def group_interest(
    df: pd.DataFrame, groups: pd.DataFrame | None
) -> tuple[pd.Series, pd.Series]:
    """Survey interest in the collective groups each building is a member of.

    A company that wants the measure of a group it is in can help pull that
    group (Leidraad stap 3: kopgroep "op basis van de uitgevoerde enquête en
    data-analyse"; stap 4: collectieve projecten). Only groups whose measure
    the survey asks about count (``interest_<measure>``).

    Parameters
    ----------
    df : DataFrame
        Buildings with :data:`kansenkaart.engine.groups.COLUMN` (list of group
        ids per building) and the ``interest_<measure>`` answers.
    groups : DataFrame or None
        The group table (:func:`kansenkaart.engine.groups.table`): ``group_id``
        and ``name`` (Dutch) for the explanation; a group missing there is
        named by its id.

    Returns
    -------
    points : Series of Float64
        Best answer over those groups: ja 1, misschien ½, nee or no answer 0
        (one group is enough to pull); 0 for a building in no such group.
    names : Series of string
        ``"interesse in groep …"`` (or ``"misschien interesse in …"`` when
        no group has a *ja*) with the Dutch names of the groups with that best
        answer; NA where the points are 0.
    """
    n = len(df)
    lists = [
        ids if isinstance(ids, list | tuple) else ()
        for ids in df[engine_groups.COLUMN].to_numpy(dtype=object).tolist()
    ]
    position = np.repeat(np.arange(n), [len(ids) for ids in lists])
    group_id = np.array(list(itertools.chain.from_iterable(lists)), dtype=object)
    inverse, unique = pd.factorize(group_id)
    asked, column = pd.factorize(
        np.array(
            [
                engine_measures.BY_ID[engine_groups.measure_of(g)].survey_column
                for g in unique
            ],
            dtype=object,
        )
    )  # per group the survey column of its measure (-1: not asked)
    asked = asked[inverse]
    points = np.zeros(len(group_id))
    for k, name in enumerate(column):
        if name in df.columns:
            at = asked == k
            points[at] = _points(df[name]).fillna(0).to_numpy(float)[position[at]]
    best = np.zeros(n)
    np.maximum.at(best, position, points)
    named = (
        dict(zip(groups["group_id"], groups["name"], strict=True))
        if (groups is not None and not groups.empty)
        else {}
    )
    chosen = (points > 0) & (points == best[position])
    label = np.array([named.get(g, g) for g in unique], dtype=object)[inverse]
    at, those = position[chosen], label[chosen].tolist()  # by building
    starts = np.flatnonzero(np.diff(at, prepend=-1))  # positions are ≥ 0
    ends = np.r_[starts[1:], len(at)][: len(starts)]
    joined = [", ".join(those[b:e]) for b, e in zip(starts, ends, strict=True)]
    who = at[starts]
    text = np.full(n, None, dtype=object)
    text[who] = (
        np.where(best[who] == 1, "interesse in ", "misschien interesse in ").astype(
            object
        )
        + np.where(ends - starts == 1, "groep ", "groepen ").astype(object)
        + np.array(joined, dtype=object)
    )
    names = pd.Series(text, index=df.index, dtype="string")
    return pd.Series(best, index=df.index, dtype="Float64"), names


def rank(
    df: pd.DataFrame, a: Assumptions, groups: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Kopgroep ranking of an analysed terrain.

    Parameters
    ----------
    df : DataFrame
        Analysed buildings with the survey columns (``kopgroep_interest``,
        ``interest_<measure>``, ``collective_willingness``,
        ``survey_answered``), ``pv_kwp_potential``, ``demand_kwh_yr``,
        ``demand_source`` and :data:`kansenkaart.engine.groups.COLUMN`.
    a : Assumptions
    groups : DataFrame, optional
        The group table, for the group names in the explanation
        (:func:`group_interest`).

    Returns
    -------
    DataFrame
        ``kopgroep_score`` (points), ``kopgroep_rank`` (1 = first),
        ``kopgroep_selected`` (proposed for the kopgroep) and
        ``kopgroep_reason`` (Dutch).
    """
    n = len(df)
    interest = np.column_stack(
        [
            _points(df[f"interest_{m}"]).to_numpy(float, na_value=np.nan)
            for m in SURVEY_MEASURES
        ]
    )
    kopgroep = _points(df["kopgroep_interest"]).fillna(0).to_numpy(float)
    asked = (~np.isnan(interest)).sum(axis=1)
    total = np.nansum(interest, axis=1)
    measures = np.divide(total, asked, out=np.zeros(n), where=asked > 0)
    in_group, group_names = group_interest(df, groups)
    willingness = ((df["collective_willingness"] - 1) / 4).astype("Float64").fillna(0)
    pv = df["pv_kwp_potential"]
    demand = df["demand_kwh_yr"]
    ranks = np.column_stack(
        [pv.rank(pct=True).to_numpy(float), demand.rank(pct=True).to_numpy(float)]
    )
    ranked = (~np.isnan(ranks)).sum(axis=1)
    potential = np.divide(
        np.nansum(ranks, axis=1), ranked, out=np.zeros(n), where=ranked > 0
    )
    score = pd.Series(
        a.kopgroep_weight_kopgroep.value * kopgroep
        + a.kopgroep_weight_interest.value * measures
        + a.kopgroep_weight_group.value * in_group.to_numpy(float)
        + a.kopgroep_weight_willingness.value * willingness.to_numpy(float)
        + a.kopgroep_weight_potential.value * potential,
        index=df.index,
        dtype="Float64",
    )
    position = score.rank(ascending=False, method="first").astype("Int64")
    answer = df["kopgroep_interest"].astype("string")
    places = math.ceil(a.kopgroep_share.value * n)
    selected = (position <= places) & answer.ne(texts.NO).fillna(True).astype("boolean")
    reason = _reason(df, a, position, selected, answer, interest, group_names)
    return pd.DataFrame(
        {
            "kopgroep_score": score,
            "kopgroep_rank": position,
            "kopgroep_selected": selected.astype("boolean"),
            "kopgroep_reason": reason,
        },
        index=df.index,
    )


def _reason(
    df: pd.DataFrame,
    a: Assumptions,
    position: pd.Series,
    selected: pd.Series,
    answer: pd.Series,
    interest: np.ndarray,
    group_names: pd.Series,
) -> pd.Series:
    """``kopgroep_reason`` of :func:`rank` (Dutch; NA without a place).

    Each distinct number or answer is worded once; the pieces of a building
    (object arrays, "" where a part does not apply) are joined in one pass
    (100,000 buildings in about 0,1 s instead of a pandas text operation per
    piece).
    """
    n = len(df)
    answered = df["survey_answered"].to_numpy(bool, na_value=False)
    codes, uniques = pd.factorize(answer)
    said = np.array([_KOPGROEP_TEXT.get(u) for u in uniques] + [None], dtype=object)
    said = said[codes]
    unsaid = np.where(answered, "kopgroepvraag niet beantwoord", "geen enquête")
    said = np.where(pd.isna(said), unsaid.astype(object), said)
    yes = (interest == 1).sum(axis=1)
    pv = df["pv_kwp_potential"]
    demand = df["demand_kwh_yr"]
    willingness = df["collective_willingness"]
    names = group_names.to_numpy(dtype=object, na_value="")
    estimated = df["demand_source"].astype("string").eq(texts.ESTIMATED)
    has_demand = demand.notna().to_numpy()
    usage = np.where(
        estimated.to_numpy(bool, na_value=False),
        f" per jaar ({texts.ESTIMATED})",
        " per jaar",
    )
    pieces = (
        "Plek ",
        _words(position),
        f" van {n}",
        np.where(selected.to_numpy(bool, na_value=False), " (voorgesteld): ", ": "),
        said,
        *_when(
            answered,
            "; interesse in ",
            _words(pd.Series(yes)),
            f" van {len(SURVEY_MEASURES)} maatregelen",
        ),
        *_when(group_names.notna().to_numpy(), "; ", names),
        *_when(
            willingness.notna().to_numpy(),
            "; bereid tot samenwerken: ",
            _words(willingness),
            " van 5",
        ),
        *_when(
            (pv >= a.pv_min_kwp.value).to_numpy(bool, na_value=False),
            "; zonnepotentieel ",
            _numbers(pv, 0, "kWp"),
        ),
        *_when(has_demand, "; verbruik ", _numbers(demand / 1000, 0, "MWh"), usage),
        ".",
    )
    rows = zip(
        *(np.broadcast_to(np.asarray(p, dtype=object), n) for p in pieces), strict=True
    )
    text = np.array(["".join(row) for row in rows], dtype=object)
    text[position.isna().to_numpy()] = None
    return pd.Series(text, index=df.index, dtype="string")
