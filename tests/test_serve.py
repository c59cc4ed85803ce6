"""`python build.py serve`: the preview server, started as a subprocess on a free port with a copy of
the real corpus, checked over HTTP (the reload in a browser: tests/browser/test_serve.py)."""
from __future__ import annotations

import http.client
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from serving import BUILD_PY, QN_2021, QN_TITLE, REPO, Served, edit

from sitegen.pipeline import build
from sitegen.serve import error_banner, inject, site_file, watch_filter

PLAN_PAGE = f"plans/{QN_2021}.html"
RELOAD_TAG = '<script src="/__serve__/reload.js" data-build="{}" defer></script>'


@pytest.fixture
def served(tmp_path):
    """A running preview server; stopped by SIGINT afterwards, which must end it cleanly."""
    server = Served(tmp_path)
    yield server
    server.close()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# ---------------------------------------------------------------- small parts, no server

@pytest.mark.parametrize("name", [".#plan.md", ".plan.md.swp", ".plan.md.swx", "plan.md~", "#plan.md#", "4913",
                                  "sedAb12Cd", "plan.md.tmp", "plan.md.orig", "plan.py.bak",
                                  "plan.md___jb_tmp___", ".goutputstream-X1Y2Z3", "x.pyc"])
def test_the_watcher_ignores_what_editors_leave_beside_a_file(name):
    from watchfiles import Change

    keep = watch_filter()
    assert not keep(Change.added, f"/c/corpus/plans/{name}")
    assert not keep(Change.modified, f"/c/corpus/plans/{name}")


@pytest.mark.parametrize("path", ["corpus/plans/tra-vinh-2022.md", "corpus/plans/tra-vinh-2022.yaml",
                                  "corpus/legal.yaml", "templates/_partials/cite.html", "sitegen/serve.py",
                                  "sitegen/strings.yaml", "sitegen/assets/style.css"])
def test_the_watcher_keeps_the_files_a_build_reads(path):
    from watchfiles import Change

    assert watch_filter()(Change.modified, f"/c/{path}")


def test_served_html_gains_only_the_reload_script_and_a_failed_builds_banner():
    page = b'<!DOCTYPE html><html><head><title>t</title></head><body class="x"><p>a</p></body></html>'
    served = inject(page, 7, "")
    assert served == page.replace(b"</head>", RELOAD_TAG.format(7).encode()
                                  + b'<link rel="stylesheet" href="/__serve__/serve.css"></head>')
    failed = inject(page, 8, "ERROR c/plans/x.md:line 3: '<script>alert(1)</script>' is not a date")
    assert failed.count(b"<script") == 1, "only the reload script is a script"
    assert b'<body class="x"><div id="serve-error" role="alert"' in failed
    assert b"&#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27; is not a date" in failed
    assert failed.endswith(b"<p>a</p></body></html>")
    assert error_banner("a & b").count(b"a &amp; b") == 1


def test_only_files_inside_the_output_folder_are_served(tmp_path):
    out = tmp_path / "site"
    (out / "plans").mkdir(parents=True)
    (out / "index.html").write_text("home")
    (out / "plans" / "index.html").write_text("plans")
    (out / ".build-manifest.json").write_text("{}")
    (tmp_path / "secret.txt").write_text("no")
    (out / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert site_file(out, "/") == (out / "index.html").resolve()
    assert site_file(out, "/plans/") == site_file(out, "/plans") == (out / "plans" / "index.html").resolve()
    for bad in ("/../secret.txt", "/plans/../../secret.txt", "/link.txt", "/.build-manifest.json", "/nope.html",
                "/plans/..%2f..%2fsecret.txt", "/a\x00b", "/..\\secret.txt"):
        assert site_file(out, bad) is None, bad


def test_a_port_in_use_is_refused_with_a_clear_message(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        run = subprocess.run([sys.executable, str(BUILD_PY), "serve", "--port", str(port), "--out",
                              str(tmp_path / "site")], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert f"Cannot serve on 127.0.0.1:{port}" in run.stderr and "--port 0" in run.stderr
    assert not (tmp_path / "site").exists(), "nothing is built when the server cannot start"


def test_a_missing_corpus_folder_is_refused(tmp_path):
    run = subprocess.run([sys.executable, str(BUILD_PY), "serve", "--port", "0", "--corpus", str(tmp_path / "nope"),
                          "--out", str(tmp_path / "site")], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and f"no folder {tmp_path / 'nope'} to watch" in run.stderr


# ---------------------------------------------------------------- the server

def test_serves_the_site_exactly_as_built_with_search_and_the_reload_script(served, tmp_path):
    assert f"at {served.url} (watching {served.corpus}, templates, sitegen; Ctrl-C stops)" in served.output()
    disk = (served.out / PLAN_PAGE).read_bytes()
    page = served.page(PLAN_PAGE)
    assert RELOAD_TAG.format(1) in page and QN_TITLE in page
    assert page.encode().replace(RELOAD_TAG.format(1).encode()
                                 + b'<link rel="stylesheet" href="/__serve__/serve.css">', b"") == disk
    # On disk: exactly what `python build.py` makes, nothing of the server's.
    normal = build(served.corpus, tmp_path / "normal", search=True)
    assert normal.pages > 100
    assert snapshot(served.out) == snapshot(tmp_path / "normal")
    assert not any(b"__serve__" in data for data in snapshot(served.out).values())
    # Search needs HTTP: the Pagefind index is built and served with the types browsers require.
    status, headers, body = served.get("pagefind/pagefind.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and len(body) > 1000
    wasm = sorted(p.name for p in (served.out / "pagefind").glob("*.pagefind"))
    assert wasm, "no Pagefind WebAssembly file"
    status, headers, body = served.get("pagefind/" + wasm[0])
    assert status == 200 and body == (served.out / "pagefind" / wasm[0]).read_bytes()
    status, headers, _ = served.get("pagefind/pagefind-entry.json")
    assert status == 200 and headers["Content-Type"] == "application/json"
    status, headers, body = served.get("__serve__/reload.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript") and b"EventSource" in body
    assert served.get("")[0] == 200 and served.get("en/")[0] == 200
    status, headers, body = served.get(PLAN_PAGE, method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) == len(page.encode())
    assert headers["Cache-Control"] == "no-store"
    for missing in ("nope.html", "../../etc/passwd", ".build-manifest.json"):
        status, _, body = served.get(missing)
        assert status == 404 and b"/__serve__/reload.js" in body, missing


def test_a_changed_plan_is_rebuilt_and_announced_to_open_pages(served):
    events = http.client.HTTPConnection("127.0.0.1", int(served.url.rsplit(":", 1)[1].strip("/")), timeout=60)
    events.request("GET", "/__serve__/events")
    stream = events.getresponse()
    assert stream.status == 200 and stream.headers["Content-Type"] == "text/event-stream"

    def next_build() -> str:
        while True:
            line = stream.fp.readline().decode()
            assert line, "the event stream ended"
            if line.startswith("data: "):
                return line[6:].strip()

    assert next_build() == "1"  # the build the page was served with, sent at once
    edit(served.corpus / "plans" / f"{QN_2021}.md", f"title: {QN_TITLE}", f"title: {QN_TITLE} (bản sửa)")
    assert next_build().startswith("1.1 1 only "), "first the preview of the plan's pages (test_serve_warm.py)"
    assert next_build().split()[0] == "2"
    events.close()
    page = served.page(PLAN_PAGE)
    assert f"{QN_TITLE} (bản sửa)" in page and RELOAD_TAG.format(2) in page
    assert f"title: {QN_TITLE} (bản sửa)".encode() not in (served.out / PLAN_PAGE).read_bytes()
    assert f"Building (changed: {served.corpus / 'plans' / QN_2021}.md)" in served.output()
    assert "Built in" in served.output().split("Building (changed")[1]
    assert served.status() == {"build": 2, "building": False, "ok": True, "error": ""}
    # The real corpus has no site_url: the first build says what that costs, the rebuild does not repeat it.
    assert served.output().count("the site's address is not set") == 1


def test_a_corpus_error_is_shown_on_the_page_and_in_the_terminal_until_it_is_fixed(served):
    md = served.corpus / "plans" / f"{QN_2021}.md"
    edit(md, 'issued: "2021-02-02"', 'issued: "<script>alert(1)</script>"')
    page = served.wait_until(lambda: 'id="serve-error"' in (p := served.page(PLAN_PAGE)) and p, 60,
                             "the error banner")
    message = (f"ERROR corpus/plans/{QN_2021}.md:line 10 (field issued): "
               "'<script>alert(1)</script>' is not a date")
    assert message in served.output(), "the terminal names the file, line and field"
    assert "Build failed" in served.output() and served.proc.poll() is None
    banner = page[page.index('<div id="serve-error"'):page.index("</div>", page.index('id="serve-error"'))]
    assert (f"ERROR corpus/plans/{QN_2021}.md:line 10 (field issued): "
            "&#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27; is not a date") in banner
    assert "<script>alert" not in page, "the messages are escaped"
    assert QN_TITLE in page and "02/02/2021" in page, "the last good site is still served"
    assert 'id="serve-error"' in served.page(""), "every page shows the error"
    assert served.status()["ok"] is False and "is not a date" in served.status()["error"]

    edit(md, 'issued: "<script>alert(1)</script>"', 'issued: "2021-02-02"')
    served.wait_until(lambda: served.status()["ok"] and served.status()["build"] == 3, 60, "the fixed build")
    page = served.page(PLAN_PAGE)
    assert 'id="serve-error"' not in page and RELOAD_TAG.format(3) in page


def test_editor_leftovers_start_no_build_and_break_none(served):
    plans = served.corpus / "plans"
    (plans / f".#{QN_2021}.md").symlink_to("editor@host.4242:1700000000")  # Emacs: a dangling link
    (plans / f".{QN_2021}.md.swp").write_bytes(b"b0VIM 9.0")
    (plans / f"{QN_2021}.md~").write_text("backup", encoding="utf-8")
    (plans / "4913").write_text("", encoding="utf-8")
    (plans / f"#{QN_2021}.md#").write_text("autosave", encoding="utf-8")
    time.sleep(2)  # several times the watcher's 100 ms batching step
    # One build only, the first: the build's own summary may say "unchanged", so count the starts.
    assert served.status()["build"] == 1 and served.output().count("Building (") == 1
    # A real change while the leftovers are there builds, and they break nothing.
    edit(plans / f"{QN_2021}.md", f"title: {QN_TITLE}", f"title: {QN_TITLE} (2)")
    served.wait_until(lambda: served.status()["build"] == 2, 60, "the rebuild")
    assert served.status()["ok"], served.status()["error"]
    assert f"{QN_TITLE} (2)" in served.page(PLAN_PAGE)


def test_ctrl_c_during_a_build_stops_everything_with_status_0(tmp_path):
    """Even with a build running, a page's event stream open and a connection that never sends its
    request (browsers open such spare connections)."""
    served = Served(tmp_path)
    port = int(served.url.rsplit(":", 1)[1].strip("/"))
    idle = socket.create_connection(("127.0.0.1", port), timeout=30)
    events = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        events.request("GET", "/__serve__/events")
        assert events.getresponse().status == 200
        edit(served.corpus / "plans" / f"{QN_2021}.md", f"title: {QN_TITLE}", f"title: {QN_TITLE} (3)")
        served.wait_until(lambda: "Building (changed" in served.output(), 60, "the rebuild to start")
        start = time.monotonic()
        served.proc.send_signal(signal.SIGINT)
        status = served.stop()
        print(f"stopped {time.monotonic() - start:.2f} s after SIGINT")
        assert idle.recv(1) == b"", "the idle connection is closed"
    finally:
        idle.close()
        events.close()
        served.close()
    assert status == 0
    assert served.output().rstrip().endswith("Stopped.")
    assert not served.processes()
    # Interrupted or finished, the build left either the old or the new site, complete.
    assert (served.out / "index.html").is_file() and not (tmp_path / ".site.staging").exists()


def test_no_search_is_passed_to_every_build(tmp_path):
    served = Served(tmp_path, extra=("--no-search",))
    try:
        assert served.status()["ok"] and (served.out / "index.html").is_file()
        assert not (served.out / "pagefind").exists()
        assert served.get("pagefind/pagefind.js")[0] == 404
    finally:
        served.close()
