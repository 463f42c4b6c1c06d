"""``scrapy report FILE_OR_DIR... [--html OUT]``: what the exports hold, per site and per day
(see ``newscrawl.report``). Needs no crawl and makes no request."""

from __future__ import annotations

import argparse
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from newscrawl.report import build_report, render_html, render_text


class Command(ScrapyCommand):
    requires_project = False
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "FILE_OR_DIR... [--html OUT]"

    def short_desc(self) -> str:
        return "Summarize JSON Lines / Parquet exports: sites, days, copies, outlets, languages"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--html", metavar="OUT", help="also write a self-contained HTML report with charts")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args:
            raise UsageError("give one or more export files or folders (exports/blogspot, say)")
        try:
            report = build_report(args)
        except FileNotFoundError as exc:
            raise UsageError(str(exc)) from None
        print(render_text(report), end="")
        if opts.html:
            Path(opts.html).write_text(render_html(report), encoding="utf-8")
            print(f"\nHTML report: {opts.html}")
