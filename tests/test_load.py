"""Stage 1, load: bytes to NFC text, YAML with the file's line numbers, every unreadable file reported."""
from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import yaml

from helpers import MD_A, PLAN_A, YAML_A, cp1258, write_corpus
from sitegen import load
from sitegen.load import load_corpus, parse_yaml, read_text, split_front_matter


def _write(tmp_path: Path, data: bytes, name: str = "f.md") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# ---------------------------------------------------------------- read_text


def test_a_byte_order_mark_is_removed(tmp_path):
    text, problems = read_text(_write(tmp_path, "\ufeff---\nid: x\n".encode()), "f.md")
    assert problems == [] and text == "---\nid: x\n"


def test_crlf_line_ends_become_lf(tmp_path):
    text, _ = read_text(_write(tmp_path, b"a\r\nb\r\n"), "f.md")
    assert text == "a\nb\n"


def test_lone_cr_line_ends_become_lf(tmp_path):
    text, _ = read_text(_write(tmp_path, b"a\rb\r"), "f.md")
    assert text == "a\nb\n"


def test_decomposed_vietnamese_is_normalized_to_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "Quảng Ninh, Tỉnh ủy")
    text, _ = read_text(_write(tmp_path, nfd.encode()), "f.md")
    assert text == "Quảng Ninh, Tỉnh ủy" and unicodedata.is_normalized("NFC", text)


def test_windows_1258_bytes_are_rejected_with_the_line_and_how_to_fix(tmp_path):
    data = "dòng một\n".encode() + cp1258("Quảng Ninh, Tỉnh ủy, Đề án\n")
    assert unicodedata.normalize("NFC", cp1258("Tỉnh ủy, Đề án").decode("cp1258")) == "Tỉnh ủy, Đề án"
    text, problems = read_text(_write(tmp_path, data), "corpus/plans/x.md")
    assert text is None
    (p,) = problems
    assert (p.severity, p.file, p.where) == ("error", "corpus/plans/x.md", "line 2")
    assert "not valid UTF-8" in p.message and "re-save it as UTF-8" in p.message


def test_nul_bytes_are_rejected_as_a_binary_file(tmp_path):
    text, problems = read_text(_write(tmp_path, b"a\nb\x00c"), "f.md")
    assert text is None
    assert problems[0].where == "line 2" and "binary file" in problems[0].message


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t"], ids=["zero-bytes", "white-space-only"])
def test_an_empty_file_is_rejected(tmp_path, data):
    text, problems = read_text(_write(tmp_path, data), "f.md")
    assert text is None and "is empty" in problems[0].message


def test_a_file_over_the_size_limit_is_rejected_without_being_read(tmp_path, monkeypatch):
    path = tmp_path / "big.md"
    with path.open("wb") as f:
        f.truncate(load.MAX_FILE_BYTES + 1)

    def no_reading(self):
        raise AssertionError("the file was read")

    monkeypatch.setattr(Path, "read_bytes", no_reading)
    text, problems = read_text(path, "f.md")
    assert text is None
    assert "at most 5 MB" in problems[0].message and "Split it" in problems[0].message


def test_a_missing_file_is_reported_not_raised(tmp_path):
    text, problems = read_text(tmp_path / "nope.md", "nope.md")
    assert text is None and "cannot be read" in problems[0].message


# ---------------------------------------------------------------- front matter


def test_front_matter_is_split_from_the_body_with_the_body_line():
    parts, problems = split_front_matter("---\na: 1\nb: 2\n---\nbody\n", "f.md")
    assert problems == []
    assert parts == ("a: 1\nb: 2\n", 2, "body\n", 5)


def test_front_matter_may_close_at_the_end_of_the_file():
    parts, problems = split_front_matter("---\na: 1\n---", "f.md")
    assert problems == [] and parts[0] == "a: 1\n" and parts[2] == ""


def test_a_file_without_opening_dashes_is_rejected_on_line_1():
    _, problems = split_front_matter("id: x\n", "f.md")
    assert problems[0].where == "line 1" and "must start with a '---' line" in problems[0].message


def test_unclosed_front_matter_is_rejected_with_how_to_close_it():
    _, problems = split_front_matter("---\nid: x\n\n# KẾ HOẠCH\n", "f.md")
    assert problems[0].where == "line 1"
    assert "not closed: add a '---' line after its last field" in problems[0].message


# ---------------------------------------------------------------- YAML


def test_yaml_lines_are_lines_of_the_file_when_the_text_starts_later():
    data, _ = parse_yaml("a: 1\nb:\n  - x\n  - y\n", "f.md", first_line=2)
    assert data.lines == {"a": 2, "b": 3}
    assert data["b"].lines == [4, 5]


def test_a_yaml_syntax_error_names_the_line_of_the_file():
    _, problems = parse_yaml("a: 1\nb: 'open\nc: 2\n", "f.md", first_line=2)
    (p,) = problems
    assert p.where.startswith("line ") and int(p.where.split()[1]) >= 3
    assert p.message.startswith("YAML syntax error") and "Check quoting and indentation" in p.message


def test_a_key_given_twice_is_an_error_on_its_second_line():
    _, problems = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert problems[0].where == "line 3" and "'a' is given twice" in problems[0].message


def test_yaml_aliases_are_refused():
    _, problems = parse_yaml("a: &x [1, 2]\nb: *x\n", "f.yaml")
    assert problems[0].where == "line 2" and "alias (*x) is not allowed" in problems[0].message


def test_a_billion_laughs_file_is_refused_quickly():
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    _, problems = parse_yaml("\n".join(lines) + "\n", "f.yaml")
    assert "alias" in problems[0].message


def test_deeply_nested_yaml_is_an_error_not_a_crash():
    _, problems = parse_yaml("[" * 5000 + "]" * 5000, "f.yaml")
    assert "nested too deeply" in problems[0].message


def test_dates_stay_text_so_that_validation_can_judge_them():
    data, problems = parse_yaml("issued: 2021-02-31\nother: 2021-02-02\n", "f.md")
    assert problems == [] and data == {"issued": "2021-02-31", "other": "2021-02-02"}


def test_yaml_tags_that_build_python_objects_are_refused():
    _, problems = parse_yaml("a: !!python/object/apply:os.system ['echo hi']\n", "f.yaml")
    assert problems[0].where == "line 1" and "remove the tag" in problems[0].message


NESTED = """\
targets:
  - id: t01
    tasks:
      - {agency: A, role: lead}
      - agency: B

        role: support
  - id: t02
themes: [ma-tuy,
  hiv]
"""


def test_nested_mappings_and_lists_know_the_lines_of_the_file():
    data, problems = parse_yaml(NESTED, "f.md", first_line=2)
    assert problems == []
    assert (data.line, data.lines) == (2, {"targets": 2, "themes": 10})
    targets = data["targets"]
    assert (targets.line, targets.lines) == (3, [3, 9])
    assert (targets[0].line, targets[0].lines) == (3, {"id": 3, "tasks": 4})
    tasks = targets[0]["tasks"]
    assert (tasks.line, tasks.lines) == (5, [5, 6])
    assert (tasks[0].line, tasks[0].lines) == (5, {"agency": 5, "role": 5})
    assert (tasks[1].line, tasks[1].lines) == (6, {"agency": 6, "role": 8})
    assert (data["themes"].line, data["themes"].lines) == (10, [10, 11])


SCALARS = """\
text: plain words
quoted: "123"
single: 'yes'
count: 1330
negative: -5
share: 12.5
exponent: 1.0e+3
infinite: .inf
yes: yes
off: Off
tilde: ~
null: null
empty:
year: 2021
block: |
  two
  lines
"""


def test_implicit_scalars_have_the_types_safe_load_gives_them():
    data, problems = parse_yaml(SCALARS, "f.yaml")
    assert problems == []
    expected = yaml.safe_load(SCALARS)
    assert data == expected
    assert [type(v) for v in data.values()] == [type(v) for v in expected.values()]
    assert [type(k) for k in data] == [type(k) for k in expected]
    assert (data["negative"], data[True], data[None]) == (-5, True, None)


@pytest.mark.parametrize("text, what, fix", [
    ("0100", "starts with 0, so YAML 1.1 reads it as the octal number 64", 'write 100, or put it in quotes ("0100")'),
    ("010", "the octal number 8", "write 10"),
    ("0x1F", "is a hexadecimal number in YAML (31)", "write 31 in decimal digits"),
    ("1_000", "would be read as the number 1000", "write 1000 without _"),
    ("1:30", "would be read as the base-60 number 90", 'put it in quotes ("1:30")'),
    ("1_000.5", "is not a plain number", "put it in quotes if it is text"),
], ids=["octal-0100", "octal-010", "hex", "underscore", "base-60", "float-underscore"])
def test_a_number_yaml_1_1_would_read_otherwise_is_refused_on_its_line(text, what, fix):
    # PyYAML (YAML 1.1) silently reads `value: 0100` as 64: never what a corpus editor means.
    for value in (text, f"!!int {text}" if ":" not in text and "." not in text else text):
        data, problems = parse_yaml(f"targets:\n  - id: t01\n    value: {value}\n", "f.yaml")
        assert data is None and len(problems) == 1, problems
        assert problems[0].where == "line 3" and what in problems[0].message and fix in problems[0].message


def test_plain_decimal_numbers_are_read_as_written():
    data, problems = parse_yaml("a: 0\nb: -5\nc: +12\nd: 1330\ne: 0.5\nf: .5\ng: 1.0e+3\n", "f.yaml")
    assert problems == [] and data == {"a": 0, "b": -5, "c": 12, "d": 1330, "e": 0.5, "f": 0.5, "g": 1000.0}


def test_a_key_given_twice_in_a_nested_mapping_is_an_error_on_its_line():
    _, problems = parse_yaml("targets:\n  - id: t01\n    value: 1\n    value: 2\n", "f.yaml", first_line=2)
    assert problems[0].where == "line 5" and "'value' is given twice" in problems[0].message


def test_a_list_as_a_key_is_refused():
    _, problems = parse_yaml("? [a, b]\n: 1\n", "f.yaml")
    assert problems[0].where == "line 1" and "a key must be plain text" in problems[0].message


def test_an_alias_in_a_nested_list_is_refused_on_its_line():
    _, problems = parse_yaml("a: &x 1\nb:\n  - 2\n  - *x\n", "f.md", first_line=2)
    assert problems[0].where == "line 5" and "alias (*x) is not allowed" in problems[0].message


def test_a_syntax_error_before_an_alias_is_reported_first():
    _, problems = parse_yaml("a: [1\nb: *x\n", "f.yaml")
    assert problems[0].message.startswith("YAML syntax error")


def test_what_the_corpus_does_not_use_is_still_read_as_yaml():
    # Anchors without aliases, explicit tags, merge keys: rare, read by PyYAML's own constructors.
    data, problems = parse_yaml("a: &x 1\nb: !!str 12\nc:\n  <<: {d: 1}\n  e: 2\n", "f.yaml")
    assert problems == []
    assert data == {"a": 1, "b": "12", "c": {"d": 1, "e": 2}}
    assert data["c"].lines == {"d": 4, "e": 5}


def test_plan_files_are_read_without_pyyamls_generic_constructors(tmp_path, monkeypatch):
    # They take two thirds of a data file's reading time: the corpus must not need them.
    monkeypatch.setattr(load._LineLoader, "get_single_data",
                        lambda self: pytest.fail("PyYAML's generic constructors were used"))
    raw, problems = load_corpus(write_corpus(tmp_path))
    assert problems == [] and all(plan.data["targets"] for plan in raw.plans)


# ---------------------------------------------------------------- load_corpus


def test_the_tiny_corpus_loads_without_problems(tmp_path):
    raw, problems = load_corpus(write_corpus(tmp_path))
    assert problems == []
    assert [p.id for p in raw.plans] == ["quang-ninh-2020", "quang-ninh-2021"]
    assert raw.plans[0].md_path == f"corpus/{MD_A}" and raw.plans[0].yaml_path == f"corpus/{YAML_A}"


def test_a_plan_knows_the_line_its_front_matter_and_body_start_on(tmp_path):
    raw, _ = load_corpus(write_corpus(tmp_path))
    plan = raw.plans[0]
    lines = (tmp_path / "corpus" / MD_A).read_text(encoding="utf-8").splitlines()
    assert plan.meta.lines["id"] == 2 and lines[1].startswith("id:")
    assert lines[plan.body_line - 1] == plan.body.splitlines()[0]


def test_a_missing_corpus_folder_is_an_error(tmp_path):
    _, problems = load_corpus(tmp_path / "nowhere")
    assert "does not exist" in problems[0].message


def test_a_missing_lookup_table_is_an_error(tmp_path):
    root = write_corpus(tmp_path)
    (root / "units.yaml").unlink()
    _, problems = load_corpus(root)
    assert [(p.file, p.message) for p in problems] == [
        ("corpus/units.yaml", "is missing: every lookup table is required.")]


def test_a_lookup_table_that_is_not_a_list_is_an_error(tmp_path):
    root = write_corpus(tmp_path)
    (root / "themes.yaml").write_text("ma-tuy: Ma túy\n", encoding="utf-8")
    _, problems = load_corpus(root)
    assert [(p.file, p.where, p.message) for p in problems] == [
        ("corpus/themes.yaml", "line 1", "must be a YAML list of entries.")]


def test_a_plan_without_data_file_is_an_error_saying_to_write_empty_targets(tmp_path):
    root = write_corpus(tmp_path)
    (root / YAML_A).unlink()
    _, problems = load_corpus(root)
    assert problems[0].file == f"corpus/{YAML_A}" and "`targets: []`" in problems[0].message


def test_a_data_file_without_plan_text_is_an_error(tmp_path):
    root = write_corpus(tmp_path)
    (root / "plans" / "lost.yaml").write_text("targets: []\n", encoding="utf-8")
    _, problems = load_corpus(root)
    assert problems[0].file == "corpus/plans/lost.yaml"
    assert "create plans/lost.md or remove it" in problems[0].message


def test_a_plans_folder_without_plans_is_an_error(tmp_path):
    root = write_corpus(tmp_path)
    for path in (root / "plans").iterdir():
        path.unlink()
    _, problems = load_corpus(root)
    assert problems[0].file == "corpus/plans" and "contains no plan" in problems[0].message


def test_a_file_with_another_extension_in_plans_is_a_warning(tmp_path):
    root = write_corpus(tmp_path)
    (root / YAML_A).rename(root / "plans" / f"{PLAN_A}.yml")
    _, problems = load_corpus(root)
    assert ("warning", f"corpus/plans/{PLAN_A}.yml") in {(p.severity, p.file) for p in problems}
    assert ("error", f"corpus/{YAML_A}") in {(p.severity, p.file) for p in problems}


def test_data_file_errors_are_reported_even_when_the_front_matter_is_broken(tmp_path):
    root = write_corpus(tmp_path)
    (root / MD_A).write_text("no front matter\n", encoding="utf-8")
    (root / YAML_A).write_text("targets: [\n", encoding="utf-8")
    _, problems = load_corpus(root)
    assert {p.file for p in problems} == {f"corpus/{MD_A}", f"corpus/{YAML_A}"}


def test_front_matter_that_is_not_a_mapping_is_an_error(tmp_path):
    root = write_corpus(tmp_path)
    (root / MD_A).write_text("---\n- a\n- b\n---\n\n# KẾ HOẠCH\n", encoding="utf-8")
    _, problems = load_corpus(root)
    assert (problems[0].where, problems[0].message.split(" (")[0]) == (
        "line 2", "front matter must be a YAML mapping of fields")


def test_the_changelog_is_read_as_text(tmp_path):
    raw, _ = load_corpus(write_corpus(tmp_path))
    assert raw.changelog.startswith("# Changelog\n\n## 1.2.0")
