"""How a name becomes a stable entity key: slugs, legal suffixes, romanisation variants.

Part of the kernel: plain string functions, no rdflib. :mod:`geokg.iri_space` turns
keys into IRIs; extraction (linking) and the reference data key entities with these.

Example:
    >>> minted_ref(EntityKind.COMPANY, "Acme Lithium, Inc.")
    EntityRef(kind=<EntityKind.COMPANY: 'Company'>, key='acme-lithium')
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from anyascii import anyascii

from geokg.model import EntityKind, EntityRef

__all__ = ["entity_key", "entity_name", "minted_ref", "slugify"]


def slugify(text: str) -> str:
    """Lower-case ASCII slug: the key of entities minted from a label.

    A name in Latin script (accents dropped) keeps the plain slug. A name with
    letters or digits of any other script is transliterated (anyascii) and gets
    an 8-hex hash of its case-folded text, since dropping those characters made
    "Интерфакс" and "新华社" the same "x", and a romanisation alone can still
    merge two names ("ljzyrh" is all anyascii makes of Arabic).

    Example:
        >>> slugify("Nicolás  Maduro")
        'nicolas-maduro'
        >>> slugify("JW&JI Mcdonald & Sons")
        'jw-ji-mcdonald-sons'
        >>> slugify("Сергей Лавров"), slugify("王毅")
        ('sergey-lavrov-11d6473b', 'wangyi-e066c147')
    """
    folded = unicodedata.normalize("NFKD", text)
    if any(_foreign(char) for char in folded):
        readable = _ascii_slug(anyascii(unicodedata.normalize("NFC", text)))
        # The hash is of what the name says, not how it is cased or spaced, so the key stays stable.
        said = " ".join(unicodedata.normalize("NFKC", text).casefold().split())
        digest = hashlib.sha256(said.encode("utf-8")).hexdigest()[:8]
        return f"{readable}-{digest}" if readable else digest
    return _ascii_slug(folded.encode("ascii", "ignore").decode("ascii")) or "x"


def _ascii_slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _foreign(char: str) -> bool:
    """A letter or digit outside ASCII and the Latin script (after NFKD: accents are marks, not letters)."""
    return (
        not char.isascii()
        and unicodedata.category(char)[0] in "LN"
        and not unicodedata.name(char, "").startswith("LATIN")
    )


# Legal-form words dropped from the end of organisation names before keying them,
# so "Rosatom State Corporation", "Rosatom Corp." and "Rosatom" share one key.
# fmt: off
_LEGAL_SUFFIXES = (
    ("state", "corporation"), ("state", "corp"), ("and", "co"), ("&", "co"),
    ("inc",), ("incorporated",), ("corp",), ("corporation",), ("co",), ("company",), ("ltd",),
    ("limited",), ("llc",), ("plc",), ("ag",), ("sa",), ("nv",), ("gmbh",), ("pjsc",), ("ojsc",),
    ("jsc",), ("pty",), ("bhd",),
)
# fmt: on
# Romanisation variants at the end of a name word: Zelenskyy / Zelenskiy / Zelenskii -> Zelensky,
# Dmitriy / Dmitrii -> Dmitry. Kept to endings English names do not have (not -ski, -ei).
_TRANSLIT_ENDINGS = (("yy", "y"), ("iy", "y"), ("ii", "y"), ("ij", "y"))


def entity_name(kind: EntityKind, name: str) -> str:
    """The preferred label of an entity the reference data lacks, normalised from a surface form.

    Whitespace is collapsed; an organisation or company loses a trailing legal
    form; a person's name words get one spelling for common romanisation
    variants. Two surface forms with the same normalised name get the same
    :func:`entity_key`, hence the same IRI in every article.

    Example:
        >>> entity_name(EntityKind.COMPANY, "Rosatom State  Corporation")
        'Rosatom'
        >>> entity_name(EntityKind.COMPANY, "Acme Lithium, Inc.")
        'Acme Lithium'
        >>> entity_name(EntityKind.PERSON, "Volodymyr Zelenskyy"), entity_name(EntityKind.PERSON, "Zelenskiy")
        ('Volodymyr Zelensky', 'Zelensky')
        >>> entity_name(EntityKind.COMPANY, "Inc")
        'Inc'
    """
    words = name.split()
    if kind in (EntityKind.ORGANIZATION, EntityKind.COMPANY):
        stripped = True
        while stripped:
            stripped = False
            bare = [w.lower().strip(".,") for w in words]
            for suffix in _LEGAL_SUFFIXES:
                n = len(suffix)
                if len(words) > n and tuple(bare[-n:]) == suffix:
                    words = words[:-n]
                    stripped = True
                    break
        if words:
            words[-1] = words[-1].rstrip(",")
    elif kind is EntityKind.PERSON:
        words = [_romanised(word) for word in words]
    return " ".join(words) or name.strip()


def _romanised(word: str) -> str:
    lower = word.lower()
    for ending, replacement in _TRANSLIT_ENDINGS:
        if lower.endswith(ending) and len(word) > len(ending) + 1:
            return word[: len(word) - len(ending)] + replacement
    return word


def entity_key(kind: EntityKind, name: str) -> str:
    """The key of an entity the reference data lacks: the slug of its normalised name.

    Example:
        >>> entity_key(EntityKind.PERSON, "Zelenskyy") == entity_key(EntityKind.PERSON, "ZELENSKY")
        True
        >>> entity_key(EntityKind.COMPANY, "Rosatom State Corporation")
        'rosatom'
    """
    return slugify(entity_name(kind, name))


def minted_ref(kind: EntityKind, name: str) -> EntityRef:
    """The EntityRef of a name the reference data does not know (see :func:`entity_name`)."""
    return EntityRef(kind, entity_key(kind, name))
