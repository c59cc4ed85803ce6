"""The matrices: agencies, themes and commitments (rows) × plans (columns), each cell quoting what
the plan says; on a split site, a column per province and one matrices page per province."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import urls
from ..i18n import fmt_count, fmt_number
from .reads import lookups, unit_of, unit_reads
from .kit import Kit, Link, Page, PageJob, QuoteItem


@dataclass(frozen=True)
class MatrixView:
    """A rows × columns matrix: each cell lists what the column's plan(s) say. A row's head is a
    Link whose note is the row's anchor."""

    anchor: str
    title: str
    columns: tuple[Link, ...]
    rows: tuple[tuple[Link, tuple[tuple[QuoteItem, ...], ...]], ...]
    csv_url: str


@dataclass(frozen=True)
class MatricesContext:
    """Agencies × plans, themes × plans, commitments × plans (template matrices.html)."""

    template: ClassVar[str] = "matrices.html"
    matrices: tuple[MatrixView, ...]


def _views(k: Kit, path: str, agencies, cols: tuple[Link, ...], cell) -> tuple[MatrixView, ...]:
    """Agencies (those named: a set of ids), themes and commitments (rows) × columns; cell(kind, key,
    column) gives a cell's items."""
    def head(matrix: str, table: dict, key: str) -> Link:
        anchor = urls.matrix_row_anchor(matrix, key)
        return Link(k.label(table, key), f"#{anchor}", anchor)

    def rows(matrix: str, kind: str, table: dict, keys) -> tuple:
        return tuple((head(matrix, table, key), tuple(cell(kind, key, col) for col in range(len(cols))))
                     for key in keys)
    agencies = sorted(agencies, key=lambda a: k.label(k.lk.agencies, a))
    return (
        MatrixView("agencies", k.t("matrix_agencies"), cols, rows("agencies", "agency", k.lk.agencies, agencies),
                   k.file_url(path, urls.table_csv_path("agencies"))),
        MatrixView("themes", k.t("matrix_themes"), cols, rows("themes", "theme", k.lk.themes, k.lk.themes),
                   k.file_url(path, urls.table_csv_path("themes"))),
        MatrixView("commitments", k.t("matrix_commitments"), cols,
                   rows("commitments", "commitment", k.lk.commitment_kinds, k.lk.commitment_kinds),
                   k.file_url(path, urls.table_csv_path("commitments"))),
    )


def _agencies(plans) -> set[str]:
    """The agencies some plans task."""
    return {tk.agency for p in plans for tk in p.tasks}


def _plan_cells(k: Kit, path: str, plans):
    """cell(kind, key, column) of a matrix with a column per plan: the plan's quotes."""
    def cell(kind: str, key: str, col: int) -> tuple[QuoteItem, ...]:
        p = plans[col]
        url = k.url(path, urls.plan_path(p.id))
        if kind == "agency":
            return tuple(QuoteItem(k.t("role_" + tk.role.replace(" ", "_")), tk.quote, url, tk.as_written)
                         for tk in p.tasks if tk.agency == key)
        if kind == "theme":
            return tuple(QuoteItem("✓", r.quote, url) for r in p.themes if r.theme == key)
        return tuple(QuoteItem("✓", c.quote, url) for c in p.commitments if c.kind == key)
    return cell


def matrices(k: Kit) -> Page:
    """The matrices page: a column per plan, or on a split site per province."""
    path = urls.MATRICES
    if not k.split:
        # Every plan, in the corpus' order (their headings'), as its unit's quotes hold it (facts.py).
        quotes = k.facts.every_plans_quotes()
        plans = [quotes[pid] for pid in k.ix.heads]
        cols = tuple(Link(k.plan_label(p), k.url(path, urls.plan_path(p.id))) for p in plans)
        mats = _views(k, path, _agencies(plans), cols, _plan_cells(k, path, plans))
    else:
        # One column per province (the unit its plans were signed in, linking to its own matrices
        # page), each cell counting its plans (facts: ("matrix_counts",)).
        units = k.facts.matrix_counts
        cols = tuple(Link(province, k.url(path, urls.matrices_path(u))) for u, province, _ in units)
        count = [dict(counts) for _, _, counts in units]

        def cell(kind: str, key: str, col: int) -> tuple[QuoteItem, ...]:
            n = count[col].get((kind, key), 0)
            return (QuoteItem("✓", fmt_count(k.lang, "n_plans", n), cols[col].url),) if n else ()
        mats = _views(k, path, {key for c in count for kind, key in c if kind == "agency"}, cols, cell)
    return k.page(path, k.base(path, k.t("nav_matrices"), k.t("matrices_description"), "matrices",
                               crumbs=k.home_crumbs()), MatricesContext(mats))


def province_matrices(k: Kit, unit: str) -> list[Page]:
    """On a split site: a province's (unit id) matrices page, a column per plan signed in it."""
    if not k.split:
        return []
    path = urls.matrices_path(unit)
    plans = k.facts.unit_quotes(unit)  # what its plans say of agencies, themes and commitments (facts.py)
    pr = plans[0].province
    cols = tuple(Link(k.plan_label(p), k.url(path, urls.plan_path(p.id))) for p in plans)
    mats = _views(k, path, _agencies(plans), cols, _plan_cells(k, path, plans))
    base = k.base(path, f"{k.t('nav_matrices')} — {pr}", k.t("matrices_description"), "matrices",
                  crumbs=(*k.home_crumbs(), (k.t("nav_matrices"), urls.MATRICES)))
    return [k.page(path, base, MatricesContext(mats))]


def jobs(site) -> list[PageJob]:
    """The matrices pages, as jobs: on a split site, one per province (unit), which reads the plans
    signed in it."""
    tables = lookups("agencies", "themes", "commitment_kinds")
    plans = site.corpus.plans
    if not site.options.split(len(plans)):
        # A column per plan, in the corpus' order, labelled as its heading reads: what each plan says of
        # agencies, themes and commitments (facts: ("unit_quotes", unit) of each unit), not its targets.
        quotes = frozenset({("unit_quotes", unit_of(p)) for p in plans})
        return [PageJob(matrices, reads=quotes | {("plan_heads",)} | tables)]
    # The page counts each unit's plans naming each row (facts: ("matrix_counts",)). A unit's page
    # reads what its plans say of them (("unit_quotes", unit): kept digested in the build database, so
    # that an edit of a target's note leaves it alone) and, for their labels, their provinces' years.
    reads_of = {u: frozenset({("unit_quotes", u)} | {("years", r[1]) for r in reads if r[0] == "province"})
                for u, reads in unit_reads(plans).items()}
    return [PageJob(matrices, reads=frozenset({("matrix_counts",)}) | tables),
            *(PageJob(province_matrices, (u,), True, reads_of[u] | tables) for u in sorted(reads_of))]
