"""Where a sitemap document is read: the ``loc`` and ``lastmod`` of every entry of a urlset or
sitemap index, or a SitemapError saying why the document cannot be trusted whole.

Scrapy's ``Sitemap`` parses with lxml's recovery on. A document cut short, or one whose DOCTYPE
makes libxml2 stop (entity amplification, the "billion laughs"), then comes back with fewer
entries or none, and nothing says so: a crawl that takes it for the whole sitemap loses the
posts of the missing part without a word. So the document is first parsed strictly, with the
same protections (no entity resolution, no network, no huge trees); only when it stays broken
after being fetched again does the spider take what the recovering parser can still read
(``read_sitemap_leniently``), and says so.

An entity reference inside ``loc`` (a DOCTYPE that defines ``&xxe;`` as a local file) is never
resolved and never kept: the URL is the text around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from scrapy.utils.sitemap import Sitemap

SITEMAP_TYPES = ("urlset", "sitemapindex")
# A whole sitemap document ends by closing its root.
_SITEMAP_END = re.compile(rb"</(?:\w+:)?(?:urlset|sitemapindex)>\s*$")


@dataclass(frozen=True)
class SitemapEntry:
    loc: str
    lastmod: str | None = None


@dataclass(frozen=True)
class SitemapDocument:
    type: str  # "urlset" or "sitemapindex"
    entries: tuple[SitemapEntry, ...]


class SitemapError(ValueError):
    """The document is not a whole sitemap. ``readable``: what the recovering parser still
    reads of it, when it is a sitemap at all (its root says so); such a document is ``broken``,
    and fetching it again may help. ``truncated``: it stops before its root is closed."""

    def __init__(self, message: str, *, readable: SitemapDocument | None = None, truncated: bool = False):
        super().__init__(message)
        self.readable = readable
        self.truncated = truncated

    @property
    def broken(self) -> bool:
        return self.readable is not None


def _strict_parser() -> etree.XMLParser:
    return etree.XMLParser(
        recover=False, resolve_entities=False, no_network=True, huge_tree=False,
        remove_comments=True, remove_pis=True,
    )


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text(element) -> str:
    """An element's text without what entity references would have put in it."""
    return "".join([element.text or "", *(child.tail or "" for child in element)]).strip()


def read_sitemap(body: bytes) -> SitemapDocument:
    """Every entry of a sitemap document; raises SitemapError when it is not one, or not whole."""
    try:
        root = etree.fromstring(body, parser=_strict_parser())
    except (etree.XMLSyntaxError, ValueError) as exc:
        lenient = read_sitemap_leniently(body)
        truncated = lenient is not None and not _SITEMAP_END.search(body[-200:])
        what = "cut off" if truncated else f"invalid XML: {exc}"
        raise SitemapError(f"{lenient.type if lenient else 'document'} {what}", readable=lenient,
                           truncated=truncated) from None
    kind = _local(root.tag)
    if kind not in SITEMAP_TYPES:
        raise SitemapError(f"root element is {kind!r}, not a sitemap")
    entries = []
    for child in root:
        fields = {_local(field.tag): _text(field) for field in child if _local(field.tag) in ("loc", "lastmod")}
        if fields.get("loc"):
            entries.append(SitemapEntry(fields["loc"], fields.get("lastmod") or None))
    return SitemapDocument(kind, tuple(entries))


def read_sitemap_leniently(body: bytes) -> SitemapDocument | None:
    """What Scrapy's recovering parser reads of a broken sitemap; None when it finds no sitemap."""
    try:
        sitemap = Sitemap(body)
    except Exception:  # lxml gives no root for non-XML, and Sitemap raises on that
        return None
    if sitemap.type not in SITEMAP_TYPES:
        return None
    entries = []
    try:
        for entry in sitemap:
            if entry.get("loc"):
                entries.append(SitemapEntry(entry["loc"], entry.get("lastmod") or None))
    except (ValueError, etree.LxmlError):
        # Reading an element's text raises on what recovery let through (a character
        # reference to a surrogate, say): the entries before it are kept.
        pass
    return SitemapDocument(sitemap.type, tuple(entries))
