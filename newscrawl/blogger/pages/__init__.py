"""Read a Blogger post page into a PostPage, with no crawler involved.

Blogger renders the same post through very different templates. ``families.FAMILIES`` is
the one place that says which template families exist and which selectors each uses. A page
is read in three steps:

1. page-wide facts: the ``_WidgetManager._SetDataContext`` page data, JSON-LD, ``<meta>``,
   ``<link rel=canonical>``;
2. the first family whose markup is present locates every post, and the main post is
   picked among them (by the post id from the page data when there is one);
3. every post field is read inside the main post only, skipping the post body and
   related/share/comment blocks, so nothing leaks in from related posts, popular-post
   gadgets, comments or sidebars; the body goes through the one body cleaner
   (``newscrawl.blogger.body``). Pages no family knows fall back to trafilatura.

The package's modules, in the order a page meets them: ``document`` (decoding, parsing,
page-wide facts), ``pagedata`` (Blogger's page data script), ``families`` (template families,
posts, the main post), ``fields`` (one reader per field), ``generic`` (the fallback).
"""

from __future__ import annotations

from dataclasses import dataclass

from newscrawl.blogger.body import Body, clean_body
from newscrawl.blogger.decoding import decode_html, xml_compatible
from newscrawl.blogger.pages import fields
from newscrawl.blogger.pages.document import LOOKS_LIKE_HTML, Doc, data_str
from newscrawl.blogger.pages.fields import ARCHIVE, INDEX, ITEM, STATIC_PAGE
from newscrawl.blogger.pages.families import FAMILIES, Family, match_family, main_post
from newscrawl.blogger.pages.generic import generic_body

__all__ = ["ARCHIVE", "DYNAMIC", "FAMILIES", "GENERIC", "INDEX", "ITEM", "STATIC_PAGE", "Family", "PostPage", "parse_post_page"]

GENERIC = "generic"
DYNAMIC = "dynamic"  # Dynamic Views shells: no post in the page


@dataclass(frozen=True)
class PostPage:
    """What one Blogger page says about itself and, on a post page, about its main post.

    Post fields (``post_id``, ``title``, ``html``, ``text``, ``updated_raw``, ``author``,
    ``labels``, ``images``) are filled on post pages only; ``html``, ``text`` and ``images``
    are the cleaned body (see ``newscrawl.blogger.body.Body``). A listing page (``page_type`` 'index' or
    'archive') gets the page-level fields plus ``published_raw``: the machine-readable
    date (``abbr.published[title]``, ``time[datetime]``) of the newest post it lists,
    which is the page's own date (the last time its content changed, as htmldate reads a
    page's date). It is None when the listed posts carry no such date.

    ``template`` names the family that matched (see FAMILIES), 'generic' when trafilatura
    found the body, or 'dynamic' for a Dynamic Views shell, whose post is not in the page
    (``html`` None; the crawler reads such a post from its own feed).
    """

    page_type: str | None
    url: str | None
    blog_id: str | None
    post_id: str | None
    title: str | None
    html: str | None
    text: str | None
    published_raw: str | None
    updated_raw: str | None
    author: str | None
    labels: tuple[str, ...]
    images: tuple[str, ...]
    template: str
    language: str | None  # as the page declares it (<html lang>), ISO 639-1

    @property
    def body(self) -> Body:
        return Body(self.html, self.text, self.images)


_NOT_HTML = PostPage(
    page_type=None, url=None, blog_id=None, post_id=None, title=None, html=None, text=None,
    published_raw=None, updated_raw=None, author=None, labels=(), images=(),
    template=GENERIC, language=None,
)


def parse_post_page(body: bytes | str, url: str, *, encoding: str | None = None) -> PostPage:
    """Read a Blogger page: page type, canonical URL and ids, and the main post's fields.

    ``url`` is where the page was fetched from (a ``file://`` URL for a saved page); it
    resolves relative links and images unless the page has ``<base href>``. ``encoding``
    overrides the page's own declaration for ``bytes`` input. Post fields are filled only
    on post pages (``page_type`` 'item', or unknown); other pages get the page-level
    fields, and listing pages also the newest listed post's date (see ``PostPage``).
    Never raises on malformed input: a body that is not HTML gives an empty page.
    """
    text = xml_compatible(decode_html(body, encoding))
    if not LOOKS_LIKE_HTML.search(text):
        return _NOT_HTML
    doc = Doc(text, url)
    family, posts = match_family(doc.root)
    page_type = fields.page_type(doc, len(posts))
    page = dict(
        page_type=page_type,
        url=doc.canonical_url,
        blog_id=fields.blog_id(doc),
        language=fields.language(doc.root),
    )
    if page_type not in (ITEM, None):
        listing = page_type in (INDEX, ARCHIVE) and family is not None
        return PostPage(
            **page, post_id=None, title=None, html=None, text=None,
            published_raw=fields.newest_listed(posts, family) if listing else None,
            updated_raw=None, author=None, labels=(), images=(),
            template=family.name if family else GENERIC,
        )
    if not posts:
        if doc.meta.get("blogger-template") == "dynamic":
            # Dynamic Views: the post is drawn by script from its feed; the page holds only
            # chrome, which a generic extractor would take for the article.
            return PostPage(
                **page, post_id=data_str(doc.blog, "postId"), title=fields.page_title(doc),
                html=None, text=None, published_raw=None, updated_raw=None, author=None,
                labels=(), images=(), template=DYNAMIC,
            )
        return _generic_post(doc, page)
    post, post_body = main_post(posts, data_str(doc.blog, "postId"))
    cleaned = clean_body(post_body, doc.base_url, doc.blog_url)
    return PostPage(
        **page,
        post_id=fields.post_id(doc, post, post_body),
        title=fields.title(doc, post, post_body, family),
        html=cleaned.html,
        text=cleaned.text,
        published_raw=fields.published(doc, post, post_body, family),
        updated_raw=fields.updated(doc, post, post_body, family),
        author=fields.author(doc, post, post_body, family),
        labels=fields.labels(post, post_body, family),
        images=cleaned.images,
        template=family.name,
    )


def _generic_post(doc: Doc, page: dict) -> PostPage:
    """A post page no family knows: trafilatura finds the text, page-wide data the rest."""
    cleaned = generic_body(doc)
    return PostPage(
        **page,
        post_id=data_str(doc.blog, "postId"),
        title=fields.page_title(doc),
        html=cleaned.html,
        text=cleaned.text,
        published_raw=fields.page_published(doc),
        updated_raw=fields.page_updated(doc),
        author=fields.page_author(doc),
        labels=(),
        images=cleaned.images,
        template=GENERIC,
    )
