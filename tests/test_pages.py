"""Tests for newscrawl.blogger.pages.

Three kinds: the corpus of real Blogger pages against the values published with them,
our own golden fixtures per template family (every PostPage field spelled out), and
malformed input that must never raise.
"""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path

import dateparser
import lxml.etree
import lxml.html
import pytest
from parsel import css2xpath

from newscrawl.blogger.body import read_body
from newscrawl.blogger.decoding import decode_html
from newscrawl.blogger.pages import PostPage, document, families, parse_post_page

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pages"
CORPUS = FIXTURES.parent / "corpus" / "blogger"  # real pages; origin and license in SOURCES.tsv
POST_PAGE_FIELDS = [field.name for field in dataclasses.fields(PostPage)]
EMPTY_PAGE = PostPage(
    page_type=None, url=None, blog_id=None, post_id=None, title=None, html=None, text=None,
    published_raw=None, updated_raw=None, author=None, labels=(), images=(),
    template="generic", language=None,
)

# Corpus checks the reader does not pass, each with the reason. Strict: once one passes,
# the entry must go.
CORPUS_GAPS = {
    ("juliasleseblog.blogspot.com.irland", "published_day"):
        "Dynamic Views shell: the saved page holds no post markup and no date at all (the "
        "date in the URL is only a month); the crawler reads such posts from the per-post feed",
}


def _text(html: str | None) -> str:
    """The visible text of extracted HTML, whitespace collapsed."""
    if not html:
        return ""
    return " ".join(lxml.html.fromstring(html).text_content().split())


def _day(raw: str) -> date | None:
    try:
        return datetime.fromisoformat(raw).date()
    except ValueError:
        parsed = dateparser.parse(raw, languages=["en", "de", "id"])
        return parsed.date() if parsed else None


def _same_page(url: str, other: str) -> bool:
    """Whether two URLs name the same Blogger page. The corpus records the fetched URL while
    the reader returns the canonical one, which may differ in scheme or in the
    blogspot.<country> alias."""

    def key(u: str) -> str:
        u = re.sub(r"^https?://", "", u.strip()).lower()
        return re.sub(r"^([^/]*\.blogspot)\.[a-z.]+/", r"\1.com/", u)

    return key(url) == key(other)


# --- real-page corpus ----------------------------------------------------------------

def _corpus_expectations() -> dict[str, dict]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((CORPUS / "expected").glob("*.json"))
    }


CORPUS_EXPECTED = _corpus_expectations()


@cache
def _corpus_page(name: str) -> PostPage:
    expected = CORPUS_EXPECTED[name]
    return parse_post_page((CORPUS / "pages" / expected["file"]).read_bytes(), expected["url"])


def _corpus_checks():
    for name, expected in CORPUS_EXPECTED.items():
        checks = ["url", "page_type"]
        checks += [
            field for field in ("title", "published_day", "author", "labels", "body")
            if expected.get(field) is not None
        ]
        checks += [f"with:{snippet}" for snippet in expected.get("with") or ()]
        checks += [f"without:{snippet}" for snippet in expected.get("without") or ()]
        for check in checks:
            marks = []
            if (name, check) in CORPUS_GAPS:
                marks.append(pytest.mark.xfail(reason=CORPUS_GAPS[name, check], strict=True))
            yield pytest.param(name, check, marks=marks, id=f"{name}-{check}")


def test_corpus_is_present():
    assert len(CORPUS_EXPECTED) >= 10, f"corpus not found under {CORPUS}"


@pytest.mark.parametrize(("name", "check"), list(_corpus_checks()))
def test_corpus_page(name: str, check: str):
    expected = CORPUS_EXPECTED[name]
    page = _corpus_page(name)
    kind, _, snippet = check.partition(":")
    if kind == "url":
        assert page.url and _same_page(page.url, expected["url"]), page.url
    elif kind == "page_type":
        assert page.page_type == expected["page_type"]
        if page.page_type != "item":
            assert page.html is None and page.title is None
    elif kind == "title":
        assert page.title == expected["title"]
    elif kind == "published_day":
        assert page.published_raw is not None
        assert _day(page.published_raw) == date.fromisoformat(expected["published_day"])
    elif kind == "author":
        assert page.author == expected["author"]
    elif kind == "labels":
        assert sorted(page.labels) == sorted(expected["labels"])
    elif kind == "body":
        first_paragraph = " ".join(expected["body"].split("\n\n")[0].split())
        assert first_paragraph in _text(page.html)
    elif kind == "with":
        assert snippet in _text(page.html)
    elif kind == "without":
        assert page.html is not None
        assert snippet not in _text(page.html)
    else:
        pytest.fail(f"unknown check {check}")


# --- own fixtures, one folder per template family --------------------------------------

FIXTURE_CASES = sorted(
    str(path.relative_to(FIXTURES).with_suffix("")) for path in FIXTURES.glob("*/*.json")
)


@cache
def _fixture(case: str) -> tuple[dict, PostPage]:
    expected = json.loads((FIXTURES / f"{case}.json").read_text(encoding="utf-8"))
    body = (FIXTURES / f"{case}.html").read_bytes()
    return expected, parse_post_page(body, expected["fetched_url"])


def test_every_family_has_fixtures():
    families = {case.split("/")[0] for case in FIXTURE_CASES}
    assert families >= {"classic", "theme", "sora", "mobile", "generic"}


@pytest.mark.parametrize("case", FIXTURE_CASES)
def test_fixture_lists_every_field(case: str):
    expected, _ = _fixture(case)
    assert sorted(expected["page"]) == sorted(POST_PAGE_FIELDS)


@pytest.mark.parametrize("field", POST_PAGE_FIELDS)
@pytest.mark.parametrize("case", FIXTURE_CASES)
def test_fixture_field(case: str, field: str):
    expected, page = _fixture(case)
    want = expected["page"][field]
    got = getattr(page, field)
    if field in ("html", "text") and isinstance(want, dict):
        # A generic page's body is trafilatura's rendering: pin what it must and must not say.
        text = _text(got) if field == "html" else " ".join((got or "").split())
        assert text, "no body extracted"
        assert [s for s in want["with"] if s not in text] == []
        assert [s for s in want["without"] if s in text] == []
    elif isinstance(got, tuple):
        assert list(got) == want
    else:
        assert got == want


def test_text_and_bytes_read_alike():
    expected, from_bytes = _fixture("classic/saved-custom-domain-ferry")
    text = (FIXTURES / "classic/saved-custom-domain-ferry.html").read_text(encoding="utf-8")
    assert parse_post_page(text, expected["fetched_url"]) == from_bytes


# --- small pages: one behaviour each --------------------------------------------------

def _classic_post(footer: str = "", body: str = "<p>Isi berita.</p>", before: str = "") -> str:
    return (
        f"<html><body>{before}<div class='widget Blog' id='Blog1'><div class='post hentry'>"
        f"<h3 class='post-title entry-title'>Judul Utama</h3>"
        f"<div class='post-body entry-content' id='post-body-42'>{body}</div>"
        f"<div class='post-footer'>{footer}</div></div></div></body></html>"
    )


@pytest.mark.parametrize(
    "body",
    [b"", "", "   \n", b'{"feed": {"entry": []}}', b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
     "plain text, no markup at all"],
    ids=["empty-bytes", "empty-text", "whitespace", "json", "png", "plain-text"],
)
def test_non_html_gives_an_empty_page(body):
    assert parse_post_page(body, "https://x.blogspot.com/2019/04/a.html") == EMPTY_PAGE


def test_fragment_without_html_element():
    page = parse_post_page(
        "<div class='post hentry'><h3 class='post-title'>Judul</h3>"
        "<div class='post-body' id='post-body-42'>Isi berita.</div></div>",
        "https://x.blogspot.com/2019/04/judul.html",
    )
    assert (page.page_type, page.post_id, page.title) == ("item", "42", "Judul")
    assert _text(page.html) == "Isi berita."


def test_truncated_page_still_reads_the_post():
    html = (FIXTURES / "classic/autoblog-harga-cabai.html").read_bytes()
    cut = html[: html.index(b"April 26, 2019 at 12:37AM")]
    page = parse_post_page(cut, "https://beritaterkinihariini.blogspot.co.id/")
    # The page data script is cut off, so the page type and ids come from the markup.
    assert page.page_type == "item"
    assert page.post_id == "6120183659827365517"
    assert page.blog_id == "7310432915873359061"
    assert page.title == "Harga Cabai di Pasar Induk Turun Jelang Ramadan"
    assert "(prm)" in _text(page.html)


def test_broken_page_data_is_ignored():
    html = _classic_post() + "<script>_WidgetManager._SetDataContext([{'name': 'blog', 'data': {'blogId': '1', 'pageType': 'ind"
    page = parse_post_page(html, "https://x.blogspot.com/2019/04/a.html")
    assert (page.page_type, page.blog_id, page.title) == ("item", None, "Judul Utama")


@pytest.mark.parametrize(
    ("body", "encoding", "title"),
    [
        ("<meta charset='windows-1252'><h3 class='post-title'>Caf\u00e9</h3>".encode("cp1252"), None, "Caf\u00e9"),
        ("<meta charset='iso-8859-1'><h3 class='post-title'>Caf\u00e9</h3>".encode("utf-8"), "utf-8", "Caf\u00e9"),
        ("\ufeff<h3 class='post-title'>Caf\u00e9</h3>".encode("utf-8"), None, "Caf\u00e9"),
        # Not UTF-8 although taken or said to be: the invalid bytes are read as windows-1252.
        ("<h3 class='post-title'>Caf\u00e9</h3>".encode("cp1252"), None, "Caf\u00e9"),
        ("<h3 class='post-title'>\u201cCaf\u00e9\u201d</h3>".encode("cp1252"), "utf-8", "\u201cCaf\u00e9\u201d"),
        ("<h3 class='post-title'>Cr\u00e8me \u2615 ".encode("utf-8") + b"Caf\xe9</h3>", "utf-8", "Cr\u00e8me \u2615 Caf\u00e9"),
        (b"<h3 class='post-title'>Caf\x00e</h3>", None, "Cafe"),
    ],
    ids=["declared-cp1252", "encoding-argument-wins", "utf8-bom", "undeclared-cp1252", "cp1252-labelled-utf8",
         "utf8-with-one-cp1252-word", "nul-byte"],
)
def test_encodings(body: bytes, encoding: str | None, title: str):
    html = b"<div class='post hentry'>" + body + b"<div class='post-body'>x</div></div>"
    page = parse_post_page(html, "https://x.blogspot.com/a.html", encoding=encoding)
    assert page.title == title


@pytest.mark.parametrize(
    ("url", "posts", "page_type"),
    [
        ("https://x.blogspot.com/", 2, "index"),
        ("https://x.blogspot.com/search/label/Berita", 2, "index"),
        ("https://x.blogspot.com/2019/", 2, "archive"),
        ("https://x.blogspot.com/2019_04_26_archive.html", 2, "archive"),
        ("https://x.blogspot.com/2019/04/a.html", 1, "item"),
        ("https://x.blogspot.com/p/tentang-kami.html", 1, "static_page"),
        ("https://x.blogspot.com/2019/04/a.html", 0, None),
    ],
)
def test_page_type_without_page_data(url: str, posts: int, page_type: str | None):
    post = "<div class='post hentry'><div class='post-body'>Isi.</div></div>"
    page = parse_post_page(f"<html><body><p>x</p>{post * posts}</body></html>", url)
    assert page.page_type == page_type
    if page_type is None:
        # No Blogger markup at all: the generic extractor supplies the body.
        assert page.template == "generic" and page.html is not None and "x" in page.html
    else:
        assert (page.html is not None) == (page_type == "item")


@pytest.mark.parametrize(
    ("head", "post_meta", "expected"),
    [
        ("<meta property='og:url' content='https://x.blogspot.com/2019/04/a.html'>",
         "<meta itemprop='blogId' content='111'><meta itemprop='postId' content='222'>",
         ("https://x.blogspot.com/2019/04/a.html", "111", "222")),
        ("<link rel='canonical' href='https://x.blogspot.com/2019/04/b.html'>"
         "<script>var e = {id: 'tag:blogger.com,1999:blog-333.post-444'};</script>",
         "", ("https://x.blogspot.com/2019/04/b.html", "333", None)),
    ],
    ids=["og-url-and-itemprops", "canonical-link-and-tag-id"],
)
def test_ids_and_url_without_page_data(head: str, post_meta: str, expected: tuple):
    html = (
        f"<html><head>{head}</head><body><div class='post hentry'>{post_meta}"
        "<div class='post-body'>Isi.</div></div></body></html>"
    )
    page = parse_post_page(html, "file:///tmp/saved.html")
    assert (page.url, page.blog_id, page.post_id) == expected


@pytest.mark.parametrize(
    ("lang", "language"),
    [("id", "id"), ("id-ID", "id"), ("en_US", "en"), ("EN", "en"), ("in", "id"),
     ("fil", None), ("", None), ("x", None), ("de-AT-1996", "de")],
)
def test_language_is_two_letters(lang: str, language: str | None):
    page = parse_post_page(f"<html lang='{lang}'><body><p>x</p></body></html>", "https://x.blogspot.com/")
    assert page.language == language


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("Diposting oleh <span class='fn'>Redaksi</span>", "Redaksi"),
        ("Posted by Ned Deily", "Ned Deily"),
        ("Eingestellt von Weinlachgummi", "Weinlachgummi"),
        ("<span class='post-author-label'>By</span> Maria Lopez", "Maria Lopez"),
        ("Oleh: Tim Liputan", "Tim Liputan"),
        ("Posted by Byron Katie", "Byron Katie"),
        ("<span class='fn'>Byron Katie</span>", "Byron Katie"),
        ("Diposting oleh <span class='fn'>Unknown</span>", None),
    ],
)
def test_author_without_byline_prefix(byline: str, author: str | None):
    page = parse_post_page(
        _classic_post(footer=f"<span class='post-author vcard'>{byline}</span>"),
        "https://x.blogspot.com/2019/04/a.html",
    )
    assert page.author == author


def test_post_like_gadget_is_not_a_post():
    gadget = (
        "<div class='widget PopularPosts' id='PopularPosts1'><div class='post hentry'>"
        "<h3 class='post-title'>Berita Populer Lain</h3>"
        "<time class='published' datetime='2019-01-01T00:00:00+07:00'>1 Jan</time>"
        "<div class='post-body'>Cuplikan berita lain...</div></div></div>"
    )
    page = parse_post_page(_classic_post(before=gadget), "https://x.blogspot.com/2019/04/a.html")
    assert (page.page_type, page.title, page.published_raw) == ("item", "Judul Utama", None)


def test_metadata_inside_the_body_is_not_the_posts():
    # News copied into the body keeps the outlet's own markup; it must not override the post's.
    body = (
        "<h1 class='entry-title'>Judul dari Situs Asal</h1>"
        "<time class='published' datetime='2019-04-25T23:00:00+07:00'>25 April</time>"
        "<a rel='tag' href='https://outlet.example/tag/x'>tag asal</a><p>Isi.</p>"
    )
    footer = "<abbr class='published' title='2019-04-26T00:51:00-07:00'>00.51</abbr>"
    page = parse_post_page(_classic_post(footer=footer, body=body), "https://x.blogspot.com/a.html")
    assert (page.title, page.published_raw, page.labels) == (
        "Judul Utama", "2019-04-26T00:51:00-07:00", ()
    )


@pytest.mark.parametrize(
    "boilerplate",
    [
        "<p><strong>Baca juga: <a href='/a'>Judul Lain</a></strong></p>",
        "<p>Baca Juga:</p><ul><li><a href='/a'>Satu</a></li><li><a href='/b'>Dua</a></li></ul>",
        "<strong>Baca juga:</strong> <a href='/a'>Judul Lain</a>",
        "<div>Lihat juga: <a href='/a'>Judul Lain</a></div>",
        "<p>Related: <a href='/a'>Another story</a></p>",
        "<div class='sharethis-inline-share-buttons'><a href='/s'>Tweet</a></div>",
        "<div>Bagikan Berita Ini <a href='https://facebook.com/s'><img src='fb.png'></a></div>",
    ],
)
def test_related_and_share_blocks_leave_the_body(boilerplate: str):
    body = f"<p>Paragraf pertama.</p>{boilerplate}<p>Paragraf kedua.</p>"
    page = parse_post_page(_classic_post(body=body), "https://x.blogspot.com/a.html")
    assert _text(page.html).replace(" ", "") == "Paragrafpertama.Paragrafkedua."


@pytest.mark.parametrize(
    "kept",
    [
        "<p>Baca juga pendapat warga di <a href='/a'>sini</a>, kata pejabat itu kepada wartawan yang menunggunya sejak pagi.</p>",
        "<p>Related to the flood, the mayor spoke to residents.</p>",
        "<p><a href='http://bit.ly/2UVp8x3'>http://bit.ly/2UVp8x3</a></p>",
    ],
)
def test_article_text_that_only_looks_like_boilerplate_stays(kept: str):
    page = parse_post_page(_classic_post(body=kept), "https://x.blogspot.com/a.html")
    assert _text(page.html) == _text(kept)


def test_images_are_absolute_and_content_only():
    body = (
        "<img src='/foto/a.jpg'><img src='data:image/gif;base64,R0lGOD' data-src='//cdn.example/b.jpg'>"
        "<img src='https://feeds.feedburner.com/~r/x/~4/y' width='1' height='1'>"
        "<img src='https://s.w.org/images/core/emoji/11/72x72/1f600.png'>"
        "<img src='https://resources.blogblog.com/img/icon18_edit_allbkg.gif'>"
        "<img src='data:image/png;base64,iVBOR'><img src='/foto/a.jpg'>"
    )
    page = parse_post_page(
        "<base href='https://cdn.blog.example/'>" + _classic_post(body=body),
        "https://x.blogspot.com/2019/04/a.html",
    )
    assert page.images == ("https://cdn.blog.example/foto/a.jpg", "https://cdn.example/b.jpg")
    assert "feedburner" not in page.html


def test_scripts_embeds_and_handlers_are_gone():
    body = (
        "<p onclick='steal()'>Teks <a href='/x' onmouseover='y()'>tautan</a></p>"
        "<script>alert(1)</script><style>p{}</style><noscript>n</noscript>"
        "<iframe src='https://ads.example/'></iframe><ins class='adsbygoogle'></ins>"
        "<fb:like href='https://x'></fb:like><!-- iklan -->"
    )
    page = parse_post_page(_classic_post(body=body), "https://x.blogspot.com/a.html")
    assert not re.search(r"<(script|style|noscript|iframe|ins|fb:like)\b|\son\w+=|<!--", page.html)
    assert 'href="https://x.blogspot.com/x"' in page.html


# --- the end of a post: trailing link sections and links to the blog's own pages -------

POST_URL = "https://x.blogspot.com/2019/04/a.html"
ARTICLE = "<p>Paragraf pertama berisi cerita perjalanan.</p>"


@pytest.mark.parametrize(
    "trailer",
    [
        ("<h3>Blog peserta:</h3><ul><li><a href='https://a.blogspot.com/x.html'>Blog A</a></li>"
         "<li><a href='https://b.blogspot.com/y.html'>Blog B</a></li></ul>"),
        ("<p><b>Tulisan lain:</b><br><a href='/2019/01/b.html'>Satu</a> | "
         "<a href='/2019/02/c.html'>Dua</a><br></p>"),
        ("<div style='text-align: center;'><i>Ikut tantangan bulan ini? Tinggalkan komentar.</i>"
         "<br><br><h4>Peserta:</h4><div><a href='https://a.blogspot.com/x.html'>Blog A</a></div></div>"),
        ("<strong>Arsip seri ini:</strong><br><a href='/2019/01/b.html'>Bagian 1</a><br>"
         "<a href='/2019/02/c.html'>Bagian 2</a>"),
    ],
    ids=["heading-and-list", "bold-line-in-paragraph", "trailer-block-with-lead", "bare-lines"],
)
def test_trailing_link_section_leaves_the_body(trailer: str):
    page = parse_post_page(_classic_post(body=ARTICLE + trailer), POST_URL)
    assert _text(page.html) == "Paragraf pertama berisi cerita perjalanan."


@pytest.mark.parametrize(
    "body",
    [
        # A link round-up: the links are the post.
        "<h3>Bacaan pekan ini:</h3><ul><li><a href='https://a.example/1'>Satu</a></li></ul>",
        # The links carry notes, or an image that is not a link follows.
        ARTICLE + "<h3>Rekomendasi:</h3><ul><li><a href='https://a.example/1'>Satu</a> - murah</li></ul>",
        ARTICLE + "<h3>Peta:</h3><a href='https://a.example/1'>Peta rute</a><img src='/peta.jpg'>",
        # A citation printed as its address: the repost footer reads the source from it.
        ARTICLE + "<b>Sumber:</b><br><a href='http://bit.ly/2UVp8x3'>http://bit.ly/2UVp8x3</a>",
        # The heading is not on a line of its own, or does not end in ':'.
        ARTICLE + "<p>Info lengkap: <a href='https://a.example/1'>situs panitia</a></p>",
        ARTICLE + "<h3>Tautan</h3><a href='https://a.example/1'>Situs panitia</a>",
        # Too long for a list of a few posts.
        ARTICLE + "<h3>Daftar:</h3>" + "".join(
            f"<div><a href='https://a.example/{n}'>Judul tulisan yang cukup panjang nomor {n}</a></div>"
            for n in range(20)
        ),
    ],
    ids=["round-up-post", "list-with-notes", "unlinked-image-after", "printed-url",
         "inline-label", "no-colon", "long-list"],
)
def test_posts_that_end_in_links_keep_them(body: str):
    page = parse_post_page(_classic_post(body=body), POST_URL)
    assert _text(page.html) == _text(body)


def test_trailer_lead_goes_only_when_short_and_plain():
    long_lead = "Kalimat pembuka yang panjang sekali. " * 15
    body = (
        ARTICLE + f"<div style='text-align: center;'><p>{long_lead}</p><h3>Peserta:</h3>"
        "<div><a href='https://a.blogspot.com/x.html'>Blog A</a></div></div>"
    )
    page = parse_post_page(_classic_post(body=body), POST_URL)
    assert _text(page.html) == _text(ARTICLE + long_lead)


@pytest.mark.parametrize(
    "trailer",
    [
        "<div style='text-align: center;'><i><a href='http://x.blogspot.co.id/p/disclaimer.html'>Disclaimer</a></i></div>",
        "<br><a href='/p/tentang-saya.html'>Tentang saya</a> &raquo;<br>",
        "<p><a href='https://x.blogspot.com/search/label/Resep'>Resep lainnya</a></p>",
        "<p><a href='https://x.blogspot.com/'>Kembali ke beranda</a></p><br><img src='/ttd.png'><br>",
        "<div class='separator'><a href='/p/terima-kasih.html'><img src='/banner.png'></a></div>",
    ],
    ids=["static-page-on-country-alias", "bare-line-relative", "label-page", "home-page-then-image",
         "banner-image"],
)
def test_trailing_links_to_the_blogs_own_pages_leave_the_body(trailer: str):
    page = parse_post_page(_classic_post(body=ARTICLE + trailer), POST_URL)
    assert _text(page.html) == "Paragraf pertama berisi cerita perjalanan."
    assert "/p/" not in page.html and "/search/label/" not in page.html
    assert "https://x.blogspot.com/banner.png" not in page.images


@pytest.mark.parametrize(
    "body",
    [
        "<p>Jadwal lengkap ada di <a href='/p/jadwal.html'>halaman jadwal</a>.</p>",
        "<p>Baca juga <a href='/p/jadwal.html'>jadwalnya</a> sebelum datang.</p>",
        "<p><a href='/2019/03/bagian-1.html'>Bagian pertama</a></p>",
        "<p><a href='https://y.blogspot.com/p/disclaimer.html'>Disclaimer teman saya</a></p>",
        "<p><a href='/p/jadwal.html'>Jadwal</a></p><p>Sampai jumpa di lokasi.</p>",
    ],
    ids=["inside-sentence", "mid-sentence", "own-post", "other-blogs-page", "not-trailing"],
)
def test_links_to_own_pages_that_are_article_text_stay(body: str):
    page = parse_post_page(_classic_post(body=ARTICLE + body), POST_URL)
    assert _text(page.html) == _text(ARTICLE + body)


def test_own_pages_of_a_custom_domain_with_or_without_www():
    body = ARTICLE + "<p><a href='http://kabarkita.net/p/redaksi.html'>Redaksi</a></p>"
    page = parse_post_page(_classic_post(body=body), "https://www.kabarkita.net/2019/04/a.html")
    assert _text(page.html) == "Paragraf pertama berisi cerita perjalanan."


@pytest.mark.parametrize(
    "case", ["classic/trailer-artikel-terkait", "classic/trailing-disclaimer-link"]
)
def test_feed_content_is_cleaned_like_the_page(case: str):
    _, page = _fixture(case)
    root = lxml.html.fromstring((FIXTURES / f"{case}.html").read_bytes())
    content = root.xpath("//div[contains(concat(' ', @class, ' '), ' post-body ')]")[0]
    fragment = (content.text or "") + "".join(
        lxml.html.tostring(child, encoding="unicode") for child in content
    )
    assert read_body(fragment, page.url) == page.body


# --- listing pages: dated by their newest post -----------------------------------------

def _listing(posts: str, url: str = "https://x.blogspot.com/2019/04/") -> PostPage:
    return parse_post_page(f"<html><body><div class='widget Blog'>{posts}</div></body></html>", url)


def test_listing_page_is_dated_by_its_newest_post():
    post = "<div class='post hentry'><div class='post-body'>Isi.</div>{}</div>"
    page = _listing(
        post.format("<time class='published' datetime='2019-04-25T23:30:00+07:00'>25 April</time>")
        + post.format("<time class='published' datetime='2019-04-26T01:10:00+08:00'>26 April</time>")
        + post.format("<time class='published' datetime='2019-04-24T08:00:00+07:00'>24 April</time>")
    )
    assert page.page_type == "archive"
    # 01:10 at +08:00 is 00:10 at +07:00: later than 23:30 the day before.
    assert page.published_raw == "2019-04-26T01:10:00+08:00"
    assert (page.title, page.html, page.updated_raw, page.author, page.labels) == (None, None, None, None, ())


def test_listing_page_without_machine_readable_dates_has_none():
    post = "<div class='post hentry'><h2 class='date-header'>Jumat, 26 April 2019</h2><div class='post-body'>Isi.</div></div>"
    page = _listing(post * 2, "https://x.blogspot.com/")
    assert (page.page_type, page.published_raw) == ("index", None)



# --- template families: detect, post and body markup ------------------------------------
# The reader matches these selectors in Python on an index of the page's elements; they
# must find what their XPath (parsel's css2xpath) finds.

# Markup that tells the families apart, and class attributes that XPath reads unlike
# str.split(): only space, tab, CR and LF separate classes, and classes are case-sensitive.
FAMILY_MARKUP = {
    "tab": "<div class='post\thentry'><h1 class='post-title'>T</h1><div class='post-body'>x</div></div>",
    "nbsp-formfeed": "<div class='post\u00a0hentry'><div class='post-body\x0c'>x</div></div>",
    "case": "<div class='POST'><div class='Post-Body'>x</div></div>",
    "post-is-body": "<article class='post-outer-container'><div class='post post-body'>x</div></article>",
    "nested": "<div class='post'><article class='post-outer-container'><p class='post'>x</p></article></div>",
    "h1-deeper": "<div class='hentry'><div><h1 class='x post-title'>T</h1></div><h2 class='post-title'>U</h2></div>",
    "sora-in-classic": "<div class='blog-post'><div class='entry-content'>x</div><div class='post'>"
    "<div class='post'><div class='post-body'>y</div></div></div></div>",
    "mobile": "<div class='mobile-post-outer'><div class='post-body'>x</div></div>",
}


def _family_pages() -> list:
    saved = [CORPUS / "pages" / e["file"] for e in CORPUS_EXPECTED.values()]
    saved += sorted(FIXTURES.glob("*/*.html"))
    params = [pytest.param(path.read_bytes(), id=path.stem) for path in saved]
    params += [
        pytest.param(f"<html class='post'><body class='mobile'>{markup}</body></html>", id=name)
        for name, markup in FAMILY_MARKUP.items()
    ]
    return params


@pytest.mark.parametrize("body", _family_pages())
def test_family_markup_is_found_as_its_xpath_finds_it(body):
    root = document.parse_html(decode_html(body))
    marked = families._MarkedElements(root)
    for family in families.FAMILIES:
        for css in (family.detect, family.post, family.body):
            found = [el for el, _ in marked.matching(families._PATHS[css])]
            assert found == lxml.etree.XPath(css2xpath(css))(root), css


@pytest.mark.parametrize("markup", FAMILY_MARKUP.values(), ids=FAMILY_MARKUP.keys())
def test_family_markup_inside_an_element_is_found_as_its_xpath_finds_it(markup: str):
    # As a post's body is looked for: from the post, the post itself included.
    root = document.parse_html(f"<html><body class='mobile'>{markup}</body></html>")
    marked = families._MarkedElements(root).elements
    for css in (".post .post-body", ".hentry h1.post-title", "article.post-outer-container .post"):
        xpath = lxml.etree.XPath(css2xpath(css))
        for context in root.iter(lxml.etree.Element):
            found = [
                el for el, classes in marked
                if (el is context or context in el.iterancestors())
                and families._matches(el, classes, families._paths(css), top=context)
            ]
            assert found == xpath(context), (css, context.get("class"))


def test_page_data_strings_with_quotes_brackets_and_escapes():
    data = (
        "_WidgetManager._SetDataContext([{'name': 'blog', 'data': {'blogId': '7', 'postId': '42',"
        " 'pageType': 'item', 'pageName': 'Kata \\x22kunci\\x22 \"asli\" [1] {x} \\x3cb\\x3e it\\'s'}},"
        " {'name': 'view', 'data': {'note': ']} \\'\\u00e9\\' [', 'tab': 'a\tb'}}]);"
    )
    html = (
        f"<html><body><script>{data}</script><div class='post hentry'>"
        "<div class='post-body'>Isi.</div></div></body></html>"
    )
    page = parse_post_page(html, "https://x.blogspot.com/2019/04/a.html")
    assert (page.blog_id, page.post_id) == ("7", "42")
    assert page.title == "Kata \"kunci\" \"asli\" [1] {x} <b> it's"


def test_a_body_that_is_itself_a_dropped_tag_keeps_its_text():
    page = parse_post_page(
        "<html><body><div class='post hentry'><h3 class='post-title'>Judul</h3>"
        "<form class='post-body'><p>Isi artikel.</p><script>x()</script></form></div></body></html>",
        "https://x.blogspot.com/2019/04/a.html",
    )
    assert page.title == "Judul"
    assert "Isi artikel." in page.html and "x()" not in page.html


def test_dynamic_views_shell_gives_no_body_rather_than_its_chrome():
    page = _corpus_page("juliasleseblog.blogspot.com.irland")
    assert (page.page_type, page.template, page.html) == ("item", "dynamic", None)
    assert (page.post_id, page.blog_id) == ("5080902832310451193", "4441630963059095420")


@pytest.mark.parametrize("attribute", ["data-src='a\x02b.jpg' src='data:x'", "src='\x01a.jpg'", "href='\x0b/p/a.html'"])
def test_control_characters_in_attributes_do_not_break_the_reader(attribute: str):
    # lxml refuses such characters in any value it is given: the cleaner setting one raised.
    tag = "a" if attribute.startswith("href") else "img"
    body = f"<p>Isi berita.</p><p><{tag} {attribute}>x</{tag}></p>"
    for raw in (_classic_post(body=body), _classic_post(body=body).encode()):
        page = parse_post_page(raw, "https://x.blogspot.com/2019/04/a.html")
        assert page.html and "\x01" not in page.html and "\x02" not in page.html and "\x0b" not in page.html
        assert page.text.startswith("Isi berita.")
