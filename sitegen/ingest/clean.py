"""Cleaning a raw text copied from a web page, without changing a word.

What changes: line breaks (a sentence, number, date or name broken over lines is rejoined with
one space, or none inside a number), indentation, table pipes at the end of header cells,
decorative rules (------). What goes: website material before and after the document and
anywhere in it (database metadata lines, login and paywall notices, share buttons, lists of
related documents, text addressed to AI assistants), each reported in ``dropped`` with why.
Everything else is kept verbatim (NFC), so that every quote taken from the kept text is found
in it again by the build's quote checks.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..citations.find import HEADER_START, META_LINE_RE, NUMBER_LINE, RELATED_RE, TYPE_TITLE
from ..citations.forms import PROVINCE_RE, VN_LOWER

# A file larger than this is not a plan's text (a PDF, a dump): refused before reading it.
MAX_RAW_BYTES = 5 * 1024 * 1024

_LOWER = f"a-z{VN_LOWER}"
_UPPER_WORD = re.compile(rf"^[^\W\d_a-z{VN_LOWER}]")
# Lines that belong to the web page, not the document: short lines starting with a link or button
# word, short lines holding a login or paywall notice, and text addressed to AI assistants.
NOISE_START_RE = re.compile(
    r"^[\W_]*(?:văn bản (?:liên quan|gốc|tiếng anh|được hướng dẫn|hợp nhất|sửa đổi)|tin liên quan|bài viết liên quan"
    r"|xem thêm|đọc thêm|tải về|tải văn bản|chia sẻ|theo dõi văn bản|bình luận|báo lỗi|in trang|bản in|copy link"
    r"|sao chép liên kết|facebook|zalo|twitter|linkedin|mục lục văn bản|lược đồ|trang chủ|quay lại|liên hệ)"
    r"(?![^\W_])", re.I)
NOISE_ANY_RE = re.compile(r"đăng nhập|đăng ký (?:tài khoản|thành viên|gói)|tài khoản (?:vip|pro|của bạn)|gói dịch vụ"
                          r"|nâng cấp tài khoản|để xem (?:toàn văn|đầy đủ|tiếp|nội dung)|quý khách vui lòng|©"
                          r"|bản quyền thuộc|hotline|cookie|đăng ký để (?:đọc|xem)|để đọc tiếp|đọc tiếp bài", re.I)
AI_RE = re.compile(r"(?<![\w/])(?-i:AI)(?![\w/])|trợ lý ảo|chatgpt|chatbot|mô hình ngôn ngữ|language model"
                   r"|ai assistant|trí tuệ nhân tạo", re.I)
# A whole line that is a portal's navigation or print link, or its update stamp ("Ngày cập nhật 18/03/2022").
NOISE_LINE_RE = re.compile(r"^(?:tìm kiếm(?: tin tức| văn bản)?|liên kết website|liên kết|in bài viết|in bài"
                           r"|tin mới hơn|tin đã đưa|các tin khác|tin liên quan|tin cùng chuyên mục|bài viết liên quan"
                           r"|ngày cập nhật:?\s*\d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s*$", re.I)
CREDIT_RE = re.compile(r"nguồn|credit|cite|trích dẫn|ghi rõ|dẫn link|liên kết", re.I)
# "Số hiệu: | 86/KH-UBND | Loại văn bản: | ..." : a database's metadata table, cells between pipes.
TABLE_ROW_RE = re.compile(r"\|[^|\n]*\|")
META_KEY_RE = re.compile(r"(?:^|\|)\s*(?:Số hiệu|Ngày ban hành|Ngày có hiệu lực|Ngày hiệu lực|Loại văn bản|Cơ quan ban hành"
                         r"|Nơi ban hành|Người ký|Lĩnh vực|Tình trạng|Ngày công báo|Số công báo)\s*:?\s*(?:\||$)")
RULE_RE = re.compile(r"^[\s\-–—_=*.·•]{3,}$")
TIMESTAMP_RE = re.compile(r"^\s*\d{1,2}:\d{2}(?::\d{2})?\s*(?:AM|PM|SA|CH)?\s*,?\s*(?:\w+,?\s*)?"
                          r"\d{1,2}/\d{1,2}/\d{4}\s*$", re.I)
# Where the document itself begins: its header, its number line, or its type set alone in capitals.
# (The patterns are the citation finder's DOC_START_RE's: one definition in sitegen/citations/find.py.)
HEADER_RE = re.compile(rf"^\s*(?:{HEADER_START})")
TYPE_TITLE_RE = re.compile(rf"^\s*(?:{TYPE_TITLE})\s*$")
BYLINE_RE = re.compile(rf"^(?:[^\W\d_a-z{VN_LOWER}][^\W\d_]*\s+){{1,3}}[^\W\d_a-z{VN_LOWER}][^\W\d_]*$")
NUMBER_LINE_RE = re.compile(rf"^\s*{NUMBER_LINE}")
ANNEX_RE = re.compile(r"^\s*(?:PHỤ LỤC|PHỤ BIỂU|Phụ lục|Phụ biểu)(?:\s+(?:[IVX]+|\d+|số\s*\d+))?\s*[:.]?\s*$")
# Where the body ends: the recipients or the signature block.
END_RE = re.compile(r"^\s*(?:Nơi nhận\s*:|TM\.\s|KT\.\s|Q\.\s?CHỦ TỊCH|CHỦ TỊCH\s*$)")
# A line ending with one of these words cannot end a sentence: "số\n2546/QĐ-TTg", "ngày\n26/12/2014".
_OPEN_END = re.compile(r"(?:\b(?:số|ngày|tháng|năm|của|và|về|tại|theo|các|những|với|cho|do|là|từ|đến|trên|nhất"
                       r"|thiểu|đạt|khoảng|giảm|tăng|dưới|hơn|quá|có)"
                       r"|[/\-–(,])\s*$", re.I)


@dataclass(frozen=True)
class Dropped:
    """One line removed as website material: its line number in the raw file, its text and why."""

    line: int
    text: str
    why: str


@dataclass(frozen=True)
class Cleaned:
    """A raw text split into what is the document and what is not."""

    lines: tuple[str, ...]  # every kept line, rejoined, in order (header, body, signature)
    body_start: int  # index in ``lines`` of the body's first line (the type title, or 0)
    body_end: int  # index in ``lines`` after the body's last line (before Nơi nhận / signature)
    dropped: tuple[Dropped, ...] = ()
    site_meta: tuple[str, ...] = ()  # the database's metadata lines (Số hiệu, Người ký ...), for metadata
    page_title: str = ""  # the web page's title line above them, if any
    has_document_start: bool = False  # a header, number line or type title was found
    cut: str | None = None  # why the text is an excerpt (a paywall notice, a last line cut mid-sentence), or None
    annex_start: int | None = None  # index in ``lines`` of an annex after the signature (PHỤ LỤC), or None

    @property
    def header(self) -> tuple[str, ...]:
        """The lines before the body (the document's header)."""
        return self.lines[:self.body_start]

    @property
    def body(self) -> tuple[str, ...]:
        """The document's text, one paragraph per line."""
        annex = self.lines[self.annex_start:] if self.annex_start is not None else ()
        return self.lines[self.body_start:self.body_end] + annex

    @property
    def tail(self) -> tuple[str, ...]:
        """The recipients and signature block."""
        return self.lines[self.body_end:self.annex_start]

    @property
    def text(self) -> str:
        """Every kept line, one paragraph each."""
        return "\n\n".join(self.lines)


def decode(data: bytes, name: str) -> str:
    """Raw bytes as NFC text with LF line ends; ValueError with a reader's message when they are not text."""
    if not data.strip():
        raise ValueError(f"{name}: is empty: there is no text to ingest.")
    if len(data) > MAX_RAW_BYTES:
        raise ValueError(f"{name}: is {len(data) / 1048576:.1f} MB; a plan's text is at most "
                         f"{MAX_RAW_BYTES // 1048576} MB. Keep only the plan's text.")
    if b"\x00" in data:
        raise ValueError(f"{name}: contains NUL bytes: a binary file (or UTF-16), not UTF-8 text. "
                         "Save the plan's text as UTF-8 plain text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise ValueError(f"{name}: line {line}: is not UTF-8 (byte 0x{data[exc.start]:02X} at offset {exc.start}); "
                         "it may be Windows-1258 or another legacy encoding: re-save it as UTF-8.") from None
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    bad = sum(1 for c in text if unicodedata.category(c) in ("Cc", "Co", "Cn") and c not in "\n\t")
    if bad > max(10, len(text) // 100):
        raise ValueError(f"{name}: holds {bad} control or unassigned characters: not a text document.")
    return text


def _strip_cell(line: str) -> str:
    """A header cell without its table pipes ("ỦY BAN NHÂN DÂN |" -> "ỦY BAN NHÂN DÂN") and outer blanks."""
    return line.strip().strip("|").strip().replace("\u00a0", " ").strip()


def _noise(line: str) -> str | None:
    """Why a line is website material wherever it stands, or None."""
    if META_LINE_RE.match(line):
        return "database metadata line"
    if RELATED_RE.search(line.replace("|", " ")):
        return "related-document list"
    if line.count("|") >= 3 and TABLE_ROW_RE.search(line) and META_KEY_RE.search(line):
        return "database metadata table"  # a document's own table (an annex of targets) is kept
    if TIMESTAMP_RE.match(line) or re.match(r"ngày cập nhật", line, re.I) and NOISE_LINE_RE.match(line):
        return "page time stamp"
    if NOISE_LINE_RE.match(line):
        return "website navigation or print link"
    if AI_RE.search(line) and CREDIT_RE.search(line):
        return "text addressed to AI assistants"
    if len(line) < 160 and (NOISE_START_RE.match(line) or NOISE_ANY_RE.search(line)):
        return "website notice, link or button"
    return None


def _continues(prev: str, nxt: str) -> str | None:
    """The separator that rejoins ``nxt`` to ``prev`` when the break is inside a sentence, else None."""
    if not prev or not nxt or nxt.startswith(("-", "+", "•", "*")):
        return None
    if re.fullmatch(r"Số\s*:", prev.strip()) and re.match(r"\d", nxt):
        return " "  # "Số:" on its own line, the number on the next
    if prev.isupper():
        return None
    if re.search(r"[/\-]$", prev) and re.match(r"\w", nxt) and re.search(r"\d/?[\w\-]*[/\-]$", prev):
        return ""  # "2546/QĐ-\nTTg", "26/12/\n2014"
    if nxt.startswith("/") and re.search(r"\d$", prev):
        return ""
    if re.match(rf"[{_LOWER}]", nxt) and not re.match(rf"[{_LOWER}]{{1,2}}[).]\s", nxt) \
            and not re.search(r"[.:;!?]$", prev):
        return " "
    if _OPEN_END.search(prev) and not re.search(r"[.:;!?]$", prev) and re.match(r"[\w“\"(]", nxt):
        return " "
    last, first = prev.split()[-1], nxt.split()[0]
    if re.search(r"(?<![^\W_])(?:tỉnh|thành phố|huyện|quận|thị xã)$", prev) and PROVINCE_RE.match(nxt):
        return " "  # "trên địa bàn tỉnh\nBắc Kạn năm 2024": a place's name goes on the next line
    if _UPPER_WORD.match(last) and _UPPER_WORD.match(first) and not re.search(r"[.:;!?]$", prev):
        m = PROVINCE_RE.search(f"{last} {first}")
        if m and m.start() < len(last) < m.end():
            return " "  # "Quảng\nNinh"
    return None


def clean(raw: str) -> Cleaned:
    """The document's lines (rejoined, verbatim words), with website material dropped and reported."""
    dropped: list[Dropped] = []
    meta: list[str] = []
    kept: list[tuple[int, str]] = []  # (raw line number, text)
    for n, line in enumerate(raw.split("\n"), 1):
        text = _strip_cell(line)
        if not text:
            continue
        why = _noise(text)
        if why:
            dropped.append(Dropped(n, line.strip(), why))
            if why.startswith("database metadata"):
                meta.append(line.strip())
            continue
        if RULE_RE.match(text):
            continue  # a decorative rule, no words
        cells = [c.strip() for c in text.split("|") if c.strip()]
        if len(cells) > 1 and any(HEADER_RE.match(c) or NUMBER_LINE_RE.match(c) or re.match(r"Độc lập\s*-", c)
                                  or _PLACE_DATE_RE.match(c) for c in cells):
            kept.extend((n, c) for c in cells)  # a header copied as a table: one line per cell
            continue
        kept.append((n, text))
    # Before the document: the page's title and anything else above the header.
    start = next((i for i, (_, t) in enumerate(kept) if HEADER_RE.match(t) or NUMBER_LINE_RE.match(t)
                  or TYPE_TITLE_RE.match(t)), None)
    page_title = ""
    if start:
        for n, t in kept[:start]:
            dropped.append(Dropped(n, t, "website material before the document"))
        page_title = kept[0][1] if meta else ""
        kept = kept[start:]
    if start is None and kept:  # a web page without a document header: a news item's section and byline
        if len(kept[0][1].split()) <= 3 and not re.search(r"[.,:;!?]", kept[0][1]) and len(kept) > 1:
            dropped.append(Dropped(kept[0][0], kept[0][1], "page section label"))
            kept = kept[1:]
        if kept and BYLINE_RE.match(kept[-1][1]) and len(kept) > 1:
            dropped.append(Dropped(kept[-1][0], kept[-1][1], "byline (the report's author)"))
            kept = kept[:-1]
    # Rejoin lines broken inside a sentence, a number, a date or a name.
    lines: list[str] = []
    prev_n = None
    for n, t in kept:
        sep = _continues(lines[-1], t) if lines else None
        if sep is None and len(lines) > 1 and TYPE_TITLE_RE.match(lines[-2]) and _caps_title_goes_on(lines[-1], t):
            sep = " "  # a title in capitals broken over lines: "... TỈNH NGHỆ AN\nGIAI ĐOẠN 2025 - 2030"
        if sep is None and lines and prev_n == n - 1 and _wrapped(lines[-1], t):
            sep = " "  # a hard-wrapped sentence going on with a name: "... giao\nCông an tỉnh chủ trì"
        prev_n = n
        if sep is not None:
            lines[-1] = lines[-1] + sep + t
        else:
            lines.append(t)
    body_start = next((i for i, t in enumerate(lines) if TYPE_TITLE_RE.match(t)), None)
    if body_start is None:  # no type title: the document starts after its header lines, if any
        body_start = 0
        while body_start < len(lines) and (HEADER_RE.match(lines[body_start]) or NUMBER_LINE_RE.match(lines[body_start])
                                           or _is_header_line(lines[body_start])):
            body_start += 1
    body_end = next((i for i in range(body_start + 1, len(lines)) if END_RE.match(lines[i])), len(lines))
    # An annex after the signature ("PHỤ LỤC", often a table of targets) is part of the document's text.
    annex_start = next((i for i in range(body_end, len(lines)) if ANNEX_RE.match(lines[i])), None)
    dropped.sort(key=lambda d: d.line)
    return Cleaned(tuple(lines), body_start, body_end, tuple(dropped), tuple(meta), page_title,
                   has_document_start=start is not None, cut=_cut(kept, dropped, start is not None),
                   annex_start=annex_start)


_ITEM_START = re.compile(r"^(?:[IVX]+\.|\d+(?:\.\d+)*[.)]|[a-zđ]\)|[-+•*(])", re.I)


def _wrapped(prev: str, nxt: str) -> bool:
    """Whether ``nxt`` goes on with the sentence of ``prev``, a line of running text cut by a hard wrap."""
    last = prev.split()[-1] if prev.split() else ""
    return (len(prev) >= 60 and not prev.isupper() and not re.search(r"[.:;!?…)\"”]$", prev)
            and re.match(rf"[{_LOWER}]", last) is not None and not _ITEM_START.match(nxt)
            and not nxt.isupper() and not END_RE.match(nxt) and not TYPE_TITLE_RE.match(nxt))


def _caps_title_goes_on(title: str, line: str) -> bool:
    """Whether ``line`` continues a title in capitals (not a heading "I. MỤC TIÊU", not the issuer's line)."""
    return title.isupper() and line.isupper() and not re.match(r"^(?:[IVX]+|\d+)\.", line) \
        and not TYPE_TITLE_RE.match(line) and not HEADER_RE.match(line) and not line.startswith("CHỦ TỊCH")


# A notice that the rest of the text is behind a login or a subscription.
PAYWALL_RE = re.compile(r"để xem (?:toàn văn|đầy đủ|tiếp|nội dung)|xem toàn văn|đăng nhập để|vui lòng đăng (?:nhập|ký)"
                        r"|đăng ký gói|nâng cấp tài khoản|tài khoản (?:vip|pro)|cần đăng nhập|đọc tiếp", re.I)


# A line ending on a word that needs what follows ("... xuống dưới 2% vào"): cut, however short (a byline is not).
_ON_LINK_WORD = re.compile(r"(?<![^\W_])(?:vào|của|và|các|những|đến|với|cho|trong|từ|là|được|để|theo|tại|về|trên"
                           r"|dưới)$", re.I)
# A short last line of running words cut off ("Kế hoạch yêu", "Hướng đến mộ"), not a byline ("Lương Thanh",
# "PHƯỚC AN"), a credit ("Theo: Báo Khánh Hòa", "Nguồn: ...", "theo VOV") or a bracket ("(baodansinh.vn)").
_CUT_SHORT = re.compile(r"^(?!(?:theo|nguồn)(?![^\W_]))[^:()\[\]]*(?<![^\W_])[a-zđà-ỹ][^:()\[\]]*[^\W\d_]$", re.I)
# An official text that stops on a heading or an article's label ("Điều 1.", "QUYẾT ĐỊNH:", "II. MỤC TIÊU").
_HEADING_LAST = re.compile(r"^(?:Điều\s+\d+\s*[.:]?|[IVX]+\.\s.{0,90}|\d+(?:\.\d+)*\.\s.{0,90}[^.;]|[^.;]{0,90}:)$")


def _cut(kept: list[tuple[int, str]], dropped: list[Dropped], official: bool) -> str | None:
    """Why the kept text is an excerpt of the document, or None when nothing says it was cut."""
    if not kept:
        return None
    first_body = next((n for n, t in kept if TYPE_TITLE_RE.match(t)), kept[0][0])
    ends = [n for n, t in kept if END_RE.match(t)]
    for d in dropped:
        if PAYWALL_RE.search(d.text) and d.line > first_body and not any(n > d.line for n in ends):
            return f"line {d.line}: the rest of the text is behind a notice ({d.text[:60]})"
    last = kept[-1][1]
    # A decision's signature before the plan it issues does not close the plan: only a signature after the
    # last type title (the plan's "KẾ HOẠCH") does.
    last_title = max((n for n, t in kept if TYPE_TITLE_RE.match(t)), default=first_body)
    # Nor does one followed by running text (the plan, its type title lost): a signature ends the text it closes.
    tail = [t for n, t in kept if ends and n > max(ends)]
    signed = any(n > last_title for n in ends) and (not any(len(t) > 150 for t in tail)
                                                     or any(ANNEX_RE.match(t) for t in tail))
    if official and not signed and (not re.search(r"[.;:!?)”\"…]\s*$|\./\.$", last)
                                    or re.search(r"(?:\.\.\.|…)$", last)):
        return f"line {kept[-1][0]}: the text stops mid-sentence ({last[-40:]})"
    if official and not signed and (_HEADING_LAST.match(last.strip()) or last.strip().isupper()):
        return f"line {kept[-1][0]}: the text stops on a heading, before what it heads ({last[-40:]})"
    if not official and (len(last) >= 60 and re.search(r"(?:[^\W_]|,)$", last) or _ON_LINK_WORD.search(last)
                         or len(last) < 60 and len(last.split()) >= 2 and _CUT_SHORT.match(last.strip())):
        # A news item ends with a sentence (or a teaser's "..."); running text that stops on a word was cut.
        return f"line {kept[-1][0]}: the text stops mid-sentence ({last[-40:]})"
    return None


_PLACE_DATE_RE = re.compile(r"^[^\W\d_][^,\n]{1,30}, ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}\s*$")


def _is_header_line(line: str) -> bool:
    """Header lines other than the first: TỈNH QUẢNG NINH, Độc lập - Tự do - Hạnh phúc, the place and date."""
    return bool(line.isupper() and len(line) < 60 or re.match(r"^Độc lập\s*-", line) or _PLACE_DATE_RE.match(line))
