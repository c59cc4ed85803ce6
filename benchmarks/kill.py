"""The SIGKILL experiment: builds killed at a random moment never leave a broken site.

    python benchmarks/kill.py                      # 10 rounds on the real corpus, with the search index
    python benchmarks/kill.py --plans 60 --rounds 10   # a generated corpus (plan pages in worker processes)

Two corpora, A (the given one) and B (A with one plan's title changed), are first built into
reference folders: every file of each site, by hash. Then A is built into the output folder, and
each round starts `python build.py` of the other corpus, kills it with SIGKILL at a moment drawn
uniformly from the time a build takes, and checks the output folder at once: it must be exactly the
old site or exactly the new one (or, killed between the two renames of the copy mode's swap, absent
with the swap journal beside it, which the next build completes). Then a normal build of the same
corpus must succeed and leave exactly the new site. It prints what it saw, round by round, and the
totals. `--publish copy` runs the builds in the copy mode (default: the standby mode, where a killed
build leaves the standby tree half changed, with its log, `.site.standby-log`, which the next build
settles).
"""
from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_PY = ROOT / "build.py"


def site_hashes(folder: Path) -> dict[str, str] | None:
    """Every file of a folder by hash (None when the folder does not exist)."""
    if not folder.is_dir():
        return None
    return {str(p.relative_to(folder)): hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def command(corpus: Path, out: Path, search: bool, publish: str = "standby") -> list[str]:
    return [sys.executable, str(BUILD_PY), "--corpus", str(corpus), "--out", str(out), "-q", "--publish", publish,
            *([] if search else ["--no-search"])]


def build(corpus: Path, out: Path, search: bool, publish: str = "standby") -> tuple[subprocess.CompletedProcess, float]:
    """A normal build (a subprocess) and its wall time."""
    start = time.perf_counter()
    result = subprocess.run(command(corpus, out, search, publish), capture_output=True, text=True, cwd=ROOT,
                            timeout=900)
    return result, time.perf_counter() - start


def changed_copy(corpus: Path, dest: Path) -> Path:
    """A copy of a corpus with a paragraph added to the end of its first plan's text (its site differs
    in a few files)."""
    shutil.copytree(corpus, dest)
    md = sorted((dest / "plans").glob("*.md"))[0]
    md.write_text(md.read_text(encoding="utf-8").rstrip("\n") + "\n\nĐoạn thêm cho thử nghiệm.\n", encoding="utf-8")
    return dest


def state_of(out: Path, old: dict, new: dict) -> str:
    """What a killed build left: the old site, the new site, the swap half done, or something else."""
    found = site_hashes(out)
    if found == old:
        return "old"
    if found == new:
        return "new"
    journal = out.with_name(f".{out.name}.swap")
    if found is None and journal.is_file():
        return "mid-swap"
    return "BROKEN"


def run(corpus_a: Path, corpus_b: Path, work: Path, *, rounds: int = 10, seed: int = 1, search: bool = True,
        log=print, publish: str = "standby") -> list[dict]:
    """The experiment (see the module's docstring); one record per round."""
    rng = random.Random(seed)
    refs, took, corpora = {}, [], {"A": corpus_a, "B": corpus_b}
    for name, corpus in corpora.items():
        result, seconds = build(corpus, work / f"ref-{name}", search, "copy")
        if result.returncode != 0:
            raise RuntimeError(f"the reference build of {corpus} failed: {result.stderr}")
        refs[name] = site_hashes(work / f"ref-{name}")
        took.append(seconds)
    out = work / "site"
    result, _ = build(corpus_a, out, search, publish)
    assert result.returncode == 0, result.stderr
    # The killed builds replace a site (incremental builds, faster than the reference builds): the
    # moments are drawn over the time such a build takes, measured here both ways.
    rebuilds = []
    for corpus in (corpus_b, corpus_a):
        result, seconds = build(corpus, out, search, publish)
        assert result.returncode == 0, result.stderr
        rebuilds.append(seconds)
    span = max(rebuilds) * 1.1
    log(f"reference builds: {len(refs['A'])} files each, {took[0]:.2f} s and {took[1]:.2f} s; rebuilds "
        f"{rebuilds[0]:.2f} s and {rebuilds[1]:.2f} s; kills drawn uniformly in 0-{span:.2f} s")
    current = "A"
    records = []
    for n in range(1, rounds + 1):
        target = "B" if current == "A" else "A"
        delay = rng.uniform(0, span)
        proc = subprocess.Popen(command(corpora[target], out, search, publish), cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        time.sleep(delay)
        finished = proc.poll() is not None
        if not finished:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        staging = sorted(p.name for p in work.iterdir() if p.name.startswith(".site.staging."))
        standby_log = (work / ".site.standby-log").exists()
        state = state_of(out, refs[current], refs[target])
        after, seconds = build(corpora[target], out, search, publish)
        notes = [line for line in after.stderr.splitlines() if line.startswith(("Note:", "Waiting"))]
        # Then the standby holds the site one build earlier, complete: the next build starts from it.
        standby = site_hashes(work / ".site.standby")
        ok = after.returncode == 0 and site_hashes(out) == refs[target] and standby in (None, *refs.values())
        records.append({"round": n, "kill_at": round(delay, 3), "killed": not finished, "state": state,
                        "staging_left": len(staging), "standby_log_left": standby_log, "next_build_ok": ok, "next_build_s": round(seconds, 2),
                        "notes": notes, "stderr": "" if ok else after.stderr})
        what = f"killed at {delay:5.2f} s" if not finished else f"finished before {delay:5.2f} s"
        log(f"round {n:2}: {what} -> site/ {state:6} (staging folders left: {len(staging)}; standby log left: "
            f"{'yes' if standby_log else 'no'}); "
            f"next build {'ok' if ok else 'FAILED'} in {seconds:.2f} s" + (f"; {'; '.join(notes)}" if notes else ""))
        current = target
    return records


def summary(records: list[dict]) -> str:
    """The totals, in one paragraph."""
    states = Counter(r["state"] for r in records if r["killed"])
    shown = ", ".join(f"{k}: {v}" for k, v in sorted(states.items()))
    finished = sum(not r["killed"] for r in records)
    good = sum(r["next_build_ok"] for r in records)
    recovered = sum(bool(r["notes"]) for r in records)
    logs = sum(r["standby_log_left"] for r in records if r["killed"])
    return (f"{len(records) - finished} builds killed with SIGKILL at a random moment ({finished} more finished "
            f"before their moment came); site/ right after each kill: {shown} (BROKEN = neither the old nor the "
            f"new site); next build succeeded with exactly the new site: "
            f"{good} of {len(records)}; next builds that settled what the killed build left (a note): {recovered}; "
            f"kills that left the standby half changed (its log), settled by the next build: {logs}.")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--plans", type=int, default=0, help="a generated corpus of this many plans (default: the "
                                                         "real corpus)")
    ap.add_argument("--no-search", action="store_true", help="build without the search index")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/kehoach-kill"))
    ap.add_argument("--publish", choices=("standby", "copy"), default="standby", help="the builds' publishing mode")
    args = ap.parse_args(argv)
    work = args.workdir
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if args.plans:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import generate

        corpus = generate.generate(args.plans, work / "corpus-a", seed=args.seed)
    else:
        corpus = work / "corpus-a"
        shutil.copytree(ROOT / "corpus", corpus)
    other = changed_copy(corpus, work / "corpus-b")
    records = run(corpus, other, work, rounds=args.rounds, seed=args.seed, search=not args.no_search,
                  publish=args.publish)
    print(summary(records))
    shutil.rmtree(work, ignore_errors=True)
    bad = [r for r in records if r["state"] == "BROKEN" or not r["next_build_ok"]]
    for r in bad:
        print(f"round {r['round']}: {r['state']}; {r['stderr']}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
