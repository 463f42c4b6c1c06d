"""The Article record: every exported field, its type and its meaning, in one place.

Every field is present in every exported line. A field with no value is ``None`` (JSON
``null``) or, for list fields, ``[]``; a field never changes type between records, so the
exports load into pandas, DuckDB or Hugging Face datasets without per-row fixes.
"""

from __future__ import annotations

import scrapy

#: The layout of a record, as ``newscrawl/article.schema.json`` describes it. Raised when a field
#: is added, removed, renamed or changes type, so a consumer can tell exports apart.
SCHEMA_VERSION = 1


class Article(scrapy.Item):
    """One Blogger post, whichever route (feed or page) found it.

    Each field's ``json_type`` and ``doc`` are read by the README's field table and by the
    type check in ``pipelines.ValidateArticlePipeline``, so they cannot drift apart. The
    fields are declared in export order.
    """

    id = scrapy.Field(json_type="string", doc="stable id: 'blogger-<blog_id>-<post_id>' when both are known, else 'url-<sha1 of url>'")
    url = scrapy.Field(json_type="string", doc="canonical post URL")
    site = scrapy.Field(json_type="string", doc="blog host, country aliases folded to .blogspot.com")
    blog_id = scrapy.Field(json_type="string|null", doc="Blogger blog id (a string: it does not fit a double)")
    post_id = scrapy.Field(json_type="string|null", doc="Blogger post id")
    title = scrapy.Field(json_type="string|null", doc="post title")
    text = scrapy.Field(json_type="string|null", doc="clean plain-text body, paragraphs separated by a blank line")
    html = scrapy.Field(json_type="string|null", doc="cleaned post body HTML")
    published = scrapy.Field(json_type="string|null", doc="ISO 8601 with the blog's UTC offset")
    updated = scrapy.Field(json_type="string|null", doc="ISO 8601 with the blog's UTC offset")
    published_precision = scrapy.Field(json_type="string|null", doc="'time' when the source gave a time of day, 'day' when it gave only a date " "(published is then that day's midnight in the blog's offset); null without a date")
    published_raw = scrapy.Field(json_type="string|null", doc="the string the publication date was read from")
    author = scrapy.Field(json_type="string|null", doc="post author")
    labels = scrapy.Field(json_type="list[string]", doc="Blogger labels")
    images = scrapy.Field(json_type="list[string]", doc="absolute URLs of the body's images")
    source_url = scrapy.Field(json_type="string|null", doc="original outlet link from an autoblog footer, as printed")
    source_published = scrapy.Field(json_type="string|null", doc="original outlet time from an autoblog footer, ISO 8601")
    source_url_resolved = scrapy.Field(json_type="string|null", doc="where source_url redirects to (only with -a resolve_links=1)")
    language = scrapy.Field(json_type="string|null", doc="ISO 639-1 code of the text")
    duplicate_of = scrapy.Field(json_type="string|null", doc="id of the first copy of the same article (another mirror's post), or null")
    revision = scrapy.Field(json_type="integer", doc="0 for a post's first export; n when it comes back with a newer updated time")
    route = scrapy.Field(json_type="string", doc="how the post was read: feed-json, feed-atom, feed-rss or page")
    complete = scrapy.Field(json_type="boolean", doc="false for a partial record: the post page failed for good and only its summary feed entry was read " "(title, dates, author, labels; the summary as text; no html); a later run that reads the page exports the whole post as the next revision")
    crawled_at = scrapy.Field(json_type="string", doc="UTC time the record was made, ISO 8601")
    schema_version = scrapy.Field(json_type="integer", doc="version of the record's layout, as in newscrawl/article.schema.json (1)")


ARTICLE_FIELDS: dict[str, tuple[str, str]] = {
    name: (field["json_type"], field["doc"]) for name, field in Article.fields.items()
}

INTEGER_FIELDS = frozenset(name for name, (kind, _) in ARTICLE_FIELDS.items() if kind == "integer")
BOOLEAN_FIELDS = frozenset(name for name, (kind, _) in ARTICLE_FIELDS.items() if kind == "boolean")
LIST_FIELDS = frozenset(name for name, (kind, _) in ARTICLE_FIELDS.items() if kind.startswith("list"))
REQUIRED_FIELDS = frozenset(name for name, (kind, _) in ARTICLE_FIELDS.items() if "null" not in kind and not kind.startswith("list"))
