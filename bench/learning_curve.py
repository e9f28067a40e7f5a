"""Learning curve of the event-trigger model: F1 against the size of its training data.

Usage: python bench/learning_curve.py [--fractions 1/8,1/4,1/2,1] [--seed 0] [--max-steps N]
                                      [--no-crudeoilnews]

For each fraction, trains the model (``geokg.training.train``, the shipped config) on that share
of the team-written training split, drawn with a fixed seed and nested (the 1/4 sample holds
the 1/8 one), and prints:

* the trigger F1 (type and token) on the team-written development split, the fifth of the
  texts that picks the model's best weights;
* the micro event F1 on CrudeOilNews dev (``geokg evaluate ... --split dev``; research-use
  data read at run time from ../shared/data/crudeoilnews, never trained on, the tuning split),
  which says how far the team's own data carries to news it was not written for. A first row,
  ``rules``, is the same build with no model (``GEOKG_EVENT_MODEL=none``).

The sample is drawn here, not with ``train(fraction=...)``: that keeps the first texts in file
order, so a small share would hold only the first files' event types. Each subset is written to
a temporary folder with the whole development split, and each model to another; nothing is kept.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

from geokg.settings import DEFAULT_MODEL
from geokg.training import DATA, Record, read_records, split, train

ROOT = Path(__file__).resolve().parents[1]
CRUDEOILNEWS = ROOT.parent / "shared" / "data" / "crudeoilnews"


def sample(records: list[Record], fraction: Fraction, seed: int) -> list[Record]:
    """The first ``fraction`` of ``records`` shuffled with ``seed``: nested across fractions."""
    shuffled = random.Random(seed).sample(records, len(records))
    return shuffled[:max(1, round(len(shuffled) * fraction))]


def write_data(folder: Path, records: list[Record]) -> None:
    """The records' lines as the team wrote them, in one ``.jsonl`` that ``train`` reads."""
    files: dict[str, list[str]] = {}
    lines = []
    for record in records:
        text = files.setdefault(record.path, Path(record.path).read_text(encoding="utf-8").splitlines())
        lines.append(text[record.line - 1])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def crudeoilnews_dev(event_model: str) -> tuple[float, float, float] | None:
    """Micro (P, R, F1) of ``geokg evaluate`` on CrudeOilNews dev with this trigger model, or
    None when the corpus is absent."""
    gold, articles = CRUDEOILNEWS / "gold-standard.events.jsonl", CRUDEOILNEWS / "gold-standard.jsonl"
    if not gold.exists() or not articles.exists():
        return None
    env = {**os.environ, "GEOKG_EVENT_MODEL": event_model}
    out = subprocess.run([sys.executable, "-m", "geokg", "evaluate", str(gold), str(articles), "--split", "dev",
                          "--format", "crudeoilnews"], env=env, capture_output=True, text=True, check=True).stdout
    micro = next(line.split() for line in out.splitlines() if line.startswith("ALL (micro)"))
    return float(micro[-3]), float(micro[-2]), float(micro[-1])


def _cells(scores: tuple[float, float, float] | None) -> str:
    return " ".join(f"{v:6.3f}" for v in scores) if scores else f"{'n/a':>6} {'':6} {'':6}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fractions", default="1/8,1/4,1/2,1", help="shares of the training split (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=0, help="sampling and training seed (default: %(default)s)")
    parser.add_argument("--max-steps", type=int, default=None, help="cap on updates (default: the config's)")
    parser.add_argument("--no-crudeoilnews", action="store_true", help="skip the CrudeOilNews dev scores")
    args = parser.parse_args(argv)
    try:
        fractions = [Fraction(f) for f in args.fractions.split(",")]
    except (ValueError, ZeroDivisionError):
        parser.error(f"--fractions {args.fractions!r}: give shares such as 1/8,1/4,1/2,1")
    if not all(0 < f <= 1 for f in fractions):
        parser.error(f"--fractions {args.fractions!r}: every share must be above 0 and at most 1")
    train_part, dev_part = split(read_records(DATA.glob("*.jsonl")))
    print(f"team-written data: {len(train_part)} training texts, {len(dev_part)} development texts; "
          f"seed {args.seed}, max steps {args.max_steps or 'from the config'}")
    print(f"{'fraction':>8} {'texts':>5} | {'trigger P':>9} {'R':>6} {'F1':>6} | {'CrudeOilNews dev P':>18} "
          f"{'R':>6} {'F1':>6} | {'seconds':>7}")
    if not args.no_crudeoilnews:
        print(f"{'rules':>8} {0:5} | {'':9} {'':6} {'':6} | {'':11}{_cells(crudeoilnews_dev('none'))} |", flush=True)
    for fraction in fractions:
        subset = sample(train_part, fraction, args.seed)
        with tempfile.TemporaryDirectory(prefix="geokg-curve-") as tmp:
            write_data(Path(tmp) / "data", subset + dev_part)
            started = time.perf_counter()
            with contextlib.redirect_stdout(sys.stderr):  # spaCy's training log; the table stays on stdout
                scores = train(Path(tmp) / "model", host=DEFAULT_MODEL, data=Path(tmp) / "data",
                               max_steps=args.max_steps, seed=args.seed)
            seconds = time.perf_counter() - started
            trigger = tuple(scores.get(f"spans_geokg_triggers_{k}", 0.0) for k in "prf")
            crude = None if args.no_crudeoilnews else crudeoilnews_dev(str(Path(tmp) / "model"))
        print(f"{str(fraction):>8} {len(subset):5} | {trigger[0]:9.3f} {trigger[1]:6.3f} {trigger[2]:6.3f} | "
              f"{'':11}{_cells(crude)} | {seconds:7.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
