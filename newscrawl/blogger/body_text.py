"""A post body as plain text: the walk that renders a cleaned body tree as paragraphs.

Used by ``newscrawl.blogger.body`` on the tree it has just cleaned, so a body is parsed once.
"""

from __future__ import annotations

import re

from lxml import etree
from lxml.html import HtmlElement, fragment_fromstring

from newscrawl.blogger.decoding import xml_compatible
from newscrawl.text import normalize_text

__all__ = ["element_text", "html_to_text", "parse_fragment"]

# --- parsing helpers ---------------------------------------------------------------------

# A leading XML declaration makes lxml refuse a str ("Unicode strings with encoding
# declaration are not supported"); Blogger feed content sometimes starts with one.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def parse_fragment(html: str) -> HtmlElement | None:
    """Parse an HTML fragment or document into a ``<div>`` holding its body content.

    Returns None for empty input or when lxml cannot parse it at all.
    """
    html = xml_compatible(_XML_DECLARATION.sub("", html))
    if not html.strip():
        return None
    try:
        return fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError, AssertionError):
        # lxml asserts a document has one <body>: a document cut off in its <head> has none.
        return None


# --- html_to_text ------------------------------------------------------------------------

# A hand-written walk rather than html2text or inscriptis: html2text emits Markdown and
# inscriptis lays text out in columns; a body needs neither, only paragraphs and line
# breaks, and a walk over the lxml tree is a few dozen lines and fast.

# Line breaks each element asks for before and after its content. Block breaks merge (a
# <p> inside a <div> is still one paragraph break), <br> breaks add up (two <br> in a row
# are a paragraph break).
_PARAGRAPH_BREAKS = 2
_LINE_BREAKS = 1
_BLOCK_BREAKS: dict[str, int] = {
    **dict.fromkeys(
        [
            "address", "article", "aside", "blockquote", "center", "details", "dialog",
            "div", "dl", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2",
            "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "nav", "ol",
            "p", "pre", "section", "summary", "table", "tr", "ul",
        ],
        _PARAGRAPH_BREAKS,
    ),
    **dict.fromkeys(["dt", "dd", "caption"], _LINE_BREAKS),
}
_CELL_TAGS = frozenset(["td", "th"])

# Elements whose content is never article text: code, embeds, media fallbacks ("Your
# browser does not support the video tag") and form controls (share and print buttons).
_TEXTLESS_TAGS = frozenset(
    [
        "script", "style", "noscript", "template", "iframe", "object", "embed", "svg",
        "audio", "video", "button", "select", "textarea",
    ]
)

# Breaks are written as U+2028 while the text is collected, so that one pass collapsing
# HTML whitespace (any run is one space, as a browser renders it) leaves them alone.
_BREAK = "\u2028"
# Only what a browser would render differently: runs of spaces and single non-space
# whitespace characters (a lone space, the common case, is left alone).
_HTML_WHITESPACE = re.compile(r"[ \t\n\r\f]{2,}|[\t\n\r\f]")


class _TextBuilder:
    """Collects rendered text, holding line breaks back until the next visible text."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pending_breaks = 0

    def block(self, breaks: int) -> None:
        """Ask for at least ``breaks`` line breaks before the next text."""
        self.pending_breaks = max(self.pending_breaks, breaks)

    def line_break(self) -> None:
        """Add one line break (a ``<br>``)."""
        self.pending_breaks += 1

    def text(self, text: str) -> None:
        """Add source text; whitespace next to a break is not rendered and is dropped."""
        if self.pending_breaks and text.isspace():
            return
        if self.pending_breaks and self.parts:
            self.parts.append(_BREAK * self.pending_breaks)
        self.pending_breaks = 0
        self.parts.append(text)

    def result(self) -> str:
        """The collected text with HTML whitespace collapsed and breaks as '\\n'."""
        return _HTML_WHITESPACE.sub(" ", "".join(self.parts)).replace(_BREAK, "\n")


def _collect_text(element: HtmlElement, builder: _TextBuilder, in_pre: bool) -> None:
    """Add the rendered text of ``element`` and of its tail to ``builder``.

    Recursion is safe: libxml2 caps the depth of a parsed HTML tree at 256 elements.
    """
    tag = element.tag
    # Comments and processing instructions have a non-str tag; only their tail is text.
    if isinstance(tag, str) and tag not in _TEXTLESS_TAGS:
        breaks = _BLOCK_BREAKS.get(tag, 0)
        inner_pre = in_pre or tag == "pre"
        if tag == "br":
            builder.line_break()
        elif tag in _CELL_TAGS:
            builder.text(" ")
        builder.block(breaks)
        if element.text:
            _add_source_text(element.text, builder, inner_pre)
        for child in element:
            _collect_text(child, builder, inner_pre)
        builder.block(breaks)
    if element.tail:
        _add_source_text(element.tail, builder, in_pre)


def _add_source_text(text: str, builder: _TextBuilder, in_pre: bool) -> None:
    """Add a text node; inside <pre> its line breaks are real breaks."""
    builder.text(text.replace("\n", _BREAK) if in_pre else text)


def element_text(root: HtmlElement) -> str:
    """The rendered text of ``root``'s content (not of ``root`` itself, nor its tail),
    normalized: see ``html_to_text``."""
    builder = _TextBuilder()
    if root.text:
        _add_source_text(root.text, builder, False)
    for child in root:
        _collect_text(child, builder, False)
    return normalize_text(builder.result())


def html_to_text(html: str) -> str:
    """Return the plain text of a post body.

    Block elements become paragraphs separated by one blank line; ``<br>`` breaks a line
    and two in a row break a paragraph (Blogger bodies use ``<br /><br />`` instead of
    ``<p>``); list items and table rows are paragraphs too, table cells are separated by a
    space; link text is kept without URLs; scripts, styles, embeds, form controls and
    images are dropped. Never raises; ``""`` for empty or unparsable input.
    """
    root = parse_fragment(html)
    return element_text(root) if root is not None else ""
