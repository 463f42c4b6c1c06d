import time

import pytest

from newscrawl.text import (
    BOILERPLATE_PATTERNS,
    clean_html,
    html_to_text,
    normalize_text,
    strip_boilerplate,
)

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


# --- html_to_text --------------------------------------------------------------------------

HTML_TO_TEXT_CASES = [
    ("paragraphs", "<p>Satu.</p><p>Dua.</p>", "Satu.\n\nDua."),
    ("br is a line break", "<p>Baris satu<br>baris dua</p>", "Baris satu\nbaris dua"),
    ("two br are a paragraph break", "Satu.<br><br>Dua.", "Satu.\n\nDua."),
    ("three br are still one blank line", "Satu.<br><br><br>Dua.", "Satu.\n\nDua."),
    (
        "Blogger body: text in the div, separated by <br />",
        '<div class="post-body entry-content" id="post-body-123">'
        "Jakarta - Paragraf pertama.<br />\n<br />\nParagraf kedua.<br />\n(prm)</div>",
        "Jakarta - Paragraf pertama.\n\nParagraf kedua.\n(prm)",
    ),
    ("nested divs are one paragraph break", "<div><div><p>A</p></div></div><div>B</div>", "A\n\nB"),
    ("source newlines are spaces", "<p>satu\n  dua\tTiga</p>", "satu dua Tiga"),
    (
        "inline elements keep their spaces",
        "<p>Kata <b>tebal</b> <i>miring</i>.</p>",
        "Kata tebal miring.",
    ),
    (
        "link text kept, URL not",
        '<p>Lihat <a href="http://bit.ly/x">sumber</a>.</p>',
        "Lihat sumber.",
    ),
    ("headings", "<h1>Judul</h1><h2>Sub</h2>Isi", "Judul\n\nSub\n\nIsi"),
    (
        "list items one per paragraph",
        "<ul>\n  <li>Satu</li>\n  <li>Dua</li>\n</ul>",
        "Satu\n\nDua",
    ),
    ("definition term and definition on lines", "<dl><dt>Kata</dt><dd>Arti</dd></dl>", "Kata\nArti"),
    ("br at the end of a list item", "<ol><li>Satu<br></li><li>Dua</li></ol>", "Satu\n\nDua"),
    (
        "blockquote",
        "Kata dia:<blockquote>Kutipan.</blockquote>Lalu.",
        "Kata dia:\n\nKutipan.\n\nLalu.",
    ),
    (
        "table rows and cells",
        "<table><tr><th>Nama</th><th>Suara</th></tr><tr><td>A</td><td>10</td></tr></table>",
        "Nama Suara\n\nA 10",
    ),
    (
        "figure caption",
        '<figure><img src="a.jpg"><figcaption>Foto: Antara</figcaption></figure>Teks',
        "Foto: Antara\n\nTeks",
    ),
    ("pre keeps its lines", "<pre>baris 1\nbaris 2</pre>", "baris 1\nbaris 2"),
    ("script dropped", "<p>A</p><script>var x = '<p>B</p>';</script><p>C</p>", "A\n\nC"),
    ("style dropped", "<style>p { color: red }</style><p>A</p>", "A"),
    (
        "noscript and template dropped",
        "<noscript>Aktifkan JS</noscript><template>T</template>A",
        "A",
    ),
    ("iframe dropped", '<iframe src="https://youtube.com/embed/x">video</iframe>A', "A"),
    ("video fallback text dropped", "<video>Your browser does not support video.</video>A", "A"),
    ("share button dropped", "A<button>Bagikan</button>", "A"),
    ("image dropped, alt not used", '<p>A<img src="x.jpg" alt="foto">B</p>', "AB"),
    ("comment dropped, its tail kept", "A<!-- iklan -->B", "AB"),
    ("entities decoded", "<p>Tom &amp; Jerry &quot;lucu&quot;</p>", 'Tom & Jerry "lucu"'),
    ("nbsp paragraphs are blank", "<p>A</p><p>&nbsp;</p><p>&nbsp;</p><p>B</p>", "A\n\nB"),
    ("whole document", "<html><head><title>T</title></head><body><p>A</p></body></html>", "A"),
    ("XML declaration", '<?xml version="1.0" encoding="utf-8"?><p>A</p>', "A"),
    ("unclosed tags", "<div><p>Satu <b>tebal<p>Dua", "Satu tebal\n\nDua"),
    ("stray closing tags", "</div></p>Teks<<<>", "Teks<<<>"),
    ("NUL byte", "A\x00B", "AB"),
    ("plain text", "hanya teks", "hanya teks"),
    ("empty", "", ""),
    ("whitespace only", "  \n ", ""),
    ("only a script", "<script>x()</script>", ""),
]


@pytest.mark.parametrize(
    ("html", "expected"),
    [case[1:] for case in HTML_TO_TEXT_CASES],
    ids=[case[0] for case in HTML_TO_TEXT_CASES],
)
def test_html_to_text(html, expected):
    assert html_to_text(html) == expected


def test_html_to_text_is_fast_on_a_20kb_body():
    paragraph = (
        'Harga cabai rawit di <a href="/x">pasar tradisional</a> naik hingga '
        "Rp&nbsp;80.000 per kilogram menjelang <b>bulan Ramadan</b>.<br /><br />\n"
    )
    body = '<div class="post-body">' + paragraph * (20_000 // len(paragraph)) + "</div>"
    html_to_text(body)  # warm up
    runs = 20
    start = time.perf_counter()
    for _ in range(runs):
        html_to_text(body)
    per_call = (time.perf_counter() - start) / runs
    # The target is well under 5 ms; the bound leaves room for a slow, shared CI machine.
    assert per_call < 0.015


# --- clean_html ------------------------------------------------------------------------------

# A title that merely mentions 'javascript:' is not a link and stays.
KEPT_LINKS = (
    '<a href="https://x.com/a" title="javascript: panduan">A</a>'
    '<img src="https://x.com/i.jpg" alt="foto">'
)

CLEAN_HTML_CASES = [
    (
        "structure kept",
        "<p>Satu <b>dua</b></p><ul><li>x</li></ul>",
        "<p>Satu <b>dua</b></p><ul><li>x</li></ul>",
    ),
    (
        "script removed with its content",
        "<p>A</p><script>alert(1)</script><p>B</p>",
        "<p>A</p><p>B</p>",
    ),
    ("style element removed", "<style>p{}</style><p>A</p>", "<p>A</p>"),
    ("noscript and template removed", "<noscript>n</noscript><template>t</template>A", "A"),
    (
        "iframe removed",
        '<iframe src="https://www.youtube.com/embed/x"></iframe><p>A</p>',
        "<p>A</p>",
    ),
    ("object and embed removed", '<object data="x.swf"><embed src="x.swf"></object>A', "A"),
    ("form removed", '<form action="/s"><input name="q"><button>Cari</button></form>A', "A"),
    ("tail text of a removed element kept", "A<script>x()</script>B", "AB"),
    ("comment removed", "A<!--[if IE]><script>x()</script><![endif]-->B", "AB"),
    ("event handler removed", '<p onclick="steal()">A</p>', "<p>A</p>"),
    (
        "upper-case event handler removed",
        '<img src="a.jpg" ONERROR="steal()">',
        '<img src="a.jpg">',
    ),
    ("style attribute removed", '<p style="color:red" class="x">A</p>', '<p class="x">A</p>'),
    ("javascript: link removed", '<a href="javascript:steal()">A</a>', "<a>A</a>"),
    ("obfuscated javascript: link removed", '<a href=" JaVa\tScRiPt:steal()">A</a>', "<a>A</a>"),
    (
        "ordinary links and images kept",
        KEPT_LINKS,
        KEPT_LINKS,
    ),
    ("no wrapper for a whole document", "<html><body><p>A</p></body></html>", "<p>A</p>"),
    ("leading text escaped", "1 &lt; 2 <b>ya</b>", "1 &lt; 2 <b>ya</b>"),
    ("empty", "", ""),
]


@pytest.mark.parametrize(
    ("html", "expected"),
    [case[1:] for case in CLEAN_HTML_CASES],
    ids=[case[0] for case in CLEAN_HTML_CASES],
)
def test_clean_html(html, expected):
    assert clean_html(html) == expected


ABSOLUTE_LINK_CASES = [
    (
        "relative href",
        '<a href="/2019/04/b.html">b</a>',
        '<a href="https://x.blogspot.com/2019/04/b.html">b</a>',
    ),
    (
        "relative to the page",
        '<a href="c.html">c</a>',
        '<a href="https://x.blogspot.com/2019/04/c.html">c</a>',
    ),
    (
        "protocol-relative image",
        '<img src="//bp.blogspot.com/i.jpg">',
        '<img src="https://bp.blogspot.com/i.jpg">',
    ),
    (
        "absolute href untouched",
        '<a href="http://bit.ly/2UVp8x3">s</a>',
        '<a href="http://bit.ly/2UVp8x3">s</a>',
    ),
    (
        "fragment link",
        '<a href="#more">m</a>',
        '<a href="https://x.blogspot.com/2019/04/a.html#more">m</a>',
    ),
    ("broken URL left as is", '<a href="http://[bad">x</a>', '<a href="http://[bad">x</a>'),
]


@pytest.mark.parametrize(
    ("html", "expected"),
    [case[1:] for case in ABSOLUTE_LINK_CASES],
    ids=[case[0] for case in ABSOLUTE_LINK_CASES],
)
def test_clean_html_makes_links_absolute(html, expected):
    assert clean_html(html, base_url="https://x.blogspot.com/2019/04/a.html") == expected


def test_clean_html_leaves_links_relative_without_base_url():
    assert clean_html('<a href="/p/about.html">x</a>') == '<a href="/p/about.html">x</a>'


# --- strip_boilerplate -----------------------------------------------------------------------

BOILERPLATE_LINES = [
    "Bagikan Berita Ini",
    "bagikan artikel ini:",
    "Share this",
    "Share this post",
    "Share:",
    '0 Response to "Harga Cabai Naik Jelang Ramadan"',
    '12 Responses to "Judul"',
    "Post a Comment",
    "Posting Komentar",
    "Newer Post",
    "Older Post",
    "Posting Lebih Baru",
    "Posting Lama",
    "Home",
    "Beranda",
    "Newer Post Older Post Home",
    "Posting Lebih Baru Posting Lama Beranda",
    "Subscribe to: Post Comments (Atom)",
    "Berlangganan: Posting Komentar (Atom)",
    "Langganan: Posting Komentar (Atom)",
    "Related Posts",
    "Artikel Terkait:",
    "Baca juga: Harga Emas Turun Hari Ini",
    "BACA JUGA : Jokowi Resmikan Tol",
    "(Baca juga: Harga Bawang Ikut Naik)",
    "[Baca Juga: Harga Bawang Ikut Naik]",
    "Lihat juga: Video banjir",
    "Simak juga video berikut",
    "Loading...",
    "Klik untuk berbagi di Twitter (Membuka di jendela yang baru)",
    "Click to share on Facebook (Opens in new window)",
]


@pytest.mark.parametrize("line", BOILERPLATE_LINES)
def test_strip_boilerplate_removes_template_line(line):
    text = f"Paragraf berita.\n\n{line}\n\nParagraf akhir."
    assert strip_boilerplate(text) == "Paragraf berita.\n\nParagraf akhir."


@pytest.mark.parametrize("line", BOILERPLATE_LINES)
def test_every_boilerplate_line_is_matched_by_a_pattern(line):
    assert any(pattern.fullmatch(line) for pattern in BOILERPLATE_PATTERNS)


ARTICLE_LINES = [
    "Investors will share the profits with employees.",
    "Share this story with your family, said the minister, who urged calm.",
    "Bagikan berita ini kepada keluarga agar mereka waspada, kata Kapolres.",
    "Home Credit Indonesia mencatat laba naik 20 persen.",
    "Dia pulang ke home base tim di Bandung.",
    "Warga diminta membaca juga peraturan daerah yang baru.",
    "Pengguna bisa posting komentar di akun resmi kementerian.",
    "Polisi menerima 0 response to the complaint, katanya.",
    "Loading barang di pelabuhan tertunda dua jam.",
    "Klik untuk melihat foto-foto banjir di galeri kami.",
]


@pytest.mark.parametrize("line", ARTICLE_LINES)
def test_strip_boilerplate_keeps_article_line(line):
    text = f"Paragraf berita.\n\n{line}\n\nParagraf akhir."
    assert strip_boilerplate(text) == text


def test_strip_boilerplate_removes_only_the_baca_juga_line():
    text = "Paragraf satu.\nBaca juga: Berita lain\nLanjutan paragraf satu."
    assert strip_boilerplate(text) == "Paragraf satu.\nLanjutan paragraf satu."


def test_strip_boilerplate_on_an_autoblog_tail():
    text = (
        "Jakarta - Harga cabai naik.\n\n"
        "Baca juga: Harga bawang turun\n\n"
        "Pedagang mengeluh.\n\n"
        "(prm)\n\n"
        "Bagikan Berita Ini\n\n"
        '0 Response to "Harga Cabai Naik"\n\n'
        "Post a Comment\n\n"
        "Newer Post Older Post Home\n\n"
        "Subscribe to: Post Comments (Atom)"
    )
    assert strip_boilerplate(text) == (
        "Jakarta - Harga cabai naik.\n\n"
        "Pedagang mengeluh.\n\n"
        "(prm)"
    )
