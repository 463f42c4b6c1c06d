"""Shared test fixtures: the Blogger emulator in a subprocess, and real crawls against it.

Crawls run as ``scrapy crawl`` subprocesses, exactly as a user runs them, with the emulator as
their HTTP(S) proxy so blog host names are real Blogger host names.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from newscrawl.commands.demo import start_mirror

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
# Real Blogger pages and the values published with them (origin and license: SOURCES.tsv).
CORPUS = FIXTURES / "corpus" / "blogger"

# Test crawls talk to a loopback emulator: no politeness delays, quick backoff.
FAST_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "0",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "RETRY_BACKOFF_BASE": "0.05",
    "DOWNLOAD_TIMEOUT": "3",
    "LOG_LEVEL": "INFO",
}


def checked(records: list[dict]) -> list[dict]:
    """``records``, each checked against the shipped JSON Schema (newscrawl/article.schema.json):
    every record of every crawl the tests make must hold to it."""
    from newscrawl.schema import record_errors

    broken = {record.get("url"): errors for record in records if (errors := record_errors(record))}
    assert not broken, f"{len(broken)} records break the schema, e.g. {next(iter(broken.items()))}"
    return records


@dataclass
class Mirror:
    """A running Blogger emulator and its request log."""

    port: int
    log_path: Path
    process: subprocess.Popen

    @property
    def proxy(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def requests(self) -> list[dict]:
        if not self.log_path.exists():
            return []
        return [json.loads(line) for line in self.log_path.read_text().splitlines() if line.strip()]

    def requests_per_host(self) -> Counter:
        return Counter(r["host"] for r in self.requests())

    def clear_log(self) -> None:
        self.log_path.write_text("")


@dataclass
class CrawlResult:
    returncode: int
    items: list[dict]
    log: str
    export_files: list[Path] = field(default_factory=list)

    @property
    def peak_rss_mb(self) -> float:
        """The crawl process's peak resident memory, as it reported it on exit."""
        match = re.search(r"^PEAK_RSS_KB (\d+)$", self.log, re.M)
        assert match, "the crawl did not report its peak memory"
        return int(match.group(1)) / 1024

    def by_site(self) -> dict[str, list[dict]]:
        result: dict[str, list[dict]] = {}
        for item in self.items:
            result.setdefault(item["site"], []).append(item)
        return result


@pytest.fixture
def mirror_factory(tmp_path):
    """Start emulators from config dicts; all are stopped after the test."""
    started: list[Mirror] = []

    def start(config: dict) -> Mirror:
        config_path = tmp_path / f"mirror{len(started)}.json"
        config_path.write_text(json.dumps(config), encoding="utf-8")
        log_path = tmp_path / f"mirror{len(started)}.log"
        process, port = start_mirror(config_path, log_path)
        mirror = Mirror(port, log_path, process)
        started.append(mirror)
        return mirror

    yield start
    for mirror in started:
        mirror.process.terminate()
        mirror.process.wait(timeout=10)


def crawl(
    mirror: Mirror | None,
    workdir: Path,
    *args: str,
    settings: dict[str, str] | None = None,
    timeout: float = 120,
    direct: str | None = None,
) -> CrawlResult:
    """Run ``scrapy crawl blogspot`` in a subprocess; return its records and log. ``direct``:
    hosts reached without the emulator (``no_proxy``), so their own DNS and ports decide."""
    out = workdir / "out.jsonl"
    if out.exists():
        out.unlink()
    # scrapy.cmdline run as __main__, and the process's own peak RSS printed when it exits.
    command = [sys.executable, "-c", _REPORT_PEAK_RSS, "crawl", "blogspot", "-O", str(out)]
    own = {"NEWSCRAWL_EXPORT_DIR": str(workdir / "exports"), "NEWSCRAWL_STATE_PATH": str(workdir / "state.sqlite3")}
    for name, value in {**FAST_SETTINGS, **own, **(settings or {})}.items():
        command += ["-s", f"{name}={value}"]
    command += list(args)
    env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "no_proxy")}
    if mirror is not None:
        env["http_proxy"] = env["https_proxy"] = mirror.proxy
    if direct:
        env["no_proxy"] = direct
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    items = checked([json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]) if out.exists() else []
    exports = sorted((workdir / "exports").rglob("*.jsonl"))
    return CrawlResult(done.returncode, items, done.stderr + done.stdout, exports)


# The peak is read from /proc/self/status (VmHWM, the high-water mark of this process's own
# memory): getrusage's ru_maxrss survives exec, so a crawl started from a large pytest process
# would report pytest's size instead of its own.
_REPORT_PEAK_RSS = (
    "import re, runpy, sys\n"
    "sys.argv = ['scrapy'] + sys.argv[1:]\n"
    "try:\n"
    "    runpy.run_module('scrapy.cmdline', run_name='__main__')\n"
    "finally:\n"
    "    with open('/proc/self/status') as status:\n"
    "        peak = re.search(r'^VmHWM:\\s+(\\d+) kB', status.read(), re.M).group(1)\n"
    "    print('PEAK_RSS_KB', peak, file=sys.stderr)\n"
)


@pytest.fixture
def run_crawl(tmp_path):
    """``run_crawl(mirror, "-a", "site=...")`` -> CrawlResult."""

    def run(mirror: Mirror | None, *args: str, **kwargs) -> CrawlResult:
        return crawl(mirror, tmp_path, *args, **kwargs)

    return run


# --- a real Redis server -------------------------------------------------------------------

REDIS_PASSWORD = "test-only-password"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A real ``redis-server`` (installed by ``make test``: see the Makefile) on a free loopback
    port, with a password and no persistence, for the whole test session."""
    import shutil
    import socket
    import time

    import redis

    binary = shutil.which("redis-server")
    assert binary, "redis-server is not installed; `make test` installs it (Debian's redis-server)"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    workdir = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--requirepass", REDIS_PASSWORD,
         "--save", "", "--appendonly", "no", "--dir", str(workdir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )
    url = f"redis://:{REDIS_PASSWORD}@127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    else:
        process.kill()
        raise RuntimeError("redis-server did not start")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_url(redis_server):
    """The test session's Redis, emptied for this test."""
    import redis

    redis.Redis.from_url(redis_server).flushall()
    return redis_server
