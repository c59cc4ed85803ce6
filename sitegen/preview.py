"""Page first: the pages of the plans just edited, made at once from what the last build gathered.

`build.py serve` keeps a warm build worker (sitegen/warm.py). When a save changes only plan files,
the worker first makes the edited plans' own pages (both languages) here, in a fraction of a second,
and the server shows them from memory (they are never written into the output folder); then it
runs the ordinary build, whose site replaces them. The pages are made by the build's own code
(plan_jobs, the kits, render_page) from the last build's gathered SiteData in which only the edited
plans are read again, checked and linked: a plan page reads only its plan, its province's years,
the registry entries it cites and the lookups (pages/plans.py), so the page is the one the build
makes, save in a corner the build settles (an instrument first seen in this edit, whose registry
entry the whole corpus completes); the build's page then replaces it anyway.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import citations as cite
from . import lineage, validity
from .i18n import LANGS
from .load import editor_leftover, load_corpus
from .options import SiteOptions
from .pages import kits, plan_jobs
from .pages.kit import SiteData
from .pipeline import link_citations
from .reading import read_plan
from .render import environment, render_page
from .validate_corpus import validate_tables


@dataclass
class Kept:
    """What the worker keeps between builds: the last build's gathered data (with the previews made
    since applied to it), its corpus folder and options, the template environment and lookups."""

    site: SiteData
    corpus_dir: Path
    options: SiteOptions
    env: object = None  # jinja2.Environment, made at the first preview (its compiled templates stay)
    lookups: tuple | None = None  # (signature, tables, names, registry) of the corpus's tables
    plans_dir: Path = field(init=False)

    def __post_init__(self) -> None:
        self.plans_dir = (Path(self.corpus_dir) / "plans").resolve()


def keep(gathered, corpus_dir: Path, options: SiteOptions, previous: Kept | None = None) -> Kept:
    """The state to keep after a build gathered (pipeline.build's on_gathered); the template
    environment and lookups of `previous` stay when they are still those of this build."""
    if not options.base_url and gathered.site.corpus.settings.site_url:
        options = replace(options, base_url=gathered.site.corpus.settings.site_url)  # as write_output does
    kept = Kept(replace(gathered.site, options=options), Path(corpus_dir), options)
    if previous is not None and previous.options.templates == options.templates:
        kept.env = previous.env
        if previous.corpus_dir == kept.corpus_dir:
            kept.lookups = previous.lookups
    return kept


def plan_stems(kept: Kept, paths: list[str]) -> list[str] | None:
    """The plans (file stems) that the changed paths are the text or data of, or None when any
    path is something else (a lookup table, a source document, a deleted plan): no preview then."""
    stems = set()
    for p in paths:
        path = Path(p)
        if path.resolve().parent != kept.plans_dir or path.suffix not in (".md", ".yaml"):
            if editor_leftover(path.name):
                continue
            return None
        if not (kept.plans_dir / f"{path.stem}.md").is_file():
            return None
        stems.add(path.stem)
    return sorted(stems) or None


def _signature(root: Path) -> tuple:
    """The corpus's files beside plans/ (the lookup tables, the registry, site.yaml), by name,
    size and time: when it changes, the lookups are read again."""
    return tuple(sorted((p.name, s.st_size, s.st_mtime_ns) for p in root.iterdir()
                        if p.is_file() and (s := p.stat())))


def _lookups(kept: Kept) -> tuple:
    """The lookup tables, citation names and registry of the corpus, as pipeline.gather reads them."""
    root = kept.corpus_dir
    sign = _signature(root)
    if kept.lookups is not None and kept.lookups[0] == sign:
        return kept.lookups[1:]
    raw, _ = load_corpus(root, plans=False)
    tables, _ = validate_tables(raw)
    table, _ = lineage.check_table(raw.tables.get("provinces"), raw.table_paths.get("provinces", ""))
    tables = replace(tables, lookups=replace(tables.lookups, provinces=table.units))
    names, _ = cite.names_from_data(raw.tables.get("legal_names"))
    registry, _ = cite.registry_from_data(raw.tables.get("legal") or [], names)
    registry, _ = validity.apply(raw.tables.get("legal"), registry)
    kept.lookups = (sign, tables, names, registry)
    return kept.lookups[1:]


def preview(kept: Kept, stems: list[str]) -> dict[str, bytes] | None:
    """The pages (site path -> bytes) of the edited plans, both languages, or None when one of them
    cannot be read or has an error (the build that follows reports it). The kept data then holds
    the edited plans, so that the next preview starts from them."""
    tables, names, registry = _lookups(kept)
    root = kept.corpus_dir
    site = kept.site
    corpus = site.corpus
    reads = []
    for stem in stems:
        md, data = root / "plans" / f"{stem}.md", root / "plans" / f"{stem}.yaml"
        read = read_plan(md, data if data.is_file() else None, root, tables, names)
        if read.plan is None or any(p.severity == "error" for p in (*read.load_problems, *read.problems)):
            return None
        reads.append(read)
    edited = {r.plan.id: r for r in reads}
    plans = [p for p in corpus.plans if p.id not in edited] + [r.plan for r in reads if not r.plan.is_draft]
    drafts = [p for p in corpus.drafts if p.id not in edited] + [r.plan for r in reads if r.plan.is_draft]
    order = (lambda p: (p.province, p.year, p.id))  # finish_corpus's order
    corpus = replace(corpus, plans=tuple(sorted(plans, key=order)), drafts=tuple(sorted(drafts, key=order)))
    reviewed = replace(corpus, plans=tuple(r.plan for r in reads if not r.plan.is_draft))
    found, linked, _ = link_citations(reviewed, registry, names,
                                      found_in={r.plan.id: r.citations for r in reads}, shown=root.name)
    by_plan = defaultdict(list)
    for c in (*(c for c in site.citations if c.plan_id not in edited), *found):
        by_plan[c.plan_id].append(c)
    citations = tuple(c for p in corpus.plans for c in by_plan.get(p.id, ()))
    instruments = {**site.instruments, **{k: v for k, v in linked.items() if k not in site.instruments}}
    # The edited plans hold their texts; the others' may be in the build database (sitegen.texts).
    kept.site = site = replace(site, corpus=corpus, citations=citations, instruments=instruments,
                               texts=site.texts.without(edited) if site.texts is not None else None)
    if kept.env is None:
        kept.env = environment(kept.options.templates)
    # The kits index the whole site; a plan page reads none of the other plans' citations nor the
    # comparability table (plans.plan_jobs), so the kits are made without them: most of the time
    # of indexing 1,000 plans. (A page that did read them would differ from the build's page,
    # which tests/test_serve_warm.py compares byte for byte.)
    site = replace(site, citations=tuple(c for c in citations if c.plan_id in edited),
                   tables=replace(site.tables, comparability=()))
    kit = kits(site)
    jobs = plan_jobs(replace(site, corpus=replace(corpus, plans=tuple(p for p in corpus.plans if p.id in edited),
                                                  drafts=tuple(p for p in corpus.drafts if p.id in edited))))
    pages: dict[str, bytes] = {}
    for pid in edited:
        for lang in LANGS:
            for page in jobs[lang][pid].run(kit[lang]):
                pages[page.path] = render_page(kept.env, page)
    return pages
