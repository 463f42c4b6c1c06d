"""Bytes to text for the two kinds of document Blogger serves: feeds and HTML pages.

They follow different rules on purpose. A feed (XML or JSON) names its encoding only in a BOM,
the HTTP header or an XML declaration at its very start: the post HTML it carries often holds a
stale ``<meta charset>`` (Word-pasted posts), which must not decide. A page is decoded as a
browser does (w3lib's ``html_to_unicode``: BOM, header, ``<meta>``, then detection).
"""

from __future__ import annotations

import re

from w3lib.encoding import html_to_unicode, http_content_type_encoding, read_bom, resolve_encoding, to_unicode

# Characters lxml refuses in any string it is given (element text, attribute values): the C0
# controls but tab, LF and CR, and the two non-characters. The HTML parser keeps them as it
# reads, so a page holding one in an attribute would fail the first time the cleaner sets that
# attribute; they carry nothing, so they go before parsing.
_XML_INCOMPATIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

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
    return to_unicode(body, encoding)


def decode_html(body: bytes | str, encoding: str | None = None) -> str:
    """An HTML page as text; ``encoding`` (the response's) overrides the page's declaration."""
    if isinstance(body, str):
        return body
    header = f"text/html; charset={encoding}" if encoding else None
    return html_to_unicode(header, bytes(body))[1]


def xml_compatible(text: str) -> str:
    """``text`` without the characters lxml cannot hold (see ``_XML_INCOMPATIBLE``)."""
    return _XML_INCOMPATIBLE.sub("", text) if _XML_INCOMPATIBLE.search(text) else text
