"""Running unattended over sites nobody controls: dead hosts are given up quickly, the exit
code tells the scheduler when a run failed, and one crawl with every fault at once still saves
every post that any route could save, exactly once, without leaving the sites or the memory
limit."""

from __future__ import annotations

import re
import socket
import time
from collections import Counter
from pathlib import Path

import pytest

from newscrawl.demo.config import load_blog
from newscrawl.demo.model import FAULT_KINDS
from tests.test_crawl import HAND_POSTS, blog, post_ids
from tests.test_faults import stat

HOST = "kabar-test.blogspot.com"
DEAD = "kabar-mati.invalid"  # .invalid never resolves (RFC 6761)


def closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def report_line(log: str, host: str) -> str:
    match = re.search(rf"^{re.escape(host)}: posts=.*$", log, re.M)
    assert match, f"no report line for {host}"
    return match.group(0)


@pytest.mark.parametrize("dead", ["dns", "refused"])
def test_a_dead_site_is_given_up_after_one_route_and_the_run_exits_non_zero(run_crawl, dead):
    # It used to try JSON, Atom, RSS, the sitemap and the home page, each with retries (24
    # requests, 51 s), and the run exited 0.
    site, host = (f"https://{DEAD}", DEAD) if dead == "dns" else (f"http://localhost:{closed_port()}", "localhost")
    result = run_crawl(None, "-a", f"site={site}", direct=host)
    assert result.returncode == 3
    line = report_line(result.log, host)
    # robots.txt and its retries (RETRY_TIMES = 3) are all that is sent.
    assert re.search(r"requests=[1-4] ", line), line
    assert "problems: site_unreachable=1; site failed: no request was answered" in line
    assert re.search(rf"site unreachable at {re.escape(site)}/feeds/posts/default\?alt=json\S*: HostUnreachable: "
                     r".* is unreachable \((CannotResolveHostError|DownloadConnectionRefusedError): .*\); not asked; "
                     "no other route is tried in this run", result.log)
    for later_route in ("trying the atom feed", "taking the sitemap route", "taking the html route"):
        assert later_route not in result.log
    assert "Run failed: every site failed (1 of 1; exit code 3)" in result.log


def test_a_run_with_one_dead_site_among_healthy_ones_exits_zero_and_reports_it(mirror_factory, run_crawl, tmp_path):
    mirror = mirror_factory({"blogs": [blog(HOST)]})
    sites = tmp_path / "sites.txt"
    sites.write_text(f"https://{HOST}\nhttps://{DEAD}\n", encoding="utf-8")
    result = run_crawl(mirror, "-a", f"sites={sites}", direct=DEAD)
    assert result.returncode == 0
    assert post_ids(result.items) == {post["post_id"] for post in HAND_POSTS}
    assert report_line(result.log, HOST).endswith("problems: none")
    assert report_line(result.log, DEAD).endswith("site failed: no request was answered")
    assert "Run finished with problems on 1 of 2 sites (see the per-site report); exit code 0" in result.log


def test_a_site_whose_every_request_fails_makes_the_run_fail(mirror_factory, run_crawl):
    # Reachable, but nothing it serves can be read: every feed format, the sitemap, the home page.
    faults = [{"match": "/", "kind": "status", "status": 500, "times": -1}]
    mirror = mirror_factory({"blogs": [blog(HOST, faults=faults)]})
    result = run_crawl(mirror, "-a", f"site=https://{HOST}")
    assert result.returncode == 3
    line = report_line(result.log, HOST)
    assert "feed_failed=3" in line and "sitemap_failed=1" in line and "listing_failed=1" in line
    assert line.endswith("site failed: no request was answered")


class BrokenPipeline:
    """A pipeline with a bug, as a user's own pipeline may have."""

    def process_item(self, item):
        raise KeyError("body")


def test_an_unhandled_error_makes_the_run_exit_1(mirror_factory, run_crawl):
    mirror = mirror_factory({"blogs": [blog(HOST)]})
    pipelines = '{"tests.test_unattended.BrokenPipeline": 100}'
    result = run_crawl(mirror, "-a", f"site=https://{HOST}", settings={"ITEM_PIPELINES": pipelines})
    assert result.returncode == 1
    assert "KeyError: 'body'" in result.log
    assert re.search(r"Run failed: 2 unhandled error\(s\), see the tracebacks above \(exit code 1\)", result.log)


# --- every fault at once ---------------------------------------------------------------------

SUMMARY_HOST = "berita-cermin-test.blogspot.com"
SITEMAP_HOST = "www.kabar-nusantara.id"
ATOM_HOST = "kabar-atom-test.blogspot.com"
# Pages that fail for good, by fault: each post survives as a partial record from the feed.
LOST_PAGES = {
    "gagal-500": {"kind": "status", "status": 500},
    "arsip-di-tempatnya": {"kind": "not_post"},
    "halaman-galat-200": {"kind": "error_page"},
    "alih-ke-luar": {"kind": "status", "status": 302, "headers": {"Location": "https://tracker.example.net/x"}},
    "bom-gzip": {"kind": "gzip_bomb", "megabytes": 256},
    "alih-berputar": {"kind": "status", "status": 302, "headers": {"Location": "/2019/04/alih-berputar.html"}},
}
# Pages that are hostile or odd but readable: each post is saved whole.
ODD_PAGES = {
    "karakter-kendali": {"kind": "control_chars"},
    "salah-charset": {"kind": "charset", "encoding": "cp1252"},
    "halaman-besar": {"kind": "padding", "megabytes": 12},  # under DOWNLOAD_WARNSIZE: a page may be this big
}
# Pages that fail once and are retried.
FLAKY_PAGES = {
    "putus-sekali": {"kind": "drop"},
    "lambat-sekali": {"kind": "delay", "seconds": 4.5},  # past the tests' DOWNLOAD_TIMEOUT of 3 s
    "sibuk-sekali": {"kind": "status", "status": 503, "headers": {"Retry-After": "1"}},
}


def strings(value) -> list[str]:
    """Every string in a record, however deep."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    return [s for part in value for s in strings(part)] if isinstance(value, list) else []


def summary_posts() -> list[dict]:
    posts = []
    for number, slug in enumerate([*LOST_PAGES, *FLAKY_PAGES, *ODD_PAGES, "biasa-saja"], start=1):
        posts.append({
            "post_id": f"90000000000000000{number:02d}",
            "slug": slug,
            # Letters outside ASCII, so that a page served in the wrong charset shows it.
            "title": f"Berita Cermin {number}: {slug.replace('-', ' ').title()} \u2013 caf\u00e9 cr\u00e8me",
            "published": f"2019-04-{number + 1:02d}T08:00:00+07:00",
            "author": "Redaksi Cermin",
            "labels": ["Uji"],
            "html": f"<p>Kalimat pembuka berita cermin nomor {number} tentang {slug}.</p>"
                    f"<p>Paragraf kedua berita nomor {number} dengan isi yang berbeda.</p>",
        })
    return posts


def fault_matrix() -> list[dict]:
    full = blog(HOST, max_results_cap=150, generate={"count": 398, "seed": 4, "language": "id"}, faults=[
        {"match": "alt=json&start-index=1&", "kind": "invalid", "times": 1},
        {"match": "start-index=151", "kind": "status", "status": 503, "times": 2},
        {"match": "start-index=151", "kind": "drop", "times": 2},
        {"match": "start-index=301", "kind": "status", "status": 429, "headers": {"Retry-After": "1"}, "times": 1},
        {"match": "alt=json&start-index=301", "kind": "truncate", "times": -1},
        {"match": "/feeds/", "kind": "offsite_links", "times": -1},
    ])
    page_faults = [{"match": f"/{slug}.html", "times": -1, **fault} for slug, fault in LOST_PAGES.items()]
    page_faults += [{"match": f"/{slug}.html", "times": 1, **fault} for slug, fault in FLAKY_PAGES.items()]
    page_faults += [{"match": f"/{slug}.html", "times": -1, **fault} for slug, fault in ODD_PAGES.items()]
    summary = blog(SUMMARY_HOST, feeds="summary", posts=summary_posts(),
                   faults=[*page_faults, {"match": "/feeds/", "kind": "offsite_links", "times": -1}])
    sitemap = blog(SITEMAP_HOST, feeds="disabled", sitemap_page_size=10,
                   generate={"count": 23, "seed": 9, "language": "id"}, faults=[
                       {"match": "/sitemap.xml?page=2", "kind": "truncate", "times": 1},
                       {"match": "/sitemap.xml?page=3", "kind": "drop", "times": 1},
                       {"match": "/sitemap.xml?page=1", "kind": "billion_laughs", "times": 1},
                       {"match": "/sitemap.xml?page=3", "kind": "external_entity", "times": -1},
                   ])
    # JSON refused: Atom it is, and XML's own hazards.
    atom = blog(ATOM_HOST, refuse_formats=["json"], max_results_cap=25,
                generate={"count": 60, "seed": 11, "language": "id"}, faults=[
                    # Atom is the default format: its URLs have no alt parameter.
                    {"match": "default?start-index=1&", "kind": "billion_laughs", "times": 1},
                    {"match": "default?start-index=1&", "kind": "charset", "times": -1},
                    {"match": "default?start-index=26&", "kind": "external_entity", "times": -1},
                    {"match": "default?start-index=51&", "kind": "home_page", "times": 1},
                    {"match": "default?start-index=51&", "kind": "control_chars", "times": 1},
                ])
    blogs = [full, summary, sitemap, atom]
    for each in blogs:  # named one by one, so the emulator's log shows that each one fired
        for number, fault in enumerate(each["faults"]):
            fault["name"] = f"{each['host']}#{number}:{fault['kind']}"
    return blogs


def test_every_fault_at_once_saves_every_saveable_post_exactly_once(mirror_factory, run_crawl, tmp_path):
    blogs = fault_matrix()
    mirror = mirror_factory({"blogs": blogs})
    dead_refused = f"http://localhost:{closed_port()}"
    sites = tmp_path / "sites.txt"
    sites.write_text("\n".join([*(f"https://{b['host']}" for b in blogs), f"https://{DEAD}", dead_refused]) + "\n",
                     encoding="utf-8")
    started = time.monotonic()
    result = run_crawl(mirror, "-a", f"sites={sites}", direct=f"{DEAD},localhost", timeout=300)
    wall = time.monotonic() - started

    expected = {(b["host"], post.post_id) for b in blogs for post in load_blog(b).posts}
    saved = Counter((item["site"], item["post_id"]) for item in result.items)
    partial = {item["url"].rsplit("/", 1)[-1].removesuffix(".html") for item in result.items if not item["complete"]}
    print(f"\nfault matrix: posts expected {len(expected)}, saved {len(saved)}, records {sum(saved.values())}, "
          f"partial {len(partial)}, peak RSS {result.peak_rss_mb:.0f} MB, wall {wall:.1f} s")

    assert result.returncode == 0  # two sites failed, not all
    assert set(saved) == expected, f"missing {sorted(expected - set(saved))[:5]}, extra {sorted(set(saved) - expected)[:5]}"
    assert max(saved.values()) == 1, "a post was exported twice"
    # State writes are batched: far fewer commits than records.
    assert 0 < stat(result.log, "newscrawl/state/batches") < len(result.items) / 5
    assert partial == set(LOST_PAGES)
    hosts = {b["host"] for b in blogs}
    assert set(mirror.requests_per_host()) <= hosts, "a request left the sites being crawled"
    assert {item["url"].split("/")[2] for item in result.items} <= hosts
    assert result.peak_rss_mb < 400, f"peak RSS {result.peak_rss_mb:.0f} MB"
    assert report_line(result.log, DEAD).endswith("site failed: no request was answered")
    assert report_line(result.log, "localhost").endswith("site failed: no request was answered")
    assert stat(result.log, "newscrawl/problems/site_unreachable") == 2
    assert "spider_exceptions" not in result.log and "Run failed" not in result.log
    # Every fault fired, and was met the way it should be.
    configured = {fault["name"] for b in blogs for fault in b["faults"]}
    deadline = time.monotonic() + 5  # a delayed answer is logged when it is sent, after the crawl gave up on it
    while not configured <= (fired := {r["fault"] for r in mirror.requests()}) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert configured <= fired, f"faults that never fired: {sorted(configured - fired)}"
    kinds = {name.rsplit(":", 1)[1] for name in configured}
    assert kinds == set(FAULT_KINDS), f"fault kinds left out: {set(FAULT_KINDS) - kinds}"
    for counter in ("newscrawl/problems/invalid_feed", "newscrawl/problems/truncated_sitemap",
                    "retry/retry_after_honoured", "retry/reason_count/scrapy.exceptions.DownloadTimeoutError",
                    "retry/reason_count/scrapy.exceptions.DownloadFailedError", "newscrawl/offsite_redirects"):
        assert stat(result.log, counter) >= 1, counter
    assert stat(result.log, "newscrawl/problems/offsite_entry_link") == len(load_blog(blogs[0]).posts) + len(summary_posts())
    assert {item["route"] for item in result.items if item["site"] == HOST} == {"feed-json", "feed-atom"}
    assert {item["route"] for item in result.items if item["site"] == ATOM_HOST} == {"feed-atom"}
    assert stat(result.log, "newscrawl/redirect_loops") >= 1
    assert re.search(r"page failed at \S+/alih-berputar\.html: .*redirect loop", result.log)
    # Hostile or odd but readable: read whole, as the post says.
    titles = {item["post_id"]: item["title"] for item in result.items}
    for post in summary_posts() + HAND_POSTS:
        assert titles[post["post_id"]] == post["title"], "a page or feed in the wrong charset was misread"
    for item in result.items:
        for value in strings(item):
            assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]", value), (item["url"], value)
    assert "root:" not in Path(result.export_files[0]).read_text(encoding="utf-8"), "an external entity was read"
    assert {item["post_id"] for item in result.items if item["complete"] and item["site"] == SUMMARY_HOST} == {
        post["post_id"] for post in summary_posts() if post["slug"] not in LOST_PAGES}
