"""geokg serve: the store over HTTP with Oxigraph's server, read-only by default."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import free_port
from rdflib import Graph

import geokg
from geokg.cli import cli
from geokg.queries import run_query
from geokg.rdf.iris import graph_iri
from geokg.serve import server_command
from geokg.store import Store

pytestmark = pytest.mark.integration

DATA = Path(__file__).resolve().parents[1] / "data" / "store"


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "geokg.db"
    with Store.open(path) as store:
        store.load_reference(Graph().parse(DATA / "reference.ttl"))
        for article in sorted(DATA.glob("2024-*.ttl")):
            store.replace_graph(graph_iri(article.stem), Graph().parse(article))
    return path


def start(store: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    """``python -m geokg serve`` on a free port; returns the process and its base URL once it answers."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "geokg", "serve", "--store", str(store),
                                "--bind", f"127.0.0.1:{port}", *extra],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        assert process.poll() is None, process.communicate()
        try:
            with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1):
                return process, url
        except (urllib.error.URLError, OSError):
            assert time.monotonic() < deadline, f"geokg serve did not answer on {url}"
            time.sleep(0.1)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to geokg, which must pass it on: no oxigraph server may outlive it."""
    os.kill(process.pid, signal.SIGTERM)
    _, err = process.communicate(timeout=15)
    assert b"Traceback" not in err, err


def status_of(request: urllib.request.Request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_serve_read_only_answers_queries_and_refuses_updates(store_path: Path) -> None:
    with Store.open(store_path, read_only=True) as store:
        local = run_query(store, "offers")
        quads = len(store)
    process, url = start(store_path)
    try:
        remote = geokg.query("offers", endpoint=f"{url}/query")  # the union default graph, as locally
        assert remote.rows == local.rows and len(local.rows) > 0
        count = geokg.sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", endpoint=f"{url}/query")
        assert count.rows == [(quads,)]
        triples = geokg.sparql("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3", endpoint=f"{url}/query")
        assert triples.columns == ("subject", "predicate", "object") and len(triples.rows) == 3
        assert geokg.sparql("ASK { ?s ?p ?o }", endpoint=f"{url}/query") is True
        with urllib.request.urlopen(f"{url}/", timeout=10) as page:  # Oxigraph's query page
            assert page.status == 200 and b"<html" in page.read().lower()
        update = urllib.request.Request(f"{url}/update", method="POST",
                                        data=urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
        put = urllib.request.Request(f"{url}/store?graph=urn:x:g", method="PUT", data=b"<urn:x:a> <urn:x:b> <urn:x:c> .",
                                     headers={"Content-Type": "application/n-triples"})
        assert status_of(update) >= 400
        assert status_of(put) >= 400
        push = CliRunner().invoke(cli, ["push", f"{url}/store", "--store", str(store_path), "-q", "--retries", "0"])
        assert push.exit_code == 1 and "failed:" in push.output
    finally:
        stop(process)
    with Store.open(store_path, read_only=True) as store:
        assert len(store) == quads  # nothing was written


def test_serve_allow_update_writes_and_loopback_is_the_default(store_path: Path) -> None:
    process, url = start(store_path, "--allow-update")
    try:
        update = urllib.request.Request(f"{url}/update", method="POST",
                                        data=urllib.parse.urlencode(
                                            {"update": "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> } }"}
                                        ).encode(),
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status_of(update) in (200, 204)
        assert geokg.sparql("ASK { GRAPH <urn:x:g> { ?s ?p ?o } }", endpoint=f"{url}/query") is True
    finally:
        stop(process)
    help_text = " ".join(CliRunner().invoke(cli, ["serve", "--help"]).output.split())
    assert "[default: 127.0.0.1:7878]" in help_text
    assert server_command(store_path)[-3:] == ["--bind", "127.0.0.1:7878", "--union-default-graph"]


def test_serve_without_a_store_says_so(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "geokg", "serve", "--store", str(tmp_path / "none.db"),
                             "--bind", f"127.0.0.1:{free_port()}"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "no store to serve; build or load one first" in result.stderr


def test_serve_in_memory_answers_from_a_copy_and_never_writes_the_store(store_path: Path) -> None:
    with Store.open(store_path, read_only=True) as store:
        local = {name: run_query(store, name) for name in ("offers", "mentions", "events")}
        quads = len(store)
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "geokg", "serve", "--store", str(store_path),
                                "--bind", f"127.0.0.1:{port}", "--in-memory"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        assert process.stderr is not None
        said = [process.stderr.readline()]  # copying..., then (between Oxigraph's lines) serving... once loaded
        while b"serving" not in said[-1] and said[-1]:
            said.append(process.stderr.readline())
        assert b"copying" in said[0] and b"(in memory, a copy)" in said[-1], said
        for name, rows in local.items():
            assert geokg.query(name, endpoint=f"{url}/query").rows == rows.rows, name
        count = geokg.sparql("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", endpoint=f"{url}/query")
        assert count.rows == [(quads,)]
        update = urllib.request.Request(f"{url}/update", method="POST",
                                        data=urllib.parse.urlencode({"update": "DROP ALL"}).encode(),
                                        headers={"Content-Type": "application/x-www-form-urlencoded"})
        assert status_of(update) in (200, 204)  # Oxigraph has no read-only in-memory server: the copy changes
        assert geokg.sparql("ASK { GRAPH ?g { ?s ?p ?o } }", endpoint=f"{url}/query") is False
    finally:
        os.kill(process.pid, signal.SIGTERM)
        _, err = process.communicate(timeout=15)
        assert b"Traceback" not in err, err
    with Store.open(store_path, read_only=True) as store:
        assert len(store) == quads  # ... and the store on disk does not
        assert run_query(store, "offers").rows == local["offers"].rows


def test_serve_in_memory_refuses_allow_update(store_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "geokg", "serve", "--store", str(store_path), "--in-memory",
                             "--allow-update", "--bind", f"127.0.0.1:{free_port()}"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "--allow-update=True is not valid. It cannot go with --in-memory" in result.stderr
