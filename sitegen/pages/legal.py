"""The legal bases: the index of cited instruments (by level and type, with the citation network and
the province × central instrument matrix) and each instrument's page with every citing sentence; on
a split site an instrument page sums up its citing plans per province and links to a page per province."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import ClassVar
from datetime import date

from .. import urls
from ..charts import Chart, network_chart, province_network_chart
from ..i18n import fmt_date, fmt_number
from ..model import Citation, Instrument
from ..validity import STATUSES
from .facts import UnitPlan
from .reads import PlanHead, unit_of
from ..wording import Run, body_en, legal_reference_en, runs
from .kit import DOC_TYPES_EN, ChartView, Kit, Link, MetaRow, Page, PageJob, json_ld
from .summary import doc_type_runs

LEVEL_ORDER = ("Trung ương Đảng", "Quốc hội", "Chính phủ", "Thủ tướng Chính phủ", "Bộ", "Tỉnh ủy",
               "HĐND tỉnh", "UBND tỉnh", "Sở", "Khác")


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
    status: str = "unknown"  # in_force, replaced, unknown: what the validity filter matches
    validity: str = ""
    level_runs: tuple = ()  # the level and the issuer as the page's language reads them (body_runs)
    issuer_runs: tuple = ()
    type_runs: tuple = ()  # the type as the page's language reads it: 'Directive (Chỉ thị)' in English


@dataclass(frozen=True)
class LegalIndexContext:
    """The legal bases index: instruments by level and type, the network and the matrix (template legal_index.html)."""

    template: ClassVar[str] = "legal_index.html"
    rows: tuple[InstrumentRow, ...]
    levels: tuple[tuple[str, str], ...]  # (value the filter matches, label)
    types: tuple[tuple[str, str], ...]  # (value the filter matches, label)
    network: ChartView | None
    matrix_columns: tuple[Link, ...]
    matrix_rows: tuple[tuple[Link, tuple[str, ...]], ...]
    network_note: str = ""  # on a split site: why the network draws provinces
    statuses: tuple[tuple[str, str], ...] = ()  # (value, label) of the validity filter: those that occur


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
    earlier: str = ""  # an earlier plan of the province in the corpus, after the instrument, not citing it


@dataclass(frozen=True)
class InstrumentContext:
    """One legal instrument page (template instrument.html)."""

    template: ClassVar[str] = "instrument.html"
    heading: str
    meta: tuple[MetaRow, ...]
    citing: tuple[CitingRow, ...]
    names: tuple[str, ...]


@dataclass(frozen=True)
class InstrumentProvinceContext(InstrumentContext):
    """An instrument page restricted to the plans of one province (template instrument_province.html)."""

    template: ClassVar[str] = "instrument_province.html"
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
    """An instrument page when there are too many plans to list: its citing plans summed up by
    province (template instrument_overview.html)."""

    template: ClassVar[str] = "instrument_overview.html"
    heading: str
    meta: tuple[MetaRow, ...]
    names: tuple[str, ...]
    intro: tuple[str, ...]
    rows: tuple[ProvinceCitingRow, ...]
    caption: str


def _level_rank(level: str) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def _cited(k: Kit) -> dict[str, set]:
    """The plans citing each instrument."""
    cited: dict[str, set] = {}
    for c in k.site.citations:
        if c.legal_id:
            cited.setdefault(c.legal_id, set()).add(c.plan_id)
    return cited


def legal_index(k: Kit) -> Page:
    """The legal bases index: every instrument, the province × central instrument matrix, the network."""
    path = urls.LEGAL_INDEX
    cited = _cited(k)
    rows = []
    for inst in k.site.instruments.values():
        level = inst.level or "Khác"
        rows.append(InstrumentRow(
            Link(k.instrument_label(inst), k.url(path, urls.instrument_path(inst.id)), inst.title),
            inst.type, inst.number or "—", inst.issuer or k.t("unknown"), level, _level_rank(level),
            fmt_date(inst.issued, k.lang) or k.t("unknown"), inst.issued or "",
            len(cited.get(inst.id, ())), inst.status, validity(k, inst), body_runs(k, level),
            body_runs(k, inst.issuer) if inst.issuer else (Run(k.t("unknown")),), doc_type_runs(k, inst.type)))
    rows.sort(key=lambda r: (r.level_rank, r.type, r.issued_sort, r.number))
    chart = network(k, cited)
    view = k.chart_view(path, chart) if chart else None
    # The plans' headings only (ix.heads): an edit of a plan's targets or tasks leaves this page alone.
    heads = k.ix.heads
    plans = list(heads.values())
    provinces = sorted({p.province for p in plans})
    central = [r for r in rows if r.level_rank <= LEVEL_ORDER.index("Bộ")]
    m_rows = []
    for r in central:
        inst_id = r.link.url.rsplit("/", 1)[-1][:-5]
        years_of: dict[str, set[str]] = defaultdict(set)
        for pid in cited.get(inst_id, ()):
            if pid in heads:
                years_of[heads[pid].province].add(str(heads[pid].year))
        cells = [", ".join(sorted(years_of.get(prov, ()))) for prov in provinces]
        m_rows.append((r.link, tuple(cells)))
    note = k.t("legal_network_provinces_note", n=fmt_number(len(plans), k.lang)) if view and k.split else ""
    levels = tuple((lv, (body_en(lv) or lv) if k.lang == "en" else lv)
                   for lv in sorted({r.level for r in rows}, key=lambda lv: LEVEL_ORDER.index(lv) if lv in LEVEL_ORDER else 99))
    return k.page(path, k.base(path, k.t("nav_legal"), k.t("legal_description"), "legal",
                               scripts=urls.CHART_SCRIPTS if view else (), crumbs=k.home_crumbs()),
                  LegalIndexContext(tuple(rows), levels, tuple((ty, DOC_TYPES_EN.get(ty, ty) if k.lang == "en" else ty)
                                                     for ty in sorted({r.type for r in rows})), view,
                                    tuple(Link(pr, k.url(path, urls.province_path(pr))) for pr in provinces),
                                    tuple(m_rows), note,
                                    tuple((st, k.t("validity_" + st)) for st in STATUSES
                                          if any(r.status == st for r in rows))),
                  (chart,) if chart else ())


def network(k: Kit, cited: dict[str, set]) -> Chart | None:
    """The citation network: plans (on a split site, provinces) and the dated instruments they cite."""
    citing = set().union(*cited.values())
    plans = [p for p in k.ix.heads.values() if p.id in citing]
    insts = [i for i in k.site.instruments.values() if i.id in cited and i.issued]
    if not plans or not insts:
        return None
    # The x axis is the year of issue: instruments without a date are not drawn, and the chart says which.
    undated = tuple(sorted(k.instrument_label(i) for i in k.site.instruments.values() if i.id in cited and not i.issued))
    inst_rows = []
    for i in insts:
        level = i.level or "Khác"
        shown = (body_en(level) or level) if k.lang == "en" else level  # the heading the chart writes
        inst_rows.append({"label": k.instrument_label(i), "short": i.number or i.type,
                          "year": int(i.issued[:4]), "level": shown, "rank": _level_rank(level) + 1})
    if k.split:
        return province_network(k, plans, insts, inst_rows, cited, undated)
    p_index = {p.id: n for n, p in enumerate(plans)}
    edges = sorted({(p_index[pid], n) for n, i in enumerate(insts) for pid in cited[i.id] if pid in p_index})
    return network_chart("mang-luoi-can-cu", k.t("chart_network_title"),
                         [{"label": k.plan_label(p), "year": p.year} for p in plans], inst_rows, edges,
                         k.lang, k.source_line([p.id for p in plans], k.ix.heads), undated)


def province_network(k: Kit, plans: list[PlanHead], insts: list[Instrument], inst_rows: list[dict],
                     cited: dict[str, set], undated: tuple[str, ...]) -> Chart:
    """The citation network of a large corpus: a province cites an instrument when any of its plans does."""
    # Only plans citing a dated instrument are drawn (through their province): the counts of the
    # province nodes and of the source line are of those.
    drawn = set().union(*(cited[i.id] for i in insts))
    plans = [p for p in plans if p.id in drawn]
    provinces = sorted({p.province for p in plans})
    pr_index = {pr: n for n, pr in enumerate(provinces)}
    years: dict[tuple[int, int], list[int]] = defaultdict(list)  # (province, instrument) -> a year per plan
    heads = k.ix.heads
    for n, i in enumerate(insts):
        for pid in cited[i.id]:
            if pid in heads:
                years[(pr_index[heads[pid].province], n)].append(heads[pid].year)
    edges = [{"province": a, "instrument": b, "plans": len(ys), "years": sorted(set(ys))}
             for (a, b), ys in sorted(years.items())]
    n_plans = Counter(p.province for p in plans)
    n_insts = Counter(provinces[a] for a, _ in years)
    nodes = [{"label": pr, "plans": n_plans[pr], "instruments": n_insts[pr]} for pr in provinces]
    # The same id as the plan network: its permalink, embed page and CSV stay where they were.
    return province_network_chart("mang-luoi-can-cu", k.t("chart_network_provinces_title"), nodes, inst_rows,
                                  edges, k.lang, k.source_line_at_scale([p.id for p in plans], plans=heads), undated)


# ---------------------------------------------------------------- instrument pages


def instrument_meta(k: Kit, inst: Instrument) -> tuple[MetaRow, ...]:
    """An instrument's metadata card."""
    unknown = k.t("unknown")
    vi = "vi" if k.lang == "en" else ""
    return (MetaRow(k.t("meta_doc_type"), k.doc_type(inst.type), runs=doc_type_runs(k, inst.type)),
            MetaRow(k.t("meta_number"), inst.number or unknown, not inst.number),
            MetaRow(k.t("meta_issuer"), inst.issuer or unknown, not inst.issuer,
                    runs=body_runs(k, inst.issuer) if inst.issuer else ()),
            MetaRow(k.t("col_level"), inst.level or unknown, not inst.level,
                    runs=body_runs(k, inst.level) if inst.level else ()),
            MetaRow(k.t("meta_issued"), fmt_date(inst.issued, k.lang) or unknown, not inst.issued),
            MetaRow(k.t("meta_title"), inst.title or unknown, not inst.title, lang=vi if inst.title else ""),
            MetaRow(k.t("validity_title"), validity(k, inst), inst.status == "unknown" and not inst.in_force_from,
                    runs=runs(validity(k, inst), k.lang)))


def body_runs(k: Kit, name: str) -> tuple[Run, ...]:
    """An issuing body or level as the page reads it: in English 'National Assembly (Quốc hội)', the
    Vietnamese marked, where it has a gloss (wording.body_en), else the Vietnamese name."""
    if k.lang != "en":
        return (Run(name),)
    gloss = body_en(name)
    return (Run(f"{gloss} ("), Run(name, "vi"), Run(")")) if gloss else (Run(name, "vi"),)


def validity(k: Kit, inst: Instrument) -> str:
    """An instrument's legal validity as the registry records it, with its official record
    (sitegen.validity); "Không rõ" when nothing is recorded."""
    parts = []
    if inst.status == "replaced":
        by = legal_reference_en(inst.replaced_by, DOC_TYPES_EN) if k.lang == "en" else inst.replaced_by
        parts.append(k.t("validity_replaced_by", by=by,
                         date=fmt_date(inst.replaced_from, k.lang) or k.t("unknown")))
    elif inst.status == "in_force":
        parts.append(k.t("validity_in_force"))
    if inst.in_force_from:
        parts.append(k.t("validity_in_force_from", date=fmt_date(inst.in_force_from, k.lang)))
    if inst.status == "unknown":
        parts.append(k.t("validity_now_unknown") if parts else k.t("validity_unknown"))
    text = "; ".join(parts)
    text = text[:1].upper() + text[1:]
    source = legal_reference_en(inst.status_source, DOC_TYPES_EN) if k.lang == "en" else inst.status_source
    return f"{text} ({k.t('validity_source', source=source)})" if inst.status_source else text


def citing(k: Kit, inst: Instrument, unit: str = "") -> list[tuple[UnitPlan, Citation]]:
    """The plans citing an instrument (those signed in `unit` only, if given), once per way a plan
    writes it, in the order of the citations; each plan as its unit's heads hold it (facts.UnitPlan:
    an edit of a plan's targets or text changes nothing an instrument page shows)."""
    out, seen = [], set()
    mine = k.facts.unit_plans(unit) if unit else ()
    ids = {p.id: p for p in mine}
    for c in k.ix.cites_of_inst.get(inst.id, ()):
        if c.legal_id != inst.id or (c.plan_id, c.as_written) in seen or (unit and c.plan_id not in ids):
            continue
        seen.add((c.plan_id, c.as_written))
        out.append((ids[c.plan_id] if unit else k.facts.unit_plan(c.plan_id), c))
    return out


def citing_rows(k: Kit, path: str, inst: Instrument, cites: list[tuple[UnitPlan, Citation]],
                unit_plans=None) -> tuple[CitingRow, ...]:
    """Citing rows as an instrument page lists them, by province and plan. `unit_plans(p)`: the plans
    of p's unit in the corpus (default: those of its unit with its province's name)."""
    unknown = k.t("unknown")
    citing_ids = {p.id for p, _ in cites}
    if unit_plans is None:
        def unit_plans(p: UnitPlan) -> list[UnitPlan]:
            return [q for q in k.facts.unit_plans(p.unit) if q.province == p.province]
    rows = [CitingRow(Link(k.plan_label(p), k.url(path, urls.plan_path(p.id))), p.province,
                      fmt_date(p.issued, k.lang) or unknown, lag(k, inst.issued, p.issued), c.as_written,
                      c.sentence, k.url(path, urls.plan_path(p.id)),
                      earlier_uncited(k, inst, p, unit_plans(p), citing_ids)) for p, c in cites]
    rows.sort(key=lambda r: (r.province, r.plan.text))
    return tuple(rows)


def _crumbs(k: Kit) -> tuple[tuple[str, str], ...]:
    """Home › legal bases, the breadcrumbs every instrument page starts with."""
    return (*k.home_crumbs(), (k.t("nav_legal"), urls.LEGAL_INDEX))


def share_description(k: Kit, inst: Instrument) -> str:
    """The instrument page's meta and og:description: its Vietnamese title, or in English what the page holds."""
    if k.lang == "vi":
        return inst.title or k.instrument_label(inst)
    # The registry has no English titles: say in English what the page holds and mark the title as Vietnamese.
    issued = f", {fmt_date(inst.issued, k.lang)}" if inst.issued else ""
    key = "instrument_description_en" if inst.title else "instrument_description_en_untitled"
    return k.t(key, label=k.instrument_label(inst), issued=issued, title=inst.title)


def instrument(k: Kit, inst: Instrument) -> Page:
    """An instrument page: metadata and every citing sentence; on a split site, a row per province."""
    path = urls.instrument_path(inst.id)
    meta = instrument_meta(k, inst)
    title = k.instrument_label(inst)
    ld = {"@context": "https://schema.org", "@type": "Legislation", "name": inst.title or title,
          "legislationType": inst.type, "inLanguage": "vi"}
    if inst.number:
        ld["legislationIdentifier"] = inst.number
    if inst.issued:
        ld["legislationDate"] = inst.issued
    if inst.issuer:
        ld["legislationPassedBy"] = {"@type": "GovernmentOrganization", "name": inst.issuer}
    base = k.base(path, title, share_description(k, inst), "legal", json_ld=json_ld(ld), crumbs=_crumbs(k))
    cites = citing(k, inst)
    if not k.split:
        return k.page(path, base,
                      InstrumentContext(title, meta, citing_rows(k, path, inst, cites), inst.names))
    by_province: dict[str, list[UnitPlan]] = defaultdict(list)  # by the unit each plan was signed in
    for p in {p.id: p for p, _ in cites}.values():  # a plan writing it two ways is one citing plan
        by_province[p.unit].append(p)
    rows = tuple(_province_citing_row(k, path, inst, pr, by_province[pr]) for pr in sorted(by_province))
    n_plans = sum(len(ps) for ps in by_province.values())
    intro = (k.t("instrument_overview_count", n=fmt_number(n_plans, k.lang), m=fmt_number(len(by_province), k.lang)),
             k.t("instrument_overview_intro", total=fmt_number(k.plan_count, k.lang)))
    return k.page(path, base,
                  InstrumentOverviewContext(title, meta, inst.names, intro, rows,
                                            k.t("instrument_overview_caption", instrument=title)))


def _province_citing_row(k: Kit, path: str, inst: Instrument, unit: str, plans: list[UnitPlan]) -> ProvinceCitingRow:
    """A province's (unit's) row on a split instrument page: its citing plans counted, their years and lags."""
    def order(p: UnitPlan) -> tuple:
        return (p.year, p.issued or "", p.id)

    unknown = k.t("unknown")
    dated = [(lag_days(inst.issued, p.issued), order(p), p) for p in plans]
    dated = sorted(d for d in dated if d[0] is not None)
    years = [p.year for p in plans]
    return ProvinceCitingRow(
        Link(plans[0].province, k.url(path, urls.instrument_province_path(inst.id, unit))),
        fmt_number(len(plans), k.lang), str(min(years)), str(max(years)),
        lag(k, inst.issued, dated[0][2].issued) if dated else unknown,
        lag(k, inst.issued, dated[-1][2].issued) if dated else unknown)


def instrument_provinces(k: Kit, inst: Instrument, unit: str) -> list[Page]:
    """On a split site: the page of a province (unit id) citing the instrument (made of the plans
    signed in it and their citations only)."""
    if not k.split:
        return []
    return [instrument_province(k, inst, unit, citing(k, inst, unit))]


def instrument_province(k: Kit, inst: Instrument, unit: str, cites: list[tuple[UnitPlan, Citation]]) -> Page:
    """An instrument page restricted to the plans of one province (unit id): every citing row, as an
    unsplit page lists them."""
    path = urls.instrument_province_path(inst.id, unit)
    province = cites[0][0].province
    label = k.instrument_label(inst)
    title = k.t("instrument_province_title", instrument=label, province=province)
    return k.page(path, k.base(path, title, k.t("instrument_province_description", instrument=label, province=province),
                               "legal", crumbs=(*_crumbs(k), (label, urls.instrument_path(inst.id)))),
                  InstrumentProvinceContext(title, instrument_meta(k, inst),
                                            citing_rows(k, path, inst, cites, lambda p: k.facts.unit_plans(unit)),
                                            inst.names, k.t("instrument_province_note", province=province),
                                            Link(k.t("instrument_overview_link"),
                                                 k.url(path, urls.instrument_path(inst.id))),
                                            k.t("instrument_province_caption", province=province)))


def earlier_uncited(k: Kit, inst: Instrument, p: UnitPlan, unit_plans: list[UnitPlan], citing_ids: set[str]) -> str:
    """What the corpus shows of a delay: the latest plan of p's unit issued after the instrument and
    before p that does not cite it ("" when the corpus holds none: then no delay is claimed)."""
    if not inst.issued or not p.issued:
        return ""
    earlier = [q for q in unit_plans if q.issued and inst.issued <= q.issued < p.issued and q.id not in citing_ids]
    if not earlier:
        return ""
    q = max(earlier, key=lambda q: (q.issued, q.id))
    return k.t("lag_earlier_uncited", plan=k.plan_label(q), date=fmt_date(q.issued, k.lang))


def lag_days(inst_issued: str | None, plan_issued: str | None) -> int | None:
    """Days from an instrument's date to a citing plan's date (None when either is unknown)."""
    if not inst_issued or not plan_issued:
        return None
    return (date.fromisoformat(plan_issued) - date.fromisoformat(inst_issued)).days


def lag(k: Kit, inst_issued: str | None, plan_issued: str | None) -> str:
    """The adoption lag as read: '120 ngày (~3,9 tháng)'."""
    days = lag_days(inst_issued, plan_issued)
    if days is None:
        return k.t("unknown")
    return k.t("lag", days=fmt_number(days, k.lang), months=fmt_number(round(days / 30.44, 1), k.lang))


def jobs(site) -> list[PageJob]:
    """The legal pages, as jobs."""
    insts = list(site.instruments.values())
    unit = {p.id: unit_of(p) for p in site.corpus.plans}
    names: dict[str, set[str]] = {}
    for p in site.corpus.plans:
        names.setdefault(unit_of(p), set()).add(p.province)

    def of_unit(u: str) -> set:
        # The heads of a unit's plans (facts.UnitPlan: a unit's earlier plans that do not cite an
        # instrument show a delay) and the years of its provinces' plans (labels tell plans of one
        # province and year apart): an edit of a plan's targets or text changes neither.
        return {("unit_heads", u)} | {("years", n) for n in names[u]}
    # An instrument's page reads its entry with the citations of it, and what of_unit gives of each
    # unit citing it; on a split site, its page of one unit reads that unit's alone.
    units: dict[str, set[str]] = {i.id: set() for i in insts}
    for c in site.citations:
        if c.legal_id in units:
            units[c.legal_id].add(unit[c.plan_id])
    reads = {i.id: frozenset({("instrument", i.id)}.union(*(of_unit(u) for u in units[i.id]))) for i in insts}
    split = site.options.split(len(site.corpus.plans))
    return [PageJob(legal_index, reads=frozenset({("plan_heads",), ("instruments",), ("citations",)})),
            *(PageJob(instrument, (i,), True, reads[i.id]) for i in insts),
            *(PageJob(instrument_provinces, (i, u), True, frozenset({("instrument", i.id)} | of_unit(u)))
              for i in insts if split for u in sorted(units[i.id]))]
