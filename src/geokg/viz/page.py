"""A networkx graph from :func:`geokg.viz.to_networkx` as one self-contained HTML page.

The page carries its data as JSON and its own script and style (``page.js``,
``page.css`` beside this module, written for geokg): no CDN, no network, so it opens
offline and can be mailed around. Nodes are coloured by type (circles for entities,
diamonds for events), edges are labelled with the relation, hovering shows the
evidence sentence and article, and checkboxes hide node types.
"""

from __future__ import annotations

import html
import json
import os
from collections import Counter
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import networkx as nx

from geokg.event_types import EVENT_TYPES

__all__ = ["COLOURS", "Page", "page_data", "to_html", "write_html"]

# Entities in strong colours, events in light ones (the registry's); a type the page does not know
# (a store built by another version) gets a fallback no known type uses.
COLOURS = {
    "Country": "#4e79a7",
    "Person": "#f28e2b",
    "Organization": "#59a14f",
    "Company": "#8cd17d",
    "Media": "#b07aa1",
    "Exchange": "#9c755f",
    "Commodity": "#e15759",
    "Place": "#76b7b2",
    "Facility": "#499894",
    **{spec.name: spec.colour for spec in EVENT_TYPES},
}
_FALLBACK = tuple(
    c for c in ("#17becf", "#7f7f7f", "#c5b0d5", "#dbdb8d", "#9467bd", "#8c564b") if c not in COLOURS.values()
) or ("#888888",)

# Node attributes shown as evidence, in this order, with their captions.
_DETAILS = (
    ("type", "type"),
    ("date", "date"),
    ("status", "status"),
    ("value", "quantity"),
    ("measure", "measure"),
    ("rank", "rank"),
    ("sentence", "sentence"),
    ("article", "article"),
    ("country", "country"),
    ("iso", "ISO 3166"),
    ("wikidata", "Wikidata"),
    ("iri", "IRI"),
    ("event", "event"),
)


def page_data(graph: nx.Graph) -> dict[str, list[dict[str, Any]]]:
    """The JSON the page draws: nodes, edges (by node index) and the types with colour and count.

    Example:
        >>> g = nx.MultiDiGraph()
        >>> g.add_node("e", kind="event", type="Offer", label="Offer by Chile", sentence="Chile offered copper.")
        >>> g.add_node("c", kind="entity", type="Country", label="Chile")
        >>> g.add_edge("e", "c", key="agent", label="agent")
        'agent'
        >>> data = page_data(g)
        >>> data["edges"], [t["type"] for t in data["types"]]
        ([{'source': 0, 'target': 1, 'label': 'agent', 'details': []}], ['Country', 'Offer'])
    """
    index = {node: i for i, node in enumerate(graph)}
    nodes: list[dict[str, Any]] = []
    for node, attrs in graph.nodes(data=True):
        nodes.append(
            {
                "id": str(node),
                "label": str(attrs.get("label", node)),
                "type": str(attrs.get("type", "Entity")),
                "kind": "event" if attrs.get("kind") == "event" else "entity",
                "details": _details(attrs, skip=("type",)),
            }
        )
    edges = [
        {
            "source": index[u],
            "target": index[v],
            "label": str(attrs.get("label", attrs.get("role", ""))),
            "details": _details(attrs, skip=("iri",)),
        }
        for u, v, attrs in graph.edges(data=True)
    ]
    counts = Counter((n["kind"], n["type"]) for n in nodes)
    spare = iter(_FALLBACK * (1 + len(counts)))
    types = [
        {"type": kind_type, "kind": kind, "count": count, "colour": COLOURS.get(kind_type) or next(spare)}
        for (kind, kind_type), count in sorted(counts.items())
    ]
    return {"nodes": nodes, "edges": edges, "types": types}


def _details(attrs: dict[str, object], skip: tuple[str, ...]) -> list[list[str]]:
    pairs = []
    for key, caption in _DETAILS:
        value = attrs.get(key)
        if key in skip or value in (None, ""):
            continue
        if key == "value" and attrs.get("unit"):
            number = int(value) if isinstance(value, float) and value.is_integer() else value
            value = f"{number:,} {attrs['unit']}" if isinstance(number, (int, float)) else f"{number} {attrs['unit']}"
        pairs.append([caption, str(value)])
    return pairs


def _asset(name: str) -> str:
    return files("geokg.viz").joinpath(name).read_text(encoding="utf-8")


def to_html(graph: nx.Graph, *, title: str = "geokg graph", subtitle: str = "") -> str:
    """Render ``graph`` as a complete HTML document with everything inlined.

    Example:
        >>> page = to_html(nx.MultiDiGraph(), title="empty")
        >>> page.startswith("<!doctype html>"), "<script src" in page, "0 nodes" in page
        (True, False, True)
    """
    data = page_data(graph)
    # JSON inside <script>: escape <, > and & so no "</script>" or comment can end it early.
    payload = (
        json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    )
    counts = f"{len(data['nodes'])} nodes, {len(data['edges'])} edges"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{html.escape(title)}</title>
<style>
{_asset("page.css")}</style>
</head>
<body>
<header>
<h1>{html.escape(title)}</h1>
<p>{html.escape(subtitle)}{" · " if subtitle else ""}<span id="stats"
  data-nodes="{len(data["nodes"])}" data-edges="{len(data["edges"])}">{counts}</span></p>
</header>
<aside id="controls">
<fieldset id="filters"><legend>Show types</legend></fieldset>
<label><input type="checkbox" id="edge-labels" checked> edge labels</label>
</aside>
<main><svg id="graph" role="img" aria-label="{html.escape(title)}"></svg></main>
<aside id="details" aria-live="polite"><p>Hover over a node or an edge to read its evidence.
Drag nodes; drag the background to pan; scroll to zoom.</p></aside>
<script type="application/json" id="graph-data">{payload}</script>
<script>
{_asset("page.js")}</script>
</body>
</html>
"""


def write_html(
    graph: nx.Graph, path: str | os.PathLike[str], *, title: str = "geokg graph", subtitle: str = ""
) -> Path:
    """Write :func:`to_html` of ``graph`` to ``path`` (UTF-8) and return the path."""
    target = Path(path)
    target.write_text(to_html(graph, title=title, subtitle=subtitle), encoding="utf-8")
    return target


@dataclass
class Page:
    """The graph page inside a notebook: its ``_repr_html_`` is an ``<iframe srcdoc>``.

    The page runs in its own frame, so its script and style cannot clash with the notebook's.

    Example:
        >>> "<iframe" in Page(nx.MultiDiGraph())._repr_html_()
        True
    """

    graph: nx.Graph
    title: str = "geokg graph"
    height: int = 600

    def _repr_html_(self) -> str:
        page = html.escape(to_html(self.graph, title=self.title), quote=True)
        return (
            f'<iframe srcdoc="{page}" style="width:100%;height:{self.height}px;border:1px solid #ddd" '
            f'title="{html.escape(self.title)}"></iframe>'
        )
