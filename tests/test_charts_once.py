"""Issue 19 item 6, charts: a page ships each piece of a chart's data once. A bar's hover keeps its plan
and value lines in the figure's JSON; its subject as written and its quote are cells of the page's table
(the chart's own, or a category page's targets table), which charts.js reads them from. A downloaded
image's title, source line, subtitle and notes are read from the page, not shipped again beside it."""
from __future__ import annotations

import json
import re
import textwrap

import html5lib
import pytest

from sitegen.charts import HOVER_KEPT, comparison_chart, latest_chart, page_figure, plot_text

NS = {"h": "http://www.w3.org/1999/xhtml"}
POINT = {"target_id": "t1", "comparability": "exact", "deadline": 2025, "source_kind": "official"}


def _rows():
    long_quote = "Phấn đấu 100% xã, phường, thị trấn <b>có</b> mô hình & " + "câu lạc bộ phòng, chống ma túy " * 4
    return [
        {"plan_id": "a", "label": "Quảng Ninh 2021", "province": "Quảng Ninh", "plan_label": "Quảng Ninh 2021",
         "year": 2021, "issued": "2021-02-02", "value": 100.0, "value_max": None, "comparator": "=", "unit": "percent",
         **POINT, "subject_text": "các xã, phường, thị trấn", "quote": long_quote},
        {"plan_id": "b", "label": "Ninh Thuận 2020", "province": "Ninh Thuận", "plan_label": "Ninh Thuận 2020",
         "year": 2020, "issued": "2020-05-01", "value": 90.0, "value_max": 95.0, "comparator": "=", "unit": "percent",
         **POINT, "subject_text": "", "quote": "đạt 90 - 95% số xã"},
    ]


@pytest.mark.parametrize("make", [comparison_chart, latest_chart])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_bars_hover_is_its_kept_lines_and_the_table_cells_it_leaves_out(make, lang):
    chart = make("c", "Tiêu đề", _rows(), "%", lang, "Nguồn")
    (full,) = chart.figure["data"]
    shipped = page_figure(chart)
    (bar,) = shipped["data"]
    subject_col, quote_col = shipped["layout"]["meta"]["hover_cells"]
    assert len(bar["hovertext"]) == len(chart.rows) == 2
    for kept, row, hover in zip(bar["hovertext"], chart.rows, full["hovertext"]):
        assert len(kept) == HOVER_KEPT
        # What charts.js does with the row's cells gives the whole hover back.
        subject = [plot_text(s) for s in textwrap.wrap(row[subject_col], 60)] or ["—"]
        quote = [plot_text(s) for s in textwrap.wrap(f"“{row[quote_col]}”", 60)]
        assert "<br>".join(kept + subject + quote) == hover
    raw = json.dumps(shipped, ensure_ascii=False)
    assert "câu lạc bộ" not in raw and "các xã, phường" not in raw  # the quote and the subject: in the table only
    assert bar["x"] == full["x"] and bar["y"] == full["y"] and chart.figure["data"][0] is full  # the chart unchanged


def _text(el) -> str:
    return "".join(el.itertext())


def _charts(built_site):
    """(page, figure element, its figure JSON, its image JSON, the page tree) for every chart with bars."""
    found = []
    for f in sorted(built_site.rglob("*.html")):
        html = f.read_text("utf-8")
        if 'class="chart"' not in html:
            continue
        tree = html5lib.parse(html, namespaceHTMLElements=True)
        for fig in tree.iterfind(".//h:figure[@class='chart']", NS):
            spec = json.loads(_text(fig.find(".//h:script[@id='%s-data']" % fig.get("id"), NS)))
            image = json.loads(_text(fig.find(".//h:script[@id='%s-image']" % fig.get("id"), NS)))
            found.append((f.relative_to(built_site).as_posix(), fig, spec, image, tree))
    return found


def _bar_rows(fig, tree):
    """The table rows a chart's bars take their hover from: the chart's own table, or the targets table it
    refers to (its rows that are not a part of a target)."""
    ref = fig.find(".//h:p[@class='chart-table-ref']/h:a", NS)
    if ref is None:
        return fig.findall(".//h:details[@class='chart-table']//h:tbody/h:tr", NS), False
    table = next(t for t in tree.iterfind(".//h:table", NS) if t.get("id") == ref.get("href")[1:])
    return [r for r in table.iterfind(".//h:tbody/h:tr", NS) if "child" not in (r.get("class") or "")], True


def test_no_chart_data_is_shipped_twice_on_the_built_site(built_site):
    charts = _charts(built_site)
    bars = [c for c in charts if any(t["type"] == "bar" for t in c[2]["data"])]
    assert len(bars) > 10 and any(_bar_rows(c[1], c[4])[1] for c in bars)  # both kinds of table are checked
    for path, fig, spec, image, tree in bars:
        (bar,) = spec["data"]
        rows, targets_table = _bar_rows(fig, tree)
        # A row per bar, in the bars' order (the row's plan or province is the bar's name).
        assert len(rows) == len(bar["x"]), (path, fig.get("id"))
        for row, x, kept in zip(rows, bar["x"], bar["hovertext"]):
            first = row[0].find("h:a", NS) if targets_table else row[0]
            assert plot_text(_text(first).strip()) == x, (path, x)
            assert len(kept) == HOVER_KEPT
            quote = _text(row[5].find("h:q", NS) if targets_table else row[spec["layout"]["meta"]["hover_cells"][1]])
            assert quote and plot_text(quote)[:40] not in json.dumps(spec, ensure_ascii=False), (path, quote)
    for path, fig, spec, image, tree in charts:
        # The image's words the page shows are read from it.
        assert not {"title", "source", "notes"} & set(image), path
        assert ("subtitle" in image) != (fig.find(".//h:p[@class='chart-subtitle']", NS) is not None), path


def test_the_real_sites_figures_carry_no_line_break_of_a_bars_hover(built_site):
    """A bar's kept lines are a list (charts.js joins them): no escaped <br> between them in the JSON."""
    page = (built_site / "charts" / "communication--xa--percent.html").read_text("utf-8")
    spec = re.search(r'id="chart-communication--xa--percent-data">(.*?)</script>', page, re.S).group(1)
    assert "hover_cells" in spec and "\\u003cbr\\u003e" not in spec
