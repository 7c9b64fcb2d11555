"""Mijn pand: the entrepreneur's own figures, corrections and overview."""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from appui import access, state
from appui.ui import dutch_number_input, markdown_text, tile_row
from kansenkaart.core import assumptions as asm
from kansenkaart.core import fmt, schema, texts
from kansenkaart.engine import privacy, solar, whatif
from kansenkaart.records import access as records_access
from kansenkaart.views import export, overview

PAGE = "mp"


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

    def correct(field: str, default, value) -> None:
        """Keep ``value`` as the building's own figure; the data's drops it."""
        if value is None or value == default:
            stored.pop(field, None)
        else:
            stored[field] = value

    def on_correct(field: str, default) -> None:
        correct(field, default, state.widget_value(widget_key(field)))

    def given(name: str):
        """The data's value of a building column, None when unknown."""
        value = original.get(name)
        return None if pd.isna(value) else value

    st.markdown("**Klopt dit niet? Reken met uw eigen gegevens**")
    for field, number, estimate in (
        # Upper bounds above any one building on a business park: they catch
        # a typing slip, not a large user.
        (
            "elec_kwh_yr",
            fmt.NumberField("Stroomverbruik", "kWh per jaar", 0, 1e9, optional=True),
            "elec_kwh_yr_est",
        ),
        (
            "gas_m3_yr",
            fmt.NumberField("Gasverbruik", "m³ per jaar", 0, 1e8, optional=True),
            "gas_m3_yr_est",
        ),
        (
            "pv_kwp_existing",
            fmt.NumberField("Zonnepanelen nu", "kWp", 0, 1e5, 1, optional=True),
            None,
        ),
    ):
        default = None if given(field) is None else float(given(field))
        dutch_number_input(
            number,
            stored.get(field, default),
            key=widget_key(field),
            on_change=correct,
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
    low, high = asm.INPUT_RANGES["elec_price_small_eur_per_kwh"]  # as on Aannames
    dutch_number_input(
        fmt.NumberField("Uw stroomprijs", "€ per kWh", low, high, 2),
        stored.get("elec_price_eur_per_kwh", price),
        key=widget_key("elec_price_eur_per_kwh"),
        on_change=correct,
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
    with tile_row():
        for figure in shown.solar:
            st.metric(figure.heading, figure.value, help=figure.note, border=True)
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
            facts += list(line.impact)
            st.caption(" · ".join(facts) + f" · Wie: {line.who}")

    st.markdown("#### Samen met andere bedrijven op het terrein")
    if not shown.collective:
        st.write("Voor dit pand vonden we geen collectieve initiatieven.")
    for line in shown.collective:
        with st.container(border=True):
            st.markdown(f"**{markdown_text(line.name)}**")
            st.markdown(markdown_text(line.reason))
            if line.impact:
                st.caption(" · ".join(line.impact))
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


def as_viewer(analysed, olist: pd.DataFrame, building_id: str):
    """The analysis and opportunity list as the viewer may see them.

    Returns
    -------
    Analysis, DataFrame, privacy.Access
        Buildings through :func:`privacy.for_viewer`; without access to the
        building's figures its opportunities as the public variant shows them.
    """
    viewer = access.current()
    buildings = analysed.buildings
    at = whatif.position(buildings, building_id)
    allowed = privacy.building_access(
        viewer.role,
        building_id,
        bool(privacy.consented(buildings)[at]),
        viewer.building_id,
    )
    seen = privacy.for_viewer(buildings, viewer.role, viewer.building_id)
    if not allowed.figures:
        olist = privacy.redact_opportunities(
            olist, privacy.OPENBAAR, analysed.assumptions, buildings=seen
        )
    return dataclasses.replace(analysed, buildings=seen), olist, allowed


def consent_panel(building_id: str, analysis) -> None:
    """The company's consent per scope: given or withdrawn, with its date.

    For the company itself (personal link) and the beheerder; stored in the
    database and written to the audit log. Without a record the werksessie
    consent is the survey's answer (``analysis`` already applies records).
    """
    viewer = access.current()
    if viewer.role not in (privacy.ONDERNEMER, privacy.BEHEERDER):
        return
    db, terrain = state.records_store(), state.terrain_key()
    st.markdown("**Toestemming om uw cijfers te delen**")
    now = records_access.consents(db, terrain, building_id)
    rows = analysis.buildings["building_id"].astype(str) == str(building_id)
    survey_given = bool(privacy.consented(analysis.buildings[rows]).any())
    for scope, meaning in records_access.CONSENT_SCOPES.items():
        consent = now[scope]
        given = consent.given
        stand = consent.text
        if consent.recorded_at is None and scope == "werksessie":
            given = survey_given
            stand = "gegeven in de enquête" if given else "niet gegeven"
        st.caption(f"{meaning}. Stand: **{stand}**.")
        if st.button(
            "Toestemming intrekken" if given else "Toestemming geven",
            key=f"mp_consent|{terrain}|{building_id}|{scope}",
            icon=":material/block:" if given else ":material/check:",
        ):
            records_access.record_consent(
                db, terrain, building_id, scope, not given, user=viewer.who
            )
            st.rerun()
