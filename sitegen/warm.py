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

The client side (Worker) runs in the server process.
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
import sys
import threading
import time
import traceback

from .preview import keep, plan_stems, preview

INTERRUPT_GRACE = 5.0  # seconds an interrupted build has to answer before its worker is killed

_busy = False  # a build is running: SIGINT interrupts it


def _on_sigint(signum, frame) -> None:
    if _busy:
        raise KeyboardInterrupt


def work(main) -> int:
    """The worker's loop (build.py warm): answer requests until stdin ends; `main` is build.py's."""
    global _busy
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    signal.signal(signal.SIGINT, _on_sigint)
    requests = sys.stdin.buffer
    kept = None
    while True:
        try:
            request = pickle.load(requests)
        except EOFError:
            return 0
        start = time.perf_counter()
        if request[0] == "build":
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
                kept = keep(*gathered[-1], previous=kept)
            del gathered
            gc.collect()  # an interrupted build's leftovers (open connections, frames) go now
            reply = ("built", status, out.getvalue(), err.getvalue(), time.perf_counter() - start)
        elif request[0] == "preview":
            pages = None
            stems = plan_stems(kept, request[1]) if kept is not None else None
            if stems:
                try:
                    pages = preview(kept, stems)
                except Exception:  # noqa: BLE001 - no preview then: the build that follows says what is wrong
                    pages = None
                    kept = None  # its data may be half updated: wait for the next build's
            reply = ("preview", pages, time.perf_counter() - start)
        else:
            reply = ("unknown", request[0])
        try:
            pickle.dump(reply, replies, protocol=pickle.HIGHEST_PROTOCOL)
            replies.flush()
        except BrokenPipeError:
            return 0


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
                replies.put(None)
                return

    def ask(self, request: tuple, stop: threading.Event, interrupt: threading.Event | None = None):
        """Send a request and wait for its reply; None when the worker died or was stopped. When
        `stop` or `interrupt` is set meanwhile, the running build is interrupted (reply status None)."""
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        try:
            pickle.dump(request, self.proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self.kill()
            return None
        while True:
            try:
                reply = self._replies.get(timeout=0.1)
                break
            except queue.Empty:
                if stop.is_set() or (interrupt is not None and interrupt.is_set()):
                    return self._interrupt()
        if reply is None:
            self.kill()
        return reply

    def _interrupt(self):
        """SIGINT the worker's build and wait for its reply; kill the worker if it does not come."""
        try:
            os.kill(self.proc.pid, signal.SIGINT)
        except ProcessLookupError:
            pass
        try:
            reply = self._replies.get(timeout=INTERRUPT_GRACE)
        except queue.Empty:
            reply = None
        if reply is None:
            self.kill()
        return reply

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
