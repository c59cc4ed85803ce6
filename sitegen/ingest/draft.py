"""From a raw text to a draft record: read, clean, extract, then the corpus files or one JSON object.

``ingest`` does all the reading and returns plain data (``Draft``); ``record_files`` turns it into
the two corpus files (``<id>.md`` with ``status: draft`` and the fields to review, ``<id>.yaml``);
``as_json`` into the JSON object of ``--json``. Nothing here writes: __main__ does, once all is known.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from .. import citations
from ..load import load_corpus
from ..model import UNKNOWN
from ..textutil import slugify
from ..validate_corpus import validate_tables
from .clean import TYPE_TITLE_RE, Cleaned, clean
from .extras import check_cues, commitments, load_cues, tasks, themes
from .metadata import extract_metadata, runs_to, site_meta
from .readers import Read, read_document
from .sections import _sentence_before
from .targets import Candidate, find_all

# Fields of the front matter a reviewer must confirm in every draft (the text was read by a program).
REVIEW_ALWAYS = ("title", "issuer", "signer", "period", "targets", "tasks", "themes", "commitments", "citations")


class NotAPlan(ValueError):
    """The text is readable but is no plan (nor a report about one)."""


@dataclass
class Draft:
    """Everything ingest read from one raw text."""

    name: str  # the raw file's name, for messages
    raw: bytes
    cleaned: Cleaned
    metadata: dict
    targets: list[Candidate]
    commitments: list[dict]
    tasks: list[dict]
    themes: list[dict]
    citations: list
    warnings: list[str] = field(default_factory=list)
    results: list[Candidate] = field(default_factory=list)  # results and situation figures: not targets
    # What the build will say of the draft's citations once it is reviewed: one legal.yaml patch
    # (each instrument it cites and the registry lacks, once) and the citations it cannot resolve.
    registry: list[str] = field(default_factory=list)
    read: Read | None = None  # the file's kind and OCR'd pages (None: UTF-8 text given as bytes)

    @property
    def reported(self) -> bool:
        """Whether the targets are reported by a news item about the plan, not read in the plan itself."""
        return self.metadata["source_kind"] == "press"

    @property
    def body(self) -> list[str]:
        """The paragraphs of the plan's text (the draft's Markdown body, without heading markers)."""
        return list(self.cleaned.body)

    @property
    def plan_id(self) -> str:
        """A plan id from province, year and number: quang-ninh-2021-27-kh-ubnd."""
        m = self.metadata
        year = (m["issued"] or "")[:4] or (m["period"] or "")[:4]
        parts = [m["province"] or "", year, m["number"] or ""]
        return slugify(" ".join(p for p in parts if p)) or "plan"


def _lookups(corpus: Path):
    raw, problems = load_corpus(corpus, plans=False)
    tables, more = validate_tables(raw)
    errors = [p for p in problems + more if p.severity == "error"]
    if errors:
        raise ValueError("; ".join(str(p) for p in errors[:5]))
    return tables, raw


def _registry(raw) -> tuple[dict, dict]:
    """The corpus' alias table and registry, read as the build reads them (their errors are the build's to report)."""
    names, _ = citations.names_from_data(raw.tables.get("legal_names"))
    registry, _ = citations.registry_from_data(raw.tables.get("legal") or [], names)
    return names, registry


def registry_messages(d: "Draft", registry: dict, corpus: Path) -> list[str]:
    """Resolve the draft's citations against the registry as the build will: the unresolved ones, then
    one legal.yaml patch (its path in the corpus in use) of every instrument the registry lacks."""
    cites, msgs = citations.resolve(d.citations, registry, province=d.metadata["province"], plan_id=d.plan_id)
    d.citations = cites
    return msgs + citations.check_registry(registry, cites, legal_path=str(corpus / "legal.yaml"))


def _headline_targets(headline: str, found: list, period_end: int | None, cues: dict) -> list:
    """A news headline's targets that the article does not state again (its only statement of them)."""
    said = {(c.value, c.unit) for c in found}
    out = [c for c in find_all([headline], period_end=period_end, cues=cues)[0] if (c.value, c.unit) not in said
           and c.parent is None and not _rounds(headline, c, found)]
    for c in out:
        c.why.append("read in the news item's headline only: check it")
        c.confidence = min(c.confidence, 0.6)
    return out


# "Duy trì gần 200 xã ..." over a body's "193/204 xã ...": a headline rounds the figure the article gives.
_ABOUT = re.compile(r"(?<![^\W_])(?:gần|khoảng|xấp xỉ|chừng)\s*$", re.I)


def _rounds(headline: str, c: Candidate, found: list) -> bool:
    """Whether a headline figure said "about" ("gần 200") rounds one the article states (within a tenth)."""
    return bool(_ABOUT.search(headline[:c.start])) and any(
        f.unit == c.unit and abs(f.value - c.value) <= 0.1 * c.value for f in found)


def _press_date(cleaned: Cleaned) -> re.Match | None:
    """A news item's own date (day, month, year): its page time stamp, else a short dated line among its first
    three ("13/08/2014 08:08 GMT+7", "(Thứ năm, 28/06/2018, 01:40 GMT+7)")."""
    stamp = next((x.text for x in cleaned.dropped if x.why == "page time stamp"), "")
    lines = [stamp] + [p for p in cleaned.body[:3] if len(p) <= 60]
    return next((m for line in lines if (m := re.search(r"(\d{1,2})/(\d{1,2})/(\d{4})", line))), None)


# "... điều trị cho 990 bệnh nhân trong năm nay": the year of the news item's date.
_THIS_YEAR = re.compile(r"(?<![^\W_])(?:trong |của |ngay trong )?năm nay(?![^\W_])", re.I)


def _this_year(found: list[Candidate], body: list[str], cleaned: Cleaned) -> None:
    """A news item's target due "năm nay" (this year) and dated by nothing else takes the item's year."""
    date = _press_date(cleaned)
    for c in found:
        if c.deadline is None and date and _THIS_YEAR.search(_sentence_before(body[c.paragraph], c.start) + c.quote):
            c.deadline = int(date[3])
            c.why.append(f"deadline: “năm nay” read as {date[3]}, the year of the news item's date: check it")


def _headline(par: str) -> bool:
    """Whether a news item's first paragraph is its headline (short, no closing stop), not running text."""
    return len(par) <= 160 and not par.rstrip().endswith((".", ";", ":", "…"))


def ingest(data: bytes, name: str, corpus: Path, read: Read | None = None, *, press: bool = False) -> Draft:
    """Read one file (text, PDF, Word, web page) into a Draft; ValueError (or NotAPlan) with a reader's message.

    ``read``: the file already read (readers.read_document), else it is read here.
    ``press``: the editor says the text is a news item about a plan (``--press``), when detection fails.
    """
    read = read or read_document(data, name)
    cleaned = clean(read.text)
    if read.dropped:  # the page around a web page's main text: reported with what cleaning drops
        cleaned = replace(cleaned, dropped=read.dropped + cleaned.dropped)
    meta = extract_metadata(cleaned, press=press)
    if meta["source_kind"] is None or not cleaned.body:
        raise NotAPlan(f"{name}: is not a plan: no document header, no type title (KẾ HOẠCH, QUYẾT ĐỊNH ...) "
                       "and no news item about a plan were found. Give ingest the text of a plan.")
    tables, raw = _lookups(corpus)
    names, registry = _registry(raw)
    cues = dict(load_cues())
    cues["subject_ids"] = tuple(tables.lookups.subjects)
    warnings = check_cues(cues, tables.lookups)
    body = list(cleaned.body)
    # A target whose sentence and headings name no year takes the plan's year only when the plan is for one
    # year ("năm 2021"); over a range ("giai đoạn 2021-2025") it may be due every year or by the end: unknown.
    plan_year = int(meta["period"]) if meta["period"] and len(meta["period"]) == 4 \
        and not runs_to(meta["title"], cleaned.body, meta["source_kind"], meta["period"]) else None
    paragraphs = body[2:] if len(body) > 2 and TYPE_TITLE_RE.match(body[0]) else body[1:] \
        if meta["source_kind"] == "press" and _headline(body[0]) else body
    period_start = int(meta["period"][:4]) if meta["period"] else int(meta["issued"][:4]) if meta["issued"] else None
    found, results = find_all(paragraphs, period_end=plan_year, period_start=period_start, cues=cues)
    offset = len(body) - len(paragraphs)
    for c in found + results:
        c.paragraph += offset
    if offset == 1 and meta["source_kind"] == "press":
        found = _headline_targets(body[0], found, plan_year, cues) + found
    if meta["source_kind"] == "press":
        _this_year(found, body, cleaned)
    full = cleaned.text
    own = meta["number"]
    # Citations by name (a Luật) through the corpus' legal_names.yaml, as the build finds them.
    cites = citations.extract(full, own_number=own, province=meta["province"], names=names)
    d = Draft(name, data, cleaned, meta, found, commitments(body, cues), tasks(body, tables.alias_index),
              themes(body, cues), cites, warnings, results, read=read)
    d.registry = registry_messages(d, registry, corpus)
    return d


def _target_dict(c: Candidate, ids: dict[int, str], i: int) -> dict:
    return {"id": ids[i], "category": c.category, "subject": c.subject, "subject_text": c.subject_text,
            "value": int(c.value) if c.value.is_integer() else c.value,
            "value_max": None if c.value_max is None else int(c.value_max) if c.value_max.is_integer() else c.value_max,
            "unit": c.unit, "comparator": c.comparator, "direction": c.direction, "deadline": c.deadline,
            "parent": ids.get(c.parent) if c.parent is not None else None, "quote": c.quote,
            "confidence": c.confidence}


def _resolved(d: Draft) -> tuple[str | None, str | None, list[str]]:
    """(title, period, review notes) as the draft record writes them; --json prints the same."""
    m, body, review = d.metadata, d.body, []
    title = m["title"]
    if not title and m["source_kind"] == "official" and len(body) > 1 and body[1].isupper():
        title = body[1]  # verbatim: the document sets it in capitals, and re-casing it would be a guess
        review.append("title: in capitals as the document sets it; write it in sentence case")
    period = m["period"]
    if not period and (m["issued"] or "")[:4]:
        period = m["issued"][:4]
        review.append("period: not stated in the text; set to the year of the date of issue")
    if d.cleaned.cut:
        review.append(f"excerpt: the text is not the whole plan ({d.cleaned.cut}); targets may be missing")
    if d.reported:
        review.append("targets: reported by a news item about the plan, not read in the plan itself")
    return title, period, review


def as_json(d: Draft) -> dict:
    """The object --json prints: metadata, targets, commitments, tasks, themes, citations, dropped."""
    m = d.metadata
    ids = {i: f"t{i + 1:02d}" for i in range(len(d.targets))}
    title, period, review = _resolved(d)
    return {
        "metadata": {"number": m["number"], "type": m["type"], "title": title, "issuer": m["issuer"],
                     "province": m["province"], "issued": m["issued"], "signer": m["signer"],
                     "signer_title": m["signer_title"], "period": period,
                     "topics": [t["theme"] for t in d.themes], "source_kind": m["source_kind"],
                     "excerpt": m["excerpt"], "excerpt_why": d.cleaned.cut, "review": review},
        "targets": [_target_dict(c, ids, i) | {"reported": d.reported, "also": c.also, "review": c.why}
                    for i, c in enumerate(d.targets)],
        "results": [{"value": int(c.value) if c.value.is_integer() else c.value, "unit": c.unit, "quote": c.quote,
                     "why": c.why[-1] if c.why else None} for c in d.results],
        "commitments": d.commitments,
        "tasks": d.tasks,
        "themes": d.themes,
        "citations": [{"number": c.number, "type": c.type, "issued": c.issued, "issuer": c.issuer, "level": c.level,
                       "as_written": c.as_written, "start": c.start, "end": c.end} for c in d.citations],
        "dropped": [{"line": x.line, "text": x.text, "why": x.why} for x in d.cleaned.dropped],
        "registry": d.registry,
        "source": {"kind": d.read.kind if d.read else "text", "ocr_pages": list(d.read.ocr_pages) if d.read else [],
                   "pages": d.read.pages if d.read else 0,
                   "legacy_font_pages": list(d.read.legacy_pages) if d.read else []},
    }


_ROMAN = re.compile(r"^[IVX]+\.\s")
_NUMBERED = re.compile(r"^\d+\.\s+\S")
_LETTERED = re.compile(r"^[a-zđ]\)\s+\S")


def markdown_body(d: Draft) -> str:
    """The body as the corpus writes it: one paragraph per line, heading markers on section lines."""
    out = []
    for i, line in enumerate(d.body):
        if line.startswith("#"):
            line = "\\" + line  # a '#' of the source is text, not a heading of ours
        short = len(line) < 100 and not line.rstrip().endswith((".", ";", ":"))
        if i == 0 and (TYPE_TITLE_RE.match(line) or d.metadata["source_kind"] == "press"):
            line = "# " + line
        elif _ROMAN.match(line) and short:
            line = "## " + line
        elif _NUMBERED.match(line) and short:
            line = "### " + line
        elif _LETTERED.match(line) and short:
            line = "#### " + line
        out.append(line)
    return "\n\n".join(out) + "\n"


# How the text was read from the original file, by the reader's kind (Vietnamese, English).
_READ_HOW = {
    "pdf": ("Văn bản được trích từ lớp chữ của tệp PDF. ", "The text was taken from the PDF's text layer. "),
    "pdf-ocr": ("Văn bản được nhận dạng ký tự (OCR) từ bản quét ở các trang {pages} của tệp PDF nên có thể có lỗi "
                "nhận dạng: mọi trích dẫn phải được đối chiếu với bản gốc. ",
                "The text was read by OCR from the scanned pages {pages} of the PDF and may hold recognition "
                "errors: every quote must be checked against the original. "),
    "docx": ("Văn bản được trích từ tệp Word (.docx). ", "The text was taken from the Word file (.docx). "),
    "doc": ("Văn bản được trích từ tệp Word (.doc) qua LibreOffice. ",
            "The text was taken from the Word file (.doc) through LibreOffice. "),
    "rtf": ("Văn bản được trích từ tệp RTF qua LibreOffice. ", "The text was taken from the RTF file through "
            "LibreOffice. "),
    "html": ("Văn bản là phần nội dung chính của trang web đã lưu. ", "The text is the saved web page's main text. "),
}


# A PDF page whose text layer is in a legacy font is no scan: it was read by OCR for that reason.
_LEGACY_HOW = ("Lớp chữ của trang {pages} dùng phông chữ cũ (TCVN3/VNI), không đọc được thành chữ, nên trang được "
               "đọc bằng OCR. ", "The text layer of page(s) {pages} is in a legacy font (TCVN3/VNI), unreadable as "
               "text, so they were read by OCR. ")


def _read_how(d: Draft, en: bool) -> str:
    kind = d.read.kind if d.read else "text"
    how = _READ_HOW.get(kind, ("", ""))[en]
    if not d.read:
        return how
    legacy = ", ".join(map(str, d.read.legacy_pages))
    return how.format(pages=", ".join(map(str, d.read.ocr_pages))) + (_LEGACY_HOW[en].format(pages=legacy)
                                                                      if legacy else "")


def _provenance(d: Draft) -> str:
    dropped = len(d.cleaned.dropped)
    return (f"Bản nháp do chương trình ingest tạo tự động từ tệp {d.name}, chưa được rà soát. {_read_how(d, False)}"
            "Phần nội dung là "
            f"văn bản nguồn đã làm sạch (nối lại các dòng bị ngắt giữa câu, bỏ dấu gạch đứng của bảng, bỏ {dropped} "
            "dòng thuộc trang web); không chữ nào bị sửa. Các thông tin văn bản không nêu được ghi là không rõ.")


def _provenance_en(d: Draft) -> str:
    dropped = len(d.cleaned.dropped)
    return (f"A draft made automatically by the ingest program from the file {d.name}, not yet reviewed. "
            f"{_read_how(d, True)}The text is the cleaned source (lines broken mid-sentence joined, table bars "
            f"removed, {dropped} lines of the web page dropped); no word was changed. What the document does not "
            "state is recorded as unknown.")


def ocr_review(data: dict) -> list[str]:
    """One review entry per quote of an OCR'd draft: an OCR error must never become a number on the site unread."""
    out = [f"{t['id']}: read by OCR: compare the quote and its value with the original scan"
           for t in data["targets"]]
    out += [f"{c['id']}: read by OCR: compare the quote with the original scan" for c in data["commitments"]]
    out += [f"task {i} ({t['agency']}): read by OCR: compare the quote with the original scan"
            for i, t in enumerate(data["tasks"], 1)]
    out += [f"theme {t['theme']}: read by OCR: compare the quote with the original scan" for t in data["themes"]]
    return ["text: read by OCR from a scan: compare it with the original, above all every number", *out]


def record_files(d: Draft, source_file: str, original: dict | None = None) -> tuple[str, str, str]:
    """(plan id, <id>.md text, <id>.yaml text) of the draft record; ValueError when a required field is missing.

    ``original``: the file the text was read from when it is not the text itself (name, kind, sha256, bytes,
    and file when a copy is kept in the corpus)."""
    m = d.metadata
    title, period, notes = _resolved(d)
    review = notes + list(REVIEW_ALWAYS)
    missing = [k for k, v in (("province", m["province"]), ("type", m["type"]), ("title", title)) if not v]
    if missing:
        raise ValueError(f"{d.name}: the text does not state the plan's {', '.join(missing)}: a draft record "
                         "needs them. Use --json to see what was read, and write the record by hand.")
    if not period:
        raise ValueError(f"{d.name}: the text states neither the plan's period nor its date: a draft record "
                         "needs a year. Use --json and write the record by hand.")
    smeta = site_meta(d.cleaned)
    front = {"id": d.plan_id, "status": "draft", "review": review, "province": m["province"],
             "number": m["number"] or UNKNOWN, "doc_type": m["type"], "title": title,
             "issuer": m["issuer"] or UNKNOWN, "signer": m["signer"] or UNKNOWN,
             "signer_title": m["signer_title"] or UNKNOWN, "issued": m["issued"] or UNKNOWN, "period": period,
             "field": (smeta.get("Lĩnh vực") or "").rstrip(", ") or UNKNOWN, "source_kind": m["source_kind"],
             "excerpt": bool(m["excerpt"]), "source_file": source_file, "provenance": _provenance(d),
             "provenance_en": _provenance_en(d)}
    if original:
        front["original"] = original
    if d.read and d.read.ocr:
        front["text_origin"] = "ocr"
    if m["source_kind"] == "press":
        date = _press_date(d.cleaned)
        author = next((x.text for x in d.cleaned.dropped if x.why.startswith("byline")), None)
        front["press"] = {"outlet": UNKNOWN,
                          "published": f"{date[3]}-{int(date[2]):02d}-{int(date[1]):02d}" if date else UNKNOWN,
                          "author": author or UNKNOWN}
    header = _header(d.cleaned)
    if header:
        front["header"] = header
    ids = {i: f"t{i + 1:02d}" for i in range(len(d.targets))}
    kept = [i for i, c in enumerate(d.targets) if c.category and c.subject]
    targets = []
    for i in kept:
        t = _target_dict(d.targets[i], ids, i)
        if t["parent"] and int(t["parent"][1:]) - 1 not in kept:
            t["parent"] = None
        t["deadline"] = t["deadline"] or UNKNOWN
        why = (["văn bản đọc bằng OCR, đối chiếu với bản quét"] if d.read and d.read.ocr else []) + list(d.targets[i].why)
        t["note"] = "Bản nháp: " + ("; ".join(why) if why else "cần rà soát.")
        if d.reported:
            t["note"] += " Chỉ tiêu do bài báo thuật lại, không trích từ văn bản kế hoạch."
        if d.targets[i].also:
            t["note"] += " Cũng nêu lại ở: " + " | ".join(d.targets[i].also)
        targets.append(t)
    data = {"targets": targets, "commitments": d.commitments,
            "tasks": d.tasks, "themes": d.themes}
    if d.read and d.read.ocr:
        review += ocr_review(data)
    dump = lambda x: yaml.safe_dump(x, allow_unicode=True, sort_keys=False, width=100)  # noqa: E731
    md = f"---\n{dump(front)}---\n\n{markdown_body(d)}"
    unclassified = [d.targets[i] for i in range(len(d.targets)) if i not in kept]
    note = "".join(f"#   {ids[d.targets.index(c)]}: {c.value:g} {c.unit} | {c.quote}\n" for c in unclassified)
    head = (f"# Draft by `python -m sitegen.ingest` from {d.name}: review every entry, then remove `status: draft`\n"
            "# and the review list from the .md. confidence: how sure the reading is (0-1).\n")
    if note:
        head += "# Candidates without a category or subject code (add them by hand if they are targets):\n" + note
    if d.results:
        head += "# Numbers read as results or situation, not targets (add one by hand if it is a target):\n" + "".join(
            f"#   {c.value:g} {c.unit} | {c.quote} ({c.why[-1] if c.why else ''})\n" for c in d.results)
    return d.plan_id, md, head + dump(data)


def _header(c: Cleaned) -> dict:
    lines = list(c.header)
    left = [t for t in lines if t.isupper() and not t.startswith(("CỘNG H",))]
    right = [t for t in lines if t.startswith(("CỘNG H", "Độc lập"))]
    number = next((t for t in lines if t.startswith("Số")), "")
    place = next((t for t in lines if re.search(r", ngày\s+\d", t)), "")
    out = {k: v for k, v in (("left", left), ("right", right), ("number_line", number), ("place_date", place)) if v}
    return out


def source_name(raw: bytes) -> str:
    """A file name for the copy in corpus/sources/: a short hash of the bytes (the same text, the same name)."""
    return f"{hashlib.sha256(raw).hexdigest()[:16]}.txt"


__all__ = ["Draft", "NotAPlan", "ingest", "as_json", "record_files", "source_name", "markdown_body"]
