"""Small rendering helpers shared by the pages: header, banners, messages."""

from __future__ import annotations

import contextvars
import re
from collections.abc import Callable

import streamlit as st

import kansenkaart as kk
from appui import state
from kansenkaart.core import fmt
from kansenkaart.engine import search

PAGE_INTRO: contextvars.ContextVar[str] = contextvars.ContextVar(
    "kansenkaart_page_intro", default=""
)
"""The first sentence of the page being run: what it is for and which Leidraad
step it serves (``PageEntry.intro``, set by :func:`appui.shell.run`)."""


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


def page_header(title: str, step: str, terrain: kk.Terrain | None = None) -> None:
    """Title, Leidraad step and terrain name above every page, then the page's
    intro sentence (:data:`PAGE_INTRO`) and the demo banner. Without a
    terrain (a page about many, e.g. the Provincie-overzicht) the page says
    itself what is fictitious."""
    with st.container(key="page_head"):  # the werksessie wall hides it
        st.title(title)
        st.caption(f"{step} · {terrain.name}" if terrain else step)
        st.markdown(PAGE_INTRO.get())
    if terrain:
        demo_banner(terrain)


def not_loaded(what: str, page_file: str, page_title: str, todo: str) -> None:
    """An empty state that says what to do next, with a link to the page:
    "Nog geen enquête geladen — ga naar Data laden en ...". ``page_file`` is a
    file under ``pages/``."""
    st.info(
        f"Nog geen {what} geladen — ga naar **{page_title}** {todo}.",
        icon=":material/info:",
    )
    st.page_link(f"pages/{page_file}", label=f"Naar {page_title}")


def tile_row():
    """A row for ``st.metric`` tiles that wraps onto a next row when they do not
    fit, e.g. at 1280 px with the sidebar open: every tile as wide as its label
    and value, never cut off with "…" as in equal ``st.columns``."""
    return st.container(horizontal=True)


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


def grid_columns(fields) -> dict:
    """Column settings of an export sheet shown as a grid: Dutch
    (browser-locale) numbers, and a set width for every column, so the
    browser does not measure every cell's text to size the columns (that
    took most of the Kansenlijsten page's time in the browser, issue 18)."""
    wide = {"reason", "subsidy"}  # long explanations: room to read them
    return {
        f.header: (
            st.column_config.NumberColumn(
                f.header,
                format="plain" if f.kind == "int" else "localized",
                width="small",
            )
            if f.kind in ("number", "int")
            else st.column_config.Column(
                f.header, width="large" if f.name in wide else "medium"
            )
        )
        for f in fields
    }


@st.fragment
def building_search(
    page: str,
    shown: str | None,
    current: Callable[[], str | None],
    choose: Callable[[str], None],
    *,
    label: str,
    placeholder: str,
    help: str | None = None,
    compact: bool = False,
) -> None:
    """Search as you type (widget ``<page>_query|<terrain>``) over the
    terrain's buildings: a confident match is chosen at once, otherwise the
    best matches are offered under *Gevonden panden*. Only the matches go to
    the browser, never every building (100.000 options took seconds to draw,
    issue 21). Typing reruns only this part; a new choice (``choose(id)``, so
    that ``current()`` differs from ``shown``) reruns the page. ``compact``
    (a map's toolbar): the list beside the box, and what was found in its
    help instead of a message under it."""
    terrain = state.terrain_key()
    query_key = f"{page}_query|{terrain}"

    def typed() -> None:
        best = search.search(state.search_index(), state.widget_value(query_key) or "")
        if best.best:
            choose(best.best)

    def picked(pick_key: str) -> None:
        if state.widget_value(pick_key):
            choose(state.widget_value(pick_key))

    where = (
        st.container(horizontal=True, vertical_alignment="bottom") if compact else st
    )
    query = where.text_input(
        label,
        key=query_key,
        type="search",
        live="500ms",
        on_change=typed,
        placeholder=placeholder,
        help=help,
    )
    if query:
        result = search.search(state.search_index(), query, limit=25)
        if result.message and not compact:
            (st.info if result.found else st.warning)(
                markdown_text(result.message), icon=":material/search:"
            )
        options = result.matches["building_id"].tolist()
        labels = dict(zip(options, result.matches["label"], strict=True))
        pick_key = f"{page}_pick|{terrain}|{query}|{current()}"
        where.selectbox(
            "Gevonden panden" if result.found else "Niet gevonden; lijkt op",
            options,
            index=options.index(current()) if current() in options else None,
            format_func=labels.get,
            key=pick_key,
            on_change=picked,
            args=(pick_key,),
            placeholder="Kies een pand",
            help=markdown_text(result.message) if compact and result.message else None,
        )
    if current() != shown:
        st.rerun(scope="app")


def map_search(container, page: str) -> None:
    """:func:`building_search` on a map page: the choice is selected and the
    map centred on it."""
    # Room for the box and the list of matches side by side (a fragment in a
    # row is as narrow as one widget otherwise).
    with container.container(width=480):
        building_search(
            page,
            state.selected_building(page),
            lambda: state.selected_building(page),
            lambda building: state.select_building(page, building, centre=True),
            label="Zoek adres of bedrijf",
            placeholder="Typ een adres of bedrijfsnaam",
            help="Typfouten mogen: de best passende panden staan bovenaan.",
            compact=True,
        )


def presentation_toggle(column, page: str, hides: str) -> bool:
    """The *Presentatiemodus* switch (widget ``<page>_private``), on by default;
    ``hides`` says what it hides of companies without consent."""
    return column.toggle(
        "Presentatiemodus",
        value=True,
        key=page + state.PRIVATE_SUFFIX,
        help=f"Verbergt {hides} van bedrijven die in de enquête geen toestemming "
        "gaven om hun gegevens in een werksessie te tonen.",
    )


def read_number(key: str, field: fmt.NumberField) -> tuple[float | None, str | None]:
    """The number typed in the text field ``key`` (read by
    :func:`kansenkaart.core.fmt.parse_number`) and None, or None and the Dutch
    error. For callbacks, e.g. the submit button of an ``st.form``."""
    try:
        return fmt.parse_number(state.widget_value(key), field), None
    except fmt.NumberError as error:
        return None, str(error)


def dutch_number_input(
    field: fmt.NumberField,
    value: float | None,
    *,
    key: str,
    help: str | None = None,
    placeholder: str | None = None,
    on_change=None,
    args: tuple = (),
    container=None,
) -> float | None:
    """A number field that shows and reads Dutch numbers; use it for every
    number a user types (instead of ``st.number_input``).

    A text field (widget ``key``) labelled ``"<label> (<unit>)"`` shows
    ``value`` in Dutch notation (:func:`kansenkaart.core.fmt.input_text`) and
    reads what is typed with :func:`kansenkaart.core.fmt.parse_number`
    (``0,30``, ``0.30``, ``75.000``, ``1 234,5``, ``€ 1.200``, ``30%``). Text
    that cannot be used, or a ``value`` from elsewhere outside the field's
    range, gets the Dutch message under the field and the function returns
    ``value``, the last valid one; nothing raises. Text that was read
    differently from how it was typed gets a caption with the reading.

    Parameters
    ----------
    field : kansenkaart.core.fmt.NumberField
        Label, unit, range, decimals, share, whole, optional.
    value : float or None
        The value in use (a fraction for a share field).
    key : str
        Widget key; the widget keeps what was typed under it.
    help, placeholder : str, optional
        As for ``st.text_input``.
    on_change : callable, optional
        Called as ``on_change(*args, number)`` (a widget callback, before the
        next run) when newly typed text reads as a valid number; not on bad
        input. Not allowed inside an ``st.form``: read the typed number with
        :func:`read_number` in the form's submit callback.
    container : optional
        Where to draw the field (a column); default the main area.

    Returns
    -------
    float or None
        The typed number when valid, else ``value``.
    """
    where = container or st
    shown = fmt.input_text(value, field)
    unit = field.shown_unit

    def changed() -> None:
        number, error = read_number(key, field)
        if error is None:
            on_change(*args, number)

    text = where.text_input(
        f"{field.label} ({unit})" if unit else field.label,
        value=shown,
        key=key,
        help=help,
        placeholder=placeholder,
        on_change=changed if on_change else None,
    )
    try:
        number = fmt.parse_number(text, field)
    except fmt.NumberError as error:
        where.error(str(error), icon=":material/error:")
        return value
    if text == shown:
        return value  # untouched: the exact value, not its rounded text
    read = fmt.input_text(number, field)
    if read and text.strip() != read:
        where.caption(f"Gelezen als {read} {unit}".rstrip())
    return number
