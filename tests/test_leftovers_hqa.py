"""Leftovers of issues 18 and 20: small wording and message fixes, each pinned here."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from sitegen import i18n
from sitegen.pages.plans import draft_review_flag


def _kit(lang):
    return SimpleNamespace(lang=lang, t=lambda key, **kw: i18n.t(lang, key, **kw))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_draft_with_an_empty_review_list_says_nothing_is_left(lang):
    said = draft_review_flag(_kit(lang), ())
    assert i18n.t(lang, "unknown") not in said
    assert "status: draft" in said
    assert ("Không còn mục nào" if lang == "vi" else "Nothing is left") in said


def test_a_draft_with_review_items_lists_them():
    said = draft_review_flag(_kit("en"), ("title", "targets"))
    assert said == "Not yet reviewed: title; targets."


# ---------------------------------------------------------------- 3: an instrument page's share description

def test_an_english_instrument_page_is_shared_with_an_english_description():
    from helpers import REAL_CORPUS
    from sitegen.pages.kit import Kit
    from sitegen.pages.legal import instrument
    from sitegen.pipeline import gather

    site = gather(REAL_CORPUS).site
    ct36 = site.instruments["chi-thi-36-ct-tw-2019-08-16"]
    assert ct36.title  # the registry gives its Vietnamese title
    vi = instrument(Kit(site, "vi"), ct36).base.description
    en = instrument(Kit(site, "en"), ct36).base.description
    assert vi.startswith(ct36.title[:40])
    assert en.startswith("Directive 36-CT/TW, 16 August 2019: the plans in this corpus that cite it")
    assert "Title (in Vietnamese)" in en  # the Vietnamese words in it are said to be Vietnamese


# ---------------------------------------------------------------- 6: did you mean, only when clearly close

def test_did_you_mean_suggests_only_a_clear_misspelling():
    from sitegen.textutil import did_you_mean

    small = ["Quảng Ninh", "Trà Vinh", "Tuyên Quang", "Ninh Thuận"]
    assert did_you_mean("Quảng Bình", small) == ""  # another real province, not a typo
    assert did_you_mean("Tra Vinh", small) == " Did you mean Trà Vinh?"
    assert did_you_mean("quảng  ninh", small) == " Did you mean Quảng Ninh?"
    assert did_you_mean("Quảng Nihn", small) == " Did you mean Quảng Ninh?"
    assert did_you_mean("Tuyen Quan", small) == " Did you mean Tuyên Quang?"
    assert did_you_mean("Hà Nội", small) == ""


def test_a_province_of_the_table_at_another_date_gets_no_suggestion(tmp_path):
    from helpers import check, copy_real_corpus, edit

    corpus = copy_real_corpus(tmp_path / "corpus")
    edit(corpus / "plans" / "tra-vinh-2022.md", "province: Trà Vinh", "province: Huế")  # a unit from 2025 on
    msgs = [p.message for p in check(corpus) if p.severity == "error" and "Huế" in p.message]
    assert msgs and all("was not a provincial unit" in m and "Did you mean" not in m for m in msgs), msgs


# ---------------------------------------------------------------- 5: the editor's rules are in corpus/README.md

def test_corpus_readme_documents_the_new_editor_messages():
    from helpers import REAL_CORPUS

    rules = (REAL_CORPUS / "README.md").read_text(encoding="utf-8").split("What the build refuses")[1]
    rules = rules.split("\n## ")[0]
    for said in ('`number: "no"`', "A `---` line inside the front matter", "spaces after it",
                 "**Symbolic links.**", "**Ids.**", "an id to write instead"):
        assert said in rules, said


# ---------------------------------------------------------------- the English legal index names each type

def test_the_english_legal_index_names_the_types_in_english_with_the_vietnamese_marked():
    from helpers import REAL_CORPUS
    from sitegen.pages.kit import Kit
    from sitegen.pages.legal import legal_index
    from sitegen.pipeline import gather

    site = gather(REAL_CORPUS).site
    en = legal_index(Kit(site, "en")).page
    directive = next(r for r in en.rows if r.type == "Chỉ thị")
    assert [(r.text, r.lang) for r in directive.type_runs] == [("Directive (", ""), ("Chỉ thị", "vi"), (")", "")]
    assert ("Chỉ thị", "Directive") in en.types  # the filter matches the type, shows it in English
    vi = legal_index(Kit(site, "vi")).page
    assert ("Chỉ thị", "Chỉ thị") in vi.types
