"""Specification of the legal-citation extractor, sitegen/citations/: one test per difficulty."""
from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from sitegen import citations as cite
from sitegen.model import Instrument

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "corpus" / "sources").glob("*.txt"))
NAMES_PATH = ROOT / "corpus" / "legal_names.yaml"
NAMES = cite.load_names(NAMES_PATH)  # the corpus' alias table: the extractor reads none by itself
PROVINCE = {"000": "Quảng Ninh", "001": "Trà Vinh", "002": "Ninh Thuận", "003": "Tuyên Quang", "004": "Tuyên Quang"}


def extract(text: str, **kw) -> list:
    """cite.extract with the corpus' alias table (unless the test gives names)."""
    return cite.extract(text, **{"names": NAMES, **kw})


def numbered(text: str, **kw) -> list:
    """The citations found by number (names left out)."""
    return [c for c in cite.extract(text, names={}, **kw) if c.number]


def one(text: str, **kw):
    found = numbered(text, **kw)
    assert len(found) == 1, found
    c = found[0]
    assert text[c.start:c.end] == c.as_written
    return c


# --- number forms -------------------------------------------------------------------------------
def test_state_number_with_year_date_and_issuer():
    text = "theo Nghị định số 116/2021/NĐ-CP ngày 21/12/2021 của Chính phủ quy định chi tiết"
    c = one(text)
    assert (c.number, c.type, c.issued, c.issuer, c.level) == (
        "116/2021/NĐ-CP", "Nghị định", "2021-12-21", "Chính phủ", "Chính phủ")
    assert c.as_written == "Nghị định số 116/2021/NĐ-CP ngày 21/12/2021 của Chính phủ"


def test_state_number_without_year():
    c = one("Quyết định số 1452/QĐ-TTg ngày 31/8/2021 của Thủ tướng Chính phủ phê duyệt")
    assert (c.number, c.issued, c.issuer, c.level) == (
        "1452/QĐ-TTg", "2021-08-31", "Thủ tướng Chính phủ", "Thủ tướng Chính phủ")


def test_state_number_of_a_minister_with_year():
    c = one("theo Quyết định số 3122/2010/QĐ-BCA ngày 09/8/2010 của Bộ trưởng Bộ Công an ban hành")
    assert (c.number, c.issuer, c.level) == ("3122/2010/QĐ-BCA", "Bộ trưởng Bộ Công an", "Bộ")


def test_cong_van_symbol_has_no_type_part():
    c = one("Thực hiện Công văn số 1497/VPCP-KGVX ngày 10/3/2021 của Văn phòng Chính phủ về")
    assert (c.number, c.type, c.issuer, c.level) == ("1497/VPCP-KGVX", "Công văn", "Văn phòng Chính phủ", "Bộ")


def test_type_word_van_ban_takes_the_type_of_the_symbol():
    assert one("tại văn bản số 275/LĐTBXH-PCTNXH ngày 26/01/2021").type == "Công văn"
    assert one("tại văn bản số 12/KH-UBND ngày 26/01/2021").type == "Kế hoạch"


@pytest.mark.parametrize("written, number, kind", [
    ("Chỉ thị số 36-CT/TW", "36-CT/TW", "Chỉ thị"),
    ("Chương trình hành động số 32-CTr/TU", "32-CTr/TU", "Chương trình hành động"),
    ("Kết luận số 243-KL/TU", "243-KL/TU", "Kết luận"),
    ("Kế hoạch số 139-KH/TU", "139-KH/TU", "Kế hoạch"),
    ("Công văn số 1007-CV/TU", "1007-CV/TU", "Công văn"),
    ("Chỉ thị số 21-CT/T.Ư", "21-CT/T.Ư", "Chỉ thị"),
])
def test_party_numbers(written, number, kind):
    c = one(f"Thực hiện {written} ngày 16/8/2019.")
    assert (c.number, c.type, c.issued) == (number, kind, "2019-08-16")


@pytest.mark.parametrize("number", ["123/QĐ-BCA-C41", "45/TTr-CAT-PV11", "12/KH-BCĐ"])
def test_symbols_with_digits_or_three_groups(number):
    assert one(f"Căn cứ Quyết định số {number} ngày 02/02/2021;").number == number


def test_law_number_with_national_assembly_term():
    c = one("Luật số 80/2015/QH13 ngày 22/6/2015")
    assert (c.number, c.type, c.issuer, c.level) == ("80/2015/QH13", "Luật", "Quốc hội", "Quốc hội")


# --- text copied from legal databases -----------------------------------------------------------
def test_spaces_inside_numbers():
    text = "Kế hoạch số 71/KH- UBND ngày 23/4/2020; Nghị quyết số 314/2020/NQ- HĐND ngày 09/12/2020"
    assert [c.number for c in numbered(text)] == ["71/KH-UBND", "314/2020/NQ-HĐND"]


def test_pipes_and_line_breaks_inside_a_citation():
    text = "Căn cứ Kế hoạch số 71/KH-\n| UBND ngày 23/4/2020 | của Ủy ban nhân dân\ntỉnh Quảng Ninh;"
    c = one(text)
    assert (c.number, c.issued, c.issuer) == ("71/KH-UBND", "2020-04-23", "Ủy ban nhân dân tỉnh Quảng Ninh")
    assert c.as_written.endswith("tỉnh Quảng Ninh")


def test_garbled_type_word():
    c = one("Thực hiện Chthị số 36-CT/TW ngày 16/8/2019 của Bộ Chính trị về tăng cường")
    assert (c.type, c.number, c.issuer, c.level) == ("Chỉ thị", "36-CT/TW", "Bộ Chính trị", "Trung ương Đảng")
    assert c.as_written.startswith("Chthị")


def test_upper_case_symbol_gets_its_canonical_casing():
    c = one("THỰC HIỆN CHỈ THỊ SỐ 22/CT-TTG CỦA THỦ TƯỚNG CHÍNH PHỦ VỀ TĂNG CƯỜNG")
    assert (c.number, c.type, c.issuer) == ("22/CT-TTg", "Chỉ thị", "Thủ tướng Chính phủ")
    assert cite.normalize_number("32-ctr/tu") == "32-CTr/TU"
    assert cite.normalize_number("1 /Qyđ- ubnd") == "1/QyĐ-UBND"


def test_decomposed_unicode_keeps_offsets_into_the_given_text():
    text = unicodedata.normalize("NFD", "Thực hiện Chỉ thị số 36-CT/TW ngày 16/8/2019 của Bộ Chính trị;")
    c = one(text)
    assert (c.number, c.issuer) == ("36-CT/TW", "Bộ Chính trị")
    assert text[c.start:c.end] == c.as_written


# --- dates --------------------------------------------------------------------------------------
@pytest.mark.parametrize("date", ["ngày 16/8/2019", "ngày 16 tháng 8 năm 2019", ", ngày 16/8/2019", "16-8-2019"])
def test_date_forms(date):
    assert one(f"Chỉ thị số 36-CT/TW {date} của Bộ Chính trị").issued == "2019-08-16"


@pytest.mark.parametrize("text", [
    "theo Chỉ thị 22/CT-TTg năm 2013 về",  # a year is not a date
    "(sau đây viết tắt là Nghị quyết 314/2020/NQ-HĐND)",  # nor is a year segment
    "Quyết định số 12/QĐ-UBND ngày 31/2/2020",  # nor an impossible date
])
def test_a_missing_date_is_never_guessed(text):
    assert one(text).issued is None


# --- type and issuer shared by a list, issuers ------------------------------------------------
def test_type_and_issuer_shared_by_a_list():
    text = ("các Quyết định của Thủ tướng Chính phủ: số 2596/QĐ-TTg ngày 27/12/2013; "
            "số 361/QĐ-TTg ngày 07/3/2014 về")
    found = numbered(text)
    assert [(c.number, c.type, c.issued, c.issuer) for c in found] == [
        ("2596/QĐ-TTg", "Quyết định", "2013-12-27", "Thủ tướng Chính phủ"),
        ("361/QĐ-TTg", "Quyết định", "2014-03-07", "Thủ tướng Chính phủ")]
    assert found[1].as_written == "số 361/QĐ-TTg ngày 07/3/2014"


def test_a_list_joined_by_va_shares_the_type():
    found = numbered("theo Quyết định số 1452/QĐ-TTg và 1629/QĐ-TTg của Thủ tướng Chính phủ")
    assert [(c.number, c.type) for c in found] == [("1452/QĐ-TTg", "Quyết định"), ("1629/QĐ-TTg", "Quyết định")]


def test_issuer_written_before_the_citation():
    text = "Theo đề nghị của Sở Lao động - Thương binh và Xã hội tại văn bản số 275/LĐTBXH-PCTNXH ngày 26/01/2021,"
    c = one(text, province="Quảng Ninh")
    assert (c.issuer, c.level) == ("Sở Lao động - Thương binh và Xã hội tỉnh Quảng Ninh", "Sở")


@pytest.mark.parametrize("written, issuer, level", [
    ("của Bộ Chính trị", "Bộ Chính trị", "Trung ương Đảng"),
    ("của Ban Thường vụ Tỉnh ủy", "Ban Thường vụ Tỉnh ủy Trà Vinh", "Tỉnh ủy"),
    ("của Tỉnh y", "Tỉnh ủy Trà Vinh", "Tỉnh ủy"),  # garbled in source 000
    ("của Hội đồng nhân dân tỉnh", "Hội đồng nhân dân tỉnh Trà Vinh", "HĐND tỉnh"),
    ("của Chủ tịch UBND tỉnh", "Chủ tịch Ủy ban nhân dân tỉnh Trà Vinh", "UBND tỉnh"),
    ("của Uỷ ban nhân dân tỉnh Quảng Ninh", "Ủy ban nhân dân tỉnh Quảng Ninh", "UBND tỉnh"),
    ("của Bộ Lao động Thương binh và Xã hội", "Bộ Lao động - Thương binh và Xã hội", "Bộ"),
    ("của Văn phòng Chính phủ", "Văn phòng Chính phủ", "Bộ"),
    ("của UBND huyện Đông Triều", "UBND huyện Đông Triều", None),
])
def test_written_issuer_and_level(written, issuer, level):
    c = one(f"Kế hoạch số 5/KH-UBND ngày 02/02/2021 {written} về", province="Trà Vinh")
    assert (c.issuer, c.level) == (issuer, level)


@pytest.mark.parametrize("number, province, issuer, level", [
    ("116/2021/NĐ-CP", None, "Chính phủ", "Chính phủ"),
    ("1452/QĐ-TTg", None, "Thủ tướng Chính phủ", "Thủ tướng Chính phủ"),
    ("8014/QĐ-BCA", None, "Bộ Công an", "Bộ"),
    ("73/2021/QH14", None, "Quốc hội", "Quốc hội"),
    ("36-CT/TW", None, None, "Trung ương Đảng"),  # Bộ Chính trị or Ban Bí thư: not said
    ("01-CT/TU", None, None, "Tỉnh ủy"),  # Tỉnh ủy or its Ban Thường vụ: not said
    ("71/KH-UBND", "Quảng Ninh", "Ủy ban nhân dân tỉnh Quảng Ninh", "UBND tỉnh"),
    ("71/KH-UBND", None, None, "UBND tỉnh"),
    ("314/2020/NQ-HĐND", "Quảng Ninh", "Hội đồng nhân dân tỉnh Quảng Ninh", "HĐND tỉnh"),
    ("275/LĐTBXH-PCTNXH", "Quảng Ninh", None, None),  # a Bộ or a Sở
    ("01/2012/TTLT-BLĐTBXH-BCA", None, None, "Bộ"),  # joint: several issuers
])
def test_issuer_inferred_from_the_symbol_only_when_unambiguous(number, province, issuer, level):
    c = one(f"Thực hiện Quyết định số {number};", province=province)
    assert (c.issuer, c.level) == (issuer, level)


# --- what is not a citation ---------------------------------------------------------------------
def test_the_plans_own_number_is_not_a_citation():
    body = "Thực hiện Kế hoạch số 27/KH-UBND; Chỉ thị số 36-CT/TW ngày 16/8/2019"
    assert [c.number for c in numbered(body, own_number="27/KH-UBND")] == ["36-CT/TW"]
    assert [c.number for c in numbered("ỦY BAN NHÂN DÂN\nSố: 27/KH-UBND\n" + body)] == ["36-CT/TW"]
    assert [c.number for c in numbered("Số hiệu: | 27/KH-UBND |\n" + body)] == ["36-CT/TW"]
    assert [c.number for c in numbered("Kế hoạch 27/KH-UBND thực hiện công tác\n\n" + body)] == ["36-CT/TW"]


def test_website_metadata_and_title_line_are_not_citations():
    text = ("Kế hoạch 86/KH-UBND năm 2013 thực hiện Chỉ thị 22/CT-TTg về phòng, chống mại dâm\n"
            "Số hiệu: | 86/KH-UBND | Loại văn bản: | Văn bản khác |\n"
            "Ngày ban hành: | 10/12/2013 | Ngày hiệu lực: | Đang cập nhật |\n"
            "KẾ HOẠCH\nThực hiện Nghị định số 178/2004/NĐ-CP ngày 15/10/2004 của Chính phủ;\n")
    assert [c.number for c in numbered(text)] == ["178/2004/NĐ-CP"]


def test_website_related_documents_list_is_not_cited():
    text = ("Thực hiện Chỉ thị số 22/CT-TTg ngày 15/10/2013 của Thủ tướng Chính phủ;\n"
            "TM. ỦY BAN NHÂN DÂN TỈNH |\n"
            "Chỉ thị 22/CT-TTg năm 2020 về thanh toán không dùng tiền mặt Ban hành: 26/05/2020 | Cập nhật: 26/05/2020\n"
            "Nghị định 178/2004/NĐ-CP Hướng dẫn Pháp lệnh Phòng, chống mại dâm\n"
            "Ban hành: 15/10/2004 | Cập nhật: 10/12/2009\n")
    found = extract(text)
    assert [(c.number, c.issued) for c in found] == [("22/CT-TTg", "2013-10-15")]


def test_bo_phap_dien_code_is_not_a_citation():
    assert extract("Điều 6.4.NĐ.1.2. Nghị định quy định về phạm vi") == []


def test_team_names_annexes_and_years_are_not_citations():
    text = ("Phối hợp giữa Đội kiểm tra liên ngành 178 các cấp (Chi tiết tại Phụ biểu 01) năm 2021, "
            "giai đoạn 2021-2025, HIV/AIDS, Covid-19, Lưu: VT, NC. 03/2014; số 16/6; Kế hoạch này")
    assert extract(text) == []


# --- instruments cited by name ------------------------------------------------------------------
@pytest.mark.parametrize("name, ident, kind, level", [
    ("Luật Phòng, chống ma túy năm 2021", "luat-phong-chong-ma-tuy-2021", "Luật", "Quốc hội"),
    ("Luật Phòng, chống ma tuý năm 2021", "luat-phong-chong-ma-tuy-2021", "Luật", "Quốc hội"),
    ("Luật Xử lý vi phạm hành chính", "luat-xu-ly-vi-pham-hanh-chinh", "Luật", "Quốc hội"),
    ("Luật xử lý vi phạm\nhành chính", "luat-xu-ly-vi-pham-hanh-chinh", "Luật", "Quốc hội"),
    ("Pháp lệnh Phòng, chống mại dâm", "phap-lenh-phong-chong-mai-dam", "Pháp lệnh", "Quốc hội"),
    ("Chiến lược quốc gia phòng, chống và kiểm soát ma túy đến năm 2020 và định hướng đến năm 2030",
     "chien-luoc-quoc-gia-phong-chong-kiem-soat-ma-tuy-2020-2030", "Chiến lược", None),
])
def test_instruments_cited_by_name_come_from_the_alias_table(name, ident, kind, level):
    text = f"triển khai có hiệu quả {name} về cai nghiện"
    [c] = extract(text)
    assert (c.number, c.legal_id, c.type, c.level, c.as_written) == (None, ident, kind, level, name)


def test_an_ambiguous_name_is_not_resolved():
    # Without its year, "Luật phòng, chống ma túy" may be the law of 2000 or of 2021.
    assert extract("một số điều của Luật phòng, chống ma túy, ") == []


# --- identity and resolution --------------------------------------------------------------------
def test_legal_id_is_type_number_province_if_local_and_date():
    assert cite.legal_id("Chỉ thị", "36-CT/TW", "2019-08-16", "Bộ Chính trị") == "chi-thi-36-ct-tw-2019-08-16"
    assert cite.legal_id("Kế hoạch", "71/KH-UBND", "2020-04-23", "Ủy ban nhân dân tỉnh Quảng Ninh") == \
        "ke-hoach-71-kh-ubnd-quang-ninh-2020-04-23"
    with pytest.raises(ValueError):
        cite.legal_id("Kế hoạch", "71/KH-UBND", "2020-04-23", None)  # whose 71/KH-UBND?


def test_local_number_identity_differs_by_province():
    text = "Kế hoạch số 71/KH-UBND ngày 23/4/2020 của Ủy ban nhân dân tỉnh;"
    qn, = cite.resolve(extract(text, province="Quảng Ninh"), {}, province="Quảng Ninh")[0]
    tv, = cite.resolve(extract(text, province="Trà Vinh"), {}, province="Trà Vinh")[0]
    assert qn.legal_id == "ke-hoach-71-kh-ubnd-quang-ninh-2020-04-23"
    assert tv.legal_id == "ke-hoach-71-kh-ubnd-tra-vinh-2020-04-23"
    # An undated mention in Trà Vinh does not borrow Quảng Ninh's registry entry.
    registry = {qn.legal_id: cite.registry_entry_from_citation(qn)}
    undated = extract("theo Kế hoạch 71/KH-UBND;", province="Trà Vinh")
    resolved, msgs = cite.resolve(undated, registry, province="Trà Vinh", plan_id="tv")
    assert resolved[0].legal_id is None and "left unresolved" in msgs[0]


def test_undated_citation_resolves_to_the_dated_one_in_the_same_text():
    text = ("Nghị quyết số 314/2020/NQ- HĐND ngày 09/12/2020 của Hội đồng nhân dân tỉnh Quảng Ninh về ... "
            "(sau đây viết tắt là Nghị quyết 314/2020/NQ-HĐND);")
    found, msgs = cite.resolve(extract(text, province="Quảng Ninh"), {}, province="Quảng Ninh", plan_id="qn")
    assert [c.legal_id for c in found] == ["nghi-quyet-314-2020-nq-hdnd-quang-ninh-2020-12-09"] * 2
    assert msgs == [] and {c.plan_id for c in found} == {"qn"}


def test_undated_citation_resolves_to_the_only_registry_entry_else_warns():
    entry = Instrument("chi-thi-22-ct-ttg-2013-10-15", "Chỉ thị", "22/CT-TTg", "Thủ tướng Chính phủ",
                       "Thủ tướng Chính phủ", "2013-10-15")
    found = extract("CHỈ THỊ SỐ 22/CT-TTG CỦA THỦ TƯỚNG CHÍNH PHỦ")
    assert cite.resolve(found, {entry.id: entry})[0][0].legal_id == entry.id
    other = Instrument("chi-thi-22-ct-ttg-2020-05-26", "Chỉ thị", "22/CT-TTg", "Thủ tướng Chính phủ",
                       "Thủ tướng Chính phủ", "2020-05-26")
    resolved, msgs = cite.resolve(found, {entry.id: entry, other.id: other})
    assert resolved[0].legal_id is None and "several instruments" in msgs[0]


def test_check_registry_reports_missing_entries_and_disagreements():
    found, _ = cite.resolve(extract("Chỉ thị số 36-CT/TW ngày 16/8/2019 của Bộ Chính trị"), {}, plan_id="p")
    assert "legal.yaml lacks" in cite.check_registry({}, found)[0]
    wrong = Instrument("chi-thi-36-ct-tw-2019-08-16", "Chỉ thị", "36-CT/TW", "Ban Bí thư", "Trung ương Đảng",
                       "2019-08-17")
    msgs = cite.check_registry({wrong.id: wrong}, found)
    assert len(msgs) == 2 and "2019-08-17" in msgs[0] and "Ban Bí thư" in msgs[1]


def test_registry_entry_from_citation_keeps_what_the_citation_says():
    text = "Quyết định số 1452/QĐ-TTg ngày 31/8/2021 của Thủ tướng Chính phủ phê duyệt Chương trình X; và"
    c = cite.resolve(extract(text), {})[0][0]
    assert cite.registry_entry_from_citation(c) == Instrument(
        "quyet-dinh-1452-qd-ttg-2021-08-31", "Quyết định", "1452/QĐ-TTg", "Thủ tướng Chính phủ",
        "Thủ tướng Chính phủ", "2021-08-31", "phê duyệt Chương trình X")


def test_sentence_around_is_the_verbatim_citing_sentence():
    text = "I. MỤC TIÊU\nThực hiện Chỉ thị số 36-CT/TW của Bộ Chính trị về tăng cường,\n\nnâng cao hiệu quả; Kế hoạch"
    c = one(text)
    assert cite.sentence_around(text, c.start, c.end) == \
        "Thực hiện Chỉ thị số 36-CT/TW của Bộ Chính trị về tăng cường,\n\nnâng cao hiệu quả;"
    assert c.sentence == cite.sentence_around(text, c.start, c.end)


# --- the five sources and the registry ----------------------------------------------------------
GOLDEN = {
    "000": {("36-CT/TW", "2019-08-16", "Bộ Chính trị"), ("32-CTr/TU", "2019-10-28", "Tỉnh ủy Quảng Ninh"),
            ("71/KH-UBND", "2020-04-23", "Ủy ban nhân dân tỉnh Quảng Ninh"),
            ("314/2020/NQ-HĐND", "2020-12-09", "Hội đồng nhân dân tỉnh Quảng Ninh"),
            ("314/2020/NQ-HĐND", None, "Hội đồng nhân dân tỉnh Quảng Ninh"),
            ("275/LĐTBXH-PCTNXH", "2021-01-26", "Sở Lao động - Thương binh và Xã hội tỉnh Quảng Ninh")},
    "001": {("1497/VPCP-KGVX", "2021-03-10", "Văn phòng Chính phủ"),
            ("116/2021/NĐ-CP", "2021-12-21", "Chính phủ"),
            ("1452/QĐ-TTg", "2021-08-31", "Thủ tướng Chính phủ"), ("1629/QĐ-TTg", "2021-09-28", "Thủ tướng Chính phủ"),
            ("291/QĐ-TTg", "2020-02-21", "Thủ tướng Chính phủ"), ("36-CT/TW", "2019-08-16", "Bộ Chính trị"),
            ("139-KH/TU", "2019-11-06", "Ban Thường vụ Tỉnh ủy Trà Vinh"),
            ("1007-CV/TU", "2020-10-09", "Tỉnh ủy Trà Vinh"),
            ("2426/QĐ-UBND", "2020-06-17", "Chủ tịch Ủy ban nhân dân tỉnh Trà Vinh"),
            ("01/CT-TTg", "2015-01-09", "Thủ tướng Chính phủ"),
            ("100/2019/NQ-HĐND", "2019-12-10", "Hội đồng nhân dân tỉnh Trà Vinh")},
    "002": set(),  # a press report: no instrument cited by number
    "003": {("8014/QĐ-BCA", "2018-12-14", "Bộ Công an"),
            ("01-CT/TU", "2017-06-27", "Ban Thường vụ Tỉnh ủy Tuyên Quang"),
            ("243-KL/TU", "2018-09-05", "Ban Thường vụ Tỉnh ủy Tuyên Quang"),
            ("21-CT/TW", "2008-03-26", "Bộ Chính trị"), ("53/KH-UBND", "2018-05-24", "Ủy ban nhân dân tỉnh Tuyên Quang"),
            ("3122/2010/QĐ-BCA", "2010-08-09", "Bộ trưởng Bộ Công an")},
    "004": {("22/CT-TTg", "2013-10-15", "Thủ tướng Chính phủ"), ("22/CT-TTg", None, "Thủ tướng Chính phủ"),
            ("178/2004/NĐ-CP", "2004-10-15", "Chính phủ"),
            ("2335/LĐTBXH-PCTNXH", "2013-06-27", "Bộ Lao động - Thương binh và Xã hội")},
}
GOLDEN_NAMES = {
    "000": set(), "002": set(), "003": set(), "004": {"luat-xu-ly-vi-pham-hanh-chinh"},
    "001": {"luat-phong-chong-ma-tuy-2021", "luat-xu-ly-vi-pham-hanh-chinh",
            "chien-luoc-quoc-gia-phong-chong-kiem-soat-ma-tuy-2020-2030"},
}


def _source(key: str) -> str:
    return cite.read_document(next(p for p in SOURCES if p.name.startswith(key)))


@pytest.mark.parametrize("key", sorted(GOLDEN))
def test_golden_citations_of_each_source(key):
    found = extract(_source(key), province=PROVINCE[key])
    assert {(c.number, c.issued, c.issuer) for c in found if c.number} == GOLDEN[key]
    assert {c.legal_id for c in found if not c.number} == GOLDEN_NAMES[key]


def test_registry_agrees_with_every_citation_of_the_sources():
    registry = cite.load_registry(ROOT / "corpus" / "legal.yaml")
    cited = set()
    for key, province in PROVINCE.items():
        found, msgs = cite.resolve(extract(_source(key), province=province), registry,
                                   province=province, plan_id=key)
        assert msgs == [] and all(c.legal_id in registry for c in found)
        assert cite.check_registry(registry, found) == []
        cited |= {c.legal_id for c in found}
    assert set(registry) - cited == {"phap-lenh-phong-chong-mai-dam"}  # named only on 004's website list
    assert registry["luat-xu-ly-vi-pham-hanh-chinh"].names == ("Luật Xử lý vi phạm hành chính",)


# --- command line -------------------------------------------------------------------------------
def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitegen.citations", *map(str, args)], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name[:3])
def test_cli_lists_the_citations_of_each_source(path):
    result = run_cli(path, "--names", NAMES_PATH)
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == len(extract(cite.read_document(path)))
    assert all(len(line.split("\t")) == 5 for line in lines)


def test_cli_json_schema():
    path = next(p for p in SOURCES if p.name.startswith("000"))
    result = run_cli(path, "--json", "--province", "Quảng Ninh")
    rows = json.loads(result.stdout)
    text = cite.read_document(path)
    assert result.returncode == 0 and rows
    assert rows == sorted(rows, key=lambda r: r["start"])
    for r in rows:
        assert set(r) == {"number", "type", "issued", "issuer", "level", "as_written", "start", "end"}
        assert text[r["start"]:r["end"]] == r["as_written"]
    assert rows[0]["as_written"] == "Chthị số 36-CT/TW ngày 16/8/2019 của Bộ Chính trị"
    assert "Chthị" in result.stdout  # not \u-escaped


def test_cli_help():
    result = run_cli("--help")
    assert result.returncode == 0 and "--json" in result.stdout and "--province" in result.stdout


@pytest.mark.parametrize("content, reason", [
    # Windows-1258 writes "Kế hoạch số" with combining tone marks: K, ê, U+0301, ...
    ("Kê\u0301 hoa\u0323ch sô\u0301 71/KH-UBND".encode("cp1258"), "not UTF-8"),
    (b"", "empty"),
    (b"\n  \n", "empty"),
    (b"PK\x03\x04\x00\x00binary", "NUL"),
])
def test_cli_rejects_bad_input(tmp_path, content, reason):
    path = tmp_path / "plan.txt"
    path.write_bytes(content)
    result = run_cli(path)
    assert result.returncode == 2 and result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(path) in result.stderr and reason in result.stderr


def test_cli_rejects_a_missing_file(tmp_path):
    result = run_cli(tmp_path / "nope.txt")
    assert result.returncode == 2 and "nope.txt" in result.stderr and "No such file" in result.stderr


def test_without_an_alias_table_the_extractor_finds_no_citation_by_name_and_reads_no_corpus(monkeypatch):
    text = "Căn cứ Luật Xử lý vi phạm hành chính và Chỉ thị số 36-CT/TW ngày 16/8/2019 của Bộ Chính trị"
    assert [c.legal_id for c in extract(text) if not c.number] == ["luat-xu-ly-vi-pham-hanh-chinh"]

    def no_reading(*args, **kw):
        raise AssertionError("the extractor read a file")
    monkeypatch.setattr(Path, "read_text", no_reading)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    found = cite.extract(text)
    assert [c.number for c in found] == ["36-CT/TW"]
