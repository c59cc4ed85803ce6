"""The published release: data package, ZIP, data version everywhere, sitemap, sharing metadata."""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import html5lib
import pytest
from frictionless import validate

from sitegen.pipeline import build
from sitegen.checks import data_version

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://example.org/ke-hoach"
NS = {"h": "http://www.w3.org/1999/xhtml"}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The real corpus built with an absolute base URL (search off: not needed here)."""
    out = tmp_path_factory.mktemp("release") / "site"
    build(ROOT / "corpus", out, base_url=BASE_URL, search=False)
    return out


@pytest.fixture(scope="module")
def version() -> str:
    return data_version((ROOT / "corpus" / "CHANGELOG.md").read_text(encoding="utf-8"))


def _doc(path: Path):
    return html5lib.parse(path.read_bytes(), namespaceHTMLElements=True)


def test_the_data_package_validates_with_frictionless(site):
    report = validate(site / "data" / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_the_data_package_describes_every_table_csv_with_typed_fields(site):
    package = json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"] for r in package["resources"] if r["path"].endswith(".csv")}
    assert described == {p.name for p in (site / "data").glob("*.csv")}
    targets = next(r for r in package["resources"] if r["name"] == "targets")
    types = {f["name"]: f["type"] for f in targets["schema"]["fields"]}
    assert types["value"] == "number" and types["deadline"] == "integer" and types["quote"] == "string"
    assert package["licenses"][0]["name"] == "CC-BY-4.0" and len(package["sources"]) == 5


def test_the_zip_holds_all_data_the_dictionary_licence_and_readme(site, version):
    zpath = site / "data" / f"ke-hoach-so-sanh-data-{version}.zip"
    with zipfile.ZipFile(zpath) as zf:
        names = {n.split("/", 1)[1] for n in zf.namelist()}
        readme = zf.read(f"ke-hoach-so-sanh-{version}/README.md").decode("utf-8")
    for table in ("plans", "targets", "agencies", "themes", "citations", "legal", "commitments"):
        assert {f"{table}.csv", f"{table}.json"} <= names
    assert {"datapackage.json", "README.md", "LICENSE.txt", "CHANGELOG.md"} <= names
    assert any(n.startswith("sources/") for n in names)
    assert "| `quote` |" in readme  # the data dictionary


def test_the_data_package_describes_every_data_file_of_the_zip_json_twins_and_source_texts_too(site, version):
    package = json.loads((site / "data" / "datapackage.json").read_text(encoding="utf-8"))
    described = {r["path"]: r for r in package["resources"]}
    with zipfile.ZipFile(site / "data" / f"ke-hoach-so-sanh-data-{version}.zip") as zf:
        members = {n.split("/", 1)[1] for n in zf.namelist()}
    about_the_release = {"datapackage.json", "README.md", "LICENSE.txt", "CHANGELOG.md"}
    assert members - about_the_release == set(described)
    twins = [r for r in described.values() if r["format"] == "json"]
    texts = [r for r in described.values() if r["path"].startswith("sources/")]
    assert len(twins) == len([p for p in described if p.endswith(".csv")]) >= 10 and len(texts) == 5
    assert all(r["mediatype"] == "application/json" and "array of objects" in r["description"] for r in twins)
    assert all(r["mediatype"] == "text/plain" and "verbatim" in r["description"] for r in texts)


def test_every_csv_download_carries_the_data_version(site, version):
    csvs = sorted((site / "data").rglob("*.csv"))
    assert len(csvs) > 10
    for path in csvs:
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        assert rows == [] or {r["data_version"] for r in rows} == {version}, path


def test_every_page_shows_the_data_version(site, version):
    pages = [p for p in site.rglob("*.html")]
    assert pages and all(version in p.read_text(encoding="utf-8") for p in pages)


def test_the_sitemap_lists_every_page_but_embeds_with_absolute_urls(site):
    xml = (site / "sitemap.xml").read_text(encoding="utf-8")
    locs = set(re.findall(r"<loc>(.*?)</loc>", xml))
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")}
    expected = {f"{BASE_URL}/{p}" for p in pages if "embed/" not in p}
    assert locs == expected


def test_every_page_has_a_description_open_graph_and_twitter_meta(site):
    for path in sorted(site.rglob("*.html")):
        if "embed/" in path.as_posix():
            continue
        doc = _doc(path)
        meta = {(m.get("name") or m.get("property")): m.get("content") for m in doc.iterfind(".//h:meta", NS)}
        for key in ("description", "og:title", "og:description", "twitter:card", "twitter:title"):
            assert meta.get(key), f"{path}: {key}"


def _json_ld(path: Path) -> dict:
    doc = _doc(path)
    blocks = [s.text for s in doc.iterfind(".//h:script", NS) if s.get("type") == "application/ld+json"]
    assert len(blocks) == 1, path
    return json.loads(blocks[0])


def test_a_plan_page_describes_the_plan_as_schema_org_legislation(site):
    ld = _json_ld(site / "plans" / "quang-ninh-2021-27-kh-ubnd.html")
    assert ld["@type"] == "Legislation"
    assert ld["legislationIdentifier"] == "27/KH-UBND" and ld["legislationDate"] == "2021-02-02"
    assert ld["url"] == f"{BASE_URL}/plans/quang-ninh-2021-27-kh-ubnd.html"


def test_a_plan_without_number_or_date_claims_neither_in_json_ld(site):
    ld = _json_ld(site / "plans" / "tra-vinh-2022.html")
    assert "legislationIdentifier" not in ld and "legislationDate" not in ld


def test_an_instrument_page_is_legislation_and_the_data_page_a_dataset(site):
    inst = next((site / "legal").glob("chi-thi-36-ct-tw-*.html"))
    assert _json_ld(inst)["legislationIdentifier"] == "36-CT/TW"
    dataset = _json_ld(site / "data.html")
    assert dataset["@type"] == "Dataset" and {d["name"] for d in dataset["distribution"]} >= {"targets", "plans"}


def test_an_old_embed_page_sends_its_iframe_to_the_chart_page_shown_as_the_chart_alone(site):
    """The embed page merged into the chart page (#embed); where it was, a redirect keeps the embed
    codes already copied working."""
    embeds = sorted((site / "embed").glob("*.html"))
    assert embeds
    for embed in embeds:
        doc = _doc(embed)
        target = f"../charts/{embed.name}#embed"
        refresh = [m.get("content") for m in doc.iterfind(".//h:meta", NS) if m.get("http-equiv") == "refresh"]
        assert refresh == [f"0; url={target}"] and doc.find(".//h:figure", NS) is None
        assert [a.get("href") for a in doc.iterfind(".//h:a", NS)] == [target]
        chart = _doc(site / "charts" / embed.name)
        assert chart.find(".//h:span[@id='embed']", NS) is not None and len(chart.findall(".//h:figure", NS)) == 1
    css = (site / "assets" / "style.css").read_text("utf-8")
    rule = next(line for line in css.splitlines() if line.startswith("html:has(:is(#embed, #embed-dark):target) :is("))
    assert all(part in rule for part in (".site-header", ".site-footer", ".chart-tools", "display: none"))


def test_the_print_stylesheet_is_linked_for_print_only(site):
    doc = _doc(site / "plans" / "tra-vinh-2022.html")
    links = [(lk.get("href"), lk.get("media")) for lk in doc.iterfind(".//h:link[@rel='stylesheet']", NS)]
    assert ("../assets/print.css", "print") in links
