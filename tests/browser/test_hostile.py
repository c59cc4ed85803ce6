"""A site built from a hostile corpus (script and markup in every text field), opened page by page in
Chromium: no injected script runs, no handler or javascript: URL reaches the DOM, and the
Content-Security-Policy never has to block anything (a blocked script would mean one got through)."""
from __future__ import annotations

import pytest

from sitegen.pipeline import build
from test_bad_input import CHART_MARKUP, HOSTILE, _hostile_corpus  # the corpus of tests/test_bad_input.py

from conftest import _serve  # tests/conftest.py: the local HTTP server

pytestmark = pytest.mark.browser

# Any of these firing proves an injection: the hostile payloads call alert(1).
TRAP = """
window.__injected = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (...args) => { window.__injected.push(name + ":" + args.join(",")); };
}
"""
DOM_AUDIT = """() => {
  const bad = [];
  for (const el of document.querySelectorAll("*")) {
    // Pagefind's own search form (built by its UI script) has action="javascript:void(0);".
    if (el.closest(".pagefind-ui")) continue;
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on")) bad.push(el.tagName + "[" + attr.name + "]");
      if (/^(href|src|action|formaction|xlink:href)$/.test(attr.name) && /^\\s*(javascript|vbscript|data:text\\/html)/i.test(attr.value))
        bad.push(el.tagName + "[" + attr.name + "=" + attr.value.slice(0, 30) + "]");
    }
  }
  for (const s of document.querySelectorAll("script")) {
    const src = s.getAttribute("src"), type = s.getAttribute("type");
    const own = src ? /^(\\.\\.\\/)*(assets|pagefind)\\/[\\w.-]+\\.js$/.test(src)
                    : (type === "application/json" || type === "application/ld+json");
    if (!own) bad.push("script:" + (src || s.textContent.slice(0, 40)));
  }
  return bad;
}"""


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    """The hostile corpus built (with its search index) and served on 127.0.0.1."""
    base = tmp_path_factory.mktemp("hostile-browser")
    site = base / "site"
    build(_hostile_corpus(base), site, search=True)
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    server, thread = _serve(site)
    yield f"http://127.0.0.1:{server.server_port}/", pages
    server.shutdown()
    server.server_close()


def test_the_hostile_payload_is_on_the_pages_as_text(page, hostile_url):
    url, _ = hostile_url
    page.goto(url + "plans/index.html")
    assert "<script>alert(1)</script>" in page.inner_text("main")


def test_no_injected_script_runs_on_any_page(context, hostile_url):
    url, pages = hostile_url
    assert len(pages) > 30  # every page type of a two-plan site, in both languages
    context.add_init_script(TRAP)
    failures = []
    for path in pages:
        tab = context.new_page()
        messages, dialogs = [], []
        tab.on("console", lambda m: messages.append(f"{m.type}: {m.text}"))
        tab.on("pageerror", lambda e: messages.append(f"pageerror: {e}"))
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        tab.goto(url + path)
        if path.startswith(("embed/", "en/embed/")):  # a redirect to the chart page shown as its embed
            tab.wait_for_url("**/charts/*.html#embed")
        tab.wait_for_load_state("load")
        # Hover and focus every element, so that an injected onmouseover/onfocus would fire.
        tab.evaluate("""() => { for (const el of document.querySelectorAll('body *')) {
            el.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
            el.dispatchEvent(new FocusEvent('focus')); } }""")
        injected = tab.evaluate("window.__injected")
        dom = tab.evaluate(DOM_AUDIT)
        csp = [m for m in messages if "Content Security Policy" in m or "Refused to" in m]
        errors = [m for m in messages if m.startswith(("error", "pageerror"))]
        if injected or dialogs or dom or csp or errors:
            failures.append((path, injected, dialogs, dom, csp, errors))
        tab.close()
    assert failures == []
    assert "alert(1)" in HOSTILE


# Plotly reads <a href>, <b>, <br> and character references in every text it draws: a chart label
# with markup must be drawn as the characters it is made of.
CHART_AUDIT = """() => [...document.querySelectorAll('.js-plotly-plot')].map(plot => ({
  markup: [...plot.querySelectorAll('a, b, i, img, tspan[style*="bold"]')].map(e => e.outerHTML.slice(0, 60)),
  texts: [...plot.querySelectorAll('.legendtext, .xtick text, .ytick text, .g-ytitle, .g-xtitle, .textpoint')]
           .map(e => e.textContent),
}))"""


# The home pages' chart has the category labels as y-axis ticks; the category page's has the plans
# (their province) as bar labels.
@pytest.mark.parametrize("path, shown", [("index.html", CHART_MARKUP), ("en/index.html", CHART_MARKUP),
                                         ("categories/communication.html", '<a href="javascript:alert(1)">a</a>')])
def test_chart_labels_with_markup_are_drawn_as_text(page, hostile_url, path, shown):
    url, pages = hostile_url
    assert path in pages
    page.goto(url + path)
    page.wait_for_selector("[data-chart][data-drawn=true]")
    plots = page.evaluate(CHART_AUDIT)
    assert plots and all(p["texts"] for p in plots)
    assert [p["markup"] for p in plots if p["markup"]] == []
    texts = " ".join(t for p in plots for t in p["texts"])
    # Long tick labels are wrapped onto lines (tspans, joined without spaces in textContent).
    assert shown.replace(" ", "") in texts.replace(" ", "")
    assert "&lt;b&gt;" in texts  # a reference in the corpus is drawn as written, not decoded


def test_a_hover_text_with_markup_is_shown_as_text(page, hostile_url):
    url, _ = hostile_url
    page.goto(url + "index.html")
    page.wait_for_selector("[data-chart][data-drawn=true]")
    page.hover(".js-plotly-plot .scatterlayer .point", force=True)  # plotly hovers from its drag layer, on top
    page.wait_for_selector(".hoverlayer .hovertext")
    hover = page.evaluate("() => [...document.querySelectorAll('.hoverlayer .hovertext')].map(h => "
                          "({text: h.textContent, markup: h.querySelectorAll('a, b, img').length}))")
    assert hover and all(h["markup"] == 0 for h in hover)
    assert any('target="_top">đây</a>' in h["text"] for h in hover)
