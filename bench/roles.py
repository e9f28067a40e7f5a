"""Argument roles per role: the trained role model against the rules, and the role model's cost.

Usage: python bench/roles.py [--model DIR] [--threshold P] [--news-dev DIR] [--cost N]

Scores (default): the development split of the team-written data (``geokg.training.split``: the
fifth of the texts the role model's weights are picked on; never trained on). Each text is parsed
by the host pipeline with the shipped trigger model, as a build does. For every annotated event:

* span: the role model, given the gold trigger, against the gold role strings, exact spans
  (precision, recall, F1 per role, all events);
* value: on the events the rules also found (same type, same sentence, in order), what each
  system would put in the graph: the linked entities of agent, theme (commodities), recipient
  (recipients and counterparties), place and source; the text of level, change and before
  (one containing the other); the day of date (``resolve_date`` with the same anchor; gold dates
  that name no day are left out). Systems: the rules (``geokg.extract``), the model (its most
  probable span at ``--threshold`` or above; every such theme and recipient), the rules with the
  model filling the roles they leave empty (``fill P``: from probability P), and the model
  replacing the rules' value (``over P``: where it has one from probability P).

``--news-dev DIR`` scores the same way on news-dev (../shared/data/news-dev: real news with
gold facts; a tuning set, never trained on). Its gold names no trigger: the trigger is the
trigger model's token of the fact's type in the fact's sentence (the most probable), else a word
of the rules' trigger lexicon for the type; facts with neither are left out. Values are compared
as the surface forms of entities (gold ``mentions`` against the texts of the linked entity's
mentions), the number of quantities (level from ``quantity``, change, before from ``from``) and
full ISO dates.

``--cost N`` instead times the role model on the first N Reuters-21578 training articles
(../shared/data/reuters21578/train.jsonl): the host pipeline with the trigger model alone, then
the role model over every sentence with a trigger at p >= 0.7 (the extractor's threshold).
Figures, not asserts; CPU seconds, which a shared machine disturbs less than wall time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from geokg.extract.dates import resolve_date
from geokg.extract.quantities import parse_quantity
from geokg.settings import DEFAULT_MODEL
from geokg.training import DATA, ROLE_NAMES, read_records, split

ROOT = Path(__file__).resolve().parents[1]
REUTERS = ROOT.parent / "shared" / "data" / "reuters21578" / "train.jsonl"
ANCHOR = dt.date(2025, 2, 25)  # the training texts carry no date; one anchor for gold and systems
ENTITY_ROLES = {"agent", "theme", "recipient", "place", "source"}
QUANTITY_ROLES = {"level", "change", "before"}
SINGLE = set(ROLE_NAMES) - {"theme", "recipient"}
COMBINED = (0.5, 0.9)  # probabilities from which the model fills or overrides the rules' roles


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Score:
    """True positives, false positives and false negatives per role."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = defaultdict(Counter)

    def add(self, role: str, gold: list, found: list, match) -> None:
        hits = {n for n, g in enumerate(gold) if any(match(f, g) for f in found)}
        self.counts[role]["tp"] += len(hits)
        self.counts[role]["fn"] += len(gold) - len(hits)
        self.counts[role]["fp"] += sum(1 for f in found if not any(match(f, g) for g in gold))

    def prf(self, role: str | None = None) -> tuple[float, float, float]:
        c = self.counts[role] if role else sum(self.counts.values(), Counter())
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        return p, r, 2 * p * r / (p + r) if p + r else 0.0


def scores(model_dir: str | None, threshold: float) -> None:
    from geokg.articles import Article
    from geokg.extract import extract
    from geokg.nlp import get_pipeline
    from geokg.roles import RoleModel, role_model
    from geokg.training.roles import Alignment, gold_events

    model = RoleModel.load(model_dir) if model_dir else role_model("default")
    _, dev = split(read_records(DATA.glob("*.jsonl")))
    nlp = get_pipeline(DEFAULT_MODEL)
    alignment = Alignment()
    span, rules, learned = Score(), Score(), Score()
    combined: dict[str, Score] = defaultdict(Score)
    gold_count = matched = 0

    for doc, record in nlp.pipe(((r.text, r) for r in dev), as_tuples=True, batch_size=64):
        events = gold_events(record, doc, alignment)
        gold_count += len(events)
        predicted = model.predict(doc, [e.trigger for e in events], threshold=min(threshold, *COMBINED))
        facts = extract(Article(id=f"dev-{record.line}", text=record.text, date=ANCHOR), doc)
        mentions = [(m.evidence.start, m.evidence.end, m.entity) for m in facts.mentions]

        # The rules' events of each type in each sentence, in order, for the gold events in order.
        by_place: dict[tuple[int, str], list] = defaultdict(list)
        for event in facts.events:
            sent = doc.char_span(event.evidence.start, event.evidence.end, alignment_mode="expand")
            if sent is not None:
                by_place[(sent.sent.start, event.type.value)].append(event)
        for event in sorted(events, key=lambda e: e.trigger):
            found = [p for p in predicted.get(event.trigger, [])]
            for role in ROLE_NAMES:
                gold_spans = [(s, e) for r, s, e in event.roles if r == role]
                mine = [(p.start, p.end) for p in found if p.role == role and p.probability >= threshold]
                span.add(role, gold_spans, mine, lambda f, g: f == g)
            candidates = by_place.get((doc[event.trigger].sent.start, event.kind))
            if not candidates:
                continue
            ruled = candidates.pop(0)
            matched += 1
            for role in ROLE_NAMES:
                gold = [v for r, s, e in event.roles if r == role
                        and (v := _value(doc, mentions, r, s, e)) is not None]
                if role == "date" and not gold:
                    continue  # no day named: neither system can put a date in the graph
                ranked = [p for p in found if p.role == role]
                model_values = [(v, p.probability) for p in ranked
                                if (v := _value(doc, mentions, role, p.start, p.end)) is not None]
                if role in SINGLE:
                    model_values = model_values[:1]
                rule_values = _rule_values(ruled, role)
                add(role, gold, rule_values, model_values, threshold, _matcher(role), rules, learned, combined)

    print(f"team-written development split: {len(dev)} texts, {gold_count} events "
          f"({alignment.triggers_skipped} triggers not on one token), {matched} of them found by the rules; "
          f"role strings placed {sum(alignment.roles.values())}, inside a token "
          f"{sum(alignment.inside_tokens.values())}, in another sentence {sum(alignment.other_sentence.values())}")
    print(f"model threshold {threshold}; span = the model on every event, exact spans; the rest on the events "
          "the rules found, by value")
    table(span, rules, learned, combined)


def _linked(doc, mentions: list, role: str, start: int, end: int) -> set:
    """The linked entities of the role's kinds that overlap tokens ``start`` to ``end``: a theme is
    a commodity, a place a place or country, other roles anything but a commodity."""
    a, b = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    wanted = {"theme": {"Commodity"}, "place": {"Place", "Country"}}.get(role)
    return {ref for s, e, ref in mentions if s < b and a < e
            and (ref.kind.value in wanted if wanted else ref.kind.value != "Commodity")}


def _value(doc, mentions: list, role: str, start: int, end: int):
    """What the graph would hold for tokens ``start`` to ``end`` in ``role`` (team-written data)."""
    if role in ENTITY_ROLES:
        return _linked(doc, mentions, role, start, end) or None
    text = doc[start:end].text
    return resolve_date(text, ANCHOR) if role == "date" else text.lower()


def add(role: str, gold: list, rule_values: list, model_values: list[tuple[object, float]], threshold: float,
        match, rules: Score, learned: Score, combined: dict[str, Score]) -> None:
    """Score one role of one event for every system; ``model_values`` are (value, probability)."""
    rules.add(role, gold, rule_values, match)
    learned.add(role, gold, [v for v, p in model_values if p >= threshold], match)
    for floor in COMBINED:
        sure = [v for v, p in model_values if p >= floor]
        combined[f"fill {floor}"].add(role, gold, rule_values or sure, match)
        combined[f"over {floor}"].add(role, gold, sure or rule_values, match)


def table(span: Score | None, rules: Score, learned: Score, combined: dict[str, Score]) -> None:
    names = [f"{how} {floor}" for how in ("fill", "over") for floor in COMBINED]
    header = (f"{'role':<10} {'gold':>5} {'span F1':>7} | {'rules P':>7} {'R':>5} {'F1':>5} | "
              f"{'model P':>7} {'R':>5} {'F1':>5} | " + " ".join(f"{name:>8}" for name in names))
    print(header)
    print("-" * len(header))
    for role in [*ROLE_NAMES, None]:
        gold = sum(rules.counts[role][k] for k in ("tp", "fn")) if role else \
            sum(c["tp"] + c["fn"] for c in rules.counts.values())
        cells = [*rules.prf(role), *learned.prf(role)]
        print(f"{role or 'all':<10} {gold:>5} " + (f"{span.prf(role)[2]:>7.3f}" if span else f"{'-':>7}")
              + f" | {cells[0]:>7.3f} {cells[1]:>5.3f} {cells[2]:>5.3f} | {cells[3]:>7.3f} {cells[4]:>5.3f} "
              f"{cells[5]:>5.3f} | " + " ".join(f"{combined[name].prf(role)[2]:>8.3f}" for name in names))


def news_dev(folder: Path, model_dir: str | None, threshold: float) -> None:
    import json

    from geokg.articles import Article, iter_articles
    from geokg.extract import extract
    from geokg.extract.events import TRIGGERS
    from geokg.nlp import SPANS_KEY, get_pipeline
    from geokg.roles import RoleModel, role_model

    model = RoleModel.load(model_dir) if model_dir else role_model("default")
    nlp = get_pipeline(DEFAULT_MODEL)
    gold_docs = {g["doc"]: g for g in map(json.loads, (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines())}
    articles = {Path(a.path).stem: a for a in iter_articles([folder / "docs"]) if isinstance(a, Article)}
    rules, learned = Score(), Score()
    combined: dict[str, Score] = defaultdict(Score)
    facts_count = used = matched = 0
    keys = {"agent": ("agent",), "theme": ("commodity",), "recipient": ("recipient", "counterparty"),
            "place": ("place",), "source": ("attributed_to",), "level": ("quantity",), "change": ("change",),
            "before": ("from",), "date": ("date",)}
    for name, gold in sorted(gold_docs.items()):
        article = articles[name]
        doc = nlp(article.text)
        facts = extract(article, doc)
        names = {e["name"]: {m.lower() for m in e["mentions"]} | {e["name"].lower()} for e in gold["entities"]}
        surfaces: dict = defaultdict(set)
        for m in facts.mentions:
            surfaces[m.entity].add(m.evidence.text.lower())
        mentions = [(m.evidence.start, m.evidence.end, m.entity) for m in facts.mentions]
        spans = doc.spans.get(SPANS_KEY, [])
        scores = spans.attrs.get("scores") if len(spans) else None
        taken: dict[tuple[int, str], int] = defaultdict(int)
        for fact in gold["facts"]:
            if fact["type"] in ("Statement", "ReservesRank"):
                continue
            facts_count += 1
            start = article.text.find(fact["source_sentence"])
            if start < 0:
                continue
            end = start + len(fact["source_sentence"])
            model_triggers = sorted(((float(scores[n][0]) if scores is not None else 1.0, span.start)
                                     for n, span in enumerate(spans)
                                     if span.label_ == fact["type"] and start <= span.start_char < end), reverse=True)
            lexicon = [t.i for t in doc.char_span(start, end, alignment_mode="expand") or []
                       if (kind := TRIGGERS.get(t.lemma_.lower())) is not None and kind.value == fact["type"]]
            trigger = model_triggers[0][1] if model_triggers else (lexicon[0] if lexicon else None)
            if trigger is None:
                continue
            used += 1
            found = model.predict(doc, [trigger], threshold=min(threshold, *COMBINED))[trigger]
            ruled_all = [e for e in facts.events if e.type.value == fact["type"]
                         and e.evidence.start < end and start < e.evidence.end]
            n = taken[(start, fact["type"])]
            taken[(start, fact["type"])] += 1
            ruled = ruled_all[n] if n < len(ruled_all) else None
            if ruled is None:
                continue
            matched += 1

            for role in ROLE_NAMES:
                values = [v for key in keys[role] for v in
                          (fact.get(key) if isinstance(fact.get(key), list) else [fact.get(key)]) if v is not None]
                if role in ENTITY_ROLES:
                    gold_values = [names[v] for v in values if v in names]
                elif role == "date":
                    gold_values = [_day(v) for v in values if _day(v) is not None]
                else:
                    gold_values = [float(v["value"]) for v in values if isinstance(v, dict) and "value" in v]
                if role == "date" and not gold_values:
                    continue
                ranked = [(v, p.probability) for p in found if p.role == role
                          if (v := _news_value(doc, mentions, surfaces, article.date, role, p)) is not None]
                if role in SINGLE:
                    ranked = ranked[:1]
                rule_values = _rule_values(ruled, role)
                if role in ENTITY_ROLES:
                    rule_values = [_surface(surfaces, v) for v in rule_values]
                elif role in QUANTITY_ROLES:
                    quantity = {"level": ruled.quantity, "change": ruled.change, "before": ruled.previous}[role]
                    rule_values = [float(quantity.value)] if quantity is not None else []
                match = (lambda f, g: bool(f & g)) if role in ENTITY_ROLES else (lambda f, g: f == g)
                add(role, gold_values, rule_values, ranked, threshold, match, rules, learned, combined)
    print(f"news-dev: {len(gold_docs)} documents, {facts_count} facts of trained types, {used} with a trigger, "
          f"{matched} of them found by the rules (scored here, by value); model threshold {threshold}")
    table(None, rules, learned, combined)


def _surface(surfaces: dict, refs: set) -> set:
    """Every text the article names these entities with, lower case."""
    return set().union(*(surfaces[r] for r in refs)) if refs else set()


def _news_value(doc, mentions: list, surfaces: dict, anchor: dt.date | None, role: str, prediction):
    """What the graph would hold for a predicted span (news-dev: surfaces, numbers, days)."""
    if role in ENTITY_ROLES:
        return _surface(surfaces, _linked(doc, mentions, role, prediction.start, prediction.end)) or None
    text = doc[prediction.start:prediction.end].text
    if role == "date":
        return resolve_date(text, anchor)
    quantity = parse_quantity(text)
    return float(quantity.value) if quantity is not None else None


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _rule_values(event, role: str) -> list:
    if role == "agent":
        return [{event.agent}] if event.agent else []
    if role == "theme":
        return [{ref} for ref in event.themes]
    if role == "recipient":
        return [{ref} for ref in (*event.recipients, *event.counterparties)]
    if role == "place":
        return [{event.place}] if event.place else []
    if role == "source":
        return [{event.attributed_to}] if event.attributed_to else []
    if role == "date":
        return [event.date] if event.date else []
    quantity = {"level": event.quantity, "change": event.change, "before": event.previous}[role]
    return [quantity.text.lower()] if quantity is not None and quantity.text else []


def _matcher(role: str):
    if role in ENTITY_ROLES:
        return lambda found, gold: bool(found & gold)
    if role in QUANTITY_ROLES:
        return lambda found, gold: found in gold or gold in found
    return lambda found, gold: found == gold


def cost(limit: int, model_dir: str | None) -> None:
    from geokg.articles import Article, iter_articles
    from geokg.extract.events import TRIGGER_THRESHOLD
    from geokg.nlp import SPANS_KEY, get_pipeline
    from geokg.roles import RoleModel, role_model

    texts = [a.text for a in iter_articles([REUTERS]) if isinstance(a, Article)][:limit]
    nlp = get_pipeline(DEFAULT_MODEL)
    model = RoleModel.load(model_dir) if model_dir else role_model("default")
    list(nlp.pipe(texts[:5]))  # warm up
    started, wall = cpu_s(), time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=32))
    host_cpu, host_wall = cpu_s() - started, time.perf_counter() - wall
    triggers = []
    for doc in docs:
        spans = doc.spans.get(SPANS_KEY, [])
        scores = spans.attrs.get("scores") if len(spans) else None
        triggers.append([span.start for n, span in enumerate(spans)
                         if scores is None or float(scores[n][0]) >= TRIGGER_THRESHOLD])
    started, wall = cpu_s(), time.perf_counter()
    roles = sum(len(found) for doc, wanted in zip(docs, triggers) for found in model.predict(doc, wanted).values())
    role_cpu, role_wall = cpu_s() - started, time.perf_counter() - wall
    count = sum(map(len, triggers))
    sentences = sum(len({doc[t].sent.start for t in wanted}) for doc, wanted in zip(docs, triggers))
    print(f"{len(docs)} Reuters articles, {sum(len(d) for d in docs)} tokens; {count} triggers at p >= "
          f"{TRIGGER_THRESHOLD} in {sentences} sentences; {roles} role spans at p >= 0.5")
    print(f"host pipeline with the trigger model: {host_cpu:.1f} s CPU ({host_wall:.1f} s wall)")
    print(f"role model:                           {role_cpu:.1f} s CPU ({role_wall:.1f} s wall), "
          f"{role_cpu / host_cpu:.1%} of the host's CPU time, {1000 * role_cpu / max(count, 1):.2f} ms per trigger")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default=None, help="role model folder (default: the packaged one)")
    parser.add_argument("--threshold", type=float, default=0.5, help="the model's role probability threshold")
    parser.add_argument("--news-dev", type=Path, default=None, metavar="DIR", help="score on news-dev instead")
    parser.add_argument("--cost", type=int, default=None, metavar="N", help="time the model on N Reuters articles")
    args = parser.parse_args(argv)
    if args.cost:
        cost(args.cost, args.model)
    elif args.news_dev:
        news_dev(args.news_dev, args.model, args.threshold)
    else:
        scores(args.model, args.threshold)
    return 0


if __name__ == "__main__":
    sys.exit(main())
