"""Table-driven tests of newscrawl.dates.

Two tables: the development table, dates-dev.tsv (dates as Indonesian news sites and Blogger
templates print them) and tests/fixtures/dates/extra.tsv, one or more rows
per rule of the parser, with optional columns for tz, now, has_time and
has_offset. Both are read with a frozen clock.
"""

import csv
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from newscrawl import dates
from newscrawl.dates import is_newer, parse_date, parse_date_detail, to_iso

DEV_TABLE = Path(__file__).resolve().parent / "fixtures" / "dates" / "dates-dev.tsv"
EXTRA_TABLE = Path(__file__).resolve().parent / "fixtures" / "dates" / "extra.tsv"
REFERENCE_NOW = datetime.fromisoformat("2019-04-26T12:00:00+07:00")
JAKARTA = ZoneInfo("Asia/Jakarta")
HOUR = timedelta(hours=1)
PROJECT_ROOT = Path(__file__).resolve().parents[1]


def read_table(path):
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [
        pytest.param(row, id=f"{number}:{row['input'][:50]!r}")
        for number, row in enumerate(rows, start=2)
    ]


def iso_or_none(found):
    return to_iso(found) if found is not None else "NONE"


@pytest.mark.parametrize("row", read_table(DEV_TABLE))
def test_dev_table(row):
    assert iso_or_none(parse_date(row["input"], now=REFERENCE_NOW)) == row["expected_iso_or_NONE"]


@pytest.mark.parametrize("row", read_table(DEV_TABLE))
def test_dev_table_needs_no_fallback(row):
    """The fast path covers every shape of the development table."""
    before = dates.STATS.fallback_calls
    parse_date(row["input"], now=REFERENCE_NOW)
    assert dates.STATS.fallback_calls == before


@pytest.mark.parametrize("row", read_table(EXTRA_TABLE))
def test_extra_table(row):
    now = datetime.fromisoformat(row["now"]) if row["now"] else REFERENCE_NOW
    tz = row["tz"] or "Asia/Jakarta"
    before = dates.STATS.fallback_calls

    found = parse_date_detail(row["input"], tz=tz, now=now)

    assert iso_or_none(found.value if found else None) == row["expected_iso_or_NONE"]
    assert parse_date(row["input"], tz=tz, now=now) == (found.value if found else None)
    # Rows of the 'fallback' category are the long tail; every other rule
    # is the fast path's.
    assert (dates.STATS.fallback_calls > before) == (row["category"] == "fallback")
    if row["has_time"]:
        assert found.has_time is (row["has_time"] == "true")
    if row["has_offset"]:
        assert found.has_offset is (row["has_offset"] == "true")


def test_date_only_value_is_midnight_in_tz():
    found = parse_date_detail("26 April 2019", tz="+05:30", now=REFERENCE_NOW)
    midnight = datetime(2019, 4, 26, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert found == (midnight, False, False)


def test_default_now_is_the_current_time():
    found = parse_date("2 jam yang lalu")
    expected = datetime.now(JAKARTA) - timedelta(hours=2)
    assert abs(found - expected) < timedelta(seconds=5)
    assert found.utcoffset() == timedelta(hours=7)


def test_default_now_rejects_dates_more_than_a_day_ahead():
    today = datetime.now(JAKARTA)
    assert parse_date(today.strftime("%d/%m/%Y")) is not None
    assert parse_date((today + timedelta(days=3)).strftime("%d/%m/%Y")) is None


def test_naive_now_is_read_in_tz():
    naive = datetime(2019, 4, 26, 12, 0)
    assert parse_date("kemarin", now=naive) == parse_date("kemarin", now=REFERENCE_NOW)


def test_unknown_tz_is_an_error():
    with pytest.raises(Exception, match="Nowhere/Land"):
        parse_date("26 April 2019", tz="Nowhere/Land", now=REFERENCE_NOW)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2019, 4, 26, 0, 37, tzinfo=JAKARTA), "2019-04-26T00:37:00+07:00"),
        (datetime(2019, 4, 26, 0, 37, 5, 123456, tzinfo=JAKARTA), "2019-04-26T00:37:05+07:00"),
        (datetime(2019, 4, 25, 17, 37, tzinfo=timezone.utc), "2019-04-25T17:37:00+00:00"),
        (datetime(2019, 4, 25, 17, 37, tzinfo=ZoneInfo("UTC")), "2019-04-25T17:37:00+00:00"),
        (datetime(2019, 4, 25, 12, 37, tzinfo=timezone(-HOUR * 5)), "2019-04-25T12:37:00-05:00"),
        (datetime(2019, 4, 26, 0, 37, tzinfo=timezone(HOUR * 5.5)), "2019-04-26T00:37:00+05:30"),
    ],
)
def test_to_iso(value, expected):
    assert to_iso(value) == expected


def test_to_iso_refuses_naive_datetime():
    with pytest.raises(ValueError):
        to_iso(datetime(2019, 4, 26))


def test_stats_count_calls_and_fallbacks():
    dates.STATS.reset()
    parse_date("26 April 2019", now=REFERENCE_NOW)
    parse_date("the 26th of April, 2019", now=REFERENCE_NOW)
    assert (dates.STATS.calls, dates.STATS.fallback_calls) == (2, 1)


def test_fallback_reuses_one_dateparser_instance():
    parse_date("the 26th of April, 2019", now=REFERENCE_NOW)
    parser = dates._dateparser()[0]
    parse_date("April 2019", now=REFERENCE_NOW)
    assert dates._dateparser()[0] is parser
    assert dates._dateparser.cache_info().misses == 1


def test_fast_path_does_not_load_dateparser():
    script = (
        "import csv, sys\n"
        "from datetime import datetime\n"
        "from newscrawl.dates import parse_date\n"
        f"rows = csv.reader(open({str(DEV_TABLE)!r}, encoding='utf-8'), delimiter='\\t',"
        " quoting=csv.QUOTE_NONE)\n"
        "next(rows)\n"
        "now = datetime.fromisoformat('2019-04-26T12:00:00+07:00')\n"
        "for row in rows:\n"
        "    parse_date(row[0], now=now)\n"
        "print('dateparser' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    ("updated", "than", "newer"),
    [
        ("2019-04-27T09:00:00+07:00", "2019-04-26T08:00:00+07:00", True),
        ("2019-04-26T08:00:00+07:00", "2019-04-26T01:00:00+00:00", False),  # the same instant
        ("2019-04-26T08:00:01+07:00", "2019-04-26T01:00:00+00:00", True),
        (None, "2019-04-26T08:00:00+07:00", False),
        ("2019-04-26T08:00:00+07:00", None, False),
        ("not a date", "2019-04-26T08:00:00+07:00", False),
    ],
)
def test_is_newer(updated, than, newer):
    assert is_newer(updated, than) is newer
