"""Stage 3, normalize: tidy tables (one row per target, the comparability table) and comparisons.

The groups a page or a download compares are computed here, once, so that a chart, its HTML table
and its CSV can never disagree. Plain Python rows (named tuples), not pandas: pandas was a third of
every build's start-up and its selections per group most of this stage (issue 19).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

from .model import Corpus, Label, Plan, Target

# How comparable two targets are (stored for every pair a chart puts side by side):
SAME = "same"  # same subject and unit
BROADER_NARROWER = "broader_narrower"  # one family, one subject broader than the other, same unit
NOT_COMPARABLE = "not_comparable"  # never in one chart
LEVELS = (SAME, BROADER_NARROWER, NOT_COMPARABLE)


class TargetRow(NamedTuple):
    """A target (parts too) as the comparability groups see it: its plan's context and its subject's
    family and lineage. (Its other fields are the Target's: Index.target has it by plan and target id.)"""

    plan_id: str
    target_id: str
    parent: str  # "" for a top-level target
    category: str
    subject: str
    unit: str
    province: str
    year: int
    family: str  # the subject's family (the subject itself when it has none)
    lineage: str  # the subject and the broader subjects above it, narrowest first, space-separated


class ComparabilityRow(NamedTuple):
    """A row of the comparability table (COMPARABILITY_COLUMNS, the download's columns in order)."""

    plan_id: str
    target_id: str
    category: str
    subject: str
    family: str
    unit: str
    group: str
    group_subjects: str
    level: str


COMPARABILITY_COLUMNS = list(ComparabilityRow._fields)


@dataclass(frozen=True)
class Tables:
    """The tidy tables behind the pages' comparisons. (The download tables are made of each plan's
    rows: sitegen.export.plan_block.)"""

    targets: tuple[TargetRow, ...]  # one row per target, in the corpus' order
    comparability: tuple[ComparabilityRow, ...] = ()  # top-level targets a chart compares


def lineage(subjects: dict[str, Label] | None, subject: str) -> tuple[str, ...]:
    """A subject and the broader subjects above it, narrowest first (just the subject when not in the table)."""
    chain = [subject]
    while subjects and subject in subjects and subjects[subject].broader and len(chain) <= len(subjects):
        subject = subjects[subject].broader
        chain.append(subject)
    return tuple(chain)


def family(subjects: dict[str, Label] | None, subject: str) -> str:
    """The family of a subject (the subject itself when it has none)."""
    entry = (subjects or {}).get(subject)
    return entry.family if entry is not None and entry.family else subject


def comparability(subjects: dict[str, Label] | None, a: tuple[str, str], b: tuple[str, str]) -> str:
    """How comparable two targets given as (subject, unit) are: SAME, BROADER_NARROWER or NOT_COMPARABLE."""
    (sa, ua), (sb, ub) = a, b
    if ua != ub:
        return NOT_COMPARABLE
    if sa == sb:
        return SAME
    if family(subjects, sa) == family(subjects, sb) and (sa in lineage(subjects, sb) or sb in lineage(subjects, sa)):
        return BROADER_NARROWER
    return NOT_COMPARABLE


def target_rows(plans: tuple[Plan, ...], subjects: dict[str, Label] | None = None) -> tuple[TargetRow, ...]:
    """One row per target (parts too, with their parent), with its plan's province and year and its
    subject's family and lineage (from the subjects table, when given)."""
    rows = []
    chains: dict[str, tuple[str, str]] = {}  # each subject's family and lineage, looked up once
    for p in plans:
        for t in p.targets:
            if t.subject not in chains:
                chains[t.subject] = family(subjects, t.subject), " ".join(lineage(subjects, t.subject))
            rows.append(TargetRow(p.id, t.id, t.parent or "", t.category, t.subject, t.unit, p.province, p.year,
                                  *chains[t.subject]))
    return tuple(rows)


def tables(corpus: Corpus) -> Tables:
    """Compute the tidy tables of the corpus."""
    targets = target_rows(corpus.plans, corpus.lookups.subjects)
    return Tables(targets=targets, comparability=comparability_rows(targets))


def comparability_rows(targets: Iterable[TargetRow]) -> tuple[ComparabilityRow, ...]:
    """One row per top-level target that a comparison chart puts beside a target of another plan: its
    group (the chart), the group's subjects and its level (SAME, or BROADER_NARROWER when the group
    joins a subject with a broader one of its family; then two targets of one subject are SAME); by
    category, then in category_groups' order."""
    by_category: dict[str, list[TargetRow]] = {}
    for r in targets:
        by_category.setdefault(r.category, []).append(r)
    rows = []
    for cat in sorted(by_category):
        for g in _groups(cat, by_category[cat]):
            if g.comparable:
                # The group's key and subjects once per group, not per row (200,000 rows at 10,000 plans).
                key, subjects, level = g.key, " ".join(g.subjects), g.level
                rows += [ComparabilityRow(r.plan_id, r.target_id, cat, r.subject, r.family, r.unit, key, subjects,
                                          level) for r in g.rows if r.parent == ""]
    return tuple(rows)


def _absent(v) -> bool:
    # A key a group cannot have (None, or NaN): its target is left out, as pandas' groupby did.
    return v is None or (isinstance(v, float) and v != v)


@dataclass(frozen=True)
class GroupShape:
    """A comparability group without its targets: what a chart title and its points say of it."""

    category: str
    subject: str
    unit: str
    subjects: tuple[str, ...] = ()  # every subject of the group, broadest first (one: the same subject)
    level: str = SAME  # SAME (one subject) or BROADER_NARROWER (a subject and broader ones of its family)

    @property
    def key(self) -> str:
        """Stable id of the group, used in chart ids and anchors."""
        return f"{self.category}--{self.subject}--{self.unit}".replace("_", "-")


@dataclass(frozen=True)
class Group:
    """Targets of one category that share subject and unit: the only ones a chart may compare."""

    category: str
    subject: str
    unit: str
    rows: tuple[TargetRow, ...]  # one per target (sub-targets too), ordered by year, province, plan, target
    comparable: bool  # top-level targets of at least two different plans
    subjects: tuple[str, ...] = ()  # every subject of the group, broadest first (one: the same subject)
    level: str = SAME  # SAME (one subject) or BROADER_NARROWER (a subject and broader ones of its family)

    @property
    def key(self) -> str:
        """Stable id of the group, used in chart ids and anchors."""
        return f"{self.category}--{self.subject}--{self.unit}".replace("_", "-")

    @property
    def shape(self) -> GroupShape:
        """The group without its targets."""
        return GroupShape(self.category, self.subject, self.unit, self.subjects, self.level)


def _join_subjects(chains: dict[str, tuple[str, ...]]) -> list[tuple[str, ...]]:
    """The subjects of one family and unit (each with its lineage) joined into groups, broadest first:
    a subject joins the first group each of whose subjects it contains or is part of, otherwise it
    starts a group: no group ever holds two subjects that are not comparable."""
    joined: list[list[str]] = []
    for s in sorted(chains, key=lambda s: (len(chains[s]), s)):
        home = next((g for g in joined if all(m in chains[s] or s in chains[m] for m in g)), None)
        if home is None:
            joined.append([s])
        else:
            home.append(s)
    return [tuple(g) for g in joined]


def category_groups(targets: Iterable[TargetRow], category: str) -> list[Group]:
    """A category's targets split into comparability groups: one unit, and one subject or a chain of
    subjects of one family each broader than the next (never two subjects that are not comparable)."""
    return _groups(category, [r for r in targets if r.category == category])


# A group's rows are ordered by year, province, plan and target (unique: the order is total).
_ROW_ORDER = attrgetter("year", "province", "plan_id", "target_id")


def _groups(category: str, rows: list[TargetRow]) -> list[Group]:
    """category_groups of the rows of one category."""
    buckets: dict[tuple[str, str], list[TargetRow]] = {}
    for r in rows:
        fam, unit = r.family, r.unit
        # _absent inlined (x != x: NaN): a target without a family or unit is in no group.
        if not (fam is None or unit is None or fam != fam or unit != unit):
            buckets.setdefault((fam, unit), []).append(r)
    groups = []
    for key in sorted(buckets):
        bucket, unit = buckets[key], key[1]
        # A subject's lineage is the same on each of its rows (target_rows): split once per subject.
        chains = {subject: tuple(line.split()) for subject, line in {r.subject: r.lineage for r in bucket}.items()}
        for subjects in _join_subjects(chains):
            part = tuple(sorted((r for r in bucket if r.subject in subjects), key=_ROW_ORDER))
            # A sub-target is compared through its parent: only top-level targets make a comparison.
            comparable = len({r.plan_id for r in part if r.parent == ""}) >= 2
            groups.append(Group(category, subjects[0], unit, part, comparable, subjects,
                                SAME if len(subjects) == 1 else BROADER_NARROWER))
    return sorted(groups, key=lambda g: (g.subject, g.unit))


# The last group_inputs and shapes_by_subject computed, with the rows they were computed from: a build
# asks for them three times over the same table of every target (the job keys, the pages' index, the
# facts), a scan of every target each time (0.2 s at 10,000 plans). Compared by identity: a tuple of
# rows never changes, and the one kept here cannot be freed and its id reused.
_LAST_INPUTS: list = []
_LAST_SHAPES: list = []


def group_inputs(targets: Iterable[TargetRow]) -> dict[str, tuple[tuple[str, str, str, str], ...]]:
    """Per category, what the shapes of its groups are made of: each distinct (family, unit, subject,
    lineage) of its targets, sorted (group_shapes makes the shapes of them). Not to be changed: the
    same dict is handed to every caller asking for the same tuple of rows."""
    if isinstance(targets, tuple) and _LAST_INPUTS and _LAST_INPUTS[0] is targets:
        return _LAST_INPUTS[1]
    found: dict[str, set] = {}
    for r in targets:
        if not (_absent(r.family) or _absent(r.unit)):  # as _groups, which leaves these out
            found.setdefault(r.category, set()).add((r.family, r.unit, r.subject, r.lineage))
    out = {cat: tuple(sorted(rows)) for cat, rows in sorted(found.items())}
    if isinstance(targets, tuple):
        _LAST_INPUTS[:] = [targets, out]
    return out


def group_shapes(category: str, inputs) -> list[GroupShape]:
    """The shapes of a category's groups, in category_groups' order, from group_inputs (the same
    groups, without their targets)."""
    buckets: dict[tuple[str, str], dict[str, tuple[str, ...]]] = {}
    for fam, unit, subject, line in inputs:
        buckets.setdefault((fam, unit), {})[subject] = tuple(line.split())
    shapes = [GroupShape(category, subjects[0], unit, subjects, SAME if len(subjects) == 1 else BROADER_NARROWER)
              for (_, unit), chains in sorted(buckets.items()) for subjects in _join_subjects(chains)]
    return sorted(shapes, key=lambda g: (g.subject, g.unit))


def shapes_by_subject(targets: Iterable[TargetRow]) -> dict[str, dict[tuple[str, str], GroupShape]]:
    """Per category, the shape of the group each (subject, unit) of its targets is in (the same dict
    for the same tuple of rows, as group_inputs: not to be changed)."""
    if isinstance(targets, tuple) and _LAST_SHAPES and _LAST_SHAPES[0] is targets:
        return _LAST_SHAPES[1]
    out = {cat: {(s, g.unit): g for g in group_shapes(cat, rows) for s in g.subjects}
           for cat, rows in group_inputs(targets).items()}
    if isinstance(targets, tuple):
        _LAST_SHAPES[:] = [targets, out]
    return out


def province_groups(shapes: dict[tuple[str, str], GroupShape], plans, category: str,
                    ) -> list[tuple[GroupShape, list[Target]]]:
    """The groups of a category that some plans (a province's) have targets in, as shapes in the
    category's order (shapes: shapes_by_subject's of the category), each with those targets in the
    group's order: the part of category_groups those plans' targets make, without the other plans."""
    mine: dict[GroupShape, list[tuple]] = {}
    for p in plans:
        for tg in p.targets:
            if tg.category == category:
                mine.setdefault(shapes[(tg.subject, tg.unit)], []).append((p.year, p.id, tg.id, tg))
    order = sorted(mine, key=lambda g: (g.subject, g.unit))
    return [(g, [row[-1] for row in sorted(mine[g], key=lambda row: row[:3])]) for g in order]


@dataclass(frozen=True)
class Change:
    """How one target moved between two consecutive plans of a province."""

    kind: str  # raised, lowered, unchanged, new, dropped
    category: str
    subject: str
    unit: str
    before: Target | None
    after: Target | None


def covers(scope_topics: tuple[str, ...], topic: str, topics: dict[str, Label] | None = None) -> bool:
    """Whether a plan whose scope has these topics covers a topic (itself or a broader topic in its scope)."""
    return any(t in scope_topics for t in lineage(topics, topic))


def same_subjects(a: Plan, b: Plan, target_topics: tuple[str, ...], topics: dict[str, Label] | None = None) -> bool:
    """Whether the scopes of both plans cover every one of a target's topics (none coded: not known, False)."""
    return bool(target_topics) and all(covers(p.scope_topics, t, topics) for p in (a, b) for t in target_topics)


@dataclass(frozen=True)
class PlanPair:
    """Two consecutive plans of one province: the changes their scopes allow, and the targets left
    without a verdict because the other plan is on different subjects."""

    before: Plan
    after: Plan
    changes: tuple[Change, ...]  # raised, lowered, unchanged, new, dropped
    not_compared: tuple[Target, ...]  # top-level targets of either plan outside the other's scope
    shared_topics: tuple[str, ...]  # scope topics both plans cover (empty: different subjects)

    @property
    def different_subjects(self) -> bool:
        """No target could be compared: the plans are shown side by side, without verdicts."""
        return not self.changes


def province_pairs(plans: list[Plan], topics: dict[str, Label] | None = None) -> list[PlanPair]:
    """For consecutive plans of one province, which targets were raised, lowered, new or dropped.

    Targets are matched on category, subject and unit (the comparability key); parts are left out
    because their parent already carries the comparison. A change is claimed only when the scopes of
    both plans cover every topic of the targets concerned; other targets get no verdict.
    """
    ordered = sorted(plans, key=lambda p: (p.year, p.issued or "", p.id))
    out = []
    for before, after in zip(ordered, ordered[1:]):
        old = _by_key(before)
        new = _by_key(after)
        changes, left = [], []
        for key in sorted(set(old) | set(new)):
            a, b = old.get(key), new.get(key)
            concerned = tuple(dict.fromkeys((a.topics if a else ()) + (b.topics if b else ())))
            if not same_subjects(before, after, concerned, topics):
                left += [t for t in (a, b) if t]
                continue
            if a and b:
                kind = "raised" if b.value > a.value else "lowered" if b.value < a.value else "unchanged"
            else:
                kind = "new" if b else "dropped"
            changes.append(Change(kind, *key, a, b))
        shared = tuple(t for t in before.scope_topics if covers(after.scope_topics, t, topics)
                       and covers(before.scope_topics, t, topics))
        out.append(PlanPair(before, after, tuple(changes), tuple(left), shared))
    return out


def province_changes(plans: list[Plan], topics: dict[str, Label] | None = None) -> list[tuple[Plan, Plan, list[Change]]]:
    """province_pairs as (before, after, changes): only the changes both plans' scopes allow."""
    return [(p.before, p.after, list(p.changes)) for p in province_pairs(plans, topics)]


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
    key: str = ""  # what the targets were grouped by: the province's name, or the unit id of its plans


def province_summaries(targets: list[Target], plans: dict[str, Plan],
                       key: Callable[[Plan], str] | None = None) -> dict[str, ProvinceSummary]:
    """A group's targets summed up per province (by its name, or by key(plan): the unit a plan was
    signed in; sorted by it): lowest, highest and latest value.

    Values compare top-level targets, as the charts do; a province with only sub-targets in the
    group is summed up from those rather than left blank."""
    mine: dict[str, list[Target]] = {}
    for tg in targets:
        p = plans[tg.plan_id]
        mine.setdefault(key(p) if key else p.province, []).append(tg)

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
        out[province] = ProvinceSummary(latest_plan.province, tuple(own), lowest, highest, latest, latest_plan,
                                        bool(top), province)
    return out
