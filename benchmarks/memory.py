"""Where a build's memory goes: the PSS of each of its processes over time, and what is at the peak.

    python benchmarks/memory.py CORPUS OUT [--trace] [--every 0.5] [--csv FILE]

Runs one full build (no search, not incremental) in a subprocess and samples the proportional set
size (PSS: a page shared by n processes counts 1/n in each) of the build process and of each of its
workers every --every seconds, as benchmarks/run.py's measure() does for the peak. Prints the peak of
the sum, each process's share at that moment, each process's own peak, and the stage the build was
in (the build prints a line at each stage it starts). --trace also runs tracemalloc in the build
process and prints the 25 largest holders (by line) after gather and at the traced peak; tracemalloc
itself slows the build and adds to its memory, so read the PSS of a run without it.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# Run in the subprocess: the build, with a line on stderr at each stage it reaches (and tracemalloc).
CHILD = r'''
import sys, time, threading
from pathlib import Path
sys.path.insert(0, sys.argv[1])
trace = sys.argv[4] == "1"
if trace:
    import tracemalloc
    tracemalloc.start(1)
import sitegen.pipeline as pl

T0 = time.perf_counter()

def mark(what):
    print(f"@stage {time.perf_counter() - T0:.2f} {what}", file=sys.stderr, flush=True)

def top(label, limit=25):
    import tracemalloc
    snap = tracemalloc.take_snapshot()
    stats = snap.statistics("lineno")
    total = sum(s.size for s in stats)
    print(f"@top {label}: traced {total / 2**20:.0f} MiB", file=sys.stderr, flush=True)
    for s in stats[:limit]:
        f = s.traceback[0]
        print(f"@top   {s.size / 2**20:8.1f} MiB {s.count:9d} blocks  {f.filename.split('/sitegen/')[-1]}:{f.lineno}",
              file=sys.stderr, flush=True)

_timed = pl._timed
def timed(report, stage, fn, *a, **kw):
    mark(stage)
    return _timed(report, stage, fn, *a, **kw)
pl._timed = timed
_gather = pl.gather
def gather(*a, **kw):
    mark("gather")
    g = _gather(*a, **kw)
    mark("gathered")
    if trace:
        top("after gather")
    return g
pl.gather = gather
_write = pl.write_output
def write_output(*a, **kw):
    if trace:
        import tracemalloc
        tracemalloc.reset_peak()
        best = [0]
        stop = threading.Event()
        def watch():
            # A snapshot whenever the traced memory is a tenth above the last one taken.
            while not stop.wait(1.0):
                cur, _ = tracemalloc.get_traced_memory()
                if cur > best[0] * 1.1:
                    best[0] = cur
                    top(f"in write_output at {time.perf_counter() - T0:.1f} s", 12)
        t = threading.Thread(target=watch, daemon=True)
        t.start()
    try:
        return _write(*a, **kw)
    finally:
        mark("written")
        if trace:
            stop.set()
            print(f"@top traced peak in write_output {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MiB",
                  file=sys.stderr, flush=True)
pl.write_output = write_output
r = pl.build(Path(sys.argv[2]), Path(sys.argv[3]), search=False, incremental=False)
mark("done")
print(f"plans {r.plans} pages {r.pages} files {r.files}", flush=True)
'''


def sample(cmd: list[str], every: float, csv: Path | None) -> dict:
    """Run cmd, sampling each process's PSS; return the samples and the stage lines."""
    import psutil

    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    start = time.perf_counter()
    samples: list[tuple[float, dict[int, int]]] = []
    stages: list[tuple[float, str]] = []
    other: list[str] = []
    done = threading.Event()

    def read_err():
        for line in proc.stderr:
            if line.startswith("@stage "):
                stages.append((time.perf_counter() - start, line.split(" ", 2)[2].strip()))
            else:
                other.append(line.rstrip("\n"))
                if line.startswith("@top"):
                    print(line[5:].rstrip(), flush=True)

    def watch():
        root = psutil.Process(proc.pid)
        while not done.is_set():
            now = {}
            try:
                for p in [root, *root.children(recursive=True)]:
                    try:
                        now[p.pid] = p.memory_full_info().pss
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            samples.append((time.perf_counter() - start, now))
            done.wait(every)

    threads = [threading.Thread(target=read_err, daemon=True), threading.Thread(target=watch, daemon=True)]
    for t in threads:
        t.start()
    out = proc.stdout.read()
    proc.wait()
    done.set()
    for t in threads:
        t.join(5)
    if proc.returncode != 0:
        sys.exit("build failed:\n" + "\n".join(other[-30:]))
    if csv:
        with csv.open("w") as f:
            f.write("seconds,pid,pss\n")
            for t, now in samples:
                for pid, pss in now.items():
                    f.write(f"{t:.2f},{pid},{pss}\n")
    return {"samples": samples, "stages": stages, "out": out, "root": proc.pid}


def stage_at(stages: list[tuple[float, str]], t: float) -> str:
    """The last stage the build had started at time t."""
    last = "start"
    for when, what in stages:
        if when <= t:
            last = what
    return last


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("out", type=Path)
    ap.add_argument("--trace", action="store_true", help="tracemalloc the build process (slower)")
    ap.add_argument("--every", type=float, default=0.5, help="seconds between samples (default 0.5)")
    ap.add_argument("--csv", type=Path, help="write every sample (seconds, pid, pss) to this file")
    ap.add_argument("--code", type=Path, default=ROOT, help="the checkout to build with (default: this one)")
    args = ap.parse_args(argv)
    cmd = [sys.executable, "-c", CHILD, str(args.code), str(args.corpus), str(args.out), "1" if args.trace else "0"]
    t = time.perf_counter()
    r = sample(cmd, args.every, args.csv)
    wall = time.perf_counter() - t
    samples, root = r["samples"], r["root"]
    if not samples:
        sys.exit("no samples")
    t_peak, at_peak = max(samples, key=lambda s: sum(s[1].values()))
    own: dict[int, int] = {}
    for _, now in samples:
        for pid, pss in now.items():
            own[pid] = max(own.get(pid, 0), pss)
    mib = 2 ** 20
    print(r["out"].strip())
    print(f"wall {wall:.1f} s; stages: " + ", ".join(f"{w} {s:.0f}s" for s, w in r["stages"]))
    print(f"peak PSS {sum(at_peak.values()) / mib:.0f} MiB at {t_peak:.0f} s ({stage_at(r['stages'], t_peak)}), "
          f"{len(at_peak)} processes: " + ", ".join(
              f"{'main' if pid == root else 'worker'} {pss / mib:.0f}" for pid, pss in
              sorted(at_peak.items(), key=lambda kv: (kv[0] != root, -kv[1]))))
    print("each process's own peak (MiB): " + ", ".join(
        f"{'main' if pid == root else pid} {pss / mib:.0f}" for pid, pss in
        sorted(own.items(), key=lambda kv: (kv[0] != root, -kv[1]))))
    gathered = next((s for s, w in r["stages"] if w == "gathered"), None)
    if gathered is not None:
        after = next((now for t, now in samples if t >= gathered), {})
        print(f"main process after gather: {after.get(root, 0) / mib:.0f} MiB")


if __name__ == "__main__":
    main()
