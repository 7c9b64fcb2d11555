import subprocess
import sys

import kansenkaart as kk
from kansenkaart.cli import main


def test_demo_command_writes_a_loadable_terrain(tmp_path, capsys):
    assert main(["demo", "--buildings", "250", "-o", str(tmp_path / "t")]) == 0
    assert "fictief" in capsys.readouterr().out
    assert len(kk.load_terrain(tmp_path / "t").buildings) == 250


def test_check_reports_problems_in_dutch_and_exits_1(csv_terrain, capsys):
    (csv_terrain / "buildings.csv").write_text("gebouw;wkt\n1;POINT(1 2)\n")
    assert main(["check", str(csv_terrain)]) == 1
    err = capsys.readouterr().err
    assert "Fout in de invoer" in err
    assert "building_id" in err


def test_check_valid_terrain_prints_key_figures(capsys):
    assert main(["check", "demo:de-punt"]) == 0
    out = capsys.readouterr().out
    assert "is geldig" in out and "Gebouwen: 35" in out


def test_module_entry_point_runs():
    result = subprocess.run(
        [sys.executable, "-m", "kansenkaart", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    assert "demoterreinen" in result.stdout
