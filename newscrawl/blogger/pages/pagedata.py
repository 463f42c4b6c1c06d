"""The page data Blogger prints in every page: ``_WidgetManager._SetDataContext([...])``.

Read by a small tokenizer, not by chompjs (1.4.1), the library for JavaScript object literals:
chompjs fails on Blogger's ``\\x3c``-style escapes ("Invalid \\escape") and read the page data
of only 4 of the 17 saved pages that carry it in tests/fixtures (measured when this reader was
chosen; chompjs was about 60 us a page against this tokenizer's 150 us, which does not make up
for losing the page data of most pages).
"""

from __future__ import annotations

import json
import re

_DATA_CONTEXT = re.compile(r"_SetDataContext\(\s*\[")
# The page data literal as tokens: (1) a run of everything but brackets and strings, with
# the plain strings in it, which JSON reads as they stand once double-quoted (no escape,
# quote, control character or bracket in them: most strings, so most of the literal goes
# in a few runs); (2) an opening and (3) a closing bracket; (4, 5) any other string.
_JS_TOKEN = re.compile(
    r"""
    ( (?: [^'"\[\]{}]++ | '[^'"\\\x00-\x1f\[\]{}]*+' )++ )
    | ([\[{]) | ([\]}])
    | '([^'\\]*(?:\\.[^'\\]*)*)' | "([^"\\]*(?:\\.[^"\\]*)*)"
    """,
    re.S | re.X,
)
# What a string must not hold for JSON to read it as it stands once double-quoted.
_NEEDS_JSON_ESCAPE = re.compile(r'["\\\x00-\x1f]')
_JS_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|(.))", re.S)
_JS_SINGLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}


def page_data(text: str) -> dict[str, dict]:
    """Turn the ``_SetDataContext([...])`` JavaScript literal into plain dicts.

    Blogger prints it with single-quoted strings and ``\\x3c``-style escapes, which JSON
    does not allow, so the strings are re-encoded before ``json.loads``. The whole literal
    is read, though only the 'blog' entry is used: a literal cut short or broken anywhere
    is ignored as a whole.
    """
    start = _DATA_CONTEXT.search(text)
    if not start:
        return {}
    parts: list[str] = []
    depth = 0
    for token in _JS_TOKEN.finditer(text, start.end() - 1):
        kind = token.lastindex  # which group of _JS_TOKEN matched
        if kind == 1:
            parts.append(token[1].replace("'", '"'))
        elif kind >= 4:
            parts.append(_json_string(token[kind]))
        else:
            parts.append(token[0])
            depth += 1 if kind == 2 else -1
            if depth == 0:
                break
    try:
        entries = json.loads("".join(parts))
    except ValueError:
        return {}
    if not isinstance(entries, list):
        return {}
    return {
        entry["name"]: entry["data"]
        for entry in entries
        if isinstance(entry, dict)
        and isinstance(entry.get("name"), str)
        and isinstance(entry.get("data"), dict)
    }


def _json_string(literal: str) -> str:
    """The body of a JavaScript string literal as a JSON string."""
    if not _NEEDS_JSON_ESCAPE.search(literal):
        return f'"{literal}"'  # no escape, nothing JSON must escape
    return json.dumps(_unescape_js(literal))


def _unescape_js(literal: str) -> str:
    def replace(match: re.Match) -> str:
        hex2, hex4, char = match.groups()
        if hex2 or hex4:
            return chr(int(hex2 or hex4, 16))
        return _JS_SINGLE_ESCAPES.get(char, char)

    return _JS_ESCAPE.sub(replace, literal)
