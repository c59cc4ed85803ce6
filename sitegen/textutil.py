"""Small text helpers shared by the stages: folding, numbers in Vietnamese text, slugs."""
from __future__ import annotations

import re
import unicodedata

_SPACE = re.compile(r"\s+")
# Digits as Vietnamese writes them: "1.330" (thousands dot), "103,9" (decimal comma), "06". Only
# 0-9: \d would also read full-width (１００) and Arabic-Indic (١٠٠) digits as the number 100.
_NUMBER = re.compile(r"(?<![0-9.,])([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,([0-9]+))?")
_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7,
          "tám": 8, "chín": 9, "mười": 10}
_WORD = re.compile(r"\w+")
# "năm" is five, but "năm 2021" is "the year 2021": before digits it is not a number.
_YEAR_AFTER = re.compile(r"\s+\d")


def squash(text: str) -> str:
    """Collapse every run of white space to one space and trim."""
    # str.split() splits at exactly the characters \s matches (tests/test_read_once.py checks every
    # code point): the same text as _SPACE.sub(" ", text).strip(), several times faster on a paragraph.
    return " ".join(text.split())


def fold(text: str) -> str:
    """Case- and space-insensitive key for matching names (NFC kept: diacritics matter)."""
    return squash(unicodedata.normalize("NFC", text)).casefold()


def strip_accents(text: str) -> str:
    """Vietnamese without diacritics, lower-case: 'Quảng Ninh' -> 'quang ninh'."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def slugify(text: str) -> str:
    """ASCII slug for URLs: 'Quảng Ninh' -> 'quang-ninh'."""
    return re.sub(r"[^a-z0-9]+", "-", strip_accents(text)).strip("-")


def _numbers(text: str):
    """numbers_in, one at a time: value_in_text stops at the first match (most quotes give their
    value in digits, and the number words, which need the text lower-cased, are then never read)."""
    for m in _NUMBER.finditer(text):
        whole = float(m[1].replace(".", ""))
        yield whole + (float("0." + m[2]) if m[2] else 0.0)
    lowered = text.lower()
    for m in _WORD.finditer(lowered):
        if m[0] in _WORDS and not (m[0] == "năm" and _YEAR_AFTER.match(lowered, m.end())):
            yield float(_WORDS[m[0]])


def numbers_in(text: str) -> list[float]:
    """Every number written in a Vietnamese text, digits or number words."""
    return list(_numbers(text))


def value_in_text(value: float, text: str) -> bool:
    """True when `value` is written in `text` (as digits or a number word)."""
    return any(abs(n - value) < 1e-9 for n in _numbers(text))


def shorten(text: str, most: int) -> str:
    """The text, or when longer than `most` characters its words up to there, with …"""
    if len(text) <= most:
        return text
    cut = text[:most - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"


def did_you_mean(name: str, choices) -> str:
    """' Did you mean Lào Cai?' when one of `choices` is clearly a misspelling of `name` (diacritics,
    case and a letter or two aside), else ''. Names are compared folded (no accents, no case)."""
    import difflib
    keys = {}
    for c in choices:
        keys.setdefault(squash(strip_accents(c)), c)
    typed = squash(strip_accents(name))
    if typed in keys:
        return f" Did you mean {keys[typed]}?"
    # Strict, because a real name one letter from another is no typo: "Quảng Bình" is not a misspelt
    # "Quảng Ninh" when the table lacks it. A typo keeps the number of words and each word's first letter.
    close = [k for k in difflib.get_close_matches(typed, list(keys), n=3, cutoff=0.85)
             if [w[0] for w in k.split()] == [w[0] for w in typed.split()]]
    return f" Did you mean {keys[close[0]]}?" if close else ""


def nearest_text(quote: str, blocks) -> str:
    """The passage of one of `blocks` nearest to `quote` (about as long, whole words), or '' when
    nothing is close: what a reviewer should copy instead of a quote that is not verbatim."""
    from difflib import SequenceMatcher
    wanted = squash(quote)
    best, score = "", 0.0
    # Aligning is slow on long texts: only the three paragraphs sharing the most words with the quote.
    words = set(wanted.casefold().split())
    shared = sorted(((len(words & set(b.casefold().split())), n) for n, b in enumerate(blocks)), reverse=True)
    for _, n in [x for x in shared if x[0]][:3]:
        block = blocks[n]
        m = SequenceMatcher(None, block, wanted, autojunk=False).find_longest_match(0, len(block), 0, len(wanted))
        if m.size < 4:
            continue
        start = max(0, m.a - m.b)
        end = min(len(block), start + len(wanted))
        while start > 0 and not block[start - 1].isspace():
            start -= 1
        while end < len(block) and not block[end].isspace():
            end += 1
        found = block[start:end].strip()
        if wanted[-1:].isalnum():  # the words, not the punctuation after them
            found = found.rstrip(";,.:!?")
        ratio = SequenceMatcher(None, found, wanted, autojunk=False).ratio()
        if ratio > score:
            best, score = found, ratio
    return best if score >= 0.6 else ""
