"""The named faults: how a blog's server misbehaves when a request matches one.

A fault (see ``model.Fault`` and ``config.load_fault``) turns the normal response into:

- ``status``, ``drop``, ``delay``: an error status (redirects and ``Retry-After`` included),
  a dropped connection, a late answer;
- ``truncate``, ``invalid``: a document cut in half, or garbage of the right media type;
- ``not_post``, ``error_page``, ``home_page``: a listing page where a post was asked for, the
  blog's "page not found" page served as 200, the home page served in place of a feed;
- ``gzip_bomb``, ``padding``: a small compressed body that inflates to hundreds of megabytes,
  a genuinely large document (a page bloated by an inline script);
- ``offsite_links``: a document whose post links point to another host (a feed whose entries
  claim to live on ``evil.example``);
- ``control_chars``: NUL and other C0 controls inside attribute values and text;
- ``charset``: the body in another encoding (``cp1252``) while its header still says UTF-8;
- ``billion_laughs``, ``external_entity``: an XML document with a DOCTYPE that defines nested
  entities (expanding to gigabytes) or an entity read from ``file:///etc/passwd``, used in the
  first title (a feed) or ``loc`` (a sitemap).

Which fault fires is the model's business (``Blog.take_fault``); this module only shapes the
response.
"""

from __future__ import annotations

import re
import time
import zlib
from collections.abc import Callable
from dataclasses import replace
from functools import cache

from newscrawl.demo.front import Request, Response, text_response
from newscrawl.demo.model import POST_PATH, Blog, Fault
from newscrawl.demo.pages import LISTING_PAGE_SIZE, render_error_page, render_listing_page, serve_listing

OFFSITE_HOST = b"https://evil.example/"
GARBAGE = {
    "application/json": "{not json",
    "text/javascript": "// API callback\ngdata.io.handleScriptLoaded({not json",
    "application/atom+xml": "<?xml version='1.0' encoding='UTF-8'?><feed><entry>",
    "application/rss+xml": "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><item>",
    "application/xml": "<?xml version='1.0' encoding='UTF-8'?><urlset><url><loc>",
    "text/html": "<html><head><title>",
}
# Entity declarations a hostile XML document may open with (placed after its XML declaration).
BILLION_LAUGHS = (
    b"<!DOCTYPE feed [<!ENTITY lol 'lol'>"
    + b"".join(b"<!ENTITY lol%d '%s'>" % (n, (b"&lol%d;" % (n - 1) if n > 1 else b"&lol;") * 10) for n in range(1, 10))
    + b"]>"
)
EXTERNAL_ENTITY = b"<!DOCTYPE feed [<!ENTITY xxe SYSTEM 'file:///etc/passwd'>]>"
_XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*\?>")
_FIRST_TEXT = re.compile(rb"<(?:title|loc)\b[^>]*>")
# Where control characters go: the start of every class/title attribute value and paragraph.
_CONTROL_SPOTS = re.compile(rb"""(?:\b(?:class|title|alt)=["']|<p>)""")


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
    if fault.kind == "home_page":
        return serve_listing(blog, replace(request, target="/"))
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
    elif fault.kind == "control_chars":
        response.body = _CONTROL_SPOTS.sub(lambda m: m[0] + b"\x00\x01\x0b\x1b", response.body)
    elif fault.kind == "charset":
        response.body = response.body.decode("utf-8").encode(fault.encoding, "xmlcharrefreplace")
    elif fault.kind == "padding":
        response.body = pad(response.body, fault.megabytes)
    elif fault.kind in ("billion_laughs", "external_entity"):
        response.body = with_entities(response.body, fault.kind)
    return response


def pad(body: bytes, megabytes: int) -> bytes:
    """The document ``megabytes`` MiB larger: an HTML page gains an inline script in its head
    (as pages with embedded data do), any other document trailing whitespace."""
    filler = b"x" * (megabytes << 20)
    if b"</head>" in body:
        return body.replace(b"</head>", b"<script>var blob='" + filler + b"';</script></head>", 1)
    return body + b" " * len(filler)


def with_entities(body: bytes, kind: str) -> bytes:
    """An XML document with a hostile DOCTYPE after its declaration and the entity used in its
    first title or loc (a document with neither, or no XML declaration, is returned unchanged)."""
    declaration = _XML_DECLARATION.match(body)
    title = _FIRST_TEXT.search(body)
    if declaration is None or title is None:
        return body
    doctype, reference = (BILLION_LAUGHS, b"&lol9;") if kind == "billion_laughs" else (EXTERNAL_ENTITY, b"&xxe;")
    end = declaration.end()
    return body[:end] + doctype + body[end:title.end()] + reference + body[title.end():]


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
