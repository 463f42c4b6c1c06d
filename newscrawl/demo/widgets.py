"""The template's blocks around the main column: header, menu, sidebar, footer, and the
share, related-posts, comments and pager blocks under a post.

They are the clutter a real autoblog mirror shows next to the post, and what an extractor
must leave out; ``pages.py`` puts them together into documents. Every block takes the
blog's own links and language, so they look like one theme on every page.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from urllib.parse import quote

from newscrawl.demo.formatting import MONTHS, clock, esc, iso_seconds, short_date, strings
from newscrawl.demo.model import Blog, Post, derived_id, profile_url

# --- around every page -----------------------------------------------------------------

def render_header(blog: Blog, base: str) -> str:
    return (
        "<div class='header-outer'><div class='header section' id='header'>"
        "<div class='widget Header' data-version='1' id='Header1'><div id='header-inner'>"
        f"<div class='titlewrapper'><h1 class='title'><a href='{base}/'>{esc(blog.title)}</a></h1></div>"
        f"<div class='descriptionwrapper'><p class='description'><span>{esc(blog.description)}</span></p></div>"
        "</div></div></div></div>"
    )


def render_menu(blog: Blog, base: str) -> str:
    items = [f"<li><a href='{base}/'>{strings(blog.language)['home']}</a></li>"]
    items += [f"<li><a href='{label_url(base, label)}'>{esc(label)}</a></li>" for label in blog.labels[:6]]
    return ("<div class='tabs section' id='crosscol'><div class='widget PageList' data-version='1' id='PageList1'>"
            f"<div class='widget-content'><ul>{''.join(items)}</ul></div></div></div>")


def label_url(base: str, label: str) -> str:
    return f"{base}/search/label/{quote(label)}"


def render_sidebar(blog: Blog, base: str, current: Post | None) -> str:
    text = strings(blog.language)
    popular = [post for post in blog.popular if post is not current][:4]
    popular_items = "".join(
        "<li><div class='item-content'>"
        f"<div class='item-title'><a href='{base}{post.path}'>{esc(post.title)}</a></div>"
        f"<div class='item-snippet'>{esc(post.snippet)}</div>"
        f"<abbr class='published' title='{iso_seconds(post.published)}'>"
        f"{short_date(post.published, blog.language)}</abbr>"
        "</div><div style='clear: both;'></div></li>"
        for post in popular
    )
    labels = "".join(
        f"<li><a dir='ltr' href='{label_url(base, label)}'>{esc(label)}</a>"
        f"<span dir='ltr'>({sum(label in p.labels for p in blog.posts)})</span></li>"
        for label in blog.labels
    )
    return "\n".join([
        "<div class='sidebar-outer'><div class='sidebar section' id='sidebar-right-1'>",
        f"<div class='widget PopularPosts' data-version='1' id='PopularPosts1'><h2>{text['popular']}</h2>"
        f"<div class='widget-content popular-posts'><ul>{popular_items}</ul></div></div>",
        f"<div class='widget Label' data-version='1' id='Label1'><h2>{text['categories']}</h2>"
        f"<div class='widget-content list-label-widget-content'><ul>{labels}</ul></div></div>",
        render_archive_widget(blog, base),
        "</div></div>",
    ])


def render_archive_widget(blog: Blog, base: str) -> str:
    """The BlogArchive widget: years and months with post counts, newest first."""
    months = MONTHS["id" if blog.language == "id" else "en"]
    years = []
    for year, in_year in itertools.groupby(blog.posts, key=lambda p: p.published.year):
        in_year = list(in_year)
        month_items = "".join(
            f"<li class='archivedate'><a class='post-count-link' href='{base}/{year:04d}/{month:02d}/'>"
            f"{months[month - 1]}</a> <span class='post-count' dir='ltr'>({len(list(in_month))})</span></li>"
            for month, in_month in itertools.groupby(in_year, key=lambda p: p.published.month)
        )
        years.append(
            f"<li class='archivedate expanded'><a class='post-count-link' href='{base}/{year:04d}/'>{year}</a> "
            f"<span class='post-count' dir='ltr'>({len(in_year)})</span><ul class='hierarchy'>{month_items}</ul></li>"
        )
    return (f"<div class='widget BlogArchive' data-version='1' id='BlogArchive1'>"
            f"<h2>{strings(blog.language)['archive']}</h2>"
            f"<div class='widget-content'><div id='ArchiveList'><div id='BlogArchive1_ArchiveList'>"
            f"<ul class='hierarchy'>{''.join(years)}</ul></div></div></div></div>")


def render_footer(blog: Blog, base: str) -> str:
    year = blog.updated.year
    return (f"<div class='footer-outer'><div class='footer section' id='footer-1'>"
            f"<div class='widget Attribution' data-version='1' id='Attribution1'><div class='widget-content'>"
            f"Copyright &#169; {year} <a href='{base}/'>{esc(blog.title)}</a>. {strings(blog.language)['rights']} "
            f"Powered by <a href='https://www.blogger.com' target='_blank'>Blogger</a>.</div></div></div></div>")


# --- under a post ----------------------------------------------------------------------

def render_share_block(blog: Blog, post: Post, url: str) -> str:
    target = quote(url, safe="")
    links = "".join(
        f"<li><a class='{name.lower()}' href='{href}' rel='nofollow' target='_blank'>{name}</a></li>"
        for name, href in [
            ("Facebook", f"https://www.facebook.com/sharer.php?u={target}"),
            ("Twitter", f"https://twitter.com/share?url={target}&amp;text={quote(post.title)}"),
            ("WhatsApp", f"https://api.whatsapp.com/send?text={target}"),
        ]
    )
    return (f"<div class='post-share'><span class='share-title'>{strings(blog.language)['share']}</span>"
            f"<ul class='share-links'>{links}</ul></div>")


def related_posts(blog: Blog, post: Post, count: int = 3) -> list[Post]:
    """Other posts near this one in time, preferring those that share its first label."""
    index = blog.position[post.post_id]
    nearby = sorted((p for p in blog.posts[max(0, index - 30):index + 31] if p is not post),
                    key=lambda p: abs(blog.position[p.post_id] - index))
    first_label = post.labels[:1]
    chosen = [p for p in nearby if first_label and first_label[0] in p.labels][:count]
    chosen += [p for p in nearby if p not in chosen][:count - len(chosen)]
    return chosen


def render_related_posts(blog: Blog, base: str, post: Post) -> str:
    items = "".join(
        f"<li class='related-item'><a class='related-title' href='{base}{other.path}'>{esc(other.title)}</a> "
        f"<span class='post-date'><time class='published' datetime='{iso_seconds(other.published)}'>"
        f"{short_date(other.published, blog.language)}</time></span></li>"
        for other in related_posts(blog, post)
    )
    return (f"<div class='related-wrap' id='related-posts'><h4 class='related-heading'>"
            f"{strings(blog.language)['related']}</h4><ul class='related-posts'>{items}</ul></div>")


def comment_time(moment: datetime, language: str) -> str:
    if language == "id":
        return f"{short_date(moment, language)} {clock(moment, language)}"
    return f"{short_date(moment, language)} at {clock(moment, language)}"


def render_comments(blog: Blog, post: Post, url: str) -> str:
    """The comments section: the theme's response count, two reader comments with their
    own dates, and the comment form."""
    text = strings(blog.language)
    comments = []
    for number, ((author, said), delay) in enumerate(zip(text["comments"], (133, 341), strict=True), start=1):
        moment = post.published + timedelta(minutes=delay)
        comment_id = derived_id("comment", post.post_id, number)
        stamp = int(moment.timestamp() * 1000)
        comments.append(
            f"<dt class='comment-author' id='c{comment_id}'><a name='c{comment_id}'></a>"
            f"<a href='{profile_url(author)}' rel='nofollow'>{esc(author)}</a> {text['said']}</dt>"
            f"<dd class='comment-body' id='Blog1_cmt-{comment_id}'><p>{esc(said)}</p></dd>"
            f"<dd class='comment-footer'><span class='comment-timestamp'>"
            f"<a href='{url}?showComment={stamp}#c{comment_id}' title='comment permalink'>"
            f"{comment_time(moment, blog.language)}</a></span></dd>"
        )
    return "\n".join([
        "<div class='comments' id='comments'><a name='comments'></a>",
        f"<h4>0 Response to &quot;{esc(post.title)}&quot;</h4>",
        "<div id='Blog1_comments-block-wrapper'>"
        f"<dl class='avatar-comment-indent' id='comments-block'>{''.join(comments)}</dl></div>",
        "<div class='comment-form'><a name='comment-form'></a><h4 id='comment-post-message'>Post a Comment</h4>",
        f"<a href='https://www.blogger.com/comment-iframe.g?blogID={blog.blog_id}&amp;postID={post.post_id}' "
        "id='comment-editor-src'></a></div>",
        "</div>",
    ])


def render_item_pager(blog: Blog, base: str, post: Post) -> str:
    """On a post page Blogger's pager links the neighbouring posts."""
    text, index = strings(blog.language), blog.position[post.post_id]
    newer = blog.posts[index - 1] if index > 0 else None
    older = blog.posts[index + 1] if index + 1 < len(blog.posts) else None
    return render_pager(
        base, text,
        newer=(base + newer.path, text["newer"]) if newer else None,
        older=(base + older.path, text["older"]) if older else None,
    )


def render_pager(base: str, text: dict, newer: tuple[str, str] | None, older: tuple[str, str] | None) -> str:
    parts = ["<div class='blog-pager' id='blog-pager'>"]
    if newer:
        parts.append(f"<span id='blog-pager-newer-link'><a class='blog-pager-newer-link' href='{esc(newer[0])}' "
                     f"id='Blog1_blog-pager-newer-link' title='{newer[1]}'>{newer[1]}</a></span>")
    if older:
        parts.append(f"<span id='blog-pager-older-link'><a class='blog-pager-older-link' href='{esc(older[0])}' "
                     f"id='Blog1_blog-pager-older-link' title='{older[1]}'>{older[1]}</a></span>")
    parts.append(f"<a class='home-link' href='{base}/'>{text['home']}</a></div>")
    return "".join(parts)
