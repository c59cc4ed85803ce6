"""Many files at once: folders expanded, each file read and drafted on its own, one table at the end.

A bad file never stops the others: its row says what is wrong and nothing of it is written (each
file's record and source copies are written all together or not at all). The caller's exit status
says whether any failed.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from ..load import MAX_FILE_BYTES
from .draft import as_json, ingest, record_files, source_name
from .readers import KINDS, MAX_DOCUMENT_BYTES, SNIFFED, read_document, sniff

# An original larger than this is not copied into the corpus: its name and SHA-256 are recorded instead.
KEEP_ORIGINAL_BYTES = MAX_FILE_BYTES


@dataclass
class Outcome:
    """What became of one file: its draft's figures, or the error that stopped it."""

    path: Path
    kind: str = ""
    plan_id: str = ""
    targets: int = 0
    citations: int = 0
    to_review: int = 0
    error: str = ""
    written: list[Path] = field(default_factory=list)
    draft: object = None  # the Draft, for the single-file summary
    json: dict | None = None


def expand(args: list[str]) -> list[Path]:
    """The files named, folders replaced by the files inside them (sorted, recursive; hidden files and the
    ``X_files`` folder a browser saves beside ``X.html`` left out). A missing path stays, to fail with its name."""
    out: list[Path] = []
    for arg in args:
        path = Path(arg)
        if not path.is_dir():
            out.append(path)
            continue
        found = []
        for p in sorted(path.rglob("*")):
            rel = p.relative_to(path).parts
            if any(part.startswith(".") for part in rel) or not p.is_file():
                continue
            if any(_saved_page_assets(p, path, i) for i in range(len(rel) - 1)):
                continue
            found.append(p)
        out += found or [path]  # an empty folder fails with its own message
    return out


def _saved_page_assets(p: Path, root: Path, depth: int) -> bool:
    """Whether ``p`` lies in the ``X_files`` folder saved with the page ``X.html`` (its images and scripts)."""
    folder = root.joinpath(*p.relative_to(root).parts[:depth + 1])
    if not folder.name.endswith("_files"):
        return False
    stem = folder.name[:-len("_files")]
    return any(folder.with_name(stem + ext).is_file() for ext in (".html", ".htm", ".HTML", ".HTM"))


def read_file(path: Path) -> bytes:
    """The file's bytes; ValueError naming the file when it is not a readable regular file or too big."""
    if path.is_dir():
        raise ValueError(f"{path}: is a folder with no files in it." if not any(path.iterdir()) else
                         f"{path}: is a directory, not a text file.")
    if not path.exists():
        raise ValueError(f"{path}: no such file.")
    if not path.is_file():
        raise ValueError(f"{path}: is not a regular file (a FIFO or a device?).")
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise ValueError(f"{path}: is {size / 1048576:.1f} MB; ingest reads files of at most "
                         f"{MAX_DOCUMENT_BYTES // 1048576} MB (a plan's text, PDF or Word file). Keep only the plan.")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read ({exc.strerror}).") from None


def write_all(files: list[tuple[Path, bytes]]) -> None:
    """Write every file or none: each goes to a temporary name first, then all are renamed."""
    temps, done = [], []
    try:
        for path, data in files:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.ingest-tmp")
            tmp.write_bytes(data)
            temps.append((tmp, path))
        for tmp, path in temps:
            if path.exists():  # --force: keep the old file until every new one is in place
                backup = path.with_name(f".{path.name}.ingest-old")
                path.replace(backup)
                done.append((path, backup))
            else:
                done.append((path, None))
            tmp.replace(path)
    except OSError:
        for path, backup in reversed(done):  # put back what was there
            path.unlink(missing_ok=True)
            if backup is not None:
                backup.replace(path)
        raise
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
    for _, backup in done:
        if backup is not None:
            backup.unlink(missing_ok=True)


def _sources(data: bytes, read, path: Path, sources: Path) -> tuple[Path, list[tuple[Path, bytes]], dict | None]:
    """(the text's copy in sources/, the files to write, the ``original`` field) for one file read."""
    if read.kind == "text":
        existing = next((p for p in sorted(sources.glob("*.txt")) if p.stat().st_size == len(data)
                         and p.read_bytes() == data), None) if sources.is_dir() else None
        src = existing or sources / source_name(data)
        return src, [] if existing else [(src, data)], None
    digest = hashlib.sha256(data).hexdigest()
    text = read.text.encode()
    if len(text) > MAX_FILE_BYTES:
        raise ValueError(f"{path}: its text is {len(text) / 1048576:.1f} MB; a source may be at most "
                         f"{MAX_FILE_BYTES // 1048576} MB: keep only the plan.")
    src = sources / f"{digest[:16]}.txt"
    files = [(src, text)]
    original = {"name": path.name, "kind": read.kind, "sha256": digest, "bytes": len(data)}
    if len(data) <= KEEP_ORIGINAL_BYTES:
        kept = sources / f"{digest[:16]}.{read.extension}"
        original["file"] = f"sources/{kept.name}"
        files.append((kept, data))
    return src, files, original


def ingest_file(path: Path, corpus: Path, out: Path, *, force: bool = False, want_json: bool = False,
                taken: dict[str, Path] | None = None, progress: Callable[[str], None] | None = None,
                options: dict | None = None) -> Outcome:
    """Read, draft and write one file; the Outcome holds the error instead when anything is wrong."""
    result = Outcome(path)
    try:
        data = read_file(path)
        result.kind = sniff(data)  # what the file is, shown even when it cannot be read
        read = read_document(data, str(path), progress)
        result.kind = read.kind
        draft = ingest(data, str(path), corpus, read=read, **(options or {}))
        result.draft, result.targets, result.citations = draft, len(draft.targets), len(draft.citations)
        if want_json:
            result.json, result.plan_id = as_json(draft), draft.plan_id
            return result
        src, files, original = _sources(data, read, path, corpus / "sources")
        plan_id, md, data_yaml = record_files(draft, f"sources/{src.name}", original)
        result.plan_id = plan_id
        records = [out / f"{plan_id}.md", out / f"{plan_id}.yaml"]
        if taken is not None and plan_id in taken and not force:
            raise ValueError(f"{path}: is the same plan ({plan_id}) as {taken[plan_id]}, drafted earlier in this run.")
        if not force and any(p.exists() for p in records):
            raise ValueError(f"{records[0]} already exists: a record with this id is in the corpus. Use --force to "
                             "replace it, or --json to see the reading without writing.")
        files = [(records[0], md.encode()), (records[1], data_yaml.encode()), *files]
        try:
            write_all(files)
        except OSError as exc:
            raise ValueError(f"{path}: cannot write the draft ({exc.strerror}): nothing was written.") from None
        result.written = [p for p, _ in files]
        result.to_review = len(yaml.safe_load(md.split("---\n", 2)[1]).get("review") or [])
        if taken is not None:
            taken[plan_id] = path
    except ValueError as exc:  # NotAPlan and ReadError are ValueErrors with a reader's message
        result.error = str(exc)
    return result


def table(outcomes: list[Outcome]) -> str:
    """One Markdown table: file, kind read, id, targets, citations, left to review, or the error."""
    head = ["file", "kind read", "id", "targets", "citations", "left to review", "error"]
    rows = []
    for o in outcomes:
        if o.error:  # the file is named in its row: the message need not repeat it
            error = o.error.removeprefix(f"{o.path}: ").replace("|", "/").replace("\n", " ")
            rows.append([str(o.path), SNIFFED.get(o.kind, o.kind), o.plan_id, "", "", "", error])
        else:
            rows.append([str(o.path), KINDS.get(o.kind, o.kind), o.plan_id, str(o.targets), str(o.citations),
                         str(o.to_review) if o.written else "", ""])
    width = [max(len(h), *(len(r[i]) for r in rows)) if i < 6 else len(h) for i, h in enumerate(head)]
    fmt = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, width)) + " |"  # noqa: E731
    failed = sum(1 for o in outcomes if o.error)
    lines = [fmt(head), "|" + "|".join("-" * (w + 2) for w in width) + "|", *map(fmt, rows)]
    lines.append(f"{len(outcomes) - failed} of {len(outcomes)} files read, {failed} failed.")
    return "\n".join(lines)


def json_lines(outcomes: list[Outcome]) -> str:
    """--json for many files: one array, each item the file, its kind and reading, or its error."""
    return json.dumps([{"file": str(o.path), "kind": o.kind, "error": o.error} if o.error else
                       {"file": str(o.path), "kind": o.kind, **(o.json or {})} for o in outcomes],
                      ensure_ascii=False, indent=1)
