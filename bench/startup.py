"""Start-up time of the CLI and the package, each command a fresh process, next to the targets.

Usage: python bench/startup.py [--runs N] [--store STORE]

Builds the seed articles (``seeds/``) into a demo store in a temporary folder (or takes
``--store``), then runs each command N times as a subprocess of this interpreter and
prints the median wall time (and the fastest run) against its target:

- ``geokg --help``                  (``python -m geokg --help``)
- ``python -c "import geokg"``
- ``geokg query offers --store demo.db``, end to end
- the CLI's start-up before the query runs: the end-to-end median less the median time
  ``geokg.query("offers")`` takes inside a process that has already imported geokg
  (opening the store, parsing and running the query)

The machine may be shared, so the load average is printed with the figures. Figures,
not asserts.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"

# Seconds, from the targets for an analyst's first hour.
HELP_TARGET = 0.3
STARTUP_TARGET = 0.5
QUERY_TARGET = 0.6

# Run in a fresh process: time geokg.query alone, after the imports it needs.
IN_PROCESS_QUERY = """
import sys, time
from pathlib import Path
import geokg
from geokg.api import query
from geokg.settings import Settings
settings = Settings(store=Path(sys.argv[1]))
start = time.perf_counter()
query("offers", settings=settings)
print(time.perf_counter() - start)
"""


def wall(command: list[str], runs: int) -> list[float]:
    """Wall seconds of ``runs`` runs of ``command``; a run that fails stops the bench."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if done.returncode != 0:
            sys.exit(f"{' '.join(command)} exited {done.returncode}:\n{done.stderr}")
    return times


def in_process(store: Path, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", IN_PROCESS_QUERY, str(store)], capture_output=True, text=True)
        if done.returncode != 0:
            sys.exit(f"geokg.query in a process failed:\n{done.stderr}")
        times.append(float(done.stdout))
    return times


def build_demo(folder: Path) -> Path:
    store = folder / "demo.db"
    print(f"building {SEEDS} into {store} ...", file=sys.stderr)
    done = subprocess.run([sys.executable, "-m", "geokg", "build", str(SEEDS), "--store", str(store), "-q"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"geokg build failed:\n{done.stdout}{done.stderr}")
    return store


def row(label: str, times: list[float] | float, target: float | None) -> None:
    median = times if isinstance(times, float) else statistics.median(times)
    fastest = "" if isinstance(times, float) else f"{min(times):6.3f}"
    verdict = "" if target is None else ("ok" if median < target else "over")
    goal = "" if target is None else f"< {target:.1f}"
    print(f"{label:<44} {median:7.3f} {fastest:>7} {goal:>7}  {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="runs of each command (default 10)")
    parser.add_argument("--store", type=Path, default=None, help="a built store to query instead of the seeds")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    geokg = [sys.executable, "-m", "geokg"]
    with tempfile.TemporaryDirectory(prefix="geokg-startup-") as tmp:
        store = args.store or build_demo(Path(tmp))
        if not store.is_dir():
            sys.exit(f"--store {store}: no such store folder (build one with geokg build)")
        bare = wall([sys.executable, "-c", "pass"], args.runs)
        help_ = wall([*geokg, "--help"], args.runs)
        package = wall([sys.executable, "-c", "import geokg"], args.runs)
        end_to_end = wall([*geokg, "query", "offers", "--store", str(store)], args.runs)
        inside = in_process(store, args.runs)
    print(f"{sys.executable}, {args.runs} runs each, load average {os.getloadavg()[0]:.2f} "
          f"(1 min) on {os.cpu_count()} CPUs")
    print(f"{'seconds':<44} {'median':>7} {'fastest':>7} {'target':>7}")
    row("python -c pass (the interpreter alone)", bare, None)
    row("geokg --help", help_, HELP_TARGET)
    row('python -c "import geokg"', package, None)
    row("geokg query offers, end to end", end_to_end, QUERY_TARGET)
    row("  of which geokg.query in Python", inside, None)
    row("  of which start-up (end to end - query)", statistics.median(end_to_end) - statistics.median(inside),
        STARTUP_TARGET)


if __name__ == "__main__":
    main()
