"""``scrapy report``: the terminal tables and the HTML report of a real crawl's exports, the HTML
opened in headless Chromium (Debian's, installed by ``make test``) and its charts seen drawn."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter

import pytest

from tests.conftest import ROOT
from tests.test_crawl import blog

ORIGINAL, COPY, FAULTY = "induk.blogspot.com", "cermin.blogspot.com", "rusak.blogspot.com"
CHART_BLUE = (31, 95, 191)  # newscrawl.report's bar colour


@pytest.fixture
def crawled(mirror_factory, run_crawl, tmp_path):
    mirror = mirror_factory({"blogs": [
        blog(ORIGINAL, generate={"count": 40, "seed": 9, "with_source": True}),
        blog(COPY, generate={"count": 10, "seed": 9, "with_source": True}),
        # A feed that answers 500 for good: the JSON, Atom and RSS feeds fail, the sitemap saves it.
        blog(FAULTY, generate={"count": 6, "seed": 3}, faults=[{"match": "/feeds/", "kind": "status", "status": 500, "times": -1}]),
    ]})
    sites = ",".join(f"https://{host}" for host in (ORIGINAL, COPY, FAULTY))
    result = run_crawl(mirror, "-a", f"sites={_sites_file(tmp_path, sites)}")
    assert result.returncode == 0, result.log[-2000:]
    return result, tmp_path


def _sites_file(tmp_path, sites: str):
    path = tmp_path / "sites.txt"
    path.write_text(sites.replace(",", "\n"))
    return path


def report(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scrapy.cmdline", "report", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_the_terminal_report_has_each_site_s_posts_route_and_problems(crawled):
    result, workdir = crawled
    done = report(str(workdir / "exports"))
    assert done.returncode == 0, done.stderr
    posts = Counter(r["site"] for r in result.items)
    copies = sum(1 for r in result.items if r["duplicate_of"])
    assert copies >= 10
    assert done.stdout.startswith(f"{len(result.items)} posts from 3 sites in 1 exports;")
    assert f"mirror copies {copies} " in done.stdout
    rows = {line.split()[0]: line.split() for line in done.stdout.splitlines() if line.endswith((".com", "none")) or "feed_" in line}
    # Which blog's copy counts as the original depends on which the crawl read first.
    site_copies = Counter(r["site"] for r in result.items if r["duplicate_of"])
    for host in (ORIGINAL, COPY):
        assert rows[host][1:4] == [str(posts[host]), str(site_copies[host]), "feed-json"], rows[host]
    assert rows[FAULTY][3] == "sitemap" and "feed_failed=" in " ".join(rows[FAULTY])
    days = {r["published"][:10] for r in result.items}
    assert f"published {min(days)} to {max(days)}" in done.stdout
    assert re.search(r"^bit\.ly\s+\d+$", done.stdout, re.M)  # the outlets, as the footers print them
    assert re.search(r"^id\s+\d+$", done.stdout, re.M)


def test_a_missing_export_is_a_usage_error(tmp_path):
    done = report(str(tmp_path / "nothing-here"))
    assert done.returncode == 2 and "no export at" in done.stderr


def test_the_html_report_draws_its_charts_in_a_browser(crawled):
    _, workdir = crawled
    page = workdir / "report.html"
    done = report(str(workdir / "exports"), "--html", str(page))
    assert done.returncode == 0, done.stderr
    html = page.read_text(encoding="utf-8")
    # Self-contained: the three charts are embedded images; nothing is fetched, nothing runs.
    assert html.count('src="data:image/png;base64,') == 3
    assert not re.search(r'(src|href)="https?:', html) and "<script" not in html
    chromium = shutil.which("chromium")
    assert chromium, "chromium is not installed; `make test` installs it (Debian's chromium)"
    shot = workdir / "shot.png"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={workdir / 'chrome'}", "--window-size=1200,2400", f"--screenshot={shot}",
                    page.as_uri()], capture_output=True, timeout=120, check=True)
    from matplotlib.image import imread

    pixels = (imread(shot)[:, :, :3] * 255).round().astype(int)
    blue = (abs(pixels - CHART_BLUE).sum(axis=2) <= 12)
    rows_with_bars = blue.any(axis=1)
    # Three charts, each a band of rows holding bars, with the tables' white space between them.
    bands = int(rows_with_bars[0]) + int((rows_with_bars[1:] & ~rows_with_bars[:-1]).sum())
    assert blue.sum() > 5000 and bands >= 3, (int(blue.sum()), bands)
