"""The one place that knows where ontology/, shapes/, queries/ and seeds/ live.

Order: an explicit override (argument, then ``GEOKG_RESOURCES``), the copy
packaged in the wheel (``geokg/_resources``), then the checkout this module
sits in (the first parent holding ``pyproject.toml`` and the folder).

``seeds/`` (the article ``geokg demo`` builds) is not packaged: its text belongs to
its publisher. An installed geokg finds it through ``GEOKG_RESOURCES`` or a checkout.
"""

from __future__ import annotations

import os
from functools import cache
from importlib import resources as _ir
from pathlib import Path

from geokg.errors import ResourceNotFoundError

KINDS = ("ontology", "shapes", "queries", "seeds")


def resource_dir(kind: str, override: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder holding resources of ``kind``.

    Example:
        >>> resource_dir("queries").name
        'queries'
    """
    if kind not in KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; expected one of {KINDS}")
    return _resolve(kind, str(override or os.environ.get("GEOKG_RESOURCES") or ""))


@cache
def _resolve(kind: str, override: str) -> Path:
    tried: list[str] = []
    if override:
        candidate = Path(override) / kind
        if candidate.is_dir():
            return candidate
        tried.append(str(candidate))
    packaged = _ir.files("geokg") / "_resources" / kind
    if packaged.is_dir():
        return Path(str(packaged))
    tried.append(str(packaged))
    for parent in Path(__file__).resolve().parents:
        if (parent / "pyproject.toml").is_file() and (parent / kind).is_dir():
            return parent / kind
    tried.append("the checkout around " + str(Path(__file__).resolve().parent))
    raise ResourceNotFoundError(kind, tried)


def ontology_files() -> list[Path]:
    """The ontology itself: ``ontology/*.ttl`` (reference data excluded), sorted."""
    return sorted(resource_dir("ontology").glob("*.ttl"))


def reference_files() -> list[Path]:
    """Reference data: ``ontology/reference/*.ttl``, sorted."""
    return sorted((resource_dir("ontology") / "reference").glob("*.ttl"))


def shape_files() -> list[Path]:
    return sorted(resource_dir("shapes").glob("*.ttl"))


def query_files() -> list[Path]:
    return sorted(resource_dir("queries").glob("*.rq"))
