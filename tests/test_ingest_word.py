"""What python-docx does not give as text, read from Word files made here: the labels of Word's automatic list
numbering ("II.", "1.", "a)", "-"), the text of text boxes (a header's "Số: 12/KH-UBND" in a box), and tables
without a header row, read row by row as what they hold."""
from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import docx

import documents as D
from sitegen.ingest.draft import ingest, markdown_body
from sitegen.ingest.readers import read_document
from sitegen.ingest.word import table_lines
from test_ingest_files import needs_office

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def _save(document) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _numbered_plan() -> bytes:
    """A plan with its header as paragraphs, then the OUTLINE numbered by a Word list (no label typed)."""
    document = docx.Document()
    for line in D.left() + D.HEADER_RIGHT + ["KẾ HOẠCH", "Phòng, chống ma túy trên địa bàn tỉnh Hà Giang năm 2022"]:
        document.add_paragraph(line)
    num = D._numbered(document, [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)"), ("bullet", "-")])
    for level, text in D.OUTLINE:
        D._set_num(document.add_paragraph(text), num, level)
    return _save(document)


def test_word_list_numbering_is_read_as_word_shows_it():
    lines = read_document(D.numbered_docx(), "plan.docx").text.split("\n")
    assert lines[:len(D.OUTLINE_SHOWN) + 1] == ["KẾ HOẠCH"] + D.OUTLINE_SHOWN
    # A list restarted at IV by an override, its second level "%1.%2."; symbol-font bullets; a style's numbering.
    assert lines[len(D.OUTLINE_SHOWN) + 1:] == ["IV. TỔ CHỨC THỰC HIỆN", "IV.1. Công an tỉnh chủ trì.",
                                                "• Sở Y tế phối hợp.", "• Sở Giáo dục phối hợp.",
                                                "1. Mục tiêu theo kiểu danh sách"]


def test_numbered_headings_become_the_drafts_headings_and_carry_their_deadlines():
    d = ingest(_numbered_plan(), "plan.docx", CORPUS)
    md = markdown_body(d).strip().split("\n\n")
    assert "## II. MỤC TIÊU" in md and "### 2. Mục tiêu cụ thể" in md and "## III. NHIỆM VỤ" in md
    got = {(t.value, t.deadline) for t in d.targets}
    assert {(100.0, 2025), (300.0, 2025), (50.0, 2030)} <= got, got


def test_a_paragraph_numbered_with_no_text_is_counted_but_not_printed():
    document = docx.Document()
    num = D._numbered(document, [("decimal", "%1.")])
    for text in ("Một", "", "Ba"):
        D._set_num(document.add_paragraph(text), num, 0)
    assert read_document(_save(document), "t.docx").text.split("\n") == ["1. Một", "", "3. Ba"]


BOX = ["ỦY BAN NHÂN DÂN", "TỈNH HÀ GIANG", "Số: 12/KH-UBND"]
BODY = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hà Giang, ngày 15 tháng 3 năm 2022",
        "KẾ HOẠCH", "Phòng, chống ma túy trên địa bàn tỉnh Hà Giang năm 2022",
        "Phấn đấu 100% xã, phường, thị trấn tổ chức tuyên truyền về tác hại của ma túy."]


def test_text_in_a_text_box_is_read_once_before_its_paragraph():
    lines = read_document(D.textbox_docx(BOX, BODY), "plan.docx").text.split("\n")
    assert lines == BOX + BODY  # the DrawingML box read, its VML copy for old readers not read again


def test_the_number_in_a_text_box_becomes_the_drafts_number():
    d = ingest(D.textbox_docx(BOX, BODY), "plan.docx", CORPUS)
    assert d.metadata["number"] == "12/KH-UBND" and d.metadata["province"] == "Hà Giang"


def test_a_table_without_a_header_row_is_read_as_what_it_holds():
    # A one-column table (a boxed paragraph) and a caption across a table: plain lines.
    assert table_lines([[["Lưu ý: kế hoạch thay thế", "Kế hoạch số 5/KH-UBND."]]]) == [
        "Lưu ý: kế hoạch thay thế", "Kế hoạch số 5/KH-UBND."]
    assert table_lines([[["CÁC CHỈ TIÊU NĂM 2022"], []], [["1"], ["Xã không ma túy"]]])[0] == "CÁC CHỈ TIÊU NĂM 2022"
    # A list set as a two-column table, its labels in the first column: one item a line.
    assert table_lines([[["II."], ["MỤC TIÊU"]], [["1."], ["Mục tiêu cụ thể", "- Đến năm 2025: 30% xã."]],
                        [["a)"], ["Xã không ma túy"]]]) == [
        "II. MỤC TIÊU", "1. Mục tiêu cụ thể", "- Đến năm 2025: 30% xã.", "a) Xã không ma túy"]
    # A header table told by any of its cells (here the motto), not only by an issuer in its first cell.
    assert table_lines([[["UBND TỈNH HÀ GIANG"], ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]],
                        [["Số: 12/KH-UBND"], ["Hà Giang, ngày 15 tháng 3 năm 2022"]]]) == [
        "UBND TỈNH HÀ GIANG", "Số: 12/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Hà Giang, ngày 15 tháng 3 năm 2022"]
    # Data stays between bars, a row a line (the tables module reads its targets); a two-column table is a layout
    # table only when its first row says so, not when an office's name in capitals appears further down.
    assert table_lines([[["1"], ["Xã không ma túy"], ["30%"]]]) == ["| 1 | Xã không ma túy | 30% |"]
    assert table_lines([[["Nhiệm vụ"], ["Chủ trì"]], [["Tuyên truyền"], ["SỞ THÔNG TIN VÀ TRUYỀN THÔNG"]]]) == [
        "| Nhiệm vụ | Chủ trì |", "| Tuyên truyền | SỞ THÔNG TIN VÀ TRUYỀN THÔNG |"]


def test_word_tables_without_a_header_row_read_from_a_docx():
    document = docx.Document()
    note = document.add_table(rows=1, cols=1)
    note.rows[0].cells[0].text = "Ghi chú: kế hoạch này thay thế Kế hoạch số 5/KH-UBND."
    items = document.add_table(rows=2, cols=2)
    for cell, text in zip(items.rows[0].cells + items.rows[1].cells, ["1.", "Mục tiêu chung", "2.", "Mục tiêu cụ thể"]):
        cell.text = text
    assert read_document(_save(document), "t.docx").text.split("\n") == [
        "Ghi chú: kế hoạch này thay thế Kế hoạch số 5/KH-UBND.", "1. Mục tiêu chung", "2. Mục tiêu cụ thể"]


def _to_doc(data: bytes, tmp: Path) -> bytes:
    """A .docx saved as Word 97-2003 (.doc) by LibreOffice, as an office would send it."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    (tmp / "in.docx").write_bytes(data)
    subprocess.run([exe, f"-env:UserInstallation={(tmp / 'lo').as_uri()}", "--headless", "--convert-to",
                    "doc:MS Word 97", "--outdir", str(tmp / "doc"), str(tmp / "in.docx")], check=True,
                   capture_output=True, timeout=300)
    return (tmp / "doc" / "in.doc").read_bytes()


@needs_office
def test_list_labels_and_text_boxes_of_a_doc_are_read_too(tmp_path):
    lines = read_document(_to_doc(D.numbered_docx(), tmp_path), "plan.doc").text.split("\n")
    assert lines[:len(D.OUTLINE_SHOWN) + 1] == ["KẾ HOẠCH"] + D.OUTLINE_SHOWN
    assert read_document(_to_doc(D.textbox_docx(BOX, BODY), tmp_path), "plan.doc").text.split("\n") == BOX + BODY
