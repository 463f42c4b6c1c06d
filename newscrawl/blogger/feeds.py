"""Blogger feed documents (JSON, json-in-script, Atom, RSS 2.0) -> FeedPage.

Pure: bytes or text in, dataclasses out, no crawler needed. Every format is read into
the same FeedEntry shape, so the caller never cares which alt= it asked for.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from lxml import etree
from newscrawl.blogger.decoding import decode_feed
from newscrawl.blogger.sites import BLOGGER_ID, is_placeholder_author, is_summary_feed_url
from newscrawl.dates import offset_of


class FeedError(ValueError):
    """The document is not a readable Blogger feed; str(e) says why."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One post as a feed lists it. Dates stay raw: newscrawl.dates parses them."""

    blog_id: str | None  # from the Atom/JSON id or the RSS guid
    post_id: str | None
    url: str | None  # link rel=alternate (RSS: <link>)
    title: str | None  # plain text, entities decoded
    html: str | None  # content HTML, or the summary when that is all the feed gives
    is_summary: bool  # True when html is only a summary: fetch the post page instead
    published: str | None  # Atom/JSON ISO 8601; RSS pubDate (RFC 822)
    updated: str | None  # RSS: atom:updated
    author: str | None  # None for Blogger's 'Unknown' placeholder
    labels: tuple[str, ...]  # document order, no duplicates


@dataclass(frozen=True, slots=True)
class FeedPage:
    """One page of a posts feed and what is needed to fetch the next one."""

    format: str  # 'json' (also json-in-script), 'atom' or 'rss'
    blog_id: str | None
    blog_url: str | None  # the blog's home page, link rel=alternate
    total_results: int | None  # openSearch:totalResults
    start_index: int | None
    next_url: str | None  # link rel=next
    entries: tuple[FeedEntry, ...]


# --- identifiers and small normalizers shared by every format -----------------------

# RSS puts the author as 'email (Name)'; Blogger always uses noreply@blogger.com.
_RSS_AUTHOR = re.compile(r"^\S+@\S+\s+\((?P<name>.*)\)$")

# Category scheme that marks the entry kind (post/comment), not a label.
_KIND_SCHEME = "http://schemas.google.com/g/2005#kind"


def _ids(raw_id: str | None) -> tuple[str | None, str | None]:
    match = BLOGGER_ID.search(raw_id or "")
    return (match["blog"], match["post"]) if match else (None, None)


def _plain(raw: str | None) -> str | None:
    # Outlet titles reposted by IFTTT often carry entities encoded once more than the
    # feed format needs ('&#39;' inside the JSON string), so decode what is left.
    return (html.unescape(raw).strip() or None) if raw else None


def _author(raw: str | None) -> str | None:
    name = (raw or "").strip()
    match = _RSS_AUTHOR.match(name)
    if match:
        name = match["name"].strip()
    return name if name and not is_placeholder_author(name) else None


def _labels(terms: Iterable[str | None]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(term.strip() for term in terms if term and term.strip()))


def _int(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() else None


def _nonempty(raw: str | None) -> str | None:
    return (raw.strip() or None) if raw else None


# --- decoding and format detection ---------------------------------------------------

# json-in-script: 'fn({...});' as served for alt=json-in-script, sometimes preceded by
# the '// API callback' comment line Google's GData servers add.
_CALLBACK_HEAD = re.compile(r"^(?://[^\n]*\n\s*)?[A-Za-z_$][\w$.]*\(")
_CALLBACK_TAIL = re.compile(r"\)\s*;?\s*$")

# An HTML page (error page, login wall, parked domain) instead of a feed.
_HTML_START = re.compile(r"^(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)


# --- JSON (alt=json, alt=json-in-script) ----------------------------------------------

def _t(node: object, key: str) -> str | None:
    """The '$t' text of node[key], the GData JSON spelling of an element's text."""
    child = node.get(key) if isinstance(node, dict) else None
    return child.get("$t") if isinstance(child, dict) else None


def _objects(node: dict, key: str) -> list[dict]:
    """The objects listed under node[key] (links, authors, categories, entries)."""
    value = node.get(key)
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _json_link(node: dict, rel: str) -> str | None:
    return next((link.get("href") for link in _objects(node, "link") if link.get("rel") == rel), None)


def _json_entry(entry: dict) -> FeedEntry:
    blog_id, post_id = _ids(_t(entry, "id"))
    content, summary = _t(entry, "content"), _t(entry, "summary")
    authors = _objects(entry, "author")
    return FeedEntry(
        blog_id=blog_id,
        post_id=post_id,
        url=_json_link(entry, "alternate"),
        title=_plain(_t(entry, "title")),
        html=content if content is not None else summary,
        is_summary=content is None and summary is not None,
        published=_nonempty(_t(entry, "published")),
        updated=_nonempty(_t(entry, "updated")),
        author=_author(_t(authors[0], "name")) if authors else None,
        labels=_labels(c.get("term") for c in _objects(entry, "category") if c.get("scheme") != _KIND_SCHEME),
    )


def _load_json(text: str) -> dict:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        # A whole feed object ends with '}'; anything else was cut off in transit.
        cut = "invalid" if text.rstrip().endswith("}") else "truncated"
        raise FeedError(f"{cut} JSON at char {exc.pos}: {exc.msg}") from None
    feed = document.get("feed") if isinstance(document, dict) else None
    if isinstance(feed, dict):
        return feed
    # One post's own feed (/feeds/posts/default/<postId>?alt=json) holds a lone "entry".
    entry = document.get("entry") if isinstance(document, dict) else None
    if isinstance(entry, dict):
        return {"entry": [entry], "openSearch$totalResults": {"$t": "1"}}
    raise FeedError('JSON without a "feed" object, not a Blogger feed')


def _parse_json(text: str) -> FeedPage:
    feed = _load_json(text)
    entries = tuple(_json_entry(e) for e in _objects(feed, "entry"))
    return FeedPage(
        format="json",
        blog_id=_ids(_t(feed, "id"))[0] or (entries[0].blog_id if len(entries) == 1 else None),
        blog_url=_json_link(feed, "alternate"),
        total_results=_int(_t(feed, "openSearch$totalResults")),
        start_index=_int(_t(feed, "openSearch$startIndex")),
        next_url=_json_link(feed, "next"),
        # Blogger leaves "entry" out altogether on a page past the last post.
        entries=entries,
    )


def _unwrap_callback(text: str, head: re.Match) -> str:
    tail = _CALLBACK_TAIL.search(text)
    if tail is None:
        raise FeedError("truncated json-in-script: no closing ')'")
    return text[head.end():tail.start()]


# --- XML (Atom, RSS 2.0) ---------------------------------------------------------------

_ATOM = "{http://www.w3.org/2005/Atom}"
# Blogger still declares the old OpenSearch RSS namespace; accept the 1.1 one as well.
_OPENSEARCH = ("{http://a9.com/-/spec/opensearchrss/1.0/}", "{http://a9.com/-/spec/opensearch/1.1/}")

_A_FEED, _A_ENTRY, _A_LINK = _ATOM + "feed", _ATOM + "entry", _ATOM + "link"
_A_ID, _A_TITLE = _ATOM + "id", _ATOM + "title"
_A_PUBLISHED, _A_UPDATED = _ATOM + "published", _ATOM + "updated"
_A_CONTENT, _A_SUMMARY = _ATOM + "content", _ATOM + "summary"
_A_CATEGORY, _A_AUTHOR, _A_NAME = _ATOM + "category", _ATOM + "author", _ATOM + "name"

_Children = dict[str, list[etree._Element]]


def _children(element: etree._Element) -> _Children:
    """The element's children grouped by tag.

    One pass over the children per entry instead of one tree search per field:
    field lookups then cost a dict access, which keeps a 150-entry page cheap.
    """
    grouped: _Children = {}
    for child in element:
        grouped.setdefault(child.tag, []).append(child)
    return grouped


def _first(children: _Children, tag: str) -> etree._Element | None:
    found = children.get(tag)
    return found[0] if found else None


def _text(children: _Children, tag: str) -> str | None:
    found = _first(children, tag)
    return (found.text or "") if found is not None else None


def _link(children: _Children, rel: str) -> str | None:
    return next((link.get("href") for link in children.get(_A_LINK, ()) if link.get("rel") == rel), None)


def _opensearch(children: _Children, name: str) -> int | None:
    return next((_int(_text(children, ns + name)) for ns in _OPENSEARCH if ns + name in children), None)


def _atom_entry(entry: etree._Element) -> FeedEntry:
    children = _children(entry)
    blog_id, post_id = _ids(_text(children, _A_ID))
    content, summary = _text(children, _A_CONTENT), _text(children, _A_SUMMARY)
    author = _first(children, _A_AUTHOR)
    categories = children.get(_A_CATEGORY, ())
    return FeedEntry(
        blog_id=blog_id,
        post_id=post_id,
        url=_link(children, "alternate"),
        title=_plain(_text(children, _A_TITLE)),
        html=content if content is not None else summary,
        is_summary=content is None and summary is not None,
        published=_nonempty(_text(children, _A_PUBLISHED)),
        updated=_nonempty(_text(children, _A_UPDATED)),
        author=_author(author.findtext(_A_NAME)) if author is not None else None,
        labels=_labels(c.get("term") for c in categories if c.get("scheme") != _KIND_SCHEME),
    )


def _atom_page(feed: etree._Element) -> FeedPage:
    children = _children(feed)
    return FeedPage(
        format="atom",
        blog_id=_ids(_text(children, _A_ID))[0],
        blog_url=_link(children, "alternate"),
        total_results=_opensearch(children, "totalResults"),
        start_index=_opensearch(children, "startIndex"),
        next_url=_link(children, "next"),
        entries=tuple(_atom_entry(e) for e in children.get(_A_ENTRY, ())),
    )


def _rss_entry(item: etree._Element, summary_url: bool) -> FeedEntry:
    children = _children(item)
    blog_id, post_id = _ids(_text(children, "guid"))
    return FeedEntry(
        blog_id=blog_id,
        post_id=post_id,
        url=_nonempty(_text(children, "link")),
        title=_plain(_text(children, "title")),
        html=_text(children, "description"),
        is_summary=summary_url,
        published=_nonempty(_text(children, "pubDate")),
        updated=_nonempty(_text(children, _A_UPDATED)),
        author=_author(_text(children, "author")),
        labels=_labels(c.text for c in children.get("category", ())),
    )


def _rss_page(rss: etree._Element, summary_url: bool) -> FeedPage:
    channel = rss.find("channel")
    if channel is None:
        raise FeedError("RSS without a <channel>")
    children = _children(channel)
    return FeedPage(
        format="rss",
        blog_id=_ids(_text(children, _A_ID))[0],
        blog_url=_nonempty(_text(children, "link")),
        total_results=_opensearch(children, "totalResults"),
        start_index=_opensearch(children, "startIndex"),
        next_url=None,  # Blogger's RSS has no next link; page with start-index
        entries=tuple(_rss_entry(i, summary_url) for i in children.get("item", ())),
    )


def _load_xml(text: str) -> etree._Element:
    # A fresh parser per document: lxml parsers must not be shared between threads,
    # and one costs about 2 µs. recover=False makes a cut-off feed fail loudly
    # instead of silently yielding the entries before the cut.
    parser = etree.XMLParser(
        encoding="utf-8", resolve_entities=False, no_network=True, huge_tree=False, recover=False
    )
    try:
        return etree.fromstring(text.encode("utf-8"), parser)
    except etree.XMLSyntaxError as exc:
        # A whole feed ends by closing its root; anything else was cut off in transit.
        cut = "invalid" if text.rstrip().endswith(("</feed>", "</rss>")) else "truncated"
        raise FeedError(f"{cut} XML: {exc.msg}") from None


def _parse_xml(text: str, summary_url: bool) -> FeedPage:
    root = _load_xml(text)
    if root.tag == _A_FEED:
        return _atom_page(root)
    if root.tag == "rss":
        return _rss_page(root, summary_url)
    raise FeedError(f"XML root <{etree.QName(root).localname}> is neither Atom <feed> nor <rss>")


# --- public API --------------------------------------------------------------------------

def parse_feed(body: bytes | str, *, url: str | None = None, content_type: str | None = None) -> FeedPage:
    """Read one Blogger feed page in any of its formats.

    The format is detected from the body itself; content_type only supplies the charset
    and url only tells whether an RSS feed is the summary feed. Raises FeedError for an
    empty, truncated or malformed document, an HTML page, or JSON that is not a feed.
    """
    # A str decoded as plain utf-8 upstream may still start with the BOM character.
    text = decode_feed(body, content_type).lstrip("\ufeff").lstrip()
    if not text:
        raise FeedError("empty document")
    if text.startswith("{"):
        return _parse_json(text)
    callback = _CALLBACK_HEAD.match(text)
    if callback:
        return _parse_json(_unwrap_callback(text, callback))
    if _HTML_START.match(text):
        raise FeedError("HTML page, not a feed")
    if text.startswith("<"):
        # RSS has no summary element: a summary feed only shows in the URL it came from.
        return _parse_xml(text, is_summary_feed_url(url))
    raise FeedError(f"not a feed: document starts with {text[:20]!r}")


# --- paging ------------------------------------------------------------------------------

def next_start_index(page: FeedPage, start: int, feed_links_next: bool) -> int | None:
    """Where the next feed page starts, or None when this was the last.

    Blogger may cap max-results below what was asked, so a short page is not proof of the end;
    totalResults is, and so is a missing rel=next link on a feed that has shown one. With
    neither, page until an empty page: one request more, nothing missed."""
    got = len(page.entries)
    if got == 0:
        return None
    next_start = (page.start_index or start) + got
    if page.total_results is not None:
        return next_start if next_start <= page.total_results else None
    if feed_links_next and page.next_url is None:
        return None
    return next_start


def blog_offset(page: FeedPage) -> str | None:
    for entry in page.entries:
        for raw in (entry.updated, entry.published):
            offset = offset_of(raw)
            # RSS pubDate is in GMT whatever the blog's zone; atom:updated carries the blog's.
            if offset is not None and not (page.format == "rss" and raw == entry.published):
                return offset
    return None
