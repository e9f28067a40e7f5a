"""Query results → networkx graphs, for the notebooks and anyone who wants to draw the graph.

Every function reads through the stored queries, so what is drawn is what users query.
"""

from __future__ import annotations

from collections import Counter

import networkx as nx

from geokg.queries import QueryResult


def records(result: QueryResult) -> list[dict[str, object]]:
    """Rows of a query result as dicts keyed by column."""
    return [dict(zip(result.columns, row)) for row in result.rows]


def event_graph(events: QueryResult) -> nx.MultiDiGraph:
    """Actors and commodities joined by events: agent → recipient, labelled with type and theme.

    Events without a recipient connect the agent to the commodity instead.

    Example:
        >>> from geokg.queries import QueryResult
        >>> cols = ("article", "event", "type", "agent", "theme", "recipient")
        >>> g = event_graph(QueryResult(cols, [("a", "e1", "Offer", "Chile", "Copper", "Japan")]))
        >>> list(g.edges(data="type"))
        [('Chile', 'Japan', 'Offer')]
    """
    graph = nx.MultiDiGraph()
    seen: set[tuple[object, ...]] = set()
    for row in records(events):
        agent, theme, recipient = row.get("agent"), row.get("theme"), row.get("recipient")
        if not agent:
            continue
        key = (row.get("event"), agent, theme, recipient)
        if key in seen:
            continue
        seen.add(key)
        graph.add_node(agent, kind="actor")
        target = recipient or theme
        if not target:
            continue
        graph.add_node(target, kind="actor" if recipient else "commodity")
        graph.add_edge(agent, target, type=row.get("type"), theme=theme, event=row.get("event"),
                       article=row.get("article"))
    return graph


def co_mention_graph(mentions: QueryResult, *, min_articles: int = 1) -> nx.Graph:
    """Entities as nodes, weighted by the number of articles that mention both.

    Example:
        >>> from geokg.queries import QueryResult
        >>> cols = ("article", "entity", "type", "label")
        >>> rows = [("a1", "x", "Country", "Chile"), ("a1", "y", "Commodity", "Copper")]
        >>> co_mention_graph(QueryResult(cols, rows))["Chile"]["Copper"]["weight"]
        1
    """
    by_article: dict[object, set[tuple[str, str]]] = {}
    for row in records(mentions):
        by_article.setdefault(row["article"], set()).add((str(row["label"]), str(row["type"])))
    weights: Counter[tuple[str, str]] = Counter()
    kinds: dict[str, str] = {}
    for entities in by_article.values():
        labels = sorted(entities)
        kinds.update(dict(labels))
        for i, (first, _) in enumerate(labels):
            for second, _ in labels[i + 1:]:
                weights[(first, second)] += 1
    graph = nx.Graph()
    for label, kind in kinds.items():
        graph.add_node(label, kind=kind)
    for (first, second), weight in weights.items():
        if weight >= min_articles:
            graph.add_edge(first, second, weight=weight)
    return graph


def top_nodes(graph: nx.Graph, n: int = 10) -> list[tuple[str, float]]:
    """The ``n`` most central nodes by degree centrality, highest first."""
    centrality = nx.degree_centrality(graph) if len(graph) > 1 else {node: 0.0 for node in graph}
    return sorted(centrality.items(), key=lambda item: (-item[1], item[0]))[:n]
