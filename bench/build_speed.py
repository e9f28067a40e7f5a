"""Build throughput and memory, stage by stage, beside the bare spaCy pipeline as a peer.

Usage: python bench/build_speed.py [PATH ...] [--repeat N]

Reads ../shared/data/news-dev/docs (or seeds/ when it is absent), repeats the set
N times with fresh ids, and prints articles per second for: the bare trained
spaCy pipeline (the peer), geokg's pipeline (with the gazetteer), extraction,
RDF mapping, SHACL validation and loading into an on-disk Oxigraph store, plus
peak RSS. Figures, not asserts: nothing here fails on speed.
"""

from __future__ import annotations

import argparse
import dataclasses
import resource
import sys
import tempfile
import time
from pathlib import Path

import spacy

from geokg.articles import Article, iter_articles
from geokg.extract import extract
from geokg.nlp import get_pipeline
from geokg.rdf import to_graph
from geokg.rdf.iris import graph_iri
from geokg.reference import load_reference
from geokg.settings import DEFAULT_MODEL
from geokg.store import Store
from geokg.validate import validate

ROOT = Path(__file__).resolve().parents[1]
NEWS_DEV = ROOT.parent / "shared" / "data" / "news-dev" / "docs"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    paths = args.paths or ([NEWS_DEV] if NEWS_DEV.is_dir() else [ROOT / "seeds"])
    base = [a for a in iter_articles(paths) if isinstance(a, Article)]
    articles = [dataclasses.replace(a, id=f"{a.id}-r{i}") for i in range(args.repeat) for a in base]
    words = sum(len(a.text.split()) for a in articles)
    print(f"corpus: {len(articles)} articles ({len(base)} × {args.repeat}), {words} words, from {', '.join(map(str, paths))}")

    bare = spacy.load(DEFAULT_MODEL)
    t = time.perf_counter()
    list(bare.pipe(a.text for a in articles))
    bare_s = time.perf_counter() - t

    t = time.perf_counter()
    reference = load_reference()
    nlp = get_pipeline(DEFAULT_MODEL)
    setup_s = time.perf_counter() - t

    t = time.perf_counter()
    docs = list(nlp.pipe(a.text for a in articles))
    nlp_s = time.perf_counter() - t

    t = time.perf_counter()
    facts = [extract(a, d, reference) for a, d in zip(articles, docs)]
    extract_s = time.perf_counter() - t

    t = time.perf_counter()
    graphs = [to_graph(f) for f in facts]
    rdf_s = time.perf_counter() - t

    t = time.perf_counter()
    reports = [validate(g) for g in graphs]
    validate_s = time.perf_counter() - t

    with tempfile.TemporaryDirectory() as tmp, Store.open(Path(tmp) / "bench.db") as store:
        t = time.perf_counter()
        for article, graph in zip(articles, graphs):
            store.replace_graph(graph_iri(article.id), graph)
        store_s = time.perf_counter() - t
        triples = len(store)

    n = len(articles)
    rows = [("bare spaCy pipeline (peer)", bare_s), ("geokg spaCy pipeline", nlp_s), ("extract", extract_s),
            ("to RDF", rdf_s), ("SHACL validate", validate_s), ("store load", store_s)]
    print(f"setup (reference data + pipeline load): {setup_s:.2f} s")
    print(f"{'stage':32} {'seconds':>8} {'articles/s':>11}")
    for name, seconds in rows:
        print(f"{name:32} {seconds:8.2f} {n / seconds if seconds else float('inf'):11.1f}")
    total = sum(s for _, s in rows[1:])
    print(f"{'geokg total (excl. setup)':32} {total:8.2f} {n / total:11.1f}")
    print(f"ratio geokg total / bare spaCy: {total / bare_s:.2f}x")
    print(f"events: {sum(len(f.events) for f in facts)}, triples: {triples}, "
          f"non-conforming graphs: {sum(not r.conforms for r in reports)}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 if sys.platform != 'darwin' else 1024 ** 2)
    print(f"peak RSS: {peak:.0f} MiB")


if __name__ == "__main__":
    main()
