"""Binding stored-query parameters as text for remote endpoints (geokg.remote.substitute).

The text a remote store receives must mean what Oxigraph's in-process
substitution means: checked here query by query on the same local store.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rdflib import Graph

from geokg.errors import ConfigError, QueryParameterError
from geokg.queries import bind_params, list_queries, run_query
from geokg.rdf.iris import graph_iri
from geokg.remote import Credentials, _challenge_scheme, _json_term, substitute
from geokg.store import Store

DATA = Path(__file__).resolve().parent / "data" / "store"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    with Store.open(tmp_path_factory.mktemp("remote") / "geokg.db") as opened:
        opened.load_reference(Graph().parse(DATA / "reference.ttl"))
        for path in sorted(DATA.glob("2024-*.ttl")):
            opened.replace_graph(graph_iri(path.stem), Graph().parse(path))
        yield opened


def rows_as_text(store: Store, text: str) -> Counter[tuple]:
    _, rows = store.query(text)
    return Counter(tuple(str(t) if t is not None else None for t in row) for row in rows)


def rows_substituted(store: Store, text: str, bindings: dict) -> Counter[tuple]:
    _, rows = store.query(text, bindings)
    return Counter(tuple(str(t) if t is not None else None for t in row) for row in rows)


def parameter_cases(store: Store) -> list[tuple[str, str, str]]:
    """(query, parameter, value): values seen in the unparameterised result, plus a miss."""
    cases = []
    for stored in list_queries():
        everything = run_query(store, stored).as_dicts()
        for param in stored.params:
            seen = sorted({str(row[param.name]) for row in everything if row[param.name] is not None})[:3]
            miss = "2031-01-01" if param.kind == "date" else "No such thing"
            cases += [(stored.name, param.name, value) for value in [*seen, miss]]
    return cases


def test_remote_substitution_means_what_local_substitution_means(store: Store) -> None:
    cases = parameter_cases(store)
    assert len(cases) >= 20  # every parameter of every stored query, with real values
    hits = 0
    for stored in list_queries():
        for name, param, value in [c for c in cases if c[0] == stored.name]:
            bindings = bind_params(stored, {param: value})
            expected = rows_substituted(store, stored.text, bindings)
            assert rows_as_text(store, substitute(stored.text, bindings)) == expected, (name, param, value)
            hits += bool(expected)
    assert hits >= 10  # the comparison is not only between empty results


@given(st.text())
@example('" } ; DROP ALL ; SELECT * { "')
@example("\\\" . ?s ?p ?o #")
@example("'''\n\"\"\"")
def test_remote_substitution_never_changes_the_query_structure(value: str) -> None:
    offers = next(q for q in list_queries() if q.name == "offers")
    bindings = bind_params(offers, {"commodity": value})
    if not bindings:  # an empty value leaves the parameter unbound
        return
    try:
        text = substitute(offers.text, bindings)
    except QueryParameterError as error:
        assert "\\u" in value or "\\U" in value, error
        return
    result = ox.Store().query(text)  # parses: the value stayed inside its string
    assert [v.value for v in result.variables] == list(offers.columns)
    assert text.count(' AS ?commodity)') == 1


def test_remote_substitution_leaves_strings_comments_and_iris_alone() -> None:
    text = 'SELECT ?x WHERE { # ?x in a comment\n ?s <http://ex/?x> "?x" . ?s ?p ?x } ORDER BY ?x'
    assert substitute(text, {"x": ox.NamedNode("http://ex/a")}) == (
        'SELECT (<http://ex/a> AS ?x) WHERE { # ?x in a comment\n ?s <http://ex/?x> "?x" . ?s ?p <http://ex/a> }'
        ' ORDER BY (<http://ex/a>)')


def test_remote_substitution_refuses_assigned_parameters() -> None:
    with pytest.raises(QueryParameterError, match="assigns"):
        substitute('SELECT ?x WHERE { BIND("a" AS ?x) }', {"x": ox.Literal("b")})


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
