"""What a Blogger site is to the crawler: its canonical host, the base its URLs are built on,
and which hosts belong to it.

``*.blogspot.<cc>`` country aliases are the same blog as ``*.blogspot.com``; custom domains run
on Blogger too. A site is named by the user (``-a site=``), so its host is trusted; every URL the
spider follows must fold back onto one of the sites being crawled.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from newscrawl.urls import blog_host, canonicalize_url, site_base


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
