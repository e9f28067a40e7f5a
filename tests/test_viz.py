"""geokg.viz: the networkx projection (both views, selections) and the self-contained HTML page.

The store is hand-written TriG in the shape of ``ontology/MAPPING.md`` (no spaCy), so
these tests pin the projection itself; the seed build is drawn in a real browser by
``tests/integration/test_viz_browser.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import geokg
from geokg.cli import cli, main
from geokg.errors import ConfigError, QueryNotFoundError
from geokg.store import Store
from geokg.viz import Page, to_html, to_networkx, write_html
from geokg.viz.page import page_data

ID = "https://w3id.org/geokg/id/"
TRIG = """
@prefix gk: <https://w3id.org/geokg/ontology#> .
@prefix country: <https://w3id.org/geokg/id/country/> .
@prefix person: <https://w3id.org/geokg/id/person/> .
@prefix commodity: <https://w3id.org/geokg/id/commodity/> .
@prefix media: <https://w3id.org/geokg/id/media/> .
@prefix article: <https://w3id.org/geokg/id/article/> .
@prefix event: <https://w3id.org/geokg/id/event/> .
@prefix quantity: <https://w3id.org/geokg/id/quantity/> .
@prefix evidence: <https://w3id.org/geokg/id/evidence/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix qudt: <http://qudt.org/schema/qudt/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/geokg/graph/reference> {
  country:CL a gk:Country ; skos:prefLabel "Chile" ; gk:iso3166Alpha2 "CL" ;
      owl:sameAs <http://www.wikidata.org/entity/Q298> .
  country:JP a gk:Country ; skos:prefLabel "Japan" ; gk:iso3166Alpha2 "JP" .
  country:PE a gk:Country ; skos:prefLabel "Peru" ; gk:iso3166Alpha2 "PE" .
  person:gabriel-boric a gk:Person ; skos:prefLabel "Gabriel Boric" ; gk:country country:CL .
  commodity:copper a gk:Commodity ; skos:prefLabel "Copper" .
  commodity:lithium a gk:Commodity ; skos:prefLabel "Lithium" .
  media:reuters a gk:Media ; skos:prefLabel "Reuters" .
  <http://qudt.org/vocab/unit/TONNE> rdfs:label "tonne" .
}

<https://w3id.org/geokg/graph/article/a1> {
  article:a1 a gk:Article ; dcterms:identifier "a1" .
  event:a1-1 a gk:Event, gk:Offer ; rdfs:label "Offer by Gabriel Boric" ;
      prov:wasDerivedFrom article:a1 ; gk:agent person:gabriel-boric ; gk:onBehalfOf country:CL ;
      gk:theme commodity:copper ; gk:recipient country:JP ; gk:attributedTo media:reuters ;
      gk:date "2024-06-10"^^xsd:date ; gk:status "offered" ;
      gk:quantity quantity:a1-1 ; gk:evidence evidence:a1-1 .
  quantity:a1-1 a gk:Quantity ; qudt:numericValue 2000000.0 ; qudt:unit <http://qudt.org/vocab/unit/TONNE> .
  evidence:a1-1 a gk:Evidence ; oa:start 0 ; oa:end 60 ;
      oa:exact "Chile offered Japan 2 million tonnes of copper, Reuters reports </script>." .
}

<https://w3id.org/geokg/graph/article/a2> {
  article:a2 a gk:Article ; dcterms:identifier "a2" .
  event:a2-1 a gk:Event, gk:ExportRestriction ; prov:wasDerivedFrom article:a2 ;
      gk:agent country:PE ; gk:theme commodity:lithium ; gk:evidence evidence:a2-1 .
  evidence:a2-1 a gk:Evidence ; oa:start 0 ; oa:end 30 ; oa:exact "Peru restricted lithium exports." .
}
"""


@pytest.fixture()
def store() -> Store:
    with Store() as store:
        store.ox.load(TRIG.encode(), ox.RdfFormat.TRIG)
        yield store


@pytest.fixture()
def store_dir(tmp_path: Path) -> Path:
    path = tmp_path / "viz.db"
    with Store.open(path) as store:
        store.ox.load(TRIG.encode(), ox.RdfFormat.TRIG)
    return path


def test_viz_events_view_has_typed_nodes_and_role_edges(store: Store) -> None:
    graph = to_networkx(store)
    offer = graph.nodes[ID + "event/a1-1"]
    assert offer == {"kind": "event", "type": "Offer", "iri": ID + "event/a1-1", "label": "Offer by Gabriel Boric",
                     "article": "a1", "date": "2024-06-10", "status": "offered", "value": 2000000.0, "unit": "tonne",
                     "sentence": "Chile offered Japan 2 million tonnes of copper, Reuters reports </script>."}
    assert graph.nodes[ID + "country/CL"] == {"kind": "entity", "type": "Country", "label": "Chile",
                                              "iri": ID + "country/CL", "iso": "CL", "wikidata": "Q298"}
    assert graph.nodes[ID + "person/gabriel-boric"]["country"] == "Chile"
    roles = {(graph.nodes[v]["label"], key) for _, v, key in graph.out_edges(ID + "event/a1-1", keys=True)}
    assert roles == {("Gabriel Boric", "agent"), ("Chile", "onBehalfOf"), ("Copper", "theme"),
                     ("Japan", "recipient"), ("Reuters", "attributedTo")}
    assert all(data["role"] == data["label"] == key for _, _, key, data in graph.edges(keys=True, data=True))
    # entities only appear as participants of events (Japan yes; nothing unreferenced)
    kinds = {data["kind"] for _, data in graph.nodes(data=True)}
    assert kinds == {"event", "entity"} and graph.number_of_nodes() == 2 + 7


def test_viz_accepts_a_store_path_and_the_top_level_name(store_dir: Path) -> None:
    assert geokg.to_networkx is to_networkx
    assert to_networkx(store_dir).number_of_nodes() == 9
    assert to_networkx(str(store_dir), view="actors").number_of_edges() == 2


def test_viz_actors_view_collapses_events_to_actor_edges(store: Store) -> None:
    graph = to_networkx(store, view="actors")
    edges = sorted((graph.nodes[u]["label"], graph.nodes[v]["label"], data["label"])
                   for u, v, data in graph.edges(data=True))
    # onBehalfOf wins over the agent; without a recipient the edge goes to the commodity
    assert edges == [("Chile", "Japan", "Offer: Copper"), ("Peru", "Lithium", "ExportRestriction: Lithium")]
    data = graph.get_edge_data(ID + "country/CL", ID + "country/JP")[ID + "event/a1-1"]
    assert data["themes"] == ["Copper"] and data["article"] == "a1" and data["date"] == "2024-06-10"
    assert "Reuters" not in {d["label"] for _, d in graph.nodes(data=True)}  # no actor edge touches it


def test_viz_entity_neighbourhood_by_label_or_iri(store: Store) -> None:
    by_label = to_networkx(store, entity="peru")
    # an event without rdfs:label is labelled with its type
    assert {d["label"] for _, d in by_label.nodes(data=True)} == {"Peru", "Lithium", "ExportRestriction"}
    by_iri = to_networkx(store, entity=ID + "country/JP", hops=1)
    assert ID + "event/a1-1" in by_iri and ID + "event/a2-1" not in by_iri
    assert by_iri.number_of_nodes() == 6


def test_viz_unknown_entity_names_the_known_ones(store: Store) -> None:
    with pytest.raises(ConfigError, match=r"entity='Atlantis'.*Known entities: Chile, Copper"):
        to_networkx(store, entity="Atlantis")
    with pytest.raises(ConfigError, match="view='map'"):
        to_networkx(store, view="map")
    with pytest.raises(ConfigError, match="hops=0"):
        to_networkx(store, entity="Peru", hops=0)


def test_viz_query_selection_keeps_the_events_behind_the_rows(store: Store) -> None:
    graph = to_networkx(store, query="events", params={"article": "a2"})
    assert {data["label"] for _, data in graph.nodes(data=True)} == {"ExportRestriction", "Peru", "Lithium"}
    with pytest.raises(QueryNotFoundError):
        to_networkx(store, query="no-such-query")


def test_viz_page_is_self_contained_and_escapes_the_data(store: Store) -> None:
    page = to_html(to_networkx(store), title="Chile <&> Japan")
    assert "<title>Chile &lt;&amp;&gt; Japan</title>" in page
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=\"(?!data:)", page), "no external resources"
    assert "http://" not in page.split('id="graph-data"')[0].replace("http://www.w3.org/", "")
    # the evidence text contains "</script>": it must not end the data block early
    assert page.count("</script>") == 2
    data = json.loads(re.search(r'id="graph-data">(.*?)</script>', page, re.S).group(1))
    assert len(data["nodes"]) == 9 and len(data["edges"]) == 7
    offer = next(n for n in data["nodes"] if n["id"] == ID + "event/a1-1")
    assert ["quantity", "2,000,000 tonne"] in offer["details"]
    assert ["sentence", "Chile offered Japan 2 million tonnes of copper, Reuters reports </script>."] in offer["details"]
    assert ["article", "a1"] in offer["details"]
    assert {t["type"]: t["count"] for t in data["types"]} == {
        "Commodity": 2, "Country": 3, "Media": 1, "Person": 1, "ExportRestriction": 1, "Offer": 1}


def test_viz_page_data_gives_unknown_types_a_colour() -> None:
    graph = nx.MultiDiGraph()
    graph.add_node("x", kind="entity", type="Vessel", label="MV Example")
    assert page_data(graph)["types"][0]["colour"].startswith("#")


def test_viz_write_html_and_notebook_page(tmp_path: Path, store: Store) -> None:
    graph = to_networkx(store)
    written = write_html(graph, tmp_path / "g.html", title="t")
    assert written.read_text(encoding="utf-8") == to_html(graph, title="t")
    frame = Page(graph, height=400)._repr_html_()
    assert frame.startswith("<iframe srcdoc=\"&lt;!doctype html&gt;") and "height:400px" in frame


def test_viz_cli_writes_the_page(store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "graph.html"
    result = CliRunner().invoke(cli, ["viz", "--store", str(store_dir), "--entity", "Japan", "--hops", "1",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {out}: 6 nodes, 5 edges"
    assert "1 event hop around Japan, events view" in out.read_text(encoding="utf-8")
    result = CliRunner().invoke(cli, ["viz", "--store", str(store_dir), "--query", "events", "--param", "article=a1",
                                      "--view", "actors", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {out}: 2 nodes, 1 edges"


def test_viz_cli_errors(store_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = str(tmp_path / "g.html")
    with pytest.raises(SystemExit) as done:
        main(["viz", "--store", str(store_dir), "--entity", "Atlantis", "-o", out])
    assert done.value.code == 2
    assert capsys.readouterr().err.startswith("Error: [GK901] entity='Atlantis' is not valid.")
    with pytest.raises(SystemExit) as done:
        main(["viz", "--store", str(store_dir), "--param", "a=b", "-o", out])
    assert done.value.code == 2 and "--param needs --query" in capsys.readouterr().err
    with pytest.raises(SystemExit) as done:
        main(["viz", "--store", str(store_dir), "--hops", "2", "-o", out])
    assert done.value.code == 2 and "--hops needs --entity" in capsys.readouterr().err
    with pytest.raises(SystemExit) as done:
        main(["viz", "--store", str(store_dir), "--query", "events", "--entity", "Peru", "-o", out])
    assert done.value.code == 2 and "not both" in capsys.readouterr().err
    assert not Path(out).exists()


def test_viz_rows_without_an_event_column_match_by_article_and_entities(store: Store) -> None:
    from geokg.viz.graph import _matching

    graph = to_networkx(store)
    # an offers-like row: article, agent, commodity, recipient (labels), no event IRI
    keep = _matching(graph, ("article", "agent", "commodity", "recipient"), [("a1", "Chile", "Copper", "Japan")])
    assert ID + "event/a1-1" in keep and ID + "event/a2-1" not in keep
    assert ID + "media/reuters" in keep  # the matched event's other participants come along
    # the same entities in another article match nothing there
    assert _matching(graph, ("article", "agent"), [("a2", "Chile")]) == {ID + "country/CL"}
