"""How a province's targets changed from one of its plans to the next, as its page shows it."""
from __future__ import annotations

from dataclasses import dataclass

from .. import urls
from ..model import Plan
from ..normalize import province_changes
from .kit import Kit, Link


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


def comparison_blocks(k: Kit, path: str, plans: list[Plan]) -> tuple[ComparisonBlock, ...]:
    """Each pair of consecutive plans of a province (normalize.province_changes), as the page at path shows it."""
    blocks = []
    for before, after, changes in province_changes(plans):
        rows = []
        for ch in changes:
            what = (f"{k.label(k.lk.categories, ch.category)} — {k.label(k.lk.subjects, ch.subject)}"
                    f" ({k.unit_label(ch.unit)})")
            rows.append(ChangeRow(
                ch.kind, k.t("change_" + ch.kind), what,
                k.target_value(ch.before) if ch.before else "—", ch.before.quote if ch.before else "",
                k.url(path, f"{urls.plan_path(before.id)}#{urls.quote_anchor(ch.before.id)}") if ch.before else "",
                k.target_value(ch.after) if ch.after else "—", ch.after.quote if ch.after else "",
                k.url(path, f"{urls.plan_path(after.id)}#{urls.quote_anchor(ch.after.id)}") if ch.after else ""))
        note = "" if rows else k.t("no_changes_note")
        blocks.append(ComparisonBlock(Link(k.plan_label(before), k.url(path, urls.plan_path(before.id))),
                                      Link(k.plan_label(after), k.url(path, urls.plan_path(after.id))),
                                      tuple(rows), note))
    return tuple(blocks)
