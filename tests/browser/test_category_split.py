"""A site whose category pages are split by province, read as files and in Chromium.

The real corpus plus a later plan of Quảng Ninh (a copy of its 2021 plan, so that Quảng Ninh's pages
of the categories compare two plans in charts), built with the threshold lowered. Every static check
of test_static_html runs again on it (well-formed pages, unique ids, every link and anchor resolves,
every page has its English twin), and its split category pages are opened in Chromium: charts drawn,
their tables complete, an overview chart's CSV equal to its bars, axe-core clean.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest


from .helpers import CHARTS_JS, Problems, WAIT_CHARTS, html_files
from .test_downloads_search import _check_csv
from .test_pages import axe_problems, chart_problems
# Collected again here, on the split site that `built_site` below stands for in this module.
from .test_static_html import (documents, ids, test_every_internal_link_and_anchor_resolves,  # noqa: F401
                               test_every_page_has_one_h1_a_lang_and_a_title, test_every_page_is_well_formed_html,
                               test_every_vietnamese_page_has_an_english_twin_linked_both_ways,
                               test_ids_are_unique_and_id_references_resolve)

pytestmark = pytest.mark.browser

QN_2023 = "quang-ninh-2023-90-kh-ubnd"


@pytest.fixture(scope="module")
def built_site(split_site) -> Path:
    """The real corpus and a 2023 plan of Quảng Ninh, built with every page that lists plans split by
    province (conftest.split_site, shared with the other split tests)."""
    return split_site


def test_the_split_site_has_category_overviews_and_province_pages(built_site):
    files = html_files(built_site)
    assert "categories/communication/quang-ninh.html" in files
    assert "en/categories/communication/quang-ninh.html" in files
    overview = (built_site / "categories/communication.html").read_text("utf-8")
    assert 'class="province-summary"' in overview and 'class="targets"' not in overview
    sitemap = (built_site / "sitemap.xml").read_text("utf-8")
    assert "categories/communication/quang-ninh.html" in sitemap


def _with_chart(site: Path, depth: int) -> str:
    """The first category page with a chart: an overview (depth 1) or a province's page (depth 2)."""
    return next(p for p in html_files(site) if p.startswith("categories/") and p.count("/") == depth
                and "data-chart=" in (site / p).read_text("utf-8"))


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("which", ["overview", "province"])
def test_split_category_pages_draw_their_charts_and_pass_axe(context, built_site, which, lang):
    vi_path = _with_chart(built_site, 1 if which == "overview" else 2)
    path = vi_path if lang == "vi" else f"en/{vi_path}"
    page = context.new_page()
    problems = Problems().watch(page)
    try:
        page.goto((built_site / path).as_uri(), wait_until="load")
        page.wait_for_function(WAIT_CHARTS)
        page.wait_for_timeout(100)
        found = [str(p) for p in problems.items] + chart_problems(page, path, "category-chart") + axe_problems(page)
        if which == "overview":
            for c in page.evaluate(CHARTS_JS):
                bars = c["spec"]["data"][0]["x"]
                if len(bars) != len(set(bars)):
                    found.append(f"{c['id']}: two bars for one province")
        assert not found, f"{path}:\n  " + "\n  ".join(found)
    finally:
        page.close()


def test_an_overview_charts_csv_holds_the_bars_drawn(built_site):
    html = (built_site / _with_chart(built_site, 1)).read_text("utf-8")
    chart_id = html.split('data-chart="chart-', 1)[1].split('-data"', 1)[0]
    assert chart_id.endswith("--theo-tinh")
    spec = json.loads(html.split(f'id="chart-{chart_id}-data">', 1)[1].split("</script>", 1)[0])
    text = (built_site / f"data/charts/{chart_id}.csv").read_text("utf-8").lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    _check_csv(chart_id, spec, rows)
    assert {r["label"]: r["latest_plan_id"] for r in rows}["Quảng Ninh"] == QN_2023
