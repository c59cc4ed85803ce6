"""Issue 13 items 4 and 5: the provinces' lineage (corpus/provinces.yaml) and legal validity over time.

Rules are tried on small inline tables; the real table is checked for its counts and for where the
corpus's plans belong today.
"""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from helpers import MD_A, REAL_CORPUS, check, edit, line_of, only_error, write_corpus
from sitegen import citations as cite
from sitegen import lineage as lin
from sitegen import validity
from sitegen.export import tables_for_download
from sitegen.load import parse_yaml
from sitegen.model import Instrument, Problem
from sitegen.normalize import tables as make_tables
from sitegen.pipeline import gather

SHOWN = "corpus/provinces.yaml"

# Two provinces merge into a new one of the first one's name; a third is unchanged.
TABLE = """\
- id: a
  vi: Alpha
  en: Alpha
  kind: tỉnh
  valid_from: null
  valid_to: 2025-06-30
  successors: [a-2025]
  predecessors: []
  legal_basis:
    - {event: ended, instrument: "Nghị quyết số 202/2025/QH15", issued: 2025-06-12, article: "Điều 1"}
- id: b
  vi: Bêta
  en: Beta
  kind: tỉnh
  valid_from: null
  valid_to: 2025-06-30
  successors: [a-2025]
  predecessors: []
  legal_basis:
    - {event: ended, instrument: "Nghị quyết số 202/2025/QH15", issued: 2025-06-12, article: "Điều 1"}
- id: a-2025
  vi: Alpha
  en: Alpha
  kind: tỉnh
  valid_from: 2025-07-01
  valid_to: null
  successors: []
  predecessors: [a, b]
  legal_basis:
    - {event: formed, instrument: "Nghị quyết số 202/2025/QH15", issued: 2025-06-12, article: "Điều 1"}
- id: c
  vi: Gamma
  en: Gamma
  kind: thành phố trực thuộc trung ương
  valid_from: null
  valid_to: null
  successors: []
  predecessors: []
"""


def table(text: str = TABLE) -> tuple[lin.Lineage, list[Problem]]:
    data, errs = parse_yaml(text, SHOWN)
    assert errs == []
    return lin.check_table(data, SHOWN)


def line(text: str, needle: str, nth: int = 1) -> int:
    found = [n for n, t in enumerate(text.splitlines(), 1) if needle in t]
    return found[nth - 1]


# ------------------------------------------------------------------ rules, on an inline table

def test_the_inline_table_has_no_problem():
    lineage, problems = table()
    assert problems == [] and sorted(lineage.units) == ["a", "a-2025", "b", "c"]


def test_a_plan_is_keyed_to_the_unit_of_its_name_on_its_signing_date():
    lineage, _ = table()
    assert lin.resolve(lineage, "Alpha", "2025-06-30", 2025) == ("a", "")
    assert lin.resolve(lineage, "Alpha", "2025-07-01", 2025) == ("a-2025", "")
    assert lin.resolve(lineage, "alpha", "2019-05-23", 2019) == ("a", "")  # case does not matter


def test_a_plan_without_a_date_uses_its_year():
    lineage, _ = table()
    assert lin.resolve(lineage, "Bêta", None, 2022) == ("b", "")
    assert lin.resolve(lineage, "Alpha", None, 2026) == ("a-2025", "")


def test_a_name_borne_by_two_units_in_the_plans_year_needs_the_date():
    lineage, _ = table()
    unit, why = lin.resolve(lineage, "Alpha", None, 2025)
    assert unit is None and "could be a or a-2025" in why and "issued" in why


def test_a_unit_that_no_longer_existed_on_the_date_is_refused_with_its_span():
    lineage, _ = table()
    unit, why = lin.resolve(lineage, "Bêta", "2025-07-01", 2025)
    assert unit is None and "was not a provincial unit on 01/07/2025" in why and "b: …–30/06/2025" in why


def test_an_unknown_name_is_refused():
    lineage, _ = table()
    unit, why = lin.resolve(lineage, "Delta", "2020-01-01", 2020)
    assert unit is None and "'Delta' is not a provincial unit in corpus/provinces.yaml" in why


def test_the_present_day_unit_follows_successors_and_a_living_unit_is_its_own():
    lineage, _ = table()
    assert lin.present_day(lineage, "a") == ("a-2025",)
    assert lin.present_day(lineage, "b") == ("a-2025",)
    assert lin.present_day(lineage, "c") == ("c",)
    assert lin.ancestors(lineage, "a-2025") == ("a", "b")


def test_the_units_of_a_day():
    lineage, _ = table()
    assert [u.id for u in lin.units_on(lineage, "2025-06-30")] == ["a", "b", "c"]
    assert [u.id for u in lin.units_on(lineage, "2025-07-01")] == ["a-2025", "c"]


def test_a_name_with_its_kind():
    lineage, _ = table()
    assert lin.kind_name(lineage.units["a-2025"]) == "tỉnh Alpha"
    assert lin.kind_name(lineage.units["c"]) == "thành phố Gamma"
    assert lin.kind_name(lineage.units["b"], "en") == "Bêta province"  # pages keep the diacritics
    assert lin.kind_name(lineage.units["c"], "en") == "Gamma city"


# ------------------------------------------------------------------ validation errors of the table

def test_a_successor_that_does_not_name_its_predecessor_back_is_an_error():
    text = TABLE.replace("  predecessors: [a, b]", "  predecessors: [a]")
    _, problems = table(text)
    assert Problem("error", SHOWN, f"line {line(text, 'successors: [a-2025]', 2)} (field b.successors)",
                   "'a-2025' does not list 'b' in its predecessors: a link is written on both units.") in problems


def test_a_link_to_an_unknown_unit_is_an_error():
    text = TABLE.replace("  predecessors: [a, b]", "  predecessors: [a, b, zeta]")
    _, problems = table(text)
    assert Problem("error", SHOWN, f"line {line(text, '[a, b, zeta]')} (field a-2025.predecessors)",
                   "'zeta' is not a unit id of this table.") in problems


def test_an_ended_unit_needs_successors_and_a_legal_basis():
    text = TABLE.replace("  valid_to: null\n  successors: []\n  predecessors: []\n",
                         "  valid_to: 2030-01-01\n  successors: []\n  predecessors: []\n")
    _, problems = table(text)
    wheres = {(p.where, p.message.split(":")[0]) for p in problems}
    assert (f"line {line(text, 'successors: []', 2)} (field c.successors)", "the unit ended on 01/01/2030") in wheres
    assert any(p.where.endswith("(field c.legal_basis)") or p.where == "field c.legal_basis" for p in problems)


def test_a_successor_must_start_the_day_after_its_predecessor_ends():
    text = TABLE.replace("  valid_from: 2025-07-01", "  valid_from: 2025-08-01")
    _, problems = table(text)
    assert [p.message for p in problems if p.where.endswith("(field a.valid_to)")] == [
        "30/06/2025 is not the day before 'a-2025' starts (01/08/2025)."]


def test_two_units_of_one_name_on_one_day_are_an_error():
    text = TABLE.replace("  valid_from: 2025-07-01", "  valid_from: 2025-06-01").replace(
        "valid_to: 2025-06-30\n  successors: [a-2025]\n  predecessors: []\n  legal_basis:\n    - {event: ended, "
        "instrument: \"Nghị quyết số 202/2025/QH15\", issued: 2025-06-12, article: \"Điều 1\"}\n- id: b",
        "valid_to: 2025-05-31\n  successors: [a-2025]\n  predecessors: []\n  legal_basis:\n    - {event: ended, "
        "instrument: \"Nghị quyết số 202/2025/QH15\", issued: 2025-06-12, article: \"Điều 1\"}\n- id: b", 1)
    text = text.replace("  vi: Gamma", "  vi: Alpha")
    _, problems = table(text)
    assert any("'Alpha' is also the name of" in p.message and "while both exist" in p.message for p in problems)


@pytest.mark.parametrize("old, new, where, message", [
    ("  kind: thành phố trực thuộc trung ương", "  kind: huyện", "c.kind",
     "'huyện' must be one of: tỉnh, thành phố trực thuộc trung ương."),
    ("  valid_from: 2025-07-01", "  valid_from: 2025-02-30", "a-2025.valid_from",
     "'2025-02-30' is not a date: write YYYY-MM-DD, or null when unknown."),
    ("{event: formed,", "{event: merged,", "a-2025.legal_basis[0].event",
     "'merged' must be one of: formed, ended, unchanged."),
    ("  en: Gamma", "  en: Gamma\n  capital: Gamma", "c.capital",
     "'capital' is not a field of a provincial unit (id, vi, en, kind, valid_from, valid_to, successors, "
     "predecessors, aliases, legal_basis)."),
])
def test_bad_fields_are_named_with_their_line(old, new, where, message):
    text = TABLE.replace(old, new)
    _, problems = table(text)
    needle = new.strip().splitlines()[-1].split(",")[0]
    assert Problem("error", SHOWN, f"line {line(text, needle)} (field {where})", message) in problems


# ------------------------------------------------------------------ plans in a corpus

def test_a_plan_whose_province_is_not_in_the_table_is_an_error_on_its_province_line(tmp_path):
    root = write_corpus(tmp_path)
    edit(root / MD_A, "province: Quảng Ninh\n", "province: Quảng Bình\n")
    assert only_error(root) == Problem(
        "error", f"corpus/{MD_A}", f"line {line_of(root / MD_A, 'province:')} (field province)",
        "'Quảng Bình' is not a provincial unit in corpus/provinces.yaml: write the province's name as the table "
        "has it (with diacritics), or add the unit there.")  # Quảng Bình is another province, not a misspelling


def test_a_misspelt_province_gets_the_name_it_was_meant_to_be(tmp_path):
    root = write_corpus(tmp_path)
    edit(root / MD_A, "province: Quảng Ninh\n", "province: Quảng Nihn\n")
    assert only_error(root).message.endswith("Did you mean Quảng Ninh?")


def test_a_plan_signed_after_its_province_ended_is_an_error(tmp_path):
    root = tmp_path / "corpus"
    import shutil
    shutil.copytree(REAL_CORPUS, root)
    md = root / "plans" / "tuyen-quang-2019-63-kh-ubnd.md"
    text = md.read_text(encoding="utf-8")
    assert "province: Tuyên Quang\n" in text
    md.write_text(text.replace("province: Tuyên Quang\n", "province: Hà Giang\n").replace(
        'issued: "2019-05-23"', 'issued: "2025-09-01"').replace("period: 2019-2020", "period: 2025"),
        encoding="utf-8")
    errs = [p for p in check(root) if p.severity == "error"]
    assert [(p.file, p.where) for p in errs] == [
        ("corpus/plans/tuyen-quang-2019-63-kh-ubnd.md", f"line {line_of(md, 'province:')} (field province)")]
    assert "'Hà Giang' was not a provincial unit on 01/09/2025 (ha-giang: …–30/06/2025)" in errs[0].message


def test_the_tiny_corpus_plans_carry_both_provinces(tmp_path):
    corpus = gather(write_corpus(tmp_path)).site.corpus
    assert {(p.province_at_signing, p.province_today) for p in corpus.plans} == {("quang-ninh", ("quang-ninh",))}


# ------------------------------------------------------------------ the real table and corpus

@pytest.fixture(scope="module")
def real():
    corpus = gather(REAL_CORPUS).site.corpus
    data, _ = parse_yaml((REAL_CORPUS / "provinces.yaml").read_text(encoding="utf-8"), SHOWN)
    lineage, errs = lin.check_table(data, SHOWN)
    assert errs == []
    return corpus, lineage


def test_63_units_before_the_reorganisation_and_34_after(real):
    _, lineage = real
    before, after = lin.units_on(lineage, "2025-06-30"), lin.units_on(lineage, "2025-07-01")
    assert (len(before), len(after)) == (63, 34)
    assert len(lin.units_on(lineage, "2024-12-31")) == 63  # with Thừa Thiên Huế instead of Huế
    assert sum(u.kind == "tỉnh" for u in after) == 28
    assert sorted(u.vi for u in after if u.kind != "tỉnh") == ["Cần Thơ", "Huế", "Hà Nội", "Hải Phòng",
                                                                "Hồ Chí Minh", "Đà Nẵng"]


def test_11_units_are_unchanged_and_23_formed_from_52(real):
    _, lineage = real
    after = lin.units_on(lineage, "2025-07-01")
    unchanged = sorted(u.vi for u in after if u.valid_from is None or u.valid_from < "2025-07-01")
    assert unchanged == sorted(["Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh",
                                "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Cao Bằng"])
    formed = [u for u in after if u.valid_from == "2025-07-01"]
    assert len(formed) == 23 and sum(len(u.predecessors) for u in formed) == 52
    assert all(b.instrument == "Nghị quyết số 202/2025/QH15" and b.issued == "2025-06-12" and b.article == "Điều 1"
               for u in formed for b in u.legal_basis)
    assert lineage.units["vinh-long-2025"].predecessors == ("vinh-long", "ben-tre", "tra-vinh")


def test_hue_became_a_city_on_1_january_2025(real):
    _, lineage = real
    old, new = lineage.units["thua-thien-hue"], lineage.units["hue"]
    assert (old.valid_to, old.successors, new.valid_from, new.kind) == (
        "2024-12-31", ("hue",), "2025-01-01", "thành phố trực thuộc trung ương")
    assert [(b.event, b.instrument, b.issued) for b in new.legal_basis][0] == (
        "formed", "Nghị quyết số 175/2024/QH15", "2024-11-30")


@pytest.mark.parametrize("plan_id, at_signing, today", [
    ("tra-vinh-2022", "tra-vinh", ("vinh-long-2025",)),
    ("ninh-thuan-2020", "ninh-thuan", ("khanh-hoa-2025",)),
    ("tuyen-quang-2013-86-kh-ubnd", "tuyen-quang", ("tuyen-quang-2025",)),
    ("tuyen-quang-2019-63-kh-ubnd", "tuyen-quang", ("tuyen-quang-2025",)),
    ("quang-ninh-2021-27-kh-ubnd", "quang-ninh", ("quang-ninh",)),
])
def test_the_corpus_plans_belong_to_their_province_then_and_today(real, plan_id, at_signing, today):
    corpus, _ = real
    plan = next(p for p in corpus.plans if p.id == plan_id)
    assert (plan.province_at_signing, plan.province_today) == (at_signing, today)


def test_plans_csv_and_json_carry_both_provinces(real):
    corpus, _ = real
    rows = tables_for_download(corpus, make_tables(corpus), (), {})
    from sitegen.export import _cols, csv_bytes, json_bytes
    cols = _cols("plans")
    data = list(csv.DictReader(io.StringIO(csv_bytes(cols, rows["plans"]).decode())))
    by_id = {r["plan_id"]: r for r in data}
    assert len(by_id) == 5
    assert (by_id["tra-vinh-2022"]["province_at_signing"], by_id["tra-vinh-2022"]["province_today"]) == (
        "tra-vinh", "vinh-long-2025")
    records = {r["plan_id"]: r for r in json.loads(json_bytes(cols, rows["plans"]))}
    assert records["ninh-thuan-2020"]["province_today"] == "khanh-hoa-2025"
    provinces = {r[0]: r for r in rows["provinces"]}
    assert len(provinces) == 87 and provinces["tra-vinh"][6] == "vinh-long-2025"
    assert provinces["vinh-long-2025"][8] == "formed: Nghị quyết số 202/2025/QH15 (2025-06-12), Điều 1"


# ------------------------------------------------------------------ item 5: legal validity

def _registry(**extra):
    entry = {"id": "luat-x-2000", "type": "Luật", "number": "1/2000/QH10", "issuer": "Quốc hội",
             "level": "Quốc hội", "issued": "2000-12-09", "title": "Luật X", **extra}
    registry, errors = cite.registry_from_data([entry], {})
    assert errors == []
    return validity.apply([entry], registry)


def test_an_entry_without_validity_is_unknown():
    reg, errs = _registry()
    assert errs == [] and reg["luat-x-2000"].status == "unknown" and reg["luat-x-2000"].status_source == ""


def test_a_replaced_entry_records_what_replaced_it_from_when_and_the_record():
    reg, errs = _registry(status="replaced", replaced_by="Luật X số 2/2021/QH14", replaced_from="2022-01-01",
                          status_source="Luật X số 2/2021/QH14, Điều 54")
    inst = reg["luat-x-2000"]
    assert errs == [] and (inst.status, inst.replaced_by, inst.replaced_from) == (
        "replaced", "Luật X số 2/2021/QH14", "2022-01-01")


@pytest.mark.parametrize("extra, message", [
    ({"status": "replaced", "replaced_by": "Luật Y"}, "give status_source"),
    ({"status": "replaced", "status_source": "Luật Y, Điều 1"}, "names what replaced it"),
    ({"status": "abolished", "status_source": "x"}, "status must be one of in_force, replaced, unknown"),
    ({"status": "in_force", "status_source": "x", "in_force_from": "2022-13-01"}, "in_force_from must be YYYY-MM-DD"),
    ({"replaced_by": "Luật Y"}, "go with status: replaced"),
    ({"status": "replaced", "replaced_by": "Luật Y", "replaced_by_id": "luat-y", "status_source": "Luật Y, Điều 1"},
     "replaced_by_id 'luat-y' is not an id of legal.yaml"),
])
def test_validity_without_its_record_or_with_bad_values_is_refused(extra, message):
    _, errs = _registry(**extra)
    assert any(message in e for e in errs), errs


def test_a_basis_is_flagged_only_when_replaced_before_the_plans_date():
    inst = Instrument("x", "Luật", None, None, None, None, status="replaced", replaced_by="Y",
                      replaced_from="2022-01-01", status_source="Y, Điều 54")
    assert validity.replaced_by_then(inst, "2022-01-01", 2022)
    assert not validity.replaced_by_then(inst, "2021-12-31", 2021)
    # Date unknown: only what was replaced by 1 January of the plan's year is flagged.
    assert validity.replaced_by_then(inst, None, 2022) and not validity.replaced_by_then(inst, None, 2021)
    unknown = Instrument("y", "Luật", None, None, None, None)
    assert not validity.replaced_by_then(unknown, "2030-01-01", 2030)


def test_the_real_registry_records_the_2021_drug_law_date_with_its_own_article():
    reg = gather(REAL_CORPUS).site.instruments  # the instruments the plans cite, with their validity
    law = reg["luat-phong-chong-ma-tuy-2021"]
    assert (law.status, law.in_force_from, law.status_source) == (
        "unknown", "2022-01-01", "Luật Phòng, chống ma túy số 73/2021/QH14, Điều 54")
    # Nothing else is claimed without an official record.
    assert all(i.status == "unknown" and not i.in_force_from for k, i in reg.items() if k != law.id)
