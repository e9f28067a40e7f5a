"""Build memory, part by part: which stage of `geokg build` holds resident memory as the corpus grows.

Usage: python bench/memory.py [--input FILE] [--mode full|no-load|read|crossdoc] [--store DIR]
                              [--limit N] [--every N] [--tracemalloc]

The input defaults to the Reuters-21578 train split (../shared/data/reuters21578/train.jsonl).

Runs one stage set in this process and prints one JSON object: resident memory
(RSS, MiB) every ``--every`` articles, before and after the cross-document pass,
and the peak (``ru_maxrss``) at each of those points.

Modes:
    full      read, parse, extract, validate, load into the store, cross-document pass
              (what ``geokg.build`` does);
    no-load   the same without the store: outcomes are counted and dropped;
    read      only read the articles (``iter_articles``);
    crossdoc  only the cross-document pass over an existing ``--store``.

``--tracemalloc`` adds the Python-side allocations at each sample and the top
growing allocation sites between the first and the last sample (slow: use it on
a few thousand articles).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import tracemalloc
from itertools import islice
from pathlib import Path

from throughput import REUTERS, peak_rss_mib, rss_mib  # bench/ is on sys.path when run as a script

REUTERS_TRAIN = REUTERS / "train.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, default=REUTERS_TRAIN, help="articles (a file or folder)")
    parser.add_argument("--mode", default="full", choices=["full", "no-load", "read", "crossdoc"])
    parser.add_argument("--store", type=Path, default=None, help="the store (default: a temp dir)")
    parser.add_argument("--limit", type=int, default=None, help="first N articles")
    parser.add_argument("--every", type=int, default=1000, help="sample every N articles")
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()

    import geokg
    from geokg import api, crossdoc
    from geokg.articles import iter_articles
    from geokg.nlp import get_pipeline
    from geokg.parallel import iter_outcomes
    from geokg.rdf import reference_graph
    from geokg.reference import load_reference
    from geokg.store import Store

    tmp = tempfile.TemporaryDirectory()
    store_path = args.store or Path(tmp.name) / "store"
    settings = geokg.Settings.from_env(store=store_path, batch_size=32, workers=1)
    if args.mode != "crossdoc":
        reference = load_reference()
        get_pipeline(settings.model)
    result: dict = {"mode": args.mode, "setup_rss": round(rss_mib()), "rss": [], "python_mib": []}
    if args.tracemalloc:
        tracemalloc.start(5)
    snapshots = []
    count = 0
    t = time.process_time()

    def sample() -> None:
        result["rss"].append((count, round(rss_mib())))
        if args.tracemalloc:
            result["python_mib"].append((count, round(tracemalloc.get_traced_memory()[0] / 2 ** 20, 1)))
            snapshots[1 if snapshots else 0:] = [tracemalloc.take_snapshot()]  # the first and the latest

    def seen(_article) -> None:
        nonlocal count
        count += 1
        if count % args.every == 0:
            sample()

    summary = api.BuildSummary()
    if args.mode == "read":
        for _ in api._readable(islice(iter_articles([args.input]), args.limit), summary, seen):
            pass
    elif args.mode in ("full", "no-load"):
        articles = api._readable(islice(iter_articles([args.input]), args.limit), summary, seen)
        outcomes = iter_outcomes(articles, settings.model, batch_size=32, workers=1)
        if args.mode == "no-load":
            api._record(outcomes, summary, settings, store=None)
        else:
            with Store.open(store_path) as store:
                store.load_reference(reference_graph(reference))
                store.load_ontology(api._ontology_graph())
                api._record(outcomes, summary, settings, store=store)
                result["before_crossdoc"] = {"rss": round(rss_mib()), "peak": round(peak_rss_mib()), "cpu_s": round(time.process_time() - t)}
                refreshed = crossdoc.refresh(store)
                result["after_crossdoc"] = {"rss": round(rss_mib()), "peak": round(peak_rss_mib()), "cpu_s": round(time.process_time() - t),
                                            "events": refreshed.events, "entities": refreshed.unlinked_entities}
                result["quads"] = len(store)
    else:
        with Store.open(store_path) as store:
            result["before_crossdoc"] = {"rss": round(rss_mib()), "peak": round(peak_rss_mib())}
            refreshed = crossdoc.refresh(store)
            result["after_crossdoc"] = {"rss": round(rss_mib()), "peak": round(peak_rss_mib()), "cpu_s": round(time.process_time() - t),
                                        "events": refreshed.events, "entities": refreshed.unlinked_entities}
            result["quads"] = len(store)
    result["articles"] = count
    result["loaded"] = summary.articles
    result["cpu_s"] = round(time.process_time() - t)
    result["peak"] = round(peak_rss_mib())
    if args.tracemalloc and len(snapshots) == 2:
        top = snapshots[1].compare_to(snapshots[0], "lineno")[:12]
        result["python_growth"] = [f"{s.size_diff / 2 ** 10:+.0f} KiB {s.count_diff:+d} objs "
                                   f"{s.traceback[0].filename.rsplit('site-packages/', 1)[-1]}:{s.traceback[0].lineno}"
                                   for s in top]
    print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
