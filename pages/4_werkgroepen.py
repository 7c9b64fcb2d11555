"""Steps 4–5: werkgroepen per measure – status, uitvoeringsplan,
intentieverklaringen, monitoring, change log and exchange of the records.
"""

import pandas as pd
import streamlit as st

from appui import access, records, shell, state, ui, werkgroepen
from kansenkaart.engine import groups, measures, privacy
from kansenkaart.records import werksessie as ws
from kansenkaart.views import charts

MEASURES = {m.id: m.name for m in measures.CATALOGUE}

shell.frame()
terrain = state.current_terrain()
analysis = state.analysis()
ui.page_header(
    "Werkgroepen & voortgang",
    "Stap 4–5 · Werkgroepen, uitvoering en monitoring",
    terrain,
)

db = state.records_store()
found = state.search_options()
user = records.ask_user(werkgroepen.PREFIX, "Anna de Vries (gemeente)")
all_totals = state.measure_totals()
interests = db.table("interest", terrain.id)
overview = ws.measure_overview(
    all_totals,
    db.table("plan", terrain.id),
    db.table("workgroup", terrain.id),
    interests,
    db.table("action", terrain.id),
    groups.survey_interest(analysis.buildings, privacy.OPENBAAR),
)

st.subheader("Overzicht per maatregel")
# A table that wraps its headers (soft hyphens in the long words) fits at
# 1280 px with the sidebar, where a data grid scrolls sideways; the measure's
# name says its scale.
SHY = "\u00ad"
st.table(
    overview.drop(columns=["measure_id", "schaal"])
    .assign(
        **{
            "eerstvolgende datum": pd.to_datetime(overview["eerstvolgende datum"])
            .dt.strftime("%d-%m-%Y")
            .fillna("")
        }
    )
    .rename(
        columns={
            "intentieverklaringen": f"intentie{SHY}verklaringen",
            "open vervolgstappen": f"open vervolg{SHY}stappen",
            "eerstvolgende datum": f"eerst{SHY}volgende datum",
        }
    ),
    hide_index=True,
)
st.caption(
    "Enquête ja/misschien: antwoorden uit de enquête, alleen van bedrijven die "
    "toestemming gaven. Interesse ja/misschien: vastgelegd in de werksessie."
)
with st.container(width=640):
    st.vega_lite_chart(charts.status_chart(overview))

measure = st.selectbox(
    "Maatregel",
    overview["measure_id"].tolist(),
    format_func=MEASURES.get,
    key=state.WG_MEASURE_KEY,
)
if user is None:
    st.info("Vul eerst uw naam in om iets vast te leggen.", icon=":material/badge:")
    st.stop()

board = werkgroepen.Board(db, terrain.id, user, found)
people = ws.participants(analysis.buildings, interests, measure)
# Only the open tab is built: the monitoring chart and the grids of the other
# tabs are sent when their tab is opened (issue 18).
tab_plan, tab_groups, tab_people, tab_monitor, tab_log, tab_exchange = st.tabs(
    [
        "Status en uitvoeringsplan",
        "Groepen",
        "Deelnemers en intentieverklaring",
        "Monitoring",
        "Wijzigingslog",
        "Exporteren en importeren",
    ],
    key=state.WG_TAB_KEY,
    on_change="rerun",
)
if tab_plan.open:
    with tab_plan:
        werkgroepen.plan_tab(board, measure)
if tab_groups.open:
    # the beheerder starts a workgroup with every member; others see the public
    group_variant = (
        privacy.INTERN
        if access.current().role == privacy.BEHEERDER
        else privacy.OPENBAAR
    )
    measure_groups = privacy.redact_groups(
        groups.group_interest(
            groups.of_measure(analysis.groups, measure),
            analysis.buildings,
            privacy.OPENBAAR,  # interest counts only of companies that consented
        ),
        list(groups.FIGURES),
        analysis.buildings,
        group_variant,
        analysis.assumptions,
    )
    with tab_groups:
        werkgroepen.groups_tab(board, measure_groups, measure, MEASURES[measure])
if tab_people.open:
    with tab_people:
        werkgroepen.people_tab(board, people, measure, MEASURES[measure])
if tab_monitor.open:
    with tab_monitor:
        werkgroepen.monitoring_tab(
            board,
            all_totals.set_index("measure_id").loc[measure],
            measure,
            MEASURES[measure],
            int(people["intentieverklaring"].sum()),
        )
if tab_log.open:
    with tab_log:
        werkgroepen.log_tab(board)
if tab_exchange.open:
    with tab_exchange:
        werkgroepen.exchange_tab(board)
