"""The field readers: each post field read inside the main post, with the page-wide
fallbacks (page data, JSON-LD, ``<meta>``) a template may give instead."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape
from urllib.parse import urlsplit

from lxml import etree

from newscrawl.blogger.pages.document import Doc, clean_text, data_str, first_str
from newscrawl.blogger.pages.families import (
    ITEMPROP_PUBLISHED,
    ITEMPROP_UPDATED,
    XPATH,
    Family,
    scoped,
)
from newscrawl.blogger.sites import (
    BLOGGER_ID,
    blog_id_in_feed_url,
    is_archive_path,
    is_placeholder_author,
    is_static_path,
)
from newscrawl.language import normalize_language_code

# Page types, as Blogger's page data names them.
ITEM = "item"
INDEX = "index"
ARCHIVE = "archive"
STATIC_PAGE = "static_page"

_SERVICE_POST = etree.XPath("//link[@rel='service.post']/@href", smart_strings=False)
_BLOG_ID_META = etree.XPath("//meta[@itemprop='blogId']/@content", smart_strings=False)
_POST_ID_META = etree.XPath(".//meta[@itemprop='postId']/@content", smart_strings=False)
_DATE_GROUP_HEADER = etree.XPath(
    "ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' date-outer ')][1]"
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' date-header ')]"
)
_POST_BODY_ID = re.compile(r"^post-body-(\d+)$")
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:posted|written|published)\s+by|(?:diposting|ditulis|dikirim|diterbitkan)\s+oleh"
    r"|oleh|by|eingestellt\s+von|publicado\s+por|publi[ée]\s+par|pubblicato\s+da"
    r"|geplaatst\s+door|author|penulis)\b\s*:?\s*",
    re.I,
)
# Blogger prints this when the author's profile is gone; it is not a name.


def page_type(doc: Doc, post_count: int) -> str | None:
    declared = data_str(doc.blog, "pageType")
    if declared:
        return declared
    if post_count == 0:
        return None
    path = urlsplit(doc.canonical_url or doc.url).path
    if post_count > 1:
        return ARCHIVE if is_archive_path(path) else INDEX
    return STATIC_PAGE if is_static_path(path) else ITEM


def blog_id(doc: Doc) -> str | None:
    declared = data_str(doc.blog, "blogId")
    if declared:
        return declared
    for href in _SERVICE_POST(doc.root):
        if found := blog_id_in_feed_url(href):
            return found
    meta = first_str(_BLOG_ID_META(doc.root))
    if meta:
        return meta
    match = BLOGGER_ID.search(doc.text)
    return match["blog"] if match else None


def post_id(doc: Doc, post, body) -> str | None:
    declared = data_str(doc.blog, "postId")
    if declared:
        return declared
    match = _POST_BODY_ID.match(body.get("id") or "")
    if match:
        return match.group(1)
    return first_str(_POST_ID_META(post))


def title(doc: Doc, post, body, family: Family) -> str | None:
    return _first_text(post, body, family.title) or page_title(doc)


def page_title(doc: Doc) -> str | None:
    return (
        clean_text(unescape(data_str(doc.blog, "pageName") or ""))
        or clean_text(doc.ld_value("headline") or "")
        or doc.meta.get("og:title")
        or None
    )


def published(doc: Doc, post, body, family: Family) -> str | None:
    return (
        _first_date_attr(post, body, family.published)
        or page_published(doc)
        or _first_date_attr(post, body, ITEMPROP_PUBLISHED)
        or _first_text(post, body, family.date_text)
        or _date_group_header(post)
    )


def newest_listed(posts, family: Family) -> str | None:
    """The machine-readable date of the newest post a listing page shows.

    Blogger lists newest first, so this is normally the first post's date; the dates are
    still compared, because a page whose order is not newest-first (a reversed archive, a
    post pinned on top by the template) is still dated by its newest post.
    """
    dated = [raw for post, body in posts if (raw := _first_date_attr(post, body, family.published))]
    newest, newest_at = (dated[0] if dated else None), None
    for raw in dated:
        try:
            at = datetime.fromisoformat(raw)
        except ValueError:
            continue
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)  # only ranks the page's own dates
        if newest_at is None or at > newest_at:
            newest, newest_at = raw, at
    return newest


def page_published(doc: Doc) -> str | None:
    return doc.ld_value("datePublished") or doc.meta.get("article:published_time")


def updated(doc: Doc, post, body, family: Family) -> str | None:
    return (
        _first_date_attr(post, body, family.updated)
        or page_updated(doc)
        or _first_date_attr(post, body, ITEMPROP_UPDATED)
    )


def page_updated(doc: Doc) -> str | None:
    return doc.ld_value("dateModified") or doc.meta.get("article:modified_time")


def author(doc: Doc, post, body, family: Family) -> str | None:
    for css in family.author:
        for el in scoped(post, body, XPATH[css]):
            name = _author_name(el.text_content())
            if name:
                return name
    return page_author(doc)


def page_author(doc: Doc) -> str | None:
    """The JSON-LD author, else <meta name=author>."""
    for obj in doc.json_ld:
        authors = obj.get("author")
        for author in authors if isinstance(authors, list) else [authors]:
            name = author.get("name") if isinstance(author, dict) else author
            if isinstance(name, str) and (name := _author_name(name)):
                return name
    return _author_name(doc.meta.get("author", ""))


def _author_name(text: str) -> str | None:
    name = _BYLINE_PREFIX.sub("", clean_text(text)).strip(" :,-")
    return name if name and not is_placeholder_author(name) else None


def labels(post, body, family: Family) -> tuple[str, ...]:
    labels = (clean_text(a.text_content()) for a in scoped(post, body, XPATH[family.labels]))
    return tuple(dict.fromkeys(label for label in labels if label))


def language(root) -> str | None:
    """The page's declared language (``<html lang>``) as an ISO 639-1 code."""
    code = normalize_language_code(root.get("lang"))
    return code if code and len(code) == 2 else None


def _first_text(post, body, alternatives: tuple[str, ...]) -> str | None:
    for css in alternatives:
        for el in scoped(post, body, XPATH[css]):
            text = clean_text(el.text_content())
            if text:
                return text
    return None


def _first_date_attr(post, body, css: str) -> str | None:
    for el in scoped(post, body, XPATH[css]):
        for attr in ("datetime", "content", "title"):
            value = (el.get(attr) or "").strip()
            if value:
                return value
    return None


def _date_group_header(post) -> str | None:
    """The classic "Jumat, 26 April 2019" header of the day group holding the post."""
    for header in _DATE_GROUP_HEADER(post):
        text = clean_text(header.text_content())
        if text:
            return text
    return None
