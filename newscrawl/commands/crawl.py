"""``scrapy crawl`` that checks spider arguments before anything starts, and exits with the
run's own exit code.

A spider that validates in ``__init__`` fails inside the reactor, with a traceback and after
the log preamble; checking here turns a wrong ``-a`` into one clear usage error and exit code 2.
Scrapy's own command exits 0 whenever the crawl could start; the run's outcome (every site
failed, an unhandled error: see ``newscrawl.monitor``) is what cron, systemd and Scrapyd need.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand
from scrapy.crawler import Crawler

from newscrawl.distributed import is_distributed
from newscrawl.monitor import EXIT_CODE_STAT


class Command(ScrapyCrawlCommand):
    _crawler: Crawler | None = None

    def _create_crawler(self, spname: str) -> Crawler:
        # Scrapy's crawl command builds its crawler here; kept to read the run's stats after it.
        self._crawler = super()._create_crawler(spname)
        return self._crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1 and self.crawler_process is not None:
            spidercls = self.crawler_process.spider_loader.load(args[0])
            check = getattr(spidercls, "check_arguments", None)
            if check is not None:
                check(opts.spargs, distributed=is_distributed(self.settings))  # UsageError with the reason
        super().run(args, opts)
        if self.exitcode == 0 and self._crawler is not None and self._crawler.stats is not None:
            self.exitcode = self._crawler.stats.get_value(EXIT_CODE_STAT, 0)
