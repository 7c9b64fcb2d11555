/* WebGL map of a terrain's buildings (deck.gl), a Streamlit component.
 *
 * Talks the Streamlit component protocol (apiVersion 1) by postMessage:
 * "streamlit:render" brings the arguments built by appui/deckmap.py from
 * kansenkaart/views/deckdata.py; a click answers with
 * "streamlit:setComponentValue" {i: row position, n: click number, s: this
 * map element, a: how often it asked for the geometry it lacks}.
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
  const hintEl = document.getElementById("hint");

  let deckgl = null;
  let geom = null;
  let args = null;
  let colours = {};
  let coloursKey = null;
  let viewState = null;
  /* What the map reports: the last click (building i, click number n, this
   * map's session s) and how often it asked for the geometry (a). */
  const value = {i: -1, n: 0, s: Math.random().toString(36).slice(2), a: 0};
  let askedFor = null;
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
    // Per ring its box (offset degrees) and per vertex its building.
    const ringBoxes = new Float32Array(4 * nRings);
    const vertexBuilding = new Uint32Array(nVertices);
    for (let r = 0; r < nRings; r++) {
      const start = ringStarts[r], stop = ringStarts[r + 1];
      vertexBuilding.fill(ringBuilding[r], start, stop);
      let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
      for (let v = start; v < stop; v++) {
        const x = positions[2 * v], y = positions[2 * v + 1];
        if (x < x0) { x0 = x; }
        if (x > x1) { x1 = x; }
        if (y < y0) { y0 = y; }
        if (y > y1) { y1 = y; }
      }
      ringBoxes.set([x0, y0, x1, y1], 4 * r);
    }
    const box = [Infinity, Infinity, -Infinity, -Infinity];
    for (let r = 0; r < nRings; r++) {
      box[0] = Math.min(box[0], ringBoxes[4 * r]);
      box[1] = Math.min(box[1], ringBoxes[4 * r + 1]);
      box[2] = Math.max(box[2], ringBoxes[4 * r + 2]);
      box[3] = Math.max(box[3], ringBoxes[4 * r + 3]);
    }
    const counts = typed(a.triangle_counts, Uint32Array);
    const triangleStarts = new Uint32Array(nPolygons + 1);
    const polygonRing = new Uint32Array(nPolygons);
    for (let p = 0, r = 0; p < nPolygons; p++) {
      triangleStarts[p + 1] = triangleStarts[p] + 3 * counts[p];
      while (ringStarts[r] < polygonStarts[p]) { r++; }
      polygonRing[p] = r;
    }
    const loaded = {
      key: a.geometry_key,
      origin: [a.origin[0], a.origin[1], 0],
      n: a.n,
      positions: positions,
      polygonStarts: polygonStarts,
      polygonBuilding: polygonBuilding,
      indices: triangleIndices(a.triangles, counts, polygonStarts),
      triangleStarts: triangleStarts,
      polygonRing: polygonRing,
      nPolygons: nPolygons,
      ringStarts: ringStarts,
      vertexBuilding: vertexBuilding,
      ringBuilding: ringBuilding,
      ringBoxes: ringBoxes,
      box: box,
      address: NO_TEXT,
      company: NO_TEXT,
    };
    gzTextColumn(a["addresses.gz"], function (f) { loaded.address = f; });
    gzTextColumn(a["companies.gz"], function (f) { loaded.company = f; });
    geom = loaded;
    colours = {};
    coloursKey = null;
    cullBox = null;
  }

  /* Outlines are drawn for the rings in view only (a margin of a quarter
   * view around it): a path is costly to draw (joins), on the CPU renderer of a
   * machine without a GPU above all. Rebuilt when the view leaves the box
   * or the zoom changes by a level. */
  let cullBox = null, cullZoom = 0, lineCache = {};
  /* More rings in view than this: outlines wait until the user zooms in. */
  const MAX_OUTLINED_RINGS = 600;
  /* More polygons than this around the view: the fills are shown as one
   * picture of RASTER_PIXELS on the longest side, drawn once per colouring,
   * while it is no coarser than the screen (zoomed out over many buildings,
   * where every building is a pixel or two). Measured at 100.000 buildings
   * on a CPU renderer: the switch to polygons stays under 100 ms a frame
   * with up to about 10.000 of them. */
  /* The zoom on a chosen building: deck.gl counts 512-px tiles, Leaflet 256,
   * so 17 shows what the standard map's zoom 18 shows (the building with its
   * neighbours; 18 filled half a side-by-side map with one building). */
  const BUILDING_ZOOM = 17;
  const RASTER_FROM_POLYGONS = 10000;
  const RASTER_PIXELS = 4096;
  const RASTER_MAX_AREA = 8e6;
  let polygonsNearView = 0;

  function updateCull() {
    const viewport = new core.WebMercatorViewport(Object.assign({},
      viewState, {width: mapEl.clientWidth || 800, height: mapEl.clientHeight || 600}));
    const b = viewport.getBounds();
    const x0 = b[0] - geom.origin[0], y0 = b[1] - geom.origin[1];
    const x1 = b[2] - geom.origin[0], y1 = b[3] - geom.origin[1];
    const inside = cullBox && x0 >= cullBox[0] && y0 >= cullBox[1] &&
      x1 <= cullBox[2] && y1 <= cullBox[3] && Math.abs(viewState.zoom - cullZoom) < 1;
    if (!inside) {
      const dx = (x1 - x0) / 4, dy = (y1 - y0) / 4;
      cullBox = [x0 - dx, y0 - dy, x1 + dx, y1 + dy];
      cullZoom = viewState.zoom;
      lineCache = {};
      cullFills();
    }
  }

  /* The polygons in the cull box (and their count), drawn as their own
   * small geometry (compact()): the GPU gets the buildings around the
   * view only, so a zoom or pan that moves the box uploads tens of thousands
   * of vertices, not every vertex of the terrain (that stalled a frame for
   * 300-400 ms at 100.000 buildings). */
  let culled = null;

  function cullFills() {
    const box = geom.ringBoxes, ps = geom.polygonStarts, ts = geom.triangleStarts;
    const kept = new Uint32Array(geom.nPolygons);
    let n = 0, nVertices = 0, nIndices = 0;
    for (let p = 0; p < geom.nPolygons; p++) {
      const k = 4 * geom.polygonRing[p];
      if (box[k] > cullBox[2] || box[k + 2] < cullBox[0] ||
          box[k + 1] > cullBox[3] || box[k + 3] < cullBox[1]) {
        continue;
      }
      kept[n++] = p;
      nVertices += ps[p + 1] - ps[p];
      nIndices += ts[p + 1] - ts[p];
    }
    polygonsNearView = n;
    culled = {kept: kept, n: n, nVertices: nVertices, nIndices: nIndices, built: null};
  }

  /* The compact geometry of the cull box, built when polygons are drawn
   * (not while the picture shows them). */
  function compact() {
    if (culled.built) {
      return culled.built;
    }
    const ps = geom.polygonStarts, ts = geom.triangleStarts, n = culled.n, kept = culled.kept;
    if (n === geom.nPolygons) {
      culled.built = {polygons: null, positions: geom.positions, startIndices: ps,
                      indices: geom.indices, vertices: null};
      return culled.built;
    }
    const positions = new Float32Array(2 * culled.nVertices);
    const startIndices = new Uint32Array(n + 1);
    const indices = new Uint32Array(culled.nIndices);
    const vertices = new Uint32Array(culled.nVertices);  // compact -> terrain vertex
    let v = 0, t = 0;
    for (let q = 0; q < n; q++) {
      const p = kept[q], start = ps[p], stop = ps[p + 1];
      startIndices[q] = v;
      positions.set(geom.positions.subarray(2 * start, 2 * stop), 2 * v);
      for (let w = start; w < stop; w++) { vertices[v + w - start] = w; }
      for (let i = ts[p]; i < ts[p + 1]; i++) { indices[t++] = geom.indices[i] - start + v; }
      v += stop - start;
    }
    startIndices[n] = v;
    culled.built = {polygons: kept.slice(0, n), positions: positions,
                    startIndices: startIndices, indices: indices, vertices: vertices};
    return culled.built;
  }

  /* The fill layer data of colouring c for its first polygon only (the
   * layer that keeps the polygon shaders ready under the picture). */
  function warmData(c) {
    if (!c.warmData) {
      const stop = geom.polygonStarts[1];
      c.warmData = {
        length: 1,
        startIndices: new Uint32Array([0, stop]),
        attributes: {
          getPolygon: {value: geom.positions.slice(0, 2 * stop), size: 2},
          indices: geom.indices.slice(0, geom.triangleStarts[1]),
          getFillColor: {value: c.fill.slice(0, 4 * stop), size: 4, normalized: true},
        },
      };
    }
    return c.warmData;
  }

  /* The fill layer data of colouring c for the polygons in the cull box;
   * stable while neither changes (deck.gl compares data by reference). */
  function fillData(c) {
    if (c.fillFor !== culled) {
      const part = compact();
      let colour = c.fill;
      if (part.vertices) {
        colour = new Uint8Array(4 * part.vertices.length);
        const from = new Uint32Array(c.fill.buffer), to = new Uint32Array(colour.buffer);
        for (let v = 0; v < part.vertices.length; v++) { to[v] = from[part.vertices[v]]; }
      }
      c.fillFor = culled;
      c.fillData = {
        length: part.startIndices.length - 1,
        startIndices: part.startIndices,
        polygons: part.polygons,
        attributes: {
          getPolygon: {value: part.positions, size: 2},
          indices: part.indices,
          getFillColor: {value: colour, size: 4, normalized: true},
        },
      };
    }
    return c.fillData;
  }

  /* Dashes of estimated buildings' outlines, px on and off (as Leaflet's
   * dashArray "5 4" of the standard map and the legend's "gestippelde rand"). */
  const DASH_PX = [5, 4];

  /* The pieces of the closed ring xy (flat lon/lat offsets) that are drawn
   * with DASH_PX at zoom: pixels per degree from web mercator (512 px tiles). */
  function dashes(xy, zoom) {
    const sx = 512 * Math.pow(2, zoom) / 360;
    const sy = sx / Math.cos((geom.origin[1] + xy[1]) * Math.PI / 180);
    const pieces = [];
    let piece = [xy[0], xy[1]], on = true, left = DASH_PX[0];
    for (let k = 2; k < xy.length; k += 2) {
      let x0 = xy[k - 2], y0 = xy[k - 1];
      const x1 = xy[k], y1 = xy[k + 1];
      let length = Math.hypot((x1 - x0) * sx, (y1 - y0) * sy);
      while (length > left) {
        const t = left / length;
        x0 += (x1 - x0) * t;
        y0 += (y1 - y0) * t;
        length -= left;
        if (on) {
          piece.push(x0, y0);
          pieces.push(piece);
        } else {
          piece = [x0, y0];
        }
        on = !on;
        left = DASH_PX[on ? 0 : 1];
      }
      left -= length;
      if (on) { piece.push(x1, y1); }
    }
    if (on && piece.length >= 4) { pieces.push(piece); }
    return pieces;
  }

  /* Closed paths of the rings of drawn buildings in the cull box, dashed
   * where the building's value is an estimate. */
  function lineData(spec, c) {
    if (spec.key in lineCache) {
      return lineCache[spec.key] === "too many" ? null : lineCache[spec.key];
    }
    const box = geom.ringBoxes, starts = geom.ringStarts, pos = geom.positions;
    const rings = [];
    for (let r = 0; r < geom.ringBuilding.length; r++) {
      const k = 4 * r;
      if (c.codes[geom.ringBuilding[r]] < 0 || box[k] > cullBox[2] || box[k + 2] < cullBox[0] ||
          box[k + 1] > cullBox[3] || box[k + 3] < cullBox[1]) {
        continue;
      }
      rings.push(r);
    }
    if (rings.length > MAX_OUTLINED_RINGS) {
      lineCache[spec.key] = "too many";
      return null;
    }
    const paths = [], owners = [];
    let size = 0;
    rings.forEach(function (r) {
      const b = geom.ringBuilding[r];
      const xy = Array.from(pos.subarray(2 * starts[r], 2 * starts[r + 1]));
      xy.push(xy[0], xy[1]);  // closed
      for (const path of c.estimated[b] ? dashes(xy, cullZoom) : [xy]) {
        paths.push(path);
        owners.push(b);
        size += path.length / 2;
      }
    });
    const positions = new Float32Array(2 * size);
    const colour = new Uint8Array(4 * size);
    const pathStarts = new Uint32Array(paths.length + 1);
    let v = 0;
    paths.forEach(function (path, i) {
      const rgba = spec.line[c.codes[owners[i]]];
      pathStarts[i] = v;
      positions.set(path, 2 * v);
      for (let k = v; k < v + path.length / 2; k++) { colour.set(rgba, 4 * k); }
      v += path.length / 2;
    });
    pathStarts[paths.length] = v;
    lineCache[spec.key] = {
      length: paths.length,
      startIndices: pathStarts,
      buildings: Uint32Array.from(owners),
      attributes: {
        getPath: {value: positions, size: 2},
        getColor: {value: colour, size: 4, normalized: true},
      },
    };
    return lineCache[spec.key];
  }

  function mercatorY(lat) {
    const r = lat * Math.PI / 180;
    return Math.log(Math.tan(Math.PI / 4 + r / 2));
  }

  /* The fills of a layer drawn on a 2D canvas (web mercator, the bounds of
   * the geometry). */
  function raster(spec, c) {
    if (c.raster) {
      return c.raster;
    }
    const o = geom.origin, pos = geom.positions, box = geom.box;
    const west = o[0] + box[0], east = o[0] + box[2];
    const south = o[1] + box[1], north = o[1] + box[3];
    const top = mercatorY(north), span = top - mercatorY(south);
    const lonSpan = (east - west) * Math.PI / 180;
    const scale = Math.min(RASTER_PIXELS / Math.max(lonSpan, span),
                           Math.sqrt(RASTER_MAX_AREA / (lonSpan * span)));
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.ceil(lonSpan * scale));
    canvas.height = Math.max(1, Math.ceil(span * scale));
    const ctx = canvas.getContext("2d");
    // One small path per polygon: the 2D canvas fills many small paths
    // fast, one path with every building of a colour very slowly.
    let style = "";
    for (let p = 0; p < geom.nPolygons; p++) {
      const b = geom.polygonBuilding[p], code = c.codes[b];
      if (code < 0) {
        continue;
      }
      const rgba = spec.fill[code];
      const alpha = c.estimated[b] ? rgba[3] * args.estimated_alpha : rgba[3];
      const next = "rgba(" + rgba[0] + "," + rgba[1] + "," + rgba[2] + "," +
        (alpha / 255).toFixed(3) + ")";
      if (next !== style) {
        ctx.fillStyle = style = next;
      }
      ctx.beginPath();
      for (let r = geom.polygonRing[p]; r < geom.ringStarts.length - 1 &&
           geom.ringStarts[r] < geom.polygonStarts[p + 1]; r++) {
        for (let v = geom.ringStarts[r]; v < geom.ringStarts[r + 1]; v++) {
          const x = (pos[2 * v] + o[0] - west) * Math.PI / 180 * scale;
          const y = (top - mercatorY(pos[2 * v + 1] + o[1])) * scale;
          if (v === geom.ringStarts[r]) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); }
        }
        ctx.closePath();
      }
      ctx.fill("evenodd");
    }
    c.raster = {image: canvas, bounds: [west, south, east, north]};
    return c.raster;
  }

  /* Whether the fills show as a picture now: many polygons around the view
   * and the picture at least as sharp as the screen. */
  function useRaster() {
    if (polygonsNearView < RASTER_FROM_POLYGONS) {
      return false;
    }
    const viewport = new core.WebMercatorViewport(Object.assign({},
      viewState, {width: mapEl.clientWidth || 800, height: mapEl.clientHeight || 600}));
    const o = geom.origin, box = geom.box;
    const a = viewport.project([o[0] + box[0], o[1] + box[1]]);
    const b = viewport.project([o[0] + box[2], o[1] + box[3]]);
    const spec = args.layers.find(function (l) { return !l.outline && !l.off; });
    if (!spec) {
      return false;
    }
    const picture = raster(spec, colours[spec.key]).image;
    return Math.abs(b[0] - a[0]) <= picture.width && Math.abs(b[1] - a[1]) <= picture.height;
  }

  /* Per-vertex RGBA of one layer: fill (lighter when estimated) and line. */
  function layerColours(spec, a) {
    const codes = typed(a["codes:" + spec.key], Int16Array);
    const estimated = a["estimated:" + spec.key];
    const fill = new Uint8Array(4 * geom.vertexBuilding.length);
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
    const result = {
      codes: codes,
      estimated: estimated,
      raster: null,
      fill: fill,
      fillFor: null,
      fillData: null,
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
    if (!basemap || !viewState) {
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
    let hidden = false;
    updateCull();
    const zoomedIn = viewState && viewState.zoom >= 15;
    const pictured = useRaster();
    for (const spec of args.layers) {
      if (spec.off && !switchedOn[spec.key]) {
        continue;
      }
      const c = colours[spec.key];
      if (!spec.outline && pictured) {
        // One building drawn as a polygon under the picture keeps the
        // polygon shaders (drawing and picking) compiled and ready: zooming
        // in to polygons then stalled a frame 50 ms less (CPU renderer,
        // 100.000 buildings).
        fills.push(new lib.SolidPolygonLayer(Object.assign({}, common, {
          id: "warm-" + spec.key,
          data: warmData(c),
          _normalize: false,
          pickable: true,
        })));
        const picture = raster(spec, c);
        fills.push(new lib.BitmapLayer({
          id: "picture-" + spec.key,
          image: picture.image,
          bounds: picture.bounds,
          textureParameters: {minFilter: "linear", magFilter: "linear"},
        }));
      }
      if (!spec.outline && !pictured) {
        fills.push(new lib.SolidPolygonLayer(Object.assign({}, common, {
          id: "fill-" + spec.key,
          data: fillData(c),
          _normalize: false,
          pickable: true,
        })));
      }
      const data = spec.outline || zoomedIn ? lineData(spec, c) : null;
      if (!data) {
        hidden = hidden || spec.outline;
        continue;
      }
      lines.push(new lib.PathLayer(Object.assign({}, common, {
        id: "line-" + spec.key,
        data: data,
        _pathType: "open",
        widthUnits: "pixels",
        getWidth: spec.width,
        pickable: spec.outline,
      })));
    }
    hintEl.textContent = hidden ? args.labels.zoom : "";
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
      const polygons = info.layer.props.data.polygons;
      return geom.polygonBuilding[polygons ? polygons[info.index] : info.index];
    }
    if (id.startsWith("line-")) {
      return info.layer.props.data.buildings[info.index];
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
  function report() {
    post("streamlit:setComponentValue", {value: Object.assign({}, value), dataType: "json"});
  }

  function render(a) {
    marks.render = marks.render || Date.now();
    if (!a.positions && (!geom || geom.key !== a.geometry_key)) {
      // The server thinks we hold a geometry we do not have: ask for it.
      if (askedFor !== a.geometry_key) {
        askedFor = a.geometry_key;
        value.a += 1;
        report();
      }
      return;
    }
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
      lineCache = {};
      cullBox = null;
      marks.colours = Date.now();
    }
    document.getElementById("attribution").textContent = a.basemap ? a.basemap.attribution : "";
    document.getElementById("title").textContent = a.title || "";
    renderToggles();
    const centre = JSON.stringify(a.center);
    if (!deckgl) {
      viewState = a.center ? {longitude: a.center[1], latitude: a.center[0], zoom: BUILDING_ZOOM,
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
            value.i = b;
            value.n += 1;
            report();
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
        {longitude: a.center[1], latitude: a.center[0], zoom: BUILDING_ZOOM}));
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
  /* Centre the map on building b (zoom 18); returns its pixel (x, y). */
  window.kkCentreOn = function (b) {
    const p = geom.polygonBuilding.indexOf(b);
    const start = geom.polygonStarts[p];
    const stop = geom.ringStarts[geom.ringStarts.indexOf(start) + 1];
    let x = 0, y = 0;
    for (let v = start; v < stop; v++) {
      x += geom.positions[2 * v];
      y += geom.positions[2 * v + 1];
    }
    const n = stop - start;
    setView(Object.assign({}, viewState, {longitude: args.origin[0] + x / n,
                                          latitude: args.origin[1] + y / n, zoom: BUILDING_ZOOM}));
    return [mapEl.clientWidth / 2, mapEl.clientHeight / 2];
  };

  window.addEventListener("message", function (event) {
    if (event.data && event.data.type === "streamlit:render") {
      render(event.data.args);
    }
  });
  post("streamlit:componentReady", {apiVersion: 1});
})();
