"""Step 3–4: opportunity lists per company and per measure, with downloads."""

import dataclasses
from functools import partial

import streamlit as st

from appui import shell, state, ui
from kansenkaart.core import fmt
from kansenkaart.engine import privacy
from kansenkaart.views import charts, export, selection, tables

shell.frame()
terrain = state.current_terrain()
analysis = state.analysis()
ui.page_header("Kansenlijsten", "Stap 3 · Kansen identificeren", terrain)
st.markdown(
    "Alle kansen van het terrein op een rij: per bedrijf en per maatregel. Filter "
    "de lijst en download precies wat u ziet voor Excel, QGIS/ArcGIS of als "
    "rapport voor een werksessie. Klik op een kolomkop om te sorteren."
)

with st.container(border=True):
    # Rows that wrap instead of squeezing labels and buttons at 1280 px.
    first = st.container(horizontal=True, vertical_alignment="bottom")
    scope = first.segmented_control(
        "Soort",
        list(selection.SCOPE_CHOICES),
        format_func=lambda s: selection.SCOPE_CHOICES[s].capitalize(),
        default="all",
        required=True,
        key=state.KL_SCOPE_KEY,
    )
    in_scope = selection.measure_choices(scope)
    chosen = first.multiselect(
        "Maatregel",
        list(in_scope),
        format_func=in_scope.get,
        placeholder="Alle maatregelen",
        key=state.measures_key("kl", scope),
    )
    second = st.container(horizontal=True, vertical_alignment="bottom")
    obligations = second.multiselect(
        "Verplichting",
        list(selection.OBLIGATIONS),
        format_func=selection.OBLIGATIONS.get,
        placeholder="Alle panden",
        key=state.KL_OBLIGATIONS_KEY,
    )
    ownership = second.multiselect(
        "Eigendom",
        list(selection.OWNERSHIP_CHOICES),
        placeholder="Alle",
        key=state.KL_OWNERSHIP_KEY,
    )
    interest = second.multiselect(
        "Interesse (enquête)",
        list(selection.INTEREST_CHOICES),
        placeholder="Alle",
        key=state.KL_INTEREST_KEY,
        help="Het antwoord van het bedrijf in de enquête over deze maatregel.",
    )
    labels = second.multiselect(
        "Energielabel",
        list(selection.LABEL_CHOICES),
        placeholder="Alle",
        key=state.KL_LABELS_KEY,
    )
    kopgroep = second.toggle("Alleen kopgroep", key=state.KL_KOPGROEP_KEY)

variant = st.segmented_control(
    "Variant (tabellen en downloads)",
    list(privacy.VARIANTS),
    format_func=privacy.VARIANTS.get,
    default=privacy.INTERN,
    required=True,
    key=state.KL_VARIANT_KEY,
    help="Openbaar: voor een werksessie of alles wat de gemeente verlaat. "
    "Geen energiecijfers, verplichtingen of enquêteantwoorden van bedrijven "
    "zonder toestemming; geen totalen over minder dan "
    f"{privacy.min_group(analysis.assumptions)} bedrijven.",
)

filters = selection.Filters(
    measures=tuple(chosen),
    scope=scope,
    obligations=tuple(obligations),
    ownership=tuple(ownership),
    interest=tuple(interest),
    kopgroep_only=kopgroep,
    labels=tuple(labels),
)
sel = selection.select(analysis, filters, variant, state.opportunities())
hub = state.hub_summaries_later()  # the energy-hub sheet: made with a download

with ui.tile_row():
    st.metric("Kansen", fmt.number(len(sel.opportunities)), border=True)
    st.metric(
        "Bedrijven",
        fmt.number(sel.opportunities["building_id"].nunique()),
        border=True,
    )
    st.metric("Maatregelen", fmt.number(len(sel.totals)), border=True)
if variant == privacy.OPENBAAR:
    st.info(tables.variant_note(sel), icon=":material/visibility_off:")

st.subheader("Bestanden met deze selectie")
st.caption(
    "De bestanden bevatten precies de selectie hierboven. Excel en CSV zijn "
    "beveiligd tegen formules in bedrijfsnamen; GeoJSON is in WGS84, de "
    "GeoPackage in RD New (EPSG:28992)."
)


def with_hub(chosen: selection.Selection, hub, format_id: str) -> bytes:
    """The download of ``chosen``, with the energy-hub figures
    (:attr:`Selection.hub`) computed only now: the quarter-hour profiles of
    every building take seconds."""
    return export.export(dataclasses.replace(chosen, hub=hub()), format_id)


files = st.container(horizontal=True)
for format_id, spec in export.FORMATS.items():
    files.download_button(
        spec.label,
        data=partial(with_hub, sel, hub, format_id),
        file_name=export.file_name(sel, format_id),
        mime=spec.mime,
        on_click="ignore",
        icon=":material/download:",
        key=f"kl_download_{format_id}",
    )

if sel.opportunities.empty:
    st.info("Geen kansen met deze filters. Maak de selectie ruimer.")
    st.stop()

# Only the open tab is built: a hidden tab's grid or Plotly charts are sent when
# it is opened, not with the first list (issue 18).
tab_company, tab_measure, tab_charts = st.tabs(
    ["Kansen per bedrijf", "Samenvatting per maatregel", "Grafieken"],
    key=state.KL_TAB_KEY,
    on_change="rerun",
)
if tab_company.open:
    tab_company.dataframe(
        tables.LIST_SHEET.frame(sel, for_file=False),
        hide_index=True,
        column_config=ui.grid_columns(tables.LIST_FIELDS),
    )
if tab_measure.open:
    tab_measure.dataframe(
        tables.MEASURE_SHEET.frame(sel, for_file=False),
        hide_index=True,
        column_config=ui.grid_columns(tables.MEASURE_FIELDS),
    )
if tab_charts.open:
    with tab_charts:
        metric = st.segmented_control(
            "Toon per maatregel",
            list(charts.MEASURE_METRICS),
            format_func=lambda m: charts.MEASURE_METRICS[m][0],
            default="n_companies",
            required=True,
            key=state.KL_METRIC_KEY,
            persist_state="page",  # kept (and in the link) while the tab is closed
        )
        st.plotly_chart(charts.measure_chart(sel.totals, metric))
        if not terrain.survey.empty:
            st.plotly_chart(charts.interest_chart(sel.opportunities))
        else:
            ui.not_loaded(
                "enquête",
                "2_data_laden.py",
                "Data laden",
                "en voeg de enquête toe; dan ziet u hier de interesse per maatregel",
            )
