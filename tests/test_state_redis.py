"""The state store's contract, held by both backends: the SQLite file of a single machine and the
Redis database that distributed workers share (a real redis-server, see conftest). What only one
backend does (SQLite's schema upgrades and indexes, Redis's abandoned runs and decision lock) is
tested at the end here or in test_state."""

from __future__ import annotations

import threading
import time

import pytest
import redis
from scrapy.settings import Settings

from newscrawl.state import SQLiteStateStore, StateError, open_store
from newscrawl.state.redis_store import RedisStateStore
from newscrawl.state.sqlite import NEAR_PER_BAND
from tests.test_state import make_post


@pytest.fixture(params=["sqlite", "redis"])
def store(request, tmp_path):
    if request.param == "sqlite":
        opened = SQLiteStateStore(tmp_path / "state.sqlite3")
    else:
        opened = RedisStateStore(request.getfixturevalue("redis_url"), prefix="t")
    with opened:
        yield opened


def test_record_then_get_by_id_and_url(store):
    post = make_post(1, complete=False)
    store.record(post, signature=b"sig", band_keys=["k"])
    assert store.get(post.id) == post
    assert store.get_by_url(post.url) == post
    assert store.get("blogger-7-404") is None and store.get_by_url("https://x.example/") is None


def test_a_url_recorded_under_another_id_is_refused_whole(store):
    store.record(make_post(1))
    with pytest.raises(ValueError, match="blogger-7-2"):
        store.record(make_post(2, url=make_post(1).url))
    assert store.get(make_post(2).id) is None
    assert store.get_by_url(make_post(1).url) == make_post(1)


def test_first_by_keys_return_the_earliest_original(store):
    shared = {"source_url": "https://outlet.example/a", "fingerprint": "fp", "title_key": "t"}
    store.record(make_post(1, duplicate_of="blogger-7-0", **shared))
    store.record(make_post(2, **shared))
    store.record(make_post(3, **shared))
    assert store.first_by_source_url("https://outlet.example/a") == "blogger-7-2"
    assert store.first_by_fingerprint("fp") == "blogger-7-2"
    assert store.first_by_fingerprint("never seen") is None


def test_near_candidates_rank_originals_by_shared_band_keys(store):
    store.record(make_post(1), signature=b"one", band_keys=["a"])
    store.record(make_post(2), signature=b"two", band_keys=["a", "b", "c"])
    store.record(make_post(3), signature=b"three", band_keys=["a", "b", "x"])
    store.record(make_post(5), signature=b"five", band_keys=["c"])
    store.record(make_post(4, duplicate_of="blogger-7-2"), signature=b"dup", band_keys=["a", "b", "c"])
    query = ["a", "b", "c", "c"]
    assert store.near_candidates(query) == [
        ("blogger-7-2", b"two"), ("blogger-7-3", b"three"), ("blogger-7-1", b"one"), ("blogger-7-5", b"five"),
    ]
    assert store.near_candidates(query, limit=2) == [("blogger-7-2", b"two"), ("blogger-7-3", b"three")]
    assert store.near_candidates(query, limit=0) == [] and store.near_candidates([]) == []


def test_near_candidates_follow_a_revision_s_new_band_keys(store):
    store.record(make_post(1), signature=b"old", band_keys=["old"])
    store.record(make_post(1, revision=1), signature=b"new", band_keys=["new"])
    assert store.near_candidates(["old"]) == []
    assert store.near_candidates(["new"]) == [("blogger-7-1", b"new")]


def test_a_band_key_shared_by_very_many_posts_is_read_only_so_far(store):
    for n in range(NEAR_PER_BAND + 20):
        store.record(make_post(n), signature=b"s%d" % n, band_keys=["stock", f"own-{n}"])
    found = store.near_candidates(["stock", f"own-{NEAR_PER_BAND + 10}"], limit=500)
    assert [post_id for post_id, _ in found[:NEAR_PER_BAND]] == [make_post(n).id for n in range(NEAR_PER_BAND)]
    assert [post_id for post_id, _ in found[NEAR_PER_BAND:]] == [make_post(NEAR_PER_BAND + 10).id]


def test_answers_fetched_ahead_are_the_answers_and_a_write_replaces_them(store):
    shared = {"source_url": "https://outlet.example/a", "fingerprint": "fp"}
    store.record(make_post(1, **shared), signature=b"one", band_keys=["a", "b"])
    store.record(make_post(2), signature=b"two", band_keys=["b"])
    asked = {"post_id": make_post(3).id, "url": make_post(1).url, "source_url": shared["source_url"],
             "fingerprint": "fp", "band_keys": ["a", "b", "z"]}

    def answers():
        return (store.get(make_post(3).id), store.get_by_url(make_post(1).url), store.first_by_source_url(shared["source_url"]),
                store.first_by_fingerprint("fp"), store.near_candidates(["a", "b", "z"]))

    plain = answers()
    store.look_ahead(**asked)
    assert answers() == plain == (None, make_post(1, **shared), make_post(1).id, make_post(1).id,
                                  [(make_post(1).id, b"one"), (make_post(2).id, b"two")])
    store.record(make_post(3, fingerprint="fp"), signature=b"three", band_keys=["z"])
    assert store.get(make_post(3).id) == make_post(3, fingerprint="fp")
    assert store.near_candidates(["z"]) == [(make_post(3).id, b"three")]


def test_watermarks_and_site_routes(store):
    assert store.watermark("a.blogspot.com") is None
    store.set_watermark("a.blogspot.com", "2024-05-01T10:00:00+07:00", run_id="run-1")
    store.set_watermark("a.blogspot.com", "2024-05-02T10:00:00+07:00", run_id="run-2")
    assert store.watermark("a.blogspot.com") == "2024-05-02T10:00:00+07:00"
    store.set_site_route("a.blogspot.com", "sitemap", run_id="run-1", feeds_off=True)
    found = store.site_route("a.blogspot.com")
    assert (found.route, found.feeds_off, found.run_id) == ("sitemap", True, "run-1")
    store.set_site_route("a.blogspot.com", "html", run_id="run-2", feeds_off=None)
    kept = store.site_route("a.blogspot.com")
    assert (kept.route, kept.feeds_off, kept.feeds_checked_at) == ("html", True, found.feeds_checked_at)


def test_run_misuse_is_refused(store):
    store.start_run("run-1", None)
    store.finish_run("run-1")
    for misuse in (lambda: store.start_run("run-1", None), lambda: store.finish_run("run-1"),
                   lambda: store.reconcile_run("never-started", set())):
        with pytest.raises(ValueError, match="run"):
            misuse()


def test_reconcile_forgets_lost_posts_and_restores_replaced_revisions(store):
    store.start_run("run-1", "1.jsonl")
    old_a, old_b = make_post(1), make_post(2)
    store.record(old_a, signature=b"a0", band_keys=["a0"])
    store.record(old_b, signature=b"b0", band_keys=["b0"])
    store.finish_run("run-1")
    store.start_run("run-2", "2.jsonl")
    new_a = make_post(1, run_id="run-2", revision=1, fingerprint="fp-1b")
    new_b = make_post(2, run_id="run-2", revision=1, fingerprint="fp-2b")
    kept_c, lost_d = make_post(3, run_id="run-2"), make_post(4, run_id="run-2")
    for post, key in ((new_a, "a1"), (new_b, "b1"), (kept_c, "c0"), (lost_d, "d0")):
        store.record(post, signature=key.encode(), band_keys=[key])

    assert store.reconcile_run("run-2", {new_b.id, kept_c.id}) == 2
    assert store.get(old_a.id) == old_a
    assert store.near_candidates(["a0", "a1"]) == [(old_a.id, b"a0")]
    assert store.first_by_fingerprint("fp-1b") is None and store.first_by_fingerprint("fp-1") == old_a.id
    assert store.get(new_b.id) == new_b and store.get(kept_c.id) == kept_c
    assert store.get(lost_d.id) is None and store.get_by_url(lost_d.url) is None
    assert store.near_candidates(["d0"]) == []


def test_reconcile_undoes_only_the_run_s_last_write_when_runs_interleave(store):
    store.record(make_post(1))
    for run_id in ("run-2", "run-3"):
        store.start_run(run_id, None)
    store.record(make_post(1, run_id="run-2", revision=1))
    store.record(make_post(1, run_id="run-3", revision=2))
    store.record(make_post(1, run_id="run-2", revision=3))
    assert store.reconcile_run("run-2", set()) == 1
    assert store.get(make_post(1).id) == make_post(1, run_id="run-3", revision=2)


# --- what only the shared store does ----------------------------------------------------------


def test_only_runs_whose_worker_stopped_renewing_are_abandoned(redis_url):
    with RedisStateStore(redis_url, prefix="t", alive_seconds=0.3) as store:
        store.start_run("run-dead", "/exports/dead.jsonl")
        store.start_run("run-alive", "/exports/alive.jsonl")
        for _ in range(6):
            time.sleep(0.1)
            store.keep_alive("run-alive")
        assert store.unfinished_runs() == [("run-dead", "/exports/dead.jsonl")]
        assert store.run_info("run-dead")["host"]


def test_two_workers_deciding_at_once_take_turns(redis_url):
    stores = [RedisStateStore(redis_url, prefix="t") for _ in range(2)]
    inside, overlaps = [], []

    def work(store):
        for _ in range(20):
            with store.exclusive():
                inside.append(1)
                if len(inside) > 1:
                    overlaps.append(1)
                time.sleep(0.002)
                inside.pop()

    threads = [threading.Thread(target=work, args=(s,)) for s in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == []


def test_open_store_from_settings_needs_a_redis_url(redis_url, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    with pytest.raises(StateError, match="REDIS_URL"):
        open_store(Settings({"NEWSCRAWL_STATE_BACKEND": "redis"}))
    with open_store(Settings({"NEWSCRAWL_STATE_BACKEND": "redis", "REDIS_URL": redis_url})) as store:
        assert isinstance(store, RedisStateStore)


def test_a_wrong_password_is_a_clear_error_without_the_password(redis_url):
    wrong = redis_url.replace("test-only-password", "not-the-password")
    with pytest.raises(StateError, match="cannot reach the Redis state store at redis://127.0.0.1") as raised:
        RedisStateStore(wrong)
    assert "not-the-password" not in str(raised.value)
    assert redis.Redis.from_url(redis_url).ping()
