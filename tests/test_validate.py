"""Shapes and validation: self-describing cases under tests/data/shapes/.

Each ``invalid/*.ttl`` holds a small graph plus the results it must produce, as
``gkt:ExpectedResult`` nodes (focus node, result path, constraint component), in
the spirit of pySHACL's DASH test files. The test asserts that the report holds
exactly those results, whatever the message prose says, and separately that
every result carries a message.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pyshacl
import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH

from geokg.errors import ShapesError
from geokg.namespaces import GK, GKID, GKSH
from geokg.rdf import iris
from geokg.validate import (ValidationReport, Violation, format_violation, load_shapes, validate,
                            quarantine_stem, write_quarantine)

SHAPES_DATA = Path(__file__).resolve().parent / "data" / "shapes"
VALID = sorted((SHAPES_DATA / "valid").glob("*.ttl"))
INVALID = sorted((SHAPES_DATA / "invalid").glob("*.ttl"))
GKT = Namespace("https://w3id.org/geokg/test#")

Result = tuple[URIRef, "URIRef | None", URIRef]


def load_case(path: Path) -> tuple[Graph, set[Result]]:
    """The data graph of a case file and the results it expects (removed from the data)."""
    graph = Graph().parse(path, format="turtle")
    expected = set()
    for node in list(graph.subjects(RDF.type, GKT.ExpectedResult)):
        expected.add((graph.value(node, GKT.focusNode), graph.value(node, GKT.resultPath),
                      graph.value(node, GKT.component)))
        graph.remove((node, None, None))
    return graph, expected


def actual_results(report: ValidationReport) -> set[Result]:
    g = report.graph
    return {(g.value(r, SH.focusNode), g.value(r, SH.resultPath), g.value(r, SH.sourceConstraintComponent))
            for r in g.subjects(RDF.type, SH.ValidationResult)}


def test_cases_exist() -> None:
    assert VALID and len(INVALID) >= 10


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid_graph_conforms(path: Path) -> None:
    report = validate(Graph().parse(path, format="turtle"))
    assert report.conforms, report.text
    assert report.violations == ()
    assert report.text == "Conforms: True"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_graph_gives_expected_results(path: Path) -> None:
    graph, expected = load_case(path)
    assert expected, f"{path.name} declares no gkt:ExpectedResult"
    report = validate(graph)
    assert not report.conforms
    assert actual_results(report) == expected, report.text
    assert len(report.violations) == len(expected)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_every_result_has_a_message(path: Path) -> None:
    graph, _ = load_case(path)
    report = validate(graph)
    for result in report.graph.subjects(RDF.type, SH.ValidationResult):
        messages = [str(m).strip() for m in report.graph.objects(result, SH.resultMessage)]
        assert messages and all(messages), f"result without sh:resultMessage in {path.name}"
    for violation in report.violations:
        assert violation.message and violation.message != "(no message)"
        assert violation.severity == "Violation"
        assert violation.component.endswith("ConstraintComponent")


def test_violation_fields_and_article_from_nodes() -> None:
    graph, _ = load_case(SHAPES_DATA / "invalid" / "rank-zero.ttl")
    report = validate(graph)
    [v] = [v for v in report.violations if v.focus_node.endswith("t-rank0-1")]
    assert v == Violation(
        focus_node=str(GKID["event/t-rank0-1"]), path=str(GK.rank), message=v.message,
        severity="Violation", component="MinInclusiveConstraintComponent", article="t-rank0",
        value='"0"^^<http://www.w3.org/2001/XMLSchema#integer>', shape=str(GKSH.RankValue))
    assert "positive integer" in v.message.lower() or "positiveinteger" in v.message.lower()


@pytest.mark.parametrize("name, article", [
    ("quantity-no-unit", "t-qty"),          # quantity: found through the event pointing at it
    ("evidence-reversed", "t-span"),        # evidence: same
    ("country-code", "t-iso"),              # an entity the event names
    ("article-no-text", "t-notext"),        # the article itself
    ("event-no-provenance", None),          # nothing says where it comes from
])
def test_article_of_a_result_comes_from_the_graph(name: str, article: str | None) -> None:
    graph, _ = load_case(SHAPES_DATA / "invalid" / f"{name}.ttl")
    assert {v.article for v in validate(graph).violations} == {article}


def test_article_from_graph_identifier_and_argument() -> None:
    graph, _ = load_case(SHAPES_DATA / "invalid" / "event-no-provenance.ttl")
    named = Graph(identifier=iris.graph_iri("a-named"))
    named += graph
    assert {v.article for v in validate(named).violations} == {"a-named"}
    assert {v.article for v in validate(graph, article="given").violations} == {"given"}


def test_dataset_is_validated_graph_by_graph() -> None:
    dataset = Dataset()
    good = dataset.graph(iris.graph_iri("good"))
    good += Graph().parse(VALID[0], format="turtle")
    bad_graph, expected = load_case(SHAPES_DATA / "invalid" / "statement-no-quote.ttl")
    bad = dataset.graph(iris.graph_iri("bad"))
    bad += bad_graph
    report = validate(dataset)
    assert not report.conforms
    assert actual_results(report) == expected
    assert {v.article for v in report.violations} == {"bad"}


def test_format_violation_uses_prefixed_names() -> None:
    graph, _ = load_case(SHAPES_DATA / "invalid" / "rank-word.ttl")
    lines = [format_violation(v) for v in validate(graph).violations]
    assert lines
    for line in lines:
        assert line.startswith("focus <https://w3id.org/geokg/id/event/t-rank5-1> path gk:rank value ")
        assert line.endswith("(article t-rank5)")


def test_report_text_lists_every_result() -> None:
    graph, expected = load_case(SHAPES_DATA / "invalid" / "event-no-provenance.ttl")
    report = validate(graph)
    lines = report.text.splitlines()
    assert lines[0] == f"Conforms: False ({len(expected)} violations)"
    assert lines[1:] == [format_violation(v) for v in report.violations]


def test_shapes_are_valid_shacl() -> None:
    # meta_shacl=True first validates the shapes graph against SHACL-for-SHACL;
    # pySHACL raises if the shapes themselves are not well-formed.
    conforms, _, text = pyshacl.validate(Graph(), shacl_graph=load_shapes(), meta_shacl=True,
                                         inference="none")
    assert conforms, text


def test_every_shape_has_a_message() -> None:
    # A shape that holds a constraint (anything beyond targets, path and nested
    # property shapes) reports results, so it must say what is wrong in words.
    control = {RDF.type, SH.property, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf,
               SH.targetNode, SH.path, SH.message}
    shapes = load_shapes()
    named = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(shapes.subjects(RDF.type, SH.PropertyShape))
    checked = 0
    for shape in named | set(shapes.objects(None, SH.property)):
        if set(shapes.predicates(shape)) - control:
            message = shapes.value(shape, SH.message)
            assert isinstance(message, Literal) and str(message).strip(), f"{shape} has no sh:message"
            checked += 1
    assert checked > 40


def test_load_shapes_is_cached() -> None:
    assert load_shapes() is load_shapes()


@pytest.fixture
def shapes_override(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A resources folder of our own, with the shapes cache cleared around the test."""
    (tmp_path / "shapes").mkdir()
    monkeypatch.setenv("GEOKG_RESOURCES", str(tmp_path))
    load_shapes.cache_clear()
    yield tmp_path / "shapes"
    load_shapes.cache_clear()


def test_unparsable_shapes_raise_shapes_error(shapes_override: Path) -> None:
    (shapes_override / "broken.ttl").write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\n<a> sh:path", encoding="utf-8")
    with pytest.raises(ShapesError, match=r"broken\.ttl: cannot parse the shapes"):
        load_shapes()


def test_missing_shapes_raise_shapes_error(shapes_override: Path) -> None:
    with pytest.raises(ShapesError, match="no \\*.ttl shapes"):
        load_shapes()


def test_write_quarantine(tmp_path: Path) -> None:
    graph, _ = load_case(SHAPES_DATA / "invalid" / "statement-no-quote.ttl")
    report = validate(graph)
    trig = write_quarantine(tmp_path / "quarantine", "t-noquote", graph, report)
    assert trig == tmp_path / "quarantine" / f"{quarantine_stem('t-noquote')}.trig"
    back = Dataset()
    with warnings.catch_warnings():
        # rdflib 7's TriG parser calls its own deprecated Dataset.default_context.
        warnings.simplefilter("ignore", DeprecationWarning)
        back.parse(trig, format="trig")
    named = back.graph(iris.graph_iri("t-noquote"))
    assert len(named) == len(graph)
    assert set(named) == set(graph)  # the cases hold no blank nodes, so triples compare directly
    text = trig.with_suffix(".txt").read_text(encoding="utf-8")
    assert "t-noquote" in text and "gk:quote" in text and report.text in text


def test_write_quarantine_keeps_file_names_safe(tmp_path: Path) -> None:
    graph = Graph()
    report = validate(graph)
    trig = write_quarantine(tmp_path, "../evil/id", graph, report)
    assert trig.parent == tmp_path and trig.name.startswith("_evil_id-") and trig.suffix == ".trig"
