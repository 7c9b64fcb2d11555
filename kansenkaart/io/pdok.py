"""Fetch BAG panden and verblijfsobjecten from PDOK (optional, online only).

A gemeente without a BAG extract at hand can fetch the panden and
verblijfsobjecten of its terrain straight from PDOK. What comes back is kept
as PDOK publishes it — the features of all pages in one GeoJSON
FeatureCollection per collection — and handed to
:func:`kansenkaart.io.bag.read_bag` like an uploaded file.

Sources
-------
- PDOK BAG WFS 2.0, ``https://service.pdok.nl/lv/bag/wfs/v2_0``, feature
  types ``bag:pand`` and ``bag:verblijfsobject`` (the verblijfsobject carries
  ``pandidentificatie``, ``openbare_ruimte``, ``woonplaats``). Paging with
  ``startIndex``/``count``; PDOK serves at most 1,000 features per request.
  Selection by ``bbox`` in RD New, or by an OGC Filter Encoding 2.0
  ``PropertyIsBetween`` on ``postcode`` (WFS 2.0.0, OGC 09-025r2; FES 2.0,
  OGC 09-026r2).
- PDOK BAG OGC API Features v2, ``https://api.pdok.nl/kadaster/bag/ogc/v2``,
  collections ``pand`` and ``verblijfsobject``: ``bbox`` with ``bbox-crs``
  (RD New), ``limit`` and paging through the ``next`` link in ``links``
  (OGC API - Features - Part 1: Core, OGC 17-069r4, section 7.15; Part 2:
  Coordinate Reference Systems by Reference, OGC 18-058). Its
  verblijfsobjecten link to their pand by ``pand.href`` (the pand's feature
  URL) instead of a pand-identificatie, and its only queryables are geometry
  and identificatie, so a postcode range is fetched from the WFS.

The HTTP call is injected (``opener``), so tests replay recorded responses and
never touch the network. Every failure — offline, timeout, HTTP error, too
many features — is a :class:`~kansenkaart.core.errors.DataError` in Dutch.
"""

from __future__ import annotations

import json
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from kansenkaart.core import fmt
from kansenkaart.core import schema as sch
from kansenkaart.core.errors import DataError
from kansenkaart.io.readers import read_layer

WFS_URL = "https://service.pdok.nl/lv/bag/wfs/v2_0"
OGC_URL = "https://api.pdok.nl/kadaster/bag/ogc/v2"
RD_URI = "http://www.opengis.net/def/crs/EPSG/0/28992"
RD_URN = "urn:ogc:def:crs:EPSG::28992"
PAGE_SIZE = 1000
"""Features per request: the maximum PDOK serves (WFS ``count``, OGC ``limit``)."""
TIMEOUT_S = 30.0
"""Seconds to wait for one PDOK response."""
MAX_FEATURES = 5000
"""Most panden or verblijfsobjecten fetched per collection; a business park
has a few hundred, so more means the area is far too large."""
USER_AGENT = "kansenkaart (BAG ophalen voor een bedrijventerrein)"
PAND_FILE = "pdok_bag_pand.geojson"
VBO_FILE = "pdok_bag_verblijfsobject.geojson"
_PAGING_KEYS = ("links", "numberMatched", "numberReturned", "totalFeatures", "next")
_OWN_FILES = (
    "laad de bestanden zelf: download de BAG GeoPackage (bag-light) bij PDOK en "
    "kies die bij 'BAG-panden en -adressen'."
)
_POSTCODE = re.compile(r"^(\d{4})\s*([A-Za-z]{2})?$")

Opener = Callable[[str, float], bytes]
"""``opener(url, timeout_s) -> body``; raises what ``urllib`` raises."""
Progress = Callable[[float, str], None]
"""``progress(fraction 0–1, Dutch text)``, called after every page."""


@dataclass(frozen=True)
class Fetched:
    """BAG data fetched from PDOK, ready for the importer.

    Attributes
    ----------
    files : tuple of (str, bytes)
        ``(file name, GeoJSON bytes)`` for the panden and the
        verblijfsobjecten, the form of an uploaded file.
    panden, verblijfsobjecten : int
        Number of features in each file.
    request : str
        Dutch description of what was asked ("terreingrens …", "postcodes …").
    """

    files: tuple[tuple[str, bytes], ...]
    panden: int
    verblijfsobjecten: int
    request: str

    @property
    def summary(self) -> str:
        """One Dutch line on what was fetched."""
        return (
            f"Opgehaald bij PDOK voor {self.request}: {fmt.number(self.panden)} "
            f"panden en {fmt.number(self.verblijfsobjecten)} verblijfsobjecten "
            "(adressen)."
        )


def open_url(url: str, timeout_s: float) -> bytes:
    """GET ``url`` over HTTPS with the standard library; the body as bytes."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        return response.read()


def _no_progress(fraction: float, text: str) -> None:
    """Default progress callback: report nothing."""


def _get_json(url: str, source: str, opener: Opener, timeout_s: float) -> dict:
    """One PDOK response as a dict; every failure a Dutch DataError."""
    try:
        body = opener(url, timeout_s)
    except urllib.error.HTTPError as exc:
        raise DataError.single(
            source,
            f"PDOK gaf een foutmelding (HTTP {exc.code}).",
            "probeer het later opnieuw, of " + _OWN_FILES,
        ) from exc
    except TimeoutError as exc:
        raise _timeout(source, timeout_s) from exc
    except OSError as exc:  # urllib.error.URLError and socket errors
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError):
            raise _timeout(source, timeout_s) from exc
        raise DataError.single(
            source,
            f"geen verbinding met PDOK ({reason}).",
            "controleer de internetverbinding, of " + _OWN_FILES,
        ) from exc
    try:
        page = json.loads(body)
    except ValueError:
        page = None
    if not isinstance(page, dict) or not isinstance(page.get("features"), list):
        raise DataError.single(
            source,
            "PDOK stuurde geen GeoJSON-FeatureCollection terug.",
            "probeer het later opnieuw, of " + _OWN_FILES,
        )
    return page


def _timeout(source: str, timeout_s: float) -> DataError:
    return DataError.single(
        source,
        f"PDOK antwoordde niet binnen {fmt.number(timeout_s)} seconden.",
        "probeer het later opnieuw, of " + _OWN_FILES,
    )


def _too_many(source: str, kind: str, max_features: int, what: str) -> DataError:
    return DataError.single(
        source,
        f"PDOK heeft meer dan {fmt.number(max_features)} {kind} voor {what}; "
        "zoveel haalt de app niet op.",
        "kies een kleinere terreingrens of postcodereeks, of " + _OWN_FILES,
    )


def _collection_bytes(first: dict, features: list[dict]) -> bytes:
    """One FeatureCollection of all pages: the first page's members (name,
    crs, timeStamp) without its paging links, with every feature as sent."""
    out = {k: v for k, v in first.items() if k not in _PAGING_KEYS}
    out["features"] = features
    return json.dumps(out, ensure_ascii=False).encode("utf-8")


def _wfs_pages(
    type_name: str,
    selection: dict[str, str],
    *,
    kind: str,
    what: str,
    opener: Opener,
    timeout_s: float,
    max_features: int,
    progress: Callable[[int], None],
) -> tuple[dict, list[dict]]:
    """All features of one WFS feature type, page by page (``startIndex``).

    The last page is the first one with fewer features than asked for; at
    most ``max_features + 1`` features are asked, so too large an area stops
    after that many.
    """
    source = f"PDOK BAG-WFS ({type_name})"
    features: list[dict] = []
    first: dict | None = None
    while True:
        count = min(PAGE_SIZE, max_features + 1 - len(features))
        query = {
            "service": "WFS",
            "version": "2.0.0",
            "request": "GetFeature",
            "typeNames": type_name,
            "outputFormat": "application/json",
            "srsName": "EPSG:28992",
            "count": str(count),
            "startIndex": str(len(features)),
            **selection,
        }
        url = f"{WFS_URL}?{urllib.parse.urlencode(query)}"
        page = _get_json(url, source, opener, timeout_s)
        first = first or page
        features += page["features"]
        if len(features) > max_features:
            raise _too_many(source, kind, max_features, what)
        progress(len(features))
        if len(page["features"]) < count:
            return first, features


def _ogc_pages(
    collection: str,
    bbox: tuple[float, float, float, float],
    *,
    kind: str,
    what: str,
    opener: Opener,
    timeout_s: float,
    max_features: int,
    progress: Callable[[int], None],
) -> tuple[dict, list[dict]]:
    """All features of one OGC API collection in an RD bbox, following the
    ``next`` links. Coordinates come back in CRS84 (the GeoJSON default)."""
    source = f"PDOK BAG OGC API ({collection})"
    query = {
        "bbox": ",".join(f"{v:.3f}" for v in bbox),
        "bbox-crs": RD_URI,
        "limit": str(min(PAGE_SIZE, max_features + 1)),
        "f": "json",
    }
    url: str | None = f"{OGC_URL}/collections/{collection}/items?" + (
        urllib.parse.urlencode(query)
    )
    features: list[dict] = []
    first: dict | None = None
    while url:
        page = _get_json(url, source, opener, timeout_s)
        first = first or page
        features += page["features"]
        if len(features) > max_features:
            raise _too_many(source, kind, max_features, what)
        progress(len(features))
        url = next(
            (
                link.get("href")
                for link in page.get("links", [])
                if isinstance(link, dict) and link.get("rel") == "next"
            ),
            None,
        )
    return first, features


def _done(pand_first, panden, vbo_first, vbo, request, progress) -> Fetched:
    """The two collections as files; the progress bar full."""
    fetched = Fetched(
        (
            (PAND_FILE, _collection_bytes(pand_first, panden)),
            (VBO_FILE, _collection_bytes(vbo_first, vbo)),
        ),
        len(panden),
        len(vbo),
        request,
    )
    progress(1.0, fetched.summary)
    return fetched


def _reporter(progress: Progress, step: int, steps: int, kind: str, max_n: int):
    """Per-page callback: overall fraction of ``steps`` collections."""

    def report(n: int) -> None:
        fraction = (step + min(n / max_n, 1.0)) / steps
        progress(fraction, f"{fmt.number(n)} {kind} opgehaald bij PDOK…")

    return report


def fetch_bbox(
    bbox: tuple[float, float, float, float],
    *,
    request: str = "het terrein",
    source: str = "wfs",
    opener: Opener | None = None,
    timeout_s: float = TIMEOUT_S,
    max_features: int = MAX_FEATURES,
    progress: Progress | None = None,
) -> Fetched:
    """Fetch the panden and verblijfsobjecten in a rectangle in RD New.

    Parameters
    ----------
    bbox : (minx, miny, maxx, maxy)
        EPSG:28992, metres (:func:`bbox_of` of the terrain boundary).
    request : str
        Dutch description for the summary ("terreingrens grens.geojson").
    source : {"wfs", "ogc"}
        The BAG WFS (RD New, with ``pandidentificatie``) or the OGC API
        (CRS84, with ``pand.href``).
    opener : callable, optional
        ``opener(url, timeout_s) -> bytes``; default :func:`open_url`.
    timeout_s : float
        Seconds per request.
    max_features : int
        Most features per collection; beyond it a DataError.
    progress : callable, optional
        ``progress(fraction, text)`` after every page.

    Returns
    -------
    Fetched

    Raises
    ------
    DataError
        Offline, timeout, HTTP error, no GeoJSON, more than ``max_features``.
    """
    opener = opener or open_url
    progress = progress or _no_progress
    what = "dit gebied"
    layers = (("pand", "panden"), ("verblijfsobject", "verblijfsobjecten"))
    results = []
    for step, (layer, kind) in enumerate(layers):
        report = _reporter(progress, step, len(layers), kind, max_features)
        options = dict(
            kind=kind,
            what=what,
            opener=opener,
            timeout_s=timeout_s,
            max_features=max_features,
            progress=report,
        )
        if source == "ogc":
            results.append(_ogc_pages(layer, bbox, **options))
        else:
            box = ",".join(f"{v:.3f}" for v in bbox) + "," + RD_URN
            results.append(_wfs_pages(f"bag:{layer}", {"bbox": box}, **options))
    (pand_first, panden), (vbo_first, vbo) = results
    return _done(pand_first, panden, vbo_first, vbo, request, progress)


def parse_postcode_range(text: str) -> tuple[str, str]:
    """Lowest and highest postcode of a range as the user types it.

    "9301AA-9301ZZ", "9301 aa – 9301 zz", "9301" (all of PC4 9301) and
    "9301-9302" (PC4 9301 up to and including 9302) are understood.

    Raises
    ------
    DataError
        Text that is no postcode or range, or a range that runs backwards.
    """
    parts = [p.strip() for p in re.split(r"\s*[-–—]\s*|\s+t/m\s+", text.strip())]
    parts = [p for p in parts if p]
    matches = [_POSTCODE.fullmatch(p) for p in parts]
    if not 1 <= len(parts) <= 2 or not all(matches):
        raise DataError.single(
            "postcodereeks",
            f"'{text}' is geen postcode of postcodereeks.",
            "schrijf bijvoorbeeld 9301AA-9301ZZ, of alleen de cijfers: 9301.",
        )
    low_m, high_m = matches[0], matches[-1]
    low = low_m[1] + (low_m[2] or "AA").upper()
    high = high_m[1] + (high_m[2] or "ZZ").upper()
    if low > high:
        raise DataError.single(
            "postcodereeks",
            f"de reeks loopt terug: {low} komt na {high}.",
            "zet de laagste postcode voorop.",
        )
    return low, high


def _postcode_filter(low: str, high: str) -> str:
    """FES 2.0 filter: ``low <= postcode <= high`` (text order = postcode order)."""
    return (
        '<fes:Filter xmlns:fes="http://www.opengis.net/fes/2.0">'
        "<fes:PropertyIsBetween><fes:ValueReference>postcode</fes:ValueReference>"
        f"<fes:LowerBoundary><fes:Literal>{low}</fes:Literal></fes:LowerBoundary>"
        f"<fes:UpperBoundary><fes:Literal>{high}</fes:Literal></fes:UpperBoundary>"
        "</fes:PropertyIsBetween></fes:Filter>"
    )


def _pand_id(value) -> str:
    """A WFS pand reference as the 16-digit BAG id (old extracts drop the 0)."""
    return str(value).strip().removesuffix(".0").zfill(16)


def fetch_postcodes(
    text: str,
    *,
    opener: Opener | None = None,
    timeout_s: float = TIMEOUT_S,
    max_features: int = MAX_FEATURES,
    progress: Progress | None = None,
) -> Fetched:
    """Fetch the verblijfsobjecten of a postcode range and their panden (WFS).

    The verblijfsobjecten are selected by postcode; the panden are fetched in
    the rectangle around them and only those the verblijfsobjecten lie in
    (``pandidentificatie``) are kept.

    Parameters
    ----------
    text : str
        Postcode range as typed (:func:`parse_postcode_range`).
    opener, timeout_s, max_features, progress
        As in :func:`fetch_bbox`.

    Raises
    ------
    DataError
        Bad range, no verblijfsobject in it, or any failure of
        :func:`fetch_bbox`.
    """
    opener = opener or open_url
    progress = progress or _no_progress
    low, high = parse_postcode_range(text)
    what = f"postcodes {low}–{high}"
    options = dict(opener=opener, timeout_s=timeout_s, max_features=max_features)
    vbo_first, vbo = _wfs_pages(
        "bag:verblijfsobject",
        {"filter": _postcode_filter(low, high)},
        kind="verblijfsobjecten",
        what=what,
        progress=_reporter(progress, 0, 2, "verblijfsobjecten", max_features),
        **options,
    )
    points = [
        f["geometry"]["coordinates"][:2]
        for f in vbo
        if (f.get("geometry") or {}).get("type") == "Point"
    ]
    if not points:
        raise DataError.single(
            f"PDOK BAG-WFS (bag:verblijfsobject, {what})",
            f"PDOK kent geen verblijfsobjecten met een postcode van {low} tot en "
            f"met {high}.",
            "controleer de postcodereeks, of kies een terreingrens.",
        )
    xs, ys = zip(*points, strict=True)
    box = f"{min(xs) - 1:.3f},{min(ys) - 1:.3f},{max(xs) + 1:.3f},{max(ys) + 1:.3f}"
    pand_first, panden = _wfs_pages(
        "bag:pand",
        {"bbox": f"{box},{RD_URN}"},
        kind="panden",
        what=what,
        progress=_reporter(progress, 1, 2, "panden", max_features),
        **options,
    )
    used = {_pand_id(f["properties"].get("pandidentificatie")) for f in vbo}
    panden = [
        f for f in panden if _pand_id(f["properties"].get("identificatie")) in used
    ]
    return _done(pand_first, panden, vbo_first, vbo, what, progress)


def read_boundary(name: str, data: bytes) -> gpd.GeoDataFrame:
    """The uploaded terrain boundary in RD New (as the importer reads it)."""
    with tempfile.TemporaryDirectory(prefix="kansenkaart-pdok-") as tmp:
        path = Path(tmp) / (Path(name.replace("\\", "/")).name or "terreingrens")
        path.write_bytes(data)
        boundary, _ = read_layer(path, sch.BOUNDARY, {"name": "terreingrens"})
    return boundary


def fetch_for_terrain(
    boundary: tuple[str, bytes] | None,
    postcodes: str = "",
    **options,
) -> Fetched:
    """Fetch the BAG of an uploaded terrain boundary, else of a postcode range.

    Parameters
    ----------
    boundary : (file name, bytes) or None
        The terrain boundary as uploaded on *Data laden* (GeoJSON, GeoPackage).
    postcodes : str
        Postcode range (:func:`parse_postcode_range`), used without boundary.
    **options
        ``opener``, ``timeout_s``, ``max_features``, ``progress`` of
        :func:`fetch_bbox`.
    """
    if boundary is not None:
        name, data = boundary
        return fetch_bbox(
            bbox_of(read_boundary(name, data)),
            request=f"terreingrens '{name}'",
            **options,
        )
    return fetch_postcodes(postcodes, **options)


def bbox_of(boundary: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """``(minx, miny, maxx, maxy)`` of a boundary in EPSG:28992, metres."""
    minx, miny, maxx, maxy = boundary.to_crs("EPSG:28992").total_bounds
    return float(minx), float(miny), float(maxx), float(maxy)


__all__ = [
    "Fetched",
    "bbox_of",
    "fetch_bbox",
    "fetch_for_terrain",
    "fetch_postcodes",
    "open_url",
    "parse_postcode_range",
    "read_boundary",
]
