"""Stage 5a, page contexts: one module per page family, each with its context dataclasses (naming
their template) and a jobs() listing the functions that make its pages.

Templates never compute: every URL is relative and final, every number and date is formatted,
every label is in the page's language. Every page function takes a Kit (kit.py: the gathered
SiteData, its indexes and the shared helpers, in one language) and returns Pages; a Page carries
the charts drawn on it.
"""
from __future__ import annotations

from dataclasses import replace

from ..charts import Chart
from ..i18n import LANGS
from . import categories, compare, home, legal, matrices, plans, provinces, reference
from .charts import chart_pages
from .kit import Index, Kit, Page, PageJob, SiteData

__all__ = ["Drawn", "Index", "Kit", "Page", "PageJob", "SiteData", "chart_pages", "kits", "page_jobs"]


def page_jobs(site: SiteData, data_tables: tuple = ()) -> list[PageJob]:
    """Every page but the plan pages and the chart pages, as jobs, in a fixed order (both languages).

    data_tables: the download tables the data page lists (reference.data_page)."""
    one = [*home.jobs(site), *plans.jobs(site), *provinces.jobs(site), *categories.jobs(site),
           *matrices.jobs(site), *legal.jobs(site), *compare.jobs(site), *reference.jobs(site, data_tables)]
    return [replace(job, lang=lang) for lang in LANGS for job in one]


def kits(site: SiteData) -> dict[str, Kit]:
    """A Kit per language, sharing one Index."""
    index = Index(site)
    return {lang: Kit(site, lang, index) for lang in LANGS}


class Drawn:
    """The charts drawn on some pages of one language, from their Page.charts: the last drawing of
    an id is kept, with the first page that drew it as its home (the page its chart page links back to)."""

    def __init__(self):
        self.charts: dict[str, Chart] = {}
        self.homes: dict[str, str] = {}

    def take(self, pages: list[Page]) -> Drawn:
        """Add the charts drawn on these pages (in their order); returns self."""
        for page in pages:
            for chart, where in page.charts:
                self.charts[chart.id] = chart
                self.homes.setdefault(chart.id, where)
        return self

    def merge(self, other: Drawn) -> None:
        """Add the charts of pages made after this one's (in a worker, say)."""
        self.charts.update(other.charts)
        for cid, where in other.homes.items():
            self.homes.setdefault(cid, where)

    def with_homes(self) -> dict[str, tuple[Chart, str]]:
        """Chart id -> (chart, home): what chart_pages takes."""
        return {cid: (chart, self.homes[cid]) for cid, chart in self.charts.items()}
