"""How long ingest takes to read each kind of file (the test files of tests/documents.py, a one-page
plan; a scan of N pages takes about N times the one-page figure), the whole batch command on them,
and how much of the plan OCR reads right from poorer scans.

    python benchmarks/ingest_files.py [--repeat 3]

Prints a table; nothing is asserted (speed is measured here, never in tests).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import documents as D  # noqa: E402
from sitegen.ingest.__main__ import main  # noqa: E402
from sitegen.ingest.readers import read_document  # noqa: E402


def _best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _rescanned(dpi: int, quality: int) -> bytes:
    """The test scan as a cheaper scanner or a portal's compression gives it: grayscale JPEG at ``dpi``."""
    import io

    import pypdfium2 as pdfium
    from PIL import Image

    image = pdfium.PdfDocument(D.scan_pdf())[0].render(scale=dpi / 72).to_pil().convert("L")
    jpeg = io.BytesIO()
    image.save(jpeg, format="JPEG", quality=quality)
    out = io.BytesIO()
    Image.open(io.BytesIO(jpeg.getvalue())).save(out, format="PDF", resolution=dpi)
    return out.getvalue()


def ocr_quality() -> None:
    """Print how many of the plan's key phrases and numbers OCR reads right from poorer scans."""
    print("\n| scan | bytes | key phrases read right |")
    print("|---|---:|---:|")
    for dpi, quality in ((300, 90), (200, 75), (150, 60), (120, 50)):
        data = _rescanned(dpi, quality)
        text = " ".join(read_document(data, "scan.pdf").text.split())
        right = sum(1 for p in D.KEY_PHRASES if p in text)
        print(f"| {dpi} dpi, JPEG quality {quality} | {len(data):,} | {right} of {len(D.KEY_PHRASES)} |")


def run(repeat: int) -> None:
    """Print the time to read each kind of file, then the batch command over all of them."""
    with tempfile.TemporaryDirectory(prefix="ingest-bench-") as tmp:
        folder = Path(tmp)
        files = {"text.txt": "\n".join(D.lines(61)).encode(), "text.pdf": D.text_pdf(number=62),
                 "scan.pdf": D.scan_pdf(number=63), "plan.docx": D.docx_file(64),
                 "plan.doc": D.doc_file(folder, 65), "page.html": D.saved_page(66)}
        print("| file | bytes | kind | seconds to read (best of %d) |" % repeat)
        print("|---|---:|---|---:|")
        for name, data in files.items():
            kind = read_document(data, name).kind
            seconds = _best(lambda data=data, name=name: read_document(data, name), repeat)
            print(f"| {name} | {len(data):,} | {kind} | {seconds:.2f} |")
        inbox = folder / "inbox"
        inbox.mkdir()
        for name, data in files.items():
            (inbox / name).write_bytes(data)
        corpus = folder / "corpus"
        shutil.copytree(ROOT / "corpus", corpus)
        start = time.perf_counter()
        code = main([str(inbox), "--corpus", str(corpus)])
        print(f"\nbatch of {len(files)} files (`python -m sitegen.ingest FOLDER`): "
              f"{time.perf_counter() - start:.1f} s, exit status {code}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    run(ap.parse_args().repeat)
    ocr_quality()
