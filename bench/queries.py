"""Stored-query latency at a million triples: Oxigraph (the geokg store) against rdflib in memory.

Usage: python bench/queries.py [--limit N | --from-store S] [--triples T] [--repeat R] [--keep DIR] [--in-memory]
                               [--serve]
                               [--oxigraph-timeout S] [--rdflib-timeout S] [--no-rdflib] [--queries Q]

Builds the first N Reuters-21578 train articles (../shared/data/reuters21578/train.jsonl)
with ``geokg build``, then replicates their article graphs and the canonical events
grouping them (article, event, quantity, evidence and canonical-event IRIs and the
article id get a ``-rK`` suffix; entities stay shared, as in a real corpus) until the
store holds at least T quads, reference, ontology and cross-document entities graph (aliases and
display labels, once) included. The same N-Quads go into an on-disk Oxigraph store (bulk
loader) and into an rdflib ``Dataset`` (union default graph, in a child process so
that a runaway query can be stopped). Every stored query runs unparameterised
(whole graph), and those of ``BOUND`` once more with a value bound. Prints the median latency of R runs on
Oxigraph (each query in a child process, stopped after --oxigraph-timeout seconds),
one run on rdflib (capped at --rdflib-timeout), the ratio, rows/s and the load
average when each query ran (the figures are wall-clock). ``--in-memory`` also times every
query on ``Store.replica`` (the in-memory copy ``geokg serve --in-memory`` answers from), side by
side, with the time and memory the copy took. ``--serve`` also times every query through a real
``geokg serve --in-memory`` over HTTP (``geokg.query(endpoint=...)``: SPARQL Protocol, JSON
results parsed into the same rows), started on the store and stopped by the run. The replicated
store is compacted after the bulk load, as ``geokg build`` compacts a store it wrote. Figures,
not asserts.
"""

from __future__ import annotations

import argparse
import contextlib
import multiprocessing
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "data" / "reuters21578" / "train.jsonl"
# Copied per replica: article graphs and what they mint, and the canonical events that group their
# events (so each replica reads like other stories, not 20 reports of the same one).
PER_ARTICLE = re.compile(
    r"<(https://w3id\.org/geokg/(?:graph|id/(?:article|event|quantity|evidence|canonical-event))/[^>]+)>")
IDENTIFIER = re.compile(r'(<http://purl\.org/dc/terms/identifier> )"([^"]+)"')
ARTICLE_LIST = re.compile(r'(<https://w3id\.org/geokg/report#articles> )"([^"]+)"')  # "id1, id2"
# Parameterised runs: (query, parameter, value).
BOUND = [("entity-articles", "entity", "Japan"), ("commodity-timeline", "commodity", "Wheat"),
         ("country-activity", "country", "Canada"), ("timeline", "entity", "Japan"),
         ("event-reports", "commodity", "Energy commodities"), ("disagreements", "commodity", "Crude oil"),
         ("offers", "commodity", "Wheat"), ("statements", "speaker", "Reuters")]


def replicate(base: Path, out: Path, target: int, fixed: int) -> int:
    """Write copies of the article quads in ``base`` to ``out`` until ``fixed`` + copies >= target."""
    lines = base.read_text(encoding="utf-8").splitlines()
    written, k = 0, 0
    with out.open("w", encoding="utf-8") as sink:
        while fixed + written < target:
            for line in lines:
                line = PER_ARTICLE.sub(lambda m: f"<{m.group(1)}-r{k}>", line)
                line = IDENTIFIER.sub(lambda m: f'{m.group(1)}"{m.group(2)}-r{k}"', line)
                line = ARTICLE_LIST.sub(
                    lambda m: m.group(1) + '"' + ", ".join(f"{a}-r{k}" for a in m.group(2).split(", ")) + '"', line)
                sink.write(line + "\n")
            written += len(lines)
            k += 1
    return written


SELECTED: set[str] = {"all"}  # --queries: query names, "bound" for the parameterised runs, or "all"


def runs() -> list[tuple[str, dict[str, str]]]:
    from geokg.queries import list_queries

    every = [(q.name, {}) for q in list_queries()] + [(name, {param: value}) for name, param, value in BOUND]
    return [(n, p) for n, p in every if "all" in SELECTED or (n in SELECTED and not p) or ("bound" in SELECTED and p)]


def label(name: str, params: dict[str, str]) -> str:
    return name + "".join(f" {k}={v}" for k, v in params.items())


def die_with_parent() -> None:
    """Have Linux kill this child when the benchmark dies: a child left behind by a stopped run
    kept a core busy for 45 minutes on a query whose plan went wrong, skewing later figures."""
    import ctypes
    import signal

    try:
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: the parent's timeout still stops it
        pass


def rdflib_child(path: str, todo: list[str], conn) -> None:  # noqa: ANN001
    """Load the N-Quads into an rdflib Dataset and time the queries in ``todo``, reporting over ``conn``."""
    import warnings

    die_with_parent()

    from rdflib import Dataset, Literal, Variable
    from rdflib.plugins.sparql import prepareQuery

    from geokg.queries import get_query

    warnings.simplefilter("ignore")
    t = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(path, format="nquads")
    conn.send((time.perf_counter() - t, len(dataset)))
    for name, params in runs():
        if label(name, params) not in todo:
            continue
        prepared = prepareQuery(get_query(name).text)
        bindings = {Variable("_" + k): Literal(v) for k, v in params.items()}  # the parameter variables
        t = time.perf_counter()
        try:
            rows: int | str = len(list(dataset.query(prepared, initBindings=bindings)))
        except Exception as error:  # rdflib's SPARQL engine fails on some queries Oxigraph runs
            rows = f"error: {type(error).__name__}"
        conn.send((label(name, params), time.perf_counter() - t, rows))


def time_rdflib(path: Path, timeout: float, todo: list[str]) -> tuple[dict[str, tuple], float]:
    """Seconds and rows per query on rdflib; None for a query stopped at ``timeout`` (the child
    process is killed and a new one, loading the data again, goes on with the next query)."""
    context = multiprocessing.get_context("spawn")
    results: dict[str, tuple] = {}
    load_s = 0.0
    while todo:
        parent, child_end = context.Pipe()
        process = context.Process(target=rdflib_child, args=(str(path), todo, child_end))
        process.start()
        child_end.close()  # so that a crashed child shows as EOF here
        load_s, quads = parent.recv()
        print(f"  rdflib: loaded {quads} quads in {load_s:.0f} s", file=sys.stderr)
        while todo:
            if not parent.poll(timeout):
                results[todo.pop(0)] = (None, None)
                print(f"  rdflib: stopped after {timeout:.0f} s", file=sys.stderr)
                break
            try:
                name, seconds, rows = parent.recv()
            except EOFError:  # the child died (out of memory?): report the query and go on
                results[todo.pop(0)] = (None, "crashed")
                break
            todo.remove(name)
            results[name] = (seconds, rows)
            print(f"  rdflib: {name} {seconds:.2f} s, {rows} rows", file=sys.stderr)
        process.kill()
        process.join()
    return results, load_s


def oxigraph_child(path: str, name: str, params: dict[str, str], repeat: int, conn,  # noqa: ANN001
                   in_memory: bool = False) -> None:
    """Run one stored query ``repeat`` times on the store at ``path`` (or on its in-memory replica,
    made before the clock starts: its seconds and memory are sent first); send (seconds per run, rows)."""
    import resource

    from geokg.queries import run_query
    from geokg.store import Store

    die_with_parent()
    if in_memory:
        t = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        opened = Store.replica(path)
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        conn.send(("replica", time.perf_counter() - t, grown))
    else:
        opened = Store.open(path, read_only=True)
    with opened as store:
        times, rows = [], 0
        for _ in range(repeat):
            t = time.perf_counter()
            rows = len(run_query(store, name, params).rows)
            times.append(time.perf_counter() - t)
            conn.send((times, rows))


def time_oxigraph(path: Path, name: str, params: dict[str, str], repeat: int,
                  timeout: float, in_memory: bool = False) -> tuple[float | None, int | None, int, float]:
    """Median seconds, rows, runs done and load average of a query on Oxigraph, in a child process
    stopped once ``timeout`` seconds pass (median None when not even one run finished)."""
    context = multiprocessing.get_context("spawn")
    parent, child_end = context.Pipe()
    process = context.Process(target=oxigraph_child, args=(str(path), name, params, repeat, child_end, in_memory))
    load = os.getloadavg()[0]
    process.start()
    child_end.close()
    times: list[float] = []
    rows: int | None = None
    # The in-memory copy is made before the first run: it does not count against the timeout.
    deadline = time.monotonic() + timeout + (120 if in_memory else 0)
    while len(times) < repeat and parent.poll(max(0.0, deadline - time.monotonic())):
        try:
            sent = parent.recv()
        except EOFError:  # the child died: report what it sent
            break
        if sent[0] == "replica":
            print(f"  replica for {label(name, params)}: copied in {sent[1]:.1f} s, "
                  f"{sent[2]:.0f} MiB more peak RSS", file=sys.stderr)
            continue
        times, rows = sent
    process.kill()
    process.join()
    median = statistics.median(times) if times else None
    shown = "stopped" if median is None else f"{median * 1000:.0f} ms"
    where = " in memory" if in_memory else ""
    print(f"  oxigraph{where}: {label(name, params)} {shown}, {rows} rows, {len(times)} runs, load {load:.1f}",
          file=sys.stderr)
    return median, rows, len(times), load


@contextlib.contextmanager
def serving(path: Path) -> Iterator[tuple[subprocess.Popen[bytes], str, float]]:
    """A ``geokg serve --in-memory`` on the store: the process, its query URL, its start-up seconds."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "geokg", "serve", "--store", str(path), "--bind",
                               f"127.0.0.1:{port}", "--in-memory"], stderr=subprocess.PIPE)
    try:
        assert server.stderr is not None
        line = b""
        while b"serving" not in line:  # said once the copy is in
            line = server.stderr.readline()
            if not line:
                sys.exit(f"geokg serve --in-memory stopped: {server.wait()}")
        yield server, f"http://127.0.0.1:{port}/query", time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=60)


def time_server(path: Path, repeat: int) -> dict[str, tuple[float, int]]:
    """Median seconds and rows of every query through ``geokg serve --in-memory`` on the store."""
    import geokg

    with serving(path) as (_, endpoint, start_s):
        print(f"  server: geokg serve --in-memory up with the copy in {start_s:.1f} s", file=sys.stderr)
        timed = {}
        for name, params in runs():
            times, rows = [], 0
            for _ in range(repeat):
                t = time.perf_counter()
                rows = len(geokg.query(name, params, endpoint=endpoint).rows)
                times.append(time.perf_counter() - t)
            timed[label(name, params)] = (statistics.median(times), rows)
            print(f"  server: {label(name, params)} {statistics.median(times) * 1000:.0f} ms, {rows} rows, "
                  f"load {os.getloadavg()[0]:.1f}", file=sys.stderr)
        return timed


def replicated_store(args: argparse.Namespace, tmp_path: Path, big: Path, data: Path) -> tuple[int, float]:
    """Build (or take --from-store) the base store, replicate its article graphs into ``data`` and
    bulk-load that into the store at ``big``; return the base's article count and the load seconds."""
    import pyoxigraph as ox

    import geokg
    from geokg.rdf.iris import CROSSDOC_ENTITIES_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from geokg.store import Store

    base_store = args.from_store or tmp_path / "base"
    if not args.from_store:
        source = tmp_path / "articles.jsonl"
        with TRAIN.open(encoding="utf-8") as train:
            source.write_text("".join(line for _, line in zip(range(args.limit), train)), encoding="utf-8")
        t = time.perf_counter()
        geokg.build([source], geokg.Settings(store=base_store))
        print(f"built in {time.perf_counter() - t:.0f} s", file=sys.stderr)
    with Store.open(base_store, read_only=True) as base:
        base_articles = len(base.article_graphs())
        base.ox.dump(tmp_path / "all.nq", ox.RdfFormat.N_QUADS)
    fixed = tmp_path / "fixed.nq"  # reference and ontology graphs: once
    articles = tmp_path / "articles.nq"  # article graphs: replicated
    # Once: reference, ontology, and the entity aliases and display labels (about shared entities).
    shared = (f"<{REFERENCE_GRAPH}> .", f"<{ONTOLOGY_GRAPH}> .", f"<{CROSSDOC_ENTITIES_GRAPH}> .")
    fixed_quads = 0
    with (tmp_path / "all.nq").open(encoding="utf-8") as dump, fixed.open("w", encoding="utf-8") as once, \
            articles.open("w", encoding="utf-8") as many:
        for line in dump:
            if line.rstrip().endswith(shared):
                once.write(line)
                fixed_quads += 1
            else:
                many.write(line)
    replicate(articles, data, args.triples, fixed_quads)
    with data.open("a", encoding="utf-8") as sink:
        sink.write(fixed.read_text(encoding="utf-8"))
    t = time.perf_counter()
    with Store.open(big) as store:
        store.bulk_load(data)
        store.optimize()
    return base_articles, time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000, help="Reuters train articles to build (default 2000)")
    parser.add_argument("--triples", type=int, default=1_000_000, help="quads to reach by replication")
    parser.add_argument("--repeat", type=int, default=5, help="Oxigraph runs per query (median)")
    parser.add_argument("--oxigraph-timeout", type=float, default=600,
                        help="seconds before the runs of one query on Oxigraph are stopped")
    parser.add_argument("--rdflib-timeout", type=float, default=300, help="seconds before an rdflib query is stopped")
    parser.add_argument("--no-rdflib", action="store_true", help="Oxigraph only")
    parser.add_argument("--queries", default="all",
                        help="comma-separated queries to time ('bound': the parameterised runs; 'all')")
    parser.add_argument("--rdflib-queries", default="offers,bound",
                        help="comma-separated queries to time on rdflib ('bound': the parameterised runs; "
                             "'all'); rdflib needs minutes per query at 1M triples")
    parser.add_argument("--from-store", type=Path, default=None,
                        help="replicate the article graphs of this built store instead of building --limit articles")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the replicated store here, and reuse it when it exists (no build, no replication)")
    parser.add_argument("--in-memory", action="store_true",
                        help="also time each query on an in-memory Oxigraph copy of the store (copied before timing)")
    parser.add_argument("--serve", action="store_true",
                        help="also time each query through geokg serve --in-memory over HTTP")
    args = parser.parse_args()
    SELECTED.clear()
    SELECTED.update(args.queries.split(","))
    if not (args.from_store or args.keep and args.keep.exists()) and not TRAIN.is_file():
        sys.exit(f"Reuters-21578 not found at {TRAIN}")
    import pyoxigraph as ox

    from geokg.namespaces import GK
    from geokg.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        big = args.keep or tmp_path / "big"
        data = tmp_path / "data.nq"  # what rdflib parses: the replicated quads
        if args.keep and args.keep.exists():
            print(f"reusing the replicated store {big}", file=sys.stderr)
            base_articles, load_s = None, 0.0
            if not args.no_rdflib:
                with Store.open(big, read_only=True) as store:
                    store.ox.dump(data, ox.RdfFormat.N_QUADS)
        else:
            base_articles, load_s = replicated_store(args, tmp_path, big, data)
        with Store.open(big, read_only=True) as store:
            quads, graphs = len(store), len(store.article_graphs())
            labels, labelled = store.query(f"SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?e) AS ?d) "
                                           f"WHERE {{ ?e <{GK.displayLabel}> ?l }}")[1][0]
        print(f"display labels: {labels.value} for {labelled.value} entities", file=sys.stderr)
        oxigraph = {label(n, p): time_oxigraph(big, n, p, args.repeat, args.oxigraph_timeout)
                    for n, p in runs()}
        memory = {label(n, p): time_oxigraph(big, n, p, args.repeat, args.oxigraph_timeout, in_memory=True)
                  for n, p in runs()} if args.in_memory else {}
        served = time_server(big, args.repeat) if args.serve else {}
        wanted = set(args.rdflib_queries.split(","))
        todo = [label(n, p) for n, p in runs() if "all" in wanted or n in wanted and not p or "bound" in wanted and p]
        rdflib, rdflib_load = ({}, 0.0) if args.no_rdflib else time_rdflib(data, args.rdflib_timeout, todo)

    origin = f"{base_articles} Reuters train articles replicated" if base_articles is not None else \
        f"the replicated store kept in {args.keep}"
    print(f"data: {quads} quads, {graphs} article graphs ({origin}); "
          f"Oxigraph bulk load {load_s:.0f} s, rdflib parse {rdflib_load:.0f} s")
    print(f"| query | rows | Oxigraph median ms (runs) | rdflib ms (1 run) | rdflib / Oxigraph "
          f"| Oxigraph rows/s | load average |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, (seconds, rows, done, load) in oxigraph.items():
        other, other_rows = rdflib.get(name, (None, None))
        slow = "not run" if name not in rdflib else f"> {args.rdflib_timeout * 1000:.0f}" if other is None else \
            f"{other * 1000:.0f}"
        if seconds is None:
            print(f"| {name} | - | > {args.oxigraph_timeout * 1000:.0f} (stopped) | {slow} | - | - | {load:.1f} |")
            continue
        ratio = "-" if isinstance(other_rows, str) or name not in rdflib else f"{other / seconds:.0f}×" if other \
            else f"> {args.rdflib_timeout / seconds:.0f}×"
        mismatch = "" if other_rows in (None, rows) else f" (rdflib: {other_rows})"
        print(f"| {name} | {rows}{mismatch} | {seconds * 1000:.1f} ({done}) | {slow} | {ratio} | "
              f"{rows / seconds if seconds else 0:,.0f} | {load:.1f} |")
    if memory:
        print("\nThe same queries on an in-memory Oxigraph copy of the store (--in-memory):")
        print("| query | rows | on disk median ms | in memory median ms (runs) | disk / memory "
              "| in memory rows/s | load average |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, (seconds, rows, done, load) in memory.items():
            disk = oxigraph[name][0]
            shown = "stopped" if seconds is None else f"{seconds * 1000:.1f} ({done})"
            ratio = f"{disk / seconds:.1f}×" if disk and seconds else "-"
            speed = f"{rows / seconds:,.0f}" if seconds and rows is not None else "-"
            print(f"| {name} | {rows} | {'-' if disk is None else f'{disk * 1000:.1f}'} | {shown} | {ratio} | "
                  f"{speed} | {load:.1f} |")

    if served:
        print("\nThe same queries through geokg serve --in-memory over HTTP (--serve; median of "
              f"{args.repeat}, JSON results parsed):")
        print("| query | rows | on disk median ms | served from memory ms | rows/s |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, (seconds, rows) in served.items():
            disk = oxigraph[name][0]
            print(f"| {name} | {rows} | {'-' if disk is None else f'{disk * 1000:.1f}'} | {seconds * 1000:.1f} | "
                  f"{rows / seconds if seconds else 0:,.0f} |")

if __name__ == "__main__":
    main()
