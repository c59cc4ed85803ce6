"""`build.py serve`'s warm build worker: one long-lived process that builds the site again and again.

Each rebuild used to be a fresh `python build.py`: starting Python and importing the build's
libraries again (about 1.4 s), and gathering with nothing in memory. The worker (`build.py warm`,
started by the server in its own session) imports once and keeps, between builds, what the last
build gathered (sitegen.preview.Kept), the template environment and the lookup tables:

- ("build", argv): runs `build.py`'s own main(argv) in this process (the same build, messages and
  output folder as `python build.py`), capturing what it prints; the reply is ("built", status,
  stdout, stderr, seconds), status None when it was interrupted.
- ("preview", paths): when the changed paths are plan files only, makes the edited plans' pages
  (sitegen.preview) from the kept data; the reply is ("preview", {site path: bytes} or None, seconds).

Requests and replies are pickles on the worker's stdin and on a copy of its stdout (fd 1 itself is
pointed at stderr, so that nothing printed by a library can break a reply). SIGINT interrupts a
running build (KeyboardInterrupt: the build aborts its staging folder and releases the lock, as
`python build.py` does on Ctrl-C) and the worker stays, with its kept data; at any other time it
is ignored. The server restarts the worker when the code or the templates change (a module
cannot be reloaded soundly), when it dies, or when an interrupted build does not answer in time.

The client side (Worker, run_build, preview_first) runs in the server process (sitegen/serve.py),
which must not import the build's modules: they are imported in work(), in the worker.
"""
from __future__ import annotations

import contextlib
import gc
import io
import os
import pickle
import queue
import signal
import subprocess
import threading
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

INTERRUPT_GRACE = 5.0  # seconds an interrupted build has to answer before its worker is killed

_busy = False  # a build is running: SIGINT interrupts it
DEAD = "dead"  # the reply of a worker that died


def _on_sigint(signum, frame) -> None:
    if _busy:
        raise KeyboardInterrupt


def work(main) -> int:
    """The worker's loop (build.py warm): answer requests until stdin ends; `main` is build.py's.
    Builds run in the main thread (SIGINT reaches it), previews in another, so that a save during
    a build is previewed at once."""
    global _busy
    from .preview import keep  # the build's modules: imported here, in the worker, never in the server

    # The requests come on a private copy of stdin, and fd 0 becomes /dev/null: a build's forked pool
    # workers close sys.stdin when they start (multiprocessing does), which would wait forever for
    # the lock of a reader that the requests' thread holds while it waits for the next request.
    requests = os.fdopen(os.dup(0), "rb")
    replies = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    signal.signal(signal.SIGINT, _on_sigint)
    lock = threading.Lock()
    held = {"kept": None}

    def reply(answer: tuple) -> bool:
        with lock:
            try:
                pickle.dump(answer, replies, protocol=pickle.HIGHEST_PROTOCOL)
                replies.flush()
                return True
            except (BrokenPipeError, OSError):  # the server is gone
                return False

    builds: queue.Queue = queue.Queue()
    previews: queue.Queue = queue.Queue()
    threading.Thread(target=_requests, args=(requests, builds, previews), daemon=True).start()
    threading.Thread(target=_previews, args=(previews, held, reply), daemon=True).start()
    while True:
        request = builds.get()
        if request is None:
            return 0
        start = time.perf_counter()
        gathered = []
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                _busy = True
                status = main(request[1], on_gathered=lambda *a: gathered.append(a))
                _busy = False
        except KeyboardInterrupt:
            _busy, status = False, None
        except BaseException:  # noqa: BLE001 - a crash of the build is reported as its failure
            _busy, status = False, 2
            err.write(traceback.format_exc())
        if gathered and status is not None:
            held["kept"] = keep(*gathered[-1], previous=held["kept"])
        del gathered
        gc.collect()  # an interrupted build's leftovers (open connections, frames) go now
        if not reply(("built", status, out.getvalue(), err.getvalue(), time.perf_counter() - start)):
            return 0


def _requests(requests, builds: queue.Queue, previews: queue.Queue) -> None:
    """Read the requests from stdin, builds for the main thread, previews for the other; None at the end."""
    while True:
        try:
            request = pickle.load(requests)
        except Exception:  # noqa: BLE001 - EOF (the server closed it) or a broken request: stop
            builds.put(None)
            previews.put(None)
            return
        (previews if request[0] == "preview" else builds).put(request)


def _previews(requests: queue.Queue, held: dict, reply) -> None:
    """Answer preview requests with the edited plans' pages (sitegen.preview), or None."""
    from .preview import plan_stems, preview

    while (request := requests.get()) is not None:
        start = time.perf_counter()
        kept = held["kept"]
        stems = plan_stems(kept, request[1]) if kept is not None else None
        pages = None
        if stems:
            try:
                pages = preview(kept, stems)
            except Exception:  # noqa: BLE001 - no preview then: the build that follows says what is wrong
                if held["kept"] is kept:
                    held["kept"] = None  # its data may be half updated: wait for the next build's
        reply(("preview", pages, time.perf_counter() - start))


class Worker:
    """The server's handle on a warm worker: start it, send it requests, interrupt, stop or restart it."""

    def __init__(self, command: list[str]):
        self.command = command  # [python, build.py, "warm", "--out", OUT] (the folder: to tell workers apart)
        self.proc: subprocess.Popen | None = None
        self._replies: queue.Queue = queue.Queue()

    def start(self) -> None:
        """Start a fresh worker (its own session: a Ctrl-C in the terminal reaches only the server)."""
        self.proc = subprocess.Popen(self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     start_new_session=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
        self._replies = queue.Queue()
        print(f"Build worker started (pid {self.proc.pid}).", flush=True)
        threading.Thread(target=self._read, args=(self.proc, self._replies), daemon=True, name="warm").start()

    @staticmethod
    def _read(proc: subprocess.Popen, replies: queue.Queue) -> None:
        while True:
            try:
                replies.put(pickle.load(proc.stdout))
            except Exception:  # noqa: BLE001 - EOF or a broken reply: the worker is gone
                replies.put(DEAD)
                return

    def send(self, request: tuple) -> bool:
        """Send a request (starting a worker if there is none); False if the worker is gone."""
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        try:
            pickle.dump(request, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.proc.stdin.flush()
            return True
        except (BrokenPipeError, OSError):
            self.kill()
            return False

    def reply(self, timeout: float):
        """The next reply, or None after `timeout` seconds, or DEAD when the worker died (it is killed)."""
        try:
            reply = self._replies.get(timeout=timeout)
        except queue.Empty:
            return None
        if reply is DEAD:
            self.kill()
        return reply

    def interrupt(self, shown) -> tuple | object:
        """SIGINT the worker's build and wait for its reply (previews meanwhile go to `shown`); kill
        the worker if the reply does not come in time. The build's reply, or DEAD."""
        try:
            os.kill(self.proc.pid, signal.SIGINT)
        except (ProcessLookupError, AttributeError):
            return DEAD
        deadline = time.monotonic() + INTERRUPT_GRACE
        while time.monotonic() < deadline:
            reply = self.reply(0.1)
            if reply is DEAD or (reply is not None and reply[0] == "built"):
                return reply
            if reply is not None:
                shown(reply)
        self.kill()
        return DEAD

    def kill(self) -> None:
        """End the worker and everything it started (its build's worker processes, Pagefind)."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        for stream in (proc.stdin,):
            with contextlib.suppress(OSError):
                stream.close()
        for sig, grace in ((signal.SIGINT, 3.0), (signal.SIGKILL, 5.0)):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                continue
            break
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # its build's workers may outlive it by a moment
        with contextlib.suppress(OSError):
            proc.stdout.close()


@dataclass(frozen=True)
class BuildResult:
    """What one build did: its exit status (None when it was stopped), output, time."""

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


def inside(path: str, folder: Path | None) -> bool:
    """Whether a changed path lies in `folder` (the corpus: data, which a warm worker reads again)."""
    if folder is None:
        return False
    try:
        return Path(path).resolve().is_relative_to(Path(folder).resolve())
    except OSError:
        return False


def preview_first(worker: Worker, paths: list[str], state, stop: threading.Event, root: Path) -> None:
    """Page first: when only plans changed, show their pages (made by the warm worker from the last
    build's data) at once, before the build that follows (state: the server's serve.State)."""
    if not worker.send(("preview", paths)):
        return
    while not stop.is_set():
        reply = worker.reply(0.1)
        if reply is not None:
            shown(reply, state, root)
            return


def shown(reply, state, root: Path) -> None:
    """Show a preview's pages, if the worker could make them."""
    if reply != DEAD and reply[0] == "preview" and reply[1]:
        state.show(reply[1])
        print(f"Preview of {describe(sorted(reply[1]), root)} in {reply[2]:.2f} s; the pages showing them reload.",
              flush=True)


def run_build(worker: Worker, args: list[str], state, stop: threading.Event, pending, out: Path, why: str,
              corpus: Path | None, root: Path) -> bool:
    """One build in the warm worker: print what it said, and publish the result to the open pages
    (state: serve.State; pending: serve.Pending); True if it succeeded. A stop interrupts it; plans
    saved meanwhile are previewed at once (with `corpus`) and built by the next build."""
    print(f"Building ({why}) ...", flush=True)
    state.start()
    start = time.perf_counter()
    reply, tries = None, 0
    while reply is None or reply == DEAD:
        if reply == DEAD or tries == 0:
            tries += 1
            if tries > 2 or not worker.send(("build", args)):  # a worker that died: once more, in a fresh one
                worker.kill()
                reply = ("built", 2, "", "The build worker stopped unexpectedly, twice (see the messages above).", 0)
                break
        reply = worker.reply(0.1)
        if reply is not None and reply != DEAD and reply[0] == "preview":
            shown(reply, state, root)
            reply = None
        elif reply is None and stop.is_set():
            reply = worker.interrupt(lambda r: shown(r, state, root))
            break
        elif reply is None and corpus is not None and pending.ready.is_set():
            fresh = pending.fresh()
            if fresh and all(inside(p, corpus) for p in fresh):
                worker.send(("preview", fresh))
    if reply == DEAD or reply[1] is None:
        print("Build interrupted.", flush=True)
        return False
    result = BuildResult(reply[1], reply[2], reply[3], time.perf_counter() - start)
    for line in (result.stdout + result.stderr).splitlines():
        print(f"  {line}", flush=True)
    state.finish(result, out)
    if result.ok:
        print(f"Built in {result.seconds:.2f} s (build {state.build}); open pages reload.", flush=True)
    else:
        print(f"Build failed in {result.seconds:.2f} s (build {state.build}): the last good site is still "
              "served, with these messages on every page. Fix the file and save to rebuild.", flush=True)
    return result.ok
