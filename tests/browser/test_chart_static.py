"""Issue 20, charts: a share's axis ends at 100% on a phone; the network says which instruments it
leaves out; no mode bar (its camera saved a bare image); the 1200×675 network image has no labels
over each other; each chart shows, drawn at build time, before (and without) the chart library."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from .helpers import WAIT_CHARTS

PHONE = {"width": 390, "height": 844}
SHARE_CHARTS = ("communication--xa--percent", "planning--huyen-xa--percent")
BLUE = (0x00, 0x72, 0xB2)  # charts.py's OFFICIAL_COLOUR


@pytest.mark.parametrize("chart_id", SHARE_CHARTS)
def test_a_share_axis_ends_at_100_percent_on_a_phone(page, site_url, chart_id):
    page.set_viewport_size(PHONE)
    page.goto(f"{site_url}charts/{chart_id}.html")
    page.wait_for_function(WAIT_CHARTS)
    got = page.evaluate("""() => {
      const el = document.querySelector('.chart-plot'), L = el._fullLayout;
      const bars = [...el.querySelectorAll('.bars .point path')].map(p => p.getBoundingClientRect().width);
      return {orientation: el.data[0].orientation, max: Math.max(...el.data[0].x), range: L.xaxis.range,
              plot: L._size.w, bars};
    }""")
    assert got["orientation"] == "h" and got["max"] == 100  # laid on its side; the bars are 100%
    assert got["range"] == [0, 100], got
    assert got["bars"] and all(w >= got["plot"] * 0.99 for w in got["bars"]), got  # 100% fills the bar's room
    assert not page.problems, str(page.problems)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_network_says_and_lists_the_instruments_it_leaves_out(page, built_site, site_url, lang):
    def read(name):
        return list(csv.DictReader(io.StringIO((built_site / "data" / name).read_text(encoding="utf-8"))))

    cited = {r["legal_id"] for r in read("citations.csv")}
    undated = {r["legal_id"] for r in read("legal.csv") if r["legal_id"] in cited and not r["issued"]}
    dated = cited - undated
    assert undated and dated  # the corpus cites instruments of both kinds
    prefix = "" if lang == "vi" else "en/"
    page.goto(f"{site_url}{prefix}legal/index.html")
    page.wait_for_function(WAIT_CHARTS)
    fig = page.locator("#chart-mang-luoi-can-cu")
    note = fig.locator(".chart-notes")
    assert note.is_visible()
    text = note.locator("p").inner_text()
    assert str(len(undated)) in text and str(len(undated) + len(dated)) in text, text
    listed = note.locator("li").all_inner_texts()
    assert len(listed) == len(undated), listed
    drawn = set(page.evaluate("() => document.querySelector('#chart-mang-luoi-can-cu .chart-plot').data[1].hovertext"))
    assert len(drawn) == len(dated) and not drawn & set(listed)
    assert not page.problems, str(page.problems)


def test_no_mode_bar_and_its_camera_on_a_phone(page, site_url):
    page.set_viewport_size(PHONE)
    page.goto(f"{site_url}charts/{SHARE_CHARTS[0]}.html")
    page.wait_for_function(WAIT_CHARTS)
    page.hover(".chart-plot")  # where plotly shows its mode bar
    assert page.locator(".chart-plot .modebar-btn").count() == 0
    assert page.locator(".chart-plot .modebar").count() == 0


OVERLAPS = """() => {
  const texts = [...document.querySelectorAll('#img text')].filter(t => t.textContent.trim());
  const boxes = texts.map(t => [t.textContent, t.getBoundingClientRect()]);
  const out = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [s, a] = boxes[i], [u, b] = boxes[j];
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w > 1 && h > 1) out.push([s, u, w, h]);
  }
  return {n: boxes.length, overlaps: out};
}"""


@pytest.mark.parametrize("size", ["1200x675", "1080x1080"])
def test_network_image_labels_do_not_overlap(page, site_url, size):
    page.goto(f"{site_url}charts/mang-luoi-can-cu.html")
    page.wait_for_function(WAIT_CHARTS)
    page.locator("#chart-mang-luoi-can-cu .chart-tools summary").click()
    page.locator("#chart-mang-luoi-can-cu select.image-size").select_option(size)
    with page.expect_download(timeout=30_000) as dl:
        page.locator("#chart-mang-luoi-can-cu button.download-image[data-format='svg']").click()
    svg = Path(dl.value.path()).read_text(encoding="utf-8")
    page.set_content(f'<!doctype html><body style="margin:0"><div id="img">{svg}</div>')
    got = page.evaluate(OVERLAPS)
    assert got["n"] > 30, got  # every label, heading, tick and frame line was measured
    assert not got["overlaps"], got["overlaps"][:10]


def _blue_pixels(png: bytes) -> int:
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    return sum(n for n, px in img.getcolors(img.width * img.height) if all(abs(c - b) < 24 for c, b in zip(px, BLUE)))


def test_the_chart_shows_before_the_chart_library_arrives(page, site_url):
    held = []
    page.route("**/plotly-basic.min.js", lambda route: held.append(route))  # the library never arrives
    html = page.goto(f"{site_url}charts/{SHARE_CHARTS[0]}.html", wait_until="domcontentloaded").text()
    # The page runs no chart library itself (it only preloads it, after the chart): charts.js does.
    assert not re.search(r"<script[^>]*plotly", html) and re.search(r'<link rel="preload" as="script" href="[^"]*plotly', html)
    page.wait_for_function("() => !!document.querySelector('script[src*=plotly]')")  # asked for...
    still = page.locator(".chart-plot .chart-static svg").first
    assert still.is_visible() and still.bounding_box()["height"] > 200
    assert page.locator(".chart-plot").first.get_attribute("data-drawn") is None  # ...not drawn by it
    assert _blue_pixels(page.locator(".chart-plot").first.screenshot()) > 2000  # the bars are on screen
    for route in held:
        route.continue_()
    page.unroute("**/plotly-basic.min.js")


def test_the_chart_shows_without_javascript(browser, site_url):
    ctx = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        tab = ctx.new_page()
        tab.goto(f"{site_url}legal/index.html")
        still = tab.locator("#chart-mang-luoi-can-cu .chart-static svg").first
        assert still.is_visible()
        labels = tab.locator("#chart-mang-luoi-can-cu .chart-static text").all_text_contents()
        assert "36-CT/TW" in labels and any("Quảng Ninh" in x for x in labels)
        assert tab.locator("#chart-mang-luoi-can-cu .chart-notes li").count() > 0
    finally:
        ctx.close()
