"""Reading exports back for analysis, with the types the record's schema gives: the other end of
``export.py`` (JSON Lines) and ``parquet.py``.

    import newscrawl
    df = newscrawl.read_exports("exports/blogspot")     # a pandas DataFrame

Every ``.jsonl`` and ``.parquet`` file under the paths given (or the files themselves) is read
into one table with ``parquet.schema()``: ids stay strings, dates become UTC timestamps with
their offsets beside them, lists stay lists, integers integers. Plain ``pandas.read_json``
guesses instead (a 19-digit post id becomes a float and loses digits; dates stay text because
their offsets differ between rows). ``duckdb_columns()`` gives DuckDB's ``read_json`` the same
types, so an all-null column is not typed ``NULL``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from newscrawl.items import ARTICLE_FIELDS
from newscrawl.parquet import schema, table_of

__all__ = ["arrow_exports", "duckdb_columns", "export_files", "read_exports"]

_DATES = {"published", "updated", "source_published", "crawled_at"}


def export_files(paths: Iterable[str | Path]) -> list[Path]:
    """The ``.jsonl`` and ``.parquet`` exports named by ``paths`` (files, or folders searched for
    them); FileNotFoundError for a path that does not exist."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in (".jsonl", ".parquet"))
        elif path.exists():
            files.append(path)
        else:
            raise FileNotFoundError(f"no export at {path}")
    return files


def arrow_exports(*paths: str | Path) -> pa.Table:
    """Every record of the exports under ``paths`` as one Arrow table with ``parquet.schema()``."""
    tables = []
    for path in export_files(paths):
        if path.suffix == ".parquet":
            tables.append(pq.read_table(path, schema=schema()))
        else:
            with path.open(encoding="utf-8") as lines:
                tables.append(table_of([json.loads(line) for line in lines if line.strip()]))
    return pa.concat_tables(tables) if tables else schema().empty_table()


def read_exports(*paths: str | Path):
    """Every record of the exports under ``paths`` as a pandas DataFrame: text columns as
    pandas strings, dates as ``datetime64[us, UTC]``, lists as Python lists."""
    return arrow_exports(*paths).to_pandas(types_mapper={pa.string(): _pandas_string()}.get)


def _pandas_string():
    import pandas as pd  # imported here: the crawler itself never needs pandas

    return pd.StringDtype()


def duckdb_columns() -> dict[str, str]:
    """The record's columns as DuckDB types, for ``read_json(..., columns=...)``."""
    kinds = {"string": "VARCHAR", "integer": "INTEGER", "boolean": "BOOLEAN", "list[string]": "VARCHAR[]"}
    return {
        name: "TIMESTAMPTZ" if name in _DATES else kinds[json_type.replace("|null", "")]
        for name, (json_type, _) in ARTICLE_FIELDS.items()
    }
