"""Where dedup is decided: across runs (exported already? updated since?) and across mirrors
(the same outlet article reposted by another blog).

A post already exported is skipped unless its ``updated`` time is newer, then it is exported
again as the next ``revision`` under the same id. A post never exported is compared with the
originals in the store, in order of certainty:

1. the same ``source_url`` (the outlet link in the autoblog footer, short links as printed);
2. the same exact fingerprint of its normalized text;
3. near-duplicate text: MinHash similarity at or above ``NEAR_DUPLICATE_THRESHOLD`` among
   candidates that share an LSH band.

A partial record (``complete: false``: the post page failed, its summary entry was read) is
compared by ``source_url`` only, since a summary is not the post's text; when the post is read
whole later it is exported as the next revision even if unchanged, and weighed against the
mirrors again. A partial record never replaces a complete one.

Titles play no part in the decision, so a "[VIDEO]" prefix, case or punctuation cannot hide a
copy; the normalized title is recorded for analysis. A match makes the post a mirror copy:
``duplicate_of`` is the id of the first copy seen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from newscrawl.dates import is_newer, to_iso
from newscrawl.fingerprints import (
    NEAR_DUPLICATE_THRESHOLD,
    band_keys,
    similarities,
    text_keys,
    title_key,
)
from newscrawl.state import PostState, StateStore


@dataclass(frozen=True)
class _Keys:
    """What a record is compared by, computed once per record."""

    fingerprint: str | None
    title_key: str | None
    signature: bytes | None
    band_keys: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    """What to do with one record."""

    export: bool
    revision: int
    duplicate_of: str | None
    reason: str  # new, revision, unchanged, or mirror:<rule>
    keys: _Keys
    same_id: str | None = None  # the id the post was exported under before, if any


class Deduplicator:
    """Decides and records, against one state store, on behalf of one run.

    With ``fresh``, what earlier runs recorded is ignored for this run (but this run's exports
    are still recorded, so the next normal run stays incremental)."""

    def __init__(self, store: StateStore, run_id: str, *, fresh: bool = False):
        self.store = store
        self.run_id = run_id
        self.fresh = fresh

    def decide(self, item: dict[str, Any]) -> Decision:
        keys = _keys(item)
        self.store.look_ahead(post_id=item["id"], url=item["url"], source_url=item.get("source_url"),
                              fingerprint=keys.fingerprint, band_keys=keys.band_keys)
        previous = self._visible(self.store.get(item["id"])) or self._visible(self.store.get_by_url(item["url"]))
        complete = item.get("complete", True)
        if previous is not None:
            if not previous.complete and complete:
                original, _ = self._original(item, keys)
                return Decision(True, previous.revision + 1, original, "completed", keys, previous.id)
            if previous.complete and not complete:
                return Decision(False, previous.revision, previous.duplicate_of, "kept_complete", keys, previous.id)
            if is_newer(item.get("updated"), previous.updated):
                return Decision(True, previous.revision + 1, previous.duplicate_of, "revision", keys, previous.id)
            return Decision(False, previous.revision, previous.duplicate_of, "unchanged", keys, previous.id)
        original, rule = self._original(item, keys)
        if original is not None:
            return Decision(True, 0, original, f"mirror:{rule}", keys)
        return Decision(True, 0, None, "new", keys)

    def record(self, item: dict[str, Any], decision: Decision) -> None:
        """Remember the record as exported by this run (one transaction)."""
        keys = decision.keys
        self.store.record(
            PostState(
                id=decision.same_id or item["id"],
                url=item["url"],
                site=item["site"],
                updated=item.get("updated"),
                fingerprint=keys.fingerprint,
                source_url=item.get("source_url"),
                title_key=keys.title_key,
                revision=decision.revision,
                duplicate_of=decision.duplicate_of,
                run_id=self.run_id,
                exported_at=to_iso(datetime.now(timezone.utc)),
                complete=item.get("complete", True),
            ),
            signature=keys.signature,
            # Only originals are ever candidates: a copy's keys would only crowd the index.
            band_keys=keys.band_keys if keys.signature and decision.duplicate_of is None else (),
        )

    # --- mirrors -------------------------------------------------------------------------
    def _original(self, item: dict[str, Any], keys: _Keys) -> tuple[str | None, str]:
        own_id = item["id"]
        if item.get("source_url"):
            found = self._visible_id(self.store.first_by_source_url(item["source_url"]), own_id)
            if found:
                return found, "source_url"
        if keys.fingerprint:
            found = self._visible_id(self.store.first_by_fingerprint(keys.fingerprint), own_id)
            if found:
                return found, "fingerprint"
        if keys.signature is None:
            return None, ""
        candidates = self.store.near_candidates(keys.band_keys)
        scores = similarities(keys.signature, [candidate_signature for _, candidate_signature in candidates])
        for (candidate_id, _), score in zip(candidates, scores):
            if score >= NEAR_DUPLICATE_THRESHOLD and self._visible_id(candidate_id, own_id):
                return candidate_id, f"near({score:.2f})"
        return None, ""

    # --- fresh runs see only their own records ------------------------------------------
    def _visible(self, state: PostState | None) -> PostState | None:
        if state is None or (self.fresh and state.run_id != self.run_id):
            return None
        return state

    def _visible_id(self, post_id: str | None, own_id: str) -> str | None:
        if not post_id or post_id == own_id:
            return None
        if self.fresh and self._visible(self.store.get(post_id)) is None:
            return None
        return post_id


def _keys(item: dict[str, Any]) -> _Keys:
    # A summary is the start of a post, not its text: a partial record has no text keys.
    text = item.get("text") if item.get("complete", True) else None
    fingerprint, sig = text_keys(text)
    return _Keys(
        fingerprint=fingerprint,
        title_key=title_key(item.get("title")),
        signature=sig,
        band_keys=tuple(band_keys(sig)) if sig else (),
    )
