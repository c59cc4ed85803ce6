"""Stage 2, validate: every rule of corpus/README.md, each reported with its file, line, field and fix.

Each test writes the tiny two-plan corpus of tests/helpers.py into tmp_path, breaks one
thing, and asserts the exact problem the build reports.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from helpers import MD_A, MD_B, PLAN_A, YAML_A, check, edit, errors, line_of, only_error, write_corpus
from sitegen.model import Problem
from sitegen.pipeline import gather
from sitegen.checks import data_version

MD_FILE = f"corpus/{MD_A}"
DATA_FILE = f"corpus/{YAML_A}"


@pytest.fixture
def root(tmp_path) -> Path:
    return write_corpus(tmp_path)


def _md(root: Path) -> Path:
    return root / MD_A


def _data(root: Path) -> Path:
    return root / YAML_A


def _corpus(root: Path):
    gathered = gather(root)  # raises BuildError on an error
    return gathered.site.corpus


def _plan(root: Path, plan_id: str = PLAN_A):
    return next(p for p in _corpus(root).plans if p.id == plan_id)


# ---------------------------------------------------------------- the valid corpus


def test_the_tiny_corpus_has_no_problem_at_all(root):
    assert check(root) == []


def test_a_valid_plan_becomes_a_plan_with_its_data(root):
    plan = _plan(root)
    assert (plan.province, plan.number, plan.issued, plan.year, plan.period_end) == (
        "Quảng Ninh", "12/KH-UBND", "2020-03-05", 2020, 2020)
    assert [t.id for t in plan.targets] == ["t01", "t02"]
    assert plan.targets[1].value == 1330 and plan.targets[1].deadline is None
    assert [(t.agency, t.as_written) for t in plan.tasks] == [("cong-an-tinh", "Công an tỉnh")]


def test_unknown_becomes_none(root):
    plan = _plan(root, "quang-ninh-2021")
    assert (plan.number, plan.issuer, plan.signer, plan.issued, plan.field) == (None,) * 5
    assert (plan.press_outlet, plan.press_published, plan.press_author) == ("Báo Thử", "2021-04-01", None)


def test_plans_are_ordered_by_province_then_year(root):
    assert [p.id for p in _corpus(root).plans] == ["quang-ninh-2020", "quang-ninh-2021"]


def test_the_data_version_is_the_first_version_heading_of_the_changelog(root):
    assert _corpus(root).data_version == "1.2.0"


@pytest.mark.parametrize("bad", ["../../x", "1.0 <b>", "v 2", ".hidden"])
def test_a_data_version_that_is_not_a_plain_version_is_refused(root, bad):
    edit(root / "CHANGELOG.md", "## 1.2.0", f"## {bad}")
    assert only_error(root) == Problem(
        "error", "corpus/CHANGELOG.md", "line 3",
        f"{bad!r} is not a data version: the first `## ` heading must be a version such as 2026.11.1 "
        "(letters, digits, dots and hyphens).")


def test_without_a_version_heading_the_data_version_is_0():
    assert data_version("# Changelog\n\nNothing yet.\n") == "0"


def test_a_problem_prints_as_severity_file_where_and_message():
    p = Problem("error", "corpus/plans/x.md", "line 3 (field id)", "is missing.")
    assert str(p) == "ERROR corpus/plans/x.md:line 3 (field id): is missing."


# ---------------------------------------------------------------- front matter: fields


def test_a_missing_required_field_is_named_with_the_front_matter_line(root):
    edit(_md(root), "province: Quảng Ninh\n", "")
    assert only_error(root) == Problem("error", MD_FILE, "line 2 (field province)", "is missing: add `province: …`.")


def test_a_missing_field_that_may_be_unknown_says_to_write_unknown(root):
    edit(_md(root), "signer: Nguyễn Văn A\n", "")
    assert only_error(root).message == "is missing: add `signer: …` (write `unknown` if the source does not say)."


def test_unknown_is_refused_where_the_source_must_give_the_value(root):
    edit(_md(root), "province: Quảng Ninh", "province: unknown")
    p = only_error(root)
    assert (p.where, p.message) == (f"line {line_of(_md(root), 'province:')} (field province)",
                                    "cannot be `unknown`: the source must give it.")


def test_an_empty_field_that_may_be_unknown_says_to_write_unknown(root):
    edit(_md(root), "issuer: Ủy ban nhân dân tỉnh Quảng Ninh", 'issuer: ""')
    assert only_error(root).message == "is empty: write `unknown` if the source does not say."


def test_a_field_with_nothing_after_its_colon_is_empty_not_missing(root):
    edit(_md(root), "title: Phòng, chống tệ nạn xã hội năm 2020", "title:")
    assert only_error(root) == Problem("error", MD_FILE, f"line {line_of(_md(root), 'title:')} (field title)",
                                       "is empty: give its value.")


def test_a_list_where_text_is_expected_is_a_type_error(root):
    edit(_md(root), "title: Phòng, chống tệ nạn xã hội năm 2020", "title: [Phòng, chống]")
    p = only_error(root)
    assert (p.file, p.where, p.message) == (
        MD_FILE, f"line {line_of(_md(root), 'title:')} (field title)",
        "must be text, not a list: write the text after the colon, in quotes if it starts with [ or { or "
        "contains ': '.")


def test_a_number_where_text_is_expected_is_accepted_as_text(root):
    edit(_md(root), "number: 12/KH-UBND", "number: 12")
    assert _plan(root).number == "12"


def test_an_unknown_front_matter_field_is_a_warning_to_check_its_spelling(root):
    edit(_md(root), "field: Văn hóa - Xã hội\n", "field: Văn hóa - Xã hội\nsigner_tilte: x\n")
    assert check(root) == [Problem("warning", MD_FILE, f"line {line_of(_md(root), 'signer_tilte')} "
                                                       "(field signer_tilte)",
                                   "is not a known front matter field and is ignored: check its spelling "
                                   "(see corpus/README.md).")]


def test_a_province_without_letters_is_refused(root):
    edit(_md(root), "province: Quảng Ninh", 'province: "<>"')
    assert only_error(root).message.startswith("'<>' is not a province name")


# ---------------------------------------------------------------- front matter: id


def test_an_id_that_differs_from_the_file_name_says_to_rename(root):
    edit(_md(root), f"id: {PLAN_A}", "id: quang-ninh-2020-b")
    assert only_error(root) == Problem(
        "error", MD_FILE, "line 2 (field id)",
        f"'quang-ninh-2020-b' differs from the file name '{PLAN_A}'.md: rename one of them.")


@pytest.mark.parametrize("bad", ["Quang-Ninh-2020", "quang ninh 2020", "../../x", "2020-quang-ninh",
                                 "quang--ninh", "quang-ninh-"],
                         ids=["upper-case", "spaces", "dot-dot", "digit-first", "double-hyphen",
                              "trailing-hyphen"])
def test_an_invalid_plan_id_is_refused_with_the_rule(root, bad):
    edit(_md(root), f"id: {PLAN_A}", f'id: "{bad}"')
    p = only_error(root)
    assert p.where == "line 2 (field id)"
    assert p.message == (f"{bad!r} is not a valid plan id: use lower-case ASCII letters, digits and single "
                         "hyphens, starting with a letter (e.g. quang-ninh-2021-27-kh-ubnd).")


def test_a_plan_id_too_long_is_refused_saying_the_limit(root):
    edit(_md(root), f"id: {PLAN_A}", f'id: "{"a" * 81}"')
    p = only_error(root)
    assert p.where == "line 2 (field id)"
    assert "is 81 characters long; an id may have at most 80" in p.message and "shorten it" in p.message


def test_two_plans_with_the_same_id_are_refused_naming_the_other_file(root):
    edit(root / MD_B, "id: quang-ninh-2021", f"id: {PLAN_A}")
    found = errors(root)
    assert Problem("error", f"corpus/{MD_B}", "line 2 (field id)",
                   f"plan id '{PLAN_A}' is already used by {MD_FILE}: ids must be unique. Give this plan "
                   "its own id and name its two files after it.") in found
    assert any("differs from the file name" in p.message for p in found)


# ---------------------------------------------------------------- front matter: dates, period, kinds


def test_a_date_in_another_format_is_refused_with_the_format(root):
    edit(_md(root), 'issued: "2020-03-05"', 'issued: "05/03/2020"')
    p = only_error(root)
    assert (p.where, p.message) == (f"line {line_of(_md(root), 'issued:')} (field issued)",
                                    "'05/03/2020' is not a date: write YYYY-MM-DD or `unknown`.")


@pytest.mark.parametrize("written", ['"2021-02-31"', "2021-02-31", "2021-13-01", '"2020-02-30"'])
def test_an_impossible_date_is_refused(root, written):
    edit(_md(root), 'issued: "2020-03-05"', f"issued: {written}")
    assert "is an impossible date (no such day): check the source." in only_error(root).message


def test_the_29th_of_february_of_a_leap_year_is_a_date(root):
    edit(_md(root), 'issued: "2020-03-05"', "issued: 2020-02-29")
    assert _plan(root).issued == "2020-02-29"


def test_a_period_of_several_years_gives_first_and_last_year(root):
    edit(_md(root), "period: 2020", "period: 2020-2025")
    assert (_plan(root).year, _plan(root).period_end) == (2020, 2025)


@pytest.mark.parametrize("bad", ["2025-2020", "20x0", "2020-25", "năm 2020"])
def test_a_bad_period_is_refused_with_the_format(root, bad):
    edit(_md(root), "period: 2020", f'period: "{bad}"')
    p = only_error(root)
    assert (p.where, p.message) == (f"line {line_of(_md(root), 'period:')} (field period)",
                                    f"{bad!r} is not a period: write YYYY or YYYY-YYYY.")


def test_source_kind_must_be_official_or_press(root):
    edit(_md(root), "source_kind: official", "source_kind: blog")
    assert only_error(root).message == "'blog' must be `official` or `press`."


@pytest.mark.parametrize("bad", ['"true"', "yes please", "1", "unknown"])
def test_excerpt_must_be_a_boolean(root, bad):
    edit(_md(root), "excerpt: false", f"excerpt: {bad}")
    p = only_error(root)
    assert (p.where, p.message) == (f"line {line_of(_md(root), 'excerpt:')} (field excerpt)",
                                    "must be true or false.")


def test_a_press_report_needs_its_press_mapping(root):
    text = (root / MD_B).read_text(encoding="utf-8")
    start = text.index("press:\n")
    (root / MD_B).write_text(text[:start] + text[text.index("---", start):], encoding="utf-8")
    p = only_error(root)
    assert (p.file, p.where, p.message) == (
        f"corpus/{MD_B}", "field press", "a press report needs `press:` with outlet, published and author.")


def test_a_press_report_publication_date_is_checked_with_its_field(root):
    edit(root / MD_B, 'published: "2021-04-01"', 'published: "2021-04-31"')
    p = only_error(root)
    assert p.where == f"line {line_of(root / MD_B, 'published:')} (field press.published)"
    assert "impossible date" in p.message


# ---------------------------------------------------------------- front matter: source file


@pytest.mark.parametrize("bad", ["sources/missing.txt", "../../etc/passwd", "/etc/passwd", "sources",
                                 "../corpus/../../etc/hostname"])
def test_source_file_must_be_a_file_inside_the_corpus(root, bad):
    edit(_md(root), "source_file: sources/a.txt", f'source_file: "{bad}"')
    p = only_error(root)
    assert (p.where, p.message) == (
        f"line {line_of(_md(root), 'source_file:')} (field source_file)",
        f"{bad!r} is not a file inside corpus/: copy the source into corpus/sources/ and give its path "
        "relative to corpus/.")


def test_a_symlink_out_of_the_corpus_is_not_a_source_file(root, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("secret", encoding="utf-8")
    (root / "sources" / "link.txt").symlink_to(outside)
    edit(_md(root), "source_file: sources/a.txt", "source_file: sources/link.txt")
    assert f"is a symbolic link to {outside}, outside corpus/" in only_error(root).message


def test_a_source_file_over_the_size_limit_is_refused(root):
    with (root / "sources" / "a.txt").open("r+b") as f:
        f.truncate(50 * 1024 * 1024)
    p = only_error(root)
    assert p.where.endswith("(field source_file)")
    assert p.message == "'sources/a.txt' is 50.0 MB; a source may be at most 5 MB: keep only the plan's text."


# ---------------------------------------------------------------- front matter: header, garbled, body


def test_a_header_that_is_not_a_mapping_is_refused(root):
    text = _md(root).read_text(encoding="utf-8")
    start, end = text.index("header:\n"), text.index("signature:\n")
    _md(root).write_text(text[:start] + "header: [ỦY BAN NHÂN DÂN]\n" + text[end:], encoding="utf-8")
    p = only_error(root)
    assert (p.where, p.message) == (f"line {line_of(_md(root), 'header:')} (field header)", "must be a mapping.")


def test_header_lines_must_be_a_list_of_text(root):
    edit(_md(root), "left: [ỦY BAN NHÂN DÂN, TỈNH QUẢNG NINH]", "left: {a: b}")
    p = only_error(root)
    assert (p.where, p.message) == (f"line {line_of(_md(root), 'left:')} (field header.left)",
                                    "must be a list of lines of text.")


def test_a_garbled_spot_must_occur_exactly_in_the_text(root):
    edit(_md(root), 'text: "tuyên truyềnn"', 'text: "tuyen truyenn"')
    p = only_error(root)
    assert (p.where, p.message) == (
        f"line {line_of(_md(root), 'tuyen truyenn')} (field garbled[0].text)",
        "'tuyen truyenn' does not occur in the plan: garbled spots are noted exactly as the text has them.")


def test_a_garbled_spot_may_be_in_the_header(root):
    edit(_md(root), 'text: "tuyên truyềnn"', 'text: "TỈNH QUẢNG NINH"')
    assert _plan(root).garbles[0].text == "TỈNH QUẢNG NINH"


def test_a_plan_without_text_is_refused_at_the_line_after_the_front_matter(root):
    text = _md(root).read_text(encoding="utf-8")
    cut = text.index("---\n", 4) + 4
    _md(root).write_text(text[:cut] + "\n\n", encoding="utf-8")
    body_line = text[:cut].count("\n") + 1
    assert Problem("error", MD_FILE, f"line {body_line}",
                   "has no text after the front matter: the plan's text is required.") in errors(root)


# ---------------------------------------------------------------- data file: sections


def test_a_data_file_without_targets_says_to_write_an_empty_list(root):
    edit(_data(root), "targets:\n", "other_targets:\n")
    found = check(root)
    assert Problem("error", DATA_FILE, "field targets",
                   "is missing: list the plan's targets, or write `targets: []` if it states none.") in found
    assert Problem("warning", DATA_FILE, "line 1 (field other_targets)",
                   "is not a known section (targets, commitments, tasks, themes, scope): it is ignored.") in found


def test_a_plan_with_no_targets_writes_an_empty_list(root):
    (root / "plans" / "quang-ninh-2021.yaml").write_text("targets: []\n", encoding="utf-8")
    assert _plan(root, "quang-ninh-2021").targets == ()


def test_a_section_that_is_not_a_list_is_refused(root):
    edit(_data(root), "tasks:\n", "tasks: Công an tỉnh\nunused:\n")
    assert Problem("error", DATA_FILE, f"line {line_of(_data(root), 'tasks:')} (field tasks)",
                   "must be a list.") in errors(root)


def test_a_target_that_is_not_a_mapping_is_refused(root):
    edit(_data(root), "targets:\n", "targets:\n  - just text\n")
    assert Problem("error", DATA_FILE, "line 2 (field targets[0])", "must be a mapping.") in errors(root)


# ---------------------------------------------------------------- data file: targets


def _target_error(root, old, new):
    edit(_data(root), old, new)
    return only_error(root)


def test_a_target_id_must_be_t_and_digits(root):
    p = _target_error(root, "- id: t01", "- id: target1")
    assert (p.file, p.where, p.message) == (DATA_FILE, "line 2 (field targets[0].id)",
                                            "'target1': target ids are t + digits (t01), at most 80 characters: "
                                            "write t01 (the first id this plan does not use).")


def test_a_target_id_used_twice_is_refused(root):
    p = _target_error(root, "- id: t02", "- id: t01")
    assert (p.where, p.message) == (f"line {line_of(_data(root), 'category: training') - 1} "
                                    "(field targets[1].id)",
                                    "'t01' is used twice in this plan (first on line 2): give each target its own id, "
                                    "e.g. t02 (the first this plan does not use), and check the `parent:` fields that "
                                    "name t01.")


@pytest.mark.parametrize("key,old,new,table,known", [
    ("category", "category: communication", "category: propaganda", "taxonomy", "communication, training"),
    ("subject", "subject: xa\n", "subject: commune\n", "subjects", "can_bo, xa"),
    ("unit", "unit: percent", "unit: pct", "units", "people, percent"),
])
def test_an_unknown_lookup_id_is_refused_listing_the_known_ones(root, key, old, new, table, known):
    p = _target_error(root, old, new)
    bad = new.split(": ")[1].strip()
    assert (p.where, p.message) == (f"line {line_of(_data(root), new.strip())} (field targets[0].{key})",
                                    f"{bad!r} is not in corpus/{table}.yaml: use one of {known}, or add it there.")


def test_a_value_written_as_vietnamese_text_is_refused_with_how_to_write_it(root):
    p = _target_error(root, "value: 1330", 'value: "1.330"')
    line = line_of(_data(root), 'value: "1.330"')
    assert (p.where, p.message) == (f"line {line} (field targets[1].value)",
                                    "must be a number, not '1.330' (write 1330, not \"1.330\").")


@pytest.mark.parametrize("bad", ["true", ".nan", ".inf", "[100]"])
def test_a_value_that_is_not_a_finite_number_is_refused(root, bad):
    p = _target_error(root, "value: 100\n", f"value: {bad}\n")
    assert p.where == f"line {line_of(_data(root), f'value: {bad}')} (field targets[0].value)"
    assert p.message.startswith("must be a number, not ")


def test_a_missing_value_is_refused(root):
    p = _target_error(root, "    value: 100\n", "")
    assert (p.where, p.message) == ("line 2 (field targets[0].value)",
                                    "is missing: give the number the quote states.")


def test_a_value_that_is_not_in_its_quote_is_refused(root):
    p = _target_error(root, "value: 100\n", "value: 90\n")
    assert (p.where, p.message) == (
        f"line {line_of(_data(root), 'value: 90')} (field targets[0].value)",
        "90 does not appear in its quote 'Phấn đấu 100% xã, phường, thị trấn được tuyên truyền': the quote must "
        "contain the number.")


def test_a_value_as_a_number_word_in_its_quote_is_accepted(root):
    edit(root / MD_A, "Tổ chức 06 lớp", "Tổ chức sáu lớp")
    edit(_data(root), "Tổ chức 06 lớp", "Tổ chức sáu lớp")
    edit(_data(root), "value: 1330", "value: 6")
    assert _plan(root).targets[1].value == 6


def test_a_value_max_that_is_not_in_its_quote_is_refused(root):
    p = _target_error(root, "value: 100\n    value_max: null", "value: 100\n    value_max: 120")
    assert p.where == f"line {line_of(_data(root), 'value_max: 120')} (field targets[0].value_max)"
    assert p.message.startswith("120 does not appear in its quote")


def test_a_range_must_end_above_its_start(root):
    edit(root / MD_A, "1.330 cán bộ.", "1.330 đến 1.000 cán bộ.")
    edit(_data(root), "cho 1.330 cán bộ", "cho 1.330 đến 1.000 cán bộ")
    p = _target_error(root, "value: 1330\n    value_max: null", "value: 1330\n    value_max: 1000")
    assert (p.where, p.message) == (f"line {line_of(_data(root), 'value_max: 1000')} (field targets[1].value_max)",
                                    "must be greater than value for a range.")


def test_subject_text_must_appear_in_the_quote(root):
    p = _target_error(root, "subject_text: cán bộ", "subject_text: công chức")
    assert (p.where, p.message) == (f"line {line_of(_data(root), 'công chức')} (field targets[1].subject_text)",
                                    "'công chức' does not appear in the quote.")


def test_subject_text_matches_ignoring_case(root):
    edit(_data(root), "subject_text: cán bộ", "subject_text: Cán Bộ")
    assert _plan(root).targets[1].subject_text == "Cán Bộ"


@pytest.mark.parametrize("key,old,new,allowed", [
    ("comparator", 'comparator: "="\n    direction: đạt\n    deadline: 2020', 'comparator: "=="\n    direction: đạt\n    deadline: 2020', "=, >=, >, <="),
    ("direction", "direction: đạt\n    deadline: 2020", "direction: up\n    deadline: 2020", "tăng, giảm, duy trì, đạt"),
])
def test_comparator_and_direction_are_closed_lists(root, key, old, new, allowed):
    p = _target_error(root, old, new)
    assert p.where.endswith(f"(field targets[0].{key})")
    assert p.message.endswith(f"must be one of: {allowed}.")


@pytest.mark.parametrize("bad", ['"2020"', "3000", "20.5", "soon"])
def test_a_deadline_must_be_a_year_or_unknown(root, bad):
    p = _target_error(root, "deadline: 2020", f"deadline: {bad}")
    assert p.where == f"line {line_of(_data(root), f'deadline: {bad}')} (field targets[0].deadline)"
    assert p.message.endswith("must be a year (e.g. 2021) or `unknown`.")


def test_a_quote_that_is_not_in_the_text_is_refused_with_how_to_fix(root):
    p = _target_error(root, '"Phấn đấu 100% xã, phường, thị trấn được tuyên truyền"',
                      '"Phấn đấu 100% xã, phường, thị trấn được tuyên truyên"')
    assert (p.where, p.message) == (
        f"line {line_of(_data(root), 'tuyên truyên')} (field targets[0].quote)",
        "is not found verbatim in the plan's text: 'Phấn đấu 100% xã, phường, thị trấn được tuyên truyên'. "
        "Copy it exactly from the .md body (diacritics, punctuation, spelling). "
        "The nearest text is: 'Phấn đấu 100% xã, phường, thị trấn được tuyên truyền'.")


def test_a_quote_without_diacritics_is_not_the_same_quote(root):
    p = _target_error(root, '"Phấn đấu 100% xã, phường, thị trấn được tuyên truyền"',
                      '"Phan dau 100% xa, phuong, thi tran duoc tuyen truyen"')
    assert "is not found verbatim" in p.message


def test_a_quote_may_differ_from_the_text_in_white_space(root):
    edit(_data(root), '"Phấn đấu 100% xã, phường, thị trấn được tuyên truyền"',
         '"Phấn  đấu 100%\\n xã, phường,   thị trấn được tuyên truyền"')
    assert _plan(root).targets[0].value == 100


def test_a_quote_running_across_two_paragraphs_is_refused(root):
    p = _target_error(root, '"Tổ chức 06 lớp tập huấn cho 1.330 cán bộ"',
                      '"phòng, chống ma túy. 1.2. Tổ chức 06 lớp tập huấn cho 1.330 cán bộ"')
    assert p.where == f"line {line_of(_data(root), 'ma túy. 1.2.')} (field targets[1].quote)"
    assert p.message.startswith("runs across two paragraphs or headings of the text")
    assert p.message.endswith("A quote must lie within one paragraph: shorten it to the part that says it.")


def test_a_missing_quote_is_refused(root):
    p = _target_error(root, '    quote: "Tổ chức 06 lớp tập huấn cho 1.330 cán bộ"\n', "")
    assert (p.where, p.message) == (f"line {line_of(_data(root), '- id: t02')} (field targets[1].quote)",
                                    "is missing: add `quote: …`.")


def test_a_sub_target_names_its_parent(root):
    edit(_data(root), "deadline: unknown\n    parent: null", "deadline: unknown\n    parent: t01")
    assert _plan(root).targets[1].parent == "t01"


@pytest.mark.parametrize("bad", ["t09", "t02"], ids=["missing-target", "itself"])
def test_a_parent_must_be_another_target_of_the_plan(root, bad):
    p = _target_error(root, "deadline: unknown\n    parent: null", f"deadline: unknown\n    parent: {bad}")
    assert (p.where, p.message) == (
        f"line {line_of(_data(root), f'parent: {bad}')} (field targets[1].parent)",
        f"{bad!r} is not another target of this plan: give the id of the target this one is part of, or null.")


def test_a_parent_that_is_not_text_is_refused(root):
    p = _target_error(root, "deadline: unknown\n    parent: null", "deadline: unknown\n    parent: [t01]")
    assert p.where == f"line {line_of(_data(root), 'parent: [t01]')} (field targets[1].parent)"
    assert "must be the id of another target" in p.message


def test_a_note_must_be_text(root):
    p = _target_error(root, 'note: ""', "note: [a]")
    assert (p.where, p.message) == (f"line {line_of(_data(root), 'note: [a]')} (field targets[0].note)",
                                    "must be text.")


# ---------------------------------------------------------------- data file: commitments, tasks, themes


def test_a_commitment_kind_must_be_in_the_table(root):
    p = _target_error(root, "kind: no_hotspot", "kind: hotspots")
    assert (p.where, p.message) == (
        f"line {line_of(_data(root), 'kind: hotspots')} (field commitments[0].kind)",
        "'hotspots' is not in corpus/commitments.yaml: use one of no_hotspot, or add it there.")


def test_a_commitment_id_must_be_c_and_digits(root):
    p = _target_error(root, "- id: c01", "- id: t01")
    assert (p.where, p.message) == (f"line {line_of(_data(root), 'kind: no_hotspot') - 1} "
                                    "(field commitments[0].id)", "'t01': commitment ids are c + digits (c01), at most 80 characters: "
                                                                "write c01 (the first id this plan does not use).")


def test_a_commitment_id_used_twice_is_refused(root):
    edit(_data(root), "tasks:\n", '  - id: c01\n    kind: no_hotspot\n    quote: "không để hình thành"\ntasks:\n')
    assert only_error(root).message == (f"'c01' is used twice in this plan (first on line {line_of(_data(root), 'id: c01')})"
                                        ": give each commitment its own id, e.g. c02 (the first this plan does not use).")


def test_an_agency_that_is_not_in_the_table_is_refused_with_how_to_add_it(root):
    p = _target_error(root, "agency: Công an tỉnh", "agency: Công an huyện")
    assert (p.where, p.message) == (
        f"line {line_of(_data(root), 'agency:')} (field tasks[0].agency)",
        "'Công an huyện' is not a name or alias in corpus/agencies.yaml: add it as an alias of the right "
        "agency (or a new agency).")


@pytest.mark.parametrize("written", ["CA tỉnh", "công an TỈNH", "Công  an\ttỉnh"])
def test_an_agency_alias_matches_ignoring_case_and_spacing(root, written):
    edit(_data(root), "agency: Công an tỉnh", f'agency: "{written}"')
    assert [(t.agency, t.as_written) for t in _plan(root).tasks] == [("cong-an-tinh", written)]


def test_an_agency_without_diacritics_does_not_match(root):
    p = _target_error(root, "agency: Công an tỉnh", "agency: Cong an tinh")
    assert p.message.startswith("'Cong an tinh' is not a name or alias")


def test_a_task_role_is_a_closed_list(root):
    p = _target_error(root, "role: chủ trì", "role: lead")
    assert (p.where, p.message) == (f"line {line_of(_data(root), 'role: lead')} (field tasks[0].role)",
                                    "'lead' must be one of: chủ trì, phối hợp, thực hiện.")


def test_a_theme_must_be_in_the_table(root):
    p = _target_error(root, "theme: ma-tuy\n    quote: \"phòng, chống ma túy\"\n", "theme: drugs\n    quote: \"phòng, chống ma túy\"\n")
    assert p.message == "'drugs' is not in corpus/themes.yaml: use one of ma-tuy, or add it there."


def test_a_task_quote_must_be_in_the_text(root):
    p = _target_error(root, '"Công an tỉnh chủ trì kiểm tra"', '"Công an tỉnh chủ trì thanh tra"')
    assert p.where == f"line {line_of(_data(root), 'thanh tra')} (field tasks[0].quote)"


# ---------------------------------------------------------------- lookup tables


def test_an_entry_no_plan_uses_is_a_warning(root):
    edit(root / "themes.yaml", "- {id: ma-tuy", "- {id: mai-dam, vi: Mại dâm, en: Prostitution}\n- {id: ma-tuy")
    assert check(root) == [Problem("warning", "corpus/themes.yaml", "field mai-dam",
                                   "is defined but no plan uses it.")]


def test_no_unused_entry_warnings_while_a_plan_has_errors(root):
    edit(_data(root), "agency: Công an tỉnh", "agency: Công an huyện")
    assert [p.severity for p in check(root)] == ["error"]


def test_an_id_defined_twice_in_a_table_is_refused(root):
    edit(root / "themes.yaml", "- {id: ma-tuy", "- {id: ma-tuy, vi: Ma túy 2, en: Drugs 2}\n- {id: ma-tuy")
    p = only_error(root)
    assert (p.file, p.where, p.message) == ("corpus/themes.yaml", "line 2 (field [1].id)",
                                            "'ma-tuy' is defined twice in themes (first on line 1): keep one of the two "
                                            "entries, or give this one an id of its own.")


def test_a_table_id_must_be_lower_case_ascii(root):
    edit(root / "units.yaml", "{id: people,", "{id: Người,")
    found = errors(root)
    assert Problem("error", "corpus/units.yaml", "line 2 (field [1].id)",
                   "'Người': ids are lower-case ASCII letters, digits, - and _, starting with a letter: write 'nguoi' "
                   "or another such id (and use it where the plans mean this entry).") in found


def test_a_table_entry_missing_a_field_is_refused(root):
    edit(root / "taxonomy.yaml", "  en: Staff training\n", "")
    p = only_error(root)
    assert (p.file, p.where, p.message) == (
        "corpus/taxonomy.yaml", f"line {line_of(root / 'taxonomy.yaml', 'id: training')} (field [1].en)",
        "is missing: add `en: …`.")


def test_a_table_entry_that_is_not_a_mapping_is_refused(root):
    (root / "themes.yaml").write_text("- {id: ma-tuy, vi: Ma túy, en: Drugs}\n- ma túy\n", encoding="utf-8")
    p = only_error(root)
    assert (p.file, p.where) == ("corpus/themes.yaml", "line 2 (field [1])")
    assert p.message == "must be a mapping with id, vi, en."


def test_a_unit_kind_is_percent_count_or_rate(root):
    edit(root / "units.yaml", "kind: count", "kind: number")
    p = only_error(root)
    assert (p.file, p.where, p.message) == ("corpus/units.yaml", "line 2 (field people.kind)",
                                            "must be percent, count or rate.")


@pytest.mark.parametrize("bad", ["province", "", "Tinh"])
def test_an_agency_kind_is_one_of_the_levels(root, bad):
    edit(root / "agencies.yaml", "kind: tinh", f'kind: "{bad}"')
    p = only_error(root)
    assert (p.file, p.where, p.message) == ("corpus/agencies.yaml", "line 1 (field cong-an-tinh.kind)",
                                            "must be one of: trung-uong, tinh, huyen, xa, doan-the.")


def test_a_name_that_belongs_to_two_agencies_is_refused(root):
    (root / "agencies.yaml").write_text((root / "agencies.yaml").read_text(encoding="utf-8") + """\
- id: cong-an-huyen
  vi: Công an huyện
  en: District Police
  kind: huyen
  aliases: [CA tỉnh]
""", encoding="utf-8")
    found = errors(root)
    assert [(p.file, p.where) for p in found] == [("corpus/agencies.yaml", "field cong-an-tinh.aliases")]
    assert found[0].message == "'CA tỉnh' is also a name of 'cong-an-huyen': a name maps to one agency."


def test_aliases_must_be_a_list_of_names(root):
    edit(root / "agencies.yaml", "aliases: [CA tỉnh, Công an Tỉnh]", "aliases: CA tỉnh")
    p = only_error(root)
    assert (p.where, p.message) == ("line 1 (field [0].aliases)", "must be a list of names.")


# ---------------------------------------------------------------- all at once


def test_every_problem_of_every_file_is_reported_in_one_run(root):
    edit(_md(root), 'issued: "2020-03-05"', 'issued: "2020-02-31"')
    edit(_data(root), "category: training", "category: trainin")
    edit(root / MD_B, "source_kind: press", "source_kind: news")
    edit(root / "units.yaml", "kind: count", "kind: many")
    found = {(p.file, p.where.split("(")[-1]) for p in errors(root)}
    assert found == {(MD_FILE, "field issued)"), (DATA_FILE, "field targets[1].category)"),
                     (f"corpus/{MD_B}", "field source_kind)"), ("corpus/units.yaml", "field people.kind)")}


def test_an_unquoted_comma_in_a_lookup_label_is_refused_instead_of_cutting_the_label(root):
    """`{vi: a, b, en: c}` reads "b" as a key: the label would silently lose its end."""
    path = root / "commitments.yaml"
    path.write_text("- {id: no_hotspot, vi: Không để hình thành điểm nóng, tụ điểm, en: No new hotspots}\n",
                    encoding="utf-8")
    errors = [p for p in check(root) if p.severity == "error"]
    assert [(p.file, p.where) for p in errors] == [("corpus/commitments.yaml", "line 1 (field [0].tụ điểm)")]
    assert 'put the value in quotes (vi: "a, b")' in errors[0].message
    path.write_text('- {id: no_hotspot, vi: "Không để hình thành điểm nóng, tụ điểm", en: No new hotspots}\n',
                    encoding="utf-8")
    assert check(root) == []


@pytest.mark.parametrize("ident", ["index", "page-2"])
def test_a_plan_id_that_names_a_page_of_the_plan_list_is_refused(root, ident):
    """plans/index.html and plans/page-N.html are the plan list: a plan there would overwrite it."""
    md = _md(root)
    md.write_text(md.read_text(encoding="utf-8").replace(f"id: {PLAN_A}", f"id: {ident}", 1), encoding="utf-8")
    errors = [p for p in check(root) if p.severity == "error" and "plan list" in p.message]
    assert len(errors) == 1 and errors[0].file == MD_FILE and "(field id)" in errors[0].where


def test_a_garbled_spot_has_what_it_should_read_or_a_remark_in_vietnamese_and_english(root):
    md = _md(root)
    text = md.read_text(encoding="utf-8")
    start = text.index("garbled:")
    end = text.index("\n", text.index("note:", start))
    md.write_text(text[:start] + 'garbled:\n  - {text: "tuyên truyềnn", remark: "thiếu dấu", remark_en: "no diacritics"}'
                  + text[end:], encoding="utf-8")
    (garble,) = _plan(root).garbles
    assert (garble.note, garble.remark, garble.remark_en) == ("", "thiếu dấu", "no diacritics")
    md.write_text(text[:start] + 'garbled:\n  - {text: "tuyên truyềnn"}' + text[end:], encoding="utf-8")
    assert [(p.where.split("(")[-1], p.message) for p in check(root) if p.severity == "error"] == [
        ("field garbled[0].note)", "is missing: add `note:` (what it should read) or, for a fault that is not a "
                                   "misspelling, `remark:` and `remark_en:` (what is wrong).")]


# ---------------------------------------------------------------- scope, topics and the subject hierarchy


def test_the_tiny_corpus_has_a_scope_and_target_topics(root):
    a = next(p for p in _corpus(root).plans if p.id == PLAN_A)
    assert (a.scope_kinds, a.scope_topics) == (("annual",), ("ma-tuy",))
    assert [t.topics for t in a.targets] == [("ma-tuy",), ("ma-tuy",)]


def test_a_scope_quote_from_the_body_after_the_opening_is_refused(root):
    # "phòng, chống ma túy" is in section I, not in the title or căn cứ.
    edit(_data(root), 'quote: "Thực hiện công tác phòng, chống ma túy năm 2020"',
         'quote: "được tuyên truyền về phòng, chống ma túy"')
    p = only_error(root)
    assert (p.file, p.where) == (DATA_FILE, f"line {line_of(_data(root), 'được tuyên truyền về')} "
                                            "(field scope.topics[0].quote)")
    assert "title or in its text before the first `## ` heading" in p.message


def test_a_scope_quote_may_come_from_the_title(root):
    edit(_data(root), 'quote: "Thực hiện công tác phòng, chống ma túy năm 2020"', 'quote: "Phòng, chống tệ nạn"')
    assert _corpus(root).plans[0].scope[1].quote == "Phòng, chống tệ nạn"


def test_a_scope_topic_not_in_themes_is_refused(root):
    edit(_data(root), "{topic: ma-tuy,", "{topic: ma-tui,")
    p = only_error(root)
    assert p.where.endswith("(field scope.topics[0].topic)") and "'ma-tui' is not in corpus/themes.yaml" in p.message


def test_a_scope_without_kinds_is_refused(root):
    edit(_data(root), "  kinds:\n    - {kind: annual, quote: \"năm 2020\"}\n", "")
    p = only_error(root)
    assert p.where.endswith("(field scope.kinds)") and "at least one" in p.message


def test_a_target_topic_not_in_themes_is_refused(root):
    edit(_data(root), "    topics: [ma-tuy]\ncommitments:", "    topics: [mai-dam]\ncommitments:")
    p = only_error(root)
    assert p.where.endswith("(field targets[1].topics)") and "'mai-dam' is not in corpus/themes.yaml" in p.message


def test_a_subject_without_a_family_is_refused(root):
    edit(root / "subjects.yaml", ", family: can_bo}", "}")
    p = only_error(root)
    assert (p.file, p.where) == ("corpus/subjects.yaml", "line 2 (field can_bo.family)")
    assert "subject_families.yaml" in p.message


def test_a_broader_subject_of_another_family_is_refused(root):
    edit(root / "subjects.yaml", ", family: can_bo}", ", family: can_bo, broader: xa}")
    p = only_error(root)
    assert p.where == "line 2 (field can_bo.broader)" and "same family" in p.message


def test_a_loop_of_broader_topics_is_refused(root):
    (root / "themes.yaml").write_text("- {id: ma-tuy, vi: Ma túy, en: Drugs, broader: cai-nghien}\n"
                                      "- {id: cai-nghien, vi: Cai nghiện, en: Rehabilitation, broader: ma-tuy}\n",
                                      encoding="utf-8")
    found = [p for p in errors(root) if p.file == "corpus/themes.yaml"]
    assert found and all("loops" in p.message for p in found)


# --- drafts (status: draft, made by python -m sitegen.ingest) ----------------------------------------

def test_a_draft_is_checked_like_a_plan_but_kept_apart_with_a_warning(root):
    edit(_md(root), f"id: {PLAN_A}\n", f"id: {PLAN_A}\nstatus: draft\nreview: [title, targets]\n")
    corpus = _corpus(root)
    assert [p.id for p in corpus.drafts] == [PLAN_A] and PLAN_A not in [p.id for p in corpus.plans]
    assert corpus.drafts[0].review == ("title", "targets") and corpus.drafts[0].is_draft
    warning = next(p for p in check(root) if p.where.endswith("(field status)"))
    assert warning.severity == "warning" and "draft" in warning.message and "--review" in warning.message


def test_a_draft_quote_not_in_the_text_is_still_an_error(root):
    edit(_md(root), f"id: {PLAN_A}\n", f"id: {PLAN_A}\nstatus: draft\n")
    text = _data(root).read_text(encoding="utf-8")
    quote = next(line for line in text.splitlines() if "quote:" in line)
    edit(_data(root), quote, quote.replace("quote: ", "quote: Không có trong văn bản "))
    assert any("not found verbatim" in p.message for p in errors(root))


@pytest.mark.parametrize("front, message", [
    ("status: reviewd\n", "must be `draft`"),
    ("review: title\n", "must be a list"),
    ("review: [title]\n", "only a draft"),
])
def test_bad_status_or_review_is_refused(root, front, message):
    edit(_md(root), f"id: {PLAN_A}\n", f"id: {PLAN_A}\n{front}")
    assert message in only_error(root).message
