"""Table tests of newscrawl.text.normalize_text."""

import pytest

from newscrawl.text import normalize_text

# --- normalize_text ----------------------------------------------------------------------

NORMALIZE_CASES = [
    # entities
    ("named entity", "Tom &amp; Jerry", "Tom & Jerry"),
    ("numeric entities", "&#8220;Halo&#x201D;", "“Halo”"),
    ("double-escaped entity from a feed", "&amp;quot;kutipan&amp;quot;", '"kutipan"'),
    ("unknown entity kept", "&foo; bar", "&foo; bar"),
    ("bare ampersand kept", "AT&T dan R&D", "AT&T dan R&D"),
    ("nbsp entity is a space", "Rp&nbsp;1.000", "Rp 1.000"),
    # spaces and invisible characters
    ("no-break spaces", "a\u00a0\u00a0b", "a b"),
    ("narrow no-break space", "10\u202f000", "10 000"),
    ("em and thin spaces", "a\u2003b\u2009c", "a b c"),
    ("ideographic space", "a\u3000b", "a b"),
    ("zero-width space removed", "ber\u200bita", "berita"),
    ("word joiner removed", "ber\u2060ita", "berita"),
    ("byte order mark removed", "\ufeffJakarta", "Jakarta"),
    ("soft hyphen removed", "ke\u00adna\u00adikan", "kenaikan"),
    ("zero-width joiner kept", "\U0001F469\u200d\U0001F4BB", "\U0001F469\u200d\U0001F4BB"),
    ("tab is a space", "a\t\tb", "a b"),
    # control characters and line breaks
    ("NUL and bell removed", "a\x00b\x07c", "abc"),
    ("undefined C1 control removed", "a\x81b", "ab"),
    ("CRLF", "a\r\nb", "a\nb"),
    ("lone CR", "a\rb", "a\nb"),
    ("line separator", "a\u2028b", "a\nb"),
    ("paragraph separator", "a\u2029b", "a\n\nb"),
    # mojibake
    ("UTF-8 read as Latin-1", "cafÃ©", "café"),
    ("UTF-8 read as Windows-1252 quotes", "â€œHaloâ€\x9d katanya", "“Halo” katanya"),
    ("UTF-8 apostrophe", "Jokowiâ€™s", "Jokowi’s"),
    ("mojibake with a no-break space byte", "Ã\u00a0 la carte", "à la carte"),
    ("mojibake twice over", "ÃƒÂ©", "é"),
    ("Windows-1252 quotes read as C1 controls", "\x93Halo\x94", "“Halo”"),
    ("correct accents untouched", "naïve café Schrödinger", "naïve café Schrödinger"),
    ("curly quotes stay curly", "“Halo,” katanya.", "“Halo,” katanya."),
    ("full-width CJK punctuation untouched", "中文，日本語。", "中文，日本語。"),
    # Unicode normalization
    ("combining accent composed (NFC)", "e\u0301", "é"),
    ("latin ligature expanded", "ﬁnal", "final"),
    ("superscript kept", "10³ km²", "10³ km²"),
    # layout
    ("runs of spaces", "a    b", "a b"),
    ("lines stripped", "  a  \n  b  ", "a\nb"),
    ("blank lines collapsed", "a\n\n\n\n\nb", "a\n\nb"),
    ("whitespace-only lines are blank", "a\n \t \n\u00a0\nb", "a\n\nb"),
    ("outer whitespace stripped", "\n\n  a  \n\n", "a"),
    ("empty", "", ""),
    ("only whitespace", " \n\t\u00a0 ", ""),
]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [case[1:] for case in NORMALIZE_CASES],
    ids=[case[0] for case in NORMALIZE_CASES],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


IDEMPOTENCE_CASES = [case[1] for case in NORMALIZE_CASES] + [
    "&amp;amp;amp;lt;",  # escaped three times
    "&\u200bamp;",  # a zero-width space hiding an entity
    "Ã\u200b©",  # a zero-width space splitting mojibake
    "a \u2029 \u2028 b",
]


@pytest.mark.parametrize("raw", IDEMPOTENCE_CASES)
def test_normalize_text_is_idempotent(raw):
    once = normalize_text(raw)
    assert normalize_text(once) == once
