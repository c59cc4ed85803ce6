"""The plan pages: the list of plans (paginated on a split site) and each plan's own page, with its
verbatim text, metadata card, targets, tasks, themes, citations and downloads."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import ClassVar

from .. import urls
from ..i18n import fmt_date, fmt_number
from ..model import TARGETS_NOT_IN_TEXT, Header, Instrument, Plan
from ..textrender import Annotation, render_text
from ..citeblock import CiteSource, CiteView, cite_view
from ..validity import replaced_by_then
from ..wording import Run, normal_case_title
from .comparisons import with_parts
from .facts import PlanLine
from .kit import Kit, Link, MetaRow, Page, PageJob, QuoteItem, TargetRow, json_ld, unit_of
from .provinces import unit_name
from .reads import lookups
from .summary import TargetItem, doc_type_runs, plan_jump_links, plan_summary, target_items


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
    """The list of all plans (on a split site, one page of it) (template plan_list.html)."""

    template: ClassVar[str] = "plan_list.html"
    rows: tuple[PlanRow, ...]
    pagination: Pagination | None = None
    range_note: str = ""
    csv: Link | None = None
    drafts: tuple[PlanRow, ...] = ()  # unreviewed drafts, listed apart (first page only)


@dataclass(frozen=True)
class AgencyTasks:
    """An agency's tasks in one plan."""

    agency: Link
    items: tuple[QuoteItem, ...]


@dataclass(frozen=True)
class PlanContext:
    """One plan page (template plan.html)."""

    template: ClassVar[str] = "plan.html"
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
    cite: CiteView
    province: Link
    summary: tuple[tuple[Run, ...], ...]  # paragraphs made from the data, in the page's language
    notable: tuple[tuple[Run, ...], ...]  # a few top-level targets, named in the summary
    target_items: tuple[TargetItem, ...]
    jump: tuple[Link, ...]
    provenance: str
    scope: tuple[QuoteItem, ...] = ()  # its kinds and topics, each with the quote of its title or căn cứ
    text_link: Link | None = None  # on an English page, the text on the Vietnamese page (instead of the text)


# ---------------------------------------------------------------- the plan list


def plan_list_pages(k: Kit) -> list[Page]:
    """The plan list: one page, or on a split site, pages of options.plan_list_page_size rows. Made of
    the plans' lines (facts.PlanLine): an edit that leaves each plan's row as it was leaves it alone."""
    if not k.split:
        return [plan_list(k)]
    n = max(1, -(-k.plan_count // k.options.plan_list_page_size))
    taken = {urls.plan_path(p.id) for p in k.facts.plan_lines} & {urls.plan_list_path(i) for i in range(2, n + 1)}
    if taken:
        # A plan id like "page-2" passes validation but would overwrite a page of the list.
        raise ValueError(f"plan pages would overwrite pages of the plan list: {', '.join(sorted(taken))}")
    return [plan_list(k, number) for number in range(1, n + 1)]


def plan_list(k: Kit, number: int = 1) -> Page:
    """The list of plans (on a split site, its page `number`)."""
    path = urls.plan_list_path(number)
    plans = k.facts.plan_lines
    pagination, range_note, csv, title = None, "", None, k.t("nav_plans")
    if k.split:
        size = k.options.plan_list_page_size
        n = max(1, -(-len(plans) // size))
        if not 1 <= number <= n:
            raise ValueError(f"the plan list has no page {number} (it has {n})")
        first = (number - 1) * size
        plans = plans[first:first + size]
        range_note = k.t("plans_page_range", first=fmt_number(first + 1, k.lang),
                         last=fmt_number(first + len(plans), k.lang),
                         total=fmt_number(k.plan_count, k.lang), size=fmt_number(size, k.lang))
        csv = Link(k.t("plans_csv"), k.file_url(path, urls.table_csv_path("plans")))
        if n > 1:
            pagination = _pagination(k, path, number, n)
            title = k.t("plans_page_title", page=fmt_number(number, k.lang), pages=fmt_number(n, k.lang))
    rows = []
    for p in plans:
        flags = []
        if p.source_kind == "press":
            flags.append(k.t("flag_press"))
        if p.excerpt:
            flags.append(k.t("flag_excerpt"))
        rows.append(PlanRow(
            Link(k.plan_title(p), k.url(path, urls.plan_path(p.id))),
            Link(p.province, k.url(path, urls.province_path(p.province))), str(p.year),
            p.number or k.t("unknown"), fmt_date(p.issued, k.lang) or k.t("unknown"),
            k.t("kind_" + p.source_kind), _n_targets_text(k, p), tuple(flags)))
    crumbs = k.home_crumbs()
    if number > 1:
        crumbs += ((k.t("nav_plans"), urls.plan_list_path(1)),)
    drafts = tuple(_draft_row(k, path, p) for p in k.corpus.drafts) if number == 1 else ()
    return k.page(path, k.base(path, title, k.t("plans_description"), "plans", crumbs=crumbs),
                  PlanListContext(tuple(rows), pagination, range_note, csv, drafts))


def _n_targets_text(k: Kit, line: PlanLine) -> str:
    """Kit.n_targets_text of a plan's line."""
    if line.targets_state == TARGETS_NOT_IN_TEXT:
        return k.t("targets_not_in_text_short")
    return fmt_number(line.n_top, k.lang)


def _draft_row(k: Kit, path: str, p: Plan) -> PlanRow:
    """A draft in the plan list: its own row, no province link when no reviewed plan has that province."""
    province = k.url(path, urls.province_path(p.province)) if p.province in k.ix.by_province else ""
    return PlanRow(Link(k.plan_title(p), k.url(path, urls.plan_path(p.id))), Link(p.province, province),
                   str(p.year), p.number or k.t("unknown"), fmt_date(p.issued, k.lang) or k.t("unknown"),
                   k.t("kind_" + p.source_kind), k.n_targets_text(p), (k.t("flag_draft"),))


def _pagination(k: Kit, path: str, number: int, n: int) -> Pagination:
    """Previous, every page number and next, as page `number` of `n` of the plan list links them."""
    def link(i: int, text: str, label: str, rel_: str = "") -> PageLink:
        url = k.url(path, urls.plan_list_path(i)) if 1 <= i <= n else ""
        return PageLink(text, label, url, i == number and not rel_, rel_)

    def page(i: int) -> PageLink:
        return link(i, fmt_number(i, k.lang), k.t("pagination_page", page=fmt_number(i, k.lang)))
    return Pagination(k.t("pagination_top"), k.t("pagination_bottom"),
                      link(number - 1, k.t("pagination_prev"), k.t("pagination_prev"), "prev"),
                      link(number + 1, k.t("pagination_next"), k.t("pagination_next"), "next"),
                      tuple(page(i) for i in range(1, n + 1)))


# ---------------------------------------------------------------- a plan's page


_LAST_TEXT: list = [None, None]


def _render_text(body: str, annotations: list[Annotation]):
    """render_text, remembering the last call: a plan's two pages (vi, en) are made one after the
    other from the same text and, unless it has garbled spots (whose notes are translated), the
    same annotations. The text rendering is most of a plan page's cost."""
    key = (body, tuple(annotations))
    if _LAST_TEXT[0] != key:
        _LAST_TEXT[0], _LAST_TEXT[1] = key, render_text(body, annotations)
    return _LAST_TEXT[1]


def matrices_of(k: Kit, p: Plan) -> str:
    """The matrices page that has a column for plan p."""
    return urls.matrices_path(unit_of(p) if k.split else None)


def cite_title(p: Plan) -> str:
    """A plan's title as a citation names it: 'Kế hoạch 27/KH-UBND: Thực hiện …'; without a number,
    the title alone when it starts with the document type ('Kế hoạch triển khai …'), else 'Kế hoạch: …'."""
    if p.number:
        return f"{p.doc_type} {p.number}: {p.title}"
    if p.title.casefold().startswith(p.doc_type.casefold() + " "):
        return p.title
    return f"{p.doc_type}: {p.title}"


def plan(k: Kit, p: Plan) -> Page:
    """A plan's page."""
    k = k.with_text  # its text and its citations' offsets: the full site, however it is called
    path = urls.plan_path(p.id)
    lp = urls.lang_path(k.lang, path)
    cites = k.ix.cites_of_plan.get(p.id, [])
    # A draft's candidate quotes carry the value read from them, for the reviewer to check in place.
    annotations = [Annotation(tg.quote, "quote", tg.id, f"{tg.id}: {k.target_value(tg)}" if p.is_draft else "")
                   for tg in p.targets]
    annotations += [Annotation(c.quote, "quote", c.id) for c in p.commitments]
    for c in cites:
        if c.legal_id:
            annotations.append(Annotation(c.as_written, "cite", k.url(path, urls.instrument_path(c.legal_id))))
    annotations += [Annotation(g.text, "garble", k.garble_title(g)) for g in p.garbles]
    # A text that cites the same words twice gets one annotation: each matches every occurrence.
    text = _render_text(k.plan_text(p), list(dict.fromkeys(annotations)))
    anchors = text.quote_anchors
    unknown = k.t("unknown")

    def row(key, value, url="", vi=False):
        return MetaRow(k.t(key), value if value else unknown, not value, url,
                       "vi" if vi and value and k.lang == "en" else "")

    meta = [
        row("meta_number", p.number),
        MetaRow(k.t("meta_doc_type"), k.doc_type(p.doc_type), runs=doc_type_runs(k, p.doc_type)),
        row("meta_issuer", p.issuer, vi=True),
        row("meta_signer", p.signer, vi=True),
        row("meta_signer_title", normal_case_title(p.signer_title or ""), vi=True),
        row("meta_issued", fmt_date(p.issued, k.lang)),
        row("meta_period", str(p.year) if p.year == p.period_end else f"{p.year}–{p.period_end}"),
        row("meta_field", p.field, vi=True),
        row("meta_province", p.province, k.url(path, urls.province_path(unit_of(p)))),
        *today_rows(k, path, p),
        row("meta_source_kind", k.t("kind_" + p.source_kind)),
        row("meta_excerpt", k.t("yes") if p.excerpt else k.t("no")),
        row("meta_source_file", p.source_file),
    ]
    if p.source_kind == "press":
        meta += [row("meta_press_outlet", p.press_outlet, vi=True),
                 row("meta_press_published", fmt_date(p.press_published, k.lang)),
                 row("meta_press_author", p.press_author, vi=True)]
    flags = []
    if p.is_draft:  # said first and plainly: a program read this plan and nobody has checked it yet
        flags.append(k.t("flag_draft_long"))
        flags.append(draft_review_flag(k, p.review))
    if p.text_origin == "ocr":  # recognition errors are possible in any word or number of this text
        flags.append(k.t("flag_ocr_long", file=p.original.name if p.original else p.source_file))
    if p.source_kind == "press":
        flags.append(k.t("flag_press_long"))
    if p.excerpt:
        flags.append(k.t("flag_excerpt_long"))
    targets = tuple(k.target_row(path, tg, anchors) for tg in with_parts(p.targets))
    targets = tuple(TargetRow(**{**r.__dict__, "section": text.section_of.get(r.id, "")}) for r in targets)
    commitments = tuple(QuoteItem(k.label(k.lk.commitment_kinds, c.kind), c.quote,
                                  k.file_url(path, f"{path}#{anchors[c.id]}") if c.id in anchors else "")
                        for c in p.commitments)
    by_agency: dict[str, list] = {}
    for task in p.tasks:
        by_agency.setdefault(task.agency, []).append(
            QuoteItem(k.t("role_" + task.role.replace(" ", "_")), task.quote, "", task.as_written))
    matrices = matrices_of(k, p)
    tasks = tuple(AgencyTasks(Link(k.label(k.lk.agencies, a),
                                   k.url(path, f"{matrices}#{urls.matrix_row_anchor('agencies', a)}")), tuple(items))
                  for a, items in sorted(by_agency.items(), key=lambda kv: k.label(k.lk.agencies, kv[0])))
    themes = tuple(QuoteItem(k.label(k.lk.themes, th.theme), th.quote,
                             k.url(path, f"{matrices}#{urls.matrix_row_anchor('themes', th.theme)}"))
                   for th in p.themes)
    if p.is_draft:  # the matrices, downloads and province pages have no column, file or row for a draft
        tasks = tuple(AgencyTasks(Link(a.agency.text, ""), a.items) for a in tasks)
        themes = tuple(QuoteItem(q.label, q.quote, "", q.extra) for q in themes)
    seen, citations, unresolved = set(), [], []
    for c in cites:
        if c.legal_id and c.legal_id in k.site.instruments:
            if c.legal_id in seen:
                continue
            seen.add(c.legal_id)
            inst = k.site.instruments[c.legal_id]
            citations.append(QuoteItem(k.instrument_label(inst), c.as_written,
                                       k.url(path, urls.instrument_path(inst.id)), fmt_date(inst.issued, k.lang),
                                       replaced_flag(k, inst, p)))
        else:
            unresolved.append(QuoteItem(c.number or c.type, c.as_written, ""))
    # A misspelling shows what it should read (in Vietnamese); another fault, what is wrong.
    garbles = tuple(QuoteItem(g.text, g.note, "", "" if g.note else k.garble_remark(g)) for g in p.garbles)
    toc = tuple(Link(e.text, f"#{e.anchor}", str(e.level)) for e in text.toc)
    h = p.header
    # The text is Vietnamese: it is on the Vietnamese page only. The English page shows the targets,
    # commitments, tasks and citations with their quotes, and its quote links open the text there
    # (it repeated the whole text: 24 of its 66 KB, 250 MB of a 10,000-plan site).
    text_link = None
    if k.lang != "vi":
        text_link = Link(k.t("plan_text_on_vi"), k.file_url(path, f"{path}#toan-van"))
        text, toc, h = replace(text, html=""), (), Header()
    downloads = (Link(k.t("download_plan_json"), k.file_url(path, urls.plan_json_path(p.id))),
                 Link(k.t("download_all_tables"), k.url(path, urls.DATA_PAGE), "page"),  # a page, not a file
                 Link(k.t("download_source"), k.file_url(path, urls.source_path(p.source_file))))
    if p.is_draft:
        downloads = ()
        if unit_of(p) not in k.ix.unit_pages:
            meta = [MetaRow(m.label, m.value, m.unknown, "", m.lang, m.runs) if m.label == k.t("meta_province") else m
                    for m in meta]
    permalink = k.absolute(lp)
    version = k.corpus.data_version
    cite = cite_view(k.lang, CiteSource(
        key=f"kehoach-{p.id}", kind="plan", title=cite_title(p),
        author=p.issuer or k.t("unknown"), publisher=k.settings.publisher(k.lang), site_name=k.t("site_name"),
        version=version, sources=k.t("chart_source", docs=k.doc_reference(p)), url=permalink,
        year=p.issued[:4] if p.issued else str(p.year), issued=p.issued or ""), "cite-plan",
        None if k.options.base_url else (lambda x: urls.rel(lp, x)))
    summary, notable = plan_summary(k, p, citations, tasks)
    ctx = PlanContext(
        plan_id=p.id, heading=k.plan_title(p), subtitle=p.title, meta=tuple(meta), flags=tuple(flags),
        targets=targets, no_targets_note=k.no_targets_note(p, "no_targets_note", "not_in_text_note"),
        commitments=commitments, tasks=tasks, themes=themes, citations=tuple(citations),
        scope=tuple(QuoteItem(k.t("scope_" + s.aspect + "s"),
                              s.quote, "", k.label(k.lk.plan_kinds if s.aspect == "kind" else k.lk.themes, s.id))
                    for s in p.scope),
        unresolved=tuple(unresolved), garbles=garbles,
        header_left=h.left, header_right=h.right, number_line=h.number_line, place_date=h.place_date,
        sign_authority=h.sign_authority, sign_title=h.sign_title, sign_name=h.sign_name,
        recipients=h.recipients, text_html=text.html, toc=toc, downloads=downloads, cite=cite, text_link=text_link,
        province=Link(p.province, k.url(path, urls.province_path(unit_of(p)))
                      if unit_of(p) in k.ix.unit_pages else ""),
        summary=summary, notable=notable, target_items=target_items(targets, p),
        jump=plan_jump_links(k, p, commitments, garbles),
        provenance=(p.provenance_en or p.provenance) if k.lang == "en" else p.provenance,
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
    if k.options.base_url:
        ld["url"] = permalink
    return k.page(path, k.base(path, k.plan_title(p), p.title, "plans", json_ld=json_ld(ld),
                               crumbs=(*k.home_crumbs(), (k.t("nav_plans"), urls.PLAN_LIST))),
                  ctx)


def draft_review_flag(k: Kit, review) -> str:
    """What a draft still needs reviewed: its `review:` list, or, when that is empty, that none is left."""
    # An empty list means the reviewer has confirmed everything, not that what is left is unknown.
    return k.t("draft_unreviewed", fields="; ".join(review)) if review else k.t("draft_all_reviewed")


def today_rows(k: Kit, path: str, p: Plan) -> list[MetaRow]:
    """The plan's present-day province (corpus/provinces.yaml), when the unit it was signed in no longer exists."""
    now = [x for x in p.province_today if x != unit_of(p)]
    if not now:
        return []
    url = k.url(path, urls.province_path(now[0])) if len(now) == 1 and now[0] in k.ix.unit_pages else ""
    return [MetaRow(k.t("meta_province_today"), ", ".join(unit_name(k, x) for x in now), False, url)]


def replaced_flag(k: Kit, inst: Instrument, p: Plan) -> str:
    """The warning next to a cited instrument the registry records as already replaced on the plan's date."""
    if not replaced_by_then(inst, p.issued, p.year):
        return ""
    return k.t("validity_flag", detail=k.t("validity_replaced_by", by=inst.replaced_by,
                                           date=fmt_date(inst.replaced_from, k.lang)))


def plan_page(k: Kit, plan_id: str) -> Page:
    """A plan's page, by the plan's id (as its job names it)."""
    return plan(k, k.plans[plan_id])


# The plan's present-day province and the links to province pages read provinces.yaml and which units have a page.
PLAN_LOOKUPS = lookups("categories", "subjects", "units", "commitment_kinds", "agencies", "themes", "plan_kinds",
                       "provinces") | {("unit_pages",)}


def plan_jobs(site) -> dict[str, PageJob]:
    """The job of each plan's page (made apart: see pipeline), by plan id. A plan page reads its plan,
    its province's plans' years (whether another shares its year), the registry entries of the
    instruments it cites (not the citations of them in other plans) and some lookups."""
    cited: dict[str, set] = {}
    for c in site.citations:
        if c.legal_id:
            cited.setdefault(c.plan_id, set()).add(("entry", c.legal_id))
    # A draft has its page too (and no citations: they are found in reviewed plans only).
    return {p.id: PageJob(plan_page, (p.id,), True,
                          frozenset({("plan", p.id), ("years", p.province), *cited.get(p.id, ())}) | PLAN_LOOKUPS,
                          text=True)
            for p in (*site.corpus.plans, *site.corpus.drafts)}


def jobs(site) -> list[PageJob]:
    """The plan list, as a job (the plan pages are made apart: plan_jobs); it lists the drafts apart."""
    return [PageJob(plan_list_pages, reads=frozenset({("plan_lines",), ("plan_heads",), ("drafts",),
                                                      ("option", "plan_list_page_size")}))]
