"""Learning curve of the event-trigger model: F1 against the size of its training data.

Usage: python bench/learning_curve.py [--fractions 0.25,0.5,0.75,1] [--max-steps N]
                                      [--crudeoilnews]

Trains the model (``geokg.training.train``, seed 0) on growing shares of the team-written
training split and prints, for each, the trigger F1 on the team-written development split
(the data the model's weights are picked on). With ``--crudeoilnews`` each model also builds
the CrudeOilNews dev split (``bench/crudeoilnews.py``; research-use data, read at run time,
never trained on) and prints its micro event F1 there, which says how far the team's own data
carries to news it was not written for. Figures only; nothing is kept.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from geokg.settings import DEFAULT_MODEL
from geokg.training import DATA, read_records, split, train

ROOT = Path(__file__).resolve().parents[1]


def crudeoilnews_f1(model_dir: Path) -> str:
    env = {**os.environ, "GEOKG_EVENT_MODEL": str(model_dir)}
    out = subprocess.run([sys.executable, str(ROOT / "bench" / "crudeoilnews.py"), "--split", "dev"],
                         env=env, capture_output=True, text=True, check=True).stdout
    total = [line for line in out.splitlines() if line.startswith("ALL (micro)")]
    return total[0].split()[-1] if total else "n/a"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fractions", default="0.25,0.5,0.75,1")
    parser.add_argument("--max-steps", type=int, default=None)
    parser.add_argument("--crudeoilnews", action="store_true", help="also score each model on CrudeOilNews dev")
    args = parser.parse_args(argv)
    train_part, dev_part = split(read_records(DATA.glob("*.jsonl")))
    print(f"team-written data: {len(train_part)} training texts, {len(dev_part)} development texts")
    print(f"{'fraction':>8} {'texts':>6} {'trigger P':>9} {'R':>6} {'F1':>6} {'seconds':>8}"
          + (" crudeoilnews-dev F1" if args.crudeoilnews else ""))
    for fraction in (float(f) for f in args.fractions.split(",")):
        with tempfile.TemporaryDirectory(prefix="geokg-curve-") as tmp:
            started = time.perf_counter()
            scores = train(Path(tmp) / "model", host=DEFAULT_MODEL, max_steps=args.max_steps, fraction=fraction)
            seconds = time.perf_counter() - started
            extra = f" {crudeoilnews_f1(Path(tmp) / 'model'):>19}" if args.crudeoilnews else ""
            print(f"{fraction:8.2f} {round(len(train_part) * fraction):6d} "
                  f"{scores.get('spans_geokg_triggers_p', 0):9.3f} {scores.get('spans_geokg_triggers_r', 0):6.3f} "
                  f"{scores.get('spans_geokg_triggers_f', 0):6.3f} {seconds:8.0f}{extra}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
