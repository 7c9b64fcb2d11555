"""Leaflet in a folium map: escaping, scripts, inlined assets, controls.

The low-level pieces :mod:`kansenkaart.views.maps` builds its maps with:

- every text that reaches HTML is escaped here (:func:`escape`); folium does
  not escape GeoJson tooltips or popups. Braces are escaped too: folium
  renders the script of every element a second time as a Jinja template, so
  a company called ``{{ 7*7 }}`` would otherwise be evaluated on the server;
- :class:`Script` puts JavaScript in the page without that second pass, which
  keeps large building data fast and user text inert;
- Leaflet itself is inlined (from the ``django-js-lib-leaflet`` package) so
  that a map works without internet; only the background tiles need it;
- the small script that decodes the compact building outlines and draws one
  canvas layer per theme (:data:`LIBRARY_JS`), the fullscreen button and the
  fixed boxes (legend, title).

This module never imports streamlit.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import re
from importlib import resources

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

LIBRARY_JS = """
window.kkData = window.kkData || {};
window.kkLayers = window.kkLayers || {};
window.kkDecode = window.kkDecode || function (d) {
  function ring(r) {
    var x = d.o[0] + r[0], y = d.o[1] + r[1], out = [[x / 1e5, y / 1e5]];
    for (var k = 2; k < r.length; k += 2) {
      x += r[k]; y += r[k + 1]; out.push([x / 1e5, y / 1e5]);
    }
    out.push(out[0]);
    return out;
  }
  return {a: d.a, n: d.n, f: d.g.map(function (parts, i) {
    return {type: "Feature", properties: {i: i}, geometry: {
      type: "MultiPolygon",
      coordinates: parts.map(function (p) { return p.map(ring); })}};
  })};
};
window.kkLayer = window.kkLayer || function (o) {
  var d = kkData[o.d], c = o.c, est = {};
  o.e.forEach(function (i) { est[i] = true; });
  var layer = L.geoJSON(d.f, {
    filter: function (f) { return c[f.properties.i] >= 0; },
    style: function (f) {
      var i = f.properties.i, s = o.s[c[i]];
      return {fillColor: s[0], fillOpacity: est[i] ? s[1] * 0.4 : s[1],
              fill: s[1] > 0, color: s[2], weight: s[3], opacity: 1,
              dashArray: est[i] ? "5 4" : s[4]};
    },
    onEachFeature: function (f, l) {
      l.bindTooltip(function () {
        var i = f.properties.i, h = "<b>" + (d.a[i] || "") + "</b>";
        if (d.n[i]) { h += "<br>" + d.n[i]; }
        return h + "<br>" + o.t + ": " + (o.v ? o.v[i] : o.l[c[i]]);
      }, {sticky: true, className: "kk-tooltip"});
    }
  });
  layer.kkCodes = c;
  kkLayers[o.k] = layer;
  return layer;
};
"""

CSS = """
<style>
.kk-tooltip { font-size: 15px; line-height: 1.35; }
.kk-box { background: rgba(255,255,255,0.95); padding: 8px 12px; border-radius: 6px;
  box-shadow: 0 1px 5px rgba(0,0,0,0.4); font: 15px/1.35 sans-serif; }
.kk-legend { max-height: 60vh; overflow-y: auto; }
.kk-legend h4 { margin: 6px 0 4px; font-size: 16px; }
.kk-legend table { border-collapse: collapse; }
.kk-legend td { padding: 1px 6px 1px 0; vertical-align: middle; }
.kk-legend .sw { display: inline-block; width: 18px; height: 14px;
  border: 1px solid #3c3c3c; }
.kk-legend .n { text-align: right; color: #444; }
.kk-legend .note { max-width: 260px; font-size: 13px; color: #444; }
.kk-title { max-width: 340px; }
a.kk-fullscreen { font-size: 18px; font-weight: bold; }
</style>
"""


def escape(text: str) -> str:
    """Text for HTML: ``html.escape`` plus braces as character references.

    Folium renders each element's script output once more as a Jinja
    template; ``{{`` or ``{%`` in user data would be evaluated there.
    """
    return html.escape(text).replace("{", "&#123;").replace("}", "&#125;")


def js(value) -> str:
    """``value`` as a JavaScript literal, safe inside <script> and from Jinja.

    ``<``, ``>`` and ``&`` become ``\\u`` escapes (no ``</script>``); a ``{``
    that would open a Jinja tag (``{{``, ``{%``, ``{#``) can only occur
    inside a string and becomes ``\\u007b``.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return re.sub(r"\{(?=[{%#])", r"\\u007b", text)


class _Raw(Element):
    """Text put in the page as it is, without folium's second Jinja pass."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class Script(MacroElement):
    """A piece of JavaScript run where the element sits in the map.

    ``{map}`` and ``{parent}`` in the code are replaced by the JavaScript
    names of the map and of the parent element at render time. Unlike other
    folium elements the output is not compiled as a Jinja template again,
    which keeps large building data fast and user text inert. The template
    macros remain for ``streamlit_folium``, which renders them directly.
    """

    _template = Template(
        "{% macro header(this, kwargs) %}{{ this.css }}{% endmacro %}"
        "{% macro script(this, kwargs) %}{{ this.code() }}{% endmacro %}"
    )

    def __init__(self, code: str, css: str = ""):
        super().__init__()
        self._name = "KansenkaartScript"
        self._code = code
        self.css = css

    def code(self) -> str:
        parent = self._parent
        root = parent
        while not isinstance(root, folium.Map) and root is not None:
            root = root._parent
        names = {
            "{parent}": parent.get_name(),
            "{map}": root.get_name() if root is not None else parent.get_name(),
        }
        return re.sub(r"\{parent\}|\{map\}", lambda m: names[m.group()], self._code)

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        if self.css:
            figure.header.add_child(_Raw(self.css), name=self.get_name())
        figure.script.add_child(_Raw(self.code()), name=self.get_name())


# --- Leaflet inlined ------------------------------------------------------


@functools.cache
def leaflet_assets() -> tuple[str, str] | None:
    """Leaflet's script and stylesheet as data URIs, or None when not installed.

    The stylesheet's images (layer-control icon, markers) are inlined too.
    """
    try:
        folder = resources.files("js_lib_leaflet") / "static" / "js_lib_leaflet"
        script = (folder / "leaflet.js").read_bytes()
        css = (folder / "leaflet.css").read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        return None

    def inline(match: re.Match) -> str:
        data = (folder / "images" / match.group(1)).read_bytes()
        return f"url(data:image/png;base64,{base64.b64encode(data).decode()})"

    css = re.sub(r"url\(images/([\w.-]+\.png)\)", inline, css)
    return (
        "data:text/javascript;base64," + base64.b64encode(script).decode(),
        "data:text/css;base64," + base64.b64encode(css.encode()).decode(),
    )


def use_assets(m: folium.Map, inline: bool) -> None:
    """Load only Leaflet: inlined (offline) or from folium's CDN."""
    script = dict(folium.Map.default_js)["leaflet"]
    style = dict(folium.Map.default_css)["leaflet_css"]
    assets = leaflet_assets() if inline else None
    if assets is not None:
        script, style = assets
    m.default_js = [("leaflet", script)]
    m.default_css = [("leaflet_css", style)]


def fullscreen() -> Script:
    return Script(
        """
(function (map) {
  var ICON = '<svg viewBox="0 0 16 16" width="16" height="16" style="margin-top:7px">'
    + '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" '
    + 'stroke="#333" stroke-width="2"/></svg>';
  var control = L.control({position: "topleft"});
  control.onAdd = function () {
    var bar = L.DomUtil.create("div", "leaflet-bar");
    var link = L.DomUtil.create("a", "kk-fullscreen", bar);
    link.href = "#"; link.title = "Volledig scherm"; link.innerHTML = ICON;
    link.setAttribute("role", "button");
    L.DomEvent.on(link, "click", function (e) {
      L.DomEvent.preventDefault(e);
      var el = map.getContainer();
      if (document.fullscreenElement) { document.exitFullscreen(); }
      else if (el.requestFullscreen) { el.requestFullscreen(); }
    });
    document.addEventListener("fullscreenchange", function () {
      map.invalidateSize();
    });
    return bar;
  };
  control.addTo(map);
})({map});
""",
        css=CSS,
    )


def control(position: str, html_text: str, css_class: str) -> Script:
    """A fixed box on the map with the given (already escaped) HTML."""
    return Script(
        f"""
(function (map) {{
  var box = L.control({{position: {js(position)}}});
  box.onAdd = function () {{
    var div = L.DomUtil.create("div", {js(css_class)});
    div.innerHTML = {js(html_text)};
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  }};
  box.addTo(map);
}})({{map}});
"""
    )
