"""The plan page a policymaker reads on a phone: a summary made from the data alone, in the page's
language; targets in the words of their quotes; no internal ids, capitals or field names in what a
reader sees. Page contexts of the real corpus, and the wording transforms on tiny inline data.
"""
from __future__ import annotations

import re

import pytest

from helpers import REAL_CORPUS
from sitegen.i18n import t
from sitegen.pages import kits
from sitegen.pages.plans import plan as plan_page
from sitegen.pipeline import gather
from sitegen.wording import normal_case_title, replace_target_ids, unit_in_quote, written_numbers

QUANG_NINH = "quang-ninh-2021-27-kh-ubnd"
TRA_VINH = "tra-vinh-2022"
NINH_THUAN = "ninh-thuan-2020"
INTERNAL_ID = re.compile(r"\bt\d{2,}\b")


@pytest.fixture(scope="module")
def site():
    return gather(REAL_CORPUS).site


@pytest.fixture(scope="module")
def builders(site):
    return kits(site)


def _plan(site, pid):
    return next(p for p in site.corpus.plans if p.id == pid)


def _summary(builders, site, pid, lang="vi") -> str:
    page = plan_page(builders[lang], _plan(site, pid)).page
    return "\n".join("".join(r.text for r in para) for para in page.summary)


# ---------------------------------------------------------------- the summary on the real corpus


def test_the_quang_ninh_summary_says_what_who_when_and_counts_only_top_level_targets(site, builders):
    plan = _plan(site, QUANG_NINH)
    top = [tg for tg in plan.targets if tg.parent is None]
    assert (len(top), len(plan.targets) - len(top)) == (17, 6)  # t03, t11, t12, t21, t22, t23 are parts
    text = _summary(builders, site, QUANG_NINH)
    assert "Kế hoạch 27/KH-UBND của Ủy ban nhân dân tỉnh Quảng Ninh." in text
    assert "Ban hành ngày 02/02/2021." in text
    assert "Người ký: Nguyễn Thị Hạnh (chức vụ không rõ)." in text  # the excerpt cut the signature block
    assert "Có 17 chỉ tiêu định lượng chính (và 6 chỉ tiêu thành phần" in text
    assert "Kỳ kế hoạch: 2021." in text and "Mại dâm" in text and "Mua bán người" in text
    assert "Căn cứ: 5 văn bản, trong đó Chỉ thị 36-CT/TW" in text
    assert "Cơ quan được giao nhiệm vụ: " in text and "Cơ sở cai nghiện ma túy tỉnh" in text


def test_the_quang_ninh_notable_targets_are_the_first_top_level_target_of_each_category(site, builders):
    page = plan_page(builders["vi"], _plan(site, QUANG_NINH)).page
    notable = ["".join(r.text for r in n) for n in page.notable]
    assert notable[0] == "100% các huyện, thị xã, thành phố (Xây dựng kế hoạch lồng ghép)"
    groups = {tg.category for tg in _plan(site, QUANG_NINH).targets if tg.parent is None}
    assert len(notable) == len(groups) == 10  # every group, as the sentence before the list says
    assert "Chỉ tiêu đầu tiên của mỗi nhóm trong 10 nhóm" in "".join(r.text for r in page.summary[2])
    parts = {tg.quote for tg in _plan(site, QUANG_NINH).targets if tg.parent}
    assert not any(q in n for q in parts for n in notable)


def test_the_english_summary_is_english_with_the_vietnamese_names_marked(site, builders):
    page = plan_page(builders["en"], _plan(site, QUANG_NINH)).page
    text = _summary(builders, site, QUANG_NINH, "en")
    assert "Plan (Kế hoạch) 27/KH-UBND of the People's Committee of Quảng Ninh Province." in text
    assert "Issued on 2 February 2021." in text and "Signed by Nguyễn Thị Hạnh (title not known)." in text
    assert "It sets 17 main quantified targets (and 6 parts that break them down)." in text
    assert "Legal bases: 5 documents, among them Directive 36-CT/TW" in text
    marked = {r.text for para in page.summary for r in para if r.lang == "vi"}
    assert {"Kế hoạch", "Nguyễn Thị Hạnh"} <= marked


def test_the_press_report_summary_says_it_is_a_press_report_and_what_is_not_known(site, builders):
    text = _summary(builders, site, NINH_THUAN)
    assert "Kế hoạch (số hiệu không rõ) của Ủy ban nhân dân tỉnh Ninh Thuận." in text
    assert "Nguồn là bài báo của LĐXH ngày 30/06/2020 thuật lại kế hoạch" in text
    assert "Ngày ban hành không rõ." in text and "Người ký không rõ." in text
    assert "Văn bản không viện dẫn căn cứ nào mà dữ liệu nhận ra." in text
    en = _summary(builders, site, NINH_THUAN, "en")
    assert "(number unknown)" in en and "The date of issue is not known." in en and "press report by LĐXH" in en


def test_the_tra_vinh_summary_has_no_number_no_date_no_targets_and_a_title_in_normal_case(site, builders):
    text = _summary(builders, site, TRA_VINH)
    assert "(số hiệu không rõ)" in text and "Ngày ban hành không rõ." in text
    assert "Người ký: Lê Văn Hân (Chủ tịch)." in text and "CHỦ TỊCH" not in text
    assert "Văn bản không nêu chỉ tiêu định lượng nào." in text
    page = plan_page(builders["vi"], _plan(site, TRA_VINH)).page
    title = next(m for m in page.meta if m.label == t("vi", "meta_signer_title"))
    assert title.value == "Chủ tịch"
    assert page.sign_title == "CHỦ TỊCH"  # the document's own signature block stays verbatim


# ---------------------------------------------------------------- what a reader sees of each target


def test_no_reader_facing_text_of_any_plan_page_names_a_target_by_its_internal_id(site, builders):
    texts = []
    for lang, b in builders.items():
        for plan in site.corpus.plans:
            page = plan_page(b, plan).page
            texts += [r.note for r in page.targets] + [r.headline for r in page.targets]
            texts += ["".join(x.text for x in para) for para in (*page.summary, *page.notable)]
    assert len(texts) > 60
    assert [x for x in texts if INTERNAL_ID.search(x)] == []
    notes = [r.note for r in plan_page(builders["vi"], _plan(site, QUANG_NINH)).page.targets]
    assert any("(xem chỉ tiêu “≥ 1 mỗi xã, phường, thị trấn”)" in n for n in notes)


def test_a_count_is_shown_in_the_words_of_its_quote_not_as_units(site, builders):
    rows = {r.id: r for r in plan_page(builders["vi"], _plan(site, NINH_THUAN)).page.targets}
    assert rows["t05"].value == "15 xã, phường, thị trấn"  # "Duy trì 15 xã, phường, thị trấn lành mạnh"
    assert rows["t06"].value == "1–2 xã, phường, thị trấn"
    qn = {r.id: r for r in plan_page(builders["vi"], _plan(site, QUANG_NINH)).page.targets}
    assert qn["t14"].value == "25 Đội công tác xã hội tình nguyện cấp xã"
    assert qn["t17"].value == "4 mô hình phòng, chống mại dâm"
    assert qn["t10"].value == "900 lượt người"
    every = [r for b in builders.values() for p in site.corpus.plans for r in plan_page(b, p).page.targets]
    assert every and not any(re.search(r"\bđơn vị\b|\bunits\b", r.value) for r in every)
    en = {r.id: r for r in plan_page(builders["en"], _plan(site, NINH_THUAN)).page.targets}
    assert en["t05"].value == "15 communes free of prostitution and drugs" and en["t05"].subject_vi == "xã, phường, thị trấn"


def test_the_requirement_is_said_in_plain_words_not_as_a_field_value(site, builders):
    rows = [r for b in builders.values() for p in site.corpus.plans for r in plan_page(b, p).page.targets]
    assert rows
    assert not {r.direction for r in rows} & {"Đạt", "Duy trì", "Tăng", "Giảm", "Reach", "Maintain"}
    assert {r.direction for r in rows} >= {"Đạt mức này", "Giữ ở mức này", "Reach this level"}
    assert t("vi", "col_direction") != "Hướng"


def test_targets_come_as_top_level_items_with_their_parts(site, builders):
    page = plan_page(builders["vi"], _plan(site, QUANG_NINH)).page
    assert len(page.target_items) == 17
    parts = {item.row.id: [r.id for r in item.parts] for item in page.target_items if item.parts}
    assert parts == {"t02": ["t03"], "t10": ["t11", "t12"], "t13": ["t21", "t22", "t23"]}


def test_the_jump_links_point_at_sections_the_page_has(site, builders):
    for plan in site.corpus.plans:
        page = plan_page(builders["vi"], plan).page
        anchors = [j.url for j in page.jump]
        assert anchors[0] == "#chi-tieu" and anchors[-1] == "#toan-van"
        assert ("#cam-ket" in anchors) == bool(page.commitments)


def test_the_time_from_an_instrument_to_a_plan_is_explained_in_both_languages():
    for lang in ("vi", "en"):
        note = t(lang, "lag_note")
        assert note.endswith(".") and note.count(".") <= 3
    assert "Số ngày từ ngày ban hành văn bản đến ngày ban hành kế hoạch viện dẫn nó" in t("vi", "lag_note")


# ---------------------------------------------------------------- the transforms


@pytest.mark.parametrize("title, expected", [
    ("CHỦ TỊCH", "Chủ tịch"), ("PHÓ CHỦ TỊCH", "Phó Chủ tịch"), ("KT. CHỦ TỊCH", "KT. Chủ tịch"),
    ("Phó Chủ tịch", "Phó Chủ tịch"), ("", ""),
])
def test_a_title_in_capitals_is_written_in_normal_case(title, expected):
    assert normal_case_title(title) == expected


@pytest.mark.parametrize("quote, value, subject, expected", [
    ("Duy trì 15 xã, phường, thị trấn lành mạnh", 15, "xã, phường, thị trấn", "xã, phường, thị trấn"),
    ("04 mô hình phòng, chống mại dâm", 4, "mô hình phòng, chống mại dâm", "mô hình phòng, chống mại dâm"),
    ("Phấn đấu 100% các xã", 100, "các xã", ""),  # a percentage: no count word follows
    ("cho 900 lượt người", 900, "người", ""),  # the subject does not follow the number
    ("Duy trì 15 xã", 5, "xã", ""),  # "5" inside "15" is not the number
])
def test_the_unit_is_the_subject_where_the_quote_writes_it_right_after_the_number(quote, value, subject, expected):
    assert unit_in_quote(quote, written_numbers(value), subject) == expected


def test_target_ids_are_replaced_by_what_the_target_says():
    assert replace_target_ids("Chia thành t11 và t12; xem t99.", {"t11": "A", "t12": "B"}) == "Chia thành A và B; xem t99."


def test_every_built_page_that_shows_an_adoption_lag_explains_it(built_site):
    shown = 0
    for path in sorted(built_site.rglob("*.html")):
        rel = path.relative_to(built_site).as_posix()
        if rel.startswith("pagefind/"):
            continue
        lang = "en" if rel.startswith("en/") else "vi"
        html = path.read_text("utf-8")
        if f">{t(lang, 'col_lag')}<" in html or f">{t(lang, 'col_shortest_lag')}<" in html:
            shown += 1
            sentences = [t(lang, note).split(".")[0].split(";")[0] for note in ("lag_note", "lag_note_overview")]
            assert any(s in html for s in sentences), f"{rel} shows a time to a plan without saying what it is"
    assert shown >= 4


def test_no_page_of_the_built_site_shows_an_internal_target_or_commitment_id(built_site):
    import html5lib
    internal = re.compile(r"\b[tc]\d{2,}\b")
    pages = [p for p in sorted(built_site.rglob("*.html")) if p.relative_to(built_site).parts[0] != "pagefind"]
    assert len(pages) > 100
    found = []
    for path in pages:
        for el in html5lib.parse(path.read_bytes(), namespaceHTMLElements=False).iter():
            if el.tag in ("script", "style"):
                continue
            found += [(path.name, text.strip()[:80]) for text in (el.text, el.tail) if text and internal.search(text)]
    assert found == []


def test_source_lines_read_in_the_grammar_of_each_language(site, builders):
    nt, qn = _plan(site, NINH_THUAN), _plan(site, QUANG_NINH)
    assert builders["en"].doc_reference(nt) == \
        "Plan by the People's Committee of Ninh Thuận Province (as reported by LĐXH, 30 June 2020)"
    assert builders["en"].doc_reference(qn) == \
        "Plan 27/KH-UBND of 2 February 2021 by the People's Committee of Quảng Ninh Province"
    assert builders["vi"].doc_reference(qn) == "Kế hoạch 27/KH-UBND ngày 02/02/2021 của Ủy ban nhân dân tỉnh Quảng Ninh"
