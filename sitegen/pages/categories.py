"""The category pages: the list of categories, each category's targets by comparability group with
a chart per comparable group; on a split site, an overview per category (a row and a latest value
per province) and a page per province and category."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import urls
from ..charts import Chart, comparison_chart, latest_chart
from ..i18n import fmt_number
from ..model import Target
from ..normalize import Group, GroupShape
from .comparisons import point, subjects_label, subjects_note
from .facts import UnitSummary
from .reads import ALL_PLANS, lookups, unit_of, unit_reads
from .kit import ChartView, Kit, Link, LinkListContext, Page, PageJob, TargetRow


@dataclass(frozen=True)
class GroupView:
    """One comparability group of a category."""

    anchor: str
    heading: str
    chart: ChartView | None
    rows: tuple[TargetRow, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class CategoryContext:
    """One category page (template category.html)."""

    template: ClassVar[str] = "category.html"
    label: str
    definition: str
    comparable_when: str
    groups: tuple[GroupView, ...]
    summary_note: str
    n_targets: str


@dataclass(frozen=True)
class CategoryProvinceContext(CategoryContext):
    """A category page restricted to the plans of one province (template category_province.html)."""

    template: ClassVar[str] = "category_province.html"
    scope_note: str
    overview: Link


@dataclass(frozen=True)
class ProvinceSummaryRow:
    """One province's targets in a comparability group, summed up on a category overview."""

    province: Link  # the group on the province's own category page
    n_targets: str
    lowest: str
    highest: str
    latest: str  # the value its latest plan states
    latest_plan: Link  # the latest plan, linked to the quote in its text
    press: bool


@dataclass(frozen=True)
class OverviewGroupView:
    """One comparability group on a category overview: a chart and a row per province."""

    anchor: str
    heading: str
    chart: ChartView | None
    rows: tuple[ProvinceSummaryRow, ...]
    notes: tuple[str, ...]
    caption: str


@dataclass(frozen=True)
class CategoryOverviewContext:
    """A category page when there are too many plans to list: a summary per province and group
    (template category_overview.html)."""

    template: ClassVar[str] = "category_overview.html"
    label: str
    definition: str
    comparable_when: str
    intro: tuple[str, ...]
    groups: tuple[OverviewGroupView, ...]
    summary_note: str
    n_targets: str


# ---------------------------------------------------------------- charts of groups (the home page draws some)


# A chart's source line names each document up to this many (chart_source).
SOURCE_NAMES_MAX = 12


def chart_source(k: Kit, chart_id: str, plan_ids, plans=None) -> str:
    """k.source_line while a chart draws a few plans; beyond SOURCE_NAMES_MAX, their count and the
    chart's CSV, which gives each bar's plan (a province's chart at 10,000 plans named 150
    documents, copied into its image, its cite text and BibTeX: a fifth of its page). plans: where
    to find them (source_line's)."""
    ids = dict.fromkeys(plan_ids)
    if len(ids) <= SOURCE_NAMES_MAX:
        return k.source_line(ids, plans)
    return k.t("chart_source_count", n=fmt_number(len(ids), k.lang),
               url=k.absolute(urls.chart_csv_path(chart_id, k.lang)))


def group_chart(k: Kit, g: Group | GroupShape, chart_id: str = "", title: str = "",
                targets: list[Target] | None = None, plans=None) -> Chart:
    """The comparison chart of a group (or of some of its targets): one bar per top-level target.
    plans: where to find their plans (by default k.plans; the headings will do: k.ix.heads)."""
    plans = k.plans if plans is None else plans
    rows = []
    for tg in k.ix.group_targets(g) if targets is None else targets:
        if tg.parent:
            continue
        p = plans[tg.plan_id]
        rows.append({"plan_id": p.id, "label": k.plan_label(p), "value": float(tg.value),
                     "value_max": None if tg.value_max is None else float(tg.value_max),
                     "comparator": tg.comparator, "unit": tg.unit, **point(tg, p, g)})
    title = title or k.t("chart_group_title", category=k.label(k.lk.categories, g.category),
                         subject=subjects_label(k, g), unit=k.unit_label(g.unit))
    return comparison_chart(chart_id or g.key, title, rows, k.unit_label(g.unit), k.lang,
                            chart_source(k, chart_id or g.key, [r["plan_id"] for r in rows], plans), subjects_note(k, g))


def latest_bar(k: Kit, s: UnitSummary, g: GroupShape) -> dict | None:
    """A province's bar on a group's overview chart: its latest value (None without a top-level target),
    with the fields of every chart point (comparisons.point)."""
    if not s.drawn:
        return None
    p, tg = s.latest_plan, s.latest
    return {"province": s.province, "plan_id": p.id, "plan_label": k.plan_label(p),
            "year": p.year, "issued": p.issued or "", "value": float(tg.value),
            "value_max": None if tg.value_max is None else float(tg.value_max),
            "comparator": tg.comparator, "unit": tg.unit, **point(tg, p, g)}


def latest_bars(k: Kit, g: GroupShape, summaries) -> list[dict]:
    """The bars of a group's category overview chart: each unit's latest value, by unit."""
    bars = (latest_bar(k, s, g) for s in summaries)
    return [bar for bar in bars if bar is not None]


def group_heading(k: Kit, g: Group) -> str:
    """'Đối tượng: … · đơn vị: …' (a subject and a broader one: both, 'A so với B'). A count whose
    unit is the subject itself ('đơn vị', or 'địa phương' of localities) reads 'đơn vị: số lượng',
    not 'đơn vị: đơn vị'."""
    subject, unit = subjects_label(k, g), k.unit_label(g.unit)
    entry = k.lk.units.get(g.unit)
    if unit == subject or (entry is not None and entry.vi == "đơn vị"):  # the Vietnamese word for "unit"
        unit = k.t("group_unit_count")
    return k.t("group_heading_fmt", subject=subject, unit=unit)


# ---------------------------------------------------------------- pages


def category_list(k: Kit) -> Page:
    """The list of categories with their number of targets."""
    path = urls.CATEGORY_LIST
    items = tuple(Link(k.label(k.lk.categories, c), k.url(path, urls.category_path(c)),
                       k.count_targets(k.ix.cat_count[c])) for c in k.lk.categories)
    return k.page(path, k.base(path, k.t("nav_categories"), k.t("categories_description"), "categories",
                               crumbs=k.home_crumbs()),
                  LinkListContext(k.t("categories_description"), items))


def _crumbs(k: Kit) -> tuple[tuple[str, str], ...]:
    """Home › categories, the breadcrumbs every category page starts with."""
    return (*k.home_crumbs(), (k.t("nav_categories"), urls.CATEGORY_LIST))


def _group_notes(k: Kit, targets: list[Target], children_note: str) -> list[str]:
    """What a reader must know about a group's targets before comparing them."""
    return _notes(k, any(k.plans[tg.plan_id].source_kind == "press" for tg in targets),
                  any(tg.value_max is not None for tg in targets), any(tg.comparator != "=" for tg in targets),
                  any(tg.parent for tg in targets), children_note,
                  len({tg.deadline for tg in targets if tg.deadline is not None}) > 1
                  or any(tg.deadline is None for tg in targets))


def _summary_notes(k: Kit, summaries: tuple[UnitSummary, ...], children_note: str) -> list[str]:
    """_group_notes of a group's targets, from each unit's summary of them."""
    return _notes(k, any(s.press for s in summaries), any(s.ranged for s in summaries),
                  any(s.bound for s in summaries), any(s.parts for s in summaries), children_note,
                  len({d for s in summaries for d in s.deadlines}) > 1 or any(s.undated for s in summaries))


def _notes(k: Kit, press: bool, ranged: bool, bound: bool, parts: bool, children_note: str, dates: bool) -> list[str]:
    """The notes under a group: some targets from press reports, ranges, bounds, parts of targets, and
    deadlines that differ or are unknown."""
    flags = ((press, k.t("note_press")), (ranged, k.t("note_range")), (bound, k.t("note_bound")),
             (parts, children_note), (dates, k.t("note_deadlines")))
    return [note for flag, note in flags if flag]


# Pages below work on each group's Target objects rather than its rows: the province pages make
# some 25 groups x 63 provinces small selections.

def _category_views(k: Kit, path: str, groups, chart_of) -> tuple[list[GroupView], list[Chart]]:
    """The group sections of a page listing every target, and the charts drawn; chart_of(g, targets)
    draws a comparable group."""
    views, charts = [], []
    for g, targets in groups:
        comparable = len({tg.plan_id for tg in targets if not tg.parent}) >= 2
        chart = None
        if comparable:
            charts.append(drawn := chart_of(g, targets))
            chart = k.chart_view(path, drawn)
        rows = tuple(k.target_row(path, tg) for tg in targets)
        notes = []
        if not comparable:
            notes.append(k.t("note_single_plan"))
        notes += _group_notes(k, targets, k.t("note_children"))
        views.append(GroupView(urls.group_anchor(g.key), group_heading(k, g), chart, rows, tuple(notes)))
    views.sort(key=lambda gv: gv.chart is None)  # comparisons first, single-plan groups after
    return views, charts


def _definition(k: Kit, cat: str) -> tuple[str, str]:
    """A category's definition and what makes two of its targets comparable, in the page's language."""
    c = k.lk.categories[cat]
    if k.lang == "vi":
        return c.definition_vi, c.comparable_when
    return c.definition_en, c.comparable_when_en


def category(k: Kit, cat: str) -> Page:
    """A category page: every target, by group; on a split site, an overview by province."""
    if k.split:
        return category_overview(k, cat)
    path = urls.category_path(cat)
    groups, charts = _category_views(k, path, k.ix.groups_with_targets(cat),
                                     lambda g, targets: group_chart(k, g, targets=targets))
    n = sum(len(g.rows) for g in groups)
    count = k.count_text([tg for _, targets in k.ix.groups_with_targets(cat) for tg in targets])
    summary = "" if charts else (k.t("nothing_comparable") if n else k.t("no_targets_in_category"))
    definition, comparable_when = _definition(k, cat)
    label = k.label(k.lk.categories, cat)
    return k.page(path, k.base(path, label, definition, "categories", scripts=urls.CHART_SCRIPTS if charts else (),
                               crumbs=_crumbs(k)),
                  CategoryContext(label, definition, comparable_when, tuple(groups), summary, count), charts)


def _summary_row(k: Kit, path: str, g: GroupShape, s: UnitSummary) -> ProvinceSummaryRow:
    """A province's row of a group on the overview."""
    return ProvinceSummaryRow(
        Link(s.province, k.url(path, f"{urls.category_province_path(g.category, s.key)}"
                                     f"#{urls.group_anchor(g.key)}")),
        fmt_number(s.n_top, k.lang), k.target_value(s.lowest), k.target_value(s.highest),
        k.target_value(s.latest), Link(k.plan_label(s.latest_plan), k.quote_url(path, s.latest)),
        s.latest_plan.source_kind == "press")


def category_overview(k: Kit, cat: str) -> Page:
    """A split category page: per group, a chart of each province's latest value and a row per province
    (made of each unit's summary of each group: facts.UnitSummary; its plans by their headings)."""
    path = urls.category_path(cat)
    label = k.label(k.lk.categories, cat)
    views, charts = [], []
    n = tops = 0
    for g, summaries in k.facts.category_summary(cat):
        n += sum(s.n_targets for s in summaries)
        tops += sum(s.n_top for s in summaries)
        rows = [_summary_row(k, path, g, s) for s in summaries]
        drawn = latest_bars(k, g, summaries)
        chart = None
        if len(drawn) >= 2:
            title = k.t("chart_latest_title", category=label, subject=subjects_label(k, g),
                        unit=k.unit_label(g.unit))
            charts.append(made := latest_chart(f"{g.key}--theo-tinh", title, drawn, k.unit_label(g.unit), k.lang,
                                               k.source_line([r["plan_id"] for r in drawn], k.ix.heads),
                                               subjects_note(k, g)))
            chart = k.chart_view(path, made)
        notes = [] if chart else [k.t("note_single_province")]
        notes += _summary_notes(k, summaries, k.t("note_children_overview"))
        heading = group_heading(k, g)
        views.append(OverviewGroupView(urls.group_anchor(g.key), heading, chart, tuple(rows), tuple(notes),
                                       k.t("overview_table_caption", heading=heading)))
    views.sort(key=lambda gv: gv.chart is None)  # comparisons first, as on an unsplit page
    summary = "" if charts else (k.t("nothing_comparable_overview") if n else k.t("no_targets_in_category"))
    intro = (k.t("category_overview_intro", n=fmt_number(k.plan_count, k.lang)),
             k.t("category_overview_latest")) if n else ()
    definition, comparable_when = _definition(k, cat)
    return k.page(path, k.base(path, label, definition, "categories", scripts=urls.CHART_SCRIPTS if charts else (),
                               crumbs=_crumbs(k)),
                  CategoryOverviewContext(label, definition, comparable_when, intro, tuple(views), summary,
                                          k.counts_text(tops, n - tops)),
                  charts)


def category_provinces(k: Kit, cat: str, unit: str) -> list[Page]:
    """On a split site: the category page of a province (unit id) with targets in it (made of the
    plans signed in it and the shapes of the category's groups, so that a change to another
    province's plans leaves it alone)."""
    if not k.split:
        return []
    return [category_province(k, cat, unit, k.ix.unit_groups(cat, unit))]


def category_province(k: Kit, cat: str, unit: str, groups: list[tuple[GroupShape, list[Target]]]) -> Page:
    """A category page restricted to the plans of one province (unit id): every target, as an unsplit
    page lists them."""
    path = urls.category_province_path(cat, unit)
    label = k.label(k.lk.categories, cat)
    province = k.plans[groups[0][1][0].plan_id].province
    slug = unit

    def chart_of(g: GroupShape, targets: list[Target]) -> Chart:
        title = k.t("chart_province_title", category=label, subject=subjects_label(k, g),
                    unit=k.unit_label(g.unit), province=province)
        return group_chart(k, g, f"{g.key}--{slug}", title, targets)
    views, charts = _category_views(k, path, groups, chart_of)
    count = k.count_text([tg for _, targets in groups for tg in targets])
    summary = "" if charts else k.t("nothing_comparable")
    title = k.t("category_province_title", category=label, province=province)
    definition, comparable_when = _definition(k, cat)
    return k.page(path, k.base(path, title, k.t("category_province_description", category=label, province=province),
                               "categories", scripts=urls.CHART_SCRIPTS if charts else (),
                               crumbs=(*_crumbs(k), (label, urls.category_path(cat)))),
                  CategoryProvinceContext(title, definition, comparable_when, tuple(views), summary,
                                          count, k.t("category_province_note", province=province),
                                          Link(k.t("category_overview_link"), k.url(path, urls.category_path(cat)))),
                  charts)


def jobs(site) -> list[PageJob]:
    """The category pages, as jobs: on a split site, a job per category and province (unit) with
    targets in it, which reads the plans signed in that unit and the shapes of the category's groups."""
    cats = list(site.corpus.lookups.categories)
    reads = ALL_PLANS | lookups("categories", "subjects", "units")
    units: dict[str, set[str]] = {}
    reads_of = unit_reads(site.corpus.plans)
    split = site.options.split(len(site.corpus.plans))
    # An overview reads each unit's summary of the category's groups and the plans' headings: a change
    # that leaves every summary as it was (a target's note) leaves it alone.
    overview = {c: frozenset({("category_summary", c), ("plan_heads",)}) | lookups("categories", "subjects", "units")
                for c in cats}
    if split:
        for p in site.corpus.plans:
            for tg in p.targets:
                units.setdefault(tg.category, set()).add(unit_of(p))
    # The list counts each category's targets: a fact that an edit of a target's value or note leaves alone.
    return [PageJob(category_list, reads=frozenset({("cat_count",)}) | lookups("categories")),
            *(PageJob(category, (c,), True, overview[c] if split else reads) for c in cats),
            *(PageJob(category_provinces, (c, u), True,
                      (reads_of[u] | {("groups", c)}) | lookups("categories", "subjects", "units"))
              for c in cats for u in sorted(units.get(c, ())))]
