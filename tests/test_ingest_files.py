"""Ingest reads the files people have (PDF with text, a scan through OCR, DOCX, DOC, a saved page), many at once,
and refuses bad files (no text, encrypted, damaged, huge, a zip bomb) with a message naming them, writing nothing."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
import yaml

import documents as D
from sitegen.ingest import ocr, readers
from sitegen.ingest.readers import KINDS, ReadError, read_document, sniff
from sitegen.pipeline import build, gather
from sitegen.validate import ORIGINAL_KINDS
from test_ingest_cli import corpus, run, snapshot  # noqa: F401 (corpus: a fixture)

ROOT = Path(__file__).resolve().parent.parent


def missing(*tools: str) -> bool:
    """True when none of the tools is installed, outside CI: in CI (`make test` installs them) a
    missing tool must fail the tests that need it, not skip them."""
    return not any(shutil.which(t) for t in tools) and not os.environ.get("CI")


needs_ocr = pytest.mark.skipif(missing("tesseract"), reason="tesseract-ocr (make test installs it)")
needs_office = pytest.mark.skipif(missing("soffice", "libreoffice"),
                                  reason="libreoffice-writer-nogui (make test installs it)")


def flat(text: str) -> str:
    return " ".join(text.split())


def front(md: Path) -> dict:
    return yaml.safe_load(md.read_text(encoding="utf-8").split("---\n", 2)[1])


@pytest.fixture(scope="module")
def doc_bytes(tmp_path_factory) -> bytes:
    """One .doc made by LibreOffice for the module (a conversion takes a few seconds)."""
    if missing("soffice", "libreoffice"):
        pytest.skip("libreoffice-writer-nogui (make test installs it)")
    return D.doc_file(tmp_path_factory.mktemp("doc"))


def test_reader_kinds_match_what_validation_accepts():
    assert set(KINDS) - {"text"} == set(ORIGINAL_KINDS)


@pytest.mark.parametrize("make, kind", [
    (D.text_pdf, "pdf"), (D.docx_file, "docx"), (D.saved_page, "html"),
    (lambda: "\n".join(D.lines()).encode(), "text"),
])
def test_each_kind_is_told_by_content_and_read_whole(make, kind):
    data = make()
    read = read_document(data, "file.bin")  # the name says nothing: the content does
    assert read.kind == kind and not read.ocr
    text = flat(read.text)
    missing = [p for p in D.KEY_PHRASES if p not in text]
    assert not missing, missing


def test_docx_header_and_signature_tables_are_read_column_by_column():
    lines = read_document(D.docx_file(), "plan.docx").text.split("\n")
    assert lines[:6] == D.HEADER_LEFT + D.HEADER_RIGHT
    assert lines[-len(D.TAIL):] == D.TAIL


def test_docx_data_table_is_read_row_by_row():
    import io
    import docx
    document = docx.Document()
    document.add_paragraph("Các chỉ tiêu cụ thể:")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells + table.rows[1].cells, ["STT", "Chỉ tiêu", "Năm 2022", "1",
                                                                        "Xã không ma túy", "30%"]):
        cell.text = text
    buf = io.BytesIO()
    document.save(buf)
    assert read_document(buf.getvalue(), "t.docx").text.split("\n")[1:] == ["| STT | Chỉ tiêu | Năm 2022 |",
                                                                          "| 1 | Xã không ma túy | 30% |"]


def test_saved_page_keeps_the_main_text_and_reports_the_rest_as_dropped():
    read = read_document(D.saved_page(), "page.html")
    lines = read.text.split("\n")
    # The header table comes column by column, as a copy from the page would.
    start = lines.index("ỦY BAN NHÂN DÂN")
    assert lines[start:start + 8] == D.HEADER_LEFT[:2] + ["-------", D.HEADER_LEFT[2]] + D.HEADER_RIGHT[:2] + [
        "---------------", D.HEADER_RIGHT[2]]
    assert lines[-len(D.TAIL):] == D.TAIL  # the recipients, then the signature block beside them
    dropped = {d.text for d in read.dropped}
    assert set(D.PAGE_NOISE) <= dropped, set(D.PAGE_NOISE) - dropped
    assert not any(n in read.text for n in D.PAGE_NOISE)
    assert all(d.line > 0 and d.why for d in read.dropped)  # its line in the saved file, and why


def test_a_table_in_a_page_other_than_the_header_is_read_row_by_row():
    page = ("<html><body><article><p>Các chỉ tiêu cụ thể của Kế hoạch như sau, theo từng năm:</p><table>"
            "<tr><td>STT</td><td>Chỉ tiêu</td><td>Năm 2022</td></tr><tr><td>1</td><td>Xã không ma túy</td><td>30%</td>"
            "</tr></table><p>Các sở, ngành tổ chức thực hiện các chỉ tiêu trên đúng tiến độ.</p></article></body></html>")
    lines = read_document(page.encode(), "t.html").text.split("\n")
    assert "| 1 | Xã không ma túy | 30% |" in lines


def test_a_page_saved_as_one_file_mhtml_is_read():
    html = D.saved_page()
    mhtml = (b"From: <Saved by Blink>\r\nSubject: page\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n"
             b"\ttype=\"text/html\";\r\n\tboundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/html\r\n"
             b"Content-Transfer-Encoding: binary\r\n\r\n" + html + b"\r\n--B--\r\n")
    assert sniff(mhtml) == "mhtml"
    read = read_document(mhtml, "page.mhtml")
    assert read.kind == "html" and "300 lượt người" in read.text


@needs_ocr
def test_a_scan_is_read_by_ocr_with_vietnamese_data():
    said = []
    read = read_document(D.scan_pdf(), "scan.pdf", progress=said.append)
    assert said == ["OCR page 1/1"]  # what the progress bar shows while a page is read
    assert read.kind == "pdf-ocr" and read.ocr_pages == (1,) and read.pages == 1
    text = flat(read.text)
    missing = [p for p in D.KEY_PHRASES if p not in text]
    assert not missing, missing  # the plan's key phrases and numbers, diacritics included


def test_doc_is_read_through_libreoffice(doc_bytes):
    assert sniff(doc_bytes) == "doc"
    read = read_document(doc_bytes, "plan.doc")
    assert read.kind == "doc"
    missing = [p for p in D.KEY_PHRASES if p not in flat(read.text)]
    assert not missing, missing


@needs_ocr
def test_ocr_draft_is_marked_every_quote_is_listed_for_review_and_it_builds(corpus, tmp_path, capsys):
    scan = tmp_path / "ke-hoach-45.pdf"
    scan.write_bytes(D.scan_pdf())
    code, out, err = run(capsys, scan, "--corpus", corpus)
    assert code == 0, err
    assert "(PDF scan (OCR), OCR on pages 1)" in out
    md = corpus / "plans" / "ha-giang-2022-45-kh-ubnd.md"
    meta = front(md)
    assert meta["text_origin"] == "ocr" and meta["status"] == "draft"
    original = meta["original"]
    data = scan.read_bytes()
    assert original["name"] == scan.name and original["kind"] == "pdf-ocr" and original["bytes"] == len(data)
    assert original["sha256"] == hashlib.sha256(data).hexdigest()
    assert (corpus / original["file"]).read_bytes() == data  # the original kept beside the extracted text
    assert (corpus / meta["source_file"]).read_text(encoding="utf-8").startswith("ỦY BAN NHÂN DÂN")
    targets = yaml.safe_load(md.with_suffix(".yaml").read_text(encoding="utf-8"))["targets"]
    assert len(targets) >= 2
    for t in targets:  # every quote read by OCR waits for a person
        assert any(r.startswith(f"{t['id']}: read by OCR") for r in meta["review"]), t["id"]
        assert "OCR" in t["note"]
    assert "OCR" in meta["provenance"] and "OCR" in meta["provenance_en"]
    g = gather(corpus)  # the build accepts the new fields: no error, and no 'unknown field' warning
    assert not [p for p in g.problems if p.severity == "error" or "not a known front matter field" in p.message]
    draft = g.site.corpus.drafts[0]
    assert draft.text_origin == "ocr" and draft.original.sha256 == original["sha256"]
    site = tmp_path / "site"
    build(corpus, site, search=False)
    page = (site / "plans" / "ha-giang-2022-45-kh-ubnd.html").read_text(encoding="utf-8")
    assert "Văn bản đọc bằng nhận dạng ký tự (OCR) từ bản quét ke-hoach-45.pdf" in page
    en = (site / "en" / "plans" / "ha-giang-2022-45-kh-ubnd.html").read_text(encoding="utf-8")
    assert "Text read by optical character recognition (OCR)" in en


def test_a_text_pdf_is_not_marked_ocr(corpus, tmp_path, capsys):
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(D.text_pdf())
    code, _, err = run(capsys, pdf, "--corpus", corpus)
    assert code == 0, err
    meta = front(corpus / "plans" / "ha-giang-2022-45-kh-ubnd.md")
    assert "text_origin" not in meta and meta["original"]["kind"] == "pdf"
    assert not any("OCR" in r for r in meta["review"])


@needs_ocr
def test_many_files_at_once_one_table_and_a_bad_file_stops_nothing(corpus, tmp_path, capsys, doc_bytes):
    folder = tmp_path / "inbox"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.pdf").write_bytes(D.text_pdf(number=41))
    (folder / "b-scan.pdf").write_bytes(D.scan_pdf(number=42))
    (folder / "c.docx").write_bytes(D.docx_file(number=43))
    (folder / "sub" / "e.html").write_bytes(D.saved_page(number=44))
    (folder / "sub" / "e_files").mkdir()  # what a browser saves beside the page: left out
    (folder / "sub" / "e_files" / "style.css").write_text("p {}", encoding="utf-8")
    (folder / ".hidden.txt").write_text("not read", encoding="utf-8")
    (folder / "broken.docx").write_bytes(D.docx_file()[:3000])
    plain = tmp_path / "plan.txt"
    plain.write_text("\n".join(D.lines(46)), encoding="utf-8")
    doc = tmp_path / "d.doc"
    doc.write_bytes(doc_bytes)  # number 45
    before = snapshot(corpus)
    code, out, err = run(capsys, folder, plain, doc, "--corpus", corpus)
    assert code == 2  # one file failed
    rows = [line for line in out.splitlines() if line.startswith("| ") and "kind read" not in line]
    assert len(rows) == 7, out  # five from the folder, two named
    by_file = {r.split("|")[1].strip(): [c.strip() for c in r.split("|")[2:-1]] for r in rows}
    expect = {"a.pdf": ("PDF text", 41), "b-scan.pdf": ("PDF scan (OCR)", 42), "c.docx": ("Word .docx", 43),
              "e.html": ("web page", 44), "plan.txt": ("text", 46), "d.doc": ("Word .doc", 45)}
    for name, (kind, number) in expect.items():
        cells = next(v for k, v in by_file.items() if k.endswith(name))
        assert cells[0] == kind and cells[1] == f"ha-giang-2022-{number}-kh-ubnd", (name, cells)
        assert int(cells[2]) >= 2 and cells[3] == "1" and int(cells[4]) >= 1 and cells[5] == "", (name, cells)
        assert (corpus / "plans" / f"ha-giang-2022-{number}-kh-ubnd.md").is_file()
    broken = next(v for k, v in by_file.items() if k.endswith("broken.docx"))
    assert "damaged Word" in broken[5]  # the file is named in its row
    ocr_row = next(v for k, v in by_file.items() if k.endswith("b-scan.pdf"))
    assert int(ocr_row[4]) > int(by_file[next(k for k in by_file if k.endswith("a.pdf"))][4])  # OCR quotes added
    assert "6 of 7 files read, 1 failed." in out
    added = set(snapshot(corpus)) - set(before)
    assert len([p for p in added if p.startswith("plans/")]) == 12  # six records, nothing for the broken file
    assert not [p for p in added if "ingest-" in p]  # no temporary file left


def test_batch_exit_status_is_zero_when_all_are_read_and_repeats_are_refused(corpus, tmp_path, capsys):
    a, b = tmp_path / "a.docx", tmp_path / "b.html"
    a.write_bytes(D.docx_file(number=51))
    b.write_bytes(D.saved_page(number=52))
    code, out, _ = run(capsys, a, b, "--corpus", corpus)
    assert code == 0 and "2 of 2 files read, 0 failed." in out
    same = tmp_path / "again.pdf"
    same.write_bytes(D.text_pdf(number=51))
    code, out, _ = run(capsys, same, b, "--corpus", corpus)
    assert code == 2 and "already exists" in out


def _zip_bomb(tmp):
    return D.zip_bomb_docx()


def _huge(tmp):
    return None  # made sparse below: 60 MB without writing them


@pytest.mark.parametrize("name, make, message", [
    ("blank-scan.pdf", lambda tmp: D.scan_pdf(blank=True), "OCR found no text"),
    ("locked.pdf", lambda tmp: D.text_pdf(encrypt_with="secret"), "encrypted PDF that needs a password"),
    ("cut.pdf", lambda tmp: D.text_pdf()[:400], "not a readable PDF"),
    ("broken.docx", lambda tmp: D.docx_file()[:3000], "damaged Word (.docx) file"),
    ("bomb.docx", _zip_bomb, "zip bomb"),
    ("liar.docx", lambda tmp: D.lying_zip_bomb_docx(), "its part word/document.xml is corrupt"),
    ("huge.pdf", _huge, "ingest reads files of at most 50 MB"),
    ("sheet.docx", lambda tmp: _xlsx(), "an Excel workbook, not a Word document"),
    ("locked.doc", lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") * 4,
     "encrypted (password-protected) Word file"),
])
def test_bad_files_are_refused_by_name_and_nothing_is_written(corpus, tmp_path, capsys, name, make, message):
    if name == "blank-scan.pdf" and missing("tesseract"):
        pytest.skip("tesseract-ocr (make test installs it)")
    path = tmp_path / name
    data = make(tmp_path)
    if data is None:
        with open(path, "wb") as f:
            f.truncate(60 * 1024 * 1024)
    else:
        path.write_bytes(data)
    before = snapshot(corpus)
    code, out, err = run(capsys, path, "--corpus", corpus)
    assert code == 2 and message in err and str(path) in err and out == "", err
    assert snapshot(corpus) == before


def _xlsx() -> bytes:
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


def test_a_scan_without_tesseract_names_the_debian_packages_and_writes_nothing(corpus, monkeypatch, tmp_path,
                                                                             capsys):
    real = shutil.which
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None if name == "tesseract" else real(name))
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(D.scan_pdf())
    before = snapshot(corpus)
    ocr.tesseract.cache_clear()
    try:
        code, out, err = run(capsys, scan, "--corpus", corpus)
    finally:
        ocr.tesseract.cache_clear()
    assert code == 2 and out == "" and snapshot(corpus) == before
    assert f"{scan}: page 1 of 1 has no text layer (a scan) and needs OCR, but tesseract is not installed" in err
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in err


def test_a_doc_without_libreoffice_names_the_debian_package(monkeypatch):
    monkeypatch.setattr(readers.shutil, "which", lambda name: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\0" * 600
    with pytest.raises(ReadError) as exc:
        read_document(ole, "old.doc")
    assert str(exc.value).startswith("old.doc: ") and "apt-get install libreoffice-writer-nogui" in str(exc.value)


@needs_office
def test_a_damaged_doc_is_refused_by_name():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + os.urandom(2000)
    with pytest.raises(ReadError) as exc:
        read_document(ole, "damaged.doc")
    assert str(exc.value).startswith("damaged.doc: LibreOffice could not read")


def test_a_legacy_font_text_layer_is_unreadable_text():
    tcvn3 = "Uû ban nh©n d©n tØnh Hµ Giang. KÕ ho¹ch phßng, chèng ma tóy n¨m 2022 cña ñy ban nh©n d©n tØnh"
    assert readers._legacy_font(tcvn3)
    assert not readers._legacy_font(" ".join(D.lines()))
    capitals = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM ỦY BAN NHÂN DÂN TỈNH HÒA BÌNH QUYẾT ĐỊNH VỀ VIỆC PHÊ DUYỆT KẾ HOẠCH"
    assert not readers._legacy_font(capitals)  # Ò, Ì, Ú ... are Vietnamese capitals, not a legacy font's signs


def test_the_tcvn3_test_pdf_has_the_legacy_text_layer_it_means_to_have(tmp_path):
    import pypdfium2 as pdfium
    layer = pdfium.PdfDocument(D.tcvn3_pdf(tmp_path))[0].get_textpage().get_text_range()
    assert "uû ban nh©n d©n" in layer and "kÕ ho¹ch" in layer and readers._legacy_font(layer)


@needs_ocr
def test_a_pdf_whose_text_layer_is_in_tcvn3_is_read_by_ocr_and_says_so(tmp_path, corpus, capsys):
    pdf = tmp_path / "old.pdf"
    pdf.write_bytes(D.tcvn3_pdf(tmp_path))
    read = read_document(pdf.read_bytes(), "old.pdf")
    assert read.kind == "pdf-ocr" and read.ocr_pages == (1,) and read.legacy_pages == (1,)
    text = flat(read.text)
    assert "©" not in text
    found = [p for p in ["UỶ BAN NHÂN DÂN", "45/KH-UBND", "KẾ HOẠCH", "Phòng, chống ma túy", "100% xã", "300 học viên"]
             if p in text]
    assert len(found) >= 5, (found, text)  # OCR, so allow one phrase misread
    code, out, err = run(capsys, pdf, "--corpus", corpus)
    assert code == 0, err
    assert "the text layer of pages 1 is in a legacy font (TCVN3/VNI)" in out
    md = next(f for f in (corpus / "plans").rglob("*.md") if "number: 45/KH-UBND" in f.read_text("utf-8"))
    record = front(md)
    assert record["text_origin"] == "ocr" and "phông chữ cũ (TCVN3/VNI)" in record["provenance"]
    assert "legacy font (TCVN3/VNI)" in record["provenance_en"]


def test_a_tcvn3_pdf_without_tesseract_says_its_text_layer_is_a_legacy_font(monkeypatch, tmp_path):
    real = shutil.which
    monkeypatch.setattr(ocr.shutil, "which", lambda name: None if name == "tesseract" else real(name))
    ocr.tesseract.cache_clear()
    try:
        with pytest.raises(ReadError) as exc:
            read_document(D.tcvn3_pdf(tmp_path), "old.pdf")
    finally:
        ocr.tesseract.cache_clear()
    assert str(exc.value).startswith("old.pdf: page 1 of 1 has its text layer in a legacy Vietnamese font (TCVN3/VNI")
    assert "apt-get install tesseract-ocr tesseract-ocr-vie" in str(exc.value)


def test_page_numbers_at_a_page_edge_are_dropped():
    read = readers._join_pages(["Trang đầu\nnội dung\n1", "- 2 -\nKẾ HOẠCH\n300 người"], "pdf", (), 2)
    assert "nội dung" in read.text and not re.search(r"^\s*-?\s*[12]\s*-?\s*$", read.text, re.M)
    assert [d.why for d in read.dropped] == ["page number (page 1)", "page number (page 2)"]


@pytest.mark.parametrize("original, message", [
    ({"name": "a.pdf", "kind": "pdf", "sha256": "xyz", "bytes": 10}, "is not a SHA-256"),
    ({"name": "a.pdf", "kind": "odt", "sha256": "0" * 64, "bytes": 10}, "must be one of"),
    ({"name": "a.pdf", "kind": "pdf", "sha256": "0" * 64, "bytes": 10, "file": "../../etc/passwd"},
     "is not a file inside corpus/"),
    ({"name": "a.pdf", "kind": "pdf", "sha256": "0" * 64, "bytes": "ten"}, "must be the file's size"),
])
def test_a_wrong_original_field_is_an_error_naming_it(corpus, original, message):
    md = corpus / "plans" / "quang-ninh-2021-27-kh-ubnd.md"
    head, body = md.read_text(encoding="utf-8").split("\n---\n", 1)
    extra = yaml.safe_dump({"original": original, "text_origin": "ocr"}, allow_unicode=True)
    md.write_text(f"{head}\n{extra}---\n{body}", encoding="utf-8")
    from sitegen.pipeline import BuildError
    with pytest.raises(BuildError) as exc:
        gather(corpus)
    errors = [p for p in exc.value.problems if p.severity == "error"]
    assert len(errors) == 1 and message in errors[0].message and "original." in errors[0].where, errors
    assert errors[0].file.endswith("quang-ninh-2021-27-kh-ubnd.md")


def test_a_reading_that_is_no_vietnamese_text_is_refused():
    with pytest.raises(ReadError) as exc:
        read_document(("漢字かな交じり文 " * 50).encode(), "mojibake.txt")
    assert str(exc.value).startswith("mojibake.txt: read as a text file, it gives no Vietnamese text")


def _tsv(rows: list[tuple[int, int, int, str]]) -> str:
    """Tesseract TSV of words (line number, left, top, text), 30 px high, 12 px a letter."""
    head = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    out = [head]
    for n, (line, left, top, text) in enumerate(rows):
        out.append(f"5\t1\t1\t1\t{line}\t{n}\t{left}\t{top}\t{12 * len(text)}\t30\t95\t{text}")
    return "\n".join(out)


def test_ocr_reads_a_two_column_header_column_by_column():
    words = []
    for line, (left_text, right_text) in enumerate([("ỦY BAN", "CỘNG HÒA"), ("TỈNH X", "Độc lập"), ("Số: 1/KH", "")]):
        x = 100
        for w in left_text.split():
            words.append((line, x, 100 + 40 * line, w))
            x += 12 * len(w) + 10
        x = 1200
        for w in right_text.split():
            words.append((line, x, 100 + 40 * line, w))
            x += 12 * len(w) + 10
    words.append((3, 100, 400, "I."))  # a short line far below the header: not part of its left column
    words.append((4, 100, 440, "Phấn"))
    words.append((4, 172, 440, "đấu"))
    lines = ocr.lines_from_tsv(_tsv(words))
    assert [x for x in lines if x] == ["ỦY BAN", "TỈNH X", "Số: 1/KH", "CỘNG HÒA", "Độc lập", "I.", "Phấn đấu"]


@needs_ocr
def test_a_pdf_with_a_scanned_page_among_text_pages_reads_only_that_page_by_ocr():
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(D.text_pdf())
    pdf.import_pages(pdfium.PdfDocument(D.scan_pdf(number=45)))  # page 2: the signed and stamped scan
    import io
    buf = io.BytesIO()
    pdf.save(buf)
    read = read_document(buf.getvalue(), "mixed.pdf")
    assert read.kind == "pdf-ocr" and read.ocr_pages == (2,) and read.pages == 2
    assert flat(read.text).count("300 lượt người") == 2  # once from the text layer, once by OCR


def test_a_large_original_is_recorded_by_name_and_hash_only(corpus, tmp_path, capsys, monkeypatch):
    from sitegen.ingest import batch
    monkeypatch.setattr(batch, "KEEP_ORIGINAL_BYTES", 1000)
    docx = tmp_path / "plan.docx"
    docx.write_bytes(D.docx_file())
    code, _, err = run(capsys, docx, "--corpus", corpus)
    assert code == 0, err
    meta = front(corpus / "plans" / "ha-giang-2022-45-kh-ubnd.md")
    assert "file" not in meta["original"] and meta["original"]["sha256"] == hashlib.sha256(docx.read_bytes()).hexdigest()
    assert not list((corpus / "sources").glob("*.docx"))
    assert (corpus / meta["source_file"]).is_file()
    assert not [p for p in gather(corpus).problems if p.severity == "error"]


def test_json_for_many_files_is_one_array_and_writes_nothing(corpus, tmp_path, capsys):
    import json
    a, b = tmp_path / "a.html", tmp_path / "b.docx"
    a.write_bytes(D.saved_page(number=71))
    b.write_bytes(b"PK\x03\x04 not really a zip")
    before = snapshot(corpus)
    code, out, _ = run(capsys, a, b, "--corpus", corpus, "--json")
    items = json.loads(out)
    assert code == 2 and [i["file"] for i in items] == [str(a), str(b)]
    assert items[0]["kind"] == "html" and items[0]["metadata"]["number"] == "71/KH-UBND"
    assert items[0]["source"]["kind"] == "html" and any(d["text"] == "Chia sẻ Facebook" for d in items[0]["dropped"])
    assert "damaged Word" in items[1]["error"]
    assert snapshot(corpus) == before


@needs_ocr
def test_a_scan_under_a_publishers_invisible_ocr_layer_is_read_by_our_ocr():
    hidden = "UY BAN NHAN DAN TINH HA GIANG ke hoach phong chong ma tuy 300 luot nguoi " * 3  # no diacritics
    read = read_document(D.searchable_scan_pdf(hidden), "searchable.pdf")
    assert read.kind == "pdf-ocr" and read.ocr_pages == (1,)
    assert "UY BAN NHAN DAN" not in read.text and "300 lượt người" in flat(read.text)


def test_a_short_text_page_keeps_its_text_layer():
    # A last page with the signer's name alone: not a scan.
    read = read_document(D.plain_pdf(["\n".join(D.lines()), "Trần Văn Bình"]), "short-last-page.pdf")
    assert read.kind == "pdf" and not read.ocr and read.text.rstrip().endswith("Trần Văn Bình")


def test_a_pdf_locked_only_against_editing_is_read():
    # It opens without a password, as portals publish.
    read = read_document(D.plain_pdf(["\n".join(D.lines())], owner_password="owner"), "owner-only.pdf")
    assert read.kind == "pdf" and "300 lượt người" in flat(read.text)
