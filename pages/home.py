"""Start page: terrain, key figures and the five Leidraad steps."""

import streamlit as st

from appui import shell, state, ui
from kansenkaart.core.leidraad import STEPS
from kansenkaart.engine.summary import key_figures

shell.frame()
terrain = state.current_terrain()
st.title("Kansenkaart bedrijventerreinen")
st.markdown(ui.PAGE_INTRO.get())
ui.demo_banner(terrain)

st.subheader(terrain.name)
meta = [terrain.municipality and f"gemeente {terrain.municipality}"]
meta.append(terrain.cluster and f"energiecluster {terrain.cluster} (pMIEK)")
st.caption(" · ".join(m for m in meta if m))
if terrain.meta.get("notes"):
    st.write(terrain.meta["notes"])

with ui.tile_row():
    for fig in key_figures(terrain):
        st.metric(fig.label, fig.text, help=fig.help, border=True)

if terrain.warnings:
    with st.expander(f"Opmerkingen bij het laden ({len(terrain.warnings)})"):
        for warning in terrain.warnings:
            st.write(f"- {warning}")

st.subheader("Werkwijze in vijf stappen")
for step in STEPS:
    with st.container(border=True):
        st.markdown(f"**Stap {step.number} · {step.title}**  \n{step.summary}")
        available = shell.pages_for_step(step.number)
        if available:
            with st.container(horizontal=True):  # wraps; titles never cut off
                for page in available:
                    st.page_link(f"pages/{page.file}", label=page.title, icon=page.icon)
        else:
            st.caption("Deze stap ondersteunt de app nog niet.")
