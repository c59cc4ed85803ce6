"""Shared helpers for the unit, validation and bad-input tests: a tiny corpus, edits, snapshots.

The tiny corpus is two plans of one province with every lookup entry used, so that it
builds with no warning. Tests copy it (or the real corpus) into tmp_path and change one
thing; `line_of` finds the line an error must name without hard-coding line numbers.
"""
from __future__ import annotations

import filecmp
import shutil
import subprocess
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

from sitegen.model import Problem
from sitegen.pages import Drawn, chart_pages, kits, page_jobs, plan_jobs
from sitegen.pipeline import BuildError, gather

REPO = Path(__file__).resolve().parent.parent
REAL_CORPUS = REPO / "corpus"
BUILD_PY = REPO / "build.py"

PLAN_A = "quang-ninh-2020"
PLAN_B = "quang-ninh-2021"
MD_A = f"plans/{PLAN_A}.md"
YAML_A = f"plans/{PLAN_A}.yaml"
MD_B = f"plans/{PLAN_B}.md"
YAML_B = f"plans/{PLAN_B}.yaml"

TINY: dict[str, str] = {
    "taxonomy.yaml": """\
- id: communication
  vi: Độ phủ tuyên truyền
  en: Communication coverage
  definition_vi: Tỷ lệ đơn vị được tuyên truyền.
  definition_en: Share of units reached by awareness-raising.
  comparable_when: cùng đối tượng và đơn vị
  comparable_when_en: same subject and unit
- id: training
  vi: Tập huấn cán bộ
  en: Staff training
  definition_vi: Số cán bộ được tập huấn.
  definition_en: Number of officials trained.
  comparable_when: cùng đối tượng và đơn vị
  comparable_when_en: same subject and unit
""",
    "subjects.yaml": """\
- {id: xa, vi: "xã, phường, thị trấn", en: communes, family: dia_ban}
- {id: can_bo, vi: cán bộ, en: officials, family: can_bo}
""",
    "subject_families.yaml": """\
- {id: dia_ban, vi: Địa bàn, en: Areas}
- {id: can_bo, vi: Cán bộ, en: Officials}
""",
    "plan_kinds.yaml": """\
- {id: annual, vi: Kế hoạch năm, en: Annual plan}
""",
    "units.yaml": """\
- {id: percent, vi: "%", en: "%", kind: percent}
- {id: people, vi: người, en: people, kind: count}
""",
    "themes.yaml": """\
- {id: ma-tuy, vi: Ma túy, en: Drugs}
""",
    "agencies.yaml": """\
- id: cong-an-tinh
  vi: Công an tỉnh
  en: Provincial Police
  kind: tinh
  aliases: [CA tỉnh, Công an Tỉnh]
""",
    "commitments.yaml": """\
- {id: no_hotspot, vi: Không để hình thành điểm nóng, en: No new hotspots}
""",
    "provinces.yaml": """\
- id: quang-ninh
  vi: Quảng Ninh
  en: Quang Ninh
  kind: tỉnh
  valid_from: null
  valid_to: null
  successors: []
  predecessors: []
  legal_basis:
    - {event: unchanged, instrument: "Nghị quyết số 202/2025/QH15", issued: 2025-06-12, article: unknown}
""",
    "CHANGELOG.md": """\
# Changelog

## 1.2.0

- Tiny test corpus.
""",
    "sources/a.txt": "KẾ HOẠCH\nPhòng, chống tệ nạn xã hội năm 2020\n",
    "sources/b.txt": "KẾ HOẠCH\nPhòng, chống tệ nạn xã hội năm 2021\n",
    MD_A: """\
---
id: quang-ninh-2020
province: Quảng Ninh
number: 12/KH-UBND
doc_type: Kế hoạch
title: Phòng, chống tệ nạn xã hội năm 2020
issuer: Ủy ban nhân dân tỉnh Quảng Ninh
signer: Nguyễn Văn A
signer_title: PHÓ CHỦ TỊCH
issued: "2020-03-05"
period: 2020
field: Văn hóa - Xã hội
source_kind: official
excerpt: false
source_file: sources/a.txt
provenance: A test plan written for the test suite.
provenance_en: A test plan written for the test suite.
header:
  left: [ỦY BAN NHÂN DÂN, TỈNH QUẢNG NINH]
  right: [CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM]
  number_line: "Số: 12/KH-UBND"
  place_date: Quảng Ninh, ngày 05 tháng 3 năm 2020
signature:
  authority: TM. ỦY BAN NHÂN DÂN
  title: PHÓ CHỦ TỊCH
  name: Nguyễn Văn A
  recipients: ["- Như trên;", "- Lưu: VT."]
garbled:
  - {text: "tuyên truyềnn", note: "tuyên truyền"}
---

# KẾ HOẠCH

Phòng, chống tệ nạn xã hội năm 2020

Thực hiện công tác phòng, chống ma túy năm 2020.

## I. MỤC TIÊU

### 1. Chỉ tiêu

1.1. Phấn đấu 100% xã, phường, thị trấn được tuyên truyền về phòng, chống ma túy.

1.2. Tổ chức 06 lớp tập huấn cho 1.330 cán bộ.

## II. NHIỆM VỤ

#### a) Công an tỉnh

Công an tỉnh chủ trì kiểm tra, không để hình thành điểm nóng về ma túy; tuyên truyềnn.
""",
    YAML_A: """\
targets:
  - id: t01
    category: communication
    subject: xa
    subject_text: xã, phường, thị trấn
    value: 100
    value_max: null
    unit: percent
    comparator: "="
    direction: đạt
    deadline: 2020
    parent: null
    quote: "Phấn đấu 100% xã, phường, thị trấn được tuyên truyền"
    note: ""
    topics: [ma-tuy]
  - id: t02
    category: training
    subject: can_bo
    subject_text: cán bộ
    value: 1330
    value_max: null
    unit: people
    comparator: "="
    direction: đạt
    deadline: unknown
    parent: null
    quote: "Tổ chức 06 lớp tập huấn cho 1.330 cán bộ"
    topics: [ma-tuy]
commitments:
  - id: c01
    kind: no_hotspot
    quote: "không để hình thành điểm nóng về ma túy"
tasks:
  - agency: Công an tỉnh
    role: chủ trì
    quote: "Công an tỉnh chủ trì kiểm tra"
themes:
  - theme: ma-tuy
    quote: "phòng, chống ma túy"
scope:
  kinds:
    - {kind: annual, quote: "năm 2020"}
  topics:
    - {topic: ma-tuy, quote: "Thực hiện công tác phòng, chống ma túy năm 2020"}
""",
    MD_B: """\
---
id: quang-ninh-2021
province: Quảng Ninh
number: unknown
doc_type: Kế hoạch
title: Phòng, chống tệ nạn xã hội năm 2021
issuer: unknown
signer: unknown
signer_title: unknown
issued: unknown
period: 2021
field: unknown
source_kind: press
excerpt: true
source_file: sources/b.txt
provenance: A press report written for the test suite.
provenance_en: A press report written for the test suite.
press:
  outlet: Báo Thử
  published: "2021-04-01"
  author: unknown
---

# Quảng Ninh triển khai kế hoạch năm 2021

Phấn đấu 90% xã, phường, thị trấn được tuyên truyền về phòng, chống ma túy.

[...]
""",
    YAML_B: """\
targets:
  - id: t01
    category: communication
    subject: xa
    subject_text: xã, phường, thị trấn
    value: 90
    value_max: null
    unit: percent
    comparator: ">="
    direction: đạt
    deadline: 2021
    parent: null
    quote: "Phấn đấu 90% xã, phường, thị trấn được tuyên truyền"
    topics: [ma-tuy]
commitments: []
tasks: []
themes:
  - theme: ma-tuy
    quote: "phòng, chống ma túy"
scope:
  kinds:
    - {kind: annual, quote: "kế hoạch năm 2021"}
  topics:
    - {topic: ma-tuy, quote: "phòng, chống ma túy"}
""",
}


def write_corpus(base: Path, files: dict[str, str] | None = None) -> Path:
    """Write the tiny corpus (or `files`) into base/corpus and return that folder."""
    root = base / "corpus"
    for rel, text in (TINY if files is None else files).items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def copy_real_corpus(base: Path) -> Path:
    """Copy the project's corpus into base/corpus and return that folder."""
    root = base / "corpus"
    shutil.copytree(REAL_CORPUS, root)
    return root


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` (which must occur exactly once) by `new` in a UTF-8 file."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line of a file containing `needle`."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def check(root: Path) -> list[Problem]:
    """Gather a corpus folder as the build does; every problem found."""
    try:
        return gather(root).problems
    except BuildError as exc:
        return exc.problems


def drawn(page) -> dict:
    """The charts drawn on a page, by id."""
    return {chart.id: chart for chart, _ in page.charts}


def site_pages(site, data_tables=(), *, plans: bool = False):
    """Every page of a site, made in this process by the build's own jobs (each checked to read only
    what it declares), then the chart pages; returns (pages, every chart drawn by (language, id)).
    plans=True adds the plan pages."""
    made = []
    by_lang = kits(site)
    drawn = {lang: Drawn() for lang in by_lang}
    for job in page_jobs(site, data_tables):
        pages = job.run(by_lang[job.lang])
        drawn[job.lang].take(pages)
        made += pages
    if plans:
        made += [page for lang, one in plan_jobs(site).items() for job in one.values()
                 for page in job.run(by_lang[lang])]
    for lang, k in by_lang.items():
        made += chart_pages(k, drawn[lang].with_homes())
    return made, {(lang, cid): c for lang, d in drawn.items() for cid, c in d.charts.items()}


def job_pages(site, lang: str, make, *args) -> list:
    """The pages the site's jobs of one page function make in one language (those whose arguments
    start with `args`), in the build's order, each job checked to read only what it declares."""
    k = kits(site)[lang]
    return [page for job in page_jobs(site) if job.lang == lang and job.make is make
            and job.args[:len(args)] == args for page in job.run(k)]


def errors(root: Path) -> list[Problem]:
    """The errors (not warnings) of a corpus folder."""
    return [p for p in check(root) if p.severity == "error"]


def only_error(root: Path) -> Problem:
    """The one error of a corpus folder (fails if there are none or several)."""
    found = errors(root)
    assert len(found) == 1, "\n".join(map(str, found)) or "no error"
    return found[0]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder: relative path -> bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_build(corpus: Path, out: Path, *extra: str) -> subprocess.CompletedProcess:
    """Run `python build.py --corpus corpus --out out --no-search` and capture its output."""
    return subprocess.run([sys.executable, str(BUILD_PY), "--corpus", str(corpus), "--out", str(out),
                           "--no-search", *extra], capture_output=True, text=True, cwd=REPO, timeout=120)


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng


def cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: base letters precomposed, tone marks combining."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            tones = "".join(c for c in parts if c in _TONES)
            out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def later_plan(plan, pid: str, number: str | None, issued: str | None, year: int = 2023,
               values: dict[str, float] | None = None, *, reverse: bool = False, drop: int = 0):
    """A later plan of the same province: a copy of `plan` with another id, number, issue date and
    year, the same targets with some other `values`, stated in reverse order or less the last `drop`."""
    values = values or {}
    targets = tuple(replace(tg, plan_id=pid, value=values.get(tg.id, tg.value)) for tg in plan.targets)
    targets = targets[::-1] if reverse else targets
    targets = targets[:len(targets) - drop]
    return replace(plan, id=pid, number=number, issued=issued, year=year, period_end=year, targets=targets)


TQ_2019 = "tuyen-quang-2019-63-kh-ubnd"
TQ_2026 = "tuyen-quang-2026-15-kh-ubnd"
CT21 = "chi-thi-21-ct-tw-2008-03-26"


def lineage_corpus(base: Path, *, replaced_from: str = "2019-01-01") -> Path:
    """The real corpus plus a 2026 plan of the new tỉnh Tuyên Quang (formed on 01/07/2025 from
    Tuyên Quang and Hà Giang: a copy of the 2019 plan with another id, number and date), and, as
    test data only, Chỉ thị 21-CT/TW (cited by the 2019 plan) marked replaced from `replaced_from`."""
    root = copy_real_corpus(base)
    md = (root / "plans" / f"{TQ_2019}.md").read_text("utf-8")
    for old, new in ((f"id: {TQ_2019}", f"id: {TQ_2026}"), ("number: 63/KH-UBND", "number: 15/KH-UBND"),
                     ('issued: "2019-05-23"', 'issued: "2026-03-02"'), ("period: 2019-2020", "period: 2026")):
        assert md.count(old) == 1, old
        md = md.replace(old, new)
    (root / "plans" / f"{TQ_2026}.md").write_text(md, "utf-8")
    shutil.copy(root / "plans" / f"{TQ_2019}.yaml", root / "plans" / f"{TQ_2026}.yaml")
    legal = (root / "legal.yaml").read_text("utf-8")
    entry = f"- id: {CT21}\n"
    assert legal.count(entry) == 1
    start = legal.index(entry)
    end = legal.index("\n- id:", start + 1)
    legal = legal[:end] + (
        "\n  status: replaced\n  replaced_by: Chỉ thị số 36-CT/TW ngày 16/8/2019 của Bộ Chính trị\n"
        f"  replaced_by_id: chi-thi-36-ct-tw-2019-08-16\n  replaced_from: {replaced_from}\n"
        "  status_source: a test record (tests/helpers.py), not an official one") + legal[end:]
    (root / "legal.yaml").write_text(legal, "utf-8")
    return root


def ingest_text(text: str):
    """The ingest draft of an inline text, read against the real corpus's lookup tables."""
    from sitegen.ingest.draft import ingest

    return ingest(text.encode(), "item.txt", REAL_CORPUS)


def readings(targets) -> list[tuple]:
    """(value, unit, comparator, deadline) of each target, in order."""
    return [(c.value, c.unit, c.comparator, c.deadline) for c in targets]


def tree_files(site: Path) -> dict[str, Path]:
    """Every file under a built site, by its path relative to the site."""
    return {str(p.relative_to(site)): p for p in site.rglob("*") if p.is_file()}


def tree_diff(a: Path, b: Path) -> list[str]:
    """The relative paths that two built sites do not share, or share with different bytes."""
    fa, fb = tree_files(a), tree_files(b)
    diff = sorted(set(fa) ^ set(fb))
    return diff + [k for k in sorted(set(fa) & set(fb)) if not filecmp.cmp(fa[k], fb[k], shallow=False)]


def spy_jobs(monkeypatch) -> list[str]:
    """The names of the page jobs run from now on (PageJob.name), in order."""
    from sitegen.pages import PageJob

    ran: list[str] = []
    real = PageJob.run

    def spy(self, kit):
        ran.append(self.name)
        return real(self, kit)
    monkeypatch.setattr(PageJob, "run", spy)
    return ran
