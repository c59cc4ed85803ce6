"""The output folder's check for files this program did not build, looking only where something changed.

A build refuses to replace a site holding a file its manifest does not list, or a folder it cannot
write (sitegen.write.output_refusal). Listing every folder of the site for that took about 0.25 s at
1,000 plans, every build. A folder's ctime changes whenever an entry is added to it, removed or
renamed, or its permissions change; so a folder found clean once, whose inode and ctime are still
those recorded then, is still clean. The record (`.site.folders` beside the site, for both trees of
the standby mode) keeps them; only folders that changed are listed again. A folder changed within
the last few seconds is listed again next time too (a change in the same clock tick as the record
would not show in its ctime: git's "racy" entries).
"""
from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import orjson

RACY_NS = 3_000_000_000  # a folder changed this recently is not trusted by its ctime


def site_folders(files) -> set[str]:
    """Every folder of a site ("" for its top) from the paths of its files."""
    parents = {rel.rpartition("/")[0] for rel in files}
    out = {""}
    for folder in parents:
        while folder and folder not in out:
            out.add(folder)
            folder = folder.rpartition("/")[0]
    return out


def strangers(top: Path, listed: set[str], record: Path, skip: str) -> tuple[list[str], list[str]]:
    """(files of `top` not in `listed`, folders of it not writable), looking into the folders that
    changed since `record` found them clean; `skip`, a folder at the top (the search index), is
    checked for writable folders only. The record is updated."""
    try:
        known = orjson.loads(record.read_bytes())
        if not isinstance(known, dict):
            known = {}
    except (OSError, ValueError):
        known = {}
    folders = site_folders(listed)
    now = time.time_ns()
    foreign: list[str] = []
    locked: list[str] = []
    kept = dict(known)
    for folder in sorted(folders):
        path = top / folder if folder else top
        try:
            st = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            continue
        if not stat.S_ISDIR(st.st_mode):
            continue  # a file where the site has a folder: written over by the build as any file
        stamp = [st.st_ino, st.st_ctime_ns]
        seen = known.get(folder, [])
        if stamp in seen:
            continue
        prefix = f"{folder}/" if folder else ""
        bad: list[str] = []
        writable = os.access(path, os.W_OK | os.X_OK)
        if not writable:
            locked.append(prefix or "./")
        with os.scandir(path) as entries:
            for entry in entries:
                rel = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    if rel not in folders:
                        _walk(top, rel, bad if rel != skip else None, locked)
                elif rel not in listed:
                    bad.append(rel)
        foreign += bad
        if writable and not bad and now - st.st_ctime_ns > RACY_NS:
            # Both trees of the standby mode: the last two inodes seen at this path.
            kept[folder] = [stamp, *[s for s in seen if s[0] != stamp[0]][:1]]
    if kept != known:
        tmp = record.with_name(f"{record.name}.{os.getpid()}.tmp")
        try:
            tmp.write_bytes(orjson.dumps(kept))
            os.replace(tmp, record)
        except OSError:
            tmp.unlink(missing_ok=True)  # only a record: the next build lists the folders again
    return foreign, locked


def _walk(top: Path, rel: str, files: list[str] | None, locked: list[str]) -> None:
    """A folder the site does not have: every file in it is foreign (files=None: none are looked at),
    every folder of it must be writable."""
    for folder, dirs, names in os.walk(top / rel):
        sub = os.path.relpath(folder, top).replace(os.sep, "/") + "/"
        if not os.access(folder, os.W_OK | os.X_OK):
            locked.append(sub)
        if files is not None:
            files += [sub + n for n in names]
            files += [sub + d for d in dirs if os.path.islink(os.path.join(folder, d))]
