"""The compare page for researchers: every top-level target (with its parts under it) as one table to
filter and sort, with its subject as written, value, deadline, comparability and quote.

Up to SiteOptions.split_max_plans plans the table is complete in the HTML (it works without
JavaScript); assets/compare.js filters and sorts it, keeps the choice in the URL and offers a CSV of
exactly the rows shown. Above it no file may hold every target: the page carries the filters and the
rows of the latest plan only, and each provincial unit (corpus/provinces.yaml) gets a static page of
the rows of the plans signed in it (compare/<unit>.html, linked from the page), whose rows the script
takes into the page (with their data-* attributes) only for the provinces the reader chooses: one copy
of each row, no data file beside it. Each unit's page is made by a job that reads that unit's plans
only; no compare file grows with the plans of other units.

A row's CSV cells (data-csv) leave out the subject as written and the quote (null): the script reads
them from the row's cells, where they are already.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

import orjson

from .. import urls
from ..charts import text_kind
from ..i18n import fmt_date, fmt_number
from ..model import TARGETS_NOT_IN_TEXT, Plan, Target
from ..textutil import strip_accents
from ..wording import VI_LETTERS
from .kit import Kit, Link, Page, PageJob
from .reads import ALL_PLANS, lookups, unit_of

# The columns of the CSV the page offers (the rows shown, each target then its parts).
CSV_COLUMNS = ("plan_id", "province", "province_today", "year", "source_kind", "excerpt", "category", "target_id", "parent",
               "subject", "subject_text", "value", "value_max", "comparator", "unit", "deadline", "comparability",
               "comparison_group", "quote")
# The CSV columns a row's data-csv leaves out (null), the script reading them from the row's cells (the
# subject as written, the quote: compare.js, csvOf).
FROM_CELLS = ("subject_text", "quote")
_FROM_CELLS = frozenset(FROM_CELLS)
SORTS = ("group", "year", "province", "value_desc", "value_asc", "deadline")
# What every compare job reads besides plans: labels of categories, subjects, units and provinces.
OWN_LOOKUPS = lookups("categories", "subjects", "units", "provinces")


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
    # data-* attributes the script filters and sorts on, and the row's CSV cells (as JSON without the
    # FROM_CELLS columns, and every cell as a tuple)
    filters: tuple[tuple[str, str], ...]
    csv: str
    cells: tuple = ()
    subject_vi: bool = False  # on an English page, the subject as written is marked lang="vi"


@dataclass(frozen=True)
class Choice:
    """One checkbox of a filter; `units`: the units a present-day province is made of (split site)."""

    value: str
    label: str
    units: str = ""


@dataclass(frozen=True)
class Filter:
    """One fieldset of filters: its name (the URL parameter), legend, what ticking none means, choices."""

    name: str
    legend: str
    none_means: str
    choices: tuple[Choice, ...]


@dataclass(frozen=True)
class CompareContext:
    """The compare page (template compare.html): on a split site, the rows of one unit (the default
    view) and links to every unit's own table."""

    template: ClassVar[str] = "compare.html"
    intro: str
    rows: tuple[CompareRow, ...]
    filters: tuple[Filter, ...]
    sorts: tuple[Choice, ...]
    count_template: str
    count: str
    csv_columns_json: str
    noscript: str
    n_targets: int = 0
    n_parts: int = 0
    # On a split site: the data file URL with {unit} for the unit id, the plan shown when no province
    # is chosen, and the links to every unit's table.
    data_url: str = ""
    default_plan: str = ""
    unit_links: tuple[Link, ...] = ()
    # The plans the page's rows come from (plans_data), so that the script can say why a choice
    # shows no row: a plan that sets no target has none.
    plans_json: str = "[]"


@dataclass(frozen=True)
class CompareUnitContext:
    """One unit's compare table on a split site (template compare_unit.html): every target of the
    plans signed in it, static; the compare page takes its rows in to filter, sort and download them."""

    template: ClassVar[str] = "compare_unit.html"
    intro: str
    rows: tuple[CompareRow, ...]
    count: str
    interactive: Link  # the compare page with this unit chosen
    others: Link  # the compare page's list of units
    plans_json: str  # its plans as the compare page's script matches them against a choice (plans_data)


def _kind(p: Plan) -> str:
    return "press" if p.source_kind == "press" else "excerpt" if p.excerpt else "full"


def compare_rows(k: Kit, path: str, plans: list[Plan] | None = None) -> list[CompareRow]:
    """Every top-level target (of some plans, or of all), each followed by its parts, in the default
    order: category, comparison group, year, province, plan, target."""
    lk = k.lk
    cat_order = {c: i for i, c in enumerate(lk.categories)}
    if plans is None:
        plans = list(k.corpus.plans)
        levels = {(r.plan_id, r.target_id): (r.level, r.group, r.group_subjects, r.unit)
                  for r in k.site.tables.comparability}
    else:  # the comparability rows of the units these plans were signed in, not the whole table
        levels = {key: v for u in dict.fromkeys(unit_of(p) for p in plans) for key, v in k.ix.comparability(u).items()}
    tops: list[tuple[tuple, Plan, Target]] = []
    parts: dict[tuple[str, str], list[Target]] = {}
    for p in plans:
        for tg in p.targets:
            if tg.parent is not None:
                parts.setdefault((p.id, tg.parent), []).append(tg)
                continue
            group = levels.get((p.id, tg.id), ("", "", "", ""))[1]
            tops.append(((cat_order.get(tg.category, len(cat_order)), group or "~" + tg.subject, p.year,
                          p.province, p.id, tg.id), p, tg))
    tops.sort(key=lambda x: x[0])
    rows = []
    for key, p, tg in tops:
        # The order as a string the script compares, so that rows of units loaded apart interleave as
        # they would in one table (fields joined by a tab, below every character they hold).
        order = "\t".join((f"{key[0]:03d}", key[1], f"{key[2]:04d}", *key[3:]))
        rows.append(_row(k, path, p, tg, levels.get((p.id, tg.id)), order))
        rows += [_row(k, path, p, part, None, order) for part in parts.get((p.id, tg.id), [])]
    return rows


def unit_label(k: Kit, uid: str, fallback: str = "") -> str:
    """A unit's name ("Vĩnh Long"): from provinces.yaml, else `fallback` (a plan's own name), else the id."""
    u = k.ix.units.get(uid)
    return u.vi if u is not None else fallback or uid


def _row(k: Kit, path: str, p: Plan, tg: Target, level, order: str) -> CompareRow:
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
    csv = (p.id, p.province, "; ".join(unit_label(k, u) for u in p.province_today), p.year, p.source_kind, p.excerpt,
           tg.category, tg.id, tg.parent or "", tg.subject,
           tg.subject_text, tg.value, tg.value_max, tg.comparator, tg.unit, tg.deadline, level_id,
           level[1] if level else "", tg.quote)
    csv = tuple(int(v) if isinstance(v, float) and v == int(v) else v for v in csv)
    # The province a plan was signed in is chosen by its unit id (two units may share a name: the old
    # and the new Tuyên Quang); the present-day provinces it now belongs to are space-separated unit
    # ids (one, or several where a unit was divided).
    filters = (("id", f"{p.id}/{tg.id}"), ("province", unit_of(p)), ("name", p.province),
               ("today", " ".join(p.province_today)), ("category", tg.category),
               ("year", str(p.year)), ("kind", kind), ("value", repr(float(tg.value))),
               ("deadline", str(tg.deadline) if tg.deadline is not None else ""), ("order", order))
    if tg.parent is not None:
        filters = (("parent", f"{p.id}/{tg.parent}"),)
    return CompareRow(
        id=f"{p.id}/{tg.id}", parent=f"{p.id}/{tg.parent}" if tg.parent else "", province=p.province,
        year=str(p.year), plan=Link(k.plan_label(p), k.url(path, urls.plan_path(p.id))),
        text_kind=text_kind(p.source_kind, p.excerpt, k.lang), press=p.source_kind == "press",
        category=k.label(lk.categories, tg.category) if tg.parent is None else "",
        subject_text=tg.subject_text, value=k.target_value(tg), deadline=deadline,
        comparability=k.t("level_" + level_id), group=group, quote=tg.quote, quote_url=k.quote_url(path, tg),
        filters=filters, csv=orjson.dumps(tuple(None if c in _FROM_CELLS else v for c, v in zip(CSV_COLUMNS, csv))).decode(),
        cells=csv,
        subject_vi=k.lang == "en" and any(c in VI_LETTERS for c in tg.subject_text))


def moved_down(row: CompareRow) -> CompareRow:
    """A row of the compare page as a page one folder down (compare/<unit>.html) links: its links lead
    out of compare/ (to plans/), so each is the page's own link with one more "../" (which the compare
    page's script takes off when it takes the row in)."""
    return replace(row, plan=Link(row.plan.text, "../" + row.plan.url), quote_url="../" + row.quote_url)


def plans_data(k: Kit, plans) -> list[dict]:
    """Each plan as the compare script matches it against a choice (compare.js: why): its unit,
    present-day units, year, source kind, label, count of top-level targets and whether a text that
    states none is the whole plan (else an excerpt or press report: whether it sets any is unknown)."""
    out = []
    for p in plans:
        out.append({"id": p.id, "unit": unit_of(p), "today": list(p.province_today), "year": str(p.year), "kind": _kind(p),
                    "label": k.plan_label(p), "targets": sum(tg.parent is None for tg in p.targets),
                    "in_text": p.targets_state != TARGETS_NOT_IN_TEXT})
    return out


def _json_script(value) -> str:
    """JSON to put in a <script type="application/json">: no "<" that could close it."""
    return orjson.dumps(value).decode().replace("<", "\\u003c")


def _counts(rows) -> tuple[int, int]:
    tops = sum(not r.parent for r in rows)
    return tops, len(rows) - tops


def _count_text(k: Kit, rows) -> str:
    n, m = _counts(rows)
    return k.t("compare_count", n=fmt_number(n, k.lang), m=fmt_number(m, k.lang))


def _unit_choices(k: Kit, units: dict[str, str]) -> tuple[Choice, ...]:
    """The units plans were signed in (id -> a plan's name for it), by name; two units of one name
    (the old and the new Tuyên Quang) told apart by their dates."""
    labels = {u: unit_label(k, u, name) for u, name in units.items()}
    seen: dict[str, int] = {}
    for label in labels.values():
        seen[label] = seen.get(label, 0) + 1
    out = []
    for u, label in labels.items():
        entry = k.ix.units.get(u)
        order = (strip_accents(label), (entry.valid_from or "") if entry is not None else "", u)
        if seen[label] > 1 and entry is not None and (entry.valid_to or entry.valid_from):
            label = k.t("compare_unit_until", name=label, date=fmt_date(entry.valid_to, k.lang)) if entry.valid_to \
                else k.t("compare_unit_from", name=label, date=fmt_date(entry.valid_from, k.lang))
        out.append((order, Choice(u, label)))
    # By name as a reader looks one up (Đắk Lắk among the D), then the older unit of one name first.
    return tuple(c for _, c in sorted(out))


def _filters(k: Kit, keys, cats, split_default: str = "") -> tuple[Filter, ...]:
    """The filters' choices, from each plan's (unit, province, year, issued, present-day units);
    split_default: on a split site, the label of the plan shown when no province is chosen."""
    units = {}
    for unit, name, *_ in keys:
        units.setdefault(unit, name)
    members: dict[str, list[str]] = {}
    for unit, _, _, _, today in keys:
        for t in today:
            members.setdefault(t, []).append(unit)
    today = tuple(sorted((Choice(t, unit_label(k, t, units.get(t, "")), " ".join(sorted(set(ms))))
                          for t, ms in members.items()), key=lambda c: (strip_accents(c.label), c.value)))
    all_ = k.t("compare_none_is_all")
    places = k.t("compare_none_is_default", plan=split_default) if split_default else all_
    years = sorted({key[2] for key in keys})
    return (
        Filter("province", k.t("compare_provinces"), places, _unit_choices(k, units)),
        Filter("today", k.t("compare_today"), places, today),
        Filter("category", k.t("compare_categories"), all_,
               tuple(Choice(c, k.label(k.lk.categories, c)) for c in cats)),
        Filter("year", k.t("compare_years"), all_, tuple(Choice(str(y), str(y)) for y in years)),
        Filter("kind", k.t("compare_kinds"), all_,
               tuple(Choice(v, k.t("text_kind_" + v)) for v in ("full", "excerpt", "press"))),
    )


def _context(k: Kit, rows: list[CompareRow], filters, intro: str, noscript: str, **split) -> CompareContext:
    n, m = _counts(rows)
    return CompareContext(
        intro=intro, rows=tuple(rows), filters=filters,
        sorts=tuple(Choice(s, k.t("compare_sort_" + s)) for s in SORTS),
        count_template=k.t("compare_count", n="{n}", m="{m}"), count=_count_text(k, rows),
        csv_columns_json=_json_script(CSV_COLUMNS), noscript=noscript,
        n_targets=n, n_parts=m, **split)


def _base(k: Kit, path: str, title: str, crumbs=()):
    return k.base(path, title, k.t("compare_description"), "compare", scripts=urls.COMPARE_SCRIPTS,
                  crumbs=(*k.home_crumbs(), *crumbs))


def compare(k: Kit) -> Page:
    """The compare page with every target (a site of up to split_max_plans plans)."""
    path = urls.COMPARE
    rows = compare_rows(k, path)
    present = {dict(r.filters)["category"] for r in rows if not r.parent}
    filters = _filters(k, k.ix.plan_keys, [c for c in k.lk.categories if c in present])
    return k.page(path, _base(k, path, k.t("nav_compare")),
                  _context(k, rows, filters, k.t("compare_intro"), k.t("compare_noscript"),
                           plans_json=_json_script(plans_data(k, k.corpus.plans))))


def compare_split(k: Kit, default: str) -> Page:
    """The compare page of a split site: the filters, the rows of the latest plan (`default`) and a
    link to each unit's table; its script loads the rows of the units the reader chooses."""
    path = urls.COMPARE
    keys = k.ix.plan_keys
    units = {}
    for unit, name, *_ in keys:
        units.setdefault(unit, name)
    latest = k.plans[default]
    links = tuple(Link(c.label, k.url(path, urls.compare_unit_path(c.value))) for c in _unit_choices(k, units))
    data_url = k.url(path, urls.compare_unit_path("UNIT")).replace("UNIT", "{unit}")
    label = k.plan_label(latest)
    return k.page(path, _base(k, path, k.t("nav_compare")), _context(
        k, compare_rows(k, path, [latest]), _filters(k, keys, list(k.lk.categories), label),
        k.t("compare_intro_split", n=fmt_number(k.plan_count, k.lang), plan=label) + " " + k.t("compare_intro"),
        k.t("compare_noscript_split", plan=label), data_url=data_url, default_plan=default, unit_links=links,
        plans_json=_json_script(plans_data(k, [latest]))))


def compare_unit(k: Kit, uid: str) -> Page:
    """A unit's compare table (a static page, whose rows the compare page's script takes in)."""
    path = urls.compare_unit_path(uid)
    plans = k.ix.by_unit.get(uid, [])
    name = unit_label(k, uid, plans[0].province if plans else "")
    rows = compare_rows(k, urls.COMPARE, plans)
    title = k.t("compare_unit_title", name=name)
    interactive = Link(k.t("compare_unit_interactive", name=name), k.url(path, urls.COMPARE) + "?province=" + uid)
    others = Link(k.t("compare_unit_others"), k.url(path, urls.COMPARE) + "#compare-units")
    return k.page(path, _base(k, path, title, ((k.t("nav_compare"), urls.COMPARE),)),
                  CompareUnitContext(k.t("compare_unit_intro", name=name), tuple(moved_down(r) for r in rows),
                                     _count_text(k, rows), interactive, others, _json_script(plans_data(k, plans))))


def jobs(site) -> list[PageJob]:
    """The compare page; on a split site, also a job per unit a plan was signed in, which reads only
    that unit's plans (and the plans sharing their province's name, for their labels), so that editing
    a plan makes only its unit's compare page again."""
    plans = site.corpus.plans
    if not site.options.split(len(plans)):
        return [PageJob(compare, reads=ALL_PLANS | OWN_LOOKUPS)]
    names: dict[str, set[str]] = {}
    for p in plans:
        names.setdefault(unit_of(p), set()).add(p.province)

    def reads(uid: str) -> frozenset:
        return OWN_LOOKUPS | {("unit", uid), ("comparability", uid)} | {("province", n) for n in names[uid]}
    latest = max(plans, key=lambda p: (p.year, p.issued or "", p.id))
    own = OWN_LOOKUPS | {("plan", latest.id), ("province", latest.province), ("comparability", unit_of(latest)),
                         ("plan_keys",)}
    return [PageJob(compare_split, (latest.id,), reads=own),
            *(PageJob(compare_unit, (uid,), True, reads(uid)) for uid in sorted(names))]
