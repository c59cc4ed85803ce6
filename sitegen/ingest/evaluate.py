"""Ingest measured against the curated records: run it on each curated plan's source and compare.

Targets: a curated target is found when a draft target has the same value (and upper bound) and a
quote overlapping the curated quote in the plan's text; a draft target matching no curated one is
false. Metadata: each field right (same after joining white space), null (the draft says
unknown) or wrong. Citations: the (number, date) pairs the build finds in the curated text
against those found in the draft's text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import citations
from ..load import load_corpus
from ..model import UNKNOWN
from ..textutil import squash
from .draft import ingest
from .unseen import format_calibration

FIELDS = (("number", "number"), ("type", "doc_type"), ("title", "title"), ("issuer", "issuer"),
          ("province", "province"), ("issued", "issued"), ("signer", "signer"), ("signer_title", "signer_title"),
          ("period", "period"), ("source_kind", "source_kind"), ("excerpt", "excerpt"))


@dataclass
class Row:
    """One curated plan compared with its draft."""

    plan_id: str
    curated: int = 0
    found: int = 0
    same_reading: int = 0  # found with the curated unit, comparator and parent/top-level status too
    drafted: int = 0
    false: int = 0
    right: int = 0
    null: int = 0
    wrong: list[str] = field(default_factory=list)
    cites_curated: int = 0
    cites_same: int = 0
    cites_extra: int = 0
    missed: list[str] = field(default_factory=list)
    scored: list[tuple[float, bool]] = field(default_factory=list)  # (confidence, right) per drafted target
    extra: list[str] = field(default_factory=list)  # the drafted targets matching no curated one


def _span(text: str, quote: str) -> tuple[int, int] | None:
    i = text.find(squash(quote))
    return (i, i + len(squash(quote))) if i >= 0 else None


def compare(plan_id: str, curated_meta: dict, curated_targets: list[dict], curated_body: str, draft) -> Row:
    """The comparison of one draft with its curated record."""
    row = Row(plan_id)
    text = squash(" ¶ ".join(draft.body))
    drafted = [(c.value, c.value_max, _span(text, c.quote)) for c in draft.targets]
    ids = {i: f"t{i + 1:02d}" for i in range(len(draft.targets))}
    used: set[int] = set()
    row.curated, row.drafted = len(curated_targets), len(drafted)
    for t in curated_targets:
        span = _span(text, str(t.get("quote", "")))
        vmax = t.get("value_max")
        hit = next((i for i, (v, vm, s) in enumerate(drafted) if i not in used and v == float(t["value"])
                    and (vm == (None if vmax is None else float(vmax))) and s and span
                    and s[0] < span[1] and span[0] < s[1]), None)
        if hit is None:
            row.missed.append(f"{t.get('id')} {t.get('value')}: {str(t.get('quote'))[:60]}")
        else:
            used.add(hit)
            row.found += 1
            c = draft.targets[hit]
            if c.unit == t.get("unit") and c.comparator == t.get("comparator") \
                    and (c.parent is None) == (t.get("parent") is None):
                row.same_reading += 1
    row.false = len(drafted) - len(used)
    row.scored = [(c.confidence, i in used) for i, c in enumerate(draft.targets)]
    row.extra = [f"{c.value:g} {c.unit} [{c.confidence}]: {c.quote[:70]}" for i, c in enumerate(draft.targets)
                 if i not in used]
    m = draft.metadata
    for key, ckey in FIELDS:
        want = curated_meta.get(ckey)
        want = None if want == UNKNOWN else want
        got = m.get(key)
        if got is None and want is not None:
            row.null += 1
        elif squash(str(got)) == squash(str(want)):
            row.right += 1
        else:
            row.wrong.append(f"{key}: {got!r} (curated {want!r})")
    own = curated_meta.get("number")
    cur = {(c.number, c.issued) for c in citations.extract(curated_body, own_number=None if own == UNKNOWN else own,
                                                            province=curated_meta.get("province"), names={})}
    got = {(c.number, c.issued) for c in draft.citations if c.number}
    cur = {x for x in cur if x[0]}
    row.cites_curated, row.cites_same, row.cites_extra = len(cur), len(cur & got), len(got - cur)
    return row


def evaluate(corpus: Path) -> list[Row]:
    """Ingest each curated (non-draft) plan's source and compare the draft with the record."""
    raw, problems = load_corpus(corpus)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ValueError("; ".join(str(p) for p in errors[:5]))
    rows = []
    for rp in sorted(raw.plans, key=lambda p: p.id):
        meta = rp.meta
        if meta.get("status") == "draft" or not meta.get("source_file"):
            continue
        src = corpus / str(meta["source_file"])
        draft = ingest(src.read_bytes(), str(src), corpus)
        rows.append(compare(rp.id, meta, list((rp.data or {}).get("targets") or []), rp.body, draft))
    if not rows:
        raise ValueError(f"{corpus}: no curated plan to compare with.")
    return rows


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.0f}%" if b else "–"


def format_table(rows: list[Row]) -> str:
    """The comparison as a Markdown table, with totals and what was missed or wrong."""
    head = ("| plan | curated targets | found | same unit, comparator, part | draft targets | false "
            "| metadata right / null / wrong "
            "| citations curated / same / extra |")
    lines = [head, "|---|---:|---:|---:|---:|---:|---|---|"]
    for r in rows:
        lines.append(f"| {r.plan_id} | {r.curated} | {r.found} | {r.same_reading} | {r.drafted} | {r.false} | "
                     f"{r.right} / {r.null} / {len(r.wrong)} | {r.cites_curated} / {r.cites_same} / {r.cites_extra} |")
    tc, tf, td, tx = (sum(getattr(r, k) for r in rows) for k in ("curated", "found", "drafted", "false"))
    ts = sum(r.same_reading for r in rows)
    right, null, wrong = sum(r.right for r in rows), sum(r.null for r in rows), sum(len(r.wrong) for r in rows)
    cc, cs, ce = (sum(getattr(r, k) for r in rows) for k in ("cites_curated", "cites_same", "cites_extra"))
    lines.append(f"| **total** | {tc} | {tf} ({_pct(tf, tc)}) | {ts} ({_pct(ts, tc)}) | {td} | {tx} ({_pct(tx, td)}) | "
                 f"{right} / {null} / {wrong} | {cc} / {cs} ({_pct(cs, cc)}) / {ce} |")
    lines.append("")
    lines.append(f"Targets found: {_pct(tf, tc)} of the curated (goal ≥ 95%); false: {_pct(tx, td)} of the draft's "
                 f"(goal ≤ 10%); metadata fields wrong: {wrong} (goal 0); citations as curated: {cs} of {cc}, "
                 f"{ce} more.")
    lines.append(format_calibration([x for r in rows for x in r.scored]))
    for r in rows:
        for x in r.missed:
            lines.append(f"  missed {r.plan_id} {x}")
        for x in r.extra:
            lines.append(f"  false {r.plan_id} {x}")
        for x in r.wrong:
            lines.append(f"  wrong {r.plan_id} {x}")
    return "\n".join(lines)
