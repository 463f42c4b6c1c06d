"""Where JSON Lines are written: Scrapy's feed exports, the per-run file under exports/, and
the crash-safe file storage both use.

Every run writes ``exports/<spider>/<UTC start time>.jsonl``. ``-o``/``-O`` on the command line
replace the project's FEEDS setting, so the per-run file is added by an add-on, which runs after
the command line has been applied: both the user's feed and the per-run file are written.

A new export file is written as ``<name>.part``, one unbuffered write per record, and renamed to
``<name>`` when the run closes it: a reader never sees a half-written file under the final
name, and a ``.part`` file is one still being written, or left by a killed run (the next run
repairs and publishes it, see ``newscrawl.runs``).
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from scrapy.extensions.feedexport import FileFeedStorage
from scrapy.settings import BaseSettings

from newscrawl.items import ARTICLE_FIELDS

#: The options every JSONL feed of this project uses: UTF-8 without ASCII escapes, one object
#: per line, the fields in their documented order.
JSONL_OPTIONS: dict[str, Any] = {
    "format": "jsonlines",
    "encoding": "utf-8",
    "fields": list(ARTICLE_FIELDS),
    "uri_params": "newscrawl.export.uri_params",
}


PART_SUFFIX = ".part"
#: A run's per-site report, beside its export: ``<run>.sites.json`` (written by ``newscrawl.runs``,
#: read by ``scrapy report``).
SITES_SUFFIX = ".sites.json"
#: Beside a run's export, the Parquet files the run writes, to rebuild them after a kill
#: (``newscrawl.parquet``).
FEEDS_SUFFIX = ".feeds.json"
logger = logging.getLogger(__name__)

#: Signal sent (``path=``) once an export file is published under its final name; the run
#: (``newscrawl.runs``) listens for its own export, so this module needs nothing from it.
export_published = object()


def run_stamp(now: datetime | None = None) -> str:
    """A run's UTC start time as used in export file names: sortable, safe on any OS."""
    return (now or datetime.now(tz=timezone.utc)).strftime("%Y-%m-%dT%H-%M-%SZ")


def uri_params(params: dict[str, Any], spider: Any) -> dict[str, Any]:
    """Add ``%(started)s``: the run's id (its UTC start time) when the run has one."""
    return {**params, "started": getattr(spider, "run_id", None) or run_stamp()}


class AtomicFileFeedStorage(FileFeedStorage):
    """File storage that publishes by atomic rename on close.

    Appending to an existing file (``-o`` onto an earlier export) cannot be made atomic this
    way, so it writes in place as Scrapy does."""

    def __init__(self, uri: str, *, feed_options: dict[str, Any] | None = None):
        super().__init__(uri, feed_options=feed_options)
        self.atomic = self.write_mode == "wb" or not Path(self.path).exists()
        self.signals = None

    @classmethod
    def from_crawler(cls, crawler, uri: str, *, feed_options: dict[str, Any] | None = None):
        storage = cls(uri, feed_options=feed_options)
        storage.signals = crawler.signals
        return storage

    def open(self, spider) -> IO[bytes]:
        target = Path(self.path)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not self.atomic:
            return target.open(self.write_mode)
        # Unbuffered: each record reaches the OS in one write, so a kill leaves whole lines.
        return open(str(target) + PART_SUFFIX, "wb", buffering=0)

    def store(self, file: IO[bytes]) -> None:
        file.close()
        if self.atomic:
            os.replace(str(self.path) + PART_SUFFIX, self.path)
        if self.signals is not None:
            self.signals.send_catch_log(export_published, path=Path(self.path))
        return None


def repair_and_publish(part: Path) -> set[str]:
    """Publish a ``.part`` file a killed run left: drop a torn last line, rename it to its
    final name (or delete it when no whole record survived). Returns the ids it holds."""
    final = part.with_name(part.name[: -len(PART_SUFFIX)])
    data = part.read_bytes()
    whole = data[: data.rfind(b"\n") + 1]
    if len(whole) != len(data):
        logger.warning("Dropped a torn last line (%d bytes) of %s, left by a killed run", len(data) - len(whole), part)
    ids = ids_in(whole)
    if not whole:
        part.unlink()
        return ids
    with part.open("r+b") as handle:
        handle.truncate(len(whole))
    os.replace(part, final)
    return ids


def ids_in(data: bytes) -> set[str]:
    """The record ids of a JSON Lines export's content (lines that do not parse are skipped)."""
    ids = set()
    for line in data.splitlines():
        try:
            ids.add(json.loads(line)["id"])
        except (ValueError, KeyError, TypeError):
            continue
    return ids


class ExportsFeed:
    """Add-on: adds the per-run ``exports/<spider>/<start>.jsonl`` feed to whatever FEEDS holds."""

    def update_settings(self, settings: BaseSettings) -> None:
        export_dir = settings.get("NEWSCRAWL_EXPORT_DIR")
        if not export_dir:
            return
        uri = (Path(export_dir) / "%(name)s" / "%(started)s.jsonl").as_posix()
        feeds = dict(settings.getdict("FEEDS"))
        # Feeds given with -o/-O get the same field order and encoding unless they chose their own.
        for options in feeds.values():
            if options.get("format") == "jsonlines":
                for key, value in JSONL_OPTIONS.items():
                    options.setdefault(key, value)
        feeds.setdefault(uri, dict(JSONL_OPTIONS))
        settings.set("FEEDS", feeds, priority=settings.getpriority("FEEDS") or 0)
