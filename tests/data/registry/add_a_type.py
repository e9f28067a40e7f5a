"""Add one event type to the registry and nowhere else, then report what each consumer makes of it.

``tests/test_event_types.py`` runs this in a fresh interpreter, with one argument: a folder
holding copies of ``ontology/`` and ``shapes/``. The registry's source gets one more entry, as
a person adding a type would write it, before anything imports the registry; then the generated
blocks are rewritten in the copies (``GEOKG_RESOURCES`` points at them) and each consumer is
asked about the new type: the ontology, the shapes (validating an article graph holding one),
MAPPING.md, ``GK``, the extractor's ``EventType`` and clause priority, a real on-disk store with
the cross-document pass and the ``events`` query, and the graph page. Prints one JSON object.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import types
from pathlib import Path

ENTRY = '''    EventTypeSpec("CyberAttack", "cyber attack",
                  "A state or group attacks the computer systems of another state, a company or a facility.",
                  "diplomacy", "#2ca02c", statuses=("claimed", "denied"), grouping="symmetric",
                  source="rules", trained=False),
'''
ANCHOR = "\n)\n\n_check_table(EVENT_TYPES)"


def register() -> None:
    """Load ``geokg.event_types`` from its source with ``ENTRY`` added at the end of the table."""
    import geokg

    path = Path(geokg.__file__).parent / "event_types.py"
    source = path.read_text(encoding="utf-8")
    if source.count(ANCHOR) != 1:
        raise SystemExit(f"{path}: the end of EVENT_TYPES no longer reads {ANCHOR!r}; update {__file__}")
    module = types.ModuleType("geokg.event_types")
    module.__file__ = str(path)
    sys.modules["geokg.event_types"] = module
    exec(compile(source.replace(ANCHOR, "\n" + ENTRY.rstrip("\n") + ANCHOR), str(path), "exec"), module.__dict__)
    geokg.event_types = module  # type: ignore[attr-defined]


def main(root: Path) -> dict[str, object]:
    os.environ["GEOKG_RESOURCES"] = str(root)
    register()
    from rdflib import Graph, Literal
    from rdflib.collection import Collection
    from rdflib.namespace import OWL, RDF, RDFS, SH

    from geokg import crossdoc, event_types_files
    from geokg.api import query
    from geokg.articles import Article
    from geokg.extract.events import PRIORITY
    from geokg.model import ArticleFacts, EntityKind, EntityRef, Event, EventType, Evidence
    from geokg.namespaces import GK, GKSH
    from geokg.rdf import to_graph
    from geokg.rdf.iris import graph_iri
    from geokg.settings import Settings
    from geokg.store import Store
    from geokg.validate import load_shapes, validate
    from geokg.viz import to_networkx
    from geokg.viz.page import COLOURS, page_data

    out: dict[str, object] = {}
    out["stale_before"] = sorted(p.name for p in event_types_files.stale())
    out["rewritten"] = sorted(p.name for p in event_types_files.write())
    out["stale_after"] = sorted(p.name for p in event_types_files.stale())

    ontology = Graph().parse(root / "ontology" / "geokg.ttl")
    disjoint = next(ontology.subjects(RDF.type, OWL.AllDisjointClasses))
    out["ontology"] = {
        "subclass_of_event": (GK.CyberAttack, RDFS.subClassOf, GK.Event) in ontology,
        "label": str(ontology.value(GK.CyberAttack, RDFS.label)),
        "disjoint": GK.CyberAttack in set(ontology.items(ontology.value(disjoint, OWL.members))),
    }
    shapes = load_shapes()
    kinds = Collection(shapes, shapes.value(shapes.value(GKSH.EventKind, SH.qualifiedValueShape), SH["in"]))
    statuses = Collection(shapes, shapes.value(GKSH.EventStatusValue, SH["in"]))
    out["shapes"] = {"kind": GK.CyberAttack in set(kinds), "status": Literal("claimed") in set(statuses)}
    out["mapping_row"] = next((line.strip() for line in (root / "ontology" / "MAPPING.md").open(encoding="utf-8")
                               if line.startswith("| `gk:CyberAttack`")), None)

    kind = EventType("CyberAttack")
    out["event_type"] = {"member": kind.name, "priority": PRIORITY.index(kind), "of": len(PRIORITY)}

    def facts(article_id: str, day: int, agent: str, target: str, status: str) -> ArticleFacts:
        text = f"{agent} said hackers from {target} attacked its grid."
        event = Event(type=kind, evidence=Evidence(0, len(text), text), agent=EntityRef(EntityKind.COUNTRY, agent),
                      counterparties=(EntityRef(EntityKind.COUNTRY, target),), status=status)
        return ArticleFacts(Article(article_id, text, dt.date(2025, 3, day)), events=(event,))

    one, other = facts("cyber-a", 3, "EE", "RU", "claimed"), facts("cyber-b", 5, "RU", "EE", "denied")
    out["conforms"] = validate(to_graph(one)).conforms
    bad = validate(to_graph(facts("cyber-c", 3, "EE", "RU", "hacked")))
    out["bad_status"] = [v.message for v in bad.violations]

    settings = Settings(store=root / "geokg.db")
    with Store.open(settings.store) as store:
        for article in (one, other):
            store.replace_graph(graph_iri(article.article.id), to_graph(article))
        summary = crossdoc.refresh(store)
    out["crossdoc"] = {"events": summary.events, "canonical": summary.canonical_events,
                       "in_more_than_one_article": summary.reported_more_than_once}
    events = query("events", {}, settings)
    out["events_types"] = sorted({row[events.columns.index("type")] for row in events.rows})
    page = page_data(to_networkx(settings.store))
    out["page_colour"] = next((t["colour"] for t in page["types"] if t["type"] == "CyberAttack"), None)
    out["colour"] = COLOURS.get("CyberAttack")
    return out


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
