import kansenkaart as kk
from kansenkaart.engine.summary import key_figures


def test_key_figures_of_hand_made_terrain(csv_terrain):
    (csv_terrain / "buildings.csv").write_text(
        "building_id;company;floor_area_m2;energy_label;elec_kwh_yr;elec_source;"
        "pv_kwp_existing;wkt\n"
        "1;A;100;B;5000;gemeten;10;POLYGON((233000 557000,233010 557000,233010 557010,233000 557000))\n"  # noqa: E501
        "2;;300;;;;;POLYGON((233020 557000,233030 557000,233030 557010,233020 557000))\n"  # noqa: E501
        "3;C;;D;8000;geschat;0;POLYGON((233040 557000,233050 557000,233050 557010,233040 557000))\n"  # noqa: E501
        "4;D;600;;9000;enquête;;POLYGON((233060 557000,233070 557000,233070 557010,233060 557000))\n",  # noqa: E501
        encoding="utf-8",
    )
    (csv_terrain / "survey.csv").write_text(
        "building_id;toestemming\n1;ja\n4;nee\n", encoding="utf-8"
    )
    figures = {f.label: f for f in key_figures(kk.load_terrain(csv_terrain))}
    assert figures["Gebouwen"].value == 4
    assert figures["Bedrijven"].value == 3
    assert figures["Vloeroppervlak"].text == "1.000 m²"
    assert "bij 1 panden onbekend" in figures["Vloeroppervlak"].help
    assert figures["Energielabel bekend"].text == "50 %"
    # Estimated use does not count as known: 2 of 4 (gemeten + enquête).
    assert figures["Verbruik bekend"].value == 0.5
    assert figures["Enquêterespons"].text == "50 %"
    assert figures["Bestaande zonnepanelen"].text == "10 kWp"


def test_use_without_source_column_counts_as_known(csv_terrain):
    (csv_terrain / "buildings.csv").write_text(
        "building_id;elec_kwh_yr;wkt\n"
        "1;5000;POLYGON((233000 557000,233010 557000,233010 557010,233000 557000))\n"
        "2;;POLYGON((233020 557000,233030 557000,233030 557010,233020 557000))\n",
        encoding="utf-8",
    )
    figures = {f.label: f for f in key_figures(kk.load_terrain(csv_terrain))}
    assert figures["Verbruik bekend"].text == "50 %"
