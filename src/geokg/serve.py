"""Serve the store as a SPARQL endpoint with Oxigraph's own server (the ``oxigraph`` package).

``oxigraph serve-read-only`` by default, ``oxigraph serve`` with ``allow_update``;
with ``in_memory``, ``oxigraph serve`` without a location (Oxigraph's in-memory
store) filled with a copy of the store (:func:`load_copy`): queries run about
1.3 to 3 times faster (README "Performance"), the store on disk is never
written, and since Oxigraph has no read-only in-memory server, writes sent to
it change the copy only and are lost when it stops. Always
``--union-default-graph``, so queries see every named graph as the default graph, as ``geokg query`` does locally and as the stored queries expect.
The server answers SPARQL queries at ``/query``, updates at ``/update`` (only
when updates are allowed), the Graph Store Protocol at ``/store``, and its query
web page at ``/``.

Locking: a read-write server holds the store's lock, so ``geokg build`` cannot
write it meanwhile (and the server cannot start while a build runs). A read-only
server takes no lock; writing the store while it runs is undefined behaviour in
Oxigraph, so stop it before building.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from geokg.errors import ConfigError, StoreError
from geokg.store import Store

__all__ = ["DEFAULT_BIND", "oxigraph_executable", "server_command", "parse_bind", "start_server", "wait_until_up",
           "load_copy", "stopped_on_failure", "wait"]

DEFAULT_BIND = "127.0.0.1:7878"


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
    raise ConfigError("oxigraph", "not found", "geokg serve runs Oxigraph's server: install it with "
                      "pip install 'geokg[serve]' (the oxigraph package)")


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


def server_command(store: Path, bind: str = DEFAULT_BIND, *, allow_update: bool = False,
                   in_memory: bool = False, executable: str | None = None) -> list[str]:
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
            raise ConfigError("--allow-update", True, "It cannot go with --in-memory: the writes would reach "
                              "only the copy in memory and be lost when the server stops")
        return [executable or oxigraph_executable(), "serve", "--bind", bind, "--union-default-graph"]
    mode = "serve" if allow_update else "serve-read-only"
    return [executable or oxigraph_executable(), mode, "--location", str(store), "--bind", bind,
            "--union-default-graph"]


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

    The store is dumped as N-Quads to a temporary file (about 200 MB per million
    quads), which one Graph Store ``POST`` loads in one transaction: until it
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
            request = urllib.request.Request(f"{base_url(bind)}/store", data=body, method="POST", headers={
                "Content-Type": "application/n-quads", "Content-Length": str(dump.stat().st_size)})
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


def wait(process: subprocess.Popen[bytes]) -> int:
    """Wait for the server; Ctrl-C or SIGTERM stop it (never leaving it orphaned). Returns its exit code."""
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
