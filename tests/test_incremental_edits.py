"""Issue 19: an incremental build equals a clean build byte for byte after each kind of edit an editor
makes (a sentence inserted into a plan's text, a plan deleted, a plan renamed, a failed build in between),
and a derived fact recomputed with the same value stops the rebuild there (early cutoff).

The other edits of the issue's list are tested where their machinery is: a YAML edit and a code edit
in test_incremental.py, a lookup-table and a template edit in test_declared_inputs.py, a killed build in
test_concurrency.py (every round compares the folder with clean builds of the old and the new corpus)."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from helpers import REAL_CORPUS, spy_jobs, tree_diff, tree_files
from sitegen.pages import plan_jobs
from sitegen.pipeline import BuildError, build, gather

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


_files, _differ = tree_files, tree_diff


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    import generate

    return generate.generate(12, tmp_path_factory.mktemp("edits") / "corpus", seed=3)


def _insert_sentence(work: Path) -> None:
    import run

    run.insert_sentence(work, 1)


def _delete_plan(work: Path) -> None:
    md = sorted((work / "plans").glob("*.md"))[4]
    md.unlink()
    md.with_suffix(".yaml").unlink()


def _rename_plan(work: Path) -> None:
    md = sorted((work / "plans").glob("*.md"))[7]
    new = md.with_name(md.stem + "-moi.md")
    md.write_text(md.read_text("utf-8").replace(f'id: "{md.stem}"', f'id: "{new.stem}"', 1), "utf-8")
    md.rename(new)
    md.with_suffix(".yaml").rename(new.with_suffix(".yaml"))


def _fail_in_between(work: Path) -> None:
    """A build that fails on a corpus error, then the error fixed and another plan edited."""
    md = sorted((work / "plans").glob("*.md"))[3]
    good = md.read_text("utf-8")
    md.write_text(good.replace('issued: "', 'issued: "not a date ', 1), "utf-8")
    with pytest.raises(BuildError):
        build(work, work.parent / "site", search=False, workers=1)
    md.write_text(good, "utf-8")
    other = sorted((work / "plans").glob("*.yaml"))[6]
    other.write_text(other.read_text("utf-8").replace('note: ""', 'note: "after a failed build"', 1), "utf-8")


@pytest.mark.parametrize("edit", [_insert_sentence, _delete_plan, _rename_plan, _fail_in_between],
                         ids=["text edit", "plan deleted", "plan renamed", "failed build in between"])
def test_an_incremental_build_after_an_edit_equals_a_clean_build(corpus: Path, tmp_path: Path, edit):
    work = shutil.copytree(corpus, tmp_path / "corpus")
    site = tmp_path / "site"
    build(work, site, search=False, workers=1)
    before = {k: p.read_bytes() for k, p in _files(site).items()}
    edit(work)
    build(work, site, search=False, workers=1)
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert _differ(site, clean) == []
    assert {k: p.read_bytes() for k, p in _files(site).items()} != before  # the edit did reach the site


def test_a_sentence_inserted_into_one_plan_leaves_the_pages_of_the_plans_citing_the_same_instruments(
        tmp_path: Path, monkeypatch):
    """Early cutoff: inserting a sentence at the top of Trà Vinh's text moves every citation found in
    it; the registry entry of each instrument it cites, which is what another plan's page shows of an
    instrument it cites (("entry", id)), is recomputed with the same value, and so are the citations
    without their offsets and the plan without its text (the lean site every other page reads): the
    rebuild stops there, no other plan's page nor any instrument page is made again."""
    work = shutil.copytree(REAL_CORPUS, tmp_path / "corpus")
    site = tmp_path / "site"
    build(work, site, search=False, workers=1)
    md = work / "plans" / "tra-vinh-2022.md"
    text = md.read_text("utf-8")
    end = text.index("\n", text.index("\n# ") + 1) + 1
    md.write_text(text[:end] + "\nCâu thêm vào đầu văn bản.\n" + text[end:], "utf-8")
    after = gather(work).site
    cited = {c.legal_id for c in after.citations if c.plan_id == "tra-vinh-2022" and c.legal_id}
    shared = {c.legal_id for c in after.citations if c.plan_id != "tra-vinh-2022"} & cited
    assert shared  # instruments Trà Vinh cites that other plans cite too
    others = {pid for pid, job in plan_jobs(after)["vi"].items()
              if pid != "tra-vinh-2022" and {("entry", i) for i in shared} & job.reads}
    assert others
    ran = spy_jobs(monkeypatch)
    build(work, site, search=False, workers=1)
    made = {n for n in ran if n.startswith("plans.plan_page(")}
    assert made == {"plans.plan_page('tra-vinh-2022',)"}
    # Nor are the instrument pages: they show the citations without their offsets, and the citing
    # plans without their texts (reads.lean_site), which the sentence left as they were.
    assert not any(n.startswith("legal.instrument") for n in ran)
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert _differ(site, clean) == []


def test_the_job_records_live_in_the_build_database_and_a_damaged_one_is_started_again(corpus: Path, tmp_path: Path):
    from sitegen.cache import JobRecords

    site = tmp_path / "site"
    build(corpus, site, search=False, workers=1)
    db = tmp_path / ".site.cache" / "build.sqlite"
    keys = JobRecords(site).keys()
    assert db.is_file() and len(keys) > 50
    assert not (tmp_path / ".site.cache" / "jobs").exists()  # no pickle per job any more
    for extra in db.parent.glob("build.sqlite-*"):
        extra.unlink()
    db.write_bytes(b"not a database at all" * 100)
    report = build(corpus, site, search=False, workers=1)
    assert report.written == 0  # the pages are made again and their bytes are those of the site
    assert JobRecords(site).keys() == keys
    clean = tmp_path / "clean"
    build(corpus, clean, search=False, incremental=False, workers=1)
    assert _differ(site, clean) == []
