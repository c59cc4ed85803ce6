"""Issue 19, the job side: an incremental build equals a clean build byte for byte after a lookup-table
edit, a template edit (a theme folder: SiteOptions.templates) and a code edit; a derived fact recomputed
with the same value (a plan without its text: reads.lean_site) stops the rebuild there; and the import
graph the code digests are made of is kept in the build database (parsed again only where a module's
source changed)."""
from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from sitegen import deps
from sitegen.cache import JobRecords
from sitegen.pages import Digests, job_key, page_jobs
from sitegen.pipeline import build, gather
from helpers import spy_jobs, tree_diff as _differ, tree_files as _files

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    import generate

    return generate.generate(12, tmp_path_factory.mktemp("more") / "corpus", seed=5)


_spy = spy_jobs


def _edit_then_compare(work: Path, tmp_path: Path, edit, **options) -> tuple[dict, dict]:
    """Build, edit, build again incrementally and clean; the two must be equal. Returns the site's files
    (bytes) before and after the edit."""
    site = tmp_path / "site"
    build(work, site, search=False, workers=1, **options)
    before = {k: p.read_bytes() for k, p in _files(site).items()}
    edit()
    build(work, site, search=False, workers=1, **options)
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1, **options)
    assert _differ(site, clean) == []
    return before, {k: p.read_bytes() for k, p in _files(site).items()}


def test_a_lookup_table_edit_equals_a_clean_build(corpus: Path, tmp_path: Path):
    work = shutil.copytree(corpus, tmp_path / "corpus")
    taxonomy = work / "taxonomy.yaml"
    text = taxonomy.read_text("utf-8")
    assert "en: Staff training\n" in text

    def edit():
        taxonomy.write_text(text.replace("en: Staff training\n", "en: Training of officials\n", 1), "utf-8")
    before, after = _edit_then_compare(work, tmp_path, edit)
    changed = {k for k in after if before.get(k) != after[k]}
    assert "en/categories/training.html" in changed
    assert any(b"Training of officials" in after[k] for k in changed)


def test_a_template_edit_in_a_theme_folder_equals_a_clean_build(corpus: Path, tmp_path: Path):
    work = shutil.copytree(corpus, tmp_path / "corpus")
    theme = tmp_path / "theme"
    theme.mkdir()
    home = (deps.TEMPLATES / "home.html").read_text("utf-8")
    (theme / "home.html").write_text(home, "utf-8")
    assert "{% block main %}" in home

    def edit():
        (theme / "home.html").write_text(home.replace("{% block main %}", "{% block main %}<p>theme edit</p>", 1),
                                         "utf-8")
        for cached in (deps.template_closure, deps.template_digest):
            cached.cache_clear()  # a digest is kept per process (as a new build process would not)
    try:
        before, after = _edit_then_compare(work, tmp_path, edit, templates=theme)
    finally:
        for cached in (deps.template_closure, deps.template_digest):
            cached.cache_clear()
    changed = sorted(k for k in after if before.get(k) != after[k])
    assert "index.html" in changed and "en/index.html" in changed
    assert b"<p>theme edit</p>" in after["index.html"]
    assert not [k for k in changed if k.startswith(("plans/", "en/plans/", "categories/"))]


def test_a_code_edit_remakes_the_jobs_running_that_code_and_equals_a_clean_build(corpus: Path, tmp_path: Path,
                                                                                monkeypatch):
    work = shutil.copytree(corpus, tmp_path / "corpus")
    site = tmp_path / "site"
    build(work, site, search=False, workers=1)
    real = deps.code_digest

    def edited(*names):  # sitegen.pages.matrices changed: the digest of every closure holding it changes
        digest = real(*names)
        return f"{digest}-edited" if "sitegen.pages.matrices" in deps.closure(*names) else digest
    monkeypatch.setattr(deps, "code_digest", edited)
    ran = _spy(monkeypatch)
    build(work, site, search=False, workers=1)
    assert ran and all(n.startswith("matrices.") or "sitegen.pages.matrices" in deps.closure(_module(n)) for n in ran)
    assert any(n.startswith("matrices.matrices(") for n in ran)
    assert not any(n.startswith("plans.plan_page(") for n in ran)
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert _differ(site, clean) == []


def _module(job_name: str) -> str:
    return "sitegen.pages." + job_name.split(".", 1)[0]


def test_a_fact_recomputed_with_the_same_value_stops_the_rebuild(corpus: Path, tmp_path: Path, monkeypatch):
    """A sentence inserted into one plan's text changes that plan, so its lean twin (the plan without its
    text, its citations without their offsets) is recomputed; its value is the same, so the pages made
    of the lean site (home, lists, provinces, categories, matrices, instruments) keep their keys: none
    is made again, only the plan's own pages."""
    import run

    work = shutil.copytree(corpus, tmp_path / "corpus")
    site = tmp_path / "site"
    build(work, site, search=False, workers=1)
    before_site = gather(work).site
    kept = JobRecords(site).keys()
    edited = run.insert_sentence(work, 1)
    pid = edited.stem
    after_site = gather(work).site
    old, new = Digests(before_site), Digests(after_site)
    # The plan changed, and the fact the other pages read of it did not.
    assert old.of(("plan", pid)) != new.of(("plan", pid))
    assert old.lean.of(("plan", pid)) == new.lean.of(("plan", pid))
    assert old.lean.of(("plans",)) == new.lean.of(("plans",))
    jobs = page_jobs(after_site)
    assert jobs and [job_key(j, new) for j in jobs] == [job_key(j, old) for j in page_jobs(before_site)]
    ran = _spy(monkeypatch)
    report = build(work, site, search=False, workers=1)
    assert sorted(ran) == [f"plans.plan_page({pid!r},)"] * 2  # both languages, and nothing else
    records = JobRecords(site).keys()
    # The build database keeps the same record of every page job (plan pages are keyed in the manifest:
    # pipeline._plan_pages): none was made again, none has another key.
    assert len(kept) > 50 and records == kept
    assert 0 < report.written < 20
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert _differ(site, clean) == []


def _count_parsing(monkeypatch) -> list[str]:
    """The names of the modules whose imports are parsed from here on (deps.imports_of), in order."""
    parsed: list[str] = []
    real = deps.imports_of

    def counting(name, path, known):
        parsed.append(name)
        return real(name, path, known)
    monkeypatch.setattr(deps, "imports_of", counting)
    return parsed


def test_the_import_graph_is_kept_in_the_build_database_and_parsed_again_where_the_source_changed(
        tmp_path: Path, monkeypatch):
    parsed = _count_parsing(monkeypatch)
    db = tmp_path / "build.sqlite"
    monkeypatch.setattr(deps, "_STORE", [db])
    expected = deps.import_graph()
    parsed.clear()
    try:
        deps._graph.cache_clear()
        assert {k: set(v) for k, v in deps._graph().items()} == expected
        assert len(parsed) == len(expected) > 50  # the first time: every module
        parsed.clear()
        deps._graph.cache_clear()
        assert {k: set(v) for k, v in deps._graph().items()} == expected
        assert parsed == []  # then none: each module's imports come from the database
        with sqlite3.connect(db) as conn:  # a module whose source is not the one its row was read from
            conn.execute("UPDATE import_graph SET value = 'other' WHERE key = 'sitegen.pages.home'")
        deps._graph.cache_clear()
        assert {k: set(v) for k, v in deps._graph().items()} == expected
        assert parsed == ["sitegen.pages.home"]
    finally:
        deps._graph.cache_clear()


def test_a_first_build_keeps_the_import_graph_for_the_next_once_its_folder_exists(tmp_path: Path, monkeypatch):
    # A full build from nothing computes the graph before the build database's folder exists: its rows
    # are kept and written at the end (flush_store), so that the first incremental build parses nothing.
    parsed = _count_parsing(monkeypatch)
    db = tmp_path / "cache" / "build.sqlite"
    monkeypatch.setattr(deps, "_STORE", [db])
    monkeypatch.setattr(deps, "_PENDING", [])
    try:
        deps._graph.cache_clear()
        expected = {k: set(v) for k, v in deps._graph().items()}
        assert len(parsed) == len(expected) > 50 and not db.exists()
        db.parent.mkdir()
        deps.flush_store()
        assert deps._PENDING == []
        parsed.clear()
        deps._graph.cache_clear()
        assert {k: set(v) for k, v in deps._graph().items()} == expected
        assert parsed == []
    finally:
        deps._graph.cache_clear()


def test_a_sentence_inserted_into_a_text_does_not_check_the_registry_again(corpus: Path, tmp_path: Path,
                                                                          monkeypatch):
    """The registry's whole-corpus checks are kept under the digests of each plan's citations without
    their offsets, in their offsets' order (gather.citations_digest): moving every offset leaves them
    alone; reordering two citations does not (the checks' messages follow that order)."""
    import run
    from dataclasses import replace

    from sitegen import gather as gathering

    work = shutil.copytree(corpus, tmp_path / "corpus")
    site = tmp_path / "site"
    build(work, site, search=False, workers=1)
    checked: list[int] = []
    real = gathering.cite.check_registry

    def spy(*args, **kw):
        checked.append(1)
        return real(*args, **kw)
    monkeypatch.setattr(gathering.cite, "check_registry", spy)
    run.insert_sentence(work, 1)
    build(work, site, search=False, workers=1)
    assert checked == []
    clean = tmp_path / "clean"
    build(work, clean, search=False, incremental=False, workers=1)
    assert checked == [1] and _differ(site, clean) == []

    gathered = gather(work).site
    cites = next([a, b] for p in gathered.corpus.plans
                 for a in gathered.citations if a.plan_id == p.id
                 for b in gathered.citations if b.plan_id == p.id and b.start > a.start
                 and replace(a, start=0, end=0) != replace(b, start=0, end=0))
    shifted = [replace(c, start=c.start + 40, end=c.end + 40) for c in cites]
    swapped = [replace(cites[0], start=cites[1].start, end=cites[1].end),
               replace(cites[1], start=cites[0].start, end=cites[0].end)]
    assert gathering.citations_digest(shifted) == gathering.citations_digest(cites)
    assert gathering.citations_digest(swapped) != gathering.citations_digest(cites)


def test_a_citation_without_offsets_is_the_citation_with_start_and_end_zero_and_digests_as_such():
    # The lean site copies every citation without its offsets by a copier written out field by field
    # (reads._offsetless), not dataclasses.replace: the same value, the same pickle (the keys' digests).
    import dataclasses
    import pickle

    from sitegen.model import Citation
    from sitegen.pages.reads import value_digest, without_offsets

    c = Citation("116/2021/NĐ-CP", "nghị định", "2021-01-01", None, "central", "Nghị định 116/2021/NĐ-CP",
                 120, 143, "nd-116-2021", "ha-noi-2022", "Căn cứ Nghị định 116/2021/NĐ-CP.")
    lean = without_offsets(c)
    assert lean == dataclasses.replace(c, start=0, end=0) and (c.start, c.end) == (120, 143)
    assert pickle.dumps(lean) == pickle.dumps(dataclasses.replace(c, start=0, end=0))
    assert value_digest(lean) == value_digest(dataclasses.replace(c, start=0, end=0))
    assert without_offsets(lean) is lean  # already without: not copied
    with pytest.raises(dataclasses.FrozenInstanceError):
        lean.start = 1
