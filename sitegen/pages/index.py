"""The gathered data a site is made of (SiteData) and its lookups (Index), built once per site and
shared by both languages' kits."""
from __future__ import annotations

import copy
from collections import Counter, defaultdict
from dataclasses import dataclass

from .. import lineage
from ..model import Citation, Corpus, Instrument, Plan, Target
from ..normalize import (Group, GroupShape, ProvinceSummary, Tables, category_groups, province_groups,
                         province_summaries, shapes_by_subject)
from ..options import SiteOptions
from .reads import PlanHead, comparability_by_unit, plan_head, plan_keys, unit_of, unit_pages, without_offsets


# ---------------------------------------------------------------- gathered data


@dataclass(frozen=True)
class SiteData:
    """Everything gathered and computed before any page is rendered, and the options of the build."""

    corpus: Corpus
    tables: Tables
    citations: tuple[Citation, ...]
    instruments: dict[str, Instrument]
    options: SiteOptions = SiteOptions()
    # The plans' texts when they are kept apart from the plans (sitegen.texts.apart: the plans' own
    # are then ""); None when each plan holds its own. Read through Kit.plan_text.
    texts: object = None


class Index:
    """Lookups over the gathered data, built once per site (both languages share them), so that no
    page scans every plan or citation (O(n) per page was O(n^2) per site)."""

    def __init__(self, site: SiteData):
        plans = site.corpus.plans
        self.site = site
        # Drafts (status: draft) have their own page and a list of their own; nothing else counts them.
        self.plans = {p.id: p for p in (*plans, *site.corpus.drafts)}
        self.twins = Counter((p.province, p.year) for p in plans)
        self.heads: dict[str, PlanHead] = {p.id: plan_head(p) for p in plans}  # reviewed plans only
        self.cell: dict[tuple[str, int], list[Plan]] = defaultdict(list)
        self.by_province: dict[str, list[Plan]] = defaultdict(list)
        for p in plans:
            self.cell[(p.province, p.year)].append(p)
            self.by_province[p.province].append(p)
        self.cell, self.by_province = dict(self.cell), dict(self.by_province)  # reading never adds a key
        # What only some pages look up (every target by id, the counts by category, the compare page's
        # keys and rows) is made when first asked (_made), so that an incremental build whose jobs are
        # all carried over but a few does not index every target of the corpus (the comparability rows
        # were half of this Index); shared with the twin (the same plans and tables).
        self._lazy: dict = {}
        self.cites_of_plan: dict[str, list[Citation]] = defaultdict(list)
        # An instrument's citations, without their offsets (what ("instrument", id) is made of).
        self.cites_of_inst: dict[str, list[Citation]] = defaultdict(list)
        for c in site.citations:
            self.cites_of_plan[c.plan_id].append(c)
            if c.legal_id:
                self.cites_of_inst[c.legal_id].append(without_offsets(c))
        self._groups: dict[str, list[tuple[Group, list[Target]]]] = {}
        self._summaries: dict[str, dict[str, ProvinceSummary]] = {}
        self._shapes: dict[str, dict[tuple[str, str], GroupShape]] | None = None
        self._cites_in: dict[tuple[str, str], list[Citation]] | None = None
        # The provinces' lineage (corpus/provinces.yaml): plans by the unit they were signed in, and
        # the units with a page (those, and the present-day units they are now part of).
        self.lineage = lineage.index(site.corpus.lookups.provinces)
        self.units = self.lineage.units
        self.by_unit: dict[str, list[Plan]] = defaultdict(list)
        self.unit_cell: dict[tuple[str, int], list[Plan]] = defaultdict(list)
        for p in plans:
            self.by_unit[unit_of(p)].append(p)
            self.unit_cell[(unit_of(p), p.year)].append(p)
        self.by_unit, self.unit_cell = dict(self.by_unit), dict(self.unit_cell)
        self.unit_pages = unit_pages(plans)

    def _made(self, name: str, make):
        """A lookup made when first asked, kept (for this Index and its twin)."""
        if name not in self._lazy:
            self._lazy[name] = make()
        return self._lazy[name]

    @property
    def cat_count(self) -> Counter:
        """How many targets each category has (top-level targets: parts ("trong đó ...") are counted only as parts)."""
        return self._made("cat_count", lambda: Counter(tg.category for p in self.site.corpus.plans
                                                       for tg in p.top_targets))

    @property
    def target(self) -> dict[tuple[str, str], Target]:
        """Every target of a reviewed plan by (plan id, target id)."""
        return self._made("target", lambda: {(p.id, tg.id): tg for p in self.site.corpus.plans for tg in p.targets})

    @property
    def plan_keys(self) -> tuple[tuple, ...]:
        """reads.plan_keys of the reviewed plans (the compare page's choices)."""
        return self._made("plan_keys", lambda: plan_keys(self.site.corpus.plans))

    @property
    def comparability(self) -> dict:
        """The comparability rows by unit: unit -> its rows (compare.py; reads.comparability_by_unit)."""
        return self._made("comparability", lambda: comparability_by_unit(self.site.corpus.plans,
                                                                         self.site.tables.comparability))

    def prepare(self) -> Index:
        """Make every lookup made when first asked (before worker processes are forked that would each
        make the same ones); returns self."""
        for name in ("cat_count", "target", "plan_keys", "comparability"):
            getattr(self, name)
        return self

    def twin(self, site: SiteData) -> Index:
        """The Index of a site with the very same plans (the same objects) and citations that differ
        from this site's only in their offsets (the full site beside its lean twin, when the plans'
        texts are kept apart: sitegen.texts): everything but the citations by plan is shared, not made
        twice (a second copy of every target, comparability row and heading in the heap that the
        page workers are forked from)."""
        twin = copy.copy(self)  # its lookups made when first asked shared too (_lazy: the same plans and tables)
        twin.site = site
        twin.cites_of_plan = defaultdict(list)
        for c in site.citations:
            twin.cites_of_plan[c.plan_id].append(c)
        twin._cites_in = None  # made of the citations, offsets included
        return twin

    def unit_key(self, key: str) -> str:
        """A unit id, given a unit id or a plan's province name (the unit of its latest plan)."""
        if key in self.by_unit or key in self.units:
            return key
        named = [p for p in self.plans.values() if p.province == key]
        return unit_of(max(named, key=lambda p: (p.year, p.issued or "", p.id))) if named else key

    def group_targets(self, g: Group) -> list[Target]:
        """A group's targets in its rows' order (year, province, plan, target)."""
        return [self.target[(r.plan_id, r.target_id)] for r in g.rows]

    def groups_with_targets(self, cat: str) -> list[tuple[Group, list[Target]]]:
        """A category's comparability groups with their targets, computed once (the overview and
        every province page need them)."""
        if cat not in self._groups:
            self._groups[cat] = [(g, self.group_targets(g)) for g in category_groups(self.site.tables.targets, cat)]
        return self._groups[cat]

    def summaries(self, g: Group, targets: list[Target]) -> dict[str, ProvinceSummary]:
        """Each province's summary of a group (normalize.province_summaries), by the unit its plans
        were signed in, computed once."""
        if g.key not in self._summaries:
            self._summaries[g.key] = province_summaries(targets, self.plans, unit_of)
        return self._summaries[g.key]

    def unit_groups(self, cat: str, unit: str) -> list[tuple[GroupShape, list[Target]]]:
        """normalize.province_groups of the plans signed in a provincial unit: its part of each group
        of a category (what groups_with_targets and summaries give for the unit)."""
        if self._shapes is None:
            self._shapes = shapes_by_subject(self.site.tables.targets)
        return province_groups(self._shapes.get(cat, {}), self.by_unit.get(unit, ()), cat)

    def unit_cites_of_inst(self, inst_id: str, unit: str) -> list[Citation]:
        """The citations of an instrument found in the plans signed in a provincial unit, in
        cites_of_inst's order."""
        if self._cites_in is None:
            self._cites_in = defaultdict(list)
            for c in self.site.citations:
                p = self.plans.get(c.plan_id)
                if c.legal_id and p is not None:
                    self._cites_in[(c.legal_id, unit_of(p))].append(c)
            self._cites_in = dict(self._cites_in)
        return self._cites_in.get((inst_id, unit), [])


# ---------------------------------------------------------------- shared parts
