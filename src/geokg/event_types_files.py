"""The parts of the ontology, the shapes and MAPPING.md written from the event-type registry.

``ontology/geokg.ttl``, ``shapes/geokg-shapes.ttl`` and ``ontology/MAPPING.md`` are contracts
that people read and that tools (Protégé, pySHACL, a user's triple store) load as they are, so
the event types are written into them rather than added at run time: each holds one block
between a ``BEGIN generated from geokg.event_types`` line and an ``END`` line, rewritten from
:data:`geokg.event_types.EVENT_TYPES` and never edited by hand. ``tests/test_event_types.py``
fails while a block is stale and names the command that rewrites it::

    python -m geokg.event_types_files --check   # exit 1 and the stale files, else 0
    python -m geokg.event_types_files --write   # rewrite the stale blocks in place

The blocks hold, per type: its OWL class (label, comment) and its place in the disjointness
axiom; its member of the shape that allows one event class per event, and a shape holding
``gk:status`` to the type's status values; its row (family, statuses, direction, grouping) in
the table of event types.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from geokg import resources
from geokg.event_types import EVENT_TYPES, FAMILIES, GROUPINGS

__all__ = ["BLOCKS", "Block", "main", "stale", "write"]

COMMAND = "python -m geokg.event_types_files --write"
_MARK = "generated from geokg.event_types"
_WIDTH = 100


@dataclass(frozen=True, slots=True)
class Block:
    """A generated block: the resource folder and file it sits in, and how it is written."""

    kind: str
    file: str
    comment: tuple[str, str]  # what opens and closes a marker line in this file
    render: Callable[[], str]

    def path(self, root: str | Path | None = None) -> Path:
        return resources.resource_dir(self.kind, root) / self.file

    def markers(self) -> tuple[str, str]:
        start, end = self.comment
        begin = f"{start} BEGIN {_MARK}: edit the registry, then run `{COMMAND}`{end}"
        return begin, f"{start} END {_MARK}{end}"

    def replace(self, text: str, path: Path) -> str:
        """``text`` with the block between its markers rewritten from the registry.

        Raises:
            ValueError: the file lacks a marker line, or holds one twice.
        """
        begin, end = self.markers()
        lines = text.splitlines(keepends=True)
        where = {}
        for marker in (begin, end):
            found = [n for n, line in enumerate(lines) if line.rstrip("\n") == marker]
            if len(found) != 1:
                raise ValueError(
                    f"{path}: expected the line {marker!r} once, found it {len(found)} times; "
                    f"put the BEGIN and END lines around the event types, then run `{COMMAND}`"
                )
            where[marker] = found[0]
        if where[begin] > where[end]:
            raise ValueError(f"{path}: the END line of the generated event types comes before its BEGIN line")
        return "".join(lines[: where[begin] + 1]) + self.render() + "".join(lines[where[end] :])


def _string(text: str) -> str:
    """A Turtle string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _wrapped(items: Iterable[str], opening: str, indent: str, closing: str) -> str:
    """``opening``, the items separated by spaces and wrapped at the page width, ``closing``."""
    lines, line = [], opening
    for item in items:
        if len(line) + 1 + len(item) > _WIDTH and line != opening:
            lines.append(line)
            line = indent + item
        else:
            line += " " + item
    return "\n".join([*lines, line + closing]) + "\n"


def _classes() -> list[str]:
    return [f"gk:{spec.name}" for spec in EVENT_TYPES]


def ontology_block() -> str:
    """The event classes of ``ontology/geokg.ttl`` and the axiom that makes them disjoint."""
    parts = [
        f"gk:{spec.name} a owl:Class ;\n"
        f"    rdfs:subClassOf gk:Event ;\n"
        f"    rdfs:label {_string(spec.label)}@en ;\n"
        f"    rdfs:comment {_string(spec.comment)}@en .\n\n"
        for spec in EVENT_TYPES
    ]
    parts.append("[] a owl:AllDisjointClasses ;\n")
    parts.append(_wrapped(_classes(), "    owl:members (", " " * 18, " ) ."))
    return "".join(parts)


def _or(values: list[str]) -> str:
    quoted = [f'"{value}"' for value in values]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else "".join(quoted)


def shapes_block() -> str:
    """The shape allowing one event class per event, and the one allowing the status values."""
    first, last = _classes()[0], _classes()[-1]
    parts = [
        "gksh:EventKind a sh:PropertyShape ;\n    sh:path rdf:type ;\n    sh:qualifiedValueShape [\n",
        _wrapped(_classes(), "        sh:in (", " " * 16, " ) ;"),
        '        sh:message "One of the event classes (never shown: see EventKind\'s own message)"\n'
        "    ] ;\n"
        "    sh:qualifiedMinCount 1 ; sh:qualifiedMaxCount 1 ;\n"
        f'    sh:message "An event is typed with exactly one of the event classes ({first} … {last}; '
        'geokg.event_types lists them) besides gk:Event" .\n',
    ]
    statuses = list(dict.fromkeys(status for spec in EVENT_TYPES for status in spec.statuses))
    parts += [
        "\ngksh:EventStatusValue a sh:PropertyShape ;\n    sh:path gk:status ;\n",
        _wrapped(map(_string, statuses), "    sh:in (", " " * 12, " ) ;"),
        f"    sh:message {_string(f'gk:status is one of the status values of the event types: {_or(statuses)}')} .\n",
    ]
    return "".join(parts)


def mapping_block() -> str:
    """The table of event types in ``ontology/MAPPING.md``, family by family."""
    rows = [
        "| class | family | `gk:status` values | `gk:direction` | one happening across articles when |\n",
        "| --- | --- | --- | --- | --- |\n",
    ]
    for family in FAMILIES:
        for spec in (s for s in EVENT_TYPES if s.family == family):
            statuses = ", ".join(f"`{status}`" for status in spec.statuses) or "none"
            rows.append(
                f"| `gk:{spec.name}` | {family} | {statuses} | {'yes' if spec.directional else ''} | "
                f"{GROUPINGS[spec.grouping]} |\n"
            )
    return "".join(rows)


BLOCKS = (
    Block("ontology", "geokg.ttl", ("#", ""), ontology_block),
    Block("shapes", "geokg-shapes.ttl", ("#", ""), shapes_block),
    Block("ontology", "MAPPING.md", ("<!--", " -->"), mapping_block),
)


def stale(root: str | Path | None = None) -> list[Path]:
    """The files whose generated block differs from the registry.

    Args:
        root: a folder holding ``ontology/`` and ``shapes/`` (else where
            :mod:`geokg.resources` finds them).
    """
    found = []
    for block in BLOCKS:
        path = block.path(root)
        text = path.read_text(encoding="utf-8")
        if block.replace(text, path) != text:
            found.append(path)
    return found


def write(root: str | Path | None = None) -> list[Path]:
    """Rewrite the stale blocks from the registry; return the files changed."""
    changed = []
    for block in BLOCKS:
        path = block.path(root)
        text = path.read_text(encoding="utf-8")
        new = block.replace(text, path)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geokg.event_types_files", description=__doc__.split("\n")[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--check", action="store_true", help="exit 1 when a generated block is stale")
    action.add_argument("--write", action="store_true", help="rewrite the stale blocks in place")
    parser.add_argument("--root", help="folder holding ontology/ and shapes/ (default: the checkout)")
    args = parser.parse_args(argv)
    if args.write:
        changed = write(args.root)
        print("\n".join(f"rewrote {path}" for path in changed) or "up to date")
        return 0
    found = stale(args.root)
    print("\n".join(f"stale: {path} (run `{COMMAND}`)" for path in found) or "up to date")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
