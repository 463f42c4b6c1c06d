"""End-to-end crawls: `scrapy crawl blogspot` against the Blogger emulator on 127.0.0.1.

Each test describes blogs the way Blogger serves them, crawls them as a user would, and checks
the exact set of posts exported, their fields, and how many requests it took.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime

import pytest

from newscrawl.items import ARTICLE_FIELDS, BOOLEAN_FIELDS, INTEGER_FIELDS, LIST_FIELDS, REQUIRED_FIELDS
from newscrawl.urls import canonicalize_url
from tests.conftest import ROOT, checked

BLOG_ID = "7531902468135792468"


def blog_id_of(host: str) -> str:
    """Distinct blogs have distinct ids (the record id is built from them)."""
    return BLOG_ID if host == "kabar-test.blogspot.com" else str(abs(hash(host)) % 10**18 + 10**18)

HAND_POSTS = [
    {
        "post_id": "1111111111111111111",
        "slug": "banjir-rob-genangi-pesisir",
        "title": "Banjir Rob Genangi Pesisir Semarang",
        "published": "2019-04-26T07:37:00+07:00",
        "updated": "2019-04-26T08:00:00+07:00",
        "author": "Redaksi",
        "labels": ["Regional", "Cuaca"],
        "html": "<p>Banjir rob kembali menggenangi kawasan pesisir Semarang pada Jumat pagi.</p>"
                "<p>Warga mengungsi ke tempat yang lebih tinggi.</p>",
        "source": {"initials": "prm", "url": "http://bit.ly/2UVp8x3", "time": "April 26, 2019 at 12:37AM"},
        "images": ["https://blogger.googleusercontent.com/img/b/banjir.jpg"],
    },
    {
        "post_id": "2222222222222222222",
        "slug": "harga-cabai-naik",
        "title": "Harga Cabai Naik Jelang Ramadan",
        "published": "2019-04-25T19:05:00+07:00",
        "author": "Redaksi",
        "labels": ["Ekonomi"],
        "html": "<p>Harga cabai rawit di pasar tradisional naik dua kali lipat.</p>",
    },
]


def blog(host: str, **options) -> dict:
    """A blog description for the emulator: two hand-written posts plus generated ones."""
    config = {"host": host, "blog_id": blog_id_of(host), "title": "Kabar Test", "language": "id",
              "tz_offset": "+07:00", "posts": HAND_POSTS}
    config.update(options)
    return config


def post_ids(items) -> set[str]:
    return {item["post_id"] for item in items}


def expected_ids(mirror_config_blog: dict, count_generated: int) -> int:
    return len(mirror_config_blog.get("posts", [])) + count_generated


def assert_record_shape(item: dict) -> None:
    assert list(item) == list(ARTICLE_FIELDS), "fields missing, extra or out of order"
    for name, value in item.items():
        if name in INTEGER_FIELDS:
            assert type(value) is int, name
        elif name in BOOLEAN_FIELDS:
            assert type(value) is bool, name
        elif name in LIST_FIELDS:
            assert isinstance(value, list) and all(isinstance(v, str) for v in value), name
        elif name in REQUIRED_FIELDS:
            assert isinstance(value, str) and value, name
        else:
            assert value is None or isinstance(value, str), name
    for name in ("published", "updated", "crawled_at", "source_published"):
        if item[name] is not None:
            assert datetime.fromisoformat(item[name]).utcoffset() is not None, (name, item[name])


def test_full_json_feed_is_crawled_completely_in_few_requests(mirror_factory, run_crawl):
    host = "kabar-test.blogspot.com"
    config = blog(host, max_results_cap=150, generate={"count": 398, "seed": 3, "language": "id", "with_source": True})
    mirror = mirror_factory({"blogs": [config]})
    result = run_crawl(mirror, "-a", f"site=https://{host}")
    assert result.returncode == 0, result.log[-3000:]
    assert len(result.items) == 400
    assert len(post_ids(result.items)) == 400
    requests = mirror.requests_per_host()[host]
    assert requests <= math.ceil(400 / 150) + 3, mirror.requests()
    # No post page was fetched: the feed carried every whole post.
    assert not [r for r in mirror.requests() if r["path"].endswith(".html")]
    assert {item["route"] for item in result.items} == {"feed-json"}
    for item in result.items:
        assert_record_shape(item)
    assert f"{host}: posts=400 requests={requests} route=feed-json problems: none" in result.log


def test_record_fields_from_the_feed(mirror_factory, run_crawl):
    host = "kabar-test.blogspot.com"
    mirror = mirror_factory({"blogs": [blog(host)]})
    result = run_crawl(mirror, "-a", f"site=https://{host}")
    records = {item["post_id"]: item for item in result.items}
    assert set(records) == {p["post_id"] for p in HAND_POSTS}
    first = records["1111111111111111111"]
    assert first["id"] == f"blogger-{BLOG_ID}-1111111111111111111"
    assert first["url"] == f"https://{host}/2019/04/banjir-rob-genangi-pesisir.html"
    assert first["site"] == host
    assert first["blog_id"] == BLOG_ID
    assert first["title"] == "Banjir Rob Genangi Pesisir Semarang"
    assert first["published"] == "2019-04-26T07:37:00+07:00"
    assert first["updated"] == "2019-04-26T08:00:00+07:00"
    assert first["published_raw"].startswith("2019-04-26T07:37:00")
    assert first["author"] == "Redaksi"
    assert first["labels"] == ["Regional", "Cuaca"]
    assert first["images"] == ["https://blogger.googleusercontent.com/img/b/banjir.jpg"]
    assert first["text"] == (
        "Banjir rob kembali menggenangi kawasan pesisir Semarang pada Jumat pagi.\n\n"
        "Warga mengungsi ke tempat yang lebih tinggi."
    )
    assert first["source_url"] == "http://bit.ly/2UVp8x3"
    # The footer time has no offset: it is read in the blog's offset.
    assert first["source_published"] == "2019-04-26T00:37:00+07:00"
    assert first["language"] == "id"
    assert first["duplicate_of"] is None
    assert "<script" not in first["html"] and "Banjir rob" in first["html"]
    second = records["2222222222222222222"]
    assert second["source_url"] is None and second["source_published"] is None
    assert second["images"] == []


@pytest.mark.parametrize(
    ("refused", "route"),
    [(["json"], "feed-atom"), (["json", "atom"], "feed-rss")],
)
def test_refused_feed_format_falls_back_with_the_same_records(mirror_factory, run_crawl, refused, route):
    host = "kabar-test.blogspot.com"
    generate = {"count": 160, "seed": 5, "language": "id"}
    mirror = mirror_factory({"blogs": [blog(host, generate=generate, refuse_formats=refused)]})
    result = run_crawl(mirror, "-a", f"site=https://{host}")
    assert len(result.items) == 162
    assert {item["route"] for item in result.items} == {route}
    first = next(i for i in result.items if i["post_id"] == "1111111111111111111")
    # RSS gives pubDate in GMT; the record still carries the blog's own offset.
    assert first["published"] == "2019-04-26T07:37:00+07:00"
    assert first["labels"] == ["Regional", "Cuaca"]
    assert first["source_url"] == "http://bit.ly/2UVp8x3"


def test_summary_feed_reads_post_pages_and_gives_the_same_record(mirror_factory, run_crawl):
    full_host, summary_host = "penuh-test.blogspot.com", "ringkas-test.blogspot.com"
    mirror = mirror_factory({"blogs": [blog(full_host), blog(summary_host, feeds="summary")]})
    result = run_crawl(mirror, "-a", f"site=https://{full_host},https://{summary_host}")
    by_site = result.by_site()
    assert post_ids(by_site[summary_host]) == post_ids(by_site[full_host]) == {p["post_id"] for p in HAND_POSTS}
    pages = [r for r in mirror.requests() if r["host"] == summary_host and r["path"].endswith(".html")]
    assert len(pages) == 2
    full = {i["post_id"]: i for i in by_site[full_host]}
    for item in by_site[summary_host]:
        twin = full[item["post_id"]]
        assert item["route"] == "page"
        for name in ("title", "text", "html", "published", "updated", "author", "labels", "images",
                     "source_url", "source_published", "language"):
            assert item[name] == twin[name], name
        assert "Bagikan Berita Ini" not in item["text"] and "Post a Comment" not in item["text"]


def test_feeds_disabled_blog_is_crawled_through_its_sitemap(mirror_factory, run_crawl):
    host = "www.kabar-nusantara.id"
    config = blog(host, feeds="disabled", sitemap_page_size=10, generate={"count": 23, "seed": 9, "language": "id"})
    mirror = mirror_factory({"blogs": [config]})
    result = run_crawl(mirror, "-a", f"site=https://{host}")
    assert result.returncode == 0
    assert len(result.items) == 25 and len(post_ids(result.items)) == 25
    assert {item["route"] for item in result.items} == {"page"}
    for item in result.items:
        assert_record_shape(item)
    paths = [r["path"] for r in mirror.requests()]
    assert "/sitemap.xml?page=3" in paths
    assert not [p for p in paths if p.startswith("/search")]
    assert f"{host}: posts=25" in result.log and "route=sitemap" in result.log
    banjir = next(i for i in result.items if i["post_id"] == "1111111111111111111")
    assert banjir["published"] == "2019-04-26T07:37:00+07:00"
    assert banjir["labels"] == ["Regional", "Cuaca"]
    assert banjir["source_url"] == "http://bit.ly/2UVp8x3"


def test_country_alias_and_custom_domain(mirror_factory, run_crawl):
    mirror = mirror_factory({"blogs": [
        blog("kabar-test.blogspot.com", aliases=["kabar-test.blogspot.co.id"]),
        blog("www.berita-kita.net", blog_id="1357913579135791357"),
    ]})
    result = run_crawl(
        mirror, "-a", "site=https://kabar-test.blogspot.co.id/,www.berita-kita.net",
        "-a", "urls=https://kabar-test.blogspot.co.id/2019/04/harga-cabai-naik.html?m=1",
    )
    by_site = result.by_site()
    assert set(by_site) == {"kabar-test.blogspot.com", "www.berita-kita.net"}
    assert len(by_site["www.berita-kita.net"]) == 2
    # The post named by URL is the same record as the feed's: exported once.
    assert len(by_site["kabar-test.blogspot.com"]) == 2
    assert all(i["url"] == canonicalize_url(i["url"]) for i in result.items)
    alias_paths = sorted(r["path"] for r in mirror.requests() if r["host"] == "kabar-test.blogspot.co.id")
    # Only the named post URL, redirected: discovery ran on the .com blog.
    assert alias_paths == ["/2019/04/harga-cabai-naik.html?m=1"]
    assert "newscrawl/dropped/repeat_in_run" in result.log


def test_since_until_window(mirror_factory, run_crawl):
    host = "kabar-test.blogspot.com"
    mirror = mirror_factory({"blogs": [blog(host, generate={"count": 60, "seed": 1, "language": "id",
                                                          "start": "2019-03-01T08:00:00+07:00",
                                                          "step_minutes": 720})]})
    result = run_crawl(mirror, "-a", f"site=https://{host}", "-a", "since=2019-03-10", "-a", "until=2019-03-20")
    published = sorted(i["published"] for i in result.items)
    assert published and all("2019-03-10" <= p[:10] < "2019-03-20" for p in published)
    assert len(published) == 20  # two posts a day for ten days
    feed_paths = [r["path"] for r in mirror.requests() if "/feeds/" in r["path"]]
    assert feed_paths and all("published-min=2019-03-10" in p and "published-max=2019-03-20" in p for p in feed_paths)


def test_max_posts_per_site(mirror_factory, run_crawl):
    hosts = ["satu-test.blogspot.com", "dua-test.blogspot.com"]
    mirror = mirror_factory({"blogs": [blog(h, generate={"count": 40, "seed": 2}) for h in hosts]})
    result = run_crawl(mirror, "-a", "site=" + ",".join(hosts), "-a", "max_posts=5")
    counts = {site: len(items) for site, items in result.by_site().items()}
    assert counts == {hosts[0]: 5, hosts[1]: 5}
    feed_paths = [r["path"] for r in mirror.requests() if "/feeds/" in r["path"]]
    assert all("max-results=5" in p for p in feed_paths)


def test_sites_file_with_comments(mirror_factory, run_crawl, tmp_path):
    hosts = ["satu-test.blogspot.com", "dua-test.blogspot.com"]
    mirror = mirror_factory({"blogs": [blog(h) for h in hosts]})
    sites = tmp_path / "sites.txt"
    sites.write_text(f"# mirrors\n\nhttps://{hosts[0]}/  # first\n{hosts[1]}\n", encoding="utf-8")
    result = run_crawl(mirror, "-a", f"sites={sites}")
    assert {site: len(items) for site, items in result.by_site().items()} == {hosts[0]: 2, hosts[1]: 2}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-a", "site=https://x.blogspot.com", "-a", "max_post=3"], "unknown argument(s) max_post"),
        (["-a", "site=ftp://x.blogspot.com"], "only http and https"),
        (["-a", "site=https://x.blogspot.com", "-a", "since=yesterdayish"], "since='yesterdayish': not a date"),
        (["-a", "site=https://x.blogspot.com", "-a", "max_posts=0"], "max_posts='0'"),
        (["-a", "sites=/nonexistent/sites.txt"], "cannot read the file"),
        (["-a", "urls=file:///nonexistent/page.html"], "no such file"),
        ([], "nothing to crawl"),
    ],
)
def test_bad_arguments_stop_the_run_with_a_reason(run_crawl, args, message):
    result = run_crawl(None, *args)
    assert result.returncode == 2
    assert message in result.log
    assert "Traceback" not in result.log


def test_saved_page_gets_its_canonical_url(run_crawl, tmp_path):
    from tests.conftest import CORPUS

    page = CORPUS / "pages/weinlachgummis.blogspot.com.rezi.html"
    result = run_crawl(None, "-a", f"urls={page.as_uri()}")
    assert result.returncode == 0, result.log[-2000:]
    [item] = result.items
    assert item["url"] == "https://weinlachgummis.blogspot.com/2017/09/rezi-love-is-war-sehnsucht-von-r-k.html"
    assert item["site"] == "weinlachgummis.blogspot.com"
    assert item["title"] == "[Rezi] Love is War - Sehnsucht von R. K. Lilley"
    assert item["route"] == "page"


def test_every_run_writes_a_per_run_export_next_to_O(mirror_factory, run_crawl):
    host = "kabar-test.blogspot.com"
    mirror = mirror_factory({"blogs": [blog(host)]})
    result = run_crawl(mirror, "-a", f"site=https://{host}")
    [export] = result.export_files
    assert export.parent.name == "blogspot"
    datetime.strptime(export.stem, "%Y-%m-%dT%H-%M-%SZ")
    raw = export.read_text(encoding="utf-8")
    lines = checked([json.loads(line) for line in raw.splitlines()])
    assert sorted(i["id"] for i in lines) == sorted(i["id"] for i in result.items)
    assert "\\u" not in raw and "Banjir" in raw  # UTF-8, not ASCII escapes


@pytest.mark.parametrize(
    ("next_links", "fmt", "expected_starts"),
    [
        (False, "json", ["1", "151", "301", "321"]),  # nothing says where it ends: an empty page does
        (True, "json", ["1", "151", "301"]),  # the last page has no rel=next
        (True, "atom", ["1", "151", "301"]),
    ],
)
def test_feed_without_total_results(mirror_factory, run_crawl, next_links, fmt, expected_starts):
    host = "kabar-test.blogspot.com"
    refused = ["json"] if fmt == "atom" else []
    config = blog(host, total_results=False, next_links=next_links, max_results_cap=150,
                  refuse_formats=refused, generate={"count": 318, "seed": 6})
    mirror = mirror_factory({"blogs": [config]})
    result = run_crawl(mirror, "-a", f"site=https://{host}")
    assert len(post_ids(result.items)) == 320
    feed_paths = [r["path"] for r in mirror.requests() if "/feeds/" in r["path"] and r["status"] == 200]
    starts = [p.split("start-index=")[1].split("&")[0] for p in feed_paths]
    assert starts == expected_starts
    assert mirror.requests_per_host()[host] <= math.ceil(320 / 150) + 3


def test_without_feeds_or_sitemap_the_home_page_and_archives_are_walked(mirror_factory, run_crawl):
    host = "kabar-test.blogspot.com"
    config = blog(host, feeds="disabled", generate={"count": 30, "seed": 8, "step_minutes": 2000},
                  faults=[{"match": "/sitemap.xml", "kind": "status", "status": 404, "times": -1}])
    mirror = mirror_factory({"blogs": [config]})
    result = run_crawl(mirror, "-a", f"site=https://{host}")
    assert len(post_ids(result.items)) == 32
    assert "route=html" in result.log
    paths = [r["path"] for r in mirror.requests()]
    assert "/2019/02/" in paths
    # Blogger's robots.txt forbids /search, and /search paging is opt-in anyway.
    assert not [p for p in paths if p.startswith("/search")]


def test_search_paging_is_opt_in_and_robots_txt_still_wins(mirror_factory, run_crawl, tmp_path):
    host = "kabar-test.blogspot.com"
    no_sitemap = [{"match": "/sitemap.xml", "kind": "status", "status": 404, "times": -1}]
    open_robots = "User-agent: *\nAllow: /\n"
    cases = [(open_robots, "0", False), (open_robots, "1", True), (None, "1", False)]
    for number, (robots, opt_in, expect_search) in enumerate(cases):
        config = blog(host, feeds="disabled", robots=robots, faults=no_sitemap,
                      generate={"count": 30, "seed": 8, "step_minutes": 2000})
        mirror = mirror_factory({"blogs": [config]})
        result = run_crawl(mirror, "-a", f"site=https://{host}", "-a", f"search_pages={opt_in}",
                           settings={"NEWSCRAWL_STATE_PATH": str(tmp_path / f"state{number}.sqlite3")})
        searched = [r["path"] for r in mirror.requests() if r["path"].startswith("/search?")]
        assert bool(searched) == expect_search, (robots, opt_in, searched)
        assert len(post_ids(result.items)) == 32


def test_redirect_off_the_site_is_not_followed(mirror_factory, run_crawl):
    host = "kabar-test.blogspot.com"
    victim = HAND_POSTS[0]["slug"]
    fault = {"match": victim, "kind": "status", "status": 301,
             "headers": {"Location": "https://tracker.example.net/collect"}, "times": -1}
    mirror = mirror_factory({"blogs": [blog(host, feeds="summary", faults=[fault])]})
    result = run_crawl(mirror, "-a", f"site=https://{host}")
    # The post is kept from its summary entry, marked partial; nothing off the site is asked.
    complete = {item["post_id"]: item["complete"] for item in result.items}
    assert complete == {HAND_POSTS[0]["post_id"]: False, HAND_POSTS[1]["post_id"]: True}
    assert "tracker.example.net" not in mirror.requests_per_host()
    assert re.search(rf"page failed at https://{host}/2019/04/{victim}.html: IgnoreRequest: redirect \(301\) "
                     r"to https://tracker.example.net/collect leaves the sites being crawled", result.log)
    assert "problems: page_failed=1" in result.log


def test_source_links_are_resolved_only_when_asked(mirror_factory, run_crawl):
    host = "kabar-test.blogspot.com"
    outlet = "https://news.detik.com/berita/d-4525012/banjir-rob-genangi-pesisir-semarang"
    mirror = mirror_factory({"blogs": [
        blog(host),
        {"host": "bit.ly", "faults": [{"match": "/2UVp8x3", "kind": "status", "status": 301,
                                       "headers": {"Location": outlet}, "times": -1}]},
        {"host": "news.detik.com"},
    ]})
    plain = run_crawl(mirror, "-a", f"site=https://{host}")
    assert {i["source_url_resolved"] for i in plain.items} == {None}
    assert set(mirror.requests_per_host()) == {host}

    mirror.clear_log()
    # fresh=1: the first run's records do not hide the posts from this one.
    resolved = run_crawl(mirror, "-a", f"site=https://{host}", "-a", "resolve_links=1", "-a", "fresh=1")
    records = {i["post_id"]: i for i in resolved.items}
    banjir = records[HAND_POSTS[0]["post_id"]]
    assert banjir["source_url"] == "http://bit.ly/2UVp8x3"
    assert banjir["source_url_resolved"] == outlet
    assert records[HAND_POSTS[1]["post_id"]]["source_url_resolved"] is None  # no source link
    hops = [(r["host"], r["method"]) for r in mirror.requests() if r["host"] != host and "robots" not in r["path"]]
    assert hops == [("bit.ly", "HEAD"), ("news.detik.com", "HEAD")]


def test_no_control_port_is_opened(run_crawl):
    from tests.conftest import CORPUS

    page = CORPUS / "pages/emacspeak.blogspot.com.meta.html"
    result = run_crawl(None, "-a", f"urls={page.as_uri()}", settings={"LOG_LEVEL": "DEBUG"})
    assert result.returncode == 0
    assert "Remote control HTTP server listening" not in result.log
    assert "Telnet console listening" not in result.log
    assert "scrapy.extensions.telnet.TelnetConsole" not in result.log


def test_demo_command_crawls_the_bundled_mirror(tmp_path):
    """`make demo` runs `scrapy demo`: the newcomer's first command must work offline."""
    import subprocess
    import sys

    from tests.conftest import ROOT

    command = [sys.executable, "-m", "scrapy.cmdline", "demo", "-s", f"NEWSCRAWL_EXPORT_DIR={tmp_path / 'exports'}",
               "-s", f"NEWSCRAWL_STATE_PATH={tmp_path / 'demo.sqlite3'}"]
    runs = [subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120) for _ in range(2)]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr[-2000:]
    first, second = sorted((tmp_path / "exports" / "blogspot").glob("*.jsonl"))
    records = checked([json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()])
    assert len(records) == 330
    assert sum(1 for r in records if r["duplicate_of"]) == 6  # the mirror blog's reposts
    assert {r["site"] for r in records} == {"kabar-harian-demo.blogspot.com", "berita-cermin-demo.blogspot.com",
                                            "www.catatan-demo.net"}
    assert f"Wrote 330 records to {first}" in runs[0].stdout
    assert second.read_text() == "" and "Nothing new since the last demo run" in runs[1].stdout


def test_dynamic_views_post_is_read_from_its_own_feed(mirror_factory, run_crawl):
    host = "dinamis-test.blogspot.com"
    mirror = mirror_factory({"blogs": [blog(host, template="dynamic")]})
    url = f"https://{host}/2019/04/{HAND_POSTS[0]['slug']}.html"
    result = run_crawl(mirror, "-a", f"urls={url}")
    [item] = result.items
    assert item["post_id"] == HAND_POSTS[0]["post_id"] and item["url"] == url
    assert item["published"] == "2019-04-26T07:37:00+07:00"
    assert item["text"].startswith("Banjir rob kembali menggenangi")
    paths = [r["path"] for r in mirror.requests() if r["host"] == host]
    assert f"/feeds/posts/default/{HAND_POSTS[0]['post_id']}?alt=json" in paths


def test_dynamic_views_shell_with_summary_feeds_is_reported_not_invented(mirror_factory, run_crawl):
    host = "dinamis-test.blogspot.com"
    mirror = mirror_factory({"blogs": [blog(host, template="dynamic", feeds="summary")]})
    result = run_crawl(mirror, "-a", f"site=https://{host}")
    # The page holds no post and the post's own feed only its summary: what the summary says
    # is exported, marked partial, and no body is made up.
    assert post_ids(result.items) == {post["post_id"] for post in HAND_POSTS}
    assert all(item["complete"] is False and item["html"] is None for item in result.items)
    assert "not a post at" in result.log and "holds no full entry" in result.log


def test_saved_pages_are_read_without_the_politeness_meant_for_servers(run_crawl):
    # A politeness delay of 20 s between requests, as AutoThrottle starts with: four saved pages
    # would take a minute if reading them from disk waited like fetching from a server.
    pages = sorted((ROOT / "tests" / "fixtures" / "pages" / "classic").glob("*.html"))[:4]
    assert len(pages) == 4
    urls = ",".join(page.resolve().as_uri() for page in pages)
    polite = {"AUTOTHROTTLE_ENABLED": "1", "AUTOTHROTTLE_START_DELAY": "20", "DOWNLOAD_DELAY": "20",
              "CONCURRENT_REQUESTS_PER_DOMAIN": "1"}
    result = run_crawl(None, "-a", f"urls={urls}", settings=polite, timeout=45)
    assert result.returncode == 0, result.log[-2000:]
    assert len(result.items) >= 2  # records of the saved posts (under their own canonical URLs)
    assert "'downloader/request_count': 4" in result.log
