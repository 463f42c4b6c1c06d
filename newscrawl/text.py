"""Pure text normalizers: clean strings for storage.

Nothing here knows about HTML trees, Scrapy or Blogger; post bodies are cleaned and rendered
as text in ``newscrawl.blogger.body``.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy
from w3lib.html import replace_entities

__all__ = ["normalize_text"]

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
