"""Lookup keys of names: how linking, the reference index and query parameters compare a
surface form with a label (case, accents, apostrophes, dashes and a leading "the" folded).

Plain string functions, so that resolving a query parameter needs no rdflib.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalize", "singular"]

_DASHES = re.compile(r"[\s\-\u2010-\u2015]+")


def normalize(text: str) -> str:
    """Lookup key of a surface form: case, accents, apostrophes, dashes and "the " folded.

    Example:
        >>> normalize("The  Côte d’Ivoire")
        "cote d'ivoire"
        >>> normalize("rare-earth") == normalize("Rare earth")
        True
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").casefold()
    text = _DASHES.sub(" ", text).strip()
    return text[4:] if text.startswith("the ") and len(text) > 4 else text


def singular(key: str) -> str:
    """Crude English singular of the last word, for commodity names only.

    Example:
        >>> [singular(w) for w in ("rare earths", "potatoes", "soybeans", "gas", "oats")]
        ['rare earth', 'potato', 'soybean', 'gas', 'oat']
    """
    if key.endswith("ies") and len(key) > 4:
        return key[:-3] + "y"
    if key.endswith(("ches", "shes", "xes", "sses", "oes")):
        return key[:-2]
    if key.endswith("s") and not key.endswith(("ss", "us", "is", "as")):
        return key[:-1]
    return key
