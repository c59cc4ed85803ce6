"""Build the static site: `python build.py` turns corpus/ into site/.
`python build.py serve [--port N]` previews it while editing (sitegen/serve.py).

Exit status: 0 built, 1 the corpus has errors (nothing written), 2 the build failed otherwise
(serve: 0 after Ctrl-C, 2 when it cannot start).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEMPLATES_HELP = ("a folder of templates overriding the default ones (templates/) by name, like a theme: "
                  "DIR/plan.html is used instead of templates/plan.html, the others stay (default: none)")
# Said once by a build that knows no address for the site: what that costs, and how to set one.
NO_SITE_URL = ("Note: the site's address is not set (site_url in corpus/site.yaml is empty), so links shared on "
               "social media show no preview image (og:image must be an absolute URL) and sitemap.xml lists "
               "relative addresses, which search engines ignore. Before publishing, set site_url: "
               "\"https://your.domain/path/\" in corpus/site.yaml (or build with --base-url URL).")


def refuse_out(corpus: Path, out: Path) -> str:
    """Why the output folder must not be replaced by the site ("" if it may): the build swaps
    the whole folder, so it must be neither the corpus nor around it (the build itself refuses
    any other folder it did not make: sitegen.write.output_refusal)."""
    c, o = corpus.resolve(), out.resolve()
    if o == c or o in c.parents or c in o.parents:
        return f"the output folder {out} is, holds or lies inside the corpus {corpus}: choose another --out"
    return ""


def serve(argv: list[str]) -> int:
    """`build.py serve`: build, serve on 127.0.0.1, rebuild and reload on every change, until Ctrl-C."""
    from sitegen.serve import DEFAULT_PORT, serve as run

    parser = argparse.ArgumentParser(
        prog="build.py serve",
        description="Preview the site while editing: build it, serve it on 127.0.0.1 (search works), "
                    "rebuild it whenever corpus/, templates/ or sitegen/ change and reload the open pages. "
                    "A corpus error is shown in the terminal and on the page; Ctrl-C stops.")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port on 127.0.0.1 (default: {DEFAULT_PORT}; 0 picks a free one)")
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus", help="corpus folder (default: corpus/)")
    parser.add_argument("--out", type=Path, default=HERE / "site",
                        help="output folder, built as by `python build.py` (default: site/)")
    parser.add_argument("--no-search", action="store_true",
                        help="skip the search index: faster rebuilds of a large corpus, but no search")
    parser.add_argument("--templates", type=Path, default=None, metavar="DIR", help=TEMPLATES_HELP)
    args = parser.parse_args(argv)
    refusal = refuse_out(args.corpus, args.out)
    if refusal:
        print(f"Cannot serve: {refusal}.", file=sys.stderr)
        return 2
    # The builds run in a warm worker (`build.py warm`: sitegen/warm.py), restarted when sitegen/ or the
    # templates change, so that edited code is the code built with.
    build_args = ["--corpus", str(args.corpus), "--out", str(args.out), *(["--no-search"] if args.no_search else []),
                  *(["--templates", str(args.templates)] if args.templates else [])]
    theme = [args.templates] if args.templates else []
    # The site_url note is said by the session's first good build; rebuilds need not repeat it.
    worker = [sys.executable, str(Path(__file__).resolve()), "warm", "--out", str(args.out)]
    return run(out=args.out, port=args.port, worker_command=worker, build_args=build_args,
               rebuild_args=[*build_args, "--no-site-url-note"], root=HERE, corpus=args.corpus,
               watch_paths=[args.corpus, HERE / "templates", HERE / "sitegen", *theme])


def unchanged(exc: BaseException, out: Path, nothing: str = "") -> str:
    """The end of a failed build's message: the output folder is unchanged, unless the build first
    settled what an interrupted build had left (finished its swap, or put the old site back),
    which the notes it prints then say."""
    recovered = getattr(exc, "recovered", ())
    for note in recovered:
        print(f"Note: {note}.", file=sys.stderr)
    if not recovered:
        return f"{nothing}{out} is unchanged."
    return (f"This build wrote nothing{' new' if nothing else ''}, but before it failed it settled what an "
            f"interrupted build had left (see the note above): {out} now holds the last complete site.")


def main(argv: list[str] | None = None, on_gathered=None) -> int:
    """Parse options, run the build, print progress and a closing summary. on_gathered: see
    sitegen.pipeline.build (serve's warm worker keeps what was gathered)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["serve"]:
        return serve(argv[1:])
    if argv[:1] == ["warm"]:  # serve's build worker (sitegen/warm.py), not a command for people
        from sitegen.warm import work

        return work(main)
    parser = argparse.ArgumentParser(
        description="Build the Kế hoạch so sánh static site from the corpus. The previous site is "
                    "replaced only when the whole build succeeds. `build.py serve --help`: the preview server.")
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus", help="corpus folder (default: corpus/)")
    parser.add_argument("--out", type=Path, default=HERE / "site", help="output folder (default: site/)")
    parser.add_argument("--base-url", default="", help="absolute URL the site will be published at, used in "
                                                       "citations and permalinks (default: relative links only)")
    parser.add_argument("--no-search", action="store_true", help="skip the Pagefind search index (faster)")
    parser.add_argument("--templates", type=Path, default=None, metavar="DIR", help=TEMPLATES_HELP)
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--full", action="store_true", help="rebuild every page, ignoring the previous build's "
                                                            "manifest (default: rebuild only what changed)")
    parser.add_argument("--wait", type=float, default=600.0, metavar="SECONDS",
                        help="how long to wait for another build of the same output folder to finish "
                             "before giving up (default: 600)")
    parser.add_argument("--publish", choices=("standby", "copy"), default="standby",
                        help="standby (default): write only the files that changed into the standby copy of the "
                             "site beside it, then exchange the two in one step; copy: write a complete new folder "
                             "each build (README, Publishing)")
    parser.add_argument("--no-site-url-note", action="store_true",
                        help="don't repeat the note on an unset site_url (serve's rebuilds: said once per session)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only errors and the summary")
    args = parser.parse_args(argv)

    from sitegen.options import SiteOptions
    from sitegen.pipeline import BuildError, build
    from sitegen.options import check_base_url, check_templates
    from sitegen.write import OutputError

    refusal = refuse_out(args.corpus, args.out) or (
        f"--base-url {problem.rstrip('.')}" if (problem := check_base_url(args.base_url)) else "") or (
        f"--templates {problem}" if (problem := check_templates(args.templates)) else "")
    if refusal:
        print(f"Build failed: {refusal}. Nothing was written.", file=sys.stderr)
        return 2
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))
    say(f"Building {args.out} from {args.corpus} ...")
    start = time.perf_counter()
    try:
        options = SiteOptions(base_url=args.base_url, search=not args.no_search, templates=args.templates)
        report = build(args.corpus, args.out, options, strict=args.strict, incremental=not args.full,
                       publish=args.publish, wait=args.wait,
                       on_wait=lambda message: print(message, file=sys.stderr, flush=True), on_gathered=on_gathered)
    except OutputError as exc:
        print(f"Build failed: {exc}. {unchanged(exc, args.out)}", file=sys.stderr)
        return 2
    except BuildError as exc:
        errors = [p for p in exc.problems if p.severity == "error"]
        for p in exc.problems:
            print(p, file=sys.stderr)
        print(f"\nBuild failed: {len(errors)} error(s), {len(exc.problems) - len(errors)} warning(s). "
              f"{unchanged(exc, args.out, 'Nothing was written; ')}", file=sys.stderr)
        return 1
    except OSError as exc:  # reading rather than writing (writing is an OutputError): name the file
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"Build failed: {where}{exc.strerror or exc}. {unchanged(exc, args.out)}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - any other failure is reported in one line, site untouched
        # A template's error (jinja2's TemplateSyntaxError, of a --templates folder's file too) names its file.
        where = f"{exc.filename}, line {exc.lineno}: " if getattr(exc, "filename", None) and getattr(exc, "lineno", None) else ""
        print(f"Build failed: {where}{type(exc).__name__}: {exc}. {unchanged(exc, args.out)}", file=sys.stderr)
        return 2
    for note in report.recovered:
        print(f"Note: {note}.", file=sys.stderr)
    if not report.site_url and not args.no_site_url_note:
        say(NO_SITE_URL)
    for w in report.warnings:
        say(w)
    if report.cards:
        say(f"Social cards: {report.cards} ({report.cards_drawn} drawn, the others unchanged)")
    stages = ", ".join(f"{k} {v:.2f}s" for k, v in report.stages.items())
    say(f"Stages: {stages}")
    print(f"Built {report.plans} plans, {report.targets} targets (and {report.parts} parts of targets), "
          f"{report.pages} pages "
          f"({report.files} files, {report.bytes / 1e6:.1f} MB), {len(report.warnings)} warning(s) "
          f"in {time.perf_counter() - start:.1f} s.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
