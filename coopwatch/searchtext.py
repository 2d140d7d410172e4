"""What the shell searches for a query text: parsed, and expanded across languages.

The CLI, the web page and the API all go through :func:`prepare`, so the same
words find the same stories everywhere. ``exact`` turns the dictionary
expansion off (the words as typed, still accent-insensitive).
"""

from __future__ import annotations

from coopwatch.query import Node, describe, parse


def prepare(text: str, *, exact: bool = False) -> tuple[Node | None, list[str]]:
    """The query tree to run and the translations added ("also searched").

    Raises :class:`coopwatch.query.QueryError` (an InputError: exit 2 / HTTP 400)
    for a malformed query.
    """
    tree = parse(text)
    if tree is None or exact:
        return tree, []
    from nlp.crosslang import expand

    expanded = expand(tree)
    return expanded, describe(expanded)
