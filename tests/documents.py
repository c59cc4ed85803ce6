"""Files of every kind ingest reads, made here from one plan's text: a PDF with a text layer, the same
page rendered to an image-only PDF (a scan), a DOCX with the header in a two-column table, a DOC
converted from it by LibreOffice, and a saved web page with a site's menus and lists around the plan."""
from __future__ import annotations

import html
import io
import shutil
import subprocess
import zipfile
from pathlib import Path

HEADER_LEFT = ["ỦY BAN NHÂN DÂN", "TỈNH HÀ GIANG", "Số: 45/KH-UBND"]
HEADER_RIGHT = ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Hà Giang, ngày 15 tháng 3 năm 2022"]
BODY = [
    "KẾ HOẠCH",
    "Phòng, chống ma túy trên địa bàn tỉnh Hà Giang năm 2022",
    "Thực hiện Quyết định số 1001/QĐ-TTg ngày 27/6/2019 của Thủ tướng Chính phủ về phòng, chống ma túy;",
    "I. MỤC TIÊU",
    "Phấn đấu 100% xã, phường, thị trấn tổ chức tuyên truyền về tác hại của ma túy; cai nghiện cho 300 lượt "
    "người, trong đó cai nghiện tập trung 200 lượt người.",
    "II. NHIỆM VỤ",
    "Công an tỉnh chủ trì, phối hợp với các sở, ngành triển khai thực hiện Kế hoạch này.",
]
TAIL = ["Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Văn Bình"]
# What every reading of these files must hold, whatever the kind (the OCR'd scan included).
KEY_PHRASES = ["45/KH-UBND", "1001/QĐ-TTg ngày 27/6/2019", "KẾ HOẠCH", "Phòng, chống ma túy", "Hà Giang", "100% xã, phường, thị trấn",
               "300 lượt người", "200 lượt người", "Công an tỉnh chủ trì"]
# The web page's own material around the plan.
PAGE_NOISE = ["Trang chủ", "Văn bản pháp luật", "Liên hệ", "Chia sẻ Facebook", "Văn bản liên quan",
              "Kế hoạch 12/KH-UBND năm 2021 về phòng, chống tội phạm", "Đăng nhập để xem toàn văn",
              "© 2026 Cổng thông tin văn bản"]


def left(number: int = 45) -> list[str]:
    """The header's left column, with the plan's number."""
    return [x.replace("45/", f"{number}/") for x in HEADER_LEFT]


def lines(number: int = 45) -> list[str]:
    """The plan's lines in reading order (header left column, right column, body, signature)."""
    return left(number) + HEADER_RIGHT + BODY + TAIL


def _font() -> Path:
    import matplotlib
    return Path(matplotlib.__file__).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf"


def text_pdf(encrypt_with: str | None = None, number: int = 45) -> bytes:
    """The plan as a PDF with a text layer (fpdf2, DejaVu Sans), laid out as printed: the header in two columns
    side by side, the body, the signature block on the right; with a user password when asked."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("dejavu", fname=str(_font()))
    pdf.set_font("dejavu", size=11)
    top = pdf.get_y()
    for x, width, column in ((10, 70, left(number)), (85, 115, HEADER_RIGHT)):
        pdf.set_xy(x, top)
        for line in column:
            pdf.set_x(x)
            pdf.multi_cell(width, 6, line, align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_xy(10, top + 6 * len(HEADER_RIGHT) + 8)
    for line in BODY:
        pdf.multi_cell(0, 6, line, align="C" if line in BODY[:2] else "J", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    for line in TAIL:
        pdf.set_x(10 if line in TAIL[:2] else 120)
        pdf.multi_cell(80, 6, line, new_x="LMARGIN", new_y="NEXT")
    if encrypt_with:
        pdf.set_encryption(owner_password="owner-" + encrypt_with, user_password=encrypt_with)
    return bytes(pdf.output())


def plain_pdf(pages: list[str], owner_password: str | None = None) -> bytes:
    """A PDF of the given pages of text, one after another; locked against editing only when asked."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(_font()))
    pdf.set_font("dejavu", size=11)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 6, text)
    if owner_password:
        pdf.set_encryption(owner_password=owner_password, user_password="")
    return bytes(pdf.output())


def scan_pdf(blank: bool = False, number: int = 45) -> bytes:
    """The text PDF's page as a scanner gives it: 300 dpi, a little skewed, speckled, a red stamp over the
    signature, saved as an image-only PDF (no text layer); all white when ``blank``."""
    import random

    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    page = pdfium.PdfDocument(text_pdf(number=number))[0]
    image = page.render(scale=300 / 72).to_pil().convert("RGB")
    if blank:
        image = Image.new("RGB", image.size, "white")
    else:
        draw = ImageDraw.Draw(image)
        cx, cy = int(image.width * 0.6), int(image.height * 0.36)  # over the signature block
        draw.ellipse((cx - 160, cy - 160, cx + 160, cy + 160), outline=(200, 30, 30), width=10)
        draw.ellipse((cx - 110, cy - 110, cx + 110, cy + 110), outline=(200, 30, 30), width=4)
        rng = random.Random(number)
        for _ in range(3000):  # dust
            x, y = rng.randrange(image.width), rng.randrange(image.height)
            draw.point((x, y), fill=(90, 90, 90))
        image = image.rotate(0.6, resample=Image.BICUBIC, expand=False, fillcolor="white")
    buf = io.BytesIO()
    image.save(buf, format="PDF", resolution=300)
    return buf.getvalue()


def searchable_scan_pdf(hidden: str) -> bytes:
    """The scan with an invisible text layer over it (as a publisher's OCR makes), holding ``hidden``."""
    from fpdf import FPDF
    from fpdf.enums import TextMode

    image = io.BytesIO(scan_pdf())
    import pypdfium2 as pdfium
    png = io.BytesIO()
    pdfium.PdfDocument(image.getvalue())[0].render(scale=150 / 72).to_pil().save(png, format="PNG")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(png, x=0, y=0, w=pdf.w, h=pdf.h)
    pdf.set_font("helvetica", size=11)
    pdf.text_mode = TextMode.INVISIBLE
    pdf.set_xy(10, 10)
    pdf.multi_cell(0, 6, hidden)
    return bytes(pdf.output())


def docx_file(number: int = 45) -> bytes:
    """The plan as a .docx: the header in a two-column table of two rows, the body's paragraphs, the recipients
    and the signature block side by side in another."""
    import docx

    document = docx.Document()
    table = document.add_table(rows=2, cols=2)  # issuer | motto, then number | place and date
    lt = left(number)
    for cell, lines in zip(table.rows[0].cells + table.rows[1].cells, (lt[:2], HEADER_RIGHT[:2], lt[2:],
                                                                          HEADER_RIGHT[2:])):
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    for line in BODY:
        document.add_paragraph(line)
    signature = document.add_table(rows=1, cols=2)  # the recipients beside the signature block
    for cell, lines in zip(signature.rows[0].cells, (TAIL[:2], TAIL[2:])):
        cell.text = lines[0]
        for line in lines[1:]:
            cell.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def doc_file(tmp: Path, number: int = 45) -> bytes:
    """The .docx converted to Word 97-2003 (.doc) by LibreOffice in headless mode."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice is needed to make a .doc (apt-get install libreoffice-writer-nogui)"
    src = tmp / "plan.docx"
    src.write_bytes(docx_file(number))
    subprocess.run([exe, f"-env:UserInstallation={(tmp / 'lo-profile').as_uri()}", "--headless", "--convert-to",
                    "doc:MS Word 97", "--outdir", str(tmp / "doc"), str(src)], check=True, capture_output=True,
                   timeout=300)
    return (tmp / "doc" / "plan.doc").read_bytes()


def saved_page(number: int = 45) -> bytes:
    """The plan as a legal database serves it: menu, breadcrumbs, share buttons, the document, related list, footer."""
    e = html.escape
    br = lambda lines: "<br>".join(map(e, lines))  # noqa: E731
    lt = left(number)
    # As legal databases set it: issuer and motto in one row (lines broken by <br>), number and date in the next;
    # the recipients beside the signature in one more two-column table.
    header = (f"<tr><td><b>{br(lt[:2])}<br>-------</b></td><td><b>{br(HEADER_RIGHT[:2])}<br>---------------</b></td>"
              f"</tr><tr><td>{e(lt[2])}</td><td><i>{e(HEADER_RIGHT[2])}</i></td></tr>")
    body = "".join(f"<p>{e(x)}</p>" for x in BODY)
    body += f"<table><tr><td><b>{e(TAIL[0])}</b><br>{e(TAIL[1])}</td><td><b>{br(TAIL[2:4])}</b><br><br>" \
            f"<b>{e(TAIL[4])}</b></td></tr></table>"
    menu = "".join(f'<li><a href="/{i}">{e(x)}</a></li>' for i, x in enumerate(PAGE_NOISE[:3]))
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Kế hoạch 45/KH-UBND 2022 phòng, chống ma túy Hà Giang</title>
<script>var tracking = "Trang chủ";</script><style>p {{ margin: 0 }}</style></head>
<body>
<header><nav><ul>{menu}</ul></nav></header>
<div class="share"><a href="#">{e(PAGE_NOISE[3])}</a></div>
<main><article>
<h1>Kế hoạch {number}/KH-UBND năm 2022 về phòng, chống ma túy trên địa bàn tỉnh Hà Giang</h1>
<table class="meta"><tr><td>Số hiệu</td><td>{number}/KH-UBND</td><td>Loại văn bản</td><td>Kế hoạch</td></tr></table>
<div class="content">
<table class="header">{header}</table>
{body}
</div>
</article></main>
<aside><h3>{e(PAGE_NOISE[4])}</h3><ul><li><a href="/vb/12">{e(PAGE_NOISE[5])}</a></li></ul></aside>
<div class="notice">{e(PAGE_NOISE[6])}</div>
<footer><p>{e(PAGE_NOISE[7])}</p></footer>
</body></html>
""".encode()


def zip_bomb_docx(unpacked: int = 300 * 1024 * 1024) -> bytes:
    """A zip named like a .docx whose document part unpacks to ``unpacked`` bytes of zeros (a few hundred KB packed)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(unpacked // len(chunk)):
                part.write(chunk)
    return buf.getvalue()


def lying_zip_bomb_docx() -> bytes:
    """A zip bomb whose headers claim its document part unpacks to 1,000 bytes (it unpacks to 300 MB)."""
    import struct

    data = bytearray(zip_bomb_docx())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    at = data.find(b"PK\x01\x02")
    while at != -1:  # the central directory's entry
        size = struct.unpack("<H", data[at + 28:at + 30])[0]
        if data[at + 46:at + 46 + size] == b"word/document.xml":
            data[at + 24:at + 28] = struct.pack("<I", 1000)
        at = data.find(b"PK\x01\x02", at + 1)
    data[info.header_offset + 22:info.header_offset + 26] = struct.pack("<I", 1000)  # the local header's
    return bytes(data)
