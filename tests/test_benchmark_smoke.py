"""The benchmark's corpus generator and build work (no timing is asserted: speed is measured by
benchmarks/run.py, never in tests)."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from sitegen.pipeline import build  # noqa: E402


def test_generate_and_build(tmp_path: Path):
    import generate
    import others

    corpus = generate.generate(20, tmp_path / "corpus", seed=1)
    again = generate.generate(20, tmp_path / "again", seed=1)
    for f in sorted((corpus / "plans").iterdir()):
        assert f.read_bytes() == (again / "plans" / f.name).read_bytes(), f.name
    assert (corpus / "legal.yaml").read_bytes() == (again / "legal.yaml").read_bytes()

    report = build(corpus, tmp_path / "site", search=False)
    assert report.plans == 20
    # Every target's quote and value were accepted (validation would have failed otherwise), and
    # every citation resolved to a registry entry: no warning about the registry or citations.
    assert report.targets >= 20 * 10
    assert not [w for w in report.warnings if "legal.yaml" in w.file or "/plans/" in w.file]
    site = tmp_path / "site"
    assert len(list((site / "plans").glob("*.html"))) == 21  # 20 plans and the list
    sizes = [len(p.read_bytes()) for p in (site / "plans").glob("*.html")]
    assert max(sizes) < 150 * 1024

    # The output by kind adds up to the whole site, and names each kind of page and file it has.
    from sizes import by_kind, kind_of
    kinds = by_kind(site)
    files = [f for f in site.rglob("*") if f.is_file()]
    assert sum(v["files"] for v in kinds.values()) == len(files) >= report.files
    assert sum(v["bytes"] for v in kinds.values()) == sum(f.stat().st_size for f in files)
    assert kinds["plan pages"]["files"] == 2 * 20 and kinds["per-plan data"]["files"] >= 20
    assert {"chart pages", "cards", "chart data", "sources", "ZIP", "data tables CSV", "data tables JSON", "legal pages"} <= set(kinds)
    assert (kind_of("en/plans/page-2.html"), kind_of("legal/x/ha-noi.html"), kind_of("sitemap.xml")) == (
        "plan lists", "legal per province", "other")

    texts = others.plan_texts(corpus)
    assert len(texts) == 20 and all(len(body.encode()) > 10_000 for _, _, body in texts)
    took, pages = others.bare(texts, tmp_path / "bare")
    assert pages == 20 and len(list((tmp_path / "bare" / "out").glob("*.html"))) == 20
