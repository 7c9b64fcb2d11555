"""Step 3: Mijn pand – an entrepreneur's own building, what-if and overview."""

from functools import partial

import streamlit as st
from streamlit_folium import st_folium

from appui import mijn_pand, shell, state, ui
from appui.ui import markdown_text
from kansenkaart.engine import whatif
from kansenkaart.views import legend, maps, overview


def pdf_report(analysed, building_id: str, olist) -> bytes:
    """The one-page PDF, made when the button is clicked; fpdf is imported
    only then (≈ 0,7 s, issue 18: the first opening after a server start)."""
    from kansenkaart.views import report_pdf

    return report_pdf.building_report(analysed, building_id, opportunities=olist)


shell.frame()
terrain = state.current_terrain()
analysis = state.analysis()
ui.page_header("Mijn pand", "Stap 3 · Kansen identificeren", terrain)
st.markdown(
    "Zoek uw pand op adres, op postcode en huisnummer of op bedrijfsnaam, of klik "
    "het aan op de kaart. U ziet wat uw pand kan: zonnepanelen, verplichtingen, "
    "maatregelen en de initiatieven op het terrein waar u aan kunt meedoen. Kloppen "
    "uw gegevens niet? Pas ze aan; dat blijft in uw browser en alles rekent direct "
    "mee."
)

ids = analysis.buildings["building_id"].astype(str).tolist()
shown = state.chosen_building()
shown = shown if shown in ids else None

col_search, col_map = st.columns([2, 3])
with col_search:
    if state.own_building() is None:
        ui.building_search(
            mijn_pand.PAGE,
            shown,
            state.chosen_building,
            state.choose_building,
            label="Zoek uw pand",
            placeholder="Bijv. Industrieweg 3, 9301 ZZ 12a of een bedrijfsnaam",
            help="Typfouten mogen: de best passende panden staan bovenaan. Postcode "
            "mag met of zonder spatie, huisnummer met letter als 12a, 12 A of 12-A.",
        )
        if shown is None:
            st.caption("Of klik op de kaart op uw pand.")
    else:  # a personal link: the own building only
        st.caption("Met uw persoonlijke link ziet u alleen uw eigen pand.")
with col_map:
    data = state.map_data()
    position = ids.index(shown) if shown else None
    returned = st_folium(
        maps.base_map(data),
        key="mp_map",
        height=330,
        use_container_width=True,
        feature_group_to_add=maps.building_group(
            [
                ("zon", data.solar),
                ("selectie", maps.selection_spec(len(ids), position)),
            ],
            "Gebouwen: zonnepotentieel",
        ),
        returned_objects=["last_active_drawing", "last_object_clicked"],
        center=data.centers[position].tolist() if position is not None else None,
        zoom=17 if position is not None else None,
    )
    with st.expander(f"Legenda: {data.solar.title}"):
        st.table(legend.styled(legend.legend_table(data.solar)))
        st.caption(maps.OFFLINE_NOTE)

clicked = maps.clicked_position(returned)
click = (state.terrain_key(), clicked, str(returned.get("last_object_clicked")))
if state.new_click(mijn_pand.PAGE, "", click):
    state.choose_building(ids[clicked])
    st.rerun()

if shown is None:
    st.info(
        "Nog geen pand gekozen. Zoek hierboven uw adres of bedrijf, of klik op de "
        "kaart.",
        icon=":material/storefront:",
    )
    st.stop()

# --- the chosen building, with the entrepreneur's corrections -----------------

corrections = whatif.Corrections(**state.stored_corrections(shown))
analysed, olist = state.what_if(shown, corrections)
analysed, olist, allowed = mijn_pand.as_viewer(analysed, olist, shown)
summary = overview.building_overview(analysed, shown, olist)

st.divider()
st.subheader(markdown_text(summary.company or summary.address))
st.caption(f"{summary.address} · BAG-pand {summary.building_id}")
mijn_pand.corrected_note(corrections)

main, side = st.columns([3, 1.25], gap="large")
with side, st.container(border=True):
    if allowed.figures:
        mijn_pand.corrections_panel(shown, analysed, analysis)
        mijn_pand.consent_panel(shown, analysis)
    else:
        st.caption(f"Alleen openbare gegevens: {allowed.reason}.")

with main:
    if not allowed.figures:
        st.info(
            "Dit bedrijf gaf geen toestemming om zijn cijfers te tonen: u ziet "
            "alleen openbare gegevens (adres, label, dak). Het kansenoverzicht "
            "als PDF is er alleen voor het bedrijf zelf en de beheerder.",
            icon=":material/visibility_off:",
        )
    st.download_button(
        "Download mijn kansenoverzicht (PDF)",
        data=partial(pdf_report, analysed, shown, olist),
        file_name=f"kansenoverzicht-{shown}.pdf",
        mime="application/pdf",
        on_click="ignore",
        type="primary",
        icon=":material/picture_as_pdf:",
        help="Eén A4 met de omtrek van uw pand, de kerncijfers, maatregelen en "
        "volgende stappen.",
        disabled=not allowed.figures,
    )
    mijn_pand.overview_sections(summary, analysed, shown)
