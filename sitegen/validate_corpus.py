"""Stage 2, validate (corpus): the lookup tables, checked before any plan, and the Corpus finished after all plans."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .checks import MAX_ID_LENGTH, NO_VERSION, data_version, invisible, invisible_message, short, too_long
from .load import RawCorpus
from .model import Category, Corpus, Label, Lookups, Plan, Problem
from .textutil import fold, strip_accents
from .validate_fields import Checker, line_of, text_field
from .validate_scope import SCOPE_TABLES, check_hierarchies, unused_lookups

LOOKUP_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
# The data version names files and ZIP folders of the release: it must be a plain version.
DATA_VERSION = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.-]{0,39}$")
AGENCY_KINDS = ("trung-uong", "tinh", "huyen", "xa", "doan-the")


def _lookup_table(name: str, entries: list, shown: str, problems: list[Problem],
                  required: tuple[str, ...]) -> dict[str, dict]:
    ck = Checker(shown, problems)
    table: dict[str, dict] = {}
    for i, entry in enumerate(entries or []):
        where = f"[{i}]."
        line = (entries.lines[i] if hasattr(entries, "lines") else None)
        if not isinstance(entry, dict):
            ck.error(f"[{i}]", "must be a mapping with " + ", ".join(required) + ".", line)
            continue
        values = {}
        for key in required:
            values[key] = text_field(ck, entry, key, where)
        for key in entry:
            if key not in required and key not in ("aliases", "kind", "family", "broader"):
                # In a flow mapping, `{vi: a, b, en: c}` reads "b" as a key: the label is cut short.
                ck.error(f"{where}{key}", f"{str(key)!r} is not a field of a {name} entry: if it is the end of "
                                          "a value that has a comma, put the value in quotes (vi: \"a, b\").",
                         line_of(entry, key) or line)
        ident = values.get("id")
        if ident is None:
            continue
        id_line = line_of(entry, "id") or line
        if not LOOKUP_ID.match(ident):
            fixed = re.sub(r"[^a-z0-9_-]+", "-", strip_accents(ident)).strip("-_0123456789")
            ck.error(f"{where}id", f"{short(ident)!r}: ids are lower-case ASCII letters, digits, - and _, starting "
                                   f"with a letter: write {fixed or 'ma-tuy'!r} or another such id (and use it "
                                   "where the plans mean this entry).", id_line)
            continue
        if len(ident) > MAX_ID_LENGTH:
            ck.error(f"{where}id", too_long(ident), id_line)
            continue
        if ident in table:
            ck.error(f"{where}id", f"{ident!r} is defined twice in {name} (first on line {table[ident]['_line']}): "
                                   "keep one of the two entries, or give this one an id of its own.", id_line)
            continue
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            ck.error(f"{where}aliases", "must be a list of names.", line)
            aliases = []
        for a in aliases:
            if invisible(a):
                ck.error(f"{where}aliases", f"{a!r} " + invisible_message(invisible(a)), line_of(entry, "aliases"))
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
    broken: frozenset[str] = frozenset()  # tables with errors: references to them are not checked (Checker)


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
    for name in ("taxonomy", *plain):  # `[]`: as empty as an empty file, and every reference to it would fail
        if raw.tables.get(name) == [] and name not in raw.unread:
            problems.append(Problem("error", tp.get(name, ""), "line 1", "has no entries: fill it in (corpus/README.md "
                                                                         "says what it holds)."))
    # A table that is unreadable or lost an entry to an error: what refers to it is not checked, since
    # every reference to the lost ids would repeat that error (33 to 81 times on the real corpus).
    broken = raw.unread | {name for name in ("taxonomy", *plain) if any(
        p.file == tp.get(name) and p.severity == "error" for p in problems)}
    check_hierarchies(plain, lambda name: Checker(tp.get(name, ""), problems, broken))
    for k, v in plain["units"].items():
        if v["kind"] not in ("percent", "count", "rate"):
            Checker(tp["units"], problems).error(f"{k}.kind", "must be percent, count or rate.", v["_line"])
    for k, v in plain["agencies"].items():
        if v["kind"] not in AGENCY_KINDS:
            Checker(tp["agencies"], problems).error(f"{k}.kind", f"must be one of: {', '.join(AGENCY_KINDS)}.",
                                                     v["_line"])
    alias_index = agency_alias_index(lookups.agencies, tp.get("agencies", ""), problems)
    return LookupTables(lookups, alias_index, plain, frozenset(broken)), problems


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
