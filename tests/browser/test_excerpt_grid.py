"""Issue 18 item 4 in Chromium: on the home grid, an excerpt whose text states no target is a cell of
its own colour, "targets not in this text", listed in the legend, never a plan "without targets";
axe-core finds no serious violation in either colour scheme."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .helpers import CORPUS, WAIT_CHARTS, Problems
from .test_pages import axe_problems

pytestmark = pytest.mark.browser

EXCERPT = "tuyen-quang-2013-86-kh-ubnd"  # states no target; its text is marked an excerpt here
FULL = "tra-vinh-2022"  # a full text that states none
WORDS = {"vi": "chỉ tiêu không có trong văn bản này", "en": "targets not in this text"}

CELLS_JS = """() => Object.fromEntries([...document.querySelectorAll('table.grid td a')].map(a => {
  const td = a.closest('td');
  return [a.getAttribute('href').split('/').pop(),
          {cls: td.className, text: a.innerText, bg: getComputedStyle(td).backgroundColor, shown: a.checkVisibility()}];
}))"""
LEGEND_JS = """() => [...document.querySelectorAll('p.legend .swatch')].map(s => ({
  cls: s.className, bg: getComputedStyle(s).backgroundColor, text: s.nextSibling.textContent.trim()}))"""


@pytest.fixture(scope="module")
def excerpt_site(tmp_path_factory) -> Path:
    """The real corpus with Tuyên Quang 2013 marked an excerpt, built."""
    from sitegen.options import SiteOptions
    from sitegen.pipeline import build

    tmp = tmp_path_factory.mktemp("excerpt-grid")
    corpus = shutil.copytree(CORPUS, tmp / "corpus")
    md = corpus / "plans" / f"{EXCERPT}.md"
    text = md.read_text("utf-8")
    assert text.count("\nexcerpt: false\n") == 1
    md.write_text(text.replace("\nexcerpt: false\n", "\nexcerpt: true\n"), "utf-8")
    build(corpus, tmp / "site", SiteOptions(search=False))
    return tmp / "site"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_home_grid_shows_an_excerpt_without_targets_as_not_in_this_text(browser, excerpt_site, lang, scheme):
    ctx = browser.new_context(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    problems = Problems().watch(page)
    try:
        page.goto((excerpt_site / ("en/" if lang == "en" else "") / "index.html").as_uri(), wait_until="load")
        page.wait_for_function(WAIT_CHARTS)
        cells = page.evaluate(CELLS_JS)
        mine, full = cells[f"{EXCERPT}.html"], cells[f"{FULL}.html"]
        assert mine["cls"] == "cell-not_in_text" and mine["shown"] and WORDS[lang] in mine["text"].lower()
        assert full["cls"] == "cell-no_targets" and WORDS[lang] not in full["text"].lower()
        # Its own colour: neither a plan without targets, nor one with targets, nor an empty year.
        others = {c["bg"] for name, c in cells.items() if name != f"{EXCERPT}.html"}
        assert mine["bg"] not in others and mine["bg"] != "rgba(0, 0, 0, 0)"
        legend = {s["cls"].split()[-1]: s for s in page.evaluate(LEGEND_JS)}
        assert legend["cell-not_in_text"]["bg"] == mine["bg"]
        assert WORDS[lang] in legend["cell-not_in_text"]["text"].lower()
        found = [str(p) for p in problems.items] + axe_problems(page)
        assert not found, "\n".join(found)
    finally:
        page.close()
        ctx.close()
