"""Build a terrain from the gemeente's address list and public data (Leidraad step 2).

The Leidraad's *beginsituatie* starts from the gemeente's adressenlijst and
public registers. :func:`import_terrain` joins

- the **adressenlijst** (company, address or postcode + house number, KvK/SBI;
  :mod:`kansenkaart.io.addresses`)
- to **BAG** verblijfsobjecten and their panden (:mod:`kansenkaart.io.bag`),
  clipped to the terrain **boundary** (IBIS GeoJSON or any polygon),
- **EP-online** labels, newest valid per object (:mod:`kansenkaart.io.eponline`),
- **3D BAG** flat and sloped roof areas and heights (:mod:`kansenkaart.io.bag3d`),
- **kleinverbruik** postcode averages, marked ``geschat``
  (:mod:`kansenkaart.io.kleinverbruik`),
- and the **enquête**: a Microsoft Forms, Google Forms or SurveyMonkey export
  or an Excel file (:func:`kansenkaart.io.survey.read_survey`), whose headers
  may be mapped by hand (:func:`kansenkaart.io.survey.suggest_mapping`),

into one building per pand (several companies in one pand are all kept; a
pand without a company stays as "onbekend"), with an :class:`ImportReport` in
Dutch that page, CLI and tests share. :func:`write_terrain` and
:func:`terrain_zip` save it as a terrain folder or zip that
:func:`kansenkaart.io.readers.load_terrain` reads.

Problems that make a file unusable (unreadable, wrong type, missing columns)
raise one :class:`~kansenkaart.core.errors.DataError` naming every such file;
problems in single rows are reported and the rows left out, so the gemeente
can correct them and import again. Nothing is written until all inputs were
read, so a failed import never damages an existing terrain.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd

from kansenkaart.core import fmt, texts
from kansenkaart.core import schema as sch
from kansenkaart.core.errors import DataError, Problem
from kansenkaart.core.pmiek import cluster_of
from kansenkaart.core.safety import safe_texts
from kansenkaart.io.addresses import (
    build_buildings,
    link_to_panden,
    read_addresses,
    unmatched_rows,
)
from kansenkaart.io.bag import Bag, among, read_bag
from kansenkaart.io.bag3d import Bag3d, apply_roofs, read_bag3d
from kansenkaart.io.demo import PMIEK_CSV
from kansenkaart.io.eponline import (
    PAND_RULE,
    EpOnline,
    labels_per_pand,
    read_ep_online,
    valid_on,
)
from kansenkaart.io.kleinverbruik import (
    Kleinverbruik,
    apportion,
    read_kleinverbruik,
    terrain_notes,
)
from kansenkaart.io.readers import read_layer, read_table, read_terrain_folder
from kansenkaart.io.survey import SurveyImport, read_survey, suggest_mapping

ROLES = {
    "addresses": "Adressenlijst",
    "bag": "BAG",
    "bag3d": "3D BAG",
    "boundary": "Terreingrens",
    "ep_online": "EP-online",
    "kleinverbruik": "Kleinverbruik",
    "survey": texts.SURVEY.capitalize(),
}
"""Input role -> Dutch section title of the report."""


# --------------------------------------------------------------------- report


@dataclass(frozen=True)
class MatchFigure:
    """A match figure such as "142 van 150 adressen gekoppeld aan een BAG-pand"."""

    matched: int
    total: int
    label: str

    @property
    def text(self) -> str:
        """Dutch sentence."""
        return f"{self.matched} van {self.total} {self.label}"


@dataclass(frozen=True)
class FileSection:
    """What happened to one input file.

    Attributes
    ----------
    role : str
        Key of :data:`ROLES` (``addresses``, ``bag``, ...).
    file : str
        File name(s) as the user chose them.
    notes : tuple of str
        Dutch sentences: what was read, assumed or left out.
    problems : tuple of Problem
        Rows with a problem: row, column, value and how to fix it.
    figures : tuple of MatchFigure
    unmatched : DataFrame or None
        Rows that could not be linked, as in the file plus ``rij``, ``reden``
        and ``oplossing``; for download (see :func:`excel_csv`).
    """

    role: str
    file: str
    notes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    figures: tuple[MatchFigure, ...] = ()
    unmatched: pd.DataFrame | None = None

    @property
    def title(self) -> str:
        """Dutch title: "Adressenlijst", "BAG", ..."""
        return ROLES[self.role]

    @property
    def unmatched_file(self) -> str:
        """Name of the CSV with the unmatched rows in the terrain folder."""
        return f"niet_gekoppeld_{_slug(self.title).replace('-', '_')}.csv"


@dataclass(frozen=True)
class ImportReport:
    """The validation report of an import, one section per input file."""

    sections: tuple[FileSection, ...]

    def section(self, role: str) -> FileSection | None:
        """The section of ``role`` (a key of :data:`ROLES`), if that file was given."""
        return next((s for s in self.sections if s.role == role), None)

    @property
    def figures(self) -> tuple[MatchFigure, ...]:
        """All match figures, in section order."""
        return tuple(f for s in self.sections for f in s.figures)

    def to_text(self) -> str:
        """The report as plain Dutch text (CLI, ``importverslag.txt``)."""
        lines = []
        for s in self.sections:
            lines.append(f"== {s.title}: {s.file} ==")
            lines += [f"  {f.text}" for f in s.figures]
            lines += [f"  - {note}" for note in s.notes]
            lines += [f"  ! {problem}" for problem in s.problems]
            if s.unmatched is not None and len(s.unmatched):
                lines.append(
                    f"  Niet gekoppeld: {len(s.unmatched)} rijen, met reden en "
                    f"oplossing in {s.unmatched_file}."
                )
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ImportResult:
    """A terrain built by :func:`import_terrain`, ready to be written.

    Attributes
    ----------
    buildings : GeoDataFrame
        Schema BUILDINGS plus ``n_companies``, ``kvk_number``,
        ``n_addresses``, ``energy_label_date`` and ``consumption_basis``.
    survey : DataFrame
        Schema SURVEY with ``building_id`` linked; empty without a survey.
    boundary : GeoDataFrame or None
    meta : dict
        Contents of ``terrain.json``.
    report : ImportReport
    """

    buildings: gpd.GeoDataFrame
    survey: pd.DataFrame
    boundary: gpd.GeoDataFrame | None
    meta: dict
    report: ImportReport


# ------------------------------------------------------------------- import


@dataclass
class _Collector:
    """Runs readers and gathers their DataErrors, to report every file at once."""

    problems: list[Problem] = field(default_factory=list)

    def run(self, reader: Callable, *args):
        try:
            return reader(*args)
        except DataError as exc:
            self.problems += exc.problems
            return None


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "eigen-terrein"


def import_terrain(
    addresses: Path,
    bag: Sequence[Path],
    *,
    ep_online: Path | None = None,
    survey: Path | None = None,
    kleinverbruik: Path | None = None,
    boundary: Path | None = None,
    bag3d: Path | None = None,
    name: str | None = None,
    municipality: str | None = None,
    survey_mapping: Mapping[str, str | None] | None = None,
    today: date | None = None,
) -> ImportResult:
    """Build a terrain from an address list, BAG and optional public data.

    Parameters
    ----------
    addresses : Path
        The gemeente's adressenlijst (XLSX/CSV), see
        :func:`kansenkaart.io.addresses.read_addresses`.
    bag : sequence of Path
        BAG GeoPackage, or GeoJSON files with panden and verblijfsobjecten.
    ep_online : Path, optional
        EP-online download (CSV, ZIP with the CSV, or XLSX).
    survey : Path, optional
        Enquête (XLSX/CSV).
    kleinverbruik : Path, optional
        A netbeheerder's kleinverbruik file (CSV).
    boundary : Path, optional
        Terrain polygon(s) (IBIS GeoJSON or any GeoJSON/GeoPackage); without
        it every pand in the BAG files is kept.
    bag3d : Path, optional
        3D BAG GeoPackage or attribute CSV: its flat and sloped roof areas
        replace the footprint in the solar calculation of the matched panden.
    name, municipality : str, optional
        Terrain name and gemeente; by default from the boundary's attributes.
    survey_mapping : dict, optional
        Survey header -> meaning (None: do not use); where it differs from
        :func:`kansenkaart.io.survey.suggest_mapping` it overrides the
        recognition.
    today : date, optional
        Import date written to ``terrain.json`` and peildatum of the energy
        labels (default: today).

    Returns
    -------
    ImportResult

    Raises
    ------
    DataError
        Every problem that makes one of the files unusable, for all files at
        once. Row-level problems are in the report instead.
    """
    collect = _Collector()
    border, border_notes = None, []
    if boundary is not None:
        defaults = {"name": name or "Eigen terrein"}
        read = collect.run(read_layer, Path(boundary), sch.BOUNDARY, defaults)
        border, border_notes = read if read else (None, [])
    bag_data = (
        None
        if boundary is not None and border is None
        else collect.run(read_bag, [Path(p) for p in bag], border)
    )
    address_data = collect.run(read_addresses, Path(addresses))
    ep = collect.run(read_ep_online, Path(ep_online)) if ep_online else None
    kv = collect.run(read_kleinverbruik, Path(kleinverbruik)) if kleinverbruik else None
    roofs = collect.run(read_bag3d, Path(bag3d)) if bag3d else None
    survey_data = (
        collect.run(read_survey, Path(survey), survey_mapping) if survey else None
    )
    if collect.problems:
        raise DataError(collect.problems)

    sections = []
    if border is not None:
        area_ha = border.area.sum() / 1e4
        sections.append(
            FileSection(
                "boundary",
                Path(boundary).name,
                (
                    f"Vlakken: {len(border)}, samen {fmt.number(area_ha, 1, 'ha')}.",
                    *border_notes,
                ),
            )
        )
    table, raw, notes, problems = address_data
    links = link_to_panden(table, bag_data)
    sections.append(
        _address_section(Path(addresses).name, table, raw, links, notes, problems)
    )
    labels, ep_section = _labels(ep, bag_data, today or date.today())
    use, kv_section = _kleinverbruik(kv, bag_data)
    buildings = build_buildings(bag_data, table, links, labels, use)
    buildings, bag3d_section = _roofs(roofs, buildings)
    sections += [
        _bag_section(bag_data, buildings),
        *bag3d_section,
        *ep_section,
        *kv_section,
    ]
    linked_survey = _empty_survey()
    if survey_data is not None:
        linked_survey, section = _link_survey(survey_data, Path(survey).name, bag_data)
        sections.append(section)
    terrain_name = name or _first(border, "name") or "Eigen terrein"
    gemeente = municipality or _first(border, "municipality")
    meta = {
        "id": _slug(terrain_name),
        "name": terrain_name,
        "municipality": gemeente,
        "cluster": cluster_of(gemeente),
        "demo": False,
        "notes": "Opgebouwd met 'Data laden' uit: "
        + ", ".join(f"{s.title} ({s.file})" for s in sections)
        + ".",
        "imported": (today or date.today()).isoformat(),
    }
    report = ImportReport(tuple(sections))
    return ImportResult(buildings, linked_survey, border, meta, report)


def _labels(
    ep: EpOnline | None, bag: Bag, reference: date
) -> tuple[pd.DataFrame | None, list[FileSection]]:
    """Labels per pand and the EP-online section (none without a file)."""
    if ep is None:
        return None, []
    labels, n_objects = labels_per_pand(
        ep.labels, bag.vbo, bag.panden["pand_id"], reference_date=reference
    )
    n_invalid = int((~valid_on(ep.labels, reference)).sum())
    section = FileSection(
        "ep_online",
        ep.file,
        (
            *ep.notes,
            f"Peildatum {reference:%d-%m-%Y}: {n_invalid} registraties zijn "
            "verlopen (of nog niet geregistreerd) en tellen niet mee.",
            f"Objecten op het terrein met een geldig label: {n_objects}.",
            PAND_RULE,
        ),
        ep.problems,
        (MatchFigure(len(labels), len(bag.panden), "panden met een energielabel"),),
    )
    return labels, [section]


def _roofs(
    roofs: Bag3d | None, buildings: gpd.GeoDataFrame
) -> tuple[gpd.GeoDataFrame, list[FileSection]]:
    """Buildings with the 3D BAG roofs of their pand, and the 3D BAG section."""
    if roofs is None:
        return buildings, []
    out = apply_roofs(buildings, roofs.roofs)
    matched = int(among(buildings["building_id"], roofs.roofs["pand_id"]).sum())
    notes = [*roofs.notes, BAG3D_NOTE]
    if not matched:
        notes.append(
            "Geen enkel pand van het terrein staat in dit 3D BAG-bestand; kies "
            "de 3D BAG-tegel(s) die het terrein bedekken."
        )
    figure = MatchFigure(matched, len(buildings), "panden met dakvlakken uit de 3D BAG")
    section = FileSection("bag3d", roofs.file, tuple(notes), roofs.problems, (figure,))
    return out, [section]


BAG3D_NOTE = (
    "Voor deze panden rekent het zonnepotentieel met de platte en schuine "
    "dakoppervlakken uit de 3D BAG (bruikbaar: plat × aandeel plat dak, schuin × "
    "zuidhelft × bedekking) in plaats van het grondvlak; de kolom 'basis dak' "
    "zegt '3D BAG'. De overige panden houden de schatting uit het grondvlak."
)


def _kleinverbruik(
    kv: Kleinverbruik | None, bag: Bag
) -> tuple[pd.DataFrame | None, list[FileSection]]:
    """Apportioned use per pand and the kleinverbruik section.

    The section opens with the line saying the file covers no postcode of the
    terrain, when that is so (:func:`kansenkaart.io.kleinverbruik.terrain_notes`).
    """
    if kv is None:
        return None, []
    objects = bag.vbo[bag.vbo["in_terrain"]]
    use = apportion(kv.ranges, objects)
    figures = tuple(
        MatchFigure(int(use[column].notna().sum()), len(bag.panden), label)
        for column, label in (
            ("elec_kwh_yr", "panden met een geschat elektriciteitsverbruik"),
            ("gas_m3_yr", "panden met een geschat gasverbruik"),
        )
    )
    notes = (*terrain_notes(kv, objects["postcode"]), *kv.notes, KLEINVERBRUIK_NOTE)
    section = FileSection("kleinverbruik", kv.file, notes, kv.problems, figures)
    return use, [section]


def _bag_section(bag: Bag, buildings: gpd.GeoDataFrame) -> FileSection:
    n_unknown = int((buildings["n_companies"] == 0).sum())
    return FileSection(
        "bag",
        " en ".join(bag.files),
        (
            *bag.notes,
            f"Panden zonder bedrijf uit de adressenlijst: {n_unknown}; ze staan "
            "op de kaart met bedrijf 'onbekend'.",
        ),
        bag.problems,
    )


KLEINVERBRUIK_NOTE = (
    "Dit is het gemiddelde verbruik per aansluiting in de postcodereeks (× aantal "
    "adressen in het pand), geen gemeten verbruik: het staat als 'geschat' in de "
    "gegevens. Grootverbruikaansluitingen (> 3×80 A) zitten niet in deze cijfers; "
    "voor grote bedrijven is het werkelijke verbruik meestal hoger."
)


def _first(table: pd.DataFrame | None, column: str) -> str | None:
    """First non-missing value of ``column``, if any."""
    if table is None or table[column].isna().all():
        return None
    return str(table[column].dropna().iloc[0])


def _address_section(
    file: str,
    table: pd.DataFrame,
    raw: pd.DataFrame,
    links: pd.DataFrame,
    notes: list[str],
    problems: list[Problem],
) -> FileSection:
    """Report of the address list: match figure, shared panden, rows to check."""
    linked = links.dropna(subset=["pand_id"])
    per_pand = linked.groupby("pand_id")["pos"].nunique()
    n_shared = int((per_pand > 1).sum())
    if n_shared:
        notes = [
            *notes,
            f"Panden met meer dan één bedrijf: {n_shared}; de kaart toont alle "
            "bedrijven in het pand.",
        ]
    fuzzy = linked.loc[linked["method"] == "huisnummer zonder toevoeging", "pos"]
    fuzzy = fuzzy.drop_duplicates()
    problems = [
        *problems,
        *(
            Problem(
                file,
                "gekoppeld op het huisnummer zonder huisletter of toevoeging; "
                "controleer of dit het juiste adres is.",
                "schrijf het adres zoals in de BAG.",
                int(table["row"].iloc[pos]),
                "huisnummer",
            )
            for pos in fuzzy
        ),
    ]
    figure = MatchFigure(
        linked["pos"].nunique(), len(table), "adressen gekoppeld aan een BAG-pand"
    )
    return FileSection(
        "addresses",
        file,
        tuple(notes),
        tuple(problems),
        (figure,),
        unmatched_rows(raw, table, links),
    )


def _empty_survey() -> pd.DataFrame:
    return pd.DataFrame(
        {c.name: sch.empty_column(c, pd.RangeIndex(0)) for c in sch.SURVEY.columns}
    )


def _link_survey(
    survey_data: SurveyImport, file: str, bag: Bag
) -> tuple[pd.DataFrame, FileSection]:
    table, raw = survey_data.table, survey_data.raw
    notes = (*survey_data.notes, *survey_data.unused_notes())
    links = link_to_panden(table, bag)
    first = links.dropna(subset=["pand_id"]).drop_duplicates("pos")
    building = pd.Series(pd.NA, index=table.index, dtype="string")
    building.iloc[first["pos"].to_numpy(dtype=int)] = first["pand_id"].to_numpy()
    linked = table.drop(columns="row").assign(building_id=building)
    figure = MatchFigure(
        len(first), len(table), "enquêteantwoorden gekoppeld aan een pand"
    )
    section = FileSection(
        "survey",
        file,
        (f"Antwoorden gelezen: {len(table)}.", *notes),
        survey_data.problems,
        figures=(figure,),
        unmatched=unmatched_rows(raw, table, links),
    )
    return linked, section


# ------------------------------------------------------------------- writing


def _write_files(result: ImportResult, folder: Path) -> None:
    result.buildings.to_file(
        folder / "buildings.geojson",
        driver="GeoJSON",
        COORDINATE_PRECISION=2,
        WRITE_BBOX="NO",
    )
    if result.boundary is not None:
        result.boundary.to_file(
            folder / "boundary.geojson",
            driver="GeoJSON",
            COORDINATE_PRECISION=2,
            WRITE_BBOX="NO",
        )
    if len(result.survey):
        result.survey.to_csv(folder / "survey.csv", sep=";", index=False)
    shutil.copyfile(PMIEK_CSV, folder / "projects.csv")
    (folder / "terrain.json").write_text(
        json.dumps(result.meta, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    (folder / "importverslag.txt").write_text(result.report.to_text(), encoding="utf-8")
    for section in result.report.sections:
        if section.unmatched is not None and len(section.unmatched):
            (folder / section.unmatched_file).write_bytes(excel_csv(section.unmatched))


def _written(result: ImportResult, tmp: Path) -> Path:
    """Write into ``tmp``/terrain and check that it loads as a terrain."""
    folder = tmp / "terrein"
    folder.mkdir()
    _write_files(result, folder)
    read_terrain_folder(folder)
    return folder


def write_terrain(result: ImportResult, folder: Path, overwrite: bool = False) -> Path:
    """Save the terrain as a folder that :func:`kansenkaart.load_terrain` reads.

    The files are written to a temporary folder and checked by loading them
    first, then moved into ``folder``; other files there are left alone.

    Raises
    ------
    DataError
        ``folder`` holds files and ``overwrite`` is False.
    """
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()) and not overwrite:
        raise DataError.single(
            str(folder),
            "de map bestaat al en is niet leeg.",
            "kies een nieuwe map of geef --overwrite om de terreinbestanden te "
            "vervangen.",
        )
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kansenkaart-import-") as tmp:
        written = _written(result, Path(tmp))
        for path in sorted(written.iterdir()):
            shutil.move(str(path), folder / path.name)
    return folder


def save_terrain(result: ImportResult, target: Path, overwrite: bool = False) -> Path:
    """Save as a folder, or as a zip when ``target`` ends in ``.zip``.

    Raises
    ------
    DataError
        ``target`` exists (a zip, or a folder with files) and ``overwrite``
        is False.
    """
    target = Path(target)
    if target.suffix.lower() != ".zip":
        return write_terrain(result, target, overwrite)
    if target.exists() and not overwrite:
        raise DataError.single(
            str(target),
            "het bestand bestaat al.",
            "kies een nieuwe naam of geef --overwrite om het te vervangen.",
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(terrain_zip(result))
    return target


def terrain_zip(result: ImportResult) -> bytes:
    """The terrain as the bytes of a .zip (files at its root)."""
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="kansenkaart-import-") as tmp:
        written = _written(result, Path(tmp))
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(written.iterdir()):
                archive.write(path, path.name)
    return buffer.getvalue()


def excel_csv(table: pd.DataFrame) -> bytes:
    """CSV for Dutch Excel: ``;``, UTF-8 with BOM, texts formula-safe.

    Cells pass :func:`kansenkaart.core.safety.safe_texts`: a text starting with
    ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading ``'`` so Excel shows
    it instead of running it (DESIGN.md §6).
    """
    safe = table.astype("string").apply(safe_texts)
    return safe.to_csv(sep=";", index=False).encode("utf-8-sig")


# ------------------------------------------------------------------- uploads


def _safe_name(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    return re.sub(r"[^\w.\-]+", "_", base) or "bestand"


def import_uploads(
    uploads: Mapping[str, Sequence[tuple[str, bytes]]], **options
) -> ImportResult:
    """:func:`import_terrain` for uploaded files (name and bytes per role).

    Parameters
    ----------
    uploads : mapping
        Role (``addresses``, ``bag``, ``bag3d``, ``ep_online``, ``survey``,
        ``kleinverbruik``, ``boundary``) -> list of (file name, bytes); only
        ``bag`` may hold several files.
    **options
        ``name``, ``municipality``, ``survey_mapping`` of :func:`import_terrain`.
    """
    with tempfile.TemporaryDirectory(prefix="kansenkaart-upload-") as tmp:
        paths: dict[str, list[Path]] = {}
        for role, files in uploads.items():
            folder = Path(tmp) / role
            folder.mkdir()
            for file_name, data in files:
                path = folder / _safe_name(file_name)
                path.write_bytes(data)
                paths.setdefault(role, []).append(path)
        if "addresses" not in paths or "bag" not in paths:
            missing = [ROLES[r] for r in ("addresses", "bag") if r not in paths]
            raise DataError.single(
                " en ".join(missing),
                "dit bestand is nodig om een terrein op te bouwen.",
                "kies de adressenlijst en het BAG-bestand.",
            )
        single = {r: p[0] for r, p in paths.items() if r != "bag"}
        return import_terrain(bag=paths["bag"], **single, **options)


def file_columns(name: str, data: bytes) -> list[str]:
    """Headers of an uploaded table (for the survey's column mapping step)."""
    with tempfile.TemporaryDirectory(prefix="kansenkaart-upload-") as tmp:
        path = Path(tmp) / _safe_name(name)
        path.write_bytes(data)
        return [str(c) for c in read_table(path).columns]


__all__ = [
    "ROLES",
    "FileSection",
    "ImportReport",
    "ImportResult",
    "MatchFigure",
    "excel_csv",
    "file_columns",
    "import_terrain",
    "import_uploads",
    "save_terrain",
    "suggest_mapping",
    "terrain_zip",
    "write_terrain",
]
