"""Ad-hoc SPARQL: predeclared prefixes (locally and at an endpoint) and parse errors in one line."""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import geokg
from geokg.cli import cli, main
from geokg.errors import QuerySyntaxError
from geokg.iri_space import DECLARED_PREFIXES
from geokg.queries import run_sparql
from geokg.settings import Settings
from geokg.sparql_text import used_prefixes, with_prefix_declarations
from geokg.store import Store

GK = "https://w3id.org/geokg/ontology#"
ID = "https://w3id.org/geokg/id/"
# Two offers written for this test: Chile offers copper to Japan, Peru offers zinc.
DATA = f"""
<{ID}event/t-1> a <{GK}Offer> ; <{GK}agent> <{ID}country/CL> ; <{GK}theme> <{ID}commodity/copper> .
<{ID}event/t-2> a <{GK}Offer> ; <{GK}agent> <{ID}country/PE> ; <{GK}theme> <{ID}commodity/zinc> .
<{ID}country/CL> <http://www.w3.org/2004/02/skos/core#prefLabel> "Chile" .
"""
OFFERS_BY_CHILE = "SELECT ?e WHERE { ?e a gk:Offer ; gk:agent country:CL }"


def fill(store: Store) -> None:
    store.ox.load(DATA.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("https://w3id.org/geokg/graph/article/t"))


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    path = tmp_path / "p.db"
    with Store.open(path) as store:
        fill(store)
    return path


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as done:
        main(args)
    captured = capsys.readouterr()
    return done.value.code, captured.out, captured.err


def test_predeclared_prefixes_need_no_prefix_line() -> None:
    with Store() as store:
        fill(store)
        assert run_sparql(store, OFFERS_BY_CHILE).rows == [(f"{ID}event/t-1",)]
        assert len(run_sparql(store, "SELECT ?e WHERE { ?e rdf:type gk:Offer }").rows) == 2
        assert run_sparql(store, "ASK { ?e gk:theme commodity:zinc }") is True
        assert run_sparql(store, 'ASK { country:CL skos:prefLabel "Chile"^^xsd:string }') is True


def test_a_prefix_declared_in_the_query_wins() -> None:
    with Store() as store:
        fill(store)
        assert run_sparql(store, "PREFIX gk: <urn:other:> SELECT ?e WHERE { ?e a gk:Offer }").rows == []
        mine = f"PREFIX c: <{ID}country/> PREFIX country: <{ID}commodity/> ASK {{ ?e gk:agent c:CL ; gk:theme country:copper }}"
        assert run_sparql(store, mine) is True


def test_cli_sparql_uses_the_predeclared_prefixes(store_path: Path) -> None:
    result = CliRunner().invoke(cli, ["sparql", OFFERS_BY_CHILE, "--store", str(store_path), "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["e", f"{ID}event/t-1"]


def test_cli_sparql_unknown_prefix_is_one_line(store_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(["sparql", "SELECT * WHERE {\n  ?e a gkk:Offer }", "--store", str(store_path)], capsys)
    assert code == 2 and out == ""
    known = ", ".join(sorted(DECLARED_PREFIXES))
    assert err == f"Error: [GK502] <sparql>:2:8: unknown prefix 'gkk:' (known: {known})\n"
    # a prefix the query declares counts as known; one used after a ";" is found too
    code, _, err = run_main(["sparql", "PREFIX ex: <http://e/> SELECT * { ?e ex:p ?o ; foo:q ?x }",
                             "--store", str(store_path)], capsys)
    assert code == 2 and err.startswith("Error: [GK502] <sparql>:1:48: unknown prefix 'foo:' (known: ")
    assert " ex, " in err and "gk, " in err


@pytest.mark.parametrize(("text", "message"), [
    ("SELECT (COUNT(*) AS ?n WHERE { ?s ?p ?o }", "<sparql>:1:24: syntax error at 'WHERE': expected \")\""),
    ("SELEKT * WHERE { ?s ?p ?o }", "<sparql>:1:1: syntax error at 'SELEKT': a query starts with SELECT, ASK, "
                                    "CONSTRUCT or DESCRIBE (after any PREFIX and BASE)"),
    ("SELECT * WHERE { ?s <http://a b> ?o }", "<sparql>:1:33: invalid IRI"),
    ("SELECT * WHERE {\n  ?s ?p ?o .\n  FILTER(?o = 3 }", "<sparql>:3:18: syntax error at the end of the query"),
])
def test_cli_sparql_syntax_errors_are_one_readable_line(store_path: Path, capsys: pytest.CaptureFixture[str],
                                                        text: str, message: str) -> None:
    code, out, err = run_main(["sparql", text, "--store", str(store_path)], capsys)
    assert code == 2 and out == ""
    assert err == f"Error: [GK502] {message}\n"


def test_a_syntax_error_never_dumps_the_grammar() -> None:
    with Store() as store:
        for text in ("SELECT * WHERE { ?e a gk:Offer . FILTER(?e = 3 }", "SELECT * WHERE { ?e a \"abc }",
                     "SELECT ?x WHERE {\n ?x ?p ?o }\n GROUP BY ?x ORDER ?x", "ASK { ?s ?p }"):
            with pytest.raises(QuerySyntaxError) as info:
                run_sparql(store, text)
            assert "\n" not in str(info.value) and "\\u{" not in str(info.value) and len(str(info.value)) < 120
            assert info.value.lineno is not None and info.value.offset is not None


def test_sparql_help_lists_the_predeclared_prefixes() -> None:
    result = CliRunner().invoke(cli, ["sparql", "--help"])
    assert result.exit_code == 0
    for prefix, namespace in DECLARED_PREFIXES.items():
        assert f"  {prefix + ':':<17}{namespace}\n" in result.output, prefix
    for prefix in ("gk", "rdf", "rdfs", "owl", "xsd", "skos", "prov", "dcterms", "sem", "qudt", "oa",
                   "country", "person", "org", "company", "media", "commodity", "place"):
        assert prefix in DECLARED_PREFIXES


def test_prefix_lines_for_an_endpoint_declare_only_what_the_query_uses() -> None:
    sent = with_prefix_declarations("PREFIX gk: <urn:x:> SELECT * { ?e a gk:Offer ; rdf:type ?t } # skos:x",
                                    DECLARED_PREFIXES)
    assert sent.splitlines()[0] == f"PREFIX rdf: <{DECLARED_PREFIXES['rdf']}>"
    assert used_prefixes(sent) == ["gk", "rdf"] and sent.count("PREFIX") == 2
    assert with_prefix_declarations("ASK { ?s ?p '<gk:x>' }", DECLARED_PREFIXES) == "ASK { ?s ?p '<gk:x>' }"


class _Endpoint(http.server.BaseHTTPRequestHandler):
    """A SPARQL 1.1 Protocol endpoint over an Oxigraph store that knows no prefixes."""

    store: ox.Store
    received: list[str] = []

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8")
        query = urllib.parse.parse_qs(body)["query"][0]
        type(self).received.append(query)
        try:
            result = self.store.query(query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            answer, status, kind = str(exc).encode(), 400, "text/plain"
        else:
            answer = result.serialize(format=ox.QueryResultsFormat.JSON)
            status, kind = 200, "application/sparql-results+json"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def endpoint() -> Iterator[str]:
    _Endpoint.store, _Endpoint.received = ox.Store(), []
    _Endpoint.store.load(DATA.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:x:g"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/query"
    server.shutdown()
    server.server_close()


def test_an_endpoint_is_sent_the_prefix_lines(endpoint: str, store_path: Path) -> None:
    local = geokg.sparql(OFFERS_BY_CHILE, Settings(store=store_path))
    remote = geokg.sparql(OFFERS_BY_CHILE, endpoint=endpoint)
    assert remote.rows == local.rows == [(f"{ID}event/t-1",)]
    assert _Endpoint.received == [f"PREFIX gk: <{GK}>\nPREFIX country: <{ID}country/>\n{OFFERS_BY_CHILE}"]
    assert geokg.sparql("PREFIX gk: <urn:other:> ASK { ?e a gk:Offer }", endpoint=endpoint) is False
    assert _Endpoint.received[-1] == "PREFIX gk: <urn:other:> ASK { ?e a gk:Offer }"
