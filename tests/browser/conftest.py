"""Browser fixtures: one Chromium context per worker, a fresh page per test that records errors."""
from __future__ import annotations

import pytest

from .helpers import Problems, build_split_site

VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def context(browser):
    """The worker's browser context (JavaScript on, downloads accepted)."""
    ctx = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A new tab; `page.problems` collects console errors, page errors and failed requests."""
    tab = context.new_page()
    tab.problems = Problems().watch(tab)
    yield tab
    tab.close()


@pytest.fixture(scope="session")
def split_site(tmp_path_factory):
    """The real corpus and a 2023 plan of Quảng Ninh, built with pages split by province above 2 plans
    (the category and legal split tests read the same site)."""
    return build_split_site(tmp_path_factory.mktemp("split"),
                            (("quang-ninh-2023-90-kh-ubnd", "90/KH-UBND", '"2023-06-30"'),), split_max_plans=2)
