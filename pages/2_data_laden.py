"""Step 2: build a terrain from the gemeente's address list and public data."""

import pandas as pd
import streamlit as st

from appui import infra, pdok, shell, state, ui
from kansenkaart.io import importer
from kansenkaart.io.survey import MEANINGS, suggest_mapping

NOT_USED = "(niet gebruiken)"
SURVEY_LABELS = {label: key for key, label in MEANINGS.items()}


def _files(upload) -> list[tuple[str, bytes]]:
    uploads = upload if isinstance(upload, list) else [upload] if upload else []
    return [(u.name, u.getvalue()) for u in uploads]


shell.frame()
terrain = state.current_terrain()
ui.page_header("Data laden", "Stap 2 · Beginsituatie", terrain)
st.markdown(
    "Bouw een eigen terrein op uit de **adressenlijst** van de gemeente en de "
    "**BAG**, aangevuld met energielabels (**EP-online**), het gemiddelde "
    "**kleinverbruik** per postcode en de **enquête**. U krijgt een "
    "importverslag: wat is gelezen, wat niet klopte en welke adressen niet "
    "gekoppeld konden worden. Het terrein bewaart u als zipbestand voor de "
    "werksessies."
)

left, right = st.columns(2)
with left:
    addresses = st.file_uploader(
        "Adressenlijst van de gemeente (verplicht)",
        type=["xlsx", "csv"],
        key="import_addresses",
        help="Excel of CSV met per bedrijf de naam en het adres: postcode en "
        "huisnummer, of een kolom 'adres' (straat en huisnummer). KvK- en "
        "SBI-nummer mogen erbij.",
    )
    bag = st.file_uploader(
        "BAG-panden en -adressen (verplicht)",
        type=["gpkg", "geojson", "json"],
        accept_multiple_files=True,
        key="import_bag",
        help="De BAG GeoPackage (bag-light) van PDOK, met de lagen 'pand' en "
        "'verblijfsobject'; of twee GeoJSON-bestanden uit de BAG-WFS (panden en "
        "verblijfsobjecten).",
    )
    boundary = st.file_uploader(
        "Terreingrens",
        type=["geojson", "json", "gpkg"],
        key="import_boundary",
        help="Het terrein uit IBIS, of een zelf getekend vlak als GeoJSON. Alleen "
        "panden binnen de grens komen in het terrein. Een grens tekenen kan op "
        "deze pagina niet; teken hem bijvoorbeeld in QGIS of op geojson.io.",
    )
with right:
    ep_online = st.file_uploader(
        "Energielabels (EP-online)",
        type=["csv", "zip", "xlsx"],
        key="import_ep_online",
        help="Het open-databestand van EP-online (RVO), als zip, csv of xlsx. Per "
        "adres telt het nieuwste label dat nog geldig is.",
    )
    bag3d = st.file_uploader(
        "Daken uit de 3D BAG",
        type=["gpkg", "csv"],
        key="import_bag3d",
        help="De 3D BAG-tegel (GeoPackage van 3dbag.nl) of de attributen als CSV. "
        "De platte en schuine dakoppervlakken vervangen dan de schatting uit het "
        "grondvlak bij het zonnepotentieel.",
    )
    kleinverbruik = st.file_uploader(
        "Kleinverbruik per postcodereeks",
        type=["csv", "txt", "xlsx"],
        key="import_kleinverbruik",
        help="Het open-databestand van de netbeheerder. Dit is een gemiddelde per "
        "aansluiting en wordt als 'geschat' verbruik opgenomen, nooit als gemeten.",
    )
    survey = st.file_uploader(
        "Enquête",
        type=["xlsx", "csv"],
        key="import_survey",
        help="De export van Microsoft Forms, Google Forms of SurveyMonkey zoals "
        "die is, of een eigen Excel-bestand: één rij per bedrijf met postcode en "
        "huisnummer. De vragen van de Leidraad worden herkend; hieronder ziet en "
        "wijzigt u de koppeling.",
    )
pdok_files = pdok.section(boundary)
name = st.text_input("Naam van het terrein", placeholder="bijvoorbeeld Bitseveld")
municipality = st.text_input("Gemeente", placeholder="bijvoorbeeld Noordenveld")

mapping = None
if survey is not None:
    columns = state.survey_columns(survey.name, survey.getvalue())
    if isinstance(columns, str):
        st.error(columns, icon=":material/error:")
    else:
        st.subheader("Kolommen van de enquête")
        st.caption(
            "Herkend aan de vraag in de kop; pas aan waar nodig. Kolommen op "
            f"'{NOT_USED}' worden overgeslagen; het importverslag zegt per kolom "
            "waarom. Antwoordopties van SurveyMonkey (tweede kopregel) worden bij "
            "het opbouwen gelezen."
        )
        suggested = suggest_mapping(columns)
        edited = st.data_editor(
            pd.DataFrame(
                {
                    "Kolom in uw bestand": columns,
                    "Betekenis": [
                        MEANINGS.get(suggested[c], NOT_USED) for c in columns
                    ],
                }
            ),
            column_config={
                "Betekenis": st.column_config.SelectboxColumn(
                    options=[NOT_USED, *SURVEY_LABELS], required=True
                )
            },
            disabled=["Kolom in uw bestand"],
            hide_index=True,
            key=f"survey_mapping_{survey.file_id}",
        )
        mapping = {
            row["Kolom in uw bestand"]: SURVEY_LABELS.get(row["Betekenis"])
            for _, row in edited.iterrows()
        }

if st.button(
    "Terrein opbouwen",
    type="primary",
    disabled=not (addresses and (bag or pdok_files)),
    help="Leest en koppelt de bestanden en maakt het importverslag. Kies "
    "daarvoor minstens de adressenlijst en het BAG-bestand.",
):
    uploads = {
        role: _files(upload)
        for role, upload in (
            ("addresses", addresses),
            ("bag", bag),
            ("boundary", boundary),
            ("ep_online", ep_online),
            ("bag3d", bag3d),
            ("kleinverbruik", kleinverbruik),
            ("survey", survey),
        )
        if upload
    }
    if pdok_files:
        uploads["bag"] = uploads.get("bag", []) + pdok_files
    with st.spinner("Bestanden lezen en koppelen…"):
        state.build_terrain(
            uploads,
            name=name.strip() or None,
            municipality=municipality.strip() or None,
            survey_mapping=mapping,
        )

if state.import_error():
    st.error(
        "Het terrein is niet opgebouwd; het terrein dat u had blijft getoond.\n\n"
        + state.import_error().replace("\n", "\n\n"),
        icon=":material/error:",
    )

if state.import_result():
    report, data, file_name = state.import_result()
    st.header("Importverslag")
    figures = report.figures
    with ui.tile_row():
        for figure in figures:
            st.metric(
                figure.label[0].upper() + figure.label[1:],
                f"{figure.matched} van {figure.total}",
            )
    for section in report.sections:
        st.subheader(f"{section.title}: {section.file}")
        for figure in section.figures:
            st.markdown(f"**{figure.text}**")
        for note in section.notes:
            st.markdown(f"- {note}")
        if section.problems:
            st.dataframe(
                pd.DataFrame(
                    {
                        "Rij": [p.row for p in section.problems],
                        "Kolom": [p.column for p in section.problems],
                        "Probleem": [p.message for p in section.problems],
                        "Oplossing": [p.fix for p in section.problems],
                    }
                ),
                hide_index=True,
            )
        if section.unmatched is not None and len(section.unmatched):
            st.markdown(
                f"Niet gekoppeld: {len(section.unmatched)} rijen. Verbeter ze in "
                "uw bestand en laad het opnieuw."
            )
            st.dataframe(section.unmatched, hide_index=True)
            st.download_button(
                "Niet-gekoppelde rijen downloaden (CSV voor Excel)",
                importer.excel_csv(section.unmatched),
                file_name=section.unmatched_file,
                mime="text/csv",
                key=f"download_{section.role}",
                icon=":material/download:",
            )
    st.header("Terrein bewaren en gebruiken")
    save, use = st.columns(2)
    save.download_button(
        "Download als terrein-zip",
        data,
        file_name=file_name,
        mime="application/zip",
        icon=":material/folder_zip:",
        help="Bewaar het terrein; laad het later via 'Eigen terrein laden' in de "
        "zijbalk.",
    )
    use.button(
        "Gebruik dit terrein nu",
        on_click=state.use_imported_terrain,
        icon=":material/check_circle:",
    )
    used = state.imported_terrain_used()
    if used and used[1]:
        ui.load_outcome(used[0], used[1], "het vorige terrein blijft getoond")
    elif used:
        st.success(
            "Het terrein is geladen en gekozen in de zijbalk.", icon=":material/check:"
        )

infra.capaciteitskaart_panel()
