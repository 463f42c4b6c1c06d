"""The words and shapes of dates on Indonesian and English news pages, compiled once: the
vocabulary and the regular expressions of ``newscrawl.dates``' fast path."""

from __future__ import annotations

import re

# ---------------------------------------------------------------------------
# Vocabulary. Keys are lowercase; the text is lowercased before matching.
# ---------------------------------------------------------------------------

MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2, "peb": 2,
    "maret": 3, "march": 3, "mar": 3, "mrt": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agust": 8, "agst": 8, "agu": 8, "ags": 8, "agt": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}

# Monday is 0, as in date.weekday().
WEEKDAYS = {
    "senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4,
    "sabtu": 5, "minggu": 6, "ahad": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
    "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
    "fri": 4, "sat": 5, "sun": 6,
}

COUNT_WORDS = {
    "a": 1, "an": 1, "one": 1, "satu": 1, "two": 2, "dua": 2, "three": 3, "tiga": 3,
    "four": 4, "empat": 4, "five": 5, "lima": 5, "six": 6, "enam": 6,
    "seven": 7, "tujuh": 7, "eight": 8, "delapan": 8, "nine": 9, "sembilan": 9,
    "ten": 10, "sepuluh": 10,
}

# "minggu" after a count is a week ("2 minggu lalu"); alone it is Sunday.
UNITS = {
    "detik": "seconds", "dtk": "seconds", "second": "seconds", "sec": "seconds",
    "menit": "minutes", "mnt": "minutes", "minute": "minutes", "min": "minutes",
    "jam": "hours", "hour": "hours", "hr": "hours",
    "hari": "days", "day": "days",
    "minggu": "weeks", "pekan": "weeks", "week": "weeks",
    "bulan": "months", "bln": "months", "month": "months",
    "tahun": "years", "thn": "years", "year": "years",
}

# Relative words that need no count: how many days back they point.
DAYS_BACK = {
    "kemarin lusa": 2, "kemarin": 1, "yesterday": 1,
    "hari ini": 0, "today": 0, "baru saja": 0, "barusan": 0, "just now": 0,
}

# Fixed offsets of the zone words that follow a time, in hours: Indonesia's
# three zones, UTC, and the unambiguous abbreviations of foreign wire copy.
ZONE_HOURS = {
    "wib": 7, "wita": 8, "wit": 9, "gmt": 0, "utc": 0, "z": 0,
    "est": -5, "edt": -4, "pst": -8, "pdt": -7, "cet": 1, "cest": 2,
    "sgt": 8, "myt": 8, "jst": 9, "aest": 10,
}


def alternation(words) -> str:
    """Regex alternation of `words`, longest first so no word shadows a longer one."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_MONTH = rf"(?P<month>{alternation(MONTHS)})\.?(?![a-z])"
WEEKDAY = rf"(?:{alternation(WEEKDAYS)})\.?(?![a-z'])"

# ---------------------------------------------------------------------------
# Fast path: one pattern per date shape, one for the time that may follow.
# The patterns are searched for, so words around a date do not matter;
# dateparser needs the whole string to be a date and returns None for
# "Diposting oleh Admin pada Jumat, 26 April 2019", "detikNews | Jumat, ..."
# or "... 00:37 WIB | Dibaca 1.234 kali".
# ---------------------------------------------------------------------------

# "26 April 2019", "Jumat, 03 Jan 2019", "26-Apr-2019", "26 April" (no year).
# The year must have four digits: "25 Apr 23:10" is a time, not the year 23.
NAMED_DAY_FIRST = re.compile(
    rf"(?<![\w.:/-])(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[-/.]\s*|\s*)"
    rf"{_MONTH}(?:(?:\s*[,/.-]\s*|\s+)(?P<year>\d{{4}})(?!\d))?"
)

# "April 26, 2019", "Fri, Apr 26 2019", "Apr 26" (no year). A day followed by
# ':' or '.' and a digit is an hour ("Apr 23:10"), "Juni 2018" has no day, and
# after a year ("2019 April 26") the yearless reading would be wrong.
NAMED_MONTH_FIRST = re.compile(
    rf"(?<![\w.])(?<!\d )(?:{_MONTH})\s*(?P<day>\d{{1,2}})(?!\d|[:.]\d)(?:st|nd|rd|th)?"
    rf"(?:(?:\s*,\s*|\s+)(?P<year>\d{{4}})(?!\d))?"
)

# "2019-04-26", "2019/04/05" (ISO 8601 and the Y/M/D of CMS meta tags).
NUMERIC_YEAR_FIRST = re.compile(
    r"(?<![\w.:/-])(?P<year>\d{4})(?P<sep>[-/.])(?P<month>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?!\d)"
)

# "26/04/2019", "26.4.19", "04-05-2018", "(23/4/2019)", "(25/4)". The
# lookarounds keep "1.234", "Rp 12.000", "v1.2.3" and phone numbers out.
NUMERIC_DAY_FIRST = re.compile(
    r"(?<![\w.:/-])(?P<first>\d{1,2})(?P<sep>[-/.])(?P<second>\d{1,2})"
    r"(?:(?P=sep)(?P<year>\d{4}|\d{2}))?(?!\w|[-/.:]\d)"
)

# A day-month pair without a year ("25/4") is a date only where Indonesian
# datelines put one: after a weekday ("Kamis (25/4)") or before a time.
# dateparser returns None for "Senin (8/4) malam" and for the dateline
# inside a lede ("... pada Selasa (23/4/2019).").
WEEKDAY_BEFORE = re.compile(rf"(?<![a-z]){WEEKDAY}[\s,]*\(?\s*$")

# dateparser knows WITA and WIT but converts them to its TIMEZONE setting,
# which loses the offset the text was written in.
_ZONE = (
    r"(?P<zone>(?:gmt|utc)\s*[+-]\s*(?:1[0-4]|0?\d)(?::?\d{2})?|[+-](?:1[0-4]|0\d):?\d{2}"
    rf"|{alternation(ZONE_HOURS)})(?![a-z0-9])"
)
# "09.30", "9:30:15.000", "12:37 AM", "9 PM" (an hour alone needs AM or PM).
_AMPM = r"\s*(?P<ampm>[ap])\.?m\.?(?![a-z])"
CLOCK = (
    r"(?P<hour>\d{1,2})(?=[:.]\d{2}|\s*[ap]\.?m\.?(?![a-z]))"
    r"(?:[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2})(?:[.,]\d{1,9})?)?)?(?!\d)"
    rf"(?:{_AMPM})?(?:\s*\(?\s*{_ZONE}\s*\)?)?"
)
# The words and separators sites put between a date and its time: "pukul",
# "jam", "at", "@", ISO's "T", ',', '|', '/', '-' (en dashes become '-'),
# '~', bullets, and the ')' closing a dateline ("Kamis (25/4/2019) pukul 10.00").
_SEPARATORS = r"[\s,|/~\u2022\u00b7-]"
TIME_AFTER = re.compile(rf"(?:{_SEPARATORS}|[@)])*(?:(?:pukul|pkl\.?|jam|at|t)\s*)?{CLOCK}")
# "Pukul 09.30 WIB, Jumat 26 April 2019": the time may also come first.
TIME_BEFORE = re.compile(
    rf"(?:(?:pukul|pkl\.?|jam|at)\s*)?{CLOCK}{_SEPARATORS}*(?:{WEEKDAY})?(?:{_SEPARATORS}|\()*$"
)
OFFSET = re.compile(r"([+-])\s*(\d{1,2})(?::?(\d{2}))?")

# "2 jam yang lalu", "5 menit lalu", "sejam yang lalu", "se-minggu lalu",
# "dua hari lalu", "an hour ago", and sums read as one span, not as their
# last term: "1 hari 2 jam yang lalu", "2 weeks, 3 days ago" (four terms at
# most, which keeps the search linear on long text). dateparser's
# Indonesian data lacks "sejam", "semenit" and number words, and it moves
# "4 bulan lalu" to the first of the month.
_COUNT = rf"\d{{1,3}}|{alternation(COUNT_WORDS)}"
_UNIT = alternation(UNITS)
_SPAN = rf"(?:(?:{_COUNT})\s*|se-?)(?:{_UNIT})s?(?![a-z])"
SPAN_TERM = re.compile(rf"(?:(?P<count>{_COUNT})\s*|se-?)(?P<unit>{_UNIT})s?(?![a-z])")
RELATIVE = re.compile(
    rf"(?<![\w-])(?P<spans>{_SPAN}(?:[\s,]+(?:and\s+|dan\s+)?{_SPAN}){{0,3}})"
    r"\s+(?:yang\s+|yg\s+)?(?:lalu|ago|silam)(?![a-z])"
)
# They stand alone or before a time: "Hari Ini Dalam Sejarah" is a headline.
DAYS_BACK_WORD = re.compile(
    rf"(?<![\w#])(?P<word>{alternation(DAYS_BACK)})"
    rf"(?={_SEPARATORS}*(?:$|[|(]|(?:pukul|pkl\.?|jam|at|@)?\s*\d))"
)

# A weekday on its own ("Minggu", "Senin, pukul 10.00") is the latest such day.
LONE_WEEKDAY = re.compile(rf"(?P<weekday>{WEEKDAY})")
LEFTOVER = re.compile(r"[\s,.|-]*")

# A unit with no count, as a whole date: "bulan lalu", "last week". dateparser
# moves "bulan lalu" to the first of last month (it applies PREFER_DAY_OF_MONTH
# to relative months) and does not know "pekan". "minggu lalu" stays out: it
# is last Sunday as often as last week.
PREVIOUS_UNIT = re.compile(r"(?P<unit>bulan|tahun|pekan) lalu|last (?P<english>week|month|year)")

DIGIT = re.compile(r"\d")
