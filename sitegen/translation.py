"""The English edition's checks on the corpus: warnings for English left out or left in Vietnamese.

The English edition shows a lookup's `en` as English and a plan's `note_en`/`provenance_en` in
place of the Vietnamese; what is missing there would show Vietnamese unmarked among English text.
These are warnings, never errors: the Vietnamese edition is complete without them. Kept apart
from validate.py, which checks what the data means, so that neither grows past a readable size.
"""
from __future__ import annotations

from .load import RawCorpus, RawPlan
from .model import Problem
from .wording import vi_word_runs

LABELLED_TABLES = ("taxonomy", "subjects", "units", "themes", "agencies", "commitments")


def _line(mapping, key, default: int | None = None) -> int | None:
    """The line of a key in a mapping as the loader read it (the mapping's own line without one)."""
    lines = getattr(mapping, "lines", None)
    if isinstance(lines, dict) and lines.get(key):
        return lines[key]
    return getattr(mapping, "line", None) or default


def _where(field: str, line: int | None) -> str:
    return f"line {line} (field {field})" if line else f"field {field}"


def label_warnings(raw: RawCorpus) -> list[Problem]:
    """A lookup entry whose English label reads as Vietnamese: a label left untranslated."""
    out = []
    for name in LABELLED_TABLES:
        entries = raw.tables.get(name) or []
        for i, entry in enumerate(entries if isinstance(entries, list) else []):
            if not isinstance(entry, dict):
                continue
            ident, en = entry.get("id"), entry.get("en")
            if isinstance(ident, str) and isinstance(en, str) and vi_word_runs(en):
                line = _line(entry, "en", entries.lines[i] if hasattr(entries, "lines") else None)
                out.append(Problem("warning", raw.table_paths.get(name, ""), _where(f"{ident}.en", line),
                                   f"{en!r} reads as Vietnamese: write the English label (a Vietnamese name it "
                                   "must keep belongs in `vi`)."))
    return out


def plan_warnings(rp: RawPlan) -> list[Problem]:
    """A plan's provenance or a target's note with no English beside it."""
    out = []
    m = rp.meta if isinstance(rp.meta, dict) else {}
    provenance, provenance_en = m.get("provenance"), m.get("provenance_en")
    if isinstance(provenance, str) and provenance.strip() and not provenance_en:
        out.append(Problem("warning", rp.md_path, _where("provenance_en", _line(m, "provenance")),
                           "the plan has a `provenance` but no `provenance_en`: add it in English for the "
                           "English edition."))
    targets = (rp.data or {}).get("targets") if isinstance(rp.data, dict) else None
    for i, t in enumerate(targets if isinstance(targets, list) else []):
        if not isinstance(t, dict):
            continue
        note, note_en = t.get("note"), t.get("note_en", "")
        # A note_en that is not text is an error of validate.py's.
        if isinstance(note, str) and note.strip() and (note_en is None or isinstance(note_en, str)) \
                and not (note_en or "").strip():
            out.append(Problem("warning", rp.yaml_path, _where(f"targets[{i}].note_en", _line(t, "note")),
                               "the target has a `note` but no `note_en`: add the note in English."))
    return out
