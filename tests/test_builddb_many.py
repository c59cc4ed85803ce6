"""Reading many rows of the build database at once (sitegen.builddb.BuildDB.get_many): a build reads every
plan's rows (the plan, its resolved citations, its download rows), one query per key cost 40,000 queries at
10,000 plans (issue 19). get_many is `get` for many keys: the same values, the same rows marked as used by
this build (the others are deleted at its commit), a damaged row missing, the rows put by this build found."""
from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from helpers import tree_diff
from sitegen import builddb
from sitegen.builddb import BuildDB
from sitegen.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def _db_with(tmp_path: Path, rows: dict) -> None:
    """A committed database beside tmp_path/site holding these rows of the table "blocks"."""
    db = BuildDB(tmp_path / "site", read=False)
    for key, value in rows.items():
        db.put("blocks", key, value)
    db.commit()
    db.close()


def test_get_many_finds_what_get_finds_and_marks_the_same_rows_used(tmp_path: Path):
    _db_with(tmp_path, {f"k{i}": ("value", i, [i] * i) for i in range(10)})
    asked = ["k3", "k0", "missing", "k7", "k3", ""]
    one, many = BuildDB(tmp_path / "site"), BuildDB(tmp_path / "site")
    by_get = {k: v for k in asked if k and (v := one.get("blocks", k)) is not None}
    assert many.get_many("blocks", asked) == by_get == {"k3": ("value", 3, [3] * 3), "k0": ("value", 0, []),
                                                         "k7": ("value", 7, [7] * 7)}
    assert many.used == one.used == {"plans": set(), "found": set(), "texts": set(), "blocks": {"k0", "k3", "k7"},
                                          "zip": set()}
    # What is not used is deleted at the commit, as after get.
    many.commit()
    assert BuildDB(tmp_path / "site").keys("blocks") == {"k0", "k3", "k7"}


def test_get_many_reads_more_keys_than_one_query_can_bind(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(builddb, "GET_CHUNK", 3)  # chunks of 3 keys: 10 keys take 4 queries
    _db_with(tmp_path, {f"k{i}": i for i in range(10)})
    db = BuildDB(tmp_path / "site")
    assert db.get_many("blocks", [f"k{i}" for i in range(12)]) == {f"k{i}": i for i in range(10)}
    assert db.used["blocks"] == {f"k{i}" for i in range(10)}


def test_a_damaged_row_is_missing_and_not_marked_used(tmp_path: Path):
    _db_with(tmp_path, {"good": 1, "bad": 2})
    conn = sqlite3.connect(tmp_path / ".site.cache" / "build.sqlite")
    conn.execute("UPDATE blocks SET value = ? WHERE key = 'bad'", (b"not a pickle",))
    conn.commit()
    conn.close()
    db = BuildDB(tmp_path / "site")
    assert db.get("blocks", "bad") is None
    assert db.get_many("blocks", ["good", "bad"]) == {"good": 1}
    assert db.used["blocks"] == {"good"}


def test_rows_put_by_this_build_are_found_in_its_pending_file(tmp_path: Path):
    _db_with(tmp_path, {"old": "committed", "replaced": "committed"})
    db = BuildDB(tmp_path / "site")
    db.put("blocks", "new", "pending")
    db.put("blocks", "replaced", "pending")  # this build's row, not the committed one
    assert db.get_many("blocks", ["old", "new", "replaced"]) == {"old": "committed", "new": "pending",
                                                                 "replaced": "pending"}
    # A full build (read=False) ignores the committed rows but finds its own.
    full = BuildDB(tmp_path / "site", read=False)
    full.put("blocks", "new", "pending")
    assert full.get_many("blocks", ["old", "new"]) == {"new": "pending"}
    assert full.used["blocks"] == {"new"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    import generate

    return generate.generate(12, tmp_path_factory.mktemp("many") / "corpus", seed=7)


def test_a_build_reads_its_rows_in_a_few_queries_and_equals_a_clean_build(corpus: Path, tmp_path: Path,
                                                                          monkeypatch):
    work, site = shutil.copytree(corpus, tmp_path / "corpus"), tmp_path / "site"
    build(work, site, search=False, workers=1)
    gets, many = [], []
    real_get, real_many = BuildDB.get, BuildDB.get_many
    monkeypatch.setattr(BuildDB, "get", lambda self, table, key: gets.append(table) or real_get(self, table, key))
    monkeypatch.setattr(BuildDB, "get_many",
                        lambda self, table, keys: many.append(table) or real_many(self, table, keys))
    plan = sorted((work / "plans").glob("*.yaml"))[5]
    plan.write_text(plan.read_text("utf-8").replace('note: ""', 'note: "sửa"', 1), "utf-8")
    build(work, site, search=False, workers=1)
    # The plans, their citations, their download rows, the ZIP's members and the kept groups of the one
    # made again (targets.csv and .json, compressed in groups: publish._grouped): one query each for 12
    # plans; single reads only for what there is one of (the edited plan's text for its pages,
    # sitegen.texts; the registry's whole-corpus checks).
    assert many == ["plans", "blocks", "blocks", "zip", "zip"] and gets.count("plans") <= 1 and gets.count("blocks") <= 1
    assert "zip" not in gets
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert tree_diff(site, clean) == []


def test_a_plans_download_rows_read_from_the_database_stay_packed_until_asked():
    import pickle

    from sitegen.export import DownloadRows, PackedRows, PlanBlock

    rows = {"plans": [("p", 1)], "targets": [("p", "t1"), ("p", "t2")], "themes": []}
    block = pickle.loads(pickle.dumps(PlanBlock(PackedRows(rows), {}, {}), protocol=pickle.HIGHEST_PROTOCOL))
    assert block.rows._rows is None  # not unpickled ...
    assert [block.rows.count(n) for n in ("plans", "targets", "themes", "scope")] == [1, 2, 0, 0]  # ... to count
    joined = DownloadRows({"plans": None, "targets": None}, [block.rows, PackedRows(rows)])
    assert joined.count("targets") == 4 and block.rows._rows is None
    assert joined["targets"] == rows["targets"] * 2 and dict(block.rows) == rows  # asked: the same rows


def test_a_rebuild_after_one_plans_edit_unpickles_no_other_plans_download_rows(corpus: Path, tmp_path: Path,
                                                                                 monkeypatch):
    from sitegen.export import PackedRows

    work, site = shutil.copytree(corpus, tmp_path / "corpus"), tmp_path / "site"
    build(work, site, search=False, workers=1)
    unpacked = []
    real = PackedRows._unpacked
    monkeypatch.setattr(PackedRows, "_unpacked", lambda self: unpacked.append(self._rows is None) or real(self))
    plan = sorted((work / "plans").glob("*.yaml"))[5]
    plan.write_text(plan.read_text("utf-8").replace('note: ""', 'note: "sửa"', 1), "utf-8")
    build(work, site, search=False, workers=1)
    # The edited plan's rows are made anew (its own files and the tables' counts need nothing more).
    assert True not in unpacked
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert tree_diff(site, clean) == []


def test_the_rows_a_build_did_not_use_are_deleted_however_many_and_the_others_kept(tmp_path: Path):
    """cache.delete_unused: the keys there are compared with the used ones here, and the stale ones deleted
    in statements of at most 900 keys (SQLite's limit on variables), in the caller's transaction."""
    import sqlite3

    from sitegen.cache import delete_unused

    db = sqlite3.connect(tmp_path / "t.sqlite", isolation_level=None)
    db.execute("CREATE TABLE blocks (key TEXT PRIMARY KEY, value BLOB)")
    db.executemany("INSERT INTO blocks VALUES (?, ?)", ((f"k{i:05}", b"") for i in range(2500)))
    used = {f"k{i:05}" for i in range(0, 2500, 7)} | {"never-there"}
    db.execute("BEGIN")
    assert delete_unused(db, "blocks", used) == 2500 - len(range(0, 2500, 7))
    db.execute("ROLLBACK")  # the caller's transaction: nothing is deleted without its commit
    assert db.execute("SELECT COUNT(*) FROM blocks").fetchone() == (2500,)
    assert delete_unused(db, "blocks", sorted(used)) == 2500 - len(range(0, 2500, 7))  # any iterable of keys
    assert {k for (k,) in db.execute("SELECT key FROM blocks")} == used - {"never-there"}
