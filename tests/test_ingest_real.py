"""Ingest rules written from the failures real plans and portal news items showed (the tune half of a measure on
real texts; see README, "Drafting a plan with ingest"). Every text here is written for these tests, in the
layouts those real texts use; none is copied from them.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.ingest.clean import clean, decode
from sitegen.ingest.draft import NotAPlan, ingest
from sitegen.ingest.metadata import extract_metadata
from sitegen.ingest.targets import find_all
from sitegen.ingest.unseen import cite_counts

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


# --- a national figure quoted in a provincial plan is context, not its target ----------------------

def test_a_national_figure_in_the_background_section_is_not_a_target():
    pars = ["I. BỐI CẢNH",
            "Chính phủ giao các tỉnh đăng ký chỉ tiêu, bảo đảm đến hết năm 2030, có ít nhất 40% xã, phường trên địa "
            "bàn toàn quốc lành mạnh, không có tệ nạn ma túy.",
            "II. MỤC TIÊU",
            "Phấn đấu đến năm 2030 có ít nhất 35% xã, phường trên địa bàn tỉnh không có tệ nạn ma túy."]
    targets, results = find_all(pars)
    assert [c.value for c in targets] == [35]
    assert [c.value for c in results] == [40]  # kept as a commitment quoted there, before the national rule


def test_a_national_average_in_brackets_is_not_a_target():
    targets, results = find_all(["Phấn đấu giữ tỷ lệ nhiễm HIV trong cộng đồng dưới 0,25% (cả nước là dưới 0,3%)."])
    assert [c.value for c in targets] == [0.25] and [c.value for c in results] == [0.3]


# --- news items that speak of "the plan" without its number -------------------------------------

NEWS = """Theo Kế hoạch, mục tiêu chung là giảm số người nhiễm mới HIV trên địa bàn tỉnh Kiên Giang.
Mục tiêu cụ thể là: tỷ lệ người nhiễm HIV được điều trị thuốc kháng vi rút đạt 92% vào năm 2027. Kế hoạch đề ra \
năm nhóm chỉ tiêu và đưa ra các giải pháp trọng tâm.
"""


def test_a_news_item_about_the_plan_without_its_number_is_a_press_source():
    d = ingest(NEWS.encode(), "news.txt", CORPUS)
    assert d.metadata["source_kind"] == "press" and d.metadata["number"] is None
    assert [(c.value, c.deadline) for c in d.targets] == [(92, 2027)]


def test_a_text_naming_a_plan_once_is_still_not_a_plan():
    with pytest.raises(NotAPlan):
        ingest("Theo kế hoạch, chiều nay đội bóng của huyện tập luyện 2 buổi.\n".encode(), "x.txt", CORPUS)


def test_a_news_items_first_paragraph_of_running_text_is_read_for_targets():
    text = ("Mục tiêu của Kế hoạch là nâng cao nhận thức của người dân; 100% thôn, bản được tuyên truyền về phòng, "
            "chống mua bán người; 100% nạn nhân được tiếp nhận và hỗ trợ kịp thời.\n"
            "Kế hoạch xác định 5 nhóm nhiệm vụ, giải pháp trọng tâm cho các sở, ngành.\n")
    d = ingest(text.encode(), "news.txt", CORPUS)
    assert d.metadata["source_kind"] == "press"
    assert [c.value for c in d.targets] == [100, 100]  # and not the 5 groups of tasks


def test_a_news_headline_is_still_not_read_as_running_text():
    text = ("Phấn đấu 100% xã có đội công tác xã hội\n"
            "Ngày 05/3/2024, UBND tỉnh Sơn La ban hành Kế hoạch số 41/KH-UBND; theo đó tỉnh phấn đấu 100% xã có đội "
            "công tác xã hội tình nguyện.\n")
    d = ingest(text.encode(), "news.txt", CORPUS)
    assert [c.quote for c in d.targets] == ["theo đó tỉnh phấn đấu 100% xã có đội công tác xã hội tình nguyện"]


# --- the plan's own parts, harm reduction ---------------------------------------------------------

def test_a_count_of_the_plans_own_groups_is_not_a_target():
    targets, _ = find_all(["Kế hoạch gồm 4 nhóm giải pháp và 12 nhóm chỉ tiêu.",
                           "Thành lập ít nhất 4 nhóm tình nguyện tại các xã biên giới."])
    assert [c.value for c in targets] == [4] and "tình nguyện" in targets[0].quote


def test_harm_reduction_is_not_a_reduction():
    [c] = find_all(["Mở rộng can thiệp giảm hại, tỷ lệ người tiêm chích ma túy được tiếp cận bơm kim tiêm sạch "
                    "đạt 85% vào năm 2030."])[0]
    assert (c.value, c.unit, c.direction) == (85, "percent", "đạt")
    [r] = find_all(["Phấn đấu giảm 20% số người nhiễm mới HIV so với năm 2023."])[0]
    assert r.unit == "percent_reduction"


# --- excerpts ------------------------------------------------------------------------------------

DECISION = """ỦY BAN NHÂN DÂN
TỈNH HẬU GIANG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 902/QĐ-UBND
Hậu Giang, ngày 03 tháng 6 năm 2019
QUYẾT ĐỊNH
Ban hành Kế hoạch phòng, chống mại dâm năm 2019
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phòng, chống mại dâm năm 2019.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Văn Huyến
KẾ HOẠCH
Phòng, chống mại dâm năm 2019
"""


@pytest.mark.parametrize("tail, excerpt", [
    ("I. MỤC TIÊU\n1. Phấn đấu 100% huyện xây dựng kế hoạch phòng, chống mại dâm và tổ chức thực hi\n", True),
    ("I. MỤC TIÊU\n1. Phấn đấu 100% huyện xây dựng kế hoạch phòng, chống mại dâm.\n"
     "Nơi nhận:\n- Lưu: VT.\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTrần Văn Huyến\n", False),
])
def test_a_decisions_signature_does_not_close_the_plan_it_issues(tail, excerpt):
    c = clean(decode((DECISION + tail).encode(), "x.txt"))
    assert extract_metadata(c)["excerpt"] is excerpt


@pytest.mark.parametrize("last, excerpt", [
    ("Để thực hiện mục tiêu, Kế hoạch xác định các nhóm giải pháp về truyền thông, hỗ trợ nạn nhân và phát tri", True),
    ("Để thực hiện mục tiêu, Kế hoạch xác định các nhóm giải pháp về truyền thông và hỗ trợ nạn nhân.", False),
    ("Kế hoạch đề ra mục tiêu 100% nạn nhân được hỗ trợ, 100% xã được tuyên truyền...", False),
])
def test_a_news_item_that_stops_on_a_word_is_an_excerpt(last, excerpt):
    c = clean(decode(("Mục tiêu của Kế hoạch là bảo vệ nạn nhân bị mua bán.\n" + last + "\n").encode(), "x.txt"))
    m = extract_metadata(c)
    assert m["source_kind"] == "press" and m["excerpt"] is excerpt


# --- a plan copied without its decision ---------------------------------------------------------

def test_a_plan_without_header_takes_the_number_of_the_decision_it_was_issued_with():
    text = ("KẾ HOẠCH\nPHÒNG, CHỐNG MA TÚY NĂM 2014\n(Ban hành kèm theo Quyết định số 318 /QĐ-UBND ngày 02/4/2014 "
            "của Ủy ban nhân\ndân tỉnh Lai Châu)\nThực hiện Quyết định số 1203/QĐ-TTg ngày 31/8/2012 của Thủ tướng "
            "Chính phủ, Ủy ban nhân dân tỉnh Lai Châu xây dựng kế hoạch như sau:\nI. MỤC TIÊU\n"
            "Phấn đấu 100% xã có kế hoạch phòng, chống ma túy./.\n")
    d = ingest(text.encode(), "x.txt", CORPUS)
    assert (d.metadata["number"], d.metadata["issued"], d.metadata["province"]) == ("318/QĐ-UBND", "2014-04-02",
                                                                                   "Lai Châu")
    assert [c.number for c in d.citations] == ["1203/QĐ-TTg"]  # its own decision is not a citation


# --- the evaluation counts citations per instrument -----------------------------------------------

def test_citations_are_counted_per_instrument_not_per_mention():
    got = [("132-KL/TW", "2025-03-18"), ("132-KL/TW", None), ("93/NQ-CP", None), ("5/KH-UBND", "2024-01-02")]
    gold = [("132-KL/TW", "2025-03-18"), ("93/NQ-CP", "2025-04-16"), ("5/KH-UBND", None)]
    assert cite_counts(gold, got) == (3, 2)  # 93/NQ-CP without its date is not as in gold
    assert cite_counts(gold, got + [("132-KL/TW", "2025-03-19")]) == (3, 1)  # a second, wrong date


# --- news items: more of their forms (second batch of the tune half) --------------------------------

def test_a_news_item_on_this_plan_with_the_committee_in_the_third_person_is_a_press_source():
    text = ("Việc ban hành Kế hoạch này nhằm nâng cao hiệu quả phối hợp giữa các sở, ngành trong phòng, chống mua bán "
            "người.\nBảo đảm 100% tin báo về tội phạm mua bán người được tiếp nhận; tỷ lệ giải quyết đạt trên 85%.\n"
            "UBND tỉnh yêu cầu các địa phương tổ chức thực hiện nghiêm túc.\n")
    d = ingest(text.encode(), "news.txt", CORPUS)
    assert d.metadata["source_kind"] == "press"
    assert [(c.value, c.comparator) for c in d.targets] == [(100, "="), (85, ">")]


def test_a_news_item_on_assigned_quotas_reads_them_with_the_headlines_year():
    text = ("In bài viết\nGiao chỉ tiêu cai nghiện ma túy trên địa bàn tỉnh Yên Bái năm 2019\n"
            "Ngày 20/12, Ban chỉ đạo tỉnh đã ban hành quyết định giao chỉ tiêu cai nghiện ma túy năm 2019.\n"
            "Theo đó, giao cho các huyện tổ chức cai nghiện tại cộng đồng là 180 người; đưa vào cơ sở cai nghiện "
            "bắt buộc75 người.\n")
    d = ingest(text.encode(), "news.txt", CORPUS)
    assert d.metadata["source_kind"] == "press" and d.metadata["province"] == "Yên Bái"
    assert [(c.value, c.unit, c.deadline) for c in d.targets] == [(180, "people", 2019), (75, "people", 2019)]
    assert any(x.text == "In bài viết" for x in d.cleaned.dropped)


def test_a_number_glued_to_a_word_is_read_only_when_it_counts_persons():
    targets, _ = find_all(["Phấn đấu đưa vào cơ sở cai nghiện bắt buộc93 người.",
                           "Phấn đấu 100% xã thực hiện mẫu bc05 trong năm."])
    assert [c.value for c in targets] == [93, 100]


def test_a_plan_the_news_item_says_is_carried_out_is_a_citation_not_its_subject():
    text = ("Kế hoạch hưởng ứng Ngày toàn dân phòng, chống mua bán người trên địa bàn tỉnh Bạc Liêu năm 2024\n"
            "Kế hoạch được ban hành nhằm nâng cao trách nhiệm của các cấp, các ngành trong phòng, chống mua bán "
            "người.\nTại Kế hoạch quy định các nhiệm vụ trọng tâm gồm:\n"
            "1. Các sở, ngành tiếp tục thực hiện nghiêm Kế hoạch số 27/KH-BCĐ ngày 10/5/2021 của Ban Chỉ đạo tỉnh về "
            "phòng, chống mua bán người giai đoạn 2021 - 2025, gắn với chương trình của Tỉnh ủy,\n")
    m = extract_metadata(clean(decode(text.encode(), "x.txt")))
    assert (m["source_kind"], m["number"], m["issued"], m["province"]) == ("press", None, None, "Bạc Liêu")
    assert m["excerpt"] is True  # it stops on a comma


def test_a_portals_navigation_lines_are_dropped_and_the_plans_date_read_in_its_sentence():
    text = ("Tìm kiếm tin tức\nLiên kết website\nPhấn đấu 100% số xã tổ chức tuyên truyền về phòng ngừa mại dâm\n"
            "Ngày cập nhật 20/03/2023\n\n"
            "Theo Kế hoạch số 88/KH-UBND phòng, chống mại dâm trên địa bàn tỉnh năm 2023 vừa được UBND tỉnh ban hành "
            "ngày 16/3/2023, mục tiêu là: 100% số xã, phường, thị trấn (gọi chung là cấp xã) tổ chức tuyên truyền về "
            "phòng ngừa mại dâm; ít nhất 70% người lao động tại các cơ sở kinh doanh dịch vụ, ít nhất 50% người lao "
            "động trong các khu công nghiệp, 75% học sinh các trường trung học phổ thông được tuyên truyền.\n")
    d = ingest(text.encode(), "news.txt", CORPUS)
    assert (d.metadata["number"], d.metadata["issued"]) == ("88/KH-UBND", "2023-03-16")
    assert {x.why for x in d.cleaned.dropped} >= {"website navigation or print link", "page time stamp"}
    quotes = {c.value: c.quote for c in d.targets}
    assert quotes[100].endswith("(gọi chung là cấp xã) tổ chức tuyên truyền về phòng ngừa mại dâm")
    assert quotes[70] == "ít nhất 70% người lao động tại các cơ sở kinh doanh dịch vụ"
    assert quotes[50] == "ít nhất 50% người lao động trong các khu công nghiệp"
    assert quotes[75].startswith("75% học sinh")


# --- rules written after the measure half was measured (its later figures are no longer unseen) -----

def test_a_headline_naming_the_province_and_a_cascade_target():
    text = ("Sơn La: Phấn đấu giảm số người nhiễm mới HIV\n\n"
            "Năm 2018, nhằm khống chế tỷ lệ nhiễm HIV trong cộng đồng dưới 0,25%, tỉnh ưu tiên các nhiệm vụ hướng "
            "tới mục tiêu 95-95-95 trong phòng, chống HIV/AIDS.\n")
    d = ingest(text.encode(), "news.txt", CORPUS)
    assert d.metadata["source_kind"] == "press" and d.metadata["province"] == "Sơn La"
    assert sorted(c.value for c in d.targets) == [0.25, 95, 95, 95]
    assert all(c.confidence < 0.9 for c in d.targets if c.value == 95)


def test_a_date_range_is_not_a_cascade():
    targets, _ = find_all(["Phấn đấu tổ chức 12 lớp tập huấn trong các ngày 10-12-14 của tháng."])
    assert [c.value for c in targets] == [12]  # the lessons, not a "10-12-14" cascade


def test_a_plan_that_was_just_set_out_and_a_count_of_samples():
    text = ("Kế hoạch phòng chống HIV/AIDS năm 2014 trên địa bàn tỉnh vừa được đề ra, khống chế tỷ lệ hiện nhiễm "
            "dưới 0,2% (cả nước là dưới 0,3%).\n\nMục tiêu cụ thể mà kế hoạch đề ra là giám sát phát hiện HIV "
            "2.500 mẫu; 60% người nhiễm HIV được điều trị ARV.\n")
    d = ingest(text.encode(), "news.txt", CORPUS)
    assert d.metadata["source_kind"] == "press"
    assert [(c.value, c.unit) for c in d.targets] == [(0.2, "percent"), (2500, "units"), (60, "percent")]


def test_a_target_stated_only_in_the_headline_is_read_and_not_doubled_when_restated():
    only = ("Bắc Giang phấn đấu đến năm 2030 ít nhất 45% số xã không có ma túy\n\nUBND tỉnh Bắc Giang vừa ban hành "
            "Kế hoạch phòng, chống ma túy giai đoạn 2025 - 2030.\n\nẢnh: Minh Anh.\n\nKế hoạch đề ra mục tiêu tổng "
            "quát là giảm mạnh số người nghiện ma túy.\n")
    d = ingest(only.encode(), "news.txt", CORPUS)
    assert [(c.value, c.comparator, c.deadline) for c in d.targets] == [(45, ">=", 2030)]
    assert d.targets[0].confidence < 0.9 and "headline" in d.targets[0].why[-1]
    again = only.replace("giảm mạnh số người nghiện ma túy", "đến năm 2030 có ít nhất 45% số xã không có ma túy")
    assert [c.value for c in ingest(again.encode(), "news.txt", CORPUS).targets] == [45]


def test_a_baseline_year_is_not_the_period_and_reaching_a_figure_is_not_a_reduction():
    text = ("Kế hoạch đề ra 03 mục tiêu cụ thể: góp phần giảm 30% số người nhiễm mới HIV so với năm 2016; giảm tử "
            "vong do AIDS góp phần đạt mục tiêu 90% người nhiễm HIV được điều trị ARV.\n"
            "UBND tỉnh giao Sở Y tế chủ trì thực hiện.\n")
    d = ingest(text.encode(), "news.txt", CORPUS)
    assert d.metadata["period"] is None
    assert [(c.value, c.unit, c.deadline) for c in d.targets] == [(30, "percent_reduction", None),
                                                                   (90, "percent", None)]


def test_a_signature_followed_by_the_plans_running_text_does_not_close_it():
    text = ("ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 77/QĐ-UBND | Cà Mau, ngày 05 tháng 3 năm 2018 |\n"
            "Điều 1. Ban hành Kế hoạch phòng, chống mại dâm năm 2018 trên địa bàn tỉnh Cà Mau.\n"
            "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.\n| KT. CHỦ TỊCH |\n"
            "PHÒNG, CHỐNG MẠI DÂM NĂM 2018 TRÊN ĐỊA BÀN TỈNH CÀ MAU\n"
            "Thực hiện chương trình phòng, chống mại dâm của Chính phủ và tình hình thực tế tại địa phương, Ủy ban "
            "nhân dân tỉnh Cà Mau ban hành Kế hoạch phòng, chống mại dâm năm 2018 trên địa bàn tỉnh với\n")
    assert extract_metadata(clean(decode(text.encode(), "x.txt")))["excerpt"] is True


def test_a_commitment_line_in_the_purposes_section_is_an_uncertain_target():
    pars = ["I. MỤC ĐÍCH, YÊU CẦU",
            "- Nâng cao nhận thức của 3 nhóm đối tượng trong phòng, chống mua bán người.",
            "- Đảm bảo 100% tin báo về tội phạm mua bán người được tiếp nhận, xử lý kịp thời."]
    targets, _ = find_all(pars)
    assert [c.value for c in targets] == [100]
    assert any("purposes" in w for w in targets[0].why)
