"""Faults on the way: each gives a log line naming the URL and the reason, a stats counter,
and the crawl goes on to export every post it can reach."""

from __future__ import annotations

import re

import pytest

from tests.test_crawl import HAND_POSTS, blog, post_ids

HOST = "kabar-test.blogspot.com"
SITE = f"site=https://{HOST}"
GENERATED = {"count": 298, "seed": 4, "language": "id"}


def full_blog(**options) -> dict:
    return blog(HOST, generate=GENERATED, max_results_cap=150, **options)


def stat(log: str, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(match.group(1)) if match else 0


@pytest.mark.parametrize(
    ("fault", "counter"),
    [
        ({"match": "start-index=151", "kind": "status", "status": 503, "times": 2}, "retry/reason_count/503 Service Unavailable"),
        # Twisted silently retries a dropped reused connection once; the second drop is ours.
        ({"match": "start-index=151", "kind": "drop", "times": 2}, "retry/reason_count/scrapy.exceptions.DownloadFailedError"),
        ({"match": "start-index=151", "kind": "status", "status": 500, "times": 1}, "retry/reason_count/500 Internal Server Error"),
    ],
    ids=["503-twice", "dropped-connection", "500-once"],
)
def test_transient_feed_failures_are_retried_and_nothing_is_lost(mirror_factory, run_crawl, fault, counter):
    mirror = mirror_factory({"blogs": [full_blog(faults=[fault])]})
    result = run_crawl(mirror, "-a", SITE)
    assert len(post_ids(result.items)) == 300
    assert stat(result.log, counter) >= 1
    assert re.search(r"Retrying https://kabar-test\.blogspot\.com/feeds/posts/default\?\S*start-index=151\S* in [\d.]+ s", result.log)


def test_timeout_is_retried(mirror_factory, run_crawl):
    fault = {"match": "start-index=151", "kind": "delay", "seconds": 3, "times": 1}
    mirror = mirror_factory({"blogs": [full_blog(faults=[fault])]})
    result = run_crawl(mirror, "-a", SITE, settings={"DOWNLOAD_TIMEOUT": "1"})
    assert len(post_ids(result.items)) == 300
    assert stat(result.log, "retry/reason_count/scrapy.exceptions.DownloadTimeoutError") == 1


def test_429_waits_as_long_as_retry_after_asks(mirror_factory, run_crawl):
    fault = {"match": "start-index=1&", "kind": "status", "status": 429, "headers": {"Retry-After": "1"}, "times": 1}
    mirror = mirror_factory({"blogs": [full_blog(faults=[fault])]})
    result = run_crawl(mirror, "-a", SITE)
    assert len(post_ids(result.items)) == 300
    assert stat(result.log, "retry/retry_after_honoured") == 1
    assert re.search(r"Retrying \S+start-index=1&\S* in 1\.0 s \(HTTP 429\)", result.log)


def test_retry_after_beyond_the_limit_gives_up_on_that_request_only(mirror_factory, run_crawl):
    fault = {"match": "/feeds/", "kind": "status", "status": 429, "headers": {"Retry-After": "3600"}, "times": -1}
    mirror = mirror_factory({"blogs": [full_blog(faults=[fault], feeds="full")]})
    result = run_crawl(mirror, "-a", SITE)
    # Every feed format asks for an hour; the sitemap route still finds every post.
    assert stat(result.log, "retry/retry_after_too_long") == 3
    assert "server asks to retry after 3600 s" in result.log
    assert len(post_ids(result.items)) == 300


def test_invalid_feed_document_is_fetched_again(mirror_factory, run_crawl):
    fault = {"match": "start-index=1&", "kind": "invalid", "times": 1}
    mirror = mirror_factory({"blogs": [full_blog(faults=[fault])]})
    result = run_crawl(mirror, "-a", SITE)
    assert len(post_ids(result.items)) == 300
    assert stat(result.log, "newscrawl/problems/invalid_feed") == 1
    assert re.search(r"invalid feed at https://kabar-test\.blogspot\.com/feeds/posts/default\?alt=json\S*: ", result.log)
    assert {i["route"] for i in result.items} == {"feed-json"}
    assert f"{HOST}: posts=300" in result.log and "problems: invalid_feed=1" in result.log


def test_truncated_json_page_falls_back_to_atom_from_the_same_place(mirror_factory, run_crawl):
    fault = {"match": "alt=json&start-index=151", "kind": "truncate", "times": -1}
    mirror = mirror_factory({"blogs": [full_blog(faults=[fault])]})
    result = run_crawl(mirror, "-a", SITE)
    assert len(post_ids(result.items)) == 300
    routes = {i["route"] for i in result.items}
    assert routes == {"feed-json", "feed-atom"}
    atom_paths = [r["path"] for r in mirror.requests() if "/feeds/" in r["path"] and "alt=json" not in r["path"]]
    assert atom_paths and "start-index=151" in atom_paths[0]
    assert stat(result.log, "newscrawl/problems/invalid_feed") == 3  # first try and two re-fetches


def by_post_id(items) -> dict[str, dict]:
    return {item["post_id"]: item for item in items}


PAGE_FAULTS = {
    "persistent-500": ({"kind": "status", "status": 500}, r"page failed at {url}: HTTP 500"),
    "archive-in-its-place": ({"kind": "not_post"}, r"not a post at {url}: page type 'archive'"),
    "error-page-as-200": ({"kind": "error_page"}, r"not a post at {url}: page type 'error_page'"),
    "offsite-redirect": ({"kind": "status", "status": 302, "headers": {"Location": "https://evil.example/x.html"}},
                         r"page failed at {url}: .*leaves the sites being crawled"),
    # 260 KB on the wire, 256 MB inflated: read to the end, it took the crawl to 3.1 GB.
    "gzip-bomb": ({"kind": "gzip_bomb", "megabytes": 256}, r"page failed at {url}: "),
}


@pytest.mark.parametrize("case", list(PAGE_FAULTS))
def test_a_post_whose_page_fails_for_good_is_kept_from_its_summary_entry(mirror_factory, run_crawl, case):
    fault, logged = PAGE_FAULTS[case]
    victim, other = HAND_POSTS
    faults = [{"match": victim["slug"], "times": -1, **fault}]
    mirror = mirror_factory({"blogs": [blog(HOST, feeds="summary", faults=faults)]})
    result = run_crawl(mirror, "-a", SITE)
    items = by_post_id(result.items)
    assert set(items) == {victim["post_id"], other["post_id"]}
    partial, whole = items[victim["post_id"]], items[other["post_id"]]
    assert whole["complete"] is True and whole["route"] == "page" and whole["html"]
    # Everything the summary entry says, marked partial, with the route it came from.
    assert partial["complete"] is False and partial["route"] == "feed-json"
    assert partial["title"] == victim["title"]
    assert partial["published"] == victim["published"] and partial["updated"] == victim["updated"]
    assert partial["author"] == victim["author"] and partial["labels"] == victim["labels"]
    assert partial["text"].startswith("Banjir rob kembali menggenangi kawasan pesisir Semarang")
    assert partial["html"] is None and partial["images"] == []
    assert partial["url"] == f"https://{HOST}/2019/04/{victim['slug']}.html"
    url = re.escape(partial["url"])
    assert re.search(logged.format(url=url) + r".*; exported from its summary entry as a partial record", result.log)
    assert stat(result.log, "newscrawl/partial_records") == 1
    assert "evil.example" not in mirror.requests_per_host()
    if case == "gzip-bomb":
        assert result.peak_rss_mb < 400, f"peak RSS {result.peak_rss_mb:.0f} MB"


def test_a_later_run_that_reads_the_page_replaces_the_partial_record(mirror_factory, run_crawl):
    victim, other = HAND_POSTS
    faults = [{"match": victim["slug"], "kind": "status", "status": 500, "times": -1}]
    broken = mirror_factory({"blogs": [blog(HOST, feeds="summary", faults=faults)]})
    first = run_crawl(broken, "-a", SITE)
    assert by_post_id(first.items)[victim["post_id"]]["complete"] is False

    # Same state file; the page is back, the post unchanged: its page is fetched again and
    # the whole post comes out as the next revision under the same id.
    healthy = mirror_factory({"blogs": [blog(HOST, feeds="summary")]})
    second = run_crawl(healthy, "-a", SITE)
    assert [item["post_id"] for item in second.items] == [victim["post_id"]]
    record = second.items[0]
    assert record["complete"] is True and record["revision"] == 1 and record["route"] == "page"
    assert record["id"] == by_post_id(first.items)[victim["post_id"]]["id"]
    assert record["text"].endswith("Warga mengungsi ke tempat yang lebih tinggi.")
    assert record["source_url"] == "http://bit.ly/2UVp8x3"

    third = run_crawl(healthy, "-a", SITE)
    assert third.items == []


def test_a_partial_record_never_replaces_a_complete_one(mirror_factory, run_crawl):
    victim = HAND_POSTS[0]
    healthy = mirror_factory({"blogs": [blog(HOST, feeds="summary")]})
    assert len(run_crawl(healthy, "-a", SITE).items) == 2
    # The post is edited, and its page now fails: the feed's summary is no better than the
    # whole post already exported.
    edited = [dict(victim, updated="2019-04-27T09:00:00+07:00"), HAND_POSTS[1]]
    faults = [{"match": victim["slug"], "kind": "status", "status": 500, "times": -1}]
    broken = mirror_factory({"blogs": [blog(HOST, feeds="summary", faults=faults, posts=edited)]})
    result = run_crawl(broken, "-a", SITE)
    assert result.items == []
    assert stat(result.log, "newscrawl/dedup/kept_complete") == 1
    assert "exported whole before; a partial record does not replace it" in result.log


def test_a_failed_page_found_through_the_sitemap_is_logged_and_the_rest_exported(mirror_factory, run_crawl):
    # No feed entry names it: there is nothing to keep, and the problem says where it was.
    victim = HAND_POSTS[0]["slug"]
    faults = [{"match": victim, "kind": "status", "status": 500, "times": -1}]
    mirror = mirror_factory({"blogs": [blog(HOST, feeds="disabled", faults=faults)]})
    result = run_crawl(mirror, "-a", SITE)
    assert post_ids(result.items) == {HAND_POSTS[1]["post_id"]}
    assert re.search(rf"page failed at https://{re.escape(HOST)}/2019/04/{victim}\.html: HTTP 500$", result.log, re.M)
    assert "problems: page_failed=1" in result.log


@pytest.mark.parametrize("feeds", ["full", "summary"])
def test_feed_entries_linking_off_site_are_read_on_the_site(mirror_factory, run_crawl, feeds):
    # Anyone who controls a mirror's feed could otherwise put any host, and with it any id,
    # into the export.
    faults = [{"match": "/feeds/", "kind": "offsite_links", "times": -1}]
    mirror = mirror_factory({"blogs": [blog(HOST, feeds=feeds, faults=faults)]})
    result = run_crawl(mirror, "-a", SITE)
    assert post_ids(result.items) == {post["post_id"] for post in HAND_POSTS}
    assert {item["url"].split("/")[2] for item in result.items} == {HOST}
    assert "evil.example" not in mirror.requests_per_host()
    assert re.search(r"offsite entry link at \S+: entry \d+ links to 'https://evil\.example/2019/04/\S+\.html'; "
                     rf"read as https://{re.escape(HOST)}/2019/04/", result.log)
    assert stat(result.log, "newscrawl/problems/offsite_entry_link") == len(HAND_POSTS)


def test_a_truncated_sitemap_child_is_fetched_again(mirror_factory, run_crawl):
    # lxml reads a sitemap cut mid-way up to the cut: the posts after it were never found.
    host = "www.kabar-nusantara.id"
    faults = [{"match": "/sitemap.xml?page=2", "kind": "truncate", "times": 1}]
    config = blog(host, feeds="disabled", sitemap_page_size=10, faults=faults,
                  generate={"count": 23, "seed": 9, "language": "id"})
    mirror = mirror_factory({"blogs": [config]})
    result = run_crawl(mirror, "-a", f"site=https://{host}")
    assert len(post_ids(result.items)) == 25
    assert [r["path"] for r in mirror.requests()].count("/sitemap.xml?page=2") == 2
    assert re.search(rf"truncated sitemap at https://{re.escape(host)}/sitemap\.xml\?page=2: urlset cut off; "
                     "fetching it again", result.log)
    assert stat(result.log, "newscrawl/problems/truncated_sitemap") == 1
