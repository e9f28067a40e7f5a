"""Issue 18 ("Hardening"): foreign RDF, names in any script, network access, resource bounds,
coded errors. docs/reliability.md, "Network, server and resources", lists these cases."""

from __future__ import annotations

import http.server
import json
import logging
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from geokg import crossdoc
from geokg.cli import main
from geokg.load import MAX_LITERAL, load_files
from geokg.keys import minted_ref, slugify
from geokg.model import EntityKind
from geokg.rdf.iris import entity_iri, graph_iri
from geokg.store import Store
from geokg.validate import format_violation

pytestmark = pytest.mark.issue(18)
DATA = Path(__file__).resolve().parent / "data"


def run_main(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``geokg ARGS`` through ``main``: (exit code, stdout, stderr)."""
    try:
        main(args)
        code = 0
    except SystemExit as done:
        code = done.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- 7: names in any script get distinct, stable keys --------------------------------------------
def test_non_latin_names_get_distinct_readable_keys() -> None:
    media = ["Интерфакс", "新华社", "الجزيرة"]
    iris = {str(entity_iri(minted_ref(EntityKind.MEDIA, name))) for name in media}
    assert len(iris) == 3
    assert not any(iri.endswith("/x") for iri in iris)
    people = {name: minted_ref(EntityKind.PERSON, name).key for name in ("Сергей Лавров", "王毅")}
    assert people["Сергей Лавров"] != people["王毅"]
    assert people["Сергей Лавров"].startswith("sergey-lavrov-")  # transliterated, then a hash
    assert people["王毅"].startswith("wangyi-")


def test_non_latin_keys_are_stable_over_case_and_spacing() -> None:
    assert slugify("Интерфакс") == slugify("ИНТЕРФАКС") == slugify(" Интерфакс ")
    assert slugify("Сергей  Лавров") == slugify("сергей лавров")
    # two names that romanise alike keep apart
    assert slugify("Ли") != slugify("李")


@pytest.mark.parametrize(("name", "key"), [
    ("Nicolás  Maduro", "nicolas-maduro"), ("JW&JI Mcdonald & Sons", "jw-ji-mcdonald-sons"),
    ("Straße", "strae"), ("Zelenskyy", "zelenskyy"), ("Ｔｅｓｌａ", "tesla"), ("Tesla ★", "tesla"),
    ("Łódź", "odz"), ("Ørsted", "rsted"), ("", "x"), ("!!", "x"), ("Rio Tinto", "rio-tinto"),
])
def test_latin_names_keep_their_keys(name: str, key: str) -> None:
    assert slugify(name) == key


# -- 3: loaded graphs are checked; the cross-document pass skips what it cannot read -------------
ARTICLE = "2024-03-04-chile-copper-offer"
ARTICLE_TTL = DATA / "store" / f"{ARTICLE}.ttl"
FIRST_AGENT = "    gk:agent country:CL ;\n"  # the offer's agent (event -1)
FOREIGN = {
    "literal-agent": lambda text: text.replace(FIRST_AGENT, '    gk:agent "Chile" ;\n', 1),
    "blank-agent": lambda text: text.replace(FIRST_AGENT, "    gk:agent [ a gk:Country ] ;\n", 1),
    "class-with-a-space": lambda text: text.replace("a gk:Event, gk:Offer ;", "a gk:Event, gk:Off%20er ;", 1),
}


def foreign_article(tmp_path: Path, case: str) -> Path:
    text = ARTICLE_TTL.read_text(encoding="utf-8")
    changed = FOREIGN[case](text)
    assert changed != text
    path = tmp_path / f"{case}.ttl"
    path.write_text(changed, encoding="utf-8")
    return path


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(FOREIGN))
def test_load_drops_a_graph_that_violates_the_shapes(tmp_path: Path, case: str,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = foreign_article(tmp_path, case)
    good = tmp_path / "good.ttl"
    good.write_text(ARTICLE_TTL.read_text(encoding="utf-8"), encoding="utf-8")
    store = tmp_path / "s.db"
    code, out, err = run_main(["load", str(path), "--graph", str(graph_iri("bad")), "--store", str(store)], capsys)
    assert code == 1, (out, err)
    assert f"failed [GK302] {path}: graph {graph_iri('bad')} violates the shapes" in err
    assert "violations:" in out and "focus <https://w3id.org/geokg/id/event/" in out
    code, out, err = run_main(["load", str(good), "--graph", str(graph_iri(ARTICLE)), "--store", str(store)], capsys)
    assert code == 0, (out, err)
    with Store.open(store, read_only=True) as opened:
        assert opened.article_graphs() == [str(graph_iri(ARTICLE))]  # the bad graph is not in the store


@pytest.mark.parametrize("case", sorted(FOREIGN))
def test_crossdoc_skips_foreign_data_naming_the_graph(tmp_path: Path, case: str,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    store_path = tmp_path / "s.db"
    with Store.open(store_path) as store:
        summary = load_files(store, [foreign_article(tmp_path, case)], graph=str(graph_iri("bad")),
                             keep_invalid=True)
        assert summary.ok and summary.violations
        assert load_files(store, [ARTICLE_TTL], graph=str(graph_iri(ARTICLE))).ok
        with caplog.at_level(logging.WARNING, logger="geokg.crossdoc"):
            derived = crossdoc.refresh(store)  # what every build runs after loading its articles
    problem = {"literal-agent": "a gk:agent that is not an IRI", "blank-agent": "a gk:agent that is not an IRI",
               "class-with-a-space": "an event class geokg does not know: "
                                     "<https://w3id.org/geokg/ontology#Off%20er>"}[case]
    assert derived.skipped == [f"graph {graph_iri('bad')}: skipped {problem}"]
    assert f"graph {graph_iri('bad')}: skipped {problem}" in caplog.text
    assert derived.canonical_events >= 3  # the good article's events are still grouped


def test_load_keep_invalid_keeps_the_graph_and_reports_it(tmp_path: Path) -> None:
    with Store.open(tmp_path / "s.db") as store:
        summary = load_files(store, [foreign_article(tmp_path, "literal-agent")], graph=str(graph_iri("bad")),
                             keep_invalid=True)
        assert summary.ok and [f.graphs for f in summary.loaded] == [(str(graph_iri("bad")),)]
        assert any('value "Chile"' in format_violation(v) for v in summary.violations)
        assert store.graphs() == [str(graph_iri("bad"))]


def test_load_does_not_check_graphs_without_geokg_terms(tmp_path: Path) -> None:
    other = tmp_path / "other.ttl"
    other.write_text('<http://example.org/a> <http://example.org/agent> "anything" .\n', encoding="utf-8")
    with Store.open(tmp_path / "s.db") as store:
        summary = load_files(store, [other])
        assert summary.ok and not summary.violations and store.graphs() == [other.resolve().as_uri()]


# -- 10 and 12: one reading rule for load and validate: no network, no other file, no entities ----
class _Recorder(http.server.BaseHTTPRequestHandler):
    """A real HTTP server that records the requests it gets and answers ``answer`` (type, body)."""

    hits: list[str] = []
    answer = ("application/ld+json", b'{"@context": {"name": "http://example.org/name"}}')

    def do_GET(self) -> None:  # noqa: N802
        type(self).hits.append(self.path)
        self.rfile.read(int(self.headers.get("Content-Length") or 0))  # read the request out before answering
        kind, body = self.answer
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET  # noqa: N815

    def log_message(self, *_: object) -> None:
        pass


def recording_server(answer: tuple[str, bytes]) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), type("Handler", (_Recorder,), {"answer": answer}))
    _Recorder.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def context_server() -> Iterator[str]:
    yield from recording_server(_Recorder.answer)


@pytest.fixture
def sparql_server() -> Iterator[str]:
    """An endpoint that answers what does not parse as SPARQL results."""
    yield from recording_server(("application/sparql-results+json", b"garbage{"))


NOT_INLINE = ("not valid JSON-LD: a JSON-LD @context that is not inline (a URL or another file); "
              "geokg reads nothing but the input file: put the context in it")


@pytest.mark.slow
@pytest.mark.parametrize("command", ["validate", "load"])
def test_jsonld_remote_and_file_contexts_are_never_fetched(tmp_path: Path, context_server: str, command: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "elsewhere" / "context.jsonld"
    outside.parent.mkdir()
    outside.write_text('{"@context": {"name": "http://example.org/name"}}', encoding="utf-8")
    for context in (f"{context_server}/context.jsonld", outside.as_uri(), "elsewhere/context.jsonld"):
        doc = tmp_path / "doc.jsonld"
        doc.write_text(json.dumps({"@context": context, "@id": "http://example.org/s", "name": "x"}), encoding="utf-8")
        extra = ["--store", str(tmp_path / "s.db")]
        code, out, err = run_main([command, str(doc), *extra], capsys)
        assert code == 2 if command == "validate" else code == 1, (out, err)
        assert NOT_INLINE in err, err
    assert _Recorder.hits == []


def billion_laughs() -> str:
    """The classic 952-byte-class file: ten levels of ten references, 10^9 "lol"s when expanded."""
    entities = '<!ENTITY lol "lol">\n' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">\n' for n in range(1, 10))
    return (f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n{entities}]>\n'
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
            '<rdf:Description rdf:about="http://example.org/s"><ex:p>&lol9;</ex:p></rdf:Description></rdf:RDF>\n')


@pytest.mark.slow
@pytest.mark.parametrize("command", ["validate", "load"])
def test_rdfxml_entity_expansion_is_refused_at_once(tmp_path: Path, command: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    lol = tmp_path / "lol.rdf"
    lol.write_text(billion_laughs(), encoding="utf-8")
    assert lol.stat().st_size < 1100
    started = time.monotonic()
    code, out, err = run_main([command, str(lol), "--store", str(tmp_path / "s.db")], capsys)
    assert time.monotonic() - started < 30  # it hung before
    assert code in (1, 2)
    assert (f"[GK101] {lol}: the DTD declares entity 'lol'; geokg refuses DTD entities in RDF/XML" in err), err


def test_rdfxml_nesting_is_bounded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deep = tmp_path / "deep.rdf"
    deep.write_text('<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex/">'
                    + "<rdf:Description><ex:p>" * 50_000 + "</ex:p></rdf:Description>" * 50_000 + "</rdf:RDF>",
                    encoding="utf-8")
    code, _, err = run_main(["validate", str(deep)], capsys)
    assert code == 2 and f"[GK101] {deep}:1: elements nested deeper than 1000" in err


def test_validate_reports_a_syntax_error_in_one_coded_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b "unterminated .\n', encoding="utf-8")
    code, out, err = run_main(["validate", str(bad)], capsys)
    assert code == 2 and out == ""
    assert err.splitlines() == [f"Error: [GK101] {bad}:2: not valid Turtle: Parser error between line 2 "
                                "column 11 and line 3 column 1: Unexpected end of file"]


@pytest.mark.slow
# -- 11: load streams; bounded literals; the next file after a bad one --------------------------
def test_load_streams_a_large_ntriples_file(tmp_path: Path) -> None:
    """200,000 triples (20 MB): loaded as one update it peaked near 800 MB; streamed, near 160 MB."""
    big = tmp_path / "big.nt"
    with big.open("w", encoding="utf-8") as out:
        for i in range(200_000):
            out.write(f'<http://example.org/s{i}> <http://example.org/p{i % 50}> "value {i} with some padding" .\n')
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec, so the child would report the
    # peak of the pytest process that spawned it (near 500 MB late in a full run).
    script = ("import re, sys; from geokg.load import load_files; from geokg.store import Store\n"
              "with Store.open(sys.argv[2]) as s: summary = load_files(s, [sys.argv[1]]); n = len(s)\n"
              "hwm = re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)\n"
              "print(n, int(hwm) // 1024, summary.ok)")
    done = subprocess.run([sys.executable, "-c", script, str(big), str(tmp_path / "s.db")],
                          capture_output=True, text=True, timeout=300, check=True)
    quads, peak_mb, ok = done.stdout.split()
    assert (int(quads), ok) == (200_000, "True")
    assert int(peak_mb) < 400, f"peak {peak_mb} MB"


def test_load_refuses_an_overlong_literal_and_goes_on(tmp_path: Path) -> None:
    huge = tmp_path / "huge.nt"
    huge.write_text(f'<http://example.org/s> <http://example.org/p> "{"x" * (MAX_LITERAL + 1)}" .\n', encoding="utf-8")
    bad = tmp_path / "bad.nt"
    bad.write_text('<http://example.org/s> <http://example.org/p> "no end\n', encoding="utf-8")
    good = tmp_path / "good.nt"
    good.write_text('<http://example.org/s> <http://example.org/p> "ok" .\n', encoding="utf-8")
    with Store.open(tmp_path / "s.db") as store:
        summary = load_files(store, [huge, bad, good], graph="http://example.org/g")
        assert [str(e) for e in summary.failures] == [
            f"[GK101] {huge}: a literal of {MAX_LITERAL + 1:,} characters (at most {MAX_LITERAL:,}) "
            "for <http://example.org/s> <http://example.org/p>",
            f"[GK101] {bad}:1: not valid N-Triples: Parser error between line 1 column 47 and line 2 column 1: "
            "Unexpected end of file"]
        assert [f.path for f in summary.loaded] == [str(good)] and len(store) == 1


# -- 8: SERVICE only with --allow-service ----------------------------------------------------------
@pytest.fixture
def small_store(tmp_path: Path) -> Path:
    path = tmp_path / "s.db"
    with Store.open(path) as store:
        assert load_files(store, [ARTICLE_TTL], graph=str(graph_iri(ARTICLE))).ok
    return path


def test_sparql_refuses_service_unless_allowed(small_store: Path, sparql_server: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    refused = ("Error: [GK504] <sparql>: SERVICE makes this machine send requests to the address the query "
               "names; geokg refuses it unless --allow-service is given")
    for text in (f"SELECT * WHERE {{ SERVICE <{sparql_server}/sparql> {{ ?s ?p ?o }} }}",
                 f"SELECT * WHERE {{ \\u0053ERVICE <{sparql_server}/sparql> {{ ?s ?p ?o }} }}",
                 f"ASK {{ ?s ?p ?o . service silent <{sparql_server}/sparql> {{ ?s ?p ?o }} }}"):
        for where in (["--store", str(small_store)], ["--endpoint", f"{sparql_server}/sparql"]):
            code, out, err = run_main(["sparql", text, *where], capsys)
            assert (code, out, err.strip()) == (2, "", refused), (text, where)
    assert _Recorder.hits == []
    # allowed, the query reaches the address; its answer does not parse: a coded error, not a crash (14)
    code, out, err = run_main(["sparql", "--allow-service", "--store", str(small_store),
                               f"SELECT * WHERE {{ SERVICE <{sparql_server}/sparql> {{ ?s ?p ?o }} }}"], capsys)
    assert _Recorder.hits
    assert code == 2 and err.startswith("Error: [GK505] <sparql>: the query failed while running: Parser error"), err


# -- 14: coded errors instead of "unexpected error"; no escape sequences on the terminal ----------
def test_invalid_utf8_in_a_param_or_query_is_a_coded_error(small_store: Path) -> None:
    """Real bytes on a real command line: 0xff is not UTF-8."""
    def geokg(*args: bytes) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable.encode(), b"-m", b"geokg", *args, b"--store", str(small_store).encode()],
                              capture_output=True, timeout=120)

    done = geokg(b"query", b"offers", b"--param", b"commodity=Wh\xffeat")
    assert done.returncode == 2 and done.stdout == b""
    assert done.stderr.decode() == ("Error: [GK503] query 'offers', parameter 'commodity': the value is not valid "
                                    "UTF-8 (byte 0xff at character 3)\n")
    done = geokg(b"sparql", b'SELECT ("\xff" AS ?x) {}')
    assert done.returncode == 2
    assert done.stderr.decode() == ("Error: [GK502] <sparql>:?:?: the query text is not valid UTF-8 "
                                    "(byte 0xff at character 10)\n")


BAD_RESULTS = {
    "bindings as a list of lists": (b'{"head": {"vars": ["s"]}, "results": {"bindings": [["a"]]}}',
                                    "results.bindings[0] is a JSON list, not an object"),
    "bindings as an object": (b'{"head": {"vars": ["s"]}, "results": {"bindings": {"s": 1}}}',
                              "results.bindings is a JSON object, not a list"),
    "the document a list": (b'[{"s": 1}]', "the answer is a JSON list, not an object"),
    "a term without a value": (b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri"}}]}}',
                               'a bound value has no string "value": {"type": "uri"}'),
    "nested past the stack": (b'{"head": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", None),
}


@pytest.mark.parametrize("case", sorted(BAD_RESULTS))
def test_an_endpoint_answering_malformed_json_results_is_a_coded_error(case: str,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    body, problem = BAD_RESULTS[case]
    for url in recording_server(("application/sparql-results+json", body)):
        for args in (["sparql", "SELECT * { ?s ?p ?o }"], ["query", "offers"]):
            code, out, err = run_main([*args, "--endpoint", f"{url}/sparql"], capsys)
            expected = (f"cannot read the JSON results ({problem})" if problem
                        else "the answer is not SPARQL JSON results (Content-Type application/sparql-results+json)")
            assert (code, out, err) == (2, "", f"Error: [GK603] endpoint {url}/sparql: {expected}\n"), args
        code, out, err = run_main(["sparql", "ASK { ?s ?p ?o }", "--endpoint", f"{url}/sparql"], capsys)
        assert code == 2 and err.startswith("Error: [GK603]"), err


@pytest.mark.parametrize(("gold", "problem"), [
    ("{}", "unknown gold format: expected news-dev records (doc, entities, facts) or CrudeOilNews events "
           "(doc, sentence, type, arguments); or pass --format"),
    ("[" * 100_000 + "]" * 100_000, "not JSON geokg reads: nested deeper than Python's stack"),
    ('{"doc": "01", "entities": [{"name": "Chile"}], "facts": []}', 'not a gold record: entities[0] needs a string "type"'),
])
def test_a_bad_gold_file_is_a_coded_error(tmp_path: Path, gold: str, problem: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('\n' + gold + "\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    code, out, err = run_main(["evaluate", str(path), str(tmp_path / "docs")], capsys)
    assert (code, out, err) == (2, "", f"Error: [GK101] {path}:2: {problem}\n")


def test_table_output_strips_control_characters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = tmp_path / "hostile.nt"
    hostile.write_text('<http://example.org/a> <http://example.org/text> '
                       '"Moscow\\u001B]0;pwned\\u0007\\u001B[31m said\\u009B2J\\u202Eevil\\u0008" .\n', encoding="utf-8")
    store = tmp_path / "s.db"
    assert run_main(["load", str(hostile), "--store", str(store)], capsys)[0] == 0
    code, out, _ = run_main(["sparql", "SELECT ?text { ?s <http://example.org/text> ?text }", "--store", str(store)],
                            capsys)
    assert code == 0
    assert out.splitlines()[2] == "Moscow]0;pwned[31m said2Jevil"
    assert not any(ch in out for ch in "\x1b\x07\x9b\u202e\x08")
    code, out, _ = run_main(["sparql", "SELECT ?text { ?s <http://example.org/text> ?text }", "--store", str(store),
                             "--format", "json"], capsys)
    assert json.loads(out)[0]["text"] == "Moscow\x1b]0;pwned\x07\x1b[31m said\x9b2J\u202eevil\x08"  # data kept whole


@pytest.mark.slow
def test_build_after_loading_foreign_data_completes(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                    caplog: pytest.LogCaptureFixture) -> None:
    """The reported failure end to end: a kept foreign graph, then a real ``geokg build``."""
    store = tmp_path / "s.db"
    for case in sorted(FOREIGN):
        code, out, err = run_main(["load", str(foreign_article(tmp_path, case)), "--graph", str(graph_iri(case)),
                                   "--keep-invalid", "--store", str(store)], capsys)
        assert code == 0, (out, err)
    for case in sorted(FOREIGN):  # each load recomputes the derived graphs and says what it skipped
        assert f"graph {graph_iri(case)}: skipped" in caplog.text
    article = tmp_path / "articles" / "offer.txt"
    article.parent.mkdir()
    article.write_text("date 2024-03-05\n\nChile offered copper to Japan on Tuesday, the ministry said.\n",
                       encoding="utf-8")
    code, out, err = run_main(["build", str(article.parent), "--store", str(store), "-q"], capsys)
    assert code == 0, (out, err)
    assert "articles loaded: 1" in out and "cross-document graphs updated: " in out
    code, out, err = run_main(["build", "--recompute-crossdoc", "--store", str(store), "-q"], capsys)
    assert code == 0 and "canonical events: " in out, (out, err)


@pytest.mark.slow
@pytest.mark.parametrize(("name", "text", "outcome"), [
    ("deep.jsonld", '{"@id": "http://example.org/s", ' + '"http://example.org/p": {' * 100_000 + '"@value": 1'
     + "}" * 100_001, "Max stack size of 65536 reached"),
    ("deep.ttl", "@prefix ex: <http://example.org/> .\nex:s ex:p " + "[ ex:p " * 100_000 + "1" + " ]" * 100_000 + " .\n",
     None),
])
def test_load_deep_nesting_is_a_coded_error_or_loads(tmp_path: Path, name: str, text: str, outcome: str | None) -> None:
    """Oxigraph parses every format geokg loads (none goes through rdflib): JSON-LD has its own
    depth bound, Turtle nests without recursion; neither may crash the process."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with Store.open(tmp_path / "s.db") as store:
        summary = load_files(store, [path], graph="http://example.org/g")
    if outcome is None:
        assert summary.ok and summary.loaded[0].triples == 100_001
    else:
        assert [e.code for e in summary.failures] == ["GK101"] and outcome in str(summary.failures[0])


# -- Show: no loaded RDF can change a built-in graph or crash the cross-document pass ---------
_GRAPHS = ["https://w3id.org/geokg/graph/reference", "https://w3id.org/geokg/graph/ontology",
           "https://w3id.org/geokg/graph/crossdoc/entities", "https://w3id.org/geokg/graph/crossdoc/events",
           "https://w3id.org/geokg/graph/state/derived-stale", "https://w3id.org/geokg/graph/anything",
           "https://w3id.org/geokg/graph/article/a1", "http://example.org/g", None]
_GK = "https://w3id.org/geokg/ontology#"
_NODES = [f"{_GK}Offer", f"{_GK}Country", f"{_GK}Off%20er", "https://w3id.org/geokg/id/country/RU",
          "https://w3id.org/geokg/id/commodity/crude-oil", "https://w3id.org/geokg/id/event/a1/1",
          "http://example.org/x"]
_PREDICATES = ["http://www.w3.org/1999/02/22-rdf-syntax-ns#type", f"{_GK}agent", f"{_GK}theme",
               f"{_GK}canonicalEvent", f"{_GK}displayLabel", "http://www.w3.org/2004/02/skos/core#prefLabel",
               "http://example.org/p"]


@pytest.fixture(scope="module")
def built_in_store():
    """An in-memory store with the built-in graphs as a build loads them, and their digest."""
    from geokg.api import _ontology_graph
    from geokg.rdf import reference_graph
    store = Store()
    store.load_reference(reference_graph())
    store.load_ontology(_ontology_graph())
    return store, _built_in_digest(store)


def _built_in_digest(store) -> tuple[int, int]:
    rows = [str(q) for name in ("reference", "ontology")
            for q in store.ox.quads_for_pattern(None, None, None, ox.NamedNode(f"https://w3id.org/geokg/graph/{name}"))]
    return len(rows), hash(frozenset(rows))


def _term(draw, kinds: str):
    choice = draw(st.integers(0, 9))
    if "literal" in kinds and choice < 3:
        return ox.Literal(draw(st.text(max_size=12)))
    if choice < 5:
        return ox.BlankNode(draw(st.sampled_from(["b1", "b2"])))
    return ox.NamedNode(draw(st.sampled_from(_NODES)))


@st.composite
def _quads(draw) -> list:
    quads = []
    for _ in range(draw(st.integers(1, 12))):
        name = draw(st.sampled_from(_GRAPHS))
        quads.append(ox.Quad(_term(draw, "node"), ox.NamedNode(draw(st.sampled_from(_PREDICATES))),
                             _term(draw, "literal node"), ox.NamedNode(name) if name else ox.DefaultGraph()))
    return quads


@pytest.mark.slow
@given(quads=_quads(), keep_invalid=st.booleans())
@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_no_loaded_rdf_changes_a_built_in_graph_or_breaks_the_cross_document_pass(
        built_in_store, tmp_path: Path, quads: list, keep_invalid: bool) -> None:
    store, digest = built_in_store
    path = tmp_path / "drawn.trig"
    path.write_bytes(ox.serialize(quads, format=ox.RdfFormat.TRIG))
    try:
        load_files(store, [path], keep_invalid=keep_invalid)
        assert _built_in_digest(store) == digest
        crossdoc.refresh(store)  # skips, with a warning, what it cannot read; never raises
        assert _built_in_digest(store) == digest
    finally:
        for name in store.graphs():
            if not name.endswith(("/graph/reference", "/graph/ontology")):
                store.ox.update(f"DROP SILENT GRAPH <{name}>")
