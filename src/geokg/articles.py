"""Articles: the dataclass and its readers. No NLP here."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Article:
    """One news article. ``text`` is what extraction reads: the title, then the body."""

    id: str
    text: str
    date: dt.date | None = None
    title: str | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None


def article_id(text: str) -> str:
    """Stable id from the normalised text: whitespace-insensitive SHA-256, 16 hex digits.

    Example:
        >>> article_id("Oil  rose.\\n") == article_id("Oil rose.")
        True
    """
    normalised = " ".join(text.split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]
