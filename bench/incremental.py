"""What a build costs on a store that already holds many articles: nothing new, and a few new ones.

Usage: python bench/incremental.py [--limit N] [--new K] [--articles M] [--keep DIR] [--check]

Builds the first N (default 2,000) Reuters-21578 train articles
(../shared/data/reuters21578/train.jsonl) into a base store, or reuses DIR/base with --keep.
With --articles M above N, the base store's article graphs are copied until the store holds
M articles: each copy gets fresh article, event, quantity, evidence and graph IRIs and its
dates moved two years back per copy (other happenings, older than the base articles, so a
new article is the latest one, as in a store that grows), is bulk-loaded, and the
cross-document graphs are computed once by a whole pass (timed). Then it times, each one a
``python -m geokg build`` in a child process (wall clock and CPU, start-up included):

1. nothing new: the N articles read again (all skipped), and a build without paths;
2. the next K (default 10) train articles added to a copy of the store;
3. the same K articles built into an empty store.

and prints the figures and the ratio of 2 to 3. ``--check`` also recomputes the derived graphs
of store 2 whole (``geokg build --recompute-crossdoc`` on a copy) and says whether they equal
what the incremental pass wrote. Exits 0 with a message when the data folder is absent.
Figures, not asserts; the machine this runs on is shared, so wall-clock times are noisy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "data" / "reuters21578" / "train.jsonl"
# Minted per article: copied with a "-cK" suffix; entities stay shared, as in a real corpus.
PER_ARTICLE = re.compile(r"<(https://w3id\.org/geokg/(?:graph/article|id/(?:article|event|quantity|evidence))/[^>]+)>")
IDENTIFIER = re.compile(r'(<http://purl\.org/dc/terms/identifier> )"([^"]+)"')
DATE = re.compile(r'"(\d{4}-\d{2}-\d{2})"\^\^<http://www\.w3\.org/2001/XMLSchema#date>')
ARTICLE_GRAPH = "<https://w3id.org/geokg/graph/article/"


def write_lines(source: Path, target: Path, start: int, count: int) -> None:
    with source.open(encoding="utf-8") as lines, target.open("w", encoding="utf-8") as out:
        for n, line in enumerate(lines):
            if n >= start + count:
                break
            if n >= start:
                out.write(line)


@dataclass(frozen=True)
class Timed:
    """What a child process took: wall and CPU seconds, peak resident memory (MiB), its output."""

    wall: float
    cpu: float
    peak_rss_mib: float
    output: str


def run_timed(command: list[str]) -> Timed:
    """Run ``command``; exit with its output if it fails. The child's own rusage (``os.wait4``)
    gives its CPU time and peak RSS, whatever other children this process ran."""
    with tempfile.TemporaryFile("w+") as out:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, text=True)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    if child.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({child.returncode}):\n{output}")
    return Timed(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, output)


def geokg_build(*args: str) -> tuple[float, float, str]:
    """Run ``python -m geokg build ARGS -q``; return wall seconds, CPU seconds, its output."""
    done = run_timed([sys.executable, "-m", "geokg", "build", *args, "-q"])
    return done.wall, done.cpu, done.output


def write_copies(base: Path, articles: int, tmp: Path) -> Path:
    """Write the article graphs of ``base`` and copies of them (fresh ids, dates moved back) until
    they make ``articles`` articles, with the reference and ontology graphs once, as N-Quads in
    ``tmp``; the derived graphs are left out. Returns the file."""
    import pyoxigraph as ox

    from geokg.rdf.iris import CROSSDOC_ENTITIES_GRAPH, CROSSDOC_EVENTS_GRAPH
    from geokg.store import Store

    dump = tmp / "base.nq"
    with Store.open(base, read_only=True) as store:
        per_copy = len(store.article_graphs())
        store.ox.dump(dump, ox.RdfFormat.N_QUADS)
    copies = -(-articles // per_copy)
    data = tmp / "copies.nq"
    derived = (f"<{CROSSDOC_ENTITIES_GRAPH}> .", f"<{CROSSDOC_EVENTS_GRAPH}> .")
    with dump.open(encoding="utf-8") as lines:
        kept = [line for line in lines if not line.rstrip().endswith(derived)]
    with data.open("w", encoding="utf-8") as out:
        out.writelines(kept)  # the base articles, the reference and the ontology, once
        article_lines = [line for line in kept if ARTICLE_GRAPH in line]
        for k in range(1, copies):
            shift = dt.timedelta(days=-730 * k)
            for line in article_lines:
                line = PER_ARTICLE.sub(lambda m: f"<{m.group(1)}-c{k}>", line)
                line = IDENTIFIER.sub(lambda m: f'{m.group(1)}"{m.group(2)}-c{k}"', line)
                out.write(DATE.sub(lambda m: '"' + (dt.date.fromisoformat(m.group(1)) + shift).isoformat()
                                   + '"^^<http://www.w3.org/2001/XMLSchema#date>', line))
    dump.unlink()
    return data


def replicate(base: Path, target: Path, articles: int, tmp: Path) -> tuple[int, float, float]:
    """Fill ``target`` with the article graphs of ``base`` and copies of them until it holds
    ``articles`` articles, then run a whole cross-document pass; return the article count and
    the seconds the bulk load and the pass took."""
    from geokg import crossdoc
    from geokg.store import Store

    data = write_copies(base, articles, tmp)
    start = time.perf_counter()
    with Store.open(target) as store:
        store.bulk_load(data)
        store.optimize()
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    with Store.open(target) as store:
        crossdoc.refresh(store)
        store.optimize()
        count = len(store.article_graphs())
    return count, loaded, time.perf_counter() - start


def derived_quads(path: Path) -> set[str]:
    from geokg.rdf.iris import CROSSDOC_ENTITIES_GRAPH, CROSSDOC_EVENTS_GRAPH
    from geokg.store import Store

    with Store.open(path, read_only=True) as store:
        return {str(q) for g in (CROSSDOC_ENTITIES_GRAPH, CROSSDOC_EVENTS_GRAPH) for q in store.quads(g)}


def crossdoc_line(output: str) -> str:
    return next((line for line in output.splitlines() if "canonical event" in line or "cross-document" in line), "")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000, help="Reuters train articles to build (default 2000)")
    parser.add_argument("--new", type=int, default=10, help="new articles to add (default 10)")
    parser.add_argument("--articles", type=int, default=None,
                        help="copy the base articles until the store holds this many (default: no copies)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the stores in this folder, and reuse the base (and copied) store found there")
    parser.add_argument("--check", action="store_true",
                        help="also recompute the derived graphs whole after adding and compare (slow on large stores)")
    args = parser.parse_args()
    if not TRAIN.is_file():
        print(f"Reuters-21578 not found at {TRAIN}; nothing to measure (see bench/README or README \"Performance\")")
        return
    with tempfile.TemporaryDirectory(prefix="geokg-incremental-") as tmp_name:
        tmp = Path(tmp_name)
        work = args.keep or tmp
        work.mkdir(parents=True, exist_ok=True)
        base_input, new_input = work / "base.jsonl", work / "new.jsonl"
        write_lines(TRAIN, base_input, 0, args.limit)
        write_lines(TRAIN, new_input, args.limit, args.new)
        base = work / "base"
        if not base.exists():
            wall, cpu, _ = geokg_build(str(base_input), "--store", str(base))
            print(f"base store: {args.limit} articles built in {wall:.0f} s")
        else:
            print(f"base store: reusing {base}")
        store = base
        if args.articles and args.articles > args.limit:
            store = work / f"copied-{args.articles}"
            if not store.exists():
                count, loaded, whole = replicate(base, store, args.articles, tmp)
                print(f"copied store: {count} articles; bulk load {loaded:.0f} s, whole cross-document pass {whole:.0f} s")
            else:
                print(f"copied store: reusing {store}")

        figures = {}
        scratch = tmp / "store"
        shutil.copytree(store, scratch)
        figures["nothing new"] = geokg_build(str(base_input), "--store", str(scratch))
        figures["no paths"] = geokg_build("--store", str(scratch))
        figures["add"] = geokg_build(str(new_input), "--store", str(scratch))
        figures["empty"] = geokg_build(str(new_input), "--store", str(tmp / "empty"))
        articles = args.articles or args.limit
        for label, key in ((f"nothing new ({args.limit} articles read again)", "nothing new"),
                           ("nothing new (no paths)", "no paths"),
                           (f"{args.new} new articles into the {articles}-article store", "add"),
                           (f"the same {args.new} into an empty store", "empty")):
            wall, cpu, output = figures[key]
            print(f"{label:<52} wall {wall:6.2f} s  CPU {cpu:6.2f} s   {crossdoc_line(output)}")
        (add_wall, add_cpu, _), (empty_wall, empty_cpu, _) = figures["add"], figures["empty"]
        print(f"ratio, store / empty: wall {add_wall / empty_wall:.2f}, CPU {add_cpu / empty_cpu:.2f}")
        if args.check:
            recomputed = tmp / "recomputed"
            shutil.copytree(scratch, recomputed)
            wall, _, _ = geokg_build("--recompute-crossdoc", "--store", str(recomputed))
            same = derived_quads(scratch) == derived_quads(recomputed)
            print(f"check: a whole recompute ({wall:.0f} s) gives {'the same' if same else 'OTHER'} derived graphs")


if __name__ == "__main__":
    main()
