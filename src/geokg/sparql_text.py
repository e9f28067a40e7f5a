"""A SPARQL text read without parsing it: the prefixes it declares and uses, and
pyoxigraph's parse errors turned into one readable line.

geokg predeclares :data:`~geokg.iri_space.DECLARED_PREFIXES` for the queries people
type (``geokg sparql``, :func:`geokg.sparql`), so ``?e a gk:Offer`` needs no PREFIX
line; a PREFIX in the text wins over a predeclared one. A remote endpoint knows none
of ours, so :func:`with_prefix_declarations` writes the ones a text uses in front of it.

Example:
    >>> used_prefixes('PREFIX ex: <http://e/a:b> SELECT * { ?e a gk:Offer ; ex:p "x:y" }  # z:w')
    ['gk', 'ex']
    >>> print(with_prefix_declarations("ASK { ?e a gk:Offer }", {"gk": "https://w3id.org/geokg/ontology#"}))
    PREFIX gk: <https://w3id.org/geokg/ontology#>
    ASK { ?e a gk:Offer }
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import pyoxigraph as ox

from geokg.errors import QuerySyntaxError

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

__all__ = [
    "NOT_KEYWORDS",
    "declared_prefixes",
    "used_prefixes",
    "with_prefix_declarations",
    "syntax_error",
    "term_text",
    "where_brace",
]

# What in a SPARQL text is not a keyword: strings, IRIs, comments (leftmost match wins, so a "#"
# inside an IRI stays in the IRI). An IRI has no spaces, so "?a < 3) SERVICE <x>" is not one.
NOT_KEYWORDS = re.compile(
    r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r"""|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|<[^<>"{}|^`\\\s]*>|#[^\n]*"""
)
_PN_PREFIX = r"(?:[^\W\d_][\w.-]*)?"
_DECLARATION = re.compile(rf"\bPREFIX\s+({_PN_PREFIX}):", re.IGNORECASE)
# A prefix name and its colon, not inside a variable, a blank node label or a local name, nor
# the scheme of an IRI the parser could not read ("<http://a b>": a local name has no "/").
_PREFIXED_NAME = re.compile(rf"(?<![\w?$.:<-])({_PN_PREFIX}):(?!/)")
_QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_UPDATE_FORMS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH")
_FIRST_KEYWORD = re.compile(rf"\A(?:\s*(?:PREFIX\s+{_PN_PREFIX}:|BASE)\s*<\s*>)*\s*([^\s{{]+)", re.IGNORECASE)
# rust-peg lists character classes (['a' ..= 'z' | '\u{00C0}'..]) among what it expected.
_CHAR_CLASS = re.compile(r"\[(?:'(?:\\.|[^'\\])*'|[^\]'])*\]")


def _blank(text: str) -> str:
    """``text`` with strings, IRIs and comments turned to spaces (``<`` and ``>`` kept), same positions."""

    def spaces(match: re.Match[str]) -> str:
        found = match.group()
        if found.startswith("<"):
            return "<" + " " * (len(found) - 2) + ">"
        return re.sub(r"[^\n]", " ", found)

    return NOT_KEYWORDS.sub(spaces, text)


def declared_prefixes(text: str) -> set[str]:
    """The prefixes a text declares with PREFIX.

    Example:
        >>> sorted(declared_prefixes("PREFIX : <http://e/> prefix ex: <http://x/> # PREFIX no: <x:>"))
        ['', 'ex']
    """
    return {match.group(1) for match in _DECLARATION.finditer(_blank(text))}


def _uses(text: str) -> Iterator[tuple[str, int]]:
    """(prefix, offset) of each prefixed name in the text, declarations left out."""
    blanked = _blank(text)
    declarations = {match.start(1) for match in _DECLARATION.finditer(blanked)}
    for match in _PREFIXED_NAME.finditer(blanked):
        if match.start() not in declarations:
            yield match.group(1), match.start()


def where_brace(text: str) -> int:
    """The offset of the ``{`` that opens a query's WHERE clause: its first outside parentheses
    (an expression of the SELECT clause may hold ``EXISTS { … }``).

    Example:
        >>> text = 'PREFIX a: <http://e/> SELECT ("{" AS ?x) (EXISTS { ?s ?p ?o } AS ?y) # {\\nWHERE { }'
        >>> text[where_brace(text):]
        '{ }'
    """
    depth = 0
    for offset, char in enumerate(_blank(text)):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "{" and depth == 0:
            return offset
    raise ValueError("the text has no WHERE clause")


def used_prefixes(text: str) -> list[str]:
    """The prefixes of the prefixed names in a text, in order of first use."""
    return list(dict.fromkeys(prefix for prefix, _ in _uses(text)))


def with_prefix_declarations(text: str, prefixes: Mapping[str, str]) -> str:
    """``text`` with a PREFIX line in front for each of ``prefixes`` it uses but does not declare."""
    declared = declared_prefixes(text)
    lines = [f"PREFIX {p}: <{prefixes[p]}>" for p in used_prefixes(text) if p in prefixes and p not in declared]
    return "\n".join([*lines, text])


def syntax_error(
    source: str, exc: SyntaxError, text: str | None = None, prefixes: Mapping[str, str] | None = None
) -> QuerySyntaxError:
    """Turn pyoxigraph's ``SyntaxError('error at L:C: expected one of …')`` into one readable line.

    Args:
        source: where the text came from (a file, ``<sparql>``).
        exc: pyoxigraph's error.
        text: the text that failed, to name an unknown prefix and the token found.
        prefixes: the prefixes predeclared for it, listed with the declared ones
            when a prefix is unknown.

    Example:
        >>> text = "SELECT * WHERE { ?e a gkk:Offer }"
        >>> print(syntax_error("<sparql>", SyntaxError("error at 1:31: expected one of Prefix not found, ['%']"),
        ...                    text, {"gk": "https://w3id.org/geokg/ontology#", "rdf": "…"}))
        [GK502] <sparql>:1:23: unknown prefix 'gkk:' (known: gk, rdf)
    """
    problem = str(exc.args[0] if exc.args else exc)
    line = column = None
    if problem.startswith("error at "):
        where, _, rest = problem[len("error at ") :].partition(": ")
        first, _, second = where.partition(":")
        if first.isdigit() and second.split("-")[0].isdigit():
            line, column, problem = int(first), int(second.split("-")[0]), rest
    if text is None or line is None or column is None:
        return QuerySyntaxError(source, " ".join(problem.split()), line, column)
    # Checked whatever the parser says: after a ";" it reports "expected OPTIONAL" for "foo:bar".
    known = set(prefixes or ()) | declared_prefixes(text)
    for prefix, offset in _uses(text):
        if prefix not in known:
            line, column = _line_column(text, offset)
            return QuerySyntaxError(
                source, f"unknown prefix '{prefix}:' (known: {', '.join(sorted(known))})", line, column
            )
    form = _FIRST_KEYWORD.match(_blank(text))
    if form and form.group(1).upper() not in _QUERY_FORMS + _UPDATE_FORMS:
        line, column = _line_column(text, form.start(1))
        return QuerySyntaxError(
            source,
            f"syntax error at {form.group(1)!r}: a query starts with "
            "SELECT, ASK, CONSTRUCT or DESCRIBE (after any PREFIX and BASE)",
            line,
            column,
        )
    return QuerySyntaxError(source, _readable(problem, text, line, column), line, column)


def _readable(problem: str, text: str, line: int, column: int) -> str:
    """What was found at the position, and what was expected when the parser names one thing."""
    if not problem.startswith("expected "):
        return " ".join(problem.split())
    listing = _CHAR_CLASS.sub("", problem[len("expected ") :].removeprefix("one of "))
    items = [item.strip() for item in listing.split(", ") if item.strip()]
    messages = [item for item in items if " " in item and not item.startswith('"')]
    if messages:  # not a token but the parser's own words ("IRI parsing failed")
        return "invalid IRI" if messages[0] == "IRI parsing failed" else messages[0][0].lower() + messages[0][1:]
    found = f"syntax error at {_token_at(text, line, column)}"
    # rust-peg lists every alternative tried at the farthest position; only a single one is worth reading.
    return f"{found}: expected {items[0]}" if len(items) == 1 else found


def _token_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    rest = "\n".join([lines[line - 1][column - 1 :], *lines[line:]]) if line <= len(lines) else ""
    token = rest.split(maxsplit=1)[0] if rest.strip() else ""
    return repr(token[:20] + ("…" if len(token) > 20 else "")) if token else "the end of the query"


def _line_column(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def term_text(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
    """A term as SPARQL text, escaping only with ECHARs (never ``\\u``, which SPARQL
    processes before parsing)."""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"  # pyoxigraph has validated the IRI: no '>' or spaces
    if not isinstance(term, ox.Literal):
        raise TypeError(f"cannot bind {term!r}: only IRIs and literals")
    value = term.value
    text = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype.value == _XSD_STRING:
        return f'"{text}"'
    return f'"{text}"^^<{term.datatype.value}>'
