"""The same plan texts built as plain Markdown pages by established generators, and by a bare loop.

Each function writes a minimal project for its generator into `work/`, builds it in a
subprocess (so its time includes the generator's start-up, as a user would see it) and
returns (seconds, pages built). The pages are the plans' bodies (the Markdown after the
front matter), one page per plan, titled with the plan's title.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path


def plan_texts(corpus: Path) -> list[tuple[str, str, str]]:
    """(id, title, Markdown body) of every plan of a corpus."""
    out = []
    for md in sorted((corpus / "plans").glob("*.md")):
        text = md.read_text(encoding="utf-8")
        end = text.find("\n---\n", 3)
        front, body = text[4:end + 1], text[end + 5:]
        title = next((json.loads(line[7:]) if line[7:].startswith('"') else line[7:].strip()
                      for line in front.splitlines() if line.startswith("title: ")), md.stem)
        out.append((md.stem, title, body))
    return out


def user_env() -> dict[str, str]:
    """The environment to time a build in: this one, with Python writing its bytecode caches as it does
    by default. A machine that sets PYTHONDONTWRITEBYTECODE (this one does) would have every run of
    our build compile its 60-odd modules again (0.1-0.5 s each run), while the generators installed
    in site-packages were compiled when installed: a user's machine keeps both compiled."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _run(cmd: list[str], cwd: Path, timeout: float) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=user_env())
    took = time.perf_counter() - start
    if result.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({result.returncode}): {result.stderr[-2000:] or result.stdout[-2000:]}")
    return took


def _fresh(work: Path) -> Path:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    return work


def _yaml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


# ---------------------------------------------------------------- Hugo

HUGO_BASEOF = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main>{{ block "main" . }}{{ end }}</main></body></html>
"""
HUGO_SINGLE = '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n'
HUGO_LIST = '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n'


def hugo(texts, work: Path, timeout: float = 1800) -> tuple[float, int]:
    """Hugo (Debian package `hugo`): content/plans/<id>.md, minimal layouts, no taxonomies."""
    work = _fresh(work)
    (work / "hugo.toml").write_text(
        'baseURL = "http://example.org/"\nlanguageCode = "vi"\ntitle = "bench"\n'
        'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
        '[markup.goldmark.renderer]\nunsafe = false\n', encoding="utf-8")
    layouts = work / "layouts" / "_default"
    layouts.mkdir(parents=True)
    (layouts / "baseof.html").write_text(HUGO_BASEOF, encoding="utf-8")
    (layouts / "single.html").write_text(HUGO_SINGLE, encoding="utf-8")
    (layouts / "list.html").write_text(HUGO_LIST, encoding="utf-8")
    content = work / "content" / "plans"
    content.mkdir(parents=True)
    for pid, title, body in texts:
        (content / f"{pid}.md").write_text(f"---\ntitle: {_yaml_str(title)}\n---\n{body}", encoding="utf-8")
    took = _run(["hugo", "--quiet", "--source", str(work), "--destination", str(work / "public")], work, timeout)
    return took, len(texts)


# ---------------------------------------------------------------- MkDocs


def mkdocs(texts, work: Path, timeout: float = 1800) -> tuple[float, int]:
    """MkDocs (bench extra): docs/<id>.md, the default theme, nav built from the files."""
    work = _fresh(work)
    (work / "mkdocs.yml").write_text("site_name: bench\nuse_directory_urls: false\n", encoding="utf-8")
    docs = work / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# bench\n", encoding="utf-8")
    for pid, title, body in texts:
        (docs / f"{pid}.md").write_text(f"---\ntitle: {_yaml_str(title)}\n---\n{body}", encoding="utf-8")
    took = _run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(work / "site")], work, timeout)
    return took, len(texts)


# ---------------------------------------------------------------- Pelican

PELICANCONF = """AUTHOR = "bench"
SITENAME = "bench"
SITEURL = ""
PATH = "content"
TIMEZONE = "Asia/Ho_Chi_Minh"
DEFAULT_LANG = "vi"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = 20
LOAD_CONTENT_CACHE = False
"""


def pelican(texts, work: Path, timeout: float = 3600) -> tuple[float, int]:
    """Pelican (bench extra): content/<id>.md articles with Title/Date/Slug metadata, default theme."""
    work = _fresh(work)
    (work / "pelicanconf.py").write_text(PELICANCONF, encoding="utf-8")
    content = work / "content"
    content.mkdir()
    for n, (pid, title, body) in enumerate(texts):
        day = f"2020-01-{1 + n % 28:02d}"
        (content / f"{pid}.md").write_text(f"Title: {title}\nDate: {day}\nSlug: {pid}\n\n{body}", encoding="utf-8")
    took = _run([sys.executable, "-m", "pelican", str(content), "-o", str(work / "output"), "-s",
                 str(work / "pelicanconf.py"), "-q"], work, timeout)
    return took, len(texts)


# ---------------------------------------------------------------- a bare loop

BARE = r'''
import sys, time
from pathlib import Path
start = time.perf_counter()
import jinja2
from markdown_it import MarkdownIt
src, out = Path(sys.argv[1]), Path(sys.argv[2])
md = MarkdownIt("commonmark", {"html": False, "breaks": True})
tpl = jinja2.Environment(autoescape=True).from_string(
    "<!DOCTYPE html><html lang=vi><head><meta charset=utf-8><title>{{ title }}</title></head>"
    "<body><main><h1>{{ title }}</h1>{{ body|safe }}</main></body></html>")
out.mkdir(parents=True, exist_ok=True)
n = 0
for f in sorted(src.glob("*.md")):
    title, _, body = f.read_text(encoding="utf-8").partition("\n")
    (out / (f.stem + ".html")).write_text(tpl.render(title=title, body=md.render(body)), encoding="utf-8")
    n += 1
print(n, time.perf_counter() - start)
'''


def bare(texts, work: Path, timeout: float = 1800) -> tuple[float, int]:
    """markdown-it-py + jinja2 in a plain loop, one process: the floor of any Python generator."""
    work = _fresh(work)
    src = work / "src"
    src.mkdir()
    for pid, title, body in texts:
        (src / f"{pid}.md").write_text(f"{title}\n{body}", encoding="utf-8")
    (work / "bare.py").write_text(BARE, encoding="utf-8")
    took = _run([sys.executable, str(work / "bare.py"), str(src), str(work / "out")], work, timeout)
    return took, len(texts)


GENERATORS = {"hugo": hugo, "mkdocs": mkdocs, "pelican": pelican, "bare": bare}
