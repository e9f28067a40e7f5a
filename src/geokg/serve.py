"""Serve the store as a SPARQL endpoint with Oxigraph's own server (the ``oxigraph`` package).

``oxigraph serve-read-only`` by default, ``oxigraph serve`` with ``allow_update``;
with ``in_memory``, ``oxigraph serve`` without a location (Oxigraph's in-memory
store) filled with a copy of the store (:func:`load_copy`): queries run faster
(docs/performance.md), the store on disk is never
written, and since Oxigraph has no read-only in-memory server, writes sent to
it change the copy only and are lost when it stops. Always
``--union-default-graph``, so queries see every named graph as the default graph, as
``geokg query`` does locally and as the stored queries expect.
The server answers SPARQL queries at ``/query``, updates at ``/update`` (only
when updates are allowed), the Graph Store Protocol at ``/store``, and its query
web page at ``/``. The gate answers ``GET /queries/NAME?PARAM=VALUE&limit=N&offset=M``
itself: the stored query ``NAME`` in the form ``geokg query`` runs on Oxigraph
(``queries/plans/oxigraph/``), its parameters bound as given (no name resolution), sent on
to ``/query``; the answer's format follows ``Accept`` as there.

Oxigraph's server answers any ``Host`` header, takes any cross-origin form
``POST`` and follows SERVICE to any address, so it listens on a private loopback
port and a small gate (:class:`Gate`) faces the bind address. The gate passes a
request on only when

* its ``Host`` names the bind address (for ``0.0.0.0`` or ``[::]``: any IP
  address), ``localhost`` for a loopback bind, or a name given with
  ``allowed_hosts``, with the bound port: a web page on a domain that rebinds
  its DNS to this machine sends its own name, and is refused (DNS rebinding);
* a write (anything but ``GET``, ``HEAD``, ``OPTIONS`` and ``POST /query``) comes
  from no other origin: a browser sends ``Origin`` (and ``Sec-Fetch-Site``) with a
  cross-origin form ``POST``, which is refused;
* a query or update has no SERVICE, unless ``allow_service``.

Refusals are ``403`` with a ``[GK5xx]`` line as the body.

Locking: a read-write server holds the store's lock, so ``geokg build`` cannot
write it meanwhile (and the server cannot start while a build runs). A read-only
server takes no lock; writing the store while it runs is undefined behaviour in
Oxigraph, and the server would keep answering from the data it opened. So every
server keeps a marker in the store folder (:func:`mark_serving`,
``geokg-serve-PID.json``: pid, bind address, mode), locked with ``flock`` for as
long as it runs, and ``geokg build`` refuses a store with a live marker
(:func:`servers`). The lock, not the pid, says whether the server still runs:
the system drops it when the process ends, however it ends, so a marker left by
a killed server is recognised (and removed) and a reused pid misleads nobody.
"""

from __future__ import annotations

import datetime as dt
import http.client
import http.server
import ipaddress
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pyoxigraph as ox

from geokg.errors import ConfigError, GeokgError, QueryNotFoundError, RequestRefusedError, StoreError
from geokg.queries import refuse_service
from geokg.settings import DEFAULT_BIND
from geokg.store import Store

try:
    import fcntl
except ImportError:  # Windows: no markers are written or checked there
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "DEFAULT_BIND",
    "oxigraph_executable",
    "server_command",
    "parse_bind",
    "start_server",
    "wait_until_up",
    "load_copy",
    "stopped_on_failure",
    "wait",
    "Gate",
    "Server",
    "private_bind",
    "mark_serving",
    "servers",
    "Serving",
    "Marker",
]

MARKER_PREFIX = "geokg-serve-"

log = logging.getLogger("geokg.serve")


def oxigraph_executable() -> str:
    """The ``oxigraph`` server binary: on PATH, else beside the running Python.

    Raises:
        ConfigError: it is not installed (``pip install 'geokg[serve]'``).
    """
    found = shutil.which("oxigraph")
    if found:
        return found
    beside = Path(sys.executable).with_name("oxigraph")
    if beside.is_file():
        return str(beside)
    raise ConfigError(
        "oxigraph",
        "not found",
        "geokg serve runs Oxigraph's server: install it with pip install 'geokg[serve]' (the oxigraph package)",
    )


def parse_bind(bind: str) -> tuple[str, int]:
    """Split ``HOST:PORT`` (IPv6 hosts in brackets).

    Example:
        >>> parse_bind("127.0.0.1:7878"), parse_bind("[::1]:80")
        (('127.0.0.1', 7878), ('[::1]', 80))
    """
    host, sep, port = bind.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ConfigError("bind", bind, "It must be HOST:PORT, e.g. 127.0.0.1:7878")
    return host, int(port)


def server_command(
    store: Path,
    bind: str = DEFAULT_BIND,
    *,
    allow_update: bool = False,
    in_memory: bool = False,
    executable: str | None = None,
) -> list[str]:
    """The command line that serves ``store`` (which must exist: build or load it first).

    With ``in_memory`` the server starts empty and in memory; :func:`load_copy` fills it.

    Example:
        >>> import tempfile
        >>> folder = Path(tempfile.mkdtemp())
        >>> server_command(folder, executable="oxigraph")[:2]
        ['oxigraph', 'serve-read-only']
        >>> server_command(folder, "127.0.0.1:8000", in_memory=True, executable="oxigraph")
        ['oxigraph', 'serve', '--bind', '127.0.0.1:8000', '--union-default-graph']
    """
    parse_bind(bind)
    if not store.is_dir():
        raise StoreError(store, "no store to serve; build or load one first")
    if in_memory:
        if allow_update:
            raise ConfigError(
                "--allow-update",
                True,
                "It cannot go with --in-memory: the writes would reach "
                "only the copy in memory and be lost when the server stops",
            )
        return [executable or oxigraph_executable(), "serve", "--bind", bind, "--union-default-graph"]
    mode = "serve" if allow_update else "serve-read-only"
    return [
        executable or oxigraph_executable(),
        mode,
        "--location",
        str(store),
        "--bind",
        bind,
        "--union-default-graph",
    ]


def start_server(command: list[str]) -> subprocess.Popen[bytes]:
    """Start the server in the background; the caller waits for it and stops it (see :func:`wait`)."""
    return subprocess.Popen(command)


def base_url(bind: str) -> str:
    """Where a client reaches a server bound to ``bind`` (an unspecified address means this machine).

    Example:
        >>> base_url("0.0.0.0:7878"), base_url("[::1]:80")
        ('http://127.0.0.1:7878', 'http://[::1]:80')
    """
    host, port = parse_bind(bind)
    host = {"0.0.0.0": "127.0.0.1", "[::]": "[::1]"}.get(host, host)
    return f"http://{host}:{port}"


def wait_until_up(process: subprocess.Popen[bytes], bind: str, timeout: float = 30.0) -> None:
    """Poll the server until it answers a query.

    Raises:
        StoreError: it exited, or did not answer within ``timeout`` seconds (the caller stops
            it: see :func:`stopped_on_failure`).
    """
    url = f"{base_url(bind)}/query?query=ASK%7B%7D"
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise StoreError(bind, f"the Oxigraph server exited with code {process.returncode} (is {bind} in use?)")
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except (urllib.error.URLError, OSError):
            if time.monotonic() > deadline:
                raise StoreError(bind, f"the Oxigraph server did not answer within {timeout:g} s") from None
            time.sleep(0.1)


def load_copy(store: Path, bind: str) -> int:
    """Copy every quad of ``store`` into the (empty, in-memory) server at ``bind``; returns how many.

    The store is dumped as N-Quads to a temporary file, which one Graph Store
    ``POST`` loads in one transaction: until it
    ends the server answers from an empty store, then from all of it.

    Raises:
        StoreError: the store cannot be read, or the server refused the data.
    """
    with tempfile.TemporaryDirectory(prefix="geokg-serve-") as folder:
        dump = Path(folder) / "store.nq"
        with Store.open(store, read_only=True) as source:
            source.dump(dump, ox.RdfFormat.N_QUADS)
            quads = len(source)
        with dump.open("rb") as body:
            request = urllib.request.Request(
                f"{base_url(bind)}/store",
                data=body,
                method="POST",
                headers={"Content-Type": "application/n-quads", "Content-Length": str(dump.stat().st_size)},
            )
            try:
                with urllib.request.urlopen(request, timeout=None):
                    pass
            except (urllib.error.URLError, OSError) as exc:
                raise StoreError(store, f"the in-memory server at {bind} did not take the copy: {exc}") from exc
    return quads


@contextmanager
def stopped_on_failure(process: subprocess.Popen[bytes]) -> Iterator[None]:
    """Stop the server if the block fails or this process is interrupted (Ctrl-C, or SIGTERM,
    which would otherwise end Python at once and leave the server running)."""

    def interrupted(*_: object) -> None:
        raise KeyboardInterrupt

    in_main_thread = threading.current_thread() is threading.main_thread()  # where signals can be set
    previous = signal.signal(signal.SIGTERM, interrupted) if in_main_thread else None
    try:
        yield
    except BaseException:
        process.terminate()
        process.wait()
        raise
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def wait(server: Server | subprocess.Popen[bytes]) -> int:
    """Wait for the server; Ctrl-C or SIGTERM stop it (never leaving it orphaned). Returns its exit code."""
    process = server.process if isinstance(server, Server) else server
    previous = signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            return process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
        if isinstance(server, Server) and server.marker is not None:
            server.marker.release()


# -- the marker a running server keeps in the store folder ---------------------
@dataclass(frozen=True)
class Serving:
    """A running ``geokg serve`` on a store, as its marker tells (:func:`servers`)."""

    pid: int
    bind: str
    #: "read-only", "read-write" or "in memory"
    mode: str
    started: str
    marker: Path


class Marker:
    """The marker file of this process's server, locked until :meth:`release` or the process ends."""

    def __init__(self, file: IO[str], path: Path) -> None:
        self.file, self.path = file, path

    def release(self) -> None:
        """Remove the marker (idempotent): the server has stopped."""
        if self.file.closed:
            return
        self.path.unlink(missing_ok=True)
        self.file.close()  # drops the lock


def mark_serving(store: Path, *, bind: str, mode: str) -> Marker | None:
    """Write and lock this process's marker in ``store``, so that a build can see the server runs.

    Best effort: when the folder cannot be written (a store shared read-only) the server
    still serves, and None is returned.
    """
    if fcntl is None:
        return None
    final = store / f"{MARKER_PREFIX}{os.getpid()}.json"
    partial = store / f".{MARKER_PREFIX}{os.getpid()}.tmp"
    record = {
        "pid": os.getpid(),
        "bind": bind,
        "mode": mode,
        "started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
    }
    try:
        file = partial.open("w", encoding="utf-8")
        # Locked before it gets its name: a build never sees an unlocked marker of a live server.
        fcntl.flock(file, fcntl.LOCK_EX)
        file.write(json.dumps(record))
        file.flush()
        os.replace(partial, final)
    except OSError as exc:
        log.warning("cannot write %s (%s): a build into this store will not know that it is being served", final, exc)
        return None
    return Marker(file, final)


def servers(store: Path) -> list[Serving]:
    """The ``geokg serve`` processes running on ``store``; markers of servers that ended
    without removing them (killed) are removed here."""
    if fcntl is None or not store.is_dir():
        return []
    found = []
    for path in sorted(store.glob(f"{MARKER_PREFIX}*.json")):
        try:
            with path.open(encoding="utf-8") as file:
                try:
                    fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:  # its server holds the lock: it runs
                    record = json.load(file)
                    found.append(
                        Serving(
                            int(record["pid"]), str(record["bind"]), str(record["mode"]), str(record["started"]), path
                        )
                    )
                    continue
                path.unlink(missing_ok=True)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.debug("ignoring the serve marker %s: %s", path, exc)
    return found


# -- the gate in front of Oxigraph's server ------------------------------------
_LOOPBACK = {"127.0.0.1", "[::1]", "localhost"}
_UNSPECIFIED = {"0.0.0.0", "[::]"}
_READS = {"GET", "HEAD", "OPTIONS"}
_HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}
_MAX_QUERY_BODY = 16 * 1024 * 1024  # bytes of a query or update read to look for SERVICE


def private_bind() -> str:
    """A free port on 127.0.0.1 for Oxigraph's own server, which only the gate talks to."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{sock.getsockname()[1]}"


def _host_allowed(header: str, bind: str, names: frozenset[str]) -> bool:
    """Whether a ``Host`` header names this server (see the module notes).

    Example:
        >>> names = frozenset({"geokg.lan"})
        >>> [_host_allowed(h, "127.0.0.1:7878", names) for h in
        ...  ("127.0.0.1:7878", "localhost:7878", "geokg.lan:7878", "evil.example:7878", "127.0.0.1:80", "")]
        [True, True, True, False, False, False]
        >>> (_host_allowed("192.168.1.20:7878", "0.0.0.0:7878", names),
        ...  _host_allowed("a.example:7878", "0.0.0.0:7878", names))
        (True, False)
    """
    host, port = parse_bind(bind)
    name, sep, given = header.strip().lower().rpartition(":")
    if not sep or "]" in given:  # no port: the default port of http
        name, given = header.strip().lower(), "80"
    if not name or given != str(port):
        return False
    if name in names or name == host.lower() or (host in _LOOPBACK and name in _LOOPBACK):
        return True
    if host in _UNSPECIFIED:
        try:
            ipaddress.ip_address(name.strip("[]"))
            return True
        except ValueError:
            return False
    return False


class _GateHandler(http.server.BaseHTTPRequestHandler):
    """Checks one request (module notes) and passes it on to Oxigraph's server, streaming both ways."""

    gate: Gate  # set on the subclass each Gate makes

    def do_GET(self) -> None:  # noqa: N802
        self._handle()

    do_HEAD = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_PATCH = do_GET  # noqa: N815

    def log_message(self, *_: object) -> None:  # Oxigraph's server logs the requests it answers
        pass

    def _refuse(self, status: int, message: str | GeokgError) -> None:
        body = (str(RequestRefusedError(message) if isinstance(message, str) else message) + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _handle(self) -> None:
        gate = self.gate
        host = self.headers.get("Host", "")
        if not _host_allowed(host, gate.bind, gate.hosts):
            return self._refuse(
                403,
                f"Host {host!r} does not name this server ({gate.bind}); "
                "start geokg serve with --allow-host NAME to answer to a name",
            )
        path = urllib.parse.urlsplit(self.path).path
        if path.startswith("/queries/") and self.command in ("GET", "HEAD"):
            return self._stored_query(urllib.parse.unquote(path[len("/queries/") :]))
        if self.command not in _READS and not (self.command == "POST" and path == "/query"):
            origin = self.headers.get("Origin")
            if (origin is not None and origin.lower() != f"http://{host.lower()}") or self.headers.get(
                "Sec-Fetch-Site", ""
            ).lower() == "cross-site":
                return self._refuse(
                    403,
                    f"a write from another origin ({origin or 'cross-site'}) "
                    "is refused: a web page cannot change this store",
                )
        length = self.headers.get("Content-Length")
        if self.headers.get("Transfer-Encoding") or (length is not None and not length.isdigit()):
            return self._refuse(411, "send the body with a Content-Length")
        size = int(length or 0)
        body: bytes | None = None
        if not gate.allow_service:
            kind = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
            texts = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
            if kind in ("application/x-www-form-urlencoded", "application/sparql-query", "application/sparql-update"):
                if size > _MAX_QUERY_BODY:
                    return self._refuse(413, f"a query of more than {_MAX_QUERY_BODY} bytes")
                body = self.rfile.read(size)
                text = body.decode("utf-8", "replace")
                if kind == "application/x-www-form-urlencoded":
                    for key, values in urllib.parse.parse_qs(text).items():
                        texts.setdefault(key, []).extend(values)
                else:
                    texts.setdefault("query", []).append(text)
            try:
                for value in texts.get("query", []) + texts.get("update", []):
                    refuse_service(value, "request")
            except GeokgError as error:
                return self._refuse(403, error)
        self._forward(body, size)

    def _stored_query(self, name: str) -> None:
        """``GET /queries/NAME?PARAM=VALUE&limit=N&offset=M``: the stored query in the form
        ``geokg query`` runs on Oxigraph (its plan for the parameters given), values bound as given."""
        from geokg.queries import bind_params, get_query, paged, with_values

        fields = {
            key: values[-1] for key, values in urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).items()
        }
        try:
            stored = get_query(name)
            page = {key: _count(key, fields.pop(key)) for key in ("limit", "offset") if key in fields}
            bindings = bind_params(stored, fields)
            text = with_values(stored.text_for("oxigraph", bindings), bindings)
            text = paged(text, page.get("limit"), page.get("offset", 0))
        except QueryNotFoundError as error:
            return self._refuse(404, error)
        except GeokgError as error:
            return self._refuse(400, error)
        self.path = "/query?" + urllib.parse.urlencode({"query": text})
        self._forward(None, 0)

    def _forward(self, body: bytes | None, size: int) -> None:
        upstream = http.client.HTTPConnection(*parse_bind(self.gate.upstream), timeout=None)
        try:
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            upstream.putheader("Host", self.gate.upstream)
            for name, value in self.headers.items():
                if name.lower() not in _HOP_BY_HOP and name.lower() != "host":
                    upstream.putheader(name, value)
            upstream.endheaders()
            if body is not None:
                upstream.send(body)
            else:
                left = size
                while left > 0:
                    chunk = self.rfile.read(min(left, 1 << 16))
                    if not chunk:
                        break
                    upstream.send(chunk)
                    left -= len(chunk)
            answer = upstream.getresponse()
        except OSError as exc:
            return self._refuse(502, StoreError(self.gate.upstream, f"Oxigraph's server did not answer: {exc}"))
        try:
            self.send_response_only(answer.status, answer.reason)
            for name, value in answer.getheaders():
                if name.lower() not in _HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Connection", "close")  # HTTP/1.0: the end of the body is the end of the connection
            self.end_headers()
            while chunk := answer.read(1 << 16):
                self.wfile.write(chunk)
        finally:
            upstream.close()


def _count(option: str, value: str) -> int:
    """A ``limit`` or ``offset`` of a request: a whole number."""
    if not value.isdigit():
        raise ConfigError(option, value, "It must be a whole number, 0 or more.")
    return int(value)


class Gate:
    """The HTTP front of the server at ``bind``, passing checked requests to ``upstream``."""

    def __init__(self, bind: str, upstream: str, *, hosts: Iterable[str] = (), allow_service: bool = False) -> None:
        self.bind, self.upstream, self.allow_service = bind, upstream, allow_service
        self.hosts = frozenset(h.lower() for h in hosts)
        host, port = parse_bind(bind)
        handler = type("Handler", (_GateHandler,), {"gate": self})
        server_class = type(
            "GateServer",
            (http.server.ThreadingHTTPServer,),
            {"address_family": socket.AF_INET6 if host.startswith("[") else socket.AF_INET},
        )
        try:
            self.server = server_class((host.strip("[]"), port), handler)
        except OSError as exc:
            raise StoreError(bind, f"cannot listen on {bind}: {exc.strerror or exc}") from None
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="geokg-gate", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Server:
    """Oxigraph's server process and the gate in front of it (:func:`geokg.api.serve`)."""

    process: subprocess.Popen[bytes]
    gate: Gate
    #: this server's marker in the store folder (None on Windows, or when the folder cannot be written)
    marker: Marker | None = None

    def terminate(self) -> None:
        """Stop both; waits for the process."""
        self.gate.close()
        self.process.terminate()
        self.process.wait()
        if self.marker is not None:
            self.marker.release()
