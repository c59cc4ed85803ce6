"""Legal pages of a large corpus: above SiteOptions.split_max_plans plans the citation network of the legal index
draws provinces instead of plans, and an instrument page sums up its citing plans in a row per province,
each linked to the province's own page of the instrument with every citing sentence. At or below the
threshold nothing changes.

The corpus here is the real one plus two later plans of Quảng Ninh that cite what its 2021 plan cites
(one issued 30/06/2023, one whose date is unknown), with the threshold lowered instead of generating
61 plans.
"""
from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import replace

import orjson
import pytest

from helpers import REAL_CORPUS, job_pages, later_plan, site_pages
from helpers import drawn as charts_of
from sitegen.i18n import t
from sitegen.textutil import slugify
from sitegen.normalize import tables as make_tables
from sitegen.options import SiteOptions
from sitegen.pages import Kit, SiteData
from sitegen.pages.kit import Link
from sitegen.pages import legal as legal_pages
from sitegen.pipeline import gather

QN_2021 = "quang-ninh-2021-27-kh-ubnd"  # issued 02/02/2021
QN_2023 = "quang-ninh-2023-90-kh-ubnd"  # issued 30/06/2023
QN_UNDATED = "quang-ninh-2022-khong-ro-ngay"  # 2022, issue date unknown
CT36 = "chi-thi-36-ct-tw-2019-08-16"  # Chỉ thị 36-CT/TW of 16/08/2019, cited by Quảng Ninh 2021 and Trà Vinh
NETWORK = "mang-luoi-can-cu"


@pytest.fixture(scope="module")
def real():
    return gather(REAL_CORPUS).site


@pytest.fixture(scope="module")
def site(real):
    qn = next(p for p in real.corpus.plans if p.id == QN_2021)
    extra = (later_plan(qn, QN_2023, "90/KH-UBND", "2023-06-30", 2023), later_plan(qn, QN_UNDATED, None, None, 2022))
    cites = tuple(replace(c, plan_id=p.id) for p in extra for c in real.citations if c.plan_id == QN_2021)
    corpus = replace(real.corpus, plans=real.corpus.plans + extra)
    return SiteData(corpus, make_tables(corpus), real.citations + cites, real.instruments)


@pytest.fixture(scope="module")
def split_site(site):
    """With a threshold so low that the 7 plans of `site` are 'too many' for one page."""
    return replace(site, options=SiteOptions(split_max_plans=2))


def _citing_plans(site, legal_id: str) -> dict[str, set[str]]:
    """Province -> ids of its plans citing an instrument."""
    out: dict[str, set[str]] = defaultdict(set)
    plans = {p.id: p for p in site.corpus.plans}
    for c in site.citations:
        if c.legal_id == legal_id:
            out[plans[c.plan_id].province].add(c.plan_id)
    return out


def _network(b: Kit):
    made = legal_pages.legal_index(b)
    view = made.page.network
    return view, orjson.loads(view.figure_json)["data"], charts_of(made)[NETWORK]


def _plan_id(url: str) -> str:
    return posixpath.basename(url.split("#")[0])[:-5]


def _row(page, province: str):
    return next(r for r in page.page.rows if r.province.text == province)


# ---------------------------------------------------------------- at or below the threshold


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_at_or_below_the_threshold_the_network_draws_plans_and_instrument_pages_list_every_sentence(
        real, lang):
    real = replace(real, options=SiteOptions(split_max_plans=len(real.corpus.plans)))
    b = Kit(real, lang)
    index = legal_pages.legal_index(b)
    view, data, chart = _network(b)
    assert index.page.network_note == ""
    plans_trace = data[-1]
    citing = {c.plan_id for c in real.citations if c.legal_id}
    assert plans_trace["text"] == [b.plan_label(p) for p in real.corpus.plans if p.id in citing]
    assert chart.csv_columns == ("plan", "instrument", "level", "instrument_year")
    inst = real.instruments[CT36]
    page = legal_pages.instrument(b, inst)
    assert page.template == "instrument.html"
    assert {_plan_id(r.url) for r in page.page.citing} == set().union(*_citing_plans(real, CT36).values())
    assert job_pages(real, b.lang, legal_pages.instrument_provinces) == []
    assert legal_pages.instrument_provinces(b, inst, "Quảng Ninh") == []


def test_below_the_threshold_the_site_has_no_province_pages_of_instruments(real):
    built, _ = site_pages(real)
    assert not [p.path for p in built if p.template in ("instrument_overview.html", "instrument_province.html")]
    assert not [p.path for p in built if re.match(r"(en/)?legal/[^/]+/", p.path)]


# ---------------------------------------------------------------- the network of the legal index


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_above_the_threshold_the_network_has_one_node_per_province(split_site, lang):
    b = Kit(split_site, lang)
    view, data, chart = _network(b)
    provinces = data[-1]
    assert provinces["name"] == t(lang, "network_provinces")
    citing = {c.plan_id for c in split_site.citations if c.legal_id and split_site.instruments[c.legal_id].issued}
    assert provinces["text"] == sorted({p.province for p in split_site.corpus.plans if p.id in citing})
    assert len(provinces["x"]) == len(provinces["y"]) == len(provinces["text"])
    # No plan is a node any more, nor named anywhere in the chart.
    for p in split_site.corpus.plans:
        assert b.plan_label(p) not in view.figure_json + repr(view.rows) + view.source + view.cite.plain


def test_the_network_has_one_edge_per_province_and_instrument_with_its_plans_and_years(split_site):
    b = Kit(split_site, "vi")
    view, data, chart = _network(b)
    label = b.instrument_label(split_site.instruments[CT36])
    edges = {(r[0], r[1]): r for r in view.rows}
    expected = {(p.province, b.instrument_label(split_site.instruments[c.legal_id]))
                for p in split_site.corpus.plans for c in split_site.citations
                if c.plan_id == p.id and c.legal_id and split_site.instruments[c.legal_id].issued}
    assert set(edges) == expected and len(view.rows) == len(expected)
    assert view.columns == ("Tỉnh", "Văn bản", "Cấp ban hành", "Năm", "Số kế hoạch viện dẫn", "Năm của các kế hoạch")
    # Quảng Ninh: three plans cite Chỉ thị 36 (2021, 2022 and 2023); Trà Vinh one, in 2022.
    assert edges[("Quảng Ninh", label)] == ("Quảng Ninh", label, "Trung ương Đảng", "2019", "3", "2021, 2022, 2023")
    assert edges[("Trà Vinh", label)][4:] == ("1", "2022")
    assert ("Quảng Ninh", label, "Trung ương Đảng", 2019, 3, "2021 2022 2023") in chart.csv_rows
    assert chart.csv_columns == ("province", "instrument", "level", "instrument_year", "plans", "plan_years")
    lines, links = data[0], data[1]
    assert lines["mode"] == "lines" and lines["x"].count(None) == len(view.rows)
    assert [x for i, x in enumerate(lines["x"]) if i % 3 == 1] == [r[3] for r in chart.csv_rows]
    assert f"Quảng Ninh → {label}<br>3 kế hoạch viện dẫn (năm 2021, 2022, 2023)" in links["hovertext"]
    assert len(links["x"]) == len(view.rows)


def test_the_english_network_speaks_english(split_site):
    view, data, _ = _network(Kit(split_site, "en"))
    assert view.title == t("en", "chart_network_provinces_title")
    assert view.columns == ("Province", "Instrument", "Level", "Year", "Cited by (plans)", "Years of the plans")
    assert any(h.endswith("3 citing plans (2021, 2022, 2023)") for h in data[1]["hovertext"])
    assert view.source == ("Source: 6 plans of 3 provinces; each plan's number, date and issuing body are in "
                           "data/plans.csv of the data download.")


def test_the_networks_source_line_counts_plans_and_provinces_and_points_to_the_download(split_site):
    b = Kit(split_site, "vi")
    view, _, _ = _network(b)
    assert view.source == ("Nguồn: 6 kế hoạch của 3 tỉnh; số hiệu, ngày ban hành và cơ quan ban hành của từng "
                           "kế hoạch có trong tệp data/plans.csv của dữ liệu tải về.")
    assert view.source in view.cite.plain and view.source in view.cite.bibtex
    assert legal_pages.legal_index(b).page.network_note == t("vi", "legal_network_provinces_note", n="7")
    with_url = Kit(replace(split_site, options=replace(split_site.options, base_url="https://example.org/kh/")), "vi")
    assert "https://example.org/kh/data/plans.csv" in _network(with_url)[0].source


def test_the_province_network_keeps_its_permalink_embed_page_and_csv(split_site):
    built, charts = site_pages(split_site)
    paths = {p.path for p in built}
    assert {f"charts/{NETWORK}.html", f"embed/{NETWORK}.html", f"en/charts/{NETWORK}.html",
            f"en/embed/{NETWORK}.html"} <= paths
    assert charts[("vi", NETWORK)].csv_columns[0] == "province"
    chart_page = next(p for p in built if p.path == f"charts/{NETWORK}.html")
    assert chart_page.page.chart.rows == next(p for p in built if p.path == "legal/index.html").page.network.rows


# ---------------------------------------------------------------- the instrument page: a row per province


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_above_the_threshold_an_instrument_page_has_a_row_per_citing_province(split_site, lang):
    b = Kit(split_site, lang)
    for inst in split_site.instruments.values():
        page = legal_pages.instrument(b, inst)
        assert page.template == "instrument_overview.html"
        citing = _citing_plans(split_site, inst.id)
        assert [r.province.text for r in page.page.rows] == sorted(citing), inst.id
        assert [r.n_plans for r in page.page.rows] == [str(len(citing[pr])) for pr in sorted(citing)], inst.id


def test_a_province_row_counts_its_citing_plans_and_gives_first_and_latest_year_and_lags(split_site):
    page = legal_pages.instrument(Kit(split_site, "vi"), split_site.instruments[CT36])
    qn = _row(page, "Quảng Ninh")
    # 02/02/2021 is 536 days after 16/08/2019, 30/06/2023 1,414 days; the undated plan counts but has no lag.
    assert (qn.n_plans, qn.first_year, qn.latest_year) == ("3", "2021", "2023")
    assert (qn.shortest_lag, qn.longest_lag) == ("536 ngày (~17,6 tháng)", "1.414 ngày (~46,5 tháng)")
    assert qn.province.url == f"{CT36}/quang-ninh.html"
    tv = _row(page, "Trà Vinh")  # its plan's date is unknown
    assert (tv.n_plans, tv.first_year, tv.latest_year, tv.shortest_lag, tv.longest_lag) == (
        "1", "2022", "2022", "không rõ", "không rõ")
    assert page.page.intro == (t("vi", "instrument_overview_count", n="4", m="2"),
                                t("vi", "instrument_overview_intro", total="7"))


def test_the_instrument_page_keeps_its_metadata_names_and_legislation_data(split_site):
    b = Kit(split_site, "en")
    inst = split_site.instruments[CT36]
    page = legal_pages.instrument(b, inst)
    assert page.page.meta == legal_pages.instrument_meta(b, inst)
    assert page.page.names == inst.names
    assert '"@type":"Legislation"' in page.base.json_ld
    assert page.page.caption == "Directive 36-CT/TW: citing plans by province"  # the type in English
    qn = _row(page, "Quảng Ninh")
    assert (qn.shortest_lag, qn.longest_lag) == ("536 days (~17.6 months)", "1,414 days (~46.5 months)")


# ---------------------------------------------------------------- one page per instrument and province


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_each_citing_province_has_its_page_of_the_instrument(split_site, lang):
    b = Kit(split_site, lang)
    prefix = "" if lang == "vi" else "en/"
    for inst in split_site.instruments.values():
        paths = [p.path for p in job_pages(split_site, lang, legal_pages.instrument_provinces, inst)]
        assert paths == sorted(f"{prefix}legal/{inst.id}/{slugify(pr)}.html"
                               for pr in _citing_plans(split_site, inst.id)), inst.id


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_province_page_of_an_instrument_lists_every_citing_row_of_that_province_and_no_other(
        site, lang):
    def rows(page):
        """What a reader reads in each row, with the plan link as the plan's id."""
        return [(_plan_id(r.plan.url), r.plan.text, r.province, r.plan_issued, r.lag, r.as_written, r.sentence)
                for r in page.page.citing]

    # The rows an unsplit page lists, then the split site's pages of each province.
    unsplit = {i: rows(legal_pages.instrument(Kit(site, lang), inst)) for i, inst in site.instruments.items()}
    site = replace(site, options=SiteOptions(split_max_plans=2))
    for inst in site.instruments.values():
        listed = []
        for page in job_pages(site, lang, legal_pages.instrument_provinces, inst):
            assert page.template == "instrument_province.html"
            mine = rows(page)
            province = {r[2] for r in mine}
            assert len(province) == 1 and page.path.endswith(f"/{slugify(province.pop())}.html")
            listed += mine
        assert listed == unsplit[inst.id], inst.id


def test_a_province_page_of_an_instrument_lists_each_way_its_plans_write_it(split_site):
    page = next(p for p in job_pages(split_site, "vi", legal_pages.instrument_provinces, split_site.instruments[CT36])
                if p.path.endswith("quang-ninh.html"))
    assert [(_plan_id(r.url), r.plan_issued, r.lag) for r in page.page.citing] == [
        (QN_2021, "02/02/2021", "536 ngày (~17,6 tháng)"), (QN_2021, "02/02/2021", "536 ngày (~17,6 tháng)"),
        (QN_UNDATED, "không rõ", "không rõ"), (QN_UNDATED, "không rõ", "không rõ"),
        (QN_2023, "30/06/2023", "1.414 ngày (~46,5 tháng)"), (QN_2023, "30/06/2023", "1.414 ngày (~46,5 tháng)")]
    assert len({r.as_written for r in page.page.citing}) == 2
    assert page.page.citing[0].plan.url == f"../../plans/{QN_2021}.html"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_province_page_of_an_instrument_sits_under_home_legal_and_the_instrument(split_site, lang):
    b = Kit(split_site, lang)
    inst = split_site.instruments[CT36]
    page = next(p for p in job_pages(split_site, lang, legal_pages.instrument_provinces, inst)
                if p.path.endswith("quang-ninh.html"))
    label = b.instrument_label(inst)
    assert [c.text for c in page.base.breadcrumbs] == [t(lang, "nav_home"), t(lang, "nav_legal"), label]
    assert [c.url for c in page.base.breadcrumbs] == ["../../index.html", "../index.html", f"../{CT36}.html"]
    assert page.base.title == page.page.heading == f"{label} — Quảng Ninh"
    assert page.page.overview == Link(t(lang, "instrument_overview_link"), f"../{CT36}.html")
    assert page.page.scope_note == t(lang, "instrument_province_note", province="Quảng Ninh")
    assert page.base.alt_url == ("../../../" if lang == "en" else "../../en/") + f"legal/{CT36}/quang-ninh.html"


def test_a_split_site_has_each_page_once_and_every_vietnamese_page_in_english(split_site):
    built, _ = site_pages(split_site)
    paths = [p.path for p in built]
    assert len(paths) == len(set(paths))
    vi = {p for p in paths if not p.startswith("en/")}
    assert {f"en/{p}" for p in vi} == {p for p in paths if p.startswith("en/")}
    assert f"legal/{CT36}/quang-ninh.html" in vi and f"legal/{CT36}/tra-vinh.html" in vi


def test_a_split_site_is_made_the_same_twice(split_site):
    first, _ = site_pages(split_site)
    again, _ = site_pages(split_site)
    assert [(p.path, p.page) for p in first] == [(p.path, p.page) for p in again]
