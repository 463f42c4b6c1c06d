"""A Blogger emulator: serves blogs described in a JSON file the way Blogger serves them.

The offline demo (``scrapy demo``) and the end-to-end tests point the crawler at it as an HTTP
proxy, so real blog URLs such as ``https://kabar-satu.blogspot.com/feeds/posts/default`` work
unchanged:

- absolute-form requests (``GET http://host/path``) are routed by the URL's host;
- ``CONNECT host:443`` opens a tunnel that is TLS-terminated here with a self-signed
  certificate for that host name (the crawler does not verify the issuer); the requests inside
  the tunnel are routed by the CONNECT host;
- origin-form requests (``GET /path``) are routed by the Host header, and fall back to the blog
  whose host is ``"*"``, so a test can crawl ``http://127.0.0.1:PORT/`` as a custom domain.

Each blog serves robots.txt, the posts feeds (JSON, json-in-script, Atom, RSS; full or summary;
paging and time windows), sitemaps, post pages in a classic template with the clutter of a real
autoblog mirror around the post, index / search / archive listings, a static page and error
pages. Faults (statuses, dropped connections, delays, truncated or invalid bodies, listing pages
instead of posts) are configured per blog. The config format is described in ``config.load_blog``.

Run it with::

    python -m newscrawl.demo.server --config blogs.json [--host 127.0.0.1] [--port 0] [--log requests.jsonl]

It prints ``LISTENING <port>`` once it accepts connections. In-process: ``serve(config)``.

This module routes a request to the blog that owns its host and to the part of the blog that
answers its path. The rest of the package, one concern per module:

- ``front``: the HTTP server, proxy and CONNECT/TLS front, requests and responses, the log;
- ``model``: Post, Blog and Fault, and the ids and paths Blogger derives;
- ``config``: the JSON config read into the model; ``content``: synthetic posts;
- ``formatting``: the blog's language, dates and timestamps, escaping, parameter parsing;
- ``feeds``, ``pages`` (with ``widgets``), ``sitemaps``: what the blog serves;
- ``faults``: how a named fault reshapes a response.
"""

from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import threading
from functools import partial
from pathlib import Path
from urllib.parse import unquote

from newscrawl.demo.config import load_blog
from newscrawl.demo.faults import apply_fault
from newscrawl.demo.feeds import feed_not_found, google_error, serve_feed, serve_feed_entry
from newscrawl.demo.formatting import esc
from newscrawl.demo.front import MirrorServer, Request, RequestLog, Response, text_response
from newscrawl.demo.model import POST_PATH, Blog
from newscrawl.demo.pages import render_error_page, render_static_page, serve_archive, serve_listing, serve_post
from newscrawl.demo.sitemaps import render_robots, render_urlset, serve_sitemap

ARCHIVE_PATH = re.compile(r"/(?P<year>\d{4})/(?:(?P<month>\d{2})/)?")
FEED_PATH = re.compile(r"/feeds/posts/(?P<kind>default|full|summary)/?")
FEED_ENTRY_PATH = re.compile(r"/feeds/posts/(?P<kind>default|full|summary)/(?P<post_id>\d+)/?")
BLOGGER_FEED_PATH = re.compile(r"/feeds/(?P<blog_id>\d+)/posts/(?P<kind>default|full|summary)/?")


# --- routing --------------------------------------------------------------------------

def route(blog: Blog, request: Request) -> Response:
    """The response a blog gives to a request on its own host."""
    path = request.path
    if path == "/robots.txt":
        return text_response(200, render_robots(blog, blog.base(request)))
    feed = FEED_PATH.fullmatch(path)
    if feed or path == "/atom.xml":
        return serve_feed(blog, request, feed["kind"] if feed else "default")
    entry = FEED_ENTRY_PATH.fullmatch(path)
    if entry:
        return serve_feed_entry(blog, request, entry["kind"], entry["post_id"])
    if path.startswith("/feeds/"):
        return feed_not_found(path)
    if path == "/sitemap.xml":
        return serve_sitemap(blog, request)
    if path == "/sitemap-pages.xml":
        return text_response(200, render_urlset([(f"{blog.base(request)}/p/about.html", blog.updated)]), "xml")
    if path in ("/", "/search", "/search/"):
        return serve_listing(blog, request)
    if path.startswith("/search/label/"):
        return serve_listing(blog, request, label=unquote(path[len("/search/label/"):]))
    if POST_PATH.fullmatch(path):
        return serve_post(blog, request)
    archive = ARCHIVE_PATH.fullmatch(path)
    if archive:
        return serve_archive(blog, request, int(archive["year"]), int(archive["month"]) if archive["month"] else None)
    if path == "/p/about.html":
        return render_static_page(blog, request)
    return render_error_page(blog, request)


class Mirror:
    """Every blog of a config, found by host, alias or blog id."""

    def __init__(self, config: dict) -> None:
        blogs = [load_blog(raw) for raw in config.get("blogs", [])]
        self.by_host: dict[str, Blog] = {}
        self.by_alias: dict[str, Blog] = {}
        for blog in blogs:
            for name, table in [(blog.host, self.by_host), *((alias, self.by_alias) for alias in blog.aliases)]:
                if name in self.by_host or name in self.by_alias:
                    raise ValueError(f"host {name} is claimed by two blogs")
                table[name] = blog
        self.by_id: dict[str, Blog] = {}
        for blog in blogs:  # tests may give several blogs one id; the first one owns the API URL
            self.by_id.setdefault(blog.blog_id, blog)

    def respond(self, request: Request, wildcard_allowed: bool) -> tuple[Response | None, str | None]:
        """The response to a request and the name of the fault that shaped it, if any.
        Aliases redirect before any fault: faults are the blog's own server misbehaving."""
        if request.host == "www.blogger.com":
            # Where feed self and next links point: /feeds/<blogId>/posts/<kind>.
            match = BLOGGER_FEED_PATH.fullmatch(request.path)
            blog = self.by_id.get(match["blog_id"]) if match else None
            if blog is None:
                return google_error(404, "Not Found", "No blog with that id."), None
            normal = partial(serve_feed, blog, request, match["kind"])
        else:
            blog = self.by_host.get(request.host)
            if blog is None and request.host in self.by_alias:
                target = f"https://{self.by_alias[request.host].host}{request.target}"
                body = f"<a href='{esc(target)}'>Moved Permanently</a>"
                return text_response(301, body, "html", {"Location": target}), None
            if blog is None and wildcard_allowed:
                blog = self.by_host.get("*")
            if blog is None:
                return text_response(404, "no such blog"), None
            normal = partial(route, blog, request)
        fault = blog.take_fault(request.target)
        if fault is None:
            return normal(), None
        return apply_fault(fault, blog, request, normal), fault.name


def serve(config: dict, host: str = "127.0.0.1", port: int = 0,
          log_path: str | Path | None = None) -> tuple[MirrorServer, int]:
    """Start the mirror in a daemon thread; returns the server and the port it listens on.
    Stop it with ``server.shutdown(); server.server_close()``."""
    server = MirrorServer((host, port), Mirror(config), RequestLog(log_path))
    # A short poll keeps shutdown() prompt.
    threading.Thread(target=server.serve_forever, args=(0.05,), name="blogger-mirror", daemon=True).start()
    return server, server.server_address[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newscrawl.demo.server", description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True, help="blogs to serve (JSON)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--log", help="append one JSON line per request to this file")
    args = parser.parse_args(argv)
    config = json.loads(Path(args.config).read_text(encoding="utf-8"))
    server, port = serve(config, args.host, args.port, args.log)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    print(f"LISTENING {port}", flush=True)
    stopping.wait()  # a signal interrupts the wait and runs its handler
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
