"""The mirror's config: the JSON description of each blog, read into the model.

Separate from ``model.py`` because loading a blog may generate its posts (``content.py``),
and the synthetic content itself builds on the model's ids. Descriptions are checked here,
at start-up, so a mistake in a test's blog fails before any request, naming its host.
"""

from __future__ import annotations

import re
from datetime import timezone

from newscrawl.demo.content import generate_posts
from newscrawl.demo.formatting import esc, parse_offset, parse_time
from newscrawl.demo.model import (
    FAULT_KINDS,
    FEED_MODES,
    TEMPLATES,
    UNKNOWN_AUTHOR,
    Blog,
    Fault,
    Post,
    derived_id,
    slugify,
    unique_path,
)

DEFAULT_MAX_RESULTS_CAP = 150
DEFAULT_SITEMAP_PAGE_SIZE = 500


def load_blog(config: dict) -> Blog:
    """A Blog from its JSON description.

    Keys (all optional but host): host, blog_id, title, description, language ("id"/"en"),
    tz_offset ("+07:00"), aliases, feeds (full | summary | disabled | forbidden),
    refuse_formats (json, atom, rss), max_results_cap, total_results, next_links,
    sitemap_page_size, robots, template (classic | dynamic), posts, generate, faults. See ``load_post``,
    ``generate_posts`` and ``load_fault`` for the nested ones.
    """
    if "host" not in config:
        raise ValueError("every blog needs a host")
    host = config["host"].strip().lower()
    language = config.get("language", "id")
    tz = parse_offset(config.get("tz_offset", "+07:00"))
    feeds = config.get("feeds", "full")
    if feeds not in FEED_MODES:
        raise ValueError(f"{host}: feeds {feeds!r} is not one of {FEED_MODES}")
    refused = frozenset(config.get("refuse_formats", ()))
    if not refused <= {"json", "atom", "rss"}:
        raise ValueError(f"{host}: refuse_formats {sorted(refused)} may only hold json, atom, rss")
    raw_posts = list(config.get("posts", []))
    if "generate" in config:
        raw_posts += generate_posts(config["generate"], language, tz)
    return Blog(
        host=host,
        blog_id=str(config.get("blog_id") or derived_id(host)),
        title=config.get("title", host),
        description=config.get("description", ""),
        language=language,
        tz=tz,
        aliases=tuple(alias.lower() for alias in config.get("aliases", ())),
        feeds=feeds,
        refuse_formats=refused,
        max_results_cap=int(config.get("max_results_cap", DEFAULT_MAX_RESULTS_CAP)),
        total_results=bool(config.get("total_results", True)),
        next_links=bool(config.get("next_links", True)),
        sitemap_page_size=int(config.get("sitemap_page_size", DEFAULT_SITEMAP_PAGE_SIZE)),
        robots=config.get("robots"),
        posts=load_posts(raw_posts, tz, host),
        faults=[load_fault(raw, host) for raw in config.get("faults", [])],
        template=_template(config, host),
    )


def _template(config: dict, host: str) -> str:
    template = config.get("template", "classic")
    if template not in TEMPLATES:
        raise ValueError(f"{host}: template {template!r} is not one of {TEMPLATES}")
    return template


def load_posts(raw_posts: list[dict], tz: timezone, host: str) -> list[Post]:
    """Posts newest first, with Blogger-style unique paths."""
    drafts = sorted((load_post(raw, tz) for raw in raw_posts), key=lambda d: (d["published"], d["post_id"]))
    seen_ids: set[str] = set()
    taken: set[str] = set()
    posts = []
    for draft in drafts:  # oldest first: a later post with a taken slug gets the suffix
        if draft["post_id"] in seen_ids:
            raise ValueError(f"{host}: post_id {draft['post_id']} is used twice")
        seen_ids.add(draft["post_id"])
        draft["path"] = unique_path(draft.pop("slug"), draft["published"], taken)
        taken.add(draft["path"])
        posts.append(Post(**draft))
    posts.reverse()
    return posts


def load_post(raw: dict, tz: timezone) -> dict:
    """The fields of a Post from its JSON description: post_id, title, published, updated,
    author, labels, html, slug, images (list of URLs) and source ({initials, url, time})."""
    published = parse_time(raw["published"], tz)
    images = list(raw.get("images", []))
    body = render_body(raw.get("html", ""), images, raw.get("source"))
    first_image = re.search(r"<img[^>]*?\ssrc=[\"']([^\"']+)", body)
    return {
        "post_id": str(raw["post_id"]),
        "title": raw["title"],
        "published": published,
        "updated": parse_time(raw["updated"], tz) if raw.get("updated") else published,
        "author": raw.get("author") or UNKNOWN_AUTHOR,
        "labels": tuple(raw.get("labels", ())),
        "body": body,
        "slug": raw.get("slug") or slugify(raw["title"]),
        "image": first_image[1] if first_image else None,
    }


def render_body(article: str, images: list[str], source: dict | None) -> str:
    """The body a mirror post carries: images first (as Blogger's editor places them), the
    article, then the footer IFTTT's RSS-to-Blogger recipe appends."""
    parts = [
        '<div class="separator" style="clear: both; text-align: center;">'
        f'<a href="{esc(url)}" style="margin-left: 1em; margin-right: 1em;">'
        f'<img border="0" data-original-height="450" data-original-width="800" src="{esc(url)}" width="640" />'
        "</a></div>"
        for url in images
    ]
    parts.append(article)
    if source:
        footer = "<br />"
        if source.get("initials"):
            footer += f"({esc(source['initials'])})<br />"
        if source.get("url"):
            footer += f'<a href="{esc(source["url"])}">{esc(source["url"])}</a><br />'
        if source.get("time"):
            footer += "\n" + esc(source["time"])
        parts.append(footer)
    return "".join(parts)


def load_fault(raw: dict, host: str) -> Fault:
    """A Fault from {match, kind, times (default 1, -1 = always), name (default kind)} plus
    status/headers/body for "status", seconds for "delay", megabytes for "gzip_bomb" and
    "padding", encoding for "charset"."""
    kind = raw.get("kind")
    if kind not in FAULT_KINDS:
        raise ValueError(f"{host}: fault kind {kind!r} is not one of {FAULT_KINDS}")
    return Fault(
        name=raw.get("name", kind),
        match=raw.get("match", ""),
        kind=kind,
        remaining=int(raw.get("times", 1)),
        status=int(raw.get("status", 503)),
        headers={str(k): str(v) for k, v in raw.get("headers", {}).items()},
        body=raw.get("body"),
        seconds=float(raw.get("seconds", 1.0)),
        megabytes=int(raw.get("megabytes", 256)),
        encoding=str(raw.get("encoding", "cp1252")),
    )
