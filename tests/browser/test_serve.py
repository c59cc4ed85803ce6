"""`python build.py serve` in Chromium: an open page reloads itself after a change to the corpus,
shows a corpus error and recovers when it is fixed, and search works over the preview server."""
from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from serving import QN_2021, QN_TITLE, Served, edit

pytestmark = pytest.mark.browser

RELOADED = "() => !window.__servedBefore && document.body.textContent.includes({text!r})"


def problems(page) -> list[str]:
    """The page's console errors and failed requests, but for its event stream, which every reload or
    navigation cancels (Chromium reports that as a failed request)."""
    return [p for p in page.problems.items if not ("/__serve__/events" in p and "ERR_ABORTED" in p)]


@pytest.fixture
def served(tmp_path):
    """A running preview server; stopped by SIGINT afterwards, which must end it cleanly."""
    server = Served(tmp_path)
    yield server
    server.close()


def test_an_open_page_reloads_itself_with_each_change_and_shows_errors_until_fixed(page, served):
    page.goto(served.url + f"plans/{QN_2021}.html")
    assert QN_TITLE in page.text_content("body")
    md = served.corpus / "plans" / f"{QN_2021}.md"

    page.evaluate("() => { window.__servedBefore = true; }")  # gone once the page has reloaded
    start = time.monotonic()
    edit(md, f"title: {QN_TITLE}", f"title: {QN_TITLE} (bản sửa)")
    page.wait_for_function(RELOADED.format(text=f"{QN_TITLE} (bản sửa)"), timeout=60_000)
    print(f"change saved -> page reloaded with it: {time.monotonic() - start:.2f} s")

    page.evaluate("() => { window.__servedBefore = true; }")
    edit(md, 'issued: "2021-02-02"', 'issued: "<script>alert(1)</script>"')
    page.wait_for_function(RELOADED.format(text="is not a date"), timeout=60_000)
    banner = page.locator("#serve-error")
    assert banner.is_visible()
    assert f"corpus/plans/{QN_2021}.md:line 10 (field issued): '<script>alert(1)</script>' is not a date" \
        in banner.text_content(), "the message, as text (escaped), names the file, line and field"
    assert f"{QN_TITLE} (bản sửa)" in page.text_content("main"), "the last good site is shown below"
    assert served.proc.poll() is None

    page.evaluate("() => { window.__servedBefore = true; }")
    edit(md, 'issued: "<script>alert(1)</script>"', 'issued: "2021-02-02"')
    page.wait_for_function("() => !window.__servedBefore && !document.getElementById('serve-error')",
                           timeout=60_000)
    assert f"{QN_TITLE} (bản sửa)" in page.text_content("main")
    # The injected script passes the pages' Content-Security-Policy: no console error, no failed request.
    assert not problems(page), "\n".join(problems(page))


def test_search_works_over_the_preview_server(page, served):
    page.goto(served.url + "search.html")
    page.locator("#search input.pagefind-ui__search-input").fill("quang ninh")
    page.wait_for_selector(".pagefind-ui__result-link", timeout=30_000)
    page.wait_for_timeout(300)  # results arrive in batches
    hrefs = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.getAttribute('href'))")
    plan = f"/plans/{QN_2021}.html"
    assert plan in [urlsplit(h).path for h in hrefs], hrefs
    page.locator(f".pagefind-ui__result-link[href^='{plan}']").first.click()  # with ?highlight=quang...
    page.wait_for_url(f"**{plan}*")
    assert QN_TITLE in page.text_content("main")
    assert not problems(page), "\n".join(problems(page))
