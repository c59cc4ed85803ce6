"""Incremental builds: after one plan changes, a rebuild rewrites only the files that depend on it,
carries every other file over from the previous site, and equals a clean full build byte for byte."""
from __future__ import annotations

import filecmp
import os
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from sitegen.builddb import BuildDB  # noqa: E402
from sitegen.pipeline import build  # noqa: E402
from sitegen.write import MANIFEST  # noqa: E402


def _files(site: Path) -> dict[str, Path]:
    return {str(p.relative_to(site)): p for p in site.rglob("*") if p.is_file()}


def _same_tree(a: Path, b: Path) -> list[str]:
    fa, fb = _files(a), _files(b)
    diff = sorted(set(fa) ^ set(fb))
    diff += [k for k in sorted(set(fa) & set(fb)) if not filecmp.cmp(fa[k], fb[k], shallow=False)]
    return diff


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    import generate

    return generate.generate(12, tmp_path_factory.mktemp("inc") / "corpus", seed=3)


def test_one_plan_changed(corpus: Path, tmp_path: Path):
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    site = tmp_path / "site"
    build(work, site, search=False, workers=1)
    before = {k: os.stat(p).st_ino for k, p in _files(site).items()}

    victim = sorted((work / "plans").glob("*.yaml"))[5]
    text = victim.read_text(encoding="utf-8")
    assert 'note: ""' in text
    victim.write_text(text.replace('note: ""', 'note: "changed for the incremental test"', 1), encoding="utf-8")
    report = build(work, site, search=False, workers=1)

    after = _files(site)
    rewritten = {k for k, p in after.items() if k != MANIFEST and os.stat(p).st_ino != before.get(k)}
    pid = victim.stem
    # The plan's own pages and data change ...
    for must in (f"plans/{pid}.html", f"en/plans/{pid}.html", f"data/plans/{pid}.json", "data/targets.csv"):
        assert must in rewritten, must
    # ... and no other plan's page does: those are carried over (hard links to the old files).
    other_plans = {k for k in rewritten if k.startswith(("plans/", "en/plans/")) and pid not in k
                   and not k.endswith("index.html")}
    assert not other_plans
    assert not any(k.startswith("data/sources/") for k in rewritten)
    assert not any(k.startswith("assets/") for k in rewritten)
    assert report.written == len(rewritten)
    assert report.written < report.files / 2

    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert _same_tree(site, clean) == []


def test_parallel_and_serial_builds_are_identical(corpus: Path, tmp_path: Path):
    """Plan pages made in worker processes equal those made in one process; a second incremental
    build of an unchanged corpus writes nothing new and changes nothing."""
    import sitegen.pipeline as pipeline

    one, two = tmp_path / "one", tmp_path / "two"
    build(corpus, one, search=False, workers=1, incremental=False)
    old_min = pipeline.PARALLEL_MIN_PLANS
    pipeline.PARALLEL_MIN_PLANS = 1
    try:
        build(corpus, two, search=False, workers=2, incremental=False)
        assert _same_tree(one, two) == []
        report = build(corpus, two, search=False, workers=2)
    finally:
        pipeline.PARALLEL_MIN_PLANS = old_min
    assert report.written == 0
    assert _same_tree(one, two) == []


def test_code_change_invalidates_every_page(corpus: Path, tmp_path: Path, monkeypatch):
    """Plan pages are carried over only when their inputs and the code/templates are unchanged."""
    import sitegen.pipeline as pipeline

    site = tmp_path / "site"
    build(corpus, site, search=False, workers=1)
    import sitegen.deps as deps

    # Every key covers the code it runs, derived from the imports (sitegen.deps.code_digest).
    monkeypatch.setattr(deps, "code_digest", lambda *names: "another version of the code")
    from sitegen.standby import StandbyStaging
    calls = []

    def spy(real):
        def reuse(self, rel, key):
            hit = real(self, rel, key)
            # Social cards depend on their content and the drawing code only (sitegen.cards.card_key):
            # tested in test_cards.py.
            if "cards/" not in rel:
                calls.append(hit)
            return hit
        return reuse
    for kind in (pipeline.Staging, StandbyStaging):  # the copy mode's, the standby mode's
        monkeypatch.setattr(kind, "reuse", spy(kind.reuse))
    build(corpus, site, search=False, workers=1)
    assert calls and not any(calls)


def test_builds_in_separate_processes_are_identical(tmp_path: Path):
    """Two builds with different hash seeds (separate processes) of a corpus where a province has two
    plans in one year (whose order nothing but the build decides) are byte for byte the same."""
    import subprocess

    import generate

    corpus = generate.generate(0, tmp_path / "corpus", seed=2, indexes=[0, 1, 2, 63, 1134, 1135, 1197])
    script = ("import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path; "
              "from sitegen.pipeline import build; build(Path(sys.argv[2]), Path(sys.argv[3]), search=False)")
    for n, seed in ((1, "1"), (2, "2")):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(ROOT), str(corpus), str(tmp_path / f"site{n}")],
                       check=True, env=env)
    assert _same_tree(tmp_path / "site1", tmp_path / "site2") == []


def _count_reads(monkeypatch) -> list[str]:
    """Record the plans read_plan actually reads (the others come from the plan cache)."""
    import sitegen.reading as reading

    seen: list[str] = []
    real = reading.read_plan

    def counting(md, *args, **kw):
        seen.append(md.stem)
        return real(md, *args, **kw)
    monkeypatch.setattr(reading, "read_plan", counting)
    return seen


def test_an_incremental_build_reads_only_the_changed_plan_the_rest_comes_from_the_cache(
        corpus: Path, tmp_path: Path, monkeypatch):
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    site = tmp_path / "site"
    seen = _count_reads(monkeypatch)
    build(work, site, search=False, workers=1)
    assert len(seen) == 12
    assert len(BuildDB(site).keys("plans")) == 12

    seen.clear()
    victim = sorted((work / "plans").glob("*.yaml"))[2]
    victim.write_text(victim.read_text(encoding="utf-8").replace('note: ""', 'note: "cache test"', 1),
                      encoding="utf-8")
    build(work, site, search=False, workers=1)
    assert seen == [victim.stem]
    assert len(BuildDB(site).keys("plans")) == 12  # the changed plan's old row is pruned

    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert _same_tree(site, clean) == []


def test_a_change_to_a_lookup_table_or_a_full_build_reads_every_plan_again(
        corpus: Path, tmp_path: Path, monkeypatch):
    work = tmp_path / "corpus"
    shutil.copytree(corpus, work)
    site = tmp_path / "site"
    build(work, site, search=False, workers=1)
    seen = _count_reads(monkeypatch)
    build(work, site, search=False, workers=1, incremental=False)
    assert len(seen) == 12
    seen.clear()
    units = work / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("vi: ", "vi: đơn vị ", 1), encoding="utf-8")
    build(work, site, search=False, workers=1)
    assert len(seen) == 12


def test_a_damaged_cache_entry_is_read_again_from_the_plan(corpus: Path, tmp_path: Path, monkeypatch):
    site = tmp_path / "site"
    build(corpus, site, search=False, workers=1)
    db = sqlite3.connect(tmp_path / ".site.cache" / "build.sqlite")
    keys = sorted(k for (k,) in db.execute("SELECT key FROM plans"))
    with db:
        db.execute("UPDATE plans SET value = ? WHERE key = ?", (b"\x80\x05not a pickle at all", keys[0]))
        db.execute("UPDATE plans SET value = ? WHERE key = ?", (b"", keys[1]))
    db.close()
    seen = _count_reads(monkeypatch)
    build(corpus, site, search=False, workers=1)
    assert len(seen) == 2
    clean = tmp_path / "clean"
    build(corpus, clean, search=False, incremental=False, workers=1)
    assert _same_tree(site, clean) == []
    seen.clear()
    build(corpus, site, search=False, workers=1)
    assert seen == []  # the damaged entries were replaced


def test_a_change_to_the_province_table_reaches_the_plan_pages(tmp_path: Path):
    """A plan page names its present-day province from corpus/provinces.yaml: changing the table
    rebuilds it, and the incremental site equals a clean build."""
    from helpers import copy_real_corpus

    work = copy_real_corpus(tmp_path)
    site = tmp_path / "site"
    build(work, site, search=False, workers=1)
    page = site / "plans/tra-vinh-2022.html"
    assert "tỉnh Vĩnh Long<" in page.read_text("utf-8")
    table = work / "provinces.yaml"
    text = table.read_text("utf-8")
    old = "- id: vinh-long-2025\n  vi: Vĩnh Long\n"
    assert text.count(old) == 1
    table.write_text(text.replace(old, "- id: vinh-long-2025\n  vi: Vĩnh Long Test\n"), "utf-8")
    build(work, site, search=False, workers=1)
    assert "tỉnh Vĩnh Long Test<" in page.read_text("utf-8")
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert _same_tree(site, clean) == []


def test_the_database_keeps_the_rows_the_last_successful_build_used_and_a_failed_build_writes_none(tmp_path: Path):
    db = BuildDB(tmp_path / "site")
    db.put("plans", "a", 1), db.put("blocks", "b", 2)
    db.commit()
    assert BuildDB(tmp_path / "site").keys("plans") == {"a"}
    # A build that uses "a" and makes "c" keeps both, and drops the block nothing used.
    second = BuildDB(tmp_path / "site")
    assert second.get("plans", "a") == 1 and second.get("plans", "missing") is None
    second.put("plans", "c", 3)
    second.commit()
    assert BuildDB(tmp_path / "site").keys("plans") == {"a", "c"} and BuildDB(tmp_path / "site").keys("blocks") == set()
    # A build that fails never commits: what it made is not written, nothing is deleted.
    failed = BuildDB(tmp_path / "site")
    failed.put("plans", "d", 4)
    failed.close()
    assert BuildDB(tmp_path / "site").keys("plans") == {"a", "c"}
    # A full build (read=False) reads nothing but still records what it made.
    full = BuildDB(tmp_path / "site", read=False)
    assert full.get("plans", "a") is None
    full.put("plans", "e", 5)
    full.commit()
    assert BuildDB(tmp_path / "site").keys("plans") == {"e"}


def test_a_file_is_hashed_again_only_when_its_stat_changes(tmp_path: Path, monkeypatch):
    from sitegen import builddb

    f = tmp_path / "plan.md"
    f.write_bytes(b"one")
    old = os.stat(f).st_mtime_ns - 10 * builddb.RACY_NS
    os.utime(f, ns=(old, old))  # long enough ago: its hash is trusted while its stat stays
    db = BuildDB(tmp_path / "site")
    h, data = db.file_hash(f)
    assert data == b"one" and h == builddb.file_hash(b"one")
    db.commit()
    again = BuildDB(tmp_path / "site")
    assert again.file_hash(f) == (h, None)  # not read: its stat is the one recorded
    f.write_bytes(b"two")
    os.utime(f, ns=(old, old))  # same size and mtime, another inode change time: read again
    assert again.file_hash(f) == (builddb.file_hash(b"two"), b"two")
    # A file hashed right after it was modified is racy: hashed again next time, even with its stat.
    g = tmp_path / "fresh.md"
    g.write_bytes(b"new")
    racy = BuildDB(tmp_path / "site")
    racy.file_hash(g)
    racy.commit()
    assert BuildDB(tmp_path / "site").file_hash(g)[1] == b"new"
