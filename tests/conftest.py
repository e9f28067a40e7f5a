"""The only conftest: shared fixtures, hypothesis profiles, command-line flags."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
DATA = Path(__file__).resolve().parent / "data"

settings.register_profile("dev", max_examples=30, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
# CI draws more examples from a fixed seed: a red run replays the same with HYPOTHESIS_PROFILE=ci,
# while local runs ("dev") keep drawing fresh ones.
settings.register_profile("ci", max_examples=100, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/data/golden/*.ttl from the actual output")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the checkout; tests that need it skip when it is absent."""
    if not SHARED.is_dir():
        pytest.skip(f"evaluation data not found at {SHARED} (it lives beside the repository)")
    return SHARED


def require_system(what: str, reason: str) -> None:
    """Skip a test whose system dependency is missing, or fail it in CI.

    ``.ci/run`` installs the Debian packages (``make system-deps``) and sets
    ``GEOKG_REQUIRE_SYSTEM_DEPS=1``, so there a missing dependency is an error,
    never a silent skip.
    """
    message = f"{what} is not available: {reason} (make system-deps installs it)"
    if os.environ.get("GEOKG_REQUIRE_SYSTEM_DEPS") == "1":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return ROOT / "seeds"


@pytest.fixture(scope="session")
def seed_store(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """``seeds/`` built once per session with the trained pipeline (slow tests only); read it, never write."""
    import geokg

    path = tmp_path_factory.mktemp("seed-store") / "seeds.db"
    summary = geokg.build([seeds_dir], geokg.Settings.from_env(store=path))
    assert summary.ok and summary.articles, summary
    return path


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory):
    """A real ``oxigraph serve`` on 127.0.0.1 (integration tests): yields its base URL.

    The binary comes from the ``oxigraph`` test extra (PATH, else next to the
    interpreter). The server is started on a free port, polled until it answers,
    and terminated by its process handle afterwards.
    """
    import shutil
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    exe = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(exe).is_file():
        pytest.skip("the oxigraph server binary is not installed (pip install oxigraph)")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    location = tmp_path_factory.mktemp("oxigraph-server")
    log = (location.parent / "oxigraph-server.log").open("wb")
    process = subprocess.Popen([exe, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                pytest.fail(f"oxigraph serve exited with {process.returncode}; see {log.name}")
            try:
                with urllib.request.urlopen(f"{url}/query?query=ASK%7B%7D", timeout=1):
                    break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not answer on {url} within 30 s")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def free_port() -> int:
    """A TCP port nobody listens on at the moment, on 127.0.0.1."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Stored-query columns made with GROUP_CONCAT, whose order SPARQL leaves undefined (Oxigraph's
# in-memory and on-disk stores, and Virtuoso, concatenate in different orders).
CONCATENATED = {"rankings": {"rankedAfter"}, "outlets-per-event": {"outlets", "articleIds"},
                "event-reports": {"outlets", "commodities", "articles"}, "timeline": {"articles"},
                "entities": {"aliases", "variants"}}


def concatenations_as_sets(name: str, columns: tuple[str, ...], rows: list[tuple]) -> list[tuple]:
    """``rows`` of the stored query ``name`` with each GROUP_CONCAT cell as the set of its parts."""
    concatenated = CONCATENATED.get(name, set())
    return [tuple(frozenset(str(v).split(", ")) if c in concatenated and v is not None else v
                  for c, v in zip(columns, row)) for row in rows]


def write_articles(folder: Path, articles: dict[str, str]) -> Path:
    """Write each text of ``articles`` to NAME.txt in ``folder`` (made when missing); return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in articles.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return folder


def all_pages(store, name: str, size: int) -> list[tuple]:
    """Every row of the stored query ``name``, read ``size`` rows at a time, each page from the cursor of the last."""
    from geokg.queries import run_query

    pages, cursor = [], None
    while True:
        page = run_query(store, name, limit=size, cursor=cursor)
        pages += page.rows
        if not page.more:
            return pages
        cursor = page.cursor
