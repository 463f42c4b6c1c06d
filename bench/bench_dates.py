"""Benchmark newscrawl.dates.parse_date against a tuned dateparser instance.

    python bench/bench_dates.py [--repeat N]

Both read the inputs of the development date table (tests/fixtures/dates) in this process: first-call
cost (import, construction and one parse, each in a fresh interpreter),
mean and p99 per call over N passes after a warm-up pass, the ratio of the
means, accuracy against the table's expected column, and the share of
strings that reached parse_date's dateparser fallback.
"""

import argparse
import csv
import datetime
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from dateparser.date import DateDataParser

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

from newscrawl import dates  # noqa: E402

TABLE = PROJECT_ROOT / "tests" / "fixtures" / "dates" / "dates-dev.tsv"
REFERENCE_NOW = datetime.datetime.fromisoformat("2019-04-26T12:00:00+07:00")
SAMPLE = "Jumat, 26 April 2019 00:37 WIB"

# The dateparser-only way to read these strings, tuned for them.
DATEPARSER_LANGUAGES = ["id", "en"]
DATEPARSER_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PREFER_DAY_OF_MONTH": "first",
    "PREFER_DATES_FROM": "past",
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TIMEZONE": "Asia/Jakarta",
    "RELATIVE_BASE": REFERENCE_NOW.replace(tzinfo=None),
}

FIRST_CALL = {
    "parse_date": (
        "import datetime\n"
        "from newscrawl.dates import parse_date\n"
        f"parse_date({SAMPLE!r}, now={REFERENCE_NOW!r})\n"
    ),
    "dateparser": (
        "import datetime\n"
        "from dateparser.date import DateDataParser\n"
        f"parser = DateDataParser(languages={DATEPARSER_LANGUAGES!r},"
        f" settings={DATEPARSER_SETTINGS!r})\n"
        f"parser.get_date_data({SAMPLE!r})\n"
    ),
}


def read_table():
    with TABLE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(row["input"], row["expected_iso_or_NONE"]) for row in rows]


def first_call_seconds(code):
    """Wall time of `code` in a fresh interpreter, interpreter start-up excluded."""
    timed = f"import time\nstart = time.perf_counter()\n{code}print(time.perf_counter() - start)\n"
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    result = subprocess.run(
        [sys.executable, "-c", timed], capture_output=True, text=True, check=True, env=env
    )
    return float(result.stdout.strip().splitlines()[-1])


def per_call_seconds(parse, inputs, repeat):
    """Time of every call over `repeat` passes, after one untimed pass."""
    for text in inputs:
        parse(text)
    timings = []
    for _ in range(repeat):
        for text in inputs:
            start = time.perf_counter()
            parse(text)
            timings.append(time.perf_counter() - start)
    return timings


def accuracy(parse, table):
    right = 0
    for text, expected in table:
        found = parse(text)
        right += (dates.to_iso(found) if found is not None else "NONE") == expected
    return right


def p99(timings):
    return statistics.quantiles(timings, n=100)[-1]


def main():
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--repeat", type=int, default=20, help="timed passes (default 20)")
    repeat = arguments.parse_args().repeat

    table = read_table()
    inputs = [text for text, _ in table]
    tuned = DateDataParser(languages=DATEPARSER_LANGUAGES, settings=DATEPARSER_SETTINGS)
    parsers = {
        "parse_date": lambda text: dates.parse_date(text, now=REFERENCE_NOW),
        "dateparser": lambda text: tuned.get_date_data(text).date_obj,
    }

    dates.STATS.reset()
    results = {}
    for name, parse in parsers.items():
        results[name] = {
            "first": first_call_seconds(FIRST_CALL[name]),
            "right": accuracy(parse, table),
            "timings": per_call_seconds(parse, inputs, repeat),
        }
    fallback_share = dates.STATS.fallback_calls / dates.STATS.calls

    print(f"{len(table)} strings from {TABLE.name}, {repeat} timed passes\n")
    print(f"{'':<12}{'first call':>12}{'mean/call':>12}{'p99/call':>12}{'accuracy':>16}")
    for name, result in results.items():
        timings = result["timings"]
        print(
            f"{name:<12}{result['first'] * 1e3:>10.0f}ms"
            f"{statistics.fmean(timings) * 1e6:>10.1f}us{p99(timings) * 1e6:>10.1f}us"
            f"{result['right']:>8}/{len(table)} {result['right'] / len(table):>6.1%}"
        )
    ratio = statistics.fmean(results["dateparser"]["timings"]) / statistics.fmean(
        results["parse_date"]["timings"]
    )
    print(f"\nmean ratio dateparser / parse_date: {ratio:.0f}x")
    print(f"parse_date calls that reached the dateparser fallback: {fallback_share:.1%}")


if __name__ == "__main__":
    main()
