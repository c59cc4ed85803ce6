"""Browser fixtures: one Chromium context per worker, a fresh page per test that records errors."""
from __future__ import annotations

import pytest

from .helpers import Problems

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
