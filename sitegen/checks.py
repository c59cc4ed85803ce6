"""Checks several stages share: what a file must be (the loader, the citation command), characters
no text may hold, id lengths, and the checks across plans (ids, provinces).

Each returns what is wrong in words (or Problems), for its caller to report with a file and a field.
"""
from __future__ import annotations

import os
import stat
import unicodedata
from pathlib import Path

from .model import Problem
from .textutil import fold, slugify, squash

MAX_ID_LENGTH = 80  # ids name pages and files (three of them in a chart's id): short enough for any file system
ID_LIMIT = f"at most {MAX_ID_LENGTH} characters"
MAX_PROVINCE_SLUG = 200  # a province's page name (provinces/<slug>.html): within any file system's 255 bytes
# A target value beyond this is a typo, and too large for every reader of the data (JSON, spreadsheets).
MAX_VALUE = 1e15


def not_a_file(mode: int) -> str:
    """What a file that is not a regular file is ("" for a regular file): reading a named pipe
    or a device would hang the build or never end."""
    if stat.S_ISREG(mode):
        return ""
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"))
    return next((name for test, name in kinds if test(mode)), "not a regular file")


def read_capped(path: Path, limit: int, what: str) -> bytes:
    """A regular file's bytes, at most `limit` of them; ValueError says why not ("is a named pipe
    (FIFO), not a regular file", "is 6.0 MB; <what> may be at most 5 MB"); OSError when unreadable."""
    st = os.stat(path)
    kind = not_a_file(st.st_mode)
    if kind:
        raise ValueError(f"is {kind}, not a regular file")
    if st.st_size > limit:
        raise ValueError(f"is {st.st_size / 1048576:.1f} MB; {what} may be at most {limit // 1048576} MB")
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)  # no more, even if the file grows meanwhile
    if len(data) > limit:
        raise ValueError(f"is larger than {limit // 1048576} MB; {what} may be at most {limit // 1048576} MB")
    return data


def invisible(text: str) -> str:
    """The first character of a text that is a control or an invisible format character, named
    (U+202E RIGHT-TO-LEFT OVERRIDE), or "": such characters reverse, hide or cut the text around
    them on a page; tab and line feed are white space and fine."""
    # Most texts have none: str.isprintable is False for every Cc, Cf, Co and Cs character (and for a
    # few more, such as no-break spaces, which the loop below then clears), and is one pass in C where
    # the loop was a fifth of reading a plan (profiled). Tabs and line feeds go by str.replace, a
    # search in C: str.translate goes character by character through a table.
    if text.isprintable() or text.replace("\t", "").replace("\n", "").isprintable():
        return ""
    for c in text:
        if c not in "\t\n" and unicodedata.category(c) in ("Cc", "Cf", "Co", "Cs"):
            name = unicodedata.name(c, "")
            return f"U+{ord(c):04X} {name}" if name else f"U+{ord(c):04X} (a control character)"
    return ""


def invisible_at(text: str) -> int:
    """Where the first character `invisible` names is in the text (-1: none)."""
    found = invisible(text)
    return text.index(chr(int(found[2:].split(" ", 1)[0], 16))) if found else -1


def invisible_message(found: str) -> str:
    """What to say about an invisible character `invisible` found."""
    return (f"contains the invisible character {found}, which changes how the text around it shows (or hides "
            "it) on a page: delete it (an editor that shows invisible characters finds it).")


def other_digits(text: str) -> bool:
    """True when a text writes digits other than 0-9 (full-width, Arabic-Indic ...)."""
    return any(c.isdigit() and not c.isascii() for c in text)


def digits_note(quote: str) -> str:
    """Why a value is not found in a quote that writes digits other than 0-9 ("" if it does not)."""
    return (" (its digits are not 0-9: full-width or Arabic-Indic digits are not read as numbers; the plan text "
            "and the quote must write the number with 0-9)" if other_digits(quote) else "")


NO_VERSION = ("has no `## ` heading: its first `## ` heading is the data version that names the release files. "
              "Add one above the newest changes, e.g. `## 2026.11.1`.")


def short(text: str, n: int = 80) -> str:
    """A text cut to n characters (for messages)."""
    return text if len(text) <= n else text[: n - 1] + "…"


def too_long(ident: str) -> str:
    """The message for an id over MAX_ID_LENGTH."""
    return (f"{short(ident, 40)!r} is {len(ident)} characters long; an id may have {ID_LIMIT} "
            "(it names pages and files): shorten it.")


def province_clashes(plans: list[tuple[str, str, dict]], units: dict | None = None) -> list[Problem]:
    """Errors for provinces written differently (letter case, spacing) that would share one page;
    plans are (file stem, .md path, front matter), as for duplicate_ids; units the province table's
    units (model.Province by id). The plans blamed are those that write the name otherwise than the
    table: never a plan written as the table has it, however many plans share another spelling."""
    problems: list[Problem] = []
    spellings: dict[str, dict[str, list[tuple[str, dict]]]] = {}
    for _, md_path, meta in plans:
        name = meta.get("province")
        if isinstance(name, str) and slugify(name) and not invisible(name):  # invisible: reported by validate_plan
            spellings.setdefault(slugify(name), {}).setdefault(squash(name), []).append((md_path, meta))
    table: dict[str, set[str]] = {}  # folded name -> the table's spellings of it (name and aliases)
    for unit in (units or {}).values():
        for name in (unit.vi, *unit.aliases):
            table.setdefault(fold(name), set()).add(squash(name))
    for slug, names in sorted(spellings.items()):
        if len(names) < 2:
            continue
        # Without a table, the spelling most plans use is the one to keep (ties: the first in name order).
        ranked = sorted(names.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        for name, uses in ranked[0 if table else 1:]:
            if table:
                right = table.get(fold(name))
                if right is None or name in right:  # no unit of that name: lineage.resolve says so
                    continue
                keep = min(right)
                written = f"corpus/provinces.yaml, which writes {keep!r}" + (
                    f" (as {names[keep][0][0]} does)" if keep in names else "")
            else:
                keep = ranked[0][0]
                written = f"{keep!r} ({names[keep][0][0]})"
            for md_path, meta in uses:
                problems.append(_problem(
                    md_path, "province", meta, f"{name!r} is written differently from {written}, but both give "
                    f"the page provinces/{slug}.html: write the province exactly as {keep!r} (same letter case and "
                    "spacing)."))
    return problems


def duplicate_ids(plans: list[tuple[str, str, dict]]) -> list[Problem]:
    """Errors for plan ids claimed by two files; plans are (file stem, .md path, front matter)."""
    problems: list[Problem] = []
    claimed: dict[str, list[tuple[str, str, dict]]] = {}
    for entry in plans:
        ident = entry[2].get("id")
        if isinstance(ident, str):
            claimed.setdefault(ident.strip(), []).append(entry)
    for ident, entries in sorted(claimed.items()):
        entries.sort(key=lambda e: e[0] != ident)  # the file named after the id owns it
        for _, md_path, meta in entries[1:]:
            problems.append(_problem(
                md_path, "id", meta, f"plan id {ident!r} is already used by {entries[0][1]}: ids must be unique. "
                "Give this plan its own id and name its two files after it."))
    return problems


def _problem(md_path: str, field: str, meta: dict, message: str) -> Problem:
    line = getattr(meta, "lines", {}).get(field)
    return Problem("error", md_path, f"line {line} (field {field})" if line else f"field {field}", message)


def data_version(changelog: str) -> str:
    """The data version: the first `## ` heading of corpus/CHANGELOG.md."""
    for line in changelog.splitlines():
        if line.startswith("## "):
            return line[3:].strip()
    return "0"
