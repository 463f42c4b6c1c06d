"""The request queue and the request dupefilter in Redis: scrapy-redis's, adapted.

What is kept of scrapy-redis 0.9.1 (which predates Scrapy 2.16's ``async def start()``; its
spiders read start URLs from Redis with the removed ``start_requests()``, so none of them is
used: the ``blogspot`` spider seeds the queue from ``async def start()`` itself):

- ``Scheduler``: every request goes to one shared priority queue, so any worker takes any
  site's next request. Made persistent here (``SCHEDULER_PERSIST``): a worker that stops must
  not empty the queue the others still work from.
- ``RFPDupeFilter``: one Redis set of request fingerprints. scrapy-redis keeps one set per
  spider for ever, so the second crawl of a blog would find its first feed page "seen" and
  stop. Here the set is per crawl *round*: the requests one seeding (``-a sites=``) leads to,
  however many workers share them. A request carries its round in ``meta["round"]``; requests
  made while handling a response inherit the round of the request that fetched it (set when
  queued, since errback-made requests never pass the spider middlewares). A round's set
  expires ``NEWSCRAWL_ROUND_DAYS`` (7) after its last use.

Requests are stored as JSON (``newscrawl.distributed.requests``), never pickled.
"""

from __future__ import annotations

import logging

from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from newscrawl.distributed import prefix

logger = logging.getLogger(__name__)

_DAY = 24 * 3600


class RoundDupeFilter(RFPDupeFilter):
    """scrapy-redis's fingerprint set, one per crawl round (see the module's docstring)."""

    def __init__(self, server, key, debug=False, ttl_days: float = 7):
        super().__init__(server, key, debug)
        self.ttl = int(ttl_days * _DAY)

    @classmethod
    def from_spider(cls, spider):
        filtered = super().from_spider(spider)
        filtered.ttl = int(spider.settings.getfloat("NEWSCRAWL_ROUND_DAYS", 7) * _DAY)
        return filtered

    def request_seen(self, request) -> bool:
        key = f"{self.key}:{request.meta.get('round', '-')}"
        pipe = self.server.pipeline(transaction=False)
        pipe.sadd(key, self.request_fingerprint(request))
        pipe.expire(key, self.ttl)
        added, _ = pipe.execute()
        return added == 0

    def close(self, reason=""):
        """Keep the set: other workers go on with the round (it expires by itself)."""


class SharedScheduler(Scheduler):
    """scrapy-redis's scheduler, persistent, that passes rounds on and notes which sites this
    worker took requests of (a dead worker's sites are crawled again: ``workers``)."""

    def __init__(self, server, **kwargs):
        super().__init__(server, **kwargs)
        self.site_rounds: dict[str, str] = {}
        self.taken_sites: set[str] = set()
        self.sites_key: str | None = None

    def open(self, spider):
        # The sites this run took requests of: if the worker dies, another crawls them again.
        self.sites_key = f"{prefix(spider.settings)}:runsites:{spider.run_id}"
        return super().open(spider)

    def enqueue_request(self, request) -> bool:
        if "round" not in request.meta:
            site = request.meta.get("site")
            request.meta["round"] = self.site_rounds.get(site) or getattr(self.spider, "run_id", "-")
        return super().enqueue_request(request)

    def next_request(self):
        request = super().next_request()
        if request is not None:
            site = request.meta.get("site")
            if site:
                self.site_rounds[site] = request.meta.get("round", "-")
                if site not in self.taken_sites:
                    self.taken_sites.add(site)
                    self.server.sadd(self.sites_key, site)
        return request
