"""``scrapy demo``: serve the bundled demo mirror on 127.0.0.1 and crawl it, offline.

The demo blogs have real Blogger host names; the emulator is used as the HTTP(S) proxy of this
one process, so the crawl is exactly the one a user runs against the real sites, with no
internet. The records go to exports/blogspot/<start>.jsonl like any other run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError
from scrapy.settings import SETTINGS_PRIORITIES

DEMO_CONFIG = Path(__file__).resolve().parent.parent / "demo" / "blogs.json"


def start_mirror(config: Path, log_path: Path | None = None) -> tuple[subprocess.Popen, int]:
    """Start the Blogger emulator in a subprocess; return it and the port it listens on."""
    command = [sys.executable, "-m", "newscrawl.demo.server", "--config", str(config), "--port", "0"]
    if log_path is not None:
        command += ["--log", str(log_path)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    line = process.stdout.readline() if process.stdout else ""
    if not line.startswith("LISTENING "):
        process.kill()
        raise RuntimeError(f"the demo mirror did not start (it printed {line!r})")
    return process, int(line.split()[1])


def use_proxy(port: int) -> None:
    """Route this process's http and https requests through the emulator on 127.0.0.1."""
    proxy = f"http://127.0.0.1:{port}"
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        os.environ[name] = proxy
    for name in ("no_proxy", "NO_PROXY"):
        os.environ.pop(name, None)


DEMO_SETTINGS = {
    # The demo server is our own process on loopback: no need to be gentle with it.
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    # The demo's memory of what it exported stays apart from real crawls'.
    "NEWSCRAWL_STATE_PATH": "state/demo.sqlite3",
}


class Command(ScrapyCommand):
    requires_project = True

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)
        # Above the project's settings (a command's default_settings rank below them), below
        # what the user gives with -s.
        for name, value in DEMO_SETTINGS.items():
            if self.settings.getpriority(name) < SETTINGS_PRIORITIES["cmdline"]:
                self.settings.set(name, value, priority="cmdline")

    def syntax(self) -> str:
        return "[options]"

    def short_desc(self) -> str:
        return "Serve the bundled demo Blogger mirror on 127.0.0.1 and crawl it"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--config", default=str(DEMO_CONFIG), help="demo mirror description (JSON)")

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if args:
            raise UsageError("demo takes no arguments")
        config = Path(opts.config)
        blogs = json.loads(config.read_text(encoding="utf-8"))["blogs"]
        sites = ",".join(f"https://{blog['host']}" for blog in blogs if blog["host"] != "*")
        process, port = start_mirror(config)
        try:
            use_proxy(port)
            print(f"Demo mirror on 127.0.0.1:{port}; crawling {sites}", flush=True)
            assert self.crawler_process is not None
            self.crawler_process.crawl("blogspot", site=sites)
            self.crawler_process.start()
        finally:
            process.terminate()
            process.wait(timeout=10)
        if self.crawler_process.bootstrap_failed:
            self.exitcode = 1
            return
        exports = sorted(Path(self.settings.get("NEWSCRAWL_EXPORT_DIR", "exports"), "blogspot").glob("*.jsonl"))
        if not exports:
            return
        lines = exports[-1].read_text(encoding="utf-8").splitlines()
        if lines:
            print(f"\nWrote {len(lines)} records to {exports[-1]}; the first one:\n{lines[0]}")
        else:
            print(f"\nNothing new since the last demo run, so {exports[-1]} is empty: a run exports only "
                  f"what earlier runs did not. Delete {self.settings.get('NEWSCRAWL_STATE_PATH')} to start over.")
