"""How a chart or a page names the documents behind it: a plan's reference, a chart's source line,
and at scale their count with the download that lists them (SourceLines, part of every Kit)."""
from __future__ import annotations

from .. import urls
from ..i18n import fmt_date, fmt_number
from ..model import Plan
from ..wording import DOC_TYPES_EN, issuer_gloss  # noqa: F401 (page modules take it from here)
from .reads import PlanHead



class SourceLines:
    """The source lines of a Kit (it gives lang, t, plans, split, plan_count and absolute)."""

    def doc_reference(self, p: Plan | PlanHead) -> str:
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

    def source_line(self, plan_ids, plans=None) -> str:
        """A chart's source line naming each of its documents (plans: where to find them, by id; by
        default the plans themselves, or their headings: ix.heads)."""
        plans = self.plans if plans is None else plans
        docs = []
        # dict.fromkeys, not set: plans of one province and year keep their order, whatever the hash seed
        # (with a set, two builds of a corpus with such plans differed).
        for pid in sorted(dict.fromkeys(plan_ids), key=lambda i: (plans[i].province, plans[i].year)):
            docs.append(self.doc_reference(plans[pid]))
        return self.t("chart_source", docs="; ".join(docs))

    def source_line_at_scale(self, plan_ids, download: str = "plans.csv", plans=None) -> str:
        """source_line, or on a split site how many plans of how many provinces, and the download
        that lists them."""
        plans = self.plans if plans is None else plans
        if not self.split:
            return self.source_line(plan_ids, plans)
        # A count rather than every document: at a national corpus the list alone was megabytes, and it
        # is repeated in the cite text and the BibTeX. The URL is written out: the line is copied elsewhere.
        ids = set(plan_ids)
        return self.t("chart_source_many", n=fmt_number(len(ids), self.lang),
                      m=fmt_number(len({plans[i].province for i in ids}), self.lang),
                      url=self.absolute(urls.data_path(download)))

    def source_summary(self, chart_id: str, plan_ids, plans=None) -> str:
        """A chart's source line that counts its plans and points to its CSV instead of naming each
        plan (source_line names each: too long for a chart of every province); plans: as source_line's."""
        plans = self.plans if plans is None else plans
        ids = set(plan_ids)
        return self.t("chart_source_latest", n=fmt_number(len(ids), self.lang),
                      m=fmt_number(len({plans[i].province for i in ids}), self.lang),
                      total=fmt_number(self.plan_count, self.lang),
                      url=self.absolute(urls.chart_csv_path(chart_id, self.lang)))
