"""Periodic crawls: each post exported once across runs, revisions, mirror copies recognised,
cheap re-runs, and runs that survive SIGKILL.

Every test keeps one state file and one export folder across its runs, as a cron job does."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FAST_SETTINGS, ROOT
from tests.conftest import checked
from tests.test_crawl import HAND_POSTS, blog, blog_id_of

HOST = "kabar-test.blogspot.com"
MIRROR = "cermin-test.blogspot.com"


def export_records(workdir: Path) -> list[dict]:
    """Every record of every published export of the run folder, in file order."""
    records = []
    for path in sorted((workdir / "exports").rglob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            records.append(json.loads(line))  # a torn line would raise here
    return checked(records)


def feed_and_page_requests(mirror, host: str) -> list[str]:
    return [r["path"] for r in mirror.requests() if r["host"] == host and r["path"] != "/robots.txt"]


def test_second_run_exports_nothing_new_and_costs_two_requests_per_site(mirror_factory, run_crawl, tmp_path):
    full = blog(HOST, generate={"count": 200, "seed": 3, "with_source": True}, max_results_cap=150)
    summary = blog(MIRROR, feeds="summary", generate={"count": 20, "seed": 8})
    mirror = mirror_factory({"blogs": [full, summary]})
    first = run_crawl(mirror, "-a", f"site=https://{HOST},https://{MIRROR}")
    assert len(first.items) == 224
    assert "Run " not in first.log  # nothing to recover

    mirror.clear_log()
    second = run_crawl(mirror, "-a", f"site=https://{HOST},https://{MIRROR}")
    assert second.returncode == 0
    assert second.items == []
    assert "did not finish" not in second.log  # the first run was marked finished
    hosts = mirror.requests_per_host()
    assert hosts[HOST] <= 2 and hosts[MIRROR] <= 2, mirror.requests()
    [feed] = feed_and_page_requests(mirror, HOST)
    assert "orderby=updated" in feed and "updated-min=" in feed
    exports = sorted((tmp_path / "exports" / "blogspot").glob("*.jsonl"))
    assert len(exports) == 2 and exports[1].read_text() == ""


def test_updated_post_comes_back_as_a_revision(mirror_factory, run_crawl):
    config = blog(HOST, generate={"count": 30, "seed": 3})
    mirror = mirror_factory({"blogs": [config]})
    first = run_crawl(mirror, "-a", f"site=https://{HOST}")
    assert len(first.items) == 32 and {i["revision"] for i in first.items} == {0}
    original = next(i for i in first.items if i["post_id"] == HAND_POSTS[0]["post_id"])

    edited = copy.deepcopy(config)
    edited["posts"][0]["updated"] = "2019-04-27T09:00:00+07:00"
    edited["posts"][0]["html"] += "<p>Pembaruan: air mulai surut pada Sabtu pagi.</p>"
    mirror.process.terminate()
    mirror = mirror_factory({"blogs": [edited]})
    second = run_crawl(mirror, "-a", f"site=https://{HOST}")
    [revision] = second.items
    assert revision["id"] == original["id"]
    assert revision["revision"] == 1
    assert revision["updated"] == "2019-04-27T09:00:00+07:00"
    assert "air mulai surut" in revision["text"]


def mirrored_copy(post: dict, post_id: str, *, title: str | None = None, html: str | None = None,
                  source: bool = True) -> dict:
    copy_ = copy.deepcopy(post)
    copy_.update(post_id=post_id, published="2019-04-26T10:00:00+07:00", updated="2019-04-26T10:00:00+07:00")
    if title is not None:
        copy_["title"] = title
    if html is not None:
        copy_["html"] = html
    if not source:
        copy_.pop("source", None)
    return copy_


LONG_ARTICLE = {
    "post_id": "3333333333333333333",
    "slug": "gempa-guncang-lombok",
    "title": "Gempa Magnitudo 5,8 Guncang Lombok Timur",
    "published": "2019-04-26T05:00:00+07:00",
    "author": "Redaksi",
    "labels": ["Bencana"],
    "html": "".join(f"<p>{p}</p>" for p in [
        "Gempa bermagnitudo 5,8 mengguncang Kabupaten Lombok Timur, Nusa Tenggara Barat, pada Jumat pagi "
        "sekitar pukul 06.15 WITA dan membuat warga berhamburan keluar rumah.",
        "Badan Meteorologi, Klimatologi, dan Geofisika menyebut pusat gempa berada di darat pada kedalaman "
        "sepuluh kilometer dan tidak berpotensi menimbulkan tsunami.",
        "Kepala Pelaksana Badan Penanggulangan Bencana Daerah setempat mengatakan petugas masih mendata "
        "kerusakan rumah warga di tiga kecamatan yang paling dekat dengan pusat gempa.",
        "Warga diimbau tetap tenang, menjauhi bangunan yang retak, dan hanya mengikuti informasi resmi dari "
        "pemerintah daerah serta lembaga terkait.",
    ]),
}


def test_mirror_copies_point_to_the_first_copy(mirror_factory, run_crawl):
    banjir, gempa = HAND_POSTS[0], LONG_ARTICLE
    origin = blog(HOST, posts=[banjir, gempa, HAND_POSTS[1]])
    reposts = blog(MIRROR, posts=[
        # Same outlet link in the footer, other title case and a "[VIDEO]" prefix.
        mirrored_copy(banjir, "4444444444444444444", title="[VIDEO] BANJIR ROB GENANGI PESISIR SEMARANG"),
        # No footer at all, a "Baca juga" line and a trimmed last paragraph: only the text says it.
        mirrored_copy(gempa, "5555555555555555555", source=False, title="Gempa Guncang Lombok Timur!",
                      html=gempa["html"].replace("</p><p>Badan", "</p><p>Baca juga: Harga Cabai Naik</p><p>Badan")
                      .rsplit("<p>Warga", 1)[0]),
        # An article of its own.
        {**HAND_POSTS[1], "post_id": "6666666666666666666", "slug": "pasar-murah",
         "title": "Pasar Murah Digelar di Alun-alun", "html": "<p>Pemerintah kota menggelar pasar murah.</p>"},
    ])
    mirror = mirror_factory({"blogs": [origin, reposts]})
    run_crawl(mirror, "-a", f"site=https://{HOST}")
    result = run_crawl(mirror, "-a", f"site=https://{MIRROR}")
    by_post = {i["post_id"]: i for i in result.items}
    origin_id = f"blogger-{blog_id_of(HOST)}-"
    assert by_post["4444444444444444444"]["duplicate_of"] == origin_id + banjir["post_id"]
    assert by_post["5555555555555555555"]["duplicate_of"] == origin_id + gempa["post_id"]
    assert by_post["6666666666666666666"]["duplicate_of"] is None
    assert "'newscrawl/dedup/mirror:source_url': 1" in result.log
    assert "'newscrawl/dedup/mirror:near': 1" in result.log


def test_drop_duplicates_drops_mirror_copies(mirror_factory, run_crawl):
    origin = blog(HOST)
    reposts = blog(MIRROR, posts=[mirrored_copy(HAND_POSTS[0], "4444444444444444444")])
    mirror = mirror_factory({"blogs": [origin, reposts]})
    run_crawl(mirror, "-a", f"site=https://{HOST}")
    result = run_crawl(mirror, "-a", f"site=https://{MIRROR}", "-a", "drop_duplicates=1")
    assert result.items == []
    assert "mirror copy of blogger-" in result.log


def test_fresh_ignores_earlier_runs(mirror_factory, run_crawl):
    mirror = mirror_factory({"blogs": [blog(HOST)]})
    run_crawl(mirror, "-a", f"site=https://{HOST}")
    assert run_crawl(mirror, "-a", f"site=https://{HOST}").items == []
    again = run_crawl(mirror, "-a", f"site=https://{HOST}", "-a", "fresh=1")
    assert len(again.items) == 2 and {i["revision"] for i in again.items} == {0}


def test_a_site_with_problems_keeps_its_old_watermark(mirror_factory, run_crawl):
    victim = HAND_POSTS[0]["slug"]
    broken = blog(HOST, feeds="summary", faults=[{"match": victim, "kind": "status", "status": 500, "times": -1}])
    mirror = mirror_factory({"blogs": [broken]})
    first = run_crawl(mirror, "-a", f"site=https://{HOST}")
    assert sorted(item["complete"] for item in first.items) == [False, True]
    mirror.process.terminate()
    mirror = mirror_factory({"blogs": [blog(HOST, feeds="summary")]})
    second = run_crawl(mirror, "-a", f"site=https://{HOST}")
    # No watermark: the whole feed is read again, and only the post that failed is new.
    assert [i["post_id"] for i in second.items] == [HAND_POSTS[0]["post_id"]]
    assert not [r for r in mirror.requests() if "updated-min" in r["path"]]


def kill_and_rerun(mirror, workdir: Path, after_export: float | None) -> tuple[list[dict], int]:
    """Crawl, SIGKILL it, crawl again to the end; return all records and how many .part files
    the killed run left. ``after_export``: seconds after its export file appeared (None: kill
    during start-up, before the export exists)."""
    command = [sys.executable, "-m", "scrapy.cmdline", "crawl", "blogspot", "-a", f"site=https://{HOST}"]
    settings = {**FAST_SETTINGS, "CONCURRENT_REQUESTS_PER_DOMAIN": "1", "LOG_LEVEL": "WARNING",
                "NEWSCRAWL_EXPORT_DIR": str(workdir / "exports"), "NEWSCRAWL_STATE_PATH": str(workdir / "state.sqlite3")}
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    env = {**os.environ, "http_proxy": mirror.proxy, "https_proxy": mirror.proxy, "PYTHONPATH": str(ROOT)}
    victim = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if after_export is None:
        time.sleep(0.5)
    else:
        deadline = time.monotonic() + 30
        while not list((workdir / "exports").rglob("*.part")) and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(after_export)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    leftovers = len(list((workdir / "exports").rglob("*.part")))
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    assert not list((workdir / "exports").rglob("*.part")), "a .part file was left unpublished"
    return export_records(workdir), leftovers


@pytest.mark.parametrize("after_export", [None, 0.0, 0.7, 1.5, 3.0])
def test_sigkill_at_any_moment_loses_and_doubles_nothing(mirror_factory, tmp_path, after_export):
    # A summary feed: post pages arrive one at a time, so the kill lands mid-export.
    config = blog(HOST, feeds="summary", generate={"count": 98, "seed": 12},
                  faults=[{"match": ".html", "kind": "delay", "seconds": 0.12, "times": -1}])
    mirror = mirror_factory({"blogs": [config]})
    records, leftovers = kill_and_rerun(mirror, tmp_path, after_export)
    if after_export is not None:
        assert leftovers == 1, "the run was not killed while writing its export"
    ids = [r["post_id"] for r in records]
    assert len(ids) == len(set(ids)), "a post was exported twice"
    assert len(ids) == 100, f"{100 - len(set(ids))} posts lost"


def test_a_second_run_on_a_state_file_in_use_stops_and_harms_nothing(mirror_factory, run_crawl, tmp_path):
    # Started by hand while the timer's run is going, it took that run for a killed one.
    import fcntl

    mirror = mirror_factory({"blogs": [blog(HOST)]})
    first = run_crawl(mirror, "-a", f"site=https://{HOST}")
    assert first.returncode == 0 and len(first.items) == len(HAND_POSTS)
    with open(tmp_path / "state.sqlite3.lock", "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        held.seek(0)
        held.truncate()
        held.write("pid 4242\n")
        held.flush()
        refused = run_crawl(mirror, "-a", f"site=https://{HOST}", "-a", "fresh=1")
    assert refused.returncode == 1  # the crawl could not start (README: Running unattended)
    assert "state.sqlite3 is in use by another run (pid 4242); this run stops" in refused.log
    assert refused.items == []
    after = run_crawl(mirror, "-a", f"site=https://{HOST}")
    assert after.returncode == 0
    assert "did not finish" not in after.log  # the refused run left no run behind


def test_a_site_whose_feeds_are_off_is_not_asked_for_them_again_until_the_recheck(mirror_factory, run_crawl, tmp_path):
    quiet = blog(HOST, feeds="disabled", generate={"count": 30, "seed": 5})
    mirror = mirror_factory({"blogs": [quiet]})
    first = run_crawl(mirror, "-a", f"site=https://{HOST}")
    assert len(first.items) == 32
    asked = [path for path in feed_and_page_requests(mirror, HOST) if path.startswith("/feeds/")]
    assert len(asked) == 2  # JSON, then Atom: both 404, so the feeds are off

    mirror.clear_log()
    second = run_crawl(mirror, "-a", f"site=https://{HOST}")
    assert second.returncode == 0 and second.items == []
    paths = feed_and_page_requests(mirror, HOST)
    assert not [path for path in paths if path.startswith("/feeds/")], paths
    assert paths[0].startswith("/sitemap.xml")
    assert f"{HOST}: taking the sitemap route (its feeds were off when last asked, " in second.log
    # Unchanged posts (lastmod not past the watermark) are not fetched again.
    assert not [path for path in paths if path.endswith(".html")], paths

    # Once the recheck is due, the feeds are asked again.
    mirror.clear_log()
    third = run_crawl(mirror, "-a", f"site=https://{HOST}", settings={"NEWSCRAWL_FEEDS_RECHECK_DAYS": "0"})
    assert third.returncode == 0 and third.items == []
    assert len([path for path in feed_and_page_requests(mirror, HOST) if path.startswith("/feeds/")]) == 2


def test_a_site_whose_feeds_came_back_is_read_from_them_after_the_recheck(mirror_factory, run_crawl):
    off = mirror_factory({"blogs": [blog(HOST, feeds="disabled")]})
    assert len(run_crawl(off, "-a", f"site=https://{HOST}").items) == len(HAND_POSTS)
    off.process.terminate()
    on = mirror_factory({"blogs": [blog(HOST, generate={"count": 5, "seed": 2})]})
    still_remembered = run_crawl(on, "-a", f"site=https://{HOST}")
    assert still_remembered.returncode == 0
    paths = feed_and_page_requests(on, HOST)
    assert paths and not [path for path in paths if path.startswith("/feeds/")], paths
    rechecked = run_crawl(on, "-a", f"site=https://{HOST}", "-a", "fresh=1",
                          settings={"NEWSCRAWL_FEEDS_RECHECK_DAYS": "0"})
    assert {item["route"] for item in rechecked.items} == {"feed-json"}
    assert "feeds were off when last asked" not in rechecked.log
