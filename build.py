"""Build the static site: `python build.py` turns corpus/ into site/.

Exit status: 0 built, 1 the corpus has errors (nothing written), 2 the build failed otherwise.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def refuse_out(corpus: Path, out: Path) -> str:
    """Why the output folder must not be replaced by the site ("" if it may): the build swaps
    the whole folder, so it must be neither the corpus nor around it, nor some other folder."""
    c, o = corpus.resolve(), out.resolve()
    if o == c or o in c.parents or c in o.parents:
        return f"the output folder {out} is, holds or lies inside the corpus {corpus}: choose another --out"
    if o.is_dir() and any(o.iterdir()) and not any((o / name).is_file()
                                                   for name in ("index.html", ".build-manifest.json")):
        return (f"the output folder {out} is not empty and is not a site built here (no index.html): "
                "choose another --out, or empty that folder first")
    return ""


def main(argv: list[str] | None = None) -> int:
    """Parse options, run the build, print progress and a closing summary."""
    parser = argparse.ArgumentParser(
        description="Build the Kế hoạch so sánh static site from the corpus. The previous site is "
                    "replaced only when the whole build succeeds.")
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus", help="corpus folder (default: corpus/)")
    parser.add_argument("--out", type=Path, default=HERE / "site", help="output folder (default: site/)")
    parser.add_argument("--base-url", default="", help="absolute URL the site will be published at, used in "
                                                       "citations and permalinks (default: relative links only)")
    parser.add_argument("--no-search", action="store_true", help="skip the Pagefind search index (faster)")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--full", action="store_true", help="rebuild every page, ignoring the previous build's "
                                                            "manifest (default: rebuild only what changed)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors and the summary")
    args = parser.parse_args(argv)

    from sitegen.options import SiteOptions
    from sitegen.pipeline import BuildError, build

    refusal = refuse_out(args.corpus, args.out)
    if refusal:
        print(f"Build failed: {refusal}. Nothing was written.", file=sys.stderr)
        return 2
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))
    say(f"Building {args.out} from {args.corpus} ...")
    start = time.perf_counter()
    try:
        options = SiteOptions(base_url=args.base_url, search=not args.no_search)
        report = build(args.corpus, args.out, options, strict=args.strict, incremental=not args.full)
    except BuildError as exc:
        errors = [p for p in exc.problems if p.severity == "error"]
        for p in exc.problems:
            print(p, file=sys.stderr)
        print(f"\nBuild failed: {len(errors)} error(s), {len(exc.problems) - len(errors)} warning(s). "
              f"Nothing was written; {args.out} is unchanged.", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - any other failure is reported in one line, site untouched
        print(f"Build failed: {type(exc).__name__}: {exc}. {args.out} is unchanged.", file=sys.stderr)
        return 2
    for w in report.warnings:
        say(w)
    if report.cards:
        say(f"Social cards: {report.cards} ({report.cards_drawn} drawn, the others unchanged)")
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in report.stages.items())
    say(f"Stages: {stages}")
    print(f"Built {report.plans} plans, {report.targets} targets, {report.pages} pages "
          f"({report.files} files, {report.bytes / 1e6:.1f} MB), {len(report.warnings)} warning(s) "
          f"in {time.perf_counter() - start:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
