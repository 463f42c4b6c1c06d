"""Spider arguments and site names: what a user types, what the crawl makes of it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from scrapy.exceptions import UsageError

from newscrawl.arguments import CrawlArgs
from newscrawl.blogger.sites import SiteError, parse_site

JAKARTA = timezone(timedelta(hours=7))


@pytest.mark.parametrize(
    ("typed", "host", "base"),
    [
        ("https://kabar.blogspot.com/", "kabar.blogspot.com", "https://kabar.blogspot.com"),
        ("kabar.blogspot.co.id", "kabar.blogspot.com", "https://kabar.blogspot.com"),
        ("http://KABAR.blogspot.de/2019/04/x.html", "kabar.blogspot.com", "http://kabar.blogspot.com"),
        ("https://www.kabar-nusantara.id", "www.kabar-nusantara.id", "https://www.kabar-nusantara.id"),
        ("http://127.0.0.1:8080/", "127.0.0.1", "http://127.0.0.1:8080"),
    ],
)
def test_parse_site(typed, host, base):
    site = parse_site(typed)
    assert (site.host, site.base) == (host, base)
    assert site.sitemap_url == base + "/sitemap.xml"


@pytest.mark.parametrize("typed", ["", "ftp://x.blogspot.com", "https://", "not a host", "https://x:99999/"])
def test_parse_site_refuses(typed):
    with pytest.raises(SiteError):
        parse_site(typed)


def test_local_url_keeps_links_on_the_site():
    site = parse_site("https://kabar.blogspot.com")
    assert site.local_url("http://kabar.blogspot.co.id/2019/04/a.html?m=1#c") == "https://kabar.blogspot.com/2019/04/a.html"
    assert site.local_url("https://other.blogspot.com/2019/04/a.html") is None
    assert site.local_url("https://evil.example.com/kabar.blogspot.com") is None


def test_arguments_are_typed():
    args = CrawlArgs.from_kwargs({
        "site": "https://a.blogspot.com, b.blogspot.co.id,https://a.blogspot.com",
        "since": "2019-04-01", "until": "2019-04-26T12:00:00+07:00", "max_posts": "10",
        "search_pages": "yes", "_job": "abc",
    })
    assert [s.host for s in args.sites] == ["a.blogspot.com", "b.blogspot.com"]
    assert args.since == datetime(2019, 4, 1, tzinfo=args.since.tzinfo) and args.since.utcoffset() == timedelta(hours=7)
    assert args.until == datetime(2019, 4, 26, 12, tzinfo=JAKARTA)
    assert args.max_posts == 10 and args.search_pages is True


def test_sites_file(tmp_path):
    path = tmp_path / "sites.txt"
    path.write_text("\ufeff# list\n\na.blogspot.com\n  https://b.blogspot.com/ # second\n", encoding="utf-8")
    assert [s.host for s in CrawlArgs.from_kwargs({"sites": str(path)}).sites] == ["a.blogspot.com", "b.blogspot.com"]
    path.write_text("a.blogspot.com\nftp://bad\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"sites\.txt:2"):
        CrawlArgs.from_kwargs({"sites": str(path)})


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"site": "a.blogspot.com", "sitess": "x"}, "unknown argument(s) sitess"),
        ({"site": "a.blogspot.com", "since": "2019-05-01", "until": "2019-04-01"}, "must be before"),
        ({"site": "a.blogspot.com", "search_pages": "maybe"}, "search_pages='maybe'"),
        ({"urls": "javascript:alert(1)"}, "expected an http(s) or file:/// URL"),
        ({"site": "a.blogspot.com", "max_posts": "ten"}, "max_posts='ten'"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(UsageError) as error:
        CrawlArgs.from_kwargs(kwargs)
    assert message in str(error.value)
