"""The blog's HTML pages: post pages, listings (home, search, labels), archives, the static
page, the in-template 404, and Dynamic Views shells.

Each page is a ``PageView`` (Blogger's pageType, name, canonical URL, main column) laid out
by ``render_page`` with the blocks of ``widgets.py`` and the page-data script a crawler reads
the page type and post id from.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from newscrawl.demo.formatting import (
    MONTHS,
    BadRequest,
    clock,
    date_header,
    esc,
    int_param,
    iso_seconds,
    js_literal,
    strings,
    time_param,
)
from newscrawl.demo.front import Request, Response, text_response
from newscrawl.demo.model import BLOGGER, Blog, Post, derived_id
from newscrawl.demo.widgets import (
    label_url,
    render_comments,
    render_footer,
    render_header,
    render_item_pager,
    render_menu,
    render_pager,
    render_related_posts,
    render_share_block,
    render_sidebar,
)

LISTING_PAGE_SIZE = 8  # "posts on the main page" of the demo template


@dataclass(frozen=True)
class PageView:
    """One HTML page: its type (Blogger's pageType), name and the main column's HTML."""

    page_type: str  # item | index | archive | static_page | error_page
    name: str
    canonical: str
    main: str
    post: Post | None = None
    description: str = ""
    head_extra: str = ""  # more <head> tags, e.g. the Dynamic Views template marker


def render_page(blog: Blog, request: Request, view: PageView) -> str:
    """The whole document around a page's main column: head, header, sidebar, footer and the
    widget scripts that carry the page data."""
    base, lang = blog.base(request), blog.language
    image = view.post.image if view.post else None
    return "\n".join([
        "<!DOCTYPE html>",
        f"<html class='v2' dir='ltr' lang='{esc(lang)}' xmlns='http://www.w3.org/1999/xhtml' "
        "xmlns:b='http://www.google.com/2005/gml/b' xmlns:data='http://www.google.com/2005/gml/data' "
        "xmlns:expr='http://www.google.com/2005/gml/expr'>",
        "<head>",
        "<meta content='width=1100' name='viewport'/>",
        "<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>",
        "<meta content='blogger' name='generator'/>",
        view.head_extra,
        f"<link href='{base}/favicon.ico' rel='icon' type='image/x-icon'/>",
        f"<link href='{esc(view.canonical)}' rel='canonical'/>",
        feed_link_tags(blog, base, view.post),
        f"<meta content='{esc(view.canonical)}' property='og:url'/>",
        f"<meta content='{esc(view.name)}' property='og:title'/>",
        f"<meta content='{esc(view.description)}' property='og:description'/>",
        f"<meta content='{esc(image)}' property='og:image'/>" if image else "",
        f"<title>{esc(page_title(blog, view))}</title>",
        "<style id='page-skin-1' type='text/css'><!--\nbody{font:normal normal 14px Arial,sans-serif}"
        "\n.post-body{line-height:1.6}\n--></style>",
        "</head>",
        f"<body class='loading{' mobile' if request.query.get('m') == '1' else ''}'>",
        "<div class='navbar section' id='navbar'><div class='widget Navbar' data-version='1' id='Navbar1'>"
        "<div id='navbar-iframe-container'></div></div></div>",
        "<div class='outer-wrapper'>",
        render_header(blog, base),
        render_menu(blog, base),
        "<div class='main-inner'><div class='columns'>",
        "<div class='main-outer'><div class='main section' id='main'>"
        f"<div class='widget Blog' data-version='1' id='Blog1'>\n{view.main}\n</div></div></div>",
        render_sidebar(blog, base, view.post),
        "</div></div>",
        render_footer(blog, base),
        "</div>",
        page_data_script(blog, request, view),
        "</body>",
        "</html>",
    ])


def page_title(blog: Blog, view: PageView) -> str:
    """'Blog: Page', as classic templates title every page but the home page."""
    return blog.title if view.page_type == "index" and not view.name else f"{blog.title}: {view.name}"


def feed_link_tags(blog: Blog, base: str, post: Post | None) -> str:
    """Autodiscovery links, as Blogger prints them in the head (and in the page data)."""
    title = esc(blog.title)
    tags = [
        f'<link rel="alternate" type="application/atom+xml" title="{title} - Atom" '
        f'href="{base}/feeds/posts/default" />',
        f'<link rel="alternate" type="application/rss+xml" title="{title} - RSS" '
        f'href="{base}/feeds/posts/default?alt=rss" />',
        f'<link rel="service.post" type="application/atom+xml" title="{title} - Atom" '
        f'href="{BLOGGER}/feeds/{blog.blog_id}/posts/default" />',
    ]
    if post is not None:
        tags.append(f'\n<link rel="alternate" type="application/atom+xml" title="{title} - Atom" '
                    f'href="{base}/feeds/{post.post_id}/comments/default" />')
    return "\n".join(tags) + "\n"


def page_data_script(blog: Blog, request: Request, view: PageView) -> str:
    """The widget bootstrap script: _WidgetManager._Init and _SetDataContext with the page data
    (blog id, canonical URL, page type, post id), in Blogger's JavaScript notation."""
    base = blog.base(request)
    canonical_home = f"https://{blog.host}/" if not blog.wildcard else f"{base}/"
    data: dict[str, Any] = {
        "blogId": blog.blog_id, "title": blog.title, "url": request.url, "canonicalUrl": view.canonical,
        "homepageUrl": f"{base}/", "searchUrl": f"{base}/search", "canonicalHomepageUrl": canonical_home,
        "blogspotFaviconUrl": f"{base}/favicon.ico", "bloggerUrl": BLOGGER,
        "hasCustomDomain": not blog.host.endswith(".blogspot.com"), "httpsEnabled": True,
        "enabledCommentProfileImages": True, "gPlusViewType": "FILTERED_POSTMOD", "adultContent": False,
        "analyticsAccountNumber": "", "encoding": "UTF-8", "locale": blog.language,
        "localeUnderscoreDelimited": blog.language, "languageDirection": "ltr", "isPrivate": False,
        "isMobile": False, "isMobileRequest": request.query.get("m") == "1", "mobileClass": "",
        "isPrivateBlog": False, "isDynamicViewsAvailable": True,
        "feedLinks": feed_link_tags(blog, base, view.post), "meTag": "",
        "adsenseHostId": "ca-host-pub-1556223355139109", "adsenseHasAds": False, "view": "",
        "hasCustomJumpLinkMessage": False, "jumpLinkMessage": strings(blog.language)["read_more"],
        "pageType": view.page_type,
    }
    if view.post is not None:
        data["postId"] = view.post.post_id
        if view.post.image:
            data["postImageThumbnailUrl"] = view.post.thumbnail
            data["postImageUrl"] = view.post.image
    data.update({"pageName": view.name, "pageTitle": page_title(blog, view), "metaDescription": view.description})
    view_data: dict[str, Any] = {
        "isMobile": False, "title": view.name, "description": view.description, "url": request.url,
        "type": view.page_type, "isSingleItem": view.page_type in ("item", "static_page"),
        "isMultipleItems": view.page_type in ("index", "archive"), "isError": view.page_type == "error_page",
        "isPage": view.page_type == "static_page", "isPost": view.page_type == "item",
        "isHomepage": view.page_type == "index" and request.path == "/", "isArchive": view.page_type == "archive",
        "isLabelSearch": request.path.startswith("/search/label/"),
    }
    context = [
        {"name": "blog", "data": data},
        {"name": "features", "data": {"sharing_get_link_dialog": "true", "sharing_native": "false"}},
        {"name": "messages", "data": {"edit": "Edit", "linkCopiedToClipboard": "Link copied to clipboard!",
                                      "ok": "Ok", "postLink": "Post Link"}},
        {"name": "template", "data": {"name": "custom", "localizedName": "Custom", "isResponsive": False,
                                      "isAlternateRendering": False, "isCustom": True}},
        {"name": "view", "data": view_data},
    ]
    return (
        '<script type="text/javascript" src="https://www.blogger.com/static/v1/widgets/2975350028-widgets.js">'
        "</script>\n"
        "<script type='text/javascript'>\n"
        f"_WidgetManager._Init({js_literal(f'//www.blogger.com/rearrange?blogID={blog.blog_id}')},"
        f"{js_literal('//' + request.authority + request.target)},{js_literal(blog.blog_id)});\n"
        f"_WidgetManager._SetDataContext({js_literal(context)});\n"
        "_WidgetManager._RegisterWidget('_HeaderView', new _WidgetInfo('Header1', 'header', "
        "document.getElementById('Header1'), {}, 'displayModeFull'));\n"
        "_WidgetManager._RegisterWidget('_BlogView', new _WidgetInfo('Blog1', 'main', "
        "document.getElementById('Blog1'), {'cmtInteractionsEnabled': false}, 'displayModeFull'));\n"
        "_WidgetManager._RegisterWidget('_PopularPostsView', new _WidgetInfo('PopularPosts1', 'sidebar-right-1', "
        "document.getElementById('PopularPosts1'), {}, 'displayModeFull'));\n"
        "</script>"
    )


# --- posts -----------------------------------------------------------------------------

def render_post_page(blog: Blog, request: Request, post: Post) -> str:
    """A post page as a real mirror serves it: the post, and around it the share block,
    related posts, comments, pager and sidebar that an extractor must leave out."""
    base, text, lang = blog.base(request), strings(blog.language), blog.language
    url = base + post.path
    labels = ", ".join(f"<a href='{label_url(base, label)}' rel='tag'>{esc(label)}</a>" for label in post.labels)
    main = "\n".join([
        "<div class='blog-posts hfeed'>",
        f"<div class='date-outer'><h2 class='date-header'><span>{date_header(post.published, lang)}</span></h2>",
        "<div class='date-posts'><div class='post-outer'>",
        "<div class='post hentry uncustomized-post-template' itemprop='blogPost' itemscope='itemscope' "
        "itemtype='http://schema.org/BlogPosting'>",
        f"<meta content='{esc(post.image)}' itemprop='image_url'/>" if post.image else "",
        f"<meta content='{blog.blog_id}' itemprop='blogId'/><meta content='{post.post_id}' itemprop='postId'/>",
        f"<a name='{post.post_id}'></a>",
        f"<h3 class='post-title entry-title' itemprop='name'>\n{esc(post.title)}\n</h3>",
        "<div class='post-header'><div class='post-header-line-1'></div></div>",
        f"<div class='post-body entry-content' id='post-body-{post.post_id}' itemprop='description articleBody'>",
        post.body,
        "<div style='clear: both;'></div>",
        "</div>",
        "<div class='post-footer'>",
        "<div class='post-footer-line post-footer-line-1'>",
        f"<span class='post-author vcard'>{text['posted_by']} <span class='fn' itemprop='author' itemscope='itemscope' "
        f"itemtype='http://schema.org/Person'><span itemprop='name'>{esc(post.author)}</span></span></span>",
        f"<span class='post-timestamp'>{text['at']} <meta content='{url}' itemprop='url'/>"
        f"<a class='timestamp-link' href='{url}' rel='bookmark' title='permanent link'>"
        f"<abbr class='published' itemprop='datePublished' title='{iso_seconds(post.published)}'>"
        f"{clock(post.published, lang)}</abbr></a></span>",
        f"<span class='post-comment-link'><a class='comment-link' href='{url}#comment-form'>"
        f"{text['comment_link']}</a></span>",
        "</div>",
        "<div class='post-footer-line post-footer-line-2'>"
        f"<span class='post-labels'>{text['labels']} {labels}</span></div>",
        "</div>",
        "</div>",
        render_share_block(blog, post, url),
        render_related_posts(blog, base, post),
        render_comments(blog, post, url),
        "</div></div></div>",
        "</div>",
        render_item_pager(blog, base, post),
    ])
    return render_page(blog, request, PageView(
        page_type="item", name=post.title, canonical=url, main=main, post=post,
        description=post.snippet,
    ))


def serve_post(blog: Blog, request: Request) -> Response:
    """A post page; ?m=1, ?m=0 and ?showComment=... are the same post."""
    post = blog.by_path.get(request.path)
    if post is None:
        return render_error_page(blog, request)
    if blog.template == "dynamic":
        return text_response(200, render_dynamic_shell(blog, request, post), "html")
    return text_response(200, render_post_page(blog, request, post), "html")


def render_dynamic_shell(blog: Blog, request: Request, post: Post) -> str:
    """A Dynamic Views post page: page data and an empty column; script fills it in a browser."""
    return render_page(blog, request, PageView(
        page_type="item", name=post.title, canonical=blog.base(request) + post.path,
        main="<div class='dynamic-views-shell' id='content'></div>", post=post, description=post.snippet,
        head_extra="<meta content='dynamic' name='blogger-template'/>",
    ))


# --- listings and archives -------------------------------------------------------------

def render_listing_page(blog: Blog, request: Request, posts: list[Post], *, page_type: str, name: str,
                        older: str | None = None) -> str:
    """Home, search and archive pages: each post as a dated title and snippet with a
    'read more' link (no post body), then the pager."""
    base, text, lang = blog.base(request), strings(blog.language), blog.language
    days = []
    for day, on_day in itertools.groupby(posts, key=lambda p: p.published.date()):
        items = "".join(
            "<div class='post-outer'><div class='post hentry'>"
            f"<h3 class='post-title entry-title'><a href='{base}{post.path}'>{esc(post.title)}</a></h3>"
            f"<div class='post-snippet'>{esc(post.snippet)}</div>"
            f"<div class='jump-link'><a href='{base}{post.path}#more' title='{esc(post.title)}'>"
            f"{text['read_more']}</a></div>"
            "</div></div>"
            for post in on_day
        )
        days.append(f"<div class='date-outer'><h2 class='date-header'><span>{date_header(day, lang)}"
                    f"</span></h2><div class='date-posts'>{items}</div></div>")
    main = "<div class='blog-posts hfeed'>\n" + "\n".join(days) + "\n</div>\n" + render_pager(
        base, text, newer=None, older=(older, text["older"]) if older else None)
    return render_page(blog, request, PageView(page_type=page_type, name=name, canonical=canonical_url(base, request),
                                                main=main, description=blog.description))


def canonical_url(base: str, request: Request) -> str:
    """The page's own URL on the blog's canonical host, without the mobile switch."""
    query = urlencode([(k, v) for k, v in parse_qsl(urlsplit(request.target).query) if k != "m"], safe=":")
    return base + request.path + (f"?{query}" if query else "")


def older_link(base: str, path: str, posts: list[Post], size: int) -> str:
    """Blogger's 'Older posts' link: the search page before the last listed post's time."""
    before = quote(iso_seconds(posts[-1].published), safe=":")
    return f"{base}{path}?updated-max={before}&max-results={size}"


def serve_listing(blog: Blog, request: Request, label: str | None = None) -> Response:
    """/, /search and /search/label/<label>: newest first, paged backwards by updated-max."""
    query = request.query
    try:
        size = int_param(query, "max-results", LISTING_PAGE_SIZE, minimum=1)
        before = time_param(query, "updated-max", blog.tz)
    except BadRequest:
        return render_error_page(blog, request)
    candidates = [p for p in blog.posts
                  if (label is None or label in p.labels)
                  # The older link carries whole seconds: compare at that precision.
                  and (before is None or p.published.replace(microsecond=0) < before)]
    shown, older = candidates[:size], None
    if len(candidates) > size:
        older = older_link(blog.base(request), "/search" if request.path == "/" else request.path, shown, size)
    page = render_listing_page(blog, request, shown, page_type="index", name=label or "", older=older)
    return text_response(200, page, "html")


def serve_archive(blog: Blog, request: Request, year: int, month: int | None) -> Response:
    """/YYYY/ and /YYYY/MM/: every post of that period."""
    posts = [p for p in blog.posts if p.published.year == year and (month is None or p.published.month == month)]
    if not posts:
        return render_error_page(blog, request)
    name = f"{year:04d}" if month is None else f"{MONTHS['id' if blog.language == 'id' else 'en'][month - 1]} {year}"
    return text_response(200, render_listing_page(blog, request, posts, page_type="archive", name=name), "html")


# --- other pages -----------------------------------------------------------------------

def render_static_page(blog: Blog, request: Request) -> Response:
    text, base = strings(blog.language), blog.base(request)
    page_id = derived_id("page", blog.blog_id)
    main = (
        "<div class='blog-posts hfeed'><div class='post-outer'><div class='post hentry'>"
        f"<a name='{page_id}'></a><h3 class='post-title entry-title'>{text['about']}</h3>"
        f"<div class='post-body entry-content' id='post-body-{page_id}'>"
        f"<p>{esc(text['about_text'].format(title=blog.title))}</p>"
        "<div style='clear: both;'></div></div></div></div></div>"
    )
    view = PageView(page_type="static_page", name=text["about"], canonical=f"{base}/p/about.html", main=main)
    return text_response(200, render_page(blog, request, view), "html")


def render_error_page(blog: Blog, request: Request) -> Response:
    """Blogger's in-template 404: the blog's layout with a sorry note and pageType error_page."""
    base, text = blog.base(request), strings(blog.language)
    main = f"<div class='status-msg-wrap'><div class='status-msg-body'>{text['not_found']}</div></div>"
    view = PageView(page_type="error_page", name="", canonical=canonical_url(base, request), main=main)
    return text_response(404, render_page(blog, request, view), "html")
