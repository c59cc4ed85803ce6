"""Category pages of a large corpus: above SiteOptions.split_max_plans plans a category page becomes an overview
(per comparability group, a row per province and a chart of each province's latest value) and the
targets move to one page per category and province. At or below the threshold nothing changes.

The corpus here is the real one plus two later plans of Quảng Ninh (same year, different issue
dates) whose values are changed, with the threshold lowered instead of generating 61 plans.
"""
from __future__ import annotations

import posixpath
from dataclasses import replace

import orjson
import pytest

from helpers import REAL_CORPUS, job_pages, later_plan, site_pages
from helpers import drawn as charts_of
from sitegen.i18n import t
from sitegen.textutil import slugify
from sitegen.normalize import tables as make_tables
from sitegen.options import SiteOptions
from sitegen.pages import Kit, SiteData
from sitegen.pages import categories as category_pages, provinces as province_pages
from sitegen.pipeline import gather

QN_2021 = "quang-ninh-2021-27-kh-ubnd"
QN_EARLY = "quang-ninh-2023-05-kh-ubnd"  # issued 15/01/2023
QN_LATE = "quang-ninh-2023-90-kh-ubnd"  # issued 30/06/2023: the latest plan of Quảng Ninh, targets reversed
# Quảng Ninh 2021 states t04 (industrial zones) 25%, t02 (communes) 100%, t14..t17 (models) 25, 6, 10, 4.
EARLY_VALUES = {"t04": 30.0, "t02": 95.0}
LATE_VALUES = {"t04": 40.0, "t02": 90.0, "t14": 12.0, "t15": 60.0}
INDUSTRIAL = "g-communication--khu-cong-nghiep--percent"
COMMUNES = "g-communication--xa--percent"
# Its four models (teams, counselling points, clubs, prostitution models) have four subjects; here they
# share one, so that a group has several targets in one plan.
MODELS = "g-models--doi-ctxh--units"


@pytest.fixture(scope="module")
def real():
    return gather(REAL_CORPUS).site


@pytest.fixture(scope="module")
def site(real):
    qn = next(p for p in real.corpus.plans if p.id == QN_2021)
    qn = replace(qn, targets=tuple(replace(tg, subject="doi_ctxh") if tg.category == "models" else tg
                                   for tg in qn.targets))
    extra = (later_plan(qn, QN_LATE, "90/KH-UBND", "2023-06-30", 2023, LATE_VALUES, reverse=True),
             later_plan(qn, QN_EARLY, "05/KH-UBND", "2023-01-15", 2023, EARLY_VALUES))
    plans = tuple(qn if p.id == QN_2021 else p for p in real.corpus.plans)
    corpus = replace(real.corpus, plans=plans + extra)
    return SiteData(corpus, make_tables(corpus), real.citations, real.instruments)


@pytest.fixture(scope="module")
def split_site(site):
    """With a threshold so low that the 7 plans of `site` are 'too many' for one page."""
    return replace(site, options=SiteOptions(split_max_plans=2))


def _group(page, anchor):
    return next(g for g in page.page.groups if g.anchor == anchor)


def _row(group, province):
    return next(r for r in group.rows if r.province.text == province)


def _targets_of(site, cat, province=None):
    """(plan id, target id) of every target of a category (of one province)."""
    return {(p.id, tg.id) for p in site.corpus.plans for tg in p.targets
            if tg.category == cat and (province is None or p.province == province)}


# ---------------------------------------------------------------- at or below the threshold


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_at_or_below_the_threshold_a_category_page_lists_every_target(real, lang):
    real = replace(real, options=SiteOptions(split_max_plans=len(real.corpus.plans)))
    b = Kit(real, lang)
    page = category_pages.category(b, "communication")
    assert page.template == "category.html"
    listed = {(posixpath.basename(r.quote_url.split("#")[0])[:-5], r.id) for g in page.page.groups for r in g.rows}
    assert listed == _targets_of(real, "communication")
    assert job_pages(real, lang, category_pages.category_provinces) == []
    assert category_pages.category_provinces(b, "communication", "Quảng Ninh") == []
    assert province_pages.province(b, "Quảng Ninh").page.categories == ()


def test_below_the_threshold_the_site_has_no_province_pages_of_categories(real):
    built, _ = site_pages(real)
    assert not [p.path for p in built if p.template in ("category_overview.html", "category_province.html")]


# ---------------------------------------------------------------- the overview


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_above_the_threshold_the_category_page_is_an_overview_with_a_row_per_province_per_group(split_site, lang):
    page = category_pages.category(Kit(split_site, lang), "communication")
    assert (page.path, page.template) == (("" if lang == "vi" else "en/") + "categories/communication.html",
                                          "category_overview.html")
    rows = [r for r in split_site.tables.targets if r.category == "communication"]
    expected: dict[str, set] = {}
    for r in rows:
        expected.setdefault(f"g-{r.category}--{r.subject}--{r.unit}".replace("_", "-"), set()).add(r.province)
    assert {g.anchor: [r.province.text for r in g.rows] for g in page.page.groups} == {
        k: sorted(v) for k, v in expected.items()}
    tops, parts = sum(r.parent == "" for r in rows), sum(r.parent != "" for r in rows)
    assert (tops, parts) == (11, 3)  # parts ("ít nhất 1 hoạt động" per commune) are not counted as targets
    assert page.page.n_targets == t(lang, "targets_and_parts", targets=t(lang, "n_targets", n="11"),
                                     parts=t(lang, "n_parts", n="3"))
    assert page.page.intro[0] == t(lang, "category_overview_intro", n="7")


def test_the_overview_row_counts_a_provinces_targets_and_gives_their_lowest_and_highest_values(split_site):
    row = _row(_group(category_pages.category(Kit(split_site, "vi"), "communication"), INDUSTRIAL), "Quảng Ninh")
    assert (row.n_targets, row.lowest, row.highest) == ("3", "25%", "40%")


def test_the_latest_value_is_the_one_the_latest_plan_states(split_site):
    b = Kit(split_site, "vi")
    industrial = _row(_group(category_pages.category(b, "communication"), INDUSTRIAL), "Quảng Ninh")
    # Two plans of 2023: the one issued last (30/06) is the latest, whatever the order of the corpus.
    assert industrial.latest == "40%"
    assert industrial.latest_plan.text == "Quảng Ninh 2023 (90/KH-UBND)"
    assert industrial.latest_plan.url == f"../plans/{QN_LATE}.html#q-t04"
    communes = _row(_group(category_pages.category(b, "communication"), COMMUNES), "Quảng Ninh")
    assert (communes.latest, communes.lowest, communes.highest) == ("90%", "90%", "100%")


def test_of_several_targets_of_a_group_in_the_latest_plan_the_first_it_states_is_its_latest_value(split_site):
    # The latest plan states t17 (4) first, then t16 (10), t15 (60) and t14 (12).
    row = _row(_group(category_pages.category(Kit(split_site, "vi"), "models"), MODELS), "Quảng Ninh")
    assert row.latest == "4 đơn vị" and row.latest_plan.url.endswith(f"{QN_LATE}.html#q-t17")
    assert (row.n_targets, row.lowest, row.highest) == ("12", "4 đơn vị", "60 đơn vị")


def test_the_latest_plan_link_lands_on_the_quote_the_target_rows_link_to(split_site):
    b = Kit(split_site, "vi")
    row = _row(_group(category_pages.category(b, "communication"), INDUSTRIAL), "Quảng Ninh")
    tg = next(tg for p in split_site.corpus.plans if p.id == QN_LATE for tg in p.targets if tg.id == "t04")
    assert row.latest_plan.url == b.target_row("categories/communication.html", tg).quote_url


def test_the_overview_chart_has_one_bar_per_province_each_a_value_its_latest_plan_states(split_site):
    b = Kit(split_site, "vi")
    made = category_pages.category(b, "communication")
    chart = _group(made, COMMUNES).chart
    (bar,) = orjson.loads(chart.figure_json)["data"]
    assert bar["x"] == ["Ninh Thuận", "Quảng Ninh"]  # at most one bar per province
    assert bar["y"] == [100.0, 90.0]  # Quảng Ninh: 90% of its latest plan, not a mean of 100, 95 and 90
    drawn = charts_of(made)[chart.id]
    assert [r[1] for r in drawn.csv_rows] == ["ninh-thuan-2020", QN_LATE]
    assert "latest_plan_id" in drawn.csv_columns and "label" in drawn.csv_columns
    assert "kế hoạch mới nhất" in chart.description and "kế hoạch mới nhất" in chart.title
    assert [row[:6] for row in chart.rows] == [
        ("Ninh Thuận", "100%", "Ninh Thuận 2020", "xã, phường, thị trấn", "Bài báo về kế hoạch", "2020"),
        ("Quảng Ninh", "90%", "Quảng Ninh 2023 (90/KH-UBND)", "các xã, phường, thị trấn", "Văn bản chính thức",
         "2021")]
    # The quote of each bar, in the table and in the data; these are targets, with their deadlines.
    assert chart.rows[0][6].startswith("100% xã, phường, thị trấn tổ chức tuyên truyền")
    assert [r[-6:-1] for r in drawn.csv_rows] == [("t01", "xã, phường, thị trấn", "same", 2020, "press"),
                                                 ("t02", "các xã, phường, thị trấn", "same", 2021, "official")]
    assert "chỉ tiêu" in chart.subtitle and "2020 và 2021" in chart.subtitle


def test_the_english_overview_chart_says_it_draws_the_latest_plan_of_each_province(split_site):
    chart = _group(category_pages.category(Kit(split_site, "en"), "communication"), COMMUNES).chart
    assert "latest plan" in chart.title and "latest plan" in chart.description
    assert chart.columns[:3] == ("Province", "Latest plan's value", "Latest plan")


def test_a_group_only_one_province_states_has_no_overview_chart_and_says_why(split_site):
    group = _group(category_pages.category(Kit(split_site, "vi"), "communication"), INDUSTRIAL)
    assert group.chart is None and t("vi", "note_single_province") in group.notes


def test_the_overview_links_each_province_to_the_group_on_its_own_page(split_site):
    b = Kit(split_site, "vi")
    row = _row(_group(category_pages.category(b, "communication"), INDUSTRIAL), "Quảng Ninh")
    assert row.province.url == f"communication/quang-ninh.html#{INDUSTRIAL}"
    sub = next(p for p in job_pages(split_site, b.lang, category_pages.category_provinces, "communication")
               if p.path.endswith("quang-ninh.html"))
    assert INDUSTRIAL in {g.anchor for g in sub.page.groups}


def test_overview_charts_have_their_permalink_and_embed_pages(split_site):
    built, charts = site_pages(split_site)
    paths = {p.path for p in built}
    cid = "communication--xa--percent--theo-tinh"
    assert {f"charts/{cid}.html", f"embed/{cid}.html", f"en/charts/{cid}.html"} <= paths
    assert ("vi", cid) in charts and ("en", cid) in charts


# ---------------------------------------------------------------- one page per category and province


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_province_with_targets_in_a_category_has_its_page_of_it(split_site, lang):
    b = Kit(split_site, lang)
    prefix = "" if lang == "vi" else "en/"
    for cat in split_site.corpus.lookups.categories:
        provinces = {p.province for p in split_site.corpus.plans for tg in p.targets if tg.category == cat}
        paths = [p.path for p in job_pages(split_site, b.lang, category_pages.category_provinces, cat)]
        assert paths == sorted(f"{prefix}categories/{cat.replace('_', '-')}/{slugify(pr)}.html"
                               for pr in provinces)


def test_a_province_page_of_a_category_lists_every_target_of_that_province_and_no_other(split_site):
    b = Kit(split_site, "vi")
    for cat in split_site.corpus.lookups.categories:
        for page in job_pages(split_site, b.lang, category_pages.category_provinces, cat):
            province = page.page.label.split(" — ")[1]
            listed = {(posixpath.basename(r.quote_url.split("#")[0])[:-5], r.id)
                      for g in page.page.groups for r in g.rows}
            assert listed == _targets_of(split_site, cat, province), page.path
            parts = sum(r.child for g in page.page.groups for r in g.rows)
            assert page.page.n_targets == b.count_text([tg for p in split_site.corpus.plans if p.province == province
                                                        for tg in p.targets if tg.category == cat])
            assert page.page.n_targets.startswith(f"{len(listed) - parts} chỉ tiêu")


def test_a_province_page_of_a_category_compares_that_provinces_plans_in_a_chart(split_site):
    b = Kit(split_site, "vi")
    page = next(p for p in job_pages(split_site, b.lang, category_pages.category_provinces, "communication")
                if p.path.endswith("quang-ninh.html"))
    chart = _group(page, COMMUNES).chart
    assert chart.id == "communication--xa--percent--quang-ninh"
    assert chart.title.endswith("— Quảng Ninh")
    (bar,) = orjson.loads(chart.figure_json)["data"]
    assert sorted(bar["y"]) == [90.0, 95.0, 100.0]
    assert page.template == "category_province.html"


def test_a_province_page_of_a_category_with_one_plan_draws_no_chart(split_site):
    page = next(p for p in job_pages(split_site, "vi", category_pages.category_provinces, "communication")
                if p.path.endswith("ninh-thuan.html"))
    assert all(g.chart is None for g in page.page.groups)
    assert page.page.summary_note == t("vi", "nothing_comparable")
    assert not any("charts.js" in s for s in page.base.scripts)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_province_page_of_a_category_sits_under_home_categories_and_the_category(split_site, lang):
    b = Kit(split_site, lang)
    page = next(p for p in job_pages(split_site, b.lang, category_pages.category_provinces, "communication")
                if p.path.endswith("quang-ninh.html"))
    label = b.label(split_site.corpus.lookups.categories, "communication")
    assert [c.text for c in page.base.breadcrumbs] == [t(lang, "nav_home"), t(lang, "nav_categories"), label]
    assert [c.url for c in page.base.breadcrumbs] == ["../../index.html", "../index.html", "../communication.html"]
    assert page.base.title == page.page.label == f"{label} — Quảng Ninh"
    assert page.page.overview.url == "../communication.html"


def test_the_province_page_links_to_its_pages_of_the_categories(split_site):
    links = province_pages.province(Kit(split_site, "vi"), "Quảng Ninh").page.categories
    assert [link.url for link in links][:2] == ["../categories/communication/quang-ninh.html",
                                                "../categories/training/quang-ninh.html"]
    assert len(links) == len({tg.category for p in split_site.corpus.plans if p.province == "Quảng Ninh"
                              for tg in p.targets})


def test_a_split_site_has_each_page_once_and_every_vietnamese_page_in_english(split_site):
    built, _ = site_pages(split_site)
    paths = [p.path for p in built]
    assert len(paths) == len(set(paths))
    vi = {p for p in paths if not p.startswith("en/")}
    assert {f"en/{p}" for p in vi} == {p for p in paths if p.startswith("en/")}


def test_a_split_site_is_made_the_same_twice(split_site):
    first, _ = site_pages(split_site)
    again, _ = site_pages(split_site)
    assert [(p.path, p.page) for p in first] == [(p.path, p.page) for p in again]
