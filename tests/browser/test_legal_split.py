"""A site whose legal pages are split by province, read as files and in Chromium.

The real corpus plus a later plan of Quảng Ninh (a copy of its 2021 plan, so that Quảng Ninh has two
plans citing the same instruments), built with the threshold lowered. Every static check of
test_static_html runs again on it (well-formed pages, unique ids, every link and anchor resolves, every
page has its English twin), and the legal index, an instrument page and a province's page of it are
opened in Chromium: the province network drawn, its table complete and its CSV equal to the lines
drawn, axe-core clean.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest


from .helpers import Problems, WAIT_CHARTS, html_files
from .test_downloads_search import _check_csv
from .test_pages import axe_problems, chart_problems
# Collected again here, on the split site that `built_site` below stands for in this module.
from .test_static_html import (documents, ids, test_every_internal_link_and_anchor_resolves,  # noqa: F401
                               test_every_page_has_one_h1_a_lang_and_a_title, test_every_page_is_well_formed_html,
                               test_every_vietnamese_page_has_an_english_twin_linked_both_ways,
                               test_ids_are_unique_and_id_references_resolve)

pytestmark = pytest.mark.browser

QN_2021 = "quang-ninh-2021-27-kh-ubnd"
QN_2023 = "quang-ninh-2023-90-kh-ubnd"
CT36 = "chi-thi-36-ct-tw-2019-08-16"


@pytest.fixture(scope="module")
def built_site(split_site) -> Path:
    """The real corpus and a 2023 plan of Quảng Ninh, built with every page that lists plans split by
    province (conftest.split_site, shared with the other split tests)."""
    return split_site


def test_the_split_site_has_instrument_overviews_and_province_pages(built_site):
    files = html_files(built_site)
    assert f"legal/{CT36}/quang-ninh.html" in files and f"en/legal/{CT36}/quang-ninh.html" in files
    overview = (built_site / f"legal/{CT36}.html").read_text("utf-8")
    assert 'class="province-summary"' in overview and "<q lang=\"vi\">Thực hiện" not in overview
    sub = (built_site / f"legal/{CT36}/quang-ninh.html").read_text("utf-8")
    assert sub.count(f'href="../../plans/{QN_2021}.html"') == 2 and sub.count(f'href="../../plans/{QN_2023}.html"') == 2
    assert "Trà Vinh" not in sub.split("<main", 1)[1]
    sitemap = (built_site / "sitemap.xml").read_text("utf-8")
    assert f"legal/{CT36}/quang-ninh.html" in sitemap and f"en/legal/{CT36}/tra-vinh.html" in sitemap


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("which", ["index", "instrument", "province"])
def test_split_legal_pages_load_clean_draw_the_network_and_pass_axe(context, built_site, which, lang):
    vi_path = {"index": "legal/index.html", "instrument": f"legal/{CT36}.html",
               "province": f"legal/{CT36}/quang-ninh.html"}[which]
    path = vi_path if lang == "vi" else f"en/{vi_path}"
    page = context.new_page()
    problems = Problems().watch(page)
    try:
        page.goto((built_site / path).as_uri(), wait_until="load")
        page.wait_for_function(WAIT_CHARTS)
        page.wait_for_timeout(100)
        found = [str(p) for p in problems.items] + chart_problems(page, path, which) + axe_problems(page)
        if which == "index":
            provinces = page.evaluate("() => document.querySelector('#chart-mang-luoi-can-cu [data-chart]')"
                                      ".data.at(-1).text")
            if provinces != ["Quảng Ninh", "Trà Vinh", "Tuyên Quang"]:
                found.append(f"the network's nodes are {provinces}, not the provinces")
        assert not found, f"{path}:\n  " + "\n  ".join(found)
    finally:
        page.close()


def test_the_province_networks_csv_holds_the_edges_drawn(built_site):
    html = (built_site / "legal/index.html").read_text("utf-8")
    spec = json.loads(html.split('id="chart-mang-luoi-can-cu-data">', 1)[1].split("</script>", 1)[0])
    text = (built_site / "data/charts/mang-luoi-can-cu.csv").read_text("utf-8").lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text)))
    _check_csv("mang-luoi-can-cu", spec, rows)
    qn = next(r for r in rows if r["province"] == "Quảng Ninh" and r["instrument"] == "Chỉ thị 36-CT/TW")
    assert (qn["plans"], qn["plan_years"]) == ("2", "2021 2023")
