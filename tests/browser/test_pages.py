"""Every page type, in Vietnamese and English, in a real Chromium: loads without any console
error, page error or failed request; draws its charts; shows each chart's table equivalent with one
row per data point; loads no plotly when it has no chart; and passes axe-core (no serious or
critical violation)."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from .helpers import CHARTS_JS, PAGE_IDS, PAGES, PLAN_IDS, WAIT_CHARTS, expected_table_rows, page_path

pytestmark = pytest.mark.browser

AXE = Axe()
BLOCKING = ("serious", "critical")


def open_ready(page, url: str) -> None:
    """Open a page and wait until its scripts have done their work (charts drawn, search box ready)."""
    page.goto(url, wait_until="load")
    page.wait_for_function(WAIT_CHARTS)
    if page.locator("#search").count():
        page.wait_for_selector("#search input.pagefind-ui__search-input")
        page.wait_for_selector("label[for='search-input']")


def chart_problems(page, path: str, kind: str) -> list[str]:
    """Charts drawn, their data as in the page's JSON, their tables complete; plotly only where needed."""
    problems = []
    charts = page.evaluate(CHARTS_JS)
    plotly = page.locator("script[src*='plotly']").count()
    if kind in ("category-chart", "chart", "embed", "home") and not charts:
        problems.append("should show a chart and shows none")
    if kind == "category-nochart" and charts:
        problems.append(f"is the category without a chart but shows {len(charts)}")
    if not charts:
        if plotly:
            problems.append("has no chart but loads plotly")
        return problems
    if plotly != 1:
        problems.append(f"has charts but loads plotly {plotly} times")
    for c in charts:
        if c["drawn"] != "true" or c["svg"] < 1:
            problems.append(f"{c['id']} was not drawn (data-drawn={c['drawn']}, svg.main-svg: {c['svg']})")
            continue
        expected = expected_table_rows(c["spec"])
        if c["tableRows"] != expected:
            problems.append(f"{c['id']}: the table equivalent has {c['tableRows']} rows, the chart "
                            f"{expected} data points")
        drawn = [(t["type"], t["x"], t["y"]) for t in c["drawnData"]]
        if drawn != [(t["type"], t.get("x", []), t.get("y", [])) for t in c["spec"]["data"]]:
            problems.append(f"{c['id']} drew other data than its JSON block")
    return problems


def axe_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now."""
    results = AXE.run(page)
    return [f"axe {v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}x), e.g. "
            f"{[n['target'] for n in v['nodes'][:3]]}\n      {v['nodes'][0]['failureSummary']}"
            for v in results.response["violations"] if v["impact"] in BLOCKING]


@pytest.mark.parametrize(("kind", "lang"), PAGES, ids=PAGE_IDS)
def test_page_type(page, built_site, site_url, kind, lang):
    """One page of each type: clean load, charts and tables, no plotly without a chart, axe-core."""
    path = page_path(built_site, kind, lang)
    open_ready(page, site_url + path)
    page.wait_for_timeout(100)  # let late errors (a failed fetch, a deferred script) arrive
    problems = [str(p) for p in page.problems.items]
    if (actual := page.evaluate("document.documentElement.lang")) != lang:
        problems.append(f"<html lang={actual!r}>, expected {lang!r}")
    problems += chart_problems(page, path, kind)
    problems += axe_problems(page)
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("kind", ["home", f"plan:{PLAN_IDS[0]}", "category-chart"])
def test_dark_colour_scheme_has_no_serious_accessibility_violation(browser, built_site, site_url, kind):
    """The site follows prefers-color-scheme: the dark palette must keep its contrast too."""
    ctx = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    try:
        page = ctx.new_page()
        path = page_path(built_site, kind, "vi")
        open_ready(page, site_url + path)
        bad = axe_problems(page)
        assert not bad, f"{path} (dark colour scheme):\n  " + "\n  ".join(bad)
    finally:
        ctx.close()
