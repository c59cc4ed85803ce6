"""What a policymaker reads first on a plan page (issue 14): a summary made from the data alone,
links to the page's sections, the targets grouped top-level first; and the small helpers that put
UI strings and Vietnamese names together in runs, so that an English page marks each Vietnamese
piece lang="vi" (WCAG 3.1.2)."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from ..i18n import fmt_date, fmt_number
from ..model import Plan
from ..wording import Run, issuer_gloss, normal_case_title, runs, vi_word_runs
from . import reading
from .kit import DOC_TYPES_EN, Kit, Link, QuoteItem, TargetRow


@dataclass(frozen=True)
class TargetItem:
    """A top-level target of a plan page and the targets that are its parts."""

    row: TargetRow
    parts: tuple[TargetRow, ...]


def fill(k: Kit, key: str, **parts) -> list[Run]:
    """A UI string with its {placeholders} filled: a str as text, a tuple of Runs kept as runs (so a
    Vietnamese name inside an English sentence keeps its own lang)."""
    out: list[Run] = []
    for i, piece in enumerate(re.split(r"\{(\w+)\}", k.t(key))):
        if i % 2 == 0:
            out += [Run(piece)] if piece else []
        elif isinstance(parts[piece], str):
            out.append(Run(parts[piece]))
        else:
            out += list(parts[piece])
    return out


def issuer_runs(k: Kit, issuer: str | None, province: str) -> tuple[Run, ...]:
    """An issuer as the page names it: in English a gloss of the standard forms ('the People's
    Committee of Trà Vinh Province'), otherwise the Vietnamese name marked lang="vi"."""
    if not issuer:
        return (Run(k.t("unknown")),)
    if k.lang == "en":
        gloss = issuer_gloss(issuer, province)
        return (Run(gloss),) if gloss else (Run(issuer, "vi"),)
    return (Run(issuer),)


def doc_type_runs(k: Kit, vi: str) -> tuple[Run, ...]:
    """A document type: 'Kế hoạch' in Vietnamese, 'Plan (Kế hoạch)' in English, the Vietnamese marked."""
    en = DOC_TYPES_EN.get(vi)
    if k.lang == "vi":
        return (Run(vi),)
    return (Run(f"{en} ("), Run(vi, "vi"), Run(")")) if en else (Run(vi, "vi"),)


def one_language(k: Kit, text: str) -> str:
    """The page's half of a bilingual 'Vietnamese / English' text (the data dictionary writes both)."""
    halves = text.split(" / ")
    if len(halves) != 2:
        return text
    return halves[0] if k.lang == "vi" else halves[1]


def plan_summary(k: Kit, p: Plan, citations: list[QuoteItem], tasks) \
        -> tuple[tuple[tuple[Run, ...], ...], tuple[tuple[Run, ...], ...]]:
    """The plan page's summary paragraphs and its notable targets, every fact from the data: what
    the data lacks is said to be unknown, never filled in. `tasks` are the page's AgencyTasks."""
    en, unknown = k.lang == "en", k.t("unknown")
    vi_or_plain = (lambda text: Run(text, "vi")) if en else Run
    doc = (Run(f"{DOC_TYPES_EN.get(p.doc_type, p.doc_type)} ("), Run(p.doc_type, "vi"), Run(")")) \
        if en and p.doc_type in DOC_TYPES_EN else (vi_or_plain(p.doc_type),)
    what = [*fill(k, "sum_what", doc_type=doc, number=p.number or k.t("sum_number_unknown"),
                  issuer=issuer_runs(k, p.issuer, p.province)), Run(" ")]
    if p.source_kind == "press":
        what.append(Run(k.t("sum_press", outlet=p.press_outlet or unknown,
                            date=fmt_date(p.press_published, k.lang) or unknown) + " "))
    what.append(Run((k.t("sum_issued", date=fmt_date(p.issued, k.lang)) if p.issued
                     else k.t("sum_issued_unknown")) + " "))
    if p.signer:
        title = (Run(", " if en else " ("), vi_or_plain(normal_case_title(p.signer_title)),
                 Run("" if en else ")")) if p.signer_title else (Run(k.t("sum_signer_title_unknown")),)
        what += fill(k, "sum_signed", name=(vi_or_plain(p.signer),), title=title)
    else:
        what.append(Run(k.t("sum_signed_unknown")))
    period = str(p.year) if p.year == p.period_end else f"{p.year}–{p.period_end}"
    topics = ", ".join(dict.fromkeys(k.label(k.lk.themes, th.theme) for th in p.themes)) or unknown
    paras = [tuple(what), (Run(k.t("sum_period", period=period) + " " + k.t("sum_topics", topics=topics)),)]
    top = [tg for tg in p.targets if tg.parent is None]
    parts = len(p.targets) - len(top)
    if top:
        key = "sum_target_one" if len(top) == 1 else "sum_targets"
        n_groups = len({tg.category for tg in top})
        paras.append((Run(k.t(key, n=fmt_number(len(top), k.lang),
                              parts=k.t("sum_parts", n=fmt_number(parts, k.lang)) if parts else "")
                          + " " + k.t("sum_notable_one" if n_groups == 1 else "sum_notable",
                                      n=fmt_number(n_groups, k.lang))),))
    else:
        paras.append((Run(k.no_targets_note(p, "sum_no_targets", "sum_targets_not_in_text")),))
    # The first top-level target of each category (every category), in the order of the text: a rule
    # a reader can check, rather than a judgement of importance the data does not make.
    firsts = {}
    for tg in top:
        firsts.setdefault(tg.category, tg)
    notable = tuple((Run(f"{summary_headline(k, tg)} ({k.label(k.lk.categories, tg.category)})"),)
                    for tg in firsts.values())
    if citations:
        names = []
        for i, c in enumerate(citations[:3]):
            names += [Run(", ")] if i else []
            # A law cited by name is Vietnamese ("Luật ..."); "Decree 116/…" is English.
            names.append(Run(c.label, "vi" if en and vi_word_runs(c.label) else ""))
        paras.append(tuple(fill(k, "sum_legal" if len(citations) > 3 else "sum_legal_all",
                                n=fmt_number(len(citations), k.lang), docs=tuple(names))))
    else:
        # A draft's citations are found once it is reviewed: not found is not "none cited".
        paras.append((Run(k.t("sum_legal_draft" if p.is_draft else "sum_legal_none")),))
    if tasks:
        lead = k.t("role_chủ_trì")  # agencies that lead a task first: they answer for it
        tasks = sorted(tasks, key=lambda a: not any(q.label == lead for q in a.items))
        shown = "; ".join(a.agency.text for a in tasks[:4])  # names may hold commas
        if len(tasks) > 4:
            shown = k.t("sum_responsible_more", agencies=shown, n=fmt_number(len(tasks) - 4, k.lang))
        paras.append(runs(k.t("sum_responsible", agencies=shown), k.lang))
    else:
        paras.append((Run(k.t("sum_responsible_none")),))
    if en:
        paras.append((Run(k.t("sum_original")),))
    return tuple(paras), notable


def summary_headline(k: Kit, tg) -> str:
    """A target's headline that names its subject when read alone: where the Vietnamese text writes
    only the unit's word ("≥ 50 người"), the subject's coded name completes it ("≥ 50 người cai
    nghiện ma túy bằng thuốc Cedemex")."""
    line = reading.target_headline(k.lk, k.lang, tg)
    subject = k.lk.subjects.get(tg.subject)
    if k.lang != "vi" or subject is None or subject.vi in line:
        return line
    last = line.rsplit(" ", 1)[-1]
    if subject.vi.startswith(last + " "):  # "… người" + "người cai nghiện …": the word once
        return line + subject.vi[len(last):]
    return line


def plan_jump_links(k: Kit, p: Plan, commitments, garbles) -> tuple[Link, ...]:
    """Links to the plan page's sections, in page order (sections the page leaves out, left out)."""
    sections = [("section_targets", "chi-tieu"), ("section_commitments", "cam-ket") if commitments else None,
                ("section_tasks", "nhiem-vu"), ("section_themes", "chu-de"), ("section_legal", "can-cu"),
                ("plan_card_label", "thong-tin"), ("section_garbled", "loi-chu") if garbles else None,
                ("section_downloads", "tai-ve") if not p.is_draft else None, ("section_text", "toan-van")]
    return tuple(Link(k.t(key), f"#{anchor}") for key, anchor in filter(None, sections))


def target_items(rows: tuple[TargetRow, ...], p: Plan) -> tuple[TargetItem, ...]:
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
