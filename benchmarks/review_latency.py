"""How long the preview server takes to check and write one reviewer's decision on a draft.

    python benchmarks/review_latency.py                 # the real corpus
    python benchmarks/review_latency.py --plans 300     # a generated corpus of 300 plans

Copies the corpus, replaces Quảng Ninh's curated 2021 plan by ingest's draft of its source (23
candidates), then times, for each candidate, what the endpoint does before answering
(sitegen.serve_review: the build's checks on a hard-linked copy of the corpus, before and after the
change, then the atomic write), and the review data added to the draft's page. The rebuild that
follows is the ordinary one (benchmarks/serve_latency.py). Prints medians and ranges; nothing is
asserted: the machine is shared and noisy.
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from sitegen.ingest.__main__ import main as ingest  # noqa: E402
from sitegen.ingest.review_edit import accept_candidate, open_items, read_record, write_record  # noqa: E402
from sitegen.serve_review import Reviewer, check  # noqa: E402

PLAN = "quang-ninh-2021-27-kh-ubnd"
SOURCE = ROOT / "corpus" / "sources" / "000_fe96a9b176375939.txt"


def _span(values: list[float]) -> str:
    return f"median {statistics.median(values) * 1000:.0f} ms (range {min(values) * 1000:.0f}–{max(values) * 1000:.0f})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=0, help="a generated corpus of N plans (default: the real one)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="review-latency-") as tmp:
        corpus = Path(tmp) / "corpus"
        if args.plans:
            import generate

            generate.generate(args.plans, corpus, args.seed)
        else:
            shutil.copytree(ROOT / "corpus", corpus)
        for suffix in (".md", ".yaml"):
            (corpus / "plans" / f"{PLAN}{suffix}").unlink(missing_ok=True)
        if ingest([str(SOURCE), "--corpus", str(corpus)]) != 0:
            return 1
        plans = len(list((corpus / "plans").glob("*.md")))
        reviewer, page = Reviewer(corpus), b"<html><head></head><body></body></html>"
        shown, decided = [], []
        for c in open_items(read_record(corpus, PLAN))["candidates"]:
            start = time.perf_counter()
            reviewer.page(f"/plans/{PLAN}.html", page, "127.0.0.1:8000", 8000)
            shown.append(time.perf_counter() - start)
            start = time.perf_counter()
            changed = accept_candidate(read_record(corpus, PLAN), c["id"])
            assert check(corpus, changed, strict=False) == []
            write_record(corpus, changed)
            decided.append(time.perf_counter() - start)
        print(f"corpus: {plans} plans (one a draft of {len(decided)} candidates)")
        print(f"review data added to the draft's page: {_span(shown)}")
        print(f"one decision checked by the build and written: {_span(decided)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
