"""robots.txt and the sitemaps: how a crawler learns a blog's post URLs without its feeds.

Blogger's default robots.txt points at /sitemap.xml, which is one urlset until the blog
outgrows a page, then an index of ``?page=N`` urlsets. A bad page number gets the blog's
own 404 page, as on Blogger.
"""

from __future__ import annotations

import math
import re
from datetime import datetime

from newscrawl.demo.formatting import esc, utc_z
from newscrawl.demo.front import Request, Response, text_response
from newscrawl.demo.model import Blog
from newscrawl.demo.pages import render_error_page

def render_robots(blog: Blog, base: str) -> str:
    """Blogger's default robots.txt, unless the blog sets its own."""
    if blog.robots is not None:
        return blog.robots
    return (
        "User-agent: Mediapartners-Google\nDisallow: \n\n"
        "User-agent: *\nDisallow: /search\nAllow: /\n\n"
        f"Sitemap: {base}/sitemap.xml\n"
    )


def render_sitemap_index(blog: Blog, base: str) -> str:
    pages = math.ceil(len(blog.posts) / blog.sitemap_page_size)
    children = "".join(f"<sitemap><loc>{base}/sitemap.xml?page={page}</loc></sitemap>" for page in range(1, pages + 1))
    return ("<?xml version='1.0' encoding='UTF-8'?>"
            f"<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{children}</sitemapindex>")


def render_urlset(entries: list[tuple[str, datetime]]) -> str:
    urls = "".join(f"<url><loc>{esc(loc)}</loc><lastmod>{utc_z(lastmod)}</lastmod></url>" for loc, lastmod in entries)
    return ("<?xml version='1.0' encoding='UTF-8'?>"
            f"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{urls}</urlset>")


def serve_sitemap(blog: Blog, request: Request) -> Response:
    """/sitemap.xml: one urlset, or an index of ?page=N urlsets once the blog outgrows one page."""
    base, page = blog.base(request), request.query.get("page")
    if page is None and len(blog.posts) > blog.sitemap_page_size:
        return text_response(200, render_sitemap_index(blog, base), "xml")
    if page is not None and not re.fullmatch(r"[1-9]\d*", page):
        return render_error_page(blog, request)
    start = (int(page) - 1) * blog.sitemap_page_size if page else 0
    size = blog.sitemap_page_size if page else len(blog.posts)
    chunk = blog.posts[start:start + size]
    return text_response(200, render_urlset([(base + post.path, post.updated) for post in chunk]), "xml")
