/* The network page's behaviour. Every string shown comes from the web: it is set with
   textContent (or given to vis-network as a DOM element), never parsed as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("cg-data").textContent);
  var api = { ready: false, data: data };
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

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

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

  var nodes = new vis.DataSet(data.nodes.map(function (n) {
    var item = { id: n.id, label: n.label, size: n.size, color: nodeColor(n), title: nodeTooltip(n) };
    if (n.x !== undefined) { item.x = n.x; item.y = n.y; }
    return item;
  }));
  var edges = new vis.DataSet(data.edges.map(function (e) {
    return { id: e.id, from: e.from, to: e.to, width: e.width, title: edgeTooltip(e) };
  }));

  var options = {
    autoResize: true,
    nodes: {
      shape: "dot",
      borderWidth: 1,
      font: { size: 14, color: "#222", strokeWidth: 3, strokeColor: "#ffffff" },
    },
    edges: {
      arrows: { to: { enabled: true, scaleFactor: 0.6 } },
      color: { color: "#9aa5b1", highlight: "#d62728", hover: "#555555", opacity: 0.85 },
      smooth: data.physics ? { type: "dynamic" } : false,
      selectionWidth: 2,
    },
    physics: {
      enabled: data.physics,
      solver: "forceAtlas2Based",
      stabilization: { iterations: 200, fit: true },
    },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: !data.physics },
    layout: { improvedLayout: data.physics && data.nodes.length <= 100, randomSeed: data.seed },
  };
  var container = document.getElementById("cg-network");
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, options);
  api.network = network;
  api.nodes = nodes;
  api.edges = edges;
  network.once("afterDrawing", function () { api.ready = true; });

  var panel = document.getElementById("cg-panel");
  var panelBody = document.getElementById("cg-panel-body");

  function openPanel() {
    panelBody.replaceChildren();
    panel.hidden = false;
    return panelBody;
  }

  function closePanel() {
    panel.hidden = true;
    panelBody.replaceChildren();
    unhighlight();
  }

  function facts(rows) {
    var dl = el("dl");
    rows.forEach(function (row) {
      dl.appendChild(el("dt", row[0]));
      dl.appendChild(el("dd", row[1] === "" ? "\u2014" : row[1]));
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

  function highlight(id) {
    var keep = new Set(network.getConnectedNodes(id));
    keep.add(id);
    nodes.update(data.nodes.map(function (n) {
      var on = keep.has(n.id);
      return { id: n.id, color: on ? nodeColor(n) : DIM, font: { color: on ? "#222" : "#bbbbbb" } };
    }));
  }

  function unhighlight() {
    nodes.update(data.nodes.map(function (n) {
      return { id: n.id, color: nodeColor(n), font: { color: "#222" } };
    }));
  }

  function showNode(id) {
    var n = nodeById.get(id);
    if (!n) return false;
    highlight(id);
    network.selectNodes([id]);
    var body = openPanel();
    body.appendChild(el("h2", n.name));
    body.appendChild(facts([
      ["id", n.id], ["kind", n.kind.replace("_", " ")], ["country", n.country],
      ["articles seen", n.articles], ["cited by (in weight)", n.in_weight], ["cites (out weight)", n.out_weight],
    ]));
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
    network.selectEdges([id]);
    var body = openPanel();
    body.appendChild(el("h2", nodeName(e.from) + " \u2192 " + nodeName(e.to)));
    body.appendChild(facts([
      ["citing articles", e.weight], ["links", e.link], ["mentions", e.mention],
      ["syndication", e.syndication], ["first seen", e.first_seen], ["last seen", e.last_seen],
    ]));
    var heading = "Evidence";
    if (e.evidence_total > e.evidence.length) heading += " (" + e.evidence.length + " of " + e.evidence_total + ")";
    body.appendChild(el("h3", heading));
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
    if (params.nodes.length) showNode(params.nodes[0]);
    else if (params.edges.length) showEdge(params.edges[0]);
    else closePanel();
  });

  api.showNode = showNode;
  api.showEdge = showEdge;
  api.search = search;
  api.setPhysics = setPhysics;
  api.closePanel = closePanel;
})();
