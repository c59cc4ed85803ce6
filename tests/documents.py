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


# --- Word's automatic list numbering, text boxes, a TCVN3 text layer -------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# The numbered outline of a plan as Word lists set it: (level, text) with what Word shows before each.
OUTLINE = [(0, "MỤC ĐÍCH, YÊU CẦU"), (1, "Mục đích"), (0, "MỤC TIÊU"), (1, "Mục tiêu chung"),
           (1, "Mục tiêu cụ thể"), (2, "Đến năm 2025:"),
           (3, "Phấn đấu 100% xã, phường, thị trấn tổ chức tuyên truyền về tác hại của ma túy;"),
           (3, "Cai nghiện cho ít nhất 300 lượt người."), (2, "Đến năm 2030:"),
           (3, "Phấn đấu 50% xã, phường, thị trấn không ma túy."), (0, "NHIỆM VỤ")]
OUTLINE_SHOWN = ["I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích", "II. MỤC TIÊU", "1. Mục tiêu chung", "2. Mục tiêu cụ thể",
                 "a) Đến năm 2025:", "- Phấn đấu 100% xã, phường, thị trấn tổ chức tuyên truyền về tác hại của ma túy;",
                 "- Cai nghiện cho ít nhất 300 lượt người.", "b) Đến năm 2030:",
                 "- Phấn đấu 50% xã, phường, thị trấn không ma túy.", "III. NHIỆM VỤ"]


def _abstract_num(abstract_id: int, levels: list[tuple[str, str]]) -> str:
    def font(text: str) -> str:  # "l" is Wingdings' round bullet, as Word and LibreOffice write one
        return '<w:rPr><w:rFonts w:ascii="Wingdings" w:hAnsi="Wingdings"/></w:rPr>' if text == "l" else ""
    lvls = "".join(f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
                   f'<w:suff w:val="{"tab" if i < 2 else "space"}"/>{font(text)}</w:lvl>'
                   for i, (fmt, text) in enumerate(levels))
    return f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'


def _numbered(document, levels: list[tuple[str, str]], overrides: dict[int, int] | None = None) -> int:
    """Add a list definition (levels of (numFmt, lvlText)) to the document's numbering part; its numId."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml

    root = document.part.part_related_by(RT.NUMBERING).element
    ids = [int(n.get(f"{{{W_NS}}}numId")) for n in root.iter(f"{{{W_NS}}}num")] or [0]
    num_id = max(ids) + 1
    root.insert(0, parse_xml(_abstract_num(500 + num_id, levels)))
    over = "".join(f'<w:lvlOverride w:ilvl="{i}"><w:startOverride w:val="{v}"/></w:lvlOverride>'
                   for i, v in (overrides or {}).items())
    root.append(parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{500 + num_id}"/>'
                          f'{over}</w:num>'))
    return num_id


def _set_num(paragraph, num_id: int, level: int) -> None:
    from docx.oxml import parse_xml

    paragraph._p.get_or_add_pPr().insert(0, parse_xml(
        f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def numbered_docx() -> bytes:
    """A plan whose headings and items are numbered by Word's lists, not typed: "I.", "1.", "a)", "-" (the
    OUTLINE, shown as OUTLINE_SHOWN); then a list restarted at IV by an override, a private-use (Symbol) bullet,
    Wingdings' "l" bullet, and a paragraph numbered through its style ("List Number")."""
    import docx

    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    num = _numbered(document, [("upperRoman", "%1."), ("decimal", "%2."), ("lowerLetter", "%3)"), ("bullet", "-")])
    for level, text in OUTLINE:
        _set_num(document.add_paragraph(text), num, level)
    again = _numbered(document, [("upperRoman", "%1."), ("decimal", "%1.%2.")], overrides={0: 4})
    _set_num(document.add_paragraph("TỔ CHỨC THỰC HIỆN"), again, 0)
    _set_num(document.add_paragraph("Công an tỉnh chủ trì."), again, 1)
    _set_num(document.add_paragraph("Sở Y tế phối hợp."), _numbered(document, [("bullet", "\uf0b7")]), 0)
    _set_num(document.add_paragraph("Sở Giáo dục phối hợp."), _numbered(document, [("bullet", "l")]), 0)
    document.add_paragraph("Mục tiêu theo kiểu danh sách", style="List Number")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def textbox_docx(box_lines: list[str], body: list[str]) -> bytes:
    """A .docx whose header's left part is a text box (as Word's "Text Box" and shapes set it: the DrawingML box,
    and the same box again in VML for old readers) anchored in the first paragraph, then the body."""
    import docx
    from docx.oxml import parse_xml

    ns = (f'xmlns:w="{W_NS}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
          'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')
    paras = "".join(f"<w:p><w:r><w:t>{html.escape(x)}</w:t></w:r></w:p>" for x in box_lines)
    run = parse_xml(
        f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><wp:extent cx="2000000" '
        f'cy="900000"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/'
        f'wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent>{paras}</w:txbxContent></wps:txbx></wps:wsp>'
        f'</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape>'
        f'<v:textbox><w:txbxContent>{paras}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>'
        f'</mc:AlternateContent></w:r>')
    document = docx.Document()
    first = document.add_paragraph(body[0])
    first._p.insert(1, run)  # after the paragraph's properties, before its text
    for line in body[1:]:
        document.add_paragraph(line)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


# TCVN3 (ABC), the legacy Vietnamese font encoding: its lower-case letters as bytes (capitals are a separate
# font in TCVN3, so the text below is lower-case but for ASCII capitals).
TCVN3 = dict(zip("ăâêôơưđàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ", [
    0xA8, 0xA9, 0xAA, 0xAB, 0xAC, 0xAD, 0xAE, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6, 0xC7, 0xC8,
    0xC9, 0xCA, 0xCB, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE, 0xDF,
    0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA, 0xEB, 0xEC, 0xED, 0xEE, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4,
    0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE]))
# The page: (capitals?, line). TCVN3 sets capitals in a second font (.VnTimeH) that draws the same bytes as
# capitals, so the text layer of "KẾ HOẠCH" is "kÕ ho¹ch". No "ư": its TCVN3 byte is U+00AD as Latin-1, which
# fpdf2 takes for a soft hyphen and does not print.
TCVN3_LINES = [(True, "Uỷ ban nhân dân"), (True, "tỉnh Hà Giang"), (False, "Số: 45/KH-UBND"),
               (False, "Hà Giang, ngày 15 tháng 3 năm 2022"), (True, "Kế hoạch"),
               (False, "Phòng, chống ma túy trên địa bàn tỉnh Hà Giang năm 2022"),
               (False, "Phấn đấu 100% xã, thị trấn tổ chức tuyên truyền về tác hại của ma túy;"),
               (False, "cai nghiện cho 300 học viên.")]


def tcvn3(text: str) -> str:
    """Text as a TCVN3 PDF's text layer gives it (each byte read as Latin-1): "Uỷ ban nhân dân" -> "Uû ban nh©n d©n"."""
    return "".join(chr(TCVN3[c]) if c in TCVN3 else c for c in text)


def _tcvn3_font(tmp: Path, capitals: bool) -> Path:
    """DejaVu Sans with its Vietnamese letters moved to the TCVN3 byte values (capitals' glyphs when asked)."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(_font()))
    glyphs = dict(font.getBestCmap())  # before any change: the subtables share their maps
    moved = {byte: glyphs[ord(char.upper() if capitals else char)] for char, byte in TCVN3.items()}
    if capitals:
        moved.update({ord(c): glyphs[ord(c.upper())] for c in "abcdefghijklmnopqrstuvwxyz"})
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap.update(moved)
    path = tmp / f"vntime{'h' * capitals}.ttf"
    font.save(str(path))
    return path


def tcvn3_pdf(tmp: Path) -> bytes:
    """A PDF set in legacy TCVN3 fonts: on the page the Vietnamese letters, in its text layer the TCVN3 bytes
    ("Uû ban nh©n d©n"), as .VnTime/.VnTimeH fonts without a Unicode map give (fonts made with fontTools)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("vntime", fname=str(_tcvn3_font(tmp, False)))
    pdf.add_font("vntimeh", fname=str(_tcvn3_font(tmp, True)))
    for capitals, line in TCVN3_LINES:
        pdf.set_font("vntimeh" if capitals else "vntime", size=13)
        pdf.multi_cell(0, 8, tcvn3(line.lower() if capitals else line), align="C" if capitals else "L",
                       new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
