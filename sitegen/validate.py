"""Stage 2, validate: one plan's front matter and data checked against the lookup tables, into a Plan.

Every check reports the file, the field (with its line) and how to fix it. The
build stops after this stage if any problem is an error, so later stages can
trust their input completely. The lookup tables and the corpus-wide checks are in
validate_corpus.py, the readers of single fields in validate_fields.py.
"""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from .load import MAX_FILE_BYTES, RawPlan
from .model import UNKNOWN, Commitment, Garble, Header, Lookups, Original, Plan, Problem, Target, Task, ThemeRef
from .textrender import block_lines
from .textutil import fold, slugify, squash, value_in_text
from .validate_corpus import LookupTables
from .validate_fields import (Blocks, Checker, choice_field, date_field, line_of, lines_field, list_field,
                              number_field, quote_field, ref_field, text_field)
from .validate_scope import opening, plan_scope, target_topics
from .checks import (ID_LIMIT, MAX_ID_LENGTH, MAX_PROVINCE_SLUG, digits_note, invisible, invisible_at,
                     invisible_message, short, too_long)

# ASCII digits only ([0-9], not \d: Python's \d also matches full-width and Arabic-Indic digits).
PLAN_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
PERIOD = re.compile(r"^([0-9]{4})(?:-([0-9]{4}))?$")
TARGET_ID = re.compile(r"^t[0-9]+[a-z]?$")
COMMITMENT_ID = re.compile(r"^c[0-9]+[a-z]?$")
COMPARATORS = ("=", ">=", ">", "<=")
DIRECTIONS = ("tăng", "giảm", "duy trì", "đạt")
ROLES = ("chủ trì", "phối hợp", "thực hiện")
SOURCE_KINDS = ("official", "press")
RESERVED_PLAN_ID = re.compile(r"^page-\d+$")  # plans/page-2.html ... are pages of the plan list
FRONT_MATTER_FIELDS = ("id", "province", "number", "doc_type", "title", "issuer", "signer", "signer_title",
                       "issued", "period", "field", "source_kind", "excerpt", "source_file", "provenance",
                       "provenance_en", "press", "header", "signature", "garbled", "status", "review", "text_origin",
                       "original")
TEXT_ORIGINS = ("text", "ocr")
# The kinds of file ingest reads a text from (sitegen/ingest/readers.py KINDS, less plain text).
ORIGINAL_KINDS = ("pdf", "pdf-ocr", "docx", "doc", "rtf", "html")
SHA256 = re.compile(r"^[0-9a-f]{64}$")
STATUSES = ("draft", "reviewed")


def validate_plan(rp: RawPlan, root: Path, tables: LookupTables, problems: list[Problem]) -> Plan | None:
    """One plan checked against the lookup tables (None when it has errors, added to `problems`)."""
    lookups, alias_index = tables.lookups, tables.alias_index
    ck = Checker(rp.md_path, problems)
    m = rp.meta
    before = sum(p.severity == "error" for p in problems)
    ident = text_field(ck, m, "id", "")
    if ident is not None:
        if len(ident) > MAX_ID_LENGTH:
            ck.error("id", too_long(ident), line_of(m, "id"))
            ident = None
        elif not PLAN_ID.match(ident):
            ck.error("id", f"{ident!r} is not a valid plan id: use lower-case ASCII letters, digits and "
                           "single hyphens, starting with a letter (e.g. quang-ninh-2021-27-kh-ubnd).",
                     line_of(m, "id"))
            ident = None
        elif ident == "index" or RESERVED_PLAN_ID.match(ident):
            ck.error("id", f"{ident!r} is the name of a page of the plan list (plans/{ident}.html): "
                           "give the plan an id with its province and year (e.g. quang-ninh-2021-27-kh-ubnd).",
                     line_of(m, "id"))
            ident = None
        elif ident != rp.id:
            ck.error("id", f"{ident!r} differs from the file name {rp.id!r}.md: rename one of them.",
                     line_of(m, "id"))
    province = text_field(ck, m, "province", "")
    if province is not None and not slugify(province):
        ck.error("province", f"{province!r} is not a province name: write it in letters, with diacritics "
                             "(Quảng Ninh).", line_of(m, "province"))
    elif province is not None and len(slugify(province)) > MAX_PROVINCE_SLUG:
        ck.error("province", f"{short(province, 40)!r} is too long for a province name (its page name may "
                             f"have at most {MAX_PROVINCE_SLUG} letters): write the province's name only.",
                 line_of(m, "province"))
    number = text_field(ck, m, "number", "", allow_unknown=True)
    doc_type = text_field(ck, m, "doc_type", "")
    title = text_field(ck, m, "title", "")
    issuer = text_field(ck, m, "issuer", "", allow_unknown=True)
    signer = text_field(ck, m, "signer", "", allow_unknown=True)
    signer_title = text_field(ck, m, "signer_title", "", allow_unknown=True)
    issued = date_field(ck, m, "issued", "")
    fld = text_field(ck, m, "field", "", allow_unknown=True)
    provenance = text_field(ck, m, "provenance", "")
    provenance_en = text_field(ck, m, "provenance_en", "", required=False) or ""
    period = text_field(ck, m, "period", "")
    year = end = None
    if period is not None:
        pm = PERIOD.match(period)
        if not pm or (pm[2] and int(pm[2]) < int(pm[1])):
            ck.error("period", f"{period!r} is not a period: write YYYY or YYYY-YYYY.", line_of(m, "period"))
        else:
            year, end = int(pm[1]), int(pm[2] or pm[1])
    kind = text_field(ck, m, "source_kind", "")
    if kind is not None and kind not in SOURCE_KINDS:
        ck.error("source_kind", f"{kind!r} must be `official` or `press`.", line_of(m, "source_kind"))
    excerpt = m.get("excerpt")
    if not isinstance(excerpt, bool):
        ck.error("excerpt", "must be true or false.", line_of(m, "excerpt"))
    source_file = text_field(ck, m, "source_file", "")
    if source_file is not None:
        target = (root / source_file).resolve()
        if root.resolve() not in target.parents or not target.is_file():
            ck.error("source_file", _not_inside(root, source_file), line_of(m, "source_file"))
        elif target.stat().st_size > MAX_FILE_BYTES:
            ck.error("source_file", f"{source_file!r} is {target.stat().st_size / 1048576:.1f} MB; a source may "
                                    f"be at most {MAX_FILE_BYTES // 1048576} MB: keep only the plan's text.",
                     line_of(m, "source_file"))
    text_origin = choice_field(ck, m, "text_origin", "", TEXT_ORIGINS, required=False) or "text"
    original = _original(ck, m, root)
    press = m.get("press")
    outlet = published = author = None
    if kind == "press":
        if not isinstance(press, dict):
            ck.error("press", "a press report needs `press:` with outlet, published and author.", line_of(m, "press"))
        else:
            outlet = text_field(ck, press, "outlet", "press.", allow_unknown=True)
            published = date_field(ck, press, "published", "press.")
            author = text_field(ck, press, "author", "press.", allow_unknown=True)
    status = text_field(ck, m, "status", "", required=False) or "reviewed"
    if status not in STATUSES:
        ck.error("status", f"{status!r} must be `draft` (made by ingest, not yet reviewed) or `reviewed`.",
                 line_of(m, "status"))
    review = m.get("review") or []
    if not isinstance(review, list) or not all(isinstance(r, str) for r in review):
        ck.error("review", "must be a list of the fields still to review (text).", line_of(m, "review"))
        review = []
    if review and status != "draft":
        ck.error("review", "only a draft (`status: draft`) has fields to review: remove the list once reviewed.",
                 line_of(m, "review"))
    if status == "draft":
        ck.warn("status", "is a draft made by ingest, not yet reviewed: its pages say so and it stays out of "
                          "comparisons and counts. Review it (python -m sitegen.ingest --review "
                          f"{ident or rp.id}), then remove `status: draft`.", line_of(m, "status"))
    for key in m:
        if key not in FRONT_MATTER_FIELDS:
            ck.warn(str(key), "is not a known front matter field and is ignored: check its spelling "
                              "(see corpus/README.md).", line_of(m, key))
    body = rp.body
    if not body.strip():
        ck.error("", "has no text after the front matter: the plan's text is required.", rp.body_line)
    if (at := invisible_at(body)) >= 0:
        ck.error("", "the text " + invisible_message(invisible(body)), rp.body_line + body[:at].count("\n"))
    # The text is parsed once: its blocks are where quotes are looked for, and those above its
    # first `## ` heading where the scope's quotes are (validate_scope.opening).
    lined = [(line, squash(b)) for line, b in block_lines(body)]
    blocks = Blocks.of([b for _, b in lined])
    header = _header(ck, m)
    garbles = _garbles(ck, m, body)
    data_ck = Checker(rp.yaml_path, problems, tables.broken)
    pid = ident or rp.id
    data = rp.data if rp.data is not None else {"targets": []}  # unreadable: reported by load
    targets = _targets(data_ck, data, pid, blocks, lookups)
    commitments = _commitments(data_ck, data, pid, blocks, lookups)
    tasks = _tasks(data_ck, data, pid, blocks, alias_index)
    themes = _themes(data_ck, data, pid, blocks, lookups)
    scope = plan_scope(data_ck, data, pid, opening(title, body, lined), lookups)
    for key in data:
        if key not in ("targets", "commitments", "tasks", "themes", "scope"):
            data_ck.warn(str(key), "is not a known section (targets, commitments, tasks, themes, scope): it is "
                                   "ignored.", line_of(data, key))
    if sum(p.severity == "error" for p in problems) > before or data_ck.skipped:
        return None
    return Plan(id=pid, province=province, number=number, doc_type=doc_type, title=title, issuer=issuer,
                signer=signer, signer_title=signer_title, issued=issued, year=year, period_end=end,
                field=fld, source_kind=kind, excerpt=excerpt, source_file=source_file,
                provenance=provenance, provenance_en=provenance_en, text=body, press_outlet=outlet, press_published=published,
                press_author=author, header=header, garbles=garbles, targets=targets,
                commitments=commitments, tasks=tasks, themes=themes, status=status, scope=scope,
                review=tuple(unicodedata.normalize("NFC", r) for r in review), text_origin=text_origin,
                original=original)


def _inside(root: Path, rel: str) -> bool:
    """Whether ``rel`` names a file inside the corpus folder ``root``."""
    target = (root / rel).resolve()
    return root.resolve() in target.parents and target.is_file()


def _original(ck: Checker, m: dict, root: Path) -> Original | None:
    """The ``original:`` mapping (the PDF, Word file or page the text was read from), or None."""
    o = m.get("original")
    if o is None:
        return None
    if not isinstance(o, dict):
        ck.error("original", "must be a mapping: name, kind, sha256, bytes and (when kept) file.", line_of(m, "original"))
        return None
    name = text_field(ck, o, "name", "original.")
    kind = choice_field(ck, o, "kind", "original.", ORIGINAL_KINDS)
    sha = text_field(ck, o, "sha256", "original.")
    if sha is not None and not SHA256.match(sha):
        ck.error("original.sha256", f"{short(sha, 20)!r} is not a SHA-256 (64 lower-case hex digits).",
                 line_of(o, "sha256"))
        sha = None
    size = o.get("bytes")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        ck.error("original.bytes", "must be the file's size in bytes (a whole number).", line_of(o, "bytes"))
        size = None
    file = text_field(ck, o, "file", "original.", required=False) or ""
    if file and not _inside(root, file):
        ck.error("original.file", f"{file!r} is not a file inside corpus/: copy the original into corpus/sources/, "
                                  "or remove `file:` and keep its name and sha256 only.", line_of(o, "file"))
        return None
    if None in (name, kind, sha, size):
        return None
    return Original(name, kind, sha, size, file)


def _not_inside(root: Path, source_file: str) -> str:
    """Why `source_file` is not a file inside the corpus: a symbolic link says where it points."""
    path, parts = root, Path(source_file).parts
    for part in () if Path(source_file).is_absolute() or ".." in parts else parts:
        path = path / part
        if path.is_symlink():
            link, resolved = os.readlink(path), path.resolve()
            where = ("which does not exist" if not resolved.exists() else "outside corpus/"
                     if root.resolve() not in resolved.parents else "which is not a file")
            what = ("is a symbolic link" if path == root / source_file else
                    f"goes through a symbolic link: {path.relative_to(root)} is one, pointing")
            return (f"{source_file!r} {what} to {link}{f' ({resolved})' if str(resolved) != link else ''}, "
                    f"{where}. The build reads only files inside corpus/: copy the file itself into "
                    "corpus/sources/ in place of the link.")
    return (f"{source_file!r} is not a file inside corpus/: copy the source into corpus/sources/ and give its "
            "path relative to corpus/.")


def _header(ck: Checker, m: dict) -> Header:
    h = m.get("header") or {}
    s = m.get("signature") or {}
    for key, val in (("header", h), ("signature", s)):
        if not isinstance(val, dict):
            ck.error(key, "must be a mapping.", line_of(m, key))
    h = h if isinstance(h, dict) else {}
    s = s if isinstance(s, dict) else {}
    return Header(
        left=lines_field(ck, h, "left", "header."), right=lines_field(ck, h, "right", "header."),
        number_line=text_field(ck, h, "number_line", "header.", required=False) or "",
        place_date=text_field(ck, h, "place_date", "header.", required=False) or "",
        sign_authority=text_field(ck, s, "authority", "signature.", required=False) or "",
        sign_title=text_field(ck, s, "title", "signature.", required=False) or "",
        sign_name=text_field(ck, s, "name", "signature.", required=False) or "",
        recipients=lines_field(ck, s, "recipients", "signature."),
    )


def _garbles(ck: Checker, m: dict, body: str) -> tuple[Garble, ...]:
    items = m.get("garbled") or []
    if not isinstance(items, list):
        ck.error("garbled", "must be a list of {text, note}.", line_of(m, "garbled"))
        return ()
    out = []
    for i, g in enumerate(items):
        where = f"garbled[{i}]."
        if not isinstance(g, dict):
            ck.error(f"garbled[{i}]", "must be a mapping with text and note.", line_of(items, i))
            continue
        text = text_field(ck, g, "text", where)
        # A misspelling has a `note` (what it should read); any other fault a `remark` saying what
        # is wrong, in Vietnamese, and `remark_en` in English.
        remark = text_field(ck, g, "remark", where, required=False) or ""
        remark_en = text_field(ck, g, "remark_en", where, required=False) or ""
        if not remark and g.get("note") is None:
            ck.error(f"{where}note", "is missing: add `note:` (what it should read) or, for a fault that is "
                                     "not a misspelling, `remark:` and `remark_en:` (what is wrong).", g.line)
        note = text_field(ck, g, "note", where, required=False) or ""
        if text and text not in body and not _in_header(text, m):
            ck.error(f"{where}text", f"{text!r} does not occur in the plan: garbled spots are noted "
                                     "exactly as the text has them.", g.line)
        if text and (note or remark):
            out.append(Garble(text, note, remark, remark_en))
    return tuple(out)


def _in_header(text: str, m: dict) -> bool:
    blob = repr(m.get("header")) + repr(m.get("signature"))
    return text in blob


def _targets(ck: Checker, data: dict, pid: str, body: Blocks, lk: Lookups) -> tuple[Target, ...]:
    out: list[Target] = []
    where_of: dict[int, int] = {}  # index in out -> index in the file
    ids: dict[str, int | None] = {}  # id -> its line
    items = list_field(ck, data, "targets")
    taken = _ids_of(items)
    for i, t in enumerate(items):
        where = f"targets[{i}]."
        if not isinstance(t, dict):
            ck.error(f"targets[{i}]", "must be a mapping.", line_of(items, i))
            continue
        before = len([p for p in ck.problems if p.severity == "error"])
        tid = text_field(ck, t, "id", where)
        if tid is not None and (not TARGET_ID.match(tid) or len(tid) > MAX_ID_LENGTH):
            ck.error(f"{where}id", f"{short(tid)!r}: target ids are t + digits (t01), {ID_LIMIT}: "
                                   f"{_id_fix(tid, 't', TARGET_ID, taken)}.", line_of(t, "id"))
        elif tid in ids:
            ck.error(f"{where}id", _used_twice(tid, ids[tid], "target", _free_id("t", taken)), line_of(t, "id"))
        ids.setdefault(tid, line_of(t, "id"))
        category = ref_field(ck, t, "category", where, lk.categories, "taxonomy")
        subject = ref_field(ck, t, "subject", where, lk.subjects, "subjects")
        unit = ref_field(ck, t, "unit", where, lk.units, "units")
        subject_text = text_field(ck, t, "subject_text", where)
        value = number_field(ck, t, "value", where, required=True)
        vmax = number_field(ck, t, "value_max", where, required=False)
        comparator = choice_field(ck, t, "comparator", where, COMPARATORS)
        direction = choice_field(ck, t, "direction", where, DIRECTIONS)
        deadline = t.get("deadline")
        if deadline == UNKNOWN or deadline is None:
            deadline = None
        elif isinstance(deadline, bool) or not isinstance(deadline, int) or not 1945 <= deadline <= 2100:
            ck.error(f"{where}deadline", f"{deadline!r} must be a year (e.g. 2021) or `unknown`.",
                     line_of(t, "deadline"))
            deadline = None
        quote = quote_field(ck, t, where, body)
        note = t.get("note") or ""
        if not isinstance(note, str):
            ck.error(f"{where}note", "must be text.", line_of(t, "note"))
            note = ""
        note_en = t.get("note_en") or ""
        if not isinstance(note_en, str):
            ck.error(f"{where}note_en", "must be text.", line_of(t, "note_en"))
            note_en = ""
        if quote is not None:
            for key, v in (("value", value), ("value_max", vmax)):
                if v is not None and not value_in_text(v, quote):
                    ck.error(f"{where}{key}", f"{_fmt(v)} does not appear in its quote {short(quote)!r}"
                                              f"{digits_note(quote)}: "
                                              "the quote must contain the number.", line_of(t, key))
            if subject_text and fold(subject_text) not in fold(quote):
                ck.error(f"{where}subject_text", f"{subject_text!r} does not appear in the quote.",
                         line_of(t, "subject_text"))
        if vmax is not None and value is not None and vmax <= value:
            ck.error(f"{where}value_max", "must be greater than value for a range.", line_of(t, "value_max"))
        topics = target_topics(ck, t, where, lk)
        parent = t.get("parent")
        if parent is not None and not isinstance(parent, str):
            ck.error(f"{where}parent", f"{parent!r} must be the id of another target of this plan (t01) or null.",
                     line_of(t, "parent"))
        if len([p for p in ck.problems if p.severity == "error"]) > before:
            continue
        where_of[len(out)] = i
        out.append(Target(pid, tid, category, subject, subject_text, value, vmax, unit, comparator,
                          direction, deadline, quote, parent, note.strip(), note_en.strip(), topics))
    known = {t.id for t in out}
    for i, t in enumerate(out):
        if t.parent is not None and (t.parent not in known or t.parent == t.id):
            item = items[where_of[i]]
            ck.error(f"targets[{where_of[i]}].parent", f"{t.parent!r} is not another target of this plan: "
                                                       "give the id of the target this one is part of, or null.",
                     line_of(item, "parent"))
    return tuple(out)


def _ids_of(items: list) -> set[str]:
    """The ids a list of targets or commitments gives (as text), to suggest one not taken."""
    return {str(item["id"]).strip() for item in items if isinstance(item, dict) and item.get("id") is not None}


def _free_id(prefix: str, taken: set[str]) -> str:
    """The first id prefix + two or more digits (t01, t02, ...) that no item of the plan uses."""
    return next(f"{prefix}{n:02d}" for n in range(1, len(taken) + 2) if f"{prefix}{n:02d}" not in taken)


def _id_fix(ident: str, prefix: str, pattern: re.Pattern, taken: set[str]) -> str:
    """How to write a malformed id: itself in lower case or with its prefix when that makes an id,
    else the first free one."""
    for fixed in (ident.strip().lower(), f"{prefix}{ident.strip()}"):
        if pattern.match(fixed) and len(fixed) <= MAX_ID_LENGTH and fixed not in taken:
            return f"write {fixed}"
    return f"write {_free_id(prefix, taken)} (the first id this plan does not use)"


def _used_twice(ident: str, first: int | None, what: str, free: str) -> str:
    """The message for an id two targets (or commitments) of a plan share."""
    return (f"{ident!r} is used twice in this plan" + (f" (first on line {first})" if first else "") +
            f": give each {what} its own id, e.g. {free} (the first this plan does not use)" +
            (f", and check the `parent:` fields that name {ident}." if what == "target" else "."))


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else str(v)


def _commitments(ck, data, pid, body: Blocks, lk: Lookups) -> tuple[Commitment, ...]:
    out = []
    ids: dict[str, int | None] = {}  # id -> its line
    items = list_field(ck, data, "commitments")
    taken = _ids_of(items)
    for i, c in enumerate(items):
        where = f"commitments[{i}]."
        if not isinstance(c, dict):
            ck.error(f"commitments[{i}]", "must be a mapping.")
            continue
        cid = text_field(ck, c, "id", where)
        if cid is not None and (not COMMITMENT_ID.match(cid) or len(cid) > MAX_ID_LENGTH):
            ck.error(f"{where}id", f"{short(cid)!r}: commitment ids are c + digits (c01), {ID_LIMIT}: "
                                   f"{_id_fix(cid, 'c', COMMITMENT_ID, taken)}.", line_of(c, "id"))
            cid = None
        elif cid in ids:
            ck.error(f"{where}id", _used_twice(cid, ids[cid], "commitment", _free_id("c", taken)),
                     line_of(c, "id"))
        ids.setdefault(cid, line_of(c, "id"))
        kind = ref_field(ck, c, "kind", where, lk.commitment_kinds, "commitments")
        quote = quote_field(ck, c, where, body)
        if cid and kind and quote:
            out.append(Commitment(pid, cid, kind, quote))
    return tuple(out)


def _tasks(ck, data, pid, body: Blocks, alias_index) -> tuple[Task, ...]:
    out = []
    for i, t in enumerate(list_field(ck, data, "tasks")):
        where = f"tasks[{i}]."
        if not isinstance(t, dict):
            ck.error(f"tasks[{i}]", "must be a mapping.")
            continue
        name = text_field(ck, t, "agency", where)
        agency = alias_index.get(fold(name)) if name else None
        if name and agency is None and "agencies" in ck.unchecked:
            ck.skipped += 1
        elif name and agency is None:
            ck.error(f"{where}agency", f"{name!r} is not a name or alias in corpus/agencies.yaml: add it as "
                                       "an alias of the right agency (or a new agency).", line_of(t, "agency"))
        role = choice_field(ck, t, "role", where, ROLES)
        quote = quote_field(ck, t, where, body)
        if agency and role and quote:
            out.append(Task(pid, agency, name, role, quote))
    return tuple(out)


def _themes(ck, data, pid, body: Blocks, lk: Lookups) -> tuple[ThemeRef, ...]:
    out = []
    for i, t in enumerate(list_field(ck, data, "themes")):
        where = f"themes[{i}]."
        if not isinstance(t, dict):
            ck.error(f"themes[{i}]", "must be a mapping.")
            continue
        theme = ref_field(ck, t, "theme", where, lk.themes, "themes")
        quote = quote_field(ck, t, where, body)
        if theme and quote:
            out.append(ThemeRef(pid, theme, quote))
    return tuple(out)
