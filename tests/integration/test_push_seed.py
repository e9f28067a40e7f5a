"""The seed build pushed to a real Oxigraph server and queried there through --endpoint.

The server is Oxigraph's own (``oxigraph serve``, started as ``geokg serve
--allow-update`` starts it, with the union of the named graphs as default
graph), on a free port of 127.0.0.1; the tests stop and restart it.
"""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import free_port

import geokg
from geokg.cli import cli
from geokg.push import push
from geokg.queries import list_queries, run_query
from geokg.serve import server_command
from geokg.store import Store

pytestmark = [pytest.mark.integration, pytest.mark.slow]

COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


class OxigraphServer:
    """``oxigraph serve`` on a folder and port that survive a restart."""

    def __init__(self, location: Path) -> None:
        location.mkdir(parents=True, exist_ok=True)
        self.location, self.port = location, free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = server_command(self.location, f"127.0.0.1:{self.port}", allow_update=True)
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            assert self.process.poll() is None, f"oxigraph serve exited with {self.process.returncode}"
            try:
                with urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=1):
                    return
            except (urllib.error.URLError, OSError):
                assert time.monotonic() < deadline, f"oxigraph serve did not answer on {self.url}"
                time.sleep(0.1)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()  # as abrupt as a crash
            self.process.wait(timeout=10)


@pytest.fixture
def server(tmp_path: Path):
    running = OxigraphServer(tmp_path / "server")
    running.start()
    yield running
    running.stop()


def server_counts(url: str) -> dict[str, int]:
    result = geokg.sparql(COUNTS, endpoint=f"{url}/query")
    return {str(g): int(n) for g, n in result.rows}


def local_counts(store_path: Path) -> dict[str, int]:
    with Store.open(store_path, read_only=True) as store:
        return {g: store.triple_count(g) for g in store.graphs()}


def test_push_seed_build_then_every_stored_query_gives_the_local_rows(seed_store: Path, server: OxigraphServer) -> None:
    runner = CliRunner()
    pushed = runner.invoke(cli, ["push", "--graph-store", f"{server.url}/store", "--store", str(seed_store), "-q"])
    assert pushed.exit_code == 0, pushed.output
    assert server_counts(server.url) == local_counts(seed_store)
    endpoint = f"{server.url}/query"
    compared = 0
    with Store.open(seed_store, read_only=True) as store:
        for stored in list_queries():
            local = run_query(store, stored)
            remote = geokg.query(stored.name, endpoint=endpoint)
            assert remote.columns == local.columns, stored.name
            assert Counter(remote.rows) == Counter(local.rows), stored.name
            compared += len(local.rows)
            for param in stored.params:  # one real value per parameter, bound remotely
                value = next((str(row[param.name]) for row in local.as_dicts() if row[param.name] is not None), None)
                if value is None:
                    continue
                local_bound = run_query(store, stored, {param.name: value})
                remote_bound = geokg.query(stored.name, {param.name: value}, endpoint=endpoint)
                assert local_bound.rows, (stored.name, param.name, value)
                assert Counter(remote_bound.rows) == Counter(local_bound.rows), (stored.name, param.name, value)
    assert compared > 50
    for fmt in ("table", "csv", "json"):  # the same text as a local query prints
        args = ["query", "statements", "--format", fmt]
        here = runner.invoke(cli, [*args, "--store", str(seed_store)])
        there = runner.invoke(cli, [*args, "--endpoint", endpoint])
        assert there.exit_code == 0 and there.output == here.output, there.output


def test_push_twice_leaves_the_same_triples(seed_store: Path, server: OxigraphServer) -> None:
    with Store.open(seed_store, read_only=True) as store:
        first = push(store, f"{server.url}/store")
        counts = server_counts(server.url)
        second = push(store, f"{server.url}/store")
    assert first.ok and second.ok and first.sent == second.sent
    assert first.gzip is True  # Oxigraph reads gzip request bodies
    assert server_counts(server.url) == counts == local_counts(seed_store)


def test_push_server_killed_midway_names_the_failed_graphs_and_a_later_push_completes(
        seed_store: Path, server: OxigraphServer) -> None:
    def kill_after_first(graph: str, error: object) -> None:
        if error is None and server.process is not None and server.process.poll() is None:
            server.stop()

    with Store.open(seed_store, read_only=True) as store:
        graphs = store.graphs()
        report = push(store, f"{server.url}/store", retries=2, backoff=0.05, timeout=5,
                      on_graph=kill_after_first)
        assert report.sent == graphs[:1]
        assert [e.graph for e in report.failed] == graphs[1:]
        for error in report.failed:
            assert error.status is None
            assert error.graph in str(error) and "cannot reach the server" in str(error)
            assert "gave up after 3 attempts" in str(error)
        server.start()  # same folder, same port
        again = push(store, f"{server.url}/store")
    assert again.ok and again.sent == graphs
    assert server_counts(server.url) == local_counts(seed_store)


def test_push_cli_lists_failed_graphs_and_exits_1(seed_store: Path, server: OxigraphServer) -> None:
    result = CliRunner().invoke(cli, ["push", f"{server.url}/no-such-path", "--store", str(seed_store), "-q",
                                      "--retries", "0"])
    assert result.exit_code == 1
    with Store.open(seed_store, read_only=True) as store:
        graphs = store.graphs()
    assert f"failed: {len(graphs)} graph(s)" in result.output
    for graph in graphs:
        assert f"  {graph}: [GK602] HTTP 404" in result.output
