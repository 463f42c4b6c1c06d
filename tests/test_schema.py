"""The record's JSON Schema: shipped in the package, the same as the code's fields, and strict
enough to catch what breaks analysis tools (a numeric id, a date without its offset)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscrawl.items import ARTICLE_FIELDS, SCHEMA_VERSION
from newscrawl.schema import SCHEMA_PATH, article_schema, record_errors

RECORDS = Path(__file__).resolve().parent / "fixtures" / "records"


def golden_records() -> list[dict]:
    records = []
    for path in sorted(RECORDS.rglob("*.json")):
        loaded = json.loads(path.read_text(encoding="utf-8"))
        records += loaded if isinstance(loaded, list) else [loaded]
    return records


def test_the_shipped_schema_is_the_code_s():
    assert json.loads(SCHEMA_PATH.read_text(encoding="utf-8")) == article_schema(), (
        "newscrawl/article.schema.json is out of date: run `python -m newscrawl.schema`")
    schema = article_schema()
    assert list(schema["properties"]) == list(ARTICLE_FIELDS) == schema["required"]
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_every_golden_record_holds_to_it():
    records = golden_records()
    assert len(records) >= 20
    assert {tuple(record_errors(r)) for r in records} == {()}


def _one() -> dict:
    return next(r for r in golden_records() if r["route"] == "feed-json" and r["published"])


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"post_id": 6940944238857945162}, "post_id"),  # a number: a double would lose its last digits
        ({"published": "2019-02-08T10:00:00"}, "published"),  # no offset
        ({"published": "8 Februari 2019"}, "published"),
        ({"labels": "Daerah"}, "labels"),
        ({"revision": -1}, "revision"),
        ({"route": "rss"}, "route"),
        ({"schema_version": 2}, "schema_version"),
        ({"crawled_at": "2019-04-26T12:00:00+07:00"}, "crawled_at"),  # not UTC
    ],
)
def test_a_broken_record_is_refused_naming_the_field(change, field):
    errors = record_errors({**_one(), **change})
    assert errors and errors[0].startswith(f"{field}: ")


def test_a_missing_or_extra_field_is_refused():
    record = _one()
    missing = {k: v for k, v in record.items() if k != "language"}
    assert any("'language' is a required property" in e for e in record_errors(missing))
    assert any("'score' was unexpected" in e for e in record_errors({**record, "score": 1}))
