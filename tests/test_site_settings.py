"""corpus/site.yaml: the site's settings as data, validated, and what they make absolute."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from sitegen.load import load_corpus
from sitegen.model import SiteSettings
from sitegen.settings import check_site_url, validate_site
from tests.helpers import copy_real_corpus, edit, line_of, run_build


@pytest.mark.parametrize("url", ["https://example.org/kehoach/", "https://example.org", "http://127.0.0.1:8000/x/"])
def test_an_absolute_http_url_is_a_site_url(url):
    assert check_site_url(url) == ""


@pytest.mark.parametrize("url, words", [
    ("", "empty"), ("example.org/kehoach/", "not an absolute http(s) URL"), ("//example.org/", "not an absolute"),
    ("javascript:alert(1)", "not an absolute"), ("ftp://example.org/", "not an absolute"), ("https://", "not an absolute"),
    ("https://example.org/?a=1", "query"), ("https://example.org/#x", "fragment"), ("https://me@example.org/", "user name"),
    ('https://example.org/"><script>alert(1)</script>', "quote"), ("https://example.org/a b", "space"),
])
def test_anything_else_is_refused_with_the_reason(url, words):
    assert words in check_site_url(url)


def _settings(tmp_path: Path, text: str):
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "site.yaml").write_text(text, encoding="utf-8")
    raw, problems = load_corpus(root, plans=False)
    settings, more = validate_site(raw.site, raw.site_path)
    return settings, [p for p in problems + more if "site.yaml" in p.file]


GOOD = """name: {vi: "Tên", en: "Name"}
site_url: "https://example.org/kh"
publisher: {vi: "Nhóm", en: "Team"}
licence: {id: CC-BY-4.0, title: "Creative Commons Attribution 4.0", url: "https://creativecommons.org/licenses/by/4.0/"}
contact: "loi@example.org"
"""


def test_settings_are_read_and_the_url_ends_in_a_slash(tmp_path):
    settings, problems = _settings(tmp_path, GOOD)
    assert problems == []
    assert settings == SiteSettings("Tên", "Name", "https://example.org/kh/", "Nhóm", "Team", "CC-BY-4.0",
                                    "Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/",
                                    "loi@example.org")
    assert settings.name("en") == "Name" and settings.publisher("vi") == "Nhóm"


def test_without_the_file_the_defaults_apply(tmp_path):
    raw, _ = load_corpus(tmp_path, plans=False)
    assert validate_site(raw.site, raw.site_path) == (SiteSettings(), [])


@pytest.mark.parametrize("old, new, field, words", [
    ('site_url: "https://example.org/kh"', 'site_url: "javascript:alert(1)"', "site_url", "not an absolute http(s) URL"),
    ('name: {vi: "Tên", en: "Name"}', 'name: {vi: "Tên"}', "name", "`vi:` and `en:`"),
    ('contact: "loi@example.org"', 'contact: "call us"', "contact", "e-mail address"),
    ('contact: "loi@example.org"', 'contact: "loi@example.org"\ncolour: blue', "colour", "not a setting"),
    ("url: \"https://creativecommons.org/licenses/by/4.0/\"}", "url: \"cc\"}", "licence.url", "not an absolute"),
])
def test_a_bad_setting_names_the_file_line_field_and_fix(tmp_path, old, new, field, words):
    settings, problems = _settings(tmp_path, GOOD.replace(old, new))
    assert len(problems) == 1, problems
    p = problems[0]
    assert p.severity == "error" and p.file.endswith("corpus/site.yaml") and words in p.message
    assert f"field {field}" in p.where and p.where.startswith("line ")
    assert settings == SiteSettings()


def test_a_bad_site_url_stops_the_build_and_leaves_the_site(tmp_path):
    corpus = copy_real_corpus(tmp_path)
    edit(corpus / "site.yaml", 'site_url: ""', 'site_url: "kehoach.example.org"')
    out = tmp_path / "site"
    done = run_build(corpus, out)
    assert done.returncode == 1
    line = line_of(corpus / "site.yaml", "site_url:")
    assert f"corpus/site.yaml:line {line} (field site_url): 'kehoach.example.org' is not an absolute http(s) URL" \
        in done.stderr
    assert not out.exists()


def test_with_a_site_url_every_published_url_starts_with_it(tmp_path):
    corpus = copy_real_corpus(tmp_path)
    base = "https://kehoach.example.org/so-sanh/"
    edit(corpus / "site.yaml", 'site_url: ""', f'site_url: "{base}"')
    edit(corpus / "site.yaml", 'name:\n  vi: "Kế hoạch so sánh"', 'name:\n  vi: "Kế hoạch so sánh thử"')
    out = tmp_path / "site"
    done = run_build(corpus, out)
    assert done.returncode == 0, done.stderr
    page = (out / "charts/communication--xa--percent.html").read_text(encoding="utf-8")
    assert "<title>Độ phủ tuyên truyền: xã, phường, thị trấn (%) · Kế hoạch so sánh thử</title>" in page
    checked = 0
    for path in sorted(out.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        rel = str(path.relative_to(out))
        for prop in ("og:url", "og:image"):
            m = re.search(f'<meta property="{prop}" content="([^"]+)"', html)
            if rel.startswith(("embed/", "en/embed/")):
                continue
            assert m and m.group(1).startswith(base), (rel, prop)
        if 'rel="canonical"' in html:
            assert re.search(f'<link rel="canonical" href="{re.escape(base + rel)}">', html), rel
        for box in re.findall(r"<textarea[^>]*>(.*?)</textarea>", html, re.S):
            urls = re.findall(r"https?://[^\s\"}&<)]+", box.replace("&#34;", '"').replace("&quot;", '"'))
            own = [u for u in urls if "creativecommons" not in u]
            assert own, (rel, box[:200])
            assert all(u.startswith(base) for u in own), (rel, own)
            checked += 1
        assert "data-urls=" not in html, rel  # nothing left to complete in the browser
    assert checked > 50
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    assert locs and all(u.startswith(base) for u in locs)
