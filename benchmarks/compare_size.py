"""The compare page at scale: the time of its page jobs and the size of its files, for a corpus.

    python benchmarks/compare_size.py CORPUS [--code DIR]

Gathers the corpus, runs and renders every compare job (both languages) in this process and prints
one JSON line: plans; the jobs' total time (a clean build) and the page job's; on a split site the
mean and longest unit job (what a one-plan edit makes again: its unit's two jobs); the files, their
total size, the largest file and the page's own size. --code measures another checkout's sitegen
(main, say) on the same corpus, for a before/after.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent)
    args = ap.parse_args(argv)
    sys.path.insert(0, str(args.code))
    from sitegen.pages import kits, page_jobs
    from sitegen.pipeline import gather
    from sitegen.render import environment, render_page

    start = time.perf_counter()
    site = gather(args.corpus, workers=2).site
    gathered = time.perf_counter() - start
    ks, env = kits(site), environment()
    sizes: dict[str, int] = {}
    times: dict[str, float] = {}
    for job in (j for j in page_jobs(site) if j.make.__module__.endswith(".compare")):
        start = time.perf_counter()
        for page in job.run(ks[job.lang]):
            sizes[page.path] = len(render_page(env, page))
        times[f"{job.name} {job.lang}"] = time.perf_counter() - start
    units = [v for k, v in times.items() if "compare_unit" in k]
    largest = max(sizes, key=sizes.get)
    print(json.dumps({
        "plans": len(site.corpus.plans), "gather_s": round(gathered, 1), "jobs": len(times),
        "jobs_s": round(sum(times.values()), 2),
        "page_jobs_s": {k: round(v, 2) for k, v in times.items() if "compare_unit" not in k},
        "unit_job_s_mean": round(sum(units) / len(units), 3) if units else None,
        "unit_job_s_max": round(max(units), 3) if units else None,
        "files": len(sizes), "total_MB": round(sum(sizes.values()) / 1e6, 2),
        "largest": [largest, sizes[largest]], "compare_html": sizes.get("compare.html")}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
