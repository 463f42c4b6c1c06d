"""How a record is built from a feed entry or a post page: every field, one type, one meaning.

The post goes through extraction (newscrawl.blogger.post) first, as in a crawl; the loader
only normalizes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from newscrawl.blogger.body import read_body
from newscrawl.blogger.feeds import FeedEntry
from newscrawl.blogger.pages import PostPage
from newscrawl.blogger.post import post_from_entry, post_from_page
from newscrawl.items import ARTICLE_FIELDS
from newscrawl.dates import offset_of
from newscrawl.loaders import article_from_post, article_id

NOW = datetime(2019, 4, 26, 5, 0, tzinfo=timezone.utc)
BODY = (
    "<p>Harga cabai rawit di pasar tradisional naik dua kali lipat menjelang Ramadan.</p>"
    "<p>Bagikan Berita Ini</p>"
    "<p>Pedagang menyebut pasokan dari petani berkurang. (prm)</p>"
    '<a href="http://bit.ly/2UVp8x3">http://bit.ly/2UVp8x3</a><br />\nApril 26, 2019 at 12:37AM'
)
ENTRY = FeedEntry(
    blog_id="7531902468135792468", post_id="2222222222222222222",
    url="http://kabar.blogspot.co.id/2019/04/harga-cabai.html?m=1", title="Harga Cabai &amp; Bawang Naik",
    html=BODY, is_summary=False, published="Fri, 26 Apr 2019 00:37:00 +0000",
    updated="2019-04-26T08:00:00.002+07:00", author="Redaksi", labels=("Ekonomi", "Ekonomi", " Pasar "),
)
PAGE = PostPage(
    page_type="item", url="https://kabar.blogspot.com/2019/04/harga-cabai.html", blog_id="7531902468135792468",
    post_id="2222222222222222222", title="Harga Cabai & Bawang Naik", html=read_body(BODY, "").html,
    text=read_body(BODY, "").text,
    published_raw="Jumat, 26 April 2019", updated_raw=None, author="Redaksi", labels=("Ekonomi",),
    images=(), template="classic", language="id",
)


def test_feed_entry_record():
    item = article_from_post(post_from_entry(ENTRY), route="feed-rss", tz="+07:00", crawled_at=NOW)
    assert set(item.keys()) == set(ARTICLE_FIELDS)
    assert item["id"] == "blogger-7531902468135792468-2222222222222222222"
    assert item["url"] == "https://kabar.blogspot.com/2019/04/harga-cabai.html"
    assert item["site"] == "kabar.blogspot.com"
    assert item["title"] == "Harga Cabai & Bawang Naik"
    # RSS pubDate is GMT: the record carries the blog's own offset.
    assert item["published"] == "2019-04-26T07:37:00+07:00"
    assert item["published_precision"] == "time"
    assert item["updated"] == "2019-04-26T08:00:00+07:00"
    assert item["labels"] == ["Ekonomi", "Pasar"]
    assert item["text"] == (
        "Harga cabai rawit di pasar tradisional naik dua kali lipat menjelang Ramadan.\n\n"
        "Pedagang menyebut pasokan dari petani berkurang."
    )
    assert item["source_url"] == "http://bit.ly/2UVp8x3"
    assert item["source_published"] == "2019-04-26T00:37:00+07:00"
    assert item["source_url_resolved"] is None and item["duplicate_of"] is None
    assert item["crawled_at"] == "2019-04-26T05:00:00+00:00"
    assert item["language"] == "id"


def test_day_only_date_is_marked_as_such():
    item = article_from_post(post_from_page(PAGE), route="page", fetched_url=PAGE.url, tz="+07:00", crawled_at=NOW)
    assert item["published"] == "2019-04-26T00:00:00+07:00"
    assert item["published_precision"] == "day"
    assert item["published_raw"] == "Jumat, 26 April 2019"
    assert item["author"] == "Redaksi"


def test_page_and_feed_give_the_same_record():
    from_feed = article_from_post(post_from_entry(replace(ENTRY, published="2019-04-26T07:37:00+07:00")),
                                  route="feed-json", tz="+07:00", crawled_at=NOW)
    page = replace(PAGE, published_raw="2019-04-26T07:37:00+07:00", updated_raw="2019-04-26T08:00:00+07:00")
    summary = replace(ENTRY, is_summary=True, html="Harga cabai rawit ...")
    from_page = article_from_post(post_from_page(page), route="page", fetched_url=page.url, tz="+07:00",
                                  crawled_at=NOW, fallback=post_from_entry(summary))
    differing = {k for k in ARTICLE_FIELDS if from_feed[k] != from_page[k]}
    assert differing == {"route"}
    assert from_page["text"].endswith("berkurang.") and from_page["source_url"] == "http://bit.ly/2UVp8x3"


def test_a_page_without_ids_gets_a_url_hash_id():
    page = replace(PAGE, blog_id=None, post_id=None)
    item = article_from_post(post_from_page(page), route="page", fetched_url=page.url, tz="+07:00", crawled_at=NOW)
    assert item["id"] == article_id(None, None, "https://kabar.blogspot.com/2019/04/harga-cabai.html")
    assert item["id"].startswith("url-") and item["blog_id"] is None


def test_empty_page_fields_are_null_or_empty_lists():
    page = replace(PAGE, title=None, html=None, text=None, published_raw=None, author=None, labels=())
    item = article_from_post(post_from_page(page), route="page", fetched_url=page.url, tz="Asia/Jakarta", crawled_at=NOW)
    assert [item[k] for k in ("title", "text", "html", "published", "published_precision", "author")] == [None] * 6
    assert item["labels"] == [] and item["images"] == []


@pytest.mark.parametrize(
    ("raw", "offset"),
    [("2019-04-26T07:37:00.001+07:00", "+07:00"), ("2019-04-26T07:37:00+08:00", "+08:00"),
     ("Jumat, 26 April 2019", None), (None, None), ("garbage", None)],
)
def test_offset_of(raw, offset):
    assert offset_of(raw) == offset
