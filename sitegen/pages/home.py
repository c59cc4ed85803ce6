"""The home page: the province × year coverage grid, the headline charts and the ways in; on a
split site the grid counts and the charts draw each province's latest plan."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import urls
from ..charts import Chart, category_matrix_chart, latest_chart
from ..i18n import fmt_count, fmt_number
from ..model import NO_TARGETS, TARGETS, TARGETS_NOT_IN_TEXT, Instrument
from ..normalize import GroupShape
from .categories import group_chart, latest_bars
from .comparisons import subjects_label, subjects_note
from .facts import MatrixColumn, PlanLine, unnamed_units
from .kit import ChartView, Kit, Link, Page, PageJob
from .provinces import unit_absent, unit_short, unit_sort_key
from .reads import lookups
from ..wording import Run, runs


@dataclass(frozen=True)
class GridCell:
    """One province × year cell of the home grid."""

    status: str  # none, no_targets, not_in_text, targets; ended: a year the province did not exist in
    label: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class HomeContext:
    """The home page (template home.html)."""

    template: ClassVar[str] = "home.html"
    years: tuple[int, ...]
    grid: tuple[tuple[Link, tuple[GridCell, ...]], ...]
    charts: tuple[ChartView, ...]
    provinces: tuple[Link, ...]
    categories: tuple[Link, ...]
    instruments: tuple[Link, ...]
    stats: tuple[tuple[tuple[Run, ...], str], ...]  # label (Vietnamese words in it marked), count
    pages: tuple[Link, ...]
    # On a split site only: what the grid's count cells and the per-province charts mean.
    grid_note: str = ""
    charts_note: str = ""
    charts_links: tuple[Link, ...] = ()
    grid_has_ended: bool = False  # some cell is a year its province did not exist in
    grid_has_not_in_text: bool = False  # some cell's plans have their targets outside the text the site has


def home(k: Kit) -> Page:
    """The home page: coverage grid, headline charts, ways in (summarized on a split site). Made of
    derived facts (facts.py: the plans' lines, the charts' columns and groups), not of the plans."""
    path = urls.HOME
    plans = k.facts.plan_lines
    years = tuple(sorted({p.year for p in plans}))
    provinces = sorted({p.province for p in plans})
    grid = []
    has_ended = False
    unit_cell: dict[tuple[str, int], list[PlanLine]] = {}
    for p in plans:
        unit_cell.setdefault((p.unit, p.year), []).append(p)
    # One row per provincial unit a plan was signed in (corpus/provinces.yaml).
    for prov in sorted({p.unit for p in plans}, key=lambda u: unit_sort_key(k, u)):
        cells = []
        for y in years:
            here = unit_cell.get((prov, y), [])
            if not here:
                # A year the province did not exist in is not a year without a plan.
                gone = unit_absent(k, prov, y)
                has_ended = has_ended or bool(gone)
                cells.append(GridCell("ended", gone) if gone else GridCell("none", k.t("grid_none")))
                continue
            status = grid_status(here)
            if k.split and len(here) > 1:
                # The province page lists them (it has no anchor per year to land on).
                links = (Link(fmt_count(k.lang, "grid_n_plans", len(here)),
                              k.url(path, urls.province_path(prov))),)
            else:
                links = tuple(Link(k.t("grid_" + grid_status([p]), n=fmt_number(p.n_top, k.lang)) +
                                   (f" ({k.t('kind_press')})" if p.source_kind == "press" else ""),
                                   k.url(path, urls.plan_path(p.id))) for p in here)
            cells.append(GridCell(status, k.t("grid_" + status, n=""), links))
        grid.append((Link(unit_short(k, prov), k.url(path, urls.province_path(prov))), tuple(cells)))
    charts = [plan_counts_chart(k), *headline_charts(k)]
    split_notes = {}
    if k.split:
        split_notes = dict(
            grid_note=k.t("grid_note_split"),
            charts_note=k.t("home_charts_latest", n=fmt_number(len(plans), k.lang),
                            m=fmt_number(len(provinces), k.lang)),
            charts_links=(Link(k.t("home_all_plans"), k.url(path, urls.PLAN_LIST)),
                          Link(k.t("home_download"), k.url(path, urls.DATA_PAGE))))
    stats = tuple((runs(label, k.lang), value) for label, value in (
        (k.t("stat_plans"), fmt_number(len(plans), k.lang)),
        (k.t("stat_provinces"), fmt_number(len(provinces), k.lang)),
        (k.t("stat_targets"), fmt_number(sum(p.n_top for p in plans), k.lang)),
        (k.t("stat_parts"), fmt_number(sum(p.n_targets - p.n_top for p in plans), k.lang)),
        (k.t("stat_instruments"), fmt_number(len(k.site.instruments), k.lang)),
    ))
    cats = tuple(Link(k.label(k.lk.categories, c), k.url(path, urls.category_path(c)),
                      k.count_targets(k.ix.cat_count[c])) for c in k.lk.categories)
    insts = tuple(Link(k.instrument_label(i), k.url(path, urls.instrument_path(i.id))) for i in top_instruments(k))
    pages = tuple(Link(k.t("nav_" + key), k.url(path, p)) for key, p in urls.NAV[1:])
    ctx = HomeContext(years, tuple(grid), tuple(k.chart_view(path, c) for c in charts),
                      tuple(Link(p, k.url(path, urls.province_path(p))) for p in provinces), cats, insts,
                      stats, pages, **split_notes, grid_has_ended=has_ended,
                      grid_has_not_in_text=any(c.status == "not_in_text" for _, row in grid for c in row))
    return k.page(path, k.base(path, k.t("home_title"), k.t("home_description"), "home", scripts=urls.CHART_SCRIPTS),
                  ctx, charts)


def grid_status(plans: list[PlanLine]) -> str:
    """A grid cell's state: targets when a plan states some; no_targets when a full text states none;
    not_in_text when each plan is an excerpt or press report that states none (never "no target")."""
    states = {p.targets_state for p in plans}
    return "targets" if TARGETS in states else "no_targets" if NO_TARGETS in states else "not_in_text"


def plan_counts_chart(k: Kit) -> Chart:
    """In which categories each plan sets targets (top-level only); on a split site, each province's
    latest plan."""
    if k.split:
        return matrix_chart(k, k.facts.matrix_columns, "nhom-chi-tieu-theo-tinh", k.t("chart_matrix_latest_title"),
                            by_province=True)
    return matrix_chart(k, k.facts.matrix_columns, "nhom-chi-tieu-theo-ke-hoach", k.t("chart_matrix_title"))


def matrix_chart(k: Kit, columns_of: tuple[MatrixColumn, ...], chart_id: str, title: str, *,
                 by_province: bool = False) -> Chart:
    """The categories chart: a column per plan (or per province's latest plan), with the kind of text the
    site has of it; a dot where it sets targets in a category, with the number of its top-level targets."""
    plans = [col.line for col in columns_of]
    cells_of = [dict(col.cells) for col in columns_of]
    columns = [{"label": p.province if by_province else k.plan_label(p), "plan_id": p.id,
                "plan_label": k.plan_label(p), "source_kind": p.source_kind, "excerpt": p.excerpt,
                "not_in_text": p.targets_state == TARGETS_NOT_IN_TEXT} for p in plans]
    categories = []
    for c in (c for c in k.lk.categories if any(c in n for n in cells_of)):
        cells = [{"targets": n[c].targets, "parts": n[c].parts, "subjects": list(n[c].subjects),
                  "deadlines": list(n[c].deadlines)} if c in n else None for n in cells_of]
        categories.append((k.label(k.lk.categories, c), cells))
    source = (k.source_summary(chart_id, [p.id for p in plans], k.ix.heads) if by_province
              else k.source_line([p.id for p in plans], k.ix.heads))
    return category_matrix_chart(chart_id, title, columns, categories, k.lang, source, k.t("chart_matrix_note"))


def headline_charts(k: Kit) -> list[Chart]:
    """The home page's comparisons: the first three groups whose top-level targets come from two
    plans (on a split site, each province's latest value of the first three groups that two
    provinces state): facts.Facts._headlines."""
    if not k.split:
        return [group_chart(k, g, targets=targets, plans=k.ix.heads) for g, targets in k.facts.headlines]
    return [headline_latest_chart(k, g, latest_bars(k, g, drawn)) for g, drawn in k.facts.headlines]


def headline_latest_chart(k: Kit, g: GroupShape, bars: list[dict]) -> Chart:
    """A group's category overview chart for the home page: the same bars, title and table, with
    a source line that counts the plans drawn instead of naming each (their own id: the source differs)."""
    chart_id = f"trang-chu--{g.key}"
    title = k.t("chart_latest_title", category=k.label(k.lk.categories, g.category),
                subject=subjects_label(k, g), unit=k.unit_label(g.unit))
    return latest_chart(chart_id, title, bars, k.unit_label(g.unit), k.lang,
                        k.source_summary(chart_id, [b["plan_id"] for b in bars], k.ix.heads), subjects_note(k, g))


def top_instruments(k: Kit) -> list[Instrument]:
    """The six instruments cited by the most plans."""
    counts: dict[str, set] = {}
    for c in k.site.citations:
        if c.legal_id:
            counts.setdefault(c.legal_id, set()).add(c.plan_id)
    ranked = sorted(counts, key=lambda i: (-len(counts[i]), i))
    return [k.site.instruments[i] for i in ranked[:6] if i in k.site.instruments]


def jobs(site) -> list[PageJob]:
    """The home page, as a job."""
    # The coverage grid has a row per provincial unit, and says which years a unit did not exist in.
    return [PageJob(home, reads=frozenset({("plan_lines",), ("plan_heads",), ("matrix_columns",), ("headlines",),
                                           ("cat_count",), ("instruments",), ("citations",)})
                    | lookups("categories", "subjects", "units", "provinces") | unnamed_units(site))]
