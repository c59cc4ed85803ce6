"""Interface languages: UI strings (sitegen/strings.yaml) and number/date formats.

Formatting is done here, by hand, rather than with the `locale` module, because
the output must not depend on the machine's locale.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

LANGS = ("vi", "en")
COMPARATOR_SIGNS = {"=": "", ">=": "≥ ", ">": "> ", "<=": "≤ "}
MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


@lru_cache(maxsize=None)
def _strings_file() -> dict:
    """strings.yaml, parsed once for both languages (with libyaml when PyYAML has it: every build,
    a one-plan rebuild too, starts by reading it)."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load((Path(__file__).parent / "strings.yaml").read_text(encoding="utf-8"), Loader=loader)


@lru_cache(maxsize=None)
def strings(lang: str) -> dict[str, str]:
    """All UI strings of one language (falls back to Vietnamese for a missing key)."""
    return {key: (val.get(lang) or val["vi"]) for key, val in _strings_file().items()}


def t(lang: str, key: str, **kw) -> str:
    """One UI string, formatted with keyword arguments."""
    text = strings(lang)[key]
    return text.format(**kw) if kw else text


def fmt_count(lang: str, key: str, n: int) -> str:
    """A count with its noun: '5 plans'; '1 plan' and 'no plan' from the key's `_one` and `_zero`
    variants where it has them."""
    variant = f"{key}_one" if n == 1 else f"{key}_zero" if n == 0 else key
    return t(lang, variant if variant in strings(lang) else key, n=fmt_number(n, lang))


def fmt_number(value: float | None, lang: str) -> str:
    """1330.5 -> '1.330,5' in Vietnamese, '1,330.5' in English; None -> ''."""
    if value is None:
        return ""
    if value == int(value):
        text = f"{int(value):,}"
    else:
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    if lang == "vi":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def fmt_list(items, lang: str) -> str:
    """Items as a sentence lists them: '2020, 2021 và 2022'; '2020, 2021 and 2022'."""
    items = [str(x) for x in items]
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t(lang, 'list_and')} {items[-1]}"


def fmt_date(iso: str | None, lang: str) -> str:
    """'2021-02-02' -> '02/02/2021' (vi) or '2 February 2021' (en); None -> ''."""
    if not iso:
        return ""
    y, m, d = iso.split("-")
    if lang == "en":
        return f"{int(d)} {MONTHS_EN[int(m) - 1]} {y}"
    return f"{d}/{m}/{y}"


def fmt_value(value: float, value_max: float | None, comparator: str, unit_label: str, lang: str) -> str:
    """A target's value as a reader reads it: '≥ 50 người', '10–15 %'."""
    number = fmt_number(value, lang)
    if value_max is not None:
        number = f"{number}–{fmt_number(value_max, lang)}"
    sep = "" if unit_label.startswith("%") else " "
    return f"{COMPARATOR_SIGNS.get(comparator, '')}{number}{sep}{unit_label}"
