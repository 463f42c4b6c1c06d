"""What Blogger is to the crawler: a site's canonical host, the base its URLs are built on and
which hosts belong to it; every Blogger URL and path pattern (feeds, sitemaps, posts, static
pages, archives, labels); and the conventions its feeds and pages share (ids, the author
placeholder).

``*.blogspot.<cc>`` country aliases are the same blog as ``*.blogspot.com``; custom domains run
on Blogger too. A site is named by the user (``-a site=``), so its host is trusted; every URL the
spider follows must fold back onto one of the sites being crawled.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from newscrawl.urls import blog_host, canonicalize_url, site_base

# --- conventions shared by feeds and pages ----------------------------------------------

# Blogger ids: 'tag:blogger.com,1999:blog-<blogId>' for a blog,
# 'tag:blogger.com,1999:blog-<blogId>.post-<postId>' for a post.
BLOGGER_ID = re.compile(r"tag:blogger\.com,1999:blog-(?P<blog>\d+)(?:\.post-(?P<post>\d+))?")

# What Blogger prints for an author whose profile it cannot show: a placeholder, not a name.
_NO_AUTHOR = frozenset({"unknown", "anonymous"})


def is_placeholder_author(name: str) -> bool:
    """True for Blogger's 'Unknown' / 'Anonymous' author placeholders."""
    return name.strip().lower() in _NO_AUTHOR


# --- paths -----------------------------------------------------------------------------

# A post permalink: /YYYY/MM/<slug>.html.
_POST_PATH = re.compile(r"/(?P<year>\d{4})/(?P<month>0[1-9]|1[0-2])/[^/]+\.html")
# Static pages: /p/<slug>.html.
_STATIC_PATH = re.compile(r"^/p/[^/]+\.html$")
# Date archives: /YYYY/, /YYYY/MM/, and classic templates' /YYYY_MM_archive.html.
_ARCHIVE_PATH = re.compile(r"^/\d{4}/(?:\d{2}/)?$|^/\d{4}_\d{2}(?:_\d{2})?_archive\.html$")
_LABEL_PREFIX = "/search/label/"
_SEARCH_PATH = "/search"
# The blog id in a feed link (<link rel="service.post" href=".../feeds/<blogId>/posts/default">).
_FEED_BLOG_ID = re.compile(r"/feeds/(\d+)/")
_SUMMARY_FEED = "/feeds/posts/summary"


def post_month(url: str) -> tuple[int, int] | None:
    """``(year, month)`` from a post permalink, None for any other URL."""
    try:
        path = urlsplit(url.strip()).path
    except ValueError:
        return None
    match = _POST_PATH.fullmatch(path)
    return (int(match["year"]), int(match["month"])) if match else None


def is_post_url(url: str) -> bool:
    """True for a post permalink ``/YYYY/MM/<slug>.html``; static pages (``/p/...``),
    archives and ``/search`` are not posts."""
    return post_month(url) is not None


def is_static_path(path: str) -> bool:
    return bool(_STATIC_PATH.search(path))


def is_archive_path(path: str) -> bool:
    return bool(_ARCHIVE_PATH.search(path))


def is_search_path(path: str) -> bool:
    return path == _SEARCH_PATH


def is_navigation_path(path: str) -> bool:
    """The blog's home page, a static page or a label page: the blog's own navigation."""
    return path in ("", "/") or is_static_path(path) or path.startswith(_LABEL_PREFIX)


def blog_id_in_feed_url(url: str) -> str | None:
    match = _FEED_BLOG_ID.search(url)
    return match.group(1) if match else None


def is_summary_feed_url(url: str | None) -> bool:
    return url is not None and _SUMMARY_FEED in url


# --- URLs ------------------------------------------------------------------------------

_FEED_FORMATS = {"json": "json", "rss": "rss", "atom": None}  # Atom is Blogger's default: no alt


def feed_url(
    base: str,
    *,
    fmt: str = "json",
    start_index: int = 1,
    max_results: int = 150,
    orderby: str | None = None,
    published_min: str | None = None,
    published_max: str | None = None,
    updated_min: str | None = None,
    summary: bool = False,
) -> str:
    """The posts feed URL of the blog at base ('https://host'), parameters in a fixed order."""
    if fmt not in _FEED_FORMATS:
        raise ValueError(f"unknown feed format {fmt!r}; expected one of {sorted(_FEED_FORMATS)}")
    if updated_min is not None and orderby != "updated":
        # Blogger ignores updated-min unless the feed is ordered by update time.
        raise ValueError("updated_min needs orderby='updated'")
    params = {
        "alt": _FEED_FORMATS[fmt],
        "start-index": start_index,
        "max-results": max_results,
        "orderby": orderby,
        "published-min": published_min,
        "published-max": published_max,
        "updated-min": updated_min,
    }
    query = urlencode({k: v for k, v in params.items() if v is not None}, safe=":")
    path = "summary" if summary else "default"
    return f"{base.rstrip('/')}/feeds/posts/{path}?{query}"


def post_feed_url(base: str, post_id: str) -> str:
    """The JSON feed of one post: its whole entry, for posts a page draws by script."""
    return f"{base.rstrip('/')}/feeds/posts/default/{post_id}?alt=json"


class SiteError(ValueError):
    """A site argument that cannot name a blog; the message says why."""


@dataclass(frozen=True)
class Site:
    """One blog being crawled."""

    host: str  # canonical host: lowercase, country alias folded to .blogspot.com
    base: str  # scheme://host[:port] that feed, sitemap and page URLs are built on

    @property
    def sitemap_url(self) -> str:
        return f"{self.base}/sitemap.xml"

    @property
    def homepage_url(self) -> str:
        return f"{self.base}/"

    def post_feed_url(self, post_id: str) -> str:
        return post_feed_url(self.base, post_id)

    def post_url_on_site(self, url: str) -> str | None:
        """A post permalink's path rebuilt on this site's base, whatever host ``url`` names;
        None when ``url`` is not a post permalink."""
        if not is_post_url(url):
            return None
        return f"{self.base}{urlsplit(url.strip()).path}"

    def owns(self, url: str) -> bool:
        """True when ``url`` is on this blog (any scheme, any country alias)."""
        try:
            return blog_host(url) == self.host
        except ValueError:
            return False

    def local_url(self, url: str) -> str | None:
        """``url`` rebuilt on this site's base, or None when it points off the site.

        Blogger writes https links on pages served over http and the reverse; fetching them on
        the base the user named keeps one scheme and one host per site (one robots.txt, one
        download slot)."""
        if not self.owns(url):
            return None
        parts = urlsplit(canonicalize_url(url))
        path = parts.path or "/"
        return f"{self.base}{path}" + (f"?{parts.query}" if parts.query else "")


def parse_site(value: str) -> Site:
    """A Site from what a user typed: ``https://x.blogspot.co.id/``, ``x.blogspot.com``, ...

    Raises SiteError naming the problem for anything that is not an http(s) host."""
    raw = value.strip()
    if not raw:
        raise SiteError("empty site URL")
    if "://" not in raw:
        raw = "https://" + raw
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https"):
        raise SiteError(f"{value!r}: only http and https sites can be crawled, not {parts.scheme!r}")
    host = parts.hostname
    if not host or (" " in host) or ("." not in host and host != "localhost"):
        raise SiteError(f"{value!r}: no valid host name")
    try:
        base = site_base(raw)  # the port is read here: out of range raises
    except ValueError as exc:
        raise SiteError(f"{value!r}: {exc}") from None
    return Site(host=blog_host(host), base=base)
