"""Spider arguments (``-a name=value``): typed, validated, and explained when wrong.

A wrong argument must stop the run before any request, with a message naming the argument and
the reason, not a traceback halfway through a crawl of hundreds of sites.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from scrapy.exceptions import UsageError

from newscrawl.blogger.sites import Site, SiteError, parse_site
from newscrawl.dates import parse_date, zone

#: name -> help text; the README's argument table is written from the same words.
ARGUMENTS: dict[str, str] = {
    "site": "blog URL(s) to crawl, comma-separated",
    "sites": "file with one blog URL per line (# comments and blank lines allowed)",
    "urls": "individual post page URL(s), comma-separated; file:/// saved pages allowed",
    "since": "only posts published at or after this date/time",
    "until": "only posts published before this date/time",
    "max_posts": "stop after N posts per site",
    "search_pages": "1 to also page through /search listings when robots.txt allows it (off by default)",
    "fresh": "1 to ignore what earlier runs exported, for this run only",
    "drop_duplicates": "1 to drop mirror copies of an article instead of exporting them with duplicate_of",
    "resolve_links": "1 to follow each autoblog source link (bit.ly, ...) to its final URL; the only "
                     "requests made outside the crawled sites (off by default)",
}
# Scrapyd adds _job to every run; it is not ours to check.
_PASSED_THROUGH = frozenset({"_job"})
# Arguments that shape one process's crawl (a window, a count, a local file, ignoring the state):
# other workers taking the same sites' requests from the shared queue would not honour them.
_NOT_DISTRIBUTED = frozenset({"urls", "since", "until", "max_posts", "fresh", "search_pages", "resolve_links"})
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class CrawlArgs:
    """The validated arguments of one ``blogspot`` crawl."""

    sites: tuple[Site, ...] = ()
    urls: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None
    max_posts: int | None = None
    search_pages: bool = False
    resolve_links: bool = False
    fresh: bool = False
    drop_duplicates: bool = False

    @classmethod
    def from_kwargs(cls, kwargs: dict[str, str], *, tz: str = "Asia/Jakarta", distributed: bool = False) -> CrawlArgs:
        """Validate ``-a`` arguments; raise UsageError naming the bad one and why.

        ``distributed`` (``REDIS_URL`` set): no site is needed (the worker takes work from the
        shared queue), and only the arguments every worker can honour are accepted."""
        unknown = sorted(set(kwargs) - set(ARGUMENTS) - _PASSED_THROUGH)
        if unknown:
            raise UsageError(
                f"unknown argument(s) {', '.join(unknown)}; known arguments: {', '.join(ARGUMENTS)}"
            )
        if distributed:
            local = sorted(set(kwargs) & _NOT_DISTRIBUTED)
            if local:
                raise UsageError(
                    f"{', '.join(local)} cannot be used with REDIS_URL: the shared queue's workers "
                    "do not share them; a distributed crawl takes site=, sites= and drop_duplicates="
                )
        sites = _sites(kwargs.get("site"), kwargs.get("sites"))
        urls = tuple(_post_url(u) for u in _split(kwargs.get("urls")))
        if not sites and not urls and not distributed:
            raise UsageError("nothing to crawl: give -a site=URL, -a sites=FILE or -a urls=URL")
        since = _date("since", kwargs.get("since"), tz)
        until = _date("until", kwargs.get("until"), tz)
        if since and until and since >= until:
            raise UsageError(f"since ({since.isoformat()}) must be before until ({until.isoformat()})")
        return cls(
            sites=sites,
            urls=urls,
            since=since,
            until=until,
            max_posts=_positive_int("max_posts", kwargs.get("max_posts")),
            search_pages=_flag("search_pages", kwargs.get("search_pages")),
            resolve_links=_flag("resolve_links", kwargs.get("resolve_links")),
            fresh=_flag("fresh", kwargs.get("fresh")),
            drop_duplicates=_flag("drop_duplicates", kwargs.get("drop_duplicates")),
        )


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


def _sites(site: str | None, sites_file: str | None) -> tuple[Site, ...]:
    entries = [("site", value) for value in _split(site)]
    if sites_file is not None:
        path = Path(sites_file)
        try:
            lines = path.read_text(encoding="utf-8-sig").splitlines()
        except OSError as exc:
            raise UsageError(f"sites={sites_file}: cannot read the file: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise UsageError(f"sites={sites_file}: not a UTF-8 text file") from None
        for number, line in enumerate(lines, 1):
            line = line.split("#", 1)[0].strip()
            if line:
                entries.append((f"{sites_file}:{number}", line))
    result: dict[str, Site] = {}
    for where, value in entries:
        try:
            parsed = parse_site(value)
        except SiteError as exc:
            raise UsageError(f"bad site URL ({where}): {exc}") from None
        result.setdefault(parsed.host, parsed)  # the same blog named twice is crawled once
    return tuple(result.values())


def _post_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme == "file":
        if not Path(parts.path).is_file():
            raise UsageError(f"bad URL in urls: {value!r}: no such file")
        return value
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"bad URL in urls: {value!r}: expected an http(s) or file:/// URL")
    return value


def _date(name: str, value: str | None, tz: str) -> datetime | None:
    if value is None:
        return None
    # ISO first: a window may end in the future, which parse_date rightly refuses for
    # published dates; anything else ("kemarin", "1 April 2019") goes to parse_date.
    try:
        parsed = datetime.fromisoformat(value.strip())
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=zone(tz))
    except ValueError:
        parsed = parse_date(value, tz=tz)
    if parsed is None:
        raise UsageError(f"{name}={value!r}: not a date (try 2019-04-26 or 2019-04-26T08:00:00+07:00)")
    return parsed


def _positive_int(name: str, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise UsageError(f"{name}={value!r}: expected a whole number of at least 1")
    return number


def _flag(name: str, value: str | None) -> bool:
    if value is None:
        return False
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise UsageError(f"{name}={value!r}: expected 1/0, true/false, yes/no")
