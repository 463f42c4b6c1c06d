"""The named faults: how a blog's server misbehaves when a request matches one.

A fault (see ``model.Fault`` and ``config.load_fault``) turns the normal response into an
error status, a dropped connection, a delay, a truncated or invalid body, a listing page
served where a post was asked for, the blog's "page not found" page served as 200, a gzip bomb (a small compressed body that inflates to
hundreds of megabytes), or a document whose post links point to another host (a feed whose
entries claim to live on ``evil.example``). Which fault fires is the model's business
(``Blog.take_fault``); this module only shapes the response.
"""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import Callable
from functools import cache

from newscrawl.demo.front import Request, Response, text_response
from newscrawl.demo.model import POST_PATH, Blog, Fault
from newscrawl.demo.pages import LISTING_PAGE_SIZE, render_error_page, render_listing_page

OFFSITE_HOST = b"https://evil.example/"
GARBAGE = {
    "application/json": "{not json",
    "text/javascript": "// API callback\ngdata.io.handleScriptLoaded({not json",
    "application/atom+xml": "<?xml version='1.0' encoding='UTF-8'?><feed><entry>",
    "application/rss+xml": "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><item>",
    "application/xml": "<?xml version='1.0' encoding='UTF-8'?><urlset><url><loc>",
    "text/html": "<html><head><title>",
}


def apply_fault(fault: Fault, blog: Blog, request: Request, normal: Callable[[], Response]) -> Response | None:
    """The response a fault turns this request into; None means: close without answering.
    normal gives the response the request would have had."""
    if fault.kind == "drop":
        return None
    if fault.kind == "status":
        body = fault.body if fault.body is not None else f"Error {fault.status}"
        return text_response(fault.status, body, "html", fault.headers)
    if fault.kind == "not_post":
        return render_not_post(blog, request)
    if fault.kind == "error_page":
        # Some front ends and caches answer a missing or broken post with the error page and 200.
        response = render_error_page(blog, request)
        response.status = 200
        return response
    if fault.kind == "gzip_bomb":
        kind = normal().content_type
        return Response(200, gzip_bomb(fault.megabytes), kind, {"Content-Encoding": "gzip"})
    if fault.kind == "delay":
        time.sleep(fault.seconds)
    response = normal()
    if fault.kind == "truncate":
        # Content-Length matches the cut body, so the client sees a complete, broken document.
        response.body = response.body[: len(response.body) // 2]
    elif fault.kind == "offsite_links":
        own_post = re.compile(rb"https?://" + re.escape(request.host.encode()) + rb"(?::\d+)?/(?=\d{4}/)")
        response.body = own_post.sub(OFFSITE_HOST, response.body)
    elif fault.kind == "invalid":
        media_type = response.content_type.split(";")[0]
        response = Response(200, GARBAGE.get(media_type, "\x00garbage").encode(), response.content_type)
    return response


def render_not_post(blog: Blog, request: Request) -> Response:
    """The not_post fault: the month archive a post URL belongs to, served in its place."""
    match = POST_PATH.fullmatch(request.path)
    month = (int(match["year"]), int(match["month"])) if match else None
    in_month = [p for p in blog.posts if (p.published.year, p.published.month) == month]
    page = render_listing_page(blog, request, in_month or blog.posts[:LISTING_PAGE_SIZE], page_type="archive",
                               name=request.path.strip("/"))
    return text_response(200, page, "html")


@cache
def gzip_bomb(megabytes: int) -> bytes:
    """A gzip stream of ``megabytes`` MiB of zeros (about 1/1000 of that on the wire), built a
    megabyte at a time so the emulator never holds the inflated size."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip framing
    chunk = bytes(1 << 20)
    return b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()
