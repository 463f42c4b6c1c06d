"""ArticleLoader: the processors that normalize each field, and the one way a record is built.

Extraction (``newscrawl.blogger.post``) has made every content field; the loader only
normalizes values (dates into the blog's offset, URLs canonical, whitespace, lists without
repeats), takes the first source that gave a value, and adds the ids and the run's fields.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from functools import lru_cache

from itemloaders import ItemLoader
from itemloaders.processors import MapCompose, TakeFirst

from newscrawl.blogger.post import Post
from newscrawl.blogger.sites import is_placeholder_author
from newscrawl.dates import parse_date_detail, to_iso, zone
from newscrawl.items import LIST_FIELDS, SCHEMA_VERSION, Article
from newscrawl.text import normalize_text
from newscrawl.urls import blog_host, canonicalize_url


def _text(value: str) -> str | None:
    return normalize_text(value) or None


def _author(value: str) -> str | None:
    # Bylines ("Diposting oleh ...") are cut where the page is read.
    cleaned = normalize_text(value)
    return cleaned if cleaned and not is_placeholder_author(cleaned) else None


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
    """Normalizes raw values into an Article; context: ``tz`` (blog offset), ``now``."""

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


def article_id(blog_id: str | None, post_id: str | None, url: str) -> str:
    """Blogger's own ids when known (stable across routes and URL variants), else a URL hash."""
    if blog_id and post_id:
        return f"blogger-{blog_id}-{post_id}"
    return "url-" + hashlib.sha1(url.encode("utf-8")).hexdigest()[:20]


def article_from_post(
    post: Post,
    *,
    route: str,
    tz: str,
    crawled_at: datetime,
    fallback: Post | None = None,
    fetched_url: str | None = None,
    fallback_blog_id: str | None = None,
    complete: bool = True,
) -> Article:
    """The record of ``post``. ``fallback`` (a page's summary feed entry) supplies the
    metadata the post lacks and adds its labels; the body is the post's own. ``fetched_url``
    is the URL used when neither names the post; ``route`` how it was read ('feed-json',
    'feed-atom', 'feed-rss', 'page'); ``complete`` is False for a partial record (the post
    read from its summary entry alone, see ``post.post_from_summary``)."""
    sources = (post,) if fallback is None else (post, fallback)
    url = next((source.url for source in sources if source.url), None) or fetched_url
    loader = ArticleLoader(tz=tz, now=crawled_at)
    loader.add_value("url", url)
    loader.add_value("site", url)
    for source in sources:
        loader.add_value("title", source.title)
        loader.add_value("author", source.author)
        loader.add_value("labels", list(source.labels))
        # Added only together, so the three always describe the same source string.
        if source.published_raw and _parse(source.published_raw, loader.context) is not None:
            loader.add_value("published", source.published_raw)
            loader.add_value("published_precision", source.published_raw)
            loader.add_value("published_raw", source.published_raw)
        loader.add_value("updated", source.updated_raw)
    loader.add_value("images", list(post.images))
    loader.add_value("source_published", post.source_published_raw)
    blog_id = next((s.blog_id for s in sources if s.blog_id), None) or fallback_blog_id
    post_id = next((s.post_id for s in sources if s.post_id), None)
    item = loader.load_item()
    # Values that are final when they reach the record (the body cleaner's html and text, ids,
    # the route, the language code, the source link as printed) are set directly: passing each
    # through the loader's processor chain was a fifth of a feed entry's cost and changed
    # nothing. An empty value is null, as the loader's TakeFirst would make it.
    final = {
        "html": post.html, "text": post.text, "source_url": post.source_url, "language": post.language,
        "route": route, "blog_id": blog_id, "post_id": post_id,
        "crawled_at": to_iso(crawled_at.astimezone(timezone.utc)),
    }
    for name, value in final.items():
        item[name] = value or None
    item["id"] = article_id(blog_id, post_id, item["url"])
    item["revision"] = 0  # the dedup pipeline raises it when a post comes back updated
    item["complete"] = complete
    item["schema_version"] = SCHEMA_VERSION
    # Scrapy items omit unset fields; the export contract says every field is present.
    for name in Article.fields:
        if name not in item:
            item[name] = [] if name in LIST_FIELDS else None
    return item
