"""The province lineage and legal validity in Chromium: a site built from the real corpus plus a 2026
plan of the new tỉnh Tuyên Quang, with Chỉ thị 21-CT/TW marked replaced as test data
(helpers.lineage_corpus). The pages they add or change load clean and pass axe-core in both
languages, at desktop and phone width; the legal index's validity filter shows exactly the rows of
the chosen validity; the present-day page reads the same without JavaScript.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from .helpers import Problems, WAIT_CHARTS
from .test_pages import axe_problems

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from helpers import TQ_2019, lineage_corpus  # noqa: E402

pytestmark = pytest.mark.browser

PAGES = ("provinces/tuyen-quang-2025.html", "provinces/tra-vinh.html", "provinces/index.html", "index.html",
         f"plans/{TQ_2019}.html", "legal/chi-thi-21-ct-tw-2008-03-26.html", "legal/index.html")
PHONE = {"width": 375, "height": 800}


@pytest.fixture(scope="module")
def lineage_site(tmp_path_factory) -> Path:
    from sitegen.pipeline import build

    base = tmp_path_factory.mktemp("lineage-browser")
    build(lineage_corpus(base), base / "site", search=False)
    return base / "site"


def _open(context, site: Path, path: str):
    page = context.new_page()
    page.problems = Problems().watch(page)
    page.goto((site / path).as_uri(), wait_until="load")
    page.wait_for_function(WAIT_CHARTS)
    page.wait_for_timeout(50)
    return page


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("path", PAGES)
def test_lineage_pages_load_clean_and_pass_axe(context, lineage_site, path, lang):
    full = path if lang == "vi" else f"en/{path}"
    page = _open(context, lineage_site, full)
    try:
        found = [str(p) for p in page.problems.items] + axe_problems(page)
        assert not found, f"{full}:\n  " + "\n  ".join(found)
    finally:
        page.close()


@pytest.mark.parametrize("path", ["provinces/tuyen-quang-2025.html", "index.html", f"plans/{TQ_2019}.html"])
def test_at_phone_width_nothing_overflows_the_page(browser, lineage_site, path):
    ctx = browser.new_context(viewport=PHONE)
    try:
        page = _open(ctx, lineage_site, path)
        wide = page.evaluate("() => document.documentElement.scrollWidth")
        assert wide <= PHONE["width"], f"{path} is {wide}px wide at {PHONE['width']}px"
        assert not axe_problems(page)
    finally:
        ctx.close()


def test_the_legal_index_filters_by_validity(context, lineage_site):
    page = _open(context, lineage_site, "legal/index.html")
    try:
        rows = page.locator("#legal-table tbody tr")
        total = rows.count()
        assert total > 2
        page.select_option("select[name=status]", "replaced")
        visible = page.evaluate("() => [...document.querySelectorAll('#legal-table tbody tr')]"
                                ".filter(r => !r.hidden).map(r => r.querySelector('th').textContent.trim())")
        assert len(visible) == 1 and visible[0].startswith("Chỉ thị 21-CT/TW")
        page.select_option("select[name=status]", "unknown")
        shown = page.evaluate("() => [...document.querySelectorAll('#legal-table tbody tr')].filter(r => !r.hidden).length")
        assert shown == total - 1
        page.select_option("select[name=status]", "")
        assert page.evaluate("() => [...document.querySelectorAll('#legal-table tbody tr')].every(r => !r.hidden)")
        assert not page.problems
    finally:
        page.close()


def test_the_present_day_page_reads_the_same_without_javascript(browser, lineage_site):
    ctx = browser.new_context(java_script_enabled=False)
    try:
        page = ctx.new_page()
        page.goto((lineage_site / "provinces/tuyen-quang-2025.html").as_uri(), wait_until="load")
        rows = page.locator("table.present tbody tr")
        assert rows.count() == 3
        assert page.locator("table.present").is_visible()
        assert "Hình thành ngày 01/07/2025 từ tỉnh Tuyên Quang, tỉnh Hà Giang." in page.inner_text("main")
    finally:
        ctx.close()
