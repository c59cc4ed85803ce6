"""What a reader takes away or looks up: a chart's CSV holds exactly the numbers drawn; the PNG and
SVG buttons save real images; Pagefind finds plans with or without Vietnamese diacritics."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml

from .helpers import CORPUS, LANGS, WAIT_CHARTS, html_files

pytestmark = pytest.mark.browser


# The traces as plotly holds them after drawing (what is on screen), in the figure JSON's shape.
DRAWN_JS = """sel => document.querySelector(sel).data.map(t => ({
  type: t.type, name: t.name, mode: t.mode || null, x: Array.from(t.x), y: Array.from(t.y),
  error_y: t.error_y ? {array: Array.from(t.error_y.array || [])} : undefined}))"""


def _chart_ids(site: Path) -> list[str]:
    return [p.split("/")[1][:-5] for p in html_files(site) if p.startswith("charts/")]


def _open_tools(page, chart_id: str):
    """The chart's 'more' panel (a closed <details>), opened as a reader would."""
    fig = page.locator(f"#chart-{chart_id}")
    tools = fig.locator("details.chart-tools")
    if not tools.evaluate("d => d.open"):
        tools.locator("summary").click()
    return fig


def _number(text: str) -> float | None:
    return None if text in ("", "None", "null") else float(text)


def _check_csv(chart_id: str, spec: dict, rows: list[dict]) -> None:
    """The CSV rows are the data points of the figure, in the order drawn."""
    traces = spec["data"]
    assert rows, f"{chart_id}: the CSV is empty"
    cols = set(rows[0])
    if {"value", "label"} <= cols:  # a comparison chart: one bar per plan
        (bar,) = [t for t in traces if t["type"] == "bar"]
        assert [r["label"] for r in rows] == bar["x"], f"{chart_id}: CSV labels differ from the bars"
        assert [_number(r["value"]) for r in rows] == [float(y) for y in bar["y"]], \
            f"{chart_id}: CSV values {[r['value'] for r in rows]} differ from the bars {bar['y']}"
        ups = (bar.get("error_y") or {}).get("array") or [0] * len(rows)
        for r, y, up in zip(rows, bar["y"], ups):
            top = _number(r.get("value_max", ""))
            assert (top - y if top is not None else 0) == pytest.approx(up), f"{chart_id}: range of {r['label']}"
    elif {"plan", "category", "targets"} <= cols:  # stacked counts: one value per plan and category
        drawn = {(x, t["name"]): y for t in traces for x, y in zip(t["x"], t["y"])}
        in_csv = {(r["plan"], r["category"]): int(r["targets"]) for r in rows}
        assert in_csv == drawn, f"{chart_id}: CSV counts differ from the stacked bars"
    elif {"category", "targets", "parts"} <= cols:  # the categories chart: a dot per plan and category with targets
        (dots,) = traces
        drawn = [(x.rsplit(" (", 1)[0], y) for x, y in zip(dots["x"], dots["y"])]  # "Quảng Ninh 2021 (trích đoạn)"
        in_csv = [(r["label"], r["category"]) for r in rows if int(r["targets"])]
        assert sorted(in_csv) == sorted(drawn), f"{chart_id}: CSV cells with targets differ from the dots"
        if "text" in dots:  # the figure's JSON (the drawn figure gives x and y only): each dot's number
            counts = {(x.rsplit(" (", 1)[0], y): n for x, y, n in zip(dots["x"], dots["y"], dots["text"])}
            assert {k: r["targets"] for r in rows if int(r["targets"]) for k in [(r["label"], r["category"])]} == \
                counts, f"{chart_id}: CSV counts differ from the dots"
    elif {"instrument", "instrument_year"} <= cols:  # the citation network: one row per edge
        lines = [t for t in traces if t.get("mode") == "lines"][0]
        # plan (or, in a large corpus, province), instrument, None per edge
        ends = [x for i, x in enumerate(lines["x"]) if i % 3 == 1]
        assert [int(r["instrument_year"]) for r in rows] == ends, f"{chart_id}: CSV edges differ from the lines"
    else:
        pytest.fail(f"{chart_id}: CSV with unknown columns {sorted(cols)}")


@pytest.mark.parametrize("lang", LANGS)
def test_chart_csv_equals_the_data_drawn(page, built_site, site_url, lang):
    prefix = "" if lang == "vi" else "en/"
    ids = _chart_ids(built_site)
    assert len(ids) >= 2
    for chart_id in ids:
        page.goto(f"{site_url}{prefix}charts/{chart_id}.html")
        page.wait_for_function(WAIT_CHARTS)
        fig = _open_tools(page, chart_id)
        link = fig.locator("a[download][href$='.csv']")
        href = link.get_attribute("href")
        expected = f"data/charts/{chart_id}.csv" if lang == "vi" else f"data/charts/{chart_id}.en.csv"
        assert urlsplit(urljoin(page.url, href)).path == "/" + expected, f"{chart_id}: CSV link {href}"
        with page.expect_download() as dl:
            link.click()
        text = Path(dl.value.path()).read_bytes().decode("utf-8-sig")
        assert text == (built_site / expected).read_text("utf-8").lstrip("\ufeff"), \
            f"{chart_id}: the downloaded CSV is not the site's file"
        spec = json.loads(page.locator(f"#chart-{chart_id}-data").text_content())
        drawn = page.evaluate(DRAWN_JS, f"#chart-{chart_id} [data-chart]")
        _check_csv(chart_id, spec, list(csv.DictReader(io.StringIO(text))))
        _check_csv(chart_id, {"data": drawn}, list(csv.DictReader(io.StringIO(text))))
    assert not page.problems, str(page.problems)


@pytest.mark.parametrize("fmt,magic", [("png", (b"\x89PNG\r\n\x1a\n",)), ("svg", (b"<svg", b"<?xml"))])
def test_chart_image_downloads(page, built_site, site_url, fmt, magic):
    chart_id = _chart_ids(built_site)[0]
    page.goto(f"{site_url}charts/{chart_id}.html")
    page.wait_for_function(WAIT_CHARTS)
    fig = _open_tools(page, chart_id)
    with page.expect_download(timeout=30_000) as dl:
        fig.locator(f"button.download-image[data-format='{fmt}']").click()
    download = dl.value
    assert download.suggested_filename == f"{chart_id}-1200x675.{fmt}"  # the default size, named
    data = Path(download.path()).read_bytes()
    assert data.lstrip().startswith(magic), f"{fmt} download starts with {data[:16]!r}"
    assert len(data) > 1000
    if fmt == "svg":
        assert b"main-svg" in data or b"<g" in data
    assert not page.problems, str(page.problems)


# ---------------------------------------------------------------- search

def _plans_with(category: str) -> set[str]:
    return {p.stem for p in (CORPUS / "plans").glob("*.yaml")
            if any(t.get("category") == category for t in (yaml.safe_load(p.read_text("utf-8")) or {})
                   .get("targets") or [])}


def _search(page, root: str, query: str, lang: str = "vi") -> list[str]:
    """Type a query into Pagefind's box; the site paths (relative to the site `root`) of the results,
    best first; a result outside the site stays a full URL."""
    page.goto(root + ("en/" if lang == "en" else "") + "search.html")
    box = page.locator("#search input.pagefind-ui__search-input")
    box.fill(query)
    page.wait_for_selector(".pagefind-ui__result-link, .pagefind-ui__message", timeout=15_000)
    page.wait_for_function("() => document.querySelectorAll('.pagefind-ui__result-link').length > 0 || "
                           "/0|không|no results/i.test(document.querySelector('.pagefind-ui__message')?.textContent"
                           " || '')", timeout=15_000)
    page.wait_for_timeout(300)  # results arrive in batches
    hrefs = page.eval_on_selector_all(".pagefind-ui__result-link", "els => els.map(e => e.href)")
    out = []
    for href in hrefs:
        path, base = urlsplit(href).path, urlsplit(root).path
        out.append(path[len(base):] if path.startswith(base) else href)
    return out


@pytest.mark.parametrize("query", ["quang ninh", "Quảng Ninh"])
@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_the_quang_ninh_plan(page, site_url, lang, query):
    prefix = "" if lang == "vi" else "en/"
    plans = {f"{prefix}plans/{pid}.html" for pid in _plans_with_province("Quảng Ninh")}
    assert plans
    results = _search(page, site_url, query, lang)
    assert plans & set(results), f"{query!r} on {prefix}search.html found {results[:10]}, no Quảng Ninh plan"
    assert not page.problems, str(page.problems)


@pytest.mark.parametrize("query", ["cai nghien", "cai nghiện"])
def test_search_finds_rehabilitation_targets(page, site_url, query):
    pages = {"categories/rehabilitation.html"} | {f"plans/{pid}.html" for pid in _plans_with("rehabilitation")}
    assert len(pages) > 1, "the corpus has no rehabilitation target"
    results = _search(page, site_url, query)
    assert pages & set(results), f"{query!r} found {results[:10]}, none with rehabilitation targets"
    assert not page.problems, str(page.problems)


def test_search_results_link_inside_a_sub_path(page, subpath_url):
    """Published under /sub/path/, the results must point under /sub/path/ too."""
    results = _search(page, subpath_url, "quang ninh")
    assert results, "no result under the sub-path"
    outside = [r for r in results if r.startswith("http")]
    assert not outside, f"results leave {urlsplit(subpath_url).path}: {outside[:5]}"


def _plans_with_province(province: str) -> set[str]:
    out = set()
    for p in (CORPUS / "plans").glob("*.md"):
        front = p.read_text("utf-8").split("---")[1]
        if (yaml.safe_load(front) or {}).get("province") == province:
            out.add(p.stem)
    return out



@pytest.mark.parametrize("query", ["quang ninh", "ma tuy"])
@pytest.mark.parametrize("lang", LANGS)
def test_search_excerpts_keep_labels_apart_from_values_and_leave_the_citation_formats_out(page, site_url, lang, query):
    """A result's excerpts are read by people: no label runs into its value, no table cell into the
    next ("ban hànhỦy ban", "Văn bảnNinh Thuận": Pagefind joins adjacent elements' text, so the
    templates put a space between a <dt> and its <dd> and between cells), and the cite block's
    BibTeX, RIS and CSL-JSON are not in the index (data-pagefind-ignore)."""
    assert _search(page, site_url, query, lang)
    excerpts = page.eval_on_selector_all(".pagefind-ui__result-excerpt", "els => els.map(e => e.textContent)")
    assert len(excerpts) >= 5
    run_in = [e for e in excerpts if any(a.islower() and b.isupper() for a, b in zip(e, e[1:]))]
    assert not run_in, run_in
    text = " ".join(excerpts)
    assert "author = {" not in text and "TY  - " not in text and '"container-title"' not in text
