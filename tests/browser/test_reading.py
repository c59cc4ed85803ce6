"""How the site is read: with the keyboard, without JavaScript, from files on disk (file://) and
published under a sub-path (/sub/path/) rather than at the root of a domain."""
from __future__ import annotations

import urllib.error
import urllib.request
from urllib.parse import urljoin, urlsplit

import html5lib
import pytest

from .conftest import VIEWPORT
from .helpers import CHARTS_JS, LANGS, PLAN_IDS, WAIT_CHARTS, Problems, page_path

pytestmark = pytest.mark.browser


# ---------------------------------------------------------------- keyboard

FOCUS_JS = """() => {
  const el = document.activeElement, cs = getComputedStyle(el);
  return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, text: el.textContent.trim().slice(0, 60),
          outline: cs.outlineStyle, outlineWidth: cs.outlineWidth, x: el.getBoundingClientRect().left,
          y: el.getBoundingClientRect().top, w: el.getBoundingClientRect().width};
}"""


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", ["home", f"plan:{PLAN_IDS[0]}"])
def test_skip_link_comes_first_and_focus_is_visible(page, built_site, site_url, kind, lang):
    page.goto(site_url + page_path(built_site, kind, lang))
    page.keyboard.press("Tab")
    skip = page.evaluate(FOCUS_JS)
    assert skip["tag"] == "a" and "skip" in skip["cls"], f"the first Tab focuses {skip}, not the skip link"
    assert skip["outline"] != "none", f"the focused skip link has no visible outline: {skip}"
    assert skip["x"] >= 0 and skip["y"] >= 0 and skip["w"] > 0, f"the focused skip link is off screen: {skip}"
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
    # The next Tab goes on from the main content, not back to the header.
    page.keyboard.press("Tab")
    nxt = page.evaluate(FOCUS_JS)
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)"), \
        f"Tab after the skip link focuses {nxt}, outside <main>"
    assert nxt["outline"] != "none", f"focused {nxt['tag']} {nxt['text']!r} has no visible outline"
    # A link of the header navigation, reached from the top with Tab, shows its focus too.
    page.goto(site_url + page_path(built_site, kind, lang))
    for _ in range(4):
        page.keyboard.press("Tab")
    link = page.evaluate(FOCUS_JS)
    assert link["tag"] == "a" and link["outline"] != "none", f"focused header link without outline: {link}"


# ---------------------------------------------------------------- without JavaScript

@pytest.fixture(scope="module")
def no_js(browser):
    ctx = browser.new_context(java_script_enabled=False, viewport=VIEWPORT)
    yield ctx
    ctx.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("kind", [*(f"plan:{pid}" for pid in PLAN_IDS), "category-chart", "home", "chart"])
def test_reading_without_javascript(no_js, built_site, site_url, kind, lang):
    page = no_js.new_page()
    try:
        path = page_path(built_site, kind, lang)
        page.goto(site_url + path)
        assert page.evaluate("1 + 1") == 2  # evaluate still works: only the page's scripts are off
        assert page.locator("h1").first.is_visible()
        if kind.startswith("plan:") and lang == "en":  # the text is on the Vietnamese page, a link away
            link = page.locator("#toan-van a[hreflang=vi]")
            assert link.is_visible() and link.get_attribute("href").endswith(".html#toan-van"), path
            assert not page.locator(".document").count(), f"{path}: a second copy of the text"
        elif kind.startswith("plan:"):
            text = page.locator(".document")
            assert text.is_visible(), f"{path}: the plan text is hidden without JavaScript"
            assert len(text.inner_text()) > 1000, f"{path}: the plan text is (nearly) empty"
            assert page.locator(".document p").first.is_visible()
            items = page.locator("#chi-tieu .target-list > li")
            if items.count():
                assert items.first.is_visible(), f"{path}: the targets are hidden without JavaScript"
                # <details> opens without a script: the quote is there on demand.
                items.first.locator("summary").click()
                assert items.first.locator("q").first.is_visible(), f"{path}: a target does not open without JS"
            else:  # a plan without targets says so
                assert page.locator("#chi-tieu .empty-note").is_visible()
            assert page.locator("#tom-tat").is_visible(), f"{path}: no summary without JavaScript"
        charts = page.evaluate(CHARTS_JS)
        if kind in ("category-chart", "home", "chart"):
            assert charts, f"{path} should have a chart"
        for c in charts:
            assert c["drawn"] is None, f"{path}: {c['id']} was drawn with JavaScript off?"
            assert c["tableVisible"], f"{path}: the table equivalent of {c['id']} is not visible without JS"
            assert c["tableRows"] >= 1
            # The figure's own notice (the cite block in its tools has another, about its links).
            assert page.locator(f"#{c['id']} > noscript p").is_visible(), \
                f"{path}: {c['id']} does not say that the chart needs JavaScript"
    finally:
        page.close()


# ---------------------------------------------------------------- file://

def test_file_urls_work(context, built_site):
    """Open index.html from disk and click through to a plan page and a category page with a chart."""
    page = context.new_page()
    problems = Problems().watch(page)
    try:
        page.goto((built_site / "index.html").as_uri())
        page.wait_for_function(WAIT_CHARTS)
        assert all(c["drawn"] == "true" and c["svg"] for c in page.evaluate(CHARTS_JS))
        # Home → the list of plans (header navigation) → a plan.
        page.locator("nav.site-nav a[href$='plans/index.html']").click()
        page.wait_for_load_state()
        assert page.url.endswith("/plans/index.html")
        plan = PLAN_IDS[0]
        page.locator(f"main a[href$='{plan}.html']").first.click()
        page.wait_for_load_state()
        assert page.url.endswith(f"/plans/{plan}.html"), page.url
        assert page.locator(".document").is_visible()
        # Home → a category with a chart.
        category = page_path(built_site, "category-chart", "vi")
        page.goto((built_site / "index.html").as_uri())
        page.locator(f"main a[href='{category}']").first.click()
        page.wait_for_load_state()
        assert page.url.endswith("/" + category), page.url
        page.wait_for_function(WAIT_CHARTS)
        charts = page.evaluate(CHARTS_JS)
        assert charts and all(c["drawn"] == "true" and c["svg"] for c in charts)
        # And the English side, from the language switch.
        page.locator("a.lang-switch").click()
        page.wait_for_load_state()
        assert page.url.endswith("/en/" + category), page.url
        page.wait_for_function(WAIT_CHARTS)
        assert all(c["drawn"] == "true" for c in page.evaluate(CHARTS_JS))
        page.wait_for_timeout(100)
        assert not problems, f"errors while browsing from file://:\n{problems}"
    finally:
        page.close()


# ---------------------------------------------------------------- under a sub-path

def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def test_every_link_resolves_under_a_sub_path(built_site, subpath_url):
    """Crawl the site served at /sub/path/ from its home pages: every link lands on a real file."""
    prefix = urlsplit(subpath_url).path
    todo = [subpath_url, subpath_url + "en/"]
    seen_pages, checked, problems = set(), set(), []
    while todo:
        url = todo.pop()
        if url in seen_pages:
            continue
        seen_pages.add(url)
        status, body = _fetch(url)
        if status != 200:
            problems.append(f"{url}: HTTP {status}")
            continue
        doc = html5lib.parse(body, namespaceHTMLElements=False)
        for e in doc.iter():
            ref = e.get("href") if e.tag in ("a", "link") else e.get("src") if e.tag in ("script", "img") else None
            if not ref or ref.startswith(("data:", "mailto:", "#")):
                continue
            target = urljoin(url, ref).split("#")[0]
            if urlsplit(target).netloc != urlsplit(subpath_url).netloc:
                continue
            if not urlsplit(target).path.startswith(prefix):
                problems.append(f"{url}: {ref!r} leaves {prefix} ({urlsplit(target).path})")
                continue
            if target.endswith(".html") or target.endswith("/"):
                todo.append(target)
            elif target not in checked:
                checked.add(target)
                if (code := _fetch(target)[0]) != 200:
                    problems.append(f"{url}: {ref!r}: HTTP {code}")
    assert len(seen_pages) > 50, f"the crawl reached only {len(seen_pages)} pages"
    assert not problems, f"{len(problems)} broken links under {prefix}:\n  " + "\n  ".join(problems[:50])


@pytest.mark.parametrize("lang", LANGS)
def test_charts_and_navigation_work_under_a_sub_path(page, built_site, subpath_url, lang):
    home = subpath_url + ("en/" if lang == "en" else "")
    page.goto(home)  # the folder URL itself, as a reader types it
    page.wait_for_function(WAIT_CHARTS)
    assert all(c["drawn"] == "true" and c["svg"] for c in page.evaluate(CHARTS_JS))
    category = page_path(built_site, "category-chart", lang)
    page.locator(f"main a[href$='{category.split('/')[-1]}']").first.click()
    page.wait_for_load_state()
    assert page.url == subpath_url + category, page.url
    page.wait_for_function(WAIT_CHARTS)
    charts = page.evaluate(CHARTS_JS)
    assert charts and all(c["drawn"] == "true" and c["svg"] for c in charts)
    page.locator("a.brand").click()
    page.wait_for_load_state()
    assert page.url in (home + "index.html", home), page.url
    page.wait_for_timeout(100)
    assert not page.problems, f"errors under {subpath_url}:\n{page.problems}"
