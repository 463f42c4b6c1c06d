"""A post's content, whichever route read it: the last step of extraction.

``post_from_entry`` (a feed entry) and ``post_from_page`` (a post page) give the same ``Post``
for the same post: the body through the one body cleaner, the autoblog repost footer split off
its text, the language of that text. Everything a record says about the post is here; the
loader (``newscrawl.loaders``) only normalizes these values and fills in ids and run fields.
"""

from __future__ import annotations

from dataclasses import dataclass

from newscrawl.blogger.body import NO_BODY, Body, read_body
from newscrawl.blogger.feeds import FeedEntry
from newscrawl.blogger.footer import split_footer
from newscrawl.blogger.pages import PostPage
from newscrawl.language import detect_language


@dataclass(frozen=True, slots=True)
class Post:
    """Every content field of one post, raw: dates unparsed, URLs as written."""

    url: str | None
    blog_id: str | None
    post_id: str | None
    title: str | None
    author: str | None
    labels: tuple[str, ...]
    published_raw: str | None
    updated_raw: str | None
    html: str | None  # cleaned body HTML, without its wrapper
    text: str | None  # plain text, template lines and the repost footer removed
    images: tuple[str, ...]
    source_url: str | None  # from the repost footer, as printed
    source_published_raw: str | None
    language: str | None  # ISO 639-1 code of the text


def post_from_entry(entry: FeedEntry) -> Post:
    """The post a feed entry carries. A summary entry has no body (its page has it)."""
    body = read_body(entry.html, entry.url or "") if entry.html and not entry.is_summary else NO_BODY
    return _post(
        body, language_hint=None, url=entry.url, blog_id=entry.blog_id, post_id=entry.post_id,
        title=entry.title, author=entry.author, labels=entry.labels, published_raw=entry.published,
        updated_raw=entry.updated,
    )


def post_from_summary(entry: FeedEntry) -> Post:
    """What a summary entry alone says about its post, for a partial record when the post's
    page cannot be read: the metadata, and the summary as the text. The summary is not the
    body, so the post has no html and no images, and no repost footer (the summary is cut
    before the end, where the footer is)."""
    text = read_body(entry.html, entry.url or "").text if entry.html else None
    return Post(
        url=entry.url, blog_id=entry.blog_id, post_id=entry.post_id, title=entry.title,
        author=entry.author, labels=entry.labels, published_raw=entry.published,
        updated_raw=entry.updated, html=None, text=text, images=(), source_url=None,
        source_published_raw=None, language=detect_language(text, hint=None),
    )


def post_from_page(page: PostPage) -> Post:
    """The main post of a post page (see ``parse_post_page``)."""
    return _post(
        page.body, language_hint=page.language, url=page.url, blog_id=page.blog_id,
        post_id=page.post_id, title=page.title, author=page.author, labels=page.labels,
        published_raw=page.published_raw, updated_raw=page.updated_raw,
    )


def _post(body: Body, *, language_hint: str | None, **fields) -> Post:
    footer = split_footer(body.text) if body.text else None
    text = (footer.text or None) if footer else None
    return Post(
        **fields,
        html=body.html,
        text=text,
        images=body.images,
        source_url=footer.source_url if footer else None,
        source_published_raw=footer.source_published_raw if footer else None,
        language=detect_language(text, hint=language_hint),
    )
