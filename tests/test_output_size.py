"""What the site leaves out or writes once to stay small (issue 10 step 3: a national corpus in 1 GB):
these tests say what each page still carries."""
from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.pages.categories import SOURCE_NAMES_MAX, chart_source
from sitegen.pages.kit import DESCRIPTION_MAX
from sitegen.textutil import shorten


def meta_description(text: str) -> str:
    """A page's meta description, as Kit.base cuts it."""
    return shorten(text, DESCRIPTION_MAX)

REAL_CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_a_short_description_is_kept_whole():
    assert meta_description("Biểu đồ cột: 3 kế hoạch.") == "Biểu đồ cột: 3 kế hoạch."


def test_a_long_description_is_cut_at_a_word_with_an_ellipsis():
    text = "An Giang 2009: 95%; " * 40
    short = meta_description(text)
    assert len(short) <= DESCRIPTION_MAX and short.endswith("…")
    kept = short[:-1]
    assert text.startswith(kept) and text[len(kept)] in " ;:"  # whole words, no trailing separator
    assert kept[-1] not in " ;:"


# ---------------------------------------------------------------- a chart's source line


@pytest.fixture(scope="module")
def kits():
    from sitegen.pages import kits as make_kits
    from sitegen.pipeline import gather

    return make_kits(gather(REAL_CORPUS).site)


def test_a_chart_of_a_few_plans_names_each_document(kits):
    vi = kits["vi"]
    ids = [p.id for p in vi.corpus.plans]
    assert len(ids) <= SOURCE_NAMES_MAX
    assert chart_source(vi, "c", ids) == vi.source_line(ids)
    assert "Kế hoạch 27/KH-UBND ngày 02/02/2021" in chart_source(vi, "c", ids)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_chart_of_many_plans_counts_them_and_points_to_its_csv_for_each_bars_plan(kits, lang):
    ids = [f"plan-{i}" for i in range(SOURCE_NAMES_MAX + 1)] * 2  # each counted once
    line = chart_source(kits[lang], "nhom--ha-noi", ids)
    csv = "data/charts/nhom--ha-noi.csv" if lang == "vi" else "data/charts/nhom--ha-noi.en.csv"
    assert line.startswith(("Nguồn: 13 kế hoạch;", "Source: 13 plans;")) and csv in line and "plans.csv" in line


# ---------------------------------------------------------------- province pages on a split site


def test_a_split_province_page_sets_the_latest_pairs_side_by_side_and_says_so():
    """Each pair repeats both plans' targets with their quotes: a split site shows the latest ones,
    and every plan stays in the timeline."""
    from dataclasses import replace

    from sitegen.options import SiteOptions
    from sitegen.pages import Kit
    from sitegen.pages import provinces as province_pages
    from sitegen.pipeline import gather

    site = gather(REAL_CORPUS).site
    unsplit = province_pages.province(Kit(site, "vi"), "tuyen-quang").page
    assert len(unsplit.timeline) == 2 and len(unsplit.comparisons) == 1 and not unsplit.pairs_note
    for most, shown in ((1, 1), (0, 0)):
        split = replace(site, options=SiteOptions(split_max_plans=2, province_pairs_max=most))
        for lang in ("vi", "en"):
            page = province_pages.province(Kit(split, lang), "tuyen-quang").page
            assert len(page.timeline) == 2 and len(page.comparisons) == shown
            assert bool(page.pairs_note) == (shown == 0)
    page = province_pages.province(Kit(replace(site, options=SiteOptions(split_max_plans=2, province_pairs_max=0)),
                                       "vi"), "tuyen-quang").page
    assert page.pairs_note.startswith("Dưới đây là 0 cặp kế hoạch nối tiếp nhau gần nhất (từ kế hoạch năm 2019), trong 1 cặp")


# ---------------------------------------------------------------- once per site, not per cell or row


def test_no_table_cell_carries_its_columns_name_the_stylesheet_does(built_site):
    """A phone's card names each cell by its column: once in style.css per language (render.CELL_LABELS),
    not a data-label on each of the nine cells of every row (issue 19, item 6)."""
    import re

    pages = [p for p in built_site.rglob("*.html")]
    cells = [p for p in pages if re.search(rb"<t[dh][^>]* data-label=", p.read_bytes())]
    assert pages and cells == []
    css = (built_site / "assets" / "style.css").read_text("utf-8")
    assert 'html[lang="vi"] table.compare-table > tbody > tr.target > :nth-child(9)::before { content: "Trích dẫn nguyên văn"; }' in css
    assert 'html[lang="en"] table.sides > tbody > tr > :nth-child(1)::before { content: "Category"; }' in css


def test_a_compare_rows_csv_cells_leave_out_the_quote_and_subject_it_shows(built_site):
    """The compare table's data-csv holds the CSV cells but the subject as written and the quote, which
    the row shows (compare.js reads them from its cells): each quote once per row."""
    import html
    import re

    import orjson

    from sitegen.pages.compare import CSV_COLUMNS

    page = (built_site / "compare.html").read_text("utf-8")
    rows = [orjson.loads(html.unescape(m)) for m in re.findall(r'data-csv="([^"]*)"', page)]
    quotes = [html.unescape(q) for q in re.findall(r'<q lang="vi">([^<]*)</q>', page)]
    assert rows and len(quotes) == len(rows)
    for row, quote in zip(rows, quotes):
        assert len(row) == len(CSV_COLUMNS)
        assert row[CSV_COLUMNS.index("quote")] is None and row[CSV_COLUMNS.index("subject_text")] is None
        assert page.count(html.escape(quote, quote=False)) >= 1
