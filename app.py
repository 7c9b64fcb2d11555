"""Kansenkaart – Streamlit entry point: navigation per Leidraad step, terrain picker.

Run with ``make run`` (or ``streamlit run app.py``).
"""

from pathlib import Path

import streamlit as st

from pages import ui

st.set_page_config(
    page_title="Kansenkaart bedrijventerreinen",
    page_icon=":material/map:",
    layout="wide",
)
st.html(ui.DUTCH_WIDGETS_CSS)

HERE = Path(__file__).parent
# Pages grouped by the Leidraad's five steps. A page is listed only when its
# file exists, so the menu never offers something that does not work yet.
SECTIONS = {
    "Start": [("home.py", "Start", ":material/home:")],
    "1–2 · Beginsituatie": [
        ("beginsituatie.py", "Gegevens en datakwaliteit", ":material/table_chart:"),
        ("huidige_situatie.py", "Huidige situatie", ":material/map:"),
        ("netcapaciteit.py", "Netcapaciteit & infrastructuur", ":material/bolt:"),
        ("data_laden.py", "Data laden", ":material/upload_file:"),
    ],
    "3 · Kansen identificeren": [
        ("kansenkaart.py", "Kansenkaart", ":material/lightbulb:"),
        ("mijn_pand.py", "Mijn pand", ":material/storefront:"),
        ("energiebalans.py", "Energiebalans 2035", ":material/balance:"),
        ("kansenlijsten.py", "Kansenlijsten", ":material/list_alt:"),
    ],
    "4–5 · Werkgroepen en monitoring": [
        ("werksessie.py", "Werksessie", ":material/co_present:"),
        ("werkgroepen.py", "Werkgroepen & voortgang", ":material/groups:"),
    ],
    "Instellingen": [("aannames.py", "Aannames", ":material/tune:")],
}

with st.sidebar:
    options = ui.terrain_options()
    if ui.terrain_key() not in options:
        ui.select_terrain(ui.DEFAULT_TERRAIN)
    # The chosen terrain lives in a plain session key; Streamlit may drop a
    # widget's own state (it did on the first session after a server start).
    if st.session_state.get(ui.PICKER_KEY) != ui.terrain_key():
        st.session_state[ui.PICKER_KEY] = ui.terrain_key()
    st.selectbox(
        "Bedrijventerrein",
        list(options),
        key=ui.PICKER_KEY,
        on_change=ui.on_pick,
        format_func=options.get,
        help="Kies een demoterrein of laad hieronder uw eigen terrein.",
    )
    with st.expander("Eigen terrein laden (.zip)"):
        st.file_uploader(
            "Terreinbestand",
            type=["zip"],
            key="terrain_upload",
            on_change=ui.on_upload,
            args=("terrain_upload",),
            help="Een zip met buildings.geojson (of .gpkg/.csv/.xlsx) en "
            "eventueel survey, sources, grid, projects, boundary en terrain.json.",
        )
        ui.upload_feedback()

navigation = {}
for section, entries in SECTIONS.items():
    pages = [
        st.Page(
            HERE / "pages" / file, title=title, icon=icon, default=file == "home.py"
        )
        for file, title, icon in entries
        if (HERE / "pages" / file).exists()
    ]
    if pages:
        navigation[section] = pages
page = st.navigation(navigation)
# A deep link opened before the shell ran (see ui.ensure_shell) continues here.
wanted = st.session_state.pop(ui.RETURN_KEY, None)
for candidate in (p for pages in navigation.values() for p in pages):
    if wanted and candidate.url_path == wanted and candidate != page:
        st.session_state[ui.SHELL_KEY] = True
        st.switch_page(candidate)

st.session_state[ui.SHELL_KEY] = True
page.run()
