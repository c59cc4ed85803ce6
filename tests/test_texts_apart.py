"""Peak memory (issue 19): after the gathering, the plans' texts are not in the heap the page workers are
forked from (sitegen.texts): each plan page reads its plan's text from the build database in the worker that
makes it; and the build database's new rows wait in a file until commit, not in memory (sitegen.builddb)."""
from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
from pathlib import Path

import pytest

from helpers import tree_diff
from sitegen import pipeline, texts
from sitegen.builddb import PENDING, BuildDB
from sitegen.export import SpilledParts, data_files, spill_blocks
from sitegen.gather import gather
from sitegen.pages import Index, kits, plan_jobs
from sitegen.render import environment, render_page

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    import generate

    return generate.generate(12, tmp_path_factory.mktemp("texts") / "corpus", seed=5)


def _plan_pages(site) -> dict[str, bytes]:
    env, by_lang = environment(), kits(site)
    return {page.path: render_page(env, page) for lang, one in plan_jobs(site).items()
            for job in one.values() for page in job.run(by_lang[lang])}


@pytest.mark.parametrize("with_db", [True, False])
def test_a_plan_page_made_from_a_text_kept_apart_is_the_one_made_from_the_plan(corpus: Path, tmp_path: Path,
                                                                               with_db: bool):
    g = gather(corpus, cache_for=tmp_path / "site" if with_db else None)
    apart = texts.apart(g)
    plans = (*apart.site.corpus.plans, *apart.site.corpus.drafts)
    assert plans and all(p.text == "" for p in plans)  # no plan holds its text any more
    full = {p.id: p.text for p in (*g.site.corpus.plans, *g.site.corpus.drafts)}
    assert {pid: apart.site.texts.text(pid) for pid in full} == full
    # Kept by the key of the plan's row with a database (no copy here), compressed without one.
    assert all(isinstance(w, str) == with_db for w in apart.site.texts._where.values())
    assert _plan_pages(apart.site) == _plan_pages(g.site)
    # The full site's Index is the lean site's but for the citations by plan (their offsets): one copy.
    lean = kits(apart.site)["vi"]
    assert lean.with_text._plans is lean._plans and lean.with_text.ix.cites_of_plan == {
        pid: list(cs) for pid, cs in Index(g.site).cites_of_plan.items()}


def test_page_workers_read_the_texts_from_the_database_and_the_site_is_the_same(corpus: Path, tmp_path: Path,
                                                                                monkeypatch):
    work, site = tmp_path / "corpus", tmp_path / "site"
    shutil.copytree(corpus, work)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PLANS", 2)  # plan pages in forked workers, even for 12 plans
    monkeypatch.setattr(pipeline, "POOL_MIN_TASKS", 0)  # workers however few pages are to make
    monkeypatch.setattr(pipeline, "SPILL_MIN_TASKS", 1)  # the download rows spilled before they are forked
    with monkeypatch.context() as m:  # the site as a build whose plans keep their texts makes it
        m.setattr(texts, "apart", lambda g: g)
        pipeline.build(work, tmp_path / "kept", search=False, workers=2, incremental=False, base_url="https://x.org/")
    log = tmp_path / "fetched"
    real_text, real_write, real_spill = texts.PlanTexts.text, pipeline.write_output, pipeline.spill
    handed, spilled = [], []

    def text(self, pid):
        where = self._where[pid]
        with log.open("a") as f:  # from the worker processes: a file, not a list
            f.write(f"{os.getpid()} {pid} {isinstance(where, str)} {where in self._db._new['plans']}\n")
        return real_text(self, pid)

    def write_output(g, *a, **kw):
        handed.append([p.text for p in (*g.site.corpus.plans, *g.site.corpus.drafts)])
        return real_write(g, *a, **kw)

    def spill(g):
        real_spill(g)
        spilled.append(all(isinstance(parts, SpilledParts) for _, b in g.blocks.values() for parts in (b.csv, b.json)))
    monkeypatch.setattr(texts.PlanTexts, "text", text)
    monkeypatch.setattr(pipeline, "write_output", write_output)
    monkeypatch.setattr(pipeline, "spill", spill)
    ids = {p.stem for p in (work / "plans").glob("*.md")}
    # A full build: every plan read again, its row pending; then one that remakes every plan page (another
    # address) from the rows the first one committed.
    for incremental, url, pending in ((False, "", "True"), (True, "https://x.org/", "False")):
        log.unlink(missing_ok=True)
        pipeline.build(work, site, search=False, workers=2, incremental=incremental, base_url=url)
        assert handed[-1] and set(handed[-1]) == {""}  # the workers are forked from plans without texts
        assert spilled.pop() is True and not spilled  # ... and without the download rows' bytes
        fetched = [line.split() for line in log.read_text().splitlines()]
        assert {pid for _, pid, _, _ in fetched} == ids  # each plan's text, for its page ...
        assert os.getpid() not in {int(proc) for proc, _, _, _ in fetched}  # ... read in a worker ...
        assert {(by_key, new) for _, _, by_key, new in fetched} == {("True", pending)}  # ... from its row
    assert tree_diff(site, tmp_path / "kept") == []
    assert not list((tmp_path / ".site.cache").glob(f"{PENDING}*"))  # moved into the database at commit


def _read_in_child(db: BuildDB, queue) -> None:
    queue.put(db.get("plans", "p"))


def test_new_rows_wait_in_a_file_not_in_memory_and_a_forked_worker_reads_them(tmp_path: Path):
    db = BuildDB(tmp_path / "site", read=False)
    db.put("plans", "p", "a plan's text " * 1000)
    assert db._new == {"plans": {"p"}, "found": set(), "texts": set(), "blocks": set(), "zip": set()}  # keys only: the row is in the file
    pending = list((tmp_path / ".site.cache").glob(f"{PENDING}*.sqlite"))
    assert len(pending) == 1 and pending[0].stat().st_size + Path(f"{pending[0]}-wal").stat().st_size > 14_000
    db.close()  # as the gathering does before the page workers are forked
    queue = multiprocessing.get_context("fork").SimpleQueue()
    child = multiprocessing.get_context("fork").Process(target=_read_in_child, args=(db, queue))
    child.start()
    child.join(60)
    assert queue.get() == "a plan's text " * 1000
    assert db.get("plans", "p") == "a plan's text " * 1000 and BuildDB(tmp_path / "site").keys("plans") == set()
    db.commit()
    assert BuildDB(tmp_path / "site").get("plans", "p") == "a plan's text " * 1000
    assert not pending[0].exists()
    # A build killed before its commit leaves its pending file: the next build removes it.
    dead = multiprocessing.get_context("fork").Process(target=os._exit, args=(0,))
    dead.start()
    dead.join()
    stale = tmp_path / ".site.cache" / f"{PENDING}{dead.pid}-x.sqlite"
    stale.write_bytes(b"")
    later = BuildDB(tmp_path / "site")
    later.put("blocks", "b", 1)
    assert not stale.exists() and later.get("blocks", "b") == 1


def test_the_download_tables_made_from_spilled_blocks_are_the_same(corpus: Path, tmp_path: Path):
    g = gather(corpus)
    spilled = spill_blocks(g.blocks, tmp_path / "cache")

    def files(blocks):
        return [(f.paths, f.made_of, f.make()) for f in data_files(g.site.corpus, g.rows, blocks)]
    assert files(spilled) == files(g.blocks)
    assert all(isinstance(b.csv, SpilledParts) and dict(b.json) == g.blocks[pid][1].json
               for pid, (_, b) in spilled.items())
    assert list((tmp_path / "cache").iterdir()) == []  # an unnamed file: nothing to clean up


def test_a_rebuild_that_makes_few_pages_in_its_workers_skips_the_spill_and_makes_the_same_site(
        corpus: Path, tmp_path: Path, monkeypatch):
    # Spilling every plan's download bytes costs every build (1.3 s at 10,000 plans) and pays only when the
    # workers make many pages: a rebuild after one plan's edit keeps them in memory. The site is the same.
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PLANS", 2)  # plan pages in forked workers, even for 12 plans
    monkeypatch.setattr(pipeline, "POOL_MIN_TASKS", 0)  # workers however few pages are to make
    real_spill = pipeline.spill
    spills: list[str] = []
    sites = {}
    for name, least in (("spilled", 0), ("kept", 10**9)):  # the rebuild spills whatever it makes, or never
        work, site = shutil.copytree(corpus, tmp_path / name / "corpus"), tmp_path / name / "site"
        monkeypatch.setattr(pipeline, "spill", lambda g, name=name: spills.append(name) or real_spill(g))
        monkeypatch.setattr(pipeline, "SPILL_MIN_TASKS", least)
        pipeline.build(work, site, search=False, workers=2, incremental=False)
        full = spills.count(name)
        plan = sorted((work / "plans").glob("*.yaml"))[4]
        plan.write_text(plan.read_text("utf-8").replace('note: ""', 'note: "sửa"', 1), "utf-8")
        pipeline.build(work, site, search=False, workers=2)
        sites[name] = (site, full, spills.count(name) - full)
    # A full build spills first, whatever it is to make (its heap is then smallest: pipeline.spill_first).
    assert {name: counts for name, (_, *counts) in sites.items()} == {"spilled": [1, 1], "kept": [1, 0]}
    assert tree_diff(sites["spilled"][0], sites["kept"][0]) == []


def test_each_text_is_hashed_once_when_read_not_again_when_kept_apart(corpus: Path, tmp_path: Path, monkeypatch):
    g = gather(corpus, cache_for=tmp_path / "site")
    plans = (*g.site.corpus.plans, *g.site.corpus.drafts)
    assert plans and g.text_digests == {p.id: texts.text_digest(p.text) for p in plans}
    g.db.commit()
    again = gather(corpus, cache_for=tmp_path / "site")  # the reads unpickled: their digests with them
    assert again.db.put_count("plans") == 0 and again.text_digests == g.text_digests

    def no_hashing(text):
        raise AssertionError("a text hashed again")
    monkeypatch.setattr(texts, "text_digest", no_hashing)
    apart = texts.apart(again)
    assert {p.id: apart.site.texts.digest(p.id) for p in plans} == g.text_digests


def test_a_plan_without_its_text_equals_the_plan_replaced_without_it(corpus: Path):
    from dataclasses import replace

    plans = gather(corpus).site.corpus.plans
    assert plans
    for p in plans:
        bare = texts.textless(p)
        assert bare == replace(p, text="") and bare is not p and p.text  # the plan itself keeps its text
