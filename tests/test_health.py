"""``scrapy health``: each site checked with three requests at most against the emulator's blogs
(full feed, summary feed, feeds off, custom domain, country alias, a dead host), and what the
state file and the last run's report remember of a site."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import pytest

from tests.conftest import ROOT
from tests.test_crawl import blog

FULL, SUMMARY, OFF = "penuh.blogspot.com", "ringkas.blogspot.com", "tertutup.blogspot.com"
CUSTOM, ALIASED, DEAD = "www.kabar-kita.net", "alias.blogspot.com", "kabar-mati.invalid"


def health(mirror, workdir, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "http_proxy": mirror.proxy, "https_proxy": mirror.proxy, "no_proxy": DEAD,
           "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "scrapy.cmdline", "health", *args,
               "-s", f"NEWSCRAWL_STATE_PATH={workdir / 'state.sqlite3'}", "-s", f"NEWSCRAWL_EXPORT_DIR={workdir / 'exports'}"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture
def mirror(mirror_factory):
    return mirror_factory({"blogs": [
        blog(FULL, generate={"count": 20, "seed": 1}),
        blog(SUMMARY, feeds="summary", generate={"count": 5, "seed": 2}),
        blog(OFF, feeds="disabled", generate={"count": 5, "seed": 3}),
        blog(CUSTOM, generate={"count": 3, "seed": 4}),
        blog(ALIASED, aliases=["alias.blogspot.co.id"], generate={"count": 4, "seed": 5}),
    ]})


def test_each_site_in_three_requests_at_most(mirror, tmp_path):
    sites = [f"https://{FULL}", f"https://{SUMMARY}", f"https://{OFF}", f"https://{CUSTOM}",
             "https://alias.blogspot.co.id/", f"https://{DEAD}"]
    done = health(mirror, tmp_path, *sites, "--json")
    assert done.returncode == 0, done.stderr[-2000:]
    rows = {row["site"]: row for row in map(json.loads, done.stdout.splitlines())}
    assert set(rows) == {FULL, SUMMARY, OFF, CUSTOM, ALIASED, DEAD}
    assert (rows[FULL]["feeds"], rows[FULL]["posts"], rows[FULL]["robots"]) == ("full", 22, "200")
    assert (rows[SUMMARY]["feeds"], rows[SUMMARY]["posts"]) == ("summary", 7)
    assert rows[OFF]["feeds"] == "off" and rows[OFF]["posts"] is None
    assert rows[CUSTOM]["feeds"] == "full" and rows[ALIASED]["posts"] == 6  # the alias is the .com blog
    for host in (FULL, SUMMARY, CUSTOM, ALIASED):
        assert rows[host]["reachable"] and rows[host]["template"] == "classic", rows[host]
        assert rows[host]["newest_age_days"] > 0 and rows[host]["newest"].endswith("+07:00")  # the blog's own offset
    assert rows[DEAD]["reachable"] is False and "DNS lookup failed" in rows[DEAD]["error"]
    per_host = Counter(r["host"] for r in mirror.requests())
    assert per_host and max(per_host.values()) <= 3, per_host
    assert per_host[FULL] == 3 and per_host["alias.blogspot.co.id"] == 0


def test_the_table_shows_what_the_last_run_remembers(mirror, run_crawl, tmp_path):
    crawled = run_crawl(mirror, "-a", f"site=https://{FULL},https://{OFF}")
    assert crawled.returncode == 0
    done = health(mirror, tmp_path, f"https://{FULL}", f"https://{OFF}")
    assert done.returncode == 0, done.stderr[-2000:]
    header, _, *lines = done.stdout.splitlines()
    assert header.split() == ["site", "reachable", "robots", "feeds", "template", "posts", "newest_age_days",
                              "watermark", "last_route", "last_problems"]
    rows = {line.split()[0]: line.split() for line in lines}
    newest = max(r["updated"] for r in crawled.items if r["site"] == FULL)
    assert rows[FULL][7] == newest and rows[FULL][8:] == ["feed-json", "none"]
    assert rows[OFF][3] == "off" and rows[OFF][8:] == ["sitemap", "none"]


def test_every_site_dead_exits_3(mirror, tmp_path):
    done = health(mirror, tmp_path, f"https://{DEAD}")
    assert done.returncode == 3 and "kabar-mati.invalid: " in done.stdout
