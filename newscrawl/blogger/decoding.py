"""Bytes to text for the two kinds of document Blogger serves: feeds and HTML pages.

They follow different rules on purpose. A feed (XML or JSON) names its encoding only in a BOM,
the HTTP header or an XML declaration at its very start: the post HTML it carries often holds a
stale ``<meta charset>`` (Word-pasted posts), which must not decide. A page is decoded as a
browser does (w3lib's ``html_to_unicode``: BOM, header, ``<meta>``, then detection).

Both share one repair. A document said to be UTF-8 whose bytes are not (a mirror that stores
windows-1252 text and serves it under Blogger's UTF-8 header, or a template mixing both) would
come out with U+FFFD in place of every accented letter, which nothing downstream can undo.
Such bytes are read as windows-1252 instead, one invalid sequence at a time, so the valid UTF-8
around them is kept. Python's codecs have no such mode and w3lib always replaces, hence the
small error handler below.
"""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import html_to_unicode, http_content_type_encoding, read_bom, resolve_encoding, to_unicode

# Characters lxml refuses in any string it is given (element text, attribute values): the C0
# controls but tab, LF and CR, and the two non-characters. The HTML parser keeps them as it
# reads, so a page holding one in an attribute would fail the first time the cleaner sets that
# attribute; they carry nothing, so they go before parsing.
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# The five bytes windows-1252 leaves undefined are read as their Latin-1 code points.
_CP1252_UNDEFINED = frozenset(b"\x81\x8d\x8f\x90\x9d")


def _invalid_utf8_as_cp1252(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start:error.end]
    return "".join(chr(b) if b in _CP1252_UNDEFINED else bytes((b,)).decode("cp1252") for b in bad), error.end


codecs.register_error("newscrawl-cp1252", _invalid_utf8_as_cp1252)


def _is_utf8(encoding: str | None) -> bool:
    try:
        return encoding is not None and codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def decode_utf8(body: bytes) -> str:
    """UTF-8 bytes as text, any invalid sequence in them read as windows-1252."""
    return body.decode("utf-8", "newscrawl-cp1252")


_XML_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([\w.:-]+)["']""")


def decode_feed(body: bytes | str, content_type: str | None) -> str:
    """A feed document as text: BOM, then the Content-Type charset, then the XML declaration,
    else UTF-8."""
    if isinstance(body, str):
        return body
    bom_encoding, bom = read_bom(body)
    if bom:
        return to_unicode(body[len(bom):], bom_encoding)
    declared = _XML_DECLARED_ENCODING.match(body)
    encoding = (
        http_content_type_encoding(content_type)
        or (declared and resolve_encoding(declared[1].decode("ascii")))
        or "utf-8"
    )
    return decode_utf8(body) if _is_utf8(encoding) else to_unicode(body, encoding)


def decode_html(body: bytes | str, encoding: str | None = None) -> str:
    """An HTML page as text; ``encoding`` (the response's) overrides the page's declaration."""
    if isinstance(body, str):
        return body
    header = f"text/html; charset={encoding}" if encoding else None
    used, text = html_to_unicode(header, bytes(body))
    if "\ufffd" in text and _is_utf8(used):
        bom_encoding, bom = read_bom(body)
        if not bom or _is_utf8(bom_encoding):
            text = decode_utf8(bytes(body[len(bom or b''):]))
    return text


def xml_compatible(text: str) -> str:
    """``text`` without the characters lxml cannot hold (see ``_XML_INCOMPATIBLE``)."""
    return _XML_INCOMPATIBLE.sub("", text) if _XML_INCOMPATIBLE.search(text) else text
