"""textutil: numbers as Vietnamese writes them, accent stripping, slugs, folding."""
from __future__ import annotations

import pytest

from sitegen.textutil import fold, numbers_in, slugify, squash, strip_accents, value_in_text


def test_a_dot_between_digit_groups_is_a_thousands_separator():
    assert numbers_in("1.330") == [1330.0]


def test_several_thousands_groups_are_one_number():
    assert numbers_in("1.234.567 lượt người") == [1234567.0]


def test_a_comma_is_the_decimal_separator():
    assert numbers_in("103,9") == [pytest.approx(103.9)]


def test_thousands_dot_and_decimal_comma_together():
    assert numbers_in("1.330,5") == [pytest.approx(1330.5)]


def test_a_leading_zero_is_kept_as_the_same_number():
    assert numbers_in("06") == [6.0]


def test_number_words_count_as_numbers_each_time_they_occur():
    assert numbers_in("một lần một tháng") == [1.0, 1.0]


def test_number_words_are_found_regardless_of_case():
    assert numbers_in("Mười người") == [10.0]


def test_nam_before_a_year_is_the_word_year_not_five():
    assert numbers_in("đến năm 2025 đạt 50%") == [2025.0, 50.0]


def test_nam_alone_is_five():
    assert numbers_in("năm người") == [5.0]


def test_every_number_of_a_range_is_found_in_order():
    assert numbers_in("từ 10% đến 15%") == [10.0, 15.0]


def test_a_date_gives_its_parts_as_numbers():
    assert numbers_in("ngày 02/02/2021") == [2.0, 2.0, 2021.0]


def test_text_without_numbers_gives_nothing():
    assert numbers_in("phòng, chống tệ nạn xã hội") == []


def test_value_in_text_matches_the_thousands_form():
    assert value_in_text(1330, "tập huấn cho 1.330 cán bộ")


def test_value_in_text_matches_a_number_word():
    assert value_in_text(1, "ít nhất một lần một tháng")


def test_value_in_text_rejects_a_number_that_is_not_there():
    assert not value_in_text(5, "đến năm 2025 đạt 50% số xã")


def test_value_in_text_does_not_read_1330_as_1_or_330():
    assert not value_in_text(330, "1.330 cán bộ")
    assert not value_in_text(1, "1.330 cán bộ")


def test_strip_accents_removes_diacritics_and_lowers_case():
    assert strip_accents("Quảng Ninh") == "quang ninh"


def test_strip_accents_turns_d_with_stroke_into_d():
    assert strip_accents("ĐẮK LẮK đường") == "dak lak duong"


def test_strip_accents_works_on_decomposed_input():
    assert strip_accents("Qua\u0309ng Ninh") == "quang ninh"


def test_slugify_gives_lower_case_ascii_with_hyphens():
    assert slugify("Quảng Ninh") == "quang-ninh"


def test_slugify_collapses_punctuation_and_trims_hyphens():
    assert slugify("  Bà Rịa – Vũng Tàu! ") == "ba-ria-vung-tau"


def test_slugify_of_markup_keeps_only_letters_and_digits():
    assert slugify('<script>alert(1)</script>') == "script-alert-1-script"


def test_slugify_of_nothing_but_punctuation_is_empty():
    assert slugify("<>/..") == ""


def test_squash_collapses_every_run_of_white_space_and_trims():
    assert squash("  một\n\n hai\t\u00a0ba ") == "một hai ba"


def test_fold_ignores_case_and_spacing_but_keeps_diacritics():
    assert fold("  Công   an TỈNH ") == fold("công an tỉnh")
    assert fold("Công an tỉnh") != fold("Cong an tinh")


def test_fold_treats_composed_and_decomposed_forms_alike():
    assert fold("Ti\u0309nh") == fold("Tỉnh")
