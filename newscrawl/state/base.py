"""The state store interface: what a crawl remembers between runs, independent of the backend.

A run records each exported post, the near-duplicate index of its text, a watermark per site
(how far the site was read when it last finished cleanly), the route it took on each site
(so a site whose feeds are off is not asked for them on every run) and itself (started, finished, the
file it writes). A run that is killed leaves its run unfinished; the next run calls
``reconcile_run`` with the ids whose export line survived, so a killed run never loses a post
nor exports one twice.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Self

__all__ = ["PostState", "SiteRoute", "StateError", "StateStore"]


class StateError(Exception):
    """The state store cannot be opened or used: unreadable file, unknown schema version."""


@dataclass(frozen=True)
class PostState:
    """One exported post as the store remembers it.

    ``id`` is the post's stable key ('blogger-<blogId>-<postId>' or 'url-<hash>') and ``url`` its
    canonical URL; both are unique. ``updated`` is an ISO 8601 string. ``fingerprint`` hashes the
    normalized text exactly, ``source_url`` is the outlet an autoblog repost names, ``title_key``
    the normalized title. ``revision`` is 0 for the first export and grows with each re-export of
    an edited post. ``duplicate_of`` names the original of a duplicate; originals have None.
    ``run_id`` is the run that exported this revision, ``exported_at`` when (ISO, UTC).
    ``complete`` is False for a partial record (read from its summary feed entry because the
    post page failed): a later read of the page replaces it, even if the post is unchanged.
    """

    id: str
    url: str
    site: str
    updated: str | None
    fingerprint: str | None
    source_url: str | None
    title_key: str | None
    revision: int
    duplicate_of: str | None
    run_id: str
    exported_at: str
    complete: bool = True


@dataclass(frozen=True)
class SiteRoute:
    """The route a run took on a site, and what its feeds were when last asked."""

    route: str  # feed-json | feed-atom | feed-rss | sitemap | html | none
    feeds_off: bool  # the feeds answered 403/404/410 when last asked
    feeds_checked_at: str | None  # when the feeds were last asked (ISO 8601, UTC)
    run_id: str


class StateStore(ABC):
    """Persistent crawl state. Every write method is one transaction, unless a batch is open
    (``begin_batch``): then the writes up to ``commit_batch`` are one transaction together, and
    every read sees them already. A process killed before ``commit_batch`` leaves none of them.

    "Earliest" below means first exported: a post keeps its place when a new revision replaces
    it. "Originals" are posts whose ``duplicate_of`` is None. Use as a context manager to close.
    """

    #: True for a store many crawl processes use at once (their runs are told apart by the
    #: ``alive`` keys their workers renew), False for one that a run holds alone.
    shared: bool = False

    @abstractmethod
    def get(self, post_id: str) -> PostState | None:
        """The latest recorded revision of the post with this id, or None."""

    @abstractmethod
    def get_by_url(self, url: str) -> PostState | None:
        """The latest recorded revision of the post at this canonical URL, or None."""

    @abstractmethod
    def record(
        self, post: PostState, *, signature: bytes | None = None, band_keys: Sequence[str] = ()
    ) -> None:
        """Insert or replace the post (a new revision replaces the old row, same id) and its
        band keys, atomically.

        ``signature`` is the post's MinHash signature and ``band_keys`` its LSH band keys; they
        replace any earlier ones. Band keys without a signature, or a URL already recorded under
        another id, raise ValueError and record nothing.
        """

    @abstractmethod
    def first_by_source_url(self, source_url: str) -> str | None:
        """Id of the earliest original that reposts this outlet URL, or None."""

    @abstractmethod
    def first_by_fingerprint(self, fingerprint: str) -> str | None:
        """Id of the earliest original with exactly this text fingerprint, or None."""

    @abstractmethod
    def near_candidates(
        self, band_keys: Sequence[str], *, limit: int = 50
    ) -> list[tuple[str, bytes]]:
        """(id, signature) of at most ``limit`` originals sharing at least one band key, those
        sharing the most keys first (then earliest first)."""

    @abstractmethod
    def watermark(self, site: str) -> str | None:
        """The newest ``updated`` seen when the site last finished cleanly, or None."""

    @abstractmethod
    def set_watermark(self, site: str, updated: str, *, run_id: str) -> None:
        """Set the site's watermark (replacing the previous one), naming the run that set it."""

    @abstractmethod
    def site_route(self, site: str) -> SiteRoute | None:
        """How the site's posts were found when a run last reached it, or None."""

    @abstractmethod
    def set_site_route(self, site: str, route: str, *, run_id: str, feeds_off: bool | None) -> None:
        """Record the route a run took on the site. ``feeds_off``: whether the run found its
        feeds switched off (True), working (False), or did not ask them (None: what was last
        found, and when, is kept)."""

    @abstractmethod
    def start_run(self, run_id: str, export_path: str | None) -> None:
        """Record that a run began and which file it writes. A run id already used raises
        ValueError."""

    @abstractmethod
    def finish_run(self, run_id: str) -> None:
        """Record that a run ended cleanly: what it recorded stands for good. An unknown or
        already finished run raises ValueError."""

    @abstractmethod
    def unfinished_runs(self) -> list[tuple[str, str | None]]:
        """(run_id, export_path) of runs started but never finished, oldest first.

        A run still going on in another process is listed too: reconcile only when no other
        crawl shares the store.
        """

    @abstractmethod
    def reconcile_run(self, run_id: str, kept_ids: set[str]) -> int:
        """After a run was killed: forget the posts it recorded whose export line did not
        survive (ids not in ``kept_ids``), so the next run exports them again; mark the run
        finished. Returns how many were forgotten. One transaction.

        A forgotten post that the run had re-exported as a new revision goes back to the
        revision it replaced (with that revision's signature and band keys), so the next run
        exports the edit again under the same revision number: no revision is lost or doubled.
        A post new in the run is removed. An unknown or already finished run raises ValueError.
        """

    def begin_batch(self) -> None:
        """Open a batch: the writes until ``commit_batch`` land together or not at all. The
        crawl's state pipeline batches its records this way, one commit for many posts, and
        lets no record reach the export before its batch is committed. A store without
        transactions of its own may keep the default, writing at once."""

    def commit_batch(self) -> None:
        """Commit the open batch (nothing to do when none is open)."""

    def look_ahead(self, *, post_id: str, url: str, source_url: str | None, fingerprint: str | None,
                   band_keys: Sequence[str]) -> None:
        """A hint: the lookups of one post are about to be asked (``get``, ``get_by_url``,
        ``first_by_*``, ``near_candidates``, then ``record``). A store that pays a network round
        trip per question may fetch them all in one; the answers hold until the next write."""

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        """Hold off other writers of a shared store while one post is decided and recorded, so
        two workers never both export it, nor both take two copies for originals. A store that
        one run holds alone (``lock_for_run``) needs nothing more."""
        yield

    @abstractmethod
    def lock_for_run(self) -> None:
        """Hold the store for one crawl run until ``close``; StateError when another run holds
        it (two runs on one store would take each other for killed runs)."""

    @abstractmethod
    def close(self) -> None:
        """Release the store. Closing twice is harmless."""

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
