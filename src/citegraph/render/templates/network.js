/* The network page's behaviour. Every string shown comes from the web: it is set with
   textContent (or given to vis-network as a DOM element), never parsed as HTML. */
(function () {
  "use strict";
  var started = performance.now();
  var data = JSON.parse(document.getElementById("cg-data").textContent);
  var api = { ready: false, data: data, marks: { started: started, parsed: performance.now() } };
  window.citegraph = api;
  if (!data.nodes.length) {
    api.ready = true;
    return;
  }

  var DIM = { background: "#e6e6e6", border: "#d0d0d0" };
  var nodeById = new Map();
  var edgeById = new Map();
  var outEdges = new Map();
  var inEdges = new Map();
  data.nodes.forEach(function (n) {
    nodeById.set(n.id, n);
    outEdges.set(n.id, []);
    inEdges.set(n.id, []);
  });
  data.edges.forEach(function (e) {
    edgeById.set(e.id, e);
    outEdges.get(e.from).push(e);
    inEdges.get(e.to).push(e);
  });

  var KINDS = ["link", "mention", "syndication"];
  var OUTLET_KINDS = Object.keys(data.palette.kinds);
  var metaByName = new Map(data.meta.map(function (c) { return [c.name, c]; }));
  var maxWeight = data.edges.reduce(function (top, e) { return Math.max(top, e.weight); }, 0);
  var has = Object.prototype.hasOwnProperty;

  function defaults() {
    return {
      kinds: { link: true, mention: true, syndication: true }, minWeight: 1, from: "", until: "",
      community: "", outletKind: "", meta: Object.create(null), hideIsolated: false, sizeBy: data.sizeBy,
      colorBy: data.colorBy,
    };
  }
  var state = defaults();

  function attr(n, key) {
    if (key === "in_weight" || key === "out_weight" || key === "articles" || key === "kind" || key === "country") {
      return n[key];
    }
    if (key === "community") return n.community;
    if (n.m && has.call(n.m, key)) return n.m[key];
    if (n.meta && has.call(n.meta, key)) return n.meta[key];
    return undefined;
  }

  function valueLabel(value) {
    return value === undefined || value === null || value === "" ? "(none)" : String(value);
  }

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function httpHref(url) {
    // Only absolute http(s) URLs become links: javascript:, data: and the like stay text.
    if (!url) return null;
    try {
      var parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  function link(text, url) {
    var a = el("a", text || url || "(no URL)");
    var href = httpHref(url);
    if (href) {
      a.href = href;
      a.rel = "noopener noreferrer";
      a.target = "_blank";
    }
    return a;
  }

  function tooltip(lines) {
    var box = el("div", null, "cg-tip");
    lines.forEach(function (line) { box.appendChild(el("div", line)); });
    return box;
  }

  function num(n) { return typeof n === "number" ? n.toLocaleString("en-US") : n; }

  function plural(n, word) { return num(n) + " " + word + (n === 1 ? "" : "s"); }

  function nodeName(id) {
    var n = nodeById.get(id);
    return n ? n.name : id;
  }

  function nodeTooltip(n) {
    return tooltip([
      n.name,
      [n.id, n.kind.replace("_", " "), n.country].filter(Boolean).join(" \u00b7 "),
      "cited by " + plural(n.in_weight, "article") + ", cites in " + plural(n.out_weight, "article"),
    ]);
  }

  function edgeTooltip(e) {
    return tooltip([
      nodeName(e.from) + " \u2192 " + nodeName(e.to),
      plural(e.weight, "citing article") + " (link " + e.link + ", mention " + e.mention +
        ", syndication " + e.syndication + ")",
    ]);
  }

  function nodeColor(n) {
    return { background: n.color, border: "#555", highlight: { background: n.color, border: "#111" },
             hover: { background: n.color, border: "#111" } };
  }

  // -- colour and size: computed here too, so the page can change them
  function scheme(key) {
    var column = metaByName.get(key);
    if (column && column.type === "number") {
      return { type: "number", key: key, min: column.min, max: column.max };
    }
    var counts = new Map();
    data.nodes.forEach(function (n) {
      var value = key === "kind" ? n.kind : valueLabel(attr(n, key));
      counts.set(value, (counts.get(value) || 0) + 1);
    });
    // Outlets without a value come last, in grey, so no colour of the palette speaks for "unknown".
    var order = key === "kind"
      ? OUTLET_KINDS.filter(function (k) { return counts.has(k); })
      : Array.from(counts.keys()).sort(function (a, b) {
          return (a === "(none)") - (b === "(none)") || counts.get(b) - counts.get(a) || (a < b ? -1 : a > b ? 1 : 0);
        });
    var colors = new Map();
    order.forEach(function (value, i) {
      colors.set(value, key === "kind" ? data.palette.kinds[value]
        : i < data.palette.categories.length && value !== "(none)" ? data.palette.categories[i] : data.palette.rest);
    });
    return { type: "category", key: key, order: order, colors: colors, counts: counts };
  }

  function rampColor(t) {
    var stops = data.palette.ramp;
    var x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
    var i = Math.min(stops.length - 2, Math.floor(x));
    var a = parseInt(stops[i].slice(1), 16), b = parseInt(stops[i + 1].slice(1), 16), f = x - i;
    var mix = [16, 8, 0].map(function (shift) {
      var u = (a >> shift) & 255, v = (b >> shift) & 255;
      return Math.round(u + (v - u) * f);
    });
    return "#" + mix.map(function (c) { return (c < 16 ? "0" : "") + c.toString(16); }).join("");
  }

  function colorOf(n, sch) {
    if (sch.type === "number") {
      var v = attr(n, sch.key);
      if (typeof v !== "number") return data.palette.rest;
      return rampColor(sch.max > sch.min ? (v - sch.min) / (sch.max - sch.min) : 1);
    }
    return sch.colors.get(sch.key === "kind" ? n.kind : valueLabel(attr(n, sch.key))) || data.palette.rest;
  }

  function sizesBy(key) {
    var values = data.nodes.map(function (n) {
      var v = attr(n, key);
      return typeof v === "number" && isFinite(v) ? v : 0;
    });
    var low = values.reduce(function (m, v) { return Math.min(m, v); }, 0);  // negative metadata: shifted up
    var top = Math.sqrt(values.reduce(function (m, v) { return Math.max(m, v - low); }, 0));
    var lo = data.sizes[0], hi = data.sizes[1];
    return values.map(function (v) { return Math.round((lo + (hi - lo) * (top ? Math.sqrt(v - low) / top : 0)) * 100) / 100; });
  }

  function widthOf(w) {
    var lo = data.widths[0], hi = data.widths[1];
    // as the server does: one citing article is the thinnest line
    return Math.round((lo + (hi - lo) * (maxWeight > 1 ? Math.log(Math.max(w, 1)) / Math.log(maxWeight) : 0)) * 100) / 100;
  }

  // The first colours and sizes, before anything is drawn (a large graph is not drawn twice).
  var currentScheme = scheme(state.colorBy);
  var firstSizes = sizesBy(state.sizeBy);
  data.nodes.forEach(function (n, i) {
    n.color = colorOf(n, currentScheme);
    n.size = firstSizes[i];
  });

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var item = { id: n.id, label: n.label, size: n.size, color: nodeColor(n) };
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; }
    return item;
  }));
  // Edges are drawn here, on vis-network's canvas under the outlets, not by vis-network: it builds an
  // object with its own copy of every option for each edge and strokes each edge on its own, which at
  // 20,000 edges took most of a second to set up and a fifth of a second a frame. Here edges are stroked
  // by width (see strokeEdges), their arrow heads filled in one path.
  var EDGE_COLOR = "rgba(154, 165, 177, 0.85)";
  var EDGE_HOVER = "#555555";
  var EDGE_SELECTED = "#d62728";
  var HIT_PIXELS = 5;  // how near the pointer must come to an edge to hover or click it
  var pairOf = new Set(data.edges.map(function (e) { return e.from + "\u0000" + e.to; }));
  data.edges.forEach(function (e) {
    e.on = true;
    e.w = e.width;
    // When two outlets cite each other, both edges bend (each to its own right) so each can be seen and clicked.
    e.bent = e.from !== e.to && pairOf.has(e.to + "\u0000" + e.from);
  });
  var shownEdges = data.edges.slice();
  var selectedEdges = new Set();
  var hoveredEdge = null;
  // vis-network gets the edges only for physics, hidden: they are its springs, pulling citing and cited
  // outlets together. A large graph, drawn without physics, gets them if physics is switched on.
  function springs() {
    return data.edges.filter(function (e) { return e.from !== e.to; }).map(function (e) {
      return { id: e.id, from: e.from, to: e.to };
    });
  }
  var visEdges = new vis.DataSet(data.physics ? springs() : []);

  var options = {
    autoResize: true,
    nodes: {
      shape: "dot",
      borderWidth: 1,
      font: { size: 14, color: "#222", strokeWidth: 3, strokeColor: "#ffffff" },
    },
    edges: { hidden: true, smooth: false, physics: true },
    physics: {
      enabled: data.physics,
      solver: "forceAtlas2Based",
      // Stronger repulsion and room around each outlet than vis-network's defaults: the edges are straight
      // springs, and dense citation graphs otherwise pile outlets on top of one another.
      forceAtlas2Based: { gravitationalConstant: -120, springLength: 150, avoidOverlap: 0.3 },
      stabilization: { iterations: 300, fit: true },
    },
    interaction: { hover: true, selectConnectedEdges: false },
    // vis-network's improved layout only sees the edges it draws, and it draws none here
    layout: { improvedLayout: false, randomSeed: data.seed },
  };
  var container = document.getElementById("cg-network");
  api.marks.datasets = performance.now();
  var network = new vis.Network(container, { nodes: nodes, edges: visEdges }, options);
  api.marks.network = performance.now();
  api.network = network;
  api.nodes = nodes;
  var drawnCount = 0;

  // The geometry of an edge on the canvas: where it starts and ends (at the cited outlet's rim, where
  // the arrow head's tip is), its bend, or the loop of an outlet citing itself.
  function geometry(e, places) {
    var a = places[e.from], b = places[e.to];
    if (!a || !b) return null;
    if (e.from === e.to) {
      var r = Math.max(10, a.options.size * 0.9);
      return { loop: true, cx: a.x + a.options.size * 0.7, cy: a.y - a.options.size * 0.7, r: r };
    }
    var dx = b.x - a.x, dy = b.y - a.y, length = Math.sqrt(dx * dx + dy * dy) || 1;
    var g = { x0: a.x, y0: a.y };
    var ux = dx / length, uy = dy / length;
    if (e.bent) {
      g.bent = true;
      g.cx = (a.x + b.x) / 2 - uy * length * 0.15;
      g.cy = (a.y + b.y) / 2 + ux * length * 0.15;
      var ex = b.x - g.cx, ey = b.y - g.cy, l2 = Math.sqrt(ex * ex + ey * ey) || 1;
      ux = ex / l2;
      uy = ey / l2;
    }
    var rim = b.options.size + 1;
    g.x1 = b.x - ux * rim;
    g.y1 = b.y - uy * rim;
    g.ux = ux;
    g.uy = uy;
    return g;
  }

  function arrowLength(width) { return 9 + 3 * width; }

  function tracePath(ctx, g, width) {
    if (g.loop) {
      ctx.moveTo(g.cx + g.r, g.cy);
      ctx.arc(g.cx, g.cy, g.r, 0, 2 * Math.PI);
      return;
    }
    var back = arrowLength(width) * 0.9;  // the line stops inside the head, so its end does not show
    ctx.moveTo(g.x0, g.y0);
    if (g.bent) ctx.quadraticCurveTo(g.cx, g.cy, g.x1 - g.ux * back, g.y1 - g.uy * back);
    else ctx.lineTo(g.x1 - g.ux * back, g.y1 - g.uy * back);
  }

  function traceArrow(ctx, g, width) {
    if (g.loop) return;
    var length = arrowLength(width), half = length * 0.4;
    var bx = g.x1 - g.ux * length, by = g.y1 - g.uy * length;
    ctx.moveTo(g.x1, g.y1);
    ctx.lineTo(bx - g.uy * half, by + g.ux * half);
    ctx.lineTo(bx + g.uy * half, by - g.ux * half);  // fill() closes each head
  }

  // Thin lines go into one path; lines wider than WIDE_PIXELS on screen are stroked one by one, which
  // a software rasteriser does several times faster than one path of wide, crossing lines.
  var WIDE_PIXELS = 2.5;

  function strokeEdges(ctx, list, width, color, places, scale) {
    var shapes = [];
    var alone = width * Math.abs(scale || 1) > WIDE_PIXELS;
    ctx.lineWidth = width;
    ctx.strokeStyle = color;
    ctx.beginPath();
    list.forEach(function (e) {
      var g = geometry(e, places);
      if (!g) return;
      shapes.push(g);
      if (alone) ctx.beginPath();
      tracePath(ctx, g, width);
      if (alone) ctx.stroke();
    });
    if (!alone) ctx.stroke();
    ctx.beginPath();
    shapes.forEach(function (g) { traceArrow(ctx, g, width); });
    ctx.fillStyle = color;
    ctx.fill();
    return shapes.length;
  }

  // ``list`` stroked a width at a time, each edge ``extra`` wider than its own; how many were drawn.
  function strokeByWidth(ctx, list, extra, color, places, scale) {
    var groups = new Map();
    list.forEach(function (e) {
      var group = groups.get(e.w);
      if (!group) groups.set(e.w, (group = []));
      group.push(e);
    });
    var count = 0;
    groups.forEach(function (group, width) { count += strokeEdges(ctx, group, width + extra, color, places, scale); });
    return count;
  }

  // Edges in their usual colour are drawn into a layer of their own, kept while the view, the outlets'
  // places and sizes, and the filters stay as they are: a click or a hover then costs one copy of that
  // layer and the few edges it lights up, not every edge again (about 60 ms a frame at 20,000 edges).
  var layer = document.createElement("canvas");
  var layerKey = "";
  var layerCount = 0;
  var layerVersion = 0;  // moved on when the edges shown, their widths or the outlets' sizes change
  var layerPlaces = new Float64Array(0);  // where the outlets were when the layer was drawn
  var layerDraws = 0;
  var dragged = new Set();  // outlets being dragged: their edges are drawn live, over the layer

  // Whether the outlets (all but those dragged) are where they were when the layer was drawn.
  function placesSame(places) {
    var ids = network.body.nodeIndices;
    if (layerPlaces.length !== 2 * ids.length) return false;
    for (var i = 0; i < ids.length; i++) {
      var n = places[ids[i]];
      if (!dragged.has(ids[i]) && (layerPlaces[2 * i] !== n.x || layerPlaces[2 * i + 1] !== n.y)) return false;
    }
    return true;
  }

  function rememberPlaces(places) {
    var ids = network.body.nodeIndices;
    layerPlaces = new Float64Array(2 * ids.length);
    for (var i = 0; i < ids.length; i++) {
      layerPlaces[2 * i] = places[ids[i]].x;
      layerPlaces[2 * i + 1] = places[ids[i]].y;
    }
  }

  function drawLayer(transform, places) {
    var ctx = layer.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, layer.width, layer.height);
    ctx.setTransform(transform);
    ctx.lineCap = "butt";
    var still = !dragged.size ? shownEdges
      : shownEdges.filter(function (e) { return !dragged.has(e.from) && !dragged.has(e.to); });
    layerDraws += 1;
    return strokeByWidth(ctx, still, 0, EDGE_COLOR, places, transform.a);
  }

  // While the reader pans or zooms, the layer is moved and scaled as a picture (parts that come into
  // view stay bare) and drawn afresh once the view has been still for MOVE_SETTLE ms: redrawing 20,000
  // edges on every step of a drag would make it stutter.
  var MOVE_SETTLE = 200;
  var lastMove = -Infinity;
  var settleTimer = null;
  var layerTransform = null;

  function viewMoved(params) {
    if (params && params.nodes && params.nodes.length) return;  // an outlet dragged: its edges follow it
    lastMove = performance.now();
    clearTimeout(settleTimer);
    settleTimer = setTimeout(requestRedraw, MOVE_SETTLE + 20);
  }
  network.on("dragging", viewMoved);
  network.on("zoom", viewMoved);
  network.on("dragStart", function (params) {
    if (!params.nodes.length) return;
    dragged = new Set(params.nodes.map(String).filter(function (id) { return nodeById.has(id); }));
    requestRedraw();
  });
  network.on("dragEnd", function () {
    if (!dragged.size) return;
    dragged = new Set();
    requestRedraw();
  });

  function drawEdges(ctx) {
    var places = network.body.nodes;
    var canvas = ctx.canvas;
    var t = ctx.getTransform();
    var content = [canvas.width, canvas.height, layerVersion, Array.from(dragged).join("\u0000")].join(" ");
    var key = [content, t.a, t.b, t.c, t.d, t.e, t.f].join(" ");
    var placed = placesSame(places);
    ctx.save();
    if (key === layerKey && placed) {
      ctx.setTransform(1, 0, 0, 1, 0, 0);
    } else if (placed && layerKey.indexOf(content + " ") === 0 && performance.now() - lastMove < MOVE_SETTLE) {
      ctx.setTransform(t.multiply(layerTransform.inverse()));  // the view moved, nothing else
    } else {
      rememberPlaces(places);
      if (layer.width !== canvas.width || layer.height !== canvas.height) {
        layer.width = canvas.width;
        layer.height = canvas.height;
      }
      layerCount = drawLayer(t, places);
      layerKey = key;
      layerTransform = t;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
    }
    ctx.drawImage(layer, 0, 0);
    ctx.restore();
    // on top: the edges selected, and the one under the pointer
    ctx.save();
    ctx.lineCap = "butt";
    var liveCount = 0;
    if (dragged.size) {  // the edges of outlets being dragged, which the layer leaves out
      var live = new Map();  // by id: an edge between two dragged outlets is drawn once
      dragged.forEach(function (id) {
        outEdges.get(id).concat(inEdges.get(id)).forEach(function (e) {
          if (e.on && !selectedEdges.has(e.id)) live.set(e.id, e);
        });
      });
      liveCount = strokeByWidth(ctx, Array.from(live.values()), 0, EDGE_COLOR, places, t.a);
    }
    var lit = [];
    selectedEdges.forEach(function (id) {
      var e = edgeById.get(id);
      if (e && e.on) lit.push(e);
    });
    strokeByWidth(ctx, lit, 2, EDGE_SELECTED, places, t.a);
    var hovered = hoveredEdge === null ? null : edgeById.get(hoveredEdge);
    if (hovered && hovered.on && !selectedEdges.has(hovered.id)) {
      strokeEdges(ctx, [hovered], hovered.w + 1, EDGE_HOVER, places, t.a);
    }
    ctx.restore();
    drawnCount = layerCount + liveCount;
  }
  network.on("beforeDrawing", drawEdges);
  network.once("afterDrawing", function () {
    api.ready = true;
    api.marks.drawn = performance.now();
  });

  // network.redraw() draws at once, so two changes in one event (a selection, then the greying) would
  // draw two frames: this asks for vis-network's next frame instead, once however often it is asked.
  function requestRedraw() {
    network.body.emitter.emit("_requestRedraw");
  }

  // The edge under a point of the canvas (in the network's coordinates), or null.
  function distanceToSegment(px, py, x0, y0, x1, y1) {
    var dx = x1 - x0, dy = y1 - y0, l2 = dx * dx + dy * dy;
    var t = l2 ? Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / l2)) : 0;
    var qx = x0 + t * dx - px, qy = y0 + t * dy - py;
    return Math.sqrt(qx * qx + qy * qy);
  }

  function distanceTo(g, px, py) {
    if (g.loop) return Math.abs(Math.sqrt((px - g.cx) * (px - g.cx) + (py - g.cy) * (py - g.cy)) - g.r);
    if (!g.bent) return distanceToSegment(px, py, g.x0, g.y0, g.x1, g.y1);
    var best = Infinity, lx = g.x0, ly = g.y0;
    for (var i = 1; i <= 12; i++) {
      var t = i / 12, s = 1 - t;
      var x = s * s * g.x0 + 2 * s * t * g.cx + t * t * g.x1, y = s * s * g.y0 + 2 * s * t * g.cy + t * t * g.y1;
      best = Math.min(best, distanceToSegment(px, py, lx, ly, x, y));
      lx = x;
      ly = y;
    }
    return best;
  }

  function edgeAt(point) {
    var places = network.body.nodes;
    var reach = HIT_PIXELS / network.getScale();
    var best = null, bestDistance = Infinity;
    shownEdges.forEach(function (e) {
      var g = geometry(e, places);
      if (!g) return;
      var d = distanceTo(g, point.x, point.y) - e.w / 2;
      if (d <= reach && d < bestDistance) {
        best = e.id;
        bestDistance = d;
      }
    });
    return best;
  }

  function selectEdges(ids) {
    selectedEdges = new Set(ids);
    requestRedraw();
  }

  // Tooltips, for outlets and edges alike: one box of this page's, filled when the pointer comes to
  // rest on something (vis-network's own would need the outlets' data updated, which costs a redraw of
  // every outlet). The edge under the pointer is drawn darker.
  var tip = el("div", null, "cg-tooltip");
  tip.hidden = true;
  tip.setAttribute("role", "tooltip");
  container.appendChild(tip);
  var tipFor = null;
  var tipAt = null;  // where the pointer was when the tooltip was filled
  var pointer = null;
  var HOVER_REST = 80;  // ms the pointer must rest before what is under it is looked for
  var restTimer = null;

  function hoverAt() {
    restTimer = null;
    var nodeId, edgeId = null;
    if (pointer) {
      nodeId = network.getNodeAt(pointer);
      if (nodeId === undefined) edgeId = edgeAt(network.DOMtoCanvas(pointer));
    }
    if (edgeId !== hoveredEdge) {
      hoveredEdge = edgeId;
      requestRedraw();
    }
    var what = nodeId !== undefined ? "n" + nodeId : edgeId !== null ? "e" + edgeId : null;
    if (what !== tipFor) {
      tipFor = what;
      tip.replaceChildren();
      if (nodeId !== undefined) tip.appendChild(nodeTooltip(nodeById.get(nodeId)));
      else if (edgeId !== null) tip.appendChild(edgeTooltip(edgeById.get(edgeId)));
    }
    tip.hidden = what === null;
    tipAt = what === null ? null : { x: pointer.x, y: pointer.y };
    if (what !== null) {
      tip.style.left = Math.max(0, Math.min(pointer.x + 12, container.clientWidth - tip.offsetWidth - 4)) + "px";
      tip.style.top = Math.max(0, Math.min(pointer.y + 12, container.clientHeight - tip.offsetHeight - 4)) + "px";
    }
    container.style.cursor = what === null ? "" : "pointer";
  }
  // Looking for the edge under the pointer goes through every edge shown: it is done once the pointer
  // rests, and not while a button is held (the view or an outlet is being dragged).
  container.addEventListener("mousemove", function (event) {
    var box = container.getBoundingClientRect();
    clearTimeout(restTimer);
    pointer = event.buttons ? null : { x: event.clientX - box.left, y: event.clientY - box.top };
    if (pointer) restTimer = setTimeout(hoverAt, HOVER_REST);
    // a tooltip shown for somewhere else goes at once; the one for here comes when the pointer rests
    if (!pointer || (tipAt && Math.abs(tipAt.x - pointer.x) + Math.abs(tipAt.y - pointer.y) > 3)) hideTip();
    if (!pointer && hoveredEdge !== null) hoverAt();  // a drag: the edge is no longer hovered
  });
  container.addEventListener("mouseleave", function () {
    clearTimeout(restTimer);
    pointer = null;
    hoverAt();
  });

  function hideTip() {
    tipFor = null;
    tipAt = null;
    tip.hidden = true;
    tip.replaceChildren();
  }

  function forgetHover() {
    // What was under the pointer may have gone (filtered out): look again.
    hideTip();
    if (pointer) hoverAt();
  }

  var panel = document.getElementById("cg-panel");
  var panelBody = document.getElementById("cg-panel-body");

  function openPanel() {
    // the panel now says what the tooltip said: no tooltip over it until the pointer moves on
    clearTimeout(restTimer);
    hideTip();
    panelBody.replaceChildren();
    panel.hidden = false;
    return panelBody;
  }

  function closePanel() {
    panel.hidden = true;
    panelBody.replaceChildren();
    unhighlight();
    if (selectedEdges.size) selectEdges([]);
  }

  function facts(rows) {
    var dl = el("dl");
    rows.forEach(function (row) {
      dl.appendChild(el("dt", row[0]));
      dl.appendChild(el("dd", row[1] === "" || row[1] === undefined ? "\u2014" : num(row[1])));
    });
    return dl;
  }

  function edgeList(list, other) {
    if (!list.length) return el("p", "none", "cg-muted");
    var ol = el("ol");
    list.slice().sort(function (a, b) { return b.weight - a.weight; }).slice(0, 10).forEach(function (e) {
      var button = el("button", nodeName(other(e)) + " \u2014 " + plural(e.weight, "article"));
      button.type = "button";
      button.addEventListener("click", function () { showEdge(e.id); });
      var li = el("li");
      li.appendChild(button);
      ol.appendChild(li);
    });
    return ol;
  }

  // Outlets greyed out around the one shown. Above DIM_MAX outlets nothing is greyed: recolouring
  // thousands of outlets on every click would make clicks slow, and the selection already lights up
  // the chosen outlet's edges.
  var DIM_MAX = 1000;
  var dimmed = new Set();

  function highlight(id) {
    if (data.nodes.length > DIM_MAX) return;
    var keep = new Set([id]);
    outEdges.get(id).forEach(function (e) { keep.add(e.to); });
    inEdges.get(id).forEach(function (e) { keep.add(e.from); });
    var updates = [];
    data.nodes.forEach(function (n) {
      var dim = !keep.has(n.id);
      if (dim === dimmed.has(n.id)) return;
      if (dim) dimmed.add(n.id);
      else dimmed.delete(n.id);
      updates.push({ id: n.id, color: dim ? DIM : nodeColor(n), font: { color: dim ? "#bbbbbb" : "#222" } });
    });
    if (updates.length) nodes.update(updates);
  }

  function unhighlight() {
    if (!dimmed.size) return;
    nodes.update(Array.from(dimmed, function (id) {
      return { id: id, color: nodeColor(nodeById.get(id)), font: { color: "#222" } };
    }));
    dimmed.clear();
  }

  function showNode(id, selected) {
    var n = nodeById.get(id);
    if (!n) return false;
    highlight(id);
    if (!selected) network.selectNodes([id]);
    selectEdges(outEdges.get(id).concat(inEdges.get(id)).map(function (e) { return e.id; }));
    var body = openPanel();
    body.appendChild(el("h2", n.name));
    body.appendChild(facts([
      ["id", n.id], ["kind", n.kind.replace("_", " ")], ["country", n.country],
      ["articles seen", n.articles], ["cited by (in weight)", n.in_weight], ["cites (out weight)", n.out_weight],
    ].concat(n.community === undefined ? [] : [["community", n.community]])
      .concat(Object.keys(n.m || {}).map(function (k) { return [k.replace("_", " "), n.m[k]]; }))));
    if (n.meta) {
      body.appendChild(el("h3", "Metadata"));
      body.appendChild(facts(Object.keys(n.meta).map(function (k) { return [k, valueLabel(n.meta[k])]; })));
    }
    if (!nodeShown.get(id)) body.appendChild(el("p", "Hidden by the filters.", "cg-muted"));
    body.appendChild(el("h3", "Top cited outlets"));
    body.appendChild(edgeList(outEdges.get(id), function (e) { return e.to; }));
    body.appendChild(el("h3", "Top citing outlets"));
    body.appendChild(edgeList(inEdges.get(id), function (e) { return e.from; }));
    return true;
  }

  function evidenceItem(ev) {
    var box = el("div", null, "cg-evidence");
    var head = el("div");
    head.appendChild(el("span", ev.kind || "citation", "cg-kind"));
    if (ev.published_at) head.appendChild(el("span", " " + ev.published_at, "cg-muted"));
    box.appendChild(head);
    var citing = el("div", "Citing article: ");
    citing.appendChild(link(ev.article_title || ev.article_url, ev.article_url));
    box.appendChild(citing);
    var cited = el("div", "Cited URL: ");
    if (ev.target_url) cited.appendChild(link(ev.target_url, ev.target_url));
    else cited.appendChild(el("span", "none (a mention without a link)", "cg-muted"));
    box.appendChild(cited);
    if (ev.anchor_text) box.appendChild(el("div", "Anchor text: " + ev.anchor_text));
    if (ev.context) box.appendChild(el("blockquote", ev.context));
    return box;
  }

  function showEdge(id) {
    var e = edgeById.get(id);
    if (!e) return false;
    highlight(e.from);
    network.unselectAll();
    selectEdges([id]);
    var body = openPanel();
    body.appendChild(el("h2", nodeName(e.from) + " \u2192 " + nodeName(e.to)));
    body.appendChild(facts([
      ["citing articles", e.weight], ["links", e.link], ["mentions", e.mention],
      ["syndication", e.syndication], ["first seen", e.first_seen], ["last seen", e.last_seen],
    ]));
    body.appendChild(el("h3", "Evidence"));
    if (e.evidence_total > e.evidence.length) {
      body.appendChild(el("p", "Showing " + num(e.evidence.length) + " of " + num(e.evidence_total) +
        " items; citations.csv has every citation.", "cg-muted cg-capped"));
    }
    if (!e.evidence.length) body.appendChild(el("p", "No evidence stored for this edge.", "cg-muted"));
    e.evidence.forEach(function (ev) { body.appendChild(evidenceItem(ev)); });
    return true;
  }

  function normalQuery(text) {
    return text.trim().toLowerCase().replace(/^[a-z]+:\/\//, "").replace(/^www\./, "").replace(/\/.*$/, "");
  }

  function findNode(query) {
    var q = query.trim().toLowerCase();
    if (!q) return null;
    var host = normalQuery(query);
    var tests = [
      function (n) { return n.id.toLowerCase() === q || n.id.toLowerCase() === host; },
      function (n) { return n.name.toLowerCase() === q; },
      function (n) { return n.name.toLowerCase().indexOf(q) >= 0; },
      function (n) { return host && n.id.toLowerCase().indexOf(host) >= 0; },
    ];
    for (var i = 0; i < tests.length; i++) {
      var hit = data.nodes.find(tests[i]);
      if (hit) return hit.id;
    }
    return null;
  }

  var status = document.getElementById("cg-search-status");

  function search(query) {
    var id = findNode(query);
    status.textContent = id === null ? "No outlet matches \u201c" + query + "\u201d" : "";
    if (id === null) return null;
    network.focus(id, { scale: 1.2, animation: { duration: 300 } });
    showNode(id);
    return id;
  }

  function setPhysics(on) {
    if (on && !visEdges.length) visEdges.add(springs());
    network.setOptions({ physics: { enabled: Boolean(on) } });
    document.getElementById("cg-physics").checked = Boolean(on);
  }

  var names = document.getElementById("cg-names");
  data.nodes.slice(0, 5000).forEach(function (n) {
    var option = document.createElement("option");
    option.value = n.name;
    names.appendChild(option);
  });

  document.getElementById("cg-search-form").addEventListener("submit", function (event) {
    event.preventDefault();
    search(document.getElementById("cg-search").value);
  });
  document.getElementById("cg-physics").addEventListener("change", function (event) {
    setPhysics(event.target.checked);
  });
  document.getElementById("cg-panel-close").addEventListener("click", closePanel);
  network.on("click", function (params) {
    // vis-network has selected the outlet clicked already; edges are this page's to find.
    if (params.nodes.length) {
      showNode(params.nodes[0], true);
      return;
    }
    var edge = edgeAt(params.pointer.canvas);
    if (edge !== null) showEdge(edge);
    else closePanel();
  });

  // -- filters
  var nodeShown = new Map(data.nodes.map(function (n) { return [n.id, true]; }));

  function edgeWeight(e) {
    var all = state.kinds.link && state.kinds.mention && state.kinds.syndication;
    if (state.from || state.until) {
      // Citing articles of the window, by kind: an article that cites in two ways counts twice.
      var sum = 0;
      (e.months || []).forEach(function (row) {
        var month = data.months[row[0]];
        if ((state.from && month < state.from) || (state.until && month > state.until)) return;
        KINDS.forEach(function (kind, i) { if (state.kinds[kind]) sum += row[i + 1]; });
      });
      return sum;
    }
    // An edge whose citations have no kind (a graph made elsewhere) is not for the kind boxes to hide.
    if (all || !(e.link || e.mention || e.syndication)) return e.weight;
    return KINDS.reduce(function (sum, kind) { return sum + (state.kinds[kind] ? e[kind] : 0); }, 0);
  }

  function nodePasses(n) {
    if (state.community !== "" && String(n.community) !== state.community) return false;
    if (state.outletKind && n.kind !== state.outletKind) return false;
    var names = Object.keys(state.meta);
    for (var i = 0; i < names.length; i++) {
      var rule = state.meta[names[i]];
      var value = n.meta && has.call(n.meta, names[i]) ? n.meta[names[i]] : undefined;
      if (rule.type === "category" && rule.value !== "" && valueLabel(value) !== rule.value) return false;
      if (rule.type === "text" && rule.text && valueLabel(value).toLowerCase().indexOf(rule.text.toLowerCase()) < 0) {
        return false;
      }
      if (rule.type === "number" && (rule.min !== "" || rule.max !== "")) {
        if (typeof value !== "number") return false;
        if (rule.min !== "" && value < Number(rule.min)) return false;
        if (rule.max !== "" && value > Number(rule.max)) return false;
      }
    }
    return true;
  }

  var shownLine = document.getElementById("cg-shown");

  function apply() {
    var pass = new Map(data.nodes.map(function (n) { return [n.id, nodePasses(n)]; }));
    var linked = new Set();
    shownEdges = [];
    data.edges.forEach(function (e) {
      var w = edgeWeight(e);
      e.on = w > 0 && w >= state.minWeight && pass.get(e.from) && pass.get(e.to);
      if (!e.on) return;
      e.w = widthOf(w);
      shownEdges.push(e);
      linked.add(e.from);
      linked.add(e.to);
    });
    var edgeCount = shownEdges.length;
    layerVersion += 1;
    var nodeUpdates = [];
    var nodeCount = 0;
    data.nodes.forEach(function (n) {
      var on = pass.get(n.id) && (!state.hideIsolated || linked.has(n.id));
      if (on) nodeCount += 1;
      if (nodeShown.get(n.id) !== on) {
        nodeUpdates.push({ id: n.id, hidden: !on });
        nodeShown.set(n.id, on);
      }
    });
    if (nodeUpdates.length) nodes.update(nodeUpdates);
    if (hoveredEdge !== null && !edgeById.get(hoveredEdge).on) hoveredEdge = null;
    forgetHover();
    requestRedraw();
    api.shown = { nodes: nodeCount, edges: edgeCount };
    shownLine.textContent = nodeCount === data.nodes.length && edgeCount === data.edges.length ? ""
      : "filtered: " + plural(nodeCount, "outlet") + " of " + data.nodes.length + ", " +
        plural(edgeCount, "citation edge") + " of " + data.edges.length;
    return api.shown;
  }

  // -- style: sizes, colours and the legend
  var legendItems = document.getElementById("cg-legend-items");
  var legendSize = document.getElementById("cg-legend-size");

  function swatch(color) {
    var span = el("span", null, "cg-swatch");
    span.style.background = color;
    return span;
  }

  function legendRows(sch) {
    if (sch.type === "number") {
      return [{ ramp: true, low: sch.min, high: sch.max }];
    }
    var rows = [];
    var rest = 0;
    sch.order.forEach(function (value) {
      var color = sch.colors.get(value);
      if (sch.key !== "kind" && color === data.palette.rest && value !== "(none)") rest += sch.counts.get(value);
      else rows.push({ label: sch.key === "kind" ? value.replace("_", " ") : value, color: color, n: sch.counts.get(value) });
    });
    if (rest) {
      var none = rows.length && rows[rows.length - 1].label === "(none)" ? rows.pop() : null;
      rows.push({ label: "other values", color: data.palette.rest, n: rest });
      if (none) rows.push(none);
    }
    return rows;
  }

  function drawLegend(sch) {
    legendItems.replaceChildren();
    legendRows(sch).forEach(function (row) {
      var li = el("li");
      if (row.ramp) {
        var bar = el("span", null, "cg-ramp");
        bar.style.background = "linear-gradient(to right, " + data.palette.ramp.join(", ") + ")";
        var ends = el("span", null, "cg-ramp-ends");
        ends.appendChild(el("span", row.low));
        ends.appendChild(el("span", row.high));
        li.appendChild(el("div", sch.key));
        li.appendChild(bar);
        li.appendChild(ends);
      } else {
        li.appendChild(swatch(row.color));
        li.appendChild(document.createTextNode(row.label + " (" + row.n + ")"));
      }
      legendItems.appendChild(li);
    });
    legendSize.textContent = "Node size: " + state.sizeBy + " (square-root scale).";
    fitControls();
  }

  // The controls stop above the legend; in a small frame (the report's) they start folded.
  var controls = document.getElementById("cg-controls");
  var legendBox = document.getElementById("cg-legend");
  if (window.innerHeight < 600) controls.open = false;

  function fitControls() {
    controls.style.maxHeight = Math.max(60, legendBox.offsetTop - controls.offsetTop - 10) + "px";
  }
  window.addEventListener("resize", fitControls);

  function restyle() {
    layerVersion += 1;  // edges end at the outlets' rims
    currentScheme = scheme(state.colorBy);
    var sizes = sizesBy(state.sizeBy);
    nodes.update(data.nodes.map(function (n, i) {
      n.color = colorOf(n, currentScheme);
      n.size = sizes[i];
      var dim = dimmed.has(n.id);
      return { id: n.id, color: dim ? DIM : nodeColor(n), size: n.size };
    }));
    drawLegend(currentScheme);
  }

  // -- the controls, built from the data (names and values are text, never markup)
  var form = document.getElementById("cg-filters");

  function option(select, value, text, selected) {
    var o = el("option", text);
    o.value = value;
    if (selected) o.selected = true;
    select.appendChild(o);
  }

  function countBy(key) {
    var counts = new Map();
    data.nodes.forEach(function (n) {
      var v = attr(n, key);
      if (v !== undefined) counts.set(v, (counts.get(v) || 0) + 1);
    });
    return counts;
  }

  var kindBoxes = {};
  var kindSet = document.getElementById("cg-kinds");
  KINDS.forEach(function (kind) {
    var edgesOfKind = data.edges.filter(function (e) { return e[kind] > 0; }).length;
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.name = kind;
    kindBoxes[kind] = box;
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + kind + " (" + plural(edgesOfKind, "edge") + ")"));
    kindSet.appendChild(label);
  });
  var minWeight = document.getElementById("cg-min-weight");
  minWeight.max = String(Math.max(1, maxWeight));
  var from = document.getElementById("cg-from");
  var until = document.getElementById("cg-until");
  if (data.months.length) {
    document.getElementById("cg-dates").hidden = false;
    [from, until].forEach(function (input) {
      input.min = data.months[0];
      input.max = data.months[data.months.length - 1];
    });
  }
  var community = document.getElementById("cg-community");
  var communities = countBy("community");
  if (communities.size) {
    document.getElementById("cg-community-label").hidden = false;
    option(community, "", "all (" + communities.size + ")", true);
    Array.from(communities.keys()).sort(function (a, b) { return communities.get(b) - communities.get(a) || a - b; })
      .forEach(function (c) { option(community, String(c), "#" + c + " (" + plural(communities.get(c), "outlet") + ")"); });
  }
  var outletKind = document.getElementById("cg-outlet-kind");
  var kinds = countBy("kind");
  option(outletKind, "", "all", true);
  OUTLET_KINDS.filter(function (k) { return kinds.has(k); }).forEach(function (k) {
    option(outletKind, k, k.replace("_", " ") + " (" + kinds.get(k) + ")");
  });
  var metaInputs = Object.create(null);  // keyed by column names from the data: "__proto__" is a name too
  var metaBox = document.getElementById("cg-meta-filters");
  data.meta.forEach(function (column) {
    var label = el("label", column.name + " ");
    var inputs = {};
    if (column.type === "category") {
      var select = el("select");
      option(select, "", "all", true);
      column.values.forEach(function (v) { option(select, valueLabel(v), valueLabel(v)); });
      inputs.value = select;
      label.appendChild(select);
    } else if (column.type === "number") {
      var range = el("span", null, "cg-range");
      ["min", "max"].forEach(function (end) {
        var input = el("input");
        input.type = "number";
        input.step = "any";
        input.placeholder = end + " " + column[end];
        inputs[end] = input;
        range.appendChild(input);
      });
      label.appendChild(range);
    } else {
      var text = el("input");
      text.type = "text";
      text.placeholder = "contains";
      inputs.text = text;
      label.appendChild(text);
    }
    metaInputs[column.name] = { type: column.type, inputs: inputs };
    metaBox.appendChild(label);
  });
  var hideIsolated = document.getElementById("cg-hide-isolated");
  var sizeBy = document.getElementById("cg-size-by");
  var sizeOptions = data.sizeOptions.indexOf(data.sizeBy) < 0 ? data.sizeOptions.concat([data.sizeBy]) : data.sizeOptions;
  sizeOptions.forEach(function (key) { option(sizeBy, key, key.replace("_", " "), key === data.sizeBy); });
  var colorBy = document.getElementById("cg-color-by");
  var colorOptions = data.colorOptions.concat(data.meta.filter(function (c) { return c.type !== "text"; })
    .map(function (c) { return c.name; }));
  if (colorOptions.indexOf(data.colorBy) < 0) colorOptions.push(data.colorBy);
  colorOptions.forEach(function (key) { option(colorBy, key, key.replace("_", " "), key === data.colorBy); });

  function readControls() {
    KINDS.forEach(function (kind) { state.kinds[kind] = kindBoxes[kind].checked; });
    state.minWeight = Math.max(1, Number(minWeight.value) || 1);
    state.from = from.value;
    state.until = until.value;
    state.community = community.value;
    state.outletKind = outletKind.value;
    state.meta = Object.create(null);
    Object.keys(metaInputs).forEach(function (name) {
      var m = metaInputs[name];
      var rule = { type: m.type };
      Object.keys(m.inputs).forEach(function (k) { rule[k] = m.inputs[k].value; });
      state.meta[name] = rule;
    });
    state.hideIsolated = hideIsolated.checked;
    state.sizeBy = sizeBy.value;
    state.colorBy = colorBy.value;
  }

  function writeControls() {
    KINDS.forEach(function (kind) { kindBoxes[kind].checked = state.kinds[kind]; });
    minWeight.value = String(state.minWeight);
    from.value = state.from;
    until.value = state.until;
    community.value = state.community;
    outletKind.value = state.outletKind;
    Object.keys(metaInputs).forEach(function (name) {
      var rule = has.call(state.meta, name) ? state.meta[name] : {};
      var m = metaInputs[name];
      Object.keys(m.inputs).forEach(function (k) { m.inputs[k].value = rule[k] === undefined ? "" : String(rule[k]); });
    });
    hideIsolated.checked = state.hideIsolated;
    sizeBy.value = state.sizeBy;
    colorBy.value = state.colorBy;
  }

  function setView(changes) {
    // For scripts and tests: the same as using the controls. Unknown keys are refused.
    Object.keys(changes || {}).forEach(function (key) {
      if (!has.call(state, key)) throw new Error("unknown view setting: " + key);
      state[key] = key === "kinds" ? Object.assign({}, state.kinds, changes.kinds) : changes[key];
    });
    writeControls();
    readControls();
    restyle();
    return apply();
  }

  form.addEventListener("input", function () {
    var before = state.sizeBy + "\u0000" + state.colorBy;
    readControls();
    if (state.sizeBy + "\u0000" + state.colorBy !== before) restyle();
    apply();
  });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function (event) {
    event.preventDefault();
    state = defaults();
    writeControls();
    restyle();
    apply();
  });

  // -- the view as a PNG: the canvas on white, with the legend drawn in
  function pngDataUrl() {
    var canvas = container.querySelector("canvas");
    var out = document.createElement("canvas");
    out.width = canvas.width;
    out.height = canvas.height;
    var ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    ctx.drawImage(canvas, 0, 0);
    var scale = window.devicePixelRatio || 1;
    var rows = legendRows(currentScheme).slice(0, 14);
    ctx.font = Math.round(12 * scale) + "px sans-serif";
    ctx.textBaseline = "middle";
    var line = 16 * scale;
    var y = out.height - (rows.length + 0.5) * line;
    rows.forEach(function (row, i) {
      var cy = y + i * line;
      if (row.ramp) {
        var gradient = ctx.createLinearGradient(10 * scale, 0, 110 * scale, 0);
        data.palette.ramp.forEach(function (c, j) { gradient.addColorStop(j / (data.palette.ramp.length - 1), c); });
        ctx.fillStyle = gradient;
        ctx.fillRect(10 * scale, cy - 5 * scale, 100 * scale, 10 * scale);
        ctx.fillStyle = "#222222";
        ctx.fillText(currentScheme.key + ": " + row.low + " to " + row.high, 116 * scale, cy);
        return;
      }
      ctx.fillStyle = row.color;
      ctx.beginPath();
      ctx.arc(16 * scale, cy, 5 * scale, 0, 2 * Math.PI);
      ctx.fill();
      ctx.fillStyle = "#222222";
      ctx.fillText(row.label.slice(0, 60) + " (" + row.n + ")", 26 * scale, cy);
    });
    return out.toDataURL("image/png");
  }

  function savePNG() {
    var a = document.createElement("a");
    a.href = pngDataUrl();
    a.download = (document.title || "network").replace(/[^\w.-]+/g, "-").slice(0, 80) + ".png";
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  document.getElementById("cg-png").addEventListener("click", savePNG);

  drawLegend(currentScheme);
  apply();

  api.showNode = showNode;
  api.showEdge = showEdge;
  api.search = search;
  api.setPhysics = setPhysics;
  api.closePanel = closePanel;
  api.setView = setView;
  api.edgeAt = function (x, y) {
    // The edge under a point of the network's box (as edgePoint gives), or null.
    return edgeAt(network.DOMtoCanvas({ x: x, y: y }));
  };
  api.edgePoint = function (id, t) {
    // A point of an edge as drawn, in the network's box, ``t`` of the way along it (0.5 if not given;
    // around a loop, from its top): for scripts and tests.
    var e = edgeById.get(id);
    var g = e && geometry(e, network.body.nodes);
    if (!g) return null;
    t = t === undefined ? 0.5 : t;
    var s = 1 - t;
    var point = g.loop ? { x: g.cx + g.r * Math.sin(2 * Math.PI * t), y: g.cy - g.r * Math.cos(2 * Math.PI * t) }
      : g.bent ? { x: s * s * g.x0 + 2 * s * t * g.cx + t * t * g.x1, y: s * s * g.y0 + 2 * s * t * g.cy + t * t * g.y1 }
        : { x: s * g.x0 + t * g.x1, y: s * g.y0 + t * g.y1 };
    return network.canvasToDOM(point);
  };
  api.drawnEdges = function () {
    // ``drawn``: how many edges the picture of edges the last frame used holds; ``layers``: how many
    // times that picture was drawn so far; ``edges``: the edges the filters show now, with their
    // widths and whether they are selected.
    return { drawn: drawnCount, layers: layerDraws, edges: shownEdges.map(function (e) {
      return { id: e.id, from: e.from, to: e.to, width: e.w, selected: selectedEdges.has(e.id) };
    }) };
  };
  api.view = function () { return JSON.parse(JSON.stringify(state)); };
  api.legend = function () { return legendRows(currentScheme); };
  api.pngDataUrl = pngDataUrl;
  api.savePNG = savePNG;
})();
