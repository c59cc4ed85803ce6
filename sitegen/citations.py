"""Find the legal instruments (văn bản) a plan cites, and tie each to one registry entry.

A citation is a type word, a number (số, ký hiệu), then optionally a date and an issuer:
"Chỉ thị số 36-CT/TW ngày 16/8/2019 của Bộ Chính trị". The rules, and why:

Numbers. State documents are ``N[/YYYY]/TYPE-AGENCY[-UNIT]`` (116/2021/NĐ-CP, 1452/QĐ-TTg,
3122/2010/QĐ-BCA, 80/2015/QH13, QĐ-BCA-C41); a công văn has no type part (275/LĐTBXH-PCTNXH).
Party documents are ``N-TYPE/AGENCY`` (36-CT/TW, 32-CTr/TU, 21-CT/T.Ư). Copies from legal
databases put spaces, line breaks and table pipes inside numbers, so these are tolerated around
"/" and after "-" (after "-" only before a group with two capitals or digits, so that
"22/CT-TTg - Về" does not swallow "Về"). The normalized number has no spaces, and every symbol
group is upper case except the mixed-case abbreviations of NĐ 30/2020 (TTg, CTr, QyĐ, TTr, TrS):
"22/CT-TTG" is 22/CT-TTg. A number is a citation after a type word (garbles such as
"Chthị" read as their type), after a list head ("các Quyết định của Thủ tướng Chính phủ: số
..."), continuing a list after "," ";" or "và", or anywhere when written in a standard form with
a known type abbreviation (1452/QĐ-TTg, 116/2021/NĐ-CP, 36-CT/TW: the symbol says its type). So "Đội kiểm tra liên ngành 178", "Phụ biểu
01", years and Bộ pháp điển codes ("Điều 6.4.NĐ.1.2.") are never citations. The type word
"văn bản" takes its type from the symbol (KH -> Kế hoạch), else it is a Công văn.

Dates. "16/8/2019", "16-8-2019" or "ngày 28 tháng 9 năm 2021", after a comma or not. A year
segment or "năm 2013" is never made into a date: ``issued`` is None unless the text gives day,
month and year right after the number (or after the issuer).

Issuers. Read after "của"/"do" (or before "tại <type> số", as in "của Sở X tại văn bản số")
from a closed list, in canonical form (UBND -> Ủy ban nhân dân, Uỷ -> Ủy, the garble "Tỉnh y"
-> Tỉnh ủy). A provincial issuer that names no province gets ``province``, so that the issuer
alone says whose document it is. Levels: Bộ Chính trị, Ban Bí thư, Ban Chấp hành Trung ương,
Văn phòng Trung ương -> "Trung ương Đảng"; Quốc hội and its Ủy ban Thường vụ -> "Quốc hội";
"Chính phủ"; "Thủ tướng Chính phủ"; Bộ X, Bộ trưởng Bộ X and Văn phòng Chính phủ -> "Bộ" (Văn
phòng Chính phủ is a ministry-level body and its công văn are its own documents); Tỉnh ủy, its
Ban Thường vụ and Thường trực -> "Tỉnh ủy"; "HĐND tỉnh"; UBND tỉnh and its Chủ tịch -> "UBND
tỉnh"; "Sở". District and commune bodies keep their written name, with level None.
With no issuer written, the symbol's agency part decides only when unambiguous: CP, TTg, VPCP,
VPTW, BCA and other ministry codes, QHnn, UBTVQHnn give issuer and level; TW/T.Ư give the level
"Trung ương Đảng" but no issuer (Bộ Chính trị or Ban Bí thư?), TU the level "Tỉnh ủy" but no
issuer (Tỉnh ủy or its Ban Thường vụ?); UBND/HĐND give the body of ``province`` (a provincial
plan's bare UBND symbol is its own province's); a joint (liên tịch) symbol gives no issuer;
LĐTBXH is a Bộ or a Sở, so nothing. Luật and Pháp lệnh cited by name get level "Quốc hội".

Not citations: the plan's own number (``own_number``, else read from its "Số:" line, a "Số
hiệu" metadata line or a database title line "Kế hoạch 27/KH-UBND ..."), and website material,
known by its shape: metadata key lines ("Số hiệu", "Ngày ban hành", ...), the one title line
above them, and related-document entries ending "Ban hành: dd/mm/yyyy | Cập nhật: ...".

Identity. An instrument is number + issuer + date, never the number alone: ``legal_id`` makes
``<type>-<number>[-<province>][-<yyyy-mm-dd>]``, with the province for local documents.
"""
from __future__ import annotations

import argparse
import bisect
import datetime
import functools
import itertools
import json
import re
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import yaml

from .model import UNKNOWN, Citation, Instrument

LEVELS = ("Trung ương Đảng", "Quốc hội", "Chính phủ", "Thủ tướng Chính phủ", "Bộ", "Tỉnh ủy",
          "HĐND tỉnh", "UBND tỉnh", "Sở")
LOCAL_LEVELS = frozenset(("Tỉnh ủy", "HĐND tỉnh", "UBND tỉnh", "Sở"))
_VN = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
UPPER = "A-Z" + _VN.upper()


def _ws(pattern: str) -> str:
    """A table pattern where a space stands for any run of white space."""
    return pattern.replace(" ", r"\s+")


# --- numbers --------------------------------------------------------------------------------
_G = rf"[^\W\d_][^\W_]*(?:\.[{UPPER}]+(?![^\W_]))?"  # one symbol group: QĐ, TTg, C41, T.Ư
_UG = rf"[{UPPER}][{UPPER}0-9][^\W_]*"  # a group that may follow "- ": UBND, HĐND, TTg
_SL = r"\s{0,3}/\s{0,3}"
_SYM = rf"{_G}(?:-{_G}|\s{{0,3}}-\s{{1,3}}{_UG}|\s{{1,3}}-{_UG})*"
NUMBER_RE = re.compile(
    rf"(?<![\w/.\-])(?:\d{{1,5}}\s{{0,2}}-\s{{0,2}}[^\W\d_]+{_SL}{_G}(?:-{_G})*"
    rf"|\d{{1,5}}{_SL}(?:(?:19|20)\d\d{_SL})?{_SYM})")
MIXED_CASE = {g.upper(): g for g in ("TTg", "CTr", "QyĐ", "TTr", "TrS", "QĐi")}
ABBR_TYPE = {"NQ": "Nghị quyết", "QĐ": "Quyết định", "CT": "Chỉ thị", "QC": "Quy chế", "QyĐ": "Quy định",
             "QĐi": "Quy định", "TB": "Thông báo", "HD": "Hướng dẫn", "CTr": "Chương trình", "KH": "Kế hoạch",
             "ĐA": "Đề án", "BC": "Báo cáo", "TTr": "Tờ trình", "CĐ": "Công điện", "NĐ": "Nghị định",
             "TT": "Thông tư", "TTLT": "Thông tư liên tịch", "NQLT": "Nghị quyết liên tịch", "KL": "Kết luận",
             "CV": "Công văn", "PA": "Phương án"}
_PROVINCIAL = {"UBND": ("Ủy ban nhân dân tỉnh", "UBND tỉnh"), "HĐND": ("Hội đồng nhân dân tỉnh", "HĐND tỉnh")}
_TW = (None, "Trung ương Đảng")
AGENCIES = {"TW": _TW, "T.Ư": _TW, "TƯ": _TW, "TU": (None, "Tỉnh ủy"), "CP": ("Chính phủ", "Chính phủ"),
            "TTg": ("Thủ tướng Chính phủ", "Thủ tướng Chính phủ"), "VPCP": ("Văn phòng Chính phủ", "Bộ"),
            "VPTW": ("Văn phòng Trung ương Đảng", "Trung ương Đảng"), "BCA": ("Bộ Công an", "Bộ"),
            "BLĐTBXH": ("Bộ Lao động - Thương binh và Xã hội", "Bộ"), "BYT": ("Bộ Y tế", "Bộ"),
            "BTP": ("Bộ Tư pháp", "Bộ"), "BTC": ("Bộ Tài chính", "Bộ"), "BQP": ("Bộ Quốc phòng", "Bộ"),
            "BGDĐT": ("Bộ Giáo dục và Đào tạo", "Bộ"), "QH": ("Quốc hội", "Quốc hội"),
            "UBTVQH": ("Ủy ban Thường vụ Quốc hội", "Quốc hội")}

# --- type words and what follows a number -------------------------------------------------------
_TYPES = (("chương trình hành động", "Chương trình hành động"), ("chương trình", "Chương trình"),
          ("thông tư liên tịch", "Thông tư liên tịch"), ("ngh[iị]\\s*quy[eếê]t", "Nghị quyết"),
          ("ch[ỉi]?\\s*th[ịi]", "Chỉ thị"), ("quy[eếê]t\\s*đ[iị]nh", "Quyết định"),
          ("ngh[iị]\\s*đ[iị]nh", "Nghị định"), ("thông tư", "Thông tư"), ("k[eế]\\s*ho[aạ]ch", "Kế hoạch"),
          ("kết luận", "Kết luận"), ("công văn", "Công văn"), ("văn bản", "văn bản"), ("hướng dẫn", "Hướng dẫn"),
          ("bộ luật", "Bộ luật"), ("(?<!pháp\\s)luật", "Luật"), ("pháp lệnh", "Pháp lệnh"),
          ("thông báo", "Thông báo"), ("thông tri", "Thông tri"), ("quy định", "Quy định"), ("quy chế", "Quy chế"),
          ("đề án", "Đề án"), ("tờ trình", "Tờ trình"), ("báo cáo", "Báo cáo"), ("công điện", "Công điện"))
_TYPE_ALT = "|".join(f"(?P<t{i}>{_ws(rx)})" for i, (rx, _) in enumerate(_TYPES))
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

# --- issuers ------------------------------------------------------------------------------------
PROVINCES = (
    "An Giang", "Bà Rịa - Vũng Tàu", "Bạc Liêu", "Bắc Giang", "Bắc Kạn", "Bắc Ninh", "Bến Tre", "Bình Dương",
    "Bình Định", "Bình Phước", "Bình Thuận", "Cà Mau", "Cao Bằng", "Cần Thơ", "Đà Nẵng", "Đắk Lắk", "Đắk Nông",
    "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh", "Hải Dương",
    "Hải Phòng", "Hậu Giang", "Hòa Bình", "Hưng Yên", "Khánh Hòa", "Kiên Giang", "Kon Tum", "Lai Châu",
    "Lạng Sơn", "Lào Cai", "Lâm Đồng", "Long An", "Nam Định", "Nghệ An", "Ninh Bình", "Ninh Thuận", "Phú Thọ",
    "Phú Yên", "Quảng Bình", "Quảng Nam", "Quảng Ngãi", "Quảng Ninh", "Quảng Trị", "Sóc Trăng", "Sơn La",
    "Tây Ninh", "Thái Bình", "Thái Nguyên", "Thanh Hóa", "Thừa Thiên Huế", "Tiền Giang", "Hồ Chí Minh",
    "Trà Vinh", "Tuyên Quang", "Vĩnh Long", "Vĩnh Phúc", "Yên Bái", "Huế")
_PROV_ALT = "|".join(_ws(re.escape(p).replace(r"\ \-\ ", "-").replace("\\ ", " ")).replace("-", r"\s*[-–]\s*")
                     for p in sorted(PROVINCES, key=len, reverse=True))
PROVINCE_RE = re.compile(rf"(?<![^\W_])(?:{_PROV_ALT})(?![^\W_])", re.I)
FIELDS = (("công an", "Công an"), ("lao động\\s*[-–,]?\\s*thương binh và xã hội", "Lao động - Thương binh và Xã hội"),
          ("y tế", "Y tế"), ("tư pháp", "Tư pháp"), ("tài chính", "Tài chính"), ("nội vụ", "Nội vụ"),
          ("kế hoạch và đầu tư", "Kế hoạch và Đầu tư"), ("giáo dục và đào tạo", "Giáo dục và Đào tạo"),
          ("văn hóa\\s*,?\\s*thể thao và du lịch", "Văn hóa, Thể thao và Du lịch"), ("quốc phòng", "Quốc phòng"),
          ("thông tin và truyền thông", "Thông tin và Truyền thông"), ("ngoại giao", "Ngoại giao"),
          ("nông nghiệp và phát triển nông thôn", "Nông nghiệp và Phát triển nông thôn"),
          ("tài nguyên và môi trường", "Tài nguyên và Môi trường"), ("công thương", "Công Thương"),
          ("xây dựng", "Xây dựng"), ("giao thông vận tải", "Giao thông vận tải"),
          ("khoa học và công nghệ", "Khoa học và Công nghệ"))
_FIELD = "(?P<field>" + "|".join(_ws(rx) for rx, _ in FIELDS) + ")"
_UB, _HD = "(?:ủy ban nhân dân|ubnd)", "(?:hội đồng nhân dân|hđnd)"
_NAME = rf"(?-i:[{UPPER}][^\W\d_]*(?:\s+[{UPPER}][^\W\d_]*){{0,3}})"  # a place name: capitalized words
# (pattern, canonical name, level, what goes between the name and a province: None = not local)
_ISSUERS = (
    ("bộ chính trị", "Bộ Chính trị", "Trung ương Đảng", None),
    ("ban bí thư(?: trung ương(?: đảng)?)?", "Ban Bí thư", "Trung ương Đảng", None),
    ("ban chấp hành trung ương(?: đảng)?", "Ban Chấp hành Trung ương", "Trung ương Đảng", None),
    ("văn phòng trung ương(?: đảng)?", "Văn phòng Trung ương Đảng", "Trung ương Đảng", None),
    ("ủy ban thường vụ quốc hội", "Ủy ban Thường vụ Quốc hội", "Quốc hội", None),
    ("quốc hội", "Quốc hội", "Quốc hội", None),
    ("thủ tướng(?: chính phủ)?", "Thủ tướng Chính phủ", "Thủ tướng Chính phủ", None),
    ("văn phòng chính phủ", "Văn phòng Chính phủ", "Bộ", None),
    ("chính phủ", "Chính phủ", "Chính phủ", None),
    (f"bộ trưởng bộ {_FIELD}", "Bộ trưởng Bộ {field}", "Bộ", None),
    (f"bộ {_FIELD}", "Bộ {field}", "Bộ", None),
    ("ban thường vụ tỉnh\\s*ủy", "Ban Thường vụ Tỉnh ủy", "Tỉnh ủy", " "),
    ("thường trực tỉnh\\s*ủy", "Thường trực Tỉnh ủy", "Tỉnh ủy", " "),
    ("tỉnh\\s*(?:ủy|y(?!\\s+tế))", "Tỉnh ủy", "Tỉnh ủy", " "),  # "Tỉnh y": a garble in source 000
    (f"{_HD} tỉnh", "Hội đồng nhân dân tỉnh", "HĐND tỉnh", " "),
    (f"chủ tịch {_UB} tỉnh", "Chủ tịch Ủy ban nhân dân tỉnh", "UBND tỉnh", " "),
    (f"{_UB} tỉnh", "Ủy ban nhân dân tỉnh", "UBND tỉnh", " "),
    (f"sở {_FIELD}", "Sở {field}", "Sở", " tỉnh "),
    (f"(?:{_UB}|{_HD}) (?:huyện|thị xã|thành phố|xã|phường|thị trấn) {_NAME}", "", None, None),
    (f"(?:huyện|thành|thị)\\s*ủy {_NAME}", "", None, None),
)
ISSUERS = tuple((re.compile(f"(?:{_ws(rx)})" + ("" if sep is None else f"(?:{_ws(sep)}(?P<prov>{_PROV_ALT}))?")
                            + r"(?![^\W_])", re.I), name, level, sep) for rx, name, level, sep in _ISSUERS)

# --- website material, own number, trích yếu ----------------------------------------------------
META_LINE_RE = re.compile(r"^[ \t]*(?:Số hiệu|Ngày ban hành|Ngày có hiệu lực|Ngày hiệu lực|Ngày hết hiệu lực|"
                          r"Ngày công báo|Số công báo|Loại văn bản|Cơ quan ban hành|Nơi ban hành|Người ký|"
                          r"Lĩnh vực|Tình trạng(?: hiệu lực)?)(?![^\W_])[^\n]*", re.M)
RELATED_RE = re.compile(r"Ban\s+hành\s*:\s*\d{1,2}/\d{1,2}/\d{4}\s*Cập\s+nhật\s*:\s*"
                        r"(?:\d{1,2}/\d{1,2}/\d{4}|Đang\s+cập\s+nhật)", re.I)
OWN_RE = re.compile(r"^[ \t]*Số(?:\s*:|\s+hiệu\s*:?)\s*(?=\d)", re.M)
TITLE_LINE_RE = re.compile(rf"\s*(?:{_TYPE_ALT})\s+(?=\d)", re.I)
TITLE_LEAD_RE = re.compile(r"[\s“\"]*(?=(?:về|quy định|phê duyệt|ban hành|hướng dẫn|triển khai)(?![^\W_]))", re.I)
# A sentence ends at . ! ? ; before white space, or at a line break before a line that does not
# continue it (a lower-case start continues it: database copies break sentences at page ends).
_BREAK_RE = re.compile(rf"[.!?;](?=\s|$)|\n(?=[ \t|]*[^\sa-z{_VN}])")
# Old and new tone placement at a syllable's end ("uỷ"/"ủy", "hoà"/"hòa") that NFC does not merge.
_TONED = ("áóúý", "àòùỳ", "ảỏủỷ", "ãõũỹ", "ạọụỵ")  # each tone on a, o, u, y
_TONE_OF = {c: (row, n) for row, cs in enumerate(_TONED) for n, c in enumerate(cs)}
_OLD_TONE_RE = re.compile(r"(?i)(?<!q)(o(?=[áàảãạ])|u(?=[ýỳỷỹỵ]))(.)(?![^\W\d_])")


def _fold(s: str) -> str:
    """Old tone placement made new ("hoà" -> "hòa"): a same-length swap, so offsets stay valid."""
    def swap(m: re.Match) -> str:
        first, second = m.groups()
        row, _ = _TONE_OF[second.lower()]
        toned, plain = (_TONED[row][1], "a") if first in "oO" else (_TONED[row][2], "y")
        return (toned.upper() if first.isupper() else toned) + (plain.upper() if second.isupper() else plain)
    return _OLD_TONE_RE.sub(swap, s)


def _key(s: str) -> str:
    """A comparison key: NFC, new tone placement, lower case, one space, ", " and " - "."""
    s = _fold(unicodedata.normalize("NFC", s)).lower()
    return " ".join(re.sub(r"\s*,\s*", ", ", re.sub(r"\s*[-–]\s*", " - ", s)).split())


def _flat(s: str) -> str:
    return " ".join(s.split())


_PROVINCE_BY_KEY = {_key(p): p for p in PROVINCES}


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
    return _fold(text.translate({ord("|"): " ", 0x200B: " ", 0xFEFF: " "})), pos


def normalize_number(raw: str) -> str:
    """A number without spaces, upper-case groups except the mixed-case ones (TTg, CTr, QyĐ, TTr, TrS)."""
    def group(m: re.Match) -> str:
        g = m.group()
        mixed = g != g.upper() and g != g.lower() and not g.istitle()  # deliberate, not a capital
        return MIXED_CASE.get(g.upper()) or (g if mixed else g.upper())
    return re.sub(r"[^\W_]+", group, re.sub(r"[\s|]+", "", unicodedata.normalize("NFC", raw)))


def _province(name: str | None) -> str | None:
    m = PROVINCE_RE.search(_fold(name or ""))
    return _PROVINCE_BY_KEY.get(_key(m.group())) if m else None


def _match_issuer(flat: str, pos: int, province: str | None) -> tuple[int, str, str | None] | None:
    """The issuer written at ``pos`` as (end, canonical name, level); the longest reading wins."""
    hits = [(m, name, level, sep) for rx, name, level, sep in ISSUERS if (m := rx.match(flat, pos))]
    if not hits:
        return None
    m, name, level, sep = max(hits, key=lambda h: h[0].end())
    if not name:  # a district or commune body: its name as written
        return m.end(), _flat(m.group()), level
    if m.groupdict().get("field"):
        name = name.format(field=next(c for rx, c in FIELDS if re.fullmatch(_ws(rx), m.group("field"), re.I)))
    prov = _province(m.groupdict().get("prov")) or (province if sep else None)
    return m.end(), name + (sep + prov if sep and prov else ""), level


def _issuer_level(issuer: str | None) -> str | None:
    found = _match_issuer(_fold(issuer), 0, None) if issuer else None
    return found[2] if found else None


def _symbol_parts(number: str) -> tuple[str | None, str]:
    """(type abbreviation or None, agency abbreviation) of a normalized number."""
    if re.match(r"\d+-", number):
        kind, _, agency = number.partition("/")
        return kind.split("-", 1)[1], agency.split("-")[0]
    groups = number.split("/")[-1].split("-")
    return (groups[0], groups[1]) if len(groups) > 1 and groups[0] in ABBR_TYPE else (None, groups[0])


def _agency(number: str, province: str | None) -> tuple[str | None, str | None]:
    """(issuer, level) as far as the symbol alone tells them."""
    kind, agency = _symbol_parts(number)
    if kind and kind.endswith("LT"):  # liên tịch: a joint document has several issuers
        levels = {AGENCIES.get(g, (None, None))[1] for g in number.split("/")[-1].split("-")[1:]}
        return None, (levels.pop() if len(levels) == 1 else None)
    if agency in _PROVINCIAL:
        name, level = _PROVINCIAL[agency]
        return (f"{name} {province}" if province else None), level
    return AGENCIES.get(agency) or AGENCIES.get(re.sub(r"\d+$", "", agency)) or (None, None)


def _is_local(number: str | None, issuer: str | None) -> bool:
    # A district body's document (level None) is still local: its symbol (UBND, HĐND) says so.
    level = (_issuer_level(issuer) if issuer else None) or (_agency(number, None)[1] if number else None)
    return level in LOCAL_LEVELS


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
    if not (hit := _match_issuer(flat, o.end(), province) if o else None):
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


def _own_number(flat: str) -> str | None:
    for m in OWN_RE.finditer(flat):
        if n := NUMBER_RE.match(flat, m.end()):
            return normalize_number(n.group())
    first = re.search(r"\S[^\n]*", flat)
    m = TITLE_LINE_RE.match(first.group()) if first else None
    n = NUMBER_RE.match(first.group(), m.end()) if m else None
    return normalize_number(n.group()) if n else None


def _type_of(m: re.Match, number: str) -> str:
    written = next(_TYPES[int(k[1:])][1] for k, v in m.groupdict().items() if v and re.fullmatch(r"t\d+", k))
    if written == "văn bản":
        kind = _symbol_parts(number)[0]
        return ABBR_TYPE.get(kind, "Công văn") if kind else "Công văn"
    return written


def _standard_type(number: str) -> str | None:
    """The type a number in standard form states with no type word before it, or None.

    N/YYYY/TYPE-ISSUER, N/TYPE-ISSUER and N-TYPE/ISSUER with a known type abbreviation and an
    issuer part: "1452/QĐ-TTg", "116/2021/NĐ-CP", "36-CT/TW". A công văn's symbol (275/LĐTBXH-X)
    has no type part and is not taken without its type word."""
    kind, agency = _symbol_parts(number)
    return ABBR_TYPE.get(kind) if kind and agency and not agency[0].isdigit() else None


def _issuer_between(flat: str, a: int, b: int, province: str | None) -> tuple[str, str | None] | None:
    """(issuer, level) when flat[a:b] is exactly one issuer's name."""
    hit = _match_issuer(flat, a, province)
    return hit[1:] if hit and hit[0] == b else None


def extract(text: str, *, own_number: str | None = None, province: str | None = None,
            names: dict[str, tuple[str, str]] | None = None) -> list[Citation]:
    """Every citation of an instrument in ``text``, by number or by name (``names``: the corpus'
    alias table, see names_from_data; none without it), by position."""
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
                ctype, start = standard, m.start()  # "theo 1452/QĐ-TTg": the symbol says what it is
            else:
                continue
        end, issued, who = _tail(flat, m.end(), province)
        if who is None and t and (b := ISSUER_BEFORE_RE.search(seg := flat[max(0, start - 100):start])):
            base = start - len(seg)  # "của Sở X tại văn bản số ...": the issuer comes first
            who = _issuer_between(flat, base + b.start("who"), base + b.end("who"), province)
        who = who or (None if t else shared) or _agency(number, province)
        found.append((start, end, number, ctype, issued, *who))
    skipped = _overlap_test(_excluded(flat))
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
    a = max((m.end() for m in _BREAK_RE.finditer(text, lo, start)), default=lo)
    hi = min(len(text), end + 3000)
    b = next((m.start() + (m.group() != "\n") for m in _BREAK_RE.finditer(text, end, hi)), hi)
    return text[a:b].strip(" \t\n|")


# --- names without a number -------------------------------------------------------------------
def names_from_data(data) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """The alias table from parsed legal_names.yaml: every name variant -> (instrument id, type), and errors."""
    table: dict[str, tuple[str, str]] = {}
    errors = []
    for n, entry in enumerate(data or [], 1):
        if not isinstance(entry, dict) or not {"id", "type", "names"} <= entry.keys() \
                or not isinstance(entry["names"], list):
            errors.append(f"entry {n} needs id, type and a list of names")
            continue
        for name in entry["names"]:
            table[unicodedata.normalize("NFC", str(name))] = (str(entry["id"]),
                                                              unicodedata.normalize("NFC", str(entry["type"])))
    return table, errors


def load_names(path: str | Path) -> dict[str, tuple[str, str]]:
    """The alias table (legal_names.yaml): every name variant -> (instrument id, type)."""
    table, errors = names_from_data(yaml.safe_load(Path(path).read_text(encoding="utf-8-sig")))
    if errors:
        raise ValueError(f"{path}: " + "; ".join(errors))
    return table


@functools.lru_cache(maxsize=8)
def _names_re(keys: tuple[str, ...]) -> re.Pattern:
    alts = (r"\s+".join(map(re.escape, k.split())).replace(r",\s+", r"\s*,\s*").replace(r"\s+\-\s+", r"\s*[-–]\s*")
            for k in sorted(keys, key=lambda k: (-len(k), k)))  # longest first: "... năm 2021" before "..."
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(alts)})(?![^\W_])", re.I)


def _find_names(flat: str, names: dict[str, tuple[str, str]]) -> list[tuple[int, int, str, str]]:
    table = {_key(n): v for n, v in names.items()}
    if not table:
        return []
    return [(m.start(), m.end(), *table[_key(m.group())]) for m in _names_re(tuple(sorted(table))).finditer(flat)]


# --- identity and registry --------------------------------------------------------------------
def slug(s: str) -> str:
    """ASCII lower-case words joined by hyphens: 'Quảng Ninh' -> 'quang-ninh'."""
    s = unicodedata.normalize("NFD", s.replace("đ", "d").replace("Đ", "D"))
    return re.sub(r"[^a-z0-9]+", "-", "".join(c for c in s if not unicodedata.combining(c)).lower()).strip("-")


def legal_id(type: str, number: str | None, issued: str | None, issuer: str | None,
             province: str | None = None) -> str:
    """The id of an instrument: type, number, province if local, date (ke-hoach-71-kh-ubnd-quang-ninh-2020-04-23)."""
    parts = [type, number or ""]
    if _is_local(number, issuer):
        prov = _province(issuer) or province
        if not prov:
            raise ValueError(f"{number} is a local document: its id needs the province")
        parts.append(prov)
    return slug(" ".join(parts + [issued or ""]))


def _scope(number: str | None, issuer: str | None, province: str | None) -> str | None:
    """'' for a central document, the province for a local one, None when that is not known."""
    return (_province(issuer) or province) if _is_local(number, issuer) else ""


def _same_issuer(a: str | None, b: str | None) -> bool:
    """Whether two issuers can be one body (an unknown one can be any; a missing province is no clash)."""
    if not a or not b or _key(a) == _key(b):
        return True
    bare = [_key(PROVINCE_RE.sub("", _fold(x))) for x in (a, b)]
    return not (_province(a) and _province(b)) and bare[0] == bare[1]


def resolve(citations: list[Citation], registry: dict[str, Instrument], *, province: str | None = None,
            plan_id: str = "") -> tuple[list[Citation], list[str]]:
    """Give each citation its instrument id; the messages are warnings (unresolved, inconsistent)."""
    msgs: list[str] = []
    where = lambda c: f"{plan_id or 'text'}: {_flat(c.as_written)!r} (chars {c.start}-{c.end})"  # noqa: E731

    def in_registry(c: Citation, dated: bool) -> list[str]:
        scope = _scope(c.number, c.issuer, province)
        return sorted(e.id for e in registry.values()
                      if e.number == c.number and scope is not None and _scope(e.number, e.issuer, None) == scope
                      and (not dated or e.issued == c.issued) and _same_issuer(c.issuer, e.issuer))

    ids: dict[int, str | None] = {}
    for n, c in enumerate(citations):  # dated first: they are what undated mentions point back to
        if c.number is None or not c.issued:
            continue
        found = in_registry(c, True)
        try:
            ids[n] = found[0] if len(found) == 1 else legal_id(c.type, c.number, c.issued, c.issuer, province)
        except ValueError as exc:
            ids[n] = None
            msgs.append(f"{where(c)}: {exc}; pass the plan's province.")
        year = re.match(r"\d+/(\d{4})/", c.number)
        if year and year.group(1) != c.issued[:4]:
            msgs.append(f"{where(c)}: the number says {year.group(1)} but the date is {c.issued}.")
    for n, c in enumerate(citations):
        if c.number is None or c.issued:
            continue
        scope = _scope(c.number, c.issuer, province)
        same = {ids[k] for k, d in enumerate(citations) if ids.get(k) and d.number == c.number
                and _scope(d.number, d.issuer, province) == scope and _same_issuer(c.issuer, d.issuer)}
        found = sorted(same) if same else in_registry(c, False)
        ids[n] = found[0] if len(found) == 1 else None
        if len(found) != 1:
            how = f"several instruments ({', '.join(found)})" if found else "no dated citation nor registry entry"
            msgs.append(f"{where(c)}: undated, and {how} match {c.number}; left unresolved.")
    out = [replace(c, legal_id=ids.get(n, c.legal_id), plan_id=plan_id or c.plan_id)
           for n, c in enumerate(citations)]
    return out, msgs


def _title(c: Citation) -> str:
    """The trích yếu after the citation in its sentence ("về ...", "phê duyệt ..."), or ""."""
    i = c.sentence.find(c.as_written)
    rest = c.sentence[i + len(c.as_written):] if i >= 0 and c.number else ""
    m = TITLE_LEAD_RE.match(rest)
    return _flat(re.split(r"[;(”]|\.\s", rest[m.end():])[0]).rstrip(" ,.") if m else ""


def registry_entry_from_citation(c: Citation) -> Instrument:
    """An Instrument holding exactly what one citation tells about it (ValueError: local, no province)."""
    ident = c.legal_id or legal_id(c.type, c.number, c.issued, c.issuer)
    return Instrument(ident, c.type, c.number, c.issuer, c.level, c.issued, _title(c),
                      () if c.number else (_flat(c.as_written),))


def _entry_yaml(c: Citation) -> str:
    i = registry_entry_from_citation(c)
    entry = {"id": i.id, "type": i.type, "number": i.number, "issuer": i.issuer or UNKNOWN,
             "level": i.level or UNKNOWN, "issued": i.issued or UNKNOWN, "title": i.title}
    if _is_local(i.number, i.issuer) and _province(i.issuer):
        entry["province"] = _province(i.issuer)
    return yaml.safe_dump(entry, allow_unicode=True, sort_keys=False, default_flow_style=True, width=10**6).strip()


def registry_from_data(data, names: dict[str, tuple[str, str]]) -> tuple[dict[str, Instrument], list[str]]:
    """The registry from parsed legal.yaml entries and the alias table; returns it with every error."""
    errors, out = [], {}
    value = lambda e, k: None if e.get(k) in (None, UNKNOWN) else unicodedata.normalize("NFC", str(e[k]))  # noqa
    for n, e in enumerate(data if isinstance(data, list) else [None], 1):
        missing = {"id", "type", "number", "issuer", "level", "issued", "title"} - set(e if isinstance(e, dict) else {})
        if missing:
            errors.append(f"entry {n}: missing {', '.join(sorted(missing))}")
            continue
        inst = Instrument(str(e["id"]), value(e, "type") or "", value(e, "number"), value(e, "issuer"),
                          value(e, "level"), value(e, "issued"), value(e, "title") or "")
        where = f"entry {n} ({inst.id})"
        if inst.id in out or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", inst.id):
            errors.append(f"{where}: the id is a duplicate or not a lower-case slug")
        if inst.issued and not re.fullmatch(r"\d{4}-\d\d-\d\d", inst.issued):
            errors.append(f"{where}: issued must be YYYY-MM-DD or unknown")
        if inst.level and inst.level not in LEVELS:
            errors.append(f"{where}: level must be one of {', '.join(LEVELS)} or unknown")
        prov = value(e, "province")
        if _is_local(inst.number, inst.issuer) != bool(prov) or (prov and _province(inst.issuer) != prov):
            errors.append(f"{where}: a local document has a province, named by its issuer; others have none")
        out[inst.id] = inst
    for name, (ident, kind) in sorted(names.items()):
        if ident not in out or out[ident].type != kind:
            errors.append(f"legal_names.yaml: {name!r} points to {ident} ({kind}), which legal.yaml lacks")
        else:
            out[ident] = replace(out[ident], names=out[ident].names + (name,))
    return out, errors


def load_registry(path: str | Path) -> dict[str, Instrument]:
    """Read legal.yaml (with the names of legal_names.yaml beside it); ValueError lists every problem."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or []
    names_path = path.with_name("legal_names.yaml")
    names = load_names(names_path) if names_path.exists() else {}
    out, errors = registry_from_data(data, names)
    if errors:
        raise ValueError(f"{path}: " + "; ".join(errors))
    return out


def check_registry(registry: dict[str, Instrument], citations: list[Citation]) -> list[str]:
    """Where resolved citations and the registry disagree: missing entries, other dates, issuers, numbers."""
    msgs = []
    for c in sorted(citations, key=lambda c: (c.plan_id, c.start, c.end)):
        if not c.legal_id:
            continue  # resolve() has warned about it already
        e, at = registry.get(c.legal_id), f"{c.plan_id or 'text'}: {_flat(c.as_written)!r}"
        if e is None:
            msgs.append(f"{at} cites {c.legal_id}, which legal.yaml lacks; add - {_entry_yaml(c)}")
            continue
        if c.issued and c.issued != e.issued:
            msgs.append(f"{at} dates {c.legal_id} {c.issued}; legal.yaml says {e.issued or UNKNOWN}.")
        if c.issuer and (not e.issuer or not _same_issuer(c.issuer, e.issuer)):
            msgs.append(f"{at} gives {c.legal_id} the issuer {c.issuer}; legal.yaml says {e.issuer or UNKNOWN}.")
        if c.number and c.number != e.number:
            msgs.append(f"{at} numbers {c.legal_id} {c.number}; legal.yaml says {e.number or UNKNOWN}.")
    return msgs


# --- command line -----------------------------------------------------------------------------
def read_document(path: str | Path) -> str:
    """A UTF-8 text file as the corpus loader reads it (no BOM, LF, NFC); OSError or ValueError if bad."""
    from .checks import read_capped
    from .load import MAX_FILE_BYTES
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


def main(argv: list[str] | None = None) -> int:
    """Print the citations found in a UTF-8 plain-text document; 2 on bad input."""
    ap = argparse.ArgumentParser(
        prog="python -m sitegen.citations",
        description="List the legal instruments a Vietnamese plan cites: number, type, date, issuer and the "
                    "text as written, one per line (tab-separated, '-' when unknown). Website material "
                    "around the document and the plan's own number are left out.",
        epilog="Offsets (--json start/end) are into the text as the corpus loader reads it: BOM removed, "
               "CRLF turned into LF, NFC. Exit status 2 on a missing, empty, binary or non-UTF-8 file, on "
               "anything that is not a regular file (a named pipe, a device) and on a file over 5 MB.")
    ap.add_argument("file", help="a UTF-8 plain-text document, e.g. corpus/sources/000_fe96a9b176375939.txt")
    ap.add_argument("--json", action="store_true", help="print a JSON array of objects sorted by position")
    ap.add_argument("--province", help="the plan's province (e.g. 'Quảng Ninh'), named in local issuers")
    ap.add_argument("--own-number", help="the plan's own number (default: read from its 'Số:' line)")
    ap.add_argument("--names", help="an alias table of instruments cited by name, such as "
                                    "corpus/legal_names.yaml (default: citations by number only)")
    args = ap.parse_args(argv)
    try:
        text = read_document(args.file)
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        print(f"{ap.prog}: error: {args.file}: {why}", file=sys.stderr)
        return 2
    try:
        names = load_names(args.names) if args.names else {}
    except (OSError, ValueError) as exc:
        print(f"{ap.prog}: error: {args.names}: {exc}", file=sys.stderr)
        return 2
    found = extract(text, own_number=args.own_number, province=args.province, names=names)
    if args.json:
        print(json.dumps([{"number": c.number, "type": c.type, "issued": c.issued, "issuer": c.issuer,
                           "level": c.level, "as_written": c.as_written, "start": c.start, "end": c.end}
                          for c in found], ensure_ascii=False, indent=1))
    for c in [] if args.json else found:
        date = "/".join(reversed(c.issued.split("-"))) if c.issued else "-"
        print("\t".join((c.number or "-", c.type, date, c.issuer or "-", _flat(c.as_written))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
