"""Build throughput: the whole `geokg build` path against the bare spaCy pipeline, same texts, same run.

Usage: python bench/throughput.py [--split train|test] [--limit N] [--workers N] [--repeat N] [--store DIR]

Reads Reuters-21578 (../shared/data/reuters21578/{split}.jsonl; the first N articles
with --limit) and runs, each in a fresh child process so that peak memory is its own:

1. bare: the trained spaCy pipeline alone, ``nlp.pipe`` over the article texts;
2. geokg: ``geokg.build`` (read, parse with geokg's components, extract, RDF, SHACL,
   load into an on-disk Oxigraph store) over the same articles.

Prints articles/s and words/s of each (pipeline loading excluded, reported apart),
their ratio, peak RSS, the RSS of the geokg build every 1,000 articles (flat
when the build streams) and, with --workers, the loading process's share of the
build's CPU time (it reads articles and loads graphs; the workers parse, extract, map and validate).
With --repeat N the two runs alternate N times; each round's ratio is printed, and the table and
the ratio use each side's fastest run: on a shared machine the other jobs only ever slow a run
down, so the fastest is the closest to the code's own cost (as ``timeit`` reports). Figures, not
asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578"
PAGE = os.sysconf("SC_PAGE_SIZE")


def articles(path: Path) -> Iterator:
    from geokg.articles import Article, iter_articles

    return (a for a in iter_articles([path]) if isinstance(a, Article))


def peak_rss_mib() -> float:
    """Peak resident memory of this process and of its largest child, MiB (Linux)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def cpu_s() -> float:
    """CPU seconds of this process and its finished children: steadier than wall time on a shared machine."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def own_cpu_s() -> float:
    """CPU seconds of this process alone: with --workers, the loading process's share."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def rss_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * PAGE / 2 ** 20


def run_bare(path: Path, batch_size: int) -> dict:
    import spacy

    from geokg.settings import DEFAULT_MODEL

    t = time.perf_counter()
    nlp = spacy.load(DEFAULT_MODEL)
    setup = time.perf_counter() - t
    count = words = 0
    t, cpu = time.perf_counter(), cpu_s()
    for doc in nlp.pipe((a.text for a in articles(path)), batch_size=batch_size):
        count += 1
        words += sum(1 for token in doc if not token.is_space and not token.is_punct)
    return {"setup_s": setup, "seconds": time.perf_counter() - t, "cpu_s": cpu_s() - cpu, "articles": count,
            "words": words}


def run_geokg(path: Path, batch_size: int, workers: int, store: Path) -> dict:
    import geokg
    from geokg.nlp import get_pipeline
    from geokg.reference import load_reference

    settings = geokg.Settings.from_env(store=store, batch_size=batch_size, workers=workers)
    t = time.perf_counter()
    load_reference()
    get_pipeline(settings.model)
    setup = time.perf_counter() - t
    rss: list[tuple[int, float]] = []
    count = words = 0

    def seen(article) -> None:
        nonlocal count, words
        count += 1
        words += len(article.text.split())
        if count % 1000 == 0:
            rss.append((count, round(rss_mib())))

    t, cpu, own = time.perf_counter(), cpu_s(), own_cpu_s()
    summary = geokg.build([path], settings, on_article=seen, rebuild=True)
    seconds = time.perf_counter() - t
    return {"setup_s": setup, "seconds": seconds, "cpu_s": cpu_s() - cpu, "own_cpu_s": own_cpu_s() - own,
            "articles": count, "loaded": summary.articles,
            "quarantined": len(summary.quarantined), "failures": len(summary.failures),
            "triples": summary.triples, "words_ws": words, "rss_every_1000": rss}


def child(args: argparse.Namespace) -> None:
    if args.phase == "bare":
        result = run_bare(args.input, args.batch_size)
    else:
        result = run_geokg(args.input, args.batch_size, args.workers, Path(args.store))
    result["peak_rss_mib"] = round(peak_rss_mib())
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="train", choices=["train", "test"])
    parser.add_argument("--limit", type=int, default=None, help="first N articles (default: all)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--repeat", type=int, default=1, help="alternate the two runs N times, keep the fastest")
    parser.add_argument("--store", type=Path, default=None, help="keep the built store here (default: a temp dir)")
    parser.add_argument("--phase", choices=["bare", "geokg"], help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        return child(args)
    path = REUTERS / f"{args.split}.jsonl"
    if not path.is_file():
        sys.exit(f"Reuters-21578 not found at {path}")

    def run(phase: str, store: Path | None = None) -> dict:
        command = [sys.executable, __file__, "--phase", phase, "--input", str(source),
                   "--workers", str(args.workers), "--batch-size", str(args.batch_size)]
        command += ["--store", str(store)] if store else []
        out = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True).stdout
        return json.loads(out.strip().splitlines()[-1])

    with tempfile.TemporaryDirectory() as tmp:
        source = path
        if args.limit:  # both runs read the same file: the first N records
            source = Path(tmp) / f"{args.split}-{args.limit}.jsonl"
            with path.open(encoding="utf-8") as full:
                source.write_text("".join(islice(full, args.limit)), encoding="utf-8")
        rounds = [(run("bare"), run("geokg", args.store or Path(tmp) / "store")) for _ in range(max(1, args.repeat))]
    bare = min((b for b, _ in rounds), key=lambda r: r["cpu_s"])
    built = min((g for _, g in rounds), key=lambda r: r["cpu_s"])
    built["peak_rss_mib"] = max(g["peak_rss_mib"] for _, g in rounds)
    n, words = bare["articles"], bare["words"]
    if len(rounds) > 1:
        print("ratio of each round, by CPU time: " + ", ".join(f"{b['cpu_s'] / g['cpu_s']:.2f}" for b, g in rounds))
    print(f"corpus: Reuters-21578 {args.split}, {n} articles, {words} words (spaCy tokens, no punctuation); "
          f"workers={args.workers}, batch size {args.batch_size}; {os.cpu_count()} CPUs")
    print(f"{'run':28} {'setup s':>8} {'wall s':>8} {'articles/s':>11} {'words/s':>9} {'CPU s':>8} "
          f"{'articles/CPU s':>15} {'peak RSS MiB':>13}")
    for name, r in (("bare spaCy nlp.pipe", bare), ("geokg build (whole path)", built)):
        print(f"{name:28} {r['setup_s']:8.1f} {r['seconds']:8.1f} {n / r['seconds']:11.1f} "
              f"{words / r['seconds']:9.0f} {r['cpu_s']:8.1f} {n / r['cpu_s']:15.1f} {r['peak_rss_mib']:13d}")
    fastest = " (fastest runs)" if len(rounds) > 1 else ""
    print(f"ratio geokg / bare throughput{fastest}: {bare['seconds'] / built['seconds']:.2f} by wall time, "
          f"{bare['cpu_s'] / built['cpu_s']:.2f} by CPU time")
    print(f"geokg loading process: {built['own_cpu_s']:.1f} CPU s, {built['own_cpu_s'] / built['cpu_s']:.0%} of the "
          f"build's CPU time (the rest: {args.workers} worker process(es))" if args.workers > 1 else
          "geokg loading process: the whole build (no worker processes)")
    print(f"geokg: {built['loaded']} loaded, {built['quarantined']} quarantined, {built['failures']} failed, "
          f"{built['triples']} quads in the store")
    print("geokg RSS (MiB) after N articles: " + ", ".join(f"{k}: {v}" for k, v in built["rss_every_1000"]))


if __name__ == "__main__":
    main()
