"""Per-site accounting, the end-of-run report, and the run's exit code.

The spider records what it decided (route, problems) in a SiteReport per site; this extension
counts what actually happened on the wire (every request that reached the downloader, robots.txt
and retries included; the answers that came back) and what was exported, then logs one line per
site when the spider closes, and decides how the run ends for the scheduler that started it:

- ``0``: the run finished; some sites may have had problems (their lines say which);
- ``1``: an unhandled error (an exception in a callback, a pipeline or an extension), or Scrapy
  could not start the crawl (also a state file held by another run);
- ``2``: wrong arguments (Scrapy's usage error);
- ``3``: every site failed: none of them answered a single request (dead hosts, or every
  request refused or failing after its retries).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

logger = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_ALL_SITES_FAILED = 3
EXIT_CODE_STAT = "newscrawl/exit_code"

# Every kind of problem a site can have, as counted in ``newscrawl/problems/<kind>`` and named
# in the per-site report; the README's "Running unattended" table explains each one.
PROBLEM_KINDS = frozenset({
    "site_unreachable",
    "feed_refused", "feed_failed", "invalid_feed",
    "truncated_sitemap", "invalid_sitemap", "sitemap_failed", "listing_failed",
    "offsite_entry_link", "offsite_link", "entry_without_post_url",
    "page_failed", "not_a_post", "not_html",
    "link_resolution_failed",
})


@dataclass
class SiteReport:
    """What happened to one site during a run."""

    host: str
    route: str = "none"
    posts: int = 0  # records exported (after pipelines)
    requests: int = 0  # requests that reached the downloader, robots.txt and retries included
    answered: int = 0  # responses below 400 to requests other than robots.txt
    problems: Counter = field(default_factory=Counter)

    @property
    def failed(self) -> bool:
        """Nothing came of the site: no post, and not one of its requests was answered."""
        return self.posts == 0 and self.answered == 0 and bool(self.problems)

    def as_dict(self) -> dict:
        """The report as the run's ``.sites.json`` holds it (read by ``scrapy report``)."""
        return {"route": self.route, "posts": self.posts, "requests": self.requests,
                "problems": dict(sorted(self.problems.items())), "failed": self.failed}

    def line(self) -> str:
        problems = ", ".join(f"{kind}={n}" for kind, n in sorted(self.problems.items())) or "none"
        verdict = "; site failed: no request was answered" if self.failed else ""
        return f"{self.host}: posts={self.posts} requests={self.requests} route={self.route} problems: {problems}{verdict}"


class SiteMonitor:
    """Extension: fills each spider SiteReport from signals, logs the reports at close, and
    sets the run's exit code (stat ``newscrawl/exit_code``, read by our ``crawl`` command)."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.unhandled = 0
        crawler.signals.connect(self.request_reached_downloader, signal=signals.request_reached_downloader)
        crawler.signals.connect(self.response_received, signal=signals.response_received)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.unhandled_error, signal=signals.spider_error)
        crawler.signals.connect(self.unhandled_error, signal=signals.item_error)
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

    def response_received(self, response: Response, request: Request) -> None:
        if response.status >= 400 or urlparse_cached(request).path == "/robots.txt":
            return
        report = self._report(request.url)
        if report is not None:
            report.answered += 1

    def item_scraped(self, item) -> None:
        report = self._report(item.get("site") or "")
        if report is not None:
            report.posts += 1

    def unhandled_error(self, failure, **kwargs) -> None:
        # Scrapy has logged the traceback; the run must not end as if nothing happened.
        self.unhandled += 1

    def spider_closed(self, spider, reason: str) -> None:
        stats = self.crawler.stats
        reports = list(getattr(spider, "reports", {}).values())
        if reports:
            stats.set_value("newscrawl/sites", len(reports))
            stats.set_value("newscrawl/sites_with_problems", sum(1 for r in reports if r.problems))
            stats.set_value("newscrawl/sites_failed", sum(1 for r in reports if r.failed))
            for report in reports:
                stats.inc_value(f"newscrawl/route/{report.route}")
            logger.info(
                "Per-site report (%d sites, finish reason %s):\n%s",
                len(reports), reason, "\n".join(r.line() for r in reports),
            )
        stats.set_value(EXIT_CODE_STAT, self._exit_code(reports))

    def _exit_code(self, reports: list[SiteReport]) -> int:
        if self.unhandled:
            logger.error("Run failed: %d unhandled error(s), see the tracebacks above (exit code %d)",
                         self.unhandled, EXIT_ERROR)
            return EXIT_ERROR
        if reports and all(r.failed for r in reports):
            logger.error("Run failed: every site failed (%d of %d; exit code %d)",
                         len(reports), len(reports), EXIT_ALL_SITES_FAILED)
            return EXIT_ALL_SITES_FAILED
        troubled = sum(1 for r in reports if r.problems)
        if troubled:
            logger.info("Run finished with problems on %d of %d sites (see the per-site report); exit code 0",
                        troubled, len(reports))
        return EXIT_OK
