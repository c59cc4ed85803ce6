"""What is left to confirm in a draft record: the same open items the preview server's review panel
shows (metadata fields, candidate targets, sections, citations, the excerpt flag), with the commands
to review it, naming the corpus in use."""
from __future__ import annotations

from pathlib import Path

from .review_edit import (FIELDS, ReviewError, corpus_lookups, found_citations, open_items, read_record,
                          record_paths)

DEFAULT_CORPUS = Path("corpus")


def _corpus_option(corpus: Path) -> str:
    """` --corpus X` when the corpus is not the default one, so that a copied command works."""
    return "" if Path(corpus) == DEFAULT_CORPUS else f" --corpus {corpus}"


def review_lines(corpus: Path, plan_id: str) -> list[str]:
    """Lines telling a reviewer what the draft ``plan_id`` still needs; ValueError when there is no such plan."""
    corpus = Path(corpus)
    try:
        md, _ = record_paths(corpus, plan_id)
        rec = read_record(corpus, plan_id)
    except ReviewError as exc:
        raise ValueError(str(exc)) from exc
    opt = _corpus_option(corpus)
    if not rec.is_draft:
        return [f"{plan_id}: reviewed (no `status: draft` in {md}): nothing left to confirm."]
    _, names = corpus_lookups(corpus)
    items = open_items(rec, found_citations(rec, names))
    front = rec.front
    out = [f"{plan_id}: DRAFT — bản nháp, chưa rà soát ({md}). {items['left']} item(s) left to review.",
           f"Review it in the browser: `python build.py serve{opt}`, open plans/{plan_id}.html; or confirm each item "
           f"below against the source ({front.get('source_file', '?')}) and edit {md} and its .yaml by hand.",
           f"Metadata to confirm ({len(items['fields'])}):"]
    out += [f"  - {f['entry']}: {f['value']!r}" for f in items["fields"]]
    out.append("  (as read: " + "; ".join(f"{k}: {front.get(k)}" for k in FIELDS if k in front) + ")")
    out.append(f"Targets ({len(items['candidates'])} candidates) to accept, edit or reject, lowest confidence first:")
    for t in sorted(items["candidates"], key=lambda t: (t.get("confidence") or 0, str(t.get("id")))):
        value = f"{t.get('value')}" + (f"-{t['value_max']}" if t.get("value_max") is not None else "")
        parent = f", part of {t['parent']}" if t.get("parent") else ""
        out.append(f"  {t.get('id')} [{t.get('confidence', '?')}] {t.get('comparator')} {value} {t.get('unit')} "
                   f"({t.get('category')}/{t.get('subject')}, deadline {t.get('deadline')}{parent}): “{t.get('quote')}”")
        if t.get("note"):
            out.append(f"      {t['note']}")
    if items["reviewed_targets"]:
        out.append(f"Targets already reviewed: {', '.join(items['reviewed_targets'])}.")
    for s in items["sections"]:
        out.append(f"Section to confirm: {s['entry']} ({len(s['entries'])})")
        for e in s["entries"]:
            text = e.get("as_written") if s["key"] == "citations" else \
                (e.get("theme") or e.get("kind") or e.get("agency") or e.get("id") or "")
            out.append(f"  - {text}: “{e.get('quote', '')}”" if e.get("quote") else f"  - {text}")
    out += [f"To confirm: {o['entry']}" for o in items["other"]]
    cites = items["citations"]
    out.append(f"Citations found in the text ({len(cites)}; linked to corpus/legal.yaml once reviewed):")
    out += [f"  - {c['as_written']}" for c in cites]
    out.append(f"Excerpt (targets may be cut away from this text): {'yes' if items['excerpt'] else 'no'}"
               f"{' — to confirm' if any(f['key'] == 'excerpt' for f in items['fields']) else ''}.")
    out.append(f"When nothing is left: remove `status: draft` and `review:` from {md} (or press “Mark as reviewed” "
               f"in the browser), then `python build.py --strict{opt}` must pass.")
    return out
