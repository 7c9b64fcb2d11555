"""Charts for the pages and reports, every text in Dutch.

Each function takes a plain table and returns a chart without showing it, so
the pages, the exports and the tests use the same chart. The charts a page
opens with (energy balance, demand sources, status of the werkgroepen) are
Vega-Lite specifications (plain dicts, ``st.vega_lite_chart``): the browser
draws them with Vega (≈ 0,8 MB of script) instead of Plotly (≈ 4,7 MB), which
took a second or more per page view (issue 18). The others, behind a tab or
on request, are ``plotly.graph_objects.Figure``. This module never imports
streamlit.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from babel.numbers import get_decimal_symbol, get_group_symbol
from plotly.subplots import make_subplots

from kansenkaart.core import fmt, texts
from kansenkaart.engine import grid, measures
from kansenkaart.records.models import STATUSES
from kansenkaart.views import colors
from kansenkaart.views.pmiek_projects import (
    DATE_UNKNOWN,
    TRAFFIC_LIGHT_COLOURS,
    date_text,
    phase_label,
)

RANGE_COLOUR = "#9ecae1"
"""Light blue of the IBN range bars (lower to upper bound)."""
NAME_CHARS = 60
"""Project names longer than this are shortened on the axis (full in hover)."""
LEGEND_NAMES = {
    **{
        light: light.lower()
        for light in (grid.OP_PLANNING, grid.RISICO, grid.VERTRAAGD)
    },
    grid.ONBEKEND: f"stoplicht {texts.UNKNOWN} (grens ontbreekt)",
}
"""Legend text of the planned-IBN markers per traffic light."""


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1] + "…"


def project_timeline(projects: pd.DataFrame) -> go.Figure:
    """Timeline of pMIEK projects: IBN range and planned IBN with traffic light.

    Each project is a row. A light-blue bar runs from the lower to the upper
    bound of the in-service date (IBN); a diamond marks the planned IBN in
    the colour of its traffic light (Uitvoeringsagenda pMIEK, Figuur 8). A
    project without planned IBN gets a grey note on its row, at its range or
    at the left of the axis; so every project stays visible with what is
    missing.

    Parameters
    ----------
    projects : DataFrame
        ``name``, ``phase``, ``ibn_lower``, ``ibn_upper``, ``ibn_planned``
        and ``traffic_light`` (e.g. from
        :func:`kansenkaart.views.pmiek_projects.filter_projects`); not modified.

    Returns
    -------
    plotly.graph_objects.Figure
        Dutch titles, hover texts and legend; years on the x axis.
    """
    fig = go.Figure()
    rows = projects.reset_index(drop=True)
    names = [
        f"{i + 1}. {_short(str(n))}" for i, n in enumerate(rows["name"].astype(str))
    ]
    lower = pd.to_datetime(rows["ibn_lower"], errors="coerce")
    upper = pd.to_datetime(rows["ibn_upper"], errors="coerce")
    planned = pd.to_datetime(rows["ibn_planned"], errors="coerce")
    light = rows["traffic_light"].astype("string").fillna(grid.ONBEKEND)
    hover = [
        "<br>".join(
            [
                f"<b>{html.escape(str(name))}</b>",
                f"fase: {phase_label(phase)}",
                f"IBN ondergrens: {date_text(lo)}",
                f"IBN bovengrens: {date_text(up)}",
                f"geplande IBN: {date_text(pl)}",
                f"stoplicht: {html.escape(str(lt))}",
            ]
        )
        for name, phase, lo, up, pl, lt in zip(
            rows["name"], rows["phase"], lower, upper, planned, light, strict=True
        )
    ]
    # Open-ended ranges are drawn to the bound that is known.
    start, end = lower.fillna(upper), upper.fillna(lower)
    has_range = start.notna().to_numpy()
    x, y, text = [], [], []
    for pos in range(len(rows)):
        if has_range[pos]:
            x += [start[pos], end[pos], None]
            y += [names[pos], names[pos], None]
            text += [hover[pos], hover[pos], None]
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines",
            line={"color": RANGE_COLOUR, "width": 16},
            name="IBN-bandbreedte (onder- tot bovengrens)",
            hovertext=text,
            hoverinfo="text",
            showlegend=bool(has_range.any()),
        )
    )
    dated = planned.notna().to_numpy()
    for state, colour in TRAFFIC_LIGHT_COLOURS.items():
        mask = dated & (light == state).to_numpy()
        if not mask.any():
            continue
        fig.add_trace(
            go.Scatter(
                x=planned[mask],
                y=[names[p] for p in mask.nonzero()[0]],
                mode="markers",
                marker={
                    "symbol": "diamond",
                    "size": 16,
                    "color": colour,
                    "line": {"color": colors.OUTLINE, "width": 1},
                },
                name=f"geplande IBN · {LEGEND_NAMES[state]}",
                hovertext=[hover[p] for p in mask.nonzero()[0]],
                hoverinfo="text",
            )
        )
    known = pd.concat([lower, upper, planned]).dropna()
    axis_start = known.min() if len(known) else pd.Timestamp.now().normalize()
    missing = (~dated & has_range).nonzero()[0]
    if len(missing):
        fig.add_trace(
            go.Scatter(
                x=[end[p] for p in missing],
                y=[names[p] for p in missing],
                mode="markers+text",
                marker={"symbol": "circle-open", "size": 10, "color": colors.UNKNOWN},
                text=["  geplande IBN onbekend"] * len(missing),
                textposition="middle right",
                textfont={"color": "#555555", "size": 13},
                name="geen geplande IBN · stoplicht onbekend",
                hovertext=[hover[p] for p in missing],
                hoverinfo="text",
            )
        )
    # A project without any date is not placed on a year: its row says so at
    # the left edge of the plot (paper coordinates), outside the time axis.
    for p in (~dated & ~has_range).nonzero()[0]:
        fig.add_annotation(
            x=0,
            xref="paper",
            xanchor="left",
            y=names[p],
            yref="y",
            text=DATE_UNKNOWN,
            showarrow=False,
            font={"color": "#555555", "size": 13},
            hovertext=hover[p],
        )
    fig.update_layout(
        height=160 + 42 * max(len(rows), 1),
        margin={"l": 10, "r": 30, "t": 70, "b": 10},
        font={"size": 14},
        plot_bgcolor="white",
        hoverlabel={"bgcolor": "white", "font_size": 14},
        legend={
            "orientation": "h",
            "yanchor": "bottom",
            "y": 1.02,
            "xanchor": "left",
            "x": 0,
        },
    )
    fig.update_xaxes(
        type="date",
        tickformat="%Y",
        dtick="M12",
        title="Jaar van inbedrijfname (IBN)",
        showgrid=True,
        gridcolor="#e5e5e5",
        range=[
            axis_start - pd.DateOffset(years=1),
            (known.max() if len(known) else axis_start) + pd.DateOffset(years=3),
        ],
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=names,
        autorange="reversed",
        automargin=True,
        title=None,
    )
    return fig


DUTCH_SEPARATORS = ",."
"""Plotly ``separators``: decimal comma, thousands dot."""
VEGA_DUTCH = {
    "locale": {
        "number": {
            "decimal": get_decimal_symbol(fmt.LOCALE),
            "thousands": get_group_symbol(fmt.LOCALE),
            "grouping": [3],
            "currency": ["€\u00a0", ""],
        }
    }
}
"""Vega-Lite ``config``: numbers the Dutch way (the separators of
:mod:`kansenkaart.core.fmt`'s locale), in axes and tooltips."""
BALANCE_COLOURS = {
    "Stroom": "#4c78a8",
    "Gas (als kWh)": "#9ecae9",
    "Zon nu": "#f2a900",
    "Zon erbij op alle daken": "#ffd66b",
    "Nog nodig": "#d62728",
}


def _vega(title: str, height: int, rows: list[dict], **spec) -> dict:
    """A Vega-Lite specification with inline ``rows``, a title, a height and
    Dutch number formats (:data:`VEGA_DUTCH`)."""
    return {
        "title": title,
        "height": height,
        "data": {"values": rows},
        **spec,
        "config": VEGA_DUTCH,
    }


def energy_balance_figure(balance) -> dict:
    """Demand against generation toward energieneutraal 2035, in GWh per year.

    Two stacked bars: demand (electricity and gas as kWh-equivalent) and
    generation (rooftop solar now, what full roofs add, and what is still
    missing). Energy-neutral means the second bar is as high as the first
    (Leidraad, EBD35).

    Parameters
    ----------
    balance : kansenkaart.engine.energy.EnergyBalance

    Returns
    -------
    dict
        Vega-Lite specification; one row per part (``balk``, ``deel``,
        ``gwh_jaar``), stacked in the order of :data:`BALANCE_COLOURS`.
    """
    gas_kwh = balance.demand_kwh_yr - balance.elec_kwh_yr
    missing = max(balance.gap_kwh_yr_after_roofs, 0.0)
    parts = {
        "Stroom": ("Verbruik", balance.elec_kwh_yr),
        "Gas (als kWh)": ("Verbruik", gas_kwh),
        "Zon nu": ("Opwek", balance.generation_kwh_yr_present),
        "Zon erbij op alle daken": ("Opwek", balance.generation_kwh_yr_potential),
        "Nog nodig": ("Opwek", missing),
    }
    rows = [
        {"balk": bar, "deel": name, "gwh_jaar": kwh / 1e6, "volgorde": i}
        for i, (name, (bar, kwh)) in enumerate(parts.items())
    ]
    return _vega(
        "Energiebalans per jaar: verbruik en opwek",
        420,
        rows,
        mark={"type": "bar"},
        encoding={
            "x": {
                "field": "balk",
                "type": "nominal",
                "sort": ["Verbruik", "Opwek"],
                "title": None,
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "gwh_jaar",
                "type": "quantitative",
                "stack": "zero",
                "title": "GWh per jaar",
            },
            "color": {
                "field": "deel",
                "type": "nominal",
                "scale": {
                    "domain": list(BALANCE_COLOURS),
                    "range": list(BALANCE_COLOURS.values()),
                },
                "legend": {"title": None},
            },
            "order": {"field": "volgorde", "type": "quantitative"},
            "tooltip": [
                {"field": "deel", "type": "nominal", "title": "onderdeel"},
                {
                    "field": "gwh_jaar",
                    "type": "quantitative",
                    "format": ",.2f",
                    "title": "GWh per jaar",
                },
            ],
        },
    )


SOURCE_COLOURS = ("#2ca02c", "#98df8a", "#ff9896", "#c7c7c7")
"""Colours of the demand sources in the order of ``texts.BASES`` + unknown."""


def demand_source_figure(analysed: pd.DataFrame) -> dict:
    """How much of the terrain's demand is measured, reported or estimated.

    Parameters
    ----------
    analysed : DataFrame
        Output of :func:`kansenkaart.analyse` (``demand_kwh_yr``,
        ``demand_source``); not modified.

    Returns
    -------
    dict
        Vega-Lite specification: a bar of GWh per year per source (``bron``,
        ``gwh_jaar``) with the number of buildings (``panden``).
    """
    order = [*texts.BASES, texts.UNKNOWN]
    source = analysed["demand_source"].astype("string").fillna(texts.UNKNOWN)
    grouped = (
        pd.DataFrame({"bron": source, "kwh": analysed["demand_kwh_yr"]})
        .groupby("bron")
        .agg(kwh=("kwh", "sum"), panden=("kwh", "size"))
        .reindex(order)
        .dropna(subset=["panden"])
    )
    rows = [
        {"bron": bron, "gwh_jaar": float(kwh) / 1e6, "panden": int(n)}
        for bron, kwh, n in zip(
            grouped.index, grouped["kwh"], grouped["panden"], strict=True
        )
    ]
    colours = dict(zip(order, SOURCE_COLOURS, strict=True))
    return _vega(
        "Herkomst van de verbruikscijfers",
        380,
        rows,
        mark={"type": "bar"},
        encoding={
            "x": {
                "field": "bron",
                "type": "nominal",
                "sort": order,
                "title": "bron",
                "axis": {"labelAngle": 0},
            },
            "y": {"field": "gwh_jaar", "type": "quantitative", "title": "GWh per jaar"},
            "color": {
                "field": "bron",
                "type": "nominal",
                "scale": {
                    "domain": [r["bron"] for r in rows],
                    "range": [colours[r["bron"]] for r in rows],
                },
                "legend": None,
            },
            "tooltip": [
                {"field": "bron", "type": "nominal", "title": "bron"},
                {
                    "field": "gwh_jaar",
                    "type": "quantitative",
                    "format": ",.2f",
                    "title": "GWh per jaar",
                },
                {"field": "panden", "type": "quantitative", "title": "panden"},
            ],
        },
    )


# --- kansenlijsten: totals and interest per measure ---------------------------

MEASURE_METRICS = {
    "n_companies": ("Aantal bedrijven", "", 1.0, 0),
    "kwp": ("Zonvermogen", "kWp", 1.0, 0),
    "kwh_yr": ("Opwek of besparing", "MWh/jaar", 1e-3, 0),
    "co2_kg_yr": ("CO₂-reductie", "ton/jaar", 1e-3, 0),
    "invest_eur": ("Investering", "€", 1.0, 0),
}
"""Column of ``selection.measure_summary`` -> (Dutch name, unit, scale, decimals)."""
SCOPE_COLOURS = {"individual": colors.pick(1), "collective": colors.pick(4)}
INTEREST_COLOURS = {
    texts.YES: colors.pick(2),
    texts.MAYBE: "#fec44f",
    texts.NO: colors.pick(0),
    texts.UNKNOWN: colors.UNKNOWN,
    texts.HIDDEN: colors.HIDDEN,
}
"""Colour per survey answer; "niet getoond" for hidden answers (openbaar)."""


def _bar_height(n_bars: int) -> int:
    return 140 + 34 * max(n_bars, 1)


def measure_chart(totals: pd.DataFrame, metric: str = "n_companies") -> go.Figure:
    """Horizontal bars of one total per measure, coloured by individual/collective.

    Measures without such a figure are left out; a total withheld for
    privacy is drawn as an empty bar labelled "niet getoond".

    Parameters
    ----------
    totals : DataFrame
        Output of :func:`kansenkaart.views.selection.measure_summary`; not modified.
    metric : str
        Key of :data:`MEASURE_METRICS`.

    Returns
    -------
    plotly.graph_objects.Figure
        Dutch title, axis and labels; Dutch number format.
    """
    name, unit, scale, decimals = MEASURE_METRICS[metric]
    value = totals[metric].to_numpy(dtype=float, na_value=np.nan)
    withheld = totals["totals_shown"].astype("boolean").eq(False).to_numpy(bool)
    withheld &= np.isnan(value)
    keep = ~np.isnan(value) | withheld
    rows, value, withheld = totals[keep], value[keep] * scale, withheld[keep]
    labels = [
        "niet getoond (te weinig bedrijven)"
        if hidden
        else fmt.number(v, decimals, unit)
        for v, hidden in zip(value, withheld, strict=True)
    ]
    fig = go.Figure()
    for scope, scope_name in measures.SCOPE_LABELS.items():
        mask = rows["scope"].eq(scope).to_numpy(bool)
        if not mask.any():
            continue
        names = [html.escape(str(n)) for n in rows["measure_name"][mask]]
        fig.add_bar(
            name=scope_name,
            orientation="h",
            y=names,
            x=np.nan_to_num(value[mask]),
            text=[labels[i] for i in mask.nonzero()[0]],
            textposition="outside",
            cliponaxis=False,
            marker_color=SCOPE_COLOURS[scope],
            hovertemplate="%{y}: %{text}<extra>" + scope_name + "</extra>",
        )
    suffix = f" ({unit})" if unit else ""
    fig.update_layout(
        title=f"{name} per maatregel{suffix}",
        xaxis_title=f"{name}{suffix}",
        yaxis={"autorange": "reversed", "automargin": True, "title": None},
        legend_title_text="",
        separators=DUTCH_SEPARATORS,
        height=_bar_height(len(rows)),
        margin={"r": 140},
    )
    return fig


def interest_chart(opportunities: pd.DataFrame) -> go.Figure:
    """Survey interest per measure: stacked counts of the answers.

    Parameters
    ----------
    opportunities : DataFrame
        Selected rows of the opportunity list (``measure_name``, ``interest``
        and, after :mod:`kansenkaart.engine.privacy`, ``figures_hidden``); only
        measures the survey asks about.

    Returns
    -------
    plotly.graph_objects.Figure
        One bar per measure, segments ja / misschien / nee / onbekend /
        niet getoond (answers hidden in the public variant).
    """
    asked = {m.id for m in measures.CATALOGUE if m.survey_column}
    rows = opportunities[opportunities["measure_id"].isin(asked)]
    answer = rows["interest"].astype("string").fillna(texts.UNKNOWN)
    if "figures_hidden" in rows.columns:
        hidden = rows["figures_hidden"].astype("boolean").fillna(False)
        answer = answer.mask(hidden.to_numpy(bool), texts.HIDDEN)
    counts = pd.crosstab(rows["measure_id"], answer)
    counts = counts.reindex([m.id for m in measures.CATALOGUE if m.id in counts.index])
    names = rows.drop_duplicates("measure_id").set_index("measure_id")["measure_name"]
    labels = [html.escape(str(names[i])) for i in counts.index]
    fig = go.Figure()
    for answer_name, colour in INTEREST_COLOURS.items():
        if answer_name not in counts.columns:
            continue
        fig.add_bar(
            name=answer_name,
            orientation="h",
            y=labels,
            x=counts[answer_name].to_numpy(),
            marker_color=colour,
            hovertemplate="%{y}: %{x:,.0f} bedrijven<extra>" + answer_name + "</extra>",
        )
    fig.update_layout(
        barmode="stack",
        title="Interesse in de enquête per maatregel (aantal bedrijven)",
        xaxis_title="Aantal bedrijven",
        yaxis={"autorange": "reversed", "automargin": True, "title": None},
        legend={"title": {"text": "antwoord"}, "traceorder": "normal"},
        separators=DUTCH_SEPARATORS,
        height=_bar_height(len(counts)),
    )
    return fig


# --- werkgroepen & voortgang: status and monitoring (Leidraad steps 4–5) -------

STATUS_COLOURS = dict(
    zip(STATUSES, ("#969696", "#6baed6", "#fd8d3c", "#2171b5", "#238b45"), strict=True)
)
"""Colour per status, grey (idee) to green (gerealiseerd)."""
POTENTIAL_COLOUR = "#7f7f7f"
REALISED_COLOUR = "#2171b5"


def status_chart(overview: pd.DataFrame) -> dict:
    """How many measures are at each status, idee to gerealiseerd.

    Parameters
    ----------
    overview : DataFrame
        :func:`kansenkaart.records.werksessie.measure_overview` (``status``,
        ``maatregel``); not modified.

    Returns
    -------
    dict
        Vega-Lite specification: one bar per status in workflow order
        (``status``, ``aantal``); the tooltip lists the measures
        (``maatregelen``).
    """
    rows = [
        {
            "status": s,
            "aantal": int(overview["status"].eq(s).sum()),
            "maatregelen": ", ".join(
                str(n) for n in overview["maatregel"][overview["status"] == s]
            )
            or "geen",
        }
        for s in STATUSES
    ]
    return _vega(
        "Maatregelen per status",
        340,
        rows,
        mark={"type": "bar"},
        encoding={
            "x": {
                "field": "status",
                "type": "nominal",
                "sort": list(STATUSES),
                "title": "status",
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "aantal",
                "type": "quantitative",
                "title": "aantal maatregelen",
                "axis": {"tickMinStep": 1, "format": "d"},
            },
            "color": {
                "field": "status",
                "type": "nominal",
                "scale": {
                    "domain": list(STATUSES),
                    "range": [STATUS_COLOURS[s] for s in STATUSES],
                },
                "legend": None,
            },
            "tooltip": [
                {"field": "status", "type": "nominal", "title": "status"},
                {"field": "aantal", "type": "quantitative", "title": "maatregelen"},
                {"field": "maatregelen", "type": "nominal", "title": "welke"},
            ],
        },
    )


def monitoring_figure(
    readings: pd.DataFrame,
    *,
    potential_kwp: float | None = None,
    potential_co2_t_yr: float | None = None,
    measure_name: str = "",
) -> go.Figure:
    """Monitoring of one measure over time in three panels.

    Top: solar power realised (kWp) against the potential on the terrain;
    middle: participating companies; bottom: CO2 avoided (ton per year)
    against its potential. A potential is a dashed grey line.

    Parameters
    ----------
    readings : DataFrame
        :func:`kansenkaart.records.werksessie.monitoring_table` (``measured_on``,
        ``kwp_realised``, ``n_companies``, ``co2_avoided_t_yr``); not
        modified.
    potential_kwp, potential_co2_t_yr : float, optional
        From :func:`kansenkaart.engine.opportunities.measure_totals`; left out when
        unknown.
    measure_name : str
        For the title.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    panels = (
        ("kwp_realised", "Zonvermogen gerealiseerd (kWp)", potential_kwp, "kWp"),
        ("n_companies", "Deelnemende bedrijven", None, "bedrijven"),
        ("co2_avoided_t_yr", "Vermeden CO₂ (ton per jaar)", potential_co2_t_yr, "ton"),
    )
    fig = make_subplots(
        rows=3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.09,
        subplot_titles=[title for _, title, _, _ in panels],
    )
    dates = pd.to_datetime(readings["measured_on"])
    for row, (column, _, potential, unit) in enumerate(panels, start=1):
        values = readings[column].astype("Float64")
        known = values.notna().to_numpy(bool)
        fig.add_scatter(
            x=dates[known],
            y=values[known].astype(float),
            mode="lines+markers",
            marker={"size": 10, "color": REALISED_COLOUR},
            line={"width": 3, "color": REALISED_COLOUR},
            name="gerealiseerd",
            hovertemplate=f"%{{x|%d-%m-%Y}}: %{{y:,.1f}} {unit}<extra></extra>",
            showlegend=row == 1,
            row=row,
            col=1,
        )
        if potential is not None and not pd.isna(potential) and len(dates):
            fig.add_scatter(
                x=[dates.min(), dates.max()],
                y=[potential, potential],
                mode="lines",
                line={"dash": "dash", "width": 2, "color": POTENTIAL_COLOUR},
                name="potentieel op het terrein",
                hovertemplate=f"potentieel: %{{y:,.0f}} {unit}<extra></extra>",
                showlegend=row == 1,
                row=row,
                col=1,
            )
        fig.update_yaxes(rangemode="tozero", tickformat=",~f", row=row, col=1)
    fig.update_xaxes(tickformat="%d-%m-%Y")  # Dutch dates, no English months
    if not len(dates):
        fig.add_annotation(
            text="Nog geen metingen vastgelegd.",
            showarrow=False,
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            font={"size": 18},
        )
    fig.update_layout(
        title="Monitoring" + (f": {html.escape(measure_name)}" if measure_name else ""),
        separators=DUTCH_SEPARATORS,
        height=720,
        legend={"orientation": "h", "y": -0.08},
    )
    return fig


def projector_layout(spec: dict, font_px: int = 22) -> dict:
    """A copy of a Vega-Lite ``spec`` with fonts large enough for a projector.

    Parameters
    ----------
    spec : dict
        E.g. :func:`energy_balance_figure`; not modified.
    font_px : int
        Base font size (px) of axes and legend; the title gets 1.3 times that.
    """
    return {
        **spec,
        "config": {
            **spec.get("config", {}),
            "title": {"fontSize": round(font_px * 1.3)},
            "axis": {"labelFontSize": font_px, "titleFontSize": font_px},
            "legend": {"labelFontSize": font_px, "titleFontSize": font_px},
        },
    }
