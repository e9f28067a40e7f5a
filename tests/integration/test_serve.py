"""geokg serve: the store over HTTP with Oxigraph's server, read-only by default."""

from __future__ import annotations

import http.client
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
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


def test_serve_pages_a_listing_as_the_local_store_does(store_path: Path) -> None:
    with Store.open(store_path, read_only=True) as store:
        whole = run_query(store, "mentions")
    assert len(whole.rows) > 5
    process, url = start(store_path)
    try:
        pages, offset = [], 0
        while True:  # the next page from where the last ended, as --offset does
            page = geokg.query("mentions", endpoint=f"{url}/query", limit=4, offset=offset)
            assert page.offset == offset and len(page.rows) <= 4
            pages += page.rows
            offset += len(page.rows)
            if not page.more:
                break
        assert pages == whole.rows  # in order, no row skipped or repeated
        done = subprocess.run([sys.executable, "-m", "geokg", "query", "mentions", "--endpoint", f"{url}/query",
                               "--limit", "2", "--offset", "1", "--format", "csv"],
                              capture_output=True, text=True, timeout=60)
        lines = [line for line in done.stdout.splitlines() if line]
        assert done.returncode == 0 and len(lines) == 3  # the header and rows 2-3 of the listing
        assert [line.split(",")[1] for line in lines[1:]] == [str(row[1]) for row in whole.rows[1:3]]
        assert "note: mentions: rows 2-3, more follow (--cursor " in done.stderr
    finally:
        stop(process)


def test_serve_stored_query_endpoint_runs_the_oxigraph_form(store_path: Path) -> None:
    """GET /queries/NAME runs the form geokg query picks (queries/plans/oxigraph/), with the rows
    of the contract text, parameters bound as given and a page asked with limit and offset."""
    from geokg.queries import bind_params, get_query, rows_from_tsv, with_values

    def rows(url: str) -> list[tuple]:
        request = urllib.request.Request(url, headers={"Accept": "text/tab-separated-values"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            return rows_from_tsv(answer.read())

    from geokg import crossdoc

    with Store.open(store_path) as store:
        crossdoc.refresh(store)  # as a build does: co-mentions reads its display labels
    with Store.open(store_path, read_only=True) as store:
        def contract(name: str, **params: str) -> list[tuple]:
            bindings = bind_params(get_query(name), params)
            return rows_from_tsv(store.select_tsv(with_values(get_query(name).text, bindings))[1])

        co_mentions, mentions = contract("co-mentions"), contract("mentions", article="2024-03-04-chile-copper-offer")
    assert get_query("co-mentions").text_for("oxigraph") != get_query("co-mentions").text
    assert len(co_mentions) > 3 and len(mentions) > 3
    process, url = start(store_path)
    try:
        assert rows(f"{url}/queries/co-mentions") == co_mentions
        assert rows(f"{url}/queries/co-mentions?limit=2&offset=1") == co_mentions[1:3]
        assert rows(f"{url}/queries/mentions?article=2024-03-04-chile-copper-offer") == mentions
        for query, status, text in [("nothing", 404, "GK501"), ("mentions?limit=x", 400, "limit='x'"),
                                    ("mentions?country=Chile", 400, "country")]:
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"{url}/queries/{query}", timeout=30)
            assert refused.value.code == status and text in refused.value.read().decode(), query
    finally:
        stop(process)


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


# -- issue 18: Host (DNS rebinding), cross-origin writes, SERVICE --------------------------------
def ask(url: str, *, host: str | None = None, method: str = "GET", path: str = "/query?query=ASK%7B%7D",
        body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """One raw request to the server (http.client, so that Host can be anything): (status, body)."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=host is not None)
        if host is not None:
            connection.putheader("Host", host)
        for name, value in {**(headers or {}), "Content-Length": str(len(body or b""))}.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


@pytest.mark.issue(18)
def test_serve_answers_only_requests_that_name_it(store_path: Path) -> None:
    process, url = start(store_path, "--allow-host", "geokg.test")
    port = urllib.parse.urlsplit(url).port
    try:
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"geokg.test:{port}", f"GEOKG.test:{port}"):
            assert ask(url, host=host)[0] == 200, host
        for host in (f"rebound.example:{port}", f"127.0.0.1:{port + 1}", "127.0.0.1", ""):
            status, body = ask(url, host=host)
            assert status == 403 and body.startswith(b"[GK506] Host "), (host, body)
    finally:
        stop(process)


@pytest.mark.issue(18)
def test_serve_refuses_cross_origin_writes(store_path: Path) -> None:
    process, url = start(store_path, "--allow-update")
    update = urllib.parse.urlencode({"update": "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> <urn:x:c> } }"})
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    try:
        for extra in ({"Origin": "http://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}):
            status, body = ask(url, method="POST", path="/update", body=update.encode(), headers={**form, **extra})
            assert status == 403 and b"[GK506] a write from another origin" in body, (extra, body)
            put = ask(url, method="PUT", path="/store?graph=urn:x:g", body=b"<urn:x:a> <urn:x:b> <urn:x:c> .",
                      headers={"Content-Type": "application/n-triples", **extra})
            assert put[0] == 403, extra
        assert geokg.sparql("ASK { GRAPH <urn:x:g> { ?s ?p ?o } }", endpoint=f"{url}/query") is False
        same = {"Origin": url}  # Oxigraph's own query page, served by this server
        assert ask(url, method="POST", path="/update", body=update.encode(), headers={**form, **same})[0] == 204
        assert geokg.sparql("ASK { GRAPH <urn:x:g> { ?s ?p ?o } }", endpoint=f"{url}/query") is True
    finally:
        stop(process)


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A SPARQL endpoint of sorts that records who asked; answers what does not parse."""

    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802
        type(self).hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", "8")
        self.end_headers()
        self.wfile.write(b"garbage{")

    do_POST = do_GET  # noqa: N815

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    server.shutdown()
    server.server_close()


@pytest.mark.issue(18)
def test_serve_refuses_service_unless_allowed(store_path: Path, recorder: str) -> None:
    query = f"SELECT * WHERE {{ SERVICE <{recorder}> {{ ?s ?p ?o }} }}"
    process, url = start(store_path)
    try:
        for method, path, body, kind in (
                ("GET", "/query?" + urllib.parse.urlencode({"query": query}), None, None),
                ("POST", "/query", urllib.parse.urlencode({"query": query}).encode(), "application/x-www-form-urlencoded"),
                ("POST", "/query", query.encode(), "application/sparql-query")):
            status, answer = ask(url, method=method, path=path, body=body,
                                 headers={"Content-Type": kind} if kind else None)
            assert status == 403 and answer.startswith(b"[GK504] request: SERVICE"), (method, kind, answer)
        assert _Recorder.hits == []
        assert ask(url, path="/query?" + urllib.parse.urlencode({"query": "SELECT ?service { }"}))[0] == 200
    finally:
        stop(process)
    process, url = start(store_path, "--allow-service")
    try:
        ask(url, path="/query?" + urllib.parse.urlencode({"query": query}))
        assert _Recorder.hits, "with --allow-service the query reaches the SERVICE address"
    finally:
        stop(process)


# -- a build while a server answers from the store ---------------------------------------------
def build_into(store: Path, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """``python -m geokg build`` of one plain-text article into ``store``, as a user would run it."""
    article = tmp_path / "zinc-note.txt"
    article.write_text("Peru sold zinc to Korea on Monday.\n", encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "geokg", "build", str(article), "--store", str(store), "-q", *extra],
                          capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("mode, flags", [("read-only", ()), ("in memory", ("--in-memory",)),
                                         ("read-write", ("--allow-update",))])
def test_build_is_refused_while_geokg_serve_answers_from_the_store(store_path: Path, tmp_path: Path, mode: str,
                                                                    flags: tuple[str, ...]) -> None:
    from geokg.serve import servers

    with Store.open(store_path, read_only=True) as store:
        graphs = store.article_graphs()
    process, url = start(store_path, *flags)
    try:
        [server] = servers(store_path)
        assert (server.pid, server.mode, f"http://{server.bind}") == (process.pid, mode, url)
        refused = build_into(store_path, tmp_path)
        assert refused.returncode == 2, refused.stderr
        assert refused.stderr.startswith(f"Error: [GK401] store {store_path}: geokg serve ({mode}, pid {process.pid}, "
                                         f"{url}/, since "), refused.stderr
        assert ("pass --force to build anyway" in refused.stderr) == (mode != "read-write")
        if mode == "read-write":
            assert "--force" not in refused.stderr and "stop it before building" in refused.stderr
            assert build_into(store_path, tmp_path, "--force").returncode == 2  # the server holds the lock
        assert geokg.sparql("ASK { ?s ?p ?o }", endpoint=f"{url}/query") is True  # still serving
    finally:
        stop(process)
    assert servers(store_path) == [] and not list(store_path.glob("geokg-serve-*"))  # the marker goes with it
    with Store.open(store_path, read_only=True) as store:
        assert store.article_graphs() == graphs  # nothing was written


@pytest.mark.slow
def test_build_with_force_while_served_builds_and_warns(store_path: Path, tmp_path: Path) -> None:
    process, url = start(store_path)
    try:
        forced = build_into(store_path, tmp_path, "--force")
    finally:
        stop(process)
    assert forced.returncode == 0, forced.stderr
    assert "articles loaded: 1" in forced.stdout
    assert (f"Warning: store {store_path}: geokg serve (read-only, pid {process.pid}, {url}/, since "
            in forced.stderr and "keeps answering from the data it opened until it is restarted" in forced.stderr)
    with Store.open(store_path, read_only=True) as store:
        assert str(graph_iri("zinc-note")) in store.article_graphs()


def test_a_killed_servers_marker_does_not_block_a_build(store_path: Path) -> None:
    """The lock, not the pid, says whether a server runs: SIGKILL leaves the file, the system drops the lock."""
    from geokg.serve import servers

    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from geokg.serve import mark_serving\n"
        f"marker = mark_serving(Path({str(store_path)!r}), bind='127.0.0.1:1', mode='read-only')\n"
        "print('marked', flush=True); time.sleep(120)")], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "marked"
        assert [s.pid for s in servers(store_path)] == [holder.pid]
    finally:
        holder.kill()
        holder.communicate()
    assert (store_path / f"geokg-serve-{holder.pid}.json").exists()
    assert servers(store_path) == []
    assert not (store_path / f"geokg-serve-{holder.pid}.json").exists()  # removed as stale
