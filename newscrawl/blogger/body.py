"""The one post-body cleaner, for both routes: a post page's body element and a feed entry's
content go through the same pass, so a post gives the same record from either.

One pass over one tree: scripts, ads, embeds, forms, widgets, share and "Baca juga" blocks,
trailing link sections and links to the blog's own pages, tracking pixels, event handlers,
inline styles and script URLs go; lazy images get their real address; links and images become
absolute. The cleaned tree is then serialized (``Body.html``) and rendered as text
(``Body.text``, template lines removed) without being parsed again. The words that mark
template text live in ``newscrawl.blogger.boilerplate``.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from html import escape
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html
from lxml.html.defs import link_attrs

from newscrawl.blogger.body_text import element_text, parse_fragment
from newscrawl.blogger.boilerplate import (
    BODY_NOISE_CLASSES,
    LINK_LIST_LEAD,
    NON_CONTENT_IMAGE,
    class_and_id,
    is_template_line,
)
from newscrawl.blogger.sites import is_navigation_path
from newscrawl.urls import blog_host


@dataclass(frozen=True, slots=True)
class Body:
    """A cleaned post body: its HTML (without the wrapper element), its plain text and the
    addresses of its content images. ``html`` and ``text`` are None for a body with no text
    and no image."""

    html: str | None
    text: str | None
    images: tuple[str, ...]


NO_BODY = Body(None, None, ())

# Elements removed with their content: active content, ads (<ins>), embeds, forms, and
# head-only tags that load resources or change how links resolve.
_DROP_TAGS = (
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "ins", "object",
    "embed", "applet", "form", "button", "input", "select", "textarea", "link", "meta", "base",
    "svg", "math",
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
_LEADING_INT = re.compile(r"\s*(\d+)")
# Browsers ignore ASCII whitespace and control characters inside a URL scheme, so
# 'java\tscript:' runs too; they are removed before the scheme is compared.
_URL_NOISE = re.compile(r"[\x00-\x20]+")
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:")
_BLANK_LINES = re.compile(r"\n{3,}")
_LINKS = etree.XPath("descendant-or-self::a")


def read_body(html: str, base_url: str) -> Body:
    """Clean a post body given as an HTML fragment (a feed entry's content). ``base_url`` is
    the post's URL: it resolves relative links and names the blog."""
    root = parse_fragment(html)
    if root is None:
        return NO_BODY
    return clean_body(root, base_url, base_url, copy_tree=False)


def clean_body(body, base_url: str, blog_url: str, *, copy_tree: bool = True) -> Body:
    """Clean a post body element (a page's ``div.post-body``, say); the page is left as it
    is unless ``copy_tree`` is False. ``blog_url`` is any URL on the blog's own host."""
    if copy_tree:
        body = copy.deepcopy(body)
    body.tail = None
    for node in list(body.iter(etree.Comment, etree.ProcessingInstruction, *_DROP_TAGS)):
        # The body itself may carry a dropped tag (<form class="post-body">): keep its content.
        if node is not body:
            node.drop_tree()
    for node in list(body.iter(etree.Element)):
        # Namespaced tags are social plugins (<fb:like>, <g:plusone>).
        if node is not body and (":" in node.tag or BODY_NOISE_CLASSES.search(class_and_id(node))):
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
    _drop_empty_containers(body)
    body.make_links_absolute(base_url, resolve_base_href=False, handle_failures="discard")
    for node in body.iter(etree.Element):
        _strip_unsafe_attributes(node)
    html = _html(body)
    if html is None:
        return NO_BODY
    return Body(html, _text(body), _images(body))


def _strip_unsafe_attributes(node) -> None:
    """Event handlers, inline styles and link attributes holding script URLs."""
    for name, value in list(node.attrib.items()):
        lowered = name.lower()
        if (
            lowered.startswith("on")
            or lowered == "style"
            or (lowered in link_attrs and _URL_NOISE.sub("", value).lower().startswith(_SCRIPT_SCHEMES))
        ):
            del node.attrib[name]


def _text(body) -> str | None:
    """The body's plain text without the lines that are template text."""
    kept = [line for line in element_text(body).split("\n") if not is_template_line(line)]
    return _BLANK_LINES.sub("\n\n", "\n".join(kept)).strip() or None


def _drop_empty_containers(body) -> None:
    """Containers left empty once widgets are gone (a share block's wrapper, say)."""
    for node in reversed(list(body.iter(*_EMPTY_DROPPABLE))):
        if node is body or (node.text and not node.text.isspace()):
            continue  # text of its own: not empty, whatever is below it
        if not _has_text(node) and node.find(".//img") is None:
            node.drop_tree()


def _drop_link_lists(body) -> None:
    """Drop "Baca juga:" / "Related" / "Bagikan" blocks that are short lists of links,
    and a lone "Baca juga:" heading together with the link list right after it."""
    for node in list(body.iter(*_LINK_LIST_TAGS)):
        if node is body or node.getparent() is None:
            continue
        # The lead is looked for in the opening text first: the whole text of every block is
        # as long as the body times its depth, which a deeply nested page makes quadratic.
        if not LINK_LIST_LEAD.match(_leading_text(node)):
            continue
        text = _clean_text(node.text_content())
        lead = LINK_LIST_LEAD.match(text)
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
        if _has_word(el) and not _in_link(el, body)
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
            if isinstance(sibling.tag, str) and _has_word(sibling):
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
            if not _has_word(child):
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
    # Words outside links first: that test stops at the first word, where collecting the
    # links walks the whole line, at every level of a deeply nested body.
    if _has_word_outside_links(el):
        return False
    links = _LINKS(el)
    if not links:
        return False
    if any(not _in_link(img, el) for img in el.iter("img")):
        return False
    return all(_is_own_page(a.get("href") or "", base_url, own_host) for a in links)


def _has_word_outside_links(el) -> bool:
    if el.tag == "a":
        return False
    if _WORD.search(el.text or ""):
        return True
    return any(
        _has_word_outside_links(child) or _WORD.search(child.tail or "")
        for child in el.iterchildren(etree.Element)
    )


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
    return is_navigation_path(parts.path)


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
    if not _has_text(cleaned) and cleaned.find(".//img") is None:
        return None
    # The body's content without its wrapper: the wrapper differs between a page's
    # div.post-body and a feed entry's fragment, the post does not.
    head = escape(cleaned.text or "", quote=False)
    return (head + "".join(lxml_html.tostring(child, encoding="unicode") for child in cleaned)).strip()


def _images(cleaned) -> tuple[str, ...]:
    sources = ((img.get("src") or "").strip() for img in cleaned.iter("img"))
    return tuple(
        dict.fromkeys(
            src for src in sources
            if src and not src.startswith("data:") and not NON_CONTENT_IMAGE.search(src)
        )
    )


# Text tests that stop at the first text node that answers them, instead of building the
# whole text of an element (see _drop_link_lists).
_LEAD_CHARS = 400


def _has_text(el) -> bool:
    return any(not text.isspace() for text in el.itertext() if text)


def _has_word(el) -> bool:
    return any(_WORD.search(text) for text in el.itertext())


def _leading_text(el) -> str:
    parts, size = [], 0
    for text in el.itertext():
        parts.append(text)
        size += len(text)
        if size >= _LEAD_CHARS:
            break
    return _clean_text("".join(parts))


def _clean_text(text: str) -> str:
    return " ".join(text.split())
