"""Stage 2, validate: turn the raw corpus into domain objects, collecting every problem.

Every check reports the file, the field (with its line) and how to fix it. The
build stops after this stage if any problem is an error, so later stages can
trust their input completely.
"""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import date
from dataclasses import dataclass
from pathlib import Path

from .load import MAX_FILE_BYTES, RawCorpus, RawPlan
from .model import (UNKNOWN, Category, Commitment, Corpus, Garble, Header, Label, Lookups,
                    Plan, Problem, Target, Task, ThemeRef)
from .textrender import markdown
from .textutil import fold, slugify, squash, value_in_text
from .validate_scope import SCOPE_TABLES, check_hierarchies, opening, plan_scope, target_topics, unused_lookups
from .checks import (ID_LIMIT, MAX_ID_LENGTH, MAX_PROVINCE_SLUG, MAX_VALUE, NO_VERSION, data_version, digits_note,
                     invisible, invisible_at, invisible_message, other_digits, short, too_long)

# ASCII digits only ([0-9], not \d: Python's \d also matches full-width and Arabic-Indic digits).
PLAN_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
LOOKUP_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")
PERIOD = re.compile(r"^([0-9]{4})(?:-([0-9]{4}))?$")
TARGET_ID = re.compile(r"^t[0-9]+[a-z]?$")
COMMITMENT_ID = re.compile(r"^c[0-9]+[a-z]?$")
# The data version names files and ZIP folders of the release: it must be a plain version.
DATA_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.-]{0,39}$")
COMPARATORS = ("=", ">=", ">", "<=")
DIRECTIONS = ("tăng", "giảm", "duy trì", "đạt")
ROLES = ("chủ trì", "phối hợp", "thực hiện")
SOURCE_KINDS = ("official", "press")
AGENCY_KINDS = ("trung-uong", "tinh", "huyen", "xa", "doan-the")
RESERVED_PLAN_ID = re.compile(r"^page-\d+$")  # plans/page-2.html ... are pages of the plan list
FRONT_MATTER_FIELDS = ("id", "province", "number", "doc_type", "title", "issuer", "signer", "signer_title",
                       "issued", "period", "field", "source_kind", "excerpt", "source_file", "provenance",
                       "provenance_en", "press", "header", "signature", "garbled", "status", "review")
STATUSES = ("draft", "reviewed")
_MD = markdown()


class _Checker:
    """Collects problems for one file, naming fields and their lines."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems

    def error(self, where: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem("error", self.file, _where(where, line), message))

    def warn(self, where: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem("warning", self.file, _where(where, line), message))


def _where(field: str, line: int | None) -> str:
    if line:
        return f"line {line} (field {field})" if field else f"line {line}"
    return f"field {field}" if field else ""


def _line(mapping, key) -> int | None:
    lines = getattr(mapping, "lines", None)
    if isinstance(lines, dict):
        return lines.get(key)
    return getattr(mapping, "line", None)


def _text(ck: _Checker, mapping: dict, key: str, where: str, *, required=True,
          allow_unknown=False) -> str | None:
    """A required or optional text field; `unknown` becomes None when allowed."""
    value = mapping.get(key) if isinstance(mapping, dict) else None
    name = f"{where}{key}"
    if value is None:
        if required and isinstance(mapping, dict) and key in mapping:  # `key:` with nothing after it
            ck.error(name, "is empty: " + ("write `unknown` if the source does not say." if allow_unknown
                                           else "give its value."), _line(mapping, key))
        elif required:
            hint = " (write `unknown` if the source does not say)" if allow_unknown else ""
            ck.error(name, f"is missing: add `{key}: …`{hint}.", getattr(mapping, "line", None))
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        ck.error(name, f"must be text, not {_kind(value)}: write the text after the colon, in quotes if it "
                       "starts with [ or { or contains ': '.", _line(mapping, key))
        return None
    value = value.strip()
    if not value:
        ck.error(name, "is empty: " + ("write `unknown` if the source does not say." if allow_unknown
                                       else "give its value."), _line(mapping, key))
        return None
    found = invisible(value)
    if found:
        ck.error(name, invisible_message(found), _line(mapping, key))
        return None
    if value == UNKNOWN:
        if allow_unknown:
            return None
        ck.error(name, "cannot be `unknown`: the source must give it.", _line(mapping, key))
        return None
    return value


def _kind(value) -> str:
    """How a YAML value reads to a corpus editor: a list, a mapping, `true`."""
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _iso_date(ck: _Checker, mapping: dict, key: str, where: str, *, required=True) -> str | None:
    raw = mapping.get(key)
    if raw is None and not required:
        return None
    value = _text(ck, mapping, key, where, required=required, allow_unknown=True)
    if value is None:
        return None
    m = ISO_DATE.match(value)
    if not m:
        digits = " with the digits 0-9 (not full-width or other digits)" if other_digits(value) else ""
        ck.error(f"{where}{key}", f"{value!r} is not a date: write YYYY-MM-DD{digits} or `unknown`.",
                 _line(mapping, key))
        return None
    try:
        date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        ck.error(f"{where}{key}", f"{value!r} is an impossible date (no such day): check the source.",
                 _line(mapping, key))
        return None
    return value


def _lookup_table(name: str, entries: list, shown: str, problems: list[Problem],
                  required: tuple[str, ...]) -> dict[str, dict]:
    ck = _Checker(shown, problems)
    table: dict[str, dict] = {}
    for i, entry in enumerate(entries or []):
        where = f"[{i}]."
        line = (entries.lines[i] if hasattr(entries, "lines") else None)
        if not isinstance(entry, dict):
            ck.error(f"[{i}]", "must be a mapping with " + ", ".join(required) + ".", line)
            continue
        values = {}
        for key in required:
            values[key] = _text(ck, entry, key, where)
        for key in entry:
            if key not in required and key not in ("aliases", "kind", "family", "broader"):
                # In a flow mapping, `{vi: a, b, en: c}` reads "b" as a key: the label is cut short.
                ck.error(f"{where}{key}", f"{str(key)!r} is not a field of a {name} entry: if it is the end of "
                                          "a value that has a comma, put the value in quotes (vi: \"a, b\").",
                         _line(entry, key) or line)
        ident = values.get("id")
        if ident is None:
            continue
        if not LOOKUP_ID.match(ident):
            ck.error(f"{where}id", f"{ident!r}: ids are lower-case ASCII letters, digits, - and _.", line)
            continue
        if len(ident) > MAX_ID_LENGTH:
            ck.error(f"{where}id", too_long(ident), line)
            continue
        if ident in table:
            ck.error(f"{where}id", f"{ident!r} is defined twice in {name}.", line)
            continue
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            ck.error(f"{where}aliases", "must be a list of names.", line)
            aliases = []
        for a in aliases:
            if invisible(a):
                ck.error(f"{where}aliases", f"{a!r} " + invisible_message(invisible(a)), _line(entry, "aliases"))
                aliases = []
                break
        values["aliases"] = tuple(a.strip() for a in aliases)
        values.update({f: str(entry.get(f) or "") for f in ("kind", "family", "broader")})
        values["_line"] = line
        table[ident] = values
    return table


@dataclass(frozen=True)
class LookupTables:
    """The checked lookup tables, as validating a plan needs them."""

    lookups: Lookups
    alias_index: dict[str, str]  # folded agency name or alias -> agency id
    plain: dict[str, dict]  # table name -> checked entries (for the unused-entry warnings)


def validate_tables(raw: RawCorpus) -> tuple[LookupTables, list[Problem]]:
    """Check the lookup tables (taxonomy, subjects, units, themes, agencies, commitments)."""
    problems: list[Problem] = []
    tp = raw.table_paths
    cats = _lookup_table("taxonomy", raw.tables.get("taxonomy"), tp.get("taxonomy", ""), problems,
                         ("id", "vi", "en", "definition_vi", "definition_en", "comparable_when",
                          "comparable_when_en"))
    plain = {name: _lookup_table(name, raw.tables.get(name), tp.get(name, ""), problems, ("id", "vi", "en"))
             for name in ("subjects", "units", "themes", "agencies", "commitments", *SCOPE_TABLES)}
    lookups = Lookups(
        categories={k: Category(k, v["vi"], v["en"], v["definition_vi"], v["definition_en"],
                                v["comparable_when"], v["comparable_when_en"]) for k, v in cats.items()},
        subjects={k: _label(k, v) for k, v in plain["subjects"].items()},
        units={k: _label(k, v) for k, v in plain["units"].items()},
        themes={k: _label(k, v) for k, v in plain["themes"].items()},
        agencies={k: _label(k, v) for k, v in plain["agencies"].items()},
        commitment_kinds={k: _label(k, v) for k, v in plain["commitments"].items()},
        **{name: {k: _label(k, v) for k, v in plain[name].items()} for name in SCOPE_TABLES},
    )
    check_hierarchies(plain, lambda name: _Checker(tp.get(name, ""), problems))
    for k, v in plain["units"].items():
        if v["kind"] not in ("percent", "count", "rate"):
            _Checker(tp["units"], problems).error(f"{k}.kind", "must be percent, count or rate.", v["_line"])
    for k, v in plain["agencies"].items():
        if v["kind"] not in AGENCY_KINDS:
            _Checker(tp["agencies"], problems).error(f"{k}.kind", f"must be one of: {', '.join(AGENCY_KINDS)}.",
                                                     v["_line"])
    alias_index = agency_alias_index(lookups.agencies, tp.get("agencies", ""), problems)
    return LookupTables(lookups, alias_index, plain), problems


def finish_corpus(raw: RawCorpus, tables: LookupTables, plans: list[Plan], problems: list[Problem]) -> Corpus:
    """The Corpus of the valid plans, in order; adds the corpus-wide problems (unused lookup entries,
    data version) to `problems`."""
    plans = sorted(plans, key=lambda p: (p.province, p.year, p.id))
    if not raw.load_errors and not any(p.severity == "error" for p in problems):
        # With a file unread or a plan rejected, what it uses is unknown: the warnings would be noise.
        unused_lookups(plans, tables.lookups, raw.table_paths, problems)
    version = data_version(raw.changelog)
    if raw.changelog and not any(line.startswith("## ") for line in raw.changelog.splitlines()):
        problems.append(Problem("error", f"{raw.root.name}/CHANGELOG.md", "", NO_VERSION))
    elif raw.changelog and not DATA_VERSION.match(version):
        line = next(n for n, text in enumerate(raw.changelog.splitlines(), 1) if text.startswith("## "))
        problems.append(Problem("error", f"{raw.root.name}/CHANGELOG.md", f"line {line}",
                                f"{short(version)!r} is not a data version: the first `## ` heading must be a "
                                "version such as 2026.11.1 (letters, digits, dots and hyphens)."))
    # Drafts are checked like any plan but kept apart: no comparison, count or download uses them.
    return Corpus(plans=tuple(p for p in plans if not p.is_draft), lookups=tables.lookups, data_version=version,
                  drafts=tuple(p for p in plans if p.is_draft))


def _label(ident: str, v: dict) -> Label:
    return Label(ident, v["vi"], v["en"], v["aliases"], v["kind"], v["family"], v["broader"])


def agency_alias_index(agencies: dict[str, Label], shown: str, problems: list[Problem]) -> dict[str, str]:
    """Map every folded agency name and alias to its agency id; report clashes."""
    index: dict[str, str] = {}
    for ident in sorted(agencies):
        label = agencies[ident]
        for name in (label.vi, *label.aliases):
            key = fold(name)
            if key in index and index[key] != ident:
                problems.append(Problem("error", shown, f"field {ident}.aliases",
                                        f"{name!r} is also a name of {index[key]!r}: a name maps to one agency."))
            index[key] = ident
    return index


def validate_plan(rp: RawPlan, root: Path, tables: LookupTables, problems: list[Problem]) -> Plan | None:
    """One plan checked against the lookup tables (None when it has errors, added to `problems`)."""
    lookups, alias_index = tables.lookups, tables.alias_index
    ck = _Checker(rp.md_path, problems)
    m = rp.meta
    before = sum(p.severity == "error" for p in problems)
    ident = _text(ck, m, "id", "")
    if ident is not None:
        if len(ident) > MAX_ID_LENGTH:
            ck.error("id", too_long(ident), _line(m, "id"))
            ident = None
        elif not PLAN_ID.match(ident):
            ck.error("id", f"{ident!r} is not a valid plan id: use lower-case ASCII letters, digits and "
                           "single hyphens, starting with a letter (e.g. quang-ninh-2021-27-kh-ubnd).",
                     _line(m, "id"))
            ident = None
        elif ident == "index" or RESERVED_PLAN_ID.match(ident):
            ck.error("id", f"{ident!r} is the name of a page of the plan list (plans/{ident}.html): "
                           "give the plan an id with its province and year (e.g. quang-ninh-2021-27-kh-ubnd).",
                     _line(m, "id"))
            ident = None
        elif ident != rp.id:
            ck.error("id", f"{ident!r} differs from the file name {rp.id!r}.md: rename one of them.",
                     _line(m, "id"))
    province = _text(ck, m, "province", "")
    if province is not None and not slugify(province):
        ck.error("province", f"{province!r} is not a province name: write it in letters, with diacritics "
                             "(Quảng Ninh).", _line(m, "province"))
    elif province is not None and len(slugify(province)) > MAX_PROVINCE_SLUG:
        ck.error("province", f"{short(province, 40)!r} is too long for a province name (its page name may "
                             f"have at most {MAX_PROVINCE_SLUG} letters): write the province's name only.",
                 _line(m, "province"))
    number = _text(ck, m, "number", "", allow_unknown=True)
    doc_type = _text(ck, m, "doc_type", "")
    title = _text(ck, m, "title", "")
    issuer = _text(ck, m, "issuer", "", allow_unknown=True)
    signer = _text(ck, m, "signer", "", allow_unknown=True)
    signer_title = _text(ck, m, "signer_title", "", allow_unknown=True)
    issued = _iso_date(ck, m, "issued", "")
    fld = _text(ck, m, "field", "", allow_unknown=True)
    provenance = _text(ck, m, "provenance", "")
    provenance_en = _text(ck, m, "provenance_en", "", required=False) or ""
    period = _text(ck, m, "period", "")
    year = end = None
    if period is not None:
        pm = PERIOD.match(period)
        if not pm or (pm[2] and int(pm[2]) < int(pm[1])):
            ck.error("period", f"{period!r} is not a period: write YYYY or YYYY-YYYY.", _line(m, "period"))
        else:
            year, end = int(pm[1]), int(pm[2] or pm[1])
    kind = _text(ck, m, "source_kind", "")
    if kind is not None and kind not in SOURCE_KINDS:
        ck.error("source_kind", f"{kind!r} must be `official` or `press`.", _line(m, "source_kind"))
    excerpt = m.get("excerpt")
    if not isinstance(excerpt, bool):
        ck.error("excerpt", "must be true or false.", _line(m, "excerpt"))
    source_file = _text(ck, m, "source_file", "")
    if source_file is not None:
        target = (root / source_file).resolve()
        if root.resolve() not in target.parents or not target.is_file():
            ck.error("source_file", f"{source_file!r} is not a file inside corpus/: copy the source into "
                                    "corpus/sources/ and give its path relative to corpus/.",
                     _line(m, "source_file"))
        elif target.stat().st_size > MAX_FILE_BYTES:
            ck.error("source_file", f"{source_file!r} is {target.stat().st_size / 1048576:.1f} MB; a source may "
                                    f"be at most {MAX_FILE_BYTES // 1048576} MB: keep only the plan's text.",
                     _line(m, "source_file"))
    press = m.get("press")
    outlet = published = author = None
    if kind == "press":
        if not isinstance(press, dict):
            ck.error("press", "a press report needs `press:` with outlet, published and author.", _line(m, "press"))
        else:
            outlet = _text(ck, press, "outlet", "press.", allow_unknown=True)
            published = _iso_date(ck, press, "published", "press.")
            author = _text(ck, press, "author", "press.", allow_unknown=True)
    status = _text(ck, m, "status", "", required=False) or "reviewed"
    if status not in STATUSES:
        ck.error("status", f"{status!r} must be `draft` (made by ingest, not yet reviewed) or `reviewed`.",
                 _line(m, "status"))
    review = m.get("review") or []
    if not isinstance(review, list) or not all(isinstance(r, str) for r in review):
        ck.error("review", "must be a list of the fields still to review (text).", _line(m, "review"))
        review = []
    if review and status != "draft":
        ck.error("review", "only a draft (`status: draft`) has fields to review: remove the list once reviewed.",
                 _line(m, "review"))
    if status == "draft":
        ck.warn("status", "is a draft made by ingest, not yet reviewed: its pages say so and it stays out of "
                          "comparisons and counts. Review it (python -m sitegen.ingest --review "
                          f"{ident or rp.id}), then remove `status: draft`.", _line(m, "status"))
    for key in m:
        if key not in FRONT_MATTER_FIELDS:
            ck.warn(str(key), "is not a known front matter field and is ignored: check its spelling "
                              "(see corpus/README.md).", _line(m, key))
    body = rp.body
    if not body.strip():
        ck.error("", "has no text after the front matter: the plan's text is required.", rp.body_line)
    if (at := invisible_at(body)) >= 0:
        ck.error("", "the text " + invisible_message(invisible(body)), rp.body_line + body[:at].count("\n"))
    blocks = [squash(tok.content) for tok in _MD.parse(body) if tok.type == "inline"]
    header = _header(ck, m)
    garbles = _garbles(ck, m, body)
    data_ck = _Checker(rp.yaml_path, problems)
    pid = ident or rp.id
    data = rp.data if rp.data is not None else {"targets": []}  # unreadable: reported by load
    targets = _targets(data_ck, data, pid, blocks, lookups)
    commitments = _commitments(data_ck, data, pid, blocks, lookups)
    tasks = _tasks(data_ck, data, pid, blocks, alias_index)
    themes = _themes(data_ck, data, pid, blocks, lookups)
    scope = plan_scope(data_ck, data, pid, opening(title, body), lookups)
    for key in data:
        if key not in ("targets", "commitments", "tasks", "themes", "scope"):
            data_ck.warn(str(key), "is not a known section (targets, commitments, tasks, themes, scope): it is "
                                   "ignored.", _line(data, key))
    if sum(p.severity == "error" for p in problems) > before:
        return None
    return Plan(id=pid, province=province, number=number, doc_type=doc_type, title=title, issuer=issuer,
                signer=signer, signer_title=signer_title, issued=issued, year=year, period_end=end,
                field=fld, source_kind=kind, excerpt=excerpt, source_file=source_file,
                provenance=provenance, provenance_en=provenance_en, text=body, press_outlet=outlet, press_published=published,
                press_author=author, header=header, garbles=garbles, targets=targets,
                commitments=commitments, tasks=tasks, themes=themes, status=status, scope=scope,
                review=tuple(unicodedata.normalize("NFC", r) for r in review))


def _lines_of(ck: _Checker, mapping: dict, key: str, where: str) -> tuple[str, ...]:
    value = mapping.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),)
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        ck.error(f"{where}{key}", "must be a list of lines of text.", _line(mapping, key))
        return ()
    lines = tuple(str(v).strip() for v in value)
    if found := next(filter(None, map(invisible, lines)), ""):
        ck.error(f"{where}{key}", invisible_message(found), _line(mapping, key))
    return () if found else lines


def _header(ck: _Checker, m: dict) -> Header:
    h = m.get("header") or {}
    s = m.get("signature") or {}
    for key, val in (("header", h), ("signature", s)):
        if not isinstance(val, dict):
            ck.error(key, "must be a mapping.", _line(m, key))
    h = h if isinstance(h, dict) else {}
    s = s if isinstance(s, dict) else {}
    return Header(
        left=_lines_of(ck, h, "left", "header."), right=_lines_of(ck, h, "right", "header."),
        number_line=_text(ck, h, "number_line", "header.", required=False) or "",
        place_date=_text(ck, h, "place_date", "header.", required=False) or "",
        sign_authority=_text(ck, s, "authority", "signature.", required=False) or "",
        sign_title=_text(ck, s, "title", "signature.", required=False) or "",
        sign_name=_text(ck, s, "name", "signature.", required=False) or "",
        recipients=_lines_of(ck, s, "recipients", "signature."),
    )


def _garbles(ck: _Checker, m: dict, body: str) -> tuple[Garble, ...]:
    items = m.get("garbled") or []
    if not isinstance(items, list):
        ck.error("garbled", "must be a list of {text, note}.", _line(m, "garbled"))
        return ()
    out = []
    for i, g in enumerate(items):
        where = f"garbled[{i}]."
        if not isinstance(g, dict):
            ck.error(f"garbled[{i}]", "must be a mapping with text and note.", _line(items, i))
            continue
        text = _text(ck, g, "text", where)
        # A misspelling has a `note` (what it should read); any other fault a `remark` saying what
        # is wrong, in Vietnamese, and `remark_en` in English.
        remark = _text(ck, g, "remark", where, required=False) or ""
        remark_en = _text(ck, g, "remark_en", where, required=False) or ""
        if not remark and g.get("note") is None:
            ck.error(f"{where}note", "is missing: add `note:` (what it should read) or, for a fault that is "
                                     "not a misspelling, `remark:` and `remark_en:` (what is wrong).", g.line)
        note = _text(ck, g, "note", where, required=False) or ""
        if text and text not in body and not _in_header(text, m):
            ck.error(f"{where}text", f"{text!r} does not occur in the plan: garbled spots are noted "
                                     "exactly as the text has them.", g.line)
        if text and (note or remark):
            out.append(Garble(text, note, remark, remark_en))
    return tuple(out)


def _in_header(text: str, m: dict) -> bool:
    blob = repr(m.get("header")) + repr(m.get("signature"))
    return text in blob


def _items(ck: _Checker, data: dict, key: str) -> list:
    items = data.get(key)
    if items is None:
        if key == "targets":
            ck.error("targets", "is missing: list the plan's targets, or write `targets: []` if it states none.")
        return []
    if not isinstance(items, list):
        ck.error(key, "must be a list.", _line(data, key))
        return []
    return items


def _quote(ck: _Checker, item: dict, where: str, blocks: list[str]) -> str | None:
    """A quote: verbatim (white space aside) within one paragraph or heading of the text."""
    quote = _text(ck, item, "quote", where)
    if quote is None:
        return None
    wanted = squash(quote)
    if any(wanted in block for block in blocks):
        return quote
    if wanted in " ".join(blocks):
        ck.error(f"{where}quote", f"runs across two paragraphs or headings of the text: {short(quote)!r}. "
                                  "A quote must lie within one paragraph: shorten it to the part that says it.",
                 _line(item, "quote"))
    else:
        ck.error(f"{where}quote", f"is not found verbatim in the plan's text: {short(quote)!r}. "
                                  "Copy it exactly from the .md body (diacritics, punctuation, spelling).",
                 _line(item, "quote"))
    return None


def _number(ck: _Checker, item: dict, key: str, where: str, *, required: bool) -> float | None:
    value = item.get(key)
    if value is None or (value == UNKNOWN and not required):
        if required:
            ck.error(f"{where}{key}", "is missing: give the number the quote states.", getattr(item, "line", None))
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(value, float) and not math.isfinite(value)):
        digits = " with the digits 0-9" if isinstance(value, str) and other_digits(value) else ""
        ck.error(f"{where}{key}", f"must be a number{digits}, not {short(repr(value))} (write 1330, not \"1.330\").",
                 _line(item, key))
        return None
    if abs(value) > MAX_VALUE:
        ck.error(f"{where}{key}", f"{short(str(value), 30)} is too large: a target value has at most 15 digits. "
                                  "Check the number against the quote.", _line(item, key))
        return None
    return float(value)


def _choice(ck, item, key, where, allowed, *, required=True):
    value = _text(ck, item, key, where, required=required)
    if value is not None and value not in allowed:
        ck.error(f"{where}{key}", f"{value!r} must be one of: {', '.join(allowed)}.", _line(item, key))
        return None
    return value


def _ref(ck, item, key, where, table: dict, table_name: str):
    value = _text(ck, item, key, where)
    if value is not None and value not in table:
        ck.error(f"{where}{key}", f"{value!r} is not in corpus/{table_name}.yaml: use one of "
                                  f"{', '.join(sorted(table))}, or add it there.", _line(item, key))
        return None
    return value


def _targets(ck: _Checker, data: dict, pid: str, body: list[str], lk: Lookups) -> tuple[Target, ...]:
    out: list[Target] = []
    where_of: dict[int, int] = {}  # index in out -> index in the file
    ids: set[str] = set()
    items = _items(ck, data, "targets")
    for i, t in enumerate(items):
        where = f"targets[{i}]."
        if not isinstance(t, dict):
            ck.error(f"targets[{i}]", "must be a mapping.", _line(items, i))
            continue
        before = len([p for p in ck.problems if p.severity == "error"])
        tid = _text(ck, t, "id", where)
        if tid is not None and (not TARGET_ID.match(tid) or len(tid) > MAX_ID_LENGTH):
            ck.error(f"{where}id", f"{short(tid)!r}: target ids are t + digits (t01), {ID_LIMIT}.", _line(t, "id"))
        if tid in ids:
            ck.error(f"{where}id", f"{tid!r} is used twice in this plan.", _line(t, "id"))
        ids.add(tid)
        category = _ref(ck, t, "category", where, lk.categories, "taxonomy")
        subject = _ref(ck, t, "subject", where, lk.subjects, "subjects")
        unit = _ref(ck, t, "unit", where, lk.units, "units")
        subject_text = _text(ck, t, "subject_text", where)
        value = _number(ck, t, "value", where, required=True)
        vmax = _number(ck, t, "value_max", where, required=False)
        comparator = _choice(ck, t, "comparator", where, COMPARATORS)
        direction = _choice(ck, t, "direction", where, DIRECTIONS)
        deadline = t.get("deadline")
        if deadline == UNKNOWN or deadline is None:
            deadline = None
        elif isinstance(deadline, bool) or not isinstance(deadline, int) or not 1945 <= deadline <= 2100:
            ck.error(f"{where}deadline", f"{deadline!r} must be a year (e.g. 2021) or `unknown`.",
                     _line(t, "deadline"))
            deadline = None
        quote = _quote(ck, t, where, body)
        note = t.get("note") or ""
        if not isinstance(note, str):
            ck.error(f"{where}note", "must be text.", _line(t, "note"))
            note = ""
        note_en = t.get("note_en") or ""
        if not isinstance(note_en, str):
            ck.error(f"{where}note_en", "must be text.", _line(t, "note_en"))
            note_en = ""
        if quote is not None:
            for key, v in (("value", value), ("value_max", vmax)):
                if v is not None and not value_in_text(v, quote):
                    ck.error(f"{where}{key}", f"{_fmt(v)} does not appear in its quote {short(quote)!r}"
                                              f"{digits_note(quote)}: "
                                              "the quote must contain the number.", _line(t, key))
            if subject_text and fold(subject_text) not in fold(quote):
                ck.error(f"{where}subject_text", f"{subject_text!r} does not appear in the quote.",
                         _line(t, "subject_text"))
        if vmax is not None and value is not None and vmax <= value:
            ck.error(f"{where}value_max", "must be greater than value for a range.", _line(t, "value_max"))
        topics = target_topics(ck, t, where, lk)
        parent = t.get("parent")
        if parent is not None and not isinstance(parent, str):
            ck.error(f"{where}parent", f"{parent!r} must be the id of another target of this plan (t01) or null.",
                     _line(t, "parent"))
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
                     _line(item, "parent"))
    return tuple(out)


def _fmt(v: float) -> str:
    return str(int(v)) if v == int(v) else str(v)


def _commitments(ck, data, pid, body: list[str], lk: Lookups) -> tuple[Commitment, ...]:
    out = []
    ids: set[str] = set()
    for i, c in enumerate(_items(ck, data, "commitments")):
        where = f"commitments[{i}]."
        if not isinstance(c, dict):
            ck.error(f"commitments[{i}]", "must be a mapping.")
            continue
        cid = _text(ck, c, "id", where)
        if cid is not None and (not COMMITMENT_ID.match(cid) or len(cid) > MAX_ID_LENGTH):
            ck.error(f"{where}id", f"{short(cid)!r}: commitment ids are c + digits (c01), {ID_LIMIT}.", _line(c, "id"))
            cid = None
        elif cid in ids:
            ck.error(f"{where}id", f"{cid!r} is used twice in this plan: give each commitment its own id.",
                     _line(c, "id"))
        ids.add(cid)
        kind = _ref(ck, c, "kind", where, lk.commitment_kinds, "commitments")
        quote = _quote(ck, c, where, body)
        if cid and kind and quote:
            out.append(Commitment(pid, cid, kind, quote))
    return tuple(out)


def _tasks(ck, data, pid, body: list[str], alias_index) -> tuple[Task, ...]:
    out = []
    for i, t in enumerate(_items(ck, data, "tasks")):
        where = f"tasks[{i}]."
        if not isinstance(t, dict):
            ck.error(f"tasks[{i}]", "must be a mapping.")
            continue
        name = _text(ck, t, "agency", where)
        agency = alias_index.get(fold(name)) if name else None
        if name and agency is None:
            ck.error(f"{where}agency", f"{name!r} is not a name or alias in corpus/agencies.yaml: add it as "
                                       "an alias of the right agency (or a new agency).", _line(t, "agency"))
        role = _choice(ck, t, "role", where, ROLES)
        quote = _quote(ck, t, where, body)
        if agency and role and quote:
            out.append(Task(pid, agency, name, role, quote))
    return tuple(out)


def _themes(ck, data, pid, body: list[str], lk: Lookups) -> tuple[ThemeRef, ...]:
    out = []
    for i, t in enumerate(_items(ck, data, "themes")):
        where = f"themes[{i}]."
        if not isinstance(t, dict):
            ck.error(f"themes[{i}]", "must be a mapping.")
            continue
        theme = _ref(ck, t, "theme", where, lk.themes, "themes")
        quote = _quote(ck, t, where, body)
        if theme and quote:
            out.append(ThemeRef(pid, theme, quote))
    return tuple(out)
