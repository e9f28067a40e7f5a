"""Issue 7, build throughput: the fast validation path gives plain pySHACL's verdicts.

``validate_graphs`` checks a batch of article graphs in as few pySHACL runs as their
overlap allows, with the shapes harvested once, only targeted shapes run, a memoised
shapes graph and a set for pySHACL's parameter list. Every result here is compared with
``pyshacl.validate`` run the plain way (fresh shapes graph, pySHACL's own parameter
list), graph by graph, on the shape test cases and on damaged copies of them that share
nodes (the case that made a naive union of graphs give wrong verdicts).
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pyshacl.shape
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS, XSD

from geokg import resources
from geokg.namespaces import GK, GKID
from geokg.rdf import iris
from geokg.validate import ValidationReport, _compatible_groups, validate, validate_graphs

pytestmark = pytest.mark.issue(7)
CASES = Path(__file__).resolve().parent / "data" / "shapes"
VALID = CASES / "valid" / "chile-copper.ttl"
ROSA = GKID["person/ana-rojas"]

Result = tuple


def _case(path: Path) -> Graph:
    graph = Graph().parse(path, format="turtle")
    for node in list(graph.subjects(RDF.type, URIRef("https://w3id.org/geokg/test#ExpectedResult"))):
        graph.remove((node, None, None))
    return graph


@pytest.fixture(scope="module")
def plain_shapes() -> Graph:
    shapes = Graph()
    for path in resources.shape_files():
        shapes.parse(path, format="turtle")
    return shapes


@pytest.fixture(scope="module")
def cases() -> list[Graph]:
    return [_case(path) for path in sorted((CASES / "valid").glob("*.ttl")) + sorted((CASES / "invalid").glob("*.ttl"))]


def results(graph: Graph) -> set[Result]:
    """Every result of a results graph, as comparable values (blank nodes keep their ids)."""
    return {(graph.value(r, SH.focusNode), graph.value(r, SH.resultPath), graph.value(r, SH.value),
             graph.value(r, SH.sourceConstraintComponent), graph.value(r, SH.resultSeverity),
             graph.value(r, SH.sourceShape), frozenset(graph.objects(r, SH.resultMessage)))
            for r in graph.subjects(RDF.type, SH.ValidationResult)}


def plain(graph: Graph, shapes: Graph) -> tuple[bool, set[Result]]:
    """What pySHACL says of the graph alone, called the documented way."""
    module = pyshacl.shape.module  # type: ignore[attr-defined]
    ours, module.CONSTRAINT_PARAMS = module.CONSTRAINT_PARAMS, (None, None)
    try:
        ok, report, _ = pyshacl.validate(graph, shacl_graph=shapes, inference="none", allow_warnings=True,
                                         allow_infos=True, advanced=False)
    finally:
        module.CONSTRAINT_PARAMS = ours
    return bool(ok), results(report)


def assert_same_as_plain(graphs: list[Graph], reports: list[ValidationReport], shapes: Graph) -> None:
    assert len(reports) == len(graphs)
    for graph, report in zip(graphs, reports):
        ok, expected = plain(graph, shapes)
        assert report.conforms == ok
        assert results(report.graph) == expected
        assert len(report.violations) == len(expected)


def test_shape_cases_together_match_plain_pyshacl(cases: list[Graph], plain_shapes: Graph) -> None:
    assert len(cases) > 10
    reports = validate_graphs(cases)
    assert_same_as_plain(cases, reports, plain_shapes)
    assert sum(r.conforms for r in reports) == 1  # the valid case only


def test_one_graph_alone_matches_plain_pyshacl(cases: list[Graph], plain_shapes: Graph) -> None:
    for graph in cases:
        assert_same_as_plain([graph], [validate(graph)], plain_shapes)


def article_copy(graph: Graph, article: str) -> Graph:
    """The valid case as another article: article, events, quantities and evidence renamed,
    entities (the minted person and media, the reference IRIs) shared with the original."""
    old = "test-chile"
    copy = Graph(identifier=iris.graph_iri(article))

    def rename(node):  # noqa: ANN001, ANN202
        if isinstance(node, URIRef) and old in str(node) and "/person/" not in str(node):
            return URIRef(str(node).replace(old, article))
        if isinstance(node, Literal) and str(node) == old:
            return Literal(article)
        return node

    for s, p, o in graph:
        copy.add((rename(s), p, rename(o)))
    return copy


def test_a_shared_node_said_differently_is_not_validated_in_one_union(plain_shapes: Graph) -> None:
    # Two articles mint the same person; the second drops her label (a violation of its own).
    # In one union graph the first article's label would hide it.
    first = article_copy(_case(VALID), "a1")
    second = article_copy(_case(VALID), "a2")
    second.remove((ROSA, SKOS.prefLabel, None))
    union = Graph()
    union += first
    union += second
    assert validate(union).conforms  # what a naive union would conclude
    assert _compatible_groups([first, second]) == [[0], [1]]
    reports = validate_graphs([first, second])
    assert [r.conforms for r in reports] == [True, False]
    assert {v.article for v in reports[1].violations} == {"a2"}
    assert_same_as_plain([first, second], reports, plain_shapes)


def test_two_labels_for_one_minted_node_both_conform(plain_shapes: Graph) -> None:
    first = article_copy(_case(VALID), "b1")
    second = article_copy(_case(VALID), "b2")
    second.set((ROSA, SKOS.prefLabel, Literal("A. Rojas")))
    reports = validate_graphs([first, second])
    assert [r.conforms for r in reports] == [True, True]
    assert_same_as_plain([first, second], reports, plain_shapes)


def test_graphs_that_agree_are_validated_together() -> None:
    graphs = [article_copy(_case(VALID), f"c{i}") for i in range(5)]
    assert _compatible_groups(graphs) == [[0, 1, 2, 3, 4]]
    assert all(r.conforms and r.violations == () for r in validate_graphs(graphs))


def test_articles_argument_names_each_graph() -> None:
    graphs = [article_copy(_case(VALID), "d1"), article_copy(_case(VALID), "d2")]
    graphs[1].remove((GKID["event/d2-1"], GK.agent, None))
    graphs[1].remove((GKID["event/d2-1"], GK.theme, None))
    graphs[1].remove((GKID["event/d2-1"], GK.recipient, None))
    reports = validate_graphs(graphs, articles=["x1", "x2"])
    assert reports[0].conforms and not reports[1].conforms
    assert {v.article for v in reports[1].violations} == {"x2"}
    with pytest.raises(ValueError, match="2 graphs but 1 article ids"):
        validate_graphs(graphs, articles=["x1"])


# Damage drawn by hypothesis: drop a statement, add a clashing label or type, retype a
# literal, give a node a statement another graph holds differently.
DAMAGE = st.lists(st.tuples(st.sampled_from(["drop", "forget", "label", "type", "literal", "rank"]),
                            st.integers(min_value=0, max_value=10_000)), max_size=3)


def damaged(graph: Graph, damage: list[tuple[str, int]]) -> Graph:
    copy = Graph(identifier=graph.identifier)
    copy += graph
    for kind, pick in damage:
        triples = sorted(copy)
        if not triples:
            break
        s, p, o = triples[pick % len(triples)]
        if kind == "drop":
            copy.remove((s, p, o))
        elif kind == "forget":  # a statement about a node the copies share
            shared = sorted(copy.triples(([ROSA, GKID["media/radio-andes"]][pick % 2], None, None)))
            if shared:
                copy.remove(shared[pick % len(shared)])
        elif kind == "label":
            copy.add((s if pick % 2 else ROSA, SKOS.prefLabel, Literal(f"label {pick % 3}")))
        elif kind == "type":
            copy.add((s, RDF.type, [GK.Company, GK.Organization, GK.Person, GK.Offer][pick % 4]))
        elif kind == "literal":
            copy.set((s, p, Literal(str(o), datatype=XSD.string if pick % 2 else XSD.integer)))
        else:
            copy.set((GKID["event/" + str(pick % 3)], GK.rank, Literal(pick % 3, datatype=XSD.integer)))
    return copy


@pytest.mark.slow
@hypothesis_settings(max_examples=max(5, hypothesis_settings().max_examples // 3),
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(batch=st.lists(st.tuples(st.integers(min_value=0, max_value=3), DAMAGE), min_size=2, max_size=6))
def test_damaged_batches_match_plain_pyshacl(batch: list, plain_shapes: Graph) -> None:
    valid = _case(VALID)
    graphs = [damaged(article_copy(valid, f"h{source}") if source else valid, damage)
              for source, damage in batch]
    assert_same_as_plain(graphs, validate_graphs(graphs), plain_shapes)


def test_pyshacl_still_reads_its_parameter_list_where_we_set_it() -> None:
    # The set-based parameter list only helps while Shape.validate reads CONSTRAINT_PARAMS
    # from its module; a pySHACL that stops doing so needs this module looked at again.
    import inspect

    from geokg._pyshacl_speedups import ParameterList, install

    assert install()
    assert "CONSTRAINT_PARAMS" in inspect.getsource(pyshacl.shape.Shape.validate)
    assert isinstance(pyshacl.shape.module.CONSTRAINT_PARAMS[0], ParameterList)  # type: ignore[attr-defined]
