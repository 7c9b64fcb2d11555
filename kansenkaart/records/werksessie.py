"""Werksessie logic: status workflow, follow-up and monitoring.

Leidraad step 3 ends in a werksessie where a facilitator shows the
kansenkaart on the wall and the entrepreneurs say what they want to join;
step 4 forms a werkgroep per measure with an uitvoeringsplan and
intentieverklaringen; step 5 monitors the result. This module holds the pure
record logic of the pages *Werksessie* and *Werkgroepen & voortgang*:

- the status workflow (:func:`allowed_statuses`, :func:`missing_for`);
- tables for the pages (:func:`measure_overview`, :func:`participants`,
  :func:`change_log_table`, :func:`monitoring_table`);
- user text made safe for the page (:func:`markdown_text`,
  :func:`problem_text`).

The records themselves live in :mod:`kansenkaart.records.store`; the form
bookkeeping for optimistic locking in :mod:`kansenkaart.records.forms`; the
prepared views on the wall in :mod:`kansenkaart.views.projector`. This module
never imports streamlit.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

import pandas as pd

from kansenkaart.core import texts
from kansenkaart.core.errors import DataError
from kansenkaart.engine import measures
from kansenkaart.records import models, store

# --- status workflow ------------------------------------------------------------

STATUS_HELP = {
    "idee": "Kans gezien in de werksessie.",
    "onderzoek": "De werkgroep zoekt haalbaarheid, kosten en financiering uit.",
    "besluit": "Het uitvoeringsplan ligt er; de bedrijven besluiten en tekenen.",
    "uitvoering": "De maatregel wordt uitgevoerd.",
    "gerealiseerd": "Klaar; de resultaten worden gemonitord.",
}
"""What each status means (Dutch, Leidraad steps 3–5)."""
REQUIRED_FOR = {
    "onderzoek": ("trekker",),
    "besluit": ("trekker", "goal", "approach", "costs", "financing"),
    "uitvoering": (
        "trekker",
        "goal",
        "approach",
        "costs",
        "financing",
        "planning",
        "responsible",
    ),
}
"""Fields that must be filled before a measure may get a status (and later
ones): a werkgroep needs a trekker, a decision needs the uitvoeringsplan."""
REQUIRED_FOR["gerealiseerd"] = REQUIRED_FOR["uitvoering"]
_LABELS = {f.name: f.label for e in ("plan", "workgroup") for f in models.fields(e)}


def allowed_statuses(current: str | None) -> list[str]:
    """Statuses a measure may get next: any earlier one, itself, or one step on.

    Skipping ahead (idee straight to uitvoering) is not offered: each step
    of the Leidraad produces something the next one needs.
    """
    position = models.STATUSES.index(current) if current in models.STATUSES else 0
    return list(models.STATUSES[: position + 2])


def missing_for(status: str, values: Mapping) -> list[str]:
    """Dutch names of the fields still empty that ``status`` requires.

    Parameters
    ----------
    status : str
        One of :data:`kansenkaart.records.models.STATUSES`.
    values : mapping
        Plan and werkgroep values (``trekker``, ``goal``, …).
    """
    return [
        _LABELS[name]
        for name in REQUIRED_FOR.get(status, ())
        if not str(values.get(name) or "").strip()
    ]


def check_status(current: str | None, new: str, values: Mapping) -> list[str]:
    """Dutch reasons why a measure cannot move from ``current`` to ``new``.

    Empty when the move is allowed (:func:`allowed_statuses`) and every
    field ``new`` needs is filled (:func:`missing_for`).
    """
    problems = []
    if new not in allowed_statuses(current):
        problems.append(
            f"Van '{current or models.STATUSES[0]}' kan een maatregel niet direct "
            f"naar '{new}': zet de stappen één voor één."
        )
    missing = missing_for(new, values)
    if missing:
        problems.append(f"Voor status '{new}' ontbreekt nog: {', '.join(missing)}.")
    return problems


# --- tables for the pages ------------------------------------------------------------


def _latest(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    return frame.drop_duplicates(by, keep="last").set_index(by)


def measure_overview(
    totals: pd.DataFrame,
    plans: pd.DataFrame,
    workgroups: pd.DataFrame,
    interests: pd.DataFrame,
    actions: pd.DataFrame,
    survey: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per measure the state of its follow-up, for the workgroups page.

    Measures are listed when they apply on the terrain or have records.

    Parameters
    ----------
    totals : DataFrame
        :func:`kansenkaart.engine.opportunities.measure_totals` (``measure_id``,
        ``n_companies``, ``kwp``).
    plans, workgroups, interests, actions : DataFrame
        ``Store.table`` of each entity for the terrain.
    survey : DataFrame, optional
        :func:`kansenkaart.engine.groups.survey_interest` (``measure_id``,
        ``n_interest_yes``, ``n_interest_maybe``): the survey's answers.

    Returns
    -------
    DataFrame
        ``measure_id``, ``maatregel``, ``schaal``, ``status``, ``trekker``,
        ``enquête ja``, ``enquête misschien`` (survey; 0 where it does not
        ask), ``interesse ja``, ``misschien`` (recorded in the werksessie),
        ``intentieverklaringen``,
        ``open vervolgstappen``, ``eerstvolgende datum`` (date or NaT),
        ``kansen op terrein``.
    """
    plan = _latest(plans, "measure_id")
    group = _latest(workgroups, "measure_id")
    level = interests.groupby(["measure_id", "level"]).size()
    signed = interests[interests["intent_signed"].fillna(False).astype(bool)]
    signed = signed.groupby("measure_id").size()
    open_actions = actions[~actions["done"].fillna(False).astype(bool)]
    due = pd.to_datetime(open_actions["due_on"]).groupby(open_actions["measure_id"])
    counts = totals.set_index("measure_id")["n_companies"]
    answers = (
        survey.set_index("measure_id")
        if survey is not None
        else pd.DataFrame(columns=["n_interest_yes", "n_interest_maybe"])
    )
    recorded = (
        set(plans["measure_id"])
        | set(workgroups["measure_id"])
        | set(interests["measure_id"])
    )
    rows = []
    for m in measures.CATALOGUE:
        n = int(counts.get(m.id, 0) or 0)
        if not n and m.id not in recorded:
            continue
        rows.append(
            {
                "measure_id": m.id,
                "maatregel": m.name,
                "schaal": measures.SCOPE_LABELS[m.scope],
                "status": plan["status"].get(m.id, models.STATUSES[0]),
                "trekker": group["trekker"].get(m.id) or "",
                "enquête ja": int(answers["n_interest_yes"].get(m.id, 0)),
                "enquête misschien": int(answers["n_interest_maybe"].get(m.id, 0)),
                "interesse ja": int(level.get((m.id, texts.YES), 0)),
                texts.MAYBE: int(level.get((m.id, texts.MAYBE), 0)),
                "intentieverklaringen": int(signed.get(m.id, 0)),
                "open vervolgstappen": int((open_actions["measure_id"] == m.id).sum()),
                "eerstvolgende datum": due.min().get(m.id, pd.NaT),
                "kansen op terrein": n,
            }
        )
    return pd.DataFrame(rows)


def _text_column(a: pd.DataFrame, name: str) -> pd.Series:
    """Column ``name`` of ``a`` as text, or all missing when ``a`` lacks it."""
    if name in a.columns:
        return a[name].astype("string")
    return pd.Series(pd.NA, index=a.index, dtype="string")


def participants(
    a: pd.DataFrame, interests: pd.DataFrame, measure_id: str
) -> pd.DataFrame:
    """Companies with recorded interest in a measure ("ja" first).

    Returns
    -------
    DataFrame
        ``building_id``, ``bedrijf``, ``adres``, ``interesse``,
        ``toelichting``, ``intentieverklaring`` (bool), ``getekend op``,
        ``version``, ``vastgelegd door``, ``wanneer`` (Dutch time text).
    """
    rows = interests[interests["measure_id"] == measure_id]
    rows = rows[rows["level"] != texts.NO]
    names = a.set_index(a["building_id"].astype(str))
    company = _text_column(names, "company")
    address = _text_column(names, "address")
    out = pd.DataFrame(
        {
            "building_id": rows["building_id"],
            "bedrijf": rows["building_id"].map(company).fillna(""),
            "adres": rows["building_id"].map(address).fillna(""),
            "interesse": rows["level"],
            "toelichting": rows["note"].fillna(""),
            "intentieverklaring": rows["intent_signed"].fillna(False).astype(bool),
            "getekend op": rows["intent_signed_on"],
            "version": rows["version"],
            "vastgelegd door": rows["updated_by"],
            "wanneer": rows["updated_at"].map(store.when_text),
        }
    )
    order = out["interesse"].map({texts.YES: 0, texts.MAYBE: 1})
    return out.assign(_o=order).sort_values(["_o", "bedrijf"]).drop(columns="_o")


def _describe(entity: str, values: Mapping | None) -> str:
    """Values of a change-log line as ``Status: besluit; Trekker: Anna``."""
    if not values:
        return ""
    by_name = {f.name: f for f in models.fields(entity)}
    return "; ".join(
        f"{by_name[k].label}: {store.display(by_name[k], v)}"
        for k, v in values.items()
        if k in by_name and v not in (None, "", [])
    )


def _key_text(entity: str, key: Mapping, names: Mapping[str, str]) -> str:
    parts = []
    for name, value in key.items():
        if name == "building_id":
            parts.append(names.get(value, f"pand {value}"))
        elif name == "measure_id":
            parts.append(
                measures.BY_ID[value].name if value in measures.BY_ID else value
            )
        elif name == "measured_on":
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(value)
            parts.append(day.strftime("%d-%m-%Y"))
    return ", ".join(parts)


def change_log_table(changes: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """The change log for reading: ``wanneer``, ``wie``, ``wat``, ``actie``, ...

    Parameters
    ----------
    changes : DataFrame
        ``Store.changes``.
    names : mapping
        Building id -> "address — company" (e.g.
        :func:`kansenkaart.engine.search.search_options`).

    Returns
    -------
    DataFrame
        ``wanneer``, ``wie``, ``onderdeel``, ``waarvan``, ``actie``,
        ``versie``, ``nieuwe waarden``, ``vorige waarden`` (Dutch text).
    """
    return pd.DataFrame(
        {
            "wanneer": changes["at"].map(store.when_text),
            "wie": changes["user_name"],
            "onderdeel": changes["entity"].map(lambda e: models.ENTITIES[e].label),
            "waarvan": [
                _key_text(e, k, names)
                for e, k in zip(changes["entity"], changes["record_key"], strict=True)
            ],
            "actie": changes["action"].map(store.ACTIONS),
            "versie": changes["version"].astype("Int64"),
            "nieuwe waarden": [
                _describe(e, v)
                for e, v in zip(changes["entity"], changes["after"], strict=True)
            ],
            "vorige waarden": [
                _describe(e, v)
                for e, v in zip(changes["entity"], changes["before"], strict=True)
            ],
        }
    )


def import_changes_table(
    changed: Sequence[tuple[str, Mapping]], names: Mapping[str, str]
) -> pd.DataFrame:
    """What an import creates or changes: ``onderdeel``, ``waarvan``.

    Parameters
    ----------
    changed : sequence of (entity, key)
        ``ImportResult.changed_records``.
    names : mapping
        Building id -> "address — company".
    """
    return pd.DataFrame(
        {
            "onderdeel": [models.ENTITIES[e].label for e, _ in changed],
            "waarvan": [_key_text(e, key, names) for e, key in changed],
        }
    )


def monitoring_table(readings: pd.DataFrame, measure_id: str) -> pd.DataFrame:
    """Monitoring readings of one measure, oldest first, CO2 in tonnes.

    Returns
    -------
    DataFrame
        ``measured_on`` (date), ``kwp_realised``, ``n_companies``,
        ``co2_avoided_t_yr``, ``note``, ``version``, ``updated_by``.
    """
    rows = readings[readings["measure_id"] == measure_id].sort_values("measured_on")
    return pd.DataFrame(
        {
            "measured_on": rows["measured_on"],
            "kwp_realised": rows["kwp_realised"].astype("Float64"),
            "n_companies": rows["n_companies"].astype("Int64"),
            "co2_avoided_t_yr": rows["co2_avoided_kg_yr"].astype("Float64") / 1000,
            "note": rows["note"],
            "version": rows["version"],
            "updated_by": rows["updated_by"],
        }
    ).reset_index(drop=True)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def markdown_text(text) -> str:
    """User text made literal inside Streamlit markdown (labels, captions).

    Every markdown character gets a backslash, so a company called
    ``**[klik](http://x)**`` is shown as typed, never as a link or bold.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def problem_text(problem) -> str:
    """A refused save for the page: Dutch, markdown-safe, one paragraph each.

    ``problem`` is a :class:`~kansenkaart.records.store.ConflictError`, a
    :class:`~kansenkaart.DataError` (its messages and fixes, without the
    file name a form does not have) or a plain Dutch text.
    """
    if isinstance(problem, DataError):
        lines = [" ".join(filter(None, (p.message, p.fix))) for p in problem.problems]
    else:
        lines = [str(problem)]
    return "\n\n".join(markdown_text(line) for line in lines)
