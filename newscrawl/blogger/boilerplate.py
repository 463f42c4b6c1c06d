"""The boilerplate vocabulary: every word and class name that marks template text rather than
the post, in one place.

Three kinds, each read by ``newscrawl.blogger.body`` (and the first by the page reader, which
keeps a post's metadata out of such blocks):

- class / id names of blocks that belong to the template or a plugin;
- the lead words of "Baca juga" / "Related" / "Bagikan" link lists inside a body;
- whole lines of template text left in the plain text (share prompts, comment and pager
  labels, related-post links, widget placeholders), in Indonesian and English.

Each line pattern must match a whole (stripped) line, case-insensitively, so an article
sentence that merely contains 'share' or 'komentar' is never touched.
"""

from __future__ import annotations

import re

def class_and_id(el) -> str:
    """What the class vocabularies below are matched against: an element's class and id."""
    return f"{el.get('class') or ''} {el.get('id') or ''}"


# Post-level blocks that repeat other posts' titles, dates and authors.
WIDGET_CLASSES = re.compile(
    r"(?<![a-z])(?:related|popular|comment|shar(?:e|ing)|addthis|breadcrumb|blog-pager)",
    re.I,
)

# Blocks inside a post body that belong to the template or a plugin, not to the post.
BODY_NOISE_CLASSES = re.compile(
    r"(?<![a-z])(?:related|shar(?:e|ing)|addthis|baca[-_]?juga|lihat[-_]?juga)", re.I
)

# The lead of a link list that points away from the post.
LINK_LIST_LEAD = re.compile(
    r"^\W*(?:baca\s+(?:juga|pula)|lihat\s+juga|artikel\s+terkait|berita\s+terkait"
    r"|bagikan(?:\s+(?:berita|artikel)\s+ini)?|related(?:\s+(?:posts?|articles?))?"
    r"|read\s+also|see\s+also|share\s+this)\b\W*",
    re.I,
)

# Images that are template furniture, not the post's: emoji, icons, share buttons, tracking
# pixels of feed services, Blogger's own template images.
NON_CONTENT_IMAGE = re.compile(
    r"(?<![a-z])(?:emoji|emoticons?|smil(?:e|ey|ies)|icons?|pixel|spacer|blank"
    r"|share|sharing|button|badge)(?![a-z])|/~r/|/~ff/|resources\.blogblog\.com/img/",
    re.I,
)

# Trailing punctuation that template labels carry ("Baca juga:", "Loading...").
_LABEL_END = r"\s*[:.!…]*"

LINE_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(f"(?:{pattern}){_LABEL_END}", re.IGNORECASE)
    for pattern in [
        # Share prompts under the post.
        r"(?:bagikan|sebarkan) (?:berita|artikel|postingan|tulisan) ini",
        r"share(?: this(?: (?:post|article|story))?)?",
        r"klik untuk (?:berbagi|membagikan|mencetak|mengirim(?:kan)?)\b.*",
        r"click to (?:share|print|email)\b.*",
        # Blogger comment section: '0 Response to "<title>"', 'Post a Comment'.
        r"\d+ (?:responses?|komentar|tanggapan) (?:to|untuk) [\"“'‘].*",
        r"post a comment|posting komentar",
        # Blogger pager links, alone or together on one line.
        r"(?:(?:newer posts?|older posts?|posting lebih baru|posting lama|home|beranda)\s*)+",
        r"(?:subscribe to|(?:ber)?langganan): ?.*\(atom\)",
        # Related-post widgets; 'Baca juga' style links, bracketed or not, take the rest
        # of their line.
        r"related posts?|artikel terkait|berita terkait|postingan terkait",
        r"[(\[]?(?:baca|lihat|simak) juga\b.*",
        # Widget placeholders.
        r"loading|memuat",
    ]
)


def is_template_line(line: str) -> bool:
    """True when the whole line is template text."""
    stripped = line.strip()
    return any(pattern.fullmatch(stripped) for pattern in LINE_PATTERNS)
