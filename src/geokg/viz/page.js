// geokg graph page: a small force layout drawn as SVG, written for geokg (no libraries).
// Reads the graph from <script id="graph-data">, lays it out once, then lets the reader
// drag nodes, pan, zoom, hide node types, and read the evidence of a node or edge.
(function () {
  "use strict";
  var SVG_NS = "http://www.w3.org/2000/svg";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var svg = document.getElementById("graph");
  var details = document.getElementById("details");
  var stats = document.getElementById("stats");
  var colours = {};
  data.types.forEach(function (t) { colours[t.type] = t.colour; });

  var nodes = data.nodes.map(function (n, i) {
    return { index: i, data: n, x: 0, y: 0, dx: 0, dy: 0, hidden: false,
             radius: n.kind === "event" ? 7 : 11 };
  });
  var edges = data.edges.map(function (e) {
    return { data: e, s: nodes[e.source], t: nodes[e.target], hidden: false };
  });

  function el(name, attrs, parent) {
    var node = document.createElementNS(SVG_NS, name);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  // Each connected component gets its own Fruchterman-Reingold layout (with a weak pull
  // to its centre, from a deterministic spiral, so the same graph always gives the same
  // picture); the components are then packed in rows, largest first. Laid out together,
  // small components would be pushed far away by the big one.
  var K = 90;

  function components() {
    var seen = {}, groups = [], links = nodes.map(function () { return []; });
    edges.forEach(function (e) { links[e.s.index].push(e.t); links[e.t.index].push(e.s); });
    nodes.forEach(function (start) {
      if (seen[start.index]) return;
      var group = [start], at = 0;
      seen[start.index] = true;
      while (at < group.length) {
        links[group[at++].index].forEach(function (next) {
          if (!seen[next.index]) { seen[next.index] = true; group.push(next); }
        });
      }
      groups.push(group);
    });
    return groups.sort(function (a, b) { return b.length - a.length || a[0].index - b[0].index; });
  }

  function layoutGroup(group, links) {
    var n = group.length, i, j, it;
    group.forEach(function (d, i) {
      var r = 25 * Math.sqrt(i + 0.5), a = i * 2.399963;
      d.x = r * Math.cos(a); d.y = r * Math.sin(a);
    });
    if (n < 2) return;
    var rounds = Math.max(40, Math.min(400, Math.floor(3e7 / (n * n))));
    var temperature = K * 3;
    for (it = 0; it < rounds; it++) {
      for (i = 0; i < n; i++) { group[i].dx = 0; group[i].dy = 0; }
      for (i = 0; i < n; i++) {
        var a = group[i];
        for (j = i + 1; j < n; j++) {
          var b = group[j], dx = a.x - b.x, dy = a.y - b.y, d2 = dx * dx + dy * dy;
          if (d2 < 0.01) { dx = 0.1 * (i - j); dy = 0.1; d2 = dx * dx + dy * dy; }
          var push = (K * K) / d2;
          a.dx += dx * push; a.dy += dy * push; b.dx -= dx * push; b.dy -= dy * push;
        }
      }
      links.forEach(function (e) {
        var dx = e.s.x - e.t.x, dy = e.s.y - e.t.y, dist = Math.sqrt(dx * dx + dy * dy) || 0.01;
        var pull = dist / (1.5 * K);
        e.s.dx -= dx * pull; e.s.dy -= dy * pull; e.t.dx += dx * pull; e.t.dy += dy * pull;
      });
      group.forEach(function (d) {
        d.dx -= d.x * 0.015; d.dy -= d.y * 0.015;
        var len = Math.sqrt(d.dx * d.dx + d.dy * d.dy);
        if (len > 0) { var step = Math.min(len, temperature); d.x += d.dx / len * step; d.y += d.dy / len * step; }
      });
      temperature = Math.max(1, temperature * 0.97);
    }
  }

  function layout() {
    var groups = components(), boxes = [], area = 0;
    groups.forEach(function (group) {
      var members = {};
      group.forEach(function (d) { members[d.index] = true; });
      layoutGroup(group, edges.filter(function (e) { return members[e.s.index]; }));
      var xs = group.map(function (d) { return d.x; }), ys = group.map(function (d) { return d.y; });
      // room for the labels, which run to the right of each node
      var box = { group: group, x: Math.min.apply(null, xs) - K / 2, y: Math.min.apply(null, ys) - K / 2 };
      box.w = Math.max.apply(null, xs) + 2.5 * K - box.x;
      box.h = Math.max.apply(null, ys) + K / 2 - box.y;
      area += box.w * box.h;
      boxes.push(box);
    });
    var rowWidth = Math.max(Math.sqrt(area) * 1.3, boxes.length ? boxes[0].w : 0), x = 0, y = 0, rowHeight = 0;
    boxes.forEach(function (box) {
      if (x > 0 && x + box.w > rowWidth) { x = 0; y += rowHeight; rowHeight = 0; }
      box.group.forEach(function (d) { d.x += x - box.x; d.y += y - box.y; });
      x += box.w; rowHeight = Math.max(rowHeight, box.h);
    });
  }

  var view = { x: 0, y: 0, w: 100, h: 100 };
  function setView() { svg.setAttribute("viewBox", [view.x, view.y, view.w, view.h].join(" ")); }
  // Frame the drawing (labels included) at the SVG's aspect ratio.
  function fit() {
    var b = nodes.length ? nodeLayer.getBBox() : { x: -50, y: -50, width: 100, height: 100 };
    var minX = b.x - 20, minY = b.y - 20, w = b.width + 40, h = b.height + 40;
    var box = svg.getBoundingClientRect(), ratio = (box.width || 800) / (box.height || 600);
    if (w / h < ratio) { var nw = h * ratio; minX -= (nw - w) / 2; w = nw; } else { var nh = w / ratio; minY -= (nh - h) / 2; h = nh; }
    view = { x: minX, y: minY, w: w, h: h };
    setView();
  }

  var defs = el("defs", {}, svg);
  var marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "10", refY: "5",
                              markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, defs);
  el("path", { d: "M 0 0 L 10 5 L 0 10 z", "class": "arrowhead" }, marker);
  var edgeLayer = el("g", { "class": "edges" }, svg);
  var nodeLayer = el("g", { "class": "nodes" }, svg);

  function place(e) {
    var dx = e.t.x - e.s.x, dy = e.t.y - e.s.y, dist = Math.sqrt(dx * dx + dy * dy) || 1;
    var ux = dx / dist, uy = dy / dist;
    e.line.setAttribute("x1", e.s.x + ux * e.s.radius); e.line.setAttribute("y1", e.s.y + uy * e.s.radius);
    e.line.setAttribute("x2", e.t.x - ux * (e.t.radius + 2)); e.line.setAttribute("y2", e.t.y - uy * (e.t.radius + 2));
    ["x1", "y1", "x2", "y2"].forEach(function (name) { e.hit.setAttribute(name, e.line.getAttribute(name)); });
    e.text.setAttribute("x", (e.s.x + e.t.x) / 2); e.text.setAttribute("y", (e.s.y + e.t.y) / 2 - 3);
  }
  function move(d) {
    d.group.setAttribute("transform", "translate(" + d.x + "," + d.y + ")");
    d.edges.forEach(place);
  }

  function tooltip(item) {
    return item.label + (item.details || []).map(function (pair) { return "\n" + pair[0] + ": " + pair[1]; }).join("");
  }
  function show(item, kind) {
    details.textContent = "";
    var heading = document.createElement("h2");
    heading.textContent = item.label;
    details.appendChild(heading);
    var meta = document.createElement("p");
    meta.className = "kind";
    meta.textContent = kind + " · " + item.type;
    details.appendChild(meta);
    var list = document.createElement("dl");
    (item.details || []).forEach(function (pair) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = pair[0]; dd.textContent = pair[1];
      list.appendChild(dt); list.appendChild(dd);
    });
    details.appendChild(list);
  }

  function render() {
    nodes.forEach(function (d) { d.edges = []; });
    edges.forEach(function (e) {
      var g = el("g", { "class": "edge" }, edgeLayer);
      e.group = g;
      e.line = el("line", { "marker-end": "url(#arrow)" }, g);
      e.hit = el("line", { "class": "hit" }, g);  // a wider, invisible line that is easier to hover
      e.text = el("text", { "class": "edge-label", "text-anchor": "middle" }, g);
      e.text.textContent = e.data.label;
      el("title", {}, g).textContent = tooltip({ label: e.s.data.label + " → " + e.data.label + " → " + e.t.data.label,
                                                 details: e.data.details });
      g.addEventListener("mouseenter", function () { show({ label: e.data.label, type: e.s.data.label + " → " + e.t.data.label, details: e.data.details }, "relation"); });
      e.s.edges.push(e); e.t.edges.push(e);
    });
    nodes.forEach(function (d) {
      var g = el("g", { "class": "node " + d.data.kind, "data-type": d.data.type, "data-id": d.data.id }, nodeLayer);
      d.group = g;
      var fill = colours[d.data.type] || "#888";
      if (d.data.kind === "event") {
        el("rect", { x: -d.radius, y: -d.radius, width: 2 * d.radius, height: 2 * d.radius, rx: 2, fill: fill,
                     transform: "rotate(45)" }, g);
      } else {
        el("circle", { r: d.radius, fill: fill }, g);
      }
      var text = el("text", { x: d.radius + 3, y: 4, "class": "node-label" }, g);
      text.textContent = d.data.kind === "event" ? d.data.type : d.data.label;
      el("title", {}, g).textContent = tooltip(d.data);
      g.addEventListener("mouseenter", function () { show(d.data, d.data.kind); });
      g.addEventListener("pointerdown", function (event) { startDrag(event, d); });
      move(d);
    });
  }

  function point(event) {
    var p = svg.createSVGPoint();
    p.x = event.clientX; p.y = event.clientY;
    return p.matrixTransform(svg.getScreenCTM().inverse());
  }
  var drag = null;
  function startDrag(event, d) {
    event.stopPropagation();
    drag = { node: d };
    svg.setPointerCapture(event.pointerId);
  }
  svg.addEventListener("pointerdown", function (event) {
    drag = { pan: true, x: event.clientX, y: event.clientY, view: Object.assign({}, view) };
    svg.setPointerCapture(event.pointerId);
  });
  svg.addEventListener("pointermove", function (event) {
    if (!drag) return;
    if (drag.node) {
      var p = point(event);
      drag.node.x = p.x; drag.node.y = p.y; move(drag.node);
    } else {
      var scale = view.w / (svg.getBoundingClientRect().width || 1);
      view.x = drag.view.x - (event.clientX - drag.x) * scale;
      view.y = drag.view.y - (event.clientY - drag.y) * scale;
      setView();
    }
  });
  svg.addEventListener("pointerup", function () { drag = null; });
  svg.addEventListener("wheel", function (event) {
    event.preventDefault();
    var p = point(event), factor = event.deltaY > 0 ? 1.15 : 1 / 1.15;
    view = { x: p.x - (p.x - view.x) * factor, y: p.y - (p.y - view.y) * factor, w: view.w * factor, h: view.h * factor };
    setView();
  }, { passive: false });

  function update() {
    var hiddenTypes = {};
    document.querySelectorAll("#filters input[data-type]").forEach(function (box) {
      if (!box.checked) hiddenTypes[box.getAttribute("data-type")] = true;
    });
    var shownNodes = 0, shownEdges = 0;
    nodes.forEach(function (d) {
      d.hidden = !!hiddenTypes[d.data.type];
      d.group.classList.toggle("hidden", d.hidden);
      if (!d.hidden) shownNodes++;
    });
    edges.forEach(function (e) {
      e.hidden = e.s.hidden || e.t.hidden;
      e.group.classList.toggle("hidden", e.hidden);
      if (!e.hidden) shownEdges++;
    });
    stats.textContent = shownNodes + " of " + nodes.length + " nodes, " + shownEdges + " of " + edges.length + " edges shown";
    stats.setAttribute("data-shown-nodes", shownNodes);
    stats.setAttribute("data-shown-edges", shownEdges);
  }

  function filters() {
    var box = document.getElementById("filters");
    data.types.forEach(function (t) {
      var label = document.createElement("label");
      var input = document.createElement("input");
      input.type = "checkbox"; input.checked = true; input.setAttribute("data-type", t.type);
      input.addEventListener("change", update);
      var swatch = document.createElement("span");
      swatch.className = "swatch " + t.kind; swatch.style.background = t.colour;
      label.appendChild(input); label.appendChild(swatch);
      label.appendChild(document.createTextNode(" " + t.type + " (" + t.count + ")"));
      box.appendChild(label);
    });
    document.getElementById("edge-labels").addEventListener("change", function (event) {
      svg.classList.toggle("no-edge-labels", !event.target.checked);
    });
  }

  layout();
  render();
  filters();
  fit();
  update();
  window.addEventListener("resize", fit);
  document.body.setAttribute("data-ready", "true");
})();
