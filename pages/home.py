"""Start page: terrain, key figures and the five Leidraad steps."""

import streamlit as st

from appui import shell, state, ui
from kansenkaart.core.leidraad import STEPS
from kansenkaart.engine.summary import key_figures

shell.frame()
terrain = state.current_terrain()
st.title("Kansenkaart bedrijventerreinen")
st.markdown(
    "Samen met ondernemers de kansen voor de energietransitie op een "
    "bedrijventerrein vinden, volgens de *Leidraad energietransitie op "
    "bedrijventerreinen* van de provincie Drenthe: van beginsituatie tot "
    "werkgroepen per maatregel."
)
ui.demo_banner(terrain)

st.subheader(terrain.name)
meta = [terrain.municipality and f"gemeente {terrain.municipality}"]
meta.append(terrain.cluster and f"energiecluster {terrain.cluster} (pMIEK)")
st.caption(" · ".join(m for m in meta if m))
if terrain.meta.get("notes"):
    st.write(terrain.meta["notes"])

figures = key_figures(terrain)
for row in range(0, len(figures), 4):
    for col, fig in zip(st.columns(4), figures[row : row + 4], strict=False):
        col.metric(fig.label, fig.text, help=fig.help, border=True)

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
            for col, page in zip(st.columns(len(available)), available, strict=True):
                with col:
                    st.page_link(f"pages/{page.file}", label=page.title, icon=page.icon)
        else:
            st.caption("Deze stap ondersteunt de app nog niet.")
