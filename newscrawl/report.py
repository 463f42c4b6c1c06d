"""What a crawl brought in, for people: ``scrapy report FILE_OR_DIR... [--html OUT]``.

Reads JSON Lines and Parquet exports (files, or folders searched for them) and the per-site
reports written beside each run's export (``<run>.sites.json``: route and problems), and
summarizes them: posts per site and per day, route and problems per site, the share of mirror
copies and the largest clusters of one article, the top source outlets, the language mix, the
dates covered and the posts missing a date or a text. ``render_text`` prints it as tables;
``render_html`` writes one self-contained page whose charts are PNG images embedded in it
(matplotlib, no network, no script).
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from newscrawl.dates import zone
from newscrawl.export import SITES_SUFFIX
from newscrawl.reading import export_files

__all__ = ["Report", "build_report", "render_html", "render_text"]


@dataclass
class SiteRow:
    site: str
    posts: int = 0
    copies: int = 0
    missing_date: int = 0
    missing_text: int = 0
    first: str | None = None
    last: str | None = None
    route: str = ""
    problems: Counter = field(default_factory=Counter)


@dataclass
class Report:
    exports: int
    posts: int  # distinct posts: a post exported again (a revision, or in two files) counts once
    sites: list[SiteRow]
    per_day: dict[str, int]  # publication day, in the blog's own offset -> posts
    copies: int
    clusters: list[tuple[int, str, list[str]]]  # (posts, title of the original, sites)
    outlets: list[tuple[str, int]]
    languages: list[tuple[str, int]]
    missing_date: int
    missing_text: int

    @property
    def first_day(self) -> str | None:
        return min(self.per_day) if self.per_day else None

    @property
    def last_day(self) -> str | None:
        return max(self.per_day) if self.per_day else None


def _records(path: Path) -> list[dict]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq  # only for Parquet inputs

        rows = pq.read_table(path).to_pylist()
        for row in rows:  # back to the JSON form: ISO strings in the blog's offset
            for name in ("published", "updated", "source_published"):
                when, offset = row.get(name), row.pop(f"{name}_offset", None)
                row[name] = when.astimezone(zone(offset)).isoformat() if when else None
        return rows
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def _outlet(record: dict) -> str | None:
    url = record.get("source_url_resolved") or record.get("source_url")
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.") or None


def build_report(paths: list[str | Path], *, top: int = 10) -> Report:
    """Summarize the exports under ``paths`` (and the ``.sites.json`` reports beside them)."""
    files = export_files(paths)
    # One record per post: its latest revision, however many exports (or formats) hold it.
    latest: dict[str, dict] = {}
    for record in (record for path in files for record in _records(path)):
        known = latest.get(record["id"])
        if known is None or record.get("revision", 0) >= known.get("revision", 0):
            latest[record["id"]] = record
    records = list(latest.values())
    rows: dict[str, SiteRow] = {}
    per_day: Counter = Counter()
    clusters: dict[str, list[dict]] = defaultdict(list)
    for record in records:
        row = rows.setdefault(record["site"], SiteRow(record["site"]))
        row.posts += 1
        row.copies += bool(record.get("duplicate_of"))
        published = record.get("published")
        if published:
            day = published[:10]
            per_day[day] += 1
            row.first = min(filter(None, (row.first, day)))
            row.last = max(filter(None, (row.last, day)))
        else:
            row.missing_date += 1
        row.missing_text += not record.get("text")
        clusters[record.get("duplicate_of") or record["id"]].append(record)
    routes: dict[str, Counter] = defaultdict(Counter)
    for record in records:
        routes[record["site"]][record.get("route") or ""] += 1
    for host, counts in routes.items():
        rows[host].route = counts.most_common(1)[0][0]
    for path in files:  # the runs' own reports: the route they took and their problems
        sidecar = path.with_name(path.stem + SITES_SUFFIX)
        if sidecar.exists():
            for host, site in json.loads(sidecar.read_text(encoding="utf-8"))["sites"].items():
                row = rows.setdefault(host, SiteRow(host))
                row.route = site["route"] if site["route"] != "none" or not row.route else row.route
                row.problems.update(site["problems"])
    by_id = {record["id"]: record for record in records}
    largest = sorted((group for group in clusters.values() if len(group) > 1), key=lambda g: (-len(g), g[0]["id"]))
    return Report(
        exports=len(files),
        posts=len(records),
        sites=sorted(rows.values(), key=lambda r: (-r.posts, r.site)),
        per_day=dict(sorted(per_day.items())),
        copies=sum(bool(r.get("duplicate_of")) for r in records),
        clusters=[
            (len(group), (by_id.get(key) or group[0]).get("title") or "", sorted({r["site"] for r in group}))
            for key, group in ((g[0].get("duplicate_of") or g[0]["id"], g) for g in largest[:top])
        ],
        outlets=Counter(filter(None, map(_outlet, records))).most_common(top),
        languages=Counter(r.get("language") or "unknown" for r in records).most_common(),
        missing_date=sum(1 for r in records if not r.get("published")),
        missing_text=sum(1 for r in records if not r.get("text")),
    )


# --- terminal ------------------------------------------------------------------------------

def _table(headers: list[str], rows: list[list]) -> str:
    cells = [headers, *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def render_text(report: Report) -> str:
    out = [
        f"{report.posts} posts from {len(report.sites)} sites in {report.exports} exports; "
        f"published {report.first_day or '-'} to {report.last_day or '-'}; "
        f"mirror copies {report.copies} ({_share(report.copies, report.posts)}); "
        f"missing a date {report.missing_date}, missing a text {report.missing_text}",
        "",
        _table(["site", "posts", "copies", "route", "first", "last", "no date", "no text", "problems"], [
            [r.site, r.posts, r.copies, r.route or "-", r.first or "-", r.last or "-", r.missing_date, r.missing_text,
             ", ".join(f"{k}={n}" for k, n in sorted(r.problems.items())) or "none"]
            for r in report.sites
        ]),
        "",
        _table(["day", "posts"], [[day, n] for day, n in report.per_day.items()][-14:]),
        "",
        _table(["largest clusters", "posts", "sites"], [[title[:60], n, ", ".join(sites)] for n, title, sites in report.clusters]),
        "",
        _table(["source outlet", "posts"], report.outlets),
        "",
        _table(["language", "posts"], report.languages),
    ]
    return "\n".join(out) + "\n"


# --- HTML ----------------------------------------------------------------------------------

def _png(draw) -> str:
    import matplotlib

    matplotlib.use("Agg")  # no display, no window
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(9, 3.2), dpi=100)
    draw(axes)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


_BLUE = "#1f5fbf"


def _charts(report: Report) -> dict[str, str]:
    days, counts = list(report.per_day), list(report.per_day.values())
    sites = report.sites[:20]
    return {
        "posts per day": _png(lambda ax: (ax.bar(range(len(days)), counts, color=_BLUE),
                                          ax.set_xticks(range(0, len(days), max(1, len(days) // 8)),
                                                        days[::max(1, len(days) // 8)], fontsize=7),
                                          ax.set_ylabel("posts"))),
        "posts per site": _png(lambda ax: (ax.barh([s.site for s in sites][::-1], [s.posts for s in sites][::-1], color=_BLUE),
                                           ax.tick_params(axis="y", labelsize=7), ax.set_xlabel("posts"))),
        "languages": _png(lambda ax: (ax.bar([lang for lang, _ in report.languages], [n for _, n in report.languages], color=_BLUE),
                                      ax.set_ylabel("posts"))),
    }


def _html_table(headers: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def render_html(report: Report) -> str:
    charts = "".join(
        f'<h2>{html.escape(name.capitalize())}</h2><img class="chart" alt="{html.escape(name)}" src="data:image/png;base64,{data}">'
        for name, data in _charts(report).items()
    )
    summary = (f"{report.posts} posts from {len(report.sites)} sites in {report.exports} exports, published "
               f"{report.first_day or '-'} to {report.last_day or '-'}; mirror copies {report.copies} "
               f"({_share(report.copies, report.posts)}); missing a date {report.missing_date}, missing a text {report.missing_text}.")
    sites = _html_table(["site", "posts", "copies", "route", "first", "last", "no date", "no text", "problems"], [
        [r.site, r.posts, r.copies, r.route or "-", r.first or "-", r.last or "-", r.missing_date, r.missing_text,
         ", ".join(f"{k}={n}" for k, n in sorted(r.problems.items())) or "none"] for r in report.sites])
    return (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>newscrawl report</title>"
        "<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}img.chart{display:block;max-width:100%}</style>"
        f"</head><body><h1>newscrawl report</h1><p>{html.escape(summary)}</p>{charts}"
        f"<h2>Sites</h2>{sites}"
        f"<h2>Largest clusters of one article</h2>{_html_table(['posts', 'title', 'sites'], [[n, t, ', '.join(s)] for n, t, s in report.clusters])}"
        f"<h2>Source outlets</h2>{_html_table(['outlet', 'posts'], report.outlets)}"
        f"<h2>Languages</h2>{_html_table(['language', 'posts'], report.languages)}"
        "</body></html>\n"
    )
