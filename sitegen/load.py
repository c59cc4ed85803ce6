"""Stage 1, load: read the corpus files into plain data, remembering line numbers.

Nothing here judges the content; it only turns bytes into text and YAML into
dicts, reporting what cannot be read (encoding, syntax, size) as Problems.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .checks import read_capped
from .model import Problem

# A hand-edited plan file is a few tens of KB; anything this large is a mistake
# (a PDF saved under the wrong name, a dump) and would only slow the build down.
MAX_FILE_BYTES = 5 * 1024 * 1024


class LineDict(dict):
    """A dict from YAML that knows the line of each key (1-based)."""

    lines: dict
    line: int


class LineList(list):
    """A list from YAML that knows the line of each item (1-based)."""

    lines: list
    line: int


# libyaml's parser (C) when PyYAML has it: a plan's data file parses several times faster. The
# constructors below stay in Python, so values and line numbers are the same with either.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):
    """SafeLoader that records line numbers on mappings and sequences.

    `line_offset` is the number of lines of the file before the parsed text (front
    matter starts on line 2), so that recorded lines are lines of the file. Anchors and
    aliases (&x, *x) are refused: a hand-edited corpus does not need them, and a few
    nested aliases expand into billions of items (a "billion laughs" file).
    """

    line_offset = 0


def _refuse_aliases(text: str) -> None:
    """Raise a ComposerError at the first alias (*x): checked on the event stream, before composing."""
    if "*" not in text:
        return
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.events.AliasEvent):
            raise _alias_error(event)


def _alias_error(event) -> yaml.composer.ComposerError:
    return yaml.composer.ComposerError(
        None, None, f"an alias (*{event.anchor}) is not allowed: write the value out", event.start_mark)


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    result = LineDict()
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be plain text", key_node.start_mark)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"{key!r} is given twice: keep one of the two", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = key_node.start_mark.line + 1 + loader.line_offset
    return result


def _construct_sequence(loader, node):
    result = LineList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1 + loader.line_offset
    result.lines = [child.start_mark.line + 1 + loader.line_offset for child in node.value]
    return result


_DECIMAL_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_DECIMAL_FLOAT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")


def _construct_int(loader, node):
    # YAML 1.1 (PyYAML) reads 0100 as octal 64, 010 as 8, 0x10, 0b10, 1_000 and 1:30 (base 60) as
    # numbers too: a hand-edited corpus means none of these, so each is refused with what to write.
    text = node.value
    if _DECIMAL_INT.fullmatch(text):
        return int(text)
    value = yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)
    sign, digits = ("-", text[1:]) if text[:1] in "+-" else ("", text.lstrip("+"))
    if ":" in text:
        what = f"would be read as the base-60 number {value} (YAML 1.1 reads a:b that way)"
        fix = f'put it in quotes ("{text}") if it is a time or a ratio'
    elif "_" in text:
        what = f"would be read as the number {value} (YAML drops the _)"
        fix = f"write {value} without _, or put it in quotes if it is text"
    elif digits[:2].lower() in ("0x", "0b"):
        what = f"is a {'hexadecimal' if digits[1] in 'xX' else 'binary'} number in YAML ({value})"
        fix = f"write {value} in decimal digits, or put it in quotes if it is text"
    else:
        what = f"starts with 0, so YAML 1.1 reads it as the octal number {value}"
        fix = f'write {sign}{digits.lstrip("0_") or "0"}, or put it in quotes ("{text}") if it is text'
    raise yaml.constructor.ConstructorError(None, None, f"{text} {what}: {fix}", node.start_mark)


def _construct_float(loader, node):
    text = node.value
    if _DECIMAL_FLOAT.fullmatch(text) or text.lstrip("+-").lower() in (".inf", ".nan"):
        return yaml.constructor.SafeConstructor.construct_yaml_float(loader, node)
    raise yaml.constructor.ConstructorError(
        None, None, f"{text} is not a plain number (YAML 1.1 would read it with _ dropped or as base 60): "
                    f"write the number with digits and one decimal point, or put it in quotes if it is text",
        node.start_mark)


def _construct_timestamp_as_text(loader, node):
    # Dates stay text: validation parses them itself and reports bad ones with
    # their field, instead of PyYAML turning "2021-02-31" into a crash.
    return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)
_LineLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_LineLoader.add_constructor("tag:yaml.org,2002:float", _construct_float)


# The constructors above are PyYAML's generic machinery: for a plan's data file (~700 nodes) they
# take two thirds of the reading time, libyaml the rest. The functions below build the same
# LineDicts and LineLists straight from libyaml's events, in one pass. They handle only what the
# corpus is made of (untagged scalars, mappings with distinct plain keys, sequences, one document)
# and give up with _Unusual on anything else, so that the constructors above decide every other
# case: values, line numbers and errors are then theirs by construction, not by imitation.


class _Unusual(Exception):
    """Something the event reader leaves to the constructors (a tag, an anchor, a merge key, ...)."""


class _AliasFound(Exception):
    def __init__(self, event):
        super().__init__()
        self.event = event


# The constructors report "nested too deeply" where Python's recursion limit is reached; the event
# reader leaves deep files to them rather than reaching that limit at another depth.
_MAX_DEPTH = 50

_ScalarEvent = yaml.events.ScalarEvent
_MappingStartEvent = yaml.events.MappingStartEvent
_MappingEndEvent = yaml.events.MappingEndEvent
_SequenceStartEvent = yaml.events.SequenceStartEvent
_SequenceEndEvent = yaml.events.SequenceEndEvent
_AliasEvent = yaml.events.AliasEvent
_StreamEndEvent = yaml.events.StreamEndEvent

_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_INT_TAG = "tag:yaml.org,2002:int"
_BOOL_VALUES = yaml.constructor.SafeConstructor.bool_values
_KEY_TYPES = frozenset((str, int, float, bool, type(None)))

# The resolver's rules by first character, each list already followed by the rules for any
# character, in the order Resolver.resolve tries them.
_WILDCARD_RESOLVERS = list(_LineLoader.yaml_implicit_resolvers.get(None, []))
_RESOLVERS = {first: [*rules, *_WILDCARD_RESOLVERS]
              for first, rules in _LineLoader.yaml_implicit_resolvers.items() if first is not None}


# Plain scalars repeat (every key of every target, null, years): their values by text. Floats stay
# out: two .nan keys are two distinct keys only while they are two objects.
_PLAIN_VALUES: dict = {}
_PLAIN_VALUES_MAX = 4096
_MISSING = object()


def _plain_scalar(loader, event):
    # An untagged plain scalar: typed by the resolver's rules, built by _LineLoader's own
    # constructor. null, bool and decimal ints are built here because they are most of the corpus.
    value = event.value
    known = _PLAIN_VALUES.get(value, _MISSING)
    if known is not _MISSING:
        return known
    for tag, regexp in _RESOLVERS.get(value[:1], _WILDCARD_RESOLVERS):
        if regexp.match(value):
            break
    else:
        tag = None
    if tag is None:
        result = value
    elif tag == _NULL_TAG:
        result = None
    elif tag == _BOOL_TAG:
        result = _BOOL_VALUES[value.lower()]
    elif tag == _INT_TAG and value.isdecimal() and (value[0] != "0" or value == "0"):
        result = int(value)
    else:
        constructor = _LineLoader.yaml_constructors.get(tag)
        if constructor is None:  # << (merge) and = (value): only flatten_mapping knows them
            raise _Unusual
        node = yaml.nodes.ScalarNode(tag, value, event.start_mark, event.end_mark, event.style)
        return constructor(loader, node)
    if len(_PLAIN_VALUES) < _PLAIN_VALUES_MAX:
        _PLAIN_VALUES[value] = result
    return result


def _event_node(loader, get, event, offset, depth):
    kind = event.__class__
    if kind is _ScalarEvent:
        if event.tag is not None or event.anchor is not None:
            raise _Unusual
        return _plain_scalar(loader, event) if event.implicit[0] else event.value
    if kind is _MappingStartEvent:
        return _event_mapping(loader, get, event, offset, depth + 1)
    if kind is _SequenceStartEvent:
        return _event_sequence(loader, get, event, offset, depth + 1)
    if kind is _AliasEvent:
        raise _AliasFound(event)
    raise _Unusual


def _event_mapping(loader, get, start, offset, depth):
    if start.tag is not None or start.anchor is not None or depth > _MAX_DEPTH:
        raise _Unusual
    result = LineDict()
    result.line = start.start_mark.line + offset
    lines = result.lines = {}
    while True:
        event = get()
        kind = event.__class__
        if kind is _ScalarEvent:
            if event.tag is not None or event.anchor is not None:
                raise _Unusual
            key = event.value
            if event.implicit[0]:
                key = _PLAIN_VALUES.get(key, _MISSING)
                if key is _MISSING:
                    key = _plain_scalar(loader, event)
            if key.__class__ not in _KEY_TYPES or key in result:
                raise _Unusual
        elif kind is _MappingEndEvent:
            return result
        elif kind is _AliasEvent:
            raise _AliasFound(event)
        else:  # a mapping or a list as a key
            raise _Unusual
        line = event.start_mark.line + offset
        event = get()
        if event.__class__ is _ScalarEvent and event.tag is None and event.anchor is None:
            value = event.value
            if event.implicit[0]:
                value = _PLAIN_VALUES.get(value, _MISSING)
                if value is _MISSING:
                    value = _plain_scalar(loader, event)
            result[key] = value
        else:
            result[key] = _event_node(loader, get, event, offset, depth)
        lines[key] = line


def _event_sequence(loader, get, start, offset, depth):
    if start.tag is not None or start.anchor is not None or depth > _MAX_DEPTH:
        raise _Unusual
    result = LineList()
    result.line = start.start_mark.line + offset
    lines = result.lines = []
    while True:
        event = get()
        if event.__class__ is _SequenceEndEvent:
            return result
        result.append(_event_node(loader, get, event, offset, depth))
        lines.append(event.start_mark.line + offset)


def _event_document(loader):
    get = loader.get_event
    get()  # StreamStartEvent
    if get().__class__ is _StreamEndEvent:  # else DocumentStartEvent
        return None
    data = _event_node(loader, get, get(), loader.line_offset + 1, 0)
    get()  # DocumentEndEvent
    if get().__class__ is not _StreamEndEvent:
        raise _Unusual  # a second document: get_single_data's error
    return data


def _read_yaml(text: str, line_offset: int):
    loader = _LineLoader(text)
    loader.line_offset = line_offset
    try:
        return _event_document(loader)
    except _AliasFound as found:
        # _refuse_aliases would stop at this same alias: the events before it parsed without error.
        raise _alias_error(found.event) from None
    except (_Unusual, yaml.YAMLError, ValueError, RecursionError):
        # The general path decides, also for errors: it composes the whole document before
        # constructing it, so its first error may be another one than the event reader's.
        pass
    finally:
        loader.dispose()
    _refuse_aliases(text)
    loader = _LineLoader(text)
    loader.line_offset = line_offset
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


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


def parse_yaml(text: str, shown: str, first_line: int = 1):
    """Parse YAML text with line numbers; a syntax error becomes a Problem.

    `first_line` is the line of the file the text starts on; every recorded line counts from it.
    """
    try:
        return _read_yaml(text, first_line - 1), []
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        what = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, (yaml.constructor.ConstructorError, yaml.composer.ComposerError)):
            if "tag" in what:  # !!python/object and the like: never constructed
                what += ": remove the tag, corpus values are plain text, numbers, lists and mappings"
            return None, [Problem("error", shown, f"line {line}", f"YAML error: {what}.")]
        return None, [Problem("error", shown, f"line {line}",
                              f"YAML syntax error: {what}. Check quoting and indentation.")]
    except yaml.YAMLError as exc:
        return None, [Problem("error", shown, "", f"YAML error: {exc}")]
    except RecursionError:
        return None, [Problem("error", shown, "", "YAML is nested too deeply to be read: "
                                                  "flatten it (a corpus file needs a few levels).")]


def split_front_matter(text: str, shown: str):
    """Split a Markdown file into (front matter text, its first line, body, body's first line)."""
    if not text.startswith("---\n"):
        return None, [Problem("error", shown, "line 1",
                              "must start with a '---' line opening the YAML front matter.")]
    end = text.find("\n---\n", 3)
    if end < 0:
        if text.endswith("\n---"):
            end = len(text) - 4
        else:
            return None, [Problem("error", shown, "line 1",
                                  "the front matter opened here is not closed: add a '---' line after its "
                                  "last field.")]
    front = text[4:end + 1]
    body = text[end + 5:]
    body_line = front.count("\n") + 3
    return (front, 2, body, body_line), []


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
