"""Property-based fuzz tests of the pure extractors: whatever a site serves, each one returns
its documented type or raises only its documented error, in well under a second.

Inputs are the real pages and feeds of tests/fixtures, mutated: cut short, control characters,
entities and markup inserted, spans duplicated, nested deep, decoded with the wrong codec.
The examples are drawn deterministically (derandomize), so CI runs the same ones every time.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawl.blogger.body import NO_BODY, Body, read_body
from newscrawl.blogger.feeds import FeedError, FeedPage, parse_feed
from newscrawl.blogger.footer import Footer, split_footer
from newscrawl.blogger.pages import PostPage, parse_post_page
from newscrawl.blogger.post import post_from_entry, post_from_page
from newscrawl.blogger.sitemaps import SitemapDocument, SitemapError, read_sitemap
from newscrawl.dates import parse_date
from newscrawl.loaders import article_from_post
from newscrawl.pipelines import type_errors
from newscrawl.urls import canonicalize_url
from tests.test_sitemaps import INDEX, URLSET

FIXTURES = Path(__file__).resolve().parent / "fixtures"
PAGES = [p.read_bytes() for p in sorted(FIXTURES.glob("pages/*/*.html"))]
PAGES += [p.read_bytes() for p in sorted((FIXTURES / "corpus" / "blogger" / "pages").glob("*.html"))]
FEEDS = [p.read_bytes() for p in sorted((FIXTURES / "feeds").iterdir())]
SITEMAPS = [URLSET, INDEX]
NOW = datetime(2019, 4, 26, 5, 0, tzinfo=timezone.utc)
URL = "https://x.blogspot.com/2019/04/a.html"

# Loaded once before timing starts: trafilatura (the generic fallback) and the language model
# take about a second on first use, which is start-up, not the cost of a call.
for _body in PAGES:
    post_from_page(parse_post_page(_body, URL))

FUZZ = settings(
    max_examples=300,
    deadline=1000,  # milliseconds: every call under a second
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
)

NOISE = st.sampled_from([
    "\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85", "\ufeff", "\ufffe", "\u2028",
    "&", "&amp;", "&#0;", "&#x1;", "&#xD800;", "&nbsp;", "&bogus;", "<", ">", "\"", "'", "</div>", "<div>",
    "<p class='post-body'>", "<script>", "<!--", "]]>", "<?xml version='1.0'?>", "<![CDATA[",
    "<a href='javascript:x()'>", "<img src='\x01x'>", "<a href=' \x02/p/a.html'>",
])


@st.composite
def mutated(draw, seeds: list[bytes]) -> bytes:
    """One seed document, changed by a few random edits."""
    data = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 4))):
        edit = draw(st.sampled_from(["cut", "insert", "duplicate", "nest", "recode"]))
        at = draw(st.integers(0, len(data)))
        if edit == "cut":
            data = data[:at]
        elif edit == "insert":
            data = data[:at] + draw(NOISE).encode("utf-8") + data[at:]
        elif edit == "duplicate":
            end = min(len(data), at + draw(st.integers(1, 2000)))
            data = data[:end] + data[at:end] + data[end:]
        elif edit == "nest":
            depth = draw(st.integers(10, 400))
            data = data[:at] + b"<div class='post'>" * depth + data[at:]
        else:
            codec = draw(st.sampled_from(["latin-1", "cp1252", "utf-16", "utf-8"]))
            data = data.decode("utf-8", "replace").encode(codec, "replace")
    return data


def _assert_record(item) -> None:
    assert type_errors(item) == []


@FUZZ
@given(mutated(PAGES), st.booleans())
def test_post_page_reader_never_raises(body: bytes, as_text: bool):
    page = parse_post_page(body.decode("utf-8", "replace") if as_text else body, URL)
    assert isinstance(page, PostPage)
    assert all(isinstance(v, (str, type(None))) for v in (page.title, page.html, page.text, page.author))
    assert isinstance(page.labels, tuple) and isinstance(page.images, tuple)
    if page.html:
        _assert_record(article_from_post(post_from_page(page), route="page", tz="+07:00", crawled_at=NOW,
                                         fetched_url=URL))


@FUZZ
@given(mutated(FEEDS))
def test_feed_reader_raises_only_feed_error(body: bytes):
    try:
        feed = parse_feed(body, url="https://x.blogspot.com/feeds/posts/default")
    except FeedError:
        return
    assert isinstance(feed, FeedPage)
    for entry in feed.entries:
        _assert_record(article_from_post(post_from_entry(entry), route=f"feed-{feed.format}", tz="+07:00",
                                         crawled_at=NOW, fetched_url=URL))


@FUZZ
@given(mutated(SITEMAPS))
def test_sitemap_reader_raises_only_sitemap_error(body: bytes):
    try:
        sitemap = read_sitemap(body)
    except SitemapError:
        return
    assert isinstance(sitemap, SitemapDocument) and sitemap.type in ("urlset", "sitemapindex")
    assert all(isinstance(e.loc, str) and e.loc for e in sitemap.entries)


@FUZZ
@given(mutated(PAGES))
def test_body_cleaner_never_raises(body: bytes):
    cleaned = read_body(body.decode("utf-8", "replace"), URL)
    assert isinstance(cleaned, Body)
    if cleaned.html is None:  # no HTML means no text and no images either
        assert cleaned == NO_BODY


TEXT = st.text(st.characters(codec="utf-8"), max_size=400)


@FUZZ
@given(st.one_of(TEXT, st.builds(lambda a, b: f"{a}\n\nhttp://bit.ly/{b}\n\nApril 26, 2019 at 12:37AM", TEXT, TEXT)))
def test_footer_split_never_raises_and_keeps_a_prefix(text: str):
    footer = split_footer(text)
    assert isinstance(footer, Footer)
    # The text kept is what precedes the footer, never new text.
    assert len(footer.text) <= len(text)


@FUZZ
@given(st.one_of(
    TEXT,
    st.builds("{} {} {} pukul {}.{} WIB".format, st.integers(-5, 40), st.sampled_from(["April", "Mei", "Agt", "x"]),
              st.integers(0, 10000), st.integers(-1, 30), st.integers(-1, 99)),
))
def test_date_parser_returns_an_aware_datetime_or_none(text: str):
    found = parse_date(text, tz="Asia/Jakarta", now=NOW)
    assert found is None or (isinstance(found, datetime) and found.tzinfo is not None)


@FUZZ
@given(st.one_of(TEXT, st.builds("https://{}/{}?{}#{}".format, TEXT, TEXT, TEXT, TEXT)))
def test_url_canonicalizer_never_raises(url: str):
    assert isinstance(canonicalize_url(url), str)
