"""The seed article told as a short story (``geokg demo``, ``make demo``).

:func:`run` builds ``seeds/`` into a store, asks the stored queries for the seed
articles' facts, picks one event to show as Turtle and writes the graph page;
:func:`story` turns that into the text a first-time reader finishes: what was read,
the headline facts (offers with their quantities and sentences, rankings with their
source, who said what), how one event is stored, where the page is, and three
commands to try next. Every query result printed in full is ``geokg query --all``.

Facts are shown as the stored queries give them, each offer beside the sentence it
rests on, so that a reader can judge an extraction error rather than take it on trust.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import networkx as nx
from rdflib import Graph, URIRef

from geokg import api
from geokg.articles import iter_articles
from geokg.model import Article
from geokg.namespaces import PREFIXES
from geokg.queries import Value, get_query
from geokg.rdf.iris import graph_iri
from geokg.render import clip
from geokg.resources import resource_dir
from geokg.settings import Settings
from geokg.store import Store
from geokg.viz import to_networkx, write_html

__all__ = ["Demo", "run", "story"]

#: Prefixes of the Turtle shown; ids stay whole IRIs (``…/id/event/ID-6`` is no prefixed name).
TURTLE_PREFIXES = ("gk", "rdfs", "prov", "oa", "qudt", "unit")
QUOTE = 140  # characters of an offer's sentence shown
STATEMENTS = 8  # rows of "who said what" at most


@dataclass
class Demo:
    """What :func:`run` built and found, for :func:`story` (or a notebook) to present."""

    store: Path
    page: Path
    articles: list[Article]
    summary: api.BuildSummary
    #: events of the seed articles by type, and the entities they mention (with a Wikidata id)
    events: Counter[str] = field(default_factory=Counter)
    entities: int = 0
    wikidata: int = 0
    offers: list[dict[str, Value]] = field(default_factory=list)
    rankings: list[dict[str, Value]] = field(default_factory=list)
    statements: list[dict[str, Value]] = field(default_factory=list)
    #: the event shown as Turtle (an offer with a quantity when there is one), its label and graph
    shown: tuple[str, str, str] | None = None
    turtle: str = ""
    #: the country most active in the seed articles, for a query worth trying next
    country: str | None = None
    page_nodes: int = 0
    page_edges: int = 0


def run(settings: Settings | None = None, *, page: str | Path | None = None) -> Demo:
    """Build ``seeds/`` into ``settings.store`` and gather what :func:`story` tells.

    Args:
        settings: the store (and spaCy pipeline) to build with.
        page: the graph page to write (default: beside the store, ``STORE.html``).

    Raises:
        ResourceNotFoundError: no ``seeds/`` folder (an installed geokg has none: the seed
            text belongs to its publisher and is not in the wheel; set GEOKG_RESOURCES to a
            checkout).
    """
    settings = settings or Settings.from_env()
    seeds = resource_dir("seeds")
    articles = [item for item in iter_articles([seeds]) if isinstance(item, Article)]
    summary = api.build([seeds], settings)
    demo = Demo(
        store=Path(settings.store),
        page=Path(page or Path(settings.store).with_suffix(".html")),
        articles=articles,
        summary=summary,
    )
    ids = [article.id for article in articles]
    with Store.open(settings.store, read_only=True) as store:
        events = _rows(store, "events", ids)
        mentions = _rows(store, "mentions", ids)
        demo.events = Counter(str(type_) for type_ in {(r["event"], r["type"]): r["type"] for r in events}.values())
        demo.entities = len({r["entity"] for r in mentions})
        demo.wikidata = len({r["entity"] for r in mentions if r["wikidata"]})
        demo.offers = [r for r in events if r["type"] == "Offer"]
        demo.rankings = _rows(store, "rankings", ids)
        demo.statements = _rows(store, "statements", ids)
        activity = Counter(str(r["country"]) for r in _rows(store, "country-activity", ids))
        demo.country = activity.most_common(1)[0][0] if activity else None
        chosen = next(
            (r for r in demo.offers if r["value"] is not None),
            demo.offers[0] if demo.offers else (events[0] if events else None),
        )
        if chosen is not None:
            article, event = str(chosen["article"]), str(chosen["event"])
            demo.shown = (event, f"{chosen['type']} by {chosen['agent']}", str(graph_iri(article)))
            demo.turtle = _event_turtle(store, article, event)
        graph = (
            nx.compose_all([to_networkx(store, query="events", params={"article": i}) for i in ids])
            if ids
            else nx.MultiDiGraph()
        )
    write_html(
        graph,
        demo.page,
        title="geokg demo: the seed article",
        subtitle=", ".join(ids) + ": its events and the entities taking part",
    )
    demo.page_nodes, demo.page_edges = graph.number_of_nodes(), graph.number_of_edges()
    return demo


def _rows(store: Store, query: str, articles: Sequence[str]) -> list[dict[str, Value]]:
    """A stored query's rows (as dicts) that come from ``articles``: bound as its ``article``
    parameter where it has one (the store may hold many more), else filtered."""
    if any(param.name == "article" for param in get_query(query).params):
        return [row for article in articles for row in api.query(query, {"article": article}, store=store).as_dicts()]
    return [row for row in api.query(query, store=store).as_dicts() if row.get("article") in articles]


def _event_turtle(store: Store, article: str, event: str) -> str:
    """The event's triples in its article graph, with the nodes minted with it (its quantity
    and evidence: ``…/{kind}/{article}-{n}``), as Turtle."""
    stored = store.rdflib_graph(graph_iri(article))
    own = event.rsplit("/", 1)[1]
    shown = Graph()
    for name, namespace in PREFIXES.items():
        if name in TURTLE_PREFIXES:
            shown.bind(name, namespace, override=True, replace=True)
    subject = URIRef(event)
    for predicate, value in stored.predicate_objects(subject):
        shown.add((subject, predicate, value))
        local = str(value).rsplit("/", 1)[-1]
        if isinstance(value, URIRef) and value != subject and (local == own or local.startswith(own + "-")):
            for triple in stored.triples((value, None, None)):
                shown.add(triple)
    return shown.serialize(format="turtle").strip()


def story(demo: Demo) -> str:
    """The demo as text: five short sections, well under 80 lines for the seed article."""
    out = [f"geokg demo: a news article read into a knowledge graph (store {demo.store})", ""]
    out += _read(demo)
    out += ["", "2. Headline facts", "   Offers, each with the sentence it rests on:"]
    for offer in demo.offers:
        quantity = f", {_number(offer['value'])} {offer['unit'] or ''}".rstrip() if offer["value"] is not None else ""
        date = f" ({offer['date']})" if offer["date"] else ""
        out.append(f"     {offer['agent']} -> {offer['recipient'] or '?'}: {offer['theme'] or '?'}{quantity}{date}")
        out.append(f'       "{clip(str(offer["sentence"]), QUOTE)}"')
    if not demo.offers:
        out.append("     none found")
    out.append("   Rankings:")
    for rank in demo.rankings:
        after = f", after {rank['rankedAfter']}" if rank["rankedAfter"] else ""
        source = f" (source: {rank['source']})" if rank["source"] else " (no source named)"
        out.append(
            f"     {rank['entity']} ranks {_ordinal(rank['rank'])} by {rank['measure']} of "
            f"{rank['commodity']}{after}{source}"
        )
    if not demo.rankings:
        out.append("     none found")
    out += ["   Who said what:"] + _said(demo.statements)
    out += ["", "3. How it is stored"]
    if demo.shown is not None:
        _event, label, graph = demo.shown
        out += [
            f"   One event ({label}) with the quantity and evidence minted with it, as Turtle; it lies in",
            f"   the article's named graph <{graph}>:",
            "",
        ]
        out += demo.turtle.splitlines()
    out += [
        "",
        "4. The graph page",
        f"   {demo.page}: {demo.page_nodes} nodes, {demo.page_edges} edges (one file, opens offline in a browser)",
        "",
        "5. Try next",
    ]
    store = f" --store {demo.store}"
    country = demo.country or "Russia"
    nexts = [
        (f"geokg query --all{store}", "every stored query, in full"),
        (
            f"geokg query country-activity --param country={_shell(country)}{store}",
            f"what {country} did, event by event",
        ),
        (f"geokg build YOUR-FOLDER/{store}", "add your own articles (.txt, .jsonl, .html)"),
    ]
    width = max(len(command) for command, _ in nexts)
    out += [f"   {command.ljust(width)}   {why}" for command, why in nexts]
    return "\n".join(out)


def _read(demo: Demo) -> list[str]:
    summary = demo.summary
    out = ["1. Read"]
    for article in demo.articles:
        dated = f", dated {article.date}" if article.date else ""
        out.append(f"   {_shown_path(article.path)}: {len(article.text):,} characters{dated} (article id {article.id})")
    kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(demo.events.items(), key=lambda kv: (-kv[1], kv[0])))
    out.append(
        f"   found {sum(demo.events.values())} events ({kinds or 'none'}) and {demo.entities} entities "
        f"({demo.wikidata} linked to Wikidata)"
    )
    if summary.articles:
        checked = "every graph conforms" if not summary.violations else f"{len(summary.violations)} violation(s)"
        out.append(
            f"   checked against the SHACL shapes: {checked}; stored one named graph per article "
            f"({summary.triples:,} triples written)"
        )
    else:
        out.append("   already in the store, unchanged since it was built and checked")
    for failure in summary.not_loaded():
        out.append(f"   not loaded: {failure.path or failure.article_id}: [{failure.code}] {failure.message}")
    return out


def _said(statements: list[dict[str, Value]]) -> list[str]:
    if not statements:
        return ["     none found"]
    rows = [
        (str(s["speaker"]), str(s["date"] or ""), f'"{clip(str(s["text"]), 100)}"') for s in statements[:STATEMENTS]
    ]
    width = max(len(speaker) for speaker, _, _ in rows)
    out = [f"     {speaker.ljust(width)}  {date:10}  {text}" for speaker, date, text in rows]
    if len(statements) > STATEMENTS:
        out.append(f"     … and {len(statements) - STATEMENTS} more: geokg query statements")
    return out


def _shown_path(path: str | None) -> str:
    """``seeds/x.txt`` when the file lies under the working folder, else the path as read."""
    try:
        return str(Path(path or "").resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _number(value: object) -> str:
    """``2,000,000`` for Decimal('2000000'), ``1.5`` for 1.5."""
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,}" if isinstance(value, (int, float)) else str(value)


def _ordinal(rank: object) -> str:
    """``5th`` for 5, ``1st``, ``2nd``, ``3rd``, ``11th``."""
    try:
        n = int(str(rank))
    except ValueError:
        return str(rank)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _shell(word: str) -> str:
    return word if word.replace("-", "").isalnum() else f"'{word}'"
