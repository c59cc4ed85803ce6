"""A small draft record, written the way ingest writes one, for the review tests: four candidate targets
(one a result, not a target: to reject; one read with the wrong value: to edit; a part of it; one right),
metadata entries, sections, one citation of an instrument of the registry, and ingest's opening comment."""
from __future__ import annotations

from pathlib import Path

DRAFT_ID = "ha-giang-2022-45-kh-ubnd"
SOURCE = "sources/ha-giang-2022-45.txt"

BODY = """
# KẾ HOẠCH

Phòng, chống ma túy trên địa bàn tỉnh Hà Giang năm 2022

Căn cứ Quyết định số 1452/QĐ-TTg ngày 31/8/2021 của Thủ tướng Chính phủ;

## I. MỤC TIÊU

Năm 2021, toàn tỉnh đã đưa 150 người đi cai nghiện.

Phấn đấu 100% xã, phường, thị trấn tổ chức tuyên truyền về tác hại của ma túy; cai nghiện cho 300 lượt người, trong đó cai nghiện tập trung 200 lượt người.
"""

DRAFT_MD = f"""---
id: {DRAFT_ID}
status: draft
review:
- title
- issuer
- 'period: not stated in the text; set to the year of the date of issue'
- targets
- themes
- citations
province: Hà Giang
number: 45/KH-UBND
doc_type: Kế hoạch
title: Phòng, chống ma túy trên địa bàn tỉnh Hà Giang năm 2022
issuer: Ủy ban nhân dân tỉnh Hà Giang
signer: Trần Văn Bình
signer_title: CHỦ TỊCH
issued: '2022-03-15'
period: '2022'
field: unknown
source_kind: official
excerpt: false
source_file: {SOURCE}
provenance: Bản nháp do chương trình ingest tạo tự động từ tệp plan.txt, chưa được rà soát.
provenance_en: A draft made automatically by the ingest program from the file plan.txt, not yet reviewed.
---
{BODY}"""

DRAFT_YAML = """# Draft by `python -m sitegen.ingest` from plan.txt: review every entry, then remove `status: draft`
# and the review list from the .md. confidence: how sure the reading is (0-1).
targets:
- id: t01
  category: communication
  subject: xa
  subject_text: xã, phường, thị trấn
  value: 100
  value_max: null
  unit: percent
  comparator: '='
  direction: đạt
  deadline: 2022
  parent: null
  quote: Phấn đấu 100% xã, phường, thị trấn tổ chức tuyên truyền về tác hại của ma túy
  confidence: 0.9
  note: 'Bản nháp: cần rà soát.'
- id: t02
  category: rehabilitation
  subject: nguoi_nghien
  subject_text: người
  value: 150
  value_max: null
  unit: people
  comparator: '='
  direction: đạt
  deadline: 2022
  parent: null
  quote: Năm 2021, toàn tỉnh đã đưa 150 người đi cai nghiện
  confidence: 0.4
  note: 'Bản nháp: có thể là kết quả năm trước, không phải chỉ tiêu.'
- id: t03
  category: rehabilitation
  subject: nguoi_nghien
  subject_text: lượt người
  value: 200
  value_max: null
  unit: episodes
  comparator: '='
  direction: đạt
  deadline: 2022
  parent: null
  quote: cai nghiện cho 300 lượt người, trong đó cai nghiện tập trung 200 lượt người
  confidence: 0.6
  note: 'Bản nháp: cần rà soát.'
- id: t04
  category: rehabilitation
  subject: nguoi_nghien
  subject_text: lượt người
  value: 200
  value_max: null
  unit: episodes
  comparator: '='
  direction: đạt
  deadline: 2022
  parent: t03
  quote: trong đó cai nghiện tập trung 200 lượt người
  confidence: 1.0
  note: 'Bản nháp: cần rà soát.'
commitments: []
tasks: []
themes:
- theme: ma-tuy
  quote: Phòng, chống ma túy
- theme: cai-nghien
  quote: cai nghiện
"""


def add_draft(corpus: Path) -> tuple[Path, Path]:
    """Write the draft (and its source) into a corpus folder; its .md and .yaml."""
    (corpus / SOURCE).write_text(BODY.strip() + "\n", encoding="utf-8")
    md, data = corpus / "plans" / f"{DRAFT_ID}.md", corpus / "plans" / f"{DRAFT_ID}.yaml"
    md.write_text(DRAFT_MD, encoding="utf-8")
    data.write_text(DRAFT_YAML, encoding="utf-8")
    return md, data
