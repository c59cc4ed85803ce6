"""On a phone (390 px) a table's rows become cards, each cell named by its column: the names come from
style.css (rules the build appends, sitegen/render.py CELL_LABELS), not from a data-label on every cell.
Each shown cell's name must be its column's heading, in both languages, for every kind of card table:
the targets of a category page, the compare table's targets and parts (the compare page, a unit's table
on a split site, and the rows the compare page takes in from it), the plans side by side of a province;
on a wide screen no cell is named (the heading row shows)."""
from __future__ import annotations

import pytest

from sitegen.render import CELL_LABELS

from .helpers import LANGS

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# Each row of the tables matched: its column headings, and each cell's name as drawn (its ::before).
CARDS_JS = """(sel) => [...document.querySelectorAll(sel)].flatMap(t => {
  const heads = [...t.tHead.rows[0].cells].map(c => c.textContent.trim());
  return [...t.tBodies[0].rows].filter(r => !r.hidden).map(r => ({
    part: r.classList.contains('part'), heads, id: r.dataset.id || r.dataset.parent || '',
    names: [...r.cells].map(c => { const s = getComputedStyle(c, '::before');
                                   return s.content === 'none' || s.content === 'normal' ? '' : JSON.parse(s.content); }),
    block: [...r.cells].map(c => getComputedStyle(c, '::before').display)}));
})"""


def _rows(page, url: str, selector: str) -> list[dict]:
    page.goto(url, wait_until="load")
    rows = page.evaluate(CARDS_JS, selector)
    assert rows, f"no row of {selector} on {url}"
    return rows


def _check(rows: list[dict]) -> None:
    for r in rows:
        # A part's first cell ("part of the target above") spans the four columns of the plan: unnamed.
        expected = ["", *r["heads"][4:]] if r["part"] else r["heads"]
        assert r["names"] == expected, r


@pytest.fixture(scope="module")
def phone(browser):
    ctx = browser.new_context(viewport=PHONE)
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def split_url(split_site):
    from conftest import _serve
    server, thread = _serve(split_site)
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()
    thread.join(5)


def test_every_kind_of_card_table_is_listed():
    assert {rows.split(" > ")[0] for rows, _ in CELL_LABELS} == {
        "table.targets.by-plan", "table.targets:not(.by-plan)", "table.compare-table", "table.sides"}


@pytest.mark.parametrize("lang", LANGS)
def test_on_a_phone_each_cell_is_named_by_its_columns_heading(phone, site_url, lang):
    prefix = "" if lang == "vi" else "en/"
    page = phone.new_page()
    try:
        tables = [(f"{prefix}categories/rehabilitation.html", "table.targets.by-plan"),
                  (f"{prefix}provinces/tuyen-quang.html", "table.cards.sides"),
                  (f"{prefix}compare.html", "#compare-table")]
        for path, selector in tables:
            rows = _rows(page, site_url + path, selector)
            _check(rows)
            assert all(b == "block" for r in rows for b, n in zip(r["block"], r["names"]) if n)
        compare = _rows(page, site_url + f"{prefix}compare.html", "#compare-table")
        assert any(r["part"] for r in compare) and any(not r["part"] for r in compare)
        assert compare[0]["heads"][0] == ("Tỉnh" if lang == "vi" else "Province")
    finally:
        page.close()


@pytest.mark.parametrize("lang", LANGS)
def test_a_units_table_and_the_rows_taken_from_it_are_named_on_a_phone(phone, split_url, lang):
    prefix = "" if lang == "vi" else "en/"
    page = phone.new_page()
    try:
        unit = _rows(page, split_url + f"{prefix}compare/quang-ninh.html", "table.compare-table")
        _check(unit)
        taken = _rows(page, split_url + f"{prefix}compare.html?province=quang-ninh", "#compare-table")
        page.wait_for_function("() => !document.getElementById('compare-table').hasAttribute('aria-busy')")
        taken = page.evaluate(CARDS_JS, "#compare-table")
        _check(taken)
        assert sorted(r["id"] for r in taken) == sorted(r["id"] for r in unit) and len(taken) == 34 + 12
    finally:
        page.close()


def test_on_a_wide_screen_no_cell_is_named(page, site_url):
    page.set_viewport_size({"width": 1280, "height": 900})
    rows = _rows(page, site_url + "compare.html", "#compare-table")
    assert all(n == "" for r in rows for n in r["names"])
