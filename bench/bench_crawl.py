"""Crawl cost on the Blogger emulator: requests and wall time per discovery route.

    python bench/bench_crawl.py [--posts 1000]

The same blog (same posts) is served three ways: a full JSON feed, a summary-only feed, and
feeds disabled (sitemap + post pages, what a page-by-page crawler does). Each is crawled with
`scrapy crawl blogspot` in a subprocess; the sitemap run is the baseline the others are compared
with, so the ratios hold on a busy machine even when the seconds do not.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newscrawl.commands.demo import start_mirror  # noqa: E402

HOST = "bench-mirror.blogspot.com"
ROUTES = {"full feed": "full", "summary feed": "summary", "sitemap (baseline)": "disabled"}
SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "0",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
    "LOG_LEVEL": "WARNING",
}


def crawl_once(feeds: str, posts: int, workdir: Path) -> dict:
    config = {"blogs": [{"host": HOST, "blog_id": "1234567890123456789", "feeds": feeds,
                         "max_results_cap": 150, "generate": {"count": posts, "seed": 11, "with_source": True}}]}
    config_path = workdir / f"{feeds}.json"
    config_path.write_text(json.dumps(config))
    log_path = workdir / f"{feeds}.log"
    out = workdir / f"{feeds}.jsonl"
    process, port = start_mirror(config_path, log_path)
    try:
        env = {**os.environ, "http_proxy": f"http://127.0.0.1:{port}", "https_proxy": f"http://127.0.0.1:{port}"}
        command = [sys.executable, "-m", "scrapy.cmdline", "crawl", "blogspot", "-a", f"site=https://{HOST}",
                   "-O", str(out), "-s", f"NEWSCRAWL_EXPORT_DIR={workdir / 'exports'}",
                   # Each route starts with no memory of the others: the same posts are served.
                   "-s", f"NEWSCRAWL_STATE_PATH={workdir / (feeds + '.sqlite3')}"]
        for name, value in SETTINGS.items():
            command += ["-s", f"{name}={value}"]
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        seconds = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait(timeout=10)
    requests = sum(1 for line in log_path.read_text().splitlines() if json.loads(line)["host"] == HOST)
    records = sum(1 for _ in out.open(encoding="utf-8"))
    return {"requests": requests, "seconds": seconds, "records": records}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results = {name: crawl_once(feeds, options.posts, Path(tmp)) for name, feeds in ROUTES.items()}
    baseline = results["sitemap (baseline)"]
    print(f"blog of {options.posts} posts, feed cap 150; budget for the full feed: "
          f"ceil(N/150)+3 = {math.ceil(options.posts / 150) + 3} requests")
    print(f"{'route':<20} {'records':>8} {'requests':>9} {'seconds':>8} {'posts/s':>8} {'req ratio':>10} {'time ratio':>11}")
    for name, r in results.items():
        print(f"{name:<20} {r['records']:>8} {r['requests']:>9} {r['seconds']:>8.2f} "
              f"{r['records'] / r['seconds']:>8.0f} {r['requests'] / baseline['requests']:>10.3f} "
              f"{r['seconds'] / baseline['seconds']:>11.3f}")


if __name__ == "__main__":
    main()
