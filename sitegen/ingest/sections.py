"""Where a number stands in a plan: under a target heading, a results heading, or in a sentence about the past.

A plan's numbers are of two kinds. Commitments: what the plan sets out to reach ("phấn đấu", "ít nhất",
"bảo đảm", "đến năm 2030", items under "Mục tiêu" or "Chỉ tiêu"). Results and situation: what was
done or what is there ("đã", "đạt 103% kế hoạch", "412 người/400 người", "tính đến", "hiện nay",
sections "Kết quả", "Tình hình", "Thực trạng"). ``Sections`` follows the headings as the paragraphs
are read: the kind of the section, and a deadline a heading states once for the items below it
("Mục tiêu cụ thể đến năm 2030:"). ``result_reason`` reads the sentence around one number.
"""
from __future__ import annotations

import re

_W = r"(?<![^\W_])"
_E = r"(?![^\W_])"
# Sections whose numbers are not targets (general objectives, purposes, requirements): skipped.
SKIP_SECTIONS = re.compile(r"^(?:\d+\.|[a-zđ]\))\s*(?:Mục tiêu chung|Mục đích|Yêu cầu|Quan điểm)\s*:?\s*$", re.I)
ROMAN = re.compile(r"^[IVX]+\.\s")
NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*\.?\s+|[a-zđ]\)\s*)[^\d\s]", re.I)
RESULT_HEAD = re.compile(rf"{_W}(?:kết quả|tình hình|thực trạng|đánh giá|bối cảnh|khái quát|đặc điểm|tổng kết"
                         rf"|sơ kết){_E}", re.I)
TARGET_HEAD = re.compile(rf"{_W}(?:mục tiêu|chỉ tiêu|nhiệm vụ|giải pháp|lộ trình|nội dung|tổ chức thực hiện"
                         rf"|yêu cầu cụ thể){_E}", re.I)
_YEAR_AT = r"((?:19|20)\d\d)(?!\s*[-–/]\s*\d)"
HEAD_YEAR = re.compile(rf"(?:(?:đến|vào|trong|hết)\s+(?:hết\s+)?năm|giai đoạn\s+(?:19|20)\d\d\s*[-–]|^năm|chỉ tiêu năm"
                       rf"|mục tiêu năm)\s*{_YEAR_AT}", re.I)
# The deadline in a target's own sentence: "đến năm 2030", "vào năm 2030", "ngay trong năm 2025",
# "đến hết năm 2030", or a clause opening with its year ("năm 2027 đạt ít nhất 25%").
# A period its sentence names ("giai đoạn từ 2021 - 2025 tỉnh phấn đấu ...") gives its end.
QUOTE_YEAR = re.compile(rf"(?:(?:đến|vào|trong|hết)\s+(?:hết\s+)?năm\s+{_YEAR_AT}|^\s*(?:trong\s+)?năm\s+{_YEAR_AT}"
                        rf"(?=\s*,?\s*[^\W\d_])|%\s+năm\s+{_YEAR_AT}(?=\s*[.;]|\s*$)"  # "đạt 92% năm 2025."
                        rf"|giai đoạn\s+(?:từ\s+)?(?:năm\s+)?(?:19|20)\d\d\s*[-–]\s*((?:19|20)\d\d))", re.I)
# Words that make a number a commitment.
COMMIT_RE = re.compile(rf"{_W}(?:phấn đấu|bảo đảm|đảm bảo|ít nhất|tối thiểu|chỉ tiêu|mục tiêu|đến năm|vào năm"
                       rf"|đến hết năm|trong năm|hằng năm|hàng năm|mỗi năm|duy trì|không để|giảm|tăng|kiểm tra"
                       rf"|tổ chức|xây dựng|100%|mỗi|đạt){_E}", re.I)
# Words opening a new commitment after a result in the same sentence ("...; năm 2022 tiếp tục ... ít nhất").
NEW_COMMIT_RE = re.compile(rf"{_W}(?:phấn đấu|bảo đảm|đảm bảo|ít nhất|tối thiểu|tiếp tục|chỉ tiêu|mục tiêu|đến năm"
                           rf"|vào năm|đến hết năm){_E}", re.I)
# Words before a number, in its sentence, that make it a result or a situation figure.
PAST_RE = re.compile(rf"{_W}(?:đã|năm qua|những năm qua|vừa qua|kết quả|so với cùng kỳ|tính đến|tính tới|hiện nay"
                     rf"|hiện có|hiện đang|theo số liệu|số liệu thống kê|thống kê|lũy kế|luỹ kế|theo báo cáo"
                     rf"|so với năm trước|(?:cho )?đến nay|qua khảo sát|hiện(?=\s+(?:toàn|trên|tại|đang|còn))){_E}", re.I)
# A past word that tells of the plan's adoption ("đã đề ra các mục tiêu cụ thể như: 100% ...", "đã có quyết định
# giao ... 990 bệnh nhân"): the figures after it are the commitments adopted, not results.
ADOPTED_RE = re.compile(rf"{_W}(?:đề ra|đặt ra|ban hành|phê duyệt|có quyết định|quyết định giao|giao chỉ tiêu"
                        rf"|xác định (?:các |những )?(?:mục tiêu|chỉ tiêu)){_E}", re.I)
# A paragraph reporting what is there at a date or over past months: "Tính đến 30/4/2016, ...", "Trong 04 tháng
# đầu năm 2016, phát hiện ...", "Theo số liệu thống kê, ...". Its numbers are the situation, whatever the sentence.
SITUATION_OPENING = re.compile(r"\s*(?:[-+•]\s*)?(?:Tính (?:đến|tới)\s+(?:ngày\s+|hết\s+|cuối\s+)?(?:\d{1,2}\s*/\s*\d{1,2}"
                               r"|tháng|năm)|Trong\s+\d+\s+tháng\s+(?:đầu|cuối)\s+năm"
                               r"|Theo (?:số liệu(?:\s+thống kê)?|thống kê)[^,.;]{0,50},)", re.I)
# A passive report of facilities opened: "2 cơ sở ... mới được đưa vào hoạt động" (a plan writes "đưa ... vào hoạt động").
_PUT_IN_USE = re.compile(rf"{_W}(?:mới\s+|đã\s+)?được\s+đưa\s+vào\s+(?:hoạt động|sử dụng){_E}", re.I)
# After a number: it is measured against a plan or a share of a whole ("đạt 103,9% kế hoạch", "chiếm 28%").
PAST_AFTER = re.compile(r"^\s*(?:%\s*)?(?:kế hoạch|so với kế hoạch|chỉ tiêu (?:được )?giao|KH)(?![^\W_])", re.I)
_SHARE = re.compile(rf"{_W}(?:chiếm|đạt tỷ lệ|bằng){_E}\s*(?:tỷ lệ\s*)?(?:(?:trên|dưới|khoảng|gần|hơn){_E}\s*)?$", re.I)
_FRACTION_RESULT = re.compile(r"\d+(?:\.\d{3})*\s*(?:[^\W\d_]+\s*){0,2}/\s*\d+(?:\.\d{3})*\s*(?:[^\W\d_]+\s*){0,2}"
                              r",?\s*đạt", re.I)


_PLACE_ABBR = re.compile(r"(?<![^\W_])(?:TP|TX|Tp|TT|Q|P)$")


def _sentence_before(par: str, pos: int) -> str:
    """The text of ``par`` from the start of the sentence holding ``pos`` up to ``pos``."""
    # "TX. An Khê", "TP. Pleiku": the stop of a place's abbreviation does not end the sentence.
    starts = [m.end() for m in re.finditer(r"[.!?]\s+(?=\S)", par[:pos])
              if not _PLACE_ABBR.search(par, 0, m.start())]
    return par[(starts[-1] if starts else 0):pos]


# "..., hướng tới mục tiêu chấm dứt bệnh AIDS vào năm 2030": the year of a further goal, not of the figure before.
FURTHER_GOAL_RE = re.compile(r"hướng tới[^.;()]{0,60}$", re.I)


_YEAR_JUST_BEFORE = re.compile(rf"(?<![^\W_])(?:và|đến|vào)\s+năm\s+{_YEAR_AT}\s*,\s*$", re.I)
# "Trong lộ trình thực hiện, năm 2026 sẽ tập trung ...": a clause opening on the year, after a comma.
_CLAUSE_YEAR = re.compile(rf",\s*năm\s+{_YEAR_AT}\s+(?:sẽ|phấn đấu|tiếp tục)(?![^\W_])", re.I)


def _deadline(par: str, a: int, quote: str) -> int | None:
    """The year a target's own clause or sentence sets as its deadline, or None."""
    m = QUOTE_YEAR.search(quote) or _CLAUSE_YEAR.search(quote)
    if m and FURTHER_GOAL_RE.search(quote[:m.start()]):
        return None
    if m is None and not re.search(r"[.!?]\s*$", par[:a]):  # a clause opening its sentence has nothing before it
        before = _sentence_before(par, a)
        # "Đến năm 2025, trên 80% và năm 2030, trên 90% ...": the year just before the figure is its own
        m = _YEAR_JUST_BEFORE.search(before) or QUOTE_YEAR.search(before)
    if m is None:
        return None
    return int(next(g for g in m.groups() if g))


# What the province has, told with no commitment: "toàn tỉnh có 1.294 người nghiện", "trên địa bàn thành phố có 48 xã".
_HAS_NOW = re.compile(rf"{_W}(?:toàn tỉnh|toàn thành phố|cả tỉnh|trên địa bàn(?:\s+(?:tỉnh|thành phố|huyện))?)"
                      rf"(?:\s+[^\W\d_]+){{0,3}}?\s+có\s+(?:khoảng\s+|hơn\s+|trên\s+)?$", re.I)


# The nation as a figure's scope: a national target or average quoted in a provincial plan is not its target.
NATIONAL_RE = re.compile(rf"{_W}(?:toàn quốc|cả nước|phạm vi cả nước|trên địa bàn cả nước){_E}", re.I)


def result_reason(par: str, a: int, m: re.Match, period_start: int | None = None) -> str | None:
    """Why the number at ``m`` (clause starting at ``a``) reads as a result or situation figure, or None."""
    clause_end = min([i for i in (par.find(c, m.end()) for c in (";", ". ", "(", ")")) if i >= 0] + [len(par)])
    if NATIONAL_RE.search(par, a, clause_end):
        return f"context: a national figure (“{NATIONAL_RE.search(par, a, clause_end).group()}”), not this plan's"
    before = _sentence_before(par, m.start())
    if SITUATION_OPENING.match(par) and not NEW_COMMIT_RE.search(before):
        return "situation: its paragraph opens with a count of what is there (Tính đến ..., Trong 4 tháng đầu năm ...)"
    opening = re.match(r"\s*(?:[-+•]\s*)?(?:trong\s+)?năm\s+((?:19|20)\d\d)\s*,", before, re.I)
    if opening and period_start and int(opening[1]) < period_start and not NEW_COMMIT_RE.search(before):
        return f"result: its sentence reports on {opening[1]}, before the plan's period"
    semi = before.rfind(";")
    if semi >= 0 and (NEW_COMMIT_RE.search(before[semi:]) or QUOTE_YEAR.search(before[semi + 1:])):
        before = before[semi + 1:]  # "... đã phát hiện 23 vụ; năm 2022 tiếp tục tổ chức ít nhất 4 đợt": a new clause
    past = list(PAST_RE.finditer(before))
    if past and not ADOPTED_RE.search(before, past[-1].start()):
        return f"result: its sentence says “{past[-1].group()}”"
    if _HAS_NOW.search(before) and not COMMIT_RE.search(before):
        return "situation: what the province has (“toàn tỉnh có ...”), with no commitment word"
    after = par[m.end():m.end() + 40]
    sentence = before + par[m.start():min([i for i in (par.find(". ", m.end()), len(par)) if i >= 0])]
    if _PUT_IN_USE.search(sentence) and not NEW_COMMIT_RE.search(sentence) and not re.search(rf"{_W}sẽ{_E}", sentence):
        return "result: its sentence reports what was put into operation (được đưa vào hoạt động)"
    if re.match(r"[^;.()]{0,30}?so với cùng kỳ", after, re.I):
        return "result: compared with the same period of an earlier year (so với cùng kỳ)"
    if m["pct"] and re.search(rf"{_W}từ\s*$", par[max(a, m.start() - 8):m.start()], re.I) \
            and re.match(rf"\s*%?\s*(?:năm\s+(?:19|20)\d\d\s+)?(?:lên|xuống|còn){_E}", after, re.I):
        return "result: the starting level of a change (từ x% năm ... lên y%), not the target"
    if m["pct"] and PAST_AFTER.match(after):
        return "result: a share of an earlier plan"
    if re.match(r"[^;.]{0,40}?,?\s*đạt\s+[\d,]+\s*%\s*(?:so với\s+)?(?:kế hoạch|chỉ tiêu)", after, re.I):
        return "result: followed by its share of an earlier plan (đạt x% kế hoạch)"
    share = _SHARE.search(par[max(a, m.start() - 22):m.start()])
    if share and share.group().lower().startswith("đạt") and NEW_COMMIT_RE.search(before):
        share = None  # "tỉnh phấn đấu đạt tỷ lệ 100% ...": a commitment's level, not a share of a whole
    if share or re.search(
            rf"{_W}chiếm\s+(?:tỷ lệ\s*)?[\d,]+\s*%", par[m.end():m.end() + 80].split(".")[0], re.I):
        return "result: a share of a whole (chiếm)"
    if _FRACTION_RESULT.match(par, m.start()) or re.match(r"\s*/\s*\d", after) and re.search(r"đạt", after):
        return "result: done against planned (x/y, đạt ...)"
    if re.search(r"\d\s*(?:[^\W\d_]+\s*){0,2}/\s*\d+[^,;]{0,20},?\s*đạt\s+[\d,]+\s*%", par[max(a, m.start() - 40):
                                                                                          m.end() + 40]):
        return "result: done against planned (x/y, đạt ...)"
    return None


class Sections:
    """The section the reader is in: its kind (target, result, neutral), whether to skip it, its deadline."""

    def __init__(self) -> None:
        self.mode = "neutral"  # of the current top-level (roman) section
        self.sub_mode: str | None = None  # of the current numbered sub-section, when it says
        self.top_skip = False
        self.sub_skip = False
        self.top_year: int | None = None
        self.sub_year: int | None = None
        self._roman: str | None = None  # the roman heading just read, for its capital second line
        self._numbered: list[tuple[str, int | None]] = []  # the numbered headings above ("2." then "2.1.") and years

    @property
    def skipping(self) -> bool:
        """Whether the reader is in a section whose numbers are not targets (objectives, purposes)."""
        return self.top_skip or self.sub_skip

    @property
    def year(self) -> int | None:
        """The deadline the headings above state for the items below them."""
        return self.sub_year or self.top_year

    def kind(self) -> str:
        """The kind of the section the reader is in."""
        return self.sub_mode or self.mode

    def result_reason(self) -> str | None:
        """Why every number here is a result (a "Kết quả" or "Tình hình" section), or None."""
        return "result: in a results or situation section" if self.kind() == "result" else None

    def heading(self, par: str, has_quantity: bool) -> bool:
        """Read ``par`` as a heading if it is one (and say so): a short numbered, lettered or capital line."""
        text = par.strip()
        prev, self._roman = self._roman, None
        if has_quantity or len(text) > 140:
            return False
        roman = bool(ROMAN.match(text)) or text.isupper() and len(text) < 100
        if roman and prev and not ROMAN.match(text) and not NUMBERED.match(text):
            text = f"{prev} {text}"  # "I. ĐẶC ĐIỂM" / "CHUNG": a heading broken over two lines is one heading
        numbered = bool(NUMBERED.match(text)) and not text.endswith((".", ";"))
        colon = text.endswith(":") and len(text) < 90 and not re.search(r"[.;]", text[:-1])
        if not (roman or numbered or colon):
            return False
        year = HEAD_YEAR.search(text)
        year = int(year.group(year.lastindex)) if year else None
        kind = "result" if RESULT_HEAD.search(text) and not re.match(r"\S+\s+(?:MỤC TIÊU|CHỈ TIÊU)", text, re.I) \
            else "target" if TARGET_HEAD.search(text) or year else None
        if roman:
            self._roman = text
            self._numbered = []
            self.mode = kind or "neutral"
            self.sub_mode, self.sub_year, self.top_year = None, None, year
            self.top_skip = bool(re.search(r"mục đích|yêu cầu|quan điểm", text, re.I)) and kind != "target"
            self.sub_skip = False
            return True
        self.sub_skip = bool(SKIP_SECTIONS.match(text))
        # "2. Mục tiêu và các chỉ tiêu cụ thể đến năm 2025" / "2.1. Nâng cao ... Chỉ tiêu:": the year of the heading
        # above goes on under the deeper one that states none.
        num = re.match(r"(\d+(?:\.\d+)*)\.?\s", text)
        if num:
            self._numbered = [(n, y) for n, y in self._numbered if num[1].startswith(n + ".")]
            year = year or next((y for _, y in reversed(self._numbered) if y), None)
            kind = kind or next(("target" for n, y in self._numbered if y), None)
            self._numbered.append((num[1], year))
        self.sub_mode = kind
        self.sub_year = year
        return True
