"""Issue 13: parts of targets are never counted as targets; every plan's scope is data with its quote;
changes are claimed only between plans on the same subjects; comparability is stored. Checked on the
downloads of a small inline corpus and of the real corpus."""
from __future__ import annotations

import csv
import io

import orjson
import pytest

from helpers import PLAN_A, PLAN_B, REAL_CORPUS, YAML_A, MD_A, edit, snapshot, write_corpus
from sitegen.pipeline import build, gather
from sitegen.normalize import province_pairs

QN = "quang-ninh-2021-27-kh-ubnd"
TQ13 = "tuyen-quang-2013-86-kh-ubnd"
TQ19 = "tuyen-quang-2019-63-kh-ubnd"


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


# ---------------------------------------------------------------- a small inline corpus with a part


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """The tiny corpus with a part: 1.330 cán bộ, "trong đó 330 cán bộ cấp xã" (t03, part of t02)."""
    base = tmp_path_factory.mktemp("parts")
    root = write_corpus(base)
    edit(root / MD_A, "1.2. Tổ chức 06 lớp tập huấn cho 1.330 cán bộ.",
         "1.2. Tổ chức 06 lớp tập huấn cho 1.330 cán bộ, trong đó 330 cán bộ cấp xã.")
    (root / YAML_A).write_text((root / YAML_A).read_text(encoding="utf-8").replace("commitments:\n", """\
  - id: t03
    category: training
    subject: can_bo
    subject_text: cán bộ cấp xã
    value: 330
    value_max: null
    unit: people
    comparator: "="
    direction: đạt
    deadline: unknown
    parent: t02
    quote: "trong đó 330 cán bộ cấp xã"
    topics: [ma-tuy]
commitments:
""", 1), encoding="utf-8")
    build(root, base / "site", search=False)
    return snapshot(base / "site")


def test_plans_csv_and_json_count_top_level_targets_and_parts_apart(tiny):
    rows = {r["plan_id"]: r for r in _rows(tiny["data/plans.csv"])}
    assert (rows[PLAN_A]["n_targets"], rows[PLAN_A]["n_parts"]) == ("2", "1")
    assert (rows[PLAN_B]["n_targets"], rows[PLAN_B]["n_parts"]) == ("1", "0")
    records = {r["plan_id"]: r for r in orjson.loads(tiny["data/plans.json"])}
    assert (records[PLAN_A]["n_targets"], records[PLAN_A]["n_parts"]) == (2, 1)


def test_a_plans_own_json_counts_top_level_targets_and_lists_the_part_with_its_parent(tiny):
    record = orjson.loads(tiny[f"data/plans/{PLAN_A}.json"])
    assert (record["plan"]["n_targets"], record["plan"]["n_parts"]) == (2, 1)
    assert [(t["target_id"], t["parent"]) for t in record["targets"]] == [("t01", ""), ("t02", ""),
                                                                          ("t03", "t02")]


def test_every_download_with_a_count_agrees_with_the_rows_without_a_parent(tiny):
    targets = _rows(tiny["data/targets.csv"])
    top = [t for t in targets if not t["parent"]]
    assert len(targets) == 4 and len(top) == 3
    plans = _rows(tiny["data/plans.csv"])
    assert sum(int(p["n_targets"]) for p in plans) == len(top)
    assert sum(int(p["n_parts"]) for p in plans) == len(targets) - len(top)
    fields = next(r for r in orjson.loads(tiny["data/datapackage.json"])["resources"]
                  if r["name"] == "plans")["schema"]["fields"]
    n_targets = next(f for f in fields if f["name"] == "n_targets")
    assert "không tính các phần" in n_targets["description"] and n_targets["type"] == "integer"


def test_the_scope_download_has_each_kind_and_topic_with_its_quote(tiny):
    rows = [(r["plan_id"], r["aspect"], r["id"], r["quote"]) for r in _rows(tiny["data/scope.csv"])]
    assert rows == [(PLAN_A, "kind", "annual", "năm 2020"),
                    (PLAN_A, "topic", "ma-tuy", "Thực hiện công tác phòng, chống ma túy năm 2020"),
                    (PLAN_B, "kind", "annual", "kế hoạch năm 2021"), (PLAN_B, "topic", "ma-tuy", "phòng, chống ma túy")]
    assert orjson.loads(tiny[f"data/plans/{PLAN_A}.json"])["scope"][1]["label"] == "Ma túy"


def test_every_chart_has_its_data_as_csv_and_only_as_csv(tiny):
    """A chart's data is one CSV (its tools link to it); the JSON of the same rows is in the tables."""
    csvs = sorted(p for p in tiny if p.startswith("data/charts/") and p.endswith(".csv"))
    assert csvs
    assert [p for p in tiny if p.startswith("data/charts/")] == csvs
    for path in csvs:
        rows = _rows(tiny[path])
        assert rows and all(r["data_version"] for r in rows), path


# ---------------------------------------------------------------- the real corpus


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    base = tmp_path_factory.mktemp("real-parts")
    build(REAL_CORPUS, base / "site", search=False)
    return snapshot(base / "site")


def test_quang_ninh_2021_has_17_targets_and_6_parts_in_every_download(real):
    row = next(r for r in _rows(real["data/plans.csv"]) if r["plan_id"] == QN)
    assert (row["n_targets"], row["n_parts"]) == ("17", "6")
    record = orjson.loads(real[f"data/plans/{QN}.json"])
    assert (record["plan"]["n_targets"], record["plan"]["n_parts"]) == (17, 6)
    parts = {t["target_id"]: t["parent"] for t in record["targets"] if t["parent"]}
    # 900 lượt = 700 + 200; Cedemex "tối thiểu 50 người" = 04 địa phương, 05 người, 30 người; 1 activity a commune.
    assert parts == {"t03": "t02", "t11": "t10", "t12": "t10", "t21": "t13", "t22": "t13", "t23": "t13"}


def test_no_plan_count_of_the_real_corpus_includes_parts(real):
    targets = _rows(real["data/targets.csv"])
    plans = _rows(real["data/plans.csv"])
    assert len(plans) == 5 and len(targets) > 0
    for p in plans:
        mine = [t for t in targets if t["plan_id"] == p["plan_id"]]
        assert int(p["n_targets"]) == sum(not t["parent"] for t in mine), p["plan_id"]
        assert int(p["n_parts"]) == sum(bool(t["parent"]) for t in mine), p["plan_id"]
        own = orjson.loads(real[f"data/plans/{p['plan_id']}.json"])["plan"]
        assert (own["n_targets"], own["n_parts"]) == (int(p["n_targets"]), int(p["n_parts"]))


def test_every_real_plan_has_a_scope_whose_quotes_are_in_its_title_or_opening(real):
    rows = _rows(real["data/scope.csv"])
    by_plan: dict[str, set[str]] = {}
    for r in rows:
        by_plan.setdefault(r["plan_id"], set()).add(r["aspect"])
    assert by_plan and all(aspects == {"kind", "topic"} for aspects in by_plan.values()) and len(by_plan) == 5
    tq13 = {(r["aspect"], r["id"]) for r in rows if r["plan_id"] == TQ13}
    tq19 = {(r["aspect"], r["id"]) for r in rows if r["plan_id"] == TQ19}
    assert tq13 == {("kind", "implements_central"), ("topic", "mai-dam")}
    assert ("kind", "project") in tq19 and ("topic", "ma-tuy") in tq19 and ("topic", "mai-dam") not in tq19


def test_tuyen_quang_2013_and_2019_are_on_different_subjects_and_no_change_is_claimed():
    corpus = gather(REAL_CORPUS).site.corpus
    plans = [p for p in corpus.plans if p.province == "Tuyên Quang"]
    (pair,) = province_pairs(plans, corpus.lookups.themes)
    assert pair.changes == () and pair.different_subjects and pair.shared_topics == ()
    assert sorted(t.id for t in pair.not_compared) == ["t01", "t02", "t03"]


def test_the_training_targets_of_ninh_thuan_and_quang_ninh_are_not_compared(real):
    # 100% of officials working directly on social evils (press report, 2020) and 35% of officials working on
    # drug rehabilitation and prostitution (official text, 2021): different subjects, never one chart.
    rows = _rows(real["data/comparability.csv"])
    assert rows and not [r for r in rows if r["category"] == "training"]
    assert {r["level"] for r in rows} <= {"same", "broader_narrower"}
    targets = {(t["plan_id"], t["target_id"]): t["subject"] for t in _rows(real["data/targets.csv"])}
    assert targets[("ninh-thuan-2020", "t02")] != targets[(QN, "t09")]


def test_every_target_of_the_real_corpus_has_its_topics_coded(real):
    targets = _rows(real["data/targets.csv"])
    assert targets and all(t["topics"] for t in targets)


def test_every_chart_of_targets_carries_subject_comparability_deadline_and_source_kind_per_point(real):
    charts = sorted(p for p in real if p.startswith("data/charts/") and p.endswith(".csv"))
    of_targets = [p for p in charts if "mang-luoi" not in p]  # the citation network draws no target
    assert len(of_targets) >= 8  # the categories chart and three comparisons, in two languages
    for path in of_targets:
        rows = _rows(real[path])
        assert rows, path
        assert {"subject_text", "comparability", "deadline", "source_kind"} <= set(rows[0]), path
        assert all(r["comparability"] in ("same", "broader_narrower", "count") for r in rows), path
        assert all(r["source_kind"] in ("official", "press") for r in rows), path


def test_every_chart_of_targets_says_chi_tieu_and_gives_its_deadlines(real):
    import re

    home = real["index.html"].decode("utf-8")
    figures = re.findall(r'<figure class="chart".*?</figcaption>', home, flags=re.S)
    assert len(figures) == 4
    for fig in figures:
        assert "chỉ tiêu" in fig
    comparisons = [f for f in figures if "nhom-chi-tieu" not in f]
    assert comparisons and all("thời hạn: 20" in f for f in comparisons)
    # Every plan in the two comparisons sets the same level: the chart says so in words.
    assert all("đặt cùng một mức" in f for f in comparisons)


def test_the_plan_list_and_the_home_grid_count_quang_ninh_2021_as_17_targets(real):
    home = real["index.html"].decode("utf-8")
    assert "Kế hoạch có 17 chỉ tiêu" in home and "23 chỉ tiêu" not in home
    plans = real["plans/index.html"].decode("utf-8")
    row = plans[plans.index(f"{QN}.html"):]
    row = row[:row.index("</tr>")]
    assert '<td class="num">17</td>' in row
