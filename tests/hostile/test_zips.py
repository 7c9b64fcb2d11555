"""Hostile terrain zips: bombs, path tricks, duplicates, nesting, damage."""

from __future__ import annotations

import io
import stat
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest

from kansenkaart.core.limits import MAX_ZIP_MEMBERS
from kansenkaart.io.readers import read_terrain_zip
from tests.conftest import RD_CSV
from tests.hostile.conftest import finished, refused

NAME = "kwaad.zip"
_LOCAL, _CENTRAL, _END = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"


def make_zip(members: dict[str, bytes | str], method=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip with ``members`` (name -> content), in this order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def patch_headers(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    """Set a field at the same place in every local header (``offset``) and
    central header (``offset`` + 2, its layout is shifted by two bytes)."""
    out = bytearray(data)
    for signature, shift in ((_LOCAL, 0), (_CENTRAL, 2)):
        start = out.find(signature)
        while start >= 0:
            struct.pack_into(fmt, out, start + offset + shift, value)
            start = out.find(signature, start + 4)
    return bytes(out)


def test_a_terrain_zip_of_the_same_files_is_read():
    # The control: the same construction without the hostile part loads.
    result, error, _ = finished(
        lambda: read_terrain_zip(make_zip({"buildings.csv": RD_CSV}), NAME)
    )
    assert error is None and len(result.buildings) == 3


def test_member_declared_larger_than_the_limit_is_refused_before_unpacking():
    # Central and local header say 3 GB unpacked (a classic bomb's header).
    data = patch_headers(make_zip({"buildings.csv": RD_CSV}), 22, "<I", 3 * 1024**3)
    refused(lambda: read_terrain_zip(data, NAME), NAME, "de grens is 500 MB", limit_s=2)


def test_overlapping_members_adding_up_past_the_limit_are_refused():
    # One 150 MB member of zeros (150 kB packed) listed four times in the
    # central directory under other names: 600 MB unpacked from 150 kB.
    packed = make_zip({"a.csv": b"\0" * (150 * 1024**2)})
    central = packed.index(_CENTRAL)
    end = packed.index(_END)
    entry = packed[central:end]
    entries = b"".join(entry.replace(b"a.csv", f"{c}.csv".encode()) for c in "abcd")
    tail = bytearray(packed[end:])
    struct.pack_into("<HHI", tail, 8, 4, 4, len(entries))
    data = packed[:central] + entries + bytes(tail)
    refused(lambda: read_terrain_zip(data, NAME), NAME, "de grens is", limit_s=3)


def test_a_bomb_within_the_size_limits_unpacks_and_is_refused_as_not_text():
    data = make_zip({"buildings.csv": b"\0" * (150 * 1024**2)})
    refused(lambda: read_terrain_zip(data, NAME), "buildings.csv", "geen tekstbestand")


def test_a_header_that_understates_the_size_is_caught_by_the_checksum():
    data = patch_headers(make_zip({"buildings.csv": RD_CSV * 50}), 22, "<I", 100)
    refused(lambda: read_terrain_zip(data, NAME), NAME, "beschadigd", limit_s=2)


@pytest.mark.parametrize(
    "member", ["../buiten.csv", "/etc/kansenkaart.csv", "map/../../buiten.csv"]
)
def test_paths_out_of_the_folder_are_refused(member, tmp_path):
    data = make_zip({"buildings.csv": RD_CSV, member: "x"})
    refused(lambda: read_terrain_zip(data, NAME), NAME, "onveilig pad", limit_s=2)
    assert not Path("/etc/kansenkaart.csv").exists()


@pytest.mark.parametrize(
    ("first", "second"),
    [("buildings.csv", "buildings.csv"), ("buildings.csv", "./Buildings.csv")],
)
def test_a_member_twice_is_refused(first, second):
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        archive.writestr(first, RD_CSV)
        archive.writestr(second, "building_id;wkt\n")
    refused(lambda: read_terrain_zip(buffer.getvalue(), NAME), NAME, "twee keer")


def test_two_buildings_files_of_one_terrain_are_refused():
    data = make_zip({"buildings.csv": RD_CSV, "buildings.geojson": "{}"})
    refused(lambda: read_terrain_zip(data, NAME), "buildings.csv", "buildings.geojson")


def test_two_terrains_in_one_zip_are_refused():
    data = make_zip({"a/buildings.csv": RD_CSV, "b/buildings.csv": RD_CSV})
    refused(lambda: read_terrain_zip(data, NAME), NAME, "meer dan één terrein")


def test_a_zip_in_a_zip_is_refused_with_what_to_do():
    inner = make_zip({"buildings.csv": RD_CSV})
    data = make_zip({"terrein.zip": inner})
    error = refused(lambda: read_terrain_zip(data, NAME), NAME, "terrein.zip")
    assert "pak het binnenste zipbestand uit" in str(error)


def test_too_many_members_are_refused():
    data = make_zip({f"f{i}.txt": "x" for i in range(MAX_ZIP_MEMBERS + 1)})
    refused(lambda: read_terrain_zip(data, NAME), NAME, f"bevat {MAX_ZIP_MEMBERS + 1}")


@pytest.mark.parametrize("keep", [0.0, 0.5, 0.9, 0.999])
def test_a_truncated_upload_is_refused(keep):
    data = make_zip({"buildings.csv": RD_CSV * 20, "terrain.json": "{}"})
    cut = data[: int(len(data) * keep)]
    refused(lambda: read_terrain_zip(cut, NAME), NAME, limit_s=2)


def test_damaged_packed_data_is_refused():
    data = bytearray(make_zip({"buildings.csv": RD_CSV * 20}))
    start = data.index(_LOCAL) + 30 + len("buildings.csv")
    data[start + 10 : start + 60] = b"\xff" * 50
    refused(lambda: read_terrain_zip(bytes(data), NAME), NAME, "beschadigd")


def test_an_encrypted_member_is_refused():
    data = patch_headers(make_zip({"buildings.csv": RD_CSV}), 6, "<H", 0x1)
    refused(lambda: read_terrain_zip(data, NAME), NAME, "versleuteld")


def test_an_unknown_compression_method_is_refused():
    data = patch_headers(make_zip({"buildings.csv": RD_CSV}), 8, "<H", 99)
    refused(lambda: read_terrain_zip(data, NAME), NAME, "kan niet worden uitgepakt")


@pytest.mark.parametrize(
    "member", ["a" * 300 + ".csv", "/".join(["d"] * 2100) + "/x.csv"]
)
def test_names_the_file_system_cannot_hold_are_refused(member):
    data = make_zip({"buildings.csv": RD_CSV, member: "x"})
    refused(lambda: read_terrain_zip(data, NAME), NAME, "kan niet worden uitgepakt")


def test_a_symbolic_link_member_is_unpacked_as_plain_text():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        link = zipfile.ZipInfo("buildings.csv")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    refused(lambda: read_terrain_zip(buffer.getvalue(), NAME), "buildings.csv")


@pytest.mark.parametrize(
    "data",
    [b"", b"PK", b"PK\x03\x04" + b"\0" * 100, b"dit is geen zip", _END + bytes(18)],
)
def test_what_is_no_terrain_zip_is_refused(data):
    refused(lambda: read_terrain_zip(data, NAME), NAME, limit_s=2)


def test_a_zip_name_too_long_for_a_terrain_id_is_refused():
    data = make_zip({"buildings.csv": RD_CSV})
    name = "t" * 300 + ".zip"
    refused(lambda: read_terrain_zip(data, name), name, "terreincode")


def test_compressed_bomb_ratio_reference():
    # The figures behind the 150 MB cases: zeros pack about 1000 to 1.
    assert len(zlib.compress(b"\0" * 10**6, 9)) < 1100
