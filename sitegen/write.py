"""Stage 6, write: the one place that touches the output folder.

Everything is written to a staging folder beside `site/`, which replaces
`site/` in one rename at the end: a failed build leaves the previous site as it was.

Files are written as they are produced (a site of 10,000 plans does not fit in memory at
once), and incrementally: `site/.build-manifest.json` maps every file of the site to the
hash of its bytes and, for pages that can be skipped without computing them, a key of
their inputs. A file whose bytes (or input key) equal the previous build's is carried
over from the previous site by hard link (copy where links are impossible) instead of
being written again; the staged site is still complete and still swapped in at once.
"""
from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path, PurePosixPath

import orjson

MANIFEST = ".build-manifest.json"


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


def digest(data: bytes) -> str:
    """The hash the manifest keeps of a file's bytes."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class Staging:
    """A new site being written beside the old one; `commit()` swaps it in.

    The manifest entries it collects are (input key, bytes hash, size) per site path. It is
    safe to use from forked worker processes: each writes its own files and sends back its
    entries (`entries_since`), which the parent `merge`s.
    """

    def __init__(self, out: Path, *, incremental: bool = True):
        self.out = Path(out).resolve()
        self.root = self.out.with_name(f".{self.out.name}.staging")
        self.previous = self.out.with_name(f".{self.out.name}.previous")
        for leftover in (self.root, self.previous):
            if leftover.exists():
                shutil.rmtree(leftover)
        self.root.mkdir(parents=True)
        self.old: dict[str, list] = {}
        if incremental and (self.out / MANIFEST).is_file():
            try:
                self.old = orjson.loads((self.out / MANIFEST).read_bytes()).get("files", {})
            except (orjson.JSONDecodeError, AttributeError):
                self.old = {}
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
            target.parent.mkdir(parents=True, exist_ok=True)
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
        with open(target, "wb") as fh:
            fh.write(data)
        self._record(rel, (key, h, len(data)), True)

    def write_stream(self, rel: str, produce, key: str = "") -> None:
        """Stage a file that `produce(binary_file)` writes (too large to hold in memory); carried
        over instead when its bytes equal the previous build's."""
        target = self._target(rel)
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
        """Run `finish(staging)` (the search index), write the manifest, swap the new site in."""
        try:
            if finish is not None:
                finish(self.root)
            manifest = {"files": {k: list(self.entries[k]) for k in sorted(self.entries)}}
            (self.root / MANIFEST).write_bytes(orjson.dumps(manifest) + b"\n")
        except BaseException:
            self.abort()
            raise
        if self.out.exists():
            os.replace(self.out, self.previous)
        os.replace(self.root, self.out)
        shutil.rmtree(self.previous, ignore_errors=True)

    def abort(self) -> None:
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
    staging = Staging(out, incremental=incremental)
    try:
        for rel in sorted(files):
            staging.write(rel, files[rel])
    except BaseException:
        staging.abort()
        raise
    staging.commit(finish)
    return staging.bytes
