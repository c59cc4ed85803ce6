"""What an incremental build does per build whatever changed (issue 19): the lookups, keys and workers
it makes are those the pages it makes need, not every one of the corpus."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from helpers import REAL_CORPUS
from sitegen.gather import gather
from sitegen.pages import Index, kits
from sitegen.pages.reads import comparability_by_unit, plan_keys


@pytest.fixture(scope="module")
def site():
    return gather(REAL_CORPUS).site


def test_the_index_makes_its_target_and_compare_lookups_when_first_asked_and_shares_them_with_its_twin(site):
    ix = Index(site)
    assert not ix._lazy  # none made by making the Index
    plans = site.corpus.plans
    assert ix.comparability == comparability_by_unit(plans, site.tables.comparability)
    assert set(ix._lazy) == {"comparability"}
    twin = ix.twin(site)
    assert twin.comparability is ix.comparability  # made once for both
    assert ix.target == {(p.id, tg.id): tg for p in plans for tg in p.targets}
    assert twin.target is ix.target
    assert ix.cat_count == Counter(tg.category for p in plans for tg in p.top_targets)
    assert ix.plan_keys == plan_keys(plans)
    fresh = Index(site).prepare()  # what the build makes before it forks workers that make many pages
    assert set(fresh._lazy) == {"cat_count", "target", "plan_keys", "comparability"}


def test_the_lean_kits_share_one_index_whose_lookups_the_build_can_make_before_forking(site):
    k = kits(site)
    assert k["vi"].index is k["en"].index
    assert k["vi"].index.prepare().comparability is k["en"].index.comparability


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    import sys

    sys.path.insert(0, str(REAL_CORPUS.parent / "benchmarks"))
    import generate

    return generate.generate(12, tmp_path_factory.mktemp("few") / "corpus", seed=4)


def test_a_rebuild_with_few_pages_to_make_forks_no_workers_and_one_with_many_cards_does(small, tmp_path, monkeypatch):
    """Workers are forked only for POOL_MIN_TASKS jobs and plan pages to make or more (or, after them, charts
    and cards): a rebuild after one plan's edit makes its few pages in this process, the same site."""
    import multiprocessing
    import shutil

    from helpers import tree_diff
    from sitegen import cards, pipeline
    from sitegen.pipeline import build

    forks: list[str] = []
    real_context = multiprocessing.get_context

    class Counted:
        def __init__(self, method):
            self._real = real_context(method)

        def Pool(self, *args, **kw):  # noqa: N802 (multiprocessing's name)
            forks.append("pool")
            return self._real.Pool(*args, **kw)
    monkeypatch.setattr(multiprocessing, "get_context", Counted)
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_PLANS", 1)  # workers, on a small corpus
    work, site, clean = shutil.copytree(small, tmp_path / "corpus"), tmp_path / "site", tmp_path / "clean"
    build(work, site, search=False, workers=2, incremental=False)
    assert forks == ["pool"]  # a full build: every page to make
    plan = sorted((work / "plans").glob("*.yaml"))[5]
    plan.write_text(plan.read_text("utf-8").replace('note: ""', 'note: "sửa"', 1), "utf-8")
    monkeypatch.setattr(pipeline, "POOL_MIN_TASKS", 10**6)  # whatever the edit makes: few
    report = build(work, site, search=False, workers=2)
    assert forks == ["pool"] and report.written  # none forked for it
    build(work, clean, search=False, workers=1, incremental=False)
    assert tree_diff(site, clean) == []
    # No page to make, but every card to draw again (their drawing's version changed): workers for them.
    monkeypatch.setattr(pipeline, "POOL_MIN_TASKS", 2)
    monkeypatch.setattr(cards, "RENDERER", cards.RENDERER + "-test")
    cards.renderer_key.cache_clear()
    try:
        report = build(work, site, search=False, workers=2)
    finally:
        monkeypatch.undo()
        cards.renderer_key.cache_clear()
    assert forks == ["pool", "pool"] and report.cards_drawn == report.cards > 2
    assert tree_diff(site, clean) == [".build-manifest.json"]  # the same bytes; the cards' keys changed


def test_a_job_changed_by_but_equals_the_one_dataclasses_replace_makes(site):
    from dataclasses import replace

    from sitegen.pages import page_jobs, plan_jobs

    for job in [*page_jobs(site)[:50], *plan_jobs(site)["en"].values()]:
        for changes in ({"lang": "vi"}, {"key": "k"}, {"lang": "en", "key": ""}):
            new = job.but(**changes)
            assert new == replace(job, **changes) and hash(new) == hash(replace(job, **changes))
            assert type(new) is type(job) and new is not job and job.key == "" and job.lang in ("en", "vi")


def test_the_cards_counts_made_once_give_each_language_the_specs_it_makes_alone(site):
    from sitegen.cards import card_specs, tallies
    from sitegen.pipeline import province_cards

    provinces = province_cards(kits(site)["vi"])
    once = tallies(site.corpus.plans, provinces)
    for lang in ("vi", "en"):
        alone = card_specs(site, lang, {}, "https://x.org/", provinces)
        assert card_specs(site, lang, {}, "https://x.org/", provinces, once) == alone
        assert any(spec.lines for spec in alone.values()) and any(spec.bars for spec in alone.values())


def test_the_sites_manifest_is_parsed_once_for_the_readers_that_only_read_it_and_again_when_replaced(tmp_path):
    import os

    from sitegen.write import MANIFEST, read_manifest

    out = tmp_path / "site"
    out.mkdir()
    (out / MANIFEST).write_bytes(b'{"files": {"a.html": ["k", "h", 1]}}\n')
    first = read_manifest(out, shared=True)
    assert first == {"files": {"a.html": ["k", "h", 1]}}
    assert read_manifest(out, shared=True) is first  # the --out checks and the staging: one parse
    assert read_manifest(out) is not first and read_manifest(out) == first  # a caller that changes it: its own
    # A build replaces the manifest (a new file moved in place): read again, even with the same size.
    tmp = out / "m.tmp"
    tmp.write_bytes(b'{"files": {"b.html": ["k", "h", 1]}}\n')
    os.replace(tmp, out / MANIFEST)
    assert read_manifest(out, shared=True) == {"files": {"b.html": ["k", "h", 1]}}
    (out / MANIFEST).unlink()
    assert read_manifest(out, shared=True) is None and read_manifest(out) is None


def test_the_templates_compiled_code_is_kept_for_the_next_build_checked_against_their_sources(tmp_path, monkeypatch):
    """Each template is compiled once, not at every build (a tenth of a rebuild's time): its code is kept
    beside the build database, used while the template's source is the same, compiled again when it
    changes (a theme's file edited), and thrown away by a full build and by other environment settings."""
    import jinja2

    from helpers import write_corpus
    from sitegen import deps, render
    from sitegen.pipeline import build

    theme = tmp_path / "theme"
    theme.mkdir()
    province = (deps.TEMPLATES / "province.html").read_text("utf-8")
    (theme / "province.html").write_text(province, "utf-8")
    corpus, out = write_corpus(tmp_path), tmp_path / "site"
    build(corpus, out, search=False, workers=1, templates=theme)
    kept = tmp_path / ".site.cache" / "templates"
    [folder] = list(kept.iterdir())
    assert folder.name == render.environment_tag() and len(list(folder.iterdir())) >= 10

    compiled: list[str] = []
    real = jinja2.Environment._compile

    def spy(self, source, filename):
        compiled.append(Path(filename).name)
        return real(self, source, filename)
    monkeypatch.setattr(jinja2.Environment, "_compile", spy)
    build(corpus, out, search=False, workers=1, incremental=False)  # every page rendered, every template
    assert "plan.html" in compiled and "base.html" in compiled
    compiled.clear()
    (corpus / "plans" / "quang-ninh-2020.yaml").write_text(
        (corpus / "plans" / "quang-ninh-2020.yaml").read_text("utf-8").replace('note: ""', 'note: "sửa"', 1), "utf-8")
    report = build(corpus, out, search=False, workers=1)
    assert report.written and compiled == []  # the pages made again, with the kept code
    (theme / "province.html").write_text(province.replace("{% block main %}", '{% block main %}<p class="t">t</p>', 1),
                                         "utf-8")
    for cached in (deps.template_closure, deps.template_digest):
        cached.cache_clear()  # the digests of one process are kept; a build is a process of its own
    build(corpus, out, search=False, workers=1, templates=theme)
    assert b"<p class=\"t\">t</p>" in (out / "provinces" / "quang-ninh.html").read_bytes(), compiled
    assert compiled == ["province.html"]
    assert b'<p class="t">t</p>' in (out / "provinces" / "quang-ninh.html").read_bytes()
    # Another setting of the environment (render.py edited, or another jinja2): the old code is not used.
    stale = kept / "other-settings"
    stale.mkdir()
    (stale / "__jinja2_x.cache").write_bytes(b"")
    build(corpus, out, search=False, workers=1)
    assert [f.name for f in kept.iterdir()] == [render.environment_tag()]
