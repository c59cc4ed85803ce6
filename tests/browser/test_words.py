"""Issue 20 in a real Chromium: an empty compare choice says why (8), embeds that fit their content and
take the embedding page's theme (12), social cards of provinces with no target (13), tap targets of
at least 24 × 24 px (14) and the language switch keeping the compare page's choice (15)."""
from __future__ import annotations

import pytest

from .test_compare_split import split_url  # noqa: F401 - the split site served (a fixture)

pytestmark = pytest.mark.browser


def _open_compare(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_selector("#compare-filters:not([hidden])")
    page.wait_for_function("() => !document.getElementById('compare-table').hasAttribute('aria-busy')")


def _visible_rows(page) -> int:
    return page.evaluate("() => [...document.querySelectorAll('#compare-table tbody tr')]"
                         ".filter(r => !r.hidden).length")


# ---------------------------------------------------------------- 8: an empty choice says why


@pytest.mark.parametrize("lang, words", [("vi", "văn bản không nêu chỉ tiêu định lượng nào"),
                                         ("en", "the text sets no quantified target")])
def test_a_province_of_today_whose_plan_sets_no_target_says_so(page, site_url, lang, words):
    _open_compare(page, site_url + ("" if lang == "vi" else "en/") + "compare.html?today=vinh-long-2025")
    assert _visible_rows(page) == 0
    note = page.locator("#compare-empty")
    assert note.is_visible()
    assert "Trà Vinh 2022" in note.inner_text() and words in note.inner_text()
    page.locator("#compare-filters button[type=reset]").click()
    page.wait_for_function("() => document.getElementById('compare-empty').hidden")
    assert _visible_rows(page) > 0


def test_a_choice_no_plan_matches_and_a_category_no_target_is_in_are_told_apart(page, site_url):
    _open_compare(page, site_url + "en/compare.html?province=tra-vinh&year=2013")
    assert _visible_rows(page) == 0
    assert "holds no plan of the provinces, years and source kinds chosen" in page.inner_text("#compare-empty")
    _open_compare(page, site_url + "en/compare.html?province=tuyen-quang&category=rehabilitation")
    assert _visible_rows(page) == 0
    text = page.inner_text("#compare-empty")
    assert "Tuyên Quang 2019 are in none of the categories chosen" in text and "Tuyên Quang 2013" in text


def test_on_a_split_site_a_loaded_province_without_targets_says_so(page, split_url):  # noqa: F811
    _open_compare(page, split_url + "en/compare.html?province=tra-vinh")
    assert _visible_rows(page) == 0
    assert "No target to show from Trà Vinh 2022" in page.inner_text("#compare-empty")


# ---------------------------------------------------------------- 10: English on a phone, fonts


@pytest.mark.parametrize("path", ["en/data.html", "data.html", "en/methodology.html", "en/legal/index.html"])
def test_the_page_does_not_scroll_sideways_on_a_phone(browser, site_url, path):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = ctx.new_page()
    try:
        tab.goto(site_url + path, wait_until="load")
        # A mobile viewport zooms out to fit a wide page (innerWidth grows): compare with the screen.
        width = tab.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 390, f"{path} is {width} px wide on a 390 px screen"
    finally:
        ctx.close()


def test_citation_boxes_use_the_pages_font_not_a_monospace_one(page, site_url):
    page.goto(site_url + "plans/quang-ninh-2021-27-kh-ubnd.html", wait_until="load")
    box, body = page.evaluate("""() => [getComputedStyle(document.getElementById('cite-plan-plain')).fontFamily,
                                         getComputedStyle(document.body).fontFamily]""")
    assert box == body and "monospace" not in box and "Menlo" not in box
