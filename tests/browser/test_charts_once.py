"""Issue 19 item 6: a bar's hover, shipped without the subject and the quote its table shows, is whole
again once charts.js has drawn the interactive chart from the figure and the page's table."""
from __future__ import annotations

import pytest

from .helpers import WAIT_CHARTS

# For each bar chart drawn: its hover texts, and for each bar the subject and the quote of its table row
# (the chart's own table, or the category page's targets table the chart refers to).
HOVERS_AND_ROWS = """() => [...document.querySelectorAll('figure.chart')].map(fig => {
  const plot = fig.querySelector('[data-chart]');
  const bar = (plot.data || []).find(t => t.type === 'bar');
  if (!bar) return null;
  const ref = fig.querySelector('.chart-table-ref a');
  let rows;
  if (ref) {
    rows = [...document.getElementById(ref.getAttribute('href').slice(1)).tBodies[0].rows]
      .filter(r => !r.classList.contains('child'))
      .map(r => [(r.cells[1].querySelector('.sw') || r.cells[1]).textContent, r.cells[5].querySelector('q').textContent]);
  } else {
    const cols = JSON.parse(document.getElementById(plot.dataset.chart).textContent).layout.meta.hover_cells;
    rows = [...fig.querySelectorAll('.chart-table tbody tr')].map(r => cols.map(c => r.cells[c].textContent));
  }
  return {id: fig.id, ref: !!ref, hover: bar.hovertext, rows};
}).filter(Boolean)"""


def _words(text: str) -> str:
    """A hover's or a cell's words (line breaks and plotly's character references undone)."""
    text = text.replace("<br>", " ").replace("&#60;", "<").replace("&#62;", ">").replace("&#38;", "&")
    return " ".join(text.split())


@pytest.mark.parametrize("path", ["charts/communication--xa--percent.html", "categories/communication.html",
                                  "en/categories/communication.html", "index.html"])
def test_a_bars_hover_is_built_from_the_pages_table(page, site_url, path):
    page.goto(site_url + path)
    page.wait_for_function(WAIT_CHARTS)
    charts = page.evaluate(HOVERS_AND_ROWS)
    assert charts, f"{path}: no bar chart drawn"
    if "categories/" in path:
        assert any(c["ref"] for c in charts), "the category page's charts take their rows from its targets table"
    for c in charts:
        assert c["rows"] and len(c["hover"]) == len(c["rows"]), c["id"]
        for hover, (subject, quote) in zip(c["hover"], c["rows"]):
            assert isinstance(hover, str) and hover.count("<br>") >= 3, hover  # plan, value, subject, quote
            words = _words(hover)
            assert _words(f"“{quote}”") in words, (c["id"], quote)
            assert (_words(subject) or "—") in words, (c["id"], subject)
    assert not page.problems, str(page.problems)
