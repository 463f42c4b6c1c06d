"""The sitemap reader: a whole sitemap gives every entry; a broken one says how it is broken,
instead of coming back shorter, as lxml's recovering parser would have it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from newscrawl.blogger.sitemaps import SitemapError, read_sitemap, read_sitemap_leniently
from newscrawl.demo.faults import with_entities
from newscrawl.demo.sitemaps import render_urlset

START = datetime(2019, 4, 1, 8, 0, tzinfo=timezone.utc)
URLSET = render_urlset([(f"https://x.blogspot.com/2019/04/post-{n}.html", START + timedelta(hours=n))
                        for n in range(10)]).encode("utf-8")
INDEX = (b"<?xml version='1.0' encoding='UTF-8'?><sitemapindex xmlns='http://www.sitemaps.org/schemas/sitemap/0.9'>"
         b"<sitemap><loc>https://x.blogspot.com/sitemap.xml?page=1</loc></sitemap>"
         b"<sitemap><loc>https://x.blogspot.com/sitemap.xml?page=2</loc></sitemap></sitemapindex>")


def test_a_whole_urlset_gives_every_entry_with_its_lastmod():
    sitemap = read_sitemap(URLSET)
    assert sitemap.type == "urlset"
    assert [e.loc for e in sitemap.entries] == [f"https://x.blogspot.com/2019/04/post-{n}.html" for n in range(10)]
    assert sitemap.entries[3].lastmod.startswith("2019-04-01T11:00:00")


def test_a_sitemap_index_gives_its_children():
    sitemap = read_sitemap(INDEX)
    assert sitemap.type == "sitemapindex"
    assert [e.loc for e in sitemap.entries][-1] == "https://x.blogspot.com/sitemap.xml?page=2"


def test_a_cut_off_sitemap_is_an_error_that_asks_for_a_fresh_copy():
    cut = URLSET[: len(URLSET) // 2]
    with pytest.raises(SitemapError) as caught:
        read_sitemap(cut)
    assert caught.value.broken and caught.value.truncated
    assert str(caught.value) == "urlset cut off"
    # What arrived is still there for the last resort: the entries before the cut.
    assert 0 < len(read_sitemap_leniently(cut).entries) < 10


def test_entity_amplification_is_refused_not_taken_for_an_empty_sitemap():
    # lxml's recovering parser reads this as a urlset with no entries at all.
    bomb = with_entities(URLSET, "billion_laughs")
    assert read_sitemap_leniently(bomb).entries == ()
    with pytest.raises(SitemapError) as caught:
        read_sitemap(bomb)
    assert caught.value.broken and not caught.value.truncated
    assert "amplification" in str(caught.value)


def test_an_external_entity_is_neither_read_nor_kept_in_the_url():
    sitemap = read_sitemap(with_entities(URLSET, "external_entity"))
    assert sitemap.entries[0].loc == "https://x.blogspot.com/2019/04/post-0.html"
    assert len(sitemap.entries) == 10


@pytest.mark.parametrize("body", [b"<html><body>Not here</body></html>", b"", b"{}",
                                  b"<?xml version='1.0'?><feed><title>x</title></feed>"])
def test_something_else_than_a_sitemap_is_not_worth_fetching_again(body):
    with pytest.raises(SitemapError) as caught:
        read_sitemap(body)
    assert not caught.value.broken


def test_a_character_reference_to_a_surrogate_costs_one_entry_not_the_sitemap():
    # Found by the fuzz tests: lxml's recovering parser lets it through, then raises on reading it.
    body = URLSET.replace(b"<loc>https://x.blogspot.com/2019/04/post-5.html", b"<loc>&#xD800;https://x.blogspot.com/2019/04/post-5.html")
    with pytest.raises(SitemapError) as caught:
        read_sitemap(body)
    assert caught.value.broken
    assert [e.loc for e in read_sitemap_leniently(body).entries][:5] == [
        f"https://x.blogspot.com/2019/04/post-{n}.html" for n in range(5)]
