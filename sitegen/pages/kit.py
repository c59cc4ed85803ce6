"""What every page family shares: the gathered data and its indexes (SiteData, Index: index.py), the parts
every page shows (Base, Link, TargetRow, ChartView ...) and the helpers that make them in one
language (Kit).

A page function takes a Kit and returns Pages; a Page carries the charts drawn on it, so
that the build can make their own pages and CSV files without any shared registry.
"""
from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import ClassVar

from .. import urls
from ..cards import card_path_for
from ..chartimage import image_meta
from ..charts import Chart, figure_json, page_figure
from ..chartsvg import chart_svg
from ..citeblock import CiteSource, CiteView, cite_view
from ..i18n import fmt_number, fmt_value, strings, t
from ..model import TARGETS_NOT_IN_TEXT, Instrument, Plan, Target
from ..textutil import shorten
from ..wording import Run, runs
from . import reading
# unit_of and unit_pages live in reads.py, which digests a unit's plans ("unit", id); page code takes them from here.
from .index import Index, SiteData
from .sourcelines import DOC_TYPES_EN, SourceLines  # noqa: F401 (page modules take them from here)
from .facts import FactsView, facts_of
from .reads import (BASE_READS, IndexView, PlanHead, RecordedMapping, Recorder, UndeclaredRead,  # noqa: F401
                    check_templates, covered, site_view, templates_of, unit_of, unit_pages)


# The embed code's script: the chart page in the frame tells its height (site.js), and the frame is
# made that tall. Only a message from the frame's own window is heeded; without the script (a page that
# strips scripts or forbids inline ones) the frame keeps its fallback height.
EMBED_SCRIPT = ('<script>addEventListener("message",function(e){var h=e.data&&e.data.kehoachEmbedHeight;'
                'if(typeof h!=="number")return;document.querySelectorAll("iframe[data-kehoach-embed]")'
                '.forEach(function(f){if(f.contentWindow===e.source)f.style.height=Math.min(Math.ceil(h),20000)+"px"})})'
                '</script>')


def embed_fallback_height(chart) -> int:
    """The frame's height without the script: the chart's title, subtitle, plot and source line at a
    column's width (640 px; measured in Chromium: plot height + 120 px + 0.4 px per character of text)."""
    plot = int((chart.figure.get("layout") or {}).get("height") or 450)
    words = len(chart.title) + len(chart.subtitle or "") + len(chart.source or "")
    # What the chart leaves out is said and listed under it (Chart.notes, Chart.omitted): a line at least each.
    words += sum(len(n) for n in chart.notes) + sum(len(o) for o in chart.omitted)
    plot += 24 * (len(chart.notes) + len(chart.omitted))
    return int(math.ceil((plot + 120 + 0.4 * words) / 10) * 10)


def embed_snippet(src: str, chart) -> str:
    """The embed code of a chart: a frame showing the chart page at #embed (light; #embed-dark for a
    dark page), as tall as its content when the script runs, else embed_fallback_height."""
    return (f'<iframe src="{html.escape(src)}" title="{html.escape(chart.title)}" width="100%" '
            f'height="{embed_fallback_height(chart)}" style="border:0" loading="lazy" data-kehoach-embed></iframe>'
            + EMBED_SCRIPT)


def deadlines_in_data(chart) -> bool:
    """Whether a chart's points carry their targets' deadlines (charts.POINT_COLUMNS: a comparison's,
    a latest values'): Kit.chart_deadlines reads them there, not in the plans."""
    return "target_id" in chart.csv_columns and "deadline" in chart.csv_columns


def deadlines_plan_column(chart) -> str | None:
    """The column naming the plans whose targets Kit.chart_deadlines reads (None: it reads no plan)."""
    cols = chart.csv_columns
    pid = next((c for c in ("plan_id", "latest_plan_id") if c in cols), None)
    if pid is None or "value" not in cols or "unit" not in cols or deadlines_in_data(chart):
        return None
    return pid


@dataclass(frozen=True)
class Link:
    """A link with finished text and URL."""

    text: str
    url: str
    note: str = ""


# A page's meta description (and its og: and twitter: copies) is what a search result or a shared
# link shows: a few lines. A chart's listed every value (3 × 1.5 KB on a chart page).
DESCRIPTION_MAX = 300


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
    cite: CiteView
    embed_snippet: str
    embed_urls: str  # JSON [[site path, relative URL]] that the browser makes absolute ("" when absolute)
    embed_path: str  # the embed page's site path (what a reader without JavaScript completes)
    image_json: str  # what a downloaded image prints around the chart (charts.js)
    subtitle: str = ""  # what the chart shows: targets and their deadlines, subjects, equal values
    static_svg: str = ""  # the chart drawn at build time (chartsvg), shown until charts.js draws it
    notes: tuple[str, ...] = ()  # what the chart leaves out, said under it
    omitted: tuple[str, ...] = ()  # what it leaves out, listed
    library_url: str = ""  # the chart library (charts.js loads it; the page preloads it)


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
    og_image: str = ""  # the page's social card (absolute when the site's address is known)
    og_url: str = ""  # absolute only: without the site's address, no og:url
    licence_title: str = ""
    contact: str = ""
    searchable: bool = True  # in the search index (urls.searchable)


@dataclass(frozen=True)
class Page:
    """One output page: where it goes, which template renders it, its context, and the charts drawn
    on it with the (language-free) path of the page each chart's permalink page links back to."""

    path: str
    template: str
    base: Base
    page: object
    charts: tuple[tuple[Chart, str], ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class PageJob:
    """Some pages to make: make(kit, *args) returns them (a Page or a list), in the kit's language."""

    make: Callable[..., Page | list[Page]]
    args: tuple = ()
    # Pages of one province, category or instrument: the build makes them in worker processes.
    # The others sum up the whole corpus (or are a handful) and are made in the main process.
    worker: bool = False
    # What the job reads besides BASE_READS (see reads.py): checked while it runs; its cache key.
    reads: frozenset = frozenset()
    lang: str = ""
    key: str = ""  # set by the build: a digest of the job, its code, templates and declared reads
    # Whether it shows plans' texts (a plan's page): then it sees the full site (Kit.with_text) and its
    # key is made of its digests; every other job sees the lean site (reads.lean_site), plans without
    # their texts, so that inserting a sentence into a plan changes no key but its own pages'.
    text: bool = False

    def run(self, kit: Kit) -> list[Page]:
        """The job's pages (its function returns a Page or a list of them); UndeclaredRead if it read
        anything its declaration does not cover."""
        if self.text:
            kit = kit.with_text
        kit.record.take()
        made = self.make(kit, *self.args)
        declared = self.reads | BASE_READS
        undeclared = sorted(r for r in kit.record.take() if not kit.covers(declared, r))
        if undeclared:
            raise UndeclaredRead(f"{self.name} read {undeclared} without declaring it: add them to its jobs()")
        pages = [made] if isinstance(made, Page) else list(made)
        check_templates(self.name, self.make.__module__, pages)
        return pages

    def but(self, **changes) -> PageJob:
        """This job with some fields changed, as dataclasses.replace makes it, a fifth of its time (a
        build makes some 60,000 at 10,000 plans: each job in each language, then with its key)."""
        job = object.__new__(PageJob)
        job.__dict__.update(self.__dict__, **changes)
        return job

    @property
    def name(self) -> str:
        """'categories.category' and the arguments: what the job makes, for messages."""
        return f"{self.make.__module__.rsplit('.', 1)[-1]}.{self.make.__name__}{self.args!r}"


@dataclass(frozen=True)
class LinkListContext:
    """An index page (the provinces, the categories): a titled list of links with notes (template link_list.html)."""

    template: ClassVar[str] = "link_list.html"
    intro: str
    items: tuple[Link, ...]


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
    headline: str = ""  # value and subject in one line: "15 xã, phường, thị trấn"


@dataclass(frozen=True)
class QuoteItem:
    """A labelled verbatim quote with a link to where it sits in the text."""

    label: str
    quote: str
    url: str
    extra: str = ""
    flag: str = ""  # a cited instrument already replaced on the plan's date (sitegen.validity)


def json_ld(data: dict) -> str:
    """JSON-LD for a <script type="application/ld+json"> block, safe against '</script>'."""
    return figure_json(data)


# A download named by its site path in a source line (completed to an absolute URL where copied).
_SITE_CSV = re.compile(r"(?<![\w/.:-])data/[\w./-]+\.csv")


# ---------------------------------------------------------------- the kit


class Kit(SourceLines):
    """The helpers every page family uses, in one language."""

    def __init__(self, site: SiteData, lang: str, index: Index | None = None):
        self.lang = lang
        # The site's name is data (corpus/site.yaml); the other interface strings are code's.
        self.s = {**strings(lang), "site_name": site.corpus.settings.name(lang)}
        index = index or Index(site)
        self._site, self._plans = site, index.plans
        self._drafts = frozenset(p.id for p in site.corpus.drafts)
        # Page code sees the data only through views that record what it reads (reads.py).
        self.record = Recorder()
        self.site = site_view(site, self.record, self._plans)
        self.corpus = self.site.corpus
        self.settings = self.corpus.settings
        self.lk = self.corpus.lookups
        self.options = self.site.options
        self.plans = RecordedMapping(index.plans, self.record, lambda pid: ("plan", pid), ("plans",))
        self.ix = IndexView(index, self.record, self.plans)
        self.facts = FactsView(facts_of(site), self.record)  # what the summing-up pages read (facts.py)
        self._figure_json: dict[int, tuple[Chart, str, str]] = {}
        self._target_names: dict[str, dict[str, str]] = {}
        # The kit of the full site, plans' texts included, for the jobs that show them (PageJob.text);
        # pages.kits makes kits of the lean site (reads.lean_site) with the full one here.
        self.with_text = self

    @property
    def split(self) -> bool:
        """Whether pages listing every plan (matrices, categories, instruments) are split by province."""
        return self.options.split(self.plan_count)

    @property
    def plan_count(self) -> int:
        """How many plans the site has."""
        self.record(("plan_count",))
        return len(self._site.corpus.plans)

    def plan_text(self, p: Plan) -> str:
        """A plan's text (a read of the plan): its own, or the site's copy when the texts are kept
        apart from the plans (sitegen.texts; the lean site has none: it shows no text)."""
        self.record(("plan", p.id))
        texts = self._site.texts
        return texts.text(p.id) if texts is not None and p.id in texts else p.text

    def covers(self, declared: frozenset, read) -> bool:
        """Whether a declaration covers a read (reads.covered, with this site's plans and drafts)."""
        plan = self._plans.get
        return covered(declared, read, lambda pid: plan(pid).province if plan(pid) else "",
                       lambda pid: unit_of(plan(pid)) if plan(pid) else "", self._drafts)

    def t(self, key: str, **kw) -> str:
        """A UI string in the page's language."""
        return self.s["site_name"] if key == "site_name" else t(self.lang, key, **kw)

    def absolute(self, path: str) -> str:
        """A site path as published (urls.absolute under the build's base URL)."""
        return urls.absolute(self.options.base_url, path)

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

    def no_targets_note(self, p: Plan, none_key: str, not_in_text_key: str) -> str:
        """"" for a plan with targets; else the string saying its text states none (none_key) or, for an
        excerpt or press report, that its targets are not in this text (not_in_text_key): never "no target"."""
        key = "" if p.targets else not_in_text_key if p.targets_state == TARGETS_NOT_IN_TEXT else none_key
        return self.t(key) if key else ""

    def n_targets_text(self, p: Plan) -> str:
        """A plan's number of top-level targets for a table cell, or "targets not in this text"."""
        return self.no_targets_note(p, "", "targets_not_in_text_short") or fmt_number(len(p.top_targets), self.lang)

    def plan_count_text(self, p: Plan) -> str:
        """count_text of a plan's targets, or "targets not in this text"."""
        return self.no_targets_note(p, "", "targets_not_in_text_short") or self.count_text(p.targets)

    def count_text(self, targets) -> str:
        """'17 chỉ tiêu, kèm 6 phần của chỉ tiêu' (or just '3 chỉ tiêu'): parts never counted as targets."""
        return self.counts_text(sum(tg.parent is None for tg in targets), sum(tg.parent is not None for tg in targets))

    def counts_text(self, tops: int, parts: int) -> str:
        """count_text of so many top-level targets and parts."""
        text = self.count_targets(tops)
        if parts:
            text = self.t("targets_and_parts", targets=text, parts=self.t(
                "n_parts_one" if parts == 1 else "n_parts", n=fmt_number(parts, self.lang)))
        return text

    def label(self, table: dict, key: str) -> str:
        """A lookup entry's label in the page's language (the key itself when it has no entry)."""
        entry = table.get(key)
        if entry is None:
            return key
        return entry.vi if self.lang == "vi" else entry.en

    def plan_label(self, p: Plan | PlanHead) -> str:
        """'Quảng Ninh 2021' (with the number when several plans share a province and year); of a
        PlanHead, the count of such plans is read from the headings."""
        twins = self.ix.head_twins if isinstance(p, PlanHead) else self.ix.twins
        tail = f" ({p.number})" if twins[(p.province, p.year)] > 1 and p.number else ""
        return f"{p.province} {p.year}{tail}"

    def plan_title(self, p: Plan) -> str:
        """'Kế hoạch số 27/KH-UBND — Quảng Ninh 2021'."""
        number = f" {self.t('number_short')} {p.number}" if p.number else ""
        doc_type = DOC_TYPES_EN.get(p.doc_type, p.doc_type) if self.lang == "en" else p.doc_type
        return f"{doc_type}{number} — {p.province} {p.year}"

    def doc_type(self, vi: str) -> str:
        """A document type as the page's language names it: 'Kế hoạch (Plan)' in English."""
        en = DOC_TYPES_EN.get(vi)
        return f"{vi} ({en})" if self.lang == "en" and en else vi

    def instrument_label(self, inst: Instrument) -> str:
        """'Chỉ thị 36-CT/TW'; in English 'Directive 36-CT/TW' (a law cited by name keeps its Vietnamese name)."""
        kind = DOC_TYPES_EN.get(inst.type, inst.type) if self.lang == "en" else inst.type
        if inst.number:
            return f"{kind} {inst.number}"
        return inst.title or kind

    def base(self, path: str, title: str, description: str, nav: str, *, scripts=(), crumbs=(),
             json_ld: str = "") -> Base:
        """The base layout's context of the page at (language-free) `path`."""
        lp = urls.lang_path(self.lang, path)
        other = "en" if self.lang == "vi" else "vi"
        return Base(
            lang=self.lang, path=lp, title=title, description=shorten(description, DESCRIPTION_MAX), s=self.s,
            nav=tuple(Link(self.t("nav_" + key), urls.rel(lp, urls.lang_path(self.lang, p))) for key, p in urls.NAV),
            current_nav=self.t("nav_" + nav) if nav else "",
            alt_url=urls.rel(lp, urls.lang_path(other, path)), alt_lang=other, alt_label=self.t("alt_language"),
            css_url=urls.rel(lp, urls.STYLE), print_css_url=urls.rel(lp, urls.PRINT_STYLE),
            scripts=tuple(urls.rel(lp, s) for s in (*scripts, urls.SITE_JS)),
            home_url=urls.rel(lp, urls.lang_path(self.lang, urls.HOME)),
            data_version=self.corpus.data_version,
            breadcrumbs=tuple(Link(text, urls.rel(lp, urls.lang_path(self.lang, p))) for text, p in crumbs),
            canonical=self.absolute(lp) if self.options.base_url else "",
            json_ld=json_ld,
            search_url=urls.rel(lp, urls.lang_path(self.lang, urls.SEARCH)),
            data_url=urls.rel(lp, urls.lang_path(self.lang, urls.DATA_PAGE)),
            methodology_url=urls.rel(lp, urls.lang_path(self.lang, urls.METHODOLOGY)),
            searchable=urls.searchable(path),
            **self.social(lp, path),
        )

    def social(self, lp: str, path: str) -> dict:
        """The page's social card and address, the licence and contact, for the base layout."""
        def province(pid: str) -> str | None:  # a draft of a province with no reviewed plan has no card
            if urls.is_plan_list_name(pid):
                return None  # a page of the plan list (no plan has its name: validate), not a plan's
            p = self.plans.get(pid)
            if p is None or unit_of(p) not in self.ix.unit_pages:
                return None
            return urls.province_path(unit_of(p))[len("provinces/"):-len(".html")]
        card = urls.lang_path(self.lang, card_path_for(path, province))
        known = bool(self.options.base_url)
        return dict(og_image=self.absolute(card) if known else urls.rel(lp, card),
                    og_url=self.absolute(lp) if known else "", licence_title=self.settings.licence_title,
                    contact=self.settings.contact)

    def page(self, path: str, base: Base, context, charts=()) -> Page:
        """A Page at (language-free) `path`, rendered by the template its context names; `charts`
        are the Charts drawn on it."""
        return Page(urls.lang_path(self.lang, path), context.template, base, context,
                    tuple((c, path) for c in charts))

    def home_crumbs(self) -> tuple[tuple[str, str], ...]:
        """Home, the breadcrumb every page but the home page starts with."""
        return ((self.t("nav_home"), urls.HOME),)

    def url(self, from_path: str, to: str) -> str:
        """A link from one page to another of the same language (both language-free paths)."""
        return urls.rel(urls.lang_path(self.lang, from_path), urls.lang_path(self.lang, to))

    def file_url(self, from_path: str, site_path: str) -> str:
        """A link from a page to a file outside the language folders (data/, assets/)."""
        return urls.rel(urls.lang_path(self.lang, from_path), site_path)

    def unit_label(self, unit: str) -> str:
        """A unit's label in the page's language."""
        return self.label(self.lk.units, unit)

    def target_value(self, tg: Target) -> str:
        """A target's value as read: '≥ 90 %'."""
        return fmt_value(tg.value, tg.value_max, tg.comparator, self.unit_label(tg.unit), self.lang)

    def quote_url(self, from_path: str, tg: Target, anchors: dict[str, str] | None = None) -> str:
        """URL of a target's highlighted quote in its plan's text (on its Vietnamese page only: plans.plan)."""
        anchor = (anchors or {}).get(tg.id, urls.quote_anchor(tg.id))
        return self.file_url(from_path, f"{urls.plan_path(tg.plan_id)}#{anchor}")

    def target_row(self, from_path: str, tg: Target, anchors: dict[str, str] | None = None) -> TargetRow:
        """A target as a table row of the page at from_path."""
        p = self.plans[tg.plan_id]
        note = reading.target_note(self.lang, tg, self.target_names(tg.plan_id))
        value = reading.reader_value(self.lk, self.lang, tg)  # and in the headline: computed once
        return TargetRow(
            id=tg.id, anchor=urls.target_anchor(tg.id),
            plan=Link(self.plan_label(p), self.url(from_path, urls.plan_path(p.id))),
            category=Link(self.label(self.lk.categories, tg.category),
                          self.url(from_path, urls.category_path(tg.category))),
            subject=self.label(self.lk.subjects, tg.subject) if self.lang == "en" else tg.subject_text,
            subject_vi=tg.subject_text if self.lang == "en" else "",
            value=value,
            headline=reading.target_headline(self.lk, self.lang, tg, value),
            direction=self.t("dir_" + tg.direction.replace(" ", "_")),
            deadline=str(tg.deadline) if tg.deadline else self.t("unknown"),
            deadline_text=self.t("target_by", year=tg.deadline) if tg.deadline else self.t("target_no_deadline"),
            quote=tg.quote, quote_url=self.quote_url(from_path, tg, anchors),
            note=note, note_runs=runs(note, self.lang),
            child=tg.parent is not None, press=p.source_kind == "press",
        )

    def target_names(self, plan_id: str) -> dict[str, str]:
        """Each target id of a plan -> how a note names it (reading.target_names), made once per plan."""
        if plan_id not in self._target_names:
            self._target_names[plan_id] = reading.target_names(self.lk, self.lang, self.plans[plan_id].targets)
        return self._target_names[plan_id]

    def chart_view(self, from_path: str, chart: Chart) -> ChartView:
        """A chart as the page at from_path shows it (the page lists the chart in its Page.charts)."""
        lp = urls.lang_path(self.lang, from_path)
        own = urls.lang_path(self.lang, urls.chart_path(chart.id))
        embed = urls.lang_path(self.lang, urls.embed_url(chart.id))
        base_url = self.options.base_url
        # A source line that counts its plans names a download by its site path: completed like the URL.
        more = () if base_url else tuple(dict.fromkeys(_SITE_CSV.findall(chart.source)))
        publisher = self.settings.publisher(self.lang)
        cite = cite_view(self.lang, CiteSource(
            key=f"kehoach-{chart.id}", kind="chart", title=chart.title, author=publisher, publisher=publisher,
            site_name=self.t("site_name"), version=self.corpus.data_version, sources=chart.source,
            url=self.absolute(own), more_paths=more), f"cite-{chart.id}",
            None if base_url else (lambda p: urls.rel(lp, p)))
        image = image_meta(chart, self.lang, site_name=self.t("site_name"), version=self.corpus.data_version,
                           url=self.absolute(own), url_rel="" if base_url else urls.rel(lp, own),
                           deadlines=self.chart_deadlines(chart))
        return ChartView(
            id=chart.id, title=chart.title, subtitle=chart.subtitle, figure_json=self.figure_json(chart),
            static_svg=self.static_svg(chart), notes=chart.notes, omitted=chart.omitted,
            library_url=urls.rel(lp, urls.CHART_LIBRARY),
            description=chart.description,
            source=chart.source, columns=chart.columns, rows=chart.rows,
            csv_url=urls.rel(lp, urls.chart_csv_path(chart.id, self.lang)), page_url=urls.rel(lp, own),
            embed_url=urls.rel(lp, embed), cite=cite,
            embed_snippet=embed_snippet(self.absolute(embed), chart),
            embed_urls="" if base_url else json.dumps([[embed, urls.rel(lp, embed)]]), embed_path=embed,
            image_json=image,
        )

    def chart_deadlines(self, chart: Chart) -> tuple[str, ...]:
        """The deadlines of the targets a chart draws, from its data (by target id, or by the plan's
        targets of the drawn value and unit), for the subtitle of its downloaded image."""
        cols = chart.csv_columns
        if deadlines_in_data(chart):  # no plan need be read
            at = cols.index("deadline")
            return tuple(sorted({str(row[at]) for row in chart.csv_rows if row[at]}))
        pid = deadlines_plan_column(chart)
        if pid is None:
            return ()
        found = set()
        for row in chart.csv_rows:
            r = dict(zip(cols, row))
            p = self.plans.get(r[pid])
            for tg in p.targets if p else ():
                same = tg.id == r["target_id"] if "target_id" in r else (
                    tg.value == r["value"] and tg.unit == r["unit"] and tg.parent is None)
                if same and tg.deadline:
                    found.add(str(tg.deadline))
        return tuple(sorted(found))

    def figure_json(self, chart: Chart) -> str:
        """A chart's figure serialized once for the pages in a row that show it (the latest 64 are kept)."""
        return self._drawn(chart)[1]

    def static_svg(self, chart: Chart) -> str:
        """A chart drawn at build time (chartsvg), once for the pages in a row that show it."""
        return self._drawn(chart)[2]

    def _drawn(self, chart: Chart) -> tuple[Chart, str, str]:
        hit = self._figure_json.get(id(chart))
        if hit is None or hit[0] is not chart:
            self._figure_json.pop(next(iter(self._figure_json)) if len(self._figure_json) >= 64 else None, None)
            hit = self._figure_json[id(chart)] = (chart, figure_json(page_figure(chart)),
                                                  chart_svg(chart.figure, f"cs-{chart.id}"))
        return hit
