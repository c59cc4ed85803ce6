"""Reader-facing wording derived from the data: plain transforms used by the page contexts.

A policymaker reads "15 xã, phường, thị trấn", not "15 đơn vị"; "Chủ tịch", not "CHỦ TỊCH"; a
reference to another target by what it says, not by its internal id ("xem t03"). An English page
marks the Vietnamese words it quotes with lang="vi" (WCAG 3.1.2), so that a screen reader reads
them with Vietnamese rules: `runs` cuts a text into such pieces.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Letters only Vietnamese uses among the languages of the site (English has none of them).
VI_LETTERS = frozenset("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
                       "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ")
WORD = re.compile(r"[^\W\d_]+")
# A quotation in curly quotes, as the notes write the Vietnamese words they quote.
QUOTED = re.compile(r"“[^”]*”")
TARGET_ID = re.compile(r"\bt\d{2,}\b")
# Words a title keeps capitalised after the first ("Phó Chủ tịch", "KT. Chủ tịch").
TITLE_HEADS = ("chủ tịch", "giám đốc", "bí thư", "trưởng ban", "thủ trưởng")

# English names of Vietnamese document types, for the English edition.
DOC_TYPES_EN = {"Kế hoạch": "Plan", "Chỉ thị": "Directive", "Quyết định": "Decision", "Nghị định": "Decree",
                "Nghị quyết": "Resolution", "Công văn": "Official letter", "Luật": "Law", "Pháp lệnh": "Ordinance",
                "Kết luận": "Conclusion", "Chương trình hành động": "Action programme", "Chương trình": "Programme",
                "Chiến lược": "Strategy", "Thông tư": "Circular", "Hướng dẫn": "Guidance", "Đề án": "Scheme"}


@dataclass(frozen=True)
class Run:
    """A piece of text and the language it is in ("" = the page's language)."""

    text: str
    lang: str = ""


def is_vi_word(word: str) -> bool:
    """Whether a word has a letter that only Vietnamese uses (so it is not English)."""
    return any(c in VI_LETTERS for c in word)


def vi_word_runs(text: str, min_words: int = 2) -> list[str]:
    """The runs of at least `min_words` consecutive words with Vietnamese letters (what the English
    edition's checker looks for)."""
    found, current = [], []
    for word in WORD.findall(text):
        if is_vi_word(word):
            current.append(word)
            continue
        if len(current) >= min_words:
            found.append(" ".join(current))
        current = []
    if len(current) >= min_words:
        found.append(" ".join(current))
    return found


def runs(text: str, page_lang: str) -> tuple[Run, ...]:
    """`text` cut into runs, its Vietnamese words marked "vi" on an English page.

    On an English page, a quotation (“…”) with a Vietnamese letter is Vietnamese as a whole, and
    so is a stretch of words from the first to the last word with a Vietnamese letter when no
    lower-case English word of three or more letters stands between them ("Cơ sở cai nghiện ma
    túy tỉnh", "Báo Ninh Thuận" are one run each; "bằng the" is not). On a Vietnamese page the text is one run.
    """
    if page_lang == "vi" or not text:
        return (Run(text),) if text else ()
    spans: list[tuple[int, int]] = []
    for m in QUOTED.finditer(text):
        if any(c in VI_LETTERS for c in m.group()):
            spans.append((m.start() + 1, m.end() - 1))
    start = end = None
    for m in WORD.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        if is_vi_word(m.group()):
            start = m.start() if start is None else start
            end = m.end()
        elif start is not None and m.group().islower() and (
                m.group() in _ENGLISH_SHORT or (len(m.group()) >= 3 and m.group() not in _PLAIN_SYLLABLES)):
            spans.append((start, end))
            start = end = None
    if start is not None:
        spans.append((start, end))
    spans.sort()
    out: list[Run] = []
    pos = 0
    for a, b in spans:
        if a > pos:
            out.append(Run(text[pos:a]))
        out.append(Run(text[a:b], "vi"))
        pos = b
    if pos < len(text):
        out.append(Run(text[pos:]))
    return tuple(out)


# Vietnamese syllables without a Vietnamese letter that notes write between Vietnamese words
# ("cai nghiện ma túy", "Phụ biểu 01", "tin bài"): an English word would end the run there.
_ENGLISH_SHORT = frozenset("a an at by in is of on or to".split())
_PLAIN_SYLLABLES = frozenset("cai tin xin nhanh thanh tranh sinh minh binh chinh kinh linh tinh".split())


def normal_case_title(title: str) -> str:
    """A title written in capitals, in normal case: 'CHỦ TỊCH' -> 'Chủ tịch',
    'PHÓ CHỦ TỊCH' -> 'Phó Chủ tịch'. A title already in mixed case is kept."""
    if not title or title != title.upper():
        return title
    # An abbreviation ("KT.", "TM.") stays in capitals.
    low = re.sub(r"\b\w+\.|\S+", lambda m: m.group() if m.group().endswith(".") else m.group().lower(), title)
    for head in TITLE_HEADS:
        low = re.sub(rf"(?<![^\s.]){head}", head[0].upper() + head[1:], low)
    return low[0].upper() + low[1:]


def unit_in_quote(quote: str, value_written: list[str], subject_text: str) -> str:
    """The words a quote counts in, right after its number: '15 xã, phường, thị trấn lành mạnh'
    with subject 'xã, phường, thị trấn' gives 'xã, phường, thị trấn'. '' when the quote does not
    put the subject right after the number (then the unit's label is used)."""
    subject = subject_text.strip()
    if not subject:
        return ""
    for number in value_written:
        for m in re.finditer(rf"(?<![\d.,]){re.escape(number)}(?![\d])\s+", quote):
            rest = quote[m.end():]
            if rest.lower().startswith(subject.lower()):
                return rest[:len(subject)]
            # "các xã, phường" as the subject, "15 xã, phường" in the quote
            bare = re.sub(r"^(các|những|số)\s+", "", subject, flags=re.I)
            if bare != subject and rest.lower().startswith(bare.lower()):
                return rest[:len(bare)]
    return ""


def written_numbers(value: float) -> list[str]:
    """How a quote may write a whole value: '4' and '04'; a fraction as '1,5' and '1.5'."""
    if value == int(value):
        n = int(value)
        return [f"{n:02d}", str(n)] if n < 10 else [str(n)]
    text = f"{value}".rstrip("0")
    return [text.replace(".", ","), text]


def replace_target_ids(note: str, names: dict[str, str]) -> str:
    """A note with each target id it names ('t03') replaced by what the target says
    ('chỉ tiêu “≥ 1 mỗi xã”'); ids not in `names` are left as written."""
    return TARGET_ID.sub(lambda m: names.get(m.group(), m.group()), note)


# The standard English names of the provincial bodies that issue plans, by their Vietnamese form.
ISSUER_FORMS = (("Ủy ban nhân dân tỉnh ", "the People's Committee of {} Province"),
                ("Hội đồng nhân dân tỉnh ", "the People's Council of {} Province"),
                ("Tỉnh ủy ", "the {} Provincial Party Committee"))


def issuer_gloss(issuer: str, province: str) -> str:
    """'Ủy ban nhân dân tỉnh Trà Vinh' -> "the People's Committee of Trà Vinh Province"; '' for a
    name of another form (shown in Vietnamese)."""
    for vi, en in ISSUER_FORMS:
        if issuer.replace("Uỷ", "Ủy") == vi + province:
            return en.format(province)
    return ""


# The bodies that issue instruments and the levels the legal index sorts them by, as English names them
# (WCAG 3.1.2 asks for the language, an English reader for the meaning): shown "English (Vietnamese)".
BODIES_EN = {"Trung ương Đảng": "Party Central Committee", "Bộ Chính trị": "Politburo",
             "Quốc hội": "National Assembly", "Ủy ban Thường vụ Quốc hội": "National Assembly Standing Committee",
             "Chính phủ": "Government", "Văn phòng Chính phủ": "Government Office",
             "Thủ tướng Chính phủ": "Prime Minister", "Bộ": "Ministry", "Bộ Công an": "Ministry of Public Security",
             "Bộ trưởng Bộ Công an": "Minister of Public Security",
             "Bộ Lao động - Thương binh và Xã hội": "Ministry of Labour, Invalids and Social Affairs",
             "Tỉnh ủy": "Provincial Party Committee", "HĐND tỉnh": "Provincial People's Council",
             "UBND tỉnh": "Provincial People's Committee", "Sở": "Provincial department", "Khác": "Other"}
# Other forms, with the province's name after them: "Chủ tịch Ủy ban nhân dân tỉnh Trà Vinh".
BODY_FORMS_EN = (("Chủ tịch Ủy ban nhân dân tỉnh ", "Chairman of the People's Committee of {} Province"),
                 ("Ủy ban nhân dân tỉnh ", "People's Committee of {} Province"),
                 ("Hội đồng nhân dân tỉnh ", "People's Council of {} Province"),
                 ("Ban Thường vụ Tỉnh ủy ", "Standing Board of the {} Provincial Party Committee"),
                 ("Tỉnh ủy ", "{} Provincial Party Committee"),
                 ("Sở Lao động - Thương binh và Xã hội tỉnh ", "{} Department of Labour, Invalids and Social Affairs"))


def body_en(name: str) -> str:
    """An issuing body or level in English ('Quốc hội' -> 'National Assembly'); '' when it has no gloss."""
    name = name.replace("Uỷ", "Ủy")
    if name in BODIES_EN:
        return BODIES_EN[name]
    for vi, en in BODY_FORMS_EN:
        if name.startswith(vi) and len(name) > len(vi):
            return en.format(name[len(vi):])
    return ""


def legal_reference_en(text: str, types_en: dict[str, str]) -> str:
    """A Vietnamese reference to an instrument in English words: 'Nghị quyết số 202/2025/QH15, Điều 1' ->
    'Resolution 202/2025/QH15, Article 1'; a name it has no gloss for keeps its words ('Luật Phòng,
    chống ma túy No. 73/2021/QH14, Article 54')."""
    for vi in sorted(types_en, key=len, reverse=True):
        if text.startswith(vi + " số "):
            text = f"{types_en[vi]} {text[len(vi) + 4:]}"
            break
    text = re.sub(r"\bsố (?=\d)", "No. ", text)
    text = re.sub(r"\bĐiều (\d+)", r"Article \1", text)
    return re.sub(r"\bKhoản (\d+)", r"Clause \1", text)
