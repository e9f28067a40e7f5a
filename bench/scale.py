"""A store of millions of quads: loading, size on disk, peak memory, stored-query latency, adding articles.

Usage: python bench/scale.py [--limit N] [--quads Q,Q] [--keep DIR] [--runs R] [--budget S] [--timeout S]
                             [--new K] [--no-serve | --no-disk] [--queries Q,Q] [--kinds bound,bound-page,page]
                             [--report-only]

Builds the first N (default 2,000) Reuters-21578 train articles with ``geokg build`` (or
reuses DIR/base with --keep), then for each size Q (default 1,000,000 and 10,000,000 quads):

1. copies the base's article graphs with fresh ids and dates moved two years back per copy
   (``bench/incremental.py``: other happenings, so canonical events do not merge across
   copies) until the store holds about Q quads; bulk-loads them (``Store.bulk_load``) and
   compacts the store, then computes the cross-document graphs with ``geokg build
   --recompute-crossdoc`` and compacts again: seconds and peak RSS of each, each a child
   process; the store's size on disk;
2. times every stored query, each in a fresh child process on the store on disk: its first
   parameter bound to three values (the three most frequent in the base store's unbound
   result, or common names), R runs each, all rows (``--kinds bound``) or the first page of
   each value (``bound-page``), and the first page of the unbound query
   (``geokg.query(name, limit=1000)``, as ``geokg query`` shows a table); the first run apart
   (cold: a fresh process, as ``geokg query``), p50 and p95 of the others, and the p50 of
   their CPU time. A query is given up after --timeout seconds on disk (60 s, the client's
   timeout, in memory), and repeated only while the runs of one query take under --budget
   seconds;
3. the same through a real ``geokg serve --in-memory`` over HTTP (``geokg.query(endpoint=...)``),
   with the server's start-up (the copy) and peak RSS (``--no-disk``: this alone, not 2);
4. adding K (default 10) new train articles to a copy of the store, and a build with nothing
   new, each a fresh ``python -m geokg build`` (start-up included): wall, CPU, peak RSS.

Figures go to DIR/figures-Q.json and are printed as Markdown tables, the sizes side by side,
after a list of the runs that measured them (date, command, commit, machine, load average).
With --keep the next run reuses the stores and keeps their figures, replacing only what it
measures again: ``--queries NAME --kinds bound --no-serve --new 0`` re-times one query;
``--report-only`` prints the saved figures. Figures, not asserts; the machine this runs on may
be shared, so wall-clock times are noisy and CPU times are printed beside them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the other benchmarks, reused
from incremental import TRAIN, run_timed, write_copies, write_lines

from queries import die_with_parent, serving

PAGE = 1000  # rows of a first page
# When the base store's result has no column named like the parameter: common names by kind.
COMMON = {"Country": ["Japan", "Canada", "Brazil"], "Commodity": ["Wheat", "Crude oil", "Gold"],
          "Entity": ["Japan", "United States", "Canada"]}


def pick_values(base: Path) -> dict[str, tuple[str, list[str]]]:
    """Query name -> (its first parameter, three values): the most frequent values of the column
    named like the parameter in the unbound result on the base store, else common names."""
    from geokg.queries import list_queries, run_query
    from geokg.store import Store

    picked = {}
    with Store.open(base, read_only=True) as store:
        for stored in list_queries():
            if not stored.params:
                continue
            param = stored.params[0]
            result = run_query(store, stored)
            values: list[str] = []
            if param.name in result.columns:
                column = result.columns.index(param.name)
                counts = Counter(str(row[column]) for row in result.rows if row[column] not in (None, ""))
                values = [value for value, _ in counts.most_common(3)]
            picked[stored.name] = (param.name, values if len(values) == 3 else COMMON.get(param.kind, values))
    return picked


#: What a run times: a value's rows, a value's first page, the whole-graph listing's first page.
KINDS = ("bound", "bound-page", "page")


def jobs(values: dict[str, tuple[str, list[str]]], selected: set[str], kinds: set[str]) -> list[tuple[str, str]]:
    """(query, kind) for every stored query: "bound" (all rows of a value) and "bound-page" (its first page,
    as ``geokg query NAME --param ...`` shows a table) where it has a parameter, "page" always."""
    from geokg.queries import list_queries

    names = [q.name for q in list_queries() if "all" in selected or q.name in selected]
    return [(name, kind) for name in names for kind in KINDS
            if kind in kinds and (kind == "page" or name in values)]


def run_job(run, cpu, name: str, kind: str, values: dict[str, tuple[str, list[str]]], runs: int,
            budget: float, send) -> None:
    """Run one job: ``run(name, params, limit)`` returns rows, ``cpu()`` CPU seconds so far;
    ``send`` gets ("run", value, wall seconds, CPU seconds, rows) for each run."""
    started = time.perf_counter()
    param, chosen = values[name] if kind != "page" else ("", [""])
    for n in range(runs):  # the values in turn, so that each gets its cold run first
        for value in chosen:
            t, c = time.perf_counter(), cpu()
            rows = run(name, {param: value} if param else {}, None if kind == "bound" else PAGE)
            send(("run", value, time.perf_counter() - t, cpu() - c, rows))
        if n and time.perf_counter() - started > budget:
            break


def disk_child(path: str, name: str, kind: str, values: dict, runs: int, budget: float, conn) -> None:
    """One job on the store on disk, in a fresh process; sends each run, then the peak RSS."""
    import resource

    import geokg
    from geokg.store import Store

    die_with_parent()
    with Store.open(path, read_only=True) as store:
        def run(name, params, limit):
            return len(geokg.query(name, params, store=store, limit=limit))

        run_job(run, time.process_time, name, kind, values, runs, budget, conn.send)
    conn.send(("rss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def summarise(sent: list[tuple]) -> dict:
    """Cold run (the first of each value), p50 and p95 of the warm ones, rows per value."""
    cold: dict[str, float] = {}
    warm: list[tuple[float, float]] = []
    rows: dict[str, int] = {}
    for _, value, seconds, cpu, count in sent:
        if value in cold:
            warm.append((seconds, cpu))
        else:
            cold[value] = seconds
        rows[value] = count
    if not warm:
        warm = [(seconds, cpu) for _, _, seconds, cpu, _ in sent]
    ordered = sorted(seconds for seconds, _ in warm)
    return {"cold_ms": max(cold.values()) * 1000, "p50_ms": statistics.median(ordered) * 1000,
            "p95_ms": ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)] * 1000,
            "cpu_p50_ms": statistics.median(cpu for _, cpu in warm) * 1000, "runs": len(sent), "rows": rows}


def time_on_disk(path: Path, todo: list[tuple[str, str]], values: dict, runs: int, budget: float,
                 timeout: float) -> dict[str, dict]:
    context = multiprocessing.get_context("spawn")
    results = {}
    for name, kind in todo:
        parent, child_end = context.Pipe()
        process = context.Process(target=disk_child,
                                  args=(str(path), name, kind, values, runs, budget, child_end))
        process.start()
        child_end.close()
        sent, rss = [], None
        deadline = time.monotonic() + timeout
        while parent.poll(max(0.0, deadline - time.monotonic())):
            try:
                message = parent.recv()
            except EOFError:
                break
            if message[0] == "rss":
                rss = message[1]
                break
            sent.append(message)
        process.kill()
        process.join()
        result = summarise(sent) if sent else {"stopped_after_s": timeout}
        result["peak_rss_mib"] = rss
        results[f"{name} {kind}"] = result
        print(f"  disk {name} {kind}: {shown(result)}", file=sys.stderr)
    return results


def shown(result: dict) -> str:
    if "p50_ms" not in result:
        return f"stopped after {result['stopped_after_s']:.0f} s"
    return (f"cold {result['cold_ms']:.0f} ms, p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms, "
            f"CPU p50 {result['cpu_p50_ms']:.0f} ms, {result['runs']} runs, rows {result['rows']}")


def tree(pid: int) -> list[int]:
    """A process and its children (``geokg serve`` runs ``oxigraph``)."""
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            pids += [int(p) for p in (task / "children").read_text().split()]
    except OSError:
        pass
    return pids


def peak_rss_of_tree(pid: int) -> float:
    """Peak RSS (VmHWM, MiB) of a process plus its children's."""
    total = 0.0
    for each in tree(pid):
        try:
            status = Path(f"/proc/{each}/status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:")), 0) / 1024
    return total


def cpu_of_tree(pids: list[int]) -> float:
    """CPU seconds of processes so far (user + system, from /proc/PID/stat)."""
    ticks = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat
    return ticks / os.sysconf("SC_CLK_TCK")


def time_served(path: Path, todo: list[tuple[str, str]], values: dict, runs: int,
                budget: float) -> tuple[dict[str, dict], dict]:
    """Every job through ``geokg serve --in-memory`` over HTTP; returns results and the server's figures.
    A query the client gives up on (60 s) goes on running in the server, so the server is
    restarted before the next job."""
    import geokg
    from geokg.errors import GeokgError

    results: dict[str, dict] = {}
    up: dict[str, float] = {}
    pending = list(todo)
    while pending:
        with serving(path) as (server, endpoint, start_s):
            if not up:
                up = {"start_s": start_s, "rss_after_copy_mib": peak_rss_of_tree(server.pid), "peak_rss_mib": 0.0}
                print(f"  served: up in {start_s:.0f} s, {up['rss_after_copy_mib']:.0f} MiB", file=sys.stderr)
            pids = tree(server.pid)

            def cpu() -> float:  # the client (resolving names, reading JSON) and the server
                return time.process_time() + cpu_of_tree(pids)  # noqa: B023

            def run(name, params, limit):
                return len(geokg.query(name, params, endpoint=endpoint, limit=limit))

            while pending:
                name, kind = pending.pop(0)
                sent: list[tuple] = []
                try:
                    run_job(run, cpu, name, kind, values, runs, budget, sent.append)
                    result = summarise(sent)
                except GeokgError as error:  # the client's timeout
                    print(f"  served {name} {kind}: {error}", file=sys.stderr)
                    result = {"stopped_after_s": 60}
                results[f"{name} {kind}"] = result
                print(f"  served {name} {kind}: {shown(result)}", file=sys.stderr)
                up["peak_rss_mib"] = max(up["peak_rss_mib"], peak_rss_of_tree(server.pid))
                if "stopped_after_s" in result:
                    break
    return results, up


def du_mib(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2 ** 20


def phase_load(store: Path, data: Path) -> None:
    """Child: bulk-load ``data`` into ``store`` and compact it; prints the seconds of each as JSON."""
    from geokg.store import Store

    t = time.perf_counter()
    with Store.open(store) as opened:
        opened.bulk_load(data)
        loaded = time.perf_counter() - t
        opened.optimize()
    print(json.dumps({"bulk_load_s": loaded, "optimize_s": time.perf_counter() - t - loaded}))


def phase_optimize(store: Path) -> None:
    from geokg.store import Store

    with Store.open(store) as opened:
        opened.optimize()


def make_store(base: Path, store: Path, quads: int, tmp: Path) -> dict:
    """Copy the base's articles into ``store`` until it holds about ``quads`` quads; return the figures."""
    from geokg.rdf.iris import CROSSDOC_ENTITIES_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from geokg.store import Store

    with Store.open(base, read_only=True) as opened:
        articles, total = len(opened.article_graphs()), len(opened)
        # What copies do not grow: the reference data, the ontology, the entities (shared by the copies).
        fixed = sum(opened.triple_count(g) for g in (REFERENCE_GRAPH, ONTOLOGY_GRAPH, CROSSDOC_ENTITIES_GRAPH))
    wanted = math.ceil(articles * (quads - fixed) / (total - fixed))
    data = write_copies(base, wanted, tmp)
    python = [sys.executable, __file__]
    load = run_timed([*python, "--phase", "load", "--store", str(store), "--input", str(data)])
    data.unlink()
    crossdoc = run_timed([sys.executable, "-m", "geokg", "build", "--recompute-crossdoc", "--store", str(store), "-q"])
    compact = run_timed([*python, "--phase", "optimize", "--store", str(store)])
    loaded = json.loads(load.output.strip().splitlines()[-1])
    return {"bulk_load_s": loaded["bulk_load_s"], "optimize_s": loaded["optimize_s"],
            "load_peak_rss_mib": load.peak_rss_mib,
            "crossdoc_s": crossdoc.wall, "crossdoc_cpu_s": crossdoc.cpu, "crossdoc_peak_rss_mib": crossdoc.peak_rss_mib,
            "optimize_after_crossdoc_s": compact.wall}


def time_adding(store: Path, new_input: Path, work: Path) -> dict:
    """A build with nothing new and one adding the new articles, on a copy of ``store``."""
    scratch = work / "scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(store, scratch)
    try:
        build = [sys.executable, "-m", "geokg", "build"]
        figures = {}
        for label, command in (("nothing new", [*build, "--store", str(scratch), "-q"]),
                               ("add", [*build, str(new_input), "--store", str(scratch), "-q"])):
            done = run_timed(command)
            figures[label] = {"wall_s": done.wall, "cpu_s": done.cpu, "peak_rss_mib": done.peak_rss_mib,
                              "output": done.output.strip().splitlines()}
            print(f"  {label}: {done.wall:.1f} s, CPU {done.cpu:.1f} s, {done.peak_rss_mib:.0f} MiB", file=sys.stderr)
        return figures
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def this_run(argv: list[str], base_articles: int) -> dict:
    """What the report says of a run: when, the command, the code (git commit), the machine."""
    try:
        commit = subprocess.run(["git", "-C", str(Path(__file__).resolve().parent), "describe", "--always", "--dirty"],
                                capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    model = ""
    with contextlib.suppress(OSError):
        model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return {"date": time.strftime("%Y-%m-%d %H:%M"), "command": shlex.join(["python", "bench/scale.py", *argv]),
            "commit": commit, "nice": os.nice(0), "base_articles": base_articles,
            "machine": f"{os.cpu_count()} CPUs{f' ({model})' if model else ''}, {memory:.0f} GiB RAM",
            "load_average": [round(os.getloadavg()[0], 1)]}


def measure(args: argparse.Namespace, base: Path, quads: int, work: Path, new_input: Path,
            values: dict, run: dict) -> dict:
    from geokg.store import Store

    store = work / f"store-{quads}"
    saved = work / f"figures-{quads}.json"
    run = {**run, "measured": {}}
    if store.is_dir() and saved.is_file():
        figures = json.loads(saved.read_text())  # a reused store keeps its figures until measured again
    else:  # made under another name, so that an interrupted run leaves no store to reuse
        partial = work / f"store-{quads}.partial"
        for stale in (store, partial):
            shutil.rmtree(stale, ignore_errors=True)
        with tempfile.TemporaryDirectory(dir=work) as tmp:
            figures = {"store": make_store(base, partial, quads, Path(tmp))}
        partial.rename(store)
        run["measured"]["store"] = True
    figures.setdefault("runs", []).append(run)
    with Store.open(store, read_only=True) as opened:
        figures["quads"], figures["articles"] = len(opened), len(opened.article_graphs())
    figures["size_mib"] = du_mib(store)
    print(f"store of {figures['quads']:,} quads, {figures['articles']:,} articles: {figures['store']}",
          file=sys.stderr)
    saved.write_text(json.dumps(figures, indent=1))
    todo = jobs(values, set(args.queries.split(",")), set(args.kinds.split(",")))
    if not args.no_disk:
        figures.setdefault("disk", {}).update(time_on_disk(store, todo, values, args.runs, args.budget, args.timeout))
        run["measured"]["disk"] = [f"{name} {kind}" for name, kind in todo]
        saved.write_text(json.dumps(figures, indent=1))
    if not args.no_serve:
        served, server = time_served(store, todo, values, args.runs, args.budget)
        figures.setdefault("served", {}).update(served)
        # The start-up of this run; the peak RSS over every run whose figures are kept.
        server["peak_rss_mib"] = max(server["peak_rss_mib"], figures.get("server", {}).get("peak_rss_mib", 0))
        figures["server"] = server
        run["measured"]["served"] = [f"{name} {kind}" for name, kind in todo]
        saved.write_text(json.dumps(figures, indent=1))
    if args.new:
        figures["adding"] = time_adding(store, new_input, work)
        run["measured"]["adding"] = True
    run["load_average"].append(round(os.getloadavg()[0], 1))
    saved.write_text(json.dumps(figures, indent=1))
    return figures


def cell(result: dict | None) -> str:
    if result is None:
        return "-"
    if "p50_ms" not in result:
        return f"> {result['stopped_after_s']:.0f} s"
    return f"{result['p50_ms']:,.0f} / {result['p95_ms']:,.0f} ({result['cpu_p50_ms']:,.0f})"


def size_label(quads: int) -> str:
    return f"{quads / 1e6:.1f}M" if quads >= 1e6 else f"{quads / 1e3:.0f}k"


def runs_lines(sizes: dict[int, dict]) -> list[str]:
    """One line per run that measured any of the figures, oldest first, with what it measured."""
    runs: dict[tuple[str, str], list[tuple[dict, str]]] = {}
    for figures in sizes.values():
        for run in figures.get("runs", []):
            runs.setdefault((run["date"], run["command"]), []).append((run, size_label(figures["quads"])))
    lines = []
    for (date, command), measured in sorted(runs.items()):
        run = measured[0][0]
        what = "; ".join(f"{size}: {what_run_measured(run['measured'])}" for run, size in measured)
        load = " to ".join(str(a) for a in run["load_average"])
        lines.append(f"- {date}, `{command}` (commit {run['commit']}, nice {run['nice']}; {run['machine']}; "
                     f"load average {load}): {what}")
    return lines


def what_run_measured(measured: dict) -> str:
    parts = ["the store"] if measured.get("store") else []
    places = [(place, label) for place, label in (("disk", "on disk"), ("served", "in memory")) if measured.get(place)]
    if len(places) == 2 and measured["disk"] == measured["served"]:
        places = [("disk", "on disk and in memory")]
    for place, label in places:
        jobs_run = measured[place]
        if len(jobs_run) > 4:
            parts.append(f"{len(jobs_run)} query runs {label}")
        else:
            parts.append(f"{', '.join(job.replace(' page', ' first page') for job in jobs_run)} {label}")
    if measured.get("adding"):
        parts.append("builds adding articles")
    return ", ".join(parts) or "nothing"


def largest_query(figures: dict) -> str:
    rss, job = max((r.get("peak_rss_mib") or 0, job) for job, r in figures.get("disk", {}).items())
    return f"{rss:,.0f} MiB ({job.replace(' page', ', first page')})"


def wall_cpu(figures: dict, label: str) -> str:
    if "adding" not in figures:
        return "-"
    build = figures["adding"][label]
    return f"{build['wall_s']:.1f} s ({build['cpu_s']:.1f} s)"


def served_start(figures: dict) -> str:
    if "server" not in figures:
        return "-"
    server = figures["server"]
    return f"{server['start_s']:.0f} s, {server['rss_after_copy_mib']:,.0f} MiB, {server['peak_rss_mib']:,.0f} MiB"


def p95_range(figures: dict, kind: str, limit_ms: float) -> str:
    """The lowest and highest p95 on disk of one kind of run, and how many are under the target."""
    timed = [(r.get("p95_ms", r.get("stopped_after_s", 0) * 1000), job.rsplit(" ", 1)[0])
             for job, r in figures.get("disk", {}).items() if job.endswith(f" {kind}")]
    if not timed:
        return "-"
    (low, fastest), (high, slowest) = min(timed), max(timed)
    stopped = [r["stopped_after_s"] for job, r in figures["disk"].items()
               if job.endswith(f" {kind}") and "p95_ms" not in r]
    highest = f"> {max(stopped):.0f} s" if stopped else f"{high:,.0f} ms"
    under = sum(ms < limit_ms for ms, _ in timed)
    return f"{low:,.0f} ms (`{fastest}`) to {highest} (`{slowest}`); {under} of {len(timed)} met"


def report(sizes: dict[int, dict], base_articles: int) -> None:
    from geokg.queries import get_query

    figures = list(sizes.values())
    heads = [size_label(f["quads"]) for f in figures]
    print(f"Base: the first {base_articles:,} Reuters-21578 train articles. Measured by:")
    print("\n".join(runs_lines(sizes)))

    def table(head: list[str], rows: list[list[str]], text_columns: int = 1) -> None:
        print("\n| " + " | ".join(head) + " |\n|" + " --- |" * text_columns + " ---: |" * (len(head) - text_columns))
        for row in rows:
            print("| " + " | ".join(row) + " |")

    store_rows = [
        ("articles", lambda f: f"{f['articles']:,}"),
        ("bulk load + compaction", lambda f: f"{f['store']['bulk_load_s']:.0f} s + {f['store']['optimize_s']:.0f} s"),
        ("its peak RSS", lambda f: f"{f['store']['load_peak_rss_mib']:,.0f} MiB"),
        ("`geokg build --recompute-crossdoc`: wall (CPU)",
         lambda f: f"{f['store']['crossdoc_s']:.0f} s ({f['store']['crossdoc_cpu_s']:.0f} s)"),
        ("its peak RSS", lambda f: f"{f['store']['crossdoc_peak_rss_mib']:,.0f} MiB"),
        ("size on disk", lambda f: f"{f['size_mib']:,.0f} MiB"),
        ("largest peak RSS of a stored query on disk", largest_query),
        ("`geokg serve --in-memory`: start-up (the copy), RSS after it, peak RSS", served_start),
        ("`geokg build`, nothing new: wall (CPU)", lambda f: wall_cpu(f, "nothing new")),
        ("`geokg build` adding the new articles: wall (CPU)", lambda f: wall_cpu(f, "add")),
        ("its peak RSS", lambda f: f"{f['adding']['add']['peak_rss_mib']:,.0f} MiB" if "adding" in f else "-")]
    table(["quads", *(f"{f['quads']:,}" for f in figures)], [[label, *map(fmt, figures)] for label, fmt in store_rows])

    print("\nTargets, on disk:")
    table(["target", *heads], [
        ["a parameterised stored query: p95 under 50 ms", *(p95_range(f, "bound", 50) for f in figures)],
        ["the first page of a whole-graph listing: p95 under 300 ms", *(p95_range(f, "page", 300) for f in figures)],
        ["the first page of a bound value: p95 under 300 ms", *(p95_range(f, "bound-page", 300) for f in figures)],
        ["adding the new articles, start-up included: under 10 s", *(wall_cpu(f, "add") for f in figures)]])

    print("\nms: p50 / p95 of the warm runs (p50 of their CPU time; in memory: the client's and the server's); "
          "cold: the first run in a fresh process, the slowest of the values; > N s: given up")
    keys = sorted({key for f in figures for place in ("disk", "served") for key in f.get(place, {})})
    for kind in KINDS:
        rows = []
        for key in (k for k in keys if k.endswith(f" {kind}")):
            name = key.rsplit(" ", 1)[0]
            # The values from any run (the same at every size), the rows from the largest store.
            values = next((f[p][key]["rows"] for f in reversed(figures) for p in ("disk", "served")
                           if "rows" in f.get(p, {}).get(key, {})), {})
            counted = next((figures[-1][p][key]["rows"] for p in ("disk", "served")
                            if "rows" in figures[-1].get(p, {}).get(key, {})), {})
            row = [name]
            if kind != "page":
                row.append(f"{get_query(name).params[0].name}: " + ", ".join(values))
            row.append(", ".join(f"{n:,}" for n in counted.values()) if counted else "-")
            row += [cell(f.get(place, {}).get(key)) for place in ("disk", "served") for f in figures]
            row += [f"{f['disk'][key]['cold_ms']:,.0f}" if "cold_ms" in f.get("disk", {}).get(key, {}) else "-"
                    for f in figures]
            rows.append(row)
        head = ["query", *(["bound to"] if kind != "page" else []), f"rows at {heads[-1]}",
                *(f"{where} {h}" for where in ("on disk", "in memory") for h in heads), *(f"cold, on disk {h}" for h in heads)]
        print("\n" + {"bound": "Bound to three values of the first parameter:",
                      "bound-page": f"First page ({PAGE:,} rows) of each of those values:",
                      "page": f"First page ({PAGE:,} rows) of the whole-graph listing:"}[kind])
        table(head, rows, text_columns=1 if kind == "page" else 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=2000, help="Reuters train articles in the base (default 2000)")
    parser.add_argument("--quads", default="1000000,10000000", help="store sizes to measure, comma-separated")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the stores and figures in this folder, and reuse what is there")
    parser.add_argument("--runs", type=int, default=10, help="runs per parameter value (default 10)")
    parser.add_argument("--budget", type=float, default=20.0,
                        help="seconds after which a query is not repeated further (default 20)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a query is given up (default 300)")
    parser.add_argument("--new", type=int, default=10, help="new articles to add (default 10; 0: skip)")
    places = parser.add_mutually_exclusive_group()
    places.add_argument("--no-serve", action="store_true", help="skip geokg serve --in-memory")
    places.add_argument("--no-disk", action="store_true", help="time the queries through geokg serve --in-memory only")
    parser.add_argument("--queries", default="all", help="comma-separated stored queries to time (default all)")
    parser.add_argument("--kinds", default="bound,page",
                        help="which runs, comma-separated: 'bound' (a parameter bound, all rows), 'bound-page' "
                             "(its first page), 'page' (the whole-graph listing's first page); default bound,page")
    parser.add_argument("--report-only", action="store_true",
                        help="print the tables from the figures saved in --keep DIR, measuring nothing")
    parser.add_argument("--phase", choices=["load", "optimize"], help=argparse.SUPPRESS)
    parser.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--input", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "load":
        return phase_load(args.store, args.input)
    if args.phase == "optimize":
        return phase_optimize(args.store)
    if args.report_only:
        if args.keep is None:
            parser.error("--report-only prints the figures saved in --keep DIR: give --keep")
        found = {int(q): args.keep / f"figures-{q}.json" for q in args.quads.split(",")}
        missing = [str(path) for path in found.values() if not path.is_file()]
        if missing:
            parser.error(f"no saved figures: {', '.join(missing)} (run without --report-only first)")
        sizes = {q: json.loads(path.read_text()) for q, path in found.items()}
        base = next((r["base_articles"] for f in sizes.values() for r in f.get("runs", []) if "base_articles" in r),
                    args.limit)
        return report(sizes, base)
    if not TRAIN.is_file():
        print(f"Reuters-21578 not found at {TRAIN}; nothing to measure")
        return
    run = this_run(sys.argv[1:], args.limit)
    with tempfile.TemporaryDirectory(prefix="geokg-scale-") as tmp_name:
        work = args.keep or Path(tmp_name)
        work.mkdir(parents=True, exist_ok=True)
        base_input, new_input = work / "base.jsonl", work / "new.jsonl"
        write_lines(TRAIN, base_input, 0, args.limit)
        write_lines(TRAIN, new_input, args.limit, args.new)
        base = work / "base"
        if not base.exists():
            built = run_timed([sys.executable, "-m", "geokg", "build", str(base_input), "--store", str(base), "-q"])
            print(f"base store: {args.limit} articles built in {built.wall:.0f} s", file=sys.stderr)
        values = pick_values(base)
        sizes = {int(q): measure(args, base, int(q), work, new_input, values, run) for q in args.quads.split(",")}
        report(sizes, args.limit)


if __name__ == "__main__":
    main()
