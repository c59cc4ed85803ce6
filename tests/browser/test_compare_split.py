"""The compare page of a split site (more plans than SiteOptions.split_max_plans), read as files and in
Chromium: the page holds the latest plan's rows and the filters; each provincial unit has a static
table of its plans (compare/<unit>.html, no data file beside it) whose rows the page takes in only for
the provinces chosen, reading as they do in the unit's own table; the choice lives in the URL; the CSV is exactly the rows shown; without JavaScript the latest plan's rows
and a link to each unit's table show; axe-core clean, in both languages.

The fixture: the real corpus and a 2023 copy of Quảng Ninh's plan (conftest.split_site), built with
split_max_plans=2 (the options passed to the build, no constant patched).
"""
from __future__ import annotations

import csv
import html
import io
import json
import posixpath
import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from .test_pages import axe_problems

pytestmark = pytest.mark.browser

QN_2023 = "quang-ninh-2023-90-kh-ubnd"
UNITS = ("ninh-thuan", "quang-ninh", "tra-vinh", "tuyen-quang")
# Quảng Ninh 2023 copies the 2021 plan: 17 top-level targets and 6 parts each.
LATEST_ROWS = 17 + 6


@pytest.fixture(scope="module")
def split_url(split_site):
    """The split site served over HTTP (the page fetches its data files)."""
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from conftest import _serve
    server, thread = _serve(split_site)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join(5)


def _path(lang: str, path: str = "compare.html") -> str:
    return path if lang == "vi" else f"en/{path}"


def _open(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.wait_for_selector("#compare-filters:not([hidden])")
    page.wait_for_function("() => !document.getElementById('compare-table').hasAttribute('aria-busy')")


# Every visible row as a reader sees it: the text of each cell, and each link resolved to an absolute URL.
ROWS_JS = """(sel) => [...document.querySelectorAll(sel)]
    .filter(r => !r.hidden && r.offsetParent !== null)
    .map(r => ({cls: r.className, id: r.dataset.id || '', parent: r.dataset.parent || '',
                province: r.dataset.province || '', csv: r.dataset.csv ? JSON.parse(r.dataset.csv) : null,
                cells: [...r.cells].map(c => c.innerText.trim()),
                labels: [...r.cells].map(c => getComputedStyle(c, '::before').content),
                lang: [...r.querySelectorAll('[lang]')].map(e => e.tagName + ':' + e.lang),
                links: [...r.querySelectorAll('a')].map(a => a.href)}))"""


def _shown(page) -> list[dict]:
    return page.evaluate(ROWS_JS, "#compare-table tbody tr")


def _csv_of_link(page) -> list[dict[str, str]]:
    href = page.get_attribute("#compare-csv", "href")
    assert href.startswith("data:text/csv;charset=utf-8,")
    return list(csv.DictReader(io.StringIO(unquote(href.split(",", 1)[1]), newline="")))


def _data_requests(page) -> list[str]:
    """Record the units' tables the page's script fetches (their site paths)."""
    seen: list[str] = []
    page.on("request", lambda r: r.resource_type == "fetch" and "/compare/" in r.url and seen.append(
        urlsplit(r.url).path.lstrip("/")))
    return seen


def _table_rows(page: Path) -> list[dict[str, str]]:
    """The data-* attributes of each row of a compare table (a page's or a unit's), data-csv parsed."""
    rows = [{k: html.unescape(v) for k, v in re.findall(r' data-([a-z]+)="([^"]*)"', tr)}
            for tr in re.findall(r"<tr class=\"(?:target|part)[^>]*>", page.read_text("utf-8"))]
    return [{**r, "csv": json.loads(r["csv"])} for r in rows]


# ---------------------------------------------------------------- the files


def test_the_page_holds_the_latest_plan_only_and_each_unit_has_a_table_of_its_rows(split_site):
    html = (split_site / "compare.html").read_text("utf-8")
    assert html.count('<tr class="target') == 17 and html.count('<tr class="part') == 6
    assert f'data-default-plan="{QN_2023}"' in html
    assert html.count(f'data-id="{QN_2023}/') == 17 and 'data-id="quang-ninh-2021-27-kh-ubnd/' not in html
    for lang in ("vi", "en"):
        for unit in UNITS:
            assert not (split_site / _path(lang, f"compare/{unit}.json")).exists()
            rows = _table_rows(split_site / _path(lang, f"compare/{unit}.html"))
            ids = {r["csv"][0] for r in rows}
            plans = {p.stem for p in (split_site.parent / "corpus" / "plans").glob("*.md")}
            assert ids <= plans
            assert all(r.get("province", unit) == unit for r in rows)
        # The page links every unit's table.
        page = (split_site / _path(lang)).read_text("utf-8")
        assert all(f'href="compare/{unit}.html"' in page for unit in UNITS)
    qn = _table_rows(split_site / "compare/quang-ninh.html")
    assert {r["csv"][0] for r in qn} == {"quang-ninh-2021-27-kh-ubnd", QN_2023}
    assert (sum("id" in r for r in qn), sum("parent" in r for r in qn)) == (34, 12)
    assert _table_rows(split_site / "compare/tra-vinh.html") == []  # no target


# ---------------------------------------------------------------- without JavaScript


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_without_javascript_the_latest_plan_shows_with_a_link_to_every_units_table(browser, split_url, lang):
    ctx = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        tab = ctx.new_page()
        tab.goto(split_url + _path(lang), wait_until="load")
        assert tab.locator("#compare-filters").is_hidden()
        assert tab.locator("#compare-table tbody tr:visible").count() == LATEST_ROWS
        assert QN_2023 in (tab.locator("noscript").inner_html() + tab.content())
        tab.click(f"#compare-units ~ ul a[href='compare/quang-ninh.html']")
        tab.wait_for_load_state("load")
        assert tab.url.endswith(_path(lang, "compare/quang-ninh.html"))
        rows = tab.locator("table.compare-table tbody tr")
        assert rows.count() == 34 + 12
        # Its quote links lead to the quote in the plan's text, which is on its Vietnamese page (one
        # folder up; from the English edition, two: the English plan page does not repeat the text).
        href = tab.locator("table.compare-table tbody tr a.quote-link").first.get_attribute("href")
        assert href.startswith("../plans/" if lang == "vi" else "../../plans/") and "#q-" in href
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_units_table_passes_axe(page, split_url, lang):
    page.goto(split_url + _path(lang, "compare/quang-ninh.html"), wait_until="load")
    assert page.locator("table.compare-table tbody tr").count() == 34 + 12
    problems = [str(p) for p in page.problems.items] + axe_problems(page)
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- with JavaScript


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_at_first_the_page_shows_the_latest_plan_and_fetches_nothing(page, split_url, lang):
    fetched = _data_requests(page)
    _open(page, split_url + _path(lang))
    rows = _shown(page)
    assert len(rows) == LATEST_ROWS and {r["csv"][0] for r in rows} == {QN_2023}
    assert fetched == []
    assert len(_csv_of_link(page)) == LATEST_ROWS
    problems = [str(p) for p in page.problems.items] + axe_problems(page)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_choosing_provinces_loads_only_their_tables_and_shows_their_rows(page, split_url, split_site, lang):
    fetched = _data_requests(page)
    _open(page, split_url + _path(lang))
    page.check("input[name='province'][value='tuyen-quang']")
    page.wait_for_function("() => !document.getElementById('compare-table').hasAttribute('aria-busy')")
    assert fetched == [_path(lang, "compare/tuyen-quang.html")]
    assert parse_qs(urlsplit(page.url).query) == {"province": ["tuyen-quang"]}
    rows = _shown(page)
    assert rows and {r["province"] for r in rows if r["id"]} == {"tuyen-quang"}
    # The rows taken from the unit's table read as they do there (cells, labels, links, lang).
    static = page.context.new_page()
    try:
        static.goto(split_url + _path(lang, "compare/tuyen-quang.html"), wait_until="load")
        table = static.evaluate(ROWS_JS, "table.compare-table tbody tr")
    finally:
        static.close()
    keys = ("cls", "cells", "labels", "lang", "links")
    assert [{k: r[k] for k in keys} for r in rows] == [{k: r[k] for k in keys} for r in table]
    # Two provinces: Quảng Ninh's table added, Tuyên Quang's not fetched again; the CSV is the rows shown.
    page.check("input[name='province'][value='quang-ninh']")
    page.wait_for_function("() => !document.getElementById('compare-table').hasAttribute('aria-busy')")
    assert fetched == [_path(lang, "compare/tuyen-quang.html"), _path(lang, "compare/quang-ninh.html")]
    rows = _shown(page)
    tops = [r for r in rows if r["id"]]
    assert len(tops) == 3 + 34 and len(set(r["id"] for r in tops)) == len(tops)  # the latest plan's rows once
    assert page.text_content("#compare-table caption") == page.text_content("#compare-count")
    assert page.text_content("#compare-count").startswith("37 ")
    data = _csv_of_link(page)
    assert [(d["plan_id"], d["target_id"]) for d in data] == [(r["csv"][0], r["csv"][7]) for r in rows]
    # The subject as written and the quote, which data-csv leaves out, are read from the row's cells.
    assert all(d["subject_text"] == r["cells"][-5] and d["quote"] and r["cells"][-1].startswith(d["quote"])
               for d, r in zip(data, rows))
    for i, r in enumerate(rows):  # each part right under its target
        if r["parent"]:
            assert next(x for x in reversed(rows[:i]) if x["id"])["id"] == r["parent"]
    problems = [str(p) for p in page.problems.items] + axe_problems(page)
    assert not problems, "\n".join(problems)


def test_a_province_of_today_loads_the_units_it_was_formed_from(page, split_url):
    fetched = _data_requests(page)
    _open(page, split_url + "compare.html?today=khanh-hoa-2025")
    assert fetched == ["compare/ninh-thuan.html"]
    rows = _shown(page)
    assert rows and {r["province"] for r in rows if r["id"]} == {"ninh-thuan"}
    assert {r["csv"][2] for r in rows} == {"Khánh Hòa"}


def test_a_link_with_the_choice_reproduces_the_view_and_its_csv(page, context, split_url):
    _open(page, split_url + "compare.html?province=quang-ninh&category=rehabilitation&sort=value_asc")
    first = _shown(page)
    assert first and {r["csv"][6] for r in first if r["id"]} == {"rehabilitation"}
    assert {r["csv"][0] for r in first} == {"quang-ninh-2021-27-kh-ubnd", QN_2023}
    values = [float(r["csv"][11]) for r in first if r["id"]]
    assert values == sorted(values)
    csv_first = _csv_of_link(page)
    assert len(csv_first) == len(first)
    again = context.new_page()
    try:
        _open(again, page.url)
        assert [r["id"] or r["parent"] for r in _shown(again)] == [r["id"] or r["parent"] for r in first]
        assert _csv_of_link(again) == csv_first
    finally:
        again.close()


def test_clearing_the_choice_goes_back_to_the_latest_plan(page, split_url):
    _open(page, split_url + "compare.html?province=ninh-thuan")
    assert {r["province"] for r in _shown(page) if r["id"]} == {"ninh-thuan"}
    page.click("#compare-filters button[type='reset']")
    page.wait_for_function("() => location.search === ''")
    rows = _shown(page)
    assert len(rows) == LATEST_ROWS and {r["csv"][0] for r in rows} == {QN_2023}


def test_a_units_table_that_fails_to_load_is_said(page, split_url):
    page.route("**/compare/tuyen-quang.html", lambda route: route.fulfill(status=404, body="gone"))
    page.goto(split_url + "compare.html?province=tuyen-quang", wait_until="load")
    page.wait_for_function("() => !document.getElementById('compare-table').hasAttribute('aria-busy')")
    failed = page.get_attribute("#compare-count", "data-failed")
    assert page.text_content("#compare-count") == failed
    assert page.get_attribute("#compare-csv", "href") is None  # no CSV of rows that are not shown

