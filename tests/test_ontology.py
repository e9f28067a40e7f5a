"""The ontology: it parses, documents every term, and agrees with GK, MAPPING.md and the shapes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS

from geokg import resources
from geokg.namespaces import GK, PREFIXES
from geokg.validate import load_shapes

ROOT = Path(__file__).resolve().parents[1]
GK_NS = str(GK._NS)
DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
ONTOLOGY_IRI = URIRef("https://w3id.org/geokg/ontology")


@pytest.fixture(scope="module")
def ontology() -> Graph:
    files = [p for p in resources.ontology_files() if p.name == "geokg.ttl"]
    assert files, "ontology/geokg.ttl not found by geokg.resources"
    return Graph().parse(files[0], format="turtle")


def declared(ontology: Graph) -> set[URIRef]:
    return {s for kind in DECLARATIONS for s in ontology.subjects(RDF.type, kind)
            if isinstance(s, URIRef) and s.startswith(GK_NS)}


def used(graph: Graph) -> set[URIRef]:
    return {t for triple in graph for t in triple if isinstance(t, URIRef) and t.startswith(GK_NS)}


def test_ontology_header(ontology: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in ontology
    for prop in (OWL.versionInfo, OWL.versionIRI, RDFS.label, RDFS.comment, DCTERMS.license):
        assert ontology.value(ONTOLOGY_IRI, prop) is not None, f"ontology lacks {prop}"


def test_every_term_has_label_and_comment(ontology: Graph) -> None:
    for term in declared(ontology):
        for prop in (RDFS.label, RDFS.comment):
            value = ontology.value(term, prop)
            assert isinstance(value, Literal) and str(value).strip(), f"{term} has no {prop}"


def test_every_term_is_declared_once(ontology: Graph) -> None:
    # OWL DL: a term is a class or one kind of property, never two.
    for term in used(ontology):
        kinds = [k for k in DECLARATIONS if (term, RDF.type, k) in ontology]
        assert len(kinds) == 1, f"{term} is declared as {kinds}"


def test_gk_namespace_matches_the_ontology(ontology: Graph) -> None:
    in_python = {URIRef(t) for t in dir(GK)}
    in_ontology = declared(ontology)
    assert in_python - in_ontology == set(), "GK names terms the ontology does not declare"
    assert in_ontology - in_python == set(), "the ontology declares terms GK lacks"
    assert used(ontology) <= in_ontology


def test_unknown_gk_term_fails() -> None:
    with pytest.raises(AttributeError):
        GK.Offfer  # noqa: B018


def test_mapping_terms_are_declared(ontology: Graph) -> None:
    mapping = (ROOT / "ontology" / "MAPPING.md").read_text(encoding="utf-8")
    names = set(re.findall(r"\bgk:([A-Za-z][A-Za-z0-9]*)", mapping))
    assert len(names) > 40
    missing = {n for n in names if URIRef(GK_NS + n) not in declared(ontology)}
    assert not missing, f"MAPPING.md uses undeclared terms: {sorted(missing)}"


def test_shapes_use_only_declared_terms(ontology: Graph) -> None:
    undeclared = used(load_shapes()) - declared(ontology)
    assert not undeclared, f"shapes use undeclared terms: {sorted(undeclared)}"


def test_functional_properties_are_single_valued_in_mapping(ontology: Graph) -> None:
    # MAPPING.md says "≤ 1" or "exactly one" for these; the ontology must agree.
    for name in ("agent", "onBehalfOf", "place", "quantity", "date", "status", "attributedTo",
                 "reportedBy", "measure", "evidence", "rank", "quote", "text"):
        assert (GK[name], RDF.type, OWL.FunctionalProperty) in ontology, name


def test_prefixes_are_consistent(ontology: Graph) -> None:
    bound = {prefix: str(ns) for prefix, ns in ontology.namespaces()}
    for prefix in ("gk", "prov", "skos", "oa", "qudt", "sem", "schema", "dcterms", "owl", "xsd"):
        assert bound.get(prefix) == PREFIXES[prefix], prefix


def test_the_rdflib_namespaces_are_the_plain_prefix_table() -> None:
    # geokg.iri_space keeps the prefixes as strings so that queries start without rdflib;
    # the rdflib namespaces must name the same IRIs.
    from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SDO, SKOS, XSD

    from geokg.iri_space import PREFIXES
    from geokg.namespaces import CURRENCY, GK, GKID, GKSH, OA, QUDT, REPORT, SEM, UNIT, WD

    named = {"gk": GK._NS, "gkid": GKID, "gksh": GKSH, "report": REPORT._NS, "prov": PROV, "skos": SKOS, "dcterms": DCTERMS,
             "oa": OA, "qudt": QUDT, "unit": UNIT, "currency": CURRENCY, "sem": SEM, "schema": SDO, "owl": OWL,
             "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "wd": WD}
    assert {prefix: str(namespace) for prefix, namespace in named.items()} == PREFIXES
