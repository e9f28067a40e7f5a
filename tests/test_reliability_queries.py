"""Issue 4, hostile parameters and updates: a parameter value cannot change a query, a
stored query cannot write, ``geokg sparql`` writes only with ``--allow-update``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import example, given
from hypothesis import strategies as st
from rdflib import Graph

from geokg.cli import cli, main
from geokg.errors import QueryParameterError, QuerySyntaxError
from geokg.queries import StoredQuery, UpdateResult, list_queries, load_query, run_query, run_sparql
from geokg.rdf.iris import graph_iri
from geokg.store import Store

DATA = Path(__file__).resolve().parent / "data"
ARTICLES = ("2024-03-04-chile-copper-offer", "2024-03-10-japan-copper-imports")
pytestmark = pytest.mark.issue(4)

HOSTILE = [
    '"} ; DROP ALL ; #',
    "Copper\") } UNION { ?s ?p ?o } #",
    "'; DELETE WHERE { ?s ?p ?o } ; '",
    "}}}}",
    "{ ?s ?p ?o }",
    "DROP GRAPH <https://w3id.org/geokg/graph/reference>",
    "\\\" ) } INSERT DATA { <urn:a> <urn:b> <urn:c> } #",
    "https://w3id.org/geokg/id/country/CL> } ; DROP ALL ; <urn:x",
    "https://w3id.org/geokg/id/country/C L",
    "<urn:a b>",
    "urn:a\n} CLEAR ALL",
    "2024-01-01\"^^<http://www.w3.org/2001/XMLSchema#date> } ; DROP ALL ; #",
    "1 } ; DROP ALL",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    """The reference graph and the two hand-written articles of tests/data/store/, on disk."""
    with Store.open(tmp_path_factory.mktemp("reliability-queries") / "geokg.db") as opened:
        opened.load_reference(Graph().parse(DATA / "store" / "reference.ttl"))
        for article in ARTICLES:
            opened.replace_graph(graph_iri(article), Graph().parse(DATA / "store" / f"{article}.ttl"))
        yield opened


def snapshot(store: Store) -> set[str]:
    return {str(quad) for quad in store.quads()}


@pytest.fixture(scope="module")
def typed_query(tmp_path_factory: pytest.TempPathFactory) -> StoredQuery:
    """A stored query with one parameter of every kind (the shipped ones have only literals and dates)."""
    path = tmp_path_factory.mktemp("rq") / "typed.rq"
    path.write_text("# title: Typed parameters\n# description: one parameter of each kind\n"
                    "# param: entity (IRI) - an entity IRI\n"
                    "# param: label (literal) - a label\n"
                    "# param: when (date) - a date\n"
                    "# param: n (integer) - a number\n"
                    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
                    "SELECT ?entity ?label ?when ?n WHERE {\n"
                    "  ?entity skos:prefLabel ?label .\n"
                    "  FILTER(!BOUND(?_entity) || ?entity = ?_entity)\n"
                    "  FILTER(!BOUND(?_label) || ?label = ?_label)\n"
                    "  BIND(?_when AS ?when) BIND(?_n AS ?n)\n"
                    "}\n", encoding="utf-8")
    return load_query(path)


PARAMS = sorted((q.name, p.name) for q in list_queries() for p in q.params)


@pytest.mark.parametrize(("name", "param"), PARAMS)
@pytest.mark.parametrize("value", HOSTILE)
def test_reliability_stored_query_params_cannot_inject(store: Store, name: str, param: str, value: str) -> None:
    """Every parameter of every stored query: a hostile value is refused or bound as one term."""
    before = snapshot(store)
    everything = set(run_query(store, name, {}).rows)
    try:
        bound = set(run_query(store, name, {param: value}).rows)
    except QueryParameterError as error:
        assert error.name == param and "expected" in str(error)
    else:
        assert bound <= everything  # a term can narrow the rows, never add to them
    assert snapshot(store) == before


@pytest.mark.parametrize("kind", ["entity", "label", "when", "n"])
@given(value=st.text(max_size=60))
@example(value="https://w3id.org/geokg/id/country/C L")
@example(value="urn:a> } ; DROP ALL ; <urn:b")
@example(value="https://w3id.org/geokg/id/country/CL")
def test_reliability_every_param_kind_is_a_term(store: Store, typed_query: StoredQuery, kind: str,
                                                value: str) -> None:
    size, everything = len(store), set(run_query(store, typed_query, {}).rows)
    try:
        bound = set(run_query(store, typed_query, {kind: value}).rows)
    except QueryParameterError as error:
        assert error.name == kind
    else:
        # ?when and ?n only echo their parameter: binding one sets that column on every
        # row, so compare the other columns (a term narrows them, never adds).
        column = typed_query.columns.index(kind)
        assert {row[:column] + row[column + 1:] for row in bound} <= {
            row[:column] + row[column + 1:] for row in everything}
        as_itself = {"entity": lambda: value.strip().strip("<>"), "when": lambda: dt.date.fromisoformat(value.strip()),
                     "n": lambda: int(value.strip()), "label": lambda: value}
        if value.strip():  # a value that is accepted stands as itself in its column
            assert all(row[column] == as_itself[kind]() for row in bound)
    assert len(store) == size


def test_reliability_iri_with_spaces_is_refused(store: Store, typed_query: StoredQuery) -> None:
    with pytest.raises(QueryParameterError, match="expected an IRI"):
        run_query(store, typed_query, {"entity": "https://w3id.org/geokg/id/country/C L"})
    chile = run_query(store, typed_query, {"entity": "<https://w3id.org/geokg/id/country/CL>"}).rows
    assert {row[1] for row in chile} == {"Chile"}  # labelled in the reference and an article graph


@pytest.mark.parametrize("update", [
    "DROP ALL",
    "PREFIX gk: <https://w3id.org/geokg/ontology#>\nDELETE WHERE { ?s ?p ?o }",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "# a comment first\nCLEAR GRAPH <https://w3id.org/geokg/graph/reference>",
    "LOAD <http://127.0.0.1:9/nothing.ttl>",
])
def test_reliability_stored_query_cannot_be_an_update(store: Store, tmp_path: Path, update: str) -> None:
    path = tmp_path / "evil.rq"
    path.write_text(f"# title: Evil\n# description: tries to write\n{update}\n", encoding="utf-8")
    before = snapshot(store)
    with pytest.raises(QuerySyntaxError, match="is SPARQL Update; a stored query must be a SELECT query") as info:
        load_query(path)
    assert info.value.filename == str(path)
    # Even a StoredQuery built by hand around update text cannot write: queries run through Store.query.
    forged = StoredQuery("evil", "Evil", "", (), update, path, ())
    with pytest.raises(QuerySyntaxError):
        run_query(store, forged)
    assert snapshot(store) == before


def test_reliability_run_sparql_update_only_when_allowed(tmp_path: Path) -> None:
    with Store.open(tmp_path / "db") as store:
        insert = "INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }"
        with pytest.raises(QuerySyntaxError, match="unless --allow-update is given"):
            run_sparql(store, insert)
        assert len(store) == 0
        assert run_sparql(store, insert, allow_update=True) == UpdateResult(0, 1)
        assert run_sparql(store, "ASK { <urn:a> <urn:b> <urn:c> }", allow_update=True) is True
        with pytest.raises(QuerySyntaxError, match="neither a SPARQL query nor a SPARQL Update"):
            run_sparql(store, "SELEKT nothing", allow_update=True)
        with pytest.raises(QuerySyntaxError):  # a broken update keeps its own parse error, and writes nothing
            run_sparql(store, "INSERT DATA { <urn:x> <urn:y> }", allow_update=True)
        assert len(store) == 1


def test_reliability_cli_sparql_refuses_then_allows_update(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "db")
    with Store.open(db) as store:
        store.update("INSERT DATA { GRAPH <urn:g> { <urn:a> <urn:b> <urn:c> } }")
    count = ["sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--store", db, "--format", "csv"]
    drop = ["sparql", "DROP GRAPH <urn:g>", "--store", db]
    with pytest.raises(SystemExit) as done:
        main(drop)
    err = capsys.readouterr().err
    assert done.value.code == 2 and err.startswith("Error: [GK502] ") and "--allow-update" in err
    assert CliRunner().invoke(cli, count).stdout.split() == ["n", "1"]
    allowed = CliRunner().invoke(cli, drop + ["--allow-update"])
    assert allowed.exit_code == 0, allowed.output
    assert allowed.stdout == "update applied: 0 quads in the store (was 1)\n"
    assert CliRunner().invoke(cli, count).stdout.split() == ["n", "0"]
