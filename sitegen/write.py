"""Stage 6, write: the one place that touches the output folder.

Everything is written to a staging folder beside `site/`, which replaces
`site/` at the end: a failed build leaves the previous site as it was. This module's Staging is the
copy mode (a complete new folder, swapped in by two renames); sitegen.standby's is the default
(only what changed, in the standby tree kept beside `site/`, exchanged with it in one step).

Beside `site/` (for an output folder named `site`):
  .site.lock                  one build at a time: the build holds a lock on this file (fcntl.flock)
                              from start to end; a second build waits for it, then gives up clearly
  .site.staging.<pid>.<tag>   the new site being written by the build with that process id
  .site.previous.<pid>.<tag>  the old site, for the instant between the two renames of the swap
  .site.swap                  written just before the swap, removed just after: it names the two
                              folders, so that the next build completes a swap a crash interrupted
  .site.cache/                the build database and compiled templates (sitegen.builddb, sitegen.cache)
  .site.standby/              the site one build earlier, and .site.standby-log (sitegen.standby)
Only a build holding the lock creates or removes any of these; so a staging or previous folder
that a build finds when it starts belongs to a build that was killed, and `recover` settles it.
The output folder itself is replaced only when it is empty or is a site this program built: its
manifest (below) is the mark, and a file the manifest does not list is never deleted.

Files are written as they are produced (a site of 10,000 plans does not fit in memory at
once), and incrementally: `site/.build-manifest.json` maps every file of the site to the
hash of its bytes and, for pages that can be skipped without computing them, a key of
their inputs. A file whose bytes (or input key) equal the previous build's is carried
over from the previous site by hard link (copy where links are impossible) instead of
being written again; the staged site is still complete and still swapped in at once.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import secrets
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import orjson

from .sitecheck import strangers

MANIFEST = ".build-manifest.json"
# Written by the search indexer (Pagefind) after the manifest's files are staged: in no manifest.
SEARCH_DIR = "pagefind"
# How long a build waits for another build of the same output folder by default.
DEFAULT_WAIT = 600.0


class OutputError(Exception):
    """The output folder cannot be used or written: the message names the path, the cause and
    what to do. The previous site is untouched."""


class OutputBusy(OutputError):
    """Another build holds the output folder's lock (and kept it longer than we would wait)."""


class UnsafePath(ValueError):
    """A page path that would write outside the output folder."""


def safe_join(root: Path, rel: str) -> Path:
    """Join a site-relative path to root, refusing anything that could leave root."""
    if not rel or "\x00" in rel or "\\" in rel:
        raise UnsafePath(f"refusing to write {rel!r}: empty, NUL or backslash in the path")
    pure = PurePosixPath(rel)
    if pure.is_absolute() or any(part in ("..", ".", "") for part in pure.parts):
        raise UnsafePath(f"refusing to write {rel!r}: the path must stay inside the site folder")
    target = (root / Path(*pure.parts)).resolve()
    base = root.resolve()
    if base not in target.parents:
        raise UnsafePath(f"refusing to write {rel!r}: it resolves outside {root}")
    return target


def beside(out: Path, kind: str) -> Path:
    """The path of one of the build's own files or folders beside the output folder: .site.<kind>."""
    return out.with_name(f".{out.name}.{kind}")


_HINTS = {errno.ENOSPC: "the disk is full: free some space and build again",
          errno.EDQUOT: "the disk quota is used up: free some space and build again",
          errno.EACCES: "make it writable (chmod -R u+w) or choose another --out",
          errno.EPERM: "make it writable (chmod -R u+w) or choose another --out",
          errno.EROFS: "the file system is read-only: choose another --out",
          errno.ENOTDIR: "a part of the path is a file, not a folder: choose another --out"}


def write_failure(path: Path | str, exc: OSError, doing: str = "write") -> OutputError:
    """An OSError of the output turned into a message that names the path and the cause."""
    cause = exc.strerror or str(exc)
    hint = _HINTS.get(exc.errno)
    return OutputError(f"cannot {doing} {path}: {cause}" + (f" ({hint})" if hint else ""))


@contextmanager
def output_lock(out: Path, *, wait: float = DEFAULT_WAIT, on_wait: Callable[[str], None] | None = None):
    """Hold the output folder's lock (.site.lock beside it) while the block runs.

    A second build of the same folder waits up to `wait` seconds (saying so once through
    `on_wait`), then raises OutputBusy. The lock is the kernel's (flock): it is released when
    the process ends, however it ends, so a killed build never leaves the folder locked."""
    out = Path(out).resolve()
    path = beside(out, "lock")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise write_failure(path, exc, "create the lock file") from exc
    try:
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _lock_holder(path)
                if time.monotonic() >= deadline:
                    raise OutputBusy(
                        f"another build ({holder}) is writing {out}, and it was still running after "
                        f"{wait:g} s of waiting: build again when it has finished (or wait longer with "
                        "--wait SECONDS)") from None
                if not told and on_wait is not None:
                    on_wait(f"Waiting for another build ({holder}) writing {out} to finish "
                            f"(at most {wait:g} s) ...")
                    told = True
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        _HELD.append(fd)
        yield
    finally:
        if fd in _HELD:
            _HELD.remove(fd)
        os.close(fd)  # releases the lock (unless a process this build started still runs: see held_locks)


# The lock's descriptors this process holds. Worker processes forked by the build inherit them, and
# the search indexer is given them (held_locks): the lock stays held until every process that
# writes into the staging folder has ended, even when the build itself is killed.
_HELD: list[int] = []


def held_locks() -> tuple[int, ...]:
    """The output locks' file descriptors this process holds (to pass to a subprocess it starts)."""
    return tuple(_HELD)


def _lock_holder(path: Path) -> str:
    try:
        pid = path.read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        pid = ""
    return f"process {pid}" if pid.isdigit() else "a process"


def _owned(out: Path, kind: str) -> list[Path]:
    """The build's own folders of one kind (staging, previous) beside the output folder, including
    the single-name ones of earlier versions (.site.staging, .site.previous)."""
    prefix = f".{out.name}.{kind}"
    try:
        entries = sorted(os.scandir(out.parent), key=lambda e: e.name)
    except OSError:
        return []
    return [Path(e.path) for e in entries
            if (e.name == prefix or e.name.startswith(prefix + ".")) and e.is_dir(follow_symlinks=False)]


def _remove_tree(path: Path) -> None:
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise OutputError(f"cannot remove {Path(exc.filename or path)}, left by an earlier build: "
                          f"{exc.strerror or exc}. Delete it (or make it writable) and build again") from exc


def recover(out: Path) -> list[str]:
    """Settle what a killed build left beside the output folder (call it holding the lock);
    return what was done, in words.

    A swap interrupted between its two renames (.site.swap names the folders) is completed, or
    undone if the new site is gone; every other staging or previous folder is removed."""
    out = Path(out).resolve()
    done: list[str] = []
    journal = beside(out, "swap")
    if journal.is_file():
        try:
            names = orjson.loads(journal.read_bytes())
            new, old = out.with_name(names["new"]), out.with_name(names["old"])
        except (OSError, ValueError, KeyError, TypeError):
            new = old = None
        if not out.exists() and new is not None:
            try:
                if new.is_dir() and (new / MANIFEST).is_file():
                    os.replace(new, out)
                    done.append(f"completed the swap of {out} that an interrupted build had begun "
                                "(its new site was complete)")
                elif old.is_dir():
                    os.replace(old, out)
                    done.append(f"restored the previous {out} that an interrupted build had moved aside")
            except OSError as exc:
                raise write_failure(out, exc, "restore") from exc
        journal.unlink(missing_ok=True)
    if not out.exists():
        # An earlier version's interrupted swap (no journal): its previous site is the last good one.
        for old in reversed(_owned(out, "previous")):
            if (old / MANIFEST).is_file():
                os.replace(old, out)
                done.append(f"restored the previous {out} that an interrupted build had moved aside")
                break
    for kind in ("staging", "previous"):
        for path in _owned(out, kind):
            _remove_tree(path)
            done.append(f"removed {path.name}, left by an interrupted build")
    return done


# The last manifest read with shared=True, by its file's stat: a build reads the site's manifest three
# times (the two --out checks and the staging's carry-over decisions), a parse of every file's entry
# each time (37 ms at 1,000 plans, 83 ms at 10,000). A manifest is only ever replaced (os.replace: a
# new inode), never changed in place.
_LAST_MANIFEST: list = []


def read_manifest(out: Path, *, shared: bool = False) -> dict | None:
    """The manifest of a site this program built (None when there is none or it is unreadable).
    shared: the caller only reads it, so the same dict may be handed to each such caller while the
    file is the same (its inode, size and times)."""
    path = Path(out) / MANIFEST
    stamp = None
    if shared:
        try:
            st = path.stat()
        except OSError:
            return None
        stamp = (str(path.absolute()), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
        if _LAST_MANIFEST and _LAST_MANIFEST[0] == stamp:
            return _LAST_MANIFEST[1]
    try:
        manifest = orjson.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("files"), dict):
        return None
    if stamp is not None:  # stat'ed before it was read: a file replaced meanwhile is read again next time
        _LAST_MANIFEST[:] = [stamp, manifest]
    return manifest


def output_refusal(out: Path, *, walk: bool = True) -> str:
    """Why the build must not replace the output folder ("" when it may): it is a file, or a
    folder holding anything this program did not build, or something the build cannot delete.
    walk=False leaves out what needs every file of a site built here looked at (files it did not
    build, folders it cannot delete): a check to make before the one that counts."""
    out = Path(out)
    if out.is_symlink() and not out.exists():
        return f"the output folder {out} is a broken symbolic link: remove it or choose another --out"
    if out.exists() and not out.is_dir():
        return (f"{out} is a file, not a folder: --out names the folder the site is written to; "
                "choose a new folder (or remove the file)")
    if not out.is_dir():
        return ""
    try:
        if not any(os.scandir(out)):
            return ""
    except OSError as exc:
        return f"cannot read the output folder {out}: {exc.strerror or exc}"
    manifest = read_manifest(out, shared=True)
    if manifest is None:
        return (f"the output folder {out} is not empty and is not a site built here (it has no {MANIFEST}): "
                "the build replaces the whole folder. Choose another --out, or empty that folder first")
    if not walk:
        return ""
    foreign, locked = strangers(out, set(manifest["files"]) | {MANIFEST}, beside(out.resolve(), "folders"),
                                SEARCH_DIR)
    if foreign:
        shown = ", ".join(sorted(foreign)[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        return (f"the output folder {out} holds files this program did not build ({shown}): the build replaces "
                "the whole folder and would delete them. Move them out of it, or choose another --out")
    if locked:
        shown = ", ".join(sorted(locked)[:3]) + (f" and {len(locked) - 3} more" if len(locked) > 3 else "")
        return (f"the output folder {out} cannot be replaced: folders of it are not writable ({shown}), so the "
                "old site could not be removed. Make it writable (chmod -R u+w) or choose another --out")
    return ""


def digest(data: bytes) -> str:
    """The hash the manifest keeps of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def write_bytes(target: Path, data: bytes) -> None:
    """Write a new file of the site (never one of the live site: see sitegen.standby)."""
    try:
        with open(target, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise write_failure(target, exc) from exc


def swap_in(new: Path, out: Path, previous: Path, journal: Path) -> None:
    """Put the folder `new` in the place of `out`, the old one moved to `previous`: two renames, with
    a journal naming both written before them, so that the next build completes (or undoes) a swap
    this process did not live to finish (`recover`). A failed second rename puts the old site back."""
    tmp = journal.with_name(journal.name + ".tmp")
    try:
        tmp.write_bytes(orjson.dumps({"new": new.name, "old": previous.name}))
        os.replace(tmp, journal)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_failure(journal, exc) from exc
    try:
        os.replace(out, previous)
    except OSError as exc:
        journal.unlink(missing_ok=True)
        raise write_failure(out, exc, "replace") from exc
    try:
        os.replace(new, out)
    except OSError as exc:
        try:
            os.replace(previous, out)  # put the old site back at once
        except OSError:
            raise write_failure(out, exc, "replace") from exc  # the journal stays: see recover
        journal.unlink(missing_ok=True)
        raise write_failure(out, exc, "replace") from exc
    journal.unlink(missing_ok=True)


class Staging:
    """A new site being written beside the old one; `commit()` swaps it in.

    The manifest entries it collects are (input key, bytes hash, size) per site path. It is
    safe to use from forked worker processes: each writes its own files and sends back its
    entries (`entries_since`), which the parent `merge`s.
    """

    def __init__(self, out: Path, *, incremental: bool = True):
        self.out = Path(out).resolve()
        # Named for this build alone (a killed build's folder is recognised by `recover`).
        tag = f"{os.getpid()}.{secrets.token_hex(4)}"
        self.root = beside(self.out, f"staging.{tag}")
        self.previous = beside(self.out, f"previous.{tag}")
        self.journal = beside(self.out, "swap")
        try:
            self.root.mkdir(parents=True)
        except OSError as exc:
            raise write_failure(self.root, exc, "create the staging folder") from exc
        self.old: dict[str, list] = {}
        if incremental:
            self.old = (read_manifest(self.out, shared=True) or {}).get("files", {})
        self.entries: dict[str, tuple[str, str, int]] = {}
        self.written = 0  # files whose bytes were written (not carried over)
        self.carried = 0
        self._dirs: dict[str, Path] = {}  # site-relative folder -> its checked path in the staging folder
        self._log: list[tuple[str, tuple[str, str, int], bool]] = []

    # ---------------------------------------------------------------- writing

    def _target(self, rel: str) -> Path:
        folder, _, name = rel.rpartition("/")
        parent = self._dirs.get(folder)
        if parent is None or name in ("", ".", "..") or "\\" in name or "\x00" in name:
            # The full check (which resolves symbolic links: a system call per path component) once
            # per folder; the staging folder is new and holds no links, so the other files of a
            # checked folder only need their name checked (profiled: most of the write stage).
            target = safe_join(self.root, rel)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise write_failure(target.parent, exc, "create the folder") from exc
            self._dirs[folder] = target.parent
            return target
        return parent / name

    def _record(self, rel: str, entry: tuple[str, str, int], written: bool) -> None:
        if rel in self.entries:
            raise ValueError(f"two files would be written to {rel}")
        self.entries[rel] = entry
        self._log.append((rel, entry, written))
        if written:
            self.written += 1
        else:
            self.carried += 1

    def _carry(self, rel: str, target: Path) -> bool:
        """Hard-link (or copy) the previous site's file into the staging folder."""
        source = self.out / rel
        try:
            os.link(source, target)
        except FileNotFoundError:
            return False
        except OSError:
            try:
                shutil.copyfile(source, target)
            except OSError:
                return False
        return True

    def reuse(self, rel: str, key: str) -> bool:
        """Carry a file over when the previous build made it from the same inputs (`key`)."""
        old = self.old.get(rel)
        if not key or not old or old[0] != key:
            return False
        if not self._carry(rel, self._target(rel)):
            return False
        self._record(rel, (key, old[1], old[2]), False)
        return True

    def write(self, rel: str, data: bytes, key: str = "") -> None:
        """Stage one file; identical bytes to the previous build's are carried over, not rewritten."""
        target = self._target(rel)
        h = digest(data)
        old = self.old.get(rel)
        if old and old[1] == h and old[2] == len(data) and self._carry(rel, target):
            self._record(rel, (key, h, len(data)), False)
            return
        write_bytes(target, data)
        self._record(rel, (key, h, len(data)), True)

    def write_stream(self, rel: str, produce, key: str = "") -> None:
        """Stage a file that `produce(binary_file)` writes (too large to hold in memory); carried
        over instead when its bytes equal the previous build's."""
        target = self._target(rel)
        try:
            with open(target, "wb") as fh:
                produce(fh)
            h = hashlib.blake2b(digest_size=16)
            size = 0
            with open(target, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    h.update(chunk)
                    size += len(chunk)
            old = self.old.get(rel)
            if old and old[1] == h.hexdigest() and old[2] == size:
                target.unlink()
                if self._carry(rel, target):
                    self._record(rel, (key, old[1], size), False)
                    return
                with open(target, "wb") as fh:  # the old file vanished: write it again
                    produce(fh)
        except OSError as exc:
            raise write_failure(target, exc) from exc
        self._record(rel, (key, h.hexdigest(), size), True)

    def read(self, rel: str) -> bytes:
        """A staged file's bytes."""
        return (self.root / rel).read_bytes()

    # ---------------------------------------------------------------- workers

    def mark(self) -> int:
        """A position in the log of staged files (for `entries_since`)."""
        return len(self._log)

    def entries_since(self, mark: int) -> list[tuple[str, tuple[str, str, int], bool]]:
        return self._log[mark:]

    def merge(self, log: list[tuple[str, tuple[str, str, int], bool]]) -> None:
        """Take in the files a worker process staged."""
        for rel, entry, written in log:
            self._record(rel, tuple(entry), written)

    # ---------------------------------------------------------------- finishing

    @property
    def bytes(self) -> int:
        return sum(e[2] for e in self.entries.values())

    def files(self) -> Mapping[str, bytes]:
        """Every staged file, read lazily (for the files computed from other files: ZIP, sitemap)."""
        return StagedFiles(self)

    def commit(self, finish=None) -> None:
        """Run `finish(staging)` (the search index), write the manifest, swap the new site in.

        The swap is two renames (site -> previous, staging -> site); the journal written before
        them lets the next build complete it if this process dies in between (`recover`)."""
        try:
            if finish is not None:
                finish(self.root)
            manifest = {"files": {k: list(self.entries[k]) for k in sorted(self.entries)}}
            path = self.root / MANIFEST
            try:
                path.write_bytes(orjson.dumps(manifest) + b"\n")
            except OSError as exc:
                raise write_failure(path, exc) from exc
            if not self.out.exists():
                try:
                    os.replace(self.root, self.out)
                except OSError as exc:
                    raise write_failure(self.out, exc, "create") from exc
                return
        except BaseException:
            self.abort()
            raise
        try:
            swap_in(self.root, self.out, self.previous, self.journal)
        except BaseException:
            if not self.journal.exists():  # else the new site stays for the next build to move in
                self.abort()
            raise
        # A failure here leaves only the old copy behind: the next build removes it (`recover`).
        shutil.rmtree(self.previous, ignore_errors=True)

    def abort(self) -> None:
        """Remove the staging folder (the build failed: the previous site stays as it was)."""
        shutil.rmtree(self.root, ignore_errors=True)


class StagedFiles(Mapping):
    """A read-only view of the staged files: path -> bytes, read from disk when asked."""

    def __init__(self, staging: Staging):
        self._staging = staging

    def __getitem__(self, rel: str) -> bytes:
        if rel not in self._staging.entries:
            raise KeyError(rel)
        return self._staging.read(rel)

    def __iter__(self) -> Iterator[str]:
        return iter(self._staging.entries)

    def __len__(self) -> int:
        return len(self._staging.entries)


def write_site(out: Path, files: dict[str, bytes], finish=None, *, incremental: bool = False) -> int:
    """Write all files into a fresh staging folder, then swap it in for `out`; return bytes written.

    `finish(staging)` runs on the complete staged site before the swap (the search index).
    """
    with output_lock(out):
        recover(out)
        refusal = output_refusal(out)
        if refusal:
            raise OutputError(refusal)
        staging = Staging(out, incremental=incremental)
        try:
            for rel in sorted(files):
                staging.write(rel, files[rel])
        except BaseException:
            staging.abort()
            raise
        staging.commit(finish)
    return staging.bytes
