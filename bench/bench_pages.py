"""Post page extraction: newscrawl against trafilatura, speed and accuracy.

    python bench/bench_pages.py [--repeat N]

Both read the same saved pages in this process: every page of the real Blogger corpus (tests/fixtures/corpus) and
every page of our own fixtures. newscrawl does what a crawl stores: parse_post_page (which
cleans the body and renders its text in one pass), post_from_page (repost footer, language
detection), and the published day through parse_date. trafilatura does bare_extraction with metadata and its default settings.

Speed: one untimed pass each (the warm-up), then N rounds that each time a full pass of both
tools, the order swapping every round so machine noise hits both alike; pages per second come
from the median round. Accuracy: the warm-up pass's records scored against the real-page corpus
gold (the fair comparison) and, reported apart, against our fixtures' expected fields.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import lxml.html
import trafilatura

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from newscrawl.blogger.pages import parse_post_page  # noqa: E402
from newscrawl.blogger.post import post_from_page  # noqa: E402
from newscrawl.dates import parse_date  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "corpus" / "blogger"
FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "pages"
FIELDS = ("title", "day", "author", "labels", "with", "without", "body")
BODY_PREFIX = 200  # characters of the expected body that must appear in the extracted text
TRAILING_OFFSET = re.compile(r"[+-]\d{2}:?\d{2}$")


@dataclass(frozen=True)
class Page:
    """One saved page and what it should yield; gold is None for pages that are not posts."""

    name: str
    url: str
    body: bytes
    gold: dict | None


@dataclass(frozen=True)
class Record:
    """What a tool read from a page, in one shape for both tools."""

    title: str | None
    day: str | None  # YYYY-MM-DD
    author: str | None
    labels: frozenset[str]
    text: str


NO_RECORD = Record(None, None, None, frozenset(), "")


# --- pages and gold -------------------------------------------------------------------

def squash(text: str | None) -> str:
    """Whitespace collapsed to single spaces, so layout differences do not count."""
    return " ".join((text or "").split())


def day_of(raw: str | None) -> str | None:
    """The published day as newscrawl stores it: naive times read in the page's own offset
    when the raw value carries one, else in UTC."""
    if not raw:
        return None
    own = TRAILING_OFFSET.search(raw.strip())
    found = parse_date(raw, tz=own.group() if own else "UTC")
    return found.date().isoformat() if found else None


def corpus_pages() -> list[Page]:
    pages = []
    for path in sorted((CORPUS / "pages").glob("*.html")):
        expected = json.loads((CORPUS / "expected" / f"{path.stem}.json").read_text("utf-8"))
        gold = {field: expected.get(field) for field in FIELDS}
        gold["day"] = expected.get("published_day")
        pages.append(Page(path.stem, expected["url"], path.read_bytes(), gold))
    return pages


def fixture_gold(page: dict) -> dict | None:
    """Our fixtures spell out every PostPage field; listing pages have no post to score."""
    if page["page_type"] != "item":
        return None
    html = page["html"]
    # A generic page pins snippets; the others give the body HTML, whose text is the body.
    pinned = html if isinstance(html, dict) else {}
    body = squash(lxml.html.fromstring(html).text_content()) if isinstance(html, str) else None
    return {
        "title": page["title"],
        "day": day_of(page["published_raw"]),
        "author": page["author"],
        "labels": page["labels"],
        "with": pinned.get("with"),
        "without": pinned.get("without"),
        "body": body,
    }


def fixture_pages() -> list[Page]:
    pages = []
    for path in sorted(FIXTURES.glob("*/*.html")):
        expected = json.loads(path.with_suffix(".json").read_text("utf-8"))
        name = str(path.relative_to(FIXTURES).with_suffix(""))
        gold = fixture_gold(expected["page"])
        pages.append(Page(name, expected["fetched_url"], path.read_bytes(), gold))
    return pages


# --- the two readers ------------------------------------------------------------------

def read_newscrawl(page: Page) -> Record:
    post = post_from_page(parse_post_page(page.body, page.url))
    return Record(post.title, day_of(post.published_raw), post.author, frozenset(post.labels), post.text or "")


def read_trafilatura(page: Page) -> Record:
    doc = trafilatura.bare_extraction(page.body, url=page.url, with_metadata=True)
    if doc is None:
        return NO_RECORD
    labels = frozenset([*(doc.categories or ()), *(doc.tags or ())])
    return Record(doc.title, doc.date, doc.author, labels, doc.text or "")


READERS = {"newscrawl": read_newscrawl, "trafilatura": read_trafilatura}


# --- speed ----------------------------------------------------------------------------

def timed_pass(read, pages: list[Page]) -> float:
    start = time.perf_counter()
    for page in pages:
        read(page)
    return time.perf_counter() - start


def round_seconds(pages: list[Page], repeat: int) -> dict[str, list[float]]:
    """Seconds per full pass for each reader, over `repeat` rounds in alternating order."""
    seconds = {name: [] for name in READERS}
    order = list(READERS)
    for _ in range(repeat):
        for name in order:
            seconds[name].append(timed_pass(READERS[name], pages))
        order.reverse()
    return seconds


# --- accuracy -------------------------------------------------------------------------

def checks(gold: dict, record: Record):
    """(field, check name, passed) for every value the gold gives."""
    text = squash(record.text)
    if gold["title"] is not None:
        yield "title", "title", squash(record.title) == squash(gold["title"])
    if gold["day"] is not None:
        yield "day", "day", record.day == gold["day"]
    if gold["author"] is not None:
        yield "author", "author", squash(record.author) == squash(gold["author"])
    if gold["labels"] is not None:
        labels = {squash(label) for label in record.labels}
        yield "labels", "labels", labels == {squash(label) for label in gold["labels"]}
    for snippet in gold["with"] or ():
        yield "with", f"with:{snippet}", squash(snippet) in text
    for snippet in gold["without"] or ():
        # An empty text does not pass: saying nothing is not leaving boilerplate out.
        yield "without", f"without:{snippet}", bool(text) and squash(snippet) not in text
    if gold["body"] is not None:
        yield "body", "body", squash(gold["body"])[:BODY_PREFIX] in text


@dataclass
class Score:
    passed: Counter
    made: Counter
    failures: dict[str, list[str]]


def score(pages: list[Page], records: dict[str, Record]) -> Score:
    result = Score(Counter(), Counter(), {})
    for page in pages:
        if page.gold is None:
            continue
        for field, name, passed in checks(page.gold, records[page.name]):
            result.made[field] += 1
            result.passed[field] += passed
            if not passed:
                result.failures.setdefault(page.name, []).append(name)
    return result


# --- report ---------------------------------------------------------------------------

def share(passed: int, made: int) -> str:
    return f"{passed:>3}/{made:<3} {passed / made:>5.0%}" if made else f"{'-':>13}"


def short(check: str, width: int = 38) -> str:
    return check if len(check) <= width else check[: width - 3] + "..."


def print_accuracy(title: str, pages: list[Page], scores: dict[str, Score]) -> None:
    scored = sum(page.gold is not None for page in pages)
    print(f"\n{title} ({scored} pages scored)")
    print(f"  {'field':<9}" + "".join(f"{name:>16}" for name in scores))
    for field in FIELDS:
        cells = [share(s.passed[field], s.made[field]) for s in scores.values()]
        print(f"  {field:<9}" + "".join(f"{cell:>16}" for cell in cells))
    totals = [share(sum(s.passed.values()), sum(s.made.values())) for s in scores.values()]
    print(f"  {'overall':<9}" + "".join(f"{cell:>16}" for cell in totals))
    print("  failing checks:")
    for page in pages:
        for name, s in scores.items():
            failed = s.failures.get(page.name)
            if failed:
                print(f"    {page.name} [{name}]: " + "; ".join(short(c) for c in failed))


def print_speed(pages: list[Page], seconds: dict[str, list[float]]) -> None:
    rate = {name: len(pages) / statistics.median(times) for name, times in seconds.items()}
    rounds = len(seconds["newscrawl"])
    print(f"\n  {'':<12}{'pages/s':>10}{'ms/page':>10}  (median of {rounds} rounds)")
    for name, pages_per_second in rate.items():
        print(f"  {name:<12}{pages_per_second:>10.1f}{1000 / pages_per_second:>10.2f}")
    print(f"  speed ratio newscrawl / trafilatura: {rate['newscrawl'] / rate['trafilatura']:.2f}x")


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--repeat", type=int, default=10, help="timed rounds (default 10)")
    repeat = arguments.parse_args().repeat

    corpus, own = corpus_pages(), fixture_pages()
    pages = corpus + own
    # The warm-up pass: its records are the ones scored.
    records = {name: {page.name: read(page) for page in pages} for name, read in READERS.items()}
    seconds = round_seconds(pages, repeat)

    print(f"trafilatura {version('trafilatura')}: bare_extraction(with_metadata=True), defaults")
    python = platform.python_version()
    print(f"htmldate {version('htmldate')}, lxml {version('lxml')}, Python {python}")
    print(f"pages: {len(corpus)} corpus + {len(own)} own fixtures = {len(pages)}")
    print_speed(pages, seconds)
    print_accuracy(
        "Accuracy on the corpus gold", corpus,
        {name: score(corpus, found) for name, found in records.items()},
    )
    print_accuracy(
        "Accuracy on our own fixtures (not a fair comparison: written for newscrawl)", own,
        {name: score(own, found) for name, found in records.items()},
    )


if __name__ == "__main__":
    main()
