"""The spider behind ``scrapy health``: a quick look at each site, three requests at most. It lives
outside ``newscrawl.spiders``, so ``scrapy list`` and Scrapyd show only the crawl spider.

Per site, in order: ``/robots.txt``; then, if robots.txt allows them, the Atom posts feed with one
entry (Atom is every blog's default format; a 403/404/410 means the owner switched feeds off),
and the newest post's page, or the home page when the feed names none (its template family). From those: whether the site answers, the robots.txt
status, the feed mode (full / summary / off), the template family, the number of posts the feed
reports and the newest post's age. Robots.txt is read here, once, instead of by Scrapy's
middleware, which would add a request of its own.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

import scrapy
from protego import Protego
from scrapy import Request
from scrapy.http import Response
from twisted.python.failure import Failure

from newscrawl.arguments import CrawlArgs
from newscrawl.blogger.feeds import FeedError, parse_feed
from newscrawl.blogger.pages import parse_post_page
from newscrawl.blogger.sites import Site, feed_url
from newscrawl.dates import parse_date
from newscrawl.spiders.responses import content_type, failure_reason

FEEDS_OFF = (403, 404, 410)
_OWN_META = {"handle_httpstatus_all": True}  # every answer is a finding, errors included


@dataclass
class SiteHealth:
    site: str
    reachable: bool = False
    robots: str = "-"  # the robots.txt status: '200', '404', or why it failed
    feeds: str = "-"  # full | summary | off | disallowed | error: <why>
    template: str = "-"
    posts: int | None = None  # as the feed reports (openSearch:totalResults)
    newest: str | None = None  # the newest post's publication time
    newest_age_days: float | None = None
    requests: int = 0
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class HealthSpider(scrapy.Spider):
    name = "health"
    custom_settings = {
        "ROBOTSTXT_OBEY": False,  # read below, as one of the three requests
        "RETRY_TIMES": 0,
        "NEWSCRAWL_STATE_ENABLED": False,
        "NEWSCRAWL_EXPORT_DIR": "",
        "ITEM_PIPELINES": {},
        "LOG_LEVEL": "WARNING",
        "EXTENSIONS": {"newscrawl.runs.CrawlRun": None},
    }

    def __init__(self, sites: tuple[Site, ...] = (), **kwargs: Any):
        super().__init__(**kwargs)
        self.sites = tuple(sites)
        self.results: dict[str, SiteHealth] = {site.host: SiteHealth(site.host) for site in self.sites}

    @classmethod
    def from_arguments(cls, values: list[str]) -> tuple[Site, ...]:
        """Sites from the command line: URLs, or files of URLs (as ``-a sites=``)."""
        sites: dict[str, Site] = {}
        for value in values:
            args = CrawlArgs.from_kwargs({"sites": value} if not value.startswith(("http:", "https:")) else {"site": value})
            for site in args.sites:
                sites.setdefault(site.host, site)
        return tuple(sites.values())

    async def start(self) -> AsyncIterator[Request]:
        for site in self.sites:
            yield Request(f"{site.base}/robots.txt", callback=self.robots, errback=self.failed,
                          meta={**_OWN_META, "site": site}, dont_filter=True)

    def _health(self, response_or_failure) -> tuple[Site, SiteHealth]:
        request = response_or_failure.request
        site = request.meta["site"]
        health = self.results[site.host]
        health.requests += 1
        return site, health

    def robots(self, response: Response) -> Iterator[Request]:
        site, health = self._health(response)
        health.reachable = True
        health.robots = str(response.status)
        rules = Protego.parse(response.text if response.status == 200 else "")
        agent = self.settings.get("USER_AGENT")
        feed = feed_url(site.base, fmt="atom", max_results=1)
        meta = {**_OWN_META, "site": site, "rules": rules}
        if rules.can_fetch(feed, agent):
            yield Request(feed, callback=self.feed, errback=self.failed, dont_filter=True, meta=meta)
        else:
            health.feeds = "disallowed"
            yield from self._page(site, site.base + "/", meta)

    def _page(self, site: Site, url: str, meta: dict) -> Iterator[Request]:
        if meta["rules"].can_fetch(url, self.settings.get("USER_AGENT")):
            yield Request(url, callback=self.page, errback=self.failed, dont_filter=True, meta=meta)

    def feed(self, response: Response) -> Iterator[Request]:
        site, health = self._health(response)
        newest = self._read_feed(response, health)
        url = site.local_url(newest) if newest else None
        yield from self._page(site, url or site.base + "/", {**_OWN_META, "site": site, "rules": response.meta["rules"]})

    def _read_feed(self, response: Response, health: SiteHealth) -> str | None:
        """Fill the feed's columns; the newest post's URL, when the feed names one."""
        if response.status in FEEDS_OFF:
            health.feeds = "off"
            return None
        if response.status >= 400:
            health.feeds = f"error: HTTP {response.status}"
            return None
        try:
            page = parse_feed(response.body, url=response.url, content_type=content_type(response))
        except FeedError as exc:
            health.feeds = f"error: {exc}"
            return None
        health.posts = page.total_results
        if not page.entries:
            health.feeds = "full"  # an empty blog: nothing tells full from summary
            return None
        self._newest(health, page.entries[0])
        return page.entries[0].url

    def _newest(self, health: SiteHealth, newest) -> None:
        health.feeds = "summary" if newest.is_summary else "full"
        published = parse_date(newest.published, tz="UTC") if newest.published else None
        if published is not None:
            health.newest = published.isoformat()
            health.newest_age_days = round((datetime.now(timezone.utc) - published).total_seconds() / 86400, 1)

    def page(self, response: Response) -> None:
        _, health = self._health(response)
        if response.status >= 400:
            health.template = f"error: HTTP {response.status}"
            return
        health.template = parse_post_page(response.body, response.url, encoding=getattr(response, "encoding", None)).template

    def failed(self, failure: Failure) -> None:
        _, health = self._health(failure)
        health.error = health.error or failure_reason(failure)
