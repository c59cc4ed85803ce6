"""The province pages: the list of provinces, and each province's plans over time and how their
targets changed (on a split site, with links to its own page of each category)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .. import urls
from ..i18n import fmt_number
from .comparisons import ComparisonBlock, comparison_blocks
from .kit import Kit, Link, LinkListContext, Page, PageJob


@dataclass(frozen=True)
class ProvinceContext:
    """One province page (template province.html)."""

    template: ClassVar[str] = "province.html"
    name: str
    timeline: tuple[tuple[str, Link, str], ...]  # (year, plan link, summary)
    comparisons: tuple[ComparisonBlock, ...]
    single_note: str
    categories: tuple[Link, ...] = ()  # its page of each category, when category pages are split


def province_list(k: Kit) -> Page:
    """The list of provinces with their number of plans."""
    path = urls.PROVINCE_LIST
    provinces = sorted({p.province for p in k.corpus.plans})
    items = tuple(Link(pr, k.url(path, urls.province_path(pr)),
                       k.t("n_plans", n=fmt_number(len(k.ix.by_province[pr]), k.lang)))
                  for pr in provinces)
    return k.page(path, k.base(path, k.t("nav_provinces"), k.t("provinces_description"), "provinces",
                               crumbs=k.home_crumbs()),
                  LinkListContext(k.t("provinces_description"), items))


def province(k: Kit, name: str) -> Page:
    """A province's page."""
    path = urls.province_path(name)
    plans = sorted(k.ix.by_province.get(name, []), key=lambda p: (p.year, p.id))
    timeline = tuple((str(p.year), Link(k.plan_title(p), k.url(path, urls.plan_path(p.id))),
                      k.t("timeline_summary", n=fmt_number(len(p.targets), k.lang),
                          kind=k.t("kind_" + p.source_kind))) for p in plans)
    single = k.t("single_plan_note") if len(plans) < 2 else ""
    cats = ()
    if k.split:
        # The category pages no longer list this province's targets: its own pages of them do.
        count = k.ix.province_cat_count
        cats = tuple(Link(k.label(k.lk.categories, c), k.url(path, urls.category_province_path(c, name)),
                          k.count_targets(count[(name, c)]))
                     for c in k.lk.categories if count[(name, c)])
    return k.page(path, k.base(path, k.t("province_title", name=name), k.t("province_description", name=name),
                               "provinces", crumbs=(*k.home_crumbs(), (k.t("nav_provinces"), urls.PROVINCE_LIST))),
                  ProvinceContext(name, timeline, comparison_blocks(k, path, plans), single, cats))


def jobs(site) -> list[PageJob]:
    """The province pages, as jobs."""
    provinces = sorted({p.province for p in site.corpus.plans})
    return [PageJob(province_list), *(PageJob(province, (pr,), True) for pr in provinces)]
