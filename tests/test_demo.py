"""geokg demo: the seed article as a short story, and the commands it suggests."""

from __future__ import annotations

import datetime as dt
import shlex
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef

from geokg.api import BuildSummary
from geokg.articles import Article
from geokg.cli import cli
from geokg.demo import Demo, story
from geokg.namespaces import GK, QUDT
from geokg.pipeline import Failure

SECTIONS = ["1. Read", "2. Headline facts", "3. How it is stored", "4. The graph page", "5. Try next"]


@pytest.fixture(scope="module")
def first_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """``geokg demo`` into a new store, once for the module: (store, what it printed)."""
    store = tmp_path_factory.mktemp("demo") / "demo.db"
    result = CliRunner().invoke(cli, ["demo", "--store", str(store)])
    assert result.exit_code == 0, result.output
    return store, result.stdout


def turtle_of(text: str) -> str:
    """The Turtle block of section 3: after the named-graph line, up to section 4."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("   the article's named graph <"))
    return "\n".join(lines[start + 1:lines.index("4. The graph page")])


@pytest.mark.slow
def test_demo_tells_the_seed_article_in_one_screen(first_run: tuple[Path, str]) -> None:
    store, text = first_run
    lines = text.splitlines()
    assert len(lines) < 80
    assert [line for line in lines if line[:2] in {f"{n}." for n in range(1, 6)}] == SECTIONS
    read = lines[lines.index("1. Read") + 1]
    assert read.endswith("2025-02-25-putin-rare-earths.txt: 1,937 characters, dated 2025-02-25 "
                         "(article id 2025-02-25-putin-rare-earths)"), read
    assert "checked against the SHACL shapes: every graph conforms" in text
    # The headline facts, as the stored queries give them, each offer with its sentence.
    assert "     Russia -> United States: Aluminium, 2,000,000 tonne" in lines
    sentence = lines[lines.index("     Russia -> United States: Aluminium, 2,000,000 tonne") + 1]
    assert sentence.startswith('       "Details: The Kremlin leader added that Russia is ready to resume aluminium')
    assert ("     Russia ranks 5th by reserves of Rare-earth elements, after " in text
            and "(source: United States Geological Survey)" in text)
    said = lines[lines.index("   Who said what:") + 1:lines.index("3. How it is stored") - 1]
    assert any(line.split()[:2] == ["Vladimir", "Putin"] and '"We would be happy to work with any foreign partners'
               in line for line in said), said
    # No line is a table cut to the same prefix: nothing is truncated but quotes.
    assert not any(line.endswith("…") for line in lines if '"' not in line)


@pytest.mark.slow
def test_demo_shows_one_stored_event_as_turtle_that_parses(first_run: tuple[Path, str]) -> None:
    graph = Graph().parse(data=turtle_of(first_run[1]), format="turtle")
    [event] = set(graph.subjects(GK.quantity, None))
    assert str(event).startswith("https://w3id.org/geokg/id/event/2025-02-25-putin-rare-earths-")
    assert (event, GK.theme, URIRef("https://w3id.org/geokg/id/commodity/aluminium")) in graph
    quantity = graph.value(event, GK.quantity)
    assert graph.value(quantity, QUDT.numericValue).toPython() == 2_000_000
    assert graph.value(graph.value(event, GK.evidence), URIRef("http://www.w3.org/ns/oa#exact")) is not None


@pytest.mark.slow
def test_demo_writes_the_graph_page_beside_the_store(first_run: tuple[Path, str]) -> None:
    store, text = first_run
    page = store.with_suffix(".html")
    assert page.is_file() and page.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    line = next(line for line in text.splitlines() if line.startswith(f"   {page}: "))
    nodes = int(line.split(": ")[1].split()[0])
    assert nodes > 10 and "opens offline" in line


@pytest.mark.slow
def test_the_three_commands_it_suggests_run(first_run: tuple[Path, str]) -> None:
    store, text = first_run
    lines = text.splitlines()
    commands = [line.split("   ")[1] for line in lines[lines.index("5. Try next") + 1:]]
    assert len(commands) == 3 and all(c.startswith("geokg ") and f"--store {store}" in c for c in commands)
    everything, activity, own = (shlex.split(c)[1:] for c in commands)
    assert own[:2] == ["build", "YOUR-FOLDER/"]  # the user's own folder: not run here
    result = CliRunner().invoke(cli, everything)
    assert result.exit_code == 0 and "== offers: Offers of commodities" in result.stdout
    result = CliRunner().invoke(cli, activity + ["--format", "csv"])
    assert result.exit_code == 0 and result.stdout.count("\n") > 2, result.output  # header and rows
    assert "--param country=Russia" in commands[1]


@pytest.mark.slow
def test_demo_again_finds_the_article_already_stored(first_run: tuple[Path, str]) -> None:
    store, text = first_run
    again = CliRunner().invoke(cli, ["demo", "--store", str(store), "-o", str(store.parent / "again.html")])
    assert again.exit_code == 0, again.output
    assert "   already in the store, unchanged since it was built and checked" in again.stdout
    assert "     Russia -> United States: Aluminium, 2,000,000 tonne" in again.stdout  # the same facts
    assert (store.parent / "again.html").is_file()


def test_story_of_hand_built_facts(tmp_path: Path) -> None:
    """The text alone, from facts written here (no spaCy): numbers, ordinals, what is missing, failures."""
    article = Article(id="a1", text="Chile offered copper.", date=dt.date(2024, 3, 4), path=str(tmp_path / "a1.txt"))
    summary = BuildSummary(articles=0, triples=42, failures=[Failure(str(tmp_path / "bad.txt"), None, "GK101",
                                                                     "the file holds no text")])
    demo = Demo(store=tmp_path / "s.db", page=tmp_path / "s.html", articles=[article], summary=summary,
                offers=[{"agent": "Chile", "recipient": None, "theme": "Copper", "value": Decimal("300000"),
                         "unit": "tonne", "date": None, "sentence": "Chile offered 300,000 tonnes of copper."}],
                rankings=[{"entity": "Chile", "rank": 1, "measure": "production", "commodity": "Copper",
                           "rankedAfter": None, "source": None}],
                country="Chile", page_nodes=3, page_edges=2)
    text = story(demo)
    assert f"   {tmp_path / 'a1.txt'}: 21 characters, dated 2024-03-04 (article id a1)" in text
    assert "   already in the store, unchanged since it was built and checked\n" in text
    assert f"   not loaded: {tmp_path / 'bad.txt'}: [GK101] the file holds no text" in text
    assert "     Chile -> ?: Copper, 300,000 tonne\n" in text
    assert "     Chile ranks 1st by production of Copper (no source named)" in text
    assert "   Who said what:\n     none found" in text
    assert "3. How it is stored\n\n4. The graph page" in text  # no event to show
    assert f"geokg query country-activity --param country=Chile --store {tmp_path / 's.db'}" in text
