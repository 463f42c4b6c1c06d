"""The state store in Redis, shared by every worker of a distributed crawl (``REDIS_URL``).

The same interface and answers as the SQLite store (``newscrawl.state.sqlite``), in keys under
one prefix (``NEWSCRAWL_REDIS_PREFIX``, default ``newscrawl``):

================================  =================================================================
``<p>:post:<id>``                 hash: the post's fields, its seq and band hashes
``<p>:urls`` / ``<p>:seqs``       hashes: canonical URL -> id, seq -> id
``<p>:sigs``                      hash: seq -> MinHash signature (one command for all candidates)
``<p>:seq``                       counter giving each new post its first-export place
``<p>:src:<url>``, ``<p>:fp:<f>`` sorted sets (score seq) of the originals with that source URL
                                  or text fingerprint: the earliest is the first member
``<p>:bands``                     hash: band key (8 bytes) -> the seqs of the earliest originals
                                  holding it, at most NEAR_PER_BAND, packed 8 bytes each
``<p>:history:<run>``             hash id -> the revision the run replaced (JSON), for reconcile
``<p>:runposts:<run>``            set of the ids the run recorded
``<p>:runs``, ``<p>:unfinished``  hash run -> JSON (start, end, export file, host); set of open runs
``<p>:alive:<run>``               key with a time to live, renewed by the running worker
``<p>:watermarks``, ``<p>:sites`` hashes site -> JSON
================================  =================================================================

Every write of a post is one MULTI/EXEC transaction, so a worker killed at any moment leaves
it whole or absent. Redis has no transaction that reads, so a decision and its record are kept
apart from other workers' by ``exclusive()``, a lock in Redis (the state pipeline takes it
around each decide-and-record, and ``reconcile_run`` takes it too). Under it the band index is
read and rewritten by this process: one hash field per band key rather than a key each, so a
post's 32 band keys cost one command to read and one to write instead of 32 each (82 commands a
post came down to about 20), and a third less memory. A run whose worker stopped renewing ``alive`` is abandoned:
only those are listed by ``unfinished_runs`` for another worker to reconcile.
"""

from __future__ import annotations

import bisect
import json
import os
import socket
import struct
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, fields
from datetime import UTC, datetime

import redis

from newscrawl.state.base import PostState, SiteRoute, StateError, StateStore
from newscrawl.state.sqlite import NEAR_PER_BAND, band_hash

_POST_FIELDS = tuple(f.name for f in fields(PostState))
_MISSING = object()
# How long a decision may hold the lock before Redis frees it (a worker killed holding it).
LOCK_SECONDS = 10.0


class RedisStateStore(StateStore):
    """The state store in a Redis database (see the module's key table)."""

    shared = True

    def __init__(self, url: str, *, prefix: str = "newscrawl", alive_seconds: float = 30.0):
        self.prefix = prefix
        self.alive_seconds = alive_seconds
        try:
            self._r = redis.Redis.from_url(url, socket_timeout=30, health_check_interval=30)
            self._r.ping()
        except (redis.RedisError, ValueError) as exc:
            raise StateError(f"cannot reach the Redis state store at {_safe(url)}: {exc}") from exc
        self._lock = self._r.lock(self._k("lock", "dedup"), timeout=LOCK_SECONDS, blocking_timeout=60)
        # Answers fetched ahead for one post (look_ahead), by (question, key); dropped at any write.
        self._ahead: dict[tuple[str, str], object] = {}

    def _k(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    @property
    def redis(self) -> redis.Redis:
        """The connection, for the distributed crawl's own keys (queue, sites, rounds)."""
        return self._r

    # --- fetching ahead --------------------------------------------------------------------

    def look_ahead(self, *, post_id: str, url: str, source_url: str | None, fingerprint: str | None,
                   band_keys: Sequence[str]) -> None:
        """Every lookup of one post in one round trip (seven otherwise, and a decision holds the
        lock shared by all workers while it waits on them)."""
        asked: list[tuple[str, str]] = [("post", post_id), ("urls", url)]
        pipe = self._r.pipeline(transaction=False)
        pipe.hgetall(self._k("post", post_id))
        pipe.hget(self._k("urls"), url)
        for name, key in (("src", source_url), ("fp", fingerprint)):
            if key:
                asked.append((name, key))
                pipe.zrange(self._k(name, key), 0, 0)
        fields = _band_fields(band_keys)
        if fields:
            pipe.hmget(self._k("bands"), fields)
        answers = pipe.execute()
        self._ahead = dict(zip(asked, answers))
        if fields:
            self._ahead.update((("band", field), value) for field, value in zip(fields, answers[-1]))

    def _answer(self, name: str, key: str, fetch):
        found = self._ahead.get((name, key), _MISSING)
        return fetch() if found is _MISSING else found

    # --- posts ---------------------------------------------------------------------------

    def get(self, post_id: str) -> PostState | None:
        return _post_state(self._stored(post_id))

    def _stored(self, post_id: str) -> dict[bytes, bytes]:
        return self._answer("post", post_id, lambda: self._r.hgetall(self._k("post", post_id)))

    def _url_owner(self, url: str) -> bytes | None:
        return self._answer("urls", url, lambda: self._r.hget(self._k("urls"), url))

    def get_by_url(self, url: str) -> PostState | None:
        post_id = self._url_owner(url)
        return self.get(post_id.decode()) if post_id else None

    def record(
        self, post: PostState, *, signature: bytes | None = None, band_keys: Sequence[str] = ()
    ) -> None:
        if band_keys and signature is None:
            raise ValueError(f"band keys of post {post.id!r} come without a signature")
        owner = self._url_owner(post.url)
        if owner is not None and owner.decode() != post.id:
            raise ValueError(f"cannot record post {post.id!r} at {post.url}: the URL is post {owner.decode()!r}'s")
        previous = self._stored(post.id)
        pipe = self._r.pipeline(transaction=True)
        removed: list[int] = []
        if previous:
            seq = int(previous[b"seq"])
            if previous[b"run_id"].decode() != post.run_id:
                old_signature = self._r.hget(self._k("sigs"), seq)
                pipe.hset(self._k("history", post.run_id), post.id, _history_entry(previous, old_signature))
            removed = self._unindex(pipe, previous)
        else:
            seq = self._r.incr(self._k("seq"))
        added = self._write(pipe, post, seq, signature, [band_hash(key) for key in dict.fromkeys(band_keys)])
        self._update_bands(pipe, seq, removed, added)
        pipe.sadd(self._k("runposts", post.run_id), post.id)
        self._ahead = {}
        pipe.execute()

    def _write(self, pipe, post: PostState, seq: int, signature: bytes | None, bands: Sequence[int]) -> list[int]:
        """Queue the post's row and lookups; returns the band keys to index it under."""
        values = {name: _encode(value) for name, value in asdict(post).items() if value is not None}
        values["seq"] = seq
        if signature is not None:
            pipe.hset(self._k("sigs"), seq, signature)
        if bands:
            values["bands"] = json.dumps(list(bands))
        pipe.hset(self._k("post", post.id), mapping=values)
        pipe.hset(self._k("urls"), post.url, post.id)
        pipe.hset(self._k("seqs"), seq, post.id)
        if post.duplicate_of is None:
            if post.source_url:
                pipe.zadd(self._k("src", post.source_url), {post.id: seq})
            if post.fingerprint:
                pipe.zadd(self._k("fp", post.fingerprint), {post.id: seq})
            return list(bands)
        return []

    def _unindex(self, pipe, stored: dict[bytes, bytes]) -> list[int]:
        """Remove a stored revision from every lookup (its row is overwritten or deleted);
        returns the band keys it was indexed under."""
        post_id, seq = stored[b"id"].decode(), stored[b"seq"].decode()
        pipe.hdel(self._k("urls"), stored[b"url"])
        pipe.hdel(self._k("sigs"), seq)
        if b"source_url" in stored:
            pipe.zrem(self._k("src", stored[b"source_url"].decode()), post_id)
        if b"fingerprint" in stored:
            pipe.zrem(self._k("fp", stored[b"fingerprint"].decode()), post_id)
        return json.loads(stored.get(b"bands", b"[]"))

    def _update_bands(self, pipe, seq: int, removed: Sequence[int], added: Sequence[int]) -> None:
        """Take ``seq`` out of the ``removed`` band keys' lists and put it in the ``added`` ones
        (each kept sorted, earliest NEAR_PER_BAND only). Read here, written in ``pipe``: the
        caller holds ``exclusive()``."""
        gone, new = set(map(_band_field, removed)), set(map(_band_field, added))
        fields = list(dict.fromkeys([*map(_band_field, removed), *map(_band_field, added)]))
        if not fields:
            return
        changed, emptied = {}, []
        for field, raw in zip(fields, self._band_values(fields)):
            seqs = _seqs(raw)
            kept = [s for s in seqs if not (s == seq and field in gone)]
            if field in new and seq not in kept and (len(kept) < NEAR_PER_BAND or seq < kept[-1]):
                bisect.insort(kept, seq)
                del kept[NEAR_PER_BAND:]
            if kept != seqs:
                if kept:
                    changed[field] = _packed(kept)
                else:
                    emptied.append(field)
        if changed:
            pipe.hset(self._k("bands"), mapping=changed)
        if emptied:
            pipe.hdel(self._k("bands"), *emptied)

    def _band_values(self, fields: list[bytes]) -> list[bytes | None]:
        missing = [field for field in fields if ("band", field) not in self._ahead]
        fetched = dict(zip(missing, self._r.hmget(self._k("bands"), missing))) if missing else {}
        return [self._ahead[("band", field)] if ("band", field) in self._ahead else fetched[field] for field in fields]

    # --- duplicate lookups ---------------------------------------------------------------

    def first_by_source_url(self, source_url: str) -> str | None:
        return self._first("src", source_url)

    def first_by_fingerprint(self, fingerprint: str) -> str | None:
        return self._first("fp", fingerprint)

    def _first(self, name: str, key: str) -> str | None:
        found = self._answer(name, key, lambda: self._r.zrange(self._k(name, key), 0, 0))
        return found[0].decode() if found else None

    def near_candidates(self, band_keys: Sequence[str], *, limit: int = 50) -> list[tuple[str, bytes]]:
        if not band_keys or limit <= 0:
            return []
        shared = Counter(seq for raw in self._band_values(_band_fields(band_keys)) for seq in _seqs(raw))
        ranked = sorted(shared, key=lambda seq: (-shared[seq], seq))[: 2 * limit]
        if not ranked:
            return []
        # Band keys are indexed for originals only (see _write), so every hit is an original.
        pipe = self._r.pipeline(transaction=False)
        pipe.hmget(self._k("seqs"), ranked)
        pipe.hmget(self._k("sigs"), ranked)
        ids, signatures = pipe.execute()
        found = [(post_id.decode(), signature) for post_id, signature in zip(ids, signatures)
                 if post_id is not None and signature is not None]
        return found[:limit]

    # --- watermarks and sites ------------------------------------------------------------

    def watermark(self, site: str) -> str | None:
        found = self._r.hget(self._k("watermarks"), site)
        return json.loads(found)["updated"] if found else None

    def set_watermark(self, site: str, updated: str, *, run_id: str) -> None:
        value = {"updated": updated, "run_id": run_id, "set_at": _utc_now()}
        self._r.hset(self._k("watermarks"), site, json.dumps(value))

    def site_route(self, site: str) -> SiteRoute | None:
        found = self._r.hget(self._k("sites"), site)
        return SiteRoute(**json.loads(found)) if found else None

    def set_site_route(self, site: str, route: str, *, run_id: str, feeds_off: bool | None) -> None:
        known = self.site_route(site)
        if feeds_off is None:  # feeds not asked: keep what was last found
            off, checked = (known.feeds_off, known.feeds_checked_at) if known else (False, None)
        else:
            off, checked = feeds_off, _utc_now()
        value = SiteRoute(route=route, feeds_off=off, feeds_checked_at=checked, run_id=run_id)
        self._r.hset(self._k("sites"), site, json.dumps(asdict(value)))

    # --- runs ----------------------------------------------------------------------------

    def start_run(self, run_id: str, export_path: str | None) -> None:
        value = {"started_at": _utc_now(), "finished_at": None, "export_path": export_path,
                 "host": socket.gethostname(), "pid": os.getpid()}
        if not self._r.hsetnx(self._k("runs"), run_id, json.dumps(value)):
            raise ValueError(f"run {run_id!r} was already started")
        pipe = self._r.pipeline(transaction=True)
        pipe.sadd(self._k("unfinished"), run_id)
        pipe.set(self._k("alive", run_id), "1", px=int(self.alive_seconds * 1000))
        pipe.execute()

    def keep_alive(self, run_id: str) -> None:
        """Renew the run's ``alive`` key: the worker is still working on it."""
        self._r.set(self._k("alive", run_id), "1", px=int(self.alive_seconds * 1000))

    def run_info(self, run_id: str) -> dict | None:
        found = self._r.hget(self._k("runs"), run_id)
        return json.loads(found) if found else None

    def finish_run(self, run_id: str) -> None:
        self._mark_finished(run_id)
        self._r.delete(self._k("history", run_id), self._k("runposts", run_id), self._k("alive", run_id))

    def _mark_finished(self, run_id: str) -> None:
        info = self.run_info(run_id)
        if info is None or info["finished_at"] is not None:
            raise ValueError(f"run {run_id!r} is unknown or already finished")
        info["finished_at"] = _utc_now()
        pipe = self._r.pipeline(transaction=True)
        pipe.hset(self._k("runs"), run_id, json.dumps(info))
        pipe.srem(self._k("unfinished"), run_id)
        pipe.execute()

    def unfinished_runs(self) -> list[tuple[str, str | None]]:
        """Runs started and never finished whose worker no longer renews ``alive`` (killed, or
        its machine gone), oldest first. Runs still going on in other workers are not listed."""
        runs = []
        for raw in self._r.smembers(self._k("unfinished")):
            run_id = raw.decode()
            info = self.run_info(run_id)
            if info is not None and not self._r.exists(self._k("alive", run_id)):
                runs.append((info["started_at"], run_id, info["export_path"]))
        return [(run_id, path) for _, run_id, path in sorted(runs)]

    def reconcile_run(self, run_id: str, kept_ids: set[str]) -> int:
        with self.exclusive():
            return self._reconcile(run_id, kept_ids)

    def _reconcile(self, run_id: str, kept_ids: set[str]) -> int:
        info = self.run_info(run_id)
        if info is None or info["finished_at"] is not None:
            raise ValueError(f"run {run_id!r} is unknown or already finished")
        lost = 0
        for raw in self._r.smembers(self._k("runposts", run_id)):
            post_id = raw.decode()
            current = self._r.hgetall(self._k("post", post_id))
            # Only the run's own last write is undone: a later run may have replaced it since.
            if not current or current[b"run_id"].decode() != run_id or post_id in kept_ids:
                continue
            self._undo(run_id, post_id, current)
            lost += 1
        self._mark_finished(run_id)
        self._r.delete(self._k("history", run_id), self._k("runposts", run_id))
        return lost

    def _undo(self, run_id: str, post_id: str, current: dict[bytes, bytes]) -> None:
        """Put back the revision the run replaced, or forget a post the run added."""
        previous = self._r.hget(self._k("history", run_id), post_id)
        pipe = self._r.pipeline(transaction=True)
        removed = self._unindex(pipe, current)
        pipe.delete(self._k("post", post_id))
        added: list[int] = []
        if previous is None:
            pipe.hdel(self._k("seqs"), current[b"seq"])
        else:
            entry = json.loads(previous)
            signature = bytes.fromhex(entry["signature"]) if entry["signature"] is not None else None
            added = self._write(pipe, PostState(**entry["post"]), entry["seq"], signature, entry["bands"])
        self._update_bands(pipe, int(current[b"seq"]), removed, added)
        pipe.execute()

    # --- workers -------------------------------------------------------------------------

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """One decide-and-record at a time across all workers (see the module's docstring)."""
        if not self._lock.acquire():
            raise StateError("another worker held the dedup lock for over 60 s")
        try:
            yield
        finally:
            self._ahead = {}  # answers fetched under the lock are not kept past it
            try:
                self._lock.release()
            except redis.exceptions.LockError:
                pass  # expired while held: Redis freed it already

    def lock_for_run(self) -> None:
        """Nothing to hold: workers share the store, and each knows its own runs by ``alive``."""

    def close(self) -> None:
        self._r.close()


def _post_state(stored: dict[bytes, bytes]) -> PostState | None:
    if not stored:
        return None
    values = {name: stored[name.encode()].decode() if name.encode() in stored else None for name in _POST_FIELDS}
    values["revision"] = int(values["revision"])
    values["complete"] = values["complete"] == "1"
    return PostState(**values)


def _band_field(band: int) -> bytes:
    return struct.pack(">q", band)


def _band_fields(band_keys: Sequence[str]) -> list[bytes]:
    return [_band_field(band) for band in dict.fromkeys(band_hash(key) for key in band_keys)]


def _seqs(raw: bytes | None) -> list[int]:
    return list(struct.unpack(f">{len(raw) // 8}Q", raw)) if raw else []


def _packed(seqs: list[int]) -> bytes:
    return struct.pack(f">{len(seqs)}Q", *seqs)


def _history_entry(stored: dict[bytes, bytes], signature: bytes | None) -> str:
    post = _post_state(stored)
    return json.dumps({
        "post": asdict(post), "seq": int(stored[b"seq"]),
        "signature": signature.hex() if signature is not None else None,
        "bands": json.loads(stored.get(b"bands", b"[]")),
    })


def _encode(value) -> str | int:
    if isinstance(value, bool):
        return int(value)
    return value


def _safe(url: str) -> str:
    """The URL without its password, for messages."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme}{sep}{rest.rpartition('@')[2]}" if "@" in rest else url


def _utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")
