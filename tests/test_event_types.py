"""The event-type registry is the one declaration of each type: everything else agrees with it.

What is generated from the registry must be up to date; what reads it must read it; what lists
types by hand (the trigger model, the annotation guide, stored queries, the evaluation mappings)
must name registered types only. The last test adds a type to the registry alone and follows it
through every consumer.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from geokg import crossdoc, crudeoilnews, event_types_files, evaluate, resources
from geokg.event_types import EVENT_TYPES, FAMILIES, GROUPINGS, SPECS, EventTypeSpec, _check_table, trained_labels
from geokg.model import EventType
from geokg.namespaces import GK, GKSH
from geokg.nlp import PACKAGED_EVENT_MODEL
from geokg.validate import load_shapes
from geokg.viz.page import _FALLBACK, COLOURS

ROOT = Path(__file__).resolve().parents[1]
NAMES = [spec.name for spec in EVENT_TYPES]
GK_NS = str(GK._NS)


def local(term: object) -> str:
    return str(term).removeprefix(GK_NS)


# -- the registry itself ---------------------------------------------------------------------

def test_an_entry_with_a_bad_field_fails_naming_the_type_and_the_field() -> None:
    good = SPECS["Tariff"]
    with pytest.raises(ValueError, match=r"event type 'Tariff' .*`family` value 'trde' is not valid\. "
                                         r"It must be in: trade, measures, diplomacy, market, rankings"):
        replace(good, family="trde")
    with pytest.raises(ValueError, match=r"`grouping` value 'pairwise' is not valid\. It must be in: directed, "):
        replace(good, grouping="pairwise")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"`roles` value 'target' is not valid"):
        replace(good, roles=("agent", "target"))
    with pytest.raises(ValueError, match=r"`colour` 'orange' must be lower-case hex"):
        replace(good, colour="orange")
    with pytest.raises(ValueError, match=r"`name` must be UpperCamelCase"):
        replace(good, name="Import tariff")
    with pytest.raises(ValueError, match=r"`source` 'model' takes the trigger model's triggers, but `trained` is False"):
        replace(good, source="model", trained=False)
    with pytest.raises(ValueError, match=r"`statuses` \('imposed', 'imposed'\)"):
        replace(good, statuses=("imposed", "imposed"))


def test_two_entries_that_share_a_name_or_colour_fail() -> None:
    copy = replace(SPECS["Tariff"], name="ImportQuota", label="import quota")
    with pytest.raises(ValueError, match="two event types share the colour #ffbe7d"):
        _check_table((*EVENT_TYPES, copy))
    with pytest.raises(ValueError, match="two event types share the name Tariff"):
        _check_table((*EVENT_TYPES, replace(copy, name="Tariff", colour="#000000")))


def test_every_family_and_grouping_is_used_and_explained() -> None:
    assert {spec.family for spec in EVENT_TYPES} == set(FAMILIES)
    assert {spec.grouping for spec in EVENT_TYPES} == set(GROUPINGS)
    assert all(isinstance(spec, EventTypeSpec) for spec in EVENT_TYPES)


# -- generated from it -----------------------------------------------------------------------

def test_the_generated_blocks_are_up_to_date() -> None:
    stale = [str(path.relative_to(ROOT)) for path in event_types_files.stale()]
    assert not stale, f"generated from the event-type registry but stale: {stale}; run `{event_types_files.COMMAND}`"


def test_the_check_names_a_stale_block_and_write_repairs_it(tmp_path: Path) -> None:
    for kind in ("ontology", "shapes"):
        shutil.copytree(resources.resource_dir(kind), tmp_path / kind)
    event_types_files.write(tmp_path)  # fresh, whatever the checkout's state
    ontology = tmp_path / "ontology" / "geokg.ttl"
    ontology.write_text(ontology.read_text(encoding="utf-8").replace('"tariff"@en', '"tarif"@en'), encoding="utf-8")
    assert event_types_files.stale(tmp_path) == [ontology]
    assert event_types_files.main(["--check", "--root", str(tmp_path)]) == 1
    assert event_types_files.write(tmp_path) == [ontology]
    assert event_types_files.stale(tmp_path) == []
    shapes = tmp_path / "shapes" / "geokg-shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8").replace("# END generated", "# END of what was generated"),
                      encoding="utf-8")
    with pytest.raises(ValueError, match=rf"{re.escape(str(shapes))}: expected the line '# END generated from "
                                         r"geokg.event_types' once, found it 0 times"):
        event_types_files.stale(tmp_path)


def test_the_ontology_declares_each_type_with_its_label_and_comment() -> None:
    ontology = Graph().parse(ROOT / "ontology" / "geokg.ttl")
    assert {local(c) for c in ontology.subjects(RDFS.subClassOf, GK.Event)} == set(NAMES)
    for spec in EVENT_TYPES:
        assert ontology.value(GK[spec.name], RDFS.label) == Literal(spec.label, lang="en"), spec.name
        assert ontology.value(GK[spec.name], RDFS.comment) == Literal(spec.comment, lang="en"), spec.name
    disjoint = next(ontology.subjects(RDF.type, OWL.AllDisjointClasses))
    assert [local(m) for m in ontology.items(ontology.value(disjoint, OWL.members))] == NAMES


def test_the_shapes_allow_exactly_the_registered_types_and_statuses() -> None:
    shapes = load_shapes()
    qualified = shapes.value(GKSH.EventKind, SH.qualifiedValueShape)
    assert [local(c) for c in Collection(shapes, shapes.value(qualified, SH["in"]))] == NAMES
    allowed = {str(s) for s in Collection(shapes, shapes.value(GKSH.EventStatusValue, SH["in"]))}
    assert allowed == {status for spec in EVENT_TYPES for status in spec.statuses}
    assert (GKSH.EventShape, SH.property, GKSH.EventStatusValue) in shapes


def test_mapping_lists_each_type_once_with_its_family() -> None:
    mapping = (ROOT / "ontology" / "MAPPING.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `gk:(\w+)` \| (\w+) \|", mapping, flags=re.MULTILINE)
    assert sorted(rows) == sorted((spec.name, spec.family) for spec in EVENT_TYPES)


# -- read from it ----------------------------------------------------------------------------

def test_extractor_namespace_crossdoc_and_page_read_the_registry() -> None:
    from geokg.extract.events import PRIORITY

    assert [t.value for t in EventType] == NAMES == [t.value for t in PRIORITY]
    assert [t.name for t in EventType] == [spec.member for spec in EVENT_TYPES]
    assert {name for name in NAMES if GK[name] in dir(GK)} == set(NAMES)
    for grouping, names in (("symmetric", crossdoc._SYMMETRIC), ("standalone", crossdoc._STANDALONE),
                            ("ranking", crossdoc._RANKING)):
        assert names == {spec.name for spec in EVENT_TYPES if spec.grouping == grouping}
    assert all(COLOURS[spec.name] == spec.colour for spec in EVENT_TYPES)
    # Told apart on the page: from each other, from the entities and from unknown types.
    entity_colours = [c for name, c in COLOURS.items() if name not in SPECS]
    colours = [spec.colour for spec in EVENT_TYPES] + entity_colours + list(_FALLBACK)
    assert len(set(colours)) == len(colours)


# -- listed by hand elsewhere: checked against it ---------------------------------------------

def test_the_shipped_trigger_model_predicts_the_trained_types() -> None:
    labels = json.loads((PACKAGED_EVENT_MODEL / "meta.json").read_text(encoding="utf-8"))["labels"]["geokg_triggers"]
    assert set(labels) == set(trained_labels()), (
        "the shipped trigger model and the registry's trained types differ; retrain with `make model`")
    card = (ROOT / "docs" / "model-card.md").read_text(encoding="utf-8")
    listed = re.search(r"\*\*Labels\.\*\* The (\d+) types of the registry \(`[^`]*`\): ([^.]+)\.", card)
    assert listed, "docs/model-card.md: no '**Labels.** The N types of the registry (…): A, B, …' line"
    assert int(listed.group(1)) == len(labels)
    assert sorted(re.split(r",\s*", listed.group(2).strip())) == sorted(labels)


def test_the_annotation_guide_defines_each_trained_type() -> None:
    guide = (ROOT / "docs" / "annotation.md").read_text(encoding="utf-8")
    defined = re.findall(r"^- \*\*(\w+)\*\*:", guide.split("## Types", 1)[1].split("\n## ", 1)[0], flags=re.MULTILINE)
    assert sorted(defined) == sorted(trained_labels()), "docs/annotation.md, 'Types': one bullet per trained type"


def test_stored_queries_name_registered_types_and_list_whole_families() -> None:
    listed = {}
    for path in resources.query_files():
        text = path.read_text(encoding="utf-8")
        # GK holds the registered event classes and the ontology's other classes, nothing else.
        unknown = set(re.findall(r"\bgk:([A-Z]\w*)", text)) - {local(term) for term in dir(GK)}
        assert not unknown, f"{path.name} names classes the ontology lacks: {sorted(unknown)}"
        pairs = [(cls, name) for cls, name in re.findall(r'\(gk:(\w+) "(\w+)"\)', text) if cls in SPECS]
        assert all(cls == name for cls, name in pairs), f"{path.name}: an event class and its ?type disagree: {pairs}"
        listed[path.stem] = {cls for cls, _ in pairs}
    measures = {spec.name for spec in EVENT_TYPES if spec.family == "measures"}
    assert listed["sanctions-and-restrictions"] == measures, (
        "queries/sanctions-and-restrictions.rq lists the measures family: give its VALUES one pair per type")


def test_evaluation_mappings_name_registered_types() -> None:
    named = set(crudeoilnews.SCORED_TYPES) | set(evaluate.NEWS_DEV_TYPES)
    named |= {t for _, accepts in crudeoilnews._FIXED.values() for t in accepts}
    named |= {t for t in crudeoilnews._WORDS if t}
    assert named - set(SPECS) == set()


# -- one more type, in the registry alone ----------------------------------------------------

@pytest.mark.slow
def test_a_type_added_to_the_registry_alone_reaches_every_consumer(tmp_path: Path) -> None:
    # A fresh interpreter: the extractor's enum, GK and the page read the registry on import.
    for kind in ("ontology", "shapes"):
        shutil.copytree(resources.resource_dir(kind), tmp_path / kind)
    script = ROOT / "tests" / "data" / "registry" / "add_a_type.py"
    run = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["stale_before"] == seen["rewritten"] == ["MAPPING.md", "geokg-shapes.ttl", "geokg.ttl"]
    assert seen["stale_after"] == []
    assert seen["ontology"] == {"subclass_of_event": True, "label": "cyber attack", "disjoint": True}
    assert seen["shapes"] == {"kind": True, "status": True}
    assert seen["mapping_row"].startswith("| `gk:CyberAttack` | diplomacy | `claimed`, `denied` |")
    assert seen["event_type"] == {"member": "CYBER_ATTACK", "priority": len(EVENT_TYPES), "of": len(EVENT_TYPES) + 1}
    assert seen["conforms"] is True
    assert len(seen["bad_status"]) == 1 and '"claimed"' in seen["bad_status"][0]
    # Symmetric grouping: Estonia's and Russia's reports (agents swapped) are one happening.
    assert seen["crossdoc"] == {"events": 2, "canonical": 1, "in_more_than_one_article": 1}
    assert seen["events_types"] == ["CyberAttack"]
    assert seen["page_colour"] == seen["colour"] == "#2ca02c"
