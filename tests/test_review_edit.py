"""The reviewer's edits of a draft record (sitegen.ingest.review_edit) on inline YAML, and `--review ID`,
which lists the same open items with hints naming the corpus in use."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
import yaml
from review_draft import DRAFT_ID, DRAFT_MD, DRAFT_YAML, add_draft

from sitegen.ingest.__main__ import main
from sitegen.ingest.review_edit import (ReviewError, accept_candidate, accept_entry, apply, edit_candidate,
                                        edit_field, left, mark_reviewed, open_items, parse_record, read_record,
                                        record_paths, reject_candidate, reject_field, remove_entry, render,
                                        write_record)

ROOT = Path(__file__).resolve().parent.parent


def draft():
    return parse_record(DRAFT_ID, DRAFT_MD, DRAFT_YAML)


def targets_of(rec) -> dict[str, dict]:
    return {t["id"]: t for t in yaml.safe_load(render(rec)[1])["targets"]}


def front_of(rec) -> dict:
    return yaml.safe_load(render(rec)[0].split("---\n")[1])


def test_an_untouched_draft_is_written_back_byte_for_byte():
    assert render(draft()) == (DRAFT_MD, DRAFT_YAML)


def test_open_items_are_the_review_entries_and_the_candidates():
    items = open_items(draft(), [{"as_written": "Quyết định số 1452/QĐ-TTg"}])
    assert [f["key"] for f in items["fields"]] == ["title", "issuer", "period"]
    assert items["fields"][2]["entry"].startswith("period: not stated")
    assert [c["id"] for c in items["candidates"]] == ["t01", "t02", "t03", "t04"]
    # `targets` stands for its candidates while any is open: not listed twice.
    assert [s["key"] for s in items["sections"]] == ["themes", "citations"]
    assert items["sections"][1]["entries"] == [{"as_written": "Quyết định số 1452/QĐ-TTg"}]
    assert items["left"] == 3 + 4 + 2 and items["excerpt"] is False


def test_accept_keeps_the_reading_and_drops_only_ingests_marks():
    rec = accept_candidate(draft(), "t01")
    t = targets_of(rec)["t01"]
    assert "confidence" not in t and "note" not in t
    assert t["value"] == 100 and t["quote"].startswith("Phấn đấu 100%")
    assert "confidence" in targets_of(rec)["t02"], "the others stay open"
    assert "targets" in front_of(rec)["review"]
    # The other lines of the data file are untouched.
    assert render(rec)[1].replace("  quote: Phấn đấu 100% xã, phường, thị trấn tổ chức tuyên truyền về tác hại của "
                                  "ma túy\n", "", 1) in DRAFT_YAML.replace(
        "  quote: Phấn đấu 100% xã, phường, thị trấn tổ chức tuyên truyền về tác hại của ma túy\n"
        "  confidence: 0.9\n  note: 'Bản nháp: cần rà soát.'\n", "", 1)


def test_a_reviewers_own_note_is_kept_on_accept():
    rec = draft()
    rec.data["targets"][0]["note"] = "Chỉ tiêu này nhắc lại chỉ tiêu quốc gia."
    assert targets_of(accept_candidate(rec, "t01"))["t01"]["note"] == "Chỉ tiêu này nhắc lại chỉ tiêu quốc gia."


def test_reject_removes_the_candidate_and_its_childrens_link():
    rec = reject_candidate(draft(), "t03")
    assert set(targets_of(rec)) == {"t01", "t02", "t04"}
    assert targets_of(rec)["t04"]["parent"] is None


def test_edit_changes_the_fields_and_marks_reviewed():
    rec = edit_candidate(draft(), "t03", {"value": 300, "deadline": None, "unit": "people", "parent": None})
    t = targets_of(rec)["t03"]
    assert (t["value"], t["deadline"], t["unit"], t["parent"]) == (300, "unknown", "people", None)
    assert "confidence" not in t and "note" not in t
    assert targets_of(edit_candidate(draft(), "t03", {"value": 2.5}))["t03"]["value"] == 2.5
    assert targets_of(edit_candidate(draft(), "t04", {"deadline": "2025"}))["t04"]["deadline"] == 2025


@pytest.mark.parametrize("changes, message", [
    ({"quote": "x"}, "cannot be changed here"), ({"value": "300"}, "is not a number"),
    ({"value": True}, "is not a number"), ({"value": float("nan")}, "is not a number"),
    ({"comparator": "~"}, "must be one of"), ({"deadline": "soon"}, "must be a year"),
    ({"subject": ""}, "must be text"), ({}, "give the fields"),
])
def test_edit_refuses_what_is_not_a_field_of_the_right_type(changes, message):
    with pytest.raises(ReviewError, match=message):
        edit_candidate(draft(), "t03", changes)


def test_an_unknown_target_is_refused():
    for bad in ("t99", "../t01", None):
        with pytest.raises(ReviewError):
            accept_candidate(draft(), bad)


def test_the_last_candidate_closes_the_targets_entry():
    rec = draft()
    with pytest.raises(ReviewError, match="each candidate first"):
        accept_entry(rec, "targets")
    for tid in ("t01", "t03", "t04"):
        rec = accept_candidate(rec, tid)
    assert "targets" in front_of(rec)["review"]
    rec = reject_candidate(rec, "t02")
    assert "targets" not in front_of(rec)["review"]
    assert open_items(rec)["candidates"] == [] and left(rec) == 3 + 2


def test_metadata_fields_are_accepted_edited_or_set_unknown():
    rec = accept_entry(draft(), "title")
    assert "title" not in front_of(rec)["review"] and front_of(rec)["title"] == draft().front["title"]
    rec = edit_field(rec, "period", "2022-2025")
    assert front_of(rec)["period"] == "2022-2025"
    assert not any(r.startswith("period") for r in front_of(rec)["review"]), "the note entry is closed too"
    rec = reject_field(rec, "issuer")
    assert front_of(rec)["issuer"] == "unknown" and front_of(rec)["review"] == ["targets", "themes", "citations"]
    assert front_of(edit_field(draft(), "excerpt", True))["excerpt"] is True
    with pytest.raises(ReviewError, match="cannot be `unknown`"):
        reject_field(draft(), "title")
    with pytest.raises(ReviewError, match="true or false"):
        edit_field(draft(), "excerpt", "yes")
    with pytest.raises(ReviewError, match="not a field"):
        edit_field(draft(), "status", "reviewed")


def test_section_entries_are_removed_one_by_one():
    rec = remove_entry(draft(), "themes", 1)
    assert yaml.safe_load(render(rec)[1])["themes"] == [{"theme": "ma-tuy", "quote": "Phòng, chống ma túy"}]
    for section, index in (("themes", 5), ("themes", -1), ("targets", 0), ("themes", True)):
        with pytest.raises(ReviewError):
            remove_entry(draft(), section, index)


def test_mark_reviewed_only_when_nothing_is_left():
    rec = draft()
    with pytest.raises(ReviewError, match="still open"):
        mark_reviewed(rec)
    rec = reject_candidate(rec, "t02")
    rec = edit_candidate(rec, "t03", {"value": 300})
    rec = accept_candidate(accept_candidate(rec, "t01"), "t04")
    for key in ("title", "issuer", "period", "themes", "citations"):
        rec = accept_entry(rec, key)
    assert left(rec) == 0
    done = mark_reviewed(rec)
    md, data = render(done)
    front = front_of(done)
    assert "status" not in front and "review" not in front
    assert front["provenance"].endswith("đã được biên tập viên rà soát.")
    assert front["provenance_en"].endswith("reviewed by an editor.")
    assert md.endswith(DRAFT_MD.split("\n---\n", 1)[1]), "the text is kept byte for byte"
    assert not data.startswith("# Draft by"), "ingest's draft comment goes with the draft"
    with pytest.raises(ReviewError, match="not a draft"):
        apply(done, {"op": "accept", "item": "field", "id": "title"})


def test_apply_reads_the_requests_the_page_sends():
    rec = apply(draft(), {"op": "edit", "item": "candidate", "id": "t03", "changes": {"value": 300}})
    assert targets_of(rec)["t03"]["value"] == 300
    rec = apply(rec, {"op": "remove", "item": "entry", "id": "themes", "index": 0})
    rec = apply(rec, {"op": "accept", "item": "entry", "id": "themes"})
    assert "themes" not in front_of(rec)["review"]
    for bad in ({"op": "explode"}, {"op": "accept", "item": "field", "id": "status"}, [], {"op": "accept"}):
        with pytest.raises(ReviewError):
            apply(draft(), bad)


def test_only_a_records_own_files_inside_the_plans_folder_are_named(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "plans").mkdir(parents=True)
    (corpus / "sources").mkdir()
    add_draft(corpus)
    assert record_paths(corpus, DRAFT_ID) == (corpus / "plans" / f"{DRAFT_ID}.md",
                                              corpus / "plans" / f"{DRAFT_ID}.yaml")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.md").write_text(DRAFT_MD, encoding="utf-8")
    (outside / "x.yaml").write_text(DRAFT_YAML, encoding="utf-8")
    (corpus / "plans" / "x.md").symlink_to(outside / "x.md")
    (corpus / "plans" / "x.yaml").symlink_to(outside / "x.yaml")
    for bad in ("../elsewhere/x", "x", "nope", "/etc/passwd", "X", "", None, 3):
        with pytest.raises(ReviewError):
            record_paths(corpus, bad)


def test_writing_is_atomic_and_touches_only_what_changed(tmp_path):
    corpus = tmp_path / "corpus"
    (corpus / "plans").mkdir(parents=True)
    (corpus / "sources").mkdir()
    md, data = add_draft(corpus)
    os.chmod(data, 0o640)
    md_stat = md.stat()
    rec = accept_candidate(read_record(corpus, DRAFT_ID), "t01")
    assert write_record(corpus, rec) == [data]
    assert md.stat().st_mtime_ns == md_stat.st_mtime_ns and md.stat().st_ino == md_stat.st_ino
    assert data.read_text(encoding="utf-8") == render(rec)[1] and data.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in (corpus / "plans").iterdir()) == [md.name, data.name], "no temporary file left"


def test_review_lists_the_same_open_items_and_names_the_corpus(tmp_path, capsys):
    corpus = tmp_path / "my-corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    add_draft(corpus)
    assert main(["--review", DRAFT_ID, "--corpus", str(corpus)]) == 0
    out = capsys.readouterr().out
    assert f"python build.py serve --corpus {corpus}" in out
    assert f"python build.py --strict --corpus {corpus}" in out
    assert f"{corpus}/plans/{DRAFT_ID}.md" in out
    assert "9 item(s) left to review" in out
    assert "  - period: not stated in the text; set to the year of the date of issue: '2022'" in out
    assert "Targets (4 candidates)" in out
    lines = out.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("Targets (4"))
    assert [line.split()[0] for line in lines[first + 1:first + 9:2]] == ["t02", "t03", "t01", "t04"], \
        "lowest confidence first"
    assert "Section to confirm: themes (2)" in out and "Section to confirm: citations (1)" in out
    assert "  - Quyết định số 1452/QĐ-TTg ngày 31/8/2021 của Thủ tướng Chính phủ" in out
    assert "Excerpt (targets may be cut away from this text): no." in out
    # The default corpus is not named: the commands are the ones to type.
    assert main(["--review", "tra-vinh-2022"]) == 0
    assert "nothing left to confirm" in capsys.readouterr().out
    assert main(["--review", "../etc", "--corpus", str(corpus)]) == 2
    assert "is not a plan id" in capsys.readouterr().err


def test_notes_about_one_field_are_one_item():
    md = DRAFT_MD.replace("review:\n- title\n", "review:\n- 'title: in capitals as the document sets it'\n- title\n", 1)
    items = open_items(parse_record(DRAFT_ID, md, DRAFT_YAML))
    titles = [f for f in items["fields"] if f["key"] == "title"]
    assert len(titles) == 1 and titles[0]["entry"] == "title: in capitals as the document sets it"
    assert items["left"] == 9
    rec = accept_entry(parse_record(DRAFT_ID, md, DRAFT_YAML), "title")
    assert not any(r.startswith("title") for r in front_of(rec)["review"])


def test_a_draft_made_by_ingest_is_reviewed_to_a_record_the_strict_build_accepts(tmp_path, capsys):
    from sitegen.serve_review import check
    from test_ingest_cli import PLAN

    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    raw = tmp_path / "plan.txt"
    raw.write_text(PLAN, encoding="utf-8")
    assert main([str(raw), "--corpus", str(corpus)]) == 0
    plan_id = "ha-giang-2022-45-kh-ubnd"
    rec = read_record(corpus, plan_id)
    assert render(rec) == tuple(p.read_text(encoding="utf-8") for p in record_paths(corpus, plan_id)), \
        "ingest's draft is written back byte for byte"
    assert open_items(rec)["candidates"], "ingest found candidates"
    with pytest.raises(ReviewError):
        mark_reviewed(rec)
    for c in open_items(rec)["candidates"]:
        rec = accept_candidate(rec, c["id"])
    for item in open_items(rec)["fields"] + open_items(rec)["sections"] + open_items(rec)["other"]:
        rec = accept_entry(rec, item["key"])
    assert left(rec) == 0
    done = mark_reviewed(rec)
    assert check(corpus, done, strict=True) == []
    broken = apply(read_record(corpus, plan_id), {"op": "edit", "item": "field", "id": "issued", "value": "2022-02-30"})
    assert any("impossible date" in e for e in check(corpus, broken, strict=False))


def test_an_edit_is_checked_against_the_lookup_tables_and_the_quote(tmp_path):
    from sitegen.serve_review import check

    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    add_draft(corpus)
    rec = read_record(corpus, DRAFT_ID)
    assert check(corpus, edit_candidate(rec, "t03", {"value": 300}), strict=False) == []
    errors = check(corpus, edit_candidate(rec, "t03", {"unit": "bananas", "value": 250}), strict=False)
    assert any("'bananas'" in e and "units" in e for e in errors), errors
    assert any("250 does not appear in its quote" in e for e in errors), errors
    assert all(e.startswith(f"ERROR corpus/plans/{DRAFT_ID}.yaml") for e in errors), "named as the build names them"
