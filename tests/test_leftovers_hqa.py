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
