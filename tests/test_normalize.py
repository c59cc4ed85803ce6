"""Stage 3, normalize: tidy tables, comparability groups and province changes, on tiny inline data."""
from __future__ import annotations

from sitegen.model import Commitment, Corpus, Label, Lookups, Plan, ScopeRef, Target, Task, ThemeRef
from sitegen.normalize import (BROADER_NARROWER, NOT_COMPARABLE, SAME, ComparabilityRow, TargetRow, category_groups,
                               comparability, comparability_rows, group_inputs, province_changes, province_pairs,
                               province_summaries, tables, target_rows)


def target(plan_id, tid, value, *, category="communication", subject="xa", unit="percent", parent=None,
           deadline=2021, value_max=None, comparator="=", topics=("ma-tuy",)):
    return Target(plan_id, tid, category, subject, "xã", value, value_max, unit, comparator, "đạt", deadline,
                  f"quote {tid}", parent, topics=tuple(topics))


def plan(pid, province, year, targets=(), *, kind="official", issued=None, topics=("ma-tuy",), **kw):
    return Plan(id=pid, province=province, number=kw.get("number"), doc_type="Kế hoạch", title="T",
                issuer=None, signer=None, signer_title=None, issued=issued, year=year, period_end=year,
                field=None, source_kind=kind, excerpt=False, source_file="sources/x.txt", provenance="p",
                text="", targets=tuple(targets),
                scope=tuple(ScopeRef(pid, "topic", t, f"phòng, chống {t}") for t in topics),
                **{k: v for k, v in kw.items() if k != "number"})


QN20 = plan("qn-2020", "Quảng Ninh", 2020, [target("qn-2020", "t01", 90), target("qn-2020", "t02", 50, unit="people")])
QN21 = plan("qn-2021", "Quảng Ninh", 2021, [target("qn-2021", "t01", 100)])
TV22 = plan("tv-2022", "Trà Vinh", 2022)


# ---------------------------------------------------------------- tidy tables


def test_target_rows_has_one_row_per_target_with_its_plan_context():
    rows = target_rows((QN20, QN21, TV22))
    assert [(r.plan_id, r.target_id, r.province, r.year) for r in rows] == [
        ("qn-2020", "t01", "Quảng Ninh", 2020), ("qn-2020", "t02", "Quảng Ninh", 2020),
        ("qn-2021", "t01", "Quảng Ninh", 2021)]


def test_target_rows_are_plain_named_tuples_with_the_groups_columns():
    (row, _) = target_rows((QN20,))
    assert TargetRow._fields == ("plan_id", "target_id", "parent", "category", "subject", "unit", "province", "year",
                                 "family", "lineage")
    assert tuple(row) == ("qn-2020", "t01", "", "communication", "xa", "percent", "Quảng Ninh", 2020, "xa", "xa")


def test_a_target_row_has_its_subjects_family_and_lineage_from_the_subjects_table():
    p = plan("p", "X", 2020, [target("p", "t01", 100, subject="huyen"), target("p", "t02", 5, subject="khac")])
    assert [(r.family, r.lineage) for r in target_rows((p,), SUBJECTS)] == [("dia_ban", "huyen huyen_xa"),
                                                                           ("khac", "khac")]  # not in the table


def test_a_top_level_target_has_an_empty_parent():
    p = plan("p", "X", 2020, [target("p", "t01", 100), target("p", "t02", 50, parent="t01")])
    assert [r.parent for r in target_rows((p,))] == ["", "t01"]


def test_no_targets_gives_empty_tables():
    t = tables(Corpus(plans=(TV22,), lookups=Lookups()))
    assert t.targets == () and t.comparability == ()


def test_the_tables_are_made_without_pandas():
    """The tables are plain Python values: a build need not import pandas (a third of its start-up)."""
    t = tables(Corpus(plans=(QN20, QN21), lookups=Lookups()))
    assert t.targets and t.comparability
    assert {type(r) for r in t.targets} == {TargetRow} and {type(r) for r in t.comparability} == {ComparabilityRow}
    assert {type(v) for r in (*t.targets, *t.comparability) for v in r} == {str, int}


# ---------------------------------------------------------------- comparability groups


def test_a_category_splits_into_groups_by_subject_and_unit():
    groups = category_groups(target_rows((QN20, QN21)), "communication")
    assert [(g.subject, g.unit, len(g.rows)) for g in groups] == [("xa", "people", 1), ("xa", "percent", 2)]


def test_a_group_with_targets_of_two_plans_is_comparable():
    groups = {g.unit: g for g in category_groups(target_rows((QN20, QN21)), "communication")}
    assert groups["percent"].comparable is True


def test_a_group_with_targets_of_one_plan_is_not_comparable():
    groups = {g.unit: g for g in category_groups(target_rows((QN20, QN21)), "communication")}
    assert groups["people"].comparable is False


def test_two_targets_of_the_same_plan_are_not_a_comparison():
    p = plan("p", "X", 2020, [target("p", "t01", 100), target("p", "t02", 50)])
    (group,) = category_groups(target_rows((p,)), "communication")
    assert len(group.rows) == 2 and group.comparable is False


def test_a_sub_target_does_not_make_a_group_comparable():
    a = plan("a", "X", 2020, [target("a", "t01", 100)])
    b = plan("b", "Y", 2020, [target("b", "t01", 7, unit="people"), target("b", "t02", 50, parent="t01")])
    (group,) = [g for g in category_groups(target_rows((a, b)), "communication") if g.unit == "percent"]
    assert [r.plan_id for r in group.rows] == ["a", "b"] and group.comparable is False


def test_group_rows_are_ordered_by_year_then_province():
    rows = target_rows((QN21, plan("tv", "Trà Vinh", 2020, [target("tv", "t01", 80)]), QN20))
    (group,) = [g for g in category_groups(rows, "communication") if g.unit == "percent"]
    assert [r.plan_id for r in group.rows] == ["qn-2020", "tv", "qn-2021"]


def test_group_rows_order_provinces_by_code_point_then_plan_and_target():
    """As pandas' sort did: "Đ" (U+0110) comes after "Y", not beside "D" as a dictionary would put it;
    two plans of one province and year by their ids, two targets of a plan by theirs."""
    plans = [plan(pid, province, 2021, [target(pid, tid, 50) for tid in ("t02", "t01")])
             for pid, province in (("dl", "Đắk Lắk"), ("yb-b", "Yên Bái"), ("ag", "An Giang"), ("yb-a", "Yên Bái"),
                                   ("dn", "Đà Nẵng"))]
    (group,) = category_groups(target_rows(tuple(plans)), "communication")
    assert [(r.province, r.plan_id, r.target_id) for r in group.rows][::2] == [
        ("An Giang", "ag", "t01"), ("Yên Bái", "yb-a", "t01"), ("Yên Bái", "yb-b", "t01"), ("Đà Nẵng", "dn", "t01"),
        ("Đắk Lắk", "dl", "t01")]
    assert [r.target_id for r in group.rows[:2]] == ["t01", "t02"]


def test_a_category_without_targets_has_no_group():
    assert category_groups(target_rows((QN20,)), "inspection") == []


def test_the_group_key_is_url_safe():
    p = plan("p", "X", 2020, [target("p", "t01", 5, category="clean_communes", unit="percent_reduction")])
    (group,) = category_groups(target_rows((p,)), "clean_communes")
    assert group.key == "clean-communes--xa--percent-reduction"


# ---------------------------------------------------------------- province changes


def _kinds(changes):
    return [(c.kind, c.unit, c.before.value if c.before else None, c.after.value if c.after else None)
            for c in changes]


def test_a_target_raised_from_one_plan_to_the_next_is_raised():
    ((before, after, changes),) = province_changes([QN20, QN21])
    assert (before.id, after.id) == ("qn-2020", "qn-2021")
    assert ("raised", "percent", 90, 100) in _kinds(changes)


def test_a_target_only_in_the_earlier_plan_is_dropped():
    ((_, _, changes),) = province_changes([QN20, QN21])
    assert ("dropped", "people", 50, None) in _kinds(changes)


def test_a_target_only_in_the_later_plan_is_new_and_a_lower_value_is_lowered():
    a = plan("a", "X", 2020, [target("a", "t01", 100)])
    b = plan("b", "X", 2021, [target("b", "t01", 80), target("b", "t02", 3, category="training")])
    ((_, _, changes),) = province_changes([a, b])
    assert sorted(_kinds(changes)) == [("lowered", "percent", 100, 80), ("new", "percent", None, 3)]


def test_the_same_value_is_unchanged():
    a = plan("a", "X", 2020, [target("a", "t01", 100)])
    b = plan("b", "X", 2021, [target("b", "t01", 100)])
    assert _kinds(province_changes([a, b])[0][2]) == [("unchanged", "percent", 100, 100)]


def test_sub_targets_are_left_out_of_changes():
    a = plan("a", "X", 2020, [target("a", "t01", 7, unit="people"), target("a", "t02", 100, parent="t01")])
    b = plan("b", "X", 2021, [target("b", "t01", 7, unit="people")])
    assert _kinds(province_changes([a, b])[0][2]) == [("unchanged", "people", 7, 7)]


def test_plans_are_compared_in_year_order_whatever_the_input_order():
    c = plan("c", "X", 2022, [target("c", "t01", 100)])
    a = plan("a", "X", 2020, [target("a", "t01", 80)])
    b = plan("b", "X", 2021, [target("b", "t01", 90)])
    assert [(x.id, y.id) for x, y, _ in province_changes([c, a, b])] == [("a", "b"), ("b", "c")]


def test_plans_of_the_same_year_are_ordered_by_issue_date():
    late = plan("a-late", "X", 2020, issued="2020-09-01")
    early = plan("z-early", "X", 2020, issued="2020-01-01")
    assert [(x.id, y.id) for x, y, _ in province_changes([late, early])] == [("z-early", "a-late")]


def test_a_single_plan_has_no_changes():
    assert province_changes([QN20]) == []


def test_two_plans_without_targets_compare_with_no_rows():
    assert province_changes([TV22, plan("tv-2023", "Trà Vinh", 2023)])[0][2] == []



# ---------------------------------------------------------------- changes only where the scopes match


def test_two_plans_of_one_province_on_one_topic_get_raised_lowered_new_and_dropped():
    a = plan("a", "X", 2020, [target("a", "t01", 80), target("a", "t02", 50, unit="people"),
                              target("a", "t03", 10, category="training")])
    b = plan("b", "X", 2021, [target("b", "t01", 90), target("b", "t02", 40, unit="people"),
                              target("b", "t03", 3, category="models")])
    (pair,) = province_pairs([a, b])
    assert sorted(_kinds(pair.changes)) == [("dropped", "percent", 10, None), ("lowered", "people", 50, 40),
                                            ("new", "percent", None, 3), ("raised", "percent", 80, 90)]
    assert pair.not_compared == () and pair.shared_topics == ("ma-tuy",) and not pair.different_subjects


def test_two_plans_on_different_topics_claim_no_change():
    # Like Tuyên Quang: a plan on prostitution (no target), then a project on drugs with three targets.
    prostitution = plan("tq-2013", "Tuyên Quang", 2013, topics=("mai-dam",))
    drugs = plan("tq-2019", "Tuyên Quang", 2019, [target("tq-2019", "t01", 5), target("tq-2019", "t02", 100,
                                                   category="training"), target("tq-2019", "t03", 1, unit="people")])
    (pair,) = province_pairs([prostitution, drugs])
    assert pair.changes == () and pair.different_subjects and pair.shared_topics == ()
    assert sorted(t.id for t in pair.not_compared) == ["t01", "t02", "t03"]
    assert province_changes([prostitution, drugs]) == [(prostitution, drugs, [])]


def test_same_values_on_different_topics_are_not_called_unchanged():
    a = plan("a", "X", 2020, [target("a", "t01", 100, topics=("mai-dam",))], topics=("mai-dam",))
    b = plan("b", "X", 2021, [target("b", "t01", 100)], topics=("ma-tuy",))
    (pair,) = province_pairs([a, b])
    assert pair.changes == () and len(pair.not_compared) == 2


def test_a_target_whose_topic_one_scope_lacks_gets_no_verdict_while_the_others_do():
    a = plan("a", "X", 2020, [target("a", "t01", 80)], topics=("ma-tuy",))
    b = plan("b", "X", 2021, [target("b", "t01", 90), target("b", "t02", 5, category="training",
                                                             topics=("mai-dam",))], topics=("ma-tuy", "mai-dam"))
    (pair,) = province_pairs([a, b])
    assert _kinds(pair.changes) == [("raised", "percent", 80, 90)]
    assert [t.id for t in pair.not_compared] == ["t02"]  # a is not on prostitution: not "new"


def test_a_broader_topic_in_the_scope_covers_a_narrower_one():
    topics = {"ma-tuy": Label("ma-tuy", "Ma túy", "Drugs"),
              "cai-nghien": Label("cai-nghien", "Cai nghiện", "Rehabilitation", broader="ma-tuy")}
    a = plan("a", "X", 2020, [target("a", "t01", 80, topics=("cai-nghien",))], topics=("ma-tuy",))
    b = plan("b", "X", 2021, [target("b", "t01", 90, topics=("cai-nghien",))], topics=("cai-nghien",))
    assert _kinds(province_pairs([a, b], topics)[0].changes) == [("raised", "percent", 80, 90)]
    # ... but not the other way round: a plan on rehabilitation does not cover drugs in general.
    c = plan("c", "X", 2022, [target("c", "t01", 95, topics=("ma-tuy",))], topics=("ma-tuy",))
    assert province_pairs([b, c], topics)[0].changes == ()


def test_targets_without_coded_topics_get_no_verdict():
    a = plan("a", "X", 2020, [target("a", "t01", 80, topics=())])
    b = plan("b", "X", 2021, [target("b", "t01", 90, topics=())])
    assert province_pairs([a, b])[0].changes == ()


def test_plans_without_a_coded_scope_get_no_verdict():
    a = plan("a", "X", 2020, [target("a", "t01", 80)], topics=())
    b = plan("b", "X", 2021, [target("b", "t01", 90)])
    assert province_pairs([a, b])[0].different_subjects


# ---------------------------------------------------------------- parts are not targets


def test_parts_are_counted_as_parts_never_as_targets():
    p = plan("p", "X", 2021, [target("p", "t01", 900, unit="people"), target("p", "t02", 700, unit="people",
                                                                             parent="t01"),
                              target("p", "t03", 200, unit="people", parent="t01"), target("p", "t04", 50)])
    assert [t.id for t in p.top_targets] == ["t01", "t04"] and [t.id for t in p.parts] == ["t02", "t03"]
    (group,) = [g for g in category_groups(target_rows((p,)), "communication") if g.unit == "people"]
    assert [(r.target_id, r.parent) for r in group.rows] == [("t01", ""), ("t02", "t01"), ("t03", "t01")]


# ---------------------------------------------------------------- comparability


SUBJECTS = {
    "huyen_xa": Label("huyen_xa", "huyện và xã", "districts and communes", family="dia_ban"),
    "huyen": Label("huyen", "huyện", "districts", family="dia_ban", broader="huyen_xa"),
    "xa": Label("xa", "xã", "communes", family="dia_ban", broader="huyen_xa"),
    "can_bo_a": Label("can_bo_a", "cán bộ trực tiếp", "officials A", family="can_bo"),
    "can_bo_b": Label("can_bo_b", "cán bộ cai nghiện", "officials B", family="can_bo"),
}


def test_comparability_is_same_broader_narrower_or_not_comparable():
    assert comparability(SUBJECTS, ("xa", "percent"), ("xa", "percent")) == SAME
    assert comparability(SUBJECTS, ("huyen", "percent"), ("huyen_xa", "percent")) == BROADER_NARROWER
    assert comparability(SUBJECTS, ("huyen_xa", "percent"), ("xa", "percent")) == BROADER_NARROWER
    assert comparability(SUBJECTS, ("huyen", "percent"), ("xa", "percent")) == NOT_COMPARABLE  # siblings
    assert comparability(SUBJECTS, ("can_bo_a", "percent"), ("can_bo_b", "percent")) == NOT_COMPARABLE
    assert comparability(SUBJECTS, ("xa", "percent"), ("xa", "people")) == NOT_COMPARABLE


def test_a_subject_and_a_broader_one_share_a_chart_and_say_so():
    a = plan("a", "X", 2020, [target("a", "t01", 100, subject="huyen")])
    b = plan("b", "Y", 2020, [target("b", "t01", 100, subject="huyen_xa")])
    (g,) = category_groups(target_rows((a, b), SUBJECTS), "communication")
    assert (g.subjects, g.level, g.subject, g.comparable) == (("huyen_xa", "huyen"), BROADER_NARROWER, "huyen_xa",
                                                              True)


def test_subjects_that_are_not_comparable_never_share_a_chart():
    # Ninh Thuận's officials working directly on social evils, Quảng Ninh's on rehabilitation and prostitution.
    a = plan("a", "X", 2020, [target("a", "t01", 100, subject="can_bo_a", category="training")])
    b = plan("b", "Y", 2021, [target("b", "t01", 35, subject="can_bo_b", category="training")])
    groups = category_groups(target_rows((a, b), SUBJECTS), "training")
    assert [(g.subjects, g.comparable) for g in groups] == [(("can_bo_a",), False), (("can_bo_b",), False)]
    # Two siblings and their common broader subject: the broader one goes with the first sibling, the
    # other sibling stands alone (districts and communes are not comparable).
    c = plan("c", "Z", 2021, [target("c", "t01", 100, subject="huyen_xa")])
    d = plan("d", "W", 2021, [target("d", "t01", 100, subject="huyen"), target("d", "t02", 100, subject="xa")])
    groups = category_groups(target_rows((c, d), SUBJECTS), "communication")
    assert [g.subjects for g in groups] == [("huyen_xa", "huyen"), ("xa",)]
    assert [[r.subject for r in g.rows] for g in groups] == [["huyen", "huyen_xa"], ["xa"]]  # by province: W, Z


def test_the_comparability_table_stores_the_level_of_every_target_a_chart_compares():
    a = plan("a", "X", 2020, [target("a", "t01", 100, subject="huyen"),
                              target("a", "t02", 5, subject="huyen", parent="t01")])
    b = plan("b", "Y", 2020, [target("b", "t01", 90, subject="huyen_xa")])
    c = plan("c", "Z", 2020, [target("c", "t01", 3, subject="can_bo_a", category="training")])
    t = tables(Corpus(plans=(a, b, c), lookups=Lookups(subjects=SUBJECTS)))
    assert [(r.plan_id, r.target_id, r.level, r.group_subjects) for r in t.comparability] == [
        ("a", "t01", BROADER_NARROWER, "huyen_xa huyen"), ("b", "t01", BROADER_NARROWER, "huyen_xa huyen")]
    assert t.comparability[0] == ("a", "t01", "communication", "huyen", "dia_ban", "percent",
                                  "communication--huyen-xa--percent", "huyen_xa huyen", BROADER_NARROWER)


# ---------------------------------------------------------------- province summaries


def test_a_province_summary_gives_its_lowest_highest_and_latest_top_level_value():
    early = plan("qn-a", "Quảng Ninh", 2021, [target("qn-a", "t01", 80), target("qn-a", "t02", 99, parent="t01")],
                 issued="2021-01-10")
    late = plan("qn-b", "Quảng Ninh", 2021, [target("qn-b", "t01", 70, value_max=95), target("qn-b", "t02", 60)],
                issued="2021-06-30")
    tv = plan("tv", "Trà Vinh", 2020, [target("tv", "t01", 50, parent="t09")])
    plans = {p.id: p for p in (early, late, tv)}
    out = province_summaries([tg for p in (early, late, tv) for tg in p.targets], plans)
    assert list(out) == ["Quảng Ninh", "Trà Vinh"]
    qn = out["Quảng Ninh"]
    assert [tg.id for tg in qn.targets] == ["t01", "t02", "t01", "t02"]  # every target, sub-targets too
    # The sub-target (99) is left out: values compare top-level targets, as the charts do.
    assert (qn.lowest.plan_id, qn.lowest.value) == ("qn-b", 60)
    assert (qn.highest.plan_id, qn.highest.value_max) == ("qn-b", 95)  # a range counts by its upper bound
    # The latest plan (same year: the later issue date), and of its targets in the group the first it states.
    assert (qn.latest_plan.id, qn.latest.id, qn.drawn) == ("qn-b", "t01", True)
    # A province with only sub-targets is summed up from those, and not drawn.
    assert (out["Trà Vinh"].lowest.value, out["Trà Vinh"].drawn) == (50, False)


def test_comparability_rows_are_the_top_level_rows_of_category_groups_comparable_groups(tmp_path):
    """comparability_rows (every category at once) gives the same rows, in the same order, as the
    comparable groups of category_groups (one category), on a generated corpus with broader/narrower
    subjects; and group_inputs' shapes are those groups'."""
    import sys
    from pathlib import Path

    from sitegen.normalize import group_shapes
    from sitegen.pipeline import gather

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import generate

    site = gather(generate.generate(60, tmp_path / "corpus", seed=4)).site
    targets = site.tables.targets
    expected, shapes = [], {}
    for cat in sorted({r.category for r in targets}):
        groups = category_groups(targets, cat)
        shapes[cat] = [g.shape for g in groups]
        for g in groups:
            if g.comparable:
                expected += [(r.plan_id, r.target_id, cat, r.subject, r.family, r.unit, g.key, " ".join(g.subjects),
                              g.level) for r in g.rows if r.parent == ""]
    got = comparability_rows(targets)
    assert len(expected) > 100 and {r[-1] for r in expected} == {SAME, BROADER_NARROWER}  # both levels are tested
    assert [tuple(r) for r in got] == expected and got == site.tables.comparability
    assert {cat: group_shapes(cat, rows) for cat, rows in group_inputs(targets).items()} == shapes
    assert comparability_rows(()) == ()


def test_the_group_inputs_and_shapes_of_one_table_are_computed_once_and_an_equal_table_gives_equal_ones():
    from sitegen.normalize import shapes_by_subject

    rows = tables(Corpus((QN20, QN21, TV22), Lookups())).targets
    first = group_inputs(rows)
    assert first and group_inputs(rows) is first  # the job keys, the index and the facts ask for the same table
    assert shapes_by_subject(rows) is shapes_by_subject(rows)
    copy = tuple(list(rows))  # another table with the same rows: computed again, the same values
    assert copy is not rows and group_inputs(copy) is not first and group_inputs(copy) == first
    fewer = rows[:1]
    assert group_inputs(fewer) != first and group_inputs(fewer) == group_inputs(list(fewer))


def test_the_comparability_by_unit_of_one_table_is_computed_once_for_the_same_units():
    from dataclasses import replace

    from sitegen.pages.reads import comparability_by_unit

    site_tables = tables(Corpus((QN20, QN21, TV22), Lookups()))
    plans = (QN20, QN21, TV22)
    first = comparability_by_unit(plans, site_tables.comparability)
    assert first and comparability_by_unit(plans, site_tables.comparability) is first
    # The same table for plans of other units (a plan's province changed): computed again.
    moved = (replace(QN20, province="Trà Vinh"), QN21, TV22)
    other = comparability_by_unit(moved, site_tables.comparability)
    assert other is not first and other != first
    assert comparability_by_unit(plans, tuple(site_tables.comparability)) == first
