"""Stage 6, write, publishing only what changed: the standby tree and the exchange (issue 19).

Beside `site/` (a real folder) lives `.site.standby/`, the site as it was one build earlier, with its
own manifest. A build changes in the standby only the files whose bytes differ from what the standby
holds (which is what changed in this build and in the build before it), deletes the files the new site
no longer has, writes the new manifest, and then exchanges the two folders in one system call
(Linux `renameat2(RENAME_EXCHANGE)`): `site/` is at every instant the old site or the new one, never
missing, never half written. The old site becomes the standby for the next build. A file carried over
unchanged costs nothing (no link, no walk of the site, no deletion of the previous site); the first
build after a copy-mode site (or a new output folder) fills the standby with hard links once.

Why not a symbolic link `site -> .site.a` switched by a rename: `site/` stays a real folder here, so
`cp -r`, `rsync -a` without `-L`, `tar`, web servers refusing symbolic links, Windows shares and zip
tools see the site itself, as before. Where the exchange is not available (another system, a file
system without it), the same standby is swapped in by the two renames and journal of the copy mode.

Writing never changes a file in place: the standby's files may be hard links to the live site's, so a
changed file is unlinked and written anew (and the search index, which Pagefind rewrites whole, is
removed first). Before a path of the standby is changed its name is appended to a log beside it
(`.site.standby-log`, one line per path, O_APPEND, so that forked workers share it); a build killed
half way leaves the log, and the next one removes the files it names from the standby and from its
manifest (they are made again when needed). The log is removed once the standby's manifest is written.
"""
from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import secrets
import shutil
from pathlib import Path

import orjson

from .sitecheck import strangers
from .write import (MANIFEST, SEARCH_DIR, OutputError, Staging, UnsafePath, beside, digest, read_manifest,
                    safe_join, swap_in, write_bytes, write_failure)

STANDBY = "standby"  # .site.standby: the standby tree
LOG = "standby-log"  # .site.standby-log: the standby's paths a build has begun changing
STREAM = "standby-stream"  # .site.standby-stream: a large file being written, before it is moved in place
MODES = ("standby", "copy")

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# What the exchange raises where the system or the file system does not offer it.
_NO_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}


def exchange(a: Path, b: Path) -> None:
    """Swap the two paths in one step (both must exist); OSError when this system cannot."""
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        raise OSError(errno.ENOSYS, "renameat2 is not available") from None
    fn.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(a), None, str(b))


def staging_for(out: Path, *, incremental: bool = True, publish: str = "standby") -> Staging:
    """The staging of a new site in the chosen mode: "standby" (only what changed, then an exchange)
    or "copy" (a complete new folder swapped in, the standby removed)."""
    if publish not in MODES:
        raise ValueError(f"publish mode {publish!r}: use one of {', '.join(MODES)}")
    if publish == "copy":
        settle(out, fresh=True)
        return Staging(out, incremental=incremental)
    return StandbyStaging(out, incremental=incremental)


def _remove(path: Path) -> None:
    try:
        shutil.rmtree(path)
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise write_failure(path, exc, "remove") from exc


def _unlink(path: Path) -> None:
    """Remove a file (or a folder standing where a file must go)."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except (IsADirectoryError, PermissionError):
        if not path.is_dir() or path.is_symlink():
            raise
        shutil.rmtree(path)


def _prune(root: Path, rels) -> None:
    """Remove the folders of these site paths that are left empty, deepest first."""
    folders = set()
    for rel in rels:
        parts = rel.split("/")[:-1]
        folders.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
    for folder in sorted(folders, key=lambda f: -f.count("/")):
        try:
            os.rmdir(root / folder)
        except OSError:
            pass  # not empty (or already gone)


def _write_manifest(root: Path, files: dict) -> None:
    """Write a tree's manifest in one rename (a file of the standby is never changed in place)."""
    path = root / MANIFEST
    tmp = root / f"{MANIFEST}.{os.getpid()}.tmp"
    try:
        # Sorted by orjson (the same bytes as sorting the paths here, without a copy of every entry).
        tmp.write_bytes(orjson.dumps({"files": files}, option=orjson.OPT_SORT_KEYS) + b"\n")
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise write_failure(path, exc) from exc


def settle(out: Path, placed: dict | None = None, *, fresh: bool = False) -> dict:
    """Make the standby tree agree with its manifest again after a build that changed it without
    finishing (killed: its log is left; failed: `placed` are the files it did finish); return its
    files (path -> (key, hash, size)), {} when there is no usable standby (then none is left).
    fresh: remove the standby (a full build trusts nothing on disk)."""
    out = Path(out).resolve()
    root, log = beside(out, STANDBY), beside(out, LOG)
    beside(out, STREAM).unlink(missing_ok=True)
    if not root.is_dir() or root.is_symlink():
        if root.is_symlink() or root.exists():
            raise OutputError(f"{root} is not a folder this program made (the standby copy of {out.name}/ is "
                              "kept there): move it away, or choose another --out")
        log.unlink(missing_ok=True)
        return {}
    manifest = read_manifest(root)
    if manifest is None:
        # A standby is without a manifest only while a build fills it (its log says so) or when empty:
        # anything else there was not made here, and is not deleted.
        if not log.exists() and any(os.scandir(root)):
            raise OutputError(f"{root} holds files this program did not build (the standby copy of {out.name}/ "
                              "is kept there): move them away, or choose another --out")
        fresh = True
    if fresh:
        if manifest is not None:  # removed whole: only if it holds nothing this program did not build
            foreign, _ = strangers(root, set(manifest["files"]) | {MANIFEST}, beside(out, "folders"), SEARCH_DIR)
            if foreign:
                raise OutputError(f"the standby copy of the site, {root}, holds files this program did not "
                                  f"build ({', '.join(sorted(foreign)[:3])}): move them out of it, or choose "
                                  "another --out")
        _remove(root)
        log.unlink(missing_ok=True)
        return {}
    files = manifest["files"]
    for tmp in root.glob(f"{MANIFEST}.*.tmp"):  # a manifest being written when its build was killed
        tmp.unlink(missing_ok=True)
    try:
        touched = set(log.read_text(encoding="utf-8", errors="replace").split("\n"))
    except FileNotFoundError:
        return files
    except OSError as exc:
        raise write_failure(log, exc, "read") from exc
    known = {rel: e for rel, e in files.items() if rel not in touched}
    known.update(placed or {})
    unknown = sorted(rel for rel in touched - known.keys() if _inside(root, rel))
    for rel in unknown:
        _unlink(root / rel)
    _prune(root, unknown)
    _write_manifest(root, known)
    log.unlink(missing_ok=True)
    return known


def _inside(root: Path, rel: str) -> bool:
    """Whether a path read back from the log names something inside the standby (a torn last line
    or a hostile one names nothing outside it)."""
    try:
        safe_join(root, rel)
    except UnsafePath:
        return False
    return True


def mirror(out: Path, files: dict) -> bool:
    """Leave a standby beside a site just made from nothing: its files hard-linked (a link each, no
    bytes copied), with its manifest, so that the next build changes there only what it changes (the
    first edit after a full build costs what any other costs). A killed mirror leaves a standby without
    a manifest beside its log, which the next build removes (settle); where links cannot be made, there
    is no standby (the next build fills one). Returns whether it was made."""
    out = Path(out).resolve()
    root, log = beside(out, STANDBY), beside(out, LOG)
    made: set[str] = set()
    try:
        os.close(os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644))  # the log first
        root.mkdir()
        src, dst = str(out), str(root)  # joined as strings: a Path per file was a third of this (profiled)
        for rel in files:
            folder = rel.rpartition("/")[0]
            if folder and folder not in made:
                (root / folder).mkdir(parents=True, exist_ok=True)
                made.add(folder)
            os.link(f"{src}/{rel}", f"{dst}/{rel}")
        _write_manifest(root, files)
        log.unlink()
    except (OSError, OutputError):
        shutil.rmtree(root, ignore_errors=True)
        log.unlink(missing_ok=True)
        return False
    return True


class StandbyStaging(Staging):
    """A new site made in the standby tree from what it already holds; `commit()` exchanges it in.

    `old` is the live site's manifest (what the previous build made, by key, for the pipeline's
    carry-over decisions); `have` is the standby's (what is on disk where this build writes)."""

    def __init__(self, out: Path, *, incremental: bool = True):
        self.out = Path(out).resolve()
        self.root = beside(self.out, STANDBY)
        self.journal = beside(self.out, "swap")
        self.previous = beside(self.out, f"previous.{os.getpid()}.{secrets.token_hex(4)}")
        self.log_path = beside(self.out, LOG)
        self.old = (read_manifest(self.out, shared=True) or {}).get("files", {}) if incremental else {}
        self._fd = -1
        # --full trusts nothing on disk: every file is written again.
        self.have: dict[str, list] = settle(self.out, fresh=not incremental)
        if self.have:  # what becomes the site must hold nothing this program did not build either
            foreign, locked = strangers(self.root, set(self.have) | {MANIFEST}, beside(self.out, "folders"),
                                        SEARCH_DIR)
            if foreign or locked:
                shown = ", ".join(sorted(foreign or locked)[:3])
                raise OutputError(f"the standby copy of the site, {self.root}, "
                                  + (f"holds files this program did not build ({shown}): move them out of it"
                                     if foreign else f"has folders that are not writable ({shown}): make them "
                                     "writable (chmod -R u+w)") + ", or choose another --out")
        # An empty standby (the first build here, or the first after a full one) is filled from nothing:
        # until its manifest is written at the end, a killed or failed build leaves a standby without a
        # manifest beside the log, which the next build removes whole (settle). So no path of it needs
        # logging, nor anything removing before it is written: a file carried over costs one link.
        self._blank = not self.have
        try:  # the log first: a standby without a manifest and without a log is not this program's
            self._fd = os.open(self.log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)
            self.root.mkdir(parents=True, exist_ok=True)
            if self._blank:
                (self.root / MANIFEST).unlink(missing_ok=True)  # an empty one: now a standby being filled
        except OSError as exc:
            raise write_failure(self.root, exc, "create the standby folder") from exc
        self.entries: dict[str, tuple[str, str, int]] = {}
        self.written = 0  # files whose bytes differ from the live site's (as in the copy mode)
        self.carried = 0
        self.changed = 0  # files this process changed in the standby (written, linked or removed)
        self._dirs: dict[str, Path] = {}
        self._log: list[tuple[str, tuple[str, str, int], bool]] = []

    # ---------------------------------------------------------------- writing

    def _holds(self, rel: str, h: str, size: int) -> bool:
        """Whether the standby already holds these bytes at rel."""
        e = self.have.get(rel)
        return e is not None and e[1] == h and e[2] == size

    def _touch(self, rel: str) -> Path:
        """Log that rel is about to change (before anything changes), forget it, return its path."""
        if "\n" in rel:  # one path a line in the log
            raise UnsafePath(f"refusing to write {rel!r}: a line break in the path")
        if self._blank:  # nothing there yet, and nothing to log (see __init__)
            self.changed += 1
            return self._target(rel)
        try:
            os.write(self._fd, rel.encode("utf-8") + b"\n")
        except OSError as exc:
            raise write_failure(self.log_path, exc) from exc
        self.have.pop(rel, None)
        self.changed += 1
        target = self._target(rel)
        if target.is_dir() and not target.is_symlink():  # a folder of the old site where a file goes now
            for inner in [r for r in self.have if r.startswith(rel + "/")]:
                self._touch(inner)
        try:
            _unlink(target)
        except OSError as exc:
            raise write_failure(target, exc, "replace") from exc
        return target

    def _target(self, rel: str) -> Path:
        folder = rel.rpartition("/")[0]
        if folder and folder not in self._dirs:  # a file of the old site where a folder goes now
            parts = folder.split("/")
            for above in ("/".join(parts[:i]) for i in range(1, len(parts) + 1)):
                if above in self.have:
                    self._touch(above)
        return super()._target(rel)

    def _same_as_live(self, rel: str, h: str, size: int) -> bool:
        e = self.old.get(rel)
        return e is not None and e[1] == h and e[2] == size

    def reuse(self, rel: str, key: str) -> bool:
        """Keep (or link from the live site) a file the previous build made from the same inputs."""
        old = self.old.get(rel)
        if not key or not old or old[0] != key:
            return False
        if not self._holds(rel, old[1], old[2]) and not self._carry(rel, self._touch(rel)):
            return False
        self._record(rel, (key, old[1], old[2]), False)
        return True

    def write(self, rel: str, data: bytes, key: str = "") -> None:
        """Stage one file: nothing to do when the standby holds these bytes, a link when the live
        site does, else written."""
        h, size = digest(data), len(data)
        live = self._same_as_live(rel, h, size)
        if not self._holds(rel, h, size):
            target = self._touch(rel)
            if not (live and self._carry(rel, target)):
                write_bytes(target, data)
        self._record(rel, (key, h, size), not live)

    def write_stream(self, rel: str, produce, key: str = "") -> None:
        """Stage a file that `produce(binary_file)` writes, first beside the standby, then moved in
        (or dropped when the standby or the live site already holds its bytes)."""
        tmp = beside(self.out, STREAM)
        try:
            h = hashlib.blake2b(digest_size=16)
            size = 0
            with open(tmp, "wb") as fh:
                produce(fh)
            with open(tmp, "rb") as fh:
                while chunk := fh.read(1 << 20):
                    h.update(chunk)
                    size += len(chunk)
            h = h.hexdigest()
            live = self._same_as_live(rel, h, size)
            if self._holds(rel, h, size):
                tmp.unlink()
            else:
                target = self._touch(rel)
                if live and self._carry(rel, target):
                    tmp.unlink()
                else:
                    os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise write_failure(tmp, exc) from exc
        self._record(rel, (key, h, size), not live)

    # ---------------------------------------------------------------- finishing

    def commit(self, finish=None) -> None:
        """Delete what the new site no longer has, run `finish(standby)` (the search index), write
        the manifest, then exchange the standby and the site (or, the first time, move it in)."""
        try:
            gone = sorted(rel for rel in self.have if rel not in self.entries)
            for rel in gone:
                self._touch(rel)
            _prune(self.root, gone)
            _remove(self.root / SEARCH_DIR)  # Pagefind writes its index anew, never into linked files
            if finish is not None:
                finish(self.root)
            _write_manifest(self.root, self.entries)
            os.close(self._fd)
            self._fd = -1
            self.log_path.unlink(missing_ok=True)  # the standby agrees with its manifest again
        except BaseException:
            self.abort()
            raise
        if not self.out.exists():
            try:
                os.replace(self.root, self.out)
            except OSError as exc:
                raise write_failure(self.out, exc, "create") from exc
            mirror(self.out, self.entries)
            return
        try:
            exchange(self.root, self.out)
        except OSError as exc:
            if exc.errno not in _NO_EXCHANGE:
                raise write_failure(self.out, exc, "replace") from exc
            # No exchange here: the copy mode's two renames with their journal, then the old site
            # becomes the standby.
            swap_in(self.root, self.out, self.previous, self.journal)
            try:
                os.replace(self.previous, self.root)
            except OSError:
                shutil.rmtree(self.previous, ignore_errors=True)

    def abort(self) -> None:
        """The build failed: keep the standby's finished files and forget the others (the site is
        untouched)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1
        try:
            settle(self.out, {rel: list(e) for rel, e in self.entries.items()})
        except OutputError:
            pass  # the log stays: the next build settles the standby
