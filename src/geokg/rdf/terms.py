"""rdflib <-> pyoxigraph terms, and rdflib triples as the N-Triples text the store loads.

Four small functions instead of a dependency on oxrdflib. They live apart from
:mod:`geokg.store` so that reading the store never imports rdflib.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

__all__ = ["to_ox", "to_rdflib", "to_ntriples", "ntriples_line"]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert an rdflib term to the equal pyoxigraph term.

    Plain rdflib literals become ``xsd:string`` literals (equal in RDF 1.1).

    Raises:
        ValueError: for an IRI or language tag pyoxigraph rejects, or a term
            kind it has no equivalent for (rdflib ``Variable``, quoted graphs).

    Example:
        >>> to_ox(RdfLiteral("2024-03-03", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date")))
        <Literal value=2024-03-03 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#date>>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, RdfLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise ValueError(f"cannot store the rdflib term {term!r} ({type(term).__name__})")


def to_rdflib(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """Convert a pyoxigraph term to the equal rdflib term (``xsd:string`` → plain literal).

    Raises:
        ValueError: for an RDF-star triple term, which rdflib has no term for.

    Example:
        >>> to_rdflib(ox.Literal("Chile"))
        rdflib.term.Literal('Chile')
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return RdfLiteral(term.value, lang=term.language)
        if term.datatype.value == XSD_STRING:
            return RdfLiteral(term.value)
        return RdfLiteral(term.value, datatype=URIRef(term.datatype.value))
    raise ValueError(f"cannot convert {term!r} to rdflib (RDF-star triples are not supported)")


def to_ntriples(triples: Graph | Iterable[tuple[Node, Node, Node]]) -> str:
    """Triples as sorted, distinct N-Triples lines (no final newline): what
    :meth:`geokg.store.Store.replace_graphs` takes, small enough to send between processes.

    Raises:
        ValueError: a term cannot be stored (see :func:`to_ox`).

    Example:
        >>> print(to_ntriples([(URIRef("http://e.org/a"), URIRef("http://e.org/p"), RdfLiteral("x"))]))
        <http://e.org/a> <http://e.org/p> "x" .
    """
    return "\n".join(sorted({ntriples_line(triple) for triple in triples}))


def ntriples_line(triple: tuple[Node, Node, Node]) -> str:
    """One triple as an N-Triples line (no newline); raises ValueError like :func:`to_ox`."""
    subject, predicate, value = triple
    return f"{to_ox(subject)} {to_ox(predicate)} {to_ox(value)} ."
