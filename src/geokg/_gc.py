"""The garbage collector's settings for a process that builds: tuning, not what the pipeline means."""

from __future__ import annotations

import gc
from functools import lru_cache

#: Allocations between two collections of the garbage collector's youngest generation once
#: the setup is frozen (see freeze_setup).
GC_YOUNG_THRESHOLD = 20_000


@lru_cache(maxsize=1)
def freeze_setup() -> None:
    """Once per process, after the first batch: move what is alive now (the spaCy pipeline,
    reference index, harvested shapes) out of the garbage collector's sight.

    The build leaves cyclic garbage behind (rdflib's context-aware graphs that pySHACL
    needs refer to themselves), so full collections run every few hundred articles, and
    each one would scan every object of the pipeline.
    Frozen objects are still freed when no longer referenced; only a reference cycle
    among them would outlive its use, and these live as long as the process.

    Then the youngest generation is collected every GC_YOUNG_THRESHOLD allocations instead of
    Python's 700: a batch allocates millions of short-lived objects (spaCy tokens and spans,
    rdflib terms, pySHACL's constraints), and at 700 the collector runs hundreds of times per
    thousand articles, some of them full collections of what the build keeps (caches, the
    shapes graph's memo). Garbage cycles wait a little longer (a few megabytes at most). The
    process keeps the setting.
    """
    gc.collect()
    gc.freeze()
    young, middle, old = gc.get_threshold()
    gc.set_threshold(max(young, GC_YOUNG_THRESHOLD), middle, old)
