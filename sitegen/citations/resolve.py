"""Tie each citation to one registry entry (its instrument id); list where citations and registry disagree."""
from __future__ import annotations

import re
from dataclasses import replace

import yaml

from ..model import UNKNOWN, Citation, Instrument
from ..textutil import squash
from .forms import PROVINCE_RE, fold_tones, is_local, name_key, province_of
from .registry import entries_from_citations, legal_id


def _scope(number: str | None, issuer: str | None, province: str | None) -> str | None:
    """'' for a central document, the province for a local one, None when that is not known."""
    return (province_of(issuer) or province) if is_local(number, issuer) else ""


def _same_issuer(a: str | None, b: str | None) -> bool:
    """Whether two issuers can be one body (an unknown one can be any; a missing province is no clash)."""
    if not a or not b or name_key(a) == name_key(b):
        return True
    bare = [name_key(PROVINCE_RE.sub("", fold_tones(x))) for x in (a, b)]
    return not (province_of(a) and province_of(b)) and bare[0] == bare[1]


def resolve(citations: list[Citation], registry: dict[str, Instrument], *, province: str | None = None,
            plan_id: str = "") -> tuple[list[Citation], list[str]]:
    """Give each citation its instrument id; the messages are warnings (unresolved, inconsistent)."""
    msgs: list[str] = []
    where = lambda c: f"{plan_id or 'text'}: {squash(c.as_written)!r} (chars {c.start}-{c.end})"  # noqa: E731

    def in_registry(c: Citation, dated: bool) -> list[str]:
        scope = _scope(c.number, c.issuer, province)
        return sorted(e.id for e in registry.values()
                      if e.number == c.number and scope is not None and _scope(e.number, e.issuer, None) == scope
                      and (not dated or e.issued == c.issued) and _same_issuer(c.issuer, e.issuer))

    ids: dict[int, str | None] = {}
    for n, c in enumerate(citations):  # dated first: they are what undated mentions point back to
        if c.number is None or not c.issued:
            continue
        found = in_registry(c, True)
        try:
            ids[n] = found[0] if len(found) == 1 else legal_id(c.type, c.number, c.issued, c.issuer, province)
        except ValueError as exc:
            ids[n] = None
            msgs.append(f"{where(c)}: {exc}; pass the plan's province.")
        year = re.match(r"\d+/(\d{4})/", c.number)
        if year and year.group(1) != c.issued[:4]:
            msgs.append(f"{where(c)}: the number says {year.group(1)} but the date is {c.issued}.")
    unresolved: dict[tuple[str, str], list[Citation]] = {}
    for n, c in enumerate(citations):
        if c.number is None or c.issued:
            continue
        scope = _scope(c.number, c.issuer, province)
        same = {ids[k] for k, d in enumerate(citations) if ids.get(k) and d.number == c.number
                and _scope(d.number, d.issuer, province) == scope and _same_issuer(c.issuer, d.issuer)}
        found = sorted(same) if same else in_registry(c, False)
        ids[n] = found[0] if len(found) == 1 else None
        if len(found) != 1:
            how = f"several instruments ({', '.join(found)})" if found else "no dated citation nor registry entry"
            unresolved.setdefault((c.number, how), []).append(c)
    for (number, how), cs in unresolved.items():  # one message per number, not one per mention
        more = f" and {len(cs) - 1} more mention{'s' if len(cs) > 2 else ''}" if len(cs) > 1 else ""
        msgs.append(f"{where(cs[0])}{more}: undated, and {how} match {number}; left unresolved.")
    out = [replace(c, legal_id=ids.get(n, c.legal_id), plan_id=plan_id or c.plan_id)
           for n, c in enumerate(citations)]
    return out, msgs


def _entry_yaml(i: Instrument) -> str:
    entry = {"id": i.id, "type": i.type, "number": i.number, "issuer": i.issuer or UNKNOWN,
             "level": i.level or UNKNOWN, "issued": i.issued or UNKNOWN, "title": i.title}
    if is_local(i.number, i.issuer) and province_of(i.issuer):
        entry["province"] = province_of(i.issuer)
    return yaml.safe_dump(entry, allow_unicode=True, sort_keys=False, default_flow_style=True, width=10**6).strip()


def registry_patch(registry: dict[str, Instrument], citations: list[Citation]) -> dict[str, list[str]]:
    """The legal.yaml entries each plan's citations need and the registry lacks, by plan id: one
    entry per instrument, the same in every plan that cites it (entries_from_citations)."""
    entries = entries_from_citations(c for c in citations if c.legal_id and c.legal_id not in registry)
    out: dict[str, list[str]] = {}
    for c in sorted(citations, key=lambda c: (c.plan_id, c.start, c.end)):
        if c.legal_id in entries:
            lines = out.setdefault(c.plan_id or "text", [])
            line = f"- {_entry_yaml(entries[c.legal_id])}"
            if line not in lines:
                lines.append(line)
    return out


def check_registry(registry: dict[str, Instrument], citations: list[Citation], legal_path: str = "legal.yaml") \
        -> list[str]:
    """Where resolved citations and the registry disagree: per plan, one patch of the entries legal.yaml
    lacks (each instrument once); then other dates, issuers, numbers, once per mention."""
    msgs = []
    for plan, lines in registry_patch(registry, citations).items():
        n = len(lines)
        msgs.append(f"{plan} cites {n} instrument{'s' if n > 1 else ''} which legal.yaml lacks; "
                    f"add to {legal_path}:\n" + "\n".join(lines))
    for c in sorted(citations, key=lambda c: (c.plan_id, c.start, c.end)):
        if not c.legal_id:
            continue  # resolve() has warned about it already
        e, at = registry.get(c.legal_id), f"{c.plan_id or 'text'}: {squash(c.as_written)!r}"
        if e is None:
            continue  # in the patch above
        if c.issued and c.issued != e.issued:
            msgs.append(f"{at} dates {c.legal_id} {c.issued}; legal.yaml says {e.issued or UNKNOWN}.")
        if c.issuer and (not e.issuer or not _same_issuer(c.issuer, e.issuer)):
            msgs.append(f"{at} gives {c.legal_id} the issuer {c.issuer}; legal.yaml says {e.issuer or UNKNOWN}.")
        if c.number and c.number != e.number:
            msgs.append(f"{at} numbers {c.legal_id} {c.number}; legal.yaml says {e.number or UNKNOWN}.")
    return msgs
