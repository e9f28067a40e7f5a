"""Sentence-level event scores of geokg on CrudeOilNews (a peer-annotated crude-oil news corpus).

Usage: python bench/crudeoilnews.py [--split dev|test|all] [--set gold-standard|active-learning]
                                    [--events CSV] [--model NAME] [--workers N] [--store DIR]
                                    [--mapping] [--errors]

Reads ../shared/data/crudeoilnews/{set}.jsonl (articles) and {set}.events.jsonl (gold events)
at run time; the corpus is research-use only and never copied into the repository. Exits 0
with a message when the folder is absent.

Runs ``geokg.evaluate`` (what ``geokg evaluate GOLD ARTICLES --split SPLIT`` runs): builds the
split's articles into a temporary store (or ``--store``) and scores the ``events`` stored query
with :mod:`geokg.crudeoilnews`: schema coverage, the type mapping (``--mapping``), per-type and
micro P/R/F1, role accuracy on found events, the confusion of corpus type x geokg type.
``--events CSV`` scores an existing CSV of the ``events`` query (``geokg query events --format
csv``) without building.

The split is fixed in ``geokg.crudeoilnews.split_docs``: the 150 gold-standard articles sorted
by id, the last third (50) is ``crudeoilnews-test``, held out: only ever scored, never
error-analysed (``--errors`` is refused on it), never used for training or tuning. The first
two thirds are ``crudeoilnews-dev``. The active-learning set has no split (``--split all``).
Every figure is printed with the split's name.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import geokg
from geokg.api import evaluate
from geokg.crudeoilnews import read_events_csv, read_gold, score, split_articles, split_name

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "crudeoilnews"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default=None,
                        help="gold-standard split (default dev; the active-learning set is scored whole)")
    parser.add_argument("--set", dest="gold_set", choices=("gold-standard", "active-learning"),
                        default="gold-standard")
    parser.add_argument("--events", type=Path, default=None, help="score this events CSV instead of building")
    parser.add_argument("--model", default=None, help="installed spaCy pipeline (default: the settings')")
    parser.add_argument("--workers", type=int, default=None, help="worker processes for the build")
    parser.add_argument("--store", type=Path, default=None, help="build into this store (default: a temporary one)")
    parser.add_argument("--mapping", action="store_true", help="print the type mapping table too")
    parser.add_argument("--errors", action="store_true", help="list misses and false hits (dev only)")
    args = parser.parse_args(argv)
    split = args.split or ("dev" if args.gold_set == "gold-standard" else "all")
    if args.gold_set != "gold-standard" and split != "all":
        parser.error("the dev/test split is defined on the gold-standard set; use --split all")
    if args.errors and split != "dev":
        parser.error("--errors is for the dev split only: the test split is scored, never error-analysed")
    articles_path, gold_path = DATA / f"{args.gold_set}.jsonl", DATA / f"{args.gold_set}.events.jsonl"
    if not articles_path.exists() or not gold_path.exists():
        print(f"skipped: {articles_path} or {gold_path} is absent (CrudeOilNews is kept outside the repository, "
              "see ../shared/data/crudeoilnews/README.md)")
        return 0
    name = split_name(split, args.gold_set)
    docs, _ = split_articles([articles_path], split)
    gold = read_gold(gold_path, docs)
    print(f"[{name}] {len(docs)} articles, {len(gold)} gold events ({args.gold_set})")

    if args.events is not None:
        predicted, has_direction = read_events_csv(args.events)
        print(f"[{name}] predictions from {args.events}")
        result = score(gold, predicted, name=name, direction_column=has_direction)
    else:
        result = build_and_score(gold_path, articles_path, split, name, args)
    if args.mapping:
        print(f"[{name}] mapping of CrudeOilNews types to geokg types (ontology/MAPPING.md):")
        print(result.mapping_table())
    print(result.table())
    if args.errors:
        print(f"[{name}] errors:")
        for line in result.errors:
            print(f"  {line}")
    return 0


def build_and_score(gold_path: Path, articles_path: Path, split: str, name: str, args: argparse.Namespace):
    """``geokg evaluate GOLD ARTICLES --split SPLIT`` into a temporary store (or ``--store``)."""
    with tempfile.TemporaryDirectory(prefix="geokg-crudeoilnews-") as tmp:
        settings = geokg.Settings.from_env(store=args.store or Path(tmp) / "geokg.db", model=args.model,
                                           workers=args.workers)
        started = time.perf_counter()
        result = evaluate(gold_path, [articles_path], settings, format="crudeoilnews", split=split, name=name)
    problems = sum(e.startswith(("build failure:", "quarantined:")) for e in result.errors)
    print(f"built and scored in {time.perf_counter() - started:.0f} s with {settings.model} "
          f"({settings.workers} worker(s)); {problems} articles failed or quarantined", file=sys.stderr)
    return result


if __name__ == "__main__":
    sys.exit(main())
