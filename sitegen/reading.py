"""Reading one plan: load, validate and find its citations, the per-plan part of gathering, done
for each plan independently (in worker processes for a large corpus) and cached per plan
(sitegen.cache: its key covers this module's code and everything it imports, see sitegen.deps)."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from . import citations as cite
from . import lineage, translation
from .load import MAX_FILE_BYTES, load_plan
from .model import Citation, Plan, Problem
from .validate import validate_plan
from .validate_corpus import LookupTables


@dataclass(frozen=True)
class PlanRead:
    """One plan read, checked and searched for citations: what a worker sends back."""

    load_problems: list[Problem]
    claim: tuple[str, str, dict] | None  # (file stem, .md path, front matter): for duplicate ids
    plan: Plan | None  # None when it cannot be read or has errors
    problems: list[Problem]  # validation problems
    citations: tuple[Citation, ...]  # found, not yet resolved


def read_plan(md: Path, data_path: Path | None, root: Path, tables: LookupTables, names: dict) -> PlanRead:
    """Load, validate and find the citations of one plan: the per-plan part of gathering."""
    rp, load_problems = load_plan(md, data_path, root)
    if rp is None:
        return PlanRead(load_problems, None, None, [], ())
    problems: list[Problem] = []
    plan = validate_plan(rp, root, tables, problems)
    problems += translation.plan_warnings(rp)  # English left out: warnings for the English edition
    if plan is not None:  # its province as a unit of provinces.yaml, on its date
        plan = lineage.assign(plan, rp.meta, rp.md_path, tables.lookups.provinces, problems)
    # Each citation's sentence is cut here, per plan (and so cached and in a worker), not when
    # citations are resolved in order in the main process.
    found = () if plan is None else tuple(
        replace(c, sentence=cite.sentence_around(plan.text, c.start, c.end))
        for c in cite.extract(plan.text, own_number=plan.number, province=plan.province, names=names))
    return PlanRead(load_problems, (rp.id, rp.md_path, rp.meta), plan, problems, found)


def _source_signature(root: Path, read: PlanRead) -> tuple:
    """What a plan's checks saw of its source document (validate_plan checks it exists and its size)."""
    source = read.claim[2].get("source_file") if read.claim else None
    if not isinstance(source, str):
        return ()
    try:
        return source, (root / source).stat().st_size
    except (OSError, ValueError):
        return source, -1


def read_plan_cached(md: Path, data_path: Path | None, root: Path, tables: LookupTables, names: dict,
                     cache) -> tuple[str, PlanRead]:  # cache: a sitegen.cache.PlanCache or None
    """read_plan through the cache: (cache key, result); the key is "" without a cache, and starts
    with "+" when the entry was written by this call."""
    if cache is None:
        return "", read_plan(md, data_path, root, tables, names)
    try:
        if any(f and (not f.is_file() or f.stat().st_size > MAX_FILE_BYTES) for f in (md, data_path)):
            raise OSError("not a regular file or too large: read_plan reports it without reading it")
        key = cache.key(md.name.encode(), md.read_bytes(), data_path.read_bytes() if data_path else b"\0")
    except OSError:
        return "", read_plan(md, data_path, root, tables, names)  # reported by read_plan
    hit = cache.get(key)
    if hit is not None and hit[0] == _source_signature(root, hit[1]):
        return key, hit[1]
    read = read_plan(md, data_path, root, tables, names)
    if cache.put(key, (_source_signature(root, read), read)):
        key = "+" + key  # new in this build: removed again if the build fails
    return key, read
