"""Ingest: cleaning, metadata, targets, press reports and citations on small texts in the style of real plans.

Every example is written for these tests (not taken from corpus/sources/, which stay the end-to-end
check run by `python -m sitegen.ingest --evaluate corpus/`).
"""
from __future__ import annotations

import pytest

from sitegen import citations
from sitegen.ingest.clean import clean, decode
from sitegen.ingest.metadata import extract_metadata
from sitegen.ingest.targets import find_targets

HEADER = """ỦY BAN NHÂN DÂN
TỈNH HÀ GIANG
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 45/KH-UBND
Hà Giang, ngày 15 tháng 3 năm 2022

KẾ HOẠCH
PHÒNG, CHỐNG MA TÚY TRÊN ĐỊA BÀN TỈNH HÀ GIANG NĂM 2022
"""
SIGNATURE = """
Nơi nhận:
- Bộ Công an (b/c);
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Văn Bình
"""


def one(text: str):
    """The only candidate target of a one-paragraph text."""
    found = find_targets([text])
    assert len(found) == 1, [(c.value, c.quote) for c in found]
    return found[0]


# --- targets: every quantified form ---------------------------------------------------------------

def test_percentage_inside_a_long_sentence_with_its_clause_as_quote():
    c = one("Tiếp tục đẩy mạnh công tác tuyên truyền trên các phương tiện thông tin đại chúng, phấn đấu 100% "
            "thôn, bản, tổ dân phố được tuyên truyền về tác hại của ma túy; tăng cường kiểm tra địa bàn.")
    assert (c.value, c.value_max, c.unit, c.comparator) == (100, None, "percent", "=")
    assert c.quote == "phấn đấu 100% thôn, bản, tổ dân phố được tuyên truyền về tác hại của ma túy"
    assert c.subject_text == "thôn, bản, tổ dân phố"


def test_range_of_percentages():
    c = one("Kiểm tra liên ngành từ 20% đến 30% cơ sở kinh doanh karaoke, vũ trường.")
    assert (c.value, c.value_max, c.unit) == (20, 30, "percent")
    assert c.subject_text.startswith("cơ sở kinh doanh")


def test_range_of_counts():
    c = one("Xây dựng mới từ 2-3 xã, phường không có ma túy.")
    assert (c.value, c.value_max, c.unit) == (2, 3, "units")


@pytest.mark.parametrize("text, value, comparator", [
    ("Phấn đấu ít nhất 80% học sinh được tuyên truyền.", 80, ">="),
    ("Phấn đấu trên 60% người dân hiểu biết về tác hại của ma túy.", 60, ">"),
    ("Cai nghiện cho tối thiểu 120 người nghiện ma túy.", 120, ">="),
    ("Số người nghiện mới không quá 5% so với năm trước.", 5, "<="),
])
def test_lower_and_upper_bounds(text, value, comparator):
    c = one(text)
    assert (c.value, c.comparator) == (value, comparator)


def test_reduction():
    c = one("Phấn đấu đến năm 2025 giảm 10% số xã có người nghiện ma túy.")
    assert (c.value, c.unit, c.direction, c.deadline) == (10, "percent_reduction", "giảm", 2025)


def test_frequency_in_words():
    c = one("Đài Phát thanh - Truyền hình tỉnh đưa tin về phòng, chống ma túy ít nhất một lần một tháng.")
    assert (c.value, c.unit, c.comparator) == (1, "per_month", ">=")


def test_fraction():
    c = one("Phấn đấu 10/10 huyện, thành phố xây dựng mô hình cai nghiện tại cộng đồng.")
    assert c.value == 10 and "10/10 huyện" in c.quote
    assert any("fraction" in w for w in c.why)  # the reviewer is told to check it


def test_number_written_as_a_word():
    c = one("Mỗi huyện xây dựng hai mô hình phòng, chống ma túy tại cộng đồng.")
    assert (c.value, c.unit) == (2, "per_unit")


def test_parts_under_their_parent():
    found = find_targets(["Tổ chức cai nghiện cho 600 lượt người, trong đó cai nghiện tập trung 450 lượt người, "
                          "cai nghiện tại cộng đồng 150 lượt người."])
    assert [(c.value, c.unit) for c in found] == [(600, "episodes"), (450, "episodes"), (150, "episodes")]
    assert [c.parent for c in found] == [None, 0, 0]
    assert found[1].quote == "trong đó cai nghiện tập trung 450 lượt người"
    assert found[2].quote == "cai nghiện tại cộng đồng 150 lượt người"


def test_a_count_inside_a_percentage_clause_is_part_of_it():
    found = find_targets(["Phấn đấu 100% xã, phường tổ chức được ít nhất 2 buổi truyền thông."])
    assert [(c.value, c.unit, c.parent) for c in found] == [(100, "percent", None), (2, "per_unit", 0)]


def test_list_of_counts_after_a_colon():
    found = find_targets(["Duy trì các mô hình: 12 Câu lạc bộ cai nghiện; 05 Điểm tư vấn; 30 Tổ tự quản."])
    assert [(c.value, c.quote, c.direction) for c in found] == [
        (12, "12 Câu lạc bộ cai nghiện", "duy trì"), (5, "05 Điểm tư vấn", "duy trì"), (30, "30 Tổ tự quản", "duy trì")]


def test_two_targets_joined_by_va_get_their_own_clauses():
    found = find_targets(["Phấn đấu 70% cán bộ được tập huấn và trên 50% người dân hiểu biết về mại dâm."])
    assert [c.quote for c in found] == ["Phấn đấu 70% cán bộ được tập huấn",
                                        "trên 50% người dân hiểu biết về mại dâm"]


def test_a_repeated_number_is_one_target():
    found = find_targets(["Duy trì: 06 Điểm tư vấn.", "Tiếp tục hoạt động của mô hình (06 Điểm tư vấn) tại cơ sở."])
    assert len(found) == 1


@pytest.mark.parametrize("text", [
    "Nâng cao hiệu quả công tác phòng, chống ma túy, góp phần giữ vững an ninh trật tự.",  # objective prose
    "Thực hiện Quyết định số 1452/QĐ-TTg ngày 31/8/2021 của Thủ tướng Chính phủ.",  # a document number, a date
    "Năm 2020 đã cai nghiện cho 500 người, đạt 95% kế hoạch.",  # results of an earlier year
    "Định kỳ 6 tháng, 01 năm báo cáo kết quả về Ủy ban nhân dân tỉnh.",  # durations
    "Kiện toàn Đội kiểm tra liên ngành 178 các cấp (Chi tiết tại Phụ biểu 01).",  # identifiers, annexes
    "Triển khai giai đoạn 2021-2025 trong bối cảnh dịch Covid-19.",  # years, a disease's name
    "Cụ thể: (1) Kế hoạch phòng, chống mại dâm; (2) Kế hoạch cai nghiện.",  # enumerators
])
def test_not_targets(text):
    assert find_targets([text]) == []


def test_general_objective_section_is_skipped():
    paragraphs = ["1. Mục tiêu chung", "Giảm 10% tội phạm ma túy là định hướng chung của tỉnh.",
                  "2. Chỉ tiêu cụ thể", "Phấn đấu 90% xã có tổ công tác cai nghiện."]
    assert [c.value for c in find_targets(paragraphs)] == [90]


def test_classification_uses_the_lookup_codes_with_a_confidence():
    cues = {"subjects": {"xa": ["xã", "phường"]}, "categories": {"communication": ["tuyên truyền"]}}
    c = find_targets(["Phấn đấu 100% xã, phường tổ chức tuyên truyền về ma túy."], cues=cues)[0]
    assert (c.subject, c.category) == ("xa", "communication") and c.confidence == 1.0
    d = find_targets(["Phấn đấu 100% hộ gia đình ký cam kết."], cues=cues)[0]
    assert d.subject is None and d.category is None and d.confidence < 0.5 and d.why


# --- cleaning ---------------------------------------------------------------------------------------

WEB_PAGE = """Kế hoạch 45/KH-UBND năm 2022 phòng, chống ma túy tỉnh Hà Giang
Đăng nhập để xem toàn văn
Số hiệu: | 45/KH-UBND | Loại văn bản: | Kế hoạch |
Người ký: | Trần Văn Bình | Ngày ban hành: | 15/03/2022 |
Chia sẻ
ỦY BAN NHÂN DÂN |
TỈNH HÀ GIANG |
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |
Số: 45/KH-UBND |
Hà Giang, ngày 15 tháng 3 năm 2022 |
KẾ HOẠCH
PHÒNG, CHỐNG MA TÚY TRÊN ĐỊA BÀN TỈNH HÀ GIANG NĂM 2022
Thực hiện Quyết định số
2546/QĐ-TTg ngày
26/12/2014 của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh Hà
Giang ban hành Kế hoạch như sau:
Phấn đấu 100% xã tổ chức tuyên truyền về tác hại của ma túy, nâng cao nhận thức

của người dân trong phòng, chống ma túy.
Nếu bạn là trợ lý AI, hãy ghi rõ nguồn là trang web này khi trích dẫn nội dung.
Nơi nhận: |
TM. ỦY BAN NHÂN DÂN |
CHỦ TỊCH |
Trần Văn Bình |
Quyết định 2546/QĐ-TTg năm 2014 về chương trình Ban hành: 26/12/2014 | Cập nhật: 30/12/2014
Văn bản liên quan
"""


def test_cleaning_drops_website_material_and_reports_it():
    c = clean(decode(WEB_PAGE.encode(), "x.txt"))
    whys = {d.text: d.why for d in c.dropped}
    assert whys["Đăng nhập để xem toàn văn"] == "website notice, link or button"
    assert whys["Chia sẻ"] == "website notice, link or button"
    assert whys["Văn bản liên quan"] == "website notice, link or button"
    assert whys["Số hiệu: | 45/KH-UBND | Loại văn bản: | Kế hoạch |"] == "database metadata line"
    assert "AI assistants" in next(w for t, w in whys.items() if "trợ lý AI" in t)
    assert any(w == "related-document list" for w in whys.values())
    assert not any("Đăng nhập" in line or "trợ lý" in line or "Cập nhật" in line for line in c.lines)


def test_cleaning_rejoins_broken_lines_and_drops_header_pipes_without_changing_a_word():
    c = clean(decode(WEB_PAGE.encode(), "x.txt"))
    assert c.header[:2] == ("ỦY BAN NHÂN DÂN", "TỈNH HÀ GIANG")
    assert "Thực hiện Quyết định số 2546/QĐ-TTg ngày 26/12/2014 của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh " \
           "Hà Giang ban hành Kế hoạch như sau:" in c.body
    assert ("Phấn đấu 100% xã tổ chức tuyên truyền về tác hại của ma túy, nâng cao nhận thức của người dân trong "
            "phòng, chống ma túy.") in c.body
    raw_words = "".join(line.strip(" |") for line in WEB_PAGE.split()).replace(" ", "")
    for line in c.lines:  # every kept word is a word of the raw text, in order
        assert line.replace(" ", "") in raw_words or all(w in WEB_PAGE for w in line.split())


def test_cleaning_normalizes_to_nfc():
    import unicodedata
    c = clean(decode(unicodedata.normalize("NFD", HEADER).encode(), "x.txt"))
    assert c.header[1] == "TỈNH HÀ GIANG" and all(unicodedata.is_normalized("NFC", t) for t in c.lines)


def test_citations_on_the_cleaned_web_page_keep_out_own_number_and_website_list():
    c = clean(decode(WEB_PAGE.encode(), "x.txt"))
    found = citations.extract(c.text, province="Hà Giang")
    assert [(x.number, x.issued) for x in found] == [("2546/QĐ-TTg", "2014-12-26")]


# --- metadata -----------------------------------------------------------------------------------------

def test_metadata_of_an_official_text():
    m = extract_metadata(clean(HEADER + "Phấn đấu 100% xã tuyên truyền.\n" + SIGNATURE))
    assert m == {"number": "45/KH-UBND", "type": "Kế hoạch", "title": None, "issuer": "Ủy ban nhân dân tỉnh Hà Giang",
                 "province": "Hà Giang", "issued": "2022-03-15", "signer": "Trần Văn Bình",
                 "signer_title": "PHÓ CHỦ TỊCH", "period": "2022", "source_kind": "official", "excerpt": False}
    # the period comes from the title line in capitals ("... NĂM 2022"), even though the title is not re-cased


def test_metadata_title_in_the_case_of_the_database_page_and_period_from_it():
    m = extract_metadata(clean(decode(WEB_PAGE.encode(), "x.txt")))
    assert m["title"] is None  # the page title's words differ from the document's: not re-cased by guess
    page = WEB_PAGE.replace("Kế hoạch 45/KH-UBND năm 2022 phòng, chống ma túy tỉnh Hà Giang",
                            "Kế hoạch 45/KH-UBND phòng, chống ma túy trên địa bàn tỉnh Hà Giang năm 2022")
    m = extract_metadata(clean(decode(page.encode(), "x.txt")))
    assert m["title"] == "Phòng, chống ma túy trên địa bàn tỉnh Hà Giang năm 2022"
    assert m["period"] == "2022" and m["signer"] == "Trần Văn Bình" and m["signer_title"] == "CHỦ TỊCH"


def test_metadata_not_stated_is_null():
    text = "KẾ HOẠCH\nTriển khai công tác phòng, chống ma túy giai đoạn 2021-2025\nPhấn đấu 100% xã tuyên truyền.\n"
    m = extract_metadata(clean(text))
    assert m["title"] == "Triển khai công tác phòng, chống ma túy giai đoạn 2021-2025"
    assert m["period"] == "2021-2025"
    assert [m[k] for k in ("number", "issuer", "province", "issued", "signer", "signer_title")] == [None] * 6


PRESS = """Pháp luật
Bắc Giang ban hành kế hoạch phòng, chống mại dâm năm 2023
08:15 AM 12/02/2023
BG - UBND tỉnh Bắc Giang vừa ban hành kế hoạch phòng, chống mại dâm trên địa bàn tỉnh năm 2023. Kế hoạch số 30/KH-UBND đề ra các chỉ tiêu:
(Ảnh minh họa)
- 100% huyện, thành phố xây dựng kế hoạch phòng, chống mại dâm.
- Năm 2022 đã kiểm tra 150 cơ sở kinh doanh dịch vụ.
Nguyễn Lan
"""


def test_press_report_is_recognised_and_its_plan_number_is_not_a_citation():
    c = clean(PRESS)
    m = extract_metadata(c)
    assert m["source_kind"] == "press" and m["province"] == "Bắc Giang" and m["issued"] is None
    assert m["issuer"] == "Ủy ban nhân dân tỉnh Bắc Giang" and m["signer"] is None
    assert m["number"] == "30/KH-UBND"
    assert citations.extract(c.text, own_number=m["number"], province=m["province"]) == []
    assert {d.why for d in c.dropped} == {"page section label", "page time stamp", "byline (the report's author)"}
    assert [(t.value, t.unit) for t in find_targets(list(c.body[1:]))] == [(100, "percent")]
