"""What a page gives a reader to cite and republish a chart or a plan (page contexts on the real corpus):
the cite block's four formats, what the browser completes in them, and the frame of a chart's image."""
from __future__ import annotations

import json
from dataclasses import replace

import pytest

from helpers import REAL_CORPUS
from sitegen.charts import Chart
from sitegen.chartimage import chart_subtitle
from sitegen.pages import Kit
from sitegen.pipeline import gather

CHART = "media--tin-bai--per-month"


@pytest.fixture(scope="module")
def site():
    return gather(REAL_CORPUS).site


def _chart(k: Kit, chart_id: str = CHART) -> Chart:
    from sitegen.pages import categories, home  # noqa: F401 - the pages that draw the charts
    from sitegen.pipeline import page_jobs

    for job in page_jobs(k.site, ()):
        if job.lang != k.lang:
            continue
        for page in job.run(k):
            for chart, _ in page.charts:
                if chart.id == chart_id:
                    return chart
    raise AssertionError(f"no chart {chart_id}")


def test_without_the_sites_address_the_browser_completes_the_urls_from_the_page(site):
    k = Kit(site, "vi")
    view = k.chart_view("categories/media.html", _chart(k))
    cite = view.cite
    assert json.loads(cite.urls) == [[f"charts/{CHART}.html", f"../charts/{CHART}.html"]]
    assert cite.paths == (f"charts/{CHART}.html",)
    assert f"charts/{CHART}.html (truy cập ngày dd/mm/yyyy)." in cite.plain
    assert json.loads(view.embed_urls) == [[f"charts/{CHART}.html#embed", f"../charts/{CHART}.html#embed"]]
    assert f'src="charts/{CHART}.html#embed"' in view.embed_snippet


def test_the_four_formats_name_publisher_title_version_sources_issuers_url_and_access_date(site):
    base = "https://example.org/kh/"
    k = Kit(replace(site, options=replace(site.options, base_url=base)), "vi")
    chart = _chart(k)
    cite = k.chart_view("index.html", chart).cite
    url = f"{base}charts/{CHART}.html"
    version = site.corpus.data_version
    assert cite.urls == "" and cite.paths == ()
    assert cite.plain.startswith(f"Kế hoạch so sánh. {chart.title}. Kế hoạch so sánh, phiên bản dữ liệu {version}. ")
    assert "của Ủy ban nhân dân tỉnh Quảng Ninh" in cite.plain and cite.plain.endswith(f"{url} (truy cập ngày dd/mm/yyyy).")
    assert f"url = {{{url}}}" in cite.bibtex and "urldate = {yyyy-mm-dd}" in cite.bibtex
    assert f"version = {{{version}}}" in cite.bibtex and "publisher = {Kế hoạch so sánh}" in cite.bibtex
    ris = cite.ris.splitlines()
    assert ris[0] == "TY  - DATA" and ris[-1] == "ER  -"
    assert all(len(line) >= 5 and line[2:6] == "  - " for line in ris[:-1])
    assert f"TI  - {chart.title}" in ris and f"UR  - {url}" in ris and "Y2  - yyyy/mm/dd" in ris
    assert any(line.startswith("N1  - Nguồn: ") and "Ủy ban nhân dân tỉnh Ninh Thuận" in line for line in ris)
    csl = json.loads(cite.csl_json)[0]
    assert csl["type"] == "dataset" and csl["URL"] == url and csl["version"] == version
    assert csl["publisher"] == "Kế hoạch so sánh" and csl["accessed"] == {"raw": "yyyy-mm-dd"}


def test_a_plans_citation_names_its_issuer_and_year(site):
    from sitegen.pages import plans as plan_pages

    k = Kit(site, "en")
    plan = next(p for p in site.corpus.plans if p.id == "quang-ninh-2021-27-kh-ubnd")
    cite = plan_pages.plan(k, plan).page.cite
    assert cite.plain.startswith("Ủy ban nhân dân tỉnh Quảng Ninh (2021). Kế hoạch 27/KH-UBND: ")
    assert "Data: Kế hoạch so sánh (Plans compared), data version" in cite.plain  # the site's name once
    assert cite.plain.count("Kế hoạch so sánh (Plans compared)") == 1
    assert cite.plain.endswith("en/plans/quang-ninh-2021-27-kh-ubnd.html (accessed d Month yyyy).")
    assert "PY  - 2021" in cite.ris.splitlines() and "DA  - 2021/02/02" in cite.ris.splitlines()
    assert json.loads(cite.csl_json)[0]["issued"] == {"date-parts": [[2021, 2, 2]]}  # the full date, known
    assert "date = {2021-02-02}," in cite.bibtex


def test_a_downloaded_image_says_what_is_measured_and_by_when(site):
    k = Kit(site, "vi")
    chart = _chart(k)
    meta = json.loads(k.chart_view("index.html", chart).image_json)
    # The chart's own subtitle (issue 13): these are targets (chỉ tiêu), and by when. The page shows
    # it, and the title, the source and the chart's notes: charts.js reads them from there (issue 19).
    assert "chỉ tiêu" in chart.subtitle and "thời hạn: 2020 và 2021" in chart.subtitle
    assert not {"subtitle", "title", "source", "notes"} & set(meta)
    assert meta["legend"] == ["Cột sọc cam: giá trị theo bài báo đưa tin về kế hoạch, không phải theo văn bản gốc."]
    assert meta["footer"] == f"Kế hoạch so sánh · {{url}} · phiên bản dữ liệu {site.corpus.data_version}"
    assert meta["url"] == f"charts/{CHART}.html" and meta["url_rel"] == f"charts/{CHART}.html"
    assert meta["sizes"] == [[1200, 675], [1080, 1080]] and meta["lang"] == "vi"
    assert chart_subtitle(_chart(Kit(site, "en")), "en").startswith("These are targets the plans set")
