"""Tests for the one body cleaner (newscrawl.blogger.body) and its vocabulary
(newscrawl.blogger.boilerplate). Page-specific rules (link lists, trailing sections, own
links) are also covered through whole pages in test_pages.py."""

from html import escape

import pytest

from newscrawl.blogger.body import NO_BODY, read_body
from newscrawl.blogger.boilerplate import is_template_line

BASE = "https://x.blogspot.com/2019/04/a.html"

# --- what the cleaner removes from any body (was text.clean_html) ------------------------------------------------------------------------------

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
        '<img src="https://x.blogspot.com/2019/04/a.jpg">',
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
]


@pytest.mark.parametrize(
    ("html", "expected"),
    [case[1:] for case in CLEAN_HTML_CASES],
    ids=[case[0] for case in CLEAN_HTML_CASES],
)
def test_unsafe_content_removed(html, expected):
    assert read_body(html, BASE).html == expected


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
    ("broken URL dropped", '<a href="http://[bad">x</a>', '<a>x</a>'),
]


@pytest.mark.parametrize(
    ("html", "expected"),
    [case[1:] for case in ABSOLUTE_LINK_CASES],
    ids=[case[0] for case in ABSOLUTE_LINK_CASES],
)
def test_links_made_absolute(html, expected):
    assert read_body(html, BASE).html == expected


@pytest.mark.parametrize("html", ["", "   ", "<p> </p>", "<script>x()</script>", "<!-- c -->"])
def test_a_body_with_no_text_and_no_image_is_none(html):
    assert read_body(html, BASE) == NO_BODY


def test_an_xml_declaration_before_feed_content_is_ignored():
    body = read_body('<?xml version="1.0" encoding="UTF-8"?><p>Harga naik.</p>', BASE)
    assert (body.html, body.text) == ("<p>Harga naik.</p>", "Harga naik.")


def test_html_and_text_come_from_the_same_cleaned_tree():
    body = read_body(
        '<p style="x">Harga <b>naik</b>.</p><div class="share-box">Bagikan</div>'
        '<p>Baca juga: <a href="/2019/04/b.html">Harga turun</a></p><p>Akhir.</p>',
        BASE,
    )
    assert body.html == "<p>Harga <b>naik</b>.</p><p>Akhir.</p>"
    assert body.text == "Harga naik.\n\nAkhir."


# --- template lines in the text (was text.strip_boilerplate) -----------------------------------------------------------------------

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
def test_template_line_removed_from_the_text(line):
    body = read_body(f"<p>Paragraf berita.</p><p>{escape(line)}</p><p>Paragraf akhir.</p>", BASE)
    assert body.text == "Paragraf berita.\n\nParagraf akhir."


@pytest.mark.parametrize("line", BOILERPLATE_LINES)
def test_every_boilerplate_line_is_a_template_line(line):
    assert is_template_line(line)


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
def test_article_line_kept(line):
    body = read_body(f"<p>Paragraf berita.</p><p>{escape(line)}</p><p>Paragraf akhir.</p>", BASE)
    assert body.text == f"Paragraf berita.\n\n{line}\n\nParagraf akhir."


def test_only_the_baca_juga_line_removed():
    body = read_body("<p>Paragraf satu.<br>Baca juga: Berita lain<br>Lanjutan paragraf satu.</p>", BASE)
    assert body.text == "Paragraf satu.\nLanjutan paragraf satu."


def test_an_autoblog_tail():
    body = read_body(
        "<p>Jakarta - Harga cabai naik.</p>"
        "<p>Baca juga: Harga bawang turun</p>"
        "<p>Pedagang mengeluh.</p>"
        "<p>(prm)</p>"
        "<p>Bagikan Berita Ini</p>"
        "<p>0 Response to &quot;Harga Cabai Naik&quot;</p>"
        "<p>Post a Comment</p>"
        "<p>Newer Post Older Post Home</p>"
        "<p>Subscribe to: Post Comments (Atom)</p>",
        BASE,
    )
    assert body.text == "Jakarta - Harga cabai naik.\n\nPedagang mengeluh.\n\n(prm)"


def test_feed_content_that_is_a_document_cut_in_its_head_gives_no_body():
    # lxml asserts that a document has a <body>; the assertion escaped before.
    assert read_body("<!DOCTYPE html>\n<html class='v2' dir='ltr'>\n<head", BASE) == NO_BODY


def test_a_deeply_nested_body_keeps_its_text_and_loses_its_trailing_own_link():
    body = "<div>" * 250 + "<p>Isi berita.</p>" * 200 + '<p><a href="/p/about.html">About</a></p>'
    cleaned = read_body(body, BASE)
    assert cleaned.text.startswith("Isi berita.") and "About" not in cleaned.text
