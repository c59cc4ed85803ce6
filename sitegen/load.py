"""Stage 1, load: read the corpus files into plain data, remembering line numbers.

Nothing here judges the content; it only turns bytes into text and YAML into
dicts, reporting what cannot be read (encoding, syntax, size) as Problems.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .checks import read_capped
from .load_yaml import LineDict, LineList, _LineLoader, parse_yaml  # noqa: F401 (the loader's names, for callers)
from .model import Problem

# A hand-edited plan file is a few tens of KB; anything this large is a mistake
# (a PDF saved under the wrong name, a dump) and would only slow the build down.
MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass
class SourceFile:
    """A corpus file read as text: its display path and NFC text with LF line ends."""

    path: str
    text: str
    offset_line: int = 0  # lines before `text` in the real file (front matter body)


@dataclass
class RawPlan:
    """A plan's two files, parsed but not yet validated."""

    id: str
    md_path: str
    yaml_path: str
    meta: dict
    meta_line: int
    body: str
    body_line: int  # line of the body's first line in the .md file
    data: dict | None  # None when the data file is missing or cannot be read (already reported)


@dataclass
class RawCorpus:
    """Everything read from corpus/, before validation."""

    root: Path
    plans: list[RawPlan] = field(default_factory=list)
    tables: dict[str, list] = field(default_factory=dict)  # taxonomy, units, ... -> entries
    table_paths: dict[str, str] = field(default_factory=dict)
    changelog: str = ""
    site: dict | None = None  # corpus/site.yaml, the site's settings (None when absent or unreadable)
    site_path: str = ""
    load_errors: int = 0  # errors found while loading: some of the corpus is missing from it
    unread: frozenset[str] = frozenset()  # lookup tables missing or unreadable (their errors say why)


LOOKUP_TABLES = ("taxonomy", "subjects", "units", "themes", "agencies", "commitments", "plan_kinds",
                 "subject_families", "provinces")
OPTIONAL_TABLES = ("legal", "legal_names")


def display_path(path: Path, root: Path) -> str:
    """The path as a reader should see it in an error: corpus/plans/x.md."""
    try:
        return str(Path(root.name) / path.relative_to(root))
    except ValueError:
        return str(path)


def read_text(path: Path, shown: str) -> tuple[str | None, list[Problem]]:
    """Read a UTF-8 text file: strip a BOM, turn CRLF into LF, normalize to NFC."""
    try:
        data = read_capped(path, MAX_FILE_BYTES, "a corpus file")
    except OSError as exc:
        return None, [Problem("error", shown, "", f"cannot be read ({exc.strerror}).")]
    except ValueError as exc:
        fix = ("Split it or remove what is not the plan." if "MB" in str(exc) else
               "put the file itself here (a corpus file is plain UTF-8 text).")
        return None, [Problem("error", shown, "", f"{exc}{'. ' if 'MB' in str(exc) else ': '}{fix}")]
    if not data.strip():
        return None, [Problem("error", shown, "", "is empty: fill it in (corpus/README.md says what it holds).")]
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        return None, [Problem("error", shown, f"line {line}",
                              "contains NUL bytes: this is a binary file (or UTF-16), not UTF-8 text. "
                              "Replace it with the text saved as UTF-8.")]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(
            "error", shown, f"line {line}",
            f"is not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}). "
            "It may be saved as Windows-1258 or another legacy encoding: re-save it as UTF-8.")]
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text), []


# A `---` line with spaces or tabs after it: YAML still reads it as a document marker, the front
# matter's search for its closing line does not.
NL = "\n"
_SPACED_DASHES = re.compile(r"^---[ \t]+$", re.M)
# A front matter line: `key:` (ASCII, as every field is), an indented line or a list item.
_FIELD_LINE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*:(?:[ \t]|$)|[ \t]+\S|- ")


def split_front_matter(text: str, shown: str):
    """Split a Markdown file into (front matter text, its first line, body, body's first line)."""
    if not text.startswith("---\n"):
        if _SPACED_DASHES.match(text):
            return None, [Problem("error", shown, "line 1", "the '---' line opening the front matter has spaces "
                                                            "after it: delete them (the line must be exactly ---).")]
        return None, [Problem("error", shown, "line 1",
                              "must start with a '---' line opening the YAML front matter.")]
    end = text.find("\n---\n", 3)
    if end < 0:
        if text.endswith("\n---"):
            end = len(text) - 4
        elif spaced := _SPACED_DASHES.search(text, 4):
            return None, [Problem("error", shown, f"line {text.count(NL, 0, spaced.start()) + 1}",
                                  "this '---' line, which closes the front matter, has spaces after it: delete "
                                  "them (the line must be exactly ---).")]
        else:
            return None, [Problem("error", shown, "line 1",
                                  "the front matter opened here is not closed: add a '---' line after its "
                                  "last field.")]
    front = text[4:end + 1]
    body = text[end + 5:]
    body_line = front.count("\n") + 3
    if early := _closed_early(body, body_line):
        fields, second = early
        return None, [Problem("error", shown, f"line {body_line - 1}",
                              f"this '---' line ends the front matter early: the fields after it ({fields}) are "
                              f"read as the plan's text, up to the '---' on line {second}. Remove this line (a "
                              "'---' line may only open and close the front matter).")]
    return (front, 2, body, body_line), []


def _closed_early(body: str, body_line: int) -> tuple[str, int] | None:
    """When the body starts with nothing but field lines up to a second '---' line (a '---' line put
    inside the front matter closed it early): those fields (`a, b, …`) and the second '---' line's number."""
    stop = body.find("\n---\n")
    lines = [line for line in body[:stop].split("\n") if line.strip()] if stop > 0 else []
    keys = [line.split(":", 1)[0] for line in lines if line[:1].isalpha() or line[:1] == "_"]
    if not keys or not all(_FIELD_LINE.match(line) for line in lines):
        return None
    return ", ".join(keys[:4]) + (", …" if len(keys) > 4 else ""), body_line + body.count("\n", 0, stop) + 1


def load_corpus(root: Path, *, plans: bool = True) -> tuple[RawCorpus, list[Problem]]:
    """Read every corpus file (plans and lookup tables) into a RawCorpus; plans=False reads the
    lookup tables and changelog only (the build reads the plans in worker processes)."""
    problems: list[Problem] = []
    raw = RawCorpus(root=root)
    if not root.is_dir():
        return raw, [Problem("error", str(root), "", "the corpus folder does not exist.")]
    for name in LOOKUP_TABLES + OPTIONAL_TABLES:
        path = root / f"{name}.yaml"
        shown = display_path(path, root)
        raw.table_paths[name] = shown
        if not path.exists():
            if name in LOOKUP_TABLES:
                problems.append(Problem("error", shown, "", "is missing: every lookup table is required."))
            raw.tables[name] = []
            continue
        text, errs = read_text(path, shown)
        problems += errs
        if text is None:
            continue
        data, errs = parse_yaml(text, shown)
        problems += errs
        if errs:
            continue
        if not isinstance(data, list):
            problems.append(Problem("error", shown, "line 1", "must be a YAML list of entries."))
            continue
        raw.tables[name] = data
    raw.unread = frozenset(n for n in LOOKUP_TABLES if any(p.file == raw.table_paths[n] for p in problems))
    raw.site, errs = _load_site(root)
    raw.site_path = display_path(root / SITE_FILE, root)
    problems += errs
    changelog = root / "CHANGELOG.md"
    if changelog.exists() or changelog.is_symlink():
        text, errs = read_text(changelog, display_path(changelog, root))
        problems += errs
        raw.changelog = text or ""
    else:
        problems.append(Problem("error", display_path(changelog, root), "",
                                "is missing: its first `## ` heading is the data version (e.g. `## 2026.11.1`) that "
                                "names the release files. Create it with that heading and a line saying what the "
                                "data holds (see corpus/README.md)."))
    if not plans:
        raw.load_errors = sum(p.severity == "error" for p in problems)
        return raw, problems
    pairs, before, after = plan_files(root)
    problems += before
    for md, data_path in pairs:
        plan, errs = load_plan(md, data_path, root)
        problems += errs
        if plan:
            raw.plans.append(plan)
    problems += after
    raw.load_errors = sum(p.severity == "error" for p in problems)
    return raw, problems


SITE_FILE = "site.yaml"


def _load_site(root: Path) -> tuple[dict | None, list[Problem]]:
    """corpus/site.yaml as a mapping (None when the file is absent: the defaults apply)."""
    path = root / SITE_FILE
    shown = display_path(path, root)
    if not path.exists():
        return None, []
    return read_mapping(path, shown, "of settings (name, site_url, publisher, licence, contact)")


def read_mapping(path: Path, shown: str, holding: str) -> tuple[dict | None, list[Problem]]:
    """A YAML file that must hold one mapping (None when it cannot be read), with its problems."""
    text, problems = read_text(path, shown)
    if text is None:
        return None, problems
    data, errs = parse_yaml(text, shown)
    if errs:
        return None, problems + errs
    if not isinstance(data, dict):
        return None, problems + [Problem("error", shown, "line 1", f"must be a YAML mapping {holding}.")]
    return data, problems


# Files editors and systems leave beside the files being edited: Emacs lock files (.#x.md, a
# dangling link while x.md is open) and auto-saves (#x.md#), Vim swap files (.x.md.swp) and its
# write test (4913), backups (x.md~), LibreOffice locks (.~lock.x#), .DS_Store. Ignored, unreported.
def editor_leftover(name: str) -> bool:
    """True for a file name editors leave behind (corpus/README.md lists them)."""
    return name.startswith((".", "#")) or name.endswith("~") or name == "4913"


def plan_files(root: Path) -> tuple[list[tuple[Path, Path | None]], list[Problem], list[Problem]]:
    """The plans' (text, data) file pairs in name order, with the problems of the plans folder:
    those reported before the plans (no plan at all) and after them (orphan or stray files).
    Editors' leftovers (editor_leftover) are ignored."""
    plans_dir = root / "plans"
    md_files = sorted(p for p in plans_dir.glob("*.md") if not editor_leftover(p.name)) \
        if plans_dir.is_dir() else []
    yaml_files = {p.stem: p for p in sorted(plans_dir.glob("*.yaml")) if not editor_leftover(p.name)} \
        if plans_dir.is_dir() else {}
    before: list[Problem] = []
    if not md_files:
        before.append(Problem("error", display_path(plans_dir, root), "", "contains no plan (*.md)."))
    pairs = [(md, yaml_files.pop(md.stem, None)) for md in md_files]
    after: list[Problem] = []
    for stem, path in sorted(yaml_files.items()):
        after.append(Problem("error", display_path(path, root), "",
                             f"has no matching plan text: create plans/{stem}.md or remove it."))
    others = sorted(p for p in plans_dir.iterdir() if p.suffix not in (".md", ".yaml")
                    and not editor_leftover(p.name)) if plans_dir.is_dir() else []
    for path in others:
        after.append(Problem("warning", display_path(path, root), "",
                             "is neither a plan text (.md) nor a plan's data (.yaml) and is ignored: "
                             "rename it (e.g. .yml to .yaml) or move it out of plans/."))
    return pairs, before, after


def load_plan(md: Path, data_path: Path | None, root: Path) -> tuple[RawPlan | None, list[Problem]]:
    """One plan's text and data file, parsed (None when the text cannot be read), with its problems."""
    shown = display_path(md, root)
    yaml_shown = display_path(md.with_suffix(".yaml"), root)
    # The data file is read first, so that its problems are reported even when the .md cannot be read.
    data, problems = _load_data(data_path, yaml_shown)
    text, errs = read_text(md, shown)
    if text is None:
        return None, errs + problems
    parts, errs = split_front_matter(text, shown)
    if errs:
        return None, errs + problems
    front, front_line, body, body_line = parts
    meta, errs = parse_yaml(front, shown, front_line)
    if errs:
        return None, errs + problems
    if not isinstance(meta, dict):
        return None, [Problem("error", shown, f"line {front_line}",
                              "front matter must be a YAML mapping of fields (`field: value` lines).")] + problems
    return RawPlan(id=md.stem, md_path=shown, yaml_path=yaml_shown, meta=meta,
                   meta_line=front_line, body=body, body_line=body_line, data=data), problems


def _load_data(data_path: Path | None, yaml_shown: str) -> tuple[dict | None, list[Problem]]:
    """A plan's data file as a mapping (None when it cannot be read), with its problems."""
    if data_path is None:
        return None, [Problem("error", yaml_shown, "",
                              "is missing: every plan needs its data file (use `targets: []` "
                              "when the plan states no target).")]
    return read_mapping(data_path, yaml_shown, "with targets, commitments, tasks, themes")
