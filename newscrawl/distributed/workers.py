"""A worker's duties in a distributed crawl, besides crawling: show it is alive, stay open while
the shared queue may fill again, stop once it has been empty long enough, and take over the
work of a worker that died.

A worker renews its run's ``alive`` key every ``NEWSCRAWL_WORKER_ALIVE_SECONDS / 3`` seconds.
A run that is unfinished and no longer alive belonged to a worker that was killed (or whose
machine went away). The first worker that can read that run's export file (the same machine,
or a shared disk) recovers it as a killed single-machine run is recovered (``newscrawl.runs``):
it publishes the file's whole lines and makes the state forget what was recorded but never
written. The requests the dead worker had taken from the queue are gone with it, so each site
it took requests of is then crawled again from its start, in a new round: what was exported
already is skipped by the shared state, so only what was lost is exported, once.
"""

from __future__ import annotations

import asyncio
import logging
import time

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured

from newscrawl.distributed import is_distributed, prefix
from newscrawl.runs import CrawlRun, recover_export

logger = logging.getLogger(__name__)


class Worker:
    """Extension of a distributed crawl (enabled by the ``Distributed`` add-on)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.run: CrawlRun | None = None  # the extensions exist only once all are made
        self.prefix = prefix(crawler.settings)
        self.idle_timeout = crawler.settings.getfloat("REDIS_IDLE_TIMEOUT", 60)
        self.beat = crawler.settings.getfloat("NEWSCRAWL_WORKER_ALIVE_SECONDS", 30) / 3
        self.idle_since: float | None = None
        self.rounds = 0
        self._task: asyncio.Task | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        if not is_distributed(crawler.settings):
            raise NotConfigured("no REDIS_URL")
        if not crawler.settings.getbool("NEWSCRAWL_STATE_ENABLED", True):
            raise NotConfigured("a distributed crawl needs its state (NEWSCRAWL_STATE_ENABLED)")
        return cls(crawler)

    @property
    def store(self):
        return self.run.store

    @property
    def server(self):
        return self.run.store.redis

    def spider_opened(self, spider) -> None:
        self.run = self.crawler.get_extension(CrawlRun)
        # An idle engine asks its scheduler for work every 5 s (a private constant of Scrapy's,
        # set per engine here: no setting exists). A worker whose work comes from other
        # workers through the shared queue asks every second, or it would sit out short crawls.
        self.crawler.engine._SLOT_HEARTBEAT_INTERVAL = 1.0
        logger.info("Worker %s: taking work from %s:requests", self.run.run_id, self.prefix)
        self.recover_abandoned()
        self._task = asyncio.get_running_loop().create_task(self._keep_alive())

    async def _keep_alive(self) -> None:
        while True:
            await asyncio.sleep(self.beat)
            try:
                self.store.keep_alive(self.run.run_id)
                self.recover_abandoned()
            except Exception:  # a Redis hiccup: logged, and tried again at the next beat
                logger.exception("Worker %s: could not renew its run or check for dead workers", self.run.run_id)

    def spider_idle(self, spider) -> None:
        """Stay open while the queue has work, or has been empty for less than the timeout."""
        if self.server.zcard(f"{self.prefix}:requests"):
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle_timeout:
            raise DontCloseSpider
        logger.info("Worker %s: the queue has been empty for %.0f s (REDIS_IDLE_TIMEOUT); stopping",
                    self.run.run_id, now - self.idle_since)

    def spider_closed(self, spider, reason: str) -> None:
        if self._task is not None:
            self._task.cancel()

    # --- dead workers --------------------------------------------------------------------
    def recover_abandoned(self) -> None:
        for run_id, export_path in self.store.unfinished_runs():
            if run_id == self.run.run_id:
                continue
            claim = f"{self.prefix}:recovering:{run_id}"
            if not self.server.set(claim, self.run.run_id, nx=True, ex=300):
                continue  # another worker is on it
            try:
                if not self._recover(run_id, export_path):
                    self.server.delete(claim)
            except Exception:
                self.server.delete(claim)
                raise

    def _recover(self, run_id: str, export_path: str | None) -> bool:
        info = self.store.run_info(run_id) or {}
        kept = recover_export(export_path, self.crawler.stats) if export_path else set()
        if kept is None:
            logger.info("Run %s of a dead worker (host %s, pid %s) wrote %s, which is not on this machine; "
                        "a worker on that machine recovers it", run_id, info.get("host"), info.get("pid"), export_path)
            return False
        forgotten = self.store.reconcile_run(run_id, kept)
        sites_key = f"{self.prefix}:runsites:{run_id}"
        sites = sorted(raw.decode() for raw in self.server.smembers(sites_key))
        self.rounds += 1
        round_id = f"{self.run.run_id}+{self.rounds}"
        spider = self.crawler.spider
        requests = [request for host in sites for request in spider.restart_site(host, round_id)]
        for request in requests:
            self.crawler.engine.crawl(request)
        self.server.delete(sites_key)
        stats = self.crawler.stats
        stats.inc_value("newscrawl/recovered/runs")
        stats.inc_value("newscrawl/recovered/posts_to_export_again", forgotten)
        stats.inc_value("newscrawl/recovered/sites_restarted", len(sites))
        logger.warning(
            "Worker run %s (host %s, pid %s) died: kept %d exported records in %s; %d recorded but unwritten "
            "posts will be exported again; crawling its %d sites again", run_id, info.get("host"), info.get("pid"),
            len(kept), export_path, forgotten, len(sites),
        )
        return True
