"""Reading one plan: load, validate and find its citations, the per-plan part of gathering, done
for each plan independently (in worker processes for a large corpus) and kept per plan in the build
database (sitegen.gather: its key covers this module's code and everything it imports, see
sitegen.cache.read_fingerprint)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import citations as cite
from . import lineage, translation
from .load import load_plan
from .load_yaml import LineDict
from .model import Citation, Plan, Problem
from .texts import text_digest
from .validate import validate_plan
from .validate_corpus import LookupTables


@dataclass(frozen=True)
class PlanRead:
    """One plan read, checked and searched for citations: what a worker sends back."""

    load_problems: list[Problem]
    claim: tuple[str, str, dict] | None  # (file stem, .md path, front matter): for duplicate ids
    plan: Plan | None  # None when it cannot be read or has errors
    problems: list[Problem]  # validation problems
    # Found, not yet resolved; None in the plan's row of the build database, which keeps them in a row
    # of their own (sitegen.gather.read_all): a build needs them only for a plan whose resolution is not kept.
    citations: tuple[Citation, ...] | None
    text_digest: str = ""  # the digest of the plan's text (texts.text_digest), kept with it: not hashed each build
    cited: frozenset[str] = frozenset()  # the numbers its citations cite: what a kept resolution is found by


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
    # citations are resolved in order in the main process: extract cuts it (cutting it again here
    # gave the same text at a twentieth of reading a plan, profiled).
    found = () if plan is None else tuple(
        cite.extract(plan.text, own_number=plan.number, province=plan.province, names=names))
    return PlanRead(load_problems, (rp.id, rp.md_path, claimed(rp.meta)), plan, problems, found,
                    text_digest(plan.text) if plan is not None else "", frozenset(c.number for c in found if c.number))


# The fields of a plan's front matter that the checks across plans read (checks.duplicate_ids,
# checks.province_clashes) and that say which source document its checks saw (gather._source_signature).
CLAIMED = ("id", "province", "source_file")


def claimed(meta: dict) -> dict:
    """The front matter's CLAIMED fields, with the lines they are on (a PlanRead is kept in the build
    database and unpickled every build for every plan: the whole front matter was a fifth of that)."""
    out = LineDict((k, meta[k]) for k in CLAIMED if k in meta)
    lines = getattr(meta, "lines", None)
    if isinstance(lines, dict):
        out.lines = {k: lines[k] for k in CLAIMED if k in lines}
    return out
