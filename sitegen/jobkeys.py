"""The digests an incremental build keys its jobs by, with what earlier builds computed of them.

Digesting every plan (pickling it whole, for the lean site and with its text) was most of the time an
incremental build spent on the keys of its 12,854 jobs at 1,000 plans, though one plan had changed. The
build database (sitegen.cache.JobRecords, table `digests`) keeps each plan's two digests by a token of
what the plan is made of; a build takes those whose token is unchanged and digests only the others.
"""
from __future__ import annotations

import hashlib
import sys
from collections.abc import Mapping

from .cache import JobRecords
from .deps import code_digest
from .pages.facts import facts_of
from .pages.digests import Digests


def plan_tokens(blocks: Mapping[str, tuple[str, object]]) -> dict[str, str]:
    """plan id -> its token: the key its download rows are kept under (gather.plan_blocks: made of its
    files' hashes, the registry entries its citations can resolve to, the lookup tables and the code that
    reads and resolves them: equal tokens, equal plans with equal citations), salted with the code that
    digests and the Python that pickles. A plan without such a key (no database) has none."""
    salt = f"{code_digest('sitegen.pages.digests')} {sys.version}"
    return {pid: hashlib.blake2b(f"{salt} {key}".encode(), digest_size=16).hexdigest()
            for pid, (key, _block) in blocks.items() if key}


def digests_for(site, blocks: Mapping[str, tuple[str, object]], records: JobRecords) -> Digests:
    """The digests of a site's reads, each unchanged plan's taken from the build database."""
    return Digests(site, plan_tokens(blocks), records.known_digests(), kept_facts=records.kept_facts,
                   known_parts=records.known_parts())


def keep(records: JobRecords, digests: Digests) -> None:
    """Keep the plans' digests this build computed for the next one (and only this site's), and the
    derived facts' (pages.facts: each unit's digests, by a token of its plans), when it used them."""
    records.keep_digests(digests.learned(), digests.used())
    records.keep_parts(digests.learned_parts(), digests.used())
    facts = facts_of(digests.lean.site)
    if facts.used:
        records.keep_facts({t: r for t, r in facts.learned.items() if t in facts.used}, facts.used)
