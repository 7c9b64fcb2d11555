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
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kansenkaart.core import fmt, texts
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.core.schema import SURVEY_MEASURES
from kansenkaart.core.values import per_value
from kansenkaart.engine import groups as engine_groups
from kansenkaart.engine import measures as engine_measures

ANSWER_POINTS = {texts.YES: 1.0, texts.MAYBE: 0.5, texts.NO: 0.0}
_KOPGROEP_TEXT = {
    texts.YES: "wil in de kopgroep",
    texts.MAYBE: "misschien interesse in de kopgroep",
    texts.NO: "wil niet in de kopgroep",
}


def _points(answers: pd.Series) -> np.ndarray:
    """Survey answers as points (:data:`ANSWER_POINTS`); NaN when not answered."""
    return per_value(answers.astype("string"), ANSWER_POINTS)


def _whole_numbers(values: np.ndarray, unit: str) -> tuple[np.ndarray, np.ndarray]:
    """:func:`kansenkaart.core.fmt.numbers` without decimals, as codes into a
    table of texts (one text per distinct whole number; NaN is "onbekend").

    The values are rounded first: ``np.rint`` rounds the exact value half to
    even, as ``str.format`` does, so the text is the same. Distinct by their
    bits, so -0 (from -0,3) keeps its sign.
    """
    bits = np.rint(np.asarray(values, dtype=float)).view(np.int64)
    codes, distinct = pd.factorize(bits)
    words = fmt.numbers(pd.Series(distinct.view(float)), 0, unit)
    return codes, words.to_numpy(dtype=object)


def group_interest(
    df: pd.DataFrame,
    groups: pd.DataFrame | None,
    answer_points: Mapping[str, np.ndarray] | None = None,
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
    answer_points : mapping of str to ndarray, optional
        Per ``interest_<measure>`` column its answers as points
        (:data:`ANSWER_POINTS`, NaN when not answered) when already known.

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
    known = answer_points or {}
    answered = {}  # points per survey column of a measure (0: no answer)
    for measure in engine_measures.CATALOGUE:
        name = measure.survey_column
        if name in df.columns and name not in answered:
            values = known.get(name)
            if values is None:
                values = _points(df[name])
            answered[name] = np.nan_to_num(values, nan=0.0)
    hopeful = np.zeros(n, dtype=bool)  # some interest: only these can score
    for values in answered.values():
        hopeful |= values > 0
    rows = np.flatnonzero(hopeful)
    lists = [
        ids if isinstance(ids, list | tuple) else ()
        for ids in df[engine_groups.COLUMN].to_numpy(dtype=object)[rows].tolist()
    ]
    position = np.repeat(rows, [len(ids) for ids in lists])
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
        if name in answered:
            at = asked == k
            points[at] = answered[name][position[at]]
    best = np.zeros(n)
    np.maximum.at(best, position, points)
    named = (
        dict(
            zip(
                groups["group_id"].to_numpy(dtype=object),
                groups["name"].to_numpy(dtype=object),
                strict=True,
            )
        )
        if (groups is not None and not groups.empty)
        else {}
    )
    chosen = (points > 0) & (points == best[position])
    at = position[chosen]  # by building
    bounds = np.r_[np.flatnonzero(np.diff(at, prepend=-1)), len(at)]  # at ≥ 0
    who = at[bounds[:-1]]
    # the names of each building's chosen groups joined by pyarrow, each name
    # made once per group, not once per member
    label = pa.array([named.get(g, g) for g in unique], type=pa.string())
    joined = pc.binary_join(
        pa.ListArray.from_arrays(
            pa.array(bounds, type=pa.int32()), label.take(inverse[chosen])
        ),
        ", ",
    )
    lead = _piece(
        np.array(
            [
                [f"{interest}interesse in {groep} " for groep in ("groepen", "groep")]
                for interest in (f"{texts.MAYBE} ", "")
            ],
            dtype=object,
        ),
        (best[who] == 1).astype(np.int64),
        (np.diff(bounds) == 1).astype(np.int64),
    )
    text = pc.binary_join_element_wise(lead, joined, "")
    slot = np.full(n, -1)
    slot[who] = np.arange(len(who))
    names = pd.array(text.take(pa.array(slot, mask=slot < 0)), dtype="string")
    return (
        pd.Series(best, index=df.index, dtype="Float64"),
        pd.Series(names, index=df.index, copy=False),
    )


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
    survey_columns = [f"interest_{m}" for m in SURVEY_MEASURES]
    # a row per survey question: the sums over the questions run along the
    # buildings, not nine at a time
    interest = np.stack([_points(df[name]) for name in survey_columns])
    kopgroep = np.nan_to_num(_points(df["kopgroep_interest"]), nan=0.0)
    asked = (~np.isnan(interest)).sum(axis=0)
    total = np.nansum(interest, axis=0)
    measures = np.divide(total, asked, out=np.zeros(n), where=asked > 0)
    in_group, group_names = group_interest(
        df, groups, dict(zip(survey_columns, interest, strict=True))
    )
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

    ``interest``: the answer points per survey question (row) and building.

    The text is five pieces: the place, then four pieces that each depend on
    a few codes (answer and interest; group names; willingness and solar
    potential; use). Each piece is worded once per distinct combination of
    its codes; the pieces are taken and joined by pyarrow, without a Python
    string per building (100,000 buildings in about 0,05 s).
    """
    n = len(df)
    answered = df["survey_answered"].to_numpy(bool, na_value=False)
    # place: "Plek 12 van 100" (positions are 1 … n); null without a place,
    # which makes the whole text null when the pieces are joined
    place = pc.binary_join_element_wise(
        "Plek ",
        pa.array(
            position.to_numpy(dtype=np.int64, na_value=0),
            mask=position.isna().to_numpy(),
        ).cast(pa.string()),
        f" van {n}",
        "",
    )
    # answer and interest, by [selected, answer code + 1, answered, yes + 1]
    codes, uniques = pd.factorize(answer)
    said = [_KOPGROEP_TEXT.get(u) for u in uniques]
    unsaid = ("geen enquête", "kopgroepvraag niet beantwoord")
    m = len(SURVEY_MEASURES)
    answers = _piece(
        np.array(
            [
                (" (voorgesteld): " if chosen else ": ")
                + (said[c] if c >= 0 and said[c] is not None else unsaid[asked])
                + (f"; interesse in {k} van {m} maatregelen" if asked else "")
                for chosen, c, asked, k in itertools.product(
                    (0, 1), range(-1, len(said)), (0, 1), range(-1, m + 1)
                )
            ],
            dtype=object,
        ).reshape(2, len(said) + 1, 2, m + 2),
        selected.to_numpy(bool, na_value=False).astype(np.int64),
        codes + 1,
        answered.astype(np.int64),
        np.where(answered, (interest == 1).sum(axis=0), -1) + 1,
    )
    # groups
    group_text = pa.array(group_names.array, type=pa.string())
    names = pc.if_else(
        pc.is_null(group_text),
        "",
        pc.binary_join_element_wise("; ", group_text, ""),
    )
    # willingness and solar potential, by [willingness code, kWp code + 1]
    will_codes, will_uniques = pd.factorize(df["collective_willingness"])
    will = [
        f"; bereid tot samenwerken: {w} van 5"
        for w in pd.Series(will_uniques).astype("string").tolist()
    ]
    pv = df["pv_kwp_potential"].to_numpy(dtype=float, na_value=np.nan)
    pv_codes, pv_words = _whole_numbers(pv, "kWp")
    potential = _piece(
        np.array(
            [
                [w, *(w + "; zonnepotentieel " + pv_words).tolist()]
                for w in [*will, ""]  # code -1: no answer
            ],
            dtype=object,
        ),
        will_codes,
        np.where(pv >= a.pv_min_kwp.value, pv_codes + 1, 0),
    )
    # use, by [estimated, MWh code + 1]
    demand = df["demand_kwh_yr"].to_numpy(dtype=float, na_value=np.nan)
    use_codes, use_words = _whole_numbers(demand / 1000, "MWh")
    estimated = df["demand_source"].astype("string").eq(texts.ESTIMATED)
    use = _piece(
        np.array(
            [
                [".", *(f"; verbruik {w} per jaar{source}." for w in use_words)]
                for source in ("", f" ({texts.ESTIMATED})")
            ],
            dtype=object,
        ),
        estimated.to_numpy(bool, na_value=False).astype(np.int64),
        np.where(np.isnan(demand), 0, use_codes + 1),
    )
    text = pc.binary_join_element_wise(place, answers, names, potential, use, "")
    return pd.Series(pd.array(text, dtype="string"), index=df.index, copy=False)


def _piece(words: np.ndarray, *codes: np.ndarray) -> pa.Array:
    """``words[codes]`` as a pyarrow string array (a code -1 is the last word)."""
    at = np.ravel_multi_index(codes, words.shape, mode="wrap")
    return pa.array(words.ravel(), type=pa.string()).take(at)
