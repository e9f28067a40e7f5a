"""geokg: news articles in, a validated knowledge graph of geopolitics and commodities out.

Example:
    >>> import geokg
    >>> [name for name in geokg.__all__ if name in ("build", "query", "validate")]
    ['build', 'query', 'validate']
"""

__version__ = "0.1.0"

from geokg.api import BuildSummary, build, entities, export, push, query, replica, sparql, validate  # noqa: E402
from geokg.settings import Settings  # noqa: E402
from geokg.viz import to_networkx  # noqa: E402

__all__ = ["BuildSummary", "Settings", "build", "entities", "export", "push", "query", "replica", "sparql",
           "to_networkx", "validate", "__version__"]
