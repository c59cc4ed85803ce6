"""Declared inputs (sitegen/pages/reads.py): every page job (and data file) says what it reads; a job
that reads anything else fails; an incremental build makes again exactly the jobs whose declared
inputs, code or templates changed, and its result equals a clean build."""
from __future__ import annotations

import shutil
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from helpers import REAL_CORPUS, TQ_2026, lineage_corpus, site_pages
from sitegen import deps, export
from sitegen.options import SiteOptions
from sitegen.pages import (Digests, Kit, PageJob, chart_pages, chart_reads, job_key, kits, page_jobs, plan_jobs,
                           templates_of)
from sitegen.pages import categories as category_pages
from sitegen.pages import legal as legal_pages
from sitegen.pages.kit import Page
from sitegen.pages.reads import BASE_READS, TABLES, UndeclaredRead, covered, unit_of
from sitegen.pipeline import build, gather

CT36 = "chi-thi-36-ct-tw-2019-08-16"  # cited by Quảng Ninh 2021 and Trà Vinh 2022
TRA_VINH = "tra-vinh-2022"
DRAFT = "tra-vinh-2023-nhap"


def with_draft(root: Path) -> Path:
    """A corpus folder plus an unreviewed draft (a copy of the Trà Vinh plan for 2023, status: draft)."""
    md = (root / "plans" / f"{TRA_VINH}.md").read_text("utf-8")
    for old, new in ((f"id: {TRA_VINH}\n", f"id: {DRAFT}\nstatus: draft\nreview: [targets]\n"),
                     ("period: 2022\n", "period: 2023\n")):
        assert md.count(old) == 1, old
        md = md.replace(old, new)
    (root / "plans" / f"{DRAFT}.md").write_text(md, "utf-8")
    shutil.copy(root / "plans" / f"{TRA_VINH}.yaml", root / "plans" / f"{DRAFT}.yaml")
    return root


@pytest.fixture(scope="module")
def lineage_root(tmp_path_factory) -> Path:
    """The real corpus with a 2026 plan of the new Tuyên Quang (a present-day page with a plan of its
    own), a replaced legal basis (helpers.lineage_corpus) and a draft."""
    return with_draft(lineage_corpus(tmp_path_factory.mktemp("declared")))


@pytest.fixture(scope="module")
def site():
    return gather(REAL_CORPUS).site


# ---------------------------------------------------------------- the check


def _instrument_job(site) -> PageJob:
    job = next(j for j in page_jobs(site) if j.make is legal_pages.instrument and j.args[0].id == CT36)
    assert job.lang == "vi" and ("instrument", CT36) in job.reads
    return job


def test_a_job_reading_only_what_it_declares_makes_its_pages(site):
    (page,) = _instrument_job(site).run(Kit(site, "vi"))
    assert page.path == f"legal/{CT36}.html" and page.page.citing


@pytest.mark.parametrize("kind", ["years", "unit_heads"])
def test_a_job_that_reads_an_input_it_did_not_declare_fails(site, kind):
    """The plans citing an instrument: their labels tell plans of one province and year apart (the
    years of a province's plans), and their units' heads show a delay (a derived fact, facts.py)."""
    job = _instrument_job(site)
    found = sorted(r for r in job.reads if r[0] == kind)
    assert found
    narrower = replace(job, reads=job.reads - {found[0]})
    with pytest.raises(UndeclaredRead, match=f"legal.instrument.*{found[0][1]}"):
        narrower.run(Kit(site, "vi"))


def test_every_way_into_the_data_is_recorded(site):
    """Reads through the plans, the index, the corpus, the lookups, the registry and the options."""
    reads = {
        "plans[id]": (lambda k: k.plans[TRA_VINH], ("plan", TRA_VINH)),
        "corpus.plans": (lambda k: k.corpus.plans, ("plans",)),
        "index by province": (lambda k: k.ix.by_province["Trà Vinh"], ("province", "Trà Vinh")),
        "a lookup": (lambda k: k.lk.units, ("lookup", "units")),
        "the registry": (lambda k: k.site.instruments[CT36], ("entry", CT36)),
        "the citations of an instrument": (lambda k: k.ix.cites_of_inst[CT36], ("instrument", CT36)),
        "a province's plans' years": (lambda k: k.ix.twins[("Trà Vinh", 2022)], ("years", "Trà Vinh")),
        "whether a province has plans": (lambda k: "Trà Vinh" in k.ix.by_province, ("years", "Trà Vinh")),
        "every citation": (lambda k: k.site.citations, ("citations",)),
        "an option": (lambda k: k.options.plan_list_page_size, ("option", "plan_list_page_size")),
        "the tables": (lambda k: k.site.tables, ("tables",)),
        "the drafts": (lambda k: k.corpus.drafts, ("drafts",)),
        "a unit's plans": (lambda k: k.ix.by_unit["tra-vinh"], ("unit", "tra-vinh")),
        "the province table": (lambda k: k.ix.units["tra-vinh"], ("lookup", "provinces")),
        "which units have a page": (lambda k: "tra-vinh" in k.ix.unit_pages, ("unit_pages",)),
        "the site settings": (lambda k: k.corpus.settings, ("settings",)),
        "every plan's line (a fact)": (lambda k: k.facts.plan_lines, ("plan_lines",)),
        "a category's summary by unit": (lambda k: k.facts.category_summary("communication"),
                                         ("category_summary", "communication")),
        "a unit's heads": (lambda k: k.facts.unit_plans("tra-vinh"), ("unit_heads", "tra-vinh")),
        "a plan's head in its unit's": (lambda k: k.facts.unit_plan(TRA_VINH), ("unit_heads", "tra-vinh")),
        "the categories chart's columns": (lambda k: k.facts.matrix_columns, ("matrix_columns",)),
        "the home page's groups": (lambda k: k.facts.headlines, ("headlines",)),
        "the matrices' counts": (lambda k: k.facts.matrix_counts, ("matrix_counts",)),
        "a unit's plans' quotes": (lambda k: k.facts.unit_quotes("tra-vinh"), ("unit_quotes", "tra-vinh")),
    }
    for name, (read, expected) in reads.items():
        k = Kit(site, "vi")
        k.record.take()
        read(k)
        assert k.record.take() == {expected}, name

    def sneaky(k: Kit) -> Page:
        k.plans[TRA_VINH]  # declared: only its own province
        return legal_pages.instrument(k, site.instruments[CT36])
    with pytest.raises(UndeclaredRead, match="plan"):
        PageJob(sneaky, reads=frozenset({("instrument", CT36)}), lang="vi").run(Kit(site, "vi"))


@pytest.mark.parametrize("split", [False, True], ids=["unsplit", "split"])
def test_every_job_of_the_site_reads_only_what_it_declares(site, split):
    site = replace(site, options=SiteOptions(split_max_plans=2)) if split else site
    made, _ = site_pages(site, plans=True)  # job.run checks each job's reads
    assert len(made) > 100


@pytest.mark.parametrize("split", [False, True], ids=["unsplit", "split"])
def test_lineage_pages_present_day_pages_and_drafts_read_only_what_they_declare(lineage_root, split):
    site = gather(lineage_root).site
    assert [p.id for p in site.corpus.drafts] == [DRAFT] and TQ_2026 in {p.id for p in site.corpus.plans}
    site = replace(site, options=SiteOptions(split_max_plans=2)) if split else site
    made, _ = site_pages(site, plans=True)  # job.run checks each job's reads
    paths = {page.path for page in made}
    assert {"provinces/tuyen-quang-2025.html", f"plans/{DRAFT}.html", f"en/plans/{DRAFT}.html"} <= paths
    present = next(j for j in page_jobs(site) if j.lang == "vi" and j.args == ("tuyen-quang-2025",))
    # The present-day page reads the plans of the unit and of the units it was formed from.
    assert {("unit", "tuyen-quang-2025"), ("unit", "tuyen-quang"), ("unit", "ha-giang"),
            ("lookup", "provinces")} <= present.reads


def test_the_declarations_cover_wider_reads_only_by_what_they_hold(site):
    province_of = {p.id: p.province for p in site.corpus.plans}.get
    assert covered(frozenset({("plans",)}), ("plan", TRA_VINH), province_of)
    assert covered(frozenset({("province", "Trà Vinh")}), ("plan", TRA_VINH), province_of)
    assert not covered(frozenset({("province", "Quảng Ninh")}), ("plan", TRA_VINH), province_of)
    assert covered(frozenset({("instruments",)}), ("instrument", CT36), province_of)
    assert not covered(frozenset({("instrument", CT36)}), ("instruments",), province_of)
    # A registry entry alone is held by the entry with its citations, not the other way round.
    assert covered(frozenset({("instrument", CT36)}), ("entry", CT36), province_of)
    assert covered(frozenset({("instruments",)}), ("entry", CT36), province_of)
    assert not covered(frozenset({("entry", CT36)}), ("instrument", CT36), province_of)
    # A province's plans' years are held by its plans and by every plan's heading.
    assert covered(frozenset({("province", "Trà Vinh")}), ("years", "Trà Vinh"), province_of)
    assert covered(frozenset({("plan_heads",)}), ("years", "Trà Vinh"), province_of)
    assert not covered(frozenset({("years", "Trà Vinh")}), ("province", "Trà Vinh"), province_of)
    assert not covered(frozenset({("province", "Quảng Ninh")}), ("years", "Trà Vinh"), province_of)
    # The tidy tables are made of every plan and the subjects and categories tables: all three cover them.
    assert covered(TABLES, ("tables",), province_of)
    assert not covered(frozenset({("plans",), ("lookup", "subjects")}), ("tables",), province_of)
    unit_of = {TRA_VINH: "tra-vinh"}.get
    assert covered(frozenset({("unit", "tra-vinh")}), ("plan", TRA_VINH), province_of, unit_of)
    assert not covered(frozenset({("unit", "vinh-long")}), ("plan", TRA_VINH), province_of, unit_of)
    assert covered(frozenset({("plans",)}), ("unit_pages",), province_of)
    # A draft is in no province, unit or the plans: only its own read or ("drafts",) covers it.
    drafts = frozenset({DRAFT})
    draft_of = {DRAFT: "Trà Vinh"}.get
    assert not covered(frozenset({("plans",), ("province", "Trà Vinh")}), ("plan", DRAFT), draft_of, drafts=drafts)
    assert covered(frozenset({("drafts",)}), ("plan", DRAFT), draft_of, drafts=drafts)
    assert covered(frozenset({("plan", DRAFT)}), ("plan", DRAFT), draft_of, drafts=drafts)


# ---------------------------------------------------------------- what a change makes again


def _all_jobs(site) -> list[PageJob]:
    return [*page_jobs(site), *(j for one in plan_jobs(site).values() for j in one.values())]


def _pages_jobs(ran: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """The page jobs of those made, without the jobs of charts' own pages (made for the charts the
    pages drew: see test_chart_pages_read_only_the_plans_their_data_names)."""
    return {r for r in ran if not r[1].startswith("charts.chart_pages(")}


def _spy(monkeypatch) -> list[tuple[str, str]]:
    """Record every job made (not carried over)."""
    ran: list[tuple[str, str]] = []
    real = PageJob.run

    def run(self, kit):
        ran.append((self.lang, self.name))
        return real(self, kit)
    monkeypatch.setattr(PageJob, "run", run)
    return ran


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != ".build-manifest.json"}


def test_changing_one_plan_makes_again_exactly_the_jobs_that_declare_it(tmp_path, monkeypatch):
    corpus = shutil.copytree(REAL_CORPUS, tmp_path / "corpus")
    out = tmp_path / "site"
    build(corpus, out, search=False, workers=1)
    before = gather(corpus).site
    md = corpus / "plans" / f"{TRA_VINH}.md"
    md.write_text(md.read_text("utf-8").replace("Nguồn chỉ gồm nội dung", "Nguồn chỉ gồm toàn bộ nội dung", 1),
                  "utf-8")
    after = gather(corpus).site
    # Which inputs changed, by their digests; and so which jobs declare a changed input.
    old, new = Digests(before), Digests(after)
    jobs = _all_jobs(after)
    reads = {r for j in jobs for r in j.reads | BASE_READS}
    changed = {r for r in reads if old.of(r) != new.of(r)}
    assert changed == {("plan", TRA_VINH), ("province", "Trà Vinh"), ("unit", "tra-vinh"), ("plans",)}
    expected = {(j.lang, j.name) for j in jobs if (j.reads | BASE_READS) & changed}
    ran = _spy(monkeypatch)
    data_made = []
    real_plan_files = export.plan_files

    def plan_files(p, *args):
        data_made.append(p.id)
        return real_plan_files(p, *args)
    monkeypatch.setattr(export, "plan_files", plan_files)
    build(corpus, out, search=False, workers=1)
    assert _pages_jobs(ran) == expected
    # Of each plan's own data files (which declare their plan), only the edited plan's are made again.
    assert data_made == [TRA_VINH]
    # A page listing every plan's provenance is made again; those that read other plans are carried
    # over, and so are the pages that sum up every plan from derived facts (facts.py), none of which
    # shows a provenance: the facts are recomputed with the same values.
    names = {name for _, name in _pages_jobs(ran)}
    assert "reference.methodology()" in names and "plans.plan_page('tra-vinh-2022',)" in names
    assert not names & {"home.home()", "plans.plan_list_pages()", "provinces.province_list()"}
    assert not any(n.startswith("provinces.province('Quảng Ninh'") or "quang-ninh" in n for n in names)
    assert not any(n.startswith(("reference.search", "reference.data_page")) for n in names)
    instrument_jobs = {(j.lang, j.name) for j in jobs if j.make is legal_pages.instrument}
    # Those citing plans of Trà Vinh too: they show the citing plans' heads (facts.UnitPlan), not their provenance.
    assert instrument_jobs and not instrument_jobs & set(ran)
    clean = tmp_path / "clean"
    build(corpus, clean, search=False, workers=1, incremental=False)
    assert _files(out) == _files(clean)


def test_changing_a_draft_makes_again_only_its_page_and_the_plan_list(tmp_path, monkeypatch, lineage_root):
    corpus = shutil.copytree(lineage_root, tmp_path / "corpus")
    out = tmp_path / "site"
    build(corpus, out, search=False, workers=1)
    md = corpus / "plans" / f"{DRAFT}.md"
    md.write_text(md.read_text("utf-8").replace("review: [targets]", "review: [targets, title]", 1), "utf-8")
    ran = _spy(monkeypatch)
    build(corpus, out, search=False, workers=1)
    assert _pages_jobs(ran) == {(lang, name) for lang in ("vi", "en")
                        for name in (f"plans.plan_page('{DRAFT}',)", "plans.plan_list_pages()")}
    clean = tmp_path / "clean"
    build(corpus, clean, search=False, workers=1, incremental=False)
    assert _files(out) == _files(clean)


def test_changing_the_province_table_makes_again_the_pages_that_read_it(tmp_path, monkeypatch, lineage_root):
    corpus = shutil.copytree(lineage_root, tmp_path / "corpus")
    out = tmp_path / "site"
    build(corpus, out, search=False, workers=1)
    table = corpus / "provinces.yaml"
    text = table.read_text("utf-8")
    assert text.count("en: Ha Giang\n") == 1
    table.write_text(text.replace("en: Ha Giang\n", "en: Ha Giang (former)\n"), "utf-8")
    site = gather(corpus).site
    expected = {(j.lang, j.name) for j in _all_jobs(site) if ("lookup", "provinces") in j.reads}
    ran = _spy(monkeypatch)
    build(corpus, out, search=False, workers=1)
    assert _pages_jobs(ran) == expected and any(n.startswith("provinces.") for _, n in ran)
    assert ("vi", "reference.search()") not in ran
    clean = tmp_path / "clean"
    build(corpus, clean, search=False, workers=1, incremental=False)
    assert _files(out) == _files(clean)


def test_an_unchanged_corpus_makes_no_job_again(tmp_path, monkeypatch):
    out = tmp_path / "site"
    build(REAL_CORPUS, out, search=False, workers=1)
    ran = _spy(monkeypatch)
    build(REAL_CORPUS, out, search=False, workers=1)
    assert ran == []


def test_a_template_change_makes_again_exactly_the_jobs_that_render_it(tmp_path, monkeypatch):
    # The change is made in a theme folder (SiteOptions.templates) overriding province.html by name.
    theme = tmp_path / "theme"
    theme.mkdir()
    shutil.copy(deps.TEMPLATES / "province.html", theme / "province.html")
    out = tmp_path / "site"
    build(REAL_CORPUS, out, search=False, workers=1, templates=theme)
    # A comment: the pages' bytes stay the same, but the jobs rendering the template are made again.
    with open(theme / "province.html", "a", encoding="utf-8") as fh:
        fh.write("{# changed #}\n")
    for cached in (deps.template_closure, deps.template_digest):
        cached.cache_clear()  # the digests of one process are kept; a build is a process of its own
    site = gather(REAL_CORPUS).site
    expected = {(j.lang, j.name) for j in _all_jobs(site)
                if "province.html" in deps.template_closure(*templates_of(j.make.__module__), override=theme)}
    assert expected and all(n.startswith("provinces.") for _, n in expected)
    ran = _spy(monkeypatch)
    build(REAL_CORPUS, out, search=False, workers=1, templates=theme)
    assert _pages_jobs(ran) == expected


def test_a_templates_folder_overrides_the_default_templates_by_name(tmp_path, monkeypatch):
    """A theme's file is used instead of the default of the same name, a partial too; the others stay;
    moving to and from a theme rebuilds exactly as a clean build would."""
    theme = tmp_path / "theme"
    (theme / "_partials").mkdir(parents=True)
    province = (deps.TEMPLATES / "province.html").read_text("utf-8")
    assert province.count("{% block main %}") == 1
    (theme / "province.html").write_text(
        province.replace("{% block main %}", '{% block main %}<p class="theme-mark">theme</p>'), "utf-8")
    lineage = (deps.TEMPLATES / "_partials" / "lineage.html").read_text("utf-8")
    (theme / "_partials" / "lineage.html").write_text(lineage + "<!-- theme partial -->\n", "utf-8")
    out, plain = tmp_path / "site", tmp_path / "plain"
    build(REAL_CORPUS, plain, search=False, workers=1)
    build(REAL_CORPUS, out, search=False, workers=1)
    build(REAL_CORPUS, out, search=False, workers=1, templates=theme)  # incremental, from the plain site
    themed = _files(out)
    provinces = {p for p, data in themed.items() if b'<p class="theme-mark">theme</p>' in data}
    assert {"provinces/quang-ninh.html", "en/provinces/quang-ninh.html"} <= provinces
    assert all(p.startswith(("provinces/", "en/provinces/")) for p in provinces)
    with_partial = {p for p, data in themed.items() if b"<!-- theme partial -->" in data}
    assert provinces < with_partial  # the partial is on the present-day pages too (present.html)
    plain_files = _files(plain)
    assert plain_files.keys() == themed.keys() and all(
        b"<!-- theme partial -->" in themed[p] or themed[p] == plain_files[p] for p in themed)
    clean = tmp_path / "clean"
    build(REAL_CORPUS, clean, search=False, workers=1, templates=theme, incremental=False)
    assert _files(clean) == themed
    build(REAL_CORPUS, out, search=False, workers=1)  # and back to the defaults
    assert _files(out) == plain_files


def test_job_keys_cover_the_code_the_job_runs(site):
    """The code of a key is derived from the imports: the plan page's covers the plan module and the
    kit it imports, and not the legal pages (which it does not import)."""
    modules = deps.closure("sitegen.pages.plans")
    assert {"sitegen.pages.plans", "sitegen.pages.kit", "sitegen.urls", "sitegen.textrender"} <= set(modules)
    assert "sitegen.pages.legal" not in modules and "sitegen.pipeline" not in modules
    assert templates_of("sitegen.pages.plans") == ("link_list.html", "plan.html", "plan_list.html")
    job = plan_jobs(site)["vi"][TRA_VINH]
    digests = Digests(site)
    assert job_key(job, digests) == job_key(job, Digests(site))  # the same inputs, the same key
    assert job_key(job, digests) != job_key(replace(job, lang="en"), digests)


def test_the_build_uses_one_kit_per_language(site):
    assert set(kits(site)) == {"vi", "en"}


# ---------------------------------------------------------------- a split site: one job per province


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A generated corpus of 12 plans in several provinces (built split: split_max_plans=4)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate

    return generate.generate(12, tmp_path_factory.mktemp("split") / "corpus", seed=3)


def test_a_province_s_groups_are_those_the_whole_category_gives_it(generated):
    """Index.unit_groups (what a page of a category and province is made of: the plans signed in the
    unit and the shapes of the category's groups) equals the unit's part of every group of the
    category (groups_with_targets, summaries by unit), in the same order."""
    site = replace(gather(generated).site, options=SiteOptions(split_max_plans=4))
    ix = Kit(site, "vi").ix._ix  # the index itself: this compares two ways of reading it
    checked = 0
    for cat in site.corpus.lookups.categories:
        whole: dict[str, list] = {}
        for g, targets in ix.groups_with_targets(cat):
            for province, s in ix.summaries(g, targets).items():
                whole.setdefault(province, []).append((g.shape, list(s.targets)))
        for unit in sorted({unit_of(p) for p in site.corpus.plans}):
            assert ix.unit_groups(cat, unit) == whole.get(unit, []), (cat, unit)
            checked += bool(whole.get(unit))
    assert checked > 5


def test_a_note_changed_on_a_split_site_makes_again_only_its_province_s_pages_of_categories(generated, tmp_path,
                                                                                             monkeypatch):
    corpus = shutil.copytree(generated, tmp_path / "corpus")
    out = tmp_path / "site"
    build(corpus, out, search=False, workers=1, split_max_plans=4)
    options = SiteOptions(split_max_plans=4)
    before = replace(gather(corpus).site, options=options)
    victim = sorted((corpus / "plans").glob("*.yaml"))[5]
    text = victim.read_text("utf-8")
    assert 'note: ""' in text
    victim.write_text(text.replace('note: ""', 'note: "changed"', 1), "utf-8")
    after = replace(gather(corpus).site, options=options)
    old, new = Digests(before), Digests(after)
    jobs = _all_jobs(after)
    changed = {r for r in {r for j in jobs for r in j.reads | BASE_READS} if old.of(r) != new.of(r)}
    plan = next(p for p in after.corpus.plans if p.id == victim.stem)
    province, unit = plan.province, unit_of(plan)
    # A note changes no group's shape: the other provinces' pages of each category are not made again.
    assert not any(r[0] == "groups" for r in changed) and ("province", province) in changed
    expected = {(j.lang, j.name) for j in jobs if (j.reads | BASE_READS) & changed}
    ran = _spy(monkeypatch)
    build(corpus, out, search=False, workers=1, split_max_plans=4)
    assert _pages_jobs(ran) == expected
    per_province = [n for _, n in ran if n.startswith(("categories.category_provinces", "legal.instrument_provinces",
                                                      "matrices.province_matrices"))]
    assert per_province and all(repr(unit) in n for n in per_province)
    others = {j.name for j in jobs if j.make is category_pages.category_provinces} - {n for _, n in ran}
    assert others  # the other provinces' pages of categories are carried over
    clean = tmp_path / "clean"
    build(corpus, clean, search=False, workers=1, incremental=False, split_max_plans=4)
    assert _files(out) == _files(clean)


def test_a_new_subject_in_a_category_changes_the_shape_of_its_groups(generated, tmp_path):
    """("groups", category) is made of the subjects, families and units of the category's targets
    across every plan: a target of another subject or unit changes it, a changed note does not."""
    corpus = shutil.copytree(generated, tmp_path / "corpus")
    before = Digests(gather(corpus).site)
    victim = sorted((corpus / "plans").glob("*.yaml"))[5]
    text = victim.read_text("utf-8")
    site = gather(corpus).site
    tg = next(p for p in site.corpus.plans if p.id == victim.stem).targets[0]
    other = next(u for u in site.corpus.lookups.units if u != tg.unit)
    assert f'unit: "{tg.unit}"\n' in text
    victim.write_text(text.replace(f'unit: "{tg.unit}"\n', f'unit: "{other}"\n', 1), "utf-8")
    after = Digests(gather(corpus).site)
    assert before.of(("groups", tg.category)) != after.of(("groups", tg.category))
    others = [c for c in gather(corpus).site.corpus.lookups.categories if c != tg.category]
    assert any(before.of(("groups", c)) == after.of(("groups", c)) for c in others)


def test_the_groups_read_is_covered_by_the_tables():
    province_of = {}.get
    assert covered(TABLES, ("groups", "communication"), province_of)
    assert covered(frozenset({("tables",)}), ("groups", "communication"), province_of)
    assert not covered(frozenset({("plans",)}), ("groups", "communication"), province_of)
    assert not covered(frozenset({("groups", "training")}), ("groups", "communication"), province_of)


def test_chart_pages_read_only_the_plans_their_data_names(site):
    """The build makes a chart's own pages as a job declaring chart_reads: it passes for every chart. A
    chart whose points carry their targets' deadlines (a comparison, latest values) reads no plan, so
    that an edit of a plan that leaves the chart as it was leaves its pages alone; one whose data names
    plans and values without them reads those plans (Kit.chart_deadlines), and its job fails when the
    declaration leaves them out."""
    _, charts = site_pages(site)
    by_lang = kits(site)
    for (lang, cid), chart in sorted(charts.items()):
        job = PageJob(chart_pages, ({cid: (chart, "index.html")},), reads=chart_reads(chart), lang=lang)
        assert len(job.run(by_lang[lang])) == 2
    points = [c for (lang, _), c in sorted(charts.items()) if lang == "vi" and "target_id" in c.csv_columns]
    assert points and all(chart_reads(c) == frozenset() for c in points)
    # The same chart without its points' target ids and deadlines: its deadlines are read in its plans.
    chart = points[0]
    keep = [i for i, c in enumerate(chart.csv_columns) if c not in ("target_id", "deadline")]
    bare = replace(chart, csv_columns=tuple(chart.csv_columns[i] for i in keep),
                   csv_rows=tuple(tuple(row[i] for i in keep) for row in chart.csv_rows))
    assert chart_reads(bare) and all(r[0] == "plan" for r in chart_reads(bare))
    job = PageJob(chart_pages, ({bare.id: (bare, "index.html")},), reads=chart_reads(bare), lang="vi")
    assert len(job.run(by_lang["vi"])) == 2
    with pytest.raises(UndeclaredRead, match="plan"):
        PageJob(chart_pages, ({bare.id: (bare, "index.html")},), lang="vi").run(by_lang["vi"])
