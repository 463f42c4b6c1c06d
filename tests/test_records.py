"""Golden files for the final record: a saved page or feed through extraction and the loader,
with a frozen clock, exactly as a crawl exports it.

``tests/fixtures/records/<family>/<case>.json`` is the record of ``tests/fixtures/pages/<family>/
<case>.html``; ``records/feed/<name>.json`` the records of ``tests/fixtures/feeds/<name>``. A test
fails when the record changes, and when a field the family supports (``SUPPORTED``) is empty in
a golden file, so a family's coverage cannot shrink unnoticed. After a deliberate change,
rewrite the golden files and review their diff:

    .venv/bin/python -m tests.test_records
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from newscrawl.blogger.feeds import parse_feed
from newscrawl.blogger.pages import FAMILIES, parse_post_page
from newscrawl.blogger.post import post_from_entry, post_from_page
from newscrawl.items import ARTICLE_FIELDS
from newscrawl.dates import offset_of
from newscrawl.loaders import article_from_post

FIXTURES = Path(__file__).resolve().parent / "fixtures"
RECORDS = FIXTURES / "records"
NOW = datetime(2019, 4, 26, 5, 0, tzinfo=timezone.utc)  # the frozen clock
DEFAULT_TZ = "Asia/Jakarta"

# The record fields each reader fills on its fixtures. Every family must be listed: a new
# family declares what it supports before its golden files count.
_COMMON = {"id", "url", "site", "blog_id", "post_id", "title", "text", "html", "published",
           "published_precision", "published_raw", "language", "route", "crawled_at"}
SUPPORTED: dict[str, set[str]] = {
    "theme": _COMMON | {"author", "labels", "images", "updated"},
    "sora": _COMMON | {"author", "labels", "images"},
    "mobile": _COMMON | {"author", "labels", "images", "source_url", "source_published"},
    "classic": _COMMON | {"author", "labels"},
    "generic": _COMMON - {"post_id"},
    "feed": _COMMON | {"author", "labels", "updated"},
}
FEEDS = ["posts.json", "posts.atom.xml", "posts.rss.xml", "posts.json-in-script.js"]


def page_record(path: Path) -> dict | None:
    """The record a crawl exports for a saved page, or None for a page that is not a post."""
    fetched_url = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["fetched_url"]
    page = parse_post_page(path.read_bytes(), fetched_url)
    if page.page_type != "item" or not page.html:
        return None
    # The blog's offset as the spider learns it when feeds are off: from the page's own stamps.
    tz = offset_of(page.published_raw) or offset_of(page.updated_raw) or DEFAULT_TZ
    item = article_from_post(post_from_page(page), route="page", tz=tz, crawled_at=NOW, fetched_url=fetched_url)
    return _ordered(item)


def _ordered(item) -> dict:
    """The record with its fields in export order."""
    return {name: item[name] for name in ARTICLE_FIELDS}


def feed_records(path: Path) -> list[dict]:
    feed = parse_feed(path.read_bytes(), url=path.name)
    tz = next((o for e in feed.entries if (o := offset_of(e.updated))), DEFAULT_TZ)
    return [
        _ordered(article_from_post(post_from_entry(entry), route=f"feed-{feed.format}", tz=tz, crawled_at=NOW,
                                   fallback_blog_id=feed.blog_id))
        for entry in feed.entries
    ]


def _cases() -> list[tuple[str, Path]]:
    pages = [
        (f"{path.parent.name}/{path.stem}", path)
        for path in sorted((FIXTURES / "pages").glob("*/*.html"))
        if page_record(path) is not None
    ]
    return pages + [(f"feed/{name.replace('.', '-')}", FIXTURES / "feeds" / name) for name in FEEDS]


CASES = _cases()


def _produce(case: str, source: Path):
    return feed_records(source) if case.startswith("feed/") else page_record(source)


def _golden(case: str):
    return json.loads((RECORDS / f"{case}.json").read_text(encoding="utf-8"))


def test_every_family_declares_what_it_supports():
    assert {family.name for family in FAMILIES} | {"generic", "feed"} == set(SUPPORTED)


def test_every_family_has_a_golden_record():
    assert {case.split("/")[0] for case, _ in CASES} == set(SUPPORTED)


@pytest.mark.parametrize(("case", "source"), CASES, ids=[case for case, _ in CASES])
def test_record_matches_its_golden_file(case: str, source: Path):
    produced = json.loads(json.dumps(_produce(case, source), ensure_ascii=False))
    assert produced == _golden(case)


@pytest.mark.parametrize(("case", "source"), CASES, ids=[case for case, _ in CASES])
def test_golden_file_has_every_field_the_family_supports(case: str, source: Path):
    golden = _golden(case)
    records = golden if isinstance(golden, list) else [golden]
    assert records and all(list(record) == list(ARTICLE_FIELDS) for record in records)
    # A feed file passes when some entry has the field: not every post has labels.
    missing = [
        name for name in sorted(SUPPORTED[case.split("/")[0]])
        if all(record[name] in (None, [], "") for record in records)
    ]
    assert missing == [], f"{case}: supported fields without a value"


def _write_all() -> None:
    for case, source in CASES:
        target = RECORDS / f"{case}.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(_produce(case, source), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(target.relative_to(FIXTURES))


if __name__ == "__main__":
    sys.exit(_write_all())
