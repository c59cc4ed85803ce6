"""The build's options, chosen by whoever runs the build (build.py), passed down to every stage that
needs them: never module globals, so that a test sets them by passing its own."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SiteOptions:
    """How to build the site (not what it shows: that is the corpus)."""

    # Absolute URL the site is published at, for citations, permalinks and the sitemap ("" = relative).
    base_url: str = ""
    # Build the Pagefind search index.
    search: bool = True
    # Above this many plans, pages that list every plan are split into a page per province: the
    # matrices (one column per plan), the category and instrument pages (one row per target or
    # citing plan), and the home page, plan list and methodology sum up instead of listing.
    split_max_plans: int = 60
    # Above split_max_plans plans, the plan list is cut into pages of this many rows.
    plan_list_page_size: int = 500

    def split(self, n_plans: int) -> bool:
        """Whether a corpus of n_plans plans gets the split site design."""
        return n_plans > self.split_max_plans
