"""A Blogger page loaded once: decoded, parsed, and its page-wide facts (page data, JSON-LD,
``<meta>``, canonical URL, base URL), each computed at most once."""

from __future__ import annotations

import json
import re
import threading
from functools import cached_property
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from newscrawl.blogger.decoding import xml_compatible
from newscrawl.blogger.pages.pagedata import page_data

LOOKS_LIKE_HTML = re.compile(
    r"<(?:!doctype\s+html|html|head|body|div|p|article|section|main|span|a|h[1-6]|table"
    r"|ul|img|br)\b",
    re.I,
)
_CANONICAL_LINK = etree.XPath("//link[@rel='canonical']/@href", smart_strings=False)
_TEXT_NODES = etree.XPath("text()", smart_strings=False)


class Doc:
    """One parsed page and its page-wide facts, each computed at most once."""

    def __init__(self, text: str, url: str):
        self.text = text
        self.url = url
        self.root = parse_html(text)

    @cached_property
    def data(self) -> dict[str, dict]:
        """The page data by entry name ('blog', 'view', ...), or {} when absent or broken."""
        return page_data(self.text)

    @property
    def blog(self) -> dict:
        return self.data.get("blog", {})

    @cached_property
    def json_ld(self) -> list[dict]:
        objects: list[dict] = []
        # What //script[contains(@type, 'ld+json')]/text() finds (see elements).
        scripts = (
            s for s in elements(self.root, "script") if "ld+json" in (s.get("type") or "")
        )
        for raw in (text for script in scripts for text in _TEXT_NODES(script)):
            try:
                parsed = json.loads(raw)
            except ValueError:
                continue
            for obj in parsed if isinstance(parsed, list) else [parsed]:
                if isinstance(obj, dict):
                    objects.append(obj)
                    objects.extend(o for o in obj.get("@graph", ()) if isinstance(o, dict))
        return objects

    @cached_property
    def meta(self) -> dict[str, str]:
        """``<meta>`` content by lower-cased property or name; the first one wins."""
        found: dict[str, str] = {}
        for meta in elements(self.root, "meta"):
            if meta.get("content") is None:
                continue
            key = (meta.get("property") or meta.get("name") or "").strip().lower()
            if key and key not in found:
                found[key] = meta.get("content").strip()
        return found

    @cached_property
    def canonical_url(self) -> str | None:
        return (
            data_str(self.blog, "canonicalUrl")
            or data_str(self.blog, "url")
            or first_str(_CANONICAL_LINK(self.root))
            or self.meta.get("og:url")
            or None
        )

    @cached_property
    def base_url(self) -> str:
        """Where relative links point: <base href>, else the fetch URL, but a saved
        file's protocol-relative images must resolve against the site, not the disk."""
        base = first_str([el.get("href") for el in elements(self.root, "base")])
        if base:
            try:
                return urljoin(self.url, base)
            except ValueError:
                pass
        if urlsplit(self.url).scheme in ("http", "https") or not self.canonical_url:
            return self.url
        return self.canonical_url

    @property
    def blog_url(self) -> str:
        """A URL on the blog's own host: links to it are the blog's, not the web's."""
        return self.canonical_url or self.url

    def ld_value(self, key: str) -> str | None:
        for obj in self.json_ld:
            value = obj.get(key)
            if isinstance(value, (str, int, float)) and str(value).strip():
                return str(value).strip()
        return None


# lxml.html's parser picks the Python class of every element the reader touches in a
# Python callback, which costs more than the rest of a proxy; this lookup picks it in C.
# The one difference, plain HtmlElement for <form>, <input>, <label> and the like rather
# than lxml.html's form classes, changes nothing here: no form API is used.
_HTML_CLASSES = etree.ElementDefaultClassLookup(
    element=lxml_html.HtmlElement, comment=lxml_html.HtmlComment,
    pi=lxml_html.HtmlProcessingInstruction, entity=lxml_html.HtmlEntity,
)
_parsers = threading.local()  # an lxml parser must not be shared between threads


def parse_html(text: str):
    """The page's root element, parsed as parsel's ``Selector(text=...)`` parses it (the
    same tree), with the class lookup above and no ID table, which nothing here reads."""
    parser = getattr(_parsers, "html", None)
    if parser is None:
        parser = _parsers.html = etree.HTMLParser(
            recover=True, encoding="utf-8", huge_tree=True, collect_ids=False
        )
        parser.set_element_class_lookup(_HTML_CLASSES)
    body = xml_compatible(text.strip()).encode("utf-8") or b"<html/>"
    root = etree.fromstring(body, parser=parser)
    if root is None:
        root = etree.fromstring(b"<html/>", parser=parser)
    return root


def elements(root, tag: str):
    """The ``tag`` elements of the page in document order, as XPath's //tag finds them.

    Cheaper than an XPath: lxml tests the tag in C, and returns at once when the page has
    no element of that name (no <base>, say) where an XPath walks the whole page."""
    return root.iter(tag)



def data_str(data: dict, key: str) -> str | None:
    value = data.get(key)
    if isinstance(value, (str, int)) and str(value).strip():
        return str(value).strip()
    return None


def first_str(values: list) -> str | None:
    for value in values:
        if value and value.strip():
            return value.strip()
    return None



def clean_text(text: str) -> str:
    return " ".join(text.split())
