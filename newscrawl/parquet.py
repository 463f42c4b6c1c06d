"""Parquet, the second export format: ``-O posts.parquet`` (or a FEEDS entry with
``format: parquet``) writes a typed file that pandas, DuckDB, Polars and Hugging Face datasets
read without a ``dtype=`` in sight:

- ids and every other text as ``string`` (a 19-digit Blogger id stays exact),
- ``published``, ``updated``, ``source_published`` and ``crawled_at`` as ``timestamp[us, UTC]``,
  the instant, with ``published_offset``, ``updated_offset`` and ``source_published_offset``
  (``+07:00``) beside them: the blog's own offset, which one timezone-aware column cannot hold
  per row,
- ``labels`` and ``images`` as ``list<string>``, ``revision`` and ``schema_version`` as
  ``int32``, ``complete`` as ``bool``.

Records are written in row groups of ``NEWSCRAWL_PARQUET_ROWS`` (1,000). The file goes through
the same storage as the JSON Lines export: written as ``<name>.part`` and renamed when the run
closes it, so the final name never holds a file without its footer. A Parquet file cannot be
repaired line by line the way a JSON Lines one can; after a killed run, rebuild it from the
run's own JSON Lines export (which is repaired on the next run):

    python -m newscrawl.parquet exports/blogspot/<run>.jsonl posts.parquet
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from scrapy.exporters import BaseItemExporter

from newscrawl.items import ARTICLE_FIELDS, SCHEMA_VERSION

__all__ = ["ParquetItemExporter", "SCHEMA", "table_of"]

_DATES = ("published", "updated", "source_published", "crawled_at")
_OFFSETS = ("published", "updated", "source_published")  # crawled_at is always UTC
_TYPES = {"string": pa.string(), "integer": pa.int32(), "boolean": pa.bool_(), "list[string]": pa.list_(pa.string())}


def _columns() -> list[pa.Field]:
    columns = []
    for name, (json_type, doc) in ARTICLE_FIELDS.items():
        nullable = "null" in json_type
        kind = pa.timestamp("us", tz="UTC") if name in _DATES else _TYPES[json_type.replace("|null", "")]
        columns.append(pa.field(name, kind, nullable=nullable or kind == _TYPES["list[string]"],
                                metadata={"description": doc}))
        if name in _OFFSETS:
            columns.append(pa.field(f"{name}_offset", pa.string(), metadata={
                "description": f"the UTC offset {name} was written in (+07:00), null with it"}))
    return columns


#: The Parquet schema of an export: the record's fields in export order, offsets beside dates.
SCHEMA = pa.schema(_columns(), metadata={"newscrawl.schema_version": str(SCHEMA_VERSION)})


def _offset(value: str | None) -> str | None:
    # Every date field is ISO 8601 with an offset (the JSON Schema says so): the last six characters.
    return value[-6:] if value else None


def _row(record: dict[str, Any]) -> dict[str, Any]:
    row = {}
    for name in ARTICLE_FIELDS:
        value = record.get(name)
        if name in _DATES:
            row[name] = datetime.fromisoformat(value) if value else None
            if name in _OFFSETS:
                row[f"{name}_offset"] = _offset(value)
        else:
            row[name] = value
    return row


def table_of(records: list[dict[str, Any]]) -> pa.Table:
    """The records as an Arrow table with ``SCHEMA``."""
    return pa.Table.from_pylist([_row(record) for record in records], schema=SCHEMA)


class ParquetItemExporter(BaseItemExporter):
    """Scrapy item exporter writing ``SCHEMA`` row groups to the feed's file."""

    def __init__(self, file, *args: Any, **kwargs: Any):
        self.rows_per_group = int(kwargs.pop("rows_per_group", 1000))
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.writer: pq.ParquetWriter | None = None
        self.pending: list[dict[str, Any]] = []

    @classmethod
    def from_crawler(cls, crawler, file, *args: Any, **kwargs: Any) -> ParquetItemExporter:
        kwargs.setdefault("rows_per_group", crawler.settings.getint("NEWSCRAWL_PARQUET_ROWS", 1000))
        return cls(file, *args, **kwargs)

    def start_exporting(self) -> None:
        self.writer = pq.ParquetWriter(self.file, SCHEMA, compression="zstd")

    def export_item(self, item: Any) -> None:
        self.pending.append(dict(item))
        if len(self.pending) >= self.rows_per_group:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.writer.write_table(table_of(self.pending))
            self.pending = []

    def finish_exporting(self) -> None:
        self._flush()
        self.writer.close()  # writes the footer; the storage then publishes the file


def main(argv: list[str]) -> int:
    """``python -m newscrawl.parquet EXPORT.jsonl OUT.parquet``: convert a JSON Lines export."""
    if len(argv) != 2:
        print("usage: python -m newscrawl.parquet EXPORT.jsonl OUT.parquet", file=sys.stderr)
        return 2
    source, target = argv
    with open(source, encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    pq.write_table(table_of(records), target, compression="zstd")
    print(f"{len(records)} records -> {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
