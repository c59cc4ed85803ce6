"""The pages that list every plan, for a large corpus: above SiteOptions.split_max_plans plans the home page draws
each province's latest plan instead of every plan and its grid counts a cell's plans, the plan list is
cut into pages of SiteOptions.plan_list_page_size rows, and the methodology page counts the sources instead of
listing them. At or below the threshold nothing changes.

The corpus is the real one plus two later plans of Quảng Ninh, both of 2023 (so one grid cell holds
two plans), with the threshold lowered instead of generating 61 plans; the pagination is also checked
at its real size on 1,001 copies of the real plans.
"""
from __future__ import annotations

import posixpath
from collections import Counter
from dataclasses import replace

import html5lib
import orjson
import pytest

from helpers import REAL_CORPUS, later_plan, site_pages
from helpers import drawn as charts_of
from sitegen.i18n import t
from sitegen.normalize import category_groups, tables as make_tables
from sitegen.options import SiteOptions
from sitegen.pages import Kit, SiteData
from sitegen.pages import categories as category_pages, home as home_pages, plans as plan_pages, reference as reference_pages
from sitegen.pipeline import gather
from sitegen.render import environment, render_page

QN_2021 = "quang-ninh-2021-27-kh-ubnd"
QN_EARLY = "quang-ninh-2023-05-kh-ubnd"  # issued 15/01/2023
QN_LATE = "quang-ninh-2023-90-kh-ubnd"  # issued 30/06/2023: Quảng Ninh's latest plan
LATE_VALUES = {"t04": 40.0, "t02": 90.0}
LANGS = ("vi", "en")


@pytest.fixture(scope="module")
def real():
    return gather(REAL_CORPUS).site


def _with(real, extra) -> SiteData:
    corpus = replace(real.corpus, plans=real.corpus.plans + tuple(extra))
    return SiteData(corpus, make_tables(corpus), real.citations, real.instruments)


@pytest.fixture(scope="module")
def site(real):
    qn = next(p for p in real.corpus.plans if p.id == QN_2021)
    # The latest plan drops a target, so that its counts differ from those of the 2021 plan.
    return _with(real, (later_plan(qn, QN_LATE, "90/KH-UBND", "2023-06-30", 2023, LATE_VALUES, drop=1),
                        later_plan(qn, QN_EARLY, "05/KH-UBND", "2023-01-15")))


@pytest.fixture(scope="module")
def split_site(site):
    """With a threshold so low that the 7 plans of `site` are 'too many' for one page."""
    return replace(site, options=SiteOptions(split_max_plans=2))


@pytest.fixture(scope="module")
def env():
    return environment()


def _columns(chart) -> list[str]:
    """The columns of the categories chart: one per plan (or province), with the kind of text."""
    return orjson.loads(chart.figure_json)["layout"]["xaxis"]["categoryarray"]


def _bars(chart) -> list[str]:
    """The x values of a chart's bars (every trace of a stacked chart has the same)."""
    xs = {tuple(trace["x"]) for trace in orjson.loads(chart.figure_json)["data"]}
    assert len(xs) == 1
    return list(xs.pop())


def _plan_of(url: str) -> str:
    return posixpath.basename(url.split("#")[0])[:-5]


# ---------------------------------------------------------------- at or below the threshold


@pytest.mark.parametrize("lang", LANGS)
def test_at_or_below_the_threshold_the_home_draws_every_plan_and_links_every_plan_in_the_grid(real,
                                                                                               lang):
    real = replace(real, options=SiteOptions(split_max_plans=len(real.corpus.plans)))
    b = Kit(real, lang)
    home = home_pages.home(b).page
    counts = home.charts[0]
    assert counts.id == "nhom-chi-tieu-theo-ke-hoach"
    kinds = {"official": "text_kind_full", "press": "text_kind_press"}
    assert _columns(counts) == [f"{b.plan_label(p)} ({t(lang, 'text_kind_excerpt' if p.excerpt else kinds[p.source_kind])})"
                                for p in real.corpus.plans]
    # The first three groups whose top-level targets come from two plans (normalize.Group.comparable).
    comparable = [g.key for cat in real.corpus.lookups.categories
                  for g in category_groups(real.tables.targets, cat) if g.comparable]
    assert len(comparable) >= 3
    assert [c.id for c in home.charts[1:]] == comparable[:3]
    linked = {_plan_of(link.url) for _, cells in home.grid for cell in cells for link in cell.links}
    assert linked == {p.id for p in real.corpus.plans}
    assert (home.grid_note, home.charts_note, home.charts_links) == ("", "", ())


@pytest.mark.parametrize("lang", LANGS)
def test_at_or_below_the_threshold_the_plan_list_is_one_page_and_methodology_lists_every_source(real,
                                                                                                lang):
    real = replace(real, options=SiteOptions(split_max_plans=len(real.corpus.plans)))
    b = Kit(real, lang)
    (only,) = plan_pages.plan_list_pages(b)
    assert only.path == ("" if lang == "vi" else "en/") + "plans/index.html"
    assert (only.page.pagination, only.page.range_note, only.page.csv) == (None, "", None)
    assert [_plan_of(r.link.url) for r in only.page.rows] == [p.id for p in real.corpus.plans]
    method = reference_pages.methodology(b).page
    assert [_plan_of(link.url) for link, *_ in method.sources] == [p.id for p in real.corpus.plans]
    assert (method.source_counts, method.source_links) == ((), ())


# ---------------------------------------------------------------- home: charts


@pytest.mark.parametrize("lang", LANGS)
def test_above_the_threshold_every_headline_chart_has_at_most_one_bar_per_province(split_site, lang):
    home = home_pages.home(Kit(split_site, lang)).page
    provinces = {p.province for p in split_site.corpus.plans}
    assert len(home.charts) == 4  # the categories and three comparisons, as below the threshold
    columns = [c.rsplit(" (", 1)[0] for c in _columns(home.charts[0])]
    assert len(columns) == len(set(columns)) and set(columns) == provinces
    for chart in home.charts[1:]:
        bars = _bars(chart)
        assert len(bars) == len(set(bars)) and set(bars) <= provinces, chart.id
        assert len(chart.rows) == len(bars)


def test_the_categories_chart_counts_the_top_level_targets_of_each_provinces_latest_plan(split_site):
    b = Kit(split_site, "vi")
    made = home_pages.home(b)
    counts = made.page.charts[0]
    assert counts.id == "nhom-chi-tieu-theo-tinh"
    assert counts.title == t("vi", "chart_matrix_latest_title")
    assert [c.rsplit(" (", 1)[0] for c in _columns(counts)] == ["Ninh Thuận", "Quảng Ninh", "Trà Vinh", "Tuyên Quang"]
    latest = {"Ninh Thuận": "ninh-thuan-2020", "Quảng Ninh": QN_LATE, "Trà Vinh": "tra-vinh-2022",
              "Tuyên Quang": "tuyen-quang-2019-63-kh-ubnd"}
    plans = {p.id: p for p in split_site.corpus.plans}
    drawn = charts_of(made)[counts.id]
    assert drawn.csv_columns == ("label", "plan_id", "category", "targets", "parts", "subject_text", "comparability",
                                 "deadline", "source_kind", "excerpt")
    assert {(r[0], r[1]) for r in drawn.csv_rows} == set(latest.items())  # Trà Vinh's: zeros, not left out
    qn = Counter(tg.category for tg in plans[QN_LATE].top_targets)
    category = {b.label(split_site.corpus.lookups.categories, c): c for c in split_site.corpus.lookups.categories}
    qn_drawn = {r[2]: r[3] for r in drawn.csv_rows if r[0] == "Quảng Ninh" and r[3]}
    assert qn_drawn == {label: qn[category[label]] for label in qn_drawn}
    # The latest plan's top-level targets: 17, not its targets and parts together, nor a sum over plans.
    assert sum(qn_drawn.values()) == len(plans[QN_LATE].top_targets) == 17
    assert sum(r[4] for r in drawn.csv_rows if r[0] == "Quảng Ninh") == len(plans[QN_LATE].parts)  # apart


@pytest.mark.parametrize("lang", LANGS)
def test_the_headline_comparisons_draw_the_bars_of_the_category_overview_charts_under_their_own_ids(split_site, lang):
    b = Kit(split_site, lang)
    home = home_pages.home(b).page.charts[1:]
    assert home
    overview = {gv.chart.id: gv.chart for cat in split_site.corpus.lookups.categories
                for gv in category_pages.category(b, cat).page.groups if gv.chart}
    for chart in home:
        assert chart.id.startswith("trang-chu--")
        twin = overview[chart.id.removeprefix("trang-chu--") + "--theo-tinh"]
        assert orjson.loads(chart.figure_json) == orjson.loads(twin.figure_json)
        assert (chart.title, chart.rows) == (twin.title, twin.rows)
    assert not {c.id for c in home} & set(overview)


def test_a_headline_comparison_draws_each_provinces_latest_value_not_a_mean(split_site):
    b = Kit(split_site, "vi")
    chart = next(c for c in home_pages.home(b).page.charts if c.id == "trang-chu--communication--xa--percent")
    (trace,) = orjson.loads(chart.figure_json)["data"]
    assert dict(zip(trace["x"], trace["y"]))["Quảng Ninh"] == 90.0  # QN_LATE's, of 100, 100 and 90


@pytest.mark.parametrize("lang", LANGS)
def test_a_headline_charts_source_line_counts_its_plans_and_points_to_its_data_instead_of_naming_them(split_site, lang):
    b = Kit(split_site, lang)
    made = home_pages.home(b)
    for chart in made.page.charts:
        drawn = charts_of(made)[chart.id]
        ids = {r[1] for r in drawn.csv_rows}
        csv = f"data/charts/{chart.id}.csv" if lang == "vi" else f"data/charts/{chart.id}.en.csv"
        assert chart.source == t(lang, "chart_source_latest", n=str(len(ids)), m=str(len(ids)), total="7", url=csv)
        for p in split_site.corpus.plans:
            assert b.doc_reference(p) not in chart.source and b.doc_reference(p) not in chart.cite.plain


def test_with_a_base_url_the_source_line_points_to_the_absolute_csv(split_site):
    b = Kit(replace(split_site, options=replace(split_site.options, base_url="https://example.org/kh/")), "vi")
    assert home_pages.home(b).page.charts[0].source.endswith(
        "https://example.org/kh/data/charts/nhom-chi-tieu-theo-tinh.csv.")


def test_the_home_charts_have_their_permalink_pages_and_csv_and_lead_back_home(split_site):
    built, charts = site_pages(split_site)
    by_path = {p.path: p for p in built}
    b = Kit(split_site, "vi")
    for chart in home_pages.home(b).page.charts:
        for lang in LANGS:
            assert (lang, chart.id) in charts
            page = by_path[("" if lang == "vi" else "en/") + f"charts/{chart.id}.html"]
            assert page.page.back.url == "../index.html"


@pytest.mark.parametrize("lang", LANGS)
def test_the_home_says_its_charts_draw_each_provinces_latest_plan_and_links_every_plan_and_the_data(split_site, lang):
    home = home_pages.home(Kit(split_site, lang)).page
    assert home.charts_note == t(lang, "home_charts_latest", n="7", m="4")
    assert [(link.text, link.url) for link in home.charts_links] == [
        (t(lang, "home_all_plans"), "plans/index.html"), (t(lang, "home_download"), "data.html")]


# ---------------------------------------------------------------- home: grid


@pytest.mark.parametrize("lang", LANGS)
def test_a_grid_cell_with_several_plans_counts_them_and_links_to_the_province(split_site, lang):
    home = home_pages.home(Kit(split_site, lang)).page
    row = dict(zip(home.years, next(cells for link, cells in home.grid if link.text == "Quảng Ninh")))
    (link,) = row[2023].links
    assert (link.text, link.url) == (t(lang, "grid_n_plans", n="2"), "provinces/quang-ninh.html")
    assert row[2023].status == "targets"
    assert home.grid_note == t(lang, "grid_note_split")


def test_a_grid_cell_with_one_plan_still_links_to_the_plan(split_site):
    home = home_pages.home(Kit(split_site, "vi")).page
    cells = [cell for _, row in home.grid for cell in row if cell.links and "provinces/" not in cell.links[0].url]
    linked = {_plan_of(link.url) for cell in cells for link in cell.links}
    assert linked == {p.id for p in split_site.corpus.plans} - {QN_EARLY, QN_LATE}
    assert all(len(cell.links) == 1 for cell in cells)


def test_the_split_home_renders_no_plan_document_reference(split_site, env):
    b = Kit(split_site, "vi")
    html = render_page(env, home_pages.home(b)).decode()
    for p in split_site.corpus.plans:
        assert b.doc_reference(p) not in html


# ---------------------------------------------------------------- plan list


@pytest.fixture(scope="module")
def paged_site(split_site):
    """Pages of 3 rows, so that the 7 plans of `site` make three pages (3, 3, 1)."""
    return replace(split_site, options=replace(split_site.options, plan_list_page_size=3))


def test_the_page_size_of_the_plan_list_is_500():
    assert SiteOptions().plan_list_page_size == 500


@pytest.mark.parametrize("lang", LANGS)
def test_the_plan_list_pages_together_list_every_plan_once_in_the_corpus_order(paged_site, lang):
    listed = plan_pages.plan_list_pages(Kit(paged_site, lang))
    prefix = "" if lang == "vi" else "en/"
    assert [p.path for p in listed] == [f"{prefix}plans/index.html", f"{prefix}plans/page-2.html",
                                        f"{prefix}plans/page-3.html"]
    listed = list(plan_pages.plan_list_pages(Kit(paged_site, lang)))
    assert [len(p.page.rows) for p in listed] == [3, 3, 1]
    ids = [_plan_of(r.link.url) for p in listed for r in p.page.rows]
    assert ids == [p.id for p in paged_site.corpus.plans]


def test_1001_plans_make_pages_of_500_500_and_1(real):
    base = real.corpus.plans
    copies = tuple(replace(base[i % len(base)], id=f"{base[i % len(base)].id}-{i}") for i in range(1001))
    corpus = replace(real.corpus, plans=copies)
    b = Kit(SiteData(corpus, make_tables(corpus), (), {}), "vi")
    listed = list(plan_pages.plan_list_pages(b))
    assert [len(p.page.rows) for p in listed] == [500, 500, 1]
    assert [_plan_of(r.link.url) for p in listed for r in p.page.rows] == [p.id for p in copies]
    assert listed[1].page.range_note == t("vi", "plans_page_range", first="501", last="1.000", total="1.001",
                                          size="500")


@pytest.mark.parametrize("lang", LANGS)
def test_each_plan_list_page_links_the_previous_and_next_pages_and_marks_itself_current(paged_site, lang):
    listed = list(plan_pages.plan_list_pages(Kit(paged_site, lang)))
    names = ["index.html", "page-2.html", "page-3.html"]
    for i, page in enumerate(listed):
        nav = page.page.pagination
        assert nav.prev.url == (names[i - 1] if i else "")
        assert nav.next.url == (names[i + 1] if i + 1 < len(names) else "")
        assert (nav.prev.rel, nav.next.rel) == ("prev", "next")
        assert [p.url for p in nav.pages] == names
        assert [p.current for p in nav.pages] == [j == i for j in range(3)]
        assert [p.label for p in nav.pages] == [t(lang, "pagination_page", page=str(j)) for j in (1, 2, 3)]
        assert (nav.label_top, nav.label_bottom) == (t(lang, "pagination_top"), t(lang, "pagination_bottom"))
        assert page.base.title == t(lang, "plans_page_title", page=str(i + 1), pages="3")
        crumbs = [(c.text, c.url) for c in page.base.breadcrumbs]
        up = [(t(lang, "nav_plans"), "index.html")] if i else []  # pages 2 and 3 sit under page 1
        assert crumbs == [(t(lang, "nav_home"), "../index.html"), *up]


@pytest.mark.parametrize("lang", LANGS)
def test_each_plan_list_page_keeps_the_link_to_the_csv_of_every_plan(paged_site, lang):
    for page in plan_pages.plan_list_pages(Kit(paged_site, lang)):
        assert page.page.csv.text == t(lang, "plans_csv")
        assert page.page.csv.url == ("../data/plans.csv" if lang == "vi" else "../../data/plans.csv")


@pytest.mark.parametrize("lang", LANGS)
def test_a_rendered_plan_list_page_has_a_labelled_pagination_nav_above_and_below_the_table(paged_site, env, lang):
    page = list(plan_pages.plan_list_pages(Kit(paged_site, lang)))[1]
    doc = html5lib.parse(render_page(env, page), namespaceHTMLElements=False)
    main = doc.find(".//main")
    navs = main.findall(".//nav")
    assert [n.get("aria-label") for n in navs] == [t(lang, "pagination_top"), t(lang, "pagination_bottom")]
    children = list(main.iter())
    table = main.find(".//table")
    assert children.index(navs[0]) < children.index(table) < children.index(navs[1])
    for nav in navs:
        links = nav.findall(".//a")
        assert [a.get("rel") for a in links] == ["prev", None, None, None, "next"]
        assert [a.get("href") for a in links if a.get("aria-current") == "page"] == ["page-2.html"]
    assert len(main.findall(".//tbody/tr")) == 3


def test_one_page_above_the_threshold_has_no_pagination_but_says_how_many_plans(split_site):
    (only,) = plan_pages.plan_list_pages(Kit(split_site, "vi"))
    assert only.page.pagination is None and only.base.title == t("vi", "nav_plans")
    assert only.page.range_note == t("vi", "plans_page_range", first="1", last="7", total="7", size="500")


def test_a_plan_id_that_is_a_page_of_the_list_is_refused(paged_site, real):
    plans = real.corpus.plans
    clash = replace(_with(real, (replace(plans[0], id="page-2"),)), options=paged_site.options)
    with pytest.raises(ValueError, match="page-2"):
        list(plan_pages.plan_list_pages(Kit(clash, "vi")))


def test_a_split_site_has_every_plan_list_page_in_both_languages(paged_site):
    built, _ = site_pages(paged_site)
    paths = [p.path for p in built]
    assert len(paths) == len(set(paths))
    for lang_prefix in ("", "en/"):
        assert {f"{lang_prefix}plans/index.html", f"{lang_prefix}plans/page-2.html",
                f"{lang_prefix}plans/page-3.html"} <= set(paths)


# ---------------------------------------------------------------- methodology


@pytest.mark.parametrize("lang", LANGS)
def test_above_the_threshold_methodology_counts_the_sources_by_kind_and_excerpt(split_site, lang):
    b = Kit(split_site, lang)
    method = reference_pages.methodology(b).page
    plans = split_site.corpus.plans
    kinds = Counter(p.source_kind for p in plans)
    excerpts = Counter(p.source_kind for p in plans if p.excerpt)
    assert method.sources == ()
    assert method.source_counts == (
        (t(lang, "kind_official"), str(kinds["official"]), str(excerpts["official"])),
        (t(lang, "kind_press"), str(kinds["press"]), str(excerpts["press"])),
        (t(lang, "col_total"), "7", str(sum(excerpts.values()))))
    assert method.sources_note == t(lang, "methodology_sources_summary", n="7")
    data = "data/plans.csv" if lang == "vi" else "../data/plans.csv"  # data/ is shared by both languages
    assert [link.url for link in method.source_links] == ["plans/index.html", data, "data.html"]


def test_the_split_methodology_page_renders_counts_and_no_plan(split_site, env):
    page = reference_pages.methodology(Kit(split_site, "vi"))
    html = render_page(env, page).decode()
    assert t("vi", "col_n_excerpts") in html
    assert not any(f"plans/{p.id}.html" in html for p in split_site.corpus.plans)


def test_the_split_pages_are_made_the_same_twice(paged_site):
    def made():
        b = Kit(paged_site, "vi")
        return [(p.path, p.page) for p in (home_pages.home(b), *plan_pages.plan_list_pages(b), reference_pages.methodology(b))]
    assert made() == made()
