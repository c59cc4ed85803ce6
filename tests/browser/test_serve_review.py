"""Reviewing a draft in Chromium, on `python build.py serve` of a copy of the corpus with a small draft:
reject one candidate, edit another's value, accept the rest (one with the keyboard), confirm the
metadata and sections, mark the record reviewed, and see the rebuilt page without the draft banner."""
from __future__ import annotations

import shutil

import pytest
from review_draft import DRAFT_ID, add_draft
from serving import REPO, Served

from .test_pages import axe_problems

pytestmark = pytest.mark.browser

RELOADED = "() => !window.__reviewBefore && document.readyState === 'complete'"


def problems(page) -> list[str]:
    """Console errors and failed requests, but for the event stream each reload cancels."""
    return [p for p in page.problems.items if not ("/__serve__/events" in p and "ERR_ABORTED" in p)]


@pytest.fixture
def served(tmp_path):
    source = tmp_path / "source" / "corpus"
    shutil.copytree(REPO / "corpus", source)
    add_draft(source)
    server = Served(tmp_path / "run", corpus=source, extra=("--no-search",))
    yield server
    server.close()


def decide(page, act, *, panel: bool = True) -> None:
    """Do something in the panel, then wait for the rebuilt page (reloaded by the server's script)."""
    page.evaluate("() => { window.__reviewBefore = true; }")
    act()
    page.wait_for_function(RELOADED, timeout=90_000)
    if panel:
        page.wait_for_selector("#serve-review")
    assert not page.locator("#serve-review-errors li").count(), page.locator("#serve-review-errors").text_content()


def test_a_draft_is_reviewed_in_the_browser_to_the_end(page, served):
    page.goto(served.url + f"en/plans/{DRAFT_ID}.html")
    assert page.locator("#serve-review h2").text_content() == "Review this draft"
    page.goto(served.url + f"plans/{DRAFT_ID}.html")
    panel = page.locator("#serve-review")
    assert panel.get_by_role("heading", name="Rà soát bản nháp").is_visible()
    assert "Bản nháp, chưa rà soát" in page.text_content("main")
    assert page.locator("#serve-review-left").text_content() == "Còn 9 mục chưa rà soát."
    # Every control of the panel has a label.
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll('#serve-review input, #serve-review select'))
        .filter(el => !document.querySelector('label[for="' + el.id + '"]')).map(el => el.id)""")
    assert unlabelled == []
    # The candidate's quote is highlighted in the text beside the panel.
    panel.get_by_role("button", name="Xem trong văn bản t03").click()
    assert page.locator('mark.quote[data-for="t03"]').first.evaluate(
        "m => m.classList.contains('serve-review-current')")
    assert panel.get_by_role("button", name="Đánh dấu đã rà soát").is_disabled()
    panel.get_by_role("button", name="Sửa t01").click()  # axe-core sees an open form too
    assert page.evaluate("document.activeElement.id") == "serve-review-t01-value"
    assert panel.get_by_role("button", name="Sửa t01").get_attribute("aria-expanded") == "true"
    assert not axe_problems(page), "\n".join(axe_problems(page))
    page.keyboard.press("Escape")  # closes the form; the focus goes back to its Edit button
    assert panel.locator("#serve-review-t01 form").is_hidden()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Sửa t01"

    decide(page, lambda: panel.get_by_role("button", name="Loại bỏ t02").click())
    assert not page.locator('mark.quote[data-for="t02"]').count()
    assert page.locator("#serve-review-left").text_content() == "Còn 8 mục chưa rà soát."

    def edit_t03():
        panel.get_by_role("button", name="Sửa t03").click()
        value = panel.get_by_label("Giá trị", exact=True).and_(panel.locator("#serve-review-t03-value"))
        assert value.evaluate("el => el === document.activeElement"), "the form opens with the focus in it"
        value.fill("300")
        panel.get_by_role("button", name="Lưu t03").click()
    decide(page, edit_t03)
    assert page.locator('mark.quote[data-for="t03"]').first.get_attribute("title").startswith("t03: 300")

    decide(page, lambda: panel.get_by_role("button", name="Chấp nhận t01").click())
    # With the keyboard: focus the button, press Enter.
    decide(page, lambda: (panel.get_by_role("button", name="Chấp nhận t04").focus(), page.keyboard.press("Enter")))
    for name in ("Chấp nhận: Trích yếu", "Chấp nhận: Cơ quan ban hành", "Chấp nhận: Thời kỳ (YYYY hoặc YYYY-YYYY)",
                 "Xác nhận: Chủ đề", "Xác nhận: Văn bản được trích dẫn (căn cứ)"):
        decide(page, lambda: panel.get_by_role("button", name=name).click())
    assert page.locator("#serve-review-left").text_content().startswith("Không còn mục nào")
    done = panel.get_by_role("button", name="Đánh dấu đã rà soát")
    assert done.is_enabled()
    decide(page, done.click, panel=False)
    assert not page.locator("#serve-review").count()
    main = page.text_content("main")
    assert "Bản nháp, chưa rà soát" not in main and "Phòng, chống ma túy trên địa bàn tỉnh Hà Giang" in main
    md = (served.corpus / "plans" / f"{DRAFT_ID}.md").read_text(encoding="utf-8")
    data = (served.corpus / "plans" / f"{DRAFT_ID}.yaml").read_text(encoding="utf-8")
    assert "status: draft" not in md and "t02" not in data and "value: 300" in data and "  confidence:" not in data
    assert not problems(page), "\n".join(problems(page))
