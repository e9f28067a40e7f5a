"""Stored queries at a SPARQL endpoint: the text sent is the text run locally (parameters in a
leading VALUES block), and the rows that come back are the local rows.

The endpoint here is a real HTTP server answering with a real Oxigraph store, and it
records the query text it receives.
"""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from geokg import crossdoc
from geokg.errors import ConfigError, QueryParameterError
from geokg.queries import bind_params, get_query, list_queries, run_query, with_values
from geokg.rdf.iris import graph_iri
from geokg.remote import Credentials, _challenge_scheme, _json_term, run_remote_query
from geokg.store import Store

DATA = Path(__file__).resolve().parent / "data" / "store"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    with Store.open(tmp_path_factory.mktemp("remote") / "geokg.db") as opened:
        opened.load_reference(Graph().parse(DATA / "reference.ttl"))
        for path in sorted(DATA.glob("2024-*.ttl")):
            opened.replace_graph(graph_iri(path.stem), Graph().parse(path))
        crossdoc.refresh(opened)
        yield opened


@pytest.fixture(scope="module")
def endpoint(store: Store) -> Iterator[tuple[str, list[str]]]:
    """A SPARQL 1.1 Protocol endpoint (form-encoded POST, JSON results) over ``store``, the
    union of its graphs as the default graph; yields its URL and the query texts it received."""
    received: list[str] = []

    class Endpoint(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
            received.append(form["query"][0])
            body = store.ox.query(form["query"][0], use_default_graph_as_union=True).serialize(
                format=ox.QueryResultsFormat.JSON)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Endpoint)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/query", received
    server.shutdown()
    server.server_close()


def parameter_cases(store: Store) -> list[tuple[str, dict[str, str]]]:
    """(query, params): no parameter, then each parameter with values seen in the unparameterised
    result and a miss."""
    cases = []
    for stored in list_queries():
        everything = run_query(store, stored).as_dicts()
        cases.append((stored.name, {}))
        for param in stored.params:
            seen = sorted({str(row[param.name]) for row in everything if row.get(param.name) is not None})[:3]
            miss = "2031-01-01" if param.kind == "date" else "No such thing"
            cases += [(stored.name, {param.name: value}) for value in [*seen, miss]]
    return cases


def test_remote_stored_queries_send_the_local_text_and_get_the_local_rows(
        store: Store, endpoint: tuple[str, list[str]]) -> None:
    url, received = endpoint
    cases = parameter_cases(store)
    assert len(cases) >= 40  # every stored query, each parameter with real values
    hits = 0
    for name, params in cases:
        stored = get_query(name)
        local = run_query(store, stored, params)
        remote = run_remote_query(url, stored, params)
        assert received[-1] == with_values(stored.text, bind_params(stored, params)), (name, params)
        assert (remote.columns, remote.rows) == (local.columns, local.rows), (name, params)
        hits += bool(params) and bool(local.rows)
    assert hits >= 10  # the comparison is not only between empty results


def test_remote_pages_are_the_local_pages(store: Store, endpoint: tuple[str, list[str]]) -> None:
    url, received = endpoint
    for limit, offset in ((3, 0), (3, 3), (100, 2)):
        local = run_query(store, "mentions", limit=limit, offset=offset)
        remote = run_remote_query(url, "mentions", limit=limit, offset=offset)
        assert (remote.rows, remote.more, remote.offset) == (local.rows, local.more, local.offset)
        assert received[-1].endswith(f"LIMIT {limit + 1}" + (f" OFFSET {offset}" if offset else ""))


def test_remote_refuses_codepoint_escapes_in_a_value(endpoint: tuple[str, list[str]]) -> None:
    url, received = endpoint
    before = len(received)
    with pytest.raises(QueryParameterError, match=r"may not contain '\\u'"):
        run_remote_query(url, "offers", {"commodity": "Copper\\u0022"})
    assert len(received) == before  # refused before anything is sent


def test_remote_json_terms_become_the_local_values() -> None:
    assert _json_term({"type": "typed-literal", "value": "3",
                       "datatype": "http://www.w3.org/2001/XMLSchema#integer"}) == ox.Literal(
        "3", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    assert _json_term({"type": "literal", "value": "Chile", "xml:lang": "en"}) == ox.Literal("Chile", language="en")
    assert _json_term({"type": "uri", "value": "http://ex/a"}) == ox.NamedNode("http://ex/a")
    assert _json_term(None) is None


def test_remote_auth_challenges_and_credentials() -> None:
    assert _challenge_scheme('Digest realm="SPARQL", nonce="a", qop="auth"') == "digest"
    assert _challenge_scheme('Basic realm="SPARQL"') == "basic"
    assert _challenge_scheme('Basic realm="x", Digest realm="y", qop="auth"') == "digest"
    assert _challenge_scheme("Bearer") is None
    with pytest.raises(ConfigError, match="auth"):
        Credentials(user="u", password="p", auth="ntlm")
    with pytest.raises(ConfigError, match="not both"):
        Credentials(user="u", password="p", token="t")


@pytest.mark.integration
@pytest.mark.issue(20)
def test_remote_stored_queries_go_by_name_to_geokg_serve_and_as_text_to_a_plain_oxigraph_server(
        tmp_path: Path) -> None:
    """A real ``geokg serve`` is asked ``GET /queries/NAME`` (the form for its engine, e.g. the
    plan for a bound commodity) and a real plain Oxigraph server, which has no such path, the
    text at ``/query`` (asked once per session): both give the local rows, pages too."""
    from conftest import free_port

    from geokg import api, serve
    from geokg.remote import HttpClient
    from geokg.settings import Settings

    path = tmp_path / "geokg.db"
    with Store.open(path) as opened:
        opened.load_reference(Graph().parse(DATA / "reference.ttl"))
        for article in sorted(DATA.glob("2024-*.ttl")):
            opened.replace_graph(graph_iri(article.stem), Graph().parse(article))
        crossdoc.refresh(opened)
    cases = [("co-mentions", {}, None, 0), ("co-mentions", {}, 2, 1), ("timeline", {"entity": "Chile"}, None, 0),
             ("event-reports", {"commodity": "Copper"}, None, 0),
             ("mentions", {"article": "2024-03-04-chile-copper-offer"}, 3, 0)]
    assert all(get_query(name).text_for("oxigraph", params) != get_query(name).text for name, params, *_ in cases[:4])
    with Store.open(path, read_only=True) as local:
        expected = [run_query(local, name, params, limit=limit, offset=offset) for name, params, limit, offset in cases]
    assert all(result.rows for result in expected)

    class Recording(HttpClient):
        """The real client, noting the paths it asks for."""

        def __init__(self) -> None:
            super().__init__()
            self.paths: list[str] = []

        def request(self, method: str, url: str, **kwargs: object):  # type: ignore[override]
            self.paths.append(urllib.parse.urlsplit(url).path)
            return super().request(method, url, **kwargs)

    plain_bind = f"127.0.0.1:{free_port()}"
    plain = serve.start_server(serve.server_command(path, plain_bind))
    server = api.serve(Settings(store=path), bind=f"127.0.0.1:{free_port()}")
    try:
        serve.wait_until_up(plain, plain_bind)
        for endpoint, by_name in ((f"http://{server.gate.bind}/query", True), (f"http://{plain_bind}/query", False)):
            client = Recording()
            for (name, params, limit, offset), local in zip(cases, expected, strict=True):
                remote = run_remote_query(endpoint, name, params, client=client, limit=limit, offset=offset)
                assert (remote.rows, remote.more) == (local.rows, local.more), (endpoint, name, params)
            if by_name:
                assert client.paths == [f"/queries/{name}" for name, *_ in cases]
            else:
                assert client.paths == ["/queries/co-mentions"] + ["/query"] * len(cases)
    finally:
        server.terminate()
        plain.terminate()
        plain.wait(timeout=15)
