"""Speed at scale: build synthetic corpora of N plans and compare with Hugo, MkDocs, Pelican and a
bare markdown-it-py + jinja2 loop on the same plan texts. See benchmarks/README.md.

    python benchmarks/run.py --sizes 100 1000 10000

Prints a table and writes benchmarks/results.md (unless --no-write).
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import others  # noqa: E402
from sizes import by_kind, kinds_table  # noqa: E402

MKDOCS_MAX = 1000  # MkDocs slows sharply as its nav grows (~17 pages/s at 5,000): not run above this


# ---------------------------------------------------------------- our build, measured from outside

BUILD_ONE = r'''
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from sitegen.pipeline import build
start = time.perf_counter()
r = build(Path(sys.argv[2]), Path(sys.argv[3]), search=sys.argv[4] == "1", incremental=sys.argv[5] == "1")
print(json.dumps({"wall": time.perf_counter() - start, "plans": r.plans, "pages": r.pages, "files": r.files,
                  "bytes": r.bytes, "written": r.written, "stages": r.stages, "warnings": len(r.warnings),
                  "cards": r.cards, "cards_drawn": r.cards_drawn}))
'''


def measure(cmd: list[str], timeout: float, *, pss: bool = True) -> tuple[str, float, int, int]:
    """Run cmd; return (stdout, wall seconds, peak RSS and peak PSS in bytes of the process and its
    children, summed over the process tree, sampled every 20 ms (PSS every 100 ms; 0 when not pss)).

    RSS counts a page shared by the forked workers in each of them; PSS (proportional set size)
    divides it among them, so the PSS sum is the memory the build really takes. Reading a process's
    PSS makes the kernel walk its page tables (psutil's memory_full_info: 31 ms for a 1.7 GB process,
    against 0.01 ms for its RSS): every 100 ms over a 10,000-plan build's three processes that is most
    of a core of a 2-core machine, so a build whose time counts is run with pss=False."""
    import psutil

    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=others.user_env())
    peak = [0]
    peak_pss = [0]
    want_pss = pss
    done = threading.Event()

    def sample():
        try:
            root = psutil.Process(proc.pid)
        except psutil.Error:
            return
        tick = 0
        while not done.is_set():
            total = pss = 0
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                        if want_pss and tick % 5 == 0:
                            pss += p.memory_full_info().pss
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            peak[0] = max(peak[0], total)
            peak_pss[0] = max(peak_pss[0], pss)
            tick += 1
            done.wait(0.02)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise
    finally:
        done.set()
        t.join()
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {err[-3000:]}")
    return out, wall, peak[0], peak_pss[0]


def snapshot(work: Path) -> Path:
    """A copy of the code (sitegen/, templates/) to build with, so that edits made to the working tree
    while the benchmark runs neither mix versions nor invalidate the incremental build's manifest."""
    code = work / "code"
    if code.exists():
        shutil.rmtree(code)
    code.mkdir(parents=True)
    for name in ("sitegen", "templates"):
        shutil.copytree(ROOT / name, code / name, ignore=shutil.ignore_patterns("__pycache__"))
    return code


CODE = ROOT  # set to the snapshot by main()


def our_build(corpus: Path, out: Path, *, search: bool, incremental: bool, timeout: float = 3600,
              pss: bool = False) -> dict:
    """One build in its own process: its report, wall time and peak memory (PSS only when asked: measure)."""
    out_s, wall, peak, pss = measure([sys.executable, "-c", BUILD_ONE, str(CODE), str(corpus), str(out),
                                      "1" if search else "0", "1" if incremental else "0"], timeout, pss=pss)
    result = json.loads(out_s.strip().splitlines()[-1])
    result["process_wall"] = wall
    result["peak_rss"] = peak
    result["peak_pss"] = pss
    return result


def edit_one_plan(corpus: Path, n: int) -> Path:
    """Change one plan's data (a target's note, shown on its page and its category page)."""
    plans = sorted((corpus / "plans").glob("*.yaml"))
    victim = plans[len(plans) // 2]
    text = victim.read_text(encoding="utf-8")
    victim.write_text(text.replace('note: ""', f'note: "benchmark edit {n}"', 1), encoding="utf-8")
    return victim


def insert_sentence(corpus: Path, n: int) -> Path:
    """Insert a sentence at the top of one plan's text, after its first heading: every character
    offset after it moves (the citations found in it, the targets' quotes), its values do not."""
    plans = sorted((corpus / "plans").glob("*.md"))
    victim = plans[len(plans) // 3]
    text = victim.read_text(encoding="utf-8")
    end = text.index("\n", text.index("\n# ") + 1) + 1  # after the body's first heading line
    victim.write_text(text[:end] + f"\nCâu thêm cho thử nghiệm {n}.\n" + text[end:], encoding="utf-8")
    return victim


def du(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# ---------------------------------------------------------------- one size


def run_size(n: int, args) -> dict:
    work = Path(args.workdir)
    corpus = work / f"corpus-{n}"
    stamp = corpus / ".stamp"
    want = f"{n} {args.seed} {generate.__file__ and (HERE / 'generate.py').stat().st_mtime_ns}"
    if not (stamp.exists() and stamp.read_text() == want):
        t = time.perf_counter()
        generate.generate(n, corpus, args.seed)
        stamp.write_text(want)
        print(f"  generated {n} plans in {time.perf_counter() - t:.1f} s", flush=True)
    res: dict = {"n": n}
    site = work / f"site-{n}"

    def from_nothing():
        for folder in (site, work / f".site-{n}.cache", work / f".site-{n}.standby"):
            shutil.rmtree(folder, ignore_errors=True)
    # The full build twice from nothing: once with its PSS sampled (the memory it takes), then once
    # timed, with its RSS alone sampled (sampling PSS slows a large build down: see measure).
    from_nothing()
    print(f"  our build (full, {'with' if args.search else 'no'} search), its memory ...", flush=True)
    memory = our_build(corpus, site, search=args.search, incremental=False, pss=True)
    from_nothing()
    print(f"  our build (full), timed: {memory['process_wall']:.1f} s with PSS sampled ...", flush=True)
    full = our_build(corpus, site, search=args.search, incremental=False)
    full["peak_pss"], full["pss_run_wall"] = memory["peak_pss"], memory["process_wall"]
    res["full"] = full
    res["out_bytes"] = du(site)
    res["cards_bytes"] = sum(du(site / lang / "cards") for lang in ("", "en") if (site / lang / "cards").is_dir())
    res["kinds"] = by_kind(site)  # files and bytes by kind of file (benchmarks/sizes.py)
    print("    output by kind: " + ", ".join(f"{k} {v['bytes'] / 1e6:.0f} MB ({v['files']:,})"
                                           for k, v in res["kinds"].items()), flush=True)
    print(f"    {full['process_wall']:.1f} s, {full['pages']} pages, peak RSS {full['peak_rss'] / 2**20:.0f} MiB "
          f"(PSS {full['peak_pss'] / 2**20:.0f} MiB)",
          flush=True)
    # Incremental: one plan's data changed, rebuilt on the full build's output; then a sentence
    # inserted into another plan's text, rebuilt again.
    victim = edit_one_plan(corpus, n)
    try:
        inc = our_build(corpus, site, search=False, incremental=True)
        texted = insert_sentence(corpus, n)
        inc_text = our_build(corpus, site, search=False, incremental=True)
    finally:
        stamp.unlink(missing_ok=True)  # the corpus was edited: regenerate next time
    res["incremental"] = inc
    res["incremental_text"] = inc_text
    print(f"    social cards: {full.get('cards', 0)} ({res['cards_bytes'] / 1e6:.1f} MB of "
          f"{res['out_bytes'] / 1e6:.0f} MB), drawn in {full['stages'].get('cards', 0):.1f} s; "
          f"{inc.get('cards_drawn', 0)} drawn again by the incremental build", flush=True)
    res["incremental_plan"] = victim.stem
    print(f"    incremental after editing {victim.name}: {inc['process_wall']:.1f} s, "
          f"{inc['written']} of {inc['files']} files rewritten", flush=True)
    res["incremental_text_plan"] = texted.stem
    print(f"    incremental after inserting a sentence into {texted.name}: {inc_text['process_wall']:.1f} s, "
          f"{inc_text['written']} of {inc_text['files']} files rewritten", flush=True)
    # Page weights.
    from weights import first_chart, static_weights
    w = static_weights(site)
    res["weights"] = w
    if not args.no_browser:
        try:
            res["browser"] = first_chart(site, w["largest_category"], args.profile)
        except Exception as exc:  # noqa: BLE001 - reported, not fatal
            res["browser"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
        print(f"    category page {w['largest_category']}: {res['browser']}", flush=True)
    # The same texts with the other generators.
    texts = others.plan_texts(corpus)
    res["others"] = {}
    for name in args.others:
        if name == "mkdocs" and n > args.mkdocs_max:
            res["others"][name] = {"skipped": f"not run above {args.mkdocs_max} pages"}
            continue
        try:
            took, pages = others.GENERATORS[name](texts, work / f"{name}-{n}")
            res["others"][name] = {"seconds": took, "pages": pages, "pages_per_s": pages / took}
            print(f"    {name}: {took:.1f} s, {pages / took:.0f} pages/s", flush=True)
        except Exception as exc:  # noqa: BLE001
            res["others"][name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
            print(f"    {name}: {res['others'][name]['error']}", flush=True)
        shutil.rmtree(work / f"{name}-{n}", ignore_errors=True)
    if not args.keep:
        shutil.rmtree(site, ignore_errors=True)
    return res


# ---------------------------------------------------------------- report


def machine() -> dict:
    cpu = ""
    try:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), "")
    except OSError:
        pass
    hugo = subprocess.run(["hugo", "version"], capture_output=True, text=True).stdout.strip() \
        if shutil.which("hugo") else "not installed"
    versions = {}
    for mod in ("mkdocs", "pelican", "jinja2", "markdown_it"):
        try:
            m = __import__(mod)
            versions[mod] = getattr(m, "__version__", "?")
        except Exception:  # noqa: BLE001
            versions[mod] = "not installed"
    if versions.get("pelican") == "?":
        try:
            from importlib.metadata import version
            versions["pelican"] = version("pelican")
        except Exception:  # noqa: BLE001
            pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "date": subprocess.run(["date"], capture_output=True,
                                                                          text=True).stdout.strip(),
            "python": platform.python_version(), "hugo": hugo, **versions,
            "load": " ".join(f"{x:.2f}" for x in os.getloadavg())}


def _ratio(ours: float, other: dict | None) -> str:
    if not other or "pages_per_s" not in other:
        return "—" if not other else ("skipped" if "skipped" in other else "error")
    return f"{ours / other['pages_per_s']:.2f}"


def table(results: list[dict]) -> str:
    head = ("| N | seconds | pages | pages/s | plan pages/s | peak RSS MiB (PSS) | output MB | ×Hugo | ×MkDocs | "
            "×Pelican | ×bare loop | YAML edit: s (files rewritten) | text edit: s (files rewritten) | "
            "largest plan page KB | "
            "category page KB (gzip) | category transfer KB / chart visible s (static) / interactive s |")
    lines = [head, "|" + "---|" * 16]
    for r in results:
        f, inc, w = r["full"], r["incremental"], r["weights"]
        txt = r.get("incremental_text") or {}
        text_cell = (f"{txt['process_wall']:.1f} ({txt['written']:,} of {txt['files']:,})" if txt
                     else "not measured")
        wall = f["process_wall"]
        pps = f["pages"] / wall
        plan_pps = 2 * r["n"] / wall  # both languages
        b = r.get("browser") or {}
        chart = (f"{b['transfer_kb']:.0f} / {b.get('static_chart_s', 0):.1f} s / {b['first_chart_s']:.1f} s ({b['profile']})"
                 if "first_chart_s" in b else b.get("error", "not measured"))
        o = r["others"]
        lines.append(
            f"| {r['n']:,} | {wall:.1f} | {f['pages']:,} | {pps:.0f} | {plan_pps:.0f} | "
            f"{f['peak_rss'] / 2**20:.0f} ({f.get('peak_pss', 0) / 2**20:.0f}) | {r['out_bytes'] / 1e6:.0f} | {_ratio(plan_pps, o.get('hugo'))} | "
            f"{_ratio(plan_pps, o.get('mkdocs'))} | {_ratio(plan_pps, o.get('pelican'))} | "
            f"{_ratio(plan_pps, o.get('bare'))} | {inc['process_wall']:.1f} ({inc['written']:,} of {inc['files']:,}) | "
            f"{text_cell} | "
            f"{w['largest_plan_kb']:.0f} | {w['largest_category_kb']:.0f} ({w['largest_category_gzip_kb']:.0f}) | "
            f"{chart} |")
    return "\n".join(lines)


def others_table(results: list[dict]) -> str:
    lines = ["| N | Hugo p/s | MkDocs p/s | Pelican p/s | bare loop p/s |", "|---|---|---|---|---|"]
    for r in results:
        cells = []
        for name in ("hugo", "mkdocs", "pelican", "bare"):
            o = r["others"].get(name) or {}
            cells.append(f"{o['pages_per_s']:.0f} ({o['seconds']:.1f} s)" if "pages_per_s" in o
                         else o.get("skipped") or o.get("error") or "—")
        lines.append(f"| {r['n']:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def stages_table(results: list[dict]) -> str:
    names: list[str] = []
    for r in results:
        for k in r["full"]["stages"]:
            if k not in names:
                names.append(k)
    lines = ["| N | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for r in results:
        st = r["full"]["stages"]
        lines.append(f"| {r['n']:,} | " + " | ".join(f"{st[k]:.1f}" if k in st else "—" for k in names) + " |")
    return "\n".join(lines)


def report(results: list[dict], m: dict, args) -> str:
    return "\n".join([
        "# Benchmark results", "",
        f"Machine: {m['nproc']} cores (`nproc`), {m['cpu']}; {m['date']}; Python {m['python']}; "
        f"load average at the end {m['load']}.",
        f"Generators: {m['hugo']}; MkDocs {m['mkdocs']}; Pelican {m['pelican']}; jinja2 {m['jinja2']}, "
        f"markdown-it-py {m['markdown_it']}.",
        f"Command: `python benchmarks/run.py --sizes {' '.join(map(str, args.sizes))}` (seed {args.seed}; "
        f"search index {'on' if args.search else 'off'}; throttling profile {args.profile}; code at "
        f"{getattr(args, 'code', '?')}).", "",
        "Seconds are the wall time of the whole build process (start-up included); pages are every page of "
        "the site in both languages; plan pages/s is 2 × N / seconds (each plan has a page in each language); "
        "×Hugo etc. divide our plan pages/s by their pages/s on the same plan texts as Markdown pages (one "
        "language). Peak RSS is summed over the build process and its worker processes (shared pages counted "
        "in each); PSS in brackets divides each shared page among the processes sharing it (the memory the "
        "build really takes), measured in a full build of its own, before the timed one: sampling PSS makes the "
        "kernel walk each process's page tables (31 ms a sample of a 1.7 GB process: every 100 ms over a "
        "10,000-plan build's three processes, most of one of this machine's two cores); the timed builds "
        "sample RSS only. YAML edit: one plan's data changed (a target's note), then a rebuild on the full "
        "build's output; text edit: then a sentence inserted at the top of another plan's text, and a rebuild.",
        "", table(results), "", "## The same texts with other generators", "", others_table(results), "",
        "## Stages of our full build (seconds; `plan pages` is the workers' time on the plan pages, summed over "
        "the workers: they make them, after the pages of provinces, categories and instruments, while this "
        "process runs `pages` .. `publish`; `chart pages` and `cards` are this process's keying plus the "
        "workers' time making them, summed, after the plan pages)", "", stages_table(results), "",
        "## Social cards (one PNG per chart, category and province, in each language; plans use their "
        "province's)", "", cards_table(results), "",
        "## Output by kind (files and MB of the full build, both languages; benchmarks/sizes.py says which "
        "paths make each kind)", "", kinds_table(results), "",
    ])


def cards_table(results: list[dict]) -> str:
    lines = ["| N | cards | size (MB) | share of the site | seconds to draw (full build) | drawn again (incremental) |",
             "|---|---|---|---|---|---|"]
    for r in results:
        f, inc = r["full"], r["incremental"]
        lines.append(f"| {r['n']:,} | {f.get('cards', 0):,} | {r.get('cards_bytes', 0) / 1e6:.1f} | "
                     f"{100 * r.get('cards_bytes', 0) / max(1, r['out_bytes']):.1f} % | "
                     f"{f['stages'].get('cards', 0):.1f} | {inc.get('cards_drawn', 0)} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--workdir", default="/tmp/kehoach-bench")
    ap.add_argument("--others", nargs="*", default=["hugo", "mkdocs", "pelican", "bare"])
    ap.add_argument("--mkdocs-max", type=int, default=MKDOCS_MAX)
    ap.add_argument("--search", action="store_true", help="include the Pagefind index in our build")
    ap.add_argument("--no-browser", action="store_true", help="skip the throttled Chromium measurement")
    ap.add_argument("--profile", default="Slow 4G", choices=["Slow 4G", "3G"])
    ap.add_argument("--keep", action="store_true", help="keep the built sites in the work folder")
    ap.add_argument("--json", type=Path, help="also write the raw results as JSON")
    ap.add_argument("--results", type=Path, default=HERE / "results.md")
    ap.add_argument("--no-write", action="store_true", help="print only; do not write results.md")
    args = ap.parse_args(argv)
    Path(args.workdir).mkdir(parents=True, exist_ok=True)
    global CODE
    CODE = snapshot(Path(args.workdir))
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                            text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "sitegen", "templates"],
                           capture_output=True, text=True).stdout.strip()
    args.code = f"{commit}{' with uncommitted changes' if dirty else ''}"
    results = []
    for n in args.sizes:
        print(f"N = {n:,}", flush=True)
        results.append(run_size(n, args))
        if args.json:
            args.json.write_text(json.dumps(results, indent=1))
    m = machine()
    text = report(results, m, args)
    print()
    print(text)
    if not args.no_write:
        old = args.results.read_text(encoding="utf-8") if args.results.exists() else ""
        notes = old[old.index("\n## Notes"):] if "\n## Notes" in old else ""
        args.results.write_text(text + notes + ("" if notes.endswith("\n") or not notes else "\n"),
                                encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
