"""The state store, against real SQLite files: lookups, revisions, runs, reconciling a killed
run, refusing files it cannot read, and surviving SIGKILL in the middle of writes."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict, replace
from pathlib import Path

import pytest
from scrapy.settings import Settings

from newscrawl.state import (
    DEFAULT_STATE_PATH,
    PostState,
    SQLiteStateStore,
    StateError,
    open_store,
)
from newscrawl.state.sqlite import SCHEMA_VERSION, band_hash

ROOT = Path(__file__).resolve().parents[1]


def make_post(n: int, **changes) -> PostState:
    """Post number n of one blog, first revision, with every lookup key filled in."""
    post = PostState(
        id=f"blogger-7-{n}",
        url=f"https://contoh.blogspot.com/2024/05/berita-{n}.html",
        site="contoh.blogspot.com",
        updated="2024-05-01T10:00:00+07:00",
        fingerprint=f"fp-{n}",
        source_url=f"https://outlet.example/{n}",
        title_key=f"judul {n}",
        revision=0,
        duplicate_of=None,
        run_id="run-1",
        exported_at="2024-05-01T03:00:00+00:00",
    )
    return replace(post, **changes)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "state" / "newscrawl.sqlite3"


@pytest.fixture
def store(db_path):
    with SQLiteStateStore(db_path) as opened:
        yield opened


def raw_query(path: Path, sql: str, *params) -> list[tuple]:
    """Look at the file as any SQLite client would, apart from the store under test."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# --- posts -------------------------------------------------------------------------------


def test_record_then_get_by_id_and_url_after_reopening(db_path):
    post = make_post(1, updated=None, fingerprint=None, source_url=None, title_key=None)
    with SQLiteStateStore(db_path) as store:
        store.record(post)
    with SQLiteStateStore(db_path) as store:
        assert store.get(post.id) == post
        assert store.get_by_url(post.url) == post
        assert store.get("blogger-7-404") is None
        assert store.get_by_url("https://contoh.blogspot.com/404.html") is None


def test_revision_replaces_the_row_and_keeps_the_previous_one_in_history(store, db_path):
    first = make_post(1)
    store.record(first, signature=b"old", band_keys=["k-old"])
    revised = make_post(1, run_id="run-2", revision=1, fingerprint="fp-1b", title_key="baru")
    store.record(revised, signature=b"new", band_keys=["k-new"])

    assert store.get(first.id) == revised
    assert raw_query(db_path, "SELECT count(*) FROM posts") == [(1,)]
    assert raw_query(db_path, "SELECT band FROM bands") == [(band_hash("k-new"),)]
    assert raw_query(
        db_path, "SELECT replaced_by, revision, fingerprint, signature, band_keys FROM history"
    ) == [("run-2", 0, "fp-1", b"old", f"[{band_hash('k-old')}]")]


def test_a_revision_keeps_its_first_export_place(store):
    store.record(make_post(2, fingerprint="sama"))
    store.record(make_post(1, fingerprint="sama"))
    store.record(make_post(2, fingerprint="sama", revision=1, run_id="run-2"))
    assert store.first_by_fingerprint("sama") == "blogger-7-2"


def test_a_url_recorded_under_another_id_is_refused_whole(store, db_path):
    store.record(make_post(1))
    store.record(make_post(2), signature=b"s", band_keys=["k"])
    moved = make_post(2, url=make_post(1).url, revision=1, run_id="run-2")
    with pytest.raises(ValueError, match="blogger-7-2"):
        store.record(moved, signature=b"t", band_keys=["k2"])
    assert store.get(moved.id) == make_post(2)
    assert store.near_candidates(["k", "k2"]) == [(moved.id, b"s")]
    assert raw_query(db_path, "SELECT count(*) FROM history") == [(0,)]


def test_band_keys_without_a_signature_are_refused(store):
    with pytest.raises(ValueError, match="signature"):
        store.record(make_post(1), band_keys=["k"])
    assert store.get(make_post(1).id) is None


# --- duplicate lookups -------------------------------------------------------------------


def test_first_by_keys_find_nothing_for_unknown_keys_or_duplicates_only(store):
    store.record(make_post(1, duplicate_of="blogger-7-0"))
    assert store.first_by_source_url(make_post(1).source_url) is None
    assert store.first_by_fingerprint(make_post(1).fingerprint) is None
    assert store.first_by_fingerprint("never seen") is None


def test_lookups_use_indexes_not_table_scans(store, db_path):
    store.start_run("run-1", None)
    for n in range(3):
        store.record(make_post(n), signature=b"s", band_keys=[f"k{n}", "k"])
    statements: list[str] = []
    store._conn.set_trace_callback(statements.append)
    store.get("blogger-7-1")
    store.get_by_url(make_post(1).url)
    store.first_by_source_url(make_post(1).source_url)
    store.first_by_fingerprint("fp-1")
    store.near_candidates(["k1", "k"])
    store.watermark("contoh.blogspot.com")
    store.reconcile_run("run-1", set())
    store._conn.set_trace_callback(None)

    selects = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    assert len(selects) >= 8
    conn = sqlite3.connect(db_path)
    try:
        for sql in selects:
            plan = " / ".join(row[3] for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}"))
            # Scanning a subquery's few rows is fine; scanning a table is not.
            assert not re.search(r"SCAN (posts|bands|history|watermarks|runs|sites)\b", plan), f"{sql.strip()}: {plan}"
    finally:
        conn.close()


# --- watermarks --------------------------------------------------------------------------


def test_watermarks_are_per_site_and_replaced(store, db_path):
    assert store.watermark("a.blogspot.com") is None
    store.set_watermark("a.blogspot.com", "2024-05-01T10:00:00+07:00", run_id="run-1")
    store.set_watermark("b.blogspot.com", "2024-04-01T10:00:00+07:00", run_id="run-1")
    store.set_watermark("a.blogspot.com", "2024-05-02T10:00:00+07:00", run_id="run-2")

    assert store.watermark("a.blogspot.com") == "2024-05-02T10:00:00+07:00"
    assert store.watermark("b.blogspot.com") == "2024-04-01T10:00:00+07:00"
    ((run_id, set_at),) = raw_query(
        db_path, "SELECT run_id, set_at FROM watermarks WHERE site = ?", "a.blogspot.com"
    )
    assert run_id == "run-2"
    assert set_at.endswith("+00:00")


# --- runs --------------------------------------------------------------------------------


def test_runs_are_unfinished_until_finished_oldest_first(store):
    store.start_run("run-1", "exports/blogspot/1.jsonl")
    store.start_run("run-2", None)
    assert store.unfinished_runs() == [("run-1", "exports/blogspot/1.jsonl"), ("run-2", None)]
    store.finish_run("run-1")
    assert store.unfinished_runs() == [("run-2", None)]


@pytest.mark.parametrize(
    "misuse",
    [
        lambda store: store.start_run("run-1", None),
        lambda store: store.finish_run("run-1"),
        lambda store: store.finish_run("never-started"),
        lambda store: store.reconcile_run("run-1", set()),
        lambda store: store.reconcile_run("never-started", set()),
    ],
    ids=["restart", "finish twice", "finish unknown", "reconcile finished", "reconcile unknown"],
)
def test_run_misuse_is_refused(store, misuse):
    store.start_run("run-1", None)
    store.finish_run("run-1")
    with pytest.raises(ValueError, match="run"):
        misuse(store)


def test_finishing_a_run_drops_the_revisions_it_replaced(store, db_path):
    store.record(make_post(1))
    store.start_run("run-2", None)
    store.record(make_post(1, revision=1, run_id="run-2"))
    assert raw_query(db_path, "SELECT count(*) FROM history") == [(1,)]
    store.finish_run("run-2")
    assert raw_query(db_path, "SELECT count(*) FROM history") == [(0,)]


def test_reconcile_forgets_lost_posts_and_restores_replaced_revisions(store, db_path):
    store.start_run("run-1", "1.jsonl")
    old_a, old_b = make_post(1), make_post(2)
    store.record(old_a, signature=b"a0", band_keys=["a0"])
    store.record(old_b, signature=b"b0", band_keys=["b0"])
    store.finish_run("run-1")

    store.start_run("run-2", "2.jsonl")
    new_a = make_post(1, run_id="run-2", revision=1, fingerprint="fp-1b")
    new_b = make_post(2, run_id="run-2", revision=1, fingerprint="fp-2b")
    kept_c, lost_d = make_post(3, run_id="run-2"), make_post(4, run_id="run-2")
    store.record(new_a, signature=b"a1", band_keys=["a1"])
    store.record(new_b, signature=b"b1", band_keys=["b1"])
    store.record(kept_c, signature=b"c0", band_keys=["c0"])
    store.record(lost_d, signature=b"d0", band_keys=["d0"])

    forgotten = store.reconcile_run("run-2", {new_b.id, kept_c.id})

    assert forgotten == 2
    assert store.get(old_a.id) == old_a
    assert store.near_candidates(["a0", "a1"]) == [(old_a.id, b"a0")]
    assert store.first_by_fingerprint("fp-1b") is None
    assert store.get(new_b.id) == new_b
    assert store.get(kept_c.id) == kept_c
    assert store.get(lost_d.id) is None
    assert store.near_candidates(["d0"]) == []
    assert raw_query(db_path, "SELECT count(*) FROM bands WHERE band = ?", band_hash("d0")) == [(0,)]
    assert raw_query(db_path, "SELECT count(*) FROM history") == [(0,)]
    assert store.unfinished_runs() == []


def test_reconcile_undoes_two_revisions_in_one_run_back_to_the_run_before(store):
    store.start_run("run-1", None)
    store.record(make_post(1), signature=b"r0", band_keys=["r0"])
    store.finish_run("run-1")
    store.start_run("run-2", None)
    store.record(make_post(1, run_id="run-2", revision=1), signature=b"r1", band_keys=["r1"])
    store.record(make_post(1, run_id="run-2", revision=2), signature=b"r2", band_keys=["r2"])

    assert store.reconcile_run("run-2", set()) == 1
    assert store.get(make_post(1).id) == make_post(1)
    assert store.near_candidates(["r0", "r1", "r2"]) == [(make_post(1).id, b"r0")]


def test_reconcile_keeps_posts_of_other_runs(store):
    store.start_run("run-1", None)
    store.record(make_post(1))
    store.start_run("run-2", None)
    store.record(make_post(2, run_id="run-2"))
    assert store.reconcile_run("run-2", set()) == 1
    assert store.get(make_post(1).id) == make_post(1)
    assert store.unfinished_runs() == [("run-1", None)]


# --- the file ----------------------------------------------------------------------------


def test_the_file_is_in_wal_mode_with_its_schema_version(store, db_path):
    assert raw_query(db_path, "PRAGMA journal_mode") == [("wal",)]
    assert raw_query(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_opening_twice_keeps_the_data(db_path):
    with SQLiteStateStore(db_path) as store:
        store.record(make_post(1))
    with SQLiteStateStore(db_path) as store:
        assert store.get(make_post(1).id) == make_post(1)


# The schema as version 2 wrote it (band keys as strings, by post id), to make old files with.
V2_SCHEMA = (
    "CREATE TABLE posts (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, url TEXT NOT NULL UNIQUE,"
    " site TEXT NOT NULL, updated TEXT, fingerprint TEXT, source_url TEXT, title_key TEXT,"
    " revision INTEGER NOT NULL CHECK (revision >= 0), duplicate_of TEXT, run_id TEXT NOT NULL,"
    " exported_at TEXT NOT NULL, complete INTEGER NOT NULL DEFAULT 1, signature BLOB)",
    "CREATE INDEX posts_source_url ON posts (source_url) WHERE duplicate_of IS NULL AND source_url IS NOT NULL",
    "CREATE INDEX posts_fingerprint ON posts (fingerprint) WHERE duplicate_of IS NULL AND fingerprint IS NOT NULL",
    "CREATE INDEX posts_run_id ON posts (run_id)",
    "CREATE TABLE bands (band_key TEXT NOT NULL, post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,"
    " PRIMARY KEY (band_key, post_id)) WITHOUT ROWID",
    "CREATE INDEX bands_post_id ON bands (post_id)",
    "CREATE TABLE history (replaced_by TEXT NOT NULL, id TEXT NOT NULL, url TEXT NOT NULL, site TEXT NOT NULL,"
    " updated TEXT, fingerprint TEXT, source_url TEXT, title_key TEXT, revision INTEGER NOT NULL,"
    " duplicate_of TEXT, run_id TEXT NOT NULL, exported_at TEXT NOT NULL, complete INTEGER NOT NULL DEFAULT 1,"
    " signature BLOB, band_keys TEXT NOT NULL, PRIMARY KEY (replaced_by, id)) WITHOUT ROWID",
    "CREATE TABLE watermarks (site TEXT PRIMARY KEY, updated TEXT NOT NULL, run_id TEXT NOT NULL, set_at TEXT NOT NULL)",
    "CREATE TABLE runs (run_id TEXT PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT, export_path TEXT)",
    "CREATE INDEX runs_unfinished ON runs (started_at) WHERE finished_at IS NULL",
    "PRAGMA application_id = 1313035092",
    "PRAGMA user_version = 2",
)


def make_v2_file(path: Path) -> None:
    """A version 2 file as that version left it: post 1 exported by a finished run, post 2
    revised by an unfinished run (its first revision kept in history)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in V2_SCHEMA:
            conn.execute(statement)
        for post, keys in ((make_post(1), ["a", "b"]), (make_post(2, revision=1, run_id="run-2"), ["c2"])):
            row = {**asdict(post), "complete": 1, "signature": post.id.encode()}
            conn.execute(f"INSERT INTO posts ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})", tuple(row.values()))
            conn.executemany("INSERT INTO bands VALUES (?, ?)", [(key, post.id) for key in keys])
        first = {**asdict(make_post(2)), "complete": 1, "signature": b"first"}
        conn.execute(f"INSERT INTO history (replaced_by, {', '.join(first)}, band_keys) VALUES "
                     f"({', '.join('?' * (len(first) + 2))})", ("run-2", *first.values(), '["c1"]'))
        conn.execute("INSERT INTO runs VALUES ('run-1', 't', 't', NULL), ('run-2', 't', NULL, NULL)")
    finally:
        conn.close()


def test_a_version_2_file_is_upgraded_and_its_band_keys_still_match(db_path):
    make_v2_file(db_path)
    with SQLiteStateStore(db_path) as store:
        assert store.near_candidates(["b", "zzz"]) == [(make_post(1).id, make_post(1).id.encode())]
        assert store.near_candidates(["c2"]) == [(make_post(2).id, make_post(2).id.encode())]
        # The kept revision's keys were converted too: undoing run-2 brings back its keys.
        assert store.reconcile_run("run-2", set()) == 1
        assert store.get(make_post(2).id) == make_post(2)
        assert store.near_candidates(["c1"]) == [(make_post(2).id, b"first")]
        assert store.near_candidates(["c2"]) == []
    assert raw_query(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert raw_query(db_path, "PRAGMA integrity_check") == [("ok",)]
    assert raw_query(db_path, "PRAGMA foreign_key_check") == []


def test_a_version_1_file_is_upgraded_and_keeps_its_posts(db_path):
    # Version 1 had no `complete` column: every record it holds was a complete one.
    make_v2_file(db_path)
    for statement in ("ALTER TABLE posts DROP COLUMN complete", "ALTER TABLE history DROP COLUMN complete",
                      "PRAGMA user_version = 1"):
        raw_query(db_path, statement)
    with SQLiteStateStore(db_path) as store:
        assert store.get(make_post(1).id) == make_post(1)
        assert store.near_candidates(["a"]) == [(make_post(1).id, make_post(1).id.encode())]
        store.record(make_post(3, complete=False))
        assert store.get(make_post(3).id).complete is False
    assert raw_query(db_path, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_a_partial_record_is_remembered_as_partial(store):
    store.record(make_post(1, complete=False))
    assert store.get(make_post(1).id).complete is False
    store.record(make_post(1, revision=1, run_id="run-2"))
    assert store.get(make_post(1).id).complete is True


def test_a_newer_schema_version_is_refused(db_path):
    SQLiteStateStore(db_path).close()
    raw_query(db_path, f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StateError, match=f"schema version {SCHEMA_VERSION + 1}, newer") as raised:
        SQLiteStateStore(db_path)
    assert str(db_path) in str(raised.value)


def test_a_corrupt_file_is_refused_naming_its_path(tmp_path):
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"\x00garbage, not a database\xff" * 200)
    with pytest.raises(StateError, match="cannot open state database") as raised:
        SQLiteStateStore(path)
    assert str(path) in str(raised.value)


def test_another_sqlite_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.sqlite3"
    raw_query(path, "CREATE TABLE notes (body TEXT)")
    with pytest.raises(StateError, match="not a newscrawl state store"):
        SQLiteStateStore(path)
    assert raw_query(path, "SELECT name FROM sqlite_master") == [("notes",)]


# --- open_store --------------------------------------------------------------------------


def test_open_store_from_a_path(db_path):
    with open_store(str(db_path)) as store:
        assert isinstance(store, SQLiteStateStore)
    assert db_path.exists()


def test_open_store_from_settings(tmp_path):
    path = tmp_path / "from-settings.sqlite3"
    settings = Settings({"NEWSCRAWL_STATE_BACKEND": "sqlite", "NEWSCRAWL_STATE_PATH": str(path)})
    with open_store(settings):
        pass
    assert path.exists()


def test_open_store_defaults_to_sqlite_at_the_default_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open_store(Settings()):
        pass
    assert (tmp_path / DEFAULT_STATE_PATH).exists()


def test_open_store_refuses_an_unknown_backend_naming_the_known_ones():
    with pytest.raises(ValueError, match="'mongodb'.*known backends: redis, sqlite"):
        open_store(Settings({"NEWSCRAWL_STATE_BACKEND": "mongodb"}))


# --- crash safety ------------------------------------------------------------------------

# Writes post i, then for odd i a new revision (another run) of post i - 1, forever, printing
# i once both are recorded. Every field is derived from '<n>:<revision>', so a torn write shows.
CRASH_WRITER = """
import sys
import time
from newscrawl.state import PostState, SQLiteStateStore

def write(store, n, revision):
    tag = f"{n}:{revision}"
    post = PostState(
        id=f"p{n}", url=f"https://contoh.blogspot.com/{n}.html", site="contoh.blogspot.com",
        updated=tag, fingerprint=tag, source_url=None, title_key=tag, revision=revision,
        duplicate_of=None, run_id=f"crash-{revision}", exported_at=tag,
    )
    store.record(post, signature=tag.encode() * 8, band_keys=[f"{tag}:{k}" for k in range(16)])

store = SQLiteStateStore(sys.argv[1])
store.start_run("crash-0", None)
store.start_run("crash-1", None)
i = 0
while True:
    write(store, i, 0)
    if i % 2:
        write(store, i - 1, 1)
    print(i, flush=True)
    i += 1
"""


def expected_row(n: int, revision: int) -> tuple:
    tag = f"{n}:{revision}"
    return (f"p{n}", revision, tag, tag, tag, tag, f"crash-{revision}", tag.encode() * 8)


def expected_bands(n: int, revision: int) -> list[int]:
    return sorted(band_hash(f"{n}:{revision}:{k}") for k in range(16))


def run_and_kill_crash_writer(path: Path, *, delay: float) -> int:
    """Start the writer, SIGKILL it `delay` seconds after it reported 50 iterations; return
    the last iteration it reported."""
    child = subprocess.Popen(
        [sys.executable, "-c", CRASH_WRITER, str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    with child:
        reported = -1
        while reported < 50:
            line = child.stdout.readline()
            assert line, child.stderr.read()
            reported = int(line)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
    return reported


# Several kills at spread-out moments, so some land inside a write rather than between two.
@pytest.mark.parametrize("kill_delay_ms", [0, 1, 2, 3, 5, 8])
def test_sigkill_mid_write_leaves_every_row_whole(tmp_path, kill_delay_ms):
    path = tmp_path / "crash.sqlite3"
    reported = run_and_kill_crash_writer(path, delay=kill_delay_ms / 1000)

    SQLiteStateStore(path).close()
    assert raw_query(path, "PRAGMA integrity_check") == [("ok",)]
    rows = raw_query(
        path,
        "SELECT id, revision, updated, fingerprint, title_key, exported_at, run_id, signature"
        " FROM posts ORDER BY seq",
    )
    # Writes are sequential: what survived is every post up to the last commit, and every
    # commit reported before the kill survived.
    assert [row[0] for row in rows] == [f"p{n}" for n in range(len(rows))]
    assert len(rows) > reported
    for n, row in enumerate(rows):
        revision = row[1]
        assert row == expected_row(n, revision)
        if n % 2 == 0 and n < reported:
            assert revision == 1
        assert_bands_and_history_whole(path, n, revision)


def assert_bands_and_history_whole(path: Path, n: int, revision: int) -> None:
    """The post's band keys are its revision's, and a revision has the one it replaced, whole,
    kept in history."""
    bands = raw_query(path, "SELECT band FROM bands JOIN posts USING (seq) WHERE id = ?", f"p{n}")
    assert sorted(band for (band,) in bands) == expected_bands(n, revision)
    history = raw_query(
        path,
        "SELECT id, revision, updated, fingerprint, title_key, exported_at, run_id, signature,"
        " band_keys FROM history WHERE id = ?",
        f"p{n}",
    )
    if revision == 0:
        assert history == []
    else:
        assert history == [(*expected_row(n, 0), json.dumps(expected_bands(n, 0)))]


# --- batches -------------------------------------------------------------------------------


def test_a_batch_lands_whole_at_its_commit_and_is_read_before_it(store, db_path):
    store.begin_batch()
    store.record(make_post(1), signature=b"s1", band_keys=["k"])
    store.record(make_post(2), signature=b"s2", band_keys=["k"])
    # This run's own reads see the batch (a second copy in one batch is still linked)...
    assert store.first_by_fingerprint("fp-2") == make_post(2).id
    assert [post_id for post_id, _ in store.near_candidates(["k"])] == [make_post(1).id, make_post(2).id]
    # ...no other reader does until it is committed.
    assert raw_query(db_path, "SELECT count(*) FROM posts") == [(0,)]
    store.commit_batch()
    assert raw_query(db_path, "SELECT count(*) FROM posts") == [(2,)]


def test_a_failing_record_in_a_batch_leaves_the_rest_of_the_batch(store, db_path):
    store.begin_batch()
    store.record(make_post(1))
    with pytest.raises(ValueError):
        store.record(make_post(2, url=make_post(1).url))
    store.record(make_post(3))
    store.commit_batch()
    assert [row[0] for row in raw_query(db_path, "SELECT id FROM posts ORDER BY seq")] == [make_post(1).id, make_post(3).id]


def test_a_batch_never_committed_leaves_nothing(db_path):
    # A process killed mid-batch: its connection goes away without a commit.
    with SQLiteStateStore(db_path) as first:
        first.record(make_post(1))
        first.begin_batch()
        first.record(make_post(2))
        first.record(make_post(3))
    with SQLiteStateStore(db_path) as reopened:
        assert reopened.get(make_post(1).id) == make_post(1)
        assert reopened.get(make_post(2).id) is None and reopened.get(make_post(3).id) is None


# --- sites ---------------------------------------------------------------------------------


def test_a_site_route_keeps_what_its_feeds_were_when_a_run_did_not_ask_them(store):
    assert store.site_route("contoh.blogspot.com") is None
    store.set_site_route("contoh.blogspot.com", "sitemap", run_id="run-1", feeds_off=True)
    found = store.site_route("contoh.blogspot.com")
    assert (found.route, found.feeds_off, found.run_id) == ("sitemap", True, "run-1")
    assert found.feeds_checked_at is not None
    # A run that took the sitemap without asking the feeds keeps when they were last asked.
    store.set_site_route("contoh.blogspot.com", "html", run_id="run-2", feeds_off=None)
    kept = store.site_route("contoh.blogspot.com")
    assert (kept.route, kept.feeds_off, kept.feeds_checked_at, kept.run_id) == ("html", True, found.feeds_checked_at, "run-2")
    store.set_site_route("contoh.blogspot.com", "feed-json", run_id="run-3", feeds_off=False)
    assert store.site_route("contoh.blogspot.com").feeds_off is False
    assert store.site_route("lain.blogspot.com") is None
