"""Typed errors and the coded message catalogue.

Library code raises these; only ``cli.main`` prints them and picks an exit code.
Codes: GK1xx ingest, GK2xx extraction, GK3xx RDF/validation, GK4xx store,
GK5xx queries, GK6xx export/push, GK7xx training, GK9xx configuration and resources.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path


class GeokgError(Exception):
    """Base class: every error geokg raises on purpose carries a stable code."""

    code = "GK000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class GeokgWarning(UserWarning):
    """Recoverable oddities: an unlinked mention, a date that cannot be resolved."""


def _where(path: str | Path | None, line: int | None = None) -> str:
    if path is None:
        return ""
    return f"{path}:{line}: " if line else f"{path}: "


class IngestError(GeokgError):
    """An input file or record cannot be read as an article.

    Codes: GK101 not readable as an article (format, encoding, binary, no text),
    GK102 too large, GK103 date outside the accepted range, GK104 an article id
    already read in this build with a different text, GK105 the file cannot be
    read (vanished, no permission, not a regular file).
    """

    code = "GK101"

    def __init__(
        self,
        path: str | Path,
        problem: str,
        line: int | None = None,
        *,
        code: str | None = None,
        article_id: str | None = None,
    ) -> None:
        self.path, self.line, self.problem = str(path), line, problem
        self.article_id = article_id
        if code is not None:
            self.code = code
        super().__init__(f"{_where(path, line)}{problem}")


class ExtractionError(GeokgError):
    code = "GK201"

    def __init__(self, article_id: str, problem: str) -> None:
        self.article_id = article_id
        super().__init__(f"article {article_id}: {problem}")


class TrainingDataError(GeokgError):
    """A training file that cannot be used (``geokg train``): names the file, line and problem."""

    code = "GK701"

    def __init__(self, path: str | Path, line: int, problem: str) -> None:
        super().__init__(f"{path}:{line}: {problem}")


class ShapesError(GeokgError):
    """The SHACL shapes themselves cannot be loaded (not a data violation)."""

    code = "GK301"


class StoreError(GeokgError):
    code = "GK401"

    def __init__(self, path: str | Path, problem: str) -> None:
        self.path = str(path)
        super().__init__(f"store {path}: {problem}")


class QueryNotFoundError(GeokgError):
    code = "GK501"

    def __init__(self, name: str, available: Iterable[str]) -> None:
        self.name, self.available = name, sorted(available)
        super().__init__(f"no stored query {name!r}. Available: {', '.join(self.available)}")


class QuerySyntaxError(GeokgError, SyntaxError):
    """A SPARQL text does not parse; carries file, line and column like SyntaxError."""

    code = "GK502"

    def __init__(self, path: str, problem: str, line: int | None = None, column: int | None = None) -> None:
        GeokgError.__init__(self, f"{path}:{line or '?'}:{column or '?'}: {problem}")
        self.filename, self.lineno, self.offset, self.problem = path, line, column, problem


class QueryParameterError(GeokgError):
    code = "GK503"

    def __init__(self, query: str, name: str, problem: str) -> None:
        self.query, self.name = query, name
        super().__init__(f"query {query!r}, parameter {name!r}: {problem}")


class QueryRefusedError(GeokgError):
    """A query geokg will not run as asked: SERVICE without ``--allow-service``."""

    code = "GK504"

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        super().__init__(f"{source}: {problem}")


class QueryRunError(GeokgError):
    """A query that parsed failed while it ran (a SERVICE endpoint answered what does not parse)."""

    code = "GK505"

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        super().__init__(f"{source}: the query failed while running: {problem}")


class NameNotFoundError(GeokgError):
    """A value for a country, commodity, person or other entity that names nothing in the store
    (:mod:`geokg.resolve`); ``suggestions`` are up to three close labels."""

    code = "GK507"

    def __init__(self, what: str, value: str, suggestions: Iterable[str], *, where: str = "") -> None:
        self.what, self.value, self.suggestions, self.where = what, value, list(suggestions), where
        self.hint = ""
        super().__init__(self._text())

    def add_hint(self, hint: str) -> None:
        """Say what the value does name (an entity of another type), instead of suggestions."""
        self.hint, self.suggestions = hint, []
        self.message = self._text()
        self.args = (self.message,)

    def _text(self) -> str:
        text = f"{self.where}: " if self.where else ""
        text += f"no {self.what} matches {self.value!r}"
        if self.hint:
            text += f" ({self.hint})"
        if self.suggestions:
            *first, last = self.suggestions
            text += f"; did you mean {', '.join(first) + ' or ' if first else ''}{last}?"
        elif not self.hint:
            codes = " and ISO codes" if self.what in ("country", "entity") else ""
            text += f" (compared with the names, other names{codes} of every {self.what} in the store)"
        return text


class AmbiguousNameError(GeokgError):
    """A value that names several entities with different labels, none singled out by the articles."""

    code = "GK508"

    def __init__(self, what: str, value: str, candidates: Iterable[str], *, where: str = "") -> None:
        self.what, self.value, self.candidates, self.where = what, value, list(candidates), where
        shown = ", ".join(self.candidates[:10]) + (", …" if len(self.candidates) > 10 else "")
        super().__init__(
            f"{where + ': ' if where else ''}{value!r} names more than one {what} in the store: "
            f"{shown}. Give one of these names"
        )


class RequestRefusedError(GeokgError):
    """``geokg serve`` refused an HTTP request: a Host that does not name the server, a write
    from another origin, a body without a length (the answer is 403, 411 or 413)."""

    code = "GK506"


class ExportError(GeokgError):
    code = "GK601"

    def __init__(self, path: str | os.PathLike[str], problem: str) -> None:
        self.path = str(path)
        super().__init__(f"{path}: {problem}")


class PushError(GeokgError):
    code = "GK602"

    def __init__(self, endpoint: str, graph: str, problem: str, status: int | None = None) -> None:
        self.endpoint, self.graph, self.status, self.problem = endpoint, graph, status, problem
        super().__init__(f"push of {graph} to {endpoint} failed: {problem}")


class ConfigError(GeokgError):
    code = "GK901"

    def __init__(self, option: str, value: object, allowed: Iterable[str] | str) -> None:
        self.option, self.value = option, value
        hint = allowed if isinstance(allowed, str) else f"It must be in: {', '.join(allowed)}"
        super().__init__(f"{option}={value!r} is not valid. {hint}")


class ResourceNotFoundError(GeokgError):
    code = "GK902"

    def __init__(self, kind: str, tried: Iterable[str]) -> None:
        self.kind, self.tried = kind, list(tried)
        super().__init__(
            f"cannot find the {kind}/ folder. Looked in: {', '.join(self.tried)}. "
            "Set GEOKG_RESOURCES to the folder that holds ontology/, shapes/ and queries/"
        )


class RemoteError(GeokgError):
    """A remote SPARQL endpoint cannot be reached or refuses a query."""

    code = "GK603"

    def __init__(self, endpoint: str, problem: str, status: int | None = None) -> None:
        self.endpoint, self.status = endpoint, status
        super().__init__(f"endpoint {endpoint}: {problem}")
