import json
from pathlib import Path

import pytest

from newscrawl.blogger.feeds import FeedEntry, FeedError, parse_feed

FIXTURES = Path(__file__).parent / "fixtures" / "feeds"
BLOG_ID = "6482019475529135590"
HOST = "https://kabarmirror-contoh.blogspot.com"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# What every format says about the three posts of the fixture blog, newest first.
ENTRIES = [
    {
        "blog_id": BLOG_ID,
        "post_id": "3180744121946621357",
        "url": f"{HOST}/2019/04/harga-cabai-naik-pedagang-pasokan.html",
        "title": "Harga Cabai Naik, Pedagang: 'Pasokan Kurang'",
        "updated": "2019-04-26T00:45:52.112+07:00",
        "author": None,  # Blogger's 'Unknown'
        "labels": ("Ekonomi", "Berita"),
    },
    {
        "blog_id": BLOG_ID,
        "post_id": "8841207706185532104",
        "url": f"{HOST}/2019/04/banjir-longsor-landa-3-desa-di-garut.html",
        "title": "Banjir & Longsor Landa 3 Desa di Garut",
        "updated": "2019-04-25T23:21:07.540+07:00",
        "author": "Redaksi Mirror",
        "labels": ("Daerah",),
    },
    {
        "blog_id": BLOG_ID,
        "post_id": "1203996618270047741",
        "url": f"{HOST}/2019/04/timnas-u-23-tiba-di-jakarta.html",
        "title": "Timnas U-23 Tiba di Jakarta",
        "updated": "2019-04-25T22:05:41.318+07:00",
        "author": "Admin Kabar",
        "labels": (),
    },
]
ISO_PUBLISHED = [
    "2019-04-26T00:45:00.001+07:00",
    "2019-04-25T23:20:00.003+07:00",
    "2019-04-25T22:05:00.000+07:00",
]
RSS_PUBLISHED = [  # the same instants in UTC, as RSS pubDate prints them
    "Thu, 25 Apr 2019 17:45:00 +0000",
    "Thu, 25 Apr 2019 16:20:00 +0000",
    "Thu, 25 Apr 2019 15:05:00 +0000",
]
# A snippet of each post body, as HTML in the full feeds.
BODIES = [
    "\u201cPasokan dari Jawa Tengah berkurang sejak pekan lalu,\u201d kata seorang pedagang",
    "<p>Garut - Hujan deras sejak sore",
    '<a href="https://kom.ps/AFzkXy">',
]
SUMMARIES = [
    "Jakarta - Harga cabai rawit di Pasar Induk Kramat Jati naik",
    "Garut - Hujan deras sejak sore memicu banjir",
    "Jakarta - Skuad Timnas U-23 tiba di Bandara Soekarno-Hatta",
]

JSON_NEXT = f"https://www.blogger.com/feeds/{BLOG_ID}/posts/default?alt=json&start-index=4&max-results=3"
ATOM_NEXT = f"https://www.blogger.com/feeds/{BLOG_ID}/posts/default?start-index=4&max-results=3"

FULL_FEEDS = [
    # fixture, format, published as the format prints it, next link
    ("posts.json", "json", ISO_PUBLISHED, JSON_NEXT),
    ("posts.json-in-script.js", "json", ISO_PUBLISHED, JSON_NEXT),
    ("posts.atom.xml", "atom", ISO_PUBLISHED, ATOM_NEXT),
    ("posts.rss.xml", "rss", RSS_PUBLISHED, None),  # Blogger's RSS has no next link
]


def entry_fields(entry: FeedEntry) -> dict:
    return {key: getattr(entry, key) for key in ENTRIES[0]}


@pytest.mark.parametrize(("name", "fmt", "published", "next_url"), FULL_FEEDS)
def test_every_format_yields_the_same_entries(name, fmt, published, next_url):
    page = parse_feed(fixture(name))

    assert [entry_fields(e) for e in page.entries] == ENTRIES
    assert [e.published for e in page.entries] == published
    for entry, body in zip(page.entries, BODIES, strict=True):
        assert body in entry.html
        assert entry.is_summary is False


@pytest.mark.parametrize(("name", "fmt", "published", "next_url"), FULL_FEEDS)
def test_page_header(name, fmt, published, next_url):
    page = parse_feed(fixture(name))

    assert page.format == fmt
    assert page.blog_id == BLOG_ID
    assert page.blog_url == f"{HOST}/"
    assert (page.total_results, page.start_index) == (1250, 1)
    assert page.next_url == next_url


@pytest.mark.parametrize("name", ["summary.json", "summary.atom.xml"])
def test_summary_feed_entries_are_flagged(name):
    page = parse_feed(fixture(name))

    assert [e.is_summary for e in page.entries] == [True, True, True]
    for entry, summary in zip(page.entries, SUMMARIES, strict=True):
        assert entry.html.startswith(summary)
    assert [entry_fields(e) for e in page.entries] == ENTRIES


@pytest.mark.parametrize(
    ("url", "is_summary"),
    [
        (f"{HOST}/feeds/posts/summary?alt=rss", True),
        (f"{HOST}/feeds/posts/default?alt=rss", False),
        (None, False),
    ],
)
def test_rss_summary_is_known_from_the_url(url, is_summary):
    page = parse_feed(fixture("posts.rss.xml"), url=url)

    assert [e.is_summary for e in page.entries] == [is_summary] * 3


def test_page_past_the_end_has_no_entries():
    page = parse_feed(fixture("empty_last_page.json"))

    assert page.entries == ()
    assert (page.total_results, page.start_index) == (1250, 1251)
    assert page.next_url is None


@pytest.mark.parametrize("name", ["truncated.json", "truncated.atom.xml"])
def test_truncated_feed_raises_even_after_whole_entries(name):
    body = fixture(name)
    assert body.count(b"post-3180744121946621357") >= 1  # the first entry came through whole

    with pytest.raises(FeedError, match=r"^truncated (JSON|XML)"):
        parse_feed(body)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (fixture("error_404.html"), r"^HTML page, not a feed$"),
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
            b'"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n<html xmlns="http://www.w3.org/1999/xhtml"></html>',
            r"^HTML page, not a feed$",
        ),
        (b"", r"^empty document$"),
        (b" \r\n", r"^empty document$"),
        (b"Rate Limit Exceeded", r"^not a feed: document starts with 'Rate Limit Exceeded'$"),
        (b'{"error": {"code": 404, "message": "Not Found"}}', r'^JSON without a "feed" object'),
        (b"[1, 2]", r"^not a feed"),
        (b'{"feed": {"entry": [}]}', r"^invalid JSON at char 20: Expecting value$"),
        (b'// API callback\nlistPosts({"version":"1.0","feed":{"id"', r"^truncated json-in-script"),
        (b'listPosts({"feed": {"entry": [{"id": );', r"^truncated JSON at char"),
        (b"<feed xmlns='http://www.w3.org/2005/Atom'><title>a & b</title></feed>", r"^invalid XML: "),
        (b"<urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'></urlset>", r"^XML root <urlset> is neither"),
        (b"<rss version='2.0'></rss>", r"^RSS without a <channel>$"),
    ],
    ids=[
        "html-page",
        "xhtml-page",
        "empty",
        "whitespace",
        "plain-text",
        "json-error-object",
        "json-array",
        "invalid-json",
        "cut-callback",
        "callback-with-cut-json",
        "invalid-xml",
        "sitemap",
        "rss-without-channel",
    ],
)
def test_unreadable_documents_raise_with_the_reason(body, reason):
    with pytest.raises(FeedError, match=reason):
        parse_feed(body)


def test_feed_error_is_a_value_error():
    with pytest.raises(ValueError):
        parse_feed(b"<html><body>Blog not found</body></html>")


def test_xml_entities_are_not_resolved():
    body = (
        b"<?xml version='1.0'?><!DOCTYPE feed [<!ENTITY secret SYSTEM 'file:///etc/hostname'>]>"
        b"<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>&secret;</title></entry></feed>"
    )

    assert parse_feed(body).entries[0].title is None


ATOM_ENTRY = (
    "<feed xmlns='http://www.w3.org/2005/Atom'><entry>"
    "<id>tag:blogger.com,1999:blog-1.post-2</id>{}</entry></feed>"
)
BARE_ENTRY = FeedEntry(
    blog_id="1",
    post_id="2",
    url=None,
    title=None,
    html=None,
    is_summary=False,
    published=None,
    updated=None,
    author=None,
    labels=(),
)


@pytest.mark.parametrize(
    "body",
    [
        '{"feed": {"entry": [{"id": {"$t": "tag:blogger.com,1999:blog-1.post-2"}}]}}',
        ATOM_ENTRY.format(""),
        "<rss version='2.0'><channel><item><guid>tag:blogger.com,1999:blog-1.post-2</guid></item></channel></rss>",
    ],
    ids=["json", "atom", "rss"],
)
def test_absent_fields_are_none_or_empty(body):
    assert parse_feed(body).entries == (BARE_ENTRY,)


@pytest.mark.parametrize(
    ("categories", "labels"),
    [
        (
            "<category scheme='http://schemas.google.com/g/2005#kind' term='http://schemas.google.com/blogger/2008/kind#post'/>"
            "<category scheme='http://www.blogger.com/atom/ns#' term='Politik'/>",
            ("Politik",),
        ),
        (
            "<category term='Politik'/><category term='Nasional'/><category term='Politik'/><category term=' '/>",
            ("Politik", "Nasional"),
        ),
    ],
    ids=["kind-is-not-a-label", "deduplicated-in-order"],
)
def test_labels(categories, labels):
    assert parse_feed(ATOM_ENTRY.format(categories)).entries[0].labels == labels


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("<author>noreply@blogger.com (Unknown)</author>", None),
        ("<author>noreply@blogger.com (Dewi Lestari)</author>", "Dewi Lestari"),
        ("<author>Dewi Lestari</author>", "Dewi Lestari"),
        ("<author> </author>", None),
    ],
)
def test_rss_author(author, expected):
    body = f"<rss version='2.0'><channel><item>{author}</item></channel></rss>"

    assert parse_feed(body).entries[0].author == expected


ATOM_TITLE = "<feed xmlns='http://www.w3.org/2005/Atom'><entry><title>Caf\xe9</title></entry></feed>"
JSON_TITLE = '{"feed": {"entry": [{"title": {"$t": "Caf\xe9"}}]}}'


@pytest.mark.parametrize(
    ("body", "content_type", "title"),
    [
        (f"<?xml version='1.0' encoding='ISO-8859-1'?>{ATOM_TITLE}".encode("latin-1"), None, "Caf\xe9"),
        (ATOM_TITLE.encode("cp1252"), "application/atom+xml; charset=windows-1252", "Caf\xe9"),
        (b"\xef\xbb\xbf" + JSON_TITLE.encode(), None, "Caf\xe9"),
        (f"\ufeff{ATOM_TITLE}".encode("utf-16"), None, "Caf\xe9"),
        (JSON_TITLE, None, "Caf\xe9"),
        # Said (or taken) to be UTF-8 but not: the invalid bytes are read as windows-1252,
        # the valid UTF-8 around them kept.
        (b'{"feed": {"entry": [{"title": {"$t": "Caf\xe9 \xff \x93ok\x94"}}]}}', None, "Caf\xe9 \xff \u201cok\u201d"),
        (ATOM_TITLE.encode("latin-1"), "application/atom+xml; charset=UTF-8", "Caf\xe9"),
        (ATOM_TITLE.replace("Caf\xe9", "Cr\xe8me Caf\xe9").encode("utf-8").replace(b"Caf\xc3\xa9", b"Caf\xe9"), None,
         "Cr\xe8me Caf\xe9"),
    ],
    ids=[
        "xml-declaration",
        "content-type-charset",
        "utf8-bom",
        "utf16-bom",
        "str",
        "cp1252-bytes-json",
        "cp1252-bytes-labelled-utf8",
        "utf8-with-one-cp1252-word",
    ],
)
def test_decoding(body, content_type, title):
    assert parse_feed(body, content_type=content_type).entries[0].title == title


def test_a_full_page_of_150_entries():
    one = fixture("posts.atom.xml").decode()
    start, end = one.index("<entry>"), one.index("</entry>") + len("</entry>")
    body = one[:start] + one[start:end] * 150 + "</feed>"

    page = parse_feed(body)

    assert len(page.entries) == 150
    assert {e.post_id for e in page.entries} == {"3180744121946621357"}


def test_one_posts_own_feed_document():
    entry = {
        "id": {"$t": "tag:blogger.com,1999:blog-4441630963059095420.post-5080902832310451193"},
        "published": {"$t": "2018-08-02T10:24:00.001+02:00"},
        "updated": {"$t": "2018-08-02T10:30:00.000+02:00"},
        "title": {"type": "text", "$t": "Irland Roadtrip"},
        "content": {"type": "html", "$t": "<p>Wir sind durch Irland gefahren.</p>"},
        "link": [{"rel": "alternate", "type": "text/html",
                  "href": "https://juliasleseblog.blogspot.com/2018/08/irland-roadtrip.html"}],
    }
    page = parse_feed(json.dumps({"version": "1.0", "encoding": "UTF-8", "entry": entry}))
    [only] = page.entries
    assert (page.blog_id, only.post_id, only.published) == (
        "4441630963059095420", "5080902832310451193", "2018-08-02T10:24:00.001+02:00")
    assert only.url == "https://juliasleseblog.blogspot.com/2018/08/irland-roadtrip.html"
    assert not only.is_summary and page.total_results == 1
