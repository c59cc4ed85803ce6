"""The metadata a cleaned text states: number, type, trích yếu, issuer, province, date, signer, period.

Each field is read from the document's own header and signature block first, then from the
database's metadata lines that cleaning dropped (Số hiệu, Ngày ban hành, Người ký). A field the
text does not state is None: nothing is guessed (a title set in capitals is not re-cased unless
the database page gives the same words in sentence case; a press report's date is not the plan's).
"""
from __future__ import annotations

import datetime
import re

from ..citations.forms import ISSUED_WITH_RE, NUMBER_RE, PROVINCE_RE, PROVINCES, normalize_number, subject_number
from ..textutil import fold
from .clean import TYPE_TITLE_RE, Cleaned
from .sections import FURTHER_GOAL_RE

TYPE_WORDS = {"KẾ HOẠCH": "Kế hoạch", "QUYẾT ĐỊNH": "Quyết định", "CHƯƠNG TRÌNH": "Chương trình",
              "CHƯƠNG TRÌNH HÀNH ĐỘNG": "Chương trình hành động", "ĐỀ ÁN": "Đề án", "CHỈ THỊ": "Chỉ thị",
              "NGHỊ QUYẾT": "Nghị quyết", "HƯỚNG DẪN": "Hướng dẫn", "PHƯƠNG ÁN": "Phương án"}
_PLACE_DATE = re.compile(r"^(?P<place>[^\W\d_][^,\n]{1,40}),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+"
                         r"năm\s+(?P<y>\d{4})\s*$")
_NUMBER_LINE = re.compile(r"^\s*Số\s*:\s*")
_META = re.compile(r"^(?P<key>Số hiệu|Ngày ban hành|Loại văn bản|Người ký|Cơ quan ban hành|Nơi ban hành|Lĩnh vực)"
                   r"\s*:?\s*\|?\s*(?P<value>[^|]*)")
_SIGN_TITLES = re.compile(r"^(?:KT\.\s*|Q\.\s*)?(?:PHÓ\s+)?CHỦ TỊCH$|^GIÁM ĐỐC$|^PHÓ GIÁM ĐỐC$|^BÍ THƯ$")
_PERIOD = re.compile(r"(?:giai đoạn|thời kỳ)\s+(?:từ\s+)?(?:năm\s+)?((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)"
                     r"|(?<!so với )năm\s+((?:19|20)\d\d)(?!\s*[-–/])",  # "so với năm 2015": a baseline, not the period
                     re.I)
_ISSUER_IN_TEXT = re.compile(r"(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+tỉnh\s+(?P<prov>[^\W\d_]+(?:\s+[^\W\d_]+){0,3})"
                             r"(?=\s+(?:đã\s+)?(?:\w+\s+)?(?:ban hành|xây dựng)\s+(?:\w+\s+)?(?:kế hoạch|chương trình))",
                             re.I)
_PROVINCE_BY_FOLD = {fold(p): p for p in PROVINCES}
# A press report: no document header or type title, and the words of a news item about a plan.
_PRESS_CUES = re.compile(r"\(Ảnh[^)]*\)|Ảnh minh (?:họa|hoạ)|(?<![^\W_])Ảnh:\s|^\s*[A-ZĐ]{2,8}\s*[-–]\s"
                         r"|^\s*Nguồn\s*:\s*[\w.-]+\.(?:vn|com|net|org)\s*$"  # a reprint's credit line
                         r"|(?:đã|vừa|mới) (?:ký )?(?:sớm )?ban hành (?:kế hoạch|quyết định)"
                         r"|kế hoạch[^.;\n]{0,80}?vừa (?:được )?(?:ban hành|đề ra|phê duyệt)"
                         r"|kế hoạch (?:của tỉnh|này) đề ra|theo kế hoạch"
                         # the plan as the subject of the report: "Kế hoạch đề ra ...", "Mục tiêu của Kế hoạch là ..."
                         r"|(?<![^\W_])Kế hoạch (?:cũng |còn )?(?:đề ra|đặt ra|đưa ra|xác định|nêu rõ|hướng đến|hướng tới"
                         r"|quy định|nhằm|(?:vừa )?được ban hành)|(?<![^\W_])Tại Kế hoạch"
                         r"|(?:mục tiêu|chỉ tiêu)(?: chung| cụ thể)? (?:của|mà) kế hoạch"
                         # the province's committee in the third person, a quota allocation, "Theo đó," after a lede
                         r"|ban hành kế hoạch này|(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân) (?:tỉnh|thành phố) "
                         r"(?:yêu cầu|giao|chỉ đạo)(?![^\W_])|giao chỉ tiêu|(?:^|\.\s+)Theo đó,", re.I | re.M)
# A news item's own sentence about the plan: "UBND tỉnh Bình Định ban hành Kế hoạch số 27/KH-UBND".
_ANNOUNCE = re.compile(r"(?:(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+)?(?:tỉnh|thành phố)(?P<prov>(?:\s+[^\W\d_]+){0,4}?)"
                       r"\s+(?:đã\s+|vừa\s+|mới\s+|chính thức\s+)*ban hành\s+(?:Kế hoạch|Chương trình|Đề án|Quyết định)"
                       r"\s+(?:số\s*)?\d+\s*/", re.I)
# "Ngày 26/5/2016, Ban chỉ đạo phòng, chống tội phạm ... tỉnh (Ban chỉ đạo 138 tỉnh) đã ban hành": a long issuer name.
_PRESS_DATE = re.compile(r"(?:^|\s)(?-i:Ngày)\s+(?P<d>\d{1,2})[/-](?P<m>\d{1,2})[/-](?P<y>\d{4}),?\s+[^.]{0,200}?ban hành"
                         r"|(?:Kế hoạch|Quyết định)\s+(?:số\s*)?(?P<n2>\d+\s*/\S+)\s+ngày\s+(?P<d2>\d{1,2})[/-](?P<m2>\d{1,2})"
                         r"[/-](?P<y2>\d{4})", re.I)
# "Theo Kế hoạch số 101/KH-UBND ... vừa được UBND tỉnh ban hành ngày 15/3/2022": the date in the same sentence.
_ISSUED_AFTER = re.compile(r"[^.]{0,160}?ban hành\s+(?:vào\s+)?ngày\s+(?P<d>\d{1,2})[/-](?P<m>\d{1,2})[/-](?P<y>\d{4})",
                           re.I)
# A news headline opening with the province's name: "Khánh Hòa: Phấn đấu giảm số người nhiễm HIV ...".
_HEADLINE_PLACE = re.compile(r"\s*(?P<place>(?:[^\W\d_]+\s){0,3}[^\W\d_]+):\s+(?=[^\W\d_])")
_PLAN_KIND = re.compile(r"(?<![^\W_])(?:kế hoạch|chương trình|đề án)(?![^\W_])", re.I)
# A news item on a decision assigning the year's quotas ("Giao chỉ tiêu cai nghiện ma túy ... năm 2018").
_QUOTA = re.compile(r"(?<![^\W_])(?:giao chỉ tiêu|chỉ tiêu giao)(?![^\W_])", re.I)
_NAMED_PLAN = re.compile(r"(?<![^\W_])(?:Kế hoạch|Chương trình|Đề án|Quyết định)\s+(?:số\s*)?\d+\s*/\s*(?:KH|CTr|ĐA|QĐ)", re.I)
_TARGET_WORDS = re.compile(r"(?<![^\W_])(?:chỉ tiêu|mục tiêu|phấn đấu|xác định|đề ra|ít nhất)(?![^\W_])", re.I)
# A headerless text with one news cue that states commitments ("Theo đó, ... phấn đấu ...", "mục tiêu đề ra là").
_COMMITS = re.compile(r"(?<![^\W_])(?:phấn đấu|đặt (?:ra )?mục tiêu|mục tiêu đề ra|chỉ tiêu đề ra)(?![^\W_])", re.I)
# A news item opening on words that follow on from a paragraph before: the copy lacks its beginning.
_FOLLOWS_ON = re.compile(r"\s*(?:(?:Theo đó|Bên cạnh đó|Ngoài ra|Đồng thời|Cụ thể|Trong đó)\s*,|Tương ứng với"
                         # or on a bare count, with no lead: "2 cơ sở ... mới được đưa vào hoạt động"
                         r"|(?-i:\d+(?:\.\d{3})*\s+(?!(?:tháng|năm|ngày|tuần|quý)(?![^\W_]))[a-zđà-ỹ]))", re.I)
# A paragraph going on about the plan its lede names: "Trong đó, xác định năm 2012, ...", "Theo đó, ...".
_ON_THE_PLAN = re.compile(r"\s*(?:Theo đó|Trong đó|Cụ thể)\s*,", re.I)
_PLAN_WORDS = re.compile(r"kế hoạch|chương trình|đề án|quyết định|chỉ tiêu|mục tiêu", re.I)
# What the site compares: a headerless text on one of these, that speaks of a plan, a decision, a strategy or
# an aim, is a news item about the province's response (a report of a meeting, a quota, an action month).
_TOPIC = re.compile(r"(?<![^\W_])(?:ma t[uú][yý]|mại dâm|mua bán người|HIV|AIDS|cai nghiện|methadone|tệ nạn xã hội"
                    r"|người nghiện|chất dạng thuốc phiện)(?![^\W_])", re.I)
_RESPONSE = re.compile(r"(?<![^\W_])(?:kế hoạch|chương trình|đề án|quyết định|chỉ tiêu|mục tiêu|phấn đấu|chiến lược)"
                       r"(?![^\W_])", re.I)
# A header's number with the symbol of a plan or of the decision issuing one ("Số: 12/KH-UBND").
_PLAN_NUMBER = re.compile(r"^\s*Số\s*:\s*\d+\s*/\s*(?:KH|QĐ|CTr|CTHĐ|ĐA|NQ|CT|PA|HD)(?![^\W_])", re.I)
_ISSUED_WITH_DATE = re.compile(r"\s*ngày\s+(\d{1,2})[/-](\d{1,2})[/-](\d{4})")
_PRESS_TITLE = re.compile(r"(?:ban hành|phê duyệt)\s+(?P<t>kế hoạch\s+[^.;:]{10,300}?)(?=\s+trên địa bàn|[.;:]|$)", re.I)


# Hồ Chí Minh City by its usual abbreviation ("TPHCM", "TP.HCM", "TP. HCM").
_HCM = re.compile(r"(?<![^\W_])TP\.?\s*HCM(?![^\W_])")
# A province named with its kind in a news item's first paragraphs ("tỉnh Thừa Thiên Huế phấn đấu ...").
_PROVINCE_WITH_KIND = re.compile(rf"(?<![^\W_])(?:tỉnh|thành phố|TP\.?|địa bàn)\s+(?:{PROVINCE_RE.pattern})|{_HCM.pattern}",
                                 re.I)


def province_of(text: str) -> str | None:
    """The province a text names first, in canonical spelling ('TỈNH QUẢNG NINH' -> 'Quảng Ninh', 'TPHCM')."""
    m, h = PROVINCE_RE.search(text), _HCM.search(text)
    if h and (m is None or h.start() < m.start()):
        return "Hồ Chí Minh"
    return _PROVINCE_BY_FOLD.get(fold(" ".join(m.group().split()))) if m else None


def _place_headline(text: str) -> bool:
    """Whether the text opens with a news headline naming a province before a colon ("Khánh Hòa: Phấn đấu ...")."""
    m = _HEADLINE_PLACE.match(text)
    return bool(m and province_of(m["place"]) and fold(province_of(m["place"])) == fold(m["place"]))


def site_meta(cleaned: Cleaned) -> dict[str, str]:
    """The database's metadata lines as key -> value ('Người ký' -> 'Nguyễn Thị Hạnh'); cells with '|'."""
    out: dict[str, str] = {}
    for line in cleaned.site_meta:
        cells = [c.strip() for c in line.split("|")]
        if len(cells) > 1:  # "Số hiệu: | 86/KH-UBND | Loại văn bản: | Văn bản khác |"
            for key, value in zip(cells[0::2], cells[1::2]):
                if key.rstrip(":") and value and value != "Đang cập nhật":
                    out.setdefault(key.rstrip(": "), value.rstrip(", "))
        elif m := _META.match(line):
            out.setdefault(m["key"], m["value"].strip())
    return out


def _iso(d: str, m: str, y: str) -> str | None:
    try:
        return datetime.date(int(y), int(m), int(d)).isoformat()
    except ValueError:
        return None


def source_kind(cleaned: Cleaned) -> str | None:
    """"official" (the document itself), "press" (a news item about a plan) or None (no plan at all)."""
    if cleaned.has_document_start and any(TYPE_TITLE_RE.match(t) for t in cleaned.lines):
        return "official"
    text = "\n".join(cleaned.lines)
    if len(_PRESS_CUES.findall(text)) >= 2 and _PLAN_WORDS.search(text):
        return "press"
    if not cleaned.has_document_start and _PRESS_CUES.search(text) and _COMMITS.search(text):
        return "press"  # one cue of a news item and the plan's commitments in its words
    if not cleaned.has_document_start and (_ANNOUNCE.search(text) or (_NAMED_PLAN.search(text) or _place_headline(text))
                                           and _TARGET_WORDS.search(text)):
        return "press"  # no header of its own, and a sentence naming the plan by its number, with its targets
    if cleaned.has_document_start and (_PLAN_WORDS.search(text) or _PLAN_WORDS.match(cleaned.page_title)
                                       or any(_PLAN_NUMBER.match(t) for t in cleaned.header)):
        return "official"  # a header with no type title ("Số: 12/KH-UBND" over the opening paragraphs)
    if not cleaned.has_document_start and _TOPIC.search(text) and _RESPONSE.search(text):
        return "press"  # a news item on the topic about the province's plan, decision or aims, with no mark of one
    return None


_NAMED_YEAR = re.compile(r"(?<![^\W_])(?:kế hoạch|chương trình|đề án)(?![^\W_])[^.;\d]{0,80}$", re.I)
# "Chương trình ... đến năm 2020", "với mục tiêu đến hết năm 2030": the year a plan runs to, not a one-year plan's.
_TO_YEAR = re.compile(r"(?:đến|tới)\s+(?:hết\s+)?$", re.I)


def _first_running(body: tuple[str, ...]) -> str:
    """A news item's first paragraph of running text (after its headline, dateline and photo lines)."""
    return next((p for p in body if len(p) >= 80), body[0] if body else "")


def _press_subject(body: tuple[str, ...]) -> re.Match | None:
    """The number of the plan a news item reports on: a numbered plan in its lede (first three paragraphs),
    not one it says is being carried out ("thực hiện Kế hoạch số 13/KH-BCĐ ..."): that one is a citation."""
    return subject_number(body[:3])


def _issued_with(lines: tuple[str, ...], issued: str | None) -> tuple[str | None, str | None]:
    """(number, date) of the decision a headerless plan says it was issued with, "(Ban hành kèm theo Quyết
    định số 1451/QĐ-UBND ngày 15/8/2011 ...)": the record's number, as for a decision copied with its plan."""
    for line in lines:
        if (m := ISSUED_WITH_RE.match(line)) and (n := NUMBER_RE.match(line, m.end())):
            d = _ISSUED_WITH_DATE.match(line, n.end())
            return normalize_number(n.group()), issued or (_iso(d[1], d[2], d[3]) if d else None)
    return None, issued


def _title(cleaned: Cleaned, kind: str, meta: dict[str, str]) -> str | None:
    """The trích yếu: the line under the type title, in the case the document or its database page gives."""
    if kind == "press":
        m = _PRESS_TITLE.search(" ".join(cleaned.body))
        return m["t"][0].upper() + m["t"][1:] if m else None
    body = cleaned.body
    if len(body) < 2 or not TYPE_TITLE_RE.match(body[0]):
        return None
    line = body[1]
    if not line.isupper():
        return line
    page = cleaned.page_title
    if page:  # "Kế hoạch 27/KH-UBND [năm 2021] thực hiện ..." -> "thực hiện ..." in the page's case
        rest = re.sub(r"^\S+(?:\s+\S+)?\s+\d+[^\s]*\s+(?:năm\s+\d{4}\s+)?", "", page)
        if fold(rest) == fold(line):
            return rest[0].upper() + rest[1:]
    return None


def _signature(cleaned: Cleaned, kind: str) -> tuple[str | None, str | None]:
    """(signer, signer's title) from the signature block: "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH / Lê Văn Hân"."""
    tail = [t for t in cleaned.tail if not t.startswith(("-", "+", "Nơi nhận"))]
    title = name = None
    for i, t in enumerate(tail):
        if _SIGN_TITLES.match(t.upper()) and t.isupper():
            title = t.removeprefix("KT. ").strip()
            after = [x for x in tail[i + 1:] if not x.isupper()]
            if after and re.fullmatch(r"(?:[^\W\d_]+\s+){1,4}[^\W\d_]+", after[-1]):
                name = after[-1]
    return name, title


def _period(title: str | None, body: tuple[str, ...], kind: str) -> str | None:
    """The year(s) the plan covers as its title states them ("năm 2021", "giai đoạn 2021-2025")."""
    texts = [title or ""]
    if kind == "press":  # the report's first lines (a photo's lines among them) that speak of the plan, and the
        texts += [p for p in body[:5] if _PLAN_KIND.search(p) or _QUOTA.search(p)] \
            + [p for p in body if _NAMED_PLAN.search(p)][:1] \
            + [p for p in body[1:4] if _ON_THE_PLAN.match(p)]  # sentence naming it; one going on about the plan

    for i, text in enumerate(texts):
        # A range ("giai đoạn 2016 - 2020") states the period before a single year of the same text does
        # ("Năm 2015, tỉnh triển khai ... Giai đoạn 2016 - 2020, sẽ ...": 2015 is a past event's year).
        # A news item's year named with its plan ("Kế hoạch phòng, chống HIV/AIDS năm 2025") before one its lede
        # gives an aim ("chấm dứt dịch AIDS vào năm 2030; ... Đó là mục tiêu chung tại Kế hoạch ... năm 2025").
        for m in sorted(_PERIOD.finditer(text), key=lambda x: (not x[1], not (i and _NAMED_YEAR.search(
                text[:x.start()])))):
            if i and m[3] and re.search(r"vào\s+$", text[:m.start()]) and FURTHER_GOAL_RE.search(
                    re.sub(r"vào\s+$", "", text[:m.start()])):
                continue  # "..., hướng tới mục tiêu chấm dứt bệnh AIDS vào năm 2030": a further goal's year
            return f"{m[1]}-{m[2]}" if m[1] else m[3]
    return None


def runs_to(title: str | None, body: tuple[str, ...], kind: str | None, period: str | None) -> bool:
    """Whether a one-year period is the year the plan runs to ("Chương trình ... đến năm 2020"), not the year of
    a one-year plan: its targets that no sentence dates get no deadline (a period's end is none, as for a range)."""
    if not period or len(period) != 4 or not kind:
        return False
    texts = [title or ""] + (list(body[:5]) if kind == "press" else list(body[1:2]))
    return any(_TO_YEAR.search(t[:m.start()]) for t in texts for m in re.finditer(rf"năm\s+{period}(?!\d)", t))


def extract_metadata(cleaned: Cleaned, *, press: bool = False) -> dict:
    """Every metadata field the text states; None for what it does not (``press``: the editor says it is news)."""
    kind = "press" if press else source_kind(cleaned)
    meta = site_meta(cleaned)
    out = dict.fromkeys(("number", "type", "title", "issuer", "province", "issued", "signer", "signer_title",
                         "period", "source_kind", "excerpt"))
    out["source_kind"] = kind
    header = cleaned.header
    for line in header:
        if _NUMBER_LINE.match(line) and (n := NUMBER_RE.match(line, _NUMBER_LINE.match(line).end())):
            out["number"] = normalize_number(n.group())
        if m := _PLACE_DATE.match(line):
            if kind != "press":  # a news item's place and date line dates the item, not the plan
                out["issued"] = _iso(m["d"], m["m"], m["y"])
            out["province"] = out["province"] or province_of(m["place"])
    if kind == "official":
        if out["number"] is None and meta.get("Số hiệu") and (n := NUMBER_RE.match(meta["Số hiệu"])):
            out["number"] = normalize_number(n.group())
        if out["issued"] is None and (m := re.match(r"(\d{1,2})/(\d{1,2})/(\d{4})$", meta.get("Ngày ban hành", ""))):
            out["issued"] = _iso(*m.groups())
        body = cleaned.body
        if body and TYPE_TITLE_RE.match(body[0]):
            out["type"] = TYPE_WORDS.get(" ".join(body[0].split()))
        if out["number"] is None and not header:
            out["number"], out["issued"] = _issued_with(body[:4], out["issued"])
    elif kind == "press":
        body = " ".join(cleaned.body)
        if re.search(r"ban hành\s+kế hoạch", body, re.I):
            out["type"] = "Kế hoạch"
        subject = _press_subject(cleaned.body)
        if subject:
            out["number"] = normalize_number(subject.group())
        for m in _PRESS_DATE.finditer(body):  # the plan's own date, as the report gives it (not the report's date,
            d = m.groupdict()  # nor that of a document it carries out, named before it)
            if d["d"] or subject and normalize_number(d["n2"]) == out["number"]:
                out["issued"] = _iso(d["d"], d["m"], d["y"]) if d["d"] else _iso(d["d2"], d["m2"], d["y2"])
                break
        if out["issued"] is None and subject and (m := _ISSUED_AFTER.match(subject.string, subject.end())):
            out["issued"] = _iso(m["d"], m["m"], m["y"])
        if (m := _ANNOUNCE.search(body)) and m["prov"].strip():
            out["province"] = province_of(m.group())
    out["title"] = _title(cleaned, kind, meta) if kind else None
    text = " ".join(cleaned.lines)
    left = [t for t in header if t.isupper() and not t.startswith("CỘNG H")]
    if kind == "official" and left and re.match(r"(?:ỦY|UỶ) BAN NHÂN DÂN$", left[0]):
        prov = province_of(" ".join(left[1:2])) if len(left) > 1 else None
        out["province"] = prov or out["province"]  # the issuer's province, not the place the date line names
        if prov:
            out["issuer"] = f"Ủy ban nhân dân tỉnh {prov}"
    if out["issuer"] is None and kind == "official" and left and re.match(r"(?:ỦY|UỶ) BAN NHÂN DÂN$", left[0]) \
            and out["province"] and re.search(r"(?:Ủy|Uỷ) ban nhân dân tỉnh (?:ban hành|xây dựng)|TM\. (?:ỦY|UỶ) BAN "
                                              r"NHÂN DÂN TỈNH", text):
        # The header's second line is lost, but the text says the provincial committee issues it, and where.
        out["issuer"] = f"Ủy ban nhân dân tỉnh {out['province']}"
    if out["issuer"] is None and (m := _ISSUER_IN_TEXT.search(text)):
        prov = province_of(m["prov"])
        if prov:
            out["issuer"] = f"Ủy ban nhân dân tỉnh {prov}"
            out["province"] = out["province"] or prov
    if out["province"] is None and kind == "press" and cleaned.body:
        out["province"] = province_of(cleaned.body[0])
        if out["province"] is None and (m := _PROVINCE_WITH_KIND.search(" ".join(cleaned.body[:3]))):
            out["province"] = province_of(m.group())
    if kind == "official":
        signer, title = _signature(cleaned, kind)
        out["signer"] = signer or meta.get("Người ký") or None
        out["signer_title"] = title
    title_line = cleaned.body[1] if len(cleaned.body) > 1 and TYPE_TITLE_RE.match(cleaned.body[0]) else None
    out["period"] = _period(out["title"] or title_line, cleaned.body, kind) if kind else None
    out["excerpt"] = bool(cleaned.cut or any(t.strip() == "[...]" for t in cleaned.lines)
                          or kind == "press" and _FOLLOWS_ON.match(_first_running(cleaned.body))) if kind else None
    return out
