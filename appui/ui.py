"""Small rendering helpers shared by the pages: header, banners, messages."""

from __future__ import annotations

import re

import streamlit as st

import kansenkaart as kk
from appui import state

# Streamlit's file uploader has fixed English texts ("Upload", "200MB per
# file"); the app speaks Dutch, so CSS swaps them for Dutch ones.
DUTCH_WIDGETS_CSS = """<style>
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p {
  font-size: 0;
}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p::after {
  content: "Bestand kiezen";
  font-size: 0.875rem;
}
[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "max. 200 MB per bestand";
  font-size: 0.8rem;
}
</style>"""


def demo_banner(terrain: kk.Terrain) -> None:
    """Say plainly that demo data is fictitious."""
    if terrain.is_demo:
        st.warning(
            "**Demodata – fictief.** Dit terrein is verzonnen om de werkwijze te "
            "laten zien: gebouwen, bedrijven, verbruik en enquêteantwoorden "
            "bestaan niet echt. Alleen de pMIEK-infrastructuurprojecten komen "
            "uit de Uitvoeringsagenda pMIEK van de provincie Drenthe.",
            icon=":material/science:",
        )


def page_header(title: str, step: str, terrain: kk.Terrain) -> None:
    """Title, Leidraad step and terrain name above every page."""
    st.title(title)
    st.caption(f"{step} · {terrain.name}")
    demo_banner(terrain)


def load_outcome(name: str, error: str | None, kept: str) -> None:
    """The outcome of loading a file: success, or the Dutch error and what
    stays shown instead (``kept``, e.g. "het vorige terrein blijft getoond")."""
    if error:
        st.error(
            f"'{name}' is niet geladen; {kept}.\n\n" + error.replace("\n", "\n\n"),
            icon=":material/error:",
        )
    else:
        st.success(f"'{name}' is geladen.", icon=":material/check:")


def markdown_text(text: str) -> str:
    """Data text shown literally in markdown: no emphasis, links, icons,
    formulas or lists (but ordinary punctuation stays readable)."""
    inline = re.sub(r"([\\`*_\[\]<>$~|:])", r"\\\1", str(text))
    inline = re.sub(r"^(\s*)([#>+-])", r"\1\\\2", inline, flags=re.M)
    return re.sub(r"^(\s*\d+)\.", r"\1\\.", inline, flags=re.M)


def number_columns(fields) -> dict:
    """Dutch (browser-locale) number display for the number fields of an
    export sheet."""
    return {
        f.header: st.column_config.NumberColumn(
            f.header, format="plain" if f.kind == "int" else "localized"
        )
        for f in fields
        if f.kind in ("number", "int")
    }


def building_search(column, page: str, ids: list[str], labels: dict[str, str]):
    """Search box (widget ``<page>_search``) that selects and centres a building
    on the page's map."""
    key = f"{page}_search"
    column.selectbox(
        "Zoek adres of bedrijf",
        ids,
        index=None,
        format_func=labels.get,
        placeholder="Typ een adres of bedrijfsnaam",
        key=key,
        on_change=lambda: state.select_building(
            page, state.widget_value(key), centre=True
        ),
    )


def presentation_toggle(column, page: str, hides: str) -> bool:
    """The *Presentatiemodus* switch (widget ``<page>_private``), on by default;
    ``hides`` says what it hides of companies without consent."""
    return column.toggle(
        "Presentatiemodus",
        value=True,
        key=f"{page}_private",
        help=f"Verbergt {hides} van bedrijven die in de enquête geen toestemming "
        "gaven om hun gegevens in een werksessie te tonen.",
    )
