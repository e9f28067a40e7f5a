"""Serve the store as a SPARQL endpoint with Oxigraph's own server (the ``oxigraph`` package).

``oxigraph serve-read-only`` by default, ``oxigraph serve`` with ``allow_update``;
always ``--union-default-graph``, so queries see every named graph as the
default graph, as ``geokg query`` does locally and as the stored queries expect.
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
from pathlib import Path

from geokg.errors import ConfigError, StoreError

__all__ = ["DEFAULT_BIND", "oxigraph_executable", "server_command", "parse_bind", "start_server", "wait"]

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
                   executable: str | None = None) -> list[str]:
    """The command line that serves ``store`` (which must exist: build or load it first).

    Example:
        >>> import tempfile
        >>> server_command(Path(tempfile.mkdtemp()), executable="oxigraph")[:2]
        ['oxigraph', 'serve-read-only']
    """
    parse_bind(bind)
    if not store.is_dir():
        raise StoreError(store, "no store to serve; build or load one first")
    mode = "serve" if allow_update else "serve-read-only"
    return [executable or oxigraph_executable(), mode, "--location", str(store), "--bind", bind,
            "--union-default-graph"]


def start_server(command: list[str]) -> subprocess.Popen[bytes]:
    """Start the server in the background; the caller waits for it and stops it (see :func:`wait`)."""
    return subprocess.Popen(command)


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
