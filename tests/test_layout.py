"""The code's own layout: stages import only the stages before them, never in a cycle, and no module
or class grows past what a newcomer can read (GUIDE.md: one module per stage, small parts).

The imports are read from the source with ast (sitegen.deps, which the build's cache keys use
too), so the test also sees imports inside functions."""
from __future__ import annotations

import ast

import pytest

from sitegen import deps

# The stages in order: a module may import only modules of a lower or the same rank.
RANKS = {
    "model": 0, "options": 0, "i18n": 0, "textutil": 0, "textrender": 0, "wording": 0, "deps": 0, "heap": 0,
    "checks": 1, "load": 1, "load_yaml": 1, "lineage": 1, "validity": 1,
    "validate_fields": 2, "validate_scope": 2, "validate_corpus": 2, "validate": 2, "settings": 2, "translation": 2,
    "citations": 3, "reading": 4, "normalize": 4, "ingest": 4, "texts": 4, "charts": 5, "chartimage": 5,
    "chartsvg": 5, "citeblock": 5,
    "cards": 6, "urls": 6, "pages": 7, "render": 8, "export": 9, "publish": 9, "sitecheck": 10, "write": 10, "standby": 10,
    "search": 11, "cache": 11, "jobkeys": 11, "builddb": 11, "gather": 11,
    "pipeline": 12, "carry": 12, "serve": 13, "serve_review": 13, "preview": 13, "warm": 13,
}
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 300

MODULES = deps.modules()
GRAPH = deps.import_graph()


def _rank(module: str) -> int:
    return RANKS[module.split(".")[1]]


def test_every_module_has_a_rank():
    assert {m.split(".")[1] for m in MODULES if m != "sitegen"} <= RANKS.keys()


def test_the_layout_test_sees_the_imports_it_checks():
    assert "sitegen.urls" in GRAPH["sitegen.export"] and "sitegen.pages.kit" in GRAPH["sitegen.pages.home"]
    assert "sitegen.reading" in GRAPH["sitegen.gather"] and "sitegen.deps" in GRAPH["sitegen.cache"]


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "sitegen"))
def test_no_module_imports_a_later_stage(module):
    later = sorted(m for m in GRAPH[module] if _rank(m) > _rank(module))
    assert later == [], f"{module} imports {later}: move the shared part down, or the code up"


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """An import cycle of the graph (its modules in order, the first repeated at the end), or []."""
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(m: str, path: list[str]) -> list[str]:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                return path[path.index(n):] + [n]
            if n not in state and (found := visit(n, path + [n])):
                return found
        state[m] = 2
        return []
    for m in sorted(graph):
        if m not in state and (found := visit(m, [m])):
            return found
    return []


def test_there_is_no_import_cycle():
    assert _cycle(GRAPH) == []


def test_the_cycle_search_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"b", "d"}, "d": set()}) == ["b", "c", "b"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": set()}) == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_module_or_class_is_too_long_to_read(module):
    text = MODULES[module].read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES, f"{module}: split it by what its parts are about"
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef):
            assert node.end_lineno - node.lineno + 1 <= MAX_CLASS_LINES, f"{module}.{node.name}"


def test_no_page_code_reads_a_module_global_option():
    """The split threshold and page sizes are SiteOptions, passed in: no module constant left to patch."""
    for path in MODULES.values():
        text = path.read_text(encoding="utf-8")
        assert "SPLIT_MAX_PLANS" not in text and "PLAN_LIST_PAGE_SIZE" not in text, path
