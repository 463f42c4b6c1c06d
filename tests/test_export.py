"""Export files: published by atomic rename, and repaired after a kill."""

from __future__ import annotations

import json

from newscrawl.export import AtomicFileFeedStorage, ids_in, repair_and_publish


def test_new_file_is_written_as_part_and_renamed_on_close(tmp_path):
    target = tmp_path / "exports" / "blogspot" / "run.jsonl"
    storage = AtomicFileFeedStorage(str(target), feed_options={"overwrite": True})
    handle = storage.open(spider=None)
    handle.write(b'{"id": "a"}\n')
    assert not target.exists() and (target.parent / "run.jsonl.part").read_bytes() == b'{"id": "a"}\n'
    storage.store(handle)
    assert target.read_bytes() == b'{"id": "a"}\n' and not (target.parent / "run.jsonl.part").exists()


def test_appending_to_an_existing_file_writes_in_place(tmp_path):
    target = tmp_path / "all.jsonl"
    target.write_bytes(b'{"id": "old"}\n')
    storage = AtomicFileFeedStorage(str(target))
    handle = storage.open(spider=None)
    handle.write(b'{"id": "new"}\n')
    storage.store(handle)
    assert ids_in(target.read_bytes()) == {"old", "new"}


def test_repair_drops_a_torn_last_line_and_publishes(tmp_path):
    part = tmp_path / "run.jsonl.part"
    part.write_bytes(json.dumps({"id": "a"}).encode() + b"\n" + json.dumps({"id": "b"}).encode() + b'\n{"id": "c", "te')
    assert repair_and_publish(part) == {"a", "b"}
    published = tmp_path / "run.jsonl"
    assert not part.exists()
    assert [json.loads(line)["id"] for line in published.read_text().splitlines()] == ["a", "b"]


def test_repair_of_a_file_without_a_whole_record_removes_it(tmp_path):
    part = tmp_path / "run.jsonl.part"
    part.write_bytes(b'{"id": "a", "ti')
    assert repair_and_publish(part) == set()
    assert list(tmp_path.iterdir()) == []
