"""The crawl state of one site for the length of a run: route, ids, offset, what was taken."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from newscrawl.blogger.sites import Site
from newscrawl.monitor import SiteReport


@dataclass
class SiteCrawl:
    """The crawl state of one site."""

    site: Site
    report: SiteReport
    blog_id: str | None = None
    tz: str | None = None  # the blog's UTC offset, learnt from its own timestamps
    claimed: int = 0  # records emitted plus post pages in flight, for max_posts
    # The canonical post URLs already taken, by their hash: a run holds one per post, and a
    # 64-bit hash is a third of the memory of the URL (two URLs colliding within one process's
    # salted str hash, a chance of about 1e-9 at 100,000 posts, would skip one of them).
    seen: set[int] = field(default_factory=set)
    fallback_started: set[str] = field(default_factory=set)  # "sitemap", "html"
    feed_formats_off: set[str] = field(default_factory=set)
    feeds_known_off: bool = False  # an earlier run found the feeds off: not asked in this run
    feed_links_next: bool = False  # the feed has shown a rel=next link: its absence means the end
    updated_min: datetime | None = None  # incremental run: ask only for posts updated since
    watermark: datetime | None = None
    newest_updated: datetime | None = None  # the next watermark, if the site finishes cleanly
    unreachable: bool = False  # its host did not resolve or refused connections: given up

    def context(self) -> dict:
        """What the site's responses taught, for the requests made next: in a distributed
        crawl another worker may handle them (``absorb``)."""
        return {"blog_id": self.blog_id, "tz": self.tz, "formats_off": sorted(self.feed_formats_off),
                "links_next": self.feed_links_next}

    def absorb(self, context: dict) -> None:
        """Learn what another worker's ``context`` says and this crawl does not know yet."""
        self.blog_id = self.blog_id or context.get("blog_id")
        self.tz = self.tz or context.get("tz")
        self.feed_formats_off.update(context.get("formats_off", ()))
        self.feed_links_next = self.feed_links_next or bool(context.get("links_next"))

    def has_taken(self, url_key: str) -> bool:
        return hash(url_key) in self.seen

    def take(self, url_key: str) -> bool:
        """Mark the post URL taken; False when it was already."""
        key = hash(url_key)
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def saw_updated(self, when: datetime | None) -> None:
        if when is not None and (self.newest_updated is None or when > self.newest_updated):
            self.newest_updated = when
