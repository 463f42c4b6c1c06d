"""The posts feeds: parameters, the page of entries they select, and its four renderings.

``/feeds/posts/{default,full,summary}`` in JSON, json-in-script, Atom and RSS, with Blogger's
paging (start-index, max-results and its cap), orderby and time windows, the self and next
links (on www.blogger.com, by blog id), summary feeds, and a single post's feed as Dynamic
Views reads it. One ``FeedPage`` feeds every format, so they cannot disagree on which
entries a request returns; only the spelling differs, byte for byte as Blogger writes it.
Errors are Google's bare error pages, not the blog's template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from newscrawl.demo.formatting import (
    BadRequest,
    entity_escaped,
    esc,
    google_json,
    int_param,
    iso_ms,
    rfc822,
    time_param,
    truncate_words,
)
from newscrawl.demo.front import Request, Response, text_response
from newscrawl.demo.model import BLOGGER, UNKNOWN_AUTHOR, Blog, Post, profile_url

LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
FEED_NAMESPACES = {
    "xmlns": "http://www.w3.org/2005/Atom",
    "xmlns$openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "xmlns$blogger": "http://schemas.google.com/blogger/2008",
    "xmlns$georss": "http://www.georss.org/georss",
    "xmlns$gd": "http://schemas.google.com/g/2005",
    "xmlns$thr": "http://purl.org/syndication/thread/1.0",
}
ATOM_NAMESPACES = (
    "xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' "
    "xmlns:blogger='http://schemas.google.com/blogger/2008' xmlns:georss='http://www.georss.org/georss' "
    "xmlns:gd=\"http://schemas.google.com/g/2005\" xmlns:thr='http://purl.org/syndication/thread/1.0'"
)
MEDIA_NS = "http://search.yahoo.com/mrss/"
HUB = "http://pubsubhubbub.appspot.com/"
AUTHOR_IMAGE = {
    "rel": "http://schemas.google.com/g/2005#thumbnail",
    "width": "16",
    "height": "16",
    "src": "https://img1.blogblog.com/img/b16-rounded.gif",
}

FEED_FORMATS = ("json", "json-in-script", "atom", "rss")
DEFAULT_MAX_RESULTS = 25
SUMMARY_LENGTH = 200
CALLBACK_NAME = re.compile(r"[A-Za-z_$][\w$.]*")


def google_error(status: int, reason: str, message: str) -> Response:
    """The bare error page Google's front ends answer feed errors with."""
    page = (
        "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n"
        f"  <title>Error {status} ({reason})!!1</title>\n"
        "  <a href=//www.google.com/><span id=logo aria-label=Google></span></a>\n"
        f"  <p><b>{status}.</b> <ins>That\u2019s an error.</ins>\n"
        f"  <p>{message}  <ins>That\u2019s all we know.</ins>\n"
    )
    return text_response(status, page, "html")


def feed_not_found(path: str) -> Response:
    return google_error(404, "Not Found", f"The requested URL <code>{esc(path)}</code> was not found on this server.")


# --- which entries ---------------------------------------------------------------------

@dataclass(frozen=True)
class FeedQuery:
    kind: str  # default | full | summary (the URL's)
    fmt: str  # json | json-in-script | atom | rss
    callback: str
    start_index: int
    max_results: int  # after the cap
    orderby: str  # published | updated
    published_min: datetime | None
    published_max: datetime | None
    updated_min: datetime | None
    updated_max: datetime | None
    params: tuple[tuple[str, str], ...]  # as requested, for the self and next links


def parse_feed_query(kind: str, query: str, blog: Blog) -> FeedQuery:
    """A feed URL's parameters, checked and with Blogger's defaults; raises BadRequest."""
    params = tuple(parse_qsl(query, keep_blank_values=True))
    values = dict(params)
    fmt = values.get("alt") or "atom"
    if fmt not in FEED_FORMATS:
        raise BadRequest(f"Invalid alt parameter: {fmt}")
    callback = values.get("callback") or "gdata.io.handleScriptLoaded"
    if not CALLBACK_NAME.fullmatch(callback):
        raise BadRequest(f"Invalid callback parameter: {callback}")
    orderby = values.get("orderby") or "published"
    if orderby not in ("published", "updated"):
        raise BadRequest(f"Invalid orderby parameter: {orderby}")
    start_index = int_param(values, "start-index", 1, minimum=1)
    max_results = min(int_param(values, "max-results", DEFAULT_MAX_RESULTS, minimum=1), blog.max_results_cap)
    times = {name: time_param(values, name, blog.tz)
             for name in ("published-min", "published-max", "updated-min", "updated-max")}
    by_updated = orderby == "updated"  # Blogger ignores updated-min/max in any other order
    return FeedQuery(
        kind=kind, fmt=fmt, callback=callback, start_index=start_index, max_results=max_results,
        orderby=orderby, published_min=times["published-min"], published_max=times["published-max"],
        updated_min=times["updated-min"] if by_updated else None,
        updated_max=times["updated-max"] if by_updated else None,
        params=params,
    )


@dataclass(frozen=True)
class FeedPage:
    """What one feed request returns, in any format."""

    blog: Blog
    query: FeedQuery
    base: str  # https://host the blog's own links use
    summary: bool
    total: int  # entries matching the windows
    entries: list[Post]

    @property
    def has_more(self) -> bool:
        return self.query.start_index - 1 + len(self.entries) < self.total

    def api_url(self, kind: str) -> str:
        """Where Blogger's feed links point: the blog-id URL on www.blogger.com. The wildcard
        blog is reached on 127.0.0.1 only, so its links stay on the blog."""
        if self.blog.wildcard:
            return f"{self.base}/feeds/posts/{kind}"
        return f"{BLOGGER}/feeds/{self.blog.blog_id}/posts/{kind}"

    def self_url(self) -> str:
        query = urlencode(self.query.params, safe=":")
        return self.api_url(self.query.kind) + (f"?{query}" if query else "")

    def next_url(self) -> str | None:
        if not (self.blog.next_links and self.has_more):
            return None
        others = [(k, v) for k, v in self.query.params if k not in ("alt", "start-index", "max-results")]
        alt = [("alt", self.query.fmt)] if self.query.fmt != "atom" else []
        paging = [("start-index", str(self.query.start_index + self.query.max_results)),
                  ("max-results", str(self.query.max_results))]
        return self.api_url(self.query.kind) + "?" + urlencode(alt + paging + others, safe=":")

    def post_url(self, post: Post) -> str:
        return self.base + post.path

    def content(self, post: Post) -> str:
        return truncate_words(post.text, SUMMARY_LENGTH) if self.summary else post.body


def select_feed_page(blog: Blog, query: FeedQuery, base: str) -> FeedPage:
    """The entries one feed request returns: windows applied, newest first by the order asked
    for, then the start-index / max-results slice."""
    posts = blog.by_updated if query.orderby == "updated" else blog.posts
    matching = [
        post for post in posts
        if (query.published_min is None or post.published >= query.published_min)
        and (query.published_max is None or post.published < query.published_max)
        and (query.updated_min is None or post.updated >= query.updated_min)
        and (query.updated_max is None or post.updated < query.updated_max)
    ]
    start = query.start_index - 1
    return FeedPage(
        blog=blog, query=query, base=base,
        summary=query.kind == "summary" or blog.feeds == "summary",
        total=len(matching), entries=matching[start:start + query.max_results],
    )


# --- JSON ------------------------------------------------------------------------------

def render_json_feed(page: FeedPage) -> str:
    """alt=json: Blogger's GData JSON, entry omitted when the page is empty."""
    blog = page.blog
    feed: dict[str, Any] = dict(FEED_NAMESPACES)
    feed.update({
        "id": {"$t": f"tag:blogger.com,1999:blog-{blog.blog_id}"},
        "updated": {"$t": iso_ms(blog.updated)},
        "category": [{"term": label} for label in blog.labels],
        "title": {"type": "text", "$t": entity_escaped(blog.title)},
        "subtitle": {"type": "html", "$t": blog.description},
        "link": [{"rel": rel, **({"type": kind} if kind else {}), "href": href}
                 for rel, kind, href in _feed_links(page)],
        "author": [_json_author(UNKNOWN_AUTHOR)],
        "generator": {"version": "7.00", "uri": "http://www.blogger.com", "$t": "Blogger"},
    })
    if blog.total_results:
        feed["openSearch$totalResults"] = {"$t": str(page.total)}
    feed["openSearch$startIndex"] = {"$t": str(page.query.start_index)}
    feed["openSearch$itemsPerPage"] = {"$t": str(page.query.max_results)}
    if page.entries:
        feed["entry"] = [_json_entry(page, post) for post in page.entries]
    return google_json({"version": "1.0", "encoding": "UTF-8", "feed": feed})


def render_json_in_script(page: FeedPage) -> str:
    return f"// API callback\n{page.query.callback}({render_json_feed(page)});"


def _feed_links(page: FeedPage) -> list[tuple[str, str | None, str]]:
    links = [
        ("http://schemas.google.com/g/2005#feed", "application/atom+xml", f"{page.base}/feeds/posts/{page.query.kind}"),
        ("self", "application/atom+xml", page.self_url()),
        ("alternate", "text/html", f"{page.base}/"),
        ("hub", None, HUB),
    ]
    next_url = page.next_url()
    if next_url:
        links.append(("next", "application/atom+xml", next_url))
    return links


def _entry_links(page: FeedPage, post: Post) -> list[dict[str, str]]:
    url, title = page.post_url(post), entity_escaped(post.title)
    entry_api = f"{page.api_url('default')}/{post.post_id}"
    return [
        {"rel": "replies", "type": "application/atom+xml",
         "href": f"{page.base}/feeds/{post.post_id}/comments/default", "title": "Post Comments"},
        {"rel": "replies", "type": "text/html", "href": f"{url}#comment-form", "title": "0 Comments"},
        {"rel": "edit", "type": "application/atom+xml", "href": entry_api},
        {"rel": "self", "type": "application/atom+xml", "href": entry_api},
        {"rel": "alternate", "type": "text/html", "href": url, "title": title},
    ]


def _json_author(name: str) -> dict:
    author: dict[str, Any] = {"name": {"$t": name}}
    if name != UNKNOWN_AUTHOR:
        author["uri"] = {"$t": profile_url(name)}
    author["email"] = {"$t": "noreply@blogger.com"}
    author["gd$image"] = dict(AUTHOR_IMAGE)
    return author


def _json_entry(page: FeedPage, post: Post) -> dict:
    entry: dict[str, Any] = {
        "id": {"$t": f"tag:blogger.com,1999:blog-{page.blog.blog_id}.post-{post.post_id}"},
        "published": {"$t": iso_ms(post.published)},
        "updated": {"$t": iso_ms(post.updated)},
        "category": [{"scheme": LABEL_SCHEME, "term": label} for label in post.labels],
        "title": {"type": "text", "$t": entity_escaped(post.title)},
    }
    if page.summary:
        entry["summary"] = {"type": "text", "$t": page.content(post)}
    else:
        entry["content"] = {"type": "html", "$t": post.body}
    entry["link"] = _entry_links(page, post)
    entry["author"] = [_json_author(post.author)]
    if post.thumbnail:
        entry["media$thumbnail"] = {"xmlns$media": MEDIA_NS, "url": post.thumbnail, "height": "72", "width": "72"}
    entry["thr$total"] = {"$t": "0"}
    return entry


# --- Atom and RSS ----------------------------------------------------------------------

def _atom_author(name: str) -> str:
    uri = "" if name == UNKNOWN_AUTHOR else f"<uri>{profile_url(name)}</uri>"
    image = " ".join(f"{k}='{esc(v)}'" for k, v in AUTHOR_IMAGE.items())
    return f"<author><name>{esc(name)}</name>{uri}<email>noreply@blogger.com</email><gd:image {image}/></author>"


def _atom_link(rel: str, kind: str | None, href: str, title: str | None = None) -> str:
    kind_attr = f" type='{kind}'" if kind else ""
    title_attr = f" title='{esc(title)}'" if title is not None else ""
    return f"<link rel='{rel}'{kind_attr} href='{esc(href)}'{title_attr}/>"


def render_atom_feed(page: FeedPage) -> str:
    """The default format: Blogger's Atom 1.0 with openSearch, gd and thr extensions."""
    blog = page.blog
    head = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        '<?xml-stylesheet href="http://www.blogger.com/styles/atom.css" type="text/css"?>',
        f"<feed {ATOM_NAMESPACES}>",
        f"<id>tag:blogger.com,1999:blog-{blog.blog_id}</id>",
        f"<updated>{iso_ms(blog.updated)}</updated>",
        *(f'<category term="{esc(label)}"/>' for label in blog.labels),
        f"<title type='text'>{esc(entity_escaped(blog.title))}</title>",
        f"<subtitle type='html'>{esc(blog.description)}</subtitle>",
        *(_atom_link(rel, kind, href) for rel, kind, href in _feed_links(page)),
        _atom_author(UNKNOWN_AUTHOR),
        "<generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>",
    ]
    if blog.total_results:
        head.append(f"<openSearch:totalResults>{page.total}</openSearch:totalResults>")
    head.append(f"<openSearch:startIndex>{page.query.start_index}</openSearch:startIndex>")
    head.append(f"<openSearch:itemsPerPage>{page.query.max_results}</openSearch:itemsPerPage>")
    return "".join(head + [_atom_entry(page, post) for post in page.entries] + ["</feed>"])


def _atom_entry(page: FeedPage, post: Post) -> str:
    content = (f"<summary type='text'>{esc(page.content(post))}</summary>" if page.summary
               else f"<content type='html'>{esc(post.body)}</content>")
    thumbnail = (f'<media:thumbnail xmlns:media="{MEDIA_NS}" url="{esc(post.thumbnail)}" height="72" width="72"/>'
                 if post.thumbnail else "")
    return "".join([
        "<entry>",
        f"<id>tag:blogger.com,1999:blog-{page.blog.blog_id}.post-{post.post_id}</id>",
        f"<published>{iso_ms(post.published)}</published>",
        f"<updated>{iso_ms(post.updated)}</updated>",
        *(f'<category scheme="{LABEL_SCHEME}" term="{esc(label)}"/>' for label in post.labels),
        f"<title type='text'>{esc(entity_escaped(post.title))}</title>",
        content,
        *(_atom_link(link["rel"], link["type"], link["href"], link.get("title")) for link in _entry_links(page, post)),
        _atom_author(post.author),
        thumbnail,
        "<thr:total>0</thr:total>",
        "</entry>",
    ])


def render_rss_feed(page: FeedPage) -> str:
    """alt=rss: RSS 2.0 with GMT dates; Blogger's RSS has no next link."""
    blog = page.blog
    # RSS keeps the Atom namespace for a few elements, under the atom: prefix.
    namespaces = ATOM_NAMESPACES.replace("xmlns='", "xmlns:atom='", 1)
    channel = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        f"<rss {namespaces} version='2.0'><channel>",
        f"<atom:id>tag:blogger.com,1999:blog-{blog.blog_id}</atom:id>",
        f"<lastBuildDate>{rfc822(blog.updated)}</lastBuildDate>",
        *(f"<category>{esc(label)}</category>" for label in blog.labels),
        f"<title>{esc(entity_escaped(blog.title))}</title>",
        f"<description>{esc(blog.description)}</description>",
        f"<link>{esc(page.base)}/</link>",
        f"<managingEditor>noreply@blogger.com ({UNKNOWN_AUTHOR})</managingEditor>",
        "<generator>Blogger</generator>",
    ]
    if blog.total_results:
        channel.append(f"<openSearch:totalResults>{page.total}</openSearch:totalResults>")
    channel.append(f"<openSearch:startIndex>{page.query.start_index}</openSearch:startIndex>")
    channel.append(f"<openSearch:itemsPerPage>{page.query.max_results}</openSearch:itemsPerPage>")
    return "".join(channel + [_rss_item(page, post) for post in page.entries] + ["</channel></rss>"])


def _rss_item(page: FeedPage, post: Post) -> str:
    thumbnail = (f"<media:thumbnail xmlns:media='{MEDIA_NS}' url='{esc(post.thumbnail)}' height='72' width='72'/>"
                 if post.thumbnail else "")
    return "".join([
        "<item>",
        f"<guid isPermaLink='false'>tag:blogger.com,1999:blog-{page.blog.blog_id}.post-{post.post_id}</guid>",
        f"<pubDate>{rfc822(post.published)}</pubDate>",
        f"<atom:updated>{iso_ms(post.updated)}</atom:updated>",
        *(f"<category domain='{LABEL_SCHEME}'>{esc(label)}</category>" for label in post.labels),
        f"<title>{esc(entity_escaped(post.title))}</title>",
        f"<description>{esc(page.content(post))}</description>",
        f"<link>{esc(page.post_url(post))}</link>",
        f"<author>noreply@blogger.com ({esc(post.author)})</author>",
        thumbnail,
        "<thr:total>0</thr:total>",
        "</item>",
    ])


# --- serving ---------------------------------------------------------------------------

FEED_RENDERERS = {
    "json": render_json_feed,
    "json-in-script": render_json_in_script,
    "atom": render_atom_feed,
    "rss": render_rss_feed,
}


def serve_feed(blog: Blog, request: Request, kind: str) -> Response:
    """A posts feed, or the error the blog's feed settings call for."""
    if blog.feeds == "disabled":
        return feed_not_found(request.path)
    if blog.feeds == "forbidden":
        return google_error(403, "Forbidden", "Your client does not have permission to get this feed from this server.")
    try:
        query = parse_feed_query(kind, urlsplit(request.target).query, blog)
    except BadRequest as problem:
        return google_error(400, "Bad Request", esc(str(problem)))
    family = "json" if query.fmt.startswith("json") else query.fmt
    if family in blog.refuse_formats:
        message = f"The feed format <code>{esc(query.fmt)}</code> is not available for this blog."
        return google_error(400, "Bad Request", message)
    page = select_feed_page(blog, query, blog.base(request))
    return text_response(200, FEED_RENDERERS[query.fmt](page), query.fmt)


def serve_feed_entry(blog: Blog, request: Request, kind: str, post_id: str) -> Response:
    """One post's own feed, /feeds/posts/<kind>/<postId>: alt=json gives the lone entry."""
    if blog.feeds == "disabled":
        return feed_not_found(request.path)
    if blog.feeds == "forbidden":
        return google_error(403, "Forbidden", "Your client does not have permission to get this feed from this server.")
    post = next((p for p in blog.posts if p.post_id == post_id), None)
    if post is None:
        return feed_not_found(request.path)
    try:
        query = parse_feed_query(kind, urlsplit(request.target).query, blog)
    except BadRequest as problem:
        return google_error(400, "Bad Request", esc(str(problem)))
    if query.fmt != "json":
        return google_error(400, "Bad Request", "This emulator serves a single post's feed as alt=json only.")
    page = FeedPage(blog, query, blog.base(request), summary=kind == "summary" or blog.feeds == "summary",
                    total=1, entries=[post])
    return text_response(200, google_json({"version": "1.0", "encoding": "UTF-8", "entry": _json_entry(page, post)}),
                         "json")
