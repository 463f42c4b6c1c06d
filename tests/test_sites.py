"""Tests for newscrawl.blogger.sites: Blogger's URLs, paths and shared conventions."""

from __future__ import annotations

import pytest

from newscrawl.blogger.sites import (
    blog_id_in_feed_url,
    feed_url,
    is_archive_path,
    is_navigation_path,
    is_placeholder_author,
    is_post_url,
    is_static_path,
    is_summary_feed_url,
    parse_site,
    post_feed_url,
    post_month,
)

@pytest.mark.parametrize(
    ("kwargs", "url"),
    [
        ({}, "https://x.blogspot.com/feeds/posts/default?alt=json&start-index=1&max-results=150"),
        ({"fmt": "atom"}, "https://x.blogspot.com/feeds/posts/default?start-index=1&max-results=150"),
        (
            {"fmt": "rss", "start_index": 151, "max_results": 25},
            "https://x.blogspot.com/feeds/posts/default?alt=rss&start-index=151&max-results=25",
        ),
        ({"summary": True}, "https://x.blogspot.com/feeds/posts/summary?alt=json&start-index=1&max-results=150"),
        (
            {
                "orderby": "published",
                "published_min": "2019-04-01T00:00:00+07:00",
                "published_max": "2019-04-26T00:00:00+07:00",
            },
            "https://x.blogspot.com/feeds/posts/default?alt=json&start-index=1&max-results=150&orderby=published"
            "&published-min=2019-04-01T00:00:00%2B07:00&published-max=2019-04-26T00:00:00%2B07:00",
        ),
        (
            {"orderby": "updated", "updated_min": "2019-04-25T17:00:00Z"},
            "https://x.blogspot.com/feeds/posts/default?alt=json&start-index=1&max-results=150"
            "&orderby=updated&updated-min=2019-04-25T17:00:00Z",
        ),
    ],
    ids=["defaults", "atom", "rss-page", "summary", "published-window", "updated-since"],
)
def test_feed_url(kwargs, url):
    assert feed_url("https://x.blogspot.com", **kwargs) == url


def test_feed_url_ignores_a_trailing_slash():
    assert feed_url("https://x.blogspot.com/") == feed_url("https://x.blogspot.com")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"fmt": "xml"}, "unknown feed format"),
        ({"updated_min": "2019-04-25T17:00:00Z"}, "orderby='updated'"),
        ({"orderby": "published", "updated_min": "2019-04-25T17:00:00Z"}, "orderby='updated'"),
    ],
)
def test_feed_url_rejects(kwargs, message):
    with pytest.raises(ValueError, match=message):
        feed_url("https://x.blogspot.com", **kwargs)


def test_post_feed_url():
    assert post_feed_url("https://x.blogspot.com/", "123") == "https://x.blogspot.com/feeds/posts/default/123?alt=json"
    assert parse_site("x.blogspot.co.id").post_feed_url("9") == "https://x.blogspot.com/feeds/posts/default/9?alt=json"


@pytest.mark.parametrize(
    ("path", "archive"),
    [
        ("/2019/", True),
        ("/2019/04/", True),
        ("/2019_04_archive.html", True),
        ("/2019_04_26_archive.html", True),
        ("/2019/04/a.html", False),
        ("/2019", False),
        ("/p/about.html", False),
        ("/x/2019/04/", False),
    ],
)
def test_is_archive_path(path, archive):
    assert is_archive_path(path) is archive


@pytest.mark.parametrize(
    ("path", "navigation"),
    [
        ("", True),
        ("/", True),
        ("/p/about.html", True),
        ("/search/label/Berita", True),
        ("/search", False),
        ("/2019/04/a.html", False),
        ("/p/sub/about.html", False),
    ],
)
def test_is_navigation_path(path, navigation):
    assert is_navigation_path(path) is navigation
    assert is_static_path(path) is (path.startswith("/p/") and navigation)


@pytest.mark.parametrize(
    ("name", "placeholder"),
    [("Unknown", True), (" unknown ", True), ("Anonymous", True), ("Unknown Writer", False), ("Redaksi", False)],
)
def test_is_placeholder_author(name, placeholder):
    assert is_placeholder_author(name) is placeholder


def test_blog_id_in_feed_url():
    assert blog_id_in_feed_url("https://www.blogger.com/feeds/7310432915873359061/posts/default") == "7310432915873359061"
    assert blog_id_in_feed_url("https://x.blogspot.com/feeds/posts/default") is None


def test_is_summary_feed_url():
    assert is_summary_feed_url("https://x.blogspot.com/feeds/posts/summary?alt=rss")
    assert not is_summary_feed_url("https://x.blogspot.com/feeds/posts/default?alt=rss")
    assert not is_summary_feed_url(None)


POST = "https://contoh.blogspot.com/2019/04/harga-cabai-naik.html"

POST_URL_CASES = [
    ("post", POST, (2019, 4)),
    ("post on http with m=1", "http://contoh.blogspot.co.id/2019/04/a.html?m=1", (2019, 4)),
    ("post with a comment fragment", POST + "#comment-form", (2019, 4)),
    ("custom domain post", "https://www.berita-kita.com/2018/12/banjir_12.html", (2018, 12)),
    ("path only", "/2020/01/a.html", (2020, 1)),
    ("static page", "https://contoh.blogspot.com/p/tentang.html", None),
    ("month archive", "https://contoh.blogspot.com/2019/04/", None),
    ("year archive", "https://contoh.blogspot.com/2019/", None),
    ("search", "https://contoh.blogspot.com/search?updated-max=2019-04-26T00:00:00%2B07:00", None),
    ("label", "https://contoh.blogspot.com/search/label/Berita", None),
    ("feed", "https://contoh.blogspot.com/feeds/posts/default", None),
    ("home", "https://contoh.blogspot.com/", None),
    ("month 13", "https://contoh.blogspot.com/2019/13/a.html", None),
    ("month 00", "https://contoh.blogspot.com/2019/00/a.html", None),
    ("one-digit month", "https://contoh.blogspot.com/2019/4/a.html", None),
    ("not .html", "https://contoh.blogspot.com/2019/04/a", None),
    ("no slug", "https://contoh.blogspot.com/2019/04/.html", None),
    ("deeper path", "https://contoh.blogspot.com/x/2019/04/a.html", None),
    ("garbage", "http://[::1/2019/04/a.html", None),
    ("empty", "", None),
]


@pytest.mark.parametrize(
    ("url", "expected"),
    [case[1:] for case in POST_URL_CASES],
    ids=[case[0] for case in POST_URL_CASES],
)
def test_post_month(url, expected):
    assert post_month(url) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [(case[1], case[2] is not None) for case in POST_URL_CASES],
    ids=[case[0] for case in POST_URL_CASES],
)
def test_is_post_url(url, expected):
    assert is_post_url(url) is expected


def test_post_url_on_site():
    site = parse_site("https://kabar.blogspot.co.id")
    assert site.post_url_on_site("https://evil.example/2019/04/a.html?x=1") == "https://kabar.blogspot.com/2019/04/a.html"
    assert site.post_url_on_site("https://evil.example/p/about.html") is None
    assert site.post_url_on_site("not a url") is None
