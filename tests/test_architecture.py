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


# --- the app layer: app.py, pages/ (page modules only), appui/ (shared code) ---------

APP_FILES = [
    ROOT / "app.py",
    *sorted((ROOT / "pages").rglob("*.py")),
    *sorted((ROOT / "appui").rglob("*.py")),
]
STATE_MODULE = ROOT / "appui" / "state.py"


def test_every_page_file_is_registered_in_the_navigation():
    from appui import shell

    app = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    calls = [ast.unparse(n) for n in ast.walk(app) if isinstance(n, ast.Call)]
    # the shell, and the ASGI app whose start prepares it (issue 18: cold start)
    assert calls == ["shell.run()", "st.App(__file__, lifespan=shell.prepare)"], (
        "app.py runs the shell and nothing else"
    )
    files = sorted(p.relative_to(ROOT / "pages").as_posix() for p in _page_files())
    registered = sorted(entry.file for entry in shell.PAGES)
    assert files and files == registered
    assert not list((ROOT / "pages").rglob("__init__.py")), "pages/ is no package"


def _page_files() -> list[Path]:
    return sorted((ROOT / "pages").rglob("*.py"))


def _navigation_urls() -> None:
    """AppTest script: the URL st.navigation gives each page of the shell."""
    import streamlit as st

    from appui import shell

    for pages in shell.navigation().values():
        for page in pages:
            st.text(page.url_path)


def test_page_urls_are_the_same_for_both_streamlit_routers():
    # Until st.navigation has run once in the server process, Streamlit routes
    # a URL to pages/<file>.py by file name (legacy pages/ folder); afterwards
    # by the st.navigation registry. A deep link right after a server start
    # only gets the full app when both give the page the same URL.
    from streamlit.source_util import page_icon_and_name
    from streamlit.testing.v1 import AppTest

    from appui import shell

    at = AppTest.from_function(_navigation_urls).run()
    assert not at.exception
    registered = [t.value for t in at.text]
    legacy = [
        "" if entry.file == shell.HOME else page_icon_and_name(entry.path)[1]
        for entry in shell.PAGES
    ]
    assert registered == legacy
    assert "kansenkaart" in registered, "bookmarks of /kansenkaart keep working"
    for entry in shell.PAGES:
        assert entry.path.parent == ROOT / "pages", "legacy routing sees pages/*.py"


def test_every_page_starts_inside_the_shell_and_stays_thin():
    for path in _page_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        statements = [
            s
            for s in tree.body
            if not isinstance(s, ast.Import | ast.ImportFrom | ast.Assign)
            and not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))
            and not isinstance(s, ast.FunctionDef)
        ]
        first = ast.unparse(statements[0])
        assert first == "shell.frame()", f"{path.name} starts with {first}"
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= 250, f"{path.name} has {lines} lines"


def test_no_page_module_is_named_like_a_package():
    taken = {"kansenkaart", "appui", "app", "pages", "tests", "streamlit"}
    clashes = [p.name for p in _page_files() if p.stem in taken]
    assert clashes == []


def _streamlit_state_uses(path: Path) -> list[str]:
    """Uses of Streamlit caches or session state in a module (by name)."""
    names = {"session_state", "cache_data", "cache_resource"}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in names:
            found.append(f"{path.name}:{node.lineno} .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "streamlit":
            found += [
                f"{path.name}:{node.lineno} import {alias.name}"
                for alias in node.names
                if alias.name in names
            ]
    return found


def test_caches_and_session_state_only_in_the_state_module():
    offenders = [
        use
        for path in APP_FILES
        if path != STATE_MODULE
        for use in _streamlit_state_uses(path)
    ]
    assert offenders == []
    assert _streamlit_state_uses(STATE_MODULE), "the check finds them"


def test_the_state_check_detects_a_cache_and_a_session_key(tmp_path):
    bad = tmp_path / "page.py"
    bad.write_text(
        "import streamlit as st\n"
        "from streamlit import session_state\n"
        "@st.cache_data\ndef f():\n    return st.session_state['x']\n"
    )
    assert len(_streamlit_state_uses(bad)) == 3


def test_readme_lists_every_assumption():
    from kansenkaart.core.assumptions import DEFAULT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [item.name for _, item in DEFAULT if f"| {item.name} |" not in readme]
    assert missing == []
