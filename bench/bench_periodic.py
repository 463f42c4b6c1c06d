"""Periodic crawls: what a first and a second run of the demo mirror cost, and how well the
dedup pipeline recognises mirror copies.

    python bench/bench_periodic.py

Part 1 crawls the bundled demo mirror twice with one state file: requests per site and wall
time of each run (the first run is the baseline the second is compared with).
Part 2 feeds the labelled mirror set (tests/fixtures/mirrors) through ``dedup.Deduplicator``
backed by a real SQLite store, in file order, and scores its ``duplicate_of`` decisions.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newscrawl.commands.demo import DEMO_CONFIG, start_mirror  # noqa: E402
from newscrawl.dedup import Deduplicator  # noqa: E402
from newscrawl.state import SQLiteStateStore  # noqa: E402

SETTINGS = {"AUTOTHROTTLE_ENABLED": "0", "DOWNLOAD_DELAY": "0", "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
            "LOG_LEVEL": "WARNING"}


def crawl(port: int, sites: str, workdir: Path, log: Path) -> dict:
    log.write_text("")
    env = {**os.environ, "http_proxy": f"http://127.0.0.1:{port}", "https_proxy": f"http://127.0.0.1:{port}"}
    out = workdir / f"run{time.monotonic_ns()}.jsonl"
    command = [sys.executable, "-m", "scrapy.cmdline", "crawl", "blogspot", "-a", f"site={sites}", "-O", str(out),
               "-s", f"NEWSCRAWL_EXPORT_DIR={workdir / 'exports'}", "-s", f"NEWSCRAWL_STATE_PATH={workdir / 'state.sqlite3'}"]
    for name, value in SETTINGS.items():
        command += ["-s", f"{name}={value}"]
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - started
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    requests = Counter(json.loads(line)["host"] for line in log.read_text().splitlines())
    return {"seconds": seconds, "records": records, "requests": requests}


def two_runs() -> None:
    blogs = json.loads(DEMO_CONFIG.read_text(encoding="utf-8"))["blogs"]
    hosts = [b["host"] for b in blogs]
    with tempfile.TemporaryDirectory() as tmp:
        workdir, log = Path(tmp), Path(tmp) / "requests.jsonl"
        process, port = start_mirror(DEMO_CONFIG, log)
        try:
            runs = [crawl(port, ",".join(f"https://{h}" for h in hosts), workdir, log) for _ in range(2)]
        finally:
            process.terminate()
            process.wait()
    print("Part 1: the demo mirror crawled twice with one state file")
    print(f"{'site':<34} {'run 1 requests':>15} {'run 2 requests':>15}")
    for host in hosts:
        print(f"{host:<34} {runs[0]['requests'][host]:>15} {runs[1]['requests'][host]:>15}")
    for number, run in enumerate(runs, 1):
        duplicates = sum(1 for r in run["records"] if r["duplicate_of"])
        print(f"run {number}: {len(run['records'])} records ({duplicates} marked duplicate_of) in {run['seconds']:.2f} s")
    print(f"run 2 / run 1: requests {sum(runs[1]['requests'].values()) / sum(runs[0]['requests'].values()):.3f}, "
          f"time {runs[1]['seconds'] / runs[0]['seconds']:.3f}")


def labelled_set() -> None:
    articles = []
    for path in sorted((ROOT / "tests" / "fixtures" / "mirrors").glob("*.json")):
        articles += json.loads(path.read_text(encoding="utf-8"))["articles"]
    group_of = {a["id"]: a["group"] for a in articles}
    true_positive = false_positive = false_negative = 0
    seen_groups: set[str] = set()
    with tempfile.TemporaryDirectory() as tmp, SQLiteStateStore(Path(tmp) / "state.sqlite3") as store:
        store.start_run("bench", None)
        dedup = Deduplicator(store, "bench")
        for article in articles:
            item = {"id": article["id"], "url": f"https://bench.example/{article['id']}", "site": "bench.example",
                    "title": article["title"], "text": article["text"], "updated": None, "source_url": None}
            decision = dedup.decide(item)
            dedup.record(item, decision)
            is_copy = article["group"] in seen_groups
            seen_groups.add(article["group"])
            if decision.duplicate_of is not None:
                if is_copy and group_of[decision.duplicate_of] == article["group"]:
                    true_positive += 1
                else:
                    false_positive += 1
            elif is_copy:
                false_negative += 1
    precision = true_positive / max(1, true_positive + false_positive)
    recall = true_positive / max(1, true_positive + false_negative)
    print("\nPart 2: duplicate_of decisions on the labelled mirror set "
          f"({len(articles)} articles, {len(seen_groups)} distinct articles)")
    print(f"copies found {true_positive}, wrong {false_positive}, missed {false_negative}: "
          f"precision {precision:.3f}, recall {recall:.3f}")


if __name__ == "__main__":
    two_runs()
    labelled_set()
