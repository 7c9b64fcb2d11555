"""Energy-hub figures of the collective groups: wall, exports and workgroup fiche.

:func:`kansenkaart.engine.hub.group_summaries` computes a terrain's figures
once (the app caches them in ``appui/state.py``); this module shows them as
the disclosure rules allow (``docs/PRIVACY.md``): :func:`redacted` for every
view, :func:`wall_table` for the werksessie wall and :func:`fiche_lines` for a
group's card on the Werkgroepen page. Every figure is indicative and carries
its basis (``hub_basis``). This module never imports streamlit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kansenkaart.core import fmt
from kansenkaart.core.assumptions import Assumptions
from kansenkaart.engine import hub, privacy

CONSENT_NOTE = "alle leden gaven toestemming"
PUBLIC_PROFILES = (
    f"Profielen: per lid {hub.BASIS_STANDARD} of, waar geladen, {hub.BASIS_MEASURED}."
)
"""The public variant's basis names no count of members."""


def redacted(
    summaries: pd.DataFrame,
    buildings: pd.DataFrame,
    variant: str,
    assumptions: Assumptions,
    chosen=None,
) -> pd.DataFrame:
    """The hub figures of the groups as the variant may show them.

    A group's figures are its profile in numbers (the peak of a group of
    four is close to each member's own), so in the public variant they follow
    the rules for group totals (:func:`privacy.redact_groups`: R5 at least
    ``privacy_min_connections`` members, R6 no member above
    ``privacy_dominance_share`` of the group's use, R7 rounded, R8 members
    without consent not named and secondary suppression per measure), except
    that the figures of a group whose members all consented are shown (R1),
    rounded like any total. The basis then names no count of profiles.

    Parameters
    ----------
    summaries : DataFrame
        :func:`kansenkaart.engine.hub.group_summaries`; not modified.
    buildings : DataFrame
        Analysed buildings (``building_id``, ``consent_werksessie``).
    variant : {"intern", "openbaar"}
    assumptions : Assumptions
    chosen : iterable of str, optional
        Building ids of a selection (see :func:`privacy.redact_groups`).

    Returns
    -------
    DataFrame
        The listed groups with ``totals_shown`` and ``note``.
    """
    out = privacy.redact_groups(
        summaries, hub.HUB_FIGURES, buildings, variant, assumptions, chosen
    )
    if privacy.check_variant(variant) == privacy.INTERN or out.empty:
        return out
    ids = buildings["building_id"].astype(str)
    agreed = set(ids[privacy.consented(buildings)])
    full = summaries.set_index("group_id").loc[out["group_id"]]
    everyone = full[privacy.GROUP_MEMBERS].to_numpy()
    all_agreed = np.array(
        [bool(m) and all(str(b) in agreed for b in m) for m in everyone]
    )
    for name in hub.HUB_FIGURES:
        values = privacy.round_significant(full[name].to_numpy())
        out[name] = pd.array(
            np.where(all_agreed, values, out[name].to_numpy(dtype=object)),
            dtype="Float64",
        )
    out["totals_shown"] = out["totals_shown"] | pd.array(all_agreed, dtype="boolean")
    out["note"] = out["note"].mask(all_agreed, CONSENT_NOTE)
    # the profiles per member would count the members (R8)
    out["n_measured"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["hub_basis"] = PUBLIC_PROFILES + " " + out["hub_method"]
    return out


def shown(row) -> bool:
    """Whether a row of :func:`redacted` shows its figures."""
    return bool(pd.notna(row["sharing_gain_kw"]))


def _battery_text(row) -> str:
    if not row["battery_kwh"]:
        return "geen nodig"
    return (
        f"{fmt.number(row['battery_kwh'], 0, 'kWh')} / "
        f"{fmt.number(row['battery_kw'], 0, 'kW')}"
    )


def wall_table(rows: pd.DataFrame) -> pd.DataFrame:
    """The hub figures per group in Dutch for the wall (one row per group).

    ``rows``: :func:`redacted`; a group whose figures are not shown reads
    *niet getoond* with the reason.
    """
    hidden = privacy.HIDDEN_TEXT
    table = []
    for _, row in rows.iterrows():
        if not shown(row):
            table.append(
                {"Groep": row["name"], "Deelwinst piek": hidden}
                | dict.fromkeys(
                    ("Uren boven de grens", "Batterij", "Uren met batterij"), hidden
                )
                | {"Opmerking": row["note"] or ""}
            )
            continue
        table.append(
            {
                "Groep": row["name"],
                "Deelwinst piek": fmt.number(row["sharing_gain_kw"], 0, "kW"),
                "Uren boven de grens": fmt.number(row["hours_above_limit"], 0, "uur"),
                "Batterij": _battery_text(row),
                "Uren met batterij": fmt.number(row["hours_above_after"], 0, "uur"),
                "Opmerking": row["note"] or "",
            }
        )
    return pd.DataFrame(
        table,
        columns=[
            "Groep",
            "Deelwinst piek",
            "Uren boven de grens",
            "Batterij",
            "Uren met batterij",
            "Opmerking",
        ],
    )


def fiche_lines(row) -> list[str]:
    """The hub figures of one group in Dutch sentences, ending with the basis.

    ``row``: a row of :func:`redacted`.
    """
    if not shown(row):
        return [
            "Energiehubcijfers (indicatief) niet getoond: "
            + (row["note"] or "de regels voor openbaarheid staan het niet toe")
            + "."
        ]
    payback = (
        "geen besparing"
        if pd.isna(row["battery_payback_yr"])
        else fmt.number(row["battery_payback_yr"], 0, "jaar")
    )
    lines = [
        f"Deelwinst piek {fmt.number(row['sharing_gain_kw'], 0, 'kW')} (som van "
        f"de eigen pieken {fmt.number(row['sum_of_peaks_kw'], 0, 'kW')}, samen "
        f"{fmt.number(row['group_peak_kw'], 0, 'kW')}); besparing op het "
        f"transporttarief met een groepscontract "
        f"{fmt.euro(row['sharing_savings_eur_yr'])} per jaar.",
        f"Grens groepscontract {fmt.number(row['limit_kw'], 0, 'kW')}: "
        f"{fmt.number(row['hours_above_limit'], 0, 'uur')} per jaar erboven.",
    ]
    if row["battery_kwh"]:
        lines.append(
            f"Batterij {_battery_text(row)}: uren boven de grens "
            f"{fmt.number(row['hours_above_limit'], 0)} → "
            f"{fmt.number(row['hours_above_after'], 0)}; investering "
            f"{fmt.euro(row['battery_invest_eur'])}, besparing "
            f"{fmt.euro(row['battery_savings_eur_yr'])} per jaar, "
            f"terugverdientijd {payback}."
        )
    else:
        lines.append("Geen batterij nodig: de groep blijft binnen de grens.")
    lines.append(str(row["hub_basis"]))
    return lines
