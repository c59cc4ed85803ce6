"""A draft record's open items and the reviewer's edits to them: accept, reject or edit a candidate
target or a metadata field, confirm a section, and at the end mark the record reviewed.

A draft is the pair of files ingest writes: ``<id>.md`` (front matter with ``status: draft`` and the
``review:`` list of what is still to confirm, then the text) and ``<id>.yaml`` (targets, commitments,
tasks, themes). What is open:

- each entry of ``review:`` (``title``, ``issuer``, ``targets``, ``citations``, ``excerpt`` ..., or a
  note such as ``period: not stated in the text; ...``, whose key is the part before the colon);
- each candidate target that still carries ingest's ``confidence``: accepting or editing it removes
  the confidence and ingest's ``Bản nháp: ...`` note (the mark of an unread candidate), rejecting
  it removes it. When no candidate is left, the ``targets`` entry is closed with the last one.

Every operation works on a ``Record`` (plain data) and returns a new one; nothing here checks a
value against the lookup tables: the caller validates the written result with the build's own
checks (sitegen.serve_review) before anything reaches the disk. The files are written back with
PyYAML in the layout ingest writes them in (so a draft's untouched fields stay as they were); the
text after the front matter and the data file's opening comment lines are kept byte for byte, other
YAML comments are lost (drafts carry none but ingest's opening ones).
"""
from __future__ import annotations

import copy
import math
import os
import tempfile
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import yaml

from .. import citations as cite
from ..load import load_corpus, parse_yaml, split_front_matter
from ..model import UNKNOWN, Lookups
from ..validate import COMPARATORS, PLAN_ID, TARGET_ID
from ..validate_corpus import validate_tables

# Front matter fields a reviewer may confirm or change here, and those that may be `unknown`.
FIELDS = ("title", "number", "doc_type", "issuer", "signer", "signer_title", "issued", "period", "field",
          "province", "source_kind", "excerpt")
MAY_BE_UNKNOWN = ("number", "issuer", "signer", "signer_title", "issued", "field")
SECTIONS = ("targets", "commitments", "tasks", "themes", "citations")
ENTRY_SECTIONS = ("commitments", "tasks", "themes")  # whose single entries a reviewer may remove
# What an edit of a candidate may change (the quote, the evidence, never: it is the source's text).
CANDIDATE_KEYS = ("value", "value_max", "unit", "comparator", "direction", "subject", "subject_text",
                  "category", "deadline", "parent")
DRAFT_NOTE = "Bản nháp:"  # how ingest starts a candidate's note
# Ingest's provenance says "not yet reviewed": once reviewed, it says who did.
PROVENANCE_DRAFT = (("chưa được rà soát.", "đã được biên tập viên rà soát."),
                    ("not yet reviewed.", "reviewed by an editor."))


class ReviewError(ValueError):
    """A request the record cannot take: unknown item, wrong type, nothing left to do ..."""


@dataclass(frozen=True)
class Record:
    """A draft's two files as data: front matter, the text after it, data, the data's opening comments."""

    plan_id: str
    front: dict
    body: str  # everything after the front matter's closing '---' line, kept byte for byte
    data: dict
    head: str  # the data file's opening comment lines

    @property
    def is_draft(self) -> bool:
        """Whether the record still says `status: draft`."""
        return self.front.get("status") == "draft"

    @property
    def review(self) -> list[str]:
        """The front matter's list of what is still to confirm."""
        items = self.front.get("review") or []
        return [str(r) for r in items] if isinstance(items, list) else []


def entry_key(entry: str) -> str:
    """The field or section a review entry names: the part before its first colon."""
    return entry.split(":", 1)[0].strip()


def _plain(x):
    """LineDict/LineList from the build's loader as plain dict/list (what yaml.safe_dump writes)."""
    if isinstance(x, dict):
        return {k: _plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_plain(v) for v in x]
    return x


def record_paths(corpus: Path, plan_id: str) -> tuple[Path, Path]:
    """The .md and .yaml of a plan, refused (ReviewError) unless they are files directly inside
    the corpus's plans folder (no other id, no link leading out of it)."""
    if not isinstance(plan_id, str) or not PLAN_ID.match(plan_id):
        raise ReviewError(f"{plan_id!r} is not a plan id (lower-case letters, digits, hyphens).")
    plans = (Path(corpus) / "plans").resolve()
    out = []
    for suffix in (".md", ".yaml"):
        path = plans / f"{plan_id}{suffix}"
        if path.is_symlink() or path.resolve().parent != plans or not path.is_file():
            raise ReviewError(f"{Path(corpus) / 'plans' / path.name}: no such file inside the corpus's plans "
                              "folder: only a record's own files are written.")
        out.append(Path(corpus) / "plans" / path.name)  # as the reviewer named the corpus, for messages
    return out[0], out[1]


def parse_record(plan_id: str, md_text: str, yaml_text: str) -> Record:
    """A Record from the two files' texts, read by the build's loader; ReviewError when unreadable."""
    parts, errs = split_front_matter(md_text, f"{plan_id}.md")
    if errs:
        raise ReviewError(str(errs[0]))
    front_text, first, body_text, _ = parts
    front, errs = parse_yaml(front_text, f"{plan_id}.md", first)
    data, more = parse_yaml(yaml_text, f"{plan_id}.yaml")
    if errs or more:
        raise ReviewError(str((errs or more)[0]))
    if not isinstance(front, dict) or not isinstance(data if data is not None else {}, dict):
        raise ReviewError(f"{plan_id}: the front matter and the data file must be YAML mappings.")
    head_lines = []
    for line in yaml_text.splitlines(keepends=True):
        if not line.startswith("#"):
            break
        head_lines.append(line)
    body = md_text[md_text.index("\n---\n", 3) + 5:] if "\n---\n" in md_text[3:] else ""
    return Record(plan_id, _plain(front), body, _plain(data or {}), "".join(head_lines))


def read_record(corpus: Path, plan_id: str) -> Record:
    """The record `plan_id` of the corpus; ReviewError when it is missing or unreadable."""
    md, data = record_paths(corpus, plan_id)
    try:
        return parse_record(plan_id, md.read_text(encoding="utf-8"), data.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewError(f"{md}: cannot be read ({exc}).") from exc


def _dump(x) -> str:
    return yaml.safe_dump(x, allow_unicode=True, sort_keys=False, width=100)  # as ingest writes


def render(rec: Record) -> tuple[str, str]:
    """The two files' texts of a record."""
    return f"---\n{_dump(rec.front)}---\n{rec.body}", rec.head + _dump(rec.data)


def write_record(corpus: Path, rec: Record) -> list[Path]:
    """Write the record's two files (only those: inside the corpus's plans folder), each atomically:
    a temporary file beside it, flushed, then renamed over it. The files written."""
    md, data = record_paths(corpus, rec.plan_id)
    written = []
    for path, text in zip((md, data), render(rec)):
        if path.read_text(encoding="utf-8") == text:
            continue  # unchanged: no write, so no rebuild for nothing
        # A hidden .tmp file: the preview's watcher ignores it, and so does the build.
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, path.stat().st_mode & 0o777)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        written.append(path)
    return written


# ---------------------------------------------------------------- what is open

def targets(rec: Record) -> list[dict]:
    """The record's targets (an empty list when the data has none or is malformed)."""
    items = rec.data.get("targets") or []
    return [t for t in items if isinstance(t, dict)] if isinstance(items, list) else []


def is_open(target: dict) -> bool:
    """Whether a candidate target is still as ingest read it (it carries ingest's confidence)."""
    return "confidence" in target


def open_candidates(rec: Record) -> list[dict]:
    """The candidates not yet accepted, edited or rejected."""
    return [t for t in targets(rec) if is_open(t)]


def _entries(rec: Record) -> list[tuple[int, str]]:
    """The open review entries: `targets` stands for its candidates while any is open."""
    candidates = bool(open_candidates(rec))
    return [(i, r) for i, r in enumerate(rec.review) if not (candidates and entry_key(r) == "targets")]


def left(rec: Record) -> int:
    """How many items are open: review entries (one per field or section named) and candidates."""
    keys = {entry_key(r) if entry_key(r) in FIELDS + SECTIONS else r for _, r in _entries(rec)}
    return len(keys) + len(open_candidates(rec))


def open_items(rec: Record, citations: list[dict] | None = None) -> dict:
    """Everything a reviewer sees of a draft, as JSON-ready data: the review entries (by kind),
    the candidates, the sections' entries, the citations found in the text, the excerpt flag."""
    fields, sections, other = [], [], []
    grouped: dict[str, list[str]] = {}  # one item per field or section, with every note about it
    for _, entry in _entries(rec):
        grouped.setdefault(entry_key(entry) if entry_key(entry) in FIELDS + SECTIONS else entry, []).append(entry)
    for key, entries in grouped.items():
        notes = [e for e in entries if e != key]
        item = {"entry": "; ".join(notes) if notes else key, "key": key}
        if key in FIELDS:
            fields.append(item | {"value": rec.front.get(key), "may_be_unknown": key in MAY_BE_UNKNOWN})
        elif key in SECTIONS:
            sections.append(item | {"entries": _section_entries(rec, key, citations)})
        else:
            other.append(item)
    return {"plan": rec.plan_id, "draft": rec.is_draft, "left": left(rec), "fields": fields,
            "candidates": [_candidate(t) for t in open_candidates(rec)],
            "reviewed_targets": [str(t.get("id")) for t in targets(rec) if not is_open(t)],
            "target_ids": [str(t.get("id")) for t in targets(rec)],
            "sections": sections, "other": other, "excerpt": rec.front.get("excerpt") is True,
            "citations": citations or []}


def _candidate(t: dict) -> dict:
    return {k: t.get(k) for k in ("id", *CANDIDATE_KEYS, "quote", "confidence", "note")}


def _section_entries(rec: Record, key: str, citations: list[dict] | None) -> list[dict]:
    if key == "citations":
        return list(citations or [])
    if key == "targets":
        return [_candidate(t) for t in targets(rec)]
    items = rec.data.get(key) or []
    return [dict(x) for x in items if isinstance(x, dict)] if isinstance(items, list) else []


def corpus_lookups(corpus: Path) -> tuple[Lookups, dict]:
    """The corpus's lookup tables (the codes a candidate may take) and its table of instruments
    cited by name (legal_names.yaml), read as the build reads them."""
    raw, _ = load_corpus(Path(corpus), plans=False)
    tables, _ = validate_tables(raw)
    names, _ = cite.names_from_data(raw.tables.get("legal_names"))
    return tables.lookups, names


def found_citations(rec: Record, names: dict) -> list[dict]:
    """The instruments the record's text cites, found as the build finds them (a draft's are not
    linked to the registry until it is reviewed: this is what will be)."""
    number = rec.front.get("number")
    found = cite.extract(rec.body, own_number=number if number != UNKNOWN else None,
                         province=rec.front.get("province"), names=names)
    return [{"as_written": c.as_written, "number": c.number, "type": c.type, "issued": c.issued,
             "issuer": c.issuer} for c in found]


# ---------------------------------------------------------------- operations

def _with(rec: Record, *, front: dict | None = None, data: dict | None = None) -> Record:
    return replace(rec, front=rec.front if front is None else front, data=rec.data if data is None else data)


def _without_entries(front: dict, key: str) -> dict:
    """The front matter with every review entry naming `key` removed."""
    out = dict(front)
    out["review"] = [r for r in (front.get("review") or []) if entry_key(str(r)) != key]
    return out


def _close_targets_if_done(rec: Record) -> Record:
    if open_candidates(rec):
        return rec
    return _with(rec, front=_without_entries(rec.front, "targets"))


def _find(rec: Record, tid) -> int:
    if not isinstance(tid, str) or not TARGET_ID.match(tid):
        raise ReviewError(f"{tid!r} is not a target id (t01).")
    for i, t in enumerate(rec.data.get("targets") or []):
        if isinstance(t, dict) and t.get("id") == tid:
            return i
    raise ReviewError(f"{rec.plan_id}: there is no target {tid}.")


def _reviewed(t: dict) -> dict:
    """A target as reviewed: ingest's confidence and draft note gone, anything else kept."""
    out = {k: v for k, v in t.items() if k != "confidence"}
    if isinstance(out.get("note"), str) and out["note"].startswith(DRAFT_NOTE):
        del out["note"]
    return out


def accept_candidate(rec: Record, tid: str) -> Record:
    """Keep a candidate as ingest read it, marked reviewed."""
    data = copy.deepcopy(rec.data)
    i = _find(rec, tid)
    data["targets"][i] = _reviewed(data["targets"][i])
    return _close_targets_if_done(_with(rec, data=data))


def reject_candidate(rec: Record, tid: str) -> Record:
    """Remove a candidate (not a target); targets that named it as their parent lose that parent."""
    data = copy.deepcopy(rec.data)
    del data["targets"][_find(rec, tid)]
    for t in data["targets"]:
        if isinstance(t, dict) and t.get("parent") == tid:
            t["parent"] = None
    return _close_targets_if_done(_with(rec, data=data))


def _number(key: str, value, *, optional: bool) -> int | float | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ReviewError(f"{key}: {value!r} is not a number.")
    return int(value) if float(value).is_integer() else float(value)


def _text(key: str, value, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ReviewError(f"{key}: must be text{' or null' if optional else ''}.")
    return unicodedata.normalize("NFC", value.strip())


def _deadline(value) -> int | str:
    if value is None or value == UNKNOWN or value == "":
        return UNKNOWN
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise ReviewError(f"deadline: {value!r} must be a year or `unknown`.")
    return value


def edit_candidate(rec: Record, tid: str, changes: dict) -> Record:
    """Change some fields of a candidate and mark it reviewed (the values are checked by the build's
    validators afterwards; here only their types)."""
    if not isinstance(changes, dict) or not changes:
        raise ReviewError("changes: give the fields to change, e.g. {\"value\": 300}.")
    unknown = sorted(set(changes) - set(CANDIDATE_KEYS))
    if unknown:
        raise ReviewError(f"{', '.join(map(str, unknown))}: cannot be changed here (only "
                          f"{', '.join(CANDIDATE_KEYS)}); the quote is the source's text.")
    data = copy.deepcopy(rec.data)
    i = _find(rec, tid)
    t = dict(data["targets"][i])
    for key, value in changes.items():
        if key in ("value", "value_max"):
            t[key] = _number(key, value, optional=key == "value_max")
        elif key == "deadline":
            t[key] = _deadline(value)
        elif key == "parent":
            t[key] = None if value in (None, "") else _text(key, value)
        elif key == "comparator" and value not in COMPARATORS:
            raise ReviewError(f"comparator: {value!r} must be one of {', '.join(COMPARATORS)}.")
        else:
            t[key] = _text(key, value, optional=key == "direction")
    data["targets"][i] = _reviewed(t)
    return _close_targets_if_done(_with(rec, data=data))


def _field_key(rec: Record, key) -> str:
    if key not in FIELDS:
        raise ReviewError(f"{key!r} is not a field reviewed here ({', '.join(FIELDS)}).")
    return key


def accept_entry(rec: Record, key: str) -> Record:
    """Confirm a review entry (a field, a section, a note) as it stands: it leaves the list."""
    if not any(entry_key(r) == key for r in rec.review):
        raise ReviewError(f"{rec.plan_id}: {key!r} is not in the review list.")
    if key == "targets" and open_candidates(rec):
        raise ReviewError("targets: accept, edit or reject each candidate first.")
    return _with(rec, front=_without_entries(rec.front, key))


def edit_field(rec: Record, key: str, value) -> Record:
    """Change a metadata field and confirm it."""
    key = _field_key(rec, key)
    if key == "excerpt":
        if not isinstance(value, bool):
            raise ReviewError("excerpt: must be true or false.")
    elif value is None or value == UNKNOWN:
        if key not in MAY_BE_UNKNOWN:
            raise ReviewError(f"{key}: is required, it cannot be `unknown`.")
        value = UNKNOWN
    else:
        value = _text(key, value)
    front = _without_entries(rec.front, key)
    front[key] = value
    return _with(rec, front=front)


def reject_field(rec: Record, key: str) -> Record:
    """A metadata field the text does not state after all: `unknown` (where the field may be)."""
    return edit_field(rec, key, UNKNOWN)


def remove_entry(rec: Record, section: str, index) -> Record:
    """Remove one commitment, task or theme ingest found (it is not one)."""
    if section not in ENTRY_SECTIONS:
        raise ReviewError(f"{section!r}: single entries are removed from {', '.join(ENTRY_SECTIONS)} only.")
    items = rec.data.get(section)
    if isinstance(index, bool) or not isinstance(index, int) or not isinstance(items, list) \
            or not 0 <= index < len(items):
        raise ReviewError(f"{section}[{index!r}]: no such entry.")
    data = copy.deepcopy(rec.data)
    del data[section][index]
    return _with(rec, data=data)


def mark_reviewed(rec: Record) -> Record:
    """The record as reviewed: `status: draft` and `review:` removed, ingest's provenance and
    opening comments brought up to date. ReviewError while anything is open."""
    if not rec.is_draft:
        raise ReviewError(f"{rec.plan_id}: is not a draft (no `status: draft`): nothing to mark.")
    if left(rec):
        raise ReviewError(f"{rec.plan_id}: {left(rec)} item(s) are still open: review them first.")
    front = {k: v for k, v in rec.front.items() if k not in ("status", "review")}
    for key, (old, new) in zip(("provenance", "provenance_en"), PROVENANCE_DRAFT):
        if isinstance(front.get(key), str) and old in front[key]:
            front[key] = front[key].replace(old, new, 1)
    head = "" if rec.head.startswith("# Draft by `python -m sitegen.ingest`") else rec.head
    return replace(rec, front=front, head=head)


def apply(rec: Record, request: dict) -> Record:
    """One reviewer's request (the JSON the review page sends) applied to a record:
    {"op": accept|reject|edit|remove|done, "item": candidate|field|entry, "id": ..., "changes"/"value"}."""
    if not isinstance(request, dict):
        raise ReviewError("the request must be a JSON object.")
    if not rec.is_draft:
        raise ReviewError(f"{rec.plan_id}: is not a draft (no `status: draft`): it is edited by hand only.")
    op, item, ident = request.get("op"), request.get("item"), request.get("id")
    if op == "done":
        return mark_reviewed(rec)
    if item == "candidate":
        if op == "accept":
            return accept_candidate(rec, ident)
        if op == "reject":
            return reject_candidate(rec, ident)
        if op == "edit":
            return edit_candidate(rec, ident, request.get("changes"))
    elif item == "field":
        if op == "accept":
            return accept_entry(rec, _field_key(rec, ident))
        if op == "reject":
            return reject_field(rec, ident)
        if op == "edit":
            return edit_field(rec, ident, request.get("value"))
    elif item == "entry":
        if op == "accept" and isinstance(ident, str):
            return accept_entry(rec, ident)
        if op == "remove":
            return remove_entry(rec, ident, request.get("index"))
    raise ReviewError(f"unknown request: op {op!r} on item {item!r}.")
