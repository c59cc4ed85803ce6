"""`build.py serve`'s warm build worker (sitegen/warm.py) and its page-first previews (sitegen/preview.py):
what the warm builds leave on disk is byte for byte a clean build's, a preview's pages are the
build's, and a change to the code or the templates starts a fresh worker."""
from __future__ import annotations

import http.client
import re
import shutil
import time
from pathlib import Path

import pytest
from serving import QN_2021, QN_TITLE, REPO, Served, edit

from sitegen.pipeline import build
from sitegen.preview import keep, plan_stems, preview

NT = "ninh-thuan-2020"


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def note(data: Path, new: str) -> None:
    """Set the first target's note (a YAML value) of a plan's data file, as an editor saves."""
    text = data.read_text(encoding="utf-8")
    line = re.search(r"^    note: .*$", text, re.M)
    data.write_text(text[:line.start()] + f"    note: {new}" + text[line.end():], encoding="utf-8")


def first_category_renamed(corpus: Path) -> None:
    """Add a word to the first category's Vietnamese name (a lookup table: every page may change)."""
    path = corpus / "taxonomy.yaml"
    text = path.read_text(encoding="utf-8")
    line = re.search(r"^(\s*vi: )(.*)$", text, re.M)
    path.write_text(text[:line.start()] + line.group(1) + line.group(2) + " (sửa)"
                    + text[line.end():], encoding="utf-8")


def first_sentence_line(md: Path) -> str:
    """A line of the plan's text (after the front matter) to change."""
    body = md.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    return next(line for line in body.splitlines() if len(line) > 40 and not line.startswith(("#", "|", "-")))


# ---------------------------------------------------------------- previews, in this process

@pytest.fixture
def kept(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    out = tmp_path / "site"
    found = []
    build(corpus, out, search=False, on_gathered=lambda *a: found.append(a))
    assert len(found) == 1
    return keep(*found[0]), corpus, out


def test_a_previews_pages_are_those_the_build_makes_after_a_title_a_value_and_a_text_edit(kept):
    state, corpus, out = kept
    md, data = corpus / "plans" / f"{QN_2021}.md", corpus / "plans" / f"{QN_2021}.yaml"
    edit(md, f"title: {QN_TITLE}", f"title: {QN_TITLE} (bản sửa)")
    note(data, '"Ghi chú sửa"')
    line = first_sentence_line(md)
    edit(md, line, line.replace(" ", "  ", 1))  # a text edit: the offsets of what follows move
    assert plan_stems(state, [str(md), str(data)]) == [QN_2021]
    pages = preview(state, [QN_2021])
    assert sorted(pages) == [f"en/plans/{QN_2021}.html", f"plans/{QN_2021}.html"]
    assert f"{QN_TITLE} (bản sửa)".encode() in pages[f"plans/{QN_2021}.html"]
    before = {p: (out / p).read_bytes() for p in pages}
    build(corpus, out, search=False)
    for path, data_ in pages.items():
        assert data_ != before[path], f"{path}: the preview shows the edit"
        assert data_ == (out / path).read_bytes(), f"{path}: the preview is not the page the build made"
    # A second edit previews from the first preview's data, and still matches the build.
    edit(md, f"title: {QN_TITLE} (bản sửa)", f"title: {QN_TITLE} (bản sửa 2)")
    pages = preview(state, [QN_2021])
    build(corpus, out, search=False)
    assert all(data_ == (out / path).read_bytes() for path, data_ in pages.items()) and pages


def test_no_preview_for_anything_but_valid_plans(kept):
    state, corpus, _ = kept
    plans = corpus / "plans"
    assert plan_stems(state, [str(corpus / "taxonomy.yaml")]) is None, "a lookup table: every page may change"
    assert plan_stems(state, [str(plans / f"{QN_2021}.md"), str(corpus / "legal.yaml")]) is None
    (plans / f"{NT}.md").unlink()
    assert plan_stems(state, [str(plans / f"{NT}.md")]) is None, "a deleted plan"
    assert plan_stems(state, [str(plans / f"{QN_2021}.md"), str(plans / f"{QN_2021}.md~")]) == [QN_2021]
    edit(plans / f"{QN_2021}.md", 'issued: "2021-02-02"', 'issued: "2021-02-31"')
    assert preview(state, [QN_2021]) is None, "a plan with an error: the build reports it"


# ---------------------------------------------------------------- the server's warm builds

def settle(served: Served, after: int, timeout: float = 120) -> dict:
    """Wait until a build after build number `after` has finished and no other is running or due."""
    def done():
        s = served.status()
        return s["build"] > after and not s["building"] and s
    status = served.wait_until(done, timeout, f"a build after build {after}")
    time.sleep(1.0)  # a second batch of the same save would have started by now
    return served.wait_until(done, timeout, f"a build after build {after}")


def test_warm_rebuilds_equal_a_clean_build_after_each_kind_of_edit(tmp_path):
    served = Served(tmp_path, extra=("--no-search",))
    try:
        plans = served.corpus / "plans"
        md, data = plans / f"{QN_2021}.md", plans / f"{QN_2021}.yaml"
        line = first_sentence_line(md)
        steps = [
            ("a YAML value", lambda: note(data, '"Ghi chú sửa"'), True),
            ("a text edit", lambda: edit(md, line, line.replace(" ", "  ", 1)), True),
            ("a lookup table", lambda: first_category_renamed(served.corpus), True),
            ("a deleted plan", lambda: [(plans / f"{NT}{s}").unlink() for s in (".md", ".yaml")], True),
            ("bad YAML", lambda: note(data, '["Ghi chú'), False),
            ("fixed again", lambda: note(data, '"Ghi chú sửa lại"'), True),
        ]
        for n, (what, change, ok) in enumerate(steps):
            before = served.status()["build"]
            change()
            status = settle(served, before)
            assert status["ok"] is ok, f"{what}: {status['error']}"
            if ok:
                clean = tmp_path / f"clean{n}"
                build(served.corpus, clean, search=False, incremental=False)
                assert snapshot(served.out) == snapshot(clean), f"after {what}, the site is not a clean build's"
            else:  # the last good site stays, with the messages on every page
                assert snapshot(served.out) == snapshot(clean), "a failed build changed the site"
                assert 'id="serve-error"' in served.page(f"plans/{QN_2021}.html")
        assert len(set(re.findall(r"Build worker started \(pid (\d+)\)", served.output()))) == 1, \
            "corpus edits never restart the worker"
    finally:
        served.close()


def test_a_preview_reloads_the_edited_page_first_and_the_build_keeps_it(tmp_path):
    served = Served(tmp_path, extra=("--no-search",))
    try:
        port = int(served.url.rsplit(":", 1)[1].strip("/"))
        events = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        events.request("GET", "/__serve__/events")
        stream = events.getresponse()

        def next_event() -> str:
            while True:
                line = stream.fp.readline().decode()
                assert line, "the event stream ended"
                if line.startswith("data: "):
                    return line[6:].strip()

        assert next_event() == "1"
        edit(served.corpus / "plans" / f"{QN_2021}.md", f"title: {QN_TITLE}", f"title: {QN_TITLE} (sửa)")
        paths = f"/en/plans/{QN_2021}.html /plans/{QN_2021}.html"
        assert next_event() == f"1.1 1 only {paths}"
        page = served.page(f"plans/{QN_2021}.html")  # served from memory, before the build ends
        assert f"{QN_TITLE} (sửa)" in page and 'data-build="1.1"' in page
        assert next_event() == f"2 1.1 except {paths}", "the build made the page the preview showed"
        events.close()
        assert "Preview of en/plans/" in served.output()
        assert served.page(f"plans/{QN_2021}.html").replace('data-build="2"', 'data-build="1.1"') == page
    finally:
        served.close()


def test_a_change_to_the_templates_starts_a_fresh_worker(tmp_path):
    theme = tmp_path / "theme"
    theme.mkdir()
    served = Served(tmp_path, extra=("--no-search", "--templates", str(theme)))
    try:
        (theme / "unused.html").write_text("<p>not used</p>", encoding="utf-8")
        settle(served, 1)
        pids = re.findall(r"Build worker started \(pid (\d+)\)", served.output())
        assert len(set(pids)) == 2, served.output()
        assert "a fresh build worker builds with them" in served.output()
        assert served.status()["ok"]
    finally:
        served.close()


def test_the_events_tell_which_pages_reload(tmp_path):
    """A preview reloads only its pages; a build then reloads every page but those whose bytes the
    preview showed, unless the error banner comes or goes; previews made during a build stay."""
    from sitegen.serve import State
    from sitegen.warm import BuildResult

    ok, failed = BuildResult(0, "", "", 1.0), BuildResult(1, "", "ERROR x", 1.0)
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans" / "a.html").write_bytes(b"A2")
    state = State()
    state.start()
    state.finish(ok, tmp_path)
    assert state.event == "1"
    state.show({"plans/a.html": b"A2", "plans/b.html": b"B2"})
    assert state.event == "1.1 1 only /plans/a.html /plans/b.html" and state.page("plans/b.html")[2] == b"B2"
    state.start()
    state.finish(ok, tmp_path)  # a.html as previewed; b.html not (the build made other bytes)
    assert state.event == "2 1.1 except /plans/a.html" and state.page("plans/a.html") == ("2", "", None)
    state.start()
    state.show({"plans/a.html": b"A3"})  # saved during the build: its edit is the next build's
    state.finish(failed, tmp_path)
    assert state.event == "3" and state.error == "ERROR x", "the banner comes: every page reloads"
    assert state.page("plans/a.html") == ("3", "ERROR x", b"A3"), "the preview made during the build stays"
    state.start()
    state.finish(failed, tmp_path)
    assert state.event == "4 3 only /plans/a.html", "the same error: only the dropped preview's page reloads"
    state.start()
    state.finish(failed, tmp_path)
    assert state.event == "5 4 only", "the same error again, no preview: no page changed, none reloads"
    state.start()
    state.show({"plans/b.html": b"B5"})
    state.finish(failed, tmp_path)
    assert state.event == "6 5.1 only", "the preview made during the build stays, as it was"
    state.start()
    state.finish(failed, tmp_path)
    assert state.event == "7 6 only /plans/b.html"
    state.start()
    (tmp_path / "plans" / "a.html").write_bytes(b"A3")
    state.finish(ok, tmp_path)
    assert state.event == "8" and state.overlay == {}, "the banner goes: every page reloads"


def test_a_corpus_large_enough_for_worker_processes_builds_in_the_warm_worker(tmp_path):
    """From PARALLEL_MIN_PLANS plans a build forks worker processes, here from the warm worker, whose
    threads must leave them nothing locked (multiprocessing's children close stdin as they start)."""
    import sys

    from sitegen.pipeline import PARALLEL_MIN_PLANS

    sys.path.insert(0, str(REPO / "benchmarks"))
    import generate

    source = generate.generate(PARALLEL_MIN_PLANS + 2, tmp_path / "generated", seed=1)
    served = Served(tmp_path, corpus=source, extra=("--no-search",), start_timeout=900)
    try:
        plan = sorted(p.stem for p in (served.corpus / "plans").glob("*.md"))[0]
        note(served.corpus / "plans" / f"{plan}.yaml", '"Ghi chú sửa"')
        status = settle(served, 1, timeout=900)
        assert status["ok"], status["error"]
        assert "Ghi chú sửa" in served.page(f"plans/{plan}.html")
        build(served.corpus, tmp_path / "clean", search=False, incremental=False)
        assert snapshot(served.out) == snapshot(tmp_path / "clean")
    finally:
        served.close()
