"""The reference pages: the data page (every download and its dictionary), the methodology and
the search page."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import ClassVar

from .. import urls
from ..i18n import fmt_number
from .reads import ALL_PLANS, lookups
from .kit import Kit, Link, Page, PageJob, json_ld
from .summary import one_language


@dataclass(frozen=True)
class DataFile:
    """A download and its data dictionary."""

    name: str
    csv_url: str
    json_url: str
    description: str
    fields: tuple[tuple[str, str], ...]
    rows: str


@dataclass(frozen=True)
class DataContext:
    """The data page (template data.html)."""

    template: ClassVar[str] = "data.html"
    files: tuple[DataFile, ...]
    version: str
    changelog_url: str
    zip_url: str
    datapackage_url: str
    readme_url: str


@dataclass(frozen=True)
class MethodologyContext:
    """The methodology page (template methodology.html)."""

    template: ClassVar[str] = "methodology.html"
    categories: tuple[tuple[str, str, str, str], ...]
    sources: tuple[tuple[Link, str, str, str], ...]
    commitments: tuple[tuple[str, str], ...]
    # On a split site, instead of `sources`: plans by source kind (kind, plans, excerpts).
    source_counts: tuple[tuple[str, str, str], ...] = ()
    sources_note: str = ""
    source_links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class SearchContext:
    """The search page (Pagefind's index and UI, built after the pages) (template search.html)."""

    template: ClassVar[str] = "search.html"
    css_url: str
    bundle_url: str


def data_page(k: Kit, tables: tuple[tuple[str, str, tuple, str], ...]) -> Page:
    """The data page; tables are the download tables as (name, description, fields, number of rows)."""
    path = urls.DATA_PAGE
    files = tuple(DataFile(name, k.file_url(path, urls.table_csv_path(name)),
                           k.file_url(path, urls.table_json_path(name)), one_language(k, description),
                           tuple((field, one_language(k, meaning)) for field, meaning in fields), rows)
                  for name, description, fields, rows in tables)
    version = k.corpus.data_version
    ld = {"@context": "https://schema.org", "@type": "Dataset", "name": k.t("site_name"),
          "description": k.t("data_description"), "version": version,
          "inLanguage": ["vi", "en"], "license": "https://creativecommons.org/licenses/by/4.0/",
          "isAccessibleForFree": True, "spatialCoverage": {"@type": "Country", "name": "Việt Nam"},
          "distribution": [{"@type": "DataDownload", "encodingFormat": "text/csv", "name": f.name,
                            "contentUrl": f.csv_url} for f in files]}
    return k.page(path, k.base(path, k.t("nav_data"), k.t("data_description"), "data", json_ld=json_ld(ld),
                               crumbs=k.home_crumbs()),
                  DataContext(files, version, k.file_url(path, urls.CHANGELOG),
                              k.file_url(path, urls.release_zip_path(version)),
                              k.file_url(path, urls.DATAPACKAGE), k.file_url(path, urls.DATA_README)))


def methodology(k: Kit) -> Page:
    """The methodology page: categories, sources (counted on a split site), commitment kinds."""
    path = urls.METHODOLOGY
    cats = tuple((k.label(k.lk.categories, c.id),
                  c.definition_vi if k.lang == "vi" else c.definition_en,
                  c.comparable_when if k.lang == "vi" else c.comparable_when_en,
                  fmt_number(k.ix.cat_count[c.id], k.lang)) for c in k.lk.categories.values())
    kinds = tuple((k.label(k.lk.commitment_kinds, kind), kind) for kind in k.lk.commitment_kinds)
    if k.split:
        summary = _source_counts(k, path)
    else:
        sources = tuple((Link(k.plan_title(p), k.url(path, urls.plan_path(p.id))), p.source_file,
                         k.t("kind_" + p.source_kind), p.provenance) for p in k.corpus.plans)
        summary = {"sources": sources}
    return k.page(path, k.base(path, k.t("nav_methodology"), k.t("methodology_description"), "methodology",
                               crumbs=k.home_crumbs()),
                  MethodologyContext(cats, commitments=kinds, **summary))


def _source_counts(k: Kit, path: str) -> dict:
    """The methodology's sources when there are too many plans to list: plans by source kind and excerpt."""
    plans = k.facts.plan_lines
    kinds = Counter(p.source_kind for p in plans)
    excerpts = Counter(p.source_kind for p in plans if p.excerpt)
    # Both kinds validation allows, even one the corpus does not have: a 0 says so.
    rows = tuple((k.t("kind_" + kind), fmt_number(kinds[kind], k.lang), fmt_number(excerpts[kind], k.lang))
                 for kind in ("official", "press"))
    rows += ((k.t("col_total"), fmt_number(len(plans), k.lang), fmt_number(sum(excerpts.values()), k.lang)),)
    return {"sources": (), "source_counts": rows,
            "sources_note": k.t("methodology_sources_summary", n=fmt_number(len(plans), k.lang)),
            "source_links": (Link(k.t("home_all_plans"), k.url(path, urls.PLAN_LIST)),
                             Link(k.t("plans_csv"), k.file_url(path, urls.table_csv_path("plans"))),
                             Link(k.t("home_download"), k.url(path, urls.DATA_PAGE)))}


def search(k: Kit) -> Page:
    """The search page."""
    path = urls.SEARCH
    return k.page(path, k.base(path, k.t("nav_search"), k.t("search_description"), "search",
                               scripts=urls.SEARCH_SCRIPTS, crumbs=k.home_crumbs()),
                  SearchContext(k.file_url(path, urls.PAGEFIND_CSS), k.file_url(path, urls.PAGEFIND) + "/"))


def jobs(site, data_tables: tuple = ()) -> list[PageJob]:
    """The reference pages, as jobs; data_tables: the data page's tables (see data_page)."""
    return [PageJob(data_page, (data_tables,)),
            PageJob(methodology, reads=lookups("categories", "commitment_kinds") | (
                # On a split site it counts the plans (their lines, facts.py) rather than listing them.
                {("plan_lines",), ("cat_count",)} if site.options.split(len(site.corpus.plans)) else ALL_PLANS)),
            PageJob(search)]
