"""The compare page for researchers: every top-level target (with its parts under it) as one table to
filter and sort, with its subject as written, value, deadline, comparability and quote.

The table is complete in the HTML (it works without JavaScript); assets/compare.js filters and sorts it,
keeps the choice in the URL and offers a CSV of exactly the rows shown. Above SPLIT_MAX_PLANS plans the
table is split into one page per category (compare/<category>.html), so that no page holds everything.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import orjson

from .charts import text_kind
from .i18n import fmt_number
from .model import Plan, Target

COMPARE_PATH = "compare.html"
# The columns of the CSV the page offers (the rows shown, each target then its parts).
CSV_COLUMNS = ("plan_id", "province", "year", "source_kind", "excerpt", "category", "target_id", "parent",
               "subject", "subject_text", "value", "value_max", "comparator", "unit", "deadline", "comparability",
               "comparison_group", "quote")
SORTS = ("group", "year", "province", "value_desc", "value_asc", "deadline")


def compare_category_path(category: str) -> str:
    """The compare page of one category (above SPLIT_MAX_PLANS plans)."""
    return f"compare/{category}.html"


@dataclass(frozen=True)
class CompareRow:
    """One row of the compare table: a top-level target, or a part of one (right under it)."""

    id: str  # plan_id/target_id
    parent: str  # the parent row's id, "" for a target
    province: str
    year: str
    plan: object  # pages.Link
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
    """The compare page (or one category's compare page)."""

    intro: str
    rows: tuple[CompareRow, ...]
    filters: tuple[tuple[str, str, tuple[Choice, ...]], ...]  # (name, legend, choices)
    sorts: tuple[Choice, ...]
    count_template: str
    count: str
    csv_columns_json: str
    category_links: tuple = ()  # pages.Link: the categories' compare pages (above SPLIT_MAX_PLANS plans)
    n_targets: int = 0
    n_parts: int = 0


def _kind(p: Plan) -> str:
    return "press" if p.source_kind == "press" else "excerpt" if p.excerpt else "full"


def compare_rows(b, path: str, category: str | None = None) -> list[CompareRow]:
    """Every top-level target (of one category, or all), each followed by its parts, in the default order:
    category, comparison group, year, province, plan, target."""
    lk = b.lk
    levels = {(r.plan_id, r.target_id): (r.level, r.group, r.group_subjects, r.unit)
              for r in b.site.tables.comparability.itertuples(index=False)}
    cat_order = {c: i for i, c in enumerate(lk.categories)}
    tops: list[tuple[tuple, Plan, Target]] = []
    parts: dict[tuple[str, str], list[Target]] = {}
    for p in b.corpus.plans:
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
        rows.append(_row(b, path, p, tg, levels.get((p.id, tg.id)), order))
        rows += [_row(b, path, p, part, None, order) for part in parts.get((p.id, tg.id), [])]
    return rows


def _row(b, path: str, p: Plan, tg: Target, level, order: int) -> CompareRow:
    from .pages import Link, category_path, plan_path

    lk = b.lk
    if tg.parent is not None:
        level_id, group = "part", ""
    elif level is None:
        level_id, group = "alone", ""
    else:
        level_id = level[0]
        subjects = " ⊃ ".join(b.label(lk.subjects, s) for s in level[2].split())
        group = f"{subjects} ({b.unit_label(level[3])})"
    deadline = str(tg.deadline) if tg.deadline is not None else b.t("deadline_unknown")
    kind = _kind(p)
    csv = (p.id, p.province, p.year, p.source_kind, p.excerpt, tg.category, tg.id, tg.parent or "", tg.subject,
           tg.subject_text, tg.value, tg.value_max, tg.comparator, tg.unit, tg.deadline, level_id,
           level[1] if level else "", tg.quote)
    csv = tuple(int(v) if isinstance(v, float) and v == int(v) else v for v in csv)
    filters = (("id", f"{p.id}/{tg.id}"), ("province", p.province), ("category", tg.category),
               ("year", str(p.year)), ("kind", kind), ("value", repr(float(tg.value))),
               ("deadline", str(tg.deadline) if tg.deadline is not None else ""), ("order", str(order)))
    if tg.parent is not None:
        filters = (("parent", f"{p.id}/{tg.parent}"),)
    return CompareRow(
        id=f"{p.id}/{tg.id}", parent=f"{p.id}/{tg.parent}" if tg.parent else "", province=p.province,
        year=str(p.year), plan=Link(b.plan_label(p), b.url(path, plan_path(p.id))),
        text_kind=text_kind(p.source_kind, p.excerpt, b.lang), press=p.source_kind == "press",
        category=b.label(lk.categories, tg.category) if tg.parent is None else "",
        subject_text=tg.subject_text, value=b.target_value(tg), deadline=deadline,
        comparability=b.t("level_" + level_id), group=group, quote=tg.quote, quote_url=b.quote_url(path, tg),
        filters=filters, csv=orjson.dumps(csv).decode())


def compare_context(b, path: str, category: str | None, intro: str, *, with_rows: bool = True,
                    category_links: tuple = ()) -> CompareContext:
    """The compare page's context: its rows (all targets, or one category's) and the filters' choices."""
    rows = compare_rows(b, path, category) if with_rows else []
    plans = b.corpus.plans
    cats = [category] if category else list(b.lk.categories)
    present = {dict(r.filters)["category"] for r in rows if not r.parent}
    filters = (
        ("province", b.t("compare_provinces"),
         tuple(Choice(pr, pr) for pr in sorted({p.province for p in plans}))),
        ("category", b.t("compare_categories"),
         tuple(Choice(c, b.label(b.lk.categories, c)) for c in cats if c in present or not with_rows)),
        ("year", b.t("compare_years"), tuple(Choice(str(y), str(y)) for y in sorted({p.year for p in plans}))),
        ("kind", b.t("compare_kinds"), tuple(Choice(k, b.t("text_kind_" + k)) for k in ("full", "excerpt", "press"))),
    )
    n_targets = sum(not r.parent for r in rows)
    n_parts = len(rows) - n_targets
    template = b.t("compare_count", n="{n}", m="{m}")
    return CompareContext(
        intro=intro, rows=tuple(rows), filters=filters,
        sorts=tuple(Choice(s, b.t("compare_sort_" + s)) for s in SORTS), count_template=template,
        count=b.t("compare_count", n=fmt_number(n_targets, b.lang), m=fmt_number(n_parts, b.lang)),
        csv_columns_json=orjson.dumps(CSV_COLUMNS).decode().replace("<", "\\u003c"),
        category_links=category_links, n_targets=n_targets, n_parts=n_parts)


def compare_pages(b, split: bool) -> Iterator:
    """The compare page; above SPLIT_MAX_PLANS plans, a page of links plus one page per category."""
    from .pages import Link, Page, lang_path

    crumbs = ((b.t("nav_home"), "index.html"),)
    scripts = ("assets/compare.js",)
    if not split:
        yield Page(lang_path(b.lang, COMPARE_PATH), "compare.html",
                   b.base(COMPARE_PATH, b.t("nav_compare"), b.t("compare_description"), "compare", scripts=scripts,
                          crumbs=crumbs),
                   compare_context(b, COMPARE_PATH, None, b.t("compare_intro")))
        return
    links = tuple(Link(b.label(b.lk.categories, c), b.url(COMPARE_PATH, compare_category_path(c)))
                  for c in b.lk.categories)
    yield Page(lang_path(b.lang, COMPARE_PATH), "compare.html",
               b.base(COMPARE_PATH, b.t("nav_compare"), b.t("compare_description"), "compare", crumbs=crumbs),
               compare_context(b, COMPARE_PATH, None, b.t("compare_intro_split"), with_rows=False,
                               category_links=links))
    for c in b.lk.categories:
        path = compare_category_path(c)
        name = b.label(b.lk.categories, c)
        yield Page(lang_path(b.lang, path), "compare.html",
                   b.base(path, b.t("compare_category_title", category=name), b.t("compare_description"), "compare",
                          scripts=scripts, crumbs=crumbs + ((b.t("nav_compare"), COMPARE_PATH),)),
                   compare_context(b, path, c, b.t("compare_intro")))
