"""A wide table's caption on a phone (390 px): readable whole, not cut at the table's scrolling width."""
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
