"""Reading a plan parses its text once (issue 19): the checks of the quotes and of the scope share one
parse, and the faster ways of reading give what the slower ones gave (blocks, openings, squashed text,
sentences), on the demo plans and on many made-up texts."""
from __future__ import annotations

import random
import re
import sys
from pathlib import Path

import pytest

from sitegen import textrender, validate, validate_scope
from sitegen.citations import find
from sitegen.textrender import block_lines, markdown, text_blocks
from sitegen.textutil import squash
from sitegen.validate_scope import opening

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
DEMO_BODIES = [p.read_text(encoding="utf-8").split("\n---\n", 1)[1] for p in sorted((CORPUS / "plans").glob("*.md"))]
# Pieces of made-up texts: headings and near-headings, indentation, blank lines, white space that
# Markdown and Python see differently (no-break space, em space, vertical tab, line separator).
PIECES = ["#", "##", "## ", "###", "#######", " ", "\t", "\n", "\n\n", "\n## ", "    ## x", "a", "b c", "x#",
          " #", "\\#", "#\u00a0", "## x ##", "\u00a0", "\u2003", "\u200b", "\x0b", "\x0c", "\u2028", "\r", "\r\n",
          "é", "Căn cứ", "\u0085", "\x1c"]


def _made_up(n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(PIECES) for _ in range(rnd.randint(0, 14))) for _ in range(n)]


def _markdown_blocks(body: str) -> list[tuple[int, str]]:
    """block_lines by markdown-it itself, the pages' parser (the reference)."""
    return [(t.map[0], t.content) for t in markdown().parse(body) if t.type == "inline"]


def test_reading_the_demo_corpus_parses_each_plan_text_once(monkeypatch):
    """validate_plan parses the text once and hands its blocks to validate_scope.opening, which parses
    nothing itself; markdown-it's parser is never used (textrender.blocks does its rules)."""
    from sitegen import gather as gathering

    calls: list[str] = []
    real = validate.block_lines
    monkeypatch.setattr(validate, "block_lines", lambda body: calls.append(body) or real(body))

    def no_second_parse(text):
        raise AssertionError("opening parsed the text again")

    monkeypatch.setattr(validate_scope, "text_blocks", no_second_parse)
    parsed = []
    import markdown_it

    monkeypatch.setattr(markdown_it.MarkdownIt, "parse", lambda *a, **k: parsed.append(a) or [])
    gathering.gather(CORPUS, workers=1)
    assert len(calls) == len(DEMO_BODIES) == 5
    assert sorted(calls) == sorted(DEMO_BODIES)
    assert parsed == []


def test_the_opening_from_the_shared_blocks_is_the_opening_parsed_on_its_own():
    for body in DEMO_BODIES + _made_up(5000, 19):
        lined = [(line, squash(text)) for line, text in block_lines(body)]
        for title in (None, "Kế hoạch"):
            assert opening(title, body, lined) == opening(title, body), repr(body)


def test_the_opening_stops_at_the_first_heading_line_and_not_at_an_indented_one():
    body = "KẾ HOẠCH\n\nCăn cứ A;\n    ## B\nCăn cứ C\n## I. MỤC ĐÍCH\nD\n## II\nE"
    lined = [(line, squash(text)) for line, text in block_lines(body)]
    assert opening(None, body, lined) == opening(None, body) == ["KẾ HOẠCH", "Căn cứ A; ## B Căn cứ C"]
    assert opening("T", "## I\nA", block_lines("## I\nA")) == ["T"]


def test_the_blocks_and_their_lines_are_markdown_its_for_every_text():
    texts = DEMO_BODIES + _made_up(40000, 7)
    for text in texts:
        assert block_lines(text) == _markdown_blocks(text), repr(text)


@pytest.mark.parametrize("text", ["  indented", "a\n b", "a\n\tb", "a\rb", "a\r\n## b", "a\0b", "\tx",
                                  "a\n\n\n# b\n  c\n\n", "    # h\nx", "x\n   \ny"])
def test_indented_lines_carriage_returns_and_blank_lines_keep_markdown_its_lines(text):
    assert block_lines(text) == _markdown_blocks(text)
    assert text_blocks(text) == [t for _, t in _markdown_blocks(text)]


def test_squash_is_the_regular_expression_it_replaced_at_every_code_point():
    space = re.compile(r"\s+")
    odd = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() != bool(space.match(c))]
    assert odd == []
    for text in ["", " ", "a", " a\u00a0\u2003b\n\n c\t", "\u200b x \u3000", "a\x1cb\x85c"] + _made_up(500, 3):
        assert squash(text) == space.sub(" ", text).strip()


def _sentence_scanning_everything(text: str, start: int, end: int) -> str:
    """sentence_around as it was: every break in the 3000 characters before the citation scanned."""
    lo = max(0, start - 3000)
    a = max((m.end() for m in find._BREAK_RE.finditer(text, lo, start)), default=lo)
    hi = min(len(text), end + 3000)
    b = next((m.start() + (m.group() != "\n") for m in find._BREAK_RE.finditer(text, end, hi)), hi)
    return text[a:b].strip(" \t\n|")


def test_a_sentence_found_near_its_citation_first_is_the_sentence_found_scanning_everything():
    rnd = random.Random(11)
    pieces = ["a", "b ", ".", " ", "\n", "\nA", "\na", ";", "x" * 280, "y" * 2900, "!", "|", "\t", ". "]
    texts = DEMO_BODIES + ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40))) for _ in range(1500)]
    for text in texts:
        for _ in range(10):
            start = rnd.randint(0, len(text))
            end = rnd.randint(start, len(text))
            assert find.sentence_around(text, start, end) == _sentence_scanning_everything(text, start, end)


def test_each_citation_carries_its_sentence_as_sentence_around_cuts_it():
    """read_plan keeps extract's sentences (it no longer cuts each again)."""
    for body in DEMO_BODIES:
        for c in find.extract(body):
            assert c.sentence == find.sentence_around(body, c.start, c.end)


def test_the_number_pattern_with_its_first_digit_in_front_finds_what_the_look_back_first_found():
    from sitegen.citations import forms

    f = forms
    look_back_first = re.compile(
        rf"(?<![\w/.\-])(?:\d{{1,5}}\s{{0,2}}-\s{{0,2}}[^\W\d_]+{f._SL}{f._G}(?:-{f._G})*"
        rf"|\d{{1,5}}\s(?:{f._PARTY_TYPES})/{f._UG}(?:-{f._G})*"
        rf"|\d{{1,5}}{f._SL}(?:(?:19|20)\d\d{f._SL})?{f._SYM})")
    rnd = random.Random(4)
    pieces = ["1", "12", "123456", "2021", "/", "-", " ", "  ", ".", "QĐ", "TTg", "KH", "UBND", "QH", "a", "Đ", "&",
              "\n", "٣", "１", "_", "/2021/", "-CT/TW", "CTr", "BCĐ138/CP", "số "]
    texts = DEMO_BODIES + ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12))) for _ in range(30000)]
    assert sum(1 for t in texts for _ in forms.NUMBER_RE.finditer(t)) > 500, "numbers are found"
    for text in texts:
        assert [m.span() for m in forms.NUMBER_RE.finditer(text)] == [m.span() for m in look_back_first.finditer(text)]
        pos = rnd.randint(0, len(text))
        new, old = forms.NUMBER_RE.match(text, pos), look_back_first.match(text, pos)
        assert (new and new.span()) == (old and old.span()), (text, pos)


def test_the_old_tone_pattern_with_both_cases_written_out_matches_as_the_case_blind_one_did():
    from sitegen.citations import forms

    case_blind = re.compile(r"(?i)(?<!q)(o(?=[áàảãạ])|u(?=[ýỳỷỹỵ]))(.)(?![^\W\d_])")
    # Each letter, case-blind, matches exactly its two cases, and the class after is not changed by (?i).
    every = [chr(c) for c in range(sys.maxunicode + 1)]
    for letter in "oquáàảãạýỳỷỹỵ":
        assert [c for c in every if re.fullmatch("(?i)" + letter, c)] == sorted({letter, letter.upper()})
    blind, plain = re.compile(r"(?i)[^\W\d_]"), re.compile(r"[^\W\d_]")
    assert [c for c in every if bool(blind.match(c)) != bool(plain.match(c))] == []
    rnd = random.Random(8)
    pieces = ["o", "O", "u", "U", "q", "Q", "á", "À", "ả", "ã", "Ạ", "ý", "Ỳ", "ỷ", "ỹ", "ỵ", "a", "y", " ", "\n", "1",
              "_", "h", "hoà", "Quý", "thuỷ", "uỷ"]
    texts = DEMO_BODIES + ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12))) for _ in range(30000)]
    assert sum(1 for t in texts for _ in case_blind.finditer(t)) > 5000
    for text in texts:
        assert ([(m.span(), m.groups()) for m in forms._OLD_TONE_RE.finditer(text)]
                == [(m.span(), m.groups()) for m in case_blind.finditer(text)]), text
    assert forms.fold_tones("Hoà thuỶ QUÝ quý") == "Hòa thủY QUÝ quý"
