"""The provinces' lineage (corpus/provinces.yaml): which provincial unit a plan belongs to on its
signing date, and which unit that is part of today.

Vietnam's 63 provincial units became 34 on 01/07/2025 (Nghị quyết số 202/2025/QH15). A plan is
keyed to the unit its province was when it was signed, and through the successors to the unit(s)
of today; nothing here adds targets across units.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from .model import UNKNOWN, LegalBasis, Plan, Problem, Province
from .textutil import did_you_mean, fold

UNIT_ID = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
KINDS = ("tỉnh", "thành phố trực thuộc trung ương")
EVENTS = ("formed", "ended", "unchanged")
FIELDS = ("id", "vi", "en", "kind", "valid_from", "valid_to", "successors", "predecessors", "aliases",
          "legal_basis")
BASIS_FIELDS = ("event", "instrument", "issued", "article", "date_article")
# The reorganisation the issue is about: the table must have this many units on each side of it.
REFORM_DAY = "2025-07-01"


@dataclass(frozen=True)
class Lineage:
    """The checked table: units by id and, for each folded name, the units that bore it."""

    units: dict[str, Province]
    by_name: dict[str, tuple[str, ...]]


def index(units: dict[str, Province]) -> Lineage:
    """The Lineage of checked units (corpus.lookups.provinces), with its index of names."""
    key = id(units)
    if _INDEXED.get(key, (None,))[0] is not units:
        by_name: dict[str, list[str]] = {}
        for uid, u in sorted(units.items()):
            for name in (u.vi, *u.aliases):
                ids = by_name.setdefault(fold(name), [])
                if uid not in ids:
                    ids.append(uid)
        _INDEXED.clear()  # one table per build: keep the last
        _INDEXED[key] = (units, Lineage(units, {k: tuple(v) for k, v in by_name.items()}))
    return _INDEXED[key][1]


_INDEXED: dict[int, tuple[dict, Lineage]] = {}


def assign(plan: Plan, meta: dict, shown: str, units: dict[str, Province],
           problems: list[Problem]) -> Plan | None:
    """The plan with its province at signing and today (None, with an error on its `province` line,
    when its province was no unit of the table on its date). An empty table assigns nothing: a
    missing provinces.yaml is reported on its own."""
    if not units:
        return plan
    unit, why = resolve(index(units), plan.province, plan.issued, plan.year)
    if unit is None:
        line = meta.lines.get("province") if isinstance(getattr(meta, "lines", None), dict) else None
        problems.append(Problem("error", shown, f"line {line} (field province)" if line else "field province", why))
        return None
    return replace(plan, province_at_signing=unit, province_today=present_day(index(units), unit))


def kind_name(unit: Province, lang: str = "vi") -> str:
    """The unit with its kind: "tỉnh Vĩnh Long", "thành phố Hồ Chí Minh"; in English "Vĩnh Long
    province" (pages write names with their diacritics in both languages; `en` is for the data)."""
    city = unit.kind != "tỉnh"
    if lang == "vi":
        return f"{'thành phố' if city else 'tỉnh'} {unit.vi}"
    return f"{unit.vi} {'city' if city else 'province'}"


def valid_on(unit: Province, day: str) -> bool:
    """True when the unit existed on `day` (YYYY-MM-DD); an unknown start counts as long before."""
    return (unit.valid_from is None or unit.valid_from <= day) and (unit.valid_to is None or day <= unit.valid_to)


def valid_in_year(unit: Province, year: int) -> bool:
    """True when the unit existed on some day of `year`."""
    start, end = f"{year}-01-01", f"{year}-12-31"
    return (unit.valid_from is None or unit.valid_from <= end) and (unit.valid_to is None or unit.valid_to >= start)


def units_on(lineage: Lineage, day: str) -> list[Province]:
    """The units that existed on `day`, by id."""
    return [u for _, u in sorted(lineage.units.items()) if valid_on(u, day)]


def present_day(lineage: Lineage, unit_id: str) -> tuple[str, ...]:
    """The unit(s) of today that `unit_id` became (itself when it still exists), following successors."""
    seen: set[str] = set()
    out: list[str] = []
    todo = [unit_id]
    while todo:
        uid = todo.pop(0)
        if uid in seen or uid not in lineage.units:
            continue
        seen.add(uid)
        unit = lineage.units[uid]
        if unit.valid_to is None or not unit.successors:
            out.append(uid)
        else:
            todo.extend(unit.successors)
    return tuple(sorted(set(out)))


def ancestors(lineage: Lineage, unit_id: str) -> tuple[str, ...]:
    """Every unit that became part of `unit_id`, through predecessors (not the unit itself)."""
    seen: list[str] = []
    todo = list(lineage.units[unit_id].predecessors) if unit_id in lineage.units else []
    while todo:
        uid = todo.pop(0)
        if uid in seen or uid not in lineage.units:
            continue
        seen.append(uid)
        todo.extend(lineage.units[uid].predecessors)
    return tuple(seen)


def resolve(lineage: Lineage, name: str, issued: str | None, year: int | None) -> tuple[str | None, str]:
    """The id of the unit a plan's province `name` was on its signing date, or (None, why not).

    With the date unknown, the unit must be the only one of that name that existed in the plan's
    year: a plan of "Tuyên Quang" from 2025 with no date could be the old or the new unit."""
    ids = lineage.by_name.get(fold(name), ())
    if not ids:
        return None, (f"{name!r} is not a provincial unit in corpus/provinces.yaml: write the province's name "
                      "as the table has it (with diacritics), or add the unit there."
                      + did_you_mean(name, sorted({u.vi for u in lineage.units.values()})))
    units = [lineage.units[i] for i in ids]
    if issued:
        found = [u for u in units if valid_on(u, issued)]
        when = f"on {_dmy(issued)}"
    elif year is not None:
        found = [u for u in units if valid_in_year(u, year)]
        when = f"in {year} (the plan's date is unknown)"
    else:
        return None, ""  # the date and the period are reported by their own checks
    if len(found) == 1:
        return found[0].id, ""
    if not found:
        spans = "; ".join(f"{u.id}: {_span(u)}" for u in units)
        return None, (f"{name!r} was not a provincial unit {when} ({spans}): check the province and the "
                      "date, or name the unit the province was part of then.")
    return None, (f"{name!r} {when} could be {' or '.join(u.id for u in found)}: give the plan's `issued` date "
                  "so that the province at signing is known.")


def _span(u: Province) -> str:
    start = _dmy(u.valid_from) if u.valid_from else "…"
    end = _dmy(u.valid_to) if u.valid_to else "…"
    return f"{start}–{end}"


def _dmy(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


# ------------------------------------------------------------------ checking the table

class _Ck:
    def __init__(self, shown: str, problems: list[Problem]):
        self.shown, self.problems = shown, problems

    def error(self, where: str, message: str, line: int | None) -> None:
        loc = f"line {line} (field {where})" if line else f"field {where}"
        self.problems.append(Problem("error", self.shown, loc, message))


def _line(mapping, key=None):
    lines = getattr(mapping, "lines", None)
    if key is not None and isinstance(lines, dict) and key in lines:
        return lines[key]
    return getattr(mapping, "line", None)


def _date(ck: _Ck, entry: dict, key: str, where: str) -> str | None:
    value = entry.get(key)
    if value is None or value == UNKNOWN:
        return None
    m = ISO_DATE.match(str(value))
    ok = False
    if m:
        try:
            date(int(m[1]), int(m[2]), int(m[3]))
            ok = True
        except ValueError:
            pass
    if not ok:
        ck.error(f"{where}{key}", f"{value!r} is not a date: write YYYY-MM-DD, or null when unknown.",
                 _line(entry, key))
        return None
    return str(value)


def _text(ck: _Ck, entry: dict, key: str, where: str, *, unknown_ok: bool = False) -> str | None:
    value = entry.get(key)
    if isinstance(value, str) and value.strip():
        value = value.strip()
        if value == UNKNOWN:
            if unknown_ok:
                return None
            ck.error(f"{where}{key}", "cannot be `unknown`: give it.", _line(entry, key))
            return None
        return value
    if value is None and unknown_ok and key in entry:
        return None
    ck.error(f"{where}{key}", "is missing or empty: give it as text"
             + (" (or `unknown`)." if unknown_ok else "."), _line(entry, key))
    return None


def _ids(ck: _Ck, entry: dict, key: str, where: str) -> tuple[str, ...]:
    value = entry.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        ck.error(f"{where}{key}", "must be a list of unit ids ([vinh-long-2025]).", _line(entry, key))
        return ()
    return tuple(v.strip() for v in value)


def _basis(ck: _Ck, entry: dict, where: str) -> tuple[LegalBasis, ...]:
    items = entry.get("legal_basis")
    if items is None:
        return ()
    if not isinstance(items, list):
        ck.error(f"{where}legal_basis", "must be a list of {event, instrument, issued, article, date_article}.",
                 _line(entry, "legal_basis"))
        return ()
    out = []
    for i, b in enumerate(items):
        bw = f"{where}legal_basis[{i}]."
        if not isinstance(b, dict):
            ck.error(bw[:-1], "must be a mapping.", _line(items))
            continue
        for key in b:
            if key not in BASIS_FIELDS:
                ck.error(f"{bw}{key}", f"{str(key)!r} is not a field of a legal basis ({', '.join(BASIS_FIELDS)}).",
                         _line(b, key))
        event = _text(ck, b, "event", bw)
        if event is not None and event not in EVENTS:
            ck.error(f"{bw}event", f"{event!r} must be one of: {', '.join(EVENTS)}.", _line(b, "event"))
            event = None
        instrument = _text(ck, b, "instrument", bw)
        issued = _date(ck, b, "issued", bw)
        article = _text(ck, b, "article", bw, unknown_ok=True)
        date_article = _text(ck, b, "date_article", bw, unknown_ok=True) if "date_article" in b else None
        if event and instrument:
            out.append(LegalBasis(event, instrument, issued, article, date_article))
    return tuple(out)


def check_table(entries, shown: str) -> tuple[Lineage, list[Problem]]:
    """Check corpus/provinces.yaml and build the Lineage; every problem names its line and field."""
    problems: list[Problem] = []
    ck = _Ck(shown, problems)
    units: dict[str, Province] = {}
    lines: dict[str, int | None] = {}
    raw: dict[str, dict] = {}
    for i, entry in enumerate(entries or []):
        where = f"[{i}]."
        line = entries.lines[i] if hasattr(entries, "lines") else None
        if not isinstance(entry, dict):
            ck.error(f"[{i}]", "must be a mapping with " + ", ".join(FIELDS[:6]) + ".", line)
            continue
        uid = _text(ck, entry, "id", where)
        if uid is not None and not UNIT_ID.match(uid):
            ck.error(f"{where}id", f"{uid!r}: ids are lower-case ASCII letters, digits and single hyphens: write "
                                   "the name without diacritics, e.g. quang-ninh.", line)
            uid = None
        if uid is not None and uid in units:
            ck.error(f"{where}id", f"{uid!r} is defined twice (first on line {lines[uid]}): keep one of the two "
                                   "entries, or give this one an id of its own.", line)
            uid = None
        where = f"{uid}." if uid else where
        for key in entry:
            if key not in FIELDS:
                ck.error(f"{where}{key}", f"{str(key)!r} is not a field of a provincial unit "
                                          f"({', '.join(FIELDS)}).", _line(entry, key) or line)
        vi = _text(ck, entry, "vi", where)
        en = _text(ck, entry, "en", where)
        kind = _text(ck, entry, "kind", where)
        if kind is not None and kind not in KINDS:
            ck.error(f"{where}kind", f"{kind!r} must be one of: {', '.join(KINDS)}.", _line(entry, "kind"))
        vf = _date(ck, entry, "valid_from", where)
        vt = _date(ck, entry, "valid_to", where)
        if vf and vt and vt < vf:
            ck.error(f"{where}valid_to", f"{vt} is before valid_from {vf}.", _line(entry, "valid_to"))
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            ck.error(f"{where}aliases", "must be a list of names.", _line(entry, "aliases"))
            aliases = []
        succ = _ids(ck, entry, "successors", where)
        pred = _ids(ck, entry, "predecessors", where)
        basis = _basis(ck, entry, where)
        if uid is None or vi is None or en is None or kind not in KINDS:
            continue
        units[uid] = Province(uid, vi, en, kind, vf, vt, succ, pred, tuple(a.strip() for a in aliases), basis)
        lines[uid] = line
        raw[uid] = entry
    problems += check_links(units, lines, raw, shown)
    by_name: dict[str, list[str]] = {}
    for uid, u in sorted(units.items()):
        for name in (u.vi, *u.aliases):
            by_name.setdefault(fold(name), [])
            if uid not in by_name[fold(name)]:
                by_name[fold(name)].append(uid)
    for key, ids in sorted(by_name.items()):
        # Two units may share a name (the old and the new Tuyên Quang), never on one day.
        for a in ids:
            for b in ids:
                ua, ub = units[a], units[b]
                if a < b and _overlap(ua, ub):
                    ck.error(f"{b}.vi", f"{ub.vi!r} is also the name of {a!r} while both exist: a name must "
                                        "mean one unit on any day (check valid_from / valid_to).", lines[b])
    return Lineage(units, {k: tuple(v) for k, v in by_name.items()}), problems


def _overlap(a: Province, b: Province) -> bool:
    a0, a1 = a.valid_from or "0000-00-00", a.valid_to or "9999-99-99"
    b0, b1 = b.valid_from or "0000-00-00", b.valid_to or "9999-99-99"
    return a0 <= b1 and b0 <= a1


def check_links(units: dict[str, Province], lines: dict, raw: dict, shown: str) -> list[Problem]:
    """Successors and predecessors: known ids, each naming the other, and dates that meet."""
    problems: list[Problem] = []
    ck = _Ck(shown, problems)
    for uid, u in sorted(units.items()):
        for key, others, back in (("successors", u.successors, "predecessors"),
                                  ("predecessors", u.predecessors, "successors")):
            line = _line(raw[uid], key)
            for other in others:
                if other not in units:
                    ck.error(f"{uid}.{key}", f"{other!r} is not a unit id of this table.", line)
                    continue
                if uid not in getattr(units[other], back):
                    ck.error(f"{uid}.{key}", f"{other!r} does not list {uid!r} in its {back}: a link is written "
                                             "on both units.", line)
        if u.successors and u.valid_to is None:
            ck.error(f"{uid}.valid_to", "a unit with successors ended: give the last day it existed.",
                     _line(raw[uid], "valid_to") or lines[uid])
        if u.valid_to is not None and not u.successors:
            ck.error(f"{uid}.successors", f"the unit ended on {_dmy(u.valid_to)}: name the unit(s) it became part "
                                          "of.", _line(raw[uid], "successors") or lines[uid])
        for s in u.successors:
            if s in units and u.valid_to and units[s].valid_from and units[s].valid_from != _next_day(u.valid_to):
                ck.error(f"{uid}.valid_to", f"{_dmy(u.valid_to)} is not the day before {s!r} starts "
                                            f"({_dmy(units[s].valid_from)}).", _line(raw[uid], "valid_to"))
        if u.predecessors and u.valid_from is None:
            ck.error(f"{uid}.valid_from", "a unit formed from predecessors has a first day: give it.",
                     _line(raw[uid], "valid_from") or lines[uid])
        if u.valid_to is not None and not any(b.event == "ended" for b in u.legal_basis):
            ck.error(f"{uid}.legal_basis", "the unit ended: give the instrument that ended it (event: ended).",
                     _line(raw[uid], "legal_basis") or lines[uid])
        if u.predecessors and not any(b.event == "formed" for b in u.legal_basis):
            ck.error(f"{uid}.legal_basis", "the unit was formed from others: give the instrument that formed it "
                                           "(event: formed).", _line(raw[uid], "legal_basis") or lines[uid])
    return problems


def _next_day(iso: str) -> str:
    d = date.fromisoformat(iso)
    return date.fromordinal(d.toordinal() + 1).isoformat()
