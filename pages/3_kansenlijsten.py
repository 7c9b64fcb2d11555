"""Step 3–4: opportunity lists per company and per measure, with downloads."""

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
    col_scope, col_measures = st.columns([1.2, 3])
    scope = col_scope.segmented_control(
        "Soort",
        list(selection.SCOPE_CHOICES),
        format_func=lambda s: selection.SCOPE_CHOICES[s].capitalize(),
        default="all",
        required=True,
        key="kl_scope",
    )
    in_scope = selection.measure_choices(scope)
    chosen = col_measures.multiselect(
        "Maatregel",
        list(in_scope),
        format_func=in_scope.get,
        placeholder="Alle maatregelen",
        key=f"kl_measures_{scope}",
    )
    col_obl, col_own, col_int, col_label, col_kop = st.columns(
        [1.4, 1.2, 1.2, 1.2, 0.9], vertical_alignment="bottom"
    )
    obligations = col_obl.multiselect(
        "Verplichting",
        list(selection.OBLIGATIONS),
        format_func=selection.OBLIGATIONS.get,
        placeholder="Alle panden",
        key="kl_obligations",
    )
    ownership = col_own.multiselect(
        "Eigendom",
        list(selection.OWNERSHIP_CHOICES),
        placeholder="Alle",
        key="kl_ownership",
    )
    interest = col_int.multiselect(
        "Interesse (enquête)",
        list(selection.INTEREST_CHOICES),
        placeholder="Alle",
        key="kl_interest",
        help="Het antwoord van het bedrijf in de enquête over deze maatregel.",
    )
    labels = col_label.multiselect(
        "Energielabel",
        list(selection.LABEL_CHOICES),
        placeholder="Alle",
        key="kl_labels",
    )
    kopgroep = col_kop.toggle("Alleen kopgroep", key="kl_kopgroep")

variant = st.segmented_control(
    "Variant (tabellen en downloads)",
    list(privacy.VARIANTS),
    format_func=privacy.VARIANTS.get,
    default=privacy.INTERN,
    required=True,
    key="kl_variant",
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

m1, m2, m3 = st.columns(3)
m1.metric("Kansen", fmt.number(len(sel.opportunities)), border=True)
m2.metric(
    "Bedrijven", fmt.number(sel.opportunities["building_id"].nunique()), border=True
)
m3.metric("Maatregelen", fmt.number(len(sel.totals)), border=True)
if variant == privacy.OPENBAAR:
    st.info(tables.variant_note(sel), icon=":material/visibility_off:")

st.subheader("Bestanden met deze selectie")
st.caption(
    "De bestanden bevatten precies de selectie hierboven. Excel en CSV zijn "
    "beveiligd tegen formules in bedrijfsnamen; GeoJSON is in WGS84, de "
    "GeoPackage in RD New (EPSG:28992)."
)
for column, (format_id, spec) in zip(
    st.columns(len(export.FORMATS)), export.FORMATS.items(), strict=True
):
    column.download_button(
        spec.label,
        data=partial(export.export, sel, format_id),
        file_name=export.file_name(sel, format_id),
        mime=spec.mime,
        on_click="ignore",
        icon=":material/download:",
        key=f"kl_download_{format_id}",
        width="stretch",
    )

if sel.opportunities.empty:
    st.info("Geen kansen met deze filters. Maak de selectie ruimer.")
    st.stop()

tab_company, tab_measure, tab_charts = st.tabs(
    ["Kansen per bedrijf", "Samenvatting per maatregel", "Grafieken"]
)
with tab_company:
    st.dataframe(
        tables.LIST_SHEET.frame(sel, for_file=False),
        hide_index=True,
        column_config=ui.number_columns(tables.LIST_FIELDS),
    )
with tab_measure:
    st.dataframe(
        tables.MEASURE_SHEET.frame(sel, for_file=False),
        hide_index=True,
        column_config=ui.number_columns(tables.MEASURE_FIELDS),
    )
with tab_charts:
    metric = st.segmented_control(
        "Toon per maatregel",
        list(charts.MEASURE_METRICS),
        format_func=lambda m: charts.MEASURE_METRICS[m][0],
        default="n_companies",
        required=True,
        key="kl_metric",
    )
    st.plotly_chart(charts.measure_chart(sel.totals, metric))
    if not terrain.survey.empty:
        st.plotly_chart(charts.interest_chart(sel.opportunities))
