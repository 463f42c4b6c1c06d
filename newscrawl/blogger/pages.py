"""Read a Blogger post page into a PostPage, with no crawler involved.

Blogger renders the same post through very different templates. ``FAMILIES`` below is the
one place that says which template families exist and which selectors each uses. A page is
read in three steps:

1. page-wide facts: the ``_WidgetManager._SetDataContext`` page data, JSON-LD, ``<meta>``,
   ``<link rel=canonical>``;
2. the first family whose markup is present locates every post, and the main post is
   picked among them (by the post id from the page data when there is one);
3. every post field is read inside the main post only, skipping the post body and
   related/share/comment blocks, so nothing leaks in from related posts, popular-post
   gadgets, comments or sidebars. Pages no family knows fall back to trafilatura.
"""

from __future__ import annotations

import copy
import json
import logging
import re
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from html import escape, unescape
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from parsel import css2xpath
from w3lib.encoding import html_to_unicode

from newscrawl.urls import blog_host

logger = logging.getLogger(__name__)

ITEM = "item"
INDEX = "index"
ARCHIVE = "archive"
STATIC_PAGE = "static_page"
GENERIC = "generic"
DYNAMIC = "dynamic"  # Dynamic Views shells: no post in the page


@dataclass(frozen=True)
class PostPage:
    """What one Blogger page says about itself and, on a post page, about its main post.

    Post fields (``post_id``, ``title``, ``html``, ``updated_raw``, ``author``, ``labels``,
    ``images``) are filled on post pages only. A listing page (``page_type`` 'index' or
    'archive') gets the page-level fields plus ``published_raw``: the machine-readable
    date (``abbr.published[title]``, ``time[datetime]``) of the newest post it lists,
    which is the page's own date (the last time its content changed, as htmldate reads a
    page's date). It is None when the listed posts carry no such date.

    ``template`` names the family that matched (see FAMILIES), 'generic' when trafilatura
    found the body, or 'dynamic' for a Dynamic Views shell, whose post is not in the page
    (``html`` None; the crawler reads such a post from its own feed).
    """

    page_type: str | None
    url: str | None
    blog_id: str | None
    post_id: str | None
    title: str | None
    html: str | None
    published_raw: str | None
    updated_raw: str | None
    author: str | None
    labels: tuple[str, ...]
    images: tuple[str, ...]
    template: str
    language: str | None


@dataclass(frozen=True)
class Family:
    """The CSS selectors of one template family.

    ``detect`` is matched page-wide; ``post`` finds one element per post; every other
    selector runs inside the main post. Tuples are alternatives tried in order.
    ``detect``, ``post`` and ``body`` may only use class selectors, with or without a tag,
    joined by descendant combinators (``article.post-outer-container .post``): they are
    matched in Python on the page's marked elements (see ``_MarkedElements``), not by XPath.
    """

    name: str
    detect: str
    post: str
    body: str = ".post-body"
    title: tuple[str, ...] = (".post-title", ".entry-title")
    published: str = "abbr.published, time.published, .published[datetime]"
    updated: str = "abbr.updated, time.updated, .updated[datetime]"
    date_text: tuple[str, ...] = (".date-header",)
    author: tuple[str, ...] = (
        ".post-author .fn",
        ".post-author .g-profile",
        ".post-author",
        "[itemprop=author]",
        "a[rel~=author]",
    )
    labels: str = ".post-labels a, .labels-container a, a[rel~=tag]"


# Most specific first: a Sora page also matches the classic selectors, and the mobile
# rendering of a classic template is classic markup inside <body class="mobile">.
FAMILIES: tuple[Family, ...] = (
    Family(
        "theme",  # Contempo, Soho, Emporio, Notable
        detect="article.post-outer-container",
        post="article.post-outer-container .post",
        date_text=("time.published",),
    ),
    Family(
        "sora",  # third-party magazine templates
        detect=".blog-post, .hentry h1.post-title",
        post=".blog-post, .post.hentry",
        body=".post-body, .entry-content",
        date_text=(".post-date", ".date-header", ".published"),
    ),
    Family(
        "mobile",  # ?m=1
        detect="body.mobile, .mobile-post-outer",
        post=".post, .mobile-post-outer",
        title=(".post-title", ".entry-title", ".mobile-index-title"),
    ),
    Family(
        "classic",
        detect=".post .post-body, .hentry .post-body",
        post=".post, .hentry",
    ),
)

_ITEMPROP_PUBLISHED = "[itemprop=datePublished]"
_ITEMPROP_UPDATED = "[itemprop=dateModified]"


def _compile_selectors() -> dict[str, etree.XPath]:
    selectors = {_ITEMPROP_PUBLISHED, _ITEMPROP_UPDATED}
    for family in FAMILIES:
        selectors.update(
            (family.published, family.updated, family.labels,
             *family.title, *family.date_text, *family.author)
        )
    return {css: etree.XPath(css2xpath(css)) for css in selectors}


_XPATH = _compile_selectors()


# --- family markup: the detect, post and body selectors ------------------------------
#
# Compiled to XPath, each of these selectors tests normalize-space(@class) on every element
# of the page, a descendant combinator once more below every match, and a classic page runs
# the theme, sora and mobile selectors before its own: most of the reader's time went there.
# Instead one pass collects the elements whose class attribute mentions a class these
# selectors look for, and the selectors are matched on that short list, with XPath's
# reading of the class attribute (tokens split on XML whitespace only, as normalize-space
# does) and document order kept.


@dataclass(frozen=True)
class _Step:
    """One compound selector: ``tag.class.class``, the tag optional."""

    tag: str | None
    classes: frozenset[str]

    def matches(self, el, classes: frozenset[str]) -> bool:
        return (self.tag is None or el.tag == self.tag) and self.classes <= classes


# A complex selector as its steps, outermost first, joined by descendant combinators.
_Path = tuple[_Step, ...]
_STEP = re.compile(r"([a-z][a-z0-9]*)?((?:\.[-\w]+)+)")
_CLASS_SEPARATOR = re.compile(r"[ \t\n\r]+")


def _paths(css: str) -> tuple[_Path, ...]:
    """A family's detect, post or body selector as alternative paths."""
    paths = []
    for alternative in css.split(","):
        steps = []
        for compound in alternative.split():
            match = _STEP.fullmatch(compound)
            if not match:
                raise ValueError(
                    f"family selector {css!r}: only tag.class steps and descendant combinators"
                )
            tag, classes = match.groups()
            steps.append(_Step(tag, frozenset(classes[1:].split("."))))
        if not steps:
            raise ValueError(f"family selector {css!r}: empty alternative")
        paths.append(tuple(steps))
    return tuple(paths)


_PATHS = {
    css: _paths(css) for family in FAMILIES for css in (family.detect, family.post, family.body)
}


# Every class the last step of a family path asks for.
_SUBJECT_CLASSES = frozenset(
    name for paths in _PATHS.values() for path in paths for name in path[-1].classes
)
# A class attribute that holds none of these strings holds none of those classes, so the
# elements whose class holds one are a cheap superset of every element a family path
# matches. "post" is in "post-body": only the shortest names are looked for.
_MARKERS = tuple(sorted(
    name for name in _SUBJECT_CLASSES
    if not any(other != name and other in name for other in _SUBJECT_CLASSES)
))


class _MarkedElements:
    """The elements of a page that a family path may match, with their classes, in
    document order and indexed by class."""

    def __init__(self, root):
        # This loop, with plain `in` tests, beats an XPath with contains() tests, a
        # regular expression and any() here.
        self.elements = []
        for el in root.iter(etree.Element):
            value = el.get("class")
            if not value:
                continue
            for marker in _MARKERS:
                if marker in value:
                    self.elements.append((el, frozenset(_CLASS_SEPARATOR.split(value))))
                    break
        self.by_class: dict[str, list[int]] = {}
        for position, (_, classes) in enumerate(self.elements):
            for name in classes & _SUBJECT_CLASSES:
                self.by_class.setdefault(name, []).append(position)

    def matching(self, paths: tuple[_Path, ...], *, last_step_only: bool = False) -> list:
        """(element, classes) of the elements matching one of ``paths`` page-wide, or only
        their last step, in document order."""
        positions = set()
        for path in paths:
            step = path[-1]
            for position in self.by_class.get(min(step.classes), ()):
                el, classes = self.elements[position]
                if step.matches(el, classes) and (
                    last_step_only or _has_outer_steps(el, path[:-1], None)
                ):
                    positions.add(position)
        return [self.elements[position] for position in sorted(positions)]


def _class_tokens(el) -> frozenset[str]:
    return frozenset(_CLASS_SEPARATOR.split(el.get("class") or ""))


def _matches(el, classes: frozenset[str], paths: tuple[_Path, ...], top) -> bool:
    """Whether ``el`` matches one of ``paths``, their outer steps met by its ancestors up
    to ``top``, the context element (itself included)."""
    return any(
        path[-1].matches(el, classes) and _has_outer_steps(el, path[:-1], top) for path in paths
    )


def _has_outer_steps(el, steps: _Path, top) -> bool:
    # With descendant combinators only, matching each step on the nearest ancestor that
    # meets it, innermost step first, is exact.
    if not steps:
        return True
    if el is top:
        return False  # the outer steps must match at or below the context element
    index = len(steps) - 1
    for ancestor in el.iterancestors():
        if steps[index].matches(ancestor, _class_tokens(ancestor)):
            index -= 1
            if index < 0:
                return True
        if ancestor is top:
            break
    return False


_CANONICAL_LINK = etree.XPath("//link[@rel='canonical']/@href", smart_strings=False)
_SERVICE_POST = etree.XPath("//link[@rel='service.post']/@href", smart_strings=False)
_BLOG_ID_META = etree.XPath("//meta[@itemprop='blogId']/@content", smart_strings=False)
_POST_ID_META = etree.XPath(".//meta[@itemprop='postId']/@content", smart_strings=False)
_TEXT_NODES = etree.XPath("text()", smart_strings=False)
_LINKS = etree.XPath("descendant-or-self::a")
_HAS_POST_ID = etree.XPath(
    "boolean(.//*[@id=$body_id] | .//meta[@itemprop='postId'][@content=$post_id])"
)
_DATE_GROUP_HEADER = etree.XPath(
    "ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' date-outer ')][1]"
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' date-header ')]"
)

# Post-level blocks that repeat other posts' titles, dates and authors.
_WIDGET_NOISE = re.compile(
    r"(?<![a-z])(?:related|popular|comment|shar(?:e|ing)|addthis|breadcrumb|blog-pager)",
    re.I,
)
# Blocks inside a post body that belong to the template or a plugin, not to the post.
_BODY_NOISE = re.compile(
    r"(?<![a-z])(?:related|shar(?:e|ing)|addthis|baca[-_]?juga|lihat[-_]?juga)", re.I
)
_BODY_DROP_TAGS = (
    "script", "style", "noscript", "iframe", "ins", "object", "embed",
    "form", "button", "input", "select", "textarea",
)
_BOILERPLATE_LEAD = re.compile(
    r"^\W*(?:baca\s+(?:juga|pula)|lihat\s+juga|artikel\s+terkait|berita\s+terkait"
    r"|bagikan(?:\s+(?:berita|artikel)\s+ini)?|related(?:\s+(?:posts?|articles?))?"
    r"|read\s+also|see\s+also|share\s+this)\b\W*",
    re.I,
)
# Blocks, and the inline wrappers news sites put a "Baca juga:" lead in.
_LINK_LIST_TAGS = (
    "p", "div", "ul", "ol", "li", "blockquote", "section", "aside", "table", "center",
    "h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "span", "font",
)
# A "Baca juga" list of a few headlines; a longer block is article text.
_EMPTY_DROPPABLE = ("div", "span", "p", "section", "aside", "center", "font", "b", "strong", "i", "em")
_LINK_LIST_MAX_CHARS = 600
_LINK_LIST_MIN_LINK_SHARE = 0.6
# A closing section heading: "Related posts:", "Teilnehmende Blogs:", "Artikel Terkait:".
_HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "b", "strong")
_SECTION_HEADING_MAX_CHARS = 80
_SECTION_HEADING_END = re.compile(r"[:\uff1a]$")
# One short paragraph introducing a trailing link list; a longer one is article text.
_TRAILER_LEAD_MAX_CHARS = 400
# Elements that break the line: they decide whether a heading or a link stands alone.
_BLOCK_TAGS = frozenset((
    "p", "div", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "section", "aside",
    "article", "header", "footer", "figure", "table", "thead", "tbody", "tr", "td", "th",
    "center", "pre", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
))
_WORD = re.compile(r"\w")
# Link text that is the link's own address: a citation, not the title of another post.
_PRINTED_URL = re.compile(r"(?:https?://|www\.)\S+$", re.I)
_LAZY_SRC_ATTRS = ("data-src", "data-original", "data-lazy-src")
_NON_CONTENT_IMAGE = re.compile(
    r"(?<![a-z])(?:emoji|emoticons?|smil(?:e|ey|ies)|icons?|pixel|spacer|blank"
    r"|share|sharing|button|badge)(?![a-z])|/~r/|/~ff/|resources\.blogblog\.com/img/",
    re.I,
)

_LOOKS_LIKE_HTML = re.compile(
    r"<(?:!doctype\s+html|html|head|body|div|p|article|section|main|span|a|h[1-6]|table"
    r"|ul|img|br)\b",
    re.I,
)
_DATA_CONTEXT = re.compile(r"_SetDataContext\(\s*\[")
# The page data literal as tokens: (1) a run of everything but brackets and strings, with
# the plain strings in it, which JSON reads as they stand once double-quoted (no escape,
# quote, control character or bracket in them: most strings, so most of the literal goes
# in a few runs); (2) an opening and (3) a closing bracket; (4, 5) any other string.
_JS_TOKEN = re.compile(
    r"""
    ( (?: [^'"\[\]{}]++ | '[^'"\\\x00-\x1f\[\]{}]*+' )++ )
    | ([\[{]) | ([\]}])
    | '([^'\\]*(?:\\.[^'\\]*)*)' | "([^"\\]*(?:\\.[^"\\]*)*)"
    """,
    re.S | re.X,
)
# What a string must not hold for JSON to read it as it stands once double-quoted.
_NEEDS_JSON_ESCAPE = re.compile(r'["\\\x00-\x1f]')
_JS_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|(.))", re.S)
_JS_SINGLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
_FEED_BLOG_ID = re.compile(r"/feeds/(\d+)/")
_BLOG_TAG = re.compile(r"tag:blogger\.com,1999:blog-(\d+)")
_POST_BODY_ID = re.compile(r"^post-body-(\d+)$")
_ARCHIVE_PATH = re.compile(r"^/\d{4}/(?:\d{2}/)?$|_archive\.html$")
_STATIC_PATH = re.compile(r"^/p/[^/]+\.html$")
_BYLINE_PREFIX = re.compile(
    r"^(?:(?:posted|written|published)\s+by|(?:diposting|ditulis|dikirim|diterbitkan)\s+oleh"
    r"|oleh|by|eingestellt\s+von|publicado\s+por|publi[ée]\s+par|pubblicato\s+da"
    r"|geplaatst\s+door|author|penulis)\b\s*:?\s*",
    re.I,
)
# Blogger prints this when the author's profile is gone; it is not a name.
_NO_AUTHOR = "Unknown"
_LANGUAGE_PRIMARY = re.compile(r"\s*([A-Za-z]{2,3})(?![A-Za-z])")
_LEADING_INT = re.compile(r"\s*(\d+)")
# Pre-ISO codes still found in lang attributes (Java locales print Indonesian as "in").
_LEGACY_LANGUAGE = {"in": "id", "iw": "he", "ji": "yi"}

_NOT_HTML = PostPage(
    page_type=None, url=None, blog_id=None, post_id=None, title=None, html=None,
    published_raw=None, updated_raw=None, author=None, labels=(), images=(),
    template=GENERIC, language=None,
)


def parse_post_page(body: bytes | str, url: str, *, encoding: str | None = None) -> PostPage:
    """Read a Blogger page: page type, canonical URL and ids, and the main post's fields.

    ``url`` is where the page was fetched from (a ``file://`` URL for a saved page); it
    resolves relative links and images unless the page has ``<base href>``. ``encoding``
    overrides the page's own declaration for ``bytes`` input. Post fields are filled only
    on post pages (``page_type`` 'item', or unknown); other pages get the page-level
    fields, and listing pages also the newest listed post's date (see ``PostPage``).
    Never raises on malformed input: a body that is not HTML gives an empty page.
    """
    text = _decode(body, encoding)
    if not _LOOKS_LIKE_HTML.search(text):
        return _NOT_HTML
    doc = _Doc(text, url)
    family, posts = _match_family(doc.root)
    page_type = _page_type(doc, len(posts))
    page = dict(
        page_type=page_type,
        url=doc.canonical_url,
        blog_id=_blog_id(doc),
        language=_language(doc.root),
    )
    if page_type not in (ITEM, None):
        listing = page_type in (INDEX, ARCHIVE) and family is not None
        return PostPage(
            **page, post_id=None, title=None, html=None,
            published_raw=_newest_listed(posts, family) if listing else None,
            updated_raw=None, author=None, labels=(), images=(),
            template=family.name if family else GENERIC,
        )
    if not posts:
        if doc.meta.get("blogger-template") == "dynamic":
            # Dynamic Views: the post is drawn by script from its feed; the page holds only
            # chrome, which a generic extractor would take for the article.
            return PostPage(
                **page, post_id=_data_str(doc.blog, "postId"), title=_page_title(doc), html=None,
                published_raw=None, updated_raw=None, author=None, labels=(), images=(), template=DYNAMIC,
            )
        return _generic_post(doc, page)
    post, post_body = _main_post(posts, _data_str(doc.blog, "postId"))
    cleaned = _clean_body(post_body, doc.base_url, doc.blog_url)
    return PostPage(
        **page,
        post_id=_post_id(doc, post, post_body),
        title=_title(doc, post, post_body, family),
        html=_html(cleaned),
        published_raw=_published(doc, post, post_body, family),
        updated_raw=_updated(doc, post, post_body, family),
        author=_author(doc, post, post_body, family),
        labels=_labels(post, post_body, family),
        images=_images(cleaned),
        template=family.name,
    )


class _Doc:
    """One parsed page and its page-wide facts, each computed at most once."""

    def __init__(self, text: str, url: str):
        self.text = text
        self.url = url
        self.root = _parse_html(text)

    @cached_property
    def data(self) -> dict[str, dict]:
        """The page data by entry name ('blog', 'view', ...), or {} when absent or broken."""
        return _page_data(self.text)

    @property
    def blog(self) -> dict:
        return self.data.get("blog", {})

    @cached_property
    def json_ld(self) -> list[dict]:
        objects: list[dict] = []
        # What //script[contains(@type, 'ld+json')]/text() finds (see _elements).
        scripts = (
            s for s in _elements(self.root, "script") if "ld+json" in (s.get("type") or "")
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
        for meta in _elements(self.root, "meta"):
            if meta.get("content") is None:
                continue
            key = (meta.get("property") or meta.get("name") or "").strip().lower()
            if key and key not in found:
                found[key] = meta.get("content").strip()
        return found

    @cached_property
    def canonical_url(self) -> str | None:
        return (
            _data_str(self.blog, "canonicalUrl")
            or _data_str(self.blog, "url")
            or _first_str(_CANONICAL_LINK(self.root))
            or self.meta.get("og:url")
            or None
        )

    @cached_property
    def base_url(self) -> str:
        """Where relative links point: <base href>, else the fetch URL, but a saved
        file's protocol-relative images must resolve against the site, not the disk."""
        base = _first_str([el.get("href") for el in _elements(self.root, "base")])
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


def _parse_html(text: str):
    """The page's root element, parsed as parsel's ``Selector(text=...)`` parses it (the
    same tree), with the class lookup above and no ID table, which nothing here reads."""
    parser = getattr(_parsers, "html", None)
    if parser is None:
        parser = _parsers.html = etree.HTMLParser(
            recover=True, encoding="utf-8", huge_tree=True, collect_ids=False
        )
        parser.set_element_class_lookup(_HTML_CLASSES)
    body = text.strip().replace("\x00", "").encode("utf-8") or b"<html/>"
    root = etree.fromstring(body, parser=parser)
    if root is None:
        root = etree.fromstring(b"<html/>", parser=parser)
    return root


def _elements(root, tag: str):
    """The ``tag`` elements of the page in document order, as XPath's //tag finds them.

    Cheaper than an XPath: lxml tests the tag in C, and returns at once when the page has
    no element of that name (no <base>, say) where an XPath walks the whole page."""
    return root.iter(tag)


def _decode(body: bytes | str, encoding: str | None) -> str:
    if isinstance(body, str):
        return body
    header = f"text/html; charset={encoding}" if encoding else None
    return html_to_unicode(header, bytes(body))[1]


def _page_data(text: str) -> dict[str, dict]:
    """Turn the ``_SetDataContext([...])`` JavaScript literal into plain dicts.

    Blogger prints it with single-quoted strings and ``\\x3c``-style escapes, which JSON
    does not allow, so the strings are re-encoded before ``json.loads``. The whole literal
    is read, though only the 'blog' entry is used: a literal cut short or broken anywhere
    is ignored as a whole.
    """
    start = _DATA_CONTEXT.search(text)
    if not start:
        return {}
    parts: list[str] = []
    depth = 0
    for token in _JS_TOKEN.finditer(text, start.end() - 1):
        kind = token.lastindex  # which group of _JS_TOKEN matched
        if kind == 1:
            parts.append(token[1].replace("'", '"'))
        elif kind >= 4:
            parts.append(_json_string(token[kind]))
        else:
            parts.append(token[0])
            depth += 1 if kind == 2 else -1
            if depth == 0:
                break
    try:
        entries = json.loads("".join(parts))
    except ValueError:
        return {}
    if not isinstance(entries, list):
        return {}
    return {
        entry["name"]: entry["data"]
        for entry in entries
        if isinstance(entry, dict)
        and isinstance(entry.get("name"), str)
        and isinstance(entry.get("data"), dict)
    }


def _json_string(literal: str) -> str:
    """The body of a JavaScript string literal as a JSON string."""
    if not _NEEDS_JSON_ESCAPE.search(literal):
        return f'"{literal}"'  # no escape, nothing JSON must escape
    return json.dumps(_unescape_js(literal))


def _unescape_js(literal: str) -> str:
    def replace(match: re.Match) -> str:
        hex2, hex4, char = match.groups()
        if hex2 or hex4:
            return chr(int(hex2 or hex4, 16))
        return _JS_SINGLE_ESCAPES.get(char, char)

    return _JS_ESCAPE.sub(replace, literal)


def _match_family(root) -> tuple[Family | None, list[tuple[etree._Element, etree._Element]]]:
    """The first family present on the page, with its posts as (post, body) pairs."""
    marked = _MarkedElements(root)
    for family in FAMILIES:
        if marked.matching(_PATHS[family.detect]):
            posts = _posts(marked, family)
            if posts:
                return family, posts
    return None, []


def _posts(marked: _MarkedElements, family: Family) -> list[tuple[etree._Element, etree._Element]]:
    candidates = [el for el, _ in marked.matching(_PATHS[family.post]) if not _in_gadget(el)]
    # Keep the outermost: a post body copied from a news site may carry class="post".
    chosen = set(candidates)
    outermost = [el for el in candidates if not any(a in chosen for a in el.iterancestors())]
    # Each post's body: the first match inside it (the post itself included) that is not
    # in a related/share/comment block.
    body_paths = _PATHS[family.body]
    bodies = [
        (el, classes, set(el.iterancestors()))
        for el, classes in marked.matching(body_paths, last_step_only=True)
    ]
    pairs = []
    for post in outermost:
        for el, classes, ancestors in bodies:
            if (
                (el is post or post in ancestors)
                and _matches(el, classes, body_paths, top=post)
                and _belongs_to_post(el, post, None)
            ):
                pairs.append((post, el))
                break
    return pairs


def _in_gadget(el) -> bool:
    """Whether ``el`` sits in a sidebar gadget or a related/popular/comment block.

    Blogger wraps every gadget in ``div.widget.<Type>`` and the posts in ``div.widget.Blog``,
    so the nearest widget decides; layout wrappers above it are never looked at.
    """
    for ancestor in el.iterancestors():
        classes = (ancestor.get("class") or "").split()
        if "widget" in classes:
            return "Blog" not in classes
        if _WIDGET_NOISE.search(_class_and_id(ancestor)):
            return True
    return False


def _scoped(post, body, xpath: etree.XPath) -> list:
    """Matches of ``xpath`` inside ``post`` that are neither in ``body`` nor in a
    related/share/comment block: a post's metadata lives around its body, not in it."""
    return [el for el in xpath(post) if _belongs_to_post(el, post, body)]


def _belongs_to_post(el, post, body) -> bool:
    for ancestor in el.iterancestors():
        if ancestor is post:
            return True
        if ancestor is body or _WIDGET_NOISE.search(_class_and_id(ancestor)):
            return False
    return True


def _main_post(posts, post_id: str | None):
    if post_id and len(posts) > 1:
        for post, body in posts:
            if _HAS_POST_ID(post, body_id=f"post-body-{post_id}", post_id=post_id):
                return post, body
    return posts[0]


def _page_type(doc: _Doc, post_count: int) -> str | None:
    declared = _data_str(doc.blog, "pageType")
    if declared:
        return declared
    if post_count == 0:
        return None
    path = urlsplit(doc.canonical_url or doc.url).path
    if post_count > 1:
        return ARCHIVE if _ARCHIVE_PATH.search(path) else INDEX
    return STATIC_PAGE if _STATIC_PATH.search(path) else ITEM


def _blog_id(doc: _Doc) -> str | None:
    declared = _data_str(doc.blog, "blogId")
    if declared:
        return declared
    for href in _SERVICE_POST(doc.root):
        if match := _FEED_BLOG_ID.search(href):
            return match.group(1)
    meta = _first_str(_BLOG_ID_META(doc.root))
    if meta:
        return meta
    match = _BLOG_TAG.search(doc.text)
    return match.group(1) if match else None


def _post_id(doc: _Doc, post, body) -> str | None:
    declared = _data_str(doc.blog, "postId")
    if declared:
        return declared
    match = _POST_BODY_ID.match(body.get("id") or "")
    if match:
        return match.group(1)
    return _first_str(_POST_ID_META(post))


def _title(doc: _Doc, post, body, family: Family) -> str | None:
    return _first_text(post, body, family.title) or _page_title(doc)


def _page_title(doc: _Doc) -> str | None:
    return (
        _clean_text(unescape(_data_str(doc.blog, "pageName") or ""))
        or _clean_text(doc.ld_value("headline") or "")
        or doc.meta.get("og:title")
        or None
    )


def _published(doc: _Doc, post, body, family: Family) -> str | None:
    return (
        _first_date_attr(post, body, family.published)
        or _page_published(doc)
        or _first_date_attr(post, body, _ITEMPROP_PUBLISHED)
        or _first_text(post, body, family.date_text)
        or _date_group_header(post)
    )


def _newest_listed(posts, family: Family) -> str | None:
    """The machine-readable date of the newest post a listing page shows.

    Blogger lists newest first, so this is normally the first post's date; the dates are
    still compared, because a page whose order is not newest-first (a reversed archive, a
    post pinned on top by the template) is still dated by its newest post.
    """
    dated = [raw for post, body in posts if (raw := _first_date_attr(post, body, family.published))]
    newest, newest_at = (dated[0] if dated else None), None
    for raw in dated:
        try:
            at = datetime.fromisoformat(raw)
        except ValueError:
            continue
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)  # only ranks the page's own dates
        if newest_at is None or at > newest_at:
            newest, newest_at = raw, at
    return newest


def _page_published(doc: _Doc) -> str | None:
    return doc.ld_value("datePublished") or doc.meta.get("article:published_time")


def _updated(doc: _Doc, post, body, family: Family) -> str | None:
    return (
        _first_date_attr(post, body, family.updated)
        or _page_updated(doc)
        or _first_date_attr(post, body, _ITEMPROP_UPDATED)
    )


def _page_updated(doc: _Doc) -> str | None:
    return doc.ld_value("dateModified") or doc.meta.get("article:modified_time")


def _author(doc: _Doc, post, body, family: Family) -> str | None:
    for css in family.author:
        for el in _scoped(post, body, _XPATH[css]):
            name = _author_name(el.text_content())
            if name:
                return name
    return _page_author(doc)


def _page_author(doc: _Doc) -> str | None:
    """The JSON-LD author, else <meta name=author>."""
    for obj in doc.json_ld:
        authors = obj.get("author")
        for author in authors if isinstance(authors, list) else [authors]:
            name = author.get("name") if isinstance(author, dict) else author
            if isinstance(name, str) and (name := _author_name(name)):
                return name
    return _author_name(doc.meta.get("author", ""))


def _author_name(text: str) -> str | None:
    name = _BYLINE_PREFIX.sub("", _clean_text(text)).strip(" :,-")
    return name if name and name != _NO_AUTHOR else None


def _labels(post, body, family: Family) -> tuple[str, ...]:
    labels = (_clean_text(a.text_content()) for a in _scoped(post, body, _XPATH[family.labels]))
    return tuple(dict.fromkeys(label for label in labels if label))


def _language(root) -> str | None:
    match = _LANGUAGE_PRIMARY.match(root.get("lang") or "")
    if not match:
        return None
    code = match.group(1).lower()
    code = _LEGACY_LANGUAGE.get(code, code)
    return code if len(code) == 2 else None


def _generic_post(doc: _Doc, page: dict) -> PostPage:
    """A post page no family knows: trafilatura finds the text, page-wide data the rest."""
    cleaned = _generic_body(doc)
    return PostPage(
        **page,
        post_id=_data_str(doc.blog, "postId"),
        title=_page_title(doc),
        html=_html(cleaned),
        published_raw=_page_published(doc),
        updated_raw=_page_updated(doc),
        author=_page_author(doc),
        labels=(),
        images=_images(cleaned),
        template=GENERIC,
    )


def _generic_body(doc: _Doc):
    # Imported on first use: it is slow to import and only this fallback needs it.
    import trafilatura

    extracted = trafilatura.extract(
        doc.text, url=doc.url, output_format="html", include_links=True,
        include_images=True, include_comments=False,
    )
    if not extracted:
        return None
    body = lxml_html.document_fromstring(extracted).body
    body.tag = "div"
    return _clean_body(body, doc.base_url, doc.blog_url)


@dataclass(frozen=True)
class PostBody:
    """A post body cleaned like a page's: what a feed entry's content becomes."""

    html: str | None
    images: tuple[str, ...]


def read_post_body(html: str, base_url: str) -> PostBody:
    """Clean a post body given as an HTML fragment (a feed entry's content) with the same
    rules as a post page's body, so a post gives the same record from either route.
    ``base_url`` is the post's URL: it resolves relative links and names the blog."""
    try:
        body = lxml_html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError):
        return PostBody(None, ())
    cleaned = _clean_body(body, base_url, base_url)
    return PostBody(_html(cleaned), _images(cleaned))


def _clean_body(body, base_url: str, blog_url: str):
    """A cleaned copy of a post body: no scripts, ads, embeds, widgets, share or
    "Baca juga" blocks, trailing link sections or links to the blog's own pages,
    tracking pixels or event handlers; links and images absolute. ``blog_url`` is any
    URL on the blog's own host."""
    body = copy.deepcopy(body)
    for node in list(body.iter(etree.Comment, *_BODY_DROP_TAGS)):
        # The body itself may carry a dropped tag (<form class="post-body">): keep its content.
        if node is not body:
            node.drop_tree()
    for node in list(body.iter(etree.Element)):
        # Namespaced tags are social plugins (<fb:like>, <g:plusone>).
        if node is not body and (":" in node.tag or _BODY_NOISE.search(_class_and_id(node))):
            node.drop_tree()
    # Before the "Baca juga" rule, which would take a known heading with only the first
    # of its links; and before the links to the blog's own pages, which may sit above it.
    _drop_trailing_link_section(body)
    _drop_link_lists(body)
    _drop_trailing_own_links(body, base_url, _own_host(blog_url))
    for img in list(body.iter("img")):
        _unlazy(img)
        if _is_pixel(img):
            img.drop_tree()
    for node in body.iter(etree.Element):
        for attr in [a for a in node.attrib if a.lower().startswith("on")]:
            del node.attrib[attr]
    _drop_empty_containers(body)
    body.make_links_absolute(base_url, resolve_base_href=False, handle_failures="discard")
    return body


def _drop_empty_containers(body) -> None:
    """Containers left empty once widgets are gone (a share block's wrapper, say)."""
    for node in reversed(list(body.iter(*_EMPTY_DROPPABLE))):
        if node is body or (node.text and not node.text.isspace()):
            continue  # text of its own: not empty, whatever is below it
        if not node.text_content().strip() and node.find(".//img") is None:
            node.drop_tree()


def _drop_link_lists(body) -> None:
    """Drop "Baca juga:" / "Related" / "Bagikan" blocks that are short lists of links,
    and a lone "Baca juga:" heading together with the link list right after it."""
    for node in list(body.iter(*_LINK_LIST_TAGS)):
        if node is body or node.getparent() is None:
            continue
        text = _clean_text(node.text_content())
        lead = _BOILERPLATE_LEAD.match(text)
        if not lead:
            continue
        if _is_link_list(node, text[lead.end():]):
            node.drop_tree()
        elif lead.end() == len(text):
            following = node.getnext()
            if following is not None and _is_link_list(
                following, _clean_text(following.text_content())
            ):
                following.drop_tree()
                node.drop_tree()


def _is_link_list(node, rest: str) -> bool:
    links = _LINKS(node)
    if not links or len(rest) > _LINK_LIST_MAX_CHARS:
        return False
    link_chars = sum(len(_clean_text(a.text_content())) for a in links)
    return link_chars >= _LINK_LIST_MIN_LINK_SHARE * len(rest)


def _drop_trailing_link_section(body) -> None:
    """Drop a post's closing section that is a short heading ending in ':' followed only
    by links: a participants, related-posts, "more from this series" or links list.

    Such a list points away from the post and says nothing itself, whatever the
    language of its heading; a heading that announces what follows (the ':') is what
    sets it apart from a post that merely ends in a link. Only the post's last heading
    is looked at: an earlier one is followed by it, which is not a link. A heading is an
    <h1>-<h6>, or bold text on a line of its own. The list must be short, like a "Baca
    juga" list, and may hold nothing but links, line breaks and separators: a link
    round-up post, or a list with notes or images, is article text. So is a link that
    prints its own address ("Sumber:" and a URL): that is a citation, and on an autoblog
    mirror the repost footer that ``newscrawl.blogger.footer`` reads the source from.

    When the heading and its list are the end of a block of their own, the whole block
    goes, provided the rest of it is one short paragraph of text: bloggers set such a
    trailer apart (centered, boxed) and open it with a line that introduces the list
    ("want to join? leave a comment", "more in this series"), which is no more article
    text than the list is. A longer or structured rest is article text, and then only
    the heading and its list go. Nothing goes when it would leave no text before it.
    """
    headings = [
        el for el in body.iter(*_HEADING_TAGS)
        if _WORD.search(el.text_content()) and not _in_link(el, body)
    ]
    if not headings:
        return
    heading = _rise(headings[-1], body)
    text = _clean_text(heading.text_content())
    if (
        len(text) > _SECTION_HEADING_MAX_CHARS
        or not _SECTION_HEADING_END.search(text)
        or not _is_line(heading, body)
        or not _only_links_after(heading, body)
    ):
        return
    start = heading
    block = heading.getparent()
    if block is not body and _is_short_lead(block, heading) and _has_words_before(block, body):
        start = block
    if not _has_words_before(start, body):
        return
    _drop_from(start, body)


def _rise(el, body):
    """The outermost element below ``body`` that holds ``el`` and no other text."""
    text = _clean_text(el.text_content())
    parent = el.getparent()
    while parent is not None and parent is not body and _clean_text(parent.text_content()) == text:
        el, parent = parent, parent.getparent()
    return el


def _only_links_after(node, body) -> bool:
    """Whether everything after ``node`` in ``body`` is links (at least one), line breaks
    and separators, with no more link text than a short list holds."""
    links: list = []

    def links_only(el, in_link: bool) -> bool:
        if el.tag == "a" and not in_link:
            links.append(el)
            in_link = True
        if not in_link and (el.tag == "img" or _WORD.search(el.text or "")):
            return False
        return all(
            links_only(child, in_link) and (in_link or not _WORD.search(child.tail or ""))
            for child in el.iterchildren(etree.Element)
        )

    el = node
    while el is not body:
        if _WORD.search(el.tail or ""):
            return False
        for sibling in el.itersiblings():
            if not isinstance(sibling.tag, str):
                continue
            if not links_only(sibling, False) or _WORD.search(sibling.tail or ""):
                return False
        el = el.getparent()
    texts = [_clean_text(a.text_content()) for a in links]
    return (
        bool(links)
        and sum(map(len, texts)) <= _LINK_LIST_MAX_CHARS
        and not any(_PRINTED_URL.match(text) for text in texts)
    )


def _is_short_lead(block, heading) -> bool:
    """Whether what precedes ``heading`` in ``block`` is one short paragraph: inline text
    only, no blocks, no images."""
    text = block.text or ""
    for sibling in heading.itersiblings(preceding=True):
        if not isinstance(sibling.tag, str):
            continue
        if any(el.tag in _BLOCK_TAGS or el.tag == "img" for el in sibling.iter(etree.Element)):
            return False
        text += sibling.text_content() + (sibling.tail or "")
    return len(_clean_text(text)) <= _TRAILER_LEAD_MAX_CHARS


def _has_words_before(node, body) -> bool:
    el = node
    while el is not body:
        parent = el.getparent()
        if _WORD.search(parent.text or ""):
            return True
        for sibling in el.itersiblings(preceding=True):
            if _WORD.search(sibling.tail or ""):
                return True
            if isinstance(sibling.tag, str) and _WORD.search(sibling.text_content()):
                return True
        el = parent
    return False


def _drop_from(node, body) -> None:
    """Remove ``node`` and everything after it in ``body``."""
    el = node
    while el is not body:
        parent = el.getparent()
        for sibling in list(el.itersiblings()):
            parent.remove(sibling)
        el.tail = None
        el = parent
    node.getparent().remove(node)


def _drop_trailing_own_links(body, base_url: str, own_host: str) -> None:
    """Drop the lines at the end of a post that are nothing but links to the blog's own
    static pages (/p/<slug>.html), label pages or home page.

    Templates and bloggers close posts with "rating explained", "about me", "disclaimer"
    or "more in <label>" links, as text or as a banner image: the blog's navigation, the
    same under every post, not the post. Walks back from the end over the post's last
    lines, passing lines with no text (images, breaks), and stops at the first line with
    other text. A link inside a sentence, or a line mixing such a link with other words,
    is article text and stays.
    """
    if not own_host:
        return
    node = body
    while True:
        descend = None
        for child in reversed(list(node)):
            if _WORD.search(child.tail or ""):
                return
            if not isinstance(child.tag, str):
                continue
            if _is_own_link_line(child, body, base_url, own_host):
                if child.tag not in _BLOCK_TAGS:
                    child.tail = None  # the separator closing the line: "Lainnya &raquo;"
                child.drop_tree()
                continue
            if not _WORD.search(child.text_content()):
                continue
            if child.tag in _BLOCK_TAGS:
                descend = child
            break
        if descend is None:
            return
        node = descend


def _is_own_link_line(el, body, base_url: str, own_host: str) -> bool:
    if not _is_line(el, body):
        return False
    links = _LINKS(el)
    if not links or _WORD.search(_text_outside_links(el)):
        return False
    if any(not _in_link(img, el) for img in el.iter("img")):
        return False
    return all(_is_own_page(a.get("href") or "", base_url, own_host) for a in links)


def _text_outside_links(el) -> str:
    if el.tag == "a":
        return ""
    parts = [el.text or ""]
    for child in el.iterchildren(etree.Element):
        parts.append(_text_outside_links(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _in_link(el, top) -> bool:
    """Whether ``el`` is, or sits in, a link below ``top``."""
    if el.tag == "a":
        return True
    for ancestor in el.iterancestors():
        if ancestor is top:
            return False
        if ancestor.tag == "a":
            return True
    return False


def _is_own_page(href: str, base_url: str, own_host: str) -> bool:
    """Whether ``href`` is the blog's home page, a static page or a label page."""
    try:
        url = urljoin(base_url, href.strip())
        parts = urlsplit(url)
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or _own_host(url) != own_host:
        return False
    path = parts.path
    return path in ("", "/") or bool(_STATIC_PATH.search(path)) or path.startswith("/search/label/")


def _own_host(url: str) -> str:
    """The blog's host for comparing links: blogspot country aliases folded by
    ``blog_host``, and ``www.`` ignored, since a custom domain answers with and without it."""
    return blog_host(url).removeprefix("www.")


def _is_line(el, body) -> bool:
    """Whether ``el`` is a block, or inline content with a line of its own."""
    return el.tag in _BLOCK_TAGS or (_starts_line(el, body) and _ends_line(el, body))


def _starts_line(el, body) -> bool:
    """Whether ``el`` begins a line: nothing but whitespace before it since the last
    break or block boundary."""
    previous = el.getprevious()
    if previous is not None:
        return not _WORD.search(previous.tail or "") and (
            previous.tag == "br" or previous.tag in _BLOCK_TAGS
        )
    parent = el.getparent()
    if parent is None or _WORD.search(parent.text or ""):
        return False
    return parent is body or parent.tag in _BLOCK_TAGS or _starts_line(parent, body)


def _ends_line(el, body) -> bool:
    """Whether ``el`` ends a line: a break, a block boundary or the end follows it."""
    if _WORD.search(el.tail or ""):
        return False
    following = el.getnext()
    if following is not None:
        return following.tag == "br" or following.tag in _BLOCK_TAGS
    parent = el.getparent()
    if parent is None:
        return True
    return parent is body or parent.tag in _BLOCK_TAGS or _ends_line(parent, body)


def _unlazy(img) -> None:
    """Lazy-loading templates keep the real address in data-src and a placeholder in src."""
    src = (img.get("src") or "").strip()
    if src and not src.startswith("data:"):
        return
    for attr in _LAZY_SRC_ATTRS:
        if img.get(attr):
            img.set("src", img.attrib.pop(attr).strip())
            return


def _is_pixel(img) -> bool:
    for attr in ("width", "height"):
        match = _LEADING_INT.match(img.get(attr) or "")
        if match and int(match.group(1)) <= 2:
            return True
    return False


def _html(cleaned) -> str | None:
    if cleaned is None:
        return None
    if not _clean_text(cleaned.text_content()) and cleaned.find(".//img") is None:
        return None
    # The body's content without its wrapper: the wrapper differs between a page's
    # div.post-body and a feed entry's fragment, the post does not.
    head = escape(cleaned.text or "", quote=False)
    return (head + "".join(lxml_html.tostring(child, encoding="unicode") for child in cleaned)).strip()


def _images(cleaned) -> tuple[str, ...]:
    if cleaned is None:
        return ()
    sources = ((img.get("src") or "").strip() for img in cleaned.iter("img"))
    return tuple(
        dict.fromkeys(
            src for src in sources
            if src and not src.startswith("data:") and not _NON_CONTENT_IMAGE.search(src)
        )
    )


def _first_text(post, body, alternatives: tuple[str, ...]) -> str | None:
    for css in alternatives:
        for el in _scoped(post, body, _XPATH[css]):
            text = _clean_text(el.text_content())
            if text:
                return text
    return None


def _first_date_attr(post, body, css: str) -> str | None:
    for el in _scoped(post, body, _XPATH[css]):
        for attr in ("datetime", "content", "title"):
            value = (el.get(attr) or "").strip()
            if value:
                return value
    return None


def _date_group_header(post) -> str | None:
    """The classic "Jumat, 26 April 2019" header of the day group holding the post."""
    for header in _DATE_GROUP_HEADER(post):
        text = _clean_text(header.text_content())
        if text:
            return text
    return None


def _data_str(data: dict, key: str) -> str | None:
    value = data.get(key)
    if isinstance(value, (str, int)) and str(value).strip():
        return str(value).strip()
    return None


def _first_str(values: list) -> str | None:
    for value in values:
        if value and value.strip():
            return value.strip()
    return None


def _class_and_id(el) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _clean_text(text: str) -> str:
    return " ".join(text.split())
