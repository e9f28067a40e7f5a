"""Send the store to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol.

One ``PUT {endpoint}?graph={iri}`` per named graph, with the graph as N-Triples
(https://www.w3.org/TR/sparql11-http-rdf-update/#http-put): the server replaces
that graph, so pushing twice leaves the same data there. For Oxigraph the
endpoint is ``http://host:port/store``; for Fuseki ``http://host:port/dataset/data``.

Only the standard library (urllib) is used, so pushing needs no extra.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit
from urllib.request import Request, urlopen

import pyoxigraph as ox

from geokg.errors import PushError
from geokg.store import Store

__all__ = ["push", "graph_url"]

log = logging.getLogger("geokg.push")
CONTENT_TYPE = "application/n-triples"


def graph_url(endpoint: str, graph: str) -> str:
    """The Graph Store URL of one named graph (indirect graph identification).

    Example:
        >>> graph_url("http://127.0.0.1:7878/store", "https://w3id.org/geokg/graph/a1")
        'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Fgeokg%2Fgraph%2Fa1'
    """
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode({"graph": graph})


def push(store: Store, endpoint: str, *, graphs: Iterable[str] | None = None, timeout: float = 60.0) -> int:
    """PUT each named graph of ``store`` (or only ``graphs``) to ``endpoint``.

    Args:
        store: an open store.
        endpoint: the Graph Store Protocol URL (http or https).
        graphs: IRIs of the graphs to send; by default every named graph,
            including the reference and ontology graphs.
        timeout: seconds to wait for each response.

    Returns:
        The number of graphs sent.

    Raises:
        PushError: a bad endpoint URL, an unknown graph, an unreachable server or
            a non-2xx answer; it names the graph and carries ``status`` (None when
            there was no HTTP answer).
    """
    scheme = urlsplit(endpoint).scheme
    if scheme not in ("http", "https"):
        error = PushError(endpoint, "-", f"the endpoint must be an http:// or https:// URL, not {scheme or 'a bare path'!r}")
        error.status = None  # type: ignore[attr-defined]
        raise error
    available = store.graphs()
    names = list(graphs) if graphs is not None else available
    for graph in names:
        if graph not in available:
            error = PushError(endpoint, graph, "no such named graph in the store. "
                              f"Graphs: {', '.join(available) or 'none'}")
            error.status = None  # type: ignore[attr-defined]
            raise error
        body = store.dump(None, ox.RdfFormat.N_TRIPLES, graph=graph) or b""
        _put(endpoint, graph, body, timeout)
        log.info("pushed %s (%d bytes)", graph, len(body))
    return len(names)


def _put(endpoint: str, graph: str, body: bytes, timeout: float) -> None:
    request = Request(graph_url(endpoint, graph), data=body, method="PUT",
                      headers={"Content-Type": CONTENT_TYPE})
    status: int | None = None
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 - scheme checked in push()
            status = response.status
            problem = f"HTTP {status}"
    except HTTPError as exc:
        status = exc.code
        detail = exc.read(300).decode("utf-8", "replace").strip()
        problem = f"HTTP {exc.code} {exc.reason}" + (f": {detail}" if detail else "")
    except (URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        problem = f"cannot reach the endpoint ({reason}); is the server running?"
    if status is None or not 200 <= status < 300:
        error = PushError(endpoint, graph, problem)
        error.status = status  # type: ignore[attr-defined]
        raise error
