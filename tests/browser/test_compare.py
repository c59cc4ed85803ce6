"""The compare page in a real Chromium: filters, sorting, the choice kept in the URL (a link reproduces
the view), a CSV of exactly the rows shown, the full table without JavaScript, axe-core clean, in
Vietnamese and English."""
from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, unquote, urlsplit

import orjson
import pytest

from .test_pages import axe_problems

pytestmark = pytest.mark.browser

# The real corpus: 27 top-level targets and 6 parts (Quảng Ninh 2021: 17 and 6).
TARGETS, PARTS = 27, 6


def _path(lang: str) -> str:
    return "compare.html" if lang == "vi" else "en/compare.html"


def _shown(page) -> list[dict]:
    """The rows the reader sees: (id or parent, kind), in order."""
    return page.evaluate("""() => [...document.querySelectorAll('#compare-table tbody tr')]
        .filter(r => !r.hidden && r.offsetParent !== null)
        .map(r => ({cls: r.className, id: r.dataset.id || '', parent: r.dataset.parent || '',
                    province: r.dataset.province || '', value: r.dataset.value || '',
                    csv: JSON.parse(r.dataset.csv)}))""")


def _csv_of_link(page) -> list[dict[str, str]]:
    href = page.get_attribute("#compare-csv", "href")
    assert href.startswith("data:text/csv;charset=utf-8,")
    return list(csv.DictReader(io.StringIO(unquote(href.split(",", 1)[1]), newline="")))


def _open(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_selector("#compare-filters:not([hidden])")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_target_and_part_shows_at_first_and_the_page_passes_axe(page, site_url, lang):
    _open(page, site_url + _path(lang))
    rows = _shown(page)
    assert sum("target" in r["cls"].split() for r in rows) == TARGETS
    assert sum("part" in r["cls"].split() for r in rows) == PARTS
    # Each part right under its target.
    for i, r in enumerate(rows):
        if r["parent"]:
            parent = next(x for x in reversed(rows[:i]) if x["id"])
            assert parent["id"] == r["parent"]
    problems = [str(p) for p in page.problems.items] + axe_problems(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_filter_keeps_only_matching_targets_with_their_parts_and_goes_into_the_url(page, site_url, lang):
    _open(page, site_url + _path(lang))
    page.check("input[name='province'][value='quang-ninh']")
    rows = _shown(page)
    assert {r["csv"][1] for r in rows} == {"Quảng Ninh"}
    assert sum(bool(r["id"]) for r in rows) == 17 and sum(bool(r["parent"]) for r in rows) == 6
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"province": ["quang-ninh"]}
    page.check("input[name='category'][value='rehabilitation']")
    rows = _shown(page)
    assert sorted(r["id"] for r in rows if r["id"]) == ["quang-ninh-2021-27-kh-ubnd/t10",
                                                        "quang-ninh-2021-27-kh-ubnd/t13"]
    assert parse_qs(urlsplit(page.url).query) == {"province": ["quang-ninh"], "category": ["rehabilitation"]}
    count = page.text_content("#compare-count")
    assert count.startswith("2 ") and "5" in count  # 2 targets, with 5 parts


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_provinces_as_they_are_today_gather_the_plans_of_the_merged_provinces(page, site_url, lang):
    # Ninh Thuận is part of Khánh Hòa since 01/07/2025: choosing today's Khánh Hòa shows Ninh Thuận's
    # 2020 targets (under the province that issued them), and nothing else.
    _open(page, site_url + _path(lang))
    label = page.text_content("label:has(input[name='today'][value='khanh-hoa-2025'])").strip()
    assert label == "Khánh Hòa"
    page.check("input[name='today'][value='khanh-hoa-2025']")
    rows = _shown(page)
    assert rows and {r["province"] for r in rows if r["id"]} == {"ninh-thuan"}
    assert {r["csv"][1] for r in rows} == {"Ninh Thuận"}  # the CSV's province at signing, by name
    assert {r["csv"][2] for r in rows} == {"Khánh Hòa"}  # the CSV's province_today
    assert parse_qs(urlsplit(page.url).query) == {"today": ["khanh-hoa-2025"]}
    page.uncheck("input[name='today'][value='khanh-hoa-2025']")
    page.check("input[name='today'][value='vinh-long-2025']")  # Trà Vinh 2022 states no target
    assert _shown(page) == []


def test_a_link_with_the_choice_reproduces_the_view(page, context, site_url):
    _open(page, site_url + "compare.html?kind=press&sort=value_asc")
    first = _shown(page)
    assert first and {r["csv"][4] for r in first} == {"press"}
    assert page.is_checked("input[name='kind'][value='press']")
    assert page.input_value("#compare-sort") == "value_asc"
    values = [float(r["value"]) for r in first if r["id"]]
    assert values == sorted(values)
    again = context.new_page()
    try:
        _open(again, page.url)
        assert [r["id"] for r in _shown(again)] == [r["id"] for r in first]
    finally:
        again.close()


@pytest.mark.parametrize("sort", ["value_desc", "year", "province", "deadline"])
def test_sorting_keeps_every_part_under_its_target(page, site_url, sort):
    _open(page, site_url + "compare.html")
    page.select_option("#compare-sort", sort)
    rows = _shown(page)
    assert len(rows) == TARGETS + PARTS
    tops = [r for r in rows if r["id"]]
    if sort == "value_desc":
        values = [float(r["value"]) for r in tops]
        assert values == sorted(values, reverse=True)
    for i, r in enumerate(rows):
        if r["parent"]:
            assert next(x for x in reversed(rows[:i]) if x["id"])["id"] == r["parent"]
    assert parse_qs(urlsplit(page.url).query) == {"sort": [sort]}


@pytest.mark.parametrize("query", ["", "?province=tuyen-quang", "?today=khanh-hoa-2025",
                                   "?category=communication&year=2021",
                                   "?kind=excerpt&sort=deadline"])
def test_the_csv_is_exactly_the_rows_shown(page, site_url, query):
    _open(page, site_url + "compare.html" + query)
    rows = _shown(page)
    columns = orjson.loads(page.text_content("#compare-csv-columns"))
    data = _csv_of_link(page)
    assert rows and len(data) == len(rows)
    assert [(d["plan_id"], d["target_id"]) for d in data] == [(r["csv"][0], r["csv"][7]) for r in rows]
    assert list(data[0]) == columns
    with page.expect_download() as info:
        page.click("#compare-csv")
    downloaded = list(csv.DictReader(io.StringIO(open(info.value.path(), encoding="utf-8").read(), newline="")))
    assert downloaded == data


def test_the_csv_carries_subject_as_written_value_deadline_comparability_and_quote(page, site_url):
    _open(page, site_url + "compare.html?category=planning")
    data = _csv_of_link(page)
    assert {d["plan_id"] for d in data} == {"ninh-thuan-2020", "quang-ninh-2021-27-kh-ubnd"}
    assert {d["comparability"] for d in data} == {"broader_narrower"}
    assert all(d["quote"] and d["subject_text"] and d["deadline"] for d in data)


def test_without_javascript_the_full_table_shows_and_the_filters_stay_hidden(browser, site_url):
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        tab = ctx.new_page()
        tab.goto(site_url + "compare.html", wait_until="load")
        assert tab.locator("#compare-filters").is_hidden()
        assert tab.locator("#compare-table tbody tr:visible").count() == TARGETS + PARTS
        assert tab.locator("noscript").count() >= 1
    finally:
        ctx.close()


def test_the_english_compare_page_labels_its_filters_in_english(page, site_url):
    _open(page, site_url + "en/compare.html")
    legends = page.locator("#compare-filters legend").all_text_contents()
    assert any(text.startswith("Province") for text in legends)
    assert page.locator("html").get_attribute("lang") == "en"
