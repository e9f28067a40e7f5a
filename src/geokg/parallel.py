"""Run the pipeline over articles in batches: in this process or in worker processes.

Each batch goes through :func:`geokg.pipeline.process_batch` (parse, extract, map, validate),
here or in a worker process of our own (``--workers N``); :mod:`geokg.cluster` runs the same
function on a Dask cluster.

Own worker processes rather than ``nlp.pipe(n_process=N)``: spaCy's workers only
parse and send whole Docs back, leaving extraction, RDF and SHACL to the parent alone,
where they become the bottleneck; ours do all of it and send back text.

Nothing here keeps articles after yielding their outcome, and at most ``2 × workers``
batches are in flight, so articles do not pile up.
"""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TypeVar

from geokg.model import Article
from geokg.pipeline import Outcome, process_batch
from geokg.settings import DEFAULT_EXTRACTOR

__all__ = ["batched", "iter_outcomes"]

T = TypeVar("T")


def iter_outcomes(
    articles: Iterable[Article],
    model: str,
    *,
    batch_size: int = 32,
    workers: int = 1,
    extractor: str = DEFAULT_EXTRACTOR,
) -> Iterator[Outcome]:
    """Process articles in input order, in this process or in ``workers`` processes."""
    if workers == 1:
        for batch in batched(articles, batch_size):
            yield from process_batch(batch, model, batch_size, extractor)
        return
    # spawn, not fork: the parent holds threads (progress bar, Oxigraph) that fork would copy mid-state.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[Future[list[Outcome]]] = deque()
        for batch in batched(articles, batch_size):
            pending.append(pool.submit(process_batch, batch, model, batch_size, extractor))
            if len(pending) >= 2 * workers:  # bounded: reading never runs far ahead
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last may be shorter); ``itertools.batched`` is 3.12+.

    Example:
        >>> list(batched(range(5), 2))
        [[0, 1], [2, 3], [4]]
    """
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
