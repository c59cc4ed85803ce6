"""Command line: python -m sitegen.ingest RAW.txt [--out DIR] [--json] | --review ID | --evaluate CORPUS."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .draft import NotAPlan, as_json, ingest, record_files, source_name
from .evaluate import evaluate, format_table
from .review import review_lines
from .unseen import evaluate_unseen, format_unseen

PROG = "python -m sitegen.ingest"


def _fail(msg: str) -> int:
    print(f"{PROG}: error: {msg}", file=sys.stderr)
    return 2


def _read(path: Path) -> bytes:
    """The raw file's bytes; ValueError naming the file when it is not a readable regular file."""
    if path.is_dir():
        raise ValueError(f"{path}: is a directory, not a text file.")
    if not path.exists():
        raise ValueError(f"{path}: no such file.")
    if not path.is_file():
        raise ValueError(f"{path}: is not a regular file (a FIFO or a device?).")
    size = path.stat().st_size
    from .clean import MAX_RAW_BYTES
    if size > MAX_RAW_BYTES:
        raise ValueError(f"{path}: is {size / 1048576:.1f} MB; a plan's text is at most "
                         f"{MAX_RAW_BYTES // 1048576} MB. Keep only the plan's text.")
    return path.read_bytes()


def _write_all(files: list[tuple[Path, bytes]]) -> None:
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


def _summary(d, written: list[Path], corpus: Path = Path("corpus")) -> list[str]:
    m = d.metadata
    lines = [f"read {d.name}: {m['source_kind']} text, {len(d.body)} paragraphs, "
             f"{len(d.cleaned.dropped)} lines of website material dropped"]
    for x in d.cleaned.dropped:
        lines.append(f"  dropped line {x.line} ({x.why}): {x.text[:90]}")
    for key in ("number", "type", "title", "issuer", "province", "issued", "signer", "signer_title", "period"):
        lines.append(f"  {key}: {m[key] if m[key] is not None else 'not stated (unknown)'}")
    lines.append(f"  {len(d.targets)} candidate targets, {len(d.commitments)} commitments, {len(d.tasks)} tasks, "
                 f"{len(d.themes)} themes, {len(d.citations)} citations")
    for i, c in enumerate(d.targets, 1):
        flag = f" — review: {'; '.join(c.why)}" if c.why else ""
        lines.append(f"  t{i:02d} {c.value:g}{'-' + format(c.value_max, 'g') if c.value_max else ''} {c.unit} "
                     f"[{c.category or '?'}/{c.subject or '?'}, confidence {c.confidence}]{flag}")
    if d.results:
        lines.append(f"  {len(d.results)} numbers read as results or situation, not targets (listed in the .yaml)")
    if d.cleaned.cut:
        lines.append(f"  excerpt: {d.cleaned.cut}")
    lines += _registry_lines(d)
    lines += [f"wrote {p}" for p in written]
    if written:
        flag = "" if corpus == Path("corpus") else f" --corpus {corpus}"  # the corpus in use, named
        lines.append("This is a draft (status: draft): review it with "
                     f"`{PROG}{flag} --review {d.plan_id}`, then run `python build.py{flag}`.")
    return lines


def _registry_lines(d) -> list[str]:
    """What the build will warn about the draft's citations: unresolved ones and one legal.yaml patch."""
    if not d.registry:
        return []
    return ["citations the registry will warn about once the draft is reviewed:",
            *("  " + line for m in d.registry for line in m.splitlines())]


def main(argv: list[str] | None = None) -> int:
    """Ingest a raw plan text into a draft record, list what a draft needs reviewed, or evaluate ingest."""
    ap = argparse.ArgumentParser(
        prog=PROG,
        description="Draft a corpus record (<id>.md + <id>.yaml, status: draft) from a raw plan text copied from "
                    "a web page: clean it without changing a word, read its metadata, targets, tasks, themes and "
                    "citations. What the text does not say is left unknown.",
        epilog="Exit status 2 on bad input (missing, empty, binary, non-UTF-8 or huge file, a directory, a text "
               "that is no plan, a record that exists already); nothing is written then.")
    ap.add_argument("raw", nargs="?", help="the raw UTF-8 text of a plan (or of a press report about one)")
    ap.add_argument("--corpus", default="corpus", help="the corpus folder (lookup tables, sources/); default corpus")
    ap.add_argument("--out", help="where to write <id>.md and <id>.yaml (default: <corpus>/plans)")
    ap.add_argument("--json", action="store_true", help="write nothing; print one JSON object of what was read")
    ap.add_argument("--force", action="store_true", help="replace an existing record with the same id")
    ap.add_argument("--review", metavar="ID", help="list what is left to confirm in the draft record ID")
    ap.add_argument("--evaluate", metavar="CORPUS", help="ingest every curated plan's source and compare")
    ap.add_argument("--unseen", metavar="DIR", action="append", default=[],
                    help="with --evaluate: also score a folder of unseen texts with gold annotations (repeatable)")
    ap.add_argument("--press", action="store_true",
                    help="the text is a news item about a plan (when ingest does not recognise it as one)")
    args = ap.parse_args(argv)
    corpus = Path(args.corpus)
    if args.evaluate:
        try:
            rows = evaluate(Path(args.evaluate))
            unseen = [(d, evaluate_unseen(Path(d), Path(args.evaluate))) for d in args.unseen]
        except ValueError as exc:
            return _fail(str(exc))
        print(format_table(rows))
        for folder, scores in unseen:
            print(f"\n{format_unseen(f'unseen: {folder}', scores)}")
        return 0
    if args.review:
        try:
            print("\n".join(review_lines(corpus, args.review)))
        except ValueError as exc:
            return _fail(str(exc))
        return 0
    if not args.raw:
        ap.print_usage(sys.stderr)
        return _fail("give a raw text file, --review ID or --evaluate CORPUS.")
    raw_path = Path(args.raw)
    try:
        data = _read(raw_path)
        draft = ingest(data, str(raw_path), corpus, press=args.press)
    except (NotAPlan, ValueError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(f"{raw_path}: cannot be read ({exc.strerror}).")
    if args.json:
        print(json.dumps(as_json(draft), ensure_ascii=False, indent=1))
        return 0
    sources = corpus / "sources"
    existing = next((p for p in sorted(sources.glob("*.txt")) if p.stat().st_size == len(data)
                     and p.read_bytes() == data), None) if sources.is_dir() else None
    src = existing or sources / source_name(data)
    try:
        plan_id, md, data_yaml = record_files(draft, f"sources/{src.name}")
    except ValueError as exc:
        return _fail(str(exc))
    out = Path(args.out) if args.out else corpus / "plans"
    targets = [out / f"{plan_id}.md", out / f"{plan_id}.yaml"]
    if not args.force and any(p.exists() for p in targets):
        return _fail(f"{targets[0]} already exists: a record with this id is in the corpus. Use --force to "
                     "replace it, or --json to see the reading without writing.")
    files = [(targets[0], md.encode()), (targets[1], data_yaml.encode())]
    if existing is None:
        files.append((src, data))
    try:
        _write_all(files)
    except OSError as exc:
        return _fail(f"cannot write the draft ({exc.strerror}): nothing was written.")
    print("\n".join(_summary(draft, [p for p, _ in files], corpus)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
