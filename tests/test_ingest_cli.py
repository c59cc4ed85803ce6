"""The ingest command line: drafts written into a corpus, --json, --review, --evaluate, bad input, and a
draft built end to end (its quotes pass the build's checks, it stays out of counts, --strict refuses it)."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from sitegen.ingest.__main__ import main
from sitegen.pipeline import BuildError, build, gather

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "corpus" / "sources" / "000_fe96a9b176375939.txt"
CURATED_ID = "quang-ninh-2021-27-kh-ubnd"

PLAN = """ỦY BAN NHÂN DÂN
TỈNH HÀ GIANG
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Số: 45/KH-UBND
Hà Giang, ngày 15 tháng 3 năm 2022
KẾ HOẠCH
Phòng, chống ma túy trên địa bàn tỉnh Hà Giang năm 2022
I. MỤC TIÊU
Phấn đấu 100% xã, phường, thị trấn tổ chức tuyên truyền về tác hại của ma túy; cai nghiện cho 300 lượt người,
trong đó cai nghiện tập trung 200 lượt người.
Nơi nhận:
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Trần Văn Bình
"""


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and the hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture()
def corpus(tmp_path) -> Path:
    """A copy of the real corpus to ingest into."""
    dst = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", dst)
    return dst


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_prints_every_section_and_writes_nothing(corpus, tmp_path, capsys):
    raw = tmp_path / "plan.txt"
    raw.write_text(PLAN, encoding="utf-8")
    before = snapshot(corpus)
    code, out, _ = run(capsys, raw, "--corpus", corpus, "--json")
    assert code == 0 and snapshot(corpus) == before
    data = json.loads(out)
    assert set(data) == {"metadata", "targets", "results", "commitments", "tasks", "themes", "citations", "dropped",
                         "registry", "source"}
    assert data["source"] == {"kind": "text", "ocr_pages": [], "pages": 0, "legacy_font_pages": []}
    assert data["metadata"]["number"] == "45/KH-UBND" and data["metadata"]["issued"] == "2022-03-15"
    assert [(t["value"], t["unit"], t["parent"]) for t in data["targets"]] == [
        (100, "percent", None), (300, "episodes", None), (200, "episodes", "t02")]
    assert data["targets"][0]["quote"] == "Phấn đấu 100% xã, phường, thị trấn tổ chức tuyên truyền về tác hại của ma túy"


def test_draft_written_and_reviewed(corpus, tmp_path, capsys):
    raw = tmp_path / "plan.txt"
    raw.write_text(PLAN, encoding="utf-8")
    code, out, _ = run(capsys, raw, "--corpus", corpus)
    assert code == 0, out
    md = corpus / "plans" / "ha-giang-2022-45-kh-ubnd.md"
    assert md.is_file() and md.with_suffix(".yaml").is_file()
    text = md.read_text(encoding="utf-8")
    assert "status: draft" in text and "review:" in text and "\n# KẾ HOẠCH\n" in text and "\n## I. MỤC TIÊU\n" in text
    assert (corpus / "sources").joinpath(next(line.split("/")[-1] for line in text.splitlines()
                                              if line.startswith("source_file:"))).read_bytes() == PLAN.encode()
    code, out, _ = run(capsys, "--review", "ha-giang-2022-45-kh-ubnd", "--corpus", corpus)
    assert code == 0 and "DRAFT" in out and "Targets (" in out and "t01" in out
    # A second run refuses to overwrite the record.
    before = snapshot(corpus)
    code, _, err = run(capsys, raw, "--corpus", corpus)
    assert code == 2 and "already exists" in err and snapshot(corpus) == before


def test_review_of_a_reviewed_plan(capsys):
    code, out, _ = run(capsys, "--review", CURATED_ID, "--corpus", ROOT / "corpus")
    assert code == 0 and "nothing left to confirm" in out


def test_evaluate_prints_the_table(capsys):
    code, out, _ = run(capsys, "--evaluate", ROOT / "corpus")
    assert code == 0
    assert out.startswith("| plan | curated targets | found |")
    assert "| **total** | 33 |" in out  # the five curated records hold 33 targets


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"", "is empty"),
    ("blank.txt", b"  \n\n ", "is empty"),
    ("binary.pdf", b"%PDF-1.4\x00\x01\x02\x03", "binary"),
    ("legacy.txt", "KẾ HOẠCH phòng chống ma túy".encode("cp1258", errors="replace") + b"\xec\xf2", "not UTF-8"),
    ("huge.txt", b"a" * (5 * 1024 * 1024 + 1), "MB"),
    ("recipe.txt", "Cách nấu phở bò\nCho 2 người ăn: 500 gam thịt bò, 1 củ hành.\n".encode(), "is not a plan"),
])
def test_bad_input_is_refused_and_nothing_is_written(corpus, tmp_path, capsys, name, content, message):
    raw = tmp_path / name
    raw.write_bytes(content)
    before = snapshot(corpus)
    code, out, err = run(capsys, raw, "--corpus", corpus)
    assert code == 2 and message in err and str(raw) in err and out == ""
    assert snapshot(corpus) == before


def test_an_empty_folder_and_a_missing_file_are_refused(corpus, tmp_path, capsys):
    before = snapshot(corpus)
    (tmp_path / "empty").mkdir()
    code, out, _ = run(capsys, tmp_path / "empty", "--corpus", corpus)  # a folder: read as a batch of its files
    assert code == 2 and "is a folder with no files in it" in out
    code, _, err = run(capsys, tmp_path / "nope.txt", "--corpus", corpus)
    assert code == 2 and "no such file" in err
    assert snapshot(corpus) == before


def test_a_fifo_is_refused(corpus, tmp_path, capsys):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = run(capsys, fifo, "--corpus", corpus)
    assert code == 2 and "not a regular file" in err


def test_draft_builds_end_to_end_but_stays_out_of_counts_and_strict_refuses_it(corpus, tmp_path, capsys):
    # The curated record of this source is replaced by ingest's draft of it.
    for suffix in (".md", ".yaml"):
        (corpus / "plans" / f"{CURATED_ID}{suffix}").unlink()
    code, out, _ = run(capsys, SOURCE, "--corpus", corpus)
    assert code == 0, out
    g = gather(corpus)  # raises BuildError on an error: every quote passes the build's checks
    checked, problems = g.site.corpus, g.problems
    assert [p.id for p in checked.drafts] == [CURATED_ID]
    assert CURATED_ID not in {p.id for p in checked.plans}
    draft = checked.drafts[0]
    assert draft.status == "draft" and "targets" in draft.review and len(draft.targets) >= 15
    assert any(p.severity == "warning" and p.where.endswith("(field status)") for p in problems)
    assert CURATED_ID not in {r.plan_id for r in g.site.tables.targets}  # no comparison uses it
    site = tmp_path / "site"
    build(corpus, site, search=False)
    page = (site / "plans" / f"{CURATED_ID}.html").read_text(encoding="utf-8")
    assert "Bản nháp, chưa rà soát" in page and "Các mục chưa rà soát: " in page and "targets" in page
    assert '<mark class="quote" data-for="t10" title="t10: 900' in page  # candidate quote with its parsed value
    listing = (site / "plans" / "index.html").read_text(encoding="utf-8")
    drafts_at = listing.index('id="drafts-h"')
    assert listing.index(f"{CURATED_ID}.html") > drafts_at  # listed apart, after the reviewed plans
    assert CURATED_ID not in (site / "index.html").read_text(encoding="utf-8")  # not on the home page's grid
    assert not (site / "data" / "plans" / f"{CURATED_ID}.json").exists()  # nor in the downloads
    for href in re.findall(r'href="([^"#:]+)["#]', page):  # every link of the draft's page resolves
        assert ((site / "plans" / href).resolve()).exists(), href
    with pytest.raises(BuildError):
        build(corpus, tmp_path / "strict", search=False, strict=True)
    assert not (tmp_path / "strict").exists()


@pytest.mark.parametrize("name", ["plan.txt", "plan.pdf"])
def test_an_unwritable_output_writes_nothing(corpus, tmp_path, capsys, name):
    import documents
    raw = tmp_path / name
    raw.write_bytes(PLAN.encode() if name.endswith(".txt") else documents.text_pdf())  # a PDF: two copies to write
    out = tmp_path / "out"
    out.write_text("a file where the output folder should be", encoding="utf-8")
    before = snapshot(corpus)
    code, _, err = run(capsys, raw, "--corpus", corpus, "--out", out)
    assert code == 2 and "nothing was written" in err
    assert snapshot(corpus) == before  # not even the copy of the source (nor, for a PDF, its text)


def test_force_replaces_a_record(corpus, tmp_path, capsys):
    raw = tmp_path / "plan.txt"
    raw.write_text(PLAN, encoding="utf-8")
    assert run(capsys, raw, "--corpus", corpus)[0] == 0
    md = corpus / "plans" / "ha-giang-2022-45-kh-ubnd.md"
    md.write_text("edited", encoding="utf-8")
    assert run(capsys, raw, "--corpus", corpus, "--force")[0] == 0
    assert md.read_text(encoding="utf-8").startswith("---\nid: ha-giang-2022-45-kh-ubnd")
    assert not list((corpus / "plans").glob(".*ingest*"))
