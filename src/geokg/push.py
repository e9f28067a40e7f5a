"""Send the store to a triple store with the SPARQL 1.1 Graph Store HTTP Protocol.

One ``PUT {graph store}?graph={iri}`` per named graph, the graph as N-Triples
(https://www.w3.org/TR/sparql11-http-rdf-update/#http-put). The server replaces
that graph with the body of one request, so a failed request never leaves half a
graph behind, and pushing twice leaves the same data there.

- gzip: bodies are sent with ``Content-Encoding: gzip`` until the server shows it
  cannot read them (a PUT that fails compressed and succeeds uncompressed); from
  then on this push sends plain bodies. Oxigraph reads gzip; Virtuoso 7 does not.
- retries: a connection error or a 5xx answer is retried ``retries`` times, waiting
  ``backoff``, then twice that, and so on. Other answers (401, 404, 400…) are final.
- failures are data: a graph that cannot be sent is recorded in the
  :class:`PushReport` with its status and the server's words, and the others go on.

Graph Store URLs: Oxigraph ``http://host:7878/store``; Fuseki
``http://host:3030/DATASET/data``; Virtuoso ``http://host:8890/sparql-graph-crud-auth``
(digest authentication).
"""

from __future__ import annotations

import gzip
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

import pyoxigraph as ox
import requests

from geokg.errors import PushError
from geokg.remote import Credentials, HttpClient, describe_exception, describe_failure
from geokg.store import Store

__all__ = ["push", "plan", "graph_url", "PlannedGraph", "PushReport"]

log = logging.getLogger("geokg.push")
CONTENT_TYPE = "application/n-triples"
# Answers that say nothing about the body's encoding: no point resending it uncompressed.
_NOT_ABOUT_BODY = {401, 403, 404, 405, 407}


def graph_url(endpoint: str, graph: str) -> str:
    """The Graph Store URL of one named graph (indirect graph identification).

    Example:
        >>> graph_url("http://127.0.0.1:7878/store", "https://w3id.org/geokg/graph/article/a1")
        'http://127.0.0.1:7878/store?graph=https%3A%2F%2Fw3id.org%2Fgeokg%2Fgraph%2Farticle%2Fa1'
    """
    return endpoint + ("&" if "?" in endpoint else "?") + urlencode({"graph": graph})


@dataclass(frozen=True)
class PlannedGraph:
    """One PUT of a push: the graph, where it goes, and its size."""

    graph: str
    url: str
    triples: int
    bytes: int


@dataclass
class PushReport:
    """What a push did: the graphs sent and, per failed graph, the error (status and the server's words)."""

    endpoint: str
    sent: list[str] = field(default_factory=list)
    failed: list[PushError] = field(default_factory=list)
    gzip: bool | None = None  # did the server take gzip bodies (None: not tried or not known)

    @property
    def ok(self) -> bool:
        return not self.failed


def _check(store: Store, endpoint: str, graphs: Iterable[str] | None) -> list[str]:
    scheme = urlsplit(endpoint).scheme
    if scheme not in ("http", "https"):
        raise PushError(
            endpoint, "-", f"the Graph Store URL must be http:// or https://, not {scheme or 'a bare path'!r}"
        )
    available = store.graphs()
    names = list(graphs) if graphs is not None else available
    for graph in names:
        if graph not in available:
            raise PushError(
                endpoint, graph, f"no such named graph in the store. Graphs: {', '.join(available) or 'none'}"
            )
    return names


def plan(store: Store, endpoint: str, graphs: Iterable[str] | None = None) -> list[PlannedGraph]:
    """What :func:`push` would send (for ``--dry-run``): one entry per graph, nothing sent."""
    planned = []
    for graph in _check(store, endpoint, graphs):
        body = store.dump(None, ox.RdfFormat.N_TRIPLES, graph=graph) or b""
        # N-Triples: one line per triple (newlines in literals are escaped)
        planned.append(PlannedGraph(graph, graph_url(endpoint, graph), body.count(b"\n"), len(body)))
    return planned


def push(
    store: Store,
    endpoint: str,
    *,
    graphs: Iterable[str] | None = None,
    credentials: Credentials | None = None,
    use_gzip: bool = True,
    retries: int = 3,
    backoff: float = 0.5,
    timeout: float = 60.0,
    on_graph: Callable[[str, PushError | None], None] | None = None,
) -> PushReport:
    """PUT each named graph of ``store`` (or only ``graphs``) to the Graph Store ``endpoint``.

    Args:
        store: an open store.
        endpoint: the Graph Store Protocol URL (http or https).
        graphs: IRIs of the graphs to send; by default every named graph,
            articles, reference and ontology.
        credentials: user and password (basic/digest/auto) or a bearer token.
        use_gzip: try ``Content-Encoding: gzip`` first (see the module notes).
        retries: extra attempts after a connection error or a 5xx answer.
        backoff: seconds before the first retry; doubled for each next one.
        timeout: seconds to wait for a connection and for each answer.
        on_graph: called after each graph with None (sent) or its PushError.

    Returns:
        A PushReport; ``report.failed`` holds one PushError per graph not sent.

    Raises:
        PushError: it cannot start: the URL is not http(s), or a graph asked for
            is not in the store.
    """
    names = _check(store, endpoint, graphs)
    report = PushReport(endpoint, gzip=None if use_gzip else False)
    with HttpClient(credentials, timeout) as client:
        for graph in names:
            body = store.dump(None, ox.RdfFormat.N_TRIPLES, graph=graph) or b""
            try:
                _put(client, report, graph, body, retries, backoff)
            except PushError as error:
                log.info("push of %s failed: %s", graph, error.message)
                report.failed.append(error)
                if on_graph is not None:
                    on_graph(graph, error)
                continue
            report.sent.append(graph)
            log.info("pushed %s (%d bytes)", graph, len(body))
            if on_graph is not None:
                on_graph(graph, None)
    return report


def _send(client: HttpClient, url: str, body: bytes, compressed: bool) -> requests.Response:
    headers = {"Content-Type": CONTENT_TYPE}
    if compressed:
        headers["Content-Encoding"] = "gzip"
        body = gzip.compress(body, compresslevel=6)
    return client.request("PUT", url, data=body, headers=headers)


def _put(client: HttpClient, report: PushReport, graph: str, body: bytes, retries: int, backoff: float) -> None:
    url = graph_url(report.endpoint, graph)
    attempt = 0
    while True:
        status: int | None = None
        try:
            compressed = report.gzip is not False
            response = _send(client, url, body, compressed)
            if compressed and report.gzip is None and not response.ok and response.status_code not in _NOT_ABOUT_BODY:
                plain = _send(client, url, body, False)  # can the server not read gzip?
                if plain.ok:
                    log.info(
                        "%s does not take gzip bodies (HTTP %d); sending them plain",
                        report.endpoint,
                        response.status_code,
                    )
                    report.gzip = False
                response = plain
            elif compressed and response.ok:
                report.gzip = True
            if response.ok:
                return
            status, problem = response.status_code, describe_failure(response)
        except requests.RequestException as exc:
            problem = f"cannot reach the server ({describe_exception(exc)}); is it running?"
        if attempt < retries and (status is None or status >= 500):
            delay = backoff * 2**attempt
            log.info("push of %s: %s; retrying in %.2f s", graph, problem, delay)
            time.sleep(delay)
            attempt += 1
            continue
        tries = f" (gave up after {attempt + 1} attempts)" if attempt else ""
        raise PushError(report.endpoint, graph, problem + tries, status)
