"""Command line: ``python -m kansenkaart <command>`` (DESIGN.md section 3).

Messages are Dutch; invalid input exits with status 1 and says how to fix it.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from pathlib import Path

import geopandas as gpd

from kansenkaart.core import fmt
from kansenkaart.core import schema as sch
from kansenkaart.core.errors import DataError
from kansenkaart.core.geo import RD
from kansenkaart.engine import grid_context, hub, privacy
from kansenkaart.engine.opportunities import analyse
from kansenkaart.engine.summary import key_figures
from kansenkaart.io import bagstore, bagstore_postgis, demo, demo_specs, importer
from kansenkaart.io import provincie as province_io
from kansenkaart.io.capaciteitskaart import read_capaciteitskaart
from kansenkaart.io.readers import load_terrain, read_layer
from kansenkaart.records import access, database, store
from kansenkaart.views import capacity, export, selection
from kansenkaart.views import provincie as provincie_view


def _demo(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    if args.all:
        folders = demo.write_all(args.output)
    else:
        spec = demo_specs.synthetic_spec(args.buildings, seed=args.seed)
        folders = [demo.write_terrain(demo.generate_terrain(spec), args.output)]
    elapsed = time.perf_counter() - start
    for folder in folders:
        print(f"Terrein geschreven: {folder}")
    print(f"Klaar in {elapsed:.1f} s. Let op: alle gegevens zijn fictief.")
    return 0


def province_overview() -> gpd.GeoDataFrame:
    """Key figures and outline of every terrain of the demo province
    (:data:`kansenkaart.io.provincie.SET_IDS`), analysed with the standard
    assumptions (:func:`kansenkaart.views.provincie.park_figures`)."""
    rows = []
    for tid in province_io.SET_IDS:
        terrain = province_io.load_park(tid)
        rows.append(
            {
                "id": tid,
                "name": terrain.name,
                "municipality": terrain.municipality,
                **provincie_view.park_figures(analyse(terrain)),
                "geometry": provincie_view.park_outline(terrain),
            }
        )
    return gpd.GeoDataFrame(rows, crs=RD)


def _provincie(args: argparse.Namespace) -> int:
    start = time.perf_counter()
    path = province_io.write_overview(
        province_overview(), args.output / province_io.OVERVIEW_FILE.name
    )
    elapsed = time.perf_counter() - start
    print(f"Provincie-overzicht geschreven: {path} ({elapsed:.0f} s).")
    print("Let op: alle terreinen en gegevens zijn fictief.")
    return 0


def _check(args: argparse.Namespace) -> int:
    terrain = load_terrain(args.path)
    print(f"Terrein '{terrain.name}' is geldig.")
    for figure in key_figures(terrain):
        print(f"  {figure.label}: {figure.text}")
    for warning in terrain.warnings:
        print(f"  Let op: {warning}")
    return 0


def _capaciteitskaart(args: argparse.Namespace, terrain_path) -> None:
    """Print the data product and the energy areas covering the terrain."""
    product = read_capaciteitskaart(args.capaciteitskaart)
    terrain = load_terrain(terrain_path) if terrain_path else None
    if terrain is None:
        print(
            f"Capaciteitskaart '{product.name}': {len(product.areas)} energiegebieden."
        )
        return
    context = grid_context.covering_areas(terrain, product)
    print(capacity.product_report(context, terrain.projects))


def _import(args: argparse.Namespace) -> int:
    given = (args.addresses, args.bag, args.output)
    if args.capaciteitskaart and not any(given):
        _capaciteitskaart(args, args.terrain)
        return 0
    if not all(given):
        print(
            "Fout: --addresses, --bag en -o zijn verplicht (alleen bij "
            "--capaciteitskaart zonder terrein niet).",
            file=sys.stderr,
        )
        return 2
    start = time.perf_counter()
    result = importer.import_terrain(
        args.addresses,
        args.bag,
        ep_online=args.ep_online,
        survey=args.survey,
        kleinverbruik=args.kleinverbruik,
        boundary=args.boundary,
        bag3d=args.bag3d,
        name=args.name,
        municipality=args.gemeente,
    )
    target = importer.save_terrain(result, args.output, overwrite=args.overwrite)
    print(f"Importverslag – {result.meta['name']}\n")
    print(result.report.to_text())
    elapsed = time.perf_counter() - start
    print(
        f"Terrein geschreven: {target} ({len(result.buildings)} panden, "
        f"{elapsed:.1f} s). Open het in de app via 'Eigen terrein laden'."
    )
    if args.capaciteitskaart:
        _capaciteitskaart(args, args.terrain or target)
    return 0


def _export(args: argparse.Namespace) -> int:
    """Write one export file; every problem is a Dutch message and status 1."""
    missing = [
        flag
        for flag, value in (
            ("--terrain", args.terrain),
            ("--format", args.format),
            ("-o", args.output),
        )
        if not value
    ]
    if missing:
        print(f"Fout: geef ook {', '.join(missing)} op.", file=sys.stderr)
        return 1
    if not args.output.parent.is_dir():
        print(
            f"Fout: de map '{args.output.parent}' bestaat niet; maak hem eerst aan.",
            file=sys.stderr,
        )
        return 1
    try:
        if args.format not in export.FORMATS:
            raise ValueError(
                f"onbekend formaat '{args.format}'; kies uit "
                f"{', '.join(export.FORMATS)}"
            )
        filters = selection.Filters(measures=tuple(args.measure), scope=args.scope)
        terrain = load_terrain(args.terrain)
        analysed = analyse(terrain)
        sel = selection.select(
            analysed, filters, args.variant, hub=hub.terrain_summaries(analysed)
        )
        data = export.export(sel, args.format)
    except DataError:
        raise
    except ValueError as exc:
        print(f"Fout: {exc}.", file=sys.stderr)
        return 1
    args.output.write_bytes(data)
    print(
        f"Geschreven: {args.output} ({export.FORMATS[args.format].label}, "
        f"{fmt.number(len(data) / 1024)} kB; {fmt.number(len(sel.opportunities))} "
        f"kansen, {fmt.number(len(sel.buildings))} panden; variant "
        f"{privacy.VARIANTS[args.variant].lower()})."
    )
    if terrain.is_demo:
        print("Let op: demodata – alle gegevens zijn fictief.")
    return 0


def _db(args: argparse.Namespace) -> int:
    """The werksessie database: upgrade, show the revision, add a migration."""
    url = database.database_url(args.url)
    shown = database.shown_url(url)
    engine = database.make_engine(url)
    try:
        before = database.current_revision(engine)
        if args.action == "upgrade":
            database.migrate(engine)
            print(
                f"Database {shown} bijgewerkt: revisie {before or 'leeg'} -> "
                f"{database.current_revision(engine)}."
            )
        elif args.action == "current":
            print(
                f"Database {shown}: revisie {before or 'leeg (nog geen tabellen)'}; "
                f"nieuwste revisie {database.head_revision()}."
            )
        else:
            if not args.message:
                print("Fout: geef met -m een korte omschrijving.", file=sys.stderr)
                return 1
            database.migrate(engine)
            path = database.new_revision(engine, args.message)
            print(f"Nieuwe migratie: {path}. Controleer en pas hem zo nodig aan.")
    finally:
        engine.dispose()
    return 0


def _bagstore(args: argparse.Namespace) -> int:
    """Build the national BAG store, or cut a terrain's panden out of it;
    with ``--postgis`` the store is a PostGIS table instead of a file."""
    start = time.perf_counter()
    need = 1 if args.postgis else 2  # the table takes the store file's place
    if len(args.paths) != need and (args.action == "knip" or len(args.paths) < need):
        print(
            "Fout: gebruik 'bagstore bouw <BAG-bestand(en)> <opslag.parquet>' of "
            "'bagstore knip <opslag.parquet> <terreingrens>'; met PostGIS "
            "'bagstore bouw --postgis <URL> <opslag.parquet of BAG-bestand(en)>' of "
            "'bagstore knip --postgis <URL> <terreingrens>'.",
            file=sys.stderr,
        )
        return 1
    engine = None
    if args.postgis:
        engine = bagstore_postgis.connect(database.database_url(args.postgis))
    try:
        if args.action == "bouw" and engine is not None:
            n = bagstore_postgis.load(engine, args.paths, args.tabel)
            shown = database.shown_url(str(engine.url))
            print(f"BAG-tabel {args.tabel} in {shown}: {n} panden.")
        elif args.action == "bouw":
            n = bagstore.build_store(args.paths[:-1], args.paths[-1])
            print(f"BAG-opslag {args.paths[-1]}: {n} panden.")
        else:
            boundary, _ = read_layer(
                args.paths[-1], sch.BOUNDARY, {"name": "terreingrens"}
            )
            if engine is not None:
                panden = bagstore_postgis.cut(engine, boundary, args.tabel)
            else:
                panden = bagstore.cut(args.paths[0], boundary)
            if args.output and args.output.suffix == ".gpkg":
                panden.to_file(args.output)
            elif args.output:
                panden.to_parquet(args.output)
            print(f"Panden op of over de terreingrens: {len(panden)}.")
    finally:
        if engine is not None:
            engine.dispose()
    print(f"Klaar in {time.perf_counter() - start:.1f} s.")
    return 0


def _beheerder(args: argparse.Namespace) -> int:
    """Set the password of the local beheerder account (asked twice, not shown)."""
    if not args.wachtwoord:
        print(
            "Fout: geef --wachtwoord om het wachtwoord in te stellen.", file=sys.stderr
        )
        return 2
    first = getpass.getpass(f"Nieuw wachtwoord voor '{args.naam}': ")
    if getpass.getpass("Nogmaals: ") != first:
        print("Fout: de twee wachtwoorden zijn niet gelijk.", file=sys.stderr)
        return 1
    db = store.Store(args.url)
    try:
        access.set_password(db, args.naam, first)
    finally:
        db.close()
    print(
        f"Wachtwoord van '{args.naam}' ingesteld in {database.shown_url(db.url)} "
        "(alleen de Argon2-hash is bewaard). De app vraagt nu om in te loggen "
        "voor alles behalve de openbare pagina's."
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with Dutch help texts."""
    parser = argparse.ArgumentParser(
        prog="python -m kansenkaart",
        description="Kansenkaart voor bedrijventerreinen: gegevens controleren en "
        "demoterreinen maken.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    p_demo = sub.add_parser(
        "demo", help="maak een synthetisch terrein (fictieve gegevens)"
    )
    size = p_demo.add_mutually_exclusive_group(required=True)
    size.add_argument("--buildings", type=int, help="aantal gebouwen, bv. 10000")
    size.add_argument(
        "--all", action="store_true", help="de vier pilotterreinen opnieuw maken"
    )
    p_demo.add_argument("--seed", type=int, default=7, help="startwaarde toeval")
    p_demo.add_argument("-o", "--output", type=Path, required=True, help="doelmap")
    p_demo.set_defaults(func=_demo)
    p_prov = sub.add_parser(
        "provincie",
        help="maak de kerncijfers van de demoprovincie (30 fictieve terreinen en "
        "de vier pilots) voor het Provincie-overzicht",
    )
    p_prov.add_argument("-o", "--output", type=Path, required=True, help="doelmap")
    p_prov.set_defaults(func=_provincie)
    p_check = sub.add_parser("check", help="controleer een terreinmap of .zip")
    p_check.add_argument("path", help="terreinmap, .zip of demo:<naam>")
    p_check.set_defaults(func=_check)
    p_import = sub.add_parser(
        "import",
        help="bouw een terrein uit adressenlijst, BAG en open data",
        description="Bouw een terreinmap of -zip uit de adressenlijst van de "
        "gemeente, de BAG en (optioneel) EP-online, kleinverbruik, enquête en "
        "terreingrens, met een importverslag.",
    )
    p_import.add_argument(
        "--addresses", type=Path, help="adressenlijst (.xlsx of .csv); verplicht"
    )
    p_import.add_argument(
        "--bag",
        type=Path,
        nargs="+",
        help="BAG GeoPackage (bag-light), of GeoJSON met panden en verblijfsobjecten",
    )
    p_import.add_argument(
        "--ep-online", type=Path, help="EP-online (.csv, .zip of .xlsx)"
    )
    p_import.add_argument(
        "--3dbag",
        dest="bag3d",
        type=Path,
        help="3D BAG (.gpkg of attributen-CSV): platte en schuine dakoppervlakken",
    )
    p_import.add_argument("--survey", type=Path, help="enquête (.xlsx of .csv)")
    p_import.add_argument(
        "--kleinverbruik",
        type=Path,
        help="kleinverbruik per postcodereeks (.csv, .txt of .xlsx)",
    )
    p_import.add_argument(
        "--boundary", type=Path, help="terreingrens (IBIS-GeoJSON of .gpkg)"
    )
    p_import.add_argument("--name", help="naam van het terrein")
    p_import.add_argument("--gemeente", help="gemeente van het terrein")
    p_import.add_argument(
        "--overwrite",
        action="store_true",
        help="bestaande terreinbestanden in de doelmap vervangen",
    )
    p_import.add_argument("-o", "--output", type=Path, help="doelmap of .zip")
    p_import.add_argument(
        "--capaciteitskaart",
        type=Path,
        help="dataproduct Capaciteitskaart (JSON van netbeheerder of TenneT): "
        "toont de energiegebieden van het terrein; ook zonder de andere bestanden",
    )
    p_import.add_argument(
        "--terrain",
        help="terreinmap, .zip of demo:<naam> voor --capaciteitskaart "
        "(standaard het geïmporteerde terrein)",
    )
    p_import.set_defaults(func=_import)
    p_export = sub.add_parser(
        "export",
        help="schrijf de kansenlijst als Excel, CSV, GeoJSON, GeoPackage of HTML",
        description="Schrijf de kansen van een terrein naar een bestand: "
        + "; ".join(f"{k} = {f.label}" for k, f in export.FORMATS.items())
        + ". Dezelfde bestanden als de downloads op de pagina Kansenlijsten.",
    )
    p_export.add_argument("--terrain", help="terreinmap, .zip of demo:<naam>")
    p_export.add_argument("--format", help=f"een van: {', '.join(export.FORMATS)}")
    p_export.add_argument(
        "--variant",
        default=privacy.INTERN,
        help="intern (alle gegevens, standaard) of openbaar (werksessie: zonder "
        "cijfers van bedrijven zonder toestemming)",
    )
    p_export.add_argument(
        "--scope",
        default="all",
        help="all (standaard), individual of collective",
    )
    p_export.add_argument(
        "--measure",
        action="append",
        default=[],
        help="alleen deze maatregel (id, bv. zon_eigen_dak); mag vaker",
    )
    p_export.add_argument("-o", "--output", type=Path, help="doelbestand")
    p_export.set_defaults(func=_export)
    p_db = sub.add_parser(
        "db",
        help="database van de werksessies: bijwerken, revisie tonen, migratie maken",
        description="De werksessiegegevens staan in SQLite "
        f"({database.DEFAULT_PATH}) of in de database van {database.ENV_URL}. De app "
        "werkt het schema zelf bij; dit commando doet het vooraf of toont de "
        "stand.",
    )
    p_db.add_argument(
        "action",
        choices=["upgrade", "current", "revision"],
        help="upgrade: naar de nieuwste revisie; current: huidige revisie tonen; "
        "revision: nieuwe migratie uit de modellen (voor ontwikkelaars)",
    )
    p_db.add_argument("--url", help=f"database-URL (standaard {database.ENV_URL})")
    p_db.add_argument("-m", "--message", help="omschrijving van een nieuwe migratie")
    p_db.set_defaults(func=_db)
    p_beheer = sub.add_parser(
        "beheerder",
        help="lokaal beheerdersaccount: wachtwoord instellen (zonder OIDC)",
        description="Stel het wachtwoord in van het lokale beheerdersaccount, voor "
        "een installatie zonder inlog via een identity provider. Alleen de "
        "Argon2-hash komt in de database; het wachtwoord wordt niet getoond.",
    )
    p_beheer.add_argument(
        "--wachtwoord", action="store_true", help="vraag een nieuw wachtwoord"
    )
    p_beheer.add_argument(
        "--naam", default="beheerder", help="gebruikersnaam (standaard beheerder)"
    )
    p_beheer.add_argument("--url", help=f"database-URL (standaard {database.ENV_URL})")
    p_beheer.set_defaults(func=_beheerder)
    p_bag = sub.add_parser(
        "bagstore",
        help="landelijke BAG-opslag: bouwen uit een LVBAG-extract, terrein knippen",
        description="bouw: 'bagstore bouw <BAG-bestand(en)> <opslag.parquet>'; "
        "knip: 'bagstore knip <opslag.parquet> <terreingrens> [-o panden.gpkg]'. "
        "Gedeeld in PostGIS: 'bagstore bouw --postgis <URL> <opslag.parquet of "
        "BAG-bestand(en)>' en 'bagstore knip --postgis <URL> <terreingrens>'.",
    )
    p_bag.add_argument("action", choices=["bouw", "knip"])
    p_bag.add_argument("paths", nargs="+", type=Path)
    p_bag.add_argument("-o", "--output", type=Path, help="panden (.gpkg of .parquet)")
    p_bag.add_argument(
        "--postgis",
        metavar="URL",
        help="gedeelde opslag in PostgreSQL met PostGIS (postgresql://gebruiker:"
        "wachtwoord@host:5432/database) in plaats van een GeoParquet-bestand",
    )
    p_bag.add_argument(
        "--tabel",
        default=bagstore_postgis.TABLE,
        help=f"tabel van de PostGIS-opslag (standaard {bagstore_postgis.TABLE})",
    )
    p_bag.set_defaults(func=_bagstore)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = build_parser().parse_args(argv)
    if getattr(args, "buildings", None) is not None and args.buildings < 1:
        print("Fout: --buildings moet minstens 1 zijn.", file=sys.stderr)
        return 1
    try:
        return args.func(args)
    except DataError as exc:
        print(f"Fout in de invoer:\n{exc}", file=sys.stderr)
        return 1
