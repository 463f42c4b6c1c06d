"""Publication dates from the text of Indonesian and English news pages.

Two stages. A fast path of compiled regular expressions reads the shapes that
Blogger templates and Indonesian news sites print: named months in both
languages (with the old and abbreviated spellings), numeric day-first dates,
ISO 8601, RFC 822, ``pukul 09.30 WIB`` times and relative phrases. Text that
none of them explains but that still holds a date word goes to dateparser,
through one parser built on first use and reused. dateparser takes dozens of
times longer per call and misreads several local shapes, so the text is
cleaned for it first; each hand-written rule says what dateparser gets wrong.

Offsets: naive times are read in the caller's ``tz``. An offset written in the
text (WIB, WITA, WIT, +08:00) is kept as written, since it says where the post
was dated; a UTC stamp (Z, GMT, +0000) is shown in ``tz`` instead, since feeds
write UTC by convention and the local wall time is what readers saw.
"""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from dateparser.conf import Settings
    from dateparser.date import DateDataParser

from newscrawl.date_patterns import (  # the fast path's vocabulary and shapes
    CLOCK,
    COUNT_WORDS,
    DAYS_BACK,
    DAYS_BACK_WORD,
    DIGIT,
    LEFTOVER,
    LONE_WEEKDAY,
    MONTHS,
    NAMED_DAY_FIRST,
    NAMED_MONTH_FIRST,
    NUMERIC_DAY_FIRST,
    NUMERIC_YEAR_FIRST,
    OFFSET,
    PREVIOUS_UNIT,
    RELATIVE,
    SPAN_TERM,
    TIME_AFTER,
    TIME_BEFORE,
    UNITS,
    WEEKDAY,
    WEEKDAYS,
    WEEKDAY_BEFORE,
    ZONE_HOURS,
    alternation,
)

__all__ = ["STATS", "ParseStats", "ParsedDate", "offset_of", "parse_date", "parse_date_detail", "to_iso"]


class ParsedDate(NamedTuple):
    """A date read from text, with what the text itself said about it."""

    value: datetime  # aware
    has_time: bool  # False when the text gave only a day (value is then 00:00 in tz)
    has_offset: bool  # True when the text carried its own offset or zone


class ParseStats:
    """Counts of parsed texts and of those that reached the dateparser fallback."""

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Start counting again from zero."""
        self.calls = 0
        self.fallback_calls = 0

    def __repr__(self) -> str:
        return f"ParseStats(calls={self.calls}, fallback_calls={self.fallback_calls})"


STATS = ParseStats()

# ---------------------------------------------------------------------------
# Normalization shared by both stages.
# ---------------------------------------------------------------------------

_CHARACTERS = str.maketrans(
    {
        "\xa0": " ", "\u2007": " ", "\u2009": " ", "\u200a": " ", "\u202f": " ",
        "\u200b": None, "\ufeff": None,
        "\u2013": "-", "\u2014": "-", "\u2212": "-",
        "\u2018": "'", "\u2019": "'", "`": "'",
    }
)


def _normalize(text: str) -> str:
    """Lowercase `text`, turn HTML spaces and dashes into plain ones, squeeze runs of space."""
    if "&" in text:
        text = text.replace("&nbsp;", " ")
    return " ".join(text.translate(_CHARACTERS).lower().split())


# ---------------------------------------------------------------------------
# The caller's clock.
# ---------------------------------------------------------------------------

_FIXED_OFFSET = re.compile(r"(?:utc|gmt)?([+-])(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)


@lru_cache(maxsize=64)
def zone(tz: str) -> tzinfo:
    """The tzinfo named by `tz`: an IANA name or a fixed offset such as "+07:00"."""
    fixed = _FIXED_OFFSET.fullmatch(tz.strip())
    if fixed:
        return timezone(_signed_offset(*fixed.groups()))
    return ZoneInfo(tz)


def _signed_offset(sign: str, hours: str, minutes: str | None) -> timedelta:
    offset = timedelta(hours=int(hours), minutes=int(minutes or 0))
    return -offset if sign == "-" else offset


class _Frame(NamedTuple):
    """Where and when a text is read."""

    zone: tzinfo
    now: datetime  # aware, in zone
    latest: datetime  # nothing later is a publication date

    @classmethod
    def of(cls, tz: str, now: datetime | None) -> _Frame:
        tzone = zone(tz)
        wall = datetime.now(tzone)
        if now is None:
            now = wall
        elif now.tzinfo is None:
            now = now.replace(tzinfo=tzone)
        now = now.astimezone(tzone)
        # A post cannot be dated after the real present, give or take a day
        # of clock and zone slack. A `now` frozen in the past anchors relative
        # text only: dates written out in full may lie after it.
        return cls(tzone, now, max(now, wall) + timedelta(days=1))


# ---------------------------------------------------------------------------
# Public API.
# ---------------------------------------------------------------------------


def parse_date(
    text: str, *, tz: str = "Asia/Jakarta", now: datetime | None = None
) -> datetime | None:
    """Timezone-aware datetime, or None when the text holds no date.

    `tz` (an IANA name or a fixed offset such as "+07:00") is the zone naive
    times are read in; an unknown name raises zoneinfo.ZoneInfoNotFoundError.
    `now` (aware; default: the current time) anchors relative phrases
    ("2 jam yang lalu") and dates written without a year.
    """
    found = parse_date_detail(text, tz=tz, now=now)
    return found.value if found else None


def parse_date_detail(
    text: str, *, tz: str = "Asia/Jakarta", now: datetime | None = None
) -> ParsedDate | None:
    """Like parse_date, with whether the text gave a time and an offset of its own.

    Relative phrases count as timed: their value is `now` moved back, so it
    keeps the time of `now` ("kemarin" at 12:00 is yesterday at 12:00).
    Returns None for text without a date, impossible dates (31 Feb), dates
    before 1990 and dates more than a day in the future.
    """
    STATS.calls += 1
    cleaned = _normalize(text or "")
    if not cleaned:
        return None
    frame = _Frame.of(tz, now)
    found = _fast_path(cleaned, frame)
    if found is _UNREAD:
        found = _fallback(cleaned, frame)
    if found is None or found.value.year < 1990 or found.value > frame.latest:
        return None
    return found


def offset_of(raw: str | None) -> str | None:
    """The UTC offset (``+07:00``) a timestamp string carries, or None: how a blog's own
    timestamps reveal its time zone."""
    parsed = parse_date_detail(raw) if raw else None
    if parsed is None or not parsed.has_offset:
        return None
    return to_iso(parsed.value)[-6:]


def to_iso(value: datetime) -> str:
    """ISO 8601 to the second with a colon in the offset: '2019-04-26T00:37:00+07:00'.

    UTC is written '+00:00', never 'Z'. Raises ValueError for a naive datetime.
    """
    if value.utcoffset() is None:
        raise ValueError(f"naive datetime has no offset to write: {value!r}")
    return value.isoformat(timespec="seconds")


# ---------------------------------------------------------------------------
# Fast path.
# ---------------------------------------------------------------------------


class _Unread:
    """What the fast path returns when no date shape matched: the fallback may still try."""


_UNREAD = _Unread()


class _Clock(NamedTuple):
    hour: int
    minute: int
    second: int
    offset: timedelta | None


def _fast_path(text: str, frame: _Frame) -> ParsedDate | None | _Unread:
    """The date in `text` if a known shape holds it, None if a shape matched
    but the date cannot be, _UNREAD if no shape matched."""
    if DIGIT.search(text):
        found = _absolute(text, frame)
        if found is not _UNREAD:
            return found
    found = _relative(text, frame)
    if found is not _UNREAD:
        return found
    return _bare_weekday(text, frame)


def _absolute(text: str, frame: _Frame) -> ParsedDate | None | _Unread:
    """The leftmost written-out date that exists, with its time and zone."""
    candidates = []
    for pattern, read in _SHAPES:
        match = pattern.search(text)
        if match:
            candidates.append((match.start(), match, read))
    candidates.sort(key=lambda candidate: candidate[0])
    matched = False
    for _, match, read in candidates:
        day = read(match, text, frame)
        if isinstance(day, date):
            clock = _time_near(text, match)
            # "pukul 25.70": a time was written and cannot be; the string is wrong, not the day alone.
            return None if clock is _IMPOSSIBLE else _at_time(day, clock, frame)
        matched = matched or day is None
    return None if matched else _UNREAD


def _read_named_date(match: re.Match, text: str, frame: _Frame) -> date | None:
    month = MONTHS[match["month"]]
    return _calendar_day(match["year"], month, int(match["day"]), frame)


def _read_year_first(match: re.Match, text: str, frame: _Frame) -> date | None:
    return _calendar_day(match["year"], int(match["month"]), int(match["day"]), frame)


def _read_day_first(match: re.Match, text: str, frame: _Frame) -> date | None | _Unread:
    first, second = int(match["first"]), int(match["second"])
    if match["year"] is None:
        dateline = match["sep"] == "/" and (
            WEEKDAY_BEFORE.search(text, 0, match.start()) or TIME_AFTER.match(text, match.end())
        )
        if not dateline:
            return _UNREAD
    # Day first, as Indonesian sites write it; month first only when the
    # second number cannot be a month (the US "4/26/2019" of Blogger timestamps).
    day, month = (second, first) if second > 12 >= first else (first, second)
    return _calendar_day(match["year"], month, day, frame)


_SHAPES = (
    (NAMED_DAY_FIRST, _read_named_date),
    (NAMED_MONTH_FIRST, _read_named_date),
    (NUMERIC_YEAR_FIRST, _read_year_first),
    (NUMERIC_DAY_FIRST, _read_day_first),
)


def _calendar_day(year: str | None, month: int, day: int, frame: _Frame) -> date | None:
    """The day written as `day` `month` `year`; a missing year is the latest one
    that does not put the day after today, a two-digit year the latest century
    that does not put it after this year."""
    if year is None:
        return _latest_occurrence(month, day, frame.now.date())
    full_year = int(year)
    if len(year) == 2:
        full_year += 2000 if 2000 + full_year <= frame.now.year else 1900
    try:
        return date(full_year, month, day)
    except ValueError:
        return None


def _latest_occurrence(month: int, day: int, today: date) -> date | None:
    # Eight years back is enough to reach the last 29 February.
    for year in range(today.year, today.year - 8, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    return None


# A time of day was written next to the date, and no clock shows it ("25.70").
_IMPOSSIBLE = object()


def _time_near(text: str, match: re.Match):
    """The time written right after the date, else right before it: a _Clock, None when there
    is none, _IMPOSSIBLE when the one written cannot be."""
    found = TIME_AFTER.match(text, match.end()) or TIME_BEFORE.search(text, 0, match.start())
    if found is None:
        return None
    clock = _read_clock(found)
    return _IMPOSSIBLE if clock is None else clock


def _read_clock(match: re.Match) -> _Clock | None:
    hour, minute, second = (int(match[part] or 0) for part in ("hour", "minute", "second"))
    # "13:00 PM" occurs; the marker changes only hours a 12-hour clock shows.
    if match["ampm"] and 1 <= hour <= 12:
        hour = hour % 12 + (12 if match["ampm"] == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    offset = _zone_offset(match["zone"]) if match["zone"] else None
    return _Clock(hour, minute, second, offset)


def _zone_offset(zone: str) -> timedelta:
    numeric = OFFSET.search(zone)
    if numeric:
        return _signed_offset(*numeric.groups())
    return timedelta(hours=ZONE_HOURS[zone])


def _at_time(day: date, clock: _Clock | None, frame: _Frame) -> ParsedDate:
    """`day` at `clock` (midnight when there is none), in the frame's zone or the clock's own."""
    hour, minute, second, offset = clock or (0, 0, 0, None)
    value = datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=frame.zone)
    return ParsedDate(_with_offset(value, offset, frame), clock is not None, offset is not None)


def _with_offset(value: datetime, offset: timedelta | None, frame: _Frame) -> datetime:
    """Re-read the wall time `value` at `offset`; see the module docstring for UTC."""
    if offset is None:
        return value
    value = value.replace(tzinfo=timezone(offset))
    return value.astimezone(frame.zone) if not offset else value


def _relative(text: str, frame: _Frame) -> ParsedDate | None | _Unread:
    """"2 jam yang lalu", "kemarin, 20:15 WIB", "just now", measured from `now`."""
    counted = RELATIVE.search(text)
    if counted:
        value = frame.now
        for term in SPAN_TERM.finditer(counted["spans"]):
            count = term["count"]
            amount = 1 if count is None else COUNT_WORDS.get(count) or int(count)
            value = _back(value, amount, UNITS[term["unit"]])
            if value is None:
                return None
        return ParsedDate(value, True, False)
    previous = PREVIOUS_UNIT.fullmatch(text)
    if previous:
        unit = UNITS[previous["unit"] or previous["english"]]
        return ParsedDate(_back(frame.now, 1, unit), True, False)
    named = DAYS_BACK_WORD.search(text)
    if not named:
        return _UNREAD
    day = frame.now - timedelta(days=DAYS_BACK[named["word"]])
    after = TIME_AFTER.match(text, named.end())
    clock = _read_clock(after) if after else None
    return _at_time(day.date(), clock, frame) if clock else ParsedDate(day, True, False)


def _back(now: datetime, amount: int, unit: str) -> datetime | None:
    """`now` moved back by `amount` `unit`s; months and years by the calendar."""
    if unit in ("months", "years"):
        months = now.year * 12 + now.month - 1 - amount * (12 if unit == "years" else 1)
        year, month = divmod(months, 12)
        if year < 1:
            return None
        return now.replace(year=year, month=month + 1, day=min(now.day, _days_in(year, month + 1)))
    if unit in ("days", "weeks"):
        # Whole days move the calendar, keeping the wall time across DST.
        return now - timedelta(**{unit: amount})
    # Elapsed time: count in UTC so a DST change in between does not shift it.
    return (now.astimezone(timezone.utc) - timedelta(**{unit: amount})).astimezone(now.tzinfo)


def _days_in(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def _bare_weekday(text: str, frame: _Frame) -> ParsedDate | _Unread:
    """A weekday alone, or with a time, is its latest occurrence, today included."""
    match = LONE_WEEKDAY.match(text)
    if not match:
        return _UNREAD
    end, clock = match.end(), None
    after = TIME_AFTER.match(text, end)
    if after:
        end, clock = after.end(), _read_clock(after)
        if clock is None:
            return _UNREAD
    if not LEFTOVER.fullmatch(text, end):
        return _UNREAD
    today = frame.now.date()
    weekday = WEEKDAYS[match["weekday"].rstrip(".")]
    return _at_time(today - timedelta(days=(today.weekday() - weekday) % 7), clock, frame)


# ---------------------------------------------------------------------------
# Fallback: dateparser, for the long tail.
# ---------------------------------------------------------------------------

# Only text with a number next to a month or weekday name, or with a word for
# time gone by, can hold a date the fast path missed. The rest never reaches
# dateparser, which reads "You may like" as 1 May and bare numbers as days.
# It is asked of the cleaned text, so "April (12)" (a count) stays out.
_NAME_WORD = re.compile(rf"(?<![a-z])(?:{alternation([*MONTHS, *WEEKDAYS])})(?![a-z])")
_PAST_WORD = re.compile(r"(?<![a-z])(?:lalu|ago|silam|last)(?![a-z])")

# dateparser reads a whole string as one date; longer text is prose it cannot read.
_FALLBACK_MAX_CHARS = 60

# The zone after a time. dateparser knows WIB, WITA and WIT, but it turns
# every zone into its TIMEZONE setting and so loses the offset the text was
# written in: the zone is cut out here and put back on the result.
_ZONED_CLOCK = re.compile(rf"(?<![\d:.]){CLOCK}")

# View and comment counters next to a date ("Dibaca 1.234 kali", "1.234
# views") and the post counts of Blogger's archive widget ("April (12)"):
# dateparser takes their number for part of the date.
_COUNTER = re.compile(
    r"\d[\d.,]*\s*(?:kali|x|views?|dilihat|pembaca|komentar|comments?)(?![a-z])|\(\d+\)"
)

# dateparser translates a string within one locale, so one Indonesian word
# in English text, or the reverse, makes it return None ("Minggu, 21st April
# 2019", "the 13th of Agustus 2019"). Month names are therefore written in
# English, which also covers the spellings its Indonesian data lacks (Ags,
# Agust); weekday names are dropped when a month is named, which also takes
# out "Jum'at", missing from that data, and "Minggu", listed there as both
# Sunday and week (issue #398); Indonesian words in front of a number
# ("pukul 09.30", "tanggal 26") go.
_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
_MONTH_WORD = re.compile(rf"(?<![a-z])(?:{alternation(MONTHS)})\.?(?![a-z])")
_WEEKDAY_WORD = re.compile(rf"(?<![a-z]){WEEKDAY},?")
_CONNECTOR = re.compile(r"(?<![a-z])(?:pukul|pkl\.?|jam|tanggal|tgl\.?|pada)\s*:?\s*(?=\d)")

# Whole words dateparser can read as part of a date. Any others at either end
# ("Diposting oleh Admin pada", "by admin", a site name) make it give up on
# the whole string, so the text is cut to the span between the first and
# the last of these.
_DATE_TOKEN = re.compile(
    r"(?<![^\s(|])(?:\S*\d\S*|(?:"
    + alternation([*_ENGLISH_MONTHS, *WEEKDAYS, *UNITS, *COUNT_WORDS])
    + r"|lalu|ago|yang|silam|last|at|of|the|am|pm)"
    r"[.,]?(?![^\s)|]))"
)


def _worth_fallback(text: str) -> bool:
    if _PAST_WORD.search(text):
        return True
    return DIGIT.search(text) is not None and _NAME_WORD.search(text) is not None


def _fallback(text: str, frame: _Frame) -> ParsedDate | None:
    """Ask the shared dateparser instance, after cleaning what it misreads."""
    cleaned, offset = _preclean(text)
    if len(cleaned) > _FALLBACK_MAX_CHARS or not _worth_fallback(cleaned):
        return None
    STATS.fallback_calls += 1
    parser, settings = _dateparser()
    with _DATEPARSER_LOCK:
        # DateDataParser takes its settings once, at construction, but `now`
        # (which dateparser needs for missing years and relative words)
        # differs from call to call: the reused instance gets a copy of its
        # settings with this call's RELATIVE_BASE.
        parser._settings = settings.replace(RELATIVE_BASE=frame.now.replace(tzinfo=None))
        data = parser.get_date_data(cleaned)
    found = data.date_obj
    if found is None:
        return None
    if found.tzinfo is not None:  # a zone the clean-up did not know: keep the instant
        value, has_offset = found.astimezone(frame.zone), True
    else:
        value = _with_offset(found.replace(tzinfo=frame.zone), offset, frame)
        has_offset = offset is not None
    # Relative phrases ("bulan lalu") carry the time of `now` without a 'time' part.
    has_time = "time" in data.parts or (value.hour, value.minute, value.second) != (0, 0, 0)
    return ParsedDate(value.replace(microsecond=0), has_time, has_offset)


def _preclean(text: str) -> tuple[str, timedelta | None]:
    """`text` as dateparser can read it, and the offset cut out of it."""
    text, offset = _cut_zone(text)
    text = _COUNTER.sub(" ", text)
    if _MONTH_WORD.search(text):
        text = _WEEKDAY_WORD.sub(" ", _MONTH_WORD.sub(_english_month, text))
    text = _CONNECTOR.sub("", text)
    tokens = list(_DATE_TOKEN.finditer(text))
    if not tokens:
        return "", offset
    return text[tokens[0].start() : tokens[-1].end()].strip(" ,|-/"), offset


def _cut_zone(text: str) -> tuple[str, timedelta | None]:
    for clock in _ZONED_CLOCK.finditer(text):
        if clock["zone"]:
            head = text[: clock.start("zone")].rstrip(" (")
            return f"{head} {text[clock.end() :]}", _zone_offset(clock["zone"])
    return text, None


def _english_month(match: re.Match) -> str:
    return _ENGLISH_MONTHS[MONTHS[match[0].rstrip(".")] - 1]


_DATEPARSER_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _dateparser() -> tuple[DateDataParser, Settings]:
    """The one DateDataParser and its settings, built on first use: importing
    dateparser takes about a second, so the fast path never does."""
    from dateparser.date import DateDataParser  # noqa: PLC0415

    parser = DateDataParser(
        languages=["id", "en"],
        settings={
            # Indonesian numeric dates are day-first; dateparser defaults to MDY.
            "DATE_ORDER": "DMY",
            # "April 2019" names a month; its first day is the earliest it can mean.
            "PREFER_DAY_OF_MONTH": "first",
            # A yearless date on a published page is behind us, not ahead.
            "PREFER_DATES_FROM": "past",
            # RETURN_AS_TIMEZONE_AWARE stays at its default on purpose: then a
            # result is aware only when the text named a zone, and naive ones
            # are placed in the caller's tz by _fallback.
            "TIMEZONE": "UTC",
            # The 'timestamp' parser reads any 10-digit number as Unix time.
            "PARSERS": ["relative-time", "absolute-time"],
            # A day number, or a weekday alone, is not a publication date.
            "REQUIRE_PARTS": ["month"],
        },
    )
    return parser, parser._settings


def is_newer(updated: str | None, than: str | None) -> bool:
    """Whether ISO 8601 time ``updated`` is strictly later than ``than`` (unknown is never newer)."""
    if not updated or not than:
        return False
    try:
        return _aware(updated) > _aware(than)
    except ValueError:
        return False


def _aware(value: str) -> datetime:
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
