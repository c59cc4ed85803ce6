"""A province's own pages on a split site (its category pages, instrument pages, matrices and compare
table) are keyed by the provincial unit its plans were signed in (corpus/provinces.yaml), as province
pages are: the old tỉnh Tuyên Quang (to 30/06/2025) and the new one (from 01/07/2025, with Hà Giang)
share a name but never a page."""
from __future__ import annotations

from dataclasses import replace

import pytest

from helpers import TQ_2019, TQ_2026, lineage_corpus
from sitegen.options import SiteOptions
from sitegen.pages import Kit
from sitegen.pages import categories as category_pages
from sitegen.pages import compare as compare_pages
from sitegen.pages import legal as legal_pages
from sitegen.pages import matrices as matrix_pages
from sitegen.pipeline import gather

CT36 = "chi-thi-36-ct-tw-2019-08-16"


@pytest.fixture(scope="module")
def kit(tmp_path_factory) -> Kit:
    site = gather(lineage_corpus(tmp_path_factory.mktemp("units"))).site
    return Kit(replace(site, options=SiteOptions(split_max_plans=2)), "vi")


def _plans_on(page) -> set[str]:
    """The plans a page links to."""
    text = repr(page.page)
    return {pid for pid in (TQ_2019, TQ_2026) if f"plans/{pid}.html" in text}


def _made_by(kit, module, make) -> dict:
    """The pages the jobs of a page family that run `make` give (one job per unit), by path."""
    jobs = [j for j in module.jobs(kit.site) if j.make is make]
    assert jobs
    return {p.path: p for j in jobs for p in j.run(kit)}


def test_category_pages_of_the_old_and_the_new_tuyen_quang_are_two_pages(kit):
    cat = next(tg.category for tg in kit.plans[TQ_2026].targets)
    pages = _made_by(kit, category_pages, category_pages.category_provinces)
    old, new = f"categories/{cat.replace('_', '-')}/tuyen-quang.html", f"categories/{cat.replace('_', '-')}/tuyen-quang-2025.html"
    assert old in pages and new in pages
    assert _plans_on(pages[old]) == {TQ_2019} and _plans_on(pages[new]) == {TQ_2026}
    overview = category_pages.category(kit, cat)
    assert "tuyen-quang-2025.html" in repr(overview.page) and "tuyen-quang.html" in repr(overview.page)


def test_matrices_and_compare_tables_of_the_two_units_are_two_pages(kit):
    paths = _made_by(kit, matrix_pages, matrix_pages.province_matrices)
    assert _plans_on(paths["matrices/tuyen-quang.html"]) == {TQ_2019}
    assert _plans_on(paths["matrices/tuyen-quang-2025.html"]) == {TQ_2026}
    old = compare_pages.compare_unit(kit, "tuyen-quang")
    new = compare_pages.compare_unit(kit, "tuyen-quang-2025")
    assert {r.id.split("/")[0] for r in old.page.rows} == {TQ_2019}
    assert {r.id.split("/")[0] for r in new.page.rows} == {TQ_2026}


def test_an_instrument_page_per_unit(kit):
    cited = {c.legal_id for c in kit.site.citations if c.plan_id == TQ_2026 and c.legal_id}
    assert cited
    inst = kit.site.instruments[sorted(cited)[0]]
    paths = {path for path, p in _made_by(kit, legal_pages, legal_pages.instrument_provinces).items()
             if path.startswith(f"legal/{inst.id}/")}
    assert f"legal/{inst.id}/tuyen-quang-2025.html" in paths and f"legal/{inst.id}/tuyen-quang.html" in paths
