"""Golden graphs: hand-built facts, mapped to RDF, compared with ``tests/data/golden/CASE.ttl``.

The facts are the seam between extraction and RDF (DESIGN.md), so these cases pin down the
mapping alone, without spaCy. Graphs are compared by isomorphism, not text; on a difference
the triples only in the expected file and only in the mapping's output are printed as sorted
N-Triples. ``pytest tests/test_golden.py --update-golden`` rewrites the files from the mapping's
output: read the diff before committing it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from geokg.model import (
    Article,
    ArticleFacts,
    Entity,
    EntityKind,
    EntityRef,
    Event,
    EventType,
    Evidence,
    Mention,
    Quantity,
    content_hash,
)
from geokg.namespaces import bind_prefixes
from geokg.rdf import to_graph
from geokg.validate import validate

GOLDEN = Path(__file__).resolve().parent / "data" / "golden"

CHILE = EntityRef(EntityKind.COUNTRY, "CL")
JAPAN = EntityRef(EntityKind.COUNTRY, "JP")
PERU = EntityRef(EntityKind.COUNTRY, "PE")
COPPER = EntityRef(EntityKind.COMMODITY, "copper")
USGS = EntityRef(EntityKind.ORGANIZATION, "usgs")
WIRE = Entity(EntityRef(EntityKind.MEDIA, "harbour-wire"), "Harbour Wire", known=False)
MINE = Entity(EntityRef(EntityKind.FACILITY, "cerro-azul-mine"), "Cerro Azul mine", known=False, located_in=CHILE)
MINISTER = Entity(EntityRef(EntityKind.PERSON, "ana-torres"), "Ana Torres", known=False)


def _evidence(text: str, sentence: str) -> Evidence:
    start = text.index(sentence)
    return Evidence(start, start + len(sentence), sentence)


def _copper_offer() -> ArticleFacts:
    """An offer with a quantity and a date, restated by the headline; a reserves ranking after
    another country; a price move; attribution to a reference body and to the outlet."""
    offer = "Chile offered Japan 50,000 tonnes of copper on Monday, Harbour Wire reported."
    ranking = "Chile ranks first for copper reserves, ahead of Peru, according to the USGS."
    price = "Copper prices rose 3% to 9,100 dollars a tonne."
    text = f"Chile offers copper to Japan\n\n{offer} {ranking} {price}"
    article = Article(
        id="golden-copper-offer",
        text=text,
        date=dt.date(2024, 3, 6),
        title="Chile offers copper to Japan",
        source="Harbour Wire",
        url="https://news.example.org/2024/03/06/chile-copper",
    )
    entities = (
        Entity(CHILE, "Chile"),
        Entity(JAPAN, "Japan"),
        Entity(PERU, "Peru"),
        Entity(COPPER, "copper"),
        Entity(USGS, "United States Geological Survey"),
    )
    return ArticleFacts(
        article=article,
        publisher=WIRE,
        entities=entities,
        mentions=(
            Mention(CHILE, _evidence(text, "Chile")),
            Mention(JAPAN, _evidence(text, "Japan")),
            Mention(COPPER, _evidence(text, "copper")),
            Mention(PERU, _evidence(text, "Peru")),
            Mention(USGS, _evidence(text, "USGS")),
        ),
        events=(
            Event(
                EventType.OFFER,
                _evidence(text, offer),
                restated=(_evidence(text, article.title or ""),),
                agent=CHILE,
                themes=(COPPER,),
                recipients=(JAPAN,),
                quantity=Quantity(Decimal("50000"), "tonne", "50,000 tonnes"),
                date=dt.date(2024, 3, 4),
                status="offered",
                attributed_to=WIRE.ref,
                confidence=0.8,
            ),
            Event(
                EventType.RESERVES_RANK,
                _evidence(text, ranking),
                agent=CHILE,
                themes=(COPPER,),
                rank=1,
                ranked_after=(PERU,),
                measure="reserves",
                attributed_to=USGS,
                confidence=0.9,
            ),
            Event(
                EventType.PRICE_CHANGE,
                _evidence(text, price),
                themes=(COPPER,),
                direction="up",
                change=Quantity(Decimal("3"), "percent", "3%"),
                quantity=Quantity(Decimal("9100"), "USD per tonne", "9,100 dollars a tonne"),
                date=dt.date(2024, 3, 6),
                confidence=0.6,
            ),
        ),
        about=(CHILE, COPPER),
    )


def _mine_statement() -> ArticleFacts:
    """Entities the reference data lacks (a person, a facility with its country, the outlet):
    typed and labelled in the article graph, with the spellings the text used; a statement
    relayed by the outlet, and an output cut as a change down from a previous level."""
    said = '"We will restart the mine in May," Mining Minister Ana Torres told Harbour Wire.'
    cut = "Output at the Cerro Azul mine fell to 80,000 tonnes last year from 95,000 tonnes."
    text = f"{said} {cut}"
    article = Article(id="golden-mine-statement", text=text, date=dt.date(2025, 1, 15))
    return ArticleFacts(
        article=article,
        publisher=WIRE,
        entities=(MINISTER, MINE, Entity(CHILE, "Chile"), Entity(COPPER, "copper")),
        mentions=(
            Mention(MINISTER.ref, _evidence(text, "Ana Torres")),  # as its label: no other spelling
            Mention(MINE.ref, _evidence(text, "Cerro Azul")),
        ),
        events=(
            Event(
                EventType.STATEMENT,
                _evidence(text, said),
                agent=MINISTER.ref,
                quote="We will restart the mine in May",
                reported_by=WIRE.ref,
                about=(MINE.ref,),
                confidence=0.7,
            ),
            Event(
                EventType.PRODUCTION,
                _evidence(text, cut),
                place=MINE.ref,
                themes=(COPPER,),
                direction="down",
                quantity=Quantity(Decimal("80000"), "tonne", "80,000 tonnes"),
                previous=Quantity(Decimal("95000"), "tonne", "95,000 tonnes"),
                confidence=0.5,
            ),
        ),
        about=(MINE.ref,),
    )


CASES = {"copper-offer": _copper_offer, "mine-statement": _mine_statement}


def _turtle(facts: ArticleFacts) -> str:
    """The article's graph as the mapping makes it, as Turtle with geokg's prefixes."""
    graph = bind_prefixes(Graph(bind_namespaces="none"))
    for triple in to_graph(facts, content_hash=content_hash(facts.article)):
        graph.add(triple)
    return graph.serialize(format="turtle")


def _only_in(graph: Graph) -> str:
    lines = sorted(f"  {line}" for line in graph.serialize(format="nt").splitlines() if line.strip())
    return "\n".join(lines) or "  (none)"


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_graph_is_isomorphic_to_the_mapping(case: str, request: pytest.FixtureRequest) -> None:
    turtle = _turtle(CASES[case]())
    path = GOLDEN / f"{case}.ttl"
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(parents=True, exist_ok=True)
        path.write_text(turtle, encoding="utf-8")
        pytest.skip(f"rewrote {path.relative_to(GOLDEN.parents[2])}")
    if not path.is_file():
        pytest.fail(f"no golden file {path.name}: run pytest tests/test_golden.py --update-golden and read it")
    expected = Graph().parse(path, format="turtle")
    # Both sides read back from Turtle: its writer spells some literals its own way (a decimal
    # 50000 as 50000.0), so the comparison is of what the Turtle says.
    actual = Graph().parse(data=turtle, format="turtle")
    if not isomorphic(expected, actual):
        _, missing, extra = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        pytest.fail(
            f"the mapping of {case} differs from {path.name}\n"
            f"only in {path.name}:\n{_only_in(missing)}\nonly in the mapping's output:\n{_only_in(extra)}\n"
            "If the change is meant, rewrite it with --update-golden and review the diff.",
            pytrace=False,
        )


@pytest.mark.parametrize("case", sorted(CASES))
def test_golden_graph_conforms_to_the_shapes(case: str) -> None:
    report = validate(to_graph(CASES[case]()))
    assert report.conforms, report.text


def test_golden_files_each_have_a_case() -> None:
    stale = sorted(path.name for path in GOLDEN.glob("*.ttl") if path.stem not in CASES)
    assert not stale, f"golden files without a case in tests/test_golden.py: {stale}"
