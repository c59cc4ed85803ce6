"""The English edition reads as English: every run of Vietnamese words on an English page sits inside an
element marked lang="vi" (WCAG 3.1.2), so that a screen reader reads it with Vietnamese rules; and the
Vietnamese pages mark the English glosses they carry as lang="en".

The checker parses each built page with html5lib, as a browser would, and walks it with the language
each element inherits. A run is two or more consecutive words with a letter only Vietnamese uses
(sitegen.wording.VI_LETTERS); the text of elements and the attributes a screen reader reads aloud
(title, aria-label, alt, placeholder) are checked. Left out, each for a stated reason:
- proper names WCAG 3.1.2 exempts that the English edition uses as English does: the provinces of the
  corpus ("Quảng Ninh") and the site's own name;
- <title>, whose text HTML cannot mark in parts (the same words are checked in the page's <h1> and
  breadcrumb), and <textarea>, a citation or embed code to copy and paste elsewhere, in which no
  markup survives;
- <script>, <style> and <template>, which are not read.
"""
from __future__ import annotations

import re
from pathlib import Path

import html5lib
import pytest
import yaml

from helpers import REAL_CORPUS, check, edit, write_corpus
from sitegen.model import Problem
from sitegen.i18n import strings
from sitegen.wording import runs, vi_word_runs

READ_ALOUD = ("title", "aria-label", "alt", "placeholder")
NOT_CHECKED = {"script", "style", "template", "title", "textarea"}
# English words that never occur in Vietnamese text: two of them in a run outside lang="en" on a
# Vietnamese page is an English gloss left unmarked.
ENGLISH = frozenset("the of and to for per one row each is are not an by with from this that which as on "
                    "or be".split())


def exempt_names(corpus: Path) -> tuple[str, ...]:
    """The proper names the English edition may write unmarked: provinces and the site's name."""
    provinces = {yaml.safe_load(md.read_text("utf-8").split("---")[1])["province"]
                 for md in (corpus / "plans").glob("*.md")}
    if (corpus / "provinces.yaml").exists():  # the units of the lineage table: plans' and today's provinces
        provinces |= {u["vi"] for u in yaml.safe_load((corpus / "provinces.yaml").read_text("utf-8")) or []}
    return tuple(sorted({*provinces, strings("vi")["site_name"]}, key=len, reverse=True))


def _strip(text: str, names: tuple[str, ...]) -> str:
    for name in names:
        text = text.replace(name, " Name ")  # a name ends a run: it is not a word of the one next to it
    return text


def vietnamese_outside_vi(document: bytes | str, names: tuple[str, ...] = ()) -> list[tuple[str, str]]:
    """(where, run) for every run of Vietnamese words not inside an element with lang="vi"."""
    tree = html5lib.parse(document, namespaceHTMLElements=False)
    found: list[tuple[str, str]] = []

    def check(where: str, text: str | None, lang: str) -> None:
        if text and not lang.startswith("vi"):
            found.extend((where, r) for r in vi_word_runs(_strip(text, names)))

    def walk(el, lang: str) -> None:
        if not isinstance(el.tag, str) or el.tag in NOT_CHECKED:
            return
        lang = el.get("lang", lang)
        for attr in READ_ALOUD:
            check(f"{el.tag}@{attr}", el.get(attr), lang)
        check(el.tag, el.text, lang)
        for child in el:
            walk(child, lang)
            check(el.tag, child.tail, lang)

    walk(tree, "")
    return found


def english_outside_en(document: bytes | str) -> list[str]:
    """Runs of English words (two or more of ENGLISH among them) in Vietnamese text not marked lang="en"."""
    tree = html5lib.parse(document, namespaceHTMLElements=False)
    found: list[str] = []
    word = re.compile(r"[^\W\d_]+")

    def check(text: str | None, lang: str) -> None:
        if not text or lang != "vi":
            return
        current: list[str] = []
        for w in [*word.findall(text), "đ"]:  # "đ" closes the last run
            if w.isascii() and (current or w.lower() in ENGLISH):
                current.append(w)
                continue
            if sum(x.lower() in ENGLISH for x in current) >= 2:
                found.append(" ".join(current))
            current = []

    def walk(el, lang: str) -> None:
        if not isinstance(el.tag, str) or el.tag in NOT_CHECKED or el.tag in ("code", "pre"):
            return
        lang = el.get("lang", lang)
        check(el.text, lang)
        for child in el:
            walk(child, lang)
            check(child.tail, lang)

    walk(tree, "")
    return found


def _pages(site: Path, english: bool) -> list[Path]:
    return sorted(p for p in site.rglob("*.html")
                  if p.relative_to(site).parts[0] != "pagefind" and (p.relative_to(site).parts[0] == "en") == english)


# ---------------------------------------------------------------- the checker itself


def test_the_checker_catches_a_planted_run_of_vietnamese_in_text_and_in_a_read_aloud_attribute():
    planted = ('<!DOCTYPE html><html lang="en"><body><p>Issued by Ủy ban nhân dân tỉnh Trà Vinh.</p>'
               '<a href="#" aria-label="Kế hoạch của tỉnh">x</a></body></html>')
    found = vietnamese_outside_vi(planted)
    assert ("p", "nhân dân tỉnh Trà") in found  # "ban" has no Vietnamese letter
    assert ("a@aria-label", "Kế hoạch của tỉnh") in found


def test_the_checker_accepts_vietnamese_marked_lang_vi_and_single_words():
    marked = ('<!DOCTYPE html><html lang="en"><body><p>Issued by <span lang="vi">Ủy ban nhân dân tỉnh Trà Vinh'
              '</span>; “xhội” is garbled.</p><section lang="vi"><p>Kế hoạch</p><b title="Chỉ thị">a</b></section>'
              '<textarea>Kế hoạch số 27</textarea></body></html>')
    assert vietnamese_outside_vi(marked) == []


def test_the_checker_leaves_out_province_names_but_not_the_words_around_them():
    names = exempt_names(REAL_CORPUS)
    assert "Quảng Ninh" in names and "Ninh Thuận" in names
    assert vietnamese_outside_vi("<p>Ninh Thuận, Quảng Ninh 2021</p>", names) == []
    assert vietnamese_outside_vi("<p>tỉnh Quảng Ninh năm 2021</p>", names) == []  # one word each side
    assert vietnamese_outside_vi("<p>Ủy ban nhân dân tỉnh Quảng Ninh</p>", names) == [("p", "nhân dân tỉnh")]


def test_the_english_gloss_checker_catches_an_unmarked_gloss_and_accepts_a_marked_one():
    assert english_outside_en('<html lang="vi"><p>Một dòng / One row per source document.</p></html>') \
        == ["One row per source document"]
    assert english_outside_en('<html lang="vi"><p>Một dòng / <span lang="en">One row per source document'
                              '</span>.</p></html>') == []


@pytest.mark.parametrize("text, expected", [
    ("Residents of the Cơ sở cai nghiện ma túy tỉnh who are eligible",
     ["Residents of the ", "<vi>Cơ sở cai nghiện ma túy tỉnh", " who are eligible"]),
    ("Counted in lượt người (treatment episodes).", ["Counted in ", "<vi>lượt người", " (treatment episodes)."]),
    ("The value is the word “một”.", ["The value is the word “", "<vi>một", "”."]),
    ("No Vietnamese here.", ["No Vietnamese here."]),
])
def test_runs_marks_the_vietnamese_words_of_an_english_note(text, expected):
    assert [("<vi>" if r.lang else "") + r.text for r in runs(text, "en")] == expected


def test_runs_leaves_a_vietnamese_page_alone():
    assert [r.lang for r in runs("Kế hoạch (Plan)", "vi")] == [""]


# ---------------------------------------------------------------- every label has its English


def test_a_new_subject_without_an_english_label_is_refused(tmp_path):
    root = write_corpus(tmp_path)
    edit(root / "subjects.yaml", "- {id: can_bo, vi: cán bộ, en: officials, family: can_bo}",
         "- {id: can_bo, vi: cán bộ, family: can_bo}")
    found = [p for p in check(root) if p.severity == "error"]
    assert [(p.file, p.message) for p in found] == [("corpus/subjects.yaml", "is missing: add `en: …`.")]


def test_an_english_label_left_in_vietnamese_is_a_warning(tmp_path):
    root = write_corpus(tmp_path)
    edit(root / "subjects.yaml", "en: officials,", "en: cán bộ chính quyền,")
    assert Problem("warning", "corpus/subjects.yaml", "line 2 (field can_bo.en)",
                   "'cán bộ chính quyền' reads as Vietnamese: write the English label (a Vietnamese name it must "
                   "keep belongs in `vi`).") in check(root)


def test_every_label_of_the_real_corpus_has_an_english_gloss_that_reads_as_english():
    found = [p for p in check(REAL_CORPUS) if ".en" in p.where or "note_en" in p.where or "provenance_en" in p.where]
    assert found == []


# ---------------------------------------------------------------- the built site


def test_no_english_page_has_vietnamese_words_outside_lang_vi(built_site):
    names = exempt_names(REAL_CORPUS)
    pages = _pages(built_site, english=True)
    assert len(pages) > 50, "the English edition was not built"
    problems = {str(p.relative_to(built_site)): found for p in pages
                if (found := vietnamese_outside_vi(p.read_bytes(), names))}
    assert not problems, "Vietnamese outside lang=\"vi\" on English pages:\n" + "\n".join(
        f"{path}: {found[:5]}" for path, found in sorted(problems.items()))


def test_no_vietnamese_page_has_an_english_gloss_outside_lang_en(built_site):
    pages = _pages(built_site, english=False)
    assert len(pages) > 50
    problems = {str(p.relative_to(built_site)): found for p in pages if (found := english_outside_en(p.read_bytes()))}
    assert not problems, "English outside lang=\"en\" on Vietnamese pages:\n" + "\n".join(
        f"{path}: {found[:5]}" for path, found in sorted(problems.items()))
