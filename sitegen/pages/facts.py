"""Derived facts: what the pages that sum up every plan show of the plans, and nothing more, each
made per plan or per provincial unit, merged, and digested on its own.

A page that sums up every plan (the home page, the plan list, a category overview, the matrices, the
province list, the methodology's counts, an instrument's pages) declares these instead of ("plans",),
("tables",) or every plan of a province, so that its key changes only when something it shows changes. An edit of one plan recomputes that plan's
line and its unit's shares; a fact recomputed with the same value (a target's note edited: no such
page shows it) leaves every job that read it alone (early cutoff).

    ("plan_lines",)            every reviewed plan's PlanLine (its heading, unit, kind of text and
                               counts of targets), in the corpus' order
    ("category_summary", cat)  a category's comparability groups (as shapes) that have targets, each
                               with every unit's UnitSummary of it (lowest, highest and latest
                               value, counts, what a group's notes say), made per unit
    ("matrix_columns",)        the columns of the home page's categories chart: each plan's targets
                               per category, or on a split site those of each province's latest plan
    ("headlines",)             the home page's three comparisons: the first groups whose top-level
                               targets come from two plans (on a split site, two units), with what
                               their charts draw
    ("matrix_counts",)         per unit, how many of its plans name each agency, theme and
                               commitment kind (the split matrices page)
    ("unit_quotes", unit)      what each plan of a unit says of agencies, themes and commitments
                               (PlanQuotes: a column of the unsplit matrices page), without its
                               targets
    ("unit_heads", unit)       the UnitPlans of a unit (id, province, year, number, issue date): what
                               an instrument's pages show of the plans citing it and of their unit's
                               other plans (a label also reads ("years", province))

Each is covered by itself, or by a declaration of what it is made of: every plan (("unit", id) for
a unit's heads and quotes), and the subjects and categories for the groups (reads.TABLES). The Kit
hands them to page code through FactsView (Kit.facts), which records each read; digests.Digests
digests them through digest() (registered in reads.FACT_KINDS). A fact made per unit is digested
from its units' digests, which the build database keeps (table `facts`, by a token of the unit's plans'
lean digests and of the groups' shapes: unit_digests), so that a build recomputes only the units an
edit touched.
"""
from __future__ import annotations

import dataclasses
import sys
from collections import Counter
from dataclasses import dataclass

from ..deps import code_digest
from ..model import Commitment, Plan, Target, Task, ThemeRef
from ..normalize import GroupShape, province_summaries, shapes_by_subject
from .reads import FACT_KINDS, TABLES, PlanHead, Read, plan_head, unit_of, value_digest


@dataclass(frozen=True)
class PlanLine(PlanHead):
    """A plan as a list or a count shows it: its heading (a PlanHead: labels and source lines), the
    unit it was signed in, its kind of text and how many targets it states, without the targets."""

    unit: str
    excerpt: bool
    targets_state: str
    n_targets: int  # parts included
    n_top: int  # top-level targets only (what counts as a target)


_HEAD_FIELDS = tuple(f.name for f in dataclasses.fields(PlanHead))


def plan_line(p: Plan) -> PlanLine:
    """A plan's line."""
    head = plan_head(p)
    return PlanLine(*(getattr(head, name) for name in _HEAD_FIELDS), unit_of(p), p.excerpt, p.targets_state,
                    len(p.targets), len(p.top_targets))


def lean_target(tg: Target) -> Target:
    """A target as a summing-up page shows it: without its notes and topics, which none shows."""
    if not (tg.note or tg.note_en or tg.topics):
        return tg
    return dataclasses.replace(tg, note="", note_en="", topics=())


@dataclass(frozen=True)
class UnitPlan:
    """A plan as an instrument's pages name it: not a PlanHead, so that its label reads whether
    another plan shares its province and year (("years", province)), not every plan's heading."""

    id: str
    province: str
    year: int
    number: str | None
    issued: str | None
    unit: str


@dataclass(frozen=True)
class PlanQuotes:
    """A plan as a matrices page shows it (a column): what it tasks each agency with, the themes and
    commitments it covers, with their quotes; named as a UnitPlan is (its label reads ("years", province))."""

    id: str
    province: str
    year: int
    number: str | None
    tasks: tuple[Task, ...]
    themes: tuple[ThemeRef, ...]
    commitments: tuple[Commitment, ...]


@dataclass(frozen=True)
class UnitSummary:
    """One unit's targets of a comparability group, summed up (a category overview's row, a bar of
    its chart): normalize.ProvinceSummary without the targets' notes and the plans' contents, and
    what the notes under the group say of its targets."""

    key: str  # the unit id
    province: str  # the latest plan's province, as it names it
    n_targets: int  # parts included
    n_top: int
    lowest: Target
    highest: Target
    latest: Target  # the value its latest plan states
    latest_plan: PlanHead
    drawn: bool  # it has a top-level target: charts draw its latest value
    press: bool  # some target is from a press report
    ranged: bool  # some target is a range
    bound: bool  # some target is a bound (≥, ≤ ...)
    parts: bool  # some target is a part of another
    deadlines: tuple[int, ...]  # the deadlines stated, sorted
    undated: bool  # some target states no deadline


@dataclass(frozen=True)
class CategoryCell:
    """A plan's targets in one category, as the home page's categories chart shows them."""

    targets: int  # top-level
    parts: int
    subjects: tuple[str, ...]  # as the plan words them, in order, once each
    deadlines: tuple[int, ...]


@dataclass(frozen=True)
class MatrixColumn:
    """A plan (or a province's latest plan) as a column of the categories chart: its line and its
    cells by category (only the categories it sets top-level targets in)."""

    line: PlanLine
    cells: tuple[tuple[str, CategoryCell], ...]


def summarize(targets: list[Target], plans: dict[str, Plan]) -> UnitSummary:
    """A unit's targets of one group summed up (normalize.province_summaries of them)."""
    s = next(iter(province_summaries(targets, plans, unit_of).values()))
    deadlines = {tg.deadline for tg in targets}
    return UnitSummary(s.key, s.province, len(targets), sum(tg.parent is None for tg in targets),
                       lean_target(s.lowest), lean_target(s.highest), lean_target(s.latest),
                       plan_head(s.latest_plan), s.drawn, any(plans[tg.plan_id].source_kind == "press" for tg in targets),
                       any(tg.value_max is not None for tg in targets), any(tg.comparator != "=" for tg in targets),
                       any(tg.parent for tg in targets), tuple(sorted(d for d in deadlines if d is not None)),
                       None in deadlines)


def category_cells(p: Plan) -> tuple[tuple[str, CategoryCell], ...]:
    """A plan's CategoryCells, by category id, for the categories it sets top-level targets in."""
    out = []
    for cat in dict.fromkeys(tg.category for tg in p.targets):
        mine = [tg for tg in p.targets if tg.category == cat]
        top = [tg for tg in mine if tg.parent is None]
        if top:
            out.append((cat, CategoryCell(len(top), len(mine) - len(top),
                                          tuple(dict.fromkeys(tg.subject_text for tg in top)),
                                          tuple(sorted({tg.deadline for tg in top if tg.deadline is not None})))))
    return tuple(out)


def latest_of(plans) -> Plan:
    """The latest of some plans: latest year, then latest issue date (as the overviews rank them)."""
    return max(plans, key=lambda p: (p.year, p.issued or "", p.id))


class Facts:
    """The facts of one site (the lean site every summing-up page sees), each computed once, per
    unit where it sums up targets: shared by the kits and the digests of a build."""

    def __init__(self, site):
        self.site = site
        self.plans = site.corpus.plans
        self._units: dict[str, list[Plan]] | None = None
        self._lines: tuple[PlanLine, ...] | None = None
        self._shapes: dict[str, dict[tuple[str, str], GroupShape]] | None = None
        self._shares: dict[str, dict[str, tuple[tuple[GroupShape, UnitSummary], ...]]] = {}
        self._memo: dict[Read, object] = {}
        self._unit_of: dict[str, str] | None = None
        # Each unit's digests (unit_record), by unit, from the build database or computed (unit_digests).
        self._records: dict[str, dict] = {}
        self._tokens: dict[str, str] | None = None
        self.learned: dict[str, dict] = {}  # token -> record this build computed (for the next one)
        self.used: set[str] = set()  # the tokens this build's site has

    @property
    def _by_unit(self) -> dict[str, list[Plan]]:
        """The plans by the unit they were signed in, in the corpus' order."""
        if self._units is None:
            self._units = {}
            for p in self.plans:
                self._units.setdefault(unit_of(p), []).append(p)
        return self._units

    @property
    def split(self) -> bool:
        """Whether the site has the split design (options.split)."""
        return self.site.options.split(len(self.plans))

    def value(self, read: Read):
        """The value of a fact read."""
        if read not in self._memo:
            self._memo[read] = getattr(self, "_" + read[0])(*read[1:])
        return self._memo[read]

    def digest(self, read: Read, digests=None) -> str:
        """The digest of a fact read: of each unit's share where it is made per unit. digests: the lean
        site's digests.Digests with a store of kept facts (Digests.kept_facts): each unit's digests are
        then taken from it while the unit's plans and the groups' shapes are unchanged (kept_digests)."""
        kind = read[0]
        if kind in ("category_summary", "matrix_counts", "unit_heads", "unit_quotes"):
            records = self.unit_digests(digests)
            if kind == "category_summary":
                return value_digest(*((u, r["shares"][read[1]]) for u, r in records.items() if read[1] in r["shares"]))
            if kind == "matrix_counts":
                return value_digest(*((u, r["counts"]) for u, r in records.items()))
            if read[1] not in records:
                return value_digest(())
            return records[read[1]]["heads" if kind == "unit_heads" else "quotes"]
        if kind == "headlines" and self.split and digests is not None and digests.kept_facts is not None:
            # Made of the category summaries alone (in the categories' order): kept by their digests.
            token = value_digest("headlines", self._code(), digests.of(("lookup", "categories")),
                                 *(self.digest(("category_summary", c), digests) for c in self.site.corpus.lookups.categories))
            return self._kept(token, digests, lambda: {"value": value_digest(self.value(read))})["value"]
        return value_digest(self.value(read))

    @staticmethod
    def _code() -> str:
        """What a kept digest's token is salted with: the code that computes and pickles the facts."""
        return f"{code_digest('sitegen.pages.facts')} {sys.version}"

    def _kept(self, token: str, digests, make) -> dict:
        """The record kept under a token, or make() (then learned: kept for the next build)."""
        self.used.add(token)
        known = digests.kept_facts([token]) if token not in self.learned else {}
        if token in known:
            return known[token]
        if token not in self.learned:
            self.learned[token] = make()
        return self.learned[token]

    def unit_record(self, unit: str) -> dict:
        """A unit's digests: of its share of each category (by category), of its ("unit_heads", unit)
        and ("unit_quotes", unit) and of its row of ("matrix_counts",)."""
        return {"shares": {cat: value_digest(share) for cat, share in self.unit_shares(unit).items()},
                "heads": value_digest(self.value(("unit_heads", unit))),
                "quotes": value_digest(self.value(("unit_quotes", unit))),
                "counts": value_digest(self._counts_of(unit))}

    def unit_digests(self, digests=None) -> dict[str, dict]:
        """Every unit's record (unit_record), sorted by unit: taken from the kept facts when digests has
        them (by a token of the unit's plans' lean digests and of the groups' shapes), else computed."""
        if self._tokens is None and digests is not None and digests.kept_facts is not None:
            # The shapes of the groups (made of every plan) decide which group a target is in.
            shapes = value_digest(*((c, digests.of(("groups", c))) for c in sorted(digests.group_categories())))
            code = self._code()
            self._tokens = {u: value_digest("unit facts", code, shapes, u,
                                            tuple((p.id, digests.of(("plan", p.id))) for p in self._by_unit[u]))
                            for u in sorted(self._by_unit)}
            self.used |= set(self._tokens.values())
            known = digests.kept_facts(list(self._tokens.values()))
            for u, token in self._tokens.items():
                if token in known:
                    self._records[u] = known[token]
        for u in sorted(self._by_unit):
            if u not in self._records:
                self._records[u] = self.unit_record(u)
                if self._tokens is not None:
                    self.learned[self._tokens[u]] = self._records[u]
        return {u: self._records[u] for u in sorted(self._by_unit)}

    # ------------------------------------------------------------ per plan and per unit

    def lines(self) -> tuple[PlanLine, ...]:
        """Every reviewed plan's line, in the corpus' order."""
        if self._lines is None:
            self._lines = tuple(plan_line(p) for p in self.plans)
        return self._lines

    def shapes(self) -> dict[str, dict[tuple[str, str], GroupShape]]:
        """Per category, the shape of the group each (subject, unit) of its targets is in."""
        if self._shapes is None:
            self._shapes = shapes_by_subject(self.site.tables.targets)
        return self._shapes

    def unit_shares(self, unit: str) -> dict[str, tuple[tuple[GroupShape, UnitSummary], ...]]:
        """One unit's share of every category it has targets in: each group's UnitSummary, in the
        category's group order (one pass over the unit's plans)."""
        if unit not in self._shares:
            plans = self._by_unit.get(unit, [])
            shapes = self.shapes()
            mine: dict[str, dict[GroupShape, list[Target]]] = {}
            for p in plans:
                for tg in p.targets:
                    mine.setdefault(tg.category, {}).setdefault(shapes[tg.category][(tg.subject, tg.unit)], []).append(tg)
            by_id = {p.id: p for p in plans}
            self._shares[unit] = {
                cat: tuple((g, summarize(groups[g], by_id)) for g in sorted(groups, key=lambda g: (g.subject, g.unit)))
                for cat, groups in mine.items()}
        return self._shares[unit]

    # ------------------------------------------------------------ the facts (value(read) calls these)

    def _plan_lines(self) -> tuple[PlanLine, ...]:
        return self.lines()

    def _category_summary(self, cat: str) -> tuple[tuple[GroupShape, tuple[UnitSummary, ...]], ...]:
        groups: dict[GroupShape, list[UnitSummary]] = {}
        for unit in sorted(self._by_unit):
            for g, s in self.unit_shares(unit).get(cat, ()):
                groups.setdefault(g, []).append(s)
        return tuple((g, tuple(groups[g])) for g in sorted(groups, key=lambda g: (g.subject, g.unit)))

    def _matrix_columns(self) -> tuple[MatrixColumn, ...]:
        lines = {line.id: line for line in self.lines()}
        if self.split:
            by_province: dict[str, list[Plan]] = {}
            for p in self.plans:
                by_province.setdefault(p.province, []).append(p)
            plans = [latest_of(by_province[pr]) for pr in sorted(by_province)]
        else:
            plans = list(self.plans)
        return tuple(MatrixColumn(lines[p.id], category_cells(p)) for p in plans)

    def _headlines(self) -> tuple[tuple[GroupShape, tuple], ...]:
        """Split: (shape, the UnitSummaries drawn) of the first three groups two units draw; else
        (shape, its top-level targets in the group's order) of the first three groups whose
        top-level targets come from two plans."""
        out = []
        for cat in self.site.corpus.lookups.categories:
            if self.split:
                for g, summaries in self.value(("category_summary", cat)):
                    drawn = tuple(s for s in summaries if s.drawn)
                    if len(drawn) >= 2:
                        out.append((g, drawn))
            else:
                out += self._comparable(cat)
            if len(out) >= 3:
                break
        return tuple(out[:3])

    def _comparable(self, cat: str) -> list[tuple[GroupShape, tuple[Target, ...]]]:
        """A category's groups whose top-level targets come from two plans, each with those targets in
        the group's order (year, province, plan, target: normalize.category_groups)."""
        shapes = self.shapes().get(cat, {})
        groups: dict[GroupShape, list[tuple]] = {}
        for p in self.plans:
            for tg in p.targets:
                if tg.category == cat and tg.parent is None:
                    groups.setdefault(shapes[(tg.subject, tg.unit)], []).append((p.year, p.province, p.id, tg.id, tg))
        return [(g, tuple(lean_target(row[-1]) for row in sorted(groups[g], key=lambda r: r[:4])))
                for g in sorted(groups, key=lambda g: (g.subject, g.unit)) if len({row[2] for row in groups[g]}) >= 2]

    def _unit_heads(self, unit: str) -> tuple[UnitPlan, ...]:
        return tuple(UnitPlan(p.id, p.province, p.year, p.number, p.issued, unit) for p in self._by_unit.get(unit, ()))

    def _unit_quotes(self, unit: str) -> tuple[PlanQuotes, ...]:
        return tuple(PlanQuotes(p.id, p.province, p.year, p.number, p.tasks, p.themes, p.commitments)
                     for p in self._by_unit.get(unit, ()))

    def units(self) -> list[str]:
        """The units the reviewed plans were signed in, sorted."""
        return sorted(self._by_unit)

    def unit_index(self, unit: str) -> dict[str, UnitPlan]:
        """A unit's UnitPlans by plan id."""
        key = ("unit_index", unit)
        if key not in self._memo:
            self._memo[key] = {p.id: p for p in self.value(("unit_heads", unit))}
        return self._memo[key]

    def unit_of_plan(self, plan_id: str) -> str:
        """The unit a reviewed plan was signed in."""
        if self._unit_of is None:
            self._unit_of = {p.id: unit_of(p) for p in self.plans}
        return self._unit_of[plan_id]

    def _matrix_counts(self) -> tuple[tuple[str, str, tuple[tuple[tuple[str, str], int], ...]], ...]:
        return tuple(self._counts_of(unit) for unit in sorted(self._by_unit))

    def _counts_of(self, unit: str) -> tuple[str, str, tuple[tuple[tuple[str, str], int], ...]]:
        """A unit's row of ("matrix_counts",): its plans naming each agency, theme and commitment kind."""
        count: Counter = Counter()
        for p in self._by_unit[unit]:
            for kind, keys in (("agency", {tk.agency for tk in p.tasks}), ("theme", {r.theme for r in p.themes}),
                               ("commitment", {c.kind for c in p.commitments})):
                for key in keys:
                    count[(kind, key)] += 1
        return unit, self._by_unit[unit][0].province, tuple(sorted(count.items()))


# The facts of the last sites asked for: a build's lean site (reads.lean_site), which its kits and its
# digests share, and its full site (the kits of the jobs that show plans' texts: they read no fact).
_LAST: list[tuple[object, Facts]] = []


def facts_of(site) -> Facts:
    """The Facts of a site, made once."""
    for seen, facts in _LAST:
        if seen is site:
            return facts
    _LAST[:] = [*_LAST[-1:], (site, Facts(site))]
    return _LAST[-1][1]


def unnamed_units(site) -> frozenset:
    """The reads of the units provinces.yaml does not name, which a page naming every unit reads
    (provinces.unit_short names them after their plans): none in a corpus with that table."""
    table = site.corpus.lookups.provinces
    return frozenset({("unit", unit_of(p)) for p in site.corpus.plans if unit_of(p) not in table})


# The facts made of the plans alone (the others also read the subjects and categories: TABLES).
_OF_PLANS = {"plan_lines", "matrix_columns", "matrix_counts", "unit_heads", "unit_quotes"}


def covers(declared: frozenset, read: Read) -> bool:
    """Whether a declaration covers a fact read: itself, or what the fact is made of."""
    if read in declared or TABLES <= declared:
        return True
    if read[0] in ("unit_heads", "unit_quotes") and ("unit", read[1]) in declared:
        return True
    return read[0] in _OF_PLANS and ("plans",) in declared


def digest(digests, read: Read) -> str:
    """The digest of a fact read, for digests.Digests (of the lean site's facts: those the kits read)."""
    return facts_of(digests.lean.site).digest(read, digests.lean)


class FactsView:
    """The facts as a page job sees them: every read recorded (Kit.facts)."""

    def __init__(self, facts: Facts, record):
        self._facts, self._record = facts, record

    def _get(self, *read):
        self._record(read)
        return self._facts.value(read)

    @property
    def plan_lines(self) -> tuple[PlanLine, ...]:
        """("plan_lines",)."""
        return self._get("plan_lines")

    def category_summary(self, cat: str) -> tuple[tuple[GroupShape, tuple[UnitSummary, ...]], ...]:
        """("category_summary", cat)."""
        return self._get("category_summary", cat)

    @property
    def matrix_columns(self) -> tuple[MatrixColumn, ...]:
        """("matrix_columns",)."""
        return self._get("matrix_columns")

    @property
    def headlines(self) -> tuple:
        """("headlines",)."""
        return self._get("headlines")

    @property
    def matrix_counts(self) -> tuple:
        """("matrix_counts",)."""
        return self._get("matrix_counts")

    def unit_plans(self, unit: str) -> tuple[UnitPlan, ...]:
        """("unit_heads", unit): the plans signed in a unit, in the corpus' order."""
        return self._get("unit_heads", unit)

    def unit_quotes(self, unit: str) -> tuple[PlanQuotes, ...]:
        """("unit_quotes", unit): what the plans signed in a unit say of agencies, themes and commitments."""
        return self._get("unit_quotes", unit)

    def every_plans_quotes(self) -> dict[str, PlanQuotes]:
        """Every reviewed plan's PlanQuotes by plan id, read unit by unit (("unit_quotes", unit) of each)."""
        out: dict[str, PlanQuotes] = {}
        for unit in self._facts.units():
            out.update((q.id, q) for q in self.unit_quotes(unit))
        return out

    def unit_plan(self, plan_id: str) -> UnitPlan:
        """A reviewed plan as ("unit_heads", its unit) holds it."""
        unit = self._facts.unit_of_plan(plan_id)
        self._record(("unit_heads", unit))
        return self._facts.unit_index(unit)[plan_id]


for _kind in ("plan_lines", "category_summary", "matrix_columns", "headlines", "matrix_counts", "unit_heads",
              "unit_quotes"):
    FACT_KINDS[_kind] = (digest, covers)
