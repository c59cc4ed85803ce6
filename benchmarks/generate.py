"""A synthetic corpus of N plans shaped like the real ones, made deterministically from a seed.

Every plan is built from the real plans' own material (corpus/plans/*), reshuffled:

- its text (~15 KB of Vietnamese) is the real texts' paragraphs, drawn and ordered by a
  seeded random generator, under real section headings (renumbered);
- 10 to 30 targets, each from a real target's quote with its number changed (so the value
  appears in the quote, and the quote is inserted verbatim into the text);
- 10 to 20 citations of instruments written in the real citation styles (Chỉ thị số
  36-CT/TW ngày 16/8/2019 của Bộ Chính trị, Nghị định số 116/2021/NĐ-CP ngày 21 tháng 12
  năm 2021 của Chính phủ, Kế hoạch số ... của Ủy ban nhân dân tỉnh, Luật ... by name), drawn
  from a pool of central instruments and each province's own instruments, all in legal.yaml;
- commitments and tasks (agencies and their aliases from corpus/agencies.yaml) with real
  quotes, and themes whose quotes occur in the text.

Provinces are the 63 provinces, years 2008-2025. Plan i depends only on (seed, i), so
plan 7 of a 100-plan corpus is plan 7 of a 10,000-plan corpus.

    python benchmarks/generate.py --plans 1000 --out /tmp/corpus-1000 [--seed 1]
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from sitegen import citations as cite  # noqa: E402
from sitegen.citations import forms as cite_forms  # noqa: E402
from sitegen.textutil import slugify, squash  # noqa: E402

REAL = ROOT / "corpus"
PROVINCES = tuple(p for p in cite_forms.PROVINCES if p != "Huế")  # the 63 provinces
YEARS = tuple(range(2008, 2026))
LOOKUPS = ("taxonomy", "subjects", "units", "themes", "agencies", "commitments", "legal_names", "plan_kinds",
           "subject_families", "provinces")
TARGET_BYTES = 15_000
ROLES = ("chủ trì", "phối hợp", "thực hiện")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
LETTERS = "abcdđeghiklmn"
TITLE_TOPICS = (
    "Thực hiện công tác phòng, chống tệ nạn xã hội trên địa bàn tỉnh {p} năm {y}",
    "Triển khai công tác phòng, chống mại dâm, cai nghiện ma túy và hỗ trợ nạn nhân bị mua bán trên địa bàn tỉnh {p} năm {y}",
    "Phòng, chống AIDS và phòng, chống ma túy, mại dâm trên địa bàn tỉnh {p} năm {y}",
    "Thực hiện Chương trình phòng, chống mại dâm trên địa bàn tỉnh {p} giai đoạn {y}-{e}",
)
SIGNERS = ("Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Vũ Thị Giang",
           "Đặng Văn Hải", "Bùi Thị Hương", "Đỗ Văn Khánh", "Ngô Thị Lan")
OUTLETS = ("Báo {p}", "Cổng thông tin điện tử tỉnh {p}", "Đài Phát thanh và Truyền hình {p}")


# ---------------------------------------------------------------- material from the real corpus


@dataclass(frozen=True)
class TargetTemplate:
    category: str
    subject: str
    subject_text: str
    unit: str
    comparator: str
    direction: str
    quote: str
    value: float
    value_max: float | None
    token: str  # the number as written in the quote, replaced by the new value
    token_max: str


@dataclass(frozen=True)
class Instrument:
    """A pool instrument: how plans write it, and its registry entry."""

    text: str  # "Chỉ thị số 36-CT/TW ngày 16/8/2019 của Bộ Chính trị về ..."
    year: int
    entry: dict  # legal.yaml entry


@dataclass
class Material:
    paragraphs: list[str]
    headings2: list[str]
    headings3: list[str]
    targets: list[TargetTemplate]
    commitments: list[tuple[str, str]]  # (kind, quote)
    tasks: list[str]
    themes: list[tuple[str, str]]  # (theme, quote)
    agencies: list[str]  # every name and alias
    named: list[dict]  # registry entries of instruments cited by name, with their names


def _split_front(text: str) -> tuple[dict, str]:
    end = text.find("\n---\n", 3)
    return yaml.safe_load(text[4:end + 1]), text[end + 5:]


def _has_citation(text: str) -> bool:
    return bool(cite.extract(text, province="Quảng Ninh", names={})) or bool(
        re.search(r"\d+\s*[/-]\s*[A-ZĐ]", text))


def _number_token(quote: str, value: float) -> str | None:
    """The digits in ``quote`` that write ``value`` ("06", "1.330", "45"), or None."""
    for m in re.finditer(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?", quote):
        v = float(m[1].replace(".", "")) + (float("0." + m[2]) if m[2] else 0.0)
        if abs(v - value) < 1e-9:
            return m.group()
    return None


def load_material() -> Material:
    """Everything the generator reuses from corpus/: texts, quotes, agencies, named instruments."""
    paragraphs, h2, h3 = [], [], []
    targets, commitments, tasks, themes = [], [], [], []
    for md in sorted((REAL / "plans").glob("*.md")):
        _, body = _split_front(md.read_text(encoding="utf-8"))
        for block in re.split(r"\n\s*\n", body):
            block = block.strip()
            if not block or block == "[...]":
                continue
            if block.startswith("## "):
                h2.append(re.sub(r"^[IVXL]+\.\s*", "", block[3:]).strip())
            elif block.startswith("### "):
                h3.append(re.sub(r"^\d+(?:\.\d+)*\.?\s*", "", block[4:]).strip())
            elif block.startswith("#"):
                continue
            elif len(block) > 80 and not _has_citation(block) and not block.isupper():
                paragraphs.append(block)
        data = yaml.safe_load(md.with_suffix(".yaml").read_text(encoding="utf-8"))
        for t in data.get("targets") or []:
            if t.get("parent") is not None or _has_citation(t["quote"]):
                continue
            token = _number_token(t["quote"], t["value"])
            token_max = _number_token(t["quote"], t["value_max"]) if t.get("value_max") is not None else ""
            if token is None or token_max is None or (t.get("value_max") is not None and token_max == token):
                continue
            targets.append(TargetTemplate(t["category"], t["subject"], t["subject_text"], t["unit"],
                                          t["comparator"], t["direction"], t["quote"], float(t["value"]),
                                          None if t.get("value_max") is None else float(t["value_max"]),
                                          token, token_max))
        commitments += [(c["kind"], c["quote"]) for c in data.get("commitments") or []
                        if not _has_citation(c["quote"])]
        tasks += [tk["quote"] for tk in data.get("tasks") or [] if not _has_citation(tk["quote"])]
        themes += [(th["theme"], th["quote"]) for th in data.get("themes") or [] if not _has_citation(th["quote"])]
    agencies = []
    for a in yaml.safe_load((REAL / "agencies.yaml").read_text(encoding="utf-8")):
        agencies += [a["vi"], *(a.get("aliases") or [])]
    registry = yaml.safe_load((REAL / "legal.yaml").read_text(encoding="utf-8"))
    names = yaml.safe_load((REAL / "legal_names.yaml").read_text(encoding="utf-8"))
    by_id = {e["id"]: e for e in registry}
    named = [{**by_id[n["id"]], "names": n["names"]} for n in names if n["id"] in by_id]
    return Material(sorted(set(paragraphs)), sorted(set(h2)), sorted(set(h3)), targets,
                    sorted(set(commitments)), sorted(set(tasks)), sorted(set(themes)), agencies, named)


# ---------------------------------------------------------------- instruments

_ABOUT = ("về tăng cường, nâng cao hiệu quả công tác phòng, chống và kiểm soát ma túy",
          "về tăng cường công tác phòng, chống mại dâm trong tình hình mới",
          "phê duyệt Chương trình phòng, chống mua bán người giai đoạn {y}-{e}",
          "quy định chi tiết một số điều của Luật Phòng, chống ma túy",
          "về thực hiện công tác cai nghiện ma túy và quản lý sau cai nghiện",
          "ban hành Kế hoạch triển khai công tác phòng, chống tệ nạn xã hội",
          "hướng dẫn thực hiện công tác hỗ trợ nạn nhân bị mua bán")


def _date_text(rng: random.Random, y: int, style: int) -> tuple[str, str]:
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    iso = f"{y:04d}-{m:02d}-{d:02d}"
    if style == 0:
        return f"ngày {d}/{m}/{y}", iso
    if style == 1:
        return f"ngày {d:02d}/{m:02d}/{y}", iso
    return f"ngày {d} tháng {m} năm {y}", iso


def _entry(text: str, province: str | None) -> dict:
    """The registry entry of an instrument, read from how it is written (as the build will read it)."""
    found = [c for c in cite.extract(text, province=province, names={}) if c.number]
    if len(found) != 1:
        raise AssertionError(f"pool instrument not read as one citation: {text!r} -> {found}")
    c = found[0]
    inst = cite.registry_entry_from_citation(
        replace(c, legal_id=cite.legal_id(c.type, c.number, c.issued, c.issuer, province)))
    entry = {"id": inst.id, "type": inst.type, "number": inst.number, "issuer": inst.issuer or "unknown",
             "level": inst.level or "unknown", "issued": inst.issued or "unknown", "title": inst.title}
    if cite_forms.is_local(inst.number, inst.issuer):
        entry["province"] = cite_forms.province_of(inst.issuer)
    return entry


def central_pool(seed: int) -> list[Instrument]:
    """About 60 central instruments (Party, Quốc hội, Chính phủ, Thủ tướng, ministries), 2005-2025."""
    rng = random.Random(f"{seed}-central")
    forms = (
        ("Chỉ thị số {n}-CT/TW {date} của Bộ Chính trị {about}", 0),
        ("Chỉ thị số {n}-CT/TW {date} của Ban Bí thư {about}", 0),
        ("Nghị quyết số {n}-NQ/TW {date} của Bộ Chính trị {about}", 0),
        ("Kết luận số {n}-KL/TW {date} của Ban Bí thư {about}", 0),
        ("Nghị định số {n}/{y}/NĐ-CP {date} của Chính phủ {about}", 2),
        ("Nghị quyết số {n}/NQ-CP {date} của Chính phủ {about}", 1),
        ("Quyết định số {n}/QĐ-TTg {date} của Thủ tướng Chính phủ {about}", 0),
        ("Chỉ thị số {n}/CT-TTg {date} của Thủ tướng Chính phủ {about}", 1),
        ("Thông tư số {n}/{y}/TT-BLĐTBXH {date} của Bộ Lao động - Thương binh và Xã hội {about}", 1),
        ("Thông tư số {n}/{y}/TT-BCA {date} của Bộ Công an {about}", 0),
        ("Công văn số {n}/LĐTBXH-PCTNXH {date} của Bộ Lao động - Thương binh và Xã hội {about}", 0),
        ("Công văn số {n}/VPCP-KGVX {date} của Văn phòng Chính phủ {about}", 0),
    )
    out, seen = [], set()
    while len(out) < 60:
        form, style = forms[len(out) % len(forms)]
        y = rng.randint(2005, 2025)
        n = rng.randint(1, 2999)
        if (form, n, y) in seen:
            continue
        seen.add((form, n, y))
        date, _ = _date_text(rng, y, style)
        text = form.format(n=n, y=y, date=date, about=rng.choice(_ABOUT).format(y=y, e=y + 4))
        out.append(Instrument(text, y, _entry(text, None)))
    return out


def local_pool(seed: int, province: str) -> list[Instrument]:
    """Twelve instruments of one province (Tỉnh ủy, HĐND, UBND, Sở), numbers above 1000."""
    rng = random.Random(f"{seed}-local-{province}")
    forms = (
        ("Nghị quyết số {n}/{y}/NQ-HĐND {date} của Hội đồng nhân dân tỉnh {about}", 0),
        ("Kế hoạch số {n}/KH-UBND {date} của Ủy ban nhân dân tỉnh {about}", 1),
        ("Quyết định số {n}/QĐ-UBND {date} của Ủy ban nhân dân tỉnh {p} {about}", 0),
        ("Chương trình hành động số {n}-CTr/TU {date} của Tỉnh ủy {about}", 0),
        ("Chỉ thị số {n}-CT/TU {date} của Ban Thường vụ Tỉnh ủy {about}", 2),
        ("Quyết định số {n}/QĐ-UBND {date} của Chủ tịch Ủy ban nhân dân tỉnh {about}", 1),
    )
    out, seen = [], set()
    while len(out) < 12:
        form, style = forms[len(out) % len(forms)]
        y = rng.randint(2006, 2025)
        n = rng.randint(1000, 3999)
        if (form, n, y) in seen:
            continue
        seen.add((form, n, y))
        date, _ = _date_text(rng, y, style)
        text = form.format(n=n, y=y, date=date, p=province, about=rng.choice(_ABOUT).format(y=y, e=y + 4))
        out.append(Instrument(text, y, _entry(text, province)))
    return out


# ---------------------------------------------------------------- one plan


def _write_number(v: float) -> str:
    """A value as Vietnamese writes it: 1.330, 103,9, 45."""
    if v == int(v):
        return f"{int(v):,}".replace(",", ".")
    return f"{v}".replace(".", ",")


def _new_value(rng: random.Random, tpl: TargetTemplate) -> tuple[float, float | None]:
    if tpl.unit in ("percent", "percent_reduction"):
        v = float(rng.choice((5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 75, 80, 85, 90, 95, 100)))
        if tpl.value_max is not None:
            return min(v, 90.0), min(v, 90.0) + rng.choice((5, 10))
        return v, None
    if tpl.unit in ("per_month", "per_unit") or tpl.value < 2:
        return tpl.value, tpl.value_max  # "một", "01": keep as written
    v = float(max(2, round(tpl.value * rng.uniform(0.3, 3.0))))
    if tpl.value_max is not None:
        return v, v + float(max(1, round(v * 0.5)))
    return v, None


def _target(rng: random.Random, tpl: TargetTemplate, tid: str, year: int) -> tuple[dict, str]:
    value, vmax = _new_value(rng, tpl)
    quote = tpl.quote
    if vmax is not None and tpl.token_max:
        quote = quote.replace(tpl.token_max, "\x00", 1)
    if tpl.token and value != tpl.value or (tpl.token.startswith("0") and value != tpl.value):
        quote = quote.replace(tpl.token, _write_number(value), 1)
    quote = quote.replace("\x00", _write_number(vmax) if vmax is not None else tpl.token_max)
    return {"id": tid, "category": tpl.category, "subject": tpl.subject, "subject_text": tpl.subject_text,
            "value": int(value) if value == int(value) else value,
            "value_max": None if vmax is None else (int(vmax) if vmax == int(vmax) else vmax),
            "unit": tpl.unit, "comparator": tpl.comparator, "direction": tpl.direction, "deadline": year,
            "parent": None, "quote": quote, "note": ""}, quote


def _yaml_scalar(v) -> str:
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    if not isinstance(v, str):
        v = str(v)  # dates read from the real legal.yaml
    return json.dumps(v, ensure_ascii=False)


def _yaml_list(key: str, items: list[dict]) -> str:
    if not items:
        return f"{key}: []\n"
    lines = [f"{key}:"]
    for item in items:
        first = True
        for k, v in item.items():
            lines.append(f"  {'- ' if first else '  '}{k}: {_yaml_scalar(v)}")
            first = False
    return "\n".join(lines) + "\n"


def make_plan(i: int, seed: int, mat: Material, central: list[Instrument],
              local: dict[str, list[Instrument]]) -> tuple[str, str, str, str, list[dict]]:
    """Plan i: (id, .md text, .yaml text, source text, registry entries it cites)."""
    rng = random.Random(f"{seed}-plan-{i}")
    province = PROVINCES[i % len(PROVINCES)]
    year = YEARS[(i // len(PROVINCES)) % len(YEARS)]
    if province == "Thừa Thiên Huế" and year >= 2025:
        year = 2024  # the tỉnh became thành phố Huế on 01/01/2025 (corpus/provinces.yaml)
    serial = i // (len(PROVINCES) * len(YEARS))  # several plans of one province and year
    end = year + (rng.choice((0, 0, 0, 4)) if year <= 2021 else 0)
    number_n = 10 + (i * 7919 + serial) % 900
    number = f"{number_n}/KH-UBND"
    pid = f"{slugify(province)}-{year}-{number_n}-kh-ubnd-{i}"
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    if year == 2025:
        month = min(month, 6)  # the 63 old units end on 30/06/2025 (corpus/provinces.yaml)
    issued = f"{year:04d}-{month:02d}-{day:02d}"
    title = rng.choice(TITLE_TOPICS).format(p=province, y=year, e=end)
    press = rng.random() < 0.1

    # Citations: 10-20 instruments issued by the plan's year, central and the province's own.
    pool = [x for x in central + local[province] if x.year <= year] or central[:5]
    n_cites = rng.randint(10, 20)
    picked = rng.sample(pool, min(n_cites - 1, len(pool)))
    named = rng.choice(mat.named)
    cite_texts = [x.text for x in picked] + [rng.choice(named["names"])]
    rng.shuffle(cite_texts)
    entries = [x.entry for x in picked] + [{k: v for k, v in named.items() if k != "names"}]

    # Targets, commitments, tasks, themes.
    n_targets = rng.randint(10, 30)
    targets, target_quotes = [], []
    for k in range(n_targets):
        t, q = _target(rng, rng.choice(mat.targets), f"t{k + 1:02d}", end)
        targets.append(t)
        target_quotes.append(q)
    commitments = [{"id": f"c{k + 1:02d}", "kind": kind, "quote": q}
                   for k, (kind, q) in enumerate(rng.sample(mat.commitments, rng.randint(1, 4)))]
    agencies = rng.sample(mat.agencies, rng.randint(4, 9))
    tasks = [{"agency": a, "role": rng.choice(ROLES), "quote": rng.choice(mat.tasks)} for a in agencies]

    # The text: preamble with citations, sections of shuffled real paragraphs, targets and tasks.
    blocks = ["# KẾ HOẠCH", title.upper()]
    per = max(1, len(cite_texts) // 4)
    for k in range(0, len(cite_texts), per):
        lead = "Căn cứ" if k == 0 else rng.choice(("Thực hiện", "Căn cứ", "Triển khai"))
        blocks.append(f"{lead} " + "; ".join(cite_texts[k:k + per]) + ";")
    blocks.append(f"Ủy ban nhân dân tỉnh {province} ban hành Kế hoạch thực hiện như sau:")
    paragraphs = rng.sample(mat.paragraphs, len(mat.paragraphs))
    sections = [("MỤC ĐÍCH, YÊU CẦU", "targets"), ("NHIỆM VỤ, GIẢI PHÁP", "text"),
                ("PHÂN CÔNG NHIỆM VỤ", "tasks"), (rng.choice(mat.headings2), "text"),
                ("TỔ CHỨC THỰC HIỆN", "commitments")]
    size = sum(len(b.encode()) for b in blocks) + sum(len(q.encode()) for q in target_quotes)
    size += sum(len(t["quote"].encode()) + 40 for t in tasks)
    budget = max(0, TARGET_BYTES - size)
    take = []
    while budget > 0 and paragraphs:
        p = paragraphs.pop()
        take.append(p)
        budget -= len(p.encode()) + 2
    chunks = [take[k::len(sections)] for k in range(len(sections))]
    for s, ((heading, what), chunk) in enumerate(zip(sections, chunks)):
        blocks.append(f"## {ROMAN[s]}. {heading.upper() if s != 3 else heading}")
        h3 = rng.sample(mat.headings3, 2)
        half = len(chunk) // 2
        blocks.append(f"### 1. {h3[0]}")
        blocks += chunk[:half]
        if what == "targets":
            blocks += [f"{s + 1}.{k + 1}. {q}." for k, q in enumerate(target_quotes)]
        blocks.append(f"### 2. {h3[1]}")
        blocks += chunk[half:]
        if what == "tasks":
            for k, tk in enumerate(tasks):
                blocks.append(f"#### {LETTERS[k % len(LETTERS)]}) {tk['agency']}")
                blocks.append(f"- {tk['quote']}.")
        if what == "commitments":
            blocks += [f"- {c['quote']}." for c in commitments]
    body = "\n\n".join(blocks) + "\n"
    flat = squash(body)
    themes = [{"theme": th, "quote": q} for th, q in mat.themes if squash(q) in flat]
    seen_th, uniq = set(), []
    for th in themes:
        if th["theme"] not in seen_th:
            seen_th.add(th["theme"])
            uniq.append(th)
    themes = uniq

    source = f"sources/{pid}.txt"
    front = {
        "id": pid, "province": province, "number": number, "doc_type": "Kế hoạch", "title": title,
        "issuer": f"Ủy ban nhân dân tỉnh {province}", "signer": rng.choice(SIGNERS),
        "signer_title": rng.choice(("CHỦ TỊCH", "PHÓ CHỦ TỊCH")), "issued": issued,
        "period": str(year) if end == year else f"{year}-{end}", "field": "Văn hóa - Xã hội",
        "source_kind": "press" if press else "official", "excerpt": False, "source_file": source,
        "provenance": f"Synthetic benchmark plan {i} (seed {seed}), built from the real plans' paragraphs.",
        "provenance_en": f"Synthetic benchmark plan {i} (seed {seed}), built from the real plans' paragraphs.",
    }
    lines = ["---"] + [f"{k}: {_yaml_scalar(v)}" for k, v in front.items()]
    if press:
        lines += ["press:", f"  outlet: {_yaml_scalar(rng.choice(OUTLETS).format(p=province))}",
                  f"  published: \"{issued}\"", "  author: unknown"]
    lines += ["header:", f"  left: [ỦY BAN NHÂN DÂN, {_yaml_scalar('TỈNH ' + province.upper())}]",
              "  right: [CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM, Độc lập - Tự do - Hạnh phúc]",
              f"  number_line: {_yaml_scalar('Số: ' + number)}",
              f"  place_date: {_yaml_scalar(f'{province}, ngày {day:02d} tháng {month:02d} năm {year}')}",
              "signature:", "  authority: TM. ỦY BAN NHÂN DÂN", f"  title: {_yaml_scalar(front['signer_title'])}",
              f"  name: {_yaml_scalar(front['signer'])}", "  recipients: [Như trên, Lưu VT]", "---", ""]
    md = "\n".join(lines) + body
    data = (f"# Synthetic plan {i} (benchmarks/generate.py, seed {seed}).\n" + _yaml_list("targets", targets)
            + _yaml_list("commitments", commitments) + _yaml_list("tasks", tasks) + _yaml_list("themes", themes))
    source_text = f"KẾ HOẠCH {number}\n{province}, ngày {day:02d} tháng {month:02d} năm {year}\n\n{body}"
    return pid, md, data, source_text, entries


# ---------------------------------------------------------------- the corpus


def generate(n: int, out: Path, seed: int = 1, indexes: list[int] | None = None) -> Path:
    """Write a corpus of n plans to out/ (replacing it); return out. `indexes` picks which plans
    instead (plan 1134 is a second plan of plan 0's province and year, for instance)."""
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "plans").mkdir(parents=True)
    (out / "sources").mkdir()
    for name in LOOKUPS:
        shutil.copyfile(REAL / f"{name}.yaml", out / f"{name}.yaml")
    (out / "CHANGELOG.md").write_text(
        "# Data changelog\n\n## bench.1\n\n- Synthetic corpus for the benchmark "
        f"({n} plans, seed {seed}).\n", encoding="utf-8")
    mat = load_material()
    central = central_pool(seed)
    local = {p: local_pool(seed, p) for p in PROVINCES}
    registry: dict[str, dict] = {e["id"]: {k: v for k, v in e.items() if k != "names"} for e in mat.named}
    for i in (range(n) if indexes is None else indexes):
        pid, md, data, source, entries = make_plan(i, seed, mat, central, local)
        (out / "plans" / f"{pid}.md").write_text(md, encoding="utf-8")
        (out / "plans" / f"{pid}.yaml").write_text(data, encoding="utf-8")
        (out / "sources" / f"{pid}.txt").write_text(source, encoding="utf-8")
        for e in entries:
            registry.setdefault(e["id"], e)
    lines = ["# Registry of the instruments the synthetic plans cite (benchmarks/generate.py)."]
    for ident in sorted(registry):
        e = registry[ident]
        lines.append(_yaml_list("x", [e]).split("\n", 1)[1].rstrip("\n").replace("  - ", "- ", 1)
                     .replace("\n    ", "\n  "))
    (out / "legal.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--plans", type=int, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    generate(args.plans, args.out, args.seed)
    print(f"wrote {args.plans} plans to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
