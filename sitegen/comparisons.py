"""What pages say when they compare plans: the points of a comparison chart (with the subject as written,
the comparability level, the deadline, the source kind and the quote), chart titles that name every
subject, the home chart of categories, and a province's pairs of plans (changes only where the scopes
match; otherwise the plans side by side, without verdicts).

Each function takes the page Builder (`b`) of one language and returns finished values.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from .charts import Chart, category_matrix_chart
from .i18n import fmt_number
from .model import Plan, Target
from .normalize import BROADER_NARROWER, Group, province_pairs


def subjects_label(b, g: Group) -> str:
    """The subjects of a group as a title names them: one, or the broader then the narrower."""
    return " / ".join(b.label(b.lk.subjects, s) for s in (g.subjects or (g.subject,)))


def subjects_note(b, g: Group) -> str:
    """For a group that joins a subject and a broader one: the words that name both on the chart."""
    if g.level != BROADER_NARROWER:
        return ""
    names = [b.label(b.lk.subjects, s) for s in g.subjects]
    return b.t("chart_subjects_note", broader=names[0], narrower="; ".join(names[1:]))


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
        elif tg.parent not in known:  # a part whose parent is elsewhere (another group): in its place
            out.append(tg)
    return out


def count_text(b, targets) -> str:
    """'17 chỉ tiêu, kèm 6 phần của chỉ tiêu' (or just '3 chỉ tiêu'): parts never counted as targets."""
    tops = sum(tg.parent is None for tg in targets)
    parts = sum(tg.parent is not None for tg in targets)
    text = b.count_targets(tops)
    if parts:
        text = b.t("targets_and_parts", targets=text,
                   parts=b.t("n_parts_one" if parts == 1 else "n_parts", n=fmt_number(parts, b.lang)))
    return text


def matrix_chart(b, plans: list[Plan], chart_id: str, title: str, *, by_province: bool = False) -> Chart:
    """In which categories each plan (or each province's latest plan) sets targets: top-level targets only,
    with the kind of text the site has of each plan written by its name."""
    counts = [Counter(tg.category for tg in p.targets if tg.parent is None) for p in plans]
    cats = [c for c in b.lk.categories if any(n[c] for n in counts)]
    columns = [{"label": p.province if by_province else b.plan_label(p), "plan_id": p.id,
                "plan_label": b.plan_label(p), "source_kind": p.source_kind, "excerpt": p.excerpt} for p in plans]
    categories = []
    for c in cats:
        cells = []
        for p, n in zip(plans, counts):
            if not n[c]:
                cells.append(None)
                continue
            mine = [tg for tg in p.targets if tg.category == c]
            top = [tg for tg in mine if tg.parent is None]
            cells.append({"targets": len(top), "parts": len(mine) - len(top),
                          "subjects": list(dict.fromkeys(tg.subject_text for tg in top)),
                          "deadlines": sorted({tg.deadline for tg in top if tg.deadline is not None})})
        categories.append((b.label(b.lk.categories, c), cells))
    source = (b.source_summary(chart_id, [p.id for p in plans]) if by_province
              else b.source_line([p.id for p in plans]))
    return category_matrix_chart(chart_id, title, columns, categories, b.lang, source, b.t("chart_matrix_note"))


# ---------------------------------------------------------------- a province's pairs of plans


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

    plan: object  # pages.Link
    kinds: str
    topics: str
    targets: tuple[SideTarget, ...]
    empty: str  # "" or the words for a plan with no target


@dataclass(frozen=True)
class PairView:
    """Two consecutive plans of a province: changes where their scopes match, the rest side by side."""

    before: object  # pages.Link
    after: object
    rows: tuple  # pages.ChangeRow: the changes both scopes allow
    note: str  # when there is nothing to list
    different: bool  # no target could be compared: the plans are on different subjects
    different_note: str
    sides: tuple[SidePlan, ...]  # the two plans side by side, when any target was left uncompared
    not_compared_note: str


def scope_text(b, p: Plan, aspect: str) -> str:
    """A plan's kinds or topics in words ('không rõ' when not coded)."""
    table = b.lk.plan_kinds if aspect == "kind" else b.lk.themes
    ids = p.scope_kinds if aspect == "kind" else p.scope_topics
    return "; ".join(b.label(table, i) for i in ids) or b.t("unknown")


def pair_views(b, path: str, plans: list[Plan]) -> tuple[PairView, ...]:
    """Each pair of consecutive plans of a province as its page shows it."""
    from .pages import ChangeRow, Link, plan_path

    out = []
    for pair in province_pairs(plans, b.lk.themes):
        before, after = pair.before, pair.after
        rows = []
        for ch in pair.changes:
            what = (f"{b.label(b.lk.categories, ch.category)} — {b.label(b.lk.subjects, ch.subject)}"
                    f" ({b.unit_label(ch.unit)})")
            rows.append(ChangeRow(
                ch.kind, b.t("change_" + ch.kind), what,
                b.target_value(ch.before) if ch.before else "—", ch.before.quote if ch.before else "",
                b.quote_url(path, ch.before) if ch.before else "",
                b.target_value(ch.after) if ch.after else "—", ch.after.quote if ch.after else "",
                b.quote_url(path, ch.after) if ch.after else ""))
        sides = ()
        if pair.not_compared or pair.different_subjects:
            left = {(t.plan_id, t.id) for t in pair.not_compared}
            sides = tuple(_side(b, path, p, None if pair.different_subjects else left) for p in (before, after))
        note = "" if rows or sides else b.t("no_changes_note")
        different = pair.different_subjects and bool(before.targets or after.targets)
        out.append(PairView(
            Link(b.plan_label(before), b.url(path, plan_path(before.id))),
            Link(b.plan_label(after), b.url(path, plan_path(after.id))),
            tuple(rows), note, different,
            b.t("different_subjects_note", before=b.plan_label(before), after=b.plan_label(after),
                before_topics=scope_text(b, before, "topic"), after_topics=scope_text(b, after, "topic"))
            if different else "",
            sides, b.t("not_compared_note") if sides and not different else ""))
    return tuple(out)


def _side(b, path: str, p: Plan, only: set | None) -> SidePlan:
    from .pages import Link, plan_path

    targets = [tg for tg in with_parts(p.targets)
               if only is None or (p.id, tg.id) in only or (tg.parent and (p.id, tg.parent) in only)]
    rows = tuple(SideTarget(b.label(b.lk.categories, tg.category), tg.subject_text, b.target_value(tg),
                            str(tg.deadline) if tg.deadline is not None else b.t("deadline_unknown"),
                            tg.quote, b.quote_url(path, tg), tg.parent is not None) for tg in targets)
    return SidePlan(Link(b.plan_label(p), b.url(path, plan_path(p.id))), scope_text(b, p, "kind"),
                    scope_text(b, p, "topic"), rows, "" if rows else b.t("side_by_side_none"))
