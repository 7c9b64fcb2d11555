"""Mijn pand: the search box, the entrepreneur's own figures, the overview."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from appui import state
from appui.ui import markdown_text
from kansenkaart.core import fmt, schema, texts
from kansenkaart.engine import privacy, search, solar, whatif
from kansenkaart.views import export, overview

PAGE = "mp"


def on_query(widget_key: str) -> None:
    best = search.search(state.search_index(), state.widget_value(widget_key) or "")
    if best.best:
        state.choose_building(best.best)


def on_pick(widget_key: str) -> None:
    if state.widget_value(widget_key):
        state.choose_building(state.widget_value(widget_key))


@st.fragment
def search_box(labels: dict[str, str], shown: str | None) -> None:
    """Typing reruns only this part; a new choice reruns the page."""
    key = state.terrain_key()
    query_key = f"mp_query|{key}"
    query = st.text_input(
        "Zoek uw pand",
        key=query_key,
        type="search",
        live="500ms",
        on_change=on_query,
        args=(query_key,),
        placeholder="Bijv. Industrieweg 3, 9301 ZZ 12a of Bakker Metaal",
        help="Typfouten mogen: de best passende panden staan bovenaan. Postcode "
        "mag met of zonder spatie, huisnummer met letter als 12a, 12 A of 12-A.",
    )
    current = state.chosen_building()
    if query:
        result = search.search(state.search_index(), query, limit=25)
        if result.message:
            (st.info if result.found else st.warning)(
                markdown_text(result.message), icon=":material/search:"
            )
        options = result.matches["building_id"].tolist()
        pick_key = f"mp_pick|{key}|{query}|{current}"
        st.selectbox(
            "Gevonden panden",
            options,
            index=options.index(current) if current in options else None,
            format_func=labels.get,
            key=pick_key,
            on_change=on_pick,
            args=(pick_key,),
            placeholder="Kies uw pand",
        )
    if current != shown:
        st.rerun()


def corrected_note(corrections: whatif.Corrections) -> None:
    """Say which of the entrepreneur's own figures the page computes with."""
    if corrections.empty:
        return
    changed = [schema.BUILDINGS.column(name).label for name in corrections.data()] + [
        text
        for text, value in (
            ("aantal panelen", corrections.pv_panels),
            ("stroomprijs", corrections.elec_price_eur_per_kwh),
        )
        if value is not None
    ]
    st.info(
        f"U rekent met uw eigen gegevens ({', '.join(changed)}). Dat geldt alleen "
        "in deze browsersessie.",
        icon=":material/edit:",
    )


def corrections_panel(building_id: str, analysed, base) -> None:
    """The entrepreneur's own figures and the solar what-if.

    Parameters
    ----------
    building_id : str
    analysed : Analysis
        With the corrections applied (for the room left for panels).
    base : Analysis
        Without them (the data's values and estimates).
    """
    terrain = base.terrain
    original = terrain.buildings.iloc[whatif.position(terrain.buildings, building_id)]
    base_row = base.buildings.iloc[whatif.position(base.buildings, building_id)]
    stored = state.stored_corrections(building_id)
    generation = state.corrections_generation(building_id)

    def widget_key(field: str) -> str:
        return f"mp|{state.terrain_key()}|{building_id}|{field}|{generation}"

    def on_correct(field: str, default) -> None:
        value = state.widget_value(widget_key(field))
        if value is None or value == default:
            stored.pop(field, None)
        else:
            stored[field] = value

    def given(name: str):
        """The data's value of a building column, None when unknown."""
        value = original.get(name)
        return None if pd.isna(value) else value

    st.markdown("**Klopt dit niet? Reken met uw eigen gegevens**")
    for field, label, estimate, step in (
        ("elec_kwh_yr", "Stroomverbruik (kWh per jaar)", "elec_kwh_yr_est", 1000.0),
        ("gas_m3_yr", "Gasverbruik (m³ per jaar)", "gas_m3_yr_est", 100.0),
        ("pv_kwp_existing", "Zonnepanelen nu (kWp)", None, 1.0),
    ):
        default = None if given(field) is None else float(given(field))
        st.number_input(
            label,
            min_value=0.0,
            value=stored.get(field, default),
            step=step,
            format="%.0f" if step >= 100 else "%.1f",
            key=widget_key(field),
            on_change=on_correct,
            args=(field, default),
            placeholder=texts.UNKNOWN
            if estimate is None
            else f"{texts.ESTIMATED}: {fmt.number(base_row[estimate], 0)}",
            help="Staat op uw jaarafrekening." if estimate else None,
        )
    label_now = stored.get("energy_label", given("energy_label"))
    st.selectbox(
        "Energielabel",
        schema.ENERGY_LABELS,
        index=None if label_now is None else schema.ENERGY_LABELS.index(label_now),
        key=widget_key("energy_label"),
        on_change=on_correct,
        args=("energy_label", given("energy_label")),
        placeholder=texts.UNKNOWN,
    )
    owner_default = given("ownership") or texts.UNKNOWN
    st.selectbox(
        "Eigenaar of huurder",
        schema.OWNERSHIP,
        index=schema.OWNERSHIP.index(stored.get("ownership", owner_default)),
        key=widget_key("ownership"),
        on_change=on_correct,
        args=("ownership", owner_default),
    )
    st.markdown("**Speel met zon**")
    most = whatif.room_for_panels(analysed, building_id)
    if most > 0:
        st.slider(
            "Aantal nieuwe panelen",
            min_value=0,
            max_value=most,
            value=min(stored.get("pv_panels", most), most),
            key=widget_key("pv_panels"),
            on_change=on_correct,
            args=("pv_panels", most),
            help=f"Er passen er hoogstens {most} bij op uw dak.",
        )
    else:
        st.caption("Op uw dak is geen ruimte (meer) voor extra panelen.")
    connection = base.buildings["grid_connection"].iloc[
        [whatif.position(base.buildings, building_id)]
    ]
    price = float(solar.electricity_price(connection, base.assumptions).iloc[0])
    st.number_input(
        "Uw stroomprijs (€ per kWh)",
        min_value=0.0,
        max_value=5.0,
        value=stored.get("elec_price_eur_per_kwh", price),
        step=0.01,
        format="%.2f",
        key=widget_key("elec_price_eur_per_kwh"),
        on_change=on_correct,
        args=("elec_price_eur_per_kwh", price),
        help="Incl. energiebelasting, excl. btw; standaard de aanname voor uw "
        "aansluiting.",
    )
    st.button(
        "Terug naar de oorspronkelijke gegevens",
        on_click=state.reset_corrections,
        args=(building_id,),
        disabled=not stored,
        icon=":material/undo:",
    )
    st.download_button(
        "Download mijn gegevens (Excel)",
        data=lambda: export.survey_row_xlsx(analysed, building_id, terrain.name),
        file_name=f"mijn-pand-{building_id}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/table_view:",
        help="Een ingevulde enquêterij met uw gegevens, om naar de gemeente te sturen.",
    )


def overview_sections(
    shown: overview.BuildingOverview, analysed, building_id: str
) -> None:
    """Solar, facts, obligations, measures, collective initiatives, tenant
    text, next steps and sources of one building."""
    st.markdown("#### Zon op uw dak")
    cells = [*st.columns(4), *st.columns([1.6, 1, 1.2])]
    for cell, figure in zip(cells, shown.solar, strict=True):
        cell.metric(figure.heading, figure.value, help=figure.note, border=True)
    for note in shown.solar_notes:
        st.caption(note)

    st.markdown("#### Wat we weten van uw pand")
    st.table(
        pd.DataFrame(
            {
                "gegeven": [f.label for f in shown.facts],
                "waarde": [f.value for f in shown.facts],
                "bron": [f.source for f in shown.facts],
            }
        ).set_index("gegeven")
    )

    st.markdown("#### Verplichtingen")
    for item in shown.obligations:
        st.markdown(f"**{item.name}: {item.status}.** {markdown_text(item.meaning)}")

    st.markdown("#### Maatregelen voor uw pand")
    st.caption("Kortste terugverdientijd eerst; alle cijfers zijn indicatief.")
    if not shown.measures:
        st.write("Voor dit pand vonden we geen individuele maatregelen.")
    for n, line in enumerate(shown.measures, start=1):
        with st.container(border=True):
            st.markdown(f"**{n}. {markdown_text(line.name)}**")
            st.markdown(markdown_text(line.reason))
            facts = [f"Terugverdientijd: {line.payback}"]
            facts += [f"Investering: {line.invest}"] if line.invest else []
            facts += [f"Opwek of besparing: {line.yearly}"] if line.yearly else []
            st.caption(" · ".join(facts) + f" · Wie: {line.who}")

    st.markdown("#### Samen met andere bedrijven op het terrein")
    if not shown.collective:
        st.write("Voor dit pand vonden we geen collectieve initiatieven.")
    for line in shown.collective:
        with st.container(border=True):
            st.markdown(f"**{markdown_text(line.name)}**")
            st.markdown(markdown_text(line.reason))
            if line.interest:
                st.caption(line.interest)
    if shown.collective:
        limit = privacy.min_group(analysed.assumptions)
        st.caption(overview.INTEREST_NOTE.format(limit=limit))

    if shown.tenant:
        st.markdown("#### U huurt: dit loopt via uw verhuurder")
        st.markdown(
            "Deze maatregelen gaan over het pand zelf, dus over het bezit van uw "
            "verhuurder: "
            + ", ".join(markdown_text(n) for n in shown.owner_measures)
            + ". Begin het gesprek met dit bericht (kopiëren met de knop "
            "rechtsboven):"
        )
        st.code(shown.landlord_message, language=None, wrap_lines=True)
    elif pd.isna(
        analysed.buildings["ownership"].iloc[
            whatif.position(analysed.buildings, building_id)
        ]
    ):
        st.caption(
            "Huurt u het pand? Geef dat aan bij 'Eigenaar of huurder'; dan ziet u "
            "welke maatregelen via de verhuurder lopen."
        )

    st.markdown("#### Volgende stappen")
    st.markdown(
        "\n".join(
            f"{n}. {markdown_text(step)}"
            for n, step in enumerate(shown.next_steps, start=1)
        )
    )
    for line in shown.sources:
        st.caption(markdown_text(line))
