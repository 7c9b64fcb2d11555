"""`pip install .` gives a working `python -m kansenkaart`, with its data.

The pins live twice, in ``requirements*.txt`` (what ``make`` installs) and in
``pyproject.toml`` (what ``pip install .[app]`` installs); the first tests keep
them equal. The last one builds the wheel, installs it into a temporary folder
and runs the CLI from outside the checkout, so only the packaged data exists.
"""

from __future__ import annotations

import ast
import importlib.metadata
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from fnmatch import fnmatch
from pathlib import Path

import pytest

from kansenkaart.core.paths import data_dir

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
PROJECT = PYPROJECT["project"]
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;]+)$")


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def _pin(line: str, where: str) -> tuple[str, str]:
    """``"psycopg[binary]==3.3.9"`` -> ``("psycopg", "psycopg[binary]==3.3.9")``."""
    match = _PIN.match(line.strip())
    assert match, f"{where}: '{line}' is not pinned as name==version"
    name, extras, version = match.groups()
    extras = ",".join(
        sorted(e.strip().lower() for e in (extras or "")[1:-1].split(","))
    )
    return _name(name), f"{_name(name)}[{extras}]=={version}"


def _requirements(path: Path) -> dict[str, str]:
    """name -> pin, following ``-r other.txt``."""
    pins: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #")[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-r "):
            included = _requirements(path.parent / line[3:].strip())
        else:
            assert not line.startswith("-"), f"{path.name}: unexpected '{line}'"
            included = dict([_pin(line, path.name)])
        for name, pin in included.items():
            assert pins.get(name, pin) == pin, f"{path.name}: {name} pinned twice"
            pins[name] = pin
    return pins


def _extra(extra: str | None) -> dict[str, str]:
    """name -> pin of the base dependencies plus ``extra`` (self-references too)."""
    lines = list(PROJECT["dependencies"])
    if extra:
        lines += PROJECT["optional-dependencies"][extra]
    pins: dict[str, str] = {}
    for line in lines:
        self_ref = re.fullmatch(r"kansenkaart\[(\w+)\]", line)
        included = (
            _extra(self_ref.group(1))
            if self_ref
            else dict([_pin(line, "pyproject.toml")])
        )
        for name, pin in included.items():
            assert pins.get(name, pin) == pin, f"pyproject.toml: {name} pinned twice"
            pins[name] = pin
    return pins


def test_extras_and_build_backend_are_declared():
    assert set(PROJECT["optional-dependencies"]) == {"app", "dev", "bench"}
    assert PYPROJECT["build-system"]["build-backend"] == "setuptools.build_meta"
    assert any(
        re.fullmatch(r"setuptools\s*>=\s*[\d.]+", req)
        for req in PYPROJECT["build-system"]["requires"]
    )


@pytest.mark.parametrize(
    ("requirements", "extra"),
    [
        ("requirements.txt", "app"),
        ("requirements-dev.txt", "dev"),
        ("requirements-bench.txt", "bench"),
    ],
)
def test_requirements_files_and_pyproject_pin_the_same(requirements, extra):
    in_file = _requirements(ROOT / requirements)
    in_pyproject = _extra(extra)
    assert sorted(in_file.values()) == sorted(in_pyproject.values())


def test_the_app_extra_holds_streamlit_and_the_library_does_not():
    base = _extra(None)
    assert {"streamlit", "streamlit-folium"} <= set(_extra("app")) - set(base)


def test_every_third_party_import_of_the_library_is_a_runtime_dependency():
    """An import in kansenkaart/ needs a distribution in [project] dependencies."""
    declared = set(_extra(None))
    distributions = importlib.metadata.packages_distributions()
    missing = set()
    for path in (ROOT / "kansenkaart").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules = [node.module]
            else:
                continue
            for module in (m.split(".")[0] for m in modules):
                if module in sys.stdlib_module_names or module == "kansenkaart":
                    continue
                names = {_name(d) for d in distributions.get(module, [module])}
                if not names & declared:
                    missing.add(f"{module} ({path.relative_to(ROOT)})")
    assert sorted(missing) == []


def test_every_subpackage_and_data_file_is_packaged():
    """A folder with modules or a non-.py file in kansenkaart/ must be listed."""
    packages = set(SETUPTOOLS["packages"])
    data = SETUPTOOLS["package-data"]
    folders = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "kansenkaart").rglob("*.py")
    }
    assert sorted(folders - packages) == []
    listed = [p for p in packages if not p.startswith("kansenkaart._data")]
    assert [p for p in listed if not (ROOT / p.replace(".", "/")).is_dir()] == []
    unlisted = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "kansenkaart").rglob("*")
        if path.is_file()
        and path.suffix not in {".py", ".pyc"}
        and "__pycache__" not in path.parts
        and not any(
            fnmatch(path.name, pattern)
            for pattern in data.get(".".join(path.parent.relative_to(ROOT).parts), [])
        )
    ]
    assert unlisted == []
    assert SETUPTOOLS["package-dir"] == {"kansenkaart._data": "data"}


def test_a_checkout_uses_its_own_data_folder():
    assert data_dir() == ROOT / "data"


def _offline_backend() -> bool:
    """True when this Python's setuptools can build a wheel without the index."""
    try:
        version = importlib.metadata.version("setuptools")
    except importlib.metadata.PackageNotFoundError:
        return False
    major, minor = (int(part) for part in re.findall(r"\d+", version)[:2])
    if (major, minor) >= (70, 1):  # bdist_wheel is part of setuptools since 70.1
        return True
    try:
        importlib.metadata.version("wheel")
    except importlib.metadata.PackageNotFoundError:
        return False
    return major >= 64


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(
        args, capture_output=True, text=True, check=False, timeout=180, **kwargs
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _pip(*args: str, cwd: Path | None = None) -> None:
    quiet = ["--quiet", "--disable-pip-version-check"]
    _run([sys.executable, "-m", "pip", args[0], *quiet, *args[1:]], cwd=cwd)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel ``pip install .`` would build, from a copy of the checkout (so
    setuptools' ``build/`` and ``*.egg-info`` stay out of the working tree)."""
    tmp = tmp_path_factory.mktemp("packaging")
    source = tmp / "src"
    source.mkdir()
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.sqlite*", "*.egg-info")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    for name in ("kansenkaart", "data"):
        shutil.copytree(ROOT / name, source / name, ignore=skip)
    # Offline with this venv's setuptools when it can; otherwise pip fetches
    # the build backend from the index, as `pip install .` itself does.
    isolation = ["--no-build-isolation"] if _offline_backend() else []
    _pip("wheel", "--no-deps", *isolation, "-w", str(tmp / "dist"), ".", cwd=source)
    (built,) = (tmp / "dist").glob("kansenkaart-*.whl")
    return built


def test_the_wheel_holds_the_data_and_declares_the_dependencies(wheel):
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        (metadata,) = (n for n in names if n.endswith(".dist-info/METADATA"))
        requires = [
            line.removeprefix("Requires-Dist: ")
            for line in archive.read(metadata).decode("utf-8").splitlines()
            if line.startswith("Requires-Dist: ")
        ]
    shipped = {
        "kansenkaart/_data/" + path.relative_to(ROOT / "data").as_posix()
        for path in [
            *(ROOT / "data" / "demo").glob("*/*"),
            ROOT / "data" / "pmiek_projects.csv",
        ]
    }
    assert len(shipped) > 20
    assert sorted(shipped - names) == []
    migrations = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "kansenkaart" / "records" / "migrations").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    assert "kansenkaart/records/migrations/script.py.mako" in migrations
    assert sorted(migrations - names) == []
    assert not any("sqlite" in name for name in names)

    runtime = dict(_pin(r, "METADATA") for r in requires if "extra ==" not in r)
    assert sorted(runtime.values()) == sorted(_extra(None).values())
    for name in ("pandas", "geopandas", "sqlalchemy", "alembic", "fpdf2", "folium"):
        assert name in runtime
    assert any(
        r.startswith("streamlit==") and r.endswith('extra == "app"') for r in requires
    )


def test_the_installed_package_runs_the_cli_on_its_packaged_demo_data(wheel, tmp_path):
    site = tmp_path / "site"
    _pip("install", "--no-deps", "--no-compile", "--target", str(site), str(wheel))
    elsewhere = tmp_path / "elders"  # no checkout, no data/ folder around
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    check = _run(
        [sys.executable, "-m", "kansenkaart", "check", "demo:de-punt"],
        cwd=elsewhere,
        env=env,
    )
    assert "Terrein 'De Punt (Tynaarlo)' is geldig." in check.stdout
    assert "Gebouwen: 35" in check.stdout

    code = (
        "import kansenkaart; from kansenkaart.core.paths import data_dir; "
        "print(kansenkaart.__file__); print(data_dir())"
    )
    where = _run([sys.executable, "-c", code], cwd=elsewhere, env=env)
    package, data = where.stdout.splitlines()
    assert Path(package).resolve().is_relative_to(site.resolve())
    assert Path(data) == site.resolve() / "kansenkaart" / "_data"
