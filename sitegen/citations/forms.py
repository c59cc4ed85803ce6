"""How a citation is written: number shapes, type abbreviations, issuers and provinces, and what a symbol says.

Numbers. State documents are ``N[/YYYY]/TYPE-AGENCY[-UNIT]`` (116/2021/NĐ-CP, 1452/QĐ-TTg,
3122/2010/QĐ-BCA, 80/2015/QH13, QĐ-BCA-C41); a công văn has no type part (275/LĐTBXH-PCTNXH).
Party documents are ``N-TYPE/AGENCY`` (36-CT/TW, 32-CTr/TU, 21-CT/T.Ư). Copies from legal
databases put spaces, line breaks and table pipes inside numbers, so these are tolerated around
"/" and after "-" (after "-" only before a group with two capitals or digits, so that
"22/CT-TTg - Về" does not swallow "Về"). The normalized number has no spaces, and every symbol
group is upper case except the mixed-case abbreviations of NĐ 30/2020 (TTg, CTr, QyĐ, TTr, TrS):
"22/CT-TTG" is 22/CT-TTg.

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
LĐTBXH is a Bộ or a Sở, so nothing.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from ..textutil import squash

LEVELS = ("Trung ương Đảng", "Quốc hội", "Chính phủ", "Thủ tướng Chính phủ", "Bộ", "Tỉnh ủy",
          "HĐND tỉnh", "UBND tỉnh", "Sở")
LOCAL_LEVELS = frozenset(("Tỉnh ủy", "HĐND tỉnh", "UBND tỉnh", "Sở"))
VN_LOWER = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
UPPER = "A-Z" + VN_LOWER.upper()


def ws_pattern(pattern: str) -> str:
    """A table pattern where a space stands for any run of white space."""
    return pattern.replace(" ", r"\s+")


# --- numbers --------------------------------------------------------------------------------
_G = rf"[^\W\d_][^\W_]*(?:\.[{UPPER}]+(?![^\W_]))?"  # one symbol group: QĐ, TTg, C41, T.Ư
_UG = rf"[{UPPER}][{UPPER}0-9][^\W_]*"  # a group that may follow "- ": UBND, HĐND, TTg
_SL = r"\s{0,3}/\s{0,3}"
# Written variants kept whole: a legislature's term after a hyphen ("QH-15"), two units joined by "&"
# ("SYT-BT & PCTNXH"), a committee named with its number and its own agency ("BCĐ138/CP").
_SYM = rf"{_G}(?:-{_G}|\s{{0,3}}-\s{{1,3}}{_UG}|\s{{1,3}}-{_UG}|(?<=QH)-\d{{2}}(?!\d)|\s{{0,2}}&\s{{0,2}}{_UG})*" \
       rf"(?:(?<=\d)/[{UPPER}]{{2,4}}(?![^\W_]))?"
# A party document's number written with a space for its hyphen: "Kế hoạch số 05 KH/BCSĐ".
_PARTY_TYPES = "KH|CT|NQ|KL|CTr|HD|TB|QĐ|BC|QyĐ"
# Every form starts with 1-5 digits not after a letter, digit, "/", "." or "-": written as a digit and
# then the look back over it (and 0-4 more digits), the same matches, so that the regex engine skips
# to the next digit instead of trying the forms at every character (finding the numbers of a plan's
# text took 2.4 times as long with the look back first, measured).
NUMBER_RE = re.compile(
    rf"\d(?<![\w/.\-]\d)(?:\d{{0,4}}\s{{0,2}}-\s{{0,2}}[^\W\d_]+{_SL}{_G}(?:-{_G})*"
    rf"|\d{{0,4}}\s(?:{_PARTY_TYPES})/{_UG}(?:-{_G})*"
    rf"|\d{{0,4}}{_SL}(?:(?:19|20)\d\d{_SL})?{_SYM})")
# The plan a news item reports on is named in its lede ("UBND tỉnh ban hành Kế hoạch số 27/KH-UBND ..."): its own
# number, not a citation; one it says is being carried out ("thực hiện nghiêm Kế hoạch số 13/KH-BCĐ") is cited.
_SUBJECT_NUMBER_RE = re.compile(r"(?<![^\W_])(?:kế hoạch|quyết định|chương trình|đề án)\s+(?:số\s*)?(?=\d)", re.I)
_CITED_BEFORE_RE = re.compile(r"(?:thực hiện|căn cứ|theo quy định tại)(?:\s+nghiêm)?\s*$", re.I)
# A plan copied without its decision's header names the decision issuing it under its title.
# The lede's own announcement ("Ngày 10/10/2017, UBND tỉnh ban hành Kế hoạch số 151/KH-UBND"): the subject, even
# after a list of what it carries out ("Thực hiện Quyết định số ...; Kế hoạch số 245/KH-UBQG-BCA ...; ...").
_ANNOUNCED_RE = re.compile(r"(?<![^\W_])ban hành\s+(?:kế hoạch|quyết định|chương trình|đề án)\s+(?:số\s*)?(?=\d)", re.I)
ISSUED_WITH_RE = re.compile(r"^\(\s*(?:Ban hành\s+)?kèm theo\s+(?:Quyết định|Nghị quyết)\s+(?:số\s*)?(?=\d)", re.I)


def subject_number(paragraphs) -> re.Match | None:
    """The number of the plan a news item's lede (its first paragraphs) reports on, or None."""
    paragraphs = list(paragraphs)
    for par in paragraphs:
        for m in _ANNOUNCED_RE.finditer(par):
            if n := NUMBER_RE.match(par, m.end()):
                return n
    for par in paragraphs:
        for m in _SUBJECT_NUMBER_RE.finditer(par):
            if not _CITED_BEFORE_RE.search(par[max(0, m.start() - 30):m.start()]) and (n := NUMBER_RE.match(par, m.end())):
                return n
    return None


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
_PROV_ALT = "|".join(ws_pattern(re.escape(p).replace(r"\ \-\ ", "-").replace("\\ ", " ")).replace("-", r"\s*[-–]\s*")
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
_FIELD = "(?P<field>" + "|".join(ws_pattern(rx) for rx, _ in FIELDS) + ")"
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


@lru_cache(maxsize=1)
def issuers() -> tuple:
    """_ISSUERS compiled (rx, name, level, sep), when first needed: compiling them was a tenth of the
    imports of a build, which finds no citation when no plan's text changed."""
    return tuple((re.compile(f"(?:{ws_pattern(rx)})"
                             + ("" if sep is None else f"(?:{ws_pattern(sep)}(?P<prov>{_PROV_ALT}))?")
                             + r"(?![^\W_])", re.I), name, level, sep) for rx, name, level, sep in _ISSUERS)

# Old and new tone placement at a syllable's end ("uỷ"/"ủy", "hoà"/"hòa") that NFC does not merge.
_TONED = ("áóúý", "àòùỳ", "ảỏủỷ", "ãõũỹ", "ạọụỵ")  # each tone on a, o, u, y
_TONE_OF = {c: (row, n) for row, cs in enumerate(_TONED) for n, c in enumerate(cs)}
# (?i)(?<!q)(o(?=[áàảãạ])|u(?=[ýỳỷỹỵ]))(.)(?![^\W\d_]), written with both cases of each letter and the
# o or u first, then the look back over it: the same matches (tests/test_read_once.py), but a pattern
# that starts with a set of letters lets the regex engine skip to the next o or u instead of trying
# every character; folding a plan's text went from 0.57 to 0.17 ms.
_OLD_TONE_RE = re.compile(r"([oOuU])(?<![qQ][oOuU])(?:(?<=[oO])(?=[áàảãạÁÀẢÃẠ])|(?<=[uU])(?=[ýỳỷỹỵÝỲỶỸỴ]))(.)"
                          r"(?![^\W\d_])")


def fold_tones(s: str) -> str:
    """Old tone placement made new ("hoà" -> "hòa"): a same-length swap, so offsets stay valid."""
    def swap(m: re.Match) -> str:
        first, second = m.groups()
        row, _ = _TONE_OF[second.lower()]
        toned, plain = (_TONED[row][1], "a") if first in "oO" else (_TONED[row][2], "y")
        return (toned.upper() if first.isupper() else toned) + (plain.upper() if second.isupper() else plain)
    return _OLD_TONE_RE.sub(swap, s)


def name_key(s: str) -> str:
    """A comparison key: NFC, new tone placement, lower case, one space, ", " and " - "."""
    s = fold_tones(unicodedata.normalize("NFC", s)).lower()
    return " ".join(re.sub(r"\s*,\s*", ", ", re.sub(r"\s*[-–]\s*", " - ", s)).split())


_PROVINCE_BY_KEY = {name_key(p): p for p in PROVINCES}


def normalize_number(raw: str) -> str:
    """A number without spaces, upper-case groups except the mixed-case ones (TTg, CTr, QyĐ, TTr, TrS).

    Two written variants get their usual form: "05 KH/BCSĐ" is 05-KH/BCSĐ and "QH-15" is QH15.
    """
    def group(m: re.Match) -> str:
        g = m.group()
        mixed = g != g.upper() and g != g.lower() and not g.istitle()  # deliberate, not a capital
        return MIXED_CASE.get(g.upper()) or (g if mixed else g.upper())
    raw = _SPACED_GROUP_RE.sub(r"\1-", unicodedata.normalize("NFC", raw))  # "05 KH/BCSĐ": 05-KH/BCSĐ
    if "QH" in raw:  # (the search below needs "QH"; most numbers have none)
        raw = _QH_DASH_RE.sub("", raw)  # "QH-15" is the 15th legislature's QH15
    return _GROUP_RE.sub(group, _SPACES_RE.sub("", raw))


# normalize_number's patterns, compiled once (it runs for every number of every plan).
_SPACED_GROUP_RE = re.compile(r"^(\d+)\s+(?=[^\W\d_])")
_QH_DASH_RE = re.compile(r"(?<=QH)\s*-\s*(?=\d)")
_SPACES_RE = re.compile(r"[\s|]+")
_GROUP_RE = re.compile(r"[^\W_]+")


def province_of(name: str | None) -> str | None:
    """The province a name (an issuer) names, in canonical form, or None."""
    m = PROVINCE_RE.search(fold_tones(name or ""))
    return _PROVINCE_BY_KEY.get(name_key(m.group())) if m else None


def match_issuer(flat: str, pos: int, province: str | None) -> tuple[int, str, str | None] | None:
    """The issuer written at ``pos`` as (end, canonical name, level); the longest reading wins."""
    hits = [(m, name, level, sep) for rx, name, level, sep in issuers() if (m := rx.match(flat, pos))]
    if not hits:
        return None
    m, name, level, sep = max(hits, key=lambda h: h[0].end())
    if not name:  # a district or commune body: its name as written
        return m.end(), squash(m.group()), level
    if m.groupdict().get("field"):
        name = name.format(field=next(c for rx, c in FIELDS if re.fullmatch(ws_pattern(rx), m.group("field"), re.I)))
    prov = province_of(m.groupdict().get("prov")) or (province if sep else None)
    return m.end(), name + (sep + prov if sep and prov else ""), level


def _issuer_level(issuer: str | None) -> str | None:
    found = match_issuer(fold_tones(issuer), 0, None) if issuer else None
    return found[2] if found else None


def symbol_parts(number: str) -> tuple[str | None, str]:
    """(type abbreviation or None, agency abbreviation) of a normalized number."""
    if re.match(r"\d+-", number):
        kind, _, agency = number.partition("/")
        return kind.split("-", 1)[1], agency.split("-")[0]
    groups = number.split("/")[-1].split("-")
    return (groups[0], groups[1]) if len(groups) > 1 and groups[0] in ABBR_TYPE else (None, groups[0])


def agency_of(number: str, province: str | None) -> tuple[str | None, str | None]:
    """(issuer, level) as far as the symbol alone tells them."""
    kind, agency = symbol_parts(number)
    if kind and kind.endswith("LT"):  # liên tịch: a joint document has several issuers
        levels = {AGENCIES.get(g, (None, None))[1] for g in number.split("/")[-1].split("-")[1:]}
        return None, (levels.pop() if len(levels) == 1 else None)
    if agency in _PROVINCIAL:
        name, level = _PROVINCIAL[agency]
        return (f"{name} {province}" if province else None), level
    return AGENCIES.get(agency) or AGENCIES.get(re.sub(r"\d+$", "", agency)) or (None, None)


def is_local(number: str | None, issuer: str | None) -> bool:
    """Whether the issuer or the symbol says a provincial (or lower) body issued the document."""
    # A district body's document (level None) is still local: its symbol (UBND, HĐND) says so.
    level = (_issuer_level(issuer) if issuer else None) or (agency_of(number, None)[1] if number else None)
    return level in LOCAL_LEVELS
