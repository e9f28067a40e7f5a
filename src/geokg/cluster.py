"""Build on a Dask cluster: the same per-batch work as ``--workers``, scheduled by Dask.

``geokg build --dask tcp://host:8786`` connects to a running scheduler;
``--dask local`` starts a :class:`distributed.LocalCluster` of worker processes.
This process reads the articles and submits them in batches
(:func:`geokg.pipeline.process_batch` via :func:`build_partition`); each
partition comes back as N-Quads text with small per-article outcomes, is written
to a temporary folder, and the folder is loaded with Oxigraph's bulk loader at
the end. Partitions travel back to this process rather than being written by the
workers, so a remote cluster needs no file system shared with the store.

At most ``2 × workers`` partitions are in flight, so reading never runs far ahead. Workers
need geokg (with its spaCy pipeline) installed in the same version.

Unlike a plain build, loading is not one transaction per batch: the store is left
untouched until every partition is back (an interrupted run loses nothing), then
the rebuilt articles' old graphs are dropped and the new ones bulk-loaded.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from geokg.crossdoc_incremental import Changes
from geokg.errors import ConfigError
from geokg.iri_space import graph_iri
from geokg.model import Article
from geokg.parallel import batched
from geokg.pipeline import Outcome, process_batch
from geokg.settings import DEFAULT_EXTRACTOR, Settings
from geokg.store import Store

if TYPE_CHECKING:  # Dask loads when a build runs on it
    from distributed import Client

__all__ = ["build_on_dask", "build_partition"]


def build_partition(
    articles: list[Article], model: str, batch_size: int, extractor: str = DEFAULT_EXTRACTOR
) -> tuple[str, list[Outcome]]:
    """Process one partition on a worker: its graphs as N-Quads, and outcomes without the text."""
    outcomes = process_batch(articles, model, batch_size, extractor)
    lines: list[str] = []
    for outcome in outcomes:
        if outcome.ntriples:
            graph = f"<{graph_iri(outcome.article_id)}>"
            lines.extend(f"{line[:-2]} {graph} ." for line in outcome.ntriples.split("\n"))
    light = [dataclasses.replace(o, ntriples=None) if o.ntriples else o for o in outcomes]
    return "\n".join(lines) + "\n" if lines else "", light


def build_on_dask(
    articles: Iterable[Article], settings: Settings, address: str, store: Store, changes: Changes | None = None
) -> Iterator[Outcome]:
    """Process ``articles`` on Dask and bulk-load the graphs into ``store``.

    Yields each article's outcome (without its graph text) in input order; the
    graphs are in the store once the iterator is exhausted.

    Args:
        address: a scheduler address (``tcp://host:8786``) or ``"local"``.
        changes: told of the article graphs replaced, before they are dropped (the
            cross-document pass updates what they change).

    Raises:
        ConfigError: Dask is not installed, or the scheduler cannot be reached.
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError as error:
        raise ConfigError("--dask", address, "Dask is not installed: pip install 'geokg[dask]'") from error

    with (
        tempfile.TemporaryDirectory(prefix="geokg-dask-") as tmp,
        _connect(address, settings, Client, LocalCluster) as client,
    ):
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        parts: list[Path] = []
        replaced: list[str] = []  # every processed article's graph (quarantined ones included): dropped at the end
        pending: deque = deque()

        def collect() -> Iterator[Outcome]:
            nquads, outcomes = pending.popleft().result()
            replaced.extend(str(graph_iri(o.article_id)) for o in outcomes)
            if nquads:
                part = Path(tmp) / f"part-{len(parts):06d}.nq"
                part.write_text(nquads, encoding="utf-8")
                parts.append(part)
            yield from outcomes

        for batch in batched(articles, settings.batch_size):
            pending.append(
                client.submit(
                    build_partition, batch, settings.model, settings.batch_size, settings.extractor, pure=False
                )
            )
            if len(pending) >= 2 * workers:
                yield from collect()
        while pending:
            yield from collect()
        for graphs in batched(replaced, 256):  # a transaction per 256 drops keeps each one small
            if changes is not None:
                changes.before_writing(graphs)
            store.replace_graphs(dict.fromkeys(graphs, ""))
        for part in parts:
            store.bulk_load(part)


class _connect:
    """A Client on ``address``, or on a LocalCluster started (and stopped) here for ``"local"``."""

    client: Client

    def __init__(self, address: str, settings: Settings, client_class: type, cluster_class: type) -> None:
        self.cluster = None
        try:
            if address == "local":
                self.cluster = cluster_class(
                    n_workers=settings.workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
                self.client = client_class(self.cluster)
            else:
                self.client = client_class(address, timeout="10s")
        except (OSError, TimeoutError) as error:
            if self.cluster is not None:
                self.cluster.close()
            raise ConfigError(
                "--dask",
                address,
                f"Cannot reach the Dask scheduler: {error}. Start one (dask scheduler) or pass --dask local",
            ) from error

    def __enter__(self) -> Client:
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()
