"""House rules that are easy to break by accident."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_library_never_imports_streamlit():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "kansenkaart").rglob("*.py")
        if _imports(path) & {"streamlit", "streamlit_folium"}
    ]
    assert offenders == []


def test_the_check_itself_detects_a_streamlit_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from streamlit import session_state\n")
    assert "streamlit" in _imports(bad)


def test_every_page_file_is_registered_in_the_navigation():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    pages = [
        p.name for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("ui")
    ]
    assert pages
    missing = [name for name in pages if f'"{name}"' not in app]
    assert missing == []


def test_readme_lists_every_assumption():
    from kansenkaart.core.assumptions import DEFAULT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [item.name for _, item in DEFAULT if f"| {item.name} |" not in readme]
    assert missing == []
