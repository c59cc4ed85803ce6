"""Tables on a phone (390 px): captions readable whole, citing sentences and field names not cut into scraps."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}

CAPTIONS_JS = """() => [...document.querySelectorAll('.table-scroll > table > caption')]
  .filter(c => !c.classList.contains('visually-hidden'))
  .map(c => { const r = c.getBoundingClientRect(); return {text: c.textContent.slice(0, 40), left: r.left,
                                                          right: r.right, width: innerWidth}; })"""


@pytest.mark.parametrize("path", ["index.html", "en/index.html"])
def test_the_home_grids_caption_fits_the_phone_screen_even_when_the_table_scrolls(browser, site_url, path):
    ctx = browser.new_context(viewport=PHONE)
    try:
        page = ctx.new_page()
        page.goto(site_url + path)
        caps = page.evaluate(CAPTIONS_JS)
        assert caps, "the home page's province × year grid has a visible caption"
        assert all(0 <= c["left"] and c["right"] <= c["width"] for c in caps), caps
        page.evaluate("document.querySelector('.table-scroll').scrollLeft = 300")
        caps = page.evaluate(CAPTIONS_JS)
        assert all(0 <= c["left"] and c["right"] <= c["width"] for c in caps), caps
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["", "en/"])
def test_an_instruments_citing_sentences_keep_a_readable_width_on_a_phone(browser, site_url, lang):
    ctx = browser.new_context(viewport=PHONE)
    try:
        page = ctx.new_page()
        page.goto(site_url + lang + "legal/chi-thi-36-ct-tw-2019-08-16.html")
        widths = page.evaluate("[...document.querySelectorAll('table.citing tbody td > q')]"
                               ".map(q => q.parentElement.getBoundingClientRect().width)")
        assert len(widths) >= 3 and min(widths) >= 200, widths  # was about 105 px: a word or two a line
        assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0  # the table scrolls, not the page
    finally:
        ctx.close()


@pytest.mark.parametrize("lang", ["", "en/"])
def test_the_data_dictionary_breaks_field_names_only_after_an_underscore_on_a_phone(browser, site_url, lang):
    ctx = browser.new_context(viewport=PHONE)
    try:
        page = ctx.new_page()
        page.goto(site_url + lang + "data.html")
        # The lines an inline element takes: the distinct tops of its client rects.
        names = page.evaluate("[...document.querySelectorAll('table.dictionary tbody th code')]"
                              ".map(c => [c.textContent, new Set([...c.getClientRects()].map(r => Math.round(r.top))).size])")
        assert len(names) > 50 and any("_" in n for n, _ in names)
        broken = [(n, lines) for n, lines in names if lines > n.count("_") + 1]
        assert not broken, broken  # "prov|ince", "numb|er" before
        heads = page.evaluate("[...document.querySelectorAll('table.dictionary thead th')]"
                              ".map(th => th.getBoundingClientRect().height)")
        assert heads and max(heads) < 60, heads  # "Fiel|d" took two lines
        assert page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    finally:
        ctx.close()
