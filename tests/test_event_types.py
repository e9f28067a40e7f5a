"""The event-type registry is the one declaration of each type: everything else agrees with it."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from geokg import crossdoc
from geokg.event_types import EVENT_TYPES, FAMILIES, ROLES, SPECS, trained_labels
from geokg.model import EventType
from geokg.namespaces import GK, GKSH
from geokg.validate import load_shapes
from geokg.viz.page import COLOURS

ROOT = Path(__file__).resolve().parents[1]
NAMES = {spec.name for spec in EVENT_TYPES}


def test_ontology_declares_each_registered_type_with_its_label_and_comment() -> None:
    ontology = Graph().parse(ROOT / "ontology" / "geokg.ttl")
    subclasses = {str(c).removeprefix(str(GK._NS)) for c in ontology.subjects(RDFS.subClassOf, GK.Event)}
    assert subclasses == NAMES
    for spec in EVENT_TYPES:
        assert ontology.value(GK[spec.name], RDFS.label) == Literal(spec.label, lang="en"), spec.name
        assert ontology.value(GK[spec.name], RDFS.comment) == Literal(spec.comment, lang="en"), spec.name
    disjoint = next(ontology.subjects(RDF.type, OWL.AllDisjointClasses))
    assert {str(m).removeprefix(str(GK._NS)) for m in ontology.items(ontology.value(disjoint, OWL.members))} == NAMES


def test_shapes_allow_exactly_the_registered_types() -> None:
    shapes = load_shapes()
    qualified = shapes.value(GKSH.EventKind, SH.qualifiedValueShape)
    listed = {str(c).removeprefix(str(GK._NS)) for c in Collection(shapes, shapes.value(qualified, SH["in"]))}
    assert listed == NAMES


def test_extractor_types_colours_and_grouping_come_from_the_registry() -> None:
    assert [t.value for t in EventType] == [spec.name for spec in EVENT_TYPES]
    assert all(COLOURS[name] == SPECS[name].colour for name in NAMES)
    assert len({spec.colour for spec in EVENT_TYPES}) == len(EVENT_TYPES)  # each type tells apart on the page
    assert crossdoc._SYMMETRIC == {"Agreement", "Meeting", "Tension"}
    assert crossdoc._STANDALONE == {"Statement"} and crossdoc._RANKING == {"ReservesRank"}


def test_every_entry_is_complete() -> None:
    for spec in EVENT_TYPES:
        assert spec.family in FAMILIES, spec.name
        assert set(spec.roles) <= set(ROLES), spec.name
        assert spec.comment.endswith(".") and spec.label == spec.label.lower(), spec.name
    assert "Statement" not in trained_labels() and "TradeChange" in trained_labels()
