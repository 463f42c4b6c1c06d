"""Parquet exports: a real crawl's ``-O posts.parquet`` holds the same records as its JSON Lines,
typed (string ids, UTC timestamps with the blog's offset beside them, lists of strings), and the
converter rebuilds one from a JSON Lines export."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq

from newscrawl.items import ARTICLE_FIELDS
from newscrawl.parquet import SCHEMA
from tests.conftest import ROOT
from tests.test_crawl import blog

HOST = "parket.blogspot.com"


def _same_as_json(table: pa.Table, records: list[dict]) -> None:
    rows = {row["id"]: row for row in table.to_pylist()}
    assert set(rows) == {r["id"] for r in records}
    for record in records:
        row = rows[record["id"]]
        for name in ARTICLE_FIELDS:
            if name in ("published", "updated", "source_published", "crawled_at"):
                if record[name] is None:
                    assert row[name] is None
                    continue
                # The instant, and with the offset column the very string of the JSON export.
                assert row[name] == datetime.fromisoformat(record[name]), name
                offset = "+00:00" if name == "crawled_at" else row[f"{name}_offset"]
                local = row[name].astimezone(datetime.fromisoformat(record[name]).tzinfo).isoformat()
                assert local == record[name] and record[name].endswith(offset), name
            else:
                assert row[name] == record[name], name


def test_a_crawl_writes_a_typed_parquet_file_with_the_json_lines_records(mirror_factory, run_crawl, tmp_path):
    config = blog(HOST, generate={"count": 40, "seed": 7, "with_source": True}, tz_offset="+08:00")
    mirror = mirror_factory({"blogs": [config]})
    target = tmp_path / "posts.parquet"
    result = run_crawl(mirror, "-a", f"site=https://{HOST}", "-O", str(target), settings={"NEWSCRAWL_PARQUET_ROWS": "16"})
    assert result.returncode == 0, result.log[-2000:]
    assert not list(tmp_path.glob("*.part"))

    parquet = pq.ParquetFile(target)
    assert parquet.schema_arrow == SCHEMA
    assert parquet.num_row_groups == 3  # 42 records (two hand-written), 16 a group
    table = parquet.read()
    assert table.schema.field("post_id").type == pa.string()
    assert table.schema.field("published").type == pa.timestamp("us", tz="UTC")
    assert table.schema.field("labels").type == pa.list_(pa.string())
    assert table.schema.field("revision").type == pa.int32()
    assert set(table.column("published_offset").to_pylist()) == {"+08:00"}
    assert len(result.items) == 42
    _same_as_json(table, result.items)


def test_the_converter_rebuilds_parquet_from_a_json_lines_export(mirror_factory, run_crawl, tmp_path):
    mirror = mirror_factory({"blogs": [blog(HOST, generate={"count": 12, "seed": 2})]})
    result = run_crawl(mirror, "-a", f"site=https://{HOST}")
    [export] = result.export_files
    target = tmp_path / "rebuilt.parquet"
    done = subprocess.run([sys.executable, "-m", "newscrawl.parquet", str(export), str(target)], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert f"{len(result.items)} records" in done.stderr
    _same_as_json(pq.read_table(target), result.items)


def test_a_killed_run_s_parquet_is_rebuilt_by_the_next_run(mirror_factory, tmp_path):
    import os
    import signal
    import time

    import pytest

    from tests.conftest import FAST_SETTINGS

    config = blog(HOST, feeds="summary", generate={"count": 60, "seed": 12},
                  faults=[{"match": ".html", "kind": "delay", "seconds": 0.1, "times": -1}])
    mirror = mirror_factory({"blogs": [config]})
    target = tmp_path / "killed.parquet"
    base = [sys.executable, "-m", "scrapy.cmdline", "crawl", "blogspot", "-a", f"site=https://{HOST}"]
    settings = {**FAST_SETTINGS, "CONCURRENT_REQUESTS_PER_DOMAIN": "1", "LOG_LEVEL": "WARNING",
                "NEWSCRAWL_EXPORT_DIR": str(tmp_path / "exports"), "NEWSCRAWL_STATE_PATH": str(tmp_path / "state.sqlite3")}
    for name, value in settings.items():
        base += ["-s", f"{name}={value}"]
    env = {**os.environ, "http_proxy": mirror.proxy, "https_proxy": mirror.proxy, "PYTHONPATH": str(ROOT)}
    victim = subprocess.Popen([*base, "-O", str(target)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    torn = target.with_name(target.name + ".part")
    deadline = time.monotonic() + 30
    while not torn.exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(1.0)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    assert torn.exists() and not target.exists()
    with pytest.raises(pa.ArrowInvalid):
        pq.read_table(torn)  # no footer: unreadable as it stands

    rerun = subprocess.run(base, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert "Rebuilt" in rerun.stderr and not torn.exists()
    [killed_export] = [p for p in (tmp_path / "exports" / "blogspot").glob("*.jsonl")
                       if p.stat().st_mtime < target.stat().st_mtime]
    records = [json.loads(line) for line in killed_export.read_text(encoding="utf-8").splitlines()]
    assert 0 < len(records) < 62
    _same_as_json(pq.read_table(target), records)
