"""The ``blogspot`` spider: which URL to fetch next, and which extractor reads it.

Discovery per site, best route first:

1. the JSON posts feed, paged with start-index / max-results by what actually came back;
2. Atom, then RSS, when a format is refused or arrives broken;
3. the sitemap (index and ``?page=N`` children) and the post pages, when feeds are disabled;
4. the home page and archive pages, when there is no sitemap either.

Feed entries that carry the whole post become records directly; summary-only entries and
sitemap URLs are fetched as post pages. Fields are never parsed here: ``newscrawl.blogger``
reads feeds and pages, ``newscrawl.loaders`` builds the record.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import scrapy
from scrapy import Request
from scrapy.http import Response
from twisted.python.failure import Failure

from newscrawl.arguments import CrawlArgs
from newscrawl.blogger.feeds import FeedEntry, FeedError, FeedPage, blog_offset, next_start_index, parse_feed
from newscrawl.blogger.post import post_from_entry
from newscrawl.blogger.sitemaps import SitemapError, read_sitemap
from newscrawl.blogger.sites import Site, feed_url, is_archive_path, is_post_url, is_search_path, post_month
from newscrawl.dates import parse_date, to_iso
from newscrawl.distributed import is_distributed
from newscrawl.distributed import prefix as redis_prefix
from newscrawl.distributed.sites import register_sites, registered_site
from newscrawl.loaders import article_from_post, article_id
from newscrawl.middlewares import UNREACHABLE, HostUnreachable
from newscrawl.monitor import PROBLEM_KINDS, SiteReport
from newscrawl.runs import CrawlRun
from newscrawl.spiders.links import SourceLinks
from newscrawl.spiders.postpages import PRIORITY_POST, PostPages
from newscrawl.spiders.responses import content_type, failure_reason
from newscrawl.spiders.sitecrawl import SiteCrawl
from newscrawl.urls import blog_host, canonicalize_url

logger = logging.getLogger(__name__)

# The download slot of saved pages (-a urls=file:///...): see DOWNLOAD_SLOTS in settings.
LOCAL_FILES_SLOT = "local-files"

# Named crawl priorities: finish a feed before starting pages, pages before navigation.
PRIORITY_FEED = 30
PRIORITY_SITEMAP = 20
PRIORITY_NAVIGATION = 0

FEED_FORMATS = ("json", "atom", "rss")
# Statuses a feed request handles itself (fallback decisions) instead of failing.
FEED_STATUSES = [400, 401, 403, 404, 405, 406, 410, 415, 501]
# A feed that answers these has been switched off by the blog owner (Blogger's "Allow blog
# feed: None"); every format is then off, so the next route is the sitemap.
FEEDS_OFF = (403, 404, 410)


class BlogspotSpider(SourceLinks, PostPages, scrapy.Spider):
    """Crawl Blogger blogs (``-a site=``/``-a sites=``) and post pages (``-a urls=``)."""

    name = "blogspot"

    @classmethod
    def check_arguments(cls, kwargs: dict[str, str], *, distributed: bool = False) -> CrawlArgs:
        """Validate ``-a`` arguments; raises UsageError saying which one is wrong and why."""
        return CrawlArgs.from_kwargs(kwargs, distributed=distributed)

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        return super().from_crawler(crawler, *args, _distributed=is_distributed(crawler.settings), **kwargs)

    def __init__(self, *args: Any, _distributed: bool = False, **kwargs: Any):
        # _distributed: REDIS_URL is set (from_crawler says so; it is not an -a argument).
        self.distributed = _distributed
        self.args = self.check_arguments(kwargs, distributed=_distributed)
        super().__init__(*args)
        self.crawls: dict[str, SiteCrawl] = {
            site.host: SiteCrawl(site, SiteReport(site.host)) for site in self.args.sites
        }
        url_hosts = {blog_host(u) for u in self.args.urls if not u.startswith("file:")}
        for host in sorted(url_hosts - set(self.crawls)):
            self.crawls[host] = SiteCrawl(Site(host=host, base=f"https://{host}"), SiteReport(host, route="page"))
        # Requests may only go to the sites being crawled (OffsiteMiddleware reads this).
        self.allowed_domains = sorted(self.crawls)
        self.run: CrawlRun | None = None  # the state of earlier runs, once the crawl starts

    # --- reporting ---------------------------------------------------------------------
    @property
    def reports(self) -> dict[str, SiteReport]:
        # A distributed worker reports the sites it worked on: another may have taken the rest.
        return {
            host: crawl.report for host, crawl in self.crawls.items()
            if not self.distributed or crawl.report.requests
        }

    def report_for(self, url_or_host: str) -> SiteReport | None:
        """The report of the site a URL (or host) belongs to, if any."""
        crawl = self._crawl_for(url_or_host)
        return crawl.report if crawl else None

    def owns_url(self, url: str) -> bool:
        """True when ``url`` is on one of the sites being crawled (aliases included)."""
        return self._crawl_for(url) is not None

    def _crawl_for(self, url_or_host: str) -> SiteCrawl | None:
        if not url_or_host or url_or_host.startswith("file:"):
            return None
        try:
            return self._site_crawl(blog_host(url_or_host))
        except ValueError:
            return None

    def _site_crawl(self, host: str, meta: dict | None = None) -> SiteCrawl | None:
        """The crawl of the site ``host``; a distributed worker meets sites another worker
        seeded, and finds them in the shared registry. ``meta``: the request that led here,
        whose ``ctx`` carries what the site's earlier responses taught (possibly to another
        worker): the blog's id and offset, the feed formats found off."""
        crawl = self.crawls.get(host)
        if crawl is None and self.distributed and self.run is not None:
            site = registered_site(self.run.store.redis, redis_prefix(self.settings), host)
            if site is not None:
                crawl = self.crawls[host] = SiteCrawl(site, SiteReport(host))
        if crawl is not None and meta and "ctx" in meta:
            crawl.absorb(meta["ctx"])
        return crawl

    def _problem(self, crawl: SiteCrawl | None, kind: str, url: str, reason: str) -> None:
        """Log what went wrong and where, count it, and carry on."""
        assert kind in PROBLEM_KINDS, f"undocumented problem kind {kind!r}"
        logger.warning("%s at %s: %s", kind.replace("_", " "), url, reason)
        self.crawler.stats.inc_value(f"newscrawl/problems/{kind}")
        if crawl is not None:
            crawl.report.problems[kind] += 1

    def _unreachable(self, crawl: SiteCrawl | None, failure: Failure) -> bool:
        """True when the failure says the site's host does not resolve or refuses connections.
        The site is then given up for the run, with one site_unreachable problem: no other
        route would reach it either."""
        if not failure.check(HostUnreachable, *UNREACHABLE):
            return False
        if crawl is not None and not crawl.unreachable:
            crawl.unreachable = True
            self._problem(crawl, "site_unreachable", failure.request.url,
                          f"{failure_reason(failure)}; no other route is tried in this run")
        return True

    # --- start -------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Request]:
        self.run = self.crawler.get_extension(CrawlRun)
        if self.distributed and self.run is not None:
            register_sites(self.run.store.redis, redis_prefix(self.settings), self.args.sites)
        for crawl in list(self.crawls.values()):
            if crawl.report.route == "page":
                continue
            for request in self._site_start(crawl):
                yield request
        for url in self.args.urls:
            meta = {"allow_offsite": True}  # named by the user, so on-site (file:// has no host)
            if url.startswith("file:"):
                # Saved pages are read from disk: politeness is for other people's servers.
                # Their own download slot has no delay and AutoThrottle leaves it alone.
                meta.update(download_slot=LOCAL_FILES_SLOT, autothrottle_dont_adjust_delay=True)
            yield Request(url, callback=self.parse_page, errback=self.page_failed, priority=PRIORITY_POST, meta=meta)

    def _site_start(self, crawl: SiteCrawl) -> Iterator[Request]:
        """A site's first request: its JSON feed, or its sitemap when the feeds were off."""
        self._plan_incremental(crawl)
        off_since = self._feeds_known_off(crawl)
        if off_since is not None:
            crawl.feeds_known_off = True
            yield from self._start_sitemap(crawl, f"its feeds were off when last asked, {to_iso(off_since)}")
        else:
            yield self._feed_request(crawl, "json", 1)

    def restart_site(self, host: str, round_id: str) -> list[Request]:
        """Start a registered site again in a new crawl round (a dead worker's sites: see
        ``newscrawl.distributed.workers``); nothing for a site that is not registered."""
        crawl = self._site_crawl(host)
        if crawl is None:
            return []
        crawl.fallback_started.clear()
        requests = list(self._site_start(crawl))
        for request in requests:
            request.meta["round"] = round_id
        return requests

    def _feeds_known_off(self, crawl: SiteCrawl) -> datetime | None:
        """When an earlier run found the site's feeds off, recently enough not to ask again."""
        if self.run is None or self.args.fresh:
            return None
        days = self.settings.getfloat("NEWSCRAWL_FEEDS_RECHECK_DAYS", 7)
        return self.run.feeds_off_since(crawl.site.host, timedelta(days=days))

    def site_routes(self) -> dict[str, tuple[str, bool | None]]:
        """Each site reached in this run -> (its route, whether its feeds were found off: None
        when they were not asked, or failed without saying)."""
        routes = {}
        for host, crawl in self.crawls.items():
            if crawl.report.route in ("none", "page"):
                continue
            if crawl.feeds_known_off:
                feeds_off = None
            elif "atom" in crawl.feed_formats_off:
                feeds_off = True
            elif crawl.report.route.startswith("feed-"):
                feeds_off = False
            else:
                feeds_off = None
            routes[host] = (crawl.report.route, feeds_off)
        return routes

    def _plan_incremental(self, crawl: SiteCrawl) -> None:
        """After a clean earlier run, ask only for what changed since its watermark. Distributed
        crawls set no watermarks (no worker sees a whole site), so they walk every feed."""
        if self.run is None or self.args.fresh or self.distributed:
            return
        crawl.watermark = self.run.watermark(crawl.site.host)
        if crawl.watermark is not None and not self._windowed:
            margin = timedelta(hours=self.settings.getfloat("NEWSCRAWL_WATERMARK_MARGIN_HOURS", 6))
            crawl.updated_min = crawl.watermark - margin
            logger.info("%s: incremental, posts updated since %s", crawl.site.host, to_iso(crawl.updated_min))

    def completed_sites(self) -> dict[str, str]:
        """Sites that finished cleanly and completely in this run -> their new watermark.

        A site with any problem, cut short by max_posts or a since/until window, or walked
        through HTML listings (no update times) keeps its old watermark."""
        completed = {}
        if self.distributed:
            return completed  # no worker sees a whole site (see _plan_incremental)
        for host, crawl in self.crawls.items():
            complete = (
                not crawl.report.problems
                and crawl.report.route.startswith(("feed-", "sitemap"))
                and not self._full(crawl)
                and not self._windowed
                and crawl.newest_updated is not None
            )
            if complete:
                completed[host] = to_iso(crawl.newest_updated)
        return completed

    @property
    def _windowed(self) -> bool:
        return bool(self.args.since or self.args.until or self.args.max_posts)

    # --- feeds -------------------------------------------------------------------------
    def _page_size(self, crawl: SiteCrawl) -> int:
        size = self.settings.getint("BLOGGER_FEED_PAGE_SIZE", 500)
        if self.args.max_posts is not None:
            size = max(1, min(size, self.args.max_posts - crawl.claimed))
        return size

    def _feed_request(self, crawl: SiteCrawl, fmt: str, start: int, attempt: int = 0) -> Request:
        asked = self._page_size(crawl)
        url = feed_url(
            crawl.site.base,
            fmt=fmt,
            start_index=start,
            max_results=asked,
            # Blogger honours updated-min only when ordering by updated.
            orderby="updated" if crawl.updated_min else "published",
            published_min=self.args.since.isoformat() if self.args.since else None,
            published_max=self.args.until.isoformat() if self.args.until else None,
            updated_min=to_iso(crawl.updated_min) if crawl.updated_min else None,
        )
        return Request(
            url,
            callback=self.parse_feed,
            errback=self.feed_failed,
            priority=PRIORITY_FEED,
            dont_filter=attempt > 0,
            meta={
                "site": crawl.site.host,
                "ctx": crawl.context(),
                "fmt": fmt,
                "start": start,
                "asked": asked,
                "attempt": attempt,
                "dont_cache": attempt > 0,  # a re-fetch of a broken document must be fresh
                "handle_httpstatus_list": FEED_STATUSES,
            },
        )

    def parse_feed(self, response: Response) -> Iterator[Any]:
        """One page of a posts feed: records for full entries, page requests for summaries,
        and the next page while the feed says there is more."""
        meta = response.meta
        crawl = self._site_crawl(meta["site"], meta)
        fmt, start = meta["fmt"], meta["start"]
        if response.status >= 400:
            yield from self._feed_refused(crawl, fmt, start, response)
            return
        try:
            page = parse_feed(response.body, url=response.url, content_type=content_type(response))
        except FeedError as exc:
            self._problem(crawl, "invalid_feed", response.url, str(exc))
            if meta["attempt"] < self.settings.getint("BLOGGER_FEED_PARSE_RETRIES", 2):
                yield self._feed_request(crawl, fmt, start, attempt=meta["attempt"] + 1)
            else:
                yield from self._next_route(crawl, fmt, start, f"{fmt} feed unreadable")
            return
        if start == 1 or crawl.report.route == "none":
            crawl.report.route = f"feed-{fmt}"
        crawl.blog_id = crawl.blog_id or page.blog_id
        crawl.tz = crawl.tz or blog_offset(page)
        yield from self._entries(crawl, page, fmt)
        crawl.feed_links_next = crawl.feed_links_next or page.next_url is not None
        next_start = next_start_index(page, start, crawl.feed_links_next)
        if next_start is not None and not self._full(crawl):
            yield self._feed_request(crawl, fmt, next_start)

    def _entries(self, crawl: SiteCrawl, page: FeedPage, fmt: str) -> Iterator[Any]:
        for entry in page.entries:
            if self._full(crawl):
                return
            updated = parse_date(entry.updated, tz=self._tz(crawl)) if entry.updated else None
            crawl.saw_updated(updated)
            if not self._in_window(entry.published, crawl):
                self.crawler.stats.inc_value("newscrawl/filtered/outside_window")
                continue
            entry = self._on_site(crawl, entry, page)
            if entry is None:
                continue
            key = canonicalize_url(entry.url) if entry.url else None
            if key is not None and not crawl.take(key):
                continue
            crawl.claimed += 1
            if entry.is_summary or not entry.html:
                url = crawl.site.local_url(entry.url) if entry.url else None
                if self._known_unchanged(crawl, entry, key, updated):
                    crawl.claimed -= 1
                    self.crawler.stats.inc_value("newscrawl/skipped/unchanged_page")
                    continue
                if url is None:
                    crawl.claimed -= 1
                    self._problem(crawl, "entry_without_post_url", page.blog_url or crawl.site.base,
                                  f"summary entry {entry.post_id} has no on-site link ({entry.url!r})")
                    continue
                self.crawler.stats.inc_value("newscrawl/summary_entries")
                yield self._page_request(crawl, url, entry, f"feed-{fmt}")
            else:
                yield self._emit(article_from_post(
                    post_from_entry(entry),
                    route=f"feed-{fmt}",
                    tz=self._tz(crawl),
                    crawled_at=datetime.now(timezone.utc),
                    fallback_blog_id=crawl.blog_id,
                ))

    def _on_site(self, crawl: SiteCrawl, entry: FeedEntry, page: FeedPage) -> FeedEntry | None:
        """The entry with its post link on the site. A feed says where a post lives but not which
        host may claim it: a link to another host is read on the site when its path is a post
        permalink, and the entry is skipped when it is not; both are logged problems."""
        if not entry.url or crawl.site.owns(entry.url):
            return entry
        repaired = crawl.site.post_url_on_site(entry.url)
        outcome = f"read as {repaired}" if repaired else "skipped"
        self._problem(crawl, "offsite_entry_link", page.blog_url or crawl.site.base,
                      f"entry {entry.post_id} links to {entry.url!r}; {outcome}")
        return replace(entry, url=repaired) if repaired else None

    def _known_unchanged(self, crawl: SiteCrawl, entry: FeedEntry, url: str | None, updated: datetime | None) -> bool:
        """A summary entry already exported by an earlier run and not updated since: its page
        need not be fetched again."""
        if self.run is None or self.args.fresh or not url:
            return False
        post_id = article_id(entry.blog_id or crawl.blog_id, entry.post_id, url)
        return self.run.exported_unchanged(post_id, url, to_iso(updated) if updated else None)

    def _page_unchanged(self, url: str, modified: datetime | None) -> bool:
        """A sitemap's post exported already, whole, and not modified since: with no watermark
        (distributed crawls), the shared state says which pages need no fetching."""
        if self.run is None or modified is None:
            return False
        return self.run.exported_unchanged(None, url, to_iso(modified))

    def _feed_refused(self, crawl: SiteCrawl, fmt: str, start: int, response: Response) -> Iterator[Request]:
        reason = f"{fmt} feed answered HTTP {response.status}"
        if response.status in FEEDS_OFF:
            crawl.feed_formats_off.add(fmt)
            # JSON alone may be refused; when the default (Atom) feed is off too, all feeds are.
            if "atom" in crawl.feed_formats_off:
                logger.info("%s: feeds are disabled (%s); using the sitemap", crawl.site.host, reason)
                yield from self._start_sitemap(crawl, reason)
                return
        else:
            self._problem(crawl, "feed_refused", response.url, reason)
        yield from self._next_route(crawl, fmt, start, reason)

    def feed_failed(self, failure: Failure) -> Iterator[Request]:
        """A feed request that failed for good (after retries): try the next format."""
        request = failure.request
        crawl = self._site_crawl(request.meta["site"], request.meta)
        if self._unreachable(crawl, failure):
            return
        self._problem(crawl, "feed_failed", request.url, failure_reason(failure))
        yield from self._next_route(crawl, request.meta["fmt"], request.meta["start"], failure_reason(failure))

    def _next_route(self, crawl: SiteCrawl, fmt: str, start: int, reason: str) -> Iterator[Request]:
        """Same feed page in the next format; after RSS, the sitemap."""
        remaining = [f for f in FEED_FORMATS[FEED_FORMATS.index(fmt) + 1:] if f not in crawl.feed_formats_off]
        if remaining:
            logger.info("%s: %s; trying the %s feed", crawl.site.host, reason, remaining[0])
            yield self._feed_request(crawl, remaining[0], start)
        else:
            yield from self._start_sitemap(crawl, reason)

    def _fall_back(self, crawl: SiteCrawl, route: str, reason: str, first: Request) -> Iterator[Request]:
        """Switch a site to a later route (once), starting with ``first``."""
        if route in crawl.fallback_started:
            return
        crawl.fallback_started.add(route)
        crawl.report.route = route
        logger.info("%s: taking the %s route (%s)", crawl.site.host, route, reason)
        yield first

    # --- sitemap -----------------------------------------------------------------------
    def _start_sitemap(self, crawl: SiteCrawl, reason: str) -> Iterator[Request]:
        return self._fall_back(crawl, "sitemap", reason, self._sitemap_request(crawl, crawl.site.sitemap_url))

    def _sitemap_request(self, crawl: SiteCrawl, url: str, attempt: int = 0) -> Request:
        return Request(
            url,
            callback=self.parse_sitemap,
            errback=self.sitemap_failed,
            priority=PRIORITY_SITEMAP,
            dont_filter=attempt > 0,
            meta={"site": crawl.site.host, "ctx": crawl.context(), "attempt": attempt, "dont_cache": attempt > 0},
        )

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        """A sitemap index (follow its children) or a urlset (fetch its post pages)."""
        crawl = self._site_crawl(response.meta["site"], response.meta)
        try:
            sitemap = read_sitemap(response.body)
        except SitemapError as exc:
            sitemap = yield from self._broken_sitemap(crawl, response, exc)
            if sitemap is None:
                return
        if sitemap.type == "sitemapindex":
            for child in sitemap.entries:
                url = crawl.site.local_url(child.loc)
                if url is None:
                    self._problem(crawl, "offsite_link", response.url, f"sitemap child {child.loc!r}")
                    continue
                yield self._sitemap_request(crawl, url)
            return
        for entry in sitemap.entries:
            loc = entry.loc
            if not is_post_url(loc):
                continue
            if self._full(crawl):
                return
            if not self._sitemap_entry_in_window(loc, entry.lastmod):
                self.crawler.stats.inc_value("newscrawl/filtered/outside_window")
                continue
            modified = parse_date(entry.lastmod, tz="UTC") if entry.lastmod else None
            crawl.saw_updated(modified)
            if crawl.watermark is not None and modified is not None and modified <= crawl.watermark:
                self.crawler.stats.inc_value("newscrawl/skipped/unchanged_page")
                continue
            url = crawl.site.local_url(loc)
            key = canonicalize_url(loc)
            if self.distributed and self._page_unchanged(key, modified):
                self.crawler.stats.inc_value("newscrawl/skipped/unchanged_page")
                continue
            if url is None or not crawl.take(key):
                continue
            crawl.claimed += 1
            yield self._page_request(crawl, url)

    def _broken_sitemap(self, crawl: SiteCrawl, response: Response, error: SitemapError):
        """A sitemap that does not parse whole: fetched again (fresh) while retries last, then
        read for what arrived. Yields the requests to make; returns the document to go on
        with, or None when there is none (then the HTML route is taken)."""
        kind = "truncated_sitemap" if error.truncated else "invalid_sitemap"
        attempt = response.meta.get("attempt", 0)
        if error.broken and attempt < self.settings.getint("BLOGGER_FEED_PARSE_RETRIES", 2):
            self._problem(crawl, kind, response.url, f"{error}; fetching it again")
            yield self._sitemap_request(crawl, response.url, attempt + 1)
            return None
        lenient = error.readable
        if lenient is None or not lenient.entries:
            self._problem(crawl, kind, response.url, str(error))
            yield from self._start_html(crawl, "sitemap unreadable")
            return None
        self._problem(crawl, kind, response.url, f"{error}; using the {len(lenient.entries)} entries that could be read")
        return lenient

    def _sitemap_entry_in_window(self, loc: str, lastmod: str | None) -> bool:
        # lastmod is the last update, never before publication: older than `since` means the
        # post was published before `since`. The permalink month bounds publication too.
        if self.args.since and lastmod:
            modified = parse_date(lastmod, tz="UTC")
            if modified is not None and modified < self.args.since:
                return False
        month = post_month(loc)
        if month and self.args.until:
            until = self.args.until
            if month > (until.year, until.month):
                return False
        if month and self.args.since:
            since = self.args.since
            if month < (since.year, since.month):
                return False
        return True

    def sitemap_failed(self, failure: Failure) -> Iterator[Request]:
        crawl = self._site_crawl(failure.request.meta["site"], failure.request.meta)
        if self._unreachable(crawl, failure):
            return
        self._problem(crawl, "sitemap_failed", failure.request.url, failure_reason(failure))
        yield from self._start_html(crawl, "no sitemap")

    # --- home page and archives (last resort) ------------------------------------------
    def _start_html(self, crawl: SiteCrawl, reason: str) -> Iterator[Request]:
        return self._fall_back(crawl, "html", reason, self._listing_request(crawl, crawl.site.homepage_url))

    def _listing_request(self, crawl: SiteCrawl, url: str) -> Request:
        return Request(
            url,
            callback=self.parse_listing,
            errback=self.listing_failed,
            priority=PRIORITY_NAVIGATION,
            meta={"site": crawl.site.host, "ctx": crawl.context()},
        )

    def parse_listing(self, response: Response) -> Iterator[Request]:
        """Home, archive and (opt-in) /search pages: post links, archive links, older pages."""
        crawl = self._site_crawl(response.meta["site"], response.meta)
        if not hasattr(response, "css"):
            self._problem(crawl, "not_html", response.url, "listing page is not HTML")
            return
        for href in response.css("a::attr(href)").getall():
            url = crawl.site.local_url(response.urljoin(href))
            if url is None:
                continue
            path = url.split(crawl.site.base, 1)[-1].split("?", 1)[0]
            if is_post_url(url):
                key = canonicalize_url(url)
                if crawl.has_taken(key) or self._full(crawl):
                    continue
                if not self._sitemap_entry_in_window(url, None):
                    continue
                crawl.take(key)
                crawl.claimed += 1
                yield self._page_request(crawl, url.split("?", 1)[0])
            elif is_archive_path(path) or (self.args.search_pages and is_search_path(path)):
                yield self._listing_request(crawl, url)

    def listing_failed(self, failure: Failure) -> None:
        crawl = self._crawl_for(failure.request.url)
        if not self._unreachable(crawl, failure):
            self._problem(crawl, "listing_failed", failure.request.url, failure_reason(failure))

    # --- helpers -----------------------------------------------------------------------
    @property
    def _default_tz(self) -> str:
        return self.settings.get("NEWSCRAWL_DEFAULT_TZ", "Asia/Jakarta")

    def _tz(self, crawl: SiteCrawl) -> str:
        return crawl.tz or self._default_tz

    def _full(self, crawl: SiteCrawl) -> bool:
        return self.args.max_posts is not None and crawl.claimed >= self.args.max_posts

    def _release(self, crawl: SiteCrawl | None) -> None:
        if crawl is not None and crawl.claimed > 0:
            crawl.claimed -= 1

    def _in_window(self, published: str | None, crawl: SiteCrawl) -> bool:
        if not published or not (self.args.since or self.args.until):
            return True
        when = parse_date(published, tz=self._tz(crawl))
        if when is None:
            return True
        if self.args.since and when < self.args.since:
            return False
        return not (self.args.until and when >= self.args.until)
