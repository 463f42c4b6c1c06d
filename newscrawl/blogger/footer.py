"""The repost footer that IFTTT's RSS-to-Blogger recipes append to autoblog mirror posts.

A mirrored outlet article ends with these parts, each optional, in this order:

    ... kata dia. (prm)            the outlet's author initials, on their own line
                                   or closing the last sentence
    http://bit.ly/2UVp8x3          {{EntryUrl}}; IFTTT's default Blogger recipe prints
                                   it as 'from <feed title> <url>'
    April 26, 2019 at 12:37AM      {{EntryPublished}}, the outlet's own time
    via IFTTT                      the default recipe's signature

Only the link or the timestamp makes a footer; initials or 'via IFTTT' alone do not.
Taking real article text for a footer loses content, which is worse than leaving a
footer in, so every rule below errs towards "not a footer".
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Footer:
    """A post's text and the repost footer split off its end."""

    text: str  # the text without the footer, trailing whitespace trimmed
    source_url: str | None  # the outlet link as printed; short links stay short
    source_published_raw: str | None  # e.g. 'April 26, 2019 at 12:37AM'; newscrawl.dates parses it


_URL = r"https?://\S+"

# The signature line of IFTTT's default Blogger recipe.
_VIA_IFTTT = re.compile(r"via IFTTT", re.I)

# {{EntryPublished}} exactly as IFTTT prints it. Blogger's own comment timestamps
# ('June 17, 2018 at 9:30 PM') put a space before PM, so they do not match.
_TIMESTAMP = re.compile(
    r"""
    (?P<published>
        (?:January|February|March|April|May|June|July
          |August|September|October|November|December)
        \ \d{1,2},\ \d{4}          # 'April 26, 2019', 'May 02, 2018'
        \ at\ \d{1,2}:\d{2}[AP]M   # 'at 12:37AM': AM/PM glued to the minutes
    )
    """,
    re.X,
)

# The link on a line of its own.
_LINK_LINE = re.compile(
    rf"""
    (?:from\ \S.*?\ )?   # 'from Hackaday ': the default recipe names the source feed
    (?P<url>{_URL})
    """,
    re.X,
)

# The link glued to the end of the last article line. Accepted only when the
# timestamp line follows, because articles do end sentences with links.
_LINK_AT_LINE_END = re.compile(rf"\s(?P<url>{_URL})$")

# Outlet author initials closing the article: '(prm)', '(rdp/rdp)', '(nwy/jat)'.
# Lowercase letters only, so '(AFP)', '(2019)' and '(Baca juga: ...)' never match.
_INITIALS_AT_LINE_END = re.compile(
    r"""
    (?:^|\s)                        # own line, or after the last sentence
    \((?P<initials>
        [a-z]{2,5}                  # editor: 'prm'
        (?:/[a-z]{2,5}){0,2}        # writer/editor: 'rdp/rdp'
    )\)$
    """,
    re.X,
)


class _Tail:
    """The text's lines, consumed from the end while footer parts are recognised."""

    def __init__(self, text: str) -> None:
        self.lines = text.rstrip().split("\n")
        self.end = len(self.lines)

    def _last_index(self) -> int | None:
        for index in range(self.end - 1, -1, -1):
            if self.lines[index].strip():
                return index
        return None

    def last_line(self) -> str:
        index = self._last_index()
        return self.lines[index].strip() if index is not None else ""

    def take_line(self, pattern: re.Pattern) -> re.Match | None:
        """Consume the last line if the whole of it matches pattern."""
        index = self._last_index()
        match = pattern.fullmatch(self.lines[index].strip()) if index is not None else None
        if match:
            self.end = index
        return match

    def cut_line_end(self, pattern: re.Pattern) -> re.Match | None:
        """Cut what pattern matches off the end of the last line."""
        index = self._last_index()
        line = self.lines[index].strip() if index is not None else ""
        match = pattern.search(line)
        if match:
            self.lines[index] = line[: match.start()]
            self.end = index + 1
        return match

    def text(self) -> str:
        return "\n".join(self.lines[: self.end]).rstrip()


def split_footer(text: str) -> Footer:
    """Split the IFTTT repost footer off the end of a post's plain text.

    text has paragraphs separated by blank lines. Returns the text without the footer
    and the footer's parts, raw; when no footer is recognised, the text (trailing
    whitespace trimmed) and None for every part.
    """
    tail = _Tail(text)
    signed = tail.take_line(_VIA_IFTTT)
    published = tail.take_line(_TIMESTAMP)
    link = tail.take_line(_LINK_LINE) or (published and tail.cut_line_end(_LINK_AT_LINE_END))
    if not (link or published) or (link and not (published or signed) and _introduced(tail)):
        return Footer(text.rstrip(), None, None)
    tail.cut_line_end(_INITIALS_AT_LINE_END)  # the outlet's initials go with the footer
    return Footer(
        text=tail.text(),
        source_url=link["url"] if link else None,
        source_published_raw=published["published"] if published else None,
    )


def _introduced(tail: _Tail) -> bool:
    # 'Sumber:' / 'Selengkapnya:' on the line before: the article cites this link.
    return tail.last_line().endswith(":")
