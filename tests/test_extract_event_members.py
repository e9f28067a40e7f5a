"""``geokg.extract.event_members.T`` declares, for mypy only, the ``EventType`` members the
rules name; each must be a member of the registry's ``EventType``."""

from __future__ import annotations

import ast
from pathlib import Path

import geokg.extract.event_members as event_members
from geokg.model import EventType


def _declared() -> list[str]:
    tree = ast.parse(Path(event_members.__file__).read_text(encoding="utf-8"))
    [declaration] = [node for node in ast.walk(tree) if isinstance(node, ast.ClassDef) and node.name == "T"]
    return [n.target.id for n in declaration.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)]


def test_extract_event_members_declares_registry_members() -> None:
    declared = _declared()
    assert declared, "no members declared on T"
    assert [name for name in declared if name not in EventType.__members__] == []


def test_extract_event_members_is_event_type_at_run_time() -> None:
    assert event_members.T is EventType
