"""Stage 5b, export: CSV and JSON bytes for every download, and the files of the tiny corpus."""
from __future__ import annotations

import csv
import dataclasses
import io
import json
import math

import orjson
import pytest

from helpers import PLAN_A, snapshot, write_corpus
from sitegen import urls
from sitegen.export import (DICTIONARY, PackedRows, PlanBlock, _cols, csv_bytes, csv_lines, json_bytes,
                            json_objects, plan_block, table_pieces, tables_for_download, with_version)
from sitegen.model import Commitment, Corpus, Label, Lookups, ScopeRef, Task, ThemeRef
from sitegen.normalize import COMPARABILITY_COLUMNS, tables
from sitegen.pipeline import build


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


# ---------------------------------------------------------------- csv_bytes


def test_csv_has_a_header_row_then_one_line_per_row_with_lf_ends():
    assert csv_bytes(("a", "b"), [(1, "x"), (2, "y")]) == b"a,b\n1,x\n2,y\n"


def test_csv_quotes_a_cell_with_a_comma():
    assert csv_bytes(("q",), [("xã, phường",)]).decode() == 'q\n"xã, phường"\n'


def test_csv_doubles_quotes_inside_a_quoted_cell():
    assert csv_bytes(("q",), [('nói "không"',)]).decode() == 'q\n"nói ""không"""\n'


def test_csv_keeps_a_line_break_inside_a_quoted_cell():
    data = csv_bytes(("q",), [("dòng một\ndòng hai",)])
    assert data.decode() == 'q\n"dòng một\ndòng hai"\n' and _rows(data)[1] == ["dòng một\ndòng hai"]


def test_csv_round_trips_hostile_text_unchanged():
    nasty = '<script>alert(1)</script>, "x"\n=1+1;'
    assert _rows(csv_bytes(("q",), [(nasty,)]))[1] == [nasty]


@pytest.mark.parametrize("missing", [None, float("nan")], ids=["none", "nan"])
def test_csv_writes_a_missing_value_as_an_empty_cell(missing):
    assert csv_bytes(("a", "b"), [(missing, 1)]) == b"a,b\n,1\n"


def test_csv_writes_booleans_as_lower_case_true_and_false():
    assert csv_bytes(("excerpt",), [(True,), (False,)]) == b"excerpt\ntrue\nfalse\n"


def test_csv_writes_whole_floats_without_a_decimal_point():
    assert csv_bytes(("v",), [(1330.0,), (103.9,), (0.0,)]) == b"v\n1330\n103.9\n0\n"


def test_csv_is_utf8_without_a_byte_order_mark():
    data = csv_bytes(("tỉnh",), [("Quảng Ninh",)])
    assert not data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8") == "tỉnh\nQuảng Ninh\n"


def test_csv_of_no_rows_is_the_header_alone():
    assert csv_bytes(("a", "b"), []) == b"a,b\n"


# ---------------------------------------------------------------- json_bytes and rows


def test_json_is_an_array_of_objects_with_the_csv_fields():
    data = json_bytes(("plan_id", "value"), [("p", 1330.0), ("q", 103.9)])
    assert orjson.loads(data) == [{"plan_id": "p", "value": 1330}, {"plan_id": "q", "value": 103.9}]
    assert data.endswith(b"\n")


@pytest.mark.parametrize("sizes", [(), (0,), (0, 0), (1,), (2, 0, 1), (0, 3, 0, 0, 2), (1, 1, 1, 1)])
def test_a_table_joined_from_plans_blocks_is_the_table_written_whole(sizes):
    # table_pieces joins each plan's block, some empty: the bytes of csv_bytes and json_bytes on all the rows,
    # each piece keyed by its block's digest (the ZIP keeps each piece compressed by that key).
    name = "themes"
    cols = (*_cols(name), "data_version")
    rows, mine = [], []
    for n, size in enumerate(sizes):
        own = [(f"plan-{n}", f"theme {k}", None if k % 2 else f"“trích” {k}", "2026.1") for k in range(size)]
        rows += own
        mine.append((f"key-{n}", PlanBlock(PackedRows({name: own}), {name: csv_lines(own)},
                                           {name: json_objects(cols, own)}, {name: f"d{n}"})))
    pieces = table_pieces(name, mine)
    csv_, json_ = (b"".join(part for _, parts in pieces[path] for part in parts())
                   for path in (urls.table_csv_path(name), urls.table_json_path(name)))
    assert csv_ == csv_bytes(cols, rows)
    assert json_ == json_bytes(cols, rows)
    assert orjson.loads(json_) == [dict(zip(cols, r)) for r in rows]
    keys = [k for path in pieces for k, _ in pieces[path]]
    assert len(keys) == len(set(keys)) == 1 + sum(2 for size in sizes if size) + (2 if any(sizes) else 1)


@pytest.mark.parametrize("missing", [None, float("nan")], ids=["none", "nan"])
def test_json_writes_a_missing_value_as_null(missing):
    assert orjson.loads(json_bytes(("a",), [(missing,)])) == [{"a": None}]


def test_json_keeps_text_verbatim():
    assert orjson.loads(json_bytes(("q",), [('</script><b>"x"',)])) == [{"q": '</script><b>"x"'}]


def test_json_writes_whole_floats_as_integers_and_keeps_the_others():
    assert json_bytes(("v", "n"), [(1.0, 1), (1.5, 2021), (0.0, 0)]) == (
        b'[\n{"v":1,"n":1},\n{"v":1.5,"n":2021},\n{"v":0,"n":0}\n]\n')


# ---------------------------------------------------------------- a plan's rows (plan_block)


def _target(tid, value, **kw):
    from test_normalize import target
    return target("p", tid, value, **kw)


def _plan(targets=(), **kw):
    from test_normalize import plan
    return plan("p", "Đắk Lắk", 2021, targets, **kw)


def test_a_plans_row_writes_unknowns_as_empty_text_and_counts_targets_and_parts():
    p = _plan([_target("t01", 900, unit="people"), _target("t02", 700, unit="people", parent="t01"),
               _target("t03", 200, unit="people", parent="t01"), _target("t04", 50)])
    (row,) = plan_block(p, (), Lookups(), "1.2.0").rows["plans"]
    record = dict(zip(_cols("plans"), row))
    assert (record["number"], record["issued"], record["signer"], record["issuer"], record["field"]) == ("",) * 5
    assert (record["n_targets"], record["n_parts"], record["province"]) == (2, 2, "Đắk Lắk")


def test_a_plans_row_carries_its_scope_kinds_and_topics():
    p = _plan(topics=("mai-dam", "ma-tuy"))
    p = dataclasses.replace(p, scope=p.scope + (ScopeRef("p", "kind", "annual", "năm 2021"),))
    (row,) = plan_block(p, (), Lookups(), "1.2.0").rows["plans"]
    record = dict(zip(_cols("plans"), row))
    assert (record["kinds"], record["topics"]) == ("annual", "mai-dam ma-tuy")


def test_a_plans_commitments_tasks_themes_and_scope_are_one_row_each_with_the_labels():
    p = _plan(commitments=(Commitment("p", "c01", "no_hotspot", "q1"),),
              tasks=(Task("p", "cong-an-tinh", "CA tỉnh", "chủ trì", "q2"), Task("p", "khac", "Sở X", "phối hợp", "q5")),
              themes=(ThemeRef("p", "ma-tuy", "q3"), ThemeRef("p", "mai-dam", "q4")), topics=("ma-tuy",))
    lookups = Lookups(agencies={"cong-an-tinh": Label("cong-an-tinh", "Công an tỉnh", "Provincial police")},
                      themes={"ma-tuy": Label("ma-tuy", "Ma túy", "Drugs")})
    rows = plan_block(p, (), lookups, "1.2.0").rows
    assert rows["commitments"] == [("p", "c01", "no_hotspot", "q1")]
    assert rows["agencies"] == [("p", "cong-an-tinh", "Công an tỉnh", "CA tỉnh", "chủ trì", "q2"),
                                ("p", "khac", "", "Sở X", "phối hợp", "q5")]  # not in the table: no name
    assert rows["themes"] == [("p", "ma-tuy", "q3"), ("p", "mai-dam", "q4")]
    assert rows["scope"] == [("p", "topic", "ma-tuy", "Ma túy", "phòng, chống ma-tuy")]


def test_a_targets_csv_line_and_json_object_write_numbers_missing_values_quotes_and_vietnamese_exactly():
    """The downloads' values as they have always been written, from the plan's own values: a whole value without
    a decimal point (1.0 is 1), a range's upper bound when there is one, an unknown deadline empty
    in the CSV and null in the JSON, a quote with commas and quotation marks quoted, diacritics kept."""
    quote = 'giảm 1,5% số vụ "mua bán người", đạt 100%'
    p = _plan([_target("t01", 1.0, deadline=None),
               dataclasses.replace(_target("t02", 1.5, value_max=3.0, deadline=2025), quote=quote)])
    block = plan_block(p, (), Lookups(), "1.2.0")
    assert block.csv["targets"].decode("utf-8").splitlines() == [
        "p,t01,,communication,xa,xã,1,,percent,=,đạt,,quote t01,,ma-tuy,1.2.0",
        'p,t02,,communication,xa,xã,1.5,3,percent,=,đạt,2025,"giảm 1,5% số vụ ""mua bán người"", đạt 100%",,ma-tuy,1.2.0']
    first, second = block.json["targets"].split(b",\n")
    assert orjson.loads(first)["deadline"] is None and first.startswith(b'{"plan_id":"p","target_id":"t01"')
    assert b'"value":1,"value_max":null' in first and b'"value":1.5,"value_max":3,' in second
    assert orjson.loads(second)["quote"] == quote and "giảm".encode() in second  # UTF-8, not \u escapes


def test_the_comparability_download_has_the_tables_rows_in_the_dictionarys_columns():
    from test_normalize import QN20, QN21
    corpus = Corpus(plans=(QN20, QN21), lookups=Lookups())
    rows = tables_for_download(corpus, tables(corpus), (), {})["comparability"]
    assert tuple(COMPARABILITY_COLUMNS) == _cols("comparability") and "comparability" in DICTIONARY
    assert rows == [("qn-2020", "t01", "communication", "xa", "xa", "percent", "communication--xa--percent", "xa",
                     "same"), ("qn-2021", "t01", "communication", "xa", "xa", "percent",
                               "communication--xa--percent", "xa", "same")]
    assert {type(r) for r in rows} == {tuple}  # plain tuples: digested as before


def test_with_version_adds_a_last_column_with_the_data_version():
    cols, rows = with_version(("a",), [(1,), (2,)], "1.2.0")
    assert cols == ("a", "data_version") and rows == [(1, "1.2.0"), (2, "1.2.0")]


# ---------------------------------------------------------------- the exported files of a corpus


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Every file of the tiny corpus' site, built once: site path -> bytes."""
    base = tmp_path_factory.mktemp("export")
    build(write_corpus(base), base / "site", search=False)
    return snapshot(base / "site")


def test_targets_csv_has_one_row_per_target_with_the_data_version(files):
    rows = _rows(files["data/targets.csv"])
    assert rows[0][:2] == ["plan_id", "target_id"] and rows[0][-1] == "data_version"
    assert [(r[0], r[1], r[-1]) for r in rows[1:]] == [
        ("quang-ninh-2020", "t01", "1.2.0"), ("quang-ninh-2020", "t02", "1.2.0"), ("quang-ninh-2021", "t01", "1.2.0")]


def test_a_vietnamese_number_is_exported_as_a_plain_number(files):
    header, *rows = _rows(files["data/targets.csv"])
    values = {(r[0], r[1]): r[header.index("value")] for r in rows}
    assert values[(PLAN_A, "t02")] == "1330"


def test_an_unknown_deadline_is_an_empty_cell_and_null_in_json(files):
    header, *rows = _rows(files["data/targets.csv"])
    t02 = next(r for r in rows if r[:2] == [PLAN_A, "t02"])
    assert t02[header.index("deadline")] == ""
    record = next(r for r in orjson.loads(files["data/targets.json"]) if r["target_id"] == "t02" and r["plan_id"] == PLAN_A)
    assert record["deadline"] is None and record["value"] == 1330


def test_csv_and_json_of_a_table_agree(files):
    header, *rows = _rows(files["data/plans.csv"])
    records = orjson.loads(files["data/plans.json"])
    assert [list(r) for r in records] == [header] * len(rows)
    assert [(r["plan_id"], str(r["n_targets"])) for r in records] == [
        (row[0], row[header.index("n_targets")]) for row in rows]


def test_the_excerpt_flag_is_true_or_false_in_the_csv(files):
    header, *rows = _rows(files["data/plans.csv"])
    assert sorted(r[header.index("excerpt")] for r in rows) == ["false", "true"]


def test_every_plan_has_one_json_record_with_its_targets(files):
    """One file per plan: its record (a targets CSV beside it repeated the record's targets and its
    rows of targets.csv), written without indentation."""
    targets = _rows(files["data/targets.csv"])
    for pid in ("quang-ninh-2020", "quang-ninh-2021"):
        record = orjson.loads(files[f"data/plans/{pid}.json"])
        assert record["plan"]["plan_id"] == pid and record["data_version"] == "1.2.0"
        mine = [r[1] for r in targets[1:] if r[0] == pid]
        assert mine and [t["target_id"] for t in record["targets"]] == mine
        assert files[f"data/plans/{pid}.json"].count(b"\n") == 1  # one line
    assert sorted(p for p in files if p.startswith("data/plans/")) == [
        "data/plans/quang-ninh-2020.json", "data/plans/quang-ninh-2021.json"]


def test_the_source_is_copied_verbatim(files):
    assert files["data/sources/a.txt"] == "KẾ HOẠCH\nPhòng, chống tệ nạn xã hội năm 2020\n".encode()


def test_no_exported_number_is_nan_or_infinite(files):
    for record in orjson.loads(files["data/targets.json"]):
        assert math.isfinite(record["value"])


# (A carriage return cannot reach a cell: the corpus refuses control characters in every text.)
@pytest.mark.parametrize("text", ['=HYPERLINK("http://x"&A1,"xem")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "=1+1"],
                         ids=["equals", "plus", "minus", "at", "tab", "sum"])
def test_csv_neutralises_a_cell_a_spreadsheet_would_run_as_a_formula(text):
    assert _rows(csv_bytes(("q",), [(text,)]))[1] == ["'" + text]
    assert json.loads(json_bytes(("q",), [(text,)])) == [{"q": text}]  # JSON keeps it verbatim


@pytest.mark.parametrize("value, written", [(-5, "-5"), (-5.5, "-5.5"), ("-5", "-5"), ("+12", "+12"), ("=", "="),
                                            ("-", "-"), ("a=b", "a=b"), ("1.330", "1.330")],
                         ids=["int", "float", "number-text", "plus-number", "lone-equals", "lone-minus", "inside",
                              "thousands"])
def test_csv_keeps_numbers_and_lone_signs_as_they_are(value, written):
    assert _rows(csv_bytes(("v",), [(value,)]))[1] == [written]


def test_a_cell_is_written_the_same_by_the_fast_paths_as_by_the_general_rules():
    """csv_lines checks exact str and int first: every kind of value gives the cell the general
    rules give (missing -> "", formulas neutralised, whole floats as integers, booleans as words)."""
    import numpy as np

    from sitegen.export import _csv_cell, _json_value, _missing, _plain, csv_text

    class Text(str):
        pass

    values = ["", "=", "-", "=SUM(A1)", "-5", "+3,5", "@x", "\tx", "Quảng Ninh", Text("=1+1"), 0, -7, 10**20,
              True, False, 2.0, 2.5, -0.0, float("nan"), None, np.int64(3), np.float64(4.0), np.float64(4.5),
              np.float64("nan"), np.bool_(True)]
    general = ["" if _missing(v) else csv_text(v) if isinstance(v, str) else _plain(v) for v in values]
    fast = [_csv_cell(v) for v in values]
    assert [(type(x), x) for x in fast] == [(type(x), x) for x in general]
    assert fast[:8] == ["", "=", "-", "'=SUM(A1)", "-5", "+3,5", "'@x", "'\tx"] and fast[9] == "'=1+1"
    general = [None if _missing(v) else v if isinstance(v, bool) else _plain(v) for v in values]
    fast = [_json_value(v) for v in values]
    assert [(type(x), x) for x in fast] == [(type(x), x) for x in general], "and the JSON tables' values"


def test_the_zips_pieces_of_a_table_are_made_only_when_that_table_is_asked_for():
    from sitegen.export import PLAN_TABLES, ZipPieces

    made: list[str] = []
    block = PlanBlock(PackedRows({name: [("p",)] for name in PLAN_TABLES}), {}, {}, {name: "d" for name in PLAN_TABLES})

    class Counted(ZipPieces):
        def __getitem__(self, path):
            made.append(path)
            return super().__getitem__(path)
    pieces = Counted([("k", block)])
    assert urls.table_csv_path("targets") in pieces and "data/legal.csv" not in pieces and len(pieces) == 14
    assert made == []
    assert [k for k, _ in pieces[urls.table_json_path("themes")]] == ["json [", "json d", "json ]"]
