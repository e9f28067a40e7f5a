"""Remote triple stores over HTTP: authentication, and queries with the SPARQL 1.1 Protocol.

:class:`HttpClient` is the one place geokg talks HTTP to a triple store (queries
here, Graph Store PUTs in :mod:`geokg.push`). It sends basic, digest or bearer
authentication; with ``auth="auto"`` the first 401 challenge picks basic or digest
and the choice is kept for the rest of the session.

:func:`run_remote` sends a query (https://www.w3.org/TR/sparql11-protocol/) and
turns the JSON results into the same :class:`~geokg.queries.QueryResult` as a
local query, so ``--format table|csv|json`` print the same way. A stored query
is sent as the local store runs it: its text with the parameters bound as terms
by a leading ``VALUES`` block (:func:`geokg.queries.with_values`), parsed locally
before it leaves the machine. When the endpoint is a ``geokg serve`` (``…/query``
beside ``GET …/queries/NAME``), :func:`run_remote_query` asks for the stored query
by name instead, so that the server runs the form of it made for its engine
(``queries/plans/oxigraph/``); a plain SPARQL endpoint, which has no such path, gets
the text.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.parse
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox
import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from geokg.credentials import Credentials
from geokg.errors import ConfigError, QueryParameterError, RemoteError
from geokg.queries import (
    QueryResult,
    StoredQuery,
    bind_params,
    check_page,
    get_query,
    paged,
    parse_read_only,
    to_python,
    with_values,
)
from geokg.sparql_text import with_prefix_declarations
from geokg.store import OxTerm

__all__ = ["Credentials", "HttpClient", "run_remote", "run_remote_query"]

log = logging.getLogger("geokg.remote")

JSON_RESULTS = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"


def _challenge_scheme(header: str) -> str | None:
    """The scheme a ``WWW-Authenticate`` header asks for: digest wins over basic."""
    schemes = {part.strip().split(" ", 1)[0].lower() for part in re.split(r",\s*(?=[A-Za-z]+ )", header)}
    return "digest" if "digest" in schemes else "basic" if "basic" in schemes else None


class _Bearer(AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


class HttpClient:
    """One HTTP session to one server, with its authentication.

    Args:
        credentials: who to be; None sends no authentication.
        timeout: seconds to wait for a connection and for each response.
    """

    def __init__(self, credentials: Credentials | None = None, timeout: float = 60.0) -> None:
        self.credentials = credentials or Credentials()
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "geokg"
        #: endpoints found to have no ``GET …/queries/NAME`` (run_remote_query asks once per session)
        self.without_stored_queries: set[str] = set()
        creds = self.credentials
        self._pending_auto = False
        if creds.token:
            self.session.auth = _Bearer(creds.token)
        elif creds.user is not None:
            if creds.auth == "auto":
                self._pending_auto = True  # the first 401 challenge decides
            else:
                self.session.auth = self._auth(creds.auth)

    def _auth(self, scheme: str) -> AuthBase:
        user, password = self.credentials.user or "", self.credentials.password or ""
        return HTTPDigestAuth(user, password) if scheme == "digest" else HTTPBasicAuth(user, password)

    @property
    def scheme(self) -> str | None:
        """The authentication in use: basic, digest, bearer, or None (none, or not chosen yet)."""
        auth = self.session.auth
        if isinstance(auth, HTTPDigestAuth):
            return "digest"
        if isinstance(auth, HTTPBasicAuth):
            return "basic"
        return "bearer" if isinstance(auth, _Bearer) else None

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Send one request; raises ``requests.RequestException`` when there is no answer."""
        response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        if response.status_code == 401 and self._pending_auto:
            scheme = _challenge_scheme(response.headers.get("WWW-Authenticate", ""))
            if scheme is not None:
                log.debug("%s asks for %s authentication", url, scheme)
                self._pending_auto = False
                self.session.auth = self._auth(scheme)
                response.close()
                response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        return response

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def describe_exception(exc: requests.RequestException) -> str:
    """The useful part of a connection error ("[Errno 111] Connection refused", "read timed out").

    Example:
        >>> describe_exception(requests.ConnectionError("Max retries exceeded (Caused by "
        ...     "NewConnectionError('...: Failed to establish a new connection: [Errno 111] Connection refused'))"))
        'ConnectionError: [Errno 111] Connection refused'
    """
    text = str(exc)
    errno = re.search(r"\[Errno -?\d+\] [^'\")]+", text)
    return f"{type(exc).__name__}: {errno.group() if errno else text[-200:]}"


def describe_failure(response: requests.Response) -> str:
    """``HTTP 401 Unauthorized: first line of the body`` (HTML tags dropped), for error messages."""
    text = re.sub(r"<[^>]+>", " ", response.text[:2000])
    detail = " ".join(text.split())[:300]
    problem = f"HTTP {response.status_code} {response.reason or ''}".rstrip()
    if response.status_code == 401:
        problem += " (check --user/--password or --token, and --auth)"
    return problem + (f": {detail}" if detail else "")


def _form(text: str, source: str, prefixes: Mapping[str, str] | None) -> str:
    """Parse ``text`` locally (an empty store): 'select', 'ask' or 'graph'; reject updates."""
    result = parse_read_only(source, text, "geokg sends read-only queries (SELECT, ASK, CONSTRUCT, DESCRIBE)", prefixes)
    if isinstance(result, ox.QuerySolutions):
        return "select"
    return "ask" if isinstance(result, ox.QueryBoolean) else "graph"


# -- running -----------------------------------------------------------------
def run_remote(
    endpoint: str,
    text: str,
    *,
    client: HttpClient | None = None,
    method: str = "POST",
    source: str = "<sparql>",
    title: str = "",
    prefixes: Mapping[str, str] | None = None,
) -> QueryResult | bool:
    """Run a read-only query at a SPARQL 1.1 Protocol endpoint.

    SELECT gives rows (``application/sparql-results+json``), ASK a bool,
    CONSTRUCT/DESCRIBE triples as rows (N-Triples), like :func:`geokg.queries.run_sparql`.

    Args:
        endpoint: the query URL, e.g. ``http://127.0.0.1:7878/query``.
        text: the query (parsed locally first: syntax errors never leave the machine).
        client: session and authentication (a fresh one without credentials by default).
        method: ``POST`` (form-encoded, the default) or ``GET``.
        prefixes: prefix -> namespace the text may use without a PREFIX line; the
            server knows none of them, so the ones used are declared in the text sent.

    Raises:
        QuerySyntaxError: the text does not parse, or is an update.
        RemoteError: no answer, a non-2xx answer, or results that cannot be read.
    """
    if method not in ("GET", "POST"):
        raise ConfigError("method", method, ("GET", "POST"))
    form = _form(text, source, prefixes)
    if prefixes:
        text = with_prefix_declarations(text, prefixes)
    accept = N_TRIPLES if form == "graph" else JSON_RESULTS
    own = client is None
    client = client or HttpClient()
    try:
        payload = {"params": {"query": text}} if method == "GET" else {"data": {"query": text}}
        response = client.request(method, endpoint, headers={"Accept": accept}, **payload)
    except requests.RequestException as exc:
        raise RemoteError(
            endpoint, f"cannot reach the endpoint ({describe_exception(exc)}); is the server running?"
        ) from exc
    finally:
        if own:
            client.close()
    if not response.ok:
        raise RemoteError(endpoint, describe_failure(response), status=response.status_code)
    if form == "graph":
        try:
            triples = list(ox.parse(response.content, ox.RdfFormat.N_TRIPLES))
        except SyntaxError as exc:
            raise RemoteError(endpoint, f"the answer is not N-Triples ({exc})") from exc
        return QueryResult(
            ("subject", "predicate", "object"),
            [(to_python(t.subject), to_python(t.predicate), to_python(t.object)) for t in triples],
        )
    return _read_results(endpoint, response, form, title)


def _read_results(endpoint: str, response: requests.Response, form: str, title: str) -> QueryResult | bool:
    """The SPARQL JSON results of a SELECT (rows) or an ASK (a bool) in ``response``."""
    try:
        document = response.json()
    except (ValueError, RecursionError) as exc:
        kind = response.headers.get("Content-Type", "?")
        raise RemoteError(endpoint, f"the answer is not SPARQL JSON results (Content-Type {kind})") from exc
    try:
        if form == "ask":
            answer = _object(document, "the answer").get("boolean")
            if not isinstance(answer, bool):
                raise ValueError('"boolean" is not true or false')
            return answer
        columns, bindings = _solutions(document)
        rows = [tuple(to_python(_json_term(binding.get(c))) for c in columns) for binding in bindings]
    except (KeyError, TypeError, ValueError) as exc:
        raise RemoteError(endpoint, f"cannot read the JSON results ({exc})") from exc
    return QueryResult(columns, rows, title)


def run_remote_query(
    endpoint: str,
    query: str | StoredQuery,
    params: Mapping[str, object] | None = None,
    *,
    client: HttpClient | None = None,
    method: str = "POST",
    limit: int | None = None,
    offset: int = 0,
) -> QueryResult:
    """Run a stored query at an endpoint, parameters bound as terms (:func:`geokg.queries.with_values`),
    one page of it with ``limit`` and ``offset`` as for :func:`geokg.queries.run_query`.

    Raises:
        QueryParameterError: also for a literal holding ``\\u`` or ``\\U``, which some SPARQL
            parsers decode before parsing, so the endpoint could read another value.
    """
    stored = get_query(query) if isinstance(query, str) else query
    check_page(limit, offset)
    bindings = bind_params(stored, params)
    for name, term in bindings.items():
        if isinstance(term, ox.Literal) and re.search(r"\\[uU]", term.value):
            raise QueryParameterError(
                stored.name,
                name,
                "a value sent to an endpoint may not contain '\\u' or '\\U' (SPARQL decodes these before parsing)",
            )
    page = None if limit is None else limit + 1
    own = client is None
    client = client or HttpClient()
    try:
        by_name = _run_by_name(endpoint, stored, bindings, client, page, offset)
        if by_name is None:  # a plain SPARQL endpoint: the text, as the local store runs it
            text = paged(with_values(stored.text, bindings), page, offset)
            answer = run_remote(
                endpoint, text, client=client, method=method, source=str(stored.path), title=stored.title
            )
        else:
            answer = by_name
    finally:
        if own:
            client.close()
    assert isinstance(answer, QueryResult)  # a stored query is a SELECT (checked when loaded)
    more = limit is not None and len(answer.rows) > limit
    return QueryResult(
        answer.columns, answer.rows[:limit] if more else answer.rows, answer.title, offset=offset, more=more
    )


def _run_by_name(
    endpoint: str,
    stored: StoredQuery,
    bindings: Mapping[str, OxTerm],
    client: HttpClient,
    limit: int | None,
    offset: int,
) -> QueryResult | None:
    """The stored query run by a ``geokg serve`` endpoint as ``GET …/queries/NAME`` (the form for
    its engine, the parameters bound there as here), or None when the endpoint has no such path:
    it does not end in ``/query``, or answers that path with an error that is not geokg's
    (``[GKnnn]``) or with something else than SPARQL JSON results, or it lacks the query."""
    if not endpoint.endswith("/query") or endpoint in client.without_stored_queries:
        return None
    fields = {name: term.value for name, term in bindings.items()}  # the server binds them as bind_params did
    if fields.keys() & {"limit", "offset"}:
        return None  # a parameter the server would read as the page
    if limit is not None:
        fields["limit"] = str(limit)
    if offset:
        fields["offset"] = str(offset)
    url = f"{endpoint[: -len('/query')]}/queries/{urllib.parse.quote(stored.name)}"
    try:
        response = client.request("GET", url, params=fields, headers={"Accept": JSON_RESULTS})
    except requests.RequestException as exc:
        raise RemoteError(
            endpoint, f"cannot reach the endpoint ({describe_exception(exc)}); is the server running?"
        ) from exc
    kind = response.headers.get("Content-Type", "").split(";")[0].strip()
    if response.ok and kind == JSON_RESULTS:
        log.debug("%s ran %s by name", endpoint, stored.name)
        return _read_results(url, response, "select", stored.title)  # type: ignore[return-value]
    geokg = not response.ok and response.text.startswith("[GK")
    if geokg and response.status_code != 404:
        raise RemoteError(url, describe_failure(response), status=response.status_code)
    if geokg:  # a geokg serve that lacks this query (another version): it runs the text all the same
        log.debug("%s has no stored query %s: sending the text", endpoint, stored.name)
    else:
        log.debug("%s has no stored queries (HTTP %s): sending the text", endpoint, response.status_code)
        client.without_stored_queries.add(endpoint)
    return None


def _object(value: object, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{what} is a JSON {type(value).__name__.replace('dict', 'object')}, not an object")
    return value


def _solutions(document: object) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """The variables and bindings of SPARQL JSON results; ValueError naming the part that is wrong.

    Example:
        >>> _solutions({"head": {"vars": ["s"]}, "results": {"bindings": [["a"]]}})
        Traceback (most recent call last):
        ...
        ValueError: results.bindings[0] is a JSON list, not an object
    """
    answer = _object(document, "the answer")
    variables = _object(answer.get("head"), "head").get("vars")
    if not isinstance(variables, list) or not all(isinstance(v, str) for v in variables):
        raise ValueError("head.vars is not a list of variable names")
    bindings = _object(answer.get("results"), "results").get("bindings")
    if not isinstance(bindings, list):
        raise ValueError(f"results.bindings is a JSON {type(bindings).__name__.replace('dict', 'object')}, not a list")
    return tuple(variables), [_object(b, f"results.bindings[{i}]") for i, b in enumerate(bindings)]


def _json_term(value: Mapping[str, Any] | None) -> OxTerm | None:
    """A SPARQL JSON results term as a pyoxigraph term (``typed-literal`` is Virtuoso's older spelling)."""
    if value is None:
        return None
    term = _object(value, "a bound value")
    kind, lexical = term.get("type"), term.get("value")
    if not isinstance(lexical, str):
        raise ValueError(f'a bound value has no string "value": {json.dumps(term)[:80]}')
    if kind == "uri":
        return ox.NamedNode(lexical)
    if kind == "bnode":
        return ox.BlankNode(lexical)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in value:
            return ox.Literal(lexical, language=value["xml:lang"])
        if "datatype" in value:
            return ox.Literal(lexical, datatype=ox.NamedNode(value["datatype"]))
        return ox.Literal(lexical)
    raise ValueError(f"unknown term type {kind!r}")
