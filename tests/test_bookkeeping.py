"""What an incremental build does per build whatever changed (issue 19): the lookups, keys and workers
it makes are those the pages it makes need, not every one of the corpus."""
from __future__ import annotations

from collections import Counter

import pytest

from helpers import REAL_CORPUS
from sitegen.gather import gather
from sitegen.pages import Index, kits
from sitegen.pages.reads import comparability_by_unit, plan_keys


@pytest.fixture(scope="module")
def site():
    return gather(REAL_CORPUS).site


def test_the_index_makes_its_target_and_compare_lookups_when_first_asked_and_shares_them_with_its_twin(site):
    ix = Index(site)
    assert not ix._lazy  # none made by making the Index
    plans = site.corpus.plans
    assert ix.comparability == comparability_by_unit(plans, site.tables.comparability)
    assert set(ix._lazy) == {"comparability"}
    twin = ix.twin(site)
    assert twin.comparability is ix.comparability  # made once for both
    assert ix.target == {(p.id, tg.id): tg for p in plans for tg in p.targets}
    assert twin.target is ix.target
    assert ix.cat_count == Counter(tg.category for p in plans for tg in p.top_targets)
    assert ix.plan_keys == plan_keys(plans)
    fresh = Index(site).prepare()  # what the build makes before it forks workers that make many pages
    assert set(fresh._lazy) == {"cat_count", "target", "plan_keys", "comparability"}


def test_the_lean_kits_share_one_index_whose_lookups_the_build_can_make_before_forking(site):
    k = kits(site)
    assert k["vi"].index is k["en"].index
    assert k["vi"].index.prepare().comparability is k["en"].index.comparability
