"""Plan stability: every stored query in many fresh processes, to catch a plan that goes wrong.

Usage: python bench/plans.py --store STORE [--runs N] [--timeout S] [--queries Q,...] [--param QUERY:NAME=VALUE ...]

Oxigraph 0.5.13 does not always plan the same query text the same way: the operands of
``||`` come out in another order in some processes, and a plan that put an EXISTS first
evaluated it for every row (``timeline`` on 1,000 articles took 0.09 s in most processes and
over 5 s in 3 of 25). Timing a query many times in one process cannot see this, so each run
here is a fresh ``python`` process that opens the store read-only and runs the query once
through ``run_query``. Prints, per query, the minimum, median and maximum seconds and how many
runs took more than five times the median or hit ``--timeout``. Figures, not asserts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from queries import die_with_parent  # bench/queries.py, beside this script

CHILD = """
import json, sys, time
from geokg.queries import run_query
from geokg.store import Store
with Store.open(sys.argv[1], read_only=True) as store:
    started = time.perf_counter()
    rows = len(run_query(store, sys.argv[2], json.loads(sys.argv[3])).rows)
    print(json.dumps([time.perf_counter() - started, rows]))
"""


def one_run(store: Path, name: str, params: dict[str, str], timeout: float) -> tuple[float | None, int | None]:
    """Seconds and rows of one run in a fresh process; (None, None) when it hit ``timeout``."""
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, str(store), name, json.dumps(params)],
                              capture_output=True, text=True, timeout=timeout + 30, check=True,
                              preexec_fn=die_with_parent)
    except subprocess.TimeoutExpired:
        return None, None
    seconds, rows = json.loads(done.stdout)
    return (None, rows) if seconds > timeout else (seconds, rows)


def main() -> None:
    from geokg.queries import list_queries

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="a built store (opened read-only)")
    parser.add_argument("--runs", type=int, default=20, help="fresh processes per query (default 20)")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds before a run counts as stopped")
    parser.add_argument("--queries", default="all", help="comma-separated stored queries (default: all)")
    parser.add_argument("--param", action="append", default=[], metavar="QUERY:NAME=VALUE",
                        help="also time QUERY with a parameter bound (repeatable)")
    args = parser.parse_args()
    names = [q.name for q in list_queries()] if args.queries == "all" else args.queries.split(",")
    cases: list[tuple[str, dict[str, str]]] = [(name, {}) for name in names]
    for spec in args.param:
        query, _, binding = spec.partition(":")
        key, _, value = binding.partition("=")
        cases.append((query, {key: value}))
    print(f"store {args.store}, {args.runs} fresh processes per query, timeout {args.timeout:g} s")
    print("| query | rows | min s | median s | max s | slow runs (> 5 × median or stopped) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    started = time.monotonic()
    for name, params in cases:
        results = [one_run(args.store, name, params, args.timeout) for _ in range(args.runs)]
        finished = [s for s, _ in results if s is not None]
        rows = next((r for _, r in results if r is not None), None)
        label = name + "".join(f" {k}={v}" for k, v in params.items())
        if not finished:
            print(f"| {label} | - | - | - | - | {args.runs} of {args.runs} stopped |", flush=True)
            continue
        median = statistics.median(finished)
        slow = sum(1 for s, _ in results if s is None or s > 5 * median)
        print(f"| {label} | {rows} | {min(finished):.3f} | {median:.3f} | {max(finished):.3f} | "
              f"{slow} of {args.runs} |", flush=True)
    print(f"({time.monotonic() - started:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
