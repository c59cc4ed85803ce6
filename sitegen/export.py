"""Stage 5b, export: the open data (CSV and JSON for every table), as bytes ready to write.

CSV is UTF-8 with a header row and LF line ends (the csv module); JSON is an array of objects with
the same fields (orjson). Both are written from the same rows (tuples of plain Python values), so
they agree.
"""
from __future__ import annotations

import csv
import hashlib
import io
import itertools
import math
import os
import pickle
import re
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import orjson

from . import urls
from .charts import Chart
from .model import Citation, Corpus, Instrument, LegalBasis, Plan
from .normalize import Tables

# The data dictionary: every column of every download, in order, with its meaning.
DICTIONARY: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "plans": ("Một dòng cho mỗi văn bản nguồn. / One row per source document.", (
        ("plan_id", "Mã kế hoạch / plan id"), ("province", "Tỉnh / province"),
        ("number", "Số hiệu, trống nếu không rõ / document number, empty if unknown"),
        ("doc_type", "Loại văn bản / document type"), ("title", "Trích yếu / title"),
        ("issued", "Ngày ban hành YYYY-MM-DD, trống nếu không rõ / date issued, empty if unknown"),
        ("year", "Năm đầu của kỳ kế hoạch / first year covered"),
        ("period_end", "Năm cuối của kỳ kế hoạch / last year covered"),
        ("signer", "Người ký / signer"), ("signer_title", "Chức vụ người ký / signer's title"),
        ("issuer", "Cơ quan ban hành / issuing body"), ("field", "Lĩnh vực / field"),
        ("source_kind", "official (văn bản chính thức) hoặc press (bài báo về kế hoạch) / official (the plan's own "
                        "text) or press (a press report about the plan)"),
        ("excerpt", "true nếu văn bản là trích đoạn / true if our text is an excerpt"),
        ("source_file", "Tệp nguồn / source file"),
        ("n_targets", "Số chỉ tiêu định lượng trong văn bản kho có, không tính các phần (“trong đó ...”) / number "
                      "of top-level targets in the text the site has, parts not counted"),
        ("n_parts", "Số phần của chỉ tiêu (“trong đó ...”), chỉ tính là phần / number of parts of targets"),
        ("targets_state", "targets (văn bản nêu chỉ tiêu), none (toàn văn không nêu chỉ tiêu nào) hoặc not_in_text "
                          "(chỉ tiêu không có trong văn bản này: trích đoạn hay bài báo không nêu chỉ tiêu nào, kế "
                          "hoạch có đặt chỉ tiêu hay không là không rõ) / targets (the text states targets), none "
                          "(the full text states none) or not_in_text (targets not in this text: an excerpt or press "
                          "report that states none; whether the plan sets any is unknown)"),
        ("kinds", "Loại kế hoạch theo trích yếu, căn cứ (plan_kinds), cách nhau bởi dấu cách / kinds of plan, "
                  "space-separated"),
        ("topics", "Nội dung của kế hoạch theo trích yếu, căn cứ (themes), cách nhau bởi dấu cách / the plan's "
                   "topics, space-separated"),
        ("province_at_signing", "Đơn vị hành chính cấp tỉnh vào ngày ký (mã trong provinces.csv; năm của kế "
                                "hoạch nếu không rõ ngày) / provincial unit on the signing date (id in provinces.csv; "
                                "the plan's year when the date is unknown)"),
        ("province_today", "Đơn vị cấp tỉnh hiện nay mà đơn vị đó thuộc về, nhiều mã cách nhau bằng \"; \" / "
                           "present-day provincial unit(s) it is part of, ids separated by \"; \""))),
    "targets": ("Một dòng cho mỗi chỉ tiêu định lượng và mỗi phần của chỉ tiêu (phần có parent). / One row per "
                "quantified target and per part of a target (a part has a parent).", (
        ("plan_id", "Mã kế hoạch / plan id"), ("target_id", "Mã chỉ tiêu trong kế hoạch / target id"),
        ("parent", "Chỉ tiêu cha (nếu là chỉ tiêu thành phần) / parent target"),
        ("category", "Nhóm chỉ tiêu (taxonomy) / category id"), ("subject", "Đối tượng được đếm / subject id"),
        ("subject_text", "Đối tượng như văn bản viết / subject as written"),
        ("value", "Giá trị (số) / value"), ("value_max", "Cận trên của khoảng / upper bound of a range"),
        ("unit", "Đơn vị / unit id"), ("comparator", "=, >=, >, <= / =, >=, >, <="),
        ("direction", "tăng, giảm, duy trì, đạt / tăng (raise), giảm (reduce), duy trì (keep), đạt (reach)"), ("deadline", "Năm phải đạt / deadline year"),
        ("quote", "Trích dẫn nguyên văn / verbatim quote"), ("note", "Ghi chú / note"),
        ("topics", "Nội dung chỉ tiêu nói tới (themes), cách nhau bởi dấu cách; trống nếu chưa mã hóa / "
                   "topics the quote is about, space-separated; empty if not coded"))),
    "scope": ("Phạm vi của mỗi kế hoạch: loại và nội dung, kèm trích dẫn từ trích yếu hoặc căn cứ. / Each plan's "
              "scope: its kinds and topics, each with a quote of its title or căn cứ.", (
        ("plan_id", "Mã kế hoạch / plan id"), ("aspect", "kind (loại) hoặc topic (nội dung) / kind or topic"),
        ("id", "Mã trong plan_kinds hoặc themes / id in plan_kinds or themes"),
        ("label", "Tên / label"), ("quote", "Trích dẫn nguyên văn / verbatim quote"))),
    "comparability": ("Mỗi chỉ tiêu (không tính phần) mà một biểu đồ so sánh đặt cạnh chỉ tiêu của kế hoạch khác. / "
                      "Every top-level target a comparison chart puts beside a target of another plan.", (
        ("plan_id", "Mã kế hoạch / plan id"), ("target_id", "Mã chỉ tiêu / target id"),
        ("category", "Nhóm chỉ tiêu / category id"), ("subject", "Đối tượng / subject id"),
        ("family", "Họ đối tượng (subject_families) / subject family"), ("unit", "Đơn vị / unit id"),
        ("group", "Mã biểu đồ so sánh / comparison chart id"),
        ("group_subjects", "Các đối tượng trong biểu đồ, rộng nhất trước / the chart's subjects, broadest first"),
        ("level", "same (cùng đối tượng và đơn vị) hoặc broader_narrower (đối tượng rộng/hẹp hơn trong một họ; "
                  "hai chỉ tiêu cùng đối tượng trong đó vẫn là same) / comparability level"))),
    "commitments": ("Cam kết định tính. / Qualitative commitments.", (
        ("plan_id", "Mã kế hoạch / plan id"), ("commitment_id", "Mã cam kết / id"),
        ("kind", "Loại cam kết / kind"), ("quote", "Trích dẫn nguyên văn / verbatim quote"))),
    "agencies": ("Nhiệm vụ giao cho từng cơ quan. / Tasks by agency.", (
        ("plan_id", "Mã kế hoạch / plan id"), ("agency", "Mã cơ quan / agency id"),
        ("agency_name", "Tên cơ quan chuẩn / canonical name"),
        ("as_written", "Tên như văn bản viết / name as written"),
        ("role", "chủ trì, phối hợp, thực hiện / chủ trì (leads), phối hợp (works with), thực hiện (carries out)"), ("quote", "Trích dẫn nguyên văn / verbatim quote"))),
    "themes": ("Chủ đề mỗi kế hoạch đề cập. / Themes each plan covers.", (
        ("plan_id", "Mã kế hoạch / plan id"), ("theme", "Mã chủ đề / theme id"),
        ("quote", "Trích dẫn nguyên văn / verbatim quote"))),
    "citations": ("Mỗi lần một kế hoạch viện dẫn một văn bản. / Every citation of an instrument in a plan.", (
        ("plan_id", "Mã kế hoạch / plan id"), ("legal_id", "Mã văn bản được viện dẫn / instrument id"),
        ("number", "Số hiệu chuẩn hóa / normalized number"), ("type", "Loại văn bản / type"),
        ("issued", "Ngày ban hành YYYY-MM-DD / date issued"), ("issuer", "Cơ quan ban hành / issuer"),
        ("level", "Cấp ban hành / level"), ("as_written", "Nguyên văn / as written"),
        ("start", "Vị trí bắt đầu (ký tự) trong văn bản / start offset"),
        ("end", "Vị trí kết thúc / end offset"))),
    "legal": ("Sổ đăng ký văn bản được viện dẫn. / Registry of cited instruments.", (
        ("legal_id", "Mã văn bản / instrument id"), ("number", "Số hiệu / number"), ("type", "Loại / type"),
        ("issued", "Ngày ban hành / date issued"), ("issuer", "Cơ quan ban hành / issuer"),
        ("level", "Cấp / level"), ("title", "Trích yếu / title"),
        ("cited_by", "Số kế hoạch viện dẫn / number of plans citing it"),
        ("status", "Hiệu lực: in_force, replaced hoặc unknown (không rõ) / validity: in_force, replaced or unknown"),
        ("in_force_from", "Có hiệu lực từ YYYY-MM-DD / in force from"),
        ("replaced_by", "Văn bản thay thế / replaced by"),
        ("replaced_from", "Hết hiệu lực từ YYYY-MM-DD / no longer in force from"),
        ("status_source", "Nguồn chính thức ghi hiệu lực / the official record stating the validity"))),
    "provinces": ("Đơn vị hành chính cấp tỉnh trước và sau 01/07/2025 (corpus/provinces.yaml). / Provincial units "
                  "before and after 1 July 2025.", (
        ("province_id", "Mã đơn vị / unit id"), ("vi", "Tên / name"), ("en", "Tên tiếng Anh / English name"),
        ("kind", "tỉnh hoặc thành phố trực thuộc trung ương / province or centrally-run city"),
        ("valid_from", "Hiệu lực từ YYYY-MM-DD, trống nếu không rõ / valid from, empty if unknown or earlier"),
        ("valid_to", "Ngày cuối YYYY-MM-DD, trống nếu còn / last day, empty if still valid"),
        ("successors", "Đơn vị kế thừa, cách nhau bằng \"; \" / successor ids"),
        ("predecessors", "Đơn vị tiền thân / predecessor ids"),
        ("legal_basis", "Căn cứ pháp lý: sự kiện, văn bản, ngày, điều / legal basis: event, instrument, date, article"))),
}


# A spreadsheet program runs a CSV cell that begins with one of these as a formula (OWASP, "CSV
# injection"): =HYPERLINK(...) in a signer's name would become a live link, or worse.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER_TEXT = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)*")
FORMULA_NOTE = ("In the CSV files, a text cell that begins with =, +, -, @, a tab or a carriage return has an "
                "apostrophe (') put in front of it, so that spreadsheet programs show it instead of running it as a "
                "formula; numbers (such as -5) and a lone sign (the comparator =) stay as they are. The JSON files "
                "keep every text exactly.")


def csv_text(value: str) -> str:
    """A text cell as the CSV files write it: neutralised (a leading apostrophe) when a spreadsheet
    would take it for a formula (see FORMULA_NOTE)."""
    if len(value) > 1 and value.startswith(FORMULA_START) and not _NUMBER_TEXT.fullmatch(value):
        return "'" + value
    return value


def csv_bytes(columns, rows) -> bytes:
    """CSV as UTF-8 bytes with LF line ends; None and NaN become empty cells, formulas are neutralised."""
    return csv_lines(itertools.chain([columns], rows))


def csv_lines(rows) -> bytes:
    """CSV lines of some rows (csv_bytes with its header first; a plan's block of a table alone)."""
    # Encoded as it is written: a whole table as one str (UCS-2 for Vietnamese) and then its bytes
    # were three copies of it at once (hundreds of MB for targets.csv at 10,000 plans).
    buf = io.BytesIO()
    text = io.TextIOWrapper(buf, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text, lineterminator="\n")
    for row in rows:
        writer.writerow(map(_csv_cell, row))
    text.flush()
    data = buf.getvalue()
    text.detach()
    return data


def _csv_cell(v):
    """A cell as csv_lines writes it: "" when missing, a text neutralised, a whole float as an int."""
    # Exact str and int first: most cells, and checking them by type is a fifth of the general
    # path's time (the tables of 10,000 plans have millions of cells).
    t = type(v)
    if t is str:
        return csv_text(v)
    if t is int:
        return v
    return "" if _missing(v) else csv_text(v) if isinstance(v, str) else _plain(v)


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _plain(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float) and v == int(v):
        return int(v)
    return v


def json_bytes(columns, rows) -> bytes:
    """A JSON array of objects with the CSV's fields (null for missing, booleans as JSON booleans),
    one object per line: as readable line by line as the CSV, without the indentation that made the
    JSON tables twice the size of their CSV (measured at 1,000 plans: 33 of the site's 48 MB of tables)."""
    buf = io.BytesIO()  # written record by record, not a list of records joined (two copies at once)
    for row in rows:
        buf.write(b",\n" if buf.tell() else b"[\n")
        buf.write(_json_object(columns, row))
    return buf.getvalue() + b"\n]\n" if buf.tell() else b"[]\n"


def _json_object(columns, row) -> bytes:
    return orjson.dumps(dict(zip(columns, map(_json_value, row))))


def _json_value(v):
    """A value as the JSON tables write it: null when missing, booleans kept, a whole float as an int."""
    t = type(v)
    if t is str or t is int or t is bool:  # most values (see _csv_cell)
        return v
    return None if _missing(v) else _plain(v)


def json_objects(columns, rows) -> bytes:
    """The objects of json_bytes' array, one per row, joined by ",\n" (b"" for no row): a plan's block."""
    return b",\n".join(_json_object(columns, row) for row in rows)


VERSION_FIELD = ("data_version", "Phiên bản dữ liệu / data version (corpus/CHANGELOG.md)")


def with_version(columns: tuple[str, ...], rows: list[tuple], version: str) -> tuple[tuple[str, ...], list[tuple]]:
    """Add the data_version column, so that every download says which release it comes from."""
    return (*columns, VERSION_FIELD[0]), [(*r, version) for r in rows]


# The tables made of one block of rows per plan, in the corpus' order (the others are made whole).
PLAN_TABLES = ("plans", "targets", "commitments", "agencies", "themes", "scope", "citations")


class PackedRows(Mapping):
    """A PlanBlock's rows by table (name -> list of tuples), kept pickled once read from the build
    database until asked. A build reads every plan's block, but needs the rows of the plans whose own
    files it makes again only (the tables' files are joined from the CSV and JSON bytes, counted by
    `count`): unpickling them all was two thirds of the blocks' unpickling, 0.17 s per 1,000 plans."""

    __slots__ = ("_rows", "_packed", "_counts")

    def __init__(self, rows: dict[str, list[tuple]] | None = None, packed: bytes = b"",
                 counts: dict[str, int] | None = None):
        self._rows, self._packed = rows, packed
        self._counts = counts if counts is not None else {name: len(r) for name, r in (rows or {}).items()}

    def _unpacked(self) -> dict[str, list[tuple]]:
        if self._rows is None:
            self._rows, self._packed = pickle.loads(self._packed), b""
        return self._rows

    def __getitem__(self, name: str) -> list[tuple]:
        return self._unpacked()[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._counts)

    def __len__(self) -> int:
        return len(self._counts)

    def count(self, name: str) -> int:
        """How many rows of the table `name` (0 for a table it has none of), without unpickling them."""
        return self._counts.get(name, 0)

    def __reduce__(self):
        packed = self._packed or pickle.dumps(self._rows, protocol=pickle.HIGHEST_PROTOCOL)
        return PackedRows, (None, packed, self._counts)


@dataclass(frozen=True)
class PlanBlock:
    """One plan's rows of each table of PLAN_TABLES, and their CSV lines and JSON objects with the
    data version: the tables' files are these blocks joined (the build database keeps them)."""

    rows: PackedRows  # name -> list of tuples
    csv: Mapping[str, bytes]  # a dict, or SpilledParts once the gathering is over (spill_blocks)
    json: Mapping[str, bytes]
    # A digest of each table's CSV and JSON bytes: a table is made again only when one of its blocks'
    # digests changed (an edit of a target's note changes the targets table only).
    digests: dict[str, str] = field(default_factory=dict)


class SpilledParts(Mapping):
    """A PlanBlock's CSV or JSON bytes by table, kept in a file (spill_blocks) and read when asked."""

    __slots__ = ("_file", "_at")

    def __init__(self, file, at: dict[str, tuple[int, int]]):
        self._file, self._at = file, at

    def __getitem__(self, name: str) -> bytes:
        offset, size = self._at[name]
        data = os.pread(self._file.fileno(), size, offset)
        while len(data) < size:  # a regular file gives it all at once; never trusted blindly
            more = os.pread(self._file.fileno(), size - len(data), offset + len(data))
            if not more:
                raise OSError(f"the spilled download rows are {size - len(data)} bytes short")
            data += more
        return data

    def __iter__(self) -> Iterator[str]:
        return iter(self._at)

    def __len__(self) -> int:
        return len(self._at)


def spill_blocks(blocks: Mapping[str, tuple[str, PlanBlock]], folder: Path | None = None
                 ) -> dict[str, tuple[str, PlanBlock]]:
    """The blocks with their CSV and JSON bytes moved into an unnamed file in `folder` (SpilledParts):
    only the tables' files read them, once, in the build process; in its heap, which the page workers
    are forked from, they were some 40 MiB per 1,000 plans (peak memory, issue 19)."""
    if folder is not None:
        Path(folder).mkdir(parents=True, exist_ok=True)
    file = tempfile.TemporaryFile(dir=folder)
    out, at = {}, 0
    for pid, (key, block) in blocks.items():
        spilled = []
        for parts in (block.csv, block.json):
            where = {}
            for name, data in parts.items():
                file.write(data)
                where[name] = (at, len(data))
                at += len(data)
            spilled.append(SpilledParts(file, where))
        out[pid] = key, replace(block, csv=spilled[0], json=spilled[1])
    file.flush()
    return out


def plan_block(p: Plan, citations, lookups, version: str) -> PlanBlock:
    """A plan's PlanBlock: its rows of each table of PLAN_TABLES (see tables_for_download), with its
    resolved citations."""
    agencies = lookups.agencies
    rows = {
        "plans": [(p.id, p.province, p.number or "", p.doc_type, p.title, p.issued or "", p.year, p.period_end,
                   p.signer or "", p.signer_title or "", p.issuer or "", p.field or "", p.source_kind, p.excerpt,
                   p.source_file, len(p.top_targets), len(p.parts), p.targets_state, " ".join(p.scope_kinds),
                   " ".join(p.scope_topics), p.province_at_signing, "; ".join(p.province_today))],
        "targets": [(p.id, t.id, t.parent or "", t.category, t.subject, t.subject_text, t.value, t.value_max, t.unit,
                     t.comparator, t.direction, t.deadline, t.quote, t.note, " ".join(t.topics)) for t in p.targets],
        "commitments": [(c.plan_id, c.id, c.kind, c.quote) for c in p.commitments],
        "agencies": [(t.plan_id, t.agency, agencies[t.agency].vi if t.agency in agencies else "", t.as_written,
                      t.role, t.quote) for t in p.tasks],
        "themes": [(t.plan_id, t.theme, t.quote) for t in p.themes],
        "scope": [(s.plan_id, s.aspect, s.id, _scope_label(lookups, s.aspect, s.id), s.quote) for s in p.scope],
        "citations": [(c.plan_id, c.legal_id, c.number, c.type, c.issued, c.issuer, c.level, c.as_written,
                       c.start, c.end) for c in citations],
    }
    rows = {name: [tuple(None if _missing(v) else v for v in r) for r in rs] for name, rs in rows.items()}
    versioned = {name: with_version(_cols(name), rs, version) for name, rs in rows.items()}
    csv_ = {name: csv_lines(vr) for name, (_, vr) in versioned.items()}
    json_ = {name: json_objects(cols, vr) for name, (cols, vr) in versioned.items()}
    return PlanBlock(PackedRows(rows), csv_, json_, {name: hashlib.blake2b(csv_[name] + b"\0" + json_[name], digest_size=16).hexdigest()
                                         for name in rows})


def tables_for_download(corpus: Corpus, tables: Tables, citations: tuple[Citation, ...],
                        instruments: dict[str, Instrument], blocks: Mapping[str, PlanBlock] | None = None,
                        ) -> dict[str, list[tuple]]:
    """Every download table as rows in DICTIONARY column order; the per-plan tables from each plan's
    block (plan_block, made here when not given)."""
    if blocks is None:
        mine: dict[str, list[Citation]] = {}
        for c in citations:
            mine.setdefault(c.plan_id, []).append(c)
        blocks = {p.id: plan_block(p, mine.get(p.id, ()), corpus.lookups, corpus.data_version) for p in corpus.plans}
    cited: dict[str, set] = {}
    for c in citations:
        if c.legal_id:
            cited.setdefault(c.legal_id, set()).add(c.plan_id)
    out = {
        **dict.fromkeys(PLAN_TABLES[:6]),  # joined from the blocks when asked (DownloadRows)
        "comparability": [tuple(r) for r in tables.comparability],  # its columns are the download's
        "citations": None,
        "legal": [(i.id, i.number, i.type, i.issued, i.issuer, i.level, i.title, len(cited.get(i.id, ())),
                   i.status, i.in_force_from, i.replaced_by, i.replaced_from, i.status_source)
                  for i in instruments.values()],
        "provinces": [(u.id, u.vi, u.en, u.kind, u.valid_from, u.valid_to, "; ".join(u.successors),
                       "; ".join(u.predecessors), "; ".join(basis_text(b) for b in u.legal_basis))
                      for _, u in sorted(corpus.lookups.provinces.items())],
    }
    # The blocks' rows only, not the blocks: their CSV and JSON bytes are freed when spilled (spill_blocks).
    return DownloadRows(out, [blocks[p.id].rows for p in corpus.plans])


class DownloadRows(Mapping):
    """Every download table's rows by name (tables_for_download), in DICTIONARY's order. The rows of the
    tables of PLAN_TABLES are joined from the plans' blocks when first asked, and counted without being
    joined: a build whose tables are all made of the blocks' CSV and JSON bytes never joins them."""

    def __init__(self, tables: dict[str, list[tuple] | None], plans: list[PackedRows]):
        self._tables, self._plans = tables, plans  # plans: each plan's PlanBlock.rows, in the corpus' order

    def __getitem__(self, name: str) -> list[tuple]:
        rows = self._tables[name]
        if rows is None:
            rows = self._tables[name] = [r for own in self._plans for r in own.get(name, ())]
        return rows

    def __iter__(self) -> Iterator[str]:
        return iter(self._tables)

    def __len__(self) -> int:
        return len(self._tables)

    def count(self, name: str) -> int:
        """How many rows the table `name` has (without joining a per-plan table's rows)."""
        rows = self._tables[name]
        return len(rows) if rows is not None else sum(own.count(name) for own in self._plans)


def _scope_label(lookups, aspect: str, ident: str) -> str:
    table = lookups.plan_kinds if aspect == "kind" else lookups.themes
    return table[ident].vi if ident in table else ident


def basis_text(b: LegalBasis) -> str:
    """One legal basis as plain text: "ended: Nghị quyết số 202/2025/QH15 (2025-06-12), Điều 1"."""
    when = f" ({b.issued})" if b.issued else ""
    return f"{b.event}: {b.instrument}{when}, {b.article or 'điều không rõ / article unknown'}"


def _cols(name: str) -> tuple[str, ...]:
    return tuple(c for c, _ in DICTIONARY[name][1])


def data_files_index(rows: dict[str, list[tuple]]) -> tuple[tuple[str, str, tuple, str], ...]:
    """The download tables as the data page lists them: (name, description, fields, number of rows)."""
    def count(name: str) -> int:
        return rows.count(name) if isinstance(rows, DownloadRows) else len(rows[name])
    return tuple((name, DICTIONARY[name][0], (*DICTIONARY[name][1], VERSION_FIELD), str(count(name)))
                 for name in DICTIONARY)


def iter_chart_files(charts: dict[tuple[str, str], Chart], version: str) -> Iterator[tuple[str, bytes]]:
    """The CSV of each chart's data as drawn, per language (the chart's tools link to it). No JSON
    twin: nothing linked to it, and its rows are rows of the JSON tables (a 7 KB file per chart)."""
    for (lang, cid), chart in sorted(charts.items()):
        cols, vrows = with_version(chart.csv_columns, list(chart.csv_rows), version)
        yield urls.chart_csv_path(cid, lang), csv_bytes(cols, vrows)


@dataclass(frozen=True)
class DataFiles:
    """Some files of the data folder made together, and what they read (the vocabulary of
    sitegen/pages/reads.py): the build keys them by it and carries them over while it is unchanged."""

    paths: tuple[str, ...]
    reads: frozenset
    make: Callable[[], list[tuple[str, bytes]]]  # (path, bytes) of each of `paths`
    # The values the files are made of, when they are already computed and cheaper to digest than
    # what they read (a table's rows: a change to a plan that leaves them alone leaves the table alone).
    made_of: tuple = ()


# What each download table is made from, besides the data version.
TABLE_READS = {"plans": {("plans",)}, "targets": {("plans",), ("lookup", "subjects")}, "commitments": {("plans",)},
               "agencies": {("plans",), ("lookup", "agencies")}, "themes": {("plans",)},
               "scope": {("plans",), ("lookup", "plan_kinds"), ("lookup", "themes")},  # with each entry's label
               "comparability": {("plans",), ("lookup", "subjects"), ("lookup", "categories")},
               "citations": {("citations",)}, "legal": {("instruments",), ("citations",)},
               "provinces": {("lookup", "provinces")}}
# What a plan's own CSV and JSON are made from: the plan (with its citations), the agencies' names
# and the labels of its scope's kinds and topics.
PLAN_READS = frozenset({("lookup", "agencies"), ("lookup", "plan_kinds"), ("lookup", "themes"), ("data_version",)})


Piece = tuple[str, Callable[[], tuple[bytes, ...]]]  # (a key naming its bytes, a function giving them)


def table_pieces(name: str, mine: list[tuple[str, PlanBlock]]) -> dict[str, list[Piece]]:
    """The CSV and JSON files of a table of PLAN_TABLES, by site path, as the pieces they are the join of,
    in order: the header or bracket, then each plan's block (mine: each plan's (key, PlanBlock), in the
    corpus' order), keyed by its digest. The files are these joined (data_files), and the ZIP compresses
    each piece once and keeps it (publish.release_zip): an edit of one plan compresses its pieces only."""
    header = csv_lines([(*_cols(name), VERSION_FIELD[0])])
    csv_: list[Piece] = [(f"csv head {hashlib.blake2b(header, digest_size=16).hexdigest()}", lambda: (header,))]
    json_: list[Piece] = [("json [", lambda: (b"[\n",))]
    for _, b in mine:
        if b.rows.count(name):  # else its CSV and JSON bytes are empty (and are not read to know it)
            csv_.append((f"csv {b.digests.get(name, '')}", lambda b=b: (b.csv[name],)))
            # json_bytes' array: the objects of each plan's block, the blocks separated by ",\n".
            json_.append((f"json , {b.digests.get(name, '')}", lambda b=b: (b",\n", b.json[name])) if len(json_) > 1
                         else (f"json {b.digests.get(name, '')}", lambda b=b: (b.json[name],)))
    json_ = [("json []", lambda: (b"[]\n",))] if len(json_) == 1 else [*json_, ("json ]", lambda: (b"\n]\n",))]
    return {urls.table_csv_path(name): csv_, urls.table_json_path(name): json_}


class ZipPieces(Mapping):
    """The pieces of each per-plan table's files (table_pieces), by site path, each table's made when
    first asked (a build whose ZIP is unchanged asks none)."""

    def __init__(self, mine: list[tuple[str, PlanBlock]]):
        self._mine, self._made = mine, {}
        self._table = {path: name for name in PLAN_TABLES for path in (urls.table_csv_path(name), urls.table_json_path(name))}

    def __getitem__(self, path: str) -> list[Piece]:
        if path not in self._made:
            self._made.update(table_pieces(self._table[path], self._mine))
        return self._made[path]

    def __contains__(self, path) -> bool:
        return path in self._table  # Mapping's would make the pieces to know

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


def blocks_in_order(corpus: Corpus, blocks: Mapping[str, tuple[str, PlanBlock]]) -> list[tuple[str, PlanBlock]] | None:
    """Each plan's (key, PlanBlock) in the corpus' order, or None when a plan has none (the tables are then
    made from the rows)."""
    return [blocks[p.id] for p in corpus.plans] if all(p.id in blocks for p in corpus.plans) else None


def keyed_blocks(mine: list[tuple[str, PlanBlock]] | None) -> bool:
    """Whether every block has its digests (then a table is keyed, and its pieces named, by them)."""
    return mine is not None and all(b.digests for _, b in mine)


def zip_pieces(corpus: Corpus, blocks: Mapping[str, tuple[str, PlanBlock]]) -> Mapping[str, list[Piece]]:
    """The pieces of each per-plan table's files (ZipPieces), by site path, when every plan has a block
    with its digests (then each piece's key names its bytes), else none."""
    mine = blocks_in_order(corpus, blocks)
    return ZipPieces(mine) if keyed_blocks(mine) else {}


def data_files(corpus: Corpus, rows: dict[str, list[tuple]],
               blocks: Mapping[str, tuple[str, PlanBlock]] | None = None) -> Iterator[DataFiles]:
    """The tables and each plan's downloads, as DataFiles (made only when asked: a large site's data
    need not be in memory at once). blocks: each plan's (key, PlanBlock) (sitegen.gather.plan_blocks):
    the per-plan tables are joined from them, and keyed by their keys when every plan has one."""
    version = corpus.data_version
    blocks = blocks or {}
    mine = blocks_in_order(corpus, blocks)

    def table(name: str) -> list[tuple[str, bytes]]:
        if mine is not None and name in PLAN_TABLES:
            # Each file in one join of its pieces (a join and then the header added was a second copy).
            return [(path, b"".join(part for _, parts in pieces for part in parts()))
                    for path, pieces in table_pieces(name, mine).items()]
        cols, vrows = with_version(_cols(name), rows[name], version)
        return [(urls.table_csv_path(name), csv_bytes(cols, vrows)), (urls.table_json_path(name), json_bytes(cols, vrows))]
    keyed = keyed_blocks(mine)
    for name in rows:
        made_of = ((name, tuple(b.digests[name] for _, b in mine), version) if keyed and name in PLAN_TABLES
                   else (name, rows[name], version))
        yield DataFiles((urls.table_csv_path(name), urls.table_json_path(name)),
                        frozenset(TABLE_READS[name] | {("data_version",)}), lambda name=name: table(name), made_of)
    # Each plan's rows of every table: its block's (every row of a block is the plan's own), else
    # grouped in one pass (a scan per plan was O(plans x rows)), when the first plan's files are made:
    # an incremental build that carries them all over needs none.
    by_plan: dict[str, dict[str, list[tuple]]] = {}

    def own(plan_id: str) -> Mapping[str, list[tuple]]:
        if plan_id in blocks:
            return blocks[plan_id][1].rows
        if not by_plan:
            for name in ("plans", "targets", "commitments", "agencies", "themes", "scope", "citations"):
                for r in rows[name]:
                    by_plan.setdefault(r[0], {}).setdefault(name, []).append(r)
        return by_plan.get(plan_id, {})
    for p in corpus.plans:
        yield DataFiles((urls.plan_json_path(p.id),), PLAN_READS | {("plan", p.id)},
                        lambda p=p: plan_files(p, own(p.id), version))


def plan_files(p: Plan, own: dict[str, list[tuple]], version: str) -> list[tuple[str, bytes]]:
    """A plan's own JSON record, from its rows of every table: one file per plan, without
    indentation. (It had a targets CSV too, the same rows as the record's targets and as its rows
    of targets.csv: 47 MB at 10,000 plans; the indentation was another fifth of the record.)"""
    target_cols = _cols("targets")
    targets = own.get("targets", [])
    record = {
        "plan": dict(zip(_cols("plans"), own["plans"][0])),
        "provenance": p.provenance,
        "targets": [dict(zip(target_cols, r)) for r in targets],
        "commitments": [dict(zip(_cols("commitments"), r)) for r in own.get("commitments", [])],
        "tasks": [dict(zip(_cols("agencies"), r)) for r in own.get("agencies", [])],
        "themes": [dict(zip(_cols("themes"), r)) for r in own.get("themes", [])],
        "scope": [dict(zip(_cols("scope"), r)) for r in own.get("scope", [])],
        "citations": [dict(zip(_cols("citations"), r)) for r in own.get("citations", [])],
        "garbled": [{"text": g.text, "note": g.note, "remark": g.remark, "remark_en": g.remark_en}
                    for g in p.garbles],
        "data_version": version,
    }
    return [(urls.plan_json_path(p.id), orjson.dumps(record) + b"\n")]
