"""The digests a page job's cache key is made of: of each read of a site's data (pages.reads' vocabulary),
computed once in the parent before the workers are forked, the unchanged plans' taken from the build
database (sitegen.jobkeys)."""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Mapping

from ..normalize import group_inputs
from ..texts import text_digest_of
from .reads import (FACT_KINDS, TABLES, Read, comparability_by_unit, lean_site, plan_head, plan_keys, unit_of,
                    unit_pages, value_digest, without_offsets)


# The reads whose value is the same in the full site and in its lean twin (lean_site): no plan's text
# nor a citation's offsets in them.
_SAME_WHEN_LEAN = frozenset({"instrument", "entry", "instruments", "plan_heads", "plan_count", "cat_count",
                             "unit_pages", "plan_keys", "comparability", "years", "groups", "lookup", "option",
                             "data_version", "settings"})


class Digests:
    """The digest of every read of a site's data, each computed once (in the parent, before the
    workers are forked) and shared."""

    def __init__(self, site, tokens: Mapping[str, str] | None = None, known: Mapping[str, tuple[str, str]] | None = None,
                 kept_facts: Callable[[list[str]], dict] | None = None, known_parts: Mapping[str, tuple] | None = None):
        """tokens: plan id -> a key of everything the plan and its citations are made of (its files, the
        registry entries they resolve to, the code that reads them: sitegen.jobkeys); known: token ->
        the (lean, full) digests of ("plan", id) a previous build computed, taken as they are: an
        unchanged plan is not digested again (pickling every plan was most of the keys' time).
        kept_facts: tokens -> the records of derived facts a previous build kept under them (those it
        has: facts.Facts.unit_digests), or None: every fact is computed. known_parts: token -> a plan's
        share of the reads made of every citation (cite_parts), as a previous build computed it."""
        self.site = site
        self.kept_facts = kept_facts
        self._memo: dict[Read, str] = {}
        self._tokens, self._known = dict(tokens or {}), known or {}
        self._known_parts = known_parts or {}
        self._parts: dict[str, tuple[str, dict[str, str]]] = {}  # cite_parts, by plan id
        self._learned_parts: dict[str, tuple[str, dict[str, str]]] = {}  # by token: computed here
        self._inst_parts_: dict[str, list] | None = None
        self._cites_of_plan: dict[str, list] = {}
        self._cites_of_inst_: dict[str, list] | None = None
        # The citations of each plan are together, plans in order (gather.link_citations): then a read
        # made of every citation is digested from each plan's share (cite_parts), else from them all.
        self._grouped = True
        last = None
        for c in site.citations:
            mine = self._cites_of_plan.get(c.plan_id)
            if mine is None:
                self._cites_of_plan[c.plan_id] = mine = []
            elif c.plan_id != last:
                self._grouped = False
            mine.append(c)
            last = c.plan_id
        self._plans = {p.id: p for p in (*site.corpus.plans, *site.corpus.drafts)}
        self._comparability = self._groups = self._years_of = self._lean = None  # made when first asked
        self._by: dict[str, dict[str, list[str]]] = {}  # _plans_of
        for pid, token in self._tokens.items():
            if token in self._known and pid in self._plans:
                self._memo[("plan", pid)] = self._known[token][1]
        self._keys: dict[frozenset, str] = {}
        self._lines: dict[Read, bytes] = {}  # key: each read's line, written once

    @property
    def lean(self) -> Digests:
        """The digests of the lean site (lean_site): what the keys of the jobs that read no plan's text
        are made of."""
        if self._lean is None:
            self._lean = Digests(lean_site(self.site), known_parts=self._known_parts)
            self._lean._lean = self._lean  # the lean site's lean twin is itself
            self._lean.kept_facts = self.kept_facts
            self._lean._tokens = self._tokens  # its plans' shares of the citations are kept by them
            for pid, token in self._tokens.items():
                if token in self._known and pid in self._plans:
                    self._lean._memo[("plan", pid)] = self._known[token][0]
        return self._lean

    def learned(self) -> dict[str, tuple[str, str]]:
        """token -> (lean, full) digests of ("plan", id) for each plan with a token not known before
        (computed here if no job read it): what the next build can take as they are."""
        return {token: (self.lean.of(("plan", pid)), self.of(("plan", pid)))
                for pid, token in self._tokens.items() if token not in self._known and pid in self._plans}

    def used(self) -> set[str]:
        """The tokens of this site's plans (what a store of known digests keeps)."""
        return {token for pid, token in self._tokens.items() if pid in self._plans}

    def learned_parts(self) -> dict[str, tuple[str, dict[str, str]]]:
        """token -> cite_parts of each plan whose share this build computed (what the next build can take)."""
        return dict(self.lean._learned_parts)

    def cite_parts(self, plan_id: str) -> tuple[str, dict[str, str]]:
        """A plan's share of the reads made of every citation, on the lean site: the digest of its
        citations, and of its citations of each instrument (by id), in order; taken from a previous
        build by the plan's token. Digesting every citation for ("citations",) and each ("instrument", id)
        was a third of an incremental build's keys at 10,000 plans (0.65 s), with one plan changed."""
        parts = self._parts.get(plan_id)
        if parts is None:
            token = self._tokens.get(plan_id)
            parts = self._known_parts.get(token) if token else None
            if parts is None:
                cites = self._cites_of_plan.get(plan_id, ())
                by: dict[str, list] = {}
                for c in cites:
                    if c.legal_id:
                        by.setdefault(c.legal_id, []).append(c)
                parts = value_digest(tuple(cites)), {k: value_digest(tuple(v)) for k, v in sorted(by.items())}
                if token:
                    self._learned_parts[token] = parts
            self._parts[plan_id] = parts
        return parts

    def _inst_parts(self) -> dict[str, list[tuple[str, str]]]:
        """Instrument id -> (plan id, digest of the plan's citations of it) of each plan citing it, in order."""
        if self._inst_parts_ is None:
            self._inst_parts_ = {}
            for pid in self._cites_of_plan:
                for legal_id, d in self.cite_parts(pid)[1].items():
                    self._inst_parts_.setdefault(legal_id, []).append((pid, d))
        return self._inst_parts_

    @property
    def _cites_of_inst(self) -> dict[str, list]:
        """Instrument id -> the citations of it, without their offsets (made when first asked)."""
        if self._cites_of_inst_ is None:
            self._cites_of_inst_ = {}
            for c in self.site.citations:
                if c.legal_id:
                    self._cites_of_inst_.setdefault(c.legal_id, []).append(without_offsets(c))
        return self._cites_of_inst_

    def _group_inputs(self) -> dict[str, tuple]:
        """Per category, what its groups' shapes are made of (normalize.group_inputs)."""
        if self._groups is None:
            self._groups = group_inputs(self.site.tables.targets)
        return self._groups

    def group_categories(self) -> list[str]:
        """The categories whose targets make groups (those ("groups", category) is not empty for)."""
        return list(self._group_inputs())

    def _years(self) -> dict[str, list[int]]:
        """The years of each province's (reviewed) plans."""
        if self._years_of is None:
            self._years_of = {}
            for p in self.site.corpus.plans:
                self._years_of.setdefault(p.province, []).append(p.year)
        return self._years_of

    def _plans_of(self, kind: str) -> dict[str, list[str]]:
        """The plan ids of each province or unit (kind), in order: indexed once, not scanned per unit."""
        if kind not in self._by:
            self._by[kind] = by = {}
            for p in self.site.corpus.plans:
                by.setdefault(p.province if kind == "province" else unit_of(p), []).append(p.id)
        return self._by[kind]

    def province_of(self, plan_id: str) -> str:
        """The province of a plan ("" for none)."""
        p = self._plans.get(plan_id)
        return p.province if p else ""

    def unit_of_plan(self, plan_id: str) -> str:
        """The unit a plan was signed in ("" for none)."""
        p = self._plans.get(plan_id)
        return unit_of(p) if p else ""

    def of(self, read: Read) -> str:
        """The digest of one read."""
        if read not in self._memo:
            self._memo[read] = self._compute(read)
        return self._memo[read]

    def key(self, reads) -> str:
        """The digest of a declaration: of a line per read, the read and its digest, the lines sorted
        (once per declaration: many jobs share theirs). A read's line is written once per build, not
        pickled again with its digest for each declaration naming it (a page summing up a unit names
        each of its plans); no gain showed in the keys' time at 10,000 plans (README, Performance)."""
        reads = frozenset(reads)
        key = self._keys.get(reads)
        if key is None:
            lines = self._lines
            for r in reads.difference(lines):
                # repr of a tuple of strings and numbers is its value alone, and holds no line break.
                lines[r] = f"{r!r} {self.of(r)}".encode()
            key = self._keys[reads] = hashlib.blake2b(b"\n".join(sorted([lines[r] for r in reads])),
                                                      digest_size=16).hexdigest()
        return key

    def _compute(self, read: Read) -> str:
        site, kind = self.site, read[0]
        if (kind in _SAME_WHEN_LEAN or kind in FACT_KINDS) and self.lean is not self:  # facts: of the lean site
            return self.lean.of(read)  # computed once for both (the lean site's citations are without offsets)
        if kind == "plan":
            p, cites = self._plans.get(read[1]), self._cites_of_plan.get(read[1], ())
            if p is not None and self.lean is not self:
                # The full plan is its lean twin, its text and its citations' offsets: digested from the
                # lean twin's digest (computed for the other jobs anyway), not pickled whole again.
                return value_digest(self.lean.of(read), text_digest_of(self.site, p),
                                    tuple((c.start, c.end) for c in cites))
            return value_digest(p, tuple(cites))
        if kind in ("province", "unit"):
            return value_digest(*(self.of(("plan", pid)) for pid in self._plans_of(kind).get(read[1], ())))
        if kind == "plans":
            return value_digest(*(self.of(("plan", p.id)) for p in site.corpus.plans))
        if kind == "tables":
            return self.key(TABLES)
        if kind == "groups":
            return value_digest(self._group_inputs().get(read[1], ()), self.of(("lookup", "subjects")))
        if kind == "plan_heads":
            return value_digest(*(plan_head(p) for p in site.corpus.plans))
        if kind == "plan_count":
            return str(len(site.corpus.plans))
        if kind == "cat_count":
            return value_digest(sorted(Counter(tg.category for p in site.corpus.plans for tg in p.top_targets).items()))
        if kind == "unit_pages":
            return value_digest(unit_pages(site.corpus.plans))
        if kind == "plan_keys":
            return value_digest(plan_keys(site.corpus.plans))
        if kind == "comparability":
            if self._comparability is None:
                self._comparability = comparability_by_unit(site.corpus.plans, site.tables.comparability)
            return value_digest(sorted(self._comparability.get(read[1], {}).items()))
        if kind == "drafts":
            return value_digest(*(self.of(("plan", p.id)) for p in site.corpus.drafts))
        if kind == "instrument":
            if self._grouped and self._lean is self:  # each plan's citations of it, digested per plan
                return value_digest(site.instruments.get(read[1]), "per plan", *self._inst_parts().get(read[1], ()))
            return value_digest(site.instruments.get(read[1]), tuple(self._cites_of_inst.get(read[1], ())))
        if kind == "entry":
            return value_digest(site.instruments.get(read[1]))
        if kind == "years":
            return value_digest(sorted(self._years().get(read[1], ())))
        if kind == "instruments":
            return value_digest(*((i, self.of(("instrument", i))) for i in site.instruments))
        if kind == "citations":
            if self._grouped and self._lean is self:  # the lean twin's (its citations without offsets)
                return value_digest("per plan", *((pid, self.cite_parts(pid)[0]) for pid in self._cites_of_plan))
            return value_digest(site.citations)
        if kind == "lookup":
            return value_digest(getattr(site.corpus.lookups, read[1]))
        if kind == "option":
            return value_digest(getattr(site.options, read[1]))
        if kind == "data_version":
            return value_digest(site.corpus.data_version)
        if kind == "settings":
            return value_digest(site.corpus.settings)
        if kind in FACT_KINDS:
            return FACT_KINDS[kind][0](self, read)
        raise ValueError(f"unknown read {read!r}")
