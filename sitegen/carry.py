"""Carrying over what an incremental build need not make: the page jobs whose key the previous build
made their pages with, decided in this process before any worker starts, from one query of the build
database (sitegen.cache.JobRecords.get_many).

Before, each of the 10,854 page jobs of a 1,000-plan site went to a worker process to be found unchanged
there (a query, its record unpickled, its files carried over, then its charts pickled back to this
process): most of an incremental build's wait for the workers, for jobs that made nothing. Now only the
jobs that must run, and the plan pages whose key changed, are handed to the workers.
"""
from __future__ import annotations

from .cache import JobRecords
from .heap import gc_paused
from .i18n import LANGS
from .pages import Drawn, PageJob
from .urls import lang_path, plan_path
from .write import Staging


def reuse_all(staging: Staging, paths, key: str) -> bool:
    """Carry over files made together when the previous build made all of them with this key; False
    when any must be made again (those already carried stay: the caller writes only the others)."""
    if not staging.old or not all((staging.old.get(p) or ("",))[0] == key for p in paths):
        return False
    return all([staging.reuse(p, key) for p in paths if p not in staging.entries])


def reuse_job(job: PageJob, staging: Staging, records: JobRecords | None, hit=None) -> tuple[int, Drawn] | None:
    """Carry over a job's pages when the previous build made them with the same key (the job's
    declared inputs, code and templates are unchanged); (pages, charts) or None. hit: its record,
    when already read (carry_jobs)."""
    if not staging.old or records is None:
        return None
    hit = records.get(job.key) if hit is None else hit
    if hit is None:
        return None
    paths, drawn = hit
    return (len(paths), drawn) if reuse_all(staging, paths, job.key) else None


def carry_jobs(jobs: list[PageJob], staging: Staging, records: JobRecords | None) -> dict[int, tuple[int, Drawn]]:
    """The jobs carried over whole, by their index in `jobs`: (pages, charts drawn), as their record
    says. Their records are read in one query; the others are left to be made."""
    if not staging.old or records is None or not jobs:
        return {}
    # Ten thousand records unpickled and their files recorded: in bulk, no cycles (sitegen.heap;
    # the collections were three quarters of this step: 0.24-0.33 s against 0.08 s at 1,000 plans).
    with gc_paused():
        found = records.get_many([j.key for j in jobs])
        out = {}
        for i, job in enumerate(jobs):
            hit = found.get(job.key)
            done = reuse_job(job, staging, records, hit) if hit is not None else None
            if done is not None:
                out[i] = done
    return out


def plans_to_make(plan_ids: list[str], jobs: dict[str, dict[str, PageJob]], staging: Staging) -> list[str]:
    """The plans whose page in some language must be made again: the others' pages are carried over
    here (a plan page is the only file of its job, keyed in the manifest by the job's key)."""
    if not staging.old:
        return list(plan_ids)
    todo = []
    with gc_paused():
        for pid in plan_ids:
            if not all([staging.reuse(lang_path(lang, plan_path(pid)), jobs[lang][pid].key) for lang in LANGS]):
                todo.append(pid)
    return todo
