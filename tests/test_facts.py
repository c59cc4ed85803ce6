"""Issue 19, items 2-3: the pages that sum up every plan (the home page, the plan list, the category
overviews, the matrices, the province list, the methodology, the instrument pages) read small derived
facts (sitegen/pages/facts.py) made per plan or per unit, not every plan: an edit that changes nothing
they show recomputes the facts with the same values and the rebuild stops there (early cutoff), an
edit of a value they show makes again the pages that show it, and the incremental result equals a
clean build byte for byte."""
from __future__ import annotations

import re
import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from helpers import REAL_CORPUS, spy_jobs, tree_diff
from sitegen.normalize import category_groups, province_summaries
from sitegen.options import SiteOptions
from sitegen.pages import Digests, Kit, PageJob, home as home_pages
from sitegen.pages.facts import Facts, PlanLine, UnitPlan, facts_of
from sitegen.pages.reads import TABLES, UndeclaredRead, covered, unit_of, value_digest
from sitegen.pipeline import build, gather

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

SPLIT = 4  # split_max_plans: the generated corpus of 12 plans gets the split design

# The jobs of the pages that sum up every plan (or every plan citing an instrument), by name.
SUMMING_UP = ("home.home", "plans.plan_list_pages", "provinces.province_list", "legal.legal_index",
              "legal.instrument", "legal.instrument_provinces", "matrices.matrices(")
# On a split site, also these (unsplit, they list every target with its note, or every plan's provenance).
SUMMING_UP_SPLIT = ("categories.category(", "categories.category_list", "reference.methodology")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    import generate

    return generate.generate(12, tmp_path_factory.mktemp("facts") / "corpus", seed=3)


def _plan_file(work: Path, n: int) -> Path:
    return sorted((work / "plans").glob("*.yaml"))[n]


def _edit_target(path: Path, target_id: str, field: str, value: str) -> None:
    """Set one field of one target in a plan's YAML (the line under its `- id:`)."""
    text = path.read_text("utf-8")
    start = text.index(f'  - id: "{target_id}"\n')
    end = text.find("\n  - id:", start + 1)
    end = len(text) if end < 0 else end
    block, n = re.subn(rf"(?m)^(    {field}: ).*$", lambda m: m.group(1) + value, text[start:end], count=1)
    assert n == 1, (path, target_id, field)
    path.write_text(text[:start] + block + text[end:], "utf-8")


def _targets(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text("utf-8"))["targets"]


def _build(work: Path, out: Path, split: bool, **kw) -> None:
    build(work, out, search=False, workers=1, **({"split_max_plans": SPLIT} if split else {}), **kw)


@pytest.mark.parametrize("split", [False, True], ids=["unsplit", "split"])
def test_a_note_edit_leaves_every_page_that_sums_up_plans_alone(corpus: Path, tmp_path: Path, monkeypatch, split):
    """A target's note is shown on its plan's page and the pages listing that target, never on a
    page that sums up plans: those jobs are carried over."""
    work = shutil.copytree(corpus, tmp_path / "corpus")
    site = tmp_path / "site"
    _build(work, site, split)
    victim = _plan_file(work, 5)
    _edit_target(victim, _targets(victim)[0]["id"], "note", '"ghi chú sửa để thử"')
    ran = spy_jobs(monkeypatch)
    _build(work, site, split)
    plan_id = victim.stem
    assert f"plans.plan_page('{plan_id}',)" in ran  # the edit did reach the build
    names = SUMMING_UP + (SUMMING_UP_SPLIT if split else ())
    assert [n for n in ran if n.startswith(names)] == []
    clean = tmp_path / "clean"
    _build(work, clean, split, incremental=False)
    assert tree_diff(site, clean) == []


def _latest_first_target(work: Path) -> tuple[Path, dict]:
    """A plan and its first top-level target: on the split site, the latest value of its unit's row of
    that target's group on its category's overview (each plan of this corpus is its unit's only one)."""
    site = gather(work).site
    units = [unit_of(p) for p in site.corpus.plans]
    path = _plan_file(work, 5)
    p = next(p for p in site.corpus.plans if p.id == path.stem)
    assert units.count(unit_of(p)) == 1
    tg = next(t for t in _targets(path) if t["parent"] is None)
    return path, tg


def _edit_value(path: Path, tg: dict) -> None:
    """Raise a target's value by 7; its quote says the value, so the quote and the plan's text follow,
    as an editor would write them."""
    old, new = str(tg["value"]), str(tg["value"] + 7)
    old_quote = tg["quote"]
    new_quote = re.sub(rf"(?<!\d){old}(?!\d)", new, old_quote, count=1)
    assert new_quote != old_quote
    _edit_target(path, tg["id"], "value", new)
    path.write_text(path.read_text("utf-8").replace(old_quote, new_quote), "utf-8")
    md = path.with_suffix(".md")
    md.write_text(md.read_text("utf-8").replace(old_quote, new_quote), "utf-8")


def test_a_value_edit_remakes_the_overview_of_its_category_only(corpus: Path, tmp_path: Path, monkeypatch):
    work = shutil.copytree(corpus, tmp_path / "corpus")
    site = tmp_path / "site"
    _build(work, site, True)
    path, tg = _latest_first_target(work)
    _edit_value(path, tg)
    ran = spy_jobs(monkeypatch)
    _build(work, site, True)
    overviews = {n for n in ran if n.startswith("categories.category(")}
    assert overviews == {f"categories.category('{tg['category']}',)"}
    # The plan list and the province list show no value; the category list counts targets (the same).
    assert not [n for n in ran if n.startswith(("plans.plan_list_pages", "provinces.province_list",
                                                "categories.category_list", "matrices.matrices("))]
    clean = tmp_path / "clean"
    _build(work, clean, True, incremental=False)
    assert tree_diff(site, clean) == []


def test_a_fact_recomputed_with_the_same_value_keeps_its_digest_and_one_edit_changes_one_units_share(
        corpus: Path, tmp_path: Path):
    """Early cutoff, in the digests: a note edit changes the plan's digest and its unit's, but no
    fact's; a value edit changes the share of the plan's unit in its category and no other unit's."""
    work = shutil.copytree(corpus, tmp_path / "corpus")
    options = SiteOptions(split_max_plans=SPLIT)

    def digests() -> Digests:
        return Digests(replace(gather(work).site, options=options))
    before = digests()
    path, tg = _latest_first_target(work)
    _edit_target(path, tg["id"], "note", '"một ghi chú"')
    after = digests()
    unit = unit_of(next(p for p in after.site.corpus.plans if p.id == path.stem))
    assert before.of(("plan", path.stem)) != after.of(("plan", path.stem))
    assert before.of(("unit", unit)) != after.of(("unit", unit))
    cats = list(after.site.corpus.lookups.categories)
    facts = [("plan_lines",), ("matrix_columns",), ("headlines",), ("matrix_counts",), ("unit_heads", unit),
             ("unit_quotes", unit),
             *(("category_summary", c) for c in cats)]
    assert [f for f in facts if before.of(f) != after.of(f)] == []

    _edit_value(path, tg)
    again = digests()
    assert [f for f in facts if after.of(f) != again.of(f)] == [("category_summary", tg["category"])]
    old, new = facts_of(after.lean.site), facts_of(again.lean.site)
    units = sorted({unit_of(p) for p in again.site.corpus.plans})
    changed = [u for u in units if value_digest(old.unit_shares(u)) != value_digest(new.unit_shares(u))]
    assert changed == [unit]


def test_the_category_summary_is_the_province_summaries_of_the_category_groups():
    """facts.Facts merges each unit's share of each group; normalize's category groups and
    province_summaries give the same groups and summaries (an oracle computed the other way, from
    every plan's target rows)."""
    site = gather(REAL_CORPUS).site
    facts = Facts(site)
    plans = {p.id: p for p in site.corpus.plans}
    compared = 0
    for cat in site.corpus.lookups.categories:
        expected = []
        for g in category_groups(site.tables.targets, cat):
            targets = [next(t for t in plans[r.plan_id].targets if t.id == r.target_id) for r in g.rows]
            summaries = province_summaries(targets, plans, unit_of)
            expected.append((g.key, g.subjects, [(u, s.province, len(s.targets), s.lowest.id, s.highest.id,
                                                  s.latest.plan_id, s.latest.id, s.drawn)
                                                 for u, s in summaries.items()]))
        got = [(g.key, g.subjects, [(s.key, s.province, s.n_targets, s.lowest.id, s.highest.id, s.latest.plan_id,
                                     s.latest.id, s.drawn) for s in summaries])
               for g, summaries in facts.value(("category_summary", cat))]
        assert got == expected
        compared += len(got)
    assert compared >= 10
    # No summary carries what no summing-up page shows: the targets' notes.
    assert all(not s.latest.note and not s.lowest.note and not s.highest.note
               for cat in site.corpus.lookups.categories for _, ss in facts.value(("category_summary", cat))
               for s in ss)
    assert any(t.note for p in site.corpus.plans for t in p.targets)


def test_the_plan_lines_and_unit_heads_name_each_plan_as_its_heading_does():
    site = gather(REAL_CORPUS).site
    facts = Facts(site)
    lines = facts.value(("plan_lines",))
    assert [line.id for line in lines] == [p.id for p in site.corpus.plans] and lines
    for line, p in zip(lines, site.corpus.plans):
        assert isinstance(line, PlanLine)
        assert (line.province, line.year, line.number, line.unit, line.targets_state, line.n_targets, line.n_top) == \
            (p.province, p.year, p.number, unit_of(p), p.targets_state, len(p.targets), len(p.top_targets))
    heads = facts.value(("unit_heads", "tuyen-quang"))
    assert [h.id for h in heads] == [p.id for p in site.corpus.plans if unit_of(p) == "tuyen-quang"] and heads
    assert all(isinstance(h, UnitPlan) for h in heads)


def test_a_job_reading_a_fact_it_did_not_declare_fails():
    site = replace(gather(REAL_CORPUS).site, options=SiteOptions(split_max_plans=2))
    (job,) = home_pages.jobs(site)
    assert ("headlines",) in job.reads and ("plans",) not in job.reads
    assert len(job.run(Kit(site, "vi"))) == 1
    for fact in (("headlines",), ("plan_lines",), ("matrix_columns",)):
        with pytest.raises(UndeclaredRead, match=re.escape(repr(fact))):
            PageJob(home_pages.home, reads=job.reads - {fact}, lang="vi").run(Kit(site, "vi"))


def test_what_covers_a_fact():
    province_of = {}.get
    assert covered(frozenset({("plan_lines",)}), ("plan_lines",), province_of)
    assert covered(frozenset({("plans",)}), ("plan_lines",), province_of)
    assert covered(frozenset({("unit", "tra-vinh")}), ("unit_heads", "tra-vinh"), province_of)
    assert not covered(frozenset({("unit", "vinh-long")}), ("unit_heads", "tra-vinh"), province_of)
    # A category's summary is made of the plans and of the subjects (their groups): every plan is not enough.
    assert not covered(frozenset({("plans",)}), ("category_summary", "training"), province_of)
    assert covered(TABLES, ("category_summary", "training"), province_of)
    assert not covered(frozenset({("category_summary", "media")}), ("category_summary", "training"), province_of)


def _spy_unit_records(monkeypatch) -> list[str]:
    """The units whose digests (Facts.unit_record) are computed from now on."""
    made: list[str] = []
    real = Facts.unit_record

    def spy(self, unit):
        made.append(unit)
        return real(self, unit)
    monkeypatch.setattr(Facts, "unit_record", spy)
    return made


@pytest.mark.parametrize("split", [False, True], ids=["unsplit", "split"])
def test_facts_kept_between_builds_are_recomputed_only_for_the_unit_whose_inputs_changed(
        corpus: Path, tmp_path: Path, monkeypatch, split):
    """Each unit's fact digests are kept in the build database by its plans' digests and the groups'
    shapes: a rebuild with nothing changed computes none, a value edit computes its unit's alone, and
    the rebuilds that reuse the others equal a clean build byte for byte."""
    work = shutil.copytree(corpus, tmp_path / "corpus")
    site = tmp_path / "site"
    made = _spy_unit_records(monkeypatch)
    _build(work, site, split)
    units = sorted({unit_of(p) for p in gather(work).site.corpus.plans})
    assert sorted(made) == units  # the full build computes every unit's, and keeps them
    made.clear()
    _build(work, site, split)
    assert made == []
    path, tg = _latest_first_target(work)
    _edit_value(path, tg)
    ran = spy_jobs(monkeypatch)
    _build(work, site, split)
    assert made == [unit_of(next(p for p in gather(work).site.corpus.plans if p.id == path.stem))]
    if split:  # the value is on its category's overview: its share's digest changed
        assert f"categories.category('{tg['category']}',)" in ran
    clean = tmp_path / "clean"
    _build(work, clean, split, incremental=False)
    assert tree_diff(site, clean) == []


def test_a_kept_fact_is_taken_as_it_was_kept_and_a_full_build_ignores_it(corpus: Path, tmp_path: Path):
    """The digests kept under a unit's token are what the next build's keys are made of (a record
    changed in the database changes them), and a full build (incremental=False) computes them again."""
    import sqlite3
    import pickle

    from sitegen.cache import JobRecords
    from sitegen.jobkeys import digests_for

    work = shutil.copytree(corpus, tmp_path / "corpus")
    site = tmp_path / "site"
    _build(work, site, True)
    records = JobRecords(site)

    def summary_digest(read: bool) -> str:
        g = gather(work, cache_for=site)
        facts_site = replace(g.site, options=SiteOptions(split_max_plans=SPLIT))
        return digests_for(facts_site, g.blocks, JobRecords(site, read=read)).of(("category_summary", cat))
    cat = next(iter(gather(work).site.corpus.lookups.categories))
    kept = summary_digest(True)
    assert kept == summary_digest(False)  # the same value, kept or computed
    with sqlite3.connect(records.path) as conn:
        rows = conn.execute("SELECT key, value FROM facts").fetchall()
        assert rows
        for key, value in rows:
            record = pickle.loads(value)
            if "shares" in record:
                record["shares"] = {c: "tampered" for c in record["shares"]}
                conn.execute("UPDATE facts SET value = ? WHERE key = ?", (pickle.dumps(record), key))
    assert summary_digest(True) != kept  # taken from the database as it is there
    assert summary_digest(False) == kept  # not read by a full build
