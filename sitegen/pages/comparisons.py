"""What pages say when they compare plans: the points of a comparison chart (subject as written,
comparability level, deadline, source kind, quote), chart titles that name every subject, targets
listed with their parts under them, and a province's pairs of plans (changes only where both scopes
cover the target's topics; otherwise the plans side by side, without verdicts)."""
from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..model import TARGETS_NOT_IN_TEXT, Plan, Target
from ..normalize import BROADER_NARROWER, Group, province_pairs
from .kit import Kit, Link


def subjects_label(k: Kit, g: Group) -> str:
    """The subjects of a group as a chart title names them: one, or the broader then the narrower."""
    return k.t("subjects_vs").join(k.label(k.lk.subjects, s) for s in (g.subjects or (g.subject,)))


def subjects_note(k: Kit, g: Group) -> str:
    """For a group that joins a subject and a broader one: the words that name both on the chart."""
    if g.level != BROADER_NARROWER:
        return ""
    names = [k.label(k.lk.subjects, s) for s in g.subjects]
    return k.t("chart_subjects_note", broader=names[0], narrower="; ".join(names[1:]))


def point(tg: Target, p: Plan, g: Group) -> dict:
    """The fields every point of a chart of target values carries (charts.POINT_COLUMNS)."""
    return {"target_id": tg.id, "subject_text": tg.subject_text, "comparability": g.level,
            "deadline": tg.deadline, "source_kind": p.source_kind, "quote": tg.quote}


def with_parts(targets) -> list[Target]:
    """Targets in their order, each top-level target followed right away by its parts."""
    parts: dict[str, list[Target]] = {}
    for tg in targets:
        if tg.parent is not None:
            parts.setdefault(tg.parent, []).append(tg)
    known = {tg.id for tg in targets if tg.parent is None}
    out = []
    for tg in targets:
        if tg.parent is None:
            out.append(tg)
            out += parts.get(tg.id, [])
        elif tg.parent not in known:  # a part whose parent is not in the list: in its own place
            out.append(tg)
    return out


def scope_text(k: Kit, p: Plan, aspect: str) -> str:
    """A plan's kinds or topics in words ('không rõ' when not coded)."""
    table = k.lk.plan_kinds if aspect == "kind" else k.lk.themes
    ids = p.scope_kinds if aspect == "kind" else p.scope_topics
    return "; ".join(k.label(table, i) for i in ids) or k.t("unknown")


# ---------------------------------------------------------------- a province's pairs of plans


@dataclass(frozen=True)
class ChangeRow:
    """A target that moved between two plans of a province (both plans' scopes cover its topics)."""

    kind: str
    kind_label: str
    what: str
    before: str
    before_quote: str
    before_url: str
    after: str
    after_quote: str
    after_url: str


@dataclass(frozen=True)
class SideTarget:
    """A target of one plan of a pair shown side by side (no verdict)."""

    category: str
    subject: str
    value: str
    deadline: str
    quote: str
    quote_url: str
    part: bool


@dataclass(frozen=True)
class SidePlan:
    """One plan of a pair shown side by side: its scope and its targets."""

    plan: Link
    kinds: str
    topics: str
    targets: tuple[SideTarget, ...]
    empty: str  # "" or the words for a plan with no target


@dataclass(frozen=True)
class ComparisonBlock:
    """Two consecutive plans of a province: the changes their scopes allow, the rest side by side."""

    before: Link
    after: Link
    rows: tuple[ChangeRow, ...]
    note: str  # when there is nothing to list
    different: bool  # no target could be compared: the plans are on different subjects
    different_note: str
    sides: tuple[SidePlan, ...]  # the two plans side by side, when any target was left uncompared
    not_compared_note: str


def comparison_blocks(k: Kit, path: str, plans: list[Plan]) -> tuple[ComparisonBlock, ...]:
    """Each pair of consecutive plans of a province (normalize.province_pairs), as the page at path shows it."""
    out = []
    for pair in province_pairs(plans, k.lk.themes):
        before, after = pair.before, pair.after
        rows = []
        for ch in pair.changes:
            what = (f"{k.label(k.lk.categories, ch.category)} — {k.label(k.lk.subjects, ch.subject)}"
                    f" ({k.unit_label(ch.unit)})")
            rows.append(ChangeRow(
                ch.kind, k.t("change_" + ch.kind), what,
                k.target_value(ch.before) if ch.before else "—", ch.before.quote if ch.before else "",
                k.quote_url(path, ch.before) if ch.before else "",
                k.target_value(ch.after) if ch.after else "—", ch.after.quote if ch.after else "",
                k.quote_url(path, ch.after) if ch.after else ""))
        sides = ()
        if pair.not_compared or pair.different_subjects:
            left = {(t.plan_id, t.id) for t in pair.not_compared}
            sides = tuple(_side(k, path, p, None if pair.different_subjects else left) for p in (before, after))
        different = pair.different_subjects and bool(before.targets or after.targets)
        out.append(ComparisonBlock(
            Link(k.plan_label(before), k.url(path, urls.plan_path(before.id))),
            Link(k.plan_label(after), k.url(path, urls.plan_path(after.id))),
            tuple(rows), "" if rows or different else no_changes_note(k, before, after), different,
            k.t("different_subjects_note", before=k.plan_label(before), after=k.plan_label(after),
                before_topics=scope_text(k, before, "topic"), after_topics=scope_text(k, after, "topic"))
            if different else "",
            sides if rows or different else (), k.t("not_compared_note") if sides and rows else ""))
    return tuple(out)


def _side(k: Kit, path: str, p: Plan, only: set | None) -> SidePlan:
    targets = [tg for tg in with_parts(p.targets)
               if only is None or (p.id, tg.id) in only or (tg.parent and (p.id, tg.parent) in only)]
    rows = tuple(SideTarget(k.label(k.lk.categories, tg.category), tg.subject_text, k.target_value(tg),
                            str(tg.deadline) if tg.deadline is not None else k.t("deadline_unknown"),
                            tg.quote, k.quote_url(path, tg), tg.parent is not None) for tg in targets)
    return SidePlan(Link(k.plan_label(p), k.url(path, urls.plan_path(p.id))), scope_text(k, p, "kind"),
                    scope_text(k, p, "topic"), rows,
                    "" if rows else k.no_targets_note(p, "side_by_side_none", "side_by_side_not_in_text"))


def no_changes_note(k: Kit, before: Plan, after: Plan) -> str:
    """Why two plans have nothing to compare: neither states targets, or one's are not in its text."""
    missing = any(p.targets_state == TARGETS_NOT_IN_TEXT for p in (before, after))
    return k.t("no_changes_not_in_text" if missing else "no_changes_note")
