"""Benchmark: the Kansenkaart map of 10.000 to 100.000 buildings in a browser,
folium (Leaflet) against the WebGL map (deck.gl), in one run.

For synthetic terrains (``kansenkaart demo --buildings N``, fictitious) it
starts ``streamlit run app.py`` once with ``KANSENKAART_TERRAINS`` pointing at
them (the way to open a large terrain on the server, see
``appui/state.server_terrains``), opens every terrain once to fill the
server's caches, and then measures per size and per map, each in a new
browser profile (an empty cache, a new Streamlit session), headless chromium
with the e2e tests' flags (WebGL runs on SwiftShader, on the CPU):

- **data**: bytes the page received over Streamlit's websocket until the map
  was drawn (the map, legend and page; the deck.gl script, 1,1 MB, comes
  once over HTTP and is then cached by the browser, it is not counted);
- **eerste beeld**: seconds from the request (the tab's navigation start)
  until the buildings are drawn, by the browser's clock (folium: Leaflet's
  building layers are on its canvas, polled every 50 ms as in
  ``bench_pages.py``; WebGL: deck.gl's first frame with the buildings),
  checked afterwards on a screenshot of the map: at least 1 % of its pixels
  in a building colour;
- **frames**: the longest and the 95th-percentile time between two
  animation frames (ms) while the map is zoomed in twice, panned, zoomed out
  and panned back by script (``requestAnimationFrame`` deltas in the map's
  frame; a long frame is a redraw stall), and the longest per step;
- **kaart zelf**: WebGL only: seconds from the map component's script
  start to its first frame (decoding, deck.gl, first draw): the map's own
  share of the first paint; the rest is the page (Streamlit, the search box
  with every address, the legend) and the server;
- **heap**: the JavaScript heap of the tab after a garbage collection (CDP
  ``Performance.getMetrics``);
- **klik**: WebGL only: seconds from a click on a building until its detail
  (address in *Gekozen pand*) is shown.

Targets (issue 21): at 100.000 buildings first paint under 3 s and frames
under 100 ms; a click shows the building's detail. The folium map is the
baseline, measured in the same run.

Run: ``.venv/bin/python benchmarks/bench_map_browser.py [--sizes 10000,50000]``
"""

from __future__ import annotations

import argparse
import contextlib
import io
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script: the e2e server helper

import numpy as np  # noqa: E402
from bench_pages import MAP_DRAWN as FOLIUM_DRAWN  # noqa: E402
from PIL import Image  # noqa: E402

from kansenkaart.core import fmt  # noqa: E402
from kansenkaart.io import demo, demo_specs  # noqa: E402
from kansenkaart.views import deckdata  # noqa: E402
from tests.e2e.conftest import CHROMIUM_FLAGS, chromium_path, start_app  # noqa: E402

SIZES = (10_000, 50_000, 100_000)
TIMEOUT_S = 240.0
TARGET_PAINT_S = 3.0
TARGET_FRAME_MS = 100.0
KINDS = {"standaard": "folium", "snel": "WebGL"}

DECK_DRAWN = "() => !!window.kkPainted"
# Zoom in twice, pan, zoom out, pan back; every step 400 ms apart; the
# requestAnimationFrame deltas over the whole sequence, in ms, and the
# longest per step (which step stalls).
INTERACT = """async (kind) => {
    let move;
    if (kind === "folium") {
        const map = Object.keys(window).filter(k => k.startsWith("map_"))
            .map(k => window[k]).find(m => m && m.setZoom);
        move = (dz, dx, dy) => {
            if (dz) { map.setZoom(map.getZoom() + dz, {animate: false}); }
            else { map.panBy([dx, dy], {animate: false}); }
        };
    } else {
        move = (dz, dx, dy) => {
            const vp = window.kkDeck.getViewports()[0];
            if (dz) { window.kkSetView({zoom: vp.zoom + dz}); return; }
            const [lon, lat] = vp.unproject([vp.width / 2 + dx, vp.height / 2 + dy]);
            window.kkSetView({longitude: lon, latitude: lat});
        };
    }
    const deltas = [], perStep = [];
    let last = performance.now(), running = true;
    const tick = (t) => {
        deltas.push(t - last);
        last = t;
        if (running) { requestAnimationFrame(tick); }
    };
    requestAnimationFrame(tick);
    const wait = (ms) => new Promise(r => setTimeout(r, ms));
    const steps = [[1, 0, 0], [1, 0, 0], [0, 200, 0], [0, 0, 150], [-1, 0, 0],
                   [-1, 0, 0], [0, -200, 0], [0, 0, -150]];
    for (const [dz, dx, dy] of steps) {
        const from = Math.max(deltas.length, 1);
        move(dz, dx, dy);
        await wait(400);
        perStep.push(Math.round(Math.max(0, ...deltas.slice(from))));
    }
    await wait(300);
    running = false;
    return {deltas: deltas.slice(1), perStep: perStep};
}"""


def terrains(folder: Path, sizes) -> None:
    """Synthetic terrains of ``sizes`` buildings as folders in ``folder``."""
    for n in sizes:
        spec = demo_specs.synthetic_spec(n)
        demo.write_terrain(demo.generate_terrain(spec), folder / spec.id)


def _map_frame(page, kind: str):
    marker = "streamlit_folium" if kind == "folium" else "kk_deckmap"
    return next((f for f in page.frames if marker in f.url), None)


def _drawn(page, kind: str) -> bool:
    frame = _map_frame(page, kind)
    if frame is None:
        return False
    with contextlib.suppress(Exception):  # frame (re)loading
        if kind == "WebGL":
            return bool(frame.evaluate(DECK_DRAWN))
        if frame.evaluate(FOLIUM_DRAWN):  # polled: the time it was seen
            frame.evaluate("() => { window.kkPainted = Date.now(); }")
            return True
    return False


def coloured_share(png: bytes) -> float:
    """Share of pixels in a building colour: saturated, or dark (outlines)."""
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)
    chroma = rgb.max(axis=2) - rgb.min(axis=2)
    return float(((chroma > 40) | (rgb.max(axis=2) < 90)).mean())


def measure(browser, url: str, n: int, kind: str) -> dict:
    """One opening of the Kansenkaart of the ``n``-building terrain."""
    engine = KINDS[kind]
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    received = [0]
    page.on(
        "websocket",
        lambda ws: ws.on(
            "framereceived",
            lambda data: received.__setitem__(
                0, received[0] + len(data if isinstance(data, bytes) else data.encode())
            ),
        ),
    )
    try:
        start = time.perf_counter()
        page.goto(
            f"{url}/kansenkaart?terrein=map:synthetisch-{n}&kaart={kind}",
            wait_until="commit",
        )
        while not _drawn(page, engine):
            if time.perf_counter() - start > TIMEOUT_S:
                raise RuntimeError(f"{engine} {n}: geen kaart na {TIMEOUT_S:.0f} s")
            page.wait_for_timeout(50)
        data_b = received[0]
        frame = _map_frame(page, engine)
        painted = frame.evaluate("() => window.kkPainted")
        paint_s = (painted - page.evaluate("() => performance.timeOrigin")) / 1000
        own_s = None
        if engine == "WebGL":  # from the map's script start to its first frame
            own_s = (painted - frame.evaluate("() => window.kkMarks.start")) / 1000
        if f"({n} gebouwen)" not in page.inner_text("body"):
            raise RuntimeError(f"het terrein van {n} panden is niet geopend")
        page.wait_for_timeout(500)
        moved = frame.evaluate(INTERACT, engine)
        deltas = moved["deltas"]
        # after the moves (back where it started): reading the picture back
        # from the CPU renderer stalls the frames that follow it
        shot = page.locator("iframe").nth(_iframe_index(page, frame)).screenshot()
        cdp = context.new_cdp_session(page)
        cdp.send("HeapProfiler.collectGarbage")
        metrics = {m["name"]: m["value"] for m in _metrics(cdp)}
        click_s = click(page, frame) if engine == "WebGL" else None
        return {
            "n": n,
            "kind": engine,
            "data_mb": data_b / 1e6,
            "paint_s": paint_s,
            "own_s": own_s,
            "coloured": coloured_share(shot),
            "frame_max": max(deltas),
            "frame_p95": float(np.percentile(deltas, 95)),
            "frames": len(deltas),
            "per_step": moved["perStep"],
            "heap_mb": metrics["JSHeapUsedSize"] / 1e6,
            "click_s": click_s,
        }
    finally:
        context.close()


def _metrics(cdp) -> list[dict]:
    cdp.send("Performance.enable")
    return cdp.send("Performance.getMetrics")["metrics"]


def _iframe_index(page, frame) -> int:
    """Position of ``frame``'s element among the page's iframes."""
    handles = page.query_selector_all("iframe")
    for i, handle in enumerate(handles):
        if handle.content_frame() == frame:
            return i
    raise RuntimeError("kaartframe niet gevonden")


def click(page, frame) -> float:
    """Seconds from a click on building 0 until its address is in *Gekozen pand*."""
    element = page.locator("iframe").nth(_iframe_index(page, frame))
    element.scroll_into_view_if_needed()
    x, y = frame.evaluate("() => window.kkCentreOn(0)")
    page.wait_for_timeout(300)
    box = element.bounding_box()
    page.mouse.move(box["x"] + x, box["y"] + y)
    frame.wait_for_function(
        "() => document.getElementById('tip').innerText.trim() !== ''",
        timeout=TIMEOUT_S * 1000,
    )
    first = frame.evaluate("() => document.getElementById('tip').innerText")
    first = first.splitlines()[0]
    start = time.perf_counter()
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.locator('[data-testid="stTable"]').filter(has_text=first).first.wait_for(
        timeout=TIMEOUT_S * 1000
    )
    return time.perf_counter() - start


def warm(browser, url: str, n: int) -> None:
    """Open both maps once: the server analyses and prepares the terrain."""
    for kind in KINDS:
        measure(browser, url, n, kind)


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", help="aantallen panden, komma-gescheiden")
    args = parser.parse_args()
    sizes = SIZES
    if args.sizes:
        sizes = tuple(int(s) for s in args.sizes.split(","))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    path = chromium_path()
    if path is None:
        sys.exit("chromium ontbreekt (apt-get install chromium); geen meting.")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "terreinen"
        terrains(folder, sizes)
        env = {
            "KANSENKAART_TERRAINS": str(folder),
            "DATABASE_URL": f"sqlite:///{tmp}/ws.sqlite",
        }
        with (
            start_app(log_path=Path(tmp) / "streamlit.log", env=env) as url,
            sync_playwright() as pw,
        ):
            browser = pw.chromium.launch(
                executable_path=path, headless=True, args=CHROMIUM_FLAGS
            )
            print(HEADER, flush=True)
            for n in sizes:
                warm(browser, url, n)
                for kind in KINDS:
                    rows.append(measure(browser, url, n, kind))
                    report(rows[-1])
            browser.close()
    summary(rows)


HEADER = (
    f"{'panden':>8} {'kaart':>7} {'data MB':>8} {'eerste beeld s':>15} "
    f"{'kaart zelf s':>13} {'frame max ms':>13} {'p95 ms':>7} {'heap MB':>8} "
    f"{'klik s':>7}   langste frame per stap (ms): in, in, →, ↓, uit, uit, ←, ↑"
)


def report(r: dict) -> None:
    click_s = "" if r["click_s"] is None else f"{r['click_s']:.2f}"
    own_s = "" if r["own_s"] is None else f"{r['own_s']:.2f}"
    print(
        f"{fmt.number(r['n']):>8} {r['kind']:>7} {r['data_mb']:>8.1f} "
        f"{r['paint_s']:>15.2f} {own_s:>13} {r['frame_max']:>13.0f} "
        f"{r['frame_p95']:>7.0f} "
        f"{r['heap_mb']:>8.0f} {click_s:>7}   "
        + " ".join(str(ms) for ms in r["per_step"]),
        flush=True,
    )


def summary(rows: list[dict]) -> None:
    webgl = [r for r in rows if r["kind"] == "WebGL"]
    biggest = max(webgl, key=lambda r: r["n"])
    blank = [r for r in rows if r["coloured"] < 0.01]
    print(
        f"Doel bij {fmt.number(biggest['n'])} panden (WebGL): eerste beeld "
        f"{biggest['paint_s']:.2f} s (< {TARGET_PAINT_S:.0f} s), langste frame "
        f"{biggest['frame_max']:.0f} ms (< {TARGET_FRAME_MS:.0f} ms): "
        + (
            "gehaald"
            if biggest["paint_s"] < TARGET_PAINT_S
            and biggest["frame_max"] < TARGET_FRAME_MS
            else "niet gehaald"
        )
    )
    print(
        "Kaarten zonder panden op het scherm: "
        + (", ".join(f"{r['kind']} {r['n']}" for r in blank) if blank else "geen")
    )
    print(
        f"Drempel: vanaf {fmt.number(deckdata.WEBGL_FROM_BUILDINGS)} panden kiest "
        "'Automatisch' de WebGL-kaart."
    )
    median_ratio = statistics.median(
        f["paint_s"] / w["paint_s"]
        for f in rows
        if f["kind"] == "folium"
        for w in webgl
        if w["n"] == f["n"]
    )
    print(
        f"Eerste beeld folium / WebGL (mediaan over de groottes): {median_ratio:.1f}×"
    )


if __name__ == "__main__":
    main()
