"""Command line: python -m sitegen.citations FILE [--json] [--province P] [--own-number N] [--names YAML]."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..load import parse_yaml, read_text
from ..model import Problem
from ..textutil import squash
from .find import extract, read_document
from .registry import names_from_data


def main(argv: list[str] | None = None) -> int:
    """Print the citations found in a UTF-8 plain-text document; 2 on bad input."""
    ap = argparse.ArgumentParser(
        prog="python -m sitegen.citations",
        description="List the legal instruments a Vietnamese plan cites: number, type, date, issuer and the "
                    "text as written, one per line (tab-separated, '-' when unknown). Website material "
                    "around the document (its title, metadata, a list of related documents above its header) "
                    "and the plan's own number are left out.",
        epilog="Offsets (--json start/end) are into the text as the corpus loader reads it: BOM removed, "
               "CRLF turned into LF, NFC. Exit status 2 on a missing, empty, binary or non-UTF-8 file, on "
               "anything that is not a regular file (a named pipe, a device) and on a file over 5 MB.")
    ap.add_argument("file", help="a UTF-8 plain-text document, e.g. corpus/sources/000_fe96a9b176375939.txt")
    ap.add_argument("--json", action="store_true", help="print a JSON array of objects sorted by position")
    ap.add_argument("--province", help="the plan's province (e.g. 'Quảng Ninh'), named in local issuers")
    ap.add_argument("--own-number", help="the plan's own number (default: read from its 'Số:' line)")
    ap.add_argument("--names", help="an alias table of instruments cited by name, such as "
                                    "corpus/legal_names.yaml (default: citations by number only)")
    args = ap.parse_args(argv)
    try:
        text = read_document(args.file)
    except (OSError, ValueError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        print(f"{ap.prog}: error: {args.file}: {why}", file=sys.stderr)
        return 2
    names, problems = _names(args.names) if args.names else ({}, [])
    for p in problems:
        print(f"{ap.prog}: error: {p.file}:{p.where + ': ' if p.where else ' '}{p.message}", file=sys.stderr)
    if problems:
        return 2
    found = extract(text, own_number=args.own_number, province=args.province, names=names, page=True)
    if args.json:
        print(json.dumps([{"number": c.number, "type": c.type, "issued": c.issued, "issuer": c.issuer,
                           "level": c.level, "as_written": c.as_written, "start": c.start, "end": c.end}
                          for c in found], ensure_ascii=False, indent=1))
    for c in [] if args.json else found:
        date = "/".join(reversed(c.issued.split("-"))) if c.issued else "-"
        print("\t".join((c.number or "-", c.type, date, c.issuer or "-", squash(c.as_written))))
    return 0


def _names(path: str) -> tuple[dict[str, tuple[str, str]], list[Problem]]:
    """The alias table of `path`, read as the build reads corpus/legal_names.yaml (no pipe or device, at
    most 5 MB, UTF-8, safe YAML with line numbers), with what is wrong in it."""
    text, problems = read_text(Path(path), path)
    data, more = parse_yaml(text, path) if text is not None else (None, [])
    if problems or more:
        return {}, problems + more
    if not isinstance(data, list):
        return {}, [Problem("error", path, "line 1", "must be a YAML list of entries (id, type, names), as "
                                                     "corpus/legal_names.yaml is.")]
    table, errors = names_from_data(data)
    return table, [Problem("error", path, "", f"{e}: see corpus/legal_names.yaml.") for e in errors]


if __name__ == "__main__":
    sys.exit(main())
