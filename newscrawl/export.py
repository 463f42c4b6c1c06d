"""Where JSON Lines are written: Scrapy's feed exports, plus the per-run file under exports/.

Every run writes ``exports/<spider>/<UTC start time>.jsonl``. ``-o``/``-O`` on the command line
replace the project's FEEDS setting, so the per-run file is added by an add-on, which runs after
the command line has been applied: both the user's feed and the per-run file are written.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

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


def uri_params(params: dict[str, Any], spider: Any) -> dict[str, Any]:
    """Add ``%(started)s``: the UTC time the feed was opened, safe in file names on any OS."""
    started = datetime.now(tz=timezone.utc).strftime("%Y-%m-%dT%H-%M-%SZ")
    return {**params, "started": started}


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
