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
cut back to whole records the way a JSON Lines one can, so the exporter notes its target in
``<run>.feeds.json`` beside the run's own JSON Lines export: when a killed run is recovered
(``newscrawl.runs``), a target left as ``.part`` is rebuilt from that export once it is
repaired, with exactly the records the run's state kept. By hand, the same conversion is

    python -m newscrawl.parquet exports/blogspot/<run>.jsonl posts.parquet
"""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from functools import cache

from scrapy.exporters import BaseItemExporter

from newscrawl.export import FEEDS_SUFFIX, PART_SUFFIX
from newscrawl.items import ARTICLE_FIELDS, SCHEMA_VERSION

__all__ = ["ParquetItemExporter", "rebuild_torn", "schema", "table_of"]

_DATES = ("published", "updated", "source_published", "crawled_at")
_OFFSETS = ("published", "updated", "source_published")  # crawled_at is always UTC
# pyarrow is imported only where a Parquet file is written or read: Scrapy loads every feed
# exporter class at start, and pyarrow alone is 40 MB of a crawl's memory.


def _columns() -> list:
    import pyarrow as pa

    types = {"string": pa.string(), "integer": pa.int32(), "boolean": pa.bool_(), "list[string]": pa.list_(pa.string())}
    columns = []
    for name, (json_type, doc) in ARTICLE_FIELDS.items():
        nullable = "null" in json_type
        kind = pa.timestamp("us", tz="UTC") if name in _DATES else types[json_type.replace("|null", "")]
        columns.append(pa.field(name, kind, nullable=nullable or kind == types["list[string]"],
                                metadata={"description": doc}))
        if name in _OFFSETS:
            columns.append(pa.field(f"{name}_offset", pa.string(), metadata={
                "description": f"the UTC offset {name} was written in (+07:00), null with it"}))
    return columns


@cache
def schema():
    """The Parquet schema of an export: the record's fields in export order, offsets beside dates."""
    import pyarrow as pa

    return pa.schema(_columns(), metadata={"newscrawl.schema_version": str(SCHEMA_VERSION)})


def __getattr__(name: str):
    if name == "SCHEMA":  # newscrawl.parquet.SCHEMA, made on first use
        return schema()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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


def table_of(records: list[dict[str, Any]]):
    """The records as an Arrow table with ``SCHEMA``."""
    import pyarrow as pa

    return pa.Table.from_pylist([_row(record) for record in records], schema=schema())


class ParquetItemExporter(BaseItemExporter):
    """Scrapy item exporter writing ``SCHEMA`` row groups to the feed's file."""

    def __init__(self, file, *args: Any, **kwargs: Any):
        self.rows_per_group = int(kwargs.pop("rows_per_group", 1000))
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.writer = None  # a pyarrow.parquet.ParquetWriter once exporting starts
        self.pending: list[dict[str, Any]] = []
        self.manifest: Path | None = None  # the run's <run>.feeds.json, where the target is noted

    @classmethod
    def from_crawler(cls, crawler, file, *args: Any, **kwargs: Any) -> ParquetItemExporter:
        kwargs.setdefault("rows_per_group", crawler.settings.getint("NEWSCRAWL_PARQUET_ROWS", 1000))
        exporter = cls(file, *args, **kwargs)
        export_dir, spider = crawler.settings.get("NEWSCRAWL_EXPORT_DIR"), crawler.spider
        run_id = getattr(spider, "run_id", None)
        if export_dir and run_id and spider is not None:
            exporter.manifest = Path(export_dir, spider.name, f"{run_id}{FEEDS_SUFFIX}")
        return exporter

    def start_exporting(self) -> None:
        target = getattr(self.file, "name", None)
        if self.manifest is not None and isinstance(target, str) and target.endswith(PART_SUFFIX):
            _note_target(self.manifest, Path(target[: -len(PART_SUFFIX)]).resolve())
        import pyarrow.parquet as pq

        self.writer = pq.ParquetWriter(self.file, schema(), compression="zstd")

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


def _note_target(manifest: Path, target: Path) -> None:
    targets = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else []
    if str(target) not in targets:
        manifest.parent.mkdir(parents=True, exist_ok=True)
        partial = manifest.with_name(manifest.name + PART_SUFFIX)
        partial.write_text(json.dumps([*targets, str(target)]), encoding="utf-8")
        os.replace(partial, manifest)


def rebuild_torn(export: Path) -> list[Path]:
    """After a killed run: rebuild each Parquet target it left as ``.part`` from its (repaired)
    JSON Lines ``export``; returns the files rebuilt. The manifest goes once they are."""
    manifest = export.with_name(export.stem + FEEDS_SUFFIX)
    if not manifest.exists():
        return []
    rebuilt = []
    records = [json.loads(line) for line in export.read_text(encoding="utf-8").splitlines()] if export.exists() else []
    for target in map(Path, json.loads(manifest.read_text(encoding="utf-8"))):
        torn = target.with_name(target.name + PART_SUFFIX)
        if torn.exists():
            import pyarrow.parquet as pq

            pq.write_table(table_of(records), torn, compression="zstd")
            os.replace(torn, target)
            rebuilt.append(target)
    manifest.unlink()
    return rebuilt


def main(argv: list[str]) -> int:
    """``python -m newscrawl.parquet EXPORT.jsonl OUT.parquet``: convert a JSON Lines export."""
    if len(argv) != 2:
        print("usage: python -m newscrawl.parquet EXPORT.jsonl OUT.parquet", file=sys.stderr)
        return 2
    import pyarrow.parquet as pq

    source, target = argv
    with open(source, encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    pq.write_table(table_of(records), target, compression="zstd")
    print(f"{len(records)} records -> {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
