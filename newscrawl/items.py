"""The Article record: every exported field, its type and its meaning, in one place.

Every field is present in every exported line. A field with no value is ``None`` (JSON
``null``) or, for list fields, ``[]``; a field never changes type between records, so the
exports load into pandas, DuckDB or Hugging Face datasets without per-row fixes.
"""

from __future__ import annotations

import scrapy

#: field name -> (JSON type, meaning). The README's field table and the type check in
#: ``pipelines.ValidateArticlePipeline`` both read this, so they cannot drift apart.
ARTICLE_FIELDS: dict[str, tuple[str, str]] = {
    "id": ("string", "stable id: 'blogger-<blog_id>-<post_id>' when both are known, else 'url-<sha1 of url>'"),
    "url": ("string", "canonical post URL"),
    "site": ("string", "blog host, country aliases folded to .blogspot.com"),
    "blog_id": ("string|null", "Blogger blog id (a string: it does not fit a double)"),
    "post_id": ("string|null", "Blogger post id"),
    "title": ("string|null", "post title"),
    "text": ("string|null", "clean plain-text body, paragraphs separated by a blank line"),
    "html": ("string|null", "cleaned post body HTML"),
    "published": ("string|null", "ISO 8601 with the blog's UTC offset"),
    "updated": ("string|null", "ISO 8601 with the blog's UTC offset"),
    "published_precision": ("string|null", "'time' when the source gave a time of day, 'day' when it gave only a date "
                                           "(published is then that day's midnight in the blog's offset); null without a date"),
    "published_raw": ("string|null", "the string the publication date was read from"),
    "author": ("string|null", "post author"),
    "labels": ("list[string]", "Blogger labels"),
    "images": ("list[string]", "absolute URLs of the body's images"),
    "source_url": ("string|null", "original outlet link from an autoblog footer, as printed"),
    "source_published": ("string|null", "original outlet time from an autoblog footer, ISO 8601"),
    "source_url_resolved": ("string|null", "where source_url redirects to (only with -a resolve_links=1)"),
    "language": ("string|null", "ISO 639-1 code of the text"),
    "duplicate_of": ("string|null", "id of the first copy of the same article (another mirror's post), or null"),
    "revision": ("integer", "0 for a post's first export; n when it comes back with a newer updated time"),
    "route": ("string", "how the post was read: feed-json, feed-atom, feed-rss or page"),
    "crawled_at": ("string", "UTC time the record was made, ISO 8601"),
}

INTEGER_FIELDS = frozenset(name for name, (kind, _) in ARTICLE_FIELDS.items() if kind == "integer")
LIST_FIELDS = frozenset(name for name, (kind, _) in ARTICLE_FIELDS.items() if kind.startswith("list"))
REQUIRED_FIELDS = frozenset(name for name, (kind, _) in ARTICLE_FIELDS.items() if "null" not in kind and not kind.startswith("list"))


# Built from ARTICLE_FIELDS so the table above stays the single list of fields; each Field
# carries its JSON type and meaning as metadata.
Article = type(
    "Article",
    (scrapy.Item,),
    {
        "__doc__": "One Blogger post, whichever route (feed or page) found it.",
        "__module__": __name__,
        **{name: scrapy.Field(json_type=kind, doc=doc) for name, (kind, doc) in ARTICLE_FIELDS.items()},
    },
)
