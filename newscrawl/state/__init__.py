"""Persistent crawl state: exported posts, the near-duplicate index, site watermarks, runs.

``open_store`` picks the backend named by ``NEWSCRAWL_STATE_BACKEND``: ``sqlite`` (one file, one
run at a time) or ``redis`` (shared by the workers of a distributed crawl, ``REDIS_URL``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from newscrawl.state.base import PostState, SiteRoute, StateError, StateStore
from newscrawl.state.sqlite import SQLiteStateStore

__all__ = [
    "SiteRoute",
    "DEFAULT_STATE_PATH",
    "PostState",
    "SQLiteStateStore",
    "StateError",
    "StateStore",
    "open_store",
]

DEFAULT_STATE_PATH = "state/newscrawl.sqlite3"


def _open_sqlite(settings: Any) -> StateStore:
    return SQLiteStateStore(settings.get("NEWSCRAWL_STATE_PATH") or DEFAULT_STATE_PATH)


def _open_redis(settings: Any) -> StateStore:
    # Imported here: a single-machine crawl never needs the Redis client.
    from newscrawl.state.redis_store import RedisStateStore

    url = settings.get("REDIS_URL") or os.environ.get("REDIS_URL")
    if not url:
        raise StateError("NEWSCRAWL_STATE_BACKEND is redis but no REDIS_URL is set")
    return RedisStateStore(
        url,
        prefix=settings.get("NEWSCRAWL_REDIS_PREFIX") or "newscrawl",
        alive_seconds=float(settings.get("NEWSCRAWL_WORKER_ALIVE_SECONDS") or 30),
    )


# Each backend opens itself from the settings, reading whichever of them it needs.
_BACKENDS: dict[str, Callable[[Any], StateStore]] = {"sqlite": _open_sqlite, "redis": _open_redis}


def open_store(settings_or_path: Any) -> StateStore:
    """Open the state store named by a path (SQLite) or by Scrapy settings.

    From settings (anything with ``get``), ``NEWSCRAWL_STATE_BACKEND`` names the backend
    ('sqlite', the default) and ``NEWSCRAWL_STATE_PATH`` the SQLite file (default
    ``DEFAULT_STATE_PATH``). An unknown backend raises ValueError naming the known ones.
    """
    if isinstance(settings_or_path, (str, os.PathLike)):
        return SQLiteStateStore(settings_or_path)
    backend = settings_or_path.get("NEWSCRAWL_STATE_BACKEND") or "sqlite"
    try:
        opener = _BACKENDS[backend]
    except KeyError:
        known = ", ".join(sorted(_BACKENDS))
        raise ValueError(
            f"unknown NEWSCRAWL_STATE_BACKEND {backend!r}; known backends: {known}"
        ) from None
    return opener(settings_or_path)
