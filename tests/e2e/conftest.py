"""Browser harness: a real ``streamlit run app.py`` driven by Debian's chromium.

The server starts once per session on a free port; each test gets a fresh
page. Without chromium the tests skip with the reason, except under CI=true,
where a missing browser is a failure (CI must run them).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

# Streamlit reruns take seconds on a busy 2-core machine; 5 s is too tight.
expect.set_options(timeout=30_000)

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "tests" / "e2e" / "screenshots"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """The system chromium (Debian package), if installed."""
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def browser_path() -> str:
    path = chromium_path()
    if path is None:
        message = (
            "Debian's chromium is not installed (apt-get install chromium); "
            "browser tests need it."
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@contextlib.contextmanager
def start_app(
    log_name: str = "streamlit.log",
    log_path: Path | None = None,
    env: dict[str, str] | None = None,
):
    """Run ``streamlit run app.py`` on a free port until the block ends.

    The log goes to ``log_path`` (default ``tests/e2e/<log_name>``); ``env``
    is added to the environment (e.g. a throw-away ``DATABASE_URL``).
    """
    port = _free_port()
    log_path = log_path or ROOT / "tests" / "e2e" / log_name
    with open(log_path, "w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
            ],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_healthy(url, proc, log_path)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def _wait_healthy(url: str, proc: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit stopped early, see {log_path}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail("streamlit did not become healthy within 60 s")


@pytest.fixture(scope="session")
def app_url(browser_path, isolated_database) -> str:
    """The app, started once per test session."""
    with start_app() as url:
        yield url


@pytest.fixture(scope="session")
def browser(browser_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=browser_path, headless=True, args=CHROMIUM_FLAGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh browser page (1600×1000, Dutch locale) with downloads allowed."""
    context = browser.new_context(
        viewport={"width": 1600, "height": 1000},
        locale="nl-NL",
        accept_downloads=True,
    )
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    yield pg
    context.close()


def open_app(page, app_url: str, path: str = "") -> None:
    """Open a page of the app and wait until Streamlit has finished running."""
    page.goto(f"{app_url}/{path}")
    page.wait_for_selector('[data-testid="stApp"]')
    wait_idle(page)


def wait_idle(page, timeout_ms: int = 30_000) -> None:
    """Wait until the script run is over (no running indicator, main rendered)."""
    page.wait_for_selector('[data-testid="stMainBlockContainer"]', timeout=timeout_ms)
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')""",
        timeout=timeout_ms,
    )
    page.wait_for_timeout(300)


def assert_no_exception(page) -> None:
    """No Streamlit exception box, no Python traceback and no error caught by
    the page guard (appui/guard.py) on the page."""
    assert page.locator('[data-testid="stException"]').count() == 0, page.locator(
        '[data-testid="stException"]'
    ).first.inner_text()
    caught = page.get_by_text("Er ging iets mis op deze pagina")
    assert caught.count() == 0, caught.first.inner_text()
    assert "Traceback (most recent call last)" not in page.inner_text("body")


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under tests/e2e/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
