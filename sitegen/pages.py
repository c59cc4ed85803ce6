"""Stage 5a, page contexts: one dataclass per page type, holding only finished values.

Templates never compute: every URL is relative and final, every number and date
is formatted, every label is in the page's language. One function per page type
builds its context from the gathered SiteData.
"""
from __future__ import annotations

import html
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date

from .charts import (Chart, comparison_chart, counts_chart, figure_json, latest_chart, latest_counts_chart,
                     network_chart, province_network_chart)
from .i18n import LANGS, fmt_date, fmt_number, fmt_value, strings, t
from .model import Citation, Instrument, Plan, Target
from .normalize import Group, Tables, category_groups, province_changes
from .textrender import Annotation, render_text
from .textutil import slugify
from .wording import (Run, issuer_gloss, normal_case_title, replace_target_ids, runs, unit_in_quote, vi_word_runs,
                      written_numbers)

# Above this many plans, pages that list every plan are split into a page per province: the
# matrices (one column per plan) and the category pages (one row per target, one bar per plan).
SPLIT_MAX_PLANS = 60
# Above SPLIT_MAX_PLANS plans, the plan list is cut into pages of this many rows.
PLAN_LIST_PAGE_SIZE = 500
LEVEL_ORDER = ("Trung ương Đảng", "Quốc hội", "Chính phủ", "Thủ tướng Chính phủ", "Bộ", "Tỉnh ủy",
               "HĐND tỉnh", "UBND tỉnh", "Sở", "Khác")


# ---------------------------------------------------------------- gathered data


@dataclass(frozen=True)
class SiteData:
    """Everything gathered and computed before any page is rendered."""

    corpus: object  # model.Corpus
    tables: Tables
    citations: tuple[Citation, ...]
    instruments: dict[str, Instrument]
    base_url: str = ""  # absolute URL the site is published at, for citations ("" = relative)


# ---------------------------------------------------------------- shared parts


@dataclass(frozen=True)
class Link:
    """A link with finished text and URL."""

    text: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class ChartView:
    """A chart as a page shows it: figure JSON, table, source, downloads, permalinks, cite text."""

    id: str
    title: str
    figure_json: str
    description: str
    source: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    csv_url: str
    page_url: str
    embed_url: str
    cite_text: str
    cite_bibtex: str
    embed_snippet: str


@dataclass(frozen=True)
class Base:
    """What the base layout needs on every page."""

    lang: str
    path: str  # site-relative path of this page
    title: str
    description: str
    s: dict  # UI strings of the page's language
    nav: tuple[Link, ...]
    current_nav: str
    alt_url: str  # the same page in the other language
    alt_lang: str
    alt_label: str
    css_url: str
    print_css_url: str
    scripts: tuple[str, ...]
    home_url: str
    data_version: str
    breadcrumbs: tuple[Link, ...] = ()
    canonical: str = ""
    json_ld: str = ""
    search_url: str = ""
    data_url: str = ""
    methodology_url: str = ""


@dataclass(frozen=True)
class Page:
    """One output page: where it goes, which template renders it, and its context."""

    path: str
    template: str
    base: Base
    page: object


# ---------------------------------------------------------------- page contexts


@dataclass(frozen=True)
class GridCell:
    """One province × year cell of the home grid."""

    status: str  # none, no_targets, targets
    label: str
    links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class HomeContext:
    """The home page."""

    years: tuple[int, ...]
    grid: tuple[tuple[Link, tuple[GridCell, ...]], ...]
    charts: tuple[ChartView, ...]
    provinces: tuple[Link, ...]
    categories: tuple[Link, ...]
    instruments: tuple[Link, ...]
    stats: tuple[tuple[str, str], ...]
    pages: tuple[Link, ...]
    # Above SPLIT_MAX_PLANS plans only: what the grid's count cells and the per-province charts mean.
    grid_note: str = ""
    charts_note: str = ""
    charts_links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class PlanRow:
    """A plan in a list."""

    link: Link
    province: Link
    year: str
    number: str
    issued: str
    kind: str
    n_targets: str
    flags: tuple[str, ...]


@dataclass(frozen=True)
class PageLink:
    """One entry of a pagination: a page number, or previous/next (url "" when there is none)."""

    text: str
    label: str  # the accessible name: "Trang 2" for the link that shows "2"
    url: str
    current: bool = False
    rel: str = ""  # "prev" or "next"


@dataclass(frozen=True)
class Pagination:
    """The pages of a paginated list, as each of its pages shows them."""

    label_top: str
    label_bottom: str
    prev: PageLink
    next: PageLink
    pages: tuple[PageLink, ...]


@dataclass(frozen=True)
class PlanListContext:
    """The list of all plans (above SPLIT_MAX_PLANS plans, one page of it)."""

    rows: tuple[PlanRow, ...]
    pagination: Pagination | None = None
    range_note: str = ""
    csv: Link | None = None
    drafts: tuple[PlanRow, ...] = ()  # unreviewed drafts, listed apart (first page only)


@dataclass(frozen=True)
class MetaRow:
    """One row of the metadata card."""

    label: str
    value: str
    unknown: bool = False
    url: str = ""
    lang: str = ""  # "vi" for a Vietnamese value on an English page
    runs: tuple[Run, ...] = ()  # the value in runs, when it mixes languages


@dataclass(frozen=True)
class TargetRow:
    """One target in a table."""

    id: str
    anchor: str
    plan: Link
    category: Link
    subject: str
    value: str
    direction: str
    deadline: str
    quote: str
    quote_url: str
    note: str
    child: bool
    press: bool
    section: str = ""
    subject_vi: str = ""  # on an English page, the subject as the plan words it (shown lang="vi")
    note_runs: tuple[Run, ...] = ()  # the note, its Vietnamese words marked on an English page
    deadline_text: str = ""  # "năm 2021" / "by 2021" / "thời hạn không rõ"
    headline: str = ""  # value and subject in one line: "100% các xã, phường, thị trấn", "15 xã, phường, thị trấn"


@dataclass(frozen=True)
class TargetItem:
    """A top-level target of a plan page and the targets that are its parts."""

    row: TargetRow
    parts: tuple[TargetRow, ...]


@dataclass(frozen=True)
class QuoteItem:
    """A labelled verbatim quote with a link to where it sits in the text."""

    label: str
    quote: str
    url: str
    extra: str = ""


@dataclass(frozen=True)
class AgencyTasks:
    """An agency's tasks in one plan."""

    agency: Link
    items: tuple[QuoteItem, ...]


@dataclass(frozen=True)
class PlanContext:
    """One plan page."""

    plan_id: str
    heading: str
    subtitle: str
    meta: tuple[MetaRow, ...]
    flags: tuple[str, ...]
    targets: tuple[TargetRow, ...]
    no_targets_note: str
    commitments: tuple[QuoteItem, ...]
    tasks: tuple[AgencyTasks, ...]
    themes: tuple[QuoteItem, ...]
    citations: tuple[QuoteItem, ...]
    unresolved: tuple[QuoteItem, ...]
    garbles: tuple[QuoteItem, ...]
    header_left: tuple[str, ...]
    header_right: tuple[str, ...]
    number_line: str
    place_date: str
    sign_authority: str
    sign_title: str
    sign_name: str
    recipients: tuple[str, ...]
    text_html: str
    toc: tuple[Link, ...]
    downloads: tuple[Link, ...]
    cite_text: str
    cite_bibtex: str
    province: Link
    summary: tuple[tuple[Run, ...], ...]  # paragraphs made from the data, in the page's language
    notable: tuple[tuple[Run, ...], ...]  # a few top-level targets, named in the summary
    target_items: tuple[TargetItem, ...]
    jump: tuple[Link, ...]
    provenance: str


@dataclass(frozen=True)
class ChangeRow:
    """A target that moved between two plans of a province."""

    kind: str
    kind_label: str
    what: str
    before: str
    before_quote: str
    before_url: str
    after: str
    after_quote: str
    after_url: str


@dataclass(frozen=True)
class ComparisonBlock:
    """Two consecutive plans of a province and how their targets changed."""

    before: Link
    after: Link
    rows: tuple[ChangeRow, ...]
    note: str


@dataclass(frozen=True)
class ProvinceContext:
    """One province page."""

    name: str
    timeline: tuple[tuple[str, Link, str], ...]  # (year, plan link, summary)
    comparisons: tuple[ComparisonBlock, ...]
    single_note: str
    categories: tuple[Link, ...] = ()  # its page of each category, when category pages are split


@dataclass(frozen=True)
class LinkListContext:
    """An index page: a titled list of links with notes."""

    intro: str
    items: tuple[Link, ...]


@dataclass(frozen=True)
class GroupView:
    """One comparability group of a category."""

    anchor: str
    heading: str
    chart: ChartView | None
    rows: tuple[TargetRow, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True)
class CategoryContext:
    """One category page."""

    label: str
    definition: str
    comparable_when: str
    groups: tuple[GroupView, ...]
    summary_note: str
    n_targets: str


@dataclass(frozen=True)
class CategoryProvinceContext(CategoryContext):
    """A category page restricted to the plans of one province (category pages split by province)."""

    scope_note: str
    overview: Link


@dataclass(frozen=True)
class ProvinceSummaryRow:
    """One province's targets in a comparability group, summed up on a category overview."""

    province: Link  # the group on the province's own category page
    n_targets: str
    lowest: str
    highest: str
    latest: str  # the value its latest plan states
    latest_plan: Link  # the latest plan, linked to the quote in its text
    press: bool


@dataclass(frozen=True)
class OverviewGroupView:
    """One comparability group on a category overview: a chart and a row per province."""

    anchor: str
    heading: str
    chart: ChartView | None
    rows: tuple[ProvinceSummaryRow, ...]
    notes: tuple[str, ...]
    caption: str


@dataclass(frozen=True)
class CategoryOverviewContext:
    """A category page when there are too many plans to list: a summary per province and group."""

    label: str
    definition: str
    comparable_when: str
    intro: tuple[str, ...]
    groups: tuple[OverviewGroupView, ...]
    summary_note: str
    n_targets: str


@dataclass(frozen=True)
class MatrixView:
    """A rows × plans matrix: each cell lists what the plan says."""

    anchor: str
    title: str
    columns: tuple[Link, ...]
    rows: tuple[tuple[Link, tuple[tuple[QuoteItem, ...], ...]], ...]
    csv_url: str


@dataclass(frozen=True)
class MatricesContext:
    """Agencies × plans, themes × plans, commitments × plans."""

    matrices: tuple[MatrixView, ...]


@dataclass(frozen=True)
class InstrumentRow:
    """An instrument in the legal index."""

    link: Link
    type: str
    number: str
    issuer: str
    level: str
    level_rank: int
    issued: str
    issued_sort: str
    cited_by: int


@dataclass(frozen=True)
class LegalIndexContext:
    """The legal bases index: instruments by level and type, the network and the matrix."""

    rows: tuple[InstrumentRow, ...]
    levels: tuple[str, ...]
    types: tuple[str, ...]
    network: ChartView | None
    matrix_columns: tuple[Link, ...]
    matrix_rows: tuple[tuple[Link, tuple[str, ...]], ...]
    network_note: str = ""  # above SPLIT_MAX_PLANS plans: why the network draws provinces


@dataclass(frozen=True)
class CitingRow:
    """A plan citing an instrument."""

    plan: Link
    province: str
    plan_issued: str
    lag: str
    as_written: str
    sentence: str
    url: str


@dataclass(frozen=True)
class InstrumentContext:
    """One legal instrument page."""

    heading: str
    meta: tuple[MetaRow, ...]
    citing: tuple[CitingRow, ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class InstrumentProvinceContext(InstrumentContext):
    """An instrument page restricted to the plans of one province (instrument pages split by province)."""

    scope_note: str
    overview: Link
    caption: str


@dataclass(frozen=True)
class ProvinceCitingRow:
    """One province's plans citing an instrument, summed up on a split instrument page."""

    province: Link  # the province's own page of the instrument
    n_plans: str
    first_year: str
    latest_year: str
    shortest_lag: str
    longest_lag: str


@dataclass(frozen=True)
class InstrumentOverviewContext:
    """An instrument page when there are too many plans to list: its citing plans summed up by province."""

    heading: str
    meta: tuple[MetaRow, ...]
    names: tuple[str, ...]
    intro: tuple[str, ...]
    rows: tuple[ProvinceCitingRow, ...]
    caption: str


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
    """The data page."""

    files: tuple[DataFile, ...]
    version: str
    changelog_url: str
    zip_url: str
    datapackage_url: str
    readme_url: str


@dataclass(frozen=True)
class MethodologyContext:
    """The methodology page."""

    categories: tuple[tuple[str, str, str, str], ...]
    sources: tuple[tuple[Link, str, str, str], ...]
    commitments: tuple[tuple[str, str], ...]
    # Above SPLIT_MAX_PLANS plans, instead of `sources`: plans by source kind (kind, plans, excerpts).
    source_counts: tuple[tuple[str, str, str], ...] = ()
    sources_note: str = ""
    source_links: tuple[Link, ...] = ()


@dataclass(frozen=True)
class SearchContext:
    """The search page (Pagefind's index and UI, built after the pages)."""

    css_url: str
    bundle_url: str


@dataclass(frozen=True)
class ChartPageContext:
    """A chart's own page (permalink) or its embed page."""

    chart: ChartView
    back: Link


# ---------------------------------------------------------------- paths and links


def lang_path(lang: str, path: str) -> str:
    """The site path of a page in a language: Vietnamese at the root, English under en/."""
    return path if lang == "vi" else f"en/{path}"


def rel(from_path: str, to_path: str) -> str:
    """A relative URL from one page to another site path (keeps #fragments)."""
    target, _, frag = to_path.partition("#")
    # rpartition is posixpath.dirname/basename for the site's own paths, at a fraction of the cost.
    folder, _, name = from_path.rpartition("/")
    url = _relpath(target, folder) if target else name
    return url + (f"#{frag}" if frag else "")


@lru_cache(maxsize=1 << 16)
def _relpath(target: str, base: str) -> str:
    """posixpath.relpath(target, base or ".") for the site's own clean relative paths, without its
    os.getcwd() call per link (profiled: the most frequent call of the context stage)."""
    if not base or target.startswith("/") or "/." in f"/{target}" or "/." in f"/{base}" or "//" in target:
        return posixpath.relpath(target, base or ".")
    t_parts, b_parts = target.split("/"), base.split("/")
    n = 0
    while n < len(t_parts) and n < len(b_parts) and t_parts[n] == b_parts[n]:
        n += 1
    return "/".join([".."] * (len(b_parts) - n) + t_parts[n:]) or "."


def plan_path(plan_id: str) -> str:
    """Site path of a plan page."""
    return f"plans/{plan_id}.html"


def province_path(province: str) -> str:
    """Site path of a province page."""
    return f"provinces/{slugify(province)}.html"


def category_path(cat: str) -> str:
    """Site path of a category page."""
    return f"categories/{cat.replace('_', '-')}.html"


def category_province_path(cat: str, province: str) -> str:
    """Site path of a category page restricted to one province (when category pages are split)."""
    return f"categories/{cat.replace('_', '-')}/{slugify(province)}.html"


def instrument_path(legal_id: str) -> str:
    """Site path of a legal instrument page."""
    return f"legal/{legal_id}.html"


def instrument_province_path(legal_id: str, province: str) -> str:
    """Site path of an instrument page restricted to one province (when instrument pages are split)."""
    return f"legal/{legal_id}/{slugify(province)}.html"


def chart_path(chart_id: str) -> str:
    """Site path of a chart's permalink page."""
    return f"charts/{chart_id}.html"


def chart_csv_path(chart_id: str, lang: str) -> str:
    """Site path of the CSV of a chart's data as drawn in one language."""
    return f"data/charts/{chart_id}.csv" if lang == "vi" else f"data/charts/{chart_id}.en.csv"


def embed_path(chart_id: str) -> str:
    """Site path of a chart's embed page."""
    return f"embed/{chart_id}.html"


# English names of Vietnamese document types, for the English edition.
DOC_TYPES_EN = {"Kế hoạch": "Plan", "Chỉ thị": "Directive", "Quyết định": "Decision", "Nghị định": "Decree",
                "Nghị quyết": "Resolution", "Công văn": "Official letter", "Luật": "Law", "Pháp lệnh": "Ordinance",
                "Kết luận": "Conclusion", "Chương trình hành động": "Action programme", "Chương trình": "Programme",
                "Chiến lược": "Strategy", "Thông tư": "Circular", "Hướng dẫn": "Guidance", "Đề án": "Scheme"}

NAV = (("home", "index.html"), ("plans", "plans/index.html"), ("provinces", "provinces/index.html"),
       ("categories", "categories/index.html"), ("legal", "legal/index.html"), ("matrices", "matrices.html"),
       ("data", "data.html"), ("methodology", "methodology.html"), ("search", "search.html"))


class Builder:
    """Builds every page context of one language from the gathered SiteData."""

    def __init__(self, site: SiteData, lang: str):
        self.site = site
        self.lang = lang
        self.s = strings(lang)
        self.corpus = site.corpus
        self.lk = site.corpus.lookups
        # Drafts (status: draft) have their own page and a list of their own; nothing else counts them.
        self.plans = {p.id: p for p in (*site.corpus.plans, *getattr(site.corpus, "drafts", ()))}
        self.charts: dict[str, Chart] = {}
        self.chart_homes: dict[str, str] = {}
        # Indexes built once, so that no page scans every plan or citation (O(n) per page was
        # O(n^2) per site: plan_label, plan(), instrument(), the home grid, category rows).
        plans = site.corpus.plans
        self._twins = Counter((p.province, p.year) for p in plans)
        self._cell: dict[tuple[str, int], list[Plan]] = defaultdict(list)
        self._by_province: dict[str, list[Plan]] = defaultdict(list)
        for p in plans:
            self._cell[(p.province, p.year)].append(p)
            self._by_province[p.province].append(p)
        self._cat_count = Counter(tg.category for p in plans for tg in p.targets)
        self._province_cat_count = Counter((p.province, tg.category) for p in plans for tg in p.targets)
        self._groups: dict[str, list[tuple[Group, list[Target]]]] = {}
        self._target = {(p.id, tg.id): tg for p in plans for tg in p.targets}
        self._cites_of_plan: dict[str, list[Citation]] = defaultdict(list)
        self._cites_of_inst: dict[str, list[Citation]] = defaultdict(list)
        for c in site.citations:
            self._cites_of_plan[c.plan_id].append(c)
            if c.legal_id:
                self._cites_of_inst[c.legal_id].append(c)
        self._figure_json: dict[int, tuple[Chart, str]] = {}

    # -------------------------------------------------------- helpers

    def t(self, key: str, **kw) -> str:
        return t(self.lang, key, **kw)

    def garble_remark(self, g) -> str:
        """What is wrong with a garbled spot that is not a misspelling, in the page's language."""
        return g.remark_en if self.lang == "en" and g.remark_en else g.remark

    def garble_title(self, g) -> str:
        """The tooltip of a garbled spot in the text."""
        if g.note:
            return self.t("garbled_title", note=g.note)
        return self.t("garbled_remark", remark=self.garble_remark(g))

    def count_targets(self, n: int) -> str:
        """'3 chỉ tiêu' / '3 targets', '1 target' (English has a singular, Vietnamese does not)."""
        return self.t("n_targets_one" if n == 1 else "n_targets", n=fmt_number(n, self.lang))

    def label(self, table: dict, key: str) -> str:
        entry = table.get(key)
        if entry is None:
            return key
        return entry.vi if self.lang == "vi" else entry.en

    def plan_label(self, p: Plan) -> str:
        """'Quảng Ninh 2021' (with the number when several plans share a province and year)."""
        tail = f" ({p.number})" if self._twins[(p.province, p.year)] > 1 and p.number else ""
        return f"{p.province} {p.year}{tail}"

    def plan_title(self, p: Plan) -> str:
        number = f" {self.t('number_short')} {p.number}" if p.number else ""
        doc_type = DOC_TYPES_EN.get(p.doc_type, p.doc_type) if self.lang == "en" else p.doc_type
        return f"{doc_type}{number} — {p.province} {p.year}"

    def doc_type(self, vi: str) -> str:
        """A document type as the page's language names it: 'Kế hoạch (Plan)' in English."""
        en = DOC_TYPES_EN.get(vi)
        return f"{vi} ({en})" if self.lang == "en" and en else vi

    def base(self, path: str, title: str, description: str, nav: str, *, scripts=(), crumbs=(),
             json_ld: str = "") -> Base:
        lp = lang_path(self.lang, path)
        other = "en" if self.lang == "vi" else "vi"
        assets = ["assets/site.js"]
        return Base(
            lang=self.lang, path=lp, title=title, description=description, s=self.s,
            nav=tuple(Link(self.t("nav_" + key), rel(lp, lang_path(self.lang, p))) for key, p in NAV),
            current_nav=self.t("nav_" + nav) if nav else "",
            alt_url=rel(lp, lang_path(other, path)), alt_lang=other, alt_label=self.t("alt_language"),
            css_url=rel(lp, "assets/style.css"), print_css_url=rel(lp, "assets/print.css"),
            scripts=tuple(rel(lp, s) for s in (*scripts, *assets)),
            home_url=rel(lp, lang_path(self.lang, "index.html")),
            data_version=self.corpus.data_version,
            breadcrumbs=tuple(Link(text, rel(lp, lang_path(self.lang, p))) for text, p in crumbs),
            canonical=(self.site.base_url.rstrip("/") + "/" + lp) if self.site.base_url else "",
            json_ld=json_ld,
            search_url=rel(lp, lang_path(self.lang, "search.html")),
            data_url=rel(lp, lang_path(self.lang, "data.html")),
            methodology_url=rel(lp, lang_path(self.lang, "methodology.html")),
        )

    def url(self, from_path: str, to: str) -> str:
        return rel(lang_path(self.lang, from_path), lang_path(self.lang, to))

    def data_url(self, from_path: str, name: str) -> str:
        return rel(lang_path(self.lang, from_path), f"data/{name}")

    def unit_label(self, unit: str) -> str:
        return self.label(self.lk.units, unit)

    def target_value(self, tg: Target) -> str:
        return fmt_value(tg.value, tg.value_max, tg.comparator, self.unit_label(tg.unit), self.lang)

    def quote_url(self, from_path: str, tg: Target, anchors: dict[str, str] | None = None) -> str:
        """URL of a target's highlighted quote in its plan's text."""
        anchor = (anchors or {}).get(tg.id, f"q-{tg.id}")
        return self.url(from_path, f"{plan_path(tg.plan_id)}#{anchor}")

    def target_row(self, from_path: str, tg: Target, anchors: dict[str, str] | None = None) -> TargetRow:
        p = self.plans[tg.plan_id]
        return TargetRow(
            id=tg.id, anchor=f"target-{tg.id}",
            plan=Link(self.plan_label(p), self.url(from_path, plan_path(p.id))),
            category=Link(self.label(self.lk.categories, tg.category), self.url(from_path, category_path(tg.category))),
            subject=self.label(self.lk.subjects, tg.subject) if self.lang == "en" else tg.subject_text,
            subject_vi=tg.subject_text if self.lang == "en" else "",
            value=self.reader_value(tg), headline=self.target_headline(tg),
            direction=self.t("dir_" + tg.direction.replace(" ", "_")),
            deadline=str(tg.deadline) if tg.deadline else self.t("unknown"),
            deadline_text=self.t("target_by", year=tg.deadline) if tg.deadline else self.t("target_no_deadline"),
            quote=tg.quote, quote_url=self.quote_url(from_path, tg, anchors),
            note=self.target_note(tg), note_runs=runs(self.target_note(tg), self.lang),
            child=tg.parent is not None, press=p.source_kind == "press",
        )

    # -------------------------------------------------- wording a reader sees (issue 14)
    # Units in the quote's own words, no internal ids, plain requirements, and the plan page's
    # summary made from the data alone.

    def reader_value(self, tg: Target) -> str:
        """A target's value in the words of its quote: '15 xã, phường, thị trấn', not '15 đơn vị'
        (in English the subject's English label: '15 communes'). Other units as target_value."""
        unit = self.lk.units.get(tg.unit)
        if unit is None or unit.kind == "percent":
            return self.target_value(tg)
        words = unit_in_quote(tg.quote, written_numbers(tg.value_max or tg.value), tg.subject_text)
        if unit.kind == "count" and words and words.lower() != unit.vi.lower():
            label = words if self.lang == "vi" else self.label(self.lk.subjects, tg.subject)
            return fmt_value(tg.value, tg.value_max, tg.comparator, label, self.lang)
        if unit.kind == "rate" and unit.vi.endswith("đơn vị") and self.lang == "vi":
            bare = tg.subject_text.removeprefix("các ").removeprefix("những ")
            return fmt_value(tg.value, tg.value_max, tg.comparator, unit.vi.replace("đơn vị", bare), self.lang)
        return self.target_value(tg)

    def target_headline(self, tg: Target) -> str:
        """Value and subject in one line, the subject left out when the value already says it."""
        value = self.reader_value(tg)
        subject = self.label(self.lk.subjects, tg.subject) if self.lang == "en" else tg.subject_text
        bare = subject.removeprefix("các ")
        if bare in value:
            return value
        unit = self.lk.units.get(tg.unit)
        kind = unit.kind if unit is not None else ""
        # A rate reads subject first: "bài hoặc tin: ≥ 1 lần/tháng", "communes: ≥ 1 per unit".
        if kind == "rate":
            return f"{subject}: {value}"
        # "900 treatment episodes — people who use drugs" (Vietnamese counts name their subject in the value).
        if kind == "count" and self.lang == "en":
            return f"{value} — {subject}"
        return f"{value} {subject}"

    @lru_cache(maxsize=None)
    def target_names(self, plan_id: str) -> dict[str, str]:
        """Each target id of a plan -> how a note names it for a reader ('chỉ tiêu “15 xã”')."""
        p = self.plans[plan_id]
        return {tg.id: self.t("target_ref", value=self.reader_value(tg)) for tg in p.targets}

    def target_note(self, tg: Target) -> str:
        """A target's note in the page's language, other targets named by what they say, not by id."""
        note = (tg.note_en or tg.note) if self.lang == "en" else tg.note
        return replace_target_ids(note, self.target_names(tg.plan_id)) if note else ""

    def issuer_runs(self, issuer: str | None, province: str) -> tuple[Run, ...]:
        """An issuer as the page names it: in English a gloss of the standard forms ('the People's
        Committee of Trà Vinh Province'), otherwise the Vietnamese name marked lang="vi"."""
        if not issuer:
            return (Run(self.t("unknown")),)
        if self.lang == "en":
            gloss = issuer_gloss(issuer, province)
            if gloss:
                return (Run(gloss),)
            return (Run(issuer, "vi"),)
        return (Run(issuer),)

    def plan_summary(self, p: Plan, citations: list[QuoteItem], tasks: tuple[AgencyTasks, ...]) \
            -> tuple[tuple[tuple[Run, ...], ...], tuple[tuple[Run, ...], ...]]:
        """The plan page's summary paragraphs and its notable targets, every fact from the data:
        what the data lacks is said to be unknown, never filled in."""
        en, unknown = self.lang == "en", self.t("unknown")
        vi_or_plain = (lambda text: Run(text, "vi")) if en else Run
        doc = (Run(f"{DOC_TYPES_EN.get(p.doc_type, p.doc_type)} ("), Run(p.doc_type, "vi"), Run(")")) \
            if en and p.doc_type in DOC_TYPES_EN else (vi_or_plain(p.doc_type),)
        what = [*self.fill("sum_what", doc_type=doc, number=p.number or self.t("sum_number_unknown"),
                           issuer=self.issuer_runs(p.issuer, p.province)), Run(" ")]
        if p.source_kind == "press":
            what.append(Run(self.t("sum_press", outlet=p.press_outlet or unknown,
                                   date=fmt_date(p.press_published, self.lang) or unknown) + " "))
        what.append(Run((self.t("sum_issued", date=fmt_date(p.issued, self.lang)) if p.issued
                         else self.t("sum_issued_unknown")) + " "))
        if p.signer:
            title = (Run(", " if en else " ("), vi_or_plain(normal_case_title(p.signer_title)),
                     Run("" if en else ")")) if p.signer_title else (Run(self.t("sum_signer_title_unknown")),)
            what += self.fill("sum_signed", name=(vi_or_plain(p.signer),), title=title)
        else:
            what.append(Run(self.t("sum_signed_unknown")))
        period = str(p.year) if p.year == p.period_end else f"{p.year}–{p.period_end}"
        topics = ", ".join(dict.fromkeys(self.label(self.lk.themes, th.theme) for th in p.themes)) or unknown
        paras = [tuple(what), (Run(self.t("sum_period", period=period) + " " + self.t("sum_topics", topics=topics)),)]
        top = [tg for tg in p.targets if tg.parent is None]
        parts = len(p.targets) - len(top)
        if top:
            key = "sum_target_one" if len(top) == 1 else "sum_targets"
            paras.append((Run(self.t(key, n=fmt_number(len(top), self.lang),
                                     parts=self.t("sum_parts", n=fmt_number(parts, self.lang)) if parts else "")
                              + " " + self.t("sum_notable")),))
        else:
            paras.append((Run(self.t("sum_no_targets")),))
        # The first top-level target of each category, in the order of the text: a rule a reader can
        # check, rather than a judgement of importance the data does not make.
        firsts = {}
        for tg in top:
            firsts.setdefault(tg.category, tg)
        notable = tuple((Run(f"{self.target_headline(tg)} ({self.label(self.lk.categories, tg.category)})"),)
                        for tg in list(firsts.values())[:4])
        if citations:
            names = []
            for i, c in enumerate(citations[:3]):
                names += [Run(", ")] if i else []
                names.append(Run(c.label, "vi" if en and vi_word_runs(c.label) else ""))  # "Luật ...", not "Decree 116/…"
            paras.append(tuple(self.fill("sum_legal" if len(citations) > 3 else "sum_legal_all",
                                         n=fmt_number(len(citations), self.lang), docs=tuple(names))))
        else:
            paras.append((Run(self.t("sum_legal_none")),))
        if tasks:
            lead = self.t("role_chủ_trì")  # agencies that lead a task first: they answer for it
            tasks = sorted(tasks, key=lambda a: not any(q.label == lead for q in a.items))
            shown = "; ".join(a.agency.text for a in tasks[:4])  # names may hold commas
            if len(tasks) > 4:
                shown = self.t("sum_responsible_more", agencies=shown, n=fmt_number(len(tasks) - 4, self.lang))
            paras.append(runs(self.t("sum_responsible", agencies=shown), self.lang))
        else:
            paras.append((Run(self.t("sum_responsible_none")),))
        if en:
            paras.append((Run(self.t("sum_original")),))
        return tuple(paras), notable

    def doc_type_runs(self, vi: str) -> tuple[Run, ...]:
        """A document type: 'Kế hoạch' in Vietnamese, 'Plan (Kế hoạch)' in English, the Vietnamese marked."""
        en = DOC_TYPES_EN.get(vi)
        if self.lang == "vi":
            return (Run(vi),)
        return (Run(f"{en} ("), Run(vi, "vi"), Run(")")) if en else (Run(vi, "vi"),)

    def one_language(self, text: str) -> str:
        """The page's half of a bilingual 'Vietnamese / English' text (the data dictionary writes both)."""
        halves = text.split(" / ")
        if len(halves) != 2:
            return text
        return halves[0] if self.lang == "vi" else halves[1]

    def plan_jump_links(self, p: Plan, commitments, garbles) -> tuple[Link, ...]:
        """Links to the plan page's sections, in page order (sections the page leaves out, left out)."""
        sections = [("section_targets", "chi-tieu"), ("section_commitments", "cam-ket") if commitments else None,
                    ("section_tasks", "nhiem-vu"), ("section_themes", "chu-de"), ("section_legal", "can-cu"),
                    ("plan_card_label", "thong-tin"), ("section_garbled", "loi-chu") if garbles else None,
                    ("section_downloads", "tai-ve") if not p.is_draft else None, ("section_text", "toan-van")]
        return tuple(Link(self.t(key), f"#{anchor}") for key, anchor in filter(None, sections))

    def fill(self, key: str, **parts) -> list[Run]:
        """A UI string with its {placeholders} filled: a str as text, a tuple of Runs kept as runs (so a
        Vietnamese name inside an English sentence keeps its own lang)."""
        out: list[Run] = []
        for i, piece in enumerate(re.split(r"\{(\w+)\}", self.t(key))):
            if i % 2 == 0:
                out += [Run(piece)] if piece else []
            elif isinstance(parts[piece], str):
                out.append(Run(parts[piece]))
            else:
                out += list(parts[piece])
        return out

    def subject_runs(self, tg: Target) -> tuple[Run, ...]:
        """A target's subject: the plan's words, and on an English page the English label first."""
        if self.lang == "en":
            return (Run(f"{self.label(self.lk.subjects, tg.subject)} ("), Run(tg.subject_text, "vi"), Run(")"))
        return (Run(tg.subject_text),)

    def target_items(self, rows: tuple[TargetRow, ...], p: Plan) -> tuple[TargetItem, ...]:
        """The plan's top-level targets in order, each with its parts."""
        parent = {tg.id: tg.parent for tg in p.targets}

        def root(ident: str) -> str:  # a part of a part is listed under the top-level target
            seen = set()
            while parent.get(ident) and ident not in seen:
                seen.add(ident)
                ident = parent[ident]
            return ident
        parts: dict[str, list[TargetRow]] = defaultdict(list)
        for r in rows:
            if parent.get(r.id):
                parts[root(r.id)].append(r)
        return tuple(TargetItem(r, tuple(parts.get(r.id, ()))) for r in rows if not parent.get(r.id))

    def source_line(self, plan_ids) -> str:
        docs = []
        # dict.fromkeys, not set: plans of one province and year keep their order, whatever the hash seed
        # (with a set, two builds of a corpus with such plans differed).
        for pid in sorted(dict.fromkeys(plan_ids), key=lambda i: (self.plans[i].province, self.plans[i].year)):
            p = self.plans[pid]
            docs.append(self.doc_reference(p))
        return self.t("chart_source", docs="; ".join(docs))

    def source_line_at_scale(self, plan_ids, download: str = "plans.csv") -> str:
        """source_line, or above SPLIT_MAX_PLANS plans how many plans of how many provinces, and the download
        that lists them."""
        if not self.split_by_province:
            return self.source_line(plan_ids)
        # A count rather than every document: at a national corpus the list alone was megabytes, and it
        # is repeated in the cite text and the BibTeX. The URL is written out: the line is copied elsewhere.
        ids = set(plan_ids)
        where = f"data/{download}"
        url = f"{self.site.base_url.rstrip('/')}/{where}" if self.site.base_url else where
        return self.t("chart_source_many", n=fmt_number(len(ids), self.lang),
                      m=fmt_number(len({self.plans[i].province for i in ids}), self.lang), url=url)

    def doc_reference(self, p: Plan) -> str:
        """'Kế hoạch 27/KH-UBND ngày 02/02/2021 của Ủy ban nhân dân tỉnh Quảng Ninh'; in English "Plan
        27/KH-UBND of 2 February 2021 by the People's Committee of Quảng Ninh Province" (a name with
        no English gloss stays Vietnamese)."""
        parts = [DOC_TYPES_EN.get(p.doc_type, p.doc_type) if self.lang == "en" else p.doc_type]
        if p.number:
            parts.append(p.number)
        if p.issued:
            parts.append(self.t("dated", date=fmt_date(p.issued, self.lang)))
        if p.issuer:
            gloss = issuer_gloss(p.issuer, p.province) if self.lang == "en" else ""
            parts.append(self.t("issued_by", issuer=gloss or p.issuer))
        ref = " ".join(parts)
        if p.source_kind == "press":
            ref += " " + self.t("via_press", outlet=p.press_outlet or self.t("unknown"),
                                date=fmt_date(p.press_published, self.lang) or self.t("unknown"))
        return ref

    def chart_view(self, from_path: str, chart: Chart, home: str) -> ChartView:
        self.charts[chart.id] = chart
        self.chart_homes.setdefault(chart.id, home)
        lp = lang_path(self.lang, from_path)
        page_url = rel(lp, lang_path(self.lang, chart_path(chart.id)))
        permalink = (self.site.base_url.rstrip("/") + "/" + lang_path(self.lang, chart_path(chart.id))
                     if self.site.base_url else lang_path(self.lang, chart_path(chart.id)))
        embed_abs = (self.site.base_url.rstrip("/") + "/" + lang_path(self.lang, embed_path(chart.id))
                     if self.site.base_url else lang_path(self.lang, embed_path(chart.id)))
        version = self.corpus.data_version
        cite = self.t("cite_chart", title=chart.title, source=chart.source, version=version, url=permalink)
        bibtex = _bibtex(f"kehoach-{chart.id}", chart.title, self.t("site_name"), version, permalink,
                         chart.source)
        return ChartView(
            id=chart.id, title=chart.title, figure_json=self.figure_json(chart), description=chart.description,
            source=chart.source, columns=chart.columns, rows=chart.rows,
            csv_url=rel(lp, chart_csv_path(chart.id, self.lang)), page_url=page_url,
            embed_url=rel(lp, lang_path(self.lang, embed_path(chart.id))), cite_text=cite, cite_bibtex=bibtex,
            embed_snippet=f'<iframe src="{html.escape(embed_abs)}" title="{html.escape(chart.title)}" '
                          f'width="100%" height="480" '
                          f'style="border:0" loading="lazy"></iframe>',
        )

    def figure_json(self, chart: Chart) -> str:
        """A chart's figure serialized once, however many pages show it (its page, the chart page, the embed)."""
        hit = self._figure_json.get(id(chart))
        if hit is None or hit[0] is not chart:
            hit = self._figure_json[id(chart)] = (chart, figure_json(chart.figure))
        return hit[1]

    # -------------------------------------------------------- pages

    def home(self) -> Page:
        """The home page: coverage grid, headline charts, ways in (summarized above SPLIT_MAX_PLANS plans)."""
        path = "index.html"
        plans = self.corpus.plans
        split = self.split_by_province
        years = tuple(sorted({p.year for p in plans}))
        provinces = sorted({p.province for p in plans})
        grid = []
        for prov in provinces:
            cells = []
            for y in years:
                here = self._cell.get((prov, y), [])
                if not here:
                    cells.append(GridCell("none", self.t("grid_none")))
                    continue
                status = "targets" if any(p.targets for p in here) else "no_targets"
                if split and len(here) > 1:
                    # The province page lists them (it has no anchor per year to land on).
                    links = (Link(self.t("grid_n_plans", n=fmt_number(len(here), self.lang)),
                                  self.url(path, province_path(prov))),)
                else:
                    links = tuple(Link(self.t("grid_" + status, n=fmt_number(len(p.targets), self.lang)) +
                                       (f" ({self.t('kind_press')})" if p.source_kind == "press" else ""),
                                       self.url(path, plan_path(p.id))) for p in here)
                cells.append(GridCell(status, self.t("grid_" + status, n=""), links))
            grid.append((Link(prov, self.url(path, province_path(prov))), tuple(cells)))
        charts = [self.chart_view(path, self.counts_chart(), path)]
        charts += [self.chart_view(path, c, path) for c in self.headline_charts()]
        split_notes = {}
        if split:
            split_notes = dict(
                grid_note=self.t("grid_note_split"),
                charts_note=self.t("home_charts_latest", n=fmt_number(len(plans), self.lang),
                                   m=fmt_number(len(provinces), self.lang)),
                charts_links=(Link(self.t("home_all_plans"), self.url(path, "plans/index.html")),
                              Link(self.t("home_download"), self.url(path, "data.html"))))
        stats = (
            (self.t("stat_plans"), fmt_number(len(plans), self.lang)),
            (self.t("stat_provinces"), fmt_number(len(provinces), self.lang)),
            (self.t("stat_targets"), fmt_number(sum(len(p.targets) for p in plans), self.lang)),
            (self.t("stat_instruments"), fmt_number(len(self.site.instruments), self.lang)),
        )
        cats = tuple(Link(self.label(self.lk.categories, c), self.url(path, category_path(c)),
                          self.count_targets(self._count_cat(c)))
                     for c in self.lk.categories)
        insts = tuple(Link(self.instrument_label(i), self.url(path, instrument_path(i.id)))
                      for i in self.top_instruments())
        pages = tuple(Link(self.t("nav_" + k), self.url(path, p)) for k, p in NAV[1:])
        ctx = HomeContext(years, tuple(grid), tuple(charts),
                          tuple(Link(p, self.url(path, province_path(p))) for p in provinces), cats, insts,
                          stats, pages, **split_notes)
        return Page(lang_path(self.lang, path), "home.html",
                    self.base(path, self.t("home_title"), self.t("home_description"), "home",
                              scripts=("assets/plotly-basic.min.js", "assets/charts.js")), ctx)

    def _count_cat(self, cat: str) -> int:
        return self._cat_count[cat]

    def counts_chart(self) -> Chart:
        """Targets by category per plan; above SPLIT_MAX_PLANS plans, of each province's latest plan."""
        if self.split_by_province:
            return self.latest_counts_chart()
        plans = [p for p in self.corpus.plans]
        cats = [c for c in self.lk.categories if self._count_cat(c)]
        series = [(self.label(self.lk.categories, c),
                   [sum(1 for tg in p.targets if tg.category == c) for p in plans]) for c in cats]
        return counts_chart("so-chi-tieu-theo-nhom", self.t("chart_counts_title"),
                            [self.plan_label(p) for p in plans], series, self.lang,
                            self.source_line([p.id for p in plans]), self.t("chart_counts_y"))

    def group_targets(self, g: Group) -> list[Target]:
        """A group's targets in its rows' order (year, province, plan, target)."""
        return [self._target[(pid, tid)] for pid, tid in zip(g.rows["plan_id"], g.rows["target_id"])]

    def group_chart(self, g: Group, chart_id: str = "", title: str = "", targets: list[Target] | None = None) -> Chart:
        """The comparison chart of a group (or of some of its targets): one bar per top-level target."""
        rows = []
        for tg in self.group_targets(g) if targets is None else targets:
            if tg.parent:
                continue
            p = self.plans[tg.plan_id]
            rows.append({"plan_id": p.id, "label": self.plan_label(p), "value": float(tg.value),
                         "value_max": None if tg.value_max is None else float(tg.value_max),
                         "comparator": tg.comparator, "subject_text": tg.subject_text,
                         "source_kind": p.source_kind, "unit": tg.unit})
        title = title or self.t("chart_group_title", category=self.label(self.lk.categories, g.category),
                                subject=self.label(self.lk.subjects, g.subject), unit=self.unit_label(g.unit))
        return comparison_chart(chart_id or g.key, title, rows, self.unit_label(g.unit), self.lang,
                                self.source_line([r["plan_id"] for r in rows]))

    def comparable_groups(self) -> list[Group]:
        out = []
        for cat in self.lk.categories:
            for g in category_groups(self.site.tables.targets, cat):
                top = g.rows[g.rows["parent"] == ""]
                if top["plan_id"].nunique() >= 2:
                    out.append(g)
        return out

    def headline_charts(self) -> list[Chart]:
        """The home page's comparisons: the first three comparable groups (above SPLIT_MAX_PLANS plans,
        each province's latest value of the first three groups that two provinces state)."""
        if not self.split_by_province:
            return [self.group_chart(g) for g in self.comparable_groups()[:3]]
        out = []
        for cat in self.lk.categories:
            for g, targets in self.groups_with_targets(cat):
                bars = self.latest_bars(g, targets)
                if len(bars) >= 2:
                    out.append(self.headline_latest_chart(g, bars))
                    if len(out) == 3:
                        return out
        return out

    def latest_plan(self, province: str) -> Plan:
        """A province's latest plan: latest year, then latest issue date (as the category overviews rank them)."""
        return max(self._by_province[province], key=lambda p: (p.year, p.issued or "", p.id))

    def latest_bars(self, g: Group, targets: list[Target]) -> list[dict]:
        """The bars of a group's category overview chart: each province's latest value, by province."""
        path = category_path(g.category)
        bars = (self._province_summary(path, g, prov, mine)[1] for prov, mine in self._by_province_of(targets).items())
        return [bar for bar in bars if bar is not None]

    def headline_latest_chart(self, g: Group, bars: list[dict]) -> Chart:
        """A group's category overview chart for the home page: the same bars, title and table, with
        a source line that counts the plans drawn instead of naming each (their own id: the source differs)."""
        chart_id = f"trang-chu--{g.key}"
        title = self.t("chart_latest_title", category=self.label(self.lk.categories, g.category),
                       subject=self.label(self.lk.subjects, g.subject), unit=self.unit_label(g.unit))
        return latest_chart(chart_id, title, bars, self.unit_label(g.unit), self.lang,
                            self.source_summary(chart_id, [b["plan_id"] for b in bars]))

    def latest_counts_chart(self) -> Chart:
        """Targets by category in each province's latest plan: one stacked bar per province."""
        chart_id = "so-chi-tieu-theo-nhom--theo-tinh"
        latest = [self.latest_plan(prov) for prov in sorted(self._by_province)]
        counts = [Counter(tg.category for tg in p.targets) for p in latest]
        series = [(self.label(self.lk.categories, c), [n[c] for n in counts])
                  for c in self.lk.categories if any(n[c] for n in counts)]
        bars = [{"province": p.province, "plan_id": p.id, "plan_label": self.plan_label(p)} for p in latest]
        return latest_counts_chart(chart_id, self.t("chart_counts_latest_title"), bars, series, self.lang,
                                   self.source_summary(chart_id, [p.id for p in latest]), self.t("chart_counts_y"))

    def source_summary(self, chart_id: str, plan_ids) -> str:
        """A chart's source line that counts its plans and points to its CSV instead of naming each
        plan (source_line names each: too long for a chart of every province)."""
        ids = set(plan_ids)
        csv = chart_csv_path(chart_id, self.lang)
        url = self.site.base_url.rstrip("/") + "/" + csv if self.site.base_url else csv
        return self.t("chart_source_latest", n=fmt_number(len(ids), self.lang),
                      m=fmt_number(len({self.plans[i].province for i in ids}), self.lang),
                      total=fmt_number(len(self.corpus.plans), self.lang), url=url)

    def top_instruments(self) -> list[Instrument]:
        counts = {}
        for c in self.site.citations:
            if c.legal_id:
                counts.setdefault(c.legal_id, set()).add(c.plan_id)
        ranked = sorted(counts, key=lambda i: (-len(counts[i]), i))
        return [self.site.instruments[i] for i in ranked[:6] if i in self.site.instruments]

    def instrument_label(self, inst: Instrument) -> str:
        """'Chỉ thị 36-CT/TW'; in English 'Directive 36-CT/TW' (a law cited by name keeps its Vietnamese name)."""
        kind = DOC_TYPES_EN.get(inst.type, inst.type) if self.lang == "en" else inst.type
        if inst.number:
            return f"{kind} {inst.number}"
        return inst.title or kind

    def plan_list_path(self, number: int) -> str:
        """Site path of a page of the plan list: plans/index.html, then plans/page-2.html, ..."""
        return "plans/index.html" if number == 1 else f"plans/page-{number}.html"

    def plan_list_pages(self) -> Iterator[Page]:
        """The plan list: one page, or above SPLIT_MAX_PLANS plans, pages of PLAN_LIST_PAGE_SIZE rows."""
        if not self.split_by_province:
            yield self.plan_list()
            return
        n = max(1, -(-len(self.corpus.plans) // PLAN_LIST_PAGE_SIZE))
        taken = {plan_path(p.id) for p in self.corpus.plans} & {self.plan_list_path(i) for i in range(2, n + 1)}
        if taken:
            # A plan id like "page-2" passes validation but would overwrite a page of the list.
            raise ValueError(f"plan pages would overwrite pages of the plan list: {', '.join(sorted(taken))}")
        for number in range(1, n + 1):
            yield self.plan_list(number)

    def plan_list(self, number: int = 1) -> Page:
        """The list of plans (above SPLIT_MAX_PLANS plans, its page `number`)."""
        path = self.plan_list_path(number)
        plans = self.corpus.plans
        pagination, range_note, csv, title = None, "", None, self.t("nav_plans")
        if self.split_by_province:
            size = PLAN_LIST_PAGE_SIZE
            n = max(1, -(-len(plans) // size))
            if not 1 <= number <= n:
                raise ValueError(f"the plan list has no page {number} (it has {n})")
            first = (number - 1) * size
            plans = plans[first:first + size]
            range_note = self.t("plans_page_range", first=fmt_number(first + 1, self.lang),
                                last=fmt_number(first + len(plans), self.lang),
                                total=fmt_number(len(self.corpus.plans), self.lang), size=fmt_number(size, self.lang))
            csv = Link(self.t("plans_csv"), self.data_url(path, "plans.csv"))
            if n > 1:
                pagination = self._pagination(path, number, n)
                title = self.t("plans_page_title", page=fmt_number(number, self.lang), pages=fmt_number(n, self.lang))
        rows = []
        for p in plans:
            flags = []
            if p.source_kind == "press":
                flags.append(self.t("flag_press"))
            if p.excerpt:
                flags.append(self.t("flag_excerpt"))
            rows.append(PlanRow(
                Link(self.plan_title(p), self.url(path, plan_path(p.id))),
                Link(p.province, self.url(path, province_path(p.province))), str(p.year),
                p.number or self.t("unknown"), fmt_date(p.issued, self.lang) or self.t("unknown"),
                self.t("kind_" + p.source_kind), fmt_number(len(p.targets), self.lang), tuple(flags)))
        crumbs = ((self.t("nav_home"), "index.html"),)
        if number > 1:
            crumbs += ((self.t("nav_plans"), self.plan_list_path(1)),)
        drafts = tuple(self._draft_row(path, p) for p in getattr(self.corpus, "drafts", ())) if number == 1 else ()
        return Page(lang_path(self.lang, path), "plan_list.html",
                    self.base(path, title, self.t("plans_description"), "plans", crumbs=crumbs),
                    PlanListContext(tuple(rows), pagination, range_note, csv, drafts))

    def _draft_row(self, path: str, p: Plan) -> PlanRow:
        """A draft in the plan list: its own row, no province link when no reviewed plan has that province."""
        province = self.url(path, province_path(p.province)) if p.province in self._by_province else ""
        return PlanRow(Link(self.plan_title(p), self.url(path, plan_path(p.id))), Link(p.province, province),
                       str(p.year), p.number or self.t("unknown"), fmt_date(p.issued, self.lang) or self.t("unknown"),
                       self.t("kind_" + p.source_kind), fmt_number(len(p.targets), self.lang),
                       (self.t("flag_draft"),))

    def _pagination(self, path: str, number: int, n: int) -> Pagination:
        """Previous, every page number and next, as page `number` of `n` of the plan list links them."""
        def link(i: int, text: str, label: str, rel_: str = "") -> PageLink:
            url = self.url(path, self.plan_list_path(i)) if 1 <= i <= n else ""
            return PageLink(text, label, url, i == number and not rel_, rel_)

        def page(i: int) -> PageLink:
            return link(i, fmt_number(i, self.lang), self.t("pagination_page", page=fmt_number(i, self.lang)))
        return Pagination(self.t("pagination_top"), self.t("pagination_bottom"),
                          link(number - 1, self.t("pagination_prev"), self.t("pagination_prev"), "prev"),
                          link(number + 1, self.t("pagination_next"), self.t("pagination_next"), "next"),
                          tuple(page(i) for i in range(1, n + 1)))

    def plan(self, p: Plan) -> Page:
        path = plan_path(p.id)
        lp = lang_path(self.lang, path)
        cites = self._cites_of_plan.get(p.id, [])
        # A draft's candidate quotes carry the value read from them, for the reviewer to check in place.
        annotations = [Annotation(tg.quote, "quote", tg.id, f"{tg.id}: {self.target_value(tg)}" if p.is_draft else "")
                       for tg in p.targets]
        annotations += [Annotation(c.quote, "quote", c.id) for c in p.commitments]
        for c in cites:
            if c.legal_id:
                annotations.append(Annotation(c.as_written, "cite", rel(lp, lang_path(self.lang,
                                                                                      instrument_path(c.legal_id)))))
        annotations += [Annotation(g.text, "garble", self.garble_title(g)) for g in p.garbles]
        # A text that cites the same words twice gets one annotation: each matches every occurrence.
        text = _render_text(p.text, list(dict.fromkeys(annotations)))
        anchors = text.quote_anchors
        unknown = self.t("unknown")

        def row(key, value, url="", vi=False):
            return MetaRow(self.t(key), value if value else unknown, not value, url,
                           "vi" if vi and value and self.lang == "en" else "")

        meta = [
            row("meta_number", p.number),
            MetaRow(self.t("meta_doc_type"), self.doc_type(p.doc_type), runs=self.doc_type_runs(p.doc_type)),
            row("meta_issuer", p.issuer, vi=True),
            row("meta_signer", p.signer, vi=True),
            row("meta_signer_title", normal_case_title(p.signer_title or ""), vi=True),
            row("meta_issued", fmt_date(p.issued, self.lang)),
            row("meta_period", str(p.year) if p.year == p.period_end else f"{p.year}–{p.period_end}"),
            row("meta_field", p.field, vi=True), row("meta_province", p.province, self.url(path, province_path(p.province))),
            row("meta_source_kind", self.t("kind_" + p.source_kind)),
            row("meta_excerpt", self.t("yes") if p.excerpt else self.t("no")),
            row("meta_source_file", p.source_file),
        ]
        if p.source_kind == "press":
            meta += [row("meta_press_outlet", p.press_outlet, vi=True),
                     row("meta_press_published", fmt_date(p.press_published, self.lang)),
                     row("meta_press_author", p.press_author, vi=True)]
        flags = []
        if p.is_draft:  # said first and plainly: a program read this plan and nobody has checked it yet
            flags.append(self.t("flag_draft_long"))
            flags.append(self.t("draft_unreviewed", fields="; ".join(p.review) or self.t("unknown")))
        if p.source_kind == "press":
            flags.append(self.t("flag_press_long"))
        if p.excerpt:
            flags.append(self.t("flag_excerpt_long"))
        targets = tuple(self.target_row(path, tg, anchors) for tg in p.targets)
        targets = tuple(TargetRow(**{**r.__dict__, "section": text.section_of.get(r.id, "")}) for r in targets)
        commitments = tuple(QuoteItem(self.label(self.lk.commitment_kinds, c.kind), c.quote,
                                      f"#{anchors.get(c.id, '')}" if c.id in anchors else "")
                            for c in p.commitments)
        by_agency: dict[str, list] = {}
        for task in p.tasks:
            by_agency.setdefault(task.agency, []).append(
                QuoteItem(self.t("role_" + task.role.replace(" ", "_")), task.quote, "", task.as_written))
        tasks = tuple(AgencyTasks(Link(self.label(self.lk.agencies, a), self.url(path, f"{self.matrix_path(p)}#agency-{a}")),
                                  tuple(items)) for a, items in sorted(by_agency.items(),
                                                                       key=lambda kv: self.label(self.lk.agencies, kv[0])))
        themes = tuple(QuoteItem(self.label(self.lk.themes, th.theme), th.quote,
                                 self.url(path, f"{self.matrix_path(p)}#theme-{th.theme}")) for th in p.themes)
        if p.is_draft:  # the matrices, downloads and province pages have no column, file or row for a draft
            tasks = tuple(AgencyTasks(Link(a.agency.text, ""), a.items) for a in tasks)
            themes = tuple(QuoteItem(q.label, q.quote, "", q.extra) for q in themes)
        seen, citations, unresolved = set(), [], []
        for c in cites:
            if c.legal_id and c.legal_id in self.site.instruments:
                if c.legal_id in seen:
                    continue
                seen.add(c.legal_id)
                inst = self.site.instruments[c.legal_id]
                citations.append(QuoteItem(self.instrument_label(inst), c.as_written,
                                           self.url(path, instrument_path(inst.id)),
                                           fmt_date(inst.issued, self.lang)))
            else:
                unresolved.append(QuoteItem(c.number or c.type, c.as_written, ""))
        # A misspelling shows what it should read (in Vietnamese); another fault, what is wrong.
        garbles = tuple(QuoteItem(g.text, g.note, "", "" if g.note else self.garble_remark(g)) for g in p.garbles)
        toc = tuple(Link(e.text, f"#{e.anchor}", str(e.level)) for e in text.toc)
        h = p.header
        downloads = (Link(self.t("download_plan_json"), self.data_url(path, f"plans/{p.id}.json")),
                     Link(self.t("download_plan_csv"), self.data_url(path, f"plans/{p.id}-targets.csv")),
                     Link(self.t("download_source"), self.data_url(path, f"sources/{p.source_file.split('/')[-1]}")))
        if p.is_draft:
            downloads = ()
            if p.province not in self._by_province:
                meta = [MetaRow(m.label, m.value, m.unknown, "") if m.label == self.t("meta_province") else m
                        for m in meta]
        permalink = (self.site.base_url.rstrip("/") + "/" + lp) if self.site.base_url else lp
        cite = self.t("cite_plan", ref=self.doc_reference(p), title=p.title, version=self.corpus.data_version,
                      url=permalink)
        bib = _bibtex(f"kehoach-{p.id}", f"{p.doc_type} {p.number or ''}: {p.title}".replace("  ", " "),
                      p.issuer or self.t("unknown"), self.corpus.data_version, permalink, self.doc_reference(p),
                      year=p.issued[:4] if p.issued else str(p.year))
        summary, notable = self.plan_summary(p, citations, tasks)
        ctx = PlanContext(
            plan_id=p.id, heading=self.plan_title(p), subtitle=p.title, meta=tuple(meta), flags=tuple(flags),
            targets=targets, no_targets_note="" if p.targets else self.t("no_targets_note"),
            commitments=commitments, tasks=tasks, themes=themes, citations=tuple(citations),
            unresolved=tuple(unresolved), garbles=garbles,
            header_left=h.left, header_right=h.right, number_line=h.number_line, place_date=h.place_date,
            sign_authority=h.sign_authority, sign_title=h.sign_title, sign_name=h.sign_name,
            recipients=h.recipients, text_html=text.html, toc=toc, downloads=downloads, cite_text=cite,
            cite_bibtex=bib, province=Link(p.province, self.url(path, province_path(p.province))
                                           if p.province in self._by_province else ""),
            summary=summary, notable=notable, target_items=self.target_items(targets, p),
            jump=self.plan_jump_links(p, commitments, garbles),
            provenance=(p.provenance_en or p.provenance) if self.lang == "en" else p.provenance,
        )
        ld = {"@context": "https://schema.org", "@type": "Legislation", "name": p.title,
              "legislationType": p.doc_type, "inLanguage": "vi", "isAccessibleForFree": True,
              "legislationJurisdiction": {"@type": "AdministrativeArea", "name": p.province}}
        if p.number:
            ld["legislationIdentifier"] = p.number
        if p.issued:
            ld["legislationDate"] = p.issued
        if p.issuer:
            ld["legislationPassedBy"] = {"@type": "GovernmentOrganization", "name": p.issuer}
        if self.site.base_url:
            ld["url"] = permalink
        return Page(lp, "plan.html",
                    self.base(path, self.plan_title(p), p.title, "plans", json_ld=json_ld(ld),
                              crumbs=((self.t("nav_home"), "index.html"), (self.t("nav_plans"), "plans/index.html"))),
                    ctx)

    def province_list(self) -> Page:
        path = "provinces/index.html"
        provinces = sorted({p.province for p in self.corpus.plans})
        items = tuple(Link(pr, self.url(path, province_path(pr)),
                           self.t("n_plans", n=fmt_number(sum(p.province == pr for p in self.corpus.plans), self.lang)))
                      for pr in provinces)
        return Page(lang_path(self.lang, path), "link_list.html",
                    self.base(path, self.t("nav_provinces"), self.t("provinces_description"), "provinces",
                              crumbs=((self.t("nav_home"), "index.html"),)),
                    LinkListContext(self.t("provinces_description"), items))

    def province(self, name: str) -> Page:
        path = province_path(name)
        plans = sorted(self._by_province.get(name, []), key=lambda p: (p.year, p.id))
        timeline = tuple((str(p.year), Link(self.plan_title(p), self.url(path, plan_path(p.id))),
                          self.t("timeline_summary", n=fmt_number(len(p.targets), self.lang),
                                 kind=self.t("kind_" + p.source_kind))) for p in plans)
        blocks = []
        for before, after, changes in province_changes(plans):
            rows = []
            for ch in changes:
                what = (f"{self.label(self.lk.categories, ch.category)} — {self.label(self.lk.subjects, ch.subject)}"
                        f" ({self.unit_label(ch.unit)})")
                rows.append(ChangeRow(
                    ch.kind, self.t("change_" + ch.kind), what,
                    self.target_value(ch.before) if ch.before else "—", ch.before.quote if ch.before else "",
                    self.url(path, f"{plan_path(before.id)}#q-{ch.before.id}") if ch.before else "",
                    self.target_value(ch.after) if ch.after else "—", ch.after.quote if ch.after else "",
                    self.url(path, f"{plan_path(after.id)}#q-{ch.after.id}") if ch.after else ""))
            note = "" if rows else self.t("no_changes_note")
            blocks.append(ComparisonBlock(Link(self.plan_label(before), self.url(path, plan_path(before.id))),
                                          Link(self.plan_label(after), self.url(path, plan_path(after.id))),
                                          tuple(rows), note))
        single = self.t("single_plan_note") if len(plans) < 2 else ""
        cats = ()
        if self.split_by_province:
            # The category pages no longer list this province's targets: its own pages of them do.
            cats = tuple(Link(self.label(self.lk.categories, c), self.url(path, category_province_path(c, name)),
                              self.count_targets(self._province_cat_count[(name, c)]))
                         for c in self.lk.categories if self._province_cat_count[(name, c)])
        return Page(lang_path(self.lang, path), "province.html",
                    self.base(path, self.t("province_title", name=name), self.t("province_description", name=name),
                              "provinces", crumbs=((self.t("nav_home"), "index.html"),
                                                   (self.t("nav_provinces"), "provinces/index.html"))),
                    ProvinceContext(name, timeline, tuple(blocks), single, cats))

    def category_list(self) -> Page:
        path = "categories/index.html"
        items = tuple(Link(self.label(self.lk.categories, c), self.url(path, category_path(c)),
                           self.count_targets(self._count_cat(c)))
                      for c in self.lk.categories)
        return Page(lang_path(self.lang, path), "link_list.html",
                    self.base(path, self.t("nav_categories"), self.t("categories_description"), "categories",
                              crumbs=((self.t("nav_home"), "index.html"),)),
                    LinkListContext(self.t("categories_description"), items))

    def groups_with_targets(self, cat: str) -> list[tuple[Group, list[Target]]]:
        """A category's comparability groups with their targets, computed once per builder (the
        overview and every province page need them)."""
        if cat not in self._groups:
            self._groups[cat] = [(g, self.group_targets(g)) for g in category_groups(self.site.tables.targets, cat)]
        return self._groups[cat]

    # Pages below work on each group's Target objects rather than its DataFrame: the province pages
    # make some 25 groups x 63 provinces small selections, where pandas' overhead per call dominated.

    def _category_views(self, path: str, groups: list[tuple[Group, list[Target]]],
                        chart_of) -> tuple[list[GroupView], bool]:
        """The group sections of a page listing every target; chart_of(g, targets) draws a comparable group."""
        views = []
        any_chart = False
        for g, targets in groups:
            comparable = len({tg.plan_id for tg in targets if not tg.parent}) >= 2
            chart = self.chart_view(path, chart_of(g, targets), path) if comparable else None
            any_chart = any_chart or comparable
            rows = tuple(self.target_row(path, tg) for tg in targets)
            notes = []
            if not comparable:
                notes.append(self.t("note_single_plan"))
            notes += self._group_notes(targets, self.t("note_children"))
            views.append(GroupView(f"g-{g.key}", self.group_heading(g), chart, rows, tuple(notes)))
        views.sort(key=lambda gv: gv.chart is None)  # comparisons first, single-plan groups after
        return views, any_chart

    def _group_notes(self, targets: list[Target], children_note: str) -> list[str]:
        """What a reader must know about a group's targets before comparing them."""
        notes = []
        if any(self.plans[tg.plan_id].source_kind == "press" for tg in targets):
            notes.append(self.t("note_press"))
        if any(tg.value_max is not None for tg in targets):
            notes.append(self.t("note_range"))
        if any(tg.comparator != "=" for tg in targets):
            notes.append(self.t("note_bound"))
        if any(tg.parent for tg in targets):
            notes.append(children_note)
        if len({tg.deadline for tg in targets if tg.deadline is not None}) > 1 or \
                any(tg.deadline is None for tg in targets):
            notes.append(self.t("note_deadlines"))
        return notes

    def group_heading(self, g: Group) -> str:
        """'Đối tượng: … · đơn vị: …'."""
        return self.t("group_heading_fmt", subject=self.label(self.lk.subjects, g.subject),
                      unit=self.unit_label(g.unit))

    def _category_crumbs(self) -> tuple[tuple[str, str], ...]:
        """Home › categories, the breadcrumbs every category page starts with."""
        return ((self.t("nav_home"), "index.html"), (self.t("nav_categories"), "categories/index.html"))

    def _by_province_of(self, targets: list[Target]) -> dict[str, list[Target]]:
        """Targets split by their plan's province (sorted), each list in the group's order."""
        out: dict[str, list[Target]] = defaultdict(list)
        for tg in targets:
            out[self.plans[tg.plan_id].province].append(tg)
        return {pr: out[pr] for pr in sorted(out)}

    def category(self, cat: str) -> Page:
        """A category page: every target, by group; above SPLIT_MAX_PLANS plans, an overview by province."""
        if self.split_by_province:
            return self.category_overview(cat)
        path = category_path(cat)
        c = self.lk.categories[cat]
        groups, any_chart = self._category_views(
            path, self.groups_with_targets(cat), lambda g, targets: self.group_chart(g, targets=targets))
        n = sum(len(g.rows) for g in groups)
        summary = "" if any_chart else (self.t("nothing_comparable") if n else self.t("no_targets_in_category"))
        scripts = ("assets/plotly-basic.min.js", "assets/charts.js") if any_chart else ()
        definition = c.definition_vi if self.lang == "vi" else c.definition_en
        return Page(lang_path(self.lang, path), "category.html",
                    self.base(path, self.label(self.lk.categories, cat), definition, "categories", scripts=scripts,
                              crumbs=self._category_crumbs()),
                    CategoryContext(self.label(self.lk.categories, cat), definition,
                                    c.comparable_when if self.lang == "vi" else c.comparable_when_en,
                                    tuple(groups), summary, fmt_number(n, self.lang)))

    def category_overview(self, cat: str) -> Page:
        """A split category page: per group, a chart of each province's latest value and a row per province."""
        path = category_path(cat)
        c = self.lk.categories[cat]
        label = self.label(self.lk.categories, cat)
        views = []
        n = 0
        for g, targets in self.groups_with_targets(cat):
            n += len(targets)
            rows, drawn = [], []
            for prov, mine in self._by_province_of(targets).items():
                row, bar = self._province_summary(path, g, prov, mine)
                rows.append(row)
                if bar is not None:
                    drawn.append(bar)
            chart = None
            if len(drawn) >= 2:
                title = self.t("chart_latest_title", category=label, subject=self.label(self.lk.subjects, g.subject),
                               unit=self.unit_label(g.unit))
                chart = self.chart_view(path, latest_chart(
                    f"{g.key}--theo-tinh", title, drawn, self.unit_label(g.unit), self.lang,
                    self.source_line([r["plan_id"] for r in drawn])), path)
            notes = [] if chart else [self.t("note_single_province")]
            notes += self._group_notes(targets, self.t("note_children_overview"))
            heading = self.group_heading(g)
            views.append(OverviewGroupView(f"g-{g.key}", heading, chart, tuple(rows), tuple(notes),
                                           self.t("overview_table_caption", heading=heading)))
        views.sort(key=lambda gv: gv.chart is None)  # comparisons first, as on an unsplit page
        any_chart = any(gv.chart for gv in views)
        summary = "" if any_chart else (self.t("nothing_comparable_overview") if n else
                                        self.t("no_targets_in_category"))
        intro = (self.t("category_overview_intro", n=fmt_number(len(self.corpus.plans), self.lang)),
                 self.t("category_overview_latest")) if n else ()
        scripts = ("assets/plotly-basic.min.js", "assets/charts.js") if any_chart else ()
        definition = c.definition_vi if self.lang == "vi" else c.definition_en
        return Page(lang_path(self.lang, path), "category_overview.html",
                    self.base(path, label, definition, "categories", scripts=scripts, crumbs=self._category_crumbs()),
                    CategoryOverviewContext(label, definition,
                                            c.comparable_when if self.lang == "vi" else c.comparable_when_en,
                                            intro, tuple(views), summary, fmt_number(n, self.lang)))

    def _province_summary(self, path: str, g: Group, province: str,
                          targets: list[Target]) -> tuple[ProvinceSummaryRow, dict | None]:
        """A province's row of a group on the overview, and its bar (None when it has no top-level target)."""
        # Values compare top-level targets, as the charts do; a province with only sub-targets in
        # the group is summed up from those rather than left blank.
        top = [tg for tg in targets if not tg.parent]
        ranked = top or targets

        def plan_order(tg: Target) -> tuple:
            p = self.plans[tg.plan_id]
            return (p.year, p.issued or "", p.id)

        def high(tg: Target) -> float:
            return tg.value if tg.value_max is None else tg.value_max

        lowest = min(ranked, key=lambda tg: (tg.value, high(tg), plan_order(tg), tg.id))
        highest = min(ranked, key=lambda tg: (-high(tg), -tg.value, plan_order(tg), tg.id))
        latest_plan = self.plans[max(plan_order(tg) for tg in ranked)[2]]
        # Of several targets of the group in the latest plan, the one it states first.
        ids = {tg.id for tg in ranked if tg.plan_id == latest_plan.id}
        latest = next(tg for tg in latest_plan.targets if tg.id in ids)
        row = ProvinceSummaryRow(
            Link(province, self.url(path, f"{category_province_path(g.category, province)}#g-{g.key}")),
            fmt_number(len(targets), self.lang), self.target_value(lowest), self.target_value(highest),
            self.target_value(latest), Link(self.plan_label(latest_plan), self.quote_url(path, latest)),
            latest_plan.source_kind == "press")
        bar = None
        if top:
            bar = {"province": province, "plan_id": latest_plan.id, "plan_label": self.plan_label(latest_plan),
                   "year": latest_plan.year, "issued": latest_plan.issued or "", "target_id": latest.id,
                   "value": float(latest.value),
                   "value_max": None if latest.value_max is None else float(latest.value_max),
                   "comparator": latest.comparator, "subject_text": latest.subject_text,
                   "source_kind": latest_plan.source_kind, "unit": latest.unit}
        return row, bar

    def category_provinces(self, cat: str) -> Iterator[Page]:
        """When category pages are split: the category page of each province with targets in it."""
        if not self.split_by_province:
            return
        by_province: dict[str, list[tuple[Group, list[Target]]]] = defaultdict(list)
        for g, targets in self.groups_with_targets(cat):
            for prov, mine in self._by_province_of(targets).items():
                by_province[prov].append((g, mine))
        for prov in sorted(by_province):
            yield self.category_province(cat, prov, by_province[prov])

    def category_province(self, cat: str, province: str, groups: list[tuple[Group, list[Target]]]) -> Page:
        """A category page restricted to one province's plans: every target, as an unsplit page lists them."""
        path = category_province_path(cat, province)
        c = self.lk.categories[cat]
        label = self.label(self.lk.categories, cat)
        slug = slugify(province)

        def chart_of(g: Group, targets: list[Target]) -> Chart:
            title = self.t("chart_province_title", category=label, subject=self.label(self.lk.subjects, g.subject),
                           unit=self.unit_label(g.unit), province=province)
            return self.group_chart(g, f"{g.key}--{slug}", title, targets)
        views, any_chart = self._category_views(path, groups, chart_of)
        n = sum(len(g.rows) for g in views)
        summary = "" if any_chart else self.t("nothing_comparable")
        scripts = ("assets/plotly-basic.min.js", "assets/charts.js") if any_chart else ()
        title = self.t("category_province_title", category=label, province=province)
        return Page(lang_path(self.lang, path), "category_province.html",
                    self.base(path, title, self.t("category_province_description", category=label, province=province),
                              "categories", scripts=scripts,
                              crumbs=(*self._category_crumbs(), (label, category_path(cat)))),
                    CategoryProvinceContext(title, c.definition_vi if self.lang == "vi" else c.definition_en,
                                            c.comparable_when if self.lang == "vi" else c.comparable_when_en,
                                            tuple(views), summary, fmt_number(n, self.lang),
                                            self.t("category_province_note", province=province),
                                            Link(self.t("category_overview_link"), self.url(path, category_path(cat)))))

    @property
    def split_by_province(self) -> bool:
        """Whether pages listing every plan (matrices, categories) are split into a page per province."""
        return len(self.corpus.plans) > SPLIT_MAX_PLANS

    @property
    def matrix_split(self) -> bool:
        """Whether the matrices are split by province (the pipeline keys plan pages by it)."""
        return self.split_by_province

    def matrix_path(self, p: Plan) -> str:
        """The matrices page that has a column for plan p."""
        return f"matrices/{slugify(p.province)}.html" if self.split_by_province else "matrices.html"

    def _matrix_views(self, path: str, plans, cols: tuple[Link, ...], cell) -> tuple[MatrixView, ...]:
        """Agencies, themes and commitments (rows) × columns; cell(kind, key, column) gives a cell's items."""
        agencies = sorted({tk.agency for p in plans for tk in p.tasks}, key=lambda a: self.label(self.lk.agencies, a))
        a_rows = [(Link(self.label(self.lk.agencies, a), f"#agency-{a}", a),
                   tuple(cell("agency", a, col) for col in range(len(cols)))) for a in agencies]
        t_rows = [(Link(self.label(self.lk.themes, th), f"#theme-{th}", th),
                   tuple(cell("theme", th, col) for col in range(len(cols)))) for th in self.lk.themes]
        c_rows = [(Link(self.label(self.lk.commitment_kinds, k), f"#commitment-{k}", k),
                   tuple(cell("commitment", k, col) for col in range(len(cols)))) for k in self.lk.commitment_kinds]
        return (
            MatrixView("agencies", self.t("matrix_agencies"), cols, tuple(a_rows), self.data_url(path, "agencies.csv")),
            MatrixView("themes", self.t("matrix_themes"), cols, tuple(t_rows), self.data_url(path, "themes.csv")),
            MatrixView("commitments", self.t("matrix_commitments"), cols, tuple(c_rows),
                       self.data_url(path, "commitments.csv")),
        )

    def _plan_cells(self, path: str, plans):
        def cell(kind: str, key: str, col: int) -> tuple[QuoteItem, ...]:
            p = plans[col]
            url = self.url(path, plan_path(p.id))
            if kind == "agency":
                return tuple(QuoteItem(self.t("role_" + tk.role.replace(" ", "_")), tk.quote, url, tk.as_written)
                             for tk in p.tasks if tk.agency == key)
            if kind == "theme":
                return tuple(QuoteItem("✓", r.quote, url) for r in p.themes if r.theme == key)
            return tuple(QuoteItem("✓", c.quote, url) for c in p.commitments if c.kind == key)
        return cell

    def matrices(self) -> Page:
        path = "matrices.html"
        plans = self.corpus.plans
        if not self.split_by_province:
            cols = tuple(Link(self.plan_label(p), self.url(path, plan_path(p.id))) for p in plans)
            mats = self._matrix_views(path, plans, cols, self._plan_cells(path, plans))
        else:
            # One column per province (linking to its own matrices page), each cell counting its plans.
            provinces = sorted(self._by_province)
            cols = tuple(Link(pr, self.url(path, f"matrices/{slugify(pr)}.html")) for pr in provinces)
            count: Counter = Counter()
            for p in plans:
                for kind, keys in (("agency", {tk.agency for tk in p.tasks}), ("theme", {r.theme for r in p.themes}),
                                   ("commitment", {c.kind for c in p.commitments})):
                    for key in keys:
                        count[(kind, key, p.province)] += 1

            def cell(kind: str, key: str, col: int) -> tuple[QuoteItem, ...]:
                n = count.get((kind, key, provinces[col]), 0)
                return (QuoteItem("✓", self.t("n_plans", n=fmt_number(n, self.lang)), cols[col].url),) if n else ()
            mats = self._matrix_views(path, plans, cols, cell)
        return Page(lang_path(self.lang, path), "matrices.html",
                    self.base(path, self.t("nav_matrices"), self.t("matrices_description"), "matrices",
                              crumbs=((self.t("nav_home"), "index.html"),)), MatricesContext(mats))

    def province_matrices(self) -> list[Page]:
        """When the matrices are split: one matrices page per province, a column per plan of it."""
        if not self.split_by_province:
            return []
        pages = []
        for pr in sorted(self._by_province):
            path = f"matrices/{slugify(pr)}.html"
            plans = self._by_province[pr]
            cols = tuple(Link(self.plan_label(p), self.url(path, plan_path(p.id))) for p in plans)
            mats = self._matrix_views(path, plans, cols, self._plan_cells(path, plans))
            title = f"{self.t('nav_matrices')} — {pr}"
            pages.append(Page(lang_path(self.lang, path), "matrices.html",
                              self.base(path, title, self.t("matrices_description"), "matrices",
                                        crumbs=((self.t("nav_home"), "index.html"),
                                                (self.t("nav_matrices"), "matrices.html"))),
                              MatricesContext(mats)))
        return pages

    def legal_index(self) -> Page:
        """The legal bases index: every instrument, the province × central instrument matrix, the network."""
        path = "legal/index.html"
        cited: dict[str, set] = {}
        for c in self.site.citations:
            if c.legal_id:
                cited.setdefault(c.legal_id, set()).add(c.plan_id)
        rows = []
        for inst in self.site.instruments.values():
            level = inst.level or "Khác"
            rows.append(InstrumentRow(
                Link(self.instrument_label(inst), self.url(path, instrument_path(inst.id)), inst.title),
                inst.type, inst.number or "—", inst.issuer or self.t("unknown"), level,
                LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER),
                fmt_date(inst.issued, self.lang) or self.t("unknown"), inst.issued or "",
                len(cited.get(inst.id, ()))))
        rows.sort(key=lambda r: (r.level_rank, r.type, r.issued_sort, r.number))
        network = self.network(path, cited)
        plans = self.corpus.plans
        provinces = sorted({p.province for p in plans})
        central = [r for r in rows if r.level_rank <= LEVEL_ORDER.index("Bộ")]
        m_rows = []
        for r in central:
            inst_id = r.link.url.rsplit("/", 1)[-1][:-5]
            years_of: dict[str, set[str]] = defaultdict(set)
            for pid in cited.get(inst_id, ()):
                if pid in self.plans:
                    years_of[self.plans[pid].province].add(str(self.plans[pid].year))
            cells = [", ".join(sorted(years_of.get(prov, ()))) for prov in provinces]
            m_rows.append((r.link, tuple(cells)))
        scripts = ("assets/plotly-basic.min.js", "assets/charts.js") if network else ()
        note = self.t("legal_network_provinces_note", n=fmt_number(len(plans), self.lang)) \
            if network and self.split_by_province else ""
        return Page(lang_path(self.lang, path), "legal_index.html",
                    self.base(path, self.t("nav_legal"), self.t("legal_description"), "legal", scripts=scripts,
                              crumbs=((self.t("nav_home"), "index.html"),)),
                    LegalIndexContext(tuple(rows), tuple(sorted({r.level for r in rows},
                                                                key=lambda lv: LEVEL_ORDER.index(lv)
                                                                if lv in LEVEL_ORDER else 99)),
                                      tuple(sorted({r.type for r in rows})), network,
                                      tuple(Link(pr, self.url(path, province_path(pr))) for pr in provinces),
                                      tuple(m_rows), note))

    def network(self, path: str, cited: dict[str, set]) -> ChartView | None:
        """The citation network: plans (above SPLIT_MAX_PLANS plans, provinces) and the dated instruments they cite."""
        citing = set().union(*cited.values())
        plans = [p for p in self.corpus.plans if p.id in citing]
        insts = [i for i in self.site.instruments.values() if i.id in cited and i.issued]
        if not plans or not insts:
            return None
        inst_rows = []
        for i in insts:
            level = i.level or "Khác"
            inst_rows.append({"label": self.instrument_label(i), "short": i.number or i.type,
                              "year": int(i.issued[:4]), "level": level,
                              "rank": (LEVEL_ORDER.index(level) + 1) if level in LEVEL_ORDER else len(LEVEL_ORDER) + 1})
        if self.split_by_province:
            return self.chart_view(path, self.province_network(plans, insts, inst_rows, cited), path)
        p_index = {p.id: n for n, p in enumerate(plans)}
        edges = sorted({(p_index[pid], n) for n, i in enumerate(insts) for pid in cited[i.id] if pid in p_index})
        chart = network_chart("mang-luoi-can-cu", self.t("chart_network_title"),
                              [{"label": self.plan_label(p), "year": p.year} for p in plans], inst_rows, edges,
                              self.lang, self.source_line([p.id for p in plans]))
        return self.chart_view(path, chart, path)

    def province_network(self, plans: list[Plan], insts: list[Instrument], inst_rows: list[dict],
                         cited: dict[str, set]) -> Chart:
        """The citation network of a large corpus: a province cites an instrument when any of its plans does."""
        # Only plans citing a dated instrument are drawn (through their province): the counts of the
        # province nodes and of the source line are of those.
        drawn = set().union(*(cited[i.id] for i in insts))
        plans = [p for p in plans if p.id in drawn]
        provinces = sorted({p.province for p in plans})
        pr_index = {pr: n for n, pr in enumerate(provinces)}
        years: dict[tuple[int, int], list[int]] = defaultdict(list)  # (province, instrument) -> a year per plan
        for n, i in enumerate(insts):
            for pid in cited[i.id]:
                if pid in self.plans:
                    years[(pr_index[self.plans[pid].province], n)].append(self.plans[pid].year)
        edges = [{"province": a, "instrument": b, "plans": len(ys), "years": sorted(set(ys))}
                 for (a, b), ys in sorted(years.items())]
        n_plans = Counter(p.province for p in plans)
        n_insts = Counter(provinces[a] for a, _ in years)
        nodes = [{"label": pr, "plans": n_plans[pr], "instruments": n_insts[pr]} for pr in provinces]
        # The same id as the plan network: its permalink, embed page and CSV stay where they were.
        return province_network_chart("mang-luoi-can-cu", self.t("chart_network_provinces_title"), nodes, inst_rows,
                                      edges, self.lang, self.source_line_at_scale([p.id for p in plans]))

    def instrument_meta(self, inst: Instrument) -> tuple[MetaRow, ...]:
        """An instrument's metadata card."""
        unknown = self.t("unknown")
        vi = "vi" if self.lang == "en" else ""
        return (MetaRow(self.t("meta_doc_type"), self.doc_type(inst.type), runs=self.doc_type_runs(inst.type)),
                MetaRow(self.t("meta_number"), inst.number or unknown, not inst.number),
                MetaRow(self.t("meta_issuer"), inst.issuer or unknown, not inst.issuer, lang=vi if inst.issuer else ""),
                MetaRow(self.t("col_level"), inst.level or unknown, not inst.level, lang=vi if inst.level else ""),
                MetaRow(self.t("meta_issued"), fmt_date(inst.issued, self.lang) or unknown, not inst.issued),
                MetaRow(self.t("meta_title"), inst.title or unknown, not inst.title, lang=vi if inst.title else ""))

    def citing(self, inst: Instrument) -> list[tuple[Plan, Citation]]:
        """The plans citing an instrument, once per way a plan writes it, in the order of the citations."""
        out, seen = [], set()
        for c in self._cites_of_inst.get(inst.id, ()):
            if c.legal_id != inst.id or (c.plan_id, c.as_written) in seen:
                continue
            seen.add((c.plan_id, c.as_written))
            out.append((self.plans[c.plan_id], c))
        return out

    def citing_rows(self, path: str, inst: Instrument, citing: list[tuple[Plan, Citation]]) -> tuple[CitingRow, ...]:
        """Citing rows as an instrument page lists them, by province and plan."""
        unknown = self.t("unknown")
        rows = [CitingRow(Link(self.plan_label(p), self.url(path, plan_path(p.id))), p.province,
                          fmt_date(p.issued, self.lang) or unknown, self.lag(inst.issued, p.issued), c.as_written,
                          c.sentence, self.url(path, plan_path(p.id))) for p, c in citing]
        rows.sort(key=lambda r: (r.province, r.plan.text))
        return tuple(rows)

    def _instrument_crumbs(self) -> tuple[tuple[str, str], ...]:
        """Home › legal bases, the breadcrumbs every instrument page starts with."""
        return ((self.t("nav_home"), "index.html"), (self.t("nav_legal"), "legal/index.html"))

    def instrument(self, inst: Instrument) -> Page:
        """An instrument page: metadata and every citing sentence; above SPLIT_MAX_PLANS plans, a row per province."""
        path = instrument_path(inst.id)
        meta = self.instrument_meta(inst)
        title = self.instrument_label(inst)
        ld = {"@context": "https://schema.org", "@type": "Legislation", "name": inst.title or title,
              "legislationType": inst.type, "inLanguage": "vi"}
        if inst.number:
            ld["legislationIdentifier"] = inst.number
        if inst.issued:
            ld["legislationDate"] = inst.issued
        if inst.issuer:
            ld["legislationPassedBy"] = {"@type": "GovernmentOrganization", "name": inst.issuer}
        base = self.base(path, title, inst.title or title, "legal", json_ld=json_ld(ld),
                         crumbs=self._instrument_crumbs())
        citing = self.citing(inst)
        if not self.split_by_province:
            return Page(lang_path(self.lang, path), "instrument.html", base,
                        InstrumentContext(title, meta, self.citing_rows(path, inst, citing), inst.names))
        by_province: dict[str, list[Plan]] = defaultdict(list)
        for p in {p.id: p for p, _ in citing}.values():  # a plan writing it two ways is one citing plan
            by_province[p.province].append(p)
        rows = tuple(self._province_citing_row(path, inst, pr, by_province[pr]) for pr in sorted(by_province))
        n_plans = sum(len(ps) for ps in by_province.values())
        intro = (self.t("instrument_overview_count", n=fmt_number(n_plans, self.lang),
                        m=fmt_number(len(by_province), self.lang)),
                 self.t("instrument_overview_intro", total=fmt_number(len(self.corpus.plans), self.lang)))
        return Page(lang_path(self.lang, path), "instrument_overview.html", base,
                    InstrumentOverviewContext(title, meta, inst.names, intro, rows,
                                              self.t("instrument_overview_caption", instrument=title)))

    def _province_citing_row(self, path: str, inst: Instrument, province: str, plans: list[Plan]) -> ProvinceCitingRow:
        """A province's row on a split instrument page: its citing plans counted, their years and lags."""
        def order(p: Plan) -> tuple:
            return (p.year, p.issued or "", p.id)

        unknown = self.t("unknown")
        dated = [(self.lag_days(inst.issued, p.issued), order(p), p) for p in plans]
        dated = sorted(d for d in dated if d[0] is not None)
        years = [p.year for p in plans]
        return ProvinceCitingRow(
            Link(province, self.url(path, instrument_province_path(inst.id, province))),
            fmt_number(len(plans), self.lang), str(min(years)), str(max(years)),
            self.lag(inst.issued, dated[0][2].issued) if dated else unknown,
            self.lag(inst.issued, dated[-1][2].issued) if dated else unknown)

    def instrument_provinces(self, inst: Instrument) -> list[Page]:
        """When instrument pages are split: the page of each province citing the instrument."""
        if not self.split_by_province:
            return []
        by_province: dict[str, list[tuple[Plan, Citation]]] = defaultdict(list)
        for p, c in self.citing(inst):
            by_province[p.province].append((p, c))
        return [self.instrument_province(inst, pr, by_province[pr]) for pr in sorted(by_province)]

    def instrument_province(self, inst: Instrument, province: str, citing: list[tuple[Plan, Citation]]) -> Page:
        """An instrument page restricted to one province's plans: every citing row, as an unsplit page lists them."""
        path = instrument_province_path(inst.id, province)
        label = self.instrument_label(inst)
        title = self.t("instrument_province_title", instrument=label, province=province)
        return Page(lang_path(self.lang, path), "instrument_province.html",
                    self.base(path, title, self.t("instrument_province_description", instrument=label,
                                                  province=province), "legal",
                              crumbs=(*self._instrument_crumbs(), (label, instrument_path(inst.id)))),
                    InstrumentProvinceContext(title, self.instrument_meta(inst), self.citing_rows(path, inst, citing),
                                              inst.names, self.t("instrument_province_note", province=province),
                                              Link(self.t("instrument_overview_link"),
                                                   self.url(path, instrument_path(inst.id))),
                                              self.t("instrument_province_caption", province=province)))

    def lag_days(self, inst_issued: str | None, plan_issued: str | None) -> int | None:
        """Days from an instrument's date to a citing plan's date (None when either is unknown)."""
        if not inst_issued or not plan_issued:
            return None
        return (date.fromisoformat(plan_issued) - date.fromisoformat(inst_issued)).days

    def lag(self, inst_issued: str | None, plan_issued: str | None) -> str:
        """The adoption lag as read: '120 ngày (~3,9 tháng)'."""
        days = self.lag_days(inst_issued, plan_issued)
        if days is None:
            return self.t("unknown")
        months = days / 30.44
        return self.t("lag", days=fmt_number(days, self.lang), months=fmt_number(round(months, 1), self.lang))

    def data_page(self, files: tuple[DataFile, ...]) -> Page:
        path = "data.html"
        fixed = tuple(DataFile(f.name, self.data_url(path, f.csv_url), self.data_url(path, f.json_url),
                               self.one_language(f.description),
                               tuple((name, self.one_language(meaning)) for name, meaning in f.fields), f.rows)
                      for f in files)
        ld = {"@context": "https://schema.org", "@type": "Dataset", "name": self.t("site_name"),
              "description": self.t("data_description"), "version": self.corpus.data_version,
              "inLanguage": ["vi", "en"], "license": "https://creativecommons.org/licenses/by/4.0/",
              "isAccessibleForFree": True, "spatialCoverage": {"@type": "Country", "name": "Việt Nam"},
              "distribution": [{"@type": "DataDownload", "encodingFormat": "text/csv", "name": f.name,
                                "contentUrl": f.csv_url} for f in fixed]}
        return Page(lang_path(self.lang, path), "data.html",
                    self.base(path, self.t("nav_data"), self.t("data_description"), "data", json_ld=json_ld(ld),
                              crumbs=((self.t("nav_home"), "index.html"),)),
                    DataContext(fixed, self.corpus.data_version, self.data_url(path, "CHANGELOG.md"),
                                self.data_url(path, f"ke-hoach-so-sanh-data-{self.corpus.data_version}.zip"),
                                self.data_url(path, "datapackage.json"), self.data_url(path, "README.md")))

    def methodology(self) -> Page:
        path = "methodology.html"
        cats = tuple((self.label(self.lk.categories, c.id),
                      c.definition_vi if self.lang == "vi" else c.definition_en,
                      c.comparable_when if self.lang == "vi" else c.comparable_when_en,
                      fmt_number(self._count_cat(c.id), self.lang)) for c in self.lk.categories.values())
        kinds = tuple((self.label(self.lk.commitment_kinds, k), k) for k in self.lk.commitment_kinds)
        if self.split_by_province:
            summary = self._source_counts(path)
        else:
            sources = tuple((Link(self.plan_title(p), self.url(path, plan_path(p.id))), p.source_file,
                             self.t("kind_" + p.source_kind), p.provenance) for p in self.corpus.plans)
            summary = {"sources": sources}
        return Page(lang_path(self.lang, path), "methodology.html",
                    self.base(path, self.t("nav_methodology"), self.t("methodology_description"), "methodology",
                              crumbs=((self.t("nav_home"), "index.html"),)),
                    MethodologyContext(cats, commitments=kinds, **summary))

    def _source_counts(self, path: str) -> dict:
        """The methodology's sources when there are too many plans to list: plans by source kind and excerpt."""
        plans = self.corpus.plans
        kinds = Counter(p.source_kind for p in plans)
        excerpts = Counter(p.source_kind for p in plans if p.excerpt)
        # Both kinds validation allows, even one the corpus does not have: a 0 says so.
        rows = tuple((self.t("kind_" + k), fmt_number(kinds[k], self.lang), fmt_number(excerpts[k], self.lang))
                     for k in ("official", "press"))
        rows += ((self.t("col_total"), fmt_number(len(plans), self.lang),
                  fmt_number(sum(excerpts.values()), self.lang)),)
        return {"sources": (), "source_counts": rows,
                "sources_note": self.t("methodology_sources_summary", n=fmt_number(len(plans), self.lang)),
                "source_links": (Link(self.t("home_all_plans"), self.url(path, "plans/index.html")),
                                 Link(self.t("plans_csv"), self.data_url(path, "plans.csv")),
                                 Link(self.t("home_download"), self.url(path, "data.html")))}

    def search(self) -> Page:
        path = "search.html"
        return Page(lang_path(self.lang, path), "search.html",
                    self.base(path, self.t("nav_search"), self.t("search_description"), "search",
                              scripts=("pagefind/pagefind-ui.js", "assets/search.js"),
                              crumbs=((self.t("nav_home"), "index.html"),)),
                    SearchContext(rel(lang_path(self.lang, path), "pagefind/pagefind-ui.css"),
                                  rel(lang_path(self.lang, path), "pagefind") + "/"))

    def chart_pages(self) -> list[Page]:
        pages = []
        for cid in sorted(self.charts):
            chart = self.charts[cid]
            home = self.chart_homes[cid]
            for kind, path_fn, template in (("chart", chart_path, "chart.html"), ("embed", embed_path, "embed.html")):
                path = path_fn(cid)
                view = self.chart_view(path, chart, home)
                back = Link(self.t("chart_back"), self.url(path, home))
                base = self.base(path, chart.title, chart.description, "",
                                 scripts=("assets/plotly-basic.min.js", "assets/charts.js"),
                                 crumbs=((self.t("nav_home"), "index.html"),) if kind == "chart" else ())
                pages.append(Page(lang_path(self.lang, path), template, base, ChartPageContext(view, back)))
        return pages


_LAST_TEXT: list = [None, None]


def _render_text(body: str, annotations: list[Annotation]):
    """render_text, remembering the last call: a plan's two pages (vi, en) are made one after the
    other from the same text and, unless it has garbled spots (whose notes are translated), the
    same annotations. The text rendering is most of a plan page's cost."""
    key = (body, tuple(annotations))
    if _LAST_TEXT[0] != key:
        _LAST_TEXT[0], _LAST_TEXT[1] = key, render_text(body, annotations)
    return _LAST_TEXT[1]


def json_ld(data: dict) -> str:
    """JSON-LD for a <script type="application/ld+json"> block, safe against '</script>'."""
    return figure_json(data)


def _bibtex(key: str, title: str, author: str, version: str, url: str, note: str, year: str = "") -> str:
    def esc(s: str) -> str:
        return s.replace("\\", "").replace("{", "(").replace("}", ")")
    lines = [f"@misc{{{key},", f"  title = {{{esc(title)}}},", f"  author = {{{esc(author)}}},"]
    if year:
        lines.append(f"  year = {{{year}}},")
    lines += [f"  howpublished = {{Kế hoạch so sánh, data version {esc(version)}}},",
              f"  url = {{{esc(url)}}},", f"  note = {{{esc(note)}}}", "}"]
    return "\n".join(lines)


def build_pages(site: SiteData, data_files: tuple[DataFile, ...], *, plans: bool = True,
                builders: dict[str, Builder] | None = None) -> tuple[list[Page], dict[tuple[str, str], Chart]]:
    """Every page of the site, in both languages, and every chart drawn on them, by (lang, id).

    plans=False leaves out the plan pages (the pipeline renders those in worker processes, with
    `builders`, the same Builder of each language, shared by fork)."""
    charts: dict[tuple[str, str], Chart] = {}
    pages = list(iter_pages(site, data_files, charts, plans=plans, builders=builders))
    return pages, charts


@dataclass(frozen=True)
class PageJob:
    """One call of a Builder method that makes a page or a list of pages."""

    lang: str
    method: str
    args: tuple = ()
    # Pages of one province, category or instrument: the build makes them in worker processes.
    # The others sum up the whole corpus (or are a handful) and are made in the main process.
    worker: bool = False


def page_jobs(site: SiteData, data_files: tuple[DataFile, ...]) -> list[PageJob]:
    """Every page but the plan pages and the chart pages, as Builder calls, in a fixed order."""
    provinces = sorted({p.province for p in site.corpus.plans})
    cats = list(site.corpus.lookups.categories)
    insts = list(site.instruments.values())
    jobs: list[PageJob] = []
    for lang in LANGS:
        jobs += [PageJob(lang, "home"), PageJob(lang, "plan_list_pages"), PageJob(lang, "province_list")]
        jobs += [PageJob(lang, "province", (pr,), True) for pr in provinces]
        jobs.append(PageJob(lang, "category_list"))
        jobs += [PageJob(lang, "category", (c,), True) for c in cats]
        jobs += [PageJob(lang, "category_provinces", (c,), True) for c in cats]
        jobs += [PageJob(lang, "matrices"), PageJob(lang, "province_matrices", (), True),
                 PageJob(lang, "legal_index")]
        jobs += [PageJob(lang, "instrument", (i,), True) for i in insts]
        jobs += [PageJob(lang, "instrument_provinces", (i,), True) for i in insts]
        jobs += [PageJob(lang, "data_page", (data_files,)), PageJob(lang, "methodology"), PageJob(lang, "search")]
    return jobs


def iter_pages(site: SiteData, data_files: tuple[DataFile, ...], charts: dict[tuple[str, str], Chart], *,
               plans: bool = True, builders: dict[str, Builder] | None = None) -> Iterator[Page]:
    """build_pages one page at a time (a large site's contexts need not all be in memory at once);
    `charts` is filled with each language's charts once that language's pages are all made."""
    jobs = page_jobs(site, data_files)
    for lang in LANGS:
        b = (builders or {}).get(lang) or Builder(site, lang)
        for job in jobs:
            if job.lang != lang:
                continue
            made = getattr(b, job.method)(*job.args)
            yield from ([made] if isinstance(made, Page) else made)
            if plans and job.method == "plan_list_pages":
                yield from (b.plan(p) for p in (*site.corpus.plans, *getattr(site.corpus, "drafts", ())))
        yield from b.chart_pages()
        charts.update({(lang, cid): chart for cid, chart in b.charts.items()})


# Kept for templates that need the field list of a data file in order.
__all__ = ["SiteData", "Page", "Base", "build_pages", "DataFile", "rel", "lang_path", "field"]
