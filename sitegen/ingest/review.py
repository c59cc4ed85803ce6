"""What is left to confirm in a draft record: its review list and every entry with its confidence."""
from __future__ import annotations

from pathlib import Path

from ..load import load_plan
from ..validate import PLAN_ID


def review_lines(corpus: Path, plan_id: str) -> list[str]:
    """Lines telling a reviewer what the draft ``plan_id`` still needs; ValueError when there is no such plan."""
    if not PLAN_ID.match(plan_id):
        raise ValueError(f"{plan_id!r} is not a plan id (lower-case letters, digits, hyphens).")
    md = corpus / "plans" / f"{plan_id}.md"
    if not md.is_file():
        raise ValueError(f"{md}: no such plan.")
    data_path = md.with_suffix(".yaml")
    plan, problems = load_plan(md, data_path if data_path.is_file() else None, corpus)
    if plan is None:
        raise ValueError("; ".join(str(p) for p in problems))
    meta, data = plan.meta, plan.data or {}
    if meta.get("status") != "draft":
        return [f"{plan_id}: reviewed (no `status: draft`): nothing left to confirm."]
    out = [f"{plan_id}: DRAFT — bản nháp, chưa rà soát. Confirm each item below against the source "
           f"({meta.get('source_file', '?')}), then remove `status: draft` and `review:` from {md}."]
    review = meta.get("review") or []
    out.append(f"Fields to review ({len(review)}):")
    out += [f"  - {r}" for r in review]
    for key in ("number", "title", "issuer", "signer", "signer_title", "issued", "period"):
        out.append(f"  {key}: {meta.get(key)}")
    targets = data.get("targets") or []
    out.append(f"Targets ({len(targets)}), lowest confidence first:")
    for t in sorted(targets, key=lambda t: (t.get("confidence", 0), str(t.get("id")))):
        value = f"{t.get('value')}" + (f"-{t['value_max']}" if t.get("value_max") is not None else "")
        out.append(f"  {t.get('id')} [{t.get('confidence', '?')}] {t.get('comparator')} {value} {t.get('unit')} "
                   f"({t.get('category')}/{t.get('subject')}): “{t.get('quote')}”")
        if t.get("note"):
            out.append(f"      {t['note']}")
    for key in ("commitments", "tasks", "themes"):
        out.append(f"{key.capitalize()} ({len(data.get(key) or [])}): confirm each quote and code.")
    return out
