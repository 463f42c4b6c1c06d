"""Crawl cost at fleet scale: posts per second, memory and CPU per record, against a bare spider.

    python bench/bench_scale.py                 # 20 blogs, 20,000 posts; 100,000 for memory
    python bench/bench_scale.py --posts 4000 --big 0   # a quick look

One table. The Blogger emulator serves generated blogs on 127.0.0.1 (as many blogs as
``--blogs``, ``--posts`` posts in all); every crawl runs as a subprocess, as a user runs it:

- the feed route (full feeds) and the post-page route (feeds off: sitemap + every post page),
  each next to a bare Scrapy spider (``bench/bare_spider.py``: sitemap + every post page, no
  cleaning, dedup or state) crawling the same blogs in the same run: the ratio of posts per
  second is the figure, since this machine is shared and seconds alone drift;
- peak resident memory of the feed route at ``--posts`` and at ``--big`` posts (flat memory
  means the two are close);
- a second run over the unchanged mirror: its requests and seconds;
- CPU per record by stage, from a profile of the feed route (``--profile-posts`` posts):
  extract (feed and page readers), normalize (item loader), dedup (decision and keys), state
  (the SQLite store), export (the feed exporter), and the rest (Scrapy: fetching, scheduling,
  signals, start-up). Profiling slows every stage alike; the shares are what it tells.
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newscrawl.commands.demo import start_mirror  # noqa: E402

SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "0",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "LOG_LEVEL": "INFO",
}
# Prints the process's own peak RSS (VmHWM; getrusage's ru_maxrss survives exec) on exit.
_RUN = (
    "import re, runpy, sys\n"
    "sys.argv = [sys.argv[1]] + sys.argv[2:]\n"
    "try:\n"
    "    runpy.run_module(sys.argv[0], run_name='__main__')\n"
    "finally:\n"
    "    peak = re.search(r'^VmHWM:\\s+(\\d+) kB', open('/proc/self/status').read(), re.M).group(1)\n"
    "    print('PEAK_RSS_KB', peak, file=sys.stderr)\n"
)


class Mirror:
    """Generated blogs served by the emulator; counts the requests each crawl makes."""

    def __init__(self, workdir: Path, blogs: int, posts: int, feeds: str):
        self.workdir = workdir
        per_blog = [posts // blogs + (1 if n < posts % blogs else 0) for n in range(blogs)]
        self.config = {"blogs": [
            {"host": f"skala-{n:03d}.blogspot.com", "feeds": feeds, "max_results_cap": 150,
             "generate": {"count": count, "seed": n, "with_source": True}}
            for n, count in enumerate(per_blog)
        ]}
        config_path = workdir / f"mirror-{feeds}-{posts}.json"
        config_path.write_text(json.dumps(self.config))
        self.log = workdir / f"mirror-{feeds}-{posts}.log"
        self.process, self.port = start_mirror(config_path, self.log)
        self.sites = workdir / f"sites-{feeds}-{posts}.txt"
        self.sites.write_text("".join(f"https://{b['host']}\n" for b in self.config["blogs"]))

    def requests(self) -> int:
        return sum(1 for _ in self.log.open()) if self.log.exists() else 0

    def env(self) -> dict[str, str]:
        proxy = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k.lower() not in ("http_proxy", "https_proxy", "no_proxy")}
        return {**env, "http_proxy": proxy, "https_proxy": proxy, "PYTHONPATH": str(ROOT)}

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def run(mirror: Mirror, command: list[str], cwd: Path, out: Path | None) -> dict:
    """One crawl subprocess: records, seconds, CPU seconds, peak RSS, requests."""
    before_requests = mirror.requests()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _RUN, *command], cwd=cwd, env=mirror.env(),
                          capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0,):
        raise SystemExit(f"crawl failed ({done.returncode}):\n{done.stderr[-3000:]}")
    records = sum(1 for _ in out.open()) if out is not None and out.exists() else 0
    peak = re.search(r"^PEAK_RSS_KB (\d+)$", done.stderr, re.M)
    return {
        "records": records,
        "seconds": seconds,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "peak_mb": int(peak.group(1)) / 1024 if peak else float("nan"),
        "requests": mirror.requests() - before_requests,
        "log": done.stderr,
    }


def newscrawl(mirror: Mirror, workdir: Path, name: str, state: Path, profile: Path | None = None) -> dict:
    # As a scheduled crawl runs: its export is the run's file in NEWSCRAWL_EXPORT_DIR (no -O).
    exports = workdir / "exports" / name
    module = ["scrapy.cmdline"]
    if profile is not None:
        module = ["cProfile", "-o", str(profile), "-m", "scrapy.cmdline"]
    command = [*module, "crawl", "blogspot", "-a", f"sites={mirror.sites}",
               "-s", f"NEWSCRAWL_EXPORT_DIR={exports}", "-s", f"NEWSCRAWL_STATE_PATH={state}"]
    for key, value in SETTINGS.items():
        command += ["-s", f"{key}={value}"]
    result = run(mirror, command, ROOT, None)
    result["records"] = sum(1 for path in exports.rglob("*.jsonl") for _ in path.open())
    return result


def bare(mirror: Mirror, workdir: Path, name: str) -> dict:
    out = workdir / f"{name}.jsonl"
    out.unlink(missing_ok=True)
    alone = workdir / "bare"  # no scrapy.cfg above it: Scrapy's defaults, not the project's
    alone.mkdir(exist_ok=True)
    command = ["scrapy.cmdline", "runspider", str(ROOT / "bench" / "bare_spider.py"), "-a", f"sites={mirror.sites}",
               "-O", str(out)]
    for key, value in SETTINGS.items():
        command += ["-s", f"{key}={value}"]
    return run(mirror, command, alone, out)


# --- CPU per stage ---------------------------------------------------------------------------

STAGES = {
    "extract": [("newscrawl/blogger/feeds.py", "parse_feed"), ("newscrawl/blogger/post.py", "post_from_entry"),
                ("newscrawl/blogger/post.py", "post_from_page"), ("newscrawl/blogger/pages/__init__.py", "parse_post_page")],
    "normalize": [("newscrawl/loaders.py", "article_from_post")],
    "dedup": [("newscrawl/dedup.py", "decide"), ("newscrawl/dedup.py", "record")],
    "state": [("newscrawl/state/sqlite.py", name) for name in
              ("get", "get_by_url", "record", "first_by_source_url", "first_by_fingerprint", "near_candidates",
               "begin_batch", "commit_batch")],
    "export": [("scrapy/extensions/feedexport.py", "item_scraped")],
}


def stage_seconds(profile: Path) -> dict[str, float]:
    stats = pstats.Stats(str(profile)).stats
    total = max(ct for (_, _, name), (_, _, _, ct, _) in stats.items() if name == "<module>")

    def cumulative(where: str, name: str) -> float:
        return sum(ct for (file, _, fn), (_, _, _, ct, _) in stats.items() if file.endswith(where) and fn == name)

    spent = {stage: sum(cumulative(*f) for f in functions) for stage, functions in STAGES.items()}
    spent["dedup"] -= spent["state"]  # the store is called from the deduplicator
    spent["rest"] = total - sum(spent.values())
    return spent


# --- the table -------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blogs", type=int, default=20)
    parser.add_argument("--posts", type=int, default=20000)
    parser.add_argument("--big", type=int, default=100000, help="posts for the second memory figure (0: skip)")
    parser.add_argument("--profile-posts", type=int, default=5000)
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    try:
        feeds = Mirror(workdir, options.blogs, options.posts, "full")
        try:
            first = newscrawl(feeds, workdir, "feed", workdir / "feed.sqlite3")
            baseline = bare(feeds, workdir, "bare-feed-mirror")
            again = newscrawl(feeds, workdir, "feed-rerun", workdir / "feed.sqlite3")
        finally:
            feeds.stop()
        pages = Mirror(workdir, options.blogs, options.posts, "disabled")
        try:
            paged = newscrawl(pages, workdir, "pages", workdir / "pages.sqlite3")
            baseline_pages = bare(pages, workdir, "bare-pages-mirror")
        finally:
            pages.stop()
        big = None
        if options.big:
            large = Mirror(workdir, options.blogs, options.big, "full")
            try:
                big = newscrawl(large, workdir, "feed-big", workdir / "big.sqlite3")
            finally:
                large.stop()
        small = Mirror(workdir, options.blogs, options.profile_posts, "full")
        try:
            profiled = newscrawl(small, workdir, "profiled", workdir / "profiled.sqlite3", workdir / "feed.prof")
        finally:
            small.stop()
        stages = stage_seconds(workdir / "feed.prof")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    def rate(r: dict) -> float:
        return r["records"] / r["seconds"]

    print(f"{options.blogs} blogs, {options.posts} posts, on 127.0.0.1 (this machine: {os.cpu_count()} cores)")
    print(f"{'':<34} {'records':>8} {'requests':>9} {'seconds':>8} {'posts/s':>8} {'CPU ms/post':>12} {'peak MB':>8} {'vs bare':>8}")

    def line(label: str, r: dict, against: dict | None = None) -> None:
        ratio = f"{rate(r) / rate(against):.2f}x" if against else ""
        cpu = r["cpu"] * 1000 / r["records"] if r["records"] else float("nan")
        print(f"{label:<34} {r['records']:>8} {r['requests']:>9} {r['seconds']:>8.1f} {rate(r):>8.0f} "
              f"{cpu:>12.2f} {r['peak_mb']:>8.0f} {ratio:>8}")

    line("feed route: newscrawl", first, baseline)
    line("feed route: bare spider", baseline)
    line("post-page route: newscrawl", paged, baseline_pages)
    line("post-page route: bare spider", baseline_pages)
    line("re-run, unchanged mirror", again)
    if big is not None:
        line(f"feed route at {options.big} posts", big)
        print(f"peak RSS {options.big} / {options.posts} posts: {big['peak_mb'] / first['peak_mb']:.2f}x")
    records = profiled["records"] or 1
    total = sum(stages.values())
    print(f"CPU per record by stage (profiled feed route, {records} records; profiling inflates all stages):")
    for stage, seconds in stages.items():
        print(f"  {stage:<10} {seconds * 1000 / records:6.3f} ms  {seconds / total:6.1%}")


if __name__ == "__main__":
    main()
