"""How a request is stored in the shared Redis queue: JSON, never pickle.

scrapy-redis stores requests with pickle by default, and unpickling runs whatever the bytes say:
anyone who can write to the Redis database could then run code on every worker. JSON with a
few tagged types carries everything this project puts in a request (``Request.to_dict``:
callback names, headers and body as bytes, and the summary ``FeedEntry`` of a post page) and
refuses anything else, loudly, when the request is queued. Used as ``SCHEDULER_SERIALIZER``.
"""

from __future__ import annotations

import base64
import json
from dataclasses import asdict
from typing import Any

from newscrawl.blogger.feeds import FeedEntry

__all__ = ["dumps", "loads"]


def _tagged(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"__bytes__": base64.b64encode(value).decode("ascii")}
    if isinstance(value, FeedEntry):
        return {"__entry__": _tagged(asdict(value))}
    if isinstance(value, tuple):
        return {"__tuple__": [_tagged(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"__set__": sorted(_tagged(v) for v in value)}
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            # Headers: bytes names. Kept as pairs so the names keep their type.
            return {"__pairs__": [[_tagged(k), _tagged(v)] for k, v in value.items()]}
        return {key: _tagged(v) for key, v in value.items()}
    if isinstance(value, list):
        return [_tagged(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"a {type(value).__name__} cannot go into the shared request queue: {value!r:.80}")


def _untagged(value: Any) -> Any:
    if isinstance(value, list):
        return [_untagged(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "__bytes__" in value:
        return base64.b64decode(value["__bytes__"])
    if "__entry__" in value:
        fields = _untagged(value["__entry__"])
        fields["labels"] = tuple(fields["labels"])
        return FeedEntry(**fields)
    if "__tuple__" in value:
        return tuple(_untagged(v) for v in value["__tuple__"])
    if "__set__" in value:
        return {_untagged(v) for v in value["__set__"]}
    if "__pairs__" in value:
        return {_untagged(k): _untagged(v) for k, v in value["__pairs__"]}
    return {key: _untagged(v) for key, v in value.items()}


def dumps(request_dict: dict) -> bytes:
    return json.dumps(_tagged(request_dict), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def loads(data: bytes) -> dict:
    return _untagged(json.loads(data))
