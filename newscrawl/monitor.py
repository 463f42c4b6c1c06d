"""Per-site accounting and the end-of-run report: posts found, requests made, route, problems.

The spider records what it decided (route, problems) in a SiteReport per site; this extension
counts what actually happened on the wire (every request that reached the downloader, robots.txt
and retries included) and what was exported, then logs one line per site when the spider closes.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from scrapy import Request, signals
from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


@dataclass
class SiteReport:
    """What happened to one site during a run."""

    host: str
    route: str = "none"
    posts: int = 0  # records exported (after pipelines)
    requests: int = 0  # requests that reached the downloader, robots.txt and retries included
    problems: Counter = field(default_factory=Counter)

    def line(self) -> str:
        problems = ", ".join(f"{kind}={n}" for kind, n in sorted(self.problems.items())) or "none"
        return f"{self.host}: posts={self.posts} requests={self.requests} route={self.route} problems: {problems}"


class SiteMonitor:
    """Extension: fills each spider SiteReport from signals and logs the reports at close."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        crawler.signals.connect(self.request_reached_downloader, signal=signals.request_reached_downloader)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteMonitor:
        return cls(crawler)

    def _report(self, url_or_host: str) -> SiteReport | None:
        finder = getattr(self.crawler.spider, "report_for", None)
        return finder(url_or_host) if finder else None

    def request_reached_downloader(self, request: Request) -> None:
        report = self._report(request.url)
        if report is not None:
            report.requests += 1

    def item_scraped(self, item) -> None:
        report = self._report(item.get("site") or "")
        if report is not None:
            report.posts += 1

    def spider_closed(self, spider, reason: str) -> None:
        reports = list(getattr(spider, "reports", {}).values())
        if not reports:
            return
        stats = self.crawler.stats
        stats.set_value("newscrawl/sites", len(reports))
        stats.set_value("newscrawl/sites_with_problems", sum(1 for r in reports if r.problems))
        for report in reports:
            stats.inc_value(f"newscrawl/route/{report.route}")
        logger.info(
            "Per-site report (%d sites, finish reason %s):\n%s",
            len(reports), reason, "\n".join(r.line() for r in reports),
        )
