"""The registry of legal instruments: instrument ids, legal.yaml and legal_names.yaml read and checked.

Identity. An instrument is number + issuer + date, never the number alone: ``legal_id`` makes
``<type>-<number>[-<province>][-<yyyy-mm-dd>]``, with the province for local documents. An
instrument cited by name only (a Luật, a Pháp lệnh) is known by the names of legal_names.yaml.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from pathlib import Path

import yaml

from ..model import UNKNOWN, Citation, Instrument
from ..textutil import slugify, squash
from .forms import LEVELS, UPPER, VN_LOWER, is_local, province_of

# The trích yếu (what a cited instrument is about) starts with one of these words after its citation.
TITLE_LEAD_RE = re.compile(r"[\s“\"]*(?=(?:về|quy định|phê duyệt|ban hành|hướng dẫn|triển khai)(?![^\W_]))", re.I)


# --- identity ----------------------------------------------------------------------------------
def legal_id(type: str, number: str | None, issued: str | None, issuer: str | None,
             province: str | None = None) -> str:
    """The id of an instrument: type, number, province if local, date (ke-hoach-71-kh-ubnd-quang-ninh-2020-04-23)."""
    parts = [type, number or ""]
    if is_local(number, issuer):
        prov = province_of(issuer) or province
        if not prov:
            raise ValueError(f"{number} is a local document: its id needs the province")
        parts.append(prov)
    return slugify(" ".join(parts + [issued or ""]))


# --- names without a number -------------------------------------------------------------------
def names_from_data(data) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """The alias table from parsed legal_names.yaml: every name variant -> (instrument id, type), and errors."""
    table: dict[str, tuple[str, str]] = {}
    errors = []
    for n, entry in enumerate(data or [], 1):
        if not isinstance(entry, dict) or not {"id", "type", "names"} <= entry.keys() \
                or not isinstance(entry["names"], list):
            errors.append(f"entry {n} needs id, type and a list of names")
            continue
        for name in entry["names"]:
            table[unicodedata.normalize("NFC", str(name))] = (str(entry["id"]),
                                                              unicodedata.normalize("NFC", str(entry["type"])))
    return table, errors


def load_names(path: str | Path) -> dict[str, tuple[str, str]]:
    """The alias table (legal_names.yaml): every name variant -> (instrument id, type)."""
    table, errors = names_from_data(yaml.safe_load(Path(path).read_text(encoding="utf-8-sig")))
    if errors:
        raise ValueError(f"{path}: " + "; ".join(errors))
    return table


# --- the registry ------------------------------------------------------------------------------
def registry_from_data(data, names: dict[str, tuple[str, str]]) -> tuple[dict[str, Instrument], list[str]]:
    """The registry from parsed legal.yaml entries and the alias table; returns it with every error."""
    errors, out = [], {}
    value = lambda e, k: None if e.get(k) in (None, UNKNOWN) else unicodedata.normalize("NFC", str(e[k]))  # noqa
    for n, e in enumerate(data if isinstance(data, list) else [None], 1):
        missing = {"id", "type", "number", "issuer", "level", "issued", "title"} - set(e if isinstance(e, dict) else {})
        if missing:
            errors.append(f"entry {n}: missing {', '.join(sorted(missing))}")
            continue
        inst = Instrument(str(e["id"]), value(e, "type") or "", value(e, "number"), value(e, "issuer"),
                          value(e, "level"), value(e, "issued"), value(e, "title") or "")
        where = f"entry {n} ({inst.id})"
        if inst.id in out or not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", inst.id):
            errors.append(f"{where}: the id is a duplicate or not a lower-case slug")
        if inst.issued and not re.fullmatch(r"\d{4}-\d\d-\d\d", inst.issued):
            errors.append(f"{where}: issued must be YYYY-MM-DD or unknown")
        if inst.level and inst.level not in LEVELS:
            errors.append(f"{where}: level must be one of {', '.join(LEVELS)} or unknown")
        prov = value(e, "province")
        if is_local(inst.number, inst.issuer) != bool(prov) or (prov and province_of(inst.issuer) != prov):
            errors.append(f"{where}: a local document has a province, named by its issuer; others have none")
        out[inst.id] = inst
    for name, (ident, kind) in sorted(names.items()):
        if ident not in out or out[ident].type != kind:
            errors.append(f"legal_names.yaml: {name!r} points to {ident} ({kind}), which legal.yaml lacks")
        else:
            out[ident] = replace(out[ident], names=out[ident].names + (name,))
    return out, errors


def load_registry(path: str | Path) -> dict[str, Instrument]:
    """Read legal.yaml (with the names of legal_names.yaml beside it); ValueError lists every problem."""
    path = Path(path)
    data = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or []
    names_path = path.with_name("legal_names.yaml")
    names = load_names(names_path) if names_path.exists() else {}
    out, errors = registry_from_data(data, names)
    if errors:
        raise ValueError(f"{path}: " + "; ".join(errors))
    return out


# A trích yếu ends where the sentence goes on to a new clause: a comma before a capitalized word
# ("..., Ủy ban nhân dân tỉnh ban hành", "..., Sở Y tế chủ trì", "..., UBND tỉnh yêu cầu"), not
# before an abbreviation in capitals ("phòng, chống ma túy, HIV/AIDS").
TITLE_END_RE = re.compile(rf"[;(”]|\.\s|,\s*(?=[{UPPER}][a-z{VN_LOWER}]|UBND|HĐND)")


def _title(c: Citation) -> str:
    """The trích yếu after the citation in its sentence ("về ...", "phê duyệt ..."), or ""."""
    i = c.sentence.find(c.as_written)
    rest = c.sentence[i + len(c.as_written):] if i >= 0 and c.number else ""
    m = TITLE_LEAD_RE.match(rest)
    return squash(TITLE_END_RE.split(rest[m.end():])[0]).rstrip(" ,.") if m else ""


def registry_entry_from_citation(c: Citation) -> Instrument:
    """An Instrument holding exactly what one citation tells about it (ValueError: local, no province)."""
    ident = c.legal_id or legal_id(c.type, c.number, c.issued, c.issuer)
    return Instrument(ident, c.type, c.number, c.issuer, c.level, c.issued, _title(c),
                      () if c.number else (squash(c.as_written),))


def entries_from_citations(citations) -> dict[str, Instrument]:
    """One Instrument per instrument id the citations resolve to, the same whichever plan or mention
    is read first: each field from the first mention that states it, dated mentions (the full
    citation) before undated ones, then by plan and position."""
    by_id: dict[str, list[Citation]] = {}
    for c in sorted((c for c in citations if c.legal_id),
                    key=lambda c: (not c.issued, c.plan_id, c.start, c.end)):
        by_id.setdefault(c.legal_id, []).append(c)
    out = {}
    for ident, cs in sorted(by_id.items()):
        first = registry_entry_from_citation(cs[0])
        pick = lambda get: next((v for v in map(get, cs) if v), None)  # noqa: E731
        out[ident] = replace(first, issuer=pick(lambda c: c.issuer), level=pick(lambda c: c.level),
                             issued=pick(lambda c: c.issued), title=pick(_title) or "")
    return out

