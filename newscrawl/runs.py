"""One crawl run against the state store: its id, recovery of a killed run, watermarks, close.

A run is recorded in the store when it starts and marked finished only after its export file
has been published, so a run killed at any moment is found by the next run, which

- repairs and publishes the killed run's ``.part`` export (whole lines only), and
- forgets the posts the killed run recorded but never wrote (``StateStore.reconcile_run``),

so across both runs' exports every post appears exactly once. Watermarks advance only for sites
that finished cleanly, and only once their records were written.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
from datetime import datetime, timedelta, timezone
from pathlib import Path

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawl.dates import is_newer
from newscrawl.export import FEEDS_SUFFIX, PART_SUFFIX, SITES_SUFFIX, export_published, ids_in, repair_and_publish, run_stamp
from newscrawl.state import StateError, StateStore, open_store

logger = logging.getLogger(__name__)


class CrawlRun:
    """Extension owning the state store for the length of a crawl (``crawler.get_extension``)."""

    def __init__(self, crawler: Crawler, store: StateStore):
        self.crawler = crawler
        self.store = store
        self.run_id = run_stamp()
        if store.shared:
            # Many workers share the store and the export folder: each run's name says whose it is.
            self.run_id += f"-{_safe_name(socket.gethostname())}-{os.getpid()}"
        # The spider exists before extensions; the export's file name is read from it.
        crawler.spider.run_id = self.run_id
        self.export_path: Path | None = None
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.engine_stopped, signal=signals.engine_stopped)
        crawler.signals.connect(self.published, signal=export_published)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRun:
        if not crawler.settings.getbool("NEWSCRAWL_STATE_ENABLED", True):
            raise NotConfigured("NEWSCRAWL_STATE_ENABLED is off")
        store = open_store(crawler.settings)
        try:
            store.lock_for_run()
        except StateError as exc:
            store.close()
            logger.error("%s", exc)
            raise
        return cls(crawler, store)

    # --- lifecycle -----------------------------------------------------------------------
    def spider_opened(self, spider) -> None:
        export_dir = self.crawler.settings.get("NEWSCRAWL_EXPORT_DIR")
        if export_dir:
            self.export_path = Path(export_dir, spider.name, f"{self.run_id}.jsonl").resolve()
        self.recover()
        self.store.start_run(self.run_id, str(self.export_path) if self.export_path else None)

    def published(self, path: Path) -> None:
        """An export file is published under its final name (``export_published``)."""
        if self.export_path is not None and path.resolve() == self.export_path:
            self.store.finish_run(self.run_id)

    def spider_closed(self, spider, reason: str) -> None:
        self._write_site_reports(spider, reason)
        if reason != "finished":
            return  # shut down early: nothing below may claim a site is complete
        for site, updated in getattr(spider, "completed_sites", dict)().items():
            self.store.set_watermark(site, updated, run_id=self.run_id)
        for site, (route, feeds_off) in getattr(spider, "site_routes", dict)().items():
            self.store.set_site_route(site, route, run_id=self.run_id, feeds_off=feeds_off)
        if self.export_path is None:
            self.store.finish_run(self.run_id)

    def _write_site_reports(self, spider, reason: str) -> None:
        """``<run>.sites.json`` beside the run's export: each site's route, posts, requests and
        problems, for ``scrapy report``. Written whole (a temporary file renamed)."""
        if self.export_path is None:
            return
        reports = {host: report.as_dict() for host, report in getattr(spider, "reports", {}).items()}
        target = self.export_path.with_name(self.export_path.stem + SITES_SUFFIX)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + PART_SUFFIX)
        partial.write_text(json.dumps({"run_id": self.run_id, "finish_reason": reason, "sites": reports},
                                      ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(partial, target)

    def engine_stopped(self) -> None:
        self.store.close()
        if self.export_path is not None:  # every feed is closed by now: nothing to rebuild
            self.export_path.with_name(self.export_path.stem + FEEDS_SUFFIX).unlink(missing_ok=True)

    # --- recovery ------------------------------------------------------------------------
    def recover(self) -> None:
        """Publish what killed runs left and forget what they recorded but never wrote. A shared
        store's dead runs are the distributed workers' to recover (``newscrawl.distributed``)."""
        if self.store.shared:
            return
        stats = self.crawler.stats
        for run_id, export_path in self.store.unfinished_runs():
            kept = (recover_export(export_path, stats) if export_path else None) or set()
            if export_path and Path(export_path).with_name(Path(export_path).stem + FEEDS_SUFFIX).exists():
                from newscrawl.parquet import rebuild_torn  # pyarrow only when a run wrote Parquet

                for rebuilt in rebuild_torn(Path(export_path)):
                    stats.inc_value("newscrawl/recovered/parquet")
                    logger.warning("Rebuilt %s, left unfinished by killed run %s, from %s", rebuilt, run_id, export_path)
            forgotten = self.store.reconcile_run(run_id, kept)
            stats.inc_value("newscrawl/recovered/runs")
            stats.inc_value("newscrawl/recovered/posts_to_export_again", forgotten)
            logger.warning(
                "Run %s did not finish: kept %d exported records in %s; %d recorded but unwritten "
                "posts will be exported again", run_id, len(kept), export_path, forgotten,
            )

    # --- questions the spider and pipelines ask -----------------------------------------
    def watermark(self, site: str) -> datetime | None:
        """The newest updated time seen when ``site`` last finished cleanly."""
        value = self.store.watermark(site)
        return datetime.fromisoformat(value) if value else None

    def feeds_off_since(self, site: str, recheck: timedelta) -> datetime | None:
        """When the site's feeds were found off, if they were when last asked, less than
        ``recheck`` ago; else None (ask them)."""
        known = self.store.site_route(site)
        if known is None or not known.feeds_off or not known.feeds_checked_at:
            return None
        checked = datetime.fromisoformat(known.feeds_checked_at)
        return checked if datetime.now(timezone.utc) - checked < recheck else None

    def exported_unchanged(self, post_id: str | None, url: str | None, updated: str | None) -> bool:
        """True when this post was exported already, whole, and ``updated`` is not newer: no
        need to fetch its page again. A partial record's page is always fetched again."""
        previous = (self.store.get(post_id) if post_id else None) or (self.store.get_by_url(url) if url else None)
        if previous is None or not previous.complete:
            return False
        return not is_newer(updated, previous.updated)


def recover_export(export_path: str, stats=None) -> set[str] | None:
    """The ids a killed run's export holds: its ``.part`` file is repaired (whole lines only) and
    published first. None when neither file is on this machine."""
    final = Path(export_path)
    part = final.with_name(final.name + PART_SUFFIX)
    if part.exists():
        if stats is not None:
            stats.inc_value("newscrawl/recovered/exports")
        return repair_and_publish(part)
    if final.exists():
        return ids_in(final.read_bytes())
    return None


def _safe_name(name: str) -> str:
    """A host name as a file-name part."""
    return re.sub(r"[^A-Za-z0-9.-]+", "-", name) or "host"
