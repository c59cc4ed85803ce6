"""`python build.py serve` as the tests run it: a subprocess on a free port of 127.0.0.1, building a
temporary copy of the real corpus into a temporary output folder, with its terminal output collected.

Every wait is a bounded poll: it fails with the server's output when its time is up.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BUILD_PY = REPO / "build.py"
QN_2021 = "quang-ninh-2021-27-kh-ubnd"
QN_TITLE = "Thực hiện công tác phòng, chống tệ nạn xã hội trên địa bàn tỉnh Quảng Ninh năm 2021"
START_TIMEOUT = 120  # the first build (with the search index) on 2 shared cores


class Served:
    """One preview server; `close()` stops it with SIGINT and checks that it stopped cleanly."""

    def __init__(self, tmp: Path, corpus: Path = REPO / "corpus", start_timeout: float = START_TIMEOUT,
                 extra: tuple[str, ...] = ()):
        self.tmp = tmp
        self.corpus = tmp / "corpus"
        self.out = tmp / "site"
        shutil.copytree(corpus, self.corpus)
        self._lines: list[str] = []
        self._lock = threading.Lock()
        self.proc = subprocess.Popen(
            [sys.executable, str(BUILD_PY), "serve", "--port", "0", "--corpus", str(self.corpus),
             "--out", str(self.out), *extra],
            cwd=REPO, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONUNBUFFERED": "1"})
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            found = self.wait_until(lambda: re.search(r"at (http://127\.0\.0\.1:\d+/)", self.output()), 30,
                                    "the server's URL")
            self.url = found.group(1)
            self.wait_until(lambda: self.status()["build"] >= 1, start_timeout, "the first build")
        except BaseException:
            self.stop()  # never leave a server behind
            raise

    def _read(self) -> None:
        for raw in self.proc.stdout:
            with self._lock:
                self._lines.append(raw.decode("utf-8", "replace"))

    def output(self) -> str:
        """Everything the server printed so far."""
        with self._lock:
            return "".join(self._lines)

    def wait_until(self, condition, timeout: float, what: str):
        """Poll `condition` every 0.1 s until it is truthy (returned) or `timeout` seconds pass (fail)."""
        deadline = time.monotonic() + timeout
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout} s for {what}; the server printed:\n{self.output()}")
            if self.proc.poll() is not None:
                raise AssertionError(f"the server exited ({self.proc.returncode}) while waiting for {what}:\n"
                                     f"{self.output()}")
            time.sleep(0.1)

    def get(self, path: str, method: str = "GET") -> tuple[int, dict, bytes]:
        """Status, headers and body of one request to the server."""
        request = urllib.request.Request(self.url + path, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def page(self, path: str) -> str:
        """An HTML page as served (status 200 expected)."""
        status, _, body = self.get(path)
        assert status == 200, f"{path}: HTTP {status}"
        return body.decode("utf-8")

    def status(self) -> dict:
        """The server's state: the number of finished builds and the last one's error."""
        return json.loads(self.get("__serve__/status")[2])

    def processes(self) -> list[str]:
        """Command lines of the processes still running for this server's folders (the server, its
        builds, their workers and Pagefind all name the temporary folder)."""
        found = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
            except OSError:
                continue
            if str(self.tmp) in cmd:
                found.append(f"{pid}: {cmd}")
        return found

    def stop(self, timeout: float = 20) -> int:
        """SIGINT (what Ctrl-C sends), then wait; the exit status. Fails if it does not stop in time."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)
            for line in self.processes():  # its builds run in their own session: end them too, by id
                try:
                    os.kill(int(line.split(":")[0]), signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            raise AssertionError(f"SIGINT did not stop the server in {timeout} s:\n{self.output()}")
        finally:
            self._reader.join(10)

    def close(self) -> None:
        """Stop the server and check that it stopped cleanly: exit 0, no process left."""
        status = self.stop()
        assert status == 0, f"the server exited with {status}:\n{self.output()}"
        left = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (left := self.processes()):
            time.sleep(0.1)
        assert not left, "processes left after the server stopped:\n" + "\n".join(left)


def edit(path: Path, old: str, new: str) -> None:
    """Replace `old` (exactly once in the file) by `new`, as an editor saves: the whole file rewritten."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")
