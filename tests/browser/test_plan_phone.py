"""The plan page on a phone (390 px), as a policymaker reads it: the summary first, jump links to the
sections, the targets one line each that open on demand, and axe-core clean in both languages."""
from __future__ import annotations

import pytest

from .helpers import LANGS, PLAN_IDS, page_path
from .test_pages import axe_problems

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
QUANG_NINH = "plan:quang-ninh-2021-27-kh-ubnd"

BOXES_JS = """() => {
  const box = sel => { const e = document.querySelector(sel); if (!e) return null;
                       const r = e.getBoundingClientRect(); return {top: r.top + scrollY, height: r.height}; };
  return {summary: box('#tom-tat'), jump: box('nav.jump'), targets: box('#chi-tieu'), meta: box('#thong-tin'),
          text: box('#toan-van'), height: document.documentElement.scrollHeight,
          items: document.querySelectorAll('#chi-tieu .target-list > li').length,
          overflow: document.documentElement.scrollWidth - document.documentElement.clientWidth};
}"""


@pytest.fixture(scope="module")
def phone(browser):
    ctx = browser.new_context(viewport=PHONE)
    yield ctx
    ctx.close()


@pytest.mark.parametrize("lang", LANGS)
def test_on_a_phone_the_summary_comes_first_then_the_jump_links_then_compact_targets(phone, built_site, site_url,
                                                                                     lang):
    page = phone.new_page()
    try:
        page.goto(site_url + page_path(built_site, QUANG_NINH, lang))
        b = page.evaluate(BOXES_JS)
        assert b["summary"]["top"] < b["jump"]["top"] < b["targets"]["top"] < b["meta"]["top"] < b["text"]["top"], b
        # The summary starts within the first screen, under the heading and the excerpt flag.
        assert b["summary"]["top"] < PHONE["height"], b
        assert page.locator("#tom-tat p").first.is_visible()
        assert b["overflow"] <= 0, f"the page scrolls sideways at 390 px: {b}"
        # Closed, a target takes a line or two: 17 top-level targets, not 23 six-field cards.
        assert b["items"] == 17
        assert b["targets"]["height"] < 90 * b["items"], b
        print(f"\n390 px {lang}: page {b['height']} px, targets section {b['targets']['height']:.0f} px")
    finally:
        page.close()


@pytest.mark.parametrize("lang", LANGS)
def test_a_target_opens_on_demand_with_its_quote_and_its_link_into_the_text(phone, built_site, site_url, lang):
    page = phone.new_page()
    try:
        page.goto(site_url + page_path(built_site, QUANG_NINH, lang))
        item = page.locator("#chi-tieu .target-list > li").nth(1)  # 100% of communes, with one part
        quote = item.locator("dl.target-detail q").first
        assert not quote.is_visible()
        item.locator("summary").click()
        assert quote.is_visible() and quote.get_attribute("lang") == "vi"
        assert item.locator(".target-parts > li").count() == 1
        link = item.locator("a.quote-link").first
        anchor = link.get_attribute("href").split("#", 1)[1]
        link.click()
        page.wait_for_function(f"location.hash === '#{anchor}'")
        # The anchor is an empty span before the highlighted quote: its paragraph is on screen.
        top = page.evaluate(f"document.getElementById('{anchor}').parentElement.getBoundingClientRect().top")
        assert 0 <= top < PHONE["height"], f"the quote's paragraph is at {top} px after following the link"
    finally:
        page.close()


@pytest.mark.parametrize("lang", LANGS)
def test_the_jump_links_land_on_their_sections(phone, built_site, site_url, lang):
    page = phone.new_page()
    try:
        page.goto(site_url + page_path(built_site, QUANG_NINH, lang))
        hrefs = page.locator("nav.jump a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
        assert len(hrefs) >= 6
        for href in hrefs:
            assert page.locator(href).count() == 1, f"jump link {href} has no section"
        page.locator("nav.jump a[href='#can-cu']").click()
        # At the top of the screen (the stylesheet leaves a small scroll margin above a target).
        top = page.evaluate("document.getElementById('can-cu').getBoundingClientRect().top")
        assert -1 <= top < 80, f"the legal bases section is at {top} px after its jump link"
    finally:
        page.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("pid", PLAN_IDS)
def test_every_plan_page_at_390_px_with_targets_open_passes_axe(phone, built_site, site_url, pid, lang):
    page = phone.new_page()
    try:
        page.goto(site_url + page_path(built_site, f"plan:{pid}", lang))
        page.evaluate("() => document.querySelectorAll('#chi-tieu details').forEach(d => d.open = true)")
        assert axe_problems(page) == []
    finally:
        page.close()


def test_a_printed_plan_page_shows_every_target_open(phone, built_site, site_url):
    page = phone.new_page()
    try:
        page.goto(site_url + page_path(built_site, QUANG_NINH, "vi"))
        quotes = page.locator("#chi-tieu dl.target-detail q")
        assert quotes.count() == 23 and not quotes.first.is_visible()
        page.emulate_media(media="print")
        assert quotes.first.is_visible() and quotes.last.is_visible()
    finally:
        page.close()
