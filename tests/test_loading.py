"""Exports load into the analysis tools exactly, with the lines the README shows ("Loading
exports"): a real crawl's JSON Lines and Parquet exports through newscrawl.read_exports (pandas),
DuckDB and Hugging Face datasets; ids exact, dates timezone-aware, lists as lists, copies joined."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.conftest import ROOT
from tests.test_crawl import blog

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README[README.index("\n## Loading exports\n"):README.index("\n## How discovery works")]
BLOCKS = re.findall(r"```python\n(.*?)```", SECTION, re.S)
ORIGINAL, COPY = "asli.blogspot.com", "salinan.blogspot.com"


@pytest.fixture
def loaded(mirror_factory, run_crawl, tmp_path, monkeypatch):
    """The README's loading lines, run in a crawl's folder: their variables, and the records."""
    mirror = mirror_factory({"blogs": [
        blog(ORIGINAL, generate={"count": 30, "seed": 5, "with_source": True}, tz_offset="+08:00"),
        blog(COPY, generate={"count": 12, "seed": 5, "with_source": True}),
    ]})
    result = run_crawl(mirror, "-a", f"site=https://{ORIGINAL},https://{COPY}", "-O", str(tmp_path / "posts.parquet"))
    assert result.returncode == 0, result.log[-2000:]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # datasets' cache, and no hub
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    assert len(BLOCKS) == 3
    names: dict = {}
    for block in BLOCKS:
        exec(compile(block, "README.md", "exec"), names)
    return names, result.items


def test_pandas_gets_exact_ids_timezone_aware_dates_and_lists(loaded):
    names, records = loaded
    df = names["df"].set_index("id").loc[[r["id"] for r in records]]
    assert str(df["post_id"].dtype) == "string" and str(df["blog_id"].dtype) == "string"
    assert list(df["post_id"]) == [r["post_id"] for r in records]  # 19 digits, none lost
    assert str(df["published"].dtype) == "datetime64[us, UTC]"
    for record, (published, offset) in zip(records, df[["published", "published_offset"]].itertuples(index=False)):
        assert published.isoformat() == published.tz_convert("UTC").isoformat()
        assert record["published"].endswith(offset)
    assert [list(labels) for labels in df["labels"]] == [r["labels"] for r in records]
    assert str(df["revision"].dtype) == "int32" and str(df["complete"].dtype) == "bool"


def test_duckdb_joins_every_copy_to_its_original(loaded):
    names, records = loaded
    by_site = Counter(r["site"] for r in records)
    copies = Counter(r["site"] for r in records if r["duplicate_of"])
    assert sum(copies.values()) >= 12  # whichever blog was read first holds the originals
    by_id = {r["id"]: r for r in records}
    expected = Counter((r["site"], by_id[r["duplicate_of"]]["site"]) for r in records if r["duplicate_of"])
    assert sorted(names["copies"]) == sorted((copy, original, n) for (copy, original), n in expected.items())
    posts = names["posts"]  # DuckDB finds the relation by its Python name  # noqa: F841
    assert sorted(names["duckdb"].sql("SELECT site, count(*), count(duplicate_of) FROM posts GROUP BY site").fetchall()) == \
        sorted((site, n, copies[site]) for site, n in by_site.items())
    assert sorted(str(post_id) for post_id, _ in names["from_parquet"]) == sorted(r["post_id"] for r in records)
    sources = [r["source_url"] for r in records if r["source_url"]]
    assert names["outlets"] == [("bit.ly", len(sources))] and names["from_bitly"] == len(sources) > 0
    types = dict(zip(names["posts"].columns, map(str, names["posts"].types)))
    assert types["post_id"] == "VARCHAR" and types["published"] == "TIMESTAMP WITH TIME ZONE"
    assert types["labels"] == "VARCHAR[]" and types["source_url_resolved"] == "VARCHAR"  # all null, still typed


def test_hugging_face_datasets_keeps_the_types(loaded):
    names, records = loaded
    ds = names["ds"]
    assert len(ds) == len(records)
    assert str(ds.features["post_id"].dtype) == "string"
    assert ds.features["published"].dtype == "timestamp[us, tz=UTC]"
    assert ds.features["published_offset"].dtype == "string"
    assert sorted(ds["post_id"]) == sorted(r["post_id"] for r in records)
