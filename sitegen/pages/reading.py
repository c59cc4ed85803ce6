"""How a reader sees a target (issue 14): its value in the words of its quote ("15 xã, phường, thị
trấn", not "15 đơn vị"), value and subject in one line, and notes that name other targets by what
they say rather than by internal id. Plain functions of the lookups and the page's language."""
from __future__ import annotations

from functools import lru_cache

from ..i18n import fmt_value, t
from ..model import Lookups, Target
from ..wording import replace_target_ids, unit_in_quote, written_numbers


def _label(table: dict, key: str, lang: str) -> str:
    """A lookup entry's label in `lang` (the key itself when it has no entry), as Kit.label."""
    entry = table.get(key)
    return key if entry is None else (entry.vi if lang == "vi" else entry.en)


def target_value(lk: Lookups, lang: str, tg: Target) -> str:
    """A target's value with its unit's label: '≥ 90 %'."""
    return fmt_value(tg.value, tg.value_max, tg.comparator, _label(lk.units, tg.unit, lang), lang)


def reader_value(lk: Lookups, lang: str, tg: Target) -> str:
    """A target's value in the words of its quote: '15 xã, phường, thị trấn', not '15 đơn vị'
    (in English the subject's English label: '15 communes'). Other units as target_value."""
    unit = lk.units.get(tg.unit)
    if unit is None or unit.kind == "percent":
        return target_value(lk, lang, tg)
    words = _quote_words(tg.quote, tg.value_max or tg.value, tg.subject_text)
    if unit.kind == "count" and words and words.lower() != unit.vi.lower():
        label = words if lang == "vi" else _label(lk.subjects, tg.subject, lang)
        return fmt_value(tg.value, tg.value_max, tg.comparator, label, lang)
    if unit.kind == "rate" and unit.vi.endswith("đơn vị") and lang == "vi":
        bare = tg.subject_text.removeprefix("các ").removeprefix("những ")
        return fmt_value(tg.value, tg.value_max, tg.comparator, unit.vi.replace("đơn vị", bare), lang)
    return target_value(lk, lang, tg)


@lru_cache(maxsize=1 << 14)
def _quote_words(quote: str, value: float, subject_text: str) -> str:
    """unit_in_quote of a target, remembered: a plan page asks it several times a target, in each
    language (profiled: 7 calls a target, its regular expressions a tenth of a plan page)."""
    return unit_in_quote(quote, written_numbers(value), subject_text)


def target_headline(lk: Lookups, lang: str, tg: Target, value: str | None = None) -> str:
    """Value and subject in one line, the subject left out when the value already says it; `value`:
    the target's reader_value when the caller has it already."""
    if value is None:
        value = reader_value(lk, lang, tg)
    subject = _label(lk.subjects, tg.subject, lang) if lang == "en" else tg.subject_text
    if subject.removeprefix("các ") in value:
        return value
    unit = lk.units.get(tg.unit)
    kind = unit.kind if unit is not None else ""
    # A rate reads subject first: "bài hoặc tin: ≥ 1 lần/tháng", "communes: ≥ 1 per unit".
    if kind == "rate":
        return f"{subject}: {value}"
    # "900 treatment episodes — people who use drugs" (Vietnamese counts name their subject in the value).
    if kind == "count" and lang == "en":
        return f"{value} — {subject}"
    return f"{value} {subject}"


def target_names(lk: Lookups, lang: str, targets) -> dict[str, str]:
    """Each target id of a plan -> how a note names it for a reader ('chỉ tiêu “15 xã”')."""
    return {tg.id: t(lang, "target_ref", value=reader_value(lk, lang, tg)) for tg in targets}


def target_note(lang: str, tg: Target, names: dict[str, str]) -> str:
    """A target's note in the page's language, other targets named by what they say (`names`), not by id."""
    note = (tg.note_en or tg.note) if lang == "en" else tg.note
    return replace_target_ids(note, names) if note else ""
