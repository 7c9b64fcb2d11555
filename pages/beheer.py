"""Instellingen: personal links and QR codes for companies, and the audit log."""

import pandas as pd
import streamlit as st

from appui import access, shell, state, ui
from kansenkaart.core import fmt
from kansenkaart.records import access as records_access
from kansenkaart.records.store import when_text
from kansenkaart.views.qr import qr_png

shell.frame()
terrain = state.current_terrain()
ui.page_header("Toegang en links", "Instellingen", terrain)
db, terrain_key = state.records_store(), state.terrain_key()
viewer = access.current()
options = state.search_options()

st.subheader("Persoonlijke link voor een bedrijf")
st.markdown(
    "Een persoonlijke link opent *Mijn pand* van één bedrijf, zonder account: "
    "het bedrijf ziet alleen zijn eigen pand en kan daar toestemming geven of "
    "intrekken. Druk de QR-code af voor de tafel in de werksessie. Alleen de "
    "vingerafdruk van de link wordt bewaard: de link zelf ziet u alleen nu."
)
left, right = st.columns([3, 1])
building = left.selectbox(
    "Pand",
    list(options),
    format_func=options.get,
    index=None,
    placeholder="Kies",
    key="beheer_building",
)
with right:
    days = ui.dutch_number_input(
        fmt.NumberField("Geldig", "dagen", 1, records_access.MAX_LINK_DAYS, whole=True),
        records_access.LINK_DAYS,
        key="beheer_days",
    )
if st.button("Link maken", icon=":material/add_link:", disabled=building is None):
    names = state.analysis().buildings.set_index("building_id")["company"]
    company = names.get(building)
    token, link = records_access.create_link(
        db,
        terrain_key,
        building,
        user=viewer.who,
        company=None if pd.isna(company) else str(company),
        days=int(days),
    )
    state.put(state.NEW_LINK_KEY, (options[building], access.link_url(token)))
made = state.get(state.NEW_LINK_KEY)
if made:
    label, url = made
    with st.container(border=True):
        st.markdown(f"**Nieuwe link voor {ui.markdown_text(label)}**")
        st.code(url, language=None, wrap_lines=True)
        png = qr_png(url)
        st.image(png, width=180)
        st.download_button(
            "QR-code downloaden (PNG)",
            data=png,
            file_name="qr-mijn-pand.png",
            mime="image/png",
            on_click="ignore",
            icon=":material/qr_code_2:",
        )

st.subheader("Links van dit terrein")
made_links = records_access.links(db, terrain_key)
if not made_links:
    st.caption("Nog geen links gemaakt voor dit terrein.")
else:
    st.dataframe(
        pd.DataFrame(
            {
                "Nummer": [k.id for k in made_links],
                "Pand": [options.get(k.building_id, k.building_id) for k in made_links],
                "Gemaakt": [
                    f"{when_text(k.created_at)} door {k.created_by}" for k in made_links
                ],
                "Geldig tot": [when_text(k.expires_at) for k in made_links],
                "Stand": [k.status() for k in made_links],
            }
        ),
        hide_index=True,
    )
    active = {k.id: k for k in made_links if k.status() == "geldig"}
    chosen = st.selectbox(
        "Link intrekken",
        list(active),
        format_func=lambda i: f"{i} · {options.get(active[i].building_id, '')}",
        index=None,
        placeholder="Kies een geldige link",
    )
    if st.button("Intrekken", icon=":material/link_off:", disabled=chosen is None):
        records_access.revoke_link(db, chosen, user=viewer.who)
        st.rerun()

st.subheader("Auditlog")
st.caption(
    "Wie wat deed en wanneer: links, inloggen en toestemming. Het log kan alleen "
    "worden aangevuld; wachtwoorden en links staan er nooit in."
)
st.dataframe(records_access.audit(db, terrain_key), hide_index=True)
