"""Preview while editing: `python build.py serve` builds the site, serves it on 127.0.0.1, rebuilds
it when the corpus, the templates or the code change, and reloads the pages open in the browser.

How it fits together (four threads, and one warm build worker process):

- The main thread runs the builds, in a warm worker (sitegen/warm.py: `build.py warm`), which imports
  the build once and keeps what the last build gathered. Each build is `build.py`'s own main() in
  that process: an ordinary incremental build into the ordinary output folder, so the files on disk
  are byte-identical to what `python build.py` makes. A change to sitegen/ or the templates starts
  a fresh worker (no stale module left in memory); a new change during a build interrupts it.
- Page first: when a save changed only plans, the worker first makes those plans' pages from its
  kept data (sitegen/preview.py, a fraction of a second); the server serves them from memory, over
  the last site, and tells the pages showing them to reload; then the build runs, and when it ends
  the site on disk is served again (pages whose bytes the preview already showed do not reload).
- A watcher thread (watchfiles) collects changed paths; editors' lock, swap and backup files are
  filtered out. The main thread rebuilds once per batch of changes.
- The HTTP server (a thread per request) serves the output folder as it is on disk (and a preview's
  pages). Only in the
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
import re
import signal
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

# The warm worker's client side only: the build's modules stay out of the server process.
from .warm import BuildResult, Worker, describe, inside, preview_first, run_build

DEFAULT_PORT = 8000
HOST = "127.0.0.1"
PREFIX = "/__serve__/"  # the server's own URLs; no page of the site starts with "__"
ASSETS = Path(__file__).resolve().parent / "assets"
# Served here only, never published (not in render.STATIC): the review's script, the reload script
# and the style of the banner and of the review panel.
REVIEW_JS, RELOAD_JS, SERVE_CSS = ASSETS / "review.js", ASSETS / "serve_reload.js", ASSETS / "serve.css"
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

def watch_filter():
    """The watcher's filter: watchfiles' defaults plus the other editors' leftovers (a `Change`,
    path -> bool, True when the change should trigger a build)."""
    from watchfiles import DefaultFilter

    return DefaultFilter(ignore_entity_patterns=(*DefaultFilter.ignore_entity_patterns, *EDITOR_LEFTOVERS))


class State:
    """The latest build as the server shows it; a condition wakes the event streams on a change.

    Between builds, the pages of a preview (sitegen.preview: the edited plans' pages, made before the
    build) are served from memory over the last good site, until the build that follows ends."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.build = 0  # finished builds; a page carries the token it was served with
        self.previews = 0  # previews shown since the last finished build
        self.event = "0"  # what the event streams send: the token, then how pages skip a reload
        self.overlay: dict[str, tuple[int, bytes]] = {}  # site path -> (preview number, page) served over the disk
        self.shown = 0  # previews shown in the session
        self.started = 0  # the previews shown when the running build started: it replaces those
        self.building = False
        self.error = ""  # the last build's messages if it failed, else ""
        self.stopping = False

    @property
    def token(self) -> str:
        """What a page served now is: "N" for the site of build N, "N.P" for its Pth preview."""
        return f"{self.build}.{self.previews}" if self.previews else str(self.build)

    def finish(self, result: BuildResult, out: Path | None = None) -> None:
        """Record a finished build and wake every open page; the previewed pages that the build made
        the same (in `out`) need no reload."""
        with self.changed:
            base = self.token
            # The previews made during this build stay (their edits are the next build's), served as they were.
            later = {p: v for p, v in self.overlay.items() if v[0] > self.started}
            same = sorted(p for p, (_, data) in self.overlay.items() if p in later
                          or (result.ok and out is not None and _bytes(out / p) == data))
            error = "" if result.ok else result.messages()
            # A failed build wrote nothing: with the same banner, only the previews it drops change
            # (a page reloading twice for one error could be caught half-loaded).
            unchanged = not result.ok and error == self.error
            dropped = sorted(p for p in self.overlay if p not in later)
            if error != self.error:
                same = []  # the banner comes or goes: every page reloads
            self.build += 1
            self.previews = 0
            self.overlay = later
            self.building = False
            self.error = error
            if unchanged:
                self.event = " ".join([self.token, base, "only", *("/" + p for p in dropped)])
            else:
                self.event = " ".join([self.token, base, "except", *("/" + p for p in same)]) if same else self.token
            self.changed.notify_all()

    def show(self, pages: dict[str, bytes]) -> None:
        """Serve a preview's pages over the site and reload the pages showing them."""
        with self.changed:
            base = self.token
            self.previews += 1
            self.shown += 1
            self.overlay.update((p, (self.shown, data)) for p, data in pages.items())
            self.event = " ".join([self.token, base, "only", *("/" + p for p in sorted(pages))])
            self.changed.notify_all()

    def start(self) -> None:
        """A build has started."""
        with self.changed:
            self.building = True
            self.started = self.shown

    def stop(self) -> None:
        """The server stops: end every event stream."""
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    def snapshot(self) -> tuple[int, bool, str]:
        """(finished builds, building now, the last build's error or "")."""
        with self.changed:
            return self.build, self.building, self.error

    def page(self, rel: str) -> tuple[str, str, bytes | None]:
        """(the token, the last build's error, the preview's page at this site path or None)."""
        with self.changed:
            return self.token, self.error, self.overlay[rel][1] if rel in self.overlay else None


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


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
                self._send(200, RELOAD_JS.read_bytes(), MIME[".js"], send_body)
            elif path == PREFIX + "serve.css":
                self._send(200, SERVE_CSS.read_bytes(), MIME[".css"], send_body)
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
        build, building, _ = self.server.state.snapshot()
        build, error, preview = self.server.state.page(path.lstrip("/"))
        out = self.server.out
        if preview is not None:  # the edited plan's page, made before the build that follows
            self._html(path, preview, build, error, send_body)
            return
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
        if target.suffix.lower() == ".html":
            self._html(path, body, build, error, send_body)
        else:
            self._send(200, body, MIME.get(target.suffix.lower(), "application/octet-stream"), send_body)

    def _html(self, path: str, body: bytes, build: str, error: str, send_body: bool) -> None:
        """A page as served: with the review controls on a draft's, the reload script and any banner."""
        if self.server.reviewer is not None:
            body = self.server.reviewer.page(path, body, self.headers.get("Host", ""), self.server.server_port)
        self._send(200, inject(body, build, error), MIME[".html"], send_body)

    def _events(self) -> None:
        """Server-Sent Events: the latest build or preview (State.event), now and at every change."""
        state = self.server.state
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 1000\n\n")
        sent = None
        while True:
            with state.changed:
                state.changed.wait_for(lambda: state.stopping or state.event != sent, timeout=15)
                if state.stopping:
                    return
                event = state.event
            if event != sent:
                self.wfile.write(f"event: build\ndata: {event}\n\n".encode())
                sent = event
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
        self._fresh: set[str] = set()  # not previewed yet
        self.ready = threading.Event()
        self.failed = False  # the watcher stopped on an error

    def add(self, paths) -> None:
        with self._lock:
            paths = set(paths)
            self._paths.update(paths)
            self._fresh.update(paths)
            self.ready.set()

    def fresh(self) -> list[str]:
        """The paths changed since the last call (to preview); they stay to be built."""
        with self._lock:
            paths, self._fresh = sorted(self._fresh), set()
        return paths

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


def serve(*, out: Path, port: int, worker_command: list[str], build_args: list[str], watch_paths: list[Path],
          root: Path, corpus: Path | None = None, rebuild_args: list[str] | None = None) -> int:
    """Build, serve on 127.0.0.1:`port` (0: any free port), rebuild on every change until SIGINT
    or SIGTERM; the exit status (0 after a clean stop, 2 when it cannot start or watch). The builds
    run in a warm worker (sitegen.warm; `worker_command` starts one) as `build.py` with `build_args`
    until one has succeeded, then with `rebuild_args` (default: the same). A change to anything but
    the corpus (code, templates) starts a fresh worker. With `corpus`, drafts' pages carry the
    review controls, which write into that corpus."""
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
    worker = Worker(worker_command)
    try:
        for t in threads:
            t.start()
        url = f"http://{HOST}:{server.server_port}/"
        print(f"Serving {out} at {url} (watching {', '.join(describe([str(p)], root) for p in watch_paths)}; "
              "Ctrl-C stops)", flush=True)
        worker.start()  # its imports overlap the watcher's start
        # Until a build succeeds, its once-a-session notes have not been seen: keep `build_args`.
        built = run_build(worker, build_args, state, stop, pending, Path(out), "first build", None, root)
        while not stop.is_set():
            if pending.ready.wait(0.2):
                fresh, paths = pending.fresh(), pending.take()
                if not all(inside(p, corpus) for p in paths) and worker.proc is not None:
                    print("The code or the templates changed: a fresh build worker builds with them.", flush=True)
                    worker.kill()  # the next request starts a fresh worker
                elif built and fresh:
                    preview_first(worker, fresh, state, stop, root)
                args = (rebuild_args or build_args) if built else build_args
                built = run_build(worker, args, state, stop, pending, Path(out), f"changed: {describe(paths, root)}",
                               corpus if built else None, root) or built
    finally:
        stop.set()
        state.stop()
        worker.kill()
        server.shutdown()
        server.close_connections()
        server.server_close()
        for t in threads:
            t.join(10)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("Stopped.", flush=True)
    return 2 if pending.failed else 0


def _reviewer(corpus: Path | None):
    """The review of the corpus's drafts (its token is made now, at the server's start), or None."""
    if corpus is None:
        return None
    from .serve_review import Reviewer  # the build's modules: loaded only when reviewing

    return Reviewer(Path(corpus))
