"""Render a plan's verbatim text: Markdown (raw HTML off) with section anchors, a table of
contents, highlighted target quotes, linked citations and noted garbled spots.

Annotations are found in the text of each paragraph, not in the rendered HTML,
so nothing from the corpus is ever inserted unescaped.
"""
from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.common import utils as markdown_it_utils
from markdown_it.token import Token

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
    md = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
    # Plan texts are plain text with heading markers: lists, indented code, setext headings,
    # rules and block quotes would rewrite their own numbering, dashes and "> "; links are
    # never needed; entities, backslash escapes, backticks and emphasis would drop or change
    # characters of the verbatim text ("&amp;", "\\", "*báo cáo*"), and a quote would no
    # longer be found in what is shown.
    md.disable(["list", "code", "fence", "blockquote", "hr", "lheading", "html_block", "reference",
                "html_inline", "link", "image", "autolink", "entity", "escape", "backticks", "emphasis"])
    return md


_MD = markdown()
# The block parser alone: a heading's or paragraph's raw text is set before inline parsing, which
# the checks never look at (it was a ninth of reading a plan, profiled).
_BLOCKS = markdown()
_BLOCKS.core.ruler.disable(["inline", "text_join"])


def text_blocks(body: str) -> list[str]:
    """The raw text of each heading and paragraph of a plan body, in order, as the pages parse it."""
    return [text for _, text in block_lines(body)]


def block_lines(body: str) -> list[tuple[int, str]]:
    """text_blocks with the line each block starts on (0-based, in the text as Markdown splits it
    into lines: at \n, \r\n and \r): what validate_scope.opening takes from the same parse."""
    simple = _plain_blocks(body)
    if simple is not None:
        return simple
    return [(tok.map[0], tok.content) for tok in _BLOCKS.parse(body) if tok.type == "inline"]


# markdown-it's trimming of a block's text (CommonMark's white space; str.strip where it has no mdTrim).
_TRIM = getattr(markdown_it_utils, "mdTrim", str.strip)
_HEADING_START = re.compile(r"#{1,6}(?=[ \t]|$)")  # an ATX heading's opening #s (on one line)


def _plain_blocks(body: str) -> list[tuple[int, str]] | None:
    """block_lines of a text no line of which starts with a space or a tab (every plan text so far),
    without markdown-it: with only ATX headings and paragraphs enabled (markdown()), such a line is
    blank, a heading or part of a paragraph, and a heading or a blank line ends a paragraph. The
    block parser built Tokens for this and was a seventh of reading a plan, profiled; tests/
    test_read_once.py compares the two on many texts. None for any other text (indented lines,
    where tabs and indentation have rules of their own; \r and NUL, which markdown-it rewrites)."""
    if "\r" in body or "\0" in body or "\n " in body or "\n\t" in body or body[:1] in (" ", "\t"):
        return None
    lines = body.split("\n")
    out = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i]
        if not line:
            i += 1
        elif m := _HEADING_START.match(line):
            # Its text, less a closing run of #s after a space or tab (markdown-it's heading rule).
            text = line[m.end():].rstrip(" \t")
            bare = text.rstrip("#")
            out.append((i, _TRIM(bare if bare[-1:] in (" ", "\t") else text)))
            i += 1
        else:
            j = i + 1
            while j < n and lines[j] and not _HEADING_START.match(lines[j]):
                j += 1
            out.append((i, _TRIM("\n".join(lines[i:j]))))
            i = j
    return out


def render_text(body: str, annotations: list[Annotation]) -> RenderedText:
    """Render a plan body with anchors and annotations."""
    tokens = _MD.parse(body)
    toc: list[TocEntry] = []
    used: dict[str, int] = {}
    quote_anchors: dict[str, str] = {}
    section_of: dict[str, str] = {}
    stack: list[tuple[int, str]] = []  # (rank, label) of the current section path
    current = ""
    # Each annotation with its first word: a plain substring test on that word rules most
    # annotations out of a paragraph far more cheaply than a regex scan.
    pending = [(_first_word(a.text), a) for a in annotations]
    for i, tok in enumerate(tokens):
        if tok.type not in ("heading_open", "paragraph_open"):
            continue
        inline = tokens[i + 1]
        label = _label(inline.content)
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
        elif tok.type == "heading_open" and tok.tag == "h1":
            anchor = _unique("van-ban", used)
        elif tok.type == "heading_open":
            anchor = _unique("s-" + str(len(toc) + 1), used)
        if anchor:
            tok.attrSet("id", anchor)
            current = anchor
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            if level > 1:
                toc.append(TocEntry(level, anchor, inline.content))
            # The page has its own h1 and the text sits under an h2: the document's headings
            # move two levels down so that the page keeps one h1 and an unbroken outline.
            tok.tag = tokens[i + 2].tag = f"h{min(level + 2, 6)}"
        if inline.content.strip() == "[...]":
            tok.attrSet("class", "cut")
        found = _annotate(inline, pending, used)
        for ident, anchor_id in found:
            quote_anchors.setdefault(ident, anchor_id)
            section_of.setdefault(ident, current)
    return RenderedText(_MD.renderer.render(tokens, _MD.options, {}), tuple(toc), quote_anchors, section_of)


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


_ODD_SPACE = re.compile(r"\s\s|[^\S ]")  # white space other than single spaces


@functools.lru_cache(maxsize=4096)
def _words(text: str) -> str:
    return " ".join(text.split())


@functools.lru_cache(maxsize=4096)
def _first_word(text: str) -> str:
    return text.split(None, 1)[0] if text.strip() else text


def _annotate(inline: Token, pending: list[tuple[str, Annotation]], used: dict[str, int]) -> list[tuple[str, str]]:
    """Wrap annotation spans found in a paragraph of plain text; return (ident, anchor) of quotes."""
    children = inline.children or []
    if not children or any(c.type not in ("text", "softbreak", "hardbreak") for c in children):
        return []
    plain = "".join(c.content if c.type == "text" else "\n" for c in children)
    spans: list[tuple[int, int, Annotation]] = []
    # A paragraph with single spaces only (most of them) is searched with str.find for the
    # annotation's words joined by single spaces: the same spans as the pattern (white space in an
    # annotation matches any white space), without compiling a pattern per annotation (profiled:
    # compiling was a third of the text's rendering).
    plain_spaces = _ODD_SPACE.search(plain) is None
    for ann in [ann for word, ann in pending if word in plain]:
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
        return []
    cuts = sorted({0, len(plain)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    out: list[Token] = []
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
        tok = Token("html_inline", "", 0)
        tok.content = "".join(html_parts)
        out.append(tok)
    inline.children = out
    return found


def _wrap(segment: str, ann: Annotation) -> str:
    ident = html.escape(ann.ident, quote=True)
    if ann.kind == "quote":
        title = f' title="{html.escape(ann.label, quote=True)}"' if ann.label else ""
        return f'<mark class="quote" data-for="{ident}"{title}>{segment}</mark>'
    if ann.kind == "cite":
        return f'<a class="cite" href="{ident}">{segment}</a>'
    return f'<span class="garbled" title="{ident}">{segment}</span>'
