"""``scrapy crawl`` that checks spider arguments before anything starts.

A spider that validates in ``__init__`` fails inside the reactor, with a traceback and after
the log preamble; checking here turns a wrong ``-a`` into one clear usage error and exit code 2.
"""

from __future__ import annotations

import argparse

from scrapy.commands.crawl import Command as ScrapyCrawlCommand


class Command(ScrapyCrawlCommand):
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1 and self.crawler_process is not None:
            spidercls = self.crawler_process.spider_loader.load(args[0])
            check = getattr(spidercls, "check_arguments", None)
            if check is not None:
                check(opts.spargs)  # raises UsageError with the reason
        super().run(args, opts)
