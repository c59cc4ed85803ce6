"""Stage 3, normalize: tidy tables (one row per target, task, theme...) and comparisons.

Everything a page or a download shows as a table is computed here, once, with
pandas, so that a chart, its HTML table and its CSV can never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .model import Corpus, Plan, Target

PLAN_COLUMNS = ["plan_id", "province", "number", "doc_type", "title", "issued", "year", "period_end",
                "signer", "signer_title", "issuer", "field", "source_kind", "excerpt", "source_file",
                "n_targets",
                # the province as a unit of corpus/provinces.yaml (derived, see sitegen/lineage.py)
                "province_at_signing", "province_today"]
TARGET_COLUMNS = ["plan_id", "target_id", "parent", "category", "subject", "subject_text", "value",
                  "value_max", "unit", "comparator", "direction", "deadline", "quote", "note"]
GROUP_KEY = ["category", "subject", "unit"]


@dataclass(frozen=True)
class Tables:
    """The tidy tables behind every page and download."""

    plans: pd.DataFrame
    targets: pd.DataFrame  # TARGET_COLUMNS + province, year, source_kind, group
    commitments: pd.DataFrame
    tasks: pd.DataFrame
    themes: pd.DataFrame


def plan_rows(plans: tuple[Plan, ...]) -> pd.DataFrame:
    """One row per plan, unknowns empty."""
    rows = [{
        "plan_id": p.id, "province": p.province, "number": p.number or "", "doc_type": p.doc_type,
        "title": p.title, "issued": p.issued or "", "year": p.year, "period_end": p.period_end,
        "signer": p.signer or "", "signer_title": p.signer_title or "", "issuer": p.issuer or "",
        "field": p.field or "", "source_kind": p.source_kind, "excerpt": p.excerpt,
        "source_file": p.source_file, "n_targets": len(p.targets),
        "province_at_signing": p.province_at_signing, "province_today": "; ".join(p.province_today),
    } for p in plans]
    return pd.DataFrame(rows, columns=PLAN_COLUMNS)


def target_rows(plans: tuple[Plan, ...]) -> pd.DataFrame:
    """One row per target, with its plan's province, year and source kind, and its comparability group."""
    rows = []
    for p in plans:
        for t in p.targets:
            rows.append({
                "plan_id": p.id, "target_id": t.id, "parent": t.parent or "", "category": t.category,
                "subject": t.subject, "subject_text": t.subject_text, "value": t.value,
                "value_max": t.value_max, "unit": t.unit, "comparator": t.comparator,
                "direction": t.direction, "deadline": t.deadline, "quote": t.quote, "note": t.note,
                "province": p.province, "year": p.year, "source_kind": p.source_kind,
            })
    frame = pd.DataFrame(rows, columns=TARGET_COLUMNS + ["province", "year", "source_kind"])
    frame["deadline"] = frame["deadline"].astype("Int64")
    frame["group"] = frame[GROUP_KEY].astype(str).agg("|".join, axis=1) if len(frame) else pd.Series(dtype=str)
    return frame


def tables(corpus: Corpus) -> Tables:
    """Compute every tidy table of the corpus."""
    plans = corpus.plans
    return Tables(
        plans=plan_rows(plans),
        targets=target_rows(plans),
        commitments=pd.DataFrame(
            [{"plan_id": c.plan_id, "commitment_id": c.id, "kind": c.kind, "quote": c.quote}
             for p in plans for c in p.commitments], columns=["plan_id", "commitment_id", "kind", "quote"]),
        tasks=pd.DataFrame(
            [{"plan_id": t.plan_id, "agency": t.agency, "as_written": t.as_written, "role": t.role,
              "quote": t.quote} for p in plans for t in p.tasks],
            columns=["plan_id", "agency", "as_written", "role", "quote"]),
        themes=pd.DataFrame(
            [{"plan_id": t.plan_id, "theme": t.theme, "quote": t.quote} for p in plans for t in p.themes],
            columns=["plan_id", "theme", "quote"]),
    )


@dataclass(frozen=True)
class Group:
    """Targets of one category that share subject and unit: the only ones a chart may compare."""

    category: str
    subject: str
    unit: str
    rows: pd.DataFrame  # one row per target (sub-targets too), ordered by year then province
    comparable: bool  # top-level targets of at least two different plans

    @property
    def key(self) -> str:
        """Stable id of the group, used in chart ids and anchors."""
        return f"{self.category}--{self.subject}--{self.unit}".replace("_", "-")


def category_groups(targets: pd.DataFrame, category: str) -> list[Group]:
    """A category's targets split into comparability groups (same subject and unit)."""
    rows = targets[(targets["category"] == category)]
    groups = []
    for (subject, unit), part in sorted(rows.groupby(["subject", "unit"]), key=lambda kv: kv[0]):
        part = part.sort_values(["year", "province", "plan_id", "target_id"]).reset_index(drop=True)
        # A sub-target is compared through its parent: only top-level targets make a comparison.
        comparable = part.loc[part["parent"] == "", "plan_id"].nunique() >= 2
        groups.append(Group(category, subject, unit, part, comparable))
    return groups


@dataclass(frozen=True)
class Change:
    """How one target moved between two consecutive plans of a province."""

    kind: str  # raised, lowered, unchanged, new, dropped
    category: str
    subject: str
    unit: str
    before: Target | None
    after: Target | None


def province_changes(plans: list[Plan]) -> list[tuple[Plan, Plan, list[Change]]]:
    """For consecutive plans of one province, which targets were raised, lowered, new or dropped.

    Targets are matched on category, subject and unit (the comparability key);
    sub-targets are left out because their parent already carries the comparison.
    """
    ordered = sorted(plans, key=lambda p: (p.year, p.issued or "", p.id))
    out = []
    for before, after in zip(ordered, ordered[1:]):
        old = _by_key(before)
        new = _by_key(after)
        changes = []
        for key in sorted(set(old) | set(new)):
            a, b = old.get(key), new.get(key)
            if a and b:
                kind = "raised" if b.value > a.value else "lowered" if b.value < a.value else "unchanged"
            else:
                kind = "new" if b else "dropped"
            changes.append(Change(kind, *key, a, b))
        out.append((before, after, changes))
    return out


def _by_key(plan: Plan) -> dict[tuple[str, str, str], Target]:
    found: dict[tuple[str, str, str], Target] = {}
    for t in plan.targets:
        if t.parent is None:
            found.setdefault((t.category, t.subject, t.unit), t)
    return found


@dataclass(frozen=True)
class ProvinceSummary:
    """One province's targets of a comparability group, summed up (a split category page's row)."""

    province: str
    targets: tuple[Target, ...]  # in the group's order
    lowest: Target
    highest: Target
    latest: Target  # the value its latest plan states (the first of that plan's targets in the group)
    latest_plan: Plan
    drawn: bool  # it has a top-level target: charts draw its latest value


def province_summaries(targets: list[Target], plans: dict[str, Plan]) -> dict[str, ProvinceSummary]:
    """A group's targets summed up per province (sorted by name): lowest, highest and latest value.

    Values compare top-level targets, as the charts do; a province with only sub-targets in the
    group is summed up from those rather than left blank."""
    mine: dict[str, list[Target]] = {}
    for tg in targets:
        mine.setdefault(plans[tg.plan_id].province, []).append(tg)

    def plan_order(tg: Target) -> tuple:
        p = plans[tg.plan_id]
        return (p.year, p.issued or "", p.id)

    def high(tg: Target) -> float:
        return tg.value if tg.value_max is None else tg.value_max

    out = {}
    for province in sorted(mine):
        own = mine[province]
        top = [tg for tg in own if not tg.parent]
        ranked = top or own
        lowest = min(ranked, key=lambda tg: (tg.value, high(tg), plan_order(tg), tg.id))
        highest = min(ranked, key=lambda tg: (-high(tg), -tg.value, plan_order(tg), tg.id))
        latest_plan = plans[max(plan_order(tg) for tg in ranked)[2]]
        # Of several targets of the group in the latest plan, the one it states first.
        ids = {tg.id for tg in ranked if tg.plan_id == latest_plan.id}
        latest = next(tg for tg in latest_plan.targets if tg.id in ids)
        out[province] = ProvinceSummary(province, tuple(own), lowest, highest, latest, latest_plan, bool(top))
    return out
