"""Energiehub page parts (Dutch): own meter data per building and the plotly
charts (duration curve, peak week, months)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from appui import state
from kansenkaart.core import fmt
from kansenkaart.core.quarters import DT_H, MODEL_YEAR, N_QUARTERS
from kansenkaart.engine.profiles import BASIS_MEASURED

_TIMES = pd.date_range(f"{MODEL_YEAR}-01-01", periods=N_QUARTERS, freq="15min")
_MONTHS = (
    "jan",
    "feb",
    "mrt",
    "apr",
    "mei",
    "jun",
    "jul",
    "aug",
    "sep",
    "okt",
    "nov",
    "dec",
)


def _limit_line(fig: go.Figure, limit_kw: float) -> None:
    fig.add_hline(
        y=limit_kw,
        line_dash="dash",
        line_color="firebrick",
        annotation_text="grens",
        annotation_position="top right",
    )


def duration_curve(group_net_kw: np.ndarray, limit_kw: float) -> go.Figure:
    """Load-duration curve: the group's take-up sorted high to low, in hours."""
    ordered = np.sort(np.asarray(group_net_kw))[::-1]
    hours = np.arange(1, len(ordered) + 1) * DT_H
    fig = go.Figure(go.Scatter(x=hours, y=ordered, mode="lines", name="afname groep"))
    _limit_line(fig, limit_kw)
    fig.update_layout(
        title="Belastingduurkromme (indicatief)",
        xaxis_title="uren per jaar",
        yaxis_title="kW",
        height=340,
    )
    return fig


def peak_week(use_kw: np.ndarray, pv_kw: np.ndarray, limit_kw: float) -> go.Figure:
    """The week around the group's highest take-up: use, solar and net."""
    net = use_kw - pv_kw
    centre = int(np.argmax(net))
    lo = max(0, min(centre - 7 * 48, N_QUARTERS - 7 * 96))
    part = slice(lo, lo + 7 * 96)
    fig = go.Figure()
    fig.add_scatter(x=_TIMES[part], y=use_kw[part], name="verbruik", mode="lines")
    fig.add_scatter(x=_TIMES[part], y=pv_kw[part], name="zon", mode="lines")
    fig.add_scatter(x=_TIMES[part], y=net[part], name="afname", mode="lines")
    _limit_line(fig, limit_kw)
    fig.update_layout(title="Piekweek (indicatief)", yaxis_title="kW", height=340)
    return fig


def monthly_balance(use_kw: np.ndarray, pv_kw: np.ndarray) -> go.Figure:
    """Use, solar used within the group and feed-in per month, MWh."""
    months = _TIMES.month.to_numpy() - 1
    own = np.minimum(use_kw, pv_kw)
    frame = (
        pd.DataFrame(
            {"verbruik": use_kw, "zon zelf gebruikt": own, "teruglevering": pv_kw - own}
        )
        .groupby(months)
        .sum()
        * DT_H
        / 1000
    )
    fig = go.Figure()
    for column in frame.columns:
        fig.add_bar(x=list(_MONTHS), y=frame[column].to_numpy(), name=column)
    fig.update_layout(
        title="Maandbalans (indicatief)", yaxis_title="MWh", barmode="group", height=340
    )
    return fig


def meterdata_panel(members: pd.DataFrame, private: bool) -> None:
    """Uploader of own quarter-hour meter data for a member, the report of every
    file loaded and a way back to the standard profile.

    ``members``: the group's buildings (``building_id``, ``address``);
    ``private``: the internal view, where building names may be shown.
    """
    ids = members["building_id"].astype(str).tolist()
    address = members.get("address", pd.Series("", index=members.index))
    names = dict(zip(ids, address.fillna("").astype(str), strict=True))
    own = state.meter_uploads()
    with st.expander(
        f"Eigen kwartierdata ({sum(b in own for b in ids)} van {len(ids)} panden)",
        expanded=state.meter_feedback() is not None,  # open after an upload
    ):
        st.caption(
            "Een export van kwartierwaarden van het meetbedrijf, de "
            "energieleverancier of de netbeheerder (CSV of Excel): per kwartier "
            "levering en teruglevering in kWh of kW, of één rij per dag met 96 "
            "kwartieren. Meerdere panden in één bestand: een kolom building_id. "
            "Het bestand blijft in deze sessie en verlaat de computer niet."
        )
        left, right = st.columns([1, 2])
        building = left.selectbox(
            "Pand",
            ids,
            format_func=lambda b: f"{b} {names[b]}" if private else b,
            key="hub_meter_building",
        )
        right.file_uploader(
            "Kwartierdata (CSV of Excel)",
            type=["csv", "txt", "xlsx"],
            key=state.HUB_METER_WIDGET_KEY,
            on_change=state.load_meterdata,
            args=(building, tuple(ids)),
        )
        feedback = state.meter_feedback()
        if feedback and feedback[1]:
            st.error(
                f"'{feedback[0]}' is niet geladen; de vorige gegevens blijven.\n\n"
                f"{feedback[1]}"
            )
        for b in ids:
            if b not in own:
                continue
            upload = own[b]
            st.markdown(f"**{b}** – {BASIS_MEASURED} uit '{upload.file}'")
            st.caption(upload.series.summary)
            for problem in upload.series.report:
                st.warning(str(problem), icon=":material/report:")
            st.button(
                "Terug naar het standaardprofiel",
                key=f"hub_meter_forget_{b}",
                on_click=state.forget_meterdata,
                args=(b,),
                icon=":material/undo:",
            )


def basis_table(ids, bases, use_kw: np.ndarray) -> pd.DataFrame:
    """Per member: the basis of its profile, its yearly use and own peak."""
    return pd.DataFrame(
        {
            "Pand": list(ids),
            "Basis": list(bases),
            "Verbruik per jaar": [fmt.energy(v) for v in use_kw.sum(axis=1) * DT_H],
            "Eigen piek": [fmt.number(v, 0, "kW") for v in use_kw.max(axis=1)],
        }
    )
