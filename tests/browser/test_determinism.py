"""Two builds of the same corpus are byte for byte the same: every file, compared by sha256."""
from __future__ import annotations

import hashlib
from pathlib import Path

from sitegen.pipeline import build

from .helpers import CORPUS


def build_site(out: Path, *, search: bool) -> Path:
    build(CORPUS, out, search=search)
    return out


def digests(site: Path) -> dict[str, str]:
    """site path -> sha256 of every file of a built site."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def differences(a: dict[str, str], b: dict[str, str]) -> list[str]:
    out = [f"only in the first build: {p}" for p in sorted(a.keys() - b.keys())]
    out += [f"only in the second build: {p}" for p in sorted(b.keys() - a.keys())]
    out += [f"differs: {p}" for p in sorted(a.keys() & b.keys()) if a[p] != b[p]]
    return out


def test_two_builds_without_search_are_identical(tmp_path):
    first = digests(build_site(tmp_path / "one" / "site", search=False))
    second = digests(build_site(tmp_path / "two" / "site", search=False))
    assert len(first) > 100
    diff = differences(first, second)
    assert not diff, f"{len(diff)} files differ between two builds:\n  " + "\n  ".join(diff[:40])


def test_two_builds_with_search_are_identical(built_site, tmp_path):
    """The session's build (with the Pagefind index) against a second one."""
    second = digests(build_site(tmp_path / "again" / "site", search=True))
    first = digests(built_site)
    assert any(p.startswith("pagefind/") for p in first), "the session build has no search index"
    diff = differences(first, second)
    assert not diff, f"{len(diff)} files differ between two builds:\n  " + "\n  ".join(diff[:40])
