"""Data laden: "Ophalen bij PDOK" — the BAG of the terrain from PDOK (online)."""

from __future__ import annotations

import streamlit as st

from appui import state

HELP = (
    "Geen BAG-bestand bij de hand? Haal de panden en verblijfsobjecten "
    "(adressen) op bij PDOK: binnen de terreingrens hierboven, of zonder grens "
    "voor een postcodereeks. Dit werkt alleen met internet en duurt voor een "
    "bedrijventerrein enkele seconden. Lukt het niet, laad de BAG-bestanden dan "
    "zelf. De opgehaalde bestanden worden bij 'Terrein opbouwen' gebruikt zoals "
    "een geladen BAG-bestand."
)


def section(boundary) -> list[tuple[str, bytes]]:
    """The "Ophalen bij PDOK" expander of *Data laden*.

    Parameters
    ----------
    boundary : UploadedFile or None
        The terrain boundary chosen on the page; without it a postcode range
        is asked.

    Returns
    -------
    list of (file name, bytes)
        The BAG files fetched in this session (empty when none), to add to
        the uploaded BAG files.
    """
    with st.expander("Ophalen bij PDOK (alleen online)", icon=":material/cloud:"):
        st.markdown(HELP)
        postcodes = st.text_input(
            "Postcodereeks (alleen zonder terreingrens)",
            key="pdok_postcodes",
            placeholder="bijvoorbeeld 9301AA-9301ZZ of 9301",
            disabled=boundary is not None,
        )
        if st.button(
            "BAG ophalen bij PDOK",
            icon=":material/cloud_download:",
            disabled=boundary is None and not postcodes.strip(),
            help="Kies eerst een terreingrens of vul een postcodereeks in.",
        ):
            bar = st.progress(0.0, text="Verbinden met PDOK…")
            state.fetch_pdok(
                (boundary.name, boundary.getvalue()) if boundary else None,
                postcodes,
                progress=lambda fraction, text: bar.progress(fraction, text=text),
            )
        if state.pdok_error():
            st.error(state.pdok_error(), icon=":material/cloud_off:")
        fetched = state.pdok_fetched()
        if fetched:
            st.success(
                fetched.summary + " Ze worden bij 'Terrein opbouwen' als BAG gebruikt.",
                icon=":material/check:",
            )
            st.button(
                "Opgehaalde BAG niet gebruiken",
                on_click=state.forget_pdok,
                icon=":material/delete:",
            )
    return list(fetched.files) if fetched else []
