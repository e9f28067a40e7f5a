"""SHACL validation throughput, per article graph and for a whole store, and its share of build time.

Usage: python bench/validate.py [--split train|test] [--limit N]

Takes the first N Reuters-21578 articles (../shared/data/reuters21578/{split}.jsonl),
times each stage of the build on them one after the other (geokg's spaCy pipeline,
extraction, RDF mapping, SHACL validation of each batch's article graphs as the build
does it, loading into an on-disk Oxigraph store), then validates each article graph
alone (one pySHACL run each) and the whole store the way ``geokg validate`` does.
Prints CPU and wall seconds per stage, triples/s and ms per graph for validation and
its share of the build. Figures, not asserts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

import geokg
from geokg.articles import iter_articles
from geokg.extract import extract
from geokg.model import Article, content_hash
from geokg.nlp import get_pipeline
from geokg.rdf import to_graph
from geokg.rdf.iris import graph_iri
from geokg.rdf.terms import to_ntriples
from geokg.reference import load_reference
from geokg.settings import DEFAULT_MODEL
from geokg.store import Store
from geokg.validate import validate, validate_graphs

ROOT = Path(__file__).resolve().parents[1]
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="train", choices=["train", "test"])
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--skip-store", action="store_true", help="do not validate the whole store afterwards")
    args = parser.parse_args()
    path = REUTERS / f"{args.split}.jsonl"
    if not path.is_file():
        sys.exit(f"Reuters-21578 not found at {path}")
    articles = list(islice((a for a in iter_articles([path]) if isinstance(a, Article)), args.limit))
    reference = load_reference()
    nlp = get_pipeline(DEFAULT_MODEL)
    validate(to_graph(extract(articles[0], nlp(articles[0].text), reference)))  # shapes parsed once, outside the timing
    stages: dict[str, float] = {}  # CPU seconds: steadier than wall time on a shared machine
    walls: dict[str, float] = {}

    def timed(name: str, work):  # noqa: ANN001, ANN202
        t, cpu = time.perf_counter(), time.process_time()
        result = work()
        stages[name] = time.process_time() - cpu
        walls[name] = time.perf_counter() - t
        return result

    docs = timed("spaCy pipeline (nlp.pipe)", lambda: list(nlp.pipe((a.text for a in articles),
                                                                     batch_size=args.batch_size)))
    facts = timed("extract", lambda: [extract(a, d, reference) for a, d in zip(articles, docs)])
    del docs

    graphs = timed("to RDF", lambda: [to_graph(f, content_hash=content_hash(f.article)) for f in facts])
    per_graph: list[float] = []

    def validate_batches():  # noqa: ANN202
        reports = []
        for start in range(0, len(graphs), args.batch_size):
            reports += validate_graphs(graphs[start:start + args.batch_size])
        return reports

    reports = timed("SHACL validate (validate_graphs per batch)", validate_batches)

    def validate_each() -> None:  # one pySHACL run per graph: not a build stage, timed apart
        for graph in graphs:
            t = time.process_time()
            validate(graph)
            per_graph.append(time.process_time() - t)

    validate_each()
    with tempfile.TemporaryDirectory() as tmp:
        def load() -> None:
            with Store.open(Path(tmp) / "store") as store:
                batch: dict[str, str] = {}
                for article, graph in zip(articles, graphs):
                    batch[str(graph_iri(article.id))] = to_ntriples(graph)
                    if len(batch) == args.batch_size:
                        store.replace_graphs(batch)
                        batch = {}
                store.replace_graphs(batch)

        timed("store load (N-Triples, batched)", load)
        if not args.skip_store:
            t = time.perf_counter()
            report = geokg.validate(None, geokg.Settings(store=Path(tmp) / "store"))
            whole_s = time.perf_counter() - t

    triples = sum(len(g) for g in graphs)
    total = sum(stages.values())
    n = len(articles)
    print(f"corpus: Reuters-21578 {args.split}, first {n} articles, {triples} article triples "
          f"({triples / n:.0f} per graph); {sum(not r.conforms for r in reports)} non-conforming")
    print(f"{'stage':44} {'CPU s':>7} {'wall s':>7} {'articles/CPU s':>15} {'CPU share':>9}")
    for name, seconds in stages.items():
        print(f"{name:44} {seconds:7.2f} {walls[name]:7.2f} {n / seconds:15.1f} {seconds / total:9.1%}")
    print(f"{'build total':44} {total:7.2f} {sum(walls.values()):7.2f} {n / total:15.1f}")
    validate_s = stages["SHACL validate (validate_graphs per batch)"]
    print(f"validation as the build does it: {triples / validate_s:,.0f} triples/s, "
          f"{validate_s / n * 1000:.2f} ms CPU per article graph")
    each = sum(per_graph)
    print(f"one pySHACL run per article graph: {triples / each:,.0f} triples/s; "
          f"median {statistics.median(per_graph) * 1000:.1f} ms, "
          f"95th percentile {statistics.quantiles(per_graph, n=20)[-1] * 1000:.1f} ms CPU per graph")
    if not args.skip_store:
        print(f"validation of the whole store (geokg validate: read {n} graphs from Oxigraph, validate them): "
              f"{whole_s:.1f} s, {triples / whole_s:,.0f} triples/s, conforms={report.conforms}")
    print(f"validation share of build CPU time: {validate_s / total:.1%}")


if __name__ == "__main__":
    main()
