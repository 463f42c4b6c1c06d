"""The JSON Schema of an exported record: ``newscrawl/article.schema.json``, shipped in the package.

The schema is built from the ``Article`` fields (their JSON types and meanings, ``items.py``)
plus the constraints a consumer can rely on: dates in ISO 8601 with an offset, ids as digit
strings (a 19-digit Blogger id does not fit a double), the few closed vocabularies. The shipped
file is this module's output (``python -m newscrawl.schema`` writes it; a test checks that they
agree), so the schema and the code cannot drift apart.

    from newscrawl.schema import record_errors
    record_errors({"id": ...})   # [] when the record is valid, else one message per problem
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any

from newscrawl.items import ARTICLE_FIELDS, SCHEMA_VERSION

__all__ = ["SCHEMA_PATH", "article_schema", "record_errors"]

SCHEMA_PATH = Path(__file__).with_name("article.schema.json")

# ISO 8601 date and time with seconds and an explicit offset: what every date field holds.
_ISO_WITH_OFFSET = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$"
_CONSTRAINTS: dict[str, dict[str, Any]] = {
    "id": {"pattern": r"^(blogger-\d+-\d+|url-[0-9a-f]{20})$"},
    "url": {"pattern": r"^(https?|file)://"},
    "site": {"minLength": 1},
    "blog_id": {"pattern": r"^\d+$"},
    "post_id": {"pattern": r"^\d+$"},
    "published": {"pattern": _ISO_WITH_OFFSET},
    "updated": {"pattern": _ISO_WITH_OFFSET},
    "source_published": {"pattern": _ISO_WITH_OFFSET},
    "crawled_at": {"pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+00:00$"},
    "published_precision": {"enum": ["time", "day", None]},
    "language": {"pattern": r"^[a-z]{2,3}$"},
    "route": {"enum": ["feed-json", "feed-atom", "feed-rss", "page"]},
    "revision": {"minimum": 0},
    "schema_version": {"const": SCHEMA_VERSION},
}


def _type(json_type: str) -> dict[str, Any]:
    if json_type.startswith("list["):
        return {"type": "array", "items": {"type": json_type[5:-1]}}
    kinds = json_type.split("|")
    return {"type": kinds[0] if len(kinds) == 1 else kinds}


def article_schema() -> dict[str, Any]:
    """The schema of one exported record (JSON Schema draft 2020-12)."""
    properties = {
        name: {**_type(kind), "description": doc, **_CONSTRAINTS.get(name, {})}
        for name, (kind, doc) in ARTICLE_FIELDS.items()
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:newscrawl:article:{SCHEMA_VERSION}",
        "title": "newscrawl article record",
        "description": "One Blogger post as newscrawl exports it: one JSON object per line of a "
                       "JSON Lines export. Every field is present; a field with no value is null "
                       "or, for lists, [].",
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


@functools.cache
def _validator():
    # Imported here: only validation needs jsonschema, not a crawl.
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def record_errors(record: dict[str, Any]) -> list[str]:
    """What makes ``record`` break the shipped schema, one message per problem ([] when none)."""
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(record)'}: {error.message}"
        for error in sorted(_validator().iter_errors(record), key=lambda e: list(map(str, e.absolute_path)))
    ]


def main() -> None:
    SCHEMA_PATH.write_text(json.dumps(article_schema(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(SCHEMA_PATH, file=sys.stderr)


if __name__ == "__main__":
    main()
