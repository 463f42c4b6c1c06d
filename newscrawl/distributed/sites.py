"""The sites of a distributed crawl: registered in Redis by the worker that seeds them, so any
worker can crawl them, and the on-site check every request passes.

Scrapy's OffsiteMiddleware reads ``allowed_domains`` once, when the spider opens; a worker
learns its sites from the queue as it goes, so the check asks the spider (``owns_url``), which
knows the registered sites.
"""

from __future__ import annotations

import logging

from scrapy.exceptions import IgnoreRequest

from newscrawl.blogger.sites import Site

logger = logging.getLogger(__name__)


def register_sites(server, prefix: str, sites) -> None:
    """Make ``sites`` known to every worker."""
    if sites:
        server.hset(f"{prefix}:registry", mapping={site.host: site.base for site in sites})


def registered_site(server, prefix: str, host: str) -> Site | None:
    base = server.hget(f"{prefix}:registry", host)
    return Site(host=host, base=base.decode()) if base else None


class SharedOffsiteMiddleware:
    """Drop (and count) a request to a host that is not one of the registered sites."""

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request, spider=None):
        spider = self.crawler.spider
        if request.meta.get("allow_offsite") or request.url.startswith("file:"):
            return
        if not spider.owns_url(request.url):
            self.crawler.stats.inc_value("offsite/filtered")
            logger.debug("Filtered offsite request to %s", request.url)
            raise IgnoreRequest(f"{request.url} is not on a site of this crawl")
