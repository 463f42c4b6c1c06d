"""Post pages: what becomes of one once fetched: a record, the post's own feed (Dynamic
Views pages hold no post), or, when the page fails for good, a partial record from the summary
feed entry that named it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any

from scrapy import Request
from scrapy.http import Response
from twisted.python.failure import Failure

from newscrawl.blogger.feeds import FeedEntry, FeedError, parse_feed
from newscrawl.blogger.pages import parse_post_page
from newscrawl.blogger.post import post_from_entry, post_from_page, post_from_summary
from newscrawl.dates import offset_of
from newscrawl.loaders import article_from_post
from newscrawl.spiders.responses import content_type, failure_reason
from newscrawl.spiders.sitecrawl import SiteCrawl

PRIORITY_POST = 10


class PostPages:
    """Spider mixin; the spider provides ``crawls``, ``crawler``, ``_crawl_for``, ``_problem``,
    ``_unreachable``, ``_emit``, ``_release``, ``_tz``, ``_default_tz`` and ``_in_window``."""

    def _page_request(self, crawl: SiteCrawl, url: str, entry: FeedEntry | None = None,
                      entry_route: str | None = None) -> Request:
        """A post page; ``entry`` is the summary feed entry that named it (read from
        ``entry_route``), kept for the record's metadata and as a partial record if the page
        fails for good."""
        return Request(
            url,
            callback=self.parse_page,
            errback=self.page_failed,
            priority=PRIORITY_POST,
            meta={"site": crawl.site.host, "ctx": crawl.context(), "entry": entry, "entry_route": entry_route},
        )

    def parse_page(self, response: Response) -> Iterator[Any]:
        """A post page: one record, or a logged 'not a post'."""
        crawl = self._site_crawl(response.meta.get("site", ""), response.meta) or self._crawl_for(response.url)
        page = parse_post_page(response.body, response.url, encoding=getattr(response, "encoding", None))
        self.crawler.stats.inc_value(f"newscrawl/pages/template/{page.template}")
        if page.page_type == "item" and not page.html and page.post_id and crawl is not None:
            # A post drawn by script (Dynamic Views): its own feed entry carries it.
            self.crawler.stats.inc_value("newscrawl/pages/read_from_post_feed")
            yield self._post_feed_request(crawl, page.post_id, response.meta)
            return
        if page.page_type not in (None, "item") or not page.html:
            reason = f"page type {page.page_type!r}" if page.page_type else "no post body found"
            yield from self._page_lost(crawl, "not_a_post", response.url, reason, response.meta)
            return
        if crawl is None and page.url:
            crawl = self._crawl_for(page.url)
        if crawl is not None and crawl.tz is None:
            # Feeds off: the blog's offset comes from its own page timestamps instead.
            crawl.tz = offset_of(page.published_raw) or offset_of(page.updated_raw)
        tz = self._tz(crawl) if crawl else (offset_of(page.published_raw) or self._default_tz)
        entry = response.meta.get("entry")
        item = article_from_post(
            post_from_page(page),
            route="page",
            tz=tz,
            crawled_at=datetime.now(timezone.utc),
            fallback=post_from_entry(entry) if entry is not None else None,
            fetched_url=response.url,
            fallback_blog_id=crawl.blog_id if crawl else None,
        )
        if crawl is not None and not self._in_window(item["published"], crawl):
            self.crawler.stats.inc_value("newscrawl/filtered/outside_window")
            self._release(crawl)
            return
        yield self._emit(item)

    def _post_feed_request(self, crawl: SiteCrawl, post_id: str, page_meta: dict) -> Request:
        return Request(
            crawl.site.post_feed_url(post_id),
            callback=self.parse_post_feed,
            errback=self.page_failed,
            priority=PRIORITY_POST,
            meta={"site": crawl.site.host, "ctx": crawl.context(), "entry": page_meta.get("entry"),
                  "entry_route": page_meta.get("entry_route")},
        )

    def parse_post_feed(self, response: Response) -> Iterator[Any]:
        """One post's own feed: the record, when the entry carries the whole post."""
        crawl = self._site_crawl(response.meta["site"], response.meta)
        try:
            entries = parse_feed(response.body, url=response.url, content_type=content_type(response)).entries
        except FeedError as exc:
            entries, reason = (), str(exc)
        else:
            reason = "the post's own feed holds no full entry"
        if not entries or entries[0].is_summary or not entries[0].html:
            yield from self._page_lost(crawl, "not_a_post", response.url, reason, response.meta)
            return
        item = article_from_post(post_from_entry(entries[0]), route="feed-json", tz=self._tz(crawl),
                                  crawled_at=datetime.now(timezone.utc), fallback_blog_id=crawl.blog_id)
        if not self._in_window(item["published"], crawl):
            self._release(crawl)
            return
        yield self._emit(item)

    def page_failed(self, failure: Failure) -> Iterator[Any]:
        url = failure.request.url
        crawl = self._site_crawl(failure.request.meta.get("site", ""), failure.request.meta) or self._crawl_for(url)
        # An unreachable site is one problem, not one per page.
        kind = None if self._unreachable(crawl, failure) else "page_failed"
        yield from self._page_lost(crawl, kind, url, failure_reason(failure), failure.request.meta)

    def _page_lost(self, crawl: SiteCrawl | None, kind: str | None, url: str, reason: str, meta: dict) -> Iterator[Any]:
        """A post page that could not be read, for good (``kind``: the problem to report, None
        when reported already). When a summary feed entry named it, that entry still says what
        the post is: it is exported as a partial record (``complete: false``), which a later
        run that reads the page replaces."""
        entry = meta.get("entry")
        if entry is None or crawl is None:
            if kind is not None:
                self._problem(crawl, kind, url, reason)
            self._release(crawl)
            return
        if kind is not None:
            self._problem(crawl, kind, url, f"{reason}; exported from its summary entry as a partial record")
        self.crawler.stats.inc_value("newscrawl/partial_records")
        yield self._emit(article_from_post(
            post_from_summary(entry),
            route=meta.get("entry_route") or "feed-json",
            tz=self._tz(crawl),
            crawled_at=datetime.now(timezone.utc),
            fetched_url=url,
            fallback_blog_id=crawl.blog_id,
            complete=False,
        ))
