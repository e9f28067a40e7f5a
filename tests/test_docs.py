"""Docs stay in step with the code (sqlite-utils ``test_docs.py`` style).

Query headers (title/description) are checked in ``test_queries.py``.
"""

from __future__ import annotations

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


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_appears_in_the_readme(name: str) -> None:
    assert f"geokg {name}" in _readme(), f"README.md never shows `geokg {name}`"


def test_readme_quick_start_make_targets_exist() -> None:
    targets = set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M))
    wanted = re.findall(r"\bmake\s+([A-Za-z0-9_-]+)", _quick_start(_readme()))
    assert {"demo", "test"} <= set(wanted), f"README quick start should show `make demo` and `make test`: {wanted}"
    missing = sorted(set(wanted) - targets)
    assert not missing, f"README quick start uses make targets the Makefile lacks: {missing}"
