"""``scrapy health SITE_OR_FILE... [--json]``: is each site up, and how would a crawl find its
posts? Three requests a site at most (see ``newscrawl.health``); with a state file, the
site's watermark and route from it, and the problems of the last run that reached the site
(its ``<run>.sites.json`` under ``NEWSCRAWL_EXPORT_DIR``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newscrawl.export import SITES_SUFFIX
from newscrawl.health import HealthSpider
from newscrawl.state import StateError, open_store

_COLUMNS = ("site", "reachable", "robots", "feeds", "template", "posts", "newest_age_days", "watermark",
            "last_route", "last_problems")


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_LEVEL": "WARNING"}

    def syntax(self) -> str:
        return "SITE_OR_FILE... [--json]"

    def short_desc(self) -> str:
        return "Check sites with at most 3 requests each: reachable, robots.txt, feeds, template, posts"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--json", action="store_true", help="print one JSON object per site instead of a table")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give one or more blog URLs, or files of them")
        sites = HealthSpider.from_arguments(args)
        assert self.crawler_process is not None
        crawler = self.crawler_process.create_crawler(HealthSpider)
        self.crawler_process.crawl(crawler, sites=sites)
        self.crawler_process.start()
        rows = [{**health.as_dict(), **self._remembered(health.site)} for health in crawler.spider.results.values()]
        if opts.json:
            print("\n".join(json.dumps(row, ensure_ascii=False) for row in rows))
        else:
            print(_table(rows))
        if rows and not any(row["reachable"] for row in rows):
            self.exitcode = 3  # as a crawl where every site failed

    def _remembered(self, host: str) -> dict:
        """What the state and the last run's per-site report say of the site, if they exist."""
        found = {"watermark": None, "last_route": None, "last_problems": None}
        path = Path(self.settings.get("NEWSCRAWL_STATE_PATH") or "")
        if path.is_file():
            try:
                with open_store(path) as store:
                    route = store.site_route(host)
                    found["watermark"] = store.watermark(host)
                    found["last_route"] = route.route if route else None
            except StateError:
                pass
        reports = sorted(Path(self.settings.get("NEWSCRAWL_EXPORT_DIR") or "exports", "blogspot").glob(f"*{SITES_SUFFIX}"))
        for report in reversed(reports):  # the newest run that reached the site
            site = json.loads(report.read_text(encoding="utf-8"))["sites"].get(host)
            if site is not None:
                found["last_problems"] = site["problems"]
                break
        return found


def _cell(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, dict):
        return ", ".join(f"{k}={n}" for k, n in value.items()) or "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _table(rows: list[dict]) -> str:
    cells = [list(_COLUMNS)] + [[_cell(row[c]) for c in _COLUMNS] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(_COLUMNS))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    for row in rows:
        if row["error"]:
            lines.append(f"{row['site']}: {row['error']}")
    return "\n".join(lines)
