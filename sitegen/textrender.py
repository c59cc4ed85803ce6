"""Render a plan's verbatim text: Markdown (raw HTML off) with section anchors, a table of
contents, highlighted target quotes, linked citations and noted garbled spots.

Annotations are found in the text of each paragraph, not in the rendered HTML,
so nothing from the corpus is ever inserted unescaped.
"""
from __future__ import annotations

import bisect
import functools
import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # markdown() is the reference blocks() is tested against: no build imports it
    from markdown_it import MarkdownIt

_ROMAN = re.compile(r"^([IVXL]+)\.\s")
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s")
_LETTER = re.compile(r"^([a-zđ])\)\s")
_LETTER_RANK = 9  # below any number: Roman is 1, "1." is 2, "2.1." is 3 ...


@dataclass(frozen=True)
class Annotation:
    """Something to mark in the text: a quote, a citation link or a garbled spot."""

    text: str  # verbatim; white space in it matches any white space
    kind: str  # "quote", "cite" or "garble"
    ident: str  # quote: target/commitment id; cite: URL; garble: the note
    label: str = ""  # quote: a short label for screen readers


@dataclass(frozen=True)
class TocEntry:
    """One heading of the text."""

    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class RenderedText:
    """The text as HTML, with its table of contents and the anchors quotes landed on."""

    html: str
    toc: tuple[TocEntry, ...]
    quote_anchors: dict[str, str]  # annotation ident -> anchor id, for every quote found
    section_of: dict[str, str]  # annotation ident -> id of the section it sits in


def markdown() -> MarkdownIt:
    """The one Markdown parser: ATX headings and paragraphs only, every other character kept as text."""
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
    # Plan texts are plain text with heading markers: lists, indented code, setext headings,
    # rules and block quotes would rewrite their own numbering, dashes and "> "; links are
    # never needed; entities, backslash escapes, backticks and emphasis would drop or change
    # characters of the verbatim text ("&amp;", "\\", "*báo cáo*"), and a quote would no
    # longer be found in what is shown.
    md.disable(["list", "code", "fence", "blockquote", "hr", "lheading", "html_block", "reference",
                "html_inline", "link", "image", "autolink", "entity", "escape", "backticks", "emphasis"])
    return md


# With every other rule off, markdown() parses a text into ATX headings and paragraphs of plain
# text and line breaks, nothing else. blocks() below does what that parser does, rule for rule
# (markdown-it-py 4.3: normalize, the block markers, the heading and paragraph rules, the text and
# newline rules, the renderer), in a fraction of the time: parsing with markdown-it was two thirds of
# rendering a plan's text, and that a third of a plan page's CPU (profiled, 300 plans).
# tests/test_textrender.py checks both give the same blocks and HTML, for every shape of text.

# The white space CommonMark trims (markdown_it.common.utils.MD_TRIM_CHARS: JavaScript's trim but U+FEFF).
_TRIM = "".join(map(chr, sorted({0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20, 0xA0, 0x1680, 0x202F, 0x205F, 0x3000,
                                 0x2028, 0x2029, *range(0x2000, 0x200B)})))
_LINE_ENDS = re.compile(r"\r\n?")


@dataclass(frozen=True)
class Block:
    """A heading or paragraph of a text, as markdown() parses it."""

    level: int  # a heading's level (1 to 6); 0 for a paragraph
    content: str  # its raw text (markdown-it's inline token's content)
    plain: str  # its text as shown: each line break a "\n", white space around line breaks dropped
    line: int = field(default=0, compare=False)  # the line it starts on, 0-based (markdown-it's map[0])


def blocks(body: str) -> list[Block]:
    """The headings and paragraphs of a plan body, in order, as markdown() parses them."""
    src = _LINE_ENDS.sub("\n", body).replace("\0", "\ufffd")
    lines = src.split("\n")
    if src.endswith("\n"):
        lines.pop()  # the line break ends the last line: no line after it
    elif lines and not lines[-1].strip(" \t"):
        lines.pop()  # a last line of spaces and tabs without a line break has no marker (StateBlock)
    out: list[Block] = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line.strip(" \t"):  # an empty line: spaces and tabs only
            i += 1
            continue
        level, content = _heading(line)
        if level:
            out.append(Block(level, content, content, i))  # one line, no line break
            i += 1
            continue
        # A paragraph: up to an empty line or a heading (a line indented four columns or more is
        # never a heading there, whatever it holds).
        j = i + 1
        while j < n:
            nxt = lines[j]
            rest = nxt.lstrip(" \t")
            if not rest:
                break
            if _columns(nxt[:len(nxt) - len(rest)]) <= 3 and _heading(nxt)[0]:
                break
            j += 1
        content = "\n".join(lines[i:j]).strip(_TRIM)
        out.append(Block(0, content, _plain(content), i))
        i = j
    return out


def _columns(indent: str) -> int:
    """The width of a line's indent of spaces and tabs, a tab to the next multiple of 4 (StateBlock.sCount)."""
    if "\t" not in indent:
        return len(indent)
    width = 0
    for c in indent:
        width += 4 - width % 4 if c == "\t" else 1
    return width


def _heading(line: str) -> tuple[int, str]:
    """(level, content) of an ATX heading line (markdown_it.rules_block.heading), else (0, "")."""
    pos, end = len(line) - len(line.lstrip(" \t")), len(line)
    if pos >= end or line[pos] != "#":
        return 0, ""
    level = 1
    pos += 1
    while pos < end and line[pos] == "#" and level <= 6:
        level += 1
        pos += 1
    if level > 6 or (pos < end and line[pos] not in " \t"):
        return 0, ""
    while end > pos and line[end - 1] in " \t":  # a closing sequence: "## Title ##  "
        end -= 1
    tmp = end
    while tmp > pos and line[tmp - 1] == "#":
        tmp -= 1
    if tmp > pos and line[tmp - 1] in " \t":
        end = tmp
    return level, line[pos:end].strip(_TRIM)


def _plain(content: str) -> str:
    """A paragraph's text as the newline rule leaves it: spaces before a line break dropped (a hard
    or a soft break: both are shown alike), spaces and tabs after one."""
    if "\n" not in content:
        return content
    parts = content.split("\n")
    last = len(parts) - 1
    out = []
    for k, part in enumerate(parts):
        if k:
            part = part.lstrip(" \t")
        if k < last:
            part = part.rstrip(" ")
        out.append(part)
    return "\n".join(out)


def text_blocks(body: str) -> list[str]:
    """The raw text of each heading and paragraph of a plan body, in order, as the pages parse it."""
    return [b.content for b in blocks(body)]


def block_lines(body: str) -> list[tuple[int, str]]:
    """text_blocks with the line each block starts on (0-based, in the text as Markdown splits it
    into lines: at \n, \r\n and \r): what validate_scope.opening takes from the same parse."""
    return [(b.line, b.content) for b in blocks(body)]


def _escape(text: str) -> str:
    """Text escaped as markdown-it's renderer does (escapeHtml: &, <, > and \", not ')."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def render_text(body: str, annotations: list[Annotation]) -> RenderedText:
    """Render a plan body with anchors and annotations."""
    toc: list[TocEntry] = []
    used: dict[str, int] = {}
    quote_anchors: dict[str, str] = {}
    section_of: dict[str, str] = {}
    stack: list[tuple[int, str]] = []  # (rank, label) of the current section path
    current = ""
    html_parts: list[str] = []
    parsed = blocks(body)
    for block, candidates in zip(parsed, _candidates(parsed, annotations)):
        label = _label(block.content)
        anchor = None
        if label:
            rank, name = label
            # A number carries its whole path ("2.1"): it replaces every numbered heading above
            # it, so that 2.1 under 2 is s-I-2-1, not s-I-2-2-1. Letters nest under numbers.
            floor = min(rank, 2) if rank < _LETTER_RANK else rank
            while stack and stack[-1][0] >= floor:
                stack.pop()
            stack.append(label)
            anchor = _unique("s-" + "-".join(n for _, n in stack), used)
        elif block.level == 1:
            anchor = _unique("van-ban", used)
        elif block.level:
            anchor = _unique("s-" + str(len(toc) + 1), used)
        if anchor:
            current = anchor
        tag = "p"
        if block.level:
            if block.level > 1:
                toc.append(TocEntry(block.level, anchor, block.content))
            # The page has its own h1 and the text sits under an h2: the document's headings
            # move two levels down so that the page keeps one h1 and an unbroken outline.
            tag = f"h{min(block.level + 2, 6)}"
        attrs = f' id="{_escape(anchor)}"' if anchor else ""
        if block.content.strip() == "[...]":
            attrs += ' class="cut"'
        found, inner = _annotate(block.plain, candidates, used)
        for ident, anchor_id in found:
            quote_anchors.setdefault(ident, anchor_id)
            section_of.setdefault(ident, current)
        if inner is None:  # as markdown-it renders a paragraph's text and its line breaks
            inner = _escape(block.plain).replace("\n", "<br />\n")
        html_parts.append(f"<{tag}{attrs}>{inner}</{tag}>\n")
    return RenderedText("".join(html_parts), tuple(toc), quote_anchors, section_of)


def _label(content: str) -> tuple[int, str] | None:
    """The section label a heading or paragraph starts with, as (rank, slug)."""
    if m := _ROMAN.match(content):
        return 1, m[1]
    if m := _NUMBERED.match(content):
        parts = m[1].split(".")
        return 1 + len(parts), "-".join(parts)
    if m := _LETTER.match(content):
        return _LETTER_RANK, "d" if m[1] == "đ" else m[1]
    return None


def _unique(anchor: str, used: dict[str, int]) -> str:
    n = used.get(anchor, 0) + 1
    used[anchor] = n
    return anchor if n == 1 else f"{anchor}-{n}"


@functools.lru_cache(maxsize=4096)
def _pattern(text: str) -> re.Pattern:
    # Cached: every paragraph is searched for every annotation of its plan, and compiling the
    # same pattern again per paragraph was most of a plan page's cost.
    return re.compile(r"\s+".join(re.escape(part) for part in text.split()))


_ODD_SPACE = re.compile(r"[^\S ]")  # white space other than spaces (two spaces: tested apart, faster)


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> str:
    return " ".join(text.split())


@functools.lru_cache(maxsize=4096)
def _first_word(text: str) -> str:
    return text.split(None, 1)[0] if text.strip() else text


def _candidates(parsed: list[Block], annotations: list[Annotation]) -> list[list[Annotation]]:
    """For each block, in order, the annotations that may be in it: those whose first word is in
    its text (a plain substring test rules most annotations out far more cheaply than a search for
    all their words), in the annotations' order."""
    out: list[list[Annotation]] = [[] for _ in parsed]
    # The blocks' texts in one, to find where each first word is with one search a block that has it
    # instead of a test of each block for each annotation (that was a third of the text's rendering).
    # A word has no white space: found in the whole, it is within one block.
    starts, at = [], 0
    for block in parsed:
        starts.append(at)
        at += len(block.plain) + 1
    whole = "\n".join(block.plain for block in parsed)
    for ann in annotations:
        word = _first_word(ann.text)
        if not word or word != word.strip() or len(word.split()) != 1:  # blank: tested block by block
            for k, block in enumerate(parsed):
                if word in block.plain:
                    out[k].append(ann)
            continue
        at = whole.find(word)
        while at >= 0:
            k = bisect.bisect_right(starts, at) - 1
            out[k].append(ann)
            at = whole.find(word, starts[k + 1]) if k + 1 < len(starts) else -1
    return out


def _annotate(plain: str, candidates: list[Annotation],
              used: dict[str, int]) -> tuple[list[tuple[str, str]], str | None]:
    """Wrap annotation spans found in a paragraph's text (Block.plain) among the candidates (in
    order); return (ident, anchor) of the quotes found and the paragraph's HTML, None when no
    annotation is in it."""
    if not plain or not candidates:
        return [], None
    spans: list[tuple[int, int, Annotation]] = []
    # A paragraph with single spaces only (most of them) is searched with str.find for the
    # annotation's words joined by single spaces: the same spans as the pattern (white space in an
    # annotation matches any white space), without compiling a pattern per annotation (profiled:
    # compiling was a third of the text's rendering).
    plain_spaces = "  " not in plain and _ODD_SPACE.search(plain) is None
    for ann in candidates:
        words = _words(ann.text)
        if plain_spaces and words:
            at = plain.find(words)
            while at >= 0:
                spans.append((at, at + len(words), ann))
                if ann.kind == "quote":
                    break  # a quote is shown once: where it first occurs
                at = plain.find(words, at + len(words))
            continue
        for m in _pattern(ann.text).finditer(plain):
            spans.append((m.start(), m.end(), ann))
            if ann.kind == "quote":
                break
    if not spans:
        return [], None
    cuts = sorted({0, len(plain)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    out: list[str] = []
    found: list[tuple[str, str]] = []
    started: set[int] = set()
    for a, b in zip(cuts, cuts[1:]):
        active = [sp for sp in spans if sp[0] <= a and b <= sp[1]]
        html_parts = []
        for idx, (s, _, ann) in enumerate(spans):
            if ann.kind == "quote" and s == a and idx not in started:
                started.add(idx)
                anchor = _unique("q-" + ann.ident, used)
                found.append((ann.ident, anchor))
                html_parts.append(f'<span class="anchor" id="{html.escape(anchor)}"></span>')
        segment = html.escape(plain[a:b]).replace("\n", "<br>\n")
        for _, _, ann in sorted(active, key=lambda sp: "garble cite quote".split().index(sp[2].kind)):
            segment = _wrap(segment, ann)
        html_parts.append(segment)
        out.append("".join(html_parts))
    return found, "".join(out)


def _wrap(segment: str, ann: Annotation) -> str:
    ident = html.escape(ann.ident, quote=True)
    if ann.kind == "quote":
        title = f' title="{html.escape(ann.label, quote=True)}"' if ann.label else ""
        return f'<mark class="quote" data-for="{ident}"{title}>{segment}</mark>'
    if ann.kind == "cite":
        return f'<a class="cite" href="{ident}">{segment}</a>'
    return f'<span class="garbled" title="{ident}">{segment}</span>'
