"""How long `python build.py serve` takes from saving a file to the open page showing the change.

    python benchmarks/serve_latency.py                 # the real corpus, 5 rounds of each edit
    python benchmarks/serve_latency.py --plans 1000    # a generated corpus of 1,000 plans

Starts the preview server on a copy of the corpus (and a temporary output folder), opens a plan page
in headless Chromium (Debian's, /usr/bin/chromium), then, round after round, saves an edit and waits
until the page has reloaded itself and shows it. Four edits: that plan's title, a YAML value of it
(its first target's note), a sentence inserted into its text (each: the page first, made by the
warm worker from the last build's data, then the incremental build) and a category's name in
taxonomy.yaml (a lookup table: no preview, every page is made again). Prints, per edit, the median
and range of: save -> page reloaded with the change; save -> the build that follows finished (the
whole site on disk); the build as the server timed it; the build as build.py timed it (inside the
warm worker). Nothing is asserted: the machine is shared and noisy.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(HERE))

from serving import Served  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _suffixed(path: Path, key: str, n: int) -> str:
    """Add " (sửa n)" to the first `key:` line's value (plain or double-quoted) and save; the new value."""
    text = path.read_text(encoding="utf-8")
    line = re.search(rf'^(\s*{key}: )("?)(.*?)\2$', text, re.M)
    value = re.sub(r" \(sửa \d+\)$", "", line.group(3)) + f" (sửa {n})"
    path.write_text(text[:line.start()] + line.group(1) + line.group(2) + value + line.group(2) + text[line.end():],
                    encoding="utf-8")
    return value


def _edit_title(corpus: Path, plan: str, n: int) -> str:
    return _suffixed(corpus / "plans" / f"{plan}.md", "title", n)


def _edit_note(corpus: Path, plan: str, n: int) -> str:
    path = corpus / "plans" / f"{plan}.yaml"
    text = path.read_text(encoding="utf-8")
    line = re.search(r"^    note: .*$", text, re.M)
    value = f"Ghi chú đo {n}"
    path.write_text(text[:line.start()] + f'    note: "{value}"' + text[line.end():], encoding="utf-8")
    return value


def _edit_text(corpus: Path, plan: str, n: int) -> str:
    """Insert a sentence (a paragraph of its own) after the text's first heading."""
    path = corpus / "plans" / f"{plan}.md"
    text = re.sub(r"\nCâu chèn thêm để đo \d+\.\n", "", path.read_text(encoding="utf-8"))
    head = re.search(r"^# .*\n", text[text.index("\n---\n") + 5:], re.M)
    at = text.index("\n---\n") + 5 + head.end()
    sentence = f"Câu chèn thêm để đo {n}."
    path.write_text(text[:at] + f"\n{sentence}\n" + text[at:], encoding="utf-8")
    return sentence


def _edit_category(corpus: Path, plan: str, n: int) -> str:
    return _suffixed(corpus / "taxonomy.yaml", "vi", n)  # the first category's Vietnamese name


def measure(server: Served, page, plan: str, edit, rounds: int, first: int) -> list[tuple[float, ...]]:
    """Rounds of: edit, wait for the open page to reload with the change, then for the build; (save->reload,
    save->build finished, build as the server timed it, build as build.py timed it) each."""
    figures = []
    for n in range(first, first + rounds):
        page.evaluate("() => { window.__before = true; }")
        seen = len(server.output())
        start = time.perf_counter()
        text = edit(server.corpus, plan, n)
        page.wait_for_function("t => !window.__before && (document.body.textContent.includes(t) || "
                               "document.getElementById('serve-error'))", arg=text, timeout=600_000)
        if page.locator("#serve-error").count():
            raise SystemExit(f"the edit broke the build:\n{page.text_content('#serve-error')}")
        reload = time.perf_counter() - start
        said = server.wait_until(lambda: re.search(r"Built in ([\d.]+) s", server.output()[seen:]), 600,
                                 "the build's line")
        complete = time.perf_counter() - start  # within the 0.1 s of the poll
        inside = re.findall(r"warning\(s\) in ([\d.]+) s\.", server.output()[seen:])
        figures.append((reload, complete, float(said.group(1)), float(inside[-1]) if inside else float("nan")))
        time.sleep(0.5)  # let the page settle before the next save
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--plans", type=int, default=0, help="a generated corpus of N plans (default: the real one)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="serve-latency-") as tmp:
        tmp = Path(tmp)
        if args.plans:
            import generate

            generated = tmp / "generated"
            generate.generate(args.plans, generated, args.seed)
            source = generated
        else:
            source = ROOT / "corpus"
        work = tmp / "work"
        work.mkdir()
        start = time.perf_counter()
        server = Served(work, source, start_timeout=3600)
        first_build = time.perf_counter() - start
        try:
            plan = sorted(p.stem for p in (server.corpus / "plans").glob("*.md"))[0]
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                page = browser.new_page()
                page.goto(server.url + f"plans/{plan}.html")
                print(f"corpus: {'generated, ' + str(args.plans) + ' plans' if args.plans else 'the real corpus'}; "
                      f"server started and first build done in {first_build:.1f} s")
                print("| edit | rounds | save -> page reloaded | save -> site built | build (server) "
                      "| build.py's own time |")
                print("|---|---|---|---|---|---|")
                for label, edit in (("a plan's title", _edit_title), ("a YAML value (a target's note)", _edit_note),
                                    ("a sentence inserted into the text", _edit_text),
                                    ("a category name (every page)", _edit_category)):
                    figures = measure(server, page, plan, edit, args.rounds, 1)
                    cols = []
                    for i in range(4):
                        values = [f[i] for f in figures]
                        cols.append(f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})")
                    print(f"| {label} | {len(figures)} | " + " | ".join(cols) + " |", flush=True)
                browser.close()
        finally:
            server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
