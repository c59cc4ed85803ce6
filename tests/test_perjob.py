"""What an incremental build pays for each UNCHANGED job, file and chart (issue 19): a plan digested by an
earlier build is not digested again (sitegen.jobkeys: its digests are kept in the build database by a
token of its content); a chart drawn as before is never unpacked to key its own pages, its CSV file or its
card (pages.Drawn keeps its digest and reads). The first edit after a first build changing only what
changed in the standby is in test_publish.py."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from helpers import tree_diff
from sitegen.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    import generate

    return generate.generate(12, tmp_path_factory.mktemp("perjob") / "corpus", seed=11)


def _keys(g, digests) -> list[str]:
    from sitegen.export import data_files_index
    from sitegen.pages import job_key, page_jobs, plan_jobs

    site = g.site
    jobs = [*page_jobs(site, data_files_index(g.rows)), *(j for one in plan_jobs(site).values() for j in one.values())]
    return [job_key(j, digests) for j in jobs]


def test_a_plan_digested_before_is_taken_from_the_database_and_an_edit_digests_that_plan_alone(
        corpus: Path, tmp_path: Path, monkeypatch):
    import shutil

    from sitegen.cache import JobRecords
    from sitegen.gather import gather
    from sitegen.jobkeys import digests_for, keep
    from sitegen.pages import Digests
    from sitegen.pages import reads

    work, out = tmp_path / "corpus", tmp_path / "site"
    shutil.copytree(corpus, work)
    g = gather(work, cache_for=out)
    first = digests_for(g.site, g.blocks, JobRecords(out))
    assert not first._known  # nothing kept yet
    keys = _keys(g, first)
    keep(JobRecords(out), first)
    plans = [p.id for p in g.site.corpus.plans]
    assert len(plans) == 12 and first.used() and len(first.used()) == len(plans)
    digested: list[str] = []
    real = Digests._compute

    def spy(self, read):
        if read[0] == "plan" and read[1] in plans:  # (a read of an id no plan has is digested as None)
            digested.append(read[1])
        return real(self, read)
    monkeypatch.setattr(Digests, "_compute", spy)
    # The next build of the same corpus digests no plan, and its keys are those of a plain digest.
    reads._LEAN.clear()
    again = digests_for(g.site, g.blocks, JobRecords(out))
    assert _keys(g, again) == keys and digested == []
    reads._LEAN.clear()
    assert _keys(g, Digests(g.site)) == keys and sorted(set(digested)) == sorted(plans)
    # One plan's data edited: that plan alone is digested (lean and full), and the keys equal a plain digest's.
    victim = sorted((work / "plans").glob("*.yaml"))[3]
    text = victim.read_text("utf-8")
    assert 'note: ""' in text
    victim.write_text(text.replace('note: ""', 'note: "một ghi chú"', 1), "utf-8")
    g2 = gather(work, cache_for=out)
    digested.clear()
    reads._LEAN.clear()
    edited = digests_for(g2.site, g2.blocks, JobRecords(out))
    keys2 = _keys(g2, edited)
    assert sorted(set(digested)) == [victim.stem] and len(digested) == 2
    assert set(edited.learned()) == set(edited.used()) - set(first.used()) and len(edited.learned()) == 1
    reads._LEAN.clear()
    assert keys2 == _keys(g2, Digests(g2.site)) and keys2 != keys
    # The database keeps the digests of this site's plans only.
    keep(JobRecords(out), edited)
    assert set(JobRecords(out).known_digests()) == edited.used()


def test_an_unchanged_chart_is_never_unpacked_and_the_rebuild_equals_a_clean_build(
        corpus: Path, tmp_path: Path, monkeypatch):
    import shutil

    from sitegen.pages.packed import PackedCharts

    work, site, clean = tmp_path / "corpus", tmp_path / "site", tmp_path / "clean"
    shutil.copytree(corpus, work)
    build(work, site, search=False, workers=1)
    unpacked: list[str] = []
    real = PackedCharts.__getitem__
    monkeypatch.setattr(PackedCharts, "__getitem__", lambda self, cid: unpacked.append(cid) or real(self, cid))
    report = build(work, site, search=False, workers=1)
    assert report.cards > 0 and any((site / "charts").iterdir())
    assert unpacked == []  # chart pages, chart CSV files and cards keyed by the charts' stored digests
    # An edit remakes what shows the plan: the charts it redraws are unpacked, not every chart.
    victim = sorted((work / "plans").glob("*.yaml"))[5]
    text = victim.read_text("utf-8")
    victim.write_text(text.replace('note: ""', 'note: "một ghi chú"', 1), "utf-8")
    build(work, site, search=False, workers=1)
    charts = len(list((site / "charts").iterdir()))
    assert len(set(unpacked)) < charts
    build(work, clean, search=False, incremental=False, workers=1)
    assert tree_diff(site, clean) == []


def test_unchanged_jobs_are_carried_over_before_the_workers_start_and_the_result_equals_a_clean_build(
        corpus: Path, tmp_path: Path, monkeypatch):
    import shutil

    import sitegen.pipeline as pipeline

    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PLANS", 1)  # the worker pool, on a small corpus
    monkeypatch.setattr(pipeline, "POOL_MIN_TASKS", 0)  # workers however few pages are to make
    work, site, clean = tmp_path / "corpus", tmp_path / "site", tmp_path / "clean"
    shutil.copytree(corpus, work)
    build(work, site, search=False, workers=2)
    seen: list[tuple[int, int]] = []
    todo: list[list[str]] = []
    real_carry, real_plans = pipeline.carry_jobs, pipeline.plans_to_make

    def carry(jobs, staging, records):
        out = real_carry(jobs, staging, records)
        seen.append((len(out), len(jobs)))
        return out

    def plans(plan_ids, jobs, staging):
        out = real_plans(plan_ids, jobs, staging)
        todo.append(out)
        return out
    monkeypatch.setattr(pipeline, "carry_jobs", carry)
    monkeypatch.setattr(pipeline, "plans_to_make", plans)
    report = build(work, site, search=False, workers=2)
    # Nothing changed: every job and every plan page is carried over here, none handed to a worker.
    assert report.written == 0 and seen[-1][1] > 0 and seen[-1][0] == seen[-1][1] and todo[-1] == []
    victim = sorted((work / "plans").glob("*.yaml"))[2]
    text = victim.read_text("utf-8")
    victim.write_text(text.replace('note: ""', 'note: "một ghi chú"', 1), "utf-8")
    build(work, site, search=False, workers=2)
    # One plan's data edited: its page (both languages) and the jobs that read it are made, no other.
    assert todo[-1] == [victim.stem] and 0 < seen[-1][1] - seen[-1][0] < seen[-1][1] / 2
    build(work, clean, search=False, incremental=False, workers=1)
    assert tree_diff(site, clean) == []


def test_the_reads_made_of_every_citation_are_digested_from_each_plans_share_kept_in_the_database(
        corpus: Path, tmp_path: Path, monkeypatch):
    import shutil
    from dataclasses import replace

    from sitegen.cache import JobRecords
    from sitegen.gather import gather
    from sitegen.jobkeys import digests_for, keep
    from sitegen.pages import Digests
    from sitegen.pages import reads

    work, out = tmp_path / "corpus", tmp_path / "site"
    shutil.copytree(corpus, work)
    g = gather(work, cache_for=out)
    cited = sorted({c.legal_id for c in g.site.citations if c.legal_id})
    wanted = [("citations",), *(("instrument", i) for i in cited)]
    assert len(cited) > 3

    def values(digests):
        return [digests.lean.of(r) for r in wanted]
    reads._LEAN.clear()
    first = digests_for(g.site, g.blocks, JobRecords(out))
    before = values(first)
    plans = [p.id for p in g.site.corpus.plans if any(c.plan_id == p.id for c in g.site.citations)]
    assert len(plans) >= 10 and set(first.learned_parts()) == {first._tokens[pid] for pid in plans}
    keep(JobRecords(out), first)
    assert set(JobRecords(out).known_parts()) == set(first.learned_parts())
    # Without a database the same digests (each plan's share computed), and so the same keys.
    reads._LEAN.clear()
    assert values(Digests(g.site)) == before
    # The next build takes every share as kept: no plan's citations digested.
    shares: list[tuple] = []
    from sitegen.pages import digests as digesting

    real = digesting.value_digest
    monkeypatch.setattr(digesting, "value_digest", lambda *parts: shares.append(parts) or real(*parts))
    reads._LEAN.clear()
    again = digests_for(g.site, g.blocks, JobRecords(out))
    assert values(again) == before and again.learned_parts() == {}
    assert not [p for p in shares if len(p) == 1 and isinstance(p[0], tuple) and p[0]
                and all(hasattr(c, "legal_id") for c in p[0])]
    # One plan's data edited (a target's note, which no citation shows): only its share is computed
    # again, and every digest made of citations is unchanged (the pages reading them are not remade).
    victim = sorted((work / "plans").glob("*.yaml"))[3]
    text = victim.read_text("utf-8")
    assert 'note: ""' in text
    victim.write_text(text.replace('note: ""', 'note: "một ghi chú"', 1), "utf-8")
    g2 = gather(work, cache_for=out)
    reads._LEAN.clear()
    edited = digests_for(g2.site, g2.blocks, JobRecords(out))
    assert values(edited) == before
    assert set(edited.learned_parts()) == {edited._tokens[victim.stem]}
    # A citation's sentence changed in one plan: ("citations",) and that instrument's digest change,
    # an instrument that plan does not cite keeps its digest.
    c0 = next(c for c in g2.site.citations if c.legal_id)
    changed = replace(g2.site, citations=tuple(replace(c, sentence=c.sentence + " x") if c is c0 else c
                                                for c in g2.site.citations))
    reads._LEAN.clear()
    after = values(Digests(changed))
    own = {c.legal_id for c in g2.site.citations if c.plan_id == c0.plan_id}
    for read, old, new in zip(wanted, before, after):
        assert (old != new) == (read == ("citations",) or read[1] == c0.legal_id), read
    assert any(i not in own for i in cited)
    # Citations not grouped by plan (no gathering makes that): digested whole, still apart per value.
    all_ = list(g2.site.citations)
    moved = next(c for c in all_ if sum(d.plan_id == c.plan_id for d in all_) >= 2)
    all_.remove(moved)
    shuffled = replace(g2.site, citations=(*all_, moved))  # one plan's first citation put last
    reads._LEAN.clear()
    assert not Digests(shuffled).lean._grouped and values(Digests(shuffled)) != before
    reads._LEAN.clear()


def test_a_declarations_key_is_of_its_reads_and_their_digests_each_written_once_in_any_order(tmp_path):
    """Digests.key: the same reads give the same key whatever their order; another read, or another digest
    of one, gives another; each read is digested once however many declarations name it."""
    from helpers import write_corpus
    from sitegen.gather import gather
    from sitegen.pages import Digests

    site = gather(write_corpus(tmp_path)).site
    digests = Digests(site)
    asked: list = []
    real = Digests._compute
    digests._compute = lambda read: asked.append(read) or real(digests, read)
    plans = [("plan", p.id) for p in site.corpus.plans]
    assert len(plans) == 2
    both = [*plans, ("lookup", "subjects"), ("data_version",)]
    key = digests.key(both)
    assert digests.key(reversed(both)) == key and digests.key(set(both)) == key
    assert digests.key(both[1:]) != key and digests.key([*both, ("lookup", "units")]) != key
    assert sorted(asked) == sorted({*both, ("lookup", "units")})  # once each
    other = Digests(site)
    other._memo[plans[0]] = "another digest"
    assert other.key(both) != key
