"""A site with too many plans for the pages that list every plan, read as files and in Chromium.

The real corpus plus two later plans of Quảng Ninh, both of 2023 (copies of its 2021 plan), built with
the threshold lowered and pages of the plan list of 3 rows: the home page draws each province's latest
plan and counts the two plans of its 2023 cell, the 7 plans are listed on 3 pages, the methodology
counts the sources. Every static check of test_static_html runs again on it (well-formed pages,
unique ids, every link and anchor resolves, every page has its English twin); the home page and the
plan list are opened in Chromium.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest


from .helpers import CHARTS_JS, PLAN_IDS, WAIT_CHARTS, Problems, build_split_site, html_files
from .test_pages import axe_problems, chart_problems
# Collected again here, on the split site that `built_site` below stands for in this module.
from .test_static_html import (documents, ids, test_every_internal_link_and_anchor_resolves,  # noqa: F401
                               test_every_page_has_one_h1_a_lang_and_a_title, test_every_page_is_well_formed_html,
                               test_every_vietnamese_page_has_an_english_twin_linked_both_ways,
                               test_ids_are_unique_and_id_references_resolve)

pytestmark = pytest.mark.browser

LATER = (("quang-ninh-2023-05-kh-ubnd", "05/KH-UBND", '"2023-01-15"'),
         ("quang-ninh-2023-90-kh-ubnd", "90/KH-UBND", '"2023-06-30"'))
ALL_PLANS = {*PLAN_IDS, *(pid for pid, _, _ in LATER)}
LIST_PAGES = ("plans/index.html", "plans/page-2.html", "plans/page-3.html")


@pytest.fixture(scope="module")
def built_site(tmp_path_factory) -> Path:
    """The corpus built with every page that lists every plan summarized (with the search index,
    which the search page links to)."""
    return build_split_site(tmp_path_factory.mktemp("home-split"), LATER, split_max_plans=2, plan_list_page_size=3)


def _plan_links(html: str) -> list[str]:
    """The plans a plan list page lists: the plan link heading each row."""
    return re.findall(r'<tr><th scope="row"><a href="([a-z0-9-]+)\.html">', html)


def test_the_plan_list_pages_are_built_in_both_languages_and_in_the_sitemap(built_site):
    files = set(html_files(built_site))
    sitemap = (built_site / "sitemap.xml").read_text("utf-8")
    for path in LIST_PAGES:
        assert {path, f"en/{path}"} <= files
        assert f"<loc>{path}</loc>" in sitemap and f"<loc>en/{path}</loc>" in sitemap
    assert "plans/page-4.html" not in files


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_plan_list_pages_together_list_every_plan_once(built_site, lang):
    prefix = "" if lang == "vi" else "en/"
    listed = [pid for path in LIST_PAGES for pid in _plan_links((built_site / prefix / path).read_text("utf-8"))]
    assert sorted(listed) == sorted(ALL_PLANS)
    assert [len(_plan_links((built_site / prefix / path).read_text("utf-8"))) for path in LIST_PAGES] == [3, 3, 1]


def test_the_split_home_grid_and_methodology_name_no_plan_document_in_bulk(built_site):
    home = (built_site / "index.html").read_text("utf-8")
    assert '<a href="provinces/quang-ninh.html">2 kế hoạch</a>' in home
    assert "chart-nhom-chi-tieu-theo-tinh" in home and "chart-nhom-chi-tieu-theo-ke-hoach" not in home
    method = (built_site / "methodology.html").read_text("utf-8")
    assert not any(f"plans/{pid}.html" in method for pid in ALL_PLANS)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_split_home_draws_one_bar_per_province_and_passes_axe(context, built_site, lang):
    path = "index.html" if lang == "vi" else "en/index.html"
    page = context.new_page()
    problems = Problems().watch(page)
    try:
        page.goto((built_site / path).as_uri(), wait_until="load")
        page.wait_for_function(WAIT_CHARTS)
        page.wait_for_timeout(100)
        found = [str(p) for p in problems.items] + chart_problems(page, path, "home") + axe_problems(page)
        charts = page.evaluate(CHARTS_JS)
        if len(charts) != 4:
            found.append(f"{len(charts)} charts, not 4")
        for c in charts:
            if c["id"] == "chart-nhom-chi-tieu-theo-tinh":  # the categories chart: a column per province
                columns = c["spec"]["layout"]["xaxis"]["categoryarray"]
                if len(columns) != len(set(columns)) or len(columns) > 4:
                    found.append(f"{c['id']}: columns {columns}, not one per province")
                continue
            for trace in c["spec"]["data"]:
                if len(trace["x"]) != len(set(trace["x"])) or len(trace["x"]) > 4:
                    found.append(f"{c['id']}: bars {trace['x']}, not at most one per province")
        assert not found, f"{path}:\n  " + "\n  ".join(found)
    finally:
        page.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_plan_list_is_read_page_by_page_with_next_and_back_with_previous(context, built_site, lang):
    prefix = "" if lang == "vi" else "en/"
    page = context.new_page()
    problems = Problems().watch(page)
    rows_js = "() => [...document.querySelectorAll('main tbody tr th a')].map(a => a.getAttribute('href'))"
    try:
        page.goto((built_site / prefix / LIST_PAGES[0]).as_uri(), wait_until="load")
        seen = []
        for n, path in enumerate(LIST_PAGES, 1):
            assert page.url.endswith(path), (page.url, path)
            current = page.locator("nav.pagination [aria-current=page]")
            assert current.count() == 2 and current.first.inner_text() == str(n)
            seen += page.evaluate(rows_js)
            if n < len(LIST_PAGES):
                page.locator("nav.pagination a[rel=next]").last.click()
                page.wait_for_load_state("load")
        assert page.locator("a[rel=next]").count() == 0
        page.locator("nav.pagination a[rel=prev]").first.click()
        page.wait_for_load_state("load")
        assert page.url.endswith(LIST_PAGES[1])
        assert sorted(h[:-5] for h in seen) == sorted(ALL_PLANS)
        # Before axe-core, whose fetch of the stylesheet file:// refuses.
        found = [*problems.items] + axe_problems(page)
        assert not found, "\n".join(found)
    finally:
        page.close()
