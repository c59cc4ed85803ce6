"""Issue 18 items 5 and 9: a province's own documents keep their own issuer, a web page's related
documents above the document are not cited, and the registry warnings are one patch per plan."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from sitegen import citations as cite

ROOT = Path(__file__).resolve().parent.parent
PM = "Thủ tướng Chính phủ"


def issuers(text: str, province: str | None = "Lào Cai") -> dict[str, str | None]:
    """Each number found in the text -> its issuer."""
    return {c.number: c.issuer for c in cite.extract(text, province=province, names={})}


def test_a_provinces_own_plan_and_resolution_in_a_prime_minister_list_keep_their_own_issuer():
    text = ("Thực hiện các Quyết định của Thủ tướng Chính phủ: số 1452/QĐ-TTg ngày 10/9/2021, "
            "số 71/KH-UBND ngày 23/4/2020 và 12/NQ-HĐND ngày 10/12/2020.")
    assert issuers(text) == {"1452/QĐ-TTg": PM, "71/KH-UBND": "Ủy ban nhân dân tỉnh Lào Cai",
                             "12/NQ-HĐND": "Hội đồng nhân dân tỉnh Lào Cai"}
    # Without the plan's province the body is unknown, never the Prime Minister.
    found = {c.number: (c.issuer, c.level) for c in cite.extract(text, names={})}
    assert found["71/KH-UBND"] == (None, "UBND tỉnh") and found["12/NQ-HĐND"] == (None, "HĐND tỉnh")


def test_a_list_heads_issuer_does_not_reach_a_later_citation_outside_the_list():
    text = ("Thực hiện các Quyết định của Thủ tướng Chính phủ: số 1452/QĐ-TTg ngày 10/9/2021, "
            "số 2596/QĐ-TTg ngày 27/12/2013.\nTiếp tục triển khai 88/KH-UBND ngày 1/2/2019.")
    assert issuers(text) == {"1452/QĐ-TTg": PM, "2596/QĐ-TTg": PM, "88/KH-UBND": "Ủy ban nhân dân tỉnh Lào Cai"}


PAGE = ("Kế hoạch 63/KH-UBND năm 2019 về phòng chống ma túy tỉnh Lào Cai\n"
        "Văn bản liên quan\n"
        "Kế hoạch 45/KH-UBND năm 2020 thực hiện công tác phòng, chống ma túy tỉnh Lào Cai\n"
        "Quyết định 1001/QĐ-TTg năm 2020 phê duyệt Đề án\n"
        "Chỉ thị 36-CT/TW năm 2019 về tăng cường\n"
        "ỦY BAN NHÂN DÂN\nTỈNH LÀO CAI\nSố: 63/KH-UBND\nKẾ HOẠCH\n"
        "Thực hiện Quyết định số 1452/QĐ-TTg ngày 10/9/2021 của Thủ tướng Chính phủ;\n")


def test_the_command_leaves_out_a_related_documents_list_above_the_document(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text(PAGE, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "sitegen.citations", str(path), "--province", "Lào Cai"],
                            cwd=ROOT, capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    assert [line.split("\t")[0] for line in result.stdout.splitlines()] == ["1452/QĐ-TTg"]
    # A text that starts with its document keeps every citation (nothing is above the header).
    body = PAGE[PAGE.index("ỦY BAN"):]
    assert [c.number for c in cite.extract(body, page=True, names={})] == ["1452/QĐ-TTg"]
    assert cite.find.document_start(PAGE) == PAGE.index("ỦY BAN")


TEXT = ("Căn cứ Quyết định số 1452/QĐ-TTg ngày 10/9/2021 của Thủ tướng Chính phủ về phê duyệt Chương trình "
        "phòng, chống ma túy, Ủy ban nhân dân tỉnh ban hành Kế hoạch.\n"
        "Triển khai Quyết định số 1452/QĐ-TTg về Chương trình X đến năm 2025.\n"
        "Theo Quyết định 1452/QĐ-TTg của Thủ tướng Chính phủ phê duyệt Chương trình phòng, chống ma túy giai "
        "đoạn 2021-2025, Sở Y tế chủ trì.\n"
        "Thực hiện Kế hoạch số 45/KH-UBND ngày 2/2/2021 của UBND tỉnh về thực hiện công tác phòng, chống ma túy "
        "năm 2021, UBND tỉnh yêu cầu.\n")


def patch_entries(msg: str) -> list[dict]:
    """The legal.yaml entries of one patch message (its lines after the first)."""
    return yaml.safe_load("\n".join(msg.splitlines()[1:]))


def test_registry_warnings_are_one_patch_per_plan_each_instrument_once_with_its_date_and_a_short_title():
    found, _ = cite.resolve(cite.extract(TEXT, province="Lào Cai", names={}), {}, province="Lào Cai", plan_id="p")
    msgs = cite.check_registry({}, found)
    assert len(msgs) == 1 and msgs[0].startswith("p cites 2 instruments which legal.yaml lacks")
    entries = patch_entries(msgs[0])
    assert [(e["id"], e["issued"], e["issuer"], e["title"]) for e in entries] == [
        ("quyet-dinh-1452-qd-ttg-2021-09-10", "2021-09-10", PM, "về phê duyệt Chương trình phòng, chống ma túy"),
        ("ke-hoach-45-kh-ubnd-lao-cai-2021-02-02", "2021-02-02", "Ủy ban nhân dân tỉnh Lào Cai",
         "về thực hiện công tác phòng, chống ma túy năm 2021")]
    assert entries[1]["province"] == "Lào Cai"


def test_an_instrument_gets_the_same_entry_in_every_plan_whichever_mention_comes_first():
    undated_first = ("Triển khai Quyết định số 1452/QĐ-TTg về Chương trình X đến năm 2025.\n"
                     "Căn cứ Quyết định số 1452/QĐ-TTg ngày 10/9/2021 của Thủ tướng Chính phủ về phê duyệt Chương trình Y.")
    a, _ = cite.resolve(cite.extract(undated_first, names={}), {}, plan_id="a")
    b, _ = cite.resolve(cite.extract(TEXT, province="Lào Cai", names={}), {}, province="Lào Cai", plan_id="b")
    msgs = cite.check_registry({}, a + b)
    assert [m.split(" ")[0] for m in msgs] == ["a", "b"]
    first = {e["id"]: e for e in patch_entries(msgs[0])}
    second = {e["id"]: e for e in patch_entries(msgs[1])}
    ident = "quyet-dinh-1452-qd-ttg-2021-09-10"
    assert first[ident] == second[ident] and first[ident]["issued"] == "2021-09-10"
    assert first[ident]["title"] == "về phê duyệt Chương trình Y"  # the dated (full) citation's, plan a first


def test_an_unresolved_undated_number_is_one_warning_however_often_it_is_mentioned():
    text = "theo Kế hoạch 71/KH-UBND; và Kế hoạch 71/KH-UBND; Kế hoạch 71/KH-UBND."
    _, msgs = cite.resolve(cite.extract(text, province="Trà Vinh", names={}), {}, province="Trà Vinh", plan_id="tv")
    assert len(msgs) == 1 and "and 2 more mentions" in msgs[0] and "left unresolved" in msgs[0]


def test_a_title_keeps_an_abbreviation_in_capitals_and_ends_before_the_next_clause():
    text = ("Căn cứ Quyết định số 1452/QĐ-TTg ngày 10/9/2021 của Thủ tướng Chính phủ về phòng, chống ma túy, "
            "HIV/AIDS, Ủy ban nhân dân tỉnh ban hành.")
    found, _ = cite.resolve(cite.extract(text, names={}), {}, plan_id="p")
    assert [e["title"] for e in patch_entries(cite.check_registry({}, found)[0])] == ["về phòng, chống ma túy, HIV/AIDS"]


def test_the_document_start_is_one_definition_shared_with_ingests_cleaning():
    from sitegen.citations import find
    from sitegen.ingest import clean
    assert find.HEADER_START in clean.HEADER_RE.pattern and find.TYPE_TITLE in clean.TYPE_TITLE_RE.pattern
    assert find.NUMBER_LINE in clean.NUMBER_LINE_RE.pattern
    lines = ["ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN TỈNH HÀ GIANG", "SỞ Y TẾ", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM",
             "Số: 45/KH-UBND", "Số : 45/KH-UBND", "KẾ HOẠCH", "CHƯƠNG TRÌNH HÀNH ĐỘNG", "PHƯƠNG ÁN  ",
             "Kế hoạch 45/KH-UBND năm 2022", "KẾ HOẠCH PHÒNG, CHỐNG MA TÚY", "Số hiệu: 45/KH-UBND", "Trang chủ"]
    starts = [x for x in lines if clean.HEADER_RE.match(x) or clean.NUMBER_LINE_RE.match(x)
              or clean.TYPE_TITLE_RE.match(x)]
    assert starts == [x for x in lines if find.DOC_START_RE.match(x)] == lines[:9]
