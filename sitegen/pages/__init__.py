"""Stage 5a, page contexts: one module per page family, each with its context dataclasses (naming
their template) and a jobs() listing the functions that make its pages.

Templates never compute: every URL is relative and final, every number and date is formatted,
every label is in the page's language. Every page function takes a Kit (kit.py: the gathered
SiteData, its indexes and the shared helpers, in one language) and returns Pages; a Page carries
the charts drawn on it.
"""
from __future__ import annotations

from .. import deps
from ..charts import Chart
from ..i18n import LANGS
from . import categories, compare, home, legal, matrices, plans, provinces, reference
from .charts import chart_pages, chart_reads
from .kit import Index, Kit, Page, PageJob, SiteData, templates_of
from .packed import PackedCharts
from .digests import Digests
from .reads import BASE_READS, lean_site, value_digest

__all__ = ["Digests", "Drawn", "Index", "Kit", "Page", "PageJob", "SiteData", "chart_pages", "chart_reads", "job_key",
           "kits",
           "page_jobs", "plan_jobs", "templates_of"]


def page_jobs(site: SiteData, data_tables: tuple = ()) -> list[PageJob]:
    """Every page but the plan pages and the chart pages, as jobs, in a fixed order (both languages).

    data_tables: the download tables the data page lists (reference.data_page)."""
    one = [*home.jobs(site), *plans.jobs(site), *provinces.jobs(site), *categories.jobs(site),
           *matrices.jobs(site), *legal.jobs(site), *compare.jobs(site), *reference.jobs(site, data_tables)]
    return [job.but(lang=lang) for lang in LANGS for job in one]


def plan_jobs(site: SiteData) -> dict[str, dict[str, PageJob]]:
    """The job of each plan's page by language, then plan id."""
    one = plans.plan_jobs(site)
    return {lang: {pid: job.but(lang=lang) for pid, job in one.items()} for lang in LANGS}


def job_key(job: PageJob, digests: Digests) -> str:
    """A job's cache key: what it is (function, arguments, language), the code it runs and the
    templates it renders (both derived: sitegen.deps), and the digests of what it declares it reads
    (of the lean site unless it shows plans' texts: PageJob.text)."""
    module = job.make.__module__
    digests = digests if job.text else digests.lean
    return value_digest(job.lang, module, job.make.__qualname__, job.args, deps.code_digest(module),
                        deps.template_digest(*templates_of(module), override=digests.site.options.templates),
                        digests.key(job.reads | BASE_READS))


def kits(site: SiteData) -> dict[str, Kit]:
    """A Kit per language of the lean site (reads.lean_site), sharing one Index, each with the kit of
    the full site (Kit.with_text: for the jobs that show plans' texts, PageJob.text), made with its
    own Index when first asked: an incremental build whose plan pages are all carried over never
    indexes the full site, and one that remakes a few makes it in the worker that makes them."""
    lean = lean_site(site)
    lean_index = Index(lean)
    full_index: list[Index] = []

    def full(lang: str) -> Kit:
        if not full_index:
            # The plans kept apart from their texts (sitegen.texts) are their own lean twins: the
            # two sites differ in their citations' offsets only, and share the rest of one Index.
            same = all(a is b for a, b in zip((*site.corpus.plans, *site.corpus.drafts),
                                              (*lean.corpus.plans, *lean.corpus.drafts)))
            full_index.append(lean_index.twin(site) if same else Index(site))
        return Kit(site, lang, full_index[0])
    return {lang: _LeanKit(lean, lang, lean_index, full) for lang in LANGS}


class _LeanKit(Kit):
    """A Kit of the lean site whose full-site twin (with_text) is made when first asked."""

    def __init__(self, site: SiteData, lang: str, index: Index, full):
        self._full, self._with_text = full, None
        self.index = index  # the lean site's Index (pipeline: Index.prepare before forking workers)
        super().__init__(site, lang, index)

    @property
    def with_text(self) -> Kit:
        """The kit of the full site in this language (made once)."""
        if self._with_text is None:
            self._with_text = self._full(self.lang)
        return self._with_text

    @with_text.setter
    def with_text(self, kit: Kit) -> None:
        self._with_text = None if kit is self else kit  # Kit.__init__ sets itself: made when asked


class Drawn:
    """The charts drawn on some pages of one language, from their Page.charts: the last drawing of
    an id is kept, with the first page that drew it as its home (the page its chart page links back to)."""

    def __init__(self):
        self.charts: PackedCharts = PackedCharts()  # packed: a site's charts are hundreds of MB as objects
        self.homes: dict[str, str] = {}
        # Each chart's digest (value_digest), computed where it was drawn and kept with the job's
        # record, so that a build keys the chart's own pages and files without digesting it again.
        self.digests: dict[str, str] = {}
        # What each chart's own pages read (chart_reads), kept for the same reason: a chart unchanged
        # since the previous build is never unpacked (its pages, CSV file and card are keyed by these).
        self.reads: dict[str, frozenset] = {}

    def take(self, pages: list[Page]) -> Drawn:
        """Add the charts drawn on these pages (in their order); returns self."""
        for page in pages:
            for chart, where in page.charts:
                self.charts[chart.id] = chart
                self.digests[chart.id] = value_digest(chart)
                self.reads[chart.id] = chart_reads(chart)
                self.homes.setdefault(chart.id, where)
        return self

    def merge(self, other: Drawn) -> None:
        """Add the charts of pages made after this one's (in a worker, say)."""
        if not other.homes and not len(other.charts):  # most jobs draw no chart (every carried job is merged)
            return
        self.charts.update(other.charts)
        # A record kept by an earlier version has neither digests nor reads: they are computed when asked.
        for mine, theirs in ((self.digests, getattr(other, "digests", {})), (self.reads, getattr(other, "reads", {}))):
            for cid in other.charts:
                if cid in theirs:
                    mine[cid] = theirs[cid]
                else:
                    mine.pop(cid, None)
        for cid, where in other.homes.items():
            self.homes.setdefault(cid, where)

    def digest(self, cid: str) -> str:
        """The digest of a chart (value_digest)."""
        if cid not in self.digests:
            self.digests[cid] = value_digest(self.charts[cid])
        return self.digests[cid]

    def reads_of(self, cid: str) -> frozenset:
        """What a chart's own pages read besides BASE_READS (chart_reads)."""
        if cid not in self.reads:
            self.reads[cid] = chart_reads(self.charts[cid])
        return self.reads[cid]

    def with_homes(self, ids=None) -> dict[str, tuple[Chart, str]]:
        """Chart id -> (chart, home): what chart_pages takes (of some ids only: each chart is unpacked)."""
        return {cid: (self.charts[cid], self.homes[cid]) for cid in (self.charts if ids is None else ids)}
