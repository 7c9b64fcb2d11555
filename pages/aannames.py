"""Settings: the model's assumptions with value, unit and source; users adjust."""

import streamlit as st

from appui import shell, state, ui
from kansenkaart.core import assumptions as asm
from kansenkaart.core import fmt, texts

shell.frame()
terrain = state.current_terrain()
ui.page_header("Aannames", "Instellingen", terrain)
st.write(
    "Alle kansen en de energiebalans rekenen met deze aannames. Wijzigingen "
    "gelden voor alle pagina's in deze browsersessie; ze worden niet opgeslagen."
)

names = {
    "standaard": "Standaard (huidige panelen van 435 Wp)",
    "leidraad": "Leidraad Drenthe (tabel pilot Noordenveld, ca. 310 Wp)",
}
set_name = st.radio(
    "Uitgangspunt",
    list(names),
    format_func=names.get,
    index=list(names).index(state.assumption_set()),
    horizontal=True,
    help="De Leidraad-set reproduceert de zonnetabel uit de Leidraad.",
)
if set_name != state.assumption_set():
    state.choose_assumption_set(set_name)
    st.rerun()

base = dict(asm.SETS[set_name])
current = dict(state.current_assumptions())
with st.form("aannames"):
    st.subheader("De belangrijkste aannames aanpassen")
    values = {}
    cols = st.columns(3)
    for i, key in enumerate(asm.ADJUSTABLE):
        item = current[key]
        share = item.unit == "-"  # a fraction, typed as a percentage
        low, high = (b * 100 if share else b for b in asm.INPUT_RANGES[key])
        values[key] = ui.dutch_number_input(
            fmt.NumberField(
                item.name,
                item.unit,
                low,
                high,
                decimals=2 if item.value < 10 and not share else 0,
                share=share,
            ),
            item.value,
            key=state.assumption_widget_key(key),
            help=f"Bron: {base[key].source}",
            container=cols[i % 3],
        )
    applied = st.form_submit_button("Toepassen", type="primary")
if applied:
    state.set_overrides(values)
    st.rerun()
if state.overrides() and st.button("Terug naar de bronwaarden"):
    state.forget_overrides()
    st.rerun()

changed = set(state.overrides())
if changed:
    st.info(f"Aangepast: {', '.join(current[k].name for k in sorted(changed))}.")

st.subheader("Alle aannames met eenheid en bron")
table = asm.table(state.current_assumptions())
st.dataframe(
    table.assign(
        waarde=[fmt.number(v, 2 if abs(v) < 10 else 0) for v in table["waarde"]],
        indicatief=table["indicatief"].map(texts.yes_no),
        aangepast=table["sleutel"].isin(changed).map({True: texts.YES, False: ""}),
    ).drop(columns="sleutel"),
    hide_index=True,
    column_config={
        "aanname": "Aanname",
        "waarde": "Waarde",
        "eenheid": "Eenheid",
        "bron": st.column_config.TextColumn("Bron", width="large"),
        "indicatief": st.column_config.TextColumn(
            "Indicatief", help="Orde van grootte zonder harde bron."
        ),
        "aangepast": "Aangepast",
    },
)
