"""Reading the files people have: bytes in, the document's text out, whatever the file's kind.

The kind is told by content, never by the file name: a PDF (its text layer; a page without one,
or with one in a legacy Vietnamese font encoding, is a scan and goes through Tesseract's OCR with
Vietnamese data), a Word file (.docx through python-docx and word.py, which adds the list labels and
text boxes python-docx leaves out; .doc and RTF converted to .docx by LibreOffice in headless mode first), a saved web page (HTML or MHTML: its main text through
trafilatura, the menus, related lists, notices and buttons around it reported as dropped), or
UTF-8 text. Nothing is corrected: the text is what the file holds (NFC), ready for clean().

Bad files are refused with a ReadError naming the file: encrypted, corrupt, too big, a zip bomb,
no text at all, or a tool missing (with the Debian package that provides it).
"""
from __future__ import annotations

import email
import email.policy
import io
import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from . import ocr, word
from .clean import Dropped, _noise as noise, decode
from .word import table_lines

# What the batch table prints for each kind.
KINDS = {"text": "text", "pdf": "PDF text", "pdf-ocr": "PDF scan (OCR)", "docx": "Word .docx", "doc": "Word .doc",
         "rtf": "RTF", "html": "web page"}
SNIFFED = {**KINDS, "pdf": "PDF", "mhtml": "web page"}  # a kind told before reading (a PDF's scan is found later)
# A scan of a long plan is some MB a page; past this the file is no plan (a book, a video).
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024
MAX_PAGES = 300
# A PDF page holding an image and fewer visible characters than this in its text layer is a scan
# (the text of a stamp, a page number): it is read by OCR.
MIN_PAGE_CHARS = 40
OCR_DPI = 300
TOOL_TIMEOUT = 600  # seconds for one LibreOffice conversion
OFFICE_PACKAGE = "libreoffice-writer-nogui"

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_RE = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta\s|title|div|p)[\s>]", re.I)
_PAGE_NUMBER_RE = re.compile(r"^\s*[-–—]?\s*(?:Trang\s+)?\d{1,3}(?:\s*/\s*\d{1,3})?\s*[-–—]?\s*$", re.I)
# Text extracted from a PDF set in a legacy Vietnamese font (TCVN3/ABC, VNI) without a Unicode map:
# "Uû ban nh©n d©n". Such a layer is unreadable as text; the page is read by OCR instead.
# Only signs no Vietnamese word uses: the capitals À, Ò, Ú ... are Vietnamese too.
_LEGACY_CHARS = set("©¨®¬¸µ¶·¹¾»¼½ÆÇËÎÏÑÖ×ØÛÜÞß¡¢£¤¥¦ª«¯±²³´º¿")
_VN_CHARS = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


class ReadError(ValueError):
    """A file ingest cannot read, with a message naming it and saying what to do."""


@dataclass(frozen=True)
class Read:
    """What a file holds: its kind, its text (NFC, LF), the lines dropped as not the document's, the OCR'd pages."""

    kind: str  # a key of KINDS
    text: str
    dropped: tuple[Dropped, ...] = ()
    ocr_pages: tuple[int, ...] = ()  # 1-based numbers of the PDF pages read by OCR
    pages: int = 0  # a PDF's page count (0 for other kinds)
    legacy_pages: tuple[int, ...] = ()  # pages whose text layer is in a legacy font (TCVN3/VNI): read by OCR instead

    @property
    def ocr(self) -> bool:
        """Whether any of the text was read by OCR (every quote from it must then be checked by a person)."""
        return bool(self.ocr_pages)

    @property
    def extension(self) -> str:
        """The file name extension of the original's kind (for the copy kept in corpus/sources/)."""
        return {"pdf-ocr": "pdf", "html": "html"}.get(self.kind, self.kind if self.kind != "text" else "txt")


Progress = Callable[[str], None]


def sniff(data: bytes) -> str:
    """The file's kind from its first bytes: pdf, docx, doc, rtf, mhtml, html or text."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    if data.startswith(_OLE):
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if re.match(rb"(?:[\w-]+:[^\n]*\r?\n)*MIME-Version:", head, re.I) and b"multipart/related" in head.lower():
        return "mhtml"
    if _HTML_RE.search(head[:1024]) and head.startswith(b"<"):
        return "html"
    return "text"


def read_document(data: bytes, name: str, progress: Progress | None = None) -> Read:
    """The text of one file of any supported kind; ReadError with a reader's message when it cannot be read."""
    if not data.strip():
        raise ReadError(f"{name}: is empty: there is no text to ingest.")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ReadError(f"{name}: is {len(data) / 1048576:.1f} MB; ingest reads files of at most "
                        f"{MAX_DOCUMENT_BYTES // 1048576} MB. Keep only the plan.")
    read = _read(data, name, sniff(data), progress)
    _check_readable(read, name)
    return read


def _check_readable(read: Read, name: str) -> None:
    """Refuse a reading that is not Vietnamese text (a damaged file read as characters): mostly Latin script."""
    chars = [c for c in read.text if not c.isspace()]
    latin = sum(1 for c in chars if ord(c) < 0x250 or 0x1E00 <= ord(c) <= 0x1EFF or unicodedata.category(c)[0] in "PNS"
                and unicodedata.category(c) != "So")
    if chars and latin < 0.8 * len(chars):
        raise ReadError(f"{name}: read as a {KINDS[read.kind]} file, it gives no Vietnamese text (only "
                        f"{100 * latin // len(chars)}% of its characters are Latin letters, digits or punctuation): "
                        "the file is damaged or in a legacy encoding. Open it and save it again as .docx, PDF or "
                        "UTF-8 text.")


def _read(data: bytes, name: str, kind: str, progress: Progress | None) -> Read:
    """The reading of one file of a known kind."""
    if kind == "pdf":
        return _pdf(data, name, progress)
    if kind == "docx":
        return Read("docx", _docx_text(data, name))
    if kind in ("doc", "rtf"):
        if kind == "doc":
            _check_ole(data, name)
        return Read(kind, _docx_text(_office_to_docx(data, name, kind), name))
    if kind == "mhtml":
        return _html(_mhtml_part(data, name), name)
    if kind == "html":
        return _html(data, name)
    try:  # decode refuses NUL bytes, legacy encodings and a text over clean.MAX_RAW_BYTES
        return Read("text", decode(data, name))
    except ValueError as exc:
        raise ReadError(str(exc)) from None


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


# --- PDF ------------------------------------------------------------------------------------------

def _legacy_font(text: str) -> bool:
    """Whether a page's text layer is in a legacy Vietnamese font encoding (or private-use glyphs): unreadable."""
    letters = [c for c in text if c.isalpha() or c in _LEGACY_CHARS or unicodedata.category(c) == "Co"]
    if len(letters) < MIN_PAGE_CHARS:
        return False
    odd = sum(1 for c in letters if c in _LEGACY_CHARS or unicodedata.category(c) == "Co")
    viet = sum(1 for c in letters if c.lower() in _VN_CHARS)
    return odd > len(letters) * 0.03 and odd > viet


def _pdf(data: bytes, name: str, progress: Progress | None) -> Read:
    import pypdfium2 as pdfium

    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise ReadError(f"{name}: is an encrypted PDF that needs a password: ingest cannot read it. Ask the "
                            "publisher for an open copy, or open it with its password and save it without one."
                            ) from None
        raise ReadError(f"{name}: is not a readable PDF ({exc}): the file is damaged or incomplete (a download "
                        "cut short?). Download it again.") from None
    try:
        count = len(doc)
        if count == 0:
            raise ReadError(f"{name}: is a PDF without pages: there is no text to ingest.")
        if count > MAX_PAGES:
            raise ReadError(f"{name}: is a PDF of {count} pages; ingest reads at most {MAX_PAGES}: keep only the plan.")
        pages, ocr, legacy = [], [], []
        for i in range(count):
            page = doc[i]
            text = _nfc(page.get_textpage().get_text_range())
            if _legacy_font(text):
                legacy.append(i + 1)
            if _is_scan(page, text):
                if progress:
                    progress(f"OCR page {i + 1}/{count}")
                read = _ocr_page(page, name, i + 1, count, legacy=bool(legacy and legacy[-1] == i + 1))
                if re.sub(r"\s", "", read):
                    text = read
                    ocr.append(i + 1)
                elif legacy and legacy[-1] == i + 1:
                    text = ""
            pages.append(text)
            page.close()
    finally:
        doc.close()
    if not any(re.sub(r"\s", "", p) for p in pages):
        if legacy:
            raise ReadError(f"{name}: is a PDF whose text layer is in a legacy Vietnamese font (TCVN3/VNI: "
                            "\"Uû ban nh©n d©n\"), which cannot be read as text, and OCR found no text on its pages "
                            "either. Open it and save it again with a Unicode font, or find another copy.")
        raise ReadError(f"{name}: is a PDF of {count} page{'s' * (count > 1)} with no text layer, and OCR found no "
                        "text on them (blank pages, or a scan too faint to read). Find a better copy of the plan.")
    read = _join_pages(pages, "pdf-ocr" if ocr else "pdf", tuple(ocr), count)
    return replace(read, legacy_pages=tuple(p for p in legacy if p in ocr))


def _is_scan(page, text: str) -> bool:
    """Whether a PDF page must be read by OCR: no text layer; an image with at most a few words on it (a stamp's);
    an image under invisible text only (a publisher's OCR layer, of unknown quality and language); or a text
    layer in a legacy font. A page of real text (even a short one, a signature alone) keeps its text layer."""
    import pypdfium2.raw as pdfium_c

    visible = len(re.sub(r"\s", "", text))
    if visible == 0 or _legacy_font(text):
        return True
    kinds = [(o.type, o.raw) for o in page.get_objects(max_depth=4)]
    if not any(t == pdfium_c.FPDF_PAGEOBJ_IMAGE for t, _ in kinds):
        return False
    shown = [pdfium_c.FPDFTextObj_GetTextRenderMode(raw) for t, raw in kinds if t == pdfium_c.FPDF_PAGEOBJ_TEXT]
    return visible < MIN_PAGE_CHARS or all(mode == pdfium_c.FPDF_TEXTRENDERMODE_INVISIBLE for mode in shown)


def _join_pages(pages: list[str], kind: str, ocr: tuple[int, ...], count: int) -> Read:
    """The pages' text in one, without the page numbers printed at a page's top or bottom (reported as dropped)."""
    lines, dropped = [], []
    for number, text in enumerate(pages, 1):
        page = text.split("\n")
        filled = [i for i, t in enumerate(page) if t.strip()]
        ends = {filled[0], filled[-1]} if filled else set()
        for i, line in enumerate(page):
            if i in ends and _PAGE_NUMBER_RE.match(line):
                dropped.append(Dropped(len(lines) + 1, line.strip(), f"page number (page {number})"))
                lines.append("")
            else:
                lines.append(line)
    return Read(kind, "\n".join(lines), tuple(dropped), ocr, count)


def _ocr_page(page, name: str, number: int, count: int, legacy: bool = False) -> str:
    """One PDF page read by OCR (Vietnamese) from a grayscale render at OCR_DPI."""
    image = page.render(scale=OCR_DPI / 72, grayscale=True).to_pil()
    try:
        return _nfc(ocr.read_image(image))
    except ocr.OcrError as exc:
        why = ("has its text layer in a legacy Vietnamese font (TCVN3/VNI: \"Uû ban nh©n d©n\"), which cannot be "
               "read as text, so it" if legacy else "has no text layer (a scan) and")
        raise ReadError(f"{name}: page {number} of {count} {why} needs OCR, but {exc}") from None


# --- Word -----------------------------------------------------------------------------------------

def _check_ole(data: bytes, name: str) -> None:
    """Refuse an OLE2 file that is an encrypted Office file or not a Word document (Excel, PowerPoint)."""
    utf16 = lambda s: s.encode("utf-16-le")  # noqa: E731 (stream names in the OLE directory)
    if utf16("EncryptedPackage") in data or utf16("EncryptionInfo") in data:
        raise ReadError(f"{name}: is an encrypted (password-protected) Word file: ingest cannot read it. Open it "
                        "with its password and save it without one.")
    if utf16("WordDocument") not in data:
        raise ReadError(f"{name}: is an Office file that is not a Word document (Excel or PowerPoint?): save the "
                        "plan as .doc, .docx, .pdf or text.")


def _docx_text(data: bytes, name: str) -> str:
    """The text of a .docx in reading order (sitegen/ingest/word.py: list labels, text boxes, tables)."""
    try:
        lines = word.docx_lines(data, name)
    except word.WordError as exc:
        raise ReadError(str(exc)) from None
    text = _nfc("\n".join(lines))
    if not text.strip():
        raise ReadError(f"{name}: is a Word file with no text (a scanned image pasted in?): save the scan as PDF "
                        "and ingest the PDF, which is read by OCR.")
    return text


def _office_to_docx(data: bytes, name: str, kind: str) -> bytes:
    """A .doc or RTF file converted to .docx by LibreOffice in headless mode (a private profile, a time limit)."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        raise ReadError(f"{name}: is a Word 97-2003 (.{kind}) file; reading it needs LibreOffice, which is not "
                        f"installed: `apt-get install {OFFICE_PACKAGE}` (Debian/Ubuntu), or save it as .docx.")
    with tempfile.TemporaryDirectory(prefix="ingest-office-") as tmp:
        folder = Path(tmp)
        src = folder / f"in.{kind}"
        src.write_bytes(data)
        # The import filter is named: without it LibreOffice opens any bytes as plain text.
        infilter = "MS Word 97" if kind == "doc" else "Rich Text Format"
        cmd = [exe, f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--norestore",
               f"--infilter={infilter}", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"), str(src)]
        try:
            subprocess.run(cmd, capture_output=True, timeout=TOOL_TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise ReadError(f"{name}: LibreOffice took over {TOOL_TIMEOUT} s to read it: stopped.") from None
        out = folder / "out" / "in.docx"
        if not out.is_file() or out.stat().st_size == 0:
            raise ReadError(f"{name}: LibreOffice could not read this .{kind} file (damaged, or not a Word "
                            "document). Open it in Word or LibreOffice and save it as .docx.")
        return out.read_bytes()


# --- Web pages ------------------------------------------------------------------------------------

def _mhtml_part(data: bytes, name: str) -> bytes:
    """The HTML of a page saved as one file (MHTML, Chrome's "Webpage, single file")."""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            html = part.get_payload(decode=True) or b""
            charset = part.get_content_charset()
            if charset and charset.lower() not in ("utf-8", "utf8"):
                html = html.decode(charset, errors="replace").encode("utf-8")
            return html
    raise ReadError(f"{name}: is a saved web page (MHTML) without an HTML part: save the page again.")


_SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "object", "button", "select", "option"}
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "em", "font", "i", "kbd", "label", "mark", "q", "s", "small",
           "span", "strong", "sub", "sup", "time", "u", "var", "wbr", "img", "input"}


def _page_lines(root) -> list[tuple[int, str]]:
    """Every visible line of a page (block by block) with its line number in the saved file."""
    out: list[tuple[int, str]] = []
    current: list[str] = []
    line_no = [0]

    def flush():
        text = " ".join("".join(current).split())
        if text:
            out.append((line_no[0], text))
        current.clear()

    def walk(el):
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.lower() in _SKIP or not tag:
            if el.tail:
                current.append(el.tail)
            return
        block = tag.lower() not in _INLINE
        if block or tag.lower() == "br":
            flush()
            line_no[0] = el.sourceline or line_no[0]
        if not current:
            line_no[0] = el.sourceline or line_no[0]
        if el.text:
            current.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush()
        if el.tail:
            current.append(el.tail)

    walk(root)
    flush()
    return out


def _inline(el) -> str:
    """An element's text, a line break for <lb/> and before each paragraph nested in it (a table cell's lines)."""
    out = [el.text or ""]
    for child in el:
        if child.tag == "lb":
            out.append("\n")
        elif child.tag in ("p", "head", "item", "list", "quote"):
            out.append("\n" + _inline(child) + "\n")
        elif child.tag != "graphic":
            out.append(_inline(child))
        out.append(child.tail or "")
    return "".join(out)


def _cell_lines(cell) -> list[str]:
    return [line.strip() for line in _inline(cell).split("\n") if line.strip()]


def _table_lines(table) -> list[str]:
    """The lines of a table of trafilatura's XML (its rows and cells)."""
    return table_lines([[_cell_lines(c) for c in row if c.tag == "cell"] for row in table if row.tag == "row"])


def _main_text(xml: str) -> str:
    """trafilatura's XML of the main content as lines: paragraphs, list items and headings one a line."""
    from lxml import etree

    main = etree.fromstring(xml.encode()).find("main")
    lines: list[str] = []
    for el in main if main is not None else ():
        if el.tag == "table":
            lines += _table_lines(el)
        elif el.tag == "list":
            lines += [line for item in el for line in _inline(item).split("\n")]
        elif el.tag != "graphic":
            lines += _inline(el).split("\n")
    return "\n".join(line.strip() for line in lines if line.strip())


def _html(data: bytes, name: str) -> Read:
    """A saved page's main text (trafilatura); the page's other lines are reported as dropped, each with why."""
    import lxml.html
    import trafilatura

    try:
        root = lxml.html.document_fromstring(data)
    except (ValueError, lxml.etree.LxmlError) as exc:
        raise ReadError(f"{name}: is not a readable web page ({exc}).") from None
    xml = trafilatura.extract(data, output_format="xml", include_tables=True, include_comments=False,
                              include_links=False, include_images=False, include_formatting=False, favor_recall=True,
                              deduplicate=False, with_metadata=False)
    main = _main_text(xml) if xml else ""
    if not main.strip():
        raise ReadError(f"{name}: is a web page with no main text (an index, a login or an error page?): save the "
                        "page that shows the plan's text.")
    text = _nfc(main)
    kept = " ".join(text.split())
    dropped = []
    seen = set()
    for line, block in _page_lines(root.body if root.find("body") is not None else root):
        block = _nfc(block)
        if block in kept or block in seen:
            continue
        seen.add(block)
        dropped.append(Dropped(line, block[:300], noise(block) or "not the page's main text (menu, list or notice)"))
    return Read("html", text, tuple(dropped))


__all__ = ["KINDS", "SNIFFED", "MAX_DOCUMENT_BYTES", "Read", "ReadError", "read_document", "sniff"]
