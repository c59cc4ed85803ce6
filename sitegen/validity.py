"""Legal validity over time (legal.yaml): whether an instrument is in force or was replaced, by
what and from when, recorded only with the official record that states it (status_source).

An entry without these fields is `unknown`, shown as "không rõ". The registry itself (numbers,
issuers, dates) is read by sitegen.citations; this module adds the validity fields to it.
"""
from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import replace

from .model import UNKNOWN, Instrument

STATUSES = ("in_force", "replaced", "unknown")


def apply(entries, registry: dict[str, Instrument]) -> tuple[dict[str, Instrument], list[str]]:
    """The registry with each entry's validity from legal.yaml's entries; returns it with every error."""
    errors: list[str] = []
    out = dict(registry)
    for n, e in enumerate(entries if isinstance(entries, list) else [], 1):
        if not isinstance(e, dict) or str(e.get("id")) not in out:
            continue  # reported by citations.registry_from_data
        inst = out[str(e["id"])]
        out[inst.id] = _validity(e, inst, f"entry {n} ({inst.id})", errors)
    for inst in out.values():
        if inst.replaced_by_id and inst.replaced_by_id not in out:
            errors.append(f"entry ({inst.id}): replaced_by_id {inst.replaced_by_id!r} is not an id of legal.yaml")
    return out, errors


def _value(e: dict, key: str) -> str | None:
    return None if e.get(key) in (None, UNKNOWN) else unicodedata.normalize("NFC", str(e[key])).strip() or None


def _is_date(text: str) -> bool:
    try:
        return bool(re.fullmatch(r"\d{4}-\d\d-\d\d", text)) and bool(datetime.date.fromisoformat(text))
    except ValueError:
        return False


def _validity(e: dict, inst: Instrument, where: str, errors: list[str]) -> Instrument:
    """One entry's validity; its errors are added to `errors`."""
    status = _value(e, "status") or "unknown"
    if status not in STATUSES:
        errors.append(f"{where}: status must be one of {', '.join(STATUSES)}")
        status = "unknown"
    dates = {}
    for key in ("in_force_from", "replaced_from"):
        dates[key] = _value(e, key)
        if dates[key] and not _is_date(dates[key]):
            errors.append(f"{where}: {key} must be YYYY-MM-DD or unknown")
            dates[key] = None
    replaced_by, source = _value(e, "replaced_by") or "", _value(e, "status_source") or ""
    replaced_by_id = _value(e, "replaced_by_id")
    if status == "replaced" and not replaced_by:
        errors.append(f"{where}: a replaced instrument names what replaced it (replaced_by)")
    if status != "replaced" and (replaced_by or replaced_by_id or dates["replaced_from"]):
        errors.append(f"{where}: replaced_by and replaced_from go with status: replaced")
    if (status != "unknown" or dates["in_force_from"]) and not source:
        errors.append(f"{where}: give status_source, the official record that states the validity "
                      "(e.g. the replacing law's article on its entry into force)")
    if source and status == "unknown" and not dates["in_force_from"]:
        errors.append(f"{where}: status_source says nothing here: give status or in_force_from, or remove it")
    return replace(inst, status=status, in_force_from=dates["in_force_from"], replaced_by=replaced_by,
                   replaced_by_id=replaced_by_id, replaced_from=dates["replaced_from"], status_source=source)


def replaced_by_then(inst: Instrument, issued: str | None, year: int) -> bool:
    """True when `inst` was already replaced on a plan's date (with the date unknown: by 1 January of
    its year, so that a plan is never flagged for what may have happened after it was signed)."""
    if inst.status != "replaced" or not inst.replaced_from:
        return False
    return inst.replaced_from <= (issued or f"{year}-01-01")
