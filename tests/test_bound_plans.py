"""Forms for bound parameters (``queries/plans/oxigraph/NAME.P.rq``): the rows of the contract text.

Each form starts from the bound value where the contract text, which must also read an unbound
parameter as "all", cannot. These tests run both on a small real store, for every value of the
parameter the store holds and one it lacks, and compare the results byte for byte (order too).
The store holds the cases where a rewrite could change rows: events with two types, two themes,
two agents, an agent with no label, a country in two roles of one event, statements with no
speaker, and entities the reference data lacks.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from rdflib import Graph

from geokg import crossdoc
from geokg.queries import bind_params, get_query, list_queries, with_values
from geokg.rdf.iris import graph_iri
from geokg.store import Store

DATA = Path(__file__).resolve().parent / "data" / "store"
ENGINE = "oxigraph"
FORMS = sorted((q.name, names) for q in list_queries() for engine, names, _ in q.bound_plans if engine == ENGINE)

# A made-up article (our own text) with the awkward cases above; Peru, Marta Quiroga and an
# unnamed buyer are not in the reference data, and the buyer has no label at all.
EDGES = """
@prefix gk: <https://w3id.org/geokg/ontology#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix qudt: <http://qudt.org/schema/qudt/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> . @prefix oa: <http://www.w3.org/ns/oa#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix article: <https://w3id.org/geokg/id/article/> . @prefix event: <https://w3id.org/geokg/id/event/> .
@prefix country: <https://w3id.org/geokg/id/country/> . @prefix commodity: <https://w3id.org/geokg/id/commodity/> .
@prefix person: <https://w3id.org/geokg/id/person/> . @prefix org: <https://w3id.org/geokg/id/org/> .
@prefix media: <https://w3id.org/geokg/id/media/> .

article:x a gk:Article ; dcterms:identifier "x" ; dcterms:title "Andean metals week" ;
    dcterms:date "2024-04-02"^^xsd:date ; dcterms:publisher media:reuters ;
    gk:mentions country:CL, country:PE, country:JP, country:ID, commodity:copper, commodity:nickel,
        person:marta-quiroga, org:unnamed-buyer ;
    gk:salientMention country:PE, commodity:copper .
country:PE a gk:Country ; skos:prefLabel "Peru" .
person:marta-quiroga a gk:Person ; skos:prefLabel "Marta Quiroga" ; gk:country country:PE .
org:unnamed-buyer a gk:Company .

event:x-1 a gk:Event, gk:Offer, gk:SaleOrSupply ; prov:wasDerivedFrom article:x ;
    gk:agent country:PE, org:unnamed-buyer ; gk:theme commodity:copper, commodity:nickel ;
    gk:recipient country:JP ; gk:quantity <https://w3id.org/geokg/id/quantity/x-1> ; gk:status "offered" .
<https://w3id.org/geokg/id/quantity/x-1> qudt:numericValue 5000.0 .
event:x-2 a gk:Event, gk:PurchaseOrImport ; prov:wasDerivedFrom article:x ;
    gk:agent country:CL ; gk:onBehalfOf country:PE ; gk:counterparty country:JP ;
    gk:theme commodity:refined-copper ; gk:date "2024-03-30"^^xsd:date .
event:x-3 a gk:Event, gk:Statement ; prov:wasDerivedFrom article:x ;
    gk:agent person:marta-quiroga, country:PE ; gk:quote "Copper from the south will keep moving" ;
    gk:reportedBy media:reuters ; gk:evidence <https://w3id.org/geokg/id/evidence/x-3> .
<https://w3id.org/geokg/id/evidence/x-3> oa:exact "Copper from the south will keep moving, Marta Quiroga said." .
event:x-4 a gk:Event, gk:Statement ; prov:wasDerivedFrom article:x ; gk:quote "Nobody signed this" .
event:x-5 a gk:Event, gk:Statement ; prov:wasDerivedFrom article:x ;
    gk:agent org:unnamed-buyer ; gk:quote "We will buy" ; gk:date "2024-04-01"^^xsd:date .
event:x-6 a gk:Event, gk:Sanction ; prov:wasDerivedFrom article:x ;
    gk:agent country:CL, country:PE ; gk:recipient country:JP, country:ID ;
    gk:measure "asset freeze" ; gk:status "imposed" .
event:x-7 a gk:Event, gk:Tariff ; prov:wasDerivedFrom article:x ;
    gk:agent country:CL ; gk:recipient country:CL ; gk:theme commodity:copper ;
    gk:date "2024-04-01"^^xsd:date .
"""

# Another (made up) that reports the first article's offer with another quantity and status, so
# that disagreements has rows.
DISAGREEING = """
@prefix gk: <https://w3id.org/geokg/ontology#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> . @prefix qudt: <http://qudt.org/schema/qudt/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/geokg/id/article/y> a gk:Article ; dcterms:identifier "y" ;
    dcterms:date "2024-03-05"^^xsd:date ; gk:mentions <https://w3id.org/geokg/id/country/CL> .
<https://w3id.org/geokg/id/event/y-1> a gk:Event, gk:Offer ;
    prov:wasDerivedFrom <https://w3id.org/geokg/id/article/y> ;
    gk:agent <https://w3id.org/geokg/id/country/CL> ; gk:theme <https://w3id.org/geokg/id/commodity/copper> ;
    gk:recipient <https://w3id.org/geokg/id/country/JP> ; gk:date "2024-03-03"^^xsd:date ;
    gk:status "withdrawn" ; gk:quantity <https://w3id.org/geokg/id/quantity/y-1> .
<https://w3id.org/geokg/id/quantity/y-1> qudt:numericValue 250000.0 ; qudt:unit <http://qudt.org/vocab/unit/TONNE> .
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory):
    """The reference graph, the two articles of tests/data/store/ and the two above, on disk, with
    the derived graphs a build writes."""
    with Store.open(tmp_path_factory.mktemp("bound") / "geokg.db") as opened:
        opened.load_reference(Graph().parse(DATA / "reference.ttl"))
        for path in sorted(DATA.glob("2024-*.ttl")):
            opened.replace_graph(graph_iri(path.stem), Graph().parse(path))
        opened.replace_graph(graph_iri("x"), Graph().parse(data=EDGES, format="turtle"))
        opened.replace_graph(graph_iri("y"), Graph().parse(data=DISAGREEING, format="turtle"))
        crossdoc.refresh(opened)
        yield opened


def values(store: Store, kind: str) -> list[str]:
    """Every value of a parameter of this kind the store holds, and one it lacks."""
    gk = "https://w3id.org/geokg/ontology#"
    if kind == "literal":
        query = f"SELECT DISTINCT ?v WHERE {{ ?doc a <{gk}Article> ; <http://purl.org/dc/terms/identifier> ?v }}"
    else:
        query = f"SELECT DISTINCT ?v WHERE {{ ?e <{gk}displayLabel> ?v }}"
    _, tsv = store.select_tsv(query)
    found = sorted(line.strip('"') for line in tsv.decode().splitlines()[1:])
    return [*found, "No such thing"]


def test_bound_plans_cover_the_bound_queries_of_issue_20() -> None:
    assert {("statements", ("speaker",)), ("commodity-timeline", ("commodity",)),
            ("commodity-flows", ("commodity",)), ("country-activity", ("country",)),
            ("timeline", ("entity",)), ("event-reports", ("commodity",)), ("offers", ("commodity",)),
            ("sanctions-and-restrictions", ("agent",)), ("mentions", ("article",)),
            ("salient-mentions", ("article",)), ("entity-articles", ("entity",))} <= set(FORMS)


@pytest.mark.issue(20)
@pytest.mark.parametrize(("name", "names"), FORMS, ids=[f"{n}.{'+'.join(p)}" for n, p in FORMS])
def test_bound_plan_gives_the_rows_of_the_contract_text(store: Store, name: str, names: tuple[str, ...]) -> None:
    stored = get_query(name)
    form = stored.text_for(ENGINE, names)
    assert form != stored.text
    choices = [values(store, stored.param(param).kind) for param in names]
    with_rows = without_rows = 0
    for chosen in itertools.product(*choices):
        params = dict(zip(names, chosen, strict=True))
        bindings = bind_params(stored, params)
        contract = store.select_tsv(with_values(stored.text, bindings))
        assert store.select_tsv(with_values(form, bindings)) == contract, params
        if contract[1].count(b"\n") > 1:
            with_rows += 1
        else:
            without_rows += 1
    assert with_rows >= 2 and without_rows >= 1, (with_rows, without_rows)
