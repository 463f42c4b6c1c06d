"""ArticleLoader: the processors that normalize each field, and the two ways a record is built.

A post gives the same record whichever route found it: ``article_from_entry`` (a full feed
entry) and ``article_from_page`` (a post page, optionally completed by its summary feed entry)
both end in ``_finish``, which derives text, the autoblog footer fields, language and id from the
same cleaned body HTML.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from functools import lru_cache

from itemloaders import ItemLoader
from itemloaders.processors import Identity, MapCompose, TakeFirst

from newscrawl.blogger.feeds import FeedEntry
from newscrawl.blogger.footer import split_footer
from newscrawl.blogger.pages import PostPage, read_post_body
from newscrawl.dates import parse_date_detail, to_iso, zone
from newscrawl.items import ARTICLE_FIELDS, LIST_FIELDS, Article
from newscrawl.language import detect_language
from newscrawl.text import clean_html, html_to_text, normalize_text, strip_boilerplate
from newscrawl.urls import blog_host, canonicalize_url



def offset_of(raw: str | None) -> str | None:
    """The UTC offset (``+07:00``) a timestamp string carries, or None: how a blog's own
    timestamps reveal its time zone."""
    parsed = parse_date_detail(raw) if raw else None
    if parsed is None or not parsed.has_offset:
        return None
    return to_iso(parsed.value)[-6:]


def _text(value: str) -> str | None:
    return normalize_text(value) or None


def _author(value: str) -> str | None:
    # Bylines ("Diposting oleh ...") are cut where the page is read; Blogger writes 'Unknown'
    # for a profile it cannot show, which is not a name.
    cleaned = normalize_text(value)
    return cleaned if cleaned and cleaned.lower() not in {"unknown", "anonymous"} else None


def _date(value: str, loader_context: dict) -> str | None:
    """ISO 8601 in the blog's offset; a naive string is read in the blog's offset."""
    parsed = _parse(value, loader_context)
    return to_iso(parsed.value.astimezone(zone(loader_context["tz"]))) if parsed else None


def _precision(value: str, loader_context: dict) -> str | None:
    """'day' for a date without a time of day, so midnight is never mistaken for a time."""
    parsed = _parse(value, loader_context)
    if parsed is None:
        return None
    return "time" if parsed.has_time else "day"


def _parse(value: str, loader_context: dict):
    return _parse_in(value, loader_context["tz"], loader_context.get("now"))


@lru_cache(maxsize=256)
def _parse_in(value: str, tz: str, now: datetime | None):
    # A published string is read three times per record (value, precision, presence check).
    return parse_date_detail(value, tz=tz, now=now)


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v for v in values if v))


class ArticleLoader(ItemLoader):
    """Normalizes raw values into an Article; context: ``tz`` (blog offset), ``now``, ``base_url``."""

    default_item_class = Article
    default_output_processor = TakeFirst()

    url_in = MapCompose(str.strip, canonicalize_url)
    site_in = MapCompose(blog_host)
    title_in = MapCompose(_text)
    author_in = MapCompose(_author)
    published_in = MapCompose(_date)
    published_precision_in = MapCompose(_precision)
    updated_in = MapCompose(_date)
    source_published_in = MapCompose(_date)
    published_raw_in = MapCompose(str.strip)
    labels_in = MapCompose(_text)
    labels_out = _unique
    images_in = MapCompose(str.strip)
    images_out = _unique
    # Already clean by the time they are added (see _finish); keep them as they are.
    html_in = Identity()
    text_in = Identity()


def article_id(blog_id: str | None, post_id: str | None, url: str) -> str:
    """Blogger's own ids when known (stable across routes and URL variants), else a URL hash."""
    if blog_id and post_id:
        return f"blogger-{blog_id}-{post_id}"
    return "url-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:20]


def article_from_entry(
    entry: FeedEntry, *, route: str, tz: str, crawled_at: datetime, fallback_blog_id: str | None = None
) -> Article:
    """The record for a full-content feed entry: no page request needed."""
    loader = _loader(tz, crawled_at, entry.url)
    _add_entry(loader, entry)
    body = read_post_body(entry.html, entry.url or "") if entry.html else None
    if body is not None:
        loader.add_value("images", list(body.images))
    return _finish(
        loader, body.html if body else None, route=route,
        blog_id=entry.blog_id or fallback_blog_id, post_id=entry.post_id,
    )


def article_from_page(
    page: PostPage,
    *,
    fetched_url: str,
    tz: str,
    crawled_at: datetime,
    entry: FeedEntry | None = None,
    fallback_blog_id: str | None = None,
) -> Article:
    """The record for a post page; values the page lacks come from its feed entry, if any."""
    url = page.url or (entry.url if entry else None) or fetched_url
    loader = _loader(tz, crawled_at, url)
    loader.add_value("title", page.title)
    loader.add_value("author", page.author)
    loader.add_value("labels", list(page.labels))
    loader.add_value("images", list(page.images))
    if page.published_raw:
        _add_published(loader, page.published_raw)
    loader.add_value("updated", page.updated_raw)
    if entry is not None:
        _add_entry(loader, entry)  # TakeFirst keeps the page's value where it had one
    blog_id = page.blog_id or (entry.blog_id if entry else None) or fallback_blog_id
    post_id = page.post_id or (entry.post_id if entry else None)
    return _finish(loader, page.html, route="page", blog_id=blog_id, post_id=post_id, language_hint=page.language)


def _loader(tz: str, crawled_at: datetime, url: str | None) -> ArticleLoader:
    loader = ArticleLoader(tz=tz, now=crawled_at, base_url=url)
    loader.add_value("url", url)
    loader.add_value("site", url)
    loader.add_value("crawled_at", to_iso(crawled_at.astimezone(timezone.utc)))
    return loader


def _add_published(loader: ArticleLoader, raw: str | None) -> None:
    # Added only together, so the three always describe the same source string (TakeFirst
    # keeps the first source that gave one).
    if raw and _parse(raw, loader.context) is not None:
        loader.add_value("published", raw)
        loader.add_value("published_precision", raw)
        loader.add_value("published_raw", raw)


def _add_entry(loader: ArticleLoader, entry: FeedEntry) -> None:
    loader.add_value("title", entry.title)
    loader.add_value("author", entry.author)
    loader.add_value("labels", list(entry.labels))
    _add_published(loader, entry.published)
    loader.add_value("updated", entry.updated)


def _finish(
    loader: ArticleLoader,
    html: str | None,
    *,
    route: str,
    blog_id: str | None,
    post_id: str | None,
    language_hint: str | None = None,
) -> Article:
    base_url = loader.context["base_url"]
    body = clean_html(html, base_url=base_url) if html else None
    footer = split_footer(strip_boilerplate(html_to_text(body))) if body else None
    text = footer.text if footer else None
    loader.add_value("html", body or None)
    loader.add_value("text", text or None)
    if footer is not None:
        loader.add_value("source_url", footer.source_url)
        loader.add_value("source_published", footer.source_published_raw)
    loader.add_value("blog_id", blog_id)
    loader.add_value("post_id", post_id)
    loader.add_value("route", route)
    loader.add_value("language", detect_language(text, hint=language_hint))
    item = loader.load_item()
    item["id"] = article_id(blog_id, post_id, item["url"])
    item["revision"] = 0  # the dedup pipeline raises it when a post comes back updated
    # Scrapy items omit unset fields; the export contract says every field is present.
    for name in ARTICLE_FIELDS:
        if name not in item:
            item[name] = [] if name in LIST_FIELDS else None
    return item
