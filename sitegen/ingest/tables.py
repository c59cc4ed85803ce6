"""Targets in a table (an annex of indicators), one row a line with its cells joined by " | ".

A header row names the columns ("STT | Chỉ tiêu | Đơn vị tính | Năm 2024"); each data row gives an
indicator, its unit and one value per target column. A column headed by a year, "Kế hoạch", "Chỉ
tiêu" or "Mục tiêu" holds targets (its year is their deadline); one headed "Thực hiện", "Kết quả" or
"Ước" holds results. The quote is the row from the indicator's cell to the value's cell, verbatim.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_NUM = re.compile(r"^\s*(\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)\s*%?\s*$")
_HEAD_WORDS = re.compile(r"(?:^|\s)(?:STT|TT|Chỉ tiêu|Nội dung|Đơn vị tính|ĐVT|Đơn vị)(?:\s|$)", re.I)
_UNIT_HEAD = re.compile(r"đơn vị tính|^đvt$|^đơn vị$", re.I)
_TARGET_HEAD = re.compile(r"năm\s+(?:19|20)\d\d|kế hoạch|chỉ tiêu|mục tiêu|giai đoạn|đến năm", re.I)
_RESULT_HEAD = re.compile(r"thực hiện|kết quả|ước|đạt được|so sánh|tỷ lệ %", re.I)
_YEAR = re.compile(r"((?:19|20)\d\d)(?!.*(?:19|20)\d\d)")


@dataclass(frozen=True)
class Cell:
    """One value cell of a data row: where it is, what it holds, and what its column says."""

    value: str
    start: int  # offset of the quote (the indicator's cell) in the row
    end: int  # offset after the value
    indicator: str
    unit: str
    deadline: int | None
    result: bool


def cells_of(row: str) -> list[tuple[int, int, str]]:
    """The cells of a row as (start, end, text), text stripped, offsets in the row."""
    out, pos = [], 0
    for part in row.split("|"):
        text = part.strip()
        lead = len(part) - len(part.lstrip())
        out.append((pos + lead, pos + lead + len(text), text))
        pos += len(part) + 1
    return out


def is_row(par: str) -> bool:
    """Whether a paragraph is a table row (at least three cells)."""
    return par.count(" | ") >= 2


def is_header(par: str) -> bool:
    """Whether a table row names its columns."""
    return is_row(par) and len(_HEAD_WORDS.findall(par)) >= 2 and not any(_NUM.match(c[2]) for c in cells_of(par))


def row_values(row: str, header: str | None) -> list[Cell]:
    """The target or result values of one data row, read with its table's header row."""
    cells = cells_of(row)
    heads = [c[2] for c in cells_of(header)] if header else []
    if len(heads) != len(cells):
        heads = [""] * len(cells)
    texts = [c[2] for c in cells]
    unit_col = next((i for i, h in enumerate(heads) if _UNIT_HEAD.search(h)), None)
    # The indicator: the longest cell that is not a number (the STT cell and the unit are short).
    name_col = max((i for i, t in enumerate(texts) if t and not _NUM.match(t) and i != unit_col),
                   key=lambda i: len(texts[i]), default=None)
    if name_col is None:
        return []
    unit = texts[unit_col] if unit_col is not None else ""
    out = []
    for i, (start, end, text) in enumerate(cells):
        if i <= name_col or i == unit_col or not _NUM.match(text):
            continue
        head = heads[i]
        if heads[i] == "" and header:
            continue
        if not header and i != len(cells) - 1 and any(_NUM.match(t) for t in texts[i + 1:]):
            continue  # without a header only the last number is read
        year = _YEAR.search(head)
        out.append(Cell(_NUM.match(text)[1], cells[name_col][0], end, texts[name_col], unit,
                        int(year[1]) if year else None,
                        bool(_RESULT_HEAD.search(head)) and not re.search(r"kế hoạch|chỉ tiêu", head, re.I)))
    return out


def unit_code(unit: str, indicator: str, value_text: str) -> str:
    """The corpus unit of a table value from its unit cell ('%', 'người', 'lớp') and its indicator's words."""
    if unit.strip() == "%" or value_text.endswith("%") or re.match(r"tỷ lệ", indicator, re.I):
        return "percent_reduction" if re.search(r"(?<![^\W_])giảm(?![^\W_])", indicator, re.I) else "percent"
    if re.fullmatch(r"lượt người", unit.strip(), re.I):
        return "episodes"
    if re.fullmatch(r"người", unit.strip(), re.I):
        return "people"
    return "units"
