"""The library's one-way import rule (DESIGN.md section 2, docs/ARCHITECTURE.md).

``kansenkaart`` is split into layers, each a subpackage. A layer imports only
the layers listed for it below, so data flows one way: load (``io``) ->
compute (``engine``) -> present (``views``) / record (``records``), all on the
shared foundation (``core``). The top-level modules (``__init__``,
``__main__``, ``cli``) wire the layers together and may import any of them.
Nothing in the library imports Streamlit: that is the app layer's business.

The check reads every module's source with :mod:`ast` (no import is executed),
so an import inside a function or an ``if TYPE_CHECKING:`` block counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kansenkaart"

#: layer -> the other layers it may import (its own layer is always allowed).
ALLOWED: dict[str, frozenset[str]] = {
    "core": frozenset(),
    "io": frozenset({"core"}),
    "engine": frozenset({"core"}),
    "records": frozenset({"core", "engine"}),
    "views": frozenset({"core", "engine", "records"}),
}
#: top-level modules that wire the layers together.
FREE = frozenset({"__init__", "__main__", "cli"})
#: third-party packages the library never imports.
FORBIDDEN = frozenset({"streamlit", "streamlit_folium"})


def _module_name(path: Path, package: Path) -> list[str]:
    """Dotted module parts of *path* inside *package*, e.g. ``["io", "bag"]``."""
    return list(path.relative_to(package).with_suffix("").parts)


def _imported(tree: ast.AST, parts: list[str], is_package: bool) -> list[str]:
    """Every absolute module name imported in *tree* (relative ones resolved).

    ``from kansenkaart import engine, DataError`` yields ``kansenkaart.engine``
    and ``kansenkaart.DataError``: a subpackage imported from the package root
    is attributed to its layer, any other name to the root itself.
    """
    names: list[str] = []
    here = ["kansenkaart", *parts] if is_package else ["kansenkaart", *parts[:-1]]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[: len(here) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module == "kansenkaart":
                names += [f"{module}.{alias.name}" for alias in node.names]
            else:
                names.append(module)
    return list(dict.fromkeys(names))


def _problem(own: str, name: str) -> str | None:
    """Why a module of layer *own* may not import *name* (None: it may)."""
    top = name.split(".")
    if top[0] in FORBIDDEN:
        return "the app layer's business"
    if top[0] != "kansenkaart":
        return None
    if len(top) == 1 or top[1] not in ALLOWED:
        # kansenkaart/__init__.py and cli.py wire every layer together
        return "the package root wires every layer; import from the layer itself"
    target = top[1]
    if target != own and target not in ALLOWED[own]:
        return f"{own} may import {', '.join(sorted(ALLOWED[own])) or 'no other layer'}"
    return None


def violations(package: Path = PACKAGE) -> list[str]:
    """Every import in *package* that breaks the layer rule, as readable lines."""
    found: list[str] = []
    for path in sorted(package.rglob("*.py")):
        parts = _module_name(path, package)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        where = str(path.relative_to(package.parent))
        if (
            parts
            and parts[0] not in ALLOWED
            and not (len(parts) == 1 and parts[0] in FREE)
        ):
            found.append(f"{where} is in no layer ({parts[0]})")
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        free = not parts or parts[0] in FREE
        for name in _imported(tree, parts, is_package):
            if free and name.split(".")[0] not in FORBIDDEN:
                continue  # kansenkaart/__init__.py, __main__.py, cli.py
            why = _problem("" if free else parts[0], name)
            if why:
                found.append(f"{where} imports {name}: {why}")
    return found


def test_every_module_keeps_to_its_layer():
    assert violations() == []


def test_every_library_module_lives_in_a_layer():
    loose = [
        p.name
        for p in PACKAGE.glob("*.py")
        if p.stem not in FREE  # only the wiring modules stay at the top level
    ]
    assert loose == []
    assert {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").exists()} == set(
        ALLOWED
    )


@pytest.mark.parametrize(
    ("layer", "source", "caught"),
    [
        ("engine", "from kansenkaart.io.survey import link_survey\n", True),
        ("engine", "from kansenkaart.views import maps\n", True),
        ("engine", "def f():\n    from kansenkaart.io import bag\n", True),
        ("engine", "import kansenkaart.records.store\n", True),
        ("engine", "from ..views.export import safe_texts\n", True),
        ("engine", "from . import solar\n", False),
        ("core", "from kansenkaart.engine import grid\n", True),
        ("core", "from kansenkaart import cli\n", True),
        ("io", "from kansenkaart.views.export import safe_texts\n", True),
        ("io", "from kansenkaart.engine.grid import cluster_of\n", True),
        ("io", "from kansenkaart.core.safety import safe_texts\n", False),
        ("records", "from kansenkaart.views import legend\n", True),
        ("records", "from kansenkaart.engine import measures\n", False),
        ("views", "from kansenkaart.io.readers import read_layer\n", True),
        ("views", "from kansenkaart.records import store\n", False),
        ("views", "import streamlit as st\n", True),
        ("views", "from streamlit_folium import st_folium\n", True),
        ("engine", "from .. import io\n", True),
        ("engine", "from kansenkaart import DataError\n", True),
        ("views", "import kansenkaart as kk\n", True),
        ("views", "from kansenkaart import engine\n", False),
        ("core", "from kansenkaart.core.errors import DataError\n", False),
    ],
)
def test_the_check_catches_a_fabricated_import(tmp_path, layer, source, caught):
    package = tmp_path / "kansenkaart"
    for name in ALLOWED:
        (package / name).mkdir(parents=True)
        (package / name / "__init__.py").write_text("")
    (package / "__init__.py").write_text("from kansenkaart.io import bag\n")
    (package / "cli.py").write_text("from kansenkaart.views import export\n")
    (package / layer / "bad.py").write_text(source)
    found = violations(package)
    assert bool(found) is caught, found
    if caught:
        assert found[0].startswith(f"kansenkaart/{layer}/bad.py")


def test_the_check_finds_a_module_outside_the_layers(tmp_path):
    package = tmp_path / "kansenkaart"
    (package / "misc").mkdir(parents=True)
    (package / "misc" / "loose.py").write_text("import json\n")
    assert violations(package) == ["kansenkaart/misc/loose.py is in no layer (misc)"]


def test_the_wiring_modules_may_import_any_layer_but_not_streamlit(tmp_path):
    package = tmp_path / "kansenkaart"
    for name in ALLOWED:
        (package / name).mkdir(parents=True)
        (package / name / "__init__.py").write_text("")
    (package / "__init__.py").write_text("from kansenkaart.io import bag\n")
    (package / "cli.py").write_text("from kansenkaart.views import export\n")
    assert violations(package) == []
    (package / "cli.py").write_text("import streamlit\n")
    assert violations(package) == [
        "kansenkaart/cli.py imports streamlit: the app layer's business"
    ]
