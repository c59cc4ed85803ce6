"""textrender: a plan's verbatim text as HTML with section anchors, a TOC and marked quotes.

Every test renders a few lines of Markdown inline and looks at the HTML through a parser.
"""
from __future__ import annotations

import re

import html5lib

from sitegen.textrender import Annotation, render_text

DOC = """\
# KẾ HOẠCH

Phòng, chống tệ nạn xã hội năm 2021

## I. MỤC TIÊU

### 1. Mục tiêu chung

Nâng cao nhận thức.

### 2. Chỉ tiêu

2.1. Đảm bảo 100% xã, phường, thị trấn được tuyên truyền.

#### a) Công an tỉnh

#### đ) Sở Y tế

## II. NHIỆM VỤ

Nội dung.
"""


def _tree(fragment: str):
    return html5lib.parseFragment(fragment, namespaceHTMLElements=False)


def _ids(fragment: str) -> list[str]:
    return [el.get("id") for el in _tree(fragment).iter() if el.get("id")]


def _by_id(fragment: str, ident: str):
    return next(el for el in _tree(fragment).iter() if el.get("id") == ident)


def _text(el) -> str:
    return "".join(el.itertext())


# ---------------------------------------------------------------- anchors and TOC


def test_the_title_heading_is_anchored_van_ban_two_levels_below_the_pages_own_h2():
    assert _by_id(render_text(DOC, []).html, "van-ban").tag == "h3"


def test_a_roman_section_is_anchored_by_its_numeral():
    el = _by_id(render_text(DOC, []).html, "s-I")
    assert el.tag == "h4" and _text(el) == "I. MỤC TIÊU"


def test_a_numbered_heading_is_anchored_under_its_roman_section():
    assert _text(_by_id(render_text(DOC, []).html, "s-I-1")) == "1. Mục tiêu chung"


def test_a_numbered_paragraph_gets_its_own_anchor_from_its_full_number():
    el = _by_id(render_text(DOC, []).html, "s-I-2-1")
    assert el.tag == "p" and _text(el).startswith("2.1. Đảm bảo")


def test_a_lettered_heading_is_anchored_under_the_number_above_it():
    assert _text(_by_id(render_text(DOC, []).html, "s-I-2-1-a")) == "a) Công an tỉnh"


def test_the_letter_d_with_stroke_is_written_d_in_anchors():
    assert _text(_by_id(render_text(DOC, []).html, "s-I-2-1-d")) == "đ) Sở Y tế"


def test_a_new_roman_section_starts_a_new_anchor_path():
    assert "s-II" in _ids(render_text(DOC, []).html)


def test_a_letter_used_twice_gets_a_distinct_second_anchor():
    body = "## I. A\n\n#### a) một\n\n#### a) hai\n"
    assert _ids(render_text(body, []).html) == ["s-I", "s-I-a", "s-I-a-2"]


def test_a_heading_without_a_number_still_gets_an_anchor():
    html = render_text("## Phụ lục\n", []).html
    assert _by_id(html, "s-1").tag == "h4"


def test_the_toc_lists_every_heading_but_the_title_with_level_anchor_and_text():
    toc = render_text(DOC, []).toc
    assert [(e.level, e.anchor, e.text) for e in toc] == [
        (2, "s-I", "I. MỤC TIÊU"), (3, "s-I-1", "1. Mục tiêu chung"), (3, "s-I-2", "2. Chỉ tiêu"),
        (4, "s-I-2-1-a", "a) Công an tỉnh"), (4, "s-I-2-1-d", "đ) Sở Y tế"), (2, "s-II", "II. NHIỆM VỤ")]


def test_numbered_paragraphs_are_not_in_the_toc():
    assert "s-I-2-1" not in [e.anchor for e in render_text(DOC, []).toc]


def test_the_cut_marker_of_an_excerpt_is_a_paragraph_of_class_cut():
    (p,) = [el for el in _tree(render_text("Văn bản.\n\n[...]\n", []).html).iter("p") if el.get("class")]
    assert p.get("class") == "cut" and _text(p) == "[...]"


# ---------------------------------------------------------------- quotes


def test_a_quote_is_marked_and_anchored_where_it_first_occurs():
    text = render_text(DOC, [Annotation("100% xã, phường", "quote", "t01")])
    assert text.quote_anchors == {"t01": "q-t01"}
    marks = list(_tree(text.html).iter("mark"))
    assert [(m.get("data-for"), _text(m)) for m in marks] == [("t01", "100% xã, phường")]
    assert _by_id(text.html, "q-t01").get("class") == "anchor"


def test_a_quote_knows_the_section_it_sits_in():
    text = render_text(DOC, [Annotation("100% xã", "quote", "t01")])
    assert text.section_of == {"t01": "s-I-2-1"}


def test_a_quote_matches_across_a_line_break_of_the_text():
    text = render_text("Đảm bảo 100%\nxã đạt chuẩn.\n", [Annotation("100% xã đạt", "quote", "t01")])
    assert text.quote_anchors == {"t01": "q-t01"}
    (mark,) = _tree(text.html).iter("mark")
    assert _text(mark) == "100%\nxã đạt" and mark.find("br") is not None


def test_a_quote_that_occurs_twice_is_marked_once():
    text = render_text("một câu. một câu.\n", [Annotation("một câu", "quote", "c01")])
    assert len(list(_tree(text.html).iter("mark"))) == 1


def test_two_quotes_that_cross_each_other_are_both_marked_and_anchored():
    body = "Phấn đấu 100% xã được tuyên truyền trong năm.\n"
    text = render_text(body, [Annotation("100% xã được", "quote", "t01"),
                              Annotation("xã được tuyên truyền", "quote", "t02")])
    assert text.quote_anchors == {"t01": "q-t01", "t02": "q-t02"}
    marked = {}
    for m in _tree(text.html).iter("mark"):
        marked[m.get("data-for")] = marked.get(m.get("data-for"), "") + _text(m)
    assert marked == {"t01": "100% xã được", "t02": "xã được tuyên truyền"}


def test_crossing_quotes_keep_the_paragraph_text_unchanged():
    body = "Phấn đấu 100% xã được tuyên truyền trong năm.\n"
    text = render_text(body, [Annotation("100% xã được", "quote", "t01"),
                              Annotation("xã được tuyên truyền", "quote", "t02")])
    assert _text(_tree(text.html)).strip() == body.strip()


def test_a_quote_that_spans_two_paragraphs_is_not_marked():
    text = render_text("Câu một.\n\nCâu hai.\n", [Annotation("Câu một. Câu hai.", "quote", "t01")])
    assert text.quote_anchors == {} and "<mark" not in text.html


def test_a_quote_inside_a_heading_is_marked():
    text = render_text(DOC, [Annotation("Công an tỉnh", "quote", "c01")])
    assert text.section_of == {"c01": "s-I-2-1-a"}


# ---------------------------------------------------------------- citations and garbled spots


def test_a_citation_becomes_a_link_to_its_instrument():
    text = render_text("Thực hiện Chỉ thị số 36-CT/TW của Bộ Chính trị.\n",
                       [Annotation("Chỉ thị số 36-CT/TW", "cite", "../legal/chi-thi-36.html")])
    (a,) = _tree(text.html).iter("a")
    assert (a.get("class"), a.get("href"), _text(a)) == ("cite", "../legal/chi-thi-36.html", "Chỉ thị số 36-CT/TW")


def test_a_citation_is_linked_every_time_it_occurs():
    text = render_text("Nghị định 01 và Nghị định 01.\n", [Annotation("Nghị định 01", "cite", "x.html")])
    assert len(list(_tree(text.html).iter("a"))) == 2


def test_a_garbled_spot_is_wrapped_with_its_note_as_title():
    text = render_text("Thực hiện Chthị số 01.\n", [Annotation("Chthị", "garble", "Chỉ thị")])
    (span,) = [el for el in _tree(text.html).iter("span") if el.get("class") == "garbled"]
    assert (span.get("title"), _text(span)) == ("Chỉ thị", "Chthị")


def test_a_note_with_quotes_cannot_break_out_of_its_attribute():
    text = render_text("Chthị.\n", [Annotation("Chthị", "garble", '" onmouseover="alert(1)')])
    (span,) = [el for el in _tree(text.html).iter("span") if el.get("class") == "garbled"]
    assert span.get("title") == '" onmouseover="alert(1)' and span.get("onmouseover") is None


def test_a_quote_inside_a_garbled_spot_and_a_citation_nests_cleanly():
    text = render_text("Theo Chthị số 01 năm nay.\n", [Annotation("Chthị số 01 năm", "quote", "t01"),
                                                       Annotation("Chthị", "garble", "Chỉ thị"),
                                                       Annotation("số 01", "cite", "x.html")])
    tree = _tree(text.html)
    assert _text(tree).strip() == "Theo Chthị số 01 năm nay."
    assert {m.get("data-for") for m in tree.iter("mark")} == {"t01"}
    assert [_text(a) for a in tree.iter("a")] == ["số 01"]


# ---------------------------------------------------------------- the text stays plain text


def test_raw_html_in_the_text_is_escaped():
    html = render_text("<script>alert(1)</script> <img src=x onerror=alert(1)>\n", []).html
    tree = _tree(html)
    assert list(tree.iter("script")) == [] and list(tree.iter("img")) == []
    assert _text(tree).strip() == "<script>alert(1)</script> <img src=x onerror=alert(1)>"


def test_a_markdown_link_to_javascript_is_not_a_link():
    html = render_text("[x](javascript:alert(1))\n", []).html
    assert list(_tree(html).iter("a")) == [] and "[x](javascript:alert(1))" in _text(_tree(html))


def test_an_autolink_is_not_a_link():
    html = render_text("<javascript:alert(1)> <https://example.com>\n", []).html
    assert list(_tree(html).iter("a")) == []


def test_a_markdown_image_is_not_an_image():
    html = render_text("![x](https://example.com/a.png)\n", []).html
    assert list(_tree(html).iter("img")) == []


def test_annotations_on_hostile_text_are_escaped_too():
    body = "Đạt <b onclick=alert(1)>100%</b> xã.\n"
    text = render_text(body, [Annotation("<b onclick=alert(1)>100%</b>", "quote", "t01")])
    tree = _tree(text.html)
    assert list(tree.iter("b")) == []
    assert _text(next(tree.iter("mark"))) == "<b onclick=alert(1)>100%</b>"


def test_dash_lines_stay_text_not_a_list():
    html = render_text("- một\n- hai\n", []).html
    assert "<ul" not in html and "<li" not in html and "- một" in html


def test_numbered_lines_stay_text_not_an_ordered_list():
    html = render_text("1. một\n2. hai\n", []).html
    assert "<ol" not in html and "1. một" in html and "2. hai" in html


def test_indented_lines_are_not_code():
    html = render_text("Mở đầu.\n\n    thụt lề bốn khoảng trắng\n", []).html
    assert "<pre" not in html and "<code" not in html and "thụt lề bốn khoảng trắng" in html


def test_a_line_underlined_with_equals_signs_is_not_a_heading():
    html = render_text("Tiêu đề\n=======\n", []).html
    assert not re.search(r"<h[1-6]", html) and "=======" in html


def test_a_line_underlined_with_dashes_is_not_a_heading_and_keeps_its_dashes():
    html = render_text("Tiêu đề\n------\n", []).html
    assert not re.search(r"<h[1-6]", html) and "<hr" not in html and "------" in html


def test_a_line_of_dashes_alone_stays_dashes_not_a_rule():
    html = render_text("Mở đầu.\n\n-------\n", []).html
    assert "<hr" not in html and "<p>-------</p>" in html


def test_a_line_starting_with_a_greater_than_sign_is_not_a_block_quote():
    html = render_text("> 50% số xã\n", []).html
    assert "<blockquote" not in html and "&gt; 50% số xã" in html


def test_asterisks_and_underscores_stay_as_written():
    tree = _tree(render_text("(*báo cáo 6 tháng*) và _ghi chú_\n", []).html)
    assert list(tree.iter("em")) == [] and _text(tree).strip() == "(*báo cáo 6 tháng*) và _ghi chú_"


def test_backticks_and_code_fences_stay_as_written():
    html = render_text("số `01` và\n```\nx\n```\n", []).html
    assert "<code" not in html and "<pre" not in html and "`01`" in html and "```" in html


def test_an_html_entity_in_the_text_is_shown_as_written():
    tree = _tree(render_text("Sở LĐ-TB&amp;XH và &lt;b&gt;\n", []).html)
    assert _text(tree).strip() == "Sở LĐ-TB&amp;XH và &lt;b&gt;"


def test_a_backslash_in_the_text_is_kept():
    assert _text(_tree(render_text("Số 12\\KH và \\*\n", []).html)).strip() == "Số 12\\KH và \\*"


def test_a_quote_with_an_entity_or_asterisks_is_still_found():
    body = "Đạt (*100%*) xã &amp; phường.\n"
    text = render_text(body, [Annotation("(*100%*) xã &amp; phường", "quote", "t01")])
    assert text.quote_anchors == {"t01": "q-t01"}


def test_single_line_breaks_are_kept():
    html = render_text("dòng một\ndòng hai\n", []).html
    assert "dòng một<br />\ndòng hai" in html


def test_an_annotation_is_found_the_same_whatever_white_space_the_paragraph_or_the_annotation_has():
    # A paragraph of single spaces is searched with str.find, one with other white space by a
    # pattern: both give the same marks, quotes once, citations everywhere.
    quote = Annotation("giảm 10%\nsố người", "quote", "t1")
    cite = Annotation("Chỉ  thị 22", "cite", "../legal/ct22.html")
    marks = []
    for para in ("Phấn đấu giảm 10% số người nghiện, giảm 10% số người theo Chỉ thị 22 và Chỉ thị 22.",
                 "Phấn đấu giảm  10%\tsố người nghiện, giảm 10% số người theo Chỉ\u00a0thị 22 và Chỉ thị  22."):
        tree = _tree(render_text(para + "\n", [quote, cite]).html)
        marks.append(([_text(m) for m in tree.iter("mark")], [_text(a) for a in tree.iter("a")]))
    assert marks[0] == (["giảm 10% số người"], ["Chỉ thị 22", "Chỉ thị 22"])
    assert marks[1] == (["giảm  10%\tsố người"], ["Chỉ\u00a0thị 22", "Chỉ thị  22"])


def test_the_checks_see_each_block_as_the_pages_parse_it_without_inline_parsing():
    """text_blocks (the checks' quotes are looked for in these) skips inline parsing, which never
    changes a block's raw text: the same blocks as the pages' parser, for every shape of text."""
    from pathlib import Path

    from sitegen.textrender import markdown, text_blocks

    body = ("# KẾ HOẠCH\nsố 27/KH-UBND\n\n## I. MỤC ĐÍCH\n1. Giảm *ít nhất* 5% &amp; \\ `x` <b>y</b>\n"
            "- gạch đầu dòng\n> trích dẫn\n\n    thụt lề\n---\n### 1.1 Chỉ tiêu\nDòng một\nDòng hai  \n\n")
    texts = [body] + [p.read_text(encoding="utf-8") for p in sorted(Path("corpus/plans").glob("*.md"))]
    assert len(texts) >= 6, "the demo corpus's plans are read too"
    md = markdown()
    for text in texts:
        assert text_blocks(text) == [t.content for t in md.parse(text) if t.type == "inline"]
    assert text_blocks(body) == ["KẾ HOẠCH", "số 27/KH-UBND", "I. MỤC ĐÍCH",
                                 "1. Giảm *ít nhất* 5% &amp; \\ `x` <b>y</b>\n- gạch đầu dòng\n> trích dẫn",
                                 "thụt lề\n---", "1.1 Chỉ tiêu", "Dòng một\nDòng hai"], "verbatim, markers kept"


# Pieces of text that each rule of markdown-it's parser treats apart: heading markers at every level
# and indent, closing sequences, tabs, CR, NUL, blank lines, trailing spaces (hard breaks), the
# white space CommonMark trims and the one it does not (U+0085, U+FEFF), and the markers of the
# rules that are off (lists, quotes, rules, emphasis, entities, escapes, code, HTML).
_SHAPES = ["#", "##", "###", "####### ", "# ", " ", "  ", "   ", "    ", "\t", "\n", "\n\n", "\r", "\r\n", "\0",
           "[...]", "I. ", "1. ", "2.1 ", "a) ", "x", "chữ", "&amp;", "<b>", '"', "'", "*", "\\", "`", "\u00a0",
           "\u3000", "\u2028", "\u0085", "\ufeff", "\x0b", "-", "> ", "---", "===", " #", "## x ##", "#\t", "\t#",
           "     # h", "- ", "    mã"]


def _shaped_texts(n: int, seed: int = 19) -> list[str]:
    import random
    rng = random.Random(seed)
    return ["".join(rng.choice(_SHAPES) for _ in range(rng.randint(0, 30))) for _ in range(n)]


def test_blocks_are_the_headings_and_paragraphs_markdown_it_parses_for_every_shape_of_text():
    """blocks() stands in for markdown-it on the pages: each block's level, raw text and shown text
    (each line break a "\\n") are those of markdown-it's tokens, for the corpus and any text."""
    from pathlib import Path

    from sitegen.textrender import blocks, markdown

    md = markdown()
    texts = _shaped_texts(3000) + [p.read_text(encoding="utf-8") for p in sorted(Path("corpus/plans").glob("*.md"))]
    for text in texts:
        tokens = md.parse(text)
        expected = [(int(tokens[i - 1].tag[1]) if tokens[i - 1].type == "heading_open" else 0, t.content,
                     "".join(c.content if c.type == "text" else "\n" for c in t.children))
                    for i, t in enumerate(tokens) if t.type == "inline"]
        assert [(b.level, b.content, b.plain) for b in blocks(text)] == expected, repr(text)


def test_a_text_of_paragraphs_without_annotations_is_rendered_as_markdown_it_renders_it():
    from sitegen.textrender import _label, blocks, markdown

    md = markdown()
    plain_texts = [t for t in _shaped_texts(3000, seed=5)
                   if all(not b.level and not _label(b.content) and b.content.strip() != "[...]" for b in blocks(t))]
    assert len(plain_texts) > 300, "enough texts of paragraphs only"
    for text in plain_texts:
        assert render_text(text, []).html == md.render(text), repr(text)


def test_blocks_examples():
    from sitegen.textrender import Block, blocks

    assert blocks("") == [] and blocks(" \n\t\n") == []
    assert blocks("## I. Mục tiêu ##  \nDòng một  \n   dòng hai \nba\n\n    # không phải mục\n#không\n") == [
        Block(2, "I. Mục tiêu", "I. Mục tiêu"),
        Block(0, "Dòng một  \n   dòng hai \nba", "Dòng một\ndòng hai\nba"),  # spaces around line breaks dropped
        Block(1, "không phải mục", "không phải mục"),  # an indented heading is a heading (code blocks are off)
        Block(0, "#không", "#không")]  # no space after the marker: text
    assert blocks("một\n    # hai\n# ba") == [Block(0, "một\n    # hai", "một\n# hai"), Block(1, "ba", "ba")], \
        "a line indented four columns continues a paragraph whatever it holds"
    assert blocks("a\r\nb\rc\0") == [Block(0, "a\nb\nc\ufffd", "a\nb\nc\ufffd")]


def test_an_annotation_is_looked_for_in_every_paragraph_that_has_its_first_word_and_only_there():
    """The paragraphs an annotation may be in are found by its first word in the whole text at once:
    an annotation is marked in each paragraph that has all its words (a quote once in each, its anchor
    the first), never in one that has its first word alone."""
    body = ("Giảm nghèo bền vững.\n\nGiảm tỷ lệ hộ nghèo 2% theo Chỉ thị 22.\n\n# Giảm\n\n"
            "Giảm tỷ lệ hộ nghèo 2% mỗi năm; Chỉ thị 22 và Chỉ thị 22.\n")
    quote = Annotation("Giảm tỷ lệ hộ nghèo 2%", "quote", "t1")
    cite = Annotation("Chỉ thị 22", "cite", "../legal/ct22.html")
    text = render_text(body, [cite, quote])
    paragraphs = [el for el in _tree(text.html) if el.tag in ("p", "h3")]
    assert [[_text(m) for m in p.iter("mark")] for p in paragraphs] == [[], ["Giảm tỷ lệ hộ nghèo 2%"], [],
                                                                         ["Giảm tỷ lệ hộ nghèo 2%"]]
    assert [[_text(a) for a in p.iter("a")] for p in paragraphs] == [[], ["Chỉ thị 22"], [], ["Chỉ thị 22"] * 2]
    assert text.quote_anchors == {"t1": "q-t1"}
    # An annotation of white space only (it has no first word: tested paragraph by paragraph) marks nothing.
    assert render_text("a b\n", [Annotation(" ", "cite", "x.html")]).html == "<p>a b</p>\n"
