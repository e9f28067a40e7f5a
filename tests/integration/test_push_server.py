"""Push to a real Oxigraph server over the SPARQL 1.1 Graph Store HTTP Protocol."""

from __future__ import annotations

import json
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph

from geokg.errors import PushError
from geokg.push import push
from geokg.rdf.iris import graph_iri
from geokg.store import Store

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[1] / "data" / "store"
COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


@pytest.fixture
def store(tmp_path: Path):
    with Store.open(tmp_path / "geokg.db") as opened:
        opened.load_reference(Graph().parse(DATA / "reference.ttl"))
        for path in sorted(DATA.glob("2024-*.ttl")):
            opened.replace_graph(graph_iri(path.stem), Graph().parse(path))
        yield opened


def server_counts(url: str) -> dict[str, int]:
    request = urllib.request.Request(f"{url}/query?{urllib.parse.urlencode({'query': COUNTS})}",
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        bindings = json.load(response)["results"]["bindings"]
    return {b["g"]["value"]: int(b["n"]["value"]) for b in bindings}


def test_push_every_named_graph(oxigraph_server: str, store: Store) -> None:
    expected = {iri: store.triple_count(iri) for iri in store.graphs()}
    assert len(push(store, f"{oxigraph_server}/store").sent) == 3
    assert server_counts(oxigraph_server) == expected
    assert len(push(store, f"{oxigraph_server}/store", use_gzip=False).sent) == 3  # PUT replaces: same counts
    assert server_counts(oxigraph_server) == expected


def test_push_selected_graphs_replaces_them(oxigraph_server: str, store: Store) -> None:
    article = str(graph_iri("2024-03-04-chile-copper-offer"))
    push(store, f"{oxigraph_server}/store")
    store.replace_graph(article, Graph())  # now empty in the local store
    report = push(store, f"{oxigraph_server}/store", graphs=[str(graph_iri("2024-03-10-japan-copper-imports"))])
    assert report.sent == [str(graph_iri("2024-03-10-japan-copper-imports"))]
    assert article in server_counts(oxigraph_server)  # untouched: only the named graph was sent


def test_push_errors_name_graph_and_status(oxigraph_server: str, store: Store) -> None:
    reference = "https://w3id.org/geokg/graph/reference"
    report = push(store, f"{oxigraph_server}/no-such-endpoint", graphs=[reference])
    assert not report.ok and report.sent == []
    [error] = report.failed
    assert error.graph == reference and error.status == 404
    assert "HTTP 404" in str(error) and reference in str(error)
    with pytest.raises(PushError, match="no such named graph"):
        push(store, f"{oxigraph_server}/store", graphs=["https://w3id.org/geokg/graph/article/missing"])
    with pytest.raises(PushError, match="http"):
        push(store, "file:///etc/passwd")


def test_push_unreachable_server(store: Store) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.monotonic()
    report = push(store, f"http://127.0.0.1:{port}/store", timeout=5, retries=2, backoff=0.1)
    assert time.monotonic() - started >= 3 * (0.1 + 0.2)  # two waits per graph: 0.1 s, then 0.2 s
    assert [e.graph for e in report.failed] == store.graphs()
    for error in report.failed:
        assert error.status is None and "cannot reach" in str(error) and "after 3 attempts" in str(error)


def test_push_dry_run_sends_nothing_and_lists_every_put(oxigraph_server: str, store: Store, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from geokg.cli import cli

    before = server_counts(oxigraph_server)
    graphs = store.graphs()
    store.close()  # the CLI opens the store itself
    result = CliRunner().invoke(cli, ["push", "--dry-run", "--graph-store", f"{oxigraph_server}/store",
                                      "--store", str(tmp_path / "geokg.db")])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1] == f"would push {len(graphs)} graph(s) to {oxigraph_server}/store"
    for graph, line in zip(graphs, lines):
        assert line.startswith(f"PUT {oxigraph_server}/store?graph=") and urllib.parse.quote(graph, safe="") in line
        assert "triples" in line and "bytes of N-Triples" in line
    assert server_counts(oxigraph_server) == before
