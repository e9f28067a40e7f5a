"""The installed entry points in a real process: wiring, exit codes, stdout vs stderr."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from geokg import __version__

pytestmark = pytest.mark.integration

CHILE = "date 2024-06-12 Chile offered to sell copper to Japan on Monday, Reuters reports.\n"


def geokg(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "geokg", *map(str, args)], capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def built_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("subprocess-input")
    (folder / "chile.txt").write_text(CHILE, encoding="utf-8")
    store = tmp_path_factory.mktemp("subprocess-store") / "geokg.db"
    done = geokg("build", folder, "--store", store)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "articles loaded: 1" in done.stdout.splitlines()  # the summary is a result: stdout
    assert "articles loaded" not in done.stderr  # the progress bar goes to stderr
    return store


def test_module_help() -> None:
    done = geokg("--help")
    assert done.returncode == 0, done.stderr
    assert "Usage: geokg" in done.stdout
    for name in ("build", "query", "sparql", "validate", "export", "push"):
        assert name in done.stdout
    assert done.stderr == ""


@pytest.mark.slow
def test_unknown_query_exits_2_with_the_error_on_stderr_only(built_store: Path) -> None:
    done = geokg("query", "nope", "--store", built_store)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("Error: [GK501] no stored query 'nope'. Available: ")
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.slow
def test_query_results_on_stdout(built_store: Path) -> None:
    done = geokg("query", "offers", "--store", built_store, "--format", "csv")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].startswith("article,agent,commodity,recipient")
    assert "Chile,Copper,Japan" in done.stdout


def test_usage_error_exits_2() -> None:
    done = geokg("query", "offers", "--param", "commodity")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "is not KEY=VALUE" in done.stderr


def test_validate_violations_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix gk: <https://w3id.org/geokg/ontology#> .\n"
                   "<https://w3id.org/geokg/id/event/x-1> a gk:Event .\n", encoding="utf-8")
    done = geokg("validate", bad)
    assert done.returncode == 1, done.stderr
    assert "violation(s):" in done.stdout


def test_console_script_version() -> None:
    script = Path(sys.executable).with_name("geokg")
    if not script.is_file():
        pytest.skip(f"no geokg console script next to {sys.executable} (package not installed)")
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"geokg, version {__version__}"


def test_build_progress_bar_on_a_terminal_shows_the_total_rate_and_eta(tmp_path: Path) -> None:
    """On a terminal the bar knows the total from a cheap count (JSON Lines lines), so it shows an ETA."""
    import fcntl
    import json
    import pty
    import re
    import struct
    import termios

    records = tmp_path / "news.jsonl"
    records.write_text("".join(json.dumps({"id": f"n{i}", "date": "2024-06-12", "text": CHILE[16:]}) + "\n"
                               for i in range(3)), encoding="utf-8")
    controller, terminal = pty.openpty()  # stderr is a terminal, as for a user at a shell
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))  # a new pty is 0 columns wide
    process = subprocess.Popen([sys.executable, "-m", "geokg", "build", str(records), "--store", str(tmp_path / "db")],
                               stdout=subprocess.PIPE, stderr=terminal, env=os.environ.copy())
    os.close(terminal)
    shown = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        shown += chunk
    os.close(controller)
    out, _ = process.communicate(timeout=300)
    assert process.returncode == 0, out
    frames = [f for f in shown.decode("utf-8", "replace").strip().split("\r") if f]
    assert re.search(r"articles: +0%.* 0/3 \[00:00<\?", frames[0]), frames  # the total is known before reading
    rate = r"[\d.]+(?: article/s|s/ article)"  # tqdm inverts the rate below one article a second
    assert re.search(rf"articles: 100%.* 3/3 \[\d\d:\d\d<00:00, +{rate}\]", frames[-1]), frames
