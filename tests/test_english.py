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


# What an English reader trips over besides Vietnamese words (issue 20): a count of one with a plural
# noun ("1 plans") and a date written the Vietnamese way ("06/12/2026", or the blank "dd/mm/yyyy" a
# citation fills in), outside lang="vi" and outside quotation marks (a quoted source line keeps its form).
SLIPS = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/\d{4}(?![\d/])|dd/mm/yyyy"
                   r"|\b1 (?:plans|targets|provinces|instruments|parts|documents|days|months|groups|items)\b")
PLURAL_ONLY = re.compile(r"\b1 (?:plans|targets|provinces|instruments|parts|documents|days|months|groups|items)\b")
QUOTED_SPANS = re.compile(r'"[^"]*"|“[^”]*”')


def english_slips(document: bytes | str) -> list[tuple[str, str]]:
    """(where, slip) for every "1 plans" or dd/mm/yyyy date on an English page outside lang="vi",
    including citations to copy (<textarea>) and what a shared link shows (<meta content>, plurals only:
    an instrument's description is its Vietnamese title)."""
    tree = html5lib.parse(document, namespaceHTMLElements=False)
    found: list[tuple[str, str]] = []

    def check(where: str, text: str | None, lang: str, pattern=SLIPS) -> None:
        if text and not lang.startswith("vi"):
            found.extend((where, m.group(0)) for m in pattern.finditer(QUOTED_SPANS.sub(" ", text)))

    def walk(el, lang: str) -> None:
        if not isinstance(el.tag, str) or el.tag in ("script", "style", "template"):
            return
        lang = el.get("lang", lang)
        for attr in (*READ_ALOUD, "data-template"):
            check(f"{el.tag}@{attr}", el.get(attr), lang)
        check(f"{el.tag}@content", el.get("content"), lang, PLURAL_ONLY)
        # The element's own text with each child as a placeholder: a quotation may hold marked words.
        own = [el.text or ""]
        for child in el:
            walk(child, lang)
            own += [" \u2026 ", child.tail or ""]
        check(el.tag, "".join(own), lang)

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


def test_the_slip_checker_catches_a_plural_of_one_and_vietnamese_dates_in_english():
    planted = ('<!DOCTYPE html><html lang="en"><head><meta property="og:description" content="1 plans of 1 '
               'provinces"></head><body><p>Adopted on 06/12/2026 by 1 plans.</p>'
               '<textarea>Law (accessed dd/mm/yyyy).</textarea></body></html>')
    assert sorted(english_slips(planted)) == sorted([
        ("meta@content", "1 plans"), ("meta@content", "1 provinces"), ("p", "06/12/2026"), ("p", "1 plans"),
        ("textarea", "dd/mm/yyyy")])


def test_the_slip_checker_accepts_vietnamese_dates_marked_or_quoted_and_english_forms():
    fine = ('<!DOCTYPE html><html lang="en"><body><p>1 plan, 2 plans, 6 December 2026 '
            '<span lang="vi">ngày 06/12/2026</span>; the line "Ngày ban hành 02/02/2021".</p>'
            '<textarea>(accessed d Month yyyy)</textarea></body></html>')
    assert english_slips(fine) == []


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


def test_no_english_page_writes_1_plans_or_a_date_the_vietnamese_way(built_site):
    pages = _pages(built_site, english=True)
    assert len(pages) > 50, "the English edition was not built"
    problems = {str(p.relative_to(built_site)): found for p in pages if (found := english_slips(p.read_bytes()))}
    assert not problems, "English slips on English pages:\n" + "\n".join(
        f"{path}: {found[:5]}" for path, found in sorted(problems.items()))
