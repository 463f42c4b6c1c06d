"""A Blogger emulator: serves blogs described in a JSON file the way Blogger serves them.

The offline demo (``scrapy demo``) and the end-to-end tests point the crawler at it as an HTTP
proxy, so real blog URLs such as ``https://kabar-satu.blogspot.com/feeds/posts/default`` work
unchanged:

- absolute-form requests (``GET http://host/path``) are routed by the URL's host;
- ``CONNECT host:443`` opens a tunnel that is TLS-terminated here with a self-signed
  certificate for that host name (the crawler does not verify the issuer); the requests inside
  the tunnel are routed by the CONNECT host;
- origin-form requests (``GET /path``) are routed by the Host header, and fall back to the blog
  whose host is ``"*"``, so a test can crawl ``http://127.0.0.1:PORT/`` as a custom domain.

Each blog serves robots.txt, the posts feeds (JSON, json-in-script, Atom, RSS; full or summary;
paging and time windows), sitemaps, post pages in a classic template with the clutter of a real
autoblog mirror around the post, index / search / archive listings, a static page and error
pages. Faults (statuses, dropped connections, delays, truncated or invalid bodies, listing pages
instead of posts) are configured per blog. The config format is described in ``load_blog``.

Run it with::

    python -m newscrawl.demo.server --config blogs.json [--host 127.0.0.1] [--port 0] [--log requests.jsonl]

It prints ``LISTENING <port>`` once it accepts connections. In-process: ``serve(config)``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import html
import itertools
import json
import math
import random
import re
import signal
import socket
import ssl
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from functools import cached_property, partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

import lxml.html
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

# --- constants: what Blogger puts in every document ----------------------------------

BLOGGER = "https://www.blogger.com"
LABEL_SCHEME = "http://www.blogger.com/atom/ns#"
FEED_NAMESPACES = {
    "xmlns": "http://www.w3.org/2005/Atom",
    "xmlns$openSearch": "http://a9.com/-/spec/opensearchrss/1.0/",
    "xmlns$blogger": "http://schemas.google.com/blogger/2008",
    "xmlns$georss": "http://www.georss.org/georss",
    "xmlns$gd": "http://schemas.google.com/g/2005",
    "xmlns$thr": "http://purl.org/syndication/thread/1.0",
}
ATOM_NAMESPACES = (
    "xmlns='http://www.w3.org/2005/Atom' xmlns:openSearch='http://a9.com/-/spec/opensearchrss/1.0/' "
    "xmlns:blogger='http://schemas.google.com/blogger/2008' xmlns:georss='http://www.georss.org/georss' "
    "xmlns:gd=\"http://schemas.google.com/g/2005\" xmlns:thr='http://purl.org/syndication/thread/1.0'"
)
MEDIA_NS = "http://search.yahoo.com/mrss/"
HUB = "http://pubsubhubbub.appspot.com/"
AUTHOR_IMAGE = {
    "rel": "http://schemas.google.com/g/2005#thumbnail",
    "width": "16",
    "height": "16",
    "src": "https://img1.blogblog.com/img/b16-rounded.gif",
}
UNKNOWN_AUTHOR = "Unknown"  # what Blogger prints when the profile is hidden

CONTENT_TYPES = {
    "json": "application/json; charset=UTF-8",
    "json-in-script": "text/javascript; charset=UTF-8",
    "atom": "application/atom+xml; charset=UTF-8",
    "rss": "application/rss+xml; charset=UTF-8",
    "html": "text/html; charset=UTF-8",
    "text": "text/plain; charset=UTF-8",
    "xml": "application/xml; charset=UTF-8",
}

FEED_MODES = ("full", "summary", "disabled", "forbidden")
# "dynamic" is Blogger's Dynamic Views: post pages are an empty shell filled by script from the
# post's own feed, so a crawler must read the post from /feeds/posts/default/<postId>.
TEMPLATES = ("classic", "dynamic")
FEED_FORMATS = ("json", "json-in-script", "atom", "rss")
FAULT_KINDS = ("status", "drop", "delay", "truncate", "invalid", "not_post")

DEFAULT_MAX_RESULTS = 25
DEFAULT_MAX_RESULTS_CAP = 150
DEFAULT_SITEMAP_PAGE_SIZE = 500
LISTING_PAGE_SIZE = 8  # "posts on the main page" of the demo template
SUMMARY_LENGTH = 200
SNIPPET_LENGTH = 150

POST_PATH = re.compile(r"/(?P<year>\d{4})/(?P<month>\d{2})/(?P<slug>[^/]+)\.html")
ARCHIVE_PATH = re.compile(r"/(?P<year>\d{4})/(?:(?P<month>\d{2})/)?")
FEED_PATH = re.compile(r"/feeds/posts/(?P<kind>default|full|summary)/?")
FEED_ENTRY_PATH = re.compile(r"/feeds/posts/(?P<kind>default|full|summary)/(?P<post_id>\d+)/?")
BLOGGER_FEED_PATH = re.compile(r"/feeds/(?P<blog_id>\d+)/posts/(?P<kind>default|full|summary)/?")
CALLBACK_NAME = re.compile(r"[A-Za-z_$][\w$.]*")
BLOGGER_IMAGE_SIZE = re.compile(r"/(?:s|w\d+-h)\d+(?:-[a-z-]+)?/")

# --- the blog's language: template strings and dates -----------------------------------

MONTHS = {
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
}
WEEKDAYS = {  # Monday first, as datetime.weekday() counts
    "id": ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
# Mirror themes are English-coded templates with a few local strings; these are the ones
# seen on Indonesian autoblogs ("Post a Comment" stays English there too).
STRINGS = {
    "id": {
        "posted_by": "Diposting oleh", "at": "di", "labels": "Label:", "share": "Bagikan Berita Ini",
        "related": "Baca juga", "popular": "Berita Populer", "archive": "Arsip Blog", "categories": "Kategori",
        "newer": "Posting Lebih Baru", "older": "Posting Lama", "home": "Beranda", "said": "mengatakan...",
        "read_more": "Baca selengkapnya \u00bb", "comment_link": "Tidak ada komentar:",
        "not_found": "Maaf, halaman yang Anda cari di blog ini tidak ada.",
        "about": "Tentang Kami",
        "about_text": "{title} menyajikan rangkuman berita harian dari berbagai sumber tepercaya. "
                      "Setiap artikel mencantumkan tautan ke sumber aslinya.",
        "rights": "Hak cipta dilindungi.",
        "comments": [("Rudi Hartono", "Semoga cepat ditangani, kasihan warga."),
                     ("Sari Wulandari", "Terima kasih infonya, min.")],
    },
    "en": {
        "posted_by": "Posted by", "at": "at", "labels": "Labels:", "share": "Share This Story",
        "related": "Related Posts", "popular": "Popular Posts", "archive": "Blog Archive", "categories": "Categories",
        "newer": "Newer Post", "older": "Older Post", "home": "Home", "said": "said...",
        "read_more": "Read more \u00bb", "comment_link": "No comments:",
        "not_found": "Sorry, the page you were looking for in this blog does not exist.",
        "about": "About",
        "about_text": "{title} collects short notes and local news. Each post links to its source.",
        "rights": "All rights reserved.",
        "comments": [("Mark Ellison", "Thanks for sharing this."),
                     ("Jenny Park", "Good to know, I had not heard about it.")],
    },
}


def strings(language: str) -> dict:
    return STRINGS["id" if language == "id" else "en"]


def date_header(moment: date, language: str) -> str:
    """'Jumat, 26 April 2019' or 'Friday, April 26, 2019', as in h2.date-header."""
    lang = "id" if language == "id" else "en"
    day, month = WEEKDAYS[lang][moment.weekday()], MONTHS[lang][moment.month - 1]
    if lang == "id":
        return f"{day}, {moment.day} {month} {moment.year}"
    return f"{day}, {month} {moment.day}, {moment.year}"


def short_date(moment: date, language: str) -> str:
    """'26 April 2019' or 'April 26, 2019', as widgets print other posts' dates."""
    month = MONTHS["id" if language == "id" else "en"][moment.month - 1]
    return f"{moment.day} {month} {moment.year}" if language == "id" else f"{month} {moment.day}, {moment.year}"


def clock(moment: datetime, language: str) -> str:
    """Blogger's time of day: '07.37' in Indonesian, '7:37 AM' in English."""
    if language == "id":
        return moment.strftime("%H.%M")
    return f"{moment.hour % 12 or 12}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"


# --- time formats -----------------------------------------------------------------------

def iso_ms(moment: datetime) -> str:
    """Feed timestamps: '2019-04-26T07:37:00.001+07:00'."""
    return moment.isoformat(timespec="milliseconds")


def iso_seconds(moment: datetime) -> str:
    """Page timestamps (abbr.published, search links): '2019-04-26T07:37:00+07:00'."""
    return moment.isoformat(timespec="seconds")


def rfc822(moment: datetime) -> str:
    """RSS dates, in GMT: 'Fri, 26 Apr 2019 00:37:00 +0000'."""
    return format_datetime(moment.astimezone(timezone.utc))


def utc_z(moment: datetime) -> str:
    """Sitemap lastmod: '2019-04-26T00:37:44Z'."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_offset(value: str) -> timezone:
    match = re.fullmatch(r"([+-])(\d{2}):?(\d{2})", value.strip())
    if not match:
        raise ValueError(f"tz_offset {value!r}: expected +HH:MM")
    sign = -1 if match[1] == "-" else 1
    return timezone(sign * timedelta(hours=int(match[2]), minutes=int(match[3])))


def parse_time(value: str, tz: timezone) -> datetime:
    """An ISO 8601 time or date; without an offset it is read in the blog's offset."""
    text = value.strip()
    # An unencoded '+' in a query string arrives as a space.
    text = re.sub(r" (\d{2}:?\d{2})$", r"+\1", text)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        day = date.fromisoformat(text)
        return datetime(day.year, day.month, day.day, tzinfo=tz)
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment.astimezone(tz)


# --- escaping -------------------------------------------------------------------------

def esc(text: str) -> str:
    """HTML / XML text and attribute escaping, with Blogger's '&#39;' for the apostrophe."""
    return html.escape(text, quote=False).replace('"', "&quot;").replace("'", "&#39;")


def entity_escaped(text: str) -> str:
    """Titles as Blogger stores them, so feeds carry '&amp;' and '&#39;' inside the text."""
    return esc(text)


def google_json(value: Any) -> str:
    """JSON the way Google's feed servers write it: compact, UTF-8, with <, >, = and &
    as \\u escapes. Those characters occur only inside strings, so replacing them is safe."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char in "<>=&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


_JS_ESCAPES = {"\\": "\\\\", "'": "\\x27", '"': "\\x22", "<": "\\x3c", ">": "\\x3e", "=": "\\x3d",
               "&": "\\x26", "\n": "\\n", "\r": "\\r"}


def js_literal(value: Any) -> str:
    """A JavaScript literal in the style of Blogger's _SetDataContext: single-quoted strings
    with \\x escapes, 'key': value pairs."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return "'" + "".join(_JS_ESCAPES.get(char, char) for char in value) + "'"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{js_literal(k)}: {js_literal(v)}" for k, v in value.items()) + "}"
    return "[" + ", ".join(js_literal(item) for item in value) + "]"


def plain_text(body_html: str) -> str:
    """The words of a post body, whitespace collapsed: what summaries and snippets cut."""
    if not body_html.strip():
        return ""
    root = lxml.html.fragment_fromstring(body_html, create_parent="div")
    return " ".join(" ".join(root.itertext()).split())


def truncate_words(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    return text[:length].rsplit(" ", 1)[0] + " ..."


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


def derived_id(*parts: object) -> str:
    """A 19-digit Blogger-style id, stable for the same parts."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return str(10**18 + int.from_bytes(digest[:8], "big") % (9 * 10**18))


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


def load_fault(raw: dict, host: str) -> Fault:
    """A Fault from {match, kind, times (default 1, -1 = always), name (default kind)} plus
    status/headers/body for "status" and seconds for "delay"."""
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
    )


# --- synthetic posts ------------------------------------------------------------------

WORDS = {
    "id": {
        "subjects": ["Pemerintah kota", "Dinas Perhubungan", "Warga setempat", "Kepolisian resor",
                     "Para pedagang pasar", "Komisi C DPRD", "Badan Penanggulangan Bencana Daerah",
                     "Sejumlah mahasiswa", "Dinas Kesehatan", "Pengurus koperasi", "Pihak sekolah",
                     "Perusahaan air minum daerah"],
        "verbs": [("membahas", "Bahas"), ("meninjau", "Tinjau"), ("menyiapkan", "Siapkan"),
                  ("memantau", "Pantau"), ("mengevaluasi", "Evaluasi"), ("mempercepat", "Percepat"),
                  ("menunda", "Tunda"), ("mendukung", "Dukung")],
        "objects": ["perbaikan jalan provinsi", "harga bahan pokok", "jadwal imunisasi anak",
                    "pembangunan pasar tradisional", "penataan pedagang kaki lima", "distribusi air bersih",
                    "program beasiswa daerah", "pengerukan sungai", "rute angkutan kota",
                    "penyaluran bantuan sosial", "perluasan taman kota", "pendataan penduduk"],
        "places": ["Bandung", "Semarang", "Makassar", "Medan", "Palembang", "Yogyakarta", "Malang",
                   "Pontianak", "Padang", "Kupang", "Balikpapan", "Cirebon"],
        "names": ["Budi Santoso", "Siti Rahmawati", "Agus Salim", "Dewi Lestari", "Hendra Wijaya",
                  "Rina Marlina", "Joko Susilo", "Yusuf Hamdani"],
        "roles": ["kepala dinas", "juru bicara", "ketua RT", "camat", "wakil ketua", "kepala bidang"],
        "lead": "{place_upper} - {subject} {verb} {object} di {place}, {weekday} ({day}/{month}/{year}).",
        "sentences": [
            "Menurut {role} {name}, langkah itu diambil setelah ada keluhan dari masyarakat.",
            "\u201cKami ingin prosesnya selesai sebelum akhir bulan,\u201d kata {name}.",
            "Rencana tersebut akan dibahas kembali dalam rapat pekan depan.",
            "Sebelumnya, warga sempat mengeluhkan {object} yang dinilai belum merata.",
            "Anggaran untuk kegiatan ini berasal dari APBD tahun berjalan.",
            "Pihaknya juga meminta masyarakat ikut mengawasi pelaksanaan di lapangan.",
            "Hingga berita ini diturunkan, belum ada tanggapan resmi dari pihak terkait.",
            "Kegiatan serupa pernah dilakukan tahun lalu dan dinilai cukup berhasil.",
            "{name} menambahkan, laporan perkembangan akan disampaikan secara berkala.",
            "Sejumlah warga yang ditemui mengaku menyambut baik rencana tersebut.",
        ],
        "labels": ["Nasional", "Daerah", "Ekonomi", "Olahraga", "Teknologi", "Hiburan"],
        "authors": ["Admin", "Redaksi", UNKNOWN_AUTHOR],
    },
    "en": {
        "subjects": ["The city council", "The transport agency", "Local residents", "The county police",
                     "Market traders", "The school board", "Volunteers", "The health department",
                     "The water utility", "A group of students"],
        "verbs": [("reviews", "Reviews"), ("approves", "Approves"), ("delays", "Delays"),
                  ("backs", "Backs"), ("prepares", "Prepares"), ("questions", "Questions")],
        "objects": ["the road repair plan", "new bus routes", "the market renovation", "school lunch prices",
                    "the river clean-up", "a new cycling lane", "library opening hours", "the park extension"],
        "places": ["Riverton", "Oakdale", "Millbrook", "Fairhaven", "Lakeside", "Westfield", "Harbor City"],
        "names": ["Anna Lee", "Tom Baker", "Maria Santos", "David Cho", "Laura Green", "Peter Novak"],
        "roles": ["spokesperson", "council member", "director", "project manager"],
        "lead": "{place_upper} - {subject} {verb} {object} in {place} on {weekday}.",
        "sentences": [
            "According to {role} {name}, the decision followed complaints from residents.",
            "\u201cWe want the work finished before the end of the month,\u201d {name} said.",
            "The plan will be discussed again at next week's meeting.",
            "Residents had criticised {object} for months.",
            "The money comes from this year's budget.",
            "Officials asked residents to report problems as the work goes on.",
            "No official response had been given by the time of publication.",
            "{name} added that progress reports will be published regularly.",
        ],
        "labels": ["Local", "Politics", "Business", "Community", "Transport"],
        "authors": ["Editor", UNKNOWN_AUTHOR],
    },
}
SOURCE_INITIALS = ["prm", "rdp/rdp", "nwy/jat", "ash", "fik", "dnu/dnu"]


def generate_posts(spec: dict, blog_language: str, tz: timezone) -> list[dict]:
    """Deterministic synthetic posts in the shape of ``load_post``'s input.

    spec: count, seed (default 0), start (ISO, default 2019-01-01T08:00:00+07:00),
    step_minutes (default 90; post i is published start + i*step), language (default the
    blog's), with_source (default false: no repost footer)."""
    count, seed = int(spec.get("count", 0)), spec.get("seed", 0)
    start = parse_time(spec.get("start", "2019-01-01T08:00:00+07:00"), tz)
    step = timedelta(minutes=float(spec.get("step_minutes", 90)))
    language = "id" if spec.get("language", blog_language) == "id" else "en"
    return [
        synthetic_post(random.Random(f"{seed}:{index}"), language, start + index * step,
                       derived_id("post", seed, index), bool(spec.get("with_source")))
        for index in range(count)
    ]


def ifttt_time(moment: datetime) -> str:
    """{{EntryPublished}} as IFTTT prints it: 'April 06, 2019 at 07:37AM', always in English."""
    hour = moment.hour % 12 or 12
    return (f"{MONTHS['en'][moment.month - 1]} {moment.day:02d}, {moment.year} at "
            f"{hour:02d}:{moment.minute:02d}{'AM' if moment.hour < 12 else 'PM'}")


def headline(text: str) -> str:
    """Every word capitalised, acronyms left alone: 'Komisi C DPRD', 'Harga Bahan Pokok'."""
    return " ".join(word[:1].upper() + word[1:] for word in text.split())


def synthetic_post(rng: random.Random, language: str, published: datetime, post_id: str,
                   with_source: bool) -> dict:
    words = WORDS[language]
    subject, (verb, title_verb) = rng.choice(words["subjects"]), rng.choice(words["verbs"])
    obj, place = rng.choice(words["objects"]), rng.choice(words["places"])
    fill = {
        "subject": subject, "verb": verb, "object": obj, "place": place, "place_upper": place.upper(),
        "name": rng.choice(words["names"]), "role": rng.choice(words["roles"]),
        "weekday": WEEKDAYS[language][published.weekday()],
        "day": published.day, "month": published.month, "year": published.year,
    }
    sentences = rng.sample(words["sentences"], k=min(len(words["sentences"]), rng.randint(5, 8)))
    paragraphs = [words["lead"].format(**fill)]
    for chunk in range(0, len(sentences), 2):
        paragraphs.append(" ".join(s.format(**fill) for s in sentences[chunk:chunk + 2]))
    place_word = "di" if language == "id" else "in"
    post = {
        "post_id": post_id,
        "title": f"{headline(subject)} {title_verb} {headline(obj)} {place_word} {place}",
        "published": iso_ms(published.replace(microsecond=rng.randint(0, 9) * 1000)),
        "updated": iso_ms(published + timedelta(seconds=rng.randint(20, 900), milliseconds=rng.randint(0, 999))),
        "author": rng.choice(words["authors"]),
        "labels": rng.sample(words["labels"], k=rng.randint(1, 2)),
        "html": "".join(f"<p>{esc(p)}</p>" for p in paragraphs),
    }
    if rng.random() < 0.3:
        post["images"] = [f"https://blogger.googleusercontent.com/img/b/{post_id[-8:]}/s1600/foto.jpg"]
    if with_source:
        outlet_time = published - timedelta(minutes=rng.randint(5, 45))
        post["source"] = {
            "initials": rng.choice(SOURCE_INITIALS),
            "url": "http://bit.ly/" + "".join(rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
                                              for _ in range(7)),
            "time": ifttt_time(outlet_time),
        }
    return post


# --- requests and responses ---------------------------------------------------------

@dataclass(frozen=True)
class Request:
    method: str
    scheme: str  # "https" inside a CONNECT tunnel
    host: str  # lowercase, no port
    authority: str  # the host as the client named it, port included
    target: str  # path and query as requested

    @property
    def path(self) -> str:
        return urlsplit(self.target).path or "/"

    @property
    def query(self) -> dict[str, str]:
        return dict(parse_qsl(urlsplit(self.target).query, keep_blank_values=True))

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.authority}{self.target}"


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


def text_response(status: int, text: str, kind: str = "text", headers: dict | None = None) -> Response:
    return Response(status, text.encode("utf-8"), CONTENT_TYPES[kind], dict(headers or {}))


def google_error(status: int, reason: str, message: str) -> Response:
    """The bare error page Google's front ends answer feed errors with."""
    page = (
        "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n"
        f"  <title>Error {status} ({reason})!!1</title>\n"
        "  <a href=//www.google.com/><span id=logo aria-label=Google></span></a>\n"
        f"  <p><b>{status}.</b> <ins>That\u2019s an error.</ins>\n"
        f"  <p>{message}  <ins>That\u2019s all we know.</ins>\n"
    )
    return text_response(status, page, "html")


def feed_not_found(path: str) -> Response:
    return google_error(404, "Not Found", f"The requested URL <code>{esc(path)}</code> was not found on this server.")


class BadRequest(ValueError):
    """A feed parameter Blogger would refuse; the message says which."""


# --- feeds ---------------------------------------------------------------------------

@dataclass(frozen=True)
class FeedQuery:
    kind: str  # default | full | summary (the URL's)
    fmt: str  # json | json-in-script | atom | rss
    callback: str
    start_index: int
    max_results: int  # after the cap
    orderby: str  # published | updated
    published_min: datetime | None
    published_max: datetime | None
    updated_min: datetime | None
    updated_max: datetime | None
    params: tuple[tuple[str, str], ...]  # as requested, for the self and next links


def parse_feed_query(kind: str, query: str, blog: Blog) -> FeedQuery:
    """A feed URL's parameters, checked and with Blogger's defaults; raises BadRequest."""
    params = tuple(parse_qsl(query, keep_blank_values=True))
    values = dict(params)
    fmt = values.get("alt") or "atom"
    if fmt not in FEED_FORMATS:
        raise BadRequest(f"Invalid alt parameter: {fmt}")
    callback = values.get("callback") or "gdata.io.handleScriptLoaded"
    if not CALLBACK_NAME.fullmatch(callback):
        raise BadRequest(f"Invalid callback parameter: {callback}")
    orderby = values.get("orderby") or "published"
    if orderby not in ("published", "updated"):
        raise BadRequest(f"Invalid orderby parameter: {orderby}")
    start_index = _int_param(values, "start-index", 1, minimum=1)
    max_results = min(_int_param(values, "max-results", DEFAULT_MAX_RESULTS, minimum=1), blog.max_results_cap)
    times = {name: _time_param(values, name, blog.tz)
             for name in ("published-min", "published-max", "updated-min", "updated-max")}
    by_updated = orderby == "updated"  # Blogger ignores updated-min/max in any other order
    return FeedQuery(
        kind=kind, fmt=fmt, callback=callback, start_index=start_index, max_results=max_results,
        orderby=orderby, published_min=times["published-min"], published_max=times["published-max"],
        updated_min=times["updated-min"] if by_updated else None,
        updated_max=times["updated-max"] if by_updated else None,
        params=params,
    )


def _int_param(values: dict[str, str], name: str, default: int, minimum: int) -> int:
    raw = values.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"\d+", raw) or int(raw) < minimum:
        raise BadRequest(f"Invalid {name} parameter: {raw}")
    return int(raw)


def _time_param(values: dict[str, str], name: str, tz: timezone) -> datetime | None:
    raw = values.get(name)
    if not raw:
        return None
    try:
        return parse_time(raw, tz)
    except ValueError:
        raise BadRequest(f"Invalid {name} parameter: {raw}") from None


@dataclass(frozen=True)
class FeedPage:
    """What one feed request returns, in any format."""

    blog: Blog
    query: FeedQuery
    base: str  # https://host the blog's own links use
    summary: bool
    total: int  # entries matching the windows
    entries: list[Post]

    @property
    def has_more(self) -> bool:
        return self.query.start_index - 1 + len(self.entries) < self.total

    def api_url(self, kind: str) -> str:
        """Where Blogger's feed links point: the blog-id URL on www.blogger.com. The wildcard
        blog is reached on 127.0.0.1 only, so its links stay on the blog."""
        if self.blog.wildcard:
            return f"{self.base}/feeds/posts/{kind}"
        return f"{BLOGGER}/feeds/{self.blog.blog_id}/posts/{kind}"

    def self_url(self) -> str:
        query = urlencode(self.query.params, safe=":")
        return self.api_url(self.query.kind) + (f"?{query}" if query else "")

    def next_url(self) -> str | None:
        if not (self.blog.next_links and self.has_more):
            return None
        others = [(k, v) for k, v in self.query.params if k not in ("alt", "start-index", "max-results")]
        alt = [("alt", self.query.fmt)] if self.query.fmt != "atom" else []
        paging = [("start-index", str(self.query.start_index + self.query.max_results)),
                  ("max-results", str(self.query.max_results))]
        return self.api_url(self.query.kind) + "?" + urlencode(alt + paging + others, safe=":")

    def post_url(self, post: Post) -> str:
        return self.base + post.path

    def content(self, post: Post) -> str:
        return truncate_words(post.text, SUMMARY_LENGTH) if self.summary else post.body


def select_feed_page(blog: Blog, query: FeedQuery, base: str) -> FeedPage:
    """The entries one feed request returns: windows applied, newest first by the order asked
    for, then the start-index / max-results slice."""
    posts = blog.by_updated if query.orderby == "updated" else blog.posts
    matching = [
        post for post in posts
        if (query.published_min is None or post.published >= query.published_min)
        and (query.published_max is None or post.published < query.published_max)
        and (query.updated_min is None or post.updated >= query.updated_min)
        and (query.updated_max is None or post.updated < query.updated_max)
    ]
    start = query.start_index - 1
    return FeedPage(
        blog=blog, query=query, base=base,
        summary=query.kind == "summary" or blog.feeds == "summary",
        total=len(matching), entries=matching[start:start + query.max_results],
    )


def render_json_feed(page: FeedPage) -> str:
    """alt=json: Blogger's GData JSON, entry omitted when the page is empty."""
    blog = page.blog
    feed: dict[str, Any] = dict(FEED_NAMESPACES)
    feed.update({
        "id": {"$t": f"tag:blogger.com,1999:blog-{blog.blog_id}"},
        "updated": {"$t": iso_ms(blog.updated)},
        "category": [{"term": label} for label in blog.labels],
        "title": {"type": "text", "$t": entity_escaped(blog.title)},
        "subtitle": {"type": "html", "$t": blog.description},
        "link": [{"rel": rel, **({"type": kind} if kind else {}), "href": href}
                 for rel, kind, href in _feed_links(page)],
        "author": [_json_author(UNKNOWN_AUTHOR)],
        "generator": {"version": "7.00", "uri": "http://www.blogger.com", "$t": "Blogger"},
    })
    if blog.total_results:
        feed["openSearch$totalResults"] = {"$t": str(page.total)}
    feed["openSearch$startIndex"] = {"$t": str(page.query.start_index)}
    feed["openSearch$itemsPerPage"] = {"$t": str(page.query.max_results)}
    if page.entries:
        feed["entry"] = [_json_entry(page, post) for post in page.entries]
    return google_json({"version": "1.0", "encoding": "UTF-8", "feed": feed})


def render_json_in_script(page: FeedPage) -> str:
    return f"// API callback\n{page.query.callback}({render_json_feed(page)});"


def _feed_links(page: FeedPage) -> list[tuple[str, str | None, str]]:
    links = [
        ("http://schemas.google.com/g/2005#feed", "application/atom+xml", f"{page.base}/feeds/posts/{page.query.kind}"),
        ("self", "application/atom+xml", page.self_url()),
        ("alternate", "text/html", f"{page.base}/"),
        ("hub", None, HUB),
    ]
    next_url = page.next_url()
    if next_url:
        links.append(("next", "application/atom+xml", next_url))
    return links


def _entry_links(page: FeedPage, post: Post) -> list[dict[str, str]]:
    url, title = page.post_url(post), entity_escaped(post.title)
    entry_api = f"{page.api_url('default')}/{post.post_id}"
    return [
        {"rel": "replies", "type": "application/atom+xml",
         "href": f"{page.base}/feeds/{post.post_id}/comments/default", "title": "Post Comments"},
        {"rel": "replies", "type": "text/html", "href": f"{url}#comment-form", "title": "0 Comments"},
        {"rel": "edit", "type": "application/atom+xml", "href": entry_api},
        {"rel": "self", "type": "application/atom+xml", "href": entry_api},
        {"rel": "alternate", "type": "text/html", "href": url, "title": title},
    ]


def profile_url(name: str) -> str:
    return f"{BLOGGER}/profile/{derived_id('profile', name)}"


def _json_author(name: str) -> dict:
    author: dict[str, Any] = {"name": {"$t": name}}
    if name != UNKNOWN_AUTHOR:
        author["uri"] = {"$t": profile_url(name)}
    author["email"] = {"$t": "noreply@blogger.com"}
    author["gd$image"] = dict(AUTHOR_IMAGE)
    return author


def _json_entry(page: FeedPage, post: Post) -> dict:
    entry: dict[str, Any] = {
        "id": {"$t": f"tag:blogger.com,1999:blog-{page.blog.blog_id}.post-{post.post_id}"},
        "published": {"$t": iso_ms(post.published)},
        "updated": {"$t": iso_ms(post.updated)},
        "category": [{"scheme": LABEL_SCHEME, "term": label} for label in post.labels],
        "title": {"type": "text", "$t": entity_escaped(post.title)},
    }
    if page.summary:
        entry["summary"] = {"type": "text", "$t": page.content(post)}
    else:
        entry["content"] = {"type": "html", "$t": post.body}
    entry["link"] = _entry_links(page, post)
    entry["author"] = [_json_author(post.author)]
    if post.thumbnail:
        entry["media$thumbnail"] = {"xmlns$media": MEDIA_NS, "url": post.thumbnail, "height": "72", "width": "72"}
    entry["thr$total"] = {"$t": "0"}
    return entry


def _atom_author(name: str) -> str:
    uri = "" if name == UNKNOWN_AUTHOR else f"<uri>{profile_url(name)}</uri>"
    image = " ".join(f"{k}='{esc(v)}'" for k, v in AUTHOR_IMAGE.items())
    return f"<author><name>{esc(name)}</name>{uri}<email>noreply@blogger.com</email><gd:image {image}/></author>"


def _atom_link(rel: str, kind: str | None, href: str, title: str | None = None) -> str:
    kind_attr = f" type='{kind}'" if kind else ""
    title_attr = f" title='{esc(title)}'" if title is not None else ""
    return f"<link rel='{rel}'{kind_attr} href='{esc(href)}'{title_attr}/>"


def render_atom_feed(page: FeedPage) -> str:
    """The default format: Blogger's Atom 1.0 with openSearch, gd and thr extensions."""
    blog = page.blog
    head = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        '<?xml-stylesheet href="http://www.blogger.com/styles/atom.css" type="text/css"?>',
        f"<feed {ATOM_NAMESPACES}>",
        f"<id>tag:blogger.com,1999:blog-{blog.blog_id}</id>",
        f"<updated>{iso_ms(blog.updated)}</updated>",
        *(f'<category term="{esc(label)}"/>' for label in blog.labels),
        f"<title type='text'>{esc(entity_escaped(blog.title))}</title>",
        f"<subtitle type='html'>{esc(blog.description)}</subtitle>",
        *(_atom_link(rel, kind, href) for rel, kind, href in _feed_links(page)),
        _atom_author(UNKNOWN_AUTHOR),
        "<generator version='7.00' uri='http://www.blogger.com'>Blogger</generator>",
    ]
    if blog.total_results:
        head.append(f"<openSearch:totalResults>{page.total}</openSearch:totalResults>")
    head.append(f"<openSearch:startIndex>{page.query.start_index}</openSearch:startIndex>")
    head.append(f"<openSearch:itemsPerPage>{page.query.max_results}</openSearch:itemsPerPage>")
    return "".join(head + [_atom_entry(page, post) for post in page.entries] + ["</feed>"])


def _atom_entry(page: FeedPage, post: Post) -> str:
    content = (f"<summary type='text'>{esc(page.content(post))}</summary>" if page.summary
               else f"<content type='html'>{esc(post.body)}</content>")
    thumbnail = (f'<media:thumbnail xmlns:media="{MEDIA_NS}" url="{esc(post.thumbnail)}" height="72" width="72"/>'
                 if post.thumbnail else "")
    return "".join([
        "<entry>",
        f"<id>tag:blogger.com,1999:blog-{page.blog.blog_id}.post-{post.post_id}</id>",
        f"<published>{iso_ms(post.published)}</published>",
        f"<updated>{iso_ms(post.updated)}</updated>",
        *(f'<category scheme="{LABEL_SCHEME}" term="{esc(label)}"/>' for label in post.labels),
        f"<title type='text'>{esc(entity_escaped(post.title))}</title>",
        content,
        *(_atom_link(link["rel"], link["type"], link["href"], link.get("title")) for link in _entry_links(page, post)),
        _atom_author(post.author),
        thumbnail,
        "<thr:total>0</thr:total>",
        "</entry>",
    ])


def render_rss_feed(page: FeedPage) -> str:
    """alt=rss: RSS 2.0 with GMT dates; Blogger's RSS has no next link."""
    blog = page.blog
    # RSS keeps the Atom namespace for a few elements, under the atom: prefix.
    namespaces = ATOM_NAMESPACES.replace("xmlns='", "xmlns:atom='", 1)
    channel = [
        "<?xml version='1.0' encoding='UTF-8'?>",
        f"<rss {namespaces} version='2.0'><channel>",
        f"<atom:id>tag:blogger.com,1999:blog-{blog.blog_id}</atom:id>",
        f"<lastBuildDate>{rfc822(blog.updated)}</lastBuildDate>",
        *(f"<category>{esc(label)}</category>" for label in blog.labels),
        f"<title>{esc(entity_escaped(blog.title))}</title>",
        f"<description>{esc(blog.description)}</description>",
        f"<link>{esc(page.base)}/</link>",
        f"<managingEditor>noreply@blogger.com ({UNKNOWN_AUTHOR})</managingEditor>",
        "<generator>Blogger</generator>",
    ]
    if blog.total_results:
        channel.append(f"<openSearch:totalResults>{page.total}</openSearch:totalResults>")
    channel.append(f"<openSearch:startIndex>{page.query.start_index}</openSearch:startIndex>")
    channel.append(f"<openSearch:itemsPerPage>{page.query.max_results}</openSearch:itemsPerPage>")
    return "".join(channel + [_rss_item(page, post) for post in page.entries] + ["</channel></rss>"])


def _rss_item(page: FeedPage, post: Post) -> str:
    thumbnail = (f"<media:thumbnail xmlns:media='{MEDIA_NS}' url='{esc(post.thumbnail)}' height='72' width='72'/>"
                 if post.thumbnail else "")
    return "".join([
        "<item>",
        f"<guid isPermaLink='false'>tag:blogger.com,1999:blog-{page.blog.blog_id}.post-{post.post_id}</guid>",
        f"<pubDate>{rfc822(post.published)}</pubDate>",
        f"<atom:updated>{iso_ms(post.updated)}</atom:updated>",
        *(f"<category domain='{LABEL_SCHEME}'>{esc(label)}</category>" for label in post.labels),
        f"<title>{esc(entity_escaped(post.title))}</title>",
        f"<description>{esc(page.content(post))}</description>",
        f"<link>{esc(page.post_url(post))}</link>",
        f"<author>noreply@blogger.com ({esc(post.author)})</author>",
        thumbnail,
        "<thr:total>0</thr:total>",
        "</item>",
    ])


FEED_RENDERERS = {
    "json": render_json_feed,
    "json-in-script": render_json_in_script,
    "atom": render_atom_feed,
    "rss": render_rss_feed,
}


def serve_feed(blog: Blog, request: Request, kind: str) -> Response:
    """A posts feed, or the error the blog's feed settings call for."""
    if blog.feeds == "disabled":
        return feed_not_found(request.path)
    if blog.feeds == "forbidden":
        return google_error(403, "Forbidden", "Your client does not have permission to get this feed from this server.")
    try:
        query = parse_feed_query(kind, urlsplit(request.target).query, blog)
    except BadRequest as problem:
        return google_error(400, "Bad Request", esc(str(problem)))
    family = "json" if query.fmt.startswith("json") else query.fmt
    if family in blog.refuse_formats:
        message = f"The feed format <code>{esc(query.fmt)}</code> is not available for this blog."
        return google_error(400, "Bad Request", message)
    page = select_feed_page(blog, query, blog.base(request))
    return text_response(200, FEED_RENDERERS[query.fmt](page), query.fmt)


def serve_feed_entry(blog: Blog, request: Request, kind: str, post_id: str) -> Response:
    """One post's own feed, /feeds/posts/<kind>/<postId>: alt=json gives the lone entry."""
    if blog.feeds == "disabled":
        return feed_not_found(request.path)
    if blog.feeds == "forbidden":
        return google_error(403, "Forbidden", "Your client does not have permission to get this feed from this server.")
    post = next((p for p in blog.posts if p.post_id == post_id), None)
    if post is None:
        return feed_not_found(request.path)
    try:
        query = parse_feed_query(kind, urlsplit(request.target).query, blog)
    except BadRequest as problem:
        return google_error(400, "Bad Request", esc(str(problem)))
    if query.fmt != "json":
        return google_error(400, "Bad Request", "This emulator serves a single post's feed as alt=json only.")
    page = FeedPage(blog, query, blog.base(request), summary=kind == "summary" or blog.feeds == "summary",
                    total=1, entries=[post])
    return text_response(200, google_json({"version": "1.0", "encoding": "UTF-8", "entry": _json_entry(page, post)}),
                         "json")


# --- robots.txt and sitemaps ------------------------------------------------------------

def render_robots(blog: Blog, base: str) -> str:
    """Blogger's default robots.txt, unless the blog sets its own."""
    if blog.robots is not None:
        return blog.robots
    return (
        "User-agent: Mediapartners-Google\nDisallow: \n\n"
        "User-agent: *\nDisallow: /search\nAllow: /\n\n"
        f"Sitemap: {base}/sitemap.xml\n"
    )


def render_sitemap_index(blog: Blog, base: str) -> str:
    pages = math.ceil(len(blog.posts) / blog.sitemap_page_size)
    children = "".join(f"<sitemap><loc>{base}/sitemap.xml?page={page}</loc></sitemap>" for page in range(1, pages + 1))
    return ("<?xml version='1.0' encoding='UTF-8'?>"
            f"<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{children}</sitemapindex>")


def render_urlset(entries: list[tuple[str, datetime]]) -> str:
    urls = "".join(f"<url><loc>{esc(loc)}</loc><lastmod>{utc_z(lastmod)}</lastmod></url>" for loc, lastmod in entries)
    return ("<?xml version='1.0' encoding='UTF-8'?>"
            f"<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">{urls}</urlset>")


def serve_sitemap(blog: Blog, request: Request) -> Response:
    """/sitemap.xml: one urlset, or an index of ?page=N urlsets once the blog outgrows one page."""
    base, page = blog.base(request), request.query.get("page")
    if page is None and len(blog.posts) > blog.sitemap_page_size:
        return text_response(200, render_sitemap_index(blog, base), "xml")
    if page is not None and not re.fullmatch(r"[1-9]\d*", page):
        return render_error_page(blog, request)
    start = (int(page) - 1) * blog.sitemap_page_size if page else 0
    size = blog.sitemap_page_size if page else len(blog.posts)
    chunk = blog.posts[start:start + size]
    return text_response(200, render_urlset([(base + post.path, post.updated) for post in chunk]), "xml")


# --- HTML pages -------------------------------------------------------------------------

@dataclass(frozen=True)
class PageView:
    """One HTML page: its type (Blogger's pageType), name and the main column's HTML."""

    page_type: str  # item | index | archive | static_page | error_page
    name: str
    canonical: str
    main: str
    post: Post | None = None
    description: str = ""
    head_extra: str = ""  # more <head> tags, e.g. the Dynamic Views template marker


def render_page(blog: Blog, request: Request, view: PageView) -> str:
    """The whole document around a page's main column: head, header, sidebar, footer and the
    widget scripts that carry the page data."""
    base, lang = blog.base(request), blog.language
    image = view.post.image if view.post else None
    return "\n".join([
        "<!DOCTYPE html>",
        f"<html class='v2' dir='ltr' lang='{esc(lang)}' xmlns='http://www.w3.org/1999/xhtml' "
        "xmlns:b='http://www.google.com/2005/gml/b' xmlns:data='http://www.google.com/2005/gml/data' "
        "xmlns:expr='http://www.google.com/2005/gml/expr'>",
        "<head>",
        "<meta content='width=1100' name='viewport'/>",
        "<meta content='text/html; charset=UTF-8' http-equiv='Content-Type'/>",
        "<meta content='blogger' name='generator'/>",
        view.head_extra,
        f"<link href='{base}/favicon.ico' rel='icon' type='image/x-icon'/>",
        f"<link href='{esc(view.canonical)}' rel='canonical'/>",
        feed_link_tags(blog, base, view.post),
        f"<meta content='{esc(view.canonical)}' property='og:url'/>",
        f"<meta content='{esc(view.name)}' property='og:title'/>",
        f"<meta content='{esc(view.description)}' property='og:description'/>",
        f"<meta content='{esc(image)}' property='og:image'/>" if image else "",
        f"<title>{esc(page_title(blog, view))}</title>",
        "<style id='page-skin-1' type='text/css'><!--\nbody{font:normal normal 14px Arial,sans-serif}"
        "\n.post-body{line-height:1.6}\n--></style>",
        "</head>",
        f"<body class='loading{' mobile' if request.query.get('m') == '1' else ''}'>",
        "<div class='navbar section' id='navbar'><div class='widget Navbar' data-version='1' id='Navbar1'>"
        "<div id='navbar-iframe-container'></div></div></div>",
        "<div class='outer-wrapper'>",
        render_header(blog, base),
        render_menu(blog, base),
        "<div class='main-inner'><div class='columns'>",
        "<div class='main-outer'><div class='main section' id='main'>"
        f"<div class='widget Blog' data-version='1' id='Blog1'>\n{view.main}\n</div></div></div>",
        render_sidebar(blog, base, view.post),
        "</div></div>",
        render_footer(blog, base),
        "</div>",
        page_data_script(blog, request, view),
        "</body>",
        "</html>",
    ])


def page_title(blog: Blog, view: PageView) -> str:
    """'Blog: Page', as classic templates title every page but the home page."""
    return blog.title if view.page_type == "index" and not view.name else f"{blog.title}: {view.name}"


def feed_link_tags(blog: Blog, base: str, post: Post | None) -> str:
    """Autodiscovery links, as Blogger prints them in the head (and in the page data)."""
    title = esc(blog.title)
    tags = [
        f'<link rel="alternate" type="application/atom+xml" title="{title} - Atom" '
        f'href="{base}/feeds/posts/default" />',
        f'<link rel="alternate" type="application/rss+xml" title="{title} - RSS" '
        f'href="{base}/feeds/posts/default?alt=rss" />',
        f'<link rel="service.post" type="application/atom+xml" title="{title} - Atom" '
        f'href="{BLOGGER}/feeds/{blog.blog_id}/posts/default" />',
    ]
    if post is not None:
        tags.append(f'\n<link rel="alternate" type="application/atom+xml" title="{title} - Atom" '
                    f'href="{base}/feeds/{post.post_id}/comments/default" />')
    return "\n".join(tags) + "\n"


def render_header(blog: Blog, base: str) -> str:
    return (
        "<div class='header-outer'><div class='header section' id='header'>"
        "<div class='widget Header' data-version='1' id='Header1'><div id='header-inner'>"
        f"<div class='titlewrapper'><h1 class='title'><a href='{base}/'>{esc(blog.title)}</a></h1></div>"
        f"<div class='descriptionwrapper'><p class='description'><span>{esc(blog.description)}</span></p></div>"
        "</div></div></div></div>"
    )


def render_menu(blog: Blog, base: str) -> str:
    items = [f"<li><a href='{base}/'>{strings(blog.language)['home']}</a></li>"]
    items += [f"<li><a href='{label_url(base, label)}'>{esc(label)}</a></li>" for label in blog.labels[:6]]
    return ("<div class='tabs section' id='crosscol'><div class='widget PageList' data-version='1' id='PageList1'>"
            f"<div class='widget-content'><ul>{''.join(items)}</ul></div></div></div>")


def label_url(base: str, label: str) -> str:
    return f"{base}/search/label/{quote(label)}"


def render_sidebar(blog: Blog, base: str, current: Post | None) -> str:
    text = strings(blog.language)
    popular = [post for post in blog.popular if post is not current][:4]
    popular_items = "".join(
        "<li><div class='item-content'>"
        f"<div class='item-title'><a href='{base}{post.path}'>{esc(post.title)}</a></div>"
        f"<div class='item-snippet'>{esc(post.snippet)}</div>"
        f"<abbr class='published' title='{iso_seconds(post.published)}'>"
        f"{short_date(post.published, blog.language)}</abbr>"
        "</div><div style='clear: both;'></div></li>"
        for post in popular
    )
    labels = "".join(
        f"<li><a dir='ltr' href='{label_url(base, label)}'>{esc(label)}</a>"
        f"<span dir='ltr'>({sum(label in p.labels for p in blog.posts)})</span></li>"
        for label in blog.labels
    )
    return "\n".join([
        "<div class='sidebar-outer'><div class='sidebar section' id='sidebar-right-1'>",
        f"<div class='widget PopularPosts' data-version='1' id='PopularPosts1'><h2>{text['popular']}</h2>"
        f"<div class='widget-content popular-posts'><ul>{popular_items}</ul></div></div>",
        f"<div class='widget Label' data-version='1' id='Label1'><h2>{text['categories']}</h2>"
        f"<div class='widget-content list-label-widget-content'><ul>{labels}</ul></div></div>",
        render_archive_widget(blog, base),
        "</div></div>",
    ])


def render_archive_widget(blog: Blog, base: str) -> str:
    """The BlogArchive widget: years and months with post counts, newest first."""
    months = MONTHS["id" if blog.language == "id" else "en"]
    years = []
    for year, in_year in itertools.groupby(blog.posts, key=lambda p: p.published.year):
        in_year = list(in_year)
        month_items = "".join(
            f"<li class='archivedate'><a class='post-count-link' href='{base}/{year:04d}/{month:02d}/'>"
            f"{months[month - 1]}</a> <span class='post-count' dir='ltr'>({len(list(in_month))})</span></li>"
            for month, in_month in itertools.groupby(in_year, key=lambda p: p.published.month)
        )
        years.append(
            f"<li class='archivedate expanded'><a class='post-count-link' href='{base}/{year:04d}/'>{year}</a> "
            f"<span class='post-count' dir='ltr'>({len(in_year)})</span><ul class='hierarchy'>{month_items}</ul></li>"
        )
    return (f"<div class='widget BlogArchive' data-version='1' id='BlogArchive1'>"
            f"<h2>{strings(blog.language)['archive']}</h2>"
            f"<div class='widget-content'><div id='ArchiveList'><div id='BlogArchive1_ArchiveList'>"
            f"<ul class='hierarchy'>{''.join(years)}</ul></div></div></div></div>")


def render_footer(blog: Blog, base: str) -> str:
    year = blog.updated.year
    return (f"<div class='footer-outer'><div class='footer section' id='footer-1'>"
            f"<div class='widget Attribution' data-version='1' id='Attribution1'><div class='widget-content'>"
            f"Copyright &#169; {year} <a href='{base}/'>{esc(blog.title)}</a>. {strings(blog.language)['rights']} "
            f"Powered by <a href='https://www.blogger.com' target='_blank'>Blogger</a>.</div></div></div></div>")


def page_data_script(blog: Blog, request: Request, view: PageView) -> str:
    """The widget bootstrap script: _WidgetManager._Init and _SetDataContext with the page data
    (blog id, canonical URL, page type, post id), in Blogger's JavaScript notation."""
    base = blog.base(request)
    canonical_home = f"https://{blog.host}/" if not blog.wildcard else f"{base}/"
    data: dict[str, Any] = {
        "blogId": blog.blog_id, "title": blog.title, "url": request.url, "canonicalUrl": view.canonical,
        "homepageUrl": f"{base}/", "searchUrl": f"{base}/search", "canonicalHomepageUrl": canonical_home,
        "blogspotFaviconUrl": f"{base}/favicon.ico", "bloggerUrl": BLOGGER,
        "hasCustomDomain": not blog.host.endswith(".blogspot.com"), "httpsEnabled": True,
        "enabledCommentProfileImages": True, "gPlusViewType": "FILTERED_POSTMOD", "adultContent": False,
        "analyticsAccountNumber": "", "encoding": "UTF-8", "locale": blog.language,
        "localeUnderscoreDelimited": blog.language, "languageDirection": "ltr", "isPrivate": False,
        "isMobile": False, "isMobileRequest": request.query.get("m") == "1", "mobileClass": "",
        "isPrivateBlog": False, "isDynamicViewsAvailable": True,
        "feedLinks": feed_link_tags(blog, base, view.post), "meTag": "",
        "adsenseHostId": "ca-host-pub-1556223355139109", "adsenseHasAds": False, "view": "",
        "hasCustomJumpLinkMessage": False, "jumpLinkMessage": strings(blog.language)["read_more"],
        "pageType": view.page_type,
    }
    if view.post is not None:
        data["postId"] = view.post.post_id
        if view.post.image:
            data["postImageThumbnailUrl"] = view.post.thumbnail
            data["postImageUrl"] = view.post.image
    data.update({"pageName": view.name, "pageTitle": page_title(blog, view), "metaDescription": view.description})
    view_data: dict[str, Any] = {
        "isMobile": False, "title": view.name, "description": view.description, "url": request.url,
        "type": view.page_type, "isSingleItem": view.page_type in ("item", "static_page"),
        "isMultipleItems": view.page_type in ("index", "archive"), "isError": view.page_type == "error_page",
        "isPage": view.page_type == "static_page", "isPost": view.page_type == "item",
        "isHomepage": view.page_type == "index" and request.path == "/", "isArchive": view.page_type == "archive",
        "isLabelSearch": request.path.startswith("/search/label/"),
    }
    context = [
        {"name": "blog", "data": data},
        {"name": "features", "data": {"sharing_get_link_dialog": "true", "sharing_native": "false"}},
        {"name": "messages", "data": {"edit": "Edit", "linkCopiedToClipboard": "Link copied to clipboard!",
                                      "ok": "Ok", "postLink": "Post Link"}},
        {"name": "template", "data": {"name": "custom", "localizedName": "Custom", "isResponsive": False,
                                      "isAlternateRendering": False, "isCustom": True}},
        {"name": "view", "data": view_data},
    ]
    return (
        '<script type="text/javascript" src="https://www.blogger.com/static/v1/widgets/2975350028-widgets.js">'
        "</script>\n"
        "<script type='text/javascript'>\n"
        f"_WidgetManager._Init({js_literal(f'//www.blogger.com/rearrange?blogID={blog.blog_id}')},"
        f"{js_literal('//' + request.authority + request.target)},{js_literal(blog.blog_id)});\n"
        f"_WidgetManager._SetDataContext({js_literal(context)});\n"
        "_WidgetManager._RegisterWidget('_HeaderView', new _WidgetInfo('Header1', 'header', "
        "document.getElementById('Header1'), {}, 'displayModeFull'));\n"
        "_WidgetManager._RegisterWidget('_BlogView', new _WidgetInfo('Blog1', 'main', "
        "document.getElementById('Blog1'), {'cmtInteractionsEnabled': false}, 'displayModeFull'));\n"
        "_WidgetManager._RegisterWidget('_PopularPostsView', new _WidgetInfo('PopularPosts1', 'sidebar-right-1', "
        "document.getElementById('PopularPosts1'), {}, 'displayModeFull'));\n"
        "</script>"
    )


def render_post_page(blog: Blog, request: Request, post: Post) -> str:
    """A post page as a real mirror serves it: the post, and around it the share block,
    related posts, comments, pager and sidebar that an extractor must leave out."""
    base, text, lang = blog.base(request), strings(blog.language), blog.language
    url = base + post.path
    labels = ", ".join(f"<a href='{label_url(base, label)}' rel='tag'>{esc(label)}</a>" for label in post.labels)
    main = "\n".join([
        "<div class='blog-posts hfeed'>",
        f"<div class='date-outer'><h2 class='date-header'><span>{date_header(post.published, lang)}</span></h2>",
        "<div class='date-posts'><div class='post-outer'>",
        "<div class='post hentry uncustomized-post-template' itemprop='blogPost' itemscope='itemscope' "
        "itemtype='http://schema.org/BlogPosting'>",
        f"<meta content='{esc(post.image)}' itemprop='image_url'/>" if post.image else "",
        f"<meta content='{blog.blog_id}' itemprop='blogId'/><meta content='{post.post_id}' itemprop='postId'/>",
        f"<a name='{post.post_id}'></a>",
        f"<h3 class='post-title entry-title' itemprop='name'>\n{esc(post.title)}\n</h3>",
        "<div class='post-header'><div class='post-header-line-1'></div></div>",
        f"<div class='post-body entry-content' id='post-body-{post.post_id}' itemprop='description articleBody'>",
        post.body,
        "<div style='clear: both;'></div>",
        "</div>",
        "<div class='post-footer'>",
        "<div class='post-footer-line post-footer-line-1'>",
        f"<span class='post-author vcard'>{text['posted_by']} <span class='fn' itemprop='author' itemscope='itemscope' "
        f"itemtype='http://schema.org/Person'><span itemprop='name'>{esc(post.author)}</span></span></span>",
        f"<span class='post-timestamp'>{text['at']} <meta content='{url}' itemprop='url'/>"
        f"<a class='timestamp-link' href='{url}' rel='bookmark' title='permanent link'>"
        f"<abbr class='published' itemprop='datePublished' title='{iso_seconds(post.published)}'>"
        f"{clock(post.published, lang)}</abbr></a></span>",
        f"<span class='post-comment-link'><a class='comment-link' href='{url}#comment-form'>"
        f"{text['comment_link']}</a></span>",
        "</div>",
        "<div class='post-footer-line post-footer-line-2'>"
        f"<span class='post-labels'>{text['labels']} {labels}</span></div>",
        "</div>",
        "</div>",
        render_share_block(blog, post, url),
        render_related_posts(blog, base, post),
        render_comments(blog, post, url),
        "</div></div></div>",
        "</div>",
        render_item_pager(blog, base, post),
    ])
    return render_page(blog, request, PageView(
        page_type="item", name=post.title, canonical=url, main=main, post=post,
        description=post.snippet,
    ))


def render_share_block(blog: Blog, post: Post, url: str) -> str:
    target = quote(url, safe="")
    links = "".join(
        f"<li><a class='{name.lower()}' href='{href}' rel='nofollow' target='_blank'>{name}</a></li>"
        for name, href in [
            ("Facebook", f"https://www.facebook.com/sharer.php?u={target}"),
            ("Twitter", f"https://twitter.com/share?url={target}&amp;text={quote(post.title)}"),
            ("WhatsApp", f"https://api.whatsapp.com/send?text={target}"),
        ]
    )
    return (f"<div class='post-share'><span class='share-title'>{strings(blog.language)['share']}</span>"
            f"<ul class='share-links'>{links}</ul></div>")


def related_posts(blog: Blog, post: Post, count: int = 3) -> list[Post]:
    """Other posts near this one in time, preferring those that share its first label."""
    index = blog.position[post.post_id]
    nearby = sorted((p for p in blog.posts[max(0, index - 30):index + 31] if p is not post),
                    key=lambda p: abs(blog.position[p.post_id] - index))
    first_label = post.labels[:1]
    chosen = [p for p in nearby if first_label and first_label[0] in p.labels][:count]
    chosen += [p for p in nearby if p not in chosen][:count - len(chosen)]
    return chosen


def render_related_posts(blog: Blog, base: str, post: Post) -> str:
    items = "".join(
        f"<li class='related-item'><a class='related-title' href='{base}{other.path}'>{esc(other.title)}</a> "
        f"<span class='post-date'><time class='published' datetime='{iso_seconds(other.published)}'>"
        f"{short_date(other.published, blog.language)}</time></span></li>"
        for other in related_posts(blog, post)
    )
    return (f"<div class='related-wrap' id='related-posts'><h4 class='related-heading'>"
            f"{strings(blog.language)['related']}</h4><ul class='related-posts'>{items}</ul></div>")


def comment_time(moment: datetime, language: str) -> str:
    if language == "id":
        return f"{short_date(moment, language)} {clock(moment, language)}"
    return f"{short_date(moment, language)} at {clock(moment, language)}"


def render_comments(blog: Blog, post: Post, url: str) -> str:
    """The comments section: the theme's response count, two reader comments with their
    own dates, and the comment form."""
    text = strings(blog.language)
    comments = []
    for number, ((author, said), delay) in enumerate(zip(text["comments"], (133, 341), strict=True), start=1):
        moment = post.published + timedelta(minutes=delay)
        comment_id = derived_id("comment", post.post_id, number)
        stamp = int(moment.timestamp() * 1000)
        comments.append(
            f"<dt class='comment-author' id='c{comment_id}'><a name='c{comment_id}'></a>"
            f"<a href='{profile_url(author)}' rel='nofollow'>{esc(author)}</a> {text['said']}</dt>"
            f"<dd class='comment-body' id='Blog1_cmt-{comment_id}'><p>{esc(said)}</p></dd>"
            f"<dd class='comment-footer'><span class='comment-timestamp'>"
            f"<a href='{url}?showComment={stamp}#c{comment_id}' title='comment permalink'>"
            f"{comment_time(moment, blog.language)}</a></span></dd>"
        )
    return "\n".join([
        "<div class='comments' id='comments'><a name='comments'></a>",
        f"<h4>0 Response to &quot;{esc(post.title)}&quot;</h4>",
        "<div id='Blog1_comments-block-wrapper'>"
        f"<dl class='avatar-comment-indent' id='comments-block'>{''.join(comments)}</dl></div>",
        "<div class='comment-form'><a name='comment-form'></a><h4 id='comment-post-message'>Post a Comment</h4>",
        f"<a href='https://www.blogger.com/comment-iframe.g?blogID={blog.blog_id}&amp;postID={post.post_id}' "
        "id='comment-editor-src'></a></div>",
        "</div>",
    ])


def render_item_pager(blog: Blog, base: str, post: Post) -> str:
    """On a post page Blogger's pager links the neighbouring posts."""
    text, index = strings(blog.language), blog.position[post.post_id]
    newer = blog.posts[index - 1] if index > 0 else None
    older = blog.posts[index + 1] if index + 1 < len(blog.posts) else None
    return render_pager(
        base, text,
        newer=(base + newer.path, text["newer"]) if newer else None,
        older=(base + older.path, text["older"]) if older else None,
    )


def render_pager(base: str, text: dict, newer: tuple[str, str] | None, older: tuple[str, str] | None) -> str:
    parts = ["<div class='blog-pager' id='blog-pager'>"]
    if newer:
        parts.append(f"<span id='blog-pager-newer-link'><a class='blog-pager-newer-link' href='{esc(newer[0])}' "
                     f"id='Blog1_blog-pager-newer-link' title='{newer[1]}'>{newer[1]}</a></span>")
    if older:
        parts.append(f"<span id='blog-pager-older-link'><a class='blog-pager-older-link' href='{esc(older[0])}' "
                     f"id='Blog1_blog-pager-older-link' title='{older[1]}'>{older[1]}</a></span>")
    parts.append(f"<a class='home-link' href='{base}/'>{text['home']}</a></div>")
    return "".join(parts)


def render_listing_page(blog: Blog, request: Request, posts: list[Post], *, page_type: str, name: str,
                        older: str | None = None) -> str:
    """Home, search and archive pages: each post as a dated title and snippet with a
    'read more' link (no post body), then the pager."""
    base, text, lang = blog.base(request), strings(blog.language), blog.language
    days = []
    for day, on_day in itertools.groupby(posts, key=lambda p: p.published.date()):
        items = "".join(
            "<div class='post-outer'><div class='post hentry'>"
            f"<h3 class='post-title entry-title'><a href='{base}{post.path}'>{esc(post.title)}</a></h3>"
            f"<div class='post-snippet'>{esc(post.snippet)}</div>"
            f"<div class='jump-link'><a href='{base}{post.path}#more' title='{esc(post.title)}'>"
            f"{text['read_more']}</a></div>"
            "</div></div>"
            for post in on_day
        )
        days.append(f"<div class='date-outer'><h2 class='date-header'><span>{date_header(day, lang)}"
                    f"</span></h2><div class='date-posts'>{items}</div></div>")
    main = "<div class='blog-posts hfeed'>\n" + "\n".join(days) + "\n</div>\n" + render_pager(
        base, text, newer=None, older=(older, text["older"]) if older else None)
    return render_page(blog, request, PageView(page_type=page_type, name=name, canonical=canonical_url(base, request),
                                                main=main, description=blog.description))


def canonical_url(base: str, request: Request) -> str:
    """The page's own URL on the blog's canonical host, without the mobile switch."""
    query = urlencode([(k, v) for k, v in parse_qsl(urlsplit(request.target).query) if k != "m"], safe=":")
    return base + request.path + (f"?{query}" if query else "")


def older_link(base: str, path: str, posts: list[Post], size: int) -> str:
    """Blogger's 'Older posts' link: the search page before the last listed post's time."""
    before = quote(iso_seconds(posts[-1].published), safe=":")
    return f"{base}{path}?updated-max={before}&max-results={size}"


def serve_listing(blog: Blog, request: Request, label: str | None = None) -> Response:
    """/, /search and /search/label/<label>: newest first, paged backwards by updated-max."""
    query = request.query
    try:
        size = _int_param(query, "max-results", LISTING_PAGE_SIZE, minimum=1)
        before = _time_param(query, "updated-max", blog.tz)
    except BadRequest:
        return render_error_page(blog, request)
    candidates = [p for p in blog.posts
                  if (label is None or label in p.labels)
                  # The older link carries whole seconds: compare at that precision.
                  and (before is None or p.published.replace(microsecond=0) < before)]
    shown, older = candidates[:size], None
    if len(candidates) > size:
        older = older_link(blog.base(request), "/search" if request.path == "/" else request.path, shown, size)
    page = render_listing_page(blog, request, shown, page_type="index", name=label or "", older=older)
    return text_response(200, page, "html")


def serve_archive(blog: Blog, request: Request, year: int, month: int | None) -> Response:
    """/YYYY/ and /YYYY/MM/: every post of that period."""
    posts = [p for p in blog.posts if p.published.year == year and (month is None or p.published.month == month)]
    if not posts:
        return render_error_page(blog, request)
    name = f"{year:04d}" if month is None else f"{MONTHS['id' if blog.language == 'id' else 'en'][month - 1]} {year}"
    return text_response(200, render_listing_page(blog, request, posts, page_type="archive", name=name), "html")


def render_not_post(blog: Blog, request: Request) -> Response:
    """The not_post fault: the month archive a post URL belongs to, served in its place."""
    match = POST_PATH.fullmatch(request.path)
    month = (int(match["year"]), int(match["month"])) if match else None
    in_month = [p for p in blog.posts if (p.published.year, p.published.month) == month]
    page = render_listing_page(blog, request, in_month or blog.posts[:LISTING_PAGE_SIZE], page_type="archive",
                               name=request.path.strip("/"))
    return text_response(200, page, "html")


def render_static_page(blog: Blog, request: Request) -> Response:
    text, base = strings(blog.language), blog.base(request)
    page_id = derived_id("page", blog.blog_id)
    main = (
        "<div class='blog-posts hfeed'><div class='post-outer'><div class='post hentry'>"
        f"<a name='{page_id}'></a><h3 class='post-title entry-title'>{text['about']}</h3>"
        f"<div class='post-body entry-content' id='post-body-{page_id}'>"
        f"<p>{esc(text['about_text'].format(title=blog.title))}</p>"
        "<div style='clear: both;'></div></div></div></div></div>"
    )
    view = PageView(page_type="static_page", name=text["about"], canonical=f"{base}/p/about.html", main=main)
    return text_response(200, render_page(blog, request, view), "html")


def render_error_page(blog: Blog, request: Request) -> Response:
    """Blogger's in-template 404: the blog's layout with a sorry note and pageType error_page."""
    base, text = blog.base(request), strings(blog.language)
    main = f"<div class='status-msg-wrap'><div class='status-msg-body'>{text['not_found']}</div></div>"
    view = PageView(page_type="error_page", name="", canonical=canonical_url(base, request), main=main)
    return text_response(404, render_page(blog, request, view), "html")


def serve_post(blog: Blog, request: Request) -> Response:
    """A post page; ?m=1, ?m=0 and ?showComment=... are the same post."""
    post = blog.by_path.get(request.path)
    if post is None:
        return render_error_page(blog, request)
    if blog.template == "dynamic":
        return text_response(200, render_dynamic_shell(blog, request, post), "html")
    return text_response(200, render_post_page(blog, request, post), "html")


def render_dynamic_shell(blog: Blog, request: Request, post: Post) -> str:
    """A Dynamic Views post page: page data and an empty column; script fills it in a browser."""
    return render_page(blog, request, PageView(
        page_type="item", name=post.title, canonical=blog.base(request) + post.path,
        main="<div class='dynamic-views-shell' id='content'></div>", post=post, description=post.snippet,
        head_extra="<meta content='dynamic' name='blogger-template'/>",
    ))


# --- routing --------------------------------------------------------------------------

def route(blog: Blog, request: Request) -> Response:
    """The response a blog gives to a request on its own host."""
    path = request.path
    if path == "/robots.txt":
        return text_response(200, render_robots(blog, blog.base(request)))
    feed = FEED_PATH.fullmatch(path)
    if feed or path == "/atom.xml":
        return serve_feed(blog, request, feed["kind"] if feed else "default")
    entry = FEED_ENTRY_PATH.fullmatch(path)
    if entry:
        return serve_feed_entry(blog, request, entry["kind"], entry["post_id"])
    if path.startswith("/feeds/"):
        return feed_not_found(path)
    if path == "/sitemap.xml":
        return serve_sitemap(blog, request)
    if path == "/sitemap-pages.xml":
        return text_response(200, render_urlset([(f"{blog.base(request)}/p/about.html", blog.updated)]), "xml")
    if path in ("/", "/search", "/search/"):
        return serve_listing(blog, request)
    if path.startswith("/search/label/"):
        return serve_listing(blog, request, label=unquote(path[len("/search/label/"):]))
    if POST_PATH.fullmatch(path):
        return serve_post(blog, request)
    archive = ARCHIVE_PATH.fullmatch(path)
    if archive:
        return serve_archive(blog, request, int(archive["year"]), int(archive["month"]) if archive["month"] else None)
    if path == "/p/about.html":
        return render_static_page(blog, request)
    return render_error_page(blog, request)


GARBAGE = {
    "application/json": "{not json",
    "text/javascript": "// API callback\ngdata.io.handleScriptLoaded({not json",
    "application/atom+xml": "<?xml version='1.0' encoding='UTF-8'?><feed><entry>",
    "application/rss+xml": "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><item>",
    "application/xml": "<?xml version='1.0' encoding='UTF-8'?><urlset><url><loc>",
    "text/html": "<html><head><title>",
}


def apply_fault(fault: Fault, blog: Blog, request: Request, normal: Callable[[], Response]) -> Response | None:
    """The response a fault turns this request into; None means: close without answering.
    normal gives the response the request would have had."""
    if fault.kind == "drop":
        return None
    if fault.kind == "status":
        body = fault.body if fault.body is not None else f"Error {fault.status}"
        return text_response(fault.status, body, "html", fault.headers)
    if fault.kind == "not_post":
        return render_not_post(blog, request)
    if fault.kind == "delay":
        time.sleep(fault.seconds)
    response = normal()
    if fault.kind == "truncate":
        # Content-Length matches the cut body, so the client sees a complete, broken document.
        response.body = response.body[: len(response.body) // 2]
    elif fault.kind == "invalid":
        media_type = response.content_type.split(";")[0]
        response = Response(200, GARBAGE.get(media_type, "\x00garbage").encode(), response.content_type)
    return response


class Mirror:
    """Every blog of a config, found by host, alias or blog id."""

    def __init__(self, config: dict) -> None:
        blogs = [load_blog(raw) for raw in config.get("blogs", [])]
        self.by_host: dict[str, Blog] = {}
        self.by_alias: dict[str, Blog] = {}
        for blog in blogs:
            for name, table in [(blog.host, self.by_host), *((alias, self.by_alias) for alias in blog.aliases)]:
                if name in self.by_host or name in self.by_alias:
                    raise ValueError(f"host {name} is claimed by two blogs")
                table[name] = blog
        self.by_id: dict[str, Blog] = {}
        for blog in blogs:  # tests may give several blogs one id; the first one owns the API URL
            self.by_id.setdefault(blog.blog_id, blog)

    def respond(self, request: Request, wildcard_allowed: bool) -> tuple[Response | None, str | None]:
        """The response to a request and the name of the fault that shaped it, if any.
        Aliases redirect before any fault: faults are the blog's own server misbehaving."""
        if request.host == "www.blogger.com":
            # Where feed self and next links point: /feeds/<blogId>/posts/<kind>.
            match = BLOGGER_FEED_PATH.fullmatch(request.path)
            blog = self.by_id.get(match["blog_id"]) if match else None
            if blog is None:
                return google_error(404, "Not Found", "No blog with that id."), None
            normal = partial(serve_feed, blog, request, match["kind"])
        else:
            blog = self.by_host.get(request.host)
            if blog is None and request.host in self.by_alias:
                target = f"https://{self.by_alias[request.host].host}{request.target}"
                body = f"<a href='{esc(target)}'>Moved Permanently</a>"
                return text_response(301, body, "html", {"Location": target}), None
            if blog is None and wildcard_allowed:
                blog = self.by_host.get("*")
            if blog is None:
                return text_response(404, "no such blog"), None
            normal = partial(route, blog, request)
        fault = blog.take_fault(request.target)
        if fault is None:
            return normal(), None
        return apply_fault(fault, blog, request, normal), fault.name


# --- the HTTP side: proxy, TLS tunnel, request log -------------------------------------------

class TunnelTls:
    """Server-side TLS for CONNECT tunnels. Each host name the client asks for (SNI) gets its
    own self-signed certificate, made on first use: clients do not check the issuer, but
    Scrapy warns about every certificate whose name does not match."""

    def __init__(self) -> None:
        self._key = ec.generate_private_key(ec.SECP256R1())
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()
        self.context = self.context_for("localhost")
        self.context.sni_callback = self._choose

    def _choose(self, connection: ssl.SSLObject, server_name: str | None, _: ssl.SSLContext) -> None:
        if server_name:
            connection.context = self.context_for(server_name)

    def context_for(self, host: str) -> ssl.SSLContext:
        with self._lock:
            if host not in self._contexts:
                self._contexts[host] = self._make_context(host)
            return self._contexts[host]

    def _make_context(self, host: str) -> ssl.SSLContext:
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
        now = datetime.now(timezone.utc)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name).issuer_name(name).public_key(self._key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
            .sign(self._key, hashes.SHA256())
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        # load_cert_chain only reads files; they are gone once loaded.
        with tempfile.TemporaryDirectory() as directory:
            cert_path, key_path = Path(directory, "cert.pem"), Path(directory, "key.pem")
            cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
            key_path.write_bytes(self._key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
            context.load_cert_chain(cert_path, key_path)
        return context


class RequestLog:
    """One JSON line per answered request, flushed at once so tests can read it live."""

    def __init__(self, path: str | Path | None) -> None:
        self._file = open(path, "a", encoding="utf-8") if path else None
        self._lock = threading.Lock()

    def write(self, request: Request, status: int | None, fault: str | None) -> None:
        if self._file is None:
            return
        record = {"host": request.host, "method": request.method, "path": request.target,
                  "status": status, "scheme": request.scheme, "fault": fault}
        with self._lock:
            self._file.write(json.dumps(record) + "\n")
            self._file.flush()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()


class MirrorServer(ThreadingHTTPServer):
    """The listening socket; one thread per client connection."""

    def __init__(self, address: tuple[str, int], mirror: Mirror, log: RequestLog) -> None:
        self.mirror, self.log, self.tls = mirror, log, TunnelTls()
        super().__init__(address, MirrorHandler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-response or mid-handshake is ordinary proxy traffic.
        if isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def server_close(self) -> None:
        super().server_close()
        self.log.close()


class MirrorHandler(BaseHTTPRequestHandler):
    """Plain HTTP, proxy requests in absolute form, and CONNECT tunnels; keep-alive throughout."""

    server: MirrorServer
    protocol_version = "HTTP/1.1"
    tunnel_host: str | None = None

    def version_string(self) -> str:
        return "GSE"  # what Blogger's front ends call themselves

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_CONNECT(self) -> None:
        """Open a tunnel and speak TLS in it as if this were the blog itself. CONNECTs are not
        logged: they are plumbing, and the requests inside the tunnel are."""
        host = self.path.rpartition(":")[0].strip("[]").lower()
        self.send_response_only(200, "Connection established")
        self.end_headers()
        try:
            tunnel = self.server.tls.context.wrap_socket(self.connection, server_side=True)
        except (ssl.SSLError, OSError):
            self.close_connection = True
            return
        self.connection, self.tunnel_host = tunnel, host
        self.rfile = tunnel.makefile("rb")
        self.wfile = tunnel.makefile("wb")
        # The tunnel lives on whatever the CONNECT line's own HTTP version said.
        self.close_connection = False

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            if self.tunnel_host is not None:
                self.connection.close()

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the --log file is the record of requests."""

    def _request(self) -> tuple[Request, bool]:
        """The request as the mirror sees it, and whether the wildcard blog may answer it."""
        if self.tunnel_host is not None:
            return Request(self.command, "https", self.tunnel_host, self.tunnel_host, self.path), False
        if "://" in self.path:
            parts = urlsplit(self.path)
            target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            return Request(self.command, parts.scheme, (parts.hostname or "").lower(), parts.netloc, target), False
        authority = self.headers.get("Host", "")
        host = authority.rsplit(":", 1)[0] if not authority.endswith("]") else authority
        return Request(self.command, "http", host.strip("[]").lower(), authority, self.path), True

    def _answer(self, send_body: bool) -> None:
        request, wildcard_allowed = self._request()
        response, fault = self.server.mirror.respond(request, wildcard_allowed)
        self.server.log.write(request, response.status if response else None, fault)
        if response is None:
            self._drop()
            return
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if send_body:
            self.wfile.write(response.body)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):  # the client may have gone already
            self.connection.shutdown(socket.SHUT_RDWR)


def serve(config: dict, host: str = "127.0.0.1", port: int = 0,
          log_path: str | Path | None = None) -> tuple[MirrorServer, int]:
    """Start the mirror in a daemon thread; returns the server and the port it listens on.
    Stop it with ``server.shutdown(); server.server_close()``."""
    server = MirrorServer((host, port), Mirror(config), RequestLog(log_path))
    # A short poll keeps shutdown() prompt.
    threading.Thread(target=server.serve_forever, args=(0.05,), name="blogger-mirror", daemon=True).start()
    return server, server.server_address[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newscrawl.demo.server", description=__doc__.split("\n")[0])
    parser.add_argument("--config", required=True, help="blogs to serve (JSON)")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--log", help="append one JSON line per request to this file")
    args = parser.parse_args(argv)
    config = json.loads(Path(args.config).read_text(encoding="utf-8"))
    server, port = serve(config, args.host, args.port, args.log)
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    print(f"LISTENING {port}", flush=True)
    stopping.wait()  # a signal interrupts the wait and runs its handler
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
