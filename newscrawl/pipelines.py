"""Item pipelines, in order: validate the record's shape, drop repeats within the run, then
ask the state store (``newscrawl.dedup`` decides): skip what earlier runs exported, number
revisions, mark or drop mirror copies, and record what goes out.

Export itself is Scrapy's feed exporter (see ``newscrawl.export``); it writes what survives here.
"""

from __future__ import annotations

import asyncio
import logging

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from newscrawl.dedup import Deduplicator
from newscrawl.runs import CrawlRun

from newscrawl.items import ARTICLE_FIELDS, BOOLEAN_FIELDS, INTEGER_FIELDS, LIST_FIELDS, REQUIRED_FIELDS

logger = logging.getLogger(__name__)


def type_errors(item) -> list[str]:
    """Fields whose value breaks the documented type (see ``items.ARTICLE_FIELDS``)."""
    adapter = ItemAdapter(item)
    errors = []
    for name in ARTICLE_FIELDS:
        if name not in adapter:
            errors.append(f"{name} missing")
            continue
        value = adapter[name]
        if name in INTEGER_FIELDS:
            if type(value) is not int:
                errors.append(f"{name} is {type(value).__name__}, not an integer")
        elif name in BOOLEAN_FIELDS:
            if type(value) is not bool:
                errors.append(f"{name} is {type(value).__name__}, not a boolean")
        elif name in LIST_FIELDS:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors.append(f"{name} is not a list of strings")
        elif value is None:
            if name in REQUIRED_FIELDS:
                errors.append(f"{name} is null")
        elif not isinstance(value, str):
            errors.append(f"{name} is {type(value).__name__}, not a string")
    return errors


class ValidateArticlePipeline:
    """Drop (and log) any record that breaks the export contract rather than write it."""

    def __init__(self, stats):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        errors = type_errors(item)
        if errors:
            self.stats.inc_value("newscrawl/dropped/invalid")
            raise DropItem(f"invalid record {ItemAdapter(item).get('url')}: {'; '.join(errors)}")
        return item


class DuplicateArticlePipeline:
    """Within one run, a post reached twice (two feed pages overlapping after an edit, a feed
    and a sitemap, two URL variants) is exported once: keyed by id and by canonical URL, held
    as their hashes (a third of the memory of the strings; see ``SiteCrawl.seen``)."""

    def __init__(self, stats):
        self.stats = stats
        self.seen: set[int] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.stats)

    def process_item(self, item):
        keys = {hash(item["id"]), hash(item["url"])}
        if keys & self.seen:
            self.stats.inc_value("newscrawl/dropped/repeat_in_run")
            raise DropItem(f"already exported in this run: {item['url']}")
        self.seen |= keys
        return item


class StatePipeline:
    """Dedup across runs and mirrors against the state store, and record every export.

    Records are written in batches, one transaction for up to ``NEWSCRAWL_STATE_BATCH`` posts
    (default 100: a feed page's worth), committed when the batch is full or
    ``NEWSCRAWL_STATE_BATCH_SECONDS`` (0.05) after it opened. One commit per post cost more
    than everything else the store does. Each record waits for its batch's commit before it
    goes on to the export, so the order that makes a killed run safe still holds: a post is in
    the export only once the state says it was exported (see ``newscrawl.runs``). Decisions
    inside a batch see the batch's own records, so two copies in one batch are still linked."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.stats = crawler.stats
        self.run = crawler.get_extension(CrawlRun) if crawler.settings.getbool("NEWSCRAWL_STATE_ENABLED", True) else None
        if self.run is None:
            raise NotConfigured("no crawl state (NEWSCRAWL_STATE_ENABLED is off)")
        args = getattr(crawler.spider, "args", None)
        self.drop_duplicates = bool(getattr(args, "drop_duplicates", False))
        self.dedup = Deduplicator(self.run.store, self.run.run_id, fresh=bool(getattr(args, "fresh", False)))
        self.batch_size = max(1, crawler.settings.getint("NEWSCRAWL_STATE_BATCH", 100))
        self.batch_seconds = crawler.settings.getfloat("NEWSCRAWL_STATE_BATCH_SECONDS", 0.05)
        self._batch: _Batch | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item):
        batch = self._open_batch()
        # A shared store (distributed workers) decides one post at a time across all workers.
        with self.run.store.exclusive():
            decision = self.dedup.decide(item)
            if decision.export:
                if decision.same_id:
                    item["id"] = decision.same_id
                item["revision"] = decision.revision
                item["duplicate_of"] = decision.duplicate_of
                # Recorded even when dropped below, so the next run does not weigh it again.
                self.dedup.record(item, decision)
        self.stats.inc_value(f"newscrawl/dedup/{decision.reason.split('(')[0]}")
        if not decision.export:
            if decision.reason == "kept_complete":
                raise DropItem(f"exported whole before; a partial record does not replace it: {item['url']}")
            raise DropItem(f"exported before and not updated since: {item['url']}")
        if decision.duplicate_of and self.drop_duplicates:
            raise DropItem(f"mirror copy of {decision.duplicate_of} ({decision.reason}): {item['url']}")
        batch.size += 1
        if batch.size >= self.batch_size:
            self._commit()
        await asyncio.shield(batch.committed)
        return item

    def _open_batch(self) -> _Batch:
        if self._batch is None:
            self.run.store.begin_batch()
            loop = asyncio.get_running_loop()
            self._batch = _Batch(loop.create_future())
            self._batch.timer = loop.call_later(self.batch_seconds, self._commit)
        return self._batch

    def _commit(self) -> None:
        batch, self._batch = self._batch, None
        if batch is None:
            return
        batch.timer.cancel()
        try:
            self.run.store.commit_batch()
        except Exception as exc:  # the records waiting on it fail with it, loudly
            batch.committed.set_exception(exc)
        else:
            batch.committed.set_result(None)
            self.stats.inc_value("newscrawl/state/batches")

    def close_spider(self):
        self._commit()


class _Batch:
    """The records written since the batch opened, and the commit they wait for."""

    def __init__(self, committed: asyncio.Future):
        self.committed = committed
        self.size = 0
        self.timer: asyncio.TimerHandle | None = None
