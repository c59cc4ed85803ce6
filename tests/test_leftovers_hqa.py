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
