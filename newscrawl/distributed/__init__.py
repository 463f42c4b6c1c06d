"""Distributed crawls: any number of workers on any number of machines share one Redis.

Switched on by one setting, ``REDIS_URL`` (``-s REDIS_URL=redis://:password@host:6379/0`` or the
environment). The ``Distributed`` add-on then puts

- the request queue and dupefilter in Redis (``scheduler``: scrapy-redis's, adapted),
- the crawl state in Redis (``newscrawl.state.redis_store``): what was exported, the
  near-duplicate index, routes, runs,
- the registry of seeded sites and the on-site check of every request (``sites``),
- the worker's own duties (``workers``): staying alive while the queue may fill again,
  stopping after ``REDIS_IDLE_TIMEOUT`` seconds of empty queue, and recovering the runs of
  workers that died,

while every worker writes its own export file (``exports/<spider>/<start>-<host>-<pid>.jsonl``).
``scrapy crawl blogspot -a sites=FILE`` seeds the sites and works on them; without ``-a``, a
worker only takes work from the queue.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["Distributed", "is_distributed", "redis_url"]

# Above the project's settings (which name the SQLite backend), below the command line's: an
# explicit -s still wins.
_PRIORITY = "spider"


def redis_url(settings: Any) -> str | None:
    """The Redis URL of a distributed crawl: the ``REDIS_URL`` setting or environment variable."""
    return settings.get("REDIS_URL") or os.environ.get("REDIS_URL") or None


def is_distributed(settings: Any) -> bool:
    return redis_url(settings) is not None


def prefix(settings: Any) -> str:
    """The prefix of every key this project keeps in Redis."""
    return settings.get("NEWSCRAWL_REDIS_PREFIX") or "newscrawl"


class Distributed:
    """Add-on: with ``REDIS_URL`` set, switch the crawl to the shared queue and state."""

    def update_settings(self, settings) -> None:
        url = redis_url(settings)
        if url is None:
            return
        keys = prefix(settings)
        settings.set("REDIS_URL", url, priority=_PRIORITY)
        settings.set("SCHEDULER", "newscrawl.distributed.scheduler.SharedScheduler", priority=_PRIORITY)
        settings.set("DUPEFILTER_CLASS", "newscrawl.distributed.scheduler.RoundDupeFilter", priority=_PRIORITY)
        settings.set("SCHEDULER_PERSIST", True, priority=_PRIORITY)
        settings.set("SCHEDULER_QUEUE_KEY", f"{keys}:requests", priority=_PRIORITY)
        settings.set("SCHEDULER_DUPEFILTER_KEY", f"{keys}:seen", priority=_PRIORITY)
        settings.set("SCHEDULER_SERIALIZER", "newscrawl.distributed.requests", priority=_PRIORITY)
        settings.set("NEWSCRAWL_STATE_BACKEND", "redis", priority=_PRIORITY)
        # A worker takes no more from the shared queue while it has over 1 MB of responses
        # waiting to be parsed (Scrapy's default is 5 MB: thirty feed pages of a few posts, or
        # ten of 150, which one worker would then take from all the others).
        settings.set("SCRAPER_SLOT_MAX_ACTIVE_SIZE", 1_000_000, priority=_PRIORITY)
        extensions = settings.getdict("EXTENSIONS")
        extensions["newscrawl.distributed.workers.Worker"] = 110
        settings.set("EXTENSIONS", extensions, priority=_PRIORITY)
        middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
        middlewares["scrapy.downloadermiddlewares.offsite.OffsiteMiddleware"] = None
        middlewares["newscrawl.distributed.sites.SharedOffsiteMiddleware"] = 50
        settings.set("DOWNLOADER_MIDDLEWARES", middlewares, priority=_PRIORITY)
