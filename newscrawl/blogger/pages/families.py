"""Template families: which markup each one uses, and where the posts and the main post are.

``FAMILIES`` is the one place that says which template families exist and which selectors
each uses. To add one, see docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from parsel import css2xpath

from newscrawl.blogger.boilerplate import WIDGET_CLASSES, class_and_id

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

ITEMPROP_PUBLISHED = "[itemprop=datePublished]"
ITEMPROP_UPDATED = "[itemprop=dateModified]"


def _compile_selectors() -> dict[str, etree.XPath]:
    selectors = {ITEMPROP_PUBLISHED, ITEMPROP_UPDATED}
    for family in FAMILIES:
        selectors.update(
            (family.published, family.updated, family.labels,
             *family.title, *family.date_text, *family.author)
        )
    return {css: etree.XPath(css2xpath(css)) for css in selectors}


XPATH = _compile_selectors()


# --- family markup: the detect, post and body selectors ------------------------------
#
# Compiled to XPath, each of these selectors tests normalize-space(@class) on every element
# of the page, a descendant combinator once more below every match, and a classic page runs
# the theme, sora and mobile selectors before its own: most of the reader's time went there.
# Instead one pass collects the elements whose class attribute mentions a class these
# selectors look for, and the selectors are matched on that short list, with XPath's
# reading of the class attribute (tokens split on XML whitespace only, as normalize-space
# does) and document order kept. Written by hand because it pays: on the 21 saved pages of
# tests/fixtures, finding the family and its posts takes 0.68 ms a page this way and 2.06 ms
# with the same selectors compiled by parsel's css2xpath (same family and posts on all 21),
# out of about 5 ms for the whole page. test_pages checks that it finds what the XPath finds.


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


_HAS_POST_ID = etree.XPath(
    "boolean(.//*[@id=$body_id] | .//meta[@itemprop='postId'][@content=$post_id])"
)


def match_family(root) -> tuple[Family | None, list[tuple[etree._Element, etree._Element]]]:
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
        if WIDGET_CLASSES.search(class_and_id(ancestor)):
            return True
    return False


def scoped(post, body, xpath: etree.XPath) -> list:
    """Matches of ``xpath`` inside ``post`` that are neither in ``body`` nor in a
    related/share/comment block: a post's metadata lives around its body, not in it."""
    return [el for el in xpath(post) if _belongs_to_post(el, post, body)]


def _belongs_to_post(el, post, body) -> bool:
    for ancestor in el.iterancestors():
        if ancestor is post:
            return True
        if ancestor is body or WIDGET_CLASSES.search(class_and_id(ancestor)):
            return False
    return True


def main_post(posts, post_id: str | None):
    if post_id and len(posts) > 1:
        for post, body in posts:
            if _HAS_POST_ID(post, body_id=f"post-body-{post_id}", post_id=post_id):
                return post, body
    return posts[0]
