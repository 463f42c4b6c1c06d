"""Text normalization: clean strings, post-body HTML to plain text, safe body HTML.

Pure functions only; nothing here knows about Scrapy or Blogger page layout.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape

import ftfy
from lxml import etree
from lxml.html import HtmlElement, fragment_fromstring, tostring
from lxml.html.defs import link_attrs
from w3lib.html import replace_entities

__all__ = [
    "BOILERPLATE_PATTERNS",
    "clean_html",
    "html_to_text",
    "normalize_text",
    "strip_boilerplate",
]

# --- normalize_text ------------------------------------------------------------------

# ftfy only repairs encodings here: every other fix it offers is either done below
# (spaces, controls, line breaks, ligatures, NFC) or unwanted (straightening typographic
# quotes, folding full-width CJK punctuation). Two fixes are turned off because
# they guess: reading a plain space as a lost U+00A0 byte, and inserting U+FFFD for
# half-destroyed sequences.
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_encoding=True,
    restore_byte_a0=False,
    replace_lossy_sequences=False,
    decode_inconsistent_utf8=True,
    fix_c1_controls=True,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    fix_surrogates=True,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

# The characters that bytes 0x80-0xBF become when UTF-8 is misread as Latin-1 or
# Windows-1252 (the mojibake seen on the web: 'Ã©', 'â€œ').
_CONTINUATION_CHARS = (
    bytes(range(0x80, 0xC0)).decode("latin-1")
    + bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")
)

# ftfy costs tens of milliseconds on a long body, so it only runs when the text holds a C1
# control or a UTF-8 lead byte read as Latin-1 (U+00C2-U+00F4) followed by a continuation
# byte read the same way: the fingerprint of UTF-8 decoded with the wrong single-byte codec.
_MOJIBAKE_HINT = re.compile(
    "[\x80-\x9f]|[\u00c2-\u00f4][" + re.escape(_CONTINUATION_CHARS) + "]"
)


def _build_char_map() -> dict[str, str]:
    """Replacements: line breaks -> '\\n', odd spaces -> ' ', invisible and control
    characters -> removed.

    Zero-width (non-)joiners U+200C/U+200D are kept: they shape Persian and Indic script
    and join emoji sequences, so removing them changes the text.
    """
    breaks = {"\r\n": "\n", "\r": "\n", "\u2028": "\n", "\u2029": "\n\n"}
    spaces = ["\t", "\v", "\f", "\u00a0", "\u1680", "\u202f", "\u205f", "\u3000"]
    spaces += [chr(code) for code in range(0x2000, 0x200B)]
    controls = [chr(code) for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]]
    removed = [char for char in controls if char not in spaces and char not in "\n\r"]
    removed += ["\u00ad", "\u180e", "\u200b", "\u2060", "\ufeff"]
    # Latin ligatures (U+FB00-U+FB06) get their NFKC letters; other compatibility
    # characters (superscripts, full-width forms) carry meaning and stay.
    ligatures = {
        chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)
    }
    return breaks | dict.fromkeys(spaces, " ") | dict.fromkeys(removed, "") | ligatures


_CHAR_MAP = _build_char_map()
# A regex finds the few characters to replace far faster than str.translate walks a long
# body; '\r\n' comes first so it is one line break, not two.
_SPECIAL_CHARS = re.compile(
    "\r\n|[" + "".join(re.escape(char) for char in _CHAR_MAP if len(char) == 1) + "]"
)

# Runs of spaces inside a line (tabs are already spaces by then).
_SPACE_RUN = re.compile(r" {2,}")
# More than one blank line: a paragraph break is exactly one blank line.
_BLANK_LINES = re.compile(r"\n{3,}")

# Removing a character can uncover work for an earlier step (a zero-width space hiding an
# entity or splitting mojibake), so the character pass repeats while that is possible;
# real text settles in one or two passes. The bound only guards against a pathological
# input that keeps changing.
_MAX_CHAR_PASSES = 4


def _decode_entities(text: str) -> str:
    """Decode HTML entities until none are left.

    Feeds often escape twice ('&amp;quot;'); decoding to a fixed point is also what makes
    normalize_text idempotent. Unknown entities stay as written.
    """
    while True:
        decoded = replace_entities(text, remove_illegal=False)
        if decoded == text:
            return text
        text = decoded


def _replace_special_char(match: re.Match[str]) -> str:
    """The replacement of one character found by _SPECIAL_CHARS."""
    return _CHAR_MAP[match.group()]


def _normalize_chars_once(text: str) -> str:
    """One pass of entity decoding, mojibake repair, character mapping and NFC."""
    text = _decode_entities(text)
    if _MOJIBAKE_HINT.search(text):
        text = ftfy.fix_text(text, _FTFY_CONFIG)
    text = _SPECIAL_CHARS.sub(_replace_special_char, text)
    return unicodedata.normalize("NFC", text)


def _may_change_again(text: str) -> bool:
    """True when another character pass could still change ``text``.

    After one pass no character of _CHAR_MAP is left and the text is NFC, so only an
    entity or a mojibake sequence can remain.
    """
    return "&" in text or _MOJIBAKE_HINT.search(text) is not None


def _normalize_chars(text: str) -> str:
    """Repeat the character pass until the text is stable."""
    for _ in range(_MAX_CHAR_PASSES):
        normalized = _normalize_chars_once(text)
        if normalized == text or not _may_change_again(normalized):
            return normalized
        text = normalized
    return text


def _normalize_layout(text: str) -> str:
    """One space between words, stripped lines, at most one blank line in a row."""
    text = _SPACE_RUN.sub(" ", text)
    text = "\n".join(line.strip(" ") for line in text.split("\n"))
    return _BLANK_LINES.sub("\n\n", text).strip()


def normalize_text(text: str) -> str:
    """Return ``text`` cleaned for storage: entities decoded, mojibake repaired, NFC,
    odd spaces made plain, invisible and control characters removed, spaces collapsed,
    lines stripped and paragraphs separated by exactly one blank line.

    Idempotent: ``normalize_text(normalize_text(x)) == normalize_text(x)``.
    """
    return _normalize_layout(_normalize_chars(text))


# --- parsing helpers ---------------------------------------------------------------------

# A leading XML declaration makes lxml refuse a str ("Unicode strings with encoding
# declaration are not supported"); Blogger feed content sometimes starts with one.
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _parse_fragment(html: str) -> HtmlElement | None:
    """Parse an HTML fragment or document into a ``<div>`` holding its body content.

    Returns None for empty input or when lxml cannot parse it at all.
    """
    html = _XML_DECLARATION.sub("", html).replace("\x00", "")
    if not html.strip():
        return None
    try:
        return fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
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


def html_to_text(html: str) -> str:
    """Return the plain text of a post body.

    Block elements become paragraphs separated by one blank line; ``<br>`` breaks a line
    and two in a row break a paragraph (Blogger bodies use ``<br /><br />`` instead of
    ``<p>``); list items and table rows are paragraphs too, table cells are separated by a
    space; link text is kept without URLs; scripts, styles, embeds, form controls and
    images are dropped. Never raises; ``""`` for empty or unparsable input.
    """
    root = _parse_fragment(html)
    if root is None:
        return ""
    builder = _TextBuilder()
    _collect_text(root, builder, in_pre=False)
    return normalize_text(builder.result())


# --- clean_html ---------------------------------------------------------------------------

# Elements removed with their content: active content, embeds, forms, and head-only tags
# that load resources or change how links resolve.
_UNSAFE_TAGS = frozenset(
    [
        "script", "style", "noscript", "template", "object", "embed", "applet", "iframe",
        "frame", "frameset", "form", "input", "button", "select", "textarea", "link",
        "meta", "base", "svg", "math",
    ]
)

# Browsers ignore ASCII whitespace and control characters inside a URL scheme, so
# 'java\tscript:' runs too; they are removed before the scheme is compared.
_URL_NOISE = re.compile(r"[\x00-\x20]+")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:")


def _is_script_url(value: str) -> bool:
    """True when an attribute value is a URL that runs script."""
    return _URL_NOISE.sub("", value).lower().startswith(_SCRIPT_SCHEMES)


def _is_unsafe_attribute(name: str, value: str) -> bool:
    """True for event handlers, inline styles and link attributes holding script URLs."""
    name = name.lower()
    return (
        name.startswith("on")
        or name == "style"
        or (name in link_attrs and _is_script_url(value))
    )


def _strip_unsafe_attributes(element: HtmlElement) -> None:
    """Remove the unsafe attributes of one element."""
    for name, value in list(element.attrib.items()):
        if _is_unsafe_attribute(name, value):
            del element.attrib[name]


def _sanitize(root: HtmlElement) -> None:
    """Drop unsafe elements, comments and processing instructions; clean attributes."""
    for element in list(root.iterdescendants()):
        if not isinstance(element.tag, str) or element.tag in _UNSAFE_TAGS:
            # drop_tree keeps the tail text, which belongs to the parent.
            element.drop_tree()
    for element in root.iter():
        _strip_unsafe_attributes(element)


def _inner_html(root: HtmlElement) -> str:
    """Serialize the children of ``root`` without the wrapper element itself."""
    head = escape(root.text or "", quote=False)
    return head + "".join(tostring(child, method="html", encoding="unicode") for child in root)


def clean_html(html: str, *, base_url: str | None = None) -> str:
    """Return body HTML safe to store.

    Scripts, styles, embeds, iframes and forms are removed with their content; ``on*``
    handlers, ``style`` attributes and ``javascript:`` URLs are removed; structure, links
    and images stay. With ``base_url``, ``href``/``src`` and other link attributes are
    made absolute. Returned without an ``<html>``/``<body>`` wrapper. Never raises.
    """
    root = _parse_fragment(html)
    if root is None:
        return ""
    _sanitize(root)
    if base_url:
        root.make_links_absolute(base_url, resolve_base_href=False, handle_failures="ignore")
    return _inner_html(root).strip()


# --- strip_boilerplate ----------------------------------------------------------------------

# Trailing punctuation that template labels carry ("Baca juga:", "Loading...").
_LABEL_END = r"\s*[:.!…]*"

# Template phrases of Blogger themes and Indonesian autoblog mirrors. Each must match a
# whole (stripped) line, case-insensitively, so an article sentence that merely contains
# 'share' or 'komentar' is never touched.
BOILERPLATE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(f"(?:{pattern}){_LABEL_END}", re.IGNORECASE)
    for pattern in [
        # Share prompts under the post.
        r"(?:bagikan|sebarkan) (?:berita|artikel|postingan|tulisan) ini",
        r"share(?: this(?: (?:post|article|story))?)?",
        r"klik untuk (?:berbagi|membagikan|mencetak|mengirim(?:kan)?)\b.*",
        r"click to (?:share|print|email)\b.*",
        # Blogger comment section: '0 Response to "<title>"', 'Post a Comment'.
        r"\d+ (?:responses?|komentar|tanggapan) (?:to|untuk) [\"“'‘].*",
        r"post a comment|posting komentar",
        # Blogger pager links, alone or together on one line.
        r"(?:(?:newer posts?|older posts?|posting lebih baru|posting lama|home|beranda)\s*)+",
        r"(?:subscribe to|(?:ber)?langganan): ?.*\(atom\)",
        # Related-post widgets; 'Baca juga' style links, bracketed or not, take the rest
        # of their line.
        r"related posts?|artikel terkait|berita terkait|postingan terkait",
        r"[(\[]?(?:baca|lihat|simak) juga\b.*",
        # Widget placeholders.
        r"loading|memuat",
    ]
)


def _is_boilerplate(line: str) -> bool:
    """True when the whole line is template text."""
    stripped = line.strip()
    return any(pattern.fullmatch(stripped) for pattern in BOILERPLATE_PATTERNS)


def strip_boilerplate(text: str) -> str:
    """Remove lines that are template text (share prompts, comment and pager labels,
    related-post links) and close the gaps they leave; other lines are kept as they are.
    """
    kept = [line for line in text.split("\n") if not _is_boilerplate(line)]
    return _BLANK_LINES.sub("\n\n", "\n".join(kept)).strip()
