"""Command line: python -m sitegen.ingest FILES_OR_FOLDERS... [--out DIR] [--json] | --review ID | --evaluate CORPUS."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .batch import Outcome, expand, ingest_file, json_lines, table
from .evaluate import evaluate, format_table
from .readers import KINDS
from .review import review_lines
from .unseen import evaluate_unseen, format_unseen

PROG = "python -m sitegen.ingest"


def _fail(msg: str) -> int:
    print(f"{PROG}: error: {msg}", file=sys.stderr)
    return 2


def _summary(d, written: list[Path], corpus: Path = Path("corpus")) -> list[str]:
    m = d.metadata
    kind = d.read.kind if d.read else "text"
    legacy = d.read.legacy_pages if d.read else ()
    how = (f" ({KINDS[kind]}, OCR on pages {', '.join(map(str, d.read.ocr_pages))}"
           + (f"; the text layer of pages {', '.join(map(str, legacy))} is in a legacy font (TCVN3/VNI), unreadable"
              " as text" if legacy else "") + ")") if d.read and d.read.ocr \
        else f" ({KINDS[kind]})" if kind != "text" else ""
    page = set(d.read.dropped) if d.read else set()  # lines of a saved page, numbered in the page's file
    lines = [f"read {d.name}{how}: {m['source_kind']} text, {len(d.body)} paragraphs, "
             f"{len(d.cleaned.dropped)} lines of website material dropped"]
    for x in d.cleaned.dropped:
        where = f"line {x.line} of the page" if x in page else f"line {x.line}"
        lines.append(f"  dropped {where} ({x.why}): {x.text[:90]}")
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
        description="Draft a corpus record (<id>.md + <id>.yaml, status: draft) from each file: a plan's text, "
                    "PDF, Word file or saved web page (the kind is told by content). Clean it without changing a "
                    "word, read its metadata, targets, tasks, themes and citations. What the text does not say is "
                    "left unknown; a text read by OCR is marked so and every quote from it is listed for review.",
        epilog="Exit status 2 on bad input (missing, empty, encrypted, damaged or huge file, a zip bomb, a text "
               "that is no plan, a record that exists already); nothing is written for that file. With several "
               "files, each is read on its own, a table ends the run, and the status is 2 if any failed.")
    ap.add_argument("files", nargs="*", metavar="FILES_OR_FOLDERS",
                    help="plans (or press reports about one) to read: UTF-8 text, PDF (a scan is read by OCR), Word "
                         ".docx/.doc, RTF, or a saved web page; a folder stands for every file inside it")
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
    if not args.files:
        ap.print_usage(sys.stderr)
        return _fail("give files or folders to read, --review ID or --evaluate CORPUS.")
    out = Path(args.out) if args.out else corpus / "plans"
    paths = expand(args.files)
    if len(paths) == 1 and not Path(args.files[0]).is_dir():
        return _one(paths[0], corpus, out, args)
    return _many(paths, corpus, out, args)


def _one(path: Path, corpus: Path, out: Path, args) -> int:
    """One file: its reading in full (or its JSON), exit status 2 and nothing written when it is bad."""
    o = ingest_file(path, corpus, out, force=args.force, want_json=args.json, options={"press": args.press})
    if o.error:
        return _fail(o.error)
    if args.json:
        print(json.dumps(o.json, ensure_ascii=False, indent=1))
        return 0
    print("\n".join(_summary(o.draft, o.written, corpus)))
    return 0


def _many(paths: list[Path], corpus: Path, out: Path, args) -> int:
    """Many files: a progress bar (on a terminal), then one table; exit status 2 when any file failed."""
    from tqdm import tqdm

    outcomes: list[Outcome] = []
    taken: dict[str, Path] = {}
    with tqdm(paths, desc="ingest", unit="file", file=sys.stderr, disable=None, dynamic_ncols=True) as bar:
        for path in bar:
            bar.set_postfix_str(path.name)
            note = lambda msg, name=path.name: bar.set_postfix_str(f"{name}: {msg}")  # noqa: E731
            outcomes.append(ingest_file(path, corpus, out, force=args.force, want_json=args.json, taken=taken,
                                        progress=note, options={"press": args.press}))
    print(json_lines(outcomes) if args.json else table(outcomes))
    if not args.json and any(o.written for o in outcomes):
        flag = "" if corpus == Path("corpus") else f" --corpus {corpus}"  # the corpus in use, named
        print(f"These are drafts (status: draft): review each with `{PROG}{flag} --review ID`, then run "
              f"`python build.py{flag}`.")
    return 2 if any(o.error for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
