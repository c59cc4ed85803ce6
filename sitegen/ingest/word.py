"""Word files (.docx) as text: paragraphs and tables in reading order, with what python-docx leaves out.

python-docx gives a paragraph's text without the label of Word's automatic list numbering ("II.", "1.",
"a)", "-"), and without the text of text boxes and shapes (a header's "Số: 12/KH-UBND" set in a box).
Both are read here: the labels are counted from the document's numbering definitions (word/numbering.xml,
through the paragraph's own numbering or its style's) as Word shows them, and a text box's paragraphs
come just before the paragraph the box is anchored to. Tables are laid out by table_lines, which the
saved web pages' tables share.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from .clean import END_RE, HEADER_RE, NUMBER_LINE_RE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# A .docx unpacking to more than this (or with more parts) is refused: a zip bomb, not a plan.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_PARTS = 5000
# A list label in a table's first column ("1.", "II.", "a)", "-"): the row is one item of a list set as a table.
_LABEL_CELL = re.compile(r"^(?:[IVXLC]+\.?|\d{1,3}(?:\.\d{1,3})*[.)]?|[a-zđ][.)]|[-+•*–])$", re.I)
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"),
          (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


class WordError(ValueError):
    """A .docx that cannot be read (damaged, a zip bomb, not a Word document): the message names the file."""


def check_zip(data: bytes, name: str) -> None:
    """Refuse a .docx that is no zip, lacks its document part, or would unpack to too much (a zip bomb)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise WordError(f"{name}: is a damaged Word (.docx) file: {exc}. Open it in Word or LibreOffice and save "
                        "it again.") from None
    if len(infos) > MAX_ZIP_PARTS:
        raise WordError(f"{name}: is a zip archive of {len(infos)} parts: not a Word document.")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise WordError(f"{name}: would unpack to {total / 1048576:.0f} MB (a zip bomb?): a Word document of a plan "
                        f"is far smaller; ingest unpacks at most {MAX_UNZIPPED_BYTES // 1048576} MB. Not read.")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        kind = ("an Excel workbook" if "xl/workbook.xml" in names else "a PowerPoint file" if "ppt/presentation.xml"
                in names else "an OpenDocument file" if "mimetype" in names else "a zip archive")
        raise WordError(f"{name}: is {kind}, not a Word document: save the plan as .docx, .pdf or text.")
    bad = zf.testzip()
    if bad is not None:
        raise WordError(f"{name}: is a damaged Word (.docx) file: its part {bad} is corrupt. Open it in Word or "
                        "LibreOffice and save it again.")


def docx_lines(data: bytes, name: str) -> list[str]:
    """The lines of a .docx in reading order: numbered paragraphs with their labels, text boxes, tables."""
    check_zip(data, name)
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    try:
        document = docx.Document(io.BytesIO(data))
        numbering = Numbering(document)
        lines: list[str] = []
        _blocks(document, lines, numbering)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile, LxmlError) as exc:
        raise WordError(f"{name}: is a damaged Word file ({type(exc).__name__}: {str(exc)[:120]}). Open it in Word "
                        "or LibreOffice and save it again.") from None
    return lines


# --- automatic list numbering ---------------------------------------------------------------------

@dataclass(frozen=True)
class Level:
    """One level of a list definition: its first number, number format, label pattern and what follows it."""

    start: int
    fmt: str  # decimal, upperRoman, lowerLetter, bullet, none ...
    text: str  # "%1.", "%1.%2.", "%2)", "-"
    suffix: str  # "tab", "space" or "nothing"
    legal: bool  # isLgl: every number of the label in decimal
    restart: int | None  # lvlRestart: restart after this level (0: never); None: after any higher level


def _val(el, tag: str, default=None):
    child = el.find(W + tag) if el is not None else None
    return child.get(W + "val", default) if child is not None else default


def _int(text, default: int) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return default


def _bullet(lvl) -> str:
    """A bullet level's sign as shown: a glyph of a symbol font (Symbol's or Wingdings' "l", "§", private-use
    code points) is a bullet "•"; a sign of a text font ("-", "+", "o" of Courier New) is itself."""
    text = _val(lvl, "lvlText", "")
    fonts = lvl.find(f"{W}rPr/{W}rFonts")
    font = (fonts.get(W + "ascii") or fonts.get(W + "hAnsi") or "") if fonts is not None else ""
    symbol = re.match(r"symbol$|wingdings", font.strip(), re.I) and text.strip() not in ("-", "+", "*")
    return "".join("•" if symbol or 0xE000 <= ord(c) <= 0xF8FF else c for c in text)


def _levels(parent) -> dict[int, Level]:
    out = {}
    for lvl in parent.iter(W + "lvl"):
        restart = _val(lvl, "lvlRestart")
        fmt = _val(lvl, "numFmt", "decimal")
        out[_int(lvl.get(W + "ilvl"), 0)] = Level(
            _int(_val(lvl, "start"), 0), fmt, _bullet(lvl) if fmt == "bullet" else _val(lvl, "lvlText", ""),
            _val(lvl, "suff", "tab"), lvl.find(W + "isLgl") is not None and _val(lvl, "isLgl", "1") not in ("0", "false"),
            None if restart is None else _int(restart, 0))
    return out


def _format(n: int, fmt: str) -> str:
    """A counter as Word writes it in a format."""
    if fmt in ("upperRoman", "lowerRoman"):
        out, left = "", max(n, 0)
        for value, digits in _ROMAN:
            while left >= value:
                out, left = out + digits, left - value
        return out.upper() if fmt == "upperRoman" else out
    if fmt in ("upperLetter", "lowerLetter") and n > 0:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # a..z, aa..zz as Word counts
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


class Numbering:
    """The labels of Word's automatic list numbering, counted paragraph by paragraph in reading order."""

    def __init__(self, document):
        from docx.opc.constants import RELATIONSHIP_TYPE as RT

        try:
            root = document.part.part_related_by(RT.NUMBERING).element
        except KeyError:  # no list in the document
            root = None
        abstract = {a.get(W + "abstractNumId"): _levels(a) for a in (root.iter(W + "abstractNum") if root is not None
                                                                      else ())}
        self.nums: dict[str, dict[int, Level]] = {}
        self.starts: dict[str, dict[int, int]] = {}
        for num in root.iter(W + "num") if root is not None else ():
            levels = dict(abstract.get(_val(num, "abstractNumId"), {}))
            starts = {}
            for over in num.iter(W + "lvlOverride"):
                ilvl = _int(over.get(W + "ilvl"), 0)
                levels.update(_levels(over))
                if (start := _val(over, "startOverride")) is not None:
                    starts[ilvl] = _int(start, 1)
            self.nums[num.get(W + "numId")] = levels
            self.starts[num.get(W + "numId")] = starts
        self.styles = {s.get(W + "styleId"): s for s in document.styles.element.iter(W + "style")}
        self.counts: dict[str, dict[int, int]] = {}

    def _style_num(self, style_id: str | None) -> tuple[str | None, str | None]:
        """(numId, ilvl) a paragraph style gives, following its basedOn chain."""
        seen = set()
        while style_id and style_id not in seen and style_id in self.styles:
            seen.add(style_id)
            style = self.styles[style_id]
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                return _val(num_pr, "numId"), _val(num_pr, "ilvl")
            style_id = _val(style, "basedOn")
        return None, None

    def label(self, p) -> tuple[str, str]:
        """(label, what separates it from the text) of a paragraph element (w:p); ("", "") when not numbered."""
        ppr = p.find(W + "pPr")
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        num_id, ilvl = (_val(num_pr, "numId"), _val(num_pr, "ilvl")) if num_pr is not None else (None, None)
        if num_id is None:
            num_id, style_ilvl = self._style_num(_val(ppr, "pStyle"))
            ilvl = ilvl if ilvl is not None else style_ilvl
        level_no = _int(ilvl, 0)
        levels = self.nums.get(num_id or "0")
        if not levels or level_no not in levels:
            return "", ""
        counts = self.counts.setdefault(num_id, {})
        level = levels[level_no]
        counts[level_no] = counts[level_no] + 1 if level_no in counts else \
            self.starts[num_id].get(level_no, level.start)
        for deeper in [k for k in counts if k > level_no]:
            if levels.get(deeper) is None or levels[deeper].restart != 0:
                del counts[deeper]
        if level.fmt == "bullet":
            text = level.text
        elif level.fmt == "none":
            text = ""
        else:
            def number(m: re.Match) -> str:
                k = int(m[1]) - 1
                lv = levels.get(k, level)
                return _format(counts.get(k, lv.start), "decimal" if level.legal else lv.fmt)
            text = re.sub(r"%([1-9])", number, level.text)
        return text.strip(), {"space": " ", "nothing": ""}.get(level.suffix, " ")


# --- paragraphs, text boxes, tables ---------------------------------------------------------------

def _blocks(container, lines: list[str], numbering: Numbering) -> None:
    """Append a document's (or a table cell's, or a text box's) paragraphs and tables, in order."""
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(table_lines(_table_rows(block, numbering)))
        else:
            _paragraph(block, lines, numbering)


def _table_rows(table, numbering: Numbering) -> list[list[list[str]]]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column it spans
                continue
            seen.add(id(cell._tc))
            inner: list[str] = []
            _blocks(cell, inner, numbering)
            cells.append([line.strip() for line in inner if line.strip()])
        rows.append(cells)
    return rows


def _paragraph(paragraph, lines: list[str], numbering: Numbering) -> None:
    """A paragraph's lines: the text boxes anchored in it first, then its numbering label and text."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    for box in paragraph._p.iter(W + "txbxContent"):
        if any(a.tag == _MC_FALLBACK for a in box.iterancestors()):
            continue  # the same box again, in the VML kept for old readers
        if any(a.tag == W + "txbxContent" for a in box.iterancestors()):
            continue  # a box inside a box: read with its outer box
        for child in box:
            if child.tag == W + "p":
                _paragraph(Paragraph(child, paragraph._parent), lines, numbering)
            elif child.tag == W + "tbl":
                lines.extend(table_lines(_table_rows(Table(child, paragraph._parent), numbering)))
    label, gap = numbering.label(paragraph._p)
    text = paragraph.text
    if label and text.strip():
        text = label + gap + text.lstrip()
    lines.extend(_paragraph_lines(text))


def _paragraph_lines(text: str) -> list[str]:
    """A Word paragraph as lines: a tab between two phrases (a header set with tabs) starts a new line."""
    out = []
    for line in text.split("\n"):
        parts = [p for p in re.split(r"\t+", line)]
        if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts[:-1]):
            out.extend(p.strip() for p in parts)
        else:
            out.append(" ".join(p.strip() for p in parts) if len(parts) > 1 else line)
    return out


def _layout_cell(lines: list[str]) -> bool:
    """Whether a cell is part of a document's header or signature block (set as a two-column table)."""
    first = lines[0] if lines else ""
    return bool(HEADER_RE.match(first) or NUMBER_LINE_RE.match(first) or END_RE.match(first)
                or re.match(r"Độc lập\s*-|Nơi nhận", first))


def table_lines(rows: list[list[list[str]]]) -> list[str]:
    """A table's lines from its rows of cells (each a list of lines).

    The document's header and its signature block, set as two-column tables (told by a cell of their first
    row: issuer, motto, "Số:", "Nơi nhận", signature), are read column by column (as a copy from the page gives
    them); a table without a header row is read row by row as what it holds: a
    one-column table (a boxed paragraph) and a row with one filled cell (a caption across the table) as plain
    lines, a two-column list whose first column is a label ("1." | "Mục tiêu") one item a line; any other
    table row by row, its cells between bars (as ingest reads a copied table)."""
    rows = [r for r in rows if any(r)]
    if rows and len(rows) <= 8 and all(len(r) == 2 for r in rows) and any(_layout_cell(c) for c in rows[0]):
        return [line for r in rows for line in r[0]] + [line for r in rows for line in r[1]]
    out = []
    for r in rows:
        filled = [c for c in r if c]
        if len(filled) == 1:
            out.extend(filled[0])
        elif len(r) == 2 and len(r[0]) == 1 and _LABEL_CELL.match(r[0][0]) and r[1]:
            out.append(f"{r[0][0]} {r[1][0]}")
            out.extend(r[1][1:])
        else:
            out.append("| " + " | ".join(" ".join(c) for c in r) + " |")
    return out
