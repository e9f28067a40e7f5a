"""The `geokg viz` page of the seed build, opened in a real headless Chromium (Playwright).

Debian's ``chromium`` (``make system-deps``) is driven through its executable path:
Playwright's own browser download is never used. Every request other than the page's
own file is refused, so the test also proves the page works offline. The screenshot is
kept under ``test-artifacts/`` (gitignored) and its path printed.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import geokg
from conftest import ROOT, require_system

pytestmark = [pytest.mark.integration, pytest.mark.slow]

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = Path(os.environ.get("GEOKG_TEST_ARTIFACTS", ROOT / "test-artifacts"))


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file() and shutil.which("chromium") is None:
        require_system("chromium", "the graph page is tested in a real headless browser")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package (test extra)")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM if Path(CHROMIUM).is_file()
                                             else shutil.which("chromium"), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, path: Path):
    """Open the page offline; return (page, console errors and refused requests)."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    problems: list[str] = []
    page.on("console", lambda message: message.type in ("error", "warning") and problems.append(
        f"console {message.type}: {message.text}"))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))

    def only_the_page(route) -> None:
        if route.request.url == path.as_uri():
            route.continue_()
        else:
            problems.append(f"request refused (page must be self-contained): {route.request.url}")
            route.abort()

    page.route("**/*", only_the_page)
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=30_000)
    return page, problems


def test_viz_page_draws_the_seed_build_and_filters_by_type(browser, seed_store: Path) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    html = ARTIFACTS / "seed-graph.html"
    graph = geokg.api.viz(html, geokg.Settings.from_env(store=seed_store))
    expected = geokg.to_networkx(seed_store)
    assert (graph.number_of_nodes(), graph.number_of_edges()) == (expected.number_of_nodes(), expected.number_of_edges())
    assert expected.number_of_nodes() > 10  # the seed article has events, entities and roles to draw

    page, problems = open_page(browser, html)
    try:
        nodes = page.locator("#graph g.node")
        assert nodes.count() == expected.number_of_nodes()
        assert page.locator("#graph g.edge").count() == expected.number_of_edges()
        assert page.get_attribute("#stats", "data-shown-nodes") == str(expected.number_of_nodes())
        assert page.inner_text("#stats") == (f"{expected.number_of_nodes()} of {expected.number_of_nodes()} nodes, "
                                             f"{expected.number_of_edges()} of {expected.number_of_edges()} edges shown")
        # drawn: every node has a size on screen inside the SVG
        svg = page.locator("#graph").bounding_box()
        for i in range(nodes.count()):
            box = nodes.nth(i).bounding_box()
            assert box and box["width"] > 0, f"node {i} not drawn"
            assert svg["x"] - 1 <= box["x"] and box["x"] + box["width"] <= svg["x"] + svg["width"] + 1
        # colours by type: each type has one fill, different types different fills
        fills = page.eval_on_selector_all(
            "#graph g.node", "els => els.map(g => [g.dataset.type, g.firstElementChild.getAttribute('fill')])")
        by_type = {kind: {fill for k, fill in fills if k == kind} for kind, _ in fills}
        assert all(len(colours) == 1 for colours in by_type.values())
        assert len({next(iter(c)) for c in by_type.values()}) == len(by_type)
        # edges are labelled with the role
        labels = set(page.eval_on_selector_all("#graph .edge-label", "els => els.map(e => e.textContent)"))
        assert {"agent", "theme", "recipient"} <= labels

        screenshot = ARTIFACTS / "seed-graph.png"
        page.screenshot(path=str(screenshot), full_page=True)
        print(f"\nscreenshot of the seed graph page: {screenshot}")
        assert screenshot.stat().st_size > 10_000

        # hovering an event shows its evidence sentence and article
        offer_iri, offer = next((n, d) for n, d in expected.nodes(data=True) if d["type"] == "Offer")
        page.hover(f'#graph g.node[data-id="{offer_iri}"] > :first-child')
        details = page.inner_text("#details")
        assert offer["sentence"] in details and offer["article"] in details
        tooltip = page.text_content(f'#graph g.node[data-id="{offer_iri}"] > title')
        assert offer["sentence"] in tooltip and f"article: {offer['article']}" in tooltip

        # filtering by type hides those nodes and the edges that touch them
        statements = [n for n, d in expected.nodes(data=True) if d["type"] == "Statement"]
        touching = sum(1 for u, v in expected.edges() if u in statements or v in statements)
        page.uncheck('#filters input[data-type="Statement"]')
        visible = page.locator("#graph g.node:not(.hidden)")
        assert visible.count() == expected.number_of_nodes() - len(statements)
        assert page.locator('#graph g.node[data-type="Statement"]').first.is_hidden()
        assert page.locator("#graph g.edge:not(.hidden)").count() == expected.number_of_edges() - touching
        assert page.get_attribute("#stats", "data-shown-nodes") == str(expected.number_of_nodes() - len(statements))
        page.check('#filters input[data-type="Statement"]')
        assert page.locator("#graph g.node:not(.hidden)").count() == expected.number_of_nodes()
        assert problems == []
    finally:
        page.close()


def test_viz_page_of_an_entity_neighbourhood(browser, seed_store: Path, tmp_path: Path) -> None:
    html = tmp_path / "ukraine.html"
    graph = geokg.api.viz(html, geokg.Settings.from_env(store=seed_store), entity="Ukraine", view="actors")
    page, problems = open_page(browser, html)
    try:
        assert page.locator("#graph g.node").count() == graph.number_of_nodes() > 0
        assert page.locator("#graph g.edge").count() == graph.number_of_edges()
        assert problems == []
    finally:
        page.close()
