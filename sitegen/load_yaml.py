"""Stage 1, load (YAML): the corpus' safe YAML reader, which remembers the line of every key and item.

Split from load.py, which reads files and finds the front matter; this module turns YAML text into
LineDicts and LineLists (or a Problem naming the line and the fix), and nothing else.
"""
from __future__ import annotations

import re

import yaml

from .model import Problem

class LineDict(dict):
    """A dict from YAML that knows the line of each key (1-based) and, in `words`, how each value
    read as true or false was written (no, Off, y ...: see yaml_word)."""

    lines: dict
    line: int


def yaml_word(mapping, key) -> str:
    """How the true/false value of `key` was written in the file ("no", "Yes", "false"), or ""."""
    return getattr(mapping, "words", {}).get(key, "")


def _remember_word(result: LineDict, key, word: str) -> None:
    # Only for booleans, which are few: most mappings carry no `words` at all.
    result.__dict__.setdefault("words", {})[key] = word


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
        if value_node.tag == _BOOL_TAG:
            _remember_word(result, key, value_node.value)
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
                if value.__class__ is bool:
                    _remember_word(result, key, event.value)
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
        if "nesting depth" in what:  # libyaml's own limit (PyYAML 6.0.4 and later), before Python's is reached
            return None, [_too_deep(shown)]
        if what == "but found another document":  # a `---` line (with spaces after it, perhaps) in the text
            return None, [Problem("error", shown, f"line {line}", _second_document(text, line - first_line,
                                                                                   first_line > 1))]
        if isinstance(exc, (yaml.constructor.ConstructorError, yaml.composer.ComposerError)):
            if "tag" in what:  # !!python/object and the like: never constructed
                what += ": remove the tag, corpus values are plain text, numbers, lists and mappings"
            return None, [Problem("error", shown, f"line {line}", f"YAML error: {what}.")]
        return None, [Problem("error", shown, f"line {line}",
                              f"YAML syntax error: {what}. Check quoting and indentation.")]
    except yaml.YAMLError as exc:
        return None, [Problem("error", shown, "", f"YAML error: {exc}")]
    except RecursionError:
        return None, [_too_deep(shown)]


def _too_deep(shown: str) -> Problem:
    """The error for YAML nested deeper than a reader goes (libyaml's limit or Python's recursion limit)."""
    return Problem("error", shown, "", "YAML is nested too deeply to be read: flatten it (a corpus file needs a "
                                       "few levels).")


def _second_document(text: str, index: int, front_matter: bool) -> str:
    """What to say about a '---' line (line `index` of the text) that starts a second YAML document."""
    line = text.split("\n")[index] if index < text.count("\n") + 1 else "---"
    spaces = line.rstrip() != line
    if front_matter:
        return ("a '---' line inside the front matter ends it early here, and YAML reads what follows it as a "
                "second document: remove this line" + (" (or, if it is meant to close the front matter, delete "
                                                       "the spaces after it: the line must be exactly ---)."
                                                       if spaces else "."))
    return ("a '---' line starts a second YAML document here, but a corpus file holds one: remove this line (or "
            "put the value in quotes if it is text that starts with ---).")
