"""Benchmark: how fast every page shows its main content in a real browser.

For each page it starts its own ``streamlit run app.py`` on a free port (a
throw-away werksessie database), opens the page once right after the server
start (*koud*) and then three more times in fresh browser tabs (*warm*, the
median is printed). The server has started when its health check answers;
the app imports its modules and analyses the default terrain before that
(``appui.shell.prepare``), so that time is printed too (*start*): it is spent
once per server process, not by a visitor. The clock runs from the request
until the page's main content is visible:

- a map: the ``streamlit_folium`` iframe is loaded, Leaflet has drawn the
  building layers (``window.kkLayers`` holds buildings) on the overlay
  canvas;
- a table: a ``st.dataframe`` grid (canvas) or ``st.table`` with rows;
- a chart: a Plotly chart with its SVG drawn, or a Vega-Lite chart with its
  canvas;
- text: the page title.

The yardstick is issue 18 (not a naive baseline): at most 2 s warm and 4 s
after a server start, on the demo terrain De Punt (35 buildings). The ratio
columns are the measured time divided by that target (≤ 1,00 is on target).
Times include the browser; on a busy machine they vary by tens of percent,
so compare runs made one after the other.

Run: ``.venv/bin/python benchmarks/bench_pages.py [--pages kansenkaart,netcapaciteit]
[--warm 3]`` (needs Playwright and chromium, e.g. Debian's ``/usr/bin/chromium``).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the e2e server helper

from tests.e2e.conftest import start_app  # noqa: E402

TARGET_WARM_S = 2.0
"""Issue 18: main content within 2 s when the server is warm."""
TARGET_COLD_S = 4.0
"""Issue 18: main content within 4 s after a server start."""
TIMEOUT_S = 60.0
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]


@dataclass(frozen=True)
class Page:
    """A page, its URL path and what counts as its main content.

    ``content`` lists kinds of which one must be visible: ``map``, ``table``,
    ``chart``, ``text``, ``upload``.
    """

    name: str
    path: str
    content: tuple[str, ...]


PAGES = (
    Page("Start", "", ("text",)),
    Page("Provincie-overzicht", "provincie", ("table",)),
    Page("Gegevens en datakwaliteit", "beginsituatie", ("table",)),
    Page("Huidige situatie", "huidige_situatie", ("map",)),
    Page("Netcapaciteit", "netcapaciteit", ("map",)),
    Page("Data laden", "data_laden", ("upload",)),
    Page("Kansenkaart", "kansenkaart", ("map",)),
    Page("Mijn pand", "mijn_pand", ("map",)),
    Page("Energiebalans", "energiebalans", ("chart",)),
    Page("Kansenlijsten", "kansenlijsten", ("table",)),
    Page("Werksessie", "werksessie", ("map", "chart")),
    Page("Werkgroepen", "werkgroepen", ("chart", "table")),
    Page("Aannames", "aannames", ("table",)),
)

MAIN = '[data-testid="stMainBlockContainer"]'
SELECTORS = {
    "table": f'{MAIN} [data-testid="stDataFrame"] canvas, '
    f'{MAIN} [data-testid="stTable"] tbody tr',
    "chart": f'{MAIN} [data-testid="stPlotlyChart"] .main-svg, '
    f'{MAIN} [data-testid="stVegaLiteChart"] canvas, '
    f'{MAIN} [data-testid="stVegaLiteChart"] svg',
    "text": f"{MAIN} h1",
    "upload": f'{MAIN} [data-testid="stFileUploaderDropzone"]',
}
VISIBLE = """selector => [...document.querySelectorAll(selector)].some(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
})"""
ERROR = "() => !!document.querySelector('[data-testid=\"stException\"]')"
MAP_DRAWN = """() => {
    const layers = window.kkLayers;
    if (!layers) { return false; }
    const n = Object.values(layers).reduce((s, l) => s + l.getLayers().length, 0);
    const canvas = document.querySelector('.leaflet-overlay-pane canvas');
    return n > 0 && !!canvas && canvas.width > 0;
}"""


def chromium() -> str:
    """Path of the system chromium (``/usr/bin/chromium`` on Debian)."""
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    sys.exit("chromium ontbreekt (apt-get install chromium); geen meting.")


def server(log: Path):
    """The e2e tests' ``streamlit run app.py`` with a throw-away database."""
    return start_app(
        log_path=log, env={"DATABASE_URL": f"sqlite:///{log.parent / 'ws.sqlite'}"}
    )


def _map_drawn(page) -> bool:
    for frame in page.frames:
        if "streamlit_folium" not in frame.url:
            continue
        with contextlib.suppress(Exception):  # frame (re)loading
            if frame.evaluate(MAP_DRAWN):
                return True
    return False


def _shown(page, kind: str) -> bool:
    if kind == "map":
        return _map_drawn(page)
    return page.evaluate(VISIBLE, SELECTORS[kind])


def time_to_content(context, url: str, spec: Page) -> float:
    """Seconds from the request until the main content of ``spec`` is visible,
    in a new tab of ``context`` (a new Streamlit session)."""
    page = context.new_page()
    try:
        start = time.perf_counter()
        page.goto(f"{url}/{spec.path}", wait_until="commit")
        while time.perf_counter() - start < TIMEOUT_S:
            failed = shown = False
            with contextlib.suppress(Exception):  # document still loading
                failed = page.evaluate(ERROR)
                shown = any(_shown(page, kind) for kind in spec.content)
            if failed:
                raise RuntimeError(f"{spec.name}: foutmelding op de pagina")
            if shown:
                return time.perf_counter() - start
            page.wait_for_timeout(40)
        raise RuntimeError(f"{spec.name}: geen inhoud binnen {TIMEOUT_S:.0f} s")
    finally:
        page.close()


def measure(
    browser, spec: Page, warm_runs: int, folder: Path
) -> tuple[float, float, float]:
    """(server start s, cold s, median warm s) of one page, on a server
    started for it.

    Cold: the first request after the server start, in a new browser profile
    (empty cache). Warm: new tabs of that profile, as when a user opens the
    page again (the browser caches Streamlit's own scripts).
    """
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    try:
        begin = time.perf_counter()
        with server(folder / f"streamlit-{spec.path or 'start'}.log") as url:
            started = time.perf_counter() - begin
            cold = time_to_content(context, url, spec)
            warm = [time_to_content(context, url, spec) for _ in range(warm_runs)]
    finally:
        context.close()
    return started, cold, statistics.median(warm)


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", help="URL-paden, komma-gescheiden (Start: start)")
    parser.add_argument("--warm", type=int, default=3, help="aantal warme metingen")
    args = parser.parse_args()
    # Stopped from outside: still end the streamlit server (finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    pages = PAGES
    if args.pages:
        wanted = {p.strip() for p in args.pages.split(",")}
        pages = tuple(p for p in PAGES if (p.path or "start") in wanted)

    print(
        "Tijd tot de hoofdinhoud zichtbaar is (kaart getekend, tabel of grafiek), "
        "demoterrein De Punt, chromium"
    )
    print(
        f"{'pagina':<27} {'start s':>7} {'koud s':>7} {'/ 4 s':>6} {'warm s':>7} "
        f"{'/ 2 s':>6}  inhoud"
    )
    late = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium(), headless=True, args=CHROMIUM_ARGS
        )
        for spec in pages:
            started, cold, warm = measure(browser, spec, args.warm, Path(tmp))
            if cold > TARGET_COLD_S or warm > TARGET_WARM_S:
                late.append(spec.name)
            print(
                f"{spec.name:<27} {started:>7.2f} {cold:>7.2f} "
                f"{cold / TARGET_COLD_S:>6.2f} "
                f"{warm:>7.2f} {warm / TARGET_WARM_S:>6.2f}  "
                + " of ".join(spec.content),
                flush=True,
            )
        browser.close()
    print(
        f"Doel (issue 18): ≤ {TARGET_WARM_S:.0f} s warm (mediaan van {args.warm}) en "
        f"≤ {TARGET_COLD_S:.0f} s na een serverstart; verhouding ≤ 1,00 is op doel."
    )
    print("Te traag: " + (", ".join(late) if late else "geen"))
    load = ", ".join(f"{x:.1f}".replace(".", ",") for x in os.getloadavg())
    print(
        f"Belasting van de machine (load average 1/5/15 min): {load} "
        f"op {os.cpu_count()} cpu's"
    )


if __name__ == "__main__":
    main()
