"""Issue 18 item 9, the editor's messages: ingest's legal.yaml patch (one per plan, each instrument once,
consistent), citations by name through legal_names.yaml, hints naming the --corpus in use, "did you
mean" for a misspelt province, the nearest text for a quote that is not verbatim, and a draft's summary
that does not claim "no legal bases" while its citations are unreviewed."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import html5lib
import yaml

from helpers import REAL_CORPUS, check, edit, run_build
from sitegen.ingest.__main__ import main

NS = {"h": "http://www.w3.org/1999/xhtml"}
PLAN_ID = "lao-cai-2019-63-kh-ubnd"
RAW = """ỦY BAN NHÂN DÂN
TỈNH LÀO CAI
Số: 63/KH-UBND
Lào Cai, ngày 23 tháng 5 năm 2019
KẾ HOẠCH
Phòng, chống ma túy trên địa bàn tỉnh năm 2019
Căn cứ Luật Phòng, chống ma túy năm 2021; Quyết định số 1452/QĐ-TTg ngày 10/9/2021 của Thủ tướng Chính phủ về phê duyệt Chương trình phòng, chống ma túy, Ủy ban nhân dân tỉnh ban hành Kế hoạch.
Triển khai Quyết định số 1452/QĐ-TTg về Chương trình X đến năm 2025.
Theo Quyết định 1452/QĐ-TTg của Thủ tướng Chính phủ phê duyệt Chương trình phòng, chống ma túy giai đoạn 2021-2025, Sở Y tế chủ trì.
Thực hiện Kế hoạch số 45/KH-UBND ngày 2/2/2019 của UBND tỉnh về thực hiện công tác phòng, chống ma túy năm 2019, UBND tỉnh yêu cầu.
I. MỤC TIÊU
Phấn đấu 100% xã, phường xây dựng kế hoạch phòng, chống ma túy.
"""


def corpus_copy(tmp_path: Path, name: str = "kho") -> Path:
    """The real corpus under another folder name than corpus/."""
    return shutil.copytree(REAL_CORPUS, tmp_path / name)


def ingest(tmp_path: Path, corpus: Path, *args: str, capsys) -> tuple[int, str]:
    raw = tmp_path / "raw.txt"
    raw.write_text(RAW, "utf-8")
    code = main([str(raw), "--corpus", str(corpus), *args])
    return code, capsys.readouterr().out


def test_ingest_prints_one_legal_yaml_patch_naming_the_corpus_in_use(tmp_path, capsys):
    corpus = corpus_copy(tmp_path)
    code, out = ingest(tmp_path, corpus, capsys=capsys)
    assert code == 0, out
    lines = out.splitlines()
    head = [n for n, line in enumerate(lines) if "which legal.yaml lacks" in line]
    assert len(head) == 1 and f"add to {corpus / 'legal.yaml'}:" in lines[head[0]]
    patch = [line.strip() for line in lines[head[0] + 1:] if line.strip().startswith("- {")]
    entries = yaml.safe_load("\n".join(patch))
    assert [(e["id"], e["issued"], e["issuer"], e["title"]) for e in entries] == [
        ("quyet-dinh-1452-qd-ttg-2021-09-10", "2021-09-10", "Thủ tướng Chính phủ",
         "về phê duyệt Chương trình phòng, chống ma túy"),
        ("ke-hoach-45-kh-ubnd-lao-cai-2019-02-02", "2019-02-02", "Ủy ban nhân dân tỉnh Lào Cai",
         "về thực hiện công tác phòng, chống ma túy năm 2019")]
    hint = next(line for line in lines if "--review" in line)
    assert f"--corpus {corpus} --review {PLAN_ID}" in hint and f"python build.py --corpus {corpus}" in hint


def test_ingest_finds_citations_by_name_through_legal_names_yaml(tmp_path, capsys):
    code, out = ingest(tmp_path, corpus_copy(tmp_path), "--json", capsys=capsys)
    assert code == 0
    written = [c["as_written"] for c in json.loads(out)["citations"]]
    assert "Luật Phòng, chống ma túy năm 2021" in written


def test_a_misspelt_province_gets_did_you_mean(tmp_path):
    corpus = corpus_copy(tmp_path, "corpus")
    edit(corpus / "plans" / "tra-vinh-2022.md", "province: Trà Vinh", "province: Tra Vinh")
    msgs = [p.message for p in check(corpus) if p.severity == "error"]
    assert any("Did you mean Trà Vinh?" in m for m in msgs), msgs


def test_a_quote_that_is_not_verbatim_shows_the_nearest_text(tmp_path):
    corpus = corpus_copy(tmp_path, "corpus")
    data = corpus / "plans" / "tra-vinh-2022.yaml"
    right = "kiên quyết không để hình thành điểm, tụ điểm phức tạp về ma túy"
    edit(data, f'quote: "{right}"', 'quote: "kiên quyết không để hình thành điểm tụ điểm phức tạp về ma tuý"')
    msgs = [p.message for p in check(corpus) if "is not found verbatim" in p.message]
    assert len(msgs) == 1 and f"The nearest text is: {right!r}" in msgs[0], msgs


def test_a_drafts_summary_does_not_say_it_cites_no_legal_basis(tmp_path, capsys):
    corpus = corpus_copy(tmp_path, "corpus")
    code, _ = ingest(tmp_path, corpus, capsys=capsys)
    assert code == 0
    result = run_build(corpus, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    for lang, none, draft in (("vi", "không viện dẫn căn cứ nào", "chưa được rà soát"),
                              ("en", "No legal basis cited", "not reviewed yet")):
        page = tmp_path / "site" / ("en" if lang == "en" else "") / "plans" / f"{PLAN_ID}.html"
        doc = html5lib.parse(page.read_bytes(), namespaceHTMLElements=True)
        main_text = " ".join("".join(doc.find(".//h:main", NS).itertext()).split())
        assert none not in main_text and draft in main_text


def test_the_builds_registry_patch_names_the_corpus_in_use(tmp_path):
    corpus = corpus_copy(tmp_path, "kho")
    with (corpus / "plans" / "tra-vinh-2022.md").open("a", encoding="utf-8") as f:
        f.write("\nCăn cứ Quyết định số 9999/QĐ-TTg ngày 10/9/2021 của Thủ tướng Chính phủ về Đề án thử; "
                "theo Quyết định số 9999/QĐ-TTg.\n")
    patches = [p for p in check(corpus) if "which legal.yaml lacks" in p.message]
    assert len(patches) == 1 and patches[0].file == "kho/legal.yaml"
    assert patches[0].message.splitlines()[0] == ("tra-vinh-2022 cites 1 instrument which legal.yaml lacks; "
                                                  "add to kho/legal.yaml:")
    assert yaml.safe_load(patches[0].message.split("\n", 1)[1])[0]["issued"] == "2021-09-10"
