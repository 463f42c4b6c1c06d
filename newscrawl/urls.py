"""URL normalization: the canonical URL of a post, the host of a blog.

Pure functions only. Which feed, sitemap, post and page URLs a blog has is said in
``newscrawl.blogger.sites``; this module only says what one URL is.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as _w3lib_canonicalize_url

__all__ = [
    "blog_host",
    "canonicalize_url",
    "site_base",
]

_WEB_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}

# Blogger serves every blog under country aliases of blogspot.com ('.blogspot.co.id',
# '.blogspot.de', '.blogspot.com.br'); the '.com' host is the one rel=canonical names.
_BLOGSPOT_ALIAS = re.compile(r"\.blogspot\.(?:com?\.)?[a-z]{2}$")
_BLOGSPOT_SUFFIX = ".blogspot.com"

# Query parameters that never change which post a URL shows: Blogger's mobile/desktop
# switch (only the values 0 and 1: on other sites 'm=201904' can be a monthly archive),
# Blogger's comment anchor, and click trackers. Matched against raw 'name=value' pairs.
_IGNORED_PARAMETER = re.compile(
    r"m=[01]|(?:showComment|fbclid|gclid|mc_cid|mc_eid|(?i:utm_)[^=]*)(?:=.*)?"
)

def _split(url: str) -> SplitResult | None:
    """``urlsplit`` that returns None instead of raising (bad IPv6 literal, bad port)."""
    try:
        parts = urlsplit(url)
        parts.port  # parsed lazily: read it here so that a bad port fails here too
    except ValueError:
        return None
    return parts


def _split_host_or_url(value: str) -> SplitResult | None:
    """Split a URL, or a bare host such as 'x.blogspot.co.id' or 'localhost:8080' (which
    only parses as a host when introduced by '//')."""
    value = value.strip()
    return _split(value if "//" in value else f"//{value}")


def _canonical_hostname(hostname: str) -> str:
    """Lowercase, IDNA-encoded hostname with blogspot country aliases folded to .com."""
    hostname = hostname.lower().rstrip(".")
    try:
        hostname = hostname.encode("idna").decode("ascii")
    except UnicodeError:
        pass  # not a valid IDNA label: keep the lowercase form rather than fail
    if ":" in hostname:
        return f"[{hostname}]"  # an IPv6 literal keeps its brackets in a netloc
    return _BLOGSPOT_ALIAS.sub(_BLOGSPOT_SUFFIX, hostname)


def _netloc(hostname: str, port: int | None, scheme: str) -> str:
    """``host[:port]`` with the scheme's default port left out."""
    host = _canonical_hostname(hostname)
    if port is None or port == _DEFAULT_PORTS.get(scheme):
        return host
    return f"{host}:{port}"


def _clean_query(query: str) -> str:
    """Drop the parameters matched by _IGNORED_PARAMETER, keep the rest as written."""
    pairs = [pair for pair in query.split("&") if pair]
    return "&".join(pair for pair in pairs if not _IGNORED_PARAMETER.fullmatch(pair))


def canonicalize_url(url: str) -> str:
    """Return the canonical form of an http(s) URL, used for the ``url`` field, dedup keys
    and followed links.

    The scheme becomes https, except for an http URL on an explicit port other than 80
    (a plain-HTTP server such as a local mirror would not answer https there). The host
    is lowercased and IDNA-encoded, blogspot country aliases become ``.blogspot.com``,
    default ports and credentials are dropped, Blogger's ``m=0/1`` and ``showComment`` and
    tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ``mc_cid``, ``mc_eid``) are
    removed, the fragment is dropped, the query is sorted and percent-encoding normalized
    (w3lib); the path keeps its case. A protocol-relative ``//host/path`` counts as https.

    Never raises: other schemes (``file://``, ``mailto:``) and input that does not parse
    as a URL with a host come back stripped but otherwise unchanged.
    """
    url = url.strip()
    parts = _split(url)
    written_scheme = (parts.scheme.lower() or "https") if parts else ""
    if parts is None or written_scheme not in _WEB_SCHEMES or not parts.hostname:
        return url
    # An http URL on an explicit port other than 80 is a plain-HTTP server (a local
    # mirror) that would not answer https on that port.
    plain_http = written_scheme == "http" and parts.port not in (None, 80)
    scheme = "http" if plain_http else "https"
    # The default port is judged against the scheme as written: http://host:80 is https://host.
    netloc = _netloc(parts.hostname, parts.port, written_scheme)
    rebuilt = urlunsplit((scheme, netloc, parts.path, _clean_query(parts.query), ""))
    try:
        return _w3lib_canonicalize_url(rebuilt, keep_fragments=False)
    except (ValueError, UnicodeError):
        return url


def blog_host(url_or_host: str) -> str:
    """Return the host that names a blog: lowercase, IDNA-encoded, blogspot country aliases
    folded to ``.blogspot.com``, ``www.`` kept (custom domains), no port. Accepts a URL or
    a bare host (with or without a port); ``""`` when there is no host.
    """
    parts = _split_host_or_url(url_or_host)
    return _canonical_hostname(parts.hostname) if parts and parts.hostname else ""


def site_base(url: str) -> str:
    """Return ``<scheme>://<blog_host>[:port]``, the base that feed and sitemap URLs are
    built on.

    Only the host is canonicalized: the scheme and a non-default port stay as given, so an
    ``http://`` test mirror stays reachable. A bare host ('example.blogspot.com') means
    https.

    Raises ValueError for a URL that is not http(s) or has no host.
    """
    parts = _split_host_or_url(url)
    scheme = (parts.scheme.lower() or "https") if parts else ""
    if parts is None or scheme not in _WEB_SCHEMES or not parts.hostname:
        raise ValueError(f"not an http(s) URL with a host: {url!r}")
    return f"{scheme}://{_netloc(parts.hostname, parts.port, scheme)}"
