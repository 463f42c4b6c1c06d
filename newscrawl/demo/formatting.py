"""How Blogger writes and reads text: the blog's language, dates, timestamps, escaping.

Every renderer (feeds, pages, sitemaps) and the synthetic content share these, so a date or
an apostrophe comes out the same way in a feed entry and on the post page, as on Blogger.
The parsers of times and numbers are here too: configs and query strings (feeds, search
pages) are read with the same rules.
"""

from __future__ import annotations

import html
import json
import re
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

import lxml.html

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


# --- query parameters -----------------------------------------------------------------

class BadRequest(ValueError):
    """A feed parameter Blogger would refuse; the message says which."""


def int_param(values: dict[str, str], name: str, default: int, minimum: int) -> int:
    raw = values.get(name)
    if raw is None or raw == "":
        return default
    if not re.fullmatch(r"\d+", raw) or int(raw) < minimum:
        raise BadRequest(f"Invalid {name} parameter: {raw}")
    return int(raw)


def time_param(values: dict[str, str], name: str, tz: timezone) -> datetime | None:
    raw = values.get(name)
    if not raw:
        return None
    try:
        return parse_time(raw, tz)
    except ValueError:
        raise BadRequest(f"Invalid {name} parameter: {raw}") from None


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
