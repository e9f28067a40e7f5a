"""Document-level scores of geokg on the Reuters-21578 (ModApte) labels.

Usage: python bench/reuters.py [--split train|test] [--limit N] [--processes N]
                               [--store DIR] [--misses K]

Writes the first N documents of ../shared/data/reuters21578/{split}.jsonl to a
temporary .jsonl file, builds them with ``geokg.build`` into an on-disk store and
reads what was found back through the ``mentions`` stored query, so what is
scored is what users query. For each kind it prints micro precision, recall and
F1 of the entities found per document against the human labels:

* countries: ``places`` labels vs the ISO codes of Country and Place mentions;
* commodities: ``topics`` flagged as commodities in codes.tsv vs Commodity
  mentions; a mention counts for a label when it is the label's concept or a
  narrower one (wheat counts for grain);
* orgs / exchanges / people: label codes mapped to reference entities by name,
  vs Organization (non-exchange) / exchange / Person mentions, by entity IRI.

It prints two tables from the same build: every mention (the ``mentions`` query)
and the salient mentions only (the ``salient-mentions`` query: what each article
is about, not what it names in passing; see docs/quality.md).

Each kind is scored over the documents carrying at least one label of that
kind. Recall = matched labels / labels; precision = matched predictions /
predictions, where every mention of the kind's type counts as a prediction.
Reuters labels only the focus entities of a story (orgs, people, exchanges
especially), so precision understates. Codes absent from codes.tsv (train only)
are mapped by looking their code up in the reference data; a label that maps to
nothing stays a label and can only be missed. Exits 0 with a message when the
data folder is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import geokg
from geokg.model import EntityKind
from geokg.rdf import reference_graph
from geokg.rdf.iris import entity_iri
from geokg.reference import load_reference

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "reuters21578"
KINDS = ("countries", "commodities", "orgs", "exchanges", "people")
FIELD = {"countries": "places", "commodities": "topics", "orgs": "orgs",
         "exchanges": "exchanges", "people": "people"}
CODE_KIND = {"places": "place", "topics": "topic", "orgs": "org", "exchanges": "exchange", "people": "person"}
REF_KIND = {"commodities": EntityKind.COMMODITY, "orgs": EntityKind.ORGANIZATION,
            "exchanges": EntityKind.ORGANIZATION, "people": EntityKind.PERSON}
# Both tables: every mention, and the salient ones (what an article is about, gk:salientMention).
QUERIES = {"mentions": "all mentions (`mentions` query)",
           "salient-mentions": "salient mentions only (`salient-mentions` query: what each article is about)"}
EXCHANGE = "https://w3id.org/geokg/ontology#Exchange"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def read_codes() -> dict[tuple[str, str], dict[str, str]]:
    """codes.tsv as {(kind, code): row}."""
    lines = (DATA / "codes.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"))) for line in lines[1:] if line.strip()]
    return {(r["kind"], r["code"]): r for r in rows}


def candidates(name: str, code: str) -> list[str]:
    """Names to try for a label: the full name, before/inside parentheses, the code."""
    out = [name, name.split("(")[0].strip(" ,"), *re.findall(r"\(([^)]*)\)", name),
           code.replace("-", " "), code.upper()]
    return [n for n in dict.fromkeys(out) if n]


class LabelMap:
    """Turns Reuters label codes into comparable keys (ISO codes or entity IRIs)."""

    def __init__(self) -> None:
        self.ref = load_reference()
        self.codes = read_codes()
        self.exchanges = {str(s) for s, p, o in reference_graph(self.ref).triples((None, None, None))
                          if str(p) == RDF_TYPE and str(o) == EXCHANGE}
        self.by_iri = {str(entity_iri(r)): e for r, e in self.ref.entities.items()}
        self._cache: dict[tuple[str, str], str | None] = {}

    def is_label(self, kind: str, code: str) -> bool:
        """Whether a ``topics`` code is a commodity (other fields: always)."""
        if kind != "commodities":
            return True
        row = self.codes.get(("topic", code))
        if row is not None:
            return row["is_commodity"] == "yes"
        return self.key(kind, code) is not None  # train-only code: a commodity if the reference knows it

    def key(self, kind: str, code: str) -> str | None:
        if (kind, code) not in self._cache:
            self._cache[(kind, code)] = self._resolve(kind, code)
        return self._cache[(kind, code)]

    def _resolve(self, kind: str, code: str) -> str | None:
        row = self.codes.get((CODE_KIND[FIELD[kind]], code), {})
        if kind == "countries" and row.get("iso3166_alpha2", "-") != "-":
            return row["iso3166_alpha2"]
        for name in candidates(row.get("name", ""), code):
            for entity in self.ref.lookup(name):
                if kind == "countries" and entity.ref.kind == EntityKind.COUNTRY and entity.iso:
                    return entity.iso
                if kind != "countries" and entity.ref.kind == REF_KIND[kind]:
                    iri = str(entity_iri(entity.ref))
                    if kind in ("orgs", "exchanges") and (iri in self.exchanges) != (kind == "exchanges"):
                        continue
                    return iri
        return None

    def covers(self, kind: str, predicted: str, label: str) -> bool:
        """A prediction matches a label: equal, or (commodities) a narrower concept."""
        if predicted == label:
            return True
        if kind != "commodities":
            return False
        entity = self.by_iri.get(predicted)
        return entity is not None and any(str(entity_iri(a)) == label for a in self.ref.ancestors(entity.ref))


def predictions(rows: list[dict], labels: LabelMap) -> dict[str, dict[str, set[str]]]:
    """{article: {kind: predicted keys}} from ``mentions`` rows."""
    out: dict[str, dict[str, set[str]]] = {}
    for row in rows:
        kinds = out.setdefault(str(row["article"]), {k: set() for k in KINDS})
        entity, type_ = str(row["entity"]), row["type"]
        if type_ in ("Country", "Place") and row["iso"]:
            kinds["countries"].add(str(row["iso"]))
        elif type_ == "Commodity":
            kinds["commodities"].add(entity)
        elif type_ == "Organization":
            kinds["exchanges" if entity in labels.exchanges else "orgs"].add(entity)
        elif type_ == "Person":
            kinds["people"].add(entity)
    return out


def display(kind: str, key: str, labels: LabelMap) -> str:
    if kind == "countries":
        return key
    entity = labels.by_iri.get(key)
    return entity.label if entity else key.rsplit("/", 1)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("train", "test"), default="test")
    parser.add_argument("--limit", type=int, default=None, help="score the first N documents (default: all)")
    parser.add_argument("--processes", type=int, default=None)
    parser.add_argument("--store", type=Path, default=None, help="store folder (default: a temporary one)")
    parser.add_argument("--misses", type=int, default=0, metavar="K",
                        help="list the K most frequent missed labels and false predictions per kind")
    args = parser.parse_args()
    source = DATA / f"{args.split}.jsonl"
    if not source.is_file():
        print(f"skipped: {source} is absent (Reuters-21578 data not available)")
        return
    with source.open(encoding="utf-8") as handle:
        docs = [json.loads(line) for line in handle if line.strip()]
    docs = docs[: args.limit] if args.limit is not None else docs
    labels = LabelMap()
    with tempfile.TemporaryDirectory(prefix="geokg-reuters-") as tmp:
        path = Path(tmp) / f"reuters-{args.split}.jsonl"
        with path.open("w", encoding="utf-8") as out:
            for d in docs:
                out.write(json.dumps({k: d[k] for k in ("id", "date", "title", "dateline", "body")}) + "\n")
        settings = geokg.Settings.from_env(store=args.store or Path(tmp) / "store", workers=args.processes)
        start = time.perf_counter()
        summary = geokg.build([path], settings)
        seconds = time.perf_counter() - start
        found = {name: predictions(geokg.query(name, {}, settings).as_dicts(), labels) for name in QUERIES}
    print(f"Reuters-21578 {args.split}: {len(docs)} documents, {summary.articles} built, "
          f"{len(summary.failures)} failed, {len(summary.quarantined)} quarantined")
    for name, title in QUERIES.items():
        print(f"\n{title}")
        missed, false = score_table(docs, found[name], labels)
        for kind in KINDS if args.misses else ():
            print(f"  {kind}: missed labels: "
                  + (", ".join(f"{c} {n}" for c, n in missed[kind].most_common(args.misses)) or "none"))
            print(f"  {kind}: false predictions: "
                  + (", ".join(f"{display(kind, c, labels)} {n}" for c, n in false[kind].most_common(args.misses))
                     or "none"))
    print("\nScored per kind over documents with >=1 label of that kind; TP(l) = labels matched (recall), "
          "TP(p) = predictions matching a label (precision). Reuters labels only focus entities, "
          "so precision understates (orgs, exchanges, people especially).")
    print(f"throughput: {len(docs) / seconds:.1f} articles/s ({seconds:.1f} s build, "
          f"workers={settings.workers})")
    print("command: python bench/reuters.py " + " ".join(sys.argv[1:]))


def score_table(docs: list[dict], found: dict[str, dict[str, set[str]]],
                labels: LabelMap) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    """Print one table of micro scores per kind; return the missed labels and false predictions."""
    print(f"{'kind':<12} {'docs':>5} {'labels':>7} {'predicted':>9} {'TP(l)':>6} {'TP(p)':>6} "
          f"{'P':>6} {'R':>6} {'F1':>6}")
    missed: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    false: dict[str, Counter[str]] = {k: Counter() for k in KINDS}
    for kind in KINDS:
        n_docs = n_labels = n_pred = tp_labels = tp_pred = 0
        for d in docs:
            codes = [c for c in d[FIELD[kind]] if labels.is_label(kind, c)]
            if not codes:
                continue
            gold = {c: labels.key(kind, c) for c in codes}
            pred = found.get(d["id"], {}).get(kind, set())
            n_docs += 1
            n_labels += len(gold)
            n_pred += len(pred)
            for code, key in gold.items():
                if key is not None and any(labels.covers(kind, p, key) for p in pred):
                    tp_labels += 1
                else:
                    missed[kind][code if key is not None else f"{code} (unmapped)"] += 1
            for p in pred:
                if any(k is not None and labels.covers(kind, p, k) for k in gold.values()):
                    tp_pred += 1
                else:
                    false[kind][p] += 1
        precision = tp_pred / n_pred if n_pred else 0.0
        recall = tp_labels / n_labels if n_labels else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores = (f"{precision:>6.3f} {recall:>6.3f} {f1:>6.3f}" if n_docs
                  else f"{'n/a':>6} {'n/a':>6} {'n/a':>6}")
        print(f"{kind:<12} {n_docs:>5} {n_labels:>7} {n_pred:>9} {tp_labels:>6} {tp_pred:>6} {scores}")
    return missed, false


if __name__ == "__main__":
    main()
