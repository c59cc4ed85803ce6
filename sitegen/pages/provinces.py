"""The province pages: the list of provinces, and each province's plans over time and how their
targets changed (on a split site, with links to its own page of each category).

Provinces are units of corpus/provinces.yaml (sitegen.lineage): a page says what became of its
province on 01/07/2025 or what it was formed from, with the legal basis; a province formed by the
reorganisation gets a present-day page listing the plans of the provinces merged into it, each
under the province that issued it and never added up.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

from .. import lineage as lin
from .. import urls
from ..i18n import fmt_count, fmt_date, fmt_number
from ..textutil import strip_accents
from ..wording import legal_reference_en
from .comparisons import ComparisonBlock, comparison_blocks, scope_text
from .facts import unnamed_units
from .kit import DOC_TYPES_EN, Kit, Link, LinkListContext, Page, PageJob, unit_of, unit_pages
from .reads import lookups


@dataclass(frozen=True)
class Part:
    """A piece of a sentence: plain text, or a link when it has a URL."""

    text: str
    url: str = ""


@dataclass(frozen=True)
class LineageView:
    """A provincial unit's place in the lineage, as sentences with links (_partials/lineage.html)."""

    lines: tuple[tuple[Part, ...], ...]  # "Từ 01/07/2025 thuộc tỉnh Vĩnh Long."
    bases: tuple[str, ...]  # "Căn cứ: Nghị quyết số 202/2025/QH15 ngày 12/06/2025, Điều 1."
    today: Link | None = None  # its present-day page, when that is another page


@dataclass(frozen=True)
class ProvinceContext:
    """One province page (template province.html)."""

    template: ClassVar[str] = "province.html"
    name: str
    timeline: tuple[tuple[str, Link, str], ...]  # (year, plan link, summary)
    comparisons: tuple[ComparisonBlock, ...]
    single_note: str
    categories: tuple[Link, ...] = ()  # its page of each category, when category pages are split
    lineage: LineageView | None = None
    pairs_note: str = ""  # on a split site, that only the latest pairs of plans are set side by side


@dataclass(frozen=True)
class PresentRow:
    """A plan on a present-day province's page, under the unit that issued it."""

    year: str
    unit: Link
    plan: Link
    summary: str


@dataclass(frozen=True)
class PresentContext:
    """A province formed from others (template present.html): the plans of every unit now part of
    it, each under the unit that issued it; no number is added across units."""

    template: ClassVar[str] = "present.html"
    intro: tuple[Part, ...]
    lineage: LineageView | None
    rows: tuple[PresentRow, ...]
    empty_note: str


def province_list(k: Kit) -> Page:
    """The list of provinces with their number of plans, and what became of each."""
    path = urls.PROVINCE_LIST
    items = []
    count = Counter(p.unit for p in k.facts.plan_lines)  # plans by unit (facts.py: not the plans themselves)
    for uid in sorted(k.ix.unit_pages, key=lambda u: unit_sort_key(k, u)):
        u = k.ix.units.get(uid)
        text = unit_short(k, uid)
        if u is not None and u.predecessors:  # a present-day page: its members' plans
            n = sum(count[m] for m in (uid, *lin.ancestors(k.ix.lineage, uid)))
            note = fmt_count(k.lang, "province_list_present", n)
            text = k.t("present_title", name=text)  # "Tuyên Quang hiện nay", beside the old Tuyên Quang
        else:
            note = fmt_count(k.lang, "n_plans", count[uid])
        if u is not None and u.valid_to:
            note += " · " + k.t("province_list_now", name=", ".join(
                unit_name(k, x) for x in lin.present_day(k.ix.lineage, uid)))
        items.append(Link(text, k.url(path, urls.province_path(uid)), note))
    return k.page(path, k.base(path, k.t("nav_provinces"), k.t("provinces_description"), "provinces",
                               crumbs=k.home_crumbs()),
                  LinkListContext(k.t("provinces_description"), tuple(items)))


def province(k: Kit, uid: str) -> Page:
    """A province's page (a unit id; a plan's province name is taken as its latest plan's unit); a
    unit formed from others gets its present-day page instead."""
    uid = k.ix.unit_key(uid)
    unit = k.ix.units.get(uid)
    if unit is not None and unit.predecessors:
        return present(k, uid)
    path = urls.province_path(uid)
    plans = sorted(k.ix.by_unit.get(uid, []), key=lambda p: (p.year, p.id))
    name = plans[0].province if plans else unit_short(k, uid)
    timeline = tuple((str(p.year), Link(k.plan_title(p), k.url(path, urls.plan_path(p.id))),
                      k.t("timeline_summary", n=k.plan_count_text(p), kind=k.t("kind_" + p.source_kind))
                      + " · " + k.t("timeline_scope", topics=scope_text(k, p, "topic"))) for p in plans)
    single = k.t("single_plan_note") if len(plans) < 2 else ""
    cats = ()
    if k.split:
        # The category pages no longer list this province's targets: its own pages of them do.
        count = Counter(tg.category for p in plans for tg in p.top_targets)
        cats = tuple(Link(k.label(k.lk.categories, c), k.url(path, urls.category_province_path(c, uid)),
                          k.count_targets(count[c]))
                     for c in k.lk.categories if count[c])
    # Each pair of successive plans is set side by side with both plans' targets and quotes: at 160
    # plans a province (10,000 in the corpus) that was a 4.5 MB page, each target twice. A split site
    # sets the latest pairs side by side; every plan stays in the timeline, with its own page.
    shown, pairs_note = plans, ""
    most = k.options.province_pairs_max
    if k.split and len(plans) > most + 1:
        shown = plans[-(most + 1):]
        pairs_note = k.t("province_pairs_latest", n=fmt_number(most, k.lang),
                         total=fmt_number(len(plans) - 1, k.lang), year=str(shown[0].year))
    return k.page(path, k.base(path, unit_title(k, uid), k.t("province_description", name=name),
                               "provinces", crumbs=(*k.home_crumbs(), (k.t("nav_provinces"), urls.PROVINCE_LIST))),
                  ProvinceContext(name, timeline, comparison_blocks(k, path, shown), single, cats,
                                  lineage_view(k, path, uid), pairs_note))


def present(k: Kit, uid: str) -> Page:
    """A present-day unit formed from others: every member unit's plans, each under the unit that
    issued it, with the plan's own count; nothing is added across units."""
    path = urls.province_path(uid)
    u = k.ix.units[uid]
    rows = []
    for m in (uid, *lin.ancestors(k.ix.lineage, uid)):
        for p in k.ix.by_unit.get(m, []):
            rows.append(((p.year, strip_accents(unit_short(k, m)), p.id), PresentRow(
                str(p.year), Link(unit_name(k, m), k.url(path, urls.province_path(m))),
                Link(k.plan_title(p), k.url(path, urls.plan_path(p.id))),
                k.t("timeline_summary", n=k.plan_count_text(p), kind=k.t("kind_" + p.source_kind)))))
    rows.sort(key=lambda r: r[0])
    name = unit_name(k, uid)
    intro = parts(k, "present_intro", "members", [unit_part(k, path, x) for x in u.predecessors],
                  date=fmt_date(u.valid_from, k.lang) or k.t("unknown"), name=name)
    return k.page(path, k.base(path, k.t("present_title", name=unit_title(k, uid)),
                               k.t("present_description", name=name), "provinces",
                               crumbs=(*k.home_crumbs(), (k.t("nav_provinces"), urls.PROVINCE_LIST))),
                  PresentContext(intro, lineage_view(k, path, uid), tuple(r for _, r in rows),
                                 k.t("present_no_plans", name=name)))


# ---------------------------------------------------------------- a unit's names and lineage


def unit_short(k: Kit, uid: str) -> str:
    """A unit's name alone ("Vĩnh Long"); a plan's own name when the table lacks the unit."""
    u = k.ix.units.get(uid)
    if u is not None:
        return u.vi
    plans = k.ix.by_unit.get(uid)
    return plans[0].province if plans else uid


def unit_name(k: Kit, uid: str) -> str:
    """A unit with its kind: "tỉnh Vĩnh Long", "thành phố Huế" ("Vĩnh Long province")."""
    u = k.ix.units.get(uid)
    return lin.kind_name(u, k.lang) if u is not None else unit_short(k, uid)


def unit_title(k: Kit, uid: str) -> str:
    """A unit's page title: "Tỉnh Vĩnh Long", "Thành phố Huế"."""
    if uid not in k.ix.units:
        return k.t("province_title", name=unit_short(k, uid))
    name = unit_name(k, uid)
    return name[:1].upper() + name[1:]


def unit_sort_key(k: Kit, uid: str) -> tuple:
    """Units by name, then by first day (the old Tuyên Quang before the new one)."""
    u = k.ix.units.get(uid)
    return (strip_accents(unit_short(k, uid)), (u.valid_from or "") if u else "", uid)


def unit_part(k: Kit, from_path: str, uid: str) -> Part:
    """A unit's name with its kind, linked when it has a page."""
    url = k.url(from_path, urls.province_path(uid)) if uid in k.ix.unit_pages else ""
    return Part(unit_name(k, uid), url)


def successors_start(k: Kit, uid: str) -> str:
    """The first day of the unit(s) a unit became part of ("" when unknown)."""
    u = k.ix.units[uid]
    return min((k.ix.units[x].valid_from or "" for x in u.successors if x in k.ix.units), default="")


def unit_absent(k: Kit, uid: str, year: int) -> str:
    """Why a unit has no cell in `year` of the coverage grid ("" when it existed in that year)."""
    u = k.ix.units.get(uid)
    if u is None or lin.valid_in_year(u, year):
        return ""
    if u.valid_to and f"{year}-01-01" > u.valid_to:
        return k.t("grid_ended", date=fmt_date(successors_start(k, uid), k.lang) or k.t("unknown"),
                   name=", ".join(unit_name(k, x) for x in lin.present_day(k.ix.lineage, uid)))
    return k.t("grid_not_yet", date=fmt_date(u.valid_from, k.lang))


def parts(k: Kit, key: str, slot: str, links: list[Part], **kw) -> tuple[Part, ...]:
    """A UI sentence with the links of `slot` in place ("Từ {date} thuộc {successor}.")."""
    text = k.s[key]
    for name, value in kw.items():
        text = text.replace("{" + name + "}", value)
    before, _, after = text.partition("{" + slot + "}")
    out = [Part(before)] if before else []
    for i, part in enumerate(links):
        if i:
            out.append(Part(", "))
        out.append(part)
    if after:
        out.append(Part(after))
    return tuple(out)


def basis_text(k: Kit, b) -> str:
    """A legal basis as a reader cites it: "Nghị quyết số 202/2025/QH15 ngày 12/06/2025, Điều 1"."""
    dated = f" {k.t('dated', date=fmt_date(b.issued, k.lang))}" if b.issued else ""
    text = f"{b.instrument}{dated}, {b.article or k.t('lineage_basis_article_unknown')}"
    return legal_reference_en(text, DOC_TYPES_EN) if k.lang == "en" else text


def lineage_view(k: Kit, path: str, uid: str) -> LineageView | None:
    """What became of a unit and what it was formed from, with the legal basis; None outside the table."""
    u = k.ix.units.get(uid)
    if u is None:
        return None
    lines = []
    if u.valid_to and u.successors:
        lines.append(parts(k, "lineage_ended", "successor", [unit_part(k, path, x) for x in u.successors],
                           date=fmt_date(successors_start(k, uid), k.lang) or k.t("unknown")))
    if u.predecessors:
        lines.append(parts(k, "lineage_formed", "predecessors", [unit_part(k, path, x) for x in u.predecessors],
                           date=fmt_date(u.valid_from, k.lang) or k.t("unknown")))
    if u.valid_to is None and any(b.event == "unchanged" for b in u.legal_basis):
        lines.append((Part(k.t("lineage_unchanged")),))
    bases = tuple(dict.fromkeys(k.t("lineage_basis", basis=basis_text(k, b)) for b in u.legal_basis))
    today = None
    if u.valid_to:
        now = [x for x in lin.present_day(k.ix.lineage, uid) if x in k.ix.unit_pages]
        if now:
            today = Link(k.t("lineage_today_link", name=unit_name(k, now[0])), k.url(path, urls.province_path(now[0])))
    return LineageView(tuple(lines), bases, today)


def jobs(site) -> list[PageJob]:
    """The province pages, as jobs: one per unit with a page (unit_pages). A unit's page reads its
    plans, or on a present-day page those of every unit it was formed from, the provinces of those
    plans (their labels; on a split site, their counts by category), provinces.yaml and which units
    have a page (its links)."""
    lineage = lin.index(site.corpus.lookups.provinces)
    plans_of: dict[str, list] = {}
    for p in site.corpus.plans:
        plans_of.setdefault(unit_of(p), []).append(p)
    # The lookups: its comparisons' labels and the plans' scopes (kinds, topics), and provinces.yaml.
    own = lookups("categories", "subjects", "units", "plan_kinds", "themes", "provinces") | {
        ("unit_pages",), ("option", "province_pairs_max")}

    def reads(uid: str) -> frozenset:
        u = lineage.units.get(uid)
        members = (uid, *lin.ancestors(lineage, uid)) if u is not None and u.predecessors else (uid,)
        names = {p.province for m in members for p in plans_of.get(m, ())} | ({u.vi} if u is not None else set())
        return own | {("unit", m) for m in members} | {("province", name) for name in names}
    # The list counts each unit's plans: their lines (facts.py), which an edit of a plan's targets leaves alone.
    return [PageJob(province_list, reads=frozenset({("plan_lines",), ("unit_pages",)}) | lookups("provinces")
                    | unnamed_units(site)),
            *(PageJob(province, (uid,), True, reads(uid)) for uid in unit_pages(site.corpus.plans))]
