"""Find the citations of legal instruments in a text, by number or by name, each with its sentence.

A citation is a type word, a number (số, ký hiệu), then optionally a date and an issuer:
"Chỉ thị số 36-CT/TW ngày 16/8/2019 của Bộ Chính trị" (forms.py: how numbers and issuers are
written). A number is a citation after a type word (garbles such as "Chthị" read as their type),
after a list head ("các Quyết định của Thủ tướng Chính phủ: số ..."), continuing a list after ","
";" or "và", or anywhere when written in a standard form with a known type abbreviation
(1452/QĐ-TTg, 116/2021/NĐ-CP, 36-CT/TW: the symbol says its type). So "Đội kiểm tra liên ngành
178", "Phụ biểu 01", years and Bộ pháp điển codes ("Điều 6.4.NĐ.1.2.") are never citations. The
type word "văn bản" takes its type from the symbol (KH -> Kế hoạch), else it is a Công văn.
Luật and Pháp lệnh cited by name get level "Quốc hội".

Dates. "16/8/2019", "16-8-2019" or "ngày 28 tháng 9 năm 2021", after a comma or not. A year
segment or "năm 2013" is never made into a date: ``issued`` is None unless the text gives day,
month and year right after the number (or after the issuer).

Not citations: the plan's own number (``own_number``, else read from its "Số:" line, a "Số
hiệu" metadata line or a database title line "Kế hoạch 27/KH-UBND ..."), and website material,
known by its shape: metadata key lines ("Số hiệu", "Ngày ban hành", ...), the one title line
above them, and related-document entries ending "Ban hành: dd/mm/yyyy | Cập nhật: ...".
"""
from __future__ import annotations

import bisect
import datetime
import functools
import itertools
import re
import unicodedata
from pathlib import Path

from ..checks import read_capped
from ..load import MAX_FILE_BYTES
from ..model import UNKNOWN, Citation
from .forms import (ABBR_TYPE, ISSUED_WITH_RE, NUMBER_RE, VN_LOWER, agency_of, fold_tones, match_issuer, name_key,
                    normalize_number, subject_number, symbol_parts, ws_pattern)

# --- type words and what follows a number -------------------------------------------------------
_TYPES = (("chương trình hành động", "Chương trình hành động"), ("chương trình", "Chương trình"),
          ("thông tư liên tịch", "Thông tư liên tịch"), ("ngh[iị]\\s*quy[eếê]t", "Nghị quyết"),
          ("ch[ỉi]?\\s*th[ịi]", "Chỉ thị"), ("quy[eếê]t\\s*đ[iị]nh", "Quyết định"),
          ("ngh[iị]\\s*đ[iị]nh", "Nghị định"), ("thông tư", "Thông tư"), ("k[eế]\\s*ho[aạ]ch", "Kế hoạch"),
          ("kết luận", "Kết luận"), ("công văn", "Công văn"), ("văn bản", "văn bản"), ("hướng dẫn", "Hướng dẫn"),
          ("bộ luật", "Bộ luật"), ("(?<!pháp\\s)luật", "Luật"), ("pháp lệnh", "Pháp lệnh"),
          ("thông báo", "Thông báo"), ("thông tri", "Thông tri"), ("quy định", "Quy định"), ("quy chế", "Quy chế"),
          ("đề án", "Đề án"), ("tờ trình", "Tờ trình"), ("báo cáo", "Báo cáo"), ("công điện", "Công điện"))
_TYPE_ALT = "|".join(f"(?P<t{i}>{ws_pattern(rx)})" for i, (rx, _) in enumerate(_TYPES))
TYPE_BEFORE_RE = re.compile(rf"(?<![^\W_])(?:{_TYPE_ALT})(?:\s*số(?:\s+hiệu)?)?\s*:?\s*$", re.I)
LIST_HEAD_RE = re.compile(rf"(?<![^\W_])(?:các|những)\s+(?:{_TYPE_ALT})"
                          rf"(?:\s+(?:của|do)\s+(?P<who>[^:;.]{{3,90}}?))?\s*:\s*(?:số\s*:?\s*)?$", re.I)
LIST_NEXT_RE = re.compile(r"\s*(?:[,;]\s*(?:và\s+)?|và\s+)(?:số\s*:?\s*)?", re.I)
ITEM_SO_RE = re.compile(r"(?:số\s*:?\s*)?$", re.I)
ISSUER_BEFORE_RE = re.compile(r"(?<![^\W_])(?:của|do)\s+(?P<who>[^;.]{3,90}?)\s+tại\s+$", re.I)
DATE_RE = re.compile(r"\s*,?\s*(?:(?:ban\s+hành\s+)?ngày\s*)?(?:(?P<d>\d{1,2})\s*(?P<s>[/.-])\s*(?P<m>\d{1,2})"
                     r"\s*(?P=s)\s*(?P<y>\d{4})|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))"
                     r"(?!\d)", re.I)
OF_RE = re.compile(r"\s*,?\s*(?:của|do)\s+", re.I)

# --- website material, own number, sentences ----------------------------------------------------
META_LINE_RE = re.compile(r"^[ \t]*(?:Số hiệu|Ngày ban hành|Ngày có hiệu lực|Ngày hiệu lực|Ngày hết hiệu lực|"
                          r"Ngày công báo|Số công báo|Loại văn bản|Cơ quan ban hành|Nơi ban hành|Người ký|"
                          r"Lĩnh vực|Tình trạng(?: hiệu lực)?)(?![^\W_])[^\n]*", re.M)
RELATED_RE = re.compile(r"Ban\s+hành\s*:\s*\d{1,2}/\d{1,2}/\d{4}\s*Cập\s+nhật\s*:\s*"
                        r"(?:\d{1,2}/\d{1,2}/\d{4}|Đang\s+cập\s+nhật)", re.I)
# Where a document itself begins: its header (the issuing body, the national motto), its "Số:" line,
# or its type alone in capitals. One definition, shared with ingest's cleaning (sitegen/ingest/clean.py
# builds its HEADER_RE, NUMBER_LINE_RE and TYPE_TITLE_RE from these).
HEADER_START = (r"ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|HỘI ĐỒNG NHÂN DÂN|TỈNH ỦY|TỈNH UỶ|ĐẢNG CỘNG SẢN|BAN CHỈ ĐẠO|SỞ "
                r"|CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI")
NUMBER_LINE = r"Số\s*:"
TYPE_TITLE = r"KẾ HOẠCH|QUYẾT ĐỊNH|CHƯƠNG TRÌNH(?: HÀNH ĐỘNG)?|ĐỀ ÁN|CHỈ THỊ|NGHỊ QUYẾT|HƯỚNG DẪN|PHƯƠNG ÁN"
# In a copied web page, what is shown above the document's first such line (its title, metadata, a
# list of related documents) is not the document.
DOC_START_RE = re.compile(rf"^[ \t|]*(?:(?:{HEADER_START})|{NUMBER_LINE}|(?:{TYPE_TITLE})[ \t|]*$)", re.M)
OWN_RE = re.compile(r"^[ \t]*Số(?:\s*:|\s+hiệu\s*:?)\s*(?=\d)", re.M)
TITLE_LINE_RE = re.compile(rf"\s*(?:{_TYPE_ALT})\s+(?=\d)", re.I)
# A sentence ends at . ! ? ; before white space, or at a line break before a line that does not
# continue it (a lower-case start continues it: database copies break sentences at page ends).
_BREAK_RE = re.compile(rf"[.!?;](?=\s|$)|\n(?=[ \t|]*[^\sa-z{VN_LOWER}])")


def _prepare(text: str) -> tuple[str, list[int] | None]:
    """The text to match on (NFC, pipes as spaces, tones folded) and where each char came from."""
    pos = None
    if not unicodedata.is_normalized("NFC", text):
        # Compose each letter with its marks, remembering where every composed char came from.
        parts, pos = [], []
        for m in re.finditer(r"(?s).[\u0300-\u036f]*", text):
            parts.append(unicodedata.normalize("NFC", m.group()))
            pos += [m.start()] * len(parts[-1])
        text = "".join(parts)
    # One character for one: positions are kept (str.replace is a search in C; str.translate was a
    # tenth of finding a plan's citations, profiled).
    return fold_tones(text.replace("|", " ").replace("\u200b", " ").replace("\ufeff", " ")), pos


def _date_at(flat: str, pos: int) -> tuple[int, str] | None:
    """(end, YYYY-MM-DD) of a real date written at ``pos`` (31/2 is none), or None."""
    if not (m := DATE_RE.match(flat, pos)):
        return None
    d, mo, y = (m["d"], m["m"], m["y"]) if m["d"] else (m["d2"], m["m2"], m["y2"])
    try:
        return m.end(), datetime.date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None


def _tail(flat: str, end: int, province: str | None) -> tuple[int, str | None, tuple | None]:
    """What follows a number, date and "của <issuer>" in either order: (end, issued, (issuer, level))."""
    issued = None
    if d := _date_at(flat, end):
        end, issued = d
    o = OF_RE.match(flat, end)
    if not (hit := match_issuer(flat, o.end(), province) if o else None):
        return end, issued, None
    end = hit[0]
    if not issued and (d := _date_at(flat, end)):
        end, issued = d
    return end, issued, hit[1:]


def _excluded(flat: str) -> list[tuple[int, int]]:
    """Spans of website material: metadata lines, the database title line, related-document lists."""
    spans = [m.span() for m in META_LINE_RE.finditer(flat)]
    if spans:
        lines = list(re.finditer(r"[^\n]*\S[^\n]*", flat[:spans[0][0]]))
        if len(lines) == 1:  # the database's own title, right above its metadata block
            spans.append(lines[0].span())
    prev = None
    for m in RELATED_RE.finditer(flat):
        start = flat.rfind("\n", 0, m.start()) + 1
        if prev is not None and not re.search(r"\n\s*\n", flat[prev:m.start()]):
            start = min(start, prev)  # an entry wrapped over lines continues the previous one
        spans.append((start, m.end()))
        prev = m.end()
    return spans


def _overlap_test(spans: list[tuple[int, int]]):
    """A function telling whether [s, e) overlaps any of ``spans`` (in log time: texts can be long)."""
    spans = sorted(spans)
    starts, reach = [a for a, _ in spans], list(itertools.accumulate((b for _, b in spans), max))
    return lambda s, e: (i := bisect.bisect_left(starts, e)) > 0 and reach[i - 1] > s


_LEDE_RE = re.compile(r"(?:(?:ban hành|hội nghị triển khai)\s+(?:Kế hoạch|Quyết định|Chương trình|Đề án)|(?-i:Theo) Kế hoạch"
                      r"|(?:đặt ra|đề ra) tại (?:Kế hoạch|Quyết định))"
                      r"\s+(?:số\s*)?$", re.I)


def _own_number(flat: str) -> str | None:
    """The document's own number: its "Số:" line, a title line "Kế hoạch 27/KH-UBND ...", the decision a plan
    copied without its header says it was issued with, or the plan a news item (no national motto) reports on."""
    for m in OWN_RE.finditer(flat):
        if n := NUMBER_RE.match(flat, m.end()):
            return normalize_number(n.group())
    first = re.search(r"\S[^\n]*", flat)
    m = TITLE_LINE_RE.match(first.group()) if first else None
    n = NUMBER_RE.match(first.group(), m.end()) if m else None
    if n:
        return normalize_number(n.group())
    lines = [t.strip() for t in flat.split("\n") if t.strip()]
    for line in lines[:12]:
        if (m := ISSUED_WITH_RE.match(line)) and (n := NUMBER_RE.match(line, m.end())):
            return normalize_number(n.group())
    if not re.search(r"CỘNG\s+H[OÒ]A\s+XÃ\s+HỘI", flat, re.I):
        n = subject_number([t for t in lines if len(t) >= 40][:3])
        # Only a plan the lede announces ("ban hành Kế hoạch số", "triển khai ...", "Theo Kế hoạch số"): a
        # citation alone ("theo Quyết định số 1452/QĐ-TTg ...") is no news item.
        if n and _LEDE_RE.search(n.string[max(0, n.start() - 40):n.start()]):
            return normalize_number(n.group())
    return None


def _type_of(m: re.Match, number: str) -> str:
    written = next(_TYPES[int(k[1:])][1] for k, v in m.groupdict().items() if v and re.fullmatch(r"t\d+", k))
    if written == "văn bản":
        kind = symbol_parts(number)[0]
        return ABBR_TYPE.get(kind, "Công văn") if kind else "Công văn"
    return written


def _standard_type(number: str) -> str | None:
    """The type a number in standard form states with no type word before it, or None.

    N/YYYY/TYPE-ISSUER, N/TYPE-ISSUER and N-TYPE/ISSUER with a known type abbreviation and an
    issuer part: "1452/QĐ-TTg", "116/2021/NĐ-CP", "36-CT/TW". A công văn's symbol (275/LĐTBXH-X)
    has no type part and is not taken without its type word."""
    kind, agency = symbol_parts(number)
    return ABBR_TYPE.get(kind) if kind and agency and not agency[0].isdigit() else None


def _shared_for(shared: tuple | None, number: str, province: str | None) -> tuple | None:
    """A list head's (issuer, level) for one item of the list, unless the item's own symbol names
    another level: "các Quyết định của Thủ tướng Chính phủ: số 1452/QĐ-TTg, số 71/KH-UBND" lists the
    province's own plan (UBND) after the Prime Minister's decisions; the symbol is the document's own."""
    own = agency_of(number, province)
    return None if shared and own[1] and own[1] != shared[1] else shared


def _issuer_between(flat: str, a: int, b: int, province: str | None) -> tuple[str, str | None] | None:
    """(issuer, level) when flat[a:b] is exactly one issuer's name."""
    hit = match_issuer(flat, a, province)
    return hit[1:] if hit and hit[0] == b else None


def document_start(text: str) -> int:
    """Where the document begins in a copied web page (0 when nothing is above its first header line)."""
    m = DOC_START_RE.search(fold_tones(text))
    return m.start() if m else 0


def extract(text: str, *, own_number: str | None = None, province: str | None = None,
            names: dict[str, tuple[str, str]] | None = None, page: bool = False) -> list[Citation]:
    """Every citation of an instrument in ``text``, by number or by name (``names``: the corpus'
    alias table, see names_from_data; none without it), by position. ``page``: the text is a copied
    web page, whose material above the document's first header line (document_start) is not cited."""
    flat, pos = _prepare(text)
    orig = (lambda i: i) if pos is None else (lambda i: pos[i] if i < len(pos) else len(text))
    own = normalize_number(own_number) if own_number and own_number != UNKNOWN else _own_number(flat)
    found: list[tuple] = []  # (start, end, number, type, issued, issuer, level) in flat offsets
    shared = None  # the (issuer, level) a list head gives its items
    for m in NUMBER_RE.finditer(flat):
        number, near = normalize_number(m.group()), flat[max(0, m.start() - 60):m.start()]
        if t := TYPE_BEFORE_RE.search(near):
            start, ctype, shared = m.start() - len(near) + t.start(), _type_of(t, number), None
        else:
            start = m.start() - len(ITEM_SO_RE.search(near).group())  # a list item starts at its "số"
            window = flat[max(0, m.start() - 200):m.start()]
            if head := LIST_HEAD_RE.search(window):
                base = m.start() - len(window)
                ctype = _type_of(head, number)
                shared = head["who"] and _issuer_between(flat, base + head.start("who"), base + head.end("who"),
                                                         province)
            elif found and found[-1][1] <= m.start() and LIST_NEXT_RE.fullmatch(flat, found[-1][1], m.start()):
                ctype = _standard_type(number) or found[-1][3]  # "... 116/2021/NĐ-CP và 36-CT/TW": its own type
            elif standard := _standard_type(number):
                # "theo 1452/QĐ-TTg": the symbol says what it is; no list goes on here, so no list
                # head's issuer reaches it.
                ctype, start, shared = standard, m.start(), None
            else:
                continue
        end, issued, who = _tail(flat, m.end(), province)
        if who is None and t and (b := ISSUER_BEFORE_RE.search(seg := flat[max(0, start - 100):start])):
            base = start - len(seg)  # "của Sở X tại văn bản số ...": the issuer comes first
            who = _issuer_between(flat, base + b.start("who"), base + b.end("who"), province)
        who = who or (None if t else _shared_for(shared, number, province)) or agency_of(number, province)
        found.append((start, end, number, ctype, issued, *who))
    skipped = _overlap_test(_excluded(flat) + ([(0, document_start(flat))] if page else []))
    out = [Citation(n, ty, iss, who, lev, text[orig(s):orig(e)], orig(s), orig(e),
                    sentence=sentence_around(text, orig(s), orig(e)))
           for s, e, n, ty, iss, who, lev in found if n != own and not skipped(s, e)]
    taken = _overlap_test([(c.start, c.end) for c in out])
    for s, e, ident, ctype in _find_names(flat, names or {}):
        s0, e0 = orig(s), orig(e)
        if not taken(s0, e0) and not skipped(s, e):
            level = "Quốc hội" if ctype in ("Luật", "Bộ luật", "Pháp lệnh") else None
            out.append(Citation(None, ctype, None, None, level, text[s0:e0], s0, e0, legal_id=ident,
                                sentence=sentence_around(text, s0, e0)))
    return sorted(out, key=lambda c: (c.start, c.end))


def sentence_around(text: str, start: int, end: int) -> str:
    """The verbatim sentence (or ';' clause) of ``text`` that holds text[start:end]."""
    lo = max(0, start - 3000)  # a bound keeps long texts linear; no real sentence is longer
    # The last break before the citation: looked for in the 300 characters before it first (a
    # break is one character, found there exactly when found from `lo`), which nearly always hold
    # one; scanning all 3000 for each citation was a twentieth of reading a plan, profiled.
    a = None
    for window in ((start - 300, lo) if start - 300 > lo else (lo,)):
        for m in _BREAK_RE.finditer(text, window, start):
            a = m
        if a is not None:
            break
    a = lo if a is None else a.end()
    hi = min(len(text), end + 3000)
    b = next((m.start() + (m.group() != "\n") for m in _BREAK_RE.finditer(text, end, hi)), hi)
    return text[a:b].strip(" \t\n|")

# --- names without a number -------------------------------------------------------------------
@functools.lru_cache(maxsize=8)
def _names_re(keys: tuple[str, ...]) -> re.Pattern:
    alts = (r"\s+".join(map(re.escape, k.split())).replace(r",\s+", r"\s*,\s*").replace(r"\s+\-\s+", r"\s*[-–]\s*")
            for k in sorted(keys, key=lambda k: (-len(k), k)))  # longest first: "... năm 2021" before "..."
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(alts)})(?![^\W_])", re.I)


def _find_names(flat: str, names: dict[str, tuple[str, str]]) -> list[tuple[int, int, str, str]]:
    table = {name_key(n): v for n, v in names.items()}
    if not table:
        return []
    return [(m.start(), m.end(), *table[name_key(m.group())]) for m in _names_re(tuple(sorted(table))).finditer(flat)]


# --- documents read from a file ---------------------------------------------------------------
def read_document(path: str | Path) -> str:
    """A UTF-8 text file as the corpus loader reads it (no BOM, LF, NFC); OSError or ValueError if bad."""
    data = read_capped(Path(path), MAX_FILE_BYTES, "a document")  # no pipe, no device, as a corpus file
    if b"\x00" in data:
        raise ValueError("contains NUL bytes: a binary file (or UTF-16), not UTF-8 text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"is not UTF-8 (byte 0x{data[exc.start]:02X} at offset {exc.start}); "
                         "convert it to UTF-8 (it may be Windows-1258 or another legacy encoding)") from None
    if not text.strip():
        raise ValueError("is empty")
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
