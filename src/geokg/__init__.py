"""geokg: news articles in, a validated knowledge graph of geopolitics and commodities out.

The public names load on first use (PEP 562), so ``import geokg`` and ``geokg --help``
import no spaCy, rdflib, pySHACL or networkx; ``geokg.build`` loads what a build needs.

Example:
    >>> import geokg
    >>> [name for name in geokg.__all__ if name in ("build", "query", "validate")]
    ['build', 'query', 'validate']
    >>> geokg.validate.__module__
    'geokg.api'
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_EXPORTS = {
    **dict.fromkeys(
        ["BuildSummary", "build", "entities", "export", "push", "query", "replica", "sparql", "validate"], "geokg.api"
    ),
    "Settings": "geokg.settings",
    "to_networkx": "geokg.viz",
}

__all__ = [
    "BuildSummary",
    "Settings",
    "build",
    "entities",
    "export",
    "push",
    "query",
    "replica",
    "sparql",
    "to_networkx",
    "validate",
    "__version__",
]

if TYPE_CHECKING:
    from geokg.api import BuildSummary, build, entities, export, push, query, replica, sparql, validate
    from geokg.settings import Settings
    from geokg.viz import to_networkx


def __getattr__(name: str) -> Any:
    """A public name, or a submodule (``geokg.store``), imported when first asked for."""
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    if not name.startswith("__"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(ModuleType):
    """The package module: ``geokg.validate``, ``geokg.export`` and ``geokg.push`` stay the verbs.

    Importing a submodule sets it as an attribute of its package, and three submodules share
    a verb's name: the first ``geokg.validate`` module import would otherwise hide the verb.
    The modules stay importable by their dotted names (``from geokg.validate import …``).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _EXPORTS and isinstance(value, ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
