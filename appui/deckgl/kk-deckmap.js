/* WebGL map of a terrain's buildings (deck.gl), a Streamlit component.
 *
 * Talks the Streamlit component protocol (apiVersion 1) by postMessage:
 * "streamlit:render" brings the arguments built by appui/deckmap.py from
 * kansenkaart/views/deckdata.py; a click answers with
 * "streamlit:setComponentValue" {i: row position, n: click number}.
 *
 * The geometry (typed arrays) is decoded once per terrain (args.geometry_key);
 * a new theme or filter only recolours. Every text from the data reaches the
 * page through textContent, never as HTML.
 */
"use strict";
(function () {
  const core = window.kkDeckCore;
  const lib = window.kkDeckLayers;
  const NO_COLOUR = [0, 0, 0, 0];
  const mapEl = document.getElementById("map");
  const tipEl = document.getElementById("tip");
  const togglesEl = document.getElementById("toggles");

  let deckgl = null;
  let geom = null;
  let args = null;
  let colours = {};
  let coloursKey = null;
  let viewState = null;
  let clicks = 0;
  const session = Math.random().toString(36).slice(2);
  let lastCenter = null;
  let lastHeight = 0;
  const switchedOn = {};
  const tiles = new Map();

  function post(type, extra) {
    window.parent.postMessage(
      Object.assign({isStreamlitMessage: true, type: type}, extra), "*");
  }

  /* A typed array over a copy of the bytes (aligned, owned by us). */
  function typed(bytes, Type) {
    const copy = bytes.slice();
    return new Type(copy.buffer, 0, copy.byteLength / Type.BYTES_PER_ELEMENT);
  }

  /* deckdata.text_column: uint32 n, n + 1 uint32 offsets, UTF-8. */
  function textColumn(buffer) {
    const n = new DataView(buffer).getUint32(0, true);
    const offsets = new Uint32Array(buffer, 4, n + 1);
    const data = new Uint8Array(buffer, 4 * (n + 2));
    const decoder = new TextDecoder();
    return function (i) {
      return i >= 0 && i < n ? decoder.decode(data.subarray(offsets[i], offsets[i + 1])) : "";
    };
  }

  const NO_TEXT = function () { return ""; };

  /* A gzipped text column, unpacked by the browser; NO_TEXT until then. */
  function gzTextColumn(bytes, done) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
    new Response(stream).arrayBuffer().then(function (buffer) { done(textColumn(buffer)); });
  }

  /* The vertex numbers of every triangle, from per-polygon local corners. */
  function triangleIndices(bytes, counts, polygonStarts) {
    let total = 0;
    for (let p = 0; p < counts.length; p++) { total += counts[p]; }
    const width = total ? bytes.byteLength / (3 * total) : 4;
    const local = typed(bytes, width === 1 ? Uint8Array : width === 2 ? Uint16Array : Uint32Array);
    const indices = new Uint32Array(local.length);
    let k = 0;
    for (let p = 0; p < counts.length; p++) {
      const base = polygonStarts[p], stop = k + 3 * counts[p];
      for (; k < stop; k++) { indices[k] = local[k] + base; }
    }
    return indices;
  }

  function loadGeometry(a) {
    const positions = typed(a.positions, Float32Array);
    const ringStarts = typed(a.ring_starts, Uint32Array);
    const polygonStarts = a.polygon_starts ? typed(a.polygon_starts, Uint32Array) : ringStarts;
    const nPolygons = polygonStarts.length - 1;
    let polygonBuilding = a.polygon_building ? typed(a.polygon_building, Uint32Array) : null;
    if (!polygonBuilding) {
      polygonBuilding = new Uint32Array(nPolygons);
      for (let p = 0; p < nPolygons; p++) { polygonBuilding[p] = p; }
    }
    const ringBuilding = a.ring_building ? typed(a.ring_building, Uint32Array) : polygonBuilding;
    const nRings = ringBuilding.length;
    const nVertices = positions.length / 2;
    // Closed rings for the outlines: every ring with its first vertex again.
    const pathPositions = new Float32Array(2 * (nVertices + nRings));
    const pathStarts = new Uint32Array(nRings + 1);
    const vertexBuilding = new Uint32Array(nVertices);
    const pathBuilding = new Uint32Array(nVertices + nRings);
    let out = 0;
    for (let r = 0; r < nRings; r++) {
      const start = ringStarts[r], stop = ringStarts[r + 1], b = ringBuilding[r];
      pathStarts[r] = out / 2;
      vertexBuilding.fill(b, start, stop);
      pathPositions.set(positions.subarray(2 * start, 2 * stop), out);
      out += 2 * (stop - start);
      pathPositions[out++] = positions[2 * start];
      pathPositions[out++] = positions[2 * start + 1];
      pathBuilding.fill(b, pathStarts[r], out / 2);
    }
    pathStarts[nRings] = out / 2;
    const loaded = {
      key: a.geometry_key,
      origin: [a.origin[0], a.origin[1], 0],
      n: a.n,
      positions: positions,
      polygonStarts: polygonStarts,
      polygonBuilding: polygonBuilding,
      indices: triangleIndices(a.triangles, typed(a.triangle_counts, Uint32Array),
                               polygonStarts),
      nPolygons: nPolygons,
      ringStarts: ringStarts,
      vertexBuilding: vertexBuilding,
      pathPositions: pathPositions,
      pathStarts: pathStarts,
      pathBuilding: pathBuilding,
      address: NO_TEXT,
      company: NO_TEXT,
    };
    gzTextColumn(a["addresses.gz"], function (f) { loaded.address = f; });
    gzTextColumn(a["companies.gz"], function (f) { loaded.company = f; });
    geom = loaded;
    colours = {};
    coloursKey = null;
  }

  /* Per-vertex RGBA of one layer: fill (lighter when estimated) and line. */
  function layerColours(spec, a) {
    const codes = typed(a["codes:" + spec.key], Int16Array);
    const estimated = a["estimated:" + spec.key];
    const fill = new Uint8Array(4 * geom.vertexBuilding.length);
    const line = new Uint8Array(4 * geom.pathBuilding.length);
    const alpha = a.estimated_alpha;
    const paint = function (target, owner, palette, lighten) {
      for (let v = 0; v < owner.length; v++) {
        const b = owner[v], code = codes[b];
        const c = code >= 0 ? palette[code] : NO_COLOUR;
        const k = 4 * v;
        target[k] = c[0]; target[k + 1] = c[1]; target[k + 2] = c[2];
        target[k + 3] = lighten && estimated[b] ? Math.round(c[3] * alpha) : c[3];
      }
    };
    if (!spec.outline) {
      paint(fill, geom.vertexBuilding, spec.fill, true);
    }
    paint(line, geom.pathBuilding, spec.line, false);
    // Stable objects: deck.gl compares data by reference, so a pan or zoom
    // reuses the uploaded buffers.
    const result = {
      codes: codes,
      fillData: {
        length: geom.nPolygons,
        startIndices: geom.polygonStarts,
        attributes: {
          getPolygon: {value: geom.positions, size: 2},
          indices: geom.indices,
          getFillColor: {value: fill, size: 4, normalized: true},
        },
      },
      lineData: {
        length: geom.pathStarts.length - 1,
        startIndices: geom.pathStarts,
        attributes: {
          getPath: {value: geom.pathPositions, size: 2},
          getColor: {value: line, size: 4, normalized: true},
        },
      },
      values: null,
    };
    if (spec.values) {
      gzTextColumn(a["values:" + spec.key + ".gz"], function (f) { result.values = f; });
    }
    return result;
  }

  function fitView(bounds) {
    const width = mapEl.clientWidth || 800, height = mapEl.clientHeight || 600;
    const viewport = new core.WebMercatorViewport({width: width, height: height});
    const fitted = viewport.fitBounds(bounds, {padding: 30, maxZoom: 19});
    return {longitude: fitted.longitude, latitude: fitted.latitude,
            zoom: fitted.zoom, pitch: 0, bearing: 0};
  }

  /* Background tiles (web mercator XYZ) covering the view; none offline. */
  function tileLayers() {
    const basemap = args.basemap;
    if (!basemap || !viewState || window.kkNoTiles) {
      return [];
    }
    const z = Math.max(0, Math.min(19, Math.round(viewState.zoom)));
    const viewport = new core.WebMercatorViewport(Object.assign({},
      viewState, {width: mapEl.clientWidth, height: mapEl.clientHeight}));
    const box = viewport.getBounds();
    const n = Math.pow(2, z);
    const tx = function (lon) { return Math.floor((lon + 180) / 360 * n); };
    const ty = function (lat) {
      const r = lat * Math.PI / 180;
      return Math.floor((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2 * n);
    };
    const lon = function (x) { return x / n * 360 - 180; };
    const lat = function (y) {
      return Math.atan(Math.sinh(Math.PI * (1 - 2 * y / n))) * 180 / Math.PI;
    };
    const out = [];
    const x0 = Math.max(0, tx(box[0])), x1 = Math.min(n - 1, tx(box[2]));
    const y0 = Math.max(0, ty(box[3])), y1 = Math.min(n - 1, ty(box[1]));
    if ((x1 - x0 + 1) * (y1 - y0 + 1) > 64) {
      return [];
    }
    for (let x = x0; x <= x1; x++) {
      for (let y = y0; y <= y1; y++) {
        const id = "tile-" + z + "-" + x + "-" + y;
        let layer = tiles.get(id);
        if (!layer) {
          layer = new lib.BitmapLayer({
            id: id,
            image: basemap.url.replace("{z}", z).replace("{x}", x).replace("{y}", y),
            bounds: [lon(x), lat(y + 1), lon(x + 1), lat(y)],
          });
          tiles.set(id, layer);
          if (tiles.size > 300) {
            tiles.delete(tiles.keys().next().value);
          }
        }
        out.push(layer);
      }
    }
    return out;
  }

  function overlay(id, data, extra) {
    if (!data) {
      return null;
    }
    return new lib.GeoJsonLayer(Object.assign({
      id: id,
      data: data.geojson,
      stroked: true,
      filled: true,
      lineWidthUnits: "pixels",
      getLineWidth: data.width,
      getFillColor: function (f) { return f.properties.fill; },
      getLineColor: function (f) { return f.properties.line; },
      pickable: true,
    }, extra || {}));
  }

  function buildLayers() {
    const common = {
      coordinateSystem: core.COORDINATE_SYSTEM.LNGLAT_OFFSETS,
      coordinateOrigin: geom.origin,
      positionFormat: "XY",
    };
    const fills = [], lines = [];
    const zoomedIn = viewState && viewState.zoom >= 15;
    for (const spec of args.layers) {
      if (spec.off && !switchedOn[spec.key]) {
        continue;
      }
      const c = colours[spec.key];
      if (!spec.outline) {
        fills.push(new lib.SolidPolygonLayer(Object.assign({}, common, {
          id: "fill-" + spec.key,
          data: c.fillData,
          _normalize: false,
          pickable: true,
        })));
      }
      lines.push(new lib.PathLayer(Object.assign({}, common, {
        id: "line-" + spec.key,
        visible: spec.outline || zoomedIn,
        data: c.lineData,
        _pathType: "open",
        widthUnits: "pixels",
        getWidth: spec.width,
        pickable: spec.outline,
      })));
    }
    const sourcesOn = switchedOn.sources !== false;
    const layers = [
      ...tileLayers(),
      switchedOn.grid !== false ? overlay("grid", args.grid) : null,
      sourcesOn ? overlay("source-areas", args.source_areas) : null,
      ...args.groups.map(function (g, i) { return overlay("group-" + i, g, {filled: false}); }),
      ...fills,
      ...lines,
      sourcesOn ? overlay("rings", args.rings, {filled: false}) : null,
      overlay("boundary", args.boundary, {filled: false}),
    ];
    if (sourcesOn && args.points.length) {
      layers.push(new lib.ScatterplotLayer({
        id: "source-points",
        data: args.points,
        getPosition: function (p) { return [p.lon, p.lat]; },
        getFillColor: function (p) { return p.fill; },
        getLineColor: [255, 255, 255, 255],
        radiusUnits: "pixels",
        getRadius: 10,
        lineWidthUnits: "pixels",
        getLineWidth: 2,
        stroked: true,
        pickable: true,
      }));
    }
    return layers.filter(Boolean);
  }

  function buildingOf(info) {
    if (!info || !info.layer || info.index < 0) {
      return -1;
    }
    const id = info.layer.id;
    if (id.startsWith("fill-")) {
      return geom.polygonBuilding[info.index];
    }
    if (id.startsWith("line-")) {
      return geom.pathBuilding[geom.pathStarts[info.index]];
    }
    return -1;
  }

  /* Tooltip lines of a building: address (bold), company, a line per layer. */
  function buildingLines(b) {
    const lines = [geom.address(b), geom.company(b)].filter(Boolean);
    for (const spec of args.layers) {
      const c = colours[spec.key];
      if ((spec.off && !switchedOn[spec.key]) || c.codes[b] < 0) {
        continue;
      }
      const value = spec.values ? (c.values ? c.values(b) : "") : spec.labels[c.codes[b]];
      lines.push(spec.title + ": " + value);
    }
    return lines;
  }

  function showTip(info) {
    let lines = null;
    const b = buildingOf(info);
    if (b >= 0) {
      lines = buildingLines(b);
    } else if (info && info.object && info.object.properties) {
      lines = info.object.properties.lines;
    } else if (info && info.object && info.object.lines) {
      lines = info.object.lines;
    }
    if (!lines || !lines.length) {
      tipEl.style.display = "none";
      return;
    }
    tipEl.replaceChildren(...lines.map(function (text) {
      const div = document.createElement("div");
      div.textContent = text;
      return div;
    }));
    tipEl.style.display = "block";
    const x = Math.min(info.x + 14, mapEl.clientWidth - tipEl.offsetWidth - 4);
    const y = Math.min(info.y + 14, mapEl.clientHeight - tipEl.offsetHeight - 4);
    tipEl.style.left = Math.max(0, x) + "px";
    tipEl.style.top = Math.max(0, y) + "px";
  }

  function redraw() {
    if (deckgl) {
      deckgl.setProps({layers: buildLayers()});
    }
  }

  function setView(next) {
    viewState = next;
    deckgl.setProps({viewState: viewState});
    redraw();
  }

  function renderToggles() {
    const choices = [];
    for (const spec of args.layers) {
      if (spec.off) {
        choices.push([spec.key, spec.title, false]);
      }
    }
    if (args.grid) {
      choices.push(["grid", args.labels.grid, true]);
    }
    if (args.rings || args.source_areas || args.points.length) {
      choices.push(["sources", args.labels.sources, true]);
    }
    togglesEl.replaceChildren(...choices.map(function (choice) {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = choice[0] in switchedOn ? switchedOn[choice[0]] : choice[2];
      box.addEventListener("change", function () {
        switchedOn[choice[0]] = box.checked;
        redraw();
      });
      label.append(box, " " + choice[1]);
      return label;
    }));
  }

  const marks = window.kkMarks = {start: Date.now()};
  function render(a) {
    marks.render = marks.render || Date.now();
    args = a;
    if (a.height !== lastHeight) {
      lastHeight = a.height;
      mapEl.style.height = a.height + "px";
      post("streamlit:setFrameHeight", {height: a.height});
    }
    const newGeometry = !geom || geom.key !== a.geometry_key;
    if (newGeometry) {
      loadGeometry(a);
      marks.geometry = Date.now();
    }
    const key = JSON.stringify([a.geometry_key, a.colours_key]);
    if (key !== coloursKey) {
      colours = {};
      for (const spec of a.layers) {
        colours[spec.key] = layerColours(spec, a);
      }
      coloursKey = key;
      marks.colours = Date.now();
    }
    document.getElementById("attribution").textContent = a.basemap ? a.basemap.attribution : "";
    document.getElementById("title").textContent = a.title || "";
    renderToggles();
    const centre = JSON.stringify(a.center);
    if (!deckgl) {
      viewState = a.center ? {longitude: a.center[1], latitude: a.center[0], zoom: 18,
                              pitch: 0, bearing: 0} : fitView(a.bounds);
      deckgl = new core.Deck({
        parent: mapEl,
        viewState: viewState,
        controller: {doubleClickZoom: true, scrollZoom: true, inertia: false},
        layers: [],
        onViewStateChange: function (e) { setView(e.viewState); },
        onHover: showTip,
        onClick: function (info) {
          const b = buildingOf(info);
          if (b >= 0) {
            clicks += 1;
            post("streamlit:setComponentValue",
                 {value: {i: b, n: clicks, s: session}, dataType: "json"});
          }
        },
        getCursor: function (s) { return s.isHovering ? "pointer" : "grab"; },
        onAfterRender: function () {
          // Epoch ms of the first frame with the buildings (tests, benchmark).
          if (!window.kkPainted && geom && colours && Object.keys(colours).length) {
            window.kkPainted = Date.now();
          }
        },
        onError: function () { return true; },
      });
      window.kkDeck = deckgl;
      marks.deck = Date.now();
      lastCenter = centre;
    } else if (newGeometry) {
      setView(fitView(a.bounds));
    } else if (centre !== lastCenter && a.center) {
      setView(Object.assign({}, viewState,
        {longitude: a.center[1], latitude: a.center[0], zoom: 18}));
    }
    lastCenter = centre;
    redraw();
    window.kkRendered = (window.kkRendered || 0) + 1;
  }

  function zoomBy(step) {
    if (viewState) {
      setView(Object.assign({}, viewState, {zoom: Math.min(21, Math.max(1, viewState.zoom + step))}));
    }
  }
  document.getElementById("zoom-in").addEventListener("click", function () { zoomBy(1); });
  document.getElementById("zoom-out").addEventListener("click", function () { zoomBy(-1); });
  document.getElementById("fit").addEventListener("click", function () {
    if (args) { setView(fitView(args.bounds)); }
  });
  /* For the browser tests and the benchmark: set the view programmatically. */
  window.kkSetView = function (next) { setView(Object.assign({}, viewState, next)); };
  /* Pixel (x, y) in the map of the middle of building b's first polygon. */
  window.kkBuildingPixel = function (b) {
    const p = geom.polygonBuilding.indexOf(b);
    if (p < 0) {
      return null;
    }
    let x = 0, y = 0;
    const start = geom.polygonStarts[p];
    const stop = geom.ringStarts[geom.ringStarts.indexOf(start) + 1];
    for (let v = start; v < stop; v++) {
      x += geom.positions[2 * v];
      y += geom.positions[2 * v + 1];
    }
    const n = stop - start;
    return deckgl.getViewports()[0].project([args.origin[0] + x / n, args.origin[1] + y / n]);
  };

  window.addEventListener("message", function (event) {
    if (event.data && event.data.type === "streamlit:render") {
      render(event.data.args);
    }
  });
  post("streamlit:componentReady", {apiVersion: 1});
})();
