"""Preview while editing: `python build.py serve` builds the site, serves it on 127.0.0.1, rebuilds
it when the corpus, the templates or the code change, and reloads the pages open in the browser.

How it fits together (four threads, one process per build):

- The main thread runs the builds. Each build is a fresh `python build.py` subprocess (the command
  comes from build.py), so that a change to sitegen/ is built by the changed code, with no stale
  module left in memory; it is an ordinary incremental build into the ordinary output folder, so
  the files on disk are byte-identical to what `python build.py` makes.
- A watcher thread (watchfiles) collects changed paths; editors' lock, swap and backup files are
  filtered out. The main thread rebuilds once per batch of changes.
- The HTTP server (a thread per request) serves the output folder as it is on disk. Only in the
  HTML it sends does it add one same-origin script (the pages' Content-Security-Policy allows only
  'self' scripts and connections), which listens to Server-Sent Events and reloads the page when a
  build finishes. When the last build failed, the HTML also carries a banner with the messages
  (escaped) above the last good site, which keeps being served.
- On a draft's plan page the server also adds the review controls (sitegen/serve_review.py): the
  open items, a token made at the start, and a script that POSTs the reviewer's decisions back;
  the server writes them into the record's files, and the watcher rebuilds.
- SIGINT (Ctrl-C) or SIGTERM sets one stop event: a running build is interrupted, the watcher,
  the event streams and the server end, and the process exits with status 0.
"""
from __future__ import annotations

import html
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

DEFAULT_PORT = 8000
HOST = "127.0.0.1"
PREFIX = "/__serve__/"  # the server's own URLs; no page of the site starts with "__"
REVIEW_JS = Path(__file__).resolve().parent / "assets" / "review.js"  # served here only, never published
MAX_POST = 256 * 1024  # a reviewer's decision is a few hundred bytes

# Files editors leave beside the file they edit, on top of watchfiles' defaults (which ignore
# __pycache__, *.pyc, *.swp-like, "~" backups and Emacs ".#" locks): Emacs auto-saves "#x#",
# Vim probes "4913", sed -i and others write "sedXXXXXX", and JetBrains/Kate/gedit temporaries.
EDITOR_LEFTOVERS = (r"^#.*#$", r"^4913$", r"^sed[A-Za-z0-9]{6}$", r"\.(tmp|bak|orig|rej|kate-swp)$",
                    r"^\.goutputstream-", r"___jb_(tmp|old)___$")

MIME = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
        ".js": "text/javascript; charset=utf-8", ".mjs": "text/javascript; charset=utf-8",
        ".json": "application/json", ".csv": "text/csv; charset=utf-8", ".md": "text/markdown; charset=utf-8",
        ".txt": "text/plain; charset=utf-8", ".xml": "application/xml", ".svg": "image/svg+xml",
        ".png": "image/png", ".ico": "image/x-icon", ".zip": "application/zip", ".wasm": "application/wasm",
        ".woff2": "font/woff2", ".bib": "text/plain; charset=utf-8"}  # Pagefind's .pf_* and the rest: bytes

RELOAD_JS = b"""// Added by the preview server (python build.py serve), never part of the built site: reloads the
// page when a build finishes, so that it shows the new site, or the banner of a failed build.
(function () {
  "use strict";
  var me = document.currentScript;
  var shown = me ? me.getAttribute("data-build") : null;
  var events = new EventSource("/__serve__/events");
  events.addEventListener("build", function (e) {
    if (shown !== null && e.data !== shown) {
      events.close();
      location.reload();
    }
  });
})();
"""

SERVE_CSS = b"""/* Added by the preview server (python build.py serve), never part of the built site. */
#serve-error { position: sticky; top: 0; z-index: 2147483647; margin: 0; padding: .75rem 1rem;
  background: #7f1d1d; color: #fff; font: 15px/1.45 system-ui, sans-serif; max-height: 40vh; overflow: auto;
  border-bottom: 3px solid #fca5a5; }
#serve-error p { margin: 0 0 .5rem; }
#serve-error pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere;
  font: 13px/1.4 ui-monospace, monospace; color: #fff; background: none; }
#serve-review { box-sizing: border-box; margin: 1rem; padding: .75rem 1rem; border: 2px solid #b45309;
  background: Canvas; color: CanvasText; font: 15px/1.45 system-ui, sans-serif; }
#serve-review h2 { margin: 0 0 .5rem; font-size: 1.2rem; } #serve-review h3 { font-size: 1.05rem; margin: 1rem 0 .25rem; }
#serve-review blockquote { margin: .25rem 0; padding-left: .5rem; border-left: 3px solid #b45309; }
.serve-review-list { list-style: none; margin: 0; padding: 0; }
.serve-review-item { border-top: 1px solid #d6d3d1; padding: .5rem 0; }
.serve-review-note { font-size: .9em; opacity: .85; }
.serve-review-actions { display: flex; flex-wrap: wrap; gap: .4rem; margin: .4rem 0; }
.serve-review-field { display: grid; gap: .15rem; margin: .3rem 0; }
#serve-review button { font: inherit; padding: .2rem .6rem; }
#serve-review input[type=text], #serve-review input[type=number], #serve-review select { width: 100%; box-sizing: border-box; font: inherit; }
#serve-review-errors { color: #b91c1c; } #serve-review-errors:empty { display: none; }
mark.serve-review-current { outline: 3px solid #b45309; outline-offset: 2px; }
@media (min-width: 70rem) {
  body.serve-reviewing { margin-right: 28rem; }
  #serve-review { position: fixed; top: 0; right: 0; bottom: 0; width: 28rem; margin: 0; overflow: auto;
    z-index: 2147483646; border-width: 0 0 0 3px; }
}
"""


def watch_filter():
    """The watcher's filter: watchfiles' defaults plus the other editors' leftovers (a `Change`,
    path -> bool, True when the change should trigger a build)."""
    from watchfiles import DefaultFilter

    return DefaultFilter(ignore_entity_patterns=(*DefaultFilter.ignore_entity_patterns, *EDITOR_LEFTOVERS))


@dataclass(frozen=True)
class BuildResult:
    """What one build subprocess did: its exit status (None when it was stopped), output, time."""

    status: int | None
    stdout: str
    stderr: str
    seconds: float

    @property
    def ok(self) -> bool:
        return self.status == 0

    def messages(self) -> str:
        """What to show on the page when the build failed: its error output."""
        return (self.stderr.strip() or self.stdout.strip()
                or f"the build stopped with exit status {self.status} and said nothing")


def run_build(command: list[str], stop: threading.Event) -> BuildResult:
    """Run one build subprocess to its end, or interrupt it (and everything it started) on `stop`."""
    start = time.perf_counter()
    # Its own session: a Ctrl-C in the terminal reaches only the server, which then interrupts
    # the build's whole process group (the build's worker processes and Pagefind included).
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                            start_new_session=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    while True:
        try:
            out, err = proc.communicate(timeout=0.1)
            break
        except subprocess.TimeoutExpired:
            if stop.is_set():
                _end_group(proc)
                return BuildResult(None, "", "", time.perf_counter() - start)
    return BuildResult(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"),
                       time.perf_counter() - start)


def _end_group(proc: subprocess.Popen) -> None:
    """Interrupt a build's process group (it cleans its staging folder up), kill it if it lingers."""
    for sig, grace in ((signal.SIGINT, 3.0), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.communicate(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
        # The build's leader is gone; its workers (same group) may outlive it by a moment.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return


class State:
    """The latest build as the server shows it; a condition wakes the event streams on a change."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.build = 0  # finished builds; a page carries the number it was served with
        self.building = False
        self.error = ""  # the last build's messages if it failed, else ""
        self.stopping = False

    def finish(self, result: BuildResult) -> None:
        """Record a finished build and wake every open page."""
        with self.changed:
            self.build += 1
            self.building = False
            self.error = "" if result.ok else result.messages()
            self.changed.notify_all()

    def start(self) -> None:
        """A build has started."""
        with self.changed:
            self.building = True

    def stop(self) -> None:
        """The server stops: end every event stream."""
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    def snapshot(self) -> tuple[int, bool, str]:
        """(finished builds, building now, the last build's error or "")."""
        with self.changed:
            return self.build, self.building, self.error


def inject(page: bytes, build: int, error: str) -> bytes:
    """An HTML page as served: the reload script (and the failed build's banner) added; the file
    on disk is left as the build wrote it."""
    tags = (f'<script src="{PREFIX}reload.js" data-build="{build}" defer></script>'
            f'<link rel="stylesheet" href="{PREFIX}serve.css">').encode()
    head = re.search(rb"</head\s*>", page, re.I)
    page = page[:head.start()] + tags + page[head.start():] if head else tags + page
    if error:
        body = re.search(rb"<body\b[^>]*>", page, re.I)
        at = body.end() if body else len(page)
        page = page[:at] + error_banner(error) + page[at:]
    return page


def error_banner(error: str) -> bytes:
    """The failed build's messages, escaped, in a banner above the last good site."""
    return (f'<div id="serve-error" role="alert" lang="vi"><p><strong>Dựng trang thất bại.</strong> '
            f"Đây là bản dựng tốt gần nhất; sửa lỗi rồi lưu tệp, trang sẽ tự tải lại. "
            f'<span lang="en">(The build failed: this is the last good build. Fix the error and save; '
            f"the page reloads by itself.)</span></p><pre>{html.escape(error)}</pre></div>").encode()


def status_page(build: int, building: bool, error: str) -> bytes:
    """The page served while there is no site yet: being built, or the first build failed."""
    text = ("Đang dựng trang… <span lang=\"en\">(building the site…)</span>" if building or not error
            else "Chưa có bản dựng nào. <span lang=\"en\">(There is no site yet.)</span>")
    page = (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Xem trước</title></head>'
            f"<body><p>{text}</p></body></html>").encode()
    return inject(page, build, error)


class Server(ThreadingHTTPServer):
    """The preview's HTTP server: it knows the output folder and the build state."""

    daemon_threads = False  # server_close() joins every request thread: a clean stop
    block_on_close = True

    def __init__(self, port: int, out: Path, state: State, reviewer=None):
        self.out = out
        self.state = state
        self.reviewer = reviewer  # a serve_review.Reviewer, or None: no review of drafts
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__((HOST, port), Handler)

    def process_request(self, request, client_address) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End every open connection (a browser's idle pre-connection would otherwise hold a
        request thread, and so the stop, until its read timed out)."""
        with self._open_lock:
            for request in self._open:
                try:
                    request.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD of the output folder's files, plus the server's reload script and events."""

    server: Server
    protocol_version = "HTTP/1.0"  # one request per connection: nothing lingers at the stop
    timeout = 30

    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass  # the terminal shows builds, not requests

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_POST(self) -> None:
        """A reviewer's decision on a draft (serve_review); any other POST is refused."""
        reviewer = self.server.reviewer
        try:
            if urlsplit(self.path).path != PREFIX + "review" or reviewer is None:
                self._send_json(404, {"ok": False, "errors": ["No such endpoint."]})
                return
            refusal = reviewer.refusal(self.headers, self.server.server_port)
            if refusal:  # refused before the body is even read
                self._send_json(403, {"ok": False, "errors": [f"Refused: {refusal}."]})
                return
            try:
                length = int(self.headers.get("Content-Length") or "")
            except ValueError:
                length = -1
            if not 0 <= length <= MAX_POST:
                self._send_json(413, {"ok": False, "errors": [f"The request must state its length, at most "
                                                              f"{MAX_POST} bytes."]})
                return
            status, answer = reviewer.post(self.headers, self.rfile.read(length), self.server.server_port)
            self._send_json(status, answer)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _send_json(self, status: int, answer: dict) -> None:
        self._send(status, json.dumps(answer, ensure_ascii=False).encode(), "application/json", True)

    def _send(self, status: int, body: bytes, kind: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")  # a reload must show the new build
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _answer(self, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        try:
            if path == PREFIX + "events":
                self._events()
            elif path == PREFIX + "reload.js":
                self._send(200, RELOAD_JS, MIME[".js"], send_body)
            elif path == PREFIX + "serve.css":
                self._send(200, SERVE_CSS, MIME[".css"], send_body)
            elif path == PREFIX + "review.js" and self.server.reviewer is not None:
                self._send(200, REVIEW_JS.read_bytes(), MIME[".js"], send_body)
            elif path == PREFIX + "status":
                build, building, error = self.server.state.snapshot()
                body = json.dumps({"build": build, "building": building, "ok": not error, "error": error},
                                  ensure_ascii=False).encode()
                self._send(200, body, "application/json", send_body)
            else:
                self._file(path, send_body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser went away (a reload, a closed tab)

    def _file(self, path: str, send_body: bool) -> None:
        build, building, error = self.server.state.snapshot()
        out = self.server.out
        if not (out / "index.html").is_file():
            # A build swaps the new site in with two renames: wait out that instant, then tell
            # the reader that there is no site yet.
            deadline = time.monotonic() + 2.0
            while building and not (out / "index.html").is_file() and time.monotonic() < deadline:
                time.sleep(0.05)
            if not (out / "index.html").is_file():
                self._send(503, status_page(build, building, error), MIME[".html"], send_body)
                return
        target = site_file(out, path)
        if target is None:
            page = (b'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>404</title></head>'
                    b"<body><p>Kh\xc3\xb4ng c\xc3\xb3 trang n\xc3\xa0y. <span lang=\"en\">(No such page.)</span>"
                    b'</p><p><a href="/">Trang ch\xe1\xbb\xa7</a></p></body></html>')
            self._send(404, inject(page, build, error), MIME[".html"], send_body)
            return
        try:
            body = target.read_bytes()
        except OSError:  # swapped away between the check and the read: the reader reloads
            self._send(503, status_page(build, building, error), MIME[".html"], send_body)
            return
        kind = MIME.get(target.suffix.lower(), "application/octet-stream")
        if target.suffix.lower() == ".html":
            if self.server.reviewer is not None:
                body = self.server.reviewer.page(path, body, self.headers.get("Host", ""), self.server.server_port)
            body = inject(body, build, error)
        self._send(200, body, kind, send_body)

    def _events(self) -> None:
        """Server-Sent Events: the number of the latest finished build, now and at every change."""
        state = self.server.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 1000\n\n")
        sent = None
        while True:
            with state.changed:
                state.changed.wait_for(lambda: state.stopping or state.build != sent, timeout=15)
                if state.stopping:
                    return
                build = state.build
            if build != sent:
                self.wfile.write(f"event: build\ndata: {build}\n\n".encode())
                sent = build
            else:
                self.wfile.write(b": still here\n\n")  # finds a closed connection, ends this thread


def site_file(out: Path, path: str) -> Path | None:
    """The file of the output folder a URL path names (a folder means its index.html), or None
    when there is none or the path would leave the folder or name a hidden file."""
    if "\x00" in path or "\\" in path:
        return None
    parts = [p for p in PurePosixPath("/" + path).parts[1:]]
    if any(p in ("..", ".") or p.startswith(".") for p in parts):
        return None
    target = out.joinpath(*parts)
    if path.endswith("/") or target.is_dir():
        target = target / "index.html"
    try:
        resolved, root = target.resolve(), out.resolve()
    except OSError:
        return None
    if root not in resolved.parents or not resolved.is_file():
        return None
    return resolved


class Pending:
    """Changed paths not built yet: the watcher adds, the main thread takes them all at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._paths: set[str] = set()
        self.ready = threading.Event()
        self.failed = False  # the watcher stopped on an error

    def add(self, paths) -> None:
        with self._lock:
            self._paths.update(paths)
            self.ready.set()

    def take(self) -> list[str]:
        with self._lock:
            paths, self._paths = sorted(self._paths), set()
            self.ready.clear()
        return paths


def _watch(paths: list[Path], stop: threading.Event, pending: Pending) -> None:
    """The watcher thread: hand each batch of changed paths to `pending` until `stop`."""
    from watchfiles import watch

    # step: a batch ends after 100 ms without a new change (an editor's save is several events);
    # debounce: or after 1.6 s of changes in a row.
    try:
        for batch in watch(*paths, watch_filter=watch_filter(), debounce=1600, step=100, stop_event=stop,
                           rust_timeout=500, yield_on_timeout=False):
            pending.add(path for _, path in batch)
    except Exception as exc:  # noqa: BLE001 - a server that no longer watches must not pretend to
        print(f"Watching the files failed ({type(exc).__name__}: {exc}): stopping.", file=sys.stderr, flush=True)
        pending.failed = True
        stop.set()


def describe(paths: list[str], root: Path) -> str:
    """A few changed paths, relative to the project where possible."""
    def short(p: str) -> str:
        try:
            return Path(p).relative_to(root).as_posix()
        except ValueError:
            return p

    names = sorted(short(p) for p in paths)
    more = f" and {len(names) - 3} more" if len(names) > 3 else ""
    return ", ".join(names[:3]) + more


def serve(*, out: Path, port: int, build_command: list[str], watch_paths: list[Path], root: Path,
          corpus: Path | None = None) -> int:
    """Build, serve on 127.0.0.1:`port` (0: any free port), rebuild on every change until SIGINT
    or SIGTERM; the exit status (0 after a clean stop, 2 when it cannot start or watch). With
    `corpus`, drafts' pages carry the review controls, which write into that corpus."""
    missing = [str(p) for p in watch_paths if not Path(p).is_dir()]
    if missing:
        print(f"Cannot serve: no folder {', '.join(missing)} to watch.", file=sys.stderr)
        return 2
    state = State()
    try:
        server = Server(port, Path(out), state, _reviewer(corpus))
    except OSError as exc:
        print(f"Cannot serve on {HOST}:{port}: {exc.strerror or exc}. Choose another port with --port N "
              "(--port 0 picks a free one).", file=sys.stderr)
        return 2
    stop = threading.Event()
    # A second Ctrl-C must not take the event's lock again (the main thread may hold it): set it once.
    previous = {sig: signal.signal(sig, lambda *_: stop.is_set() or stop.set())
                for sig in (signal.SIGINT, signal.SIGTERM)}
    pending = Pending()
    threads = [threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="http"),
               threading.Thread(target=_watch, args=(watch_paths, stop, pending), name="watch")]
    try:
        for t in threads:
            t.start()
        url = f"http://{HOST}:{server.server_port}/"
        print(f"Serving {out} at {url} (watching {', '.join(describe([str(p)], root) for p in watch_paths)}; "
              "Ctrl-C stops)", flush=True)
        _build(build_command, state, stop, "first build")
        while not stop.is_set():
            if pending.ready.wait(0.2):
                _build(build_command, state, stop, f"changed: {describe(pending.take(), root)}")
    finally:
        stop.set()
        state.stop()
        server.shutdown()
        server.close_connections()
        server.server_close()
        for t in threads:
            t.join(10)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("Stopped.", flush=True)
    return 2 if pending.failed else 0


def _build(command: list[str], state: State, stop: threading.Event, why: str) -> None:
    """One build: run it, print what it said, and publish the result to the open pages."""
    print(f"Building ({why}) ...", flush=True)
    state.start()
    result = run_build(command, stop)
    if result.status is None:
        print("Build interrupted.", flush=True)
        return
    for line in (result.stdout + result.stderr).splitlines():
        print(f"  {line}", flush=True)
    state.finish(result)
    if result.ok:
        print(f"Built in {result.seconds:.2f} s (build {state.build}); open pages reload.", flush=True)
    else:
        print(f"Build failed in {result.seconds:.2f} s (build {state.build}): the last good site is still "
              "served, with these messages on every page. Fix the file and save to rebuild.", flush=True)


def _reviewer(corpus: Path | None):
    """The review of the corpus's drafts (its token is made now, at the server's start), or None."""
    if corpus is None:
        return None
    from .serve_review import Reviewer  # the build's modules: loaded only when reviewing

    return Reviewer(Path(corpus))
