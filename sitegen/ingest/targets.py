"""Candidate targets (chỉ tiêu) in a plan's paragraphs: every quantified commitment, with its clause.

A quantity is a percentage, a range ("10% đến 15%", "1-2 xã"), a fraction ("10/10 huyện"), or a
count: a number, in digits or words ("một", "hai" ...), followed by the noun it counts. Around it:
a comparator ("ít nhất", "tối thiểu" >=; "trên", "hơn" >; "không quá", "tối đa" <=), a direction
("giảm", "duy trì", "tăng"), a frequency ("một lần một tháng", "hằng tháng": per month).

Not quantities: dates and years, durations ("định kỳ 6 tháng"), document numbers, numbering
("2.1.", "(1)", "Phụ biểu 01"), identifiers after a noun ("Đội kiểm tra liên ngành 178"), the
general objective's prose, and results of earlier years (a clause that says "đã", "năm qua").

The quote is the clause holding the quantity: the text between the nearest ";", ":", sentence
end, parenthesis or "trong đó"; after "trong đó" each comma-separated part with its own number
is a part of the target before it (``parent``), and a count inside a percentage's clause ("100%
các xã tổ chức được ít nhất 1 hoạt động") is a part of the percentage. A number repeated later
with the same unit and subject is one target, not two.
"""
from __future__ import annotations

import re
from difflib import SequenceMatcher
from dataclasses import dataclass, field

from ..citations.forms import VN_LOWER
from ..textutil import fold
from . import tables
from .sections import COMMIT_RE, NEW_COMMIT_RE, Sections, _deadline, _sentence_before, result_reason

_LOWER = f"a-z{VN_LOWER}"
WORD_NUMBERS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9,
                "mười": 10}
_NUM = r"\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?"
_WORDNUM = "|".join(WORD_NUMBERS)
_TIME = r"(?:tháng|năm|ngày|tuần|giờ|quý|buổi sáng|kỳ)(?![^\W_])"
# A percentage or range of percentages; a fraction; a count range; a single count.
QUANTITY_RE = re.compile(
    rf"(?P<pct>(?P<p1>{_NUM})(?:\s*%)?(?:\s*(?:đến|-|–)\s*(?P<p2>{_NUM}))?\s*%)"  # "10% đến 15%", "50 đến 60%"
    rf"|(?P<frac>(?P<f1>\d+)\s*/\s*(?P<f2>\d+(?:\.\d{{3}})*)(?=\s+[^\W\d_]))"  # "10/10 huyện", "1/100.000 dân"
    rf"|(?P<cnt>(?P<c1>{_NUM})(?:\s*(?:-|–|đến)\s*(?P<c2>{_NUM}))?(?=\s+(?P<noun>[^\W\d_][^\W_]*)))"
    rf"|(?P<wrd>(?<![^\W_])(?P<w1>{_WORDNUM})(?=\s+(?P<wnoun>[^\W\d_][^\W_]*)))",
    re.I)
# Words that cannot be the noun a number counts: the number is something else (an id, a year...).
_NOT_NOUN = set("""của các và trên tại về đã được với theo là có trong thì nên để cho từ đến hoặc hay
này đó sau trước khi mà như thuộc nhằm do bị số năm tháng ngày tuần giờ quý kỳ lần thứ điều khoản mục phụ
lục biểu chương giai đoạn cấp khóa""".split()) - {"lần"}
# Words before a number that make it a date, a year, a document part or an identifier.
_BEFORE_NOT = re.compile(r"(?:ngày|tháng|năm|quý|giai đoạn|khóa|lần thứ|thứ|điều|khoản|mục|điểm|phụ biểu|phụ lục"
                         r"|chương|số|ký hiệu|covid|mẫu|biểu|đợt|tuổi|độ tuổi|liên ngành|kế hoạch)\s*$", re.I)
_COUNT_WORDS = re.compile(r"^(?:xã|phường|thị|huyện|người|lượt|mô|đội|câu|điểm|lần|bài|tin|hoạt|lớp|cuộc|cơ|trường|"
                          r"tổ|nhóm|địa|khu|buổi|đợt|tài|cán|học|nạn|hộ|gia|thôn|bản|tụ|đường|ổ|vụ|đối|ca|"
                          r"thanh|trung|nhà|sự|chiến|hội|tờ|ấn|pa|băng|phóng|chuyên|chương|tiết|lượt|phòng|đơn|"
                          r"doanh|quán|khách|học|sinh|em|trẻ|phụ|nữ|cộng|tình|mẫu|hình|bệnh)$", re.I)
_COMPARATORS = ((re.compile(r"(?:ít nhất|tối thiểu|không dưới|không ít hơn)(?:\s+là)?\s*$", re.I), ">="),
                (re.compile(r"(?:trên|hơn|vượt)\s*$", re.I), ">"),
                (re.compile(r"(?:không quá|tối đa|dưới|không vượt quá)\s*$", re.I), "<="))
# "giảm" that lowers the figure, not the name of an intervention ("can thiệp giảm hại", "giảm tác hại").
_REDUCE = re.compile(r"(?<![^\W_])giảm(?![^\W_])(?!\s+(?:hại|tác hại|thiểu tác hại)(?![^\W_]))", re.I)
# A count of the plan's own parts: "6 nhóm nhiệm vụ, giải pháp", "04 nhóm chỉ tiêu".
_PLAN_PARTS = re.compile(r"\s+(?:nhóm|mảng|phần)\s+(?:nhiệm vụ|giải pháp|chỉ tiêu|mục tiêu|nội dung|hoạt động chính)"
                         r"(?![^\W_])", re.I)
_QUOTA_COUNT = re.compile(r"\s+chỉ tiêu\s+(?:cai nghiện|điều trị|tiếp nhận|quản lý)(?![^\W_])", re.I)
# A monthly sum is an allowance, not a frequency: "với mức phụ cấp hàng tháng tối thiểu ...".
_MONTHLY_SUM = re.compile(r"(?:phụ cấp|lương|trợ cấp|hỗ trợ|kinh phí|thu nhập)\s+(?:hằng|hàng|mỗi)\s+tháng", re.I)
_PER_MONTH = re.compile(r"hằng tháng|hàng tháng|mỗi tháng|(?:một|1)\s+lần\s*(?:/|một|mỗi|1)\s*tháng", re.I)
_SUBJECT_STOP = re.compile(r"\s(?:được|đều|tổ chức|xây dựng|có|hiểu|ký|tham gia|thực hiện|đạt|không|phải|tiếp cận|"
                           r"bị|sử dụng|trở lên|và (?:trên|dưới|ít nhất|tối thiểu|\d)|hoạt động|lành mạnh)(?![^\W_])")
_CAPTION = re.compile(r"(?<![^\W_])Ảnh\s*:\s*[^\W\d_][^.;:]{0,40}\.?\)?\s*$")
_LEAD = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+|[-+•*]\s*|[a-zđ]\)\s*|\(\d+\)\s*)", re.I)


@dataclass
class Candidate:
    """One candidate target: what was parsed, where it was read, and how sure the reading is."""

    value: float
    value_max: float | None
    unit: str
    comparator: str
    direction: str
    subject_text: str
    quote: str
    paragraph: int  # index of the paragraph in the body
    start: int  # offset of the quantity in the paragraph
    deadline: int | None = None
    subject: str | None = None
    category: str | None = None
    parent: int | None = None  # index of the parent candidate in the list
    confidence: float = 0.0
    why: list[str] = field(default_factory=list)  # what a reviewer should check
    also: list[str] = field(default_factory=list)  # the same target restated elsewhere in the text


def parse_number(text: str) -> float:
    """A Vietnamese number: "1.330" is 1330, "103,9" is 103.9, "06" is 6, "một" is 1."""
    low = text.lower()
    if low in WORD_NUMBERS:
        return float(WORD_NUMBERS[low])
    whole, _, dec = text.partition(",")
    return float(whole.replace(".", "")) + (float("0." + dec) if dec else 0.0)


_AND = re.compile(r"\s+và\s+")


def _last_and(par: str, a: int, b: int) -> int | None:
    """Where the clause after the last " và " of par[a:b] starts, or None."""
    found = list(_AND.finditer(par, a, b))
    return found[-1].end() if found else None


def _first_and(par: str, a: int, b: int) -> int | None:
    """Where the first " và " of par[a:b] starts (the clause before it ends there), or None."""
    found = _AND.search(par, a, b)
    return found.start() if found else None


# A bracket that names or abbreviates ("(gọi chung là cấp xã)", "(sau đây gọi tắt là ...)") does not end a clause.
_ASIDE = re.compile(r"\((?:gọi chung là|gọi tắt là|sau đây gọi|viết tắt là)[^()]*\)", re.I)


# A purposes section's line that opens with a commitment and its figure: "- Đảm bảo 100% tố giác ... được tiếp nhận".
_PURPOSE_COMMIT = re.compile(r"^\s*(?:[-+•]\s*)?(?:Đảm bảo|Bảo đảm|Phấn đấu)\s+(?:[^\W\d_]+\s+){0,2}\d+(?:,\d+)?\s*%")
_SIBLING_GAP = re.compile(r"\s*(?:(?:ít nhất|tối thiểu|trên|hơn|khoảng|đạt|và)\s+)?", re.I)


def _clause(par: str, pos: int, end: int, parts_mode: bool, others: list = ()) -> tuple[int, int]:
    """The span of the clause of ``par`` around [pos, end): between ; : . ( ) and 'trong đó'."""
    par = _ASIDE.sub(lambda x: "_" * len(x.group()), par)  # the same length: offsets stay true
    left_marks = [par.rfind(c, 0, pos) for c in ";:"] + [m.end() - 1 for m in re.finditer(r"\.\s", par[:pos])]
    a = max([x + 1 for x in left_marks if x >= 0] + [0])
    open_paren, close_paren = par.rfind("(", 0, pos), par.rfind(")", 0, pos)
    if open_paren > close_paren:
        a = max(a, open_paren + 1)
    elif close_paren >= a and par.startswith(",", close_paren + 1):
        a = close_paren + 2  # "... (90% ...; 90% ...), khống chế ... dưới 0,3%": the clause after a closed aside
    for m in re.finditer(r"(?<![^\W_])trong đó(?![^\W_])", par[:pos], re.I):
        a = max(a, m.start())
    if parts_mode:
        comma = par.rfind(",", a, pos)
        if comma >= 0 and not re.search(r"trong đó\s*$", par[a:comma], re.I) and re.search(r"\d", par[a:comma]):
            a = comma + 1
    if aside := re.match(r"\s*\(\s*\d+\s*/\s*\d+\s*\)", par[end:]):
        end += aside.end()  # "100% (8/8) huyện ...": the count in brackets does not end the clause
    right = [par.find(c, end) for c in ";:()"] + [m.start() for m in re.finditer(r"\.(?:\s|$)", par[end:])][:1]
    right = [r if r >= end else r + end for r in right[:4] if r >= 0] + [end + r for r in right[4:]]
    b = min(right + [len(par)])
    m = re.search(r",\s*trong đó(?![^\W_])", par[end:b], re.I)
    if m:
        b = end + m.start()
    if parts_mode:
        nxt = QUANTITY_RE.search(par, end, b)
        comma = par.rfind(",", end, nxt.start()) if nxt else -1
        if comma >= 0:
            b = comma
    for cue in re.finditer(r",\s*(?=(?:đảm bảo|bảo đảm|phấn đấu)(?![^\W_]))", par[a:pos], re.I):
        a = a + cue.end()  # "..., đảm bảo 100% học viên ...": the commitment starts at its verb
    pct = "%" in par[pos:end]
    for other in others:
        if pct and "%" in other.group() and other.end() <= pos and other.start() >= a \
                and (c := par.rfind(",", other.end(), pos)) >= 0 and _SIBLING_GAP.fullmatch(par, c + 1, pos):
            a = c + 1  # "ít nhất 70% người lao động ..., ít nhất 60% người lao động ...": one clause each
        if pct and "%" in other.group() and other.start() >= end and other.start() < b \
                and (c := par.rfind(",", end, other.start())) >= 0 and _SIBLING_GAP.fullmatch(par, c + 1, other.start()):
            b = min(b, c)
        if other.end() <= pos and other.start() >= a and (v := _last_and(par, other.end(), pos)) is not None:
            a = v
        if other.start() >= end and other.start() < b and (v := _first_and(par, end, other.start())) is not None:
            b = min(b, v)
    a, b = _label_list(par, pos, end, a, b)
    while a < b and par[a] in " \t":
        a += 1
    lead = _LEAD.match(par[a:b]) if a == 0 else None
    a += lead.end() if lead else 0
    while b > a and par[b - 1] in " .,":
        b -= 1
    return a, b


_LABEL_NEXT = re.compile(r"(?:,|\s+và)\s*[^,;:.\d]{1,40}:\s*\d")


def _label_list(par: str, pos: int, end: int, a: int, b: int) -> tuple[int, int]:
    """A list of allocations, "thị xã Bắc Kạn: 25 đối tượng, huyện Chợ Mới: 18 đối tượng, ...": each clause is
    its label and its count (not the count and the next label)."""
    if len(re.findall(r":\s*\d", par)) < 2 or par[a - 1:a] != ":" or par[a:pos].strip():
        return a, b
    label = max(par.rfind(c, 0, a - 1) for c in ",;:") + 1
    if a - 1 - label <= 40 and not re.search(r"\d", par[label:a - 1]):
        a = label
    if (nxt := _LABEL_NEXT.search(par, end)) and nxt.start() < b:
        b = nxt.start()
    return a, b


def _excluded(par: str, m: re.Match) -> bool:
    """Whether the number at ``m`` is a date, year, duration, id, numbering or part of a symbol."""
    s, e = m.start(), m.end()
    before, after = par[max(0, s - 25):s], par[e:e + 3]
    glued = m["cnt"] and re.search(rf"(?<![^\W_])[{_LOWER}]{{2,}}$", par[:s]) and _unit(par, m, "", False) == "people"
    if s > 0 and (par[s - 1].isalnum() and not glued or par[s - 1] in "/-.") or after[:1] in ("/",) and not m["frac"]:
        return True  # a number glued to a lower-case word and counting persons ("bắt buộc93 người") is a typo
    if re.match(r"\s*[-–]\s*[^\W\d_]", par[e:e + 4]) and not m["pct"]:
        return True  # "Covid-19"'s mirror, "36-CT/TW"
    if _BEFORE_NOT.search(before):
        return True
    if m["frac"] and re.search(r"(?<![^\W_])tại\s*$", before, re.I):
        return True  # "xây dựng 127 xã tại 13/14 địa phương": where, not how many
    if m["frac"] and parse_number(m["f2"]) <= 12 and (re.search(r"(?<![^\W_])(?:từ|ngày|đến)\s*$", before, re.I)
                                            or re.match(r"\s*(?:đến|[-–])\s*\d{1,2}\s*/\s*\d", par[e:])):
        return True  # "đợt cao điểm từ 1/7 đến 30/9/2025": a date, not a fraction
    if m["cnt"] and re.search(r"(?<![^\W_])tại\s+[^.;:,\d]{3,60}?\s+và\s*$", par[max(0, s - 80):s], re.I):
        return True  # "tặng quà cho học viên tại Cơ sở cai nghiện tỉnh và 2 điểm tư vấn": places listed after "tại"
    if m["cnt"] or m["wrd"]:
        noun = (m["noun"] or m["wnoun"] or "").lower()
        if noun in _NOT_NOUN or re.match(_TIME, par[e:].lstrip(), re.I):
            return True
        if m["cnt"] and re.fullmatch(r"(?:19|20)\d\d", m["c1"]):
            return True  # a year
        if noun == "chỉ" and _QUOTA_COUNT.match(par, e):
            return False  # "giao 170 chỉ tiêu cai nghiện ma túy": a quota of persons ("đề ra 11 chỉ tiêu": the plan's)
        if m["wrd"] and m["w1"].lower() == "năm" or not _COUNT_WORDS.match(noun):
            return True  # "năm" before a noun is rarely five; a number counts only the nouns plans count
        if m["wrd"] and m["w1"].lower() == "một" and re.match(r"\s+số(?![^\W_])", par[e:]):
            return True
        if _PLAN_PARTS.match(par, e):
            return True  # "Kế hoạch xác định 6 nhóm nhiệm vụ": the plan's own parts, not a target
    if m["cnt"] and par[:s].strip() == "" and re.match(r"[.)]", par[e:e + 1]):
        return True
    if m["cnt"] and re.match(r"\)", par[e:e + 1].strip()[:1] or "x") and par[max(0, s - 1)] == "(":
        return True  # "(1)"
    return False


def _sibling(cand: Candidate, par: str, m: re.Match, earlier: list[Candidate]) -> None:
    """A quantity listed right after a sibling shares its reading: "giảm 25% số ca do tiêm chích và 20% số ca
    do tình dục" (a reduction too), "ít nhất 5.300 người dân và 3.500 người làm việc ..." (at least, too)."""
    prev = earlier[-1] if earlier else None
    if prev is None or prev.start >= m.start() or cand.comparator != "=":
        return
    between = par[prev.start:m.start()]
    if re.search(r"\.\s|:", between) or re.search(r"(?<![^\W_])(?:tăng|đạt|nâng|giảm)(?![^\W_])", between[1:], re.I):
        return
    listed = re.search(r"(?:,|\s)(?:và|cùng)\s+$|,\s*$", between) and ";" not in between
    if cand.unit == "percent" and prev.unit == "percent_reduction" and listed:
        cand.unit, cand.direction = prev.unit, prev.direction
    elif prev.comparator == ">=" and cand.unit == prev.unit and not m["pct"] \
            and (listed or re.search(r";\s*$", between) and between.count(";") == 1):
        cand.comparator = prev.comparator


# A count of persons, whatever the noun.
_PERSON_NOUNS = r"(?:người|cán bộ|học viên|học sinh|đối tượng|phụ nữ|thanh niên|trẻ em|bệnh nhân)(?![^\W_])"


def _unit(par: str, m: re.Match, clause: str, pct_before: bool) -> str:
    if m["pct"]:
        before = clause[:clause.find(m.group())] if m.group() in clause else clause
        cut = [x.end() for x in _REDUCE.finditer(before)]
        if re.search(r"(?<![^\W_])còn\s*(?:khoảng\s+|dưới\s+)?$", before, re.I):
            return "percent"  # "giảm dần ... đến năm 2020 còn 6%": the level left, not the cut
        # "giảm tử vong do AIDS góp phần đạt mục tiêu 90%": the figure is reached, not a reduction
        return "percent_reduction" if cut and not re.search(r"(?<![^\W_])đạt(?![^\W_])", before[cut[-1]:], re.I) \
            else "percent"
    rest = par[m.end():m.end() + 30].lower()
    if _PER_MONTH.search(_MONTHLY_SUM.sub("", clause)):
        return "per_month"
    if _QUOTA_COUNT.match(par, m.end()):
        return "people"  # quotas of rehabilitation or treatment: one person each
    if rest.lstrip().startswith("lượt người"):
        return "episodes"
    if re.match(_PERSON_NOUNS, rest.lstrip()):
        return "people"  # a count of persons, whatever the noun
    if rest.lstrip().startswith("địa phương") or m["frac"] and m["f1"] == m["f2"] and re.match(
            r"\s*(?:huyện|quận|thị xã|thành phố|xã|phường|tỉnh|đơn vị hành chính)(?![^\W_])", rest):
        return "localities"  # "10/10 huyện, thị xã, thành phố": all the localities of a level
    if pct_before or re.search(r"(?<![^\W_])mỗi(?![^\W_])", clause[:max(0, clause.find(m.group()))], re.I):
        return "per_unit"
    return "units"


def _subject_text(par: str, m: re.Match, b: int) -> str:
    """The noun phrase after the quantity, up to its verb: '100% các huyện, thị xã, thành phố xây dựng' -> ..."""
    rest = re.sub(r"^\s*\(\s*\d+\s*/\s*\d+\s*\)", "", par[m.end():b])
    if m["cnt"] or m["wrd"] or m["frac"]:
        rest = " ".join(re.split(r"[;:()]", rest)[0].split()[:10])
    stop = _SUBJECT_STOP.search(" " + rest)
    text = rest[:stop.start() - 1] if stop and stop.start() > 1 else rest
    text = " ".join(text.split()[:14]).strip(" ,.;:")
    return text


def _cue_score(text: str, cues: list[str]) -> float:
    low = fold(text)
    return sum(len(c) for c in cues if re.search(rf"(?<![^\W_]){re.escape(fold(c))}(?![^\W_])", low))


def classify(cands: list[Candidate], cues: dict) -> None:
    """Give each candidate a subject code, a category and a confidence from the cue table."""
    for c in cands:
        # The subject text decides; the quote's other words break ties ("50 người" in a clause on cai nghiện).
        subj = {k: _cue_score(c.subject_text, v) + 0.1 * _cue_score(c.quote, v)
                for k, v in cues.get("subjects", {}).items()}
        if subj.get("xa") and subj.get("huyen") and "huyen_xa" in cues.get("subject_ids", ()):
            subj["huyen_xa"] = subj["xa"] + subj["huyen"] + 1
        cats = {k: _cue_score(c.quote, v) for k, v in cues.get("categories", {}).items()}
        best_s = max(subj.items(), key=lambda kv: kv[1], default=(None, 0))
        best_c = max(cats.items(), key=lambda kv: kv[1], default=(None, 0))
        c.subject = best_s[0] if best_s[1] else None
        c.category = best_c[0] if best_c[1] else None
        conf = 0.4 + (0.2 if c.subject else 0) + (0.2 if c.category else 0)
        runner = sorted(cats.values(), reverse=True)[1:2]
        if c.category and runner and runner[0] == best_c[1]:
            conf -= 0.1
            c.why.append("category: two categories fit equally")
        if not c.subject:
            c.why.append("subject: no lookup entry matches the subject text")
        if not c.category:
            c.why.append("category: no cue word in the quote")
        c.confidence = round(min(conf + (0.2 if not c.why else 0.0), 1.0), 2)


def _inherit(cands: list[Candidate]) -> None:
    """A part without its own subject or category takes its parent's (a per-unit count counts the parent's units)."""
    for c in cands:
        if c.parent is None:
            continue
        p = cands[c.parent]
        if c.unit == "per_unit" and p.subject:
            c.subject = p.subject
        if not c.subject and p.subject:
            c.subject = p.subject
            c.why.append("subject: taken from the target it is part of")
        if not c.category and p.category:
            c.category = p.category
            c.why = [w for w in c.why if not w.startswith("category")] + ["category: taken from the target it is part of"]
        c.why = [w for w in c.why if not (w.startswith("subject: no") and c.subject)]


def find_targets(paragraphs: list[str], *, period_end: int | None = None, cues: dict | None = None) -> list[Candidate]:
    """Every candidate target in the body's paragraphs, in reading order (results and situation left out)."""
    return find_all(paragraphs, period_end=period_end, cues=cues)[0]


def find_all(paragraphs: list[str], *, period_end: int | None = None, period_start: int | None = None,
             cues: dict | None = None) -> tuple[list[Candidate], list[Candidate]]:
    """(targets, results): every quantity of the body read as a commitment, or as a result or situation figure.

    ``period_start``: the plan's first year; a sentence opening with an earlier year ("Năm 2023, ...") reports.
    ``period_end``: the plan's year when it is for one year, the deadline of a target no sentence or heading
    dates (a range's end is not: its targets may be due every year or by then; they stay without a deadline).
    """
    out: list[Candidate] = []
    results: list[Candidate] = []
    state = Sections()
    table_header: str | None = None
    for pi, par in enumerate(paragraphs):
        if tables.is_row(par):
            if tables.is_header(par):
                table_header = par
            elif not state.skipping:
                _table_row(par, pi, table_header, state, period_end, out, results)
            continue
        table_header = None
        if _CAPTION.search(par):
            continue  # a photo's caption ("... bắt giữ nhóm 6 đối tượng. Ảnh: ĐVCC"): an event, not a target
        matches = [m for m in QUANTITY_RE.finditer(par) if not _excluded(par, m)]
        if state.heading(par, bool(matches)):
            continue
        in_purposes = state.skipping and _PURPOSE_COMMIT.match(par) is not None
        if state.skipping and not in_purposes or par.isupper():
            continue
        parts_from = next((m.start() for m in re.finditer(r"(?<![^\W_])trong đó(?![^\W_])", par, re.I)), len(par))
        if not state.result_reason():
            out.extend(_composite(par, pi, state.year or period_end, out))
        first_in_par = len(out)
        # A list item going on from a paragraph that ended on ";" ("... trong năm 2015, phấn đấu ... 4.400 bệnh nhân;"
        # / "đưa 21 cơ sở ... vào hoạt động"): the year its sentence began with is still its deadline.
        carried = _deadline(paragraphs[pi - 1], len(paragraphs[pi - 1]), "") \
            if pi and re.match(rf"[{_LOWER}]", par) and paragraphs[pi - 1].rstrip().endswith(";") else None
        for m in matches:
            parts_mode = m.start() > parts_from and not re.search(r"\.\s", par[parts_from:m.start()])
            a, b = _clause(par, m.start(), m.end(), parts_mode, [o for o in matches if o is not m])
            quote = par[a:b]
            if not quote:
                continue
            cand = _candidate(par, pi, m, a, b, out, first_in_par)
            _sibling(cand, par, m, out[first_in_par:])
            cand.deadline = _deadline(par, a, quote) or carried or (
                None if _FURTHER_AIM.search(_sentence_before(par, m.start())) else state.year or period_end)
            why_result = state.result_reason() or result_reason(par, a, m, period_start)
            if why_result and state.result_reason() and not result_reason(par, a, m, period_start) and _deadline(par, a, quote) \
                    and NEW_COMMIT_RE.search(_sentence_before(par, m.start()) + quote):
                # A commitment quoted in a situation section ("... bảo đảm đến hết năm 2030, có ít nhất 50% ...").
                why_result = None
                cand.why.append("in a results or situation section: a commitment quoted there? check it")
            if why_result:
                cand.why.append(why_result)
                results.append(cand)
                continue
            committed = state.mode == "target" or COMMIT_RE.search(_sentence_before(par, m.start())) \
                or COMMIT_RE.search(quote)
            if m["frac"]:
                cand.why.append(f"fraction {m['f1']}/{m['f2']}: the value is the count, check the unit")
            if pct_parent(par, m, a, out, first_in_par) is not None and not m["pct"]:
                cand.parent = pct_parent(par, m, a, out, first_in_par)
            elif parts_mode:
                heads = [i for i in range(first_in_par, len(out)) if out[i].start < parts_from]
                cand.parent = heads[-1] if heads else None
            if (same := _restated(cand, out)) is not None:
                if cand.paragraph != same.paragraph:
                    same.also.append(cand.quote)
                    if same.why and not cand.why and committed:  # the surer statement becomes the quote
                        same.also[-1] = same.quote
                        same.quote, same.why, same.paragraph, same.start = cand.quote, [], cand.paragraph, cand.start
                        same.deadline, same.subject_text = cand.deadline, cand.subject_text
                continue
            if in_purposes:
                cand.why.append("in the purposes and requirements section: check that it is one of the plan's targets")
            if not committed:
                cand.why.append("no commitment word (phấn đấu, bảo đảm, ít nhất ...) and no Mục tiêu heading: "
                                "check that it is a target, not a result")
            out.append(cand)
    classify(out, cues or {})
    _inherit(out)
    return out, results


# A figure inside the brackets spelling out an aim the plan heads towards ("hướng đến mục tiêu 90-90-90 (90% ...;"):
# a further aim, with no deadline of its own (not the plan's year).
_FURTHER_AIM = re.compile(r"hướng (?:tới|đến)[^;()]{0,60}\([^)]*$", re.I)


# The treatment cascade written as one figure: "mục tiêu 90-90-90" (diagnosed, treated, suppressed, in percent).
_COMPOSITE = re.compile(r"(?<![\d,.\-/])(\d{2})-(\d{2})-(\d{2})(?![\d\-/])")


# The nation's or the world's cascade, which a provincial text answers to: "hưởng ứng các mục tiêu 90-90-90",
# "Việt Nam tiếp tục theo đuổi ... mục tiêu 90-90-90".
_OTHERS_GOAL = re.compile(r"(?<![^\W_])(?:hưởng ứng|Việt Nam|toàn quốc|cả nước|thế giới|toàn cầu)(?![^\W_])", re.I)


# The cascade's three steps spelled out in brackets right after it, each a percentage of its own.
_SPELLED = re.compile(r"\s*\([^()]*\)")
_SPELLED_STEP = re.compile(r"(?:^\s*\(|;)\s*(\d{2})\s*%")


def _composite(par: str, pi: int, deadline: int | None, seen: list[Candidate] = ()) -> list[Candidate]:
    """Three percentage targets for each "90-90-90" a commitment names (the cascade's three steps); one named again
    is a restatement (its quote goes to ``also`` of those in ``seen``), one the nation or the world sets is context."""
    out = []
    for m in _COMPOSITE.finditer(par):
        named = list(re.finditer(r"(?<![^\W_])mục tiêu(?![^\W_])", par[max(0, m.start() - 60):m.start()], re.I))
        if not named:
            continue  # a composite figure that no "mục tiêu" names (a date range, a code) is not read
        a = max(0, m.start() - 60) + named[-1].start()
        quote = par[a:m.end()]
        if _OTHERS_GOAL.search(_sentence_before(par, a)):
            continue
        if _SPELLED.match(par, m.end()) and [x[1] for x in _SPELLED_STEP.finditer(_SPELLED.match(par, m.end())[0])] \
                == [m[1], m[2], m[3]]:
            continue  # "90-90-90 (90% người nhiễm HIV biết ...; 90% ...; 90% ...)": the steps, read as they are written
        earlier = [c for c in list(seen) + out if c.why and c.why[0].startswith(f"composite notation {m.group()}:")]
        if earlier:
            for c in earlier:
                c.also.append(quote)
            continue
        for k in (1, 2, 3):
            c = Candidate(float(m[k]), None, "percent", "=", "đạt", "", quote, pi, m.start(k),
                          _deadline(par, a, quote) or deadline)
            c.why.append(f"composite notation {m.group()}: target {k} of the cascade (diagnosed, treated, "
                         "suppressed): check what it counts")
            out.append(c)
    return out


def _table_row(par: str, pi: int, header: str | None, state: Sections, period_end: int | None,
               out: list[Candidate], results: list[Candidate]) -> None:
    """The targets (or results) of one table row, added to ``out`` (or ``results``)."""
    for cell in tables.row_values(par, header):
        unit = tables.unit_code(cell.unit, cell.indicator, cell.value)
        cand = Candidate(parse_number(cell.value), None, unit, "=",
                         "giảm" if unit == "percent_reduction" else "đạt", cell.indicator[:120],
                         par[cell.start:cell.end], pi, cell.start, cell.deadline or state.year or period_end)
        cand.why.append("read from a table row: check the column it was read from")
        if cell.result or state.result_reason():
            cand.why.append("result: a results column or section")
            results.append(cand)
        elif (same := _restated(cand, out)) is not None:
            same.also.append(cand.quote)
        else:
            out.append(cand)


def pct_parent(par: str, m: re.Match, a: int, out: list[Candidate], first_in_par: int) -> int | None:
    """The percentage of the same clause a count belongs to ("100% các xã ... ít nhất 1 hoạt động"), or None."""
    return next((i for i in range(len(out) - 1, first_in_par - 1, -1)
                 if out[i].unit.startswith("percent") and a <= out[i].start < m.start()), None)


def _candidate(par: str, pi: int, m: re.Match, a: int, b: int, out: list[Candidate], first_in_par: int) -> Candidate:
    """The reading of one quantity in its clause par[a:b]: value, unit, comparator, direction, subject."""
    quote = par[a:b]
    pct_before = pct_parent(par, m, a, out, first_in_par) is not None
    if m["pct"]:
        value, vmax = parse_number(m["p1"]), parse_number(m["p2"]) if m["p2"] else None
    elif m["frac"]:
        value, vmax = parse_number(m["f1"]), None
    elif m["cnt"]:
        value, vmax = parse_number(m["c1"]), parse_number(m["c2"]) if m["c2"] else None
    else:
        value, vmax = parse_number(m["w1"]), None
    if vmax is not None and vmax <= value:
        vmax = None
    before = par[max(a, m.start() - 20):m.start()]
    before = re.sub(r"\btừ\s*$", "", before)
    comparator = next((c for rx, c in _COMPARATORS if rx.search(before)), "=")
    if comparator == "=" and (after := re.match(r"\s*(?:[^\W\d_]+\s+){0,4}?trở (lên|xuống)(?![^\W_])",
                                                par[m.end():b])):
        comparator = ">=" if after[1] == "lên" else "<="  # "tăng từ 5% trở lên", "từ 18 tuổi trở lên"
    clause_low = par[a:m.start()].lower()
    direction = ("giảm" if _REDUCE.search(clause_low) else
                 "duy trì" if "duy trì" in clause_low else
                 "tăng" if re.search(r"(?<![^\W_])tăng(?![^\W_])", clause_low) else "đạt")
    if direction == "đạt" and re.search(r"duy trì", par[:a], re.I) and m["cnt"] and ":" in par[:a]:
        direction = "duy trì"  # "Tiếp tục duy trì ...: 25 Đội ...; 06 Điểm ..."
    unit = _unit(par, m, quote, pct_before)
    if unit == "people" and _EACH_HAS.match(par, a) and any(
            c.unit == "percent" and c.start < a and not _PERSONS.match(par, c.start + len(_num_text(c, par)))
            for c in out[first_in_par:]):
        unit = "per_unit"  # "Đạt 60% số cơ quan ... bố trí nhân sự. Trong đó, có ít nhất 01-02 cán bộ ...": in each
    return Candidate(value, vmax, unit, comparator, direction, _subject_text(par, m, b), quote, pi, m.start())


# A sentence on what each counted unit has, after a percentage of units: "Trong đó, có ít nhất 01-02 cán bộ ...".
_EACH_HAS = re.compile(r"\s*trong đó\s*,?\s*có\s", re.I)
_PERSONS = re.compile(r"\s*(?:số\s+|các\s+)?" + _PERSON_NOUNS, re.I)


def _num_text(c: Candidate, par: str) -> str:
    """The written percentage a candidate starts at ("60%", "60 %")."""
    n = re.match(r"[\d.,]+\s*%", par[c.start:])
    return n.group() if n else ""


_GENERIC = set("""xã phường thị trấn huyện tỉnh thành phố trên địa bàn các được và về của phòng chống năm đến có
ít nhất tối thiểu trong với cho số""".split())


def _words_after(c: Candidate) -> list[str]:
    """The content words of a candidate's quote after its quantity: what the number is about."""
    q = fold(c.quote)
    num = fold(str(int(c.value)) if c.value.is_integer() else str(c.value))
    i = q.find(num.split(".")[0])
    rest = q[i:] if i >= 0 else q
    after = [w for w in re.findall(r"[^\W\d_]+", rest) if w not in _GENERIC]
    # "Tỷ lệ thanh niên ... đạt 70% vào năm 2025": what the number is about comes before it
    return after if len(after) >= 3 else [w for w in re.findall(r"[^\W\d_]+", q) if w not in _GENERIC]


def _restated(cand: Candidate, found: list[Candidate]) -> Candidate | None:
    """The earlier candidate this one restates (same value, unit and comparator, about the same thing), or None."""
    words = _words_after(cand)
    for o in found:
        if (o.value, o.value_max, o.unit) != (cand.value, cand.value_max, cand.unit) \
                or o.paragraph == cand.paragraph and o.quote != cand.quote:
            continue
        other = _words_after(o)
        small = min(len(set(words)), len(set(other)))
        # The same words (a restatement), or nearly the same spelling ("Điểm tư vấn" / "Điểm tư vn": a typo).
        if small and (len(set(words) & set(other)) / small >= 0.8 and o.comparator == cand.comparator
                      or SequenceMatcher(None, " ".join(words), " ".join(other)).ratio() >= 0.85):
            return o
    return None
