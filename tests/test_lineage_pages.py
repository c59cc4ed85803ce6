"""Issue 13 items 4 and 5 on the pages: the province lineage line, the present-day view of a merged
province, the coverage grid after a province ended, the plan page's present-day province and its
flag on a legal basis already replaced, validity on instrument pages and the legal index filter.

Page contexts of the real corpus, and a site built from the real corpus plus a 2026 plan of the new
tỉnh Tuyên Quang and (test data) Chỉ thị 21-CT/TW marked replaced (helpers.lineage_corpus).
"""
from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest

from helpers import CT21, REAL_CORPUS, TQ_2019, TQ_2026, lineage_corpus
from sitegen.i18n import t
from sitegen.pages import Kit
from sitegen.pages.legal import instrument_meta, legal_index
from sitegen.pages.plans import plan
from sitegen.pages.provinces import province, province_list
from sitegen.pipeline import build, gather


def _text(node) -> str:
    return re.sub(r"\s+", " ", "".join(node.itertext())).strip()


def _main(path: Path):
    tree = html5lib.parse(path.read_bytes(), namespaceHTMLElements=False)
    return tree.find(".//main")


def _parts(parts) -> str:
    return "".join(p.text for p in parts)


# ---------------------------------------------------------------- page contexts of the real corpus

@pytest.fixture(scope="module")
def real_site():
    return gather(REAL_CORPUS).site


@pytest.fixture(scope="module")
def vi(real_site):
    return Kit(real_site, "vi")


def test_tra_vinh_says_it_is_part_of_vinh_long_since_1_july_2025(vi):
    page = province(vi, "tra-vinh")
    lineage = page.page.lineage
    assert [_parts(line) for line in lineage.lines] == ["Từ 01/07/2025 thuộc tỉnh Vĩnh Long."]
    (successor,) = [p for p in lineage.lines[0] if p.url]
    assert (successor.text, successor.url) == ("tỉnh Vĩnh Long", "vinh-long-2025.html")
    assert lineage.bases == ("Căn cứ: Nghị quyết số 202/2025/QH15 ngày 12/06/2025, Điều 1.",)
    assert (lineage.today.text, lineage.today.url) == ("Xem tỉnh Vĩnh Long hiện nay", "vinh-long-2025.html")


def test_quang_ninh_is_unchanged_and_its_basis_article_is_not_claimed(vi):
    lineage = province(vi, "quang-ninh").page.lineage
    assert [_parts(line) for line in lineage.lines] == [t("vi", "lineage_unchanged")]
    assert lineage.bases == ("Căn cứ: Nghị quyết số 202/2025/QH15 ngày 12/06/2025, điều khoản không rõ.",)
    assert lineage.today is None


def test_vinh_long_today_lists_the_plans_of_its_members_under_their_own_province(vi):
    page = province(vi, "vinh-long-2025")
    assert page.template == "present.html" and page.base.title == "Tỉnh Vĩnh Long hiện nay"
    ctx = page.page
    assert [(r.year, r.unit.text, r.plan.url) for r in ctx.rows] == [
        ("2022", "tỉnh Trà Vinh", "../plans/tra-vinh-2022.html")]
    intro = _parts(ctx.intro)
    assert intro.startswith("Từ 01/07/2025, tỉnh Vĩnh Long gồm địa bàn của tỉnh Vĩnh Long, tỉnh Bến Tre, tỉnh Trà Vinh.")
    assert "không được cộng dồn" in intro
    # Only the member with a page is a link: the corpus has no plan of Vĩnh Long or Bến Tre before 2025.
    assert [(p.text, p.url) for p in ctx.intro if p.url] == [("tỉnh Trà Vinh", "tra-vinh.html")]


def test_khanh_hoa_today_and_tuyen_quang_today(vi):
    kh = province(vi, "khanh-hoa-2025").page
    assert [(r.year, r.unit.text) for r in kh.rows] == [("2020", "tỉnh Ninh Thuận")]
    tq = province(vi, "tuyen-quang-2025").page
    assert [(r.year, r.unit.text) for r in tq.rows] == [("2013", "tỉnh Tuyên Quang"), ("2019", "tỉnh Tuyên Quang")]


def test_the_province_list_tells_the_old_and_the_new_tuyen_quang_apart(vi):
    items = {(link.text, link.url): link.note for link in province_list(vi).page.items}
    assert items[("Tuyên Quang", "tuyen-quang.html")] == "2 kế hoạch · nay thuộc tỉnh Tuyên Quang"
    assert items[("Tuyên Quang hiện nay", "tuyen-quang-2025.html")] == "2 kế hoạch của các tỉnh nay thuộc tỉnh này"
    assert items[("Quảng Ninh", "quang-ninh.html")] == "1 kế hoạch"


def test_a_plan_page_gives_the_present_day_province_only_when_it_changed(vi, real_site):
    plans = {p.id: p for p in real_site.corpus.plans}
    meta = {r.label: r for r in plan(vi, plans["ninh-thuan-2020"]).page.meta}
    today = meta[t("vi", "meta_province_today")]
    assert (today.value, today.url) == ("tỉnh Khánh Hòa", "../provinces/khanh-hoa-2025.html")
    assert t("vi", "meta_province_today") not in {r.label for r in plan(vi, plans["quang-ninh-2021-27-kh-ubnd"]).page.meta}


def test_an_instrument_page_shows_its_validity_with_its_source_or_unknown(vi, real_site):
    law = real_site.instruments["luat-phong-chong-ma-tuy-2021"]
    row = {r.label: r for r in instrument_meta(vi, law)}[t("vi", "validity_title")]
    assert row.value == ("Có hiệu lực từ 01/01/2022; hiện còn hiệu lực hay không: không rõ "
                         "(Nguồn: Luật Phòng, chống ma túy số 73/2021/QH14, Điều 54)") and not row.unknown
    other = real_site.instruments["chi-thi-36-ct-tw-2019-08-16"]
    row = {r.label: r for r in instrument_meta(vi, other)}[t("vi", "validity_title")]
    assert (row.value, row.unknown) == ("Không rõ", True)


def test_the_legal_index_rows_carry_their_validity_for_the_filter(vi):
    ctx = legal_index(vi).page
    assert ctx.statuses == (("unknown", "không rõ"),)  # only what occurs is offered
    assert ctx.rows and {r.status for r in ctx.rows} == {"unknown"}


def test_no_plan_of_the_real_corpus_is_flagged(vi, real_site):
    flagged = [(p.id, q.label) for p in real_site.corpus.plans for q in plan(vi, p).page.citations if q.flag]
    assert flagged == []


# ---------------------------------------------------------------- a site with a 2026 plan of the new Tuyên Quang

@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("lineage")
    build(lineage_corpus(base), base / "site", search=False)
    return base / "site"


def test_the_new_tuyen_quang_page_lists_its_own_plan_and_its_predecessors_plans(site_dir):
    main = _main(site_dir / "provinces/tuyen-quang-2025.html")
    rows = [[_text(td) for td in tr] for tr in main.iter("tr")][1:]
    assert [(r[0], r[1]) for r in rows] == [("2013", "tỉnh Tuyên Quang"), ("2019", "tỉnh Tuyên Quang"),
                                            ("2026", "tỉnh Tuyên Quang")]
    hrefs = [a.get("href") for tr in main.iter("tr") for a in tr.iter("a")]
    assert f"../plans/{TQ_2026}.html" in hrefs and "tuyen-quang.html" in hrefs and "tuyen-quang-2025.html" in hrefs
    text = _text(main)
    assert "Hình thành ngày 01/07/2025 từ tỉnh Tuyên Quang, tỉnh Hà Giang." in text
    # No number is added across units: the page shows each plan's own count and no total.
    assert "tổng" not in text.lower()


def test_the_2026_plan_belongs_to_the_new_province(site_dir):
    main = _main(site_dir / f"plans/{TQ_2026}.html")
    links = {_text(a): a.get("href") for a in main.iter("a")}
    assert links["Tuyên Quang"] == "../provinces/tuyen-quang-2025.html"
    assert t("vi", "meta_province_today") not in _text(main)  # signed in the unit that still exists


def test_the_grid_does_not_call_a_province_without_a_plan_after_it_ceased_to_exist(site_dir):
    tree = html5lib.parse((site_dir / "index.html").read_bytes(), namespaceHTMLElements=False)
    table = next(tb for tb in tree.iter("table") if tb.get("class") == "grid")
    years = [_text(th) for th in table.find("thead").iter("th")][1:]
    rows = {}
    for tr in table.find("tbody").iter("tr"):
        cells = [td for td in tr if td.tag == "td"]
        rows.setdefault(_text(tr.find("th")), []).append(dict(zip(years, cells)))
    assert "2026" in years
    old_tq, new_tq = rows["Tuyên Quang"]  # sorted by name, then by start: the old unit first
    assert old_tq["2026"].get("class") == "cell-ended"
    assert _text(old_tq["2026"]) == "Không còn là đơn vị hành chính cấp tỉnh (từ 01/07/2025 thuộc tỉnh Tuyên Quang)"
    assert new_tq["2013"].get("class") == "cell-ended" and "Chưa là đơn vị cấp tỉnh" in _text(new_tq["2013"])
    (tra_vinh,) = rows["Trà Vinh"]
    assert tra_vinh["2026"].get("class") == "cell-ended" and tra_vinh["2021"].get("class") == "cell-none"
    (quang_ninh,) = rows["Quảng Ninh"]
    assert quang_ninh["2026"].get("class") == "cell-none"  # Quảng Ninh still exists: no plan that year


@pytest.mark.parametrize("plan_id", [TQ_2019, TQ_2026])
def test_a_plan_page_flags_a_legal_basis_already_replaced_on_its_date(site_dir, plan_id):
    main = _main(site_dir / f"plans/{plan_id}.html")
    flags = [_text(s) for s in main.iter("strong") if "flag-replaced" in (s.get("class") or "")]
    assert flags == ["Đã được thay thế trước ngày ban hành kế hoạch: được thay thế bởi Chỉ thị số 36-CT/TW ngày "
                     "16/8/2019 của Bộ Chính trị từ 01/01/2019."]
    item = next(li for li in main.iter("li") if any("flag-replaced" in (s.get("class") or "") for s in li.iter("strong")))
    assert any(a.get("href") == f"../legal/{CT21}.html" for a in item.iter("a"))


def test_a_plan_signed_before_the_replacement_is_not_flagged(tmp_path):
    base = tmp_path
    site = base / "site"
    build(lineage_corpus(base, replaced_from="2019-06-01"), site, search=False)
    main = _main(site / f"plans/{TQ_2019}.html")  # signed 23/05/2019
    assert not [s for s in main.iter("strong") if "flag-replaced" in (s.get("class") or "")]
    main = _main(site / f"plans/{TQ_2026}.html")
    assert [s for s in main.iter("strong") if "flag-replaced" in (s.get("class") or "")]


def test_the_legal_index_offers_the_statuses_that_occur_and_marks_each_row(site_dir):
    main = _main(site_dir / "legal/index.html")
    select = next(s for s in main.iter("select") if s.get("name") == "status")
    assert [(o.get("value"), _text(o)) for o in select.iter("option")] == [
        ("", "Tất cả"), ("replaced", "đã được thay thế"), ("unknown", "không rõ")]
    rows = {tr.get("data-status") for tr in main.iter("tr") if tr.get("data-status")}
    assert rows == {"replaced", "unknown"}


def test_the_instrument_page_says_what_replaced_it_and_the_record(site_dir):
    main = _main(site_dir / f"legal/{CT21}.html")
    rows = {_text(div.find("dt")): _text(div.find("dd")) for div in main.iter("div") if div.get("class") == "meta-row"}
    assert rows["Hiệu lực"] == ("Được thay thế bởi Chỉ thị số 36-CT/TW ngày 16/8/2019 của Bộ Chính trị từ 01/01/2019 "
            "(Nguồn: a test record (tests/helpers.py), not an official one)")
