"""Distributed crawls: worker processes sharing a real redis-server (see conftest) crawl the
emulator's blogs, each writing its own export. Across the workers' exports every post is there
exactly once and every mirror copy is linked, a worker killed mid-run loses nothing, and an
unchanged re-run exports nothing."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import UsageError
from scrapy.utils.request import request_from_dict

from newscrawl.arguments import CrawlArgs
from newscrawl.blogger.feeds import FeedEntry
from newscrawl.distributed import requests as queued
from tests.conftest import FAST_SETTINGS, ROOT, checked

# Four blogs, 330 posts. dua and tiga repost satu's first 60 and 30 articles (same generator
# seed: same text and source link), tiga with its feeds off (sitemap and post pages).
BLOGS = [
    {"host": "satu.blogspot.com", "max_results_cap": 25, "generate": {"count": 150, "seed": 1, "with_source": True}},
    {"host": "dua.blogspot.com", "max_results_cap": 25, "generate": {"count": 60, "seed": 1, "with_source": True}},
    {"host": "empat.blogspot.com", "max_results_cap": 25, "generate": {"count": 90, "seed": 4, "with_source": True}},
    {"host": "tiga.blogspot.com", "feeds": "disabled", "generate": {"count": 30, "seed": 1, "with_source": True}},
]
POSTS = 330
COPIES = 90  # dua's 60 and tiga's 30 are copies of satu's first 60 articles


class Workers:
    """Worker processes of one distributed crawl, started as a user starts them."""

    def __init__(self, mirror, workdir: Path, redis_url: str, **settings: str):
        self.mirror, self.workdir, self.redis_url = mirror, workdir, redis_url
        self.settings = {
            **FAST_SETTINGS, "REDIS_IDLE_TIMEOUT": "6", "NEWSCRAWL_WORKER_ALIVE_SECONDS": "3",
            "NEWSCRAWL_EXPORT_DIR": str(workdir / "exports"), **settings,
        }
        (workdir / "sites.txt").write_text("".join(f"https://{b['host']}\n" for b in BLOGS))
        self.started: list[tuple[subprocess.Popen, Path]] = []

    def start(self, *args: str, **settings: str) -> subprocess.Popen:
        command = [sys.executable, "-m", "scrapy.cmdline", "crawl", "blogspot", *args]
        for name, value in {**self.settings, **settings}.items():
            command += ["-s", f"{name}={value}"]
        env = {**os.environ, "http_proxy": self.mirror.proxy, "https_proxy": self.mirror.proxy,
               "REDIS_URL": self.redis_url, "PYTHONPATH": str(ROOT)}
        log = self.workdir / f"worker{len(self.started)}.log"
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))
        self.started.append((process, log))
        return process

    def seed(self, **settings: str) -> subprocess.Popen:
        return self.start("-a", f"sites={self.workdir / 'sites.txt'}", **settings)

    def wait_until_working(self, index: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while "taking work from" not in self.log(index):
            assert time.monotonic() < deadline, self.log(index)
            time.sleep(0.05)

    def wait(self, timeout: float = 120) -> list[int]:
        return [process.wait(timeout=timeout) for process, _ in self.started]

    def log(self, index: int) -> str:
        return self.started[index][1].read_text()

    def records(self) -> list[dict]:
        return checked([json.loads(line) for path in self.exports() for line in path.read_text().splitlines()])

    def exports(self) -> list[Path]:
        return sorted((self.workdir / "exports").rglob("*.jsonl"))


def exported_by(log: str) -> int:
    match = re.search(r"'item_scraped_count': (\d+)", log)
    return int(match.group(1)) if match else 0


def assert_every_post_once_and_copies_linked(records: list[dict]) -> None:
    counts = Counter(record["id"] for record in records)
    assert len(counts) == POSTS and max(counts.values()) == 1, counts.most_common(3)
    assert sum(1 for r in records if r["duplicate_of"]) == COPIES
    by_id = {r["id"]: r for r in records}
    for record in records:
        if record["duplicate_of"]:
            original = by_id[record["duplicate_of"]]
            assert original["duplicate_of"] is None and original["source_url"] == record["source_url"]


@pytest.fixture
def workers(mirror_factory, tmp_path, redis_url):
    def make(**settings: str) -> Workers:
        return Workers(mirror_factory({"blogs": BLOGS}), tmp_path, redis_url, **settings)

    return make


def test_two_workers_export_every_post_once_and_an_unchanged_rerun_nothing(workers):
    crawl = workers(DOWNLOAD_DELAY="0.2", CONCURRENT_REQUESTS_PER_DOMAIN="1")
    # The seeding worker alone would take 50 requests at 0.2 s, one at a time: about 10 s. It
    # takes one request at a time from the queue, so the rest waits there for the second.
    crawl.seed(CONCURRENT_REQUESTS="1")
    crawl.wait_until_working(0)
    crawl.start()  # a worker with no sites: it takes work from the queue
    assert crawl.wait() == [0, 0]
    assert len(crawl.exports()) == 2  # one file per worker, named by host and process
    assert all(f"-{os.uname().nodename.split('.')[0]}" in path.name for path in crawl.exports())
    records = crawl.records()
    assert_every_post_once_and_copies_linked(records)
    assert exported_by(crawl.log(1)) > 0, "the worker started without sites did no work"
    requests = len(crawl.mirror.requests())

    # The same crawl again: everything was exported; the state in Redis says so to both.
    crawl.started.clear()
    crawl.start()
    crawl.seed()
    assert crawl.wait() == [0, 0]
    assert len(crawl.records()) == POSTS
    rerun = crawl.mirror.requests()[requests:]
    assert rerun and not [r for r in rerun if r["path"].endswith(".html")]  # feeds and sitemap only


def test_a_killed_worker_loses_nothing_the_other_does_not_recover(workers):
    crawl = workers(DOWNLOAD_DELAY="0.2", CONCURRENT_REQUESTS_PER_DOMAIN="1", REDIS_IDLE_TIMEOUT="10")
    seeder = crawl.seed()
    part = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        parts = list((crawl.workdir / "exports").rglob("*.jsonl.part"))
        if parts and len(parts[0].read_bytes().splitlines()) >= 40:
            part = parts[0]
            break
        time.sleep(0.05)
    assert part is not None, crawl.log(0)
    crawl.start()  # the second worker joins, then the first dies mid-crawl
    time.sleep(1)
    seeder.send_signal(signal.SIGKILL)
    codes = crawl.wait()
    assert codes[0] == -signal.SIGKILL and codes[1] == 0, crawl.log(1)

    survivor = crawl.log(1)
    assert "died: kept" in survivor and "crawling its" in survivor, survivor[-3000:]
    killed_lines = sum(len(path.read_text().splitlines()) for path in crawl.exports()) - exported_by(survivor)
    assert 40 <= killed_lines < POSTS and exported_by(survivor) > 0  # killed mid-run: the survivor finished
    assert not list((crawl.workdir / "exports").rglob("*.part"))  # the dead worker's file published
    assert_every_post_once_and_copies_linked(crawl.records())


def test_a_worker_needs_no_site_but_refuses_what_other_workers_would_not_honour():
    assert CrawlArgs.from_kwargs({}, distributed=True).sites == ()
    with pytest.raises(UsageError, match="nothing to crawl"):
        CrawlArgs.from_kwargs({})
    with pytest.raises(UsageError, match="max_posts, since cannot be used with REDIS_URL"):
        CrawlArgs.from_kwargs({"site": "https://a.blogspot.com", "since": "2024-01-01", "max_posts": "5"},
                              distributed=True)


def test_queued_requests_are_json_and_come_back_whole():
    entry = FeedEntry("7", "8", "https://a.blogspot.com/2024/05/x.html", "Judul", "<p>ringkasan</p>", True,
                      "2024-05-01T10:00:00+07:00", None, None, ("Berita", "Daerah"))
    request = Request("https://a.blogspot.com/2024/05/x.html", meta={"site": "a.blogspot.com", "entry": entry,
                      "ctx": {"formats_off": ["json"], "tz": "+07:00"}}, priority=10,
                      headers={"Accept": "text/html"})
    data = queued.dumps(request.to_dict())
    assert json.loads(data)["meta"]["entry"]["__entry__"]["labels"] == {"__tuple__": ["Berita", "Daerah"]}
    restored = queued.loads(data)
    assert restored["meta"]["entry"] == entry
    assert restored["headers"] == request.to_dict()["headers"]
    back = request_from_dict(restored)  # as scrapy-redis's queue rebuilds it
    assert (back.url, back.priority, back.meta["entry"], back.meta["ctx"]) == (
        request.url, 10, entry, {"formats_off": ["json"], "tz": "+07:00"})


def test_a_pickle_in_the_queue_is_refused_not_run():
    import pickle

    with pytest.raises(ValueError):
        queued.loads(pickle.dumps({"url": "https://a.blogspot.com/"}))
    with pytest.raises(TypeError, match="cannot go into the shared request queue"):
        queued.dumps({"meta": {"when": object()}})
