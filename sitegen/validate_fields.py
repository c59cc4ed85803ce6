"""Stage 2, validate (fields): one field of a YAML mapping read and checked, each problem with its file, field and line.

The readers here are shared by the checks of a plan (validate.py) and of the lookup tables
(validate_corpus.py): each returns the checked value, or None after reporting what is wrong and how to fix it.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from .checks import MAX_VALUE, invisible, invisible_message, other_digits, short
from .load_yaml import yaml_word
from .model import UNKNOWN, Problem
from .textutil import nearest_text, squash

# ASCII digits only ([0-9], not \d: Python's \d also matches full-width and Arabic-Indic digits).
ISO_DATE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")


class Checker:
    """Collects problems for one file, naming fields and their lines.

    `unchecked` names the lookup tables with errors of their own: a reference to an id they lack is not
    reported (the table's error is the cause, and would be repeated for every use), only counted in
    `skipped`, so that the item is still refused."""

    def __init__(self, file: str, problems: list[Problem], unchecked: frozenset[str] = frozenset()):
        self.file = file
        self.problems = problems
        self.unchecked = unchecked
        self.skipped = 0

    def error(self, where: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem("error", self.file, _where(where, line), message))

    def warn(self, where: str, message: str, line: int | None = None) -> None:
        self.problems.append(Problem("warning", self.file, _where(where, line), message))


def _where(field: str, line: int | None) -> str:
    if line:
        return f"line {line} (field {field})" if field else f"line {line}"
    return f"field {field}" if field else ""


def line_of(mapping, key) -> int | None:
    """The line of `key` in a mapping read with line numbers (else the mapping's own line, or None)."""
    lines = getattr(mapping, "lines", None)
    if isinstance(lines, dict):
        return lines.get(key)
    return getattr(mapping, "line", None)


def text_field(ck: Checker, mapping: dict, key: str, where: str, *, required=True,
          allow_unknown=False) -> str | None:
    """A required or optional text field; `unknown` becomes None when allowed."""
    value = mapping.get(key) if isinstance(mapping, dict) else None
    # Most fields are plain printable text (checks.invisible finds nothing in those): returned here,
    # as the checks below would, without building the field's name for messages (this function runs
    # some 200 times a plan).
    if value.__class__ is str and (text := value.strip()) and text.isprintable() and text != UNKNOWN:
        return text
    name = f"{where}{key}"
    if value is None:
        if required and isinstance(mapping, dict) and key in mapping:  # `key:` with nothing after it
            ck.error(name, "is empty: " + ("write `unknown` if the source does not say." if allow_unknown
                                           else "give its value."), line_of(mapping, key))
        elif required:
            hint = " (write `unknown` if the source does not say)" if allow_unknown else ""
            ck.error(name, f"is missing: add `{key}: …`{hint}.", getattr(mapping, "line", None))
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, bool) and (word := yaml_word(mapping, key)) and word.lower() not in ("true", "false"):
        ck.error(name, f"must be text, but YAML reads {word} as `{str(value).lower()}`: put it in quotes "
                       f"({key}: \"{word}\").", line_of(mapping, key))
        return None
    if not isinstance(value, str):
        ck.error(name, f"must be text, not {_kind(value)}: write the text after the colon, in quotes if it "
                       "starts with [ or { or contains ': '.", line_of(mapping, key))
        return None
    value = value.strip()
    if not value:
        ck.error(name, "is empty: " + ("write `unknown` if the source does not say." if allow_unknown
                                       else "give its value."), line_of(mapping, key))
        return None
    found = invisible(value)
    if found:
        ck.error(name, invisible_message(found), line_of(mapping, key))
        return None
    if value == UNKNOWN:
        if allow_unknown:
            return None
        ck.error(name, "cannot be `unknown`: the source must give it.", line_of(mapping, key))
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


def date_field(ck: Checker, mapping: dict, key: str, where: str, *, required=True) -> str | None:
    """A YYYY-MM-DD date that exists, or None (`unknown`, or an error reported)."""
    raw = mapping.get(key)
    if raw is None and not required:
        return None
    value = text_field(ck, mapping, key, where, required=required, allow_unknown=True)
    if value is None:
        return None
    m = ISO_DATE.match(value)
    if not m:
        digits = " with the digits 0-9 (not full-width or other digits)" if other_digits(value) else ""
        ck.error(f"{where}{key}", f"{value!r} is not a date: write YYYY-MM-DD{digits} or `unknown`.",
                 line_of(mapping, key))
        return None
    try:
        date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        ck.error(f"{where}{key}", f"{value!r} is an impossible date (no such day): check the source.",
                 line_of(mapping, key))
        return None
    return value


def lines_field(ck: Checker, mapping: dict, key: str, where: str) -> tuple[str, ...]:
    """Lines of text (one text, or a list of them); () when absent or wrong."""
    value = mapping.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value.strip(),)
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        ck.error(f"{where}{key}", "must be a list of lines of text.", line_of(mapping, key))
        return ()
    lines = tuple(str(v).strip() for v in value)
    if found := next(filter(None, map(invisible, lines)), ""):
        ck.error(f"{where}{key}", invisible_message(found), line_of(mapping, key))
    return () if found else lines


def list_field(ck: Checker, data: dict, key: str) -> list:
    """The list of a plan data section (targets, commitments, ...); [] when absent or wrong."""
    items = data.get(key)
    if items is None:
        if key == "targets":
            ck.error("targets", "is missing: list the plan's targets, or write `targets: []` if it states none.")
        return []
    if not isinstance(items, list):
        ck.error(key, "must be a list.", line_of(data, key))
        return []
    return items


@dataclass(frozen=True)
class Blocks:
    """A plan text's paragraphs and headings, white space squashed: where its quotes must lie."""

    items: list[str]
    # The items joined by line breaks, which a squashed item or quote never holds: a quote is in
    # one item exactly when it is in this text, found by one search instead of one per item.
    joined: str

    @classmethod
    def of(cls, items: list[str]) -> Blocks:
        """The blocks of these squashed paragraphs and headings."""
        return cls(items, "\n".join(items))


def quote_field(ck: Checker, item: dict, where: str, blocks: Blocks) -> str | None:
    """A quote: verbatim (white space aside) within one paragraph or heading of the text."""
    quote = text_field(ck, item, "quote", where)
    if quote is None:
        return None
    wanted = squash(quote)
    # (An empty quote, which text_field never returns, is in every block: in `joined` only if any.)
    if (wanted in blocks.joined) if wanted else bool(blocks.items):
        return quote
    blocks = blocks.items
    if wanted in " ".join(blocks):
        ck.error(f"{where}quote", f"runs across two paragraphs or headings of the text: {short(quote)!r}. "
                                  "A quote must lie within one paragraph: shorten it to the part that says it.",
                 line_of(item, "quote"))
    else:
        ck.error(f"{where}quote", f"is not found verbatim in the plan's text: {short(quote)!r}. "
                                  "Copy it exactly from the .md body (diacritics, punctuation, spelling)."
                                  + _nearest_note(wanted, blocks), line_of(item, "quote"))
    return None


def _nearest_note(quote: str, blocks: list[str]) -> str:
    """' The nearest text is: ...' for a quote that is not verbatim, when the text has one close to it."""
    near = nearest_text(quote, blocks)
    return f" The nearest text is: {short(near, 200)!r}." if near else ""


def number_field(ck: Checker, item: dict, key: str, where: str, *, required: bool) -> float | None:
    """A finite number of at most 15 digits, as a float, or None."""
    value = item.get(key)
    if value is None or (value == UNKNOWN and not required):
        if required:
            ck.error(f"{where}{key}", "is missing: give the number the quote states.", getattr(item, "line", None))
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (
            isinstance(value, float) and not math.isfinite(value)):
        digits = " with the digits 0-9" if isinstance(value, str) and other_digits(value) else ""
        ck.error(f"{where}{key}", f"must be a number{digits}, not {short(repr(value))} (write 1330, not \"1.330\").",
                 line_of(item, key))
        return None
    if abs(value) > MAX_VALUE:
        ck.error(f"{where}{key}", f"{short(str(value), 30)} is too large: a target value has at most 15 digits. "
                                  "Check the number against the quote.", line_of(item, key))
        return None
    return float(value)


def choice_field(ck, item, key, where, allowed, *, required=True):
    """A text that must be one of `allowed`, or None."""
    value = text_field(ck, item, key, where, required=required)
    if value is not None and value not in allowed:
        ck.error(f"{where}{key}", f"{value!r} must be one of: {', '.join(allowed)}.", line_of(item, key))
        return None
    return value


def ref_field(ck, item, key, where, table: dict, table_name: str):
    """The id of an entry of a lookup table (corpus/<table_name>.yaml), or None."""
    return in_table(ck, item, key, where, text_field(ck, item, key, where), table, table_name)


def in_table(ck, item, key, where, value: str | None, table: dict, table_name: str) -> str | None:
    """`value` when it is an id of the lookup table (corpus/<table_name>.yaml), else None (reported)."""
    if value is not None and value not in table and table_name in ck.unchecked:
        ck.skipped += 1
        return None
    if value is not None and value not in table:
        ck.error(f"{where}{key}", f"{value!r} is not in corpus/{table_name}.yaml: use one of "
                                  f"{', '.join(sorted(table))}, or add it there.", line_of(item, key))
        return None
    return value
