"""A distributed crawl with 1 and with 2 workers on one Redis, and Redis memory per post.

    python bench/bench_distributed.py                    # 100 blogs: 10,000 posts by feed, 2,000 by page
    python bench/bench_distributed.py --posts 3000 --page-posts 1000   # a quick look

The Blogger emulator serves generated blogs on 127.0.0.1 and a ``redis-server`` (from PATH; ``make
test`` installs it) runs on a free loopback port. For each route (full feeds; feeds off, so
sitemap and post pages) the same crawl runs with one worker, then with two, each time on an
empty Redis: the seeding worker (``-a sites=``) and, for two, a second worker started with it.
Seconds run from the start of the workers to the last record written (``crawled_at``), so the
time a worker waits on an empty queue before stopping is not counted. The ratio of posts per
second is the figure: on this 2-core machine the emulator, Redis and the workers share two
cores, so a second worker cannot double the rate where the crawl is CPU-bound (the feed route).
Redis memory is ``used_memory`` after the one-worker crawl, less an empty database's, per post.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import redis

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_scale import ROOT, Mirror  # noqa: E402

PASSWORD = "bench-only"
SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "0", "DOWNLOAD_DELAY": "0", "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8", "LOG_LEVEL": "INFO", "REDIS_IDLE_TIMEOUT": "3",
}


def start_redis(workdir: Path) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise SystemExit("redis-server is not installed (`make test` installs it)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen([binary, "--bind", "127.0.0.1", "--port", str(port), "--requirepass", PASSWORD,
                                "--save", "", "--appendonly", "no", "--dir", str(workdir)],
                               stdout=subprocess.DEVNULL)
    url = f"redis://:{PASSWORD}@127.0.0.1:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            return process, url
        except redis.ConnectionError:
            time.sleep(0.05)
    raise SystemExit("redis-server did not start")


def crawl(mirror: Mirror, url: str, workdir: Path, workers: int) -> dict:
    server = redis.Redis.from_url(url)
    server.flushall()
    empty = server.info("memory")["used_memory"]
    exports = workdir / f"exports-{workers}"
    shutil.rmtree(exports, ignore_errors=True)
    env = {**mirror.env(), "REDIS_URL": url}
    base = [sys.executable, "-m", "scrapy.cmdline", "crawl", "blogspot", "-s", f"NEWSCRAWL_EXPORT_DIR={exports}"]
    for key, value in SETTINGS.items():
        base += ["-s", f"{key}={value}"]
    before = mirror.requests()

    def start(n: int, *args: str) -> subprocess.Popen:
        log = workdir / f"worker-{workers}-{n}.log"
        return subprocess.Popen(base + list(args), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"))

    # The workers without sites start first and wait on the queue, as a fleet's workers do.
    processes = [start(n) for n in range(1, workers)]
    for n in range(1, workers):
        while "taking work from" not in (workdir / f"worker-{workers}-{n}.log").read_text():
            time.sleep(0.1)
    started = time.time()
    processes.insert(0, start(0, "-a", f"sites={mirror.sites}"))
    codes = [process.wait() for process in processes]
    if any(codes):
        raise SystemExit(f"a worker failed ({codes}); see {workdir}/worker-{workers}-*.log")
    records = [json.loads(line) for path in exports.rglob("*.jsonl") for line in path.open()]
    last = max(datetime.fromisoformat(record["crawled_at"]).timestamp() for record in records)
    per_worker = sorted((sum(1 for _ in path.open()) for path in exports.rglob("*.jsonl")), reverse=True)
    return {
        "posts": len(records), "unique": len({r["id"] for r in records}), "seconds": last - started,
        "requests": mirror.requests() - before, "per_worker": per_worker,
        "redis_bytes": server.info("memory")["used_memory"] - empty, "keys": server.dbsize(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--blogs", type=int, default=100)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--page-posts", type=int, default=2_000, help="posts of the post-page route")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="newscrawl-dist-"))
    redis_process, url = start_redis(workdir)
    rows = []
    try:
        for feeds, posts in (("full", args.posts), ("disabled", args.page_posts)):
            mirror = Mirror(workdir, args.blogs, posts, feeds)
            try:
                one = crawl(mirror, url, workdir, 1)
                two = crawl(mirror, url, workdir, 2)
            finally:
                mirror.stop()
            rows.append(("feed route" if feeds == "full" else "post-page route", one, two))
    finally:
        redis_process.terminate()
    print(f"{args.blogs} blogs; Redis and the emulator on this machine ({os.cpu_count()} cores)")
    print(f"{'':<18} {'workers':>7} {'posts':>7} {'exported once':>13} {'requests':>9} {'seconds':>8} "
          f"{'posts/s':>8} {'vs 1 worker':>11}  per worker")
    for label, one, two in rows:
        for workers, result in ((1, one), (2, two)):
            rate = result["posts"] / result["seconds"]
            ratio = rate / (one["posts"] / one["seconds"])
            print(f"{label:<18} {workers:>7} {result['posts']:>7} {str(result['unique'] == result['posts']):>13} "
                  f"{result['requests']:>9} {result['seconds']:>8.1f} {rate:>8.0f} {ratio:>10.2f}x  "
                  f"{'/'.join(map(str, result['per_worker']))}")
    for label, one, _ in rows:
        print(f"Redis memory, {label}: {one['redis_bytes'] / one['posts']:,.0f} bytes per post "
              f"({one['redis_bytes'] / 2**20:.1f} MB, {one['keys']:,} keys for {one['posts']:,} posts)")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
