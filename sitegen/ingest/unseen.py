"""Ingest measured on texts its rules were not written from: a folder of <name>.txt, each with <name>.yaml.

The YAML is a hand-written gold annotation::

    metadata: {number: 31/KH-UBND, issued: "2024-01-19", province: Hà Nam, kind: official, excerpt: false}
    targets:
      - {value: 420, unit: people, comparator: ">=", deadline: 2024, quote: "...", also: ["...", "..."]}
    citations: [[116/2021/NĐ-CP, "2021-12-21"]]

A gold target is found when a drafted target has its value (and upper bound) and a quote overlapping the
gold quote or one of its restatements (``also``) in the kept text; each drafted target answers at most
one gold target, so a restated target drafted twice counts one right and one false. A text ingest refuses
counts as refused: every gold target missed, every metadata field null. Citations are counted per
instrument (a number named three times, once with its date, is one citation). Confidence calibration
pools the drafted targets of every text: for each confidence bin, how many are right.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..textutil import squash
from .draft import ingest

META_FIELDS = (("number", "number"), ("issued", "issued"), ("province", "province"), ("kind", "source_kind"),
               ("excerpt", "excerpt"))
BINS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.01))


@dataclass
class TextScore:
    """One unseen text's draft against its gold annotation."""

    name: str
    refused: str | None = None  # ingest's message when it refused the text
    gold: int = 0
    found: int = 0
    same_reading: int = 0  # found with the gold unit, comparator and deadline
    drafted: int = 0
    false: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    right: int = 0
    null: int = 0
    wrong: list[str] = field(default_factory=list)
    cites_gold: int = 0
    cites_same: int = 0
    cites_drafted: int = 0
    scored: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, right) per drafted target


def load_gold(folder: Path) -> list[tuple[Path, dict]]:
    """Every (text, gold annotation) pair of a folder; ValueError naming the file when one is missing or bad."""
    if not folder.is_dir():
        raise ValueError(f"{folder}: is not a folder of <name>.txt texts with their <name>.yaml gold annotations.")
    pairs = []
    for txt in sorted(folder.glob("*.txt")):
        gold_path = txt.with_suffix(".yaml")
        if not gold_path.is_file():
            raise ValueError(f"{txt}: has no gold annotation {gold_path.name} beside it.")
        try:
            gold = yaml.safe_load(gold_path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ValueError(f"{gold_path}: is not valid YAML ({exc}).") from None
        if not isinstance(gold.get("metadata"), dict) or not isinstance(gold.get("targets", []), list):
            raise ValueError(f"{gold_path}: needs a 'metadata' mapping and a 'targets' list.")
        for i, t in enumerate(gold.get("targets") or [], 1):
            if not isinstance(t, dict) or "value" not in t or not t.get("quote"):
                raise ValueError(f"{gold_path}: target {i} needs a value and a quote.")
        pairs.append((txt, gold))
    if not pairs:
        raise ValueError(f"{folder}: holds no <name>.txt text to evaluate.")
    return pairs


def _spans(text: str, quotes: list[str]) -> list[tuple[int, int]]:
    out = []
    for q in quotes:
        q = squash(q)
        i = text.find(q)
        if i >= 0:
            out.append((i, i + len(q)))
    return out


def _num(x) -> float | None:
    return None if x is None else float(x)


def score_text(txt: Path, gold: dict, corpus: Path) -> TextScore:
    """Ingest one unseen text and compare the draft with the gold annotation."""
    score = TextScore(txt.name)
    gold_targets = list(gold.get("targets") or [])
    score.gold = len(gold_targets)
    gold_meta = gold["metadata"]
    gold_cites = [(str(c[0]), c[1] if len(c) > 1 else None) for c in gold.get("citations") or []]
    score.cites_gold = len(gold_cites)
    try:
        draft = ingest(txt.read_bytes(), str(txt), corpus, press=bool(gold.get("press_flag")))
    except ValueError as exc:
        score.refused = str(exc)
        score.missed = [f"{t['value']}: {t['quote'][:60]}" for t in gold_targets]
        score.null = sum(1 for _, key in META_FIELDS if gold_meta.get(key if key != "source_kind" else "kind")
                         is not None)
        return score
    text = squash(" ¶ ".join(draft.body))
    drafted = [(c, _spans(text, [c.quote])) for c in draft.targets]
    score.drafted = len(drafted)
    used: set[int] = set()
    for t in gold_targets:
        spans = _spans(text, [t["quote"]] + list(t.get("also") or []))
        vmax = _num(t.get("value_max"))
        hit = next((i for i, (c, s) in enumerate(drafted) if i not in used and c.value == float(t["value"])
                    and c.value_max == vmax and any(a < d and c_ < b for a, b in s for c_, d in spans)), None)
        if hit is None:
            where = "" if spans else " (gold quote not in the kept text)"
            score.missed.append(f"{t['value']}{where}: {t['quote'][:70]}")
            continue
        used.add(hit)
        score.found += 1
        c = drafted[hit][0]
        if c.unit == t.get("unit") and c.comparator == t.get("comparator") and c.deadline == t.get("deadline"):
            score.same_reading += 1
    for i, (c, _) in enumerate(drafted):
        score.scored.append((c.confidence, i in used))
        if i not in used:
            score.false.append(f"{c.value:g} {c.unit} [{c.confidence}]: {c.quote[:70]}")
    m = draft.metadata
    for key, mkey in META_FIELDS:
        want, got = gold_meta.get(key), m.get(mkey)
        if key == "excerpt":
            want, got = bool(want), bool(got)
        if got is None and want is not None:
            score.null += 1
        elif squash(str(got)) == squash(str(want)):
            score.right += 1
        else:
            score.wrong.append(f"{key}: {got!r} (gold {want!r})")
    score.cites_drafted, score.cites_same = cite_counts(gold_cites, [(c.number, c.issued) for c in draft.citations
                                                                     if c.number])
    return score


def cite_counts(gold: list[tuple[str, str | None]], got: list[tuple[str, str | None]]) -> tuple[int, int]:
    """(instruments drafted, instruments as in gold): citations counted per instrument, not per mention.

    A plan names an instrument many times, once with its date and then without ("Kết luận số 132-KL/TW"):
    that is one instrument. It is as in gold when the gold has its number and, if the gold gives a date,
    the draft has that date and no other.
    """
    dates: dict[str, set[str]] = {}
    for number, issued in got:
        dates.setdefault(number, set()).update({issued} if issued else set())
    want = dict(gold)
    same = sum(1 for n, ds in dates.items() if n in want and (want[n] is None or ds == {want[n]}))
    return len(dates), same


def evaluate_unseen(folder: Path, corpus: Path) -> list[TextScore]:
    """Score every text of an unseen folder."""
    return [score_text(txt, gold, corpus) for txt, gold in load_gold(folder)]


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.2f}" if b else "–"


def calibration(scored: list[tuple[float, bool]]) -> list[tuple[str, int, int]]:
    """(bin label, drafted targets in the bin, right ones) for each confidence bin."""
    out = []
    for lo, hi in BINS:
        inside = [ok for conf, ok in scored if lo <= conf < hi]
        out.append((f"{lo:.1f}–{min(hi, 1.0):.1f}" if hi <= 1.0 else f"≥ {lo:.1f}", len(inside), sum(inside)))
    return out


def format_calibration(scored: list[tuple[float, bool]]) -> str:
    """One line: for each confidence bin, right / drafted."""
    return "confidence calibration (right / drafted): " + "; ".join(
        f"{label}: {ok}/{n}" + (f" ({ok / n:.2f})" if n else "") for label, n, ok in calibration(scored))


def format_unseen(label: str, scores: list[TextScore]) -> str:
    """The figures of one unseen folder: a row per text, totals, calibration, then what was missed or wrong."""
    lines = [f"## {label}", "",
             "| text | gold | found | same unit, comparator, deadline | drafted | false | metadata right / null / wrong "
             "| citations gold / same / drafted |", "|---|---:|---:|---:|---:|---:|---|---|"]
    for s in scores:
        name = s.name + (" **refused**" if s.refused else "")
        lines.append(f"| {name} | {s.gold} | {s.found} | {s.same_reading} | {s.drafted} | {len(s.false)} | "
                     f"{s.right} / {s.null} / {len(s.wrong)} | {s.cites_gold} / {s.cites_same} / {s.cites_drafted} |")
    g, f, sr, d = (sum(getattr(s, k) for s in scores) for k in ("gold", "found", "same_reading", "drafted"))
    fx = sum(len(s.false) for s in scores)
    right, null, wrong = sum(s.right for s in scores), sum(s.null for s in scores), sum(len(s.wrong) for s in scores)
    cg, cs, cd = (sum(getattr(s, k) for s in scores) for k in ("cites_gold", "cites_same", "cites_drafted"))
    refused = sum(1 for s in scores if s.refused)
    fields = right + null + wrong
    lines += ["", f"recall {_ratio(f, g)} ({f}/{g}); precision {_ratio(d - fx, d)} ({d - fx}/{d}); "
              f"same reading {_ratio(sr, f)}; metadata right {_ratio(right, fields)} ({right} right, {null} null, "
              f"{wrong} wrong of {fields}); citations P {_ratio(cs, cd)} R {_ratio(cs, cg)}; refused {refused} "
              f"of {len(scores)}",
              format_calibration([x for s in scores for x in s.scored])]
    for s in scores:
        if s.refused:
            lines.append(f"  refused {s.name}: {s.refused}")
        lines += [f"  missed {s.name} {x}" for x in s.missed]
        lines += [f"  false {s.name} {x}" for x in s.false]
        lines += [f"  wrong {s.name} {x}" for x in s.wrong]
    return "\n".join(lines)
