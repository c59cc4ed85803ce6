"""The build, stage by stage: gather (load, validate, cite, normalize) then render and write.

Nothing is written until every stage before it has finished without error; the
write itself swaps in a complete new site in one rename.
"""
from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import citations as cite
from .export import data_files_index, export_files, tables_for_download
from .load import load_corpus
from .model import Citation, Corpus, Instrument, Problem
from .normalize import tables as make_tables
from .pages import SiteData, build_pages
from .publish import release_files
from .render import render_pages, static_files
from .validate import validate
from .write import write_site


class BuildError(Exception):
    """The corpus has errors: nothing was written."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{sum(p.severity == 'error' for p in problems)} error(s)")
        self.problems = problems


@dataclass
class Report:
    """What a build did: counts, warnings and the time of each stage."""

    plans: int = 0
    targets: int = 0
    pages: int = 0
    files: int = 0
    bytes: int = 0
    warnings: list[Problem] = field(default_factory=list)
    stages: dict[str, float] = field(default_factory=dict)


def _timed(report: Report, stage: str, fn, *args, **kw):
    start = time.perf_counter()
    result = fn(*args, **kw)
    report.stages[stage] = report.stages.get(stage, 0.0) + time.perf_counter() - start
    return result


def link_citations(corpus: Corpus, root_registry: dict[str, Instrument]
                   ) -> tuple[tuple[Citation, ...], dict[str, Instrument], list[Problem]]:
    """Find every citation in every plan, resolve it to one instrument, and complete the registry."""
    registry: dict[str, Instrument] = dict(root_registry)
    problems: list[Problem] = []
    found: list[Citation] = []
    for p in corpus.plans:
        raw = cite.extract(p.text, own_number=p.number, province=p.province)
        resolved, msgs = cite.resolve(raw, registry, province=p.province, plan_id=p.id)
        problems += [Problem("warning", f"corpus/plans/{p.id}.md", "", m) for m in msgs]
        for c in resolved:
            if c.legal_id and c.legal_id not in registry:
                # An instrument first seen in a citation enters the registry with what the citation says.
                registry[c.legal_id] = cite.registry_entry_from_citation(c)
                problems.append(Problem("warning", "corpus/legal.yaml", "",
                                        f"{c.legal_id} is cited by {p.id} but not in the registry: "
                                        "added from the citation; add it to corpus/legal.yaml."))
            found.append(replace(c, plan_id=p.id, sentence=cite.sentence_around(p.text, c.start, c.end)))
    problems += [Problem("warning", "corpus/legal.yaml", "", m)
                 for m in cite.check_registry(root_registry, found)]
    cited = {c.legal_id for c in found}
    for legal_id in sorted(set(registry) - cited):
        # The site lists instruments the plans cite; an entry nothing cites is kept out of it.
        problems.append(Problem("warning", "corpus/legal.yaml", f"field {legal_id}",
                                "no plan cites this instrument: it is not published (remove it or "
                                "check the plan that should cite it)."))
    ordered = {k: v for k, v in sorted(registry.items()) if k in cited}
    return tuple(found), ordered, problems


@dataclass(frozen=True)
class Gathered:
    """Everything the site shows, computed and checked, before rendering."""

    site: SiteData
    files: dict[str, bytes]
    pages: int


def gather(corpus_dir: Path, *, base_url: str = "", report: Report | None = None) -> Gathered:
    """Load, validate and compute everything; raise BuildError with every problem if the corpus is bad."""
    report = report or Report()
    raw, problems = _timed(report, "load", load_corpus, corpus_dir)
    corpus, more = _timed(report, "validate", validate, raw)
    problems += more
    if any(p.severity == "error" for p in problems):
        raise BuildError(problems)
    legal = corpus_dir / "legal.yaml"
    registry = cite.load_registry(legal) if legal.exists() else {}
    citations, instruments, more = _timed(report, "citations", link_citations, corpus, registry)
    problems += more
    if any(p.severity == "error" for p in problems):
        raise BuildError(problems)
    tables = _timed(report, "normalize", make_tables, corpus)
    site = SiteData(corpus, tables, citations, instruments, base_url)
    rows = _timed(report, "normalize", tables_for_download, corpus, tables, citations, instruments)
    pages, charts = _timed(report, "contexts", build_pages, site, data_files_index(rows))
    files = _timed(report, "render", render_pages, pages)
    sources = {Path(p.source_file).name: (corpus_dir / p.source_file).read_bytes() for p in corpus.plans}
    files.update(_timed(report, "export", export_files, corpus, tables, rows, charts, sources))
    if raw.changelog:
        files["data/CHANGELOG.md"] = raw.changelog.encode("utf-8")
    files.update(static_files())
    files.update(_timed(report, "export", release_files, files, corpus, base_url))
    report.plans = len(corpus.plans)
    report.targets = sum(len(p.targets) for p in corpus.plans)
    report.pages = len(pages)
    report.warnings = [p for p in problems if p.severity == "warning"]
    return Gathered(site, files, len(pages))


def index_search(staging: Path) -> None:
    """Build the Pagefind search index into the staged site (before it is swapped in)."""
    cmd = [sys.executable, "-m", "pagefind", "--site", str(staging), "--output-subdir", "pagefind", "--quiet"]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"pagefind failed: {result.stderr.strip() or result.stdout.strip()}")


def build(corpus_dir: Path, out_dir: Path, *, base_url: str = "", search: bool = True,
          strict: bool = False) -> Report:
    """The whole build: gather, then write the site in one swap. Raises BuildError on a bad corpus."""
    report = Report()
    gathered = gather(corpus_dir, base_url=base_url, report=report)
    if strict and report.warnings:
        raise BuildError([replace(w, severity="error") for w in report.warnings])
    finish = index_search if search else None
    report.bytes = _timed(report, "write", write_site, out_dir, gathered.files, finish=finish)
    report.files = len(gathered.files)
    return report
