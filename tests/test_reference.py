"""Reference data (ontology/reference/*.ttl) and its loader, geokg.reference."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from geokg.extract.quantities import UNIT_KEYS
from geokg.model import EntityKind, EntityRef
from geokg.iri_space import ID
from geokg.rdf import reference_graph
from geokg.rdf.iris import REFERENCE_GRAPH, entity_iri, unit_iri
from geokg.reference import ReferenceDataError, ReferenceIndex, load_reference, normalize
from geokg.resources import reference_files

GK = "https://w3id.org/geokg/ontology#"
ENTITY_TYPES = {URIRef(GK + c) for c in
                ("Person", "Country", "Organization", "Company", "Media", "Exchange", "Commodity", "Place")}
FILES = reference_files()


def country(iso: str) -> EntityRef:
    return EntityRef(EntityKind.COUNTRY, iso)


def commodity(key: str) -> EntityRef:
    return EntityRef(EntityKind.COMMODITY, key)


def person(key: str) -> EntityRef:
    return EntityRef(EntityKind.PERSON, key)


@pytest.fixture(scope="module")
def ref() -> ReferenceIndex:
    return load_reference()


@pytest.fixture(scope="module")
def graph() -> Graph:
    merged = Graph()
    for path in FILES:
        merged.parse(path, format="turtle")
    return merged


def keys(entities) -> list[str]:
    return [e.ref.key for e in entities]


# --- the Turtle files -------------------------------------------------------------------

def test_every_kind_has_a_file():
    names = {p.name for p in FILES}
    assert {"countries.ttl", "places.ttl", "people.ttl", "organizations.ttl", "media.ttl",
            "commodities.ttl", "units.ttl"} <= names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_file_parses_with_rdflib(path: Path):
    assert len(Graph().parse(path, format="turtle")) > 0


def test_every_entity_has_one_type_and_one_plain_preflabel(graph: Graph):
    subjects = {s for s, o in graph.subject_objects(RDF.type) if o in ENTITY_TYPES}
    assert len(subjects) > 1000
    for s in subjects:
        types = [o for o in graph.objects(s, RDF.type) if o in ENTITY_TYPES]
        assert len(types) == 1, (s, types)
        labels = list(graph.objects(s, SKOS.prefLabel))
        assert len(labels) == 1, (s, labels)
        assert labels[0].language is None and labels[0].datatype is None, s


def test_entity_iris_are_minted_as_iris_py_would(ref: ReferenceIndex, graph: Graph):
    for entity in ref.entities.values():
        assert (entity_iri(entity.ref), None, None) in graph, entity.ref


def test_iso_codes_are_well_formed_and_unique_among_current_countries(ref: ReferenceIndex):
    countries = [e for e in ref.entities.values() if e.ref.kind is EntityKind.COUNTRY]
    for e in countries:
        assert e.iso == e.ref.key and re.fullmatch(r"[A-Z]{2}", e.iso), e.ref
    current = Counter(e.iso for e in countries if e.valid_until is None)
    assert [iso for iso, n in current.items() if n > 1] == []
    assert len(current) >= 249


def test_wikidata_ids_are_qids(graph: Graph):
    for _, qid in graph.subject_objects(OWL.sameAs):
        assert re.fullmatch(r"http://www\.wikidata\.org/entity/Q\d+", str(qid)), qid


def test_wikidata_ids_are_not_shared_by_two_current_entities(ref: ReferenceIndex):
    # Zaire and DR Congo are one state renamed; everything else has its own QID.
    owners = Counter(e.wikidata for e in ref.entities.values() if e.wikidata and e.valid_until is None)
    assert [q for q, n in owners.items() if n > 1] == []


def test_historical_states_end(ref: ReferenceIndex):
    assert ref.get(country("SU")).valid_until == dt.date(1991, 12, 26)
    for iso in ("DD", "YU", "CS", "ZR", "YD"):
        assert ref.get(country(iso)).valid_until is not None, iso
    assert ref.get(country("RU")).valid_until is None


def test_references_point_at_entities(ref: ReferenceIndex):
    for entity in ref.entities.values():
        if entity.country:
            assert country(entity.country) in ref.entities, entity.ref
        for parent in entity.broader:
            assert parent in ref.entities, (entity.ref, parent)
    for office in ref.offices.values():
        for tenure in office.tenures:
            assert tenure.holder in ref.entities, (office.key, tenure)
            assert tenure.end is None or tenure.start <= tenure.end


def test_tenures_of_an_office_do_not_overlap(ref: ReferenceIndex):
    for office in ref.offices.values():
        for before, after in zip(office.tenures, office.tenures[1:]):
            assert before.end is not None and before.end <= after.start, (office.key, before, after)


def test_every_unit_the_extractor_can_emit_has_one_label_in_the_reference_graph(ref: ReferenceIndex):
    # Article graphs no longer label their units (a label repeated in every article graph multiplies
    # the rows of any join on it in the union default graph), so the reference graph must label them all.
    reference = reference_graph(ref)
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    for key in sorted(UNIT_KEYS):
        assert list(reference.objects(unit_iri(key), label)) == [Literal(key)], key


def test_commodities_are_in_the_scheme(graph: Graph):
    scheme = URIRef(ID + "scheme/commodities")
    for s in graph.subjects(RDF.type, URIRef(GK + "Commodity")):
        assert (s, SKOS.inScheme, scheme) in graph, s


# --- lookups ----------------------------------------------------------------------------

@pytest.mark.parametrize(("surface", "expected"), [
    ("Russian", country("RU")),
    ("Washington", country("US")),
    ("the Kremlin", country("RU")),
    ("Kremlin", country("RU")),
    ("U.S.", country("US")),
    ("Türkiye", country("TR")),
    ("Côte d’Ivoire", country("CI")),
    ("Burma", country("MM")),
    ("Holland", country("NL")),
    ("West German", country("DE")),
    ("Soviet", country("SU")),
    ("Downing Street", country("GB")),
    ("Kiev", country("UA")),
    ("rare earths", commodity("rare-earth-elements")),
    ("rare-earth minerals", commodity("rare-earth-elements")),
    ("Rare earth metal", commodity("rare-earth-elements")),
    ("soybean", commodity("soybeans")),
    ("crude", commodity("crude-oil")),
    ("aluminum", commodity("aluminium")),
    ("distillates", commodity("middle-distillates")),
    ("Zelenskiy", person("volodymyr-zelenskyy")),
    ("Volcker", person("paul-volcker")),
    ("Reuter", EntityRef(EntityKind.MEDIA, "reuters")),
    ("the bloc", EntityRef(EntityKind.ORGANIZATION, "eu")),
    ("Common Market", EntityRef(EntityKind.ORGANIZATION, "ec")),
    ("Chicago Board of Trade", EntityRef(EntityKind.ORGANIZATION, "cbot")),
    ("Gazprom", EntityRef(EntityKind.COMPANY, "gazprom")),
    ("New York", EntityRef(EntityKind.PLACE, "new-york")),
])
def test_lookup(ref: ReferenceIndex, surface: str, expected: EntityRef):
    assert expected in [e.ref for e in ref.lookup(surface)]


def test_lookup_is_empty_for_unknown_names(ref: ReferenceIndex):
    assert ref.lookup("Pavel Zarubin") == []
    assert ref.office_lookup("Grand Vizier") == []


def test_normalize_folds_case_accents_dashes_and_the():
    assert normalize("The Élysée") == normalize("elysee")
    assert normalize("rare–earth") == normalize("Rare earth")
    assert normalize("the") == "the"


def test_demonyms_and_metonyms_are_kept_apart(ref: ReferenceIndex):
    russia = ref.get(country("RU"))
    assert "Russian" in russia.demonyms and "the Kremlin" in russia.metonyms
    assert russia.label == "Russia" and russia.names[0] == "Russia"
    assert russia.iso == "RU" and russia.wikidata == "Q159"


def test_ambiguous_names_are_flagged(ref: ReferenceIndex):
    lead = ref.get(commodity("lead"))
    assert lead.ambiguous and "lead" in lead.ambiguous_names
    assert ref.get(commodity("natural-gas")).ambiguous_names == ("gas",)
    assert not ref.get(commodity("wheat")).ambiguous


def test_place_knows_its_country(ref: ReferenceIndex):
    assert ref.get(EntityRef(EntityKind.PLACE, "new-york")).country == "US"


def test_exchange_is_an_organization(ref: ReferenceIndex):
    assert ref.get(EntityRef(EntityKind.ORGANIZATION, "lme")).label == "London Metal Exchange"


def test_ancestors(ref: ReferenceIndex):
    assert {commodity("grain"), commodity("agricultural-commodities")} <= ref.ancestors(commodity("wheat"))
    assert {commodity("rare-earth-elements"), commodity("critical-minerals")} <= ref.ancestors(
        commodity("neodymium"))
    assert commodity("base-metals") in ref.ancestors(commodity("copper"))
    assert ref.ancestors(commodity("metals")) == set()
    assert ref.ancestors(EntityRef(EntityKind.COMMODITY, "no-such-thing")) == set()


@pytest.mark.parametrize(("office_name", "day", "holder"), [
    ("US President", dt.date(2025, 2, 25), "donald-trump"),
    ("US President", dt.date(1987, 4, 8), "ronald-reagan"),
    ("U.S. President", dt.date(2022, 6, 1), "joe-biden"),
    ("US President", dt.date(2025, 1, 20), "donald-trump"),  # hand-over day: the new holder
    ("Russian President", dt.date(2010, 1, 1), "dmitry-medvedev"),
    ("Treasury Secretary", dt.date(1987, 4, 8), "james-baker"),
    ("Treasury Secretary", dt.date(2025, 3, 1), "scott-bessent"),
    ("Fed chairman", dt.date(1987, 4, 8), "paul-volcker"),
    ("Fed chairman", dt.date(1987, 10, 20), "alan-greenspan"),
    ("Chinese President", dt.date(2020, 5, 19), "xi-jinping"),
    ("Indian Prime Minister", dt.date(2023, 1, 1), "narendra-modi"),
])
def test_office_holder_by_date(ref: ReferenceIndex, office_name: str, day: dt.date, holder: str):
    holders = {ref.holder(o.key, day) for o in ref.office_lookup(office_name)}
    assert person(holder) in holders


def test_kremlin_leader_by_date(ref: ReferenceIndex):
    offices = ref.office_lookup("the Kremlin leader")
    assert {o.key for o in offices} >= {"president-of-russia", "general-secretary-of-the-cpsu"}
    on = {ref.holder(o.key, dt.date(2025, 2, 25)) for o in offices} - {None}
    assert on == {person("vladimir-putin")}
    on = {ref.holder(o.key, dt.date(1987, 4, 8)) for o in offices} - {None}
    assert on == {person("mikhail-gorbachev")}


def test_holder_of_unknown_office_or_vacancy(ref: ReferenceIndex):
    assert ref.holder("no-such-office", dt.date(2025, 1, 1)) is None
    assert ref.holder("president-of-the-united-states", dt.date(1970, 1, 1)) is None


def test_office_country(ref: ReferenceIndex):
    assert ref.offices["president-of-russia"].country == "RU"


# --- the reference graph -------------------------------------------------------------------

def test_graph_materialises_altlabels(ref: ReferenceIndex):
    g = reference_graph(ref)
    assert g.identifier == REFERENCE_GRAPH
    ru = entity_iri(country("RU"))
    alts = set(g.objects(ru, SKOS.altLabel))
    assert {Literal("Russian Federation"), Literal("Russian"), Literal("the Kremlin")} <= alts
    assert (ru, SKOS.prefLabel, Literal("Russia")) in g


def test_default_load_is_cached():
    assert load_reference() is load_reference()


def test_override_files(tmp_path: Path):
    ttl = tmp_path / "mini.ttl"
    ttl.write_text(
        "@prefix gk: <https://w3id.org/geokg/ontology#> .\n"
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n"
        "<https://w3id.org/geokg/id/country/XX> a gk:Country ; skos:prefLabel \"Xland\" ;\n"
        "    gk:demonym \"Xish\" ; gk:iso3166Alpha2 \"XX\" .\n", encoding="utf-8")
    mini = load_reference([ttl])
    assert keys(mini.lookup("Xish")) == ["XX"]
    assert len(mini.entities) == 1


@pytest.mark.parametrize(("body", "problem"), [
    ('<https://w3id.org/geokg/id/country/XX> a gk:Country .', "exactly one"),
    ('<https://w3id.org/geokg/id/place/XX> a gk:Country ; skos:prefLabel "X" .', "segment"),
    ('<https://w3id.org/geokg/id/country/XX> a gk:Country, gk:Place ; skos:prefLabel "X" .', "types"),
])
def test_bad_reference_data_is_reported(tmp_path: Path, body: str, problem: str):
    ttl = tmp_path / "bad.ttl"
    ttl.write_text("@prefix gk: <https://w3id.org/geokg/ontology#> .\n"
                   "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n" + body + "\n",
                   encoding="utf-8")
    with pytest.raises(ReferenceDataError, match=problem) as info:
        load_reference([ttl])
    assert info.value.code == "GK903"


def test_turtle_syntax_error_names_the_place(tmp_path: Path):
    ttl = tmp_path / "broken.ttl"
    ttl.write_text("<a> <b> .\n", encoding="utf-8")
    with pytest.raises(SyntaxError):
        load_reference([ttl])


# --- coverage of the evaluation data (lives beside the repository) ------------------------

def _name_variants(name: str) -> list[str]:
    """ "Corn (maize)" → the name, "Corn", "maize"; "Heating oil / gas oil" → both halves."""
    parts = [p.strip() for p in re.split(r"[()/]|\bnow\b", name) if p.strip()]
    return [name, *parts]


def _resolves(ref: ReferenceIndex, name: str, expected: EntityRef | None = None,
              kind: EntityKind | None = None) -> bool:
    for variant in _name_variants(name):
        found = [e.ref for e in ref.lookup(variant)]
        if expected in found or (expected is None and any(r.kind is kind for r in found)):
            return True
    return False


def test_reuters_codes_resolve(ref: ReferenceIndex, shared_dir: Path):
    path = shared_dir / "data" / "reuters21578" / "codes.tsv"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    missing = []
    for row in rows:
        if row["kind"] == "place":
            iso = row["iso3166_alpha2"]
            if country(iso) not in ref.entities or not _resolves(ref, row["name"], country(iso)):
                missing.append((row["code"], row["name"], iso))
        elif row["kind"] == "topic" and row["is_commodity"] == "yes":
            if not _resolves(ref, row["name"], kind=EntityKind.COMMODITY):
                missing.append((row["code"], row["name"]))
        elif row["kind"] in ("org", "exchange", "person"):
            kinds = {EntityKind.ORGANIZATION, EntityKind.COMPANY, EntityKind.PERSON}
            if not any(_resolves(ref, row["name"], kind=k) for k in kinds):
                missing.append((row["code"], row["name"]))
    assert missing == []


def test_news_dev_countries_and_commodities_resolve(ref: ReferenceIndex, shared_dir: Path):
    path = shared_dir / "data" / "news-dev" / "gold.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    missing = []
    for line in path.read_text(encoding="utf-8").splitlines():
        for gold in json.loads(line)["entities"]:
            if gold["type"] == "Country":
                expected = country(gold["iso3166"])
                entity = ref.get(expected)
                if entity is None or not _resolves(ref, gold["name"], expected):
                    missing.append(gold["name"])
                elif gold["wikidata"] and entity.wikidata != gold["wikidata"]:
                    missing.append((gold["name"], gold["wikidata"], entity.wikidata))
            elif gold["type"] == "Commodity":
                if not _resolves(ref, gold["name"], kind=EntityKind.COMMODITY):
                    missing.append(gold["name"])
                for mention in gold["mentions"]:
                    if not _resolves(ref, mention, kind=EntityKind.COMMODITY) and " " not in mention:
                        missing.append((gold["name"], mention))
    assert missing == []


def test_news_dev_known_wikidata_ids_agree(ref: ReferenceIndex, shared_dir: Path):
    """Where the gold names a QID and the reference data has the entity, they agree."""
    path = shared_dir / "data" / "news-dev" / "gold.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    wrong = []
    for line in path.read_text(encoding="utf-8").splitlines():
        for gold in json.loads(line)["entities"]:
            if not gold["wikidata"]:
                continue
            for entity in ref.lookup(gold["name"]):
                if entity.ref.kind.value == gold["type"] and entity.wikidata not in (None, gold["wikidata"]):
                    wrong.append((gold["name"], gold["wikidata"], entity.wikidata))
    assert wrong == []
