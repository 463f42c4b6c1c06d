"""The SQLite state store: one file, safe to kill at any moment, fast at a million posts.

Tables (schema version 3, kept in ``PRAGMA user_version``; older files are upgraded in place
when opened):

- ``posts``: the latest exported revision of each post, plus its MinHash ``signature``. ``seq``
  numbers posts in first-export order and survives revisions, so "earliest" never depends on
  clocks or on a revision being re-exported later.
- ``bands``: the LSH band keys of each post's signature, looked up by key. A key is stored as a
  64-bit hash of the key string and the post by its ``seq``: two integers a row instead of two
  strings (about 65 bytes), which made the band index 4.7 times smaller and its upkeep, written
  at random places for 32 keys a post, 2.4 times cheaper.
- ``history``: the revision a run replaced (its band hashes as a JSON array), kept until that
  run finishes, so reconciling a killed run can put it back.
- ``watermarks``: per site, the newest ``updated`` seen when the site last finished cleanly.
- ``sites``: per site, the route the last run took, and whether its feeds were off when last
  asked (and when).
- ``runs``: when each run started and finished, and the file it writes.
"""

from __future__ import annotations

import fcntl
import functools
import hashlib
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, fields
from datetime import UTC, datetime
from pathlib import Path

from newscrawl.state.base import PostState, SiteRoute, StateError, StateStore

__all__ = ["SCHEMA_VERSION", "SQLiteStateStore"]

SCHEMA_VERSION = 3
# Marks the file as a newscrawl state store ('NCST'), so a path pointing at some other SQLite
# database is refused instead of having tables added to it.
APPLICATION_ID = 0x4E435354

_POST_COLUMNS = tuple(field.name for field in fields(PostState))

_BANDS = (
    # The primary key is the band index; the seq index serves replacing a post's keys.
    """
    CREATE TABLE bands (
        band INTEGER NOT NULL,
        seq  INTEGER NOT NULL REFERENCES posts (seq) ON DELETE CASCADE,
        PRIMARY KEY (band, seq)
    ) WITHOUT ROWID
    """,
    "CREATE INDEX bands_seq ON bands (seq)",
)

_SITES = (
    """
    CREATE TABLE sites (
        site             TEXT PRIMARY KEY,
        route            TEXT NOT NULL,
        feeds_off        INTEGER NOT NULL DEFAULT 0,
        feeds_checked_at TEXT,
        run_id           TEXT NOT NULL
    )
    """,
)

# One statement each: executescript() would commit the transaction the schema is made in.
_SCHEMA = (
    """
    CREATE TABLE posts (
        seq          INTEGER PRIMARY KEY,
        id           TEXT NOT NULL UNIQUE,
        url          TEXT NOT NULL UNIQUE,
        site         TEXT NOT NULL,
        updated      TEXT,
        fingerprint  TEXT,
        source_url   TEXT,
        title_key    TEXT,
        revision     INTEGER NOT NULL CHECK (revision >= 0),
        duplicate_of TEXT,
        run_id       TEXT NOT NULL,
        exported_at  TEXT NOT NULL,
        complete     INTEGER NOT NULL DEFAULT 1,
        signature    BLOB
    )
    """,
    # Duplicate lookups only ever want originals: partial indexes skip the duplicates, which
    # pile up under exactly the keys that are looked up most.
    """
    CREATE INDEX posts_source_url ON posts (source_url)
    WHERE duplicate_of IS NULL AND source_url IS NOT NULL
    """,
    """
    CREATE INDEX posts_fingerprint ON posts (fingerprint)
    WHERE duplicate_of IS NULL AND fingerprint IS NOT NULL
    """,
    "CREATE INDEX posts_run_id ON posts (run_id)",
    *_BANDS,
    # band_keys: the replaced revision's band hashes as a JSON array.
    """
    CREATE TABLE history (
        replaced_by  TEXT NOT NULL,
        id           TEXT NOT NULL,
        url          TEXT NOT NULL,
        site         TEXT NOT NULL,
        updated      TEXT,
        fingerprint  TEXT,
        source_url   TEXT,
        title_key    TEXT,
        revision     INTEGER NOT NULL,
        duplicate_of TEXT,
        run_id       TEXT NOT NULL,
        exported_at  TEXT NOT NULL,
        complete     INTEGER NOT NULL DEFAULT 1,
        signature    BLOB,
        band_keys    TEXT NOT NULL,
        PRIMARY KEY (replaced_by, id)
    ) WITHOUT ROWID
    """,
    """
    CREATE TABLE watermarks (
        site    TEXT PRIMARY KEY,
        updated TEXT NOT NULL,
        run_id  TEXT NOT NULL,
        set_at  TEXT NOT NULL
    )
    """,
    *_SITES,
    """
    CREATE TABLE runs (
        run_id      TEXT PRIMARY KEY,
        started_at  TEXT NOT NULL,
        finished_at TEXT,
        export_path TEXT
    )
    """,
    "CREATE INDEX runs_unfinished ON runs (started_at) WHERE finished_at IS NULL",
)



@functools.lru_cache(maxsize=1024)
def band_hash(key: str) -> int:
    """The 64-bit integer a band key is stored as (signed, as SQLite's INTEGER is). Cached:
    a new post's keys are hashed for its lookup and again when it is recorded."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def _bands_as_integers(conn: sqlite3.Connection) -> None:
    """Version 2 -> 3: band keys stored as strings by post id become hashes by seq."""
    conn.execute("ALTER TABLE bands RENAME TO bands_v2")
    conn.execute("DROP INDEX bands_post_id")
    for statement in _BANDS:
        conn.execute(statement)
    rows = conn.execute("SELECT bands_v2.band_key, posts.seq FROM bands_v2 JOIN posts ON posts.id = bands_v2.post_id")
    conn.executemany("INSERT OR IGNORE INTO bands (band, seq) VALUES (?, ?)", ((band_hash(k), seq) for k, seq in rows))
    conn.execute("DROP TABLE bands_v2")
    kept = conn.execute("SELECT replaced_by, id, band_keys FROM history").fetchall()
    for replaced_by, post_id, keys in kept:
        conn.execute("UPDATE history SET band_keys = ? WHERE replaced_by = ? AND id = ?",
                     (json.dumps([band_hash(k) for k in json.loads(keys)]), replaced_by, post_id))


# Each step brings a file from that version to the next, in the transaction it is opened in.
_UPGRADES = {
    # Version 1 -> 2: partial records (``complete``); every record before it was complete.
    1: (
        "ALTER TABLE posts ADD COLUMN complete INTEGER NOT NULL DEFAULT 1",
        "ALTER TABLE history ADD COLUMN complete INTEGER NOT NULL DEFAULT 1",
    ),
    # Version 2 -> 3: band keys as integers; the route each site took.
    2: (_bands_as_integers, *_SITES),
}

_SELECT_POST = f"SELECT {', '.join(_POST_COLUMNS)} FROM posts"

# An update in place, not INSERT OR REPLACE: that would delete the row first, giving the post a
# new seq (losing its first-export place) and silently deleting another post with the same URL.
# _POST_COLUMNS[0] is id, the conflict key.
_UPSERT_POST = f"""
INSERT INTO posts ({', '.join(_POST_COLUMNS)}, signature)
VALUES ({', '.join(':' + name for name in _POST_COLUMNS)}, :signature)
ON CONFLICT (id) DO UPDATE SET
    {', '.join(f'{name} = excluded.{name}' for name in (*_POST_COLUMNS[1:], 'signature'))}
RETURNING seq
"""

_SAVE_PREVIOUS = f"""
INSERT OR REPLACE INTO history (replaced_by, {', '.join(_POST_COLUMNS)}, signature, band_keys)
SELECT :replaced_by, {', '.join(_POST_COLUMNS)}, signature, :band_keys FROM posts WHERE id = :id
"""

_SELECT_PREVIOUS = f"""
SELECT {', '.join(_POST_COLUMNS)}, signature, band_keys FROM history
WHERE replaced_by = ? AND id = ?
"""

# Posts read per band key, earliest first. A key shared by more posts than this (a stock
# sentence many articles open with) says little about any one of them, and reading all of
# them made every lookup cost grow with the store: at 70,000 posts of a generated mirror the
# lookup was 60% of the crawl. The keys a true near duplicate shares are many, and rare.
NEAR_PER_BAND = 100

_NEAR_BAND = "SELECT seq FROM (SELECT seq FROM bands WHERE band = ? LIMIT ?)"
# The posts sharing the most keys are ranked on the band index alone; only those are read from
# posts (a row with its 512-byte signature), a few more than asked for in case some turn out to
# be copies (a copy's keys are no longer stored, but files written before may hold them).
_NEAR_CANDIDATES = """
SELECT posts.id, posts.signature
FROM (
    SELECT seq, COUNT(*) AS shared FROM ({hits}) GROUP BY seq ORDER BY shared DESC, seq LIMIT ?
) AS ranked JOIN posts ON posts.seq = ranked.seq
WHERE posts.duplicate_of IS NULL AND posts.signature IS NOT NULL
ORDER BY ranked.shared DESC, ranked.seq
LIMIT ?
"""


class SQLiteStateStore(StateStore):
    """The state store in one SQLite file (created with its parent directories if missing).

    The file is in WAL mode so a reader never blocks the writer; writes take the write lock at
    BEGIN (IMMEDIATE) and wait up to 10 s for another process holding it. A process killed at
    any moment leaves every write whole or absent.
    """

    def __init__(self, path: str | os.PathLike[str]):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: transactions are begun explicitly in _transaction, never implicitly.
        self._conn = sqlite3.connect(self.path, isolation_level=None)
        try:
            self._configure()
            with self._transaction():
                self._prepare_schema()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StateError(f"cannot open state database {self.path}: {exc}") from exc
        except StateError:
            self._conn.close()
            raise

    def _configure(self) -> None:
        # WAL with synchronous=NORMAL: a killed process loses no commit, and even a power cut
        # loses at most the last commits, never the file's consistency.
        self._conn.execute("PRAGMA journal_mode = WAL")
        self._conn.execute("PRAGMA synchronous = NORMAL")
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._conn.execute("PRAGMA busy_timeout = 10000")
        # 32 MB of page cache (the default is 2 MB): the band index and the id and URL indexes
        # are read and written at random places; past a few thousand posts they no longer fit
        # the default and every record paid for page reads. Bounded, so memory stays flat.
        self._conn.execute("PRAGMA cache_size = -32768")

    def _prepare_schema(self) -> None:
        """Create the schema in a new file; refuse files this version cannot read."""
        version = self._pragma("user_version")
        application_id = self._pragma("application_id")
        if version == 0 and application_id == 0 and not self._has_tables():
            for statement in _SCHEMA:
                self._conn.execute(statement)
            # PRAGMA takes no parameters; both values are integer constants.
            self._conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        elif application_id != APPLICATION_ID:
            raise StateError(f"{self.path} is an SQLite database but not a newscrawl state store")
        elif version > SCHEMA_VERSION:
            raise StateError(
                f"{self.path} has state schema version {version}, newer than version "
                f"{SCHEMA_VERSION} that this newscrawl reads; upgrade newscrawl"
            )
        else:
            # Older files are upgraded step by step, in the transaction the schema is read in.
            for step in range(version, SCHEMA_VERSION):
                for statement in _UPGRADES[step]:
                    if callable(statement):
                        statement(self._conn)
                    else:
                        self._conn.execute(statement)
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _pragma(self, name: str) -> int:
        return self._conn.execute(f"PRAGMA {name}").fetchone()[0]

    def _has_tables(self) -> bool:
        return self._conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self._conn.in_transaction:
            # Inside an open batch: a savepoint keeps this write whole (or absent) within it.
            begin, undo, done = "SAVEPOINT write", ("ROLLBACK TO write", "RELEASE write"), "RELEASE write"
        else:
            # IMMEDIATE takes the write lock up front: a deferred transaction that reads first
            # and then writes fails at once with "database is locked" instead of waiting its turn.
            begin, undo, done = "BEGIN IMMEDIATE", ("ROLLBACK",), "COMMIT"
        self._conn.execute(begin)
        try:
            yield self._conn
        except BaseException:
            # Some errors (disk full, I/O) make SQLite roll back by itself already.
            if self._conn.in_transaction:
                for statement in undo:
                    self._conn.execute(statement)
            raise
        self._conn.execute(done)

    def begin_batch(self) -> None:
        if not self._conn.in_transaction:
            self._conn.execute("BEGIN IMMEDIATE")

    def commit_batch(self) -> None:
        if self._conn.in_transaction:
            self._conn.execute("COMMIT")

    # --- posts ---------------------------------------------------------------------------

    def get(self, post_id: str) -> PostState | None:
        return self._one_post(f"{_SELECT_POST} WHERE id = ?", post_id)

    def get_by_url(self, url: str) -> PostState | None:
        return self._one_post(f"{_SELECT_POST} WHERE url = ?", url)

    def _one_post(self, sql: str, key: str) -> PostState | None:
        row = self._conn.execute(sql, (key,)).fetchone()
        return _post_state(row) if row else None

    def record(
        self, post: PostState, *, signature: bytes | None = None, band_keys: Sequence[str] = ()
    ) -> None:
        if band_keys and signature is None:
            raise ValueError(f"band keys of post {post.id!r} come without a signature")
        try:
            with self._transaction() as conn:
                self._save_previous(conn, post)
                self._write_post(conn, post, signature, [band_hash(key) for key in band_keys])
        except sqlite3.IntegrityError as exc:
            raise ValueError(f"cannot record post {post.id!r} at {post.url}: {exc}") from exc

    def _save_previous(self, conn: sqlite3.Connection, post: PostState) -> None:
        """Keep the revision this run is about to replace, for reconcile_run. A post the same
        run recorded before needs nothing new: what it replaced is already kept, or it is new."""
        row = conn.execute("SELECT run_id FROM posts WHERE id = ?", (post.id,)).fetchone()
        if row is None or row[0] == post.run_id:
            return
        rows = conn.execute(
            "SELECT band FROM bands WHERE seq = (SELECT seq FROM posts WHERE id = ?) ORDER BY band", (post.id,)
        )
        bands = [band for (band,) in rows]
        conn.execute(
            _SAVE_PREVIOUS,
            {"replaced_by": post.run_id, "band_keys": json.dumps(bands), "id": post.id},
        )

    @staticmethod
    def _write_post(
        conn: sqlite3.Connection,
        post: PostState,
        signature: bytes | None,
        bands: Sequence[int],
    ) -> None:
        (seq,) = conn.execute(_UPSERT_POST, {**asdict(post), "signature": signature}).fetchone()
        conn.execute("DELETE FROM bands WHERE seq = ?", (seq,))
        conn.executemany("INSERT OR IGNORE INTO bands (band, seq) VALUES (?, ?)", [(band, seq) for band in bands])

    # --- duplicate lookups ---------------------------------------------------------------

    def first_by_source_url(self, source_url: str) -> str | None:
        return next(iter(self._originals("source_url", source_url, limit=1)), None)

    def first_by_fingerprint(self, fingerprint: str) -> str | None:
        return next(iter(self._originals("fingerprint", fingerprint, limit=1)), None)

    def _originals(self, column: str, value: str, *, limit: int) -> list[str]:
        # `column` is one of the literal names above, never input.
        rows = self._conn.execute(
            f"SELECT id FROM posts WHERE {column} = ? AND duplicate_of IS NULL "
            "ORDER BY seq LIMIT ?",
            (value, limit),
        )
        return [post_id for (post_id,) in rows]

    def near_candidates(
        self, band_keys: Sequence[str], *, limit: int = 50
    ) -> list[tuple[str, bytes]]:
        # SQLite reads a negative LIMIT as no limit at all.
        if not band_keys or limit <= 0:
            return []
        bands = dict.fromkeys(band_hash(key) for key in band_keys)  # a key asked twice counts once
        sql = _NEAR_CANDIDATES.format(hits=" UNION ALL ".join([_NEAR_BAND] * len(bands)))
        params = [value for band in bands for value in (band, NEAR_PER_BAND)]
        return self._conn.execute(sql, (*params, 2 * limit, limit)).fetchall()

    # --- watermarks ----------------------------------------------------------------------

    def watermark(self, site: str) -> str | None:
        row = self._conn.execute(
            "SELECT updated FROM watermarks WHERE site = ?", (site,)
        ).fetchone()
        return row[0] if row else None

    def set_watermark(self, site: str, updated: str, *, run_id: str) -> None:
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO watermarks (site, updated, run_id, set_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (site) DO UPDATE SET updated = excluded.updated, "
                "run_id = excluded.run_id, set_at = excluded.set_at",
                (site, updated, run_id, _utc_now()),
            )

    # --- sites ---------------------------------------------------------------------------

    def site_route(self, site: str) -> SiteRoute | None:
        row = self._conn.execute(
            "SELECT route, feeds_off, feeds_checked_at, run_id FROM sites WHERE site = ?", (site,)
        ).fetchone()
        return SiteRoute(row[0], bool(row[1]), row[2], row[3]) if row else None

    def set_site_route(self, site: str, route: str, *, run_id: str, feeds_off: bool | None) -> None:
        with self._transaction() as conn:
            if feeds_off is None:  # feeds not asked: keep what was last found
                conn.execute(
                    "INSERT INTO sites (site, route, run_id) VALUES (?, ?, ?) ON CONFLICT (site) DO UPDATE "
                    "SET route = excluded.route, run_id = excluded.run_id",
                    (site, route, run_id),
                )
                return
            conn.execute(
                "INSERT INTO sites (site, route, feeds_off, feeds_checked_at, run_id) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (site) DO UPDATE SET route = excluded.route, feeds_off = excluded.feeds_off, "
                "feeds_checked_at = excluded.feeds_checked_at, run_id = excluded.run_id",
                (site, route, int(feeds_off), _utc_now(), run_id),
            )

    # --- runs ----------------------------------------------------------------------------

    def start_run(self, run_id: str, export_path: str | None) -> None:
        try:
            with self._transaction() as conn:
                conn.execute(
                    "INSERT INTO runs (run_id, started_at, export_path) VALUES (?, ?, ?)",
                    (run_id, _utc_now(), export_path),
                )
        except sqlite3.IntegrityError as exc:
            raise ValueError(f"run {run_id!r} was already started") from exc

    def finish_run(self, run_id: str) -> None:
        with self._transaction() as conn:
            self._mark_finished(conn, run_id)
            conn.execute("DELETE FROM history WHERE replaced_by = ?", (run_id,))

    def unfinished_runs(self) -> list[tuple[str, str | None]]:
        return self._conn.execute(
            "SELECT run_id, export_path FROM runs WHERE finished_at IS NULL "
            "ORDER BY started_at, run_id"
        ).fetchall()

    def reconcile_run(self, run_id: str, kept_ids: set[str]) -> int:
        with self._transaction() as conn:
            self._mark_finished(conn, run_id)
            recorded = conn.execute("SELECT id FROM posts WHERE run_id = ?", (run_id,))
            lost = [post_id for (post_id,) in recorded if post_id not in kept_ids]
            for post_id in lost:
                self._undo(conn, run_id, post_id)
            conn.execute("DELETE FROM history WHERE replaced_by = ?", (run_id,))
        return len(lost)

    def _undo(self, conn: sqlite3.Connection, run_id: str, post_id: str) -> None:
        """Put back the revision the run replaced, or forget a post the run added."""
        row = conn.execute(_SELECT_PREVIOUS, (run_id, post_id)).fetchone()
        if row is None:
            # Its band keys go with it (ON DELETE CASCADE).
            conn.execute("DELETE FROM posts WHERE id = ?", (post_id,))
            return
        *post_fields, signature, bands = row
        self._write_post(conn, _post_state(post_fields), signature, json.loads(bands))

    @staticmethod
    def _mark_finished(conn: sqlite3.Connection, run_id: str) -> None:
        cursor = conn.execute(
            "UPDATE runs SET finished_at = ? WHERE run_id = ? AND finished_at IS NULL",
            (_utc_now(), run_id),
        )
        if cursor.rowcount == 0:
            raise ValueError(f"run {run_id!r} is unknown or already finished")

    def lock_for_run(self) -> None:
        """Hold the store for one crawl run until ``close``: ``<file>.lock`` beside it, locked
        with flock, so the lock goes with the process however it ends. A second run on the
        same file (one started by hand while the timer's is going) would take the first for a
        killed run and undo its work; it gets StateError instead, naming the holder."""
        lock_path = self.path.with_name(self.path.name + ".lock")
        handle = open(lock_path, "a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise StateError(f"{self.path} is in use by another run ({holder}); this run stops") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        self._run_lock = handle

    def close(self) -> None:
        # An open batch is not committed: closing is not finishing (the pipeline commits).
        self._conn.close()
        lock = getattr(self, "_run_lock", None)
        if lock is not None:
            lock.close()  # closing the file releases the flock
            self._run_lock = None


def _post_state(row: Sequence) -> PostState:
    *columns, complete = row  # complete is the last field, stored as 0/1
    return PostState(*columns, complete=bool(complete))


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
