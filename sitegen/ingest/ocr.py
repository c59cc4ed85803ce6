"""OCR of a scanned page: Tesseract with Debian's Vietnamese data, its words laid back out in reading order.

Tesseract reads a printed line across the page, so a document header set in two columns side by
side ("ỦY BAN NHÂN DÂN      CỘNG HÒA XÃ HỘI ...") comes out as one line mixing both. From the
words' boxes (Tesseract's TSV output) a line is cut where a gap is much wider than a space, and a
run of such two-part lines (the header, the recipients beside the signature) is read column by
column, as the document is read and as a copy from a web page gives it.
"""
from __future__ import annotations

import functools
import io
import os
import shutil
import statistics
import subprocess

OCR_LANG = "vie"
OCR_PACKAGES = "tesseract-ocr tesseract-ocr-vie"
TIMEOUT = 600  # seconds for one page
# A gap between two words wider than this many times the line's letter height separates two columns.
COLUMN_GAP = 2.5


class OcrError(Exception):
    """OCR could not run or failed: the message says why and what to install."""


@functools.cache
def tesseract() -> str:
    """The tesseract program, checked to have Vietnamese data; OcrError naming the Debian packages otherwise."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrError(f"tesseract is not installed: it reads scanned pages (OCR). Install it with "
                       f"`apt-get install {OCR_PACKAGES}` (Debian/Ubuntu).")
    langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=60)
    if OCR_LANG not in (langs.stdout + langs.stderr).split():
        raise OcrError("tesseract has no Vietnamese data: install it with `apt-get install tesseract-ocr-vie`.")
    return exe


def read_image(image) -> str:
    """The text of one page image (a PIL image), lines in reading order; OcrError when Tesseract fails."""
    exe = tesseract()
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    # One thread per page: the machine's other cores go to other work, and the result does not vary.
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        done = subprocess.run([exe, "stdin", "stdout", "-l", OCR_LANG, "--psm", "3", "tsv"], input=buf.getvalue(),
                              capture_output=True, timeout=TIMEOUT, env=env)
    except subprocess.TimeoutExpired:
        raise OcrError(f"OCR took over {TIMEOUT} s: stopped.") from None
    if done.returncode != 0:
        raise OcrError(f"tesseract failed: {done.stderr.decode(errors='replace').strip()[:200]}")
    return "\n".join(lines_from_tsv(done.stdout.decode("utf-8", errors="replace")))


def _segments(words: list[tuple[int, int, int, str]]) -> list[tuple[int, int, str]]:
    """A line's words (left, right, height, text) cut into segments (left, right, text) at column-wide gaps."""
    height = statistics.median(w[2] for w in words)
    out = [[words[0]]]
    for prev, word in zip(words, words[1:]):
        if word[0] - prev[1] > COLUMN_GAP * height:
            out.append([word])
        else:
            out[-1].append(word)
    return [(seg[0][0], seg[-1][1], " ".join(w[3] for w in seg)) for seg in out]


def lines_from_tsv(tsv: str) -> list[str]:
    """Tesseract's TSV words as text lines; a run of two-column lines is read left column first."""
    lines: dict[tuple[str, str, str], list[tuple[int, int, int, str]]] = {}
    breaks: set[tuple[str, str, str]] = set()  # lines that start a new paragraph
    spans: dict[tuple[str, str, str], tuple[int, int]] = {}  # each line's top and bottom
    last_par = None
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) != 12 or cells[0] != "5" or not cells[11].strip():
            continue
        key = (cells[2], cells[3], cells[4])  # block, paragraph, line
        if key not in lines and key[:2] != last_par:
            breaks.add(key)
            last_par = key[:2]
        left, top, width, height = int(cells[6]), int(cells[7]), int(cells[8]), int(cells[9])
        lines.setdefault(key, []).append((left, left + width, height, cells[11]))
        span = spans.get(key, (top, top + height))
        spans[key] = (min(span[0], top), max(span[1], top + height))
    out: list[str] = []
    keys = list(lines)
    i = 0
    while i < len(keys):
        segs = _segments(lines[keys[i]])
        if len(segs) != 2:
            if keys[i] in breaks and out:
                out.append("")
            out.append(" ".join(s[2] for s in segs))
            i += 1
            continue
        split = segs[1][0]  # where the right column starts
        left, right = [], []
        bottom = spans[keys[i]][0]
        while i < len(keys):
            segs = _segments(lines[keys[i]])
            top, low = spans[keys[i]]
            if top - bottom > 1.5 * (low - top):  # a wide blank above: the columns have ended
                break
            bottom = low
            if len(segs) == 2 and abs(segs[1][0] - split) < split * 0.5:
                left.append(segs[0][2])
                right.append(segs[1][2])
            elif len(segs) == 1 and segs[0][1] < split:
                left.append(segs[0][2])
            elif len(segs) == 1 and segs[0][0] >= split * 0.8:
                right.append(segs[0][2])
            else:
                break
            i += 1
        if out:
            out.append("")
        out += left + right
    return out
