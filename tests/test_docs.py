"""Docs stay in step with the code (sqlite-utils ``test_docs.py`` style).

Query headers (title/description) are checked in ``test_queries.py``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest

from geokg.cli import cli

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = sorted(cli.commands)


def _readme() -> str:
    return (ROOT / "README.md").read_text(encoding="utf-8")


def _quick_start(readme: str) -> str:
    match = re.search(r"^##\s+Quick start\s*$(.*?)(?=^##\s)", readme + "\n## end\n", re.M | re.S | re.I)
    assert match, "README.md has no '## Quick start' section"
    return match.group(1)


def test_the_cli_has_the_documented_commands() -> None:
    assert set(COMMANDS) >= {"build", "query", "sparql", "validate", "export", "push"}


@pytest.mark.parametrize("name", ["<group>", *COMMANDS])
def test_every_command_has_help_with_an_example(name: str) -> None:
    command = cli if name == "<group>" else cli.commands[name]
    assert command.help, name
    assert "Example:" in command.help, f"{name}: help has no 'Example:'"
    example = command.help.split("Example:", 1)[1]
    assert "geokg " in example, f"{name}: the example does not show a geokg command line"
    with click.Context(cli) as ctx:
        assert "Example:" in command.get_help(ctx)


def command_table() -> str:
    """The README's command table, made from the CLI as ``geokg --help`` shows it: each command
    with its arguments and the first paragraph of its help. ``python tests/test_docs.py`` prints it."""
    rows = ["| command | what it does |", "| --- | --- |"]
    for name in COMMANDS:
        command = cli.commands[name]
        with click.Context(command, info_name=name) as ctx:
            arguments = [piece for piece in command.collect_usage_pieces(ctx) if piece != "[OPTIONS]"]
        usage = ["geokg", name, *arguments]
        summary = " ".join((command.help or "").split("\n\n", 1)[0].split()).replace("|", "\\|")
        rows.append(f"| `{' '.join(usage)}` | {summary} |")
    return "\n".join(rows)


def test_readme_command_table_is_made_from_the_help() -> None:
    table = command_table()
    assert table in _readme(), f"README.md's command table differs from the CLI's help; it should read:\n{table}"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_appears_in_the_readme(name: str) -> None:
    assert f"geokg {name}" in _readme(), f"README.md never shows `geokg {name}`"


def test_readme_quick_start_make_targets_exist() -> None:
    targets = set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    wanted = re.findall(r"\bmake\s+([A-Za-z0-9_-]+)", _quick_start(_readme()))
    assert {"demo", "test"} <= set(wanted), f"README quick start should show `make demo` and `make test`: {wanted}"
    missing = sorted(set(wanted) - targets)
    assert not missing, f"README quick start uses make targets the Makefile lacks: {missing}"


def _docs() -> dict[str, str]:
    """README.md and every page of docs/, keyed by their path from the repo root."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    return {page.relative_to(ROOT).as_posix(): page.read_text(encoding="utf-8") for page in pages}


def _anchor(heading: str) -> str:
    """The fragment GitHub gives a Markdown heading: lower case, punctuation dropped, spaces to '-'."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_readme_is_at_most_300_lines() -> None:
    lines = _readme().count("\n")
    assert lines <= 300, f"README.md has {lines} lines; move reference material into docs/"


@pytest.mark.parametrize("page", sorted(_docs()))
def test_relative_links_resolve(page: str) -> None:
    text = _docs()[page]
    base = (ROOT / page).parent
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z]+:", target):
            continue  # http(s):, mailto:
        path, _, fragment = target.partition("#")
        file = (base / path).resolve() if path else ROOT / page
        if not file.exists():
            broken.append(f"{target}: no file {file.relative_to(ROOT) if file.is_relative_to(ROOT) else file}")
        elif fragment and file.suffix == ".md":
            headings = re.findall(r"^#+\s+(.*?)\s*$", file.read_text(encoding="utf-8"), re.M)
            if fragment not in {_anchor(h) for h in headings}:
                broken.append(f"{target}: no heading #{fragment} in {file.relative_to(ROOT)}")
    assert not broken, f"{page}: broken links: {broken}"


def test_readme_make_targets_exist() -> None:
    targets = set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    wanted = set(re.findall(r"\bmake\s+([a-z][A-Za-z0-9_-]*)", _readme()))
    assert {"install", "demo", "test", "test-fast", "bench", "model"} <= wanted
    assert not wanted - targets, f"README.md uses make targets the Makefile lacks: {sorted(wanted - targets)}"


def test_readme_quick_start_commands_are_real() -> None:
    """Each `geokg ...` line of the quick start names a command, and only options that command has."""
    lines = re.findall(r"^geokg\s+(.*)$", _quick_start(_readme()), re.M)
    assert lines, "the quick start shows no geokg command line"
    for line in lines:
        name, *args = line.split()
        assert name in cli.commands, f"quick start: `geokg {name}` is not a command"
        known = {opt for param in cli.commands[name].params for opt in [*param.opts, *param.secondary_opts]}
        unknown = [arg for arg in args if arg.startswith("-") and arg.split("=")[0] not in known]
        assert not unknown, f"quick start: `geokg {line}` uses options `geokg {name}` lacks: {unknown}"


@pytest.mark.parametrize("name", COMMANDS)
def test_every_option_is_in_the_cli_reference(name: str) -> None:
    reference = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert f"geokg {name}" in reference, f"docs/cli.md never shows `geokg {name}`"
    options = [max(param.opts, key=len) for param in cli.commands[name].params
               if isinstance(param, click.Option) and param.opts[0] != "--help"]
    missing = [opt for opt in options if opt not in reference]
    assert not missing, f"docs/cli.md does not describe these options of `geokg {name}`: {missing}"


def test_query_contract_table_matches_the_contract() -> None:
    contract = json.loads((ROOT / "tests" / "data" / "query_contract.json").read_text(encoding="utf-8"))
    page = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    shown = {name: cols.split() for name, cols in re.findall(r"^\| `([a-z-]+)` \| `(\?[^`]+)` \|$", page, re.M)}
    expected = {name: [f"?{c}" for c in cols] for name, cols in contract.items() if not name.startswith("_")}
    assert shown == expected, "docs/queries.md's contract table differs from tests/data/query_contract.json"


def test_reliability_page_names_real_tests() -> None:
    page = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    files = list((ROOT / "tests").rglob("*.py"))
    defined = {name for path in files for name in re.findall(r"^\s*def (test_\w+)", path.read_text(encoding="utf-8"), re.M)}
    named = set(re.findall(r"\b(test_\w+)\b", page)) - {path.stem for path in files}
    missing = sorted(named - defined)
    assert not missing, f"docs/reliability.md names tests that do not exist: {missing}"


if __name__ == "__main__":
    print(command_table())
