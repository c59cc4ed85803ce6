"""What the site leaves out or writes once to stay small (issue 10 step 3: a national corpus in 1 GB):
these tests say what each page still carries."""
from __future__ import annotations

from sitegen.pages.kit import DESCRIPTION_MAX, meta_description


def test_a_short_description_is_kept_whole():
    assert meta_description("Biểu đồ cột: 3 kế hoạch.") == "Biểu đồ cột: 3 kế hoạch."


def test_a_long_description_is_cut_at_a_word_with_an_ellipsis():
    text = "An Giang 2009: 95%; " * 40
    short = meta_description(text)
    assert len(short) <= DESCRIPTION_MAX and short.endswith("…")
    kept = short[:-1]
    assert text.startswith(kept) and text[len(kept)] in " ;:"  # whole words, no trailing separator
    assert kept[-1] not in " ;:"
