"""The compare page for researchers: every top-level target (with its parts under it) as one table to
filter and sort, with its subject as written, value, deadline, comparability and quote.

The table is complete in the HTML (it works without JavaScript); assets/compare.js filters and sorts it,
keeps the choice in the URL and offers a CSV of exactly the rows shown. On a split site (many plans) the
table is split into one page per category (compare/<category>.html), so that no page holds everything.
"""
from __future__ import annotations

from dataclasses import dataclass

import orjson

from typing import ClassVar

from .. import urls
from ..charts import text_kind
from ..i18n import fmt_number
from ..model import Plan, Target
from .kit import Kit, Link, Page, PageJob
from .provinces import unit_short
from .reads import ALL_PLANS, lookups

# The columns of the CSV the page offers (the rows shown, each target then its parts).
CSV_COLUMNS = ("plan_id", "province", "province_today", "year", "source_kind", "excerpt", "category", "target_id", "parent",
               "subject", "subject_text", "value", "value_max", "comparator", "unit", "deadline", "comparability",
               "comparison_group", "quote")
SORTS = ("group", "year", "province", "value_desc", "value_asc", "deadline")


@dataclass(frozen=True)
class CompareRow:
    """One row of the compare table: a top-level target, or a part of one (right under it)."""

    id: str  # plan_id/target_id
    parent: str  # the parent row's id, "" for a target
    province: str
    year: str
    plan: Link
    text_kind: str  # toàn văn, trích đoạn, bài báo
    press: bool
    category: str
    subject_text: str
    value: str
    deadline: str
    comparability: str  # the level, in words
    group: str  # the comparison group (its subjects and unit), "" when none
    quote: str
    quote_url: str
    # data-* attributes the script filters and sorts on, and the row's CSV cells as JSON
    filters: tuple[tuple[str, str], ...]
    csv: str


@dataclass(frozen=True)
class Choice:
    """One checkbox of a filter."""

    value: str
    label: str


@dataclass(frozen=True)
class CompareContext:
    """The compare page (or one category's compare page) (template compare.html)."""

    template: ClassVar[str] = "compare.html"
    intro: str
    rows: tuple[CompareRow, ...]
    filters: tuple[tuple[str, str, tuple[Choice, ...]], ...]  # (name, legend, choices)
    sorts: tuple[Choice, ...]
    count_template: str
    count: str
    csv_columns_json: str
    category_links: tuple[Link, ...] = ()  # the categories' compare pages (on a split site)
    n_targets: int = 0
    n_parts: int = 0


def _kind(p: Plan) -> str:
    return "press" if p.source_kind == "press" else "excerpt" if p.excerpt else "full"


def compare_rows(k: Kit, path: str, category: str | None = None) -> list[CompareRow]:
    """Every top-level target (of one category, or all), each followed by its parts, in the default order:
    category, comparison group, year, province, plan, target."""
    lk = k.lk
    levels = {(r.plan_id, r.target_id): (r.level, r.group, r.group_subjects, r.unit)
              for r in k.site.tables.comparability.itertuples(index=False)}
    cat_order = {c: i for i, c in enumerate(lk.categories)}
    tops: list[tuple[tuple, Plan, Target]] = []
    parts: dict[tuple[str, str], list[Target]] = {}
    for p in k.corpus.plans:
        for tg in p.targets:
            if category is not None and tg.category != category:
                continue
            if tg.parent is not None:
                parts.setdefault((p.id, tg.parent), []).append(tg)
                continue
            group = levels.get((p.id, tg.id), ("", "", "", ""))[1]
            tops.append(((cat_order.get(tg.category, len(cat_order)), group or "~" + tg.subject, p.year,
                          p.province, p.id, tg.id), p, tg))
    tops.sort(key=lambda x: x[0])
    rows = []
    for order, (_, p, tg) in enumerate(tops):
        rows.append(_row(k, path, p, tg, levels.get((p.id, tg.id)), order))
        rows += [_row(k, path, p, part, None, order) for part in parts.get((p.id, tg.id), [])]
    return rows


def _row(k: Kit, path: str, p: Plan, tg: Target, level, order: int) -> CompareRow:
    lk = k.lk
    if tg.parent is not None:
        level_id, group = "part", ""
    elif level is None:
        level_id, group = "alone", ""
    else:
        level_id = level[0]
        subjects = " ⊃ ".join(k.label(lk.subjects, s) for s in level[2].split())
        group = f"{subjects} ({k.unit_label(level[3])})"
    deadline = str(tg.deadline) if tg.deadline is not None else k.t("deadline_unknown")
    kind = _kind(p)
    csv = (p.id, p.province, "; ".join(unit_short(k, u) for u in p.province_today), p.year, p.source_kind, p.excerpt, tg.category, tg.id, tg.parent or "", tg.subject,
           tg.subject_text, tg.value, tg.value_max, tg.comparator, tg.unit, tg.deadline, level_id,
           level[1] if level else "", tg.quote)
    csv = tuple(int(v) if isinstance(v, float) and v == int(v) else v for v in csv)
    # The present-day provinces a plan's province now belongs to (space-separated unit ids: one, or
    # several where a unit was divided); the reader picks provinces at signing or as they are today.
    filters = (("id", f"{p.id}/{tg.id}"), ("province", p.province), ("today", " ".join(p.province_today)),
               ("category", tg.category),
               ("year", str(p.year)), ("kind", kind), ("value", repr(float(tg.value))),
               ("deadline", str(tg.deadline) if tg.deadline is not None else ""), ("order", str(order)))
    if tg.parent is not None:
        filters = (("parent", f"{p.id}/{tg.parent}"),)
    return CompareRow(
        id=f"{p.id}/{tg.id}", parent=f"{p.id}/{tg.parent}" if tg.parent else "", province=p.province,
        year=str(p.year), plan=Link(k.plan_label(p), k.url(path, urls.plan_path(p.id))),
        text_kind=text_kind(p.source_kind, p.excerpt, k.lang), press=p.source_kind == "press",
        category=k.label(lk.categories, tg.category) if tg.parent is None else "",
        subject_text=tg.subject_text, value=k.target_value(tg), deadline=deadline,
        comparability=k.t("level_" + level_id), group=group, quote=tg.quote, quote_url=k.quote_url(path, tg),
        filters=filters, csv=orjson.dumps(csv).decode())


def compare_context(k: Kit, path: str, category: str | None, intro: str, *, with_rows: bool = True,
                    category_links: tuple = ()) -> CompareContext:
    """The compare page's context: its rows (all targets, or one category's) and the filters' choices."""
    rows = compare_rows(k, path, category) if with_rows else []
    plans = k.corpus.plans
    cats = [category] if category else list(k.lk.categories)
    present = {dict(r.filters)["category"] for r in rows if not r.parent}
    filters = (
        ("province", k.t("compare_provinces"),
         tuple(Choice(pr, pr) for pr in sorted({p.province for p in plans}))),
        ("today", k.t("compare_today"),
         tuple(sorted((Choice(u, unit_short(k, u)) for u in {u for p in plans for u in p.province_today}),
                      key=lambda c: (c.label, c.value)))),
        ("category", k.t("compare_categories"),
         tuple(Choice(c, k.label(k.lk.categories, c)) for c in cats if c in present or not with_rows)),
        ("year", k.t("compare_years"), tuple(Choice(str(y), str(y)) for y in sorted({p.year for p in plans}))),
        ("kind", k.t("compare_kinds"), tuple(Choice(v, k.t("text_kind_" + v)) for v in ("full", "excerpt", "press"))),
    )
    n_targets = sum(not r.parent for r in rows)
    n_parts = len(rows) - n_targets
    template = k.t("compare_count", n="{n}", m="{m}")
    return CompareContext(
        intro=intro, rows=tuple(rows), filters=filters,
        sorts=tuple(Choice(s, k.t("compare_sort_" + s)) for s in SORTS), count_template=template,
        count=k.t("compare_count", n=fmt_number(n_targets, k.lang), m=fmt_number(n_parts, k.lang)),
        csv_columns_json=orjson.dumps(CSV_COLUMNS).decode().replace("<", "\\u003c"),
        category_links=category_links, n_targets=n_targets, n_parts=n_parts)


def compare(k: Kit) -> list[Page]:
    """The compare page; on a split site, a page of links plus one page per category."""
    crumbs = k.home_crumbs()
    path = urls.COMPARE
    if not k.split:
        return [k.page(path, k.base(path, k.t("nav_compare"), k.t("compare_description"), "compare",
                                    scripts=urls.COMPARE_SCRIPTS, crumbs=crumbs),
                       compare_context(k, path, None, k.t("compare_intro")))]
    links = tuple(Link(k.label(k.lk.categories, c), k.url(path, urls.compare_category_path(c)))
                  for c in k.lk.categories)
    pages = [k.page(path, k.base(path, k.t("nav_compare"), k.t("compare_description"), "compare", crumbs=crumbs),
                    compare_context(k, path, None, k.t("compare_intro_split"), with_rows=False,
                                    category_links=links))]
    for c in k.lk.categories:
        here = urls.compare_category_path(c)
        name = k.label(k.lk.categories, c)
        pages.append(k.page(here, k.base(here, k.t("compare_category_title", category=name),
                                         k.t("compare_description"), "compare", scripts=urls.COMPARE_SCRIPTS,
                                         crumbs=crumbs + ((k.t("nav_compare"), path),)),
                            compare_context(k, here, c, k.t("compare_intro"))))
    return pages


def jobs(site) -> list[PageJob]:
    """The compare page(s), as a job."""
    return [PageJob(compare, reads=ALL_PLANS | lookups("categories", "subjects", "units", "provinces"))]
