"""The blog model: what a mirror serves, independent of how it is rendered.

``Post``, ``Blog`` and ``Fault`` are built once from the config (``config.py``) and then only
read while serving, except a fault's remaining shots. The ids and paths Blogger derives
(post paths, 19-digit ids, profile URLs) are here because feeds, pages and the config loader
must all agree on them.
"""

from __future__ import annotations

import hashlib
import re
import threading
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from typing import TYPE_CHECKING

from newscrawl.demo.formatting import plain_text, truncate_words

if TYPE_CHECKING:
    from newscrawl.demo.front import Request

BLOGGER = "https://www.blogger.com"
UNKNOWN_AUTHOR = "Unknown"  # what Blogger prints when the profile is hidden

FEED_MODES = ("full", "summary", "disabled", "forbidden")
# "dynamic" is Blogger's Dynamic Views: post pages are an empty shell filled by script from the
# post's own feed, so a crawler must read the post from /feeds/posts/default/<postId>.
TEMPLATES = ("classic", "dynamic")
FAULT_KINDS = (
    "status", "drop", "delay", "truncate", "invalid", "not_post", "error_page", "gzip_bomb", "offsite_links",
    "control_chars", "home_page", "charset", "padding", "billion_laughs", "external_entity",
)

SNIPPET_LENGTH = 150

POST_PATH = re.compile(r"/(?P<year>\d{4})/(?P<month>\d{2})/(?P<slug>[^/]+)\.html")
BLOGGER_IMAGE_SIZE = re.compile(r"/(?:s|w\d+-h)\d+(?:-[a-z-]+)?/")


# --- the blogs ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Post:
    post_id: str
    title: str
    published: datetime  # in the blog's offset
    updated: datetime
    author: str
    labels: tuple[str, ...]
    body: str  # the post body as served: images, article, repost footer
    path: str  # /YYYY/MM/slug.html
    image: str | None  # the first image, for thumbnails

    @cached_property
    def text(self) -> str:
        return plain_text(self.body)

    @cached_property
    def snippet(self) -> str:
        return truncate_words(self.text, SNIPPET_LENGTH)

    @property
    def thumbnail(self) -> str | None:
        if self.image is None:
            return None
        # Blogger serves its own images at any size by rewriting the size segment.
        return BLOGGER_IMAGE_SIZE.sub("/s72-c/", self.image, count=1)


@dataclass
class Fault:
    """A misbehaviour of one blog, for requests whose path+query contains ``match``."""

    name: str
    match: str
    kind: str
    remaining: int  # -1: fires forever
    status: int = 503
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    seconds: float = 1.0
    megabytes: int = 256  # gzip_bomb: the inflated size; padding: the size added
    encoding: str = "cp1252"  # charset: what the body is really encoded in (the header still says UTF-8)


@dataclass
class Blog:
    host: str  # lowercase; "*" answers any origin-form request no other blog claims
    blog_id: str
    title: str
    description: str
    language: str
    tz: timezone
    aliases: tuple[str, ...]
    feeds: str
    refuse_formats: frozenset[str]
    max_results_cap: int
    total_results: bool
    next_links: bool
    sitemap_page_size: int
    robots: str | None
    posts: list[Post]  # newest first by published
    faults: list[Fault]
    template: str = "classic"
    # Derived from posts, for lookups while serving.
    by_path: dict[str, Post] = field(init=False, repr=False)
    position: dict[str, int] = field(init=False, repr=False)
    by_updated: list[Post] = field(init=False, repr=False)
    labels: list[str] = field(init=False, repr=False)
    updated: datetime = field(init=False, repr=False)
    popular: list[Post] = field(init=False, repr=False)
    _fault_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.by_path = {post.path: post for post in self.posts}
        self.position = {post.post_id: index for index, post in enumerate(self.posts)}
        self.by_updated = sorted(self.posts, key=lambda p: (p.updated, p.post_id), reverse=True)
        self.labels = sorted({label for post in self.posts for label in post.labels})
        self.updated = max((p.updated for p in self.posts), default=datetime(2019, 1, 1, tzinfo=self.tz))
        # A stable "most read" list, so the widget repeats the same titles on every page.
        self.popular = sorted(self.posts, key=lambda p: zlib.crc32(p.post_id.encode()))[:5]

    @property
    def wildcard(self) -> bool:
        return self.host == "*"

    def base(self, request: Request) -> str:
        """The scheme://host its links are built on. Blogger serves every blog over https;
        the wildcard blog has no name of its own, so it links to where it was reached."""
        return f"{request.scheme}://{request.authority}" if self.wildcard else f"https://{self.host}"

    def take_fault(self, target: str) -> Fault | None:
        """The first armed fault matching target, disarming one of its shots."""
        with self._fault_lock:
            for fault in self.faults:
                if fault.remaining != 0 and fault.match in target:
                    if fault.remaining > 0:
                        fault.remaining -= 1
                    return fault
        return None


# --- ids and paths ---------------------------------------------------------------------

def derived_id(*parts: object) -> str:
    """A 19-digit Blogger-style id, stable for the same parts."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return str(10**18 + int.from_bytes(digest[:8], "big") % (9 * 10**18))


def profile_url(name: str) -> str:
    return f"{BLOGGER}/profile/{derived_id('profile', name)}"


def slugify(title: str) -> str:
    """Blogger's permalink from a title: lowercase ASCII words, cut near 40 characters."""
    words = re.findall(r"[a-z0-9]+", title.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > 40 and slug:
            break
        slug = candidate
    return slug or "post"


def unique_path(slug: str, published: datetime, taken: set[str]) -> str:
    """/YYYY/MM/slug.html; a slug already used that month gets a suffix, as on Blogger."""
    prefix = f"/{published.year:04d}/{published.month:02d}/"
    path, suffix = f"{prefix}{slug}.html", 0
    while path in taken:
        suffix += 1
        path = f"{prefix}{slug}_{suffix}.html"
    return path
