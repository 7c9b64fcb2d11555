"""Own quarter-hour meter data: real exports read as published, the report, and
own data replacing the standard profile in the hub.

Expected values are taken by hand from the rows of the files (line numbers as
a text editor or Excel shows them) and from the published NEDU fractions.
Model year 2015 begins on a Thursday; a data year is shifted by at most three
days so that weekdays agree: 2021 (Friday) by one day, 2022 (Saturday) by
two, 2023 (Sunday) by three (model day = day of year + shift).
"""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from kansenkaart.core.errors import DataError
from kansenkaart.core.paths import data_dir
from kansenkaart.engine import hub, profiles
from kansenkaart.io.meterdata import read_meterdata

REAL = Path(__file__).parent / "fixtures" / "real" / "meterdata"
OWN = Path(__file__).parent / "fixtures" / "meterdata"


def _read(path: Path):
    return read_meterdata(path.read_bytes(), path.name)


def _at(model_day: int, hour: int, minute: int) -> int:
    return model_day * 96 + hour * 4 + minute // 15


def _text(series) -> str:
    return " ".join(str(p) for p in series.report)


def test_slimme_meter_portal_xlsx_with_offsets_and_end_stamps():
    meter = _read(REAL / "slimmemeterportal_data_2023.xlsx")
    (series,) = meter.series.values()
    assert "datum_tijd" in meter.layout and "levering_laag" in meter.layout
    assert "einde van het kwartier" in series.summary
    # 2 × 7 days of quarter hours, offsets exact: no DST duplicate, no gap
    # inside a week; the only gap is 29-03 to 25-10 (210 days = 20,160)
    assert series.measured_share == pytest.approx(1344 / 35040)
    assert "20.160 kwartieren ontbreken" in _text(series)
    assert "twee keer" not in _text(series)
    # row '26-03-2023 03:00:00 +0200' levering_laag 0,14: 01:45-02:00 winter time,
    # 26-03 = day 84 (+3) -> 0,14 kWh / 0,25 h
    assert series.take_kw[_at(87, 1, 45)] == pytest.approx(0.56)
    # row '29-10-2023 02:00:00 +0100' 0,32: 01:45-02:00 winter time, day 301 (+3)
    assert series.take_kw[_at(304, 1, 45)] == pytest.approx(1.28)
    # the row before it, '29-10-2023 02:00:00 +0200' 0,10: 00:45-01:00 winter
    assert series.take_kw[_at(304, 0, 45)] == pytest.approx(0.40)


def test_fluvius_register_rows_with_dutch_clock_time():
    meter = _read(REAL / "fluvius_verbruikshistoriek_kwartiertotalen.csv")
    assert list(meter.series) == ["123456879123456789"]  # ="…" guard removed
    series = meter.series["123456879123456789"]
    assert "Register" in meter.layout and "Van tijdstip" in meter.layout
    assert "Eenheid kWh" in series.summary and "'Geen verbruik'" in series.summary
    # 31-10-2021 02:00 occurs at lines 210 (summer time) and 212 (winter time)
    dst = [p for p in series.report if "twee keer" in p.message]
    assert len(dst) == 1 and "rij 210" in dst[0].message and "rij 212" in dst[0].message
    # line 62: 13-10-2021 07:30 (summer time) Afname Dag 0,121 -> 06:30 winter,
    # day 285 (+1)
    assert series.take_kw[_at(286, 6, 30)] == pytest.approx(0.484)


def test_engie_hourly_export_is_spread_over_quarters_and_gas_skipped():
    meter = _read(REAL / "engie_export_verbruiken.csv")
    (series,) = meter.series.values()
    assert "Interval 60 minuten" in series.summary
    assert "25 rijen met een ander type dan elektriciteit" in series.summary
    # line 149: 2022-10-30T02:00:00+01:00 0.393 kWh (dot decimals) for the hour
    # 02:00-03:00 winter time, day 302 (+2): 0,393/4 kWh per quarter = 0,393 kW
    hour = series.take_kw[_at(304, 2, 0) : _at(304, 3, 0)]
    assert hour == pytest.approx([0.393] * 4)


def test_dst_duplicate_and_gap_are_reported_with_their_rows():
    series = _read(OWN / "datum_tijd_levering_teruglevering.csv").series[""]
    dst = [p for p in series.report if "twee keer" in p.message]
    assert len(dst) == 1 and "29-10-2023" in dst[0].message
    assert "rij 203" in dst[0].message and "rij 204" in dst[0].message
    gap = [p for p in series.report if "ontbreken" in p.message]
    assert len(gap) == 1 and gap[0].row == 335
    assert "4 kwartieren" in gap[0].message and "30-10-2023 10:00" in gap[0].message
    # the doubled hour: first 1,000 kWh (summer, 01:xx winter), then 1,500
    # (02:xx winter); 29-10-2023 is day 301 (+3)
    assert series.take_kw[_at(304, 1, 0)] == pytest.approx(4.0)
    assert series.take_kw[_at(304, 2, 0)] == pytest.approx(6.0)
    # the gap 30-10 10:00-10:45 takes the day before (no week around it): 1,25
    assert series.take_kw[_at(305, 10, 0)] == pytest.approx(5.0)


def test_kw_header_is_mean_power_and_kwh_is_energy():
    kwh = _read(OWN / "datum_tijd_levering_teruglevering.csv").series[""]
    kw = _read(OWN / "datum_tijd_levering_kw.csv").series[""]
    assert "gelezen als kWh" in kwh.summary
    assert "kW (gemiddeld vermogen)" in kw.summary
    np.testing.assert_allclose(kw.take_kw, kwh.take_kw, rtol=1e-6)
    np.testing.assert_allclose(kw.feed_in_kw, kwh.feed_in_kw, rtol=1e-6)
    # 27-10-2023 12:00 (summer time) 2,500 kWh -> 11:00 winter, day 299 (+3)
    assert kwh.take_kw[_at(302, 11, 0)] == pytest.approx(10.0)


def test_one_row_per_day_with_96_columns_and_two_meters():
    meter = _read(OWN / "dag_96_kolommen.csv")
    assert set(meter.series) == {"871687120000000002", "871687120000000003"}
    two = meter.series["871687120000000002"]
    text = _text(two)
    assert "rij 3: negatieve waarde -0,500" in text
    assert "rij 3: onwaarschijnlijke waarde 99,000" in text
    # Monday 05-06-2023 09:00 summer time: 4,0 kWh -> 08:00 winter, day 155 (+3)
    assert two.take_kw[_at(158, 8, 0)] == pytest.approx(16.0)
    assert meter.series["871687120000000003"].report[0].message.startswith("slechts")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("building_id;address\nP1;Hoofdstraat 1\n", "geen kopregel met datum/tijd"),
        (
            "Datum;Meterstand normaal\n01-01-2023;15626,2\n02-01-2023;15630,4\n",
            "meterstanden",
        ),
        (
            "Datum;Tijd;Levering\n01-01-2023;00:00;1\n01-01-2023;00:07;1\n"
            "01-01-2023;00:14;1\n",
            "7 minuten",
        ),
    ],
)
def test_what_cannot_be_a_meter_export_is_refused_in_dutch(text, says):
    with pytest.raises(DataError) as caught:
        read_meterdata(text.encode("cp1252"), "export.csv")
    assert says in str(caught.value) and "bestand 'export.csv'" in str(caught.value)


def _year_2015_csv() -> bytes:
    """A whole 2015 as a meter writes it in Dutch clock time: 1,000 kWh per
    quarter hour, 5,000 kWh at 10-06-2015 12:00 (summer time)."""
    utc = pd.date_range("2014-12-31 23:00", periods=35040, freq="15min", tz="UTC")
    local = utc.tz_convert("Europe/Amsterdam").tz_localize(None)
    take = np.where(local == pd.Timestamp("2015-06-10 12:00"), "5,000", "1,000")
    lines = ["Datum;Tijd;Levering"] + [
        f"{t:%d-%m-%Y};{t:%H:%M};{v}" for t, v in zip(local, take, strict=True)
    ]
    return "\n".join(lines).encode()


def test_own_data_replaces_the_standard_profile_and_the_group_peak():
    series = read_meterdata(_year_2015_csv(), "eigen.csv").series[""]
    assert series.measured_share == 1.0 and "aangevuld" not in series.summary
    (autumn,) = series.report  # only the note on 25-10-2015 02:00-03:00
    assert "25-10-2015" in autumn.message and "twee keer" in autumn.message
    buildings = pd.DataFrame(
        {
            "building_id": ["A", "B"],
            "elec_kwh_yr_est": [100_000.0, 100_000.0],
            "grid_connection": ["grootverbruik", "grootverbruik"],  # E3A
            "pv_kwp_existing": [0.0, 0.0],
        }
    )
    measured = {"A": profiles.Measured(series.take_kw, series.feed_in_kw, "eigen.csv")}
    standard = profiles.building_profiles(buildings)
    own = profiles.building_profiles(buildings, measured=measured)
    assert own.bases == ("eigen meetdata", "standaardprofiel")
    # by hand from the published NEDU E3A fractions f: standard group peak
    # 2 × 100.000 kWh × max f / 0,25 h; with own data A takes 4 kW (1 kWh per
    # quarter) and 20 kW at 10-06 11:00 winter time (day 160, quarter 44)
    f = pd.read_csv(data_dir() / "profiles" / "nedu_2015_elektriciteit.csv.gz")["E3A"]
    b_kw = f.to_numpy() * 100_000 / 0.25
    spike = 160 * 96 + 44
    by_hand_standard = 2 * b_kw.max()
    by_hand_own = max(4 + b_kw.max(), 20 + b_kw[spike])
    peak_standard = hub.balance(standard.use_kw, standard.pv_kw, 1e9).group_peak_kw
    peak_own = hub.balance(own.use_kw, own.pv_kw, 1e9).group_peak_kw
    assert peak_standard == pytest.approx(by_hand_standard, rel=1e-5)
    assert peak_own == pytest.approx(by_hand_own, rel=1e-5)
    assert peak_own != pytest.approx(peak_standard, rel=1e-3)
