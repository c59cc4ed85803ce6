"""The browser tests need the system Chromium: without it they fail (never skip), saying how to get it."""
from __future__ import annotations

import pytest

from .helpers import CHROMIUM

pytestmark = pytest.mark.browser


def test_chromium_is_installed():
    assert CHROMIUM.is_file(), (f"Chromium not found at {CHROMIUM}: the browser tests need it. "
                                "Install it with `apt-get install chromium` (Debian).")
